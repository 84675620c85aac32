//! 绩效自评表: what a year-end self-evaluation adds to the targets — per indicator the 实际完成值,
//! 分值, 得分 and 偏差原因; per project the funds lines with their 执行率 and 得分, the goal's
//! 预期目标 and 实际完成情况, the 总分 and the 自评等级.
//!
//! Every amount and score is a [`Decimal`] with the digits of its source; every text is as
//! written. A field left blank on the form is `None`; the 自评表's own layout (财预〔2020〕10号)
//! is the reference for the names.

use crate::{Location, Value};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The 自评 columns of one indicator row (or of the 预算执行率 row).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Evaluation {
    /// 实际完成值 (全年实际值), as written and parsed like a target value; `null` when blank.
    pub actual: Option<Value>,
    /// 分值: the points the indicator can earn; `null` when blank or no number.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub weight: Option<Decimal>,
    /// 得分: the points given; `null` when blank or no number.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub score: Option<Decimal>,
    /// 偏差原因分析及改进措施 (未完成原因…), as written; `null` when blank.
    pub deviation: Option<String>,
    /// 分值 or 得分 cells whose text is no number (`十分`), as written: they were not read, so
    /// the review judges nothing on them. Absent when every cell with text was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unread: Vec<String>,
}

impl Evaluation {
    /// True when the row holds no 自评 cell with text.
    pub fn is_blank(&self) -> bool {
        self.actual.is_none()
            && self.weight.is_none()
            && self.score.is_none()
            && self.deviation.is_none()
            && self.unread.is_empty()
    }
}

/// One line of the 自评表's 项目资金 block: 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率
/// / 得分, in 万元 as written (amounts the source gave in 元 are converted).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct FundsLine {
    /// 年初预算数.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub initial_budget: Option<Decimal>,
    /// 全年预算数 (A).
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub budget: Option<Decimal>,
    /// 全年执行数 (B).
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub executed: Option<Decimal>,
    /// 分值.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub weight: Option<Decimal>,
    /// 执行率 (B/A) in percent as written: `96.5%` is `96.5`.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub rate: Option<Decimal>,
    /// 得分.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub score: Option<Decimal>,
    /// Where the line is.
    #[serde(default)]
    pub location: Location,
}

/// What a 自评表 says about its project as a whole.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct SelfEvaluation {
    /// 年度资金总额 line; `null` when the form has no 年初/全年 columns.
    pub funds_total: Option<FundsLine>,
    /// 其中：当年财政拨款 line.
    pub funds_fiscal: Option<FundsLine>,
    /// 上年结转资金 line.
    pub funds_carryover: Option<FundsLine>,
    /// 其他资金 line.
    pub funds_other: Option<FundsLine>,
    /// The 预算执行率 row of the indicator table (target in `value`, the rest in
    /// `evaluation`); `null` where the form scores the budget in its funds block instead.
    pub execution: Option<ScoreRow>,
    /// 年度总体目标 · 预期目标, as written.
    pub goal_expected: Option<String>,
    /// 年度总体目标 · 实际完成情况, as written.
    pub goal_achieved: Option<String>,
    /// 总分 · 分值 (normally 100).
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub total_weight: Option<Decimal>,
    /// 总分 · 得分.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub total_score: Option<Decimal>,
    /// 自评等级 (优 / 良 / 中 / 差) where the form writes one.
    pub grade: Option<String>,
    /// Where the 总分 row is.
    pub total_location: Option<Location>,
}

/// A score row of the indicator table that is no indicator (预算执行率).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
pub struct ScoreRow {
    /// The row's name as written (`预算执行率`).
    pub name: String,
    /// Its target (`100%`), as in the 指标值 column.
    pub value: Value,
    /// Its 实际完成值, 分值, 得分 and 偏差原因.
    pub evaluation: Evaluation,
    /// Where the row is.
    #[serde(default)]
    pub location: Location,
}

/// The grade a 总分 gives (财预〔2020〕10号): 90 and over 优, 80 良, 60 中, below 差.
///
/// ```
/// use jixiao_model::evaluation::grade;
/// use jixiao_model::Decimal;
/// assert_eq!(grade(Decimal::from(90)), "优");
/// assert_eq!(grade(Decimal::new(8999, 2)), "良");
/// assert_eq!(grade(Decimal::from(59)), "差");
/// ```
pub fn grade(total: Decimal) -> &'static str {
    if total >= Decimal::from(90) {
        "优"
    } else if total >= Decimal::from(80) {
        "良"
    } else if total >= Decimal::from(60) {
        "中"
    } else {
        "差"
    }
}
