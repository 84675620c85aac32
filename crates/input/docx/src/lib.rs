//! Word documents (`.docx`) read into a [`Grid`], the same shape the HTML reader gives.
//!
//! One document gives one grid, in document order:
//!
//! - every table (`w:tbl`) gives its rows. `w:gridSpan` is a column span, `w:vMerge`
//!   `restart`/continue a row span (the legacy `w:hMerge` a column span too); the origin cell
//!   carries `row_span`/`col_span` and every other slot of the range is a [`Cell::covered`](jixiao_grid::Cell::covered) cell
//!   (`Above` below the origin, `Left` on its row) with the origin's position. `w:gridBefore` /
//!   `w:gridAfter` give empty slots so that columns line up;
//! - a table nested in a cell is **not** mixed into the outer one: the outer cell keeps its own
//!   text, and the nested table's rows follow the outer table's rows as a table of their own
//!   (depth first, in document order), reported as I330 — as the HTML reader does;
//! - paragraphs outside tables (titles such as `项目支出绩效目标表`, `（2022年）`,
//!   `填报单位：…`) give one-cell [`RowKind::Text`](jixiao_grid::RowKind::Text) rows, one per line;
//! - in a cell, paragraphs and `w:br`/`w:cr` are line breaks (`\n`), `w:tab` a space, a
//!   no-break space a space; each line is trimmed and blank lines at either end dropped;
//! - tracked changes are read as accepted: insertions (`w:ins`, `w:moveTo`) in, deletions
//!   (`w:del`, `w:moveFrom`) out (I335); hidden text (`w:vanish` on a run) is left out (I336);
//!   content controls (`w:sdt`) are read through; field codes (`w:instrText`) are not text.
//!
//! Positions are [`Pos::Table`](jixiao_grid::Pos::Table) (`表2 第5行第3列`: the table's number in document order, the
//! row, the grid column) and [`Pos::Paragraph`](jixiao_grid::Pos::Paragraph) (`第3段`: the number of the body paragraph).
//!
//! Hostile input never panics, hangs or takes memory out of proportion: the main part may be at
//! most [`MAX_PART_BYTES`] (declared and actual size), the XML at most [`MAX_DEPTH`] elements
//! deep, a document at most [`MAX_TABLES`] tables and [`MAX_SLOTS`] table slots and table
//! elements (empty ones counted as they open); beyond them the document is refused with
//! [`DocxError::TooLarge`]. A damaged zip or XML is [`DocxError::Corrupt`].
//!
//! ```
//! use jixiao_grid::{Covered, Pos};
//! let body = r#"<w:p><w:r><w:t>项目支出绩效目标表</w:t></w:r></w:p>
//! <w:tbl><w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>产出指标</w:t></w:r></w:p></w:tc>
//!   <w:tc><w:p><w:r><w:t>数量指标</w:t></w:r></w:p></w:tc></w:tr>
//! <w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:r><w:t>质量指标</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"#;
//! let page = jixiao_docx::read_document_xml(&jixiao_docx::wrap_body(body), Some("a.docx")).unwrap();
//! let rows = &page.grid.rows;
//! assert_eq!(rows[0].cells[0].text, "项目支出绩效目标表");
//! assert_eq!(rows[0].cells[0].pos, Pos::Paragraph { paragraph: 1 });
//! assert_eq!(rows[1].cells[0].row_span, 2);
//! assert_eq!(rows[2].cells[0].covered, Some(Covered::Above));
//! assert_eq!(rows[2].cells[1].pos, Pos::Table { table: 1, row: 2, col: 2 });
//! ```

mod parser;

use jixiao_diagnostics::Diagnostic;
use jixiao_grid::Grid;
use parser::Parser;
use quick_xml::events::{BytesStart, Event};
use std::io::{Cursor, Read};

/// The largest main document part (`word/document.xml`) read, in bytes, declared or actual.
pub const MAX_PART_BYTES: u64 = 64 << 20;

/// The most entries a .docx zip may have (a real one has a few dozen).
pub const MAX_ENTRIES: usize = 100_000;

