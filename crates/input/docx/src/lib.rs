//! Word documents (`.docx`) read into a [`Grid`], the same shape the HTML reader gives.
//!
//! One document gives one grid, in document order:
//!
//! - every table (`w:tbl`) gives its rows. `w:gridSpan` is a column span, `w:vMerge`
//!   `restart`/continue a row span (the legacy `w:hMerge` a column span too); the origin cell
//!   carries `row_span`/`col_span` and every other slot of the range is a [`Cell::covered`] cell
//!   (`Above` below the origin, `Left` on its row) with the origin's position. `w:gridBefore` /
//!   `w:gridAfter` give empty slots so that columns line up;
//! - a table nested in a cell is **not** mixed into the outer one: the outer cell keeps its own
//!   text, and the nested table's rows follow the outer table's rows as a table of their own
//!   (depth first, in document order), reported as I330 — as the HTML reader does;
//! - paragraphs outside tables (titles such as `项目支出绩效目标表`, `（2022年）`,
//!   `填报单位：…`) give one-cell [`RowKind::Text`] rows, one per line;
//! - in a cell, paragraphs and `w:br`/`w:cr` are line breaks (`\n`), `w:tab` a space, a
//!   no-break space a space; each line is trimmed and blank lines at either end dropped;
//! - tracked changes are read as accepted: insertions (`w:ins`, `w:moveTo`) in, deletions
//!   (`w:del`, `w:moveFrom`) out (I335); hidden text (`w:vanish` on a run) is left out (I336);
//!   content controls (`w:sdt`) are read through; field codes (`w:instrText`) are not text.
//!
//! Positions are [`Pos::Table`] (`表2 第5行第3列`: the table's number in document order, the
//! row, the grid column) and [`Pos::Paragraph`] (`第3段`: the number of the body paragraph).
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

use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::{Cell, Covered, Grid, Pos, Row, RowKind};
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
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
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

/// How a cell takes part in a vertical or (legacy) horizontal merge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Merge {
    Restart,
    Continue,
}

struct CellSpec {
    text: Lines,
    span: u32,
    vmerge: Option<Merge>,
    hmerge: Option<Merge>,
}

#[derive(Default)]
struct RowSpec {
    before: u32,
    after: u32,
    cells: Vec<CellSpec>,
    /// The spans of `cells` added up, kept as cells are added, so that where the reader is
    /// ([`Parser::here`]) costs nothing however long the row.
    spans: u32,
}

impl RowSpec {
    fn push(&mut self, cell: CellSpec) {
        self.spans = self.spans.saturating_add(cell.span);
        self.cells.push(cell);
    }
}

/// A table being read.
struct TableBuild {
    number: u32,
    rows: Vec<RowSpec>,
    row: Option<RowSpec>,
    cell: Option<CellSpec>,
    nested: Vec<Table>,
}

/// A table read, with the tables nested in its cells.
struct Table {
    number: u32,
    rows: Vec<Row>,
    nested: Vec<Table>,
}

/// Text in lines; a paragraph or a break ends a line.
#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    cur: String,
}

impl Lines {
    fn push(&mut self, text: &str) {
        for c in text.chars() {
            self.cur.push(match c {
                '\u{a0}' | '\t' => ' ',
                '\r' | '\n' => ' ',
                c => c,
            });
        }
    }

    fn push_char(&mut self, c: char) {
        self.cur.push(c);
    }

    fn newline(&mut self) {
        let line = std::mem::take(&mut self.cur);
        self.lines.push(line.trim().to_string());
    }

    /// The lines, trimmed, without blank lines at either end.
    fn finish(mut self) -> Vec<String> {
        if !self.cur.is_empty() {
            self.newline();
        }
        let first = self
            .lines
            .iter()
            .position(|l| !l.is_empty())
            .unwrap_or(self.lines.len());
        let last = self
            .lines
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(first, |k| k + 1);
        self.lines.drain(first..last).collect()
    }
}

/// What the reader noticed once per document.
#[derive(Default)]
struct Seen {
    insertions: u32,
    deletions: u32,
    hidden: u32,
    first_change: Option<Pos>,
    first_hidden: Option<Pos>,
}

struct Parser<'f> {
    file: Option<&'f str>,
    rows: Vec<Row>,
    diags: Vec<Diagnostic>,
    /// Namespace prefixes bound to WordprocessingML and markup compatibility.
    /// The prefixes bound to WordprocessingML and to markup compatibility (a set: a root
    /// element with thousands of prefixes costs no more per element than one with two).
    w: std::collections::HashSet<String>,
    mc: std::collections::HashSet<String>,
    depth: usize,
    /// Skipping a subtree (deleted text, field codes, properties) until this depth closes.
    skip: Option<usize>,
    /// Inside `w:rPr` of a run (not of a paragraph mark).
    run_props: bool,
    run_hidden: bool,
    /// Depth of open `w:p` outside any table.
    body_para: usize,
    para: Lines,
    paragraphs: u32,
    tables: Vec<TableBuild>,
    table_count: u32,
    slots: usize,
    /// Tables, rows and cells opened, empty or not ([`Parser::count_table_element`]).
    elements: usize,
    /// Tables opened, empty or not.
    tables_opened: usize,
    seen: Seen,
    /// Covered cells repeating their origin's text: how many, and the first (one I319).
    repeats: Option<(usize, Pos)>,
}

