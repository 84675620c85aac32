//! The county document (全县汇总): every project of a batch once, by the identity rule of
//! [`jixiao_model::identity`], taken from its first copy in path order; the other copies
//! compared with it field by field, and the projects that cannot be told apart (no 项目名称 or
//! 预算单位) listed on rows of their own.

use jixiao_model::identity::{identifiable, project_key, same_unit};
use jixiao_model::{Document, Project, Summary, SummaryRow};
use serde::Serialize;

/// A project found more than once (in several inputs, or twice in one), by the identity rule
/// of [`jixiao_model::identity`]: the county document lists it once, from the first copy.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    /// 预算单位, as the first copy writes it.
    pub budget_unit: String,
    /// 项目名称, as the first copy writes it.
    pub project_name: String,
    /// The inputs it appears in, the one the county document took it from first.
    pub files: Vec<String>,
    /// True when a copy differs from the first in any field.
    pub differs: bool,
    /// Where the copies differ from the first, one line per difference, in Chinese
    /// (`民政局/表.md：年度资金总额为“12.60”，民政局/补报.md 为“13.00”`).
    pub differences: Vec<String>,
}

/// A project whose 项目名称 or 预算单位 was not read: the county document lists it on a row of
/// its own (never merged with another), and its file's line counts it as an error to fix.
#[derive(Debug, Clone, Serialize)]
pub struct Unidentified {
    /// The input it comes from, relative to the input folder.
    pub file: String,
    /// Where its table starts in that input (`表.md:12`, `表.xlsx:Sheet1!A3`).
    pub location: String,
    /// 预算单位, as read (may be blank).
    pub budget_unit: String,
    /// 项目名称, as read (may be blank).
    pub project_name: String,
}

impl Unidentified {
    fn new(file: &str, project: &Project) -> Self {
        Unidentified {
            file: file.to_string(),
            location: project.location.to_string(),
            budget_unit: project.budget_unit.clone(),
            project_name: project.project_name.clone(),
        }
    }

    /// What is missing, in words: `项目名称`, `预算单位` or `项目名称和预算单位`.
    fn missing(&self) -> &'static str {
        match (
            jixiao_model::identity::project_key(&self.project_name).is_empty(),
            jixiao_model::framework::normalize_label(&self.budget_unit).is_empty(),
        ) {
            (true, true) => "项目名称和预算单位",
            (true, false) => "项目名称",
            _ => "预算单位",
        }
    }

    /// The line of the summary and the county document's 备注.
    pub(super) fn describe(&self) -> String {
        let known = [&self.project_name, &self.budget_unit]
            .into_iter()
            .find(|t| !t.trim().is_empty())
            .map(|t| format!("（{t}）"))
            .unwrap_or_default();
        format!(
            "{}{known}缺少{}，全县汇总中单列一行；请在原表中补上后重新转换",
            self.location,
            self.missing()
        )
    }
}

/// The county document and what went into it.
pub(super) struct County {
    /// `None` when no project was converted.
    pub(super) document: Option<Document>,
    /// Projects in it.
    pub(super) projects: usize,
    pub(super) duplicates: Vec<Duplicate>,
    pub(super) unidentified: Vec<Unidentified>,
}

/// The county document built as the batch's documents come, in path order: each project's
/// first copy is kept, and every later copy is compared with it there and then and let go, so
/// that what is held is each distinct project once, its 备注 and the duplicates' lines — never
/// a file's document.
///
/// The county document: a summary with one row per project — each project once, by the
/// identity rule of [`jixiao_model::identity::group_projects`], taken from its first copy in
/// path order, its other files and whether they differ in the 备注 column — followed by each
/// project's form. The 合计 therefore counts every project once.
#[derive(Default)]
pub(super) struct CountyBuilder {
    /// The first copy of each project, with its file, its remarks, and (for a project found
    /// more than once) its index in `duplicates`.
    kept: Vec<Kept>,
    /// Name key → the kept projects (indices into `kept`) with that name.
    by_name: std::collections::HashMap<String, Vec<usize>>,
    /// Each with the index in `kept` of its first copy (the county document lists them in
    /// that order).
    duplicates: Vec<(usize, Duplicate)>,
    unidentified: Vec<Unidentified>,
    year: Option<i32>,
    region: Option<String>,
}

