//! 指标值: a target value such as `≥12212人`, split into comparison, number and unit.

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The comparison a quantified target makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub enum Op {
    /// `>=` (≥, ≧, ＞＝, 不低于, …以上).
    #[serde(rename = ">=")]
    Ge,
    /// `<=` (≤, ≦, 不超过, …以内).
    #[serde(rename = "<=")]
    Le,
    /// `=` (＝, ═, 等于).
    #[serde(rename = "=")]
    Eq,
    /// `>` (＞, 大于, 超过).
    #[serde(rename = ">")]
    Gt,
    /// `<` (＜, 小于, 低于).
    #[serde(rename = "<")]
    Lt,
}

impl Op {
    /// The sign printed on the standard form.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Le => "≤",
            Op::Eq => "=",
            Op::Gt => ">",
            Op::Lt => "<",
        }
    }

    /// The ASCII form used in JSON.
    pub fn ascii(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Eq => "=",
            Op::Gt => ">",
            Op::Lt => "<",
        }
    }
}

/// An indicator value: always the text as written (`raw`), plus its parts when it is a
/// quantified target. Qualitative values (`有效提高`) have no `op`, `number` or `unit`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct Value {
    /// The value exactly as written in the source.
    pub raw: String,
    /// The comparison, for quantified targets.
    pub op: Option<Op>,
    /// The number with the digits of the source (`3.90` stays `3.90`).
    #[serde(with = "rust_decimal::serde::arbitrary_precision_option")]
    #[schemars(with = "Option<f64>")]
    pub number: Option<Decimal>,
    /// The unit, e.g. `人`, `万元`, `%`, `个工作日`.
    pub unit: Option<String>,
}

/// Comparison words and signs that may start a value, longest first within each group of
/// shared prefixes (matching tries them in order).
const PREFIX_OPS: &[(&str, Op)] = &[
    (">=", Op::Ge),
    ("=>", Op::Ge),
    ("≥", Op::Ge),
    ("≧", Op::Ge),
    ("⩾", Op::Ge),
    ("大于或等于", Op::Ge),
    ("大于等于", Op::Ge),
    ("不低于", Op::Ge),
    ("不少于", Op::Ge),
    ("不小于", Op::Ge),
    ("至少", Op::Ge),
    ("<=", Op::Le),
    ("=<", Op::Le),
    ("≤", Op::Le),
    ("≦", Op::Le),
    ("⩽", Op::Le),
    ("小于或等于", Op::Le),
    ("小于等于", Op::Le),
    ("不高于", Op::Le),
    ("不超过", Op::Le),
    ("不多于", Op::Le),
    ("不大于", Op::Le),
    ("至多", Op::Le),
    ("最多", Op::Le),
    ("==", Op::Eq),
    ("=", Op::Eq),
    ("═", Op::Eq),
    ("等于", Op::Eq),
    (">", Op::Gt),
    ("大于", Op::Gt),
    ("高于", Op::Gt),
    ("超过", Op::Gt),
    ("多于", Op::Gt),
    ("<", Op::Lt),
    ("小于", Op::Lt),
    ("低于", Op::Lt),
    ("少于", Op::Lt),
];

/// Words that may end a value and give its comparison: `95%以上`, `7个工作日以内`.
const SUFFIX_OPS: &[(&str, Op)] = &[
    ("及以上", Op::Ge),
    ("以上", Op::Ge),
    ("及以下", Op::Le),
    ("以下", Op::Le),
    ("以内", Op::Le),
    ("之内", Op::Le),
    ("内", Op::Le),
];

/// The longest a unit may be, in characters; longer text after a number is a sentence.
const MAX_UNIT_CHARS: usize = 10;

