//! The reader's tests: WordprocessingML bodies read into grids.

use super::*;
use jixiao_grid::{Covered, Pos, RowKind};

fn read_body(body: &str) -> Page {
    read_document_xml(&wrap_body(body), Some("t.docx")).expect("readable")
}

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

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
}

fn tc(props: &str, body: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
}

#[test]
fn spans_and_vertical_merges_lay_out_like_html() {
    let page = read_body(&format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        tc("<w:gridSpan w:val=\"2\"/>", &p("预算单位")),
        tc("", &p("民政局")),
        tc("<w:vMerge w:val=\"restart\"/>", &p("产出指标")),
        tc("", &p("数量指标")),
        tc("", &p("≥221人")),
        tc("<w:vMerge/>", "<w:p/>"),
        tc("", &p("质量指标")),
        tc("", &p("=100%")),
    ));
    assert_eq!(
        texts(&page),
        [
            vec!["预算单位", "", "民政局"],
            vec!["产出指标", "数量指标", "≥221人"],
            vec!["", "质量指标", "=100%"],
        ]
    );
    let rows = &page.grid.rows;
    assert_eq!(rows[0].cells[0].col_span, 2);
    assert_eq!(rows[0].cells[1].covered, Some(Covered::Left));
    assert_eq!(rows[1].cells[0].row_span, 2);
    assert_eq!(rows[2].cells[0].covered, Some(Covered::Above));
    assert_eq!(
        rows[2].cells[0].pos,
        Pos::Table {
            table: 1,
            row: 2,
            col: 1
        }
    );
    assert_eq!(
        rows[0].cells[2].pos,
        Pos::Table {
            table: 1,
            row: 1,
            col: 3
        }
    );
    assert!(page.diagnostics.is_empty(), "{:?}", page.diagnostics);
}

#[test]
fn grid_before_and_after_line_columns_up() {
    let page = read_body(&format!(
        "<w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"1\"/><w:gridAfter w:val=\"1\"/></w:trPr>{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
        tc("", &p("标题")),
        tc("", &p("a")),
        tc("", &p("b")),
        tc("", &p("c")),
    ));
    assert_eq!(texts(&page), [vec!["", "标题", ""], vec!["a", "b", "c"]]);
    assert_eq!(
        page.grid.rows[0].cells[1].pos,
        Pos::Table {
            table: 1,
            row: 1,
            col: 2
        }
    );
}

#[test]
fn paragraphs_become_text_rows_in_order_with_their_numbers() {
    let page = read_body(&format!(
        "{}<w:p/>{}<w:tbl><w:tr>{}</w:tr></w:tbl>{}",
        p("项目支出绩效目标表"),
        "<w:p><w:r><w:t>（2022年）</w:t><w:br/><w:t xml:space=\"preserve\">填报单位：民政局 </w:t></w:r></w:p>",
        tc("", &p("x")),
        p("填表人：张三")
    ));
    assert_eq!(
        texts(&page),
        [
            vec!["项目支出绩效目标表"],
            vec!["（2022年）"],
            vec!["填报单位：民政局"],
            vec!["x"],
            vec!["填表人：张三"],
        ]
    );
    let kinds: Vec<RowKind> = page.grid.rows.iter().map(|r| r.kind).collect();
    assert_eq!(kinds[0], RowKind::Text);
    assert_eq!(kinds[3], RowKind::Table);
    assert_eq!(
        page.grid.rows[1].cells[0].pos,
        Pos::Paragraph { paragraph: 3 }
    );
    assert_eq!(
        page.grid.rows[4].cells[0].pos,
        Pos::Paragraph { paragraph: 4 }
    );
}

#[test]
fn cell_paragraphs_and_breaks_are_line_breaks() {
    let page = read_body(&format!(
        "<w:tbl><w:tr>{}</w:tr></w:tbl>",
        tc(
            "",
            "<w:p/><w:p><w:r><w:t>目标1：</w:t><w:tab/><w:t>甲</w:t></w:r></w:p><w:p><w:r><w:t>目标2：乙</w:t><w:br/><w:t>丙&amp;丁</w:t></w:r></w:p><w:p/>"
        )
    ));
    assert_eq!(texts(&page), [vec!["目标1： 甲\n目标2：乙\n丙&丁"]]);
}

#[test]
fn tracked_changes_are_read_as_accepted() {
    let page = read_body(&format!(
        "<w:tbl><w:tr>{}</w:tr></w:tbl>",
        tc(
            "",
            "<w:p><w:r><w:t>≥</w:t></w:r><w:del w:id=\"1\"><w:r><w:delText>90</w:delText></w:r></w:del><w:ins w:id=\"2\"><w:r><w:t>95</w:t></w:r></w:ins><w:r><w:t>%</w:t></w:r><w:moveFrom w:id=\"3\"><w:r><w:t>旧</w:t></w:r></w:moveFrom></w:p>"
        )
    ));
    assert_eq!(texts(&page), [vec!["≥95%"]]);
    assert_eq!(codes(&page), ["I335"]);
    assert!(page.diagnostics[0].message.contains("1 处插入、2 处删除"));
}