struct Kept {
    file: String,
    project: Project,
    remarks: Vec<String>,
    duplicate: Option<usize>,
}

impl CountyBuilder {
    /// Adds the projects of the next document in path order, read from `file`.
    pub(super) fn add(&mut self, file: &str, summary: Option<Summary>, projects: Vec<Project>) {
        if let Some(s) = summary {
            if self.year.is_none() {
                self.year = s.year;
            }
            if self.region.is_none() {
                self.region = s.region;
            }
        }
        for project in projects {
            self.add_project(file, project);
        }
    }

    fn add_project(&mut self, file: &str, copy: Project) {
        if !identifiable(&copy) {
            let u = Unidentified::new(file, &copy);
            self.kept.push(Kept {
                file: file.to_string(),
                project: copy,
                remarks: vec![u.describe()],
                duplicate: None,
            });
            self.unidentified.push(u);
            return;
        }
        let named = self
            .by_name
            .entry(project_key(&copy.project_name))
            .or_default();
        let Some(&k) = named
            .iter()
            .find(|&&k| same_unit(&self.kept[k].project.budget_unit, &copy.budget_unit))
        else {
            named.push(self.kept.len());
            self.kept.push(Kept {
                file: file.to_string(),
                project: copy,
                remarks: Vec::new(),
                duplicate: None,
            });
            return;
        };
        let first = &mut self.kept[k];
        let found = differences_between(&first.project, &copy);
        let mut fields: Vec<&str> = found.iter().map(|d| d.field).collect();
        fields.dedup();
        first.remarks.push(if found.is_empty() {
            format!("另见 {file}（内容相同）")
        } else {
            format!("另见 {file}（内容不同：{}）", fields.join("、"))
        });
        let d = *first.duplicate.get_or_insert_with(|| {
            self.duplicates.push((
                k,
                Duplicate {
                    budget_unit: first.project.budget_unit.clone(),
                    project_name: first.project.project_name.clone(),
                    files: vec![first.file.clone()],
                    differs: false,
                    differences: Vec::new(),
                },
            ));
            self.duplicates.len() - 1
        });
        let duplicate = &mut self.duplicates[d].1;
        duplicate
            .differences
            .extend(found.iter().map(|x| x.describe(file, &first.file)));
        duplicate.differs = !duplicate.differences.is_empty();
        if !duplicate.files.iter().any(|f| f == file) {
            duplicate.files.push(file.to_string());
        }
    }

    /// Projects held: each distinct project once.
    pub(super) fn held(&self) -> usize {
        self.kept.len()
    }

    /// The county document, with its duplicates and the projects without a name.
    pub(super) fn finish(mut self) -> County {
        if self.kept.is_empty() {
            return County {
                document: None,
                projects: 0,
                duplicates: Vec::new(),
                unidentified: Vec::new(),
            };
        }
        let mut rows = Vec::with_capacity(self.kept.len());
        let mut projects = Vec::with_capacity(self.kept.len());
        for kept in self.kept {
            let first = &kept.project;
            rows.push(SummaryRow {
                seq: u32::try_from(rows.len() + 1).ok(),
                department: first.budget_unit.clone(),
                project_name: first.project_name.clone(),
                funds_total: first.funds.total,
                location: first.location.clone(),
                remark: (!kept.remarks.is_empty()).then(|| kept.remarks.join("；")),
            });
            projects.push(kept.project);
        }
        let year = self.year.or_else(|| projects.iter().find_map(|p| p.year));
        let summary = Summary {
            year,
            region: self.region,
            rows,
            ..Summary::default()
        };
        County {
            projects: projects.len(),
            document: Some(Document {
                summary: Some(summary),
                projects,
                ..Document::default()
            }),
            duplicates: {
                self.duplicates.sort_by_key(|(k, _)| *k);
                self.duplicates.into_iter().map(|(_, d)| d).collect()
            },
            unidentified: self.unidentified,
        }
    }
}

