//! The level-1 and level-2 groups of an indicator table rebuilt from flattened merged
//! cells: a blank 一级/二级 cell given to the group above or below where its rows fit best
//! (R102, in linear time), and a lost 一级 taken from its 二级's parent in the framework.

use crate::indicators::{RawIndicator, Slot, label_name};
use jixiao_model::framework::{Framework, normalize_label};
use jixiao_model::{Code, Diagnostic, Location, Value};

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
///
/// The rows come out one at a time: the caller turns each into what it keeps while the rows
/// as read are let go, so the table's rows are never held twice.
pub(crate) fn resolve_each(
    fw: &Framework,
    rows: Vec<RawIndicator>,
    diags: &mut Vec<Diagnostic>,
) -> impl Iterator<Item = Resolved> + use<> {
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

/// [`resolve_each`], counting its work in `work`.
pub(crate) fn resolve_counted(
    fw: &Framework,
    mut rows: Vec<RawIndicator>,
    diags: &mut Vec<Diagnostic>,
    work: &mut Work,
) -> impl Iterator<Item = Resolved> + use<> {
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
    // name (with its unit) is classified once. The names are borrowed, not copied: a table of
    // a million distinct names would hold them all twice.
    // The memory of names is bounded ([`CLASS_CACHE`] names): a table of a million distinct
    // names gains nothing from remembering them, and each is classified once either way.
    let class: Vec<Option<&str>> = {
        let mut cache: std::collections::HashMap<(&str, Option<String>), Option<&str>> =
            std::collections::HashMap::new();
        rows.iter()
            .map(|r| {
                let unit = Value::parse(&r.value).unit;
                if let Some(known) = cache.get(&(r.level3.as_str(), unit.clone())) {
                    return *known;
                }
                work.classified += 1;
                let c = fw.classify(&r.level3, unit.as_deref());
                if cache.len() < CLASS_CACHE {
                    cache.insert((r.level3.as_str(), unit), c);
                }
                c
            })
            .collect()
    };

    // Level 1 first: a row fits a level-1 group when its level 2 (written, or implied by its
    // level-3 name) is allowed under it.
    let l1_slots: Vec<&Slot> = rows.iter().map(|r| &r.level1).collect();
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
    let l2_slots: Vec<&Slot> = rows.iter().map(|r| &r.level2).collect();
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

    drop((l1_slots, l2_slots, class, headed));
    // The labels move into the rows (no copy of each row's two labels is made).
    level1
        .into_iter()
        .zip(level2)
        .zip(in_pieces(rows))
        .map(|((level1, level2), raw)| Resolved {
            level1,
            level2,
            raw,
        })
}

/// How many distinct level-3 names (with their units) [`resolve_each`] remembers the class of.
const CLASS_CACHE: usize = 4096;

/// The rows in order, cut first into pieces of at most [`PIECE`] rows from the end (the
/// vector shrinking as each is cut), each piece let go once given: the rows as read shrink
/// as what is made from them grows, and the two are never both held whole.
fn in_pieces(mut rows: Vec<RawIndicator>) -> impl Iterator<Item = RawIndicator> {
    let mut pieces = Vec::with_capacity(rows.len() / PIECE + 1);
    while rows.len() > PIECE {
        pieces.push(rows.split_off(rows.len() - PIECE));
        rows.shrink_to_fit();
    }
    pieces.push(rows);
    pieces.into_iter().rev().flatten()
}

/// Rows in each piece [`in_pieces`] cuts.
const PIECE: usize = 4096;

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
    let mut moved = vec![false; rows.len()];
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
        moved[i] = true;
    }
    // A row with both 一级 and 二级 blank right under a row just given its level 2's parent
    // is under the same merged cells: it goes with that row, not with the group [`fill`]
    // took from below.
    for i in 1..rows.len() {
        let blank = |r: &RawIndicator| !matches!(r.level1, Slot::Text(_));
        if moved[i - 1]
            && blank(&rows[i - 1])
            && blank(&rows[i])
            && !matches!(rows[i].level2, Slot::Text(_))
            && level1[i] != level1[i - 1]
        {
            level1[i] = level1[i - 1].clone();
            moved[i] = true;
            if rows[i].is_indicator() {
                let why = format!(
                    "一级、二级指标空白，与上一行同在合并的单元格中，已归入“{}”",
                    level1[i]
                );
                repaired.push((rows[i].location.clone(), why));
            }
        }
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
    slots: &[&Slot],
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
            .find(|&k| *slots[k] == Slot::Above)
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
    use crate::indicators::labels_rows_below;

    /// The rows come back in order from their pieces, none larger than [`PIECE`].
    #[test]
    fn rows_are_given_back_in_order_piece_by_piece() {
        let n = 3 * PIECE + 17;
        let rows: Vec<RawIndicator> = (0..n)
            .map(|i| raw(Slot::Blank, Slot::Blank, &i.to_string(), ""))
            .collect();
        let back: Vec<String> = in_pieces(rows).map(|r| r.level3).collect();
        assert_eq!(back.len(), n);
        assert!(back.iter().enumerate().all(|(i, l3)| *l3 == i.to_string()));
    }

    /// Every row resolved, as a vector.
    fn resolve(
        fw: &Framework,
        rows: Vec<RawIndicator>,
        diags: &mut Vec<Diagnostic>,
    ) -> Vec<Resolved> {
        resolve_each(fw, rows, diags).collect()
    }

    fn raw(l1: Slot, l2: Slot, l3: &str, value: &str) -> RawIndicator {
        RawIndicator {
            level1: l1,
            level2: l2,
            level3: l3.to_string(),
            value: value.to_string(),
            evaluation: None,
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
            let out: Vec<_> = resolve_counted(fw, rows, &mut diags, &mut work).collect();
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
        // A row with both levels blank under such a row shares its merged cells: it takes
        // that row's level 1 and so its level 2, not the group below.
        let under = vec![
            at(1, raw(Slot::Blank, t("成本指标"), "发放率", "≥95%")),
            at(2, raw(Slot::Blank, Slot::Blank, "资金执行率", "100%")),
            at(
                3,
                raw(t("满意度指标"), t("服务对象满意度指标"), "满意度", "≥90%"),
            ),
        ];
        let mut diags = Vec::new();
        let out = resolve(fw, under, &mut diags);
        assert_eq!(
            (out[1].level1.as_str(), out[1].level2.as_str()),
            ("产出指标", "成本指标")
        );
        assert_eq!(diags.len(), 2, "{diags:?}");
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
}
