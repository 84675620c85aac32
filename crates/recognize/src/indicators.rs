//! The indicator table: its header, rows read by content as well as position, and the
//! level-1/level-2 groups rebuilt from flattened merged cells.

use crate::labels::{Column, column};
use jixiao_grid::{Cell, Covered, Row};
use jixiao_model::framework::{Framework, normalize_label};
use jixiao_model::{Diagnostic, Location, Value};

/// Where the indicator columns are, from the header row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    /// 一级指标 column.
    pub level1: usize,
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
    /// Other named columns (序号, 分值, 备注 …): their header text. Their cells are not part
    /// of the IR; they are counted and reported once per column.
    pub extra: Vec<(usize, String)>,
    /// The columns this group reads (all of them unless 中期 and 年度 stand side by side).
    pub span: std::ops::Range<usize>,
}

impl Header {
    /// The column groups of a header row: one for an ordinary table, two where 中期 and 年度
    /// indicators stand side by side (88号). Each group's columns are relative to the row.
    pub(crate) fn groups(row: &Row) -> Option<Vec<Header>> {
        let cols: Vec<Option<Column>> = row
            .cells
            .iter()
            .map(|c| {
                if c.covered.is_some() {
                    None
                } else {
                    column(&c.text)
                }
            })
            .collect();
        let mut groups = Vec::new();
        let mut start = 0;
        while start < cols.len() {
            // A group runs from a 一级指标 (or the row start) to the next 一级指标 after its value.
            let Some(level1) = (start..cols.len()).find(|&i| cols[i] == Some(Column::Level1))
            else {
                break;
            };
            let next_l1 = (level1 + 1..cols.len())
                .find(|&i| cols[i] == Some(Column::Level1))
                .unwrap_or(cols.len());
            let find = |want: Column| (level1..next_l1).find(|&i| cols[i] == Some(want));
            let (Some(level2), Some(level3)) = (find(Column::Level2), find(Column::Level3)) else {
                break;
            };
            if !(level1 < level2 && level2 < level3) {
                break;
            }
            let mut header = Header {
                level1,
                level2,
                level3,
                value: find(Column::Value),
                unit: find(Column::Unit),
                sign: find(Column::Sign),
                extra: Vec::new(),
                span: 0..usize::MAX,
            };
            let end = if next_l1 < cols.len() {
                next_l1
            } else {
                cols.len()
            };
            let group_start = if groups.is_empty() { 0 } else { start };
            header.span = group_start..if next_l1 < cols.len() {
                next_l1
            } else {
                usize::MAX
            };
            for (i, cell) in row.cells.iter().enumerate().take(end).skip(group_start) {
                if cell.covered.is_none() && !cell.is_blank() && !header.uses(i, row.cells.len()) {
                    header.extra.push((i, cell.text.trim().to_string()));
                }
            }
            groups.push(header);
            start = next_l1;
        }
        (!groups.is_empty()).then_some(groups)
    }

    /// True when column `i` belongs to one of the indicator columns.
    fn uses(&self, i: usize, width: usize) -> bool {
        i == self.level1
            || i == self.level2
            || (self.level3..self.level3_end(width)).contains(&i)
            || Some(i) == self.value
            || Some(i) == self.unit
            || Some(i) == self.sign
    }

