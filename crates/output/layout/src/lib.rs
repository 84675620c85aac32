//! The standard form layout, shared by the XLSX and PDF writers so that both draw the same
//! form cell for cell.
//!
//! The layout is data: `templates/form.toml` (compiled in; [`Template::from_dir`] reads another)
//! says which columns the project table and the summary table have, their widths, the label
//! cells, which document field goes where, and which columns merge vertically. [`project`] and
//! [`summary`] apply it to the IR and give a [`Table`]: rows of cells with their column, spans,
//! content and alignment. Writers only draw tables; they know nothing of the form. Both wrap
//! the text they place by the same Chinese line-breaking rules ([`linebreak`]): the PDF every
//! cell, the XLSX the form's own labels (Excel wraps values itself as the clerk edits them).
//!
//! ```
//! use jixiao_layout::{project, Template, Content};
//! use jixiao_model::{Indicator, Project, Value};
//! let mut p = Project { project_name: "城市低保".into(), year: Some(2022), ..Project::default() };
//! for (l2, l3) in [("数量指标", "人数"), ("数量指标", "次数"), ("质量指标", "覆盖率")] {
//!     p.indicators.push(Indicator { level1: "产出指标".into(), level2: l2.into(), level3: l3.into(),
//!                                   value: Value::parse("=1次"), ..Indicator::default() });
//! }
//! let t = project(&p, Template::standard());
//! assert_eq!(t.title, "项目支出绩效目标表");
//! assert_eq!(t.subtitle.as_deref(), Some("（2022年）"));
//! let first = &t.rows[t.header_row.unwrap() + 1];
//! assert_eq!(first.cells[0].content, Content::Text("产出指标".into()));
//! assert_eq!(first.cells[0].row_span, 3); // 产出指标 merged over its group
//! assert_eq!(first.cells[1].row_span, 2); // 数量指标 over its two rows
//! ```

pub mod linebreak;
pub mod ziping;

use jixiao_model::{Code, Decimal, Diagnostic, Document, Location, Project};
use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// The form layout shipped in `templates/form.toml`.
pub const STANDARD_TOML: &str = include_str!("../../../../templates/form.toml");

/// Why a template could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The file could not be read.
    #[error("无法读取模板 {path}：{source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The TOML is malformed.
    #[error("模板格式有误：{0}")]
    Toml(#[from] toml::de::Error),
    /// The layout is inconsistent (a row wider than the table, an unknown field).
    #[error("模板有误：{0}")]
    Invalid(String),
}

/// The whole template.
#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    /// Paper and margins.
    pub page: Page,
    /// Font name and sizes.
    pub font: Font,
    /// The project table 项目支出绩效目标表.
    pub project: ProjectForm,
    /// The summary table 重大政策和重点项目绩效目标汇总表.
    pub summary: SummaryForm,
    /// The 自评表 layout when a template folder gives its own `ziping.toml`
    /// ([`Template::with_ziping`]); the built-in one ([`ziping::ZipingForm::standard`])
    /// otherwise.
    #[serde(skip)]
    pub ziping: Option<ziping::ZipingForm>,
}

/// Paper and margins.
#[derive(Debug, Clone, Deserialize)]
pub struct Page {
    /// `A4`.
    pub paper: String,
    /// `portrait` or `landscape`.
    pub orientation: String,
    /// Top margin in mm.
    pub margin_top_mm: f32,
    /// Bottom margin in mm.
    pub margin_bottom_mm: f32,
    /// Left margin in mm.
    pub margin_left_mm: f32,
    /// Right margin in mm.
    pub margin_right_mm: f32,
    /// Footer text; `{page}` and `{pages}` are the page number and count.
    pub footer: String,
}

/// Font name and sizes (points).
#[derive(Debug, Clone, Deserialize)]
pub struct Font {
    /// The face the form names (宋体).
    pub name: String,
    /// Title size.
    pub title_size: f32,
    /// Subtitle (year line) size.
    pub subtitle_size: f32,
    /// Table text size.
    pub body_size: f32,
    /// Line height as a multiple of the size.
    pub line_spacing: f32,
}

/// How a cell is aligned horizontally (all cells are centred vertically).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Centred (labels, short values).
    #[default]
    Center,
    /// Left-aligned (long text).
    Left,
}

/// One cell of a row specification.
#[derive(Debug, Clone, Deserialize)]
pub struct CellSpec {
    /// Fixed text.
    pub label: Option<String>,
    /// The document field shown.
    pub field: Option<String>,
    /// Columns covered.
    #[serde(default = "one")]
    pub span: usize,
    /// `down`: equal values of consecutive rows merge vertically.
    pub merge: Option<String>,
    /// Rows covered (a label over several rows of a header block, such as 项目资金 over the
    /// funds lines of a 自评表); the rows below leave its columns out. Only the 自评表 layout
    /// (`templates/ziping.toml`) uses it.
    #[serde(default = "one")]
    pub rows: usize,
    /// Horizontal alignment.
    #[serde(default)]
    pub align: Align,
}

