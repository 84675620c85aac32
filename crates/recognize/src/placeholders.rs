//! Rows of an indicator table that are no indicator: a row holding only group names (an
//! unused 二级指标 of a template, `其他满意度 | | `) and a placeholder row (`不适用` in the
//! 三级指标 and 指标值 cells, `– | –`). Budget systems print every 二级指标 of the framework
//! and fill the unused ones so; they are not data.
//!
//! Such rows are left out of the project and reported once per table (R122) with their count
//! and the first places — one finding for the table, not one per row.

use jixiao_model::framework::{Labels, normalize_label};
use jixiao_model::{Diagnostic, Location};

/// How many places an R122 names before it only counts.
const SHOWN: usize = 5;

/// True when a 三级指标 or 指标值 cell holds a placeholder (`不适用`, `无`, `–` …; the list
/// is `placeholders` in `templates/labels.toml`).
pub(crate) fn is_placeholder(labels: &Labels, text: &str) -> bool {
    let n = normalize_label(text);
    !n.is_empty() && labels.placeholders.contains(&n)
}

/// True when a row with this 三级指标 and 指标值 is no indicator: each of the two is blank or
/// a placeholder. (A named indicator whose value says 不适用 is kept: its name is data.)
pub(crate) fn is_not_indicator(labels: &Labels, level3: &str, value: &str) -> bool {
    let empty_or_placeholder = |t: &str| t.trim().is_empty() || is_placeholder(labels, t);
    empty_or_placeholder(level3) && empty_or_placeholder(value)
}

/// The rows of one table left out as no indicator, for its one R122.
#[derive(Debug, Default)]
pub(crate) struct NotIndicators {
    rows: Vec<Location>,
    /// Up to two distinct examples of what the rows held (`不适用`, `其他满意度`).
    examples: Vec<String>,
}

impl NotIndicators {
    /// Records a row left out; `shown` is what it held (a placeholder or its group names).
    pub(crate) fn push(&mut self, location: Location, shown: &str) {
        self.rows.push(location);
        let shown = shown.trim();
        if !shown.is_empty() && self.examples.len() < 2 && !self.examples.iter().any(|e| e == shown)
        {
            self.examples.push(shown.to_string());
        }
    }

    /// The one R122 of the table, at its first such row, if any row was left out.
    pub(crate) fn report(self) -> Option<Diagnostic> {
        let first = self.rows.first()?.clone();
        // Table order (rows of group names were set aside before the placeholders); a row
        // read in both the 中期 and the 年度 group counts once.
        let mut seen = std::collections::HashSet::new();
        let mut rows: Vec<&Location> = self.rows.iter().filter(|l| seen.insert(place(l))).collect();
        rows.sort_by_key(|l| row_number(l));
        let first = rows.first().map_or(first, |l| (*l).clone());
        let places: Vec<String> = rows.iter().take(SHOWN).map(|l| place(l)).collect();
        let more = if rows.len() > SHOWN { " 等" } else { "" };
        let held = if self.examples.is_empty() {
            String::new()
        } else {
            format!("（“{}”）", self.examples.join("”“"))
        };
        Some(Diagnostic::info(
            "R122",
            format!(
                "指标表中 {} 行是占位{held}，没有三级指标和指标值，不是指标，未读取：{}{more}",
                rows.len(),
                places.join("、")
            ),
            first,
        ))
    }
}

/// The row a location names, for ordering: its line, or the row of its A1 cell.
fn row_number(l: &Location) -> u32 {
    l.line.unwrap_or_else(|| {
        l.cell
            .as_deref()
            .map(|c| c.trim_start_matches(|ch: char| ch.is_ascii_alphabetic()))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    })
}

/// A row's place as a clerk finds it: its cell (`B21`) or its line (`第 12 行`).
fn place(l: &Location) -> String {
    match (&l.cell, l.line) {
        (Some(cell), _) => cell.clone(),
        (None, Some(line)) => format!("第 {line} 行"),
        _ => l.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_and_named_rows() {
        let labels = Labels::standard();
        assert!(is_not_indicator(labels, "不适用", "不适用"));
        assert!(is_not_indicator(labels, " 不 适 用 ", ""));
        assert!(is_not_indicator(labels, "–", "–"));
        assert!(is_not_indicator(labels, "", ""));
        assert!(!is_not_indicator(labels, "不适用", "≥90%"));
        assert!(!is_not_indicator(labels, "经济效益", "不适用"));
        assert!(!is_not_indicator(labels, "无事故发生", ""));
    }

    #[test]
    fn one_report_per_table() {
        let mut n = NotIndicators::default();
        assert!(NotIndicators::default().report().is_none());
        for (i, cell) in ["B21", "B16", "B18", "B19", "B22", "B23", "B24"]
            .iter()
            .enumerate()
        {
            let loc = Location {
                cell: Some(cell.to_string()),
                ..Location::default()
            };
            n.push(
                loc,
                if i == 0 {
                    "其他满意度"
                } else {
                    "不适用"
                },
            );
        }
        let d = n.report().expect("a report");
        assert_eq!(d.code, "R122");
        assert_eq!(d.location.cell.as_deref(), Some("B16"));
        assert!(d.message.contains("7 行"), "{}", d.message);
        assert!(d.message.contains("“其他满意度”“不适用”"), "{}", d.message);
        assert!(
            d.message.contains("B16、B18、B19、B21、B22 等"),
            "{}",
            d.message
        );
    }
}
