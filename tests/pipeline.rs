//! The front end's promises, end to end: one conversion for every command, inputs read with
//! limits, operating-system errors in Chinese with the right exit code, a batch that survives
//! a dying worker and always writes its report, spreadsheets that never run a formula, one
//! pairing of summary rows to project tables, and each project once in the county document.

mod common;

use common::{batch_report as report, jixiao, report_entry as entry};
use std::path::{Path, PathBuf};

const SEED: &str = "fixtures/heshuo-2022.md";

fn root(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A temporary folder with an empty input folder `in` and an output folder `out` (not made).
fn folders() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out) = (tmp.path().join("in"), tmp.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    (tmp, input, out)
}

/// `jixiao batch INPUT -o OUTPUT EXTRA…`, writing JSON (which these tests read) unless EXTRA
/// names the formats.
fn batch(input: &Path, output: &Path, extra: &[&str]) -> assert_cmd::Command {
    let mut cmd = jixiao();
    cmd.arg("batch")
        .arg(input)
        .arg("-o")
        .arg(output)
        .args(extra);
    if !extra.contains(&"--to") {
        cmd.args(["--to", "json"]);
    }
    cmd
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

// ---------------------------------------------------------------- batch survives its workers

/// A file that kills the process converting it (here: the test-only trigger makes the worker
/// abort, as an allocation failure would) fails alone: the other files convert, the county
/// document and the report are written, and the report names the file and why.
#[test]
fn a_file_that_kills_its_worker_fails_alone_and_the_report_is_written() {
    let (_tmp, input, out) = folders();
    std::fs::create_dir_all(input.join("b")).unwrap();
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    std::fs::copy(root(SEED), input.join("b/abort-me.md")).unwrap();
    std::fs::copy(
        root("fixtures/pairing/blank-row-amount.md"),
        input.join("c.md"),
    )
    .unwrap();
    let run = batch(&input, &out, &["-q", "-j", "2", "--to", "json,xlsx"])
        .env(jixiao::worker::TEST_ABORT_ENV, "abort-me.md")
        .output()
        .unwrap();
    let stderr = stderr_of(&run);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    let r = report(&out);
    let dead = entry(&r, "b/abort-me.md");
    assert_eq!(dead["status"], "error");
    let message = dead["message"].as_str().unwrap();
    assert!(message.contains("进程意外终止"), "{message}");
    assert!(message.contains("SIGABRT"), "{message}");
    for good in ["a.md", "c.md"] {
        assert_eq!(entry(&r, good)["status"], "warnings", "{good}");
        assert_eq!(entry(&r, good)["outputs"].as_array().unwrap().len(), 2);
    }
    assert!(out.join("a.json").is_file() && out.join("c.xlsx").is_file());
    assert!(out.join("全县汇总.json").is_file());
    assert!(out.join("report.csv").is_file());
    assert!(stderr.contains("失败：b/abort-me.md"), "{stderr}");
    assert!(stderr.contains("report.json"), "{stderr}");
}

/// A file that never finishes (the test-only trigger makes its worker hang, as a pathological
/// input might) fails after `--timeout` seconds; the rest of the batch and the report go on.
#[test]
fn a_file_over_the_time_limit_fails_alone() {
    let (_tmp, input, out) = folders();
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    std::fs::copy(root(SEED), input.join("hang.md")).unwrap();
    let run = batch(&input, &out, &["-q", "-j", "1", "--timeout", "2"])
        .env(jixiao::worker::TEST_HANG_ENV, "hang.md")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1), "{}", stderr_of(&run));
    let r = report(&out);
    let hung = entry(&r, "hang.md");
    assert_eq!(hung["status"], "error");
    assert!(
        hung["message"]
            .as_str()
            .unwrap()
            .contains("超过 2 秒仍未完成"),
        "{hung}"
    );
    assert_eq!(entry(&r, "a.md")["status"], "warnings");
    assert!(out.join("a.json").is_file());
}

