//! Header-block fields the standard form has no place for: a budget system's 申报表 prints
//! `项目编码：`, `实施期限：`, `项目类型：`, `政策依据：`, `测算依据：` … each with its value
//! beside it. They are no part of the standard form; rather than one "skipped" finding per
//! caption and per value (hundreds in a workbook of twenty projects), each project gets one
//! R108 naming the fields and where the first is.
//!
//! Only rows of real cells (a worksheet, a Word table) are read so: there a caption ending
//! with a colon and the cell after it are certainly a field and its value. In text rebuilt
//! into cells the same shape may be a sentence, and its content is reported cell by cell.

use jixiao_model::{Code, Diagnostic, Location};

/// How many field names the one finding lists before it only counts.
const SHOWN: usize = 12;

/// A caption: short text ending with a colon (`项目编码：`, `是否新增项目:`), no other colon.
pub(crate) fn caption(text: &str) -> Option<&str> {
    let t = text.trim();
    let name = t.strip_suffix('：').or_else(|| t.strip_suffix(':'))?.trim();
    let len = name.chars().count();
    ((2..=24).contains(&len) && !name.contains([':', '：'])).then_some(name)
}

/// The fields of one project's header that the standard form has no place for.
#[derive(Debug, Default, Clone)]
pub(crate) struct OtherFields {
    names: Vec<String>,
    first: Option<Location>,
}

impl OtherFields {
    /// Records a field by its caption.
    pub(crate) fn push(&mut self, name: &str, at: Location) {
        self.first.get_or_insert(at);
        if !self.names.iter().any(|n| n == name) {
            self.names.push(name.to_string());
        }
    }

    /// The one R108 for the project named `project`, if it has such fields.
    pub(crate) fn report(self, project: &str) -> Option<Diagnostic> {
        let first = self.first?;
        let shown: Vec<&str> = self.names.iter().take(SHOWN).map(String::as_str).collect();
        let more = if self.names.len() > SHOWN {
            format!(" 等 {} 项", self.names.len())
        } else {
            String::new()
        };
        Some(Diagnostic::new(
            Code::R108,
            format!(
                "项目“{project}”表头中的“{}”{more}不在标准格式中，其内容未转换",
                shown.join("”“")
            ),
            first,
        ))
    }
}

/// Splits the cells of a row (their indexes, texts and places) into fields the form has no
/// place for — a caption and the cell after it, when that is no caption — and the rest.
pub(crate) fn fields_and_rest<'a>(
    cells: &[(usize, &'a str)],
) -> (Vec<(usize, &'a str)>, Vec<usize>) {
    let mut fields = Vec::new();
    let mut rest = Vec::new();
    let mut k = 0;
    while k < cells.len() {
        let (i, text) = cells[k];
        if let Some(name) = caption(text) {
            fields.push((i, name));
            if cells.get(k + 1).is_some_and(|(_, t)| caption(t).is_none()) {
                k += 1; // its value
            }
        } else {
            rest.push(i);
        }
        k += 1;
    }
    (fields, rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captions_and_their_values() {
        assert_eq!(caption("项目编码："), Some("项目编码"));
        assert_eq!(caption(" 是否新增项目: "), Some("是否新增项目"));
        assert_eq!(caption("备注：作为导入模板，置灰信息无需录入。"), None);
        assert!(caption("：").is_none());
        let cells = [
            (0, "项目编码："),
            (1, "4403"),
            (3, "实施期限："),
            (4, "项目类型："),
            (5, "15 其他经费"),
            (6, "另起一段"),
        ];
        let (fields, rest) = fields_and_rest(&cells);
        assert_eq!(
            fields,
            vec![(0, "项目编码"), (3, "实施期限"), (4, "项目类型")]
        );
        assert_eq!(rest, vec![6]);
    }

    #[test]
    fn one_finding_per_project() {
        let mut f = OtherFields::default();
        assert!(f.clone().report("甲").is_none());
        for (k, name) in ["项目编码", "实施期限", "项目编码"].iter().enumerate() {
            let at = Location {
                cell: Some(format!("A{}", k + 2)),
                ..Location::default()
            };
            f.push(name, at);
        }
        let d = f.report("甲").expect("a finding");
        assert_eq!(d.location.cell.as_deref(), Some("A2"));
        assert!(
            d.message.contains("“项目编码”“实施期限”不在标准格式中"),
            "{}",
            d.message
        );
    }
}
