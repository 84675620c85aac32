//! What becomes of one input — converted (with or without warnings), failed, or skipped — and
//! the counts shown beside it. One policy for every front end that takes many files:
//! `jixiao batch` writes the [`Fate`] of each file in its report, the page of `jixiao serve`
//! shows it on the file's line.
//!
//! The rule, in short: a file that loses data (an I…/R… error, an output that cannot be
//! written, a project without 项目名称 or 预算单位) has failed; one that only has warnings
//! converted with warnings. A file that is plainly not a submission is skipped — unless its
//! name promises a table (a workbook, a text, a PDF …): then not reading it is a failure.
//!
//! ```
//! use jixiao_pipeline::fate::{Fate, Status};
//! use jixiao_pipeline::{Options, OutputFormat};
//! let bytes = "预算单位\t和硕县民政局\t项目名称\t城市低保\n一级指标\t二级指标\t三级指标\t指标值\n\
//!              产出指标\t数量指标\t城市低保救助发放人数\t≥221人\n".as_bytes();
//! let converted =
//!     jixiao_pipeline::convert_bytes("a.md", bytes, &[OutputFormat::Json], &Options::default()).unwrap();
//! let fate = Fate::converted("a.md", &converted, &[]);
//! // The review's findings (no 效益 or 满意度 indicators) are warnings, not a failure.
//! assert_eq!(fate.status, Status::Warnings);
//! assert_eq!((fate.projects, fate.indicators), (1, 1));
//! assert_eq!(Fate::skipped_by_name("~$表1.xlsx"), Some("Office 临时锁文件"));
//! ```

use crate::convert::Converted;
use crate::worker::NotConverted;
use jixiao_model::identity::identifiable;
use jixiao_model::{Code, Diagnostic, Severity};
use serde::Serialize;

/// What happened to one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Converted without warnings.
    Ok,
    /// Converted, with warnings.
    Warnings,
    /// Could not be converted (or lost data).
    Error,
    /// Not a table or not a format we read; left alone.
    Skipped,
}

impl Status {
    /// The word shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Status::Ok => "成功",
            Status::Warnings => "有警告",
            Status::Error => "失败",
            Status::Skipped => "跳过",
        }
    }
}

/// What became of one input: its [`Status`], what was found in it, and the first error (or
/// the reason for skipping it) in words.
#[derive(Debug, Clone, Serialize)]
pub struct Fate {
    /// What happened.
    pub status: Status,
    /// Projects found.
    pub projects: usize,
    /// Indicators found.
    pub indicators: usize,
    /// Error diagnostics (and outputs not written, and projects without a name).
    pub errors: usize,
    /// Warning diagnostics.
    pub warnings: usize,
    /// Info diagnostics.
    pub infos: usize,
    /// The first error (or the reason for skipping), in words.
    pub message: Option<String>,
}

impl Fate {
    /// Left alone, for `why` (a hidden file, not a table …).
    pub fn skipped(why: impl Into<String>) -> Fate {
        Fate::without_tables(Status::Skipped, why.into())
    }

    /// Failed before any table was read, for `why` (cannot be read, cannot be stored …).
    pub fn failed(why: impl Into<String>) -> Fate {
        Fate::without_tables(Status::Error, why.into())
    }

    fn without_tables(status: Status, message: String) -> Fate {
        Fate {
            status,
            projects: 0,
            indicators: 0,
            errors: usize::from(status == Status::Error),
            warnings: 0,
            infos: 0,
            message: Some(message),
        }
    }

