//! 绩效自评: 分值 adding up to the weights of `templates/self_evaluation.toml` (C240, C241),
//! 得分 within 分值 (C242), 执行率 and its 得分 (C243), 总分 and 自评等级 (C244, C245), an
//! indicator that missed its target with full marks or without a reason (C246), and a
//! 实际完成值 that cannot be compared with its target (C247).
//!
//! A finding never rests on a field the recognizer failed to read: sums are judged only when
//! every 分值 (得分) they add was read, and a 分值 or 得分 that was no number
//! (`evaluation.unread`) is no blank.

use crate::text::sum;
use crate::{
    EVAL_GRADE, EVAL_LEVEL1_WEIGHT, EVAL_MISSED, EVAL_RATE, EVAL_SCORE_OVER, EVAL_TOTAL,
    EVAL_UNCOMPARABLE, EVAL_WEIGHT_SUM, project_label,
};
use jixiao_model::evaluation::grade;
use jixiao_model::framework::Framework;
use jixiao_model::{Decimal, Diagnostic, Evaluation, Indicator, Location, Op, Project, Value};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The weights shipped in `templates/self_evaluation.toml`.
pub const WEIGHTS_TOML: &str = include_str!("../../../templates/self_evaluation.toml");

/// What the 分值 of a 自评表 add up to (`[weights]` of `templates/self_evaluation.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// All 分值 together.
    pub total: Decimal,
    /// The 预算执行率.
    pub execution: Decimal,
    /// Each 一级指标 (canonical name) and its points.
    #[serde(default)]
    pub level1: BTreeMap<String, Decimal>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsFile {
    weights: Weights,
}

impl Weights {
    /// Reads the `[weights]` table of a `self_evaluation.toml`.
    ///
    /// # Errors
    /// The TOML error as text.
    pub fn from_toml(text: &str) -> Result<Weights, String> {
        toml::from_str::<WeightsFile>(text)
            .map(|f| f.weights)
            .map_err(|e| e.to_string())
    }

    /// The weights compiled into the program (财预〔2020〕10号).
    pub fn standard() -> &'static Weights {
        static W: OnceLock<Weights> = OnceLock::new();
        W.get_or_init(|| {
            Weights::from_toml(WEIGHTS_TOML).expect("templates/self_evaluation.toml is valid")
        })
    }
}

