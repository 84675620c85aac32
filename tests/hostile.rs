//! Hostile inputs through the binary, each under a 1 GiB address-space limit and a time
//! budget: no panic, no abort, no hang, the exit code and a clear message (and, where the
//! input has one, the place). The stored kinds are in `fixtures/hostile/` (written by its
//! `make.py`); the large ones are generated here. Every other fixture goes through the same
//! limits too.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Address space allowed to one conversion (the bound for inputs up to 10 MB).
const MEMORY: u64 = 1 << 30;
/// Wall-clock budget for one conversion; a debug build on a busy two-core machine.
const BUDGET: Duration = Duration::from_secs(60);

struct Outcome {
    code: Option<i32>,
    stderr: String,
    elapsed: Duration,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `jixiao convert INPUT --to json,xlsx -o OUT` under `prlimit --as`, killed past the budget.
fn convert(input: &Path, out: &Path) -> Outcome {
    let start = Instant::now();
    let mut child = Command::new("prlimit")
        .arg(format!("--as={MEMORY}"))
        .arg("--")
        .arg(env!("CARGO_BIN_EXE_jixiao"))
        .arg("convert")
        .arg(input)
        .args(["--to", "json,xlsx", "-o"])
        .arg(out)
        .current_dir(root())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("prlimit (util-linux) runs");
    let mut stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut s).ok();
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > BUDGET {
            child.kill().ok();
            child.wait().ok();
            panic!(
                "{} still running after {BUDGET:?}: a hang or quadratic work",
                input.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Outcome {
        code: status.code(),
        stderr: reader.join().expect("stderr reader"),
        elapsed: start.elapsed(),
    }
}

/// What a hostile input must give.
enum Expect {
    /// Converted (exit 0), with these texts in the messages.
    Converted(&'static [&'static str]),
    /// Refused or partly lost (exit 1), with these texts in the messages.
    Refused(&'static [&'static str]),
}

fn check(input: &Path, expect: &Expect) {
    let out = tempfile::tempdir().unwrap();
    let got = convert(input, out.path());
    let name = input.display();
    assert!(
        !got.stderr.contains("panicked") && !got.stderr.contains("RUST_BACKTRACE"),
        "{name}: panic\n{}",
        got.stderr
    );
    assert!(
        got.code.is_some(),
        "{name}: killed by a signal (abort or out of memory)\n{}",
        got.stderr
    );
    let (code, texts) = match expect {
        Expect::Converted(t) => (0, t),
        Expect::Refused(t) => (1, t),
    };
    assert_eq!(
        got.code,
        Some(code),
        "{name}: exit code, in {:?}\n{}",
        got.elapsed,
        got.stderr
    );
    for text in *texts {
        assert!(
            got.stderr.contains(text),
            "{name}: no “{text}” in the messages:\n{}",
            got.stderr
        );
    }
}

fn hostile(name: &str) -> PathBuf {
    root().join("fixtures/hostile").join(name)
}

#[test]
fn workbooks_declaring_absurd_sizes_are_refused_before_allocating() {
    let cases: &[(&str, &[&str])] = &[
        (
            "far-value-xfd1048576.xlsx",
            &[
                "工作簿过大",
                "“绩效目标”",
                "XFD1048576",
                "1048576 行 × 16383 列",
            ],
        ),
        (
            "shared-strings-forged-count.xlsx",
            &["工作簿过大", "共享字符串表声明有 4294967000 个字符串"],
        ),
        (
            "zip-entry-claims-3gb.xlsx",
            &["xl/worksheets/sheet1.xml", "压缩炸弹"],
        ),
        ("ods-repeated-cells.ods", &["工作簿过大", "“绩效目标”"]),
        (
            "ods-space-repeats.ods",
            &["工作簿过大", "“绩效目标”", "text:s"],
        ),
        (
            "xls-dimensions-forged.xls",
            &["DIMENSIONS", "2147483647 行"],
        ),
    ];
    for (file, texts) in cases {
        check(&hostile(file), &Expect::Refused(texts));
    }
}

