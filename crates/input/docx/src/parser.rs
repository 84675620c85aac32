//! The parser of the main document part (`word/document.xml`): one walk over the XML events
//! that keeps tables, merged cells, nested tables and paragraphs apart and builds the grid
//! (see the crate's documentation for what each element gives).

use crate::{
    DocxError, MAX_COLUMNS, MAX_DEPTH, MAX_SLOTS, MAX_TABLES, MC, Page, WML, WML_STRICT, attr,
};
use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::{Cell, Covered, Grid, Pos, Row, RowKind};
use quick_xml::events::{BytesStart, Event};

/// How a cell takes part in a vertical or (legacy) horizontal merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    Restart,
    Continue,
}

struct CellSpec {
    text: Lines,
    span: u32,
    vmerge: Option<Merge>,
    hmerge: Option<Merge>,
}

#[derive(Default)]
struct RowSpec {
    before: u32,
    after: u32,
    cells: Vec<CellSpec>,
    /// The spans of `cells` added up, kept as cells are added, so that where the reader is
    /// ([`Parser::here`]) costs nothing however long the row.
    spans: u32,
}

impl RowSpec {
    fn push(&mut self, cell: CellSpec) {
        self.spans = self.spans.saturating_add(cell.span);
        self.cells.push(cell);
    }
}

/// A table being read.
struct TableBuild {
    number: u32,
    rows: Vec<RowSpec>,
    row: Option<RowSpec>,
    cell: Option<CellSpec>,
    nested: Vec<Table>,
}

/// A table read, with the tables nested in its cells.
struct Table {
    number: u32,
    rows: Vec<Row>,
    nested: Vec<Table>,
}

/// Text in lines; a paragraph or a break ends a line.
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    cur: String,
}

impl Lines {
    fn push(&mut self, text: &str) {
        for c in text.chars() {
            self.cur.push(match c {
                '\u{a0}' | '\t' => ' ',
                '\r' | '\n' => ' ',
                c => c,
            });
        }
    }

    fn push_char(&mut self, c: char) {
        self.cur.push(c);
    }

    fn newline(&mut self) {
        let line = std::mem::take(&mut self.cur);
        self.lines.push(line.trim().to_string());
    }

    /// The lines, trimmed, without blank lines at either end.
    fn finish(mut self) -> Vec<String> {
        if !self.cur.is_empty() {
            self.newline();
        }
        let first = self
            .lines
            .iter()
            .position(|l| !l.is_empty())
            .unwrap_or(self.lines.len());
        let last = self
            .lines
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(first, |k| k + 1);
        self.lines.drain(first..last).collect()
    }
}

/// What the reader noticed once per document.
#[derive(Default)]
struct Seen {
    insertions: u32,
    deletions: u32,
    hidden: u32,
    first_change: Option<Pos>,
    first_hidden: Option<Pos>,
}

pub(crate) struct Parser<'f> {
    file: Option<&'f str>,
    rows: Vec<Row>,
    diags: Vec<Diagnostic>,
    /// Namespace prefixes bound to WordprocessingML and markup compatibility.
    /// The prefixes bound to WordprocessingML and to markup compatibility (a set: a root
    /// element with thousands of prefixes costs no more per element than one with two).
    w: std::collections::HashSet<String>,
    mc: std::collections::HashSet<String>,
    depth: usize,
    /// Skipping a subtree (deleted text, field codes, properties) until this depth closes.
    skip: Option<usize>,
    /// Inside `w:rPr` of a run (not of a paragraph mark).
    run_props: bool,
    run_hidden: bool,
    /// Depth of open `w:p` outside any table.
    body_para: usize,
    para: Lines,
    paragraphs: u32,
    tables: Vec<TableBuild>,
    table_count: u32,
    slots: usize,
    /// Tables, rows and cells opened, empty or not ([`Parser::count_table_element`]).
    elements: usize,
    /// Tables opened, empty or not.
    tables_opened: usize,
    seen: Seen,
    /// Covered cells repeating their origin's text: how many, and the first (one I319).
    repeats: Option<(usize, Pos)>,
}

