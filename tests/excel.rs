//! Workbook inputs end to end: every layout fixture in `fixtures/excel/` against its golden
//! JSON, the seed workbook against the seed Markdown, and every bad input in `fixtures/bad/`
//! through the library and the `jixiao` binary.
//!
//! `JIXIAO_BLESS=1 cargo test --test excel` rewrites the goldens; review the diff.

use assert_cmd::Command;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Reads a fixture as the CLI does, naming it by its path from the repository root.
fn convert(rel: &str) -> Result<jixiao::model::Document, jixiao::ReadError> {
    let bytes = std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    jixiao::read(rel, &bytes, &jixiao::Options::default())
}

fn workbook_fixtures() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("fixtures/excel"))
        .expect("fixtures/excel")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| [".xlsx", ".xls", ".ods"].iter().any(|ext| n.ends_with(ext)))
        .map(|n| format!("fixtures/excel/{n}"))
        .collect();
    files.sort();
    files
}

#[test]
fn layouts_match_their_goldens() {
    let files = workbook_fixtures();
    assert!(files.len() >= 15, "fixtures missing: {files:?}");
    let mut failures = Vec::new();
    for rel in &files {
        let doc = convert(rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(!jixiao::failed(&doc), "{rel}: {:#?}", doc.diagnostics);
        let json = jixiao_json::to_string(&doc);
        if let Err(e) = jixiao_golden::compare(&format!("{rel}.expected.json"), &json) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Budget systems' exports and clerks' own workbooks: a 申报表 per sheet with `label：value`
/// headers, merged cells repeating their anchor and 不适用 rows; labels in Traditional
/// characters; a long table of several projects; sheets holding no form around a project.
#[test]
fn budget_system_workbooks_match_their_goldens() {
    let dir = root().join("fixtures/excel/budget-systems");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures/excel/budget-systems")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xlsx"))
        .map(|n| format!("fixtures/excel/budget-systems/{n}"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 6, "{files:?}");
    let mut failures = Vec::new();
    for rel in &files {
        let doc = convert(rel).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(!jixiao::failed(&doc), "{rel}: {:#?}", doc.diagnostics);
        let json = jixiao_json::to_string(&doc);
        if let Err(e) = jixiao_golden::compare(&format!("{rel}.expected.json"), &json) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// What the budget-system fixtures must show, whatever else their goldens hold.
#[test]
fn budget_system_exports_read_every_header_field_and_no_placeholder() {
    // Read and reviewed, as `jixiao check` does.
    let rel = "fixtures/excel/budget-systems/budget-system-export.xlsx";
    let bytes = std::fs::read(root().join(rel)).expect("fixture");
    let doc = jixiao::load(rel, &bytes, &jixiao::Options::default()).unwrap();
    assert_eq!(doc.projects.len(), 3);
    for p in &doc.projects {
        assert!(!p.project_name.is_empty() && !p.budget_unit.is_empty());
        assert!(
            p.funds.total.is_some(),
            "{}: 本年度项目金额",
            p.project_name
        );
        assert!(p.indicators.iter().all(|i| i.level3 != "不适用"));
        assert!(p.indicators.iter().all(|i| i.level2 != "其他满意度"));
    }
    let count = |code: &str| doc.diagnostics.iter().filter(|d| d.code == code).count();
    // Repeats in covered cells: once per sheet; placeholders: once per table (R136); a row
    // holding only 其他满意度 labels no row below it (R122, one per sheet that has one).
    assert_eq!((count("I318"), count("I319")), (0, 3));
    assert_eq!((count("R136"), count("R122")), (3, 2));
    // Every 一级 of the two read projects holds indicators; the blank third declares none
    // not applicable (its table is blank, R137).
    assert!(doc.projects.iter().all(|p| p.not_applicable.is_empty()));
    assert_eq!(count("C206"), 0);
    // 项目编码： and its value: one finding per project, not one per cell; the footer
    // (备注：作为导入模板…) ends each table (R135).
    assert_eq!((count("R108"), count("R135")), (3, 3));
    // No source asked for where the form has none; the 元 amount is found once.
    assert_eq!(count("C202"), 0);
    assert_eq!(count("C230"), 1);
    // The blank third project: its own gap (R137), not the file's failure (R114).
    assert_eq!((count("R137"), count("R114")), (1, 0));

    let long = convert("fixtures/excel/budget-systems/long-table.xlsx").unwrap();
    let names: Vec<&str> = long
        .projects
        .iter()
        .map(|p| p.project_name.as_str())
        .collect();
    // Three projects on the first sheet, two under a two-row header on the second.
    assert_eq!(names.len(), 5, "{names:?}");
    assert!(
        long.diagnostics
            .iter()
            .all(|d| d.code != "R118" && d.code != "R108"
                || d.location.cell.as_deref() == Some("A1"))
    );
    assert!(long.diagnostics.iter().all(|d| d.code != "R110"));

    let traditional = convert("fixtures/excel/budget-systems/traditional-labels.xlsx").unwrap();
    let p = &traditional.projects[0];
    assert!(p.funds.fiscal.is_some() && p.unread.is_empty(), "{p:?}");

    for rel in ["non-form-sheets", "sheet-parts"] {
        let doc = convert(&format!("fixtures/excel/budget-systems/{rel}.xlsx")).unwrap();
        assert_eq!(doc.projects.len(), 1, "{rel}");
        let p = &doc.projects[0];
        assert!(
            !p.indicators.is_empty() && p.funds.total.is_some(),
            "{rel}: {p:?}"
        );
        assert!(
            !p.budget_unit.is_empty() && !p.goal.is_empty(),
            "{rel}: {p:?}"
        );
        assert!(doc.diagnostics.iter().all(|d| d.code != "R107"), "{rel}");
    }
}

/// Drops every location so that documents from different formats compare by content.
fn without_locations(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|k, _| !k.ends_with("location"));
            map.values_mut().for_each(without_locations);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_locations),
        _ => {}
    }
}

/// Numbers compared by value, not by their digits.
fn numbers_by_value(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Number(n) => {
            let v: f64 = n.to_string().parse().expect("number");
            *value = serde_json::Value::String(v.to_string());
        }
        serde_json::Value::Object(map) => map.values_mut().for_each(numbers_by_value),
        serde_json::Value::Array(items) => items.iter_mut().for_each(numbers_by_value),
        _ => {}
    }
}

