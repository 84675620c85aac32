//! The text shapes of `fixtures/text-shapes/`: each input reads to its golden JSON
//! (`JIXIAO_BLESS=1` rewrites them), the shapes that hold a table give all its indicators and
//! say which reading was kept (R130), and the shapes that cannot be split fail clearly.

mod common;

use common::golden;
use std::path::Path;

const DIR: &str = "fixtures/text-shapes";

/// The fixtures, the number of indicators each holds and the code that must be among its
/// diagnostics.
const FIXTURES: &[(&str, usize, &str)] = &[
    ("01-pipes-no-leading.md", 6, "R130"),
    ("02-pipes-led-furniture.md", 5, "R130"),
    ("03-pipes-multiline-cells.md", 4, "R130"),
    ("04-cell-per-line-bars.md", 5, "R130"),
    ("05-cell-per-paragraph.txt", 5, "R132"),
    ("06-fixed-width.txt", 5, "I341"),
    ("07-single-space.txt", 5, "R130"),
    ("08-glued.txt", 0, "R131"),
    ("09-prose.txt", 0, "R100"),
];

fn load(file: &str) -> jixiao::model::Document {
    let path = format!("{DIR}/{file}");
    let bytes = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(&path)).unwrap();
    jixiao::load(&path, &bytes, &jixiao::Options::default()).unwrap()
}

#[test]
fn every_fixture_is_listed() {
    let mut inputs: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".expected.json") && n != "README.md")
            .collect();
    inputs.sort();
    let listed: Vec<&str> = FIXTURES.iter().map(|f| f.0).collect();
    assert_eq!(inputs, listed);
}

#[test]
fn each_shape_reads_to_its_golden() {
    for (file, count, code) in FIXTURES {
        let doc = load(file);
        let stem = file.rsplit_once('.').unwrap().0;
        golden(
            &format!("{DIR}/{stem}.expected.json"),
            &jixiao_json::to_string(&doc),
        );
        let found: usize = doc.projects.iter().map(|p| p.indicators.len()).sum();
        assert_eq!(found, *count, "{file}");
        assert!(
            doc.diagnostics.iter().any(|d| d.code == *code),
            "{file}: no {code} in {:?}",
            doc.diagnostics
        );
        // Every indicator has its level-3 name and value; none comes out empty.
        for i in doc.projects.iter().flat_map(|p| &p.indicators) {
            assert!(
                !i.level3.is_empty() && !i.value.raw.is_empty(),
                "{file}: {i:?}"
            );
        }
        assert_eq!(jixiao::failed(&doc), *count == 0, "{file}");
    }
}

#[test]
fn a_table_read_as_it_is_stays_so() {
    // The seed is TAB text: no other reading is kept, and nothing is said about it.
    let bytes =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/heshuo-2022.md"))
            .unwrap();
    let doc = jixiao::load("heshuo-2022.md", &bytes, &jixiao::Options::default()).unwrap();
    assert!(doc.diagnostics.iter().all(|d| d.code != "R130"));
    let n: usize = doc.projects.iter().map(|p| p.indicators.len()).sum();
    assert_eq!(n, 55);
}
