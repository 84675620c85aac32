//! What a workbook declares or implies about its size, checked before calamine allocates.
//!
//! calamine builds a dense grid over the bounding box of a sheet's values, reserves space for
//! as many shared strings as `uniqueCount` says, and for as many cells as an xls DIMENSIONS
//! record says. A 1.5 KB file with values at A1 and XFD1048576, or `uniqueCount="4294967295"`,
//! makes it ask for hundreds of gigabytes and the process aborts (an allocation failure cannot
//! be caught). So before calamine sees the bytes, this module reads them itself — zip entries
//! streamed through quick-xml, xlsb records, the xls Workbook stream — just far enough to
//! know those sizes, and refuses what no performance target table comes near:
//!
//! - a zip entry larger than [`MAX_ENTRY_BYTES`] unpacked, or all of them together larger than
//!   [`MAX_TOTAL_BYTES`], or an entry that unpacks to more than its header declares (zip bombs);
//! - a sheet whose values span more than [`MAX_CELLS`] slots (rows × columns of the bounding
//!   box), counted as calamine will count them (ods: with repeated rows and columns expanded;
//!   xlsx sheets are checked value by value as the reader streams them, before any grid is
//!   made, so their XML is read once);
//! - a shared-string table declaring more strings than its bytes can hold;
//! - ODS cell text more than [`MAX_ODS_TEXT`] bytes once calamine has written it out: space
//!   runs (`<text:s text:c="N"/>`, counts unescaped as calamine reads them) expanded, and each
//!   cell's text, string value and formula counted once per column and row it is repeated over
//!   (calamine clones them into every slot);
//! - an xls DIMENSIONS record declaring more than [`MAX_CELLS`] cells.
//!
//! The form never has more than a few thousand rows or a few dozen columns, so the limits
//! leave two orders of magnitude of room.

use crate::{ExcelError, Kind};
use quick_xml::events::Event;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{BufReader, Cursor, Read};

/// At most this many slots (rows × columns of the values' bounding box) in one sheet.
pub const MAX_CELLS: u64 = 4_000_000;
/// At most this many bytes in one zip entry, unpacked.
pub const MAX_ENTRY_BYTES: u64 = 200 << 20;
/// At most this many bytes in all zip entries together, unpacked.
pub const MAX_TOTAL_BYTES: u64 = 400 << 20;
/// At most this many bytes of ODS cell text in one file, as calamine writes it out: space runs
/// (`<text:s text:c="N"/>`) in full, and a repeated cell's text once per slot it is repeated
/// over. A form holds a few hundred kilobytes of text; a 10 MB file honestly holds at most 10 MB.
pub const MAX_ODS_TEXT: u64 = 1 << 25;

/// Checks the sizes a workbook declares or implies, before calamine allocates for them.
///
/// # Errors
/// [`ExcelError::TooLarge`] naming the sheet and cell (or the zip entry) that is out of
/// bounds. A container too damaged to inspect passes: calamine reports it as corrupt.
pub fn check(kind: Kind, bytes: &[u8]) -> Result<(), ExcelError> {
    match kind {
        Kind::Xlsx | Kind::Xlsb | Kind::Ods => check_zip(kind, bytes),
        Kind::Xls => check_xls(bytes),
    }
}

fn too_large(message: String) -> ExcelError {
    ExcelError::TooLarge(message)
}

/// The bounding box of a sheet's values, 0-based, growing as values are found.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Extent {
    first: Option<(u64, u64)>,
    min_col: u64,
    max_row: u64,
    max_col: u64,
}

impl Extent {
    pub(crate) fn add(&mut self, row: u64, col: u64) {
        match self.first {
            None => {
                self.first = Some((row, col));
                self.min_col = col;
                self.max_row = row;
                self.max_col = col;
            }
            Some(_) => {
                self.min_col = self.min_col.min(col);
                self.max_row = self.max_row.max(row);
                self.max_col = self.max_col.max(col);
            }
        }
    }

    /// Rows and columns spanned.
    fn size(&self) -> (u64, u64) {
        match self.first {
            None => (0, 0),
            Some((r0, _)) => (
                self.max_row.saturating_sub(r0) + 1,
                self.max_col.saturating_sub(self.min_col) + 1,
            ),
        }
    }

