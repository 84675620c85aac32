//! Batch conversion of a folder of submissions: every file converted in parallel, outputs
//! mirrored under the output folder, one consolidated county document, and a report of what
//! happened to every file. A bad file never stops the batch.
//!
//! Memory stays bounded by the files in flight: each worker reads, converts and writes one file,
//! and keeps only its projects (the IR, which is small) for the consolidated output.

use crate::convert::{Converted, OutputNames};
use crate::fsutil::OutputGuard;
use crate::worker::{NotConverted, WorkerCommand, Workers};
use crate::{Options, OutputFormat};
use jixiao_model::identity::{group_projects, identifiable};
use jixiao_model::{Diagnostic, Document, Project, Severity, Summary, SummaryRow};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
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
pub struct BatchOptions {
    /// Output formats written for every input and for the consolidated document.
    pub formats: Vec<OutputFormat>,
    /// Worker threads; `None` = one per core.
    pub jobs: Option<usize>,
    /// Reader settings.
    pub read: Options,
    /// Progress display.
    pub progress: Progress,
    /// Convert each file in a child process started with this command (see
    /// [`crate::worker`]), so that a file that kills its process fails alone; `None` converts
    /// in this process (a panic is still contained, an abort is not).
    pub workers: Option<WorkerCommand>,
    /// Set (by a signal handler, say) to stop the batch: files not started are not converted,
    /// files in worker processes are stopped, and the report of what was done is written,
    /// each file not finished marked [`INTERRUPTED`].
    pub stop: Arc<AtomicBool>,
}

/// The report's message for a file the batch did not finish because it was stopped.
pub const INTERRUPTED: &str =
    "批量转换被中断（收到终止信号），此文件未转换完成；请重新运行批量转换";

impl Default for BatchOptions {
    /// JSON only, one thread per core, the built-in templates, no progress display, in
    /// this process.
    fn default() -> Self {
        BatchOptions {
            formats: vec![OutputFormat::Json],
            jobs: None,
            read: Options::default(),
            progress: Progress::Quiet,
            workers: None,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }
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

/// A project found more than once (in several inputs, or twice in one), by the identity rule
/// of [`jixiao_model::identity`]: the county document lists it once, from the first copy.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    /// 预算单位, as the first copy writes it.
    pub budget_unit: String,
    /// 项目名称, as the first copy writes it.
    pub project_name: String,
    /// The inputs it appears in, the one the county document took it from first.
    pub files: Vec<String>,
    /// True when a copy differs from the first in any field.
    pub differs: bool,
    /// Where the copies differ from the first, one line per difference, in Chinese
    /// (`民政局/表.md：年度资金总额为“12.60”，民政局/补报.md 为“13.00”`).
    pub differences: Vec<String>,
}

/// A project whose 项目名称 or 预算单位 was not read: the county document lists it on a row of
/// its own (never merged with another), and its file's line counts it as an error to fix.
#[derive(Debug, Clone, Serialize)]
pub struct Unidentified {
    /// The input it comes from, relative to the input folder.
    pub file: String,
    /// Where its table starts in that input (`表.md:12`, `表.xlsx:Sheet1!A3`).
    pub location: String,
    /// 预算单位, as read (may be blank).
    pub budget_unit: String,
    /// 项目名称, as read (may be blank).
    pub project_name: String,
}

impl Unidentified {
    fn new(file: &str, project: &Project) -> Self {
        Unidentified {
            file: file.to_string(),
            location: project.location.to_string(),
            budget_unit: project.budget_unit.clone(),
            project_name: project.project_name.clone(),
        }
    }

    /// What is missing, in words: `项目名称`, `预算单位` or `项目名称和预算单位`.
    fn missing(&self) -> &'static str {
        match (
            jixiao_model::identity::project_key(&self.project_name).is_empty(),
            jixiao_model::framework::normalize_label(&self.budget_unit).is_empty(),
        ) {
            (true, true) => "项目名称和预算单位",
            (true, false) => "项目名称",
            _ => "预算单位",
        }
    }

