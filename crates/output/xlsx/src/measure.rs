//! How much room wrapped text needs: line counts and row heights.
//!
//! Excel sets no height for rows of wrapped text that it did not lay out itself, and
//! rust_xlsxwriter's `autofit` counts a CJK character as narrow; so heights are computed
//! here. A 宋体-like font is assumed: a CJK character (and an East Asian ambiguous one such as
//! `≥` or `“`) is one em wide, ASCII half an em. Pixels are at 96 dpi.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Pixels per point at 96 dpi.
const PX_PER_PT: f64 = 4.0 / 3.0;
/// Pixels a cell keeps free beside its text (Excel's inner margins, both sides).
const CELL_MARGIN_PX: f64 = 6.0;
/// Points of room above and below the text of a row.
const ROW_PADDING_PT: f64 = 6.0;
/// Share of the width counted as usable, for viewers whose substitute font runs wider.
const SLACK: f64 = 0.95;

/// The width of a half-width digit, in pixels, at `size` points.
pub(crate) fn digit_px(size: f64) -> u32 {
    (size * PX_PER_PT / 2.0).round() as u32
}

/// A column's width in pixels, as Excel computes it from a width in character units.
pub(crate) fn column_px(chars: f64, body_size: f64) -> f64 {
    let digit = f64::from(digit_px(body_size));
    (chars * digit + 0.5).trunc() + 5.0
}

/// How many half-em units fit on one line of a cell `width_px` wide at `size` points.
fn max_units(width_px: f64, size: f64) -> f64 {
    let half_em = size * PX_PER_PT / 2.0;
    // The epsilon keeps a text that fits exactly from wrapping through rounding.
    ((width_px - CELL_MARGIN_PX) * SLACK / half_em).max(2.0) + 1e-6
}

/// How many lines `text` takes at `size` points in a cell `width_px` wide, counting its
/// explicit line breaks; at least one.
pub(crate) fn lines(text: &str, width_px: f64, size: f64) -> usize {
    let max_units = max_units(width_px, size);
    text.split('\n')
        .map(|para| wrapped_lines(para.trim_end_matches('\r'), max_units))
        .sum::<usize>()
        .max(1)
}

/// A label of the form that does not fit on one line, with its line breaks written in by the
/// Chinese line-breaking rules ([`jixiao_layout::linebreak::wrap_balanced`]): Excel breaks
/// CJK text anywhere, so `年度资金总额（万元）` would end with `）` alone on a line; with the
/// breaks written it reads `年度资金总额` / `（万元）`, as on the PDF. A label that fits is
/// returned as it is.
pub(crate) fn wrap_label(text: &str, width_px: f64, size: f64) -> std::borrow::Cow<'_, str> {
    if text.contains('\n') || lines(text, width_px, size) <= 1 {
        return std::borrow::Cow::Borrowed(text);
    }
    let width = |s: &str| s.width_cjk() as f32;
    let wrapped =
        jixiao_layout::linebreak::wrap_balanced(text, max_units(width_px, size) as f32, &width);
    std::borrow::Cow::Owned(wrapped.join("\n"))
}

/// The height in points of a row showing `lines` lines.
pub(crate) fn row_height(lines: usize, size: f64, line_spacing: f64) -> f64 {
    lines.max(1) as f64 * size * line_spacing + ROW_PADDING_PT
}

/// Greedy wrapping as a spreadsheet does it: a CJK character may end a line anywhere, a run
/// of ASCII letters and digits moves whole to the next line unless it is longer than a line.
fn wrapped_lines(para: &str, max_units: f64) -> usize {
    let mut lines = 1;
    let mut used = 0.0;
    for token in tokens(para) {
        let w = token.width_cjk() as f64;
        if used + w <= max_units {
            used += w;
        } else if token.trim().is_empty() {
            // A space at the end of a line disappears into the break.
            lines += 1;
            used = 0.0;
        } else if w <= max_units {
            lines += 1;
            used = w;
        } else {
            for c in token.chars() {
                let cw = c.width_cjk().unwrap_or(0) as f64;
                if used + cw > max_units && used > 0.0 {
                    lines += 1;
                    used = 0.0;
                }
                used += cw;
            }
        }
    }
    lines
}

/// Splits text into runs of ASCII graphic characters (words, numbers) and single other
/// characters.
fn tokens(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let word = c.is_ascii_graphic();
        match (word, start) {
            (true, None) => start = Some(i),
            (true, Some(_)) => {}
            (false, Some(st)) => {
                out.push(&s[st..i]);
                start = None;
                out.push(&s[i..i + c.len_utf8()]);
            }
            (false, None) => out.push(&s[i..i + c.len_utf8()]),
        }
    }
    if let Some(st) = start {
        out.push(&s[st..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Width in pixels of `units` half-ems at 10.5 pt, plus the cell margins, before slack.
    fn cell(units: f64) -> f64 {
        units * 7.0 / SLACK + CELL_MARGIN_PX
    }

    #[test]
    fn labels_that_do_not_fit_are_broken_by_the_rules() {
        let size = 10.5;
        // Room for about eight CJK characters.
        let width = 8.0 * size * PX_PER_PT / SLACK + CELL_MARGIN_PX + 2.0;
        assert_eq!(
            wrap_label("年度资金总额（万元）", width, size),
            "年度资金总额\n（万元）"
        );
        assert_eq!(wrap_label("项目名称", width, size), "项目名称");
        assert_eq!(
            lines(
                &wrap_label("年度资金总额（万元）", width, size),
                width,
                size
            ),
            2
        );
    }

    #[test]
    fn cjk_counts_two_units() {
        assert_eq!(lines("一二三四五", cell(10.0), 10.5), 1);
        assert_eq!(lines("一二三四五六", cell(10.0), 10.5), 2);
        assert_eq!(lines("一二三四五六七八九十一", cell(10.0), 10.5), 3);
    }

    #[test]
    fn explicit_breaks_count_and_empty_is_one_line() {
        assert_eq!(lines("", cell(10.0), 10.5), 1);
        assert_eq!(lines("一\n二\n三", cell(10.0), 10.5), 3);
        assert_eq!(lines("一\r\n\r\n三", cell(10.0), 10.5), 3);
    }

    #[test]
    fn ascii_words_move_whole_and_long_ones_break() {
        // 8 units of CJK, then a 5-digit number that does not fit the 2 units left.
        assert_eq!(lines("一二三四12212", cell(10.0), 10.5), 2);
        assert_eq!(lines("1234567890123456789012345", cell(10.0), 10.5), 3);
        // Ambiguous-width signs are as wide as a CJK character in 宋体.
        assert_eq!(lines("≥≥≥≥≥", cell(10.0), 10.5), 1);
        assert_eq!(lines("≥≥≥≥≥≥", cell(10.0), 10.5), 2);
    }

    #[test]
    fn heights_and_columns() {
        assert_eq!(digit_px(10.5), 7);
        assert_eq!(column_px(13.0, 10.5), 96.0);
        assert!((row_height(2, 10.5, 1.35) - 34.35).abs() < 1e-9);
    }
}
