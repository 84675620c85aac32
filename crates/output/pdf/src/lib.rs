//! The printable PDF: the standard form on A4, set in an embedded Chinese font, for clerks who
//! print the tables and file them.
//!
//! The writer draws the [`jixiao_layout`] tables — the same columns and merges as the XLSX
//! form — itself: cell boxes, text wrapped by Chinese line-breaking rules ([`linebreak`]),
//! merged level-1/level-2 cells as one box with the label centred, the summary table first
//! and each project on a new page, long tables continued with the header row (and the
//! current level-1/level-2 labels) repeated, `第 N 页 共 M 页` at the foot of every page.
//! The font is embedded as a subset of the glyphs used; a character it lacks becomes a `P501`
//! warning naming the character and the cell. The same document gives the same bytes.
//!
//! ```
//! use jixiao_model::{Document, Indicator, Project, Value};
//! use jixiao_pdf::{pdf, Options};
//! let mut p = Project { project_name: "城市低保".into(), year: Some(2022), ..Project::default() };
//! p.indicators.push(Indicator { level1: "产出指标".into(), level2: "数量指标".into(),
//!     level3: "城市低保救助发放人数".into(), value: Value::parse("≥221人"), ..Indicator::default() });
//! let doc = Document { projects: vec![p], ..Document::default() };
//! let out = pdf(&doc, &Options::default()).unwrap();
//! assert!(out.bytes.starts_with(b"%PDF"));
//! assert!(out.diagnostics.is_empty());
//! ```

pub mod font;
pub mod linebreak;
mod render;

pub use font::{Font, FontError};
use jixiao_layout::Template;
use jixiao_model::{Diagnostic, Document};
use printpdf::{FontId, Mm, PdfDocument, PdfFont, PdfPage, PdfSaveOptions};
use render::Renderer;

/// Settings for writing a PDF.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The form layout (columns, merges, margins, sizes, footer).
    pub template: &'a Template,
    /// The font to set the tables in; parse it once and reuse it for every document.
    pub font: &'a Font,
}

impl<'a> Options<'a> {
    /// The standard template set in `font`.
    pub fn with_font(font: &'a Font) -> Self {
        Options {
            template: Template::standard(),
            font,
        }
    }
}

impl Default for Options<'static> {
    fn default() -> Self {
        Options {
            template: Template::standard(),
            font: Font::standard(),
        }
    }
}

/// A written PDF and what went wrong on the way.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Warnings: characters the font lacks (`P501`), problems the PDF library reported
    /// (`P502`, e.g. a font it could not subset and so embedded whole).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why no PDF could be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document has neither a summary nor a project table.
    #[error("文档中没有可输出的表格")]
    Empty,
    /// The PDF library could not serialize the document.
    #[error("无法生成 PDF：{0}")]
    Write(String),
}

/// The title written into the PDF's metadata: the summary's title, else the project's name
/// and the form's title.
pub fn document_title(doc: &Document, template: &Template) -> String {
    if let Some(t) = jixiao_layout::summary(doc, template) {
        return t.title;
    }
    match doc.projects.first() {
        Some(p) => format!("{}{}", p.project_name, template.project.title),
        None => template.project.title.clone(),
    }
}

