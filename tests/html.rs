//! End-to-end tests of the HTML reader: HTML pages and Markdown with embedded `<table>` blocks,
//! each fixture in `fixtures/html/` against its golden JSON (`JIXIAO_BLESS=1` rewrites them).

mod common;

use common::{codes, golden, is_review, jixiao, without_locations};
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
    let expected = format!("{}.expected.json", path.rsplit_once('.').unwrap().0);
    golden(&expected, &stdout);
    serde_json::from_str(&stdout).expect("JSON output")
}

#[test]
fn html_seed_gives_the_same_document_as_the_markdown_seed() {
    let mut html = golden_fixture("fixtures/html/heshuo-2022.html");
    let (md, _, code) = convert("fixtures/heshuo-2022.md");
    assert_eq!(code, Some(0));
    let mut md: Json = serde_json::from_str(&md).unwrap();
    // The Markdown is OCR output and needs two repairs (a row shifted left, a merged label on
    // the second row of its group); the HTML has real merged cells and needs none.
    let reading = |doc: &Json| {
        codes(doc)
            .into_iter()
            .filter(|c| !is_review(c))
            .collect::<Vec<_>>()
    };
    let review = |doc: &Json| {
        codes(doc)
            .into_iter()
            .filter(|c| is_review(c))
            .collect::<Vec<_>>()
    };
    assert_eq!(reading(&md), ["R101", "R102"]);
    assert_eq!(reading(&html), Vec::<String>::new());
    // The review finds the same problems in both.
    assert_eq!(review(&html), review(&md));
    assert!(!review(&md).is_empty());
    md["diagnostics"] = Json::Array(Vec::new());
    html["diagnostics"] = Json::Array(Vec::new());
    without_locations(&mut md);
    without_locations(&mut html);
    assert_eq!(html, md);
    assert_eq!(html["projects"].as_array().unwrap().len(), 5);
}

#[test]
fn html_seed_locations_point_at_the_cells() {
    let html = golden_fixture("fixtures/html/heshuo-2022.html");
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/html/heshuo-2022.html"
    ))
    .unwrap();
    let lines: Vec<&str> = source.lines().collect();
    for project in html["projects"].as_array().unwrap() {
        for ind in project["indicators"].as_array().unwrap() {
            let loc = &ind["location"];
            let (line, column) = (
                loc["line"].as_u64().unwrap() as usize,
                loc["column"].as_u64().unwrap() as usize,
            );
            let at: String = lines[line - 1].chars().skip(column - 1).collect();
            assert!(at.starts_with("<td"), "{loc} points at {at:?}");
            let row: String = lines[line - 1].to_string();
            assert!(
                row.contains(ind["level3"].as_str().unwrap()),
                "{loc} is not the row of {}",
                ind["level3"]
            );
        }
    }
}

#[test]
fn gb2312_page_with_meta_charset() {
    let raw = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/html/gb2312-meta.html"
    ))
    .unwrap();
    assert!(
        std::str::from_utf8(&raw).is_err(),
        "the fixture must really be GB2312"
    );
    let doc = golden_fixture("fixtures/html/gb2312-meta.html");
    assert_eq!(codes(&doc), ["I303"]);
    let project = &doc["projects"][0];
    assert_eq!(project["project_name"], "农村低保");
    assert_eq!(project["indicators"][2]["level2"], "质量指标");
    assert_eq!(project["indicators"][2]["value"]["raw"], "=100%");
}

#[test]
fn two_tables_and_a_nested_one() {
    let doc = golden_fixture("fixtures/html/two-tables-nested.html");
    assert_eq!(doc["summary"]["rows"].as_array().unwrap().len(), 5);
    let project = &doc["projects"][0];
    assert_eq!(project["project_name"], "城市低保");
    assert_eq!(project["indicators"].as_array().unwrap().len(), 9);
    let diags = codes(&doc);
    assert!(diags.contains(&"I323".to_string()), "{diags:?}");
    // Text around the tables is kept and reported, never dropped.
    let messages = doc["diagnostics"].to_string();
    assert!(
        messages.contains("填报人：李明  联系电话：0996-1234567"),
        "{messages}"
    );
}

#[test]
fn mineru_markdown_with_an_embedded_table() {
    let doc = golden_fixture("fixtures/html/mineru-embedded.md");
    let project = &doc["projects"][0];
    assert_eq!(project["project_name"], "城乡居民医疗保险县级配套");
    assert_eq!(project["funds"]["total"].to_string(), "707.4");
    let inds = project["indicators"].as_array().unwrap();
    assert_eq!(inds.len(), 7);
    assert_eq!(inds[4]["value"]["raw"], "<=180元");
    // Every cell is on the table's one long line, at its own column.
    let columns: Vec<u64> = inds
        .iter()
        .map(|i| {
            assert_eq!(i["location"]["line"], 5);
            i["location"]["column"].as_u64().unwrap()
        })
        .collect();
    assert!(
        columns.windows(2).all(|w| w[0] < w[1]) && columns[0] > 100,
        "{columns:?}"
    );
}

