//! Property: a table reflowed into any text shape gives the same indicators as its TAB form.
//!
//! Tables are generated from the framework's vocabulary (level-1/level-2 names of
//! `templates/framework.toml`), invented level-3 names and values (`≥95%`, `=100人`,
//! `2024年12月底前` …). Each is rendered as TAB text (merged 一级/二级 cells flattened to empty
//! cells, as OCR gives them) and reflowed into the other shapes: pipe rows without a `|---|`
//! line (rows that lost their merged cells are shorter), one cell per line with lone `|` lines
//! starting rows, one cell per paragraph (lost cells simply absent), fixed-width columns
//! separated by runs of spaces (lost cells are indentation) and single spaces (cells hold no
//! spaces). Every shape is read through [`jixiao_markdown::readings`] and
//! [`jixiao_recognize::score::choose`], as the pipeline does.

use jixiao_model::framework::Framework;
use jixiao_recognize::{Options, score};
use proptest::prelude::*;
use unicode_width::UnicodeWidthStr;

const LEVEL3: &[&str] = &[
    "受益群众人数",
    "设施完好率",
    "任务完成时间",
    "人均补助标准",
    "道路养护里程",
    "培训合格率",
    "资金拨付时限",
    "群众知晓率",
    "新增就业人数",
    "农户收入增长",
    "工程验收合格率",
    "服务覆盖村数",
];

/// One indicator: level-1 and level-2 indexes into the 88号 scheme, level 3, value.
#[derive(Debug, Clone)]
struct Ind {
    l1: usize,
    l2: usize,
    l3: String,
    value: String,
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        (1u32..100).prop_map(|n| format!("≥{n}%")),
        (1u32..5000).prop_map(|n| format!("={n}人")),
        (2020u32..2030, 1u32..13).prop_map(|(y, m)| format!("{y}年{m}月底前")),
        (1u32..900).prop_map(|n| format!("≤{n}.5万元")),
        Just("有效提升".to_string()),
    ]
}

fn table() -> impl Strategy<Value = Vec<Ind>> {
    let fw = Framework::standard();
    let scheme = &fw.scheme[0];
    let sizes: Vec<usize> = scheme.level1.iter().map(|l| l.level2.len()).collect();
    prop::collection::vec((0..sizes.len(), 0usize..8, 0..LEVEL3.len(), value()), 1..9).prop_map(
        move |rows| {
            let mut out: Vec<Ind> = rows
                .into_iter()
                .enumerate()
                .map(|(k, (l1, l2, l3, value))| Ind {
                    l1,
                    l2: l2 % sizes[l1],
                    // Numbered so that level-3 names are unique, as in a real table.
                    l3: format!("{}{}", LEVEL3[l3], k + 1),
                    value,
                })
                .collect();
            out.sort_by_key(|i| (i.l1, i.l2));
            out
        },
    )
}

/// The table as rows of cells, merged 一级/二级 cells flattened to empty cells.
fn rows(inds: &[Ind]) -> Vec<Vec<String>> {
    let fw = Framework::standard();
    let scheme = &fw.scheme[0];
    let mut rows = vec![vec![
        "一级指标".into(),
        "二级指标".into(),
        "三级指标".into(),
        "指标值".into(),
    ]];
    let mut last: Option<(usize, usize)> = None;
    for i in inds {
        let l1 = &scheme.level1[i.l1];
        let new_l1 = last.is_none_or(|(a, _)| a != i.l1);
        let new_l2 = new_l1 || last.is_none_or(|(_, b)| b != i.l2);
        rows.push(vec![
            if new_l1 {
                l1.name.clone()
            } else {
                String::new()
            },
            if new_l2 {
                l1.level2[i.l2].clone()
            } else {
                String::new()
            },
            i.l3.clone(),
            i.value.clone(),
        ]);
        last = Some((i.l1, i.l2));
    }
    rows
}

const HEAD: &[[&str; 2]] = &[["项目名称", "农村道路养护"], ["预算单位", "某县交通运输局"]];
const TITLE: &str = "某县2024年项目支出绩效目标表";

