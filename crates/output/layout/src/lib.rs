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
mod template;
pub mod ziping;

pub use template::{
    Align, CellSpec, Font, IndicatorSpec, MAX_COLUMN_WIDTH, MAX_COLUMNS, Page, ProjectForm,
    RemarkSpec, RowSpec, SIZE_LIMITS, STANDARD_TOML, SummaryForm, Template, TemplateError,
};

use jixiao_model::{Code, Decimal, Diagnostic, Document, Location, Project};

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
mod tests;
