//! The contract in the repository: `jixiao schema`'s output is the committed
//! `docs/jixiao-1.schema.json` (so a contract change shows in review), and every JSON fixture
//! of the repository — the goldens of every reader, and JSON inputs — is valid against it.

use serde_json::{Value, json};
use std::path::{Path, PathBuf};

#[test]
fn schema_is_the_committed_golden() {
    jixiao_golden::check("docs/jixiao-1.schema.json", &jixiao_json::schema());
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&jixiao_json::schema()).unwrap();
    jsonschema::validator_for(&schema).expect("the generated schema is a valid JSON Schema")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// Errors of one instance, as `path: message` lines.
fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_json_fixture_is_valid_against_the_schema() {
    let validator = validator();
    let mut files = Vec::new();
    json_files(&jixiao_golden::root().join("fixtures"), &mut files);
    files.sort();
    let mut checked = 0;
    let mut failures = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let doc: Value = serde_json::from_str(&text).unwrap();
        // Other JSON (a batch report, say) is not a jixiao/1 document.
        if doc.get("schema") != Some(&json!(jixiao_model::SCHEMA)) {
            continue;
        }
        checked += 1;
        let errs = errors(&validator, &doc);
        if !errs.is_empty() {
            failures.push(format!("{}: {errs:#?}", file.display()));
        }
        // What validates must also read (the schema is not looser than the reader).
        if let Err(e) = jixiao_json::from_str(&text) {
            failures.push(format!("{}: valid but unreadable: {e}", file.display()));
        }
    }
    assert!(checked >= 20, "only {checked} JSON fixtures found");
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn the_schema_rejects_what_breaks_the_contract() {
    let validator = validator();
    let seed: Value = serde_json::from_str(
        &std::fs::read_to_string(jixiao_golden::root().join("fixtures/heshuo-2022.expected.json"))
            .unwrap(),
    )
    .unwrap();
    assert!(validator.is_valid(&seed));
    let broken = |f: &dyn Fn(&mut Value)| {
        let mut doc = seed.clone();
        f(&mut doc);
        doc
    };
    for (what, doc) in [
        (
            "an amount as text",
            broken(&|d| d["projects"][0]["funds"]["total"] = json!("91.59")),
        ),
        (
            "an unknown severity",
            broken(&|d| d["diagnostics"][0]["severity"] = json!("fatal")),
        ),
        (
            "an unknown comparison",
            broken(&|d| d["projects"][0]["indicators"][0]["value"]["op"] = json!("≥")),
        ),
        (
            "a missing level3",
            broken(&|d| {
                d["projects"][0]["indicators"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("level3");
            }),
        ),
        (
            "projects not a list",
            broken(&|d| d["projects"] = json!({})),
        ),
    ] {
        assert!(!errors(&validator, &doc).is_empty(), "{what} passed");
    }
}