    /// Why a file is not even read, from its name (`name` may be a `/`-separated path; its
    /// last part counts): an Office lock file (`~$表1.xlsx`) or a hidden file (`.DS_Store`).
    pub fn skipped_by_name(name: &str) -> Option<&'static str> {
        let base = name.rsplit('/').next().unwrap_or(name);
        if base.starts_with("~$") {
            Some("Office 临时锁文件")
        } else if base.starts_with('.') {
            Some("隐藏文件")
        } else {
            None
        }
    }

    /// A conversion of the input `name` that produced no document: a file whose extension
    /// promises a table ([`crate::TABLE_EXTENSIONS`]) has failed; any other file that is not
    /// text or not a format we read is skipped (a photo, a binary .doc).
    pub fn not_converted(name: &str, why: &NotConverted) -> Fate {
        let promised = crate::TABLE_EXTENSIONS.contains(&crate::extension_of(name).as_str());
        if why.not_a_table && !promised {
            Fate::skipped(format!("不是可读取的表格格式：{}", why.message))
        } else {
            Fate::failed(why.message.clone())
        }
    }

    /// The input `name`, converted; `write_errors` are its outputs that could not be written,
    /// each in words. A document without any table is skipped — or failed, for a workbook
    /// ([`crate::WORKBOOK_EXTENSIONS`]), whose name promises one. Otherwise the file failed
    /// when it lost data ([`crate::failed`]), an output was not written or a project has no
    /// 项目名称 or 预算单位 (the county document could not tell it from others); it has
    /// warnings when any diagnostic is a warning.
    pub fn converted(name: &str, converted: &Converted, write_errors: &[String]) -> Fate {
        let doc = &converted.document;
        if crate::is_empty(doc) {
            let why = doc
                .diagnostics
                .iter()
                .find(|d| d.code == Code::R100)
                .map_or("未找到绩效目标表".into(), |d| d.message.clone());
            if !crate::WORKBOOK_EXTENSIONS.contains(&crate::extension_of(name).as_str()) {
                return Fate::skipped(why);
            }
            let mut fate = Fate::failed(why);
            fate.errors = 0;
            fate.count(&doc.diagnostics);
            fate.errors = fate.errors.max(1);
            return fate;
        }
        let mut fate = Fate {
            status: Status::Ok,
            projects: doc.projects.len(),
            indicators: doc.projects.iter().map(|p| p.indicators.len()).sum(),
            errors: 0,
            warnings: 0,
            infos: 0,
            message: None,
        };
        fate.count(converted.diagnostics());
        fate.errors += write_errors.len();
        // A project without a name or unit cannot be told apart from others in the county
        // document: an error of this file, to fix at the source.
        let unidentified = doc.projects.iter().filter(|p| !identifiable(p)).count();
        fate.errors += unidentified;
        fate.message = write_errors
            .first()
            .cloned()
            .or_else(|| {
                converted
                    .diagnostics()
                    .find(|d| d.severity == Severity::Error)
                    .map(|d| d.to_string())
            })
            .or_else(|| {
                (unidentified > 0).then(|| {
                    format!("{unidentified} 个项目缺少项目名称或预算单位，请在原表中补上后重新转换")
                })
            });
        fate.status = if !write_errors.is_empty() || crate::failed(doc) || unidentified > 0 {
            Status::Error
        } else if fate.warnings > 0 {
            Status::Warnings
        } else {
            Status::Ok
        };
        fate
    }

    /// Counts each diagnostic under its severity.
    fn count<'a>(&mut self, diagnostics: impl IntoIterator<Item = &'a Diagnostic>) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Options, OutputFormat};

    fn converted(name: &str, text: &str) -> Converted {
        crate::convert_bytes(
            name,
            text.as_bytes(),
            &[OutputFormat::Json],
            &Options::default(),
        )
        .expect("converted")
    }

    /// A project the county document cannot tell from others fails its file, wherever the
    /// file is shown (the batch report, the page).
    #[test]
    fn a_project_without_a_name_fails_its_file() {
        let c = converted(
            "a.md",
            "预算单位\t和硕县民政局\n一级指标\t二级指标\t三级指标\t指标值\n\
             产出指标\t数量指标\t城市低保救助发放人数\t≥221人\n",
        );
        assert_eq!(c.document.projects.len(), 1);
        let fate = Fate::converted("a.md", &c, &[]);
        assert_eq!(fate.status, Status::Error);
        assert!(fate.errors >= 1);
        assert!(fate.message.is_some());
    }

    /// An output not written fails the file and is its message.
    #[test]
    fn an_output_not_written_fails_the_file() {
        let c = converted(
            "a.md",
            "预算单位\t和硕县民政局\t项目名称\t城市低保\n一级指标\t二级指标\t三级指标\t指标值\n\
             产出指标\t数量指标\t城市低保救助发放人数\t≥221人\n",
        );
        let fate = Fate::converted("a.md", &c, &["磁盘已满".to_string()]);
        assert_eq!(fate.status, Status::Error);
        assert_eq!(fate.message.as_deref(), Some("磁盘已满"));
    }

    /// Not a table: skipped, unless the name promises one.
    #[test]
    fn what_is_not_a_table_is_skipped_unless_its_name_promises_one() {
        let why = NotConverted {
            not_a_table: true,
            message: "不是文本".into(),
        };
        assert_eq!(
            Fate::not_converted("照片.jpg", &why).status,
            Status::Skipped
        );
        let failed = Fate::not_converted("表.xlsx", &why);
        assert_eq!((failed.status, failed.errors), (Status::Error, 1));
        // A text without any table is skipped; a workbook without one has failed.
        let empty = converted("说明.md", "这里没有表格。\n");
        assert_eq!(
            Fate::converted("说明.md", &empty, &[]).status,
            Status::Skipped
        );
        assert_eq!(Fate::skipped_by_name("科室/.DS_Store"), Some("隐藏文件"));
        assert_eq!(Fate::skipped_by_name("科室/表1.xlsx"), None);
    }
}
