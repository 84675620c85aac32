//! Line breaking for Chinese text in table cells (中文排版禁则).
//!
//! A line may break between any two CJK characters, except that no line starts with closing
//! punctuation (，。、；：？！）」』】》 …) and no line ends with opening punctuation or a
//! comparison sign (（「『【《 ≥ …). Runs of ASCII letters, digits and their punctuation
//! (`12212`, `3.90`, `70-79`) stay whole unless longer than the line; spaces are break
//! opportunities and vanish at the ends of lines; `\n` always breaks.

/// Characters that must not start a line.
const NO_START: &str = "，。、；：？！）」』】》〕〉〗〙〛”’…‥·・—～%‰℃°′″,.;:?!)]}>%·ー々〆ゝゞ";
/// Characters that must not end a line.
const NO_END: &str = "（「『【《〔〈〖〘〚“‘([{<≥≤＞＜＝=±￥$#№";

fn no_start(c: char) -> bool {
    NO_START.contains(c)
}

fn no_end(c: char) -> bool {
    NO_END.contains(c)
}

/// True for characters that join into an unbreakable run (ASCII words and numbers, and their
/// full-width forms).
fn joins(c: char) -> bool {
    (c.is_ascii_graphic() && !"([{<".contains(c) && !no_start(c))
        || c.is_ascii_alphanumeric()
        || ('０'..='９').contains(&c)
        || ('Ａ'..='Ｚ').contains(&c)
        || ('ａ'..='ｚ').contains(&c)
}

/// Splits `text` into the units that may not be broken: a run of joining characters, or one
/// other character, with 禁则 glue applied (a no-start character sticks to what precedes it,
/// a no-end character to what follows). Spaces are kept as their own units.
fn units(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut glue_next = false;
    let mut prev_joins = false;
    for c in text.chars() {
        let space = c == ' ' || c == '\u{3000}';
        let attach = !space
            && match out.last() {
                Some(last) if !last.starts_with([' ', '\u{3000}']) => {
                    glue_next
                        || no_start(c)
                        || (joins(c) && prev_joins)
                        // a decimal point or thousands comma inside a number
                        || (c.is_ascii_digit() && last.ends_with(['.', ',']))
                }
                _ => false,
            };
        if attach {
            out.last_mut().expect("attach needs a unit").push(c);
        } else {
            out.push(c.to_string());
        }
        glue_next = !space && no_end(c);
        prev_joins = !space && joins(c);
    }
    out
}

/// Wraps one paragraph (no `\n`) into lines no wider than `max`, measuring with `width`.
fn wrap_paragraph(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut line_w = 0.0;
    for unit in units(text) {
        let is_space = unit == " " || unit == "\u{3000}";
        let current = lines.last_mut().expect("never empty");
        if is_space && current.is_empty() {
            continue; // no leading spaces on a continued line
        }
        let w = width(&unit);
        if line_w + w <= max || current.is_empty() && w <= max {
            current.push_str(&unit);
            line_w += w;
            continue;
        }
        if is_space {
            lines.push(String::new());
            line_w = 0.0;
            continue;
        }
        if w <= max {
            lines.push(unit);
            line_w = w;
            continue;
        }
        // A unit wider than a whole line: break it by characters, filling the current line;
        // closing punctuation hangs past the end rather than start the next line.
        let mut prev = None;
        for c in unit.chars() {
            let cw = width(c.encode_utf8(&mut [0; 4]));
            let current = lines.last_mut().expect("never empty");
            let may_break = !no_start(c) && !prev.is_some_and(no_end);
            if line_w + cw > max && !current.is_empty() && may_break {
                lines.push(String::new());
                line_w = 0.0;
            }
            lines.last_mut().expect("never empty").push(c);
            line_w += cw;
            prev = Some(c);
        }
    }
    for l in &mut lines {
        let trimmed = l.trim_end_matches([' ', '\u{3000}']).len();
        l.truncate(trimmed);
    }
    lines
}

/// Wraps `text` into lines no wider than `max` (in the units `width` returns), applying the
/// rules above. An empty text gives no lines.
///
/// ```
/// use jixiao_layout::linebreak::wrap;
/// let w = |s: &str| s.chars().count() as f32; // every character one unit wide
/// assert_eq!(wrap("预计参保人数12212人。", 7.0, &w), ["预计参保人数", "12212人。"]);
/// ```
pub fn wrap(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.lines()
        .flat_map(|p| wrap_paragraph(p.trim_end_matches('\r'), max, width))
        .collect()
}

