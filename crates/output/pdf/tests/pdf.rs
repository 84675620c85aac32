//! The PDF read back with lopdf: text, pages, fonts and bytes.
//!
//! `JIXIAO_BLESS=1 cargo test -p jixiao-pdf` rewrites the golden text `fixtures/heshuo-2022.pdf.txt`.
//! The input is the seed's committed IR (`fixtures/heshuo-2022.expected.json`), so reader and
//! recognizer changes do not show up here.

use jixiao_model::{Document, Indicator, Location, Project, Severity, Value};
use jixiao_pdf::font::DEFAULT_FONT_BYTES;
use jixiao_pdf::{Options, pdf};
use lopdf::Object;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../..");

fn seed() -> Document {
    let text =
        std::fs::read_to_string(format!("{ROOT}/fixtures/heshuo-2022.expected.json")).unwrap();
    jixiao_json::from_str(&text).unwrap()
}

/// The text of each page, in content-stream order (the order the cells are drawn).
fn pages(bytes: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(bytes).unwrap();
    let n = doc.get_pages().len() as u32;
    // lopdf ends each shown run with a space when it is a TJ array; trailing spaces carry no
    // text, so lines are compared without them.
    (1..=n)
        .map(|p| {
            let text = doc.extract_text(&[p]).unwrap();
            text.lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn indicator(l1: &str, l2: &str, l3: &str, v: &str) -> Indicator {
    Indicator {
        level1: l1.into(),
        level2: l2.into(),
        level3: l3.into(),
        value: Value::parse(v),
        ..Indicator::default()
    }
}

#[test]
fn seed_has_summary_page_and_five_projects_with_every_indicator() {
    let doc = seed();
    assert_eq!(doc.projects.len(), 5);
    let out = pdf(&doc, &Options::default()).unwrap();
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    assert!(out.bytes.len() <= 150 * 1024, "{} bytes", out.bytes.len());
    let pages = pages(&out.bytes);
    assert_eq!(pages.len(), 6, "summary page + one page per project");
    assert!(squash(&pages[0]).starts_with("2022年度和硕县重大政策和重点项目绩效目标汇总表"));
    for (i, p) in doc.projects.iter().enumerate() {
        let page = squash(&pages[i + 1]);
        assert!(page.starts_with("项目支出绩效目标表（2022年）"), "{page}");
        assert!(page.contains(&squash(&p.project_name)));
        assert!(
            page.contains(&squash(&p.goal)),
            "goal of {}",
            p.project_name
        );
        for ind in &p.indicators {
            assert!(page.contains(&squash(&ind.level3)), "{}", ind.level3);
            assert!(page.contains(&squash(&ind.value.raw)), "{}", ind.value.raw);
        }
        assert!(page.ends_with(&format!("第{}页共6页", i + 2)), "{page}");
    }
    // amounts keep the digits of their source
    assert!(squash(&pages[4]).contains("0.00"));
    assert!(squash(&pages[3]).contains(">=3.90万人"));
}

#[test]
fn seed_text_matches_golden() {
    let out = pdf(&seed(), &Options::default()).unwrap();
    let text = pages(&out.bytes)
        .iter()
        .enumerate()
        .map(|(i, p)| format!("=== page {} ===\n{}\n", i + 1, p.trim_end()))
        .collect::<String>();
    jixiao_golden::check("fixtures/heshuo-2022.pdf.txt", &text);
}

#[test]
fn same_input_same_bytes() {
    let doc = seed();
    let a = pdf(&doc, &Options::default()).unwrap().bytes;
    let b = pdf(&doc, &Options::default()).unwrap().bytes;
    assert!(a == b, "two runs differ");
    let mut other = doc.clone();
    other.projects[0].project_name.push('甲');
    let c = pdf(&other, &Options::default()).unwrap().bytes;
    assert!(a != c);
    // the /ID follows the content
    let id = |bytes: &[u8]| {
        let d = lopdf::Document::load_mem(bytes).unwrap();
        format!("{:?}", d.trailer.get(b"ID").unwrap())
    };
    assert_ne!(id(&a), id(&c));
}

#[test]
fn font_is_embedded_as_a_subset() {
    let out = pdf(&seed(), &Options::default()).unwrap();
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    let mut base_fonts = Vec::new();
    let mut programs = Vec::new();
    for obj in doc.objects.values() {
        match obj {
            Object::Dictionary(d) => {
                if let Ok(name) = d.get(b"BaseFont").and_then(Object::as_name) {
                    base_fonts.push(String::from_utf8_lossy(name).into_owned());
                }
                if let Ok(r) = d.get(b"FontFile2").and_then(Object::as_reference) {
                    programs.push(r);
                }
            }
            _ => continue,
        }
    }
    assert!(!base_fonts.is_empty());
    for name in &base_fonts {
        let (tag, rest) = name.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{name}"
        );
        assert!(rest.contains("NotoSerifSC"), "{name}");
    }
    assert_eq!(programs.len(), 1, "one embedded font program");
    let stream = doc.get_object(programs[0]).unwrap().as_stream().unwrap();
    let program = stream
        .decompressed_content()
        .unwrap_or(stream.content.clone());
    assert!(
        program.len() * 10 < DEFAULT_FONT_BYTES.len(),
        "font program {} bytes of {}",
        program.len(),
        DEFAULT_FONT_BYTES.len()
    );
}

fn long_project(n: usize) -> Project {
    let mut p = Project {
        year: Some(2022),
        budget_unit: "和硕县民政局".into(),
        project_name: "长表测试项目".into(),
        goal: "目标1: 保障困难群众基本生活。".into(),
        ..Project::default()
    };
    let groups = [
        ("产出指标", "数量指标"),
        ("产出指标", "质量指标"),
        ("效益指标", "社会效益指标"),
        ("满意度指标", "服务对象满意度指标"),
    ];
    for i in 0..n {
        let (l1, l2) = groups[i * groups.len() / n];
        p.indicators.push(indicator(
            l1,
            l2,
            &format!("第{}项三级指标：城乡低保对象救助资金发放情况", i + 1),
            &format!("≥{}人", 100 + i),
        ));
    }
    p
}

#[test]
fn long_table_repeats_header_and_group_labels_on_every_page() {
    let doc = Document {
        projects: vec![long_project(120)],
        ..Document::default()
    };
    let out = pdf(&doc, &Options::default()).unwrap();
    let pages = pages(&out.bytes);
    assert!(pages.len() >= 4, "{} pages", pages.len());
    let total = pages.len();
    let mut seen = 0;
    for (i, page) in pages.iter().enumerate() {
        let page = squash(page);
        assert!(
            page.contains("一级指标二级指标三级指标指标值"),
            "header on page {}",
            i + 1
        );
        if i > 0 {
            // a continuation page starts with the header, then the level-1 and level-2 labels
            // of the group it continues
            let after = page.split_once("指标值").unwrap().1;
            assert!(
                ["产出指标", "效益指标", "满意度指标"]
                    .iter()
                    .any(|l| after.starts_with(l)),
                "page {}: {after}",
                i + 1
            );
            assert!(
                !page.contains("项目支出绩效目标表"),
                "title only on the first page"
            );
        }
        assert!(page.ends_with(&format!("第{}页共{total}页", i + 1)));
        for k in 1..=120 {
            if page.contains(&format!("第{k}项三级指标")) {
                seen += 1;
            }
        }
    }
    assert_eq!(seen, 120, "every indicator exactly once");
    // the group running over the first page break has its labels on both pages
    let second = squash(&pages[1]);
    let after = second.split_once("指标值").unwrap().1;
    assert!(after.starts_with("产出指标数量指标") || after.starts_with("产出指标质量指标"));
}

#[test]
fn a_row_taller_than_a_page_is_cut_and_nothing_is_lost() {
    let mut p = long_project(3);
    p.goal = "保障困难群众基本生活，做到应保尽保。".repeat(300);
    let doc = Document {
        projects: vec![p.clone()],
        ..Document::default()
    };
    let out = pdf(&doc, &Options::default()).unwrap();
    let pages = pages(&out.bytes);
    assert!(pages.len() >= 3);
    let all: String = pages.iter().map(|p| squash(p)).collect();
    // every character of the goal once: none lost at a cut, none drawn twice
    assert_eq!(all.matches('尽').count(), 300);
    // the cut row's label is repeated on the next page
    assert!(
        squash(&pages[1]).starts_with("项目总体目标"),
        "{}",
        pages[1]
    );
    for ind in &p.indicators {
        assert!(all.contains(&squash(&ind.level3)));
    }
}

#[test]
fn a_missing_glyph_is_a_warning_naming_the_character_and_cell() {
    let mut p = long_project(2);
    p.indicators[1].level3 = "䶮字测试".into();
    p.indicators[1].location = Location::line(Some("a.md"), 12, 3);
    let doc = Document {
        projects: vec![p],
        ..Document::default()
    };
    let out = pdf(&doc, &Options::default()).unwrap();
    assert_eq!(out.diagnostics.len(), 2, "{:?}", out.diagnostics);
    // PDF/A forbids the .notdef glyph: the file is a plain PDF, and says so
    assert_eq!(out.diagnostics[1].code, "P503");
    assert!(!String::from_utf8_lossy(&out.bytes).contains("pdfaid:part"));
    let d = &out.diagnostics[0];
    assert_eq!(d.severity, Severity::Warning);
    assert_eq!(d.code, "P501");
    assert!(
        d.message.contains("䶮") && d.message.contains("U+4DAE"),
        "{}",
        d.message
    );
    assert!(d.message.contains("三级指标"), "{}", d.message);
    assert_eq!(d.location.line, Some(12));
}

#[test]
fn another_font_can_be_used() {
    // The default font parsed anew stands in for a user's font file.
    let font = jixiao_pdf::Font::from_bytes(DEFAULT_FONT_BYTES, 0).unwrap();
    let options = Options {
        font: &font,
        ..Options::default()
    };
    let out = pdf(&seed(), &options).unwrap();
    assert_eq!(out.bytes, pdf(&seed(), &Options::default()).unwrap().bytes);
    assert!(jixiao_pdf::Font::from_bytes(DEFAULT_FONT_BYTES, 5).is_err());
}

#[test]
fn empty_document_is_an_error() {
    assert!(pdf(&Document::default(), &Options::default()).is_err());
}

#[test]
fn the_header_row_is_never_left_alone_at_the_foot_of_a_page() {
    // Goals of growing length push the indicator header down the first page and past it.
    let mut orphan_checked = 0;
    for n in (150..270).step_by(3) {
        let mut p = long_project(6);
        p.goal = "保障困难群众基本生活。".repeat(n);
        let doc = Document {
            projects: vec![p],
            ..Document::default()
        };
        let pages = pages(&pdf(&doc, &Options::default()).unwrap().bytes);
        let total = pages.len();
        for (i, page) in pages.iter().enumerate() {
            let body = squash(page);
            let body = body
                .strip_suffix(&format!("第{}页共{total}页", i + 1))
                .unwrap();
            assert!(
                !body.ends_with("指标值"),
                "goal ×{n}: page {} ends with the header",
                i + 1
            );
            orphan_checked += 1;
        }
    }
    assert!(orphan_checked > 40);
}

/// The XMP metadata packet of a PDF (uncompressed in the file).
fn xmp(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let start = text.find("<x:xmpmeta").expect("XMP metadata");
    let end = text[start..].find("</x:xmpmeta>").expect("XMP end") + start;
    text[start..end].to_string()
}

#[test]
fn pdf_a_2b_by_default_with_metadata_output_intent_and_embedded_font() {
    let out = pdf(&seed(), &Options::default()).unwrap();
    assert!(
        out.bytes.starts_with(b"%PDF-1.7"),
        "PDF/A-2 is based on PDF 1.7"
    );
    let meta = xmp(&out.bytes);
    // ISO 19005-2 6.6.4: the PDF/A identification in the XMP metadata
    assert!(
        meta.contains("<pdfaid:part>2</pdfaid:part>") || meta.contains("pdfaid:part=\"2\""),
        "{meta}"
    );
    assert!(
        meta.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || meta.contains("pdfaid:conformance=\"B\""),
        "{meta}"
    );
    assert!(
        meta.contains("重大政策和重点项目绩效目标汇总表"),
        "title in XMP"
    );
    let doc = lopdf::Document::load_mem(&out.bytes).unwrap();
    let catalog = doc.catalog().unwrap();
    // 6.2.3: an output intent with an embedded ICC profile
    let intents = catalog.get(b"OutputIntents").unwrap();
    let intents = match intents {
        Object::Reference(r) => doc.get_object(*r).unwrap().as_array().unwrap().clone(),
        other => other.as_array().unwrap().clone(),
    };
    assert_eq!(intents.len(), 1);
    let intent = match &intents[0] {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        other => other.as_dict().unwrap(),
    };
    assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1");
    assert!(intent.get(b"DestOutputProfile").is_ok());
    // 6.1.3: a file identifier; 6.2.11.4: every font embedded
    assert!(doc.trailer.get(b"ID").is_ok());
    assert!(catalog.get(b"Metadata").is_ok());
    let mut descriptors = 0;
    for obj in doc.objects.values() {
        if let Object::Dictionary(d) = obj
            && d.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor")
        {
            descriptors += 1;
            assert!(
                d.get(b"FontFile2").is_ok() || d.get(b"FontFile3").is_ok(),
                "font program embedded"
            );
        }
    }
    assert!(descriptors >= 1);
    // no encryption, no JavaScript, no transparency groups needed for these forms
    assert!(doc.trailer.get(b"Encrypt").is_err());
    let raw = String::from_utf8_lossy(&out.bytes);
    assert!(!raw.contains("/JavaScript") && !raw.contains("/JS "));
}

#[test]
fn archival_can_be_turned_off() {
    let options = Options {
        archival: false,
        ..Options::default()
    };
    let plain = pdf(&seed(), &options).unwrap();
    assert!(!String::from_utf8_lossy(&plain.bytes).contains("pdfaid"));
    let archival = pdf(&seed(), &Options::default()).unwrap();
    // what PDF/A costs: the metadata and the output intent's ICC profile, a few KB
    assert!(archival.bytes.len() < plain.bytes.len() + 8 * 1024);
    assert_eq!(pages(&plain.bytes), pages(&archival.bytes));
}

/// `pdftotext` (poppler-utils), the way a clerk or an archive indexer gets the text back.
fn pdftotext(bytes: &[u8]) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.pdf");
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn pdftotext_gives_back_every_cell() {
    let doc = seed();
    let out = pdf(&doc, &Options::default()).unwrap();
    let Some(text) = pdftotext(&out.bytes) else {
        eprintln!("pdftotext (poppler-utils) not installed: checked with lopdf only");
        return;
    };
    let text = squash(&text);
    for p in &doc.projects {
        for field in [&p.project_name, &p.budget_unit, &p.goal] {
            assert!(text.contains(&squash(field)), "{field}");
        }
        for ind in &p.indicators {
            for field in [&ind.level1, &ind.level2, &ind.level3, &ind.value.raw] {
                assert!(text.contains(&squash(field)), "{field}");
            }
        }
    }
    assert!(text.contains("第6页共6页"));
}

#[test]
fn sizes_at_the_template_limits_still_paginate_and_lose_nothing() {
    // The largest body size and line spacing with the widest margins: a label such as
    // 项目资金（万元） is then taller than a page; pagination still ends.
    let toml = jixiao_layout::STANDARD_TOML
        .replace("margin_top_mm = 18.0", "margin_top_mm = 60")
        .replace("margin_bottom_mm = 18.0", "margin_bottom_mm = 60")
        .replace("margin_left_mm = 15.0", "margin_left_mm = 60")
        .replace("margin_right_mm = 15.0", "margin_right_mm = 60")
        .replace("body_size = 10.5", "body_size = 24")
        .replace("title_size = 16.0", "title_size = 36")
        .replace("line_spacing = 1.35", "line_spacing = 3");
    let template = jixiao_layout::Template::from_toml(&toml).unwrap();
    let doc = Document {
        projects: vec![long_project(8)],
        ..Document::default()
    };
    let options = Options {
        template: &template,
        ..Options::default()
    };
    let started = std::time::Instant::now();
    let out = pdf(&doc, &options).unwrap();
    assert!(started.elapsed().as_secs() < 20);
    let all: String = pages(&out.bytes).iter().map(|p| squash(p)).collect();
    for k in 1..=8 {
        assert!(all.contains(&format!("第{k}项三级指标")), "indicator {k}");
    }
}

#[test]
fn a_template_built_in_code_with_absurd_sizes_is_an_error_not_a_hang() {
    let mut template = jixiao_layout::Template::standard().clone();
    template.font.line_spacing = 1e30;
    let options = Options {
        template: &template,
        ..Options::default()
    };
    let doc = Document {
        projects: vec![long_project(3)],
        ..Document::default()
    };
    let err = pdf(&doc, &options).unwrap_err().to_string();
    assert!(err.contains("font.line_spacing"), "{err}");
}
