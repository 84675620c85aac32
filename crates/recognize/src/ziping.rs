//! The 绩效自评表's own parts: the 自评 cells of each indicator row (实际完成值, 分值, 得分,
//! 偏差原因), its score rows (预算执行率, 总分), the funds block under 年初预算数 … 得分 column
//! headings, and the 自评等级. The vocabulary is `templates/labels.toml`'s (`actual`, `weight`,
//! `score`, `deviation_prefix`, `execution_rows`, `not_indicator_rows`, `grade`,
//! `*_budget_prefix` …); what is read goes to [`Evaluation`] and [`SelfEvaluation`].

use crate::indicators::{Header, RawEvaluation};
use crate::labels::{self, FundsColumn, Label, Vocab};
use jixiao_grid::{Grid, Row};
use jixiao_model::framework::{Labels, normalize_label};
use jixiao_model::{Code, Decimal, Diagnostic, Evaluation, FundsLine, Location, Value};
use std::str::FromStr;

/// What a score row of the indicator table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ScoreRowKind {
    /// 预算执行率: scored like an indicator, with a target, an actual, 分值 and 得分.
    Execution,
    /// 总分 (合计 …): the sums of 分值 and 得分.
    Total,
}

/// The kind and name of a 自评表 score row (预算执行率, 总分), if the row is one: that name
/// stands alone at the start of the row (where the 一级指标 would be) and no 三级指标 follows it
/// — for a 总分 row, no text but numbers (a row of text that lost its empty cells brings its
/// 分值 and 得分 forward; a 总分 is never an indicator).
pub(crate) fn score_row(
    v: &Labels,
    texts: &[&str],
    header: &Header,
) -> Option<(ScoreRowKind, String)> {
    let first = texts.iter().position(|t| !t.is_empty())?;
    let name = normalize_label(texts[first]);
    let kind = if v.execution_rows.contains(&name) {
        ScoreRowKind::Execution
    } else if v.not_indicator_rows.contains(&name) {
        ScoreRowKind::Total
    } else {
        return None;
    };
    let level3_col = header.level3.max(first + 1);
    let named = |t: &&str| match kind {
        ScoreRowKind::Total => points(t).is_none() && percent(t).is_none(),
        ScoreRowKind::Execution => true,
    };
    let level3_filled = texts
        .get(first + 1..level3_col + 1)
        .is_some_and(|ts| ts.iter().any(|t| !t.is_empty() && named(t)));
    (first <= header.level2 && !level3_filled).then(|| (kind, texts[first].trim().to_string()))
}

/// Cell texts that mean nothing was written (`—`, `/`): the placeholders of the vocabulary.
fn blank(v: &Labels, text: &str) -> bool {
    let t = text.trim();
    t.is_empty() || v.placeholders.contains(&normalize_label(t))
}

