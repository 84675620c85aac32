//! The standard 项目支出绩效自评表 (财预〔2020〕10号), laid out from `templates/ziping.toml`:
//! the header block with the funds lines (年初预算数 … 得分) and the 年度总体目标's 预期目标 and
//! 实际完成情况, the indicator table with its 自评 columns, the 预算执行率 row where the table
//! had one, and the 总分 row.
//!
//! [`self_evaluation`] lays out a project read from a 自评表; [`Fill::Blank`] lays out the form
//! pre-filled from a 目标表 (`jixiao ziping`): the targets written, what a department fills in
//! left blank as [`Role::Input`](crate::Role::Input) cells.
//!
//! ```
//! use jixiao_layout::ziping::{self_evaluation, Fill, ZipingForm};
//! use jixiao_layout::{Content, Role};
//! use jixiao_model::{Indicator, Project, Value};
//! let mut p = Project { project_name: "城乡公益性岗位补贴".into(), year: Some(2023), ..Project::default() };
//! p.indicators.push(Indicator { level1: "产出指标".into(), level2: "数量指标".into(),
//!     level3: "开发公益性岗位数".into(), value: Value::parse("≥220个"), ..Indicator::default() });
//! let t = self_evaluation(&p, ZipingForm::standard(), Fill::Blank);
//! assert_eq!(t.title, "项目支出绩效自评表");
//! assert_eq!(t.subtitle.as_deref(), Some("（2023年度）"));
//! let row = &t.rows[t.header_row.unwrap() + 1];
//! assert_eq!(row.cells[3].content, Content::Text("≥220个".into()));
//! assert_eq!(row.cells[4].role, Role::Input); // 实际完成值, for the department
//! ```

use crate::{
    Cell, CellSpec, Content, Row, RowKind, RowSpec, Table, TemplateError, merge_down, number, text,
};
use jixiao_model::{Decimal, FundsLine, Indicator, Location, Project, SelfEvaluation};
use serde::Deserialize;
use std::sync::OnceLock;

/// The 自评表 layout shipped in `templates/ziping.toml`.
pub const STANDARD_TOML: &str = include_str!("../../../../templates/ziping.toml");

/// The 自评表 layout.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZipingForm {
    /// The title.
    pub title: String,
    /// The year line; `{year}` is the year.
    pub year_line: String,
    /// Column widths in character units.
    pub columns: Vec<f32>,
    /// The header block rows (project, units, funds lines, goal).
    pub rows: Vec<RowSpec>,
    /// The indicator table.
    pub indicators: ZipingIndicators,
}

/// The indicator part of the 自评表.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ZipingIndicators {
    /// The column header row.
    pub header: Vec<CellSpec>,
    /// One row per indicator.
    pub row: Vec<CellSpec>,
    /// The 预算执行率 row, written where the table had one.
    pub execution: Vec<CellSpec>,
    /// The 总分 row.
    pub total: Vec<CellSpec>,
}

const LINES: &[&str] = &[
    "funds_total",
    "funds_fiscal",
    "funds_carryover",
    "funds_other",
];
const LINE_FIELDS: &[&str] = &[
    "initial_budget",
    "budget",
    "executed",
    "weight",
    "rate",
    "score",
];
const BLOCK_FIELDS: &[&str] = &[
    "project_name",
    "budget_unit",
    "implementing_unit",
    "goal_expected",
    "goal_achieved",
];
const INDICATOR_FIELDS: &[&str] = &[
    "level1",
    "level2",
    "level3",
    "value",
    "actual",
    "weight",
    "score",
    "deviation",
];
const EXECUTION_FIELDS: &[&str] = &[
    "execution.name",
    "execution.value",
    "execution.actual",
    "execution.weight",
    "execution.score",
    "execution.deviation",
];
const TOTAL_FIELDS: &[&str] = &["total_weight", "total_score", "grade"];

