//! When two mentions name the same project: the one rule used wherever projects are matched —
//! a summary row to its project table (the review, the XLSX and PDF summary), and copies of a
//! project across the files of a batch (the county document).
//!
//! **The rule.** A project is its 项目名称 under its unit (预算单位 / 部门单位):
//!
//! - Names are compared after [`normalize_label`] (full-width letters and digits folded,
//!   spaces and `*` dropped), with one trailing `项目` aside: `城市低保项目` = `城市低保`,
//!   but `项目` alone stays `项目`.
//! - Units are the same when equal after [`normalize_label`], or when one is the other with a
//!   region prefix in front: the longer ends with the shorter and what comes before it ends
//!   like a place name (省, 市, 州, 盟, 县, 区, 旗, 乡, 镇, or 新疆 and the like ending in 疆):
//!   `新疆巴州和硕县民政局` = `和硕县民政局`, but `和硕县民政局` ≠ `和硕县医疗保障局` and
//!   `县民政局` ≠ `和硕县民政局` (the extra `和硕` is not a place-name ending). A blank
//!   unit (a summary without a 部门单位 column) matches any unit when a summary row is paired
//!   with its table.
//! - Copies across the files of a batch ([`group_projects`]) are only ever the same project when
//!   both have a name *and* a unit that match: a project whose name or unit was not read is a
//!   project of its own, never merged with another (three unnamed projects of three units are
//!   three rows of the county document, not one blank row).
//!
//! ```
//! use jixiao_model::identity::{project_key, same_unit};
//! assert_eq!(project_key("城市低保项目"), project_key("城市 低保"));
//! assert!(same_unit("新疆巴州和硕县民政局", "和硕县民政局"));
//! assert!(!same_unit("和硕县民政局", "和硕县医疗保障局"));
//! ```

use crate::framework::normalize_label;
use crate::{Project, SummaryRow};

/// The key of a project name: [`normalize_label`] with one trailing `项目` removed (unless
/// nothing would be left).
pub fn project_key(name: &str) -> String {
    let n = normalize_label(name);
    match n.strip_suffix("项目") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => n,
    }
}

/// The characters a region prefix ends with (`新疆巴州`, `和硕县`, `新疆维吾尔自治区`).
const REGION_ENDINGS: &[char] = &['省', '市', '州', '盟', '县', '区', '旗', '乡', '镇', '疆'];

/// True when two unit names name the same unit (see the module docs): equal, or one is the
/// other with a region prefix in front. A blank name matches anything.
pub fn same_unit(a: &str, b: &str) -> bool {
    let (a, b) = (normalize_label(a), normalize_label(b));
    if a.is_empty() || b.is_empty() || a == b {
        return true;
    }
    let (long, short) = if a.len() > b.len() { (a, b) } else { (b, a) };
    long.strip_suffix(short.as_str())
        .is_some_and(|prefix| prefix.ends_with(REGION_ENDINGS))
}

/// True when two project tables are the same project: same [`project_key`] and
/// [`same_unit`].
pub fn same_project(a: &Project, b: &Project) -> bool {
    project_key(&a.project_name) == project_key(&b.project_name)
        && same_unit(&a.budget_unit, &b.budget_unit)
}

/// Pairs each summary row with its project table: the first unused table of the same
/// [`project_key`], preferring one of the [`same_unit`]; each table is used at most once.
/// Returns, for each row in order, the index into `projects` of its table, or `None`.
pub fn pair_summary_rows(rows: &[SummaryRow], projects: &[Project]) -> Vec<Option<usize>> {
    let keys: Vec<String> = projects
        .iter()
        .map(|p| project_key(&p.project_name))
        .collect();
    let mut used = vec![false; projects.len()];
    rows.iter()
        .map(|row| {
            let key = project_key(&row.project_name);
            let mut candidates = (0..projects.len()).filter(|&i| !used[i] && keys[i] == key);
            let first = candidates.next();
            let chosen = first
                .into_iter()
                .chain(candidates)
                .find(|&i| same_unit(&row.department, &projects[i].budget_unit))
                .or(first);
            if let Some(i) = chosen {
                used[i] = true;
            }
            chosen
        })
        .collect()
}

/// True when a project can be matched with a copy of itself: it has both a 项目名称 and a
/// 预算单位 (after [`normalize_label`]). A 部门整体支出绩效目标表 is the department's own table:
/// its unit (部门名称) is its name, so the unit alone identifies it.
pub fn identifiable(project: &Project) -> bool {
    let named = project.kind == Some(crate::TableKind::Department)
        || !project_key(&project.project_name).is_empty();
    named && !normalize_label(&project.budget_unit).is_empty()
}

