//! Grid → IR: label-driven recognition of performance target tables.
//!
//! The recognizer is the only place that knows the *form*. It walks the rows of the grids in
//! order and finds, wherever they are, the summary table (序号 / 部门单位 / 项目名称 / 合计),
//! the title lines (`2022年度和硕县…汇总表`, `(2022年)`), the header block of each project
//! (预算单位, 项目名称, 项目资金, 项目总体目标 — labels in any column, with their value in the
//! next cell or after a colon in the same cell), and the indicator table under its
//! 一级指标–二级指标–三级指标–指标值 header.
//!
//! The stages, in the order a reader of this crate meets them:
//!
//! 1. **Vocabulary** (`templates/labels.toml`, [`jixiao_model::framework::Labels`], read by
//!    [`labels`]): what each cell *is* — a header-block label (预算单位, 年度资金总额 …), an
//!    indicator-table column label (一级指标 … 指标值, 指标性质, 度量单位), a summary column, a
//!    title (and the table kind it names: 申报/批复/自评/部门整体), or plain text. The level-1 and
//!    level-2 names come from `templates/framework.toml`. Nothing about the form's wording is
//!    in code, so `--template` can add a variant.
//! 2. **Blocks** (this file, `Recognizer::row`): each row is a title, a summary header, a
//!    header-block label row, an indicator header (one column group, or 中期 and 年度 side by
//!    side), or a row of the block that is open.
//! 3. **Columns by label** (`indicators.rs`): an indicator row is read through its header —
//!    value from the 指标值/年度指标值 column (never 中期指标值, 实际完成值, 分值, 指标解释),
//!    op from the 指标性质 column, unit from the 度量单位 column; amounts from the column whose
//!    heading says 年度. A 自评表's 实际完成值, 分值, 得分 and 偏差原因 columns are each
//!    indicator's `evaluation`; its score rows (预算执行率, 总分), its funds block under
//!    年初预算数 … 得分 and its 预期目标 / 实际完成情况 are the project's `self_evaluation`
//!    (`ziping.rs`).
//! 4. **Repair and report**: a row that lost its merged leading cells (any number of them) is
//!    realigned by content (R101, scored by named weights in `indicators.rs`); a row under two
//!    column groups is split where both halves fit; a blank level-1/level-2 cell is given to
//!    the group above or below (R102) in linear time; a table with no level-3 name and no value
//!    is a blank template (R114), and header text with neither a project name nor an indicator
//!    is no project (R123). Text that fits nowhere is reported (R108), never dropped silently.
//!    Only text is realigned: a row of a worksheet or a Word table is read where it stands
//!    (`indicators::keeps_cells`).
//! 5. **Group names and furniture** (`wrap.rs`, `furniture.rs`): a group name wrapped onto
//!    the next line is joined (R134); a row of group names only labels the rows below it; a
//!    lost 一级 is the 二级's parent in the framework (R102); placeholder rows (不适用, –:
//!    `placeholders.rs`) are no indicators but still label the rows below (R136); a blank
//!    table beside projects that were read is R137, alone R114; 审核意见, 评价结论, 注：, （盖章）
//!    end the table (R135). Each is reported once per table, with a count and the first place.
//!
//! Budget systems' workbooks and clerks' own sheets are read by passes in files of their
//! own: header fields the standard form has no place for, reported once per project
//! (`header.rs`); placeholder rows (`不适用`, `–`: `placeholders.rs`, the same mechanism as
//! in step 5, a 一级 made only of them listed in [`jixiao_model::Project::not_applicable`]);
//! long tables, one project per key of the
//! 项目名称/项目编码 columns (`long_table.rs`); one project over several sheets
//! (`sheets.rs`). Header fields the form does not give are marked in
//! [`jixiao_model::Project::unread`], so that the review rests no finding on them.
//!
//! ```
//! use jixiao_recognize::{recognize, Options};
//! let text = "预算单位\t和硕县民政局\t项目名称\t城市低保\n\
//!             一级指标\t二级指标\t三级指标\t指标值\n\
//!             产出指标\t数量指标\t城市低保救助发放人数\t≥221人\n";
//! let grid = jixiao_markdown::read(text, Some("a.md"));
//! let doc = recognize(&[grid], &Options::default());
//! assert_eq!(doc.projects[0].project_name, "城市低保");
//! assert_eq!(doc.projects[0].indicators[0].value.raw, "≥221人");
//! ```

