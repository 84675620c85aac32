use super::*;
use crate::layout::{Slot, Source};
use crate::pages::{Builder, is_page_number};
use jixiao_grid::RowKind;

fn cell(text: &str, rows: usize) -> Slot {
    Slot::Origin {
        text: text.to_string(),
        rows,
        cols: 1,
    }
}

fn table(slots: Vec<Vec<Slot>>, xs: &[f64]) -> Block {
    let ys = (0..=slots.len()).map(|r| 100.0 + 20.0 * r as f64).collect();
    Block::Table(layout::Table {
        xs: xs.to_vec(),
        ys,
        slots,
        source: Source::Ruled,
    })
}

fn line(chunks: &[(&str, f64)]) -> Block {
    Block::Line(layout::Line {
        chunks: chunks
            .iter()
            .map(|&(text, x0)| layout::Chunk {
                text: text.to_string(),
                x0,
                x1: x0 + 40.0,
            })
            .collect(),
        top: 80.0,
        size: 10.0,
    })
}

const XS: [f64; 4] = [0.0, 100.0, 200.0, 300.0];

/// Page 1: a header row, then 产出指标 / 数量指标 merged down to the bottom of the page.
fn first_page() -> PageBlocks {
    let cov = |col| Slot::Covered { row: 1, col };
    PageBlocks {
        number: 1,
        blocks: vec![table(
            vec![
                vec![
                    cell("一级指标", 1),
                    cell("二级指标", 1),
                    cell("三级指标", 1),
                ],
                vec![cell("产出指标", 2), cell("数量指标", 2), cell("甲", 1)],
                vec![cov(0), cov(1), cell("乙", 1)],
            ],
            &XS,
        )],
    }
}

/// Page 2: `above`, then the header row again and two more rows under blank merged cells.
fn second_page(above: Block, xs: &[f64]) -> PageBlocks {
    PageBlocks {
        number: 2,
        blocks: vec![
            above,
            table(
                vec![
                    vec![
                        cell("一级指标", 1),
                        cell("二级指标", 1),
                        cell("三级指标", 1),
                    ],
                    vec![cell("", 1), cell("", 1), cell("丙", 1)],
                    vec![cell("效益指标", 1), cell("社会效益指标", 1), cell("丁", 1)],
                ],
                xs,
            ),
        ],
    }
}

fn texts(b: &Builder) -> Vec<String> {
    b.rows
        .iter()
        .filter(|r| r.kind == RowKind::Text)
        .map(|r| r.cells[0].text.clone())
        .collect()
}

#[test]
fn merged_labels_repeated_above_a_continuation_belong_to_it() {
    let mut b = Builder::default();
    b.page(first_page());
    b.page(second_page(
        line(&[("产出指标", 30.0), ("数量指标", 130.0)]),
        &XS,
    ));
    assert!(texts(&b).is_empty(), "{:?}", texts(&b));
    assert_eq!(b.tables, 1);
    assert_eq!(b.continued, vec![(2, 1, true, 2, 1)]);
    // 产出指标 now spans 甲, 乙 and 丙; one header row.
    assert_eq!(b.rows[1].cells[0].text, "产出指标");
    assert_eq!(b.rows[1].cells[0].row_span, 3);
    assert_eq!(b.rows.len(), 5);
}

#[test]
fn lines_not_repeating_the_open_labels_end_the_table() {
    // Another text; a label standing over another column; labels before a table that does
    // not continue (other columns): each stays a text line and starts a new table.
    for (above, xs) in [
        (line(&[("产出指标", 30.0), ("说明", 130.0)]), XS.to_vec()),
        (line(&[("数量指标", 30.0)]), XS.to_vec()),
        (
            line(&[("产出指标", 30.0), ("数量指标", 130.0)]),
            vec![0.0, 100.0, 250.0, 300.0],
        ),
    ] {
        let mut b = Builder::default();
        b.page(first_page());
        b.page(second_page(above, &xs));
        assert_eq!(texts(&b).len(), 1, "{:?}", texts(&b));
        assert_eq!(b.tables, 2);
        assert!(b.continued.is_empty());
    }
}

#[test]
fn page_numbers_are_recognized() {
    for t in ["第1页共6页", "第 2 页 / 共 6 页", "- 2 -", "2/6", "3"] {
        assert!(is_page_number(t), "{t}");
    }
    for t in ["预算单位：和硕县民政局", "（2022年）", "合计", ""] {
        assert!(!is_page_number(t), "{t}");
    }
}

#[test]
fn page_lists_read_naturally() {
    assert_eq!(page_list(&[2]), "第2页");
    assert_eq!(page_list(&[1, 2, 3]), "第1–3页");
    assert_eq!(page_list(&[1, 4]), "第1、4页");
}

#[test]
fn bad_inputs_give_clear_errors() {
    assert_eq!(read(b"", None).unwrap_err(), PdfError::Corrupt);
    assert_eq!(
        read(b"%PDF-1.7\n garbage", None).unwrap_err(),
        PdfError::Corrupt
    );
    assert!(PdfError::NoText("第1页".into()).to_string().contains("OCR"));
}
