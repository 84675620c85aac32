//! The recognizer: its state over the grids of a document, and the dispatch of each row —
//! a title, a summary header, a header-block label row, an indicator header, a row of the
//! block that is open, or text that fits nowhere (R108, listed up to [`MAX_SKIPPED`]) —
//! and the document it finishes with.

use crate::header_block::{label_pairs, values_below};
use crate::indicators::{self, Header};
use crate::labels::{self, Title, Vocab};
use crate::project::Builder;
use crate::summary::{SummaryCols, summary_header};
use crate::{MAX_SKIPPED, furniture, header, location, long_table, sheets, wrap, ziping};
use jixiao_grid::{Cell, Grid, Row, RowKind};
use jixiao_model::framework::Framework;
use jixiao_model::{Code, Diagnostic, Document, Location, Summary, TableKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    None,
    Summary,
    Indicators,
    /// After the indicator table: opinions, conclusions, seals (counted, R135).
    AfterTable,
}

pub(crate) struct Recognizer<'a> {
    pub(crate) fw: &'a Framework,
    /// The form's vocabulary, each distinct cell text classified once.
    pub(crate) vocab: Vocab<'a>,
    pub(crate) doc: Document,
    pub(crate) diags: Vec<Diagnostic>,
    pub(crate) mode: Mode,
    pub(crate) current: Option<Builder>,
    pub(crate) year: Option<i32>,
    /// The year of a heading above the first table that is no title of the form's own
    /// (`大英县民政局2022年度中央对地方转移支付项目绩效自评情况公示`, `2022年度项目支出绩效自评表 |
    /// 部门:…`): the year of projects no title or label gave one.
    pub(crate) heading_year: Option<i32>,
    pub(crate) yuan: bool,
    pub(crate) summary_cols: Option<SummaryCols>,
    /// Projects dropped as blank templates (R114); they stand in for R100.
    pub(crate) blank_templates: usize,
    /// The kind of table the last title named (申报表, 批复表, 自评表 …).
    pub(crate) kind: Option<TableKind>,
    /// Skipped content (R108), listed up to [`MAX_SKIPPED`].
    pub(crate) skipped: Skipped,
    /// Rows after the current indicator table (R135).
    pub(crate) after_table: furniture::Tally,
    /// The open indicator table is a long table (项目名称 in a column): its key columns and
    /// the key of its last row.
    pub(crate) long: Option<(long_table::KeyColumns, Option<long_table::Key>)>,
    /// Rows whose cells were let go as the rows after them were read ([`Recognizer::grid_owned`]).
    pub(crate) let_go: usize,
}

/// How many rows behind the row in hand [`Recognizer::grid_owned`] keeps: the stages look
/// back at most at the row above.
const KEEP_BEHIND: usize = 4;

/// Skipped content (R108): how many were listed, how many more were only counted and where
/// the first of those is.
#[derive(Default)]
pub(crate) struct Skipped {
    shown: usize,
    more: usize,
    more_at: Option<Location>,
}

