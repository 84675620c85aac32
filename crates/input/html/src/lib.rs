//! HTML pages (and `<table>` blocks inside Markdown) read into a [`Grid`].
//!
//! One page gives one grid, in document order:
//!
//! - every `<table>` gives its rows, `rowspan`/`colspan` expanded: each cell goes to the first
//!   free slot of its row; the origin carries `row_span`/`col_span`; every other slot of the
//!   range is a [`Cell::covered`] cell (`Above` in the rows below the origin, `Left` on its own
//!   row) with the origin's position. A `<caption>` comes first, as text rows;
//! - a table nested in a cell is **not** mixed into the outer one: the outer cell keeps its own
//!   text, and the nested table's rows follow the outer table's rows as a table of their own
//!   (so a form inside a layout table is read like any other form), reported as I323;
//! - text outside tables (`<h1>`, `<p>`, bare text) gives one-cell [`RowKind::Text`] rows, one
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

mod source;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
pub use jixiao_diagnostics::Warned;
use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::text::{DecodeError, Decoded, decode_with_label};
use jixiao_grid::{Cell, Covered, Grid, Pos, Row, RowKind};
use scraper::{ElementRef, Html, Node};
use source::Locator;

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

/// True when the bytes are an HTML page: after a BOM, whitespace and comments they start with
/// `<!DOCTYPE html`, `<html`, `<head`, `<body`, `<meta`, `<title` or `<table` (any case), or
/// an XML declaration followed by `<html`.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units = bytes[2..].chunks_exact(2).take(512).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect::<String>()
            .into_bytes()
    } else {
        let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        b[..b.len().min(4096)].to_vec()
    };
    let mut rest: &[u8] = &head;
    loop {
        rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        if rest.starts_with(b"<!--") {
            match rest.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let starts = |prefix: &[u8]| {
        rest.len() >= prefix.len()
            && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
            && rest
                .get(prefix.len())
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    };
    if starts(b"<?xml") {
        return head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<html"));
    }
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<title",
        b"<table",
    ]
    .iter()
    .any(|p| starts(p))
}

/// The charset a page declares in its first 4096 bytes: `<meta charset="gb2312">`,
/// `<meta http-equiv="Content-Type" content="text/html; charset=gbk">` or
/// `<?xml version="1.0" encoding="gb18030"?>`.
///
/// ```
/// let page = br#"<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=GB2312"></head>"#;
/// assert_eq!(jixiao_html::declared_charset(page).as_deref(), Some("GB2312"));
/// ```
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    let value_after = |from: usize, end: usize| -> Option<String> {
        let mut k = from;
        while k < end && (lower[k].is_ascii_whitespace() || matches!(lower[k], b'=' | b'"' | b'\''))
        {
            k += 1;
        }
        let len = head[k..end]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':'))
            .count();
        (len > 0).then(|| String::from_utf8_lossy(&head[k..k + len]).into_owned())
    };
    let find = |needle: &[u8], from: usize, to: usize| {
        lower
            .get(from..to)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    if lower.trim_ascii_start().starts_with(b"<?xml") {
        let start = lower.len() - lower.trim_ascii_start().len();
        let end = find(b"?>", start, lower.len()).unwrap_or(lower.len());
        if let Some(at) = find(b"encoding", start, end) {
            return value_after(at + 8, end);
        }
    }
    let mut from = 0;
    while let Some(at) = find(b"<meta", from, lower.len()) {
        let end = find(b">", at, lower.len()).unwrap_or(lower.len());
        if let Some(cs) = find(b"charset", at, end) {
            return value_after(cs + 7, end);
        }
        from = end;
    }
    None
}