/// Writes `doc` as a PDF: the summary table (when there is one) and then each project table,
/// each starting on a new page.
///
/// # Examples
///
/// ```
/// # use jixiao_model::{Document, Project};
/// let doc = Document { projects: vec![Project { project_name: "城市低保".into(),
///                                               ..Project::default() }], ..Document::default() };
/// let a = jixiao_pdf::pdf(&doc, &jixiao_pdf::Options::default()).unwrap();
/// let b = jixiao_pdf::pdf(&doc, &jixiao_pdf::Options::default()).unwrap();
/// assert_eq!(a.bytes, b.bytes); // deterministic
/// ```
pub fn pdf(doc: &Document, options: &Options) -> Result<Pdf, PdfError> {
    let template = options.template;
    let mut tables = Vec::new();
    if let Some(t) = jixiao_layout::summary(doc, template) {
        let location = doc
            .summary
            .as_ref()
            .map(|s| s.location.clone())
            .unwrap_or_default();
        tables.push((t, "汇总表".to_string(), location));
    }
    for p in &doc.projects {
        let name = format!("项目“{}”", p.project_name);
        tables.push((
            jixiao_layout::project(p, template),
            name,
            p.location.clone(),
        ));
    }
    if tables.is_empty() {
        return Err(PdfError::Empty);
    }
    let title = document_title(doc, template);

    // Everything that decides the bytes goes into this hash: it names the font subset and
    // becomes the file's /ID, so equal input gives equal output.
    let mut hash = Fnv::default();
    hash.write(title.as_bytes());
    hash.write(options.font.name().as_bytes());
    hash.write(&options.font.parsed().hash.to_le_bytes());
    for (t, _, _) in &tables {
        hash.write(format!("{t:?}").as_bytes());
    }
    let font_id = FontId(format!("{}F1", hash.tag()));

    let mut renderer = Renderer::new(options.font, font_id.clone(), template);
    let mut pages = Vec::new();
    for (table, name, location) in &tables {
        pages.extend(renderer.table(table, name, location));
    }
    renderer.footers(&mut pages, &template.page.footer);
    let g = renderer.geometry;

    let mut pdf = PdfDocument::new(&title);
    pdf.metadata.info.creator = "jixiao".into();
    pdf.metadata.info.producer = "jixiao".into();
    pdf.metadata.info.subject = template.project.title.clone();
    pdf.resources
        .fonts
        .map
        .insert(font_id, PdfFont::new(options.font.parsed().clone()));
    pdf.with_pages(
        pages
            .into_iter()
            .map(|p| PdfPage::new(Mm(g.width), Mm(g.height), p.ops))
            .collect(),
    );
    let save = PdfSaveOptions {
        subset_fonts: true,
        ..PdfSaveOptions::default()
    };
    let mut warnings = Vec::new();
    let mut lo = pdf.to_lopdf_document(&save, &mut warnings);
    // printpdf reports, among others, a font it could not subset (and so embeds whole).
    for w in warnings {
        if w.severity != printpdf::PdfParseErrorSeverity::Info {
            renderer.diagnostics.push(Diagnostic::warning(
                "P502",
                format!("生成 PDF 时出现问题：{}", w.msg),
                Default::default(),
            ));
        }
    }
    let id = lopdf::Object::String(hash.hex().into_bytes(), lopdf::StringFormat::Literal);
    lo.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    compress(&mut lo).map_err(|e| PdfError::Write(e.to_string()))?;
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes)
        .map_err(|e| PdfError::Write(e.to_string()))?;
    Ok(Pdf {
        bytes,
        diagnostics: renderer.diagnostics,
    })
}

/// Deflates every stream not yet compressed, at zlib's default level. lopdf's own
/// `compress` uses the best (slowest) level, which made compression a third of the time to
/// write a PDF for a size gain of about 1 %.
fn compress(doc: &mut lopdf::Document) -> std::io::Result<()> {
    use std::io::Write;
    for object in doc.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object
            && stream.allows_compression
            && stream.dict.get(b"Filter").is_err()
        {
            let mut encoder =
                flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&stream.content)?;
            let compressed = encoder.finish()?;
            if compressed.len() + 19 < stream.content.len() {
                stream.dict.set("Filter", "FlateDecode");
                stream.set_content(compressed);
            }
        }
    }
    Ok(())
}

/// FNV-1a, 64 bits: a stable hash (std's is seeded per process).
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    /// Six capital letters: the subset tag (ISO 32000-1 9.6.4).
    fn tag(&self) -> String {
        let mut x = self.0;
        (0..6)
            .map(|_| {
                let c = char::from(b'A' + (x % 26) as u8);
                x /= 26;
                c
            })
            .collect()
    }

    fn hex(&self) -> String {
        format!(
            "{:016x}{:016x}",
            self.0,
            self.0.rotate_left(29) ^ 0x9e37_79b9_7f4a_7c15
        )
    }
}
