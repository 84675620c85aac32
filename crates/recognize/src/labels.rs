//! The form's vocabulary: the labels of the header block, the indicator table header, the
//! summary table and the title lines, matched after [`normalize_label`] so that spaces,
//! newlines, full-width colons and brackets do not matter.

use jixiao_model::framework::normalize_label;

/// A label of the project header block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// 预算单位 / 主管部门 / 单位名称.
    BudgetUnit,
    /// 实施单位: the budget unit when the form names no other, else kept beside it.
    ImplementingUnit,
    /// 项目名称.
    ProjectName,
    /// 项目资金 (万元) — a group label.
    Funds {
        /// True when the amounts are in 元 (`项目资金（元）`).
        yuan: bool,
    },
    /// 年度资金总额.
    FundsTotal,
    /// 中期资金总额 (88号 template).
    MidFundsTotal,
    /// 其中：财政拨款.
    FundsFiscal,
    /// 其他资金.
    FundsOther,
    /// 项目总体目标 / 年度目标.
    Goal,
    /// 中期目标 (88号 template), often with its period: `中期目标（2022年—2024年）`.
    MidGoal,
}

const BUDGET_UNIT: &[&str] = &[
    "预算单位",
    "预算单位名称",
    "单位名称",
    "主管部门",
    "主管部门及代码",
    "部门名称",
    "部门(单位)名称",
];
const IMPLEMENTING_UNIT: &[&str] = &["实施单位", "项目实施单位"];
const MID_FUNDS_TOTAL: &[&str] = &["中期资金总额", "中期资金总额(万元)", "中期资金总额(元)"];
const PROJECT_NAME: &[&str] = &["项目名称"];
const FUNDS_TOTAL: &[&str] = &[
    "年度资金总额",
    "资金总额",
    "年度资金总额(万元)",
    "年度资金总额(元)",
];
const FUNDS_FISCAL: &[&str] = &[
    "其中:财政拨款",
    "其中财政拨款",
    "财政拨款",
    "其中:财政资金",
    "财政资金",
];
const FUNDS_OTHER: &[&str] = &["其他资金", "其中:其他资金"];
const GOAL: &[&str] = &[
    "项目总体目标",
    "总体目标",
    "年度目标",
    "年度绩效目标",
    "项目年度目标",
    "年度总体目标",
    "项目绩效目标",
    "绩效目标",
];

/// The label a whole cell is, if any.
pub fn label(text: &str) -> Option<Label> {
    let n = normalize_label(text);
    if n.is_empty() {
        return None;
    }
    let is = |names: &[&str]| names.contains(&n.as_str());
    if is(BUDGET_UNIT) {
        Some(Label::BudgetUnit)
    } else if is(IMPLEMENTING_UNIT) {
        Some(Label::ImplementingUnit)
    } else if is(MID_FUNDS_TOTAL) {
        Some(Label::MidFundsTotal)
    } else if n.starts_with("中期目标") {
        Some(Label::MidGoal)
    } else if is(PROJECT_NAME) {
        Some(Label::ProjectName)
    } else if let Some(rest) = n.strip_prefix("项目资金") {
        let unit = rest.trim_matches(|c| c == '(' || c == ')');
        match unit {
            "" | "万元" => Some(Label::Funds { yuan: false }),
            "元" => Some(Label::Funds { yuan: true }),
            _ => None,
        }
    } else if is(FUNDS_TOTAL) {
        Some(Label::FundsTotal)
    } else if is(FUNDS_FISCAL) {
        Some(Label::FundsFiscal)
    } else if is(FUNDS_OTHER) {
        Some(Label::FundsOther)
    } else if is(GOAL) {
        Some(Label::Goal)
    } else {
        None
    }
}

/// A cell holding a label and its value together: `预算单位：和硕县民政局`.
pub fn label_with_value(text: &str) -> Option<(Label, String)> {
    let idx = text.find([':', '：'])?;
    let sep_len = text[idx..].chars().next().map_or(1, char::len_utf8);
    let found = label(&text[..idx])?;
    let value = text[idx + sep_len..].trim();
    (!value.is_empty() && !matches!(found, Label::Funds { .. })).then(|| (found, value.to_string()))
}

