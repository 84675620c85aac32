//! The walk over the DOM: every table's rows with their spans laid out, nested tables after
//! the table that holds them, text outside tables as lines; each cell and line at its place
//! in the source (see `source`).

use crate::MAX_COLUMNS;
use crate::source::Locator;
use ego_tree::NodeId;
use ego_tree::iter::Edge;
use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::{Cell, Covered, Pos, Row, RowKind};
use scraper::{ElementRef, Node};

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

pub(crate) struct Reader<'a> {
    pub(crate) loc: Locator<'a>,
    pub(crate) file: Option<&'a str>,
    pub(crate) rows: Vec<Row>,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) covered_budget: usize,
    pub(crate) tables: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn location(&self, pos: Pos) -> Location {
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
    pub(crate) fn page(&mut self, root: ElementRef<'_>) {
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