#[test]
fn damaged_text_is_read_with_the_places_named() {
    check(
        &hostile("utf8-cut-mid-character.md"),
        &Expect::Converted(&["character.md:8: 警告[I304]", "第 8 行第 21 列", "0xE2 0x89"]),
    );
    check(
        &hostile("stray-byte-ff.md"),
        &Expect::Converted(&["ff.md:7: 警告[I304]", "第 7 行第 12 列", "0xFF"]),
    );
    check(
        &hostile("stray-nul.md"),
        &Expect::Converted(&["nul.md:8: 警告[I304]", "第 8 行第 14 列", "0x00"]),
    );
    // The same bytes named like a workbook: the same verdict on what they are (text).
    check(
        &hostile("utf8-cut-mid-character.xlsx"),
        &Expect::Refused(&["这是文本文件，只是扩展名像工作簿"]),
    );
}

#[test]
fn cr_only_line_endings_are_line_breaks() {
    let out = tempfile::tempdir().unwrap();
    let got = convert(&hostile("cr-only-line-endings.md"), out.path());
    assert_eq!(got.code, Some(0), "{}", got.stderr);
    let json = std::fs::read_to_string(out.path().join("cr-only-line-endings.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let project = &doc["projects"][0];
    assert_eq!(project["project_name"], "营养餐补助");
    assert_eq!(project["indicators"].as_array().unwrap().len(), 2);
}

#[test]
fn amounts_out_of_range_are_a_diagnostic_not_a_panic() {
    check(
        &hostile("decimal-overflow-sum.md"),
        &Expect::Converted(&["L403", "校车购置", "60000000000000000000000000000"]),
    );
}

#[test]
fn a_valid_xlsb_is_read() {
    let out = tempfile::tempdir().unwrap();
    let got = convert(&hostile("valid-binary-workbook.xlsb"), out.path());
    assert_eq!(got.code, Some(0), "{}", got.stderr);
    let json = std::fs::read_to_string(out.path().join("valid-binary-workbook.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["projects"][0]["project_name"], "课后服务");
    assert_eq!(doc["projects"][0]["funds"]["total"], 12.5);
}

/// The large kinds, generated: each must finish within the budget and the memory limit.
#[test]
fn large_inputs_stay_within_memory_and_time() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // A cell longer than Excel allows: written shortened, the cell and length named.
    let long = "很".repeat(40_000);
    let md = format!(
        "预算单位\t示例县教育局\t项目名称\t长文本\n项目总体目标\t{long}\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t受助人数\t≥5人\n"
    );
    check(
        &write("cell-over-32767.md", &md),
        &Expect::Converted(&["md:2: 警告[X408]", "40000 个字符"]),
    );
    // A 1.3 MB HTML table on one line.
    let mut html = String::from("<table>");
    for i in 0..20_000 {
        html.push_str(&format!(
            "<tr><td>产出指标</td><td>数量指标</td><td>指标{i}</td><td>≥{i}人</td></tr>"
        ));
    }
    html.push_str("</table>");
    let started = Instant::now();
    check(&write("one-line-table.html", &html), &Expect::Refused(&[]));
    eprintln!("one-line table: {:?}", started.elapsed());
    // Tables nested 2,000 deep.
    let nested = format!(
        "<table><tr><td>预算单位</td><td>{}甲{}</td></tr></table>",
        "<table><tr><td>".repeat(2_000),
        "</td></tr></table>".repeat(2_000)
    );
    check(&write("nested-tables.html", &nested), &Expect::Refused(&[]));
}

/// An 8 MB TAB grid of short cells stays within the memory limit: the readings of a text are
/// made and recognized one at a time.
#[test]
fn tab_grid_8mb_within_memory() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    // An 8 MB TAB grid of short cells.
    let mut grid = String::new();
    let row = "甲\t乙\t1\t2\t3\t4\t5\t6\t7\t8\t9\t0\n";
    while grid.len() < 8 << 20 {
        grid.push_str(row);
    }
    check(&write("tab-grid-8mb.txt", &grid), &Expect::Refused(&[]));
}

/// Every input a fuzz target found (tests/crashers/, named after its kind) ends within the
/// time budget with a result or a message, never an abort or a hang: an xls whose directory
/// chain loops as calamine reads the FAT (a partial last sector shifts it); an xls whose
/// DIMENSIONS record puts the first row after the last (calamine's row count wraps to four
/// billion); an xls whose indicator header stands hundreds of columns wide (every row tried
/// every offset up to its 三级指标 column: minutes; now at most `MAX_SHIFT`); an HTML page whose
/// project name is thousands of characters long (the county copy check hashed every prefix and
/// suffix of it whole: the square of its length); an xls whose BoundSheet8 records send
/// calamine into the middle of other records, each such "sheet" parsed into its own range
/// (8 GB).
#[test]
fn crashers_found_by_fuzzing() {
    let mut found = 0;
    for file in walk(&root().join("tests/crashers")) {
        let refused = ["cycle", "rows-wrap", "offsets-overlap"]
            .iter()
            .any(|kind| file.to_string_lossy().contains(kind));
        let expect = if refused {
            Expect::Refused(&[])
        } else {
            Expect::Converted(&[])
        };
        check(&file, &expect);
        found += 1;
    }
    assert!(found >= 5, "crashers found: {found}");
    check(
        &root().join("tests/crashers/xls-directory-chain-cycle.xls"),
        &Expect::Refused(&["循环"]),
    );
    check(
        &root().join("tests/crashers/xls-dimensions-rows-wrap.xls"),
        &Expect::Refused(&["DIMENSIONS"]),
    );
}

/// Every stored fixture goes through the same limits: it converts (exit 0) or is refused
/// (exit 1) with a message, never a panic, a signal or a hang.
#[test]
fn every_fixture_within_limits() {
    let mut files = Vec::new();
    for entry in walk(&root().join("fixtures")) {
        let name = entry.to_string_lossy();
        if name.ends_with(".py") || name.ends_with(".json") && name.contains("expected") {
            continue;
        }
        files.push(entry);
    }
    assert!(files.len() > 30, "fixtures found: {}", files.len());
    for file in files {
        let out = tempfile::tempdir().unwrap();
        let got = convert(&file, out.path());
        let name = file.display();
        assert!(
            !got.stderr.contains("panicked"),
            "{name}: panic\n{}",
            got.stderr
        );
        assert!(
            matches!(got.code, Some(0 | 1)),
            "{name}: exit {:?}\n{}",
            got.code,
            got.stderr
        );
        if got.code == Some(1) {
            assert!(
                got.stderr.contains("错误"),
                "{name}: refused without a message"
            );
        }
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Text in the encodings offices also write — Big5 (a Traditional-Chinese machine), UTF-16
/// without BOM (Windows' "Unicode" text), UTF-32 — is read, not called "不是文本文件".
#[test]
fn text_in_big5_utf16_without_bom_and_utf32_is_read() {
    let table = "**項目支出績效目標表**\n\n\
        預算單位\t示例縣交通運輸局\t\t\t項目名稱\t鄉村道路養護\t\n\
        項目資金 (萬元)\t年度資金總額:\t12.5\t其中:財政撥款\t12.5\t其他資金\t0\n\
        項目總體目標\t保障鄉村道路暢通。\t\t\t\t\t\n\
        一級指標\t二級指標\t三級指標\t\t\t指標值\t\n\
        產出指標\t數量指標\t養護里程\t\t\t≧120公里\t\n\
        滿意度指標\t滿意度指標\t群眾滿意度\t\t\t≧95%\t\n";
    let (big5, _, unmappable) = encoding_rs::BIG5.encode(table);
    assert!(!unmappable);
    let utf16: Vec<u8> = table.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let utf32: Vec<u8> = table
        .chars()
        .flat_map(|c| u32::from(c).to_be_bytes())
        .collect();
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in [
        ("big5.txt", big5.into_owned()),
        ("utf16.txt", utf16),
        ("utf32.txt", utf32),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, bytes).unwrap();
        let out = dir.path().join(format!("out-{name}"));
        let got = convert(&input, &out);
        assert_eq!(got.code, Some(0), "{name}: {}", got.stderr);
        let stem = name.trim_end_matches(".txt");
        let json = std::fs::read_to_string(out.join(format!("{stem}.json"))).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
        let project = &doc["projects"][0];
        assert_eq!(project["project_name"], "鄉村道路養護", "{name}");
        assert_eq!(project["indicators"].as_array().unwrap().len(), 2, "{name}");
    }
}
