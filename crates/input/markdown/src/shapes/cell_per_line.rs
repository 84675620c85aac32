//! One cell per line ending in ` |` ([`Shape::CellPerLine`](jixiao_grid::Shape::CellPerLine)).

use super::{Reader, clean_inline, is_furniture};
use jixiao_grid::{Cell, Pos};

impl Reader<'_> {
    /// One cell per line ending in ` |`; a lone `|` line starts each row.
    pub(super) fn cell_per_line(&mut self) {
        let mut row: Option<Vec<Cell>> = None;
        let mut pending: Option<(String, Pos)> = None;
        let mut i = 0;
        while i < self.lines.len() {
            let t = self.lines[i].trim();
            if t == "|" || is_pipes_only(t) {
                // A lone `|` ends the row; so do `||||`, `| |||`: the empty cells at the end
                // of a row (the next `|` then starts no empty row).
                if let Some((text, pos)) = pending.take() {
                    row.get_or_insert_with(Vec::new)
                        .push(Cell::new(clean_inline(&text), pos));
                }
                if let Some(cells) = row.replace(Vec::new()) {
                    self.push_row(cells);
                }
                i += 1;
                continue;
            }
            if row.is_none() || t.is_empty() || is_furniture(t) {
                match self.common(i) {
                    Some(next) => i = next,
                    None => {
                        self.prose(i);
                        i += 1;
                    }
                }
                continue;
            }
            let column = self.lines[i]
                .chars()
                .take_while(|c| c.is_whitespace())
                .count() as u32
                + 1;
            let (text, closed) = match t.strip_suffix('|') {
                // `3500 | ||`: the pipes after the text close this cell and the empty cells
                // after it; none of them is text (an escaped `\|` is).
                Some(_) => (strip_pipe_residue(t), true),
                None => (t, false),
            };
            let entry = pending.get_or_insert_with(|| (String::new(), self.pos(i, column)));
            if !entry.0.is_empty() {
                entry.0.push('\n');
            }
            entry.0.push_str(text);
            if closed && let Some((text, pos)) = pending.take() {
                row.get_or_insert_with(Vec::new)
                    .push(Cell::new(clean_inline(&text), pos));
            }
            i += 1;
        }
        if let Some((text, pos)) = pending.take() {
            row.get_or_insert_with(Vec::new)
                .push(Cell::new(clean_inline(&text), pos));
        }
        if let Some(cells) = row {
            self.push_row(cells);
        }
    }
}

/// True for a line of only pipes and spaces with at least two pipes (`||||`, `| |||`).
fn is_pipes_only(t: &str) -> bool {
    t.chars().filter(|&c| c == '|').count() >= 2 && t.chars().all(|c| c == '|' || c.is_whitespace())
}

/// A cell's text without the pipes (and spaces) after it: `3500 | ||` → `3500`. An escaped
/// pipe (`\|`) at the end is text and stays.
pub(super) fn strip_pipe_residue(t: &str) -> &str {
    let mut end = t.len();
    loop {
        let rest = t[..end].trim_end();
        match rest.strip_suffix('|') {
            Some(before) if !before.ends_with('\\') => end = before.len(),
            _ => return rest,
        }
    }
}
