//! Workbook reader: `.xlsx`, `.xls` and `.ods` bytes in, one [`Grid`] per worksheet out.
//!
//! The reader knows formats, not forms. It turns each visible worksheet into rows of cells
//! with their text *as the clerk sees it* (number formats applied for xlsx and, through
//! [`xls_format`], for xls; no float noise), merged ranges as spans with [`Covered`] slots, and
//! `Sheet!C7` positions. What it skips (hidden sheets, chart sheets) and what it cannot show
//! faithfully (number formats and merges of ods, error values) travel beside the grids as
//! diagnostics (codes I31x).
//!
//! The format is decided from the bytes, never from the file name: a zip holding
//! `xl/workbook.xml` is xlsx (`xl/workbook.bin`: xlsb), a zip whose `mimetype` is an OpenDocument spreadsheet is ods, a
//! Compound File with a `Workbook` stream is xls, and one with `EncryptionInfo` is an
//! encrypted OOXML workbook. calamine can panic on damaged files; every call into it is
//! contained and reported as a corrupt file.
//!
//! ```
//! // The start of an xlsx, cut short.
//! let mut cut = b"PK\x03\x04".to_vec();
//! cut.extend([0; 26]);
//! cut.extend(b"xl/workbook.xml");
//! let err = jixiao_excel::read(&cut, Some("a.xlsx")).unwrap_err();
//! assert!(err.to_string().contains("损坏"), "{err}");
//! let err = jixiao_excel::read(b"a,b\n1,2\n", Some("a.xlsx")).unwrap_err();
//! assert!(matches!(err, jixiao_excel::ExcelError::NotWorkbook(_)));
//! ```

pub mod format;
pub mod limits;
pub mod xls_format;

use calamine::{Data, Dimensions, Range, Reader, SheetType, SheetVisible, Sheets};
use jixiao_diagnostics::{Code, Diagnostic, Location};
use jixiao_grid::{Cell, Covered, Grid, Pos, Row, RowKind};
use std::cell::Cell as StdCell;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The workbook formats this reader knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Office Open XML workbook (Excel 2007 and later).
    Xlsx,
    /// Binary Excel 97–2003 workbook.
    Xls,
    /// OpenDocument spreadsheet (LibreOffice, WPS).
    Ods,
    /// Excel binary workbook (`.xlsb`, Excel 2007 and later).
    Xlsb,
}

impl Kind {
    /// The usual file extension, for messages.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Xlsx => ".xlsx",
            Kind::Xls => ".xls",
            Kind::Ods => ".ods",
            Kind::Xlsb => ".xlsb",
        }
    }
}

/// Why a workbook could not be read at all. Messages are in Chinese for the clerk and do
/// not name the file: the caller does.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExcelError {
    /// The bytes are no workbook at all (text such as CSV, another zip, another OLE file).
    #[error("不是 Excel/ODS 工作簿：{0}")]
    NotWorkbook(String),
    /// The workbook is password protected (encrypted).
    #[error("工作簿设置了打开密码（已加密），无法读取；请在 Excel/WPS 中取消密码后另存再转换")]
    Encrypted,
    /// The container is damaged or cut short.
    #[error("{kind} 工作簿已损坏或不完整（文件可能被截断），无法读取：{detail}", kind = .kind.extension())]
    Corrupt {
        /// The detected format.
        kind: Kind,
        /// What the parser said.
        detail: String,
    },
    /// The workbook declares or implies sizes no performance target table comes near (a value
    /// at XFD1048576, a forged string count, a zip bomb); see [`limits`].
    #[error("工作簿过大或声明的大小不可信，未读取：{0}")]
    TooLarge(String),
    /// No sheet holds anything.
    #[error("工作簿中没有任何内容{0}")]
    Empty(String),
}