/// Decodes an HTML page: BOM, else the declared charset (GB2312/GBK as GB18030), else the
/// UTF-8/GB18030 detection of [`jixiao_grid::text::decode`]. A declared charset that is unknown
/// or does not fit the bytes is reported (I326) with the encoding actually used.
///
/// # Errors
///
/// A [`DecodeError`] when the bytes are in no encoding the reader knows (see
/// [`jixiao_grid::text::decode`]).
///
/// ```
/// let (bytes, _, _) = encoding_rs::GB18030.encode("<meta charset=\"gb2312\"><td>≥95%</td>");
/// let (page, diags) = jixiao_html::decode(&bytes, Some("a.html")).unwrap().into_parts();
/// assert_eq!((page.text.as_str(), page.encoding), ("<meta charset=\"gb2312\"><td>≥95%</td>", "gb18030"));
/// assert!(diags.is_empty());
/// ```
pub fn decode(bytes: &[u8], file: Option<&str>) -> Result<Warned<Decoded>, DecodeError> {
    let label = declared_charset(bytes);
    let decoded = decode_with_label(bytes, label.as_deref())?;
    let mut diags = Vec::new();
    if let Some(label) = label {
        let expected = encoding_rs::Encoding::for_label(label.as_bytes()).map(|e| {
            if e == encoding_rs::GBK || e == encoding_rs::GB18030 {
                "gb18030"
            } else if e == encoding_rs::UTF_8 {
                "UTF-8"
            } else {
                e.name()
            }
        });
        let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
        let loc = Location {
            file: file.map(str::to_string),
            ..Location::default()
        };
        match expected {
            None => diags.push(Diagnostic::new(
                Code::I326,
                format!(
                    "网页声明的编码“{label}”无法识别，已按 {} 读取",
                    decoded.encoding
                ),
                loc,
            )),
            Some(e)
                if !e.eq_ignore_ascii_case(decoded.encoding)
                    && !has_bom
                    && !e.starts_with("UTF-16") =>
            {
                diags.push(Diagnostic::new(
                    Code::I326,
                    format!(
                        "网页声明的编码是“{label}”，但内容不是该编码，已按 {} 读取",
                        decoded.encoding
                    ),
                    loc,
                ))
            }
            Some(_) => {}
        }
    }
    Ok(Warned::new(decoded).with(diags))
}

/// Elements that start and end lines of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "blockquote"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "address"
            | "center"
            | "form"
            | "fieldset"
            | "hr"
            | "caption"
            | "table"
            | "tr"
            | "main"
            | "nav"
            | "aside"
            | "figure"
            | "figcaption"
    )
}

/// Elements that are not page content; their subtrees are only walked to keep positions in step.
fn is_hidden(name: &str) -> bool {
    matches!(name, "head" | "script" | "style" | "template" | "noscript")
}

/// Text nodes whose source the locator records (raw-text elements other than these have none).
fn has_source_run(node: ego_tree::NodeRef<'_, Node>) -> bool {
    let parent = node
        .parent()
        .and_then(ElementRef::wrap)
        .map(|e| e.value().name());
    !matches!(
        parent,
        Some(
            "script"
                | "style"
                | "xmp"
                | "iframe"
                | "noembed"
                | "noframes"
                | "noscript"
                | "plaintext"
        )
    )
}

fn contentful(text: &str) -> bool {
    text.chars().any(|c| !c.is_ascii_whitespace())
}

/// Text as a browser lays it out: lines, whitespace runs collapsed, `&nbsp;` as a space.
#[derive(Default)]
struct Lines {
    done: Vec<(String, Option<Pos>)>,
    cur: String,
    cur_pos: Option<Pos>,
    space: bool,
}

impl Lines {
    fn push(&mut self, text: &str, pos: Pos) {
        for c in text.chars() {
            if c.is_ascii_whitespace() {
                self.space = true;
                continue;
            }
            if self.cur.is_empty() {
                self.cur_pos = Some(pos);
            } else if self.space {
                self.cur.push(' ');
            }
            self.space = false;
            self.cur.push(if c == '\u{a0}' { ' ' } else { c });
        }
    }

    /// A block boundary: ends the line if it has text.
    fn soft_break(&mut self) {
        if !self.cur.is_empty() {
            self.hard_break();
        }
        self.space = false;
    }

    /// `<br>`: always ends the line.
    fn hard_break(&mut self) {
        let line = std::mem::take(&mut self.cur);
        self.done
            .push((line.trim().to_string(), self.cur_pos.take()));
        self.space = false;
    }

    /// The lines, trimmed; empty lines only between lines with text.
    fn finish(mut self) -> Vec<(String, Option<Pos>)> {
        self.soft_break();
        let first = self
            .done
            .iter()
            .position(|(l, _)| !l.is_empty())
            .unwrap_or(self.done.len());
        let last = self
            .done
            .iter()
            .rposition(|(l, _)| !l.is_empty())
            .map_or(first, |k| k + 1);
        self.done.drain(first..last).collect()
    }

