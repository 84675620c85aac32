//! Properties of the budget-system reading: labels are known by meaning however they are
//! spaced, broken or bracketed; a long table gives one project per run of rows with the same
//! key; placeholder rows never become indicators.

use jixiao_grid::{Cell, Covered, Grid, Pos, Row, RowKind};
use jixiao_model::framework::Labels;
use jixiao_recognize::labels::{Label, amount_unit, label};
use jixiao_recognize::{Options, recognize};
use proptest::prelude::*;

/// `text` with whitespace (spaces, full-width spaces, line breaks) put after chosen characters,
/// as clerks letter-space labels or wrap them in narrow cells.
fn spaced(text: &str, gaps: &[u8]) -> String {
    let mut out = String::new();
    for (k, c) in text.chars().enumerate() {
        out.push(c);
        match gaps.get(k).copied().unwrap_or(0) % 5 {
            1 => out.push(' '),
            2 => out.push('\u{3000}'),
            3 => out.push('\n'),
            _ => {}
        }
    }
    out
}

proptest! {
    #[test]
    fn amount_labels_by_meaning(
        k in 0usize..4,
        unit in 0usize..3,
        colon in 0usize..3,
        gaps in proptest::collection::vec(any::<u8>(), 0..12),
    ) {
        let names = ["本年度项目金额", "项目资金总额", "年度资金总额", "当年预算"];
        let bracket = ["", "（万元）", "(元)"][unit];
        let text = format!("{}{bracket}{}", spaced(names[k], &gaps), ["", "：", ":"][colon]);
        prop_assert_eq!(label(Labels::standard(), &text), Some(Label::FundsTotal));
        prop_assert_eq!(amount_unit(&text), [None, Some(false), Some(true)][unit]);
    }

    #[test]
    fn any_text_is_classified_without_panic(text in "\\PC{0,40}") {
        let _ = label(Labels::standard(), &text);
        let _ = amount_unit(&text);
    }

    /// A long table whose rows belong to projects in runs: one project per run, each with its
    /// rows' indicators, and no placeholder row among them.
    #[test]
    fn long_tables_split_by_key(
        runs in proptest::collection::vec((1usize..5, any::<bool>(), any::<bool>()), 1..6),
    ) {
        let mut grid = Grid::new(Some("t.xlsx".into()), Some("明细".into()));
        let cell = |r: u32, c: u32, t: &str| Cell::new(t, Pos::Sheet { row: r, col: c });
        let head = ["项目名称", "申请单位", "一级指标", "二级指标", "三级指标", "指标值"];
        grid.rows.push(Row::new(
            RowKind::Table,
            head.iter().enumerate().map(|(c, t)| cell(0, c as u32, t)).collect(),
        ));
        let mut r = 1u32;
        let mut expected = Vec::new();
        for (p, (n, merged, placeholder)) in runs.iter().enumerate() {
            let name = format!("项目{p}");
            for i in 0..*n {
                let mut cells = Vec::new();
                if i > 0 && *merged {
                    cells.push(Cell::covered(Covered::Above, Pos::Sheet { row: r, col: 0 }));
                    cells.push(Cell::covered(Covered::Above, Pos::Sheet { row: r, col: 1 }));
                } else {
                    cells.push(cell(r, 0, &name));
                    cells.push(cell(r, 1, "某局"));
                }
                cells.push(cell(r, 2, "产出指标"));
                cells.push(cell(r, 3, "数量指标"));
                cells.push(cell(r, 4, &format!("指标{p}-{i}")));
                cells.push(cell(r, 5, "≥1人"));
                grid.rows.push(Row::new(RowKind::Table, cells));
                r += 1;
            }
            if *placeholder {
                grid.rows.push(Row::new(
                    RowKind::Table,
                    vec![
                        cell(r, 0, &name),
                        cell(r, 1, "某局"),
                        cell(r, 2, "效益指标"),
                        cell(r, 3, "生态效益指标"),
                        cell(r, 4, "不适用"),
                        cell(r, 5, "不适用"),
                    ],
                ));
                r += 1;
            }
            expected.push((name, *n));
        }
        let doc = recognize(&[grid], &Options::default());
        let got: Vec<(String, usize)> = doc
            .projects
            .iter()
            .map(|p| (p.project_name.clone(), p.indicators.len()))
            .collect();
        prop_assert_eq!(got, expected);
        for p in &doc.projects {
            prop_assert!(p.indicators.iter().all(|i| i.level3 != "不适用"));
            prop_assert_eq!(p.budget_unit.as_str(), "某局");
        }
    }
}
