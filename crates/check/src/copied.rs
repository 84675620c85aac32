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
/// More names than this alike but for a short part are a series, not siblings (see
/// [`contrasts`]).
const MAX_SERIES: usize = 64;
/// Names longer than this many characters are not compared (the longest real project names
/// are under a hundred).
const MAX_NAME: usize = 200;

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

/// For each project, its contrasts with its siblings: for each distinct (own, other) pair,
/// the first sibling (lowest index) that gives it, in sibling order. [`betrayed`] returns the
/// first contrast a text betrays, so a later sibling with the same pair could never be named.
///
/// Linear in the projects (times a name's length), not quadratic: two names contrast only
/// when they are the same but for a middle part of [`MIN_PART`]–[`MAX_PART`] characters, so
/// every name is filed under each (prefix, suffix) it leaves around such a part, and only
/// names filed together are compared — and each distinct name once, however many projects
/// share it. Names alike but for a short part in more than [`MAX_SERIES`] ways are a series
/// (numbered or generated names), not siblings told apart by that part: they are not
/// compared, and a project keeps at most [`MAX_SERIES`] contrasts (its first siblings).
pub(crate) fn contrasts(projects: &[Project]) -> Vec<Vec<Contrast>> {
    use std::collections::{BTreeSet, HashMap};
    // Distinct names, each with the projects that bear it (in order).
    let mut names: Vec<Vec<char>> = Vec::new();
    let mut bearers: Vec<Vec<usize>> = Vec::new();
    let mut name_of = Vec::with_capacity(projects.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, p) in projects.iter().enumerate() {
        let key = name_key(&p.project_name);
        let id = *seen.entry(key).or_insert_with_key(|k| {
            names.push(k.chars().collect());
            bearers.push(Vec::new());
            names.len() - 1
        });
        bearers[id].push(i);
        name_of.push(id);
    }
    // (prefix, suffix) around a middle part of MIN_PART..=MAX_PART characters → names.
    // Filed by the lengths and hashes of prefix and suffix (every pair filed together is
    // compared exactly below, so a hash collision costs a comparison, never a wrong result):
    // hashing the slices themselves made a long name cost the square of its length.
    let mut filed: HashMap<(usize, u64, usize, u64), Vec<usize>> = HashMap::new();
    // One name has no sibling; a name longer than any project's is no sibling's either (a
    // paragraph pasted into the name cell), and filing it would take memory by its length.
    let comparable = names.len() > 1;
    for (id, name) in names
        .iter()
        .enumerate()
        .filter(|(_, n)| comparable && n.len() <= MAX_NAME)
    {
        let (prefix, suffix) = affix_hashes(name);
        for len in MIN_PART..=MAX_PART.min(name.len()) {
            for (start, &before) in prefix.iter().enumerate().take(name.len() - len + 1) {
                let end = start + len;
                filed
                    .entry((start, before, name.len() - end, suffix[end]))
                    .or_default()
                    .push(id);
            }
        }
    }
    // Pairs of distinct names that contrast.
    let mut pairs: Vec<Vec<(usize, String, String)>> = vec![Vec::new(); names.len()];
    let mut tried: BTreeSet<(usize, usize)> = BTreeSet::new();
    for ids in filed.values().filter(|ids| ids.len() <= MAX_SERIES + 1) {
        for (k, &a) in ids.iter().enumerate() {
            for &b in &ids[k + 1..] {
                if a == b || !tried.insert((a.min(b), a.max(b))) {
                    continue;
                }
                if let Some((own, other)) = contrast(&names[a], &names[b]) {
                    pairs[a].push((b, own.clone(), other.clone()));
                    pairs[b].push((a, other, own));
                }
            }
        }
    }
    (0..projects.len())
        .map(|i| {
            // The siblings of every contrasting name, in sibling order; one per (own, other).
            let mut all: Vec<Contrast> = pairs[name_of[i]]
                .iter()
                .flat_map(|(b, own, other)| {
                    bearers[*b].iter().take(1).map(|&j| Contrast {
                        own: own.clone(),
                        other: other.clone(),
                        sibling: j,
                    })
                })
                .collect();
            all.sort_by_key(|c| c.sibling);
            let mut kept: BTreeSet<(String, String)> = BTreeSet::new();
            all.retain(|c| kept.insert((c.own.clone(), c.other.clone())));
            all.truncate(MAX_SERIES);
            all
        })
        .collect()
}

