//! Sheet names from project names, within Excel's rules.

use crate::Warned;
use jixiao_model::{Code, Diagnostic, Document};
use std::collections::{HashMap, HashSet};

/// The name of the summary sheet.
pub const SUMMARY_SHEET: &str = "汇总表";

/// Excel's longest sheet name, in UTF-16 units.
const MAX_LEN: usize = 31;

/// The characters Excel forbids in sheet names, and the full-width forms put in their place
/// (they read the same in a Chinese name and are allowed).
const FORBIDDEN: &[(char, char)] = &[
    ('[', '［'),
    (']', '］'),
    (':', '：'),
    ('*', '＊'),
    ('?', '？'),
    ('/', '／'),
    ('\\', '＼'),
];

/// The sheet name of each project, in order: the project name, made to follow Excel's rules —
/// at most 31 characters, none of `[]:*?/\`, not starting or ending with `'`, unique among
/// the sheets as Excel compares them (ignoring case) and never [`SUMMARY_SHEET`] when the
/// workbook has a summary sheet. Every change is reported as a diagnostic (X401 shortened,
/// X402 characters replaced, X403 made unique, X404 named for a project without a name);
/// none is an error.
///
/// ```
/// use jixiao_model::{Document, Project};
/// let doc = Document { projects: vec![
///     Project { project_name: "城市低保".into(), ..Project::default() },
///     Project { project_name: "城市低保".into(), ..Project::default() },
///     Project { project_name: "a/b".into(), ..Project::default() },
/// ], ..Document::default() };
/// let names = jixiao_xlsx::sheet_names(&doc, true);
/// assert_eq!(names.output, ["城市低保", "城市低保(2)", "a／b"]);
/// assert_eq!(names.diagnostics.len(), 2);
/// ```
pub fn sheet_names(doc: &Document, with_summary: bool) -> Warned<Vec<String>> {
    let mut used: HashSet<String> = HashSet::from([fold("History")]);
    if with_summary {
        used.insert(fold(SUMMARY_SHEET));
    }
    let mut names = Vec::new();
    let mut warnings = Vec::new();
    // For each name taken more than once, the suffix to try next: thousands of projects of
    // one name cost one probe each, not one per earlier copy.
    let mut next: HashMap<String, u32> = HashMap::new();
    for (i, p) in doc.projects.iter().enumerate() {
        let source = p.project_name.trim();
        let mut reasons: Vec<(Code, String)> = Vec::new();
        let mut name = if source.is_empty() {
            reasons.push((Code::X404, format!("第 {} 个项目没有项目名称", i + 1)));
            format!("项目{}", i + 1)
        } else {
            source.to_string()
        };

        let cleaned = clean(&name);
        if cleaned != name {
            reasons.push((
                Code::X402,
                "项目名称含有工作表名不允许的字符（[]:*?/\\、首尾的 ' 或换行），已换成全角字符"
                    .to_string(),
            ));
            name = cleaned;
        }
        if utf16_len(&name) > MAX_LEN {
            reasons.push((
                Code::X401,
                format!("项目名称超过工作表名的 {MAX_LEN} 个字符，已截短"),
            ));
            name = truncate_utf16(&name, MAX_LEN);
        }
        if used.contains(&fold(&name)) {
            let base = name.clone();
            let n = next.entry(fold(&base)).or_insert(2);
            loop {
                let suffix = format!("({})", *n);
                let candidate = format!(
                    "{}{suffix}",
                    truncate_utf16(&base, MAX_LEN - utf16_len(&suffix))
                );
                *n += 1;
                if !used.contains(&fold(&candidate)) {
                    name = candidate;
                    break;
                }
            }
            reasons.push((
                Code::X403,
                "工作表名与前面的工作表重复（不区分大小写），已加序号区分".to_string(),
            ));
        }
        used.insert(fold(&name));
        for (code, why) in reasons {
            warnings.push(Diagnostic::new(
                code,
                format!("{why}：项目“{}”的工作表名为“{name}”", p.project_name),
                p.location.clone(),
            ));
        }
        names.push(name);
    }
    Warned {
        output: names,
        diagnostics: warnings,
    }
}

/// Replaces what Excel forbids: the characters in [`FORBIDDEN`], control characters (line
/// breaks become spaces), and an apostrophe at either end (`’` instead).
fn clean(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            FORBIDDEN
                .iter()
                .find(|(bad, _)| *bad == c)
                .map_or(if c.is_control() { ' ' } else { c }, |(_, good)| *good)
        })
        .collect();
    if s.starts_with('\'') {
        s.replace_range(..1, "’");
    }
    if s.ends_with('\'') {
        s.truncate(s.len() - 1);
        s.push('’');
    }
    s
}

/// How Excel compares sheet names: ignoring case.
fn fold(name: &str) -> String {
    name.to_lowercase()
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The longest prefix of `s` with at most `max` UTF-16 units (never splitting a character).
pub(crate) fn truncate_utf16(s: &str, max: usize) -> String {
    let mut len = 0;
    s.chars()
        .take_while(|c| {
            len += c.len_utf16();
            len <= max
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jixiao_model::Project;

    fn names(projects: &[&str], with_summary: bool) -> (Vec<String>, Vec<String>) {
        let doc = Document {
            projects: projects
                .iter()
                .map(|n| Project {
                    project_name: n.to_string(),
                    ..Project::default()
                })
                .collect(),
            ..Document::default()
        };
        let w = sheet_names(&doc, with_summary);
        (
            w.output,
            w.diagnostics
                .into_iter()
                .map(|d| d.code.to_string())
                .collect(),
        )
    }

    #[test]
    fn long_names_are_shortened_to_31() {
        let long = "城乡居民基本医疗保险县级财政配套资金及困难群众参保资助补贴和医疗救助项目";
        assert!(long.chars().count() > 31);
        let (n, codes) = names(&[long], false);
        assert_eq!(n[0].chars().count(), 31);
        assert!(long.starts_with(&n[0]));
        assert_eq!(codes, ["X401"]);
    }

    #[test]
    fn forbidden_characters_become_full_width() {
        let (n, codes) = names(&["[a]:b*c?d/e\\f", "'引号'", "两行\n名称"], false);
        assert_eq!(n, ["［a］：b＊c？d／e＼f", "’引号’", "两行 名称"]);
        assert_eq!(codes, ["X402", "X402", "X402"]);
    }

    #[test]
    fn duplicates_get_numbers_ignoring_case_and_the_summary_name() {
        let (n, codes) = names(&["Abc", "aBC", "abc", "汇总表", "history"], true);
        assert_eq!(n, ["Abc", "aBC(2)", "abc(3)", "汇总表(2)", "history(2)"]);
        assert_eq!(codes, ["X403"; 4]);
        let (n, _) = names(&["汇总表"], false);
        assert_eq!(n, ["汇总表"]);
    }

    #[test]
    fn a_shortened_duplicate_still_fits() {
        let long = "一".repeat(40);
        let (n, codes) = names(&[&long, &long], false);
        assert_eq!(n[0], "一".repeat(31));
        assert_eq!(n[1], format!("{}(2)", "一".repeat(28)));
        assert_eq!(codes, ["X401", "X401", "X403"]);
    }

    #[test]
    fn empty_names_are_numbered() {
        let (n, codes) = names(&["", "  "], false);
        assert_eq!(n, ["项目1", "项目2"]);
        assert_eq!(codes, ["X404", "X404"]);
    }

    #[test]
    fn non_bmp_characters_count_twice() {
        let name = "𠀀".repeat(20);
        let (n, _) = names(&[&name], false);
        assert_eq!(n[0], "𠀀".repeat(15));
    }
}
