//! The PDF reader against jixiao's own PDF: every fixture that has a golden, written as the
//! standard form's PDF and read back, gives the same projects (indicators, header fields) and
//! summary; a table broken across two pages with a merge over the break reads as one table;
//! bad PDFs (truncated, garbage, encrypted, a scan without text) give a clear Chinese error.
//!
//! The PDFs are made in the test by the writer (`jixiao::render`), so no binary fixture is
//! needed for them; the hand-made ones are built here byte by byte.

mod common;

use common::{assert_form_reads_back, load, shown};
use jixiao::model::{Document, Project};
use jixiao::{Options, OutputFormat};
use std::path::Path;

/// Every fixture with a golden that converts (the list the XLSX round trip uses).
fn fixtures() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        "fixtures/heshuo-2022.md".to_string(),
        "fixtures/heshuo-2022.gb18030.txt".to_string(),
    ];
    for dir in [
        "fixtures/excel",
        "fixtures/html",
        "fixtures/docx",
        "fixtures/kinds",
    ] {
        let mut found: Vec<String> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file() && !p.to_string_lossy().ends_with(".json"))
            .filter(|p| {
                // Only inputs with a golden beside them.
                let golden = format!("{}.expected.json", p.to_string_lossy());
                Path::new(&golden).exists()
            })
            .map(|p| p.strip_prefix(root).unwrap().to_string_lossy().into_owned())
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

fn pdf_of(doc: &Document) -> Vec<u8> {
    jixiao::render(doc, OutputFormat::Pdf, &Options::default(), &mut Vec::new()).unwrap()
}

#[test]
fn the_seed_reads_back_from_its_own_pdf_55_of_55() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = load(
        "heshuo-2022.md",
        &std::fs::read(root.join("fixtures/heshuo-2022.md")).unwrap(),
    );
    let back = load("heshuo-2022.pdf", &pdf_of(&source));
    let count = |d: &Document| d.projects.iter().map(|p| p.indicators.len()).sum::<usize>();
    assert_eq!(count(&source), 55);
    let same = source
        .projects
        .iter()
        .zip(&back.projects)
        .flat_map(|(a, b)| {
            a.indicators.iter().zip(&b.indicators).filter(|(x, y)| {
                (&x.level1, &x.level2, &x.level3, &x.value)
                    == (&y.level1, &y.level2, &y.level3, &y.value)
            })
        })
        .count();
    assert_eq!(same, 55, "indicators read back the same");
    assert_eq!(count(&back), 55);
    for (a, b) in source.projects.iter().zip(&back.projects) {
        assert_eq!(b.budget_unit, a.budget_unit);
        assert_eq!(b.project_name, a.project_name);
        assert_eq!(b.funds.total, a.funds.total);
        assert_eq!(b.goal, a.goal);
    }
    // Positions name the page, the table, the row and the column.
    let first = &back.projects[0].indicators[0].location;
    assert_eq!(first.file.as_deref(), Some("heshuo-2022.pdf"));
    assert_eq!(first.cell.as_deref(), Some("第2页 表2 第5行第1列"));
    // The page numbers of the footer are said to be left out; nothing else is reported.
    let reading: Vec<&str> = back
        .diagnostics
        .iter()
        .filter(|d| d.code.is_read() || d.code.is_recognize())
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(reading, ["I356"]);
}

#[test]
fn every_fixture_with_a_golden_reads_back_from_its_own_pdf() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for file in fixtures() {
        let source = load(&file, &std::fs::read(root.join(&file)).unwrap());
        if source.projects.is_empty() && source.summary.is_none() {
            continue;
        }
        let back = load("back.pdf", &pdf_of(&source));
        assert_form_reads_back(&file, "PDF", &source, &back);
        checked += 1;
    }
    assert!(checked >= 25, "only {checked} fixtures checked");
}