#[test]
fn hidden_text_is_left_out_and_content_controls_read_through() {
    let page = read_body(&format!(
        "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏说明</w:t></w:r></w:p><w:tbl><w:sdt><w:sdtPr><w:alias w:val=\"行\"/></w:sdtPr><w:sdtContent><w:tr><w:sdt><w:sdtPr><w:tag w:val=\"v\"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>{}</w:tr></w:sdtContent></w:sdt></w:tbl>",
        tc("", &p("满意度")),
        tc(
            "",
            "<w:p><w:sdt><w:sdtPr><w:placeholder><w:docPart w:val=\"x\"/></w:placeholder></w:sdtPr><w:sdtContent><w:r><w:t>≥90%</w:t></w:r></w:sdtContent></w:sdt><w:r><w:rPr><w:vanish w:val=\"true\"/></w:rPr><w:t>（草稿）</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>！</w:t></w:r></w:p>"
        )
    ));
    assert_eq!(texts(&page), [vec!["满意度", "≥90%！"]]);
    assert_eq!(codes(&page), ["I336"]);
    assert!(page.diagnostics[0].message.contains("2 处"));
}

#[test]
fn nested_tables_follow_the_outer_table() {
    let inner = format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
        tc("", &p("一级指标")),
        tc("", &p("二级指标"))
    );
    let page = read_body(&format!(
        "<w:tbl><w:tr>{}{}</w:tr></w:tbl><w:tbl><w:tr>{}</w:tr></w:tbl>",
        tc("", &p("附件")),
        tc("", &format!("{}{inner}<w:p/>", p("项目支出绩效目标表"))),
        tc("", &p("后表")),
    ));
    assert_eq!(
        texts(&page),
        [
            vec!["附件", "项目支出绩效目标表"],
            vec!["一级指标", "二级指标"],
            vec!["后表"],
        ]
    );
    assert_eq!(
        page.grid.rows[1].cells[1].pos,
        Pos::Table {
            table: 2,
            row: 1,
            col: 2
        }
    );
    assert_eq!(
        page.grid.rows[2].cells[0].pos,
        Pos::Table {
            table: 3,
            row: 1,
            col: 1
        }
    );
    assert_eq!(codes(&page), ["I330"]);
    assert_eq!(
        page.diagnostics[0].location.cell.as_deref(),
        Some("表2 第1行第1列")
    );
}

#[test]
fn merge_repairs_are_reported() {
    let page = read_body(&format!(
        "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
        tc("<w:vMerge/>", &p("无处合并")),
        tc("<w:vMerge w:val=\"restart\"/>", &p("甲")),
        tc("<w:gridSpan w:val=\"x\"/>", &p("乙")),
        tc("<w:vMerge/>", &p("被盖住")),
    ));
    assert_eq!(texts(&page), [vec!["无处合并", "甲"], vec!["乙", ""]]);
    assert_eq!(codes(&page), ["I334", "I332", "I333"]);
}

#[test]
fn legacy_horizontal_merges_are_spans() {
    let page = read_body(&format!(
        "<w:tbl><w:tr>{}{}{}</w:tr></w:tbl>",
        tc("<w:hMerge w:val=\"restart\"/>", &p("项目名称")),
        tc("<w:hMerge/>", "<w:p/>"),
        tc("", &p("城市低保")),
    ));
    assert_eq!(texts(&page), [vec!["项目名称", "", "城市低保"]]);
    assert_eq!(page.grid.rows[0].cells[0].col_span, 2);
    assert_eq!(page.grid.rows[0].cells[1].covered, Some(Covered::Left));
}

#[test]
fn a_document_without_tables_says_so() {
    let page = read_body(&p("关于报送绩效目标的说明"));
    assert_eq!(texts(&page), [vec!["关于报送绩效目标的说明"]]);
    assert_eq!(codes(&page), ["I331"]);
}

#[test]
fn other_namespace_prefixes_and_fallbacks() {
    let xml = format!(
        "<x:document xmlns:x=\"{}\" xmlns:mc=\"{}\"><x:body><x:p><mc:AlternateContent><mc:Choice Requires=\"wps\"><x:r><x:t>甲</x:t></x:r></mc:Choice><mc:Fallback><x:r><x:t>甲</x:t></x:r></mc:Fallback></mc:AlternateContent></x:p></x:body></x:document>",
        WML, MC
    );
    let page = read_document_xml(&xml, None).unwrap();
    assert_eq!(texts(&page), [vec!["甲"]]);
}

