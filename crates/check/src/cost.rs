//! Cost consistency: a per-payment amount times the number of payments should be the
//! project's 年度资金总额.
//!
//! A per-payment amount is a money indicator whose name says `每` + a measure (`每次发放资金数`,
//! `每期补助金额`); its count is a quantified indicator whose unit is that measure (`发放次数
//! =9次`). Per-capita amounts (`人均`, `每人`, `户均` …) are left out: they need a head count,
//! not a payment count.
//!
//! Tolerance: the per-payment amount is a rounded figure — 35.88 万元 over 9 payments is
//! 3.9867, written 3.99. Whether the writer rounded, rounded up or cut off, the written amount
//! is within one unit of its last digit of the true one, so the product is within
//! `count × that unit` of the funds (9 × 0.01 = 0.09 万元 for 3.99). A larger difference is
//! reported.

use crate::text::{money_in_wan, wan};
use crate::{COST_COUNT, project_label};
use jixiao_model::framework::normalize_label;
use jixiao_model::{Decimal, Diagnostic, Indicator, Project};

/// Words that make an amount per head or per area rather than per payment.
const PER_UNIT_WORDS: &[&str] = &[
    "人均",
    "每人",
    "户均",
    "每户",
    "亩均",
    "每亩",
    "生均",
    "每生",
    "人次均",
];

/// The measures `每X` names in a level-3 name, among the distinct ones count indicators use.
fn per_measure<'a>(name: &str, measures: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut key = String::new();
    measures
        .filter(|m| {
            key.clear();
            key.push('每');
            key.push_str(m);
            name.contains(key.as_str())
        })
        .collect()
}

/// How many characters two names share (a crude relatedness for choosing among counts).
fn shared_chars(a: &str, b: &str) -> usize {
    a.chars().filter(|c| b.contains(*c)).count()
}

/// Count indicators compared with each amount, at most: a real table has a handful, and the
/// bound keeps a project of thousands of indicators linear.
const MAX_CANDIDATES: usize = 32;

pub(crate) fn check(project: &Project, out: &mut Vec<Diagnostic>) {
    check_counted(project, out, &mut 0);
}