impl ZipingForm {
    /// The layout compiled into the program.
    pub fn standard() -> &'static ZipingForm {
        static F: OnceLock<ZipingForm> = OnceLock::new();
        F.get_or_init(|| {
            ZipingForm::from_toml(STANDARD_TOML).expect("templates/ziping.toml is valid")
        })
    }

    /// Reads a layout from TOML text and checks that every field exists and no row is wider
    /// than the table.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Toml`] for malformed TOML, [`TemplateError::Invalid`] naming the row
    /// and the field that does not fit.
    pub fn from_toml(text: &str) -> Result<ZipingForm, TemplateError> {
        let f: ZipingForm = toml::from_str(text)?;
        let width = f.columns.len();
        let line_fields: Vec<String> = LINES
            .iter()
            .flat_map(|l| LINE_FIELDS.iter().map(move |x| format!("{l}.{x}")))
            .collect();
        let known_block =
            |name: &str| BLOCK_FIELDS.contains(&name) || line_fields.iter().any(|l| l == name);
        let check = |what: &str, cells: &[CellSpec], known: &dyn Fn(&str) -> bool| {
            let used: usize = cells.iter().map(|c| c.span).sum();
            if used > width {
                return Err(TemplateError::Invalid(format!(
                    "{what} 占 {used} 列，超过表格的 {width} 列"
                )));
            }
            for c in cells {
                if let Some(field) = c.field.as_deref().filter(|f| !known(f)) {
                    return Err(TemplateError::Invalid(format!(
                        "{what} 中的字段 “{field}” 不存在"
                    )));
                }
                if c.span == 0 || c.rows == 0 {
                    return Err(TemplateError::Invalid(format!(
                        "{what} 的单元格 span 和 rows 不能为 0"
                    )));
                }
            }
            Ok(())
        };
        for (i, row) in f.rows.iter().enumerate() {
            check(&format!("rows[{i}]"), &row.cells, &known_block)?;
        }
        check("indicators.header", &f.indicators.header, &|_| false)?;
        check("indicators.row", &f.indicators.row, &|x| {
            INDICATOR_FIELDS.contains(&x)
        })?;
        check("indicators.execution", &f.indicators.execution, &|x| {
            EXECUTION_FIELDS.contains(&x)
        })?;
        check("indicators.total", &f.indicators.total, &|x| {
            TOTAL_FIELDS.contains(&x)
        })?;
        if width == 0 || width > crate::MAX_COLUMNS {
            return Err(TemplateError::Invalid(format!(
                "columns 有 {width} 列，应为 1–{} 列",
                crate::MAX_COLUMNS
            )));
        }
        Ok(f)
    }
}

/// What the 自评 cells hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// What the document says (a 自评表 read and converted).
    Read,
    /// Blanks for a department to fill in ([`Role::Input`](crate::Role::Input)): the form
    /// pre-filled from the targets.
    Blank,
}

/// True for the fields a department fills in on a pre-filled form.
fn is_input(field: &str) -> bool {
    match field.split_once('.') {
        Some(("execution", _)) => true,
        Some((_, "initial_budget")) => field == "funds_carryover.initial_budget",
        Some((_, _)) => true,
        None => matches!(
            field,
            "goal_achieved"
                | "actual"
                | "weight"
                | "score"
                | "deviation"
                | "total_weight"
                | "total_score"
                | "grade"
        ),
    }
}

fn rate(n: Option<Decimal>) -> Content {
    n.map_or(Content::Empty, |r| Content::Text(format!("{r}%")))
}

/// A funds line's field; the 年初预算数 of a line the table did not give is the project's
/// amount for that line (the 年度资金总额 of the form it was read from).
fn line_field(p: &Project, se: Option<&SelfEvaluation>, line: &str, field: &str) -> Content {
    let read: Option<&FundsLine> = se.and_then(|s| match line {
        "funds_total" => s.funds_total.as_ref(),
        "funds_fiscal" => s.funds_fiscal.as_ref(),
        "funds_carryover" => s.funds_carryover.as_ref(),
        _ => s.funds_other.as_ref(),
    });
    let target = match line {
        "funds_total" => p.funds.total,
        "funds_fiscal" => p.funds.fiscal,
        "funds_other" => p.funds.other,
        _ => None,
    };
    match (field, read) {
        ("initial_budget", Some(l)) => number(l.initial_budget),
        ("initial_budget", None) => number(target),
        (_, None) => Content::Empty,
        ("budget", Some(l)) => number(l.budget),
        ("executed", Some(l)) => number(l.executed),
        ("weight", Some(l)) => number(l.weight),
        ("rate", Some(l)) => rate(l.rate),
        (_, Some(l)) => number(l.score),
    }
}