impl Value {
    /// Parses a value as written. Never fails: what is not a quantified target is kept as
    /// qualitative text.
    ///
    /// ```
    /// use jixiao_model::{Op, Value};
    /// let v = Value::parse("7个工作日以内");
    /// assert_eq!((v.op, v.number.map(|n| n.to_string()), v.unit.as_deref()),
    ///            (Some(Op::Le), Some("7".to_string()), Some("个工作日")));
    /// assert_eq!(Value::parse("有效提高").op, None);
    /// ```
    pub fn parse(raw: &str) -> Value {
        let mut value = Value {
            raw: raw.to_string(),
            ..Value::default()
        };
        if let Some((op, number, unit)) = parse_parts(raw) {
            value.op = op;
            value.number = Some(number);
            value.unit = unit;
        }
        value
    }

    /// A quantified value built from its parts, with `raw` in the standard form.
    pub fn quantified(op: Option<Op>, number: Decimal, unit: Option<&str>) -> Value {
        let mut v = Value {
            raw: String::new(),
            op,
            number: Some(number),
            unit: unit.map(str::to_string),
        };
        v.raw = v.to_string();
        v
    }

    /// True when the value has a number.
    pub fn is_quantified(&self) -> bool {
        self.number.is_some()
    }
}

/// The standard form: `≥12212人`; qualitative values print as written.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.number {
            Some(n) => {
                if let Some(op) = self.op {
                    f.write_str(op.symbol())?;
                }
                write!(f, "{n}{}", self.unit.as_deref().unwrap_or(""))
            }
            None => f.write_str(&self.raw),
        }
    }
}

/// Full-width ASCII (U+FF01..U+FF5E) to ASCII, ideographic space to space; other characters
/// unchanged. Used to read signs and digits, never to change what is stored as `raw`.
pub fn fold_width(s: &str) -> String {
    s.chars().map(fold_width_char).collect()
}

/// [`fold_width`] of one character.
pub(crate) fn fold_width_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn parse_parts(raw: &str) -> Option<(Option<Op>, Decimal, Option<String>)> {
    let folded = fold_width(raw);
    let mut s = folded.trim();

    let mut op = None;
    if let Some((word, found)) = PREFIX_OPS.iter().find(|(w, _)| s.starts_with(w)) {
        op = Some(*found);
        s = s[word.len()..].trim_start();
    }

    // The one number in the value; text before it may only be a unit when none follows.
    let start = s.find(|c: char| c.is_ascii_digit())?;
    let before = s[..start].trim();
    let rest = &s[start..];
    let len = number_len(rest);
    let digits: String = rest[..len].chars().filter(|&c| c != ',').collect();
    let number = Decimal::from_str(&digits).ok()?;
    let mut after = rest[len..].trim();

    if let Some((word, found)) = SUFFIX_OPS.iter().find(|(w, _)| after.ends_with(w)) {
        // `内` alone needs a unit before it (`7日内`), so a bare `5内` stays qualitative.
        let unit_part = after[..after.len() - word.len()].trim();
        if *word != "内" || !unit_part.is_empty() {
            op = op.or(Some(*found));
            after = unit_part;
        }
    }

    let unit = match (before.is_empty(), after.is_empty()) {
        (true, true) => None,
        (true, false) => Some(after),
        (false, true) => Some(before),
        (false, false) => return None,
    };
    if let Some(u) = unit {
        let bad = u.chars().count() > MAX_UNIT_CHARS
            || u.chars()
                .any(|c| c.is_ascii_digit() || "，。；;,!！?？:：=<>≥≤".contains(c))
            || PREFIX_OPS
                .iter()
                .any(|(w, _)| u.contains(w) && w.chars().all(|c| !c.is_alphanumeric()));
        if bad {
            return None;
        }
    }
    Some((op, number, unit.map(str::to_string)))
}