    /// An error naming the sheet and the far cell when the values span more than
    /// [`MAX_CELLS`] slots.
    pub(crate) fn check(&self, sheet: &str, far: (u64, u64)) -> Result<(), ExcelError> {
        let (rows, cols) = self.size();
        if rows.saturating_mul(cols) <= MAX_CELLS {
            return Ok(());
        }
        Err(too_large(format!(
            "工作表“{sheet}”的内容一直延伸到 {}，表格范围达 {rows} 行 × {cols} 列，超出可读取的 {MAX_CELLS} 个单元格（绩效目标表不会这么大）；请删除远处的单元格后另存再转换",
            a1(far.0, far.1)
        )))
    }
}

fn a1(row: u64, col: u64) -> String {
    let mut name = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = ((c - 1) % 26) as u8;
        name.push(b'A' + rem);
        c = (c - 1) / 26;
    }
    name.reverse();
    format!("{}{}", String::from_utf8_lossy(&name), row + 1)
}

/// Zip containers: entry sizes, then the entries that say how much calamine will allocate.
fn check_zip(kind: Kind, bytes: &[u8]) -> Result<(), ExcelError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    let mut names = Vec::new();
    for i in 0..zip.len() {
        let Ok(entry) = zip.by_index_raw(i) else {
            continue;
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let size = entry.size();
        if size > MAX_ENTRY_BYTES {
            return Err(too_large(format!(
                "压缩包中的“{name}”解压后有 {} MB，超出可读取的 {} MB（可能是“压缩炸弹”）",
                size >> 20,
                MAX_ENTRY_BYTES >> 20
            )));
        }
        total = total.saturating_add(size);
        names.push((i, name, size));
    }
    if total > MAX_TOTAL_BYTES {
        return Err(too_large(format!(
            "压缩包解压后共有 {} MB，超出可读取的 {} MB（可能是“压缩炸弹”）",
            total >> 20,
            MAX_TOTAL_BYTES >> 20
        )));
    }
    // The sheets' names, for the message about a binary worksheet: read only when one is
    // scanned (an ordinary .xlsx has none, and its workbook parts are not unpacked twice).
    let mut sheet_names: Option<HashMap<String, String>> = None;
    for (i, name, size) in names {
        let lower = name.to_ascii_lowercase();
        let what = if kind == Kind::Ods {
            if lower == "content.xml" {
                Scan::OdsContent
            } else {
                continue;
            }
        } else if lower.ends_with("sharedstrings.xml") {
            Scan::SharedStrings
        } else if lower.contains("worksheets/") && lower.ends_with(".bin") {
            Scan::XlsbWorksheet
        } else {
            continue;
        };
        if matches!(what, Scan::XlsbWorksheet) && sheet_names.is_none() {
            sheet_names = Some(if kind == Kind::Xlsx {
                xlsx_sheet_names(&mut zip)
            } else {
                HashMap::new()
            });
        }
        let Ok(entry) = zip.by_index(i) else {
            continue;
        };
        // Never more than declared: an entry that unpacks to more is refused below.
        let mut reader = CountingReader {
            inner: entry.take(size.saturating_add(1)),
            count: 0,
        };
        let sheet = sheet_names
            .as_ref()
            .and_then(|n| n.get(name.trim_start_matches('/')))
            .cloned()
            .unwrap_or_else(|| name.clone());
        let result = match what {
            Scan::SharedStrings => scan_shared_strings(&mut reader, size),
            Scan::XlsbWorksheet => scan_xlsb_worksheet(&mut reader, &sheet),
            Scan::OdsContent => scan_ods(&mut reader),
        };
        result?;
        // Read to the end to learn the real size (the scan may stop early).
        let _ = std::io::copy(&mut reader, &mut std::io::sink());
        if reader.count > size {
            return Err(too_large(format!(
                "压缩包中的“{name}”解压后比文件头声明的 {size} 字节更大（文件被篡改或损坏）"
            )));
        }
    }
    Ok(())
}

enum Scan {
    SharedStrings,
    XlsbWorksheet,
    OdsContent,
}

struct CountingReader<R> {
    inner: R,
    count: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        Ok(n)
    }
}