/// Section headings printed over parts of the form: `绩效指标`, `中期绩效指标`, `年度绩效指标`
/// (the 88号 template heads its two indicator column groups so). They hold no data.
pub fn is_section_heading(text: &str) -> bool {
    matches!(
        normalize_label(text).as_str(),
        "绩效指标" | "中期绩效指标" | "年度绩效指标" | "中期指标" | "年度指标" | "项目绩效指标"
    )
}

/// A column of the indicator table header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    /// 一级指标.
    Level1,
    /// 二级指标.
    Level2,
    /// 三级指标.
    Level3,
    /// 指标值 and its variants.
    Value,
    /// 计量单位 / 度量单位: the unit of the value, in a column of its own.
    Unit,
    /// 指标性质 / 计算符号: the comparison sign (≥, ＝, 定性) in a column of its own.
    Sign,
}

/// The indicator-table column a header cell names.
pub fn column(text: &str) -> Option<Column> {
    let n = normalize_label(text);
    match n.as_str() {
        "一级指标" | "一级绩效指标" => Some(Column::Level1),
        "二级指标" | "二级绩效指标" => Some(Column::Level2),
        "三级指标" | "三级绩效指标" | "三级指标名称" | "指标名称" | "指标内容" => {
            Some(Column::Level3)
        }
        "计量单位" | "度量单位" | "指标单位" | "单位" => Some(Column::Unit),
        "指标性质" | "计算符号" | "指标符号" | "符号" => Some(Column::Sign),
        _ if n.starts_with("指标值")
            || n.starts_with("年度指标值")
            || n.starts_with("中期指标值")
            || n == "目标值"
            || n == "年度目标值" =>
        {
            Some(Column::Value)
        }
        _ => None,
    }
}

/// A column of the summary table header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryColumn {
    /// 序号.
    Seq,
    /// 部门单位.
    Department,
    /// 项目名称.
    ProjectName,
    /// 年度资金总额 / 金额.
    Funds,
}

/// The summary-table column a header cell names.
pub fn summary_column(text: &str) -> Option<SummaryColumn> {
    let n = normalize_label(text);
    match n.as_str() {
        "序号" => Some(SummaryColumn::Seq),
        "部门单位" | "部门" | "单位" | "单位名称" | "预算单位" | "部门名称" | "主管部门" => {
            Some(SummaryColumn::Department)
        }
        "项目名称" | "政策和项目名称" | "重点项目名称" => {
            Some(SummaryColumn::ProjectName)
        }
        _ if n.starts_with("年度资金总额")
            || n.starts_with("资金总额")
            || n.starts_with("金额")
            || n.starts_with("预算金额") =>
        {
            Some(SummaryColumn::Funds)
        }
        _ => None,
    }
}

/// What a title line says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Title {
    /// The summary title `2022年度和硕县重大政策和重点项目绩效目标汇总表`.
    Summary,
    /// A project table title `项目支出绩效目标表`, possibly with its year.
    Project(Option<i32>),
    /// A year line `(2022年)`.
    Year(i32),
    /// `单位：万元` / `单位：元`: the unit of the amounts that follow.
    Unit {
        /// True for 元.
        yuan: bool,
    },
}

/// The kind of title line a one-cell row is.
pub fn title(text: &str) -> Option<Title> {
    let n = normalize_label(text);
    // A title is the form's name, possibly with a year in brackets after it; a sentence that
    // merely mentions the form (`请报送项目支出绩效目标表。`) is not one.
    let name = strip_year_suffix(&n);
    if name.ends_with("汇总表") {
        return Some(Title::Summary);
    }
    if name.ends_with("绩效目标表") || name.ends_with("绩效目标申报表") {
        return Some(Title::Project(year_in(&n)));
    }
    let bare = n.trim_matches(|c| c == '(' || c == ')');
    if let Some(y) = year_in(bare).filter(|_| {
        bare.trim_end_matches('度')
            .trim_end_matches('年')
            .chars()
            .all(|c| c.is_ascii_digit())
    }) {
        return Some(Title::Year(y));
    }
    match n.as_str() {
        "单位:万元" | "金额单位:万元" => Some(Title::Unit { yuan: false }),
        "单位:元" | "金额单位:元" => Some(Title::Unit { yuan: true }),
        _ => None,
    }
}

/// `项目支出绩效目标表(2022年)` → `项目支出绩效目标表`.
fn strip_year_suffix(n: &str) -> &str {
    if let Some(open) = n.rfind('(')
        && n.ends_with(')')
        && year_in(&n[open..]).is_some()
    {
        return &n[..open];
    }
    n
}

