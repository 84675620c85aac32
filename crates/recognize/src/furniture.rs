//! What stands in or after the indicator table without being an indicator.
//!
//! - **Furniture after the table**: the form goes on below its indicators with opinions,
//!   conclusions, notes and seals (`财政部门审核意见`, `评价结论`, `存在问题`, `改进措施`, `注：…`,
//!   `（盖章）`). A row that starts with such a caption (`templates/labels.toml`, `table_end`)
//!   ends the indicator table; it and the rows after it, up to the next label, table header or
//!   title, are counted and reported once (R135), never read as indicators and never reported
//!   row by row.
//!
//! Placeholder rows (`不适用`, `–`) stand in the table and are `placeholders.rs`; their count
//! is a [`Tally`] too.

use jixiao_model::framework::{Labels, normalize_label};
use jixiao_model::{Code, Diagnostic, Location};

/// The caption with which a row of furniture starts, if the row's first cell with text is
/// one: the whole cell is a `table_end` caption, or starts with one followed by a colon or an
/// opening bracket (`注：…`, `审核意见（盖章）`); or the cell is a seal line: short (`（盖章）`,
/// `单位（签章）`) or with the seal in brackets (`财政资金管理科室（盖章） 年 月 日`).
pub(crate) fn table_end(v: &Labels, first: &str) -> Option<String> {
    let n = normalize_label(first);
    let bare = n.trim_matches(['(', ')', '[', ']']);
    if bare.is_empty() {
        return None;
    }
    let seal = (bare.chars().count() <= 12 && (bare.contains("盖章") || bare.contains("签章")))
        || n.contains("(盖章)")
        || n.contains("(签章)");
    let caption = v.table_end.iter().any(|w| {
        bare == w
            || bare
                .strip_prefix(w.as_str())
                .is_some_and(|rest| rest.starts_with([':', '(', '[']))
    });
    (seal || caption).then(|| first.trim().to_string())
}

/// The first 20 characters of a text, with `…` when there is more.
fn excerpt(text: &str) -> String {
    let t = text.trim();
    let mut out: String = t.chars().take(20).collect();
    if t.chars().count() > 20 {
        out.push('…');
    }
    out
}

/// Rows of one kind counted for one report: how many, where the first is, and its text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Tally {
    pub(crate) count: usize,
    pub(crate) first: Option<(Location, String)>,
}

impl Tally {
    /// Counts a row at `at` whose text begins with `text`.
    pub(crate) fn add(&mut self, at: Location, text: &str) {
        self.count += 1;
        self.first.get_or_insert_with(|| (at, excerpt(text)));
    }

    /// R135 for the rows after an indicator table, if any were counted.
    pub(crate) fn after_table(self) -> Option<Diagnostic> {
        let (at, text) = self.first?;
        Some(Diagnostic::new(
            Code::R135,
            format!(
                "指标表到此结束：从“{text}”起的 {} 行是审核意见、结论、说明或签章，不是指标，未读取",
                self.count
            ),
            at,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_of_what_follows_the_table() {
        let v = Labels::standard();
        for t in [
            "财政部门审核意见",
            "主管部门 审核意见：",
            "评价结论",
            "注：各地可根据实际情况调整",
            "注:",
            "（盖章）",
            "单位（签章）",
            "财政资金管理科室（盖章） 年 月 日",
            "其他需说明的问题",
            "其他需要说明事项",
            "存在问题",
            "改进措施（整改落实情况）",
        ] {
            assert!(table_end(v, t).is_some(), "{t}");
        }
        for t in [
            "存在问题整改率",
            "注册企业数量",
            "说明书印制数量",
            "产出指标",
            "审核意见采纳率达到95%以上并形成书面报告盖章存档",
            "",
        ] {
            assert!(table_end(v, t).is_none(), "{t}");
        }
    }

    #[test]
    fn one_report_per_kind_with_count_and_first_place() {
        let mut t = Tally::default();
        assert!(t.clone().after_table().is_none());
        t.add(Location::line(Some("a.txt"), 30, 1), "财政部门审核意见");
        t.add(Location::line(Some("a.txt"), 31, 1), "（盖章）");
        let d = t.after_table().unwrap();
        assert_eq!((d.code.as_str(), d.location.line), ("R135", Some(30)));
        assert!(
            d.message.contains("“财政部门审核意见”起的 2 行"),
            "{}",
            d.message
        );
    }
}
