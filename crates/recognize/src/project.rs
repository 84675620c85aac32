//! A project being read (`Builder`) and finishing it: its indicator rows rebuilt into
//! groups, blank templates (R114) and header text that is no project (R123) dropped, the
//! header fields not read marked, the project added to the document.

use crate::indicators::{self, Header, RawEvaluation, RawIndicator};
use crate::recognizer::{Mode, Recognizer};
use crate::{fiscal, furniture, groups, header, placeholders, stream, ziping};
use jixiao_model::{
    Code, Diagnostic, Funds, HeaderField, Indicator, Location, Project, SelfEvaluation, TableKind,
    Value,
};

/// A project being read.
#[derive(Default)]
pub(crate) struct Builder {
    pub(crate) project: Project,
    pub(crate) yuan: bool,
    pub(crate) header: Option<(Header, usize)>,
    pub(crate) raw: Vec<RawIndicator>,
    /// The 中期 column group of an 88号 table.
    pub(crate) mid_header: Option<Header>,
    pub(crate) mid_raw: Vec<RawIndicator>,
    /// Extra indicator columns (序号, 备注 …): column, header text, header location, cells with text.
    pub(crate) extra: Vec<(usize, String, Location, usize)>,
    pub(crate) has_unit: bool,
    pub(crate) has_name: bool,
    /// The budget unit came from 实施单位 (a 主管部门 or 预算单位 label takes precedence).
    pub(crate) unit_from_implementing: bool,
    /// The budget unit came from 一级预算单位 (any other unit label takes precedence).
    pub(crate) unit_from_parent: bool,
    pub(crate) has_parent: bool,
    /// Header fields whose label was found, and fields whose value could not be read: what
    /// [`Project::unread`] is made of when the project is finished.
    pub(crate) seen: Vec<HeaderField>,
    pub(crate) unreadable: Vec<HeaderField>,
    /// Header fields the standard form has no place for (`项目编码：` …), for one R108.
    pub(crate) other_fields: header::OtherFields,
    /// Columns of the 中期资金总额 and 年度资金总额 labels, to tell whose 财政拨款 a cell is.
    pub(crate) mid_funds_col: Option<usize>,
    pub(crate) annual_funds_col: Option<usize>,
    /// Columns of 中期资金总额 and 年度资金总额 labels that head columns of amounts (no value of
    /// their own): the amounts of the rows below are read from these columns, by label.
    pub(crate) funds_header_cols: (Option<usize>, Option<usize>),
    /// Group names completed by a wrapped tail on the next line: where the tail was, the
    /// head and the tail (reported once per table, R134).
    pub(crate) wrapped: Vec<(Location, String, String)>,
    /// Placeholder rows of the table (R136), and where they are (no R122 for them).
    pub(crate) placeholders: furniture::Tally,
    pub(crate) placeholder_rows: Vec<Location>,
    /// What a 自评表 says of the project as a whole, as far as read.
    pub(crate) evaluation: SelfEvaluation,
    /// The column headings of a 自评表's funds block (年初预算数 … 得分), once seen.
    pub(crate) funds_columns: Option<ziping::FundsColumns>,
    /// The sources of 财政拨款 read: the year's, then the 中期 ones.
    pub(crate) fiscal_parts: [fiscal::FiscalParts; 2],
}

impl Builder {
    /// The amounts a funds label fills: the 中期 ones (created when first written) or the
    /// project's own.
    pub(crate) fn funds_mut(&mut self, midterm: bool) -> &mut Funds {
        if midterm {
            self.project
                .midterm_funds
                .get_or_insert_with(Funds::default)
        } else {
            &mut self.project.funds
        }
    }
}

