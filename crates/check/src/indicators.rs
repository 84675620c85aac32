//! The indicator table: framework (88号/101号), completeness, empty and duplicate indicators,
//! quantification, rates and satisfaction targets.

use crate::text::has_numeral;
use crate::{
    CATEGORY_MISSING, CELL_EMPTY, LEVEL1_UNKNOWN, LEVEL2_MISPLACED, LEVEL3_DUPLICATE, QUALITATIVE,
    RATE_OVER_100, SATISFACTION_RANGE, project_label,
};
use jixiao_model::framework::{Framework, Scheme, normalize_label};
use jixiao_model::registry::{Field, Reach};
use jixiao_model::{Decimal, Diagnostic, Indicator, Location, Op, Project};
use std::collections::{HashMap, HashSet};

/// Words that make a percentage a growth, which may exceed 100 %.
const GROWTH_WORDS: &[&str] = &[
    "增长", "增幅", "增速", "增加", "提高", "提升", "同比", "环比", "倍",
];

/// The scheme (88号 or 101号) a project's indicator table follows, judged by which one allows
/// most of its level-1/level-2 pairs (88号 on a tie, e.g. when no 成本 indicator says which).
pub fn scheme_of<'a>(project: &Project, framework: &'a Framework) -> Option<&'a Scheme> {
    let pairs = pairs(project, framework);
    framework
        .fit(
            &pairs
                .iter()
                .map(|(_, l1, l2)| (*l1, *l2))
                .collect::<Vec<_>>(),
        )
        .map(|f| f.scheme)
}

/// The (indicator index, level 1, level 2) of indicators whose level 1 is known and level 2
/// written: the evidence for the scheme.
fn pairs<'p>(project: &'p Project, fw: &Framework) -> Vec<(usize, &'p str, &'p str)> {
    project
        .indicators
        .iter()
        .enumerate()
        .filter(|(_, ind)| fw.level1(&ind.level1).is_some() && !ind.level2.trim().is_empty())
        .map(|(i, ind)| (i, ind.level1.as_str(), ind.level2.as_str()))
        .collect()
}

/// What the recognizer reported, indexed once per document so that a long project is reviewed
/// in linear time: row-reach findings by their location, whole-table findings (R106: no 指标值
/// column; few per document) in a list.
pub(crate) struct Earlier<'d> {
    rows: HashMap<&'d Location, Vec<&'d Diagnostic>>,
    tables: Vec<&'d Diagnostic>,
}

impl<'d> Earlier<'d> {
    /// Indexes the diagnostics whose registered meaning says a field could not be read.
    pub(crate) fn new(diags: &'d [Diagnostic]) -> Self {
        let mut earlier = Earlier {
            rows: HashMap::new(),
            tables: Vec::new(),
        };
        for d in diags {
            match d.code.entry().unread.map(|u| u.reach) {
                Some(Reach::Row) => earlier.rows.entry(&d.location).or_default().push(d),
                Some(Reach::Table) => earlier.tables.push(d),
                None => {}
            }
        }
        earlier
    }
}

/// True when the recognizer already reported that it could not read `field` of `ind`: a
/// diagnostic whose registered meaning ([`registry::Entry::unread`]) covers the field, either at
/// the indicator's own row or, for a whole-table finding (R106: no 指标值 column), at the
/// header of the table the indicator belongs to. A review finding never rests on a field the
/// recognizer could not read.
fn unread(earlier: &Earlier<'_>, project: &Project, ind: &Indicator, field: Field) -> bool {
    let covers = |d: &Diagnostic| {
        d.code
            .entry()
            .unread
            .is_some_and(|u| u.fields.contains(&field))
    };
    earlier
        .rows
        .get(&ind.location)
        .is_some_and(|found| found.iter().any(|d| covers(d)))
        || earlier
            .tables
            .iter()
            .any(|d| covers(d) && heads(&d.location, project))
}

/// True when `at` lies within `project`'s table before its first indicator (where the
/// indicator header is): same file and sheet, from the project's start up to that row.
fn heads(at: &Location, project: &Project) -> bool {
    let Some(first) = project.indicators.first() else {
        return false;
    };
    let same = |a: &Location, b: &Location| a.file == b.file && a.sheet == b.sheet;
    let (Some(here), Some(start), Some(end)) = (
        row_of(at),
        row_of(&project.location).or(row_of(at)),
        row_of(&first.location),
    ) else {
        return false;
    };
    same(at, &first.location)
        && (project.location.is_empty() || same(at, &project.location))
        && start <= here
        && here <= end
}