impl<'f> Parser<'f> {
    pub(crate) fn new(file: Option<&'f str>) -> Self {
        Parser {
            file,
            rows: Vec::new(),
            diags: Vec::new(),
            w: std::collections::HashSet::from(["w".to_string()]),
            mc: std::collections::HashSet::from(["mc".to_string()]),
            depth: 0,
            skip: None,
            run_props: false,
            run_hidden: false,
            body_para: 0,
            para: Lines::default(),
            paragraphs: 0,
            tables: Vec::new(),
            table_count: 0,
            slots: 0,
            elements: 0,
            tables_opened: 0,
            seen: Seen::default(),
            repeats: None,
        }
    }

    fn location(&self, pos: Pos) -> Location {
        Location {
            file: self.file.map(Into::into),
            cell: pos.place(),
            ..Location::default()
        }
    }

    /// Counts one table, row or cell as it opens — empty ones too (`<w:tbl/>`, `<w:tr/>`,
    /// `<w:tc/>` cost work and memory however little they hold) — and refuses the document
    /// past [`MAX_TABLES`] tables or [`MAX_SLOTS`] such elements, before more work is done.
    fn count_table_element(&mut self, table: bool) -> Result<(), DocxError> {
        self.elements += 1;
        if table {
            self.tables_opened += 1;
        }
        if self.tables_opened > MAX_TABLES {
            return Err(DocxError::TooLarge(format!(
                "表格（含嵌套和空表格）超过 {MAX_TABLES} 个"
            )));
        }
        if self.elements > MAX_SLOTS {
            return Err(DocxError::TooLarge(format!(
                "表格、行和单元格（含空的）合计超过 {MAX_SLOTS} 个"
            )));
        }
        Ok(())
    }

    /// Where the reader is now: the current cell, else the current paragraph.
    fn here(&self) -> Pos {
        match self.tables.last() {
            Some(t) => Pos::Table {
                table: t.number,
                row: t.rows.len() as u32 + 1,
                col: t
                    .row
                    .as_ref()
                    .map_or(1, |r| r.before.saturating_add(r.spans).saturating_add(1)),
            },
            None => Pos::Paragraph {
                paragraph: self.paragraphs.max(1),
            },
        }
    }

