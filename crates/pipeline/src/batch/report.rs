//! The batch report: one line per input, the totals, the duplicates and the projects without
//! a name, written as `report.json` and `report.csv` and summed up in Chinese at the end of
//! the run.

use super::county::{Duplicate, Unidentified};
use super::relative;
use crate::fate::{Fate, Status};
use crate::fsutil::OutputGuard;
use crate::shown;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One input's line in the report.
#[derive(Debug, Clone, Serialize)]
pub struct InputReport {
    /// The input, relative to the input folder.
    pub file: String,
    /// What became of it: its status, counts and first error (written in line, as the
    /// report's own fields).
    #[serde(flatten)]
    pub fate: Fate,
    /// The files written for it, relative to the output folder.
    pub outputs: Vec<String>,
}

impl InputReport {
    /// The line of an input for which nothing was written.
    pub(super) fn new(file: &str, fate: Fate) -> InputReport {
        InputReport {
            file: file.to_string(),
            fate,
            outputs: Vec::new(),
        }
    }
}

/// Totals over the batch.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Inputs seen.
    pub files: usize,
    /// Converted without warnings.
    pub ok: usize,
    /// Converted with warnings.
    pub warnings: usize,
    /// Failed.
    pub errors: usize,
    /// Skipped.
    pub skipped: usize,
    /// Projects converted.
    pub projects: usize,
    /// Indicators converted.
    pub indicators: usize,
    /// Projects in the county document: each project once, however many files hold it.
    pub county_projects: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// The whole batch report (`report.json`).
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// `jixiao-batch/1`.
    pub schema: &'static str,
    /// Totals.
    pub totals: Totals,
    /// One line per input, in path order.
    pub inputs: Vec<InputReport>,
    /// Projects found in more than one input.
    pub duplicates: Vec<Duplicate>,
    /// Projects without a 项目名称 or 预算单位: each an error of its file, listed on its own row
    /// of the county document.
    pub unidentified: Vec<Unidentified>,
    /// The consolidated outputs written, relative to the output folder.
    pub consolidated: Vec<String>,
    /// Problems writing the consolidated outputs.
    pub consolidated_errors: Vec<String>,
    /// The report files written (`report.csv`; `report.json` is added to the returned report
    /// when it was written), relative to the output folder.
    pub reports: Vec<String>,
    /// Report files that could not be written, with the reason.
    #[serde(skip)]
    pub report_errors: Vec<String>,
    /// The county's 自评 summary: one line per project read from a 绩效自评表 (also written as
    /// `全县自评汇总.csv`); absent when there is none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub self_evaluations: Vec<crate::ziping_summary::ZipingLine>,
    /// True when the batch was stopped ([`super::BatchOptions::stop`]) before every file was done.
    pub interrupted: bool,
    /// What the batch held for its files (not written in the report).
    #[serde(skip)]
    pub held: super::Held,
}

impl Report {
    /// True when any input failed (or, with `strict`, had warnings), or a consolidated
    /// output or a report file could not be written.
    pub fn failed(&self, strict: bool) -> bool {
        self.totals.errors > 0
            || (strict && self.totals.warnings > 0)
            || !self.consolidated_errors.is_empty()
            || !self.report_errors.is_empty()
    }

    /// The summary printed at the end, in Chinese.
    pub fn summary(&self) -> String {
        let t = &self.totals;
        let mut s = String::new();
        if self.interrupted {
            s.push_str("批量转换被中断：以下是中断前完成的部分，未完成的文件在报告中标为失败。\n");
        }
        s.push_str(&format!(
            "共 {} 个文件：成功 {}，有警告 {}，失败 {}，跳过 {}；共转换 {} 个项目、{} 条指标；用时 {:.1} 秒。\n",
            t.files, t.ok, t.warnings, t.errors, t.skipped, t.projects, t.indicators, t.seconds
        ));
        for i in self
            .inputs
            .iter()
            .filter(|i| i.fate.status == Status::Error)
        {
            s.push_str(&format!(
                "  失败：{}：{}\n",
                shown(&i.file),
                shown(i.fate.message.as_deref().unwrap_or(""))
            ));
        }
        for u in &self.unidentified {
            s.push_str(&format!("  缺少名称：{}\n", u.describe()));
        }
        if !self.duplicates.is_empty() {
            s.push_str(&format!(
                "重复项目 {} 个（全县汇总各只计一次，取自第一个文件；每处不同见 report.json）：\n",
                self.duplicates.len()
            ));
        }
        for d in self.duplicates.iter().take(MAX_DUPLICATES_SHOWN) {
            let verdict = if d.differs {
                format!("内容不同 {} 处", d.differences.len())
            } else {
                "内容相同".into()
            };
            s.push_str(&format!(
                "  {}（{}）：{}，{verdict}\n",
                shown(&d.project_name),
                shown(&d.budget_unit),
                where_found(d),
            ));
        }
        if self.duplicates.len() > MAX_DUPLICATES_SHOWN {
            s.push_str(&format!(
                "  ……另有 {} 个重复项目，见 report.json\n",
                self.duplicates.len() - MAX_DUPLICATES_SHOWN
            ));
        }
        if !self.self_evaluations.is_empty() {
            s.push_str(&format!(
                "自评表 {} 个项目：全年预算数、执行数、执行率、总分和等级汇总在 {}.csv\n",
                self.self_evaluations.len(),
                crate::ziping_summary::ZIPING_SUMMARY
            ));
        }
        for e in &self.consolidated_errors {
            s.push_str(&format!("  汇总输出失败：{e}\n"));
        }
        if !self.reports.is_empty() {
            s.push_str(&format!("报告：{}\n", self.reports.join("、")));
        }
        for e in &self.report_errors {
            s.push_str(&format!("错误：报告未能写入：{e}\n"));
        }
        s
    }

