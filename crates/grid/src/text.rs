//! Decoding text files as offices produce them: UTF-8 (with or without BOM), UTF-16 with BOM,
//! and GB18030 (GBK/GB2312) from Windows machines.

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

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
    #[error("不是文本文件（含有二进制数据，或编码既不是 UTF-8/UTF-16 也不是 GB18030）")]
    Binary,
}

/// Decoded text and the encoding it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without BOM.
    pub text: String,
    /// The encoding's name, e.g. `UTF-8`, `GB18030`.
    pub encoding: &'static str,
}

/// Decodes a text file: BOM first, then strict UTF-8, then strict GB18030.
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
/// ```
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::Empty);
    }
    let (encoding, bom_len): (&'static Encoding, usize) = match Encoding::for_bom(bytes) {
        Some((enc, len)) => (enc, len),
        None => {
            if std::str::from_utf8(bytes).is_ok() {
                (UTF_8, 0)
            } else if let Some(enc) = utf16_without_bom(bytes) {
                (enc, 0)
            } else {
                (GB18030, 0)
            }
        }
    };
    let text = encoding
        .decode_without_bom_handling_and_without_replacement(&bytes[bom_len..])
        .ok_or(DecodeError::Binary)?;
    checked(text, encoding)
}

/// Decoded text, unless it is binary or blank.
fn checked(
    text: std::borrow::Cow<'_, str>,
    encoding: &'static Encoding,
) -> Result<Decoded, DecodeError> {
    if looks_binary(&text) {
        return Err(DecodeError::Binary);
    }
    if text.trim().is_empty() {
        return Err(DecodeError::Blank);
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: encoding_name(encoding),
    })
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
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => checked(text, encoding),
        None => decode(bytes),
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

/// UTF-16 without a BOM shows as every other byte zero in ASCII-heavy text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
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
                encoding: "UTF-16LE"
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
                encoding: "gb18030"
            }
        );
    }

    #[test]
    fn declared_labels() {
        let s = "<meta charset=gbk><td>≥95%</td>";
        let (gb, _, _) = GB18030.encode(s);
        for label in ["gb2312", "GBK", " gb18030 ", "x-gbk"] {
            let want = Decoded {
                text: s.into(),
                encoding: "gb18030",
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
        };
        assert_eq!(
            decode_with_label(s.as_bytes(), Some("gb2312")).unwrap(),
            want
        );
        let (big5, _, _) = encoding_rs::BIG5.encode("預算單位");
        let want = Decoded {
            text: "預算單位".into(),
            encoding: "Big5",
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
}
