//! Decoding text files as offices produce them: UTF-8 (with or without BOM), UTF-16 and
//! UTF-32 (with or without BOM), GB18030 (GBK/GB2312) from Windows machines, and Big5 from
//! Hong Kong, Macao and Taiwan, or from a machine set up for Traditional Chinese.
//!
//! Telling GBK from Big5 is statistics, not byte rules (almost every byte pair is valid in
//! both); that is left to `chardetng`, the detector Firefox uses, and only for bytes that are
//! valid Big5 and not valid UTF-8.

use encoding_rs::{BIG5, Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

/// Why bytes could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// Nothing in the file.
    #[error("文件为空")]
    Empty,
    /// Only whitespace in the file.
    #[error("文件只有空白，没有内容")]
    Blank,
    /// Not text in any encoding we know (binary data).
    #[error(
        "不是文本文件（含有二进制数据，或编码不是 UTF-8、UTF-16、UTF-32、GB18030（GBK）、Big5 中的任何一种）"
    )]
    Binary,
}

/// Decoded text and the encoding it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM. Line endings are `\n` or `\r\n`: a lone carriage return (old
    /// Mac files, some OCR exports) is read as `\n`. Damaged bytes are U+FFFD (see `damage`).
    pub text: String,
    /// The encoding's name, e.g. `UTF-8`, `GB18030`.
    pub encoding: &'static str,
    /// Where bytes that are not valid in the encoding (a file cut inside a character, a stray
    /// 0xFF) or NUL bytes were replaced by U+FFFD, in file order. Empty for a clean file.
    pub damage: Vec<Damage>,
}

/// One place where the decoder replaced damaged bytes with U+FFFD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Damage {
    /// Line of the decoded text, from 1.
    pub line: u32,
    /// Column in characters, from 1.
    pub column: u32,
    /// The bytes replaced (at most 8 kept; a NUL is `[0]`).
    pub bytes: Vec<u8>,
}

impl Damage {
    /// The bytes as hex for a message, e.g. `0xE4 0xBD`.
    pub fn hex(&self) -> String {
        self.bytes
            .iter()
            .map(|b| format!("0x{b:02X}"))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Decodes a text file: BOM first, then UTF-8, then GB18030. A file that is UTF-8 (or GB18030)
/// apart from a few damaged bytes — cut inside a character, a stray 0xFF or NUL — is decoded
/// with those bytes replaced by U+FFFD and each place listed in [`Decoded::damage`]; bytes
/// that are mostly not text are [`DecodeError::Binary`].
///
/// # Errors
/// [`DecodeError::Empty`] for no bytes, [`DecodeError::Blank`] for whitespace only,
/// [`DecodeError::Binary`] for binary data.
///
/// # Errors
///
/// [`DecodeError::Empty`] or [`DecodeError::Blank`] for a file with no content,
/// [`DecodeError::Binary`] when the bytes are text in no encoding the reader knows.
///
/// ```
/// use jixiao_grid::text::decode;
/// let (gbk, _, _) = encoding_rs::GB18030.encode("预算单位");
/// assert_eq!(decode(&gbk).unwrap().text, "预算单位");
/// assert_eq!(decode(&gbk).unwrap().encoding, "gb18030");
/// // Cut inside the last character: the rest is kept, the place is named.
/// let cut = &"一级指标\n产出指标".as_bytes()[..24];
/// let d = decode(cut).unwrap();
/// assert_eq!(d.text, "一级指标\n产出指\u{FFFD}");
/// assert_eq!((d.damage[0].line, d.damage[0].column), (2, 4));
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    // Before the UTF-16 BOM: `FF FE 00 00` is UTF-32's.
    if let Some((order, bom_len)) = utf32(bytes) {
        return decode_utf32(&bytes[bom_len..], order);
    }
    let (encoding, bom_len): (&'static Encoding, usize) = match Encoding::for_bom(bytes) {
        Some((enc, len)) => (enc, len),
        None => {
            // UTF-16 first: text in it has NUL bytes (the high byte of every ASCII unit, of a
            // line break), and ASCII text in UTF-16 is also valid UTF-8 (NULs and all).
            if let Some(enc) = utf16_without_bom(bytes) {
                (enc, 0)
            } else if std::str::from_utf8(bytes).is_ok() || mostly_utf8(bytes) {
                (UTF_8, 0)
            } else if big5(bytes) {
                // Before the GB18030 noise test: Big5's trail bytes 40–7E fall outside GB2312.
                (BIG5, 0)
            } else if mostly_rare_gb18030(bytes) {
                return Err(DecodeError::Binary);
            } else {
                (GB18030, 0)
            }
        }
    };
    lossy(&bytes[bom_len..], encoding)
}

/// [`decode`], taking the bytes: a file in UTF-8 without BOM (the usual case) becomes its text
/// in place, without a copy, so a large text is never held twice. Every other file is decoded
/// as [`decode`] decodes it; the result is the same either way.
///
/// # Errors
///
/// As [`decode`].
///
/// ```
/// use jixiao_grid::text::{decode, decode_owned};
/// let bytes = "一级指标\t二级指标\n".as_bytes().to_vec();
/// assert_eq!(decode_owned(bytes.clone()).unwrap(), decode(&bytes).unwrap());
/// ```
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    if bytes.is_empty()
        || utf32(&bytes).is_some()
        || Encoding::for_bom(&bytes).is_some()
        || utf16_without_bom(&bytes).is_some()
    {
        return decode(&bytes);
    }
    match String::from_utf8(bytes) {
        // What `lossy` makes of valid UTF-8: the same text, nothing replaced.
        Ok(text) => finish(text, Vec::new(), 0, encoding_name(UTF_8)),
        Err(e) => decode(e.as_bytes()),
    }
}

