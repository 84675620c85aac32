//! The written workbook, read back: every cell of the seed against a golden dump, merges,
//! number formats, print settings from the sheet XML, formula-text escaping, sheet-name
//! rules, determinism, and the IR read back against the source.

use calamine::{Data, Reader, Xlsx};
use jixiao_layout::Template;
use jixiao_model::{Decimal, Document, Funds, Indicator, Project, Summary, SummaryRow, Value};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::str::FromStr;

fn root() -> PathBuf {
    jixiao_golden::root()
}

/// The seed's IR as committed (`fixtures/heshuo-2022.expected.json`): the writer is tested on
/// the IR, so a reader or recognizer change does not show up here.
fn seed() -> Document {
    let text = std::fs::read_to_string(root().join("fixtures/heshuo-2022.expected.json")).unwrap();
    jixiao_json::from_str(&text).unwrap()
}

fn write(doc: &Document) -> Vec<u8> {
    jixiao_xlsx::write(doc, Template::standard())
        .unwrap()
        .output
}

fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()
}

/// A part of the zip container, as text.
fn part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn a1(r: u32, c: u32) -> String {
    let mut col = String::new();
    let mut n = c + 1;
    while n > 0 {
        col.insert(0, (b'A' + ((n - 1) % 26) as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{col}{}", r + 1)
}

/// Every sheet: its name, merged ranges, and each non-empty cell as `A1 type value`
/// (`s` text, `n` number with its number format, `f` formula with its stored result).
fn dump(bytes: &[u8]) -> String {
    let mut wb = open(bytes);
    let mut out = String::new();
    for name in wb.sheet_names() {
        out.push_str(&format!("== {name}\n"));
        let mut merges: Vec<_> = wb
            .merge_cells_by_sheet_name(&name)
            .unwrap()
            .iter()
            .map(|d| (d.start, d.end))
            .collect();
        merges.sort();
        let merges: Vec<String> = merges
            .iter()
            .map(|(s, e)| format!("{}:{}", a1(s.0, s.1), a1(e.0, e.1)))
            .collect();
        out.push_str(&format!("merged {}\n", merges.join(" ")));
        let range = wb.worksheet_range(&name).unwrap();
        let formulas = wb.worksheet_formula(&name).unwrap();
        let formats = number_formats(&mut wb, &name);
        let (r0, c0) = range.start().unwrap();
        for (r, row) in range.rows().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r0 + r as u32, c0 + c as u32);
                let fmt = formats.get(&(r, c)).cloned().unwrap_or_default();
                let formula = formulas
                    .get_value((r, c))
                    .filter(|f| !f.is_empty())
                    .cloned();
                let line = match (v, formula) {
                    (v, Some(f)) => format!("f ={f} → {v} [{fmt}]"),
                    (Data::String(s), None) => format!("s {}", s.replace('\n', "⏎")),
                    (Data::Float(x), None) => format!("n {x} [{fmt}]"),
                    (Data::Empty, None) => continue,
                    (other, None) => format!("? {other:?}"),
                };
                out.push_str(&format!("{} {line}\n", a1(r, c)));
            }
        }
    }
    out
}

