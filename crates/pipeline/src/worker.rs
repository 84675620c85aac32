//! Converting in child processes, so that an input that kills its process — an allocation
//! that aborts, a stack overflow, anything `catch_unwind` cannot catch — fails alone: the
//! batch goes on and its report marks that file failed.
//!
//! A worker is the same program started with a hidden subcommand ([`WorkerCommand`]); it
//! reads one request per line on standard input and answers each on standard output with
//! [`serve`], converting with the same [`crate::load_file`] and renderers as everything else. The parent
//! ([`Workers`]) writes every output itself, through its [`crate::fsutil::OutputGuard`]: a
//! worker never writes a file.
//!
//! The wire format (private to one program version): a request is one JSON line
//! `{"path": …, "name": …}`; the answer is each output as one JSON line (its format, length,
//! error and diagnostics) followed by its bytes, then one JSON line that ends it: the document,
//! or why there is none. The worker renders an output, sends it and lets it go before
//! rendering the next, so it never holds more than one. When a JSON output was sent (and is
//! within [`MAX_ANSWER_BYTES`]), the last line does not repeat the document: the parent reads
//! it from that output, which is the document's serde form too ([`jixiao_json`]), so the
//! document is serialized once per file, not twice, and crosses the pipe once.

use crate::convert::{ConvertError, Converted, Output};
use crate::{Options, OutputFormat, RenderError};
use jixiao_model::{Diagnostic, Document};
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::{Arc, Mutex};

/// The environment variable that makes a worker abort on an input whose name ends with its
/// value — for tests of the batch's survival only; nothing else reads it.
pub const TEST_ABORT_ENV: &str = "JIXIAO_TEST_WORKER_ABORT";

/// The environment variable that makes a worker hang on an input whose name ends with its
/// value — for tests of the time limit only; nothing else reads it.
pub const TEST_HANG_ENV: &str = "JIXIAO_TEST_WORKER_HANG";

/// The environment variable that makes a worker answer an input whose name ends with its value
/// with more than [`MAX_ANSWER_BYTES`] — for tests of the bounded answer only; nothing else
/// reads it.
pub const TEST_FLOOD_ENV: &str = "JIXIAO_TEST_WORKER_FLOOD";

/// How to start a worker: a program and its arguments (for `jixiao`: the program itself with
/// `__worker` and the run's `--to`, `--template` and `--font`).
#[derive(Debug, Clone)]
pub struct WorkerCommand {
    /// The program.
    pub program: PathBuf,
    /// Its arguments.
    pub args: Vec<OsString>,
    /// The longest one file may take; a worker still busy after it is ended and the file
    /// fails. `None`: no limit.
    pub timeout: Option<std::time::Duration>,
}

/// Why an input produced no document, as a report needs it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NotConverted {
    /// The input is plainly not a table ([`ConvertError::not_a_table`]).
    pub not_a_table: bool,
    /// Why, in Chinese.
    pub message: String,
}

