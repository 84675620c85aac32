//! The commands `run` dispatches to, one per file, and what they share: the options a run
//! reads with, its exit code, diagnostics printed, and the worker command.

pub(crate) mod batch;
pub(crate) mod check;
pub(crate) mod convert;
pub(crate) mod serve;
pub(crate) mod ziping;

use crate::{DiagnosticsFormat, Failure, Settings};
use jixiao::model::Diagnostic;
use std::io::Write;
use std::process::ExitCode;

/// How `batch` starts its workers: this program, `__worker`, and the run's settings.
pub(crate) fn worker_command(
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

/// `--template DIR` and `--font PATH[:INDEX]`, loaded once for the run.
pub(crate) fn options(settings: &Settings) -> Result<jixiao::Options, Failure> {
    let options = match &settings.template {
        Some(dir) => jixiao::Options::from_template_dir(dir)?,
        None => jixiao::Options::default(),
    };
    Ok(match &settings.font {
        Some(spec) => options.with_font_file(spec)?,
        None => options,
    })
}

pub(crate) fn exit(failed: bool) -> ExitCode {
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

pub(crate) fn print_diagnostics<'a>(
    out: &mut dyn Write,
    format: DiagnosticsFormat,
    diags: impl IntoIterator<Item = &'a Diagnostic>,
) -> Result<(), Failure> {
    match format {
        DiagnosticsFormat::Human => {
            // One write per file, not one per piece of each line (stderr is unbuffered).
            let mut text = String::new();
            // File names and quoted cells with their escape sequences and bidi controls
            // written out (`jixiao::shown`), not acted on by the terminal.
            for d in diags {
                text.push_str(&jixiao::shown(&d.to_string()));
                text.push('\n');
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
