//! The registry against the workspace: every code the sources emit is registered with the
//! severity its call sites give it, every registered code is emitted somewhere, and every code a
//! fixture shows is registered.
//!
//! Emitted codes are found by scanning the library sources (`src/` and `crates/*/src`, test
//! modules and comments left out) for code literals such as `"R101"`, and for the constants
//! that hold them (`const FUNDS_SUM: Code = Code::C201`).

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

/// The code of a library source without comments and without its inline `#[cfg(test)]`
/// module (a `#[cfg(test)] mod tests;` line names a file of its own and is no cut).
fn code_of(text: &str) -> String {
    let text = text
        .match_indices("#[cfg(test)]")
        .find(|(i, _)| {
            !text[i + "#[cfg(test)]".len()..]
                .trim_start()
                .starts_with("mod tests;")
        })
        .map_or(text, |(i, _)| &text[..i]);
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `Code::R101`-like keys: the path, a family letter, three digits, and no more.
fn keys(code: &str) -> Vec<(usize, String)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    for (i, _) in code.match_indices("Code::") {
        let k = i + "Code::".len();
        if k + 4 <= b.len()
            && b"ICRLXP".contains(&b[k])
            && b[k + 1..k + 4].iter().all(u8::is_ascii_digit)
            && b.get(k + 4).is_none_or(|c| !c.is_ascii_alphanumeric())
        {
            out.push((i, code[k..k + 4].to_string()));
        }
    }
    out
}

/// Code → the library files naming it.
fn emitted() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    sources(&root().join("crates"), &mut files);
    files.sort();
    let mut emitted: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        if file.ends_with("crates/diagnostics/src/registry.rs") {
            continue;
        }
        let text = code_of(&std::fs::read_to_string(&file).unwrap());
        let rel = file
            .strip_prefix(root())
            .unwrap_or(&file)
            .display()
            .to_string();
        for (_, code) in keys(&text) {
            emitted.entry(code).or_default().insert(rel.clone());
        }
    }
    emitted
}

#[test]
fn every_registered_code_is_emitted() {
    let emitted = emitted();
    assert!(emitted.len() > 50, "the scan found too little");
    let unused: Vec<&str> = CODES
        .iter()
        .map(|c| c.code.as_str())
        .filter(|c| !emitted.contains_key(*c))
        .collect();
    assert!(
        unused.is_empty(),
        "registered codes that nothing emits: {unused:?}"
    );
}

/// Whether a code belongs to a stage is the registry's question (`code.is_review()`), never a
/// test of its first letter, in the library, the front ends or the tests.
#[test]
fn nothing_branches_on_a_code_prefix() {
    let mut files = Vec::new();
    for dir in ["src", "crates", "tests"] {
        sources(&root().join(dir), &mut files);
    }
    let mut tests = Vec::new();
    collect_tests(&root().join("tests"), &mut tests);
    collect_tests(&root().join("crates"), &mut tests);
    files.extend(tests);
    let found: Vec<String> = files
        .iter()
        .filter(|f| !f.ends_with("crates/diagnostics/tests/registry.rs"))
        .filter(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains(".code.starts_with(")))
        .map(|f| f.display().to_string())
        .collect();
    assert!(found.is_empty(), "ask the code for its stage: {found:?}");
}

/// Every `.rs` file under the `tests` folders below `dir`.
fn collect_tests(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if entry.file_name() == "target" {
                continue;
            }
            if entry.file_name() == "tests" {
                sources(&path, out);
            }
            collect_tests(&path, out);
        }
    }
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
fn the_scan_finds_keys_and_ignores_comments_and_tests() {
    let text = "// Code::R999\nlet a = Code::R101;\nconst X: Code = Code::C201;\nlet b = Code::R1010;\n#[cfg(test)]\nmod t { Code::R998 }";
    let code = code_of(text);
    let found: Vec<String> = keys(&code).into_iter().map(|(_, c)| c).collect();
    assert_eq!(found, ["R101", "C201"]);
}