/// The lines of [`wrap`] with the space each was broken at put back at its end, where the text
/// had one (`目标2: 逐步满足群众预期,` / `助力脱贫` from `…预期, 助力脱贫`): a writer that draws
/// it keeps the text whole for a reader, which joins a line ending in a drawn space to the next
/// with that space. Lines that cannot be found in the text in order are left as they are.
///
/// ```
/// use jixiao_layout::linebreak::{wrap, with_break_spaces};
/// let w = |s: &str| s.chars().count() as f32;
/// let text = "满足预期, 助力脱贫";
/// let lines = wrap(text, 5.0, &w);
/// assert_eq!(lines, ["满足预期,", "助力脱贫"]);
/// assert_eq!(with_break_spaces(text, lines), ["满足预期, ", "助力脱贫"]);
/// ```
pub fn with_break_spaces(text: &str, mut lines: Vec<String>) -> Vec<String> {
    let mut rest = text;
    let last = lines.len().saturating_sub(1);
    for (k, line) in lines.iter_mut().enumerate() {
        rest = rest.trim_start_matches([' ', '\u{3000}', '\r', '\n']);
        let Some(after) = rest.strip_prefix(line.as_str()) else {
            break;
        };
        if k < last && after.starts_with([' ', '\u{3000}']) {
            line.push(' ');
        }
        rest = after;
    }
    lines
}

/// Like [`wrap`] for centred cells: no more lines than [`wrap`] gives, but breaks chosen for
/// even lines and, where there is a choice, after a colon or comma or before a bracket, so
/// `项目资金（万元）` reads `项目资金` / `（万元）`, not `项目资金（万` / `元）`.
///
/// ```
/// use jixiao_layout::linebreak::wrap_balanced;
/// let w = |s: &str| s.chars().count() as f32;
/// assert_eq!(wrap_balanced("年度资金总额：", 6.0, &w), ["年度资金", "总额："]);
/// assert_eq!(wrap_balanced("其中：财政拨款", 6.0, &w), ["其中：", "财政拨款"]);
/// ```
pub fn wrap_balanced(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    text.lines()
        .flat_map(|p| {
            let p = p.trim_end_matches('\r');
            balance_paragraph(p, max, width).unwrap_or_else(|| wrap_paragraph(p, max, width))
        })
        .collect()
}

