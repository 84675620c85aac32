//! Number formats of `.xls` cells, read from the BIFF8 `Workbook` stream.
//!
//! calamine reads the values of an .xls but keeps the number formats private, so a cell that
//! Excel shows as `100%` would read as `1`. This module reads just what is needed to show the
//! value as Excel does: the FORMAT records (format codes by number), the XF records (each cell
//! style's format number) of the workbook globals, and each numeric cell's XF index (NUMBER,
//! RK, MULRK, FORMULA records) of each worksheet. The codes then go through the same
//! [`crate::format`] rendering as the xlsx path.
//!
//! Records are read defensively: a record running past the end of the stream, an offset
//! outside it or an unknown record ends the reading of that part, never a panic; an encrypted
//! workbook (FILEPASS) gives no formats at all. Built-in formats that a file does not spell out
//! (numbers 0–49) are the codes Excel uses for them, dates in the Chinese system's short form.

use std::collections::HashMap;
use std::io::{Cursor, Read};

/// The largest Workbook stream read (a bigger .xls is read without its formats).
pub const MAX_STREAM_BYTES: u64 = 256 << 20;

/// Format codes of the numeric cells of one worksheet, by 0-based (row, column).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SheetFormats {
    cells: HashMap<(u32, u32), u16>,
}

/// The number formats of an .xls workbook: the format code of every numeric cell, by sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct XlsFormats {
    /// Format codes by format number (FORMAT records and the built-ins).
    codes: HashMap<u16, String>,
    /// Each XF record's format number, in XF order.
    xf_formats: Vec<u16>,
    /// Per worksheet name: each numeric cell's XF index.
    sheets: HashMap<String, SheetFormats>,
}

impl XlsFormats {
    /// The format code of a numeric cell (0-based row and column) of a sheet; `None` for a
    /// cell without a number or with the General format.
    pub fn code(&self, sheet: &str, row: u32, col: u32) -> Option<&str> {
        let xf = *self.sheets.get(sheet)?.cells.get(&(row, col))?;
        let ifmt = *self.xf_formats.get(usize::from(xf))?;
        let code = self
            .codes
            .get(&ifmt)
            .map(String::as_str)
            .or(builtin(ifmt))?;
        (!code.eq_ignore_ascii_case("general")).then_some(code)
    }

    /// True when the workbook holds a sheet of that name.
    pub fn has_sheet(&self, sheet: &str) -> bool {
        self.sheets.contains_key(sheet)
    }
}

/// Excel's built-in number formats (those a file need not spell out), as Chinese Excel shows
/// them.
///
/// ```
/// assert_eq!(jixiao_excel::xls_format::builtin(9), Some("0%"));
/// assert_eq!(jixiao_excel::xls_format::builtin(14), Some("yyyy/m/d"));
/// assert_eq!(jixiao_excel::xls_format::builtin(0), Some("General"));
/// ```
pub fn builtin(ifmt: u16) -> Option<&'static str> {
    Some(match ifmt {
        0 => "General",
        1 => "0",
        2 => "0.00",
        3 => "#,##0",
        4 => "#,##0.00",
        9 => "0%",
        10 => "0.00%",
        11 => "0.00E+00",
        12 => "# ?/?",
        13 => "# ??/??",
        14 => "yyyy/m/d",
        15 => "d-mmm-yy",
        16 => "d-mmm",
        17 => "mmm-yy",
        18 => "h:mm AM/PM",
        19 => "h:mm:ss AM/PM",
        20 => "h:mm",
        21 => "h:mm:ss",
        22 => "yyyy/m/d h:mm",
        37 => "#,##0 ;(#,##0)",
        38 => "#,##0 ;[Red](#,##0)",
        39 => "#,##0.00;(#,##0.00)",
        40 => "#,##0.00;[Red](#,##0.00)",
        45 => "mm:ss",
        46 => "[h]:mm:ss",
        47 => "mmss.0",
        48 => "##0.0E+0",
        49 => "@",
        _ => return None,
    })
}

/// Reads the number formats of an .xls (a Compound File with a `Workbook` or `Book` stream).
/// `None` when the file is no such workbook, is encrypted, or its stream cannot be read; the
/// caller then shows numbers in the General form and says so (I312).
pub fn read(bytes: &[u8]) -> Option<XlsFormats> {
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).ok()?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))?;
    let stream = cfb.open_stream(name).ok()?;
    if stream.len() > MAX_STREAM_BYTES {
        return None;
    }
    let mut data = Vec::with_capacity(stream.len() as usize);
    stream.take(MAX_STREAM_BYTES).read_to_end(&mut data).ok()?;
    parse(&data)
}