    /// The element's local name when it is WordprocessingML (`w:`), else `None`.
    fn wml<'a>(&self, name: &'a str) -> Option<&'a str> {
        let (prefix, local) = name.split_once(':')?;
        self.w.contains(prefix).then_some(local)
    }

    fn is_mc(&self, name: &str, local: &str) -> bool {
        name.split_once(':')
            .is_some_and(|(prefix, l)| l == local && self.mc.contains(prefix))
    }

    fn learn_namespaces(&mut self, e: &BytesStart<'_>) {
        for a in e.attributes().flatten() {
            let key = a.key.as_ref();
            if let Some(prefix) = key.strip_prefix("xmlns:") {
                let value = a.value.as_ref();
                if value == WML || value == WML_STRICT {
                    self.w.insert(prefix.to_string());
                } else if value == MC {
                    self.mc.insert(prefix.to_string());
                }
            }
        }
    }

    fn text_target(&mut self) -> Option<&mut Lines> {
        match self.tables.last_mut() {
            Some(t) => t.cell.as_mut().map(|c| &mut c.text),
            None if self.body_para > 0 => Some(&mut self.para),
            None => None,
        }
    }

    pub(crate) fn run(&mut self, xml: &str) -> Result<(), DocxError> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut text_open = false;
        loop {
            let event = reader.read_event().map_err(|e| {
                DocxError::Corrupt(format!(
                    "document.xml 第 {} 字节处 XML 错误（{e}）",
                    reader.error_position()
                ))
            })?;
            match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(DocxError::TooLarge(format!("XML 嵌套超过 {MAX_DEPTH} 层")));
                    }
                    if self.depth == 1 {
                        self.learn_namespaces(&e);
                    }
                    if self.skip.is_some() {
                        continue;
                    }
                    let name = e.name();
                    if let Some(local) = self.wml(name.as_ref()) {
                        text_open = local == "t";
                    }
                    self.open(&e, false)?;
                }
                Event::Empty(e) if self.skip.is_none() => {
                    self.depth += 1;
                    self.open(&e, true)?;
                    self.depth -= 1;
                }
                Event::End(e) => {
                    if let Some(d) = self.skip {
                        if d == self.depth {
                            self.skip = None;
                        }
                        self.depth = self.depth.saturating_sub(1);
                        continue;
                    }
                    text_open = false;
                    let name = e.name();
                    if let Some(local) = self.wml(name.as_ref()) {
                        let local = local.to_string();
                        self.close(&local)?;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                Event::Text(t) if text_open && self.skip.is_none() => {
                    let hidden = self.run_hidden;
                    let content = t.xml10_content();
                    self.text(&content, hidden);
                }
                Event::CData(t) if text_open && self.skip.is_none() => {
                    let hidden = self.run_hidden;
                    let content = t.xml10_content();
                    self.text(&content, hidden);
                }
                Event::GeneralRef(r) if text_open && self.skip.is_none() => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.xml10_content().as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = c {
                        let hidden = self.run_hidden;
                        self.text(c.encode_utf8(&mut [0; 4]), hidden);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if self.depth != 0 || !self.tables.is_empty() {
            return Err(DocxError::Corrupt("document.xml 在中途结束".into()));
        }
        Ok(())
    }

    fn text(&mut self, text: &str, hidden: bool) {
        if text.is_empty() {
            return;
        }
        if hidden {
            if !text.trim().is_empty() {
                self.seen.hidden += 1;
                if self.seen.first_hidden.is_none() {
                    self.seen.first_hidden = Some(self.here());
                }
            }
            return;
        }
        if let Some(lines) = self.text_target() {
            lines.push(text);
        }
    }

    fn skip_subtree(&mut self, empty: bool) {
        if !empty {
            self.skip = Some(self.depth);
        }
    }

    fn note_change(&mut self, deletion: bool) {
        if deletion {
            self.seen.deletions += 1;
        } else {
            self.seen.insertions += 1;
        }
        if self.seen.first_change.is_none() {
            self.seen.first_change = Some(self.here());
        }
    }

    /// An opening (or empty) element.
    fn open(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), DocxError> {
        let qname = e.name();
        let name = qname.as_ref();
        if self.is_mc(name, "Fallback") {
            // The same content as mc:Choice, for older readers.
            self.skip_subtree(empty);
            return Ok(());
        }
        let Some(local) = self.wml(name) else {
            return Ok(());
        };
        if matches!(local, "tbl" | "tr" | "tc") {
            self.count_table_element(local == "tbl")?;
        }
        match local {
            "del" | "moveFrom" => {
                // A deleted run or paragraph range (w:del as run property marks a deleted
                // paragraph mark and is handled with w:pPr).
                self.note_change(true);
                self.skip_subtree(empty);
            }
            "ins" | "moveTo" if !self.run_props => self.note_change(false),
            "pPr" | "sdtPr" | "sdtEndPr" | "instrText" | "delInstrText" | "delText" | "tblPr"
            | "tblGrid" | "sectPr" | "rPrChange" | "pPrChange" | "tcPrChange" | "trPrChange"
            | "tblPrChange" | "footnoteReference" | "endnoteReference" | "commentReference" => {
                self.skip_subtree(empty)
            }
            "r" => {
                self.run_hidden = false;
            }
            "rPr" => self.run_props = !empty,
            "vanish" if self.run_props => {
                let val = attr(e, "val").unwrap_or_default();
                self.run_hidden = !matches!(val.as_str(), "0" | "false" | "off");
            }
            "br" | "cr" => {
                if let Some(lines) = self.text_target() {
                    lines.newline();
                }
            }
            "tab" | "ptab" if !self.run_props => {
                let hidden = self.run_hidden;
                self.text(" ", hidden);
            }
            "noBreakHyphen" => {
                let hidden = self.run_hidden;
                self.text("-", hidden);
            }
            "sym" => {
                // A symbol-font character (Wingdings ☐/☑); its code is in the private use area.
                if let Some(c) = attr(e, "char")
                    .and_then(|h| u32::from_str_radix(&h, 16).ok())
                    .and_then(char::from_u32)
                {
                    let c = match c as u32 {
                        0xF000..=0xF0FF => char::from_u32(c as u32 - 0xF000).unwrap_or(c),
                        _ => c,
                    };
                    if !c.is_control()
                        && let Some(lines) = self.text_target()
                    {
                        lines.push_char(c);
                    }
                }
            }
            "p" => {
                if self.tables.is_empty() {
                    if self.body_para == 0 {
                        self.paragraphs += 1;
                    }
                    if !empty {
                        self.body_para += 1;
                    }
                }
                if empty && let Some(lines) = self.text_target() {
                    lines.newline();
                }
            }
            "tbl" => {
                if empty {
                    return Ok(());
                }
                if self.tables.is_empty() && self.body_para > 0 {
                    // A table inside a paragraph (a text box): what came before it goes first.
                    let para = std::mem::take(&mut self.para);
                    self.flush_paragraph(para);
                }
                if let Some(lines) = self.text_target() {
                    lines.newline();
                }
                self.table_count += 1;
                self.tables.push(TableBuild {
                    number: self.table_count,
                    rows: Vec::new(),
                    row: None,
                    cell: None,
                    nested: Vec::new(),
                });
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(row) = t.row.take() {
                        t.rows.push(row);
                    }
                    t.row = Some(RowSpec::default());
                    if empty && let Some(row) = t.row.take() {
                        t.rows.push(row);
                    }
                }
            }
            "gridBefore" | "gridAfter" => {
                let n = attr(e, "val")
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .unwrap_or(0)
                    .min(MAX_COLUMNS);
                if let Some(t) = self.tables.last_mut()
                    && t.cell.is_none()
                {
                    let row = t.row.get_or_insert_with(RowSpec::default);
                    if local == "gridBefore" {
                        row.before = n;
                    } else {
                        row.after = n;
                    }
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let spec = CellSpec {
                        text: Lines::default(),
                        span: 1,
                        vmerge: None,
                        hmerge: None,
                    };
                    if empty {
                        t.row.get_or_insert_with(RowSpec::default).push(spec);
                    } else {
                        t.cell = Some(spec);
                    }
                }
            }
            "gridSpan" => {
                let raw = attr(e, "val").unwrap_or_default();
                let here = self.here();
                let span = match raw.trim().parse::<u64>() {
                    Ok(v) if v >= 1 => v,
                    _ => {
                        let loc = self.location(here);
                        self.diags.push(Diagnostic::new(
                            Code::I334,
                            format!(
                                "单元格的跨列数 gridSpan=\"{raw}\" 不是有效的正整数，按 1 列读取"
                            ),
                            loc,
                        ));
                        1
                    }
                };
                let span = if span > u64::from(MAX_COLUMNS) {
                    let loc = self.location(here);
                    self.diags.push(Diagnostic::new(
                        Code::I334,
                        format!("单元格的跨列数 gridSpan={span} 超出了表格最大宽度 {MAX_COLUMNS} 列，按 {MAX_COLUMNS} 列读取"),
                        loc,
                    ));
                    MAX_COLUMNS
                } else {
                    span as u32
                };
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    cell.span = span;
                }
            }
            "vMerge" | "hMerge" => {
                let merge = match attr(e, "val").as_deref() {
                    Some("restart") => Merge::Restart,
                    _ => Merge::Continue,
                };
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    if local == "vMerge" {
                        cell.vmerge = Some(merge);
                    } else {
                        cell.hmerge = Some(merge);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A closing WordprocessingML element.
    fn close(&mut self, local: &str) -> Result<(), DocxError> {
        match local {
            "rPr" => self.run_props = false,
            "r" => self.run_hidden = false,
            "p" => {
                if self.tables.is_empty() && self.body_para > 0 {
                    self.body_para -= 1;
                    if self.body_para == 0 {
                        let para = std::mem::take(&mut self.para);
                        self.flush_paragraph(para);
                        return Ok(());
                    }
                }
                if let Some(lines) = self.text_target() {
                    lines.newline();
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(cell) = t.cell.take()
                {
                    t.row.get_or_insert_with(RowSpec::default).push(cell);
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(row) = t.row.take()
                {
                    t.rows.push(row);
                }
            }
            "tbl" => {
                if let Some(mut t) = self.tables.pop() {
                    if let Some(cell) = t.cell.take() {
                        t.row.get_or_insert_with(RowSpec::default).push(cell);
                    }
                    if let Some(row) = t.row.take() {
                        t.rows.push(row);
                    }
                    let rows = self.layout(t.number, t.rows)?;
                    let table = Table {
                        number: t.number,
                        rows,
                        nested: t.nested,
                    };
                    match self.tables.last_mut() {
                        Some(parent) => parent.nested.push(table),
                        None => self.emit(table),
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn flush_paragraph(&mut self, para: Lines) {
        let pos = Pos::Paragraph {
            paragraph: self.paragraphs.max(1),
        };
        for line in para.finish() {
            if !line.is_empty() {
                self.rows
                    .push(Row::new(RowKind::Text, vec![Cell::new(line, pos)]));
            }
        }
    }

    /// An outermost table's rows, then its nested tables', depth first.
    fn emit(&mut self, table: Table) {
        let mut pending = vec![(table, false)];
        while let Some((table, nested)) = pending.pop() {
            if nested {
                let loc = self.location(Pos::Table {
                    table: table.number,
                    row: 1,
                    col: 1,
                });
                self.diags.push(Diagnostic::new(
                    Code::I330,
                    format!(
                        "单元格中嵌套的表格（表{}）已作为独立的表格读取，放在外层表格之后；外层单元格只保留自身的文字",
                        table.number
                    ),
                    loc,
                ));
            }
            self.rows.extend(table.rows);
            pending.extend(table.nested.into_iter().rev().map(|t| (t, true)));
        }
    }

    /// Lays one table's cells out in slots.
    fn layout(&mut self, number: u32, rows: Vec<RowSpec>) -> Result<Vec<Row>, DocxError> {
        let at = |row: usize, col: usize| Pos::Table {
            table: number,
            row: row as u32 + 1,
            col: col as u32 + 1,
        };
        // The whole table's slots are counted before any is allocated.
        let width = |spec: &RowSpec| {
            spec.before as usize
                + spec.after as usize
                + spec.cells.iter().map(|c| c.span as usize).sum::<usize>()
        };
        let total: usize = rows.iter().map(width).sum();
        let widest = rows.iter().map(width).max().unwrap_or(0);
        self.slots += total;
        if self.slots > MAX_SLOTS || widest > MAX_COLUMNS as usize * 2 {
            return Err(DocxError::TooLarge(format!(
                "表{number} 的单元格超过 {MAX_SLOTS} 个或单行超过 {} 列",
                MAX_COLUMNS * 2
            )));
        }
        let mut slots: Vec<Vec<Option<Cell>>> = Vec::with_capacity(rows.len());
        // For each slot, the origin of the range covering it.
        let mut origin: Vec<Vec<Option<(usize, usize)>>> = Vec::with_capacity(rows.len());
        for (r, spec) in rows.into_iter().enumerate() {
            let width = width(&spec);
            slots.push(vec![None; width]);
            origin.push(vec![None; width]);
            let mut c = spec.before as usize;
            for cell in spec.cells {
                let span = cell.span as usize;
                let pos = at(r, c);
                let lines = cell.text.finish();
                let text = lines.join("\n");
                if cell.vmerge == Some(Merge::Continue) {
                    let above = (r > 0)
                        .then(|| origin[r - 1].get(c).copied().flatten())
                        .flatten()
                        .filter(|&(_, oc)| oc == c);
                    if let Some((or, oc)) = above {
                        let (origin_pos, origin_text) = {
                            let o = slots[or][oc].as_mut().expect("an origin slot");
                            o.row_span = o.row_span.max((r - or + 1) as u32);
                            (o.pos, o.text.clone())
                        };
                        if !text.trim().is_empty() {
                            self.hidden_in_merge(&text, &origin_text, pos);
                        }
                        for k in 0..span {
                            slots[r][c + k] = Some(Cell::covered(Covered::Above, origin_pos));
                            origin[r][c + k] = Some((or, oc));
                        }
                        c += span;
                        continue;
                    }
                    let loc = self.location(pos);
                    self.diags.push(Diagnostic::new(
                        Code::I332,
                        "单元格标为与上方合并，但上方没有可合并的单元格，按普通单元格读取",
                        loc,
                    ));
                }
                if cell.hmerge == Some(Merge::Continue)
                    && c > 0
                    && let Some((or, oc)) = origin[r][c - 1].filter(|&(or, _)| or == r)
                {
                    let (origin_pos, origin_text) = {
                        let o = slots[or][oc].as_mut().expect("an origin slot");
                        o.col_span += span as u32;
                        (o.pos, o.text.clone())
                    };
                    if !text.trim().is_empty() {
                        self.hidden_in_merge(&text, &origin_text, pos);
                    }
                    for k in 0..span {
                        slots[r][c + k] = Some(Cell::covered(Covered::Left, origin_pos));
                        origin[r][c + k] = Some((or, oc));
                    }
                    c += span;
                    continue;
                }
                slots[r][c] = Some(Cell {
                    col_span: span as u32,
                    ..Cell::new(text, pos)
                });
                origin[r][c] = Some((r, c));
                for k in 1..span {
                    slots[r][c + k] = Some(Cell::covered(Covered::Left, pos));
                    origin[r][c + k] = Some((r, c));
                }
                c += span;
            }
        }
        Ok(slots
            .into_iter()
            .enumerate()
            .map(|(r, row)| {
                let cells = row
                    .into_iter()
                    .enumerate()
                    .map(|(c, cell)| cell.unwrap_or_else(|| Cell::new("", at(r, c))))
                    .collect();
                Row::new(RowKind::Table, cells)
            })
            .collect())
    }

    /// Text in a covered part of a merged cell: the origin's text repeated (how budget
    /// systems export merged cells) is counted for one I319; other text is reported (I333).
    fn hidden_in_merge(&mut self, text: &str, origin_text: &str, pos: Pos) {
        if text.trim() == origin_text.trim() {
            self.repeats.get_or_insert((0, pos)).0 += 1;
            return;
        }
        let loc = self.location(pos);
        self.diags.push(Diagnostic::new(
            Code::I333,
            format!(
                "合并单元格中被覆盖的部分还有文字“{}”，Word 不显示它，已跳过",
                text.trim()
            ),
            loc,
        ));
    }

    pub(crate) fn finish(mut self) -> Page {
        let file_loc = Location {
            file: self.file.map(Into::into),
            ..Location::default()
        };
        if let Some((count, pos)) = self.repeats.take() {
            let loc = self.location(pos);
            let place = pos.place().unwrap_or_default();
            self.diags.push(Diagnostic::new(
                Code::I319,
                format!(
                    "合并区域中 {count} 个被覆盖的单元格重复了左上角的文字（系统导出的写法），已按合并区域读取，第一处 {place}"
                ),
                loc,
            ));
        }
        if self.seen.insertions + self.seen.deletions > 0 {
            let loc = self
                .seen
                .first_change
                .map_or(file_loc.clone(), |p| self.location(p));
            self.diags.push(Diagnostic::new(
                Code::I335,
                format!(
                    "文档中有未处理的修订（{} 处插入、{} 处删除），已按“接受所有修订”读取：插入的文字保留，删除的文字不读",
                    self.seen.insertions, self.seen.deletions
                ),
                loc,
            ));
        }
        if self.seen.hidden > 0 {
            let loc = self
                .seen
                .first_hidden
                .map_or(file_loc.clone(), |p| self.location(p));
            self.diags.push(Diagnostic::new(
                Code::I336,
                format!(
                    "文档中有 {} 处隐藏文字（设置了“隐藏”格式，打印时不显示），已不读取",
                    self.seen.hidden
                ),
                loc,
            ));
        }
        if self.table_count == 0 {
            self.diags.push(Diagnostic::new(
                Code::I331,
                "Word 文档中没有表格，只读取了其中的文字；绩效目标表须是 Word 表格（不能是图片或用空格、制表符排出的文字），请确认选对了文件",
                file_loc,
            ));
        }
        let mut grid = Grid::new(self.file.map(str::to_string), None);
        grid.rows = self.rows;
        Page {
            grid,
            diagnostics: self.diags,
        }
    }
}
