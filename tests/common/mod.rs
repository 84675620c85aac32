//! Helpers shared by the end-to-end tests.

#![allow(dead_code)]

use std::path::Path;

/// Compares `actual` with the golden file at `path` (relative to the repository root).
/// With `JIXIAO_BLESS=1` the golden file is rewritten instead.
pub fn golden(path: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var_os("JIXIAO_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "golden file {} missing ({e}); run with JIXIAO_BLESS=1",
            path.display()
        )
    });
    if expected != actual {
        let diff_line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {} (run with JIXIAO_BLESS=1 to accept):\n expected: {:?}\n   actual: {:?}",
            path.display(),
            diff_line + 1,
            expected.lines().nth(diff_line),
            actual.lines().nth(diff_line)
        );
    }
}

/// The `jixiao` binary, run from the repository root.
pub fn jixiao() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("jixiao").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The `report.json` a batch wrote in `out`.
pub fn batch_report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap()
}

/// The report line of `file` (relative to the input folder).
pub fn report_entry<'a>(report: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"] == file)
        .unwrap_or_else(|| panic!("{file} not in report: {report:#}"))
}
