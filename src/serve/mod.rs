//! `jixiao serve`: a page in the clerk's own browser that converts dropped files on this
//! computer — nothing leaves it.
//!
//! The page (plain HTML, CSS and JavaScript compiled into the binary, with the PDF's own font:
//! no CDN, no build step) calls a small JSON API:
//!
//! | request | answer |
//! |---|---|
//! | `POST /api/session` | a new session `{id}`; each open page has one |
//! | `POST /api/session/{id}/files?name=N` | the body is one file (or a `.zip` of many); `{files: [{id, name}]}` |
//! | `GET /api/session/{id}/files` | every file's status and counts, `{files, total, done}` |
//! | `GET /api/session/{id}/files/{n}` | one file: its tables laid out as the standard form, its diagnostics with the rows they point at |
//! | `GET /api/session/{id}/files/{n}/output/{json,xlsx,pdf}` | the file's output, the bytes `jixiao convert` writes |
//! | `POST /api/session/{id}/files/{n}/corrections` | one correction by hand (`{op: "set", project, rows, field, text}`, `{op: "insert"\|"delete", project, row}`); the file reviewed and rendered again; its detail |
//! | `GET /api/session/{id}/all.zip` | what `jixiao batch` writes for all the session's files (outputs, 全县汇总, report), as one .zip |
//! | `POST /api/session/{id}/close[?grace=S]` | drops the session; with `grace`, only if no request follows within S seconds (the page sends it when left or reloaded) |
//!
//! Conversion runs on a fixed number of workers fed by a bounded queue, off the request
//! threads; a dropped folder of 2,000 files waits its turn rather than starting 2,000
//! conversions. Uploads live in a temporary folder that is removed on exit; a session's files
//! and results are dropped when its page closes or after [`ServeOptions::session_timeout`]
//! without a request. Upload names are never used as paths as given (see `names`). Every
//! response carries a strict Content-Security-Policy; requests whose `Host` is not the
//! server's own address are refused when listening on loopback (DNS rebinding), and requests
//! that change state must come from the page itself (`Origin`).

mod archive;
mod corrections;
mod names;
mod view;

use crate::fate::{Fate, Status};
use crate::{Options, OutputFormat};
use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jixiao_model::Document;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");

/// The policy every response carries: everything from this server only, no inline script or
/// style, no frames, no plugins, no form posts elsewhere.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Limits on what the page accepts. Each refusal is answered with a message in Chinese.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of one uploaded file (or one .zip) at most. Default 100 MB.
    pub file_bytes: u64,
    /// Files in one session at most (a .zip's entries count one each). Default 5,000.
    pub session_files: usize,
    /// Bytes uploaded in one session at most (unpacked entries counted). Default 2 GB.
    pub session_bytes: u64,
    /// Entries in one .zip at most. Default 5,000.
    pub zip_entries: usize,
    /// Bytes unpacked from one .zip at most. Default 1 GB.
    pub zip_bytes: u64,
    /// Sessions (open pages) at once at most. Default 32.
    pub sessions: usize,
}

impl Default for Limits {
    fn default() -> Self {
        const MB: u64 = 1024 * 1024;
        Limits {
            file_bytes: 100 * MB,
            session_files: 5_000,
            session_bytes: 2048 * MB,
            zip_entries: 5_000,
            zip_bytes: 1024 * MB,
            sessions: 32,
        }
    }
}

/// How the server runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The address to listen on; port 0 picks a free port. Default `127.0.0.1:0`.
    pub listen: SocketAddr,
    /// Reader and writer settings (framework, form template, PDF font), as for `convert`.
    pub read: Options,
    /// Upload limits.
    pub limits: Limits,
    /// Conversions running at once. Default: one per core.
    pub workers: usize,
    /// Files waiting for a worker at most; more uploads wait for room. Default 64.
    pub queue: usize,
    /// A session with no request for this long is dropped with its files. Default 2 hours.
    pub session_timeout: Duration,
    /// Convert in child processes started with this command (as `batch` does), so that an
    /// input that kills its process — an abort, a stack overflow — fails that file alone and
    /// the page goes on. `None`: in this process (a panic is still contained). Its `--to`
    /// must name every format ([`OutputFormat::ALL`]): the page offers all of them.
    pub worker: Option<crate::worker::WorkerCommand>,
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            read: Options::default(),
            limits: Limits::default(),
            workers: std::thread::available_parallelism().map_or(2, |n| n.get()),
            queue: 64,
            session_timeout: Duration::from_secs(2 * 3600),
            worker: None,
        }
    }
}

