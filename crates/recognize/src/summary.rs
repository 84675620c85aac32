//! The summary table (汇总表): its header (序号 / 部门单位 / 项目名称 / 合计, over up to three
//! rows) and its rows, one per project, and the total.

use crate::header_block::parse_amount;
use crate::labels::{SummaryColumn, Vocab};
use crate::location;
use crate::recognizer::{Mode, Recognizer, first_text_cell};
use jixiao_grid::{Grid, Row};
use jixiao_model::{Code, Diagnostic, Summary, SummaryRow};
use std::str::FromStr;

pub(crate) struct SummaryCols {
    seq: Option<usize>,
    department: Option<usize>,
    project_name: Option<usize>,
    funds: Option<usize>,
}

impl Recognizer<'_> {
    pub(crate) fn summary_start(&mut self, grid: &Grid, r: usize, cols: SummaryCols) {
        self.finish_project();
        let loc = first_text_cell(&grid.rows[r])
            .map(|c| location(grid, &c.pos))
            .unwrap_or_default();
        let summary = self.doc.summary.get_or_insert_with(Summary::default);
        if summary.location.is_empty() {
            summary.location = loc;
        }
        self.summary_cols = Some(cols);
        self.mode = Mode::Summary;
    }

    pub(crate) fn summary_row(&mut self, grid: &Grid, row: &Row) -> bool {
        let Some(cols) = &self.summary_cols else {
            return false;
        };
        let get = |c: Option<usize>| -> String {
            c.and_then(|i| row.cells.get(i))
                .map_or(String::new(), |c| c.text.trim().to_string())
        };
        let cell_loc = |c: Option<usize>| {
            c.and_then(|i| row.cells.get(i))
                .map(|c| location(grid, &c.pos))
        };
        let loc = first_text_cell(row)
            .map(|c| location(grid, &c.pos))
            .unwrap_or_default();
        let is_total = row.cells.iter().take(3).any(|c| {
            matches!(
                jixiao_model::framework::normalize_label(&c.text).as_str(),
                "合计" | "总计"
            )
        });
        let mut diags = Vec::new();
        let summary = self.doc.summary.get_or_insert_with(Summary::default);
        if is_total {
            let funds = get(cols.funds);
            summary.total = parse_amount(
                &funds,
                self.yuan,
                &cell_loc(cols.funds).unwrap_or(loc.clone()),
                &mut diags,
            );
            summary.total_location = Some(cell_loc(cols.funds).unwrap_or(loc));
            self.diags.extend(diags);
            return true;
        }
        let seq_text = get(cols.seq);
        let department = get(cols.department);
        let project_name = get(cols.project_name);
        if department.is_empty() && project_name.is_empty() {
            return false;
        }
        let seq = u32::from_str(&jixiao_model::value::fold_width(&seq_text)).ok();
        if seq.is_none() && !seq_text.is_empty() {
            diags.push(Diagnostic::new(
                Code::R111,
                format!("序号“{seq_text}”不是数字"),
                cell_loc(cols.seq).unwrap_or(loc.clone()),
            ));
        }
        let funds_total = parse_amount(
            &get(cols.funds),
            self.yuan,
            &cell_loc(cols.funds).unwrap_or(loc.clone()),
            &mut diags,
        );
        summary.rows.push(SummaryRow {
            seq,
            department,
            project_name,
            funds_total,
            location: loc,
            remark: None,
        });
        self.diags.extend(diags);
        true
    }
}

/// A summary header: a row with 序号 and, on it or the next two rows, 部门单位 / 项目名称.
/// Returns the columns and how many header rows there are.
pub(crate) fn summary_header(v: &Vocab, grid: &Grid, r: usize) -> Option<(SummaryCols, usize)> {
    let row = &grid.rows[r];
    let seq = row
        .cells
        .iter()
        .position(|c| v.of(&c.text).summary_column == Some(SummaryColumn::Seq))?;
    let mut cols = SummaryCols {
        seq: Some(seq),
        department: None,
        project_name: None,
        funds: None,
    };
    let mut used = 0;
    for (k, row) in grid.rows.iter().enumerate().skip(r).take(3) {
        let mut any = false;
        for (i, cell) in row.cells.iter().enumerate() {
            let slot = match v.of(&cell.text).summary_column {
                Some(SummaryColumn::Department) => &mut cols.department,
                Some(SummaryColumn::ProjectName) => &mut cols.project_name,
                Some(SummaryColumn::Funds) => &mut cols.funds,
                Some(SummaryColumn::Seq) => {
                    any = true;
                    continue;
                }
                None => continue,
            };
            slot.get_or_insert(i);
            any = true;
        }
        if any {
            used = k - r + 1;
        } else if k > r {
            break;
        }
    }
    (cols.project_name.is_some() && cols.department.is_some()).then_some((cols, used))
}
