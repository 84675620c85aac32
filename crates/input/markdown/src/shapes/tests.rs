use super::cell_per_line::strip_pipe_residue;
use super::*;

fn texts(page: &Page) -> Vec<Vec<String>> {
    page.grid
        .rows
        .iter()
        .map(|r| r.cells.iter().map(|c| c.text.clone()).collect())
        .collect()
}

fn read(text: &str, shape: Shape) -> Page {
    read_shape(&lines(text), Some("t.md"), shape)
}

#[test]
fn pipes_without_leading_pipe_drop_residue() {
    let p = read(
        "标题 | ||||||\n一级指标 | 二级指标 | 三级指标 | 指标值 | |\n甲 | | 乙 | |||\n",
        Shape::Pipes,
    );
    assert_eq!(
        texts(&p),
        vec![
            vec!["标题"],
            vec!["一级指标", "二级指标", "三级指标", "指标值"],
            vec!["甲", "", "乙"]
        ]
    );
    assert_eq!(
        p.grid.rows[2].cells[2].pos,
        Pos::Line { line: 3, column: 7 }
    );
}

#[test]
fn led_pipes_keep_empty_cells_and_continue_over_lines() {
    let p = read(
        "| 年度绩效目标 | 一级\n指标 | 二级\n指标 | 三级指标 |\n| a | | |\n| b | ||||\n",
        Shape::Pipes,
    );
    assert_eq!(
        texts(&p),
        vec![
            vec!["年度绩效目标", "一级\n指标", "二级\n指标", "三级指标"],
            vec!["a", "", ""],
            vec!["b"]
        ]
    );
    assert_eq!(
        p.grid.rows[0].cells[2].pos,
        Pos::Line { line: 2, column: 6 }
    );
}

#[test]
fn furniture_is_dropped_and_reported() {
    let p = read(
        "<image>data:image/png;base64,AAAA</image>\n当前位置:首页 > 政务公开\n- 发布机构:某局\n| 项目名称 | 甲 |\n",
        Shape::Pipes,
    );
    assert_eq!(texts(&p), vec![vec!["项目名称", "甲"]]);
    let lines: Vec<_> = p.diagnostics.iter().map(|d| d.location.line).collect();
    assert_eq!(lines, [Some(1), Some(2), Some(3)]);
    assert!(p.diagnostics.iter().all(|d| d.code == "I340"));
}

#[test]
fn cell_per_line_rows_start_at_lone_bars() {
    let p = read(
        "标题\n|\n表名 |\n||||\n|\n项目名称 |\n很长的\n名称 |\n|\n一 |\n二 |\n||\n",
        Shape::CellPerLine,
    );
    assert_eq!(
        texts(&p),
        vec![
            vec!["标题"],
            vec!["表名"],
            vec!["项目名称", "很长的\n名称"],
            vec!["一", "二"]
        ]
    );
}

#[test]
fn cell_per_line_pipe_only_lines_end_rows_and_leave_no_residue() {
    let p = read(
        "|\n一 |\n二 | ||\n|\n甲 |\n3500 | |\n|\n|\n| |||\n|\n乙 |\n丙 | |||\n",
        Shape::CellPerLine,
    );
    assert_eq!(
        texts(&p),
        vec![vec!["一", "二"], vec!["甲", "3500"], vec!["乙", "丙"]]
    );
    assert_eq!(strip_pipe_residue("a \\| |"), "a \\|");
}

#[test]
fn lone_bars_between_cells_make_a_stream() {
    let text = "标题\n项目名称\n|\n甲\n|\n其他资金\n|\n|\n一级 指标\n|\n≧90%\n";
    let p = read(text, Shape::BarSeparated);
    assert_eq!(
        texts(&p),
        vec![
            vec!["标题"],
            vec!["项目名称"],
            vec!["甲"],
            vec!["其他资金"],
            vec![""],
            vec!["一级 指标"],
            vec!["≧90%"]
        ]
    );
    let many = "a\n|\nb\n|\nc\n|\nd\n|\ne\n|\nf\n";
    assert_eq!(proposed(&lines(many)), vec![Shape::BarSeparated]);
    // Cells closed with ` |` are one cell per line, whose bars start rows.
    let closed = "|\na |\nb |\n|\nc |\nd |\n|\ne |\n|\n|\n|\n";
    assert_eq!(proposed(&lines(closed)), vec![Shape::CellPerLine]);
}

#[test]
fn paragraphs_are_a_stream_with_empty_cells() {
    let p = read(
        "项目名称\n\n甲\n\n其他资金\n\n \n\n乙\n",
        Shape::CellPerParagraph,
    );
    assert_eq!(
        texts(&p),
        vec![
            vec!["项目名称"],
            vec!["甲"],
            vec!["其他资金"],
            vec![""],
            vec!["乙"]
        ]
    );
    assert_eq!(
        p.grid.rows[4].cells[0].pos,
        Pos::Line { line: 9, column: 1 }
    );
}

#[test]
fn fixed_width_indents_and_wrapped_labels() {
    let text = "一级指标    二级指标    指标值\n产出指标    数量指标    ≥1人\n            质量指标    =100%\n效益指标    经济效益    提升\n            指标\n";
    let p = read(text, Shape::Spaces);
    assert_eq!(
        texts(&p),
        vec![
            vec!["一级指标", "二级指标", "指标值"],
            vec!["产出指标", "数量指标", "≥1人"],
            vec!["", "质量指标", "=100%"],
            vec!["效益指标", "经济效益指标", "提升"],
        ]
    );
    assert_eq!(p.diagnostics[0].code, "I341");
    assert_eq!(p.diagnostics[0].location.line, Some(5));
    assert_eq!(
        p.grid.rows[2].cells[1].pos,
        Pos::Line {
            line: 3,
            column: 13
        }
    );
}

