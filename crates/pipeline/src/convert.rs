//! Converting one input: the one pipeline every front end uses (`jixiao convert`,
//! `jixiao batch`, the web page).
//!
//! It comes in two halves so that a front end that keeps everything in memory (the web page)
//! and one that writes files (the command line) share the same work:
//!
//! 1. [`convert_bytes`] (or [`convert_file`], which reads the file first with the input
//!    limits of [`crate::fsutil`]): read → recognize → review → render every output format,
//!    all in memory, each output with its own diagnostics. A panic anywhere is contained and
//!    reported; it never takes the caller down.
//! 2. [`Converted::write`]: every rendered output to `BASE.<format>` through an
//!    [`OutputGuard`] (atomic, never over an input, never twice in a run).
//!
//! [`OutputNames`] is the one naming rule for where the outputs of a run's inputs go.
//!
//! ```
//! use jixiao_pipeline::{OutputFormat, Options};
//! let bytes = "预算单位\t和硕县民政局\t项目名称\t城市低保\n一级指标\t二级指标\t三级指标\t指标值\n\
//!              产出指标\t数量指标\t城市低保救助发放人数\t≥221人\n".as_bytes();
//! let converted =
//!     jixiao_pipeline::convert_bytes("a.md", bytes, &[OutputFormat::Json], &Options::default()).unwrap();
//! assert_eq!(converted.document.projects.len(), 1);
//! let json = &converted.outputs[0];
//! assert_eq!(json.format, OutputFormat::Json);
//! assert!(json.bytes.as_ref().unwrap().starts_with(b"{"));
//! ```

use crate::fsutil::{InputError, OutputGuard};
use crate::{Options, OutputFormat, ReadError, RenderError};
use jixiao_model::{Diagnostic, Document};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// One output format of one input, rendered in memory.
#[derive(Debug)]
pub struct Output {
    /// The format.
    pub format: OutputFormat,
    /// The file's bytes, or why the writer could not produce them.
    pub bytes: Result<Vec<u8>, RenderError>,
    /// What the writer reported (a sheet name shortened, a character missing from the font,
    /// a row the form has no room for).
    pub diagnostics: Vec<Diagnostic>,
}

/// One input converted in memory: its document and every output format asked for.
#[derive(Debug)]
pub struct Converted {
    /// The document, with the diagnostics of reading, recognizing and reviewing.
    pub document: Document,
    /// One entry per output format asked for, in the order asked; empty when the document
    /// holds no table at all ([`crate::is_empty`]): there is nothing to write.
    pub outputs: Vec<Output>,
}

/// Where one output went (see [`Converted::write`]).
#[derive(Debug)]
pub struct Written {
    /// The format.
    pub format: OutputFormat,
    /// The path it was (or would have been) written to.
    pub path: PathBuf,
    /// `Err` with the reason in Chinese when it was not written (the writer failed, the
    /// guard refused the path, or the file system failed).
    pub result: Result<(), String>,
}