/// True when bytes that are not valid UTF-8 still read as UTF-8 with a few damaged places:
/// there are multi-byte UTF-8 characters and the damaged places are few beside them, or the
/// text is ASCII apart from a stray byte or two (per 100).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let mut multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    // A short GBK text can hold a few byte pairs that happen to be UTF-8: a handful of
    // damaged places counts as damaged UTF-8 only when the bytes are not GB18030 either.
    let not_gb18030 = || {
        GB18030
            .decode_without_bom_handling_and_without_replacement(bytes)
            .is_none()
    };
    if multibyte > 0 {
        invalid * 10 <= multibyte || (invalid <= FEW_DAMAGED && not_gb18030())
    } else {
        // No multi-byte character at all: GB18030 gets its chance unless it fails too.
        not_gb18030() && (invalid <= FEW_DAMAGED || invalid * 100 <= bytes.len())
    }
}

/// True when bytes read as GB18030 would be mostly characters a Chinese text hardly uses.
///
/// Almost any run of bytes with the high bit set is valid GB18030, so decoding alone cannot
/// tell noise from text. But a text in GBK or GB18030 writes nearly all of its characters
/// from the GB2312 area (lead byte A1–F7, trail byte A1–FE: the 7,445 common characters and
/// symbols); random bytes fall outside it about half the time (extension and user-defined
/// areas, four-byte codes). More than one character in five outside it, and more than a few,
/// is not a text.
fn mostly_rare_gb18030(bytes: &[u8]) -> bool {
    let (mut common, mut rare) = (0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        let lead = bytes[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        match bytes.get(i + 1) {
            Some(&trail) if (0xA1..=0xF7).contains(&lead) && (0xA1..=0xFE).contains(&trail) => {
                common += 1;
                i += 2;
            }
            Some(0x30..=0x39) => {
                rare += 1;
                i += 4;
            }
            _ => {
                rare += 1;
                i += 2;
            }
        }
    }
    rare > FEW_DAMAGED && rare * 5 > common + rare
}

/// So many damaged places are always a damaged text, however short (a file cut inside its
/// last character, a stray byte or two): the ratios that tell binary data from text apply
/// beyond them.
const FEW_DAMAGED: usize = 4;

/// Decodes with replacement, recording where; then the binary and blank checks.
fn lossy(bytes: &[u8], encoding: &'static Encoding) -> Result<Decoded, DecodeError> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len().saturating_mul(3));
    let mut text = String::with_capacity(capacity.min(bytes.len().saturating_mul(3) + 16));
    let mut damage = Vec::new();
    let mut place = Place::default();
    let mut rest = bytes;
    let mut replaced = 0usize;
    loop {
        let before = text.len();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        place.advance(&text[before..]);
        match result {
            encoding_rs::DecoderResult::InputEmpty => break,
            encoding_rs::DecoderResult::OutputFull => {
                text.reserve(rest.len().saturating_mul(3) + 16);
            }
            encoding_rs::DecoderResult::Malformed(bad, pending) => {
                // The bad bytes end `pending` bytes before `read`.
                let end = read.saturating_sub(pending as usize);
                let start = end.saturating_sub(bad as usize);
                replaced += 1;
                if damage.len() < MAX_DAMAGE {
                    damage.push(Damage {
                        line: place.line,
                        column: place.column,
                        bytes: rest[start..end].iter().copied().take(8).collect(),
                    });
                }
                text.push('\u{FFFD}');
                place.advance("\u{FFFD}");
            }
        }
        rest = &rest[read..];
    }
    finish(text, damage, replaced, encoding_name(encoding))
}

/// The checks every decoded text passes, whatever its encoding: more damage than text, NULs and
/// lone CRs, control characters, blankness.
fn finish(
    text: String,
    mut damage: Vec<Damage>,
    replaced: usize,
    encoding: &'static str,
) -> Result<Decoded, DecodeError> {
    // More damage than text: not a damaged text file but something else.
    if replaced > FEW_DAMAGED && replaced * 20 > text.chars().count().max(1) {
        return Err(DecodeError::Binary);
    }
    let text = repair_nul_and_cr(text, &mut damage);
    if looks_binary(&text) {
        return Err(DecodeError::Binary);
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Blank);
    }
    damage.sort_by_key(|d| (d.line, d.column));
    Ok(Decoded {
        text,
        encoding,
        damage,
    })
}