/// A running server. Dropping it (or [`Server::stop`]) shuts it down and removes its
/// temporary folder.
pub struct Server {
    addr: SocketAddr,
    root: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// Binds `options.listen` and starts serving on a thread of its own.
    ///
    /// # Errors
    ///
    /// The address cannot be bound (in use, not permitted), the temporary folder cannot be
    /// made, or the async runtime cannot start.
    pub fn start(options: ServeOptions) -> std::io::Result<Server> {
        let listener = std::net::TcpListener::bind(options.listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let temp = tempfile::Builder::new().prefix(TEMP_PREFIX).tempdir()?;
        let root = temp.path().to_path_buf();
        std::fs::write(root.join(OWNER_FILE), std::process::id().to_string())?;
        remove_abandoned(&std::env::temp_dir(), &root);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("jixiao-serve")
            .enable_all()
            .build()?;
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let root_for_app = root.clone();
        let thread = std::thread::Builder::new()
            .name("jixiao-serve".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            eprintln!("错误: 无法监听 {addr}：{e}");
                            return;
                        }
                    };
                    let app = App::new(options, root_for_app, addr);
                    let router = router(app.clone());
                    let sweeper = tokio::spawn(sweep(app.clone()));
                    let shutdown = async move {
                        let _ = stop_rx.await;
                    };
                    let served = axum::serve(listener, router)
                        .with_graceful_shutdown(shutdown)
                        .into_future();
                    if let Err(e) = served.await {
                        eprintln!("错误: 服务中断：{e}");
                    }
                    sweeper.abort();
                    app.close_all();
                });
                // Queued conversions are abandoned; running ones may finish writing into the
                // temporary folder, which goes now.
                runtime.shutdown_timeout(Duration::from_secs(5));
                drop(temp);
            })?;
        Ok(Server {
            addr,
            root,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The page's address, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// The temporary folder holding uploads (removed when the server stops).
    pub fn temp_dir(&self) -> &Path {
        &self.root
    }

    /// Serves until Ctrl-C (or SIGTERM), then shuts down and removes the temporary folder.
    pub fn run_until_interrupted(mut self) {
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let waiter = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(interrupted());
            }
            let _ = tx.send(());
        });
        let _ = rx.recv();
        drop(waiter);
        self.shutdown();
    }

    /// Stops serving, waits for the server thread and removes the temporary folder.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// The page's upload path without the network, for the `upload` fuzz target: `name` cleaned
/// as an upload's name, and, when it names a .zip, `bytes` unpacked into `dir` as an upload is
/// (entry names cleaned and made unique, each entry streamed to disk within limits and a
/// shared budget, here 64 MB). Returns how many files were taken.
#[doc(hidden)]
pub fn fuzz_upload(name: &str, bytes: &[u8], dir: &Path) -> usize {
    struct Room(Mutex<u64>);
    impl archive::Budget for Room {
        fn take(&self, n: u64) -> bool {
            let mut left = lock(&self.0);
            let ok = *left >= n;
            if ok {
                *left -= n;
            }
            ok
        }
        fn give_back(&self, n: u64) {
            *lock(&self.0) += n;
        }
    }
    let Ok(name) = names::clean_upload(name) else {
        return 0;
    };
    if !archive::is_archive_name(&name) {
        return 1;
    }
    let limits = archive::ZipLimits {
        entries: 5_000,
        total: 64 << 20,
        entry: 16 << 20,
    };
    let room = Room(Mutex::new(64 << 20));
    let Ok(entries) = archive::unpack(bytes, limits, dir, &room) else {
        return 0;
    };
    let mut taken = names::Taken::default();
    entries
        .into_iter()
        .filter(|e| e.content.is_ok())
        .map(|e| {
            names::unique(
                &names::clean_upload(&e.name).unwrap_or_default(),
                &mut taken,
            )
        })
        .count()
}

/// The name of every server's temporary folder begins so.
const TEMP_PREFIX: &str = "jixiao-serve-";

/// The file in a server's temporary folder that holds the server's process id.
const OWNER_FILE: &str = "owner.pid";