fn one() -> usize {
    1
}

/// A row of cells.
#[derive(Debug, Clone, Deserialize)]
pub struct RowSpec {
    /// The cells, left to right.
    pub cells: Vec<CellSpec>,
}

/// The indicator part of the project table.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorSpec {
    /// The header row (一级指标 …), repeated on every printed page.
    pub header: Vec<CellSpec>,
    /// One row per indicator.
    pub row: Vec<CellSpec>,
}

/// The project table.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectForm {
    /// The title.
    pub title: String,
    /// The year line; `{year}` is the year.
    pub year_line: String,
    /// Column widths in character units.
    pub columns: Vec<f32>,
    /// The header block rows.
    pub rows: Vec<RowSpec>,
    /// The indicator table.
    pub indicators: IndicatorSpec,
}

/// The summary table.
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryForm {
    /// The title; `{year}` and `{region}` are replaced.
    pub title: String,
    /// Column widths in character units.
    pub columns: Vec<f32>,
    /// The header row.
    pub header: Vec<CellSpec>,
    /// One row per project.
    pub row: Vec<CellSpec>,
    /// The 合计 row.
    pub total: Vec<CellSpec>,
    /// The 备注 column, added on the right only when a row has a remark (the county
    /// document notes there the other files a project was found in).
    #[serde(default)]
    pub remark: RemarkSpec,
}

/// The 备注 column of the summary table.
#[derive(Debug, Clone, Deserialize)]
pub struct RemarkSpec {
    /// The header label.
    pub label: String,
    /// The column width in character units.
    pub width: f32,
}

impl Default for RemarkSpec {
    fn default() -> Self {
        RemarkSpec {
            label: "备注".into(),
            width: 30.0,
        }
    }
}

const PROJECT_FIELDS: &[&str] = &[
    "budget_unit",
    "project_name",
    "funds.total",
    "funds.fiscal",
    "funds.other",
    "goal",
    "year",
];
const INDICATOR_FIELDS: &[&str] = &["level1", "level2", "level3", "value"];
const SUMMARY_FIELDS: &[&str] = &["seq", "department", "project_name", "funds_total"];
const TOTAL_FIELDS: &[&str] = &["total"];