#[test]
fn damaged_or_hostile_xml_is_refused() {
    assert!(matches!(
        read_document_xml(
            &wrap_body("<w:tbl><w:tr>").replace("</w:body></w:document>", ""),
            None
        ),
        Err(DocxError::Corrupt(_))
    ));
    assert!(matches!(
        read_document_xml("<w:document><w:body></w:p></w:body></w:document>", None),
        Err(DocxError::Corrupt(_))
    ));
    let deep = format!(
        "{}{}",
        "<w:sdt>".repeat(MAX_DEPTH + 1),
        "</w:sdt>".repeat(MAX_DEPTH + 1)
    );
    assert!(matches!(
        read_document_xml(&wrap_body(&deep), None),
        Err(DocxError::TooLarge(_))
    ));
    let wide = format!(
        "<w:tbl>{}</w:tbl>",
        format!(
            "<w:tr>{}</w:tr>",
            "<w:tc><w:tcPr><w:gridSpan w:val=\"1000\"/></w:tcPr></w:tc>"
        )
        .repeat(2100)
    );
    assert!(matches!(
        read_document_xml(&wrap_body(&wide), None),
        Err(DocxError::TooLarge(_))
    ));
    assert!(matches!(
        read(b"PK\x03\x04word/document.xml", None),
        Err(DocxError::Corrupt(_))
    ));
}

#[test]
fn legacy_binary_formats_are_named() {
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
    assert!(legacy(&doc, "a.doc").unwrap().to_string().contains(".doc"));
    assert!(legacy(&doc, "a.WPS").unwrap().to_string().contains(".wps"));
    let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    xls.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
    assert_eq!(legacy(&xls, "a.et"), None);
    assert_eq!(legacy(&xls, "a.xls"), None);
    assert_eq!(legacy(b"PK\x03\x04", "a.doc"), None);
}

proptest::proptest! {
    /// Any prefix or byte change of a small document gives a page or an error, never a
    /// panic, and never more rows than the XML has characters.
    #[test]
    fn never_panics(cut in 0usize..1200, flip in 0usize..1200, byte in 0u8..128) {
        let body = format!(
            "{}<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            p("标题"),
            tc("<w:vMerge w:val=\"restart\"/><w:gridSpan w:val=\"2\"/>", &p("一级")),
            tc("", &p("值")),
            tc("<w:vMerge/><w:gridSpan w:val=\"2\"/>", "<w:p/>"),
            tc("", "<w:p><w:ins><w:r><w:t>新</w:t></w:r></w:ins></w:p>"),
        );
        let mut xml = wrap_body(&body).into_bytes();
        if flip < xml.len() {
            xml[flip] = byte;
        }
        xml.truncate(cut.min(xml.len()));
        if let Ok(text) = std::str::from_utf8(&xml)
            && let Ok(page) = read_document_xml(text, None)
        {
            proptest::prop_assert!(page.grid.rows.len() <= text.len());
        }
    }
}

/// Empty tables, rows and cells hold nothing but cost work: they are counted as they open,
/// so a document of millions of them is refused before it is laid out, whatever is in them.
#[test]
fn empty_tables_rows_and_cells_count_against_the_limits() {
    let tables = format!(
        "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
        "<w:tbl></w:tbl>".repeat(MAX_TABLES)
    );
    match read_document_xml(&wrap_body(&tables), None) {
        Err(DocxError::TooLarge(why)) => assert!(why.contains("表格"), "{why}"),
        other => panic!("{:?}", other.map(|p| p.grid.rows.len())),
    }
    for element in ["<w:tr/>", "<w:tr><w:tc/></w:tr>"] {
        let rows = format!("<w:tbl>{}</w:tbl>", element.repeat(MAX_SLOTS));
        assert!(matches!(
            read_document_xml(&wrap_body(&rows), None),
            Err(DocxError::TooLarge(_))
        ));
    }
    // Just under the table limit is read.
    let fewer = format!(
        "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
        "<w:tbl></w:tbl>".repeat(100)
    );
    assert!(read_document_xml(&wrap_body(&fewer), None).is_ok());
}

/// Where a cell is in a long row of spans is known from the spans added up so far, not
/// re-summed per cell: the column given to a bad span's warning is still right.
#[test]
fn columns_after_spans_are_kept_as_the_row_grows() {
    let row = format!(
        "<w:tbl><w:tr>{}<w:tc><w:tcPr><w:gridSpan w:val=\"x\"/></w:tcPr></w:tc></w:tr></w:tbl>",
        "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr></w:tc>".repeat(3)
    );
    let page = read_document_xml(&wrap_body(&row), Some("a.docx")).unwrap();
    let bad = page.diagnostics.iter().find(|d| d.code == "I334").unwrap();
    assert!(
        bad.location.to_string().contains("第1行第7列"),
        "{}",
        bad.location
    );
}

/// An encrypted .docx is a compound file holding `EncryptedPackage`: it is called a
/// password-protected Word document, not a workbook; the same bytes named .xlsx are left
/// to the workbook reader.
#[test]
fn an_encrypted_docx_is_called_a_protected_word_document() {
    use std::io::Write;
    let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
    file.create_stream("/EncryptionInfo").unwrap();
    file.create_stream("/EncryptedPackage")
        .unwrap()
        .write_all(b"x")
        .unwrap();
    file.flush().unwrap();
    let bytes = file.into_inner().into_inner();
    let err = legacy(&bytes, "表.docx").unwrap();
    assert_eq!(err, DocxError::Encrypted);
    assert!(err.to_string().contains("密码保护的 Word 文档"));
    assert_eq!(legacy(&bytes, "表.xlsx"), None);
}