impl<'f> Parser<'f> {
    fn new(file: Option<&'f str>) -> Self {
        Parser {
            file,
            rows: Vec::new(),
            diags: Vec::new(),
            w: std::collections::HashSet::from(["w".to_string()]),
            mc: std::collections::HashSet::from(["mc".to_string()]),
            depth: 0,
            skip: None,
            run_props: false,
            run_hidden: false,
            body_para: 0,
            para: Lines::default(),
            paragraphs: 0,
            tables: Vec::new(),
            table_count: 0,
            slots: 0,
            elements: 0,
            tables_opened: 0,
            seen: Seen::default(),
            repeats: None,
        }
    }

    fn location(&self, pos: Pos) -> Location {
        Location {
            file: self.file.map(str::to_string),
            cell: pos.place(),
            ..Location::default()
        }
    }

    /// Counts one table, row or cell as it opens — empty ones too (`<w:tbl/>`, `<w:tr/>`,
    /// `<w:tc/>` cost work and memory however little they hold) — and refuses the document
    /// past [`MAX_TABLES`] tables or [`MAX_SLOTS`] such elements, before more work is done.
    fn count_table_element(&mut self, table: bool) -> Result<(), DocxError> {
        self.elements += 1;
        if table {
            self.tables_opened += 1;
        }
        if self.tables_opened > MAX_TABLES {
            return Err(DocxError::TooLarge(format!(
                "表格（含嵌套和空表格）超过 {MAX_TABLES} 个"
            )));
        }
        if self.elements > MAX_SLOTS {
            return Err(DocxError::TooLarge(format!(
                "表格、行和单元格（含空的）合计超过 {MAX_SLOTS} 个"
            )));
        }
        Ok(())
    }

    /// Where the reader is now: the current cell, else the current paragraph.
    fn here(&self) -> Pos {
        match self.tables.last() {
            Some(t) => Pos::Table {
                table: t.number,
                row: t.rows.len() as u32 + 1,
                col: t
                    .row
                    .as_ref()
                    .map_or(1, |r| r.before.saturating_add(r.spans).saturating_add(1)),
            },
            None => Pos::Paragraph {
                paragraph: self.paragraphs.max(1),
            },
        }
    }