/// The deepest the XML may nest.
pub const MAX_DEPTH: usize = 512;

/// The widest a table may be; wider spans are clamped (Word itself allows 63 columns).
pub const MAX_COLUMNS: u32 = 1000;

/// The most table slots (cells, covered slots, `gridBefore`/`gridAfter` slots) of a document,
/// and the most tables, rows and cells it may open (empty ones counted).
pub const MAX_SLOTS: usize = 500_000;

/// The most tables (nested and empty ones counted) of a document; a performance target table
/// in Word has a handful.
pub const MAX_TABLES: usize = 10_000;

const WML: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const WML_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Why a Word document could not be read at all. Messages are in Chinese for the clerk and do
/// not name the file: the caller does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocxError {
    /// The zip or its XML is damaged or cut short.
    #[error(
        "Word 文档（.docx）已损坏或不完整（文件可能被截断），无法读取：{0}；请在 Word 或 WPS 中打开后重新另存为 .docx 再转换"
    )]
    Corrupt(String),
    /// The document is beyond the reader's limits.
    #[error("Word 文档过大，无法读取：{0}；请只保留绩效目标表，另存为 .docx 后再转换")]
    TooLarge(String),
    /// A binary word-processing format this reader does not read (.doc, .wps).
    #[error("这是 {0}，本程序不能读取；请在 Word 或 WPS 中打开，另存为 .docx 后再转换")]
    Legacy(&'static str),
    /// A Word document protected by a password (Office keeps an encrypted .docx in a
    /// compound file, like an old binary one).
    #[error(
        "这是有密码保护的 Word 文档，无法读取；请在 Word 或 WPS 中打开，取消密码（文件→信息→保护文档）后另存为 .docx 再转换"
    )]
    Encrypted,
}

/// A document read: its grid and what the reader left out or had to correct.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The rows of the document: paragraphs and tables in order.
    pub grid: Grid,
    /// Input notes (I33x), in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

/// True when the bytes are a zip holding a Word document (`word/document.xml`). Names of zip
/// entries are stored uncompressed, so this works on a truncated file too.
///
/// ```
/// assert!(!jixiao_docx::is_docx(b"PK\x03\x04 xl/workbook.xml"));
/// assert!(jixiao_docx::is_docx(b"PK\x03\x04 word/document.xml"));
/// ```
pub fn is_docx(bytes: &[u8]) -> bool {
    (bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06"))
        && contains(bytes, b"word/document.xml")
        && !contains(bytes, b"xl/workbook.xml")
}

/// A binary word-processing file that must be saved as .docx first: a Compound File (OLE2) with
/// a `WordDocument` stream (Word 97–2003 .doc, WPS 文字 .wps) or a Works/WPS text document.
/// `name` only picks the words of the message (`.wps` or `.doc`); the bytes decide.
///
/// # Errors
///
/// None: the answer is the error to report, `None` when the bytes are not such a file.
///
/// ```
/// let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
/// doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
/// let err = jixiao_docx::legacy(&doc, "表.doc").unwrap();
/// assert!(err.to_string().contains("另存为 .docx"));
/// assert!(jixiao_docx::legacy(&doc, "表.wps").unwrap().to_string().contains("WPS"));
/// ```
pub fn legacy(bytes: &[u8], name: &str) -> Option<DocxError> {
    if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return None;
    }
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    let lower = name.to_lowercase();
    let wps_name = lower.ends_with(".wps");
    // An encrypted Office Open XML file is a compound file holding `EncryptedPackage`; only
    // its name says whether it is a document or a workbook.
    let word_name = [".docx", ".docm", ".dotx", ".dotm"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    // The streams at the root decide (a workbook may embed a Word object, and the other way
    // round); a file too damaged to open is judged by the stream names in its bytes.
    let (word, works, workbook, encrypted) = match cfb::CompoundFile::open(Cursor::new(bytes)) {
        Ok(file) => (
            file.is_stream("/WordDocument"),
            // Microsoft Works word processor documents keep their text in a `MatOST` stream.
            file.is_stream("/MatOST"),
            file.is_stream("/Workbook") || file.is_stream("/Book"),
            file.is_stream("/EncryptedPackage"),
        ),
        Err(_) => (
            contains(bytes, &utf16("WordDocument")),
            contains(bytes, &utf16("MatOST")),
            contains(bytes, &utf16("Workbook")),
            contains(bytes, &utf16("EncryptedPackage")),
        ),
    };
    if encrypted && word_name {
        return Some(DocxError::Encrypted);
    }
    if (word || works || wps_name) && !workbook {
        Some(DocxError::Legacy(if wps_name || works {
            "WPS 文字或 Works 文档（.wps，旧的二进制格式）"
        } else {
            "Word 97–2003 文档（.doc，旧的二进制格式）"
        }))
    } else {
        None
    }
}

/// Reads a .docx. `file` is how the user named it; it goes into the grid and every diagnostic.
///
/// # Errors
///
/// [`DocxError::Corrupt`] for a damaged zip or XML (a truncated file), [`DocxError::TooLarge`]
/// beyond the limits above.
pub fn read(bytes: &[u8], file: Option<&str>) -> Result<Page, DocxError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| DocxError::Corrupt(format!("zip 结构错误（{e}）")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(DocxError::TooLarge(format!(
            "压缩包中有 {} 个文件（上限 {MAX_ENTRIES}）",
            zip.len()
        )));
    }
    let main = main_part(&mut zip).unwrap_or_else(|| "word/document.xml".to_string());
    let xml = part(&mut zip, &main)?;
    let text = std::str::from_utf8(xml.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&xml))
        .map_err(|_| DocxError::Corrupt(format!("{main} 不是 UTF-8 编码的 XML")))?;
    read_document_xml(text, file)
}

