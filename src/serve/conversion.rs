//! Converting the uploads: a fixed number of workers fed by a bounded queue, off the request
//! threads, each file converted with the pipeline `convert` and `batch` use (in a worker
//! process when the page has them), its outputs kept under the session's folder.

use super::outcome::{Outcome, detail_json, failed_outcome, outcome_without_tables};
use super::sessions::{App, Session, Stage, set_stage};
use crate::fate::Fate;
use crate::{Options, OutputFormat};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::sync::mpsc;

/// One conversion to do.
pub(super) struct Job {
    pub(super) session: Arc<Session>,
    pub(super) file: usize,
    pub(super) name: String,
}

pub(super) async fn worker(app: App, queue: Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>) {
    loop {
        let job = {
            let mut rx = queue.lock().await;
            rx.recv().await
        };
        let Some(job) = job else { return };
        if job.session.closed.load(Ordering::Relaxed) {
            continue;
        }
        set_stage(&job.session, job.file, Stage::Working);
        let session = job.session.clone();
        let app_for_job = app.clone();
        let outcome = tokio::task::spawn_blocking(move || {
            convert(
                &session.dir,
                job.file,
                &job.name,
                &app_for_job.read,
                app_for_job.pool.as_ref(),
            )
        })
        .await
        .unwrap_or_else(|e| failed_outcome(format!("转换时程序内部出错（已隔离）：{e}")));
        set_stage(&job.session, job.file, Stage::Done(Arc::new(outcome)));
    }
}

/// The folder of a session's uploads, named as the clerk named them (cleaned).
pub(super) fn inputs_dir(session_dir: &Path) -> PathBuf {
    session_dir.join("in")
}

pub(super) fn output_file(session_dir: &Path, file: usize, format: OutputFormat) -> PathBuf {
    session_dir
        .join("out")
        .join(format!("{file}.{}", format.extension()))
}

/// Converts one upload with the pipeline `convert` and `batch` use ([`crate::convert_bytes`]:
/// read, review and render every format in memory; its name, the cleaned relative name, goes
/// into every location) — in a worker process of `pool` when there is one — keeps the
/// outputs on disk, and lays out its tables for the page. What is a failure and what is
/// merely skipped is decided as for `jixiao batch` ([`Fate`]).
pub(super) fn convert(
    session_dir: &Path,
    file: usize,
    name: &str,
    read: &Options,
    pool: Option<&crate::worker::Workers>,
) -> Outcome {
    if let Some(why) = Fate::skipped_by_name(name) {
        return outcome_without_tables(Fate::skipped(why));
    }
    let path = inputs_dir(session_dir).join(name);
    let converted = match pool {
        Some(pool) => pool.convert(&path, name),
        None => crate::fsutil::read_input(&path)
            .map_err(crate::convert::ConvertError::from)
            .and_then(|bytes| crate::convert_bytes(name, &bytes, OutputFormat::ALL, read))
            .map_err(crate::worker::NotConverted::from),
    };
    match converted {
        Ok(converted) => finish(session_dir, file, name, converted, read),
        Err(why) => outcome_without_tables(Fate::not_converted(name, &why)),
    }
}

/// What the page keeps of a converted (or corrected) file `name`: its outputs written under
/// the session's folder, its fate, its view.
pub(super) fn finish(
    session_dir: &Path,
    file: usize,
    name: &str,
    converted: crate::convert::Converted,
    read: &Options,
) -> Outcome {
    let doc = &converted.document;
    if crate::is_empty(doc) {
        let mut outcome = outcome_without_tables(Fate::converted(name, &converted, &[]));
        outcome.detail = detail_json(name, doc, &[], read);
        return outcome;
    }
    let mut outputs = Vec::new();
    let mut write_errors = Vec::new();
    // Not create_dir_all: a conversion finishing during shutdown must not bring back the
    // removed temporary folder.
    let _ = std::fs::create_dir(session_dir.join("out"));
    for output in &converted.outputs {
        let result = match &output.bytes {
            Ok(bytes) => {
                crate::fsutil::write_atomic(&output_file(session_dir, file, output.format), bytes)
                    .map_err(|e| format!("无法保存 {}：{e}", output.format.extension()))
            }
            Err(e) => Err(format!("无法生成 {}：{e}", output.format.extension())),
        };
        match result {
            Ok(()) => outputs.push(output.format),
            Err(e) => write_errors.push(e),
        }
    }
    // Each form writer reports what the form cannot hold; list each finding once.
    let mut shown = doc.clone();
    for d in converted.outputs.iter().flat_map(|o| &o.diagnostics) {
        if !shown.diagnostics.contains(d) {
            shown.diagnostics.push(d.clone());
        }
    }
    Outcome {
        fate: Fate::converted(name, &converted, &write_errors),
        detail: detail_json(name, &shown, &outputs, read),
        outputs,
        document: Some(converted.document),
    }
}
