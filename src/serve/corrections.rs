//! Corrections by hand: the clerk fixes a misread cell where the page shows it (预算单位,
//! 项目名称, the amounts, the goal, any indicator cell) and adds or deletes indicator rows.
//! Each correction is applied to the file's document, recorded in its `corrections` (the
//! JSON contract `jixiao/1`), the findings it settles are dropped, the review runs again and
//! the outputs are rendered again; the .zip of everything carries the corrected documents.
//! Nothing is sent anywhere but this server.

use super::ApiError;
use super::conversion::{convert, finish};
use super::routes::{detail, done_entry};
use super::sessions::{App, Stage, set_stage};
use crate::OutputFormat;
use crate::convert::Converted;
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::Response;
use jixiao_model::{Correction, Decimal, Document, Indicator, Location, Project, Value};
use serde::Deserialize;
use std::sync::Arc;

/// The fields of a project the page lets the clerk correct, as the form template names them.
pub(crate) const PROJECT_FIELDS: &[&str] = &[
    "budget_unit",
    "project_name",
    "funds.total",
    "funds.fiscal",
    "funds.other",
    "goal",
];

/// The fields of an indicator row the page lets the clerk correct.
pub(crate) const INDICATOR_FIELDS: &[&str] = &["level1", "level2", "level3", "value"];

/// One correction, as the page sends it (`op` says which).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum Edit {
    /// Sets a field of project `project`: one of [`PROJECT_FIELDS`], or one of
    /// [`INDICATOR_FIELDS`] in each of its indicator rows `rows` (a merged 一级/二级 cell
    /// covers several).
    Set {
        project: usize,
        #[serde(default)]
        rows: Vec<usize>,
        field: String,
        text: String,
    },
    /// Inserts an empty indicator row at `row` (the count of rows: at the end).
    Insert { project: usize, row: usize },
    /// Deletes indicator row `row`.
    Delete { project: usize, row: usize },
}

/// The JSON Pointer of a project's field (`funds.total` → `/projects/0/funds/total`), of an
/// indicator's field, or of a whole indicator row (`field` `None`).
pub(crate) fn pointer(project: usize, row: Option<usize>, field: Option<&str>) -> String {
    let mut p = format!("/projects/{project}");
    if let Some(r) = row {
        p.push_str(&format!("/indicators/{r}"));
    }
    if let Some(f) = field {
        p.push('/');
        p.push_str(&f.replace('.', "/"));
    }
    p
}

/// True when the cell at `field` (of `row`, when an indicator's) was corrected by hand, or
/// belongs to a row added by hand.
pub(crate) fn is_corrected(
    doc: &Document,
    project: usize,
    row: Option<usize>,
    field: &str,
) -> bool {
    let cell = pointer(project, row, Some(field));
    let whole = row.map(|r| pointer(project, Some(r), None));
    doc.corrections.iter().any(|c| {
        c.field == cell
            || (c.before.is_none() && c.after.is_some() && Some(&c.field) == whole.as_ref())
    })
}

/// The findings of reading and recognition that a correction of `field` settles: they
/// described what was read in that cell (or row), which the clerk has now replaced by hand.
/// The review's findings are not listed: it runs again on the corrected document.
fn settled_codes(field: &str) -> &'static [&'static str] {
    match field {
        "project_name" => &["R109", "R110"],
        "budget_unit" => &["R110"],
        "funds.total" | "funds.fiscal" | "funds.other" => &["R112", "R113"],
        "level1" | "level2" => &["R101", "R102", "R103"],
        "level3" => &["R101", "R105"],
        "value" => &["R101", "R104", "R119", "R120"],
        _ => &[],
    }
}

/// The findings a deleted row settles: every one its fields' corrections would.
const ROW_CODES: &[&str] = &["R101", "R102", "R103", "R104", "R105", "R119", "R120"];