mod furniture;
mod header;
mod header_block;
mod indicators;
pub mod labels;
mod long_table;
mod placeholders;
mod project;
pub mod score;
mod sheets;
pub mod stream;
mod summary;
mod table;
mod wrap;
mod ziping;

use header_block::{label_pairs, values_below};
use indicators::Header;
use jixiao_grid::{Cell, Grid, Pos, Row, RowKind};
use jixiao_model::framework::Framework;
use jixiao_model::{Code, Diagnostic, Document, Location, Summary, TableKind};
use labels::{Title, Vocab};
use project::Builder;
use summary::{SummaryCols, summary_header};

/// Settings for recognition.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The indicator framework (names, aliases, level-3 classes).
    pub framework: &'a Framework,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            framework: Framework::standard(),
        }
    }
}

/// Recognizes the tables in `grids` (in order) as one document. Never fails: what cannot be
/// read becomes a diagnostic; a document with neither summary nor project carries an R100 error.
pub fn recognize(grids: &[Grid], options: &Options) -> Document {
    let mut r = Recognizer::new(options.framework);
    for grid in grids {
        r.grid(grid);
    }
    r.finish(grids)
}

/// Where a cell is, as an IR location.
pub fn location(grid: &Grid, pos: &Pos) -> Location {
    grid.location(pos)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    None,
    Summary,
    Indicators,
    /// After the indicator table: opinions, conclusions, seals (counted, R135).
    AfterTable,
}

struct Recognizer<'a> {
    fw: &'a Framework,
    /// The form's vocabulary, each distinct cell text classified once.
    vocab: Vocab<'a>,
    doc: Document,
    diags: Vec<Diagnostic>,
    mode: Mode,
    current: Option<Builder>,
    year: Option<i32>,
    yuan: bool,
    summary_cols: Option<SummaryCols>,
    /// Projects dropped as blank templates (R114); they stand in for R100.
    blank_templates: usize,
    /// The kind of table the last title named (申报表, 批复表, 自评表 …).
    kind: Option<TableKind>,
    /// Skipped content (R108), listed up to [`MAX_SKIPPED`].
    skipped: Skipped,
    /// Rows after the current indicator table (R135).
    after_table: furniture::Tally,
    /// The open indicator table is a long table (项目名称 in a column): its key columns and
    /// the key of its last row.
    long: Option<(long_table::KeyColumns, Option<long_table::Key>)>,
}

/// Skipped content (R108): how many were listed, how many more were only counted and where
/// the first of those is.
#[derive(Default)]
struct Skipped {
    shown: usize,
    more: usize,
    more_at: Option<Location>,
}

impl Skipped {
    /// Records skipped content: in full up to [`MAX_SKIPPED`], counted beyond.
    fn push(&mut self, diags: &mut Vec<Diagnostic>, diag: Diagnostic) {
        if self.shown < MAX_SKIPPED {
            self.shown += 1;
            diags.push(diag);
        } else {
            self.more += 1;
            self.more_at.get_or_insert(diag.location);
        }
    }

    /// The one R108 that stands for the content only counted, if any.
    fn rest(self) -> Option<Diagnostic> {
        (self.more > 0).then(|| {
            Diagnostic::new(
                Code::R108,
                format!(
                    "另有 {} 处无法归入表格的内容已跳过，从此处开始（前 {MAX_SKIPPED} 处已逐一列出）",
                    self.more
                ),
                self.more_at.unwrap_or_default(),
            )
        })
    }
}

