//! The layout's tests: the form's tables from documents, and templates refused.

use super::*;
use jixiao_model::{Indicator, Summary, SummaryRow, Value};
use std::str::FromStr;

fn ind(l1: &str, l2: &str) -> Indicator {
    Indicator {
        level1: l1.into(),
        level2: l2.into(),
        level3: "x".into(),
        value: Value::parse("1"),
        ..Indicator::default()
    }
}

#[test]
fn level2_groups_stay_inside_level1() {
    let p = Project {
        indicators: vec![
            ind("产出指标", "数量指标"),
            ind("产出指标", "满意度指标"),
            ind("满意度指标", "满意度指标"),
            ind("满意度指标", "满意度指标"),
        ],
        ..Project::default()
    };
    let t = project(&p, Template::standard());
    let h = t.header_row.unwrap();
    let spans: Vec<Vec<(usize, usize)>> = t.rows[h + 1..]
        .iter()
        .map(|r| r.cells.iter().map(|c| (c.col, c.row_span)).collect())
        .collect();
    assert_eq!(spans[0], vec![(0, 2), (1, 1), (2, 1), (5, 1)]);
    assert_eq!(spans[1], vec![(1, 1), (2, 1), (5, 1)]);
    assert_eq!(spans[2], vec![(0, 2), (1, 2), (2, 1), (5, 1)]);
    assert_eq!(spans[3], vec![(2, 1), (5, 1)]);
}

#[test]
fn amounts_filled_from_project_tables_are_marked_in_the_remark() {
    let row = |name: &str, amount: Option<&str>, remark: Option<&str>| SummaryRow {
        department: "和硕县民政局".into(),
        project_name: name.into(),
        funds_total: amount.map(|a| Decimal::from_str(a).unwrap()),
        remark: remark.map(str::to_string),
        ..SummaryRow::default()
    };
    let project = |name: &str, amount: &str| {
        let mut p = Project {
            budget_unit: "和硕县民政局".into(),
            project_name: name.into(),
            ..Project::default()
        };
        p.funds.total = Some(Decimal::from_str(amount).unwrap());
        p
    };
    let doc = Document {
        summary: Some(Summary {
            rows: vec![
                row("城市低保", Some("12.6"), None),
                row("农村低保", None, None),
                row("临时救助", None, Some("新增")),
                row("医疗救助", None, None),
            ],
            ..Summary::default()
        }),
        projects: vec![
            project("城市低保", "99"),
            project("农村低保", "30.5"),
            project("临时救助", "4"),
        ],
        ..Document::default()
    };
    let lines = summary_lines(&doc);
    let got: Vec<(Option<String>, Option<&str>)> = lines
        .iter()
        .map(|l| (l.funds_total.map(|d| d.to_string()), l.remark.as_deref()))
        .collect();
    let marked = format!("新增；{FILLED_FROM_PROJECT}");
    assert_eq!(
        got,
        [
            (Some("12.6".into()), None),
            (Some("30.5".into()), Some(FILLED_FROM_PROJECT)),
            (Some("4".into()), Some(marked.as_str())),
            (None, None),
        ]
    );
}

#[test]
fn an_out_of_range_total_is_left_empty_and_reported() {
    let d = |s: &str| Decimal::from_str(s).unwrap();
    let mut doc = Document::default();
    for (name, total) in [
        ("校舍维修", "60000000000000000000000000000"),
        ("校车购置", "60000000000000000000000000000"),
    ] {
        let mut p = Project {
            project_name: name.into(),
            location: Location::line(Some("a.md"), 9, 1),
            ..Project::default()
        };
        p.funds.total = Some(d(total));
        doc.projects.push(p);
    }
    let t = summary(&doc, Template::standard()).unwrap();
    let total = &t.rows[3];
    assert_eq!(total.kind, RowKind::Total);
    assert_eq!(total.cells[1].content, Content::Empty);
    let found = omitted(&doc);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "L403");
    assert!(
        found[0].message.contains("校车购置"),
        "{}",
        found[0].message
    );
    assert_eq!(found[0].location.line, Some(9));
    // In range: no L403.
    doc.projects[1].funds.total = Some(d("1"));
    assert!(omitted(&doc).is_empty());
}