fn block_field(p: &Project, field: &str) -> Content {
    let se = p.self_evaluation.as_ref();
    if let Some((line, f)) = field.split_once('.') {
        return line_field(p, se, line, f);
    }
    match field {
        "project_name" => text(&p.project_name),
        "budget_unit" => text(&p.budget_unit),
        "implementing_unit" => text(p.implementing_unit.as_deref().unwrap_or("")),
        "goal_expected" => text(
            se.and_then(|s| s.goal_expected.as_deref())
                .unwrap_or(&p.goal),
        ),
        "goal_achieved" => text(se.and_then(|s| s.goal_achieved.as_deref()).unwrap_or("")),
        "total_weight" => number(se.and_then(|s| s.total_weight)),
        "total_score" => number(se.and_then(|s| s.total_score)),
        "grade" => text(se.and_then(|s| s.grade.as_deref()).unwrap_or("")),
        _ => Content::Empty,
    }
}

fn indicator_field(i: &Indicator, field: &str) -> Content {
    let e = i.evaluation.as_ref();
    match field {
        "level1" => text(&i.level1),
        "level2" => text(&i.level2),
        "level3" => text(&i.level3),
        "value" => text(&i.value.raw),
        "actual" => text(e.and_then(|e| e.actual.as_ref()).map_or("", |a| &a.raw)),
        "weight" => number(e.and_then(|e| e.weight)),
        "score" => number(e.and_then(|e| e.score)),
        "deviation" => text(e.and_then(|e| e.deviation.as_deref()).unwrap_or("")),
        _ => Content::Empty,
    }
}

/// Cells of a spec row placed in the columns `covered` leaves free (a cell with `rows > 1`
/// above covers its columns), with their content; input fields blank when `fill` is
/// [`Fill::Blank`].
fn place(
    specs: &[CellSpec],
    covered: &[bool],
    fill: Fill,
    value: &dyn Fn(&str) -> Content,
) -> Vec<Cell> {
    let mut cells = crate::cells_for(specs, &|f| {
        if fill == Fill::Blank && is_input(f) {
            Content::Empty
        } else {
            value(f)
        }
    });
    let mut col = 0;
    for (cell, spec) in cells.iter_mut().zip(specs) {
        while covered.get(col).copied().unwrap_or(false) {
            col += 1;
        }
        cell.col = col;
        cell.row_span = spec.rows;
        if fill == Fill::Blank && spec.field.as_deref().is_some_and(is_input) {
            cell.role = crate::Role::Input;
        }
        col += spec.span;
    }
    cells
}

