//! End-to-end tests of `jixiao batch`: a folder of good and bad submissions.

mod common;

use common::jixiao;
use serde_json::Value as Json;
use std::path::Path;

const SEED: &str = "fixtures/heshuo-2022.md";

fn root(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// A year's submissions: good files in two formats and two folders, and bad ones.
fn submissions(dir: &Path) {
    std::fs::create_dir_all(dir.join("人社局")).unwrap();
    std::fs::create_dir_all(dir.join("民政局/补报")).unwrap();
    std::fs::copy(root(SEED), dir.join("人社局/表1.md")).unwrap();
    std::fs::copy(
        root("fixtures/heshuo-2022.gb18030.txt"),
        dir.join("人社局/表1.txt"),
    )
    .unwrap();
    std::fs::copy(
        root("fixtures/bad/truncated.md"),
        dir.join("民政局/补报/截断.md"),
    )
    .unwrap();
    std::fs::copy(root("fixtures/bad/empty.md"), dir.join("民政局/空文件.md")).unwrap();
    std::fs::copy(
        root("fixtures/bad/no-value-column.md"),
        dir.join("民政局/缺指标值.md"),
    )
    .unwrap();
    std::fs::write(dir.join("民政局/名单.xlsx"), "序号,姓名\n1,张三\n").unwrap();
    std::fs::write(
        dir.join("照片.jpg"),
        [
            0xFFu8, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1,
        ],
    )
    .unwrap();
    std::fs::write(dir.join("人社局/~$表1.xlsx"), b"lock").unwrap();
}

/// `jixiao batch INPUT -o OUTPUT EXTRA…`, writing JSON (which these tests read) unless EXTRA
/// names the formats; the default (the forms) has a test of its own.
fn batch(input: &Path, output: &Path, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = jixiao();
    cmd.args([
        "batch",
        input.to_str().unwrap(),
        "-o",
        output.to_str().unwrap(),
    ])
    .args(extra);
    if !extra.contains(&"--to") {
        cmd.args(["--to", "json"]);
    }
    cmd
}

fn report(out: &Path) -> Json {
    common::batch_report(out)
}

fn status_of<'a>(report: &'a Json, file: &str) -> &'a str {
    common::report_entry(report, file)["status"]
        .as_str()
        .unwrap()
}

#[test]
fn a_mixed_folder_converts_every_good_file_and_reports_every_bad_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    submissions(&input);
    let run = batch(&input, &out, &["--quiet"]).output().unwrap();
    assert_eq!(
        run.status.code(),
        Some(1),
        "a failed file makes the batch exit 1"
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("共 8 个文件：成功 0，有警告 3，失败 3，跳过 2"),
        "{stderr}"
    );
    assert!(
        stderr.contains("失败：民政局/空文件.md：文件为空"),
        "{stderr}"
    );

    let r = report(&out);
    assert_eq!(status_of(&r, "人社局/表1.md"), "warnings");
    assert_eq!(status_of(&r, "人社局/表1.txt"), "warnings");
    assert_eq!(status_of(&r, "民政局/补报/截断.md"), "warnings");
    assert_eq!(status_of(&r, "民政局/空文件.md"), "error");
    assert_eq!(status_of(&r, "民政局/缺指标值.md"), "error");
    assert_eq!(
        status_of(&r, "民政局/名单.xlsx"),
        "error",
        "a CSV named .xlsx is a bad workbook, not a skipped file"
    );
    assert_eq!(status_of(&r, "照片.jpg"), "skipped");
    assert_eq!(status_of(&r, "人社局/~$表1.xlsx"), "skipped");
    assert_eq!(r["totals"]["projects"], 13);
    assert_eq!(r["totals"]["indicators"], 135);

    // Outputs mirror the input folders; same-stem inputs both survive.
    assert!(out.join("人社局/表1.md.json").is_file());
    assert!(out.join("人社局/表1.txt.json").is_file());
    assert!(out.join("民政局/补报/截断.json").is_file());
    // The county document holds every project of every file converted without loss, each
    // once: 表1.md and 表1.txt are the same five projects, 截断.md holds two of them again, and
    // 缺指标值.md lost its values (it failed), so it stays out.
    let county =
        jixiao_json::from_str(&std::fs::read_to_string(out.join("全县汇总.json")).unwrap())
            .unwrap();
    assert_eq!(county.projects.len(), 5);
    assert_eq!(r["totals"]["county_projects"], 5);
    assert_eq!(county.summary.unwrap().year, Some(2022));
    // Projects found in several files are reported.
    let dups = r["duplicates"].as_array().unwrap();
    assert!(
        dups.iter()
            .any(|d| d["project_name"] == "农村低保" && d["files"].as_array().unwrap().len() == 2)
    );

    let csv = std::fs::read_to_string(out.join("report.csv")).unwrap();
    // A UTF-8 byte-order mark first, so that Excel/WPS on Chinese Windows (GBK by default)
    // read it as UTF-8; statuses in words.
    assert!(csv.starts_with("\u{feff}文件,状态,项目数,指标数,错误,警告,提示,说明,输出\n"));
    assert!(csv.contains("民政局/空文件.md,失败,0,0,1,0,0,文件为空,"));
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        &reader.headers().unwrap()[0],
        "文件",
        "the BOM is not part of the first header"
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.last().unwrap()[0], *"合计");
}