/// A project of 42 indicators: the writer breaks its table over two pages, draws the second
/// page with fewer column lines, repeats the header row and prints 产出指标/数量指标 again.
fn long_project() -> String {
    let mut md = String::from(
        "**项目支出绩效目标表**\n(2022年)\n\n预算单位\t博湖县民政局\t\t\t项目名称\t跨页测试项目\t\n\
         项目资金(万元)\t年度资金总额:\t40.00\t其中:财政拨款\t40.00\t其他资金\t0\n\
         项目总体目标\t目标1: 测试跨页表格。\t\t\t\t\t\n\
         一级指标\t二级指标\t三级指标\t\t\t指标值(包含数字及文字描述)\t\n",
    );
    for i in 1..=40 {
        md.push_str(&format!(
            "产出指标\t数量指标\t第{i}项发放人数\t\t\t≥{i}人\t\n"
        ));
    }
    md.push_str("效益指标\t社会效益指标\t生活水平\t\t\t有效提高\t\n");
    md.push_str("满意度指标\t满意度指标\t受益人员满意度\t\t\t≥95%\t\n");
    md
}

#[test]
fn a_table_over_two_pages_with_a_merge_over_the_break_is_one_table() {
    let source = load("long.md", long_project().as_bytes());
    assert_eq!(source.projects[0].indicators.len(), 42);
    let pdf = pdf_of(&source);
    let page = jixiao_pdf_input::read(&pdf, Some("long.pdf")).unwrap();
    let codes: Vec<&str> = page.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"I354"), "{codes:?}");
    let continued = page.diagnostics.iter().find(|d| d.code == "I354").unwrap();
    assert!(
        continued.message.contains("重复的表头行已去掉")
            && continued.message.contains("2 个跨页的合并单元格已接续"),
        "{}",
        continued.message
    );
    // One 产出指标 cell spanning all forty rows, one header row.
    let rows = &page.grid.rows;
    let produce: Vec<_> = rows
        .iter()
        .flat_map(|r| &r.cells)
        .filter(|c| c.text == "产出指标")
        .collect();
    assert_eq!(produce.len(), 1);
    assert_eq!(produce[0].row_span, 40);
    let headers = rows
        .iter()
        .filter(|r| r.cells.first().is_some_and(|c| c.text == "一级指标"))
        .count();
    assert_eq!(headers, 1);
    let back = load("long.pdf", &pdf);
    assert_eq!(shown(&back.projects[0]), shown(&source.projects[0]));
    // A row on the second page is named by its page.
    let last = back.projects[0].indicators.last().unwrap();
    assert!(
        last.location
            .cell
            .as_deref()
            .is_some_and(|c| c.starts_with("第2页 表1 ")),
        "{:?}",
        last.location
    );
}

/// LibreOffice Calc's PDF of jixiao's XLSX of the same 42-row project (`fixtures/README.md`):
/// Calc repeats the header row at the top of page 2 and prints the merged 产出指标 / 数量指标
/// labels again above page 2's rulings, outside its table. Those lines belong to the
/// continuation, so the page-2 rows stay in the one project under 产出指标 / 数量指标.
#[test]
fn calc_pdf_with_labels_repeated_above_the_continuation_is_one_table() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let source = load("long.md", long_project().as_bytes());
    let name = "fixtures/pdf/long-project.calc.pdf";
    let pdf = std::fs::read(root.join(name)).unwrap();
    let page = jixiao_pdf_input::read(&pdf, Some(name)).unwrap();
    let continued = page
        .diagnostics
        .iter()
        .find(|d| d.code == "I354")
        .unwrap_or_else(|| panic!("{:?}", page.diagnostics));
    assert!(
        continued.message.contains("1 行跨页合并单元格的标签")
            && continued.message.contains("重复的表头行已去掉")
            && continued.message.contains("2 个跨页的合并单元格已接续"),
        "{}",
        continued.message
    );
    // No text line on page 2: the repeated labels are not read as text.
    let texts: Vec<&str> = page
        .grid
        .rows
        .iter()
        .filter(|r| r.kind == jixiao_grid::RowKind::Text)
        .map(|r| r.cells[0].text.as_str())
        .collect();
    assert!(!texts.iter().any(|t| t.contains("产出指标")), "{texts:?}");
    let back = load(name, &pdf);
    assert_eq!(back.projects.len(), 1);
    let (got, want) = (&back.projects[0], &source.projects[0]);
    assert_eq!(got.indicators.len(), 42);
    let levels = |p: &Project| -> Vec<(String, String, String)> {
        p.indicators
            .iter()
            .map(|i| (i.level1.clone(), i.level2.clone(), i.level3.clone()))
            .collect()
    };
    assert_eq!(levels(got), levels(want));
    assert_eq!(shown(got), shown(want));
    let codes: Vec<&str> = back.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(
        !codes.contains(&"R110") && !codes.contains(&"R102"),
        "{codes:?}"
    );
}

