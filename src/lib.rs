//! jixiao: converts performance target tables (项目支出绩效目标表) between the forms they are
//! submitted in and the forms they are filed in.
//!
//! This crate is the pipeline's front door: it detects an input's format from its bytes, hands
//! it to the reader for that format (which produces [`Grid`]s), and runs the recognizer (which
//! produces the IR, a [`Document`]). Writers take it from there.
//!
//! ```
//! let bytes = "预算单位\t和硕县民政局\t项目名称\t城市低保\n一级指标\t二级指标\t三级指标\t指标值\n\
//!              产出指标\t数量指标\t城市低保救助发放人数\t≥221人\n".as_bytes();
//! let doc = jixiao::read("a.md", bytes, &jixiao::Options::default()).unwrap();
//! assert_eq!(doc.projects[0].indicators.len(), 1);
//! assert!(!jixiao::failed(&doc));
//! ```

use jixiao_grid::Grid;
use jixiao_grid::text::{DecodeError, decode};
use jixiao_model::framework::Framework;
use jixiao_model::{Diagnostic, Document, Location, Severity};

pub use jixiao_model as model;

/// The input formats, detected from the bytes (never from the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Our own JSON (`jixiao/1`).
    Json,
    /// Markdown or plain text as OCR produces it.
    Markdown,
    /// A zip container: xlsx, ods, or some other zip.
    Zip,
    /// A Compound File (OLE2) container: xls, or an encrypted xlsx.
    Cfb,
    /// A PDF document.
    Pdf,
}

/// Detects the format of an input from its first bytes.
pub fn detect(bytes: &[u8]) -> Format {
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Format::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Format::Cfb
    } else if bytes.starts_with(b"%PDF") {
        Format::Pdf
    } else if jixiao_json::sniff(bytes) {
        Format::Json
    } else {
        Format::Markdown
    }
}

/// Why an input could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The bytes are not text.
    #[error("{0}")]
    Text(#[from] DecodeError),
    /// The JSON is not a `jixiao/1` document.
    #[error("{0}")]
    Json(#[from] jixiao_json::JsonError),
    /// A workbook that cannot be read (corrupt, encrypted, empty, not a workbook).
    #[error("{0}")]
    Excel(#[from] jixiao_excel::ExcelError),
    /// A format this version cannot read.
    #[error("{0}")]
    Unsupported(&'static str),
}

/// Settings for reading.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The indicator framework used by the recognizer.
    pub framework: &'a Framework,
}

impl Default for Options<'_> {
    fn default() -> Self {
        Options {
            framework: Framework::standard(),
        }
    }
}

/// Reads one input. `name` is how the user named the file; it goes into every location.
///
/// The format comes from the bytes. The name is only consulted to give a better message when
/// a file named like a workbook (`.xlsx`, `.xls`, `.ods`) holds something else, such as a CSV.
pub fn read(name: &str, bytes: &[u8], options: &Options) -> Result<Document, ReadError> {
    let format = detect(bytes);
    if named_like_workbook(name) && !matches!(format, Format::Zip | Format::Cfb) {
        // jixiao_excel::detect names what the bytes are instead.
        jixiao_excel::detect(bytes)?;
    }
    match format {
        Format::Json => {
            let text = decode(bytes)?;
            Ok(jixiao_json::from_str(&text.text)?)
        }
        Format::Markdown => {
            let decoded = decode(bytes)?;
            let grid = jixiao_markdown::read(&decoded.text, Some(name));
            let mut diags = Vec::new();
            if decoded.encoding != "UTF-8" {
                diags.push(Diagnostic::info(
                    "I303",
                    format!("文件编码为 {}，已转换为 UTF-8 读取", decoded.encoding),
                    Location::file(name),
                ));
            }
            Ok(recognize(&[grid], diags, options))
        }
        Format::Zip | Format::Cfb => {
            let book = jixiao_excel::read(bytes, Some(name))?;
            Ok(recognize(&book.grids, book.diagnostics, options))
        }
        Format::Pdf => Err(ReadError::Unsupported(
            "这是 PDF 文件；请先用 OCR 工具转换为 Markdown 或文本",
        )),
    }
}

/// True when the file name has a workbook extension.
fn named_like_workbook(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".xlsx", ".xlsm", ".xls", ".ods", ".et"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn recognize(grids: &[Grid], mut diags: Vec<Diagnostic>, options: &Options) -> Document {
    let mut doc = jixiao_recognize::recognize(
        grids,
        &jixiao_recognize::Options {
            framework: options.framework,
        },
    );
    diags.append(&mut doc.diagnostics);
    doc.diagnostics = diags;
    doc
}

/// True when reading lost data: an error from the reader or recognizer (I…/R… codes), such as
/// "no table found" or "no 指标值 column". Review findings (C…) do not count.
pub fn failed(doc: &Document) -> bool {
    doc.diagnostics.iter().any(|d| {
        d.severity == Severity::Error && (d.code.starts_with('R') || d.code.starts_with('I'))
    })
}

/// True when the document holds no table at all.
pub fn is_empty(doc: &Document) -> bool {
    doc.projects.is_empty() && doc.summary.is_none()
}
