//! The template: the schema of `templates/form.toml` (which columns the project and summary
//! tables have, their widths, labels, fields and merges, the page and the fonts), the
//! built-in form, and the checks a template must pass before anything is laid out with it.

use crate::ziping;
use serde::Deserialize;
use std::path::Path;
use std::sync::OnceLock;

/// The form layout shipped in `templates/form.toml`.
pub const STANDARD_TOML: &str = include_str!("../../../../templates/form.toml");

/// Why a template could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// The file could not be read.
    #[error("无法读取模板 {path}：{source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The TOML is malformed.
    #[error("模板格式有误：{0}")]
    Toml(#[from] toml::de::Error),
    /// The layout is inconsistent (a row wider than the table, an unknown field).
    #[error("模板有误：{0}")]
    Invalid(String),
}

/// The whole template.
#[derive(Debug, Clone, Deserialize)]
pub struct Template {
    /// Paper and margins.
    pub page: Page,
    /// Font name and sizes.
    pub font: Font,
    /// The project table 项目支出绩效目标表.
    pub project: ProjectForm,
    /// The summary table 重大政策和重点项目绩效目标汇总表.
    pub summary: SummaryForm,
    /// The 自评表 layout when a template folder gives its own `ziping.toml`
    /// ([`Template::with_ziping`]); the built-in one ([`ziping::ZipingForm::standard`])
    /// otherwise.
    #[serde(skip)]
    pub ziping: Option<ziping::ZipingForm>,
}

/// Paper and margins.
#[derive(Debug, Clone, Deserialize)]
pub struct Page {
    /// `A4`.
    pub paper: String,
    /// `portrait` or `landscape`.
    pub orientation: String,
    /// Top margin in mm.
    pub margin_top_mm: f32,
    /// Bottom margin in mm.
    pub margin_bottom_mm: f32,
    /// Left margin in mm.
    pub margin_left_mm: f32,
    /// Right margin in mm.
    pub margin_right_mm: f32,
    /// Footer text; `{page}` and `{pages}` are the page number and count.
    pub footer: String,
}

/// Font name and sizes (points).
#[derive(Debug, Clone, Deserialize)]
pub struct Font {
    /// The face the form names (宋体).
    pub name: String,
    /// Title size.
    pub title_size: f32,
    /// Subtitle (year line) size.
    pub subtitle_size: f32,
    /// Table text size.
    pub body_size: f32,
    /// Line height as a multiple of the size.
    pub line_spacing: f32,
}

/// How a cell is aligned horizontally (all cells are centred vertically).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    /// Centred (labels, short values).
    #[default]
    Center,
    /// Left-aligned (long text).
    Left,
}

/// One cell of a row specification.
#[derive(Debug, Clone, Deserialize)]
pub struct CellSpec {
    /// Fixed text.
    pub label: Option<String>,
    /// The document field shown.
    pub field: Option<String>,
    /// Columns covered.
    #[serde(default = "one")]
    pub span: usize,
    /// `down`: equal values of consecutive rows merge vertically.
    pub merge: Option<String>,
    /// Rows covered (a label over several rows of a header block, such as 项目资金 over the
    /// funds lines of a 自评表); the rows below leave its columns out. Only the 自评表 layout
    /// (`templates/ziping.toml`) uses it.
    #[serde(default = "one")]
    pub rows: usize,
    /// Horizontal alignment.
    #[serde(default)]
    pub align: Align,
}

fn one() -> usize {
    1
}

/// A row of cells.
#[derive(Debug, Clone, Deserialize)]
pub struct RowSpec {
    /// The cells, left to right.
    pub cells: Vec<CellSpec>,
}

/// The indicator part of the project table.
#[derive(Debug, Clone, Deserialize)]
pub struct IndicatorSpec {
    /// The header row (一级指标 …), repeated on every printed page.
    pub header: Vec<CellSpec>,
    /// One row per indicator.
    pub row: Vec<CellSpec>,
}

/// The project table.
#[derive(Debug, Clone, Deserialize)]
pub struct ProjectForm {
    /// The title.
    pub title: String,
    /// The year line; `{year}` is the year.
    pub year_line: String,
    /// Column widths in character units.
    pub columns: Vec<f32>,
    /// The header block rows.
    pub rows: Vec<RowSpec>,
    /// The indicator table.
    pub indicators: IndicatorSpec,
}

