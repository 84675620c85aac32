//! What the page shows for one converted file: each table laid out by `jixiao_layout` (the
//! layout the XLSX and PDF writers draw, cell for cell) and every diagnostic, each pointing at
//! the table rows that came from the place it names.

use jixiao_layout::{Align, Content, Role, RowKind, Table, Template};
use jixiao_model::{Code, Diagnostic, Document, Location, Severity};
use serde::Serialize;

/// One table as the page draws it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TableView {
    /// `summary` (汇总表) or `project` (项目支出绩效目标表).
    pub kind: &'static str,
    /// The project's index in the document (a project table), for corrections.
    pub project: Option<usize>,
    /// The project's name, or the summary's title.
    pub name: String,
    /// The title line.
    pub title: String,
    /// The year line.
    pub subtitle: Option<String>,
    /// Column widths in character units (a CJK character is 2), from the form template.
    pub columns: Vec<f32>,
    /// The rows, top to bottom.
    pub rows: Vec<RowView>,
}

/// One row of a table.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct RowView {
    /// `block`, `header`, `indicator`, `item` or `total`.
    pub kind: &'static str,
    /// The indicator's index in its project (an indicator row), for corrections.
    pub indicator: Option<usize>,
    /// The cells whose top-left slot is in this row.
    pub cells: Vec<CellView>,
}

/// One cell of a row.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CellView {
    /// First column (0-based).
    pub col: usize,
    /// Columns covered.
    pub col_span: usize,
    /// Rows covered.
    pub row_span: usize,
    /// The text shown (numbers with their source digits).
    pub text: String,
    /// A label of the form rather than a value from the document.
    pub label: bool,
    /// Left-aligned (long text) rather than centred.
    pub left: bool,
    /// The field the clerk may correct here (`budget_unit`, `funds.total`, `level1`, `value`
    /// …: [`super::corrections`]); none for labels and for what cannot be corrected.
    pub field: Option<&'static str>,
    /// Corrected by hand (or in a row added by hand).
    pub corrected: bool,
}

/// One diagnostic as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct DiagnosticView {
    /// `error`, `warning` or `info`.
    pub severity: Severity,
    /// 错误 / 警告 / 提示.
    pub label: &'static str,
    /// The code, e.g. `R101`.
    pub code: Code,
    /// The message, in Chinese.
    pub message: String,
    /// Where, in words (第 51 行 / 工作表“项目1”单元格 C12), or empty.
    pub place: String,
    /// What the code means and what to do, when known.
    pub explain: Option<String>,
    /// The rows it points at, as `[table, row]` indices into the file's tables.
    pub targets: Vec<[usize; 2]>,
}

/// Lays out every table of a document: the summary first (when there is one), then each
/// project, as the XLSX workbook orders its sheets.
pub(crate) fn tables(doc: &Document, template: &Template) -> (Vec<TableView>, Vec<Vec<Location>>) {
    let mut views = Vec::new();
    let mut sources = Vec::new();
    if let Some(t) = jixiao_layout::summary(doc, template) {
        let name = t.title.clone();
        push(&mut views, &mut sources, "summary", name, t);
    }
    for (pi, p) in doc.projects.iter().enumerate() {
        let t = jixiao_layout::form(p, template);
        push(
            &mut views,
            &mut sources,
            "project",
            p.project_name.clone(),
            t,
        );
        if let Some(view) = views.last_mut() {
            mark_fields(view, pi, doc, template);
        }
    }
    (views, sources)
}

