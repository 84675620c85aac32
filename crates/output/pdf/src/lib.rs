//! The printable PDF: the standard form on A4, set in an embedded Chinese font, for clerks who
//! print the tables and file them.
//!
//! The writer draws the [`jixiao_layout`] tables — the same columns and merges as the XLSX
//! form — itself: cell boxes, text wrapped by Chinese line-breaking rules ([`jixiao_layout::linebreak`]),
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
mod render;

pub use font::{Font, FontError};
use jixiao_layout::Template;
use jixiao_model::{Code, Diagnostic, Document};
use krilla::configure::{Archival, ConfigurationBuilder, Validator};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::{Document as PdfDocument, SerializeSettings};
use render::Renderer;

/// Settings for writing a PDF.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The form layout (columns, merges, margins, sizes, footer).
    pub template: &'a Template,
    /// The font to set the tables in; parse it once and reuse it for every document.
    pub font: &'a Font,
    /// Write PDF/A-2b (ISO 19005-2, level B), the archival form: the font embedded, XMP
    /// metadata, an sRGB output intent. On by default: it costs about 3 KB per file. A
    /// document with a character the font lacks cannot be PDF/A (the standard forbids the
    /// `.notdef` glyph) and is written as a plain PDF with a `P503` note.
    pub archival: bool,
}

impl<'a> Options<'a> {
    /// The standard template set in `font`, as PDF/A-2b.
    pub fn with_font(font: &'a Font) -> Self {
        Options {
            template: Template::standard(),
            font,
            archival: true,
        }
    }
}

impl Default for Options<'static> {
    fn default() -> Self {
        Options::with_font(Font::standard())
    }
}

/// A written PDF and what went wrong on the way.
#[derive(Debug, Clone)]
pub struct Pdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Warnings: characters the font lacks (`P501`), a PDF/A file that had to be written as a
    /// plain PDF (`P503`).
    pub diagnostics: Vec<Diagnostic>,
}

/// Why no PDF could be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The document has neither a summary nor a project table.
    #[error("文档中没有可输出的表格")]
    Empty,
    /// The tables could not be laid out on the template's pages.
    #[error("无法排版 PDF：{0}")]
    Layout(String),
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
/// each starting on a new page; PDF/A-2b unless `options.archival` is off.
///
/// The pages are laid out first (so the footer knows the page count), then drawn one at a
/// time into the PDF library, which keeps each page only as its compressed content stream;
/// the font is subset once for the whole document when it is written.
///
/// # Errors
///
/// [`PdfError::Empty`] for a document without tables, [`PdfError::Layout`] when the
/// template leaves no room for a line, [`PdfError::Write`] when the library fails.
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
    template
        .check_sizes()
        .map_err(|e| PdfError::Layout(e.to_string()))?;
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
        tables.push((jixiao_layout::form(p, template), name, p.location.clone()));
    }
    if tables.is_empty() {
        return Err(PdfError::Empty);
    }
    let title = document_title(doc, template);

    let mut renderer = Renderer::new(options.font, template);
    let mut laid = Vec::with_capacity(tables.len());
    for (table, name, location) in &tables {
        laid.push(
            renderer
                .layout(table, name, location)
                .map_err(PdfError::Layout)?,
        );
    }
    renderer.check_footer(&template.page.footer);
    let archival = options.archival && renderer.diagnostics.iter().all(|d| d.code != "P501");
    let mut diagnostics = std::mem::take(&mut renderer.diagnostics);
    if options.archival && !archival {
        diagnostics.push(Diagnostic::new(
            Code::P503,
            "PDF/A-2b 不允许缺字（.notdef 字形），此 PDF 按普通 PDF 输出；请用 --font 指定含这些字的字体"
                .to_string(),
            Default::default(),
        ));
    }
    // PDF/A wants a document date. The clock would make every run's bytes differ, so the
    // date is the form's budget year (1 January): the year the tables are about.
    let year = doc
        .summary
        .as_ref()
        .and_then(|s| s.year)
        .or_else(|| doc.projects.iter().find_map(|p| p.year))
        .and_then(|y| u16::try_from(y).ok())
        .filter(|y| (1900..=9999).contains(y))
        .unwrap_or(2000);
    let date = krilla::metadata::DateTime::new(year).month(1).day(1);
    let write = |archival: bool| -> Result<Vec<u8>, krilla::error::KrillaError> {
        let mut settings = SerializeSettings::default();
        if archival {
            settings.configuration = ConfigurationBuilder::new()
                .set_validator(Validator::A(Archival::A2_B))
                .finish()
                .expect("PDF/A-2b has a PDF version");
        }
        let mut pdf = PdfDocument::new_with(settings);
        pdf.set_metadata(
            Metadata::new()
                .creation_date(date)
                .title(title.clone())
                .description(template.project.title.clone())
                .language("zh-CN".into())
                .creator("jixiao".into())
                .producer("jixiao".into()),
        );
        let g = renderer.geometry;
        let size = PageSettings::from_wh(g.width / render::PT_MM, g.height / render::PT_MM)
            .expect("the template's paper size is positive");
        let total: usize = laid.iter().map(|l| l.pages()).sum();
        let mut number = 0;
        for l in &laid {
            for i in 0..l.pages() {
                number += 1;
                let mut page = pdf.start_page_with(size.clone());
                let mut surface = page.surface();
                renderer.draw_page(&mut surface, l, i);
                renderer.footer(&mut surface, &template.page.footer, number, total);
                surface.finish();
                page.finish();
            }
        }
        pdf.finish()
    };
    let bytes = match write(archival) {
        Ok(bytes) => bytes,
        Err(krilla::error::KrillaError::Validation(errors)) if archival => {
            diagnostics.push(Diagnostic::new(
                Code::P503,
                format!(
                    "无法生成 PDF/A-2b（{}），此 PDF 按普通 PDF 输出",
                    errors
                        .iter()
                        .map(|(e, _)| format!("{e:?}"))
                        .collect::<Vec<_>>()
                        .join("；")
                ),
                Default::default(),
            ));
            write(false).map_err(|e| PdfError::Write(format!("{e:?}")))?
        }
        Err(e) => return Err(PdfError::Write(format!("{e:?}"))),
    };
    Ok(Pdf { bytes, diagnostics })
}
