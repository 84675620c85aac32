//! PDF documents read into a [`Grid`], the same shape the Word and HTML readers give.
//!
//! Governments publish these tables mostly as PDF attachments. A PDF has no cells, only glyphs
//! at positions and lines drawn on the page; this reader rebuilds the form from them:
//!
//! - **ruled tables**: the borders (stroked lines, and the thin filled rectangles jixiao's own
//!   writer and some others draw instead) give the rows, the columns and the merged cells — a
//!   merged cell is one cell with its row and column spans and
//!   [`Cell::covered`](jixiao_grid::Cell::covered) slots, as in the other readers; each glyph
//!   goes to the cell holding its centre (see `layout`);
//! - **text outside tables** (titles, `（2022年）`, `预算单位：…`) gives one-cell
//!   [`RowKind::Text`](jixiao_grid::RowKind::Text) rows, one per line;
//! - **a table continued on the next page** (same column positions) is one table: a header row
//!   repeated at the top of the new page is dropped, and a blank first-row cell under a cell
//!   merged down to the bottom of the previous page continues that merge (I354); lines above
//!   the continuation that only repeat those merged labels, each over its own columns (Calc
//!   prints a cut merge's label again above the next page's rulings), belong to it and are left
//!   out (I354). Page-number lines (`第1页共6页`, `- 2 -`) are left out and counted (I356);
//! - **tagged PDFs**: glyphs outside ruled tables whose marked content a `TD`/`TH` of the
//!   structure tree owns go to that cell, with the `RowSpan`/`ColSpan` the tree gives (I359) —
//!   a table drawn without any lines reads exactly (see `tags`);
//! - **struck-through text** (a document printed with its tracked deletions showing) is left
//!   out and named (I360);
//! - **CJK text**: Kangxi radicals read as the ideographs they look like (I353), a glyph drawn
//!   twice at nearly the same place (fake bold) counts once (I351); a non-embedded CID font
//!   without `ToUnicode` is read through its character collection's UCS2 CMap (Adobe-GB1 →
//!   Unicode, which hayro applies); a glyph whose font still gives no Unicode is read as U+FFFD
//!   and reported with its page and count (I352) — never guessed;
//! - **a page without a text layer** (a scan) is reported (I350); a document none of whose pages
//!   has text is refused with [`PdfError::NoText`], which tells the clerk to OCR it first.
//!
//! Positions are [`Pos::PdfCell`](jixiao_grid::Pos::PdfCell) (`第3页 表1 第5行第2列`: the
//! page, the table's number in the document, its row on that page, the column) and
//! [`Pos::PdfLine`](jixiao_grid::Pos::PdfLine) (`第3页 表外第2行`).
//!
//! Hostile input never panics, hangs or takes memory out of proportion: the limits of
//! [`Limits`] are checked before the interpreter allocates, and a page the interpreter cannot
//! get through is reported as damaged. Untagged tables without borders are read from the
//! alignment of their lines (I358): three or more consecutive lines of two or more fragments,
//! split where the fragments line up.

mod interp;
mod layout;
mod pages;
mod radicals;
mod tags;
#[cfg(test)]
mod tests;

use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::Grid;
use layout::Block;
use pages::Builder;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Limits on what a PDF may make the reader do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most pages a document may have.
    pub max_pages: usize,
    /// The most bytes one Flate stream may inflate to.
    pub max_stream_bytes: u64,
    /// The most bytes all Flate streams together may inflate to.
    pub max_total_bytes: u64,
    /// The most drawing operators one page may run (forms it draws included) and the most glyphs
    /// and path elements it may give.
    pub max_ops_per_page: usize,
}

impl Default for Limits {
    /// 500 pages, 64 MB per stream, 512 MB in all, 2 million operators per page: a county's
    /// whole year of tables is a few dozen pages of a few thousand operators.
    fn default() -> Self {
        Limits {
            max_pages: 500,
            max_stream_bytes: 64 << 20,
            max_total_bytes: 512 << 20,
            max_ops_per_page: 2_000_000,
        }
    }
}

