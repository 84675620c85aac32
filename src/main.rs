//! The `jixiao` command line: a thin front end over the library.

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use jixiao::model::framework::Framework;
use jixiao::model::{Diagnostic, Document};
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// 绩效目标表转换工具：把各种格式的项目支出绩效目标表转换为标准格式。
#[derive(Parser)]
#[command(name = "jixiao", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Convert inputs (Excel .xlsx/.xls/.ods, HTML, OCR Markdown/text, JSON) to the standard formats.
    Convert {
        /// Input files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output formats, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "json")]
        to: Vec<OutputFormat>,
        /// Output directory, or `-` for standard output (JSON only, one input).
        #[arg(short, long, default_value = ".")]
        output: PathBuf,
        #[command(flatten)]
        common: Common,
    },
    /// Read inputs and report every problem found, on standard output.
    Check {
        /// Input files.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
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
        /// Output formats, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "json")]
        to: Vec<OutputFormat>,
        /// Worker threads (default: one per core).
        #[arg(long, short = 'j')]
        jobs: Option<usize>,
        /// No progress display.
        #[arg(long, short)]
        quiet: bool,
        /// Warnings count as failures for the exit code.
        #[arg(long)]
        strict: bool,
        /// A folder with another `framework.toml` and/or `form.toml` to use.
        #[arg(long, value_name = "DIR")]
        template: Option<PathBuf>,
        /// The font for PDF output (`PATH[:INDEX]`).
        #[arg(long, value_name = "PATH[:INDEX]")]
        font: Option<String>,
    },
    /// List the review rules (C2xx): what each checks, why, and an example.
    Rules,
    /// Print the JSON Schema of the jixiao/1 contract.
    Schema,
}