/// The best breaks of one paragraph by dynamic programming over its units: fewest lines,
/// then least cost (squared slack of each line, less a bonus for a break at punctuation).
/// `None` when a unit is wider than the line (then only cutting it helps).
fn balance_paragraph(text: &str, max: f32, width: &dyn Fn(&str) -> f32) -> Option<Vec<String>> {
    const GOOD_BREAK: f32 = 0.5;
    let units = units(text);
    let n = units.len();
    if n > 200 {
        return None; // long text is left-aligned in practice; keep this cheap
    }
    let line = |j: usize, i: usize| -> String {
        units[j..i]
            .concat()
            .trim_matches([' ', '\u{3000}'])
            .to_string()
    };
    // best[i]: (lines, cost, start of the last line) for units[..i]
    let mut best: Vec<Option<(usize, f32, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0.0, 0));
    for i in 1..=n {
        for j in (0..i).rev() {
            let text = line(j, i);
            let w = width(&text);
            if w > max {
                if i - j == 1 {
                    return None;
                }
                break;
            }
            let Some((lines, cost, _)) = best[j] else {
                continue;
            };
            let slack = (max - w) / max;
            let mut c = cost + slack * slack;
            if i < n {
                let ends_well = text.ends_with(['：', ':', '，', ',', '、', '；', ';']);
                let next_opens = units[i].starts_with(['（', '(']);
                if ends_well || next_opens {
                    c -= GOOD_BREAK;
                }
            }
            let cand = (lines + 1, c, j);
            if best[i].is_none_or(|b| (cand.0, cand.1) < (b.0, b.1)) {
                best[i] = Some(cand);
            }
        }
    }
    let mut out = Vec::new();
    let mut i = n;
    while i > 0 {
        let (_, _, j) = best[i]?;
        out.push(line(j, i));
        i = j;
    }
    out.reverse();
    out.retain(|l| !l.is_empty());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CJK 2 units, everything else 1 (like the template's column widths).
    fn w(s: &str) -> f32 {
        s.chars()
            .map(|c| if c.is_ascii() { 1.0 } else { 2.0 })
            .sum()
    }

    fn check_rules(lines: &[String]) {
        for l in &lines[1..] {
            let first = l.chars().next().unwrap();
            assert!(!no_start(first), "line starts with {first}: {lines:?}");
        }
        for l in &lines[..lines.len() - 1] {
            let last = l.chars().last().unwrap();
            assert!(!no_end(last), "line ends with {last}: {lines:?}");
        }
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // 8 units a line: "目标一二" fills it, the comma must come along.
        let lines = wrap("目标一二，三四五六。七八九十", 8.0, &w);
        assert_eq!(lines, ["目标一", "二，三四", "五六。七", "八九十"]);
        check_rules(&lines);
        let lines = wrap("甲乙丙丁）戊", 8.0, &w);
        assert_eq!(lines, ["甲乙丙", "丁）戊"]);
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        let lines = wrap("项目资金（万元）", 6.0, &w);
        assert_eq!(lines, ["项目资", "金（万", "元）"]);
        check_rules(&lines);
        let lines = wrap("数量≥12212人", 8.0, &w);
        assert_eq!(lines, ["数量", "≥12212", "人"]);
    }

    #[test]
    fn number_runs_stay_whole() {
        assert_eq!(
            wrap("预计参保人数12212人", 13.0, &w),
            ["预计参保人数", "12212人"]
        );
        assert_eq!(wrap("补助人数3.90万人", 9.0, &w), ["补助人数", "3.90万人"]);
        assert_eq!(wrap("我县70-79周岁", 6.0, &w), ["我县", "70-79", "周岁"]);
        // ≥98% keeps its sign and its percent.
        assert_eq!(wrap("满意度≥98%", 6.0, &w), ["满意度", "≥98%"]);
    }

    #[test]
    fn runs_longer_than_a_line_are_cut() {
        assert_eq!(wrap("1234567890", 4.0, &w), ["1234", "5678", "90"]);
        // a cut glued unit lets its closing punctuation hang rather than start a line
        assert_eq!(wrap("岁）。", 2.0, &w), ["岁）。"]);
    }

    #[test]
    fn spaces_break_and_vanish_at_line_ends() {
        assert_eq!(
            wrap("目标1: 我县 2022年", 8.0, &w),
            ["目标1:", "我县", "2022年"]
        );
        assert_eq!(wrap("a b", 10.0, &w), ["a b"]);
    }

    #[test]
    fn newlines_break_and_empty_text_has_no_lines() {
        assert_eq!(wrap("甲\n乙", 10.0, &w), ["甲", "乙"]);
        assert!(wrap("  ", 10.0, &w).is_empty());
    }

    #[test]
    fn balanced_lines_for_centred_cells() {
        assert_eq!(
            wrap_balanced("项目资金（万元）", 12.0, &w),
            ["项目资金", "（万元）"]
        );
        assert_eq!(
            wrap_balanced("年度资金总额（万元）", 16.0, &w),
            ["年度资金总额", "（万元）"]
        );
        assert_eq!(wrap_balanced("服务对象满意度指标", 12.0, &w).len(), 2);
        // one line stays one line; the line count never grows
        assert_eq!(wrap_balanced("其他资金", 12.0, &w), ["其他资金"]);
        let text = "城乡居民社会养老保险基金县级配套项目";
        for max in [10.0, 16.0, 24.0, 40.0] {
            let b = wrap_balanced(text, max, &w);
            assert_eq!(b.len(), wrap(text, max, &w).len());
            assert_eq!(b.concat(), text);
        }
    }

    #[test]
    fn nothing_is_lost() {
        let text = "目标1: 我县2021年实际领取待遇人员3021人, 2022年预测增加296人（含70-79周岁）。";
        for max in [6.0, 9.0, 14.0, 30.0] {
            let lines = wrap(text, max, &w);
            check_rules(&lines);
            let joined: String = lines.concat();
            let expect: String = text.chars().filter(|c| *c != ' ').collect();
            assert_eq!(joined.replace(' ', ""), expect, "max {max}");
            for l in &lines {
                assert!(w(l) <= max || units(l).len() == 1, "{l} wider than {max}");
            }
        }
    }
}