/// Why a PDF could not be read at all. Messages are in Chinese for the clerk and do not name
/// the file: the caller does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    /// Named `.pdf` but not a PDF at all.
    #[error(
        "文件名为 .pdf，但内容不是 PDF（开头没有“%PDF-”标记），可能已损坏或只是改了扩展名；请重新下载或从原系统重新导出 PDF 后再转换"
    )]
    NotPdf,
    /// Not a PDF the parser can open: damaged or cut short.
    #[error(
        "PDF 文件已损坏或不完整（文件可能被截断），无法读取；请重新下载或从原系统重新导出 PDF 后再转换"
    )]
    Corrupt,
    /// A page the interpreter could not get through.
    #[error(
        "PDF 第{0}页的内容已损坏，无法读取；请用 PDF 阅读器打开该文件，另存（或“打印”为 PDF）后再转换"
    )]
    DamagedPage(usize),
    /// The document needs a password to open.
    #[error(
        "PDF 文件设有打开密码，无法读取；请在 PDF 阅读器中输入密码打开后，另存（或“打印”）为不加密的 PDF 再转换"
    )]
    Encrypted,
    /// Encrypted with a method the parser does not know.
    #[error(
        "PDF 文件的加密方式无法识别，无法读取；请在 PDF 阅读器中打开后另存为不加密的 PDF 再转换"
    )]
    EncryptionUnsupported,
    /// Beyond the reader's limits.
    #[error("PDF 文件过大，无法读取：{0}；请只保留绩效目标表所在的页面后再转换")]
    TooLarge(String),
    /// No page has a text layer: a scan.
    #[error(
        "PDF 没有文字层（{0}是扫描或图片，没有可读取的文字），无法直接读取；请先用 OCR 工具把它识别为 Markdown、HTML 或 Excel（本程序可读取这些格式），核对后再转换"
    )]
    NoText(String),
}

/// A document read: its grid and what the reader left out, repaired or could not read.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The rows of the document: tables and lines of text, page after page.
    pub grid: Grid,
    /// Input notes (I35x), in the order found.
    pub diagnostics: Vec<Diagnostic>,
}

/// True when the bytes start like a PDF (`%PDF`, possibly after a few bytes of junk, which
/// readers accept).
///
/// ```
/// assert!(jixiao_pdf_input::is_pdf(b"%PDF-1.7\n"));
/// assert!(!jixiao_pdf_input::is_pdf(b"<html>"));
/// ```
pub fn is_pdf(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.windows(5).any(|w| w == b"%PDF-")
}

/// Reads a PDF with the default [`Limits`]. `file` is how the user named it; it goes into the
/// grid and every diagnostic.
///
/// # Errors
///
/// See [`PdfError`]: damaged, encrypted, too large, or without any text layer.
pub fn read(bytes: &[u8], file: Option<&str>) -> Result<Page, PdfError> {
    read_with(bytes, file, &Limits::default())
}

/// One page's blocks, kept until the next page is known (a table may continue on it).
struct PageBlocks {
    number: u32,
    blocks: Vec<Block>,
}

