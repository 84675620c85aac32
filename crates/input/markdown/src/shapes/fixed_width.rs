//! Cells separated by runs of spaces in a fixed-width layout ([`Shape::Spaces`](jixiao_grid::Shape::Spaces)): indents and wrapped cells.

use super::{Reader, clean_inline, is_furniture};
use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::{Cell, Row, RowKind};
use unicode_width::UnicodeWidthStr;

impl Reader<'_> {
    /// Cells separated by runs of two or more spaces (fixed-width layout).
    pub(super) fn spaces(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            if self.lines[i].trim().is_empty() || self.lines[i].contains('\t') {
                i = self.common(i).unwrap_or(i + 1);
                continue;
            }
            // A block: consecutive non-blank lines without TABs.
            let start = i;
            while i < self.lines.len()
                && !self.lines[i].trim().is_empty()
                && !self.lines[i].contains('\t')
            {
                i += 1;
            }
            self.space_block(start, i);
        }
    }

    pub(super) fn space_block(&mut self, start: usize, end: usize) {
        let split: Vec<Vec<(usize, &str)>> = (start..end)
            .map(|k| {
                if is_furniture(self.lines[k]) {
                    Vec::new()
                } else {
                    space_cells(self.lines[k])
                }
            })
            .collect();
        // The first line with the most cells gives the column starts.
        let widest = split
            .iter()
            .min_by_key(|c| std::cmp::Reverse(c.len()))
            .cloned()
            .unwrap_or_default();
        let anchors: Vec<usize> = widest.iter().map(|c| c.0).collect();
        // The row each line became, with the display column of each of its cells.
        let mut last: Option<(usize, Vec<usize>)> = None;
        for (k, cells) in (start..end).zip(split) {
            if cells.is_empty() {
                if is_furniture(self.lines[k]) {
                    self.furniture(k);
                }
                continue;
            }
            let line = self.lines[k];
            let starts_col = |w: usize| column_of(line, w);
            if cells.len() == 1 {
                let (w, text) = cells[0];
                // The tail of a cell of the line above that wrapped.
                if w > 0
                    && let Some((row_index, cols)) = &last
                    && let Some(c) = cols.iter().position(|&c| c.abs_diff(w) <= 1)
                {
                    let row = &mut self.grid.rows[*row_index];
                    let head = row.cells[c].text.clone();
                    row.cells[c].text.push_str(text);
                    self.diagnostics.push(Diagnostic::new(
                        Code::I341,
                        format!(
                            "第 {} 行只有“{text}”，是上一行“{head}”在等宽排版中折行的后半，已合并为“{head}{text}”",
                            k + 1
                        ),
                        Location::line(self.file, k as u32 + 1, starts_col(w)),
                    ));
                    continue;
                }
                let cell = Cell::new(clean_inline(text), self.pos(k, starts_col(w)));
                self.grid.rows.push(Row::new(RowKind::Text, vec![cell]));
                last = None;
                continue;
            }
            let indent = cells[0].0;
            let blanks = anchors.iter().filter(|&&a| a + 1 < indent).count();
            let mut row_cells = Vec::new();
            let mut cols = Vec::new();
            for &a in anchors.iter().take(blanks) {
                row_cells.push(Cell::new("", self.pos(k, starts_col(a.min(indent)))));
                cols.push(usize::MAX);
            }
            for (w, text) in &cells {
                row_cells.push(Cell::new(clean_inline(text), self.pos(k, starts_col(*w))));
                cols.push(*w);
            }
            self.grid.rows.push(Row::new(RowKind::Table, row_cells));
            last = Some((self.grid.rows.len() - 1, cols));
        }
    }
}

/// The 1-based character column at which display column `w` of `line` starts.
fn column_of(line: &str, w: usize) -> u32 {
    let mut width = 0;
    for (n, c) in line.chars().enumerate() {
        if width >= w {
            return n as u32 + 1;
        }
        width += c.to_string().width();
    }
    line.chars().count() as u32 + 1
}

/// The cells of a line split at runs of two or more spaces (or one ideographic space), each
/// with the display column it starts at.
pub(super) fn space_cells(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut width = 0usize;
    let mut cell_start: Option<(usize, usize)> = None; // (byte, display column)
    let mut gap = 0usize; // spaces seen since the last text character
    let mut last_text_end = 0usize;
    for (b, c) in line.char_indices() {
        let w = c.to_string().width();
        if c == ' ' || c == '\u{3000}' {
            gap += if c == ' ' { 1 } else { 2 };
        } else {
            if let Some((s, col)) = cell_start
                && gap >= 2
            {
                out.push((col, line[s..last_text_end].trim()));
                cell_start = None;
            }
            if cell_start.is_none() {
                cell_start = Some((b, width));
            }
            gap = 0;
            last_text_end = b + c.len_utf8();
        }
        width += w;
    }
    if let Some((s, col)) = cell_start {
        out.push((col, line[s..last_text_end].trim()));
    }
    out
}