/// Skipped content (R108) is reported place by place up to this many; the rest is counted
/// in one R108 that says where it starts. A text that is mostly not a form (a long notice, a
/// grid of numbers) would otherwise give one diagnostic per cell — millions, in memory and
/// on screen — where the first few hundred already show what is wrong.
pub const MAX_SKIPPED: usize = 200;

impl<'a> Recognizer<'a> {
    fn new(fw: &'a Framework) -> Self {
        Recognizer {
            fw,
            vocab: Vocab::new(&fw.labels),
            doc: Document::default(),
            diags: Vec::new(),
            mode: Mode::None,
            current: None,
            year: None,
            yuan: false,
            summary_cols: None,
            blank_templates: 0,
            kind: None,
            skipped: Skipped::default(),
            after_table: furniture::Tally::default(),
            long: None,
        }
    }

    fn grid(&mut self, grid: &Grid) {
        if let Some(why) = not_a_table_sheet(&self.vocab, grid) {
            let sheet = grid.sheet.as_deref().unwrap_or("");
            let loc = Location {
                file: grid.file.clone(),
                sheet: Some(sheet.to_string()),
                ..Location::default()
            };
            self.diags.push(Diagnostic::new(
                Code::R115,
                format!("工作表“{sheet}”{why}，已跳过"),
                loc,
            ));
            return;
        }
        let mut r = 0;
        while r < grid.rows.len() {
            r += self.row(grid, r).max(1);
        }
        // A sheet ends whatever table was open; a project can still continue on the next
        // sheet only through its labels.
        self.mode = Mode::None;
        self.long = None;
    }

    /// Handles row `r`; returns how many rows it consumed.
    fn row(&mut self, grid: &Grid, r: usize) -> usize {
        let row = &grid.rows[r];
        if row.is_blank() {
            return 1;
        }
        let first = first_text_cell(row);
        let loc = first.map(|c| location(grid, &c.pos)).unwrap_or_default();

        if let Some(groups) = Header::groups(&self.vocab, row) {
            self.indicator_header(grid, r, groups, loc);
            return 1;
        }
        if let Some((cols, used)) = summary_header(&self.vocab, grid, r) {
            self.summary_start(grid, r, cols);
            return used;
        }
        if self.mode != Mode::Indicators
            && let Some((cols, yuan)) = ziping::funds_columns(&self.vocab, row)
            && let Some(b) = self.current.as_mut().filter(|b| b.raw.is_empty())
        {
            // 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 over a 自评表's funds
            // lines: each line below is read under these headings.
            b.funds_columns = Some(cols);
            if let Some(yuan) = yuan {
                b.yuan = yuan;
                b.project.funds.location.get_or_insert(loc.clone());
            }
            self.mode = Mode::None;
            return 1;
        }
        // Inside the indicator table a row that names a level 1 or level 2 is the table's,
        // even where one of its cells also reads as a header-block label (`成本指标 | 基本支出`
        // in a 部门整体 table).
        let in_table = self.mode == Mode::Indicators
            && row
                .cells
                .iter()
                .any(|c| c.covered.is_none() && wrap::is_level(self.fw, &c.text));
        if !in_table && let Some(mut pairs) = label_pairs(&self.vocab, row) {
            let below = values_below(&self.vocab, grid, r, &mut pairs);
            self.labels(grid, r, pairs);
            return if below { 2 } else { 1 };
        }
        if self.mode == Mode::Indicators
            && let Some(caption) =
                first.and_then(|c| furniture::table_end(&self.fw.labels, &c.text))
        {
            // 财政部门审核意见, 评价结论, 注：…, （盖章）: the indicator table has ended.
            self.mode = Mode::AfterTable;
            self.after_table.add(loc, &caption);
            return 1;
        }
        let is_title = || single_text_cell(row).is_some_and(|c| labels::title(&c.text).is_some());
        if self.mode == Mode::AfterTable && !is_title() {
            // Up to the next label, table header or title (the next project's).
            let text = first.map_or("", |c| c.text.as_str());
            self.after_table.add(loc, text);
            return 1;
        }
        if self.mode == Mode::Indicators && is_footer(self.fw, row) {
            // 填表人：… 审核人：… under the table: the indicator table has ended.
            self.mode = Mode::None;
        }
        if let Some(cell) = single_text_cell(row)
            && let Some(title) = labels::title(&cell.text)
        {
            self.title(title, &cell.text, loc);
            return 1;
        }
        if self.mode == Mode::Indicators && self.group_row(grid, row, &loc) {
            return 1;
        }
        let handled = match self.mode {
            Mode::Summary => self.summary_row(grid, row),
            Mode::Indicators if row.kind == RowKind::Table => {
                self.indicator_row(grid, row, loc.clone())
            }
            _ => false,
        };
        if !handled {
            self.unplaced(grid, row);
        }
        1
    }

