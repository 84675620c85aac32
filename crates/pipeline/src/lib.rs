//! jixiao: converts performance target tables (项目支出绩效目标表) between the forms they are
//! submitted in and the forms they are filed in.
//!
//! This crate is the pipeline's front door, and every front end (the command line, the page)
//! calls it: [`read`] detects an input's format from its bytes ([`detect`]), hands it to the
//! reader for that format (which produces [`Grid`]s) and runs the recognizer (which produces
//! the IR, a [`Document`]); [`review`] adds the review's findings (`C2xx`); [`render`] writes
//! the document as the JSON contract or as the standard form (XLSX, PDF). [`load`] is read and
//! review; [`convert_bytes`] all three, every output in memory; [`batch`] a whole folder, with
//! the county document and a report; [`fate`] decides what became of each file.
//!
//! The seed example, from Markdown to the JSON contract:
//!
//! ```
//! use jixiao_pipeline::{Options, OutputFormat};
//! let options = Options::default();
//! let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../");
//! let bytes = std::fs::read(format!("{root}fixtures/heshuo-2022.md")).unwrap();
//! // Read: Markdown → Grid (the reader) → Document (the recognizer's passes).
//! let mut doc = jixiao_pipeline::read("fixtures/heshuo-2022.md", &bytes, &options).unwrap();
//! assert_eq!(doc.projects.len(), 5);
//! // Review: the C2xx findings join the reading's diagnostics.
//! jixiao_pipeline::review(&mut doc, &options);
//! // Render: the JSON contract jixiao/1, exactly as the golden file holds it.
//! let json = jixiao_pipeline::render(&doc, OutputFormat::Json, &options, &mut Vec::new()).unwrap();
//! let golden = std::fs::read(format!("{root}fixtures/heshuo-2022.expected.json")).unwrap();
//! assert!(json == golden);
//! ```
//!
//! What a review finds is about the table, not a failure to read it:
//!
//! ```
//! let bytes = "预算单位\t和硕县民政局\t项目名称\t城市低保\n一级指标\t二级指标\t三级指标\t指标值\n\
//!              产出指标\t数量指标\t城市低保救助发放人数\t≥221人\n".as_bytes();
//! let doc = jixiao_pipeline::load("a.md", bytes, &jixiao_pipeline::Options::default()).unwrap();
//! assert_eq!(doc.projects[0].indicators.len(), 1);
//! // The review found no 效益 or 满意度 indicators (C206) and no 项目资金 (C202) …
//! assert!(doc.diagnostics.iter().any(|d| d.code == "C206"));
//! // … which are findings about the table, not a failure to read it.
//! assert!(!jixiao_pipeline::failed(&doc));
//! ```

use jixiao_grid::Grid;
use jixiao_grid::text::{DecodeError, decode};
use jixiao_model::framework::Framework;
use jixiao_model::{Code, Diagnostic, Document, Location, Severity};
use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

pub use jixiao_check as check;
pub use jixiao_model as model;

pub mod batch;
pub mod convert;
pub mod fate;
pub mod format;
pub mod fsutil;
mod shown;
pub mod worker;
pub mod ziping_summary;

pub use convert::{Converted, Output, convert_bytes, convert_file, convert_file_to, load_file};
use format::named_like_workbook;
pub use format::{Format, TABLE_EXTENSIONS, WORKBOOK_EXTENSIONS, detect, extension_of};
pub use shown::shown;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OutputFormat {
    /// The JSON contract `jixiao/1`.
    Json,
    /// The standard form as a print-ready workbook.
    Xlsx,
    /// The standard form as an A4 PDF with an embedded Chinese font.
    Pdf,
}

impl OutputFormat {
    /// Every output format, in the order outputs are written.
    pub const ALL: &[OutputFormat] = &[OutputFormat::Json, OutputFormat::Xlsx, OutputFormat::Pdf];

    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Xlsx => "xlsx",
            OutputFormat::Pdf => "pdf",
        }
    }
}

