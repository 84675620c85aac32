//! The header block of a project: label/value pairs (预算单位, 项目名称, 项目资金, 项目总体目标 …,
//! the value in the next cell, after a colon in the same cell, or in the row below), the
//! header fields they fill, and the funds amounts (`parse_amount`).

use crate::indicators::{self, Header};
use crate::labels::{self, Label, Vocab};
use crate::project::Builder;
use crate::recognizer::{Mode, Recognizer};
use crate::{location, split_goals, ziping};
use jixiao_grid::{Grid, Row};
use jixiao_model::{Code, Decimal, DepartmentFunds, Diagnostic, HeaderField, Location, Project};
use std::str::FromStr;

/// A label and its value in a header-block row.
#[derive(Debug, Clone)]
pub(crate) struct Pair {
    label: Label,
    label_cell: usize,
    value_cell: Option<usize>,
    value: String,
    /// The value is in the row below, under the label (`中期目标 | 年度目标` over their texts).
    below: bool,
    /// The unit an amount label names (`（元）` → true, `（万元）` → false), if it names one.
    yuan: Option<bool>,
}

impl Recognizer<'_> {
    /// The project labels apply to: the current one, or a new one when the current one is
    /// complete (it has indicators, or already has this field).
    fn project_for(&mut self, label: Label, loc: &Location) -> &mut Builder {
        let complete = match &self.current {
            None => true,
            Some(b) => {
                !b.raw.is_empty()
                    || b.header.is_some()
                    || (label == Label::BudgetUnit && b.has_unit)
                    || (label == Label::ImplementingUnit && b.project.implementing_unit.is_some())
                    || (label == Label::ProjectName && b.has_name)
                    || (label == Label::ParentUnit && b.has_parent)
            }
        };
        if complete {
            self.finish_project();
            let project = Project {
                year: self.year,
                location: loc.clone(),
                kind: self.kind,
                ..Project::default()
            };
            self.current = Some(Builder {
                project,
                yuan: self.yuan,
                ..Builder::default()
            });
        }
        self.current.get_or_insert_with(Builder::default)
    }

    pub(crate) fn labels(&mut self, grid: &Grid, r: usize, pairs: Vec<Pair>) {
        self.mode = Mode::None;
        self.long = None;
        let row = &grid.rows[r];
        // 中期资金总额 | 年度资金总额 heading columns of amounts (set by an earlier row).
        let by_column = match self.current.as_ref().map(|b| b.funds_header_cols) {
            Some((Some(m), Some(a))) if pairs.iter().all(|p| p.label_cell < m.min(a)) => {
                Some((m, a))
            }
            _ => None,
        };
        let fw = self.fw;
        // Cells a 自评表's funds line took under its column headings (no R108 for them).
        let mut funds_taken = Vec::new();
        for pair in pairs {
            let label_loc = location(grid, &row.cells[pair.label_cell].pos);
            let value_row = if pair.below { &grid.rows[r + 1] } else { row };
            let value_cell = pair.value_cell.map(|i| &value_row.cells[i]);
            let value_loc = value_cell.map_or(label_loc.clone(), |c| location(grid, &c.pos));
            let value = pair.value.clone();
            let mut amount_diags = Vec::new();
            let b = self.project_for(pair.label, &label_loc);
            // The unit an amount label names (`本年度项目金额（万元）`) over the table's.
            let yuan = pair.yuan.unwrap_or(b.yuan);
            if let Some(field) = header_field(pair.label) {
                b.seen.push(field);
            }
            if matches!(pair.label, Label::BudgetUnit | Label::ImplementingUnit)
                && b.unit_from_parent
            {
                // 一级预算单位 stood in for the unit; the unit's own label replaces it.
                let parent = std::mem::take(&mut b.project.budget_unit);
                if parent != value {
                    b.project.parent_unit = Some(parent);
                }
                b.unit_from_parent = false;
            }
            let funds_line = matches!(
                pair.label,
                Label::FundsTotal
                    | Label::FundsFiscal
                    | Label::FundsFiscalPart
                    | Label::FundsOther
                    | Label::FundsCarryover
            );
            let label_text = row.cells[pair.label_cell].text.trim();
            if funds_line && let Some(cols) = b.funds_columns.clone() {
                // A line of a 自评表's funds block: every amount under its heading. The
                // project's amount is the 全年预算数 — the year's budget after adjustments, the
                // one its 执行率 is measured against — absent that, the 年初预算数.
                let (line, cells) = ziping::funds_line(
                    &fw.labels,
                    grid,
                    row,
                    pair.label_cell,
                    &cols,
                    yuan,
                    &mut amount_diags,
                );
                funds_taken.extend(cells);
                let amount = line.budget.or(line.initial_budget);
                if pair.label == Label::FundsFiscalPart {
                    b.fiscal_parts[0].add(label_text, "", amount, &label_loc);
                    self.diags.extend(amount_diags);
                    continue;
                }
                let e = &mut b.evaluation;
                let slot = match pair.label {
                    Label::FundsTotal => &mut e.funds_total,
                    Label::FundsFiscal => &mut e.funds_fiscal,
                    Label::FundsCarryover => &mut e.funds_carryover,
                    _ => &mut e.funds_other,
                };
                *slot = Some(line);
                if pair.label != Label::FundsCarryover {
                    b.project.funds.location.get_or_insert(label_loc.clone());
                    match pair.label {
                        Label::FundsTotal => b.project.funds.total = amount,
                        Label::FundsFiscal => b.project.funds.fiscal = amount,
                        _ => b.project.funds.other = amount,
                    }
                }
                self.diags.extend(amount_diags);
                continue;
            }
            match pair.label {
                Label::FundsCarryover => {
                    // 上年结转资金 outside a 自评表's funds block: the standard form has no
                    // place for it.
                    if !value.trim().is_empty() {
                        amount_diags.push(Diagnostic::new(
                            Code::R108,
                            format!(
                                "表头中无法归入任何项目的内容，已跳过：“上年结转资金 {}”",
                                value.trim()
                            ),
                            value_loc.clone(),
                        ));
                    }
                }
                Label::GoalExpected => {
                    if !value.is_empty() {
                        if b.project.goal.is_empty() {
                            b.project.goals = split_goals(&value);
                            b.project.goal = value.clone();
                            b.project.goal_location = Some(value_loc.clone());
                        }
                        b.evaluation.goal_expected = Some(value);
                    }
                }
                Label::GoalAchieved => {
                    if !value.is_empty() {
                        b.evaluation.goal_achieved = Some(value);
                    }
                }
                Label::ParentUnit => {
                    b.has_parent = true;
                    if b.project.budget_unit.is_empty() && !b.has_unit {
                        b.project.budget_unit = value;
                        b.unit_from_parent = true;
                    } else if value != b.project.budget_unit {
                        b.project.parent_unit = Some(value);
                    }
                }
                Label::BudgetUnit => {
                    if b.unit_from_implementing {
                        b.project.implementing_unit =
                            Some(std::mem::take(&mut b.project.budget_unit));
                        b.unit_from_implementing = false;
                    }
                    b.project.budget_unit = value;
                    b.has_unit = true;
                }
                Label::ImplementingUnit => {
                    if b.has_unit || b.unit_from_implementing {
                        b.project.implementing_unit = Some(value);
                    } else {
                        b.project.budget_unit = value;
                        b.unit_from_implementing = true;
                    }
                }
                Label::ProjectName => {
                    b.project.project_name = value;
                    b.has_name = true;
                }
                Label::Funds { yuan } => {
                    b.yuan = yuan;
                    b.project.funds.location.get_or_insert(label_loc.clone());
                }
                Label::FundsBasic | Label::FundsProject => {
                    let amount = parse_amount(&value, yuan, &value_loc, &mut amount_diags);
                    let split = b
                        .project
                        .department_funds
                        .get_or_insert_with(DepartmentFunds::default);
                    if pair.label == Label::FundsBasic {
                        split.basic = amount;
                    } else {
                        split.project = amount;
                    }
                }
                Label::FundsTotal
                | Label::FundsFiscal
                | Label::FundsFiscalPart
                | Label::FundsOther
                    if by_column.is_some_and(|(m, a)| pair.label_cell < m.min(a)) =>
                {
                    // Under 中期资金总额 | 年度资金总额 column headings: each amount is read
                    // from the column its heading names, never from the first cell beside
                    // the label.
                    let (m, a) = by_column.unwrap_or_default();
                    for (col, midterm) in [(m, true), (a, false)] {
                        let cell = row.cells.get(col).filter(|c| c.covered.is_none());
                        let text = cell.map_or("", |c| c.text.trim());
                        let loc = cell.map_or(label_loc.clone(), |c| location(grid, &c.pos));
                        let amount = parse_amount(text, yuan, &loc, &mut amount_diags);
                        if amount.is_none() && !text.is_empty() && !midterm {
                            b.unreadable.extend(header_field(pair.label));
                        }
                        if pair.label == Label::FundsFiscalPart {
                            b.fiscal_parts[usize::from(midterm)]
                                .add(label_text, text, amount, &loc);
                            continue;
                        }
                        let funds = b.funds_mut(midterm);
                        funds.location.get_or_insert(label_loc.clone());
                        match pair.label {
                            Label::FundsTotal => funds.total = amount,
                            Label::FundsFiscal => funds.fiscal = amount,
                            _ => funds.other = amount,
                        }
                    }
                }
                Label::FundsTotal
                | Label::MidFundsTotal
                | Label::FundsFiscal
                | Label::FundsFiscalPart
                | Label::FundsOther => {
                    let amount = parse_amount(&value, yuan, &value_loc, &mut amount_diags);
                    if amount.is_none() && !value.trim().is_empty() {
                        b.unreadable.extend(header_field(pair.label));
                    }
                    let col = pair.label_cell;
                    if pair.value_cell.is_none() {
                        match pair.label {
                            Label::MidFundsTotal => b.funds_header_cols.0 = Some(col),
                            Label::FundsTotal => b.funds_header_cols.1 = Some(col),
                            _ => {}
                        }
                    }
                    match pair.label {
                        Label::MidFundsTotal => b.mid_funds_col = Some(col),
                        Label::FundsTotal => b.annual_funds_col = Some(col),
                        _ => {}
                    }
                    // 财政拨款 / 其他资金 belong to the 中期 or 年度 total whose label column is nearest.
                    let midterm = pair.label == Label::MidFundsTotal
                        || (pair.label != Label::FundsTotal
                            && b.mid_funds_col.is_some_and(|m| {
                                b.annual_funds_col
                                    .is_none_or(|a| m.abs_diff(col) < a.abs_diff(col))
                            }));
                    // A total said to be 财政 money (`本年度申请市财政预算资金`) is 财政拨款 too,
                    // unless a 财政拨款 line says otherwise; so is each source of 财政拨款.
                    let total = matches!(pair.label, Label::FundsTotal | Label::MidFundsTotal);
                    if pair.label == Label::FundsFiscalPart
                        || (total && labels::names_fiscal(&fw.labels, label_text))
                    {
                        b.fiscal_parts[usize::from(midterm)]
                            .add(label_text, &value, amount, &label_loc);
                    }
                    if pair.label != Label::FundsFiscalPart {
                        let funds = b.funds_mut(midterm);
                        funds.location.get_or_insert(label_loc.clone());
                        match pair.label {
                            Label::FundsTotal | Label::MidFundsTotal => funds.total = amount,
                            Label::FundsFiscal => funds.fiscal = amount,
                            _ => funds.other = amount,
                        }
                    }
                }
                Label::Goal => {
                    // 总体目标 over 中期目标 | 年度目标 has no text of its own.
                    if !value.is_empty() || b.project.goal.is_empty() {
                        b.project.goals = split_goals(&value);
                        b.project.goal = value;
                        b.project.goal_location = Some(value_loc.clone());
                    }
                }
                Label::MidGoal => {
                    if !value.is_empty() {
                        b.project.midterm_goal = Some(value);
                    }
                }
            }
            self.diags.extend(amount_diags);
        }
        let leftover: Vec<usize> = leftover_label_cells(&self.vocab, row)
            .into_iter()
            .filter(|i| by_column.is_none_or(|(m, a)| *i != m && *i != a))
            .filter(|i| !funds_taken.contains(i))
            .collect();
        for i in self.other_fields(grid, row, leftover) {
            let cell = &row.cells[i];
            self.skipped.push(
                &mut self.diags,
                Diagnostic::new(
                    Code::R108,
                    format!(
                        "表头中无法归入任何项目的内容，已跳过：“{}”",
                        cell.text.trim()
                    ),
                    location(grid, &cell.pos),
                ),
            );
        }
    }
}