/// Length in bytes of the number at the start of `s`: digits, thousands commas between
/// digits, and one decimal point followed by digits.
fn number_len(s: &str) -> usize {
    let b = s.as_bytes();
    let mut i = 0;
    let mut seen_point = false;
    while i < b.len() {
        let c = b[i];
        let next_is_digit = b.get(i + 1).is_some_and(u8::is_ascii_digit);
        if c.is_ascii_digit() || (c == b',' && !seen_point && next_is_digit && i > 0) {
            i += 1;
        } else if c == b'.' && !seen_point && next_is_digit {
            seen_point = true;
            i += 1;
        } else {
            break;
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> (Option<&'static str>, Option<String>, Option<String>) {
        let v = Value::parse(s);
        (v.op.map(Op::ascii), v.number.map(|n| n.to_string()), v.unit)
    }

    fn q(
        op: Option<&'static str>,
        n: &str,
        unit: Option<&str>,
    ) -> (Option<&'static str>, Option<String>, Option<String>) {
        (op, Some(n.to_string()), unit.map(str::to_string))
    }

    #[test]
    fn seed_values() {
        assert_eq!(parts("≥12212人"), q(Some(">="), "12212", Some("人")));
        assert_eq!(parts(">=3.90万人"), q(Some(">="), "3.90", Some("万人")));
        assert_eq!(parts("≤7.63万元"), q(Some("<="), "7.63", Some("万元")));
        assert_eq!(parts("=100%"), q(Some("="), "100", Some("%")));
        assert_eq!(parts("<=180元"), q(Some("<="), "180", Some("元")));
        assert_eq!(parts("=66.48元"), q(Some("="), "66.48", Some("元")));
        assert_eq!(parts("=1次"), q(Some("="), "1", Some("次")));
        assert_eq!(parts("有效提高"), (None, None, None));
        assert_eq!(parts("效果显著"), (None, None, None));
    }

    #[test]
    fn signs_seen_in_real_tables() {
        assert_eq!(parts("＞＝95%"), q(Some(">="), "95", Some("%")));
        assert_eq!(parts("≧95%"), q(Some(">="), "95", Some("%")));
        assert_eq!(parts("＝100%"), q(Some("="), "100", Some("%")));
        assert_eq!(parts("═100%"), q(Some("="), "100", Some("%")));
        assert_eq!(parts("＞0"), q(Some(">"), "0", None));
        assert_eq!(parts("＜5%"), q(Some("<"), "5", Some("%")));
        assert_eq!(parts("≦30天"), q(Some("<="), "30", Some("天")));
        assert_eq!(parts("大于等于90%"), q(Some(">="), "90", Some("%")));
        assert_eq!(parts("不低于85%"), q(Some(">="), "85", Some("%")));
        assert_eq!(parts("不超过180元"), q(Some("<="), "180", Some("元")));
        assert_eq!(parts("95%以上"), q(Some(">="), "95", Some("%")));
        assert_eq!(parts("7个工作日以内"), q(Some("<="), "7", Some("个工作日")));
        assert_eq!(parts("1,200"), q(None, "1200", None));
        assert_eq!(parts("≥1,200人次"), q(Some(">="), "1200", Some("人次")));
        assert_eq!(parts("1600元/亩"), q(None, "1600", Some("元/亩")));
        assert_eq!(parts("≥ 12212 人"), q(Some(">="), "12212", Some("人")));
        assert_eq!(parts("＝１００％"), q(Some("="), "100", Some("%")));
        assert_eq!(parts("0.00"), q(None, "0.00", None));
    }

    #[test]
    fn unit_before_the_number() {
        assert_eq!(parts("元/人 100"), q(None, "100", Some("元/人")));
        assert_eq!(parts("≥人次 50"), q(Some(">="), "50", Some("人次")));
    }

    #[test]
    fn text_that_is_not_one_quantity_stays_qualitative() {
        for s in [
            "70-79周岁",
            "2022年12月底前",
            "≥95%，≤100%",
            "每人100元",
            "",
            "   ",
            "达到预期目标",
            "±3%以内",
        ] {
            assert_eq!(parts(s), (None, None, None), "{s}");
            assert_eq!(Value::parse(s).raw, s);
        }
    }

    #[test]
    fn display_is_the_standard_form() {
        assert_eq!(Value::parse(">=3.90万人").to_string(), "≥3.90万人");
        assert_eq!(Value::parse("95%以上").to_string(), "≥95%");
        assert_eq!(Value::parse("有效提高").to_string(), "有效提高");
    }

    #[test]
    fn raw_is_kept() {
        assert_eq!(Value::parse(" ＞＝95% ").raw, " ＞＝95% ");
    }
}