/// Removes the temporary folders (in `temp`, other than `ours`) of servers that died without
/// removing theirs (killed, or the machine lost power): a folder whose owner file names a
/// process that no longer runs. Folders without an owner file, or whose owner cannot be
/// checked (no `/proc`), are left alone.
fn remove_abandoned(temp: &Path, ours: &Path) {
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let ours_or_other = path == ours
            || !entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX)
            || !entry.file_type().is_ok_and(|t| t.is_dir());
        if ours_or_other {
            continue;
        }
        let owner = crate::fsutil::read_text_file(&path.join(OWNER_FILE), 64)
            .ok()
            .and_then(|t| t.trim().parse::<u32>().ok());
        if owner.is_some_and(|pid| !process_runs(pid)) {
            let _ = std::fs::remove_dir_all(&path);
        }
    }
}

/// True when process `pid` runs (or when that cannot be told: without `/proc`).
fn process_runs(pid: u32) -> bool {
    let proc = Path::new("/proc");
    !proc.join("self").exists() || proc.join(pid.to_string()).exists()
}

/// Ctrl-C, or SIGTERM on Unix.
async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// True when the address is reachable only from this computer.
pub fn is_loopback(addr: &SocketAddr) -> bool {
    addr.ip().is_loopback()
}

/// Opens `url` in the default browser (xdg-open, open, or start); false when none could be
/// started.
pub fn open_browser(url: &str) -> bool {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", "", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(url);
        c
    };
    cmd.stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

// ---------------------------------------------------------------------------------------------
// State

struct AppInner {
    read: Options,
    /// The child processes conversions run in, and how they are started (see
    /// [`ServeOptions::worker`]).
    worker: Option<crate::worker::WorkerCommand>,
    pool: Option<crate::worker::Workers>,
    limits: Limits,
    workers: usize,
    timeout: Duration,
    root: PathBuf,
    sessions: Mutex<HashMap<String, Arc<Session>>>,
    queue: mpsc::Sender<Job>,
    /// `Host` values accepted; empty when listening beyond loopback.
    hosts: Vec<String>,
    next_dir: AtomicU64,
}

#[derive(Clone)]
struct App(Arc<AppInner>);

impl std::ops::Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

struct Session {
    dir: PathBuf,
    state: Mutex<SessionState>,
    touched: Mutex<Instant>,
    closed: AtomicBool,
    /// One .zip of everything built, or one correction applied, at a time.
    packing: tokio::sync::Mutex<()>,
}

#[derive(Default)]
struct SessionState {
    files: Vec<FileEntry>,
    bytes: u64,
    taken: names::Taken,
}

struct FileEntry {
    name: String,
    stage: Stage,
}

enum Stage {
    Queued,
    Working,
    Done(Arc<Outcome>),
}

/// One conversion to do.
struct Job {
    session: Arc<Session>,
    file: usize,
    name: String,
}

/// What converting one file gave.
struct Outcome {
    /// Its status, counts and first error, decided as `jixiao batch` decides them.
    fate: Fate,
    /// The page's view of the file (tables, diagnostics), as JSON.
    detail: String,
    /// The outputs written under the session's `out/` folder.
    outputs: Vec<OutputFormat>,
    /// The document (with the clerk's corrections), when the file held tables.
    document: Option<Document>,
}

impl App {
    fn new(options: ServeOptions, root: PathBuf, addr: SocketAddr) -> App {
        let (tx, rx) = mpsc::channel::<Job>(options.queue.max(1));
        let hosts = if is_loopback(&addr) {
            let port = addr.port();
            vec![
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
                addr.to_string(),
            ]
        } else {
            Vec::new()
        };
        let app = App(Arc::new(AppInner {
            read: options.read,
            pool: options.worker.clone().map(crate::worker::Workers::new),
            worker: options.worker,
            limits: options.limits,
            workers: options.workers.max(1),
            timeout: options.session_timeout,
            root,
            sessions: Mutex::new(HashMap::new()),
            queue: tx,
            hosts,
            next_dir: AtomicU64::new(0),
        }));
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..app.workers {
            tokio::spawn(worker(app.clone(), rx.clone()));
        }
        app
    }

    fn session(&self, id: &str) -> Result<Arc<Session>, ApiError> {
        let sessions = lock(&self.sessions);
        let session = sessions.get(id).cloned().ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "这个页面的会话已结束（关闭过页面或长时间未操作），请刷新页面后重新拖入文件",
            )
        })?;
        *lock(&session.touched) = Instant::now();
        Ok(session)
    }

    fn close(&self, id: &str) {
        let removed = lock(&self.sessions).remove(id);
        if let Some(session) = removed {
            session.closed.store(true, Ordering::Relaxed);
            let _ = std::fs::remove_dir_all(&session.dir);
        }
    }

    fn close_all(&self) {
        let ids: Vec<String> = lock(&self.sessions).keys().cloned().collect();
        for id in ids {
            self.close(&id);
        }
    }
}

