//! The `jixiao` command line: a thin front end over the library.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use jixiao::model::{Code, Diagnostic};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod help;

/// 绩效目标表转换工具：把各种格式的项目支出绩效目标表转换为标准格式。
#[derive(Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert inputs (Excel .xlsx/.xls/.ods, Word .docx, HTML, OCR Markdown/text, JSON) to the standard formats.
    Convert {
        /// Input files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output formats, comma-separated (default: the forms, xlsx and pdf; json with `-o -`).
        #[arg(long, value_delimiter = ',')]
        to: Option<Vec<OutputFormat>>,
        /// Output directory, or `-` for standard output (JSON only, one input).
        #[arg(short, long, default_value = ".")]
        output: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Write the year-end 绩效自评表 (XLSX) pre-filled from a 目标表 (any input jixiao reads, or
    /// its JSON): every target written and locked, the 实际完成值/分值/得分 cells blank and
    /// unlocked, ready to send to the department.
    Ziping {
        /// The 目标表 (one file; every project in it gets a sheet).
        input: PathBuf,
        /// The 自评表 to write (.xlsx), or a folder to write `<input>-自评表.xlsx` in.
        #[arg(short, long)]
        output: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Read inputs and report every problem found, on standard output, ending with the counts
    /// of errors, warnings and hints.
    Check {
        /// Input files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Also list the hints (提示: notes on what was read and how), not only their count.
        #[arg(long, short)]
        verbose: bool,
        #[command(flatten)]
        common: Common,
    },
    /// Convert every file under a folder (a year's submissions), in parallel, with a report.
    Batch {
        /// The folder of submissions (searched recursively).
        input: PathBuf,
        /// The output folder (outputs mirror the input folders; report.json, report.csv and
        /// the consolidated 全县汇总 files go here).
        #[arg(short, long)]
        output: PathBuf,
        /// Output formats, comma-separated (default: the forms, xlsx and pdf).
        #[arg(long, value_delimiter = ',')]
        to: Option<Vec<OutputFormat>>,
        /// Worker threads (default: one per core).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// No progress display.
        #[arg(long, short)]
        quiet: bool,
        /// Warnings count as failures for the exit code.
        #[arg(long)]
        strict: bool,
        /// The longest one file may take, in seconds (0: no limit); a file still converting
        /// then fails (its worker is ended) and the batch goes on.
        #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TIMEOUT_SECS)]
        timeout: u64,
        #[command(flatten)]
        settings: Settings,
    },
    /// Open a page in the browser that converts dropped files on this computer.
    Serve {
        /// The port (default: 8765, or the next free one after it).
        #[arg(long)]
        port: Option<u16>,
        /// Listen on ADDR (e.g. `0.0.0.0`) instead of 127.0.0.1: other computers can reach the
        /// page.
        #[arg(long, value_name = "ADDR")]
        listen: Option<String>,
        /// Do not open the browser.
        #[arg(long)]
        no_open: bool,
        #[command(flatten)]
        settings: Settings,
    },
    /// List every diagnostic code by family (I3xx reading, R1xx recognition, C2xx review,
    /// L40x/X40x/P50x writers): what each means, and an example.
    Rules,
    /// Explain one diagnostic code (e.g. `jixiao explain R101`), as `rustc --explain` does.
    Explain {
        /// The code, e.g. `R101` or `c201`.
        code: String,
    },
    /// Print the JSON Schema of the jixiao/1 contract.
    Schema,
    /// (internal) A batch worker: converts the files named on standard input, one request a
    /// line, and answers on standard output (see `jixiao::worker`).
    #[command(name = "__worker", hide = true)]
    Worker {
        /// Output formats, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "json")]
        to: Vec<OutputFormat>,
        #[command(flatten)]
        settings: Settings,
    },
}

#[derive(clap::Args)]
struct Common {
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value = "human")]
    diagnostics: DiagnosticsFormat,
    #[command(flatten)]
    settings: Settings,
}

