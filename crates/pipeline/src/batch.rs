//! Batch conversion of a folder of submissions: every file converted in parallel, outputs
//! mirrored under the output folder, one consolidated county document, and a report of what
//! happened to every file. A bad file never stops the batch.
//!
//! Memory stays bounded by the files in flight: each worker reads, converts and writes one file;
//! what the batch keeps of it is its report line, and its projects go into the county document
//! in path order as the files finish — each distinct project once, later copies compared with
//! it and let go ([`Held`] counts it; `tests/batch_memory.rs`).
//!
//! This file plans the batch (which files, which output names) and runs it. The county
//! document and the comparison of copies are in [`county`], the report (`report.json`,
//! `report.csv`, the summary printed at the end) in [`report`], the progress display in
//! [`progress`].

pub mod county;
pub mod progress;
pub mod report;

pub use county::{Duplicate, Unidentified};
pub use progress::Progress;
pub use report::{InputReport, Report, Totals, csv_text};

use crate::convert::{Converted, OutputNames};
use crate::fate::{Fate, Status};
use crate::fsutil::OutputGuard;
use crate::worker::{NotConverted, WorkerCommand, Workers};
use crate::{Options, OutputFormat};
use jixiao_model::Document;
use progress::ProgressShow;
use rayon::prelude::*;
use report::with_extension;
use report::write_reports;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The base name of the consolidated outputs (`全县汇总.xlsx` …).
pub const CONSOLIDATED: &str = "全县汇总";

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
    // Each file's report line and document are taken in path order as the files finish
    // (`InOrder`): the document's projects go into the county document there and then, and
    // nothing else of it is kept.
    let in_order = InOrder::new(jobs.len());
    let convert_all = || {
        jobs.iter().enumerate().par_bridge().for_each(|(i, job)| {
            // In this process, each output is written as soon as it is rendered.
            let (formats, read) = (&options.formats, &options.read);
            let converted = match (documents.get(&job.rel), &workers) {
                _ if stopped() => Err(interrupted()),
                (Some(doc), _) => Ok(Converted::write_each(
                    doc.clone(),
                    formats,
                    read,
                    &job.base,
                    &guard,
                )),
                (None, Some(workers)) => workers.convert(&job.path, &job.rel).map(|c| {
                    let written = c.write(&job.base, &guard);
                    (c, written)
                }),
                (None, None) => {
                    crate::convert_file_to(&job.path, &job.rel, formats, read, &job.base, &guard)
                        .map_err(NotConverted::from)
                }
            };
            // A file whose worker was ended by the stop says so, not that it crashed.
            let converted = match converted {
                Err(_) if stopped() => Err(interrupted()),
                other => other,
            };
            let result = finish(job, converted, output);
            progress.advance(1);
            in_order.put(i, result);
        });
    };
    // Watches for the stop while files convert, and ends the workers busy with them. It is
    // told when the files are done (the channel closes), so that the batch never waits for
    // its next look (a sleep here cost every batch up to 50 ms of wall time at its end).
    let (done, converting) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let (workers, stopped) = (&workers, &stopped);
        scope.spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                converting.recv_timeout(Duration::from_millis(50))
            {
                if stopped() {
                    if let Some(workers) = workers {
                        workers.stop();
                    }
                    return;
                }
            }
        });
        match pool {
            Ok(pool) => pool.install(convert_all),
            Err(_) => convert_all(),
        }
        drop(done);
    });
    progress.finish();
    drop(workers);

    let Taken {
        mut inputs,
        county,
        self_evaluations,
        waiting_peak,
        ..
    } = in_order.into_inner();
    let held = Held {
        waiting_peak,
        projects: county.held(),
    };
    inputs.append(&mut skipped);
    inputs.sort_by(|a, b| a.file.cmp(&b.file));

    let county = county.finish();
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
        match i.fate.status {
            Status::Ok => totals.ok += 1,
            Status::Warnings => totals.warnings += 1,
            Status::Error => totals.errors += 1,
            Status::Skipped => totals.skipped += 1,
        }
        totals.projects += i.fate.projects;
        totals.indicators += i.fate.indicators;
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
        held,
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

/// The most converted files held waiting for the files before them in path order; a file
/// that finishes when so many are waiting waits for its turn before it hands its document
/// over.
pub const MAX_WAITING: usize = 64;

/// What a batch held for its files once they were converted (for tests of its memory: it
/// grows with the files by a report line each, not by their documents).
#[derive(Debug, Clone, Copy, Default)]
pub struct Held {
    /// The most converted documents held at once while waiting for the files before them in
    /// path order (at most [`MAX_WAITING`]).
    pub waiting_peak: usize,
    /// Projects held for the county document: each distinct project once, its later copies
    /// compared with it and let go.
    pub projects: usize,
}