/// The header field a label fills, for [`Project::unread`]. 中期 amounts and the 部门整体
/// split are not among them: the review does not ask for them.
fn header_field(label: Label) -> Option<HeaderField> {
    match label {
        Label::BudgetUnit | Label::ImplementingUnit | Label::ParentUnit => {
            Some(HeaderField::BudgetUnit)
        }
        Label::ProjectName => Some(HeaderField::ProjectName),
        Label::Goal | Label::GoalExpected => Some(HeaderField::Goal),
        Label::FundsTotal => Some(HeaderField::FundsTotal),
        Label::FundsFiscal | Label::FundsFiscalPart => Some(HeaderField::FundsFiscal),
        Label::FundsOther => Some(HeaderField::FundsOther),
        _ => None,
    }
}

/// Labels whose value is written under them rather than beside them: for each text label with
/// no value, the cell right below it in the next row, when that row is no label row or table
/// header. Returns true when the next row was used up entirely.
pub(crate) fn values_below(v: &Vocab, grid: &Grid, r: usize, pairs: &mut [Pair]) -> bool {
    let Some(next) = grid.rows.get(r + 1) else {
        return false;
    };
    if label_pairs(v, next).is_some() || Header::groups(v, next).is_some() || next.is_blank() {
        return false;
    }
    let mut taken = Vec::new();
    let filled: Vec<usize> = (0..next.cells.len())
        .filter(|&i| next.cells[i].covered.is_none() && !next.cells[i].is_blank())
        .collect();
    // The parts a goal heading stands over: 预期目标 | 实际完成情况 (自评), or a 中期 goal and
    // the 年度 goal after it (`总体目标 | 中期滚动目标 | 年度目标`: 总体目标 only heads them).
    let open = |k: &usize| pairs[*k].value_cell.is_none();
    let mid = (0..pairs.len()).find(|k| pairs[*k].label == Label::MidGoal && open(k));
    let goal_parts: Vec<usize> = match mid {
        Some(m) => std::iter::once(m)
            .chain((m + 1..pairs.len()).filter(|k| pairs[*k].label == Label::Goal && open(k)))
            .collect(),
        None => (0..pairs.len())
            .filter(|&k| matches!(pairs[k].label, Label::GoalExpected | Label::GoalAchieved))
            .filter(open)
            .collect(),
    };
    if !goal_parts.is_empty() && !indicators::keeps_cells(next) && filled.len() == goal_parts.len()
    {
        // 年度总体目标 | 预期目标 | 实际完成情况 over two texts in a row of text, whose cells
        // lost their columns: the texts are the two parts, in order (年度总体目标 only heads
        // them). So for 总体目标 | 中期目标 | 年度目标.
        for (k, &i) in goal_parts.iter().zip(&filled) {
            let pair = &mut pairs[*k];
            pair.value = next.cells[i].text.trim().to_string();
            pair.value_cell = Some(i);
            pair.below = true;
        }
        return true;
    }
    for pair in pairs.iter_mut() {
        let text_label = matches!(
            pair.label,
            Label::BudgetUnit
                | Label::ImplementingUnit
                | Label::ParentUnit
                | Label::ProjectName
                | Label::Goal
                | Label::MidGoal
                | Label::GoalExpected
                | Label::GoalAchieved
        );
        if !text_label || pair.value_cell.is_some() {
            continue;
        }
        if let Some(cell) = next
            .cells
            .get(pair.label_cell)
            .filter(|c| c.covered.is_none() && !c.is_blank())
        {
            pair.value = cell.text.trim().to_string();
            pair.value_cell = Some(pair.label_cell);
            pair.below = true;
            taken.push(pair.label_cell);
        }
    }
    let rest = next
        .cells
        .iter()
        .enumerate()
        .any(|(i, c)| c.covered.is_none() && !c.is_blank() && !taken.contains(&i));
    !taken.is_empty() && !rest
}