/// Locks a mutex; a panic elsewhere never makes the server unusable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Drops sessions idle for longer than the timeout.
async fn sweep(app: App) {
    let every = (app.timeout / 4).clamp(Duration::from_millis(100), Duration::from_secs(60));
    loop {
        tokio::time::sleep(every).await;
        let idle: Vec<String> = lock(&app.sessions)
            .iter()
            .filter(|(_, s)| lock(&s.touched).elapsed() > app.timeout)
            .map(|(id, _)| id.clone())
            .collect();
        for id in idle {
            app.close(&id);
        }
    }
}

async fn worker(app: App, queue: Arc<tokio::sync::Mutex<mpsc::Receiver<Job>>>) {
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

fn set_stage(session: &Session, file: usize, stage: Stage) {
    if let Some(entry) = lock(&session.state).files.get_mut(file) {
        entry.stage = stage;
    }
}

// ---------------------------------------------------------------------------------------------
// Conversion

/// The folder of a session's uploads, named as the clerk named them (cleaned).
fn inputs_dir(session_dir: &Path) -> PathBuf {
    session_dir.join("in")
}

fn output_file(session_dir: &Path, file: usize, format: OutputFormat) -> PathBuf {
    session_dir
        .join("out")
        .join(format!("{file}.{}", format.extension()))
}

fn failed_outcome(message: String) -> Outcome {
    outcome_without_tables(Fate::failed(message))
}

fn outcome_without_tables(fate: Fate) -> Outcome {
    let detail = serde_json::json!({
        "tables": [],
        "diagnostics": [],
        "projects": [],
        "outputs": [],
    });
    Outcome {
        fate,
        detail: detail.to_string(),
        outputs: Vec::new(),
        document: None,
    }
}

/// Converts one upload with the pipeline `convert` and `batch` use ([`crate::convert_bytes`]:
/// read, review and render every format in memory; its name, the cleaned relative name, goes
/// into every location) — in a worker process of `pool` when there is one — keeps the
/// outputs on disk, and lays out its tables for the page. What is a failure and what is
/// merely skipped is decided as for `jixiao batch` ([`Fate`]).
fn convert(
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
fn finish(
    session_dir: &Path,
    file: usize,
    name: &str,
    converted: crate::convert::Converted,
    read: &Options,
) -> Outcome {
    let doc = &converted.document;
    if crate::is_empty(doc) {
        let mut outcome = outcome_without_tables(Fate::converted(name, &converted, &[]));
        outcome.detail = detail_json(doc, &[], read);
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
        detail: detail_json(&shown, &outputs, read),
        outputs,
        document: Some(converted.document),
    }
}

#[derive(Serialize)]
struct ProjectLine<'a> {
    budget_unit: &'a str,
    project_name: &'a str,
    indicators: usize,
    funds_total: Option<String>,
}

fn detail_json(doc: &Document, outputs: &[OutputFormat], read: &Options) -> String {
    let (tables, sources) = view::tables(doc, &read.template);
    let diagnostics = view::diagnostics(&doc.diagnostics, &sources);
    let projects: Vec<ProjectLine> = doc
        .projects
        .iter()
        .map(|p| ProjectLine {
            budget_unit: &p.budget_unit,
            project_name: &p.project_name,
            indicators: p.indicators.len(),
            funds_total: p.funds.total.map(|t| t.to_string()),
        })
        .collect();
    let outputs: Vec<&str> = outputs.iter().map(|f| f.extension()).collect();
    serde_json::json!({
        "projects": projects,
        "corrections": doc.corrections,
        "tables": tables,
        "diagnostics": diagnostics,
        "outputs": outputs,
    })
    .to_string()
}

// ---------------------------------------------------------------------------------------------
// HTTP

/// An API refusal: a status and a message in Chinese, sent as `{"error": message}`.
#[derive(Debug)]
struct ApiError {
    status: StatusCode,
    message: String,
}

impl ApiError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            axum::Json(serde_json::json!({ "error": self.message })),
        )
            .into_response()
    }
}