/// Reads a PDF within `limits`.
///
/// # Errors
///
/// See [`PdfError`].
pub fn read_with(bytes: &[u8], file: Option<&str>, limits: &Limits) -> Result<Page, PdfError> {
    let doc = catch_unwind(AssertUnwindSafe(|| interp::open(bytes, limits)))
        .map_err(|_| PdfError::Corrupt)??;
    let mut diagnostics = Vec::new();
    let at_page = |page: usize| Location {
        file: file.map(Into::into),
        cell: Some(format!("第{page}页")),
        ..Location::default()
    };
    let mut pages = Vec::new();
    let mut scanned = Vec::new();
    let tagged = catch_unwind(AssertUnwindSafe(|| doc.tagged_tables())).unwrap_or_default();
    let placed: Vec<_> = tagged.iter().map(tags::place).collect();
    for index in 0..doc.page_count() {
        let number = index + 1;
        let content = catch_unwind(AssertUnwindSafe(|| doc.page(index, limits)))
            .map_err(|_| PdfError::DamagedPage(number))??;
        let parts = doc
            .page_object(index)
            .map(|pg| tagged_parts(&tagged, &placed, pg))
            .unwrap_or_default();
        let laid = layout::layout(&content, &parts);
        if laid.glyphs == 0 && content.images > 0 {
            scanned.push(number);
        }
        if laid.too_many_rulings {
            diagnostics.push(Diagnostic::new(
                Code::I357,
                format!(
                    "第{number}页画有超过 {} 条线段（不像表格边框），未按表格读取，只读取了文字",
                    layout::MAX_RULINGS
                ),
                at_page(number),
            ));
        }
        if laid.fake_bold > 0 {
            diagnostics.push(Diagnostic::new(
                Code::I351,
                format!(
                    "第{number}页有 {} 个字是重复绘制的（仿粗体：同一字形错位再画一次），每个只读取一次",
                    laid.fake_bold
                ),
                at_page(number),
            ));
        }
        if laid.radicals > 0 {
            diagnostics.push(Diagnostic::new(
                Code::I353,
                format!(
                    "第{number}页有 {} 个字在 PDF 中编码为康熙部首或部首补充字符（如“⺠”），已按对应的汉字（如“民”）读取",
                    laid.radicals
                ),
                at_page(number),
            ));
        }
        if !laid.struck.is_empty() {
            let shown: Vec<String> = laid
                .struck
                .iter()
                .take(20)
                .map(|t| format!("“{t}”"))
                .collect();
            diagnostics.push(Diagnostic::new(
                Code::I360,
                format!(
                    "第{number}页有 {} 处文字画有删除线（打印出的修订删除或划掉的文字），未读取：{}{}；如其中有应保留的内容，请核对原件",
                    laid.struck.len(),
                    shown.join("、"),
                    if laid.struck.len() > 20 { " 等" } else { "" }
                ),
                at_page(number),
            ));
        }
        if !laid.unmapped.is_empty() {
            let mut codes: Vec<u32> = laid.unmapped.clone();
            codes.sort_unstable();
            codes.dedup();
            let shown: Vec<String> = codes.iter().take(8).map(|c| format!("{c:#06X}")).collect();
            diagnostics.push(Diagnostic::new(
                Code::I352,
                format!(
                    "第{number}页有 {} 个字形在 PDF 中没有对应的文字编码（字体缺少 ToUnicode 映射；字符代码 {}{}），无法得知是什么字，已读作“\u{FFFD}”；请对照原件补正这些字",
                    laid.unmapped.len(),
                    shown.join("、"),
                    if codes.len() > 8 { " 等" } else { "" }
                ),
                at_page(number),
            ));
        }
        pages.push(PageBlocks {
            number: number as u32,
            blocks: laid.blocks,
        });
    }
    let has_text = pages.iter().any(|p| !p.blocks.is_empty());
    if !has_text {
        let all: Vec<usize> = (1..=doc.page_count()).collect();
        return Err(PdfError::NoText(page_list(&all)));
    }
    if !scanned.is_empty() {
        diagnostics.push(Diagnostic::new(
            Code::I350,
            format!(
                "{}没有文字层（是扫描或图片），其内容未读取；如这些页上有绩效目标表，请先用 OCR 工具识别为 Markdown、HTML 或 Excel 后单独转换",
                page_list(&scanned)
            ),
            at_page(scanned[0]),
        ));
    }
    let mut builder = Builder::default();
    for page in pages {
        builder.page(page);
    }
    if builder.page_numbers > 0 {
        diagnostics.push(Diagnostic::new(
            Code::I356,
            format!(
                "PDF 页眉页脚中的 {} 行页码（如“第1页共6页”）不是表格内容，未读取",
                builder.page_numbers
            ),
            Location {
                file: file.map(Into::into),
                ..Location::default()
            },
        ));
    }
    for (page, table, dropped_header, merges, labels) in std::mem::take(&mut builder.continued) {
        let mut what = Vec::new();
        if labels > 0 {
            what.push(format!(
                "表格上方重复打印的 {labels} 行跨页合并单元格的标签不是新内容，未读取"
            ));
        }
        if dropped_header {
            what.push("重复的表头行已去掉".to_string());
        }
        if merges > 0 {
            what.push(format!("{merges} 个跨页的合并单元格已接续"));
        }
        diagnostics.push(Diagnostic::new(
            Code::I354,
            format!(
                "表{table}从第{}页延续到第{page}页（列位置相符），已作为一个表格读取{}{}",
                page - 1,
                if what.is_empty() { "" } else { "；" },
                what.join("，")
            ),
            at_page(page as usize),
        ));
    }
    for (page, table, cols, rows) in std::mem::take(&mut builder.unruled) {
        diagnostics.push(Diagnostic::new(
            Code::I358,
            format!(
                "第{page}页的 {rows} 行文字没有边框线，按各段文字的列对齐读作表{table}（{cols} 列）；请核对各单元格是否归入了正确的列"
            ),
            at_page(page as usize),
        ));
    }
    let had_tagged = !builder.tagged.is_empty();
    for (page, table) in std::mem::take(&mut builder.tagged) {
        diagnostics.push(Diagnostic::new(
            Code::I359,
            format!(
                "第{page}页的表{table}没有边框线，按 PDF 的标签结构（带标签的 PDF 中记录的表格行和单元格）读取"
            ),
            at_page(page as usize),
        ));
    }
    if builder.ruled == 0 && !had_tagged {
        diagnostics.push(Diagnostic::new(
            Code::I355,
            "PDF 中没有找到画有边框的表格，只按行读取了其中的文字；如表格没有边框线，请核对识别结果，或先转换为 Excel 再转换".to_string(),
            Location {
                file: file.map(Into::into),
                ..Location::default()
            },
        ));
    }
    let mut grid = Grid::new(file.map(str::to_string), None);
    grid.rows = builder.rows;
    Ok(Page { grid, diagnostics })
}

