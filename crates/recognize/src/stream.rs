//! Rebuilding rows from a stream of cells.
//!
//! Some texts give every cell on its own (one cell per paragraph, no row markers): the reader
//! hands over a *stream* grid, one cell per row ([`jixiao_grid::Shape::is_stream`]). Where one row ends and
//! the next begins is form knowledge, so it is decided here, from what the form says:
//!
//! - **Header block** (before the indicator table): a field label (项目名称, 预算单位,
//!   年度资金总额, 其中：财政拨款, 总体目标 …) starts a row, and the cells up to the next label
//!   are its values; cells before the first label (the title) are one-cell rows each.
//! - **Indicator header**: the first run of cells that name indicator columns (一级指标,
//!   二级指标, 三级指标, 指标值 …) is the header row; its length is the table's column count.
//!   A 绩效指标 section heading right before it is a row of its own.
//! - **Indicator rows**: a row whose 一级/二级 cells were merged over several rows lost them,
//!   so a row may start at any of the three levels. A cell that is a level-1 name of
//!   `templates/framework.toml` fills the 一级 column, then a level-2 name the 二级 column; the
//!   next cell is the 三级 name, the one after it the value, then as many cells as the header
//!   has columns after its value column (分值, 指标解释 …). Rows are written out aligned to
//!   the header, with empty cells for the lost 一级/二级 cells, so that the recognizer sees an
//!   ordinary table with merged cells flattened.
//! - A field label after the indicator table (a second project) starts over with a header
//!   block.
//!
//! Every rebuilt stream is reported (R132) with the number of rows rebuilt.

use crate::{labels, wrap};
use jixiao_grid::{Cell, Grid, Row, RowKind};
use jixiao_model::framework::Framework;
use jixiao_model::{Code, Diagnostic, Location};

/// Rebuilds the rows of a stream grid (one cell per row, in reading order). A grid with no
/// stream in it (no row has exactly one cell) is returned as it is. Diagnostics: R132 (info)
/// for every stream rebuilt, with its row count; R133 (warning) when the stream ends inside an
/// indicator row.
pub fn rebuild(grid: &Grid, fw: &Framework) -> (Grid, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let joined = join_wrapped(grid, fw, &mut diags);
    let cells: Vec<&Cell> = joined.iter().collect();
    let mut out = Grid::new(grid.file.clone(), grid.sheet.clone());
    let mut k = 0;
    while k < cells.len() {
        k = block(fw, grid, &cells, k, &mut out, &mut diags);
    }
    (out, diags)
}

/// The cells of the stream with names that wrapped onto the next paragraph joined
/// (`经济效益` + `指标`, `一级` + `指标`; see [`wrap::joined_label`]): a piece taken for a cell
/// of its own would push every later cell of the row one column on. One R134 says how many
/// were joined and where the first is.
fn join_wrapped(grid: &Grid, fw: &Framework, diags: &mut Vec<Diagnostic>) -> Vec<Cell> {
    let mut out: Vec<Cell> = Vec::new();
    let mut count = 0usize;
    let mut first: Option<(Location, String, String)> = None;
    for cell in grid.rows.iter().flat_map(|r| r.cells.first()) {
        if let Some(prev) = out.last_mut()
            && let Some(name) = wrap::joined_label(fw, &fw.labels, &prev.text, &cell.text)
        {
            count += 1;
            first.get_or_insert_with(|| (loc(grid, prev), prev.text.clone(), cell.text.clone()));
            prev.text = name;
            continue;
        }
        out.push(cell.clone());
    }
    if let Some((at, head, tail)) = first {
        diags.push(wrapped_diagnostic(count, &head, &tail, at));
    }
    out
}

/// R134: `count` names broken over two lines or paragraphs were joined; the first is
/// `head` + `tail` at `at`.
pub(crate) fn wrapped_diagnostic(count: usize, head: &str, tail: &str, at: Location) -> Diagnostic {
    let (head, tail) = (head.trim(), tail.trim());
    Diagnostic::new(
        Code::R134,
        format!(
            "{count} 处指标名称或列名被折成两行（如“{head}”+“{tail}”），已按指标体系合并为一个名称（如“{head}{tail}”）"
        ),
        at,
    )
}

fn loc(grid: &Grid, cell: &Cell) -> Location {
    crate::location(grid, &cell.pos)
}

fn is_label(fw: &Framework, text: &str) -> bool {
    labels::label(&fw.labels, text).is_some()
        || labels::label_with_value(&fw.labels, text).is_some()
}

