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

use jixiao_model::identity::{project_key, same_unit};
use jixiao_model::{Code, Diagnostic, Document, HeaderField, Project};
use std::collections::HashMap;

/// Merges each table-less project into the project of the same identity that has its
/// indicator table on another sheet. `diags` are the recognizer's diagnostics so far.
pub(crate) fn merge_sheet_parts(doc: &mut Document, diags: &mut Vec<Diagnostic>) {
    let tableless = |p: &Project| {
        p.indicators.is_empty()
            && p.midterm_indicators.is_empty()
            && !p.project_name.trim().is_empty()
            && p.location.sheet.is_some()
    };
    if !doc.projects.iter().any(tableless) {
        return;
    }
    // Projects with a table, by name key: each table-less part looks only at its namesakes
    // (a file of many parts costs time in proportion to its size, not its square).
    let mut with_table: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in doc.projects.iter().enumerate() {
        if !p.indicators.is_empty() {
            with_table
                .entry(project_key(&p.project_name))
                .or_default()
                .push(i);
        }
    }
    let mut merged: Vec<(usize, usize)> = Vec::new(); // (part, home)
    for (k, part) in doc.projects.iter().enumerate() {
        if !tableless(part) {
            continue;
        }
        let home = with_table
            .get(&project_key(&part.project_name))
            .into_iter()
            .flatten()
            .copied()
            .find(|&i| {
                let q = &doc.projects[i];
                q.location.sheet != part.location.sheet
                    && q.location.file == part.location.file
                    && same_unit(&q.budget_unit, &part.budget_unit)
            });
        if let Some(home) = home {
            merged.push((k, home));
        }
    }
    // The parts' "no indicator table" findings are answered by the merge.
    let answered: std::collections::HashSet<&jixiao_model::Location> =
        merged.iter().map(|m| &doc.projects[m.0].location).collect();
    diags.retain(|d| !(d.code == "R107" && answered.contains(&d.location)));
    for &(k, home) in &merged {
        let part = doc.projects[k].clone();
        let taken = take_fields(&mut doc.projects[home], &part);
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
        diags.push(Diagnostic::new(
            Code::R140,
            format!(
                "工作表“{sheet}”中的项目“{}”没有指标表，与工作表“{home_sheet}”中的同名项目是同一项目，不另作一个项目；{what}",
                part.project_name.trim()
            ),
            part.location,
        ));
    }
    let parts: std::collections::HashSet<usize> = merged.iter().map(|m| m.0).collect();
    let mut index = 0;
    doc.projects.retain(|_| {
        index += 1;
        !parts.contains(&(index - 1))
    });
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

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::{Decimal, Indicator, Location};

    fn project(name: &str, sheet: &str, with_table: bool) -> Project {
        Project {
            project_name: name.into(),
            location: Location {
                file: Some("a.xlsx".into()),
                sheet: Some(sheet.into()),
                cell: Some("A1".into()),
                ..Location::default()
            },
            indicators: if with_table {
                vec![Indicator {
                    level3: "受益人数".into(),
                    ..Indicator::default()
                }]
            } else {
                Vec::new()
            },
            ..Project::default()
        }
    }

    #[test]
    fn a_part_on_another_sheet_joins_its_project() {
        let mut home = project("城市低保", "申报表", true);
        home.unread = vec![HeaderField::BudgetUnit, HeaderField::FundsTotal];
        let mut part = project("城市低保项目", "项目基本信息", false);
        part.budget_unit = "和硕县民政局".into();
        part.funds.total = Some(Decimal::from(12));
        part.unread = vec![HeaderField::FundsFiscal];
        let other = project("农村低保", "评审意见", false);
        let r107 = |p: &Project| Diagnostic::new(Code::R107, "没有指标表", p.location.clone());
        let mut diags = vec![r107(&part), r107(&other)];
        let mut doc = Document {
            projects: vec![home, part, other],
            ..Document::default()
        };
        merge_sheet_parts(&mut doc, &mut diags);
        let names: Vec<&str> = doc
            .projects
            .iter()
            .map(|p| p.project_name.as_str())
            .collect();
        assert_eq!(names, ["城市低保", "农村低保"]);
        let home = &doc.projects[0];
        assert_eq!(home.budget_unit, "和硕县民政局");
        assert_eq!(home.funds.total, Some(Decimal::from(12)));
        assert!(home.unread.is_empty(), "{:?}", home.unread);
        let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["R107", "R140"],
            "the unrelated sheet keeps its R107"
        );
        assert!(
            diags[1].message.contains("预算单位、年度资金总额"),
            "{}",
            diags[1].message
        );
    }
}