/// Polynomial hashes of every prefix (`prefix[i]` of `name[..i]`) and every suffix
/// (`suffix[j]` of `name[j..]`), each in one pass.
fn affix_hashes(name: &[char]) -> (Vec<u64>, Vec<u64>) {
    const BASE: u64 = 0x100_0000_01b3; // the FNV prime: odd, so no information is lost
    let mut prefix = Vec::with_capacity(name.len() + 1);
    let mut h = 0u64;
    prefix.push(h);
    for &c in name {
        h = h.wrapping_mul(BASE).wrapping_add(u64::from(c));
        prefix.push(h);
    }
    let mut suffix = vec![0u64; name.len() + 1];
    let mut h = 0u64;
    for (i, &c) in name.iter().enumerate().rev() {
        h = h.wrapping_mul(BASE).wrapping_add(u64::from(c));
        suffix[i] = h;
    }
    (prefix, suffix)
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
        out.push(Diagnostic::new(
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
            out.push(Diagnostic::new(
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

    fn project(name: &str) -> Project {
        Project {
            project_name: name.to_string(),
            ..Project::default()
        }
    }

    /// The pairwise definition, as first written: every sibling, in order, one per pair.
    fn contrasts_pairwise(projects: &[Project]) -> Vec<Vec<Contrast>> {
        let keys: Vec<Vec<char>> = projects
            .iter()
            .map(|p| name_key(&p.project_name).chars().collect())
            .collect();
        (0..projects.len())
            .map(|i| {
                let mut seen = std::collections::BTreeSet::new();
                (0..projects.len())
                    .filter(|&j| j != i)
                    .filter_map(|j| {
                        contrast(&keys[i], &keys[j]).map(|(own, other)| Contrast {
                            own,
                            other,
                            sibling: j,
                        })
                    })
                    .filter(|c| seen.insert((c.own.clone(), c.other.clone())))
                    .collect()
            })
            .collect()
    }

    proptest::proptest! {
        /// Filing names by prefix and suffix finds exactly the contrasts of comparing every
        /// pair (names from a few parts, so that many are alike).
        #[test]
        fn filed_contrasts_are_the_pairwise_ones(picks in proptest::collection::vec(
            proptest::collection::vec(0usize..8, 1..5), 0..30)) {
            let parts = ["城市", "农村", "低保", "小学", "初中", "营养餐", "县级配套", "补助"];
            let projects: Vec<Project> = picks
                .iter()
                .map(|p| project(&p.iter().map(|&i| parts[i]).collect::<String>()))
                .collect();
            proptest::prop_assert_eq!(contrasts(&projects), contrasts_pairwise(&projects));
        }
    }

    #[test]
    fn a_long_name_costs_its_length_not_its_square() {
        // Names differing in a middle part of two: told apart up to MAX_NAME characters;
        // longer "names" (a paragraph pasted into the cell; the html fuzz target's 20,000
        // characters; a 3,000,000-character JSON name took 1.8 GB to file) are no siblings.
        let (a, b) = ("甲".repeat(MAX_NAME / 2 - 1), "乙".repeat(MAX_NAME / 2 - 1));
        let projects = [
            project(&format!("{a}城市{b}")),
            project(&format!("{a}农村{b}")),
        ];
        let all = contrasts(&projects);
        assert_eq!(all[0].len(), 1);
        assert_eq!(
            (all[0][0].own.as_str(), all[0][0].other.as_str()),
            ("城市", "农村")
        );
        let (a, b) = ("甲".repeat(1_000_000), "乙".repeat(1_000_000));
        let projects = [
            project(&format!("{a}城市{b}")),
            project(&format!("{a}农村{b}")),
        ];
        assert!(contrasts(&projects).iter().all(Vec::is_empty));
        // One project alone has no sibling, whatever its name.
        assert!(contrasts(&[project(&a)])[0].is_empty());
    }

    #[test]
    fn a_large_county_is_not_compared_pair_by_pair() {
        // 5,000 projects under 8 names: each distinct name is compared with its kind once.
        let names = ["城市低保", "农村低保", "小学营养餐补助", "初中营养餐补助"];
        let projects: Vec<Project> = (0..5_000).map(|i| project(names[i % 4])).collect();
        let all = contrasts(&projects);
        assert_eq!(
            all[0],
            vec![Contrast {
                own: "城市".into(),
                other: "农村".into(),
                sibling: 1
            }]
        );
        assert_eq!(all[4999][0].sibling, 2);
        // A numbered series: no project carries more than MAX_SERIES contrasts.
        let series: Vec<Project> = (0..2_000)
            .map(|i| project(&format!("甲乙{i:04}丙")))
            .collect();
        assert!(contrasts(&series).iter().all(|c| c.len() <= MAX_SERIES));
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
