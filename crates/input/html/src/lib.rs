//! HTML pages (and `<table>` blocks inside Markdown) read into a [`Grid`].
//!
//! One page gives one grid, in document order:
//!
//! - every `<table>` gives its rows, `rowspan`/`colspan` expanded: each cell goes to the first
//!   free slot of its row; the origin carries `row_span`/`col_span`; every other slot of the
//!   range is a [`Cell::covered`](jixiao_grid::Cell::covered) cell (`Above` in the rows below the origin, `Left` on its own
//!   row) with the origin's position. A `<caption>` comes first, as text rows;
//! - a table nested in a cell is **not** mixed into the outer one: the outer cell keeps its own
//!   text, and the nested table's rows follow the outer table's rows as a table of their own
//!   (so a form inside a layout table is read like any other form), reported as I323;
//! - text outside tables (`<h1>`, `<p>`, bare text) gives one-cell [`RowKind::Text`](jixiao_grid::RowKind::Text) rows, one
//!   per line as the page shows it: block elements and `<br>` end lines;
//! - in cell text, `<br>` and block elements (`<p>`, `<div>`) are line breaks (`\n`), runs of
//!   spaces and newlines in the source are one space (as a browser shows them), `&nbsp;` is a
//!   space and entities are decoded;
//! - `<head>`, `<script>`, `<style>` and `<template>` are not content.
//!
//! Positions are `Pos::Line` of each cell's start tag (`<td`), of each text line's first
//! character, and in Markdown they are the file's lines: see the `source` module for how they
//! are found without help from the parser. Covered slots and empty slots of a row take the
//! position of a cell of their row.
//!
//! Bad HTML never panics. Unclosed tags are closed as a browser would (html5ever). Spans are
//! read as browsers read them and every correction is reported (I320–I322); an empty table
//! (I324) or a page without any table (I325) is reported too.
//!
//! ```
//! use jixiao_grid::{Covered, Pos};
//! let html = "<h1>项目支出绩效目标表</h1>\n<table>\n<tr><td rowspan=2>产出指标</td><td>数量指标</td></tr>\n<tr><td>质量指标</td></tr>\n</table>";
//! let page = jixiao_html::read(html, &jixiao_html::Options::default());
//! let rows = &page.grid.rows;
//! assert_eq!(rows[0].cells[0].text, "项目支出绩效目标表");
//! assert_eq!(rows[1].cells[0].row_span, 2);
//! assert_eq!(rows[2].cells[0].covered, Some(Covered::Above));
//! assert_eq!(rows[2].cells[1].text, "质量指标");
//! assert_eq!(rows[2].cells[1].pos, Pos::Line { line: 4, column: 5 });
//! assert!(page.diagnostics.is_empty());
//! ```

mod charset;
mod sniff;
mod source;
mod walk;

pub use charset::{declared_charset, decode};
pub use sniff::looks_like_html;

pub use jixiao_diagnostics::Warned;
use jixiao_diagnostics::{Code, Diagnostic};
use jixiao_grid::{Grid, Pos};
use scraper::Html;
use source::Locator;
use walk::Reader;

/// The widest a table may be; wider spans are clamped (HTML itself caps `colspan` at 1000).
pub const MAX_COLUMNS: usize = 1000;

/// How many slots merged ranges may cover in one page; beyond it spans are dropped (reported),
/// so that a page of huge spans cannot exhaust memory.
pub const MAX_COVERED: usize = 1_000_000;

/// Where the HTML comes from.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The file as the user named it, for the grid and every diagnostic.
    pub file: Option<&'a str>,
    /// The line of the file on which the HTML text starts (1 for a whole file; later for a
    /// `<table>` block inside Markdown).
    pub first_line: u32,
    /// The column (in characters) of that line at which the HTML text starts.
    pub first_column: u32,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            file: None,
            first_line: 1,
            first_column: 1,
        }
    }
}

/// A page read: its grid and what the reader had to correct or could not read.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The rows of the page.
    pub grid: Grid,
    /// Input problems (I3xx), in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads the tables and text of an HTML page (already decoded: see [`decode`]). Never fails.
pub fn read(html: &str, options: &Options) -> Page {
    let mut reader = Reader {
        loc: Locator::new(html, options.first_line.max(1), options.first_column.max(1)),
        file: options.file,
        rows: Vec::new(),
        diags: Vec::new(),
        covered_budget: MAX_COVERED,
        tables: 0,
    };
    // Tables nested thousands deep (unclosed <table><tr><td> over and over) cost the HTML
    // parser time growing with the square of the depth: the page is read up to the table that
    // goes too deep, and the rest is reported, before anything is parsed.
    let (html, cut) = within_nesting(html);
    let dom = Html::parse_document(html);
    reader.page(dom.root_element());
    if let Some(at) = cut {
        // After the page: positions are looked up in document order.
        let loc = reader.location(reader.loc.pos(at));
        reader.diags.push(Diagnostic::new(
            Code::I327,
            format!(
                "表格嵌套超过 {MAX_TABLE_NESTING} 层，从此处起的内容未读取（常见于未闭合的 <table>）；请在浏览器或 Word 中打开后重新保存，或只保留绩效目标表"
            ),
            loc,
        ));
    }
    if reader.tables == 0 {
        let pos = Pos::Line {
            line: options.first_line.max(1),
            column: options.first_column.max(1),
        };
        let loc = reader.location(pos);
        reader.diags.push(Diagnostic::new(
            Code::I325,
            "网页中没有表格（<table>），只读取了其中的文字",
            loc,
        ));
    }
    let mut grid = Grid::new(options.file.map(str::to_string), None);
    grid.rows = reader.rows;
    Page {
        grid,
        diagnostics: reader.diags,
    }
}

/// The deepest tables may nest (`<table>` tags open at once); a form nests two or three.
pub const MAX_TABLE_NESTING: usize = 64;

/// `html` up to the `<table>` tag that would open more than [`MAX_TABLE_NESTING`] tables at
/// once (counting `</table>` as closing one), and that tag's byte offset; the whole text and
/// `None` when it stays within. One pass over the bytes. Counting tags overestimates nesting
/// only for unclosed tables side by side, which no saved page has in the dozens.
fn within_nesting(html: &str) -> (&str, Option<usize>) {
    let bytes = html.as_bytes();
    let tag_at = |i: usize, name: &[u8]| {
        bytes.len() >= i + name.len()
            && bytes[i..i + name.len()].eq_ignore_ascii_case(name)
            && bytes
                .get(i + name.len())
                .is_none_or(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/')
    };
    let mut depth = 0usize;
    for (i, _) in bytes.iter().enumerate().filter(|&(_, &b)| b == b'<') {
        if tag_at(i, b"<table") {
            depth += 1;
            if depth > MAX_TABLE_NESTING {
                return (&html[..i], Some(i));
            }
        } else if tag_at(i, b"</table") {
            depth = depth.saturating_sub(1);
        }
    }
    (html, None)
}

#[cfg(test)]
mod tests;
