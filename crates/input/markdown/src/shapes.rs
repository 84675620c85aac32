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

use super::{clean_inline, html_block_end, prose_rows, split_row, table_tags};
use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::{Cell, Grid, Pos, Row, RowKind, Shape};
use unicode_width::UnicodeWidthStr;

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

    fn furniture(&mut self, i: usize) {
        let text: String = self.lines[i].trim().chars().take(40).collect();
        let more = if self.lines[i].trim().chars().count() > 40 {
            "…"
        } else {
            ""
        };
        self.diagnostics.push(Diagnostic::new(
            Code::I340,
            format!(
                "网页附带的内容（导航、索引号、发布信息、图片），不属于表格，已跳过：“{text}{more}”"
            ),
            self.location(i),
        ));
    }

    fn prose(&mut self, i: usize) {
        self.grid.rows.extend(prose_rows(&self.lines[i..=i], i));
    }

    /// Pipe rows, with or without the leading `|` and the `|---|` line.
    fn pipes(&mut self) {
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
            }
            let cells = split_pipes(&self.lines[i..end], i);
            if !cells.is_empty() {
                self.grid.rows.push(Row::new(RowKind::Table, cells));
            }
            i = end;
        }
    }

    /// One cell per line ending in ` |`; a lone `|` line starts each row.
    fn cell_per_line(&mut self) {
        let mut row: Option<Vec<Cell>> = None;
        let mut pending: Option<(String, Pos)> = None;
        let mut i = 0;
        while i < self.lines.len() {
            let t = self.lines[i].trim();
            if t == "|" {
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
            if is_pipes_only(t) {
                // `||||`, `| |||`: the empty cells at the end of a row, which ends here as
                // it does at a lone `|` (the next `|` then starts no empty row).
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

    /// Cells separated by lone `|` lines: every run of lines between two bars is one cell
    /// (two bars in a row: an empty cell); before the first bar each line is a cell of its
    /// own (the title lines). A stream: one cell per row, rebuilt by the recognizer.
    fn bar_separated(&mut self) {
        let mut pending: Option<(String, Pos)> = None;
        let mut seen_bar = false;
        let mut last_bar: Option<usize> = None;
        let mut i = 0;
        while i < self.lines.len() {
            let t = self.lines[i].trim();
            if t == "|" {
                match pending.take() {
                    Some((text, pos)) => self.stream_cell(&text, pos),
                    None if seen_bar => {
                        let at = last_bar.map_or(i, |b| b + 1);
                        self.stream_cell("", self.pos(at.min(i), 1));
                    }
                    None => {}
                }
                seen_bar = true;
                last_bar = Some(i);
                i += 1;
                continue;
            }
            if !seen_bar || t.is_empty() || is_furniture(t) || self.lines[i].contains('\t') {
                if let Some((text, pos)) = pending.take() {
                    self.stream_cell(&text, pos);
                }
                match self.common(i) {
                    Some(next) => i = next,
                    None => {
                        self.stream_cell(t, self.pos(i, 1));
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
            let entry = pending.get_or_insert_with(|| (String::new(), self.pos(i, column)));
            if !entry.0.is_empty() {
                entry.0.push('\n');
            }
            entry.0.push_str(t);
            i += 1;
        }
        if let Some((text, pos)) = pending.take() {
            self.stream_cell(&text, pos);
        }
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

    /// One cell per paragraph: a stream of one-cell rows, in order. A paragraph of spaces is
    /// an empty cell; a paragraph of several lines is one cell with line breaks.
    fn cell_per_paragraph(&mut self) {
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

    /// Cells separated by runs of two or more spaces (fixed-width layout).
    fn spaces(&mut self) {
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

    fn space_block(&mut self, start: usize, end: usize) {
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

    /// Cells separated by single spaces.
    fn single_space(&mut self) {
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
}

impl Reader<'_> {
    /// Every cell of every line, separated by single spaces, as a stream of one-cell rows
    /// (a table run together on one line).
    fn space_stream(&mut self) {
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
fn single_space_cells(line: &str) -> Vec<(u32, &str)> {
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

/// True for a line of only pipes and spaces with at least two pipes (`||||`, `| |||`).
fn is_pipes_only(t: &str) -> bool {
    t.chars().filter(|&c| c == '|').count() >= 2 && t.chars().all(|c| c == '|' || c.is_whitespace())
}

/// A cell's text without the pipes (and spaces) after it: `3500 | ||` → `3500`. An escaped
/// pipe (`\|`) at the end is text and stays.
fn strip_pipe_residue(t: &str) -> &str {
    let mut end = t.len();
    loop {
        let rest = t[..end].trim_end();
        match rest.strip_suffix('|') {
            Some(before) if !before.ends_with('\\') => end = before.len(),
            _ => return rest,
        }
    }
}

/// True for a `|---|:---:|` line.
fn is_delimiter_line(line: &str) -> bool {
    let t = line.trim();
    t.contains('-')
        && t.contains('|')
        && t.chars()
            .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\u{3000}'))
}

/// Page furniture of a government web page: breadcrumbs, 索引号/发布机构/发布日期/来源 lines,
/// print/close links, images.
pub(crate) fn is_furniture(line: &str) -> bool {
    let t = line.trim().trim_start_matches(['-', '*', '·', ' ']).trim();
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if (compact.starts_with("<image") || compact.starts_with("<img") || compact.starts_with("!["))
        && !compact.contains("<table")
    {
        return true;
    }
    if (compact.contains("当前位置") || compact.contains("首页")) && compact.contains('>') {
        return true;
    }
    if compact.starts_with("【打印") || compact.starts_with("【关闭") {
        return true;
    }
    const CAPTIONS: &[&str] = &[
        "索引号",
        "发布机构",
        "发布日期",
        "发布时间",
        "成文日期",
        "来源",
        "信息来源",
        "浏览次数",
        "访问次数",
        "主办单位",
        "分类",
        "文号",
    ];
    CAPTIONS.iter().any(|c| {
        compact
            .strip_prefix(c)
            .is_some_and(|rest| rest.starts_with([':', '：']))
    })
}

/// Paragraphs: runs of lines between empty lines, as `(first, end)` line ranges. A line of
/// spaces is not empty: it is a paragraph of its own (an empty cell).
fn paragraphs(lines: &[&str]) -> Vec<(usize, usize)> {
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

/// The cells of a line split at runs of two or more spaces (or one ideographic space), each
/// with the display column it starts at.
fn space_cells(line: &str) -> Vec<(usize, &str)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(page: &Page) -> Vec<Vec<String>> {
        page.grid
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
            .collect()
    }

    fn read(text: &str, shape: Shape) -> Page {
        read_shape(&lines(text), Some("t.md"), shape)
    }

    #[test]
    fn pipes_without_leading_pipe_drop_residue() {
        let p = read(
            "标题 | ||||||\n一级指标 | 二级指标 | 三级指标 | 指标值 | |\n甲 | | 乙 | |||\n",
            Shape::Pipes,
        );
        assert_eq!(
            texts(&p),
            vec![
                vec!["标题"],
                vec!["一级指标", "二级指标", "三级指标", "指标值"],
                vec!["甲", "", "乙"]
            ]
        );
        assert_eq!(
            p.grid.rows[2].cells[2].pos,
            Pos::Line { line: 3, column: 7 }
        );
    }

    #[test]
    fn led_pipes_keep_empty_cells_and_continue_over_lines() {
        let p = read(
            "| 年度绩效目标 | 一级\n指标 | 二级\n指标 | 三级指标 |\n| a | | |\n| b | ||||\n",
            Shape::Pipes,
        );
        assert_eq!(
            texts(&p),
            vec![
                vec!["年度绩效目标", "一级\n指标", "二级\n指标", "三级指标"],
                vec!["a", "", ""],
                vec!["b"]
            ]
        );
        assert_eq!(
            p.grid.rows[0].cells[2].pos,
            Pos::Line { line: 2, column: 6 }
        );
    }

    #[test]
    fn furniture_is_dropped_and_reported() {
        let p = read(
            "<image>data:image/png;base64,AAAA</image>\n当前位置:首页 > 政务公开\n- 发布机构:某局\n| 项目名称 | 甲 |\n",
            Shape::Pipes,
        );
        assert_eq!(texts(&p), vec![vec!["项目名称", "甲"]]);
        let lines: Vec<_> = p.diagnostics.iter().map(|d| d.location.line).collect();
        assert_eq!(lines, [Some(1), Some(2), Some(3)]);
        assert!(p.diagnostics.iter().all(|d| d.code == "I340"));
    }

    #[test]
    fn cell_per_line_rows_start_at_lone_bars() {
        let p = read(
            "标题\n|\n表名 |\n||||\n|\n项目名称 |\n很长的\n名称 |\n|\n一 |\n二 |\n||\n",
            Shape::CellPerLine,
        );
        assert_eq!(
            texts(&p),
            vec![
                vec!["标题"],
                vec!["表名"],
                vec!["项目名称", "很长的\n名称"],
                vec!["一", "二"]
            ]
        );
    }

    #[test]
    fn cell_per_line_pipe_only_lines_end_rows_and_leave_no_residue() {
        let p = read(
            "|\n一 |\n二 | ||\n|\n甲 |\n3500 | |\n|\n|\n| |||\n|\n乙 |\n丙 | |||\n",
            Shape::CellPerLine,
        );
        assert_eq!(
            texts(&p),
            vec![vec!["一", "二"], vec!["甲", "3500"], vec!["乙", "丙"]]
        );
        assert_eq!(strip_pipe_residue("a \\| |"), "a \\|");
    }

    #[test]
    fn lone_bars_between_cells_make_a_stream() {
        let text = "标题\n项目名称\n|\n甲\n|\n其他资金\n|\n|\n一级 指标\n|\n≧90%\n";
        let p = read(text, Shape::BarSeparated);
        assert_eq!(
            texts(&p),
            vec![
                vec!["标题"],
                vec!["项目名称"],
                vec!["甲"],
                vec!["其他资金"],
                vec![""],
                vec!["一级 指标"],
                vec!["≧90%"]
            ]
        );
        let many = "a\n|\nb\n|\nc\n|\nd\n|\ne\n|\nf\n";
        assert_eq!(proposed(&lines(many)), vec![Shape::BarSeparated]);
        // Cells closed with ` |` are one cell per line, whose bars start rows.
        let closed = "|\na |\nb |\n|\nc |\nd |\n|\ne |\n|\n|\n|\n";
        assert_eq!(proposed(&lines(closed)), vec![Shape::CellPerLine]);
    }

    #[test]
    fn paragraphs_are_a_stream_with_empty_cells() {
        let p = read(
            "项目名称\n\n甲\n\n其他资金\n\n \n\n乙\n",
            Shape::CellPerParagraph,
        );
        assert_eq!(
            texts(&p),
            vec![
                vec!["项目名称"],
                vec!["甲"],
                vec!["其他资金"],
                vec![""],
                vec!["乙"]
            ]
        );
        assert_eq!(
            p.grid.rows[4].cells[0].pos,
            Pos::Line { line: 9, column: 1 }
        );
    }

    #[test]
    fn fixed_width_indents_and_wrapped_labels() {
        let text = "一级指标    二级指标    指标值\n产出指标    数量指标    ≥1人\n            质量指标    =100%\n效益指标    经济效益    提升\n            指标\n";
        let p = read(text, Shape::Spaces);
        assert_eq!(
            texts(&p),
            vec![
                vec!["一级指标", "二级指标", "指标值"],
                vec!["产出指标", "数量指标", "≥1人"],
                vec!["", "质量指标", "=100%"],
                vec!["效益指标", "经济效益指标", "提升"],
            ]
        );
        assert_eq!(p.diagnostics[0].code, "I341");
        assert_eq!(p.diagnostics[0].location.line, Some(5));
        assert_eq!(
            p.grid.rows[2].cells[1].pos,
            Pos::Line {
                line: 3,
                column: 13
            }
        );
    }

    proptest::proptest! {
        /// Cutting a line at single spaces loses no text and invents none: the cells, in
        /// order, are the line's non-space text, each found at its column; brackets only decide
        /// where cells end.
        #[test]
        fn single_space_cells_keep_every_character(
            line in "[甲乙 ()（）≥*个0-9\u{3000}]{0,40}"
        ) {
            let cells = single_space_cells(&line);
            let joined: String = cells.iter().flat_map(|(_, t)| t.chars()).collect();
            let text: String = line.chars().filter(|c| *c != ' ' && *c != '\u{3000}').collect();
            let kept: String = joined.chars().filter(|c| *c != ' ' && *c != '\u{3000}').collect();
            proptest::prop_assert_eq!(kept, text);
            for (column, cell) in &cells {
                let at: String = line.chars().skip(*column as usize - 1).take(cell.chars().count()).collect();
                proptest::prop_assert_eq!(&at, cell);
            }
        }

        /// A cell's text never ends in pipe residue, and what is left is where it was.
        #[test]
        fn pipe_residue_is_all_removed(text in "[甲1 |\\\\]{0,20}") {
            let kept = strip_pipe_residue(&text);
            proptest::prop_assert!(text.starts_with(kept));
            proptest::prop_assert!(!kept.ends_with(' '));
            proptest::prop_assert!(!kept.ends_with('|') || kept.ends_with("\\|"));
        }
    }

    #[test]
    fn single_space_cells_keep_spaces_inside_brackets() {
        assert_eq!(
            single_space_cells("数量指标 数量( ≥**个 ) ≥5个"),
            vec![(1, "数量指标"), (6, "数量( ≥**个 )"), (17, "≥5个")]
        );
        // A bracket never closed keeps nothing together; a stray closing one is text.
        assert_eq!(
            single_space_cells("甲 (乙 丙"),
            vec![(1, "甲"), (3, "(乙"), (6, "丙")]
        );
        assert_eq!(single_space_cells("甲) 乙"), vec![(1, "甲)"), (4, "乙")]);
        assert_eq!(single_space_cells("  "), Vec::<(u32, &str)>::new());
    }

    #[test]
    fn single_spaces() {
        let p = read(
            "标题\n项目名称 甲\n产出指标 数量指标 人数 ≥1人\n",
            Shape::SingleSpace,
        );
        assert_eq!(
            texts(&p),
            vec![
                vec!["标题"],
                vec!["项目名称", "甲"],
                vec!["产出指标", "数量指标", "人数", "≥1人"]
            ]
        );
        assert_eq!(p.grid.rows[0].kind, RowKind::Text);
    }

    #[test]
    fn proposals() {
        let ls = |t: &'static str| lines(t).to_vec();
        assert_eq!(proposed(&ls("a\tb\nc\td\n")), Vec::<Shape>::new());
        assert_eq!(
            proposed(&ls("| a | b |\n|---|---|\n| c | d |\n")),
            Vec::<Shape>::new()
        );
        assert_eq!(proposed(&ls("a | b\nc | d | |||\n")), vec![Shape::Pipes]);
        assert!(proposed(&ls("a  b  c\nd  e\nf  g\n")).contains(&Shape::Spaces));
        assert!(proposed(&ls("a b c\nd e\nf g\n")).contains(&Shape::SingleSpace));
        // A whole table on one line is a stream; ordinary single-space rows are not.
        let table = ["一级指标 二级指标 三级指标 指标值"; 12].join(" ");
        assert!(proposed(&lines(&table)).contains(&Shape::SpaceStream));
        assert!(!proposed(&ls("a b c\nd e\nf g\n")).contains(&Shape::SpaceStream));
        // A TAB table with a few lines of prose is not read in the space shapes.
        let mostly_tabs = ls("a b c\nd e\nf g\nx\ty\nx\ty\nx\ty\nx\ty\n");
        assert!(!proposed(&mostly_tabs).contains(&Shape::SingleSpace));
    }
}