#[test]
fn summary_takes_amounts_from_projects_and_sums() {
    let d = |s: &str| Decimal::from_str(s).unwrap();
    let mut doc = Document {
        summary: Some(Summary {
            year: Some(2022),
            region: Some("和硕县".into()),
            rows: vec![
                SummaryRow {
                    seq: Some(1),
                    department: "新疆巴州和硕县民政局".into(),
                    project_name: "城市低保".into(),
                    ..SummaryRow::default()
                },
                SummaryRow {
                    seq: Some(2),
                    department: "新疆巴州和硕县民政局".into(),
                    project_name: "农村低保".into(),
                    ..SummaryRow::default()
                },
            ],
            ..Summary::default()
        }),
        ..Document::default()
    };
    for (name, total) in [("城市低保", "35.88"), ("农村低保", "188.42")] {
        let mut p = Project {
            project_name: name.into(),
            ..Project::default()
        };
        p.funds.total = Some(d(total));
        doc.projects.push(p);
    }
    let t = summary(&doc, Template::standard()).unwrap();
    assert_eq!(t.title, "2022年度和硕县重大政策和重点项目绩效目标汇总表");
    assert_eq!(t.rows[1].cells[3].content, Content::Number(d("35.88")));
    let total = &t.rows[3];
    assert_eq!(total.kind, RowKind::Total);
    assert_eq!(total.cells[0].col_span, 3);
    assert_eq!(
        total.cells[1].content,
        Content::Sum {
            value: d("224.30"),
            rows: (1, 2)
        }
    );
    assert_eq!(total.cells[1].content.text(), "224.30");
}

#[test]
fn what_the_form_cannot_hold_is_reported() {
    let mut p = Project {
        project_name: "甲".into(),
        budget_unit: "某局".into(),
        ..Project::default()
    };
    assert!(
        omitted(&Document {
            projects: vec![p.clone()],
            ..Document::default()
        })
        .is_empty()
    );
    p.midterm_goal = Some("三年内完成".into());
    p.midterm_indicators = vec![ind("产出指标", "数量指标")];
    p.implementing_unit = Some("某中心".into());
    let found = omitted(&Document {
        projects: vec![p],
        ..Document::default()
    });
    let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["L401", "L402"]);
    assert!(
        found[0].message.contains("中期目标、中期指标 1 条"),
        "{}",
        found[0].message
    );
}

#[test]
fn bad_templates_are_refused() {
    let wide = STANDARD_TOML.replace(
        "{ field = \"goal\", span = 6, align = \"left\" }",
        "{ field = \"goal\", span = 9 }",
    );
    assert!(matches!(
        Template::from_toml(&wide),
        Err(TemplateError::Invalid(_))
    ));
    let unknown = STANDARD_TOML.replace("field = \"budget_unit\"", "field = \"nope\"");
    assert!(matches!(
        Template::from_toml(&unknown),
        Err(TemplateError::Invalid(_))
    ));
    assert!(matches!(
        Template::from_toml("x = "),
        Err(TemplateError::Toml(_))
    ));
}

#[test]
fn sizes_out_of_range_are_refused_naming_the_key() {
    for (from, to, key) in [
        (
            "margin_top_mm = 18.0",
            "margin_top_mm = 400",
            "page.margin_top_mm",
        ),
        (
            "margin_left_mm = 15.0",
            "margin_left_mm = -1.0",
            "page.margin_left_mm",
        ),
        ("body_size = 10.5", "body_size = 500", "font.body_size"),
        ("body_size = 10.5", "body_size = nan", "font.body_size"),
        ("title_size = 16.0", "title_size = 0.0", "font.title_size"),
        (
            "line_spacing = 1.35",
            "line_spacing = 1e308",
            "font.line_spacing",
        ),
        (
            "line_spacing = 1.35",
            "line_spacing = inf",
            "font.line_spacing",
        ),
        (
            "columns = [13, 13, 12, 12, 11, 12, 11]",
            "columns = [13, 13, 12, 12, 11, 12, 0]",
            "project.columns[6]",
        ),
        (
            "columns = [13, 13, 12, 12, 11, 12, 11]",
            "columns = [13, 13, 12, 12, 11, 12, 1e30]",
            "project.columns[6]",
        ),
    ] {
        assert!(STANDARD_TOML.contains(from), "{from}");
        let bad = STANDARD_TOML.replacen(from, to, 1);
        match Template::from_toml(&bad) {
            Err(TemplateError::Invalid(m)) => assert!(m.contains(key), "{to}: {m}"),
            other => panic!("{to}: {other:?}"),
        }
    }
    // the limits themselves are accepted
    let edge = STANDARD_TOML
        .replace("margin_top_mm = 18.0", "margin_top_mm = 60")
        .replace("body_size = 10.5", "body_size = 24")
        .replace("line_spacing = 1.35", "line_spacing = 3");
    assert!(Template::from_toml(&edge).is_ok());
}
