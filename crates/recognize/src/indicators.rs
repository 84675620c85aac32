//! The indicator table: its header, rows read by content as well as position, and the
//! level-1/level-2 groups rebuilt from flattened merged cells.

use crate::labels::{Column, Vocab, strip_score_band};
use jixiao_grid::{Cell, Covered, Pos, Row};
use jixiao_model::framework::{Framework, normalize_label};
use jixiao_model::{Code, Diagnostic, Location, Value};

/// Where the indicator columns are, from the header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// 一级指标 column. The 年度 group of an 88号 table printed as text may have none: it
    /// shares the 一级指标 of the 中期 group on its left.
    pub level1: Option<usize>,
    /// 二级指标 column.
    pub level2: usize,
    /// 三级指标 column; its text may run on to the columns before the value.
    pub level3: usize,
    /// 指标值 column, if the header has one.
    pub value: Option<usize>,
    /// 计量单位 column, whose text is appended to the value.
    pub unit: Option<usize>,
    /// 指标性质 column, whose sign is put before the value.
    pub sign: Option<usize>,
    /// 中期指标值 column beside the 年度 value column (88号, one column group): read into the
    /// 中期 indicators, never as the value.
    pub mid_value: Option<usize>,
    /// The 自评 columns of a 绩效自评表: 实际完成值, 分值, 得分, 偏差原因.
    pub evaluation: EvaluationColumns,
    /// Other named columns (序号, 备注, 指标解释 …): their header text. Their cells are not part
    /// of the IR; they are counted and reported once per column.
    pub extra: Vec<(usize, String)>,
    /// The columns this group reads (all of them unless 中期 and 年度 stand side by side).
    pub span: std::ops::Range<usize>,
    /// The first column after 三级指标 whose header cell has text (指标值, 中期指标值, 分值 …):
    /// 三级指标's flattened merged cell runs up to it.
    pub level3_stop: Option<usize>,
}

impl Header {
    /// The column groups of a header row: one for an ordinary table, two where 中期 and 年度
    /// indicators stand side by side (88号). Each group's columns are relative to the row.
    pub(crate) fn groups(v: &Vocab, row: &Row) -> Option<Vec<Header>> {
        let cols: Vec<Option<Column>> = row
            .cells
            .iter()
            .map(|c| {
                if c.covered.is_some() {
                    None
                } else {
                    v.of(&c.text).column
                }
            })
            .collect();
        // A group starts at a 一级指标, or at a 二级指标 that follows the previous group's value
        // (the 年度 group of an 88号 table printed without its own 一级指标 column).
        let mut starts = Vec::new();
        let mut seen_value = true;
        for (i, c) in cols.iter().enumerate() {
            match c {
                Some(Column::Level1) => {
                    starts.push(i);
                    seen_value = false;
                }
                Some(Column::Level2) if seen_value && !starts.is_empty() => {
                    starts.push(i);
                    seen_value = false;
                }
                Some(Column::Value) => seen_value = true,
                _ => {}
            }
        }
        let mut groups: Vec<Header> = Vec::new();
        for (k, &start) in starts.iter().enumerate() {
            let next = starts.get(k + 1).copied().unwrap_or(cols.len());
            let find = |want: Column| (start..next).find(|&i| cols[i] == Some(want));
            let level1 = find(Column::Level1);
            let (Some(level2), Some(level3)) = (find(Column::Level2), find(Column::Level3)) else {
                break;
            };
            if level1.is_some_and(|l1| l1 >= level2) || level2 >= level3 {
                break;
            }
            if level1.is_none() && groups.is_empty() {
                break;
            }
            let group_start = if groups.is_empty() { 0 } else { start };
            let mut header = Header {
                level1,
                level2,
                level3,
                value: find(Column::Value),
                unit: find(Column::Unit),
                sign: find(Column::Sign),
                mid_value: find(Column::MidValue).filter(|_| find(Column::Value).is_some()),
                evaluation: EvaluationColumns {
                    actual: find(Column::Actual),
                    weight: find(Column::Weight),
                    score: find(Column::Score),
                    deviation: find(Column::Deviation),
                },
                extra: Vec::new(),
                span: group_start..if next < cols.len() { next } else { usize::MAX },
                level3_stop: (level3 + 1..next).find(|&i| {
                    row.cells
                        .get(i)
                        .is_some_and(|c| c.covered.is_none() && !c.is_blank())
                }),
            };
            for (i, cell) in row.cells.iter().enumerate().take(next).skip(group_start) {
                if cell.covered.is_none() && !cell.is_blank() && !header.uses(i, row.cells.len()) {
                    header.extra.push((i, cell.text.trim().to_string()));
                }
            }
            groups.push(header);
        }
        (!groups.is_empty()).then_some(groups)
    }

    /// True when column `i` belongs to one of the indicator columns.
    fn uses(&self, i: usize, width: usize) -> bool {
        Some(i) == self.level1
            || i == self.level2
            || (self.level3..self.level3_end(width)).contains(&i)
            || Some(i) == self.value
            || Some(i) == self.unit
            || Some(i) == self.sign
            || Some(i) == self.mid_value
            || self.evaluation.all().contains(&Some(i))
    }

    /// The columns after 三级指标 that still belong to it (a flattened merged cell).
    fn level3_end(&self, width: usize) -> usize {
        let next = [
            self.value,
            self.unit,
            self.sign,
            self.mid_value,
            self.level3_stop,
            self.evaluation.actual,
            self.evaluation.weight,
            self.evaluation.score,
            self.evaluation.deviation,
        ]
        .into_iter()
        .flatten()
        .filter(|&c| c > self.level3)
        .min();
        next.unwrap_or(width).max(self.level3 + 1)
    }