/// Names the field of each value cell of project `pi`'s table, as the form template places
/// them (block rows in template order, then the header, then one row per indicator), and
/// marks the cells corrected by hand.
fn mark_fields(view: &mut TableView, pi: usize, doc: &Document, template: &Template) {
    use super::corrections::{INDICATOR_FIELDS, PROJECT_FIELDS, is_corrected};
    view.project = Some(pi);
    // The spec rows of the form the project is drawn in (`jixiao_layout::form`): the 自评表's
    // for a project read from one (its 预算执行率 row, when it has one, comes before the
    // indicators), else the 目标表's.
    let p = &doc.projects[pi];
    let (block, indicator_row, first) = if p.is_self_evaluation() {
        let z = template.ziping_form();
        let execution = p
            .self_evaluation
            .as_ref()
            .is_some_and(|s| s.execution.is_some());
        (
            &z.rows,
            &z.indicators.row,
            z.rows.len() + 1 + usize::from(execution),
        )
    } else {
        let form = &template.project;
        (&form.rows, &form.indicators.row, form.rows.len() + 1)
    };
    // The field of the spec cell starting at each column, when correctable.
    let by_column = |specs: &[jixiao_layout::CellSpec], allowed: &[&'static str]| {
        let mut col = 0;
        let mut found = Vec::new();
        for s in specs {
            if let Some(f) = s.field.as_deref()
                && let Some(&name) = allowed.iter().find(|&&a| a == f)
            {
                found.push((col, name));
            }
            col += s.span;
        }
        found
    };
    let indicator_cols = by_column(indicator_row, INDICATOR_FIELDS);
    for (ri, row) in view.rows.iter_mut().enumerate() {
        let (cols, indicator) = if ri < block.len() {
            (by_column(&block[ri].cells, PROJECT_FIELDS), None)
        } else if ri >= first && row.kind == "indicator" {
            (indicator_cols.clone(), Some(ri - first))
        } else {
            continue;
        };
        row.indicator = indicator;
        for cell in &mut row.cells {
            if cell.label {
                continue;
            }
            if let Some(&(_, name)) = cols.iter().find(|(c, _)| *c == cell.col) {
                cell.field = Some(name);
                cell.corrected = is_corrected(doc, pi, indicator, name);
            }
        }
    }
}

fn push(
    views: &mut Vec<TableView>,
    sources: &mut Vec<Vec<Location>>,
    kind: &'static str,
    name: String,
    t: Table,
) {
    sources.push(t.rows.iter().map(|r| r.source.clone()).collect());
    views.push(TableView {
        kind,
        project: None,
        name,
        title: t.title,
        subtitle: t.subtitle,
        columns: t.columns,
        rows: t
            .rows
            .into_iter()
            .map(|r| RowView {
                kind: match r.kind {
                    RowKind::Block => "block",
                    RowKind::Header => "header",
                    RowKind::Indicator => "indicator",
                    RowKind::Item => "item",
                    RowKind::Total => "total",
                },
                indicator: None,
                cells: r
                    .cells
                    .into_iter()
                    .map(|c| CellView {
                        col: c.col,
                        col_span: c.col_span,
                        row_span: c.row_span,
                        text: match &c.content {
                            Content::Empty => String::new(),
                            other => other.text(),
                        },
                        label: c.role == Role::Label,
                        left: c.align == Align::Left,
                        field: None,
                        corrected: false,
                    })
                    .collect(),
            })
            .collect(),
    });
}

/// The diagnostics of the upload `input` with the rows each points at: a row matches when it
/// came from the same file and the same line (text inputs) or the same sheet and spreadsheet
/// row (workbooks).
pub(crate) fn diagnostics(
    input: &str,
    diags: &[Diagnostic],
    sources: &[Vec<Location>],
) -> Vec<DiagnosticView> {
    diags
        .iter()
        .map(|d| DiagnosticView {
            severity: d.severity,
            label: d.severity.label(),
            code: d.code,
            message: d.message.clone(),
            place: place(input, &d.location),
            explain: explain(d.code.as_str()),
            targets: targets(&d.location, sources),
        })
        .collect()
}

fn targets(at: &Location, sources: &[Vec<Location>]) -> Vec<[usize; 2]> {
    let mut found = Vec::new();
    for (t, rows) in sources.iter().enumerate() {
        for (r, source) in rows.iter().enumerate() {
            if same_place(at, source) {
                found.push([t, r]);
            }
        }
    }
    found
}

/// True when two locations name the same line of a text file or the same row of a sheet.
pub(crate) fn same_place(a: &Location, b: &Location) -> bool {
    if a.file.is_some() && b.file.is_some() && a.file != b.file {
        return false;
    }
    if let (Some(x), Some(y)) = (a.line, b.line) {
        return x == y;
    }
    match (&a.sheet, &a.cell, &b.sheet, &b.cell) {
        (Some(s1), Some(c1), Some(s2), Some(c2)) => {
            s1 == s2 && row_of(c1).is_some() && row_of(c1) == row_of(c2)
        }
        _ => false,
    }
}