fn router(app: App) -> Router {
    let api = Router::new()
        .route("/api/session", post(new_session))
        .route("/api/session/{sid}/files", post(upload).get(list))
        .route("/api/session/{sid}/files/{fid}", get(detail))
        .route(
            "/api/session/{sid}/files/{fid}/output/{format}",
            get(output),
        )
        .route(
            "/api/session/{sid}/files/{fid}/corrections",
            post(corrections::correct),
        )
        .route("/api/session/{sid}/all.zip", get(all_zip))
        .route("/api/session/{sid}/close", post(close));
    Router::new()
        .route(
            "/",
            get(|| async { page(INDEX_HTML, "text/html; charset=utf-8") }),
        )
        .route(
            "/app.js",
            get(|| async { page(APP_JS, "text/javascript; charset=utf-8") }),
        )
        .route(
            "/app.css",
            get(|| async { page(APP_CSS, "text/css; charset=utf-8") }),
        )
        .route("/font.ttf", get(font))
        .merge(api)
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "没有这个地址") })
        .layer(DefaultBodyLimit::disable())
        .layer(axum::middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

fn page(body: &'static str, content_type: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

async fn font() -> Response {
    (
        [
            (header::CONTENT_TYPE, "font/ttf"),
            (header::CACHE_CONTROL, "max-age=86400"),
        ],
        jixiao_pdf::font::DEFAULT_FONT_BYTES,
    )
        .into_response()
}

/// Refuses requests for another host (DNS rebinding) and state changes from other pages, and
/// sets the security headers on every response.
async fn guard(State(app): State<App>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .to_string();
    let refused = if !app.hosts.is_empty() && !app.hosts.contains(&host) {
        Some("请求的地址不是本服务的地址，已拒绝")
    } else if request.method() != Method::GET
        && request.method() != Method::HEAD
        && request
            .headers()
            .get(header::ORIGIN)
            .and_then(|o| o.to_str().ok())
            .is_some_and(|o| o != format!("http://{host}"))
    {
        Some("请求来自其他网页，已拒绝")
    } else {
        None
    };
    let mut response = match refused {
        Some(why) => ApiError::new(StatusCode::FORBIDDEN, why).into_response(),
        None => next.run(request).await,
    };
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

/// A session id: 128 random bits in hex.
fn random_id() -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法生成会话编号：{e}"),
        )
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

async fn new_session(State(app): State<App>) -> Result<Response, ApiError> {
    let id = random_id()?;
    let n = app.next_dir.fetch_add(1, Ordering::Relaxed);
    let dir = app.root.join(format!("s{n}"));
    std::fs::create_dir_all(inputs_dir(&dir)).map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("无法创建临时目录：{e}"),
        )
    })?;
    {
        let mut sessions = lock(&app.sessions);
        if sessions.len() >= app.limits.sessions {
            let _ = std::fs::remove_dir_all(&dir);
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "同时打开的页面已达上限 {} 个；请关闭不用的页面后刷新",
                    app.limits.sessions
                ),
            ));
        }
        sessions.insert(
            id.clone(),
            Arc::new(Session {
                dir,
                state: Mutex::new(SessionState::default()),
                touched: Mutex::new(Instant::now()),
                closed: AtomicBool::new(false),
                packing: tokio::sync::Mutex::new(()),
            }),
        );
    }
    Ok(axum::Json(serde_json::json!({ "id": id, "limits": {
        "file_bytes": app.limits.file_bytes,
        "session_files": app.limits.session_files,
    }}))
    .into_response())
}

#[derive(Deserialize)]
struct CloseQuery {
    /// Seconds to wait for another request (the page reloading) before dropping the session.
    grace: Option<u64>,
}

async fn close(
    State(app): State<App>,
    UrlPath(sid): UrlPath<String>,
    Query(query): Query<CloseQuery>,
) -> StatusCode {
    match query.grace {
        // The page sends this when it is left, and also when it is reloaded (F5): the
        // session then goes only if no request follows, at most 5 minutes later.
        Some(grace) => {
            let keep = Duration::from_secs(grace.min(300));
            if let Ok(session) = app.session(&sid) {
                let idle = app.timeout.saturating_sub(keep);
                if let Some(at) = Instant::now().checked_sub(idle) {
                    *lock(&session.touched) = at;
                }
            }
        }
        None => app.close(&sid),
    }
    StatusCode::NO_CONTENT
}

#[derive(Deserialize)]
struct UploadQuery {
    name: String,
}

