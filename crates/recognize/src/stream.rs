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

use crate::indicators::label_name;
use crate::labels::Label;
use crate::{furniture, labels, wrap};
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
    // With no indicator header anywhere (a budget system's tree of names and values), the
    // table is read by the framework's names alone (see [`headerless`]).
    let no_header = !(0..cells.len()).any(|k| {
        heading_at(fw, &cells, k).is_some_and(|h| h.column == Some(labels::Column::Level1))
    });
    let mut k = 0;
    while k < cells.len() {
        k = block(fw, grid, &cells, k, no_header, &mut out, &mut diags);
    }
    (out, diags)
}

/// The indicator header of a stream that has none, when a level-1 name followed by one of its
/// level-2 names starts at cell `k` (`产出指标`, `成本指标（必填）`, then names and values): the
/// framework is a grammar, so the cells after the level-2 name are a 三级 name and its value,
/// as under the standard header `一级指标 | 二级指标 | 三级指标 | 指标值`. The headings take
/// no cells of the stream.
fn headerless(fw: &Framework, cells: &[&Cell], k: usize) -> Option<Vec<Heading>> {
    let l1 = label_name(&cells.get(k)?.text);
    let l2 = label_name(&cells.get(k + 1)?.text);
    let parent = fw.level1(&l1)?;
    let child = fw.level2(&l2)?;
    if !fw.allows(parent, child) || is_label(fw, &cells[k].text) {
        return None;
    }
    use labels::Column::{Level1, Level2, Level3, Value};
    let heading = |column, text: &str| Heading {
        column: Some(column),
        score: false,
        text: text.to_string(),
        pieces: 0,
    };
    Some(vec![
        heading(Level1, "一级指标"),
        heading(Level2, "二级指标"),
        heading(Level3, "三级指标"),
        heading(Value, "指标值"),
    ])
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
                .or_else(|| wrap::joined_band(fw, &prev.text, &cell.text))
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

/// A heading of the indicator header as the stream gives it: the column it names (`None` for
/// a column the form does not read, such as 实际完成值 or 分值), whether that column holds a
/// score, and the heading's text and how many cells of the stream it was written in.
struct Heading {
    column: Option<labels::Column>,
    score: bool,
    text: String,
    pieces: usize,
}

/// The texts of 预期目标 and 实际完成情况 are looked for in at most this many cells.
const MAX_GOAL_PIECES: usize = 40;

/// A heading may be broken over this many paragraphs (`偏差原因` / `分析及` / `改进措施`).
const MAX_PIECES: usize = 4;

/// The heading that starts at cell `k`: the longest run of up to [`MAX_PIECES`] non-blank
/// cells that together are an indicator-column name. A name made of several pieces must be
/// one of the vocabulary's names exactly (`年度` + `指标值`, `实际` + `完成值`), so that two
/// headings side by side (`指标值`, `分值`) are never taken for one.
fn heading_at(fw: &Framework, cells: &[&Cell], k: usize) -> Option<Heading> {
    let v = &fw.labels;
    let mut joined = String::new();
    let mut found = None;
    for (n, cell) in cells[k..].iter().take(MAX_PIECES).enumerate() {
        if cell.is_blank() {
            break;
        }
        joined.push_str(cell.text.trim());
        let pieces = n + 1;
        let column = labels::column(v, &joined);
        let other = labels::other_column(v, &joined);
        let whole = pieces == 1 || exact_heading(v, &joined);
        if whole && (column.is_some() || other.is_some()) {
            found = Some(Heading {
                column,
                score: other == Some(true),
                text: joined.clone(),
                pieces,
            });
        }
    }
    found
}

/// True when `text` is one of the indicator-column names of the vocabulary exactly (not by
/// prefix, and with no score band).
fn exact_heading(v: &jixiao_model::framework::Labels, text: &str) -> bool {
    let n = jixiao_model::framework::normalize_label(text);
    [
        &v.level1,
        &v.level2,
        &v.level3,
        &v.value,
        &v.value_prefix,
        &v.midterm_value_prefix,
        &v.unit,
        &v.sign,
        &v.actual,
        &v.weight,
        &v.score,
        &v.other_columns,
    ]
    .iter()
    .any(|list| list.contains(&n))
}

/// The headings of the indicator header starting at cell `k`, if they name at least 一级,
/// 三级 and start with 一级.
fn header_run(fw: &Framework, cells: &[&Cell], k: usize) -> Option<Vec<Heading>> {
    let mut out: Vec<Heading> = Vec::new();
    let mut at = k;
    while at < cells.len()
        && let Some(h) = heading_at(fw, cells, at)
    {
        at += h.pieces;
        out.push(h);
    }
    let cols: Vec<labels::Column> = out.iter().filter_map(|h| h.column).collect();
    (out.len() >= 3
        && cols.first() == Some(&labels::Column::Level1)
        && out[0].column == Some(labels::Column::Level1)
        && cols.contains(&labels::Column::Level3))
    .then_some(out)
}

/// A score as a row holds it: a number, with `分` after it or not.
fn is_score(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_suffix('分').unwrap_or(t);
    !t.is_empty() && t.parse::<f64>().is_ok_and(f64::is_finite)
}

/// True when an indicator row can start at cell `k` of a table whose headings are `scores`
/// (which columns hold a score), with the 三级 name in column `l3` and the value in `value`:
/// the cell is a name (not blank, not a score), and every score column of such a row would
/// hold a score or nothing, at least one a score. This is how a row that left out its
/// trailing empty cells (偏差原因 …) is told from a reason written in them.
fn starts_row(cells: &[&Cell], k: usize, scores: &[bool], l3: usize, value: usize) -> bool {
    let Some(name) = cells.get(k) else {
        return false;
    };
    if name.is_blank() || is_score(&name.text) {
        return false;
    }
    let mut any = false;
    for (col, _) in scores
        .iter()
        .enumerate()
        .skip(value + 1)
        .filter(|(_, s)| **s)
    {
        match cells.get(k + col - l3) {
            Some(c) if is_score(&c.text) => any = true,
            Some(c) if c.is_blank() => {}
            _ => return false,
        }
    }
    any
}

/// Reads one header block and the indicator table after it, starting at cell `k`; returns
/// where the next block starts.
fn block(
    fw: &Framework,
    grid: &Grid,
    cells: &[&Cell],
    start: usize,
    no_header: bool,
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
        if no_header && let Some(run) = headerless(fw, cells, k) {
            flush(&mut row, out);
            diags.push(Diagnostic::new(
                Code::R138,
                "文本中没有指标表头（一级指标、二级指标、三级指标、指标值）；已按指标体系的一级、二级指标名称读出各行：二级指标后面一格是三级指标，再后一格是指标值".to_string(),
                loc(grid, cells[k]),
            ));
            break run;
        }
        // A 自评表's funds block: its column headings (年初预算数 … 得分) are a row of their
        // own; each line under them starts at its label (年度资金总额 …).
        let funds = cells[k..]
            .iter()
            .take_while(|c| labels::funds_column(&fw.labels, &c.text).is_some())
            .count();
        if funds >= 3 {
            flush(&mut row, out);
            row.extend(cells[k..k + funds].iter().map(|c| (*c).clone()));
            flush(&mut row, out);
            k += funds;
            continue;
        }
        // 预期目标 and 实际完成情况 side by side: the texts after them, up to the next label,
        // are their values — the first half the expected goal, the second half what was
        // achieved (a goal written in several paragraphs is read whole); an odd count gives
        // each one text and leaves the rest.
        if let (Some(Label::GoalExpected), Some(Label::GoalAchieved)) = (
            labels::label(&fw.labels, &cells[k].text),
            cells
                .get(k + 1)
                .and_then(|c| labels::label(&fw.labels, &c.text)),
        ) {
            flush(&mut row, out);
            out.rows.push(Row::new(
                RowKind::Table,
                vec![cells[k].clone(), cells[k + 1].clone()],
            ));
            k += 2;
            let texts = (k..cells.len())
                .take(MAX_GOAL_PIECES)
                .take_while(|&i| {
                    !is_label(fw, &cells[i].text) && header_run(fw, cells, i).is_none()
                })
                .filter(|&i| !cells[i].is_blank())
                .count();
            let per_goal = if texts % 2 == 0 {
                texts / 2
            } else {
                1.min(texts)
            };
            if per_goal > 0 {
                let mut goals = Vec::new();
                for _ in 0..2 {
                    let pieces: Vec<&Cell> = cells[k..]
                        .iter()
                        .copied()
                        .filter(|c| !c.is_blank())
                        .take(per_goal)
                        .collect();
                    let Some(first) = pieces.first() else { break };
                    let text: Vec<&str> = pieces.iter().map(|c| c.text.trim()).collect();
                    goals.push(Cell::new(text.join("\n"), first.pos));
                    let last = pieces[pieces.len() - 1].pos;
                    while k < cells.len() && cells[k].pos != last {
                        k += 1;
                    }
                    k += 1;
                }
                out.rows.push(Row::new(RowKind::Table, goals));
            }
            continue;
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
    let columns: Vec<Option<labels::Column>> = header.iter().map(|h| h.column).collect();
    let header_row: Vec<Cell> = {
        let mut at = k;
        header
            .iter()
            .map(|h| {
                let cell = Cell::new(h.text.clone(), cells[at].pos);
                at += h.pieces;
                cell
            })
            .collect()
    };
    k += header.iter().map(|h| h.pieces).sum::<usize>();
    out.rows.push(Row::new(RowKind::Table, header_row));
    let header_len = header.len();
    let find = |want: labels::Column| columns.iter().position(|c| *c == Some(want));
    let (Some(l1), Some(l3)) = (find(labels::Column::Level1), find(labels::Column::Level3)) else {
        return k;
    };
    let l2 = find(labels::Column::Level2);
    let value = find(labels::Column::Value).unwrap_or(l3 + 1);
    // 中期 and 年度 side by side (`二级指标（长期）` … `指标值（年度）`): the second group starts at
    // a 二级指标 after the first group's value; a row ends after the last group's value.
    let second_l2 =
        (value + 1..columns.len()).find(|&i| columns[i] == Some(labels::Column::Level2));
    let last_value = second_l2
        .and_then(|s| (s..columns.len()).find(|&i| columns[i] == Some(labels::Column::Value)))
        .unwrap_or(value);
    let value = last_value;
    let width = header_len.max(value + 1);
    let mut scores: Vec<bool> = header.iter().map(|h| h.score).collect();
    scores.resize(width, false);
    let first_row = out.rows.len();
    while k < cells.len() {
        let cell = cells[k];
        if is_label(fw, &cell.text) || header_run(fw, cells, k).is_some() {
            break; // the next project's header block
        }
        if cells[k..]
            .iter()
            .find(|c| !c.is_blank())
            .is_some_and(|c| furniture::table_end(&fw.labels, &c.text).is_some())
        {
            break; // what follows the table (附件：, 审核意见 …): text rows, reported once
        }
        let mut slots: Vec<Option<Cell>> = vec![None; width];
        let first = k;
        // Empty leading cells written as blank paragraphs (a merged 一级/二级 flattened with
        // its blanks kept): they are the row's empty group cells when the cell after them
        // fits the column they lead up to — a level-2 name in the 二级 column, a 三级 name.
        let blanks = cells[k..]
            .iter()
            .take(l3)
            .take_while(|c| c.is_blank())
            .count();
        if blanks > 0
            && let Some(next) = cells.get(k + blanks)
        {
            let name = label_name(&next.text);
            let fits = if Some(blanks) == l2 {
                fw.level2(&name).is_some()
            } else {
                blanks == l3 && !next.is_blank() && !wrap::is_level(fw, &next.text)
            };
            if fits {
                k += blanks;
            }
        }
        let cell = cells[k];
        // A name that is both a level 1 and a level 2 (成本指标 in the 2021 framework) is the
        // level 1 when a level-2 name follows it, else the level 2.
        let name = label_name(&cell.text);
        let is_l1 = fw.level1(&name).is_some()
            && (fw.level2(&name).is_none()
                || cells
                    .get(k + 1)
                    .is_some_and(|n| fw.level2(&label_name(&n.text)).is_some()));
        if is_l1 {
            slots[l1] = Some(cell.clone());
            k += 1;
        }
        if let (Some(l2), Some(c)) = (l2, cells.get(k))
            && fw.level2(&label_name(&c.text)).is_some()
        {
            slots[l2] = Some((*c).clone());
            k += 1;
        }
        // 三级 name, then the value, then the columns after the value.
        let mut cut_before_value = false;
        let mut at = l3;
        while at < width {
            // Two groups: a level-2 name where the first group's 三级 name or value should be
            // is the second group's 二级 — the first group is empty in this row.
            if let Some(l2b) = second_l2
                && at < l2b
                && cells.get(k).is_some_and(|c| {
                    let name = label_name(&c.text);
                    fw.level2(&name).is_some() && fw.level1(&name).is_none()
                })
            {
                at = l2b;
            }
            let col = at;
            at += 1;
            let slot = &mut slots[col];
            // A level-1 name followed by a level-2 name where the 三级 name should be: this
            // row was a group with no indicator, and the next group starts here.
            if col == l3
                && cells
                    .get(k)
                    .is_some_and(|c| fw.level1(&label_name(&c.text)).is_some())
                && cells
                    .get(k + 1)
                    .is_some_and(|n| fw.level2(&label_name(&n.text)).is_some())
            {
                break;
            }
            // After the value, a group name starts the next row: the columns after the value
            // (分值, 指标解释 …) may be left out where they are empty, and a group name is
            // never one of them.
            if col > value && cells.get(k).is_some_and(|c| wrap::is_level(fw, &c.text)) {
                break;
            }
            // A score column holds a score or nothing: other text is the next row's. A text
            // column after the value holds the next row's name where a row fits there.
            if col > value
                && let Some(c) = cells.get(k)
                && ((scores[col] && !c.is_blank() && !is_score(&c.text))
                    || (!scores[col] && starts_row(cells, k, &scores, l3, value)))
            {
                break;
            }
            match cells.get(k) {
                Some(c) if !(col > l3 && is_label(fw, &c.text)) => {
                    *slot = Some((*c).clone());
                    k += 1;
                }
                None if col <= value => {
                    // The text ends before this row's value: what is left of the row is no
                    // indicator (its name may be cut as well).
                    cut_before_value = true;
                    diags.push(Diagnostic::new(
                        Code::R133,
                        "文本在一行指标的指标值之前结束，这一行没有作为指标读取".to_string(),
                        loc(grid, cells[first]),
                    ));
                    break;
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
        if cut_before_value || (blank(l3) && (l3 + 1..width).all(blank)) {
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
            "文本每个单元格单独成段、没有行的标记；已按指标表头的 {header_len} 列和一级/二级指标名称重建出 {rebuilt} 行指标"
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
    fn two_groups_with_an_empty_midterm_half_and_a_caption_after_the_table() {
        // `二级指标（长期）` … `指标值（年度）`: the 长期 group's 三级/value cells are empty and
        // left out of the stream, so a second level-2 name is the 年度 group's 二级.
        let g = stream(&[
            "项目名称",
            "某项目",
            "一级指标",
            "二级指标（长期）",
            "三级指标（长期）",
            "指标值（长期）",
            "二级指标（年度）",
            "三级指标（年度）",
            "指标值（年度）",
            "产出指标",
            "数量指标",
            "数量指标",
            "安排数量",
            "2",
            "满意度指标",
            "服务对象满意度指标",
            "服务对象满意度指标",
            "满意度",
            "≥90%",
            " ",
            "附件：",
            "扫一扫",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        let t = texts(&out);
        assert_eq!(
            t[1..4],
            [
                vec![
                    "一级指标",
                    "二级指标（长期）",
                    "三级指标（长期）",
                    "指标值（长期）",
                    "二级指标（年度）",
                    "三级指标（年度）",
                    "指标值（年度）"
                ],
                vec!["产出指标", "数量指标", "", "", "数量指标", "安排数量", "2"],
                vec![
                    "满意度指标",
                    "服务对象满意度指标",
                    "",
                    "",
                    "服务对象满意度指标",
                    "满意度",
                    "≥90%"
                ],
            ]
        );
        // The caption and what follows it are text rows, not a row cut short (no R133).
        assert!(t[4..].iter().all(|r| r.len() == 1), "{t:?}");
        assert!(diags.iter().all(|d| d.code != "R133"), "{diags:?}");
    }

    #[test]
    fn a_tree_of_names_and_values_without_a_header_is_read_by_the_framework() {
        // A budget system's 批复表 as a tree: one name per paragraph, the value after it, no
        // 一级指标/二级指标 header; a 二级 name carries the template's note.
        let g = stream(&[
            "某中心项目绩效目标批复表",
            "项目",
            "指标值",
            "某中心",
            "疫苗采购",
            "3000000",
            "产出指标",
            "数量指标(必填硬性指标)",
            "疫苗使用率",
            "100%",
            "接种人数",
            "≥500人",
            "满意度指标",
            "服务对象满意度指标(必填)",
            "服务对象满意度",
            "≥90%",
            "附件下载:",
            "扫一扫",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        let t = texts(&out);
        let header = t.iter().position(|r| r[0] == "一级指标").expect("a header");
        assert_eq!(
            t[header..header + 5],
            [
                vec!["一级指标", "二级指标", "三级指标", "指标值"],
                vec!["产出指标", "数量指标(必填硬性指标)", "疫苗使用率", "100%"],
                vec!["", "", "接种人数", "≥500人"],
                vec![
                    "满意度指标",
                    "服务对象满意度指标(必填)",
                    "服务对象满意度",
                    "≥90%"
                ],
                vec!["附件下载:"],
            ]
        );
        assert_eq!(
            diags.iter().filter(|d| d.code == "R138").count(),
            1,
            "{diags:?}"
        );
        // A stream with a header of its own is never read so.
        let g = stream(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "产出指标",
            "数量指标",
            "甲",
            "1个",
        ]);
        let (_, diags) = rebuild(&g, Framework::standard());
        assert!(diags.iter().all(|d| d.code != "R138"), "{diags:?}");
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
    fn headings_in_pieces_and_rows_that_leave_out_their_last_cells() {
        // A 自评表 one cell per paragraph: headings broken over paragraphs, a score band on
        // a paragraph of its own, and the blank 偏差原因 cell written in some rows only.
        let g = stream(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "年度",
            "指标值",
            "实际",
            "完成值",
            "分值",
            "得分",
            "偏差原因",
            "分析及",
            "改进措施",
            "产出指标",
            "(50)",
            "数量指标",
            "造林面积",
            "1.2万亩",
            "1.2万亩",
            "10",
            "10",
            " ",
            "防治面积",
            "3.45万亩",
            "3.45万亩",
            "7",
            "7",
            "经营面积",
            "16.3万亩",
            "16万亩",
            "7",
            "6",
            "树苗受灾",
            "效益指标",
            "30分)",
            "社会效益指标",
            "就业",
            "显著",
            "显著",
            "6",
            "6",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        assert_eq!(
            texts(&out),
            vec![
                vec![
                    "一级指标",
                    "二级指标",
                    "三级指标",
                    "年度指标值",
                    "实际完成值",
                    "分值",
                    "得分",
                    "偏差原因分析及改进措施"
                ],
                vec![
                    "产出指标(50)",
                    "数量指标",
                    "造林面积",
                    "1.2万亩",
                    "1.2万亩",
                    "10",
                    "10",
                    " "
                ],
                vec!["", "", "防治面积", "3.45万亩", "3.45万亩", "7", "7", ""],
                vec![
                    "",
                    "",
                    "经营面积",
                    "16.3万亩",
                    "16万亩",
                    "7",
                    "6",
                    "树苗受灾"
                ],
                vec![
                    "效益指标30分)",
                    "社会效益指标",
                    "就业",
                    "显著",
                    "显著",
                    "6",
                    "6",
                    ""
                ],
            ]
        );
        // Only the last row, which the text ends before its 偏差原因 cell, is reported.
        let cut: Vec<_> = diags.iter().filter(|d| d.code == "R133").collect();
        assert_eq!(cut.len(), 1, "{diags:?}");
        assert_eq!(cut[0].location.line, Some(2 * 32 + 1));
    }

    #[test]
    fn a_row_cut_before_its_value_is_no_indicator() {
        let g = stream(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "分值",
            "得分",
            "效益指标",
            "经济效益指标",
            "满意度指标(10分)",
            "满意度指标",
            "公众满",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        // The empty 经济效益指标 group and the row the text cuts off are text, not indicators.
        assert_eq!(
            texts(&out),
            vec![
                vec!["一级指标", "二级指标", "三级指标", "指标值", "分值", "得分"],
                vec!["效益指标"],
                vec!["经济效益指标"],
                vec!["满意度指标(10分)"],
                vec!["满意度指标"],
                vec!["公众满"],
            ]
        );
        assert_eq!(diags.iter().filter(|d| d.code == "R133").count(), 1);
    }

    #[test]
    fn blank_leading_cells_kept_as_paragraphs() {
        let g = stream(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "产出指标",
            "数量指标",
            "救助人数",
            "≥100人",
            " ",
            " ",
            "发放次数",
            "12次",
            " ",
            "质量指标",
            "发放准确率",
            "100%",
            "效益指标",
            "社会效益指标",
            "生活水平",
            "有效保障",
        ]);
        let (out, _) = rebuild(&g, Framework::standard());
        assert_eq!(
            texts(&out)[1..],
            [
                vec!["产出指标", "数量指标", "救助人数", "≥100人"],
                vec!["", "", "发放次数", "12次"],
                vec!["", "质量指标", "发放准确率", "100%"],
                vec!["效益指标", "社会效益指标", "生活水平", "有效保障"],
            ]
        );
    }

    #[test]
    fn a_self_evaluation_header_block() {
        let g = stream(&[
            "项目名称",
            "护林",
            "年初预算数",
            "全年预算数",
            "全年执行数",
            "分值",
            "执行率",
            "得分",
            "年度资金总额",
            "90",
            "89.9",
            "89.9",
            "10",
            "100%",
            "10",
            "年度总体目标",
            "预期目标",
            "实际完成情况",
            "目标1:造林",
            "目标2:防治",
            "完成造林",
            "完成防治",
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
        ]);
        let (out, _) = rebuild(&g, Framework::standard());
        assert_eq!(
            texts(&out)[..6],
            [
                vec!["项目名称", "护林"],
                vec![
                    "年初预算数",
                    "全年预算数",
                    "全年执行数",
                    "分值",
                    "执行率",
                    "得分"
                ],
                vec!["年度资金总额", "90", "89.9", "89.9", "10", "100%", "10"],
                vec!["年度总体目标"],
                vec!["预期目标", "实际完成情况"],
                vec!["目标1:造林\n目标2:防治", "完成造林\n完成防治"],
            ]
        );
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
        // Cut before its value: no indicator, its cells are text the recognizer lists.
        assert_eq!(
            texts(&out)[1..],
            [vec!["产出指标"], vec!["数量指标"], vec!["人数"]]
        );
        assert!(diags.iter().any(|d| d.code == "R133"));
        // Cut after its value: an indicator, the cells after the value blank.
        let g = stream(&[
            "一级指标",
            "二级指标",
            "三级指标",
            "指标值",
            "分值",
            "产出指标",
            "数量指标",
            "人数",
            "≥1人",
        ]);
        let (out, diags) = rebuild(&g, Framework::standard());
        assert_eq!(texts(&out)[1], ["产出指标", "数量指标", "人数", "≥1人", ""]);
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
