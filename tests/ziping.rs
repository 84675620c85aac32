//! The year-end round trip: targets → `jixiao ziping` (the 自评表 pre-filled, blanks unlocked on
//! a protected sheet) → filled in by this test, cell by cell in the workbook's XML as a
//! department's spreadsheet program would → read back: the same targets, the actuals and
//! scores filled, and the review flagging what was filled wrong on purpose.

mod common;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use common::{codes, jixiao, load};
use std::io::{Cursor, Read, Write};

const TARGETS: &str = "fixtures/ziping/targets.md";

/// (level1, level2, level3, value.raw) of every indicator.
fn targets(doc: &jixiao::model::Document) -> Vec<[String; 4]> {
    doc.projects[0]
        .indicators
        .iter()
        .map(|i| {
            [
                i.level1.clone(),
                i.level2.clone(),
                i.level3.clone(),
                i.value.raw.clone(),
            ]
        })
        .collect()
}

/// The cell reference of a 0-based (row, column): (11, 5) → `F12`.
fn cell_ref(row: u32, col: u32) -> String {
    format!("{}{}", char::from(b'A' + col as u8), row + 1)
}

/// Writes `value` into the blank cell `reference` of a worksheet's XML, keeping its style
/// (and so its unlocked protection): a number when it reads as one, else an inline string.
fn fill(xml: &mut String, reference: &str, value: &str) {
    let open = format!("<c r=\"{reference}\"");
    let start = xml
        .find(&open)
        .unwrap_or_else(|| panic!("no cell {reference}"));
    let end = start + xml[start..].find("/>").expect("a blank cell") + 2;
    let element = &xml[start..end];
    assert!(
        !element.contains('>') || element.ends_with("/>"),
        "{element}"
    );
    let style = element
        .split("s=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a styled cell");
    let cell = if value.parse::<f64>().is_ok() {
        format!("<c r=\"{reference}\" s=\"{style}\"><v>{value}</v></c>")
    } else {
        format!("<c r=\"{reference}\" s=\"{style}\" t=\"inlineStr\"><is><t>{value}</t></is></c>")
    };
    xml.replace_range(start..end, &cell);
}

/// The workbook with `edit` applied to the XML of its first worksheet.
fn edit_first_sheet(xlsx: &[u8], edit: impl FnOnce(&mut String)) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut edit = Some(edit);
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(data).unwrap();
            (edit.take().unwrap())(&mut xml);
            data = xml.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    assert!(edit.is_none(), "no first worksheet");
    out.finish().unwrap().into_inner()
}

/// Where the text `text` stands on the first sheet: (row, column), 0-based.
fn find(cells: &[(u32, u32, String)], text: &str) -> (u32, u32) {
    cells
        .iter()
        .find(|(_, _, t)| t == text)
        .map(|(r, c, _)| (*r, *c))
        .unwrap_or_else(|| panic!("“{text}” not on the form"))
}