impl Template {
    /// The template compiled into the program.
    pub fn standard() -> &'static Template {
        static T: OnceLock<Template> = OnceLock::new();
        T.get_or_init(|| Template::from_toml(STANDARD_TOML).expect("templates/form.toml is valid"))
    }

    /// The 自评表 layout: the template's own, or the built-in one.
    pub fn ziping_form(&self) -> &ziping::ZipingForm {
        self.ziping
            .as_ref()
            .unwrap_or_else(|| ziping::ZipingForm::standard())
    }

    /// This template with the 自评表 layout `form` (a template folder's `ziping.toml`).
    pub fn with_ziping(mut self, form: ziping::ZipingForm) -> Template {
        self.ziping = Some(form);
        self
    }

    /// Reads `DIR/form.toml`.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Io`] when the file cannot be read, else as [`Template::from_toml`].
    pub fn from_dir(dir: &Path) -> Result<Template, TemplateError> {
        let path = dir.join("form.toml");
        let text = std::fs::read_to_string(&path).map_err(|source| TemplateError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Template::from_toml(&text)
    }

    /// Reads a template from TOML text and checks it.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Toml`] for malformed TOML, [`TemplateError::Invalid`] for an
    /// inconsistent layout (a row wider than the table, an unknown field).
    pub fn from_toml(text: &str) -> Result<Template, TemplateError> {
        let t: Template = toml::from_str(text)?;
        t.check_sizes()?;
        let check = |what: &str,
                     width: usize,
                     cells: &[CellSpec],
                     fields: &[&str]|
         -> Result<(), TemplateError> {
            let used: usize = cells.iter().map(|c| c.span).sum();
            if used > width {
                return Err(TemplateError::Invalid(format!(
                    "{what} 占 {used} 列，超过表格的 {width} 列"
                )));
            }
            for c in cells {
                match (&c.label, &c.field) {
                    (Some(_), None) => {}
                    (None, Some(f)) if fields.contains(&f.as_str()) => {}
                    (None, Some(f)) => {
                        return Err(TemplateError::Invalid(format!(
                            "{what} 中的字段 “{f}” 不存在"
                        )));
                    }
                    _ => {
                        return Err(TemplateError::Invalid(format!(
                            "{what} 的单元格须有 label 或 field 之一"
                        )));
                    }
                }
                if c.span == 0 {
                    return Err(TemplateError::Invalid(format!(
                        "{what} 的单元格 span 不能为 0"
                    )));
                }
            }
            Ok(())
        };
        let pw = t.project.columns.len();
        for (i, row) in t.project.rows.iter().enumerate() {
            check(
                &format!("project.rows[{i}]"),
                pw,
                &row.cells,
                PROJECT_FIELDS,
            )?;
        }
        check(
            "project.indicators.header",
            pw,
            &t.project.indicators.header,
            &[],
        )?;
        check(
            "project.indicators.row",
            pw,
            &t.project.indicators.row,
            INDICATOR_FIELDS,
        )?;
        let sw = t.summary.columns.len();
        check("summary.header", sw, &t.summary.header, &[])?;
        check("summary.row", sw, &t.summary.row, SUMMARY_FIELDS)?;
        check("summary.total", sw, &t.summary.total, TOTAL_FIELDS)?;
        Ok(t)
    }

    /// Checks that margins, font sizes, line spacing and column widths are finite and in
    /// the ranges a printed form can have (see [`SIZE_LIMITS`]), naming the key that is not.
    /// [`Template::from_toml`] runs it; writers run it again on templates built in code.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Invalid`] naming the first key out of range, its value and the range.
    pub fn check_sizes(&self) -> Result<(), TemplateError> {
        let p = &self.page;
        let f = &self.font;
        let values = [
            ("page.margin_top_mm", p.margin_top_mm),
            ("page.margin_bottom_mm", p.margin_bottom_mm),
            ("page.margin_left_mm", p.margin_left_mm),
            ("page.margin_right_mm", p.margin_right_mm),
            ("font.title_size", f.title_size),
            ("font.subtitle_size", f.subtitle_size),
            ("font.body_size", f.body_size),
            ("font.line_spacing", f.line_spacing),
        ];
        for (key, value) in values {
            let (_, min, max, unit) = SIZE_LIMITS
                .iter()
                .find(|(k, ..)| *k == key)
                .expect("every checked key has limits");
            if !(value.is_finite() && (*min..=*max).contains(&value)) {
                return Err(TemplateError::Invalid(format!(
                    "{key} = {value} 超出允许范围 {min}–{max}{unit}"
                )));
            }
        }
        for (key, columns) in [
            ("project.columns", &self.project.columns),
            ("summary.columns", &self.summary.columns),
        ] {
            if columns.is_empty() {
                return Err(TemplateError::Invalid(format!("{key} 不能为空")));
            }
            if columns.len() > MAX_COLUMNS {
                return Err(TemplateError::Invalid(format!(
                    "{key} 有 {} 列，最多 {MAX_COLUMNS} 列",
                    columns.len()
                )));
            }
            if let Some((i, w)) = columns
                .iter()
                .enumerate()
                .find(|(_, w)| !(w.is_finite() && (1.0..=MAX_COLUMN_WIDTH).contains(*w)))
            {
                return Err(TemplateError::Invalid(format!(
                    "{key}[{i}] = {w} 超出允许范围 1–{MAX_COLUMN_WIDTH}（字符单位）"
                )));
            }
        }
        Ok(())
    }
}

/// The ranges a template's sizes must lie in: key, least, greatest, unit. A margin of at
/// most 60 mm on each side leaves an A4 page at least 90 × 177 mm of table; the largest
/// title and body sizes with the largest line spacing still fit several lines on it.
pub const SIZE_LIMITS: &[(&str, f32, f32, &str)] = &[
    ("page.margin_top_mm", 0.0, 60.0, " 毫米"),
    ("page.margin_bottom_mm", 0.0, 60.0, " 毫米"),
    ("page.margin_left_mm", 0.0, 60.0, " 毫米"),
    ("page.margin_right_mm", 0.0, 60.0, " 毫米"),
    ("font.title_size", 6.0, 36.0, " 磅"),
    ("font.subtitle_size", 6.0, 28.0, " 磅"),
    ("font.body_size", 6.0, 24.0, " 磅"),
    ("font.line_spacing", 1.0, 3.0, " 倍"),
];

/// The most columns a table of the template may have.
pub const MAX_COLUMNS: usize = 40;
/// The widest a column may be, in character units.
pub const MAX_COLUMN_WIDTH: f32 = 400.0;

/// What a cell shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// Text as written.
    Text(String),
    /// A number with the digits of its source (an amount, a 序号).
    Number(Decimal),
    /// The sum of the numbers in this column over `rows` (table row indices, inclusive),
    /// with its computed value.
    Sum {
        /// The computed sum.
        value: Decimal,
        /// First and last row summed.
        rows: (usize, usize),
    },
    /// Nothing.
    Empty,
}

impl Content {
    /// The text a reader sees (numbers with their source digits).
    pub fn text(&self) -> String {
        match self {
            Content::Text(t) => t.clone(),
            Content::Number(n) | Content::Sum { value: n, .. } => n.to_string(),
            Content::Empty => String::new(),
        }
    }
}

