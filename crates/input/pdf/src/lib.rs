//! PDF documents read into a [`Grid`], the same shape the Word and HTML readers give.
//!
//! Governments publish these tables mostly as PDF attachments. A PDF has no cells, only glyphs
//! at positions and lines drawn on the page; this reader rebuilds the form from them:
//!
//! - **ruled tables**: the borders (stroked lines, and the thin filled rectangles jixiao's own
//!   writer and some others draw instead) give the rows, the columns and the merged cells — a
//!   merged cell is one cell with its row and column spans and [`Cell::covered`] slots, as in the
//!   other readers; each glyph goes to the cell holding its centre (see `layout`);
//! - **text outside tables** (titles, `（2022年）`, `预算单位：…`) gives one-cell
//!   [`RowKind::Text`] rows, one per line;
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
//! Positions are [`Pos::PdfCell`] (`第3页 表1 第5行第2列`: the page, the table's number in the
//! document, its row on that page, the column) and [`Pos::PdfLine`] (`第3页 表外第2行`).
//!
//! Hostile input never panics, hangs or takes memory out of proportion: the limits of
//! [`Limits`] are checked before the interpreter allocates, and a page the interpreter cannot
//! get through is reported as damaged. Untagged tables without borders are read from the
//! alignment of their lines (I358): three or more consecutive lines of two or more fragments,
//! split where the fragments line up.

mod interp;
mod layout;
mod radicals;
mod tags;

use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::{Cell, Covered, Grid, Pos, Row, RowKind};
use layout::{Block, Slot, Source};
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
        file: file.map(str::to_string),
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
                file: file.map(str::to_string),
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
                file: file.map(str::to_string),
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

/// True for a page-number line: `第1页共6页`, `第 1 页 / 共 6 页`, `- 2 -`, `2/6`, `2`.
fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || t.chars().count() > 16 || !t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    t.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                '第' | '页'
                    | '共'
                    | '/'
                    | '-'
                    | '—'
                    | '–'
                    | '／'
                    | 'P'
                    | 'p'
                    | 'a'
                    | 'g'
                    | 'e'
                    | '.'
            )
    })
}

/// The open table at the end of the grid: where it is and what a next page needs to continue it.
struct OpenTable {
    /// How it was found.
    source: Source,
    /// Its number in the document.
    number: u32,
    /// Its column boundaries.
    xs: Vec<f64>,
    /// Index in `rows` of its first row.
    first_row: usize,
    /// Per column: the grid row and column of the origin of a cell merged down to the bottom of
    /// the table (a merge the page break may have cut).
    bottom: Vec<Option<(usize, usize)>>,
}

#[derive(Default)]
struct Builder {
    rows: Vec<Row>,
    tables: u32,
    /// Ruled tables (or parts on a page) read.
    ruled: usize,
    /// (page, table, columns, rows) of each table read without borders, for I358.
    unruled: Vec<(u32, u32, usize, usize)>,
    /// (page, table) of each table (or part) read from the structure tree, for I359.
    tagged: Vec<(u32, u32)>,
    open: Option<OpenTable>,
    page_numbers: usize,
    /// (page, table, header dropped, merges continued, label lines left out) for I354.
    continued: Vec<(u32, u32, bool, usize, usize)>,
}