fn content(doc: &jixiao::model::Document) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&jixiao_json::to_string(doc)).expect("json");
    v.as_object_mut().expect("object").remove("diagnostics");
    without_locations(&mut v);
    v
}

/// The seed as a clean workbook (real vertical and horizontal merges) reads to the same IR as
/// the OCR Markdown, whose damage the recognizer repairs (R101, R102 — the workbook needs none).
#[test]
fn seed_workbook_equals_seed_markdown() {
    let md = convert("fixtures/heshuo-2022.md").expect("seed");
    let xlsx = convert("fixtures/excel/heshuo-2022.xlsx").expect("workbook");
    assert_eq!(content(&xlsx), content(&md));
    // .xls and .ods keep no number formats (I312) and .ods no merges (I315): the same IR but
    // for the digits of amounts (`0.00` reads as `0`).
    for rel in [
        "fixtures/excel/heshuo-2022.xlsx",
        "fixtures/excel/heshuo-2022.xls",
        "fixtures/excel/heshuo-2022.ods",
    ] {
        let xlsx = convert(rel).expect("workbook");
        let (mut a, mut b) = (content(&xlsx), content(&md));
        numbers_by_value(&mut a);
        numbers_by_value(&mut b);
        assert_eq!(a, b, "{rel}");
        assert!(
            xlsx.diagnostics
                .iter()
                .all(|d| d.severity == jixiao::model::Severity::Info),
            "{rel}: {:#?}",
            xlsx.diagnostics
        );
        // Every location is a sheet cell.
        let p = &xlsx.projects[3];
        assert_eq!(p.location.sheet.as_deref(), Some("项目4"));
        assert!(
            p.indicators
                .iter()
                .all(|i| i.location.cell.is_some() && i.location.line.is_none())
        );
    }
    let md_codes: Vec<&str> = md.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(md_codes, ["R101", "R102"], "the seed's repairs");
}