/// Worker processes and in-process conversion give the same bytes (the library's batch runs in
/// process; the command line's in workers).
#[test]
fn workers_write_the_same_bytes_as_convert() {
    let tmp = tempfile::tempdir().unwrap();
    let (input, out, single) = (
        tmp.path().join("in"),
        tmp.path().join("out"),
        tmp.path().join("single"),
    );
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(root(SEED), input.join("seed.md")).unwrap();
    batch(&input, &out, &["-q", "--to", "json,xlsx,pdf"])
        .assert()
        .success();
    // From the input folder, so that `convert` names the input as `batch` does (`seed.md`).
    jixiao()
        .current_dir(&input)
        .args(["convert", "--to", "json,xlsx,pdf", "-o"])
        .arg(&single)
        .arg("seed.md")
        .assert()
        .success();
    for ext in ["json", "xlsx", "pdf"] {
        let name = format!("seed.{ext}");
        assert!(
            std::fs::read(out.join(&name)).unwrap() == std::fs::read(single.join(&name)).unwrap(),
            "{name} differs between batch and convert"
        );
    }

    // And the library's in-process batch writes what the workers wrote.
    let lib_out = tmp.path().join("lib");
    let options = jixiao::batch::BatchOptions {
        formats: vec![
            jixiao::OutputFormat::Json,
            jixiao::OutputFormat::Xlsx,
            jixiao::OutputFormat::Pdf,
        ],
        ..Default::default()
    };
    jixiao::batch::run(&input, &lib_out, &options).unwrap();
    for name in [
        "seed.json",
        "seed.xlsx",
        "seed.pdf",
        "全县汇总.json",
        "全县汇总.xlsx",
    ] {
        assert!(
            std::fs::read(out.join(name)).unwrap() == std::fs::read(lib_out.join(name)).unwrap(),
            "{name} differs between workers and in-process"
        );
    }
}

// ------------------------------------------------------------------------ the batch report

/// OWASP's CSV-injection rule: a cell starting with = + - @ tab or CR is prefixed with '.
#[test]
fn report_csv_escapes_formulas() {
    let (_tmp, input, out) = folders();
    let names = [
        "=HYPERLINK(\"http:x\",\"y\").md",
        "+1.md",
        "-2.md",
        "@SUM(A1).md",
    ];
    for n in names {
        std::fs::copy(root(SEED), input.join(n)).unwrap();
    }
    batch(&input, &out, &["-q"]).assert().success();
    let csv = std::fs::read_to_string(out.join("report.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let mut files = Vec::new();
    for record in reader.records() {
        let record = record.unwrap();
        for cell in record.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "unescaped cell {cell:?} in\n{csv}"
            );
        }
        files.push(record[0].to_string());
    }
    for n in names {
        assert!(files.contains(&format!("'{n}")), "{n} missing in {files:?}");
    }
    // The outputs column is escaped too (the output names start with the same characters).
    assert!(csv.contains("'-2.json"), "{csv}");
}

#[test]
fn csv_text_escapes_exactly_the_owasp_characters() {
    use jixiao::batch::csv_text;
    for s in ["=1", "+1", "-1", "@a", "\tx", "\rx"] {
        assert_eq!(csv_text(s), format!("'{s}"));
    }
    for s in ["表1.md", "a=b", "１", "", "'=x"] {
        assert_eq!(csv_text(s), s);
    }
}

/// The XLSX outputs never hold a formula from the input: text that looks like one is written
/// as text, and the only formulas are the workbook's own 合计 sums.
#[test]
fn xlsx_outputs_hold_input_text_as_text_never_as_formula() {
    use calamine::{Data, Reader};
    let tmp = tempfile::tempdir().unwrap();
    let seed = std::fs::read_to_string(root("fixtures/pairing/blank-row-amount.md")).unwrap();
    let hostile = seed
        .replace("城市低保项目", "=HYPERLINK(\"http://x\",\"城市低保\")")
        .replace("保障城市低保对象基本生活。", "+cmd|' /C calc'!A0")
        .replace("≥120人", "@SUM(1+1)")
        .replace("博湖县民政局", "-2+3");
    let input = tmp.path().join("hostile.md");
    std::fs::write(&input, hostile).unwrap();
    jixiao()
        .args(["convert", "--to", "xlsx", "-o"])
        .arg(tmp.path())
        .arg(&input)
        .assert()
        .success();
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(tmp.path().join("hostile.xlsx")).unwrap();
    let mut texts = Vec::new();
    for sheet in wb.sheet_names() {
        let formulas = wb.worksheet_formula(&sheet).unwrap();
        for f in formulas
            .used_cells()
            .map(|(_, _, f)| f)
            .filter(|f| !f.is_empty())
        {
            assert!(
                f.starts_with("SUM(")
                    && f.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "():".contains(c)),
                "{sheet}: formula {f:?} is not the workbook's own sum"
            );
        }
        let range = wb.worksheet_range(&sheet).unwrap();
        texts.extend(range.used_cells().filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        }));
    }
    for t in ["+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3"] {
        assert!(
            texts.iter().any(|s| s == t),
            "{t:?} not kept as text: {texts:?}"
        );
    }
}