    /// The report as CSV (one row per input, then a totals row), statuses in words
    /// ([`Status::label`]). It starts with a UTF-8 byte-order mark: Excel and WPS on Chinese
    /// Windows read a CSV without one as GBK and show UTF-8 text garbled; with it they (and
    /// LibreOffice) read it as UTF-8. Every text cell is escaped against formula injection
    /// ([`csv_text`]).
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let header = [
            "文件",
            "状态",
            "项目数",
            "指标数",
            "错误",
            "警告",
            "提示",
            "说明",
            "输出",
        ];
        let _ = w.write_record(header);
        for i in &self.inputs {
            let _ = w.write_record([
                csv_text(&i.file),
                i.fate.status.label().to_string(),
                i.fate.projects.to_string(),
                i.fate.indicators.to_string(),
                i.fate.errors.to_string(),
                i.fate.warnings.to_string(),
                i.fate.infos.to_string(),
                csv_text(i.fate.message.as_deref().unwrap_or_default()),
                csv_text(&i.outputs.join(";")),
            ]);
        }
        let t = &self.totals;
        let _ = w.write_record([
            "合计".to_string(),
            format!(
                "{} {}，{} {}，{} {}，{} {}",
                Status::Ok.label(),
                t.ok,
                Status::Warnings.label(),
                t.warnings,
                Status::Error.label(),
                t.errors,
                Status::Skipped.label(),
                t.skipped
            ),
            t.projects.to_string(),
            t.indicators.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]);
        let body = String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default();
        format!("\u{feff}{body}")
    }
}

/// Duplicate projects listed one line each at the end of a batch; the rest are counted (every
/// one is in report.json, with each difference).
const MAX_DUPLICATES_SHOWN: usize = 20;

/// A text cell of `report.csv`, safe to open in a spreadsheet program: text that starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (which Excel, WPS and LibreOffice would take
/// as a formula) gets a leading `'`, as OWASP's CSV-injection rule says; the CSV writer quotes
/// the cell where it holds a separator, a quote or a line break.
pub fn csv_text(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Writes `report.csv`, then `report.json` (`base` is `OUT/report`, or `OUT/report-2` … when
/// a file of that name was already there); `report.json` lists the CSV only when it was
/// written. Records in `report` what was written and what failed, so nobody is told about a
/// report that is not there.
pub(super) fn write_reports(report: &mut Report, output: &Path, base: &Path, guard: &OutputGuard) {
    let (csv_path, json_path) = (with_extension(base, "csv"), with_extension(base, "json"));
    let csv = report.to_csv();
    match guard.write(&csv_path, csv.as_bytes()) {
        Ok(()) => report.reports.push(relative(&csv_path, output)),
        Err(e) => report.report_errors.push(e.to_string()),
    }
    let mut json = serde_json::to_string_pretty(&*report).unwrap_or_default();
    json.push('\n');
    match guard.write(&json_path, json.as_bytes()) {
        Ok(()) => report.reports.insert(0, relative(&json_path, output)),
        Err(e) => report.report_errors.push(e.to_string()),
    }
    let shown: Vec<String> = report
        .reports
        .iter()
        .map(|r| output.join(r).display().to_string())
        .collect();
    report.reports = shown;
}

/// `OUT/report` → `OUT/report.csv` (appended, as [`crate::convert::output_path`] does).
pub(super) fn with_extension(base: &Path, extension: &str) -> PathBuf {
    let mut name = base.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

/// Where a repeated project stands, for the summary: `a.md 另有 2 个文件`, or `a.md 中出现不止一次`
/// when every copy is in the one file.
fn where_found(d: &Duplicate) -> String {
    let first = d.files.first().map_or("", String::as_str);
    match d.files.len().saturating_sub(1) {
        0 => format!("{} 中出现不止一次", shown(first)),
        others => format!("{} 另有 {others} 个文件", shown(first)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn duplicate(files: &[&str]) -> Duplicate {
        Duplicate {
            budget_unit: "民政局".into(),
            project_name: "农村低保".into(),
            files: files.iter().map(|f| f.to_string()).collect(),
            differs: false,
            differences: Vec::new(),
        }
    }

    /// A project repeated inside one file is said so, not "另有 0 个文件".
    #[test]
    fn where_a_repeated_project_stands() {
        assert_eq!(where_found(&duplicate(&["a.md"])), "a.md 中出现不止一次");
        assert_eq!(
            where_found(&duplicate(&["a.md", "b.md", "c.md"])),
            "a.md 另有 2 个文件"
        );
    }
}