/// (file, words the error must contain)
const BAD: &[(&str, &str)] = &[
    ("fixtures/bad/empty-workbook.xlsx", "没有任何内容"),
    ("fixtures/bad/unrelated.xlsx", "未找到绩效目标表"),
    ("fixtures/bad/truncated.xlsx", "损坏或不完整"),
    ("fixtures/bad/truncated.xls", "损坏或不完整"),
    ("fixtures/bad/csv-named.xlsx", "CSV"),
    ("fixtures/bad/not-a-workbook.xlsx", "zip 压缩包"),
    ("fixtures/bad/blank-template.xlsx", "空白模板"),
    ("fixtures/bad/encrypted.xlsx", "密码"),
];

fn bad_fixtures() -> Vec<(&'static str, &'static str)> {
    BAD.iter()
        .copied()
        .filter(|(rel, _)| root().join(rel).exists())
        .collect()
}

#[test]
fn bad_inputs_give_clear_errors() {
    let found = bad_fixtures();
    assert!(found.len() >= 7, "bad fixtures missing: {found:?}");
    for (rel, words) in found {
        match convert(rel) {
            Err(e) => assert!(e.to_string().contains(words), "{rel}: {e}"),
            Ok(doc) => {
                assert!(
                    jixiao::failed(&doc),
                    "{rel} should fail: {:#?}",
                    doc.diagnostics
                );
                let errors: Vec<String> = doc
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == jixiao::model::Severity::Error)
                    .map(|d| d.to_string())
                    .collect();
                assert!(
                    errors.iter().any(|e| e.contains(words) && e.contains(rel)),
                    "{rel}: {errors:#?}"
                );
            }
        }
    }
}

#[test]
fn bad_inputs_exit_1_through_the_cli() {
    for (rel, words) in bad_fixtures() {
        let out = Command::cargo_bin("jixiao")
            .expect("binary")
            .current_dir(root())
            .args(["convert", rel, "-o", "-"])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{rel}: {stderr}");
        assert!(
            stderr.contains(rel) && stderr.contains(words),
            "{rel}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{rel}: {stderr}");
    }
}

#[test]
fn workbooks_convert_through_the_cli() {
    let out = Command::cargo_bin("jixiao")
        .expect("binary")
        .current_dir(root())
        .args(["convert", "fixtures/excel/per-sheet.xlsx", "-o", "-"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = jixiao_json::from_str(&String::from_utf8_lossy(&out.stdout)).expect("json");
    assert_eq!(doc.projects.len(), 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("fixtures/excel/per-sheet.xlsx:旧版: 提示[I310]"),
        "{stderr}"
    );
}

/// A province's 自评表 layout: no 年初预算数, 分值 before 年度指标值, 全年实际值, the grade
/// beside the 总分 — read whole, every figure under its heading.
#[test]
fn a_self_evaluation_workbook_is_read_whole() {
    let doc = convert("fixtures/excel/budget-systems/self-evaluation.xlsx").unwrap();
    let p = &doc.projects[0];
    assert_eq!(p.kind, Some(jixiao::model::TableKind::SelfEvaluation));
    // Without a 年初预算数 the target's amount is the 全年预算数.
    assert_eq!(p.funds.total.map(|d| d.to_string()), Some("91.59".into()));
    let se = p.self_evaluation.as_ref().unwrap();
    let line = se.funds_total.as_ref().unwrap();
    assert_eq!(line.executed.map(|d| d.to_string()), Some("89.76".into()));
    assert_eq!(line.rate.map(|d| d.to_string()), Some("98".into()));
    assert_eq!(
        se.goal_achieved.as_deref(),
        Some("按时足额发放基础养老金，参保人员待遇落实。")
    );
    assert_eq!(se.total_score.map(|d| d.to_string()), Some("98.8".into()));
    assert_eq!(se.grade.as_deref(), Some("优"));
    let e = p.indicators[0].evaluation.as_ref().unwrap();
    assert_eq!(e.actual.as_ref().map(|a| a.raw.as_str()), Some("12006人"));
    assert_eq!(e.weight.map(|d| d.to_string()), Some("10".into()));
    assert_eq!(e.score.map(|d| d.to_string()), Some("9".into()));
    assert_eq!(e.deviation.as_deref(), Some("部分人员转入职工养老保险"));
    // It adds up: no 自评 finding.
    assert!(
        doc.diagnostics
            .iter()
            .all(|d| !d.code.as_str().starts_with("C24"))
    );
}
