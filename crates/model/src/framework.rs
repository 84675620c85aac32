//! The indicator framework (绩效指标体系), read from `templates/framework.toml`.
//!
//! It knows the level-1 and level-2 names of the 88号 and 101号 schemes, their aliases, which
//! level 2 belongs under which level 1, and which level 2 a level-3 name fits. The recognizer
//! uses it to repair damaged tables; the review checks use it to judge them.
//!
//! ```
//! use jixiao_model::framework::Framework;
//! let fw = Framework::standard();
//! assert_eq!(fw.level2("社会公众或服务对象满意度指标"), Some("服务对象满意度指标"));
//! assert!(fw.allows("产出指标", "成本指标"));
//! assert_eq!(fw.classify("农村低保救助补助覆盖率", None), Some("质量指标"));
//! assert_eq!(fw.classify("资金发放及时率", None), Some("时效指标"));
//! ```

use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The framework shipped in `templates/framework.toml`.
pub const STANDARD_TOML: &str = include_str!("../../../templates/framework.toml");

/// The form's label vocabulary shipped in `templates/labels.toml`.
pub const LABELS_TOML: &str = include_str!("../../../templates/labels.toml");

/// The form's vocabulary (`templates/labels.toml`): the names of header-block labels, indicator
/// table columns, summary columns, rows that are no indicators and the words that name a table's
/// kind. Each list holds names as [`normalize_label`] returns them. See the TOML file for what
/// each list means.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[allow(missing_docs)] // each field is documented in templates/labels.toml
pub struct Labels {
    pub budget_unit: Vec<String>,
    pub implementing_unit: Vec<String>,
    pub parent_unit: Vec<String>,
    pub project_code: Vec<String>,
    pub project_name: Vec<String>,
    pub funds_total: Vec<String>,
    pub midterm_funds_total: Vec<String>,
    pub funds_fiscal: Vec<String>,
    pub funds_fiscal_parts: Vec<String>,
    pub fiscal_sources: Vec<String>,
    pub fiscal_levels: Vec<String>,
    pub fiscal_part_endings: Vec<String>,
    pub fiscal_words_not: Vec<String>,
    pub funds_other: Vec<String>,
    pub funds_basic: Vec<String>,
    pub funds_project: Vec<String>,
    pub funds_group: Vec<String>,
    pub goal: Vec<String>,
    pub midterm_goal_prefix: Vec<String>,
    pub level1: Vec<String>,
    pub level2: Vec<String>,
    pub level3: Vec<String>,
    pub value: Vec<String>,
    pub value_prefix: Vec<String>,
    pub midterm_value_prefix: Vec<String>,
    pub unit: Vec<String>,
    pub sign: Vec<String>,
    pub actual: Vec<String>,
    pub weight: Vec<String>,
    pub score: Vec<String>,
    pub deviation_prefix: Vec<String>,
    pub other_columns: Vec<String>,
    pub not_indicator_rows: Vec<String>,
    pub execution_rows: Vec<String>,
    pub grade: Vec<String>,
    pub initial_budget_prefix: Vec<String>,
    pub annual_budget_prefix: Vec<String>,
    pub executed_prefix: Vec<String>,
    pub execution_rate_prefix: Vec<String>,
    pub funds_carryover: Vec<String>,
    pub goal_expected: Vec<String>,
    pub goal_achieved: Vec<String>,
    pub placeholders: Vec<String>,
    pub section_headings: Vec<String>,
    pub period_midterm: Vec<String>,
    pub period_annual: Vec<String>,
    pub amount_words: Vec<String>,
    pub amount_words_not: Vec<String>,
    pub amount_caption_prefix: Vec<String>,
    pub value_subheading_words: Vec<String>,
    pub table_end: Vec<String>,
    pub summary_seq: Vec<String>,
    pub summary_department: Vec<String>,
    pub summary_project_name: Vec<String>,
    pub summary_funds_prefix: Vec<String>,
    pub kind_self_evaluation: Vec<String>,
    pub kind_approval: Vec<String>,
    pub kind_department: Vec<String>,
    pub kind_declaration: Vec<String>,
}