proptest::proptest! {
    /// Cutting a line at single spaces loses no text and invents none: the cells, in
    /// order, are the line's non-space text, each found at its column; brackets only decide
    /// where cells end.
    #[test]
    fn single_space_cells_keep_every_character(
        line in "[甲乙 ()（）≥*个0-9\u{3000}]{0,40}"
    ) {
        let cells = single_space_cells(&line);
        let joined: String = cells.iter().flat_map(|(_, t)| t.chars()).collect();
        let text: String = line.chars().filter(|c| *c != ' ' && *c != '\u{3000}').collect();
        let kept: String = joined.chars().filter(|c| *c != ' ' && *c != '\u{3000}').collect();
        proptest::prop_assert_eq!(kept, text);
        for (column, cell) in &cells {
            let at: String = line.chars().skip(*column as usize - 1).take(cell.chars().count()).collect();
            proptest::prop_assert_eq!(&at, cell);
        }
    }

    /// A cell's text never ends in pipe residue, and what is left is where it was.
    #[test]
    fn pipe_residue_is_all_removed(text in "[甲1 |\\\\]{0,20}") {
        let kept = strip_pipe_residue(&text);
        proptest::prop_assert!(text.starts_with(kept));
        proptest::prop_assert!(!kept.ends_with(' '));
        proptest::prop_assert!(!kept.ends_with('|') || kept.ends_with("\\|"));
    }
}

#[test]
fn single_space_cells_keep_spaces_inside_brackets() {
    assert_eq!(
        single_space_cells("数量指标 数量( ≥**个 ) ≥5个"),
        vec![(1, "数量指标"), (6, "数量( ≥**个 )"), (17, "≥5个")]
    );
    // A bracket never closed keeps nothing together; a stray closing one is text.
    assert_eq!(
        single_space_cells("甲 (乙 丙"),
        vec![(1, "甲"), (3, "(乙"), (6, "丙")]
    );
    assert_eq!(single_space_cells("甲) 乙"), vec![(1, "甲)"), (4, "乙")]);
    assert_eq!(single_space_cells("  "), Vec::<(u32, &str)>::new());
}

#[test]
fn single_spaces() {
    let p = read(
        "标题\n项目名称 甲\n产出指标 数量指标 人数 ≥1人\n",
        Shape::SingleSpace,
    );
    assert_eq!(
        texts(&p),
        vec![
            vec!["标题"],
            vec!["项目名称", "甲"],
            vec!["产出指标", "数量指标", "人数", "≥1人"]
        ]
    );
    assert_eq!(p.grid.rows[0].kind, RowKind::Text);
}

#[test]
fn proposals() {
    let ls = |t: &'static str| lines(t).to_vec();
    assert_eq!(proposed(&ls("a\tb\nc\td\n")), Vec::<Shape>::new());
    assert_eq!(
        proposed(&ls("| a | b |\n|---|---|\n| c | d |\n")),
        Vec::<Shape>::new()
    );
    assert_eq!(proposed(&ls("a | b\nc | d | |||\n")), vec![Shape::Pipes]);
    assert!(proposed(&ls("a  b  c\nd  e\nf  g\n")).contains(&Shape::Spaces));
    assert!(proposed(&ls("a b c\nd e\nf g\n")).contains(&Shape::SingleSpace));
    // A whole table on one line is a stream; ordinary single-space rows are not.
    let table = ["一级指标 二级指标 三级指标 指标值"; 12].join(" ");
    assert!(proposed(&lines(&table)).contains(&Shape::SpaceStream));
    assert!(!proposed(&ls("a b c\nd e\nf g\n")).contains(&Shape::SpaceStream));
    // A TAB table with a few lines of prose is not read in the space shapes.
    let mostly_tabs = ls("a b c\nd e\nf g\nx\ty\nx\ty\nx\ty\nx\ty\n");
    assert!(!proposed(&mostly_tabs).contains(&Shape::SingleSpace));
}

#[test]
fn padded_pipe_rows_continue_after_a_line_broken_inside_a_cell() {
    // Rows padded to the width (11 `|`) with a run of `|`; a cell holding a line break ends
    // its line with a single `|`, and the row goes on below, through a line of only `|`.
    let text = "标题 | ||||||||||\n绩效指标 | 一级 指标 |\n二级指标 | 三级指标 | 指标值 | ||||||||\n\
                产出指标 |\n数量指标 | 甲 | 3个 | ||||||||\n效益指标 |\n|||||||||\n乙 | 9人 | |||||||||\n";
    assert_eq!(
        texts(&read(text, Shape::Pipes)),
        vec![
            vec!["标题"],
            vec!["绩效指标", "一级 指标", "二级指标", "三级指标", "指标值"],
            vec!["产出指标", "数量指标", "甲", "3个"],
            vec!["效益指标"],
            vec!["乙", "9人"],
        ]
    );
    // A row as wide as the table ends with a single `|` all the same.
    let text = "标题 | |||\n甲 | 乙 | 丙 | 丁 |\n戊 | ||||\n己 | |||\n";
    assert_eq!(
        texts(&read(text, Shape::Pipes)),
        vec![
            vec!["标题"],
            vec!["甲", "乙", "丙", "丁"],
            vec!["戊"],
            vec!["己"]
        ]
    );
    // Without padded rows a single closing `|` is how every row ends.
    let text = "一级指标 | 二级指标 |\n产出指标 | 数量指标 |\n";
    assert_eq!(
        texts(&read(text, Shape::Pipes)),
        vec![vec!["一级指标", "二级指标"], vec!["产出指标", "数量指标"]]
    );
}