impl Recognizer<'_> {
    pub(crate) fn finish_project(&mut self) {
        let Some(b) = self.current.take() else {
            return;
        };
        // A row with neither a 三级指标 nor a 指标值 is no indicator: an empty row of a
        // template, or a group label printed on a row of its own.
        let had_rows = !b.raw.is_empty() || !b.mid_raw.is_empty();
        // Rows with group names only (placeholder rows among them, emptied when read) are
        // kept until the groups are rebuilt: they label the rows below them. One that labels
        // no row and is no placeholder is reported (R122).
        let mut not_rows = Vec::new();
        let rows = b.raw.iter().filter(|r| r.is_indicator()).count();
        let mid_rows = b.mid_raw.iter().filter(|r| r.is_indicator()).count();
        // A 中期 group left empty beside a filled 年度 group (`二级指标（长期）` over group names
        // only): one finding for the table, not one per row.
        let mid_empty = mid_rows == 0 && rows > 0;
        let mut mid_group_rows: Vec<&Location> = Vec::new();
        for (raw, mid) in [(&b.raw, false), (&b.mid_raw, true)] {
            for (i, r) in raw.iter().enumerate() {
                if r.is_indicator()
                    || indicators::labels_rows_below(raw, i)
                    || b.placeholder_rows.contains(&r.location)
                {
                    continue;
                }
                let names: Vec<&str> = [&r.level1, &r.level2]
                    .into_iter()
                    .filter_map(|s| match s {
                        indicators::Slot::Text(t) => Some(t.as_str()),
                        _ => None,
                    })
                    .collect();
                if mid && mid_empty {
                    mid_group_rows.push(&r.location);
                } else if !names.is_empty() {
                    not_rows.push(Diagnostic::new(
                        Code::R122,
                        format!(
                            "该行只有“{}”，没有三级指标和指标值，不是一条指标，未读取",
                            names.join("”“")
                        ),
                        r.location.clone(),
                    ));
                }
            }
        }
        if let Some(first) = mid_group_rows.first() {
            not_rows.push(Diagnostic::new(
                Code::R122,
                format!(
                    "中期（长期）指标列的 {} 行只有一级/二级指标名称，没有三级指标和指标值：中期指标为空，只读取了年度指标",
                    mid_group_rows.len()
                ),
                (*first).clone(),
            ));
        }
        let mut unread = unread_fields(&b);
        let fiscal_unreadable = b.unreadable.contains(&HeaderField::FundsFiscal);
        let [annual_parts, mid_parts] = b.fiscal_parts;
        let mut project = b.project;
        // 财政拨款 from its sources, or from a total said to be 财政 money: read after all.
        if annual_parts.apply(&mut project.funds, &mut self.diags) && !fiscal_unreadable {
            unread.retain(|f| *f != HeaderField::FundsFiscal);
        }
        if let Some(mid) = project.midterm_funds.as_mut() {
            mid_parts.apply(mid, &mut self.diags);
        }
        project.unread = unread;
        let funds_blank = |f: &Funds| f.total.is_none() && f.fiscal.is_none() && f.other.is_none();
        let header_blank = project.project_name.is_empty()
            && project.budget_unit.is_empty()
            && project.goal.is_empty()
            && funds_blank(&project.funds);
        // A table with no indicator at all is one finding (R114/R137), not one per row.
        if !header_blank && rows + mid_rows > 0 {
            self.diags.append(&mut not_rows);
        }
        if let Some(d) = placeholders::report(b.placeholders.clone()) {
            self.diags.push(d);
        }
        if let Some(d) = std::mem::take(&mut self.after_table).after_table() {
            self.diags.push(d);
        }
        if let Some((at, head, tail)) = b.wrapped.first() {
            let joined = stream::wrapped_diagnostic(b.wrapped.len(), head, tail, at.clone());
            self.diags.push(joined);
        }
        if had_rows && rows == 0 && mid_rows == 0 && !header_blank {
            // Labels, group names and placeholders (`不适用`), but not one 三级指标 or 指标值:
            // a blank template's table. Beside projects that were read it is this project's
            // gap (R137, decided in `finish`).
            self.diags.push(Diagnostic::new(
                Code::R114,
                format!(
                    "项目“{}”的指标表是空白模板：没有任何三级指标和指标值",
                    project.project_name
                ),
                project.location.clone(),
            ));
            if project.project_name.is_empty() {
                self.blank_templates += 1;
                self.mode = Mode::None;
                return;
            }
        } else if !header_blank
            && !project.project_name.chars().any(char::is_alphanumeric)
            && rows == 0
            && mid_rows == 0
        {
            // Some header text but neither a project name nor an indicator: nothing here
            // makes a project, and an empty standard form must not be written for it.
            self.diags.push(Diagnostic::new(
                Code::R123,
                "表头有内容但既没有项目名称也没有任何指标，不构成一个项目，未读取".to_string(),
                project.location.clone(),
            ));
            self.mode = Mode::None;
            return;
        }
        if b.header.is_none() && rows == 0 {
            self.diags.push(Diagnostic::new(
                Code::R107,
                format!(
                    "项目“{}”没有指标表（缺少“一级指标/二级指标/三级指标/指标值”表头）",
                    project.project_name
                ),
                project.location.clone(),
            ));
        } else if rows == 0 && !had_rows {
            self.diags.push(Diagnostic::new(
                Code::R107,
                format!("项目“{}”的指标表是空的", project.project_name),
                project.location.clone(),
            ));
        }
        if header_blank && rows == 0 && mid_rows == 0 {
            // Drop the R107 just pushed: this is one finding, not two.
            if self
                .diags
                .last()
                .is_some_and(|d| d.code == "R107" && d.location == project.location)
            {
                self.diags.pop();
            }
            self.diags.push(Diagnostic::new(
                Code::R114,
                "空白模板：表格只有“预算单位/项目名称/项目资金/指标”等标签，没有填写任何内容"
                    .to_string(),
                project.location.clone(),
            ));
            self.blank_templates += 1;
            self.mode = Mode::None;
            return;
        }
        for (col, name, loc, count) in &b.extra {
            if *count > 0 {
                let what = column_name_of(*col);
                self.diags.push(Diagnostic::new(
                    Code::R118,
                    format!("指标表的“{name}”列（第 {what} 列）不属于标准格式，其中 {count} 个单元格的内容未转换"),
                    loc.clone(),
                ));
            }
        }
        let value_column = b.header.as_ref().is_some_and(|(h, _)| h.value.is_some());
        let evaluated = b.header.as_ref().is_some_and(|(h, _)| h.evaluation.any());
        let mut declared = Vec::new();
        project.indicators = self.indicators(
            b.raw,
            (value_column, evaluated),
            &b.placeholder_rows,
            &mut declared,
        );
        if b.evaluation != SelfEvaluation::default() {
            project.self_evaluation = Some(b.evaluation);
        }
        // A 一级 group made only of placeholder rows (`效益指标 | 经济效益指标 | 不适用 |
        // 不适用`) is not applicable to this project: the review asks for no indicator of it.
        // (A table with no indicator at all is blank, not applicable in nothing.)
        if !project.indicators.is_empty() {
            project.not_applicable = declared
                .into_iter()
                .filter(|g| !project.indicators.iter().any(|i| &i.level1 == g))
                .collect();
        }
        let mid_value_column = b.mid_header.as_ref().is_some_and(|h| h.value.is_some());
        project.midterm_indicators = self.indicators(
            b.mid_raw,
            (mid_value_column, false),
            &b.placeholder_rows,
            &mut Vec::new(),
        );
        self.diags
            .extend(b.other_fields.report(&project.project_name));
        if project.project_name.is_empty() && project.kind != Some(TableKind::Department) {
            // (A 部门整体 table names its department, not a project.)
            self.diags.push(Diagnostic::new(
                Code::R109,
                "项目缺少“项目名称”".to_string(),
                project.location.clone(),
            ));
        }
        self.doc.projects.push(project);
        self.mode = Mode::None;
    }

    /// Rebuilds the groups of a table's rows and reports empty names and values.
    fn indicators(
        &mut self,
        mut raw: Vec<RawIndicator>,
        (value_column, evaluated): (bool, bool),
        placeholder_rows: &[Location],
        empty_groups: &mut Vec<String>,
    ) -> Vec<Indicator> {
        // The groups are rebuilt over every row (a row of group names, or a placeholder row,
        // may head the rows below it), but what the rebuilding says about a placeholder row
        // (a blank group it could not place) is moot: the row is no indicator.
        let mut group_diags = Vec::new();
        // The rows grew by doubling: the room never used is given back before the
        // indicators are made beside them.
        raw.shrink_to_fit();
        let rows = raw.len();
        let resolved = groups::resolve_each(self.fw, raw, &mut group_diags);
        group_diags.retain(|d| !placeholder_rows.contains(&d.location));
        self.diags.extend(group_diags);
        let mut out = Vec::with_capacity(rows);
        for r in resolved {
            if !r.raw.is_indicator() {
                // The 一级 of a placeholder row: not applicable to the project when none of
                // its rows is an indicator (`finish_project`).
                if placeholder_rows.contains(&r.raw.location)
                    && !r.level1.is_empty()
                    && !empty_groups.contains(&r.level1)
                {
                    empty_groups.push(r.level1.clone());
                }
                continue;
            }
            if r.raw.level3.is_empty() {
                self.diags.push(Diagnostic::new(
                    Code::R105,
                    "三级指标为空".to_string(),
                    r.raw.location.clone(),
                ));
            }
            if value_column && r.raw.value.is_empty() {
                self.diags.push(Diagnostic::new(
                    Code::R104,
                    format!("指标“{}”的指标值为空", r.raw.level3),
                    r.raw.location.clone(),
                ));
            }
            let evaluation = evaluated.then(|| {
                Box::new(ziping::evaluation(
                    &self.fw.labels,
                    RawEvaluation::of(&r.raw.evaluation),
                    &r.raw.level3,
                    &r.raw.location,
                    &mut self.diags,
                ))
            });
            out.push(Indicator {
                level1: r.level1,
                level2: r.level2,
                level3: r.raw.level3,
                value: Value::parse(&r.raw.value),
                location: r.raw.location,
                evaluation,
            });
        }
        out
    }
}

