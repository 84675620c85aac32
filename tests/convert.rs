//! End-to-end tests of `jixiao convert` and `jixiao check` on the seed and on bad inputs.

mod common;

use common::{golden, jixiao};
use jixiao::model::Document;
use serde_json::Value as Json;

const SEED: &str = "fixtures/heshuo-2022.md";

fn stdout(args: &[&str]) -> String {
    let out = jixiao().args(args).output().expect("run jixiao");
    assert!(
        out.status.success(),
        "jixiao {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

fn seed_document() -> Document {
    jixiao_json::from_str(&stdout(&["convert", SEED, "-o", "-"])).expect("valid jixiao/1")
}

#[test]
fn seed_json_matches_the_golden_file() {
    golden(
        "fixtures/heshuo-2022.expected.json",
        &stdout(&["convert", SEED, "-o", "-"]),
    );
}

#[test]
fn seed_has_the_summary_and_all_55_indicators() {
    let doc = seed_document();
    let summary = doc.summary.as_ref().expect("summary");
    assert_eq!(
        summary.title.as_deref(),
        Some("2022年度和硕县重大政策和重点项目绩效目标汇总表")
    );
    assert_eq!(
        (summary.year, summary.region.as_deref()),
        (Some(2022), Some("和硕县"))
    );
    assert_eq!(summary.rows.len(), 5);
    assert_eq!(summary.total, None);
    let names: Vec<&str> = doc
        .projects
        .iter()
        .map(|p| p.project_name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "城乡居民社会养老保险基金县级配套项目",
            "城乡养老保险待遇发放财政补贴项目",
            "城乡居民医疗保险县级配套",
            "城市低保",
            "农村低保"
        ]
    );
    let counts: Vec<usize> = doc.projects.iter().map(|p| p.indicators.len()).collect();
    assert_eq!(counts, [7, 22, 7, 9, 10]);
    let funds: Vec<String> = doc
        .projects
        .iter()
        .map(|p| format!("{:?}", (p.funds.total, p.funds.fiscal, p.funds.other)))
        .collect();
    assert!(
        funds[3].contains("35.88") && funds[3].ends_with("Some(0.00))"),
        "{}",
        funds[3]
    );
    assert!(doc.projects.iter().all(|p| p.year == Some(2022)));
}

#[test]
fn numbers_keep_their_source_digits_in_json() {
    let text = stdout(&["convert", SEED, "-o", "-"]);
    assert!(text.contains("\"number\": 3.90,"));
    assert!(text.contains("\"other\": 0.00,"));
    assert!(text.contains("\"total\": 707.4,"));
    assert!(text.contains("\"other\": 0,"));
}

#[test]
fn both_ocr_repairs_are_reported_with_their_lines() {
    let doc = seed_document();
    let find = |code: &str| {
        doc.diagnostics
            .iter()
            .find(|d| d.code == code)
            .unwrap_or_else(|| panic!("{code} missing"))
    };
    assert_eq!(find("R101").location.line, Some(51));
    assert_eq!(find("R102").location.line, Some(99));
    let shifted = doc.projects[1]
        .indicators
        .iter()
        .find(|i| i.level3 == "人均丧葬补贴发放资金数")
        .unwrap();
    assert_eq!(
        (
            shifted.level1.as_str(),
            shifted.level2.as_str(),
            shifted.value.raw.as_str()
        ),
        ("产出指标", "成本指标", "=720元")
    );
    let cover = doc.projects[4]
        .indicators
        .iter()
        .find(|i| i.level3 == "农村低保救助补助覆盖率")
        .unwrap();
    assert_eq!(
        (cover.level1.as_str(), cover.level2.as_str()),
        ("产出指标", "质量指标")
    );
    let recognizer: Vec<&str> = doc
        .diagnostics
        .iter()
        .filter(|d| d.code.is_recognize())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(
        recognizer,
        ["R101", "R102"],
        "no other recognizer diagnostics on the seed"
    );
}

#[test]
fn human_diagnostics_name_file_and_line_in_chinese() {
    let out = jixiao().args(["check", SEED]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("fixtures/heshuo-2022.md:51: 警告[R101]: "),
        "{text}"
    );
    assert!(
        text.contains("fixtures/heshuo-2022.md:99: 警告[R102]: "),
        "{text}"
    );
}

#[test]
fn diagnostics_as_json_carry_codes_and_locations() {
    let out = jixiao()
        .args(["check", SEED, "--diagnostics", "json"])
        .output()
        .unwrap();
    let diags: Json = serde_json::from_slice(&out.stdout).expect("JSON diagnostics");
    let r101 = diags
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "R101")
        .expect("R101");
    assert_eq!(r101["severity"], "warning");
    assert_eq!(r101["location"]["line"], 51);
    assert_eq!(r101["location"]["file"], SEED);
    assert!(r101["location"].get("sheet").is_some() && r101["location"].get("cell").is_some());
}

