//! HTML reader: arbitrary bytes as a saved web page.
#![no_main]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = jixiao_html::looks_like_html(data);
    if let Ok(decoded) = jixiao_html::decode(data, Some("fuzz.html")).map(|w| w.output) {
        let options = jixiao_html::Options {
            file: Some("fuzz.html"),
            ..jixiao_html::Options::default()
        };
        let page = jixiao_html::read(&decoded.text, &options);
        common::after_read(&[page.grid]);
    }
});
