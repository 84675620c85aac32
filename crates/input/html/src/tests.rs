//! The reader's tests: pages and `<table>` blocks read into grids.

use super::*;
use jixiao_grid::{Covered, Pos, RowKind};

fn texts(page: &Page) -> Vec<Vec<&str>> {
    page.grid
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
        .collect()
}

fn codes(page: &Page) -> Vec<&str> {
    page.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

fn read_str(html: &str) -> Page {
    read(
        html,
        &Options {
            file: Some("t.html"),
            ..Options::default()
        },
    )
}

#[test]
fn standard_header_block_merges() {
    let page = read_str(
        "<table><tr><td>预算单位</td><td colspan=3>和硕县民政局</td><td>项目名称</td><td colspan=\"2\">城市低保</td></tr>\
         <tr><td rowspan=2>产出指标</td><td>数量指标</td><td colspan=3>发放人数</td><td colspan=2>&ge;221人</td></tr>\
         <tr><td>质量指标</td><td colspan=3>覆盖率</td><td colspan=2>=100%</td></tr></table>",
    );
    assert_eq!(
        texts(&page),
        vec![
            vec![
                "预算单位",
                "和硕县民政局",
                "",
                "",
                "项目名称",
                "城市低保",
                ""
            ],
            vec!["产出指标", "数量指标", "发放人数", "", "", "≥221人", ""],
            vec!["", "质量指标", "覆盖率", "", "", "=100%", ""],
        ]
    );
    let rows = &page.grid.rows;
    assert_eq!(
        (rows[0].cells[1].col_span, rows[0].cells[1].row_span),
        (3, 1)
    );
    assert_eq!(rows[0].cells[2].covered, Some(Covered::Left));
    assert_eq!(
        rows[0].cells[2].pos, rows[0].cells[1].pos,
        "a covered slot points at its origin"
    );
    assert_eq!(rows[1].cells[0].row_span, 2);
    assert_eq!(rows[2].cells[0].covered, Some(Covered::Above));
    assert_eq!(
        rows[2].cells[1].pos,
        Pos::Line {
            line: 1,
            column: 192
        }
    );
    assert!(page.diagnostics.is_empty(), "{:?}", page.diagnostics);
}

#[test]
fn block_spans_cover_above_and_left() {
    let page = read_str(
        "<table><tr><td rowspan=2 colspan=2>甲</td><td>乙</td></tr><tr><td>丙</td></tr></table>",
    );
    let cov: Vec<Vec<Option<Covered>>> = page
        .grid
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.covered).collect())
        .collect();
    assert_eq!(
        cov,
        vec![
            vec![None, Some(Covered::Left), None],
            vec![Some(Covered::Above), Some(Covered::Above), None]
        ]
    );
    assert_eq!(page.grid.rows[1].cells[2].text, "丙");
}

#[test]
fn line_breaks_spaces_and_entities() {
    let page = read_str(
        "<table><tr><td>目标1：甲<br>目标2：\n   乙</td><td><p>一</p><p>二</p></td><td>a&nbsp;&nbsp;b &lt;=5 &amp;</td><td>x<br><br>y</td></tr></table>",
    );
    assert_eq!(
        texts(&page),
        vec![vec![
            "目标1：甲\n目标2： 乙",
            "一\n二",
            "a  b <=5 &",
            "x\n\ny"
        ]]
    );
}

#[test]
fn text_between_tables_and_positions() {
    let src = "<!DOCTYPE html>\n<html><head><title>标题页</title><style>td{}</style></head>\n<body>\n<h1>2022年度汇总表</h1>\n<p><b>项目支出绩效目标表</b><br>(2022年)</p>\n<table><tr><td>甲</td></tr></table>\n单位：万元\n<table><caption>表二</caption><tr><th>乙</th></tr></table>\n</body></html>";
    let page = read_str(src);
    assert_eq!(
        texts(&page),
        vec![
            vec!["2022年度汇总表"],
            vec!["项目支出绩效目标表"],
            vec!["(2022年)"],
            vec!["甲"],
            vec!["单位：万元"],
            vec!["表二"],
            vec!["乙"]
        ]
    );
    let kinds: Vec<RowKind> = page.grid.rows.iter().map(|r| r.kind).collect();
    assert_eq!(kinds[..3], [RowKind::Text; 3]);
    assert_eq!(kinds[3], RowKind::Table);
    let pos: Vec<Pos> = page.grid.rows.iter().map(|r| r.cells[0].pos).collect();
    assert_eq!(
        pos,
        [(4, 5), (5, 7), (5, 24), (6, 12), (7, 1), (8, 17), (8, 33)]
            .map(|(line, column)| Pos::Line { line, column })
    );
    assert!(page.diagnostics.is_empty());
}