    /// The columns after 三级指标 that still belong to it (a flattened merged cell).
    fn level3_end(&self, width: usize) -> usize {
        let next = [self.value, self.unit, self.sign]
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
    /// Where the row is.
    pub location: Location,
}

/// What a cell is, for aligning a row by its content.
fn cell_text(cell: Option<&Cell>) -> &str {
    match cell {
        Some(c) if c.covered.is_none() => c.text.trim(),
        _ => "",
    }
}

/// How well a row fits the header when every cell is moved `shift` columns to the right.
fn alignment_score(
    fw: &Framework,
    texts: &[&str],
    header: &Header,
    width: usize,
    shift: isize,
) -> i32 {
    let at = |col: usize| -> &str {
        let src = col as isize - shift;
        if src < 0 {
            ""
        } else {
            texts.get(src as usize).copied().unwrap_or("")
        }
    };
    let mut score = 0;
    let l1 = at(header.level1);
    score += if l1.is_empty() {
        0
    } else if fw.level1(l1).is_some() {
        3
    } else if fw.level2(l1).is_some() {
        -2
    } else {
        -3
    };
    let l2 = at(header.level2);
    score += if l2.is_empty() {
        0
    } else if fw.level2(l2).is_some() {
        3
    } else {
        -2
    };
    let l3 = at(header.level3);
    score += if l3.is_empty() {
        -2
    } else if fw.level1(l3).is_some() || fw.level2(l3).is_some() {
        -1
    } else {
        1
    };
    if let Some(vcol) = header.value {
        let v = at(vcol);
        score += if v.is_empty() {
            -2
        } else if Value::parse(v).is_quantified() {
            3
        } else {
            2
        };
    }
    // Text that lands in no column, or falls off the row, is what a wrong shift costs most.
    let mapped = |c: usize| header.known(c, width);
    for (src, text) in texts.iter().enumerate() {
        if text.is_empty() {
            continue;
        }
        let dest = src as isize + shift;
        if dest < 0 || dest as usize >= width {
            score -= 4;
        } else if !mapped(dest as usize) {
            score -= 3;
        }
    }
    score
}

/// Reads one indicator row. A row whose cells sit one or two columns off (OCR dropped or
/// added an empty cell) is moved to where its content fits the header, with a diagnostic.
pub(crate) fn read_row(
    fw: &Framework,
    row: &Row,
    header: &Header,
    header_width: usize,
    location: Location,
    diags: &mut Vec<Diagnostic>,
) -> RawIndicator {
    let texts: Vec<&str> = row
        .cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if header.span.contains(&i) {
                cell_text(Some(c))
            } else {
                ""
            }
        })
        .collect();
    let width = header_width.max(row.cells.len());
    let shift = (-2isize..=2)
        .map(|s| (alignment_score(fw, &texts, header, width, s), s))
        .max_by_key(|&(score, s)| (score, s == 0, -s.abs()))
        .map_or(0, |(_, s)| s);
    let at = |col: usize| -> (&str, Option<&Cell>) {
        let src = col as isize - shift;
        if src < 0 || !header.span.contains(&(src as usize)) {
            return ("", None);
        }
        let cell = row.cells.get(src as usize);
        (cell_text(cell), cell)
    };
    if shift != 0 {
        let dir = if shift > 0 { "左" } else { "右" };
        let mut parts = Vec::new();
        for (name, col) in [
            ("一级指标", Some(header.level1)),
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
        diags.push(Diagnostic::warning(
            "R101",
            format!(
                "该行单元格整体向{dir}错位{}列（OCR 丢失或多出了空单元格），已按内容复原为：{}",
                shift.abs(),
                parts.join("，")
            ),
            location.clone(),
        ));
    }
    let slot = |col: usize| match at(col) {
        (t, _) if !t.is_empty() => Slot::Text(t.to_string()),
        (_, Some(c)) if c.covered == Some(Covered::Above) => Slot::Above,
        _ => Slot::Blank,
    };
    let level3: Vec<&str> = (header.level3..header.level3_end(width))
        .map(|c| at(c).0)
        .filter(|t| !t.is_empty())
        .collect();
    let value = header.value.map_or("", |v| at(v).0);
    let sign = header.sign.map_or("", |c| at(c).0);
    let unit = header.unit.map_or("", |c| at(c).0);
    RawIndicator {
        level1: slot(header.level1),
        level2: slot(header.level2),
        level3: level3.join(""),
        value: compose_value(sign, value, unit, &location, diags),
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
        diags.push(Diagnostic::warning(
            "R119",
            format!("指标性质“{sign}”不是比较符号（≥、≤、＝、＞、＜）也不是“定性”，未并入指标值“{value}”"),
            location.clone(),
        ));
    }
    out.push_str(value);
    if !unit.is_empty() && !value.ends_with(unit) {
        if Value::parse(value).number.is_some() && Value::parse(value).unit.is_none() {
            out.push_str(unit);
        } else {
            diags.push(Diagnostic::warning(
                "R119",
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
) -> Vec<(usize, String)> {
    let width = header_width.max(row.cells.len());
    row.cells
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            header.span.contains(i)
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
    let n = rows.len();
    // The level 2 each row's level-3 name fits, for both levels' decisions.
    let class: Vec<Option<&str>> = rows
        .iter()
        .map(|r| fw.classify(&r.level3, Value::parse(&r.value).unit.as_deref()))
        .collect();

    // Level 1 first: a row fits a level-1 group when its level 2 (written, or implied by its
    // level-3 name) is allowed under it.
    let l1_slots: Vec<Slot> = rows.iter().map(|r| r.level1.clone()).collect();
    let l1_fit = |i: usize, label: &str| -> i32 {
        let l2 = match &rows[i].level2 {
            Slot::Text(t) => fw.level2(t).or(class[i]),
            _ => class[i],
        };
        match (l2, fw.level1(label)) {
            (Some(l2), Some(_)) => {
                if fw.allows(label, l2) {
                    1
                } else {
                    -1
                }
            }
            _ => 0,
        }
    };
    let level1 = fill(&l1_slots, &|_, _| true, &l1_fit, "一级指标", &rows, diags);

    // Level 2 within each level-1 group: a row fits when its level-3 name is of that kind.
    let l2_slots: Vec<Slot> = rows.iter().map(|r| r.level2.clone()).collect();
    let same_group = |a: usize, b: usize| level1[a] == level1[b];
    let l2_fit = |i: usize, label: &str| -> i32 {
        match (class[i], fw.level2(label)) {
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
    let level2 = fill(&l2_slots, &same_group, &l2_fit, "二级指标", &rows, diags);

    (0..n)
        .zip(rows)
        .map(|(i, raw)| Resolved {
            level1: level1[i].clone(),
            level2: level2[i].clone(),
            raw,
        })
        .collect()
}

/// Fills blank slots from the labelled rows around them; `joinable(a, b)` says whether rows
/// `a` and `b` may share a label (level 2 never crosses a level-1 boundary).
fn fill(
    slots: &[Slot],
    joinable: &dyn Fn(usize, usize) -> bool,
    fit: &dyn Fn(usize, &str) -> i32,
    what: &str,
    rows: &[RawIndicator],
    diags: &mut Vec<Diagnostic>,
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
                let score = |s: usize| -> i32 {
                    (i..s).map(|k| fit(k, a)).sum::<i32>() + (s..j).map(|k| fit(k, b)).sum::<i32>()
                };
                (min_split..=j)
                    .rev()
                    .max_by_key(|&s| (score(s), s))
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
                let why = if above.is_some() {
                    format!(
                        "{what}空白；按三级指标“{}”判断应属于下一行的“{b}”（合并单元格的标签印在了分组的后一行），已归入“{b}”而不是上方的“{}”",
                        rows[k].level3,
                        above.as_deref().unwrap_or("")
                    )
                } else {
                    format!("{what}空白且上方没有分组，已归入下方的“{b}”")
                };
                diags.push(Diagnostic::warning("R102", why, rows[k].location.clone()));
            }
        }
        if above.is_none() && below.is_none() {
            for row in &rows[i..j] {
                diags.push(Diagnostic::warning(
                    "R103",
                    format!("{what}空白，表中也没有可归入的分组"),
                    row.location.clone(),
                ));
            }
        }
        i = j;
    }
    out
}