impl Labels {
    /// Reads a vocabulary from TOML text (the format of `templates/labels.toml`); names are
    /// normalised with [`normalize_label`].
    ///
    /// # Errors
    /// The TOML syntax error, or an unknown key, as text.
    pub fn from_toml(text: &str) -> Result<Labels, String> {
        let mut labels: Labels = toml::from_str(text).map_err(|e| e.to_string())?;
        labels.for_each_list(|list| {
            for name in list.iter_mut() {
                *name = normalize_label(name);
            }
        });
        Ok(labels)
    }

    /// The vocabulary compiled into the program.
    pub fn standard() -> &'static Labels {
        static LABELS: OnceLock<Labels> = OnceLock::new();
        LABELS
            .get_or_init(|| Labels::from_toml(LABELS_TOML).expect("templates/labels.toml is valid"))
    }

    /// Adds the names of `more` to each list (names already present are not repeated).
    pub fn extend(&mut self, mut more: Labels) {
        let mut extra: Vec<Vec<String>> = Vec::new();
        more.for_each_list(|list| extra.push(std::mem::take(list)));
        let mut extra = extra.into_iter();
        self.for_each_list(|list| {
            for name in extra.next().unwrap_or_default() {
                let name = normalize_label(&name);
                if !name.is_empty() && !list.contains(&name) {
                    list.push(name);
                }
            }
        });
    }

    fn for_each_list(&mut self, mut f: impl FnMut(&mut Vec<String>)) {
        for list in [
            &mut self.budget_unit,
            &mut self.implementing_unit,
            &mut self.parent_unit,
            &mut self.project_code,
            &mut self.project_name,
            &mut self.funds_total,
            &mut self.midterm_funds_total,
            &mut self.funds_fiscal,
            &mut self.funds_fiscal_parts,
            &mut self.fiscal_sources,
            &mut self.fiscal_levels,
            &mut self.fiscal_part_endings,
            &mut self.fiscal_words_not,
            &mut self.funds_other,
            &mut self.funds_basic,
            &mut self.funds_project,
            &mut self.funds_group,
            &mut self.goal,
            &mut self.midterm_goal_prefix,
            &mut self.level1,
            &mut self.level2,
            &mut self.level3,
            &mut self.value,
            &mut self.value_prefix,
            &mut self.midterm_value_prefix,
            &mut self.unit,
            &mut self.sign,
            &mut self.actual,
            &mut self.weight,
            &mut self.score,
            &mut self.deviation_prefix,
            &mut self.other_columns,
            &mut self.not_indicator_rows,
            &mut self.execution_rows,
            &mut self.grade,
            &mut self.initial_budget_prefix,
            &mut self.annual_budget_prefix,
            &mut self.executed_prefix,
            &mut self.execution_rate_prefix,
            &mut self.funds_carryover,
            &mut self.goal_expected,
            &mut self.goal_achieved,
            &mut self.placeholders,
            &mut self.section_headings,
            &mut self.period_midterm,
            &mut self.period_annual,
            &mut self.amount_words,
            &mut self.amount_words_not,
            &mut self.amount_caption_prefix,
            &mut self.value_subheading_words,
            &mut self.table_end,
            &mut self.summary_seq,
            &mut self.summary_department,
            &mut self.summary_project_name,
            &mut self.summary_funds_prefix,
            &mut self.kind_self_evaluation,
            &mut self.kind_approval,
            &mut self.kind_department,
            &mut self.kind_declaration,
        ] {
            f(list);
        }
    }
}

/// One scheme (88号 or 101号): its level-1 groups and the level 2 each allows.
#[derive(Debug, Clone, Deserialize)]
pub struct Scheme {
    /// Short id, e.g. `88号`.
    pub id: String,
    /// The document that defines it.
    pub title: String,
    /// The level-1 groups in form order.
    pub level1: Vec<Level1>,
}

/// A level-1 group and the level-2 names it allows.
#[derive(Debug, Clone, Deserialize)]
pub struct Level1 {
    /// Canonical level-1 name.
    pub name: String,
    /// Canonical level-2 names allowed under it.
    pub level2: Vec<String>,
}

/// Keywords that make a level-3 name fit a level 2.
#[derive(Debug, Clone, Deserialize)]
pub struct Class {
    /// Canonical level-2 name.
    pub level2: String,
    /// Words in a level-3 name that suggest this level 2.
    pub keywords: Vec<String>,
    /// Value units that suggest it when the name says nothing.
    #[serde(default)]
    pub units: Vec<String>,
}

