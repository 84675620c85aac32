//! Choosing among several readings of one text.
//!
//! A text reader cannot tell which shape a text is in (pipe rows, one cell per line, cells
//! separated by spaces …), so it proposes one [`Grid`] per plausible shape. Each is recognized
//! and scored by how much of the form it explains: indicators with a level-3 name and a value,
//! known level-1/level-2 names, header fields found; text that fits nowhere and rows that had
//! to be realigned count against it, errors most. The best score wins; ties go to the
//! reading proposed first (the plain one), so a text that reads well as it is never changes.
//! The weights are named in [`Weights`] and fixed in [`WEIGHTS`].
//!
//! A text whose best reading still has no indicator, but in which one cell holds the whole
//! indicator header (一级指标二级指标三级指标指标值 written without separators), is reported as
//! not splittable (R131) rather than guessed at.

use crate::{Options, recognize, stream};
use jixiao_grid::{Grid, Shape};
use jixiao_model::framework::Framework;
use jixiao_model::{Code, Diagnostic, Document, Location, Severity};

/// The weights of [`score`]: points for what a reading explains, and (negative) for what it
/// leaves unexplained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    /// An indicator with both a level-3 name and a value.
    pub indicator: i64,
    /// An indicator with only one of level-3 name and value: more often a line of text cut
    /// into cells that are no indicator than a real one, so it counts against the reading.
    pub half_indicator: i64,
    /// A whole indicator whose level 1 (and, separately, level 2) is a name the framework
    /// knows.
    pub known_level: i64,
    /// A header-block field found: project name, budget unit, goal.
    pub header_field: i64,
    /// An amount of 项目资金 found (total, fiscal, other).
    pub funds_amount: i64,
    /// A cell of text that fits nowhere (R108).
    pub unplaced_cell: i64,
    /// A row that had to be realigned (R101).
    pub realigned_row: i64,
    /// A warning of the recognizer.
    pub warning: i64,
    /// An error of the recognizer (no table, no value column …).
    pub error: i64,
}

/// The weights used: an indicator read whole is worth more than any header field, half an
/// indicator costs, text left over costs a little, an error costs as much as three indicators.
pub const WEIGHTS: Weights = Weights {
    indicator: 10,
    half_indicator: -3,
    known_level: 1,
    header_field: 3,
    funds_amount: 2,
    unplaced_cell: -1,
    realigned_row: -1,
    warning: -1,
    error: -30,
};

/// How well the form explains a recognized document (see [`Weights`]); higher is better.
pub fn score(doc: &Document, fw: &Framework, w: &Weights) -> i64 {
    let mut s = 0;
    for p in &doc.projects {
        for i in &p.indicators {
            let named = !i.level3.trim().is_empty();
            let valued = !i.value.raw.trim().is_empty();
            s += match (named, valued) {
                (true, true) => w.indicator,
                (false, false) => 0,
                _ => w.half_indicator,
            };
            if named && valued {
                s += w.known_level * i64::from(fw.level1(&i.level1).is_some());
                s += w.known_level * i64::from(fw.level2(&i.level2).is_some());
            }
        }
        for field in [&p.project_name, &p.budget_unit, &p.goal] {
            s += w.header_field * i64::from(!field.trim().is_empty());
        }
        for amount in [&p.funds.total, &p.funds.fiscal, &p.funds.other] {
            s += w.funds_amount * i64::from(amount.is_some());
        }
    }
    if let Some(summary) = &doc.summary {
        s += w.indicator * summary.rows.len() as i64;
    }
    for d in &doc.diagnostics {
        s += match (d.code, d.severity) {
            (Code::R108, _) => w.unplaced_cell,
            (Code::R101, _) => w.realigned_row,
            (_, Severity::Error) => w.error,
            (_, Severity::Warning) => w.warning,
            _ => 0,
        };
    }
    s
}

/// The reading kept and why.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Index of the kept reading among those given.
    pub index: usize,
    /// Its shape.
    pub shape: Shape,
    /// Its document, with the recognizer's diagnostics (and R130 when the kept reading is not
    /// the first one).
    pub document: Document,
    /// The score of every reading, in the order given.
    pub scores: Vec<i64>,
}

