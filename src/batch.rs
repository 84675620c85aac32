//! Batch conversion of a folder of submissions: every file converted in parallel, outputs
//! mirrored under the output folder, one consolidated county document, and a report of what
//! happened to every file. A bad file never stops the batch.
//!
//! Memory stays bounded by the files in flight: each worker reads, converts and writes one file,
//! and keeps only its projects (the IR, which is small) for the consolidated output.

use crate::fsutil::OutputGuard;
use crate::{Options, OutputFormat, ReadError, render};
use jixiao_grid::text::DecodeError;
use jixiao_model::framework::normalize_label;
use jixiao_model::{Diagnostic, Document, Project, Severity, Summary};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The base name of the consolidated outputs (`全县汇总.xlsx` …).
pub const CONSOLIDATED: &str = "全县汇总";

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar (for a terminal).
    Bar,
    /// A plain line every few seconds (for logs).
    Lines,
    /// Nothing.
    Quiet,
}

/// Settings for a batch.
#[derive(Debug, Clone)]
pub struct BatchOptions<'a> {
    /// Output formats written for every input and for the consolidated document.
    pub formats: Vec<OutputFormat>,
    /// Worker threads; `None` = one per core.
    pub jobs: Option<usize>,
    /// Reader settings.
    pub read: Options<'a>,
    /// Progress display.
    pub progress: Progress,
}

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Converted without warnings.
    Ok,
    /// Converted, with warnings.
    Warnings,
    /// Could not be converted (or lost data).
    Error,
    /// Not a table or not a format we read; left alone.
    Skipped,
}

impl Status {
    /// The word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "成功",
            Status::Warnings => "有警告",
            Status::Error => "失败",
            Status::Skipped => "跳过",
        }
    }
}

/// One input's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    /// The input, relative to the input folder.
    pub file: String,
    /// What happened.
    pub status: Status,
    /// Projects found.
    pub projects: usize,
    /// Indicators found.
    pub indicators: usize,
    /// Error diagnostics.
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
    /// Info diagnostics.
    pub infos: usize,
    /// The first error (or the reason for skipping), in words.
    pub message: Option<String>,
    /// The files written for it, relative to the output folder.
    pub outputs: Vec<String>,
}

/// A project found in more than one input.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    /// 预算单位.
    pub budget_unit: String,
    /// 项目名称.
    pub project_name: String,
    /// The inputs it appears in.
    pub files: Vec<String>,
}

/// Totals over the batch.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Inputs seen.
    pub files: usize,
    /// Converted without warnings.
    pub ok: usize,
    /// Converted with warnings.
    pub warnings: usize,
    /// Failed.
    pub errors: usize,
    /// Skipped.
    pub skipped: usize,
    /// Projects converted.
    pub projects: usize,
    /// Indicators converted.
    pub indicators: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// The whole batch report (`report.json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `jixiao-batch/1`.
    pub schema: &'static str,
    /// Totals.
    pub totals: Totals,
    /// One line per input, in path order.
    pub inputs: Vec<InputReport>,
    /// Projects found in more than one input.
    pub duplicates: Vec<Duplicate>,
    /// The consolidated outputs written, relative to the output folder.
    pub consolidated: Vec<String>,
    /// Problems writing the consolidated outputs.
    pub consolidated_errors: Vec<String>,
}

impl Report {
    /// True when any input failed (or, with `strict`, had warnings).
    pub fn failed(&self, strict: bool) -> bool {
        self.totals.errors > 0
            || (strict && self.totals.warnings > 0)
            || !self.consolidated_errors.is_empty()
    }

    /// The summary printed at the end, in Chinese.
    pub fn summary(&self) -> String {
        let t = &self.totals;
        let mut s = format!(
            "共 {} 个文件：成功 {}，有警告 {}，失败 {}，跳过 {}；共转换 {} 个项目、{} 条指标；用时 {:.1} 秒。\n",
            t.files, t.ok, t.warnings, t.errors, t.skipped, t.projects, t.indicators, t.seconds
        );
        for i in self.inputs.iter().filter(|i| i.status == Status::Error) {
            s.push_str(&format!(
                "  失败：{}：{}\n",
                i.file,
                i.message.as_deref().unwrap_or("")
            ));
        }
        for d in &self.duplicates {
            s.push_str(&format!(
                "  重复项目：{}（{}）出现在 {}\n",
                d.project_name,
                d.budget_unit,
                d.files.join("、")
            ));
        }
        for e in &self.consolidated_errors {
            s.push_str(&format!("  汇总输出失败：{e}\n"));
        }
        s
    }

