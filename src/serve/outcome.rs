//! What the page shows of a file: what converting it gave ([`Outcome`]: its fate, its
//! outputs, its document), its line in the list of files and its detail (its tables laid out
//! as the standard form, its diagnostics, its projects).

use super::sessions::{FileEntry, Stage};
use super::view;
use crate::fate::{Fate, Status};
use crate::{Options, OutputFormat};
use jixiao_model::Document;
use serde::Serialize;

/// What converting one file gave.
pub(super) struct Outcome {
    /// Its status, counts and first error, decided as `jixiao batch` decides them.
    pub(super) fate: Fate,
    /// The page's view of the file (tables, diagnostics), as JSON.
    pub(super) detail: String,
    /// The outputs written under the session's `out/` folder.
    pub(super) outputs: Vec<OutputFormat>,
    /// The document (with the clerk's corrections), when the file held tables.
    pub(super) document: Option<Document>,
}

pub(super) fn failed_outcome(message: String) -> Outcome {
    outcome_without_tables(Fate::failed(message))
}

pub(super) fn outcome_without_tables(fate: Fate) -> Outcome {
    let detail = serde_json::json!({
        "tables": [],
        "diagnostics": [],
        "projects": [],
        "outputs": [],
    });
    Outcome {
        fate,
        detail: detail.to_string(),
        outputs: Vec::new(),
        document: None,
    }
}

#[derive(Serialize)]
struct ProjectLine<'a> {
    budget_unit: &'a str,
    project_name: &'a str,
    indicators: usize,
    funds_total: Option<String>,
}

/// The page's view of the document converted from the upload `name`.
pub(super) fn detail_json(
    name: &str,
    doc: &Document,
    outputs: &[OutputFormat],
    read: &Options,
) -> String {
    let (tables, sources) = view::tables(doc, &read.template);
    let diagnostics = view::diagnostics(name, &doc.diagnostics, &sources);
    let projects: Vec<ProjectLine> = doc
        .projects
        .iter()
        .map(|p| ProjectLine {
            budget_unit: &p.budget_unit,
            project_name: &p.project_name,
            indicators: p.indicators.len(),
            funds_total: p.funds.total.map(|t| t.to_string()),
        })
        .collect();
    let outputs: Vec<&str> = outputs.iter().map(|f| f.extension()).collect();
    serde_json::json!({
        "projects": projects,
        "corrections": doc.corrections,
        "tables": tables,
        "diagnostics": diagnostics,
        "outputs": outputs,
    })
    .to_string()
}

#[derive(Serialize)]
pub(super) struct FileLine {
    pub(super) id: usize,
    /// The name as shown (escape sequences and bidi controls written out, `jixiao::shown`).
    pub(super) name: String,
    /// `queued`, `working`, `ok`, `warnings`, `error`, `skipped`.
    pub(super) state: &'static str,
    /// The state in Chinese.
    pub(super) label: &'static str,
    pub(super) message: Option<String>,
    pub(super) projects: usize,
    pub(super) indicators: usize,
    pub(super) errors: usize,
    pub(super) warnings: usize,
    pub(super) infos: usize,
}

pub(super) fn file_line(id: usize, entry: &FileEntry) -> FileLine {
    let mut line = FileLine {
        id,
        name: crate::shown(&entry.name),
        state: "queued",
        label: "排队中",
        message: None,
        projects: 0,
        indicators: 0,
        errors: 0,
        warnings: 0,
        infos: 0,
    };
    match &entry.stage {
        Stage::Queued => {}
        Stage::Working => {
            line.state = "working";
            line.label = "转换中";
        }
        Stage::Done(o) => {
            let fate = &o.fate;
            line.state = match fate.status {
                Status::Ok => "ok",
                Status::Warnings => "warnings",
                Status::Error => "error",
                Status::Skipped => "skipped",
            };
            line.label = fate.status.label();
            line.message = fate.message.as_deref().map(crate::shown);
            line.projects = fate.projects;
            line.indicators = fate.indicators;
            line.errors = fate.errors;
            line.warnings = fate.warnings;
            line.infos = fate.infos;
        }
    }
    line
}