/// `xl/worksheets/sheet1.xml` → the sheet's name as the clerk sees it, from `xl/workbook.xml`
/// and its relationships. Best effort: a name not found is shown as the entry path.
fn xlsx_sheet_names<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut targets = HashMap::new();
    if let Ok(rels) = zip.by_name("xl/_rels/workbook.xml.rels") {
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(rels.take(MAX_ENTRY_BYTES)));
        let mut buf = Vec::new();
        while let Ok(ev) = xml.read_event_into(&mut buf) {
            match ev {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                    let (mut id, mut target) = (None, None);
                    for attr in e.attributes().flatten() {
                        match attr.key.local_name().as_ref() {
                            "Id" => id = Some(attr.value.to_string()),
                            "Target" => target = Some(attr.value.to_string()),
                            _ => {}
                        }
                    }
                    if let (Some(id), Some(target)) = (id, target) {
                        let path = match target.strip_prefix('/') {
                            Some(abs) => abs.to_string(),
                            None => format!("xl/{target}"),
                        };
                        targets.insert(id, path);
                    }
                }
                _ => {}
            }
            buf.clear();
        }
    }
    if let Ok(book) = zip.by_name("xl/workbook.xml") {
        let mut xml = quick_xml::Reader::from_reader(BufReader::new(book.take(MAX_ENTRY_BYTES)));
        let mut buf = Vec::new();
        while let Ok(ev) = xml.read_event_into(&mut buf) {
            match ev {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                    let (mut name, mut id) = (None, None);
                    for attr in e.attributes().flatten() {
                        match attr.key.local_name().as_ref() {
                            "name" => name = Some(attr.value.replace("&amp;", "&")),
                            "id" => id = Some(attr.value.to_string()),
                            _ => {}
                        }
                    }
                    if let (Some(name), Some(path)) = (name, id.and_then(|id| targets.get(&id))) {
                        out.insert(path.clone(), name);
                    }
                }
                _ => {}
            }
            buf.clear();
        }
    }
    out
}

/// `<sst uniqueCount="…">`: calamine reserves that many strings up front. Each `<si/>` takes
/// at least 5 bytes, so an honest count is at most a fifth of the entry's size.
fn scan_shared_strings(reader: &mut impl Read, size: u64) -> Result<(), ExcelError> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(reader));
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "sst" => {
                for attr in e.attributes().flatten() {
                    if attr.key.local_name().as_ref() != "uniqueCount" {
                        continue;
                    }
                    let declared: u64 = attr.value.trim().parse().unwrap_or(0);
                    if declared > size / 5 + 1 {
                        return Err(too_large(format!(
                            "共享字符串表声明有 {declared} 个字符串，而它只有 {size} 字节，装不下这么多（文件被篡改或损坏）"
                        )));
                    }
                }
                return Ok(());
            }
            Ok(Event::Eof) | Err(_) => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// xlsb sheet records: BrtRowHdr gives the row, each cell record its column (MS-XLSB 2.4).