/// Why an input could not be converted at all.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The file could not be read (missing, a folder, a FIFO, too large …).
    #[error("{0}")]
    Input(#[from] InputError),
    /// The bytes could not be read as a table.
    #[error("{0}")]
    Read(#[from] ReadError),
    /// The reader or recognizer panicked; the panic was contained.
    #[error("读取时程序内部出错（已隔离）：{0}")]
    Internal(String),
}

impl ConvertError {
    /// True when the input is plainly not a table at all (binary that is not a workbook, a
    /// PDF): a front end that walks a folder may skip such a file when its name does not
    /// promise a table.
    pub fn not_a_table(&self) -> bool {
        matches!(
            self,
            ConvertError::Read(
                ReadError::Text(jixiao_grid::text::DecodeError::Binary) | ReadError::Unsupported(_)
            )
        )
    }

    /// True when the file system failed (as opposed to an input that is there but unusable).
    pub fn is_io(&self) -> bool {
        matches!(self, ConvertError::Input(e) if e.is_io())
    }
}

/// Reads the file at `path` (with the limits of [`crate::fsutil::read_input`]: no folder,
/// FIFO or device, at most [`crate::fsutil::MAX_INPUT_BYTES`]) and converts it with
/// [`convert_bytes`]. `name` is how the file is named in diagnostics.
///
/// # Errors
///
/// [`ConvertError::Input`] when the file cannot be read, otherwise as [`convert_bytes`].
pub fn convert_file(
    path: &Path,
    name: &str,
    formats: &[OutputFormat],
    options: &Options,
) -> Result<Converted, ConvertError> {
    let document = load_file(path, name, options)?;
    Ok(Converted::render(document, formats, options))
}

/// Reads the file at `path` as [`convert_file`] does and writes each of `formats` to
/// [`output_path`]`(base, format)` through `guard` as soon as it is rendered, letting its
/// bytes go before the next is rendered (and the input's bytes before the first): at most one
/// output is held at a time. Returns what [`Converted::write_each`] returns.
///
/// # Errors
///
/// As [`convert_file`].
pub fn convert_file_to(
    path: &Path,
    name: &str,
    formats: &[OutputFormat],
    options: &Options,
    base: &Path,
    guard: &OutputGuard,
) -> Result<(Converted, Vec<Written>), ConvertError> {
    let document = load_file(path, name, options)?;
    Ok(Converted::write_each(
        document, formats, options, base, guard,
    ))
}

/// Reads the file at `path` as [`convert_file`] does, and returns its document (read,
/// recognized and reviewed, its diagnostics bounded per code) without rendering it. The
/// input's bytes are let go before it returns.
///
/// # Errors
///
/// As [`convert_file`].
pub fn load_file(path: &Path, name: &str, options: &Options) -> Result<Document, ConvertError> {
    let bytes = crate::fsutil::read_input(path)?;
    load_bytes(name, Cow::Owned(bytes), options)
}

/// Converts one input's bytes: [`crate::load`] (read, recognize, review), then renders each of
/// `formats` in memory ([`Converted::render`]). Diagnostics of one code are listed at their
/// first [`jixiao_model::diagnostic::MAX_PER_CODE`] places, then counted. `name` is how the user named the input; it
/// goes into every location and decides nothing but messages.
///
/// # Errors
///
/// [`ConvertError::Read`] when the bytes are not a table this version reads (empty, binary,
/// a damaged workbook, a PDF …); [`ConvertError::Internal`] when reading panicked.
pub fn convert_bytes(
    name: &str,
    bytes: &[u8],
    formats: &[OutputFormat],
    options: &Options,
) -> Result<Converted, ConvertError> {
    let document = load_bytes(name, Cow::Borrowed(bytes), options)?;
    Ok(Converted::render(document, formats, options))
}

/// The first half of [`convert_bytes`]: the document, its diagnostics bounded per code.
/// Owned bytes are handed on ([`crate::load_owned`]): a text's bytes become its text.
fn load_bytes(
    name: &str,
    bytes: Cow<'_, [u8]>,
    options: &Options,
) -> Result<Document, ConvertError> {
    let mut document = catch_unwind(AssertUnwindSafe(|| match bytes {
        Cow::Owned(bytes) => crate::load_owned(name, bytes, options),
        Cow::Borrowed(bytes) => crate::load(name, bytes, options),
    }))
    .map_err(|panic| ConvertError::Internal(panic_text(&*panic)))??;
    // One finding repeated over and over (a file of millions of empty nested tables) is
    // listed at its first places and counted, so every front end gets a bounded answer.
    document.diagnostics = jixiao_model::diagnostic::bound_per_code(
        std::mem::take(&mut document.diagnostics),
        jixiao_model::diagnostic::MAX_PER_CODE,
    );
    Ok(document)
}

/// Renders `document` in `format`; a writer that fails or panics fails this output only.
pub(crate) fn render_one(document: &Document, format: OutputFormat, options: &Options) -> Output {
    let mut diagnostics = Vec::new();
    let bytes = catch_unwind(AssertUnwindSafe(|| {
        crate::render(document, format, options, &mut diagnostics)
    }))
    .unwrap_or_else(|panic| Err(RenderError::Internal(panic_text(&*panic))));
    Output {
        format,
        bytes,
        diagnostics: jixiao_model::diagnostic::bound_per_code(
            diagnostics,
            jixiao_model::diagnostic::MAX_PER_CODE,
        ),
    }
}

impl Converted {
    /// Renders `document` in each of `formats` (nothing when it holds no table). A writer
    /// that fails or panics fails its own output only.
    pub fn render(document: Document, formats: &[OutputFormat], options: &Options) -> Converted {
        let outputs = if crate::is_empty(&document) {
            Vec::new()
        } else {
            formats
                .iter()
                .map(|&format| render_one(&document, format, options))
                .collect()
        };
        Converted { document, outputs }
    }

    /// Renders `document` in each of `formats` (nothing when it holds no table) and writes
    /// each output as [`Converted::write`] does as soon as it is rendered, letting its bytes go
    /// before the next is rendered: at most one output is held at a time. The outputs of the
    /// returned [`Converted`] keep their diagnostics and errors, but not their bytes (each is
    /// `Ok` and empty once written, or written in vain); the [`Written`] entries say where each
    /// went.
    pub fn write_each(
        document: Document,
        formats: &[OutputFormat],
        options: &Options,
        base: &Path,
        guard: &OutputGuard,
    ) -> (Converted, Vec<Written>) {
        let mut converted = Converted {
            document,
            outputs: Vec::new(),
        };
        let mut written = Vec::new();
        if crate::is_empty(&converted.document) {
            return (converted, written);
        }
        for &format in formats {
            if format == OutputFormat::Json {
                // The JSON goes to its temporary file as it is serialized: a large document's
                // JSON (tens of megabytes for thousands of projects) is never held whole.
                let (output, done) = stream_json(&converted.document, base, guard);
                converted.outputs.push(output);
                written.push(done);
                continue;
            }
            if format == OutputFormat::Xlsx {
                // The workbook's zip goes to its temporary file as it is packed, not into a
                // buffer beside the worksheets it is packed from.
                let (output, done) = stream_xlsx(&converted.document, options, base, guard);
                converted.outputs.push(output);
                written.push(done);
                continue;
            }
            let mut output = render_one(&converted.document, format, options);
            written.push(write_output(&output, base, guard));
            if let Ok(bytes) = &mut output.bytes {
                *bytes = Vec::new();
            }
            converted.outputs.push(output);
        }
        (converted, written)
    }

    /// Every diagnostic: the document's, then each output's.
    pub fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.document
            .diagnostics
            .iter()
            .chain(self.outputs.iter().flat_map(|o| o.diagnostics.iter()))
    }

    /// True when reading lost data ([`crate::failed`]) or an output could not be rendered.
    pub fn failed(&self) -> bool {
        crate::failed(&self.document) || self.outputs.iter().any(|o| o.bytes.is_err())
    }

    /// Writes every rendered output to [`output_path`]`(base, format)` through `guard`.
    /// Returns one entry per output, in order; an output that failed to render is reported
    /// (`Err`) and nothing is written for it.
    pub fn write(&self, base: &Path, guard: &OutputGuard) -> Vec<Written> {
        self.outputs
            .iter()
            .map(|o| write_output(o, base, guard))
            .collect()
    }
}