impl From<ConvertError> for NotConverted {
    fn from(e: ConvertError) -> Self {
        NotConverted {
            not_a_table: e.not_a_table(),
            message: e.to_string(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Request {
    path: PathBuf,
    name: String,
}

/// One line of a worker's answer: an output's header (its bytes follow the line), or the end.
#[derive(Deserialize)]
enum Answer {
    Output(OutputHeader),
    /// The document (`Ok(None)`: it is the JSON output sent before), or why there is none.
    Done(Result<Option<Box<Document>>, NotConverted>),
}

/// [`Answer`] as the worker sends it, borrowed.
#[derive(Serialize)]
enum AnswerSent<'a> {
    Output(&'a OutputHeader),
    Done(Result<Option<&'a Document>, NotConverted>),
}

#[derive(Serialize, Deserialize)]
struct OutputHeader {
    format: String,
    len: usize,
    error: Option<String>,
    diagnostics: Vec<Diagnostic>,
}

/// The worker's side: answers every request on `input` until it ends, converting each file
/// into `formats` with `options`.
///
/// # Errors
///
/// When a request is not understood or `output` fails (the parent went away).
///
/// A worker ends when its parent does: requests are read on a thread of their own, and when
/// `input` ends (the parent closed it, or died and the system closed it) the process exits at
/// once, even in the middle of a file, so that no worker outlives the program it works for.
pub fn serve(
    input: impl BufRead + Send + 'static,
    mut output: impl Write,
    formats: &[OutputFormat],
    options: &Options,
) -> std::io::Result<()> {
    let trigger = |var: &str| std::env::var(var).ok().filter(|v| !v.is_empty());
    let (abort_on, hang_on, flood_on) = (
        trigger(TEST_ABORT_ENV),
        trigger(TEST_HANG_ENV),
        trigger(TEST_FLOOD_ENV),
    );
    let (requests, received) = std::sync::mpsc::sync_channel::<String>(1);
    std::thread::spawn(move || {
        for line in input.lines() {
            let Ok(line) = line else { break };
            if requests.send(line).is_err() {
                break;
            }
        }
        std::process::exit(0);
    });
    for line in received {
        let request: Request = serde_json::from_str(&line)?;
        let named = |t: &Option<String>| t.as_deref().is_some_and(|a| request.name.ends_with(a));
        if named(&abort_on) {
            std::process::abort();
        }
        if named(&hang_on) {
            loop {
                std::thread::park();
            }
        }
        if named(&flood_on) {
            let chunk = vec![b' '; 1024 * 1024];
            for _ in 0..=MAX_ANSWER_BYTES / chunk.len() {
                output.write_all(&chunk)?;
            }
            output.flush()?;
            continue;
        }
        let document = crate::convert::load_file(&request.path, &request.name, options);
        let formats = match &document {
            Ok(d) if !crate::is_empty(d) => formats,
            _ => &[][..],
        };
        // Whether the document went as its JSON output (see the module's note).
        let mut sent_as_json = false;
        if let Ok(document) = &document {
            for &format in formats {
                let o = crate::convert::render_one(document, format, options);
                let header = OutputHeader {
                    format: o.format.extension().to_string(),
                    len: o.bytes.as_ref().map_or(0, Vec::len),
                    error: o.bytes.as_ref().err().map(ToString::to_string),
                    diagnostics: o.diagnostics,
                };
                serde_json::to_writer(&mut output, &AnswerSent::Output(&header))?;
                output.write_all(b"\n")?;
                if let Ok(bytes) = &o.bytes {
                    output.write_all(bytes)?;
                    sent_as_json |= format == OutputFormat::Json && bytes.len() <= MAX_ANSWER_BYTES;
                }
            }
        }
        let done = match &document {
            Ok(_) if sent_as_json => Ok(None),
            Ok(d) => Ok(Some(d)),
            Err(e) => Err(NotConverted {
                not_a_table: e.not_a_table(),
                message: e.to_string(),
            }),
        };
        serde_json::to_writer(&mut output, &AnswerSent::Done(done))?;
        output.write_all(b"\n")?;
        output.flush()?;
    }
    Ok(())
}

/// The document a worker sent as its JSON output (the first), read within
/// [`MAX_ANSWER_BYTES`] as a document sent on its own line is.
fn document_of_json(outputs: &[Output]) -> std::io::Result<Document> {
    let json = outputs
        .iter()
        .find(|o| o.format == OutputFormat::Json)
        .and_then(|o| o.bytes.as_ref().ok())
        .ok_or_else(|| std::io::Error::other("缺少文档"))?;
    if json.len() > MAX_ANSWER_BYTES {
        return Err(std::io::Error::other(AnswerTooLarge(MAX_ANSWER_BYTES)));
    }
    Ok(serde_json::from_slice(json)?)
}

/// One running worker.
struct Worker {
    /// Shared with the watchdog that ends a worker over its time limit.
    child: Arc<Mutex<Child>>,
    /// Set by the watchdog when it ended the worker.
    timed_out: Arc<std::sync::atomic::AtomicBool>,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
    /// The end of what the worker wrote on standard error (the last words of a process that
    /// aborts: "memory allocation of … bytes failed").
    stderr: Arc<Mutex<Vec<u8>>>,
    stderr_reader: Option<std::thread::JoinHandle<()>>,
    /// The watchdog of this worker, started with its first timed file and kept: it is told
    /// each file's deadline (`Some`) and when the file is done (`None`).
    watchdog: Option<std::sync::mpsc::Sender<Option<std::time::Instant>>>,
}

/// How much of a worker's standard error is kept.
const STDERR_TAIL: usize = 2048;

/// The largest answer line (the document, or one output's header with its diagnostics, as
/// JSON) read from a worker, and the largest JSON output the parent reads the document from:
/// 64 MB. A performance table's document is a few hundred kilobytes, and diagnostics
/// are bounded per code ([`jixiao_model::diagnostic::MAX_PER_CODE`]).
pub const MAX_ANSWER_BYTES: usize = 64 * 1024 * 1024;

/// The largest total of one file's outputs (JSON, XLSX, PDF) read from a worker: 512 MB.
pub const MAX_OUTPUT_BYTES: usize = 512 * 1024 * 1024;

/// A worker's answer is over [`MAX_ANSWER_BYTES`] or [`MAX_OUTPUT_BYTES`] (the limit it
/// passed, in bytes).
#[derive(Debug)]
struct AnswerTooLarge(usize);

impl std::fmt::Display for AnswerTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("转换结果过大")
    }
}

impl std::error::Error for AnswerTooLarge {}

impl Worker {
    fn start(command: &WorkerCommand) -> std::io::Result<Worker> {
        let mut child = Command::new(&command.program)
            .args(&command.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()?;
        let missing = || std::io::Error::other("管道未建立");
        let stdin = child.stdin.take().ok_or_else(missing)?;
        let stdout = BufReader::new(child.stdout.take().ok_or_else(missing)?);
        let mut err = child.stderr.take().ok_or_else(missing)?;
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let tail = Arc::clone(&stderr);
        let stderr_reader = std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            while let Ok(n) = err.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut t = tail.lock().unwrap_or_else(|e| e.into_inner());
                t.extend_from_slice(&buf[..n]);
                let excess = t.len().saturating_sub(STDERR_TAIL);
                t.drain(..excess);
            }
        });
        Ok(Worker {
            child: Arc::new(Mutex::new(child)),
            timed_out: Arc::new(std::sync::atomic::AtomicBool::new(false)),
            stdin,
            stdout,
            stderr,
            stderr_reader: Some(stderr_reader),
            watchdog: None,
        })
    }

    /// [`Worker::exchange`] under a watchdog that ends the worker after `timeout`.
    fn convert(
        &mut self,
        path: &Path,
        name: &str,
        timeout: Option<std::time::Duration>,
    ) -> std::io::Result<Result<Converted, NotConverted>> {
        let Some(timeout) = timeout else {
            return self.exchange(path, name);
        };
        let watchdog = self.watchdog.get_or_insert_with(|| {
            let (tell, told) = std::sync::mpsc::channel::<Option<std::time::Instant>>();
            let child = Arc::clone(&self.child);
            let timed_out = Arc::clone(&self.timed_out);
            // One thread for the worker's whole life, not one per file.
            std::thread::spawn(move || {
                use std::sync::mpsc::RecvTimeoutError;
                while let Ok(message) = told.recv() {
                    let Some(deadline) = message else { continue };
                    let left = deadline.saturating_duration_since(std::time::Instant::now());
                    match told.recv_timeout(left) {
                        // Done in time (or, should it come, the next deadline: no file is
                        // sent before the last one is answered).
                        Ok(_) => {}
                        Err(RecvTimeoutError::Timeout) => {
                            timed_out.store(true, std::sync::atomic::Ordering::SeqCst);
                            let _ = child.lock().unwrap_or_else(|e| e.into_inner()).kill();
                        }
                        Err(RecvTimeoutError::Disconnected) => return,
                    }
                }
            });
            tell
        });
        let _ = watchdog.send(Some(std::time::Instant::now() + timeout));
        let result = self.exchange(path, name);
        if let Some(watchdog) = &self.watchdog {
            let _ = watchdog.send(None);
        }
        result
    }

    /// Sends one request and reads its reply.
    fn exchange(
        &mut self,
        path: &Path,
        name: &str,
    ) -> std::io::Result<Result<Converted, NotConverted>> {
        let request = Request {
            path: path.to_path_buf(),
            name: name.to_string(),
        };
        // One write: the pipe is unbuffered, and serde_json writes a value piece by piece.
        let mut line = serde_json::to_vec(&request)?;
        line.push(b'\n');
        self.stdin.write_all(&line)?;
        self.stdin.flush()?;
        // The answer is read within limits: a worker that would send more (a file that makes
        // it produce a huge document) fails its own file, never the process reading it.
        let mut outputs: Vec<Output> = Vec::with_capacity(OutputFormat::ALL.len());
        let mut total = 0usize;
        loop {
            let o = match serde_json::from_slice::<Answer>(&self.read_line()?)? {
                Answer::Output(o) => o,
                Answer::Done(result) => {
                    let document = match result {
                        Ok(Some(document)) => Ok(*document),
                        Ok(None) => Ok(document_of_json(&outputs)?),
                        Err(why) => Err(why),
                    };
                    return Ok(document.map(|document| Converted { document, outputs }));
                }
            };
            if outputs.len() >= OutputFormat::ALL.len() {
                return Err(std::io::Error::other("输出过多"));
            }
            let format = OutputFormat::ALL
                .iter()
                .copied()
                .find(|f| f.extension() == o.format)
                .ok_or_else(|| std::io::Error::other("未知的输出格式"))?;
            total = total.saturating_add(o.len);
            if total > MAX_OUTPUT_BYTES {
                return Err(std::io::Error::other(AnswerTooLarge(MAX_OUTPUT_BYTES)));
            }
            let mut bytes = vec![0; o.len];
            self.stdout.read_exact(&mut bytes)?;
            outputs.push(Output {
                format,
                bytes: match o.error {
                    Some(e) => Err(RenderError::Writer(e)),
                    None => Ok(bytes),
                },
                diagnostics: o.diagnostics,
            });
        }
    }

    /// One line of the answer, at most [`MAX_ANSWER_BYTES`] long.
    fn read_line(&mut self) -> std::io::Result<Vec<u8>> {
        let mut line = Vec::new();
        (&mut self.stdout)
            .take(MAX_ANSWER_BYTES as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if line.last() != Some(&b'\n') {
            return Err(if line.len() > MAX_ANSWER_BYTES {
                std::io::Error::other(AnswerTooLarge(MAX_ANSWER_BYTES))
            } else {
                std::io::ErrorKind::UnexpectedEof.into()
            });
        }
        Ok(line)
    }

    /// Ends the worker (killing it if it is still running) and says how it ended, with the
    /// last line it wrote on standard error.
    fn end(mut self, timeout: Option<std::time::Duration>) -> String {
        let status = {
            let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
            let _ = child.kill();
            child.wait()
        };
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let tail = self
            .stderr
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let last = String::from_utf8_lossy(&tail)
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(|l| format!("；最后的输出：{}", l.trim()))
            .unwrap_or_default();
        if self.timed_out.load(std::sync::atomic::Ordering::SeqCst) {
            let secs = timeout.map_or(0, |t| t.as_secs());
            return format!("超过 {secs} 秒仍未完成，已终止（文件可能过大或结构异常）");
        }
        match status {
            Ok(s) => format!("{}{last}", describe_status(s)),
            Err(e) => format!(
                "无法取得退出状态：{}{last}",
                crate::fsutil::describe_io_error(&e)
            ),
        }
    }
}

fn describe_status(status: std::process::ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let why = match signal {
                6 => "（SIGABRT）终止，常见原因是文件声明的大小使内存分配失败",
                2 => "（SIGINT）终止：转换被中断",
                9 => "（SIGKILL）终止，常见原因是内存不足",
                11 => "（SIGSEGV）终止，常见原因是栈溢出",
                15 => "（SIGTERM）终止：转换被中断",
                _ => "终止",
            };
            return format!("被信号 {signal}{why}");
        }
    }
    match status.code() {
        Some(code) => format!("以退出码 {code} 结束"),
        None => "异常结束".into(),
    }
}

