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
//! 2. **Blocks** (`recognizer.rs`, `Recognizer::row`): each row is a title, a summary header
//!    (the summary table: `summary.rs`), a header-block label row (label pairs, values below,
//!    amounts: `header_block.rs`), an indicator header (one column group, or 中期 and 年度 side
//!    by side: `table.rs`), or a row of the block that is open. A project being read is a
//!    `Builder`, finished when the next one starts (`project.rs`).
//! 3. **Columns by label** (`indicators.rs`, walked by `table.rs`): an indicator row is read
//!    through its header — value from the 指标值/年度指标值 column (never 中期指标值,
//!    实际完成值, 分值, 指标解释), op from the 指标性质 column, unit from the 度量单位
//!    column; amounts from the column whose heading says 年度. A 自评表's 实际完成值, 分值,
//!    得分 and 偏差原因 columns are each indicator's `evaluation`; its score rows (预算执行率,
//!    总分), its funds block under 年初预算数 … 得分 and its 预期目标 / 实际完成情况 are the
//!    project's `self_evaluation` (`ziping.rs`).
//! 4. **Repair and report**: a row that lost its merged leading cells (any number of them) is
//!    realigned by content (R101, scored by named weights in `indicators.rs`); a row under two
//!    column groups is split where both halves fit; a blank level-1/level-2 cell is given to
//!    the group above or below (R102) in linear time (`groups.rs`); a table with no level-3
//!    name and no value is a blank template (R114), and header text with neither a project name
//!    nor an indicator is no project (R123) (`project.rs`). Text that fits nowhere is reported
//!    (R108), never dropped silently.
//!    Only text is realigned: a row of a worksheet or a Word table is read where it stands
//!    (`indicators::keeps_cells`).
//! 5. **Group names and furniture** (`wrap.rs`, `furniture.rs`): a group name wrapped onto
//!    the next line is joined (R134); a row of group names only labels the rows below it; a
//!    lost 一级 is the 二级's parent in the framework (R102, `groups.rs`); placeholder rows
//!    (不适用, –: `placeholders.rs`) are no indicators but still label the rows below (R136);
//!    a blank table beside projects that were read is R137, alone R114; 审核意见, 评价结论,
//!    注：, （盖章） end the table (R135). Each is reported once per table, with a count and the
//!    first place.
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

mod fiscal;
mod furniture;
mod groups;
mod header;
mod header_block;
mod indicators;
pub mod labels;
mod long_table;
mod placeholders;
mod project;
mod recognizer;
pub mod score;
mod sheets;
pub mod stream;
mod summary;
mod table;
mod wrap;
mod ziping;

use jixiao_grid::{Grid, Pos};
use jixiao_model::framework::Framework;
use jixiao_model::{Document, Location};
use recognizer::Recognizer;

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
    let mut sheets = SheetBySheet::new(options);
    for grid in grids {
        sheets.sheet(grid);
    }
    sheets.finish()
}

/// Recognition of a workbook one sheet at a time, in workbook order: the same document as
/// [`recognize`] over all the grids, without holding them all. A reader hands each sheet's
/// grid over as soon as it has read it and may drop it right after, so memory grows with the
/// largest sheet rather than with the workbook.
///
/// ```
/// use jixiao_grid::Grid;
/// let options = jixiao_recognize::Options::default();
/// let mut sheets = jixiao_recognize::SheetBySheet::new(&options);
/// for name in ["Sheet1", "Sheet2"] {
///     let grid = Grid::new(Some("a.xlsx".into()), Some(name.into()));
///     sheets.sheet(&grid);
/// }
/// let doc = sheets.finish();
/// assert!(doc.projects.is_empty());
/// assert_eq!(doc.diagnostics[0].location.file.as_deref(), Some("a.xlsx"));
/// ```
pub struct SheetBySheet<'a> {
    recognizer: Recognizer<'a>,
    /// The file of the first sheet, where a document without any table is reported (R100).
    file: Option<Option<String>>,
}

impl<'a> SheetBySheet<'a> {
    /// Starts recognizing a document.
    pub fn new(options: &Options<'a>) -> Self {
        SheetBySheet {
            recognizer: Recognizer::new(options.framework),
            file: None,
        }
    }

    /// Recognizes the next sheet's rows (a table open at its end stays open for the next
    /// sheet's labels, as in [`recognize`]).
    pub fn sheet(&mut self, grid: &Grid) {
        self.file.get_or_insert_with(|| grid.file.clone());
        self.recognizer.grid(grid);
    }

    /// [`SheetBySheet::sheet`], taking the grid: each row's cells are let go once the rows
    /// after it are read (no stage looks further back than the row above), so a large
    /// sheet's cells and its indicators are not all held at once.
    pub fn sheet_owned(&mut self, grid: Grid) {
        self.file.get_or_insert_with(|| grid.file.clone());
        self.recognizer.grid_owned(grid);
    }

    /// The document of every sheet handed over.
    pub fn finish(self) -> Document {
        self.recognizer.finish(self.file.flatten().as_deref())
    }
}

/// Where a cell is, as an IR location.
pub fn location(grid: &Grid, pos: &Pos) -> Location {
    grid.location(pos)
}

/// Skipped content (R108) is reported place by place up to this many; the rest is counted
/// in one R108 that says where it starts. A text that is mostly not a form (a long notice, a
/// grid of numbers) would otherwise give one diagnostic per cell — millions, in memory and
/// on screen — where the first few hundred already show what is wrong.
pub const MAX_SKIPPED: usize = 200;

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