/// A report that cannot be written is never announced: the batch says so and exits 1.
#[test]
fn a_report_that_cannot_be_written_is_not_claimed() {
    let (_tmp, input, out) = folders();
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    // report.json is taken by a folder. An earlier run's report claims it (so the run writes
    // its report there rather than under another name), and the write fails.
    std::fs::create_dir_all(out.join("report.json/x")).unwrap();
    std::fs::write(
        out.join("report-2.json"),
        r#"{"schema": "jixiao-batch/1", "reports": ["report.json"]}"#,
    )
    .unwrap();
    let run = batch(&input, &out, &["-q"]).output().unwrap();
    let stderr = stderr_of(&run);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("报告未能写入"), "{stderr}");
    let claimed = stderr
        .lines()
        .find(|l| l.starts_with("报告："))
        .unwrap_or_default();
    assert!(!claimed.contains("report.json"), "{stderr}");
    assert!(claimed.contains("report.csv"), "{stderr}");
    assert!(out.join("report.csv").is_file());
}

// ------------------------------------------------------------------------ inputs and errors

#[test]
fn operating_system_errors_are_said_in_chinese_with_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("没有.md");
    let out = jixiao()
        .args(["convert", "-o"])
        .arg(tmp.path())
        .arg(&missing)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("文件不存在"),
        "{}",
        stderr_of(&out)
    );

    let out = jixiao()
        .args(["convert", "-o"])
        .arg(tmp.path())
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("是文件夹") && stderr.contains("jixiao batch"),
        "{stderr}"
    );

    // The output folder cannot be made (a file is in the way): an I/O error, exit 1.
    let blocker = tmp.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let out = jixiao()
        .args(["convert", SEED, "-o"])
        .arg(blocker.join("out"))
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("无法创建输出目录"), "{stderr}");
    assert!(stderr.contains("不是文件夹"), "{stderr}");

    // A batch over a folder that does not exist: exit 1, said in Chinese.
    let out = batch(&tmp.path().join("无"), &tmp.path().join("o"), &["-q"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_of(&out).contains("文件不存在"),
        "{}",
        stderr_of(&out)
    );

    // A template folder without templates is a usage error: exit 2.
    jixiao()
        .args(["convert", SEED, "-o", "-", "--template"])
        .arg(tmp.path())
        .assert()
        .code(2);
}

#[cfg(unix)]
#[test]
fn permission_denied_is_said_in_chinese() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let locked = tmp.path().join("locked.md");
    std::fs::copy(root(SEED), &locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        return; // running as root: permissions do not apply
    }
    let out = jixiao()
        .args(["convert", "-o", "-"])
        .arg(&locked)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_of(&out).contains("没有权限"), "{}", stderr_of(&out));
}

/// `convert` on a FIFO refuses it at once instead of waiting for a writer forever; `batch`
/// lists it as failed.
#[cfg(unix)]
#[test]
fn fifos_are_refused_not_waited_on() {
    let tmp = tempfile::tempdir().unwrap();
    let input = tmp.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    let fifo = input.join("pipe.md");
    mkfifo(&fifo);
    std::fs::copy(root(SEED), input.join("a.md")).unwrap();
    let out = jixiao()
        .args(["convert", "-o", "-"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("命名管道"), "{stderr}");

    let run = batch(&input, &tmp.path().join("out"), &["-q"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(1));
    let r = report(&tmp.path().join("out"));
    assert_eq!(entry(&r, "pipe.md")["status"], "error");
    assert!(
        entry(&r, "pipe.md")["message"]
            .as_str()
            .unwrap()
            .contains("命名管道")
    );
    assert_eq!(entry(&r, "a.md")["status"], "warnings");
}

/// A file over the size limit is refused before a byte is read (a sparse file: no disk used).
#[test]
fn an_input_over_the_limit_is_refused_up_front() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("big.md");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(jixiao::fsutil::MAX_INPUT_BYTES + 1).unwrap();
    let out = jixiao()
        .args(["convert", "-o", "-"])
        .arg(&big)
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("文件太大"), "{stderr}");
    // The library says the same.
    let err = jixiao::convert_file(&big, "big.md", &[], &jixiao::Options::default()).unwrap_err();
    assert!(err.to_string().contains("文件太大"));
}