#[test]
fn good_files_only_exit_0_and_strict_fails_on_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    batch(&input, &out, &["-q"]).assert().success();
    batch(&input, &out, &["-q", "--strict"]).assert().code(1);
}

#[test]
fn an_output_folder_inside_the_input_folder_is_not_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().to_path_buf();
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    let out = input.join("out");
    for _ in 0..2 {
        batch(&input, &out, &["-q"]).assert().success();
        let r = report(&out);
        assert_eq!(
            r["totals"]["files"], 1,
            "the outputs of the first run are not inputs of the second"
        );
    }
    // Nothing was written next to the input.
    let mut names: Vec<_> = std::fs::read_dir(&input)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["a.md", "out"]);
}

#[test]
fn output_folder_equal_to_input_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(root(SEED), tmp.path().join("a.md")).unwrap();
    let run = jixiao()
        .args([
            "batch",
            tmp.path().to_str().unwrap(),
            "-o",
            tmp.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("输出目录不能与输入目录相同"));
}

#[test]
fn a_failed_write_leaves_no_partial_file_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    std::fs::copy(root(SEED), input.join("b.md")).unwrap();
    // An earlier run's report claims `a.json` as its output, so the run may replace it; but
    // it is now a folder, so writing it fails; b.md must still convert.
    std::fs::create_dir_all(out.join("a.json/occupied")).unwrap();
    std::fs::write(
        out.join("report.json"),
        r#"{"schema": "jixiao-batch/1", "inputs": [{"outputs": ["a.json"]}]}"#,
    )
    .unwrap();
    let run = batch(&input, &out, &["-q"]).output().unwrap();
    assert_eq!(run.status.code(), Some(1));
    let r = report(&out);
    assert_eq!(status_of(&r, "a.md"), "error");
    assert_eq!(status_of(&r, "b.md"), "warnings");
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn batch_outputs_are_deterministic() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    submissions(&input);
    let run = |out: &Path| {
        batch(&input, out, &["-q", "-j", "2"]).output().unwrap();
        std::fs::read(out.join("全县汇总.json")).unwrap()
    };
    assert_eq!(run(&tmp.path().join("o1")), run(&tmp.path().join("o2")));
}

