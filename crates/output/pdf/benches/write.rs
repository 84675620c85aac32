//! PDF writing speed. The font is parsed once per process (`Font::standard()` or a `Font` the
//! caller keeps) and shared by every document; `parse font` shows what that saves per document.

use criterion::{Criterion, criterion_group, criterion_main};
use jixiao_model::framework::Framework;
use jixiao_pdf::font::DEFAULT_FONT_BYTES;
use jixiao_pdf::{Font, Options, pdf};
use std::hint::black_box;

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

fn bench(c: &mut Criterion) {
    let doc = seed();
    let options = Options::default(); // parses the embedded font here, once
    c.bench_function("parse font (once per process)", |b| {
        b.iter(|| Font::from_bytes(black_box(DEFAULT_FONT_BYTES), 0).unwrap())
    });
    c.bench_function("write heshuo-2022 pdf (font already parsed)", |b| {
        b.iter(|| pdf(black_box(&doc), &options).unwrap())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