impl Builder {
    fn page(&mut self, page: PageBlocks) {
        let mut line_no = 0u32;
        // A table may continue from the previous page only when nothing but page numbers stands
        // between: the previous page ended with it and this page starts with it.
        let mut first_content = true;
        // Lines at the top of the page that only repeat the labels of cells merged down to the
        // bottom of the open table, each over its own column (a spreadsheet prints a merge cut
        // by the break again above the next page's rulings): held until the next block shows
        // whether the table continues — then they are part of it, not new content.
        let mut held: Vec<String> = Vec::new();
        for block in page.blocks {
            match block {
                Block::Line(line) => {
                    let text = line.text();
                    if is_page_number(&text) {
                        self.page_numbers += 1;
                        continue;
                    }
                    if first_content && self.repeats_open_labels(&line) {
                        held.push(text);
                        continue;
                    }
                    for text in std::mem::take(&mut held).into_iter().chain([text]) {
                        line_no += 1;
                        self.text_line(page.number, line_no, text);
                    }
                    first_content = false;
                    self.open = None;
                }
                Block::Table(table) => {
                    // A table continues the open one when every column boundary of it is
                    // one of the open table's (a writer draws no line where no cell of the
                    // page needs one) and both span the same width.
                    let mut table = table;
                    // A tagged table continues its own earlier part, wherever it stands.
                    let same_tag = matches!(table.source, Source::Tagged(_))
                        && self.open.as_ref().is_some_and(|o| o.source == table.source);
                    let continues = (first_content || same_tag)
                        && match self
                            .open
                            .as_ref()
                            .and_then(|o| column_map(&o.xs, &table.xs))
                        {
                            Some(map) => {
                                let old_xs =
                                    self.open.as_ref().map(|o| o.xs.clone()).unwrap_or_default();
                                table = widen(table, &map, old_xs);
                                true
                            }
                            None => false,
                        };
                    first_content = false;
                    if !continues {
                        for text in std::mem::take(&mut held) {
                            line_no += 1;
                            self.text_line(page.number, line_no, text);
                        }
                    }
                    self.table(page.number, table, continues, held.len());
                    held.clear();
                }
            }
        }
        // A page holding only such lines: they are text after all.
        for text in held {
            line_no += 1;
            self.text_line(page.number, line_no, text);
            self.open = None;
        }
    }

    /// A line outside the tables, as a one-cell text row.
    fn text_line(&mut self, page: u32, line: u32, text: String) {
        self.rows.push(Row::new(
            RowKind::Text,
            vec![Cell::new(text, Pos::PdfLine { page, line })],
        ));
    }

    /// True when every fragment of `line` is the label of a cell merged down to the bottom of
    /// the open table, standing within that cell's columns.
    fn repeats_open_labels(&self, line: &layout::Line) -> bool {
        let Some(open) = &self.open else {
            return false;
        };
        let squeeze = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
        !line.chunks.is_empty()
            && line.chunks.iter().all(|chunk| {
                let text = squeeze(&chunk.text);
                let mid = (chunk.x0 + chunk.x1) / 2.0;
                !text.is_empty()
                    && open.bottom.iter().flatten().any(|&(r, c)| {
                        let cell = &self.rows[r].cells[c];
                        let to = c + (cell.col_span as usize).max(1);
                        squeeze(&cell.text) == text
                            && open.xs.get(c).is_some_and(|&x| x <= mid)
                            && open.xs.get(to).is_some_and(|&x| mid <= x)
                    })
            })
    }

