//! Copied text: an indicator or goal that names a sibling project's subject instead of its own.
//!
//! Similar projects are written by copying one table and editing it; what was not edited
//! still names the other project's subject. The subjects are derived from the project names,
//! never listed: two names that share a head and/or tail and differ in one short middle part
//! (`城市低保` / `农村低保`: shared `低保`, parts `城市` / `农村`) contrast on those parts. Text
//! of one project that mentions the other's part but not its own is reported: an indicator
//! by its 三级指标, a goal sentence by sentence.
//!
//! Guards against noise: a part is 2–4 characters (one character, as in `一期`/`二期`, is too
//! common inside ordinary words), the shared part is at least as long as the differing parts
//! (so `城乡居民社会养老保险…` and `城乡养老保险待遇…` do not contrast), and neither part
//! contains the other.

use crate::text::name_key;
use crate::{COPIED, project_label};
use jixiao_model::framework::normalize_label;
use jixiao_model::{Diagnostic, Project};

const MIN_PART: usize = 2;
const MAX_PART: usize = 4;

/// What sets one project apart from a sibling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Contrast {
    /// This project's part of the name, e.g. `农村`.
    pub own: String,
    /// The sibling's part, e.g. `城市`.
    pub other: String,
    /// The sibling's index.
    pub sibling: usize,
}

/// For each project, its contrasts with every sibling.
pub(crate) fn contrasts(projects: &[Project]) -> Vec<Vec<Contrast>> {
    let keys: Vec<Vec<char>> = projects
        .iter()
        .map(|p| name_key(&p.project_name).chars().collect())
        .collect();
    (0..projects.len())
        .map(|i| {
            (0..projects.len())
                .filter(|&j| j != i)
                .filter_map(|j| {
                    contrast(&keys[i], &keys[j]).map(|(own, other)| Contrast {
                        own,
                        other,
                        sibling: j,
                    })
                })
                .collect()
        })
        .collect()
}

/// The differing middle parts of two names, when they are a short substitution.
fn contrast(a: &[char], b: &[char]) -> Option<(String, String)> {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let max_suffix = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    let own = &a[prefix..a.len() - suffix];
    let other = &b[prefix..b.len() - suffix];
    let fits = |p: &[char]| (MIN_PART..=MAX_PART).contains(&p.len());
    if !fits(own) || !fits(other) || prefix + suffix < own.len().max(other.len()) {
        return None;
    }
    let (own, other): (String, String) = (own.iter().collect(), other.iter().collect());
    (!own.contains(&other) && !other.contains(&own)).then_some((own, other))
}

/// The contrast a text betrays: it names the sibling's part and not its own.
fn betrayed<'c>(text: &str, own_name: &str, contrasts: &'c [Contrast]) -> Option<&'c Contrast> {
    let text = normalize_label(text);
    contrasts
        .iter()
        .find(|c| text.contains(&c.other) && !text.contains(&c.own) && !own_name.contains(&c.other))
}

/// Sentences of a goal: split at full stops, semicolons and question/exclamation marks.
fn sentences(goal: &str) -> impl Iterator<Item = &str> {
    goal.split(['。', '；', ';', '！', '!', '？', '?', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub(crate) fn check(
    project: &Project,
    projects: &[Project],
    contrasts: &[Contrast],
    out: &mut Vec<Diagnostic>,
) {
    if contrasts.is_empty() {
        return;
    }
    let own_name = name_key(&project.project_name);
    let name = project_label(project);
    let sibling = |c: &Contrast| project_label(&projects[c.sibling]);

    if let Some((sentence, c)) =
        sentences(&project.goal).find_map(|s| betrayed(s, &own_name, contrasts).map(|c| (s, c)))
    {
        let loc = project
            .goal_location
            .clone()
            .unwrap_or_else(|| project.location.clone());
        out.push(Diagnostic::warning(
            COPIED,
            format!(
                "项目{name}的总体目标写有“{}”：“{sentence}”，而本项目是“{}”；疑似从项目{}复制后未修改",
                c.other,
                c.own,
                sibling(c)
            ),
            loc,
        ));
    }
    for ind in &project.indicators {
        if let Some(c) = betrayed(&ind.level3, &own_name, contrasts) {
            out.push(Diagnostic::warning(
                COPIED,
                format!(
                    "项目{name}的三级指标“{}”写的是“{}”，而本项目是“{}”；疑似从项目{}复制后未修改",
                    ind.level3.trim(),
                    c.other,
                    c.own,
                    sibling(c)
                ),
                ind.location.clone(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(a: &str, b: &str) -> Option<(String, String)> {
        let (a, b): (Vec<char>, Vec<char>) =
            (name_key(a).chars().collect(), name_key(b).chars().collect());
        contrast(&a, &b)
    }

    fn pair(a: &str, b: &str) -> Option<(String, String)> {
        Some((a.to_string(), b.to_string()))
    }

    #[test]
    fn contrasts_from_names() {
        assert_eq!(c("城市低保", "农村低保"), pair("城市", "农村"));
        assert_eq!(c("城市低保项目", "农村低保"), pair("城市", "农村"));
        assert_eq!(
            c("2022年小学营养餐补助", "2022年初中营养餐补助"),
            pair("小学", "初中")
        );
        assert_eq!(c("一期工程", "二期工程"), None); // one character
        assert_eq!(c("城市低保", "城市低保"), None);
        assert_eq!(
            c(
                "城乡居民社会养老保险基金县级配套项目",
                "城乡养老保险待遇发放财政补贴项目"
            ),
            None
        );
        assert_eq!(
            c(
                "城乡居民社会养老保险基金县级配套项目",
                "城乡居民医疗保险县级配套"
            ),
            None
        );
        assert_eq!(c("城市低保", "城乡居民医疗保险县级配套"), None);
        assert_eq!(c("低保", "农村低保"), None);
    }

    #[test]
    fn text_naming_the_sibling() {
        let cs = [Contrast {
            own: "农村".into(),
            other: "城市".into(),
            sibling: 0,
        }];
        assert!(betrayed("城市低保政策知晓率", "农村低保", &cs).is_some());
        assert!(betrayed("农村低保政策知晓率", "农村低保", &cs).is_none());
        assert!(betrayed("城市和农村低保对象", "农村低保", &cs).is_none());
        assert!(betrayed("建立实施城乡低保制度", "农村低保", &cs).is_none());
    }
}