#[test]
fn every_supported_format_converts_and_every_bad_workbook_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(input.join("good")).unwrap();
    std::fs::create_dir_all(input.join("bad")).unwrap();
    let good = [
        "fixtures/excel/heshuo-2022.xlsx",
        "fixtures/excel/heshuo-2022.xls",
        "fixtures/excel/heshuo-2022.ods",
        "fixtures/html/heshuo-2022.html",
        "fixtures/html/mineru-embedded.md",
        "fixtures/heshuo-2022.md",
        "fixtures/heshuo-2022.expected.json",
    ];
    let bad = [
        "fixtures/bad/encrypted.xlsx",
        "fixtures/bad/truncated.xls",
        "fixtures/bad/truncated.xlsx",
        "fixtures/bad/not-a-workbook.xlsx",
        "fixtures/bad/csv-named.xlsx",
        "fixtures/bad/empty-workbook.xlsx",
        "fixtures/bad/blank-template.xlsx",
        "fixtures/html/bad/empty.html",
    ];
    let name = |f: &str| {
        Path::new(f)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    for f in good {
        std::fs::copy(root(f), input.join("good").join(name(f))).unwrap();
    }
    for f in bad {
        std::fs::copy(root(f), input.join("bad").join(name(f))).unwrap();
    }
    let run = batch(&input, &out, &["--to", "json,xlsx,pdf", "-q"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let r = report(&out);
    for f in good {
        let file = format!("good/{}", name(f));
        assert_ne!(status_of(&r, &file), "error", "{file} should convert");
        let entry = r["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["file"] == file.as_str())
            .unwrap();
        assert!(entry["projects"].as_u64().unwrap() >= 1, "{file}");
        assert_eq!(
            entry["outputs"].as_array().unwrap().len(),
            3,
            "{file}: json, xlsx and pdf written"
        );
    }
    for f in bad {
        let file = format!("bad/{}", name(f));
        assert_eq!(
            status_of(&r, &file),
            "error",
            "{file} must be reported as an error"
        );
        let entry = r["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["file"] == file.as_str())
            .unwrap();
        assert!(
            entry["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{file}: the error in words"
        );
    }
    for ext in ["json", "xlsx", "pdf"] {
        assert!(
            out.join(format!("全县汇总.{ext}")).is_file(),
            "county {ext}"
        );
    }
    // 7 files hold the same five projects: each is reported as found in several files.
    assert_eq!(r["duplicates"].as_array().unwrap().len(), 5);
}

/// The output folder holds the input folder, and a subfolder of the input has the input's own
/// name with files of the same names: the outputs of `in/in/a.json` would land on `in/a.json`.
/// Every input must come out of the batch byte for byte as it went in.
#[test]
fn outputs_never_land_on_inputs_however_the_folders_nest() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("P");
    std::fs::create_dir_all(p.join("in/in")).unwrap();
    let inputs = [
        ("in/a.json", "fixtures/heshuo-2022.expected.json"),
        ("in/in/a.json", "fixtures/heshuo-2022.expected.json"),
        ("in/b.md", SEED),
        ("in/in/b.md", SEED),
        ("in/in/b.json", "fixtures/heshuo-2022.expected.json"),
    ];
    for (to, from) in inputs {
        std::fs::copy(root(from), p.join(to)).unwrap();
    }
    // Make the two a.json differ so an overwrite is visible.
    let mut other = std::fs::read(p.join("in/in/a.json")).unwrap();
    other.extend_from_slice(b"\n");
    std::fs::write(p.join("in/in/a.json"), &other).unwrap();
    let before: Vec<Vec<u8>> = inputs
        .iter()
        .map(|(to, _)| std::fs::read(p.join(to)).unwrap())
        .collect();

    batch(&p.join("in"), &p, &["--to", "json,xlsx", "--quiet"])
        .assert()
        .success();
    for ((to, _), bytes) in inputs.iter().zip(&before) {
        assert_eq!(
            &std::fs::read(p.join(to)).unwrap(),
            bytes,
            "{to} was changed"
        );
    }
    let report = report(&p);
    for (to, _) in inputs {
        let rel = to.strip_prefix("in/").unwrap();
        assert_ne!(status_of(&report, rel), "error", "{rel}");
    }
}

#[test]
fn output_names_keep_the_inputs_case() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(input.join("Dept")).unwrap();
    std::fs::copy(root(SEED), input.join("Dept/ProjectA.md")).unwrap();
    batch(&input, &out, &["--to", "json", "--quiet"])
        .assert()
        .success();
    assert!(out.join("Dept/ProjectA.json").is_file());
}

/// What one entry of a folder tree is: a file's bytes, or where a link points.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    File(Vec<u8>),
    Link(std::path::PathBuf),
}

/// Every file and link under `root` (links not followed), by path relative to `root`.
fn snapshot(root: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Entry> {
    walkdir::WalkDir::new(root)
        .follow_links(false)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap().to_path_buf();
            let entry = if e.path_is_symlink() {
                Entry::Link(std::fs::read_link(e.path()).unwrap())
            } else {
                Entry::File(std::fs::read(e.path()).unwrap())
            };
            (rel, entry)
        })
        .collect()
}

/// Folders of the generated trees (`out` is outside the input folder; `in/lnk` is a link to it).
const TREE_FOLDERS: &[&str] = &["in", "in/sub", "in/sub/deep", "in/Sub", "out"];
/// Names of the generated files: names differing only by case or by extension, and names of
/// the batch's own outputs.
const TREE_NAMES: &[&str] = &[
    "a.md",
    "A.md",
    "a.MD",
    "a.json",
    "a.xlsx",
    "a",
    "a-2.json",
    "report.json",
    "report.csv",
    "report-2.json",
    "全县汇总.json",
    "全县汇总.xlsx",
    "全县汇总-2.json",
    "b.txt",
];
/// Where the generated batches write: inside the input folder (existing, deep, new), outside
/// it, and through a link inside it.
const TREE_OUTPUTS: &[&str] = &[
    "in/sub",
    "in/sub/deep",
    "in/Sub",
    "in/new/x",
    "out",
    "in/lnk",
];

/// One generated entry: folder, name, and what it holds (0 a submission, 1 a JSON document,
/// 2 a JSON that is not a batch report, 3 a link to another entry, 4 a link to a file outside,
/// 5 a link to nowhere).
fn tree_entry() -> impl proptest::strategy::Strategy<Value = (usize, usize, u8, usize)> {
    (
        0..TREE_FOLDERS.len(),
        0..TREE_NAMES.len(),
        0u8..6,
        0..TREE_FOLDERS.len() * TREE_NAMES.len(),
    )
}

fn make_tree(dir: &Path, entries: &[(usize, usize, u8, usize)]) {
    for folder in TREE_FOLDERS {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
    }
    std::os::unix::fs::symlink("../out", dir.join("in/lnk")).unwrap();
    std::fs::write(dir.join("outside.txt"), "不是输入").unwrap();
    let seed = std::fs::read(root(SEED)).unwrap();
    let json = std::fs::read(root("fixtures/heshuo-2022.expected.json")).unwrap();
    for &(folder, name, kind, target) in entries {
        let path = dir.join(TREE_FOLDERS[folder]).join(TREE_NAMES[name]);
        if std::fs::symlink_metadata(&path).is_ok() {
            continue;
        }
        let other = dir
            .join(TREE_FOLDERS[target / TREE_NAMES.len()])
            .join(TREE_NAMES[target % TREE_NAMES.len()]);
        match kind {
            0 => std::fs::write(&path, &seed).unwrap(),
            1 => std::fs::write(&path, &json).unwrap(),
            2 => std::fs::write(&path, br#"{"schema": "jixiao-batch/0", "inputs": []}"#).unwrap(),
            3 => std::os::unix::fs::symlink(&other, &path).unwrap(),
            4 => std::os::unix::fs::symlink(dir.join("outside.txt"), &path).unwrap(),
            _ => std::os::unix::fs::symlink(dir.join("nowhere"), &path).unwrap(),
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 24, ..Default::default() })]

    /// Whatever the tree and wherever the output folder, every file and link that existed
    /// before a batch is byte-identical after it (twice: the second run may replace only what
    /// the first wrote).
    #[test]
    fn no_file_that_existed_before_a_batch_is_changed(
        entries in proptest::collection::vec(tree_entry(), 1..14),
        output in 0..TREE_OUTPUTS.len(),
    ) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        make_tree(root, &entries);
        let before = snapshot(root);
        let options = jixiao::batch::BatchOptions {
            formats: vec![jixiao::OutputFormat::Json, jixiao::OutputFormat::Xlsx],
            jobs: Some(1),
            ..Default::default()
        };
        let out = root.join(TREE_OUTPUTS[output]);
        let report = jixiao::batch::run(&root.join("in"), &out, &options).unwrap();
        proptest::prop_assert!(report.report_errors.is_empty(), "{:?}", report.report_errors);
        let after = snapshot(root);
        for (path, entry) in &before {
            proptest::prop_assert_eq!(after.get(path), Some(entry), "{} changed", path.display());
        }
        // A second run into the same folder: what existed before the first is still intact.
        let again = jixiao::batch::run(&root.join("in"), &out, &options).unwrap();
        proptest::prop_assert!(again.report_errors.is_empty(), "{:?}", again.report_errors);
        let after = snapshot(root);
        for (path, entry) in &before {
            proptest::prop_assert_eq!(after.get(path), Some(entry), "{} changed", path.display());
        }
    }
}