/// [`check`], counting in `work` the counts and measures looked at (for tests that it stays
/// linear: it was a look at every count for every amount, 15 minutes for a million rows).
fn check_counted(project: &Project, out: &mut Vec<Diagnostic>, work: &mut usize) {
    let Some(total) = project.funds.total.filter(|t| *t > Decimal::ZERO) else {
        return;
    };
    // Count indicators: a positive whole number with a one-character measure as unit.
    let counts: Vec<(&Indicator, Decimal, &str)> = project
        .indicators
        .iter()
        .filter_map(|ind| {
            let n = ind
                .value
                .number
                .filter(|n| *n > Decimal::ZERO && n.fract().is_zero())?;
            let unit = ind
                .value
                .unit
                .as_deref()
                .filter(|u| u.chars().count() == 1)?;
            Some((ind, n, unit))
        })
        .collect();
    if counts.is_empty() {
        return;
    }
    // The counts of each measure, in table order, at most MAX_CANDIDATES each: a project of a
    // million indicators asks each amount about its few measures, not about every count.
    let mut by_measure: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for (k, (_, _, unit)) in counts.iter().enumerate() {
        let list = by_measure.entry(unit).or_default();
        if list.len() < MAX_CANDIDATES {
            list.push(k);
        }
    }
    for ind in &project.indicators {
        let name = normalize_label(&ind.level3);
        if PER_UNIT_WORDS.iter().any(|w| name.contains(w)) {
            continue;
        }
        let Some((amount, digit)) = money_in_wan(&ind.value).filter(|(a, _)| *a > Decimal::ZERO)
        else {
            continue;
        };
        // The first MAX_CANDIDATES counts, in table order, whose measure the name names.
        *work += by_measure.len();
        let mut candidates: Vec<usize> = per_measure(&name, by_measure.keys().copied())
            .iter()
            .flat_map(|m| by_measure[m].iter().copied())
            .collect();
        candidates.sort_unstable();
        *work += candidates.len();
        let Some(&(count_ind, n, unit)) = candidates
            .iter()
            .take(MAX_CANDIDATES)
            .map(|&k| &counts[k])
            .max_by_key(|(c, _, _)| shared_chars(&normalize_label(&c.level3), &name))
        else {
            continue;
        };
        let (Some(product), Some(tolerance)) = (amount.checked_mul(n), digit.checked_mul(n)) else {
            continue;
        };
        let Some(diff) = product.checked_sub(total).map(|d| d.abs()) else {
            continue;
        };
        if diff <= tolerance {
            continue;
        }
        let implied = total
            .checked_div(amount)
            .map_or_else(String::new, |q| q.round_dp(1).to_string());
        out.push(Diagnostic::new(
            COST_COUNT,
            format!(
                "项目{}：{}“{}”× {}“{}” = {} 万元，与年度资金总额 {} 万元不符（相差 {} 万元，允许误差 {} 万元）；按每{unit} {} 万元计，{} 万元约为 {implied} {unit}，请核对{}或每{unit}金额",
                project_label(project),
                count_ind.level3.trim(),
                count_ind.value.raw.trim(),
                ind.level3.trim(),
                ind.value.raw.trim(),
                wan(product.normalize()),
                wan(total),
                wan(diff.normalize()),
                wan(tolerance),
                wan(amount),
                wan(total),
                count_ind.level3.trim(),
            ),
            count_ind.location.clone(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::{Funds, Location, Value};
    use std::str::FromStr;

    fn project(total: &str, rows: &[(&str, &str)]) -> Project {
        Project {
            project_name: "p".into(),
            funds: Funds {
                total: Decimal::from_str(total).ok(),
                ..Funds::default()
            },
            indicators: rows
                .iter()
                .enumerate()
                .map(|(i, (l3, v))| Indicator {
                    level3: l3.to_string(),
                    value: Value::parse(v),
                    location: Location::line(None, i as u32 + 1, 1),
                    ..Indicator::default()
                })
                .collect(),
            ..Project::default()
        }
    }

    fn run(p: &Project) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        check(p, &mut out);
        out
    }

    /// A project of 20,000 counts and 20,000 per-payment amounts: the work is a few steps per
    /// amount (its measures, at most 32 candidates), not one per count.
    #[test]
    fn work_is_linear_in_the_indicators() {
        let rows: Vec<(String, String)> = (0..20_000)
            .flat_map(|i| {
                [
                    (format!("发放次数{i}"), format!("={}次", i % 12 + 1)),
                    (format!("每次发放资金数{i}"), format!("≤{}万元", i % 9 + 1)),
                ]
            })
            .collect();
        let rows: Vec<(&str, &str)> = rows.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let p = project("91.59", &rows);
        let (mut out, mut work) = (Vec::new(), 0);
        check_counted(&p, &mut out, &mut work);
        assert!(work <= 20_000 * (1 + MAX_CANDIDATES), "{work}");
        assert!(!out.is_empty());
    }

    #[test]
    fn seed_cases() {
        let bad = run(&project(
            "91.59",
            &[("发放次数", "=1次"), ("每次发放资金数", "≤7.63万元")],
        ));
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].location.line, Some(1));
        assert!(
            bad[0].message.contains("约为 12.0 次"),
            "{}",
            bad[0].message
        );
        assert!(
            run(&project(
                "35.88",
                &[
                    ("城市低保救助发放次数", "=9次"),
                    ("每次发放城市低保资金数", "≤3.99万元")
                ]
            ))
            .is_empty()
        );
        assert!(
            run(&project(
                "188.42",
                &[
                    ("农村低保救助发放次数", "=9次"),
                    ("每次发放农村低保资金数", "≤20.94万元")
                ]
            ))
            .is_empty()
        );
        // Per-capita amounts are not per-payment amounts.
        assert!(
            run(&project(
                "281.37",
                &[
                    ("发放次数", "=12次"),
                    ("每次基本养老金人均成本", "=66.48元")
                ]
            ))
            .is_empty()
        );
    }

    #[test]
    fn tolerance_is_count_times_last_digit() {
        // 3.99 × 9 = 35.91: within 0.09 of 35.82..36.00, outside beyond.
        let p = |t: &str| project(t, &[("发放次数", "=9次"), ("每次发放资金", "3.99万元")]);
        assert!(run(&p("35.82")).is_empty());
        assert!(run(&p("36.00")).is_empty());
        assert_eq!(run(&p("35.81")).len(), 1);
        assert_eq!(run(&p("36.01")).len(), 1);
        // Amounts in 元.
        assert!(
            run(&project(
                "3.6",
                &[("发放期数", "12期"), ("每期补助", "3000元")]
            ))
            .is_empty()
        );
        assert_eq!(
            run(&project(
                "3.6",
                &[("发放期数", "10期"), ("每期补助", "3000元")]
            ))
            .len(),
            1
        );
    }

    #[test]
    fn nothing_to_compare() {
        assert!(run(&project("91.59", &[("每次发放资金数", "≤7.63万元")])).is_empty());
        assert!(run(&project("91.59", &[("发放次数", "=1次")])).is_empty());
        assert!(
            run(&project(
                "",
                &[("发放次数", "=1次"), ("每次发放资金数", "≤7.63万元")]
            ))
            .is_empty()
        );
        assert!(
            run(&project(
                "91.59",
                &[("发放次数", "=0次"), ("每次发放资金数", "0万元")]
            ))
            .is_empty()
        );
    }
}
