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
//!
//! Where things are: `server` (the server's life: start, stop, its temporary folder),
//! `sessions` (the state: one session per open page, made, closed, dropped when idle),
//! `upload` (receiving files and .zips within the limits), `conversion` (the queue and the
//! workers that convert uploads), `outcome` (what the page shows of a file), `routes` (the
//! addresses and the answers about files), `security` (Host and Origin checks, headers,
//! session ids), `corrections` (corrections by hand), `view` (the tables laid out as the
//! standard form), `names` (upload names made safe), `archive` (.zip in and out).

mod archive;
mod conversion;
mod corrections;
mod names;
mod outcome;
mod routes;
mod security;
mod server;
mod sessions;
mod upload;
mod view;

pub use routes::ALL_ZIP_NAME;
pub use security::{CONTENT_SECURITY_POLICY, is_loopback};
pub use server::{Server, open_browser};
#[doc(hidden)]
pub use upload::fuzz_upload;

use crate::Options;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::sync::Mutex;
use std::time::Duration;

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
    /// must name every format ([`crate::OutputFormat::ALL`]): the page offers all of them.
    pub worker: Option<crate::worker::WorkerCommand>,
    /// A connection whose request headers have not all arrived this long after it opened (or
    /// after its previous answer) is closed. Default 5 seconds.
    pub header_timeout: Duration,
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
            header_timeout: Duration::from_secs(5),
        }
    }
}

/// Locks a mutex; a panic elsewhere never makes the server unusable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

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
