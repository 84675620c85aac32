//! The other shapes a table takes once it reaches plain text, each read into a [`Grid`] of its
//! own: a text does not say which shape it is in, so [`readings`](crate::readings) proposes one
//! grid per shape the text shows signs of, and the recognizer keeps the reading the form
//! explains best. Only format knowledge lives here (where cells and rows begin and end), never
//! form knowledge (which cell is a label or a value).
//!
//! Every reading other than [`Shape::Plain`] also drops the page furniture that pages copied
//! from a government web site carry before and after the table: breadcrumbs
//! (`当前位置：首页 > …`), `索引号` / `发布机构` / `发布日期` / `来源` lines, `【打印本页】`, and
//! `<image>…</image>` or `![](…)` lines. Each dropped line is reported (I340).
//!
//! The hard part is the fixed-width shape ([`Shape::Spaces`]): cells are separated by runs of
//! spaces, a row that lost its merged first cells is indented instead, and a cell too wide for
//! its column wraps onto the next line, which then holds only the tail (`经济效益` / `指标`).
//! Columns are measured in display width (a Chinese character is two columns wide, as in the
//! monospace layout the text was made in): the line of a block with the most cells gives the
//! column starts, an indented line gets one empty cell per column start left of its first
//! cell, and a line holding one cell that starts where a cell of the line above starts is that
//! cell's tail (I341).

mod bar_separated;
mod cell_per_line;
mod fixed_width;
mod furniture;
mod paragraphs;
mod pipes;
mod single_space;
#[cfg(test)]
mod tests;

use super::{clean_inline, html_block_end, prose_rows, split_row, table_tags};
use fixed_width::space_cells;
use furniture::is_furniture;
use jixiao_diagnostics::{Diagnostic, Location};
use jixiao_grid::{Cell, Grid, Pos, Row, RowKind, Shape};
use paragraphs::paragraphs;
use pipes::is_delimiter_line;
use single_space::single_space_cells;

/// A text read in one shape: its grid and the reader's diagnostics.
pub(crate) type Page = jixiao_html::Page;

