//! Whether bytes are an HTML page, from how they start.

/// True when the bytes are an HTML page (in UTF-16 or UTF-32 too, with or without BOM): after a
/// BOM, whitespace and comments they start with
/// `<!DOCTYPE html`, `<html`, `<head`, `<body`, `<meta`, `<title` or `<table` (any case), or
/// an XML declaration followed by `<html`.
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let head: Vec<u8> = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let le = bytes[0] == 0xFF;
        let units = bytes[2..].chunks_exact(2).take(512).map(|p| {
            if le {
                u16::from_le_bytes([p[0], p[1]])
            } else {
                u16::from_be_bytes([p[0], p[1]])
            }
        });
        char::decode_utf16(units)
            .map(|c| c.unwrap_or('\u{FFFD}'))
            .collect::<String>()
            .into_bytes()
    } else {
        let b = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
        b[..b.len().min(4096)].to_vec()
    };
    // UTF-16 without BOM or UTF-32: the text reader's detection reads the start.
    let start = &bytes[..bytes.len().min(4096)];
    let head = match start.contains(&0).then(|| jixiao_grid::text::decode(start)) {
        Some(Ok(d)) if d.encoding.starts_with("UTF-16") || d.encoding.starts_with("UTF-32") => {
            d.text.into_bytes()
        }
        _ => head,
    };
    let mut rest: &[u8] = &head;
    loop {
        rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        if rest.starts_with(b"<!--") {
            match rest.windows(3).position(|w| w == b"-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
        } else {
            break;
        }
    }
    let starts = |prefix: &[u8]| {
        rest.len() >= prefix.len()
            && rest[..prefix.len()].eq_ignore_ascii_case(prefix)
            && rest
                .get(prefix.len())
                .is_none_or(|c| !c.is_ascii_alphanumeric())
    };
    if starts(b"<?xml") {
        return head.windows(5).any(|w| w.eq_ignore_ascii_case(b"<html"));
    }
    [
        &b"<!doctype html"[..],
        b"<html",
        b"<head",
        b"<body",
        b"<meta",
        b"<title",
        b"<table",
    ]
    .iter()
    .any(|p| starts(p))
}
