//! Word documents end to end: the seed as a .docx gives the Markdown seed's document and review,
//! each generated fixture in `fixtures/docx/` against its golden JSON (`JIXIAO_BLESS=1`
//! rewrites them) and what it is about, the bad Word inputs exit 1 with a clear message, batch
//! takes .docx, and a WPS .et that is really an .xls is read as one.

mod common;

use common::{codes, golden, is_review, jixiao, without_locations};
use serde_json::Value as Json;
use std::path::Path;

fn convert(path: &str) -> (String, String, Option<i32>) {
    let out = jixiao()
        .args(["convert", path, "-o", "-"])
        .output()
        .expect("run jixiao");
    (
        String::from_utf8(out.stdout).expect("utf-8 output"),
        String::from_utf8(out.stderr).expect("utf-8 messages"),
        out.status.code(),
    )
}

/// Converts a fixture that must convert, and checks its golden JSON.
fn golden_fixture(path: &str) -> Json {
    let (stdout, stderr, code) = convert(path);
    assert_eq!(code, Some(0), "{path}: {stderr}");
    assert!(!stderr.contains("panicked"), "{path}: {stderr}");
    golden(&format!("{path}.expected.json"), &stdout);
    serde_json::from_str(&stdout).expect("JSON output")
}

fn content(doc: &Json) -> Json {
    let mut doc = doc.clone();
    doc["diagnostics"] = Json::Array(Vec::new());
    without_locations(&mut doc);
    doc
}

/// `(一级, 二级, 三级, 指标值)` of every indicator of a project.
fn indicators(project: &Json) -> Vec<[String; 4]> {
    project["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            [
                i["level1"].as_str().unwrap().to_string(),
                i["level2"].as_str().unwrap().to_string(),
                i["level3"].as_str().unwrap().to_string(),
                i["value"]["raw"].as_str().unwrap().to_string(),
            ]
        })
        .collect()
}