    /// True when column `i` is one this header knows (indicator or extra column).
    fn known(&self, i: usize, width: usize) -> bool {
        self.uses(i, width) || self.extra.iter().any(|(c, _)| *c == i)
    }
}

/// Where a 绩效自评表's 自评 columns are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct EvaluationColumns {
    /// 实际完成值.
    pub actual: Option<usize>,
    /// 分值.
    pub weight: Option<usize>,
    /// 得分.
    pub score: Option<usize>,
    /// 偏差原因分析及改进措施.
    pub deviation: Option<usize>,
}

impl EvaluationColumns {
    /// The columns, in the order actual, weight, score, deviation.
    pub(crate) fn all(&self) -> [Option<usize>; 4] {
        [self.actual, self.weight, self.score, self.deviation]
    }

    /// True when the table has at least one 自评 column.
    pub(crate) fn any(&self) -> bool {
        self.all().iter().any(Option::is_some)
    }
}

/// The 自评 cells of a row as written (trimmed), empty when blank or when the table has no
/// such column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawEvaluation {
    /// 实际完成值.
    pub actual: String,
    /// 分值.
    pub weight: String,
    /// 得分.
    pub score: String,
    /// 偏差原因.
    pub deviation: String,
}

/// A level-1 or level-2 cell of an indicator row before groups are rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Text as written.
    Text(String),
    /// Blank: in OCR output a flattened merged cell, which may belong to the group above or
    /// (when the label was printed on a later row) to the group below.
    Blank,
    /// Covered by a real vertical merge: certainly the group above.
    Above,
}

/// An indicator row as read, before groups are rebuilt.
#[derive(Debug, Clone)]
pub(crate) struct RawIndicator {
    /// 一级指标 cell.
    pub level1: Slot,
    /// 二级指标 cell.
    pub level2: Slot,
    /// 三级指标.
    pub level3: String,
    /// 指标值.
    pub value: String,
    /// The 自评 cells (实际完成值, 分值, 得分, 偏差原因).
    pub evaluation: RawEvaluation,
    /// Where the row is.
    pub location: Location,
}

impl RawIndicator {
    /// True when the row is an indicator: it has a 三级指标 or a value. A row with group
    /// names only labels the rows below it.
    pub(crate) fn is_indicator(&self) -> bool {
        !self.level3.is_empty() || !self.value.is_empty()
    }
}

/// True when row `i`, a row of group names only, labels the indicator that follows it: the
/// next indicator row leaves blank a level this row names.
pub(crate) fn labels_rows_below(rows: &[RawIndicator], i: usize) -> bool {
    let r = &rows[i];
    let Some(next) = rows[i + 1..].iter().find(|n| n.is_indicator()) else {
        return false;
    };
    let names = |s: &Slot| matches!(s, Slot::Text(_));
    (names(&r.level1) && !names(&next.level1)) || (names(&r.level2) && !names(&next.level2))
}

/// What a cell is, for aligning a row by its content.
fn cell_text(cell: Option<&Cell>) -> &str {
    match cell {
        Some(c) if c.covered.is_none() => c.text.trim(),
        _ => "",
    }
}

/// A level-1/level-2 cell as a name: spaces and a score band removed (`产 出 指 标(40分)` →
/// `产出指标`), so that the framework can place it.
pub(crate) fn label_name(text: &str) -> String {
    strip_score_band(&normalize_label(text)).to_string()
}

/// The name a level-1/level-2 cell shows in the output: as written, without whitespace and
/// without a trailing score band (`产 出 指 标\n(40分)` → `产出指标`); brackets that hold
/// words (`数量指标（或建筑规模指标）`) are kept as written.
pub(crate) fn display_name(text: &str) -> String {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let folded = jixiao_model::value::fold_width(&compact);
    let kept = strip_score_band(&folded).chars().count();
    compact.chars().take(kept).collect()
}

// Weights of the row-alignment score (R101). A row is tried at every offset and the offset
// whose cells fit their columns best wins; a tie keeps the row where it is.
/// A level-1 cell that the framework knows as a level 1.
const L1_KNOWN: i32 = 3;
/// A level-1 cell that is really a level-2 name: the row sits one column too far right.
const L1_IS_LEVEL2: i32 = -2;
/// A level-1 cell that is no label at all (a level-3 name or a value).
const L1_UNKNOWN: i32 = -3;
/// A level-2 cell the framework knows.
const L2_KNOWN: i32 = 3;
/// A level-2 cell that is no level-2 name.
const L2_UNKNOWN: i32 = -2;
/// A level-3 cell with text.
const L3_TEXT: i32 = 1;
/// A level-3 cell that is empty: rows always have a level-3 name.
const L3_EMPTY: i32 = -2;
/// A level-3 cell holding a level-1/level-2 name or a value with a sign (`≥20公里`).
const L3_LOOKS_WRONG: i32 = -2;
/// A value cell with a number (`≥150人`).
const VALUE_QUANTIFIED: i32 = 3;
/// A value cell with words only (`有效提升`).
const VALUE_TEXT: i32 = 2;
/// An empty value cell.
const VALUE_EMPTY: i32 = -2;
/// A value cell holding a level-1/level-2 name: the row is pushed too far right.
const VALUE_IS_LABEL: i32 = -3;
/// Text pushed off either end of the row (or of its column group).
const OFF_ROW: i32 = -4;
/// Text landing in a column the header does not name.
const UNNAMED_COLUMN: i32 = -3;

