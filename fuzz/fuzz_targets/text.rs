//! Text/Markdown reader: arbitrary bytes as an OCR'd `.md` file.
#![no_main]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = jixiao_grid::text::decode(data) {
        let page = jixiao_markdown::read_page(&decoded.text, Some("fuzz.md"));
        common::after_read(&[page.grid]);
    }
});
