//! Cell values as the clerk sees them: numbers through their number format (`0.00`, `0%`,
//! `#,##0.00`, literal text such as `0.00"万元"`), dates through their date format, and numbers
//! without a format in Excel's General form (at most 15 significant digits, no `.0`, no float
//! noise such as `7.0000000000000009`).

use calamine::{Data, ExcelDateTime};

/// A number in Excel's General form: an integer without `.0`; otherwise the shortest decimal
/// that rounds to the same 15 significant digits Excel keeps.
///
/// ```
/// use jixiao_excel::format::general;
/// assert_eq!(general(12212.0), "12212");
/// assert_eq!(general(7.0000000000000009), "7");
/// assert_eq!(general(0.1 + 0.2), "0.3");
/// assert_eq!(general(91.59), "91.59");
/// assert_eq!(general(-0.0), "0");
/// assert_eq!(general(5.17766973e-300), "5.17766973E-300");
/// assert_eq!(general(1.5e20), "1.5E+20");
/// assert_eq!(general(123456789012345.0), "123456789012345");
/// ```
pub fn general(f: f64) -> String {
    if !f.is_finite() {
        return f.to_string();
    }
    let rounded: f64 = format!("{f:.14e}").parse().unwrap_or(f);
    if rounded == 0.0 {
        return "0".to_string();
    }
    if rounded.fract() == 0.0 && rounded.abs() < 1e15 {
        return format!("{rounded:.0}");
    }
    // Display gives the shortest round-trip form, never exponent notation: fine for what a
    // form holds, but 5E-300 would come out as 300 digits. Past 20 characters Excel's General
    // switches to scientific notation too (as `5.17766973E-300`, `1.5E+20`).
    let plain = rounded.to_string();
    if plain.len() <= 20 {
        return plain;
    }
    let sci = format!("{rounded:e}");
    match sci.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exp),
            };
            format!("{mantissa}E{sign}{digits:0>2}")
        }
        None => plain,
    }
}

/// A number through an Excel number format code; `None` when the code is one this reader does
/// not render (scientific, fractions, dates), and the caller falls back to [`general`].
///
/// ```
/// use jixiao_excel::format::number;
/// assert_eq!(number(3.9, "0.00").as_deref(), Some("3.90"));
/// assert_eq!(number(1.0, "0%").as_deref(), Some("100%"));
/// assert_eq!(number(0.955, "0.0%").as_deref(), Some("95.5%"));
/// assert_eq!(number(1234567.891, "#,##0.00").as_deref(), Some("1,234,567.89"));
/// assert_eq!(number(3.9, "0.00\"万元\"").as_deref(), Some("3.90万元"));
/// assert_eq!(number(-2.5, "0.00;[Red]\\-0.00").as_deref(), Some("-2.50"));
/// assert_eq!(number(2.675, "0.00").as_deref(), Some("2.68"));
/// assert_eq!(number(5.0, "General").as_deref(), Some("5"));
/// assert_eq!(number(1.5, "0.00E+00"), None);
/// ```
pub fn number(f: f64, code: &str) -> Option<String> {
    if !f.is_finite() {
        return None;
    }
    let sections = split_sections(code);
    let (section, value, auto_minus) = match sections.len() {
        0 => return None,
        1 => (sections[0].as_str(), f, true),
        2 if f < 0.0 => (sections[1].as_str(), -f, false),
        _ if f < 0.0 => (sections[1].as_str(), -f, false),
        n if n >= 3 && f == 0.0 => (sections[2].as_str(), f, true),
        _ => (sections[0].as_str(), f, true),
    };
    let tokens = tokenize(section);
    let mut pattern = String::new();
    let mut prefix = String::new();
    let mut suffix = String::new();
    let mut percent = 0;
    let mut general_word = false;
    for token in &tokens {
        match token {
            Token::Literal(s) => {
                if pattern.is_empty() {
                    prefix.push_str(s);
                } else {
                    suffix.push_str(s);
                }
            }
            Token::Placeholder(c) => {
                if !suffix.is_empty() {
                    return None; // digits on both sides of text: not a simple number format
                }
                if *c == '%' {
                    percent += 1;
                    suffix.push('%');
                } else {
                    pattern.push(*c);
                }
            }
            Token::General => general_word = true,
            Token::Other => return None,
        }
    }
    let mut value = value * 100f64.powi(percent);
    if general_word {
        let body = general(value);
        let body = if auto_minus || !body.starts_with('-') {
            body
        } else {
            body[1..].to_string()
        };
        return Some(format!("{prefix}{body}{suffix}"));
    }
    if pattern.is_empty() {
        // A section of text only (e.g. "-" for zero).
        return Some(format!("{prefix}{suffix}"));
    }
    // Commas right before the decimal point or at the end scale by 1000 each.
    let (int_pat, frac_pat) = match pattern.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (pattern.clone(), String::new()),
    };
    if frac_pat.contains(['.', ',']) {
        return None;
    }
    let trailing_commas = int_pat.len() - int_pat.trim_end_matches(',').len();
    let int_pat = int_pat.trim_end_matches(',');
    value /= 1000f64.powi(trailing_commas as i32);
    let grouping = int_pat.contains(',');
    let min_int = int_pat.chars().filter(|&c| c == '0').count();
    let min_frac = frac_pat.chars().take_while(|&c| c == '0').count();
    let max_frac = frac_pat.chars().count();

    let rounded = round_half_away(value.abs(), max_frac)?;
    let (int_part, frac_part) = match rounded.split_once('.') {
        Some((i, f)) => (i.to_string(), f.to_string()),
        None => (rounded, String::new()),
    };
    let mut frac_part = frac_part;
    while frac_part.len() > min_frac && frac_part.ends_with('0') {
        frac_part.pop();
    }
    let mut int_part = int_part.trim_start_matches('0').to_string();
    while int_part.len() < min_int {
        int_part.insert(0, '0');
    }
    if grouping {
        int_part = group_thousands(&int_part);
    }
    let negative = value < 0.0
        && auto_minus
        && (int_part
            .chars()
            .chain(frac_part.chars())
            .any(|c| c.is_ascii_digit() && c != '0'));
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&prefix);
    out.push_str(&int_part);
    if !frac_part.is_empty() {
        out.push('.');
        out.push_str(&frac_part);
    }
    out.push_str(&suffix);
    Some(out)
}