/// The first four-digit year followed by 年 in a text.
pub fn year_in(text: &str) -> Option<i32> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len().saturating_sub(4)).find_map(|i| {
        let digits: String = chars[i..i + 4].iter().collect();
        let before_ok = i == 0 || !chars[i - 1].is_ascii_digit();
        (before_ok && digits.chars().all(|c| c.is_ascii_digit()) && chars[i + 4] == '年')
            .then(|| digits.parse().ok())?
    })
}

/// The region in a summary title: what follows the year up to the table's name.
pub fn region_in(title: &str) -> Option<String> {
    let n = normalize_label(title);
    let year = year_in(&n)?;
    let after = &n[n.find(&format!("{year}年"))? + format!("{year}年").len()..];
    let after = after.strip_prefix('度').unwrap_or(after);
    let end = [
        "重大政策",
        "重点项目",
        "项目支出",
        "部门",
        "绩效目标",
        "汇总表",
    ]
    .iter()
    .filter_map(|k| after.find(k))
    .min()
    .unwrap_or(after.len());
    let region = after[..end].trim();
    (!region.is_empty()).then(|| region.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_with_variants() {
        assert_eq!(label("项 目 名 称"), Some(Label::ProjectName));
        assert_eq!(label("项目名称："), Some(Label::ProjectName));
        assert_eq!(label("项目资金 (万元)"), Some(Label::Funds { yuan: false }));
        assert_eq!(label("项目资金（元）"), Some(Label::Funds { yuan: true }));
        assert_eq!(label("其中:财政拨款"), Some(Label::FundsFiscal));
        assert_eq!(label("其中：财政拨款"), Some(Label::FundsFiscal));
        assert_eq!(label("年度资金总额:"), Some(Label::FundsTotal));
        assert_eq!(label("和硕县民政局"), None);
        assert_eq!(
            label_with_value("预算单位：和硕县民政局"),
            Some((Label::BudgetUnit, "和硕县民政局".into()))
        );
        assert_eq!(label_with_value("其中:财政拨款"), None);
        assert_eq!(label("实施单位"), Some(Label::ImplementingUnit));
        assert_eq!(label("中期资金总额："), Some(Label::MidFundsTotal));
        assert_eq!(label("中期目标（2022年—2024年）"), Some(Label::MidGoal));
    }

    #[test]
    fn section_headings_are_not_data() {
        assert!(is_section_heading("中期绩效指标"));
        assert!(is_section_heading("年度 绩效指标"));
        assert!(!is_section_heading("项目属性"));
        assert!(!is_section_heading("年度绩效目标"));
    }

    #[test]
    fn header_columns() {
        assert_eq!(column("一级\n指标"), Some(Column::Level1));
        assert_eq!(column("指标值 (包含数字及文字描述)"), Some(Column::Value));
        assert_eq!(column("年度指标值"), Some(Column::Value));
        assert_eq!(column("指标值及单位"), Some(Column::Value));
        assert_eq!(column("度量单位"), Some(Column::Unit));
        assert_eq!(column("指标性质"), Some(Column::Sign));
    }

    #[test]
    fn titles() {
        assert_eq!(
            title("2022年度和硕县重大政策和重点项目绩效目标汇总表"),
            Some(Title::Summary)
        );
        assert_eq!(title("项目支出绩效目标表"), Some(Title::Project(None)));
        assert_eq!(
            title("项目支出绩效目标表 (2022年)"),
            Some(Title::Project(Some(2022)))
        );
        assert_eq!(title("(2022年)"), Some(Title::Year(2022)));
        assert_eq!(title("（2022年度）"), Some(Title::Year(2022)));
        assert_eq!(title("2022年"), Some(Title::Year(2022)));
        assert_eq!(title("单位：万元"), Some(Title::Unit { yuan: false }));
        assert_eq!(title("请于3月31日前报送项目支出绩效目标表。"), None);
        assert_eq!(title("关于报送绩效目标汇总表的说明"), None);
        assert_eq!(title("我县2022年预计参保"), None);
        assert_eq!(
            region_in("2022年度和硕县重大政策和重点项目绩效目标汇总表").as_deref(),
            Some("和硕县")
        );
    }
}
