//! `jixiao convert`: each input converted to the standard forms (or JSON), written beside
//! the others in the output folder or to standard output.

use super::{exit, options, print_diagnostics};
use crate::{Common, DiagnosticsFormat, Failure};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub(crate) fn convert(
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
                jixiao::shown(&output.display().to_string()),
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
        // The name and messages as they are written to the terminal (escapes written out).
        let said = |text: String| jixiao::shown(&text);
        let base = names.base(input, flat);
        // To files, each output is written as soon as it is rendered, and let go before the
        // next; to standard output, the JSON is the one output.
        let result = if to_stdout {
            jixiao::convert_file(input, &name, formats, &options).map(|c| (c, Vec::new()))
        } else {
            jixiao::convert_file_to(input, &name, formats, &options, &base, &guard)
        };
        let (converted, written) = match result {
            Ok(converted) => converted,
            Err(e) => {
                writeln!(stderr, "{}", said(format!("{name}: 错误: {e}")))?;
                failed = true;
                continue;
            }
        };
        failed |= converted.failed();
        match common.diagnostics {
            DiagnosticsFormat::Human => print_diagnostics(
                &mut stderr,
                common.diagnostics,
                &name,
                converted.diagnostics(),
            )?,
            DiagnosticsFormat::Json => all_diags.extend(converted.diagnostics().cloned()),
        }
        if to_stdout {
            for out in &converted.outputs {
                match &out.bytes {
                    Ok(bytes) => std::io::stdout().lock().write_all(bytes)?,
                    Err(e) => writeln!(
                        stderr,
                        "{}",
                        said(format!("{name}: 错误: 无法生成 json：{e}"))
                    )?,
                }
            }
            continue;
        }
        for written in written {
            match written.result {
                Ok(()) => writeln!(
                    stderr,
                    "已写入 {}",
                    said(written.path.display().to_string())
                )?,
                Err(e) => {
                    writeln!(stderr, "{}", said(format!("{name}: 错误: {e}")))?;
                    failed = true;
                }
            }
        }
    }
    if common.diagnostics == DiagnosticsFormat::Json {
        print_diagnostics(&mut stderr, common.diagnostics, "", &all_diags)?;
    }
    Ok(exit(failed))
}