#[test]
fn targets_become_a_prefilled_form_that_reads_back_whole_and_is_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("自评表.xlsx");
    jixiao()
        .args(["ziping", TARGETS, "-o"])
        .arg(&blank)
        .assert()
        .success();
    let bytes = std::fs::read(&blank).unwrap();

    // The form: targets written, the sheet protected, the blanks unlocked.
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    let (r0, c0) = range.start().unwrap();
    let cells: Vec<(u32, u32, String)> = range
        .cells()
        .filter_map(|(r, c, d)| match d {
            Data::String(s) => Some((r as u32 + r0, c as u32 + c0, s.clone())),
            Data::Float(f) => Some((r as u32 + r0, c as u32 + c0, f.to_string())),
            _ => None,
        })
        .collect();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("项目支出绩效自评表".into()))
    );
    let xml = {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        let mut s = String::new();
        archive
            .by_name("xl/worksheets/sheet1.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert!(xml.contains("<sheetProtection"), "the sheet is protected");
    let styles = {
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes.as_slice())).unwrap();
        let mut s = String::new();
        archive
            .by_name("xl/styles.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    assert!(styles.contains("locked=\"0\""), "some cells are unlocked");
    let (goal_row, _) = find(
        &cells,
        "开发城乡公益性岗位220个，按月发放岗位补贴，帮扶就业困难人员就业。",
    );
    let (budget_row, _) = find(&cells, "年度资金总额");
    assert!(
        cells.contains(&(budget_row, 4, "158".into())),
        "年初预算数 filled"
    );

    // Filled in by the department — with mistakes, on purpose.
    let row = |name: &str| find(&cells, name).0;
    let (fiscal_row, _) = find(&cells, "其中：当年财政拨款");
    let (total_row, _) = find(&cells, "总分");
    let filled = edit_first_sheet(&bytes, |xml| {
        let mut put = |r: u32, c: u32, v: &str| fill(xml, &cell_ref(r, c), v);
        // 年度资金总额: 全年预算数, 全年执行数, 分值, 执行率, 得分.
        for (c, v) in [
            (5, "158.00"),
            (6, "150.10"),
            (7, "10"),
            (8, "95%"),
            (9, "9.5"),
        ] {
            put(budget_row, c, v);
        }
        for (c, v) in [(5, "158.00"), (6, "150.10"), (8, "95%")] {
            put(fiscal_row, c, v);
        }
        put(goal_row, 5, "开发岗位200个，按月发放补贴。");
        // 实际完成值, 分值, 得分, 偏差原因 of each indicator.
        let indicators = [
            // Missed its target, yet full marks and no reason: C246.
            ("开发公益性岗位数", "200个", "20", "20", ""),
            // 得分 over 分值: C242.
            ("岗位人员在岗率", "97%", "10", "12", ""),
            ("补贴按月发放", "每月15日前", "10", "10", ""),
            ("月人均岗位补贴", "1800元", "10", "10", ""),
            (
                "就业困难人员稳定就业",
                "有效促进",
                "30",
                "28",
                "部分人员中途离岗",
            ),
            // A count where a percentage was asked for: C247.
            ("上岗人员满意度", "94人", "10", "10", ""),
        ];
        for (name, actual, weight, score, deviation) in indicators {
            let r = row(name);
            put(r, 5, actual);
            put(r, 6, weight);
            put(r, 7, score);
            if !deviation.is_empty() {
                put(r, 8, deviation);
            }
        }
        // 总分 99 where the scores add up to 99.5 (C244), and 良 for 99 (C245).
        put(total_row, 6, "100");
        put(total_row, 7, "99");
        put(total_row, 9, "良");
    });
    let path = dir.path().join("已填写.xlsx");
    std::fs::write(&path, &filled).unwrap();

    // Read back: the same targets, and the 自评.
    let original = load(TARGETS, &std::fs::read(TARGETS).unwrap());
    let back = load("已填写.xlsx", &filled);
    assert_eq!(targets(&back), targets(&original));
    let p = &back.projects[0];
    assert_eq!(p.kind, Some(jixiao::model::TableKind::SelfEvaluation));
    assert_eq!(p.project_name, original.projects[0].project_name);
    assert_eq!(p.budget_unit, original.projects[0].budget_unit);
    assert_eq!(p.goal, original.projects[0].goal);
    assert_eq!(p.year, Some(2024));
    // The project's amount is the 全年预算数 the department wrote (158, as a number cell).
    assert_eq!(
        p.funds.total.map(|d| d.normalize().to_string()),
        Some("158".into())
    );
    let e = p.indicators[0]
        .evaluation
        .as_ref()
        .expect("evaluation read");
    assert_eq!(e.actual.as_ref().map(|a| a.raw.as_str()), Some("200个"));
    assert_eq!(e.weight.map(|d| d.to_string()), Some("20".into()));
    assert_eq!(e.score.map(|d| d.to_string()), Some("20".into()));
    assert_eq!(e.deviation, None);
    let e = p.indicators[4].evaluation.as_ref().unwrap();
    assert_eq!(e.deviation.as_deref(), Some("部分人员中途离岗"));
    let se = p.self_evaluation.as_ref().expect("self-evaluation read");
    let line = se.funds_total.as_ref().unwrap();
    assert_eq!(
        line.initial_budget.map(|d| d.to_string()),
        Some("158.00".into())
    );
    assert_eq!(line.executed.map(|d| d.to_string()), Some("150.1".into()));
    assert_eq!(line.rate.map(|d| d.to_string()), Some("95".into()));
    assert_eq!(line.score.map(|d| d.to_string()), Some("9.5".into()));
    assert_eq!(se.goal_expected.as_deref(), Some(p.goal.as_str()));
    assert_eq!(
        se.goal_achieved.as_deref(),
        Some("开发岗位200个，按月发放补贴。")
    );
    assert_eq!(se.total_score.map(|d| d.to_string()), Some("99".into()));
    assert_eq!(se.grade.as_deref(), Some("良"));

    // The review flags each mistake, at its row.
    let json: serde_json::Value = serde_json::to_value(&back).unwrap();
    let found = codes(&json);
    let at = |code: &str| -> Vec<&jixiao::model::Diagnostic> {
        back.diagnostics.iter().filter(|d| d.code == code).collect()
    };
    for code in ["C242", "C244", "C245", "C246", "C247"] {
        assert!(found.iter().any(|c| c == code), "{code} missing: {found:?}");
    }
    assert!(at("C246")[0].message.contains("开发公益性岗位数"));
    assert_eq!(at("C246")[0].location, p.indicators[0].location);
    assert!(at("C242")[0].message.contains("岗位人员在岗率"));
    assert!(at("C247")[0].message.contains("上岗人员满意度"));
    assert!(
        at("C244")[0].message.contains("99.5"),
        "{}",
        at("C244")[0].message
    );
    assert!(at("C245")[0].message.contains("应为“优”"));
    // What was filled right is not flagged: 分值 add up to 100, the 执行率 and its 得分 agree.
    for code in ["C240", "C241", "C243"] {
        assert!(!found.iter().any(|c| c == code), "{code}: {found:?}");
    }
    // Nothing of the form was left unread.
    assert!(
        !found
            .iter()
            .any(|c| c == "R108" || c == "R118" || c == "R121"),
        "{:#?}",
        back.diagnostics
    );
}