/// The parts of the tagged tables on the page whose object number is `pg`: the rows holding
/// marked content of that page, renumbered from 0, with their cells and the MCIDs they own.
fn tagged_parts(
    tables: &[tags::TaggedTable],
    placed: &[tags::Placed],
    pg: u32,
) -> Vec<layout::TaggedPart> {
    let mut parts = Vec::new();
    for (n, (table, (at, width))) in tables.iter().zip(placed).enumerate() {
        let on_page = |cell: &tags::TaggedCell| cell.content.iter().any(|(p, _)| *p == pg);
        let rows: Vec<usize> = (0..table.rows.len())
            .filter(|&r| table.rows[r].iter().any(on_page))
            .collect();
        let (Some(&first), Some(&last)) = (rows.first(), rows.last()) else {
            continue;
        };
        let mut cells = Vec::new();
        for (row_cells, row_at) in table.rows[first..=last].iter().zip(&at[first..=last]) {
            for (cell, &(row, col)) in row_cells.iter().zip(row_at) {
                let ids: Vec<i64> = cell
                    .content
                    .iter()
                    .filter(|(p, _)| *p == pg)
                    .map(|(_, id)| *id)
                    .collect();
                cells.push((row - first, col, cell.rows, cell.cols, ids));
            }
        }
        parts.push(layout::TaggedPart {
            table: n,
            width: *width,
            rows: last - first + 1,
            cells,
        });
    }
    parts
}

/// `第1页`, `第1–3页`, `第1、4、7页`.
fn page_list(pages: &[usize]) -> String {
    let contiguous = pages.windows(2).all(|w| w[1] == w[0] + 1);
    match pages {
        [] => String::new(),
        [one] => format!("第{one}页"),
        [first, .., last] if contiguous => format!("第{first}–{last}页"),
        _ => format!(
            "第{}页",
            pages
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join("、")
        ),
    }
}