/// The whole framework.
#[derive(Debug, Clone, Deserialize)]
pub struct Framework {
    /// The schemes, 88号 first.
    pub scheme: Vec<Scheme>,
    /// Alias → canonical name.
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Level-3 classification keywords.
    #[serde(default)]
    pub classify: Vec<Class>,
    /// Canonical level-2 names whose targets must be quantified (数量/质量/时效/成本 …).
    #[serde(default)]
    pub quantified: Vec<String>,
    /// The canonical level-2 name of satisfaction targets (服务对象满意度指标), proportions of
    /// 0–100%; absent in a framework that does not say (then nothing is judged satisfaction).
    #[serde(default)]
    pub satisfaction: Option<String>,
    /// The form's label vocabulary: `templates/labels.toml`, plus the names a `[labels]`
    /// table of this framework's TOML adds.
    #[serde(default)]
    pub labels: Labels,
    /// Lookups compiled from the fields above on first use (see [`Index`]).
    #[serde(skip)]
    index: OnceLock<Index>,
}

/// What [`Framework::level1`], [`Framework::level2`] and [`Framework::classify`] look up,
/// compiled once from the framework: a recognizer asks them about every cell, several times.
#[derive(Debug, Clone)]
struct Index {
    /// A normalized name (name, alias, or either without its `指标` suffix) → its canonical
    /// level-1 and level-2 names. A normalized text not in it is neither.
    names: rustc_hash::FxHashMap<String, (Option<String>, Option<String>)>,
    /// Every classification keyword, in framework order: (class, keyword) per pattern.
    keywords: aho_corasick::AhoCorasick,
    classes: Vec<usize>,
}

impl Index {
    fn build(fw: &Framework) -> Index {
        let mut keys: Vec<&str> = fw
            .names()
            .chain(fw.aliases.keys().map(String::as_str))
            .collect();
        let stripped: Vec<&str> = keys.iter().filter_map(|k| k.strip_suffix("指标")).collect();
        keys.extend(stripped);
        let names = keys
            .into_iter()
            .map(|k| {
                let k = normalize_label(k);
                let l1 = fw.canonical(&k, |n| fw.is_level1(n)).map(str::to_string);
                let l2 = fw.canonical(&k, |n| fw.is_level2(n)).map(str::to_string);
                (k, (l1, l2))
            })
            .collect();
        let mut patterns = Vec::new();
        let mut classes = Vec::new();
        for (i, class) in fw.classify.iter().enumerate() {
            for kw in &class.keywords {
                patterns.push(kw.as_str());
                classes.push(i);
            }
        }
        let keywords = aho_corasick::AhoCorasick::new(&patterns)
            .expect("classification keywords are a handful of short strings");
        Index {
            names,
            keywords,
            classes,
        }
    }
}

/// Which scheme a table follows, and the indicators that do not fit it.
#[derive(Debug, Clone)]
pub struct Fit<'a> {
    /// The scheme that fits best (fewest misplaced indicators; the first listed on a tie).
    pub scheme: &'a Scheme,
    /// Indexes (into the pairs given to [`Framework::fit`]) of the level-1/level-2 pairs
    /// that this scheme does not allow.
    pub misfits: Vec<usize>,
}

/// Removes whitespace, folds full-width ASCII and brackets, folds the Traditional characters
/// of the vocabulary ([`crate::traditional`]) and drops a trailing colon, so `一级\n指标`,
/// `数量指标（或建筑规模指标）`, `項目名稱：` and `项目名称：` compare as written in the
/// template. The result is a key for comparing, never output.
pub fn normalize_label(s: &str) -> String {
    // One pass, one allocation: [`crate::value::fold_width`], then the rest, char by char.
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let c = crate::value::fold_width_char(c);
        if c.is_whitespace() || c == '*' {
            continue;
        }
        out.push(match c {
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            _ => crate::traditional::simplified(c),
        });
    }
    while out.ends_with(':') {
        out.pop();
    }
    out
}

