//! End-to-end tests of the table kinds and published-table shapes the recognizer reads:
//! each fixture in `fixtures/kinds/` (invented content) against its golden JSON
//! (`JIXIAO_BLESS=1` rewrites them), with the facts that matter asserted on their own.

mod common;

use common::{codes, golden, is_recognize, jixiao};
use serde_json::Value as Json;

fn convert(path: &str) -> (String, String, Option<i32>) {
    let out = jixiao()
        .args(["convert", path, "-o", "-"])
        .output()
        .expect("run jixiao");
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    let stderr = String::from_utf8(out.stderr).expect("utf-8 messages");
    (stdout, stderr, out.status.code())
}

/// Converts a fixture that must convert, and checks its golden JSON.
fn golden_fixture(path: &str) -> Json {
    let (stdout, stderr, code) = convert(path);
    assert_eq!(code, Some(0), "{path}: {stderr}");
    golden(&format!("{path}.expected.json"), &stdout);
    serde_json::from_str(&stdout).expect("JSON output")
}

/// (level1, level2, level3, value.raw) of every indicator of project `p`.
fn rows(doc: &Json, p: usize, key: &str) -> Vec<[String; 4]> {
    doc["projects"][p][key]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| {
                    [
                        i["level1"].as_str().unwrap().to_string(),
                        i["level2"].as_str().unwrap().to_string(),
                        i["level3"].as_str().unwrap().to_string(),
                        i["value"]["raw"].as_str().unwrap().to_string(),
                    ]
                })
                .collect()
        })
        .unwrap_or_default()
}

fn row(l1: &str, l2: &str, l3: &str, v: &str) -> [String; 4] {
    [l1.into(), l2.into(), l3.into(), v.into()]
}

#[test]
fn approval_table_records_its_kind() {
    let doc = golden_fixture("fixtures/kinds/approval.md");
    let p = &doc["projects"][0];
    assert_eq!(p["kind"], "approval");
    assert_eq!(p["project_name"], "乡村医生定额补助");
    assert_eq!(rows(&doc, 0, "indicators").len(), 7);
}

#[test]
fn legacy_vocabulary_is_kept_as_written_and_fills_blank_labels() {
    let doc = golden_fixture("fixtures/kinds/legacy-vocabulary.md");
    let r = rows(&doc, 0, "indicators");
    assert_eq!(r.len(), 9);
    assert_eq!(
        r[1],
        row(
            "预期产出指标",
            "数量指标（或建筑规模指标）",
            "更换站牌数量",
            "≥40块"
        )
    );
    assert_eq!(r[3][1], "时效指标（工期指标、形象进度指标）");
    assert_eq!(r[4][1], "预算（或投资规模）控制指标");
    assert_eq!(
        r[6],
        row(
            "效果指标",
            "社会、经济、生态效益指标",
            "群众候车条件",
            "明显改善"
        )
    );
    assert_eq!(r[8][1], "社会公众或服务对象满意度指标");
    // Legacy names are no error for the recognizer.
    assert!(!codes(&doc).iter().any(|c| is_recognize(c) && c != "R118"));
}

#[test]
fn rows_that_lost_one_two_or_three_leading_cells_are_realigned() {
    let doc = golden_fixture("fixtures/kinds/shifted-rows.md");
    let r = rows(&doc, 0, "indicators");
    assert_eq!(
        r,
        [
            row("产出指标", "数量指标", "维修渠系长度", "≥26公里"),
            row("产出指标", "数量指标", "恢复灌溉面积", "≥1.8万亩"),
            row("产出指标", "质量指标", "工程验收合格率", "=100%"),
            row("产出指标", "时效指标", "工程完工时间", "2024年10月底前"),
            row("产出指标", "成本指标", "每公里维修成本", "≤4.6万元"),
            row("效益指标", "经济效益指标", "亩均节水增收", "≥35元"),
            row("效益指标", "社会效益指标", "受益农户数", "≥2600户"),
            row("满意度指标", "服务对象满意度指标", "受益农户满意度", "≥90%"),
        ]
    );
    assert_eq!(codes(&doc).iter().filter(|c| *c == "R101").count(), 8);
}

#[test]
fn template_residue_is_kept_and_a_value_after_a_second_colon_is_read() {
    let doc = golden_fixture("fixtures/kinds/residue-second-colon.md");
    let p = &doc["projects"][0];
    assert_eq!(p["funds"]["total"].to_string(), "93.60");
    assert_eq!(p["funds"]["fiscal"].to_string(), "93.60");
    assert_eq!(p["funds"]["other"].to_string(), "0");
    let r = rows(&doc, 0, "indicators");
    assert_eq!(r[0][2], "指标1:补贴发放人数");
    assert_eq!(r[1][2], "指标2:月人均补贴标准(≤XX元)");
    // The amounts were read, so the review has nothing false to say about their sum.
    assert!(!codes(&doc).contains(&"C201".to_string()));
}