/// A worker whose answer is over its bound (the test-only trigger makes it send more than
/// `MAX_ANSWER_BYTES` without ending its line, as a file making millions of findings did) fails
/// that file alone: the batch reads no further, ends the worker, converts the rest with a
/// fresh one and writes its report.
#[test]
fn a_worker_answer_over_its_bound_fails_its_file_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    for name in ["a.md", "b-flood.md", "c.md"] {
        std::fs::copy(root(SEED), input.join(name)).unwrap();
    }
    let run = batch(&input, &out, &["-q", "-j", "1"])
        .env(jixiao::worker::TEST_FLOOD_ENV, "flood.md")
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let r = report(&out);
    let flooded = common::report_entry(&r, "b-flood.md");
    assert_eq!(flooded["status"], "error");
    let message = flooded["message"].as_str().unwrap();
    assert!(
        message.contains("转换结果过大") && message.contains("64 MB"),
        "{message}"
    );
    for good in ["a.md", "c.md"] {
        assert_eq!(status_of(&r, good), "warnings", "{good}");
    }
}

/// A batch stopped by SIGTERM (or Ctrl-C) ends the file in flight, starts no other, and still
/// writes the report of what was done: the finished file as converted, the one in flight and
/// the one not started marked as interrupted; it exits 130.
#[test]
fn a_stopped_batch_writes_the_report_of_what_was_done() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    for name in ["a.md", "b-hang.md", "c.md"] {
        std::fs::copy(root(SEED), input.join(name)).unwrap();
    }
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args([
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ])
        .args(["-q", "-j", "1", "--to", "json"])
        .env(jixiao::worker::TEST_HANG_ENV, "hang.md")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // a.md is done (its output written) and b-hang.md hangs in its worker.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !out.join("a.json").is_file() {
        assert!(std::time::Instant::now() < deadline, "a.md never converted");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let run = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("批量转换被中断"), "{stderr}");
    let r = report(&out);
    assert_eq!(r["interrupted"], true);
    assert_eq!(r["totals"]["files"], 3);
    assert_eq!(status_of(&r, "a.md"), "warnings");
    for unfinished in ["b-hang.md", "c.md"] {
        let line = common::report_entry(&r, unfinished);
        assert_eq!(line["status"], "error", "{unfinished}");
        assert!(
            line["message"].as_str().unwrap().contains("批量转换被中断"),
            "{line}"
        );
    }
}