#[derive(clap::Args)]
struct Common {
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value = "human")]
    diagnostics: DiagnosticsFormat,
    /// A folder with another `framework.toml` (indicator framework) and/or `form.toml`
    /// (standard form layout) to use.
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

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("错误: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
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
        } => convert(&inputs, &to, &output, &common),
        Command::Check { inputs, common } => check(&inputs, &common),
        Command::Batch {
            input,
            output,
            to,
            jobs,
            quiet,
            strict,
            template,
            font,
        } => {
            let common = Common {
                diagnostics: DiagnosticsFormat::Human,
                template,
                font,
            };
            batch(&input, &output, &to, jobs, quiet, strict, &common)
        }
        Command::Rules => {
            print!("{}", jixiao::rules_text());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn batch(
    input: &Path,
    output: &Path,
    to: &[OutputFormat],
    jobs: Option<usize>,
    quiet: bool,
    strict: bool,
    common: &Common,
) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let read = load_options(common)?;
    let mut formats: Vec<jixiao::OutputFormat> = to.iter().map(|&f| f.into()).collect();
    formats.sort();
    formats.dedup();
    let progress = if quiet {
        jixiao::batch::Progress::Quiet
    } else if std::io::stderr().is_terminal() {
        jixiao::batch::Progress::Bar
    } else {
        jixiao::batch::Progress::Lines
    };
    let options = jixiao::batch::BatchOptions {
        formats,
        jobs,
        read,
        progress,
    };
    let report = jixiao::batch::run(input, output, &options)?;
    eprint!("{}", report.summary());
    eprintln!(
        "报告：{}、{}",
        output.join("report.json").display(),
        output.join("report.csv").display()
    );
    Ok(if report.failed(strict) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The templates in `--template DIR`: `framework.toml` (indicator framework) and/or
/// `form.toml` (standard form layout); each replaces the built-in one, and at least one must
/// be there.
fn load_options(common: &Common) -> Result<jixiao::Options<'static>> {
    let mut options = jixiao::Options::default();
    if let Some(spec) = &common.font {
        options.font = Some(Box::leak(Box::new(load_font(spec)?)));
    }
    let Some(dir) = &common.template else {
        return Ok(options);
    };
    let (has_framework, has_form) = (
        dir.join("framework.toml").exists(),
        dir.join("form.toml").exists(),
    );
    if !has_framework && !has_form {
        bail!(
            "模板目录 {} 中既没有 framework.toml 也没有 form.toml",
            dir.display()
        );
    }
    if has_framework {
        let path = dir.join("framework.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("无法读取模板 {}", path.display()))?;
        let fw = Framework::from_toml(&text)
            .map_err(|e| anyhow::anyhow!("模板 {} 有误：{e}", path.display()))?;
        options.framework = Box::leak(Box::new(fw));
    }
    if has_form {
        let form = jixiao_layout::Template::from_dir(dir).map_err(|e| anyhow::anyhow!("{e}"))?;
        options.template = Box::leak(Box::new(form));
    }
    Ok(options)
}

/// Reads `--font PATH[:INDEX]` once for the whole run.
fn load_font(spec: &str) -> Result<jixiao_pdf::Font> {
    let (path, index) = match spec.rsplit_once(':') {
        Some((p, i)) if !p.is_empty() && !i.is_empty() && i.bytes().all(|b| b.is_ascii_digit()) => {
            (p, i.parse::<usize>()?)
        }
        _ => (spec, 0),
    };
    let bytes = std::fs::read(path).with_context(|| format!("无法读取字体文件 {path}"))?;
    jixiao_pdf::Font::from_bytes(&bytes, index).with_context(|| format!("字体 {path} 不可用"))
}

/// Reads one input; an unreadable one is reported and gives `None`.
fn read_input(path: &Path, options: &jixiao::Options) -> Result<Document, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: 错误: 无法读取文件：{e}"))?;
    jixiao::load(&name, &bytes, options).map_err(|e| format!("{name}: 错误: {e}"))
}

fn print_diagnostics(
    out: &mut dyn Write,
    format: DiagnosticsFormat,
    diags: &[Diagnostic],
) -> Result<()> {
    match format {
        DiagnosticsFormat::Human => {
            for d in diags {
                writeln!(out, "{d}")?;
            }
        }
        DiagnosticsFormat::Json => {
            writeln!(out, "{}", serde_json::to_string_pretty(diags)?)?;
        }
    }
    Ok(())
}

fn convert(
    inputs: &[PathBuf],
    to: &[OutputFormat],
    output: &Path,
    common: &Common,
) -> Result<ExitCode> {
    let options = load_options(common)?;
    let to_stdout = output == Path::new("-");
    if to_stdout && (inputs.len() != 1 || to != [OutputFormat::Json]) {
        bail!("`-o -` 只能用于一个输入、输出 JSON");
    }
    if !to_stdout {
        std::fs::create_dir_all(output)
            .with_context(|| format!("无法创建输出目录 {}", output.display()))?;
    }
    let guard = jixiao::fsutil::OutputGuard::new(inputs);
    let mut used_names = HashSet::new();
    let mut all_diags = Vec::new();
    let mut failed = false;
    let mut stderr = std::io::stderr().lock();
    for input in inputs {
        let doc = match read_input(input, &options) {
            Ok(doc) => doc,
            Err(message) => {
                writeln!(stderr, "{message}")?;
                failed = true;
                continue;
            }
        };
        failed |= jixiao::failed(&doc);
        if common.diagnostics == DiagnosticsFormat::Human {
            print_diagnostics(&mut stderr, common.diagnostics, &doc.diagnostics)?;
        } else {
            all_diags.extend(doc.diagnostics.iter().cloned());
        }
        if jixiao::is_empty(&doc) {
            continue;
        }
        for &format in to {
            let format = jixiao::OutputFormat::from(format);
            let mut writer_diags = Vec::new();
            let bytes = match jixiao::render(&doc, format, &options, &mut writer_diags) {
                Ok(bytes) => bytes,
                Err(e) => {
                    writeln!(
                        stderr,
                        "{}: 错误: 无法生成 {}：{e}",
                        input.display(),
                        format.extension()
                    )?;
                    failed = true;
                    continue;
                }
            };
            print_diagnostics(&mut stderr, common.diagnostics, &writer_diags)?;
            if to_stdout {
                std::io::stdout().lock().write_all(&bytes)?;
                continue;
            }
            let target = output_path(output, input, format.extension(), &mut used_names, &guard);
            match guard.write(&target, &bytes) {
                Ok(()) => writeln!(stderr, "已写入 {}", target.display())?,
                Err(e) => {
                    writeln!(stderr, "{}: 错误: {e}", input.display())?;
                    failed = true;
                }
            }
        }
    }
    if common.diagnostics == DiagnosticsFormat::Json {
        print_diagnostics(&mut stderr, common.diagnostics, &all_diags)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `DIR/stem.ext`, made unique within this run (`stem-2.ext`) so two inputs never overwrite
/// each other's output.
/// A name that would land on an input is skipped the same way.
fn output_path(
    dir: &Path,
    input: &Path,
    ext: &str,
    used: &mut HashSet<PathBuf>,
    guard: &jixiao::fsutil::OutputGuard,
) -> PathBuf {
    let stem = input
        .file_stem()
        .map_or_else(|| "output".into(), |s| s.to_string_lossy().into_owned());
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.{ext}")
        } else {
            format!("{stem}-{n}.{ext}")
        };
        let path = dir.join(name);
        if !guard.is_input(&path) && used.insert(path.clone()) {
            return path;
        }
        n += 1;
    }
}

fn check(inputs: &[PathBuf], common: &Common) -> Result<ExitCode> {
    let options = load_options(common)?;
    let mut stdout = std::io::stdout().lock();
    let mut all = Vec::new();
    let mut failed = false;
    for input in inputs {
        match read_input(input, &options) {
            Ok(doc) => {
                failed |= doc
                    .diagnostics
                    .iter()
                    .any(|d| d.severity == jixiao::model::Severity::Error);
                all.extend(doc.diagnostics);
            }
            Err(message) => {
                failed = true;
                match common.diagnostics {
                    DiagnosticsFormat::Human => writeln!(stdout, "{message}")?,
                    DiagnosticsFormat::Json => all.push(Diagnostic::error(
                        "I300",
                        message,
                        jixiao::model::Location::file(&input.display().to_string()),
                    )),
                }
            }
        }
        if common.diagnostics == DiagnosticsFormat::Human {
            print_diagnostics(&mut stdout, common.diagnostics, &all)?;
            all.clear();
        }
    }
    if common.diagnostics == DiagnosticsFormat::Json {
        print_diagnostics(&mut stdout, common.diagnostics, &all)?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