    fn joined(self) -> String {
        self.finish()
            .into_iter()
            .map(|(l, _)| l)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// A cell as read, before spans are laid out.
struct CellSpec {
    text: String,
    pos: Pos,
    rowspan: Option<String>,
    colspan: Option<String>,
}

struct Reader<'a> {
    loc: Locator<'a>,
    file: Option<&'a str>,
    rows: Vec<Row>,
    diags: Vec<Diagnostic>,
    covered_budget: usize,
    tables: usize,
}

impl<'a> Reader<'a> {
    fn location(&self, pos: Pos) -> Location {
        pos.location(self.file, None)
    }

    fn pos_or_here(&self, at: Option<usize>) -> Pos {
        at.map_or_else(|| self.loc.here(), |o| self.loc.pos(o))
    }

    /// Moves the locator over a subtree that is not read (hidden content, a nested table read
    /// later), so that what follows keeps its positions.
    fn skim(&mut self, node: ego_tree::NodeRef<'_, Node>) {
        for edge in node.traverse() {
            if let Edge::Open(n) = edge {
                match n.value() {
                    Node::Element(e) => {
                        self.loc.element(e.name());
                    }
                    Node::Text(t) if contentful(t) && has_source_run(n) => {
                        self.loc.text_run();
                    }
                    _ => {}
                }
            }
        }
    }

