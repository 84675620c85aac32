//! The one golden-file helper of the workspace's tests.
//!
//! A golden file is an output committed to the repository; a test compares what the code
//! produces with it exactly. `JIXIAO_BLESS=1 cargo test …` rewrites the golden files instead:
//! review the diff before committing it. Paths are relative to the repository root, so every
//! crate's tests name the same file the same way.
//!
//! ```
//! // An output equal to its golden file passes.
//! let text = std::fs::read_to_string(jixiao_golden::root().join("fixtures/heshuo-2022.check.txt")).unwrap();
//! assert!(jixiao_golden::compare("fixtures/heshuo-2022.check.txt", &text).is_ok());
//! assert!(jixiao_golden::compare("fixtures/heshuo-2022.check.txt", "other").is_err());
//! ```

use std::path::{Path, PathBuf};

/// The repository root (the workspace folder).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// True when the tests run with `JIXIAO_BLESS` set: golden files are rewritten.
pub fn blessing() -> bool {
    std::env::var_os("JIXIAO_BLESS").is_some()
}

/// Compares `actual` with the golden file at `path` (relative to the repository root); with
/// `JIXIAO_BLESS=1` writes `actual` there instead.
///
/// # Errors
///
/// A message naming the file and the first differing line (expected and actual text), or
/// saying the file is missing or could not be written.
pub fn compare(path: &str, actual: &str) -> Result<(), String> {
    let full = root().join(path);
    if blessing() {
        return std::fs::write(&full, actual)
            .map_err(|e| format!("cannot write golden file {path}: {e}"));
    }
    let expected = std::fs::read_to_string(&full)
        .map_err(|e| format!("golden file {path} missing ({e}); run with JIXIAO_BLESS=1"))?;
    if expected == actual {
        return Ok(());
    }
    let (e, a): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let line = e
        .iter()
        .zip(&a)
        .position(|(x, y)| x != y)
        .unwrap_or(e.len().min(a.len()));
    Err(format!(
        "{path} differs from the output at line {} (JIXIAO_BLESS=1 accepts the output; review the diff):\n expected: {:?}\n   actual: {:?}",
        line + 1,
        e.get(line),
        a.get(line)
    ))
}

/// [`compare`], panicking with its message.
///
/// # Panics
///
/// When the output differs from the golden file, or the file is missing.
pub fn check(path: &str, actual: &str) {
    if let Err(message) = compare(path, actual) {
        panic!("{message}");
    }
}
