//! The server's life: bound to its address, serving on a thread of its own with its own
//! runtime, until stopped or interrupted (Ctrl-C, SIGTERM); its temporary folder made at the
//! start, removed at the end, and those of servers that died without removing theirs removed
//! by the next one. Opening the page in the clerk's browser.

use super::sessions::{self, App};
use super::{ServeOptions, routes};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
                    let header_timeout = options.header_timeout;
                    let app = App::new(options, root_for_app, addr);
                    let router = routes::router(app.clone());
                    let sweeper = tokio::spawn(sessions::sweep(app.clone()));
                    let shutdown = async move {
                        let _ = stop_rx.await;
                    };
                    serve_connections(listener, router, header_timeout, shutdown).await;
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

/// How long a connection in-flight requests may take to finish once the server stops.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections until `shutdown`, each served by hyper's HTTP/1 with a timer, so that
/// a connection whose request headers do not arrive within `header_timeout` (from its opening,
/// or from the end of its previous answer) is closed: a client that opens connections and
/// sends a header line now and then (slowloris), or never sends one, holds nothing for long.
/// On shutdown, idle connections close at once and the others finish the answer they are
/// giving, for [`DRAIN_TIMEOUT`] at most.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    header_timeout: Duration,
    shutdown: impl std::future::Future<Output = ()>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    // Every connection holds a clone of `open`; `all_closed` ends when the last is dropped.
    let (open, mut all_closed) = tokio::sync::mpsc::channel::<()>(1);
    let (closing_tx, closing_rx) = tokio::sync::watch::channel(false);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // A peer that gave up before its connection was taken is no matter;
                    // anything else (out of file handles) is waited out, as hyper did.
                    if !matches!(
                        e.kind(),
                        std::io::ErrorKind::ConnectionRefused
                            | std::io::ErrorKind::ConnectionAborted
                            | std::io::ErrorKind::ConnectionReset
                    ) {
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        let connection = http.serve_connection(
            TokioIo::new(stream),
            TowerToHyperService::new(router.clone()),
        );
        let mut closing = closing_rx.clone();
        let open = open.clone();
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let stopping = tokio::select! {
                _ = connection.as_mut() => false,
                _ = closing.wait_for(|&c| c) => true,
            };
            if stopping {
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
            drop(open);
        });
    }
    drop(listener);
    let _ = closing_tx.send(true);
    drop(open);
    let _ = tokio::time::timeout(DRAIN_TIMEOUT, all_closed.recv()).await;
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
