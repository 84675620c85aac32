//! Bad input never panics: amounts at the edge of what a number can hold, odd names and
//! values, empty tables.

use jixiao_check::{CheckOptions, check};
use jixiao_model::{
    Decimal, Document, Funds, Indicator, Location, Project, Summary, SummaryRow, Value,
};
use proptest::prelude::*;
use std::str::FromStr;

fn amount() -> impl Strategy<Value = Option<Decimal>> {
    prop_oneof![
        Just(None),
        Just(Some(Decimal::MAX)),
        Just(Some(Decimal::MIN)),
        (-1_000_000i64..1_000_000, 0u32..6).prop_map(|(n, s)| Some(Decimal::new(n, s))),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        "[≤≥=]?[0-9]{1,28}(\\.[0-9]{1,4})?(万元|元|亿元|次|期|%|人)?"
            .prop_map(|s| Value::parse(&s)),
        "\\PC{0,8}".prop_map(|s| Value::parse(&s)),
    ]
}

fn indicator() -> impl Strategy<Value = Indicator> {
    (
        prop_oneof![
            Just("产出指标"),
            Just("成本指标"),
            Just("满意度指标"),
            Just(""),
            Just("乱")
        ],
        prop_oneof![
            Just("数量指标"),
            Just("经济成本指标"),
            Just("满意度指标"),
            Just("")
        ],
        prop_oneof![
            Just("每次发放资金数"),
            Just("发放次数"),
            Just("城市满意度"),
            Just(""),
            Just("农村覆盖率")
        ],
        value(),
    )
        .prop_map(|(l1, l2, l3, value)| Indicator {
            level1: l1.into(),
            level2: l2.into(),
            level3: l3.into(),
            value,
            location: Location::default(),
            evaluation: None,
        })
}

fn project() -> impl Strategy<Value = Project> {
    (
        prop_oneof![
            Just("城市低保"),
            Just("农村低保"),
            Just(""),
            Just("项目"),
            Just("城")
        ],
        amount(),
        amount(),
        amount(),
        "\\PC{0,20}",
        proptest::collection::vec(indicator(), 0..8),
    )
        .prop_map(|(name, total, fiscal, other, goal, indicators)| Project {
            project_name: name.into(),
            funds: Funds {
                total,
                fiscal,
                other,
                location: None,
            },
            goal,
            indicators,
            ..Project::default()
        })
}

proptest! {
    #[test]
    fn check_never_panics(projects in proptest::collection::vec(project(), 0..4), totals in proptest::collection::vec(amount(), 0..4), total in amount()) {
        let rows = totals
            .into_iter()
            .zip(projects.iter())
            .map(|(funds_total, p)| SummaryRow { project_name: p.project_name.clone(), funds_total, ..SummaryRow::default() })
            .collect();
        let doc = Document {
            summary: Some(Summary { rows, total, total_location: Some(Location::default()), ..Summary::default() }),
            projects,
            ..Document::default()
        };
        let found = check(&doc, &CheckOptions::default());
        for d in &found {
            prop_assert!(d.code.is_review(), "not a review rule: {}", d.code);
        }
    }
}

#[test]
fn huge_amounts_are_judged_not_crashed() {
    let big = Decimal::from_str("79228162514264337593543950335").unwrap();
    let doc = Document {
        projects: vec![Project {
            project_name: "p".into(),
            funds: Funds {
                total: Some(big),
                fiscal: Some(-big),
                other: Some(-big),
                location: None,
            },
            indicators: vec![
                Indicator {
                    level3: "发放次数".into(),
                    value: Value::parse("=99999次"),
                    ..Indicator::default()
                },
                Indicator {
                    level3: "每次发放资金数".into(),
                    value: Value::parse("≤9999999999999999999999999999亿元"),
                    ..Indicator::default()
                },
            ],
            ..Project::default()
        }],
        ..Document::default()
    };
    let codes: Vec<String> = check(&doc, &CheckOptions::default())
        .into_iter()
        .map(|d| d.code.to_string())
        .collect();
    assert!(codes.contains(&"C203".to_string()), "{codes:?}");
}