fn number_formats(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> BTreeMap<(u32, u32), String> {
    let styles = wb.worksheet_style(sheet).unwrap();
    styles
        .cells()
        .filter_map(|(r, c, s)| {
            s.number_format
                .as_ref()
                .map(|n| ((r, c), n.format_code.clone()))
        })
        .collect()
}

#[test]
fn seed_cells_match_the_golden_dump() {
    let written = jixiao_xlsx::write(&seed(), Template::standard()).unwrap();
    assert!(written.diagnostics.is_empty(), "{:?}", written.diagnostics);
    jixiao_golden::check("fixtures/heshuo-2022.xlsx.txt", &dump(&written.output));
}

#[test]
fn seed_has_a_summary_sheet_then_one_sheet_per_project() {
    let doc = seed();
    let wb = open(&write(&doc));
    let mut want = vec!["汇总表".to_string()];
    want.extend(doc.projects.iter().map(|p| p.project_name.clone()));
    assert_eq!(want.len(), 6);
    assert_eq!(wb.sheet_names(), want);
}

#[test]
fn merges_follow_the_form() {
    let doc = seed();
    let mut wb = open(&write(&doc));
    let merges = |wb: &mut Xlsx<_>, sheet: &str| -> Vec<String> {
        let mut m: Vec<_> = wb
            .merge_cells_by_sheet_name(sheet)
            .unwrap()
            .iter()
            .map(|d| (d.start, d.end))
            .collect();
        m.sort();
        m.iter()
            .map(|(s, e)| format!("{}:{}", a1(s.0, s.1), a1(e.0, e.1)))
            .collect()
    };
    // Project 1 (7 indicators: 产出 ×4 with 数量 ×2, 效益 ×2, 满意度 ×1).
    let name = &doc.projects[0].project_name;
    let m = merges(&mut wb, name);
    for want in [
        "A1:G1", "A2:G2", "B3:D3", "F3:G3", "B5:G5", "C6:E6", "F6:G6",
    ] {
        assert!(m.contains(&want.to_string()), "{want} not in {m:?}");
    }
    // Level 1 and level 2 merge vertically over their groups, never across level 1.
    let p = &doc.projects[0];
    let first = 6; // sheet row index of the first indicator
    let mut start = 0;
    for i in 1..=p.indicators.len() {
        if i == p.indicators.len() || p.indicators[i].level1 != p.indicators[start].level1 {
            if i - start > 1 {
                let want = format!(
                    "{}:{}",
                    a1(first + start as u32, 0),
                    a1(first + i as u32 - 1, 0)
                );
                assert!(m.contains(&want), "level-1 merge {want} not in {m:?}");
            }
            start = i;
        }
    }
    // Summary: the title (over the 备注 column too: the seed's summary gives no amounts, so
    // each row says 取自项目表) and the 合计 label.
    let s = merges(&mut wb, "汇总表");
    assert_eq!(s, ["A1:E1", "A8:C8"]);
}

#[test]
fn amounts_are_numbers_with_the_source_digits() {
    let mut doc = Document::default();
    for (total, other) in [("91.59", "0"), ("707.4", "0.00"), ("12", "0.0")] {
        doc.projects.push(Project {
            project_name: format!("项目{total}"),
            year: Some(2022),
            funds: Funds {
                total: Some(Decimal::from_str(total).unwrap()),
                fiscal: Some(Decimal::from_str(total).unwrap()),
                other: Some(Decimal::from_str(other).unwrap()),
                location: None,
            },
            ..Project::default()
        });
    }
    let bytes = write(&doc);
    let mut wb = open(&bytes);
    for (sheet, want) in [
        ("项目91.59", [("0.00", 91.59), ("0", 0.0)]),
        ("项目707.4", [("0.0", 707.4), ("0.00", 0.0)]),
        ("项目12", [("0", 12.0), ("0.0", 0.0)]),
    ] {
        let range = wb.worksheet_range(sheet).unwrap();
        let formats = number_formats(&mut wb, sheet);
        // Row 4 (index 3): 项目资金 | 年度资金总额： | total | 其中：财政拨款 | fiscal | 其他资金 | other
        for (col, (fmt, value)) in [(2, want[0]), (4, want[0]), (6, want[1])] {
            assert_eq!(
                range.get_value((3, col)),
                Some(&Data::Float(value)),
                "{sheet}"
            );
            assert_eq!(formats[&(3, col)], fmt, "{sheet} col {col}");
        }
    }
    // The summary's 合计 is a formula with its computed value stored.
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<f>SUM(D3:D5)</f><v>810.99</v>"), "{sheet}");
    let range = wb.worksheet_range("汇总表").unwrap();
    assert_eq!(range.get_value((5, 3)), Some(&Data::Float(810.99)));
}

#[test]
fn print_settings_are_in_the_sheet_xml() {
    let doc = seed();
    let bytes = write(&doc);
    let workbook = part(&bytes, "xl/workbook.xml");
    // Project sheets: the indicator header (row 6) repeats on every page; summary: row 2.
    assert!(
        workbook.contains(
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="0">汇总表!$2:$2</definedName>"#
        ),
        "{workbook}"
    );
    for (i, p) in doc.projects.iter().enumerate() {
        let want = format!(
            r#"<definedName name="_xlnm.Print_Titles" localSheetId="{}">{}!$6:$6</definedName>"#,
            i + 1,
            p.project_name
        );
        assert!(workbook.contains(&want), "{want} not in {workbook}");
    }
    for n in 1..=6 {
        let sheet = part(&bytes, &format!("xl/worksheets/sheet{n}.xml"));
        for want in [
            r#"<pageSetUpPr fitToPage="1"/>"#,
            r#"<printOptions horizontalCentered="1"/>"#,
            r#"<pageMargins left="0.5905511811023623" right="0.5905511811023623" top="0.7086614173228347" bottom="0.7086614173228347""#,
            r#"<pageSetup paperSize="9" fitToHeight="0" orientation="portrait""#,
            "<oddFooter>&amp;C第 &amp;P 页 共 &amp;N 页</oddFooter>",
            r#"<sheetView showGridLines="0""#,
        ] {
            assert!(sheet.contains(want), "sheet{n}: {want} not in {sheet}");
        }
        // Every row has a height of its own.
        let rows = sheet.matches("<row ").count();
        assert!(rows > 5);
        assert_eq!(
            sheet.matches("customHeight=\"1\"").count(),
            rows,
            "sheet{n}"
        );
    }
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"<name val="宋体"/>"#), "{styles}");
}

/// Row heights, in points, by 1-based row number.
fn heights(sheet_xml: &str) -> BTreeMap<u32, f64> {
    sheet_xml
        .split("<row ")
        .skip(1)
        .map(|row| {
            let attr = |name: &str| {
                let start = row.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                let end = start + row[start..].find('"').unwrap();
                row[start..end].to_string()
            };
            (attr("r").parse().unwrap(), attr("ht").parse().unwrap())
        })
        .collect()
}

#[test]
fn row_heights_grow_with_wrapped_text() {
    let doc = seed();
    let bytes = write(&doc);
    // Project 2 has the longest goal (155 characters over 6 columns): several lines.
    let h = heights(&part(&bytes, "xl/worksheets/sheet3.xml"));
    let one_line = 10.5 * 1.35 + 6.0;
    assert!(h[&5] > 3.0 * one_line, "goal row {} vs {one_line}", h[&5]);
    // A one-line indicator row stays one line high.
    assert!(h.values().all(|&x| x >= one_line - 0.5), "{h:?}");

    // A vertically merged label taller than its rows spreads the extra over them.
    let one_line = 10.5 * 1.35 + 6.0;
    let tall = Project {
        project_name: "高".into(),
        indicators: (0..2)
            .map(|i| Indicator {
                level1: "产出指标".repeat(8),
                level2: "数量指标".into(),
                level3: format!("三级{i}"),
                value: Value::parse("1人"),
                ..Indicator::default()
            })
            .collect(),
        ..Project::default()
    };
    let bytes = write(&Document {
        projects: vec![tall],
        ..Document::default()
    });
    let h = heights(&part(&bytes, "xl/worksheets/sheet1.xml"));
    // Title, 3 block rows, header at row 5; indicators at rows 6 and 7 (no year line).
    // 32 CJK characters in a 13-unit column: 6 lines shared by 2 rows.
    assert!((h[&6] - h[&7]).abs() < 0.01);
    assert!(h[&6] + h[&7] >= 6.0 * 10.5 * 1.35, "{h:?}");
    assert!(h[&6] > one_line * 2.0, "{h:?}");
}

#[test]
fn text_that_looks_like_a_formula_stays_text() {
    let doc = Document {
        projects: vec![Project {
            budget_unit: "-3".into(),
            project_name: "@x".into(),
            goal: "+1".into(),
            indicators: vec![Indicator {
                level1: "产出指标".into(),
                level2: "数量指标".into(),
                level3: "=1+1".into(),
                value: Value::parse("=SUM(A1:A2)"),
                ..Indicator::default()
            }],
            ..Project::default()
        }],
        ..Document::default()
    };
    let bytes = write(&doc);
    let mut wb = open(&bytes);
    let range = wb.worksheet_range("@x").unwrap();
    let formulas = wb.worksheet_formula("@x").unwrap();
    for ((r, c), want) in [
        ((1, 1), "-3"),
        ((1, 5), "@x"),
        ((3, 1), "+1"),
        ((5, 2), "=1+1"),
        ((5, 5), "=SUM(A1:A2)"),
    ] {
        assert_eq!(range.get_value((r, c)), Some(&Data::String(want.into())));
        assert!(formulas.get_value((r, c)).is_none_or(String::is_empty));
    }
    assert!(!part(&bytes, "xl/worksheets/sheet1.xml").contains("<f>"));
}

#[test]
fn sheet_names_follow_excels_rules() {
    let long = "城乡居民基本医疗保险县级财政配套资金及困难群众参保资助补贴和医疗救助项目";
    let names = [long, long, "低保/救助[2022]", "City", "city", "汇总表"];
    let doc = Document {
        projects: names
            .iter()
            .map(|n| Project {
                project_name: n.to_string(),
                ..Project::default()
            })
            .collect(),
        ..Document::default()
    };
    let written = jixiao_xlsx::write(&doc, Template::standard()).unwrap();
    let wb = open(&written.output);
    let short: String = long.chars().take(31).collect();
    let short2: String = long.chars().take(28).collect();
    assert_eq!(
        wb.sheet_names(),
        [
            "汇总表".to_string(),
            short,
            format!("{short2}(2)"),
            "低保／救助［2022］".into(),
            "City".into(),
            "city(2)".into(),
            "汇总表(2)".into(),
        ]
    );
    let codes: Vec<&str> = written
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["X401", "X401", "X403", "X402", "X403", "X403"]);
    // The full name is still on the sheet.
    let mut wb = wb;
    let range = wb.worksheet_range(&format!("{short2}(2)")).unwrap();
    assert_eq!(range.get_value((1, 5)), Some(&Data::String(long.into())));
}

