//! JSON reader: arbitrary text as a `jixiao/1` document, then review and layout.
#![no_main]
mod common;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(doc) = jixiao_json::from_str(text)
    {
        common::review_and_lay_out(&doc);
        let _ = jixiao_json::to_string(&doc);
    }
});