    fn unplaced(&mut self, grid: &Grid, row: &Row) {
        let rest = self.other_fields(grid, row, (0..row.cells.len()).collect());
        for cell in rest.into_iter().map(|i| &row.cells[i]) {
            if let Some(title @ Title::Unit { .. }) = labels::title(&cell.text) {
                self.title(title, &cell.text, location(grid, &cell.pos));
                continue;
            }
            if labels::is_section_heading(&self.fw.labels, &cell.text) {
                // The form's own section headings (绩效指标 / 中期绩效指标 / 年度绩效指标 over
                // the indicator columns of the 88号 template) carry no data.
                continue;
            }
            self.skipped.push(
                &mut self.diags,
                Diagnostic::new(
                    Code::R108,
                    format!("无法归入表格的内容，已跳过：“{}”", cell.text.trim()),
                    location(grid, &cell.pos),
                ),
            );
        }
    }

    /// Takes the header fields the standard form has no place for (`项目编码：` and its
    /// value) out of `cells` of a row of real cells in a project's header block, for the
    /// project's one R108 (`header.rs`); returns the other cells with text.
    fn other_fields(&mut self, grid: &Grid, row: &Row, cells: Vec<usize>) -> Vec<usize> {
        let filled: Vec<(usize, &str)> = cells
            .into_iter()
            .filter(|&i| row.cells[i].covered.is_none() && !row.cells[i].is_blank())
            .map(|i| (i, row.cells[i].text.as_str()))
            .collect();
        let in_header = self.mode != Mode::Indicators
            && indicators::keeps_cells(row)
            && self.current.as_ref().is_some_and(|b| b.raw.is_empty());
        if !in_header {
            return filled.into_iter().map(|(i, _)| i).collect();
        }
        let (fields, rest) = header::fields_and_rest(&filled);
        if let Some(b) = self.current.as_mut() {
            for (i, name) in fields {
                b.other_fields.push(name, location(grid, &row.cells[i].pos));
            }
        }
        rest
    }

    fn title(&mut self, title: Title, text: &str, loc: Location) {
        match title {
            Title::Summary => {
                self.finish_project();
                let summary = self.doc.summary.get_or_insert_with(Summary::default);
                summary.title = Some(text.trim().to_string());
                summary.year = labels::year_in(&jixiao_model::framework::normalize_label(text));
                summary.region = labels::region_in(text);
                summary.location = loc;
                self.kind = None;
                self.mode = Mode::None;
            }
            Title::Project(year) => {
                self.finish_project();
                self.kind = labels::kind_in(&self.fw.labels, text);
                self.year = year.or(self.year);
                self.yuan = false;
                self.mode = Mode::None;
            }
            Title::Year(year) => {
                self.year = Some(year);
                if let Some(b) = self.current.as_mut().filter(|b| b.raw.is_empty()) {
                    b.project.year = Some(year);
                }
            }
            Title::Unit { yuan } => {
                self.yuan = yuan;
                if let Some(b) = self.current.as_mut().filter(|b| b.raw.is_empty()) {
                    b.yuan = yuan;
                }
            }
        }
    }