async fn upload(
    State(app): State<App>,
    UrlPath(sid): UrlPath<String>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let limits = app.limits;
    let too_big = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "“{}”超过单个文件的上限 {}；请拆分后再上传",
                query.name,
                archive::size_text(limits.file_bytes)
            ),
        )
    };
    // A body a little over the limit is read (and dropped) so the browser gets the answer
    // rather than a reset connection; a larger one is refused before reading.
    const SLACK: u64 = 16 * 1024 * 1024;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limits.file_bytes.saturating_add(SLACK)) {
        return Err(too_big());
    }
    let cap = usize::try_from(limits.file_bytes.saturating_add(SLACK)).unwrap_or(usize::MAX);
    let bytes = axum::body::to_bytes(body, cap)
        .await
        .map_err(|_| too_big())?;
    if bytes.len() as u64 > limits.file_bytes {
        return Err(too_big());
    }
    let name = names::clean_upload(&query.name)
        .map_err(|_| ApiError::new(StatusCode::BAD_REQUEST, "文件名为空或无效，无法接收"))?;

    // A .zip of submissions becomes one file per entry, unpacked straight to disk; anything
    // else is one file. Either way its bytes are taken from the session's budget first.
    let budget = SessionBudget {
        session: session.clone(),
        limit: limits.session_bytes,
    };
    let over_budget = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "本页面已接收的文件总大小将超过上限 {}；请先下载结果，刷新页面后再继续",
                archive::size_text(limits.session_bytes)
            ),
        )
    };
    let mut entries: Vec<(String, Result<Upload, String>)> = Vec::new();
    let staging = session
        .dir
        .join("staging")
        .join(app.next_dir.fetch_add(1, Ordering::Relaxed).to_string());
    if archive::is_archive_name(&name) {
        let zip_limits = archive::ZipLimits {
            entries: limits.zip_entries,
            total: limits.zip_bytes,
            entry: limits.file_bytes,
        };
        std::fs::create_dir_all(&staging).map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                format!(
                    "无法保存上传的文件：{}",
                    crate::fsutil::describe_io_error(&e)
                ),
            )
        })?;
        let (dir, budget) = (staging.clone(), budget.clone());
        let unpacked =
            tokio::task::spawn_blocking(move || archive::unpack(&bytes, zip_limits, &dir, &budget))
                .await
                .map_err(|_| {
                    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "解压时程序内部出错")
                })?;
        match unpacked {
            // Entries keep their folders inside the archive, as unzipping would give them.
            Ok(list) => entries.extend(list.into_iter().map(|e| {
                let content = e.content.map(|(path, len)| Upload::Staged(path, len));
                (e.name, content)
            })),
            Err(e) => entries.push((name.clone(), Err(e.to_string()))),
        }
    } else {
        if !archive::Budget::take(&budget, bytes.len() as u64) {
            return Err(over_budget());
        }
        entries.push((name.clone(), Ok(Upload::Bytes(bytes))));
    }

    // Check the session's file limit and take the names, all at once.
    // Each new file: its number, its name, and its content (none when refused).
    let added: Result<Vec<(usize, String, Option<Upload>)>, ApiError> = {
        let mut state = lock(&session.state);
        let incoming = entries.len();
        if state.files.len() + incoming > limits.session_files {
            Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "一次最多处理 {} 个文件（已有 {} 个，这次 {} 个）；请先下载结果，刷新页面后再继续",
                    limits.session_files,
                    state.files.len(),
                    incoming
                ),
            ))
        } else {
            let mut added = Vec::new();
            for (entry_name, content) in entries.drain(..) {
                let id = state.files.len();
                let (unique, content, refused) = match content {
                    Ok(content) => {
                        let unique = match names::clean_upload(&entry_name) {
                            Ok(clean) => names::unique(&clean, &mut state.taken),
                            Err(_) => names::unique("未命名", &mut state.taken),
                        };
                        (unique, Some(content), None)
                    }
                    Err(why) => (entry_name, None, Some(why)),
                };
                state.files.push(FileEntry {
                    name: unique.clone(),
                    stage: match &refused {
                        Some(why) => Stage::Done(Arc::new(failed_outcome(why.clone()))),
                        None => Stage::Queued,
                    },
                });
                added.push((id, unique, content));
            }
            Ok(added)
        }
    };
    let added = match added {
        Ok(added) => added,
        Err(refused) => {
            let taken: u64 = entries
                .iter()
                .filter_map(|(_, c)| c.as_ref().ok().map(Upload::len))
                .sum();
            archive::Budget::give_back(&budget, taken);
            let _ = std::fs::remove_dir_all(&staging);
            return Err(refused);
        }
    };

    // Store the files (atomically: the batch behind "download all" never sees half a file),
    // then queue them.
    let mut jobs = Vec::new();
    let mut listed = Vec::new();
    for (id, name, content) in added {
        listed.push(serde_json::json!({ "id": id, "name": name }));
        let Some(content) = content else { continue };
        let path = inputs_dir(&session.dir).join(&name);
        let stored = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| match &content {
                Upload::Bytes(bytes) => crate::fsutil::write_atomic(&path, bytes),
                Upload::Staged(from, _) => std::fs::rename(from, &path),
            });
        match stored {
            Ok(()) => jobs.push(Job {
                session: session.clone(),
                file: id,
                name,
            }),
            Err(e) => set_stage(
                &session,
                id,
                Stage::Done(Arc::new(failed_outcome(format!(
                    "无法保存上传的文件：{}",
                    crate::fsutil::describe_io_error(&e)
                )))),
            ),
        }
    }
    let _ = std::fs::remove_dir_all(&staging);
    let queue = app.queue.clone();
    tokio::spawn(async move {
        for job in jobs {
            if queue.send(job).await.is_err() {
                return;
            }
        }
    });
    Ok(axum::Json(serde_json::json!({ "files": listed })).into_response())
}