#[test]
fn nested_tables_follow_the_outer_table() {
    let src = "<table><tr><td>外甲<table><tr><td>内一</td><td>内二</td></tr></table>外乙</td><td>外丙</td></tr>\n<tr><td colspan=2>外丁</td></tr></table><p>后</p>";
    let page = read_str(src);
    assert_eq!(
        texts(&page),
        vec![
            vec!["外甲\n外乙", "外丙"],
            vec!["外丁", ""],
            vec!["内一", "内二"],
            vec!["后"]
        ]
    );
    assert_eq!(
        page.grid.rows[1].cells[0].pos,
        Pos::Line { line: 2, column: 5 }
    );
    assert_eq!(
        page.grid.rows[2].cells[1].pos,
        Pos::Line {
            line: 1,
            column: 40
        }
    );
    assert_eq!(
        page.grid.rows[3].cells[0].pos,
        Pos::Line {
            line: 2,
            column: 42
        }
    );
    assert_eq!(codes(&page), ["I323"]);
    assert_eq!(page.diagnostics[0].location.column, Some(18));
}

#[test]
fn bad_spans_are_read_as_browsers_do_and_reported() {
    let page = read_str(
        "<table><tr><td colspan=\"abc\">甲</td><td rowspan=100000>乙</td><td colspan=2px>丙</td></tr>\
         <tr><td colspan=3>丁</td></tr><tr><td rowspan=0>戊</td><td colspan=0>己</td></tr><tr><td>庚</td></tr></table>",
    );
    assert_eq!(
        texts(&page),
        vec![
            vec!["甲", "乙", "丙", ""],
            vec!["丁", ""],
            vec!["戊", "", "己"],
            vec!["", "", "庚"]
        ]
    );
    let rows = &page.grid.rows;
    assert_eq!(
        rows[0].cells[1].row_span, 4,
        "clamped to the rows of the table"
    );
    assert_eq!(rows[1].cells[0].col_span, 1, "丁 overlaps 乙's rowspan");
    assert_eq!(
        rows[2].cells[0].row_span, 2,
        "rowspan=0 runs to the end of the group"
    );
    assert_eq!(codes(&page), ["I320", "I321", "I320", "I322", "I320"]);
    assert!(
        page.diagnostics[1].message.contains("rowspan=100000"),
        "{}",
        page.diagnostics[1].message
    );
}

#[test]
fn huge_colspan_is_clamped() {
    let page =
        read_str("<table><tr><td colspan=99999999999999999999999>甲</td><td>乙</td></tr></table>");
    assert_eq!(page.grid.rows[0].cells.len(), MAX_COLUMNS + 1);
    assert_eq!(page.grid.rows[0].cells[0].col_span as usize, MAX_COLUMNS);
    assert_eq!(codes(&page), ["I321"]);
}

#[test]
fn row_groups_bound_rowspans() {
    let page = read_str(
        "<table><thead><tr><th rowspan=3>头</th></tr></thead><tbody><tr><td>身</td></tr></tbody></table>",
    );
    assert_eq!(texts(&page), vec![vec!["头"], vec!["身"]]);
    assert_eq!(codes(&page), ["I321"]);
}

#[test]
fn empty_and_missing_tables_are_reported() {
    let page = read_str("<table></table><table><tr></tr></table>");
    assert_eq!(codes(&page), ["I324", "I324"]);
    let page = read_str("<html><body><p>你好</p></body></html>");
    assert_eq!(texts(&page), vec![vec!["你好"]]);
    assert_eq!(codes(&page), ["I325"]);
    let page = read_str("");
    assert!(page.grid.rows.is_empty());
    assert_eq!(codes(&page), ["I325"]);
}

#[test]
fn unclosed_and_stray_tags() {
    let page = read_str("<table><tr><td>甲<td>乙<tr><td>丙</table></td>x<td>孤</td>");
    assert_eq!(
        texts(&page),
        vec![vec!["甲", "乙"], vec!["丙"], vec!["x孤"]]
    );
    assert_eq!(
        page.grid.rows[1].cells[0].pos,
        Pos::Line {
            line: 1,
            column: 26
        }
    );
}