/// How many differences of one copy are listed, at most (the rest are counted).
const MAX_DIFFERENCES: usize = 8;

/// One way a copy differs from the first copy: the field's name (for the 备注), what exactly
/// (`第 3 条指标（城市低保救助人数）的指标值`), the copy's value and the first copy's.
struct Difference {
    field: &'static str,
    what: String,
    copy: String,
    first: String,
}

impl Difference {
    /// `民政局/表.md：年度资金总额为 12.60，民政局/补报.md 为 13.00`.
    fn describe(&self, copy_file: &str, first_file: &str) -> String {
        if self.field == "其他" {
            return format!("{copy_file}：{}", self.what);
        }
        format!(
            "{copy_file}：{}为“{}”，{first_file} 为“{}”",
            self.what, self.copy, self.first
        )
    }
}

/// Where `copy` differs from `first`, in field order (at most [`MAX_DIFFERENCES`], then a
/// count of the rest). Amounts compare by value (`35.88` = `35.880`); texts as written.
fn differences_between(first: &Project, copy: &Project) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differ = |field: &'static str, what: String, a: String, b: String| {
        if a != b {
            out.push(Difference {
                field,
                what,
                copy: b,
                first: a,
            });
        }
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let amount = |n: Option<jixiao_model::Decimal>| n.map_or(String::new(), |n| n.to_string());
    let same_amount = |a: Option<jixiao_model::Decimal>, b: Option<jixiao_model::Decimal>| a == b;
    for (field, a, b) in [
        (
            "预算单位",
            first.budget_unit.clone(),
            copy.budget_unit.clone(),
        ),
        (
            "项目名称",
            first.project_name.clone(),
            copy.project_name.clone(),
        ),
        (
            "实施单位",
            opt(&first.implementing_unit),
            opt(&copy.implementing_unit),
        ),
        (
            "年度",
            first.year.map(|y| y.to_string()).unwrap_or_default(),
            copy.year.map(|y| y.to_string()).unwrap_or_default(),
        ),
    ] {
        differ(field, field.into(), a, b);
    }
    let mid = |p: &Project| p.midterm_funds.clone().unwrap_or_default();
    for (field, a, b) in [
        ("年度资金总额", first.funds.total, copy.funds.total),
        ("财政拨款", first.funds.fiscal, copy.funds.fiscal),
        ("其他资金", first.funds.other, copy.funds.other),
        ("中期资金总额", mid(first).total, mid(copy).total),
    ] {
        if !same_amount(a, b) {
            differ(field, field.into(), amount(a), amount(b));
        }
    }
    differ(
        "项目总体目标",
        "项目总体目标".into(),
        first.goal.clone(),
        copy.goal.clone(),
    );
    differ(
        "中期目标",
        "中期目标".into(),
        opt(&first.midterm_goal),
        opt(&copy.midterm_goal),
    );
    for (field, a, b) in [
        ("指标", &first.indicators, &copy.indicators),
        (
            "中期指标",
            &first.midterm_indicators,
            &copy.midterm_indicators,
        ),
    ] {
        differ(
            field,
            format!("{field}数"),
            a.len().to_string(),
            b.len().to_string(),
        );
        for (n, (x, y)) in a.iter().zip(b).enumerate() {
            for (name, p, q) in [
                ("一级指标", &x.level1, &y.level1),
                ("二级指标", &x.level2, &y.level2),
                ("三级指标", &x.level3, &y.level3),
                ("指标值", &x.value.raw, &y.value.raw),
            ] {
                let what = format!("第 {} 条{field}（{}）的{name}", n + 1, x.level3);
                differ(field, what, p.clone(), q.clone());
            }
        }
    }
    if out.len() > MAX_DIFFERENCES {
        let more = out.len() - MAX_DIFFERENCES;
        out.truncate(MAX_DIFFERENCES);
        out.push(Difference {
            field: "其他",
            what: format!("另有 {more} 处不同"),
            copy: String::new(),
            first: String::new(),
        });
    }
    out
}