    /// The line of the summary and the county document's 备注.
    fn describe(&self) -> String {
        let known = [&self.project_name, &self.budget_unit]
            .into_iter()
            .find(|t| !t.trim().is_empty())
            .map(|t| format!("（{t}）"))
            .unwrap_or_default();
        format!(
            "{}{known}缺少{}，全县汇总中单列一行；请在原表中补上后重新转换",
            self.location,
            self.missing()
        )
    }
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
    /// Projects in the county document: each project once, however many files hold it.
    pub county_projects: usize,
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
    /// Projects without a 项目名称 or 预算单位: each an error of its file, listed on its own row
    /// of the county document.
    pub unidentified: Vec<Unidentified>,
    /// The consolidated outputs written, relative to the output folder.
    pub consolidated: Vec<String>,
    /// Problems writing the consolidated outputs.
    pub consolidated_errors: Vec<String>,
    /// The report files written (`report.csv`; `report.json` is added to the returned report
    /// when it was written), relative to the output folder.
    pub reports: Vec<String>,
    /// Report files that could not be written, with the reason.
    #[serde(skip)]
    pub report_errors: Vec<String>,
    /// The county's 自评 summary: one line per project read from a 绩效自评表 (also written as
    /// `全县自评汇总.csv`); absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub self_evaluations: Vec<crate::ziping_summary::ZipingLine>,
    /// True when the batch was stopped ([`BatchOptions::stop`]) before every file was done.
    pub interrupted: bool,
}

impl Report {
    /// True when any input failed (or, with `strict`, had warnings), or a consolidated
    /// output or a report file could not be written.
    pub fn failed(&self, strict: bool) -> bool {
        self.totals.errors > 0
            || (strict && self.totals.warnings > 0)
            || !self.consolidated_errors.is_empty()
            || !self.report_errors.is_empty()
    }

    /// The summary printed at the end, in Chinese.
    pub fn summary(&self) -> String {
        let t = &self.totals;
        let mut s = String::new();
        if self.interrupted {
            s.push_str("批量转换被中断：以下是中断前完成的部分，未完成的文件在报告中标为失败。\n");
        }
        s.push_str(&format!(
            "共 {} 个文件：成功 {}，有警告 {}，失败 {}，跳过 {}；共转换 {} 个项目、{} 条指标；用时 {:.1} 秒。\n",
            t.files, t.ok, t.warnings, t.errors, t.skipped, t.projects, t.indicators, t.seconds
        ));
        for i in self.inputs.iter().filter(|i| i.status == Status::Error) {
            s.push_str(&format!(
                "  失败：{}：{}\n",
                shown(&i.file),
                shown(i.message.as_deref().unwrap_or(""))
            ));
        }
        for u in &self.unidentified {
            s.push_str(&format!("  缺少名称：{}\n", u.describe()));
        }
        if !self.duplicates.is_empty() {
            s.push_str(&format!(
                "重复项目 {} 个（全县汇总各只计一次，取自第一个文件；每处不同见 report.json）：\n",
                self.duplicates.len()
            ));
        }
        for d in self.duplicates.iter().take(MAX_DUPLICATES_SHOWN) {
            let verdict = if d.differs {
                format!("内容不同 {} 处", d.differences.len())
            } else {
                "内容相同".into()
            };
            let first = d.files.first().map_or("", String::as_str);
            let others = d.files.len().saturating_sub(1);
            s.push_str(&format!(
                "  {}（{}）：{} 另有 {others} 个文件，{verdict}\n",
                shown(&d.project_name),
                shown(&d.budget_unit),
                shown(first),
            ));
        }
        if self.duplicates.len() > MAX_DUPLICATES_SHOWN {
            s.push_str(&format!(
                "  ……另有 {} 个重复项目，见 report.json\n",
                self.duplicates.len() - MAX_DUPLICATES_SHOWN
            ));
        }
        if !self.self_evaluations.is_empty() {
            s.push_str(&format!(
                "自评表 {} 个项目：全年预算数、执行数、执行率、总分和等级汇总在 {}.csv\n",
                self.self_evaluations.len(),
                crate::ziping_summary::ZIPING_SUMMARY
            ));
        }
        for e in &self.consolidated_errors {
            s.push_str(&format!("  汇总输出失败：{e}\n"));
        }
        if !self.reports.is_empty() {
            s.push_str(&format!("报告：{}\n", self.reports.join("、")));
        }
        for e in &self.report_errors {
            s.push_str(&format!("错误：报告未能写入：{e}\n"));
        }
        s
    }