/// The summary table.
#[derive(Debug, Clone, Deserialize)]
pub struct SummaryForm {
    /// The title; `{year}` and `{region}` are replaced.
    pub title: String,
    /// Column widths in character units.
    pub columns: Vec<f32>,
    /// The header row.
    pub header: Vec<CellSpec>,
    /// One row per project.
    pub row: Vec<CellSpec>,
    /// The 合计 row.
    pub total: Vec<CellSpec>,
    /// The 备注 column, added on the right only when a row has a remark (the county
    /// document notes there the other files a project was found in).
    #[serde(default)]
    pub remark: RemarkSpec,
}

/// The 备注 column of the summary table.
#[derive(Debug, Clone, Deserialize)]
pub struct RemarkSpec {
    /// The header label.
    pub label: String,
    /// The column width in character units.
    pub width: f32,
}

impl Default for RemarkSpec {
    fn default() -> Self {
        RemarkSpec {
            label: "备注".into(),
            width: 30.0,
        }
    }
}

const PROJECT_FIELDS: &[&str] = &[
    "budget_unit",
    "project_name",
    "funds.total",
    "funds.fiscal",
    "funds.other",
    "goal",
    "year",
];
const INDICATOR_FIELDS: &[&str] = &["level1", "level2", "level3", "value"];
const SUMMARY_FIELDS: &[&str] = &["seq", "department", "project_name", "funds_total"];
const TOTAL_FIELDS: &[&str] = &["total"];