#[test]
fn self_evaluation_reads_the_annual_target_and_keeps_the_scores() {
    let doc = golden_fixture("fixtures/kinds/self-evaluation.md");
    let p = &doc["projects"][0];
    assert_eq!(p["kind"], "self_evaluation");
    let r = rows(&doc, 0, "indicators");
    assert_eq!(r.len(), 6);
    assert_eq!(
        r[0],
        row("产出指标", "数量指标", "开发公益性岗位数", "≥220个")
    );
    assert_eq!(r[2][3], "每月15日前");
    assert!(r.iter().all(|i| i[2] != "预算执行率" && i[0] != "总分"));
    // The score rows are the project's 自评, not indicators and not dropped.
    assert!(!codes(&doc).iter().any(|c| c == "R121" || c == "R118"));
    let e = &p["indicators"][0]["evaluation"];
    assert_eq!(e["actual"]["raw"], "226个");
    assert_eq!(e["weight"].to_string(), "20");
    assert_eq!(e["score"].to_string(), "20");
    let se = &p["self_evaluation"];
    assert_eq!(se["execution"]["name"], "预算执行率");
    assert_eq!(se["execution"]["value"]["raw"], "100%");
    assert_eq!(se["execution"]["evaluation"]["actual"]["raw"], "96.5%");
    assert_eq!(se["execution"]["evaluation"]["score"].to_string(), "9.65");
    assert_eq!(
        se["execution"]["evaluation"]["deviation"],
        "年底岗位补贴尚未结算"
    );
    assert_eq!(se["total_weight"].to_string(), "100");
    assert_eq!(se["total_score"].to_string(), "98.65");
    // The invented table's 分值 add up to 90 and its 得分 to 88.65: the review says so.
    assert!(codes(&doc).contains(&"C240".to_string()));
    assert!(codes(&doc).contains(&"C244".to_string()));
}

