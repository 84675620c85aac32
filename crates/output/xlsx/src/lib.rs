//! The standard form as a print-ready XLSX workbook.
//!
//! [`write()`] draws the tables that `jixiao-layout` lays out from the template — the summary
//! table (汇总表) first when there is one, then one sheet per project (项目支出绩效目标表) —
//! with merged cells, borders, the template's font, column widths and margins, row heights
//! computed from the wrapped text, A4 fit to one page wide, the column header repeated on every
//! printed page and a page-number footer. The same document always gives the same bytes.
//!
//! Amounts are numeric cells whose number format shows the source's digits (`91.59`, `0.00`,
//! `707.4`); everything else is text exactly as written, never a formula.
//!
//! Nothing the writer changes or leaves out goes unreported. Its diagnostics (in
//! [`Warned::diagnostics`]): L401/L402 data the standard form has no place for (中期 data, a
//! separate 实施单位; kept in JSON), X401 sheet name shortened to 31 characters, X402 characters Excel forbids in sheet names
//! replaced, X403 sheet name made unique, X404 sheet named for a project without a name,
//! X405 paper size not recognized (A4 used), X406 footer longer than Excel allows (shortened),
//! X407 a row needs more than Excel's largest row height, X408 a cell's text longer than
//! Excel's 32,767 characters (written shortened; the JSON output keeps it whole).
//!
//! ```
//! use jixiao_layout::Template;
//! use jixiao_model::{Document, Project};
//! let doc = Document {
//!     projects: vec![Project { project_name: "城市低保".into(), year: Some(2022), ..Project::default() }],
//!     ..Document::default()
//! };
//! let written = jixiao_xlsx::write(&doc, Template::standard()).unwrap();
//! assert!(written.output.starts_with(b"PK"));
//! assert!(written.diagnostics.is_empty());
//! ```

mod measure;
mod names;

use jixiao_layout::ziping::{self, Fill};
use jixiao_layout::{Align, Cell, Content, Role, RowKind, Table, Template};
use jixiao_model::{Code, Decimal, Diagnostic, Document, Location};
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, ProtectionOptions,
    Workbook, Worksheet,
};

pub use names::{SUMMARY_SHEET, sheet_names};

pub use jixiao_model::Warned;

