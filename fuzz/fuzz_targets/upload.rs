//! The page's upload path (`jixiao serve`): an upload's name cleaned, and a .zip unpacked as
//! an upload is — entry names cleaned and made unique, each entry streamed to disk within the
//! limits and a shared budget. The page takes a raw body and its name in the query (no
//! multipart), so that is what is fuzzed. Input: a first byte `Z` means the rest is a .zip
//! named `上传.zip`; otherwise the bytes up to the first line break are the name and the rest
//! the body.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (name, body) = match data.split_first() {
        Some((b'Z', rest)) => ("上传.zip".to_string(), rest),
        _ => {
            let cut = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
            let name = String::from_utf8_lossy(&data[..cut]).into_owned();
            (name, data.get(cut + 1..).unwrap_or_default())
        }
    };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let _ = jixiao::serve::fuzz_upload(&name, body, dir.path());
});
