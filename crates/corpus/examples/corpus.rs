//! Writes a benchmark corpus: `cargo run --release -p jixiao-corpus --example corpus -- DIR [N] [--big]`.

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().map_or("corpus", String::as_str));
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let files = jixiao_corpus::generate(&dir.join("submissions"), n, 2022)?;
    eprintln!(
        "wrote {} workbooks under {}",
        files.len(),
        dir.join("submissions").display()
    );
    if args.iter().any(|a| a == "--big") {
        let big = dir.join("big-5000.xlsx");
        jixiao_corpus::big_workbook(&big, 5000, 50, 2022)?;
        eprintln!("wrote {}", big.display());
    }
    Ok(())
}