/// Why an output could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The writer failed.
    #[error("{0}")]
    Writer(String),
    /// The writer panicked; the panic was contained and the other outputs go on.
    #[error("程序内部出错（已隔离）：{0}")]
    Internal(String),
}

/// Renders a document in one output format. Diagnostics from the writer (a sheet name
/// shortened, a character missing from the font) are appended to `diagnostics`.
pub fn render(
    doc: &Document,
    format: OutputFormat,
    options: &Options,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<u8>, RenderError> {
    match format {
        OutputFormat::Json => Ok(jixiao_json::to_string(doc).into_bytes()),
        OutputFormat::Xlsx => {
            // The writer reports its own L40x/X40x codes.
            let written = jixiao_xlsx::write(doc, &options.template)
                .map_err(|e| RenderError::Writer(e.to_string()))?;
            diagnostics.extend(written.diagnostics);
            Ok(written.output)
        }
        OutputFormat::Pdf => {
            diagnostics.extend(jixiao_layout::omitted(doc));
            let font: &jixiao_pdf::Font = match &options.font {
                Some(font) => font,
                None => jixiao_pdf::Font::standard(),
            };
            let pdf_options = jixiao_pdf::Options {
                template: &options.template,
                ..jixiao_pdf::Options::with_font(font)
            };
            let written = jixiao_pdf::pdf(doc, &pdf_options)
                .map_err(|e| RenderError::Writer(e.to_string()))?;
            diagnostics.extend(written.diagnostics);
            Ok(written.bytes)
        }
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
    /// A Word document that cannot be read (corrupt, too large, a binary .doc or .wps).
    #[error("{0}")]
    Docx(#[from] jixiao_docx::DocxError),
    /// A PDF that cannot be read (corrupt, encrypted, too large, a scan without text).
    #[error("{0}")]
    Pdf(#[from] jixiao_pdf_input::PdfError),
    /// A format this version cannot read.
    #[error("{0}")]
    Unsupported(&'static str),
}

/// Settings for reading, reviewing and writing. `Options` owns its data (the built-in
/// framework and form are borrowed from the program, anything loaded is owned), so one value
/// can be kept for a whole run, shared between threads and handed to any front end.
#[derive(Debug, Clone)]
pub struct Options {
    /// The indicator framework used by the recognizer and the review.
    pub framework: Cow<'static, Framework>,
    /// The standard form layout used by the XLSX and PDF writers (with the 自评表's).
    pub template: Cow<'static, jixiao_layout::Template>,
    /// What a 自评表's 分值 add up to, for the review.
    pub weights: Cow<'static, jixiao_check::evaluation::Weights>,
    /// The PDF font; `None` is the embedded one (parsed once per process, when first needed).
    pub font: Option<Arc<jixiao_pdf::Font>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            framework: Cow::Borrowed(Framework::standard()),
            template: Cow::Borrowed(jixiao_layout::Template::standard()),
            weights: Cow::Borrowed(jixiao_check::evaluation::Weights::standard()),
            font: None,
        }
    }
}

/// Why `--template` or `--font` could not be used.
#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    /// The template folder holds none of `framework.toml`, `form.toml`, `ziping.toml`,
    /// `self_evaluation.toml`.
    #[error("模板目录 {0} 中没有 framework.toml、form.toml、ziping.toml 或 self_evaluation.toml")]
    NoTemplate(String),
    /// A template or font file could not be read.
    #[error("无法读取 {0}：{1}")]
    Io(String, String),
    /// A template file is not valid.
    #[error("模板 {0} 有误：{1}")]
    Invalid(String, String),
    /// A font file is not a usable font.
    #[error("字体 {0} 不可用：{1}")]
    Font(String, String),
}

impl OptionsError {
    /// True when the file system failed (as opposed to a file that is there but wrong).
    pub fn is_io(&self) -> bool {
        matches!(self, OptionsError::Io(..))
    }
}

impl Options {
    /// The built-in settings with the templates of `dir` (`--template DIR`): `framework.toml`
    /// (indicator framework), `form.toml` (standard form layout), `ziping.toml` (the 自评表's
    /// layout) and `self_evaluation.toml` (the 自评 weights), each there replacing the built-in
    /// one.
    ///
    /// # Errors
    ///
    /// [`OptionsError::NoTemplate`] when `dir` holds neither file, [`OptionsError::Io`] when
    /// one cannot be read, [`OptionsError::Invalid`] when one is not a valid template.
    pub fn from_template_dir(dir: &Path) -> Result<Options, OptionsError> {
        let mut options = Options::default();
        let (framework, form) = (dir.join("framework.toml"), dir.join("form.toml"));
        let (ziping, weights) = (dir.join("ziping.toml"), dir.join("self_evaluation.toml"));
        let (has_framework, has_form) = (framework.is_file(), form.is_file());
        if !has_framework && !has_form && !ziping.is_file() && !weights.is_file() {
            return Err(OptionsError::NoTemplate(dir.display().to_string()));
        }
        let read = |path: &Path| {
            fsutil::read_text_file(path, fsutil::MAX_INPUT_BYTES)
                .map_err(|e| OptionsError::Io(path.display().to_string(), e.to_string()))
        };
        if has_framework {
            let fw = Framework::from_toml(&read(&framework)?)
                .map_err(|e| OptionsError::Invalid(framework.display().to_string(), e))?;
            options.framework = Cow::Owned(fw);
        }
        if has_form {
            let t = jixiao_layout::Template::from_toml(&read(&form)?)
                .map_err(|e| OptionsError::Invalid(form.display().to_string(), e.to_string()))?;
            options.template = Cow::Owned(t);
        }
        if ziping.is_file() {
            let z = jixiao_layout::ziping::ZipingForm::from_toml(&read(&ziping)?)
                .map_err(|e| OptionsError::Invalid(ziping.display().to_string(), e.to_string()))?;
            options.template = Cow::Owned(options.template.into_owned().with_ziping(z));
        }
        if weights.is_file() {
            let w = jixiao_check::evaluation::Weights::from_toml(&read(&weights)?)
                .map_err(|e| OptionsError::Invalid(weights.display().to_string(), e))?;
            options.weights = Cow::Owned(w);
        }
        Ok(options)
    }

    /// These settings with the PDF font `spec` (`--font PATH[:INDEX]`: a TTF/OTF file, or
    /// face `INDEX` of a TTC collection), read and parsed once for the whole run.
    ///
    /// # Errors
    ///
    /// [`OptionsError::Io`] when the file cannot be read, [`OptionsError::Font`] when it is
    /// not a usable font (or has no Chinese characters).
    pub fn with_font_file(mut self, spec: &str) -> Result<Options, OptionsError> {
        let (path, index) = match spec.rsplit_once(':') {
            Some((p, i))
                if !p.is_empty() && !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()) =>
            {
                let index = i
                    .parse::<usize>()
                    .map_err(|e| OptionsError::Font(spec.to_string(), e.to_string()))?;
                (p, index)
            }
            _ => (spec, 0),
        };
        let bytes = fsutil::read_input(Path::new(path))
            .map_err(|e| OptionsError::Io(path.to_string(), e.to_string()))?;
        let font = jixiao_pdf::Font::from_bytes(&bytes, index)
            .map_err(|e| OptionsError::Font(path.to_string(), e.to_string()))?;
        self.font = Some(Arc::new(font));
        Ok(self)
    }
}

/// Reads one input and reviews it: [`read`], then [`review`].
pub fn load(name: &str, bytes: &[u8], options: &Options) -> Result<Document, ReadError> {
    load_cow(name, Cow::Borrowed(bytes), options)
}

/// [`load`], taking the bytes: a text input's bytes become its text (or are let go once
/// decoded), so a large text is not held twice while it is recognized.
pub fn load_owned(name: &str, bytes: Vec<u8>, options: &Options) -> Result<Document, ReadError> {
    load_cow(name, Cow::Owned(bytes), options)
}

fn load_cow(name: &str, bytes: Cow<'_, [u8]>, options: &Options) -> Result<Document, ReadError> {
    let mut doc = read_cow(name, bytes, options)?;
    review(&mut doc, options);
    Ok(doc)
}

/// Runs the review checks and appends their findings to the document's diagnostics. Findings
/// of an earlier review (`C…` codes, e.g. in a JSON document written by `convert`) are
/// replaced, so reviewing twice reports each finding once.
pub fn review(doc: &mut Document, options: &Options) {
    doc.diagnostics.retain(|d| !d.code.is_review());
    let found = jixiao_check::check(
        doc,
        &jixiao_check::CheckOptions {
            framework: &options.framework,
            weights: &options.weights,
        },
    );
    doc.diagnostics.extend(found);
}

/// Reads one input. `name` is how the user named the file; it goes into every location.
///
/// The format comes from the bytes. The name is only consulted to give a better message when
/// a file named like a workbook (`.xlsx`, `.xls`, `.ods`) holds something else, such as a CSV,
/// and to call a binary Word file `.wps` or `.doc` (both refused: 另存为 .docx). A WPS `.et`
/// that is really an xls or xlsx is read as one. A file named `.pdf` that is not a PDF is
/// refused as one.
pub fn read(name: &str, bytes: &[u8], options: &Options) -> Result<Document, ReadError> {
    read_cow(name, Cow::Borrowed(bytes), options)
}

/// [`read`], with the bytes borrowed or owned: owned bytes of a text are decoded in place
/// ([`jixiao_grid::text::decode_owned`]) and never held beside the text.
fn read_cow(name: &str, input: Cow<'_, [u8]>, options: &Options) -> Result<Document, ReadError> {
    let bytes: &[u8] = &input;
    if let Some(legacy) = jixiao_docx::legacy(bytes, name) {
        return Err(legacy.into());
    }
    let format = detect(bytes);
    if extension_of(name) == "pdf" && format != Format::Pdf {
        return Err(jixiao_pdf_input::PdfError::NotPdf.into());
    }
    if named_like_workbook(name) && !matches!(format, Format::Zip | Format::Cfb | Format::Docx) {
        // jixiao_excel::detect names what the bytes are instead.
        jixiao_excel::detect(bytes)?;
    }
    match format {
        Format::Json => {
            let text = decode(bytes)?;
            let mut doc = jixiao_json::from_str(&text.text)?;
            doc.diagnostics.extend(damage_notes(name, &text));
            Ok(doc)
        }
        Format::Markdown => {
            let decoded = match input {
                Cow::Owned(bytes) => jixiao_grid::text::decode_owned(bytes)?,
                Cow::Borrowed(bytes) => decode(bytes)?,
            };
            // A text may be in any of several shapes: each plausible reading is recognized
            // and the one the form explains best is kept (R130 says when it is not the plain one).
            // Readings are made and recognized one at a time: a large text never has all of
            // its grids in memory at once.
            let mut reader_diags = Vec::new();
            let readings = jixiao_markdown::readings(&decoded.text, Some(name)).map(|r| {
                reader_diags.push(r.page.diagnostics);
                (r.shape, r.page.grid)
            });
            let recognize_options = jixiao_recognize::Options {
                framework: &options.framework,
            };
            let mut choice = jixiao_recognize::score::choose(readings, &recognize_options);
            let mut diags = encoding_note(name, decoded.encoding);
            diags.extend(damage_notes(name, &decoded));
            if let Some(kept) = reader_diags.get_mut(choice.index) {
                diags.append(kept);
            }
            diags.append(&mut choice.document.diagnostics);
            choice.document.diagnostics = diags;
            Ok(choice.document)
        }
        Format::Html => {
            let (decoded, charset_diags) = jixiao_html::decode(bytes, Some(name))?.into_parts();
            let html_options = jixiao_html::Options {
                file: Some(name),
                ..jixiao_html::Options::default()
            };
            let page = jixiao_html::read(&decoded.text, &html_options);
            let mut diags = encoding_note(name, decoded.encoding);
            diags.extend(damage_notes(name, &decoded));
            diags.extend(charset_diags);
            diags.extend(page.diagnostics);
            Ok(recognize(&[page.grid], diags, options))
        }
        Format::Docx => {
            let page = jixiao_docx::read(bytes, Some(name))?;
            Ok(recognize(&[page.grid], page.diagnostics, options))
        }
        Format::Zip | Format::Cfb => {
            // Each sheet is recognized as soon as it is read and its grid let go: a workbook of
            // fifty full sheets never has all their grids in memory at once.
            let recognize_options = jixiao_recognize::Options {
                framework: &options.framework,
            };
            let mut sheets = jixiao_recognize::SheetBySheet::new(&recognize_options);
            let read = jixiao_excel::read_each(bytes, Some(name), |grid| sheets.sheet(&grid))?;
            let mut doc = sheets.finish();
            let mut diags = read.diagnostics;
            diags.append(&mut doc.diagnostics);
            doc.diagnostics = diags;
            Ok(doc)
        }
        Format::Pdf => {
            let page = jixiao_pdf_input::read(bytes, Some(name))?;
            Ok(recognize(&[page.grid], page.diagnostics, options))
        }
        Format::Image(refusal) => Err(ReadError::Unsupported(refusal)),
    }
}

/// I303: the text was not UTF-8.
fn encoding_note(name: &str, encoding: &str) -> Vec<Diagnostic> {
    if encoding == "UTF-8" {
        return Vec::new();
    }
    vec![Diagnostic::new(
        Code::I303,
        format!("文件编码为 {encoding}，已转换为 UTF-8 读取"),
        Location::file(name),
    )]
}

/// I304: bytes that were not valid in the file's encoding (a file cut inside a character, a
/// stray 0xFF or NUL) were read as U+FFFD, one warning per place.
fn damage_notes(name: &str, decoded: &jixiao_grid::text::Decoded) -> Vec<Diagnostic> {
    decoded
        .damage
        .iter()
        .map(|d| {
            Diagnostic::new(
                Code::I304,
                format!(
                    "第 {} 行第 {} 列有无法按 {} 解码的字节（{}，文件可能被截断或损坏），已替换为 U+FFFD（�），请核对原件",
                    d.line,
                    d.column,
                    decoded.encoding,
                    d.hex()
                ),
                Location::line(Some(name), d.line, d.column),
            )
        })
        .collect()
}

fn recognize(grids: &[Grid], mut diags: Vec<Diagnostic>, options: &Options) -> Document {
    let mut doc = jixiao_recognize::recognize(
        grids,
        &jixiao_recognize::Options {
            framework: &options.framework,
        },
    );
    diags.append(&mut doc.diagnostics);
    doc.diagnostics = diags;
    doc
}

/// True when reading lost data: an error from the reader or recognizer (I…/R… codes), such as
/// "no table found" or "no 指标值 column". Review findings (C…) do not count.
pub fn failed(doc: &Document) -> bool {
    doc.diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && (d.code.is_recognize() || d.code.is_read()))
}

/// True when the document holds no table at all.
pub fn is_empty(doc: &Document) -> bool {
    doc.projects.is_empty() && doc.summary.is_none()
}

/// Every diagnostic code as `jixiao rules` prints it, family by family (reading, recognition,
/// review, writers): code, severity and title, then what it means and an example, in Chinese.
/// The text comes from the registry (`jixiao_model::registry`).
///
/// ```
/// let text = jixiao_pipeline::rules_text();
/// assert!(text.contains("\nC201  错误  项目资金合计不符\n"));
/// assert!(text.contains("\nR101  警告  "));
/// ```
pub fn rules_text() -> String {
    jixiao_model::registry::rules_text()
}