impl Framework {
    /// The framework compiled into the program.
    pub fn standard() -> &'static Framework {
        static FW: OnceLock<Framework> = OnceLock::new();
        FW.get_or_init(|| {
            Framework::from_toml(STANDARD_TOML).expect("templates/framework.toml is valid")
        })
    }

    /// Reads a framework from TOML text.
    ///
    /// # Errors
    ///
    /// The TOML parser's message (with line and column) when the text is not TOML or not of
    /// the framework's shape.
    pub fn from_toml(text: &str) -> Result<Framework, String> {
        let mut fw: Framework = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut labels = Labels::standard().clone();
        labels.extend(std::mem::take(&mut fw.labels));
        fw.labels = labels;
        Ok(fw)
    }

    /// The canonical form of a name if it is a known level-1 or level-2 name or alias.
    fn canonical<'a>(&'a self, name: &str, known: impl Fn(&str) -> bool) -> Option<&'a str> {
        let n = normalize_label(name);
        if n.is_empty() {
            return None;
        }
        let with_suffix = format!("{n}指标");
        for cand in [n.as_str(), with_suffix.as_str()] {
            if let Some(found) = self.names().find(|k| *k == cand && known(k)) {
                return Some(found);
            }
            if let Some(target) = self.aliases.get(cand).filter(|t| known(t)) {
                return self.names().find(|k| *k == target.as_str());
            }
        }
        None
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.scheme
            .iter()
            .flat_map(|s| s.level1.iter())
            .flat_map(|l1| {
                std::iter::once(l1.name.as_str()).chain(l1.level2.iter().map(String::as_str))
            })
    }

    fn is_level1(&self, name: &str) -> bool {
        self.scheme
            .iter()
            .flat_map(|s| &s.level1)
            .any(|l1| l1.name == name)
    }

    fn is_level2(&self, name: &str) -> bool {
        self.scheme
            .iter()
            .flat_map(|s| &s.level1)
            .any(|l1| l1.level2.iter().any(|n| n == name))
    }

    /// True when an indicator is a satisfaction indicator (满意度, a proportion of 0–100%): its
    /// level 1 is one that holds the [`satisfaction`](Framework::satisfaction) group in a
    /// scheme, or its level-3 name holds one of that group's classification keywords.
    ///
    /// ```
    /// let fw = jixiao_model::framework::Framework::standard();
    /// assert!(fw.is_satisfaction("满意度指标", "参保人员认可程度"));
    /// assert!(fw.is_satisfaction("效益指标", "群众满意率"));
    /// assert!(!fw.is_satisfaction("产出指标", "补助覆盖率"));
    /// ```
    pub fn is_satisfaction(&self, level1: &str, level3: &str) -> bool {
        let Some(group) = self.satisfaction.as_deref() else {
            return false;
        };
        let holds = |l1: &Level1| l1.level2.iter().any(|l2| l2 == group);
        let by_level1 = self.level1(level1).is_some_and(|name| {
            self.scheme
                .iter()
                .flat_map(|s| &s.level1)
                .any(|l1| l1.name == name && holds(l1))
        });
        by_level1
            || self
                .classify
                .iter()
                .filter(|c| c.level2 == group)
                .flat_map(|c| &c.keywords)
                .any(|w| level3.contains(w.as_str()))
    }

    /// The canonical level-1 name for `name`, if it is one (`产出` → `产出指标`).
    pub fn level1(&self, name: &str) -> Option<&str> {
        self.lookup(name)?.0.as_deref()
    }

    /// The canonical level-2 name for `name`, if it is one (`环境效益指标` → `生态效益指标`).
    pub fn level2(&self, name: &str) -> Option<&str> {
        self.lookup(name)?.1.as_deref()
    }

    fn index(&self) -> &Index {
        self.index.get_or_init(|| Index::build(self))
    }

    fn lookup(&self, name: &str) -> Option<&(Option<String>, Option<String>)> {
        self.index().names.get(normalized(name).as_ref())
    }

    /// True when some scheme allows level 2 `l2` under level 1 `l1` (names may be aliases).
    pub fn allows(&self, l1: &str, l2: &str) -> bool {
        let (Some(l1), Some(l2)) = (self.level1(l1), self.level2(l2)) else {
            return false;
        };
        self.scheme
            .iter()
            .flat_map(|s| &s.level1)
            .any(|g| g.name == l1 && g.level2.iter().any(|n| n == l2))
    }

    /// True when `scheme` allows level 2 `l2` under level 1 `l1` (names may be aliases).
    pub fn allows_in(&self, scheme: &Scheme, l1: &str, l2: &str) -> bool {
        let (Some(l1), Some(l2)) = (self.level1(l1), self.level2(l2)) else {
            return false;
        };
        scheme
            .level1
            .iter()
            .any(|g| g.name == l1 && g.level2.iter().any(|n| n == l2))
    }

    /// The scheme (88号 or 101号) that a table's level-1/level-2 pairs fit best. `None` only
    /// when the framework has no scheme.
    ///
    /// ```
    /// use jixiao_model::framework::Framework;
    /// let fw = Framework::standard();
    /// let fit = fw.fit(&[("成本指标", "经济成本指标"), ("产出指标", "数量指标")]).unwrap();
    /// assert_eq!(fit.scheme.id, "101号");
    /// let fit = fw.fit(&[("产出指标", "成本指标"), ("成本指标", "经济成本指标")]).unwrap();
    /// assert_eq!(fit.misfits.len(), 1); // the two schemes are mixed
    /// ```
    pub fn fit<'a>(&'a self, pairs: &[(&str, &str)]) -> Option<Fit<'a>> {
        let mut best: Option<Fit<'a>> = None;
        for scheme in &self.scheme {
            let misfits: Vec<usize> = (0..pairs.len())
                .filter(|&i| !self.allows_in(scheme, pairs[i].0, pairs[i].1))
                .collect();
            if best
                .as_ref()
                .is_none_or(|b| misfits.len() < b.misfits.len())
            {
                best = Some(Fit { scheme, misfits });
            }
        }
        best
    }

    /// True when targets under this level 2 (name or alias) must be quantified.
    pub fn is_quantified(&self, level2: &str) -> bool {
        self.level2(level2)
            .is_some_and(|l2| self.quantified.iter().any(|q| q == l2))
    }

    /// The level 2 a level-3 name fits, from its keywords (the one ending last wins), else
    /// from the value's unit.
    pub fn classify(&self, level3: &str, unit: Option<&str>) -> Option<&str> {
        let name = normalized(level3);
        let index = self.index();
        // Every occurrence of every keyword: the one ending last wins, then the longest, then
        // the first in the framework's order.
        let best = index
            .keywords
            .find_overlapping_iter(name.as_ref())
            .max_by_key(|m| (m.end(), m.len(), std::cmp::Reverse(m.pattern().as_usize())));
        if let Some(m) = best {
            return Some(
                self.classify[index.classes[m.pattern().as_usize()]]
                    .level2
                    .as_str(),
            );
        }
        let unit = unit?;
        self.classify
            .iter()
            .find(|c| c.units.iter().any(|u| u == unit))
            .map(|c| c.level2.as_str())
    }
}