    /// The page: text lines and tables in document order.
    fn page(&mut self, root: ElementRef<'_>) {
        let mut lines = Lines::default();
        let mut skip: Option<NodeId> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) if contentful(t) && has_source_run(node) => {
                            let at = self.loc.text_run();
                            let pos = self.pos_or_here(at);
                            lines.push(t, pos);
                        }
                        Node::Element(e) => {
                            let name = e.name();
                            if is_hidden(name) {
                                self.skim(node);
                                skip = Some(node.id());
                                continue;
                            }
                            let at = self.loc.element(name);
                            if name == "table" {
                                self.flush_lines(std::mem::take(&mut lines));
                                let table = ElementRef::wrap(node).expect("an element node");
                                self.tables_from(table, at);
                                skip = Some(node.id());
                            } else if name == "br" {
                                lines.hard_break();
                            } else if is_block(name) {
                                lines.soft_break();
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skip == Some(node.id()) {
                        skip = None;
                    } else if skip.is_none()
                        && let Node::Element(e) = node.value()
                        && is_block(e.name())
                    {
                        lines.soft_break();
                    }
                }
            }
        }
        self.flush_lines(lines);
    }

    fn flush_lines(&mut self, lines: Lines) {
        for (text, pos) in lines.finish() {
            if !text.is_empty() {
                let pos = pos.unwrap_or_else(|| self.loc.here());
                self.rows
                    .push(Row::new(RowKind::Text, vec![Cell::new(text, pos)]));
            }
        }
    }

    /// A table, then the tables nested in it (depth first, in document order), each after
    /// the rows of the table that holds it.
    fn tables_from(&mut self, table: ElementRef<'_>, at: Option<usize>) {
        let mut pending: Vec<(ElementRef<'_>, Option<usize>, usize)> =
            vec![(table, at, self.loc.cursor)];
        let mut end = self.loc.cursor;
        let mut outer = true;
        while let Some((table, at, cursor)) = pending.pop() {
            self.loc.cursor = cursor;
            let pos = self.pos_or_here(at);
            if !outer {
                let loc = self.location(pos);
                self.diags.push(Diagnostic::new(
                    Code::I323,
                    "单元格中嵌套的表格已作为独立的表格读取，放在外层表格之后；外层单元格只保留自身的文字",
                    loc,
                ));
            }
            outer = false;
            let nested = self.table(table, pos);
            end = end.max(self.loc.cursor);
            pending.extend(nested.into_iter().rev());
        }
        self.loc.cursor = end;
    }

    /// One table's rows; returns the tables nested in its cells with where they start.
    fn table<'t>(
        &mut self,
        table: ElementRef<'t>,
        table_pos: Pos,
    ) -> Vec<(ElementRef<'t>, Option<usize>, usize)> {
        self.tables += 1;
        let mut nested = Vec::new();
        let mut rows: Vec<(usize, Vec<CellSpec>)> = Vec::new();
        let mut group = 0;
        for child in table.children() {
            let Some(el) = ElementRef::wrap(child) else {
                if matches!(child.value(), Node::Text(t) if contentful(t)) {
                    self.skim(child);
                }
                continue;
            };
            match el.value().name() {
                "caption" => {
                    let at = self.loc.element("caption");
                    let here = self.pos_or_here(at);
                    let lines = self.content(el, &mut nested, here);
                    for (text, pos) in lines.finish() {
                        if !text.is_empty() {
                            self.rows.push(Row::new(
                                RowKind::Text,
                                vec![Cell::new(text, pos.unwrap_or(here))],
                            ));
                        }
                    }
                }
                "thead" | "tbody" | "tfoot" => {
                    group += 1;
                    for tr in el.children() {
                        match ElementRef::wrap(tr) {
                            Some(tr) if tr.value().name() == "tr" => {
                                let cells = self.row(tr, &mut nested);
                                rows.push((group, cells));
                            }
                            _ => self.skim(tr),
                        }
                    }
                    group += 1;
                }
                "tr" => {
                    let cells = self.row(el, &mut nested);
                    rows.push((group, cells));
                }
                _ => self.skim(child),
            }
        }
        if rows.iter().all(|(_, cells)| cells.is_empty()) {
            let loc = self.location(table_pos);
            self.diags.push(Diagnostic::new(
                Code::I324,
                "表格是空的（没有任何单元格），已跳过",
                loc,
            ));
        }
        self.layout(rows, table_pos);
        nested
    }

    /// The cells of one `<tr>`.
    fn row<'t>(
        &mut self,
        tr: ElementRef<'t>,
        nested: &mut Vec<(ElementRef<'t>, Option<usize>, usize)>,
    ) -> Vec<CellSpec> {
        let mut cells = Vec::new();
        for child in tr.children() {
            match ElementRef::wrap(child) {
                Some(td) if matches!(td.value().name(), "td" | "th") => {
                    let at = self.loc.element(td.value().name());
                    let pos = self.pos_or_here(at);
                    let text = self.content(td, nested, pos).joined();
                    cells.push(CellSpec {
                        text,
                        pos,
                        rowspan: td.value().attr("rowspan").map(str::to_string),
                        colspan: td.value().attr("colspan").map(str::to_string),
                    });
                }
                _ => self.skim(child),
            }
        }
        cells
    }

    /// The text inside a cell or caption; nested tables are set aside (and skimmed).
    fn content<'t>(
        &mut self,
        el: ElementRef<'t>,
        nested: &mut Vec<(ElementRef<'t>, Option<usize>, usize)>,
        here: Pos,
    ) -> Lines {
        let mut lines = Lines::default();
        let mut skip: Option<NodeId> = None;
        for edge in el.traverse() {
            match edge {
                Edge::Open(node) if node.id() != el.id() => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) if contentful(t) && has_source_run(node) => {
                            let at = self.loc.text_run();
                            lines.push(t, at.map_or(here, |o| self.loc.pos(o)));
                        }
                        Node::Element(e) if e.name() == "table" => {
                            let at = self.loc.element("table");
                            let table = ElementRef::wrap(node).expect("an element node");
                            nested.push((table, at, self.loc.cursor));
                            // Its content is read later; move past it now.
                            for child in node.children() {
                                self.skim(child);
                            }
                            lines.soft_break();
                            skip = Some(node.id());
                        }
                        Node::Element(e) if is_hidden(e.name()) => {
                            self.skim(node);
                            skip = Some(node.id());
                        }
                        Node::Element(e) => {
                            self.loc.element(e.name());
                            if e.name() == "br" {
                                lines.hard_break();
                            } else if is_block(e.name()) {
                                lines.soft_break();
                            }
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) if node.id() != el.id() => {
                    if skip == Some(node.id()) {
                        skip = None;
                    } else if skip.is_none()
                        && let Node::Element(e) = node.value()
                        && is_block(e.name())
                    {
                        lines.soft_break();
                    }
                }
                _ => {}
            }
        }
        lines
    }

    /// A span attribute as a browser reads it: leading digits; anything else is reported.
    fn span(&mut self, attr: Option<&str>, what: &str, pos: Pos) -> Option<usize> {
        let raw = attr?;
        let t = raw.trim();
        let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let value = t[..digits]
            .parse::<usize>()
            .ok()
            .or((digits > 0).then_some(usize::MAX));
        let valid = digits > 0 && digits == t.len() && (value != Some(0) || what == "rowspan");
        if !valid {
            let loc = self.location(pos);
            let read = match value {
                Some(0) | None => "1".to_string(),
                Some(v) => v.to_string(),
            };
            self.diags.push(Diagnostic::new(
                Code::I320,
                format!("{what}=\"{raw}\" 不是有效的正整数，按 {read} 读取"),
                loc,
            ));
        }
        match value {
            Some(0) if what == "colspan" => Some(1),
            v => v.or(Some(1)),
        }
    }

    /// Lays the cells out in slots and appends the table's rows.
    fn layout(&mut self, rows: Vec<(usize, Vec<CellSpec>)>, table_pos: Pos) {
        let n = rows.len();
        // Where each row's row group ends: a rowspan never crosses it.
        let mut group_end = vec![n; n];
        for r in (0..n).rev() {
            group_end[r] = if r + 1 < n && rows[r + 1].0 == rows[r].0 {
                group_end[r + 1]
            } else {
                r + 1
            };
        }
        let mut slots: Vec<Vec<Option<Cell>>> = (0..n).map(|_| Vec::new()).collect();
        let free = |slots: &Vec<Vec<Option<Cell>>>, r: usize, c: usize| {
            slots[r].get(c).is_none_or(Option::is_none)
        };
        for (r, (_, cells)) in rows.into_iter().enumerate() {
            let mut c = 0;
            for spec in cells {
                while !free(&slots, r, c) {
                    c += 1;
                }
                let rows_left = group_end[r] - r;
                let mut rs = match self.span(spec.rowspan.as_deref(), "rowspan", spec.pos) {
                    Some(0) => rows_left,
                    Some(v) if v > rows_left => {
                        let loc = self.location(spec.pos);
                        self.diags.push(Diagnostic::new(
                            Code::I321,
                            format!("rowspan={} 超出了表格（以下只有 {rows_left} 行），按 {rows_left} 行读取", span_text(v)),
                            loc,
                        ));
                        rows_left
                    }
                    v => v.unwrap_or(1),
                };
                let room = MAX_COLUMNS.saturating_sub(c).max(1);
                let mut cs = self
                    .span(spec.colspan.as_deref(), "colspan", spec.pos)
                    .unwrap_or(1);
                if cs > room {
                    let loc = self.location(spec.pos);
                    self.diags.push(Diagnostic::new(
                        Code::I321,
                        format!(
                            "colspan={} 超出了表格最大宽度 {MAX_COLUMNS} 列，按 {room} 列读取",
                            span_text(cs)
                        ),
                        loc,
                    ));
                    cs = room;
                }
                let fits = (0..cs)
                    .take_while(|&k| free(&slots, r, c + k))
                    .count()
                    .max(1);
                if fits < cs {
                    let loc = self.location(spec.pos);
                    self.diags.push(Diagnostic::new(
                        Code::I322,
                        format!(
                            "单元格“{}”的 colspan={cs} 与上方跨行的单元格重叠，按 {fits} 列读取",
                            spec.text
                        ),
                        loc,
                    ));
                    cs = fits;
                }
                if rs * cs - 1 > self.covered_budget {
                    let loc = self.location(spec.pos);
                    self.diags.push(Diagnostic::new(
                        Code::I321,
                        format!(
                            "单元格“{}”的合并范围（{rs} 行 × {cs} 列）过大，已按单个单元格读取",
                            spec.text
                        ),
                        loc,
                    ));
                    (rs, cs) = (1, 1);
                }
                self.covered_budget -= rs * cs - 1;
                for dr in 0..rs {
                    for dc in 0..cs {
                        let cell = match (dr, dc) {
                            (0, 0) => Cell {
                                row_span: rs as u32,
                                col_span: cs as u32,
                                ..Cell::new(spec.text.clone(), spec.pos)
                            },
                            (0, _) => Cell::covered(Covered::Left, spec.pos),
                            _ => Cell::covered(Covered::Above, spec.pos),
                        };
                        let row = &mut slots[r + dr];
                        if row.len() <= c + dc {
                            row.resize(c + dc + 1, None);
                        }
                        row[c + dc] = Some(cell);
                    }
                }
                c += cs;
            }
        }
        for row in slots {
            let pos = row.iter().flatten().next().map_or(table_pos, |c| c.pos);
            let cells = row
                .into_iter()
                .map(|c| c.unwrap_or_else(|| Cell::new("", pos)))
                .collect();
            self.rows.push(Row::new(RowKind::Table, cells));
        }
    }
}

