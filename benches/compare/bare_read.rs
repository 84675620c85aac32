//! The floor for reading: every cell and merge of every sheet of every `.xlsx` given (files or
//! folders), read with calamine and thrown away — no recognition, no output. Files are read in
//! parallel on all cores, as `jixiao batch` does. Prints what it read.
//!
//! `cargo build --release --example bare_read`; `benches/compare/run.sh` times it beside
//! `jixiao` on the same corpus.

use calamine::{Data, Reader, Xlsx, open_workbook};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

fn main() {
    let mut files = Vec::new();
    for arg in std::env::args_os().skip(1) {
        collect(Path::new(&arg), &mut files);
    }
    files.sort();
    let counts: Vec<(usize, usize)> = files
        .par_iter()
        .map(|path| read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .collect();
    let cells: usize = counts.iter().map(|c| c.0).sum();
    let merges: usize = counts.iter().map(|c| c.1).sum();
    println!(
        "{} files, {cells} non-empty cells, {merges} merges",
        files.len()
    );
}

fn collect(path: &Path, files: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)
            .expect("a readable folder")
            .flatten()
        {
            collect(&entry.path(), files);
        }
    } else if path.extension().is_some_and(|e| e == "xlsx") {
        files.push(path.to_path_buf());
    }
}

/// Non-empty cells (their text or number touched) and merged regions of one workbook.
fn read(path: &Path) -> Result<(usize, usize), calamine::XlsxError> {
    let mut book: Xlsx<_> = open_workbook(path)?;
    let mut merges = 0;
    let mut cells = 0;
    for name in book.sheet_names() {
        merges += book.merge_cells_by_sheet_name(&name)?.len();
        let range = book.worksheet_range(&name)?;
        for (_, _, value) in range.used_cells() {
            let touched = match value {
                Data::String(s) => !s.is_empty(),
                Data::Float(f) => f.is_finite(),
                _ => true,
            };
            cells += usize::from(touched);
        }
    }
    Ok((cells, merges))
}