/// `value` (non-negative) rounded half away from zero to `decimals` places, as decimal text
/// with exactly `decimals` places. Rounds the 15-digit decimal Excel keeps, not the binary
/// float, so 2.675 becomes 2.68 as Excel shows it.
fn round_half_away(value: f64, decimals: usize) -> Option<String> {
    let text = general(value);
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i, f),
        None => (text.as_str(), ""),
    };
    if !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let mut digits: Vec<u8> = int_part.bytes().map(|b| b - b'0').collect();
    let int_len = digits.len();
    let frac: Vec<u8> = frac_part.bytes().map(|b| b - b'0').collect();
    digits.extend(frac.iter().take(decimals));
    while digits.len() < int_len + decimals {
        digits.push(0);
    }
    if frac.get(decimals).is_some_and(|&d| d >= 5) {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let int_len = digits.len() - decimals;
    let mut out: String = digits[..int_len]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    if out.is_empty() {
        out.push('0');
    }
    if decimals > 0 {
        out.push('.');
        out.extend(digits[int_len..].iter().map(|d| char::from(b'0' + d)));
    }
    Some(out)
}

fn group_thousands(int_part: &str) -> String {
    let chars: Vec<char> = int_part.chars().collect();
    let mut out = String::new();
    for (i, c) in chars.iter().enumerate() {
        if i > 0 && (chars.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

/// Splits a format code at `;` outside quotes.
fn split_sections(code: &str) -> Vec<String> {
    let mut sections = vec![String::new()];
    let mut in_quote = false;
    let mut escaped = false;
    for c in code.chars() {
        let last = sections.last_mut().expect("never empty");
        if escaped {
            last.push(c);
            escaped = false;
            continue;
        }
        match c {
            '"' => {
                in_quote = !in_quote;
                last.push(c);
            }
            '\\' if !in_quote => {
                escaped = true;
                last.push(c);
            }
            ';' if !in_quote => sections.push(String::new()),
            _ => last.push(c),
        }
    }
    sections
}

#[derive(Debug, PartialEq)]
enum Token {
    /// Text shown as is.
    Literal(String),
    /// `0 # ? , . %`.
    Placeholder(char),
    /// The word `General`.
    General,
    /// Something this reader does not render (exponent, fraction, date part, `@`).
    Other,
}

fn tokenize(section: &str) -> Vec<Token> {
    let chars: Vec<char> = section.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .map_or(chars.len(), |p| i + 1 + p);
                tokens.push(Token::Literal(
                    chars[i + 1..end.min(chars.len())].iter().collect(),
                ));
                i = end + 1;
            }
            '\\' => {
                if let Some(&next) = chars.get(i + 1) {
                    tokens.push(Token::Literal(next.to_string()));
                }
                i += 2;
            }
            // Padding and fill characters take the next character and show nothing.
            '_' | '*' => i += 2,
            '[' => {
                // Colours, locales and conditions: [Red], [$-804], [>100].
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == ']')
                    .map_or(chars.len(), |p| i + p);
                let inner: String = chars[i + 1..end.min(chars.len())].iter().collect();
                if let Some(currency) = inner.strip_prefix('$') {
                    let symbol = currency.split('-').next().unwrap_or("");
                    if !symbol.is_empty() {
                        tokens.push(Token::Literal(symbol.to_string()));
                    }
                }
                i = end + 1;
            }
            '0' | '#' | '?' | ',' | '.' | '%' => {
                tokens.push(Token::Placeholder(c));
                i += 1;
            }
            'G' | 'g'
                if chars[i..]
                    .iter()
                    .take(7)
                    .collect::<String>()
                    .eq_ignore_ascii_case("general") =>
            {
                tokens.push(Token::General);
                i += 7;
            }
            'E' | 'e' | '/' | '@' | 'y' | 'Y' | 'm' | 'M' | 'd' | 'D' | 'h' | 'H' | 's' | 'S' => {
                tokens.push(Token::Other);
                i += 1;
            }
            ' ' | '-' | '+' | '(' | ')' | ':' | '$' | '¥' | '￥' | '!' | '^' | '&' | '\'' | '~'
            | '{' | '}' | '<' | '>' | '=' => {
                tokens.push(Token::Literal(c.to_string()));
                i += 1;
            }
            _ if !c.is_ascii() => {
                tokens.push(Token::Literal(c.to_string()));
                i += 1;
            }
            _ => {
                tokens.push(Token::Other);
                i += 1;
            }
        }
    }
    tokens
}