/// Applies one correction to `doc`: the field changed, the change recorded, the findings it
/// settles dropped. The review is not run here. An `Err` is a message in Chinese and leaves
/// `doc` unchanged.
pub(crate) fn apply(doc: &mut Document, edit: &Edit) -> Result<(), String> {
    let (Edit::Set { project, .. } | Edit::Insert { project, .. } | Edit::Delete { project, .. }) =
        edit;
    let pi = *project;
    let Some(p) = doc.projects.get_mut(pi) else {
        return Err("没有这个项目（页面可能已过期，请刷新）".into());
    };
    match edit {
        Edit::Set {
            rows, field, text, ..
        } => {
            if rows.is_empty() {
                let before = project_field(p, field)?;
                let place = if field.starts_with("funds.") {
                    p.funds
                        .location
                        .clone()
                        .unwrap_or_else(|| p.location.clone())
                } else {
                    p.location.clone()
                };
                let after = set_project_field(p, field, text)?;
                drop_settled(doc, &[place], settled_codes(field));
                record(
                    doc,
                    pointer(pi, None, Some(field)),
                    Some(before),
                    Some(after),
                );
            } else {
                if !INDICATOR_FIELDS.contains(&field.as_str()) {
                    return Err(format!("“{field}”不是可更正的指标栏目"));
                }
                if let Some(&bad) = rows.iter().find(|&&r| r >= p.indicators.len()) {
                    return Err(format!(
                        "没有第 {} 行指标（页面可能已过期，请刷新）",
                        bad + 1
                    ));
                }
                let mut places = Vec::new();
                let mut changes = Vec::new();
                for &r in rows {
                    let ind = &mut p.indicators[r];
                    let before = indicator_field(ind, field);
                    let after = text.clone();
                    match field.as_str() {
                        "level1" => ind.level1 = after.clone(),
                        "level2" => ind.level2 = after.clone(),
                        "level3" => ind.level3 = after.clone(),
                        _ => ind.value = Value::parse(&after),
                    }
                    places.push(ind.location.clone());
                    changes.push((r, before, after));
                }
                drop_settled(doc, &places, settled_codes(field));
                for (r, before, after) in changes {
                    record(
                        doc,
                        pointer(pi, Some(r), Some(field)),
                        Some(before),
                        Some(after),
                    );
                }
            }
        }
        Edit::Insert { row, .. } => {
            if *row > p.indicators.len() {
                return Err("插入的位置不在指标表中（页面可能已过期，请刷新）".into());
            }
            // The new row continues the group it is inserted into.
            let above = row.checked_sub(1).and_then(|r| p.indicators.get(r));
            let new = Indicator {
                level1: above.map(|a| a.level1.clone()).unwrap_or_default(),
                level2: above.map(|a| a.level2.clone()).unwrap_or_default(),
                level3: String::new(),
                value: Value::parse(""),
                location: Location::default(),
                evaluation: None,
            };
            let text = row_text(&new);
            p.indicators.insert(*row, new);
            renumber(doc, pi, *row, 1);
            record_new(doc, pointer(pi, Some(*row), None), None, Some(text));
        }
        Edit::Delete { row, .. } => {
            if *row >= p.indicators.len() {
                return Err(format!(
                    "没有第 {} 行指标（页面可能已过期，请刷新）",
                    row + 1
                ));
            }
            let gone = p.indicators.remove(*row);
            drop_settled(doc, std::slice::from_ref(&gone.location), ROW_CODES);
            let whole = pointer(pi, Some(*row), None);
            let inside = format!("{whole}/");
            // A row added by hand and deleted again leaves no trace; corrections of the
            // deleted row's cells become part of its deletion.
            let added = doc
                .corrections
                .iter()
                .any(|c| c.field == whole && c.before.is_none());
            let mut original = gone.clone();
            doc.corrections.retain(|c| {
                if c.field.starts_with(&inside) {
                    let before = c.before.clone().unwrap_or_default();
                    match c.field.rsplit('/').next() {
                        Some("level1") => original.level1 = before,
                        Some("level2") => original.level2 = before,
                        Some("level3") => original.level3 = before,
                        Some("value") => original.value = Value::parse(&before),
                        _ => {}
                    }
                    false
                } else {
                    !(c.field == whole && c.before.is_none())
                }
            });
            renumber(doc, pi, *row + 1, -1);
            if !added {
                record_new(doc, whole, Some(row_text(&original)), None);
            }
        }
    }
    Ok(())
}

/// A project field as text (amounts with their digits).
fn project_field(p: &Project, field: &str) -> Result<String, String> {
    let amount = |n: Option<Decimal>| n.map(|d| d.to_string()).unwrap_or_default();
    Ok(match field {
        "budget_unit" => p.budget_unit.clone(),
        "project_name" => p.project_name.clone(),
        "funds.total" => amount(p.funds.total),
        "funds.fiscal" => amount(p.funds.fiscal),
        "funds.other" => amount(p.funds.other),
        "goal" => p.goal.clone(),
        _ => return Err(format!("“{field}”不是可更正的栏目")),
    })
}

/// Sets a project field from the clerk's text (kept as sent, to the last character; an
/// amount is read as a number); the text as kept.
fn set_project_field(p: &mut Project, field: &str, text: &str) -> Result<String, String> {
    match field {
        "budget_unit" => p.budget_unit = text.to_string(),
        "project_name" => p.project_name = text.to_string(),
        "goal" => {
            p.goal = text.to_string();
            p.goals = jixiao_recognize::split_goals(text);
        }
        "funds.total" | "funds.fiscal" | "funds.other" => {
            let amount = parse_amount(text.trim())?;
            match field {
                "funds.total" => p.funds.total = amount,
                "funds.fiscal" => p.funds.fiscal = amount,
                _ => p.funds.other = amount,
            }
            return Ok(amount.map(|d| d.to_string()).unwrap_or_default());
        }
        _ => return Err(format!("“{field}”不是可更正的栏目")),
    }
    Ok(text.to_string())
}

