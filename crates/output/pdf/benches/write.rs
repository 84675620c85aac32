//! PDF writing speed. The font is parsed once per process (`Font::standard()` or a `Font` the
//! caller keeps) and shared by every document; `parse_font` shows what that saves per document.
//! Run with `cargo bench -p jixiao-pdf`.

use jixiao_model::framework::Framework;
use jixiao_pdf::font::DEFAULT_FONT_BYTES;
use jixiao_pdf::{Font, Options, pdf};

fn main() {
    divan::main();
}

fn seed() -> jixiao_model::Document {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../fixtures/heshuo-2022.md"
    );
    let text = std::fs::read_to_string(path).expect("the seed fixture");
    let grid = jixiao_markdown::read(&text, Some("heshuo-2022.md"));
    jixiao_recognize::recognize(
        &[grid],
        &jixiao_recognize::Options {
            framework: Framework::standard(),
        },
    )
}

/// Parsing the embedded font: done once per process, not per document.
#[divan::bench(sample_count = 20)]
fn parse_font() -> Font {
    Font::from_bytes(divan::black_box(DEFAULT_FONT_BYTES), 0).unwrap()
}

/// Writing the seed (summary + five projects) with the font already parsed.
#[divan::bench(sample_count = 20)]
fn write_seed(bencher: divan::Bencher) {
    let doc = seed();
    let options = Options::default();
    bencher.bench(|| pdf(divan::black_box(&doc), &options).unwrap());
}
