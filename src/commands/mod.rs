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

/// Prints the diagnostics of one input (`input`, as the user named it).
///
/// A diagnostic can point into another file than the input: a jixiao JSON document keeps the
/// places of the file it was converted from, and converting or checking that JSON again
/// reports them there. For a person reading the lines, the first line pointing into each such
/// file is preceded by one that says so ([`other_source_note`]); the JSON form keeps each
/// location's file as it is.
pub(crate) fn print_diagnostics<'a>(
    out: &mut dyn Write,
    format: DiagnosticsFormat,
    input: &str,
    diags: impl IntoIterator<Item = &'a Diagnostic>,
) -> Result<(), Failure> {
    match format {
        DiagnosticsFormat::Human => {
            // One write per file, not one per piece of each line (stderr is unbuffered).
            let mut text = String::new();
            let mut noted: Vec<&str> = Vec::new();
            // File names and quoted cells with their escape sequences and bidi controls
            // written out (`jixiao::shown`), not acted on by the terminal.
            for d in diags {
                if let Some(file) = d.location.file.as_deref()
                    && file != input
                    && !noted.contains(&file)
                {
                    noted.push(file);
                    text.push_str(&jixiao::shown(&other_source_note(input, file)));
                    text.push('\n');
                }
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

/// The line said before the first diagnostic of `input` that points into `source`, another
/// file (the one a jixiao JSON document was converted from).
fn other_source_note(input: &str, source: &str) -> String {
    format!(
        "{input}: 说明: 以下标为 {source} 的位置在原始文件 {source} 中（{input} 由它转换而来），不是 {input} 的行号"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao::model::{Code, Location};

    fn printed(input: &str, diags: &[Diagnostic]) -> String {
        let mut out = Vec::new();
        assert!(print_diagnostics(&mut out, DiagnosticsFormat::Human, input, diags).is_ok());
        String::from_utf8(out).unwrap()
    }

    fn at(file: &str, line: u32) -> Diagnostic {
        let mut location = Location::file(file);
        location.line = Some(line);
        Diagnostic::new(Code::C213, String::from("疑似复制"), location)
    }

    /// Places in the input itself are printed as they are.
    #[test]
    fn places_in_the_input_need_no_note() {
        let text = printed("a.md", &[at("a.md", 3), at("a.md", 9)]);
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(!text.contains("原始文件"), "{text}");
    }

    /// Places in the file a JSON input came from are said to be there, once per file, before
    /// the first of them; the JSON form of the diagnostics is left as it is.
    #[test]
    fn places_in_the_original_file_are_said_to_be_there_once() {
        let diags = [at("b.md", 3), at("b.md", 9), at("c.json", 1)];
        let text = printed("c.json", &diags);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "{text}");
        assert!(lines[0].starts_with("c.json: 说明:"), "{text}");
        assert!(lines[0].contains("原始文件 b.md"), "{text}");
        assert!(lines[1].starts_with("b.md:3"), "{text}");
        assert_eq!(text.matches("原始文件").count(), 1, "{text}");

        let mut out = Vec::new();
        assert!(print_diagnostics(&mut out, DiagnosticsFormat::Json, "c.json", &diags).is_ok());
        assert!(!String::from_utf8(out).unwrap().contains("原始文件"));
    }
}