/// What a workbook gave: one grid per data sheet, in workbook order, and what was skipped or
/// shown differently on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    /// The detected format.
    pub kind: Kind,
    /// One grid per visible worksheet that has content.
    pub grids: Vec<Grid>,
    /// Skipped sheets, unreadable sheets, values that may not look as in Excel.
    pub diagnostics: Vec<Diagnostic>,
}

/// Detects the workbook format from the bytes.
///
/// # Errors
///
/// [`ExcelError::NotWorkbook`] when the bytes are neither a zip nor an OLE compound file, or
/// hold no workbook inside; [`ExcelError::Encrypted`] for an encrypted OOXML workbook.
///
/// ```
/// use jixiao_excel::{detect, ExcelError};
/// assert!(matches!(detect(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), Ok(jixiao_excel::Kind::Xls)));
/// assert!(matches!(detect(b"hello"), Err(ExcelError::NotWorkbook(_))));
/// ```
pub fn detect(bytes: &[u8]) -> Result<Kind, ExcelError> {
    if bytes.is_empty() {
        return Err(ExcelError::NotWorkbook("文件为空（0 字节）".into()));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        // Names of zip entries are stored uncompressed, so they can be found in the bytes even
        // when the central directory at the end is missing.
        let is_ods = bytes.get(30..38) == Some(b"mimetype")
            && contains(
                &bytes[..bytes.len().min(200)],
                b"application/vnd.oasis.opendocument.spreadsheet",
            );
        if is_ods {
            return Ok(Kind::Ods);
        }
        if contains(bytes, b"xl/workbook.bin") {
            return Ok(Kind::Xlsb);
        }
        if contains(bytes, b"xl/workbook.xml")
            || contains(bytes, b"[Content_Types].xml") && contains(bytes, b"xl/")
        {
            return Ok(Kind::Xlsx);
        }
        if contains(bytes, b"word/document.xml") {
            return Err(ExcelError::NotWorkbook(
                "这是 Word 文档（.docx），不是工作簿".into(),
            ));
        }
        if contains(bytes, b"application/vnd.oasis.opendocument") {
            return Err(ExcelError::NotWorkbook(
                "这是 OpenDocument 文本或演示文稿，不是电子表格".into(),
            ));
        }
        return Err(ExcelError::NotWorkbook("这是一个普通 zip 压缩包，里面没有工作簿（缺少 xl/workbook.xml）；请解压后转换其中的文件".into()));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let utf16 = |s: &str| {
            s.encode_utf16()
                .flat_map(u16::to_le_bytes)
                .collect::<Vec<u8>>()
        };
        if contains(bytes, &utf16("EncryptionInfo")) || contains(bytes, &utf16("EncryptedPackage"))
        {
            return Err(ExcelError::Encrypted);
        }
        if contains(bytes, &utf16("WordDocument")) {
            return Err(ExcelError::NotWorkbook(
                "这是 Word 97–2003 文档（.doc），不是工作簿".into(),
            ));
        }
        return Ok(Kind::Xls);
    }
    // The same verdict as the text reader gives these bytes under a text name.
    let what = match jixiao_grid::text::decode(bytes) {
        Ok(text) => {
            let head: String = text.text.chars().take(4096).collect();
            if head.matches(',').count() >= 2 {
                "这是文本文件（看起来是 CSV），只是扩展名像工作簿；请在 Excel 中打开后另存为 .xlsx"
            } else {
                "这是文本文件，只是扩展名像工作簿；请改用 .md/.txt 扩展名转换"
            }
        }
        Err(jixiao_grid::text::DecodeError::Blank) => "这是只有空白的文本文件，只是扩展名像工作簿",
        Err(_) => "文件开头既不是 zip（xlsx/ods）也不是 OLE 复合文档（xls），也不是文本",
    };
    Err(ExcelError::NotWorkbook(what.into()))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && memchr::memmem::find(haystack, needle).is_some()
}

thread_local! {
    static CONTAINING: StdCell<bool> = const { StdCell::new(false) };
}

