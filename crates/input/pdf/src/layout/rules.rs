//! Ruled tables (lattice): border pieces joined into rulings, rulings that meet grouped into
//! tables, and the slots of each table merged into cells by the borders between them.

use super::{Slot, Source, Table};
use crate::interp::Segment;

/// Border pieces this close (points) in their fixed coordinate are on one ruling.
pub(super) const SNAP: f64 = 1.5;
/// Border pieces on one ruling this far apart or closer (points) are joined.
pub(super) const JOIN: f64 = 2.5;
/// Rulings that miss each other by this much or less (points) still meet.
pub(super) const MEET: f64 = 2.5;
/// Row or column boundaries closer than this (points) are one boundary.
pub(super) const MIN_GAP: f64 = 3.0;

/// A ruling: border pieces joined.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ruling {
    at: f64,
    from: f64,
    to: f64,
}

/// Border pieces snapped and joined into horizontal and vertical rulings.
pub(super) fn rulings(segments: &[Segment]) -> (Vec<Ruling>, Vec<Ruling>) {
    let join = |horizontal: bool| {
        let mut pieces: Vec<Ruling> = segments
            .iter()
            .filter(|s| s.horizontal == horizontal && s.to - s.from > 0.5)
            .map(|s| Ruling {
                at: s.at,
                from: s.from,
                to: s.to,
            })
            .collect();
        pieces.sort_by(|a, b| a.at.total_cmp(&b.at));
        // Cluster by the fixed coordinate; each cluster at its mean.
        let mut clusters: Vec<Vec<Ruling>> = Vec::new();
        for p in pieces {
            match clusters.last_mut() {
                Some(c) if p.at - c[c.len() - 1].at <= SNAP => c.push(p),
                _ => clusters.push(vec![p]),
            }
        }
        let mut out = Vec::new();
        for mut c in clusters {
            let at = c.iter().map(|r| r.at).sum::<f64>() / c.len() as f64;
            c.sort_by(|a, b| a.from.total_cmp(&b.from));
            let mut cur: Option<Ruling> = None;
            for r in c {
                match cur.as_mut() {
                    Some(k) if r.from <= k.to + JOIN => k.to = k.to.max(r.to),
                    _ => {
                        if let Some(k) = cur.take() {
                            out.push(k);
                        }
                        cur = Some(Ruling {
                            at,
                            from: r.from,
                            to: r.to,
                        });
                    }
                }
            }
            out.extend(cur);
        }
        out
    };
    (join(true), join(false))
}

fn meets(h: &Ruling, v: &Ruling) -> bool {
    v.at >= h.from - MEET && v.at <= h.to + MEET && h.at >= v.from - MEET && h.at <= v.to + MEET
}

/// Positions closer than [`MIN_GAP`] made one (their mean), sorted.
fn boundaries(mut at: Vec<f64>) -> Vec<f64> {
    at.sort_by(f64::total_cmp);
    let mut groups: Vec<Vec<f64>> = Vec::new();
    for a in at {
        match groups.last_mut() {
            Some(g) if a - g[g.len() - 1] < MIN_GAP => g.push(a),
            _ => groups.push(vec![a]),
        }
    }
    groups
        .into_iter()
        .map(|g| g.iter().sum::<f64>() / g.len() as f64)
        .collect()
}

/// Tables: groups of rulings that meet, with at least two rulings each way.
pub(super) fn find_tables(hs: &[Ruling], vs: &[Ruling]) -> Vec<Table> {
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if meets(h, v) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, hs.len() + j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Ruling>, Vec<Ruling>)> =
        Default::default();
    for (i, h) in hs.iter().enumerate() {
        groups.entry(root(&mut parent, i)).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        groups
            .entry(root(&mut parent, hs.len() + j))
            .or_default()
            .1
            .push(*v);
    }
    let mut tables = Vec::new();
    for (_, (h, v)) in groups {
        if h.len() < 2 || v.len() < 2 {
            continue;
        }
        let ys = boundaries(h.iter().map(|r| r.at).collect());
        let xs = boundaries(v.iter().map(|r| r.at).collect());
        if ys.len() < 2 || xs.len() < 2 {
            continue;
        }
        let slots = cells(&xs, &ys, &h, &v);
        tables.push(Table {
            xs,
            ys,
            slots,
            source: Source::Ruled,
        });
    }
    tables.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    tables
}

/// How much of `[a, b]` the rulings near `at` cover, as a share of its length.
fn covered(rulings: &[Ruling], at: f64, a: f64, b: f64) -> bool {
    let len = b - a;
    if len <= 0.0 {
        return true;
    }
    let mut spans: Vec<(f64, f64)> = rulings
        .iter()
        .filter(|r| (r.at - at).abs() <= MIN_GAP)
        .map(|r| (r.from.max(a), r.to.min(b)))
        .filter(|(x, y)| y > x)
        .collect();
    spans.sort_by(|p, q| p.0.total_cmp(&q.0));
    let mut total = 0.0;
    let mut end = a;
    for (x, y) in spans {
        let x = x.max(end);
        if y > x {
            total += y - x;
            end = y;
        }
    }
    total >= 0.5 * len
}

/// The cells of a table: each slot's borders decide which slots are one cell.
fn cells(xs: &[f64], ys: &[f64], hs: &[Ruling], vs: &[Ruling]) -> Vec<Vec<Slot>> {
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    // v_border[r][k]: a border at xs[k] along row r; h_border[k][c]: at ys[k] along column c.
    let v_border: Vec<Vec<bool>> = (0..rows)
        .map(|r| {
            (0..=cols)
                .map(|k| covered(vs, xs[k], ys[r], ys[r + 1]))
                .collect()
        })
        .collect();
    let h_border: Vec<Vec<bool>> = (0..=rows)
        .map(|k| {
            (0..cols)
                .map(|c| covered(hs, ys[k], xs[c], xs[c + 1]))
                .collect()
        })
        .collect();
    let mut slots: Vec<Vec<Option<Slot>>> = vec![vec![None; cols]; rows];
    for r in 0..rows {
        for c in 0..cols {
            if slots[r][c].is_some() {
                continue;
            }
            let mut c_end = c;
            while c_end + 1 < cols && !v_border[r][c_end + 1] && slots[r][c_end + 1].is_none() {
                c_end += 1;
            }
            let mut r_end = r;
            while r_end + 1 < rows
                && (c..=c_end).all(|k| !h_border[r_end + 1][k] && slots[r_end + 1][k].is_none())
                && (c + 1..=c_end).all(|k| !v_border[r_end + 1][k])
            {
                r_end += 1;
            }
            for (rr, row) in slots.iter_mut().enumerate().take(r_end + 1).skip(r) {
                for (cc, slot) in row.iter_mut().enumerate().take(c_end + 1).skip(c) {
                    *slot = Some(if rr == r && cc == c {
                        Slot::Origin {
                            text: String::new(),
                            rows: r_end - r + 1,
                            cols: c_end - c + 1,
                        }
                    } else {
                        Slot::Covered { row: r, col: c }
                    });
                }
            }
        }
    }
    slots
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|s| s.unwrap_or(Slot::Covered { row: 0, col: 0 }))
                .collect()
        })
        .collect()
}