/// The header fields of `b` that were not read: no label for them, or a value that could not
/// be read.
fn unread_fields(b: &Builder) -> Vec<HeaderField> {
    let mut unread: Vec<HeaderField> = [
        HeaderField::BudgetUnit,
        HeaderField::ProjectName,
        HeaderField::Goal,
        HeaderField::FundsTotal,
        HeaderField::FundsFiscal,
        HeaderField::FundsOther,
    ]
    .into_iter()
    .filter(|f| !b.seen.contains(f) || b.unreadable.contains(f))
    .collect();
    unread.dedup();
    unread
}

/// `A`, `B` … for a column index of a grid (the grid's own columns, for messages).
fn column_name_of(col: usize) -> String {
    jixiao_grid::column_name(col as u32)
}

#[cfg(test)]
mod tests {
    use crate::{Options, recognize};

    /// Placeholder rows are no indicators, reported once per table (R136) with the count at
    /// the first; their group names label the rows below; a 一级 made only of them is not
    /// applicable to the project.
    #[test]
    fn placeholder_rows_label_below_and_mark_not_applicable() {
        let text = "项目名称\t甲\n一级指标\t二级指标\t三级指标\t指标值\n\
                    产出指标\t数量指标\t不适用\t不适用\n\
                    \t\t人数\t≥1人\n\
                    效益指标\t经济效益指标\t–\t–\n\
                    满意度指标\t服务对象满意度指标\t满意度\t≥90%\n";
        let grid = jixiao_markdown::read(text, Some("a.md"));
        let doc = recognize(&[grid], &Options::default());
        let p = &doc.projects[0];
        let rows: Vec<(&str, &str, &str)> = p
            .indicators
            .iter()
            .map(|i| (i.level1.as_str(), i.level2.as_str(), i.level3.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("产出指标", "数量指标", "人数"),
                ("满意度指标", "服务对象满意度指标", "满意度")
            ]
        );
        assert_eq!(p.not_applicable, ["效益指标"]);
        let r136: Vec<_> = doc
            .diagnostics
            .iter()
            .filter(|d| d.code == "R136")
            .collect();
        assert_eq!(r136.len(), 1, "{:?}", doc.diagnostics);
        assert!(r136[0].message.contains("2 行"), "{}", r136[0].message);
        assert_eq!(r136[0].location.line, Some(3));
        assert!(doc.diagnostics.iter().all(|d| d.code != "R122"));
    }
}
