//! The indicator table: its header, and rows read by content as well as position (the
//! level-1/level-2 groups are rebuilt from flattened merged cells in `groups.rs`).

use crate::labels::{Column, Vocab, strip_score_band, strip_template_note};
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

impl RawEvaluation {
    /// No 自评 cell at all: what a row of a table without 自评 columns has.
    pub(crate) const NONE: RawEvaluation = RawEvaluation {
        actual: String::new(),
        weight: String::new(),
        score: String::new(),
        deviation: String::new(),
    };

    /// As a row keeps it: nothing when every cell is blank (most tables have no 自评
    /// columns, and a row should not carry room for them), else boxed.
    pub(crate) fn boxed(self) -> Option<Box<RawEvaluation>> {
        (self != RawEvaluation::NONE).then(|| Box::new(self))
    }

    /// The cells of a row's [`RawIndicator::evaluation`], blank when it has none.
    pub(crate) fn of(kept: &Option<Box<RawEvaluation>>) -> &RawEvaluation {
        static NONE: RawEvaluation = RawEvaluation::NONE;
        kept.as_deref().unwrap_or(&NONE)
    }
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
    /// The 自评 cells (实际完成值, 分值, 得分, 偏差原因); none when all are blank
    /// ([`RawEvaluation::of`] reads them).
    pub evaluation: Option<Box<RawEvaluation>>,
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
    strip_template_note(strip_score_band(&normalize_label(text))).to_string()
}

/// The name a level-1/level-2 cell shows in the output: as written, without whitespace and
/// without a trailing score band (`产 出 指 标\n(40分)` → `产出指标`) or template note
/// (`成本指标（必填）` → `成本指标`); brackets that hold words (`数量指标（或建筑规模指标）`) are
/// kept as written.
pub(crate) fn display_name(text: &str) -> String {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let folded = jixiao_model::value::fold_width(&compact);
    let kept = strip_template_note(strip_score_band(&folded))
        .chars()
        .count();
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
    // A row that lost its merged cells and whose first group name is a 一级 name, not a 二级
    // one (`产出指标 | 开设课程数量 | 220`): the 一级 label printed in the middle of its merged
    // cell, on a row inside the group; the 二级 goes on from the row above.
    let centered_level1 = {
        let l2 = at(header.level2).0;
        let name = label_name(l2);
        shift > 0
            && header.level1.is_some_and(|c| at(c).0.is_empty())
            && !name.is_empty()
            && fw.level1(&name).is_some()
            && fw.level2(&name).is_none()
    };
    let text_at = |col: usize| -> &str {
        if centered_level1 && Some(col) == header.level1 {
            at(header.level2).0
        } else if centered_level1 && col == header.level2 {
            ""
        } else {
            at(col).0
        }
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
            match col.map(text_at) {
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
    let slot = |col: Option<usize>| match col.map(|c| (text_at(c), at(c).1)) {
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
        }
        .boxed(),
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

#[cfg(test)]
mod tests {
    use super::*;

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
