//! Round trips: every good fixture → standard XLSX → read back with the Excel reader gives the
//! same projects (source locations aside); → JSON → read back gives the same document.

use jixiao::model::{Document, Project};
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

fn load(name: &str, bytes: &[u8]) -> Document {
    jixiao::load(name, bytes, &Options::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// What the standard form shows of a project: everything but where it came from and the
/// 中期 / 实施单位 data the form has no place for (reported as L401/L402 when written).
fn shown(p: &Project) -> Project {
    let mut p = p.clone();
    p.location = Default::default();
    p.goal_location = None;
    p.funds.location = None;
    p.midterm_funds = None;
    p.midterm_goal = None;
    p.midterm_indicators.clear();
    p.implementing_unit = None;
    // The standard form's title names no kind, and it has no 基本支出/项目支出 row.
    p.kind = None;
    p.department_funds = None;
    // What the reading said of the source: the standard form has every label (nothing is
    // unread), no placeholder rows (no group declared 不适用) and no 一级预算单位 (L401).
    p.unread.clear();
    p.not_applicable.clear();
    p.parent_unit = None;
    for i in &mut p.indicators {
        i.location = Default::default();
    }
    p
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

        let reading: Vec<String> = back
            .diagnostics
            .iter()
            .filter(|d| d.code.starts_with('R') || d.code.starts_with('I'))
            .map(|d| d.to_string())
            .collect();
        assert!(
            reading.iter().all(|d| !d.contains("错误")),
            "{file}: the standard form must read back without reading errors: {reading:#?}"
        );
        assert_eq!(
            back.projects.len(),
            source.projects.len(),
            "{file}: project count"
        );
        for (a, b) in source.projects.iter().zip(&back.projects) {
            assert_eq!(
                shown(b),
                shown(a),
                "{file}: project “{}” differs after the XLSX round trip",
                a.project_name
            );
        }
        if let Some(summary) = &source.summary {
            let back_summary = back
                .summary
                .as_ref()
                .unwrap_or_else(|| panic!("{file}: summary lost"));
            let names = |s: &jixiao::model::Summary| -> Vec<(String, String)> {
                s.rows
                    .iter()
                    .map(|r| (r.department.clone(), r.project_name.clone()))
                    .collect()
            };
            assert_eq!(names(back_summary), names(summary), "{file}: summary rows");
            for (a, b) in summary.rows.iter().zip(&back_summary.rows) {
                if a.funds_total.is_some() {
                    assert_eq!(
                        b.funds_total, a.funds_total,
                        "{file}: summary amount of {}",
                        a.project_name
                    );
                }
            }
        }
        let has_midterm = source.projects.iter().any(|p| {
            !p.midterm_indicators.is_empty()
                || p.midterm_funds.is_some()
                || p.midterm_goal.as_deref().is_some_and(|g| !g.is_empty())
        });
        assert_eq!(
            diags.iter().any(|d| d.code == "L401"),
            has_midterm,
            "{file}: 中期 data reported iff present"
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