/// Groups projects that are the same project ([`same_project`]) and [`identifiable`], keeping
/// the order of first appearance: each group lists indices into `projects`, the first being the
/// first copy. A project without a name or a unit is a group of its own. Work is linear in the
/// number of projects per distinct name.
pub fn group_projects<'a>(projects: impl IntoIterator<Item = &'a Project>) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // Name key → the groups (indices into `groups`) with that name, and each group's unit.
    let mut by_name: std::collections::HashMap<String, Vec<(usize, &'a str)>> =
        std::collections::HashMap::new();
    for (i, p) in projects.into_iter().enumerate() {
        if !identifiable(p) {
            groups.push(vec![i]);
            continue;
        }
        let named = by_name.entry(project_key(&p.project_name)).or_default();
        match named
            .iter()
            .find(|(_, unit)| same_unit(unit, &p.budget_unit))
        {
            Some(&(g, _)) => groups[g].push(i),
            None => {
                named.push((groups.len(), p.budget_unit.as_str()));
                groups.push(vec![i]);
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(unit: &str, name: &str) -> Project {
        Project {
            budget_unit: unit.into(),
            project_name: name.into(),
            ..Project::default()
        }
    }

    fn row(department: &str, name: &str) -> SummaryRow {
        SummaryRow {
            department: department.into(),
            project_name: name.into(),
            ..SummaryRow::default()
        }
    }

    #[test]
    fn names_ignore_spaces_width_and_one_trailing_xiangmu() {
        assert_eq!(
            project_key("城乡居民医疗保险县级配套 项目"),
            "城乡居民医疗保险县级配套"
        );
        assert_eq!(project_key("城市低保项目"), "城市低保");
        assert_eq!(project_key("项目"), "项目");
        assert_eq!(project_key("ＡＢ项目项目"), "AB项目");
    }

    #[test]
    fn units_match_with_a_region_prefix_only() {
        assert!(same_unit("新疆巴州和硕县民政局", "和硕县民政局"));
        assert!(same_unit("和硕县民政局", "新疆巴州和硕县民政局"));
        assert!(same_unit("和硕县民政局", "民政局"));
        assert!(same_unit("", "和硕县民政局"));
        assert!(!same_unit("和硕县民政局", "和硕县医疗保障局"));
        assert!(!same_unit("和硕县民政局", "县民政局"));
        assert!(!same_unit("和硕县第一中学", "第一中学2"));
    }

    #[test]
    fn a_row_pairs_with_its_table_across_the_xiangmu_suffix() {
        let projects = [project("和硕县民政局", "城市低保")];
        let rows = [row("新疆巴州和硕县民政局", "城市低保项目")];
        assert_eq!(pair_summary_rows(&rows, &projects), [Some(0)]);
    }

    #[test]
    fn a_row_prefers_the_table_of_its_unit_and_uses_each_table_once() {
        let projects = [
            project("和硕县教育局", "营养餐"),
            project("和硕县民政局", "营养餐"),
        ];
        let rows = [
            row("和硕县民政局", "营养餐"),
            row("和硕县民政局", "营养餐"),
            row("和硕县民政局", "营养餐"),
        ];
        assert_eq!(
            pair_summary_rows(&rows, &projects),
            [Some(1), Some(0), None]
        );
    }

    #[test]
    fn copies_group_by_unit_and_name() {
        let projects = [
            project("和硕县民政局", "城市低保"),
            project("和硕县教育局", "城市低保"),
            project("新疆巴州和硕县民政局", "城市低保项目"),
            project("和硕县民政局", "农村低保"),
        ];
        assert_eq!(group_projects(&projects), [vec![0, 2], vec![1], vec![3]]);
    }

    #[test]
    fn a_project_without_name_or_unit_is_never_merged() {
        let projects = [
            project("和硕县民政局", ""),
            project("和硕县教育局", ""),
            project("和硕县教育局", ""),
            project("", "城市低保"),
            project("", "城市低保"),
            project("和硕县民政局", "城市低保"),
        ];
        assert_eq!(
            group_projects(&projects),
            [vec![0], vec![1], vec![2], vec![3], vec![4], vec![5]]
        );
        assert!(!identifiable(&projects[0]));
        assert!(!identifiable(&projects[3]));
        assert!(identifiable(&projects[5]));
        let department = Project {
            kind: Some(crate::TableKind::Department),
            ..project("浮梁县林业局", "")
        };
        assert!(identifiable(&department));
    }
}
