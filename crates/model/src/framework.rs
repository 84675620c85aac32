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
}

/// Removes whitespace, folds full-width ASCII and brackets, and drops a trailing colon, so
/// `一级\n指标`, `数量指标（或建筑规模指标）` and `项目名称：` compare as written in the template.
pub fn normalize_label(s: &str) -> String {
    let mut out: String = crate::value::fold_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .map(|c| match c {
            '【' | '〔' => '[',
            '】' | '〕' => ']',
            _ => c,
        })
        .collect();
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
    pub fn from_toml(text: &str) -> Result<Framework, String> {
        toml::from_str(text).map_err(|e| e.to_string())
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

    /// The canonical level-1 name for `name`, if it is one (`产出` → `产出指标`).
    pub fn level1(&self, name: &str) -> Option<&str> {
        self.canonical(name, |k| self.is_level1(k))
    }

    /// The canonical level-2 name for `name`, if it is one (`环境效益指标` → `生态效益指标`).
    pub fn level2(&self, name: &str) -> Option<&str> {
        self.canonical(name, |k| self.is_level2(k))
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

    /// The level 2 a level-3 name fits, from its keywords (the one ending last wins), else
    /// from the value's unit.
    pub fn classify(&self, level3: &str, unit: Option<&str>) -> Option<&str> {
        let name = normalize_label(level3);
        let mut best: Option<(usize, usize, &str)> = None; // (end, keyword length, level2)
        for class in &self.classify {
            for kw in &class.keywords {
                if let Some(pos) = name.rfind(kw.as_str()) {
                    let cand = (pos + kw.len(), kw.len(), class.level2.as_str());
                    if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                        best = Some(cand);
                    }
                }
            }
        }
        if let Some((_, _, l2)) = best {
            return Some(l2);
        }
        let unit = unit?;
        self.classify
            .iter()
            .find(|c| c.units.iter().any(|u| u == unit))
            .map(|c| c.level2.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
