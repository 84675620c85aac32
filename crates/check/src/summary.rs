//! The county summary against the project tables: every row has its table and every table
//! its row, units agree, amounts agree, and the 合计 is the sum.

use crate::text::{differ, gap, same_unit, sum, wan};
use crate::{
    FUNDS_NEGATIVE, ROW_FUNDS_MISMATCH, ROW_WITHOUT_TABLE, TABLE_WITHOUT_ROW, TOTAL_BLANK,
    TOTAL_MISMATCH, UNIT_MISMATCH, project_label,
};
use jixiao_model::identity::pair_summary_rows;
use jixiao_model::{Diagnostic, Project, Summary};

/// Rows whose terms are listed in a computed-total message, at most.
const MAX_TERMS_SHOWN: usize = 12;

pub(crate) fn check(summary: &Summary, projects: &[Project], out: &mut Vec<Diagnostic>) {
    if summary.rows.is_empty() {
        return;
    }
    let pairs = pair_summary_rows(&summary.rows, projects);

    for (row, pair) in summary.rows.iter().zip(&pairs) {
        let what = match row.seq {
            Some(seq) => format!("汇总表序号 {seq}“{}”", row.project_name.trim()),
            None => format!("汇总表中的“{}”", row.project_name.trim()),
        };
        if let Some(amount) = row
            .funds_total
            .filter(|a| a.is_sign_negative() && !a.is_zero())
        {
            out.push(Diagnostic::new(
                FUNDS_NEGATIVE,
                format!("{what}的金额为负数（{amount} 万元）"),
                row.location.clone(),
            ));
        }
        let Some(i) = *pair else {
            out.push(Diagnostic::new(
                ROW_WITHOUT_TABLE,
                format!("{what}没有对应的项目支出绩效目标表"),
                row.location.clone(),
            ));
            continue;
        };
        let project = &projects[i];
        if !same_unit(&row.department, &project.budget_unit) {
            out.push(Diagnostic::new(
                UNIT_MISMATCH,
                format!(
                    "{what}的部门单位“{}”与项目表的预算单位“{}”不一致",
                    row.department.trim(),
                    project.budget_unit.trim()
                ),
                row.location.clone(),
            ));
        }
        if let (Some(a), Some(b)) = (row.funds_total, project.funds.total)
            && differ(a, b)
        {
            out.push(Diagnostic::new(
                ROW_FUNDS_MISMATCH,
                format!(
                    "{what}的金额 {} 万元与项目表的年度资金总额 {} 万元不符（相差 {} 万元）",
                    wan(a),
                    wan(b),
                    gap(a, b)
                ),
                row.location.clone(),
            ));
        }
    }
    for (i, project) in projects.iter().enumerate() {
        if !pairs.contains(&Some(i)) {
            out.push(Diagnostic::new(
                TABLE_WITHOUT_ROW,
                format!(
                    "项目表{}（{}）没有列入汇总表",
                    project_label(project),
                    project.budget_unit.trim()
                ),
                project.location.clone(),
            ));
        }
    }
    total(summary, projects, &pairs, out);
}

/// The 合计: equal to the rows' amounts, a blank amount (or a summary without an amount
/// column) taken from the row's project table — the same amounts the XLSX and PDF summary
/// show (`jixiao_layout::summary_lines`).
fn total(
    summary: &Summary,
    projects: &[Project],
    pairs: &[Option<usize>],
    out: &mut Vec<Diagnostic>,
) {
    let Some(loc) = summary.total_location.clone() else {
        return;
    };
    let has_column = summary.rows.iter().any(|r| r.funds_total.is_some());
    let mut terms = Vec::new();
    let mut missing = Vec::new();
    let mut filled = 0;
    for (row, pair) in summary.rows.iter().zip(pairs) {
        let from_table = || pair.and_then(|i| projects[i].funds.total);
        let amount = match row.funds_total {
            Some(a) => Some(a),
            None => {
                let a = from_table();
                filled += usize::from(a.is_some());
                a
            }
        };
        match amount {
            Some(a) => terms.push(a),
            None => missing.push(row.project_name.trim().to_string()),
        }
    }
    let Some(sum) = sum(terms.iter().copied()) else {
        return;
    };
    let source = match (has_column, filled) {
        (false, _) => "各项目表的年度资金总额".to_string(),
        (true, 0) => "汇总表各行金额".to_string(),
        (true, n) => format!("汇总表各行金额（{n} 行空白，取项目表的年度资金总额）"),
    };
    let shown = if terms.len() > 1 && terms.len() <= MAX_TERMS_SHOWN {
        format!(
            "（{}）",
            terms
                .iter()
                .map(|t| wan(*t))
                .collect::<Vec<_>>()
                .join(" + ")
        )
    } else {
        String::new()
    };
    match (summary.total, missing.is_empty()) {
        (Some(written), true) if differ(written, sum) => out.push(Diagnostic::new(
            TOTAL_MISMATCH,
            format!(
                "汇总表合计 {} 万元不等于{source}之和 {} 万元{shown}，相差 {} 万元",
                wan(written),
                wan(sum),
                gap(written, sum)
            ),
            loc,
        )),
        (Some(_), _) => {}
        (None, true) => out.push(Diagnostic::new(
            TOTAL_BLANK,
            format!(
                "汇总表合计空白；按{source}计算应为 {} 万元{shown}",
                wan(sum)
            ),
            loc,
        )),
        (None, false) => out.push(Diagnostic::new(
            TOTAL_BLANK,
            format!(
                "汇总表合计空白；{} 行的金额无法确定（{}），其余 {} 行合计 {} 万元",
                missing.len(),
                missing.join("、"),
                terms.len(),
                wan(sum)
            ),
            loc,
        )),
    }
}