/// The label/value pairs of a header-block row: each label takes the next non-blank cell to
/// its right that is not itself a label, or the text after its colon. `None` if the row has
/// no label.
pub(crate) fn label_pairs(v: &Vocab, row: &Row) -> Option<Vec<Pair>> {
    let cells = &row.cells;
    let mut pairs = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        if cell.covered.is_some() {
            continue;
        }
        if let Some(label) = v.of(&cell.text).label {
            let next = cells
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, c)| !c.is_blank() && c.covered.is_none());
            let (value_cell, value) = match next {
                Some((j, c))
                    if v.of(&c.text).label.is_none()
                        && v.of(&c.text).label_with_value.is_none()
                        && !(label.is_amount() && labels::is_amount_caption(v.labels, &c.text)) =>
                {
                    (Some(j), c.text.trim().to_string())
                }
                _ => (None, String::new()),
            };
            pairs.push(Pair {
                label,
                label_cell: i,
                value_cell,
                value,
                below: false,
                yuan: labels::amount_unit(&cell.text).filter(|_| label.is_amount()),
            });
        } else if let Some((label, value)) = v.of(&cell.text).label_with_value.clone() {
            let caption = cell.text.split([':', '：']).next().unwrap_or("");
            pairs.push(Pair {
                label,
                label_cell: i,
                value_cell: Some(i),
                value,
                below: false,
                yuan: labels::amount_unit(caption).filter(|_| label.is_amount()),
            });
        }
    }
    (!pairs.is_empty()).then_some(pairs)
}

