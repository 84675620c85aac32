//! One project over several sheets. A workbook may hold a project's indicator table on one
//! sheet and, on others, what is no form of its own: 项目基本信息 (the header again, or the
//! amounts), a review's opinion naming the project. Such a sheet read alone gives a "project"
//! without an indicator table; when a project of the same identity (name and unit, see
//! [`jixiao_model::identity`]) has its table on another sheet, the two are one project: the
//! header fields only the other sheet gives are taken into it, and no second project is
//! written (R140 says so, where the R107 "no indicator table" would have been).
//!
//! (A header sheet that comes *before* its table needs none of this: the project read from
//! the labels simply continues onto the next sheet.)

use jixiao_model::identity::same_project;
use jixiao_model::{Diagnostic, Document, HeaderField, Project};

/// Merges each table-less project into the project of the same identity that has its
/// indicator table on another sheet. `diags` are the recognizer's diagnostics so far.
pub(crate) fn merge_sheet_parts(doc: &mut Document, diags: &mut Vec<Diagnostic>) {
    let mut k = 0;
    while k < doc.projects.len() {
        let part = &doc.projects[k];
        let tableless = part.indicators.is_empty()
            && part.midterm_indicators.is_empty()
            && !part.project_name.trim().is_empty()
            && part.location.sheet.is_some();
        let home = tableless
            .then(|| {
                doc.projects.iter().position(|q| {
                    !q.indicators.is_empty()
                        && q.location.sheet != part.location.sheet
                        && q.location.file == part.location.file
                        && same_project(q, part)
                })
            })
            .flatten();
        let Some(home) = home else {
            k += 1;
            continue;
        };
        let part = doc.projects.remove(k);
        let home = if home > k { home - 1 } else { home };
        let taken = take_fields(&mut doc.projects[home], &part);
        // The part's "no indicator table" finding is answered by the merge.
        diags.retain(|d| !(d.code == "R107" && d.location == part.location));
        let sheet = part.location.sheet.clone().unwrap_or_default();
        let home_sheet = doc.projects[home]
            .location
            .sheet
            .clone()
            .unwrap_or_default();
        let what = if taken.is_empty() {
            "其中没有另需读取的表头内容".to_string()
        } else {
            format!("已从中读取{}", taken.join("、"))
        };
        diags.push(Diagnostic::info(
            "R140",
            format!(
                "工作表“{sheet}”中的项目“{}”没有指标表，与工作表“{home_sheet}”中的同名项目是同一项目，不另作一个项目；{what}",
                part.project_name.trim()
            ),
            part.location,
        ));
    }
}

/// Takes into `home` the header fields it did not read and `part` did; returns their names.
fn take_fields(home: &mut Project, part: &Project) -> Vec<&'static str> {
    let mut taken = Vec::new();
    let unread = |p: &Project, f: HeaderField| p.unread.contains(&f);
    let mut take = |f: HeaderField, name: &'static str, home: &mut Project| {
        if unread(home, f) && !unread(part, f) {
            match f {
                HeaderField::BudgetUnit => home.budget_unit = part.budget_unit.clone(),
                HeaderField::Goal => {
                    home.goal = part.goal.clone();
                    home.goals = part.goals.clone();
                    home.goal_location = part.goal_location.clone();
                }
                HeaderField::FundsTotal => home.funds.total = part.funds.total,
                HeaderField::FundsFiscal => home.funds.fiscal = part.funds.fiscal,
                HeaderField::FundsOther => home.funds.other = part.funds.other,
                HeaderField::ProjectName => return,
            }
            if matches!(
                f,
                HeaderField::FundsTotal | HeaderField::FundsFiscal | HeaderField::FundsOther
            ) && home.funds.location.is_none()
            {
                home.funds.location = part.funds.location.clone();
            }
            home.unread.retain(|u| *u != f);
            taken.push(name);
        }
    };
    for (f, name) in [
        (HeaderField::BudgetUnit, "预算单位"),
        (HeaderField::Goal, "年度目标"),
        (HeaderField::FundsTotal, "年度资金总额"),
        (HeaderField::FundsFiscal, "财政拨款"),
        (HeaderField::FundsOther, "其他资金"),
    ] {
        take(f, name, home);
    }
    taken
}
