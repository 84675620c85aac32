//! 项目资金: 年度资金总额 = 财政拨款 + 其他资金 (+ 上年结转资金 in a 自评表), no negative amounts.

use crate::text::{differ, gap, sum, wan};
use crate::{FUNDS_BLANK, FUNDS_NEGATIVE, FUNDS_SUM, project_label};
use jixiao_model::{Diagnostic, HeaderField, Project};

pub(crate) fn check(project: &Project, out: &mut Vec<Diagnostic>) {
    let funds = &project.funds;
    let loc = funds
        .location
        .clone()
        .unwrap_or_else(|| project.location.clone());
    let name = project_label(project);

    let mut negative = false;
    for (label, amount) in [
        ("年度资金总额", funds.total),
        ("财政拨款", funds.fiscal),
        ("其他资金", funds.other),
    ] {
        if let Some(a) = amount.filter(|a| a.is_sign_negative() && !a.is_zero()) {
            negative = true;
            out.push(Diagnostic::new(
                FUNDS_NEGATIVE,
                format!("项目{name}的{label}为负数（{a} 万元），金额不能小于 0"),
                loc.clone(),
            ));
        }
    }

    // A field the recognizer did not read (no label on the form, or a value that is no
    // amount) is no blank the clerk left: no finding rests on it.
    let read = |f: HeaderField| !project.unread.contains(&f);
    let (total_read, fiscal_read, other_read) = (
        read(HeaderField::FundsTotal),
        read(HeaderField::FundsFiscal),
        read(HeaderField::FundsOther),
    );
    match (funds.total, funds.fiscal, funds.other) {
        (None, None, None) if !total_read && !fiscal_read && !other_read => {}
        (None, None, None) => {
            out.push(Diagnostic::new(
                FUNDS_BLANK,
                format!("项目{name}没有填写项目资金（年度资金总额、财政拨款、其他资金）"),
                loc,
            ));
        }
        (None, _, _) if !total_read => {}
        (None, fiscal, other) => {
            let hint = match sum(fiscal.into_iter().chain(other)) {
                Some(parts) if fiscal.is_some() || other.is_some() => {
                    format!("；按财政拨款与其他资金计算应为 {} 万元", wan(parts))
                }
                _ => String::new(),
            };
            out.push(Diagnostic::new(
                FUNDS_BLANK,
                format!("项目{name}的年度资金总额空白{hint}"),
                loc,
            ));
        }
        (Some(_), None, None) if project.department_funds.is_some() => {
            // A 部门整体 table splits its money by 基本支出/项目支出, not by source.
        }
        (Some(_), None, None) if !fiscal_read || !other_read => {
            // The form has no 财政拨款/其他资金 (a budget system's 本年度项目金额 alone), or
            // they were not read: the sources cannot be asked for.
        }
        (Some(total), None, None) => {
            out.push(Diagnostic::new(
                FUNDS_BLANK,
                format!("项目{name}的年度资金总额为 {} 万元，但财政拨款和其他资金都空白，请写明资金来源", wan(total)),
                loc,
            ));
        }
        (Some(total), fiscal, other) if fiscal.is_none() || other.is_none() => {
            // One part was not read (blank, or text that is no amount): the sum cannot be
            // checked, and a finding must not rest on a field that is missing.
            let (blank, known, blank_read) = if fiscal.is_none() {
                ("财政拨款", other, fiscal_read)
            } else {
                ("其他资金", fiscal, other_read)
            };
            if blank_read && known.is_some_and(|k| differ(total, k)) {
                out.push(Diagnostic::new(
                    FUNDS_BLANK,
                    format!(
                        "项目{name}的{blank}空白或未能读取，无法核对年度资金总额 {} 万元",
                        wan(total)
                    ),
                    loc,
                ));
            }
        }
        (Some(total), fiscal, other) => {
            // A 自评表's 全年预算数 also holds the money carried over from last year (上年结转
            // 资金), a line of its own in its funds block.
            let carryover = project
                .self_evaluation
                .as_ref()
                .and_then(|e| e.funds_carryover.as_ref())
                .and_then(|l| l.budget.or(l.initial_budget))
                .filter(|c| !c.is_zero());
            let Some(parts) = sum(fiscal.into_iter().chain(other).chain(carryover)) else {
                return;
            };
            if differ(total, parts) && !negative {
                let carried = carryover.map_or(String::new(), |c| {
                    format!(" + 上年结转资金 {} 万元", wan(c))
                });
                out.push(Diagnostic::new(
                    FUNDS_SUM,
                    format!(
                        "项目{name}的年度资金总额 {} 万元不等于财政拨款 {} 万元 + 其他资金 {} 万元{carried} = {} 万元（相差 {} 万元）",
                        wan(total),
                        fiscal.map_or("（空白）".to_string(), wan),
                        other.map_or("（空白）".to_string(), wan),
                        wan(parts),
                        gap(total, parts),
                    ),
                    loc,
                ));
            }
        }
    }
}
