//! 万元 amounts that are plainly in 元 (C230): a budget system's export labels its amount
//! `本年度项目金额（万元）` and holds `1361862` — 136.1862 万元 written in 元. The review
//! cannot know the unit the clerk meant, but it can see when the amount is out of all
//! proportion to what the project itself says it costs:
//!
//! - the project's 成本 indicators name a cost in 万元 (`总成本不超过200万元`) and the amount
//!   is at least [`RATIO`] times the largest such cost — a project's money is never a
//!   thousand times its own cost target, and a 元 amount read as 万元 is ten thousand times;
//! - or no cost is named and the amount is at least [`ALONE`] 万元 (10 亿元) for one project.
//!
//! Each project gets at most one finding, at its amount (the first that looks like 元); a
//! project whose other amounts look so too says how many, in the same finding. Projects of
//! one file share one finding, at the first of them, that counts and names the others: a
//! budget system's export in 元 is one mistake, not one per sheet.

use crate::UNIT_SCALE;
use crate::text::wan;
use jixiao_model::framework::Framework;
use jixiao_model::{Decimal, Diagnostic, Document, HeaderField, Location, Project};

/// An amount this many times the project's largest cost in 万元 is taken to be in 元.
const RATIO: i64 = 1_000;
/// With no cost to compare, an amount from this many 万元 (10 亿元) up is taken to be in 元.
const ALONE: i64 = 100_000;
/// One amount that looks like 元: what it is, and where.
struct Suspect {
    what: String,
    label: &'static str,
    location: Location,
}

pub(crate) fn check(doc: &Document, fw: &Framework, out: &mut Vec<Diagnostic>) {
    // One finding per project, then one per file: a budget system that exported its amounts
    // in 元 did so for every project of the workbook, and one cause is said once.
    let mut findings: Vec<(String, &str, Location)> = Vec::new();
    for project in &doc.projects {
        let suspects = suspects(project, fw);
        let Some(first) = suspects.first() else {
            continue;
        };
        let others: Vec<&str> = suspects[1..].iter().map(|s| s.label).collect();
        let more = if others.is_empty() {
            String::new()
        } else {
            format!("；{}同样", others.join("、"))
        };
        findings.push((
            format!("{}{more}", first.what),
            project.project_name.trim(),
            first.location.clone(),
        ));
    }
    let mut done = vec![false; findings.len()];
    for i in 0..findings.len() {
        if done[i] {
            continue;
        }
        let (what, _, location) = &findings[i];
        let same_file: Vec<usize> = (i + 1..findings.len())
            .filter(|&j| !done[j] && findings[j].2.file == location.file)
            .collect();
        let also = if same_file.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = same_file
                .iter()
                .take(NAMED)
                .map(|&j| findings[j].1)
                .collect();
            let etc = if same_file.len() > NAMED { "等" } else { "" };
            format!(
                "；本文件另有 {} 个项目同样（{}{etc}），多半整个文件的金额都按元填写",
                same_file.len(),
                names.join("、")
            )
        };
        for j in same_file {
            done[j] = true;
        }
        out.push(Diagnostic::new(
            UNIT_SCALE,
            format!("{what}{also}；请核对单位"),
            location.clone(),
        ));
    }
}

/// How many other projects a file-wide finding names.
const NAMED: usize = 3;

/// The amounts of one project that look like 元.
fn suspects(project: &Project, fw: &Framework) -> Vec<Suspect> {
    let cost = largest_cost(project, fw);
    let funds_loc = project
        .funds
        .location
        .clone()
        .unwrap_or_else(|| project.location.clone());
    let mut amounts = vec![
        ("年度资金总额", project.funds.total, HeaderField::FundsTotal),
        ("财政拨款", project.funds.fiscal, HeaderField::FundsFiscal),
        ("其他资金", project.funds.other, HeaderField::FundsOther),
    ];
    amounts.retain(|(_, _, field)| !project.unread.contains(field));
    let mut out = Vec::new();
    let mut push = |label: &'static str, amount: Option<Decimal>, location: &Location| {
        let Some(a) = amount.filter(|a| a.is_sign_positive() && !a.is_zero()) else {
            return;
        };
        let as_yuan = (a / Decimal::from(10_000)).normalize();
        let why = match cost {
            Some((c, ref text)) if !c.is_zero() => {
                // (A ratio past what a Decimal holds is far past RATIO.)
                match a.checked_div(c).map(|t| t.round()) {
                    Some(times) if times < Decimal::from(RATIO) => return,
                    Some(times) => format!("是成本指标“{text}”的 {times} 倍"),
                    None => format!("远大于成本指标“{text}”"),
                }
            }
            _ if a >= Decimal::from(ALONE) => "超过 10 亿元（没有成本指标可比）".to_string(),
            _ => return,
        };
        out.push(Suspect {
            what: format!(
                "{label} {} 万元{why}，疑似按元填写，应为 {} 万元",
                wan(a),
                wan(as_yuan)
            ),
            label,
            location: location.clone(),
        });
    };
    for (label, amount, _) in amounts {
        push(label, amount, &funds_loc);
    }
    if let Some(mid) = &project.midterm_funds {
        let loc = mid.location.clone().unwrap_or_else(|| funds_loc.clone());
        push("中期资金总额", mid.total, &loc);
    }
    out
}

