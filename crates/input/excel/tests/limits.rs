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