/// The row number of an A1 reference (`C12` → 12).
fn row_of(cell: &str) -> Option<u32> {
    let digits: String = cell
        .chars()
        .skip_while(|c| c.is_ascii_alphabetic())
        .collect();
    digits.parse().ok()
}

/// Where, in the clerk's words.
/// Where a diagnostic of the upload `input` points, in words. A place in another file — the
/// file a jixiao JSON document was converted from, whose places it keeps — says so.
fn place(input: &str, at: &Location) -> String {
    let within = match (&at.sheet, &at.cell, at.line) {
        (Some(s), Some(c), _) => format!("工作表“{s}”单元格 {c}"),
        (Some(s), None, _) => format!("工作表“{s}”"),
        (None, Some(c), _) => format!("单元格 {c}"),
        (None, None, Some(line)) => format!("第 {line} 行"),
        (None, None, None) => String::new(),
    };
    match at.file.as_deref() {
        Some(file) if file != input && !within.is_empty() => {
            format!("原始文件 {file} {within}")
        }
        _ => within,
    }
}

/// What a code means, in Chinese: its title and explanation from the registry of codes (the
/// text `jixiao explain CODE` prints).
pub(crate) fn explain(code: &str) -> Option<String> {
    let c = crate::model::registry::lookup(code)?;
    Some(format!("{}。{}", c.title, c.explanation))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A place in the upload itself is said as it is; one in the file a JSON upload was
    /// converted from names that file.
    #[test]
    fn a_place_in_the_original_file_names_it() {
        let at = Location::line(Some("a.md"), 51, 1);
        assert_eq!(place("a.md", &at), "第 51 行");
        assert_eq!(place("a.json", &at), "原始文件 a.md 第 51 行");
        assert_eq!(place("a.json", &Location::file("a.md")), "");
    }

    #[test]
    fn rows_match_by_line_or_by_sheet_row() {
        let line = |n| Location::line(Some("a.md"), n, 1);
        assert!(same_place(&line(51), &line(51)));
        assert!(!same_place(&line(51), &line(52)));
        assert!(!same_place(&line(51), &Location::line(Some("b.md"), 51, 1)));
        let cell = |s: &str, c: &str| Location::cell(Some("a.xlsx"), s, c);
        assert!(same_place(&cell("表1", "E12"), &cell("表1", "A12")));
        assert!(!same_place(&cell("表1", "E12"), &cell("表2", "E12")));
        assert!(!same_place(&cell("表1", "E12"), &cell("表1", "E13")));
        assert!(!same_place(
            &Location::file("a.md"),
            &Location::file("a.md")
        ));
    }

    #[test]
    fn a_self_evaluation_is_shown_as_its_own_form_with_its_fields_named() {
        let md = std::fs::read("fixtures/kinds/self-evaluation.md").unwrap();
        let doc = jixiao_pipeline::load(
            "self-evaluation.md",
            &md,
            &jixiao_pipeline::Options::default(),
        )
        .unwrap();
        let (views, _) = tables(&doc, Template::standard());
        let view = &views[0];
        assert_eq!(view.title, "项目支出绩效自评表");
        let field_of = |text: &str| {
            view.rows
                .iter()
                .flat_map(|r| &r.cells)
                .find(|c| c.text == text)
                .and_then(|c| c.field)
        };
        assert_eq!(field_of("城乡公益性岗位补贴"), Some("project_name"));
        assert_eq!(field_of("石湾县人力资源和社会保障局"), Some("budget_unit"));
        assert_eq!(field_of("石湾县就业服务中心"), None); // 实施单位: not correctable
        assert_eq!(field_of("≥220个"), Some("value"));
        assert_eq!(field_of("226个"), None); // 实际完成值: shown, not a target
        // The 预算执行率 row stands before the indicators: they keep their numbers.
        let first = view
            .rows
            .iter()
            .find(|r| r.cells.iter().any(|c| c.text == "开发公益性岗位数"))
            .unwrap();
        assert_eq!(first.indicator, Some(0));
    }

    #[test]
    fn every_family_is_explained_in_chinese() {
        for code in ["I303", "R101", "C201", "L401", "X401", "P501"] {
            assert!(explain(code).is_some_and(|t| !t.is_ascii()), "{code}");
        }
        assert_eq!(explain("Z999"), None);
    }
}