/// The files' results taken in path order as they finish, in any order: each file's report
/// line is kept, its document's projects go into the county document and its 自评 lines into
/// the county's 自评 summary, and the rest of it is let go.
///
/// A file that waits for its turn blocks its thread until the file ahead of it is taken; the
/// file ahead is always being converted on another thread (the files are started in path
/// order), so this ends — as long as converting a file never runs other files of the batch
/// on its own thread (no rayon inside a conversion, which would let a waiting file sit on top
/// of the very file it waits for).
struct InOrder {
    taken: std::sync::Mutex<Taken>,
    turn: std::sync::Condvar,
}

struct Taken {
    /// The next file in path order.
    next: usize,
    /// Files finished before their turn.
    waiting: std::collections::BTreeMap<usize, (InputReport, Option<Document>)>,
    waiting_peak: usize,
    inputs: Vec<InputReport>,
    county: county::CountyBuilder,
    self_evaluations: Vec<crate::ziping_summary::ZipingLine>,
}

impl InOrder {
    fn new(files: usize) -> Self {
        InOrder {
            taken: std::sync::Mutex::new(Taken {
                next: 0,
                waiting: std::collections::BTreeMap::new(),
                waiting_peak: 0,
                inputs: Vec::with_capacity(files),
                county: county::CountyBuilder::default(),
                self_evaluations: Vec::new(),
            }),
            turn: std::sync::Condvar::new(),
        }
    }

    /// The result of file `i` (in path order).
    fn put(&self, i: usize, result: (InputReport, Option<Document>)) {
        let mut taken = self.taken.lock().unwrap_or_else(|e| e.into_inner());
        while i != taken.next && taken.waiting.len() >= MAX_WAITING {
            taken = self.turn.wait(taken).unwrap_or_else(|e| e.into_inner());
        }
        taken.waiting.insert(i, result);
        while let Some((report, doc)) = {
            let next = taken.next;
            taken.waiting.remove(&next)
        } {
            taken.next += 1;
            if let Some(doc) = doc {
                let lines = crate::ziping_summary::lines(
                    doc.projects.iter().map(|p| (report.file.as_str(), p)),
                );
                taken.self_evaluations.extend(lines);
                taken.county.add(&report.file, doc.summary, doc.projects);
            }
            taken.inputs.push(report);
        }
        taken.waiting_peak = taken.waiting_peak.max(taken.waiting.len());
        self.turn.notify_all();
    }

    fn into_inner(self) -> Taken {
        self.taken.into_inner().unwrap_or_else(|e| e.into_inner())
    }
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
                skipped.push(InputReport::new(
                    &rel,
                    Fate::failed(format!("无法读取：{why}")),
                ));
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
        let why = if let Some(why) = Fate::skipped_by_name(&name) {
            Some(why)
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
                skipped.push(InputReport::new(&rel, Fate::skipped(why)));
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

/// Makes one converted input's report line ([`Fate::converted`]) from where its outputs went;
/// returns, when it converted and lost nothing, its document without diagnostics (for the
/// county document).
fn finish(
    job: &Job,
    converted: Result<(Converted, Vec<crate::convert::Written>), NotConverted>,
    output: &Path,
) -> (InputReport, Option<Document>) {
    let (converted, written) = match converted {
        Ok(c) => c,
        Err(why) => {
            let fate = Fate::not_converted(&job.rel, &why);
            return (InputReport::new(&job.rel, fate), None);
        }
    };
    let mut outputs = Vec::new();
    let mut write_errors = Vec::new();
    for written in written {
        match written.result {
            Ok(()) => outputs.push(relative(&written.path, output)),
            Err(e) => write_errors.push(e),
        }
    }
    let fate = Fate::converted(&job.rel, &converted, &write_errors);
    let report = InputReport {
        file: job.rel.clone(),
        fate,
        outputs,
    };
    if crate::is_empty(&converted.document) || crate::failed(&converted.document) {
        // A document that lost data (no 指标值 column, no project read …) stays out of the
        // county document: its report line says why.
        return (report, None);
    }
    let mut doc = converted.document;
    doc.diagnostics = Vec::new();
    (report, Some(doc))
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
    let (_, written_each) = Converted::write_each(document, formats, options, base, guard);
    for w in written_each {
        match w.result {
            Ok(()) => written.push(relative(&w.path, output)),
            Err(e) => errors.push(format!("{}：{e}", relative(&w.path, output))),
        }
    }
    (written, errors)
}
