//! Review checks (绩效目标审核) over the IR.
//!
//! Before a finance bureau accepts a department's performance targets it reviews them: do the
//! sums add up, are the indicators in the right framework, are targets quantified, was anything
//! copied from another project, does the county summary agree with the project tables. Each
//! finding is a [`Diagnostic`] with a stable `C2xx` code, a message in Chinese, and the
//! location of the cell a clerk must fix. [`rules`] lists and explains every code.
//!
//! The checks only read the [`Document`]; they never change it.
//!
//! ```
//! use jixiao_check::{check, CheckOptions};
//! use jixiao_model::{Decimal, Document, Funds, Project};
//! use std::str::FromStr;
//!
//! let amount = |s: &str| Some(Decimal::from_str(s).unwrap());
//! let mut doc = Document::default();
//! doc.projects.push(Project {
//!     project_name: "城市低保".into(),
//!     funds: Funds { total: amount("35.88"), fiscal: amount("35.00"), other: amount("0"), location: None },
//!     ..Project::default()
//! });
//! let found = check(&doc, &CheckOptions::default());
//! assert_eq!(found[0].code, "C201");
//! assert!(found[0].message.contains("相差 0.88 万元"));
//! ```

mod copied;
mod cost;
pub mod evaluation;
mod funds;
mod indicators;
mod summary;
mod text;
mod unit_scale;

use jixiao_model::framework::Framework;
use jixiao_model::{Code, Diagnostic, Document, Project, registry};

pub use indicators::scheme_of;

/// Settings for the review.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    /// The indicator framework (schemes, aliases, which level 2 must be quantified).
    pub framework: &'a Framework,
    /// What a 自评表's 分值 add up to (`templates/self_evaluation.toml`).
    pub weights: &'a evaluation::Weights,
}

impl Default for CheckOptions<'_> {
    fn default() -> Self {
        CheckOptions {
            framework: Framework::standard(),
            weights: evaluation::Weights::standard(),
        }
    }
}

/// Reviews a document and returns the findings (codes `C2xx`), summary first, then each
/// project in table order.
///
/// Diagnostics already in `doc` are consulted so that a problem the recognizer reported (an
/// empty 指标值, R104) is not reported twice; they are not part of the result.
pub fn check(doc: &Document, options: &CheckOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(summary) = &doc.summary {
        summary::check(summary, &doc.projects, &mut out);
    }
    let contrasts = copied::contrasts(&doc.projects);
    let earlier = indicators::Earlier::new(&doc.diagnostics);
    for (i, project) in doc.projects.iter().enumerate() {
        funds::check(project, &mut out);
        indicators::check(project, options.framework, &earlier, &mut out);
        cost::check(project, &mut out);
        copied::check(project, &doc.projects, &contrasts[i], &mut out);
        evaluation::check(project, options.framework, options.weights, &mut out);
    }
    unit_scale::check(doc, options.framework, &mut out);
    out
}

/// One review rule: its entry in the registry of codes (`C2xx`).
pub type Rule = registry::Entry;

/// Every review rule, in code order: the `C2` family of the registry
/// ([`jixiao_model::registry`]), where their severity, title, explanation and example live.
///
/// ```
/// let rules: Vec<_> = jixiao_check::rules().collect();
/// assert!(rules.iter().any(|r| r.code == "C201"));
/// assert!(rules.windows(2).all(|w| w[0].code < w[1].code));
/// ```
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    registry::CODES.iter().filter(|c| c.code.is_review())
}

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    rules().find(|r| r.code == code)
}

pub(crate) const FUNDS_SUM: Code = Code::C201;
pub(crate) const FUNDS_BLANK: Code = Code::C202;
pub(crate) const FUNDS_NEGATIVE: Code = Code::C203;
pub(crate) const LEVEL1_UNKNOWN: Code = Code::C204;
pub(crate) const LEVEL2_MISPLACED: Code = Code::C205;
pub(crate) const CATEGORY_MISSING: Code = Code::C206;
pub(crate) const CELL_EMPTY: Code = Code::C207;
pub(crate) const LEVEL3_DUPLICATE: Code = Code::C208;
pub(crate) const QUALITATIVE: Code = Code::C209;
pub(crate) const RATE_OVER_100: Code = Code::C210;
pub(crate) const SATISFACTION_RANGE: Code = Code::C211;
pub(crate) const COST_COUNT: Code = Code::C212;
pub(crate) const COPIED: Code = Code::C213;
pub(crate) const ROW_WITHOUT_TABLE: Code = Code::C214;
pub(crate) const TABLE_WITHOUT_ROW: Code = Code::C215;
pub(crate) const UNIT_MISMATCH: Code = Code::C216;
pub(crate) const ROW_FUNDS_MISMATCH: Code = Code::C217;
pub(crate) const TOTAL_MISMATCH: Code = Code::C218;
pub(crate) const TOTAL_BLANK: Code = Code::C219;
pub(crate) const UNIT_SCALE: Code = Code::C230;
pub(crate) const EVAL_WEIGHT_SUM: Code = Code::C240;
pub(crate) const EVAL_LEVEL1_WEIGHT: Code = Code::C241;
pub(crate) const EVAL_SCORE_OVER: Code = Code::C242;
pub(crate) const EVAL_RATE: Code = Code::C243;
pub(crate) const EVAL_TOTAL: Code = Code::C244;
pub(crate) const EVAL_GRADE: Code = Code::C245;
pub(crate) const EVAL_MISSED: Code = Code::C246;
pub(crate) const EVAL_UNCOMPARABLE: Code = Code::C247;

/// “项目“城市低保””: how messages name a project (or its position when it has no name).
pub(crate) fn project_label(project: &Project) -> String {
    if project.project_name.trim().is_empty() {
        "（未填写名称的项目）".to_string()
    } else {
        format!("“{}”", project.project_name.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_constant_is_a_registered_rule() {
        let constants = [
            FUNDS_SUM,
            FUNDS_BLANK,
            FUNDS_NEGATIVE,
            LEVEL1_UNKNOWN,
            LEVEL2_MISPLACED,
            CATEGORY_MISSING,
            CELL_EMPTY,
            LEVEL3_DUPLICATE,
            QUALITATIVE,
            RATE_OVER_100,
            SATISFACTION_RANGE,
            COST_COUNT,
            COPIED,
            ROW_WITHOUT_TABLE,
            TABLE_WITHOUT_ROW,
            UNIT_MISMATCH,
            ROW_FUNDS_MISMATCH,
            TOTAL_MISMATCH,
            TOTAL_BLANK,
            UNIT_SCALE,
            EVAL_WEIGHT_SUM,
            EVAL_LEVEL1_WEIGHT,
            EVAL_SCORE_OVER,
            EVAL_RATE,
            EVAL_TOTAL,
            EVAL_GRADE,
            EVAL_MISSED,
            EVAL_UNCOMPARABLE,
        ];
        let registered: Vec<Code> = rules().map(|r| r.code).collect();
        assert_eq!(registered, constants);
    }
}