#[test]
fn same_input_gives_the_same_bytes() {
    let doc = seed();
    let a = write(&doc);
    let b = write(&doc);
    assert!(a == b, "two writes differ");
    assert!(part(&a, "docProps/core.xml").contains("2000-01-01T00:00:00Z"));
}

#[test]
fn an_empty_document_is_refused() {
    assert!(matches!(
        jixiao_xlsx::write(&Document::default(), Template::standard()),
        Err(jixiao_xlsx::XlsxError::Empty)
    ));
}

/// Reads a project sheet of the standard form back into the fields the form shows.
fn read_project(wb: &mut Xlsx<Cursor<Vec<u8>>>, sheet: &str) -> Project {
    let range = wb.worksheet_range(sheet).unwrap();
    let formats = number_formats(wb, sheet);
    let text = |r: u32, c: u32| match range.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Empty) | None => String::new(),
        Some(other) => panic!("{sheet} {} is {other:?}", a1(r, c)),
    };
    // A number with as many decimals as its format shows: the source's digits.
    let amount = |r: u32, c: u32| match range.get_value((r, c)) {
        Some(Data::Float(x)) => {
            let fmt = &formats[&(r, c)];
            let scale = fmt.split_once('.').map_or(0, |(_, d)| d.len());
            Some(Decimal::from_str(&format!("{x:.scale$}")).unwrap())
        }
        _ => None,
    };
    assert_eq!(text(0, 0), "项目支出绩效目标表");
    let year = text(1, 0)
        .trim_start_matches('（')
        .trim_end_matches("年）")
        .parse()
        .ok();
    // Labels that do not fit on one line carry their line breaks (`项目资金` / `（万元）`).
    let label = |r: u32, c: u32| text(r, c).replace('\n', "");
    assert_eq!(
        [
            label(2, 0),
            label(2, 4),
            label(3, 0),
            label(4, 0),
            label(5, 0)
        ],
        [
            "预算单位",
            "项目名称",
            "项目资金（万元）",
            "项目总体目标",
            "一级指标"
        ]
    );
    // Vertically merged cells read as empty below their first row: fill them down.
    let merges = wb.merge_cells_by_sheet_name(sheet).unwrap();
    let merged_text = |r: u32, c: u32| {
        merges
            .iter()
            .find(|d| d.start.1 == c && d.start.0 <= r && r <= d.end.0)
            .map_or_else(|| text(r, c), |d| text(d.start.0, c))
    };
    let (height, _) = range.get_size();
    let indicators = (6..height as u32)
        .map(|r| Indicator {
            level1: merged_text(r, 0),
            level2: merged_text(r, 1),
            level3: text(r, 2),
            value: Value::parse(&text(r, 5)),
            ..Indicator::default()
        })
        .collect();
    let goal = text(4, 1);
    Project {
        year,
        budget_unit: text(2, 1),
        project_name: text(2, 5),
        funds: Funds {
            total: amount(3, 2),
            fiscal: amount(3, 4),
            other: amount(3, 6),
            location: None,
        },
        goal,
        indicators,
        ..Project::default()
    }
}