#[test]
fn the_output_may_not_overwrite_the_input_and_a_folder_gets_a_named_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("目标.md");
    std::fs::copy(TARGETS, &input).unwrap();
    jixiao()
        .arg("ziping")
        .arg(&input)
        .arg("-o")
        .arg(&input)
        .assert()
        .code(2);
    jixiao()
        .arg("ziping")
        .arg(&input)
        .arg("-o")
        .arg(dir.path())
        .assert()
        .success();
    assert!(dir.path().join("目标-自评表.xlsx").is_file());
}

#[test]
fn a_template_folder_may_change_the_weights_and_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let weights = std::fs::read_to_string("templates/self_evaluation.toml")
        .unwrap()
        .replace("\"产出指标\" = 50", "\"产出指标\" = 40")
        .replace("\"效益指标\" = 30", "\"效益指标\" = 40");
    std::fs::write(dir.path().join("self_evaluation.toml"), weights).unwrap();
    let form = std::fs::read_to_string("templates/ziping.toml")
        .unwrap()
        .replace(
            "title = \"项目支出绩效自评表\"",
            "title = \"项目支出绩效自评表（本县）\"",
        );
    std::fs::write(dir.path().join("ziping.toml"), form).unwrap();

    // The consistent 自评表 of the rule fixtures is clean by the built-in weights …
    let ok = "fixtures/check/C240-ziping-weights-ok.md";
    let out = jixiao().args(["check", ok]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("错误 0 条，警告 0 条"));
    // … and off by the county's own.
    let out = jixiao()
        .args(["check", ok, "--template"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("产出指标分值合计 50 分，按规定应为 40 分"),
        "{text}"
    );

    let xlsx = dir.path().join("自评表.xlsx");
    jixiao()
        .args(["ziping", TARGETS, "-o"])
        .arg(&xlsx)
        .arg("--template")
        .arg(dir.path())
        .assert()
        .success();
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(&xlsx).unwrap())).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("项目支出绩效自评表（本县）".into()))
    );
}