/// The largest amount in 万元 that a 成本 indicator of the project names, with its value as
/// written.
fn largest_cost(project: &Project, fw: &Framework) -> Option<(Decimal, String)> {
    project
        .indicators
        .iter()
        .filter(|ind| {
            [&ind.level1, &ind.level2].iter().any(|l| {
                fw.level1(l)
                    .or(fw.level2(l))
                    .is_some_and(|c| c.contains("成本"))
            })
        })
        .flat_map(|ind| {
            wan_figures(&ind.value.raw).map(move |v| (v, ind.value.raw.trim().to_string()))
        })
        .max_by(|a, b| a.0.cmp(&b.0))
}

/// The numbers written before 万 (`200万元`, `30万一年`, `不超83.32万`), not before 万 of a
/// count (`5万人`).
fn wan_figures(text: &str) -> impl Iterator<Item = Decimal> + '_ {
    let folded: Vec<char> = jixiao_model::value::fold_width(text).chars().collect();
    let mut found = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        if !folded[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < folded.len() && (folded[i].is_ascii_digit() || matches!(folded[i], '.' | ',')) {
            i += 1;
        }
        let digits: String = folded[start..i].iter().filter(|c| **c != ',').collect();
        let mut k = i;
        while k < folded.len() && folded[k].is_whitespace() {
            k += 1;
        }
        let counted = folded
            .get(k + 1)
            .is_some_and(|c| "人户次件个亩吨册本份名家套台座".contains(*c));
        if folded.get(k) == Some(&'万')
            && !counted
            && let Ok(v) = digits.parse::<Decimal>()
        {
            found.push(v);
        }
    }
    found.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::{Funds, Indicator, Value};
    use std::str::FromStr;

    fn project(total: &str, cost: Option<&str>) -> Project {
        Project {
            project_name: "食堂经费".into(),
            funds: Funds {
                total: Some(Decimal::from_str(total).unwrap()),
                ..Funds::default()
            },
            indicators: cost
                .map(|c| Indicator {
                    level1: "产出".into(),
                    level2: "成本".into(),
                    level3: "总成本".into(),
                    value: Value::parse(c),
                    location: Location::default(),
                    evaluation: None,
                })
                .into_iter()
                .collect(),
            unread: vec![HeaderField::FundsFiscal, HeaderField::FundsOther],
            ..Project::default()
        }
    }

    fn found(projects: Vec<Project>) -> Vec<Diagnostic> {
        let doc = Document {
            projects,
            ..Document::default()
        };
        let mut out = Vec::new();
        check(&doc, Framework::standard(), &mut out);
        out
    }

    #[test]
    fn yuan_against_the_cost() {
        let d = found(vec![project("1361862", Some("总成本不超过200万元"))]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "C230");
        assert!(d[0].message.contains("6809 倍"), "{}", d[0].message);
        assert!(d[0].message.contains("136.1862 万元"), "{}", d[0].message);
        // In 万元 as labelled: 136.19 against a cost of 200.
        assert!(found(vec![project("136.1862", Some("总成本不超过200万元"))]).is_empty());
        // A cost in 万 without 元, and a count of 万人 that is no cost.
        assert_eq!(
            found(vec![project("517100", Some("不超过51.71万一年"))]).len(),
            1
        );
        // (5万人次 is a count: no cost to compare, and 51710 万元 is under 10 亿元.)
        assert!(found(vec![project("51710", Some("服务5万人次"))]).is_empty());
    }

    #[test]
    fn yuan_without_a_cost() {
        assert_eq!(found(vec![project("450000.00", None)]).len(), 1);
        assert!(found(vec![project("45000", None)]).is_empty());
        assert!(found(vec![project("0", Some("不超过42万元"))]).is_empty());
    }

    #[test]
    fn one_finding_per_project_then_one_per_file() {
        let at = |file: &str, cell: &str| Location {
            file: Some(file.into()),
            cell: Some(cell.into()),
            ..Location::default()
        };
        let mut projects = vec![
            project("246800", Some("不超过30万一年")),
            project("20000", Some("总成本不超过2万")),
            project("12.5", Some("不超过12.5万元")),
            project("450000", None),
        ];
        for (p, (file, cell)) in projects.iter_mut().zip([
            ("a.xlsx", "D4"),
            ("a.xlsx", "D5"),
            ("a.xlsx", "D6"),
            ("b.xlsx", "D4"),
        ]) {
            p.funds.location = Some(at(file, cell));
        }
        projects[1].project_name = "档案管理经费".into();
        // The first also has a 中期 amount in 元: the same finding says so.
        projects[0].midterm_funds = Some(Funds {
            total: Some(Decimal::from(740_400)),
            location: Some(at("a.xlsx", "A4")),
            ..Funds::default()
        });
        let d = found(projects);
        let places: Vec<_> = d
            .iter()
            .map(|d| (d.location.file.as_deref(), d.location.cell.as_deref()))
            .collect();
        assert_eq!(
            places,
            [(Some("a.xlsx"), Some("D4")), (Some("b.xlsx"), Some("D4"))]
        );
        assert_eq!(
            d[0].message,
            "年度资金总额 246800 万元是成本指标“不超过30万一年”的 8227 倍，疑似按元填写，应为 24.68 万元；中期资金总额同样；本文件另有 1 个项目同样（档案管理经费），多半整个文件的金额都按元填写；请核对单位"
        );
        assert!(d[1].message.contains("超过 10 亿元"), "{}", d[1].message);
        assert!(!d[1].message.contains("本文件另有"), "{}", d[1].message);
    }

    #[test]
    fn an_unread_amount_is_not_judged() {
        let mut p = project("1361862", Some("总成本不超过200万元"));
        p.unread.push(HeaderField::FundsTotal);
        assert!(found(vec![p]).is_empty());
    }
}