/// Why no workbook could be written.
#[derive(Debug, thiserror::Error)]
pub enum XlsxError {
    /// The document holds no table.
    #[error("文档中没有可写出的表格")]
    Empty,
    /// The XLSX library refused something.
    #[error("写出 XLSX 失败：{0}")]
    Writer(#[from] rust_xlsxwriter::XlsxError),
}

impl XlsxError {
    /// The file system's error under the writer's, when that is what failed ([`write_to`]
    /// into a file on a full disk): a failed write, not a workbook that could not be made.
    pub fn io(&self) -> Option<&std::io::Error> {
        match self {
            XlsxError::Writer(rust_xlsxwriter::XlsxError::IoError(e)) => Some(e),
            XlsxError::Writer(e) => std::error::Error::source(e).and_then(|s| s.downcast_ref()),
            XlsxError::Empty => None,
        }
    }
}

/// Excel's largest row height, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;
/// Excel's longest header or footer, in UTF-16 units.
const MAX_FOOTER: usize = 255;

/// Writes the document as the standard-format workbook and returns its bytes.
///
/// The summary sheet [`SUMMARY_SHEET`] comes first when the layout gives a summary table
/// (the document has a summary, or more than one project); then one sheet per project, named
/// after the project (see [`sheet_names`]).
///
/// # Errors
///
/// [`XlsxError::Empty`] when the document has neither a summary nor a project;
/// [`XlsxError::Writer`] when the XLSX library fails, which well-formed input does not cause.
///
/// # Examples
///
/// ```
/// use jixiao_layout::Template;
/// use jixiao_model::{Document, Project};
/// let doc = Document { projects: vec![Project::default(), Project::default()], ..Document::default() };
/// let written = jixiao_xlsx::write(&doc, Template::standard()).unwrap();
/// // Two unnamed projects: sheets 汇总表, 项目1, 项目2, each name change reported.
/// assert_eq!(written.diagnostics.iter().filter(|d| d.code == "X404").count(), 2);
/// ```
pub fn write(doc: &Document, template: &Template) -> Result<Warned<Vec<u8>>, XlsxError> {
    write_with(doc, template, Fill::Read)
}

/// Writes the document as [`write()`] does, straight into `out` instead of into bytes
/// returned: the same bytes, but the workbook's zip is never held whole in memory beside the
/// worksheets (about 25 MB for 5,000 projects). `out` need not be seekable.
///
/// # Errors
///
/// As [`write()`]; an error of `out` is an [`XlsxError::Writer`].
///
/// ```
/// use jixiao_layout::Template;
/// use jixiao_model::{Document, Project};
/// let doc = Document { projects: vec![Project::default()], ..Document::default() };
/// let mut out = Vec::new();
/// let written = jixiao_xlsx::write_to(&doc, Template::standard(), &mut out).unwrap();
/// let in_memory = jixiao_xlsx::write(&doc, Template::standard()).unwrap();
/// assert_eq!(out, in_memory.output);
/// assert_eq!(written.diagnostics, in_memory.diagnostics);
/// ```
pub fn write_to(
    doc: &Document,
    template: &Template,
    out: impl std::io::Write + Send,
) -> Result<Warned<()>, XlsxError> {
    let (mut workbook, warnings) = workbook(doc, template, Fill::Read)?;
    workbook.save_to_writer(out)?;
    Ok(Warned {
        output: (),
        diagnostics: warnings,
    })
}

/// Writes each project of `doc` as the standard 绩效自评表 pre-filled from its targets, for a
/// department to complete: project, units, 年初预算数, 预期目标 and every indicator with its
/// 年度指标值 written and locked; 全年预算数, 全年执行数, 执行率, 实际完成情况, each
/// indicator's 实际完成值, 分值, 得分 and 偏差原因, the 总分 and 自评等级 blank and unlocked;
/// every sheet protected (no password), so that only the blanks can be filled. Reading the
/// filled workbook back gives the targets and the 自评.
///
/// # Errors
///
/// As [`write()`].
///
/// ```
/// use jixiao_layout::Template;
/// use jixiao_model::{Document, Project};
/// let doc = Document { projects: vec![Project { project_name: "城市低保".into(), ..Project::default() }],
///                      ..Document::default() };
/// let written = jixiao_xlsx::write_ziping(&doc, Template::standard()).unwrap();
/// assert!(written.output.starts_with(b"PK"));
/// ```
pub fn write_ziping(doc: &Document, template: &Template) -> Result<Warned<Vec<u8>>, XlsxError> {
    write_with(doc, template, Fill::Blank)
}

fn write_with(
    doc: &Document,
    template: &Template,
    fill: Fill,
) -> Result<Warned<Vec<u8>>, XlsxError> {
    let (mut workbook, warnings) = workbook(doc, template, fill)?;
    let bytes = workbook.save_to_buffer()?;
    Ok(Warned {
        output: bytes,
        diagnostics: warnings,
    })
}

/// The workbook of `doc`, drawn and not yet saved, and what its writing warns of.
fn workbook(
    doc: &Document,
    template: &Template,
    fill: Fill,
) -> Result<(Workbook, Vec<Diagnostic>), XlsxError> {
    let summary = jixiao_layout::summary(doc, template).filter(|_| fill == Fill::Read);
    if summary.is_none() && doc.projects.is_empty() {
        return Err(XlsxError::Empty);
    }
    // What the standard form has no place for (L401/L402), then what this writer changes.
    let mut warnings = jixiao_layout::omitted(doc);
    if fill == Fill::Blank {
        // The 目标表's omissions do not concern the 自评表 (it has a place for the 实施单位).
        warnings.retain(|d| d.code != Code::L402);
    }
    let names = sheet_names(doc, summary.is_some());
    warnings.extend(names.diagnostics);

    let style = Style::new(template);
    let page = PageSetup::new(template, &mut warnings);

    let mut workbook = Workbook::new();
    // Deflate level 1 rather than 6: on 200 submissions (batch to XLSX, 2 cores) it took 0.07
    // of 0.77 CPU seconds off the whole run for workbooks a quarter larger (13 KB, not 10 KB).
    workbook.set_zip_compression_level(1);
    let (row_px, col_px) = style.default_metrics();
    workbook.set_default_format(&style.base(), row_px, col_px)?;
    let title = summary
        .as_ref()
        .map(|t| t.title.clone())
        .or_else(|| doc.projects.first().map(|p| p.project_name.clone()))
        .unwrap_or_default();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&ExcelDateTime::from_ymd(2000, 1, 1)?),
    );

    if let Some(table) = &summary {
        let sheet = workbook.add_worksheet();
        sheet.set_name(SUMMARY_SHEET)?;
        draw(
            sheet,
            table,
            &style,
            &page,
            &doc_location(doc),
            &mut warnings,
        )?;
    }
    for (project, name) in doc.projects.iter().zip(&names.output) {
        let table = match fill {
            Fill::Read => jixiao_layout::form(project, template),
            Fill::Blank => ziping::self_evaluation(project, template.ziping_form(), fill),
        };
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        draw(
            sheet,
            &table,
            &style,
            &page,
            &project.location,
            &mut warnings,
        )?;
    }
    Ok((workbook, warnings))
}