/// The row a location names: its line, or the row number of its A1 cell.
fn row_of(at: &Location) -> Option<u32> {
    at.line.or_else(|| {
        let cell = at.cell.as_deref()?;
        cell.trim_start_matches(|c: char| c.is_ascii_alphabetic())
            .parse()
            .ok()
    })
}

pub(crate) fn check(
    project: &Project,
    fw: &Framework,
    earlier: &Earlier<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if project.indicators.is_empty() {
        return; // the recognizer reports a missing indicator table (R107)
    }
    let name = project_label(project);
    framework(project, fw, earlier, &name, out);
    // The first indicator of each normalized level-3 name, for C208.
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, ind) in project.indicators.iter().enumerate() {
        empty(project, ind, earlier, out);
        duplicate(project, i, &mut first, out);
        values(ind, fw, out);
    }
}

fn framework(
    project: &Project,
    fw: &Framework,
    earlier: &Earlier<'_>,
    name: &str,
    out: &mut Vec<Diagnostic>,
) {
    // Unknown level 1, once per name.
    let mut seen = HashSet::new();
    for ind in &project.indicators {
        let l1 = normalize_label(&ind.level1);
        if l1.is_empty() || fw.level1(&l1).is_some() || !seen.insert(l1) {
            continue;
        }
        let hint = match fw.level2(&ind.level1) {
            Some(l2) => format!("；“{l2}”是二级指标，可能填错了列"),
            None => String::new(),
        };
        out.push(Diagnostic::new(
            LEVEL1_UNKNOWN,
            format!(
                "一级指标“{}”不在指标体系内（应为产出指标、效益指标、满意度指标或成本指标）{hint}",
                ind.level1.trim()
            ),
            ind.location.clone(),
        ));
    }
    let empty_level1 = project
        .indicators
        .iter()
        .find(|ind| ind.level1.trim().is_empty());
    if let Some(ind) = empty_level1.filter(|ind| !unread(earlier, project, ind, Field::Level1)) {
        out.push(Diagnostic::new(
            LEVEL1_UNKNOWN,
            format!("三级指标“{}”没有一级指标", ind.level3.trim()),
            ind.location.clone(),
        ));
    }

    // Level 2 under its level 1, in the scheme the table follows; once per group.
    let pairs = pairs(project, fw);
    let Some(fit) = fw.fit(
        &pairs
            .iter()
            .map(|(_, l1, l2)| (*l1, *l2))
            .collect::<Vec<_>>(),
    ) else {
        return;
    };
    let scheme = fit.scheme;
    let mut seen = HashSet::new();
    for &k in &fit.misfits {
        let (i, l1, l2) = pairs[k];
        if !seen.insert((normalize_label(l1), normalize_label(l2))) {
            continue;
        }
        let ind = &project.indicators[i];
        let canon1 = fw.level1(l1).unwrap_or(l1);
        let message = match fw.level2(l2) {
            None => format!(
                "二级指标“{}”不是指标体系中的名称（{}下应为：{}）",
                l2.trim(),
                canon1,
                allowed(scheme, canon1)
            ),
            Some(_) if fw.allows(l1, l2) => format!(
                "二级指标“{}”在“{}”下属于另一种指标体系，而本表其余指标按{}体系填写，两种体系混用（{}体系中{}下应为：{}）",
                l2.trim(),
                canon1,
                scheme.id,
                scheme.id,
                canon1,
                allowed(scheme, canon1),
            ),
            Some(canon2) => {
                let home: Vec<&str> = scheme
                    .level1
                    .iter()
                    .filter(|g| g.level2.iter().any(|n| n == canon2))
                    .map(|g| g.name.as_str())
                    .collect();
                let home = if home.is_empty() {
                    String::new()
                } else {
                    format!("，应属“{}”", home.join("”或“"))
                };
                format!(
                    "二级指标“{}”不应放在一级指标“{}”下{home}",
                    l2.trim(),
                    l1.trim()
                )
            }
        };
        out.push(Diagnostic::new(
            LEVEL2_MISPLACED,
            message,
            ind.location.clone(),
        ));
    }
    let empty_level2 = project
        .indicators
        .iter()
        .find(|ind| ind.level2.trim().is_empty());
    if let Some(ind) = empty_level2.filter(|ind| !unread(earlier, project, ind, Field::Level2)) {
        out.push(Diagnostic::new(
            LEVEL2_MISPLACED,
            format!("三级指标“{}”没有二级指标", ind.level3.trim()),
            ind.location.clone(),
        ));
    }

    // Completeness: every level-1 group of the scheme — unless a 一级指标 was lost in
    // recognition (R103): the group said to be missing may be the one that was not read.
    let lost_level1 = project
        .indicators
        .iter()
        .any(|ind| ind.level1.trim().is_empty() && unread(earlier, project, ind, Field::Level1));
    if lost_level1 {
        return;
    }
    let present: HashSet<&str> = project
        .indicators
        .iter()
        .filter_map(|ind| fw.level1(&ind.level1))
        .collect();
    // Groups the form declares not applicable (every row 不适用) are answered, not missing.
    let declared: HashSet<&str> = project
        .not_applicable
        .iter()
        .filter_map(|g| fw.level1(g))
        .collect();
    for group in &scheme.level1 {
        if !present.contains(group.name.as_str()) && !declared.contains(group.name.as_str()) {
            let all: Vec<&str> = scheme.level1.iter().map(|g| g.name.as_str()).collect();
            out.push(Diagnostic::new(
                CATEGORY_MISSING,
                format!(
                    "项目{name}没有“{}”（按{}体系，应设置{}）",
                    group.name,
                    scheme.id,
                    all.join("、")
                ),
                project.location.clone(),
            ));
        }
    }
}