/// Lines of a text, without line ends.
pub(crate) fn lines(text: &str) -> Vec<&str> {
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// Which shapes other than [`Shape::Plain`] the text shows signs of, in a fixed order.
pub(crate) fn proposed(lines: &[&str]) -> Vec<Shape> {
    let mut out = Vec::new();
    let plain_lines = || {
        lines
            .iter()
            .filter(|l| !l.trim().is_empty() && !l.contains('\t') && !l.contains('|'))
    };
    // Pipes: a line with a pipe between text (pipe rows without a leading `|`), a `|`-led row
    // that does not close, or `|`-led rows without the `|---|` line.
    let inner_pipe = lines
        .iter()
        .filter(|l| {
            let t = l.trim();
            t.contains('|') && !t.starts_with('|') && t.trim_matches(['|', ' ']).contains(" |")
        })
        .count();
    let unclosed = lines
        .iter()
        .filter(|l| {
            let t = l.trim();
            t.len() > 1 && t.starts_with('|') && !t.ends_with('|')
        })
        .count();
    let led = lines
        .iter()
        .filter(|l| l.trim().len() > 1 && l.trim().starts_with('|'))
        .count();
    let delimiter = lines.iter().any(|l| is_delimiter_line(l));
    if inner_pipe >= 2 || unclosed >= 1 || (led >= 2 && !delimiter) {
        out.push(Shape::Pipes);
    }
    let bars = lines.iter().filter(|l| l.trim() == "|").count();
    let closed = lines
        .iter()
        .filter(|l| l.trim().ends_with(" |") && l.trim().len() > 2)
        .count();
    if bars >= 2 && closed >= 3 {
        out.push(Shape::CellPerLine);
    }
    // Lone bars between cells that do not close with ` |`: the bars separate cells.
    if bars >= 5 && closed < 3 {
        out.push(Shape::BarSeparated);
    }
    let paragraphs = paragraphs(lines);
    let one_line = paragraphs.iter().filter(|p| p.1 - p.0 == 1).count();
    if paragraphs.len() >= 8 && one_line * 10 >= paragraphs.len() * 9 {
        out.push(Shape::CellPerParagraph);
    }
    // Lines already in a table shape (TAB rows, `|`-led rows): the space shapes are only
    // proposed for texts mostly outside them.
    let tabled = lines
        .iter()
        .filter(|l| l.contains('\t') || l.trim_start().starts_with('|'))
        .count();
    let runs = plain_lines()
        .filter(|l| space_cells(l).iter().filter(|c| !c.1.is_empty()).count() >= 2)
        .count();
    if runs >= 3 && runs > tabled {
        out.push(Shape::Spaces);
    }
    let singles = plain_lines()
        .filter(|l| {
            let t = l.trim();
            t.split([' ', '\u{3000}']).filter(|s| !s.is_empty()).count() >= 2
                && space_cells(l).len() <= 1
        })
        .count();
    if singles >= 3 && singles > tabled {
        out.push(Shape::SingleSpace);
    }
    // A whole table on one line: far more single-space cells on a line than any row has.
    if plain_lines().any(|l| single_space_cells(l).len() >= STREAM_LINE_CELLS) {
        out.push(Shape::SpaceStream);
    }
    out
}

/// A line with this many cells separated by single spaces is a table run together, not a
/// row (the widest real rows — a 自评表 with 中期 and 年度 columns — have about fifteen).
const STREAM_LINE_CELLS: usize = 40;

/// Reads `lines` in one shape other than [`Shape::Plain`].
pub(crate) fn read_shape(lines: &[&str], file: Option<&str>, shape: Shape) -> Page {
    let mut r = Reader {
        lines,
        file,
        grid: Grid::new(file.map(str::to_string), None),
        diagnostics: Vec::new(),
    };
    match shape {
        Shape::Plain => {}
        Shape::Pipes => r.pipes(),
        Shape::CellPerLine => r.cell_per_line(),
        Shape::CellPerParagraph => r.cell_per_paragraph(),
        Shape::BarSeparated => r.bar_separated(),
        Shape::Spaces => r.spaces(),
        Shape::SingleSpace => r.single_space(),
        Shape::SpaceStream => r.space_stream(),
    }
    Page {
        grid: r.grid,
        diagnostics: r.diagnostics,
    }
}

struct Reader<'a> {
    lines: &'a [&'a str],
    file: Option<&'a str>,
    grid: Grid,
    diagnostics: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn pos(&self, i: usize, column: u32) -> Pos {
        Pos::Line {
            line: i as u32 + 1,
            column,
        }
    }

    fn location(&self, i: usize) -> Location {
        Location::line(self.file, i as u32 + 1, 1)
    }

    /// Handles what every shape reads alike: blank lines (skipped), page furniture (dropped
    /// and reported), `<table>` blocks (HTML reader) and TAB rows. Returns the next line to
    /// read, or `None` when line `i` is for the shape to read.
    fn common(&mut self, i: usize) -> Option<usize> {
        let line = self.lines[i];
        if line.trim().is_empty() {
            return Some(i + 1);
        }
        if is_furniture(line) {
            self.furniture(i);
            return Some(i + 1);
        }
        if table_tags(line).0 > 0 {
            let end = html_block_end(self.lines, i);
            let block = self.lines[i..end].join("\n");
            let options = jixiao_html::Options {
                file: self.file,
                first_line: i as u32 + 1,
                first_column: 1,
            };
            let mut page = jixiao_html::read(&block, &options);
            self.grid.rows.append(&mut page.grid.rows);
            self.diagnostics.append(&mut page.diagnostics);
            return Some(end);
        }
        if line.contains('\t') {
            self.grid
                .rows
                .push(Row::new(RowKind::Table, split_row(line, '\t', i)));
            return Some(i + 1);
        }
        None
    }

    fn prose(&mut self, i: usize) {
        self.grid.rows.extend(prose_rows(&self.lines[i..=i], i));
    }

    fn stream_cell(&mut self, text: &str, pos: Pos) {
        let cell = Cell::new(clean_inline(text), pos);
        self.grid.rows.push(Row::new(RowKind::Table, vec![cell]));
    }

    fn push_row(&mut self, cells: Vec<Cell>) {
        if !cells.is_empty() {
            self.grid.rows.push(Row::new(RowKind::Table, cells));
        }
    }
}