/// The settings every converting command takes.
#[derive(clap::Args)]
struct Settings {
    /// A folder with another `framework.toml` (indicator framework), `form.toml` (standard
    /// form layout), `ziping.toml` (the 自评表's layout) and/or `self_evaluation.toml` (the
    /// 自评 weights) to use.
    #[arg(long, value_name = "DIR")]
    template: Option<PathBuf>,
    /// The font for PDF output, a TTF/OTF/TTC file; `PATH:INDEX` picks a face of a
    /// collection (e.g. `simsun.ttc:0`). Default: the embedded Noto Serif SC (GB2312).
    #[arg(long, value_name = "PATH[:INDEX]")]
    font: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Json,
    Xlsx,
    Pdf,
}

impl From<OutputFormat> for jixiao::OutputFormat {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Json => jixiao::OutputFormat::Json,
            OutputFormat::Xlsx => jixiao::OutputFormat::Xlsx,
            OutputFormat::Pdf => jixiao::OutputFormat::Pdf,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiagnosticsFormat {
    Human,
    Json,
}

/// Why a command stopped: a usage error (exit 2: the arguments or the templates they name are
/// wrong) or an input/output error (exit 1: the file system failed).
enum Failure {
    Usage(String),
    Io(String),
}

impl From<jixiao::OptionsError> for Failure {
    fn from(e: jixiao::OptionsError) -> Self {
        if e.is_io() {
            Failure::Io(e.to_string())
        } else {
            Failure::Usage(e.to_string())
        }
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(jixiao::fsutil::describe_io_error(&e))
    }
}

fn main() -> ExitCode {
    // A panic the Excel reader contains is reported as a damaged file: don't print it too.
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !jixiao_excel::containing_panic() {
            previous(info);
        }
    }));
    // `jixiao` alone prints a short guide (exit 0: asking what the tool does is not a mistake).
    if std::env::args_os().len() <= 1 {
        print!("{}", help::GUIDE);
        return ExitCode::SUCCESS;
    }
    let cli = match help::localize(Cli::command())
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => return help::usage_error(&e),
    };
    match run(cli) {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("错误: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Io(message)) => {
            eprintln!("错误: {message}");
            ExitCode::from(1)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Schema => {
            print!("{}", jixiao_json::schema());
            Ok(ExitCode::SUCCESS)
        }
        Command::Convert {
            inputs,
            to,
            output,
            common,
        } => {
            // To standard output only JSON can go; everywhere else the forms a clerk files.
            let default: &[OutputFormat] = if output == Path::new("-") {
                &[OutputFormat::Json]
            } else {
                DEFAULT_FORMATS
            };
            convert(
                &inputs,
                &formats(to.as_deref().unwrap_or(default)),
                &output,
                &common,
            )
        }
        Command::Check {
            inputs,
            verbose,
            common,
        } => check(&inputs, verbose, &common),
        Command::Ziping {
            input,
            output,
            common,
        } => ziping(&input, &output, &common),
        Command::Batch {
            input,
            output,
            to,
            jobs,
            quiet,
            strict,
            timeout,
            settings,
        } => {
            let flags = BatchFlags {
                jobs,
                quiet,
                strict,
                timeout,
            };
            let to = to.as_deref().unwrap_or(DEFAULT_FORMATS);
            batch(&input, &output, &formats(to), &flags, &settings)
        }
        Command::Serve {
            port,
            listen,
            no_open,
            settings,
        } => serve(port, listen.as_deref(), no_open, &settings),
        Command::Rules => {
            print!("{}", jixiao::rules_text());
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { code } => match jixiao::model::registry::explain(code.trim()) {
            Some(text) => {
                print!("{text}");
                Ok(ExitCode::SUCCESS)
            }
            None => Err(Failure::Usage(format!(
                "没有代码“{code}”；`jixiao rules` 列出全部代码"
            ))),
        },
        Command::Worker { to, settings } => {
            let options = options(&settings)?;
            jixiao::worker::serve(
                std::io::BufReader::new(std::io::stdin()),
                std::io::BufWriter::new(std::io::stdout().lock()),
                &formats(&to),
                &options,
            )?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// How `batch` starts its workers: this program, `__worker`, and the run's settings.
/// How long one file may take in a worker, unless `--timeout` says otherwise (`batch`; the
/// page always).
const DEFAULT_TIMEOUT_SECS: u64 = 300;

fn worker_command(
    formats: &[jixiao::OutputFormat],
    settings: &Settings,
    timeout: u64,
) -> Option<jixiao::worker::WorkerCommand> {
    let program = std::env::current_exe().ok()?;
    let to: Vec<&str> = formats.iter().map(|f| f.extension()).collect();
    let mut args: Vec<std::ffi::OsString> =
        vec!["__worker".into(), "--to".into(), to.join(",").into()];
    if let Some(dir) = &settings.template {
        args.extend(["--template".into(), dir.clone().into_os_string()]);
    }
    if let Some(font) = &settings.font {
        args.extend(["--font".into(), font.into()]);
    }
    Some(jixiao::worker::WorkerCommand {
        program,
        args,
        timeout: (timeout > 0).then(|| std::time::Duration::from_secs(timeout)),
    })
}

/// The output formats asked for, each once, in the order outputs are written.
/// What `convert` and `batch` write unless `--to` says otherwise: the forms a clerk files and
/// prints. JSON (for other systems, and for reading back into jixiao) is written on request.
const DEFAULT_FORMATS: &[OutputFormat] = &[OutputFormat::Xlsx, OutputFormat::Pdf];

fn formats(to: &[OutputFormat]) -> Vec<jixiao::OutputFormat> {
    let mut formats: Vec<jixiao::OutputFormat> = to.iter().map(|&f| f.into()).collect();
    formats.sort();
    formats.dedup();
    formats
}

/// `--template DIR` and `--font PATH[:INDEX]`, loaded once for the run.
fn options(settings: &Settings) -> Result<jixiao::Options, Failure> {
    let options = match &settings.template {
        Some(dir) => jixiao::Options::from_template_dir(dir)?,
        None => jixiao::Options::default(),
    };
    Ok(match &settings.font {
        Some(spec) => options.with_font_file(spec)?,
        None => options,
    })
}

fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `batch`'s own flags.
struct BatchFlags {
    jobs: Option<usize>,
    quiet: bool,
    strict: bool,
    timeout: u64,
}

fn batch(
    input: &Path,
    output: &Path,
    formats: &[jixiao::OutputFormat],
    flags: &BatchFlags,
    settings: &Settings,
) -> Result<ExitCode, Failure> {
    use std::io::IsTerminal;
    let progress = if flags.quiet {
        jixiao::batch::Progress::Quiet
    } else if std::io::stderr().is_terminal() {
        jixiao::batch::Progress::Bar
    } else {
        jixiao::batch::Progress::Lines
    };
    let options = jixiao::batch::BatchOptions {
        formats: formats.to_vec(),
        jobs: flags.jobs,
        read: options(settings)?,
        progress,
        workers: worker_command(formats, settings, flags.timeout),
        stop: std::sync::Arc::default(),
    };
    stop_on_signal(std::sync::Arc::clone(&options.stop));
    let report = jixiao::batch::run(input, output, &options).map_err(|e| match e {
        jixiao::batch::BatchError::Same(_) => Failure::Usage(e.to_string()),
        _ => Failure::Io(e.to_string()),
    })?;
    eprint!("{}", report.summary());
    if report.interrupted {
        // As a shell reports a program ended by Ctrl-C.
        return Ok(ExitCode::from(130));
    }
    Ok(exit(report.failed(flags.strict)))
}

/// The port `jixiao serve` listens on when none is given, so that the page can be
/// bookmarked; when it is taken, the next of [`DEFAULT_PORT_TRIES`] ports that is free.
const DEFAULT_PORT: u16 = 8765;
const DEFAULT_PORT_TRIES: u16 = 10;

/// On Ctrl-C (SIGINT) or SIGTERM, sets `stop`: the batch ends the files in flight and writes
/// the report of what was done. A second signal ends the program at once.
fn stop_on_signal(stop: std::sync::Arc<std::sync::atomic::AtomicBool>) {
    std::thread::spawn(move || {
        let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
        else {
            return;
        };
        runtime.block_on(async {
            #[cfg(unix)]
            let mut term =
                tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
            for second in [false, true] {
                #[cfg(unix)]
                {
                    let terminated = async {
                        match term.as_mut() {
                            Some(t) => {
                                t.recv().await;
                            }
                            None => std::future::pending::<()>().await,
                        }
                    };
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        () = terminated => {}
                    }
                }
                #[cfg(not(unix))]
                let _ = tokio::signal::ctrl_c().await;
                if second {
                    std::process::exit(130);
                }
                eprintln!("收到终止信号：正在停止，已完成的文件照常保留，报告随后写出（再按一次 Ctrl+C 立即退出）");
                stop.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        });
    });
}

/// `jixiao serve`: starts the page's server, prints its address, opens the browser, and
/// serves until Ctrl-C.
fn serve(
    port: Option<u16>,
    listen: Option<&str>,
    no_open: bool,
    settings: &Settings,
) -> Result<ExitCode, Failure> {
    use std::net::{IpAddr, Ipv4Addr, SocketAddr};
    let read = options(settings)?;
    let addr = match listen {
        None => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port.unwrap_or(0)),
        Some(text) => match text.parse::<SocketAddr>() {
            Ok(addr) => addr,
            Err(_) => match text.trim_matches(['[', ']']).parse::<IpAddr>() {
                Ok(ip) => SocketAddr::new(ip, port.unwrap_or(0)),
                Err(_) => {
                    return Err(Failure::Usage(format!(
                        "--listen 的地址“{text}”无效；应为 IP 地址，如 0.0.0.0 或 192.168.1.5:8080"
                    )));
                }
            },
        },
    };
    let loopback = jixiao::serve::is_loopback(&addr);
    if !loopback {
        eprintln!(
            "警告: 正在监听 {addr}：同一网络中的其他电脑也能打开这个页面并上传文件。只在可信的网络中这样使用。"
        );
    }
    let options = jixiao::serve::ServeOptions {
        listen: addr,
        read,
        // Each upload in a child process, as in `batch`, with its default time limit.
        worker: worker_command(jixiao::OutputFormat::ALL, settings, DEFAULT_TIMEOUT_SECS),
        ..jixiao::serve::ServeOptions::default()
    };
    let in_use = |addr: SocketAddr| {
        format!(
            "端口 {} 已被占用：可能已有一个 jixiao serve 在运行（直接在浏览器中打开 http://127.0.0.1:{}/），\
             或用 --port 换一个端口，如 --port {}",
            addr.port(),
            addr.port(),
            addr.port().saturating_add(1)
        )
    };
    // No port given: the fixed default, so that the page can be bookmarked; when it is
    // taken, the next free one, said so.
    let candidates: Vec<SocketAddr> = if addr.port() == 0 {
        (0..DEFAULT_PORT_TRIES)
            .map(|k| SocketAddr::new(addr.ip(), DEFAULT_PORT + k))
            .collect()
    } else {
        vec![addr]
    };
    let mut started = None;
    for (k, &candidate) in candidates.iter().enumerate() {
        match jixiao::serve::Server::start(jixiao::serve::ServeOptions {
            listen: candidate,
            ..options.clone()
        }) {
            Ok(server) => {
                if k > 0 {
                    eprintln!("{}；改用端口 {}。", in_use(candidates[0]), candidate.port());
                }
                started = Some(server);
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && k + 1 < candidates.len() => {}
            Err(e) => {
                return Err(Failure::Io(if e.kind() == std::io::ErrorKind::AddrInUse {
                    if candidates.len() > 1 {
                        format!(
                            "无法启动服务：端口 {}–{} 都已被占用；请用 --port 指定一个空闲端口",
                            DEFAULT_PORT,
                            DEFAULT_PORT + DEFAULT_PORT_TRIES - 1
                        )
                    } else {
                        format!("无法启动服务：{}", in_use(candidate))
                    }
                } else {
                    format!(
                        "无法在 {candidate} 上启动服务：{}",
                        jixiao::fsutil::describe_io_error(&e)
                    )
                }));
            }
        }
    }
    let Some(server) = started else {
        return Err(Failure::Io("无法启动服务".into()));
    };
    let local = if loopback || server.addr().ip().is_unspecified() {
        format!("http://127.0.0.1:{}/", server.addr().port())
    } else {
        server.url()
    };
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "jixiao serve 已启动：{local}")?;
    writeln!(
        stdout,
        "在浏览器中打开上面的地址即可使用；按 Ctrl+C 停止，停止后上传的文件和结果都会删除。"
    )?;
    stdout.flush()?;
    drop(stdout);
    if !no_open && !jixiao::serve::open_browser(&local) {
        eprintln!("未能自动打开浏览器，请手动打开 {local}");
    }
    server.run_until_interrupted();
    eprintln!("已停止，临时文件已删除。");
    Ok(ExitCode::SUCCESS)
}

fn print_diagnostics<'a>(
    out: &mut dyn Write,
    format: DiagnosticsFormat,
    diags: impl IntoIterator<Item = &'a Diagnostic>,
) -> Result<(), Failure> {
    match format {
        DiagnosticsFormat::Human => {
            // One write per file, not one per piece of each line (stderr is unbuffered).
            let mut text = String::new();
            for d in diags {
                use std::fmt::Write as _;
                let _ = writeln!(text, "{d}");
            }
            out.write_all(text.as_bytes())?;
        }
        DiagnosticsFormat::Json => {
            let diags: Vec<&Diagnostic> = diags.into_iter().collect();
            let text = serde_json::to_string_pretty(&diags).map_err(std::io::Error::from)?;
            writeln!(out, "{text}")?;
        }
    }
    Ok(())
}

fn convert(
    inputs: &[PathBuf],
    formats: &[jixiao::OutputFormat],
    output: &Path,
    common: &Common,
) -> Result<ExitCode, Failure> {
    let options = options(&common.settings)?;
    let to_stdout = output == Path::new("-");
    if to_stdout && (inputs.len() != 1 || formats != [jixiao::OutputFormat::Json]) {
        return Err(Failure::Usage("`-o -` 只能用于一个输入、输出 JSON".into()));
    }
    if !to_stdout {
        std::fs::create_dir_all(output).map_err(|e| {
            Failure::Io(format!(
                "无法创建输出目录 {}：{}",
                output.display(),
                jixiao::fsutil::describe_io_error(&e)
            ))
        })?;
    }
    let guard = jixiao::fsutil::OutputGuard::new(inputs);
    let flat = Path::new("");
    let mut names = jixiao::convert::OutputNames::new(
        output,
        inputs.iter().map(|i| (i.as_path(), flat)),
        formats,
        &guard,
        &[],
    );
    let mut all_diags = Vec::new();
    let mut failed = false;
    let mut stderr = std::io::stderr().lock();
    for input in inputs {
        let name = input.display().to_string();
        let base = names.base(input, flat);
        let converted = match jixiao::convert_file(input, &name, formats, &options) {
            Ok(converted) => converted,
            Err(e) => {
                writeln!(stderr, "{name}: 错误: {e}")?;
                failed = true;
                continue;
            }
        };
        failed |= converted.failed();
        match common.diagnostics {
            DiagnosticsFormat::Human => {
                print_diagnostics(&mut stderr, common.diagnostics, converted.diagnostics())?
            }
            DiagnosticsFormat::Json => all_diags.extend(converted.diagnostics().cloned()),
        }
        if to_stdout {
            for out in &converted.outputs {
                match &out.bytes {
                    Ok(bytes) => std::io::stdout().lock().write_all(bytes)?,
                    Err(e) => writeln!(stderr, "{name}: 错误: 无法生成 json：{e}")?,
                }
            }
            continue;
        }
        for written in converted.write(&base, &guard) {
            match written.result {
                Ok(()) => writeln!(stderr, "已写入 {}", written.path.display())?,
                Err(e) => {
                    writeln!(stderr, "{name}: 错误: {e}")?;
                    failed = true;
                }
            }
        }
    }
    if common.diagnostics == DiagnosticsFormat::Json {
        print_diagnostics(&mut stderr, common.diagnostics, &all_diags)?;
    }
    Ok(exit(failed))
}

/// `jixiao ziping`: the 自评表 pre-filled from the targets of `input`, written to `output`.
fn ziping(input: &Path, output: &Path, common: &Common) -> Result<ExitCode, Failure> {
    let options = options(&common.settings)?;
    let name = input.display().to_string();
    let target = if output.is_dir() {
        let stem = input.file_stem().map_or_else(
            || "目标表".to_string(),
            |s| s.to_string_lossy().into_owned(),
        );
        output.join(format!("{stem}-自评表.xlsx"))
    } else {
        output.to_path_buf()
    };
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(input, &target) {
        return Err(Failure::Usage(format!(
            "输出文件 {} 就是输入文件；请用 -o 另指定一个文件名",
            target.display()
        )));
    }
    let mut stderr = std::io::stderr().lock();
    let converted = match jixiao::convert_file(input, &name, &[], &options) {
        Ok(converted) => converted,
        Err(e) => {
            writeln!(stderr, "{name}: 错误: {e}")?;
            return Ok(exit(true));
        }
    };
    let doc = converted.document;
    print_diagnostics(&mut stderr, common.diagnostics, &doc.diagnostics)?;
    if doc.projects.is_empty() {
        writeln!(
            stderr,
            "{name}: 错误: 没有读到任何项目表，无法生成自评表；请用 jixiao check 查看原因"
        )?;
        return Ok(exit(true));
    }
    let written = match jixiao_xlsx::write_ziping(&doc, &options.template) {
        Ok(written) => written,
        Err(e) => {
            writeln!(stderr, "{name}: 错误: {e}")?;
            return Ok(exit(true));
        }
    };
    print_diagnostics(&mut stderr, common.diagnostics, &written.diagnostics)?;
    std::fs::write(&target, &written.output).map_err(|e| {
        Failure::Io(format!(
            "无法写入 {}：{}",
            target.display(),
            jixiao::fsutil::describe_io_error(&e)
        ))
    })?;
    writeln!(
        stderr,
        "已写入 {}（{} 个项目；请各单位填写实际完成值、分值、得分等空白单元格）",
        target.display(),
        doc.projects.len()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn check(inputs: &[PathBuf], verbose: bool, common: &Common) -> Result<ExitCode, Failure> {
    use jixiao::model::Severity;
    let options = options(&common.settings)?;
    let mut stdout = std::io::stdout().lock();
    let mut all = Vec::new();
    let mut failed = false;
    // Errors, warnings and hints over all inputs (an input that could not be read is an error).
    let mut counts = [0usize; 3];
    let mut count = |severity: Severity| {
        counts[match severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        }] += 1;
    };
    for input in inputs {
        let name = input.display().to_string();
        match jixiao::convert_file(input, &name, &[], &options) {
            Ok(converted) => {
                failed |= converted
                    .diagnostics()
                    .any(|d| d.severity == Severity::Error);
                all.extend(converted.document.diagnostics);
            }
            Err(e) => {
                failed = true;
                let message = format!("{name}: 错误: {e}");
                match common.diagnostics {
                    DiagnosticsFormat::Human => {
                        count(Severity::Error);
                        writeln!(stdout, "{message}")?;
                    }
                    DiagnosticsFormat::Json => all.push(Diagnostic::new(
                        Code::I300,
                        message,
                        jixiao::model::Location::file(&name),
                    )),
                }
            }
        }
        if common.diagnostics == DiagnosticsFormat::Human {
            all.iter().for_each(|d| count(d.severity));
            // Errors first, then warnings; hints only when asked for.
            all.sort_by_key(|d| std::cmp::Reverse(d.severity));
            all.retain(|d| verbose || d.severity != Severity::Info);
            print_diagnostics(&mut stdout, common.diagnostics, &all)?;
            all.clear();
        }
    }
    match common.diagnostics {
        DiagnosticsFormat::Json => print_diagnostics(&mut stdout, common.diagnostics, &all)?,
        DiagnosticsFormat::Human => {
            let [errors, warnings, hints] = counts;
            let hidden = if verbose || hints == 0 {
                ""
            } else {
                "（加 -v 列出提示）"
            };
            writeln!(
                stdout,
                "共 {} 个文件：错误 {errors} 条，警告 {warnings} 条，提示 {hints} 条{hidden}",
                inputs.len()
            )?;
        }
    }
    Ok(exit(failed))
}