fn span_text(v: usize) -> String {
    if v == usize::MAX {
        "（极大的数）".to_string()
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(page: &Page) -> Vec<Vec<&str>> {
        page.grid
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    fn codes(page: &Page) -> Vec<&str> {
        page.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    fn read_str(html: &str) -> Page {
        read(
            html,
            &Options {
                file: Some("t.html"),
                ..Options::default()
            },
        )
    }

    #[test]
    fn standard_header_block_merges() {
        let page = read_str(
            "<table><tr><td>预算单位</td><td colspan=3>和硕县民政局</td><td>项目名称</td><td colspan=\"2\">城市低保</td></tr>\
             <tr><td rowspan=2>产出指标</td><td>数量指标</td><td colspan=3>发放人数</td><td colspan=2>&ge;221人</td></tr>\
             <tr><td>质量指标</td><td colspan=3>覆盖率</td><td colspan=2>=100%</td></tr></table>",
        );
        assert_eq!(
            texts(&page),
            vec![
                vec![
                    "预算单位",
                    "和硕县民政局",
                    "",
                    "",
                    "项目名称",
                    "城市低保",
                    ""
                ],
                vec!["产出指标", "数量指标", "发放人数", "", "", "≥221人", ""],
                vec!["", "质量指标", "覆盖率", "", "", "=100%", ""],
            ]
        );
        let rows = &page.grid.rows;
        assert_eq!(
            (rows[0].cells[1].col_span, rows[0].cells[1].row_span),
            (3, 1)
        );
        assert_eq!(rows[0].cells[2].covered, Some(Covered::Left));
        assert_eq!(
            rows[0].cells[2].pos, rows[0].cells[1].pos,
            "a covered slot points at its origin"
        );
        assert_eq!(rows[1].cells[0].row_span, 2);
        assert_eq!(rows[2].cells[0].covered, Some(Covered::Above));
        assert_eq!(
            rows[2].cells[1].pos,
            Pos::Line {
                line: 1,
                column: 192
            }
        );
        assert!(page.diagnostics.is_empty(), "{:?}", page.diagnostics);
    }

    #[test]
    fn block_spans_cover_above_and_left() {
        let page = read_str(
            "<table><tr><td rowspan=2 colspan=2>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table>",
        );
        let cov: Vec<Vec<Option<Covered>>> = page
            .grid
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.covered).collect())
            .collect();
        assert_eq!(
            cov,
            vec![
                vec![None, Some(Covered::Left), None],
                vec![Some(Covered::Above), Some(Covered::Above), None]
            ]
        );
        assert_eq!(page.grid.rows[1].cells[2].text, "丙");
    }

    #[test]
    fn line_breaks_spaces_and_entities() {
        let page = read_str(
            "<table><tr><td>目标1：甲<br>目标2：\n   乙</td><td><p>一</p><p>二</p></td><td>a&nbsp;&nbsp;b &lt;=5 &amp;</td><td>x<br><br>y</td></tr></table>",
        );
        assert_eq!(
            texts(&page),
            vec![vec![
                "目标1：甲\n目标2： 乙",
                "一\n二",
                "a  b <=5 &",
                "x\n\ny"
            ]]
        );
    }

    #[test]
    fn text_between_tables_and_positions() {
        let src = "<!DOCTYPE html>\n<html><head><title>标题页</title><style>td{}</style></head>\n<body>\n<h1>2022年度汇总表</h1>\n<p><b>项目支出绩效目标表</b><br>(2022年)</p>\n<table><tr><td>甲</td></tr></table>\n单位：万元\n<table><caption>表二</caption><tr><th>乙</th></tr></table>\n</body></html>";
        let page = read_str(src);
        assert_eq!(
            texts(&page),
            vec![
                vec!["2022年度汇总表"],
                vec!["项目支出绩效目标表"],
                vec!["(2022年)"],
                vec!["甲"],
                vec!["单位：万元"],
                vec!["表二"],
                vec!["乙"]
            ]
        );
        let kinds: Vec<RowKind> = page.grid.rows.iter().map(|r| r.kind).collect();
        assert_eq!(kinds[..3], [RowKind::Text; 3]);
        assert_eq!(kinds[3], RowKind::Table);
        let pos: Vec<Pos> = page.grid.rows.iter().map(|r| r.cells[0].pos).collect();
        assert_eq!(
            pos,
            [(4, 5), (5, 7), (5, 24), (6, 12), (7, 1), (8, 17), (8, 33)]
                .map(|(line, column)| Pos::Line { line, column })
        );
        assert!(page.diagnostics.is_empty());
    }

    #[test]
    fn nested_tables_follow_the_outer_table() {
        let src = "<table><tr><td>外甲<table><tr><td>内一</td><td>内二</td></tr></table>外乙</td><td>外丙</td></tr>\n<tr><td colspan=2>外丁</td></tr></table><p>后</p>";
        let page = read_str(src);
        assert_eq!(
            texts(&page),
            vec![
                vec!["外甲\n外乙", "外丙"],
                vec!["外丁", ""],
                vec!["内一", "内二"],
                vec!["后"]
            ]
        );
        assert_eq!(
            page.grid.rows[1].cells[0].pos,
            Pos::Line { line: 2, column: 5 }
        );
        assert_eq!(
            page.grid.rows[2].cells[1].pos,
            Pos::Line {
                line: 1,
                column: 40
            }
        );
        assert_eq!(
            page.grid.rows[3].cells[0].pos,
            Pos::Line {
                line: 2,
                column: 42
            }
        );
        assert_eq!(codes(&page), ["I323"]);
        assert_eq!(page.diagnostics[0].location.column, Some(18));
    }

    #[test]
    fn bad_spans_are_read_as_browsers_do_and_reported() {
        let page = read_str(
            "<table><tr><td colspan=\"abc\">甲</td><td rowspan=100000>乙</td><td colspan=2px>丙</td></tr>\
             <tr><td colspan=3>丁</td></tr><tr><td rowspan=0>戊</td><td colspan=0>己</td></tr><tr><td>庚</td></tr></table>",
        );
        assert_eq!(
            texts(&page),
            vec![
                vec!["甲", "乙", "丙", ""],
                vec!["丁", ""],
                vec!["戊", "", "己"],
                vec!["", "", "庚"]
            ]
        );
        let rows = &page.grid.rows;
        assert_eq!(
            rows[0].cells[1].row_span, 4,
            "clamped to the rows of the table"
        );
        assert_eq!(rows[1].cells[0].col_span, 1, "丁 overlaps 乙's rowspan");
        assert_eq!(
            rows[2].cells[0].row_span, 2,
            "rowspan=0 runs to the end of the group"
        );
        assert_eq!(codes(&page), ["I320", "I321", "I320", "I322", "I320"]);
        assert!(
            page.diagnostics[1].message.contains("rowspan=100000"),
            "{}",
            page.diagnostics[1].message
        );
    }

    #[test]
    fn huge_colspan_is_clamped() {
        let page = read_str(
            "<table><tr><td colspan=99999999999999999999999>甲</td><td>乙</td></tr></table>",
        );
        assert_eq!(page.grid.rows[0].cells.len(), MAX_COLUMNS + 1);
        assert_eq!(page.grid.rows[0].cells[0].col_span as usize, MAX_COLUMNS);
        assert_eq!(codes(&page), ["I321"]);
    }

    #[test]
    fn row_groups_bound_rowspans() {
        let page = read_str(
            "<table><thead><tr><th rowspan=3>头</th></tr></thead><tbody><tr><td>身</td></tr></tbody></table>",
        );
        assert_eq!(texts(&page), vec![vec!["头"], vec!["身"]]);
        assert_eq!(codes(&page), ["I321"]);
    }

    #[test]
    fn empty_and_missing_tables_are_reported() {
        let page = read_str("<table></table><table><tr></tr></table>");
        assert_eq!(codes(&page), ["I324", "I324"]);
        let page = read_str("<html><body><p>你好</p></body></html>");
        assert_eq!(texts(&page), vec![vec!["你好"]]);
        assert_eq!(codes(&page), ["I325"]);
        let page = read_str("");
        assert!(page.grid.rows.is_empty());
        assert_eq!(codes(&page), ["I325"]);
    }

    #[test]
    fn unclosed_and_stray_tags() {
        let page = read_str("<table><tr><td>甲<td>乙<tr><td>丙</table></td>x<td>孤</td>");
        assert_eq!(
            texts(&page),
            vec![vec!["甲", "乙"], vec!["丙"], vec!["x孤"]]
        );
        assert_eq!(
            page.grid.rows[1].cells[0].pos,
            Pos::Line {
                line: 1,
                column: 26
            }
        );
    }

    #[test]
    fn offsets_for_embedded_blocks() {
        let page = read(
            "<table><tr><td>甲</td></tr>\n<tr><td>乙</td></tr></table>",
            &Options {
                file: None,
                first_line: 7,
                first_column: 3,
            },
        );
        let pos: Vec<Pos> = page.grid.rows.iter().map(|r| r.cells[0].pos).collect();
        assert_eq!(
            pos,
            [
                Pos::Line {
                    line: 7,
                    column: 14
                },
                Pos::Line { line: 8, column: 5 }
            ]
        );
    }

    #[test]
    fn detection_and_charsets() {
        assert!(looks_like_html(b"\xEF\xBB\xBF  <!DOCTYPE HTML>"));
        assert!(looks_like_html(b"<!-- saved -->\n<html lang=zh>"));
        assert!(looks_like_html(b"<TABLE border=1>"));
        assert!(looks_like_html(
            b"<?xml version=\"1.0\"?><html xmlns=\"x\">"
        ));
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("<html>".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert!(looks_like_html(&utf16));
        assert!(!looks_like_html(b"# title\n<table>"));
        assert!(!looks_like_html(b"<tablet>"));
        assert!(!looks_like_html(b"<b>\xe9\xa2\x84\xe7\xae\x97</b>\t1"));
        assert_eq!(
            declared_charset(b"<meta charset='gbk'>").as_deref(),
            Some("gbk")
        );
        assert_eq!(
            declared_charset(b"<?xml version=\"1.0\" encoding=\"GB18030\"?><html>").as_deref(),
            Some("GB18030")
        );
        assert_eq!(declared_charset(b"<meta name=x><p>charset=utf-8"), None);
        let (gb, _, _) = encoding_rs::GB18030.encode("<meta charset=utf-8><p>预算</p>");
        let (page, diags) = decode(&gb, Some("a.html")).unwrap().into_parts();
        assert_eq!(page.encoding, "gb18030");
        assert_eq!(diags[0].code, "I326");
        let diags = decode("<meta charset=klingon><p>预算</p>".as_bytes(), None)
            .unwrap()
            .diagnostics;
        assert!(diags[0].message.contains("klingon"), "{}", diags[0].message);
    }

    /// Tables nested past the limit (unclosed, as a hostile page writes them): the page is
    /// read up to the table that goes too deep and I327 says where the rest begins; closed
    /// tables side by side, however many, are not nesting.
    #[test]
    fn tables_nested_too_deep_are_cut_where_they_go_too_deep() {
        let deep = format!(
            "<table><tr><td>预算单位</td><td>甲</td></tr></table>{}乙",
            "<table><tr><td>".repeat(MAX_TABLE_NESTING + 10)
        );
        let page = read(&deep, &Options::default());
        let cut: Vec<_> = page
            .diagnostics
            .iter()
            .filter(|d| d.code == "I327")
            .collect();
        assert_eq!(cut.len(), 1);
        assert_eq!(cut[0].location.line, Some(1));
        assert_eq!(page.grid.rows[0].cells[0].text, "预算单位");
        let side_by_side = "<table><tr><td>甲</td></tr></table>".repeat(10 * MAX_TABLE_NESTING);
        let page = read(&side_by_side, &Options::default());
        assert!(page.diagnostics.iter().all(|d| d.code != "I327"));
        // One pass: 100,000 unclosed tables are cut at once.
        let many = "<TABLE >".repeat(100_000);
        let (kept, at) = within_nesting(&many);
        assert_eq!(
            (kept.len(), at),
            (8 * MAX_TABLE_NESTING, Some(8 * MAX_TABLE_NESTING))
        );
    }
}