/// At most this many damaged places are listed; the count of the rest is not needed to
/// find the file's problem.
const MAX_DAMAGE: usize = 100;

/// Line and column (in characters, from 1) reached in the decoded text.
#[derive(Debug, Clone, Copy)]
struct Place {
    line: u32,
    column: u32,
}

impl Default for Place {
    fn default() -> Self {
        Place { line: 1, column: 1 }
    }
}

impl Place {
    fn advance(&mut self, text: &str) {
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' => {
                    self.line = self.line.saturating_add(1);
                    self.column = 1;
                }
                // A lone CR is a line break too (see `repair_nul_and_cr`).
                '\r' if chars.peek() != Some(&'\n') => {
                    self.line = self.line.saturating_add(1);
                    self.column = 1;
                }
                '\r' => {}
                _ => self.column = self.column.saturating_add(1),
            }
        }
    }
}

/// NUL bytes become U+FFFD (listed as damage) unless the text is binary; a lone CR becomes
/// `\n`. One pass, positions counted as in [`Place`].
fn repair_nul_and_cr(text: String, damage: &mut Vec<Damage>) -> String {
    if !text.contains(['\0', '\r']) {
        return text;
    }
    let nul = text.bytes().filter(|&b| b == 0).count();
    // Many NULs mean binary (or UTF-16 without BOM that detection missed): leave them for
    // `looks_binary`.
    if nul > FEW_DAMAGED && nul * 100 > text.len() {
        return text;
    }
    let mut out = String::with_capacity(text.len() + nul * 2);
    let mut place = Place::default();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\0' => {
                if damage.len() < MAX_DAMAGE {
                    damage.push(Damage {
                        line: place.line,
                        column: place.column,
                        bytes: vec![0],
                    });
                }
                out.push('\u{FFFD}');
                place.column = place.column.saturating_add(1);
            }
            '\r' if chars.peek() != Some(&'\n') => {
                out.push('\n');
                place.line = place.line.saturating_add(1);
                place.column = 1;
            }
            '\r' => out.push('\r'),
            '\n' => {
                out.push('\n');
                place.line = place.line.saturating_add(1);
                place.column = 1;
            }
            c => {
                out.push(c);
                place.column = place.column.saturating_add(1);
            }
        }
    }
    out
}