/// The main document part named by the package relationships (`_rels/.rels`), if any.
fn main_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> Option<String> {
    let rels = part(zip, "_rels/.rels").ok()?;
    let rels = std::str::from_utf8(&rels).ok()?;
    let mut reader = quick_xml::Reader::from_str(rels);
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let typ = attr(&e, "Type").unwrap_or_default();
                if typ.ends_with("/officeDocument") {
                    let target = attr(&e, "Target")?;
                    let target = target.trim_start_matches('/').to_string();
                    return (!target.is_empty()).then_some(target);
                }
            }
            Ok(Event::Eof) | Err(_) => return None,
            _ => {}
        }
    }
}

/// One zip entry's bytes, within [`MAX_PART_BYTES`].
fn part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Vec<u8>, DocxError> {
    let mut entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => {
            return Err(DocxError::Corrupt(format!("缺少 {name}")));
        }
        Err(e) => return Err(DocxError::Corrupt(format!("{name} 无法解压（{e}）"))),
    };
    if entry.size() > MAX_PART_BYTES {
        return Err(DocxError::TooLarge(format!(
            "{name} 解压后 {} MB（上限 {} MB）",
            entry.size() >> 20,
            MAX_PART_BYTES >> 20
        )));
    }
    let mut out = Vec::with_capacity(entry.size() as usize);
    entry
        .by_ref()
        .take(MAX_PART_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| DocxError::Corrupt(format!("{name} 无法解压（{e}）")))?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(DocxError::TooLarge(format!(
            "{name} 解压后超过 {} MB",
            MAX_PART_BYTES >> 20
        )));
    }
    Ok(out)
}

/// A `word/document.xml` around the given body content (for examples and tests).
pub fn wrap_body(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"{}\"><w:body>{body}</w:body></w:document>",
        WML
    )
}

/// Reads the main document part (`word/document.xml`) as text. `file` is how the user named
/// the document.
///
/// # Errors
///
/// [`DocxError::Corrupt`] for XML that does not parse or ends early, [`DocxError::TooLarge`]
/// beyond [`MAX_DEPTH`] or [`MAX_SLOTS`].
pub fn read_document_xml(xml: &str, file: Option<&str>) -> Result<Page, DocxError> {
    let mut parser = Parser::new(file);
    parser.run(xml)?;
    Ok(parser.finish())
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && memchr::memmem::find(haystack, needle).is_some()
}

fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

#[cfg(test)]
mod tests;
