//! Round trips: every good fixture → standard XLSX → read back with the Excel reader gives the
//! same projects (source locations aside); → JSON → read back gives the same document.

mod common;

use common::{assert_form_reads_back, load};
use jixiao::{Options, OutputFormat};
use std::path::Path;

/// Every fixture that converts (the bad ones are tested elsewhere).
fn fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        "fixtures/heshuo-2022.md".to_string(),
        "fixtures/heshuo-2022.gb18030.txt".to_string(),
    ];
    for dir in ["fixtures/excel", "fixtures/html", "fixtures/docx"] {
        let mut found: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && !p.to_string_lossy().ends_with(".json"))
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

#[test]
fn every_fixture_survives_the_xlsx_round_trip() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for file in fixtures() {
        let source = load(&file, &std::fs::read(root.join(&file)).unwrap());
        if source.projects.is_empty() && source.summary.is_none() {
            continue;
        }
        let mut diags = Vec::new();
        let xlsx =
            jixiao::render(&source, OutputFormat::Xlsx, &Options::default(), &mut diags).unwrap();
        let back = load("roundtrip.xlsx", &xlsx);

        assert_form_reads_back(&file, "XLSX", &source, &back);
        let has_midterm = source.projects.iter().any(|p| {
            !p.midterm_indicators.is_empty()
                || p.midterm_funds.is_some()
                || p.midterm_goal.as_deref().is_some_and(|g| !g.is_empty())
        });
        // A 目标表's 分值 column has no place on the standard 目标表 either.
        let has_weights = source.projects.iter().any(|p| {
            !p.is_self_evaluation()
                && p.indicators
                    .iter()
                    .any(|i| i.evaluation.as_ref().is_some_and(|e| !e.is_blank()))
        });
        assert_eq!(
            diags.iter().any(|d| d.code == "L401"),
            has_midterm || has_weights,
            "{file}: 中期 data and 分值 reported iff present"
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} fixtures checked");
}

#[test]
fn every_fixture_survives_the_json_round_trip() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in fixtures() {
        let source = load(&file, &std::fs::read(root.join(&file)).unwrap());
        let json = jixiao::render(
            &source,
            OutputFormat::Json,
            &Options::default(),
            &mut Vec::new(),
        )
        .unwrap();
        let back = load("roundtrip.json", &json);
        assert_eq!(back, source, "{file}: JSON round trip");
    }
}
