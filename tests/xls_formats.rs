//! .xls cells as Excel shows them: an .xls copy (made with LibreOffice, see fixtures/README.md)
//! of every .xlsx layout fixture gives the same document as the .xlsx, number formats included,
//! and no I312 note.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn load(rel: &str) -> jixiao::model::Document {
    let bytes = std::fs::read(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    jixiao::load(rel, &bytes, &jixiao::Options::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Drops every location so that documents from different formats compare by content.
fn without_locations(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|k, _| !k.ends_with("location"));
            map.values_mut().for_each(without_locations);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(without_locations),
        _ => {}
    }
}

/// The document by content: no locations, and its diagnostics as codes and messages only.
fn content(doc: &jixiao::model::Document) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&jixiao_json::to_string(doc)).expect("json");
    without_locations(&mut v);
    v
}

fn codes(doc: &jixiao::model::Document) -> Vec<&str> {
    doc.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn every_xlsx_layout_has_an_xls_copy_that_reads_the_same() {
    let mut xlsx: Vec<String> = std::fs::read_dir(root().join("fixtures/excel"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xlsx"))
        .collect();
    xlsx.sort();
    assert!(xlsx.len() >= 16, "{xlsx:?}");
    let mut failures = Vec::new();
    for name in &xlsx {
        let stem = name.trim_end_matches(".xlsx");
        let copy = format!("fixtures/excel/xls-copies/{stem}.xls");
        if !root().join(&copy).exists() {
            failures.push(format!("{copy}: missing"));
            continue;
        }
        let from_xlsx = load(&format!("fixtures/excel/{name}"));
        let from_xls = load(&copy);
        if codes(&from_xls).contains(&"I312") {
            failures.push(format!("{copy}: I312"));
        }
        if content(&from_xls) != content(&from_xlsx) {
            failures.push(format!(
                "{copy}: differs from {name}\n  xls:  {}\n  xlsx: {}",
                content(&from_xls),
                content(&from_xlsx)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn xls_numbers_show_their_formats() {
    let doc = load("fixtures/excel/xls-copies/number-formats.xls");
    let p = &doc.projects[0];
    let values: Vec<&str> = p.indicators.iter().map(|i| i.value.raw.as_str()).collect();
    assert_eq!(
        values[..6],
        [
            "12,212",
            "100%",
            "95.5%",
            "3.90",
            "2022年6月30日",
            "2021/12/31"
        ]
    );
    assert_eq!(
        p.funds.total.map(|d| d.to_string()).as_deref(),
        Some("1234.50")
    );
    // The seed's .xls (written by xlwt): its amounts keep their two decimals.
    let seed = load("fixtures/excel/heshuo-2022.xls");
    assert!(!codes(&seed).contains(&"I312"), "{:?}", codes(&seed));
}