/// Recognizes every reading and keeps the one the form explains best ([`score`] with
/// [`WEIGHTS`]; the first reading wins ties). Stream readings ([`Shape::is_stream`]) have
/// their rows rebuilt first ([`stream::rebuild`]). When the kept reading is not the first,
/// an R130 info names the shape and the scores. No readings give an empty document with R100.
///
/// The readings are taken one at a time and each is dropped once scored, so memory holds the
/// reading in hand and the best document so far, whatever the number of readings.
pub fn choose(readings: impl IntoIterator<Item = (Shape, Grid)>, options: &Options) -> Choice {
    let mut best: Option<Choice> = None;
    let mut best_score = i64::MIN;
    let mut scores = Vec::new();
    let mut file = None;
    // R131 looks at the first (plain) reading's cells, but only matters when no reading
    // gives an indicator; it is worked out before that grid is dropped.
    let mut glued = None;
    for (index, (shape, grid)) in readings.into_iter().enumerate() {
        if index == 0 {
            file = grid.file.clone();
            glued = glued_cell(&grid);
        }
        let document = if shape.is_stream() {
            let (rebuilt, mut diags) = stream::rebuild(&grid, options.framework);
            drop(grid);
            let mut doc = recognize_owned(rebuilt, options);
            diags.append(&mut doc.diagnostics);
            doc.diagnostics = diags;
            doc
        } else {
            recognize_owned(grid, options)
        };
        let s = score(&document, options.framework, &WEIGHTS);
        scores.push(s);
        if best.is_none() || s > best_score {
            best_score = s;
            best = Some(Choice {
                index,
                shape,
                document,
                scores: Vec::new(),
            });
        }
    }
    let Some(mut choice) = best else {
        return Choice {
            index: 0,
            shape: Shape::Plain,
            document: recognize(&[], options),
            scores,
        };
    };
    choice.scores = scores;
    if choice.index > 0 {
        let first = choice.scores[0];
        let kept = choice.scores[choice.index];
        choice.document.diagnostics.insert(
            0,
            Diagnostic::new(
                Code::R130,
                format!(
                    "原样读取只能得出较少内容（得分 {first}），已改为{}（得分 {kept}）",
                    choice.shape.describe()
                ),
                file.as_deref().map(Location::file).unwrap_or_default(),
            ),
        );
    }
    if let Some(glued) = glued
        && !choice
            .document
            .projects
            .iter()
            .any(|p| !p.indicators.is_empty())
    {
        choice.document.diagnostics.push(glued);
    }
    choice
}

/// Recognizes one grid, letting its rows go as they are read and the grid before the
/// document is finished: the indicator groups are rebuilt and the indicators made (`finish`)
/// without the grid's cells still held, so a large text's grid and its indicators are never
/// in memory together.
fn recognize_owned(grid: Grid, options: &Options) -> Document {
    let mut sheets = crate::SheetBySheet::new(options);
    sheets.sheet_owned(grid);
    sheets.finish()
}

/// R131, for a document with no indicator: a cell of `grid` holds several indicator-table
/// column names run together, so the cells of the table were written without separators.
fn glued_cell(grid: &Grid) -> Option<Diagnostic> {
    let names = ["一级指标", "二级指标", "三级指标", "指标值"];
    let cell = grid.rows.iter().flat_map(|r| &r.cells).find(|c| {
        let t: String = c.text.chars().filter(|c| !c.is_whitespace()).collect();
        names.iter().filter(|n| t.contains(*n)).count() >= 3
    })?;
    Some(Diagnostic::new(
        Code::R131,
        "表格的单元格之间没有任何分隔符（表头和指标连成一行），无法可靠地拆分成单元格；请从原文件重新复制，保留表格的分隔（制表符、“|”或换行）"
            .to_string(),
        crate::location(grid, &cell.pos),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_grid::{Cell, Pos, Row, RowKind};

    fn grid(rows: &[&[&str]]) -> Grid {
        let mut g = Grid::new(Some("g.txt".into()), None);
        for (i, r) in rows.iter().enumerate() {
            let cells = r
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    Cell::new(
                        *t,
                        Pos::Line {
                            line: i as u32 + 1,
                            column: k as u32 + 1,
                        },
                    )
                })
                .collect();
            g.rows.push(Row::new(RowKind::Table, cells));
        }
        g
    }

    const TABLE: &[&[&str]] = &[
        &["项目名称", "甲"],
        &["一级指标", "二级指标", "三级指标", "指标值"],
        &["产出指标", "数量指标", "人数", "≥1人"],
    ];

    #[test]
    fn the_better_reading_wins_and_is_reported() {
        let flat = grid(&[&["项目名称 甲"], &["一级指标 二级指标 三级指标 指标值"]]);
        let readings = vec![(Shape::Plain, flat), (Shape::SingleSpace, grid(TABLE))];
        let c = choose(readings, &Options::default());
        assert_eq!((c.index, c.shape), (1, Shape::SingleSpace));
        assert!(c.scores[1] > c.scores[0]);
        assert_eq!(c.document.projects[0].indicators.len(), 1);
        assert_eq!(c.document.diagnostics[0].code, "R130");
    }

    #[test]
    fn ties_keep_the_plain_reading() {
        let readings = vec![(Shape::Plain, grid(TABLE)), (Shape::Pipes, grid(TABLE))];
        let c = choose(readings, &Options::default());
        assert_eq!(c.index, 0);
        assert!(c.document.diagnostics.iter().all(|d| d.code != "R130"));
    }

    #[test]
    fn weights_order_readings() {
        let fw = Framework::standard();
        let opts = Options::default();
        let full = recognize(&[grid(TABLE)], &opts);
        let half = recognize(&[grid(&TABLE[..2])], &opts);
        assert!(score(&full, fw, &WEIGHTS) > score(&half, fw, &WEIGHTS));
    }

    #[test]
    fn glued_table_is_an_error() {
        let g = grid(&[&["项目名称甲一级指标二级指标三级指标指标值产出指标数量指标人数≥1人"]]);
        let c = choose([(Shape::Plain, g)], &Options::default());
        let d = c.document.diagnostics.iter().find(|d| d.code == "R131");
        assert_eq!(d.map(|d| d.severity), Some(Severity::Error));
        assert!(c.document.projects.iter().all(|p| p.indicators.is_empty()));
    }
}
