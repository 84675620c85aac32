//! Workbook reader: arbitrary bytes as .xlsx/.xls/.ods. Seed the corpus with real workbooks
//! (`fixtures/excel`) so the mutations start inside zip and OLE containers.
//!
//! A panic inside calamine is contained by the reader (the file is reported as damaged), as in
//! the `jixiao` binary; libFuzzer's panic hook aborts on every panic, so the target keeps that
//! hook only for panics the reader does not contain.
#![no_main]
mod common;
use libfuzzer_sys::fuzz_target;
use std::sync::Once;

static HOOK: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !jixiao_excel::containing_panic() {
                previous(info);
            }
        }));
    });
    if let Ok(book) = jixiao_excel::read(data, Some("fuzz.xlsx")) {
        common::after_read(&book.grids);
    }
});