    /// The report as CSV (one row per input, then a totals row), statuses in words
    /// ([`Status::label`]). It starts with a UTF-8 byte-order mark: Excel and WPS on Chinese
    /// Windows read a CSV without one as GBK and show UTF-8 text garbled; with it they (and
    /// LibreOffice) read it as UTF-8. Every text cell is escaped against formula injection
    /// ([`csv_text`]).
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
                csv_text(&i.file),
                i.status.label().to_string(),
                i.projects.to_string(),
                i.indicators.to_string(),
                i.errors.to_string(),
                i.warnings.to_string(),
                i.infos.to_string(),
                csv_text(i.message.as_deref().unwrap_or_default()),
                csv_text(&i.outputs.join(";")),
            ]);
        }
        let t = &self.totals;
        let _ = w.write_record([
            "合计".to_string(),
            format!(
                "{} {}，{} {}，{} {}，{} {}",
                Status::Ok.label(),
                t.ok,
                Status::Warnings.label(),
                t.warnings,
                Status::Error.label(),
                t.errors,
                Status::Skipped.label(),
                t.skipped
            ),
            t.projects.to_string(),
            t.indicators.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
        format!("\u{feff}{body}")
    }
}

/// Duplicate projects listed one line each at the end of a batch; the rest are counted (every
/// one is in report.json, with each difference).
const MAX_DUPLICATES_SHOWN: usize = 20;

