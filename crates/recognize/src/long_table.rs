//! A long table: one row per indicator, with the project's own columns beside the indicator
//! columns (`项目名称 | 申请单位 | 一级指标 | 二级指标 | 三级指标 | 指标值`), as clerks
//! gather a whole year's targets into one sheet. Each distinct project (by 项目编码, else by
//! 项目名称 and unit) is one project; reading it as one project would give a few projects of
//! thousands of indicators.
//!
//! This pass only says where the key columns are ([`key_columns`]) and which project a row
//! belongs to ([`Key::of`]); the recognizer starts a project where the key changes. A key
//! cell left blank or covered by a merge belongs to the project of the row above.

use crate::indicators::Header;
use crate::labels::{Label, Vocab};
use jixiao_grid::{Covered, Row};

/// The project columns of a long table's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyColumns {
    /// 项目名称.
    pub name: usize,
    /// 申请单位 / 预算单位 / 实施单位 / 一级预算单位 (the first of them).
    pub unit: Option<usize>,
    /// 项目编码.
    pub code: Option<usize>,
    /// 年度资金总额 / 本年度项目金额, with the unit its label names (true for 元).
    pub funds: Option<(usize, Option<bool>)>,
}

impl KeyColumns {
    /// All the key columns, to leave out of the table's extra columns.
    pub(crate) fn columns(&self) -> Vec<usize> {
        [
            Some(self.name),
            self.unit,
            self.code,
            self.funds.map(|f| f.0),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// The key columns of an indicator header row, if it is a long table's: a column the header
/// names 项目名称 beside the indicator columns — in the header row, or in the row above it
/// when the key's heading is merged down over two header rows (`above`).
pub(crate) fn key_columns(
    v: &Vocab,
    row: &Row,
    above: Option<&Row>,
    header: &Header,
) -> Option<KeyColumns> {
    // The heading of column i: its own cell, or the cell above one it covers by a merge
    // down (never a blank cell's neighbour above, which may be a header-block label).
    let heading = |i: usize| -> Option<&str> {
        let own = row.cells.get(i)?;
        if own.covered.is_none() && !own.is_blank() {
            return Some(own.text.as_str());
        }
        if own.covered != Some(Covered::Above) {
            return None;
        }
        above
            .and_then(|a| a.cells.get(i))
            .filter(|c| c.covered.is_none() && !c.is_blank())
            .map(|c| c.text.as_str())
    };
    let candidates: Vec<usize> = (0..row.cells.len())
        .filter(|&i| header.extra.iter().any(|(e, _)| *e == i) || !header_uses(header, row, i))
        .collect();
    let label_at = |i: usize| heading(i).and_then(|t| v.of(t).label);
    let find = |want: &dyn Fn(Label) -> bool| {
        candidates
            .iter()
            .copied()
            .find(|&i| label_at(i).is_some_and(want))
    };
    let name = find(&|l| l == Label::ProjectName)?;
    let unit = find(&|l| {
        matches!(
            l,
            Label::BudgetUnit | Label::ImplementingUnit | Label::ParentUnit
        )
    });
    let funds = find(&|l| l == Label::FundsTotal)
        .map(|i| (i, heading(i).and_then(crate::labels::amount_unit)));
    let code = candidates
        .iter()
        .copied()
        .find(|&i| heading(i).is_some_and(|t| crate::labels::is_project_code(v.labels, t)));
    Some(KeyColumns {
        name,
        unit,
        code,
        funds,
    })
}

/// True when column `i` of the header row is one of the indicator columns (or their
/// continuation), whose heading is no key.
fn header_uses(header: &Header, row: &Row, i: usize) -> bool {
    row.cells
        .get(i)
        .is_some_and(|c| c.covered.is_none() && !c.is_blank())
        && !header.extra.iter().any(|(e, _)| *e == i)
        || Some(i) == header.level1
        || i == header.level2
        || i == header.level3
        || Some(i) == header.value
}

/// Which project a row of a long table belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Key {
    /// 项目编码 as written ("" where the table has none).
    pub code: String,
    /// 项目名称 as written.
    pub name: String,
    /// The unit as written.
    pub unit: String,
}

impl Key {
    /// The key of `row`; a blank or covered key cell takes the value of the row above
    /// (`previous`).
    pub(crate) fn of(row: &Row, cols: &KeyColumns, previous: Option<&Key>) -> Key {
        let text = |col: Option<usize>, before: Option<&String>| -> String {
            let own = col
                .and_then(|i| row.cells.get(i))
                .filter(|c| c.covered.is_none())
                .map_or("", |c| c.text.trim());
            if own.is_empty() {
                before.cloned().unwrap_or_default()
            } else {
                own.to_string()
            }
        };
        Key {
            code: text(cols.code, previous.map(|k| &k.code)),
            name: text(Some(cols.name), previous.map(|k| &k.name)),
            unit: text(cols.unit, previous.map(|k| &k.unit)),
        }
    }

    /// True when `self` and `other` are one project: the same 项目编码 where both have one,
    /// else the same name and unit.
    pub(crate) fn same_project(&self, other: &Key) -> bool {
        if !self.code.is_empty() && !other.code.is_empty() {
            return self.code == other.code;
        }
        self.name == other.name && self.unit == other.unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_grid::{Cell, Pos};

    fn row(texts: &[&str], r: u32) -> Row {
        Row::new(
            jixiao_grid::RowKind::Table,
            texts
                .iter()
                .enumerate()
                .map(|(c, t)| {
                    let pos = Pos::Sheet {
                        row: r,
                        col: c as u32,
                    };
                    if *t == "^" {
                        Cell::covered(Covered::Above, pos)
                    } else {
                        Cell::new(*t, pos)
                    }
                })
                .collect(),
        )
    }

    #[test]
    fn keys_carry_down_and_compare_by_code_first() {
        let v = Vocab::new(jixiao_model::framework::Labels::standard());
        let head = row(
            &[
                "项目编码",
                "项目名称",
                "申请单位",
                "一级指标",
                "二级指标",
                "三级指标",
                "指标值",
            ],
            0,
        );
        let header = Header::groups(&v, &head).expect("a header").remove(0);
        let cols = key_columns(&v, &head, None, &header).expect("a long table");
        assert_eq!((cols.name, cols.unit, cols.code), (1, Some(2), Some(0)));
        let a = Key::of(&row(&["001", "甲项目", "甲局", "产出指标"], 1), &cols, None);
        let b = Key::of(&row(&["^", "^", "", "效益指标"], 2), &cols, Some(&a));
        assert_eq!(a, b);
        let c = Key::of(&row(&["002", "甲项目", "甲局"], 3), &cols, Some(&b));
        assert!(!c.same_project(&b), "another code is another project");
        let d = Key::of(&row(&["", "乙项目", ""], 4), &cols, Some(&c));
        assert_eq!(d.unit, "甲局");
        // An ordinary indicator header is no long table.
        let plain = row(&["一级指标", "二级指标", "三级指标", "指标值"], 0);
        let h = Header::groups(&v, &plain).expect("a header").remove(0);
        assert!(key_columns(&v, &plain, None, &h).is_none());
        // A key heading merged down over two header rows: named in the row above.
        let top = row(&["项目名称", "绩效指标", "^", "^", "^"], 0);
        let second = row(&["^", "一级指标", "二级指标", "三级指标", "指标值"], 1);
        let h = Header::groups(&v, &second).expect("a header").remove(0);
        let cols = key_columns(&v, &second, Some(&top), &h).expect("a long table");
        assert_eq!((cols.name, cols.unit), (0, None));
    }
}