#[test]
fn gb18030_copy_gives_the_same_document() {
    let utf8 = seed_document();
    let gb = jixiao_json::from_str(&stdout(&[
        "convert",
        "fixtures/heshuo-2022.gb18030.txt",
        "-o",
        "-",
    ]))
    .unwrap();
    let strip = |mut d: Document| {
        d.diagnostics.retain(|x| x.code != "I303");
        jixiao_json::to_string(&d).replace("fixtures/heshuo-2022.gb18030.txt", SEED)
    };
    assert!(
        gb.diagnostics
            .iter()
            .any(|d| d.code == "I303" && d.message.contains("gb18030"))
    );
    assert_eq!(strip(gb), strip(utf8));
}

/// The seed in UTF-16 without BOM (Windows' "Unicode" text saved without its mark) and in
/// UTF-32 with and without BOM, and the seed's HTML page in UTF-16LE and UTF-32BE without BOM:
/// each gives the same document as its UTF-8 original, with I303 naming the encoding.
#[test]
fn utf16_and_utf32_copies_give_the_same_document() {
    let html = "fixtures/html/heshuo-2022.html";
    let original = |path: &str| stdout(&["convert", path, "-o", "-"]);
    let (seed, page) = (original(SEED), original(html));
    for (copy, of, encoding) in [
        ("heshuo-2022.utf16le.txt", SEED, "UTF-16LE"),
        ("heshuo-2022.utf16be.txt", SEED, "UTF-16BE"),
        ("heshuo-2022.utf32le.txt", SEED, "UTF-32LE"),
        ("heshuo-2022.utf32be.txt", SEED, "UTF-32BE"),
        ("heshuo-2022.utf32le-bom.txt", SEED, "UTF-32LE"),
        ("heshuo-2022.utf32be-bom.txt", SEED, "UTF-32BE"),
        ("heshuo-2022.utf16le.html", html, "UTF-16LE"),
        ("heshuo-2022.utf32be.html", html, "UTF-32BE"),
    ] {
        let path = format!("fixtures/encodings/{copy}");
        let doc = jixiao_json::from_str(&original(&path)).unwrap();
        assert!(
            doc.diagnostics
                .iter()
                .any(|d| d.code == "I303" && d.message.contains(encoding)),
            "{copy}: {:?}",
            doc.diagnostics
        );
        let strip = |mut d: Document| {
            d.diagnostics.retain(|x| x.code != "I303");
            jixiao_json::to_string(&d).replace(&path, of)
        };
        let want = jixiao_json::from_str(if of == SEED { &seed } else { &page }).unwrap();
        assert_eq!(strip(doc), strip(want), "{copy}");
    }
}