impl Skipped {
    /// Records skipped content: in full up to [`MAX_SKIPPED`], counted beyond.
    pub(crate) fn push(&mut self, diags: &mut Vec<Diagnostic>, diag: Diagnostic) {
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

impl<'a> Recognizer<'a> {
    pub(crate) fn new(fw: &'a Framework) -> Self {
        Recognizer {
            fw,
            vocab: Vocab::new(&fw.labels),
            doc: Document::default(),
            diags: Vec::new(),
            mode: Mode::None,
            current: None,
            year: None,
            heading_year: None,
            yuan: false,
            summary_cols: None,
            blank_templates: 0,
            kind: None,
            skipped: Skipped::default(),
            after_table: furniture::Tally::default(),
            long: None,
            let_go: 0,
        }
    }

    pub(crate) fn grid(&mut self, grid: &Grid) {
        if self.skip_sheet(grid) {
            return;
        }
        let mut r = 0;
        while r < grid.rows.len() {
            r += self.row(grid, r).max(1);
        }
        self.end_sheet();
    }

    /// [`Recognizer::grid`], taking the grid: a row's cells are let go once the row in hand is
    /// [`KEEP_BEHIND`] rows further on (a row looks back at most at the row above it), so
    /// the cells of a large text are let go as its indicators are made.
    pub(crate) fn grid_owned(&mut self, mut grid: Grid) {
        if self.skip_sheet(&grid) {
            return;
        }
        let mut r = 0;
        let mut kept_from = 0;
        while r < grid.rows.len() {
            r += self.row(&grid, r).max(1);
            while kept_from + KEEP_BEHIND < r.min(grid.rows.len()) {
                grid.rows[kept_from].cells = Vec::new();
                kept_from += 1;
                self.let_go += 1;
            }
        }
        self.end_sheet();
    }

    /// A sheet ends whatever table was open; a project can still continue on the next
    /// sheet only through its labels.
    fn end_sheet(&mut self) {
        self.mode = Mode::None;
        self.long = None;
    }

    /// R115 for a sheet that is no table (a list of codes, a chart's data): true when the
    /// sheet is skipped.
    fn skip_sheet(&mut self, grid: &Grid) -> bool {
        if let Some(why) = not_a_table_sheet(&self.vocab, grid) {
            let sheet = grid.sheet.as_deref().unwrap_or("");
            let loc = Location {
                file: grid.file.as_deref().map(Into::into),
                sheet: Some(sheet.to_string()),
                ..Location::default()
            };
            self.diags.push(Diagnostic::new(
                Code::R115,
                format!("工作表“{sheet}”{why}，已跳过"),
                loc,
            ));
            return true;
        }
        false
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
            if self.heading_year.is_none() && self.doc.projects.is_empty() {
                self.heading_year = labels::heading_year(&cell.text);
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
    pub(crate) fn other_fields(&mut self, grid: &Grid, row: &Row, cells: Vec<usize>) -> Vec<usize> {
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

    /// The document; `file` is the first sheet's file, where R100 is reported.
    pub(crate) fn finish(mut self, file: Option<&str>) -> Document {
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
        if let Some(year) = self.heading_year {
            for p in self.doc.projects.iter_mut().filter(|p| p.year.is_none()) {
                p.year = Some(year);
            }
        }
        sheets::merge_sheet_parts(&mut self.doc, &mut self.diags);
        if self.blank_templates == 0
            && self.doc.projects.is_empty()
            && self.doc.summary.as_ref().is_none_or(|s| s.rows.is_empty())
        {
            let loc = file.map(Location::file).unwrap_or_default();
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

pub(crate) fn first_text_cell(row: &Row) -> Option<&Cell> {
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

#[cfg(test)]
mod tests {
    use crate::{MAX_SKIPPED, Options, recognize};

    /// A grid handed over is let go row by row as it is read: every row but the last
    /// [`super::KEEP_BEHIND`] has its cells let go before the document is finished, and the
    /// document is the one the borrowed grid gives (two projects, a header block, a table).
    #[test]
    fn an_owned_grid_is_let_go_row_by_row_with_the_same_document() {
        let mut text = String::new();
        for p in 0..2 {
            text.push_str(&format!(
                "项目支出绩效目标表\n预算单位\t示例县民政局\t项目名称\t低保{p}\n\
                 项目资金（万元）\t年度资金总额\t12\n一级指标\t二级指标\t三级指标\t指标值\n"
            ));
            for i in 0..1_000 {
                let l1 = if i % 7 == 0 { "" } else { "产出指标" };
                text.push_str(&format!("{l1}\t数量指标\t发放人数{i}\t≥{i}人\n"));
            }
        }
        let grid = jixiao_markdown::read(&text, Some("a.md"));
        let rows = grid.rows.len();
        let options = Options::default();
        let borrowed = recognize(std::slice::from_ref(&grid), &options);
        let mut recognizer = super::Recognizer::new(options.framework);
        recognizer.grid_owned(grid);
        assert_eq!(recognizer.let_go, rows - super::KEEP_BEHIND);
        let owned = recognizer.finish(Some("a.md"));
        assert_eq!(owned, borrowed);
        assert_eq!(owned.projects[1].indicators.len(), 1_000);
    }

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
}
