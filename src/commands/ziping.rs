//! `jixiao ziping`: the 自评表 pre-filled from a targets table.

use super::{exit, options, print_diagnostics};
use crate::{Common, Failure};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// `jixiao ziping`: the 自评表 pre-filled from the targets of `input`, written to `output`.
pub(crate) fn ziping(input: &Path, output: &Path, common: &Common) -> Result<ExitCode, Failure> {
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
    print_diagnostics(&mut stderr, common.diagnostics, &name, &doc.diagnostics)?;
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
    print_diagnostics(&mut stderr, common.diagnostics, &name, &written.diagnostics)?;
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
