//! Cells separated by single spaces, as rows ([`Shape::SingleSpace`](jixiao_grid::Shape::SingleSpace)) or as one stream ([`Shape::SpaceStream`](jixiao_grid::Shape::SpaceStream)).

use super::{Reader, clean_inline};
use jixiao_grid::{Cell, Row, RowKind};

impl Reader<'_> {
    /// Cells separated by single spaces.
    pub(super) fn single_space(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            if let Some(next) = self.common(i) {
                i = next;
                continue;
            }
            let line = self.lines[i];
            let mut cells = Vec::new();
            for (column, field) in single_space_cells(line) {
                cells.push(Cell::new(clean_inline(field), self.pos(i, column)));
            }
            let kind = if cells.len() > 1 {
                RowKind::Table
            } else {
                RowKind::Text
            };
            if !cells.is_empty() {
                self.grid.rows.push(Row::new(kind, cells));
            }
            i += 1;
        }
    }

    /// Every cell of every line, separated by single spaces, as a stream of one-cell rows
    /// (a table run together on one line).
    pub(super) fn space_stream(&mut self) {
        let mut i = 0;
        while i < self.lines.len() {
            if let Some(next) = self.common(i) {
                i = next;
                continue;
            }
            for (column, field) in single_space_cells(self.lines[i]) {
                let cell = Cell::new(clean_inline(field), self.pos(i, column));
                self.grid.rows.push(Row::new(RowKind::Table, vec![cell]));
            }
            i += 1;
        }
    }
}

/// The cells of a line whose cells are separated by single spaces, each with its 1-based
/// character column. A space inside brackets is part of the cell (`数量( ≥**个 )`, a template
/// hint with spaces around its blank): a bracket opened in a cell keeps the cell going to the
/// bracket that closes it; one never closed separates nothing.
pub(super) fn single_space_cells(line: &str) -> Vec<(u32, &str)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start: Option<(usize, u32)> = None; // (byte, column) of the cell being read
    for (column, (b, c)) in (1u32..).zip(line.char_indices()) {
        let space = c == ' ' || c == '\u{3000}';
        if space && depth <= 0 {
            if let Some((s, col)) = start.take() {
                out.push((col, &line[s..b]));
            }
            depth = 0;
            continue;
        }
        if start.is_none() && !space {
            start = Some((b, column));
        }
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth -= 1,
            _ => {}
        }
    }
    if let Some((s, col)) = start {
        let rest = line[s..].trim_end();
        if depth > 0 {
            // Never closed: no bracketed hint, the spaces separate cells after all.
            let mut column = col;
            for field in rest.split([' ', '\u{3000}']) {
                if !field.is_empty() {
                    out.push((column, field));
                }
                column += field.chars().count() as u32 + 1;
            }
        } else {
            out.push((col, rest));
        }
    }
    out
}