/// Writes `document` as JSON to [`output_path`]`(base, Json)` through `guard`, serialized
/// straight into the temporary file ([`OutputGuard::write_with`]); the same bytes as
/// [`crate::render`] gives. A panic while serializing fails this output only (nothing is left
/// behind). The [`Output`] has no bytes: they are in the file.
fn stream_json(document: &Document, base: &Path, guard: &OutputGuard) -> (Output, Written) {
    let format = OutputFormat::Json;
    let path = output_path(base, format);
    let (bytes, result) = match catch_unwind(AssertUnwindSafe(|| {
        guard.write_with(&path, |out| jixiao_json::to_writer(out, document))
    })) {
        Ok(done) => (Ok(Vec::new()), done.map_err(|e| e.to_string())),
        Err(panic) => {
            let e = RenderError::Internal(panic_text(&*panic));
            let said = format!("无法生成 {}：{e}", format.extension());
            (Err(e), Err(said))
        }
    };
    let output = Output {
        format,
        bytes,
        diagnostics: Vec::new(),
    };
    (
        output,
        Written {
            format,
            path,
            result,
        },
    )
}

/// Writes `document` as XLSX to [`output_path`]`(base, Xlsx)` through `guard`, the zip
/// written straight into the temporary file ([`jixiao_xlsx::write_to`]); the same bytes as
/// [`crate::render`] gives. A writer that fails or panics fails this output only (nothing is
/// left behind), as [`render_one`] says. The [`Output`] has the writer's diagnostics and no
/// bytes: they are in the file.
fn stream_xlsx(
    document: &Document,
    options: &Options,
    base: &Path,
    guard: &OutputGuard,
) -> (Output, Written) {
    let format = OutputFormat::Xlsx;
    let path = output_path(base, format);
    // The writer's own outcome, apart from the file system's: a refusal of the writer is
    // reported as render_one reports it.
    let mut rendered: Option<Result<Vec<Diagnostic>, RenderError>> = None;
    let done = catch_unwind(AssertUnwindSafe(|| {
        guard.write_with(&path, |out| {
            match jixiao_xlsx::write_to(document, &options.template, out) {
                Ok(written) => {
                    rendered = Some(Ok(written.diagnostics));
                    Ok(())
                }
                // The file failing under the writer (a full disk) is a failed write, as when
                // the bytes were written after they were rendered.
                Err(e) if e.io().is_some() => {
                    rendered = Some(Ok(Vec::new()));
                    Err(e.io().map_or_else(
                        || std::io::Error::other(e.to_string()),
                        |io| std::io::Error::new(io.kind(), io.to_string()),
                    ))
                }
                Err(e) => {
                    let said = e.to_string();
                    rendered = Some(Err(RenderError::Writer(said.clone())));
                    Err(std::io::Error::other(said))
                }
            }
        })
    }));
    let (bytes, diagnostics, result) = match (done, rendered) {
        (Err(panic), _) => {
            let e = RenderError::Internal(panic_text(&*panic));
            let said = format!("无法生成 {}：{e}", format.extension());
            (Err(e), Vec::new(), Err(said))
        }
        (Ok(_), Some(Err(e))) => {
            let said = format!("无法生成 {}：{e}", format.extension());
            (Err(e), Vec::new(), Err(said))
        }
        (Ok(done), Some(Ok(diagnostics))) => {
            (Ok(Vec::new()), diagnostics, done.map_err(|e| e.to_string()))
        }
        // The guard refused the path before the writer ran: rendered in memory all the same,
        // for the writer's diagnostics and errors, as when the bytes were written after.
        (Ok(done), None) => {
            let Output {
                bytes, diagnostics, ..
            } = render_one(document, format, options);
            match bytes {
                Ok(_) => (Ok(Vec::new()), diagnostics, done.map_err(|e| e.to_string())),
                Err(e) => {
                    let said = format!("无法生成 {}：{e}", format.extension());
                    (Err(e), diagnostics, Err(said))
                }
            }
        }
    };
    let output = Output {
        format,
        bytes,
        diagnostics: jixiao_model::diagnostic::bound_per_code(
            diagnostics,
            jixiao_model::diagnostic::MAX_PER_CODE,
        ),
    };
    (
        output,
        Written {
            format,
            path,
            result,
        },
    )
}