/// [`normalize_label`] without a copy when the text is already in normal form (the usual case
/// for a cell read from a workbook).
fn normalized(s: &str) -> std::borrow::Cow<'_, str> {
    // One pass over the characters: a character the fold changes or drops.
    let changes = |c: char| {
        c.is_whitespace()
            || matches!(
                c,
                '*' | '【' | '〔' | '】' | '〕' | '\u{FF01}'..='\u{FF5E}' | '\u{3000}'
            )
            || crate::traditional::simplified(c) != c
    };
    if s.ends_with(':') || s.chars().any(changes) {
        std::borrow::Cow::Owned(normalize_label(s))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// classify as first written: every keyword's last occurrence, the one ending last wins,
    /// then the longest, then the first listed.
    fn classify_by_scan<'a>(fw: &'a Framework, level3: &str) -> Option<&'a str> {
        let name = normalize_label(level3);
        let mut best: Option<(usize, usize, &str)> = None;
        for class in &fw.classify {
            for kw in &class.keywords {
                if let Some(pos) = name.rfind(kw.as_str()) {
                    let cand = (pos + kw.len(), kw.len(), class.level2.as_str());
                    if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                        best = Some(cand);
                    }
                }
            }
        }
        best.map(|b| b.2)
    }

    /// Pieces that texts in the tests are made of: names, aliases, keywords, their parts, and
    /// what damaged cells add (spaces, full-width colons, stars, brackets).
    fn pieces() -> Vec<String> {
        let fw = Framework::standard();
        let mut p: Vec<String> = fw.names().map(str::to_string).collect();
        p.extend(fw.aliases.keys().cloned());
        p.extend(fw.classify.iter().flat_map(|c| c.keywords.iter().cloned()));
        p.extend(
            [
                "指标", "产出", " ", "\u{3000}", "：", ":", "*", "【", "】", "（", "）", "补助",
                "率", "A",
            ]
            .map(String::from),
        );
        p
    }

    proptest! {
        /// The compiled lookups answer exactly as the definitions they replace.
        #[test]
        fn index_agrees_with_the_definitions(picks in proptest::collection::vec(any::<prop::sample::Index>(), 1..4)) {
            let fw = Framework::standard();
            let pieces = pieces();
            let text: String = picks.iter().map(|i| i.get(&pieces).as_str()).collect();
            prop_assert_eq!(fw.level1(&text), fw.canonical(&text, |k| fw.is_level1(k)));
            prop_assert_eq!(fw.level2(&text), fw.canonical(&text, |k| fw.is_level2(k)));
            prop_assert_eq!(fw.classify(&text, None), classify_by_scan(fw, &text));
        }
    }

    #[test]
    fn names_and_aliases() {
        let fw = Framework::standard();
        assert_eq!(fw.level1("产出指标"), Some("产出指标"));
        assert_eq!(fw.level1("产 出"), Some("产出指标"));
        assert_eq!(fw.level1("成本指标"), Some("成本指标"));
        assert_eq!(fw.level2("成本指标"), Some("成本指标"));
        assert_eq!(fw.level1("数量指标"), None);
        assert_eq!(fw.level2("满意度指标"), Some("服务对象满意度指标"));
        assert_eq!(fw.level1("满意度指标"), Some("满意度指标"));
        assert_eq!(fw.level2("数量指标（或建筑规模指标）"), Some("数量指标"));
        assert_eq!(fw.level2("人均丧葬补贴发放资金数"), None);
    }

    #[test]
    fn membership() {
        let fw = Framework::standard();
        assert!(fw.allows("效益指标", "可持续影响指标"));
        assert!(fw.allows("满意度指标", "满意度指标"));
        assert!(fw.allows("成本指标", "经济成本指标"));
        assert!(!fw.allows("效益指标", "成本指标"));
    }

    #[test]
    fn schemes() {
        let fw = Framework::standard();
        let pairs88 = [
            ("产出指标", "成本指标"),
            ("效益指标", "社会效益指标"),
            ("满意度指标", "满意度指标"),
        ];
        let fit = fw.fit(&pairs88).unwrap();
        assert_eq!((fit.scheme.id.as_str(), fit.misfits.len()), ("88号", 0));
        // Without any 成本 indicator both fit: the first listed (88号) is chosen.
        assert_eq!(
            fw.fit(&[("产出指标", "数量指标")]).unwrap().scheme.id,
            "88号"
        );
        let pairs101 = [
            ("成本指标", "经济成本指标"),
            ("产出指标", "数量指标"),
            ("满意度", "服务对象满意度"),
        ];
        let fit = fw.fit(&pairs101).unwrap();
        assert_eq!((fit.scheme.id.as_str(), fit.misfits.len()), ("101号", 0));
        assert_eq!(fw.fit(&[("产出指标", "乱写")]).unwrap().misfits, vec![0]);
        assert!(fw.is_quantified("数量指标"));
        assert!(fw.is_quantified("数量指标（或建筑规模指标）"));
        assert!(!fw.is_quantified("社会效益指标"));
    }

    #[test]
    fn level3_classes_from_the_seed() {
        let fw = Framework::standard();
        for (name, l2) in [
            ("预计参保人数", "数量指标"),
            ("发放次数", "数量指标"),
            ("基础养老金发放保障率", "质量指标"),
            ("资金发放及时率", "时效指标"),
            ("每次发放资金数", "成本指标"),
            ("人均丧葬补贴发放资金数", "成本指标"),
            ("丧葬补贴发放覆盖率", "质量指标"),
            ("城市低保资金发放精准率", "质量指标"),
            ("人均年补助城乡居民医疗保险金额", "成本指标"),
            ("参保人员满意度", "服务对象满意度指标"),
            ("推进困难群众基本生活救助保障制度", "可持续影响指标"),
        ] {
            assert_eq!(fw.classify(name, None), Some(l2), "{name}");
        }
        assert_eq!(fw.classify("退休人员", Some("人")), Some("数量指标"));
        assert_eq!(fw.classify("某项工作", None), None);
    }
}
