//! Prints the grid a PDF reads to, one row a line (cells separated by ` | `, covered slots as
//! `^` above or `<` left, spans as `[r×c]`), then the diagnostics: for looking at what a PDF
//! gives. `cargo run -p jixiao-pdf-input --example dump -- FILE.pdf`

use jixiao_grid::{Covered, RowKind};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("用法：dump FILE.pdf");
        std::process::exit(2);
    };
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1)
    });
    let start = std::time::Instant::now();
    match jixiao_pdf_input::read(&bytes, Some(&path)) {
        Ok(page) => {
            let took = start.elapsed();
            for row in &page.grid.rows {
                let cells: Vec<String> = row
                    .cells
                    .iter()
                    .map(|c| match c.covered {
                        Some(Covered::Above) => "^".to_string(),
                        Some(Covered::Left) => "<".to_string(),
                        None if c.row_span > 1 || c.col_span > 1 => {
                            format!(
                                "{}[{}×{}]",
                                c.text.replace('\n', "⏎"),
                                c.row_span,
                                c.col_span
                            )
                        }
                        None => c.text.replace('\n', "⏎"),
                    })
                    .collect();
                let kind = if row.kind == RowKind::Text { "T" } else { "|" };
                let place = row
                    .cells
                    .first()
                    .and_then(|c| c.pos.place())
                    .unwrap_or_default();
                println!("{kind} {place}: {}", cells.join(" | "));
            }
            for d in &page.diagnostics {
                println!("{d}");
            }
            eprintln!("{} rows in {took:.1?}", page.grid.rows.len());
        }
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
}
