//! Helpers shared by the end-to-end tests.

#![allow(dead_code, unused_imports)]

use std::path::Path;

/// Golden files: the workspace's one helper (`JIXIAO_BLESS=1` rewrites them).
pub(crate) use jixiao_golden::check as golden;

/// The `jixiao` binary, run from the repository root.
pub(crate) fn jixiao() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("jixiao").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

/// The `report.json` a batch wrote in `out`.
pub(crate) fn batch_report(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("report.json")).unwrap()).unwrap()
}

/// The report line of `file` (relative to the input folder).
pub(crate) fn report_entry<'a>(report: &'a serde_json::Value, file: &str) -> &'a serde_json::Value {
    report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["file"] == file)
        .unwrap_or_else(|| panic!("{file} not in report: {report:#}"))
}

/// The diagnostic codes of a JSON document, in order.
pub(crate) fn codes(doc: &serde_json::Value) -> Vec<String> {
    doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

/// The document without anything that says where it came from (every `…location` key), so
/// that the same table read from two formats compares equal.
pub(crate) fn without_locations(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|key, _| !key.ends_with("location"));
            map.values_mut().for_each(without_locations);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_locations),
        _ => {}
    }
}