/// What the alignment score asks of one cell's text, worked out once per row (every shift
/// asks again about the same cells).
#[derive(Default)]
struct CellFacts {
    /// Nothing is left of the text as a label (score band and whitespace aside).
    label_empty: bool,
    /// The text names a known level 1 / level 2 (score band and whitespace aside).
    level1: bool,
    level2: bool,
    /// Read as a value: it has a comparison sign / it is a number.
    has_op: bool,
    quantified: bool,
}

impl CellFacts {
    fn of(fw: &Framework, text: &str) -> CellFacts {
        if text.is_empty() {
            return CellFacts::default();
        }
        let label = label_name(text);
        let level1 = !label.is_empty() && fw.level1(&label).is_some();
        let level2 = !label.is_empty() && fw.level2(&label).is_some();
        // The score never asks how a level-1/level-2 name reads as a value.
        let (has_op, quantified) = if level1 || level2 {
            (false, false)
        } else {
            let value = Value::parse(text);
            (value.op.is_some(), value.is_quantified())
        };
        CellFacts {
            label_empty: label.is_empty(),
            level1,
            level2,
            has_op,
            quantified,
        }
    }
}

/// How well the cells of `texts` fit the header when every cell is moved `shift` columns to
/// the right. Cells outside `window` (another column group's) are not this group's.
fn alignment_score(
    texts: &[&str],
    facts: &[CellFacts],
    window: &std::ops::Range<usize>,
    header: &Header,
    width: usize,
    shift: isize,
) -> i32 {
    let source = |col: usize| -> Option<usize> {
        let src = col as isize - shift;
        (src >= 0 && window.contains(&(src as usize)) && (src as usize) < texts.len())
            .then_some(src as usize)
    };
    let at = |col: usize| -> (&str, Option<&CellFacts>) {
        match source(col) {
            Some(src) if !texts[src].is_empty() => (texts[src], facts.get(src)),
            _ => ("", None),
        }
    };
    let mut score = 0;
    if let Some(l1col) = header.level1 {
        let (_, f) = at(l1col);
        let f = f.filter(|f| !f.label_empty);
        score += match f {
            None => 0,
            Some(f) if f.level1 => L1_KNOWN,
            Some(f) if f.level2 => L1_IS_LEVEL2,
            Some(_) => L1_UNKNOWN,
        };
    }
    let (_, f) = at(header.level2);
    let f = f.filter(|f| !f.label_empty);
    score += match f {
        None => 0,
        Some(f) if f.level2 => L2_KNOWN,
        Some(_) => L2_UNKNOWN,
    };
    let (l3, f) = at(header.level3);
    score += match f {
        None if l3.is_empty() => L3_EMPTY,
        Some(f) if f.level1 || f.level2 || f.has_op => L3_LOOKS_WRONG,
        _ => L3_TEXT,
    };
    if let Some(vcol) = header.value {
        let (_, f) = at(vcol);
        score += match f {
            None => VALUE_EMPTY,
            Some(f) if f.level1 || f.level2 => VALUE_IS_LABEL,
            Some(f) if f.quantified => VALUE_QUANTIFIED,
            Some(_) => VALUE_TEXT,
        };
    }
    // Text that lands in no column, or falls off the row, is what a wrong shift costs most.
    let end = header.span.end.min(width);
    for (src, text) in texts.iter().enumerate() {
        if text.is_empty() || !window.contains(&src) {
            continue;
        }
        let dest = src as isize + shift;
        if dest < header.span.start as isize || dest as usize >= end {
            score += OFF_ROW;
        } else if !header.known(dest as usize, width) {
            score += UNNAMED_COLUMN;
        }
    }
    score
}

/// The most columns a row is ever moved: it lost its merged 序号/一级/二级 cells (and a spacer
/// column or two), never more. Without a bound, a header whose 三级指标 stands far to the right
/// (a damaged or generated sheet hundreds of columns wide) made every row try hundreds of
/// offsets, each over every cell: time growing with the square of the width, per row.
pub(crate) const MAX_SHIFT: usize = 8;

/// The offset that fits a row's cells (those in `window`) to `header` best, and its score.
/// A row that lost its merged 一级/二级 cells is shorter and shifted left by as many cells as it
/// lost, so every offset up to the 三级指标 column is tried (at most [`MAX_SHIFT`], and a few
/// to the left, for an extra empty cell); a tie keeps the row where it is, then the smaller
/// move.
pub(crate) fn best_shift(
    fw: &Framework,
    texts: &[&str],
    window: &std::ops::Range<usize>,
    header: &Header,
    width: usize,
) -> (i32, isize) {
    let facts: Vec<CellFacts> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if window.contains(&i) {
                CellFacts::of(fw, t)
            } else {
                CellFacts::default()
            }
        })
        .collect();
    (-3isize..=header.level3.min(MAX_SHIFT) as isize)
        .map(|s| (alignment_score(texts, &facts, window, header, width, s), s))
        .max_by_key(|&(score, s)| (score, s == 0, -s.abs()))
        .unwrap_or((0, 0))
}

/// True when the row comes from a grid that does not lose cells: a worksheet or a Word
/// table, where a merged cell is a covered cell, never a missing one. Provenance decides the
/// repair: such a row is read where it stands (`成本 | 不超过20万一年` is a level-3 name 成本
/// and its value, not a row shifted left), and only text (OCR, a page copied as text) is
/// realigned (R101).
pub(crate) fn keeps_cells(row: &Row) -> bool {
    row.cells
        .iter()
        .any(|c| matches!(c.pos, Pos::Sheet { .. } | Pos::Table { .. }))
}

