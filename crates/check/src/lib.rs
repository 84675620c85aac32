//! Review checks (绩效目标审核) over the IR.
//!
//! Before a finance bureau accepts a department's performance targets it reviews them: do the
//! sums add up, are the indicators in the right framework, are targets quantified, was anything
//! copied from another project, does the county summary agree with the project tables. Each
//! finding is a [`Diagnostic`] with a stable `C2xx` code, a message in Chinese, and the
//! location of the cell a clerk must fix. [`rules`] lists and explains every code.
//!
//! The checks only read the [`Document`]; they never change it.
//!
//! ```
//! use jixiao_check::{check, CheckOptions};
//! use jixiao_model::{Decimal, Document, Funds, Project};
//! use std::str::FromStr;
//!
//! let amount = |s: &str| Some(Decimal::from_str(s).unwrap());
//! let mut doc = Document::default();
//! doc.projects.push(Project {
//!     project_name: "城市低保".into(),
//!     funds: Funds { total: amount("35.88"), fiscal: amount("35.00"), other: amount("0"), location: None },
//!     ..Project::default()
//! });
//! let found = check(&doc, &CheckOptions::default());
//! assert_eq!(found[0].code, "C201");
//! assert!(found[0].message.contains("相差 0.88 万元"));
//! ```

mod copied;
mod cost;
mod funds;
mod indicators;
mod summary;
mod text;

use jixiao_model::framework::Framework;
use jixiao_model::{Diagnostic, Document, Project, Severity};

pub use indicators::scheme_of;

/// Settings for the review.
#[derive(Debug, Clone, Copy)]
pub struct CheckOptions<'a> {
    /// The indicator framework (schemes, aliases, which level 2 must be quantified).
    pub framework: &'a Framework,
}

impl Default for CheckOptions<'_> {
    fn default() -> Self {
        CheckOptions {
            framework: Framework::standard(),
        }
    }
}

/// Reviews a document and returns the findings (codes `C2xx`), summary first, then each
/// project in table order.
///
/// Diagnostics already in `doc` are consulted so that a problem the recognizer reported (an
/// empty 指标值, R104) is not reported twice; they are not part of the result.
pub fn check(doc: &Document, options: &CheckOptions) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if let Some(summary) = &doc.summary {
        summary::check(summary, &doc.projects, &mut out);
    }
    let contrasts = copied::contrasts(&doc.projects);
    let earlier = indicators::Earlier::new(&doc.diagnostics);
    for (i, project) in doc.projects.iter().enumerate() {
        funds::check(project, &mut out);
        indicators::check(project, options.framework, &earlier, &mut out);
        cost::check(project, &mut out);
        copied::check(project, &doc.projects, &contrasts[i], &mut out);
    }
    out
}

/// One review rule, as `jixiao rules` prints it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The stable code, e.g. `C201`.
    pub code: &'static str,
    /// How serious its findings are.
    pub severity: Severity,
    /// A short name.
    pub title: &'static str,
    /// What it checks.
    pub what: &'static str,
    /// Why a reviewer cares.
    pub why: &'static str,
    /// An example of a finding.
    pub example: &'static str,
}

/// Every review rule, in code order.
///
/// ```
/// let rules = jixiao_check::rules();
/// assert!(rules.iter().any(|r| r.code == "C201"));
/// assert!(rules.windows(2).all(|w| w[0].code < w[1].code));
/// ```
pub fn rules() -> &'static [Rule] {
    RULES
}

/// The rule with this code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.code == code)
}

pub(crate) const FUNDS_SUM: &str = "C201";
pub(crate) const FUNDS_BLANK: &str = "C202";
pub(crate) const FUNDS_NEGATIVE: &str = "C203";
pub(crate) const LEVEL1_UNKNOWN: &str = "C204";
pub(crate) const LEVEL2_MISPLACED: &str = "C205";
pub(crate) const CATEGORY_MISSING: &str = "C206";
pub(crate) const CELL_EMPTY: &str = "C207";
pub(crate) const LEVEL3_DUPLICATE: &str = "C208";
pub(crate) const QUALITATIVE: &str = "C209";
pub(crate) const RATE_OVER_100: &str = "C210";
pub(crate) const SATISFACTION_RANGE: &str = "C211";
pub(crate) const COST_COUNT: &str = "C212";
pub(crate) const COPIED: &str = "C213";
pub(crate) const ROW_WITHOUT_TABLE: &str = "C214";
pub(crate) const TABLE_WITHOUT_ROW: &str = "C215";
pub(crate) const UNIT_MISMATCH: &str = "C216";
pub(crate) const ROW_FUNDS_MISMATCH: &str = "C217";
pub(crate) const TOTAL_MISMATCH: &str = "C218";
pub(crate) const TOTAL_BLANK: &str = "C219";