/// Lays out one project as the standard 自评表.
pub fn self_evaluation(p: &Project, form: &ZipingForm, fill: Fill) -> Table {
    let width = form.columns.len();
    let mut rows = Vec::new();
    // Rows still covered below, per column, by a cell with `rows > 1` above.
    let mut pending = vec![0usize; width];
    let se = p.self_evaluation.as_ref();
    for spec in &form.rows {
        let covered: Vec<bool> = pending.iter().map(|&n| n > 0).collect();
        let cells = place(&spec.cells, &covered, fill, &|f| block_field(p, f));
        for n in pending.iter_mut().filter(|n| **n > 0) {
            *n -= 1;
        }
        for c in &cells {
            for slot in pending.iter_mut().skip(c.col).take(c.col_span) {
                *slot = c.row_span.saturating_sub(1);
            }
        }
        let fields = || spec.cells.iter().filter_map(|c| c.field.as_deref());
        let source = if fields().any(|f| f.starts_with("goal")) {
            p.goal_location.clone()
        } else if fields().any(|f| f.starts_with("funds_")) {
            se.and_then(|s| s.funds_total.as_ref().map(|l| l.location.clone()))
                .or_else(|| p.funds.location.clone())
        } else {
            None
        };
        rows.push(Row {
            kind: RowKind::Block,
            cells,
            source: source.unwrap_or_else(|| p.location.clone()),
        });
    }
    let header_row = rows.len();
    let free = vec![false; width];
    rows.push(Row {
        kind: RowKind::Header,
        cells: place(&form.indicators.header, &free, Fill::Read, &|_| {
            Content::Empty
        }),
        source: Location::default(),
    });
    if let Some(row) = se.and_then(|s| s.execution.as_ref()) {
        let e = &row.evaluation;
        let value = |f: &str| match f {
            "execution.name" => text(&row.name),
            "execution.value" => text(&row.value.raw),
            "execution.actual" => text(e.actual.as_ref().map_or("", |a| &a.raw)),
            "execution.weight" => number(e.weight),
            "execution.score" => number(e.score),
            "execution.deviation" => text(e.deviation.as_deref().unwrap_or("")),
            _ => Content::Empty,
        };
        rows.push(Row {
            kind: RowKind::Indicator,
            cells: place(&form.indicators.execution, &free, fill, &value),
            source: row.location.clone(),
        });
    }
    let first = rows.len();
    for ind in &p.indicators {
        rows.push(Row {
            kind: RowKind::Indicator,
            cells: place(&form.indicators.row, &free, fill, &|f| {
                indicator_field(ind, f)
            }),
            source: ind.location.clone(),
        });
    }
    merge_down(&mut rows[first..], &form.indicators.row);
    rows.push(Row {
        kind: RowKind::Total,
        cells: place(&form.indicators.total, &free, fill, &|f| block_field(p, f)),
        source: se
            .and_then(|s| s.total_location.clone())
            .unwrap_or_else(|| p.location.clone()),
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;
    use jixiao_model::{Evaluation, Value};

    fn project() -> Project {
        let mut p = Project {
            project_name: "城乡公益性岗位补贴".into(),
            funds: jixiao_model::Funds {
                total: Some(Decimal::new(15800, 2)),
                ..Default::default()
            },
            goal: "开发岗位220个".into(),
            ..Project::default()
        };
        for (l2, l3, v) in [
            ("数量指标", "岗位数", "≥220个"),
            ("质量指标", "在岗率", "≥95%"),
        ] {
            p.indicators.push(Indicator {
                level1: "产出指标".into(),
                level2: l2.into(),
                level3: l3.into(),
                value: Value::parse(v),
                evaluation: Some(Box::new(Evaluation {
                    actual: Some(Value::parse("226个")),
                    weight: Some(Decimal::from(20)),
                    score: Some(Decimal::from(19)),
                    ..Evaluation::default()
                })),
                ..Indicator::default()
            });
        }
        p
    }

    #[test]
    fn the_standard_layout_is_valid_and_fills_every_row() {
        let form = ZipingForm::standard();
        let t = self_evaluation(&project(), form, Fill::Read);
        for row in &t.rows {
            let used: usize = row
                .cells
                .iter()
                .map(|c| c.col + c.col_span)
                .max()
                .unwrap_or(0);
            assert!(used <= form.columns.len());
        }
        // 项目资金 spans its five rows; the lines below start right of it.
        let funds = t.rows.iter().position(|r| {
            r.cells.first().map(|c| c.content.text()) == Some("项目资金（万元）".into())
        });
        let funds = funds.unwrap();
        assert_eq!(t.rows[funds].cells[0].row_span, 5);
        assert_eq!(t.rows[funds + 1].cells[0].col, 2);
        assert_eq!(t.rows[funds + 1].cells[1].content.text(), "158.00");
        let ind = &t.rows[t.header_row.unwrap() + 1];
        assert_eq!(ind.cells[4].content.text(), "226个");
        assert_eq!(ind.cells[6].content.text(), "19");
    }

    #[test]
    fn a_blank_form_keeps_the_targets_and_leaves_the_inputs_blank() {
        let t = self_evaluation(&project(), ZipingForm::standard(), Fill::Blank);
        let ind = &t.rows[t.header_row.unwrap() + 1];
        assert_eq!(ind.cells[3].content.text(), "≥220个");
        assert_eq!(ind.cells[3].role, Role::Value);
        for c in &ind.cells[4..] {
            assert_eq!((c.role, &c.content), (Role::Input, &Content::Empty));
        }
        let total = t.rows.last().unwrap();
        assert!(total.cells.iter().any(|c| c.role == Role::Input));
        let inputs = t
            .rows
            .iter()
            .flat_map(|r| &r.cells)
            .filter(|c| c.role == Role::Input)
            .count();
        assert!(inputs > 10);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let bad = STANDARD_TOML.replace("\"actual\"", "\"actuel\"");
        let err = ZipingForm::from_toml(&bad).unwrap_err().to_string();
        assert!(err.contains("actuel"), "{err}");
    }
}