/// The texts of a row's cells (covered cells read as empty).
pub(crate) fn row_texts(row: &Row) -> Vec<&str> {
    row.cells.iter().map(|c| cell_text(Some(c))).collect()
}

/// Reads one indicator row from the cells in `window` (the whole row, or the part of it
/// that belongs to one column group). A row whose cells sit off by some columns (OCR dropped
/// the merged cells, or added an empty one) is moved to where its content fits the header,
/// with a diagnostic (R101).
pub(crate) fn read_row(
    fw: &Framework,
    row: &Row,
    header: &Header,
    header_width: usize,
    window: std::ops::Range<usize>,
    location: Location,
    diags: &mut Vec<Diagnostic>,
) -> RawIndicator {
    let texts = row_texts(row);
    let width = header_width.max(row.cells.len());
    let (_, shift) = if keeps_cells(row) {
        (0, 0)
    } else {
        best_shift(fw, &texts, &window, header, width)
    };
    let at = |col: usize| -> (&str, Option<&Cell>) {
        let src = col as isize - shift;
        if src < 0 || !window.contains(&(src as usize)) {
            return ("", None);
        }
        let cell = row.cells.get(src as usize);
        (cell_text(cell), cell)
    };
    if shift != 0 {
        let dir = if shift > 0 { "左" } else { "右" };
        let mut parts = Vec::new();
        for (name, col) in [
            ("一级指标", header.level1),
            ("二级指标", Some(header.level2)),
            ("三级指标", Some(header.level3)),
            ("指标值", header.value),
        ] {
            match col.map(|c| at(c).0) {
                Some(t) if !t.is_empty() => parts.push(format!("{name}“{t}”")),
                Some(_) => parts.push(format!("{name}空白（沿用所在分组）")),
                None => {}
            }
        }
        diags.push(Diagnostic::new(
            Code::R101,
            format!(
                "该行单元格整体向{dir}错位{}列（OCR 丢失或多出了空单元格），已按内容复原为：{}",
                shift.abs(),
                parts.join("，")
            ),
            location.clone(),
        ));
    }
    let slot = |col: Option<usize>| match col.map(at) {
        Some((t, _)) if !t.is_empty() => Slot::Text(display_name(t)),
        Some((_, Some(c))) if c.covered == Some(Covered::Above) => Slot::Above,
        _ => Slot::Blank,
    };
    let level3: Vec<&str> = (header.level3..header.level3_end(width))
        .map(|c| at(c).0)
        .filter(|t| !t.is_empty())
        .collect();
    let value = header.value.map_or("", |v| at(v).0);
    let sign = header.sign.map_or("", |c| at(c).0);
    let unit = header.unit.map_or("", |c| at(c).0);
    let text = |col: Option<usize>| col.map_or(String::new(), |c| at(c).0.to_string());
    let e = &header.evaluation;
    RawIndicator {
        level1: slot(header.level1),
        level2: slot(Some(header.level2)),
        level3: level3.join(""),
        value: compose_value(sign, value, unit, &location, diags),
        evaluation: RawEvaluation {
            actual: text(e.actual),
            weight: text(e.weight),
            score: text(e.score),
            deviation: text(e.deviation),
        },
        location,
    }
}

/// The columns of `header.extra` that hold text in this row.
pub(crate) fn extra_cells(row: &Row, header: &Header) -> Vec<usize> {
    header
        .extra
        .iter()
        .filter(|(c, _)| {
            row.cells
                .get(*c)
                .is_some_and(|cell| cell.covered.is_none() && !cell.is_blank())
        })
        .map(|(c, _)| *c)
        .collect()
}

/// The value as the clerk would write it in one cell, from separate 指标性质 (sign), 指标值
/// and 计量单位 columns: `≥` `221` `人` → `≥221人`, so that `raw` reads as on the standard
/// form and `op`/`number`/`unit` are parsed from it. A sign of 定性 (qualitative) adds
/// nothing; a sign already written in the value, or a unit already at its end, is not
/// repeated; a unit is only added to a value with a number. Anything left out is reported.
pub(crate) fn compose_value(
    sign: &str,
    value: &str,
    unit: &str,
    location: &Location,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let mut out = String::new();
    let folded_sign = jixiao_model::value::fold_width(sign);
    let sign_is_op = !sign.is_empty()
        && Value::parse(&format!("{folded_sign}1")).op.is_some()
        && folded_sign.chars().all(|c| !c.is_ascii_digit());
    let has_op = Value::parse(value).op.is_some();
    if sign_is_op && !has_op && !value.is_empty() {
        out.push_str(sign);
    } else if !sign.is_empty()
        && !sign_is_op
        && !matches!(normalize_label(sign).as_str(), "定性" | "定性指标")
    {
        diags.push(Diagnostic::new(
            Code::R119,
            format!("指标性质“{sign}”不是比较符号（≥、≤、＝、＞、＜）也不是“定性”，未并入指标值“{value}”"),
            location.clone(),
        ));
    }
    out.push_str(value);
    if !unit.is_empty() && !value.ends_with(unit) {
        if Value::parse(value).number.is_some() && Value::parse(value).unit.is_none() {
            out.push_str(unit);
        } else {
            diags.push(Diagnostic::new(
                Code::R119,
                format!(
                    "计量单位“{unit}”无法并入指标值“{value}”（指标值不是数字或已有单位），未并入"
                ),
                location.clone(),
            ));
        }
    }
    out
}