/// True while this thread is inside a call into calamine whose panic the reader contains (and
/// reports as a corrupt file).
///
/// The reader never touches the process-wide panic hook: that belongs to the application. An
/// application that does not want the contained panic's message printed installs a hook that
/// consults this, as the `jixiao` binary does:
///
/// ```
/// let previous = std::panic::take_hook();
/// std::panic::set_hook(Box::new(move |info| {
///     if !jixiao_excel::containing_panic() {
///         previous(info);
///     }
/// }));
/// # let _ = std::panic::take_hook();
/// ```
pub fn containing_panic() -> bool {
    CONTAINING.with(StdCell::get)
}

/// Runs `f`, turning a panic inside calamine into `None`; the caller reports the file as
/// corrupt instead.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    let was = CONTAINING.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|q| q.set(was));
    result.ok()
}

/// Reads a workbook. `file` is how the user named it; it goes into every position.
///
/// # Errors
///
/// [`ExcelError::NotWorkbook`] when the bytes are no workbook (a CSV named `.xlsx`, an empty
/// file), [`ExcelError::Encrypted`] for a password-protected workbook,
/// [`ExcelError::Corrupt`] when the file is damaged (including a panic inside calamine), and
/// [`ExcelError::Empty`] when no sheet holds anything.
///
/// ```
/// // A fixture of this repository (paths are relative to the crate when doc tests run).
/// let bytes = std::fs::read("../../../fixtures/excel/heshuo-2022.xlsx").unwrap();
/// let book = jixiao_excel::read(&bytes, Some("heshuo-2022.xlsx")).unwrap();
/// for grid in &book.grids {
///     println!("{}: {} rows", grid.sheet.as_deref().unwrap_or(""), grid.rows.len());
/// }
/// ```
pub fn read(bytes: &[u8], file: Option<&str>) -> Result<Workbook, ExcelError> {
    let kind = detect(bytes)?;
    read_kind(kind, bytes, file)
}

/// Runs one call into calamine; a panic inside it means a damaged file.
fn calamine<T>(kind: Kind, f: impl FnOnce() -> Result<T, ExcelError>) -> Result<T, ExcelError> {
    guarded(f).unwrap_or_else(|| {
        Err(ExcelError::Corrupt {
            kind,
            detail: "文件结构异常，解析器无法处理".into(),
        })
    })
}

fn corrupt(kind: Kind, detail: impl std::fmt::Display) -> ExcelError {
    ExcelError::Corrupt {
        kind,
        detail: detail.to_string(),
    }
}

fn open(kind: Kind, bytes: &[u8]) -> Result<Sheets<Cursor<&[u8]>>, ExcelError> {
    let cursor = Cursor::new(bytes);
    match kind {
        Kind::Xlsx => match calamine::Xlsx::new(cursor) {
            Ok(x) => Ok(Sheets::Xlsx(x)),
            Err(calamine::XlsxError::Password) => Err(ExcelError::Encrypted),
            Err(e) => Err(corrupt(kind, e)),
        },
        Kind::Xls => match calamine::Xls::new(cursor) {
            Ok(x) => Ok(Sheets::Xls(x)),
            Err(calamine::XlsError::Password) => Err(ExcelError::Encrypted),
            Err(calamine::XlsError::Cfb(e)) => {
                Err(corrupt(kind, format!("复合文档结构错误（{e}）")))
            }
            Err(e) => Err(corrupt(kind, e)),
        },
        Kind::Xlsb => match calamine::Xlsb::new(cursor) {
            Ok(x) => Ok(Sheets::Xlsb(x)),
            Err(calamine::XlsbError::Password) => Err(ExcelError::Encrypted),
            Err(e) => Err(corrupt(kind, e)),
        },
        Kind::Ods => match calamine::Ods::new(cursor) {
            Ok(x) => Ok(Sheets::Ods(x)),
            Err(calamine::OdsError::Password) => Err(ExcelError::Encrypted),
            Err(e) => Err(corrupt(kind, e)),
        },
    }
}

