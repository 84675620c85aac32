//! Placeholder rows: a template row that holds a place and says nothing (`不适用 | 不适用` in
//! an unused 二级指标 of a budget system's export, `其他满意度 | – | –` on a page; the list is
//! `placeholders` in `templates/labels.toml`). Budget systems print every 二级指标 of the
//! framework and fill the unused ones so; they are not data.
//!
//! Such a row is no indicator: its 三级指标 and 指标值 are emptied where the row is read, so
//! that it is left with its group names, which still label the rows below it, as the anchor
//! of a merged cell does. A 一级 group made only of such rows is not applicable to the
//! project ([`jixiao_model::Project::not_applicable`]). The rows are counted and reported
//! once per table (R136), with the count and the first place — one finding for the table,
//! not one per row. (A row holding only group names that labels no row is R122.)

use crate::furniture::Tally;
use jixiao_model::framework::{Labels, normalize_label};
use jixiao_model::{Code, Diagnostic};

/// True when `text` only holds a place (`不适用`, `–`, `/`): empty text is not a placeholder.
pub(crate) fn is_placeholder(v: &Labels, text: &str) -> bool {
    let n = normalize_label(text);
    !n.is_empty() && v.placeholders.contains(&n)
}

/// True when an indicator row's 三级指标 and 指标值 each only hold a place or are empty, and one
/// of them holds a place. (A named indicator whose value says 不适用 or 无 is kept: its name is
/// data.)
pub(crate) fn is_placeholder_row(v: &Labels, level3: &str, value: &str) -> bool {
    let blank_or = |t: &str| t.trim().is_empty() || is_placeholder(v, t);
    blank_or(level3) && blank_or(value) && (is_placeholder(v, level3) || is_placeholder(v, value))
}

/// The one R136 of a table, at its first placeholder row, if any row was counted.
pub(crate) fn report(rows: Tally) -> Option<Diagnostic> {
    let (at, text) = rows.first?;
    Some(Diagnostic::new(
        Code::R136,
        format!(
            "指标表中有 {} 行是模板的占位行（如“{text}”），没有实际的三级指标和指标值，不是指标，未读取；其中的一级/二级指标名称仍用于下方各行",
            rows.count
        ),
        at,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::Location;

    #[test]
    fn placeholders_hold_a_place_only() {
        let v = Labels::standard();
        assert!(is_placeholder_row(v, "–", "–"));
        assert!(is_placeholder_row(v, "不适用", "不适用"));
        assert!(is_placeholder_row(v, " 不 适 用 ", ""));
        assert!(is_placeholder_row(v, "", "/"));
        assert!(!is_placeholder_row(v, "", ""));
        assert!(!is_placeholder_row(v, "安全事故", "无"));
        assert!(!is_placeholder_row(v, "不适用", "≥90%"));
        assert!(!is_placeholder_row(v, "经济效益", "不适用"));
        assert!(!is_placeholder_row(v, "无事故发生", ""));
    }

    #[test]
    fn one_report_per_table_with_count_and_first_place() {
        assert!(report(Tally::default()).is_none());
        let mut t = Tally::default();
        for line in [16, 18, 19] {
            t.add(Location::line(Some("a.txt"), line, 1), "不适用");
        }
        let d = report(t).expect("a report");
        assert_eq!((d.code.as_str(), d.location.line), ("R136", Some(16)));
        assert!(d.message.contains("3 行"), "{}", d.message);
        assert!(d.message.contains("“不适用”"), "{}", d.message);
    }
}
