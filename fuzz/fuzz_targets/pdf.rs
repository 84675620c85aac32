//! PDF reader: arbitrary bytes as a .pdf — the limits checked before the interpreter
//! allocates (pages, decoded stream sizes, operators per page), the table finder over whatever
//! lines and glyphs come out, then recognition, review and layout. Seed the corpus with the
//! PDF fixtures (`fixtures/pdf`) and jixiao's own PDF of the seed (`fuzz/seed` makes it).
#![no_main]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = jixiao_pdf_input::is_pdf(data);
    if let Ok(page) = jixiao_pdf_input::read(data, Some("fuzz.pdf")) {
        common::after_read(&[page.grid]);
    }
});