/// Whether a cell is a fixed label of the form or a value from the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A label of the form (预算单位, 一级指标 …).
    Label,
    /// A value from the document.
    Value,
    /// A blank for the department to fill in (a pre-filled 自评表's 实际完成值, 分值, 得分 …):
    /// the XLSX leaves it unlocked on a protected sheet.
    Input,
}

/// One cell of a laid-out table; slots covered by its spans have no cell of their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// First column.
    pub col: usize,
    /// Columns covered.
    pub col_span: usize,
    /// Rows covered (vertical merges of level-1/level-2 groups).
    pub row_span: usize,
    /// What it shows.
    pub content: Content,
    /// Label or value.
    pub role: Role,
    /// Horizontal alignment.
    pub align: Align,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A header-block row (预算单位 …) of a project table.
    Block,
    /// A column header row (一级指标 … / 序号 …): repeated on every printed page.
    Header,
    /// An indicator row.
    Indicator,
    /// A summary row.
    Item,
    /// The 合计 row.
    Total,
}

/// A row of a laid-out table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// What it is.
    pub kind: RowKind,
    /// Its cells (only those whose top-left slot is in this row).
    pub cells: Vec<Cell>,
    /// Where the row's values came from (an indicator's line, the summary row's cell), so a
    /// writer's diagnostics can point at the cell a clerk must fix; empty for label rows.
    pub source: Location,
}

/// A form laid out: title lines, column widths, rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The title.
    pub title: String,
    /// The line under the title (the year), if any.
    pub subtitle: Option<String>,
    /// Column widths in character units (a CJK character is 2).
    pub columns: Vec<f32>,
    /// The rows.
    pub rows: Vec<Row>,
    /// The column header row, repeated at the top of every printed page.
    pub header_row: Option<usize>,
}

fn cells_for(specs: &[CellSpec], value: &dyn Fn(&str) -> Content) -> Vec<Cell> {
    let mut col = 0;
    specs
        .iter()
        .map(|s| {
            let (content, role) = match (&s.label, &s.field) {
                (Some(l), _) => (Content::Text(l.clone()), Role::Label),
                (None, Some(f)) => (value(f), Role::Value),
                (None, None) => (Content::Empty, Role::Value),
            };
            let cell = Cell {
                col,
                col_span: s.span,
                row_span: 1,
                content,
                role,
                align: s.align,
            };
            col += s.span;
            cell
        })
        .collect()
}

fn text(s: &str) -> Content {
    if s.is_empty() {
        Content::Empty
    } else {
        Content::Text(s.to_string())
    }
}

fn number(n: Option<Decimal>) -> Content {
    n.map_or(Content::Empty, Content::Number)
}

/// Lays out one project table.
pub fn project(p: &Project, t: &Template) -> Table {
    let form = &t.project;
    let mut rows = Vec::new();
    for spec in &form.rows {
        let value = |f: &str| match f {
            "budget_unit" => text(&p.budget_unit),
            "project_name" => text(&p.project_name),
            "funds.total" => number(p.funds.total),
            "funds.fiscal" => number(p.funds.fiscal),
            "funds.other" => number(p.funds.other),
            "goal" => text(&p.goal),
            "year" => p
                .year
                .map_or(Content::Empty, |y| Content::Text(y.to_string())),
            _ => Content::Empty,
        };
        let fields = || spec.cells.iter().filter_map(|c| c.field.as_deref());
        let source = if fields().any(|f| f == "goal") {
            p.goal_location.clone()
        } else if fields().any(|f| f.starts_with("funds.")) {
            p.funds.location.clone()
        } else {
            None
        };
        rows.push(Row {
            kind: RowKind::Block,
            cells: cells_for(&spec.cells, &value),
            source: source.unwrap_or_else(|| p.location.clone()),
        });
    }
    let header_row = rows.len();
    rows.push(Row {
        kind: RowKind::Header,
        cells: cells_for(&form.indicators.header, &|_| Content::Empty),
        source: Location::default(),
    });
    let first = rows.len();
    for ind in &p.indicators {
        let value = |f: &str| match f {
            "level1" => text(&ind.level1),
            "level2" => text(&ind.level2),
            "level3" => text(&ind.level3),
            "value" => text(&ind.value.raw),
            _ => Content::Empty,
        };
        rows.push(Row {
            kind: RowKind::Indicator,
            cells: cells_for(&form.indicators.row, &value),
            source: ind.location.clone(),
        });
    }
    merge_down(&mut rows[first..], &form.indicators.row);
    Table {
        title: form.title.clone(),
        subtitle: p
            .year
            .map(|y| form.year_line.replace("{year}", &y.to_string())),
        columns: form.columns.clone(),
        rows,
        header_row: Some(header_row),
    }
}

/// The form a project is written in: the standard 自评表 ([`ziping`]) for a project read from
/// one, else the 项目支出绩效目标表 ([`project`]).
pub fn form(p: &Project, t: &Template) -> Table {
    if p.is_self_evaluation() {
        ziping::self_evaluation(p, t.ziping_form(), ziping::Fill::Read)
    } else {
        project(p, t)
    }
}

