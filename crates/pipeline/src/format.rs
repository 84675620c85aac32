//! Format detection: what an input is, from its first bytes ([`detect`], one [`Format`]);
//! never from its name. The name only says what a file promises ([`WORKBOOK_EXTENSIONS`],
//! [`TABLE_EXTENSIONS`]): a file named like a table that cannot be read is an error rather
//! than "not a table".

use std::path::Path;

/// The input formats, detected from the bytes (never from the file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Our own JSON (`jixiao/1`).
    Json,
    /// Markdown or plain text as OCR produces it (embedded `<table>` blocks included).
    Markdown,
    /// An HTML page: the content starts (after BOM, whitespace, comments) with `<!DOCTYPE html`,
    /// `<html`, `<table` and the like.
    Html,
    /// A zip container: xlsx, ods, or some other zip.
    Zip,
    /// A Word document (.docx): a zip holding `word/document.xml`.
    Docx,
    /// A Compound File (OLE2) container: xls, or an encrypted xlsx.
    Cfb,
    /// A PDF document.
    Pdf,
    /// A picture (a scan or a photo of a table): jixiao does not read images. The message
    /// names the kind and what to do.
    Image(&'static str),
}

/// The message that refuses a picture of `kind` (PNG, JPEG …) and says what to do instead.
macro_rules! image_refusal {
    ($kind:literal) => {
        concat!(
            "这是图片文件（",
            $kind,
            "），jixiao 不识别图片中的文字；请先用 OCR 软件把表格识别为 Excel、Word 或文本（Markdown）后再转换"
        )
    };
}

/// The picture formats a clerk may be sent instead of a table, by their signatures, each with
/// the message that refuses it.
const IMAGES: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", image_refusal!("PNG")),
    (b"\xFF\xD8\xFF", image_refusal!("JPEG")),
    (b"GIF87a", image_refusal!("GIF")),
    (b"GIF89a", image_refusal!("GIF")),
    (b"II*\0", image_refusal!("TIFF")),
    (b"MM\0*", image_refusal!("TIFF")),
];

/// The refusal of a picture, when `bytes` start like one. A WebP is a RIFF container whose form
/// type says so; a BMP starts with `BM`, its size and four reserved zero bytes (`BM` alone
/// could begin a text).
fn image(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Some(image_refusal!("WebP"));
    }
    if bytes.starts_with(b"BM") && bytes.get(6..10) == Some(&[0, 0, 0, 0]) {
        return Some(image_refusal!("BMP"));
    }
    IMAGES
        .iter()
        .find(|(signature, _)| bytes.starts_with(signature))
        .map(|&(_, message)| message)
}

/// True when bytes look like a JSON document (the first non-space character is `{`), in UTF-8,
/// UTF-16 or UTF-32, with or without BOM (the NUL bytes of UTF-16/32 are passed over).
fn looks_like_json(bytes: &[u8]) -> bool {
    const BOMS: [&[u8]; 5] = [
        b"\xEF\xBB\xBF",
        b"\xFF\xFE\0\0",
        b"\0\0\xFE\xFF",
        b"\xFF\xFE",
        b"\xFE\xFF",
    ];
    let bytes = BOMS
        .iter()
        .find_map(|bom| bytes.strip_prefix(*bom))
        .unwrap_or(bytes);
    bytes.iter().find(|&&b| !b.is_ascii_whitespace() && b != 0) == Some(&b'{')
}

/// Detects the format of an input from its first bytes.
pub fn detect(bytes: &[u8]) -> Format {
    if jixiao_docx::is_docx(bytes) {
        Format::Docx
    } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Format::Zip
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Format::Cfb
    } else if jixiao_pdf_input::is_pdf(bytes) {
        Format::Pdf
    } else if let Some(refusal) = image(bytes) {
        Format::Image(refusal)
    } else if looks_like_json(bytes) {
        Format::Json
    } else if jixiao_html::looks_like_html(bytes) {
        Format::Html
    } else {
        Format::Markdown
    }
}

/// The extensions of workbooks (Excel, LibreOffice, WPS): a file named so that cannot be read
/// as a workbook is an error, never "not a table".
pub const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xlsb", "xls", "ods", "et"];

/// The extensions of every file that promises a table (workbooks, text, HTML, JSON): such a
/// file that cannot be read is an error; any other unreadable file is "not a table" (skipped).
pub const TABLE_EXTENSIONS: &[&str] = &[
    "xlsx", "xlsm", "xlsb", "xls", "ods", "et", "md", "markdown", "txt", "json", "html", "htm",
    "csv", "docx", "pdf",
];

/// The lower-case extension of a file name (`表1.XLSX` → `xlsx`), empty when it has none.
pub fn extension_of(name: &str) -> String {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// True when the file name has a workbook extension.
pub(crate) fn named_like_workbook(name: &str) -> bool {
    WORKBOOK_EXTENSIONS.contains(&extension_of(name).as_str())
}