/// The text of the cells of a row that no indicator column took, for reporting.
pub(crate) fn leftover_cells(
    row: &Row,
    header: &Header,
    header_width: usize,
    window: &std::ops::Range<usize>,
) -> Vec<(usize, String)> {
    let width = header_width.max(row.cells.len());
    row.cells
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            header.span.contains(i)
                && window.contains(i)
                && !header.known(*i, width)
                && c.covered.is_none()
                && !c.is_blank()
        })
        .map(|(i, c)| (i, c.text.trim().to_string()))
        .collect()
}

/// One resolved indicator.
#[derive(Debug, Clone)]
pub(crate) struct Resolved {
    /// 一级指标.
    pub level1: String,
    /// 二级指标.
    pub level2: String,
    /// The row as read.
    pub raw: RawIndicator,
}

/// Rebuilds the level-1 and level-2 groups of a table from flattened merged cells.
///
/// A blank label normally continues the group above. But OCR prints a merged label on
/// whichever row of the group its text was centred on, so the first rows of a group can be
/// blank and belong to the group *below*. For each run of blank rows between two labelled
/// rows, the split between "above" and "below" is chosen where the rows fit their group best:
/// level-3 names fit a level 2 (覆盖率 → 质量指标), level 2 fits a level 1 (成本指标 → 产出指标).
/// Ties keep the usual reading (above). Every row given to the group below is reported.
pub(crate) fn resolve(
    fw: &Framework,
    rows: Vec<RawIndicator>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Resolved> {
    resolve_counted(fw, rows, diags, &mut Work::default())
}

/// How much work [`resolve_counted`] did: for tests that the repair stays linear.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Work {
    /// Calls of the fit function (one per blank row and candidate label).
    pub fits: usize,
    /// Level-3 names classified (one per distinct name).
    pub classified: usize,
}

/// [`resolve`], counting its work in `work`.
pub(crate) fn resolve_counted(
    fw: &Framework,
    mut rows: Vec<RawIndicator>,
    diags: &mut Vec<Diagnostic>,
    work: &mut Work,
) -> Vec<Resolved> {
    let n = rows.len();
    // A row of group names that holds only a name that is both a level 1 and a level 2
    // (成本指标: a level 2 in the 88号 tree, a level 1 in the 101号 one) was read as a level 2;
    // when the next row writes a level 2 of its own, it was the level 1 over it.
    for i in 0..n.saturating_sub(1) {
        let both = |t: &str| fw.level1(&label_name(t)).is_some();
        if let (Slot::Blank, Slot::Text(name)) = (&rows[i].level1, &rows[i].level2)
            && !rows[i].is_indicator()
            && both(name)
            && matches!(&rows[i + 1].level2, Slot::Text(next) if fw.level2(&label_name(next)).is_some())
        {
            rows[i].level1 = std::mem::replace(&mut rows[i].level2, Slot::Blank);
        }
    }
    // The level 2 each row's level-3 name fits, for both levels' decisions; each distinct
    // name (with its unit) is classified once.
    let mut cache: std::collections::HashMap<(String, Option<String>), Option<&str>> =
        std::collections::HashMap::new();
    let class: Vec<Option<&str>> = rows
        .iter()
        .map(|r| {
            let unit = Value::parse(&r.value).unit;
            *cache
                .entry((r.level3.clone(), unit.clone()))
                .or_insert_with(|| {
                    work.classified += 1;
                    fw.classify(&r.level3, unit.as_deref())
                })
        })
        .collect();

    // Level 1 first: a row fits a level-1 group when its level 2 (written, or implied by its
    // level-3 name) is allowed under it.
    let l1_slots: Vec<Slot> = rows.iter().map(|r| r.level1.clone()).collect();
    let l1_fit = |i: usize, label: &str| -> i32 {
        let l2 = match &rows[i].level2 {
            Slot::Text(t) => fw.level2(&label_name(t)).or(class[i]),
            _ => class[i],
        };
        let label = label_name(label);
        match (l2, fw.level1(&label)) {
            (Some(l2), Some(_)) => {
                if fw.allows(&label, l2) {
                    1
                } else {
                    -1
                }
            }
            _ => 0,
        }
    };
    let filled_from = diags.len();
    let mut level1 = fill(
        &l1_slots,
        &|_, _| true,
        &l1_fit,
        "一级指标",
        &rows,
        diags,
        work,
    );
    parents(fw, &rows, &mut level1, diags, filled_from);

    // Level 2 within each level-1 group: a row fits when its level-3 name is of that kind —
    // said by its head noun (the keyword that ends the name: 覆盖率 in 补助覆盖率), or by its
    // unit. A keyword inside the name only qualifies it (资金 in 资助资金发放 is no cost): such
    // a name decides nothing here, and a blank row keeps the group above.
    let headed: Vec<Option<&str>> = rows
        .iter()
        .zip(&class)
        .map(|(r, c)| {
            let c = (*c)?;
            let name = normalize_label(&r.level3);
            let keywords = || {
                fw.classify
                    .iter()
                    .filter(|k| k.level2 == c)
                    .flat_map(|k| k.keywords.iter())
            };
            let by_unit = !keywords().any(|k| name.contains(k.as_str()));
            (by_unit || keywords().any(|k| name.ends_with(k.as_str()))).then_some(c)
        })
        .collect();
    let l2_slots: Vec<Slot> = rows.iter().map(|r| r.level2.clone()).collect();
    let same_group = |a: usize, b: usize| level1[a] == level1[b];
    let l2_fit = |i: usize, label: &str| -> i32 {
        match (headed[i], fw.level2(&label_name(label))) {
            (Some(c), Some(l)) => {
                if c == l {
                    1
                } else {
                    -1
                }
            }
            _ => 0,
        }
    };
    let level2 = fill(
        &l2_slots,
        &same_group,
        &l2_fit,
        "二级指标",
        &rows,
        diags,
        work,
    );

    (0..n)
        .zip(rows)
        .map(|(i, raw)| Resolved {
            level1: level1[i].clone(),
            level2: level2[i].clone(),
            raw,
        })
        .collect()
}