/// Merges equal consecutive values in the `merge = "down"` columns; a later merge column's
/// groups never cross the boundaries of an earlier one (a level-2 group stays in its level 1).
fn merge_down(rows: &mut [Row], specs: &[CellSpec]) {
    let n = rows.len();
    let mut boundary = vec![false; n + 1];
    boundary[0] = true;
    boundary[n] = true;
    for (k, spec) in specs.iter().enumerate() {
        if spec.merge.as_deref() != Some("down") {
            continue;
        }
        let mut start = 0;
        for i in 1..=n {
            let same = i < n
                && !boundary[i]
                && !rows[i].cells[k].content.text().is_empty()
                && rows[i].cells[k].content == rows[start].cells[k].content;
            if !same {
                rows[start].cells[k].row_span = i - start;
                boundary[i] = true;
                start = i;
            }
        }
    }
    // Remove the cells now covered by a span above them.
    let mut covered = vec![vec![false; specs.len()]; n];
    for i in 0..n {
        for k in 0..specs.len() {
            let span = rows[i].cells.get(k).map_or(1, |c| c.row_span);
            if !covered[i][k] {
                for row in covered.iter_mut().take(i + span).skip(i + 1) {
                    row[k] = true;
                }
            }
        }
    }
    for (row, cov) in rows.iter_mut().zip(covered) {
        let mut k = 0;
        row.cells.retain(|_| {
            let keep = !cov[k];
            k += 1;
            keep
        });
    }
}

/// One line of the summary table, with the amount taken from the project table when the
/// summary has none.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryLine {
    /// 序号.
    pub seq: Option<u32>,
    /// 部门单位.
    pub department: String,
    /// 项目名称.
    pub project_name: String,
    /// 年度资金总额.
    pub funds_total: Option<Decimal>,
    /// 备注, where the summary row has one.
    pub remark: Option<String>,
    /// Where the line came from: the summary row, or the project table.
    pub source: Location,
}

/// The 备注 of a summary line whose blank 年度资金总额 was taken from its project table.
pub const FILLED_FROM_PROJECT: &str = "取自项目表";

/// The summary lines of a document: its summary table's rows, a blank amount filled from the
/// row's project table and marked so in the 备注 ([`FILLED_FROM_PROJECT`]) (paired by [`jixiao_model::identity::pair_summary_rows`], the rule the
/// review uses too), or one line per project when it has no summary.
pub fn summary_lines(doc: &Document) -> Vec<SummaryLine> {
    match &doc.summary {
        Some(s) if !s.rows.is_empty() => s
            .rows
            .iter()
            .zip(jixiao_model::identity::pair_summary_rows(
                &s.rows,
                &doc.projects,
            ))
            .map(|(r, pair)| {
                // A blank amount filled from the project table is marked in the 备注, so the
                // form says which figures the summary itself did not give.
                let filled = r
                    .funds_total
                    .is_none()
                    .then(|| pair.and_then(|i| doc.projects[i].funds.total))
                    .flatten();
                let remark = match (r.remark.as_deref(), filled) {
                    (remark, Some(_)) => Some(
                        remark
                            .filter(|t| !t.trim().is_empty())
                            .map_or(FILLED_FROM_PROJECT.to_string(), |t| {
                                format!("{t}；{FILLED_FROM_PROJECT}")
                            }),
                    ),
                    (_, None) => r.remark.clone(),
                };
                SummaryLine {
                    seq: r.seq,
                    department: r.department.clone(),
                    project_name: r.project_name.clone(),
                    funds_total: r.funds_total.or(filled),
                    remark,
                    source: r.location.clone(),
                }
            })
            .collect(),
        _ => doc
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| SummaryLine {
                seq: Some(i as u32 + 1),
                department: p.budget_unit.clone(),
                project_name: p.project_name.clone(),
                funds_total: p.funds.total,
                remark: None,
                source: p.location.clone(),
            })
            .collect(),
    }
}