/// A minimal PDF: one page per content stream, with the given resources, correct offsets.
fn minimal_pdf(pages: &[(&str, &[u8])]) -> Vec<u8> {
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let n = pages.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 3 + 2 * i)).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    for (i, (resources, content)) in pages.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources {resources} /Contents {} 0 R >>",
                4 + 2 * i
            )
            .into_bytes(),
        );
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend_from_slice(content);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// An image drawn on a page and nothing else: a scan.
const SCAN: &[u8] = b"q 500 0 0 700 40 70 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q";

fn read_error(bytes: &[u8]) -> String {
    match jixiao::load("表.pdf", bytes, &Options::default()) {
        Ok(doc) => panic!("read: {:?}", doc.diagnostics),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_scan_without_text_is_refused_with_what_to_do() {
    let pdf = minimal_pdf(&[("<< >>", SCAN), ("<< >>", SCAN)]);
    let err = read_error(&pdf);
    assert!(err.contains("第1–2页"), "{err}");
    assert!(err.contains("没有文字层") && err.contains("OCR"), "{err}");
    assert!(err.contains("Markdown、HTML 或 Excel"), "{err}");
}

#[test]
fn a_scanned_page_among_text_pages_is_reported_with_its_number() {
    let text = b"BT /F1 12 Tf 72 760 Td (Budget) Tj ET";
    let font = "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>";
    let pdf = minimal_pdf(&[(font, text), ("<< >>", SCAN)]);
    let page = jixiao_pdf_input::read(&pdf, Some("a.pdf")).unwrap();
    assert_eq!(page.grid.rows[0].cells[0].text, "Budget");
    let scan = page.diagnostics.iter().find(|d| d.code == "I350").unwrap();
    assert!(
        scan.message.starts_with("第2页没有文字层"),
        "{}",
        scan.message
    );
    assert_eq!(scan.location.cell.as_deref(), Some("第2页"));
}

#[test]
fn bad_pdfs_give_a_clear_error_and_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = load(
        "heshuo-2022.md",
        &std::fs::read(root.join("fixtures/heshuo-2022.md")).unwrap(),
    );
    let pdf = pdf_of(&seed);

    // Cut in the middle: the parser may recover some pages from what is left, or refuse;
    // either way no panic, and a refusal says what to do.
    for cut in [pdf.len() / 2, pdf.len() / 3, 200, 9] {
        match jixiao::load("表.pdf", &pdf[..cut], &Options::default()) {
            Ok(_) => {}
            Err(e) => {
                let e = e.to_string();
                assert!(e.contains("PDF") && e.contains("请"), "{cut}: {e}");
            }
        }
    }
    let err = read_error(b"not a PDF, renamed");
    assert!(err.contains("内容不是 PDF"), "{err}");
    let err = read_error(b"%PDF-1.7\n\x00\x01 this is not a PDF at all \xff\xfe");
    assert!(err.contains("已损坏或不完整"), "{err}");

    // Encrypted with a user password (RC4 128-bit, by lopdf).
    let mut doc = lopdf::Document::load_mem(&pdf).unwrap();
    doc.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::string_literal(b"0123456789abcdef".to_vec()),
            lopdf::Object::string_literal(b"0123456789abcdef".to_vec()),
        ]),
    );
    let state =
        lopdf::encryption::EncryptionState::try_from(lopdf::encryption::EncryptionVersion::V2 {
            document: &doc,
            owner_password: "owner",
            user_password: "123456",
            key_length: 128,
            permissions: lopdf::encryption::Permissions::all(),
        })
        .unwrap();
    doc.encrypt(&state).unwrap();
    let mut encrypted = Vec::new();
    doc.save_to(&mut encrypted).unwrap();
    let err = read_error(&encrypted);
    assert!(
        err.contains("设有打开密码") && err.contains("另存"),
        "{err}"
    );
}