// --------------------------------------------------------------- one conversion, in memory

/// The library converts bytes to every format in memory, with each writer's diagnostics, and
/// `convert` writes exactly those bytes.
#[test]
fn convert_writes_the_bytes_the_library_renders_in_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(root(SEED)).unwrap();
    let formats = jixiao::OutputFormat::ALL;
    let converted =
        jixiao::convert_bytes(SEED, &bytes, formats, &jixiao::Options::default()).unwrap();
    assert_eq!(converted.outputs.len(), 3);
    jixiao()
        .args(["convert", SEED, "--to", "json,xlsx,pdf", "-o"])
        .arg(tmp.path())
        .assert()
        .success();
    for o in &converted.outputs {
        let written = std::fs::read(
            tmp.path()
                .join(format!("heshuo-2022.{}", o.format.extension())),
        )
        .unwrap();
        assert!(
            o.bytes.as_ref().unwrap() == &written,
            "{} differs",
            o.format.extension()
        );
    }
}

// ----------------------------------------------------------------- pairing and identity

/// The issue's case: a summary row `城市低保项目` with a blank amount and a table `城市低保` of
/// 35.88 — the review, the XLSX and the PDF all take 35.88 (and the 合计 follows).
#[test]
fn summary_rows_pair_with_their_tables_the_same_way_everywhere() {
    use calamine::{Data, Reader};
    for (fixture, row_amount, total) in [
        ("fixtures/pairing/xiangmu-suffix.md", 35.88, "35.88"),
        ("fixtures/pairing/blank-row-amount.md", 35.88, "48.48"),
    ] {
        let check = jixiao().args(["check", fixture]).output().unwrap();
        let text = String::from_utf8_lossy(&check.stdout).into_owned();
        assert!(
            text.contains(&format!("计算应为 {total} 万元")),
            "{fixture}: check says\n{text}"
        );
        assert!(!text.contains("无法确定"), "{fixture}: {text}");

        let tmp = tempfile::tempdir().unwrap();
        jixiao()
            .args(["convert", fixture, "--to", "xlsx,pdf", "-o"])
            .arg(tmp.path())
            .assert()
            .success();
        let stem = Path::new(fixture).file_stem().unwrap().to_str().unwrap();
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook(tmp.path().join(format!("{stem}.xlsx"))).unwrap();
        let range = wb.worksheet_range("汇总表").unwrap();
        let row = (1..range.height() as u32)
            .find(|&r| {
                matches!(range.get_value((r, 2)), Some(Data::String(s)) if s == "城市低保项目")
            })
            .expect("the row");
        assert_eq!(
            range.get_value((row, 3)),
            Some(&Data::Float(row_amount)),
            "{fixture}: XLSX row amount"
        );
        let total_row = (1..range.height() as u32)
            .find(|&r| matches!(range.get_value((r, 0)), Some(Data::String(s)) if s == "合计"))
            .expect("the 合计 row");
        let shown = match range.get_value((total_row, 3)) {
            Some(Data::Float(f)) => format!("{f:.2}"),
            Some(Data::String(s)) => s.clone(),
            other => format!("{other:?}"),
        };
        assert_eq!(shown, total, "{fixture}: XLSX 合计");

        let pdf = std::fs::read(tmp.path().join(format!("{stem}.pdf"))).unwrap();
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let first = *doc.get_pages().keys().next().unwrap();
        let page: String = doc
            .extract_text(&[first])
            .unwrap()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(
            page.contains(&format!("城市低保项目{row_amount}")),
            "{fixture}: PDF row\n{page}"
        );
        assert!(
            page.contains(&format!("合计{total}")),
            "{fixture}: PDF 合计\n{page}"
        );
    }
}