#[test]
fn seed_docx_gives_the_markdown_seeds_document() {
    let docx = golden_fixture("fixtures/docx/heshuo-2022.docx");
    let (md, _, code) = convert("fixtures/heshuo-2022.md");
    assert_eq!(code, Some(0));
    let md: Json = serde_json::from_str(&md).unwrap();
    // The Markdown is OCR output and needs two repairs (R101, R102); Word has real merged
    // cells and needs none.
    let reading: Vec<String> = codes(&docx).into_iter().filter(|c| !is_review(c)).collect();
    assert_eq!(reading, Vec::<String>::new());
    let review = |doc: &Json| {
        codes(doc)
            .into_iter()
            .filter(|c| is_review(c))
            .collect::<Vec<_>>()
    };
    assert_eq!(review(&docx), review(&md));
    assert_eq!(content(&docx), content(&md));
    let projects = docx["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 5);
    let count: usize = projects.iter().map(|p| indicators(p).len()).sum();
    assert_eq!(count, 55);
    // Locations name the table, row and column as the clerk finds them in Word.
    let first = &projects[0]["indicators"][0]["location"];
    assert_eq!(first["file"], "fixtures/docx/heshuo-2022.docx");
    assert_eq!(first["cell"], "表2 第5行第1列");
}

#[test]
fn check_on_the_seed_docx_prints_the_markdown_seeds_findings() {
    let check = |path: &str| {
        let out = jixiao().args(["check", path]).output().expect("run");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .chain(String::from_utf8(out.stderr).unwrap().lines())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    let docx = check("fixtures/docx/heshuo-2022.docx");
    golden(
        "fixtures/docx/heshuo-2022.check.txt",
        &(docx.join("\n") + "\n"),
    );
    let findings = |lines: &[String]| {
        lines
            .iter()
            .filter(|l| l.contains("[C"))
            .map(|l| l.split_once(": ").expect("location: finding").1.to_string())
            .collect::<Vec<_>>()
    };
    let md = check("fixtures/heshuo-2022.md");
    assert!(!findings(&md).is_empty());
    assert_eq!(findings(&docx), findings(&md));
    assert!(
        docx.iter()
            .any(|l| l.starts_with("fixtures/docx/heshuo-2022.docx:表"))
    );
}

#[test]
fn vertically_merged_levels_fill_every_row() {
    let doc = golden_fixture("fixtures/docx/merged-levels.docx");
    // Only the 填报单位 line beside the table is set aside (R108, a note); nothing repaired.
    assert_eq!(codes(&doc), ["R108"]);
    let project = &doc["projects"][0];
    assert_eq!(project["project_name"], "农村公路养护项目");
    assert_eq!(project["year"], 2022);
    let inds = indicators(project);
    assert_eq!(inds.len(), 7);
    assert_eq!(
        inds[1][..2],
        ["产出指标".to_string(), "数量指标".to_string()]
    );
    assert_eq!(
        inds[4][..2],
        ["产出指标".to_string(), "成本指标".to_string()]
    );
    assert_eq!(inds[6][3], "≥90%");
}

#[test]
fn two_project_tables_with_title_paragraphs() {
    let doc = golden_fixture("fixtures/docx/two-projects.docx");
    let projects = doc["projects"].as_array().unwrap();
    let names: Vec<&str> = projects
        .iter()
        .map(|p| p["project_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["农村公路养护项目", "义务教育学生营养改善计划"]);
    assert!(projects.iter().all(|p| p["year"] == 2022));
    assert_eq!(indicators(&projects[1]).len(), 6);
    assert_eq!(
        projects[1]["indicators"][0]["location"]["cell"],
        "表2 第5行第1列"
    );
}

#[test]
fn tracked_changes_are_read_as_accepted() {
    let doc = golden_fixture("fixtures/docx/tracked-changes.docx");
    assert!(codes(&doc).contains(&"I335".to_string()));
    let inds = indicators(&doc["projects"][0]);
    assert_eq!(
        inds[0][2..],
        ["日常养护里程".to_string(), "≥356公里".to_string()]
    );
    assert_eq!(inds[2][3], "≥85%");
    assert_eq!(inds[5][2], "群众出行条件");
    let text = doc.to_string();
    for deleted in ["300", "≥80%", "已移走", "此稿作废"] {
        assert!(!text.contains(deleted), "{deleted} was deleted");
    }
}

#[test]
fn nested_table_is_read_on_its_own() {
    let doc = golden_fixture("fixtures/docx/nested.docx");
    assert!(codes(&doc).contains(&"I330".to_string()));
    let projects = doc["projects"].as_array().unwrap();
    assert_eq!(projects.len(), 1);
    assert_eq!(projects[0]["project_name"], "义务教育学生营养改善计划");
    assert_eq!(indicators(&projects[0]).len(), 6);
}

#[test]
fn hidden_text_is_left_out_and_content_controls_read() {
    let doc = golden_fixture("fixtures/docx/hidden-controls.docx");
    assert!(codes(&doc).contains(&"I336".to_string()));
    let inds = indicators(&doc["projects"][0]);
    assert_eq!(inds[0][3], "=5600人");
    assert_eq!(inds[1][3], "=100%");
    assert_eq!(
        inds[2][2..],
        ["补助资金发放及时率".to_string(), "≥95%".to_string()]
    );
    assert_eq!(inds[4][2], "学生营养状况");
    let text = doc.to_string();
    for hidden in ["去年", "待核实", "填表说明"] {
        assert!(!text.contains(hidden), "{hidden} is hidden");
    }
}

#[test]
fn bad_word_inputs_exit_1_with_what_to_do() {
    for (rel, words) in [
        ("fixtures/docx/bad/truncated.docx", "损坏"),
        ("fixtures/docx/bad/no-table.docx", "没有表格"),
        ("fixtures/docx/bad/legacy.doc", "Word 97–2003"),
        ("fixtures/docx/bad/legacy.wps", "WPS"),
    ] {
        let (_, stderr, code) = convert(rel);
        assert_eq!(code, Some(1), "{rel}: {stderr}");
        assert!(stderr.contains(rel), "{rel}: {stderr}");
        assert!(stderr.contains(words), "{rel}: {stderr}");
        assert!(!stderr.contains("panicked"), "{rel}: {stderr}");
        if rel.contains("legacy") || rel.contains("truncated") {
            assert!(stderr.contains("另存为 .docx"), "{rel}: {stderr}");
        }
    }
}

#[test]
fn batch_takes_docx() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("教育局")).unwrap();
    std::fs::copy(
        "fixtures/docx/two-projects.docx",
        input.join("教育局/目标表.docx"),
    )
    .unwrap();
    let output = dir.path().join("out");
    let out = jixiao()
        .args(["batch"])
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let report: Json =
        serde_json::from_str(&std::fs::read_to_string(output.join("report.json")).unwrap())
            .unwrap();
    let entry = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"] == "教育局/目标表.docx")
        .expect("the .docx is in the report");
    assert!(
        matches!(entry["status"].as_str(), Some("ok" | "warnings")),
        "{entry}"
    );
}

#[test]
fn a_wps_et_that_is_an_xls_is_read_as_one() {
    let dir = tempfile::tempdir().unwrap();
    let et = dir.path().join("目标表.et");
    std::fs::copy("fixtures/excel/heshuo-2022.xls", &et).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let options = jixiao::Options::default();
    let from_et = jixiao::load("目标表.et", &std::fs::read(&et).unwrap(), &options).unwrap();
    let xls = std::fs::read(root.join("fixtures/excel/heshuo-2022.xls")).unwrap();
    let from_xls = jixiao::load("目标表.xls", &xls, &options).unwrap();
    assert_eq!(from_et.projects.len(), 5);
    let strip = |doc: &jixiao::model::Document| {
        let mut v: Json = serde_json::from_str(&jixiao_json::to_string(doc)).unwrap();
        v["diagnostics"] = Json::Array(Vec::new());
        without_locations(&mut v);
        v
    };
    assert_eq!(strip(&from_et), strip(&from_xls));
}

#[test]
fn a_self_evaluation_typed_in_word_is_read_whole() {
    let doc = golden_fixture("fixtures/docx/self-evaluation.docx");
    let p = &doc["projects"][0];
    assert_eq!(p["kind"], "self_evaluation");
    assert_eq!(p["implementing_unit"], "示例县公路养护站");
    assert_eq!(p["funds"]["total"].to_string(), "120.5");
    let se = &p["self_evaluation"];
    assert_eq!(se["funds_total"]["executed"].to_string(), "118.09");
    assert_eq!(se["funds_total"]["rate"].to_string(), "98");
    assert_eq!(
        se["goal_achieved"],
        "完成日常养护里程350公里，农村公路安全畅通。"
    );
    assert_eq!(se["total_score"].to_string(), "97.8");
    assert_eq!(se["grade"], "优");
    let inds = p["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 7);
    assert_eq!(inds[1]["level2"], "数量指标"); // merged down in Word
    assert_eq!(inds[0]["evaluation"]["actual"]["raw"], "350公里");
    assert_eq!(
        inds[0]["evaluation"]["deviation"],
        "6公里路段因汛期水毁改为次年修复"
    );
    // Consistent throughout: not one diagnostic.
    assert_eq!(doc["diagnostics"], serde_json::json!([]), "{doc:#}");
}