/// Writes one rendered output to [`output_path`]`(base, format)` through `guard`.
fn write_output(o: &Output, base: &Path, guard: &OutputGuard) -> Written {
    let path = output_path(base, o.format);
    let result = match &o.bytes {
        Ok(bytes) => guard.write(&path, bytes).map_err(|e| e.to_string()),
        Err(e) => Err(format!("无法生成 {}：{e}", o.format.extension())),
    };
    Written {
        format: o.format,
        path,
        result,
    }
}

/// The file of one format for an output base: `OUT/科室/表1` → `OUT/科室/表1.json`. The
/// extension is appended, never substituted: `OUT/表1.xlsx` → `OUT/表1.xlsx.json`, and
/// `OUT/a.b` → `OUT/a.b.json`.
pub fn output_path(base: &Path, format: OutputFormat) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(".");
    name.push(format.extension());
    PathBuf::from(name)
}

/// The naming rule for the outputs of a run, the same for `convert` and `batch`:
///
/// - An input's outputs are named after it, in its own case: `表1.md` → `表1.json`, in the
///   output folder (`convert`) or in the folder mirroring its own (`batch`: `科室/表1.md` →
///   `OUT/科室/表1.json`).
/// - Where inputs that would share a name there differ by extension (`表1.md`, `表1.xlsx`),
///   each keeps its extension: `表1.md.json`, `表1.xlsx.json`.
/// - Any name still taken in the run (compared without case, as Windows and macOS folders
///   do), reserved by the run (`report`, `全县汇总`), or whose output would land on an input
///   gets the first free suffix: `表1-2.json`, `表1-3.json` …
#[derive(Debug)]
pub struct OutputNames<'g> {
    output: PathBuf,
    formats: Vec<OutputFormat>,
    guard: &'g OutputGuard,
    used: HashSet<String>,
    /// For a name given more than once, the suffix to try next (`表1` → 3 after `表1-2`).
    next: HashMap<String, usize>,
    /// (folder, lower-case stem) → the lower-case extensions of the inputs named so.
    stems: HashMap<(PathBuf, String), HashSet<String>>,
}

