//! Word reader: arbitrary bytes as a .docx, and as the `word/document.xml` inside one (most
//! mutations of a zip break its container; fuzzing the XML alone reaches the table reader).
//! Seed the corpus with the Word fixtures (`fixtures/docx`) and their document.xml.
#![no_main]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = jixiao_docx::is_docx(data);
    let _ = jixiao_docx::legacy(data, "fuzz.doc");
    if let Ok(page) = jixiao_docx::read(data, Some("fuzz.docx")) {
        common::after_read(&[page.grid]);
    }
    if let Ok(xml) = std::str::from_utf8(data)
        && let Ok(page) = jixiao_docx::read_document_xml(xml, Some("fuzz.docx"))
    {
        common::after_read(&[page.grid]);
    }
});
