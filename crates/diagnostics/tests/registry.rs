//! The registry against the workspace: every code the sources emit is registered with the
//! severity its call sites give it, every registered code is emitted somewhere, and every code a
//! fixture shows is registered.
//!
//! Emitted codes are found by scanning the library sources (`src/` and `crates/*/src`, test
//! modules and comments left out) for code literals such as `"R101"`, and for the constants
//! that hold them (`const FUNDS_SUM: &str = "C201"`).

use jixiao_diagnostics::Severity;
use jixiao_diagnostics::registry::{self, CODES};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.rs` file under `dir`, skipping test, example and bench folders.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "tests" | "examples" | "benches" | "target" | "fuzz"
            ) {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") {
            out.push(path);
        }
    }
}

/// The code of a library source without comments and without its `#[cfg(test)]` module.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `"R101"`-like literals: a quote, a family letter, three digits, a quote.
fn literals(code: &str) -> Vec<(usize, String)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len().saturating_sub(5) {
        if b[i] == b'"'
            && b"ICRLXP".contains(&b[i + 1])
            && b[i + 2..i + 5].iter().all(u8::is_ascii_digit)
            && b[i + 5] == b'"'
        {
            out.push((i, code[i + 1..i + 5].to_string()));
        }
    }
    out
}

struct Scan {
    /// Code → the files emitting it.
    emitted: BTreeMap<String, BTreeSet<String>>,
    /// (file, code, severity) of every `Diagnostic::info|warning|error(CODE` call.
    calls: Vec<(String, String, Severity)>,
}

fn scan() -> Scan {
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    sources(&root().join("crates"), &mut files);
    files.sort();
    let registry_file = root().join("crates/diagnostics/src/registry.rs");
    let mut emitted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut constants: BTreeMap<String, String> = BTreeMap::new();
    let mut texts = Vec::new();
    for file in files {
        if file.ends_with("crates/diagnostics/src/registry.rs") || file == registry_file {
            continue;
        }
        let text = code_of(&std::fs::read_to_string(&file).unwrap());
        let rel = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        for (at, code) in literals(&text) {
            emitted.entry(code.clone()).or_default().insert(rel.clone());
            // `const NAME: &str = "C201";`
            let before = text[..at].trim_end();
            if let Some(decl) = before.strip_suffix(": &str =") {
                let name = decl
                    .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or("");
                constants.insert(name.to_string(), code);
            }
        }
        texts.push((rel, text));
    }
    let mut calls = Vec::new();
    for (rel, text) in &texts {
        for (ctor, severity) in [
            ("Diagnostic::info(", Severity::Info),
            ("Diagnostic::warning(", Severity::Warning),
            ("Diagnostic::error(", Severity::Error),
        ] {
            for (at, _) in text.match_indices(ctor) {
                let arg = text[at + ctor.len()..].trim_start();
                let first: String = arg.chars().take_while(|c| *c != ',' && *c != ')').collect();
                let first = first.trim();
                let code = if let Some(lit) = first.strip_prefix('"') {
                    Some(lit.trim_end_matches('"').to_string())
                } else {
                    constants.get(first).cloned()
                };
                if let Some(code) = code {
                    calls.push((rel.clone(), code, severity));
                }
            }
        }
    }
    Scan { emitted, calls }
}

#[test]
fn every_emitted_code_is_registered() {
    let scan = scan();
    assert!(scan.emitted.len() > 50, "the scan found too little");
    let missing: Vec<String> = scan
        .emitted
        .iter()
        .filter(|(code, _)| registry::lookup(code).is_none())
        .map(|(code, files)| format!("{code} (in {files:?})"))
        .collect();
    assert!(
        missing.is_empty(),
        "codes emitted but not in crates/diagnostics/src/registry.rs: {missing:#?}"
    );
}

#[test]
fn every_registered_code_is_emitted() {
    let scan = scan();
    let unused: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|c| !scan.emitted.contains_key(*c))
        .collect();
    assert!(
        unused.is_empty(),
        "registered codes that nothing emits: {unused:?}"
    );
}

#[test]
fn call_sites_give_the_registered_severity() {
    let scan = scan();
    assert!(scan.calls.len() > 50, "the scan found too few call sites");
    let wrong: Vec<String> = scan
        .calls
        .iter()
        .filter_map(|(file, code, severity)| {
            let entry = registry::lookup(code)?;
            (entry.severity != *severity).then(|| {
                format!(
                    "{file}: {code} built as {severity:?}, registered as {:?}",
                    entry.severity
                )
            })
        })
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Every code a committed fixture shows (golden JSON and check output) is registered.
#[test]
fn every_code_in_the_fixtures_is_registered() {
    fn walk(dir: &Path, codes: &mut BTreeSet<String>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, codes);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue; // binary fixtures
            };
            for (i, _) in text.match_indices("\"code\": \"") {
                codes.insert(text[i + 9..].chars().take(4).collect());
            }
            for (i, _) in text.match_indices('[') {
                let code: String = text[i + 1..].chars().take(5).collect();
                if code.len() == 5 && code.ends_with(']') {
                    codes.insert(code[..4].to_string());
                }
            }
        }
    }
    let mut codes = BTreeSet::new();
    walk(&root().join("fixtures"), &mut codes);
    let codes: Vec<String> = codes
        .into_iter()
        .filter(|c| {
            c.len() == 4
                && c.as_bytes()[0].is_ascii_uppercase()
                && c[1..].bytes().all(|b| b.is_ascii_digit())
        })
        .collect();
    assert!(codes.len() > 20, "{codes:?}");
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| registry::lookup(c).is_none())
        .collect();
    assert!(missing.is_empty(), "{missing:?}");
}

#[test]
fn the_scan_finds_literals_and_ignores_comments_and_tests() {
    let text = "// \"R999\"\nlet a = \"R101\";\nconst X: &str = \"C201\";\n#[cfg(test)]\nmod t { \"R998\" }";
    let code = code_of(text);
    let found: Vec<String> = literals(&code).into_iter().map(|(_, c)| c).collect();
    assert_eq!(found, ["R101", "C201"]);
}