impl<'g> OutputNames<'g> {
    /// The names for a run whose inputs are `inputs` (each: the input file and the folder,
    /// relative to `output`, its outputs go in), writing `formats` under `output`; `reserved`
    /// are names (without extension) the run writes itself in `output`.
    pub fn new<'a>(
        output: &Path,
        inputs: impl IntoIterator<Item = (&'a Path, &'a Path)>,
        formats: &[OutputFormat],
        guard: &'g OutputGuard,
        reserved: &[&str],
    ) -> Self {
        let mut stems: HashMap<(PathBuf, String), HashSet<String>> = HashMap::new();
        for (input, folder) in inputs {
            let (stem, ext) = stem_and_extension(input);
            stems
                .entry((folder.to_path_buf(), stem.to_lowercase()))
                .or_default()
                .insert(ext.to_lowercase());
        }
        OutputNames {
            output: output.to_path_buf(),
            formats: formats.to_vec(),
            guard,
            used: reserved.iter().map(|r| r.to_lowercase()).collect(),
            next: HashMap::new(),
            stems,
        }
    }

    /// The output base (the path without the format's extension, see [`output_path`]) for
    /// `input`, whose outputs go in `folder` (relative to the output folder). Call it once per
    /// input, in a fixed order, so the names are deterministic.
    pub fn base(&mut self, input: &Path, folder: &Path) -> PathBuf {
        let (stem, ext) = stem_and_extension(input);
        let shared = self
            .stems
            .get(&(folder.to_path_buf(), stem.to_lowercase()))
            .is_some_and(|exts| exts.len() > 1);
        let name = if shared && !ext.is_empty() {
            format!("{stem}.{ext}")
        } else {
            stem
        };
        let mut candidate = folder.join(&name);
        if self.free(&candidate) {
            return self.output.join(candidate);
        }
        let key = candidate.to_string_lossy().to_lowercase();
        let mut n = self.next.get(&key).copied().unwrap_or(2);
        loop {
            candidate = folder.join(format!("{name}-{n}"));
            n += 1;
            if self.free(&candidate) {
                break;
            }
        }
        self.next.insert(key, n);
        self.output.join(candidate)
    }

    /// The base of an output the run writes itself in the output folder (`report` for
    /// `report.json` and `report.csv`, `全县汇总`), with `extensions` the files it writes: `name`,
    /// or the first free `name-2`, `name-3` … when a file it would write is protected (an input,
    /// or a file that was there before the run). Call it before naming any input, so that an
    /// input never takes the name.
    pub fn reserve(&mut self, name: &str, extensions: &[&str]) -> PathBuf {
        let mut candidate = name.to_string();
        let mut n = 2;
        while !self.take(Path::new(&candidate), extensions) {
            candidate = format!("{name}-{n}");
            n += 1;
        }
        self.output.join(candidate)
    }

    /// Takes `candidate` (relative) when nothing in the run has it and none of its outputs
    /// would land on an input.
    fn free(&mut self, candidate: &Path) -> bool {
        let extensions: Vec<&'static str> = self.formats.iter().map(|f| f.extension()).collect();
        self.take(candidate, &extensions)
    }

    /// Takes `candidate` (relative) when nothing in the run has it and none of its files
    /// (`candidate.<extension>`) is protected by the guard.
    fn take(&mut self, candidate: &Path, extensions: &[&str]) -> bool {
        let key = candidate.to_string_lossy().to_lowercase();
        if self.used.contains(&key) {
            return false;
        }
        let base = self.output.join(candidate);
        if extensions.iter().any(|ext| {
            let mut name = base.as_os_str().to_owned();
            name.push(".");
            name.push(ext);
            self.guard.is_protected(Path::new(&name))
        }) {
            return false;
        }
        self.used.insert(key)
    }
}