/// The length of the run of indicator-column names starting at `k`, if it names at least
/// 一级, 二级 (or 三级) and a value column.
fn header_run(fw: &Framework, cells: &[&Cell], k: usize) -> Option<usize> {
    let run = cells[k..]
        .iter()
        .take_while(|c| labels::column(&fw.labels, &c.text).is_some())
        .count();
    let cols: Vec<labels::Column> = cells[k..k + run]
        .iter()
        .filter_map(|c| labels::column(&fw.labels, &c.text))
        .collect();
    (run >= 3
        && cols.first() == Some(&labels::Column::Level1)
        && cols.contains(&labels::Column::Level3))
    .then_some(run)
}

/// Reads one header block and the indicator table after it, starting at cell `k`; returns
/// where the next block starts.
fn block(
    fw: &Framework,
    grid: &Grid,
    cells: &[&Cell],
    start: usize,
    out: &mut Grid,
    diags: &mut Vec<Diagnostic>,
) -> usize {
    let mut k = start;
    // Header block: rows start at labels.
    let mut row: Vec<Cell> = Vec::new();
    let flush = |row: &mut Vec<Cell>, out: &mut Grid| {
        if !row.is_empty() {
            let kind = if row.len() == 1 {
                RowKind::Text
            } else {
                RowKind::Table
            };
            out.rows.push(Row::new(kind, std::mem::take(row)));
        }
    };
    let header = loop {
        if k >= cells.len() {
            flush(&mut row, out);
            return k;
        }
        if let Some(run) = header_run(fw, cells, k) {
            flush(&mut row, out);
            break run;
        }
        let cell = cells[k];
        if is_label(fw, &cell.text)
            || labels::is_section_heading(&fw.labels, &cell.text)
            || row.is_empty()
        {
            flush(&mut row, out);
            row.push(cell.clone());
            // Title lines before the first label stand alone.
            if !is_label(fw, &cell.text) {
                flush(&mut row, out);
            }
        } else {
            row.push(cell.clone());
        }
        k += 1;
    };
    let columns: Vec<Option<labels::Column>> = cells[k..k + header]
        .iter()
        .map(|c| labels::column(&fw.labels, &c.text))
        .collect();
    out.rows.push(Row::new(
        RowKind::Table,
        cells[k..k + header].iter().map(|c| (*c).clone()).collect(),
    ));
    k += header;
    let find = |want: labels::Column| columns.iter().position(|c| *c == Some(want));
    let (Some(l1), Some(l3)) = (find(labels::Column::Level1), find(labels::Column::Level3)) else {
        return k;
    };
    let l2 = find(labels::Column::Level2);
    let value = find(labels::Column::Value).unwrap_or(l3 + 1);
    let width = header.max(value + 1);
    let first_row = out.rows.len();
    while k < cells.len() {
        let cell = cells[k];
        if is_label(fw, &cell.text) || header_run(fw, cells, k).is_some() {
            break; // the next project's header block
        }
        let mut slots: Vec<Option<Cell>> = vec![None; width];
        let first = k;
        // A name that is both a level 1 and a level 2 (成本指标 in the 2021 framework) is the
        // level 1 when a level-2 name follows it, else the level 2.
        let is_l1 = fw.level1(&cell.text).is_some()
            && (fw.level2(&cell.text).is_none()
                || cells
                    .get(k + 1)
                    .is_some_and(|n| fw.level2(&n.text).is_some()));
        if is_l1 {
            slots[l1] = Some(cell.clone());
            k += 1;
        }
        if let (Some(l2), Some(c)) = (l2, cells.get(k))
            && fw.level2(&c.text).is_some()
        {
            slots[l2] = Some((*c).clone());
            k += 1;
        }
        // 三级 name, then the value, then the columns after the value.
        for (col, slot) in slots.iter_mut().enumerate().skip(l3) {
            // After the value, a group name starts the next row: the columns after the value
            // (分值, 指标解释 …) may be left out where they are empty, and a group name is
            // never one of them.
            if col > value && cells.get(k).is_some_and(|c| wrap::is_level(fw, &c.text)) {
                break;
            }
            match cells.get(k) {
                Some(c) if !(col > l3 && is_label(fw, &c.text)) => {
                    *slot = Some((*c).clone());
                    k += 1;
                }
                _ => {
                    diags.push(Diagnostic::new(
                        Code::R133,
                        "文本在一行指标的中间结束（或被下一个标签打断），该行缺少的单元格按空白处理"
                            .to_string(),
                        loc(grid, cells[first]),
                    ));
                    break;
                }
            }
        }
        let anchor = cells[first].pos;
        let blank = |col: usize| slots[col].as_ref().is_none_or(|c| c.is_blank());
        if blank(l3) && (l3 + 1..width).all(blank) {
            // A group label followed by empty cells: a group with no indicator. Its labels
            // become text rows, which the recognizer reports as content it could not place.
            for c in slots.into_iter().flatten().filter(|c| !c.is_blank()) {
                out.rows.push(Row::new(RowKind::Text, vec![c]));
            }
            continue;
        }
        let row_cells = slots
            .into_iter()
            .map(|s| s.unwrap_or_else(|| Cell::new("", anchor)))
            .collect();
        out.rows.push(Row::new(RowKind::Table, row_cells));
    }
    let rebuilt = out.rows[first_row..]
        .iter()
        .filter(|r| r.kind == RowKind::Table)
        .count();
    diags.push(Diagnostic::new(
        Code::R132,
        format!(
            "文本每个单元格单独成段、没有行的标记；已按指标表头的 {header} 列和一级/二级指标名称重建出 {rebuilt} 行指标"
        ),
        loc(grid, cells[start]),
    ));
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_grid::Pos;

    fn stream(cells: &[&str]) -> Grid {
        let mut g = Grid::new(Some("s.txt".into()), None);
        for (i, t) in cells.iter().enumerate() {
            let pos = Pos::Line {
                line: 2 * i as u32 + 1,
                column: 1,
            };
            g.rows
                .push(Row::new(RowKind::Table, vec![Cell::new(*t, pos)]));
        }
        g
    }

    fn texts(g: &Grid) -> Vec<Vec<&str>> {
        g.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn rows_from_labels_levels_and_header_width() {
        let g = stream(&[
            "某县某项目绩效目标表",
            "项目名称",
            "小型水库维修",
            "其他资金",
            "",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "产出指标",
            "数量指标",
            "水库数量",
            "≥14座",
            "渠道长度",
            "≥6.5公里",
            "质量指标",
            "合格率",
            "=100%",
            "生态效益指标",
            "",
            "",
            "满意度指标",
            "服务对象满意度指标",
            "群众满意度",
            "≥90%",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        assert_eq!(
            texts(&out),
            vec![
                vec!["某县某项目绩效目标表"],
                vec!["项目名称", "小型水库维修"],
                vec!["其他资金", ""],
                vec!["一级指标", "二级指标", "三级指标", "指标值"],
                vec!["产出指标", "数量指标", "水库数量", "≥14座"],
                vec!["", "", "渠道长度", "≥6.5公里"],
                vec!["", "质量指标", "合格率", "=100%"],
                vec!["生态效益指标"],
                vec!["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%"],
            ]
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "R132");
        // A lost cell takes the position of the row's first cell.
        assert_eq!(
            out.rows[5].cells[0].pos,
            Pos::Line {
                line: 27,
                column: 1
            }
        );
    }

    #[test]
    fn names_wrapped_onto_the_next_paragraph_are_joined() {
        let g = stream(&[
            "一级",
            "指标",
            "二级指标",
            "三级指标",
            "指标值",
            "效益指标",
            "经济效益",
            "指标",
            "年增产量",
            "3000公斤",
            "社会效益",
            "指标",
            "受益人数",
            "≥50人",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        assert_eq!(
            texts(&out),
            vec![
                vec!["一级指标", "二级指标", "三级指标", "指标值"],
                vec!["效益指标", "经济效益指标", "年增产量", "3000公斤"],
                vec!["", "社会效益指标", "受益人数", "≥50人"],
            ]
        );
        let joined: Vec<_> = diags.iter().filter(|d| d.code == "R134").collect();
        assert_eq!(joined.len(), 1, "one report for the stream");
        assert!(
            joined[0].message.starts_with("3 处"),
            "{}",
            joined[0].message
        );
        assert_eq!(joined[0].location.line, Some(1));
    }

    #[test]
    fn a_group_name_after_the_value_starts_the_next_row() {
        let g = stream(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "计量单位",
            "产出指标",
            "数量指标",
            "培训人数",
            "≥100人",
            "质量指标",
            "培训合格率",
            "≥95",
            "%",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        assert_eq!(
            texts(&out),
            vec![
                vec!["一级指标", "二级指标", "三级指标", "指标值", "计量单位"],
                vec!["产出指标", "数量指标", "培训人数", "≥100人", ""],
                vec!["", "质量指标", "培训合格率", "≥95", "%"],
            ]
        );
        assert!(diags.iter().all(|d| d.code != "R133"), "{diags:?}");
    }

    #[test]
    fn truncated_row_is_reported() {
        let g = stream(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "产出指标",
            "数量指标",
            "人数",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        assert_eq!(out.rows[1].cells.len(), 4);
        assert!(diags.iter().any(|d| d.code == "R133"));
    }

    #[test]
    fn no_header_means_header_block_only() {
        let g = stream(&["标题", "项目名称", "甲", "预算单位", "乙"]);
        let (out, _) = rebuild(&g, Framework::standard());
        assert_eq!(
            texts(&out),
            vec![vec!["标题"], vec!["项目名称", "甲"], vec!["预算单位", "乙"]]
        );
    }
}