/// A link to a file outside the input folder is not read (`passwd.md -> /etc/passwd` was);
/// a link to a file inside it is. Names with terminal escapes or U+202E are shown escaped.
#[test]
fn links_out_of_the_input_folder_are_refused_and_odd_names_shown_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(root(SEED), tmp.path().join("outside.md")).unwrap();
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    std::os::unix::fs::symlink(tmp.path().join("outside.md"), input.join("passwd.md")).unwrap();
    std::os::unix::fs::symlink(input.join("a.md"), input.join("same.md")).unwrap();
    let odd = "\u{1b}[2J坏\u{202e}dm.xlsx";
    std::fs::write(input.join(odd), "不是表格").unwrap();
    let run = batch(&input, &out, &["-q"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    let r = report(&out);
    let refused = common::report_entry(&r, "passwd.md");
    assert_eq!(refused["status"], "skipped");
    assert!(
        refused["message"]
            .as_str()
            .unwrap()
            .contains("输入文件夹之外")
    );
    assert_eq!(status_of(&r, "same.md"), "warnings");
    assert!(
        !stderr.contains('\u{1b}') && !stderr.contains('\u{202e}'),
        "{stderr}"
    );
    assert!(stderr.contains("\\u{1b}[2J坏\\u{202e}dm.xlsx"), "{stderr}");
}

/// A project whose name was not read is never merged with another in the county document:
/// three units' unnamed projects are three rows, each an error of its file in the report.
#[test]
fn projects_without_a_name_keep_their_own_rows_and_are_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    for (file, unit, level3) in [
        ("a.md", "和硕县民政局", "救助人数"),
        ("b.md", "和硕县教育局", "受助学生人数"),
        ("c.md", "和硕县水利局", "渠道长度"),
    ] {
        let text = format!(
            "预算单位\t{unit}\n一级指标\t二级指标\t三级指标\t指标值\n\
             产出指标\t数量指标\t{level3}\t≥10人\n"
        );
        std::fs::write(input.join(file), text).unwrap();
    }
    std::fs::copy(root(SEED), input.join("seed.md")).unwrap();
    let output = batch(&input, &out, &["-q"]).assert().code(1);
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.get_output().stdout),
        String::from_utf8_lossy(&output.get_output().stderr)
    );
    let r = report(&out);
    for file in ["a.md", "b.md", "c.md"] {
        assert_eq!(status_of(&r, file), "error", "{file}");
    }
    let unidentified = r["unidentified"].as_array().unwrap();
    let files: Vec<&str> = unidentified
        .iter()
        .map(|u| u["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["a.md", "b.md", "c.md"]);
    assert!(printed.contains("缺少项目名称"), "{printed}");
    let county: jixiao_model::Document =
        jixiao_json::from_str(&std::fs::read_to_string(out.join("全县汇总.json")).unwrap())
            .unwrap();
    let rows = county.summary.unwrap().rows;
    for unit in ["和硕县民政局", "和硕县教育局", "和硕县水利局"] {
        let row = rows.iter().find(|r| r.department == unit).unwrap();
        assert!(row.remark.as_deref().unwrap().contains("缺少项目名称"));
    }
    // The seed's own projects are still there, each once.
    assert_eq!(county.projects.len(), 5 + 3);
}

/// Without `--to`, a batch writes the forms a clerk files: XLSX and PDF of each input and of
/// the county document, and no JSON.
#[test]
fn batch_writes_the_forms_by_default() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    jixiao()
        .args([
            "batch",
            input.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "-q",
        ])
        .assert()
        .success();
    for name in [
        "a.xlsx",
        "a.pdf",
        "全县汇总.xlsx",
        "全县汇总.pdf",
        "report.csv",
        "report.json",
    ] {
        assert!(out.join(name).is_file(), "{name}");
    }
    assert!(!out.join("a.json").exists() && !out.join("全县汇总.json").exists());
}