#[test]
fn limits_refuse_before_the_interpreter_allocates() {
    let text = b"BT /F1 12 Tf 72 760 Td (A) Tj ET ".repeat(50);
    let font = "<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>";
    let pdf = minimal_pdf(&[(font, &text), (font, &text)]);
    let limits = jixiao_pdf_input::Limits {
        max_pages: 1,
        ..Default::default()
    };
    let err = jixiao_pdf_input::read_with(&pdf, None, &limits).unwrap_err();
    assert!(err.to_string().contains("共 2 页，超过上限 1 页"), "{err}");
    let limits = jixiao_pdf_input::Limits {
        max_ops_per_page: 100,
        ..Default::default()
    };
    let err = jixiao_pdf_input::read_with(&pdf, None, &limits).unwrap_err();
    assert!(
        err.to_string().contains("第1页的绘制指令超过 100 条"),
        "{err}"
    );

    // A Flate bomb: 64 MB of zeros in a content stream of a few dozen kilobytes.
    use std::io::Write as _;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![b' '; 65 << 20]).unwrap();
    let bomb = z.finish().unwrap();
    let mut body = format!(
        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
        bomb.len()
    )
    .into_bytes();
    body.extend_from_slice(&bomb);
    let mut pdf = minimal_pdf(&[(font, b"")]);
    // Replace page 1's empty content stream object (4 0 obj) by the bomb, keeping the file
    // readable through the parser's own repair of offsets.
    let at = pdf.windows(8).position(|w| w == b"4 0 obj\n").unwrap() + 8;
    let end = at
        + pdf[at..]
            .windows(9)
            .position(|w| w == b"endstream")
            .unwrap()
        + 9;
    pdf.splice(
        at..end,
        body.iter().copied().chain(b"\nendstream".iter().copied()),
    );
    let err = jixiao_pdf_input::read(&pdf, None).unwrap_err();
    assert!(err.to_string().contains("解压后超过 64 MB"), "{err}");
}

/// A non-embedded CID font (SimSun, Adobe-GB1) without `ToUnicode`, as Chinese office software
/// writes it, with the predefined CMap `encoding`; `text` is shown in the codes that CMap reads.
fn cid_font_pdf(encoding: &str, ordering: &str, codes: &[u8]) -> Vec<u8> {
    let font = format!(
        "<< /Font << /F1 << /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /{encoding} \
         /DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /SimSun \
         /CIDSystemInfo << /Registry (Adobe) /Ordering ({ordering}) /Supplement 2 >> \
         /FontDescriptor << /Type /FontDescriptor /FontName /SimSun /Flags 4 \
         /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 683 \
         /StemV 80 >> /DW 1000 >>] >> >> >>"
    );
    let hex: String = codes.iter().map(|b| format!("{b:02X}")).collect();
    let content = format!("BT /F1 12 Tf 72 760 Td <{hex}> Tj ET");
    minimal_pdf(&[(&font, content.as_bytes())])
}

#[test]
fn a_non_embedded_cid_font_is_read_through_its_character_collection() {
    // SimSun (Adobe-GB1) with the Unicode CMap, and with Identity-H over the GB1 CIDs of the
    // same characters (预 算 单 位 ： 民 政 局, Adobe-GB1-UCS2).
    let ucs2: Vec<u8> = "预算单位：民政局"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let page =
        jixiao_pdf_input::read(&cid_font_pdf("UniGB-UCS2-H", "GB1", &ucs2), Some("a.pdf")).unwrap();
    assert_eq!(page.grid.rows[0].cells[0].text, "预算单位：民政局");
    assert!(page.diagnostics.iter().all(|d| d.code != "I352"));
    // A collection that says nothing about the characters (Identity): the glyphs are reported
    // with their page and count, not guessed.
    let page = jixiao_pdf_input::read(
        &cid_font_pdf("Identity-H", "Identity", &[0x0F, 0x27, 0x12, 0x34]),
        Some("a.pdf"),
    )
    .unwrap();
    assert_eq!(
        page.grid.rows[0].cells[0].text, "\u{FFFD}\u{FFFD}",
        "{:?}",
        page.diagnostics
    );
    let missing = page.diagnostics.iter().find(|d| d.code == "I352").unwrap();
    assert!(
        missing.message.starts_with("第1页有 2 个字形"),
        "{}",
        missing.message
    );
    assert!(
        missing.message.contains("0x0F27、0x1234"),
        "{}",
        missing.message
    );
}

