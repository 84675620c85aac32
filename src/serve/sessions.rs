//! The server's state: one session per open page, each with its uploads (under a folder of
//! its own in the temporary folder) and what became of each; sessions made, closed by the
//! page, and dropped after [`ServeOptions::session_timeout`] without a request.

use super::conversion::{self, Job, inputs_dir};
use super::outcome::Outcome;
use super::security::{allowed_hosts, random_id};
use super::{ApiError, Limits, ServeOptions, lock, names};
use crate::Options;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

pub(super) struct AppInner {
    pub(super) read: Options,
    /// The child processes conversions run in, and how they are started (see
    /// [`ServeOptions::worker`]).
    pub(super) worker: Option<crate::worker::WorkerCommand>,
    pub(super) pool: Option<crate::worker::Workers>,
    pub(super) limits: Limits,
    pub(super) workers: usize,
    pub(super) timeout: Duration,
    pub(super) root: PathBuf,
    pub(super) sessions: Mutex<HashMap<String, Arc<Session>>>,
    pub(super) queue: mpsc::Sender<Job>,
    /// `Host` values accepted; empty when listening beyond loopback.
    pub(super) hosts: Vec<String>,
    pub(super) next_dir: AtomicU64,
}

#[derive(Clone)]
pub(super) struct App(pub(super) Arc<AppInner>);

impl std::ops::Deref for App {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

pub(super) struct Session {
    pub(super) dir: PathBuf,
    pub(super) state: Mutex<SessionState>,
    pub(super) touched: Mutex<Instant>,
    pub(super) closed: AtomicBool,
    /// One .zip of everything built, or one correction applied, at a time.
    pub(super) packing: tokio::sync::Mutex<()>,
}

#[derive(Default)]
pub(super) struct SessionState {
    pub(super) files: Vec<FileEntry>,
    pub(super) bytes: u64,
    pub(super) taken: names::Taken,
}

pub(super) struct FileEntry {
    pub(super) name: String,
    pub(super) stage: Stage,
}

pub(super) enum Stage {
    Queued,
    Working,
    Done(Arc<Outcome>),
}

impl App {
    pub(super) fn new(options: ServeOptions, root: PathBuf, addr: SocketAddr) -> App {
        let (tx, rx) = mpsc::channel::<Job>(options.queue.max(1));
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
            hosts: allowed_hosts(&addr),
            next_dir: AtomicU64::new(0),
        }));
        let rx = Arc::new(tokio::sync::Mutex::new(rx));
        for _ in 0..app.workers {
            tokio::spawn(conversion::worker(app.clone(), rx.clone()));
        }
        app
    }

    pub(super) fn session(&self, id: &str) -> Result<Arc<Session>, ApiError> {
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

    pub(super) fn close(&self, id: &str) {
        let removed = lock(&self.sessions).remove(id);
        if let Some(session) = removed {
            session.closed.store(true, Ordering::Relaxed);
            let _ = std::fs::remove_dir_all(&session.dir);
        }
    }

    pub(super) fn close_all(&self) {
        let ids: Vec<String> = lock(&self.sessions).keys().cloned().collect();
        for id in ids {
            self.close(&id);
        }
    }
}

/// Drops sessions idle for longer than the timeout.
pub(super) async fn sweep(app: App) {
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

pub(super) fn set_stage(session: &Session, file: usize, stage: Stage) {
    if let Some(entry) = lock(&session.state).files.get_mut(file) {
        entry.stage = stage;
    }
}

pub(super) async fn new_session(State(app): State<App>) -> Result<Response, ApiError> {
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
pub(super) struct CloseQuery {
    /// Seconds to wait for another request (the page reloading) before dropping the session.
    grace: Option<u64>,
}

pub(super) async fn close(
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