/// One BIFF record: its type and its data.
struct Records<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let head = self.data.get(self.at..self.at + 4)?;
        let typ = u16::from_le_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_le_bytes([head[2], head[3]]));
        let body = self.data.get(self.at + 4..self.at + 4 + len)?;
        self.at += 4 + len;
        Some((typ, body))
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

/// A BIFF8 string of `cch` characters starting with its flags byte at `at`.
fn unicode(b: &[u8], at: usize, cch: usize) -> Option<String> {
    let flags = *b.get(at)?;
    let mut pos = at + 1;
    if flags & 0x08 != 0 {
        pos += 2; // rich text run count
    }
    if flags & 0x04 != 0 {
        pos += 4; // extended (phonetic) data size
    }
    if flags & 0x01 != 0 {
        let raw = b.get(pos..pos + 2 * cch)?;
        let units: Vec<u16> = raw
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        Some(String::from_utf16_lossy(&units))
    } else {
        // Compressed: the low bytes of UTF-16 code units (Latin-1).
        Some(
            b.get(pos..pos + cch)?
                .iter()
                .map(|&c| char::from(c))
                .collect(),
        )
    }
}

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const FILEPASS: u16 = 0x002F;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const BOUNDSHEET: u16 = 0x0085;
const NUMBER: u16 = 0x0203;
const RK: u16 = 0x027E;
const MULRK: u16 = 0x00BD;
const FORMULA: u16 = 0x0006;

/// Parses a Workbook stream.
pub fn parse(data: &[u8]) -> Option<XlsFormats> {
    let mut formats = XlsFormats::default();
    let mut sheets: Vec<(String, usize)> = Vec::new();
    let mut records = Records { data, at: 0 };
    let (typ, bof) = records.next()?;
    // BIFF8 only: version 0x0600.
    if typ != BOF || u16_at(bof, 0)? != 0x0600 {
        return None;
    }
    for (typ, body) in records {
        match typ {
            EOF => break,
            FILEPASS => return None,
            FORMAT => {
                let ifmt = u16_at(body, 0)?;
                let cch = usize::from(u16_at(body, 2)?);
                if let Some(code) = unicode(body, 4, cch) {
                    formats.codes.insert(ifmt, code);
                }
            }
            XF => formats.xf_formats.push(u16_at(body, 2)?),
            BOUNDSHEET => {
                let offset = u32_at(body, 0)? as usize;
                let kind = *body.get(5)?;
                let cch = usize::from(*body.get(6)?);
                if kind == 0
                    && let Some(name) = unicode(body, 7, cch)
                {
                    sheets.push((name, offset));
                }
            }
            _ => {}
        }
    }
    for (name, offset) in sheets {
        formats.sheets.insert(name, sheet(data, offset));
    }
    Some(formats)
}