/// An amount in 万元 as the clerk typed it, digits kept; blank is none.
fn parse_amount(text: &str) -> Result<Option<Decimal>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    let plain = text.starts_with(|c: char| c.is_ascii_digit() || c == '-')
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
        && text.matches('.').count() <= 1
        && !text[1..].contains('-');
    plain
        .then(|| text.parse::<Decimal>().ok())
        .flatten()
        .map(Some)
        .ok_or_else(|| {
            format!("“{text}”不是金额：请只填数字（单位万元，如 35.88），不要带单位或逗号；没有金额就清空")
        })
}

fn indicator_field(ind: &Indicator, field: &str) -> String {
    match field {
        "level1" => ind.level1.clone(),
        "level2" => ind.level2.clone(),
        "level3" => ind.level3.clone(),
        _ => ind.value.raw.clone(),
    }
}

/// A row's four cells, as a deleted or added row is recorded.
fn row_text(ind: &Indicator) -> String {
    [
        ind.level1.as_str(),
        &ind.level2,
        &ind.level3,
        &ind.value.raw,
    ]
    .join(" / ")
}

/// Records a change of a field; a field corrected again keeps its first `before`, and a
/// field put back as it was is no longer a correction.
fn record(doc: &mut Document, field: String, before: Option<String>, after: Option<String>) {
    let before = match doc.corrections.iter().position(|c| c.field == field) {
        Some(k) => doc.corrections.remove(k).before,
        None => before,
    };
    record_new(doc, field, before, after);
}

fn record_new(doc: &mut Document, field: String, before: Option<String>, after: Option<String>) {
    if before != after {
        doc.corrections.push(Correction {
            field,
            before,
            after,
        });
    }
}

/// Moves the recorded pointers of project `project`'s indicator rows from `from` on by
/// `by` (a row inserted or deleted before them), so that each names its field in the
/// document as it is.
fn renumber(doc: &mut Document, project: usize, from: usize, by: isize) {
    let prefix = format!("/projects/{project}/indicators/");
    for c in &mut doc.corrections {
        let Some(rest) = c.field.strip_prefix(&prefix) else {
            continue;
        };
        let (index, tail) = rest.split_once('/').map_or((rest, ""), |(i, t)| (i, t));
        let Ok(r) = index.parse::<usize>() else {
            continue;
        };
        if r >= from {
            let moved = r.saturating_add_signed(by);
            c.field = if tail.is_empty() {
                format!("{prefix}{moved}")
            } else {
                format!("{prefix}{moved}/{tail}")
            };
        }
    }
}

/// Drops the reading and recognition findings with one of `codes` at one of `places`.
fn drop_settled(doc: &mut Document, places: &[Location], codes: &[&str]) {
    doc.diagnostics.retain(|d| {
        !(codes.contains(&d.code.as_str())
            && places
                .iter()
                .any(|p| super::view::same_place(&d.location, p)))
    });
}