#[test]
fn malformed_spans_are_read_and_reported() {
    let doc = golden_fixture("fixtures/html/malformed-spans.html");
    let diags = codes(&doc);
    assert_eq!(diags[..3], ["I320", "I320", "I321"], "{diags:?}");
    let project = &doc["projects"][0];
    assert_eq!(project["budget_unit"], "和硕县民政局");
    let levels: Vec<(&str, &str)> = project["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["level1"].as_str().unwrap(), i["level2"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("产出指标", "数量指标"),
            ("产出指标", "数量指标"),
            ("产出指标", "时效指标"),
            ("产出指标", "成本指标")
        ]
    );
}

#[test]
fn bad_html_inputs_fail_with_clear_messages() {
    for (path, needle) in [
        ("fixtures/html/bad/empty.html", "文件为空"),
        ("fixtures/html/bad/no-table.html", "I325"),
        ("fixtures/html/bad/empty-tables.html", "I324"),
    ] {
        let (stdout, stderr, code) = convert(path);
        assert_eq!(code, Some(1), "{path}: {stderr}");
        assert!(
            stderr.contains(path) && stderr.contains(needle),
            "{path}: {stderr}"
        );
        assert!(stdout.is_empty(), "{path}: nothing to write, got {stdout}");
    }
    let (_, stderr, _) = convert("fixtures/html/bad/no-table.html");
    assert!(stderr.contains("R100"), "{stderr}");
}

#[test]
fn html_is_detected_by_content_not_by_name() {
    let dir = std::env::temp_dir().join(format!("jixiao-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let page = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/html/gb2312-meta.html"
    ))
    .unwrap();
    let renamed = dir.join("农村低保.txt");
    std::fs::write(&renamed, &page).unwrap();
    let (stdout, stderr, code) = convert(renamed.to_str().unwrap());
    assert_eq!(code, Some(0), "{stderr}");
    let doc: Json = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["projects"][0]["project_name"], "农村低保");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_standard_self_evaluation_page_is_read_whole() {
    let doc = golden_fixture("fixtures/html/ziping-standard.html");
    let p = &doc["projects"][0];
    assert_eq!(p["kind"], "self_evaluation");
    assert_eq!(p["implementing_unit"], "石湾县农村供水站");
    // The project's amounts are the 全年预算数 (年度资金总额 85 = 财政拨款 80 + 上年结转 5:
    // no C201), the 年初预算数 stays in the funds block.
    assert_eq!(p["funds"]["total"].to_string(), "85.00");
    assert!(
        doc["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["code"] != "C201"),
        "{}",
        doc["diagnostics"]
    );
    assert_eq!(
        p["self_evaluation"]["funds_total"]["initial_budget"].to_string(),
        "80.00"
    );
    assert_eq!(
        p["goal"],
        "维修养护农村供水工程45处，保障3.2万农村人口饮水安全。"
    );
    let se = &p["self_evaluation"];
    assert_eq!(se["funds_total"]["budget"].to_string(), "85.00");
    assert_eq!(se["funds_total"]["executed"].to_string(), "83.30");
    assert_eq!(se["funds_total"]["rate"].to_string(), "98");
    assert_eq!(se["funds_total"]["score"].to_string(), "9.8");
    assert_eq!(se["funds_fiscal"]["rate"].to_string(), "97.88");
    assert_eq!(se["funds_carryover"]["budget"].to_string(), "5.00");
    assert!(se["funds_carryover"]["initial_budget"].is_null());
    assert_eq!(
        se["goal_achieved"],
        "完成维修养护农村供水工程43处，3.2万农村人口饮水安全得到保障。"
    );
    assert_eq!(se["total_weight"].to_string(), "100");
    assert_eq!(se["total_score"].to_string(), "97.8");
    assert_eq!(se["grade"], "优");
    let first = &p["indicators"][0];
    assert_eq!(first["value"]["raw"], "≥45处");
    assert_eq!(first["evaluation"]["actual"]["raw"], "43处");
    assert_eq!(first["evaluation"]["actual"]["number"].to_string(), "43");
    assert_eq!(first["evaluation"]["weight"].to_string(), "20");
    assert_eq!(first["evaluation"]["score"].to_string(), "18");
    assert_eq!(first["evaluation"]["deviation"], "2处工程因汛期顺延至次年");
    let codes: Vec<String> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    // Everything on the page was placed; what was filled right is not flagged.
    for code in [
        "R108", "R118", "R121", "C240", "C241", "C242", "C243", "C244", "C245",
    ] {
        assert!(!codes.contains(&code.to_string()), "{code}: {codes:?}");
    }
    // 十年以上 is no number to hold against ≥10年.
    assert!(codes.contains(&"C247".to_string()), "{codes:?}");
}
