//! Page furniture: the lines a page copied from a government web site carries around the table.

use super::Reader;
use jixiao_diagnostics::{Code, Diagnostic};

impl Reader<'_> {
    pub(super) fn furniture(&mut self, i: usize) {
        let text: String = self.lines[i].trim().chars().take(40).collect();
        let more = if self.lines[i].trim().chars().count() > 40 {
            "…"
        } else {
            ""
        };
        self.diagnostics.push(Diagnostic::new(
            Code::I340,
            format!(
                "网页附带的内容（导航、索引号、发布信息、图片），不属于表格，已跳过：“{text}{more}”"
            ),
            self.location(i),
        ));
    }
}

/// Page furniture of a government web page: breadcrumbs, 索引号/发布机构/发布日期/来源 lines,
/// print/close links, images.
pub(crate) fn is_furniture(line: &str) -> bool {
    let t = line.trim().trim_start_matches(['-', '*', '·', ' ']).trim();
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if (compact.starts_with("<image") || compact.starts_with("<img") || compact.starts_with("!["))
        && !compact.contains("<table")
    {
        return true;
    }
    if (compact.contains("当前位置") || compact.contains("首页")) && compact.contains('>') {
        return true;
    }
    if compact.starts_with("【打印") || compact.starts_with("【关闭") {
        return true;
    }
    const CAPTIONS: &[&str] = &[
        "索引号",
        "发布机构",
        "发布日期",
        "发布时间",
        "成文日期",
        "来源",
        "信息来源",
        "浏览次数",
        "访问次数",
        "主办单位",
        "分类",
        "文号",
    ];
    CAPTIONS.iter().any(|c| {
        compact
            .strip_prefix(c)
            .is_some_and(|rest| rest.starts_with([':', '：']))
    })
}