/// Lays out the summary table, when the document has a summary or more than one project.
pub fn summary(doc: &Document, t: &Template) -> Option<Table> {
    if doc.summary.is_none() && doc.projects.len() < 2 {
        return None;
    }
    let form = &t.summary;
    let lines = summary_lines(doc);
    let year = doc
        .summary
        .as_ref()
        .and_then(|s| s.year)
        .or_else(|| doc.projects.iter().find_map(|p| p.year));
    let region = doc.summary.as_ref().and_then(|s| s.region.clone());
    let title = match (
        &year,
        &region,
        doc.summary.as_ref().and_then(|s| s.title.clone()),
    ) {
        (Some(y), Some(r), _) => form
            .title
            .replace("{year}", &y.to_string())
            .replace("{region}", r),
        (_, _, Some(written)) => written,
        (y, r, None) => form
            .title
            .replace(
                "{year}年度",
                &y.map(|y| format!("{y}年度")).unwrap_or_default(),
            )
            .replace("{region}", r.as_deref().unwrap_or("")),
    };
    // The 备注 column, only where a line has a remark: one more cell at the right of each row.
    let remarks = lines.iter().any(|l| l.remark.is_some());
    let mut columns = form.columns.clone();
    let remark_col = columns.len();
    if remarks {
        columns.push(form.remark.width);
    }
    let remark_cell = |content: Content, role: Role| Cell {
        col: remark_col,
        col_span: 1,
        row_span: 1,
        content,
        role,
        align: if role == Role::Label {
            Align::Center
        } else {
            Align::Left
        },
    };
    let mut header = cells_for(&form.header, &|_| Content::Empty);
    if remarks {
        header.push(remark_cell(text(&form.remark.label), Role::Label));
    }
    let mut rows = vec![Row {
        kind: RowKind::Header,
        cells: header,
        source: Location::default(),
    }];
    for line in &lines {
        let value = |f: &str| match f {
            "seq" => line
                .seq
                .map_or(Content::Empty, |s| Content::Number(Decimal::from(s))),
            "department" => text(&line.department),
            "project_name" => text(&line.project_name),
            "funds_total" => number(line.funds_total),
            _ => Content::Empty,
        };
        let mut cells = cells_for(&form.row, &value);
        if remarks {
            cells.push(remark_cell(
                text(line.remark.as_deref().unwrap_or_default()),
                Role::Value,
            ));
        }
        rows.push(Row {
            kind: RowKind::Item,
            cells,
            source: line.source.clone(),
        });
    }
    // An out-of-range sum (L403, see `omitted`) leaves the 合计 empty.
    let sum = checked_total(&lines);
    let last = rows.len() - 1;
    let total = |_: &str| {
        let Ok(sum) = sum else {
            return Content::Empty;
        };
        if lines.is_empty() {
            Content::Empty
        } else {
            Content::Sum {
                value: sum,
                rows: (1, last),
            }
        }
    };
    let mut total_cells = cells_for(&form.total, &total);
    if remarks {
        total_cells.push(remark_cell(Content::Empty, Role::Value));
    }
    rows.push(Row {
        kind: RowKind::Total,
        cells: total_cells,
        source: doc
            .summary
            .as_ref()
            .and_then(|s| s.total_location.clone())
            .unwrap_or_default(),
    });
    Some(Table {
        title,
        subtitle: None,
        columns,
        rows,
        header_row: Some(0),
    })
}

/// The sum of the summary lines' amounts (万元), or the index of the line at which it leaves
/// the range of [`Decimal`] (about ±7.9×10²⁸).
fn checked_total(lines: &[SummaryLine]) -> Result<Decimal, usize> {
    let mut sum = Decimal::ZERO;
    for (i, line) in lines.iter().enumerate() {
        if let Some(amount) = line.funds_total {
            sum = sum.checked_add(amount).ok_or(i)?;
        }
    }
    Ok(sum)
}