fn doc_location(doc: &Document) -> Location {
    doc.summary
        .as_ref()
        .map(|s| s.location.clone())
        .unwrap_or_default()
}

/// Fonts and sizes from the template, turned into cell formats.
struct Style {
    font: String,
    title_size: f64,
    subtitle_size: f64,
    body_size: f64,
    line_spacing: f64,
}

impl Style {
    fn new(t: &Template) -> Style {
        Style {
            font: t.font.name.clone(),
            title_size: f64::from(t.font.title_size),
            subtitle_size: f64::from(t.font.subtitle_size),
            body_size: f64::from(t.font.body_size),
            line_spacing: f64::from(t.font.line_spacing),
        }
    }

    /// The workbook's default format: the form's font at the body size.
    fn base(&self) -> Format {
        Format::new()
            .set_font_name(&self.font)
            .set_font_size(self.body_size)
            .set_align(FormatAlign::VerticalCenter)
    }

    /// Default row height and column width in pixels for the body size, as Excel shows
    /// them for a 宋体-like font (half-width digits, half an em wide); rust_xlsxwriter
    /// accepts only the column widths listed.
    fn default_metrics(&self) -> (u32, u32) {
        let col = match measure::digit_px(self.body_size) {
            ..=6 => 56,
            7 => 64,
            8 => 72,
            9 => 80,
            10 | 11 => 96,
            12 => 104,
            _ => 120,
        };
        let row = (self.body_size * 4.0 / 3.0 * 1.3).round() as u32;
        (row, col)
    }

    fn title(&self, size: f64, bold: bool) -> Format {
        let f = Format::new()
            .set_font_name(&self.font)
            .set_font_size(size)
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter)
            .set_text_wrap();
        if bold { f.set_bold() } else { f }
    }

    fn cell(&self, cell: Option<&Cell>, kind: RowKind) -> Format {
        let mut f = self
            .base()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(match cell.map(|c| c.align) {
                Some(Align::Left) => FormatAlign::Left,
                _ => FormatAlign::Center,
            });
        if matches!(kind, RowKind::Header | RowKind::Total)
            && cell.is_some_and(|c| c.role == Role::Label)
        {
            f = f.set_bold();
        }
        if let Some(Content::Number(n) | Content::Sum { value: n, .. }) = cell.map(|c| &c.content) {
            f = f.set_num_format(number_format(*n));
        }
        if cell.is_some_and(|c| c.role == Role::Input) {
            // A blank the department fills in: open on the protected sheet, text as typed.
            f = f.set_unlocked();
        }
        f
    }
}

/// The number format that shows a number with its source's digits: `0`, `0.0`, `0.00` …
pub fn number_format(n: Decimal) -> String {
    match n.scale() {
        0 => "0".to_string(),
        s => format!("0.{}", "0".repeat(s as usize)),
    }
}

/// Paper, margins and footer from the template.
struct PageSetup {
    paper: u8,
    landscape: bool,
    margins_in: [f64; 4],
    footer: String,
}

impl PageSetup {
    fn new(t: &Template, warnings: &mut Vec<Diagnostic>) -> PageSetup {
        let p = &t.page;
        let paper = match p.paper.trim().to_ascii_uppercase().as_str() {
            "A4" => 9,
            "A3" => 8,
            "A5" => 11,
            "B5" => 13,
            "LETTER" => 1,
            "LEGAL" => 5,
            other => {
                warnings.push(Diagnostic::new(
                    Code::X405,
                    format!("模板中的纸张“{other}”无法识别，已按 A4 设置"),
                    Location::default(),
                ));
                9
            }
        };
        let landscape = p.orientation.trim().eq_ignore_ascii_case("landscape");
        let inch = |mm: f32| f64::from(mm) / 25.4;
        // `&` starts a code in Excel headers and footers: a literal one is `&&`.
        let mut footer = format!(
            "&C{}",
            p.footer
                .replace('&', "&&")
                .replace("{pages}", "&N")
                .replace("{page}", "&P")
        );
        if footer.encode_utf16().count() > MAX_FOOTER {
            warnings.push(Diagnostic::new(
                Code::X406,
                format!("模板中的页脚超过 Excel 的 {MAX_FOOTER} 个字符，已截短"),
                Location::default(),
            ));
            footer = names::truncate_utf16(&footer, MAX_FOOTER);
        }
        PageSetup {
            paper,
            landscape,
            margins_in: [
                inch(p.margin_left_mm),
                inch(p.margin_right_mm),
                inch(p.margin_top_mm),
                inch(p.margin_bottom_mm),
            ],
            footer,
        }
    }

