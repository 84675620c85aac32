//! Damaged workbooks never panic: truncated and mutated bytes of every workbook fixture go
//! through the reader (calamine's own panics are contained and become `Corrupt`; the grid
//! building around it must not panic at all) and, when they still read, through the recognizer.

use proptest::prelude::*;

fn fixtures() -> Vec<(String, Vec<u8>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../fixtures/excel");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("fixtures/excel") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if [".xlsx", ".xls", ".ods"].iter().any(|e| name.ends_with(e)) {
            out.push((name, std::fs::read(&path).expect("read")));
        }
    }
    out.sort();
    assert!(
        out.iter().any(|(n, _)| n.ends_with(".xls"))
            && out.iter().any(|(n, _)| n.ends_with(".ods"))
    );
    out
}

fn read_all(bytes: &[u8]) {
    if let Ok(book) = jixiao_excel::read(bytes, Some("x")) {
        let _ = jixiao_recognize::recognize(&book.grids, &jixiao_recognize::Options::default());
    }
}

#[test]
fn every_truncation_of_the_xls_seed_is_handled() {
    let (_, xls) = fixtures()
        .into_iter()
        .find(|(n, _)| n == "heshuo-2022.xls")
        .expect("xls seed");
    let mut corrupt = 0;
    for len in (0..xls.len()).step_by(97) {
        match jixiao_excel::read(&xls[..len], Some("x.xls")) {
            Err(
                jixiao_excel::ExcelError::Corrupt { .. } | jixiao_excel::ExcelError::NotWorkbook(_),
            ) => corrupt += 1,
            Err(e) => panic!("truncated at {len}: unexpected {e}"),
            Ok(_) => {}
        }
    }
    assert!(corrupt > 0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn mutated_workbooks_never_panic(
        which in 0usize..64,
        cut in 0.0f64..1.0,
        flips in proptest::collection::vec((0.0f64..1.0, any::<u8>()), 0..8),
    ) {
        let all = fixtures();
        let (_, bytes) = &all[which % all.len()];
        let mut bytes = bytes.clone();
        for (at, b) in flips {
            let i = ((bytes.len() as f64) * at) as usize;
            if let Some(slot) = bytes.get_mut(i) {
                *slot = b;
            }
        }
        let keep = if cut < 0.5 { bytes.len() } else { ((bytes.len() as f64) * cut) as usize };
        read_all(&bytes[..keep]);
    }
}