/// The framework is a grammar: every level 2 belongs to one level 1. A row whose level 1 is
/// not written (a merged cell flattened, its anchor lost or on a row of its own) and whose
/// written level 2 the level 1 that [`fill`] took from the group below does not hold
/// (`数量指标` under the `满意度指标` below it), or that got no level 1 at all, takes the
/// level 2's parent: the
/// nearest level 1 written in this table that holds it (kept as written: 项目完成指标), else
/// the framework's name for it. The R102/R103 that [`fill`] gave such a row (from
/// `filled_from` on) is replaced by one that says why.
fn parents(
    fw: &Framework,
    rows: &[RawIndicator],
    level1: &mut [String],
    diags: &mut Vec<Diagnostic>,
    filled_from: usize,
) {
    // The level-1 names written in the table, with their rows.
    let written: Vec<(usize, &str)> = rows
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match &r.level1 {
            Slot::Text(t) if fw.level1(&label_name(t)).is_some() => Some((i, t.as_str())),
            _ => None,
        })
        .collect();
    let mut repaired: Vec<(Location, String)> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let Slot::Text(l2) = &r.level2 else { continue };
        if matches!(r.level1, Slot::Text(_)) || fw.level2(&label_name(l2)).is_none() {
            continue;
        }
        // A level 1 continued from a cell above is the form's merged cell, and what the
        // clerk wrote: kept, even where the level 2 does not belong there (older trees put
        // 满意度 under 效果指标; a misplaced row is for the review to report, C205). One
        // taken from the group below, or none, is checked against the grammar.
        let from_above = rows[..i].iter().any(|r| matches!(r.level1, Slot::Text(_)));
        let given = label_name(&level1[i]);
        let fits = !given.is_empty()
            && (from_above || fw.level1(&given).is_none() || fw.allows(&given, &label_name(l2)));
        if fits {
            continue;
        }
        // Nearest written level 1 above that holds the level 2, then below, then the
        // framework's own name.
        let holds = |name: &str| fw.allows(&label_name(name), &label_name(l2));
        let above = written.iter().rev().find(|(k, n)| *k < i && holds(n));
        let below = written.iter().find(|(k, n)| *k > i && holds(n));
        let parent = above.or(below).map(|(_, n)| n.to_string()).or_else(|| {
            let canonical = fw.level2(&label_name(l2))?;
            fw.scheme
                .iter()
                .flat_map(|s| &s.level1)
                .find(|g| g.level2.iter().any(|n| n == canonical))
                .map(|g| g.name.clone())
        });
        let Some(parent) = parent else { continue };
        let was = std::mem::replace(&mut level1[i], parent.clone());
        let why = if was.is_empty() {
            format!("一级指标空白；二级指标“{l2}”属于“{parent}”，已归入“{parent}”")
        } else {
            format!(
                "一级指标空白；二级指标“{l2}”属于“{parent}”，不属于相邻的“{was}”，已归入“{parent}”"
            )
        };
        repaired.push((r.location.clone(), why));
    }
    if repaired.is_empty() {
        return;
    }
    let places: std::collections::HashSet<&Location> = repaired.iter().map(|(at, _)| at).collect();
    let mut k = 0;
    diags.retain(|d| {
        k += 1;
        k <= filled_from || !places.contains(&d.location)
    });
    for (at, why) in repaired {
        diags.push(Diagnostic::new(Code::R102, why, at));
    }
}

