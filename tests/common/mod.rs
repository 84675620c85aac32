//! Helpers shared by the end-to-end tests.

#![allow(dead_code, unused_imports)]

use std::path::Path;

/// Golden files: the workspace's one helper (`JIXIAO_BLESS=1` rewrites them).
pub(crate) use jixiao_golden::check as golden;

/// The `jixiao` binary, run from the repository root.
pub(crate) fn jixiao() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("jixiao").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The `report.json` a batch wrote in `out`.
pub(crate) fn batch_report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap()
}

/// The report line of `file` (relative to the input folder).
pub(crate) fn report_entry<'a>(report: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"] == file)
        .unwrap_or_else(|| panic!("{file} not in report: {report:#}"))
}

/// The diagnostic codes of a JSON document, in order.
pub(crate) fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// True when `code` is one of the review's (the registry says which stage a code is of).
pub(crate) fn is_review(code: &str) -> bool {
    jixiao::model::Code::parse(code).is_some_and(|c| c.is_review())
}

/// True when `code` is one of the recognizer's.
pub(crate) fn is_recognize(code: &str) -> bool {
    jixiao::model::Code::parse(code).is_some_and(|c| c.is_recognize())
}

/// The document without anything that says where it came from (every `…location` key), so
/// that the same table read from two formats compares equal.
pub(crate) fn without_locations(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|key, _| !key.ends_with("location"));
            map.values_mut().for_each(without_locations);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_locations),
        _ => {}
    }
}

/// Reads `bytes` as the input named `name`, panicking with the name on failure.
pub(crate) fn load(name: &str, bytes: &[u8]) -> jixiao::model::Document {
    jixiao::load(name, bytes, &jixiao::Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What the standard form shows of a project: everything but where it came from and the
/// 中期 / 实施单位 data the form has no place for (reported as L401/L402 when written). The
/// round trips through the form's XLSX and PDF compare projects through this.
pub(crate) fn shown(p: &jixiao::model::Project) -> jixiao::model::Project {
    let mut p = p.clone();
    p.location = Default::default();
    p.goal_location = None;
    p.funds.location = None;
    p.midterm_funds = None;
    p.midterm_goal = None;
    p.midterm_indicators.clear();
    p.implementing_unit = None;
    // The standard form's title names no kind, and it has no 基本支出/项目支出 row.
    p.kind = None;
    p.department_funds = None;
    // What the reading said of the source: the standard form has every label (nothing is
    // unread), no placeholder rows (no group declared 不适用) and no 一级预算单位 (L401).
    p.unread.clear();
    p.not_applicable.clear();
    p.parent_unit = None;
    for i in &mut p.indicators {
        i.location = Default::default();
    }
    if p.is_self_evaluation() {
        // The 自评表 has every funds line (the 年初预算数 is the project's amount where the
        // source had no funds block) and a 总分 row; its 预期目标 is the goal.
        let funds = p.funds.clone();
        let se = p.self_evaluation.get_or_insert_with(Default::default);
        let line = |l: &mut Option<jixiao_model::FundsLine>, amount| {
            let l = l.get_or_insert_with(|| jixiao_model::FundsLine {
                initial_budget: amount,
                ..Default::default()
            });
            l.location = Default::default();
        };
        line(&mut se.funds_total, funds.total);
        line(&mut se.funds_fiscal, funds.fiscal);
        line(&mut se.funds_carryover, None);
        line(&mut se.funds_other, funds.other);
        se.goal_expected.get_or_insert_with(|| p.goal.clone());
        se.total_location = None;
        if let Some(row) = &mut se.execution {
            row.location = Default::default();
        }
    } else {
        // The 目标表 shows no 分值 (L401).
        for i in &mut p.indicators {
            i.evaluation = None;
        }
    }
    p
}

/// `back`, read from the standard form (`carrier`: XLSX, PDF) written from `source`, holds what
/// the form shows of it: no reading error, the same projects ([`shown`]), the same summary rows
/// and the amounts the summary gave.
pub(crate) fn assert_form_reads_back(
    file: &str,
    carrier: &str,
    source: &jixiao::model::Document,
    back: &jixiao::model::Document,
) {
    let reading: Vec<String> = back
        .diagnostics
        .iter()
        .filter(|d| d.code.is_recognize() || d.code.is_read())
        .map(|d| d.to_string())
        .collect();
    assert!(
        reading.iter().all(|d| !d.contains("错误")),
        "{file}: the standard form must read back without reading errors: {reading:#?}"
    );
    assert_eq!(
        back.projects.len(),
        source.projects.len(),
        "{file}: project count"
    );
    for (a, b) in source.projects.iter().zip(&back.projects) {
        assert_eq!(
            shown(b),
            shown(a),
            "{file}: project “{}” differs after the {carrier} round trip",
            a.project_name
        );
    }
    if let Some(summary) = &source.summary {
        let back_summary = back
            .summary
            .as_ref()
            .unwrap_or_else(|| panic!("{file}: summary lost"));
        let names = |s: &jixiao::model::Summary| -> Vec<(String, String)> {
            s.rows
                .iter()
                .map(|r| (r.department.clone(), r.project_name.clone()))
                .collect()
        };
        assert_eq!(names(back_summary), names(summary), "{file}: summary rows");
        for (a, b) in summary.rows.iter().zip(&back_summary.rows) {
            if a.funds_total.is_some() {
                assert_eq!(
                    b.funds_total, a.funds_total,
                    "{file}: summary amount of {}",
                    a.project_name
                );
            }
        }
    }
}
