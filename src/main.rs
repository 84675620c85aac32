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
    /// Convert inputs (Markdown/OCR text, JSON) to the standard formats.
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
        /// The font for PDF output, a TTF/OTF/TTC file; `PATH:INDEX` picks a face of a
        /// collection (default: the embedded Noto Serif SC).
        #[arg(long, value_name = "PATH[:INDEX]")]
        font: Option<String>,
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
    /// Print the JSON Schema of the jixiao/1 contract.
    Schema,
}

#[derive(clap::Args)]
struct Common {
    /// How diagnostics are printed.
    #[arg(long, value_enum, default_value = "human")]
    diagnostics: DiagnosticsFormat,
    /// A folder with another `framework.toml` (indicator framework) to use.
    #[arg(long, value_name = "DIR")]
    template: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    Json,
    Pdf,
}

impl OutputFormat {
    fn extension(self) -> &'static str {
        match self {
            OutputFormat::Json => "json",
            OutputFormat::Pdf => "pdf",
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
            font,
            common,
        } => convert(&inputs, &to, &output, font.as_deref(), &common),
        Command::Check { inputs, common } => check(&inputs, &common),
    }
}

fn load_framework(common: &Common) -> Result<&'static Framework> {
    let Some(dir) = &common.template else {
        return Ok(Framework::standard());
    };
    let path = dir.join("framework.toml");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("无法读取模板 {}", path.display()))?;
    let fw = Framework::from_toml(&text)
        .map_err(|e| anyhow::anyhow!("模板 {} 有误：{e}", path.display()))?;
    Ok(Box::leak(Box::new(fw)))
}

/// Reads one input; an unreadable one is reported and gives `None`.
fn read_input(path: &Path, framework: &Framework) -> Result<Document, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: 错误: 无法读取文件：{e}"))?;
    let options = jixiao::Options { framework };
    jixiao::read(&name, &bytes, &options).map_err(|e| format!("{name}: 错误: {e}"))
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

fn convert(
    inputs: &[PathBuf],
    to: &[OutputFormat],
    output: &Path,
    font: Option<&str>,
    common: &Common,
) -> Result<ExitCode> {
    let framework = load_framework(common)?;
    let custom_font = font.map(load_font).transpose()?;
    let pdf_font = match &custom_font {
        Some(f) => f,
        None => jixiao_pdf::Font::standard(),
    };
    let to_stdout = output == Path::new("-");
    if to_stdout && (inputs.len() != 1 || to != [OutputFormat::Json]) {
        bail!("`-o -` 只能用于一个输入、输出 JSON");
    }
    if !to_stdout {
        std::fs::create_dir_all(output)
            .with_context(|| format!("无法创建输出目录 {}", output.display()))?;
    }
    let input_paths: HashSet<PathBuf> = inputs
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut used_names = HashSet::new();
    let mut all_diags = Vec::new();
    let mut failed = false;
    let mut stderr = std::io::stderr().lock();
    for input in inputs {
        let doc = match read_input(input, framework) {
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
        for format in to {
            let bytes = match format {
                OutputFormat::Json => jixiao_json::to_string(&doc).into_bytes(),
                OutputFormat::Pdf => {
                    let options = jixiao_pdf::Options::with_font(pdf_font);
                    match jixiao_pdf::pdf(&doc, &options) {
                        Ok(out) => {
                            if common.diagnostics == DiagnosticsFormat::Human {
                                print_diagnostics(
                                    &mut stderr,
                                    common.diagnostics,
                                    &out.diagnostics,
                                )?;
                            } else {
                                all_diags.extend(out.diagnostics);
                            }
                            out.bytes
                        }
                        Err(e) => {
                            writeln!(stderr, "{}: 错误: {e}", input.display())?;
                            failed = true;
                            continue;
                        }
                    }
                }
            };
            if to_stdout {
                std::io::stdout().lock().write_all(&bytes)?;
                continue;
            }
            let target = output_path(output, input, format.extension(), &mut used_names);
            if target
                .canonicalize()
                .is_ok_and(|t| input_paths.contains(&t))
            {
                writeln!(
                    stderr,
                    "{}: 错误: 输出文件会覆盖输入文件，已跳过",
                    target.display()
                )?;
                failed = true;
                continue;
            }
            write_atomic(&target, &bytes)
                .with_context(|| format!("无法写入 {}", target.display()))?;
            writeln!(stderr, "已写入 {}", target.display())?;
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
fn output_path(dir: &Path, input: &Path, ext: &str, used: &mut HashSet<PathBuf>) -> PathBuf {
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
        if used.insert(path.clone()) {
            return path;
        }
        n += 1;
    }
}

/// Writes through a temporary file in the same folder and renames it into place, so a
/// reader never sees half a file.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "out".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn check(inputs: &[PathBuf], common: &Common) -> Result<ExitCode> {
    let framework = load_framework(common)?;
    let mut stdout = std::io::stdout().lock();
    let mut all = Vec::new();
    let mut failed = false;
    for input in inputs {
        match read_input(input, framework) {
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