/// Text from the inputs (file names, messages quoting cells) as shown on a terminal: control
/// characters (an escape sequence could rewrite the screen) and the characters that reorder
/// text (U+202E makes `报告gpj.md` look like `报告dm.jpg`) are written as `\u{…}`.
pub fn shown(text: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}')
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if hidden(c) {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A text cell of `report.csv`, safe to open in a spreadsheet program: text that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (which Excel, WPS and LibreOffice would take
/// as a formula) gets a leading `'`, as OWASP's CSV-injection rule says; the CSV writer quotes
/// the cell where it holds a separator, a quote or a line break.
pub fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Why a batch could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum BatchError {
    /// The input folder cannot be read.
    #[error("无法读取输入目录 {0}：{why}", why = crate::fsutil::describe_io_error(.1))]
    Input(String, std::io::Error),
    /// The output folder cannot be made.
    #[error("无法创建输出目录 {0}：{why}", why = crate::fsutil::describe_io_error(.1))]
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

/// Converts every file under `input` into `output`. Returns the report (also written as
/// `report.json` and `report.csv` in `output`; [`Report::reports`] and
/// [`Report::report_errors`] say which were written).
///
/// # Errors
///
/// [`BatchError`] when the batch cannot start: the input folder cannot be read, the output
/// folder cannot be made, or they are the same folder. Once it has started, every problem is
/// a line of the report.
pub fn run(input: &Path, output: &Path, options: &BatchOptions) -> Result<Report, BatchError> {
    run_with_documents(input, output, options, &std::collections::HashMap::new())
}

/// [`run`], with the documents of some inputs given rather than read: `documents` maps an
/// input's name as the report gives it (relative to `input`, `/`-separated) to its document
/// as corrected by hand on the page of `jixiao serve`; it is rendered, reported and
/// consolidated as if it had been read.
///
/// # Errors
///
/// As [`run`].
pub fn run_with_documents(
    input: &Path,
    output: &Path,
    options: &BatchOptions,
    documents: &std::collections::HashMap<String, Document>,
) -> Result<Report, BatchError> {
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

    let Plan {
        jobs,
        mut skipped,
        guard,
        consolidated_base,
        report_base,
    } = plan(input, &in_canon, &out_canon, output, &options.formats);
    let total = jobs.len() + skipped.len();
    let progress = ProgressShow::new(options.progress, total as u64);
    progress.advance(skipped.len());

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build();
    let workers = options.workers.clone().map(Workers::new);
    let stopped = || options.stop.load(Ordering::SeqCst);
    let interrupted = || NotConverted {
        not_a_table: false,
        message: INTERRUPTED.into(),
    };
    let convert_all = || {
        jobs.par_iter()
            .map(|job| {
                let converted = match (documents.get(&job.rel), &workers) {
                    _ if stopped() => Err(interrupted()),
                    (Some(doc), _) => Ok(Converted::render(
                        doc.clone(),
                        &options.formats,
                        &options.read,
                    )),
                    (None, Some(workers)) => workers.convert(&job.path, &job.rel),
                    (None, None) => {
                        crate::convert_file(&job.path, &job.rel, &options.formats, &options.read)
                            .map_err(NotConverted::from)
                    }
                };
                // A file whose worker was ended by the stop says so, not that it crashed.
                let converted = match converted {
                    Err(_) if stopped() => Err(interrupted()),
                    other => other,
                };
                let result = finish(job, converted, output, &guard);
                progress.advance(1);
                result
            })
            .collect::<Vec<_>>()
    };
    // Watches for the stop while files convert, and ends the workers busy with them.
    let converting = AtomicBool::new(true);
    let results = std::thread::scope(|scope| {
        scope.spawn(|| {
            while converting.load(Ordering::SeqCst) {
                if stopped() {
                    if let Some(workers) = &workers {
                        workers.stop();
                    }
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        let results = match pool {
            Ok(pool) => pool.install(convert_all),
            Err(_) => convert_all(),
        };
        converting.store(false, Ordering::SeqCst);
        results
    });
    progress.finish();
    drop(workers);

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

    let self_evaluations =
        crate::ziping_summary::lines(projects.iter().map(|(f, p)| (f.as_str(), p)));
    let county = county(&summaries, projects);
    let (consolidated, consolidated_errors) = write_consolidated(
        output,
        &consolidated_base,
        county.document,
        &options.formats,
        &options.read,
        &guard,
    );
    let duplicates = county.duplicates;
    let unidentified = county.unidentified;

    let mut totals = Totals {
        files: inputs.len(),
        county_projects: county.projects,
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
    let mut report = Report {
        schema: "jixiao-batch/1",
        totals,
        inputs,
        duplicates,
        unidentified,
        consolidated,
        consolidated_errors,
        reports: Vec::new(),
        report_errors: Vec::new(),
        self_evaluations,
        interrupted: options.stop.load(Ordering::SeqCst),
    };
    if !report.self_evaluations.is_empty() {
        // 全县自评汇总 beside 全县汇总 (with its suffix when that name was taken).
        let name = consolidated_base
            .file_name()
            .map(|n| {
                n.to_string_lossy()
                    .replacen(CONSOLIDATED, crate::ziping_summary::ZIPING_SUMMARY, 1)
            })
            .unwrap_or_else(|| crate::ziping_summary::ZIPING_SUMMARY.to_string());
        let path = with_extension(&consolidated_base.with_file_name(name), "csv");
        let csv = crate::ziping_summary::to_csv(&report.self_evaluations);
        match guard.write(&path, csv.as_bytes()) {
            Ok(()) => report.reports.push(relative(&path, output)),
            Err(e) => report.report_errors.push(e.to_string()),
        }
    }
    write_reports(&mut report, output, &report_base, &guard);
    Ok(report)
}

/// Writes `report.csv`, then `report.json` (`base` is `OUT/report`, or `OUT/report-2` … when
/// a file of that name was already there); `report.json` lists the CSV only when it was
/// written. Records in `report` what was written and what failed, so nobody is told about a
/// report that is not there.
fn write_reports(report: &mut Report, output: &Path, base: &Path, guard: &OutputGuard) {
    let (csv_path, json_path) = (with_extension(base, "csv"), with_extension(base, "json"));
    let csv = report.to_csv();
    match guard.write(&csv_path, csv.as_bytes()) {
        Ok(()) => report.reports.push(relative(&csv_path, output)),
        Err(e) => report.report_errors.push(e.to_string()),
    }
    let mut json = serde_json::to_string_pretty(&*report).unwrap_or_default();
    json.push('\n');
    match guard.write(&json_path, json.as_bytes()) {
        Ok(()) => report.reports.insert(0, relative(&json_path, output)),
        Err(e) => report.report_errors.push(e.to_string()),
    }
    let shown: Vec<String> = report
        .reports
        .iter()
        .map(|r| output.join(r).display().to_string())
        .collect();
    report.reports = shown;
}

/// `OUT/report` → `OUT/report.csv` (appended, as [`crate::convert::output_path`] does).
fn with_extension(base: &Path, extension: &str) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// What a batch will do, decided before any file is converted.
struct Plan {
    jobs: Vec<Job>,
    /// Report lines of the entries not converted (hidden files, links to folders …).
    skipped: Vec<InputReport>,
    guard: OutputGuard,
    /// `OUT/全县汇总` (or `OUT/全县汇总-2` … when such a file was already there).
    consolidated_base: PathBuf,
    /// `OUT/report` (or `OUT/report-2` …).
    report_base: PathBuf,
}

/// Walks the input folder in path order and decides each file's output base name
/// ([`OutputNames`]). Files that are plainly not submissions (hidden files, Office lock files,
/// links to folders) are skipped here; FIFOs and devices become jobs that the reader refuses,
/// so the report lists them.
///
/// Nothing that is in the output folder before the run is ever replaced, except what an
/// earlier batch wrote there and recorded in its report ([`earlier_outputs`]): every other
/// file there is either an input (when the output folder lies inside the input folder, the
/// walk goes through it like any other folder: those files are converted and listed) or kept
/// by the guard ([`OutputGuard::keeping_existing`]), and the outputs take other names
/// (`a-2.json`, `report-2.json`). An earlier run's outputs are not read back as inputs.
fn plan(
    input: &Path,
    in_canon: &Path,
    out_canon: &Path,
    output: &Path,
    formats: &[OutputFormat],
) -> Plan {
    let earlier = earlier_outputs(output, out_canon);
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut skipped_paths = Vec::new();
    let walker = walkdir::WalkDir::new(input)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let rel = e.path().map(|p| relative(p, input)).unwrap_or_default();
                let why = e
                    .io_error()
                    .map_or_else(|| e.to_string(), crate::fsutil::describe_io_error);
                skipped.push(skip(&rel, Status::Error, format!("无法读取：{why}")));
                continue;
            }
        };
        if entry.file_type().is_dir()
            || crate::fsutil::resolve(entry.path()).is_some_and(|p| earlier.contains(&p))
        {
            continue;
        }
        let rel = relative(entry.path(), input);
        let name = entry.file_name().to_string_lossy();
        let why = if name.starts_with("~$") {
            Some("Office 临时锁文件")
        } else if name.starts_with('.') {
            Some("隐藏文件")
        } else if entry.path_is_symlink() && entry.path().is_dir() {
            Some("指向文件夹的链接，未进入")
        } else if entry.path_is_symlink()
            && entry
                .path()
                .canonicalize()
                .is_ok_and(|target| !target.starts_with(in_canon))
        {
            // `passwd.md -> /etc/passwd`: a batch reads what is in its folder, nothing else.
            Some("指向输入文件夹之外的链接，未读取")
        } else {
            None
        };
        match why {
            Some(why) => {
                skipped_paths.push(entry.path().to_path_buf());
                skipped.push(skip(&rel, Status::Skipped, why.into()));
            }
            None => files.push((entry.path().to_path_buf(), rel)),
        }
    }
    // Every file under the input folder is protected, read or not, and so is every other
    // file already there when an output is written, but for the earlier run's outputs.
    let guard = OutputGuard::new(files.iter().map(|(p, _)| p).chain(skipped_paths.iter()))
        .keeping_existing(&earlier);
    let folders: Vec<PathBuf> = files
        .iter()
        .map(|(_, rel)| {
            Path::new(rel)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        })
        .collect();
    let mut names = OutputNames::new(
        output,
        files
            .iter()
            .zip(&folders)
            .map(|((path, _), folder)| (path.as_path(), folder.as_path())),
        formats,
        &guard,
        &[],
    );
    let extensions: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
    let consolidated_base = names.reserve(CONSOLIDATED, &extensions);
    let report_base = names.reserve("report", &["csv", "json"]);
    let jobs = files
        .into_iter()
        .zip(&folders)
        .map(|((path, rel), folder)| Job {
            base: names.base(&path, folder),
            path,
            rel,
        })
        .collect();
    Plan {
        jobs,
        skipped,
        guard,
        consolidated_base,
        report_base,
    }
}

/// The files an earlier batch wrote in the output folder, by canonical path: every output,
/// county document and report listed by a report it left there (`report.json`, or
/// `report-2.json` … when that name was taken), and that report itself. Only a report of this
/// program (`"schema": "jixiao-batch/1"`) counts, and only paths inside the output folder.
/// These files may be replaced by the new run, and are not read as inputs.
fn earlier_outputs(output: &Path, out_canon: &Path) -> std::collections::HashSet<PathBuf> {
    #[derive(serde::Deserialize)]
    struct Listed {
        #[serde(default)]
        outputs: Vec<String>,
    }
    #[derive(serde::Deserialize)]
    struct EarlierReport {
        schema: String,
        #[serde(default)]
        inputs: Vec<Listed>,
        #[serde(default)]
        consolidated: Vec<String>,
        #[serde(default)]
        reports: Vec<String>,
    }
    let mut found = std::collections::HashSet::new();
    let Ok(entries) = std::fs::read_dir(output) else {
        return found;
    };
    let inside = |rel: &str| -> Option<PathBuf> {
        let rel = Path::new(rel);
        if !rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
        {
            return None;
        }
        crate::fsutil::resolve(&output.join(rel)).filter(|p| p.starts_with(out_canon))
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".json")) else {
            continue;
        };
        let numbered = stem
            .strip_prefix("report-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if stem != "report" && !numbered {
            continue;
        }
        let Ok(bytes) = crate::fsutil::read_limited(&entry.path(), crate::fsutil::MAX_INPUT_BYTES)
        else {
            continue;
        };
        let Ok(report) = serde_json::from_slice::<EarlierReport>(&bytes) else {
            continue;
        };
        if report.schema != "jixiao-batch/1" {
            continue;
        }
        let listed = report
            .inputs
            .iter()
            .flat_map(|i| i.outputs.iter())
            .chain(&report.consolidated)
            .chain(&report.reports)
            .map(String::as_str)
            .chain(name.to_str());
        found.extend(listed.filter_map(inside));
    }
    found
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

/// What a conversion that did not produce a document means for the report: a file whose
/// extension promises a table is an error; any other file that is not text or not a format we
/// read is skipped (a photo, a Word file).
fn not_converted(rel: &str, why: NotConverted) -> InputReport {
    let ext = crate::extension_of(rel);
    let promised = crate::TABLE_EXTENSIONS.contains(&ext.as_str());
    if why.not_a_table && !promised {
        skip(
            rel,
            Status::Skipped,
            format!("不是可读取的表格格式：{}", why.message),
        )
    } else {
        skip(rel, Status::Error, why.message)
    }
}

/// Writes one converted input's outputs and makes its report line; returns, when it converted
/// and lost nothing, its document without diagnostics (kept for the consolidated output).
fn finish(
    job: &Job,
    converted: Result<Converted, NotConverted>,
    output: &Path,
    guard: &OutputGuard,
) -> (InputReport, Option<Document>) {
    let converted = match converted {
        Ok(c) => c,
        Err(why) => return (not_converted(&job.rel, why), None),
    };
    let doc = &converted.document;
    if crate::is_empty(doc) {
        let ext = crate::extension_of(&job.rel);
        let status = if crate::WORKBOOK_EXTENSIONS.contains(&ext.as_str()) {
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

    let mut outputs = Vec::new();
    let mut write_errors = Vec::new();
    for written in converted.write(&job.base, guard) {
        match written.result {
            Ok(()) => outputs.push(relative(&written.path, output)),
            Err(e) => write_errors.push(e),
        }
    }
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
    for d in converted.diagnostics() {
        count_one(&mut report, d);
    }
    report.errors += write_errors.len();
    // A project without a name or unit cannot be told apart from others in the county
    // document: an error of this file, to fix at the source (it is still listed there).
    let unidentified: Vec<Unidentified> = doc
        .projects
        .iter()
        .filter(|p| !identifiable(p))
        .map(|p| Unidentified::new(&job.rel, p))
        .collect();
    report.errors += unidentified.len();
    report.message = write_errors
        .first()
        .cloned()
        .or_else(|| {
            converted
                .diagnostics()
                .find(|d| d.severity == Severity::Error)
                .map(|d| d.to_string())
        })
        .or_else(|| {
            (!unidentified.is_empty()).then(|| {
                format!(
                    "{} 个项目缺少项目名称或预算单位，请在原表中补上后重新转换",
                    unidentified.len()
                )
            })
        });
    let lost = crate::failed(doc);
    report.status = if !write_errors.is_empty() || lost || !unidentified.is_empty() {
        Status::Error
    } else if report.warnings > 0 {
        Status::Warnings
    } else {
        Status::Ok
    };
    if lost {
        // A document that lost data (no 指标值 column, no project read …) stays out of the
        // county document: its report line says why.
        return (report, None);
    }
    let mut doc = converted.document;
    doc.diagnostics = Vec::new();
    (report, Some(doc))
}

fn count(report: &mut InputReport, diags: &[Diagnostic]) {
    for d in diags {
        count_one(report, d);
    }
}

fn count_one(report: &mut InputReport, d: &Diagnostic) {
    match d.severity {
        Severity::Error => report.errors += 1,
        Severity::Warning => report.warnings += 1,
        Severity::Info => report.infos += 1,
    }
}

/// The county document and what went into it.
struct County {
    /// `None` when no project was converted.
    document: Option<Document>,
    /// Projects in it.
    projects: usize,
    duplicates: Vec<Duplicate>,
    unidentified: Vec<Unidentified>,
}

/// The county document: a summary with one row per project — each project once, by the
/// identity rule ([`jixiao_model::identity::group_projects`]), taken from its first copy in
/// path order, its other files and whether they differ in the 备注 column — followed by each
/// project's form. The 合计 therefore counts every project once.
fn county(summaries: &[Summary], projects: Vec<(String, Project)>) -> County {
    if projects.is_empty() {
        return County {
            document: None,
            projects: 0,
            duplicates: Vec::new(),
            unidentified: Vec::new(),
        };
    }
    let groups = group_projects(projects.iter().map(|(_, p)| p));
    let mut duplicates = Vec::new();
    let mut unidentified = Vec::new();
    let mut rows = Vec::with_capacity(groups.len());
    let mut keep = vec![false; projects.len()];
    for group in &groups {
        let (first_file, first) = &projects[group[0]];
        keep[group[0]] = true;
        let mut files = vec![first_file.clone()];
        let mut differences = Vec::new();
        let mut remarks = Vec::new();
        if !identifiable(first) {
            let u = Unidentified::new(first_file, first);
            remarks.push(u.describe());
            unidentified.push(u);
        }
        for &i in &group[1..] {
            let (file, copy) = &projects[i];
            let found = differences_between(first, copy);
            let mut fields: Vec<&str> = found.iter().map(|d| d.field).collect();
            fields.dedup();
            remarks.push(if found.is_empty() {
                format!("另见 {file}（内容相同）")
            } else {
                format!("另见 {file}（内容不同：{}）", fields.join("、"))
            });
            differences.extend(found.iter().map(|d| d.describe(file, first_file)));
            if !files.contains(file) {
                files.push(file.clone());
            }
        }
        if group.len() > 1 {
            duplicates.push(Duplicate {
                budget_unit: first.budget_unit.clone(),
                project_name: first.project_name.clone(),
                files,
                differs: !differences.is_empty(),
                differences,
            });
        }
        rows.push(SummaryRow {
            seq: u32::try_from(rows.len() + 1).ok(),
            department: first.budget_unit.clone(),
            project_name: first.project_name.clone(),
            funds_total: first.funds.total,
            location: first.location.clone(),
            remark: (!remarks.is_empty()).then(|| remarks.join("；")),
        });
    }
    let projects: Vec<Project> = projects
        .into_iter()
        .zip(keep)
        .filter_map(|((_, p), keep)| keep.then_some(p))
        .collect();
    let year = summaries
        .iter()
        .find_map(|s| s.year)
        .or_else(|| projects.iter().find_map(|p| p.year));
    let region = summaries.iter().find_map(|s| s.region.clone());
    let summary = Summary {
        year,
        region,
        rows,
        ..Summary::default()
    };
    County {
        projects: projects.len(),
        document: Some(Document {
            summary: Some(summary),
            projects,
            ..Document::default()
        }),
        duplicates,
        unidentified,
    }
}

/// How many differences of one copy are listed, at most (the rest are counted).
const MAX_DIFFERENCES: usize = 8;

/// One way a copy differs from the first copy: the field's name (for the 备注), what exactly
/// (`第 3 条指标（城市低保救助人数）的指标值`), the copy's value and the first copy's.
struct Difference {
    field: &'static str,
    what: String,
    copy: String,
    first: String,
}

impl Difference {
    /// `民政局/表.md：年度资金总额为 12.60，民政局/补报.md 为 13.00`.
    fn describe(&self, copy_file: &str, first_file: &str) -> String {
        if self.field == "其他" {
            return format!("{copy_file}：{}", self.what);
        }
        format!(
            "{copy_file}：{}为“{}”，{first_file} 为“{}”",
            self.what, self.copy, self.first
        )
    }
}

/// Where `copy` differs from `first`, in field order (at most [`MAX_DIFFERENCES`], then a
/// count of the rest). Amounts compare by value (`35.88` = `35.880`); texts as written.
fn differences_between(first: &Project, copy: &Project) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differ = |field: &'static str, what: String, a: String, b: String| {
        if a != b {
            out.push(Difference {
                field,
                what,
                copy: b,
                first: a,
            });
        }
    };
    let opt = |s: &Option<String>| s.clone().unwrap_or_default();
    let amount = |n: Option<jixiao_model::Decimal>| n.map_or(String::new(), |n| n.to_string());
    let same_amount = |a: Option<jixiao_model::Decimal>, b: Option<jixiao_model::Decimal>| a == b;
    for (field, a, b) in [
        (
            "预算单位",
            first.budget_unit.clone(),
            copy.budget_unit.clone(),
        ),
        (
            "项目名称",
            first.project_name.clone(),
            copy.project_name.clone(),
        ),
        (
            "实施单位",
            opt(&first.implementing_unit),
            opt(&copy.implementing_unit),
        ),
        (
            "年度",
            first.year.map(|y| y.to_string()).unwrap_or_default(),
            copy.year.map(|y| y.to_string()).unwrap_or_default(),
        ),
    ] {
        differ(field, field.into(), a, b);
    }
    let mid = |p: &Project| p.midterm_funds.clone().unwrap_or_default();
    for (field, a, b) in [
        ("年度资金总额", first.funds.total, copy.funds.total),
        ("财政拨款", first.funds.fiscal, copy.funds.fiscal),
        ("其他资金", first.funds.other, copy.funds.other),
        ("中期资金总额", mid(first).total, mid(copy).total),
    ] {
        if !same_amount(a, b) {
            differ(field, field.into(), amount(a), amount(b));
        }
    }
    differ(
        "项目总体目标",
        "项目总体目标".into(),
        first.goal.clone(),
        copy.goal.clone(),
    );
    differ(
        "中期目标",
        "中期目标".into(),
        opt(&first.midterm_goal),
        opt(&copy.midterm_goal),
    );
    for (field, a, b) in [
        ("指标", &first.indicators, &copy.indicators),
        (
            "中期指标",
            &first.midterm_indicators,
            &copy.midterm_indicators,
        ),
    ] {
        differ(
            field,
            format!("{field}数"),
            a.len().to_string(),
            b.len().to_string(),
        );
        for (n, (x, y)) in a.iter().zip(b).enumerate() {
            for (name, p, q) in [
                ("一级指标", &x.level1, &y.level1),
                ("二级指标", &x.level2, &y.level2),
                ("三级指标", &x.level3, &y.level3),
                ("指标值", &x.value.raw, &y.value.raw),
            ] {
                let what = format!("第 {} 条{field}（{}）的{name}", n + 1, x.level3);
                differ(field, what, p.clone(), q.clone());
            }
        }
    }
    if out.len() > MAX_DIFFERENCES {
        let more = out.len() - MAX_DIFFERENCES;
        out.truncate(MAX_DIFFERENCES);
        out.push(Difference {
            field: "其他",
            what: format!("另有 {more} 处不同"),
            copy: String::new(),
            first: String::new(),
        });
    }
    out
}

/// Writes the county document in every format (as `BASE.<format>`, `BASE` being
/// `OUT/全县汇总` or, when that name was taken, `OUT/全县汇总-2` …).
fn write_consolidated(
    output: &Path,
    base: &Path,
    document: Option<Document>,
    formats: &[OutputFormat],
    options: &crate::Options,
    guard: &OutputGuard,
) -> (Vec<String>, Vec<String>) {
    let Some(document) = document else {
        return (Vec::new(), Vec::new());
    };
    let mut written = Vec::new();
    let mut errors = Vec::new();
    let converted = Converted::render(document, formats, options);
    for w in converted.write(base, guard) {
        match w.result {
            Ok(()) => written.push(relative(&w.path, output)),
            Err(e) => errors.push(format!("{}：{e}", relative(&w.path, output))),
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