fn read_kind(kind: Kind, bytes: &[u8], file: Option<&str>) -> Result<Workbook, ExcelError> {
    let mut grids = Vec::new();
    let read = read_kind_each(kind, bytes, file, |grid| grids.push(grid))?;
    Ok(Workbook {
        kind: read.kind,
        grids,
        diagnostics: read.diagnostics,
    })
}

/// What [`read_each`] gave besides the grids: the format and what was skipped or shown
/// differently on the way.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetsRead {
    /// The detected format.
    pub kind: Kind,
    /// Skipped sheets, unreadable sheets, values that may not look as in Excel.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads a workbook as [`read`] does, handing each sheet's grid to `each` as soon as it is
/// read, in workbook order, instead of keeping them all: a caller that recognizes sheet by
/// sheet (`jixiao_recognize::SheetBySheet`) holds one sheet's grid at a time. The grids and
/// diagnostics are those of [`read`]; on an error, the sheets before it may have been handed
/// over already.
///
/// # Errors
///
/// As [`read`].
pub fn read_each(
    bytes: &[u8],
    file: Option<&str>,
    each: impl FnMut(Grid),
) -> Result<SheetsRead, ExcelError> {
    let kind = detect(bytes)?;
    read_kind_each(kind, bytes, file, each)
}

fn read_kind_each(
    kind: Kind,
    bytes: &[u8],
    file: Option<&str>,
    mut each: impl FnMut(Grid),
) -> Result<SheetsRead, ExcelError> {
    limits::check(kind, bytes)?;
    let mut book = calamine(kind, || open(kind, bytes))?;
    let sheets = calamine(kind, || Ok(book.sheets_metadata().to_vec()))?;
    let xls_formats = (kind == Kind::Xls)
        .then(|| xls_format::read(bytes))
        .flatten();
    let mut read = 0usize;
    let mut diagnostics = Vec::new();
    let mut skipped = Vec::new();
    for sheet in &sheets {
        let here = Location {
            file: file.map(Into::into),
            sheet: Some(sheet.name.clone()),
            ..Location::default()
        };
        if sheet.visible != SheetVisible::Visible {
            diagnostics.push(Diagnostic::new(
                Code::I310,
                format!("工作表“{}”是隐藏的，已跳过", sheet.name),
                here,
            ));
            skipped.push(format!("“{}”（隐藏）", sheet.name));
            continue;
        }
        if sheet.typ != SheetType::WorkSheet {
            diagnostics.push(Diagnostic::new(
                Code::I311,
                format!("工作表“{}”是图表页或宏表，不是数据表，已跳过", sheet.name),
                here,
            ));
            skipped.push(format!("“{}”（图表页）", sheet.name));
            continue;
        }
        // xlsx: values and number formats in one pass over the sheet, its extent checked as
        // it is read (see `xlsx_sheet`); the other formats through calamine's range.
        let xlsx = match &mut book {
            Sheets::Xlsx(x) => Some(calamine(kind, || xlsx_sheet(x, &sheet.name))?),
            _ => None,
        };
        let (range, xlsx_styles) = match xlsx {
            Some((range, styles)) => (range, Some(styles)),
            None => (
                calamine(kind, || match book.worksheet_range(&sheet.name) {
                    Ok(r) => Ok(r),
                    Err(
                        calamine::Error::Xlsx(calamine::XlsxError::Password)
                        | calamine::Error::Xls(calamine::XlsError::Password)
                        | calamine::Error::Xlsb(calamine::XlsbError::Password),
                    ) => Err(ExcelError::Encrypted),
                    Err(e) => Err(corrupt(
                        kind,
                        format!("工作表“{}”无法读取（{e}）", sheet.name),
                    )),
                })?,
                None,
            ),
        };
        let merges = calamine(kind, || {
            Ok(match &mut book {
                Sheets::Xlsx(x) => x
                    .merge_cells_by_sheet_name(&sheet.name)
                    .map_err(|e| corrupt(kind, e))?,
                Sheets::Xls(x) => x
                    .merge_cells_by_sheet_name(&sheet.name)
                    .map_err(|e| corrupt(kind, e))?,
                _ => Vec::new(),
            })
        })?;
        let grid = sheet_grid(
            kind,
            file,
            &sheet.name,
            &range,
            &merges,
            Formats {
                styles: xlsx_styles.as_ref(),
                xls: xls_formats.as_ref().filter(|f| f.has_sheet(&sheet.name)),
            },
            &mut diagnostics,
        );
        if grid.rows.iter().all(Row::is_blank) {
            diagnostics.push(Diagnostic::new(
                Code::I314,
                format!("工作表“{}”是空的，已跳过", sheet.name),
                here,
            ));
            skipped.push(format!("“{}”（空）", sheet.name));
            continue;
        }
        read += 1;
        each(grid);
    }
    if read == 0 {
        let detail = if sheets.is_empty() {
            "（没有工作表）".to_string()
        } else {
            format!(
                "（{} 个工作表都被跳过：{}）",
                sheets.len(),
                skipped.join("、")
            )
        };
        return Err(ExcelError::Empty(detail));
    }
    Ok(SheetsRead { kind, diagnostics })
}