    /// The report as CSV (one row per input, then a totals row).
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let header = [
            "文件",
            "状态",
            "项目数",
            "指标数",
            "错误",
            "警告",
            "提示",
            "说明",
            "输出",
        ];
        let _ = w.write_record(header);
        for i in &self.inputs {
            let _ = w.write_record([
                i.file.clone(),
                format!("{:?}", i.status).to_lowercase(),
                i.projects.to_string(),
                i.indicators.to_string(),
                i.errors.to_string(),
                i.warnings.to_string(),
                i.infos.to_string(),
                i.message.clone().unwrap_or_default(),
                i.outputs.join(";"),
            ]);
        }
        let t = &self.totals;
        let _ = w.write_record([
            "合计".to_string(),
            format!(
                "ok={} warnings={} error={} skipped={}",
                t.ok, t.warnings, t.errors, t.skipped
            ),
            t.projects.to_string(),
            t.indicators.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// Why a batch could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The input folder cannot be read.
    #[error("无法读取输入目录 {0}：{1}")]
    Input(String, std::io::Error),
    /// The output folder cannot be made.
    #[error("无法创建输出目录 {0}：{1}")]
    Output(String, std::io::Error),
    /// The output folder is the input folder: outputs would land among the inputs.
    #[error("输出目录不能与输入目录相同：{0}")]
    Same(String),
}

/// One input to convert, with where its outputs go.
struct Job {
    path: PathBuf,
    rel: String,
    /// Output path without extension (e.g. `OUT/科室/表1`), unique in the batch.
    base: PathBuf,
}

/// Extensions that promise a table: such a file that cannot be read is an error, not "skipped".
const TABLE_EXTENSIONS: &[&str] = &[
    "md", "markdown", "txt", "json", "xlsx", "xlsm", "xls", "ods", "html", "htm", "csv",
];
const WORKBOOK_EXTENSIONS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Converts every file under `input` into `output`. Returns the report (also written as
/// `report.json` and `report.csv` in `output`).
pub fn run(input: &Path, output: &Path, options: &BatchOptions) -> Result<Report, BatchError> {
    let started = Instant::now();
    let in_canon = input
        .canonicalize()
        .map_err(|e| BatchError::Input(input.display().to_string(), e))?;
    std::fs::create_dir_all(output)
        .map_err(|e| BatchError::Output(output.display().to_string(), e))?;
    let out_canon = output
        .canonicalize()
        .map_err(|e| BatchError::Output(output.display().to_string(), e))?;
    if in_canon == out_canon {
        return Err(BatchError::Same(output.display().to_string()));
    }

    let (jobs, mut skipped, guard) = plan(input, &out_canon, output, &options.formats);
    let total = jobs.len() + skipped.len();
    let progress = ProgressShow::new(options.progress, total as u64);
    progress.advance(skipped.len());

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build();
    let convert_all = || {
        jobs.par_iter()
            .map(|job| {
                let result = convert_one(job, output, options, &guard);
                progress.advance(1);
                result
            })
            .collect::<Vec<_>>()
    };
    let results = match pool {
        Ok(pool) => pool.install(convert_all),
        Err(_) => convert_all(),
    };
    progress.finish();

    let mut inputs: Vec<InputReport> = Vec::with_capacity(total);
    let mut projects: Vec<(String, Project)> = Vec::new();
    let mut summaries: Vec<Summary> = Vec::new();
    for (report, doc) in results {
        if let Some(doc) = doc {
            summaries.extend(doc.summary);
            projects.extend(doc.projects.into_iter().map(|p| (report.file.clone(), p)));
        }
        inputs.push(report);
    }
    inputs.append(&mut skipped);
    inputs.sort_by(|a, b| a.file.cmp(&b.file));

    let duplicates = duplicates(&projects);
    let (consolidated, consolidated_errors) = write_consolidated(
        output,
        &summaries,
        projects,
        &options.formats,
        &options.read,
        &guard,
    );

    let mut totals = Totals {
        files: inputs.len(),
        ..Totals::default()
    };
    for i in &inputs {
        match i.status {
            Status::Ok => totals.ok += 1,
            Status::Warnings => totals.warnings += 1,
            Status::Error => totals.errors += 1,
            Status::Skipped => totals.skipped += 1,
        }
        totals.projects += i.projects;
        totals.indicators += i.indicators;
    }
    totals.seconds = started.elapsed().as_secs_f64();
    let report = Report {
        schema: "jixiao-batch/1",
        totals,
        inputs,
        duplicates,
        consolidated,
        consolidated_errors,
    };

    let mut json = serde_json::to_string_pretty(&report).unwrap_or_default();
    json.push('\n');
    let mut report = report;
    for (name, bytes) in [
        ("report.json", json.into_bytes()),
        ("report.csv", report.to_csv().into_bytes()),
    ] {
        if let Err(e) = guard.write(&output.join(name), &bytes) {
            report.consolidated_errors.push(e.to_string());
        }
    }
    Ok(report)
}

/// Walks the input folder in path order and decides each file's output base name. Files that
/// are plainly not submissions (hidden files, Office lock files) are skipped here.
fn plan(
    input: &Path,
    out_canon: &Path,
    output: &Path,
    formats: &[OutputFormat],
) -> (Vec<Job>, Vec<InputReport>, OutputGuard) {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut skipped_paths = Vec::new();
    let walker = walkdir::WalkDir::new(input)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    for entry in walker.filter_entry(|e| e.path().canonicalize().map_or(true, |c| c != out_canon)) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| relative(p, input)).unwrap_or_default();
                skipped.push(skip(&rel, Status::Error, format!("无法读取：{e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(entry.path(), input);
        let name = entry.file_name().to_string_lossy();
        if name.starts_with("~$") {
            skipped_paths.push(entry.path().to_path_buf());
            skipped.push(skip(&rel, Status::Skipped, "Office 临时锁文件".into()));
        } else if name.starts_with('.') {
            skipped_paths.push(entry.path().to_path_buf());
            skipped.push(skip(&rel, Status::Skipped, "隐藏文件".into()));
        } else {
            files.push((entry.path().to_path_buf(), rel));
        }
    }
    // Every file under the input folder is protected, read or not.
    let guard = OutputGuard::new(files.iter().map(|(p, _)| p).chain(skipped_paths.iter()));

    // Output base names: the input's path without extension; where two inputs in one folder
    // share a stem (表1.xlsx and 表1.md), both keep their extension (表1.xlsx.json, 表1.md.json).
    let mut stems: HashMap<(PathBuf, String), usize> = HashMap::new();
    for (path, _) in &files {
        let (dir, stem) = stem_key(path);
        *stems.entry((dir, stem.to_lowercase())).or_default() += 1;
    }
    // Names are compared without case (Windows and macOS folders ignore it) but written with
    // the input's own case. A name whose output would land on an input (an output folder that
    // holds the input folder) takes a suffix, like a name already used.
    let mut used: HashSet<String> = HashSet::new();
    used.insert(CONSOLIDATED.to_lowercase());
    used.insert("report".into());
    let jobs = files
        .into_iter()
        .map(|(path, rel)| {
            let (dir, stem) = stem_key(&path);
            let rel_dir = Path::new(&rel)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let name = if stems[&(dir, stem.to_lowercase())] > 1 {
                path.file_name()
                    .map_or(stem.clone(), |n| n.to_string_lossy().into_owned())
            } else {
                stem
            };
            let mut candidate = rel_dir.join(&name);
            let mut n = 2;
            while !used.insert(candidate.to_string_lossy().to_lowercase())
                || formats
                    .iter()
                    .any(|f| guard.is_input(&output_path(&output.join(&candidate), *f)))
            {
                candidate = rel_dir.join(format!("{name}-{n}"));
                n += 1;
            }
            Job {
                path,
                rel,
                base: output.join(candidate),
            }
        })
        .collect();
    (jobs, skipped, guard)
}

/// The folder and the stem (as written) of an input.
fn stem_key(path: &Path) -> (PathBuf, String) {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    (dir, stem)
}

/// The output of one format for a base name (`OUT/科室/表1` → `OUT/科室/表1.json`;
/// `OUT/表1.xlsx` → `OUT/表1.xlsx.json`).
fn output_path(base: &Path, format: OutputFormat) -> PathBuf {
    base.with_extension(format!("{}{}", extension_prefix(base), format.extension()))
}

fn relative(path: &Path, base: &Path) -> String {
    path.strip_prefix(base)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn skip(rel: &str, status: Status, message: String) -> InputReport {
    InputReport {
        file: rel.to_string(),
        status,
        projects: 0,
        indicators: 0,
        errors: usize::from(status == Status::Error),
        warnings: 0,
        infos: 0,
        message: Some(message),
        outputs: Vec::new(),
    }
}

/// Reads, converts and writes one input; returns its report line and, when it converted, its
/// document without diagnostics (kept for the consolidated output).
fn convert_one(
    job: &Job,
    output: &Path,
    options: &BatchOptions,
    guard: &OutputGuard,
) -> (InputReport, Option<Document>) {
    let bytes = match std::fs::read(&job.path) {
        Ok(b) => b,
        Err(e) => {
            return (
                skip(&job.rel, Status::Error, format!("无法读取文件：{e}")),
                None,
            );
        }
    };
    let ext = extension(&job.path);
    let promised = TABLE_EXTENSIONS.contains(&ext.as_str());
    let read = catch_unwind(AssertUnwindSafe(|| {
        crate::load(&job.rel, &bytes, &options.read)
    }));
    let mut doc = match read {
        Err(panic) => {
            return (
                skip(
                    &job.rel,
                    Status::Error,
                    format!("读取时程序内部出错（已隔离）：{}", panic_text(&panic)),
                ),
                None,
            );
        }
        Ok(Err(e)) => {
            let status = match &e {
                ReadError::Text(DecodeError::Empty | DecodeError::Blank) => Status::Error,
                ReadError::Text(DecodeError::Binary) if !promised => Status::Skipped,
                ReadError::Unsupported(_) if !promised => Status::Skipped,
                _ => Status::Error,
            };
            let message = if status == Status::Skipped {
                format!("不是可读取的表格格式：{e}")
            } else {
                e.to_string()
            };
            return (skip(&job.rel, status, message), None);
        }
        Ok(Ok(doc)) => doc,
    };
    if crate::is_empty(&doc) {
        let status = if WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
            Status::Error
        } else {
            Status::Skipped
        };
        let why = doc
            .diagnostics
            .iter()
            .find(|d| d.code == "R100")
            .map_or("未找到绩效目标表".into(), |d| d.message.clone());
        let mut r = skip(&job.rel, status, why);
        if status == Status::Error {
            r.errors = 0;
            count(&mut r, &doc.diagnostics);
            r.errors = r.errors.max(1);
        }
        return (r, None);
    }

    let mut writer_diags = Vec::new();
    let mut outputs = Vec::new();
    let mut write_errors = Vec::new();
    for &format in &options.formats {
        let target = output_path(&job.base, format);
        let rendered = catch_unwind(AssertUnwindSafe(|| {
            render(&doc, format, &options.read, &mut writer_diags)
        }));
        let result = match rendered {
            Ok(Ok(bytes)) => guard.write(&target, &bytes).map_err(|e| e.to_string()),
            Ok(Err(e)) => Err(format!("生成 {} 失败：{e}", format.extension())),
            Err(panic) => Err(format!(
                "生成 {} 时程序内部出错（已隔离）：{}",
                format.extension(),
                panic_text(&panic)
            )),
        };
        match result {
            Ok(()) => outputs.push(relative(&target, output)),
            Err(e) => write_errors.push(e),
        }
    }
    doc.diagnostics.extend(writer_diags);

    let mut report = InputReport {
        file: job.rel.clone(),
        status: Status::Ok,
        projects: doc.projects.len(),
        indicators: doc.projects.iter().map(|p| p.indicators.len()).sum(),
        errors: 0,
        warnings: 0,
        infos: 0,
        message: None,
        outputs,
    };
    count(&mut report, &doc.diagnostics);
    report.errors += write_errors.len();
    report.message = write_errors.first().cloned().or_else(|| {
        doc.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
    });
    report.status = if !write_errors.is_empty() || crate::failed(&doc) {
        Status::Error
    } else if report.warnings > 0 {
        Status::Warnings
    } else {
        Status::Ok
    };
    doc.diagnostics = Vec::new();
    (report, Some(doc))
}

/// `表1.xlsx` as a base keeps its `.xlsx` when the extension is added (`表1.xlsx.json`).
fn extension_prefix(base: &Path) -> String {
    base.extension()
        .map(|e| format!("{}.", e.to_string_lossy()))
        .unwrap_or_default()
}

fn count(report: &mut InputReport, diags: &[Diagnostic]) {
    for d in diags {
        match d.severity {
            Severity::Error => report.errors += 1,
            Severity::Warning => report.warnings += 1,
            Severity::Info => report.infos += 1,
        }
    }
}

fn panic_text(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "未知错误".into())
}

fn duplicates(projects: &[(String, Project)]) -> Vec<Duplicate> {
    let mut seen: BTreeMap<(String, String), (String, String, Vec<String>)> = BTreeMap::new();
    for (file, p) in projects {
        let key = (
            normalize_label(&p.budget_unit),
            normalize_label(&p.project_name),
        );
        let entry = seen
            .entry(key)
            .or_insert_with(|| (p.budget_unit.clone(), p.project_name.clone(), Vec::new()));
        if !entry.2.contains(file) {
            entry.2.push(file.clone());
        }
    }
    seen.into_values()
        .filter(|(_, _, files)| files.len() > 1)
        .map(|(budget_unit, project_name, files)| Duplicate {
            budget_unit,
            project_name,
            files,
        })
        .collect()
}

/// The county document: a summary of every project followed by each project's form.
fn write_consolidated(
    output: &Path,
    summaries: &[Summary],
    projects: Vec<(String, Project)>,
    formats: &[OutputFormat],
    options: &crate::Options,
    guard: &OutputGuard,
) -> (Vec<String>, Vec<String>) {
    if projects.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let year = summaries
        .iter()
        .find_map(|s| s.year)
        .or_else(|| projects.iter().find_map(|(_, p)| p.year));
    let region = summaries.iter().find_map(|s| s.region.clone());
    let summary = Summary {
        year,
        region,
        ..Summary::default()
    };
    let doc = Document {
        summary: Some(summary),
        projects: projects.into_iter().map(|(_, p)| p).collect(),
        ..Document::default()
    };
    let mut written = Vec::new();
    let mut errors = Vec::new();
    for &format in formats {
        let target = output.join(format!("{CONSOLIDATED}.{}", format.extension()));
        let mut diags = Vec::new();
        match catch_unwind(AssertUnwindSafe(|| {
            render(&doc, format, options, &mut diags)
        })) {
            Ok(Ok(bytes)) => match guard.write(&target, &bytes) {
                Ok(()) => written.push(relative(&target, output)),
                Err(e) => errors.push(e.to_string()),
            },
            Ok(Err(e)) => errors.push(format!("{}：{e}", relative(&target, output))),
            Err(panic) => errors.push(format!(
                "{}：程序内部出错：{}",
                relative(&target, output),
                panic_text(&panic)
            )),
        }
    }
    (written, errors)
}

/// Progress on a terminal (a bar) or in a log (a line every few seconds).
struct ProgressShow {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
    total: u64,
    done: AtomicUsize,
    last: Mutex<Instant>,
}

impl ProgressShow {
    fn new(mode: Progress, total: u64) -> Self {
        let bar = (mode == Progress::Bar).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} 个文件 {elapsed_precise} 剩余约 {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        ProgressShow {
            bar,
            lines: mode == Progress::Lines,
            total,
            done: AtomicUsize::new(0),
            last: Mutex::new(Instant::now()),
        }
    }

    fn advance(&self, n: usize) {
        if n == 0 {
            return;
        }
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        if self.lines
            && let Ok(mut last) = self.last.lock()
            && last.elapsed() >= Duration::from_secs(2)
        {
            *last = Instant::now();
            eprintln!("已处理 {done}/{} 个文件", self.total);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.lines {
            eprintln!(
                "已处理 {}/{} 个文件",
                self.done.load(Ordering::Relaxed),
                self.total
            );
        }
    }
}