/// What the standard form has no place for or cannot show, as diagnostics, so that a writer
/// of the form never drops data silently: the 中期 (medium-term) funds, goal and indicators of
/// an 88号 table, and a 实施单位 given beside the 预算单位 (L401, L402, info; the JSON output
/// keeps them), and a 合计 of the summary table whose sum is out of range (L403, warning,
/// located at the amount that overflowed; the 合计 cell is left empty).
pub fn omitted(doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if doc.summary.is_some() || doc.projects.len() >= 2 {
        let lines = summary_lines(doc);
        if let Err(i) = checked_total(&lines) {
            let line = &lines[i];
            out.push(Diagnostic::new(
                Code::L403,
                format!(
                    "汇总表合计超出可计算的范围：加上“{}”的 {} 万元后超过约 7.9×10²⁸，合计栏留空；请核对金额",
                    line.project_name,
                    line.funds_total.unwrap_or_default()
                ),
                line.source.clone(),
            ));
        }
    }
    for p in &doc.projects {
        let mut parts = Vec::new();
        if p.midterm_funds.is_some() {
            parts.push("中期资金".to_string());
        }
        if p.midterm_goal.as_deref().is_some_and(|g| !g.is_empty()) {
            parts.push("中期目标".to_string());
        }
        if !p.midterm_indicators.is_empty() {
            parts.push(format!("中期指标 {} 条", p.midterm_indicators.len()));
        }
        if let Some(parent) = &p.parent_unit {
            parts.push(format!("一级预算单位“{parent}”"));
        }
        let weighted = p
            .indicators
            .iter()
            .filter(|i| i.evaluation.as_ref().is_some_and(|e| !e.is_blank()))
            .count();
        if weighted > 0 && !p.is_self_evaluation() {
            // A 目标表 with a 分值 column: the standard 目标表 has no place for it.
            parts.push(format!("{weighted} 条指标的分值"));
        }
        if !parts.is_empty() {
            out.push(Diagnostic::new(
                Code::L401,
                format!(
                    "项目“{}”的{}不在标准格式中，未写入此文件（JSON 输出中保留）",
                    p.project_name,
                    parts.join("、")
                ),
                p.location.clone(),
            ));
        }
        // (The 自评表 has a place for the 实施单位.)
        if let Some(unit) = p
            .implementing_unit
            .as_deref()
            .filter(|u| !u.is_empty() && *u != p.budget_unit)
            .filter(|_| !p.is_self_evaluation())
        {
            out.push(Diagnostic::new(
                Code::L402,
                format!(
                    "项目“{}”的实施单位“{unit}”不在标准格式中，未写入此文件（JSON 输出中保留）",
                    p.project_name
                ),
                p.location.clone(),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::{Indicator, Summary, SummaryRow, Value};
    use std::str::FromStr;

    fn ind(l1: &str, l2: &str) -> Indicator {
        Indicator {
            level1: l1.into(),
            level2: l2.into(),
            level3: "x".into(),
            value: Value::parse("1"),
            ..Indicator::default()
        }
    }

    #[test]
    fn level2_groups_stay_inside_level1() {
        let p = Project {
            indicators: vec![
                ind("产出指标", "数量指标"),
                ind("产出指标", "满意度指标"),
                ind("满意度指标", "满意度指标"),
                ind("满意度指标", "满意度指标"),
            ],
            ..Project::default()
        };
        let t = project(&p, Template::standard());
        let h = t.header_row.unwrap();
        let spans: Vec<Vec<(usize, usize)>> = t.rows[h + 1..]
            .iter()
            .map(|r| r.cells.iter().map(|c| (c.col, c.row_span)).collect())
            .collect();
        assert_eq!(spans[0], vec![(0, 2), (1, 1), (2, 1), (5, 1)]);
        assert_eq!(spans[1], vec![(1, 1), (2, 1), (5, 1)]);
        assert_eq!(spans[2], vec![(0, 2), (1, 2), (2, 1), (5, 1)]);
        assert_eq!(spans[3], vec![(2, 1), (5, 1)]);
    }

    #[test]
    fn amounts_filled_from_project_tables_are_marked_in_the_remark() {
        let row = |name: &str, amount: Option<&str>, remark: Option<&str>| SummaryRow {
            department: "和硕县民政局".into(),
            project_name: name.into(),
            funds_total: amount.map(|a| Decimal::from_str(a).unwrap()),
            remark: remark.map(str::to_string),
            ..SummaryRow::default()
        };
        let project = |name: &str, amount: &str| {
            let mut p = Project {
                budget_unit: "和硕县民政局".into(),
                project_name: name.into(),
                ..Project::default()
            };
            p.funds.total = Some(Decimal::from_str(amount).unwrap());
            p
        };
        let doc = Document {
            summary: Some(Summary {
                rows: vec![
                    row("城市低保", Some("12.6"), None),
                    row("农村低保", None, None),
                    row("临时救助", None, Some("新增")),
                    row("医疗救助", None, None),
                ],
                ..Summary::default()
            }),
            projects: vec![
                project("城市低保", "99"),
                project("农村低保", "30.5"),
                project("临时救助", "4"),
            ],
            ..Document::default()
        };
        let lines = summary_lines(&doc);
        let got: Vec<(Option<String>, Option<&str>)> = lines
            .iter()
            .map(|l| (l.funds_total.map(|d| d.to_string()), l.remark.as_deref()))
            .collect();
        let marked = format!("新增；{FILLED_FROM_PROJECT}");
        assert_eq!(
            got,
            [
                (Some("12.6".into()), None),
                (Some("30.5".into()), Some(FILLED_FROM_PROJECT)),
                (Some("4".into()), Some(marked.as_str())),
                (None, None),
            ]
        );
    }

    #[test]
    fn an_out_of_range_total_is_left_empty_and_reported() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let mut doc = Document::default();
        for (name, total) in [
            ("校舍维修", "60000000000000000000000000000"),
            ("校车购置", "60000000000000000000000000000"),
        ] {
            let mut p = Project {
                project_name: name.into(),
                location: Location::line(Some("a.md"), 9, 1),
                ..Project::default()
            };
            p.funds.total = Some(d(total));
            doc.projects.push(p);
        }
        let t = summary(&doc, Template::standard()).unwrap();
        let total = &t.rows[3];
        assert_eq!(total.kind, RowKind::Total);
        assert_eq!(total.cells[1].content, Content::Empty);
        let found = omitted(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].code, "L403");
        assert!(
            found[0].message.contains("校车购置"),
            "{}",
            found[0].message
        );
        assert_eq!(found[0].location.line, Some(9));
        // In range: no L403.
        doc.projects[1].funds.total = Some(d("1"));
        assert!(omitted(&doc).is_empty());
    }

    #[test]
    fn summary_takes_amounts_from_projects_and_sums() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let mut doc = Document {
            summary: Some(Summary {
                year: Some(2022),
                region: Some("和硕县".into()),
                rows: vec![
                    SummaryRow {
                        seq: Some(1),
                        department: "新疆巴州和硕县民政局".into(),
                        project_name: "城市低保".into(),
                        ..SummaryRow::default()
                    },
                    SummaryRow {
                        seq: Some(2),
                        department: "新疆巴州和硕县民政局".into(),
                        project_name: "农村低保".into(),
                        ..SummaryRow::default()
                    },
                ],
                ..Summary::default()
            }),
            ..Document::default()
        };
        for (name, total) in [("城市低保", "35.88"), ("农村低保", "188.42")] {
            let mut p = Project {
                project_name: name.into(),
                ..Project::default()
            };
            p.funds.total = Some(d(total));
            doc.projects.push(p);
        }
        let t = summary(&doc, Template::standard()).unwrap();
        assert_eq!(t.title, "2022年度和硕县重大政策和重点项目绩效目标汇总表");
        assert_eq!(t.rows[1].cells[3].content, Content::Number(d("35.88")));
        let total = &t.rows[3];
        assert_eq!(total.kind, RowKind::Total);
        assert_eq!(total.cells[0].col_span, 3);
        assert_eq!(
            total.cells[1].content,
            Content::Sum {
                value: d("224.30"),
                rows: (1, 2)
            }
        );
        assert_eq!(total.cells[1].content.text(), "224.30");
    }

    #[test]
    fn what_the_form_cannot_hold_is_reported() {
        let mut p = Project {
            project_name: "甲".into(),
            budget_unit: "某局".into(),
            ..Project::default()
        };
        assert!(
            omitted(&Document {
                projects: vec![p.clone()],
                ..Document::default()
            })
            .is_empty()
        );
        p.midterm_goal = Some("三年内完成".into());
        p.midterm_indicators = vec![ind("产出指标", "数量指标")];
        p.implementing_unit = Some("某中心".into());
        let found = omitted(&Document {
            projects: vec![p],
            ..Document::default()
        });
        let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["L401", "L402"]);
        assert!(
            found[0].message.contains("中期目标、中期指标 1 条"),
            "{}",
            found[0].message
        );
    }

    #[test]
    fn bad_templates_are_refused() {
        let wide = STANDARD_TOML.replace(
            "{ field = \"goal\", span = 6, align = \"left\" }",
            "{ field = \"goal\", span = 9 }",
        );
        assert!(matches!(
            Template::from_toml(&wide),
            Err(TemplateError::Invalid(_))
        ));
        let unknown = STANDARD_TOML.replace("field = \"budget_unit\"", "field = \"nope\"");
        assert!(matches!(
            Template::from_toml(&unknown),
            Err(TemplateError::Invalid(_))
        ));
        assert!(matches!(
            Template::from_toml("x = "),
            Err(TemplateError::Toml(_))
        ));
    }

    #[test]
    fn sizes_out_of_range_are_refused_naming_the_key() {
        for (from, to, key) in [
            (
                "margin_top_mm = 18.0",
                "margin_top_mm = 400",
                "page.margin_top_mm",
            ),
            (
                "margin_left_mm = 15.0",
                "margin_left_mm = -1.0",
                "page.margin_left_mm",
            ),
            ("body_size = 10.5", "body_size = 500", "font.body_size"),
            ("body_size = 10.5", "body_size = nan", "font.body_size"),
            ("title_size = 16.0", "title_size = 0.0", "font.title_size"),
            (
                "line_spacing = 1.35",
                "line_spacing = 1e308",
                "font.line_spacing",
            ),
            (
                "line_spacing = 1.35",
                "line_spacing = inf",
                "font.line_spacing",
            ),
            (
                "columns = [13, 13, 12, 12, 11, 12, 11]",
                "columns = [13, 13, 12, 12, 11, 12, 0]",
                "project.columns[6]",
            ),
            (
                "columns = [13, 13, 12, 12, 11, 12, 11]",
                "columns = [13, 13, 12, 12, 11, 12, 1e30]",
                "project.columns[6]",
            ),
        ] {
            assert!(STANDARD_TOML.contains(from), "{from}");
            let bad = STANDARD_TOML.replacen(from, to, 1);
            match Template::from_toml(&bad) {
                Err(TemplateError::Invalid(m)) => assert!(m.contains(key), "{to}: {m}"),
                other => panic!("{to}: {other:?}"),
            }
        }
        // the limits themselves are accepted
        let edge = STANDARD_TOML
            .replace("margin_top_mm = 18.0", "margin_top_mm = 60")
            .replace("body_size = 10.5", "body_size = 24")
            .replace("line_spacing = 1.35", "line_spacing = 3");
        assert!(Template::from_toml(&edge).is_ok());
    }
}