#[test]
/// To a folder, the JSON is serialized straight into its temporary file (never held whole):
/// the same bytes as on standard output, renamed into place, nothing else left behind.
fn json_written_to_a_file_is_the_json_on_standard_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    jixiao()
        .args(["convert", SEED, "--to", "json", "-o", out.to_str().unwrap()])
        .assert()
        .success();
    let written = std::fs::read_to_string(out.join("heshuo-2022.json")).unwrap();
    assert!(written == stdout(&["convert", SEED, "-o", "-"]));
    let names: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["heshuo-2022.json"]);
}

#[test]
fn json_round_trip_gives_the_same_document() {
    let dir = tempfile::tempdir().unwrap();
    let json_path = dir.path().join("heshuo-2022.json");
    std::fs::write(&json_path, stdout(&["convert", SEED, "-o", "-"])).unwrap();
    let again = stdout(&["convert", json_path.to_str().unwrap(), "-o", "-"]);
    assert_eq!(jixiao_json::from_str(&again).unwrap(), seed_document());
}

#[test]
/// Without `--to`, `convert` writes the forms (XLSX and PDF), the same bytes every time, and
/// leaves nothing else behind.
fn convert_writes_into_the_output_folder_deterministically() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().to_str().unwrap();
    let forms = ["heshuo-2022.pdf", "heshuo-2022.xlsx"];
    let read = || forms.map(|f| std::fs::read(dir.path().join(f)).unwrap());
    jixiao()
        .args(["convert", SEED, "-o", out])
        .assert()
        .success();
    let first = read();
    jixiao()
        .args(["convert", SEED, "-o", out])
        .assert()
        .success();
    assert!(first == read(), "the same bytes again");
    let mut left: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    left.sort();
    assert_eq!(left, forms, "only the forms, no JSON, no temporary file");
}