/// Text drawn at (x, y) in a SimSun CID font (UniGB-UCS2-H), one `Tj` per fragment.
fn text_pdf(fragments: &[(f64, f64, &str)]) -> Vec<u8> {
    let mut content = String::from("BT /F1 12 Tf ");
    for (x, y, text) in fragments {
        let hex: String = text.encode_utf16().map(|u| format!("{u:04X}")).collect();
        content.push_str(&format!("1 0 0 1 {x} {y} Tm <{hex}> Tj "));
    }
    content.push_str("ET");
    let pdf = cid_font_pdf("UniGB-UCS2-H", "GB1", &[]);
    // The same font resources, this content.
    let font = String::from_utf8_lossy(&pdf)
        .split("/Resources ")
        .nth(1)
        .and_then(|r| r.split(" /Contents").next())
        .unwrap()
        .to_string();
    minimal_pdf(&[(&font, content.as_bytes())])
}

#[test]
fn an_unruled_table_is_read_by_the_alignment_of_its_columns() {
    let pdf = text_pdf(&[
        (72.0, 780.0, "项目支出绩效目标表"),
        (72.0, 740.0, "三级指标"),
        (300.0, 740.0, "指标值"),
        (72.0, 720.0, "发放人数"),
        (300.0, 720.0, "≥221人"),
        (72.0, 700.0, "资金发放及时率"),
        (312.0, 700.0, "=100%"),
    ]);
    let page = jixiao_pdf_input::read(&pdf, Some("a.pdf")).unwrap();
    let rows: Vec<Vec<&str>> = page
        .grid
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
        .collect();
    assert_eq!(
        rows,
        [
            vec!["项目支出绩效目标表"],
            vec!["三级指标", "指标值"],
            vec!["发放人数", "≥221人"],
            vec!["资金发放及时率", "=100%"],
        ]
    );
    assert_eq!(page.grid.rows[0].kind, jixiao_grid::RowKind::Text);
    assert_eq!(page.grid.rows[3].kind, jixiao_grid::RowKind::Table);
    assert_eq!(
        page.grid.rows[3].cells[1].pos.place().as_deref(),
        Some("第1页 表1 第3行第2列")
    );
    let codes: Vec<&str> = page.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["I358", "I355"]);
}

/// LibreOffice's PDF of the seed's Word document (`fixtures/pdf/`, see fixtures/README.md):
/// borders drawn as stroked lines, a table broken over pages 1–2, headers in synthesized bold.
#[test]
fn libreoffice_pdf_of_the_seed_reads_as_the_seed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = load(
        "heshuo-2022.md",
        &std::fs::read(root.join("fixtures/heshuo-2022.md")).unwrap(),
    );
    let name = "fixtures/pdf/heshuo-2022.libreoffice.pdf";
    let back = load(name, &std::fs::read(root.join(name)).unwrap());
    assert_eq!(back.projects.len(), 5);
    for (a, b) in seed.projects.iter().zip(&back.projects) {
        assert_eq!(shown(b), shown(a), "{}", a.project_name);
    }
    let rows = |d: &Document| -> Vec<(String, String)> {
        d.summary
            .as_ref()
            .unwrap()
            .rows
            .iter()
            .map(|r| (r.department.clone(), r.project_name.clone()))
            .collect()
    };
    assert_eq!(rows(&back), rows(&seed));
    let codes: Vec<&str> = back.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(
        codes.contains(&"I354") && codes.contains(&"I351"),
        "{codes:?}"
    );
}

