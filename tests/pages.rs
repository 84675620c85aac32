//! The mechanisms real published pages need, one fixture each in `fixtures/pages/` (invented
//! content): each reads to its golden JSON (`JIXIAO_BLESS=1` rewrites them) and shows the one
//! thing it is there for.

mod common;

use common::golden;
use jixiao::model::Document;
use std::path::Path;

const DIR: &str = "fixtures/pages";

/// The fixtures and the number of indicators each holds.
const FIXTURES: &[(&str, usize)] = &[
    ("centered-level1-fiscal-sources.md", 6),
    ("furniture-after-table.md", 4),
    ("lost-level1-skipped-row.md", 5),
    ("padded-pipe-rows.md", 4),
    ("pipe-only-line.md", 3),
    ("self-evaluation-paragraph-cells.txt", 5),
    ("table-on-one-line.txt", 6),
    ("traditional-labels.md", 5),
    ("tree-without-header.txt", 4),
    ("wrapped-group-names.txt", 5),
];

fn load(file: &str) -> Document {
    let path = format!("{DIR}/{file}");
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    jixiao::load(&path, &bytes, &jixiao::Options::default()).unwrap()
}

fn codes<'a>(doc: &'a Document, code: &str) -> Vec<&'a jixiao::model::Diagnostic> {
    doc.diagnostics.iter().filter(|d| d.code == code).collect()
}

/// The indicator whose 三级指标 is `level3`.
fn row<'a>(doc: &'a Document, level3: &str) -> &'a jixiao::model::Indicator {
    doc.projects
        .iter()
        .flat_map(|p| &p.indicators)
        .find(|i| i.level3 == level3)
        .unwrap_or_else(|| panic!("no row {level3}"))
}

#[test]
fn every_fixture_is_listed_and_reads_to_its_golden() {
    let mut inputs: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".expected.json"))
            .collect();
    inputs.sort();
    let listed: Vec<&str> = FIXTURES.iter().map(|f| f.0).collect();
    assert_eq!(inputs, listed);
    for (file, count) in FIXTURES {
        let doc = load(file);
        golden(
            &format!("{DIR}/{file}.expected.json"),
            &jixiao_json::to_string(&doc),
        );
        let found: usize = doc.projects.iter().map(|p| p.indicators.len()).sum();
        assert_eq!(found, *count, "{file}");
        assert!(!jixiao::failed(&doc), "{file}");
    }
}

/// 项目名稱, 預算單位, 一級指標 … read by meaning; every text kept as written.
#[test]
fn traditional_labels() {
    let doc = load("traditional-labels.md");
    let p = &doc.projects[0];
    assert_eq!(p.project_name, "社區長者助餐服務");
    assert_eq!(p.budget_unit, "某市某區民政局");
    assert_eq!(
        p.funds.total.map(|d| d.to_string()).as_deref(),
        Some("48.00")
    );
    let i = row(&doc, "餐食抽檢合格率");
    assert_eq!(
        (i.level1.as_str(), i.level2.as_str()),
        ("產出指標", "質量指標")
    );
    assert!(codes(&doc, "R108").is_empty(), "{:?}", doc.diagnostics);
}

/// 审核意见, 评价结论, （盖章）, 注： end the table: no indicator, one report with the count.
#[test]
fn furniture_after_the_table() {
    let doc = load("furniture-after-table.md");
    let end = codes(&doc, "R135");
    assert_eq!(end.len(), 1, "{:?}", doc.diagnostics);
    assert!(end[0].message.contains("5 行"), "{}", end[0].message);
    assert_eq!(end[0].location.line, Some(11));
    assert!(codes(&doc, "R108").is_empty(), "{:?}", doc.diagnostics);
}

/// The merged 一级 of 效益 is anchored on a placeholder row (不适用): the row is no indicator,
/// its 一级 still labels the rows below; placeholders reported once.
#[test]
fn a_lost_level1_anchored_on_a_skipped_row() {
    let doc = load("lost-level1-skipped-row.md");
    assert_eq!(row(&doc, "带动就业人数").level1, "效益");
    assert_eq!(row(&doc, "冷库使用年限").level1, "效益");
    assert_eq!(row(&doc, "受益主体满意度").level1, "满意度");
    assert_eq!(codes(&doc, "R136").len(), 1, "{:?}", doc.diagnostics);
    assert!(codes(&doc, "R122").is_empty(), "{:?}", doc.diagnostics);
}

/// One cell per line: a line of only pipes ends a row, and pipes after a value are residue.
#[test]
fn a_pipe_only_line_ends_a_row() {
    let doc = load("pipe-only-line.md");
    assert_eq!(doc.projects[0].project_name, "河道保洁");
    assert_eq!(row(&doc, "水面漂浮物清理率").value.raw, "≥95%");
    for i in doc.projects.iter().flat_map(|p| &p.indicators) {
        assert!(
            !i.value.raw.contains('|') && !i.level3.contains('|'),
            "{i:?}"
        );
    }
}

/// 预期产出 / 指标 and 预期效益 / 指标 wrapped onto lines of their own: joined, and the rows
/// below them take them.
#[test]
fn group_names_wrapped_onto_their_own_lines() {
    let doc = load("wrapped-group-names.txt");
    assert_eq!(row(&doc, "受益学生人数").level1, "预期产出指标");
    let i = row(&doc, "学生营养状况");
    assert_eq!(
        (i.level1.as_str(), i.level2.as_str()),
        ("预期效益指标", "社会效益指标")
    );
    assert_eq!(row(&doc, "营养改善机制").level2, "可持续影响指标");
    assert_eq!(codes(&doc, "R134").len(), 1, "{:?}", doc.diagnostics);
}