#[test]
fn self_evaluations_get_a_county_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("自评"), tmp.path().join("成果"));
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(
        root("fixtures/html/ziping-standard.html"),
        input.join("水利局.html"),
    )
    .unwrap();
    std::fs::copy(
        root("fixtures/kinds/self-evaluation.md"),
        input.join("人社局.md"),
    )
    .unwrap();
    std::fs::copy(root(SEED), input.join("目标表.md")).unwrap();
    batch(&input, &out, &["--to", "json"]).assert().success();
    let report = report(&out);
    let lines = report["self_evaluations"].as_array().unwrap();
    // The 目标表's two projects are no 自评; the two 自评表 are, in path order.
    assert_eq!(lines.len(), 2, "{report:#}");
    assert_eq!(lines[0]["file"], "人社局.md");
    assert_eq!(lines[0]["rate"].to_string(), "96.5");
    assert_eq!(lines[0]["total_score"].to_string(), "98.65");
    assert_eq!(lines[1]["project_name"], "农村饮水安全维修养护");
    assert_eq!(lines[1]["budget"].to_string(), "85.00");
    assert_eq!(lines[1]["executed"].to_string(), "83.30");
    assert_eq!(lines[1]["rate"].to_string(), "98");
    assert_eq!(lines[1]["grade"], "优");
    assert_eq!(lines[1]["grade_by_score"], "优");
    let csv = std::fs::read_to_string(out.join("全县自评汇总.csv")).unwrap();
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.contains("农村饮水安全维修养护,石湾县水利局,85.00,83.30,98%,97.8,优,优,水利局.html"),
        "{csv}"
    );
}
