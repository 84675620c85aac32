//! Glyphs to text: glyphs put into their cells, sorted into lines, joined into a cell's text
//! (where a line break is the author's), and the free glyphs as lines of chunks.

use super::{Chunk, G, Line, Slot, Table};

/// Puts each glyph into the cell holding its centre and composes the cells' texts.
pub(super) fn fill(table: &mut Table, glyphs: Vec<G>) {
    let rows = table.ys.len() - 1;
    let cols = table.xs.len() - 1;
    let mut per_cell: Vec<Vec<G>> = vec![Vec::new(); rows * cols];
    for g in glyphs {
        let (cx, cy) = g.centre();
        let r = table.ys.partition_point(|&y| y <= cy).clamp(1, rows) - 1;
        let c = table.xs.partition_point(|&x| x <= cx).clamp(1, cols) - 1;
        let (r, c) = match table.slots[r][c] {
            Slot::Covered { row, col } => (row, col),
            Slot::Origin { .. } => (r, c),
        };
        per_cell[r * cols + c].push(g);
    }
    for (i, glyphs) in per_cell.into_iter().enumerate() {
        if glyphs.is_empty() {
            continue;
        }
        let (r, c) = (i / cols, i % cols);
        if let Slot::Origin { text, .. } = &mut table.slots[r][c] {
            *text = compose(glyphs);
        }
    }
}

/// True for characters between which a PDF never means a space: CJK ideographs, kana, hangul,
/// CJK and full-width punctuation.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3190..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Glyphs sorted into lines by baseline, each line left to right.
fn into_lines(mut glyphs: Vec<G>) -> Vec<Vec<G>> {
    glyphs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut lines: Vec<Vec<G>> = Vec::new();
    let mut base = f64::NEG_INFINITY;
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if g.baseline - base <= 0.5 * g.size => line.push(g),
            _ => {
                base = g.baseline;
                lines.push(vec![g]);
            }
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// Joins glyphs of one line: a drawn space is one space; otherwise a space only between
/// non-CJK glyphs apart by more than a quarter em.
fn join_line(line: &[G]) -> String {
    let mut text = String::new();
    let mut prev: Option<&G> = None;
    let mut space = false;
    for g in line {
        if g.text == " " {
            space = prev.is_some();
            continue;
        }
        if g.text.is_empty() {
            // Struck out: holds its place only.
            prev = Some(g);
            continue;
        }
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            let a = p.text.chars().last().unwrap_or(' ');
            let b = g.text.chars().next().unwrap_or(' ');
            if space || (gap > 0.25 * g.size.max(p.size) && !is_cjk(a) && !is_cjk(b)) {
                text.push(' ');
            }
        }
        space = false;
        text.push_str(&g.text);
        prev = Some(g);
    }
    text
}

/// A cell's text. A PDF does not say whether a line of a cell ends because the writer wrapped
/// it or because the author broke it, and writers wrap differently (at the edge, or balancing
/// the lines of a centred cell, as jixiao's own does). Lines are therefore joined — CJK without
/// a separator, words with a space — unless the line ends a sentence (`。！？`) or
/// the next starts an item (`2、`, `（2）`, `目标2`, `二、`): there the author's break is kept
/// as `\n`.
pub(super) fn compose(glyphs: Vec<G>) -> String {
    let lines = into_lines(glyphs);
    let mut text = String::new();
    // A line that ends with a drawn space was wrapped there: the space stays, no break.
    let mut spaced = false;
    for line in &lines {
        let s = join_line(line);
        if s.is_empty() {
            continue;
        }
        if let Some(last) = text.chars().last() {
            let first = s.chars().next().unwrap_or(' ');
            if spaced {
                text.push(' ');
            } else if ends_clause(last) || starts_item(&s) {
                text.push('\n');
            } else if !is_cjk(last)
                && !is_cjk(first)
                && last.is_alphanumeric()
                && first.is_alphanumeric()
            {
                text.push(' ');
            }
        }
        text.push_str(&s);
        spaced = line.last().is_some_and(|g| g.text == " ");
    }
    text.trim().to_string()
}

/// Sentence ends after which a line break is the author's. Clause marks (`：；`) are not:
/// writers wrap after them as anywhere (`目标2:` / `稳步提高…`), and labels broken after them
/// (`其中：` / `财政拨款`) read the same joined.
fn ends_clause(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

/// `2、` `2.` `2）` `（2）` `(2)` `目标2` `二、` `①` at the start of a line.
pub(super) fn starts_item(s: &str) -> bool {
    let s = s.strip_prefix("目标").unwrap_or(s);
    let s = s.strip_prefix(['（', '(']).unwrap_or(s);
    if s.starts_with(|c: char| ('\u{2460}'..='\u{2473}').contains(&c)) {
        return true;
    }
    let digits = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .count();
    digits > 0
        && s.chars()
            .nth(digits)
            .is_some_and(|c| matches!(c, '、' | '.' | '．' | '）' | ')' | ':' | '：'))
}

/// The free glyphs as lines of chunks.
pub(super) fn lines(glyphs: Vec<G>) -> Vec<Line> {
    into_lines(glyphs)
        .into_iter()
        .map(|line| {
            let size = line.iter().map(|g| g.size).fold(0.0, f64::max);
            let top = line
                .iter()
                .map(|g| g.baseline - g.size)
                .fold(f64::INFINITY, f64::min);
            let mut chunks: Vec<Vec<G>> = Vec::new();
            for g in line {
                match chunks.last_mut() {
                    Some(c) if g.x0 - c[c.len() - 1].x1 <= 1.5 * g.size => c.push(g),
                    _ if g.text == " " => {}
                    _ => chunks.push(vec![g]),
                }
            }
            for c in &mut chunks {
                while c.len() > 1 && c[c.len() - 1].text == " " {
                    c.pop();
                }
            }
            Line {
                chunks: chunks
                    .iter()
                    .map(|c| Chunk {
                        text: join_line(c),
                        x0: c[0].x0,
                        x1: c[c.len() - 1].x1,
                    })
                    .filter(|c| !c.text.is_empty())
                    .collect(),
                top,
                size,
            }
        })
        .filter(|l| !l.chunks.is_empty())
        .collect()
}