/// A date or time as the clerk sees it: through its format code when there is one
/// (`yyyy"年"m"月"d"日"`, `yyyy/m/d`, `hh:mm`), else `2022-01-05`, with the time when it has one.
///
/// ```
/// use calamine::{ExcelDateTime, ExcelDateTimeType};
/// use jixiao_excel::format::date;
/// let d = ExcelDateTime::new(44566.0, ExcelDateTimeType::DateTime, false);
/// assert_eq!(date(&d, None), "2022-01-05");
/// assert_eq!(date(&d, Some("yyyy\"年\"m\"月\"d\"日\"")), "2022年1月5日");
/// assert_eq!(date(&d, Some("yyyy/mm/dd")), "2022/01/05");
/// ```
pub fn date(dt: &ExcelDateTime, code: Option<&str>) -> String {
    let (y, mo, d, h, mi, s, _ms) = dt.to_ymd_hms_milli();
    if dt.is_duration() {
        let total = dt.as_f64() * 24.0;
        return format!("{}:{mi:02}:{s:02}", total.trunc() as i64);
    }
    if let Some(code) = code.filter(|c| !c.eq_ignore_ascii_case("general"))
        && let Some(text) = render_date(code, (y, mo, d, h, mi, s))
    {
        return text;
    }
    if dt.as_f64().fract() == 0.0 {
        format!("{y:04}-{mo:02}-{d:02}")
    } else if dt.as_f64() < 1.0 {
        format!("{h:02}:{mi:02}:{s:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}

fn render_date(code: &str, (y, mo, d, h, mi, s): (u16, u8, u8, u8, u8, u8)) -> Option<String> {
    let section = split_sections(code).into_iter().next()?;
    let chars: Vec<char> = section.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    let mut last_was_hour = false;
    let mut any = false;
    let run = |i: usize, c: char| {
        chars[i..]
            .iter()
            .take_while(|x| x.eq_ignore_ascii_case(&c))
            .count()
    };
    while i < chars.len() {
        let c = chars[i];
        match c.to_ascii_lowercase() {
            '"' => {
                let end = chars[i + 1..]
                    .iter()
                    .position(|&c| c == '"')
                    .map_or(chars.len(), |p| i + 1 + p);
                out.extend(&chars[i + 1..end.min(chars.len())]);
                i = end + 1;
            }
            '\\' => {
                out.extend(chars.get(i + 1));
                i += 2;
            }
            '[' => {
                let end = chars[i..]
                    .iter()
                    .position(|&c| c == ']')
                    .map_or(chars.len(), |p| i + p);
                i = end + 1;
            }
            'y' => {
                let n = run(i, 'y');
                out.push_str(&if n <= 2 {
                    format!("{:02}", y % 100)
                } else {
                    format!("{y:04}")
                });
                i += n;
                any = true;
            }
            'm' => {
                let n = run(i, 'm');
                let rest: String = chars[i + n..]
                    .iter()
                    .filter(|c| !matches!(c, ':' | ' '))
                    .take(1)
                    .collect();
                let minute = last_was_hour || rest.eq_ignore_ascii_case("s");
                let v = if minute { mi } else { mo };
                out.push_str(&if n >= 2 {
                    format!("{v:02}")
                } else {
                    v.to_string()
                });
                i += n;
                any = true;
                last_was_hour = false;
                continue;
            }
            'd' => {
                let n = run(i, 'd');
                if n > 2 {
                    return None; // weekday names
                }
                out.push_str(&if n == 2 {
                    format!("{d:02}")
                } else {
                    d.to_string()
                });
                i += n;
                any = true;
            }
            'h' => {
                let n = run(i, 'h');
                out.push_str(&if n >= 2 {
                    format!("{h:02}")
                } else {
                    h.to_string()
                });
                i += n;
                any = true;
                last_was_hour = true;
                continue;
            }
            's' => {
                let n = run(i, 's');
                out.push_str(&if n >= 2 {
                    format!("{s:02}")
                } else {
                    s.to_string()
                });
                i += n;
                any = true;
            }
            '_' | '*' => i += 2,
            'a' | 'e' | 'g' | 'b' => return None, // AM/PM, eras
            _ => {
                out.push(c);
                i += 1;
            }
        }
        if !matches!(c, ':' | ' ') {
            last_was_hour = false;
        }
    }
    any.then_some(out)
}

/// A cell's text as the clerk sees it. `code` is the cell's number format where the format
/// gives it (xlsx); without it numbers print in the General form.
pub fn cell_text(data: &Data, code: Option<&str>) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n").replace('\r', "\n"),
        Data::Int(i) => match code {
            Some(code) => number(*i as f64, code).unwrap_or_else(|| i.to_string()),
            None => i.to_string(),
        },
        Data::Float(f) => code
            .and_then(|code| number(*f, code))
            .unwrap_or_else(|| general(*f)),
        Data::Bool(b) => (if *b { "TRUE" } else { "FALSE" }).to_string(),
        Data::DateTime(dt) => date(dt, code),
        Data::DateTimeIso(s) => s.replacen('T', " ", 1),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn general_form() {
        assert_eq!(general(3.9), "3.9");
        assert_eq!(general(0.95), "0.95");
        assert_eq!(general(1e16), "10000000000000000");
        assert_eq!(general(-12.5), "-12.5");
        assert_eq!(general(1.0 / 3.0), "0.333333333333333");
        assert_eq!(general(915900.0), "915900");
    }

    #[test]
    fn number_formats() {
        assert_eq!(number(0.0, "0.00").as_deref(), Some("0.00"));
        assert_eq!(number(0.5, "#.00").as_deref(), Some(".50"));
        assert_eq!(number(91.59, "#,##0.00").as_deref(), Some("91.59"));
        assert_eq!(number(1200.0, "#,##0").as_deref(), Some("1,200"));
        assert_eq!(number(0.98, "0%").as_deref(), Some("98%"));
        assert_eq!(
            number(7.000_000_000_000_001, "0.00").as_deref(),
            Some("7.00")
        );
        assert_eq!(number(9.999, "0.00").as_deref(), Some("10.00"));
        assert_eq!(number(12.5, "0.0#").as_deref(), Some("12.5"));
        assert_eq!(number(12.0, "0.0#").as_deref(), Some("12.0"));
        assert_eq!(number(1234.5, "#,##0.00_ ").as_deref(), Some("1,234.50"));
        assert_eq!(number(-3.0, "0.00_);(0.00)").as_deref(), Some("(3.00)"));
        assert_eq!(number(0.0, "0.00;-0.00;\"-\"").as_deref(), Some("-"));
        assert_eq!(number(5.0, "[$¥-804]#,##0.00").as_deref(), Some("¥5.00"));
        assert_eq!(number(1.0, "@"), None);
        assert_eq!(number(44566.0, "yyyy-mm-dd"), None);
    }

    #[test]
    fn dates() {
        use calamine::ExcelDateTimeType;
        let dt = ExcelDateTime::new(44566.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(date(&dt, None), "2022-01-05 12:00:00");
        assert_eq!(date(&dt, Some("yyyy/m/d h:mm")), "2022/1/5 12:00");
        assert_eq!(date(&dt, Some("[$-804]yyyy\"年\"m\"月\"")), "2022年1月");
    }
}