/// One cell per paragraph: headings broken over paragraphs (年度 / 指标值, 偏差原因 / 分析及 /
/// 改进措施), a score band on a paragraph of its own, and rows that leave out their empty
/// 偏差原因 cell, told from the next row by the 分值 and 得分 columns.
#[test]
fn a_self_evaluation_one_cell_per_paragraph() {
    let doc = load("self-evaluation-paragraph-cells.txt");
    let i = row(&doc, "路面修补面积");
    assert_eq!(
        (i.level1.as_str(), i.level2.as_str()),
        ("产出指标", "数量指标")
    );
    assert_eq!(i.value.raw, "≥3000平方米");
    // The target, never the 实际完成值 beside it.
    assert_eq!(row(&doc, "路面完好率").value.raw, "≥90%");
    assert_eq!(row(&doc, "群众出行时间").level1, "效益指标");
    let rebuilt = codes(&doc, "R132");
    assert!(
        rebuilt[0].message.contains("8 列"),
        "{}",
        rebuilt[0].message
    );
}

/// A spreadsheet flattened to one line, one space between cells: read as a stream; an empty
/// group is no row, and the row the text cuts before its value is no indicator.
#[test]
fn a_table_on_one_line() {
    let doc = load("table-on-one-line.txt");
    assert_eq!(doc.projects[0].project_name, "乡村道路养护");
    let i = row(&doc, "完工时间");
    assert_eq!(
        (i.level1.as_str(), i.level2.as_str()),
        ("产出指标", "时效指标")
    );
    assert_eq!(i.value.raw, "2023年11月底前");
    let s = row(&doc, "沿线群众满意度");
    assert_eq!(
        (s.level1.as_str(), s.level2.as_str()),
        ("满意度指标", "满意度指标")
    );
    assert_eq!(codes(&doc, "R133").len(), 1, "{:?}", doc.diagnostics);
    assert!(
        doc.projects[0]
            .indicators
            .iter()
            .all(|i| !i.level3.contains("公路使用")),
        "the cut row is no indicator"
    );
}

/// Pipe rows padded to the table's width: a line that ends in a single `|` was broken inside
/// a cell and goes on below; an amount label is known by its parts (本年度申请区财政预算资金);
/// the goals under `总体目标 | 中期滚动目标 | 年度目标`.
#[test]
fn padded_pipe_rows() {
    let doc = load("padded-pipe-rows.md");
    let p = &doc.projects[0];
    assert_eq!(p.project_name, "街头游园改造");
    assert_eq!(
        p.funds.total.map(|d| d.to_string()).as_deref(),
        Some("120.00")
    );
    let i = row(&doc, "周边居民受益人数");
    assert_eq!(
        (i.level1.as_str(), i.level2.as_str(), i.value.raw.as_str()),
        ("效益指标", "社会效益指标", "≥5000人")
    );
    assert_eq!(row(&doc, "改造游园个数").value.raw, "6个");
    // 总体目标 only heads the 中期 and 年度 goals; their texts, in a row that lost its first
    // cell, are the two parts in order.
    assert_eq!(p.goal, "2025年改造街头游园6个");
    assert_eq!(p.midterm_goal.as_deref(), Some("改造街头游园18个"));
}

/// A budget system's tree (one name per paragraph, no indicator header) read by the
/// framework's names; the template's `(必填)` notes are no part of the 二级 names.
#[test]
fn tree_without_header() {
    let doc = load("tree-without-header.txt");
    assert_eq!(codes(&doc, "R138").len(), 1);
    let i = row(&doc, "覆盖接种点");
    assert_eq!(
        (i.level1.as_str(), i.level2.as_str(), i.value.raw.as_str()),
        ("产出指标", "数量指标", "36个")
    );
    assert_eq!(row(&doc, "配送及时率").level2, "时效指标");
    assert_eq!(row(&doc, "接种点满意度").level2, "服务对象满意度指标");
}

/// A 批复表 that lists where its 财政 money comes from (中央/市级/区级资金, no 财政拨款 line):
/// 财政拨款 is their sum (R139). The 一级 label printed inside its merged cell, on the third
/// row of its group, is the 一级 of the rows above and below it, the 二级 going on; the row
/// of the value's sub-column headings is no indicator; a seal line ends the table.
#[test]
fn centered_level1_and_fiscal_sources() {
    let doc = load("centered-level1-fiscal-sources.md");
    let p = &doc.projects[0];
    assert_eq!(p.funds.total.map(|d| d.to_string()).as_deref(), Some("86"));
    assert_eq!(
        p.funds.fiscal.map(|d| d.normalize().to_string()).as_deref(),
        Some("86")
    );
    assert!(!p.unread.contains(&jixiao::model::HeaderField::FundsFiscal));
    let r139 = codes(&doc, "R139");
    assert_eq!(r139.len(), 1);
    assert!(
        r139[0].message.contains("1.中央资金"),
        "{}",
        r139[0].message
    );
    let i = row(&doc, "送餐上门户数");
    assert_eq!(
        (i.level1.as_str(), i.level2.as_str()),
        ("产出指标", "数量指标")
    );
    let i = row(&doc, "补助食堂个数");
    assert_eq!(
        (i.level1.as_str(), i.level2.as_str()),
        ("产出指标", "数量指标")
    );
    assert!(
        doc.projects
            .iter()
            .flat_map(|p| &p.indicators)
            .all(|i| !i.level3.contains("实现值") && !i.level3.contains("盖章"))
    );
    assert_eq!(codes(&doc, "R135").len(), 1);
}