/// A pool of workers shared by the batch's threads: each conversion takes an idle worker (or
/// starts one), and a worker that dies is replaced by a fresh one for the next file.
pub struct Workers {
    command: WorkerCommand,
    idle: Mutex<Vec<Worker>>,
    /// The processes of the workers converting a file now, by process id.
    busy: Mutex<std::collections::HashMap<u32, Arc<Mutex<Child>>>>,
    /// Set by [`Workers::stop`]: no file is started any more.
    stopped: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Workers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workers")
            .field("command", &self.command)
            .finish_non_exhaustive()
    }
}

impl Workers {
    /// A pool that starts workers with `command` when needed.
    pub fn new(command: WorkerCommand) -> Self {
        Workers {
            command,
            idle: Mutex::new(Vec::new()),
            busy: Mutex::new(std::collections::HashMap::new()),
            stopped: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// Converts the file at `path` (named `name` in diagnostics) in a worker. A worker that
    /// cannot be started, dies or answers nonsense fails this file only, with the reason.
    pub fn convert(&self, path: &Path, name: &str) -> Result<Converted, NotConverted> {
        if self.stopped.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(NotConverted {
                not_a_table: false,
                message: "转换已停止，此文件未转换".into(),
            });
        }
        let worker = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut worker = match worker {
            Some(w) => w,
            None => Worker::start(&self.command).map_err(|e| NotConverted {
                not_a_table: false,
                message: format!("无法启动转换进程：{}", crate::fsutil::describe_io_error(&e)),
            })?,
        };
        let pid = {
            let child = worker.child.lock().unwrap_or_else(|e| e.into_inner());
            child.id()
        };
        self.busy
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(pid, Arc::clone(&worker.child));
        let answer = worker.convert(path, name, self.command.timeout);
        self.busy
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&pid);
        match answer {
            Ok(result) => {
                self.idle
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .push(worker);
                result
            }
            Err(e) if e.get_ref().is_some_and(|e| e.is::<AnswerTooLarge>()) => {
                let limit = e
                    .get_ref()
                    .and_then(|e| e.downcast_ref::<AnswerTooLarge>())
                    .map_or(0, |t| t.0);
                // The worker is in the middle of its answer: end it; the next file gets a
                // fresh one.
                let _ = worker.end(self.command.timeout);
                Err(NotConverted {
                    not_a_table: false,
                    message: format!(
                        "转换结果过大（超过 {} MB 的上限；文件中可能有成千上万处重复的异常结构，如大量空的嵌套表格），此文件未转换，其他文件不受影响",
                        limit / (1024 * 1024)
                    ),
                })
            }
            Err(_) => Err(NotConverted {
                not_a_table: false,
                message: format!(
                    "转换此文件的进程意外终止：{}；此文件未转换，其他文件不受影响",
                    worker.end(self.command.timeout)
                ),
            }),
        }
    }
}

