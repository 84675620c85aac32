//! The encoding an HTML page declares (`<meta charset>`, `http-equiv`, an XML declaration),
//! and the page decoded with it.

use jixiao_diagnostics::{Code, Diagnostic, Location, Warned};
use jixiao_grid::text::{DecodeError, Decoded, decode_with_label};

/// The charset a page declares in its first 4096 bytes: `<meta charset="gb2312">`,
/// `<meta http-equiv="Content-Type" content="text/html; charset=gbk">` or
/// `<?xml version="1.0" encoding="gb18030"?>`.
///
/// ```
/// let page = br#"<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=GB2312"></head>"#;
/// assert_eq!(jixiao_html::declared_charset(page).as_deref(), Some("GB2312"));
/// ```
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower = head.to_ascii_lowercase();
    let value_after = |from: usize, end: usize| -> Option<String> {
        let mut k = from;
        while k < end && (lower[k].is_ascii_whitespace() || matches!(lower[k], b'=' | b'"' | b'\''))
        {
            k += 1;
        }
        let len = head[k..end]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':'))
            .count();
        (len > 0).then(|| String::from_utf8_lossy(&head[k..k + len]).into_owned())
    };
    let find = |needle: &[u8], from: usize, to: usize| {
        lower
            .get(from..to)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    if lower.trim_ascii_start().starts_with(b"<?xml") {
        let start = lower.len() - lower.trim_ascii_start().len();
        let end = find(b"?>", start, lower.len()).unwrap_or(lower.len());
        if let Some(at) = find(b"encoding", start, end) {
            return value_after(at + 8, end);
        }
    }
    let mut from = 0;
    while let Some(at) = find(b"<meta", from, lower.len()) {
        let end = find(b">", at, lower.len()).unwrap_or(lower.len());
        if let Some(cs) = find(b"charset", at, end) {
            return value_after(cs + 7, end);
        }
        from = end;
    }
    None
}

/// Decodes an HTML page: BOM, else the declared charset (GB2312/GBK as GB18030), else the
/// UTF-8/GB18030 detection of [`jixiao_grid::text::decode`]. A declared charset that is unknown
/// or does not fit the bytes is reported (I326) with the encoding actually used.
///
/// # Errors
///
/// A [`DecodeError`] when the bytes are in no encoding the reader knows (see
/// [`jixiao_grid::text::decode`]).
///
/// ```
/// let (bytes, _, _) = encoding_rs::GB18030.encode("<meta charset=\"gb2312\"><td>≥95%</td>");
/// let (page, diags) = jixiao_html::decode(&bytes, Some("a.html")).unwrap().into_parts();
/// assert_eq!((page.text.as_str(), page.encoding), ("<meta charset=\"gb2312\"><td>≥95%</td>", "gb18030"));
/// assert!(diags.is_empty());
/// ```
pub fn decode(bytes: &[u8], file: Option<&str>) -> Result<Warned<Decoded>, DecodeError> {
    let label = declared_charset(bytes);
    let decoded = decode_with_label(bytes, label.as_deref())?;
    let mut diags = Vec::new();
    if let Some(label) = label {
        let expected = encoding_rs::Encoding::for_label(label.as_bytes()).map(|e| {
            if e == encoding_rs::GBK || e == encoding_rs::GB18030 {
                "gb18030"
            } else if e == encoding_rs::UTF_8 {
                "UTF-8"
            } else {
                e.name()
            }
        });
        let has_bom = encoding_rs::Encoding::for_bom(bytes).is_some();
        let loc = Location {
            file: file.map(Into::into),
            ..Location::default()
        };
        match expected {
            None => diags.push(Diagnostic::new(
                Code::I326,
                format!(
                    "网页声明的编码“{label}”无法识别，已按 {} 读取",
                    decoded.encoding
                ),
                loc,
            )),
            Some(e)
                if !e.eq_ignore_ascii_case(decoded.encoding)
                    && !has_bom
                    && !e.starts_with("UTF-16") =>
            {
                diags.push(Diagnostic::new(
                    Code::I326,
                    format!(
                        "网页声明的编码是“{label}”，但内容不是该编码，已按 {} 读取",
                        decoded.encoding
                    ),
                    loc,
                ))
            }
            Some(_) => {}
        }
    }
    Ok(Warned::new(decoded).with(diags))
}
