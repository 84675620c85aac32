//! The `jixiao` command line: a thin front end over the library.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod commands;
mod help;

use commands::batch::{BatchFlags, batch};
use commands::check::check;
use commands::convert::convert;
use commands::options;
use commands::serve::serve;
use commands::ziping::ziping;

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

/// How long one file may take in a worker, unless `--timeout` says otherwise (`batch`; the
/// page always).
const DEFAULT_TIMEOUT_SECS: u64 = 300;

/// What `convert` and `batch` write unless `--to` says otherwise: the forms a clerk files and
/// prints. JSON (for other systems, and for reading back into jixiao) is written on request.
const DEFAULT_FORMATS: &[OutputFormat] = &[OutputFormat::Xlsx, OutputFormat::Pdf];

/// The output formats asked for, each once, in the order outputs are written.
fn formats(to: &[OutputFormat]) -> Vec<jixiao::OutputFormat> {
    let mut formats: Vec<jixiao::OutputFormat> = to.iter().map(|&f| f.into()).collect();
    formats.sort();
    formats.dedup();
    formats
}