    /// Adds a table (or the part of one on a page); `labels` lines above it repeating the open
    /// table's merged labels were left out.
    fn table(&mut self, page: u32, table: layout::Table, continues: bool, labels: usize) {
        let number = if continues {
            self.open.as_ref().map_or(0, |o| o.number)
        } else {
            self.tables += 1;
            self.tables
        };
        match table.source {
            Source::Ruled => self.ruled += 1,
            Source::Aligned => {
                self.unruled
                    .push((page, number, table.xs.len() - 1, table.slots.len()));
            }
            Source::Tagged(_) => self.tagged.push((page, number)),
        }
        let cols = table.xs.len() - 1;
        let base = self.rows.len();
        let mut slots = table.slots;
        // A repeated header: the new page's first row reads like one of the table's rows
        // (in full, two cells or more with text).
        let mut dropped_header = false;
        if continues && let Some(open) = &self.open {
            let first: Vec<String> = row_texts(&slots, 0);
            let single_row = slots[0].iter().all(|s| match s {
                Slot::Origin { rows, .. } => *rows == 1,
                Slot::Covered { row, .. } => *row == 0,
            });
            if single_row && first.iter().filter(|t| !t.is_empty()).count() >= 2 {
                let repeated = self.rows[open.first_row..].iter().any(|r| {
                    r.cells.len() == first.len()
                        && r.cells.iter().zip(&first).all(|(c, t)| {
                            c.covered.is_none() && c.text.trim() == t
                                || c.covered.is_some() && t.is_empty()
                        })
                });
                if repeated && slots.len() > 1 {
                    slots.remove(0);
                    for slot in slots.iter_mut().flatten() {
                        if let Slot::Covered { row, .. } = slot {
                            *row = row.saturating_sub(1);
                        }
                    }
                    dropped_header = true;
                }
            }
        }
        let dropped = usize::from(dropped_header);
        let pos = |r: usize, c: usize| Pos::PdfCell {
            page,
            table: number,
            row: (r + 1 + dropped) as u32,
            col: (c + 1) as u32,
        };
        let mut grid_rows: Vec<Vec<Cell>> = Vec::with_capacity(slots.len());
        for (r, row) in slots.iter().enumerate() {
            let mut cells = Vec::with_capacity(cols);
            for (c, slot) in row.iter().enumerate() {
                cells.push(match slot {
                    Slot::Origin { text, rows, cols } => Cell {
                        text: text.clone(),
                        row_span: *rows as u32,
                        col_span: *cols as u32,
                        covered: None,
                        pos: pos(r, c),
                    },
                    Slot::Covered { row, col } => Cell::covered(
                        if *row == r {
                            Covered::Left
                        } else {
                            Covered::Above
                        },
                        pos(*row, *col),
                    ),
                });
            }
            grid_rows.push(cells);
        }
        // Merges cut by the page break: a cell of the new first row, as wide as a cell merged
        // down to the bottom of the previous page, continues it when it is blank or repeats its
        // text (writers either leave the rest of a cut merge blank or print the label again).
        let mut merges = 0;
        if continues
            && let Some(open) = &self.open
            && !grid_rows.is_empty()
        {
            let mut c = 0;
            while c < cols {
                let cell = grid_rows[0][c].clone();
                let span = cell.col_span as usize;
                if cell.covered.is_none()
                    && let Some(Some((orow, ocol))) = open.bottom.get(c)
                    && (cell.text.trim().is_empty()
                        || cell.text.trim() == self.rows[*orow].cells[*ocol].text.trim())
                    && self.rows[*orow].cells[*ocol].col_span as usize == span
                    && *ocol == c
                {
                    let origin_pos = self.rows[*orow].cells[*ocol].pos;
                    self.rows[*orow].cells[*ocol].row_span += cell.row_span;
                    for row in grid_rows.iter_mut().take(cell.row_span as usize) {
                        for slot in row.iter_mut().skip(c).take(span) {
                            *slot = Cell::covered(Covered::Above, origin_pos);
                        }
                    }
                    merges += 1;
                }
                c += span.max(1);
            }
        }
        if continues && (dropped_header || merges > 0 || labels > 0 || !grid_rows.is_empty()) {
            self.continued
                .push((page, number, dropped_header, merges, labels));
        }
        for cells in grid_rows {
            self.rows.push(Row::new(RowKind::Table, cells));
        }
        // What a next page needs: per column, the origin of a cell reaching the bottom row that
        // spans more than one row (a merge the break may cut).
        let last = self.rows.len().saturating_sub(1);
        let first_row = if continues {
            self.open.as_ref().map_or(base, |o| o.first_row)
        } else {
            base
        };
        let mut bottom = vec![None; cols];
        if last >= first_row && self.rows.len() > base {
            for (c, slot) in bottom.iter_mut().enumerate() {
                let origin = self.origin_of(last, c, first_row);
                if let Some((r, oc)) = origin
                    && self.rows[r].cells[oc].row_span > 1
                {
                    *slot = Some((r, oc));
                }
            }
        }
        self.open = Some(OpenTable {
            source: table.source,
            number,
            xs: table.xs,
            first_row,
            bottom,
        });
    }