/// The fields of a project the form shows (the IR without locations and derived `goals`).
fn shown(p: &Project) -> Project {
    Project {
        year: p.year,
        budget_unit: p.budget_unit.clone(),
        project_name: p.project_name.clone(),
        funds: Funds {
            location: None,
            ..p.funds.clone()
        },
        goal: p.goal.clone(),
        indicators: p
            .indicators
            .iter()
            .map(|i| Indicator {
                location: Default::default(),
                ..i.clone()
            })
            .collect(),
        ..Project::default()
    }
}

#[test]
fn the_ir_reads_back_from_the_workbook() {
    let doc = seed();
    let bytes = write(&doc);
    let mut wb = open(&bytes);
    for p in &doc.projects {
        let back = read_project(&mut wb, &p.project_name);
        assert_eq!(back, shown(p));
        // Digits, not just values: 0.0 stays 0.0, 707.4 stays 707.4.
        assert_eq!(
            back.funds.other.map(|d| d.to_string()),
            p.funds.other.map(|d| d.to_string())
        );
    }
    // The summary rows, with the amounts the layout took from the project tables.
    let range = wb.worksheet_range("汇总表").unwrap();
    let Summary { rows, .. } = doc.summary.clone().unwrap();
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 2;
        let SummaryRow {
            seq,
            department,
            project_name,
            ..
        } = row;
        assert_eq!(
            range.get_value((r, 0)),
            Some(&Data::Float(f64::from(seq.unwrap())))
        );
        assert_eq!(
            range.get_value((r, 1)),
            Some(&Data::String(department.clone()))
        );
        assert_eq!(
            range.get_value((r, 2)),
            Some(&Data::String(project_name.clone()))
        );
        let total = doc.projects[i].funds.total.unwrap().to_string();
        assert_eq!(
            range.get_value((r, 3)),
            Some(&Data::Float(total.parse().unwrap()))
        );
    }
    assert_eq!(range.get_value((7, 0)), Some(&Data::String("合计".into())));
}