    fn finish(mut self, grids: &[Grid]) -> Document {
        self.finish_project();
        if let Some(d) = std::mem::take(&mut self.after_table).after_table() {
            self.diags.push(d);
        }
        // A blank template table (R114) fails a document that holds nothing else; beside
        // projects that were read (one sheet of a workbook left blank) it is R137, a warning:
        // the others convert, the blank one is named.
        let filled = self
            .doc
            .projects
            .iter()
            .any(|p| !p.indicators.is_empty() || !p.midterm_indicators.is_empty());
        if filled {
            for d in self.diags.iter_mut().filter(|d| d.code == "R114") {
                let message = format!("{}；其他项目已读取，此项目未转换", d.message);
                *d = Diagnostic::new(Code::R137, message, std::mem::take(&mut d.location));
            }
        }
        sheets::merge_sheet_parts(&mut self.doc, &mut self.diags);
        if self.blank_templates == 0
            && self.doc.projects.is_empty()
            && self.doc.summary.as_ref().is_none_or(|s| s.rows.is_empty())
        {
            let loc = grids
                .first()
                .and_then(|g| g.file.as_deref())
                .map(Location::file)
                .unwrap_or_default();
            self.diags.push(Diagnostic::new(
                Code::R100,
                "未找到绩效目标表：没有“预算单位/项目名称”等标签，也没有“一级指标/二级指标/三级指标/指标值”表头或汇总表".to_string(),
                loc,
            ));
        }
        if let Some(rest) = std::mem::take(&mut self.skipped).rest() {
            self.diags.push(rest);
        }
        self.doc.diagnostics = self.diags;
        self.doc
    }
}

fn first_text_cell(row: &Row) -> Option<&Cell> {
    row.cells
        .iter()
        .find(|c| !c.is_blank() && c.covered.is_none())
        .or(row.cells.first())
}

/// The one cell with text, when a row has exactly one (a title line, even in a table).
fn single_text_cell(row: &Row) -> Option<&Cell> {
    let mut with_text = row
        .cells
        .iter()
        .filter(|c| !c.is_blank() && c.covered.is_none());
    let one = with_text.next()?;
    with_text.next().is_none().then_some(one)
}

/// A signature or date line under a table (`填表人：张三`, `审核人：`, `联系电话：…`): every
/// cell with text is a short caption and a colon, and none is an indicator name.
fn is_footer(fw: &Framework, row: &Row) -> bool {
    let texts: Vec<&str> = row
        .cells
        .iter()
        .filter(|c| c.covered.is_none() && !c.is_blank())
        .map(|c| c.text.trim())
        .collect();
    !texts.is_empty()
        && texts.iter().all(|t| {
            let caption = t.split([':', '：']).next().unwrap_or("");
            caption.chars().count() <= 8
                && caption.chars().count() < t.chars().count()
                && fw.level1(caption).is_none()
                && fw.level2(caption).is_none()
        })
}

/// Why a worksheet is no table to read, if it is not: its name says it is the instructions
/// (填表说明), or none of its cells is a label, a table header or a title of the form (a sheet
/// of dropdown lists, say). Only sheets of workbooks are judged; a text file is always read.
fn not_a_table_sheet(v: &Vocab, grid: &Grid) -> Option<String> {
    let name = jixiao_model::framework::normalize_label(grid.sheet.as_deref()?);
    if name.contains("说明") || name.contains("填报要求") {
        return Some("是填表说明，不是数据表".to_string());
    }
    let knows = |r: usize| {
        let row = &grid.rows[r];
        Header::groups(v, row).is_some()
            || summary_header(v, grid, r).is_some()
            || label_pairs(v, row).is_some()
            || row.cells.iter().any(|c| {
                labels::title(&c.text)
                    .is_some_and(|t| matches!(t, Title::Summary | Title::Project(_)))
            })
    };
    if (0..grid.rows.len()).any(knows) {
        return None;
    }
    let filled = grid
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| c.covered.is_none() && !c.is_blank())
        .count();
    Some(format!(
        "中没有绩效目标表的标签（如“项目名称”“一级指标”）或标题，像是下拉选项或其他辅助表（{filled} 个非空单元格未读取）"
    ))
}