    /// The grid row and column of the origin of the cell at (`row`, `col`), looking no higher
    /// than `first_row`.
    fn origin_of(&self, row: usize, col: usize, first_row: usize) -> Option<(usize, usize)> {
        let target = self.rows.get(row)?.cells.get(col)?;
        if target.covered.is_none() {
            return Some((row, col));
        }
        let pos = target.pos;
        (first_row..=row).rev().find_map(|r| {
            self.rows[r]
                .cells
                .iter()
                .position(|c| c.covered.is_none() && c.pos == pos)
                .map(|c| (r, c))
        })
    }
}

/// For each column boundary of `new`, the index of the same boundary (within 2 pt) in `old`;
/// `None` unless every boundary is found and the two tables have the same outer edges.
fn column_map(old: &[f64], new: &[f64]) -> Option<Vec<usize>> {
    let map: Vec<usize> = new
        .iter()
        .map(|x| old.iter().position(|o| (o - x).abs() <= 2.0))
        .collect::<Option<_>>()?;
    let increasing = map.windows(2).all(|w| w[0] < w[1]);
    (increasing && map.first() == Some(&0) && map.last() == Some(&(old.len() - 1))).then_some(map)
}

/// The table laid on the old table's columns: a slot of the new table covers the old columns
/// between its boundaries.
fn widen(table: layout::Table, map: &[usize], old_xs: Vec<f64>) -> layout::Table {
    let cols = old_xs.len() - 1;
    if cols == table.xs.len() - 1 {
        return layout::Table {
            xs: old_xs,
            ..table
        };
    }
    let rows = table.slots.len();
    let mut slots = vec![vec![Slot::Covered { row: 0, col: 0 }; cols]; rows];
    for (r, row) in table.slots.iter().enumerate() {
        for (c, slot) in row.iter().enumerate() {
            let (from, to) = (map[c], map[c + 1]);
            match slot {
                Slot::Origin {
                    text,
                    rows: rs,
                    cols: cs,
                } => {
                    slots[r][from] = Slot::Origin {
                        text: text.clone(),
                        rows: *rs,
                        cols: map[c + cs] - from,
                    };
                    for slot in &mut slots[r][from + 1..to] {
                        *slot = Slot::Covered { row: r, col: from };
                    }
                }
                Slot::Covered { row, col } => {
                    for slot in &mut slots[r][from..to] {
                        *slot = Slot::Covered {
                            row: *row,
                            col: map[*col],
                        };
                    }
                }
            }
        }
    }
    layout::Table {
        xs: old_xs,
        ys: table.ys,
        slots,
        source: table.source,
    }
}

