//! End-to-end tests of the review checks: the seed's exact `jixiao check` output, one fixture
//! per rule that triggers it and one that does not, and the CLI wiring (`--diagnostics json`,
//! `convert`, `rules`).
//!
//! Golden files are compared exactly; `JIXIAO_BLESS=1 cargo test` rewrites them.

mod common;

use common::{golden, jixiao};
use std::path::PathBuf;

#[test]
fn seed_check_output_is_golden() {
    let out = jixiao()
        .args(["check", "fixtures/heshuo-2022.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "only warnings: exit 0");
    let text = String::from_utf8(out.stdout).unwrap();
    golden("fixtures/heshuo-2022.check.txt", &text);
}

/// `check` lists errors, then warnings, and ends with the counts of each severity; hints (提示)
/// are only counted unless `-v` asks for them.
#[test]
fn check_ends_with_counts_and_lists_hints_with_v() {
    let file = "fixtures/kinds/midterm-annual.md";
    let run = |extra: &[&str]| {
        let out = jixiao()
            .arg("check")
            .args(extra)
            .arg(file)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let quiet = run(&[]);
    let verbose = run(&["-v"]);
    let hints = verbose.lines().filter(|l| l.contains("提示[")).count();
    let warnings = verbose.lines().filter(|l| l.contains("警告[")).count();
    assert!(hints > 0 && warnings > 0, "{verbose}");
    assert!(!quiet.contains("提示["), "{quiet}");
    assert_eq!(
        quiet.lines().filter(|l| l.contains("警告[")).count(),
        warnings
    );
    let last = format!("共 1 个文件：错误 0 条，警告 {warnings} 条，提示 {hints} 条");
    assert_eq!(
        quiet.lines().last(),
        Some(format!("{last}（加 -v 列出提示）").as_str())
    );
    assert_eq!(verbose.lines().last(), Some(last.as_str()));
    // Warnings before hints.
    let first_hint = verbose.lines().position(|l| l.contains("提示[")).unwrap();
    let lines: Vec<&str> = verbose.lines().collect();
    let last_warning = lines.iter().rposition(|l| l.contains("警告[")).unwrap();
    assert!(last_warning < first_hint, "{verbose}");
}

#[test]
fn seed_json_diagnostics_have_the_codes() {
    let out = jixiao()
        .args(["check", "--diagnostics", "json", "fixtures/heshuo-2022.md"])
        .output()
        .unwrap();
    let diags: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, u64)> = diags
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = [
        ("R101", 51),
        ("R102", 99),
        ("C219", 7),
        ("C212", 22),
        ("C213", 79),
        ("C213", 103),
        ("C213", 106),
    ]
    .iter()
    .map(|(c, l)| (c.to_string(), *l))
    .collect();
    assert_eq!(found, expected);
}

/// Every fixture in `fixtures/check`: its exact output is golden; a `Cxxx-…-bad` fixture
/// reports `Cxxx`; an `…-ok` fixture reports nothing at all.
#[test]
fn rule_fixtures() {
    let mut inputs: Vec<PathBuf> = std::fs::read_dir("fixtures/check")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("md" | "json")))
        .collect();
    inputs.sort();
    let mut triggered = Vec::new();
    for input in &inputs {
        let name = input.to_str().unwrap();
        let bytes = std::fs::read(input).unwrap();
        let doc = jixiao::load(name, &bytes, &jixiao::Options::default()).unwrap();
        let text: String = doc.diagnostics.iter().map(|d| format!("{d}\n")).collect();
        golden(input.with_extension("check.txt").to_str().unwrap(), &text);
        let stem = input.file_stem().unwrap().to_str().unwrap();
        if stem.ends_with("-ok") {
            assert!(
                doc.diagnostics.is_empty(),
                "{name} should be clean:\n{text}"
            );
        } else {
            assert!(
                stem.ends_with("-bad"),
                "{name}: fixtures are named …-bad or …-ok"
            );
            let code = &stem[..4];
            assert!(
                doc.diagnostics.iter().any(|d| d.code == code),
                "{name} should report {code}:\n{text}"
            );
            assert!(
                !jixiao::failed(&doc),
                "{name}: review findings are not read failures"
            );
            triggered.push(code.to_string());
        }
    }
    for rule in jixiao::check::rules() {
        assert!(
            triggered.contains(&rule.code.to_string()),
            "no fixture triggers {}",
            rule.code
        );
    }
}

#[test]
fn convert_puts_findings_in_the_json_and_still_succeeds() {
    // C201 is an error, but a review finding: convert writes the JSON and exits 0.
    let out = jixiao()
        .args(["convert", "fixtures/check/C201-funds-sum-bad.md", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["C201"]);
    // `check` does report the error in its exit code.
    let out = jixiao()
        .args(["check", "fixtures/check/C201-funds-sum-bad.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn reviewing_converted_json_does_not_repeat_findings() {
    let out = jixiao()
        .args(["convert", "fixtures/heshuo-2022.md", "-o", "-"])
        .output()
        .unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    let doc = jixiao::load("heshuo.json", json.as_bytes(), &jixiao::Options::default()).unwrap();
    let checks = doc
        .diagnostics
        .iter()
        .filter(|d| d.code.is_review())
        .count();
    assert_eq!(checks, 5);
}

#[test]
fn rules_lists_every_rule_in_chinese() {
    let out = jixiao().arg("rules").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for rule in jixiao::check::rules() {
        assert!(
            text.contains(&format!(
                "{}  {}  {}",
                rule.code,
                rule.severity.label(),
                rule.title
            )),
            "{}",
            rule.code
        );
    }
    assert!(text.contains("说明：") && text.contains("示例："));
    for family in ["读取 Excel", "识别", "审核", "XLSX 输出", "PDF 输出"] {
        assert!(text.contains(family), "{family}");
    }
}

#[test]
fn explain_prints_a_codes_explanation() {
    for code in ["R101", "r101", "C201", "I312", "X401", "P501", "L401"] {
        let out = jixiao().args(["explain", code]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{code}");
        let text = String::from_utf8(out.stdout).unwrap();
        let entry = jixiao::model::registry::lookup(code).unwrap();
        assert!(
            text.starts_with(&format!(
                "{}  {}  {}\n",
                entry.code,
                entry.severity.label(),
                entry.title
            )),
            "{text}"
        );
        assert!(text.contains(entry.explanation) && text.contains("示例："));
    }
    let out = jixiao().args(["explain", "R999"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("R999") && err.contains("jixiao rules"),
        "{err}"
    );
}

/// A table without a 指标值 column is reported once (R106), not again as nine empty values.
#[test]
fn a_missing_value_column_is_not_reported_again_as_empty_values() {
    let out = jixiao()
        .args(["check", "fixtures/bad/no-value-column.md"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.matches("[R106]").count(), 1, "{text}");
    assert!(!text.contains("[C207]"), "{text}");
}