#[test]
fn offsets_for_embedded_blocks() {
    let page = read(
        "<table><tr><td>甲</td></tr>\n<tr><td>乙</td></tr></table>",
        &Options {
            file: None,
            first_line: 7,
            first_column: 3,
        },
    );
    let pos: Vec<Pos> = page.grid.rows.iter().map(|r| r.cells[0].pos).collect();
    assert_eq!(
        pos,
        [
            Pos::Line {
                line: 7,
                column: 14
            },
            Pos::Line { line: 8, column: 5 }
        ]
    );
}

#[test]
fn detection_and_charsets() {
    assert!(looks_like_html(b"\xEF\xBB\xBF  <!DOCTYPE HTML>"));
    assert!(looks_like_html(b"<!-- saved -->\n<html lang=zh>"));
    assert!(looks_like_html(b"<TABLE border=1>"));
    assert!(looks_like_html(
        b"<?xml version=\"1.0\"?><html xmlns=\"x\">"
    ));
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("<html>".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert!(looks_like_html(&utf16));
    // Without BOM, and in UTF-32 with or without one.
    let page = "<html>\n<table><tr><td>预算单位</td></tr></table>\n";
    assert!(looks_like_html(&utf16[2..]));
    let be16: Vec<u8> = page.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert!(looks_like_html(&be16));
    let le32: Vec<u8> = page
        .chars()
        .flat_map(|c| u32::from(c).to_le_bytes())
        .collect();
    assert!(looks_like_html(&le32));
    let bom32: Vec<u8> = [0xFF, 0xFE, 0, 0].into_iter().chain(le32).collect();
    assert!(looks_like_html(&bom32));
    assert!(!looks_like_html(b"# title\n<table>"));
    assert!(!looks_like_html(b"<tablet>"));
    assert!(!looks_like_html(b"<b>\xe9\xa2\x84\xe7\xae\x97</b>\t1"));
    assert_eq!(
        declared_charset(b"<meta charset='gbk'>").as_deref(),
        Some("gbk")
    );
    assert_eq!(
        declared_charset(b"<?xml version=\"1.0\" encoding=\"GB18030\"?><html>").as_deref(),
        Some("GB18030")
    );
    assert_eq!(declared_charset(b"<meta name=x><p>charset=utf-8"), None);
    let (gb, _, _) = encoding_rs::GB18030.encode("<meta charset=utf-8><p>预算</p>");
    let (page, diags) = decode(&gb, Some("a.html")).unwrap().into_parts();
    assert_eq!(page.encoding, "gb18030");
    assert_eq!(diags[0].code, "I326");
    let diags = decode("<meta charset=klingon><p>预算</p>".as_bytes(), None)
        .unwrap()
        .diagnostics;
    assert!(diags[0].message.contains("klingon"), "{}", diags[0].message);
}

/// Tables nested past the limit (unclosed, as a hostile page writes them): the page is
/// read up to the table that goes too deep and I327 says where the rest begins; closed
/// tables side by side, however many, are not nesting.
#[test]
fn tables_nested_too_deep_are_cut_where_they_go_too_deep() {
    let deep = format!(
        "<table><tr><td>预算单位</td><td>甲</td></tr></table>{}乙",
        "<table><tr><td>".repeat(MAX_TABLE_NESTING + 10)
    );
    let page = read(&deep, &Options::default());
    let cut: Vec<_> = page
        .diagnostics
        .iter()
        .filter(|d| d.code == "I327")
        .collect();
    assert_eq!(cut.len(), 1);
    assert_eq!(cut[0].location.line, Some(1));
    assert_eq!(page.grid.rows[0].cells[0].text, "预算单位");
    let side_by_side = "<table><tr><td>甲</td></tr></table>".repeat(10 * MAX_TABLE_NESTING);
    let page = read(&side_by_side, &Options::default());
    assert!(page.diagnostics.iter().all(|d| d.code != "I327"));
    // One pass: 100,000 unclosed tables are cut at once.
    let many = "<TABLE >".repeat(100_000);
    let (kept, at) = within_nesting(&many);
    assert_eq!(
        (kept.len(), at),
        (8 * MAX_TABLE_NESTING, Some(8 * MAX_TABLE_NESTING))
    );
}