/// Splits a goal at `目标1:`, `目标2:` …; an unnumbered goal is one part. Separators between
/// parts (`;`, `,`) are dropped; the text of each part is kept.
pub fn split_goals(goal: &str) -> Vec<String> {
    let chars: Vec<(usize, char)> = goal.char_indices().collect();
    let mut marks: Vec<(usize, usize)> = Vec::new(); // (start of marker, start of text)
    let mut k = 0;
    while k + 1 < chars.len() {
        if chars[k].1 == '目' && chars[k + 1].1 == '标' {
            let mut m = k + 2;
            while m < chars.len() && chars[m].1.is_whitespace() {
                m += 1;
            }
            let digits_start = m;
            while m < chars.len()
                && (chars[m].1.is_ascii_digit() || ('０'..='９').contains(&chars[m].1))
            {
                m += 1;
            }
            let has_digits = m > digits_start;
            while m < chars.len() && chars[m].1.is_whitespace() {
                m += 1;
            }
            if has_digits && m < chars.len() && matches!(chars[m].1, ':' | '：' | '、' | '.' | '．')
            {
                let text_start = chars.get(m + 1).map_or(goal.len(), |c| c.0);
                marks.push((chars[k].0, text_start));
                k = m + 1;
                continue;
            }
        }
        k += 1;
    }
    let clean = |s: &str| {
        s.trim()
            .trim_end_matches([';', '；', ',', '，', '、'])
            .trim()
            .to_string()
    };
    if marks.is_empty() {
        let g = clean(goal);
        return if g.is_empty() { Vec::new() } else { vec![g] };
    }
    let mut parts = Vec::new();
    let preamble = clean(&goal[..marks[0].0]);
    if !preamble.is_empty() {
        parts.push(preamble);
    }
    for (n, &(_, text_start)) in marks.iter().enumerate() {
        let end = marks.get(n + 1).map_or(goal.len(), |m| m.0);
        let part = clean(&goal[text_start..end]);
        if !part.is_empty() {
            parts.push(part);
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skipped_content_is_listed_then_counted() {
        use jixiao_grid::{Cell, Grid, Pos, Row, RowKind};
        // 1,000 lines of a notice: no form, 1,000 skipped cells.
        let mut grid = Grid::new(Some("通知.txt".into()), None);
        for line in 1..=1_000u32 {
            grid.rows.push(Row::new(
                RowKind::Text,
                vec![Cell::new(
                    format!("第{line}段说明文字"),
                    Pos::Line { line, column: 1 },
                )],
            ));
        }
        let doc = recognize(&[grid], &Options::default());
        let skipped: Vec<_> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == "R108")
            .collect();
        assert_eq!(skipped.len(), MAX_SKIPPED + 1);
        let rest = skipped[MAX_SKIPPED];
        assert!(rest.message.contains("另有 800 处"), "{}", rest.message);
        assert_eq!(rest.location.line, Some(MAX_SKIPPED as u32 + 1));
    }

    /// A blank template table beside a project that was read is R137 (a warning, the rest
    /// converts); alone it is R114 (an error). Its rows of group names are not reported one
    /// by one.
    #[test]
    fn a_blank_table_beside_read_projects_is_a_warning() {
        let blank = "项目名称\t乙\n一级指标\t二级指标\t三级指标\t指标值\n产出\t数量\t\t\n满意度\t其他满意度\t–\t–\n";
        let read =
            "项目名称\t甲\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t人数\t≥1人\n";
        let doc = |text: &str| {
            let grid = jixiao_markdown::read(text, Some("a.md"));
            recognize(&[grid], &Options::default())
        };
        let both = doc(&format!("{read}{blank}"));
        let codes: Vec<&str> = both.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert!(
            codes.contains(&"R137") && !codes.contains(&"R114"),
            "{codes:?}"
        );
        assert!(!codes.contains(&"R122"), "{codes:?}");
        let alone = doc(blank);
        assert!(alone.diagnostics.iter().any(|d| d.code == "R114"));
    }

    /// Placeholder rows are no indicators, reported once per table (R136) with the count at
    /// the first; their group names label the rows below; a 一级 made only of them is not
    /// applicable to the project.
    #[test]
    fn placeholder_rows_label_below_and_mark_not_applicable() {
        let text = "项目名称\t甲\n一级指标\t二级指标\t三级指标\t指标值\n\
                    产出指标\t数量指标\t不适用\t不适用\n\
                    \t\t人数\t≥1人\n\
                    效益指标\t经济效益指标\t–\t–\n\
                    满意度指标\t服务对象满意度指标\t满意度\t≥90%\n";
        let grid = jixiao_markdown::read(text, Some("a.md"));
        let doc = recognize(&[grid], &Options::default());
        let p = &doc.projects[0];
        let rows: Vec<(&str, &str, &str)> = p
            .indicators
            .iter()
            .map(|i| (i.level1.as_str(), i.level2.as_str(), i.level3.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("产出指标", "数量指标", "人数"),
                ("满意度指标", "服务对象满意度指标", "满意度")
            ]
        );
        assert_eq!(p.not_applicable, ["效益指标"]);
        let r136: Vec<_> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == "R136")
            .collect();
        assert_eq!(r136.len(), 1, "{:?}", doc.diagnostics);
        assert!(r136[0].message.contains("2 行"), "{}", r136[0].message);
        assert_eq!(r136[0].location.line, Some(3));
        assert!(doc.diagnostics.iter().all(|d| d.code != "R122"));
    }

    /// The rows after a table are counted up to the next project's title, which is read.
    #[test]
    fn furniture_ends_at_the_next_title() {
        let text = "项目名称\t甲\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t人数\t≥1人\n财政部门审核意见\t同意\n（盖章）\n2025年度项目支出绩效目标表\n项目名称\t乙\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t次数\t≥2次\n";
        let grid = jixiao_markdown::read(text, Some("a.md"));
        let doc = recognize(&[grid], &Options::default());
        assert_eq!(doc.projects.len(), 2);
        assert_eq!(doc.projects[1].year, Some(2025));
        let ends: Vec<_> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == "R135")
            .collect();
        assert_eq!(ends.len(), 1);
        assert!(ends[0].message.contains("2 行"), "{}", ends[0].message);
        assert!(doc.diagnostics.iter().all(|d| d.code != "R108"));
    }

    #[test]
    fn goals() {
        assert_eq!(
            split_goals(
                "目标1: 我县2022年预计城乡养老参保人数12212人。目标2: 逐步满足参保群众待遇预期, 助力精准脱贫。"
            ),
            vec![
                "我县2022年预计城乡养老参保人数12212人。",
                "逐步满足参保群众待遇预期, 助力精准脱贫。"
            ]
        );
        assert_eq!(split_goals("目标1: 甲; 目标2：乙"), vec!["甲", "乙"]);
        assert_eq!(
            split_goals("建立实施城乡低保制度。"),
            vec!["建立实施城乡低保制度。"]
        );
        assert_eq!(split_goals(""), Vec::<String>::new());
        assert_eq!(
            split_goals("总体：目标1、甲。目标 2 ：乙"),
            vec!["总体：", "甲。", "乙"]
        );
    }
}