/// Decodes a text file whose producer declared an encoding (an HTML `<meta charset>`, an XML
/// declaration). A BOM still wins; a declared GB2312/GBK/GB18030 is read as GB18030 (its
/// superset); a declared UTF-16 (which a `<meta>` cannot honestly declare) or an unknown label is
/// ignored. Bytes that are valid UTF-8, or not valid in the declared encoding, are read by
/// [`decode`]'s detection instead — compare [`Decoded::encoding`] with the label to tell.
///
/// # Errors
///
/// As [`decode`].
///
/// ```
/// use jixiao_grid::text::decode_with_label;
/// let (gbk, _, _) = encoding_rs::GB18030.encode("<p>预算单位</p>");
/// let page = decode_with_label(&gbk, Some("gb2312")).unwrap();
/// assert_eq!((page.text.as_str(), page.encoding), ("<p>预算单位</p>", "gb18030"));
/// // Declared UTF-8 but really GBK: detection reads it anyway.
/// assert_eq!(decode_with_label(&gbk, Some("utf-8")).unwrap().encoding, "gb18030");
/// ```
///
/// # Errors
/// As [`decode`].
pub fn decode_with_label(bytes: &[u8], label: Option<&str>) -> Result<Decoded, DecodeError> {
    let declared = label.and_then(|l| Encoding::for_label(l.trim().as_bytes()));
    let encoding = match declared {
        Some(enc) if enc == UTF_16LE || enc == UTF_16BE => return decode(bytes),
        Some(enc) if enc == encoding_rs::GBK || enc == GB18030 => GB18030,
        Some(enc) => enc,
        None => return decode(bytes),
    };
    // Valid UTF-8 is almost never GBK text by accident, but a page re-saved as UTF-8 often
    // keeps its old `charset=gb2312`.
    if bytes.is_empty() || Encoding::for_bom(bytes).is_some() || std::str::from_utf8(bytes).is_ok()
    {
        return decode(bytes);
    }
    if encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
    {
        lossy(bytes, encoding)
    } else {
        decode(bytes)
    }
}

fn encoding_name(encoding: &'static Encoding) -> &'static str {
    match encoding {
        e if e == UTF_8 => "UTF-8",
        e if e == UTF_16LE => "UTF-16LE",
        e if e == UTF_16BE => "UTF-16BE",
        e if e == GB18030 => "gb18030",
        e => e.name(),
    }
}

/// Byte order of UTF-32 text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Order {
    Little,
    Big,
}

/// UTF-32 by its BOM (`FF FE 00 00`, `00 00 FE FF`), or without one when the text breaks lines
/// (U+000A) and every four bytes are a value below U+110000 — bytes no other encoding gives —
/// apart from a few (one in a hundred) and a last unit cut short, read as damage. Returns the byte order and
/// the BOM's length.
fn utf32(bytes: &[u8]) -> Option<(Order, usize)> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return Some((Order::Little, 4));
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Some((Order::Big, 4));
    }
    if bytes.len() < 8 {
        return None;
    }
    [Order::Little, Order::Big].into_iter().find_map(|order| {
        // A unit past U+10FFFF is foreign to UTF-32 (a surrogate is only damaged).
        let (mut units, mut foreign, mut breaks) = (0usize, 0usize, 0usize);
        for u in bytes.chunks_exact(4).map(|u| unit32(u, order)) {
            units += 1;
            foreign += usize::from(u > 0x10_FFFF);
            breaks += usize::from(u == 0x0A);
            // Most other bytes fail within their first units: stop there.
            if foreign > FEW_DAMAGED {
                return None;
            }
        }
        (breaks > 0 && foreign * 100 <= units).then_some((order, 0))
    })
}

fn unit32(u: &[u8], order: Order) -> u32 {
    let b = [u[0], u[1], u[2], u[3]];
    match order {
        Order::Little => u32::from_le_bytes(b),
        Order::Big => u32::from_be_bytes(b),
    }
}

/// UTF-32 has no decoder in `encoding_rs` (the Encoding Standard leaves it out): each unit is
/// a code point; a surrogate or a value past U+10FFFF, and a cut last unit, are damage.
fn decode_utf32(bytes: &[u8], order: Order) -> Result<Decoded, DecodeError> {
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut damage = Vec::new();
    let mut place = Place::default();
    let mut replaced = 0usize;
    let units = bytes.chunks(4);
    for unit in units {
        let c = (unit.len() == 4)
            .then(|| char::from_u32(unit32(unit, order)))
            .flatten();
        let c = c.unwrap_or_else(|| {
            replaced += 1;
            if damage.len() < MAX_DAMAGE {
                damage.push(Damage {
                    line: place.line,
                    column: place.column,
                    bytes: unit.to_vec(),
                });
            }
            '\u{FFFD}'
        });
        let mut buf = [0u8; 4];
        let s = c.encode_utf8(&mut buf);
        place.advance(s);
        text.push(c);
    }
    let name = match order {
        Order::Little => "UTF-32LE",
        Order::Big => "UTF-32BE",
    };
    finish(text, damage, replaced, name)
}