impl Template {
    /// The template compiled into the program.
    pub fn standard() -> &'static Template {
        static T: OnceLock<Template> = OnceLock::new();
        T.get_or_init(|| Template::from_toml(STANDARD_TOML).expect("templates/form.toml is valid"))
    }

    /// The 自评表 layout: the template's own, or the built-in one.
    pub fn ziping_form(&self) -> &ziping::ZipingForm {
        self.ziping
            .as_ref()
            .unwrap_or_else(|| ziping::ZipingForm::standard())
    }

    /// This template with the 自评表 layout `form` (a template folder's `ziping.toml`).
    pub fn with_ziping(mut self, form: ziping::ZipingForm) -> Template {
        self.ziping = Some(form);
        self
    }

    /// Reads `DIR/form.toml`.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Io`] when the file cannot be read, else as [`Template::from_toml`].
    pub fn from_dir(dir: &Path) -> Result<Template, TemplateError> {
        let path = dir.join("form.toml");
        let text = std::fs::read_to_string(&path).map_err(|source| TemplateError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Template::from_toml(&text)
    }

    /// Reads a template from TOML text and checks it.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Toml`] for malformed TOML, [`TemplateError::Invalid`] for an
    /// inconsistent layout (a row wider than the table, an unknown field).
    pub fn from_toml(text: &str) -> Result<Template, TemplateError> {
        let t: Template = toml::from_str(text)?;
        t.check_sizes()?;
        let check = |what: &str,
                     width: usize,
                     cells: &[CellSpec],
                     fields: &[&str]|
         -> Result<(), TemplateError> {
            let used: usize = cells.iter().map(|c| c.span).sum();
            if used > width {
                return Err(TemplateError::Invalid(format!(
                    "{what} 占 {used} 列，超过表格的 {width} 列"
                )));
            }
            for c in cells {
                match (&c.label, &c.field) {
                    (Some(_), None) => {}
                    (None, Some(f)) if fields.contains(&f.as_str()) => {}
                    (None, Some(f)) => {
                        return Err(TemplateError::Invalid(format!(
                            "{what} 中的字段 “{f}” 不存在"
                        )));
                    }
                    _ => {
                        return Err(TemplateError::Invalid(format!(
                            "{what} 的单元格须有 label 或 field 之一"
                        )));
                    }
                }
                if c.span == 0 {
                    return Err(TemplateError::Invalid(format!(
                        "{what} 的单元格 span 不能为 0"
                    )));
                }
            }
            Ok(())
        };
        let pw = t.project.columns.len();
        for (i, row) in t.project.rows.iter().enumerate() {
            check(
                &format!("project.rows[{i}]"),
                pw,
                &row.cells,
                PROJECT_FIELDS,
            )?;
        }
        check(
            "project.indicators.header",
            pw,
            &t.project.indicators.header,
            &[],
        )?;
        check(
            "project.indicators.row",
            pw,
            &t.project.indicators.row,
            INDICATOR_FIELDS,
        )?;
        let sw = t.summary.columns.len();
        check("summary.header", sw, &t.summary.header, &[])?;
        check("summary.row", sw, &t.summary.row, SUMMARY_FIELDS)?;
        check("summary.total", sw, &t.summary.total, TOTAL_FIELDS)?;
        Ok(t)
    }

    /// Checks that margins, font sizes, line spacing and column widths are finite and in
    /// the ranges a printed form can have (see [`SIZE_LIMITS`]), naming the key that is not.
    /// [`Template::from_toml`] runs it; writers run it again on templates built in code.
    ///
    /// # Errors
    ///
    /// [`TemplateError::Invalid`] naming the first key out of range, its value and the range.
    pub fn check_sizes(&self) -> Result<(), TemplateError> {
        let p = &self.page;
        let f = &self.font;
        let values = [
            ("page.margin_top_mm", p.margin_top_mm),
            ("page.margin_bottom_mm", p.margin_bottom_mm),
            ("page.margin_left_mm", p.margin_left_mm),
            ("page.margin_right_mm", p.margin_right_mm),
            ("font.title_size", f.title_size),
            ("font.subtitle_size", f.subtitle_size),
            ("font.body_size", f.body_size),
            ("font.line_spacing", f.line_spacing),
        ];
        for (key, value) in values {
            let (_, min, max, unit) = SIZE_LIMITS
                .iter()
                .find(|(k, ..)| *k == key)
                .expect("every checked key has limits");
            if !(value.is_finite() && (*min..=*max).contains(&value)) {
                return Err(TemplateError::Invalid(format!(
                    "{key} = {value} 超出允许范围 {min}–{max}{unit}"
                )));
            }
        }
        for (key, columns) in [
            ("project.columns", &self.project.columns),
            ("summary.columns", &self.summary.columns),
        ] {
            if columns.is_empty() {
                return Err(TemplateError::Invalid(format!("{key} 不能为空")));
            }
            if columns.len() > MAX_COLUMNS {
                return Err(TemplateError::Invalid(format!(
                    "{key} 有 {} 列，最多 {MAX_COLUMNS} 列",
                    columns.len()
                )));
            }
            if let Some((i, w)) = columns
                .iter()
                .enumerate()
                .find(|(_, w)| !(w.is_finite() && (1.0..=MAX_COLUMN_WIDTH).contains(*w)))
            {
                return Err(TemplateError::Invalid(format!(
                    "{key}[{i}] = {w} 超出允许范围 1–{MAX_COLUMN_WIDTH}（字符单位）"
                )));
            }
        }
        Ok(())
    }
}

/// The ranges a template's sizes must lie in: key, least, greatest, unit. A margin of at
/// most 60 mm on each side leaves an A4 page at least 90 × 177 mm of table; the largest
/// title and body sizes with the largest line spacing still fit several lines on it.
pub const SIZE_LIMITS: &[(&str, f32, f32, &str)] = &[
    ("page.margin_top_mm", 0.0, 60.0, " 毫米"),
    ("page.margin_bottom_mm", 0.0, 60.0, " 毫米"),
    ("page.margin_left_mm", 0.0, 60.0, " 毫米"),
    ("page.margin_right_mm", 0.0, 60.0, " 毫米"),
    ("font.title_size", 6.0, 36.0, " 磅"),
    ("font.subtitle_size", 6.0, 28.0, " 磅"),
    ("font.body_size", 6.0, 24.0, " 磅"),
    ("font.line_spacing", 1.0, 3.0, " 倍"),
];

/// The most columns a table of the template may have.
pub const MAX_COLUMNS: usize = 40;
/// The widest a column may be, in character units.
pub const MAX_COLUMN_WIDTH: f32 = 400.0;