/// Where a sheet's number formats come from: calamine's styles (xlsx) or the BIFF records
/// (xls, see [`xls_format`]).
#[derive(Clone, Copy)]
struct Formats<'a> {
    styles: Option<&'a XlsxStyles>,
    xls: Option<&'a xls_format::XlsFormats>,
}

/// xlsx: the workbook's style palette and the style of each cell that holds a value and has
/// one (style 0, the default, is left out).
#[derive(Default)]
struct XlsxStyles {
    palette: Vec<calamine::Style>,
    ids: std::collections::HashMap<(u32, u32), usize>,
}

/// An xlsx sheet's values and their styles, in one pass over its XML with calamine's cell
/// reader (calamine's own `worksheet_range` and `worksheet_style` read it once each). Its
/// extent is checked at every value, so a stray value at XFD1048576 is refused before
/// anything is allocated for it ([`limits::MAX_CELLS`]); the dense range is made from the
/// values only once they fit.
fn xlsx_sheet(
    x: &mut calamine::Xlsx<Cursor<&[u8]>>,
    name: &str,
) -> Result<(Range<Data>, XlsxStyles), ExcelError> {
    let kind = Kind::Xlsx;
    let unreadable = |e: calamine::XlsxError| match e {
        calamine::XlsxError::Password => ExcelError::Encrypted,
        e => corrupt(kind, format!("工作表“{name}”无法读取（{e}）")),
    };
    let mut reader = match x.worksheet_cells_reader(name) {
        Ok(reader) => reader,
        // A chart sheet or the like behind a worksheet's name: nothing to read (as calamine).
        Err(calamine::XlsxError::NotAWorksheet(_)) => {
            return Ok((Range::default(), XlsxStyles::default()));
        }
        Err(e) => return Err(unreadable(e)),
    };
    let mut styles = XlsxStyles {
        palette: reader.styles().to_vec(),
        ids: std::collections::HashMap::new(),
    };
    let mut extent = limits::Extent::default();
    let mut cells = Vec::new();
    while let Some((cell, style)) = reader.next_cell_with_style_id().map_err(unreadable)? {
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        let (r, c) = cell.get_position();
        extent.add(r.into(), c.into());
        extent.check(name, (r.into(), c.into()))?;
        if style > 0 {
            styles.ids.insert((r, c), style);
        }
        cells.push(calamine::Cell::new(
            (r, c),
            Data::from(cell.get_value().clone()),
        ));
    }
    Ok((Range::from_sparse(cells), styles))
}

