//! Property tests of the value parser: parse → display → parse is stable, and quantified
//! values built from parts read back as those parts.

use jixiao_model::{Decimal, Op, Value};
use proptest::prelude::*;
use std::str::FromStr;

const UNITS: &[&str] = &[
    "",
    "人",
    "次",
    "%",
    "万元",
    "元",
    "万人",
    "个工作日",
    "元/人",
    "人次",
    "天",
    "户",
    "km",
];
const SIGNS: &[(&str, Option<Op>)] = &[
    ("", None),
    ("≥", Some(Op::Ge)),
    (">=", Some(Op::Ge)),
    ("＞＝", Some(Op::Ge)),
    ("≧", Some(Op::Ge)),
    ("不低于", Some(Op::Ge)),
    ("≤", Some(Op::Le)),
    ("<=", Some(Op::Le)),
    ("≦", Some(Op::Le)),
    ("不超过", Some(Op::Le)),
    ("=", Some(Op::Eq)),
    ("＝", Some(Op::Eq)),
    ("═", Some(Op::Eq)),
    (">", Some(Op::Gt)),
    ("＞", Some(Op::Gt)),
    ("<", Some(Op::Lt)),
    ("＜", Some(Op::Lt)),
];

fn number() -> impl Strategy<Value = String> {
    ("(0|[1-9][0-9]{0,6})", proptest::option::of("[0-9]{1,3}")).prop_map(|(i, f)| match f {
        Some(f) => format!("{i}.{f}"),
        None => i,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn parts_are_read_back(sign in proptest::sample::select(SIGNS), n in number(), unit in proptest::sample::select(UNITS)) {
        let raw = format!("{}{}{}", sign.0, n, unit);
        let v = Value::parse(&raw);
        prop_assert_eq!(v.op, sign.1);
        prop_assert_eq!(v.number, Some(Decimal::from_str(&n).unwrap()));
        prop_assert_eq!(v.number.unwrap().to_string(), n, "digits are kept");
        prop_assert_eq!(v.unit.as_deref(), (!unit.is_empty()).then_some(unit));
        prop_assert_eq!(&v.raw, &raw);
    }

    #[test]
    fn parse_display_parse_is_stable(raw in "\\PC{0,12}") {
        let once = Value::parse(&raw);
        let twice = Value::parse(&once.to_string());
        prop_assert_eq!((once.op, once.number, once.unit), (twice.op, twice.number, twice.unit));
    }

    #[test]
    fn built_values_display_and_parse_back(sign in proptest::sample::select(SIGNS), n in number(), unit in proptest::sample::select(UNITS)) {
        let built = Value::quantified(sign.1, Decimal::from_str(&n).unwrap(), (!unit.is_empty()).then_some(unit));
        let back = Value::parse(&built.raw);
        prop_assert_eq!((back.op, back.number, back.unit), (built.op, built.number, built.unit));
    }
}