/// Fills blank slots from the labelled rows around them; `joinable(a, b)` says whether rows
/// `a` and `b` may share a label (level 2 never crosses a level-1 boundary).
///
/// The hard part: a run of blank rows `[i, j)` between the label above (`a`) and the label
/// below (`b`) is split at the `s` where rows `[i, s)` fit `a` and rows `[s, j)` fit `b`
/// best. Scoring every split by summing its rows would take quadratic time (5,000 blank rows
/// took 15 s); with running sums of each row's fit to `a` and to `b`, every split's score is
/// `fit_a[i..s] + fit_b[s..j]`, one pass: linear in the run.
#[allow(clippy::too_many_arguments)]
fn fill(
    slots: &[Slot],
    joinable: &dyn Fn(usize, usize) -> bool,
    fit: &dyn Fn(usize, &str) -> i32,
    what: &str,
    rows: &[RawIndicator],
    diags: &mut Vec<Diagnostic>,
    work: &mut Work,
) -> Vec<String> {
    let n = slots.len();
    let mut out: Vec<String> = slots
        .iter()
        .map(|s| {
            if let Slot::Text(t) = s {
                t.clone()
            } else {
                String::new()
            }
        })
        .collect();
    let mut i = 0;
    while i < n {
        if matches!(slots[i], Slot::Text(_)) {
            i += 1;
            continue;
        }
        // A run of unlabelled rows [i, j) that may share a label with each other.
        let mut j = i + 1;
        while j < n && !matches!(slots[j], Slot::Text(_)) && joinable(j - 1, j) {
            j += 1;
        }
        let above = (i > 0 && joinable(i - 1, i))
            .then(|| out[i - 1].clone())
            .filter(|s| !s.is_empty());
        let below = (j < n && matches!(slots[j], Slot::Text(_)) && joinable(j - 1, j))
            .then(|| out[j].clone());
        // Rows covered by a real merge continue the group above, so the split comes after them.
        let min_split = (i..j)
            .rev()
            .find(|&k| slots[k] == Slot::Above)
            .map_or(i, |k| k + 1);
        let split = match (&above, &below) {
            (Some(a), Some(b)) => {
                // prefix_a[m] = fit to `a` of rows i..i+m; suffix_b[m] = fit to `b` of rows
                // i+m..j. The split keeps rows covered by a real merge above (`min_split`);
                // on a tie the later split wins (the usual reading: above).
                let len = j - i;
                let mut prefix_a = vec![0i32; len + 1];
                let mut suffix_b = vec![0i32; len + 1];
                for m in 0..len {
                    prefix_a[m + 1] = prefix_a[m] + fit(i + m, a);
                    suffix_b[len - m - 1] = suffix_b[len - m] + fit(j - m - 1, b);
                }
                work.fits += 2 * len;
                (min_split..=j)
                    .rev()
                    .max_by_key(|&s| (prefix_a[s - i] + suffix_b[s - i], s))
                    .unwrap_or(j)
            }
            (Some(_), None) => j,
            (None, Some(_)) => i,
            (None, None) => j,
        };
        for k in i..j {
            if k < split {
                if let Some(a) = &above {
                    out[k] = a.clone();
                }
            } else if let Some(b) = &below {
                out[k] = b.clone();
                if !rows[k].is_indicator() {
                    continue; // a row of group names: nothing to report
                }
                let why = if above.is_some() {
                    format!(
                        "{what}空白；按三级指标“{}”判断应属于下一行的“{b}”（合并单元格的标签印在了分组的后一行），已归入“{b}”而不是上方的“{}”",
                        rows[k].level3,
                        above.as_deref().unwrap_or("")
                    )
                } else {
                    format!("{what}空白且上方没有分组，已归入下方的“{b}”")
                };
                diags.push(Diagnostic::new(Code::R102, why, rows[k].location.clone()));
            }
        }
        if above.is_none() && below.is_none() {
            for row in rows[i..j].iter().filter(|r| r.is_indicator()) {
                diags.push(Diagnostic::new(
                    Code::R103,
                    format!("{what}空白，表中也没有可归入的分组"),
                    row.location.clone(),
                ));
            }
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(l1: Slot, l2: Slot, l3: &str, value: &str) -> RawIndicator {
        RawIndicator {
            level1: l1,
            level2: l2,
            level3: l3.to_string(),
            value: value.to_string(),
            evaluation: RawEvaluation::default(),
            location: Location::default(),
        }
    }

    /// 5,000 rows with blank 一级/二级 between two labelled rows: the repair looks at each
    /// blank row a constant number of times (it used to score every split point: quadratic).
    #[test]
    fn blank_label_repair_is_linear() {
        let fw = Framework::standard();
        for n in [500usize, 5_000] {
            let mut rows = vec![raw(
                Slot::Text("产出指标".into()),
                Slot::Text("数量指标".into()),
                "发放人数",
                "≥10人",
            )];
            for k in 0..n {
                let name = if k % 2 == 0 {
                    "资金发放及时率"
                } else {
                    "补助覆盖率"
                };
                rows.push(raw(Slot::Blank, Slot::Blank, name, "≥90%"));
            }
            rows.push(raw(
                Slot::Text("效益指标".into()),
                Slot::Text("社会效益指标".into()),
                "群众生活水平",
                "有效提升",
            ));
            let mut diags = Vec::new();
            let mut work = Work::default();
            let out = resolve_counted(fw, rows, &mut diags, &mut work);
            assert_eq!(out.len(), n + 2);
            // Level 1 and level 2 each see the run once, two fits per blank row.
            assert!(work.fits <= 4 * n, "n = {n}: {} fits", work.fits);
            // Four distinct (level-3 name, unit) pairs: each classified once.
            assert_eq!(work.classified, 4);
            assert!(out[1..=n].iter().all(|r| r.level1 == "产出指标"));
        }
    }

    fn at(line: u32, r: RawIndicator) -> RawIndicator {
        RawIndicator {
            location: Location::line(Some("t.txt"), line, 1),
            ..r
        }
    }

    /// A group name on a row of its own (the anchor of a merged cell) labels the rows below,
    /// and is no indicator itself.
    #[test]
    fn rows_of_group_names_label_the_rows_below() {
        let fw = Framework::standard();
        let t = |s: &str| Slot::Text(s.into());
        let rows = vec![
            at(1, raw(t("项目完成指标"), t("数量指标"), "扶助户数", "63户")),
            at(2, raw(t("项目效益指标"), Slot::Blank, "", "")),
            at(3, raw(Slot::Blank, t("社会效益指标"), "", "")),
            at(4, raw(Slot::Blank, Slot::Blank, "促进社会和谐", "明显")),
        ];
        assert!(labels_rows_below(&rows, 1) && labels_rows_below(&rows, 2));
        let mut diags = Vec::new();
        let out = resolve(fw, rows, &mut diags);
        assert_eq!(
            (out[3].level1.as_str(), out[3].level2.as_str()),
            ("项目效益指标", "社会效益指标")
        );
        assert!(diags.is_empty(), "{diags:?}");
    }

    /// 成本指标 on a row of its own above `经济成本指标` rows is their level 1 (101号).
    #[test]
    fn a_name_of_both_levels_over_a_level2_is_the_level1() {
        let fw = Framework::standard();
        let t = |s: &str| Slot::Text(s.into());
        let rows = vec![
            at(1, raw(t("产出指标"), t("数量指标"), "受益人数", "≥10人")),
            at(2, raw(Slot::Blank, t("成本指标"), "", "")),
            at(3, raw(Slot::Blank, t("经济成本指标"), "人均补助", "≤500元")),
            at(4, raw(Slot::Blank, t("成本指标"), "单价", "≤20元")),
        ];
        let out = resolve(fw, rows, &mut Vec::new());
        assert_eq!(
            (out[2].level1.as_str(), out[2].level2.as_str()),
            ("成本指标", "经济成本指标")
        );
        // A 成本指标 written beside a 三级指标 is the level 2 it reads as.
        assert_eq!(out[3].level2, "成本指标");
    }

    /// A lost level 1 is the parent of the row's level 2: the level 1 written in the table
    /// that holds it, else the framework's name, never the unrelated group below.
    #[test]
    fn a_lost_level1_is_the_parent_of_its_level2() {
        let fw = Framework::standard();
        let t = |s: &str| Slot::Text(s.into());
        let rows = vec![
            at(1, raw(Slot::Blank, t("数量指标"), "扶助户数", "63户")),
            at(2, raw(Slot::Blank, t("质量指标"), "审核准确率", "100%")),
            at(
                3,
                raw(t("满意度指标"), t("满意度指标"), "群众满意度", "≥90%"),
            ),
        ];
        let mut diags = Vec::new();
        let out = resolve(fw, rows.clone(), &mut diags);
        assert_eq!(out[0].level1, "产出指标");
        assert_eq!(out[1].level1, "产出指标");
        assert_eq!(out[2].level1, "满意度指标");
        // One finding per row, saying why.
        assert_eq!(diags.len(), 2, "{diags:?}");
        assert!(
            diags[0].message.contains("属于“产出指标”"),
            "{}",
            diags[0].message
        );
        // A legacy name written in the table is kept as written.
        let mut legacy = rows;
        legacy.push(at(
            4,
            raw(t("项目完成指标"), t("时效指标"), "完成时间", "12月"),
        ));
        let out = resolve(fw, legacy, &mut Vec::new());
        assert_eq!(out[0].level1, "项目完成指标");
        // A level 1 continued from above is the merged cell's and stays.
        let kept = vec![
            at(
                1,
                raw(t("效果指标"), t("社会效益指标"), "就业人数", "≥10人"),
            ),
            at(2, raw(Slot::Blank, t("满意度指标"), "群众满意度", "≥90%")),
        ];
        let out = resolve(fw, kept, &mut Vec::new());
        assert_eq!(out[1].level1, "效果指标");
        // So is a misplaced row under it: the review reports it (C205), the reader keeps it.
        let misplaced = vec![
            at(1, raw(t("产出指标"), t("数量指标"), "受益人数", "≥10人")),
            at(2, raw(Slot::Blank, t("社会效益指标"), "营养状况", "改善")),
        ];
        let out = resolve(fw, misplaced, &mut Vec::new());
        assert_eq!(out[1].level1, "产出指标");
    }

    /// Provenance decides the repair: a worksheet row is read where it stands, a text row is
    /// realigned by content.
    #[test]
    fn only_text_rows_are_realigned() {
        use jixiao_grid::RowKind;
        let fw = Framework::standard();
        let vocab = crate::labels::Vocab::new(&fw.labels);
        let row = |texts: &[&str], sheet: bool| {
            let cells = texts
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let pos = if sheet {
                        Pos::Sheet {
                            row: 5,
                            col: i as u32,
                        }
                    } else {
                        Pos::Line {
                            line: 6,
                            column: i as u32 * 4 + 1,
                        }
                    };
                    Cell::new(*t, pos)
                })
                .collect();
            Row::new(RowKind::Table, cells)
        };
        let header = Header::groups(
            &vocab,
            &row(&["一级指标", "二级指标", "三级指标", "指标值"], false),
        )
        .unwrap()
        .remove(0);
        let read = |r: &Row| {
            let mut diags = Vec::new();
            let raw = read_row(
                fw,
                r,
                &header,
                4,
                0..usize::MAX,
                Location::default(),
                &mut diags,
            );
            (raw, diags)
        };
        // A sheet: 成本 stands in the 三级指标 column and is the level-3 name.
        let (raw, diags) = read(&row(&["", "", "成本", "不超过20万一年"], true));
        assert_eq!((raw.level2, raw.level3.as_str()), (Slot::Blank, "成本"));
        assert!(diags.is_empty());
        // Text that lost its first cells (成本指标 | 人均补助 | ≤500元): moved back, reported.
        let (raw, diags) = read(&row(&["成本指标", "人均补助", "≤500元"], false));
        assert_eq!(raw.level2, Slot::Text("成本指标".into()));
        assert_eq!(raw.level3, "人均补助");
        assert_eq!(diags[0].code, "R101");
        // The same cells from a sheet stay where they are.
        let (raw, _) = read(&row(&["成本指标", "人均补助", "≤500元"], true));
        assert_eq!(raw.level3, "≤500元");
    }

    #[test]
    fn display_names_lose_spaces_and_score_bands_only() {
        assert_eq!(display_name("产 出 指 标\n(40分)"), "产出指标");
        assert_eq!(display_name("成本指标(0-20)分"), "成本指标");
        assert_eq!(display_name("满意度指标（10分）"), "满意度指标");
        assert_eq!(
            display_name("数量指标（或建筑规模指标）"),
            "数量指标（或建筑规模指标）"
        );
        assert_eq!(display_name("社会效益\n指标"), "社会效益指标");
    }
}