/// Cells of a label row that are neither labels nor the values of labels.
fn leftover_label_cells(v: &Vocab, row: &Row) -> Vec<usize> {
    let pairs = label_pairs(v, row).unwrap_or_default();
    (0..row.cells.len())
        .filter(|&i| {
            let c = &row.cells[i];
            c.covered.is_none()
                && !c.is_blank()
                && !pairs
                    .iter()
                    .any(|p| p.label_cell == i || p.value_cell == Some(i))
        })
        .collect()
}

/// An amount as written (`91.59`, `0.00`, `1,200`, `91.59万元`), in 万元. Amounts in 元 are
/// converted and the conversion is reported. Text that is no amount is reported and dropped.
pub(crate) fn parse_amount(
    text: &str,
    yuan: bool,
    loc: &Location,
    diags: &mut Vec<Diagnostic>,
) -> Option<Decimal> {
    let folded = jixiao_model::value::fold_width(text);
    let mut t = folded.trim();
    // Blank, or a dash written for "none" (`—`, `-`, `/`): no amount, and nothing to report.
    if t.chars().all(|c| "-—–－─/／".contains(c)) {
        return None;
    }
    // An amount with its breakdown in brackets after it (`854万(高标准农田建设400万元,…)`):
    // the amount is read, the note is reported as not read.
    if let Some(open) = t.find('(')
        && open > 0
        && t.ends_with(')')
        && t[..open]
            .trim()
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    {
        diags.push(Diagnostic::new(
            Code::R108,
            format!("金额后的说明“{}”不属于标准格式，已跳过", &t[open..]),
            loc.clone(),
        ));
        t = t[..open].trim();
    }
    let (digits, yuan) = match t.strip_suffix("万元").or_else(|| t.strip_suffix('万')) {
        Some(rest) => (rest, false),
        None => match t.strip_suffix('元') {
            Some(rest) => (rest, true),
            None => (t, yuan),
        },
    };
    let digits: String = digits
        .chars()
        .filter(|c| *c != ',' && !c.is_whitespace())
        .collect();
    match Decimal::from_str(&digits) {
        Ok(v) if yuan => {
            let wan = (v / Decimal::from(10_000)).normalize();
            diags.push(Diagnostic::new(
                Code::R112,
                format!("金额“{t}”以元为单位，已换算为 {wan} 万元"),
                loc.clone(),
            ));
            Some(wan)
        }
        Ok(v) => Some(v),
        Err(_) => {
            diags.push(Diagnostic::new(
                Code::R113,
                format!("金额“{t}”不是数字，未能读取"),
                loc.clone(),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        let mut d = Vec::new();
        let loc = Location::default();
        assert_eq!(
            parse_amount("91.59", false, &loc, &mut d)
                .unwrap()
                .to_string(),
            "91.59"
        );
        assert_eq!(
            parse_amount("0.00", false, &loc, &mut d)
                .unwrap()
                .to_string(),
            "0.00"
        );
        assert_eq!(
            parse_amount("1,200.5", false, &loc, &mut d)
                .unwrap()
                .to_string(),
            "1200.5"
        );
        assert!(d.is_empty());
        assert_eq!(
            parse_amount("915900", true, &loc, &mut d)
                .unwrap()
                .to_string(),
            "91.59"
        );
        assert_eq!(d[0].code, "R112");
        assert_eq!(parse_amount("", false, &loc, &mut d), None);
        let mut notes = Vec::new();
        assert_eq!(
            parse_amount("854万（建设400万元，示范295万元）", false, &loc, &mut notes)
                .unwrap()
                .to_string(),
            "854"
        );
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].code, "R108");
        assert!(
            notes[0].message.contains("(建设400万元,示范295万元)"),
            "{}",
            notes[0].message
        );
        assert_eq!(parse_amount("待定", false, &loc, &mut d), None);
        assert_eq!(d.last().unwrap().code, "R113");
    }
}