#[test]
fn settings_that_cannot_be_applied_are_reported() {
    let toml = jixiao_layout::STANDARD_TOML
        .replace("paper = \"A4\"", "paper = \"B4\"")
        .replace(
            "footer = \"第 {page} 页 共 {pages} 页\"",
            &format!("footer = \"{}\"", "页".repeat(300)),
        );
    let template = Template::from_toml(&toml).unwrap();
    let doc = Document {
        projects: vec![Project {
            project_name: "长".into(),
            goal: "很长的目标。".repeat(800),
            ..Project::default()
        }],
        ..Document::default()
    };
    let written = jixiao_xlsx::write(&doc, &template).unwrap();
    let codes: Vec<&str> = written
        .diagnostics
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["X405", "X406", "X407"]);
    let sheet = part(&written.output, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains(r#"<pageSetup paperSize="9""#));
    // 409 pt, rounded to whole pixels as rust_xlsxwriter stores heights.
    assert!(sheet.contains(r#"ht="408.75" customHeight="1""#), "{sheet}");
    // The goal is all there even so.
    let mut wb = open(&written.output);
    let range = wb.worksheet_range("长").unwrap();
    assert_eq!(
        range.get_value((3, 1)),
        Some(&Data::String("很长的目标。".repeat(800)))
    );
}

/// Written into a writer, the workbook is the bytes `write` returns; a writer that fails (a
/// full disk) is told apart from a workbook that could not be made.
#[test]
fn written_into_a_writer_the_same_bytes_and_its_failure_told_apart() {
    let doc = seed();
    let mut out = Vec::new();
    let written = jixiao_xlsx::write_to(&doc, Template::standard(), &mut out).unwrap();
    assert!(out == write(&doc));
    let in_memory = jixiao_xlsx::write(&doc, Template::standard()).unwrap();
    assert_eq!(written.diagnostics, in_memory.diagnostics);

    struct Full;
    impl std::io::Write for Full {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::new(
                std::io::ErrorKind::StorageFull,
                "no space left",
            ))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let failed = jixiao_xlsx::write_to(&doc, Template::standard(), Full).unwrap_err();
    assert_eq!(
        failed.io().map(std::io::Error::kind),
        Some(std::io::ErrorKind::StorageFull)
    );
    let empty = jixiao_xlsx::write_to(&Document::default(), Template::standard(), Vec::new());
    assert!(empty.unwrap_err().io().is_none());
}
