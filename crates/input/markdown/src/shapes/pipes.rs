//! Pipe rows ([`Shape::Pipes`](jixiao_grid::Shape::Pipes)), with or without the leading `|` and the `|---|` line.

use super::{Reader, clean_inline};
use jixiao_grid::{Cell, Pos, Row, RowKind};

impl Reader<'_> {
    /// Pipe rows, with or without the leading `|` and the `|---|` line.
    pub(super) fn pipes(&mut self) {
        let padded = padded_rows(self.lines);
        let mut i = 0;
        while i < self.lines.len() {
            if let Some(next) = self.common(i) {
                i = next;
                continue;
            }
            let t = self.lines[i].trim();
            if !t.contains('|') {
                self.prose(i);
                i += 1;
                continue;
            }
            if t.chars().all(|c| c == '|' || c.is_whitespace()) || is_delimiter_line(t) {
                i += 1; // colspan residue or the `|---|` line
                continue;
            }
            // A `|`-led row that does not close continues on the next lines until it does.
            let mut end = i + 1;
            if t.starts_with('|') && !t.ends_with('|') {
                while end < self.lines.len() && end - i < 20 {
                    let n = self.lines[end].trim();
                    if n.is_empty() || n.starts_with('|') || self.lines[end].contains('\t') {
                        break;
                    }
                    end += 1;
                    if n.ends_with('|') {
                        break;
                    }
                }
                if !self.lines[end - 1].trim().ends_with('|') {
                    end = i + 1; // never closed: the row is this line alone
                }
            } else if let Some(width) = padded
                && tail_pipes(t) == 1
                && !t.starts_with('|')
                && t.matches('|').count() < width
            {
                // In a text whose rows are padded to the table's width with a run of `|`, a
                // line ending in a single `|` short of that width is a row broken after a cell
                // that held a line break: it continues until the width is reached or a line
                // ends in such a run.
                let mut pipes = t.matches('|').count();
                while end < self.lines.len() && end - i < 20 {
                    let n = self.lines[end].trim();
                    if n.is_empty() || !n.contains('|') || self.lines[end].contains('\t') {
                        break;
                    }
                    end += 1;
                    pipes += n.matches('|').count();
                    if tail_pipes(n) >= 2 || pipes >= width {
                        break;
                    }
                }
                let last = self.lines[end - 1].trim();
                if end == i + 1 || (tail_pipes(last) < 2 && pipes < width) {
                    end = i + 1; // never closed: the row is this line alone
                }
            }
            let cells = split_pipes(&self.lines[i..end], i);
            if !cells.is_empty() {
                self.grid.rows.push(Row::new(RowKind::Table, cells));
            }
            i = end;
        }
    }
}

/// How many `|` close a line after its last text (`甲 | ||||` → 5, `甲 |` → 1).
fn tail_pipes(line: &str) -> usize {
    let body = line.trim_end();
    let text_end = body.trim_end_matches(['|', ' ', '\u{3000}']).len();
    body[text_end..].matches('|').count()
}

/// The table's width in `|` when the text's pipe rows are padded to it: more of its lines with
/// text and a `|` end in a run of two or more `|` (as a table exported cell by cell writes its
/// rows) than in a single one. The width is the most common `|` count of the padded lines.
fn padded_rows(lines: &[&str]) -> Option<usize> {
    let mut open = 0usize;
    let mut widths: Vec<usize> = Vec::new();
    for l in lines {
        let t = l.trim();
        if !t.contains('|') || t.trim_matches(['|', ' ', '\u{3000}']).is_empty() {
            continue;
        }
        match tail_pipes(t) {
            0 => {}
            1 => open += 1,
            _ => widths.push(t.matches('|').count()),
        }
    }
    if widths.len() < 3 || widths.len() <= open {
        return None;
    }
    widths.sort_unstable();
    let mut best = (0usize, 0usize); // (count, width)
    for run in widths.chunk_by(|a, b| a == b) {
        best = best.max((run.len(), run[0]));
    }
    Some(best.1)
}

/// True for a `|---|:---:|` line.
pub(super) fn is_delimiter_line(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.contains('|')
        && t.chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\u{3000}'))
}

/// Splits a pipe row (one line, or a `|`-led row continued over several lines) into cells.
/// Escaped pipes (`\|`) are text. A leading `|` is dropped; trailing empty cells are colspan
/// residue when the row has no leading `|` or they are written as `||`, else (a GFM row
/// `| a | | |`) they are empty cells and kept.
fn split_pipes(lines: &[&str], first: usize) -> Vec<Cell> {
    let mut cells: Vec<(String, Pos)> = Vec::new();
    let mut field = String::new();
    let mut field_pos: Option<Pos> = None;
    let led = lines[0].trim_start().starts_with('|');
    for (k, line) in lines.iter().enumerate() {
        let mut chars = line.chars().enumerate().peekable();
        if k > 0 {
            field.push('\n');
        }
        let mut skipped_lead = false;
        while let Some((n, c)) = chars.next() {
            let pos = Pos::Line {
                line: (first + k) as u32 + 1,
                column: n as u32 + 1,
            };
            if k == 0 && led && !skipped_lead {
                if c.is_whitespace() {
                    continue;
                }
                if c == '|' {
                    skipped_lead = true;
                    continue;
                }
            }
            skipped_lead = true;
            if c == '\\' && chars.peek().is_some_and(|&(_, p)| p == '|') {
                field.push('|');
                field_pos.get_or_insert(pos);
                chars.next();
            } else if c == '|' {
                cells.push((std::mem::take(&mut field), field_pos.take().unwrap_or(pos)));
            } else {
                if !c.is_whitespace() {
                    field_pos.get_or_insert(pos);
                }
                field.push(c);
            }
        }
    }
    let last_line = first + lines.len();
    let end_pos = Pos::Line {
        line: last_line as u32,
        column: lines[lines.len() - 1].chars().count() as u32 + 1,
    };
    let tail_closed = lines[lines.len() - 1].trim_end().ends_with('|');
    if !field.trim().is_empty() || !tail_closed {
        cells.push((field, field_pos.unwrap_or(end_pos)));
    }
    // Trailing residue.
    let body = lines[lines.len() - 1].trim_end();
    let residue_run = body.trim_end_matches(['|', ' ']).len() < body.len()
        && body[body.trim_end_matches(['|', ' ']).len()..].contains("||");
    if !led || residue_run {
        while cells.last().is_some_and(|(t, _)| t.trim().is_empty()) {
            cells.pop();
        }
    }
    cells
        .into_iter()
        .map(|(text, pos)| Cell::new(clean_inline(&text), pos))
        .collect()
}
