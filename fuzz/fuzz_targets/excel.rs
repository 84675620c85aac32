//! Workbook reader: arbitrary bytes as .xlsx/.xls/.ods. Seed the corpus with real workbooks
//! (`fixtures/excel`) so the mutations start inside zip and OLE containers.
#![no_main]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(book) = jixiao_excel::read(data, Some("fuzz.xlsx")) {
        common::after_read(&book.grids);
    }
});
