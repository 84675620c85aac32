//! `jixiao check`: the diagnostics of each input, counted, without writing outputs.

use super::{exit, options, print_diagnostics};
use crate::{Common, DiagnosticsFormat, Failure};
use jixiao::model::{Code, Diagnostic};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

pub(crate) fn check(
    inputs: &[PathBuf],
    verbose: bool,
    common: &Common,
) -> Result<ExitCode, Failure> {
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
            print_diagnostics(&mut stdout, common.diagnostics, &name, &all)?;
            all.clear();
        }
    }
    match common.diagnostics {
        DiagnosticsFormat::Json => print_diagnostics(&mut stdout, common.diagnostics, "", &all)?,
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