    /// The element's local name when it is WordprocessingML (`w:`), else `None`.
    fn wml<'a>(&self, name: &'a str) -> Option<&'a str> {
        let (prefix, local) = name.split_once(':')?;
        self.w.contains(prefix).then_some(local)
    }

    fn is_mc(&self, name: &str, local: &str) -> bool {
        name.split_once(':')
            .is_some_and(|(prefix, l)| l == local && self.mc.contains(prefix))
    }

    fn learn_namespaces(&mut self, e: &BytesStart<'_>) {
        for a in e.attributes().flatten() {
            let key = a.key.as_ref();
            if let Some(prefix) = key.strip_prefix("xmlns:") {
                let value = a.value.as_ref();
                if value == WML || value == WML_STRICT {
                    self.w.insert(prefix.to_string());
                } else if value == MC {
                    self.mc.insert(prefix.to_string());
                }
            }
        }
    }

    fn text_target(&mut self) -> Option<&mut Lines> {
        match self.tables.last_mut() {
            Some(t) => t.cell.as_mut().map(|c| &mut c.text),
            None if self.body_para > 0 => Some(&mut self.para),
            None => None,
        }
    }

    fn run(&mut self, xml: &str) -> Result<(), DocxError> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut text_open = false;
        loop {
            let event = reader.read_event().map_err(|e| {
                DocxError::Corrupt(format!(
                    "document.xml 第 {} 字节处 XML 错误（{e}）",
                    reader.error_position()
                ))
            })?;
            match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(DocxError::TooLarge(format!("XML 嵌套超过 {MAX_DEPTH} 层")));
                    }
                    if self.depth == 1 {
                        self.learn_namespaces(&e);
                    }
                    if self.skip.is_some() {
                        continue;
                    }
                    let name = e.name();
                    if let Some(local) = self.wml(name.as_ref()) {
                        text_open = local == "t";
                    }
                    self.open(&e, false)?;
                }
                Event::Empty(e) if self.skip.is_none() => {
                    self.depth += 1;
                    self.open(&e, true)?;
                    self.depth -= 1;
                }
                Event::End(e) => {
                    if let Some(d) = self.skip {
                        if d == self.depth {
                            self.skip = None;
                        }
                        self.depth = self.depth.saturating_sub(1);
                        continue;
                    }
                    text_open = false;
                    let name = e.name();
                    if let Some(local) = self.wml(name.as_ref()) {
                        let local = local.to_string();
                        self.close(&local)?;
                    }
                    self.depth = self.depth.saturating_sub(1);
                }
                Event::Text(t) if text_open && self.skip.is_none() => {
                    let hidden = self.run_hidden;
                    let content = t.xml10_content();
                    self.text(&content, hidden);
                }
                Event::CData(t) if text_open && self.skip.is_none() => {
                    let hidden = self.run_hidden;
                    let content = t.xml10_content();
                    self.text(&content, hidden);
                }
                Event::GeneralRef(r) if text_open && self.skip.is_none() => {
                    let c = match r.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        _ => match r.xml10_content().as_ref() {
                            "amp" => Some('&'),
                            "lt" => Some('<'),
                            "gt" => Some('>'),
                            "quot" => Some('"'),
                            "apos" => Some('\''),
                            _ => None,
                        },
                    };
                    if let Some(c) = c {
                        let hidden = self.run_hidden;
                        self.text(c.encode_utf8(&mut [0; 4]), hidden);
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        if self.depth != 0 || !self.tables.is_empty() {
            return Err(DocxError::Corrupt("document.xml 在中途结束".into()));
        }
        Ok(())
    }

    fn text(&mut self, text: &str, hidden: bool) {
        if text.is_empty() {
            return;
        }
        if hidden {
            if !text.trim().is_empty() {
                self.seen.hidden += 1;
                if self.seen.first_hidden.is_none() {
                    self.seen.first_hidden = Some(self.here());
                }
            }
            return;
        }
        if let Some(lines) = self.text_target() {
            lines.push(text);
        }
    }

    fn skip_subtree(&mut self, empty: bool) {
        if !empty {
            self.skip = Some(self.depth);
        }
    }

    fn note_change(&mut self, deletion: bool) {
        if deletion {
            self.seen.deletions += 1;
        } else {
            self.seen.insertions += 1;
        }
        if self.seen.first_change.is_none() {
            self.seen.first_change = Some(self.here());
        }
    }

    /// An opening (or empty) element.
    fn open(&mut self, e: &BytesStart<'_>, empty: bool) -> Result<(), DocxError> {
        let qname = e.name();
        let name = qname.as_ref();
        if self.is_mc(name, "Fallback") {
            // The same content as mc:Choice, for older readers.
            self.skip_subtree(empty);
            return Ok(());
        }
        let Some(local) = self.wml(name) else {
            return Ok(());
        };
        if matches!(local, "tbl" | "tr" | "tc") {
            self.count_table_element(local == "tbl")?;
        }
        match local {
            "del" | "moveFrom" => {
                // A deleted run or paragraph range (w:del as run property marks a deleted
                // paragraph mark and is handled with w:pPr).
                self.note_change(true);
                self.skip_subtree(empty);
            }
            "ins" | "moveTo" if !self.run_props => self.note_change(false),
            "pPr" | "sdtPr" | "sdtEndPr" | "instrText" | "delInstrText" | "delText" | "tblPr"
            | "tblGrid" | "sectPr" | "rPrChange" | "pPrChange" | "tcPrChange" | "trPrChange"
            | "tblPrChange" | "footnoteReference" | "endnoteReference" | "commentReference" => {
                self.skip_subtree(empty)
            }
            "r" => {
                self.run_hidden = false;
            }
            "rPr" => self.run_props = !empty,
            "vanish" if self.run_props => {
                let val = attr(e, "val").unwrap_or_default();
                self.run_hidden = !matches!(val.as_str(), "0" | "false" | "off");
            }
            "br" | "cr" => {
                if let Some(lines) = self.text_target() {
                    lines.newline();
                }
            }
            "tab" | "ptab" if !self.run_props => {
                let hidden = self.run_hidden;
                self.text(" ", hidden);
            }
            "noBreakHyphen" => {
                let hidden = self.run_hidden;
                self.text("-", hidden);
            }
            "sym" => {
                // A symbol-font character (Wingdings ☐/☑); its code is in the private use area.
                if let Some(c) = attr(e, "char")
                    .and_then(|h| u32::from_str_radix(&h, 16).ok())
                    .and_then(char::from_u32)
                {
                    let c = match c as u32 {
                        0xF000..=0xF0FF => char::from_u32(c as u32 - 0xF000).unwrap_or(c),
                        _ => c,
                    };
                    if !c.is_control()
                        && let Some(lines) = self.text_target()
                    {
                        lines.push_char(c);
                    }
                }
            }
            "p" => {
                if self.tables.is_empty() {
                    if self.body_para == 0 {
                        self.paragraphs += 1;
                    }
                    if !empty {
                        self.body_para += 1;
                    }
                }
                if empty && let Some(lines) = self.text_target() {
                    lines.newline();
                }
            }
            "tbl" => {
                if empty {
                    return Ok(());
                }
                if self.tables.is_empty() && self.body_para > 0 {
                    // A table inside a paragraph (a text box): what came before it goes first.
                    let para = std::mem::take(&mut self.para);
                    self.flush_paragraph(para);
                }
                if let Some(lines) = self.text_target() {
                    lines.newline();
                }
                self.table_count += 1;
                self.tables.push(TableBuild {
                    number: self.table_count,
                    rows: Vec::new(),
                    row: None,
                    cell: None,
                    nested: Vec::new(),
                });
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut() {
                    if let Some(row) = t.row.take() {
                        t.rows.push(row);
                    }
                    t.row = Some(RowSpec::default());
                    if empty && let Some(row) = t.row.take() {
                        t.rows.push(row);
                    }
                }
            }
            "gridBefore" | "gridAfter" => {
                let n = attr(e, "val")
                    .and_then(|v| v.trim().parse::<u32>().ok())
                    .unwrap_or(0)
                    .min(MAX_COLUMNS);
                if let Some(t) = self.tables.last_mut()
                    && t.cell.is_none()
                {
                    let row = t.row.get_or_insert_with(RowSpec::default);
                    if local == "gridBefore" {
                        row.before = n;
                    } else {
                        row.after = n;
                    }
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let spec = CellSpec {
                        text: Lines::default(),
                        span: 1,
                        vmerge: None,
                        hmerge: None,
                    };
                    if empty {
                        t.row.get_or_insert_with(RowSpec::default).push(spec);
                    } else {
                        t.cell = Some(spec);
                    }
                }
            }
            "gridSpan" => {
                let raw = attr(e, "val").unwrap_or_default();
                let here = self.here();
                let span = match raw.trim().parse::<u64>() {
                    Ok(v) if v >= 1 => v,
                    _ => {
                        let loc = self.location(here);
                        self.diags.push(Diagnostic::new(
                            Code::I334,
                            format!(
                                "单元格的跨列数 gridSpan=\"{raw}\" 不是有效的正整数，按 1 列读取"
                            ),
                            loc,
                        ));
                        1
                    }
                };
                let span = if span > u64::from(MAX_COLUMNS) {
                    let loc = self.location(here);
                    self.diags.push(Diagnostic::new(
                        Code::I334,
                        format!("单元格的跨列数 gridSpan={span} 超出了表格最大宽度 {MAX_COLUMNS} 列，按 {MAX_COLUMNS} 列读取"),
                        loc,
                    ));
                    MAX_COLUMNS
                } else {
                    span as u32
                };
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    cell.span = span;
                }
            }
            "vMerge" | "hMerge" => {
                let merge = match attr(e, "val").as_deref() {
                    Some("restart") => Merge::Restart,
                    _ => Merge::Continue,
                };
                if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
                    if local == "vMerge" {
                        cell.vmerge = Some(merge);
                    } else {
                        cell.hmerge = Some(merge);
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// A closing WordprocessingML element.
    fn close(&mut self, local: &str) -> Result<(), DocxError> {
        match local {
            "rPr" => self.run_props = false,
            "r" => self.run_hidden = false,
            "p" => {
                if self.tables.is_empty() && self.body_para > 0 {
                    self.body_para -= 1;
                    if self.body_para == 0 {
                        let para = std::mem::take(&mut self.para);
                        self.flush_paragraph(para);
                        return Ok(());
                    }
                }
                if let Some(lines) = self.text_target() {
                    lines.newline();
                }
            }
            "tc" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(cell) = t.cell.take()
                {
                    t.row.get_or_insert_with(RowSpec::default).push(cell);
                }
            }
            "tr" => {
                if let Some(t) = self.tables.last_mut()
                    && let Some(row) = t.row.take()
                {
                    t.rows.push(row);
                }
            }
            "tbl" => {
                if let Some(mut t) = self.tables.pop() {
                    if let Some(cell) = t.cell.take() {
                        t.row.get_or_insert_with(RowSpec::default).push(cell);
                    }
                    if let Some(row) = t.row.take() {
                        t.rows.push(row);
                    }
                    let rows = self.layout(t.number, t.rows)?;
                    let table = Table {
                        number: t.number,
                        rows,
                        nested: t.nested,
                    };
                    match self.tables.last_mut() {
                        Some(parent) => parent.nested.push(table),
                        None => self.emit(table),
                    }
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn flush_paragraph(&mut self, para: Lines) {
        let pos = Pos::Paragraph {
            paragraph: self.paragraphs.max(1),
        };
        for line in para.finish() {
            if !line.is_empty() {
                self.rows
                    .push(Row::new(RowKind::Text, vec![Cell::new(line, pos)]));
            }
        }
    }

    /// An outermost table's rows, then its nested tables', depth first.
    fn emit(&mut self, table: Table) {
        let mut pending = vec![(table, false)];
        while let Some((table, nested)) = pending.pop() {
            if nested {
                let loc = self.location(Pos::Table {
                    table: table.number,
                    row: 1,
                    col: 1,
                });
                self.diags.push(Diagnostic::new(
                    Code::I330,
                    format!(
                        "单元格中嵌套的表格（表{}）已作为独立的表格读取，放在外层表格之后；外层单元格只保留自身的文字",
                        table.number
                    ),
                    loc,
                ));
            }
            self.rows.extend(table.rows);
            pending.extend(table.nested.into_iter().rev().map(|t| (t, true)));
        }
    }

    /// Lays one table's cells out in slots.
    fn layout(&mut self, number: u32, rows: Vec<RowSpec>) -> Result<Vec<Row>, DocxError> {
        let at = |row: usize, col: usize| Pos::Table {
            table: number,
            row: row as u32 + 1,
            col: col as u32 + 1,
        };
        // The whole table's slots are counted before any is allocated.
        let width = |spec: &RowSpec| {
            spec.before as usize
                + spec.after as usize
                + spec.cells.iter().map(|c| c.span as usize).sum::<usize>()
        };
        let total: usize = rows.iter().map(width).sum();
        let widest = rows.iter().map(width).max().unwrap_or(0);
        self.slots += total;
        if self.slots > MAX_SLOTS || widest > MAX_COLUMNS as usize * 2 {
            return Err(DocxError::TooLarge(format!(
                "表{number} 的单元格超过 {MAX_SLOTS} 个或单行超过 {} 列",
                MAX_COLUMNS * 2
            )));
        }
        let mut slots: Vec<Vec<Option<Cell>>> = Vec::with_capacity(rows.len());
        // For each slot, the origin of the range covering it.
        let mut origin: Vec<Vec<Option<(usize, usize)>>> = Vec::with_capacity(rows.len());
        for (r, spec) in rows.into_iter().enumerate() {
            let width = width(&spec);
            slots.push(vec![None; width]);
            origin.push(vec![None; width]);
            let mut c = spec.before as usize;
            for cell in spec.cells {
                let span = cell.span as usize;
                let pos = at(r, c);
                let lines = cell.text.finish();
                let text = lines.join("\n");
                if cell.vmerge == Some(Merge::Continue) {
                    let above = (r > 0)
                        .then(|| origin[r - 1].get(c).copied().flatten())
                        .flatten()
                        .filter(|&(_, oc)| oc == c);
                    if let Some((or, oc)) = above {
                        let (origin_pos, origin_text) = {
                            let o = slots[or][oc].as_mut().expect("an origin slot");
                            o.row_span = o.row_span.max((r - or + 1) as u32);
                            (o.pos, o.text.clone())
                        };
                        if !text.trim().is_empty() {
                            self.hidden_in_merge(&text, &origin_text, pos);
                        }
                        for k in 0..span {
                            slots[r][c + k] = Some(Cell::covered(Covered::Above, origin_pos));
                            origin[r][c + k] = Some((or, oc));
                        }
                        c += span;
                        continue;
                    }
                    let loc = self.location(pos);
                    self.diags.push(Diagnostic::new(
                        Code::I332,
                        "单元格标为与上方合并，但上方没有可合并的单元格，按普通单元格读取",
                        loc,
                    ));
                }
                if cell.hmerge == Some(Merge::Continue)
                    && c > 0
                    && let Some((or, oc)) = origin[r][c - 1].filter(|&(or, _)| or == r)
                {
                    let (origin_pos, origin_text) = {
                        let o = slots[or][oc].as_mut().expect("an origin slot");
                        o.col_span += span as u32;
                        (o.pos, o.text.clone())
                    };
                    if !text.trim().is_empty() {
                        self.hidden_in_merge(&text, &origin_text, pos);
                    }
                    for k in 0..span {
                        slots[r][c + k] = Some(Cell::covered(Covered::Left, origin_pos));
                        origin[r][c + k] = Some((or, oc));
                    }
                    c += span;
                    continue;
                }
                slots[r][c] = Some(Cell {
                    col_span: span as u32,
                    ..Cell::new(text, pos)
                });
                origin[r][c] = Some((r, c));
                for k in 1..span {
                    slots[r][c + k] = Some(Cell::covered(Covered::Left, pos));
                    origin[r][c + k] = Some((r, c));
                }
                c += span;
            }
        }
        Ok(slots
            .into_iter()
            .enumerate()
            .map(|(r, row)| {
                let cells = row
                    .into_iter()
                    .enumerate()
                    .map(|(c, cell)| cell.unwrap_or_else(|| Cell::new("", at(r, c))))
                    .collect();
                Row::new(RowKind::Table, cells)
            })
            .collect())
    }

    /// Text in a covered part of a merged cell: the origin's text repeated (how budget
    /// systems export merged cells) is counted for one I319; other text is reported (I333).
    fn hidden_in_merge(&mut self, text: &str, origin_text: &str, pos: Pos) {
        if text.trim() == origin_text.trim() {
            self.repeats.get_or_insert((0, pos)).0 += 1;
            return;
        }
        let loc = self.location(pos);
        self.diags.push(Diagnostic::new(
            Code::I333,
            format!(
                "合并单元格中被覆盖的部分还有文字“{}”，Word 不显示它，已跳过",
                text.trim()
            ),
            loc,
        ));
    }

    fn finish(mut self) -> Page {
        let file_loc = Location {
            file: self.file.map(str::to_string),
            ..Location::default()
        };
        if let Some((count, pos)) = self.repeats.take() {
            let loc = self.location(pos);
            let place = pos.place().unwrap_or_default();
            self.diags.push(Diagnostic::new(
                Code::I319,
                format!(
                    "合并区域中 {count} 个被覆盖的单元格重复了左上角的文字（系统导出的写法），已按合并区域读取，第一处 {place}"
                ),
                loc,
            ));
        }
        if self.seen.insertions + self.seen.deletions > 0 {
            let loc = self
                .seen
                .first_change
                .map_or(file_loc.clone(), |p| self.location(p));
            self.diags.push(Diagnostic::new(
                Code::I335,
                format!(
                    "文档中有未处理的修订（{} 处插入、{} 处删除），已按“接受所有修订”读取：插入的文字保留，删除的文字不读",
                    self.seen.insertions, self.seen.deletions
                ),
                loc,
            ));
        }
        if self.seen.hidden > 0 {
            let loc = self
                .seen
                .first_hidden
                .map_or(file_loc.clone(), |p| self.location(p));
            self.diags.push(Diagnostic::new(
                Code::I336,
                format!(
                    "文档中有 {} 处隐藏文字（设置了“隐藏”格式，打印时不显示），已不读取",
                    self.seen.hidden
                ),
                loc,
            ));
        }
        if self.table_count == 0 {
            self.diags.push(Diagnostic::new(
                Code::I331,
                "Word 文档中没有表格，只读取了其中的文字；绩效目标表须是 Word 表格（不能是图片或用空格、制表符排出的文字），请确认选对了文件",
                file_loc,
            ));
        }
        let mut grid = Grid::new(self.file.map(str::to_string), None);
        grid.rows = self.rows;
        Page {
            grid,
            diagnostics: self.diags,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_body(body: &str) -> Page {
        read_document_xml(&wrap_body(body), Some("t.docx")).expect("readable")
    }

    fn texts(page: &Page) -> Vec<Vec<&str>> {
        page.grid
            .rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    fn codes(page: &Page) -> Vec<&str> {
        page.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")
    }

    fn tc(props: &str, body: &str) -> String {
        format!("<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
    }

    #[test]
    fn spans_and_vertical_merges_lay_out_like_html() {
        let page = read_body(&format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            tc("<w:gridSpan w:val=\"2\"/>", &p("预算单位")),
            tc("", &p("民政局")),
            tc("<w:vMerge w:val=\"restart\"/>", &p("产出指标")),
            tc("", &p("数量指标")),
            tc("", &p("≥221人")),
            tc("<w:vMerge/>", "<w:p/>"),
            tc("", &p("质量指标")),
            tc("", &p("=100%")),
        ));
        assert_eq!(
            texts(&page),
            [
                vec!["预算单位", "", "民政局"],
                vec!["产出指标", "数量指标", "≥221人"],
                vec!["", "质量指标", "=100%"],
            ]
        );
        let rows = &page.grid.rows;
        assert_eq!(rows[0].cells[0].col_span, 2);
        assert_eq!(rows[0].cells[1].covered, Some(Covered::Left));
        assert_eq!(rows[1].cells[0].row_span, 2);
        assert_eq!(rows[2].cells[0].covered, Some(Covered::Above));
        assert_eq!(
            rows[2].cells[0].pos,
            Pos::Table {
                table: 1,
                row: 2,
                col: 1
            }
        );
        assert_eq!(
            rows[0].cells[2].pos,
            Pos::Table {
                table: 1,
                row: 1,
                col: 3
            }
        );
        assert!(page.diagnostics.is_empty(), "{:?}", page.diagnostics);
    }

    #[test]
    fn grid_before_and_after_line_columns_up() {
        let page = read_body(&format!(
            "<w:tbl><w:tr><w:trPr><w:gridBefore w:val=\"1\"/><w:gridAfter w:val=\"1\"/></w:trPr>{}</w:tr><w:tr>{}{}{}</w:tr></w:tbl>",
            tc("", &p("标题")),
            tc("", &p("a")),
            tc("", &p("b")),
            tc("", &p("c")),
        ));
        assert_eq!(texts(&page), [vec!["", "标题", ""], vec!["a", "b", "c"]]);
        assert_eq!(
            page.grid.rows[0].cells[1].pos,
            Pos::Table {
                table: 1,
                row: 1,
                col: 2
            }
        );
    }

    #[test]
    fn paragraphs_become_text_rows_in_order_with_their_numbers() {
        let page = read_body(&format!(
            "{}<w:p/>{}<w:tbl><w:tr>{}</w:tr></w:tbl>{}",
            p("项目支出绩效目标表"),
            "<w:p><w:r><w:t>（2022年）</w:t><w:br/><w:t xml:space=\"preserve\">填报单位：民政局 </w:t></w:r></w:p>",
            tc("", &p("x")),
            p("填表人：张三")
        ));
        assert_eq!(
            texts(&page),
            [
                vec!["项目支出绩效目标表"],
                vec!["（2022年）"],
                vec!["填报单位：民政局"],
                vec!["x"],
                vec!["填表人：张三"],
            ]
        );
        let kinds: Vec<RowKind> = page.grid.rows.iter().map(|r| r.kind).collect();
        assert_eq!(kinds[0], RowKind::Text);
        assert_eq!(kinds[3], RowKind::Table);
        assert_eq!(
            page.grid.rows[1].cells[0].pos,
            Pos::Paragraph { paragraph: 3 }
        );
        assert_eq!(
            page.grid.rows[4].cells[0].pos,
            Pos::Paragraph { paragraph: 4 }
        );
    }

    #[test]
    fn cell_paragraphs_and_breaks_are_line_breaks() {
        let page = read_body(&format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl>",
            tc(
                "",
                "<w:p/><w:p><w:r><w:t>目标1：</w:t><w:tab/><w:t>甲</w:t></w:r></w:p><w:p><w:r><w:t>目标2：乙</w:t><w:br/><w:t>丙&amp;丁</w:t></w:r></w:p><w:p/>"
            )
        ));
        assert_eq!(texts(&page), [vec!["目标1： 甲\n目标2：乙\n丙&丁"]]);
    }

    #[test]
    fn tracked_changes_are_read_as_accepted() {
        let page = read_body(&format!(
            "<w:tbl><w:tr>{}</w:tr></w:tbl>",
            tc(
                "",
                "<w:p><w:r><w:t>≥</w:t></w:r><w:del w:id=\"1\"><w:r><w:delText>90</w:delText></w:r></w:del><w:ins w:id=\"2\"><w:r><w:t>95</w:t></w:r></w:ins><w:r><w:t>%</w:t></w:r><w:moveFrom w:id=\"3\"><w:r><w:t>旧</w:t></w:r></w:moveFrom></w:p>"
            )
        ));
        assert_eq!(texts(&page), [vec!["≥95%"]]);
        assert_eq!(codes(&page), ["I335"]);
        assert!(page.diagnostics[0].message.contains("1 处插入、2 处删除"));
    }

    #[test]
    fn hidden_text_is_left_out_and_content_controls_read_through() {
        let page = read_body(&format!(
            "<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏说明</w:t></w:r></w:p><w:tbl><w:sdt><w:sdtPr><w:alias w:val=\"行\"/></w:sdtPr><w:sdtContent><w:tr><w:sdt><w:sdtPr><w:tag w:val=\"v\"/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>{}</w:tr></w:sdtContent></w:sdt></w:tbl>",
            tc("", &p("满意度")),
            tc(
                "",
                "<w:p><w:sdt><w:sdtPr><w:placeholder><w:docPart w:val=\"x\"/></w:placeholder></w:sdtPr><w:sdtContent><w:r><w:t>≥90%</w:t></w:r></w:sdtContent></w:sdt><w:r><w:rPr><w:vanish w:val=\"true\"/></w:rPr><w:t>（草稿）</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>！</w:t></w:r></w:p>"
            )
        ));
        assert_eq!(texts(&page), [vec!["满意度", "≥90%！"]]);
        assert_eq!(codes(&page), ["I336"]);
        assert!(page.diagnostics[0].message.contains("2 处"));
    }

    #[test]
    fn nested_tables_follow_the_outer_table() {
        let inner = format!(
            "<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
            tc("", &p("一级指标")),
            tc("", &p("二级指标"))
        );
        let page = read_body(&format!(
            "<w:tbl><w:tr>{}{}</w:tr></w:tbl><w:tbl><w:tr>{}</w:tr></w:tbl>",
            tc("", &p("附件")),
            tc("", &format!("{}{inner}<w:p/>", p("项目支出绩效目标表"))),
            tc("", &p("后表")),
        ));
        assert_eq!(
            texts(&page),
            [
                vec!["附件", "项目支出绩效目标表"],
                vec!["一级指标", "二级指标"],
                vec!["后表"],
            ]
        );
        assert_eq!(
            page.grid.rows[1].cells[1].pos,
            Pos::Table {
                table: 2,
                row: 1,
                col: 2
            }
        );
        assert_eq!(
            page.grid.rows[2].cells[0].pos,
            Pos::Table {
                table: 3,
                row: 1,
                col: 1
            }
        );
        assert_eq!(codes(&page), ["I330"]);
        assert_eq!(
            page.diagnostics[0].location.cell.as_deref(),
            Some("表2 第1行第1列")
        );
    }

    #[test]
    fn merge_repairs_are_reported() {
        let page = read_body(&format!(
            "<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
            tc("<w:vMerge/>", &p("无处合并")),
            tc("<w:vMerge w:val=\"restart\"/>", &p("甲")),
            tc("<w:gridSpan w:val=\"x\"/>", &p("乙")),
            tc("<w:vMerge/>", &p("被盖住")),
        ));
        assert_eq!(texts(&page), [vec!["无处合并", "甲"], vec!["乙", ""]]);
        assert_eq!(codes(&page), ["I334", "I332", "I333"]);
    }

    #[test]
    fn legacy_horizontal_merges_are_spans() {
        let page = read_body(&format!(
            "<w:tbl><w:tr>{}{}{}</w:tr></w:tbl>",
            tc("<w:hMerge w:val=\"restart\"/>", &p("项目名称")),
            tc("<w:hMerge/>", "<w:p/>"),
            tc("", &p("城市低保")),
        ));
        assert_eq!(texts(&page), [vec!["项目名称", "", "城市低保"]]);
        assert_eq!(page.grid.rows[0].cells[0].col_span, 2);
        assert_eq!(page.grid.rows[0].cells[1].covered, Some(Covered::Left));
    }

    #[test]
    fn a_document_without_tables_says_so() {
        let page = read_body(&p("关于报送绩效目标的说明"));
        assert_eq!(texts(&page), [vec!["关于报送绩效目标的说明"]]);
        assert_eq!(codes(&page), ["I331"]);
    }

    #[test]
    fn other_namespace_prefixes_and_fallbacks() {
        let xml = format!(
            "<x:document xmlns:x=\"{}\" xmlns:mc=\"{}\"><x:body><x:p><mc:AlternateContent><mc:Choice Requires=\"wps\"><x:r><x:t>甲</x:t></x:r></mc:Choice><mc:Fallback><x:r><x:t>甲</x:t></x:r></mc:Fallback></mc:AlternateContent></x:p></x:body></x:document>",
            WML, MC
        );
        let page = read_document_xml(&xml, None).unwrap();
        assert_eq!(texts(&page), [vec!["甲"]]);
    }

    #[test]
    fn damaged_or_hostile_xml_is_refused() {
        assert!(matches!(
            read_document_xml(
                &wrap_body("<w:tbl><w:tr>").replace("</w:body></w:document>", ""),
                None
            ),
            Err(DocxError::Corrupt(_))
        ));
        assert!(matches!(
            read_document_xml("<w:document><w:body></w:p></w:body></w:document>", None),
            Err(DocxError::Corrupt(_))
        ));
        let deep = format!(
            "{}{}",
            "<w:sdt>".repeat(MAX_DEPTH + 1),
            "</w:sdt>".repeat(MAX_DEPTH + 1)
        );
        assert!(matches!(
            read_document_xml(&wrap_body(&deep), None),
            Err(DocxError::TooLarge(_))
        ));
        let wide = format!(
            "<w:tbl>{}</w:tbl>",
            format!(
                "<w:tr>{}</w:tr>",
                "<w:tc><w:tcPr><w:gridSpan w:val=\"1000\"/></w:tcPr></w:tc>"
            )
            .repeat(2100)
        );
        assert!(matches!(
            read_document_xml(&wrap_body(&wide), None),
            Err(DocxError::TooLarge(_))
        ));
        assert!(matches!(
            read(b"PK\x03\x04word/document.xml", None),
            Err(DocxError::Corrupt(_))
        ));
    }

    #[test]
    fn legacy_binary_formats_are_named() {
        let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        doc.extend("WordDocument".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(legacy(&doc, "a.doc").unwrap().to_string().contains(".doc"));
        assert!(legacy(&doc, "a.WPS").unwrap().to_string().contains(".wps"));
        let mut xls = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        xls.extend("Workbook".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(legacy(&xls, "a.et"), None);
        assert_eq!(legacy(&xls, "a.xls"), None);
        assert_eq!(legacy(b"PK\x03\x04", "a.doc"), None);
    }

    proptest::proptest! {
        /// Any prefix or byte change of a small document gives a page or an error, never a
        /// panic, and never more rows than the XML has characters.
        #[test]
        fn never_panics(cut in 0usize..1200, flip in 0usize..1200, byte in 0u8..128) {
            let body = format!(
                "{}<w:tbl><w:tr>{}{}</w:tr><w:tr>{}{}</w:tr></w:tbl>",
                p("标题"),
                tc("<w:vMerge w:val=\"restart\"/><w:gridSpan w:val=\"2\"/>", &p("一级")),
                tc("", &p("值")),
                tc("<w:vMerge/><w:gridSpan w:val=\"2\"/>", "<w:p/>"),
                tc("", "<w:p><w:ins><w:r><w:t>新</w:t></w:r></w:ins></w:p>"),
            );
            let mut xml = wrap_body(&body).into_bytes();
            if flip < xml.len() {
                xml[flip] = byte;
            }
            xml.truncate(cut.min(xml.len()));
            if let Ok(text) = std::str::from_utf8(&xml)
                && let Ok(page) = read_document_xml(text, None)
            {
                proptest::prop_assert!(page.grid.rows.len() <= text.len());
            }
        }
    }

    /// Empty tables, rows and cells hold nothing but cost work: they are counted as they open,
    /// so a document of millions of them is refused before it is laid out, whatever is in them.
    #[test]
    fn empty_tables_rows_and_cells_count_against_the_limits() {
        let tables = format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            "<w:tbl></w:tbl>".repeat(MAX_TABLES)
        );
        match read_document_xml(&wrap_body(&tables), None) {
            Err(DocxError::TooLarge(why)) => assert!(why.contains("表格"), "{why}"),
            other => panic!("{:?}", other.map(|p| p.grid.rows.len())),
        }
        for element in ["<w:tr/>", "<w:tr><w:tc/></w:tr>"] {
            let rows = format!("<w:tbl>{}</w:tbl>", element.repeat(MAX_SLOTS));
            assert!(matches!(
                read_document_xml(&wrap_body(&rows), None),
                Err(DocxError::TooLarge(_))
            ));
        }
        // Just under the table limit is read.
        let fewer = format!(
            "<w:tbl><w:tr><w:tc>{}</w:tc></w:tr></w:tbl>",
            "<w:tbl></w:tbl>".repeat(100)
        );
        assert!(read_document_xml(&wrap_body(&fewer), None).is_ok());
    }

    /// Where a cell is in a long row of spans is known from the spans added up so far, not
    /// re-summed per cell: the column given to a bad span's warning is still right.
    #[test]
    fn columns_after_spans_are_kept_as_the_row_grows() {
        let row = format!(
            "<w:tbl><w:tr>{}<w:tc><w:tcPr><w:gridSpan w:val=\"x\"/></w:tcPr></w:tc></w:tr></w:tbl>",
            "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr></w:tc>".repeat(3)
        );
        let page = read_document_xml(&wrap_body(&row), Some("a.docx")).unwrap();
        let bad = page.diagnostics.iter().find(|d| d.code == "I334").unwrap();
        assert!(
            bad.location.to_string().contains("第1行第7列"),
            "{}",
            bad.location
        );
    }

    /// An encrypted .docx is a compound file holding `EncryptedPackage`: it is called a
    /// password-protected Word document, not a workbook; the same bytes named .xlsx are left
    /// to the workbook reader.
    #[test]
    fn an_encrypted_docx_is_called_a_protected_word_document() {
        use std::io::Write;
        let mut file = cfb::CompoundFile::create(Cursor::new(Vec::new())).unwrap();
        file.create_stream("/EncryptionInfo").unwrap();
        file.create_stream("/EncryptedPackage")
            .unwrap()
            .write_all(b"x")
            .unwrap();
        file.flush().unwrap();
        let bytes = file.into_inner().into_inner();
        let err = legacy(&bytes, "表.docx").unwrap();
        assert_eq!(err, DocxError::Encrypted);
        assert!(err.to_string().contains("密码保护的 Word 文档"));
        assert_eq!(legacy(&bytes, "表.xlsx"), None);
    }
}