/// Big5 rather than GBK: bytes that decode as Big5 without error and that the detector takes
/// for Big5. (Asked as for a page from a `.cn` site, it answers GBK even for plain Big5 tables:
/// the site's country outweighs the bytes; so it is asked without one.)
fn big5(bytes: &[u8]) -> bool {
    if BIG5
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_none()
    {
        return false;
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    detector.guess(None, chardetng::Utf8Detection::Deny) == BIG5
}

/// UTF-16 without a BOM: every other byte zero in ASCII-heavy text; in Chinese text, line
/// breaks or TABs (U+000A, U+0009: the bytes `0A 00` or `00 0A` at a unit's place, which no
/// 8-bit encoding of a text holds) and nearly every unit a character a table uses. Bytes
/// without a NUL are never UTF-16 here (UTF-8 and GB18030 text has none). A last byte cut off
/// and a few damaged units are allowed: they are read as damage.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if !bytes.contains(&0) {
        return None;
    }
    utf16_ascii_heavy(bytes).or_else(|| utf16_chinese(bytes))
}

/// Chinese UTF-16 without BOM, as Windows' "Unicode" text export writes it.
fn utf16_chinese(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 {
        return None;
    }
    [(UTF_16LE, Order::Little), (UTF_16BE, Order::Big)]
        .into_iter()
        .find(|&(_, order)| {
            let units = bytes.chunks_exact(2).map(|p| match order {
                Order::Little => u16::from_le_bytes([p[0], p[1]]),
                Order::Big => u16::from_be_bytes([p[0], p[1]]),
            });
            let (mut total, mut usual, mut breaks, mut damaged) = (0usize, 0, 0, 0);
            for c in char::decode_utf16(units) {
                // An unpaired surrogate is a damaged unit: a few are allowed.
                let Ok(c) = c else {
                    damaged += 1;
                    continue;
                };
                total += 1;
                breaks += usize::from(matches!(c, '\n' | '\t'));
                usual += usize::from(usual_in_a_table(c));
            }
            breaks > 0 && usual * 100 >= total * 98 && damaged <= FEW_DAMAGED.max(total / 100)
        })
        .map(|(enc, _)| enc)
}

/// The characters a table's text is written in: ASCII, Latin-1, general punctuation, letter-like
/// symbols to dingbats (≥, ①, №), CJK symbols and kana, the CJK ideographs (extension A, the
/// unified block, compatibility), vertical forms, full-width forms.
fn usual_in_a_table(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r' | ' '..='~' | '\u{A0}'..='\u{FF}' | '\u{2000}'..='\u{206F}'
        | '\u{2100}'..='\u{27BF}' | '\u{3000}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FFEF}')
}