fn scan_xlsb_worksheet(reader: &mut impl Read, sheet: &str) -> Result<(), ExcelError> {
    let mut reader = BufReader::new(reader);
    let mut extent = Extent::default();
    let mut far = (0, 0);
    let mut row = 0u64;
    let mut data = Vec::new();
    while let Some(typ) = read_xlsb_type(&mut reader) {
        let Some(len) = read_xlsb_len(&mut reader) else {
            break;
        };
        data.clear();
        if (&mut reader)
            .take(len)
            .read_to_end(&mut data)
            .map_or(true, |n| n as u64 != len)
        {
            break;
        }
        let u32_at = |at: usize| {
            data.get(at..at + 4)
                .map(|b| u64::from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
        };
        match typ {
            0x0000 => row = u32_at(0).unwrap_or(row),
            // Cells with a value (BrtCellBlank, 0x0001, has none).
            0x0002..=0x000B => {
                if let Some(col) = u32_at(0) {
                    extent.add(row, col);
                    if row >= far.0 || col >= far.1 {
                        far = (row, col);
                    }
                }
            }
            0x0092 => break,
            _ => {}
        }
    }
    extent.check(sheet, far)
}

fn read_byte(r: &mut impl Read) -> Option<u8> {
    let mut b = [0u8];
    r.read_exact(&mut b).ok()?;
    Some(b[0])
}

fn read_xlsb_type(r: &mut impl Read) -> Option<u16> {
    let b = read_byte(r)?;
    if b & 0x80 == 0 {
        return Some(u16::from(b));
    }
    let b2 = read_byte(r)?;
    Some(u16::from(b & 0x7F) + (u16::from(b2 & 0x7F) << 7))
}

fn read_xlsb_len(r: &mut impl Read) -> Option<u64> {
    let mut b = read_byte(r)?;
    let mut len = u64::from(b & 0x7F);
    for i in 1..4 {
        if b & 0x80 == 0 {
            break;
        }
        b = read_byte(r)?;
        len += u64::from(b & 0x7F) << (7 * i);
    }
    Some(len)
}

/// ODS `content.xml`: per table, the bounding box of non-empty cells with
/// `table:number-rows-repeated` and `table:number-columns-repeated` expanded, and the cells
/// calamine keeps before building the range (each row up to its last non-empty cell).
fn scan_ods(reader: &mut impl Read) -> Result<(), ExcelError> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(reader));
    let mut buf = Vec::new();
    let mut table = String::new();
    let mut extent = Extent::default();
    let mut far = (0u64, 0u64);
    let mut kept = 0u64;
    let mut row = 0u64;
    let mut row_repeat = 1u64;
    let mut col = 0u64;
    let mut row_end: Option<(u64, u64)> = None; // (min col, end col) of content in this row
    let mut cell: Option<(u64, u64)> = None; // (col, repeat) of the open cell
    let mut cell_has_content = false;
    let mut depth_in_cell = 0u32;
    // Bytes of cell text calamine will write out, file-wide; and those of the open cell, to
    // be multiplied by its column and row repeats.
    let mut text = 0u64;
    let mut cell_text = 0u64;
    let repeat = |e: &quick_xml::events::BytesStart, name: &str| -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.local_name().as_ref() == name)
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    };
    let has_value = |e: &quick_xml::events::BytesStart| {
        e.attributes()
            .flatten()
            .any(|a| a.key.local_name().as_ref() == "value-type")
    };
    let finish_table = |table: &str, extent: &Extent, far, kept: u64| -> Result<(), ExcelError> {
        extent.check(table, far)?;
        if kept > MAX_CELLS {
            return Err(too_large(format!(
                "工作表“{table}”重复的行列展开后有 {kept} 个单元格，超出可读取的 {MAX_CELLS} 个"
            )));
        }
        Ok(())
    };
    // The text of a cell counted once per slot it fills: over the limit, the sheet and cell.
    let check_text = |table: &str, text: u64, cell_text: u64, at: (u64, u64), n: u64, rows: u64| {
        let total = text.saturating_add(cell_text.saturating_mul(n).saturating_mul(rows));
        if total > MAX_ODS_TEXT {
            return Err(too_large(format!(
                "工作表“{table}”单元格 {} 的文字展开后超过 {} MB（重复的空格 text:s、重复的行或列\
                 都按写出的字数计），不像绩效目标表；请在表格软件中打开，删去多余的空格和重复的\
                 单元格后另存再转换",
                a1(at.0, at.1),
                MAX_ODS_TEXT >> 20
            )));
        }
        Ok(total)
    };
    loop {
        let ev = match xml.read_event_into(&mut buf) {
            Ok(Event::Eof) | Err(_) => break,
            Ok(ev) => ev,
        };
        let empty_element = matches!(ev, Event::Empty(_));
        if let Some((c, n)) = cell {
            let added = match &ev {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "s" => e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "c")
                    .and_then(|a| {
                        let value = quick_xml::escape::unescape(&a.value).ok()?;
                        value.trim().parse::<u64>().ok()
                    })
                    .unwrap_or(1),
                Event::Start(e) | Event::Empty(e) => 1 + text_attributes(e),
                Event::Text(t) => t.len() as u64,
                Event::CData(t) => t.len() as u64,
                Event::GeneralRef(r) => r.len() as u64 + 2,
                _ => 0,
            };
            if added > 0 {
                cell_text = cell_text.saturating_add(added);
                check_text(&table, text, cell_text, (row, c), n, row_repeat)?;
            }
        }
        match ev {
            Event::Start(e) if e.local_name().as_ref() == "table" && cell.is_none() => {
                table = e
                    .attributes()
                    .flatten()
                    .find(|a| a.key.local_name().as_ref() == "name")
                    .map(|a| a.value.to_string())
                    .unwrap_or_default();
                extent = Extent::default();
                kept = 0;
                row = 0;
            }
            Event::End(e) if e.local_name().as_ref() == "table" && cell.is_none() => {
                finish_table(&table, &extent, far, kept)?;
            }
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "table-row" && cell.is_none() =>
            {
                row_repeat = repeat(&e, "number-rows-repeated");
                col = 0;
                row_end = None;
                if empty_element {
                    row = row.saturating_add(row_repeat);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "table-row" && cell.is_none() => {
                if let Some((c0, c1)) = row_end {
                    let last = row.saturating_add(row_repeat - 1);
                    extent.add(row, c0);
                    extent.add(last, c1.saturating_sub(1));
                    far = (last, c1.saturating_sub(1));
                    kept = kept.saturating_add(c1);
                    finish_table(&table, &extent, far, kept)?;
                }
                row = row.saturating_add(row_repeat);
            }
            Event::Start(e)
                if matches!(e.local_name().as_ref(), "table-cell" | "covered-table-cell")
                    && cell.is_none() =>
            {
                let n = repeat(&e, "number-columns-repeated");
                cell = Some((col, n));
                cell_has_content = has_value(&e);
                depth_in_cell = 0;
                cell_text = text_attributes(&e);
                check_text(&table, text, cell_text, (row, col), n, row_repeat)?;
            }
            Event::Empty(e)
                if matches!(e.local_name().as_ref(), "table-cell" | "covered-table-cell")
                    && cell.is_none() =>
            {
                let n = repeat(&e, "number-columns-repeated");
                text = check_text(&table, text, text_attributes(&e), (row, col), n, row_repeat)?;
                if has_value(&e) {
                    let end = col.saturating_add(n);
                    row_end = Some(row_end.map_or((col, end), |(c0, _)| (c0, end)));
                }
                col = col.saturating_add(n);
            }
            Event::Start(_) if cell.is_some() => {
                depth_in_cell += 1;
                cell_has_content = true;
            }
            Event::Text(t) if cell.is_some() && !t.trim().is_empty() => {
                cell_has_content = true;
            }
            Event::Empty(_) if cell.is_some() => cell_has_content = true,
            Event::End(_) if cell.is_some() && depth_in_cell > 0 => depth_in_cell -= 1,
            Event::End(_) if cell.is_some() => {
                let (c, n) = cell.take().unwrap_or((col, 1));
                text = check_text(&table, text, cell_text, (row, c), n, row_repeat)?;
                cell_text = 0;
                if cell_has_content {
                    let end = c.saturating_add(n);
                    row_end = Some(row_end.map_or((c, end), |(c0, _)| (c0, end)));
                }
                col = c.saturating_add(n);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

/// Bytes of the attributes of an ODS element that calamine copies into a cell: its string,
/// date and time values and its formula.
fn text_attributes(e: &quick_xml::events::BytesStart) -> u64 {
    e.attributes()
        .flatten()
        .filter(|a| {
            matches!(
                a.key.local_name().as_ref(),
                "string-value" | "date-value" | "time-value" | "formula"
            )
        })
        .map(|a| a.value.len() as u64)
        .sum()
}

/// xls: the Workbook stream's DIMENSIONS records (calamine reserves rows × columns cells for
/// them) and the bounding box of the cell records of each worksheet.
fn check_xls(bytes: &[u8]) -> Result<(), ExcelError> {
    let Some(stream) = cfb_workbook_stream(bytes)? else {
        return Ok(());
    };
    // The stream as laid out, substream by substream (each sheet's own limits); then each
    // sheet as calamine parses it: from the offset its BoundSheet8 record gives, records read
    // from there (an offset inside another record makes other records), nested substreams
    // skipped, to its EOF. Those sheets must fit together: many records naming the same or
    // odd offsets made calamine take 8 GB (found by fuzzing).
    let mut budget = stream.len().saturating_mul(16).saturating_add(1 << 20);
    let (bound_sheets, _) = scan_xls(&stream, 0, false, &mut budget)?;
    let mut seen = std::collections::HashMap::new();
    let mut total = 0u64;
    for pos in bound_sheets {
        let cost = match seen.get(&pos) {
            Some(&cost) => cost,
            None => {
                let (_, cost) = scan_xls(&stream, pos, true, &mut budget)?;
                seen.insert(pos, cost);
                cost
            }
        };
        total = total.saturating_add(cost);
        if total > MAX_CELLS {
            return Err(too_large(format!(
                "工作簿的各工作表合计声明或占用超过 {MAX_CELLS} 个单元格（文件被篡改或损坏）"
            )));
        }
    }
    Ok(())
}

/// Walks the records of an xls Workbook stream from `start`: the whole stream (`one_sheet`
/// false: every BOF starts a sheet, each checked against the limits), or one sheet as calamine
/// parses it (`one_sheet` true: nested substreams skipped, ending at its EOF). Returns the
/// BoundSheet8 offsets seen and the sheet's cost in cells (one sheet: the larger of its
/// DIMENSIONS and its cells' bounding box). `budget` bounds the bytes walked in all.
fn scan_xls(
    stream: &[u8],
    start: usize,
    one_sheet: bool,
    budget: &mut usize,
) -> Result<(Vec<usize>, u64), ExcelError> {
    let mut at = start;
    let mut depth = 0usize;
    let mut seen_bof = false;
    let mut cost = 0u64;
    let mut sheet = 0usize;
    let mut extent = Extent::default();
    let mut far = (0, 0);
    let name = |n: usize| {
        if one_sheet {
            format!("BoundSheet8 记录指向的工作表（流偏移 {start}）")
        } else {
            format!("第 {n} 个工作表")
        }
    };
    let mut bound_sheets: Vec<usize> = Vec::new();
    while at + 4 <= stream.len() {
        let typ = u16::from_le_bytes([stream[at], stream[at + 1]]);
        let len = usize::from(u16::from_le_bytes([stream[at + 2], stream[at + 3]]));
        let data = &stream[at + 4..(at + 4 + len).min(stream.len())];
        at += 4 + len;
        *budget = budget.checked_sub(4 + len).ok_or_else(|| {
            too_large(
                "xls 工作簿的工作表记录相互重叠、反复引用，结构异常（文件被篡改或损坏）".into(),
            )
        })?;
        if one_sheet {
            // As calamine: the first BOF is the sheet's own; a nested substream (an embedded
            // chart) is skipped to its EOF; the sheet's EOF ends it.
            match typ {
                0x0809 if !seen_bof => seen_bof = true,
                0x0809 => depth += 1,
                0x000A if depth > 0 => depth -= 1,
                0x000A => break,
                _ => {}
            }
            if depth > 0 {
                continue;
            }
        }
        let u16_at = |i: usize| {
            data.get(i..i + 2)
                .map(|b| u64::from(u16::from_le_bytes([b[0], b[1]])))
        };
        match typ {
            // BOF: a new substream; EOF ends it.
            0x0809 if !one_sheet => {
                extent.check(&name(sheet), far)?;
                extent = Extent::default();
                sheet += 1;
            }
            0x0200 => {
                // As calamine's parse_dimensions reads it, and as it then reserves: rows and
                // columns in u32 arithmetic that wraps (a first row after the last one makes
                // some four billion rows).
                let u32_at = |i: usize| {
                    data.get(i..i + 4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                };
                let u16_at = |i: usize| u16_at(i).map(|v| v as u32);
                let declared = match data.len() {
                    10 => u16_at(0).zip(u16_at(2)).zip(u16_at(4).zip(u16_at(6))),
                    14 | 16 => u32_at(0).zip(u32_at(4)).zip(u16_at(8).zip(u16_at(10))),
                    _ => None,
                };
                let (rows, cols) = match declared {
                    Some(((rf, rl), (cf, cl))) => {
                        let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
                        let (start, end) = if rl >= 1 && cl >= 1 {
                            ((rf, cf), (rl - 1, cl - 1))
                        } else {
                            ((rf, cf), (rf, cf))
                        };
                        (
                            u64::from(end.0.wrapping_sub(start.0).wrapping_add(1)),
                            u64::from(end.1.wrapping_sub(start.1).wrapping_add(1)),
                        )
                    }
                    None => (0, 0),
                };
                if rows.saturating_mul(cols) > MAX_CELLS {
                    return Err(too_large(format!(
                        "{}的 DIMENSIONS 记录声明有 {rows} 行 × {cols} 列，超出可读取的 {MAX_CELLS} 个单元格（文件被篡改或损坏）",
                        name(sheet)
                    )));
                }
                cost = cost.max(rows.saturating_mul(cols));
            }
            // BoundSheet8: the stream offset of a sheet calamine will parse.
            0x0085 => {
                if let Some(pos) = data.get(0..4) {
                    bound_sheets
                        .push(u32::from_le_bytes([pos[0], pos[1], pos[2], pos[3]]) as usize);
                }
            }
            // Cell records: row, column first.
            0x0203 | 0x0204 | 0x00FD | 0x027E | 0x0205 | 0x0006 | 0x00D6 | 0x0201 => {
                if let (Some(r), Some(c)) = (u16_at(0), u16_at(2))
                    && typ != 0x0201
                {
                    extent.add(r, c);
                    if r >= far.0 || c >= far.1 {
                        far = (r, c);
                    }
                }
            }
            // MULRK: row, first column, …, last column.
            0x00BD => {
                if let (Some(r), Some(c0)) = (u16_at(0), u16_at(2))
                    && data.len() >= 6
                {
                    let c1 = u16_at(data.len() - 2).unwrap_or(c0);
                    extent.add(r, c0);
                    extent.add(r, c1.max(c0));
                    far = (r, c1.max(c0));
                }
            }
            _ => {}
        }
    }
    extent.check(&name(sheet), far)?;
    let (rows, cols) = extent.size();
    Ok((bound_sheets, cost.max(rows.saturating_mul(cols))))
}

/// The `Workbook` (or `Book`) stream of a Compound File, read the way calamine reads it.
/// `None` when calamine stops on the container by itself (with an error it returns or a panic
/// the reader contains); an error when calamine would follow a sector chain for ever.
fn cfb_workbook_stream(bytes: &[u8]) -> Result<Option<Vec<u8>>, ExcelError> {
    match CalamineCfb::workbook_stream(bytes) {
        Walk::Cycle => Err(ExcelError::Corrupt {
            kind: Kind::Xls,
            // calamine follows such a chain without a bound, allocating as it goes.
            detail: "复合文档的扇区链首尾相接（循环），文件已损坏".into(),
        }),
        Walk::Stops => Ok(None),
        Walk::Ends(stream) => Ok(Some(stream)),
    }
}

/// How following one sector chain ends, as calamine would follow it.
enum Walk {
    /// It reaches its end (or its declared length): the bytes read.
    Ends(Vec<u8>),
    /// calamine stops on it by itself: an error it returns or a panic the reader contains.
    Stops,
    /// It never ends: more steps than the file has sectors.
    Cycle,
}

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const RESERVED_SECTORS: u32 = 0xFFFF_FFFA;
const DIFSECT: u32 = 0xFFFF_FFFC;

/// A Compound File (MS-CFB) as calamine 0.38's `cfb.rs` reads it — the same sector sizes, the
/// same FAT built from the same DIFAT, the same stopping rules — so that a chain it would
/// follow for ever is seen before it is handed the bytes. Reading it any other way (the
/// specification's way) can see a different FAT than calamine does and miss its loop.
struct CalamineCfb<'a> {
    bytes: &'a [u8],
    size: usize,
    /// calamine's `maxid`: the file length over the sector size; a larger id is an error.
    maxid: usize,
    fat: Vec<u32>,
    /// The length of calamine's buffer of sectors read so far (see [`CalamineCfb::sector`]).
    data_len: std::cell::Cell<usize>,
}

impl<'a> CalamineCfb<'a> {
    fn workbook_stream(bytes: &'a [u8]) -> Walk {
        let Some(cfb) = Self::open(bytes) else {
            return Walk::Stops;
        };
        let dirs = match cfb.chain(read_u32(bytes, 0x30), usize::MAX) {
            Walk::Ends(d) => d,
            other => return other,
        };
        let entries: Vec<(String, u32, usize)> = dirs
            .chunks_exact(128)
            .map(|e| {
                let units: Vec<u16> = e[..64]
                    .chunks_exact(2)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]))
                    .take_while(|&u| u != 0)
                    .collect();
                let start = u32::from_le_bytes([e[116], e[117], e[118], e[119]]);
                let len = if cfb.size == 512 {
                    u32::from_le_bytes([e[120], e[121], e[122], e[123]]) as usize
                } else {
                    let mut b = [0u8; 8];
                    b.copy_from_slice(&e[120..128]);
                    usize::try_from(u64::from_le_bytes(b)).unwrap_or(usize::MAX)
                };
                (String::from_utf16_lossy(&units), start, len)
            })
            .collect();
        let Some(&(_, root_start, root_len)) = entries.first() else {
            return Walk::Stops;
        };
        let mini_fat_len = read_u32(bytes, 0x40) as usize;
        let (mini_stream, mini_fat) = if mini_fat_len > 0 {
            let stream = match cfb.chain(root_start, root_len) {
                Walk::Ends(s) => s,
                other => return other,
            };
            let fat = match cfb.chain(read_u32(bytes, 0x3C), mini_fat_len.saturating_mul(cfb.size))
            {
                Walk::Ends(f) => f,
                other => return other,
            };
            (stream, words(&fat))
        } else {
            (Vec::new(), Vec::new())
        };
        let find = |name: &str| {
            entries
                .iter()
                .find(|(n, _, _)| n.eq_ignore_ascii_case(name))
                .map(|&(_, start, len)| (start, len))
        };
        let Some((start, len)) = find("Workbook").or_else(|| find("Book")) else {
            return Walk::Stops;
        };
        if len >= 4096 {
            return cfb.chain(start, len);
        }
        // A small stream: 64-byte mini sectors of the mini stream, chained by the mini FAT.
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != ENDOFCHAIN && out.len() < len {
            steps += 1;
            if steps > mini_fat.len() + 1 {
                return Walk::Cycle;
            }
            let from = id as usize * 64;
            let Some(sector) = mini_stream.get(from..from + 64) else {
                return Walk::Stops;
            };
            out.extend_from_slice(&sector[..64.min(len - out.len())]);
            let Some(&next) = mini_fat.get(id as usize) else {
                break;
            };
            id = next;
        }
        Walk::Ends(out)
    }

    /// The header, the DIFAT and the FAT; `None` where calamine returns an error or panics.
    fn open(bytes: &'a [u8]) -> Option<Self> {
        if bytes.len() < 512 || bytes[..8] != *b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" {
            return None;
        }
        let size = match u16::from_le_bytes([bytes[30], bytes[31]]) {
            9 => 512,
            12 => 4096,
            _ => return None,
        };
        if bytes.len() < size {
            // calamine reads the rest of a 4,096-byte header with read_exact.
            return None;
        }
        let mut cfb = CalamineCfb {
            bytes,
            size,
            maxid: bytes.len() / size,
            fat: Vec::new(),
            data_len: std::cell::Cell::new(0),
        };
        let mut difat = words(&bytes[76..512]);
        let mut id = read_u32(bytes, 0x44);
        let mut steps = 0usize;
        while id < RESERVED_SECTORS {
            steps += 1;
            if steps > cfb.maxid.saturating_add(1) {
                return None;
            }
            difat.extend(words(whole_words(&cfb.sector(id)?)?));
            id = difat.pop()?;
        }
        let mut fat = Vec::new();
        for id in difat.into_iter().filter(|&id| id < DIFSECT) {
            fat.extend(words(whole_words(&cfb.sector(id)?)?));
        }
        cfb.fat = fat;
        Some(cfb)
    }

    /// Sector `id` as calamine's `Sectors::get` returns it: `None` for an id past `maxid` (an
    /// error) or one it cannot slice (a panic). calamine keeps the sectors read so far in one
    /// buffer that it grows to the end of each sector asked for, filled from the file as far as
    /// the file goes and with zeros beyond: a sector first asked for across the end of the file
    /// comes back cut short at what was read, and whole (zero-padded) ever after. `data_len`
    /// is that buffer's length.
    fn sector(&self, id: u32) -> Option<Cow<'a, [u8]>> {
        if id as usize > self.maxid {
            return None;
        }
        let file = self.bytes.get(self.size..).unwrap_or_default();
        let start = id as usize * self.size;
        let end = start + self.size;
        let buffered = self.data_len.get();
        let available = if end > buffered {
            self.data_len.set(end);
            // Reading resumes where the buffer ended; past the end of the file it reads nothing.
            if buffered >= file.len() {
                buffered
            } else {
                end.min(file.len())
            }
        } else {
            end
        };
        if available < start {
            return None;
        }
        let from_file = file
            .get(start..available.min(file.len()))
            .unwrap_or_default();
        if from_file.len() == available - start {
            Some(Cow::Borrowed(from_file))
        } else {
            let mut padded = from_file.to_vec();
            padded.resize(available - start, 0);
            Some(Cow::Owned(padded))
        }
    }

    /// calamine's `get_chain`: sectors from `start` through the FAT until the end of the
    /// chain or `len` bytes, whichever comes first.
    fn chain(&self, start: u32, len: usize) -> Walk {
        let mut out = Vec::new();
        let mut id = start;
        let mut steps = 0usize;
        while id != ENDOFCHAIN {
            steps += 1;
            if steps > self.maxid.saturating_add(2) {
                return Walk::Cycle;
            }
            let Some(sector) = self.sector(id) else {
                return Walk::Stops;
            };
            let take = sector.len().min(len - out.len());
            out.extend_from_slice(&sector[..take]);
            if out.len() >= len {
                break;
            }
            match self.fat.get(id as usize) {
                Some(&next) => id = next,
                None => return Walk::Stops,
            }
        }
        Walk::Ends(out)
    }
}

fn read_u32(bytes: &[u8], at: usize) -> u32 {
    bytes
        .get(at..at + 4)
        .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// calamine's `to_u32` asserts that a FAT or DIFAT sector holds whole words (a panic the
/// reader contains).
fn whole_words(bytes: &[u8]) -> Option<&[u8]> {
    bytes.len().is_multiple_of(4).then_some(bytes)
}

fn words(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(a1(1_048_575, 16_383), "XFD1048576");
        assert_eq!(a1(6, 27), "AB7");
    }
}