const RULES: &[Rule] = &[
    Rule {
        code: FUNDS_SUM,
        severity: Severity::Error,
        title: "项目资金合计不符",
        what: "年度资金总额应等于财政拨款与其他资金之和，精确到 0.01 万元；其他资金空白按 0 计。",
        why: "资金数是预算的依据，合计不符说明有金额填错或漏填。",
        example: "年度资金总额 35.88 万元，财政拨款 35.00 万元，其他资金 0 万元：相差 0.88 万元。",
    },
    Rule {
        code: FUNDS_BLANK,
        severity: Severity::Warning,
        title: "项目资金未填写",
        what: "年度资金总额空白，或财政拨款与其他资金都空白。",
        why: "没有资金数就无法审核资金与指标是否相符。",
        example: "年度资金总额空白，财政拨款 91.59 万元、其他资金 0 万元，应为 91.59 万元。",
    },
    Rule {
        code: FUNDS_NEGATIVE,
        severity: Severity::Error,
        title: "金额为负数",
        what: "年度资金总额、财政拨款、其他资金以及汇总表金额都不能小于 0。",
        why: "负数金额通常是录入错误（多了负号）。",
        example: "其他资金 -5 万元。",
    },
    Rule {
        code: LEVEL1_UNKNOWN,
        severity: Severity::Warning,
        title: "一级指标不在指标体系内",
        what: "一级指标应为产出指标、效益指标、满意度指标（101号体系另有成本指标）或其公认的别名；每个项目的每个名称只报一次。",
        why: "指标体系由财预〔2015〕88号、财预〔2021〕101号统一规定，自拟的一级指标无法汇总和评价。",
        example: "一级指标写作“工作指标”。",
    },
    Rule {
        code: LEVEL2_MISPLACED,
        severity: Severity::Warning,
        title: "二级指标与一级指标不匹配",
        what: "先判断本表采用88号体系（成本指标是产出指标下的二级指标）还是101号体系（成本指标是一级指标，下设经济/社会/生态环境成本指标），再检查每个二级指标是否属于其一级指标；两种体系混用也在此报告。每组只报一次。",
        why: "二级指标放错位置，汇总统计和绩效评价会归错类。",
        example: "“社会效益指标”放在“产出指标”下；或同一张表既有一级“成本指标”又有产出下的“成本指标”。",
    },
    Rule {
        code: CATEGORY_MISSING,
        severity: Severity::Warning,
        title: "缺少一级指标类别",
        what: "每个项目都应设置产出指标、效益指标、满意度指标；按101号体系填写的还应设置成本指标。",
        why: "绩效目标要完整反映产出、效益和服务对象满意程度。",
        example: "项目只有产出指标和效益指标，没有满意度指标。",
    },
    Rule {
        code: CELL_EMPTY,
        severity: Severity::Warning,
        title: "三级指标或指标值为空",
        what: "每行指标都应写明三级指标名称和指标值（识别时已报告过的不重复报告）。",
        why: "空白的指标无法考核。",
        example: "三级指标“资金发放及时率”的指标值空白。",
    },
    Rule {
        code: LEVEL3_DUPLICATE,
        severity: Severity::Warning,
        title: "三级指标重复",
        what: "同一项目内三级指标名称（忽略空格和全角半角差别）不应重复。",
        why: "重复的指标多半是复制粘贴时忘了改名，或者漏了另一个指标。",
        example: "“发放次数”出现两次。",
    },
    Rule {
        code: QUALITATIVE,
        severity: Severity::Warning,
        title: "应量化的指标写成了定性描述",
        what: "数量、质量、时效、成本（含101号的经济成本）指标的指标值只有文字、没有任何数字（名单见 templates/framework.toml 的 quantified）。",
        why: "88号文要求绩效指标“尽量进行定量表述”，这几类指标都可以用数字衡量。",
        example: "时效指标“资金发放及时率”的指标值写作“及时”，应写作“=100%”之类。",
    },
    Rule {
        code: RATE_OVER_100,
        severity: Severity::Warning,
        title: "比率超过 100%",
        what: "以 % 为单位的指标值大于 100%（增长、提高类指标除外）。",
        why: "覆盖率、及时率、合格率等不可能超过 100%，多为录入或识别错误（如“≥90%”识别成“290%”）。",
        example: "“补助覆盖率 =120%”。",
    },
    Rule {
        code: SATISFACTION_RANGE,
        severity: Severity::Error,
        title: "满意度超出 0–100%",
        what: "满意度指标的目标值应在 0% 到 100% 之间（“>100%”也不可能达到）。",
        why: "满意度是比例，超过 100% 的目标无法实现。",
        example: "“参保人员满意度 ≥198%”。",
    },
    Rule {
        code: COST_COUNT,
        severity: Severity::Warning,
        title: "每次金额 × 次数与项目资金不符",
        what: "项目同时写了“每次（每期、每批……）金额”和对应的次数时，两者之积应等于年度资金总额；允许误差为次数 × 每次金额末位的一个单位（每次金额四舍五入或进位造成的差）。人均、户均类金额不参与计算。",
        why: "次数或每次金额填错，指标就与预算对不上。",
        example: "发放次数 =1次、每次发放资金数 ≤7.63万元，而年度资金总额 91.59 万元（7.63 × 12 = 91.56，次数应为 12 次）。",
    },
    Rule {
        code: COPIED,
        severity: Severity::Warning,
        title: "疑似从其他项目复制的内容",
        what: "两个项目名称只相差一小段（如“城市低保”与“农村低保”）时，这一段就是各自的对象；某项目的三级指标或总体目标中的一句话提到了另一个项目的对象、却没有提到自己的对象，即报告。",
        why: "相似项目的表格常由复制修改而来，漏改的文字会让指标考核错对象。",
        example: "“农村低保”的三级指标写作“城市低保政策知晓率”。",
    },
    Rule {
        code: ROW_WITHOUT_TABLE,
        severity: Severity::Warning,
        title: "汇总表中的项目没有项目表",
        what: "汇总表每一行都应有同名的项目支出绩效目标表（名称忽略空格和末尾的“项目”二字）。",
        why: "缺少项目表，该项目的绩效目标无从审核。",
        example: "汇总表第 6 行“农村危房改造”，文件中没有该项目的绩效目标表。",
    },
    Rule {
        code: TABLE_WITHOUT_ROW,
        severity: Severity::Warning,
        title: "项目表未列入汇总表",
        what: "文件中有汇总表时，每张项目表都应在汇总表中有一行。",
        why: "汇总表漏列项目，合计金额也会少算。",
        example: "项目表“城市低保”在汇总表中找不到。",
    },
    Rule {
        code: UNIT_MISMATCH,
        severity: Severity::Warning,
        title: "汇总表与项目表的单位不一致",
        what: "汇总表的部门单位与项目表的预算单位应为同一单位；一方带地区前缀（新疆巴州和硕县民政局 = 和硕县民政局）视为一致。",
        why: "单位不一致可能是项目张冠李戴。",
        example: "汇总表写“和硕县民政局”，项目表写“和硕县医疗保障局”。",
    },
    Rule {
        code: ROW_FUNDS_MISMATCH,
        severity: Severity::Error,
        title: "汇总表金额与项目表不符",
        what: "汇总表有资金列时，每行金额应等于对应项目表的年度资金总额（精确到 0.01 万元）。",
        why: "同一项目两处金额不同，至少一处是错的。",
        example: "汇总表写 35.88 万元，项目表年度资金总额 38.58 万元。",
    },
    Rule {
        code: TOTAL_MISMATCH,
        severity: Severity::Error,
        title: "汇总表合计不等于各行之和",
        what: "填写了的合计应等于各行金额之和（汇总表没有资金列时按各项目表的年度资金总额计算），精确到 0.01 万元。",
        why: "合计错误会使上报的总金额失真。",
        example: "合计 1300.00 万元，各项目之和 1304.66 万元。",
    },
    Rule {
        code: TOTAL_BLANK,
        severity: Severity::Warning,
        title: "汇总表合计空白",
        what: "汇总表有“合计”行但金额空白时，报告按各行（或各项目表）计算出的合计，供填写。",
        why: "报送的汇总表应填写合计金额。",
        example: "合计空白，按各项目表年度资金总额计算应为 1304.66 万元。",
    },
];

/// “项目“城市低保””: how messages name a project (or its position when it has no name).
pub(crate) fn project_label(project: &Project) -> String {
    if project.project_name.trim().is_empty() {
        "（未填写名称的项目）".to_string()
    } else {
        format!("“{}”", project.project_name.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_are_unique_and_ordered() {
        assert!(RULES.windows(2).all(|w| w[0].code < w[1].code));
        for r in RULES {
            assert!(r.code.starts_with('C') && r.code.len() == 4, "{}", r.code);
            assert!(
                !r.title.is_empty()
                    && !r.what.is_empty()
                    && !r.why.is_empty()
                    && !r.example.is_empty()
            );
        }
    }
}