/// The XF index of every numeric cell of the worksheet whose BOF is at `offset`.
fn sheet(data: &[u8], offset: usize) -> SheetFormats {
    let mut out = SheetFormats::default();
    let mut records = Records { data, at: offset };
    if !matches!(records.next(), Some((BOF, _))) {
        return out;
    }
    let mut depth = 0usize;
    for (typ, body) in records {
        match typ {
            // An embedded substream (a chart object) has its own BOF..EOF.
            BOF => depth += 1,
            EOF if depth == 0 => break,
            EOF => depth -= 1,
            NUMBER | RK | FORMULA if depth == 0 => {
                if let (Some(r), Some(c), Some(xf)) =
                    (u16_at(body, 0), u16_at(body, 2), u16_at(body, 4))
                {
                    out.cells.insert((u32::from(r), u32::from(c)), xf);
                }
            }
            MULRK if depth == 0 => {
                let (Some(r), Some(first)) = (u16_at(body, 0), u16_at(body, 2)) else {
                    continue;
                };
                // (ixfe, rk) pairs of 6 bytes between the 4-byte head and the 2-byte tail.
                let pairs = body.len().saturating_sub(6) / 6;
                for k in 0..pairs {
                    if let Some(xf) = u16_at(body, 4 + 6 * k) {
                        out.cells
                            .insert((u32::from(r), u32::from(first) + k as u32), xf);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, body: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((body.len() as u16).to_le_bytes());
        out.extend(body);
        out
    }

    fn format(ifmt: u16, code: &str) -> Vec<u8> {
        let mut body = ifmt.to_le_bytes().to_vec();
        body.extend((code.encode_utf16().count() as u16).to_le_bytes());
        body.push(1);
        body.extend(code.encode_utf16().flat_map(u16::to_le_bytes));
        record(FORMAT, &body)
    }

    fn xf(ifmt: u16) -> Vec<u8> {
        let mut body = vec![0, 0];
        body.extend(ifmt.to_le_bytes());
        body.extend([0; 16]);
        record(XF, &body)
    }

    fn cell(typ: u16, r: u16, c: u16, xf: u16, rest: &[u8]) -> Vec<u8> {
        let mut body = r.to_le_bytes().to_vec();
        body.extend(c.to_le_bytes());
        body.extend(xf.to_le_bytes());
        body.extend(rest);
        record(typ, &body)
    }

    /// A workbook stream: globals with the given formats and XFs, one sheet with the cells.
    fn stream(globals: &[Vec<u8>], name: &str, cells: &[Vec<u8>]) -> Vec<u8> {
        let bof = record(BOF, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0]);
        let mut head = bof.clone();
        for g in globals {
            head.extend(g);
        }
        let boundsheet_len = 4 + 8 + name.encode_utf16().count() * 2;
        let offset = head.len() + boundsheet_len + 4;
        let mut bs = (offset as u32).to_le_bytes().to_vec();
        bs.extend([0, 0, name.encode_utf16().count() as u8, 1]);
        bs.extend(name.encode_utf16().flat_map(u16::to_le_bytes));
        head.extend(record(BOUNDSHEET, &bs));
        head.extend(record(EOF, &[]));
        assert_eq!(head.len(), offset);
        head.extend(record(BOF, &[0x00, 0x06, 0x10, 0x00, 0, 0, 0, 0]));
        for c in cells {
            head.extend(c);
        }
        head.extend(record(EOF, &[]));
        head
    }

    #[test]
    fn cells_get_their_format_codes() {
        let globals = [
            format(164, "0.0%"),
            format(165, "0.00\"万元\""),
            xf(0),
            xf(9),
            xf(164),
            xf(2),
            xf(165),
            xf(3),
        ];
        let cells = [
            cell(NUMBER, 0, 0, 1, &1.0f64.to_le_bytes()),
            cell(RK, 1, 0, 2, &[0; 4]),
            cell(NUMBER, 2, 3, 0, &[0; 8]),
            {
                // MULRK on row 3, columns 1..=3: XF 3, 4, 5.
                let mut body = 3u16.to_le_bytes().to_vec();
                body.extend(1u16.to_le_bytes());
                for x in [3u16, 4, 5] {
                    body.extend(x.to_le_bytes());
                    body.extend([0; 4]);
                }
                body.extend(3u16.to_le_bytes());
                record(MULRK, &body)
            },
        ];
        let f = parse(&stream(&globals, "项目表", &cells)).unwrap();
        assert!(f.has_sheet("项目表"));
        assert_eq!(f.code("项目表", 0, 0), Some("0%"));
        assert_eq!(f.code("项目表", 1, 0), Some("0.0%"));
        assert_eq!(f.code("项目表", 2, 3), None, "General");
        assert_eq!(f.code("项目表", 3, 1), Some("0.00"));
        assert_eq!(f.code("项目表", 3, 2), Some("0.00\"万元\""));
        assert_eq!(f.code("项目表", 3, 3), Some("#,##0"));
        assert_eq!(f.code("项目表", 9, 9), None);
        assert_eq!(f.code("别的表", 0, 0), None);
    }

    #[test]
    fn encrypted_or_foreign_streams_give_nothing() {
        let enc = stream(&[record(FILEPASS, &[0; 6])], "S", &[]);
        assert_eq!(parse(&enc), None);
        assert_eq!(parse(b""), None);
        assert_eq!(
            parse(&record(BOF, &[0x00, 0x05, 0x05, 0x00])),
            None,
            "BIFF5"
        );
        assert_eq!(read(b"not a compound file"), None);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_damaged_streams(cut in 0usize..400, flip in 0usize..400, byte: u8) {
            let globals = [format(164, "0.0%"), xf(164), xf(9)];
            let cells = [cell(NUMBER, 0, 0, 1, &[0; 8]), cell(RK, 5, 5, 0, &[0; 4])];
            let mut s = stream(&globals, "表", &cells);
            if flip < s.len() {
                s[flip] = byte;
            }
            s.truncate(cut.min(s.len()));
            let _ = parse(&s);
        }
    }
}
