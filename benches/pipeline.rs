//! Stage benchmarks on the bundled example: reading, recognizing, reviewing and writing each
//! format. Run with `cargo bench --bench pipeline`.

use jixiao::{Options, OutputFormat};

fn main() {
    divan::main();
}

const SEED_MD: &[u8] = include_bytes!("../fixtures/heshuo-2022.md");
const SEED_XLSX: &[u8] = include_bytes!("../fixtures/excel/heshuo-2022.xlsx");
const SEED_HTML: &[u8] = include_bytes!("../fixtures/html/heshuo-2022.html");

fn seed() -> jixiao::model::Document {
    jixiao::load("heshuo-2022.md", SEED_MD, &Options::default()).expect("seed reads")
}

/// Markdown bytes → Grid (decoding included).
#[divan::bench]
fn read_markdown_grid() -> jixiao_markdown::Page {
    let text = std::str::from_utf8(divan::black_box(SEED_MD)).unwrap();
    jixiao_markdown::read_page(text, Some("heshuo-2022.md"))
}

/// Grid → IR.
#[divan::bench]
fn recognize(bencher: divan::Bencher) {
    let text = std::str::from_utf8(SEED_MD).unwrap();
    let grid = jixiao_markdown::read_page(text, Some("heshuo-2022.md")).grid;
    bencher.bench(|| {
        jixiao_recognize::recognize(
            std::slice::from_ref(divan::black_box(&grid)),
            &Default::default(),
        )
    });
}

/// The review rules over the IR.
#[divan::bench]
fn review(bencher: divan::Bencher) {
    let doc = jixiao::read("heshuo-2022.md", SEED_MD, &Options::default()).unwrap();
    bencher.bench(|| {
        let mut d = doc.clone();
        jixiao::review(&mut d, &Options::default());
        d
    });
}

/// The whole read of each input format (bytes → reviewed IR).
#[divan::bench(args = ["md", "xlsx", "html"])]
fn load(format: &str) -> jixiao::model::Document {
    let (name, bytes) = match format {
        "md" => ("heshuo-2022.md", SEED_MD),
        "xlsx" => ("heshuo-2022.xlsx", SEED_XLSX),
        _ => ("heshuo-2022.html", SEED_HTML),
    };
    jixiao::load(name, divan::black_box(bytes), &Options::default()).unwrap()
}

/// IR → each output format.
#[divan::bench(args = OutputFormat::ALL)]
fn write(bencher: divan::Bencher, format: &OutputFormat) {
    let doc = seed();
    bencher.bench(|| {
        jixiao::render(
            divan::black_box(&doc),
            *format,
            &Options::default(),
            &mut Vec::new(),
        )
        .unwrap()
    });
}