/// `POST /api/session/{sid}/files/{fid}/corrections`: applies one [`Edit`], reviews and
/// renders the file again, and answers its detail as `GET …/files/{fid}` does.
pub(super) async fn correct(
    State(app): State<App>,
    UrlPath((sid, fid)): UrlPath<(String, usize)>,
    body: axum::body::Bytes,
) -> Result<Response, ApiError> {
    let session = app.session(&sid)?;
    let edit: Edit = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("更正的内容无法识别（页面可能已过期，请刷新）：{e}"),
        )
    })?;
    // One correction (or one .zip) at a time: two at once would each start from the same
    // document and one would be lost.
    let _one = session.packing.lock().await;
    let (name, outcome) = done_entry(&session, fid)?;
    let mut doc = outcome.document.clone().ok_or_else(|| {
        ApiError::new(
            StatusCode::CONFLICT,
            "这个文件没有读出表格，无法更正；请修改原文件后重新拖入",
        )
    })?;
    apply(&mut doc, &edit).map_err(|m| ApiError::new(StatusCode::BAD_REQUEST, m))?;
    let dir = session.dir.clone();
    let for_job = app.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        let read = &for_job.read;
        if doc.corrections.is_empty() {
            // Every correction put back: the file as read, findings and all, converted again
            // as an upload is.
            return convert(&dir, fid, &name, read, for_job.pool.as_ref());
        }
        crate::review(&mut doc, read);
        let converted = Converted::render(doc, OutputFormat::ALL, read);
        finish(&dir, fid, &name, converted, read)
    })
    .await
    .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "更正时程序内部出错"))?;
    set_stage(&session, fid, Stage::Done(Arc::new(outcome)));
    detail(State(app), UrlPath((sid, fid))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Document {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/heshuo-2022.md"
        ))
        .unwrap();
        crate::load("heshuo-2022.md", &bytes, &crate::Options::default()).unwrap()
    }

    fn set(project: usize, rows: &[usize], field: &str, text: &str) -> Edit {
        Edit::Set {
            project,
            rows: rows.to_vec(),
            field: field.into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_correction_is_recorded_and_settles_its_findings() {
        let mut doc = seed();
        let p = doc
            .projects
            .iter()
            .position(|p| {
                p.indicators
                    .iter()
                    .any(|i| i.level3 == "人均丧葬补贴发放资金数")
            })
            .unwrap();
        let r = doc.projects[p]
            .indicators
            .iter()
            .position(|i| i.level3 == "人均丧葬补贴发放资金数")
            .unwrap();
        assert!(doc.diagnostics.iter().any(|d| d.code == "R101"));
        apply(&mut doc, &set(p, &[r], "value", "＝720元")).unwrap();
        assert!(
            !doc.diagnostics.iter().any(|d| d.code == "R101"),
            "R101 settled"
        );
        assert_eq!(doc.projects[p].indicators[r].value.raw, "＝720元");
        assert_eq!(doc.corrections.len(), 1);
        assert_eq!(
            doc.corrections[0].field,
            format!("/projects/{p}/indicators/{r}/value")
        );
        // Corrected again: one record, first `before`; put back: none.
        let before = doc.corrections[0].before.clone().unwrap();
        apply(&mut doc, &set(p, &[r], "value", "=730元")).unwrap();
        assert_eq!(doc.corrections.len(), 1);
        apply(&mut doc, &set(p, &[r], "value", &before)).unwrap();
        assert!(doc.corrections.is_empty());
    }

    #[test]
    fn amounts_keep_their_digits_and_refuse_words() {
        let mut doc = seed();
        apply(&mut doc, &set(0, &[], "funds.total", " 91.590 ")).unwrap();
        assert_eq!(doc.projects[0].funds.total.unwrap().to_string(), "91.590");
        assert_eq!(doc.corrections[0].after.as_deref(), Some("91.590"));
        apply(&mut doc, &set(0, &[], "funds.other", "")).unwrap();
        assert_eq!(doc.projects[0].funds.other, None);
        for bad in ["九十", "91.59万元", "1,000", "1.2.3", "--1"] {
            let was = doc.clone();
            assert!(
                apply(&mut doc, &set(0, &[], "funds.total", bad)).is_err(),
                "{bad}"
            );
            assert_eq!(doc, was, "a refused correction changes nothing");
        }
    }

    #[test]
    fn rows_added_and_deleted_keep_pointers_true() {
        let mut doc = seed();
        let n = doc.projects[1].indicators.len();
        apply(&mut doc, &set(1, &[3], "level3", "改过的名称")).unwrap();
        apply(&mut doc, &Edit::Insert { project: 1, row: 0 }).unwrap();
        assert_eq!(doc.projects[1].indicators.len(), n + 1);
        assert_eq!(
            doc.corrections[0].field, "/projects/1/indicators/4/level3",
            "the corrected cell moved down with its row"
        );
        assert!(is_corrected(&doc, 1, Some(4), "level3"));
        assert!(
            is_corrected(&doc, 1, Some(0), "value"),
            "an added row is marked"
        );
        // The added row deleted again: no trace; the other correction moves back.
        apply(&mut doc, &Edit::Delete { project: 1, row: 0 }).unwrap();
        assert_eq!(doc.corrections.len(), 1);
        assert_eq!(doc.corrections[0].field, "/projects/1/indicators/3/level3");
        // A corrected row deleted: recorded once, with what was read.
        let read = seed().projects[1].indicators[3].clone();
        apply(&mut doc, &Edit::Delete { project: 1, row: 3 }).unwrap();
        assert_eq!(doc.corrections.len(), 1);
        assert_eq!(doc.corrections[0].after, None);
        assert_eq!(
            doc.corrections[0].before.as_deref(),
            Some(row_text(&read).as_str())
        );
        assert!(
            apply(
                &mut doc,
                &Edit::Delete {
                    project: 1,
                    row: 99
                }
            )
            .is_err()
        );
        assert!(apply(&mut doc, &Edit::Delete { project: 9, row: 0 }).is_err());
    }
}
