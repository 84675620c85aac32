//! `jixiao convert --to xlsx`: the CLI writes `<stem>.xlsx` beside the other outputs and
//! reads the form layout from `--template DIR`.

use assert_cmd::Command;
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use std::path::{Path, PathBuf};

const SEED: &str = "fixtures/heshuo-2022.md";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("jixiao-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn jixiao() -> Command {
    let mut cmd = Command::cargo_bin("jixiao").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn workbook(path: &Path) -> Xlsx<Cursor<Vec<u8>>> {
    Xlsx::new(Cursor::new(std::fs::read(path).unwrap())).unwrap()
}

#[test]
fn json_and_xlsx_are_written_side_by_side() {
    let out = scratch("both");
    jixiao()
        .args(["convert", SEED, "--to", "json,xlsx", "-o"])
        .arg(&out)
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("heshuo-2022.json")).unwrap()).unwrap();
    assert_eq!(json["projects"].as_array().unwrap().len(), 5);
    let wb = workbook(&out.join("heshuo-2022.xlsx"));
    assert_eq!(wb.sheet_names().len(), 6);
    assert_eq!(wb.sheet_names()[0], "汇总表");
    // Nothing else is left behind (no temporary files).
    let mut names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["heshuo-2022.json", "heshuo-2022.xlsx"]);
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn xlsx_is_never_written_to_standard_output() {
    jixiao()
        .args(["convert", SEED, "--to", "xlsx", "-o", "-"])
        .assert()
        .code(2);
}

#[test]
fn the_form_layout_comes_from_the_template_folder() {
    let out = scratch("template");
    let dir = out.join("tpl");
    std::fs::create_dir_all(&dir).unwrap();
    let form = std::fs::read_to_string("templates/form.toml")
        .unwrap()
        .replace(
            "title = \"项目支出绩效目标表\"",
            "title = \"项目支出绩效目标表（自定义）\"",
        );
    std::fs::write(dir.join("form.toml"), form).unwrap();
    jixiao()
        .args(["convert", SEED, "--to", "xlsx", "-o"])
        .arg(&out)
        .arg("--template")
        .arg(&dir)
        .assert()
        .success();
    let mut wb = workbook(&out.join("heshuo-2022.xlsx"));
    let second = wb.sheet_names()[1].clone();
    let range = wb.worksheet_range(&second).unwrap();
    assert_eq!(
        range.get_value((0, 0)),
        Some(&Data::String("项目支出绩效目标表（自定义）".into()))
    );

    // A folder with neither template file is refused.
    let empty = out.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    jixiao()
        .args(["convert", SEED, "--to", "xlsx", "-o"])
        .arg(&out)
        .arg("--template")
        .arg(&empty)
        .assert()
        .code(2);
    std::fs::remove_dir_all(out).unwrap();
}