/// The texts of a row of slots, covered slots as empty.
fn row_texts(slots: &[Vec<Slot>], r: usize) -> Vec<String> {
    slots[r]
        .iter()
        .map(|s| match s {
            Slot::Origin { text, .. } => text.trim().to_string(),
            Slot::Covered { .. } => String::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(text: &str, rows: usize) -> Slot {
        Slot::Origin {
            text: text.to_string(),
            rows,
            cols: 1,
        }
    }

    fn table(slots: Vec<Vec<Slot>>, xs: &[f64]) -> Block {
        let ys = (0..=slots.len()).map(|r| 100.0 + 20.0 * r as f64).collect();
        Block::Table(layout::Table {
            xs: xs.to_vec(),
            ys,
            slots,
            source: Source::Ruled,
        })
    }

    fn line(chunks: &[(&str, f64)]) -> Block {
        Block::Line(layout::Line {
            chunks: chunks
                .iter()
                .map(|&(text, x0)| layout::Chunk {
                    text: text.to_string(),
                    x0,
                    x1: x0 + 40.0,
                })
                .collect(),
            top: 80.0,
            size: 10.0,
        })
    }

    const XS: [f64; 4] = [0.0, 100.0, 200.0, 300.0];

    /// Page 1: a header row, then 产出指标 / 数量指标 merged down to the bottom of the page.
    fn first_page() -> PageBlocks {
        let cov = |col| Slot::Covered { row: 1, col };
        PageBlocks {
            number: 1,
            blocks: vec![table(
                vec![
                    vec![
                        cell("一级指标", 1),
                        cell("二级指标", 1),
                        cell("三级指标", 1),
                    ],
                    vec![cell("产出指标", 2), cell("数量指标", 2), cell("甲", 1)],
                    vec![cov(0), cov(1), cell("乙", 1)],
                ],
                &XS,
            )],
        }
    }

    /// Page 2: `above`, then the header row again and two more rows under blank merged cells.
    fn second_page(above: Block, xs: &[f64]) -> PageBlocks {
        PageBlocks {
            number: 2,
            blocks: vec![
                above,
                table(
                    vec![
                        vec![
                            cell("一级指标", 1),
                            cell("二级指标", 1),
                            cell("三级指标", 1),
                        ],
                        vec![cell("", 1), cell("", 1), cell("丙", 1)],
                        vec![cell("效益指标", 1), cell("社会效益指标", 1), cell("丁", 1)],
                    ],
                    xs,
                ),
            ],
        }
    }

    fn texts(b: &Builder) -> Vec<String> {
        b.rows
            .iter()
            .filter(|r| r.kind == RowKind::Text)
            .map(|r| r.cells[0].text.clone())
            .collect()
    }

    #[test]
    fn merged_labels_repeated_above_a_continuation_belong_to_it() {
        let mut b = Builder::default();
        b.page(first_page());
        b.page(second_page(
            line(&[("产出指标", 30.0), ("数量指标", 130.0)]),
            &XS,
        ));
        assert!(texts(&b).is_empty(), "{:?}", texts(&b));
        assert_eq!(b.tables, 1);
        assert_eq!(b.continued, vec![(2, 1, true, 2, 1)]);
        // 产出指标 now spans 甲, 乙 and 丙; one header row.
        assert_eq!(b.rows[1].cells[0].text, "产出指标");
        assert_eq!(b.rows[1].cells[0].row_span, 3);
        assert_eq!(b.rows.len(), 5);
    }

    #[test]
    fn lines_not_repeating_the_open_labels_end_the_table() {
        // Another text; a label standing over another column; labels before a table that does
        // not continue (other columns): each stays a text line and starts a new table.
        for (above, xs) in [
            (line(&[("产出指标", 30.0), ("说明", 130.0)]), XS.to_vec()),
            (line(&[("数量指标", 30.0)]), XS.to_vec()),
            (
                line(&[("产出指标", 30.0), ("数量指标", 130.0)]),
                vec![0.0, 100.0, 250.0, 300.0],
            ),
        ] {
            let mut b = Builder::default();
            b.page(first_page());
            b.page(second_page(above, &xs));
            assert_eq!(texts(&b).len(), 1, "{:?}", texts(&b));
            assert_eq!(b.tables, 2);
            assert!(b.continued.is_empty());
        }
    }

    #[test]
    fn page_numbers_are_recognized() {
        for t in ["第1页共6页", "第 2 页 / 共 6 页", "- 2 -", "2/6", "3"] {
            assert!(is_page_number(t), "{t}");
        }
        for t in ["预算单位：和硕县民政局", "（2022年）", "合计", ""] {
            assert!(!is_page_number(t), "{t}");
        }
    }

    #[test]
    fn page_lists_read_naturally() {
        assert_eq!(page_list(&[2]), "第2页");
        assert_eq!(page_list(&[1, 2, 3]), "第1–3页");
        assert_eq!(page_list(&[1, 4]), "第1、4页");
    }

    #[test]
    fn bad_inputs_give_clear_errors() {
        assert_eq!(read(b"", None).unwrap_err(), PdfError::Corrupt);
        assert_eq!(
            read(b"%PDF-1.7\n garbage", None).unwrap_err(),
            PdfError::Corrupt
        );
        assert!(PdfError::NoText("第1页".into()).to_string().contains("OCR"));
    }
}
