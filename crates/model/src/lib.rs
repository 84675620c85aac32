//! The intermediate representation (IR) of performance target tables.
//!
//! Every input format is read into a [`Document`]; every writer reads only a [`Document`].
//! The serde derives here *are* the JSON contract `jixiao/1` (documented field by field in the
//! `jixiao-json` crate and in `docs/json-contract.md`): field names are fixed, new fields may be
//! added.
//!
//! Numbers are [`Decimal`]s that keep the digits of their source: `3.90` stays `3.90`.
//!
//! ```
//! use jixiao_model::{Value, Op};
//! let v = Value::parse("≥12212人");
//! assert_eq!(v.op, Some(Op::Ge));
//! assert_eq!(v.number.unwrap().to_string(), "12212");
//! assert_eq!(v.unit.as_deref(), Some("人"));
//! assert_eq!(v.raw, "≥12212人");
//! ```

/// Diagnostics live in the `jixiao-diagnostics` crate (the readers need them without the IR);
/// this module keeps the `jixiao_model::diagnostic::…` paths working.
pub mod diagnostic {
    pub use jixiao_diagnostics::*;
}
pub mod evaluation;
pub mod framework;
pub mod identity;
pub mod traditional;
pub mod value;

pub use evaluation::{Evaluation, FundsLine, ScoreRow, SelfEvaluation};
pub use jixiao_diagnostics::{Code, Diagnostic, Location, Severity, Warned, registry};
pub use rust_decimal::Decimal;
pub use value::{Op, Value};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The schema identifier written into every JSON document.
pub const SCHEMA: &str = "jixiao/1";

/// A converted input: an optional county summary table, the project tables, and everything
/// that was repaired, guessed or found wrong on the way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Document {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The summary table (重大政策和重点项目绩效目标汇总表), `null` where the input has none.
    pub summary: Option<Summary>,
    /// The project tables (项目支出绩效目标表) in input order.
    pub projects: Vec<Project>,
    /// Diagnostics from reading, recognizing and checking.
    pub diagnostics: Vec<Diagnostic>,
    /// The fields a clerk corrected by hand (on the page of `jixiao serve`), in the order
    /// made; absent when nothing was corrected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<Correction>,
}

/// One field corrected by hand: which, what it was and what it is now, as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Correction {
    /// The field, as a JSON Pointer (RFC 6901) into this document: `/projects/0/budget_unit`,
    /// `/projects/0/funds/total`, `/projects/0/indicators/3/value` (rows added or deleted by
    /// hand renumber the rows after them). A whole indicator row for a row added
    /// (`/projects/0/indicators/5`) or deleted (where it was: before the row that now has
    /// that number). A field corrected twice is recorded once.
    pub field: String,
    /// The text before; `null` for a row added. A deleted row is its four cells joined by
    /// ` / ` (一级 / 二级 / 三级 / 指标值).
    pub before: Option<String>,
    /// The text after; `null` for a row deleted, `""` for a field emptied.
    pub after: Option<String>,
}

impl Default for Document {
    fn default() -> Self {
        Document {
            schema: SCHEMA.to_string(),
            summary: None,
            projects: Vec::new(),
            diagnostics: Vec::new(),
            corrections: Vec::new(),
        }
    }
}

/// The county summary table 重大政策和重点项目绩效目标汇总表.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// The title as written, e.g. `2022年度和硕县重大政策和重点项目绩效目标汇总表`.
    pub title: Option<String>,
    /// The budget year from the title.
    pub year: Option<i32>,
    /// The region from the title, e.g. `和硕县`.
    pub region: Option<String>,
    /// One row per project.
    pub rows: Vec<SummaryRow>,
    /// The 合计 as written; `null` when blank or absent.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub total: Option<Decimal>,
    /// Where the summary table starts.
    #[serde(default)]
    pub location: Location,
    /// Where the 合计 row is, if there is one.
    #[serde(default)]
    pub total_location: Option<Location>,
}

/// One row of the summary table.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct SummaryRow {
    /// 序号 as written, if it is a number.
    pub seq: Option<u32>,
    /// 部门单位, as written (often with a region prefix such as `新疆巴州和硕县`).
    pub department: String,
    /// 项目名称.
    pub project_name: String,
    /// 年度资金总额 (万元) where the summary has such a column.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub funds_total: Option<Decimal>,
    /// Where the row is.
    #[serde(default)]
    pub location: Location,
    /// 备注: in the county document, the other files a project was also found in and whether
    /// their copies differ; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
}

