//! The 自评表's parts as the recognizer reads them from text: score rows under their columns,
//! and never from a row that lost cells (its numbers cannot be placed).

use jixiao_recognize::{Options, recognize};

fn read(text: &str) -> jixiao_model::Document {
    let grid = jixiao_markdown::read(text, Some("自评.txt"));
    recognize(&[grid], &Options::default())
}

const HEAD: &str = "项目名称\t城乡公益性岗位补贴\n\
一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\t偏差原因\n\
产出指标\t数量指标\t开发公益性岗位数\t≥220个\t226个\t20\t20\t\n";

#[test]
fn a_total_row_is_read_under_its_columns() {
    let doc = read(&format!("{HEAD}总分\t\t\t\t\t100\t98.65\t优\n"));
    let se = doc.projects[0].self_evaluation.as_ref().unwrap();
    assert_eq!(se.total_weight.map(|d| d.to_string()), Some("100".into()));
    assert_eq!(se.total_score.map(|d| d.to_string()), Some("98.65".into()));
    assert_eq!(se.grade.as_deref(), Some("优"));
    assert!(doc.diagnostics.iter().all(|d| d.code != "R121"));
}

#[test]
fn a_total_row_that_lost_cells_is_not_read() {
    // OCR kept 总分, 100 and 98.65 but not the empty cells between: 100 would land under
    // 三级指标. Nothing is read from it, and it says so.
    let doc = read(&format!("{HEAD}总分\t100\t98.65\n"));
    let p = &doc.projects[0];
    assert!(
        p.self_evaluation
            .as_ref()
            .is_none_or(|s| s.total_score.is_none() && s.total_weight.is_none())
    );
    assert!(doc.diagnostics.iter().any(|d| d.code == "R121"));
    assert_eq!(p.indicators.len(), 1);
}
