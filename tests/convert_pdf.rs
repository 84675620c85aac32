//! `jixiao convert --to pdf` end to end.

use assert_cmd::Command;
use std::path::PathBuf;

const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/heshuo-2022.md");
const FONT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/NotoSerifSC-Regular-GB2312.ttf"
);

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn writes_pdf_and_json_side_by_side() {
    let dir = out_dir("both");
    Command::cargo_bin("jixiao")
        .unwrap()
        .args(["convert", SEED, "--to", "json,pdf", "-o"])
        .arg(&dir)
        .assert()
        .success();
    let pdf = std::fs::read(dir.join("heshuo-2022.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    assert!(pdf.len() <= 150 * 1024, "{} bytes", pdf.len());
    assert!(dir.join("heshuo-2022.json").exists());
    // no temporary file left behind
    let names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn font_option_takes_a_file_and_a_face_index() {
    let dir = out_dir("font");
    Command::cargo_bin("jixiao")
        .unwrap()
        .args([
            "convert",
            SEED,
            "--to",
            "pdf",
            "--font",
            &format!("{FONT}:0"),
            "-o",
        ])
        .arg(&dir)
        .assert()
        .success();
    let with_font = std::fs::read(dir.join("heshuo-2022.pdf")).unwrap();
    Command::cargo_bin("jixiao")
        .unwrap()
        .args(["convert", SEED, "--to", "pdf", "-o"])
        .arg(&dir)
        .assert()
        .success();
    // the same font file gives the same bytes as the embedded default
    assert_eq!(
        with_font,
        std::fs::read(dir.join("heshuo-2022.pdf")).unwrap()
    );
    let bad = Command::cargo_bin("jixiao")
        .unwrap()
        .args([
            "convert",
            SEED,
            "--to",
            "pdf",
            "--font",
            &format!("{FONT}:3"),
            "-o",
        ])
        .arg(&dir)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&bad.get_output().stderr).into_owned();
    assert!(stderr.contains("字体"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pdf_cannot_go_to_standard_output() {
    Command::cargo_bin("jixiao")
        .unwrap()
        .args(["convert", SEED, "--to", "pdf", "-o", "-"])
        .assert()
        .code(2);
}