#[test]
fn sign_and_unit_columns_give_op_and_unit_and_score_columns_are_not_values() {
    let doc = golden_fixture("fixtures/kinds/sign-unit-score.md");
    let inds = doc["projects"][0]["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 7);
    assert_eq!(inds[0]["value"]["raw"], "≧62座");
    assert_eq!(inds[0]["value"]["op"], ">=");
    assert_eq!(inds[0]["value"]["unit"], "座");
    assert_eq!(inds[2]["value"]["op"], "=");
    assert_eq!(inds[3]["value"]["op"], "<=");
    assert_eq!(inds[4]["value"]["raw"], "明显改善");
    assert!(inds[4]["value"]["op"].is_null());
    let json = doc.to_string();
    assert!(!json.contains("\"raw\":\"15\"") && !json.contains("按保洁台账\""));
}

#[test]
fn department_table_reads_the_department_and_its_two_kinds_of_spending() {
    let doc = golden_fixture("fixtures/kinds/department.md");
    let p = &doc["projects"][0];
    assert_eq!(p["kind"], "department");
    assert_eq!(p["budget_unit"], "丰湖县文化馆");
    assert_eq!(p["funds"]["total"].to_string(), "215.30");
    assert_eq!(p["department_funds"]["basic"].to_string(), "168.10");
    assert_eq!(p["department_funds"]["project"].to_string(), "47.20");
    assert_eq!(rows(&doc, 0, "indicators").len(), 7);
}

#[test]
fn letter_spaced_labels_lose_their_spaces_and_score_bands() {
    let doc = golden_fixture("fixtures/kinds/score-bands.html");
    assert_eq!(doc["projects"][0]["kind"], "approval");
    let r = rows(&doc, 0, "indicators");
    let l1: Vec<&str> = r.iter().map(|i| i[0].as_str()).collect();
    assert_eq!(
        l1,
        [
            "成本指标",
            "成本指标",
            "产出指标",
            "产出指标",
            "效益指标",
            "效益指标",
            "满意度指标"
        ]
    );
    assert_eq!(r[0][2], "指标1:吨垃圾收运处置成本(≤**元)");
    assert_eq!(r[4][1], "生态效益指标");
    assert_eq!(r[5][1], "社会效益指标");
    assert_eq!(r[0][3], "≤260元");
}

#[test]
fn midterm_and_annual_text_blocks_are_told_apart_by_their_labels() {
    let doc = golden_fixture("fixtures/kinds/midterm-annual.md");
    let p = &doc["projects"][0];
    assert_eq!(p["funds"]["total"].to_string(), "180.00");
    assert_eq!(p["midterm_funds"]["total"].to_string(), "540.00");
    assert_eq!(p["goal"], "2024年养护林区道路50公里。");
    let annual = rows(&doc, 0, "indicators");
    assert_eq!(
        annual,
        [
            row("产出指标", "数量指标", "养护林区道路里程", "≥50公里"),
            row("产出指标", "数量指标", "维修涵洞数量", "≥12座"),
            row("产出指标", "质量指标", "养护路段通行合格率", "≥92%"),
            row("产出指标", "成本指标", "每公里养护成本", "≤3.6万元"),
            row("效益指标", "社会效益指标", "护林防火通道通达率", "≥96%"),
            row("满意度指标", "服务对象满意度指标", "林区群众满意度", "≥90%"),
        ]
    );
    let mid = rows(&doc, 0, "midterm_indicators");
    assert_eq!(mid[1], row("产出指标", "数量指标", "维修涵洞数量", "≥36座"));
}

#[test]
fn midterm_and_annual_workbook_columns_give_the_annual_amounts_and_values() {
    // (Its golden JSON is checked with the other workbooks' in tests/excel.rs.)
    let (stdout, stderr, code) = convert("fixtures/excel/midterm-columns.xlsx");
    assert_eq!(code, Some(0), "{stderr}");
    let doc: Json = serde_json::from_str(&stdout).unwrap();
    let p = &doc["projects"][0];
    assert_eq!(p["funds"]["total"].to_string(), "216.00");
    assert_eq!(p["funds"]["fiscal"].to_string(), "200.00");
    assert_eq!(p["funds"]["other"].to_string(), "16.00");
    assert_eq!(p["midterm_funds"]["total"].to_string(), "648.00");
    assert_eq!(p["goal"], "2025年清淤整治山洪沟道12公里。");
    let r = rows(&doc, 0, "indicators");
    let values: Vec<&str> = r.iter().map(|i| i[3].as_str()).collect();
    assert_eq!(
        values,
        [
            "≥12公里",
            "=100%",
            "2025年5月底前",
            "≤18万元",
            "≥3000人",
            "≥90%"
        ]
    );
    let mid = rows(&doc, 0, "midterm_indicators");
    let values: Vec<&str> = mid.iter().map(|i| i[3].as_str()).collect();
    assert_eq!(
        values,
        [
            "≥36公里",
            "=100%",
            "2027年汛期前",
            "≤18万元",
            "≥9000人",
            "≥85%"
        ]
    );
    // Nothing of the annual column is dropped as unplaced text.
    let json = doc.to_string();
    assert!(!json.contains("216.00”") && !codes(&doc).contains(&"C201".to_string()));
}

#[test]
fn blank_template_with_group_names_is_an_error_not_empty_indicators() {
    let text = "项目支出绩效目标表\n\n\
                预算单位\t\t项目名称\t\n\
                项目资金（万元）\t年度资金总额\t\t\n\
                一级指标\t二级指标\t三级指标\t指标值\n\
                产出指标\t数量指标\t\t\n\
                \t质量指标\t\t\n\
                效益指标\t社会效益指标\t\t\n\
                满意度指标\t服务对象满意度指标\t\t\n\
                \t\t\t\n";
    let doc = jixiao::read("blank.md", text.as_bytes(), &jixiao::Options::default()).unwrap();
    assert!(jixiao::failed(&doc), "{:?}", doc.diagnostics);
    assert!(doc.projects.iter().all(|p| p.indicators.is_empty()));
    assert!(doc.diagnostics.iter().any(|d| d.code == "R114"));
}

#[test]
fn blank_template_with_a_name_keeps_the_name_but_fails() {
    let text = "预算单位\t某县某局\t项目名称\t示例项目\n\
                一级指标\t二级指标\t三级指标\t指标值\n\
                产出指标\t数量指标\t\t\n\
                \t\t\t\n";
    let doc = jixiao::read("named.md", text.as_bytes(), &jixiao::Options::default()).unwrap();
    assert!(jixiao::failed(&doc));
    assert_eq!(doc.projects.len(), 1);
    assert!(doc.projects[0].indicators.is_empty());
}

#[test]
fn a_document_without_project_name_or_indicators_fails_and_is_not_written() {
    for text in [
        "预算单位\t某县某局\n项目资金（万元）\t年度资金总额\t12.00\n",
        "项目名称\t|\n预算单位\t某县某局\n",
    ] {
        let doc = jixiao::read("empty.md", text.as_bytes(), &jixiao::Options::default()).unwrap();
        assert!(jixiao::failed(&doc), "{text}: {:?}", doc.diagnostics);
        assert!(doc.projects.is_empty(), "{text}");
        assert!(doc.diagnostics.iter().any(|d| d.code == "R123"));
    }
    let dir = std::env::temp_dir().join(format!("jixiao-kinds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = dir.join("空.md");
    std::fs::write(
        &input,
        "预算单位\t某县某局\n项目资金（万元）\t年度资金总额\t12.00\n",
    )
    .unwrap();
    let out = jixiao()
        .args(["convert", input.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    assert_ne!(out.status.code(), Some(0));
    std::fs::remove_dir_all(&dir).ok();
}
