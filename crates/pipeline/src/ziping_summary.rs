//! The county's 自评 summary of a batch (`全县自评汇总.csv`, and `self_evaluations` in
//! `report.json`): one line per project read from a 绩效自评表 — project, unit, 全年预算数,
//! 全年执行数, 执行率, 总分, 自评等级 — so the finance bureau sees the year's self-evaluations
//! side by side.

use crate::batch::csv_text;
use jixiao_model::evaluation::grade;
use jixiao_model::{Decimal, Project};
use serde::Serialize;

/// The base name of the summary (`全县自评汇总.csv`).
pub const ZIPING_SUMMARY: &str = "全县自评汇总";

/// One project's 自评 at a glance; amounts in 万元, numbers with their source's digits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ZipingLine {
    /// The input it was read from (relative to the input folder).
    pub file: String,
    /// 项目名称.
    pub project_name: String,
    /// 预算单位 / 主管部门.
    pub budget_unit: String,
    /// 全年预算数 of the 年度资金总额 line.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub budget: Option<Decimal>,
    /// 全年执行数 of the 年度资金总额 line.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub executed: Option<Decimal>,
    /// 执行率 in percent: as written on the form, else 全年执行数 ÷ 全年预算数 (two decimals),
    /// else the 实际完成值 of a 预算执行率 row written in %.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub rate: Option<Decimal>,
    /// 总分 · 得分.
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    pub total_score: Option<Decimal>,
    /// 自评等级 as written.
    pub grade: Option<String>,
    /// The grade the 总分 gives (90 优, 80 良, 60 中, below 差).
    pub grade_by_score: Option<&'static str>,
}

/// The lines of the projects read from a 自评表, in the order given.
pub fn lines<'a>(projects: impl IntoIterator<Item = (&'a str, &'a Project)>) -> Vec<ZipingLine> {
    projects
        .into_iter()
        .filter(|(_, p)| p.is_self_evaluation())
        .map(|(file, p)| {
            let se = p.self_evaluation.as_ref();
            let line = se.and_then(|s| s.funds_total.as_ref());
            let (budget, executed) = (line.and_then(|l| l.budget), line.and_then(|l| l.executed));
            let computed = match (budget, executed) {
                (Some(b), Some(e)) if !b.is_zero() => e
                    .checked_div(b)
                    .and_then(|r| r.checked_mul(Decimal::from(100)))
                    .map(|r| r.round_dp(2)),
                _ => None,
            };
            let from_row = se
                .and_then(|s| s.execution.as_ref())
                .and_then(|r| r.evaluation.actual.as_ref())
                .filter(|a| a.unit.as_deref() == Some("%") && a.op.is_none())
                .and_then(|a| a.number);
            let total_score = se.and_then(|s| s.total_score);
            ZipingLine {
                file: file.to_string(),
                project_name: p.project_name.clone(),
                budget_unit: p.budget_unit.clone(),
                budget,
                executed,
                rate: line.and_then(|l| l.rate).or(computed).or(from_row),
                total_score,
                grade: se.and_then(|s| s.grade.clone()),
                grade_by_score: total_score.map(grade),
            }
        })
        .collect()
}

/// The lines as CSV, with a UTF-8 byte-order mark (Excel and WPS on Chinese Windows) and every
/// text cell escaped against formula injection ([`csv_text`]).
pub fn to_csv(lines: &[ZipingLine]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "项目名称",
        "预算单位",
        "全年预算数（万元）",
        "全年执行数（万元）",
        "执行率",
        "总分",
        "自评等级",
        "按总分应为",
        "文件",
    ]);
    let number = |n: Option<Decimal>| n.map_or(String::new(), |n| n.to_string());
    for l in lines {
        let _ = w.write_record([
            csv_text(&l.project_name),
            csv_text(&l.budget_unit),
            number(l.budget),
            number(l.executed),
            l.rate.map_or(String::new(), |r| format!("{r}%")),
            number(l.total_score),
            csv_text(l.grade.as_deref().unwrap_or("")),
            l.grade_by_score.unwrap_or("").to_string(),
            csv_text(&l.file),
        ]);
    }
    let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
    format!("\u{feff}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::{FundsLine, SelfEvaluation};

    #[test]
    fn only_self_evaluations_are_listed_with_their_rate_and_grade() {
        let target = Project {
            project_name: "目标".into(),
            ..Project::default()
        };
        let evaluated = Project {
            project_name: "=自评".into(),
            budget_unit: "民政局".into(),
            self_evaluation: Some(SelfEvaluation {
                funds_total: Some(FundsLine {
                    budget: Some(Decimal::new(9000, 2)),
                    executed: Some(Decimal::new(89974, 3)),
                    ..FundsLine::default()
                }),
                total_score: Some(Decimal::new(855, 1)),
                grade: Some("优".into()),
                ..SelfEvaluation::default()
            }),
            ..Project::default()
        };
        let lines = lines([("a.md", &target), ("b.xlsx", &evaluated)]);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].rate.map(|r| r.to_string()), Some("99.97".into()));
        assert_eq!(lines[0].grade_by_score, Some("良"));
        let csv = to_csv(&lines);
        assert!(csv.starts_with('\u{feff}'));
        assert!(
            csv.contains("'=自评,民政局,90.00,89.974,99.97%,85.5,优,良,b.xlsx"),
            "{csv}"
        );
    }
}