#[test]
fn two_inputs_with_the_same_name_both_survive() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    let b = dir.path().join("b");
    for d in [&a, &b] {
        std::fs::create_dir(d).unwrap();
        std::fs::copy(SEED, d.join("table.md")).unwrap();
    }
    let out = dir.path().join("out");
    jixiao()
        .args([
            "convert",
            a.join("table.md").to_str().unwrap(),
            b.join("table.md").to_str().unwrap(),
            "--to",
            "json",
            "-o",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert!(out.join("table.json").exists() && out.join("table-2.json").exists());
}

#[test]
fn an_output_never_overwrites_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("seed.json");
    std::fs::write(&input, stdout(&["convert", SEED, "-o", "-"])).unwrap();
    let before = std::fs::read(&input).unwrap();
    let out = jixiao()
        .args([
            "convert",
            input.to_str().unwrap(),
            "--to",
            "json",
            "-o",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    // The output that would land on the input takes the next free name instead (the naming
    // rule `convert` shares with `batch`); the input is untouched.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("seed-2.json"), "{stderr}");
    assert_eq!(std::fs::read(&input).unwrap(), before);
    assert!(dir.path().join("seed-2.json").is_file());
}

/// A picture of a table (a scan, a phone photo) is named as a picture, with what to do —
/// not called a file of an unknown text encoding. The signatures are the formats' own.
#[test]
fn pictures_are_named_as_pictures() {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes, kind) in [
        (
            "扫描.png",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(),
            "PNG",
        ),
        (
            "照片.jpg",
            b"\xFF\xD8\xFF\xE0\0\x10JFIF\0".as_slice(),
            "JPEG",
        ),
        (
            "图.bmp",
            b"BM\x36\0\0\0\0\0\0\0\x36\0\0\0".as_slice(),
            "BMP",
        ),
        ("图.webp", b"RIFF\x24\0\0\0WEBPVP8 ".as_slice(), "WebP"),
    ] {
        let input = dir.path().join(name);
        std::fs::write(&input, bytes).unwrap();
        let out = jixiao()
            .args([
                "convert",
                input.to_str().unwrap(),
                "-o",
                dir.path().to_str().unwrap(),
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("这是图片文件（{kind}）")) && stderr.contains("OCR"),
            "{name}: {stderr}"
        );
    }
    // A text that happens to start with "BM" is still a text.
    let text = dir.path().join("bm.md");
    std::fs::write(&text, "BMI 指标说明\n").unwrap();
    let out = jixiao()
        .args([
            "convert",
            text.to_str().unwrap(),
            "-o",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("图片"));
}

/// Each bad input: exit code 1, a message naming the file, no panic.
#[test]
fn bad_inputs_fail_clearly() {
    for (file, expect) in [
        (
            "fixtures/bad/empty.md",
            "fixtures/bad/empty.md: 错误: 文件为空",
        ),
        (
            "fixtures/bad/garbage.bin",
            "fixtures/bad/garbage.bin: 错误: 不是文本文件",
        ),
        (
            "fixtures/bad/no-table.md",
            "fixtures/bad/no-table.md: 错误[R100]: 未找到绩效目标表",
        ),
        (
            "fixtures/bad/no-value-column.md",
            "fixtures/bad/no-value-column.md:7: 错误[R106]: 指标表头缺少“指标值”列",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let out = jixiao()
            .args(["convert", file, "-o", dir.path().to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        assert!(stderr.contains(expect), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"), "{file}: {stderr}");
    }
}

#[test]
fn a_truncated_table_converts_what_is_there_and_says_where_it_stops() {
    let out = jixiao()
        .args(["convert", "fixtures/bad/truncated.md", "-o", "-"])
        .output()
        .unwrap();
    let doc = jixiao_json::from_str(&String::from_utf8(out.stdout).unwrap()).unwrap();
    assert_eq!(doc.projects.len(), 2);
    let last = doc
        .diagnostics
        .iter()
        .find(|d| d.code == "R104")
        .expect("empty value reported");
    assert_eq!(last.location.line, Some(43));
}

#[test]
fn workbooks_and_pdfs_are_named_not_misread() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("scan.md");
    std::fs::write(&pdf, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n").unwrap();
    let out = jixiao()
        .args(["convert", pdf.to_str().unwrap(), "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("PDF"));
}

#[test]
fn usage_errors_exit_2() {
    jixiao().args(["convert"]).assert().code(2);
    jixiao()
        .args(["convert", SEED, "--to", "docx"])
        .assert()
        .code(2);
    jixiao().args(["frobnicate"]).assert().code(2);
}

#[test]
fn schema_is_json_schema_for_the_contract() {
    let schema: Json = serde_json::from_str(&stdout(&["schema"])).unwrap();
    assert!(
        schema["$schema"]
            .as_str()
            .unwrap()
            .contains("json-schema.org")
    );
    assert_eq!(schema["title"], "Document");
    assert!(schema["properties"]["projects"].is_object());
}

/// A file name with a terminal escape sequence and a bidi override is written out
/// (`\u{1b}`, `\u{202e}`) in every line `convert` writes, diagnostics included, never sent
/// to the terminal as it is.
#[test]
fn file_names_with_escapes_and_bidi_controls_are_shown_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a\u{1b}[2J\u{202e}dm.md";
    let input = dir.path().join(name);
    std::fs::copy(SEED, &input).unwrap();
    let broken = dir.path().join("b\u{1b}]0;x\u{7}.md");
    std::fs::write(&broken, [0u8, 1, 2, 3, 0xff, 0xfe, 0].repeat(100)).unwrap();
    let out = jixiao()
        .arg("convert")
        .arg(&input)
        .arg(&broken)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        !stderr.contains(['\u{1b}', '\u{7}', '\u{202e}']),
        "raw control characters reach the terminal: {stderr:?}"
    );
    assert!(stderr.contains("a\\u{1b}[2J\\u{202e}dm.md:"), "{stderr}");
    assert!(stderr.contains("b\\u{1b}]0;x\\u{7}.md: 错误"), "{stderr}");
    assert!(stderr.contains("已写入 "), "{stderr}");
}
