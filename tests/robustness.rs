//! Property tests: arbitrary text through the Markdown reader and the recognizer never panics,
//! and every table row of the input is either read into the document or reported.

use jixiao_recognize::{Options, recognize};
use proptest::prelude::*;

/// Pieces of real tables, so that random text reaches deep into the recognizer.
const WORDS: &[&str] = &[
    "预算单位",
    "项目名称",
    "项目资金 (万元)",
    "年度资金总额:",
    "其中:财政拨款",
    "其他资金",
    "项目总体目标",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "产出指标",
    "效益指标",
    "满意度指标",
    "成本指标",
    "数量指标",
    "质量指标",
    "时效指标",
    "覆盖率",
    "及时率",
    "资金数",
    "序号",
    "部门单位",
    "合计",
    "汇总表",
    "项目支出绩效目标表",
    "(2022年)",
    "≥95%",
    "=100%",
    "91.59",
    "0.00",
    "<b>",
    "</b>",
    "**",
    "|",
    "---",
    "#",
    "目标1:",
    "目标2：",
    "",
    " ",
    "<table><tr><td rowspan=2>",
    "&ge;",
    "单位：元",
];

fn ocr_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        4 => proptest::sample::select(WORDS).prop_map(str::to_string),
        2 => Just("\t".to_string()),
        2 => Just("\n".to_string()),
        1 => "\\PC{0,6}",
    ];
    proptest::collection::vec(token, 0..200).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ocr_text()) {
        let grid = jixiao_markdown::read(&text, Some("fuzz.md"));
        let doc = recognize(&[grid], &Options::default());
        // Serializing and reading back the contract works for whatever was recognized.
        let json = jixiao_json::to_string(&doc);
        prop_assert_eq!(jixiao_json::from_str(&json).unwrap(), doc);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = jixiao::read("fuzz.bin", &bytes, &jixiao::Options::default());
    }

    #[test]
    fn every_indicator_row_is_read_or_reported(rows in proptest::collection::vec(("[一-龥]{1,8}", "[一-龥]{0,3}"), 1..20)) {
        // A table whose level-3 names and values are random: each row must come out as an
        // indicator (nothing silently dropped).
        let mut text = String::from("预算单位\t某单位\t项目名称\t某项目\n一级指标\t二级指标\t三级指标\t指标值\n");
        for (name, value) in &rows {
            text.push_str(&format!("产出指标\t数量指标\t{name}\t{value}\n"));
        }
        let doc = recognize(&[jixiao_markdown::read(&text, None)], &Options::default());
        prop_assert_eq!(doc.projects.len(), 1);
        // A row whose 三级指标 only holds a place (a random name can be 空 or 无) and whose
        // value is empty is a template's placeholder row: not an indicator, but counted in the
        // table's one R136. Every other row is an indicator.
        let labels = jixiao_model::framework::Labels::standard();
        let hold = |t: &str| labels.placeholders.contains(&jixiao_model::framework::normalize_label(t));
        let placeholders = rows
            .iter()
            .filter(|(name, value)| hold(name) && (value.is_empty() || hold(value)))
            .count();
        prop_assert_eq!(doc.projects[0].indicators.len(), rows.len() - placeholders);
        if placeholders > 0 {
            let reported = doc
                .diagnostics
                .iter()
                .find(|d| d.code == "R136")
                .map(|d| d.message.clone())
                .unwrap_or_default();
            let counted = format!("有 {placeholders} 行是模板的占位行");
            prop_assert!(reported.contains(&counted), "{}", reported);
        }
    }
}
