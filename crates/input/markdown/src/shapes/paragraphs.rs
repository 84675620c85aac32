//! One cell per paragraph ([`Shape::CellPerParagraph`](jixiao_grid::Shape::CellPerParagraph)).

use super::{Reader, clean_inline, is_furniture};
use jixiao_grid::{Cell, Row, RowKind};

impl Reader<'_> {
    /// One cell per paragraph: a stream of one-cell rows, in order. A paragraph of spaces is
    /// an empty cell; a paragraph of several lines is one cell with line breaks.
    pub(super) fn cell_per_paragraph(&mut self) {
        for (start, end) in paragraphs(self.lines) {
            let text: Vec<&str> = self.lines[start..end].iter().map(|l| l.trim()).collect();
            let joined = text.join("\n");
            if end - start == 1 && is_furniture(self.lines[start]) {
                self.furniture(start);
                continue;
            }
            let column = self.lines[start]
                .chars()
                .take_while(|c| c.is_whitespace())
                .count() as u32
                + 1;
            let cell = Cell::new(clean_inline(&joined), self.pos(start, column));
            self.grid.rows.push(Row::new(RowKind::Table, vec![cell]));
        }
    }
}

/// Paragraphs: runs of lines between empty lines, as `(first, end)` line ranges. A line of
/// spaces is not empty: it is a paragraph of its own (an empty cell).
pub(super) fn paragraphs(lines: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if lines[i].is_empty() {
            i += 1;
            continue;
        }
        let start = i;
        if lines[i].trim().is_empty() {
            out.push((i, i + 1));
            i += 1;
            continue;
        }
        while i < lines.len() && !lines[i].trim().is_empty() {
            i += 1;
        }
        out.push((start, i));
    }
    out
}