fn allowed(scheme: &Scheme, level1: &str) -> String {
    scheme
        .level1
        .iter()
        .find(|g| g.name == level1)
        .map_or_else(|| "（无）".to_string(), |g| g.level2.join("、"))
}

fn empty(project: &Project, ind: &Indicator, earlier: &Earlier<'_>, out: &mut Vec<Diagnostic>) {
    if ind.level3.trim().is_empty() && !unread(earlier, project, ind, Field::Level3) {
        let under = [ind.level1.trim(), ind.level2.trim()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("/");
        out.push(Diagnostic::new(
            CELL_EMPTY,
            format!(
                "三级指标为空（{under}下指标值为“{}”的一行），请填写指标名称",
                ind.value.raw.trim()
            ),
            ind.location.clone(),
        ));
    }
    if ind.value.raw.trim().is_empty() && !unread(earlier, project, ind, Field::Value) {
        out.push(Diagnostic::new(
            CELL_EMPTY,
            format!("指标“{}”的指标值为空", ind.level3.trim()),
            ind.location.clone(),
        ));
    }
}

fn duplicate(
    project: &Project,
    i: usize,
    seen: &mut HashMap<String, usize>,
    out: &mut Vec<Diagnostic>,
) {
    let ind = &project.indicators[i];
    let key = normalize_label(&ind.level3);
    if key.is_empty() {
        return;
    }
    let k = *seen.entry(key).or_insert(i);
    if k < i {
        let first = &project.indicators[k];
        let at = first
            .location
            .line
            .map_or(String::new(), |l| format!("（第 {l} 行）"));
        out.push(Diagnostic::new(
            LEVEL3_DUPLICATE,
            format!("三级指标“{}”与前面的指标{at}重复", ind.level3.trim()),
            ind.location.clone(),
        ));
    }
}

fn values(ind: &Indicator, fw: &Framework, out: &mut Vec<Diagnostic>) {
    let raw = ind.value.raw.trim();
    let level3 = ind.level3.trim();
    if fw.is_quantified(&ind.level2)
        && !raw.is_empty()
        && !ind.value.is_quantified()
        && !has_numeral(raw)
    {
        let l2 = fw.level2(&ind.level2).unwrap_or(&ind.level2);
        out.push(Diagnostic::new(
            QUALITATIVE,
            format!("{l2}“{level3}”的指标值“{raw}”只有文字描述；数量、质量、时效、成本指标应尽量量化（如“≥95%”“≤7个工作日”“≤3.99万元”）"),
            ind.location.clone(),
        ));
    }
    let Some(number) = ind.value.number else {
        return;
    };
    let hundred = Decimal::ONE_HUNDRED;
    let percent = ind.value.unit.as_deref() == Some("%");
    // Which indicators are satisfaction targets comes from the framework (`--template`).
    let satisfaction = fw.is_satisfaction(&ind.level1, level3);
    if satisfaction {
        let unit_ok = percent || ind.value.unit.is_none();
        let impossible = number > hundred || (ind.value.op == Some(Op::Gt) && number >= hundred);
        if unit_ok && impossible {
            out.push(Diagnostic::new(
                SATISFACTION_RANGE,
                format!("满意度指标“{level3}”的目标值“{raw}”超出 0–100% 的范围，无法实现"),
                ind.location.clone(),
            ));
        }
    } else if percent && number > hundred && !GROWTH_WORDS.iter().any(|w| level3.contains(w)) {
        out.push(Diagnostic::new(
            RATE_OVER_100,
            format!("指标“{level3}”的目标值“{raw}”超过 100%，比率通常不能超过 100%，请核对（可能是录入或识别错误）"),
            ind.location.clone(),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::{Code, Value};

    fn project(rows: &[(&str, &str, &str, &str)]) -> Project {
        Project {
            project_name: "测试项目".into(),
            indicators: rows
                .iter()
                .enumerate()
                .map(|(n, (l1, l2, l3, v))| Indicator {
                    level1: l1.to_string(),
                    level2: l2.to_string(),
                    level3: l3.to_string(),
                    value: Value::parse(v),
                    location: Location::line(Some("t.md"), n as u32 + 1, 1),
                    evaluation: None,
                })
                .collect(),
            ..Project::default()
        }
    }

    fn codes(p: &Project) -> Vec<Code> {
        let mut out = Vec::new();
        check(p, Framework::standard(), &Earlier::new(&[]), &mut out);
        out.into_iter().map(|d| d.code).collect()
    }

    const GOOD: &[(&str, &str, &str, &str)] = &[
        ("产出指标", "数量指标", "发放人数", "≥221人"),
        ("产出指标", "成本指标", "每次发放资金数", "≤3.99万元"),
        ("效益指标", "社会效益指标", "生活水平", "有效提升"),
        ("满意度指标", "满意度指标", "群众满意度", "≥90%"),
    ];

    #[test]
    fn a_good_table_passes() {
        assert!(codes(&project(GOOD)).is_empty());
    }

    #[test]
    fn scheme_101_needs_all_four_groups() {
        let p = project(&[
            ("成本指标", "经济成本指标", "建设成本", "≤65万元"),
            ("产出指标", "数量指标", "发放人数", "≥221人"),
        ]);
        assert_eq!(scheme_of(&p, Framework::standard()).unwrap().id, "101号");
        assert_eq!(codes(&p), vec![CATEGORY_MISSING, CATEGORY_MISSING]);
    }

    #[test]
    fn mixed_schemes_are_reported_once_per_group() {
        let mut rows = GOOD.to_vec();
        rows.push(("成本指标", "经济成本指标", "建设成本", "≤65万元"));
        rows.push(("成本指标", "经济成本指标", "材料成本", "≤5万元"));
        rows.push(("成本指标", "社会成本指标", "社会影响", "无"));
        let c = codes(&project(&rows));
        assert_eq!(c, vec![LEVEL2_MISPLACED]);
    }

    #[test]
    fn values_out_of_range() {
        let p = project(&[
            ("产出指标", "质量指标", "覆盖率", "=120%"),
            ("产出指标", "质量指标", "收入增长率", "≥150%"),
            ("满意度指标", "满意度指标", "满意度", "≥198%"),
            ("满意度指标", "满意度指标", "满意度2", ">100%"),
            ("效益指标", "社会效益指标", "群众满意率", "=100%"),
            ("产出指标", "时效指标", "及时性", "及时"),
            ("产出指标", "时效指标", "完成时间", "2022年12月底前"),
        ]);
        assert_eq!(
            codes(&p),
            vec![
                RATE_OVER_100,
                SATISFACTION_RANGE,
                SATISFACTION_RANGE,
                QUALITATIVE
            ]
        );
    }

    #[test]
    fn empty_and_duplicate() {
        let p = project(&[
            ("产出指标", "数量指标", "发放人数", ""),
            ("产出指标", "数量指标", "发放 人数", "≥1人"),
            ("效益指标", "社会效益指标", "", "有效"),
            ("满意度指标", "满意度指标", "满意度", "≥90%"),
        ]);
        assert_eq!(codes(&p), vec![CELL_EMPTY, LEVEL3_DUPLICATE, CELL_EMPTY]);
        // Already reported by the recognizer at the same place: not repeated.
        let earlier = [Diagnostic::new(
            Code::R104,
            "",
            p.indicators[0].location.clone(),
        )];
        let mut out = Vec::new();
        check(&p, Framework::standard(), &Earlier::new(&earlier), &mut out);
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn an_unreadable_value_column_is_not_reported_as_empty_values() {
        // R106 at the header row (line 1) covers every indicator of the table below it.
        let mut p = project(&[
            ("产出指标", "数量指标", "发放人数", ""),
            ("满意度指标", "满意度指标", "群众满意度", ""),
        ]);
        for (n, ind) in p.indicators.iter_mut().enumerate() {
            ind.location = Location::line(Some("t.md"), n as u32 + 2, 1);
        }
        p.location = Location::line(Some("t.md"), 1, 1);
        let header = Location::line(Some("t.md"), 1, 1);
        let earlier = [Diagnostic::new(Code::R106, "", header)];
        let mut out = Vec::new();
        check(&p, Framework::standard(), &Earlier::new(&earlier), &mut out);
        assert!(out.iter().all(|d| d.code != CELL_EMPTY), "{out:?}");
        // The same R106 in another file, or after the table, covers nothing here.
        for elsewhere in [
            Location::line(Some("other.md"), 1, 1),
            Location::line(Some("t.md"), 9, 1),
        ] {
            let earlier = [Diagnostic::new(Code::R106, "", elsewhere)];
            let mut out = Vec::new();
            check(&p, Framework::standard(), &Earlier::new(&earlier), &mut out);
            assert_eq!(out.iter().filter(|d| d.code == CELL_EMPTY).count(), 2);
        }
        // A workbook: the header in row 4, indicators in rows 5–6.
        for (n, ind) in p.indicators.iter_mut().enumerate() {
            ind.location = Location::cell(Some("a.xlsx"), "项目1", &format!("A{}", n + 5));
        }
        p.location = Location::cell(Some("a.xlsx"), "项目1", "A1");
        let earlier = [Diagnostic::new(
            Code::R106,
            "",
            Location::cell(Some("a.xlsx"), "项目1", "A4"),
        )];
        let mut out = Vec::new();
        check(&p, Framework::standard(), &Earlier::new(&earlier), &mut out);
        assert!(out.iter().all(|d| d.code != CELL_EMPTY), "{out:?}");
    }

    #[test]
    fn satisfaction_names_come_from_the_framework() {
        let p = project(&[
            ("产出指标", "数量指标", "发放人数", "≥221人"),
            ("效益指标", "社会效益指标", "生活水平", "有效提升"),
            ("满意度指标", "满意度指标", "群众认可度", "≥120%"),
            ("效益指标", "社会效益指标", "群众满意率", "≥150%"),
        ]);
        let run = |fw: &Framework| {
            let mut out = Vec::new();
            check(&p, fw, &Earlier::new(&[]), &mut out);
            out.into_iter().map(|d| d.code).collect::<Vec<_>>()
        };
        assert_eq!(
            run(Framework::standard()),
            [SATISFACTION_RANGE, SATISFACTION_RANGE]
        );
        // A framework without a satisfaction group: both are plain rates over 100%.
        let toml = include_str!("../../../templates/framework.toml")
            .replace("satisfaction = \"服务对象满意度指标\"", "");
        let without = Framework::from_toml(&toml).unwrap();
        assert_eq!(run(&without), [RATE_OVER_100, RATE_OVER_100]);
        // A framework whose satisfaction keywords differ: 满意率 is no longer one.
        let toml = include_str!("../../../templates/framework.toml").replace(
            "keywords = [\"满意度\", \"满意率\"]",
            "keywords = [\"满意度\"]",
        );
        let other = Framework::from_toml(&toml).unwrap();
        assert_eq!(run(&other), [SATISFACTION_RANGE, RATE_OVER_100]);
    }

    #[test]
    fn unknown_names() {
        let p = project(&[
            ("工作指标", "数量指标", "发放人数", "≥1人"),
            ("工作指标", "数量指标", "发放次数", "≥1次"),
            ("产出指标", "社会效益指标", "生活水平", "提高"),
            ("产出指标", "乱写指标", "x", "≥1人"),
            ("效益指标", "社会效益指标", "y", "提高"),
            ("满意度指标", "服务对象满意度指标", "满意度", "≥90%"),
        ]);
        assert_eq!(
            codes(&p),
            vec![LEVEL1_UNKNOWN, LEVEL2_MISPLACED, LEVEL2_MISPLACED]
        );
    }
}