/// A PDF from numbered object bodies (object 1 the catalog), with correct offsets.
fn pdf_from_objects(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

fn stream(dict: &str, content: &[u8]) -> Vec<u8> {
    let mut s = format!("<< {dict} /Length {} >>\nstream\n", content.len()).into_bytes();
    s.extend_from_slice(content);
    s.extend_from_slice(b"\nendstream");
    s
}

/// Form 0 draws form 1 twice, which draws form 2 twice, … 60 deep: 2⁶⁰ operators from a file
/// of a few kilobytes. Counted through the forms (each once), it is refused before hayro runs it.
#[test]
fn forms_drawing_forms_are_counted_before_they_run() {
    let depth = 60;
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        stream("", b"/X Do"),
    ];
    for i in 0..depth {
        let next = 5 + i + 1;
        let (resources, content): (String, &[u8]) = if i + 1 < depth {
            (
                format!("/Resources << /XObject << /X {next} 0 R >> >>"),
                b"/X Do /X Do",
            )
        } else {
            (String::new(), b"0 0 m 10 10 l S")
        };
        objects.push(stream(
            &format!("/Type /XObject /Subtype /Form /BBox [0 0 100 100] {resources}"),
            content,
        ));
    }
    let pdf = pdf_from_objects(&objects);
    let err = jixiao_pdf_input::read(&pdf, Some("a.pdf")).unwrap_err();
    assert!(err.to_string().contains("第1页的绘制指令超过"), "{err}");
}

/// Tagged PDFs (LibreOffice, `UseTaggedPDF`) of two Word fixtures read to the same projects as
/// the Word documents: the structure tree is not needed, the drawn page decides.
#[test]
fn tagged_libreoffice_pdfs_read_as_their_word_documents() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for name in ["merged-levels", "two-projects"] {
        let docx = format!("fixtures/docx/{name}.docx");
        let pdf = format!("fixtures/pdf/{name}.tagged.pdf");
        let bytes = std::fs::read(root.join(&pdf)).unwrap();
        assert!(
            bytes.windows(14).any(|w| w == b"StructTreeRoot"),
            "{pdf} is tagged"
        );
        let source = load(&docx, &std::fs::read(root.join(&docx)).unwrap());
        let back = load(&pdf, &bytes);
        assert_eq!(back.projects.len(), source.projects.len(), "{pdf}");
        for (a, b) in source.projects.iter().zip(&back.projects) {
            assert_eq!(shown(b), shown(a), "{pdf}: {}", a.project_name);
        }
    }
}

/// The seed's HTML without borders, printed by LibreOffice as a tagged PDF: no lines to go by,
/// the structure tree's rows, cells and spans give the tables (I359), split tables included.
#[test]
fn a_borderless_tagged_pdf_reads_by_its_structure_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = load(
        "heshuo-2022.md",
        &std::fs::read(root.join("fixtures/heshuo-2022.md")).unwrap(),
    );
    let name = "fixtures/pdf/heshuo-2022.borderless.tagged.pdf";
    let back = load(name, &std::fs::read(root.join(name)).unwrap());
    assert_eq!(back.projects.len(), 5);
    for (a, b) in seed.projects.iter().zip(&back.projects) {
        assert_eq!(shown(b), shown(a), "{}", a.project_name);
    }
    let codes: Vec<&str> = back.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"I359"), "{codes:?}");
    assert!(
        !codes.contains(&"I358") && !codes.contains(&"I355"),
        "{codes:?}"
    );
}

/// Damaged copies of the seed's PDF (bytes overwritten at pseudo-random places, a fixed seed):
/// each reads or is refused with a message, never a panic.
#[test]
fn damaged_pdfs_read_or_are_refused_never_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let name = "fixtures/pdf/heshuo-2022.libreoffice.pdf";
    let pdf = std::fs::read(root.join(name)).unwrap();
    let mut state: u64 = 0x2022_0c0f_fee0_1234;
    let mut next = move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) as usize
    };
    let (mut read, mut refused) = (0, 0);
    for _ in 0..60 {
        let mut damaged = pdf.clone();
        for _ in 0..1 + next() % 8 {
            let at = next() % damaged.len();
            damaged[at] = (next() % 256) as u8;
        }
        match jixiao_pdf_input::read(&damaged, Some("a.pdf")) {
            Ok(_) => read += 1,
            Err(e) => {
                assert!(e.to_string().contains('请'), "{e}");
                refused += 1;
            }
        }
    }
    // Most damage (inside fonts or text) leaves a readable document.
    assert!(read > refused, "{read} read, {refused} refused");
}
