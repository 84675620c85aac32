//! 财政拨款 from its sources: a form that lists where its 财政 money comes from (`其中：1.中央资金
//! … 2.市级资金 …`, `上级财政补助资金 | 同级财政资金`, `1、一般公共预算`) instead of — or under —
//! a 财政拨款 line. 财政拨款 is the sum of the sources read when no 财政拨款 line was read; a
//! 财政拨款 line always wins. Either way the derivation is reported (R139), naming the lines.

use jixiao_model::{Code, Decimal, Diagnostic, Funds, Location};

/// The sources of 财政拨款 read for one set of amounts (the year's, or the 中期 ones).
#[derive(Debug, Clone, Default)]
pub(crate) struct FiscalParts {
    /// The labels as written, in reading order (each once).
    names: Vec<String>,
    /// The sum of the amounts read; `None` until one is read.
    sum: Option<Decimal>,
    /// A sum overflowed, or a source held text that is no amount: the sum is not 财政拨款.
    spoiled: bool,
    at: Option<Location>,
}

impl FiscalParts {
    /// One source line: its label as written, its value as written and its amount, if one
    /// was read (a blank value is no amount; text that is no amount spoils the sum).
    pub(crate) fn add(&mut self, label: &str, value: &str, amount: Option<Decimal>, at: &Location) {
        let name: String = label.split_whitespace().collect();
        if !self.names.contains(&name) {
            self.names.push(name);
        }
        self.at.get_or_insert_with(|| at.clone());
        let Some(amount) = amount else {
            self.spoiled |= !value.trim().is_empty();
            return;
        };
        match self.sum {
            None => self.sum = Some(amount),
            Some(sum) => {
                self.sum = sum.checked_add(amount);
                self.spoiled |= self.sum.is_none();
            }
        }
    }

    /// Fills `funds.fiscal` with the sum when no 财政拨款 line was read and an amount of a
    /// source was (every source that holds text read as an amount), and says so. Returns true
    /// when it filled it.
    pub(crate) fn apply(self, funds: &mut Funds, diags: &mut Vec<Diagnostic>) -> bool {
        let (Some(sum), Some(at)) = (self.sum, self.at) else {
            return false;
        };
        if funds.fiscal.is_some() || self.spoiled {
            return false;
        }
        funds.fiscal = Some(sum);
        let names = self.names.join("”“");
        let message = if self.names.len() == 1 {
            format!(
                "表中没有单独的“财政拨款”金额；“{names}”是财政资金，财政拨款记为 {} 万元",
                sum.normalize()
            )
        } else {
            format!(
                "表中没有单独的“财政拨款”金额；“{names}”是财政资金的来源，财政拨款记为其合计 {} 万元",
                sum.normalize()
            )
        };
        diags.push(Diagnostic::new(Code::R139, message, at));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn at() -> Location {
        Location::default()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// The sum of the sources read, blank ones left out, each label named once.
    #[test]
    fn sums_the_sources_read() {
        let mut parts = FiscalParts::default();
        parts.add("1.中央资金", "", None, &at());
        parts.add("2.市级资金", "153.5184", Some(d("153.5184")), &at());
        parts.add("3.区县级 资金", "10", Some(d("10")), &at());
        let mut funds = Funds::default();
        let mut diags = Vec::new();
        parts.apply(&mut funds, &mut diags);
        assert_eq!(funds.fiscal, Some(d("163.5184")));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].code, "R139");
        assert!(
            diags[0]
                .message
                .contains("“1.中央资金”“2.市级资金”“3.区县级资金”")
        );
        assert!(diags[0].message.contains("163.5184 万元"));
    }

    /// A 财政拨款 line read wins; sources with no amount read fill nothing.
    #[test]
    fn a_fiscal_line_or_no_amount_leaves_fiscal_alone() {
        let mut parts = FiscalParts::default();
        parts.add("一般公共预算", "6", Some(d("6")), &at());
        let mut funds = Funds {
            fiscal: Some(d("6.3")),
            ..Funds::default()
        };
        let mut diags = Vec::new();
        parts.apply(&mut funds, &mut diags);
        assert_eq!(funds.fiscal, Some(d("6.3")));
        assert!(diags.is_empty());

        let mut blank = FiscalParts::default();
        blank.add("中央资金", "", None, &at());
        let mut funds = Funds::default();
        blank.apply(&mut funds, &mut diags);
        assert_eq!(funds.fiscal, None);
        assert!(diags.is_empty());
    }

    /// A sum that overflows is no sum: 财政拨款 stays unread rather than wrong.
    #[test]
    fn an_overflowing_sum_fills_nothing() {
        let mut parts = FiscalParts::default();
        parts.add("中央资金", "x", Some(Decimal::MAX), &at());
        parts.add("市级资金", "x", Some(Decimal::MAX), &at());
        parts.add("县级资金", "1", Some(d("1")), &at());
        let mut funds = Funds::default();
        let mut diags = Vec::new();
        assert!(!parts.apply(&mut funds, &mut diags));
        assert_eq!(funds.fiscal, None);
    }

    /// A source whose text is no amount (`待定`) leaves the sum incomplete: no 财政拨款 from it.
    #[test]
    fn an_unreadable_source_fills_nothing() {
        let mut parts = FiscalParts::default();
        parts.add("中央资金", "待定", None, &at());
        parts.add("市级资金", "20", Some(d("20")), &at());
        let mut funds = Funds::default();
        let mut diags = Vec::new();
        assert!(!parts.apply(&mut funds, &mut diags));
        assert_eq!(funds.fiscal, None);
        assert!(diags.is_empty());
    }
}