impl Workers {
    /// Stops: no file is started any more, and the workers converting a file now are ended
    /// (their files fail; the caller says why).
    pub fn stop(&self) {
        self.stopped
            .store(true, std::sync::atomic::Ordering::SeqCst);
        let busy: Vec<Arc<Mutex<Child>>> = self
            .busy
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect();
        for child in busy {
            let _ = child.lock().unwrap_or_else(|e| e.into_inner()).kill();
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|e| e.into_inner()));
        for w in idle {
            // Closing standard input ends the worker's loop; wait for it to exit.
            let Worker {
                child,
                stdin,
                stderr_reader,
                ..
            } = w;
            drop(stdin);
            let _ = child.lock().unwrap_or_else(|e| e.into_inner()).wait();
            if let Some(r) = stderr_reader {
                let _ = r.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_output(bytes: Vec<u8>) -> Output {
        Output {
            format: OutputFormat::Json,
            bytes: Ok(bytes),
            diagnostics: Vec::new(),
        }
    }

    /// The document read back from the JSON output is the document the worker had.
    #[test]
    fn the_document_is_read_from_its_json_output() {
        let mut doc = Document::default();
        doc.projects.push(jixiao_model::Project {
            project_name: "城市低保".into(),
            ..Default::default()
        });
        let outputs = [json_output(jixiao_json::to_string(&doc).into_bytes())];
        assert_eq!(document_of_json(&outputs).unwrap(), doc);
    }

    /// A JSON output over the answer's bound is not parsed: the file fails as too large, as a
    /// document line over it does.
    #[test]
    fn a_json_output_over_the_bound_is_not_read_as_the_document() {
        let outputs = [json_output(vec![b' '; MAX_ANSWER_BYTES + 1])];
        let e = document_of_json(&outputs).unwrap_err();
        assert!(e.get_ref().is_some_and(|e| e.is::<AnswerTooLarge>()), "{e}");
        // No JSON output at all: an answer that cannot be understood.
        assert!(document_of_json(&[]).is_err());
    }
}