/// The cells of a row without the empty cells a lost merge left at its start.
fn kept(row: &[String]) -> Vec<&str> {
    let lead = row.iter().take_while(|c| c.is_empty()).count();
    row[lead..].iter().map(String::as_str).collect()
}

fn tab(rows: &[Vec<String>]) -> String {
    let mut s = format!("{TITLE}\n");
    for [l, v] in HEAD {
        s += &format!("{l}\t{v}\n");
    }
    for r in rows {
        s += &r.join("\t");
        s.push('\n');
    }
    s
}

fn pipes(rows: &[Vec<String>]) -> String {
    let mut s = format!("{TITLE} | |||\n");
    for [l, v] in HEAD {
        s += &format!("{l} | {v} | ||\n");
    }
    for r in rows {
        s += &kept(r).join(" | ");
        s += " | ||\n";
    }
    s
}

fn cell_per_line(rows: &[Vec<String>]) -> String {
    let mut s = format!("{TITLE}\n|\n");
    for [l, v] in HEAD {
        s += &format!("{l} |\n{v} |\n|\n");
    }
    for (k, r) in rows.iter().enumerate() {
        for c in kept(r) {
            s += &format!("{c} |\n");
        }
        if k + 1 < rows.len() {
            s += if k % 2 == 0 { "|\n" } else { "||\n|\n" };
        }
    }
    s
}

fn paragraphs(rows: &[Vec<String>]) -> String {
    let mut s = format!("{TITLE}\n\n");
    for [l, v] in HEAD {
        s += &format!("{l}\n\n{v}\n\n");
    }
    for r in rows {
        for c in kept(r) {
            s += &format!("{c}\n\n");
        }
    }
    s
}

fn fixed_width(rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..4)
        .map(|c| rows.iter().map(|r| r[c].width()).max().unwrap_or(0) + 4)
        .collect();
    let mut s = format!("        {TITLE}\n");
    for [l, v] in HEAD {
        s += &format!("{l}    {v}\n");
    }
    s.push('\n');
    for r in rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            line += cell;
            if c + 1 < r.len() {
                line += &" ".repeat(widths[c] - cell.width());
            }
        }
        s += line.trim_end();
        s.push('\n');
    }
    s
}

fn single_space(rows: &[Vec<String>]) -> String {
    let mut s = format!("{TITLE}\n");
    for [l, v] in HEAD {
        s += &format!("{l} {v}\n");
    }
    for r in rows {
        s += &kept(r).join(" ");
        s.push('\n');
    }
    s
}

/// The indicators the pipeline reads from a text: (一级, 二级, 三级, 指标值).
fn read(text: &str) -> Vec<[String; 4]> {
    let readings = jixiao_markdown::readings(text, Some("p.txt")).map(|r| (r.shape, r.page.grid));
    let choice = score::choose(readings, &Options::default());
    choice
        .document
        .projects
        .iter()
        .flat_map(|p| &p.indicators)
        .map(|i| {
            [
                i.level1.clone(),
                i.level2.clone(),
                i.level3.clone(),
                i.value.raw.clone(),
            ]
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_shape_reads_like_the_tab_form(inds in table()) {
        let rows = rows(&inds);
        let from_tab = read(&tab(&rows));
        // The TAB form reads every row (the groups of blank 一级/二级 cells are the
        // recognizer's to rebuild, the same way in every shape).
        let names: Vec<[&str; 2]> = from_tab.iter().map(|i| [i[2].as_str(), i[3].as_str()]).collect();
        let want: Vec<[&str; 2]> = inds.iter().map(|i| [i.l3.as_str(), i.value.as_str()]).collect();
        prop_assert_eq!(names, want);
        for (name, text) in [
            ("pipes", pipes(&rows)),
            ("cell per line", cell_per_line(&rows)),
            ("cell per paragraph", paragraphs(&rows)),
            ("fixed width", fixed_width(&rows)),
            ("single space", single_space(&rows)),
        ] {
            prop_assert_eq!(&read(&text), &from_tab, "{}:\n{}", name, text);
        }
    }
}
