//! Names broken over lines or paragraphs, and rows that hold only group names.
//!
//! A level-1/level-2 name too wide for its cell wraps, and text taken from a page gives the
//! pieces as separate lines or paragraphs: `经济效益` / `指标`, `项目完成` / `指标`,
//! `可持续影响` / `指标`; a column heading does the same (`一级` / `指标`). Whether two pieces
//! are one name is form knowledge: they are when together they make a name of the framework
//! (`templates/framework.toml`) or a column heading of the indicator table
//! (`templates/labels.toml`) and the second piece alone is neither. The joined name is the
//! two pieces as written, one after the other.
//!
//! The same wrapping leaves rows that hold only a group name (`项目效益` on a line of its own
//! above `社会效益` / `指标` and the indicators they head): such a row is no indicator but the
//! label of the rows below it, as the anchor of a merged cell is ([`label_row`]).

use crate::indicators::label_name;
use crate::labels;
use jixiao_model::framework::{Framework, Labels, normalize_label};

/// A wrapped tail is a word or two (`指标`, `效益指标`, `(50分)`); a longer piece is text of
/// its own.
const MAX_TAIL: usize = 6;

/// The name `head` and `tail` make together when `tail` is the rest of a name that wrapped:
/// together they are a level-1/level-2 name of the framework or an indicator column heading,
/// and `tail` alone is none of these. The pieces are joined as written.
/// `经济效益` + `指标` → `经济效益指标`; `产出指标` + `数量指标` → none (see the tests below).
pub(crate) fn joined_label(fw: &Framework, v: &Labels, head: &str, tail: &str) -> Option<String> {
    let (head, tail) = (head.trim(), tail.trim());
    let tail_name = normalize_label(tail);
    if head.is_empty()
        || tail_name.is_empty()
        || tail_name.chars().count() > MAX_TAIL
        || is_level(fw, tail)
    {
        return None;
    }
    if labels::column(v, tail).is_some() {
        // `年度` / `指标值`: the tail is a heading of its own. Joining it would make the
        // heading whole, but the headings around it (`实际` / `完成值`, `偏差原因` / `分析及` /
        // `改进措施`) would still be pieces, and a header read in part misreads every row.
        return None;
    }
    let joined = format!("{head}{tail}");
    let level = is_level(fw, &joined) && label_name(&joined) != label_name(head);
    let column = labels::column(v, &joined).is_some() && labels::column(v, head).is_none();
    (level || column).then_some(joined)
}

/// The name `head` and `tail` make together when `tail` is only the score band of the group
/// name `head`, written on a line of its own (`产出指标` + `(50)`, `效益指标` + `30分)`). The
/// pieces are joined as written; the band is dropped from the name shown, as for any band.
pub(crate) fn joined_band(fw: &Framework, head: &str, tail: &str) -> Option<String> {
    let (head, tail) = (head.trim(), tail.trim());
    let t = normalize_label(tail);
    let marked = t.contains(['(', ')', '分']);
    let body = t.trim_matches(['(', ')']);
    let body = body.strip_suffix('分').unwrap_or(body);
    let band = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '~'));
    (marked && band && is_level(fw, head) && !head.contains(['(', '（']))
        .then(|| format!("{head}{tail}"))
}

/// True when `text` names a level 1 or a level 2 (score band and spaces aside).
pub(crate) fn is_level(fw: &Framework, text: &str) -> bool {
    let name = label_name(text);
    !name.is_empty() && (fw.level1(&name).is_some() || fw.level2(&name).is_some())
}

/// The level-1 and level-2 names of a row of the indicator table that holds nothing else
/// (`项目效益` alone on a line; `效益指标 | 社会效益指标` with no 三级指标 or value), in the
/// order written: `(level1, level2)`. A name that is both (成本指标) is the level 1 when a
/// level 2 follows it, else the level 2. Section headings (`绩效指标`) are passed over. `None`
/// when any cell holds other text or there is no name at all.
pub(crate) fn label_row(
    fw: &Framework,
    v: &Labels,
    texts: &[&str],
) -> Option<(Option<String>, Option<String>)> {
    let names: Vec<&str> = texts
        .iter()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty() && !labels::is_section_heading(v, t))
        .collect();
    if names.is_empty() || names.len() > 2 || !names.iter().all(|t| is_level(fw, t)) {
        return None;
    }
    let l1 = |t: &str| fw.level1(&label_name(t)).is_some();
    let l2 = |t: &str| fw.level2(&label_name(t)).is_some();
    match names.as_slice() {
        [a, b] if l1(a) && l2(b) => Some((Some(a.to_string()), Some(b.to_string()))),
        [a] if l2(a) => Some((None, Some(a.to_string()))),
        [a] if l1(a) => Some((Some(a.to_string()), None)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_names_join_when_the_form_knows_the_whole() {
        let fw = Framework::standard();
        let v = &fw.labels;
        let j = |a, b| joined_label(fw, v, a, b);
        assert_eq!(j("经济效益", "指标").as_deref(), Some("经济效益指标"));
        assert_eq!(j("项目完成", "指标").as_deref(), Some("项目完成指标"));
        assert_eq!(j("可持续影响", "指标").as_deref(), Some("可持续影响指标"));
        assert_eq!(j("一级", "指标").as_deref(), Some("一级指标"));
        assert_eq!(j("年度", "指标值"), None);
        // The tail is a name of its own, or the whole is none.
        assert_eq!(j("产出指标", "数量指标"), None);
        assert_eq!(j("受益人口", "指标"), None);
        assert_eq!(j("产出指标", "群众满意度达到较高水平"), None);
        assert_eq!(j("", "指标"), None);
    }

    /// Labels match by meaning: Traditional characters, widths and spaces aside.
    #[test]
    fn traditional_labels_read_as_simplified() {
        let fw = Framework::standard();
        let v = &fw.labels;
        assert_eq!(
            labels::label(v, "項目名稱："),
            Some(labels::Label::ProjectName)
        );
        assert_eq!(labels::column(v, "績效 指標 值"), None); // no such column
        assert_eq!(labels::column(v, "三級指標"), Some(labels::Column::Level3));
        assert_eq!(fw.level1("產出指標"), Some("产出指标"));
        assert_eq!(fw.level2("滿意度指標"), Some("服务对象满意度指标"));
        assert!(is_level(fw, "經濟效益指標"));
        assert_eq!(
            joined_label(fw, v, "經濟效益", "指標").as_deref(),
            Some("經濟效益指標")
        );
    }

    #[test]
    fn rows_of_group_names_only() {
        let fw = Framework::standard();
        let v = &fw.labels;
        assert_eq!(
            label_row(fw, v, &["项目效益指标"]),
            Some((Some("项目效益指标".into()), None))
        );
        assert_eq!(
            label_row(fw, v, &["", "社会效益指标", ""]),
            Some((None, Some("社会效益指标".into())))
        );
        assert_eq!(
            label_row(fw, v, &["绩效指标", "效益指标", "社会效益指标"]),
            Some((Some("效益指标".into()), Some("社会效益指标".into())))
        );
        assert_eq!(
            label_row(fw, v, &["成本指标"]),
            Some((None, Some("成本指标".into())))
        );
        assert_eq!(label_row(fw, v, &["数量指标", "发放人数"]), None);
        assert_eq!(label_row(fw, v, &["", ""]), None);
    }
}