    fn apply(&self, sheet: &mut Worksheet) {
        let [left, right, top, bottom] = self.margins_in;
        sheet.set_paper_size(self.paper);
        if self.landscape {
            sheet.set_landscape();
        } else {
            sheet.set_portrait();
        }
        sheet.set_margins(left, right, top, bottom, top / 2.0, bottom / 2.0);
        sheet.set_print_fit_to_pages(1, 0);
        sheet.set_print_center_horizontally(true);
        sheet.set_footer(&self.footer);
    }
}

/// Excel's longest cell text, in UTF-16 units.
const MAX_CELL_TEXT: usize = 32_767;

/// The text as Excel can hold it: cut to [`MAX_CELL_TEXT`] UTF-16 units (ending in `…`) when
/// longer, with an X408 warning naming the output cell, where the text came from and its
/// original length.
fn fit_cell<'a>(
    text: &'a str,
    row: u32,
    col: u16,
    source: &Location,
    warnings: &mut Vec<Diagnostic>,
) -> std::borrow::Cow<'a, str> {
    if text.len() <= MAX_CELL_TEXT || text.encode_utf16().count() <= MAX_CELL_TEXT {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if units + c.len_utf16() > MAX_CELL_TEXT - 1 {
            break;
        }
        units += c.len_utf16();
        end = i + c.len_utf8();
    }
    warnings.push(Diagnostic::new(
        Code::X408,
        format!(
            "单元格 {} 的文字有 {} 个字符，超过 Excel 单元格上限 {MAX_CELL_TEXT}，已截短写入（末尾以“…”标出；JSON 输出保留全文）",
            rust_xlsxwriter::utility::row_col_to_cell(row, col),
            text.chars().count()
        ),
        source.clone(),
    ));
    std::borrow::Cow::Owned(format!("{}…", &text[..end]))
}