/// The text without whitespace and in half-width: a number wrapped inside its cell
/// (`98.6⏎5`) is one number.
fn compact(text: &str) -> String {
    jixiao_model::value::fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A 分值 or 得分 as written: `20`, `9.65`, `20分`, full-width digits; `None` when it is no
/// number.
pub(crate) fn points(text: &str) -> Option<Decimal> {
    let t = compact(text);
    Decimal::from_str(t.strip_suffix('分').unwrap_or(&t)).ok()
}

/// A 执行率 as written, in percent: `96.5%` → 96.5, `100` → 100.
fn percent(text: &str) -> Option<Decimal> {
    let t = compact(text);
    Decimal::from_str(t.strip_suffix('%').unwrap_or(&t)).ok()
}

/// The [`Evaluation`] of a row's 自评 cells; a 分值 or 得分 that is no number is listed in
/// `unread` and reported (R141).
pub(crate) fn evaluation(
    v: &Labels,
    raw: &RawEvaluation,
    name: &str,
    location: &Location,
    diags: &mut Vec<Diagnostic>,
) -> Evaluation {
    let mut e = Evaluation {
        actual: (!blank(v, &raw.actual)).then(|| Value::parse(&raw.actual)),
        deviation: (!blank(v, &raw.deviation)).then(|| raw.deviation.clone()),
        ..Evaluation::default()
    };
    for (what, text, slot) in [
        ("分值", &raw.weight, &mut e.weight),
        ("得分", &raw.score, &mut e.score),
    ] {
        if blank(v, text) {
            continue;
        }
        match points(text) {
            Some(n) => *slot = Some(n),
            None => {
                e.unread.push(text.clone());
                diags.push(Diagnostic::new(
                    Code::R141,
                    format!("“{name}”的{what}“{text}”不是数字，未能读取；请填写数字"),
                    location.clone(),
                ));
            }
        }
    }
    e
}

/// The column headings of a 自评表's funds block, by column.
pub(crate) type FundsColumns = Vec<(usize, FundsColumn)>;

/// The column headings of a 自评表's funds block, if `row` is that heading row: at least
/// three of 年初预算数 / 全年预算数 / 全年执行数 / 分值 / 执行率 / 得分, one of them a budget or
/// an execution, and nothing else but the 项目资金 group label. Returns the headings by column
/// and the unit the group label names (true for 元).
pub(crate) fn funds_columns(vocab: &Vocab, row: &Row) -> Option<(FundsColumns, Option<bool>)> {
    let mut cols = Vec::new();
    let mut yuan = None;
    for (i, cell) in row.cells.iter().enumerate() {
        if cell.covered.is_some() || cell.is_blank() {
            continue;
        }
        if let Some(c) = labels::funds_column(vocab.labels, &cell.text) {
            cols.push((i, c));
        } else if let Some(Label::Funds { yuan: y }) = vocab.of(&cell.text).label {
            yuan = Some(y);
        } else {
            return None;
        }
    }
    let budget = cols
        .iter()
        .any(|(_, c)| matches!(c, FundsColumn::Budget | FundsColumn::Executed));
    (cols.len() >= 3 && budget).then_some((cols, yuan))
}

/// One line of the funds block (年度资金总额, 其中：当年财政拨款 …) read under its column
/// headings: by column where the label stands left of the headings; else (a row of text,
/// whose cells lost their places) the cells after the label, in the headings' order. Returns
/// the line and the columns of the cells it took.
pub(crate) fn funds_line(
    v: &Labels,
    grid: &Grid,
    row: &Row,
    label_cell: usize,
    cols: &[(usize, FundsColumn)],
    yuan: bool,
    diags: &mut Vec<Diagnostic>,
) -> (FundsLine, Vec<usize>) {
    let first = cols.iter().map(|(c, _)| *c).min().unwrap_or(0);
    let mut line = FundsLine {
        location: crate::location(grid, &row.cells[label_cell].pos),
        ..FundsLine::default()
    };
    let mut taken = Vec::new();
    for (k, &(col, what)) in cols.iter().enumerate() {
        let at = if label_cell < first {
            col
        } else {
            label_cell + 1 + k
        };
        let Some(cell) = row.cells.get(at).filter(|c| c.covered.is_none()) else {
            continue;
        };
        let text = cell.text.trim();
        if text.is_empty() {
            continue;
        }
        taken.push(at);
        let loc = crate::location(grid, &cell.pos);
        if blank(v, text) {
            continue;
        }
        match what {
            FundsColumn::InitialBudget | FundsColumn::Budget | FundsColumn::Executed => {
                let amount = crate::header_block::parse_amount(text, yuan, &loc, diags);
                match what {
                    FundsColumn::InitialBudget => line.initial_budget = amount,
                    FundsColumn::Budget => line.budget = amount,
                    _ => line.executed = amount,
                }
            }
            FundsColumn::Weight | FundsColumn::Score => {
                let n = points(text);
                if n.is_none() {
                    diags.push(Diagnostic::new(
                        Code::R141,
                        format!(
                            "项目资金的{}“{text}”不是数字，未能读取；请填写数字",
                            if what == FundsColumn::Weight {
                                "分值"
                            } else {
                                "得分"
                            }
                        ),
                        loc,
                    ));
                }
                if what == FundsColumn::Weight {
                    line.weight = n;
                } else {
                    line.score = n;
                }
            }
            FundsColumn::Rate => {
                line.rate = percent(text);
                if line.rate.is_none() {
                    diags.push(Diagnostic::new(
                        Code::R113,
                        format!("执行率“{text}”不是数字，未能读取"),
                        loc,
                    ));
                }
            }
        }
    }
    (line, taken)
}

/// The 自评等级 in a row: the text after a 自评等级 label, or a cell that is only a grade
/// (优 / 良 / 中 / 差) after the 得分 column.
pub(crate) fn grade_in(v: &Labels, texts: &[&str], after: usize) -> Option<String> {
    if let Some(i) = texts.iter().position(|t| labels::is_grade(v, t)) {
        return texts[i + 1..]
            .iter()
            .find(|t| !t.is_empty())
            .map(|t| t.trim().to_string());
    }
    texts
        .iter()
        .skip(after + 1)
        .find(|t| {
            matches!(
                t.trim(),
                "优" | "良" | "中" | "差" | "优秀" | "良好" | "合格" | "不合格"
            )
        })
        .map(|t| t.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_and_percents_keep_their_digits() {
        assert_eq!(points("9.65").map(|d| d.to_string()), Some("9.65".into()));
        assert_eq!(points("２０分").map(|d| d.to_string()), Some("20".into()));
        assert_eq!(points("满分"), None);
        assert_eq!(
            points("98.6\n5").map(|d| d.to_string()),
            Some("98.65".into())
        );
        assert_eq!(percent("96.5%").map(|d| d.to_string()), Some("96.5".into()));
        assert_eq!(
            percent("１００％").map(|d| d.to_string()),
            Some("100".into())
        );
    }

    #[test]
    fn an_unreadable_score_is_listed_and_reported() {
        let raw = RawEvaluation {
            actual: "226个".into(),
            weight: "20".into(),
            score: "满分".into(),
            deviation: "—".into(),
        };
        let mut diags = Vec::new();
        let e = evaluation(
            Labels::standard(),
            &raw,
            "岗位数",
            &Location::default(),
            &mut diags,
        );
        assert_eq!(e.actual.map(|a| a.raw), Some("226个".into()));
        assert_eq!(e.weight, Some(Decimal::from(20)));
        assert_eq!(e.score, None);
        assert_eq!(e.unread, vec!["满分".to_string()]);
        assert_eq!(e.deviation, None);
        assert_eq!(diags[0].code, Code::R141);
    }
}
