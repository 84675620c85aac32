//! Small helpers shared by the rules: comparing names and amounts, reading money values.

use jixiao_model::{Decimal, Value};

/// Half a cent of a 万元: two amounts closer than this are equal "to 0.01 万元". Amounts
/// written with more than two decimals (converted from 元) differ from their rounded form by
/// less than this.
pub(crate) fn half_cent() -> Decimal {
    Decimal::new(5, 3)
}

/// True when `a` and `b` differ by a cent of a 万元 or more (or by more than a number can
/// hold).
pub(crate) fn differ(a: Decimal, b: Decimal) -> bool {
    a.checked_sub(b).is_none_or(|d| d.abs() >= half_cent())
}

/// `|a - b|` for messages.
pub(crate) fn gap(a: Decimal, b: Decimal) -> String {
    a.checked_sub(b)
        .map_or_else(|| "（数值过大）".to_string(), |d| wan(d.abs()))
}

/// Sum of amounts; `None` when it overflows (absurd input, never a real table).
pub(crate) fn sum(amounts: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    amounts
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, a| acc.checked_add(a))
}

/// A name for comparison: the project identity rule's key ([`jixiao_model::identity`]).
pub(crate) use jixiao_model::identity::project_key as name_key;
/// True when two unit names name the same unit ([`jixiao_model::identity`]).
pub(crate) use jixiao_model::identity::same_unit;

/// A money value in 万元, with the size of one unit in its last written digit (also in 万元):
/// `≤7.63万元` is (7.63, 0.01), `=720元` is (0.072, 0.0001). `None` when the value is not an
/// amount of money.
pub(crate) fn money_in_wan(value: &Value) -> Option<(Decimal, Decimal)> {
    let number = value.number?;
    let factor = match value.unit.as_deref()? {
        "万元" => Decimal::ONE,
        "元" => Decimal::new(1, 4),
        "千元" => Decimal::new(1, 1),
        "亿元" => Decimal::from(10_000),
        _ => return None,
    };
    let last_digit = Decimal::new(1, number.scale());
    Some((
        number.checked_mul(factor)?.normalize(),
        last_digit.checked_mul(factor)?.normalize(),
    ))
}

/// Chinese numerals, which count as a number when a measure word follows (`三个工作日`).
/// 半 counts as one before a measure word (`半小时内`, `半年`).
const CHINESE_DIGITS: &str = "零一二两三四五六七八九十百千半";
/// Measure words after a Chinese numeral, including the clock (`六点半前`) and the words
/// for buildings, rooms, vehicles, plants and land that 数量指标 count (`两栋`).
const MEASURES: &str =
    "个次人天日月年周项件户元万批期家所座名台套条张份本季小分轮点时栋幢间处辆棵株亩米吨场届类";

/// True when a value says a number somewhere: an Arabic digit (either width), or a Chinese
/// numeral followed by a measure word. `2022年12月底前` and `三个工作日内` do; `及时` does not.
pub(crate) fn has_numeral(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || (CHINESE_DIGITS.contains(c)
                && chars
                    .get(i + 1)
                    .is_some_and(|n| MEASURES.contains(*n) || CHINESE_DIGITS.contains(*n)))
    })
}

/// An amount for messages: as written, `0` for zero.
pub(crate) fn wan(d: Decimal) -> String {
    if d.is_zero() {
        "0".to_string()
    } else {
        d.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money() {
        let m =
            |s: &str| money_in_wan(&Value::parse(s)).map(|(a, u)| (a.to_string(), u.to_string()));
        assert_eq!(m("≤7.63万元"), Some(("7.63".into(), "0.01".into())));
        assert_eq!(m("=720元"), Some(("0.072".into(), "0.0001".into())));
        assert_eq!(m("≥12212人"), None);
        assert_eq!(m("有效提高"), None);
    }

    #[test]
    fn numerals() {
        for s in [
            "2022年12月底前",
            "三个工作日内",
            "≥95%，≤100%",
            "７０－７９周岁",
            "十二次",
            "两栋",
            "半小时内",
            "每天早上六点半前送达",
        ] {
            assert!(has_numeral(s), "{s}");
        }
        for s in [
            "及时",
            "有效提高",
            "一般",
            "统一标准",
            "一致",
            "质量合格",
            "多半满意",
            "",
        ] {
            assert!(!has_numeral(s), "{s}");
        }
    }

    #[test]
    fn units_and_names() {
        assert!(same_unit("新疆巴州和硕县民政局", "和硕县民政局"));
        assert!(same_unit("和硕县民政局", "新疆巴州和硕县民政局"));
        assert!(!same_unit("和硕县民政局", "和硕县医疗保障局"));
        assert_eq!(
            name_key("城乡居民医疗保险县级配套 项目"),
            "城乡居民医疗保险县级配套"
        );
        assert_eq!(name_key("项目"), "项目");
        assert!(!differ(Decimal::new(3588, 2), Decimal::new(35880, 3)));
        assert!(differ(Decimal::new(3588, 2), Decimal::new(3589, 2)));
    }
}