/// Draws a laid-out table: title lines, then the rows, each cell bordered and wrapped.
fn draw(
    sheet: &mut Worksheet,
    table: &Table,
    style: &Style,
    page: &PageSetup,
    location: &Location,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(), XlsxError> {
    let ncols = table.columns.len().max(1);
    let last_col = (ncols - 1) as u16;
    let col_px: Vec<f64> = table
        .columns
        .iter()
        .map(|w| measure::column_px(f64::from(*w), style.body_size))
        .collect();
    for (c, w) in table.columns.iter().enumerate() {
        sheet.set_column_width(c as u16, f64::from(*w))?;
    }
    let full_px: f64 = col_px.iter().sum();

    let mut top: u32 = 0;
    let mut titles = vec![(table.title.as_str(), style.title_size, true)];
    if let Some(sub) = &table.subtitle {
        titles.push((sub.as_str(), style.subtitle_size, false));
    }
    for (text, size, bold) in titles {
        let format = style.title(size, bold);
        let text = fit_cell(text, top, 0, location, warnings);
        let text = text.as_ref();
        if last_col > 0 {
            sheet.merge_range(top, 0, top, last_col, text, &format)?;
        } else {
            sheet.write_string_with_format(top, 0, text, &format)?;
        }
        let lines = measure::lines(text, full_px, size);
        sheet.set_row_height(top, lines as f64 * size * style.line_spacing + 8.0)?;
        top += 1;
    }

    let nrows = table.rows.len();
    let mut covered = vec![vec![false; ncols]; nrows];
    let mut heights = vec![measure::row_height(1, style.body_size, style.line_spacing); nrows];
    let mut spanning = Vec::new();
    for (r, row) in table.rows.iter().enumerate() {
        for cell in &row.cells {
            let (r1, c1) = (top + r as u32, cell.col as u16);
            let r2 = r1 + cell.row_span.max(1) as u32 - 1;
            let c2 = c1 + cell.col_span.max(1) as u16 - 1;
            for cov in covered.iter_mut().skip(r).take(cell.row_span.max(1)) {
                for slot in cov.iter_mut().skip(cell.col).take(cell.col_span.max(1)) {
                    *slot = true;
                }
            }
            let format = style.cell(Some(cell), row.kind);
            if r1 != r2 || c1 != c2 {
                sheet.merge_range(r1, c1, r2, c2, "", &format)?;
            }
            let width: f64 = col_px
                .iter()
                .skip(cell.col)
                .take(cell.col_span.max(1))
                .sum();
            let mut shown = None;
            match &cell.content {
                Content::Text(t) if cell.role == Role::Label => {
                    let t = measure::wrap_label(t, width, style.body_size);
                    sheet.write_string_with_format(r1, c1, t.as_ref(), &format)?;
                    shown = Some(t.into_owned());
                }
                Content::Text(t) => {
                    let source = if row.source.is_empty() {
                        location
                    } else {
                        &row.source
                    };
                    let t = fit_cell(t, r1, c1, source, warnings);
                    sheet.write_string_with_format(r1, c1, t.as_ref(), &format)?;
                }
                Content::Number(n) => {
                    sheet.write_number_with_format(r1, c1, to_f64(*n), &format)?;
                }
                Content::Sum { value, rows } => {
                    let range = rust_xlsxwriter::utility::cell_range(
                        top + rows.0 as u32,
                        c1,
                        top + rows.1 as u32,
                        c1,
                    );
                    let formula =
                        Formula::new(format!("=SUM({range})")).set_result(value.to_string());
                    sheet.write_formula_with_format(r1, c1, formula, &format)?;
                }
                Content::Empty => {
                    if r1 == r2 && c1 == c2 {
                        sheet.write_blank(r1, c1, &format)?;
                    }
                }
            }
            let text = shown.unwrap_or_else(|| cell.content.text());
            let lines = measure::lines(&text, width, style.body_size);
            let need = measure::row_height(lines, style.body_size, style.line_spacing);
            if cell.row_span <= 1 {
                heights[r] = heights[r].max(need);
            } else {
                spanning.push((r, cell.row_span.min(nrows - r), need));
            }
        }
        // Slots no cell covers still get the border, so the form has no holes.
        for (c, &done) in covered[r].iter().enumerate() {
            if !done {
                let format = style.cell(None, row.kind);
                sheet.write_blank(top + r as u32, c as u16, &format)?;
            }
        }
    }
    // A vertically merged cell spreads what it lacks evenly over the rows it spans.
    for (r, span, need) in spanning {
        let have: f64 = heights[r..r + span].iter().sum();
        if have < need {
            let extra = (need - have) / span as f64;
            for h in &mut heights[r..r + span] {
                *h += extra;
            }
        }
    }
    for (r, h) in heights.iter().enumerate() {
        if *h > MAX_ROW_HEIGHT {
            warnings.push(Diagnostic::new(
                Code::X407,
                format!(
                    "第 {} 行文字太多，超过 Excel 的最大行高 {MAX_ROW_HEIGHT} 磅，打印时可能显示不全",
                    top as usize + r + 1
                ),
                location.clone(),
            ));
        }
        sheet.set_row_height(top + r as u32, h.min(MAX_ROW_HEIGHT))?;
    }

    page.apply(sheet);
    if let Some(h) = table.header_row {
        let row = top + h as u32;
        sheet.set_repeat_rows(row, row)?;
    }
    sheet.set_screen_gridlines(false);
    if table
        .rows
        .iter()
        .any(|r| r.cells.iter().any(|c| c.role == Role::Input))
    {
        // Only the blanks can be edited; rows may still be made taller for long text.
        let options = ProtectionOptions {
            format_rows: true,
            format_columns: true,
            ..ProtectionOptions::new()
        };
        sheet.protect_with_options(&options);
    }
    Ok(())
}

/// The nearest double to the decimal, as Excel stores it (never via float arithmetic).
fn to_f64(n: Decimal) -> f64 {
    n.to_string().parse().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn number_formats_follow_the_source_digits() {
        let f = |s: &str| number_format(Decimal::from_str(s).unwrap());
        assert_eq!(f("91.59"), "0.00");
        assert_eq!(f("0.00"), "0.00");
        assert_eq!(f("707.4"), "0.0");
        assert_eq!(f("0"), "0");
        assert_eq!(f("12212"), "0");
        assert_eq!(f("3.905"), "0.000");
    }

    #[test]
    fn decimals_become_the_nearest_double() {
        assert_eq!(to_f64(Decimal::from_str("91.59").unwrap()), 91.59);
        assert_eq!(to_f64(Decimal::from_str("0.00").unwrap()), 0.0);
    }
}
