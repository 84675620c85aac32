//! The glyphs made ready for layout: Unicode fixed (radicals, unmapped codes), fake bold drawn
//! twice counted once, struck-through text left out.

use super::{G, PageLayout};
use crate::interp::{Glyph, Segment};

/// Struck-through text: a horizontal line through the middle of glyphs (a third of an em above
/// their baseline, give or take a fifth), no longer than they are wide plus an em, is a strike
/// (a deletion printed with its tracked changes showing, or text crossed out), not a border. The
/// glyphs it crosses are left out and named (I360); the line is not a ruling. Underlines sit
/// below the baseline and borders away from text, so neither is taken for one.
pub(super) fn strike_out(
    glyphs: Vec<G>,
    segments: &[Segment],
    out: &mut PageLayout,
) -> (Vec<G>, Vec<Segment>) {
    let mut struck = vec![false; glyphs.len()];
    let mut kept = Vec::with_capacity(segments.len());
    // Glyphs by x for finding those under a line without a pass over all of them per line.
    let mut by_x: Vec<usize> = (0..glyphs.len()).collect();
    by_x.sort_by(|&a, &b| glyphs[a].centre().0.total_cmp(&glyphs[b].centre().0));
    let xs: Vec<f64> = by_x.iter().map(|&i| glyphs[i].centre().0).collect();
    for s in segments {
        if !s.horizontal {
            kept.push(*s);
            continue;
        }
        let lo = xs.partition_point(|&x| x < s.from);
        let hi = xs.partition_point(|&x| x <= s.to);
        let under: Vec<usize> = by_x[lo..hi.max(lo)]
            .iter()
            .copied()
            .filter(|&i| {
                let g = &glyphs[i];
                (s.at - (g.baseline - 0.33 * g.size)).abs() <= 0.2 * g.size
            })
            .collect();
        let width: f64 = under.iter().map(|&i| glyphs[i].x1 - glyphs[i].x0).sum();
        let em = under.iter().map(|&i| glyphs[i].size).fold(0.0, f64::max);
        let text = under.iter().any(|&i| glyphs[i].text != " ");
        if !text || s.to - s.from > width + em + 2.0 {
            kept.push(*s);
            continue;
        }
        for i in under {
            struck[i] = true;
        }
    }
    let mut runs: Vec<Vec<&G>> = Vec::new();
    for (i, g) in glyphs.iter().enumerate() {
        if struck[i] && g.text != " " {
            match runs.last_mut() {
                Some(run) if i > 0 && struck[i - 1] => run.push(g),
                _ => runs.push(vec![g]),
            }
        }
    }
    out.struck = runs
        .into_iter()
        .map(|run| run.iter().map(|g| g.text.as_str()).collect())
        .collect();
    // A struck glyph stays as an empty one: it still holds its place, so that the text on
    // either side of it joins as it would without it (no space for the gap it leaves).
    let glyphs = glyphs
        .into_iter()
        .zip(struck)
        .map(|(mut g, s)| {
            if s {
                g.text.clear();
            }
            g
        })
        .collect();
    (glyphs, kept)
}

/// Unicode fixed, fake bold removed, spaces dropped (gaps give spaces back where they belong).
pub(super) fn clean(glyphs: &[Glyph], out: &mut PageLayout) -> Vec<G> {
    let mut kept: Vec<G> = Vec::with_capacity(glyphs.len());
    // Buckets of 2 pt for finding a glyph drawn again at nearly the same place.
    let mut seen: std::collections::HashMap<(i64, i64), Vec<usize>> = Default::default();
    for g in glyphs {
        let text = match &g.text {
            Some(t) if t.chars().any(|c| !c.is_control()) => {
                let mut fixed = String::with_capacity(t.len());
                for c in t.chars().filter(|c| !c.is_control()) {
                    match crate::radicals::unified(c) {
                        Some(u) => {
                            out.radicals += 1;
                            fixed.push(u);
                        }
                        None => fixed.push(c),
                    }
                }
                fixed
            }
            _ => {
                out.unmapped.push(g.code);
                "\u{FFFD}".to_string()
            }
        };
        // Also skips a NaN size.
        if g.size.partial_cmp(&0.1) != Some(std::cmp::Ordering::Greater) {
            continue;
        }
        // A drawn space is kept as one space: it marks a space the author typed, which gaps
        // alone cannot tell from spacing between CJK characters.
        let text = if text.chars().all(char::is_whitespace) {
            " ".to_string()
        } else {
            text
        };
        let tol = (0.15 * g.size).max(0.3);
        let key = (
            (g.x0 / 2.0).floor() as i64,
            (g.baseline / 2.0).floor() as i64,
        );
        let mut twin = false;
        'look: for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(list) = seen.get(&(key.0 + dx, key.1 + dy)) {
                    for &i in list {
                        let k = &kept[i];
                        if k.text == text
                            && (k.x0 - g.x0).abs() <= tol
                            && (k.baseline - g.baseline).abs() <= tol
                        {
                            twin = true;
                            break 'look;
                        }
                    }
                }
            }
        }
        if twin {
            out.fake_bold += 1;
            continue;
        }
        seen.entry(key).or_default().push(kept.len());
        kept.push(G {
            text,
            x0: g.x0,
            x1: g.x1,
            baseline: g.baseline,
            size: g.size,
            mcid: g.mcid,
        });
    }
    kept
}