/// One uploaded file on its way into the session: the body of a plain upload, or an entry of
/// a .zip already unpacked to a file of its own (with its size).
enum Upload {
    Bytes(axum::body::Bytes),
    Staged(PathBuf, u64),
}

impl Upload {
    fn len(&self) -> u64 {
        match self {
            Upload::Bytes(b) => b.len() as u64,
            Upload::Staged(_, len) => *len,
        }
    }
}

/// A session's room for uploads ([`Limits::session_bytes`]), shared by all of its requests:
/// bytes are taken as they are stored, so parallel uploads cannot each count on the same room.
#[derive(Clone)]
struct SessionBudget {
    session: Arc<Session>,
    limit: u64,
}

impl archive::Budget for SessionBudget {
    fn take(&self, n: u64) -> bool {
        let mut state = lock(&self.session.state);
        let ok = state.bytes.saturating_add(n) <= self.limit;
        if ok {
            state.bytes += n;
        }
        ok
    }

    fn give_back(&self, n: u64) {
        let mut state = lock(&self.session.state);
        state.bytes = state.bytes.saturating_sub(n);
    }
}

#[derive(Serialize)]
struct FileLine<'a> {
    id: usize,
    name: &'a str,
    /// `queued`, `working`, `ok`, `warnings`, `error`, `skipped`.
    state: &'static str,
    /// The state in Chinese.
    label: &'static str,
    message: Option<&'a str>,
    projects: usize,
    indicators: usize,
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn file_line(id: usize, entry: &FileEntry) -> FileLine<'_> {
    let mut line = FileLine {
        id,
        name: &entry.name,
        state: "queued",
        label: "排队中",
        message: None,
        projects: 0,
        indicators: 0,
        errors: 0,
        warnings: 0,
        infos: 0,
    };
    match &entry.stage {
        Stage::Queued => {}
        Stage::Working => {
            line.state = "working";
            line.label = "转换中";
        }
        Stage::Done(o) => {
            let fate = &o.fate;
            line.state = match fate.status {
                Status::Ok => "ok",
                Status::Warnings => "warnings",
                Status::Error => "error",
                Status::Skipped => "skipped",
            };
            line.label = fate.status.label();
            line.message = fate.message.as_deref();
            line.projects = fate.projects;
            line.indicators = fate.indicators;
            line.errors = fate.errors;
            line.warnings = fate.warnings;
            line.infos = fate.infos;
        }
    }
    line
}

async fn list(State(app): State<App>, UrlPath(sid): UrlPath<String>) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let state = lock(&session.state);
    let files: Vec<FileLine> = state
        .files
        .iter()
        .enumerate()
        .map(|(i, e)| file_line(i, e))
        .collect();
    let done = state
        .files
        .iter()
        .filter(|f| matches!(f.stage, Stage::Done(_)))
        .count();
    Ok(axum::Json(serde_json::json!({
        "files": files,
        "total": state.files.len(),
        "done": done,
    }))
    .into_response())
}