/// UTF-16 without a BOM shows as every other byte zero in ASCII-heavy text.
fn utf16_ascii_heavy(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 {
        return None;
    }
    // A last byte cut off is damage, read as such.
    let bytes = &bytes[..bytes.len() & !1];
    let pairs = bytes.len() / 2;
    let even_zero = bytes.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = bytes.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_zero * 2 > pairs && even_zero == 0 {
        Some(UTF_16LE)
    } else if even_zero * 2 > pairs && odd_zero == 0 {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Control characters other than tab, newline, carriage return and form feed mean binary.
fn looks_binary(text: &str) -> bool {
    let mut control = 0usize;
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return true;
        }
        if c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}') {
            control += 1;
        }
    }
    control > 0 && control * 100 >= total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// UTF-8 without BOM is taken as it is: the text is the input's own buffer, not a copy
    /// (a large text is not held twice); anything else decodes as `decode` does.
    #[test]
    fn owned_utf8_is_not_copied() {
        let bytes = "预算单位\t民政局\n一级指标\t二级指标\n"
            .repeat(1_000)
            .into_bytes();
        let at = bytes.as_ptr();
        let decoded = decode_owned(bytes.clone()).unwrap();
        assert_eq!(decoded, decode(&bytes).unwrap());
        let moved = decode_owned(bytes).unwrap();
        assert_eq!(moved.text.as_ptr(), at);
        for other in [
            b"\xEF\xBB\xBFabc\n".to_vec(),
            encoding_rs::GB18030.encode("预算单位\n").0.into_owned(),
            b"ab\xFFcd\n".to_vec(),
        ] {
            assert_eq!(decode_owned(other.clone()), decode(&other));
        }
    }

    #[test]
    fn encodings() {
        let s = "预算单位\t和硕县民政局\n";
        assert_eq!(decode(s.as_bytes()).unwrap().text, s);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom).unwrap().text, s);
        let mut le = vec![0xFF, 0xFE];
        le.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            decode(&le).unwrap(),
            Decoded {
                text: s.into(),
                encoding: "UTF-16LE",
                damage: Vec::new(),
            }
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend(s.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(&be).unwrap().text, s);
        let (gb, _, _) = GB18030.encode(s);
        assert_eq!(
            decode(&gb).unwrap(),
            Decoded {
                text: s.into(),
                encoding: "gb18030",
                damage: Vec::new(),
            }
        );
    }

    /// A table as Windows' "Unicode" export, a Traditional-Chinese machine or a UTF-32 tool
    /// writes it: read, not called binary.
    #[test]
    fn utf16_without_bom_utf32_and_big5() {
        let s = "項目名稱\t鄉村道路養護\n一級指標\t二級指標\t三級指標\t指標值\n產出指標\t數量指標\t養護里程\t≧120公里\n";
        let le: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(
            (
                decode(&le).unwrap().text.as_str(),
                decode(&le).unwrap().encoding
            ),
            (s, "UTF-16LE")
        );
        assert_eq!(
            (
                decode(&be).unwrap().text.as_str(),
                decode(&be).unwrap().encoding
            ),
            (s, "UTF-16BE")
        );
        let le32: Vec<u8> = s.chars().flat_map(|c| u32::from(c).to_le_bytes()).collect();
        let be32: Vec<u8> = s.chars().flat_map(|c| u32::from(c).to_be_bytes()).collect();
        for (bytes, name) in [(le32.clone(), "UTF-32LE"), (be32.clone(), "UTF-32BE")] {
            assert_eq!(
                (
                    decode(&bytes).unwrap().text.as_str(),
                    decode(&bytes).unwrap().encoding
                ),
                (s, name)
            );
        }
        let mut bom = vec![0xFF, 0xFE, 0, 0];
        bom.extend_from_slice(&le32);
        assert_eq!(decode(&bom).unwrap().encoding, "UTF-32LE");
        // A unit that is no code point (a surrogate) is damage, located.
        let mut bad = le32.clone();
        bad[4..8].copy_from_slice(&0xD800u32.to_le_bytes());
        let d = decode(&bad).unwrap();
        assert_eq!(d.text.chars().nth(1), Some('\u{FFFD}'));
        assert_eq!((d.damage[0].line, d.damage[0].column), (1, 2));
        let (big5, _, unmappable) = BIG5.encode(s);
        assert!(!unmappable);
        let d = decode(&big5).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (s, "Big5"));
    }

    /// UTF-16 without BOM that is all ASCII (also valid UTF-8, NULs and all), one line of
    /// Chinese cells, cut after an odd byte, or with a damaged unit; UTF-32 without BOM cut
    /// inside its last unit or with a damaged unit: read, the damage located.
    #[test]
    fn utf16_and_utf32_without_bom_when_ascii_short_cut_or_damaged() {
        let ascii = "seq\tname\tvalue\n1\tA\t>=95%\n";
        for (bytes, name) in [(utf16le(ascii), "UTF-16LE"), (utf16be(ascii), "UTF-16BE")] {
            let d = decode(&bytes).unwrap();
            assert_eq!((d.text.as_str(), d.encoding), (ascii, name));
        }
        let line = "一级指标\t二级指标\t三级指标\t指标值";
        let d = decode(&utf16le(line)).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), (line, "UTF-16LE"));
        let s = "项目名称\t城市低保\n一级指标\t产出指标\n";
        let mut cut = utf16be(s);
        cut.pop();
        let d = decode(&cut).unwrap();
        assert_eq!(d.encoding, "UTF-16BE");
        assert_eq!(d.text, "项目名称\t城市低保\n一级指标\t产出指标\u{FFFD}");
        assert_eq!((d.damage[0].line, d.damage[0].column), (2, 10));
        let mut damaged = utf16le(s);
        damaged[4..6].copy_from_slice(&0xDC00u16.to_le_bytes());
        let d = decode(&damaged).unwrap();
        assert_eq!(d.encoding, "UTF-16LE");
        assert_eq!(d.text, "项目\u{FFFD}称\t城市低保\n一级指标\t产出指标\n");
        assert_eq!((d.damage[0].line, d.damage[0].column), (1, 3));
        let long = s.repeat(20);
        let mut le32: Vec<u8> = long
            .chars()
            .flat_map(|c| u32::from(c).to_le_bytes())
            .collect();
        le32[8..12].copy_from_slice(&0x0011_0000u32.to_le_bytes());
        le32.truncate(le32.len() - 2);
        let d = decode(&le32).unwrap();
        assert_eq!(d.encoding, "UTF-32LE");
        assert_eq!(d.text.chars().nth(2), Some('\u{FFFD}'));
        assert!(d.text.ends_with("产出指标\u{FFFD}"));
        assert_eq!(d.damage.len(), 2);
    }

    fn utf16le(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    fn utf16be(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_be_bytes).collect()
    }

    proptest::proptest! {
        /// Whatever the bytes, decoding ends with text or an error, never a panic; what it
        /// gives is free of NULs.
        #[test]
        fn any_bytes_decode_without_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..600)) {
            if let Ok(d) = decode(&bytes) {
                proptest::prop_assert!(!d.text.contains('\0'));
            }
        }

        /// Chinese table text in UTF-8 or GB18030 (no NUL in it, as text has none) is never
        /// taken for UTF-16 or UTF-32, however short.
        #[test]
        fn utf8_and_gb18030_are_never_utf16_or_utf32(
            chars in proptest::collection::vec(table_char(), 1..200)
        ) {
            let s: String = chars.into_iter().collect();
            proptest::prop_assume!(!s.trim().is_empty());
            proptest::prop_assert_eq!(decode(s.as_bytes()).unwrap().encoding, "UTF-8");
            let (gb, _, _) = GB18030.encode(&s);
            if let Ok(d) = decode(&gb) {
                proptest::prop_assert!(
                    !d.encoding.starts_with("UTF-16") && !d.encoding.starts_with("UTF-32"),
                    "{:?}: {}", s, d.encoding
                );
            }
        }
    }

    /// A character a table's text may hold: ASCII letters, digits and punctuation, TAB and line
    /// breaks, CJK ideographs, full-width and CJK punctuation, ≥ ≤ ％.
    fn table_char() -> impl proptest::strategy::Strategy<Value = char> {
        use proptest::prelude::*;
        prop_oneof![
            4 => proptest::char::range('\u{4E00}', '\u{9FA5}'),
            2 => proptest::char::range(' ', '~'),
            1 => proptest::sample::select(vec!['\t', '\n', '\r', '≥', '≤', '％', '（', '）', '：', '，', '。', '、', '\u{3000}']),
        ]
    }

    /// Simplified tables in GBK stay GB18030, short or long, with or without Traditional
    /// characters that GBK also holds.
    #[test]
    fn gbk_is_not_taken_for_big5() {
        for s in [
            "预算单位\t和硕县民政局\n",
            "项目名称\t农村道路养护\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t养护里程\t≥120公里\n",
            "满意度指标\t服务对象满意度指标\t群众满意度\t≥95%\n",
            "項目名稱\t農村道路养护\n",
        ] {
            let (gb, _, _) = GB18030.encode(s);
            assert_eq!(decode(&gb).unwrap().encoding, "gb18030", "{s}");
        }
    }

    #[test]
    fn declared_labels() {
        let s = "<meta charset=gbk><td>≥95%</td>";
        let (gb, _, _) = GB18030.encode(s);
        for label in ["gb2312", "GBK", " gb18030 ", "x-gbk"] {
            let want = Decoded {
                text: s.into(),
                encoding: "gb18030",
                damage: Vec::new(),
            };
            assert_eq!(decode_with_label(&gb, Some(label)).unwrap(), want);
        }
        // Unknown or UTF-16 labels fall back to detection; so does valid UTF-8.
        assert_eq!(
            decode_with_label(&gb, Some("no-such")).unwrap().encoding,
            "gb18030"
        );
        assert_eq!(
            decode_with_label(s.as_bytes(), Some("utf-16"))
                .unwrap()
                .encoding,
            "UTF-8"
        );
        let want = Decoded {
            text: s.into(),
            encoding: "UTF-8",
            damage: Vec::new(),
        };
        assert_eq!(
            decode_with_label(s.as_bytes(), Some("gb2312")).unwrap(),
            want
        );
        let (big5, _, _) = encoding_rs::BIG5.encode("預算單位");
        let want = Decoded {
            text: "預算單位".into(),
            encoding: "Big5",
            damage: Vec::new(),
        };
        assert_eq!(decode_with_label(&big5, Some("big5")).unwrap(), want);
        assert_eq!(
            decode_with_label(b"", Some("utf-8")),
            Err(DecodeError::Empty)
        );
        assert_eq!(
            decode_with_label(b"  ", Some("gbk")),
            Err(DecodeError::Blank)
        );
    }

    #[test]
    fn bad_inputs() {
        assert_eq!(decode(b""), Err(DecodeError::Empty));
        assert_eq!(decode(b" \n\t\n"), Err(DecodeError::Blank));
        assert_eq!(
            decode(b"PK\x03\x04\x14\x00\x00\x00\x08\x00"),
            Err(DecodeError::Binary)
        );
        assert_eq!(
            decode(&[
                0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d
            ]),
            Err(DecodeError::Binary)
        );
    }

    #[test]
    fn lone_carriage_returns_are_line_breaks() {
        let d = decode("一级指标\r二级指标\r\n三级指标\r".as_bytes()).unwrap();
        assert_eq!(d.text, "一级指标\n二级指标\r\n三级指标\n");
        assert!(d.damage.is_empty());
    }

    #[test]
    fn damaged_utf8_is_repaired_and_located() {
        let text = "预算单位\t和硕县民政局\n项目名称\t城市低保\n";
        // Cut inside the last character of line 2.
        let bytes = text.as_bytes();
        let cut = &bytes[..bytes.len() - 2];
        let d = decode(cut).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "预算单位\t和硕县民政局\n项目名称\t城市低\u{FFFD}");
        assert_eq!(
            d.damage,
            vec![Damage {
                line: 2,
                column: 9,
                bytes: vec![0xE4, 0xBF]
            }]
        );
        // A stray 0xFF in the middle of line 1, and one on a CR-only line 3.
        let mut stray = "预算单位\t和硕县".as_bytes().to_vec();
        stray.push(0xFF);
        stray.extend("民政局\n项目名称\r城市".as_bytes());
        stray.push(0xFF);
        stray.extend("低保".as_bytes());
        let d = decode(&stray).unwrap();
        assert_eq!(
            d.text,
            "预算单位\t和硕县\u{FFFD}民政局\n项目名称\n城市\u{FFFD}低保"
        );
        let places: Vec<_> = d
            .damage
            .iter()
            .map(|d| (d.line, d.column, d.hex()))
            .collect();
        assert_eq!(places, [(1, 9, "0xFF".into()), (3, 3, "0xFF".into())]);
        // ASCII with one stray byte is still text.
        let d = decode(b"seq\tname\n1\t\xFFabc\n").unwrap();
        assert_eq!(d.text, "seq\tname\n1\t\u{FFFD}abc\n");
    }

    #[test]
    fn stray_nul_is_replaced_many_nuls_are_binary() {
        let d = decode("项目名称\t城市\0低保\n".as_bytes()).unwrap();
        assert_eq!(d.text, "项目名称\t城市\u{FFFD}低保\n");
        assert_eq!(
            (d.damage[0].line, d.damage[0].column, d.damage[0].hex()),
            (1, 8, "0x00".into())
        );
        assert_eq!(
            decode(&[b'a', 0, 0, 0, b'b', 0, 0, 7, 0, 0, 0]),
            Err(DecodeError::Binary)
        );
    }

    #[test]
    fn damaged_gb18030_is_repaired() {
        let (gb, _, _) = GB18030.encode("预算单位\t和硕县民政局\n项目名称\t城市低保\n");
        let cut = &gb[..gb.len() - 2];
        let d = decode(cut).unwrap();
        assert_eq!(d.encoding, "gb18030");
        assert_eq!(d.text, "预算单位\t和硕县民政局\n项目名称\t城市低\u{FFFD}");
        assert_eq!((d.damage[0].line, d.damage[0].column), (2, 9));
    }

    #[test]
    fn gbk_text_with_a_few_rare_characters_is_text() {
        // 镕 and 堃 lie outside GB2312 (GBK extension area), as a name in a form may.
        let text = "项目名称\t朱镕路改造\n负责人\t王堃\n一级指标\t产出指标（数量、质量）\n";
        let (bytes, _, _) = GB18030.encode(text);
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, "gb18030");
    }

    #[test]
    fn mostly_damage_is_binary() {
        let noise: Vec<u8> = (0..400u32).map(|i| (i * 151 % 256) as u8 | 0x80).collect();
        assert_eq!(decode(&noise), Err(DecodeError::Binary));
    }
}
