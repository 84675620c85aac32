//! Sizes a workbook declares or implies are checked before calamine allocates for them: the
//! hostile fixtures are refused with a clear message (and would abort the process otherwise),
//! while a workbook that is large but sane still reads.

use jixiao_excel::{ExcelError, read};
use rust_xlsxwriter::Workbook;

fn hostile(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../../fixtures/hostile/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn refused(bytes: &[u8]) -> String {
    match read(bytes, Some("x.xlsx")) {
        Err(ExcelError::TooLarge(m)) => m,
        other => panic!("expected TooLarge, got {other:?}"),
    }
}

fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("绩效目标").unwrap();
    for &(r, c, text) in cells {
        sheet.write_string(r, c, text).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn a_far_value_is_refused_with_its_sheet_and_cell() {
    let m = refused(&hostile("far-value-xfd1048576.xlsx"));
    assert!(m.contains("“绩效目标”") && m.contains("XFD1048576"), "{m}");
    // The same kind written by another producer, at another far cell.
    let m = refused(&xlsx(&[(0, 0, "预算单位"), (999_999, 9_000, "x")]));
    assert!(m.contains("“绩效目标”") && m.contains("MHE1000000"), "{m}");
    // A large but sane sheet still reads: 3,000 rows × 40 columns.
    let book = read(&xlsx(&[(0, 0, "预算单位"), (2_999, 39, "末")]), None).unwrap();
    assert_eq!(book.grids[0].rows.len(), 3_000);
    assert_eq!(book.grids[0].rows[0].cells.len(), 40);
}

#[test]
fn forged_counts_and_sizes_are_refused() {
    let m = refused(&hostile("shared-strings-forged-count.xlsx"));
    assert!(m.contains("4294967000"), "{m}");
    let m = refused(&hostile("zip-entry-claims-3gb.xlsx"));
    assert!(
        m.contains("xl/worksheets/sheet1.xml") && m.contains("2861 MB"),
        "{m}"
    );
    let m = refused(&hostile("ods-repeated-cells.ods"));
    assert!(m.contains("“绩效目标”"), "{m}");
    // Space runs are counted as calamine writes them out (a 1 KB file asking for terabytes).
    let m = refused(&hostile("ods-space-repeats.ods"));
    assert!(m.contains("“绩效目标”") && m.contains("text:s"), "{m}");
    let m = refused(&hostile("xls-dimensions-forged.xls"));
    assert!(
        m.contains("DIMENSIONS") && m.contains("2147483647 行"),
        "{m}"
    );
}

#[test]
fn an_xlsb_is_read_not_called_damaged() {
    let book = read(&hostile("valid-binary-workbook.xlsb"), Some("b.xlsb")).unwrap();
    assert_eq!(book.kind, jixiao_excel::Kind::Xlsb);
    let rows = &book.grids[0].rows;
    assert_eq!(rows[0].cells[0].text, "预算单位");
    assert_eq!(rows[0].cells[4].text, "项目名称");
    assert_eq!(rows[1].cells[2].text, "12.5");
}

#[test]
fn every_workbook_fixture_passes_the_checks() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../fixtures/excel");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.to_string_lossy().into_owned();
        if [".xlsx", ".xls", ".ods"].iter().any(|e| name.ends_with(e)) {
            let bytes = std::fs::read(&path).unwrap();
            let kind = jixiao_excel::detect(&bytes).unwrap();
            jixiao_excel::limits::check(kind, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked}");
}

/// An ODS workbook of one sheet “绩效目标” whose rows after the first are `rows`.
fn ods(rows: &str) -> Vec<u8> {
    use std::io::Write;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="绩效目标">
<table:table-row><table:table-cell office:value-type="string"><text:p>预算单位</text:p></table:table-cell></table:table-row>
{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

/// Each thing that multiplies an ODS cell's text is counted before calamine writes it out
/// (each of these aborted the process under a 4 GiB limit): a space run's count written with
/// character references, spaces and plain text repeated over columns and rows, a string value
/// repeated. The message names the sheet and the cell, and says what to do.
#[test]
fn ods_cell_text_is_counted_as_written_out() {
    let string_cell = |repeat: &str, body: &str| {
        format!(
            r#"<table:table-row {repeat}><table:table-cell table:number-columns-repeated="{{n}}" office:value-type="string">{body}</table:table-cell></table:table-row>"#
        )
    };
    let escaped: String = "2000000000"
        .chars()
        .map(|c| format!("&#{};", c as u32))
        .collect();
    let hostile = [
        // 2·10⁹ spaces, the count written as character references.
        string_cell(
            "",
            &format!(r#"<text:p>甲<text:s text:c="{escaped}"/>乙</text:p>"#),
        )
        .replace("{n}", "1"),
        // 10⁷ spaces (few) in a cell repeated over 16,384 columns.
        string_cell("", r#"<text:p>甲<text:s text:c="10000000"/>乙</text:p>"#)
            .replace("{n}", "16384"),
        // 200 KB of text repeated over 200 rows × 200 columns.
        string_cell(
            r#"table:number-rows-repeated="200""#,
            &format!("<text:p>{}</text:p>", "x".repeat(200_000)),
        )
        .replace("{n}", "200"),
        // A string value (attribute) repeated the same way, in an empty cell element.
        format!(
            r#"<table:table-row table:number-rows-repeated="200"><table:table-cell table:number-columns-repeated="200" office:value-type="string" office:string-value="{}"/></table:table-row>"#,
            "x".repeat(200_000)
        ),
    ];
    for (i, rows) in hostile.iter().enumerate() {
        let m = refused(&ods(rows));
        assert!(
            m.contains("“绩效目标”") && m.contains("A2") && m.contains("请在表格软件中打开"),
            "{i}: {m}"
        );
    }
    // Sane: 100 KB of text over 10 columns, and a run of 1,000 spaces, still read.
    let sane = string_cell("", &format!("<text:p>{}</text:p>", "x".repeat(100_000)))
        .replace("{n}", "10")
        + r#"<table:table-row><table:table-cell office:value-type="string"><text:p>甲<text:s text:c="1000"/>乙</text:p></table:table-cell></table:table-row>"#;
    let book = read(&ods(&sane), Some("s.ods")).unwrap();
    let rows = &book.grids[0].rows;
    assert_eq!(rows[1].cells.len(), 10);
    assert_eq!(rows[1].cells[9].text.len(), 100_000);
    assert_eq!(
        rows[2].cells[0].text.chars().filter(|c| *c == ' ').count(),
        1000
    );
}