fn done_entry(session: &Session, fid: usize) -> Result<(String, Arc<Outcome>), ApiError> {
    let state = lock(&session.state);
    let entry = state
        .files
        .get(fid)
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "没有这个文件"))?;
    match &entry.stage {
        Stage::Done(o) => Ok((entry.name.clone(), o.clone())),
        _ => Err(ApiError::new(
            StatusCode::CONFLICT,
            "这个文件还在转换，请稍候",
        )),
    }
}

async fn detail(
    State(app): State<App>,
    UrlPath((sid, fid)): UrlPath<(String, usize)>,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let (name, outcome) = done_entry(&session, fid)?;
    let state = lock(&session.state);
    let line = file_line(fid, &state.files[fid]);
    // The stored detail is JSON already: splice the file's line in front of it.
    let head = serde_json::to_string(&serde_json::json!({ "file": line, "name": name }))
        .unwrap_or_else(|_| "{}".into());
    let body = format!(
        "{},{}",
        head.trim_end_matches('}'),
        outcome.detail.trim_start_matches('{')
    );
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

async fn output(
    State(app): State<App>,
    UrlPath((sid, fid, format)): UrlPath<(String, usize, String)>,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let format = match format.as_str() {
        "json" => OutputFormat::Json,
        "xlsx" => OutputFormat::Xlsx,
        "pdf" => OutputFormat::Pdf,
        _ => return Err(ApiError::new(StatusCode::NOT_FOUND, "没有这种输出格式")),
    };
    let (name, outcome) = done_entry(&session, fid)?;
    if !outcome.outputs.contains(&format) {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            format!(
                "这个文件没有 {} 输出（转换失败或没有表格）",
                format.extension()
            ),
        ));
    }
    let path = output_file(&session.dir, fid, format);
    let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(|| ApiError::new(StatusCode::GONE, "输出文件已不在（会话已结束）"))?;
    // Named as `convert` names it: the input's stem and the format's extension.
    let base = name.rsplit('/').next().unwrap_or(&name);
    let stem = Path::new(base)
        .file_stem()
        .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
    let content_type = match format {
        OutputFormat::Json => "application/json",
        OutputFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        OutputFormat::Pdf => "application/pdf",
    };
    download(
        bytes,
        content_type,
        &format!("{stem}.{}", format.extension()),
    )
}

fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Result<Response, ApiError> {
    let disposition = HeaderValue::from_str(&names::content_disposition(name))
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "文件名无效"))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CONTENT_DISPOSITION, disposition);
    Ok(response)
}

/// The name of the archive of everything.
pub const ALL_ZIP_NAME: &str = "转换结果.zip";

async fn all_zip(
    State(app): State<App>,
    UrlPath(sid): UrlPath<String>,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let _packing = session.packing.lock().await;
    {
        let state = lock(&session.state);
        if state.files.is_empty() {
            return Err(ApiError::new(StatusCode::CONFLICT, "还没有文件"));
        }
        let waiting = state
            .files
            .iter()
            .filter(|f| !matches!(f.stage, Stage::Done(_)))
            .count();
        if waiting > 0 {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                format!("还有 {waiting} 个文件在转换，请稍候再下载"),
            ));
        }
    }
    // The files corrected by hand go into the batch as corrected.
    let corrected: HashMap<String, Document> = lock(&session.state)
        .files
        .iter()
        .filter_map(|f| match &f.stage {
            Stage::Done(o) => o
                .document
                .as_ref()
                .filter(|d| !d.corrections.is_empty())
                .map(|d| (f.name.clone(), d.clone())),
            _ => None,
        })
        .collect();
    let dir = session.dir.clone();
    let options = crate::batch::BatchOptions {
        formats: OutputFormat::ALL.to_vec(),
        jobs: Some(app.workers),
        read: app.read.clone(),
        progress: crate::batch::Progress::Quiet,
        // As the page's own conversions: in worker processes when the page has them.
        workers: app.worker.clone(),
        stop: Arc::default(),
    };
    let packed = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, String> {
        let out = dir.join("batch");
        let _ = std::fs::remove_dir_all(&out);
        crate::batch::run_with_documents(&inputs_dir(&dir), &out, &options, &corrected)
            .map_err(|e| e.to_string())?;
        let bytes = archive::pack(&out).map_err(|e| format!("无法打包：{e}"));
        let _ = std::fs::remove_dir_all(&out);
        bytes
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "打包时程序内部出错"))?
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e))?;
    download(packed, "application/zip", ALL_ZIP_NAME)
}