/// A department resubmitted: the county document lists each project once (from the first
/// file), notes the other file in 备注 with whether it differs, and its 合计 counts it once.
#[test]
fn the_county_document_lists_each_project_once() {
    use calamine::{Data, Reader};
    let (_tmp, input, out) = folders();
    std::fs::create_dir_all(input.join("民政局")).unwrap();
    let seed = std::fs::read_to_string(root("fixtures/pairing/blank-row-amount.md")).unwrap();
    std::fs::write(input.join("民政局/表.md"), &seed).unwrap();
    // The same copy again, and a resubmission with another amount and one indicator changed.
    std::fs::write(input.join("民政局/表-副本.md"), &seed).unwrap();
    let changed = seed
        .replace(
            "年度资金总额:\t12.60\t其中:财政拨款\t12.60",
            "年度资金总额:\t13.00\t其中:财政拨款\t13.00",
        )
        .replace("≥30人", "≥31人");
    std::fs::write(input.join("民政局/补报.md"), changed).unwrap();

    batch(&input, &out, &["-q", "--to", "json,xlsx"])
        .assert()
        .success();
    let r = report(&out);
    assert_eq!(
        r["totals"]["projects"], 6,
        "every file's projects are counted per file"
    );
    assert_eq!(r["totals"]["county_projects"], 2);
    let county =
        jixiao_json::from_str(&std::fs::read_to_string(out.join("全县汇总.json")).unwrap())
            .unwrap();
    let names: Vec<&str> = county
        .projects
        .iter()
        .map(|p| p.project_name.as_str())
        .collect();
    assert_eq!(names, ["城市低保", "特困人员供养"]);
    let rows = &county.summary.as_ref().unwrap().rows;
    assert_eq!(rows.len(), 2);
    // Files in path order: 民政局/补报.md, 民政局/表-副本.md, 民政局/表.md.
    let remark = rows[1].remark.as_deref().unwrap();
    assert!(
        remark.contains("另见 民政局/表-副本.md（内容不同：年度资金总额、财政拨款、指标）"),
        "{remark}"
    );
    assert!(remark.contains("另见 民政局/表.md（内容不同"), "{remark}");
    let remark0 = rows[0].remark.as_deref().unwrap();
    assert!(
        remark0.contains("另见 民政局/表-副本.md（内容相同）"),
        "{remark0}"
    );

    let dups = r["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 2);
    let tekun = dups
        .iter()
        .find(|d| d["project_name"] == "特困人员供养")
        .unwrap();
    assert_eq!(tekun["differs"], true);
    let differences: Vec<&str> = tekun["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(
        differences.contains(&"民政局/表-副本.md：年度资金总额为“12.60”，民政局/补报.md 为“13.00”"),
        "{differences:?}"
    );
    assert!(
        differences.contains(
            &"民政局/表.md：第 1 条指标（特困人员供养人数）的指标值为“≥30人”，民政局/补报.md 为“≥31人”"
        ),
        "{differences:?}"
    );
    let dibao = dups
        .iter()
        .find(|d| d["project_name"] == "城市低保")
        .unwrap();
    assert_eq!(dibao["differs"], false);

    // The county workbook: one row per project, the 备注 column, 合计 = 35.88 + 13.00.
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(out.join("全县汇总.xlsx")).unwrap();
    let range = wb.worksheet_range("汇总表").unwrap();
    // Row 1 is the header, rows 2 and 3 the projects, row 4 the 合计.
    assert_eq!(range.get_value((1, 4)), Some(&Data::String("备注".into())));
    assert!(
        matches!(range.get_value((3, 4)), Some(Data::String(s)) if s.starts_with("另见 民政局/表-副本.md"))
    );
    let total_row = (1..range.height() as u32)
        .find(|&r| matches!(range.get_value((r, 0)), Some(Data::String(s)) if s == "合计"))
        .unwrap();
    assert_eq!(total_row, 4, "two project rows");
    assert_eq!(range.get_value((total_row, 3)), Some(&Data::Float(48.88)));
}
