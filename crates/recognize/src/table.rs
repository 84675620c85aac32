//! The indicator table as the recognizer walks it: the header that opens it (one column
//! group, or 中期 and 年度 side by side), rows of group names, indicator rows (read through
//! `indicators.rs`, split between two groups where both halves fit) and long-table rows.

use crate::header_block::parse_amount;
use crate::indicators::{self, Header, RawIndicator};
use crate::project::Builder;
use crate::recognizer::{Mode, Recognizer};
use crate::{labels, location, long_table, placeholders, wrap, ziping};
use jixiao_grid::{Grid, Row};
use jixiao_model::framework::Framework;
use jixiao_model::{Code, Diagnostic, HeaderField, Location, Project, ScoreRow, Value};

impl Recognizer<'_> {
    pub(crate) fn indicator_header(
        &mut self,
        grid: &Grid,
        r: usize,
        mut groups: Vec<Header>,
        loc: Location,
    ) {
        let row = &grid.rows[r];
        // 中期 and 年度 side by side (88号): the 年度 group is the one the header row names 年度
        // (`指标值（年度）`) or, where it names no period, the row above (`中期指标 | 年度指标`);
        // failing that, the form's order (中期 left, 年度 right).
        let mid_header = if groups.len() >= 2 {
            let above = r.checked_sub(1).map(|k| &grid.rows[k]);
            let names = |h: &Header, rw: &Row| -> String {
                rw.cells
                    .iter()
                    .enumerate()
                    .filter(|(i, c)| h.span.contains(i) && c.covered.is_none())
                    .map(|(_, c)| jixiao_model::framework::normalize_label(&c.text))
                    .collect()
            };
            let named = |midterm: bool| {
                [Some(row), above].into_iter().flatten().find_map(|rw| {
                    groups
                        .iter()
                        .position(|h| labels::names_period(&self.fw.labels, &names(h, rw), midterm))
                })
            };
            let annual = named(false).unwrap_or(1);
            let mid = named(true).filter(|&m| m != annual);
            if mid.is_none() {
                self.diags.push(Diagnostic::new(
                    Code::R117,
                    "指标表有两组指标列但未标明“中期/年度”，按 88号 模板的顺序把左组读作中期、右组读作年度".to_string(),
                    loc.clone(),
                ));
            }
            let mid = mid.unwrap_or(if annual == 0 { 1 } else { 0 });
            for (k, extra) in groups.iter().enumerate().skip(2) {
                self.skipped.push(
                    &mut self.diags,
                    Diagnostic::new(
                        Code::R108,
                        format!(
                            "指标表头中第 {} 组指标列无法识别为中期或年度，已跳过",
                            k + 1
                        ),
                        location(grid, &row.cells[extra.level1.unwrap_or(extra.level2)].pos),
                    ),
                );
            }
            let (mid_h, annual_h) = (groups[mid].clone(), groups[annual].clone());
            groups = vec![annual_h];
            Some(mid_h)
        } else {
            None
        };
        let mut header = groups.remove(0);
        // 项目名称 (申请单位, 项目编码 …) as columns of the indicator table: a long table, one
        // project per key (`long_table.rs`); its key columns are read, not extra columns.
        let above = r.checked_sub(1).map(|k| &grid.rows[k]);
        let long = long_table::key_columns(&self.vocab, row, above, &header);
        let keys = long.as_ref().map(|c| c.columns()).unwrap_or_default();
        for &k in &keys {
            // A key headed in the row above is still a column this table knows.
            if !header.extra.iter().any(|(e, _)| *e == k) {
                header.extra.push((k, String::new()));
            }
        }
        if header.value.is_none() {
            self.diags.push(Diagnostic::new(
                Code::R106,
                "指标表头缺少“指标值”列，无法读出指标值".to_string(),
                loc.clone(),
            ));
        }
        if header.sign.is_some() || header.unit.is_some() {
            let cols: Vec<&str> = [
                header.sign.map(|_| "指标性质"),
                header.unit.map(|_| "计量单位"),
            ]
            .into_iter()
            .flatten()
            .collect();
            self.diags.push(Diagnostic::new(
                Code::R120,
                format!(
                    "“{}”列已并入指标值，写法与标准表一致（如“≥”“221”“人”合为“≥221人”）",
                    cols.join("”“")
                ),
                loc.clone(),
            ));
        }
        let extra: Vec<(usize, String, Location, usize)> = header
            .extra
            .iter()
            .chain(mid_header.iter().flat_map(|h| h.extra.iter()))
            .filter(|(c, _)| !keys.contains(c))
            .map(|(c, name)| (*c, name.clone(), location(grid, &row.cells[*c].pos), 0))
            .collect();
        let b = match self
            .current
            .as_mut()
            .filter(|b| b.raw.is_empty() && b.header.is_none())
        {
            Some(b) => b,
            None => {
                if self.current.is_some() {
                    self.finish_project();
                }
                if long.is_none() {
                    self.diags.push(Diagnostic::new(
                        Code::R110,
                        "指标表前没有“预算单位/项目名称”等表头，项目信息为空".to_string(),
                        loc.clone(),
                    ));
                }
                let project = Project {
                    year: self.year,
                    location: loc,
                    kind: self.kind,
                    ..Project::default()
                };
                self.current.insert(Builder {
                    project,
                    yuan: self.yuan,
                    ..Builder::default()
                })
            }
        };
        b.header = Some((header, row.cells.len()));
        b.mid_header = mid_header;
        b.extra = extra;
        self.mode = Mode::Indicators;
        self.long = long.map(|cols| (cols, None));
    }

    /// A row of a long table: where its key differs from the row above's, the project of the
    /// rows above is finished and the row starts the next one, under the same header.
    fn long_table_row(&mut self, grid: &Grid, row: &Row, loc: &Location) {
        let Some((cols, last)) = self.long.as_mut() else {
            return;
        };
        let key = long_table::Key::of(row, cols, last.as_ref());
        let same = last.as_ref().is_some_and(|k| k.same_project(&key));
        let first = last.is_none();
        *last = Some(key.clone());
        let funds_col = cols.funds;
        if same {
            return;
        }
        if !first {
            let Some(b) = self.current.as_ref() else {
                return;
            };
            let (header, mid_header) = (b.header.clone(), b.mid_header.clone());
            let extra: Vec<_> = b
                .extra
                .iter()
                .map(|(c, n, l, _)| (*c, n.clone(), l.clone(), 0))
                .collect();
            let long = self.long.take();
            self.finish_project();
            self.long = long;
            self.current = Some(Builder {
                project: Project {
                    year: self.year,
                    location: loc.clone(),
                    kind: self.kind,
                    ..Project::default()
                },
                yuan: self.yuan,
                header,
                mid_header,
                extra,
                ..Builder::default()
            });
            self.mode = Mode::Indicators;
        }
        let Some(b) = self.current.as_mut() else {
            return;
        };
        // The key columns name the project (over what a label row above the table gave: a
        // heading row merged down over two rows reads as labels with the wrong neighbours).
        if !key.name.is_empty() {
            b.project.project_name = key.name;
            b.has_name = true;
            b.seen.push(HeaderField::ProjectName);
        }
        if !key.unit.is_empty() {
            b.project.budget_unit = key.unit;
            b.has_unit = true;
            b.seen.push(HeaderField::BudgetUnit);
        }
        if let Some((col, yuan)) = funds_col
            && let Some(cell) = row.cells.get(col).filter(|c| c.covered.is_none())
        {
            let mut diags = Vec::new();
            let at = location(grid, &cell.pos);
            let amount = parse_amount(&cell.text, yuan.unwrap_or(b.yuan), &at, &mut diags);
            if b.project.funds.total.is_none() {
                b.project.funds.total = amount;
                b.project.funds.location = Some(at);
                b.seen.push(HeaderField::FundsTotal);
                if amount.is_none() && !cell.text.trim().is_empty() {
                    b.unreadable.push(HeaderField::FundsTotal);
                }
            }
            self.diags.extend(diags);
        }
    }

    /// A row of the indicator table that holds only group names (the anchor of a merged
    /// 一级/二级 cell printed on a line of its own) or only the wrapped tail of the name above
    /// (`项目完成` / `指标`). The first is kept as a row with no 三级指标 that labels the rows
    /// below it ([`groups::resolve_each`]); the second completes the name (R134, once per
    /// table). Only a table with one column group is read this way.
    pub(crate) fn group_row(&mut self, grid: &Grid, row: &Row, loc: &Location) -> bool {
        let Some(b) = self
            .current
            .as_mut()
            .filter(|b| b.header.is_some() && b.mid_header.is_none())
        else {
            return false;
        };
        let texts = indicators::row_texts(row);
        let mut filled = row
            .cells
            .iter()
            .filter(|c| c.covered.is_none() && !c.is_blank());
        if let (Some(tail), None) = (filled.next(), filled.next())
            && let Some(last) = b.raw.last_mut()
        {
            let slot = match (&mut last.level2, &mut last.level1) {
                (s @ indicators::Slot::Text(_), _) => Some(s),
                (_, s @ indicators::Slot::Text(_)) => Some(s),
                _ => None,
            };
            if let Some(slot) = slot
                && let indicators::Slot::Text(head) = slot
                && let Some(name) = wrap::joined_label(self.fw, &self.fw.labels, head, &tail.text)
            {
                let at = location(grid, &tail.pos);
                b.wrapped
                    .push((at, head.clone(), tail.text.trim().to_string()));
                *head = indicators::display_name(&name);
                return true;
            }
        }
        let Some((level1, level2)) = wrap::label_row(self.fw, &self.fw.labels, &texts) else {
            return false;
        };
        let slot = |name: Option<String>| {
            name.map_or(indicators::Slot::Blank, |t| {
                indicators::Slot::Text(indicators::display_name(&t))
            })
        };
        b.raw.push(RawIndicator {
            level1: slot(level1),
            level2: slot(level2),
            level3: String::new(),
            value: String::new(),
            evaluation: None,
            location: loc.clone(),
        });
        true
    }

    pub(crate) fn indicator_row(&mut self, grid: &Grid, row: &Row, loc: Location) -> bool {
        self.long_table_row(grid, row, &loc);
        let Some(b) = self.current.as_mut() else {
            return false;
        };
        let Some((header, width)) = b.header.clone() else {
            return false;
        };
        let texts = indicators::row_texts(row);
        // The second row of a two-row header, right below it and before any indicator: the
        // names of the value's sub-columns (`2021年实际实现值 | 预期2022年实现值`).
        if b.raw.is_empty()
            && b.mid_raw.is_empty()
            && labels::is_subheading_row(self.vocab.labels, &texts)
        {
            let shown: Vec<&str> = texts.iter().copied().filter(|t| !t.is_empty()).collect();
            self.diags.push(Diagnostic::new(
                Code::R108,
                format!(
                    "指标表头的第二行（各列的小标题）不是指标，已跳过：“{}”",
                    shown.join("”“")
                ),
                loc,
            ));
            return true;
        }
        // A 自评表 row that scores the budget (预算执行率) or sums the scores (总分): its name
        // stands where a 一级指标 would and it has no 三级指标. It is no indicator; where the
        // table has 自评 columns its cells are the project's `self_evaluation`.
        if let Some((kind, name)) = ziping::score_row(self.vocab.labels, &texts, &header) {
            // A row of text shorter than the header lost cells somewhere: its numbers cannot
            // be placed under their columns, so none is read (R121 says the row was skipped).
            let placed = indicators::keeps_cells(row) || row.cells.len() >= width;
            let e = &header.evaluation;
            let cell = |col: Option<usize>| -> String {
                col.and_then(|c| texts.get(c))
                    .map_or(String::new(), |t| t.to_string())
            };
            let raw = indicators::RawEvaluation {
                actual: cell(e.actual),
                weight: cell(e.weight),
                score: cell(e.score),
                deviation: cell(e.deviation),
            };
            let kept = match kind {
                ziping::ScoreRowKind::Execution if placed && e.any() => {
                    let evaluation =
                        ziping::evaluation(self.vocab.labels, &raw, &name, &loc, &mut self.diags);
                    b.evaluation.execution = Some(ScoreRow {
                        name: name.clone(),
                        value: Value::parse(&cell(header.value)),
                        evaluation,
                        location: loc.clone(),
                    });
                    true
                }
                ziping::ScoreRowKind::Total
                    if placed && (e.weight.is_some() || e.score.is_some()) =>
                {
                    let read =
                        ziping::evaluation(self.vocab.labels, &raw, &name, &loc, &mut self.diags);
                    b.evaluation.total_weight = read.weight;
                    b.evaluation.total_score = read.score;
                    let after = e.score.or(e.weight).unwrap_or(0);
                    if let Some(grade) = ziping::grade_in(self.vocab.labels, &texts, after) {
                        b.evaluation.grade = Some(grade);
                    }
                    b.evaluation.total_location = Some(loc.clone());
                    true
                }
                _ => false,
            };
            if !kept {
                self.diags.push(Diagnostic::new(
                    Code::R121,
                    format!("“{name}”行是自评表的得分行，不是绩效指标，未作为指标读取"),
                    loc,
                ));
            }
            return true;
        }
        if header.evaluation.any()
            && let Some(first) = texts.iter().position(|t| !t.is_empty())
            && labels::is_grade(self.vocab.labels, texts[first])
        {
            // 自评等级 | 优 on a row of its own.
            if let Some(grade) = ziping::grade_in(self.vocab.labels, &texts, first) {
                b.evaluation.grade = Some(grade);
                return true;
            }
        }
        // The column groups and the cells each reads: one group reads the row; 中期 and 年度
        // side by side split it where their cells fit their columns best (rows that lost
        // their merged cells are shorter in both groups).
        let mut groups: Vec<(Header, bool, std::ops::Range<usize>)> = Vec::new();
        match b.mid_header.clone() {
            None => {
                let span = header.span.clone();
                groups.push((header, false, span));
            }
            Some(mid) => {
                let (left, right) = if mid.span.start < header.span.start {
                    ((mid, true), (header, false))
                } else {
                    ((header, false), (mid, true))
                };
                let natural = right.0.span.start;
                let split = split_groups(self.fw, &texts, &left.0, &right.0, width, natural);
                groups.push((left.0, left.1, 0..split));
                groups.push((right.0, right.1, split..usize::MAX));
            }
        }
        let mut read: Vec<(bool, Option<usize>, RawIndicator)> = Vec::new();
        for (header, midterm, window) in groups {
            let in_group = texts
                .iter()
                .enumerate()
                .any(|(i, t)| window.contains(&i) && !t.is_empty());
            if !in_group {
                continue; // one of 中期/年度 has fewer rows
            }
            let mut raw = indicators::read_row(
                self.fw,
                row,
                &header,
                width,
                window.clone(),
                loc.clone(),
                &mut self.diags,
            );
            for (col, text) in indicators::leftover_cells(row, &header, width, &window) {
                self.skipped.push(
                    &mut self.diags,
                    Diagnostic::new(
                        Code::R108,
                        format!("指标行中不属于任何指标列的内容，已跳过：“{text}”"),
                        location(grid, &row.cells[col].pos),
                    ),
                );
            }
            for col in indicators::extra_cells(row, &header) {
                if let Some(e) = b.extra.iter_mut().find(|e| e.0 == col) {
                    e.3 += 1;
                }
            }
            if let Some(mid_col) = header.mid_value.filter(|_| !midterm) {
                // 中期指标值 beside 年度指标值: the same row, read through the 中期 column
                // (its repairs were reported with the 年度 reading).
                let mid = Header {
                    value: Some(mid_col),
                    sign: None,
                    unit: None,
                    mid_value: None,
                    evaluation: indicators::EvaluationColumns::default(),
                    ..header.clone()
                };
                let mut repeat = Vec::new();
                let mid_raw = indicators::read_row(
                    self.fw,
                    row,
                    &mid,
                    width,
                    window,
                    loc.clone(),
                    &mut repeat,
                );
                read.push((true, mid.level1, mid_raw));
            }
            if placeholders::is_placeholder_row(self.vocab.labels, &raw.level3, &raw.value) {
                // `其他满意度 | – | –`: no indicator, but its group names label the rows below.
                if !midterm {
                    // The placeholder as written: in the 三级 cell, or in the value's where
                    // the 三级 cell is blank.
                    let shown = if raw.level3.trim().is_empty() {
                        raw.value.trim()
                    } else {
                        raw.level3.as_str()
                    };
                    b.placeholders.add(raw.location.clone(), shown);
                    b.placeholder_rows.push(raw.location.clone());
                }
                raw.level3.clear();
                raw.value.clear();
            }
            read.push((midterm, header.level1, raw));
        }
        // A 年度 group printed without a 一级指标 column shares the 中期 group's.
        let shared = read
            .iter()
            .find(|(_, l1, _)| l1.is_some())
            .map(|(_, _, r)| r.level1.clone());
        for (midterm, l1, mut raw) in read {
            if l1.is_none()
                && let Some(slot) = &shared
            {
                raw.level1 = slot.clone();
            }
            if midterm {
                b.mid_raw.push(raw)
            } else {
                b.raw.push(raw)
            }
        }
        true
    }
}

/// Where the cells of a row standing under two column groups (中期 | 年度) divide: the split
/// whose two halves each fit their group best. Candidates are the group boundary of the
/// header and every filled cell up to [`indicators::MAX_SHIFT`] before it (cells a shorter
/// row moved left); on a tie the header's boundary wins.
fn split_groups(
    fw: &Framework,
    texts: &[&str],
    left: &Header,
    right: &Header,
    width: usize,
    natural: usize,
) -> usize {
    let score = |k: usize| {
        indicators::best_shift(fw, texts, &(0..k), left, width).0
            + indicators::best_shift(fw, texts, &(k..usize::MAX), right, width).0
    };
    (natural.saturating_sub(indicators::MAX_SHIFT)..natural)
        .filter(|&k| texts.get(k).is_some_and(|t| !t.is_empty()))
        .chain(std::iter::once(natural))
        .max_by_key(|&k| (score(k), k == natural))
        .unwrap_or(natural)
}