/// `表1.md` → (`表1`, `md`); `README` → (`README`, ``).
fn stem_and_extension(path: &Path) -> (String, String) {
    let stem = path
        .file_stem()
        .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    (stem, ext)
}

/// The message of a contained panic.
pub(crate) fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "未知错误".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(inputs: &[(&str, &str)]) -> Vec<String> {
        let guard = OutputGuard::default();
        let inputs: Vec<(PathBuf, PathBuf)> = inputs
            .iter()
            .map(|(i, f)| (PathBuf::from(i), PathBuf::from(f)))
            .collect();
        let mut names = OutputNames::new(
            Path::new("out"),
            inputs.iter().map(|(i, f)| (i.as_path(), f.as_path())),
            &[OutputFormat::Json],
            &guard,
            &["report", "全县汇总"],
        );
        inputs
            .iter()
            .map(|(i, f)| {
                output_path(&names.base(i, f), OutputFormat::Json)
                    .to_string_lossy()
                    .into_owned()
            })
            .collect()
    }

    #[test]
    fn names_follow_the_input_and_keep_its_case() {
        assert_eq!(
            names(&[("in/Dept/ProjectA.md", "Dept"), ("in/a.b.md", "")]),
            ["out/Dept/ProjectA.json", "out/a.b.json"]
        );
    }

    #[test]
    fn same_stems_keep_their_extension_and_same_names_take_a_suffix() {
        assert_eq!(
            names(&[
                ("in/表1.md", ""),
                ("in/表1.XLSX", ""),
                ("a/table.md", ""),
                ("b/table.md", ""),
                ("b/TABLE.md", ""),
            ]),
            [
                "out/表1.md.json",
                "out/表1.XLSX.json",
                "out/table.json",
                "out/table-2.json",
                "out/TABLE-3.json",
            ]
        );
    }

    #[test]
    fn reserved_names_are_never_given_to_an_input() {
        assert_eq!(
            names(&[
                ("in/report.md", ""),
                ("in/全县汇总.md", ""),
                ("in/x/report.md", "x")
            ]),
            [
                "out/report-2.json",
                "out/全县汇总-2.json",
                "out/x/report.json"
            ]
        );
    }

    #[test]
    fn a_panicking_input_is_an_error_not_a_crash() {
        let text = panic_text(&*std::panic::catch_unwind(|| panic!("boom")).unwrap_err());
        assert_eq!(text, "boom");
    }
}