/// The number format code of a cell, where the workbook keeps one.
fn format_code(formats: Formats<'_>, sheet: &str, pos: (u32, u32)) -> Option<String> {
    if let Some(xls) = formats.xls {
        return xls.code(sheet, pos.0, pos.1).map(str::to_string);
    }
    let styles = formats.styles?;
    let nf = styles
        .palette
        .get(*styles.ids.get(&pos)?)?
        .number_format
        .as_ref()?;
    // Built-in date formats are shown in the system's short date form; Chinese Windows shows
    // 2022/1/5 for id 14 (calamine gives the US code).
    match nf.format_id {
        Some(14) => Some("yyyy/m/d".into()),
        Some(22) => Some("yyyy/m/d h:mm".into()),
        _ => Some(nf.format_code.clone()),
    }
}

/// One worksheet as a grid: the bounding box of its values and merges, every slot a cell.
fn sheet_grid(
    kind: Kind,
    file: Option<&str>,
    sheet: &str,
    range: &Range<Data>,
    merges: &[Dimensions],
    formats: Formats<'_>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Grid {
    let mut grid = Grid::new(file.map(str::to_string), Some(sheet.to_string()));
    let loc = |r: u32, c: u32| Pos::Sheet { row: r, col: c }.location(file, Some(sheet));
    let mut bounds: Option<((u32, u32), (u32, u32))> = range.start().zip(range.end());
    for m in merges {
        bounds = Some(match bounds {
            None => (m.start, m.end),
            Some((s, e)) => (
                (s.0.min(m.start.0), s.1.min(m.start.1)),
                (e.0.max(m.end.0), e.1.max(m.end.1)),
            ),
        });
    }
    let Some(((r0, c0), (r1, c1))) = bounds else {
        return grid;
    };
    // A stray formatted cell far away must not make a grid of millions of slots.
    const MAX_SLOTS: u64 = 2_000_000;
    let (height, width) = (u64::from(r1 - r0) + 1, u64::from(c1 - c0) + 1);
    let r1 = if height * width > MAX_SLOTS {
        let keep = (MAX_SLOTS / width).max(1) as u32;
        diagnostics.push(Diagnostic::new(
            Code::I316,
            format!("工作表过大（{height} 行 × {width} 列），只读取前 {keep} 行"),
            loc(r0 + keep, c0),
        ));
        r0 + keep - 1
    } else {
        r1
    };

    let mut numbers_without_format: Option<(usize, (u32, u32))> = None;
    for r in r0..=r1 {
        let mut cells = Vec::with_capacity(width as usize);
        for c in c0..=c1 {
            let pos = Pos::Sheet { row: r, col: c };
            let data = range.get_value((r, c)).unwrap_or(&Data::Empty);
            let code = format_code(formats, sheet, (r, c));
            let text = format::cell_text(data, code.as_deref());
            match data {
                Data::Error(e) => diagnostics.push(Diagnostic::new(
                    Code::I313,
                    format!("单元格显示错误值 {e}（公式出错），按原样读取"),
                    loc(r, c),
                )),
                Data::Float(_) | Data::Int(_) if kind != Kind::Xlsx && formats.xls.is_none() => {
                    let entry = numbers_without_format.get_or_insert((0, (r, c)));
                    entry.0 += 1;
                }
                _ => {}
            }
            cells.push(Cell::new(text, pos));
        }
        grid.rows.push(Row::new(RowKind::Table, cells));
    }
    if let Some((count, (r, c))) = numbers_without_format {
        diagnostics.push(Diagnostic::new(
            Code::I312,
            format!(
                "{} 文件不保存可读取的数字格式：本表 {count} 个数字单元格按存储的数值显示（如设置为百分比的 0.95 显示为 0.95，设置两位小数的 3.9 显示为 3.9），请核对",
                kind.extension()
            ),
            loc(r, c),
        ));
    }
    if kind == Kind::Ods {
        diagnostics.push(Diagnostic::new(
            Code::I315,
            "ODS 文件的合并单元格无法读取，合并区域中除左上角外的单元格按空白处理".to_string(),
            loc(r0, c0),
        ));
    }

    // Covered cells repeating their anchor's text: how budget systems export merged cells
    // (the 一级指标 written on every row of its group). Expected, not a defect: counted and
    // reported once for the sheet (I319), where other content in a covered cell is reported
    // cell by cell (I318).
    let mut repeats: Option<(usize, (u32, u32))> = None;
    for m in merges {
        let ((mr0, mc0), (mr1, mc1)) = (m.start, m.end);
        if mr0 < r0 || mr0 > r1 || mr1 < mr0 || mc1 < mc0 {
            continue;
        }
        let mr1 = mr1.min(r1);
        let slot = |grid: &Grid, r: u32, c: u32| {
            grid.rows[(r - r0) as usize].cells[(c - c0) as usize].clone()
        };
        let overlaps = (mr0..=mr1).any(|r| {
            (mc0..=mc1).any(|c| {
                slot(&grid, r, c).covered.is_some()
                    || slot(&grid, r, c).row_span * slot(&grid, r, c).col_span > 1
            })
        });
        if overlaps {
            diagnostics.push(Diagnostic::new(
                Code::I317,
                format!(
                    "合并区域 {}:{} 与其他合并区域重叠，已忽略",
                    a1(mr0, mc0),
                    a1(mr1, mc1)
                ),
                loc(mr0, mc0),
            ));
            continue;
        }
        let anchor = slot(&grid, mr0, mc0).text.trim().to_string();
        for r in mr0..=mr1 {
            for c in mc0..=mc1 {
                let cell = &mut grid.rows[(r - r0) as usize].cells[(c - c0) as usize];
                if (r, c) == (mr0, mc0) {
                    cell.row_span = mr1 - mr0 + 1;
                    cell.col_span = mc1 - mc0 + 1;
                    continue;
                }
                if !cell.is_blank() && cell.text.trim() == anchor {
                    repeats.get_or_insert((0, (r, c))).0 += 1;
                } else if !cell.is_blank() {
                    diagnostics.push(Diagnostic::new(
                        Code::I318,
                        format!(
                            "合并区域 {}:{} 中被覆盖的单元格还有内容“{}”，Excel 不显示它，已跳过",
                            a1(mr0, mc0),
                            a1(mr1, mc1),
                            cell.text.trim()
                        ),
                        loc(r, c),
                    ));
                }
                let how = if r > mr0 {
                    Covered::Above
                } else {
                    Covered::Left
                };
                *cell = Cell::covered(how, Pos::Sheet { row: r, col: c });
            }
        }
    }
    if let Some((count, (r, c))) = repeats {
        diagnostics.push(Diagnostic::new(
            Code::I319,
            format!(
                "合并区域中 {count} 个被覆盖的单元格重复了左上角的文字（系统导出的写法），已按合并区域读取，第一处 {}",
                a1(r, c)
            ),
            loc(r, c),
        ));
    }
    grid
}

fn a1(r: u32, c: u32) -> String {
    Pos::Sheet { row: r, col: c }.a1().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_by_content() {
        assert_eq!(
            detect(b""),
            Err(ExcelError::NotWorkbook("文件为空（0 字节）".into()))
        );
        assert!(
            matches!(detect(b"PK\x03\x04\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0hello.txt"), Err(ExcelError::NotWorkbook(m)) if m.contains("zip"))
        );
        assert!(
            matches!(detect("序号,部门,项目\n1,2,3".as_bytes()), Err(ExcelError::NotWorkbook(m)) if m.contains("CSV"))
        );
        let mut enc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        enc.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(detect(&enc), Err(ExcelError::Encrypted));
    }

    #[test]
    fn panics_are_contained() {
        assert_eq!(guarded(|| -> u32 { panic!("inside calamine") }), None);
        assert_eq!(guarded(|| 7), Some(7));
    }
}