/// One project table 项目支出绩效目标表.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Project {
    /// The budget year, from the `(2022年)` line above the table.
    pub year: Option<i32>,
    /// 预算单位 (or 主管部门 / 实施单位 where the form names it so).
    pub budget_unit: String,
    /// 项目名称.
    pub project_name: String,
    /// 实施单位, where the form names one beside 主管部门/预算单位 (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub implementing_unit: Option<String>,
    /// 一级预算单位, where the form names it beside a 申请单位/预算单位 that differs from it
    /// (absent otherwise; when the form names no other unit it is the `budget_unit`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_unit: Option<String>,
    /// 项目资金 in 万元 (the 年度 amounts where the form also has 中期 ones).
    pub funds: Funds,
    /// 项目总体目标 (or 年度目标), whole, as written.
    pub goal: String,
    /// The goal split at `目标1:`, `目标2:` …; one element when it is not numbered.
    pub goals: Vec<String>,
    /// The performance indicators in table order.
    pub indicators: Vec<Indicator>,
    /// Where the project table starts.
    #[serde(default)]
    pub location: Location,
    /// Where the goal text is.
    #[serde(default)]
    pub goal_location: Option<Location>,
    /// 中期资金 of the 88号 template (中期资金总额 / 财政拨款 / 其他资金); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub midterm_funds: Option<Funds>,
    /// 中期目标 of the 88号 template, whole, as written; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub midterm_goal: Option<String>,
    /// 中期绩效指标 of the 88号 template, in table order; absent when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub midterm_indicators: Vec<Indicator>,
    /// What kind of table the project was read from, as its title says (申报表, 批复表/审批表,
    /// 自评表, 部门整体支出绩效目标表); absent when the title names no kind (a plain
    /// 项目支出绩效目标表) or there is no title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<TableKind>,
    /// 基本支出 / 项目支出 of a 部门整体支出绩效目标表 (万元); absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_funds: Option<DepartmentFunds>,
    /// Header fields that were not read: the form has no label for them, or their value could
    /// not be read (an amount that is no number). Their empty value says nothing about what
    /// the clerk wrote, so the review rests no finding on them. A field written blank under
    /// its label is read (blank), not listed here. Absent when every field was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<HeaderField>,
    /// 一级指标 groups the form declares not applicable: every row under them holds a
    /// placeholder (`不适用`, `–`) and none is an indicator (names as written). The review does
    /// not report them missing. Absent when there is none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_applicable: Vec<String>,
    /// What a 绩效自评表 adds about the project as a whole: funds lines with 执行率 and 得分,
    /// 预期目标 and 实际完成情况, 总分, 自评等级. Absent for a table with no 自评 part.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_evaluation: Option<SelfEvaluation>,
}

impl Project {
    /// True when the project was read from a 绩效自评表: its title says 自评表, it has a 自评
    /// block (funds lines, 总分 …), or an indicator has a 实际完成值 or a 得分. A 目标表 that
    /// only gives each indicator its 分值 is still a 目标表.
    pub fn is_self_evaluation(&self) -> bool {
        self.kind == Some(TableKind::SelfEvaluation)
            || self.self_evaluation.is_some()
            || self.indicators.iter().any(|i| {
                i.evaluation
                    .as_ref()
                    .is_some_and(|e| e.actual.is_some() || e.score.is_some())
            })
    }
}

/// A field of a project's header block (表头), as [`Project::unread`] names it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum HeaderField {
    /// 预算单位 (`budget_unit`).
    BudgetUnit,
    /// 项目名称 (`project_name`).
    ProjectName,
    /// 项目总体目标 / 年度目标 (`goal`).
    Goal,
    /// 年度资金总额 (`funds.total`).
    FundsTotal,
    /// 其中：财政拨款 (`funds.fiscal`).
    FundsFiscal,
    /// 其他资金 (`funds.other`).
    FundsOther,
}

/// The two parts of a department's money in a 部门整体支出绩效目标表, in 万元 as written.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct DepartmentFunds {
    /// 基本支出.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub basic: Option<Decimal>,
    /// 项目支出.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub project: Option<Decimal>,
}

/// The kind of a 绩效目标 table, from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TableKind {
    /// 项目支出绩效目标申报表: what a unit submits with its budget.
    Declaration,
    /// 批复表 / 审批表: the targets as approved by the finance bureau (same tree as 申报表).
    Approval,
    /// 绩效自评表: the year-end self-evaluation; its 年度指标值 column is the target, its
    /// 实际完成值, 分值, 得分 and 偏差原因 are each indicator's `evaluation`.
    SelfEvaluation,
    /// 部门整体支出绩效目标表: one department's whole budget (部门名称 instead of 项目名称;
    /// funds split by 基本支出 / 项目支出).
    Department,
}

impl TableKind {
    /// The kind's name as the forms write it.
    pub fn label(self) -> &'static str {
        match self {
            TableKind::Declaration => "申报表",
            TableKind::Approval => "批复表",
            TableKind::SelfEvaluation => "自评表",
            TableKind::Department => "部门整体支出绩效目标表",
        }
    }
}

/// 项目资金 in 万元, each amount as written.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Funds {
    /// 年度资金总额.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub total: Option<Decimal>,
    /// 其中：财政拨款.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub fiscal: Option<Decimal>,
    /// 其他资金.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub other: Option<Decimal>,
    /// Where the funds row is.
    #[serde(default)]
    pub location: Option<Location>,
}

/// One performance indicator: 一级指标 / 二级指标 / 三级指标 / 指标值.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Indicator {
    /// 一级指标 as written, e.g. `产出指标`.
    pub level1: String,
    /// 二级指标 as written, e.g. `数量指标`.
    pub level2: String,
    /// 三级指标: free text.
    pub level3: String,
    /// 指标值.
    pub value: Value,
    /// Where the indicator row is.
    #[serde(default)]
    pub location: Location,
    /// The 自评 columns of the row (实际完成值, 分值, 得分, 偏差原因) where the table has
    /// them; absent otherwise.
    // Boxed: most tables have no 自评 columns, and an indicator without them should not carry
    // their room (a large table holds a million indicators).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluation: Option<Box<Evaluation>>,
}