/// A number for messages: as written, without trailing zeros beyond the source.
fn n(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Two scores equal to 0.01 分, or the computed one rounding to the digits written (less
/// than half a unit of the last digit apart).
fn close(written: Decimal, computed: Decimal) -> bool {
    let half = Decimal::new(5, written.scale().min(6) + 1);
    written
        .checked_sub(computed)
        .is_some_and(|d| d.abs() <= Decimal::new(1, 2) || d.abs() < half)
}

pub(crate) fn check(project: &Project, fw: &Framework, w: &Weights, out: &mut Vec<Diagnostic>) {
    let evaluated: Vec<(&Indicator, &Evaluation)> = project
        .indicators
        .iter()
        .filter_map(|i| i.evaluation.as_deref().map(|e| (i, e)))
        .collect();
    let se = project.self_evaluation.as_ref();
    if !project.is_self_evaluation() {
        // A 目标表 may give its indicators a 分值; the 自评 rules are for the 自评表.
        return;
    }
    let name = project_label(project);
    let at = |loc: &Location| {
        if loc.is_empty() {
            project.location.clone()
        } else {
            loc.clone()
        }
    };

    // 得分 within 分值, for every scored line.
    for (i, e) in &evaluated {
        score_within(
            &format!("指标“{}”", i.level3.trim()),
            e.weight,
            e.score,
            &at(&i.location),
            out,
        );
    }
    let execution = se.and_then(|s| s.execution.as_ref());
    if let Some(row) = execution {
        let what = format!("“{}”", row.name);
        score_within(
            &what,
            row.evaluation.weight,
            row.evaluation.score,
            &at(&row.location),
            out,
        );
    }
    let lines = se.map(|s| {
        [
            ("年度资金总额", &s.funds_total),
            ("当年财政拨款", &s.funds_fiscal),
            ("上年结转资金", &s.funds_carryover),
            ("其他资金", &s.funds_other),
        ]
    });
    for (label, line) in lines.into_iter().flatten() {
        let Some(line) = line else { continue };
        score_within(
            &format!("{label}的执行率"),
            line.weight,
            line.score,
            &at(&line.location),
            out,
        );
        rate(label, line, &at(&line.location), out);
    }
    if let Some(row) = execution {
        execution_row_score(row, &at(&row.location), out);
    }

    // The budget's 分值 and 得分: the 预算执行率 row, or the 年度资金总额 line of the funds block.
    let total_line = se.and_then(|s| s.funds_total.as_ref());
    let budget_weight = execution
        .and_then(|r| r.evaluation.weight)
        .or(total_line.and_then(|l| l.weight));
    let budget_score = execution
        .and_then(|r| r.evaluation.score)
        .or(total_line.and_then(|l| l.score));
    let budget_scored = execution.is_some() || total_line.is_some_and(|l| l.weight.is_some());

    // 分值 adding up: only when every indicator's 分值 was read.
    let weights: Option<Vec<Decimal>> = evaluated.iter().map(|(_, e)| e.weight).collect();
    let sum_loc = se
        .and_then(|s| s.total_location.clone())
        .unwrap_or_else(|| project.location.clone());
    if let Some(weights) = weights.filter(|ws| !ws.is_empty())
        && let Some(indicators) = sum(weights.iter().copied())
    {
        let all = match budget_weight {
            Some(b) => indicators.checked_add(b),
            None if budget_scored => None,
            None => Some(indicators),
        };
        // Without a 预算执行率 on the form, the indicators make the total less its points.
        let total = se.and_then(|s| s.total_weight).unwrap_or(w.total);
        let expected = match budget_weight {
            None if !budget_scored => total.checked_sub(w.execution).unwrap_or(total),
            _ => total,
        };
        if let Some(all) = all
            && all != expected
        {
            let parts = match budget_weight {
                Some(b) => format!("（预算执行率 {} 分，各指标 {} 分）", n(b), n(indicators)),
                None => format!("（表中没有预算执行率，它另占 {} 分）", n(w.execution)),
            };
            out.push(Diagnostic::new(
                EVAL_WEIGHT_SUM,
                format!(
                    "项目{name}的分值合计 {} 分{parts}，应为 {} 分：请核对各项分值",
                    n(all),
                    n(expected)
                ),
                sum_loc.clone(),
            ));
        }
        if let Some(b) = budget_weight.filter(|b| *b != w.execution) {
            out.push(Diagnostic::new(
                EVAL_LEVEL1_WEIGHT,
                format!(
                    "项目{name}的预算执行率分值 {} 分，按规定应为 {} 分",
                    n(b),
                    n(w.execution)
                ),
                execution.map_or(sum_loc.clone(), |r| at(&r.location)),
            ));
        }
        let mut groups: BTreeMap<&str, (Decimal, Location)> = BTreeMap::new();
        for ((i, _), weight) in evaluated.iter().zip(&weights) {
            let canonical = fw.level1(&i.level1).unwrap_or(i.level1.trim());
            let entry = groups
                .entry(canonical)
                .or_insert((Decimal::ZERO, at(&i.location)));
            entry.0 = entry.0.checked_add(*weight).unwrap_or(entry.0);
        }
        for (group, (got, loc)) in groups {
            if let Some(want) = w.level1.get(group).filter(|want| **want != got) {
                out.push(Diagnostic::new(
                    EVAL_LEVEL1_WEIGHT,
                    format!(
                        "项目{name}的{group}分值合计 {} 分，按规定应为 {} 分",
                        n(got),
                        n(*want)
                    ),
                    loc,
                ));
            }
        }
    }

    // 总分 = Σ 得分, and its grade.
    if let Some(s) = se
        && let Some(total) = s.total_score
    {
        let loc = s
            .total_location
            .clone()
            .unwrap_or_else(|| project.location.clone());
        let scores: Option<Vec<Decimal>> = evaluated.iter().map(|(_, e)| e.score).collect();
        let budget = match budget_score {
            Some(b) => Some(b),
            None if budget_scored => None,
            None => Some(Decimal::ZERO),
        };
        if let (Some(scores), Some(budget)) = (scores, budget)
            && let Some(computed) = sum(scores.into_iter().chain([budget]))
            && !close(total, computed)
        {
            out.push(Diagnostic::new(
                EVAL_TOTAL,
                format!(
                    "项目{name}的总分 {} 分，各项得分之和为 {} 分：请核对总分或各项得分",
                    n(total),
                    n(computed)
                ),
                loc.clone(),
            ));
        }
        if let Some(written) = s.grade.as_deref() {
            let said = match written.trim() {
                "优" | "优秀" => Some("优"),
                "良" | "良好" => Some("良"),
                "中" | "中等" => Some("中"),
                "差" | "较差" => Some("差"),
                _ => None,
            };
            let due = grade(total);
            if let Some(said) = said.filter(|s| *s != due) {
                out.push(Diagnostic::new(
                    EVAL_GRADE,
                    format!(
                        "项目{name}总分 {} 分，自评等级应为“{due}”（90 分以上优，80 分以上良，60 分以上中，以下差），表中写“{said}”",
                        n(total)
                    ),
                    loc,
                ));
            }
        }
    }

    // Each indicator's actual against its target.
    for (i, e) in &evaluated {
        actual_against_target(i, e, &at(&i.location), out);
    }
}

fn score_within(
    what: &str,
    weight: Option<Decimal>,
    score: Option<Decimal>,
    loc: &Location,
    out: &mut Vec<Diagnostic>,
) {
    let Some(score) = score else { return };
    if score.is_sign_negative() && !score.is_zero() {
        out.push(Diagnostic::new(
            EVAL_SCORE_OVER,
            format!("{what}的得分 {} 分为负数，得分应在 0 到分值之间", n(score)),
            loc.clone(),
        ));
    } else if let Some(weight) = weight.filter(|w| score > *w) {
        out.push(Diagnostic::new(
            EVAL_SCORE_OVER,
            format!(
                "{what}的得分 {} 分超过分值 {} 分：请改为不超过分值的得分",
                n(score),
                n(weight)
            ),
            loc.clone(),
        ));
    }
}

/// 执行率 = 全年执行数 / 全年预算数 (to the precision written), and its 得分 = 分值 × 执行率
/// (a rate over 100% scores as 100%).
fn rate(label: &str, line: &jixiao_model::FundsLine, loc: &Location, out: &mut Vec<Diagnostic>) {
    let computed = match (line.budget, line.executed) {
        (Some(b), Some(e)) if !b.is_zero() => e
            .checked_div(b)
            .and_then(|r| r.checked_mul(Decimal::from(100))),
        _ => None,
    };
    if let (Some(written), Some(computed)) = (line.rate, computed) {
        let shown = computed.round_dp(written.scale().max(2));
        let rounded = computed.round_dp(written.scale());
        if rounded != written && !close(written, computed) {
            out.push(Diagnostic::new(
                EVAL_RATE,
                format!(
                    "{label}的执行率写 {}%，按全年执行数 {} ÷ 全年预算数 {} 计算为 {}%：请核对",
                    n(written),
                    n(line.executed.unwrap_or_default()),
                    n(line.budget.unwrap_or_default()),
                    n(shown)
                ),
                loc.clone(),
            ));
        }
    }
    let Some(rate) = line.rate.or(computed) else {
        return;
    };
    if let (Some(weight), Some(score)) = (line.weight, line.score) {
        let due = due_score(weight, rate);
        if !close(score, due) {
            out.push(Diagnostic::new(
                EVAL_RATE,
                format!(
                    "{label}的执行率 {}%、分值 {} 分，得分应为 {} 分，表中写 {} 分",
                    n(rate.round_dp(2)),
                    n(weight),
                    n(due.round_dp(2)),
                    n(score)
                ),
                loc.clone(),
            ));
        }
    }
}

/// 分值 × 执行率, the rate capped at 100%.
fn due_score(weight: Decimal, rate_percent: Decimal) -> Decimal {
    let capped = rate_percent.min(Decimal::from(100)).max(Decimal::ZERO);
    weight
        .checked_mul(capped)
        .and_then(|x| x.checked_div(Decimal::from(100)))
        .unwrap_or_default()
}

/// The 预算执行率 row: its 得分 = 分值 × the actual rate (in %).
fn execution_row_score(row: &jixiao_model::ScoreRow, loc: &Location, out: &mut Vec<Diagnostic>) {
    let e = &row.evaluation;
    let Some(actual) = e.actual.as_ref() else {
        return;
    };
    if actual.unit.as_deref() != Some("%") || actual.op.is_some() {
        return;
    }
    let (Some(rate), Some(weight), Some(score)) = (actual.number, e.weight, e.score) else {
        return;
    };
    let due = due_score(weight, rate);
    if !close(score, due) {
        out.push(Diagnostic::new(
            EVAL_RATE,
            format!(
                "“{}”实际 {}、分值 {} 分，得分应为 {} 分，表中写 {} 分",
                row.name,
                actual.raw.trim(),
                n(weight),
                n(due.round_dp(2)),
                n(score)
            ),
            loc.clone(),
        ));
    }
}

/// A unit for comparison: full-width folded, `百分比` as `%`.
fn unit_key(unit: Option<&str>) -> Option<String> {
    let u = jixiao_model::value::fold_width(unit?.trim());
    Some(if u == "百分比" { "%".to_string() } else { u })
}

/// True when `actual` meets `target` by the target's comparison.
fn meets(op: Op, actual: Decimal, target: Decimal) -> bool {
    match op {
        Op::Ge => actual >= target,
        Op::Gt => actual > target,
        Op::Le => actual <= target,
        Op::Lt => actual < target,
        Op::Eq => actual == target,
    }
}

fn actual_against_target(i: &Indicator, e: &Evaluation, loc: &Location, out: &mut Vec<Diagnostic>) {
    let Some(actual) = e.actual.as_ref() else {
        return;
    };
    let target: &Value = &i.value;
    let (Some(target_number), Some(op)) = (target.number, target.op) else {
        return;
    };
    let name = i.level3.trim();
    let Some(actual_number) = actual.number else {
        out.push(Diagnostic::new(
            EVAL_UNCOMPARABLE,
            format!(
                "指标“{name}”的指标值“{}”是数字，实际完成值“{}”没有数字，无法判断是否完成：请填写实际达到的数值",
                target.raw.trim(),
                actual.raw.trim()
            ),
            loc.clone(),
        ));
        return;
    };
    if let Some(sign) = actual.op {
        out.push(Diagnostic::new(
            EVAL_UNCOMPARABLE,
            format!(
                "指标“{name}”的实际完成值“{}”带有比较符号“{}”，不是实际达到的数值，无法与指标值“{}”比较：请填写实际达到的数值",
                actual.raw.trim(),
                sign.symbol(),
                target.raw.trim()
            ),
            loc.clone(),
        ));
        return;
    }
    let (tu, au) = (
        unit_key(target.unit.as_deref()),
        unit_key(actual.unit.as_deref()),
    );
    if let (Some(tu), Some(au)) = (&tu, &au)
        && tu != au
    {
        out.push(Diagnostic::new(
            EVAL_UNCOMPARABLE,
            format!(
                "指标“{name}”的指标值“{}”单位是“{tu}”，实际完成值“{}”单位是“{au}”：单位不同，无法比较；请按指标值的单位填写",
                target.raw.trim(),
                actual.raw.trim()
            ),
            loc.clone(),
        ));
        return;
    }
    if meets(op, actual_number, target_number) {
        return;
    }
    let full = matches!((e.weight, e.score), (Some(w), Some(s)) if s >= w && !w.is_zero());
    let reason = e.deviation.as_deref().is_some_and(|d| !d.trim().is_empty());
    let what = match (full, reason) {
        (true, false) => "却得满分，也没有说明偏差原因：请扣分并填写偏差原因分析及改进措施",
        (true, true) => "却得满分：请按完成程度扣分",
        (false, false) => "没有说明偏差原因：请填写偏差原因分析及改进措施",
        (false, true) => return,
    };
    out.push(Diagnostic::new(
        EVAL_MISSED,
        format!(
            "指标“{name}”实际完成 {}，未达到指标值“{}”，{what}",
            actual.raw.trim(),
            target.raw.trim()
        ),
        loc.clone(),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_weights_are_those_of_the_2020_rules() {
        let w = Weights::standard();
        assert_eq!(w.total, Decimal::from(100));
        assert_eq!(w.execution, Decimal::from(10));
        assert_eq!(w.level1.get("产出指标"), Some(&Decimal::from(50)));
        assert_eq!(
            w.level1.values().copied().sum::<Decimal>(),
            Decimal::from(90)
        );
    }

    #[test]
    fn scores_are_close_to_the_digits_written() {
        assert!(close(Decimal::new(965, 2), Decimal::new(9650, 3)));
        assert!(close(Decimal::from(10), Decimal::new(9997, 3)));
        assert!(!close(Decimal::new(98, 0), Decimal::new(9865, 2)));
        assert!(!close(Decimal::from(99), Decimal::new(995, 1)));
        assert_eq!(
            due_score(Decimal::from(10), Decimal::new(1025, 1)),
            Decimal::from(10)
        );
    }
}
