//! Markdown as OCR tools produce it, read into a [`Grid`].
//!
//! OCR output is Markdown only in part: tables arrive as TAB-separated lines in which an empty
//! cell is a flattened merged cell, labels carry `<b>…</b>` or `**…**`, and titles are `#`
//! headings or bold lines. pulldown-cmark would mangle the tab rows (a line starting with a
//! TAB becomes code, a lone `<b>` opens an HTML block), so lines are split first:
//!
//! - a line containing a TAB is a table row, one cell per TAB-separated field;
//! - a run of `|`-lines is a GFM pipe table (the `|---|` delimiter row is dropped);
//! - everything else is prose, parsed with pulldown-cmark; each source line with text becomes
//!   a one-cell [`RowKind::Text`] row.
//!
//! Inline HTML in cells (`<b>`, `<br>`, `&ge;`) is reduced to its text with scraper. Every
//! cell keeps its line and column. A `.txt` file of the same content reads the same way.
//!
//! A `<table>` block, as MinerU and similar OCR tools emit it (often one long line, possibly
//! over several lines and with nested tables), goes through the HTML reader
//! ([`jixiao_html::read`]): the block runs from the first line with a `<table` tag to the line
//! where its `</table>` tags balance (or to the end of the file), its rows are spliced in at
//! that place and keep the file's lines and columns. Text on those lines outside the table
//! becomes text rows as HTML text does (Markdown syntax in it is not interpreted).
//!
//! ```
//! use jixiao_markdown::read;
//! let grid = read("# 标题\n\n<b>预算单位</b>\t和硕县民政局\t\n", Some("a.md"));
//! assert_eq!(grid.rows[0].cells[0].text, "标题");
//! let row = &grid.rows[1];
//! assert_eq!(row.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["预算单位", "和硕县民政局", ""]);
//! assert_eq!(row.cells[1].pos, jixiao_grid::Pos::Line { line: 3, column: 13 });
//! ```

mod shapes;

pub use jixiao_grid::Shape;
use jixiao_grid::{Cell, Grid, Pos, Row, RowKind};
pub use jixiao_html::Page;
use pulldown_cmark::{Event, Parser, Tag};

/// One way of cutting a text into cells: the shape and the grid (with the reader's
/// diagnostics) it gives.
#[derive(Debug, Clone)]
pub struct Reading {
    /// The shape the text was read in.
    pub shape: Shape,
    /// The grid and the reader's diagnostics (I3xx).
    pub page: Page,
}

/// Every plausible reading of a text, the plain one ([`read_page`]) first, then one per other
/// shape the text shows signs of (pipe rows without a leading `|` or without the `|---|` line,
/// one cell per line with `|` row markers, one cell per paragraph, cells separated by runs of
/// spaces or by single spaces; see [`Shape`]). Choosing among them is form knowledge: the
/// recognizer keeps the reading the form explains best. Never fails; a text in none of the
/// other shapes gives the plain reading alone.
///
/// The readings are made one at a time as the iterator is advanced, so a caller that keeps
/// only the best one holds at most two grids of a large text, never all of them.
///
/// ```
/// use jixiao_markdown::{readings, Shape};
/// let text = "项目名称 | 甲 | ||||\n一级指标 | 二级指标 | 三级指标 | 指标值 | |\n";
/// let all: Vec<_> = readings(text, Some("a.md")).collect();
/// assert_eq!(all[0].shape, Shape::Plain);
/// let pipes = all.iter().find(|r| r.shape == Shape::Pipes).unwrap();
/// assert_eq!(pipes.page.grid.rows[1].cells.len(), 4);
/// ```
pub fn readings<'a>(text: &'a str, file: Option<&'a str>) -> impl Iterator<Item = Reading> + 'a {
    let plain = std::iter::once_with(move || Reading {
        shape: Shape::Plain,
        page: read_page(text, file),
    });
    let mut others: Option<(Vec<&'a str>, std::vec::IntoIter<Shape>)> = None;
    let others = std::iter::from_fn(move || {
        let (lines, shapes) = others.get_or_insert_with(|| {
            let lines = shapes::lines(text);
            let proposed = shapes::proposed(&lines);
            (lines, proposed.into_iter())
        });
        let shape = shapes.next()?;
        Some(Reading {
            shape,
            page: shapes::read_shape(lines, file, shape),
        })
    });
    plain.chain(others)
}

/// Reads Markdown/OCR text into one grid. Never fails: text that is not a table becomes text
/// rows. The HTML reader's diagnostics for embedded `<table>` blocks are dropped here: use
/// [`read_page`] to keep them.
pub fn read(text: &str, file: Option<&str>) -> Grid {
    read_page(text, file).grid
}

/// Reads Markdown/OCR text into one grid, with the diagnostics of embedded `<table>` blocks
/// (I3xx, see [`jixiao_html`]).
///
/// ```
/// let md = "# 标题\n\n<table><tr><td rowspan=\"2\">产出指标</td><td>数量指标</td></tr><tr><td>质量指标</td></tr></table>\n\n说明\n";
/// let page = jixiao_markdown::read_page(md, Some("mineru.md"));
/// let rows = &page.grid.rows;
/// assert_eq!(rows[1].cells[0].row_span, 2);
/// assert_eq!(rows[2].cells[1].text, "质量指标");
/// assert_eq!(rows[2].cells[1].pos, jixiao_grid::Pos::Line { line: 3, column: 59 });
/// assert_eq!(rows[3].cells[0].text, "说明");
/// assert!(page.diagnostics.is_empty());
/// ```
pub fn read_page(text: &str, file: Option<&str>) -> Page {
    let mut grid = Grid::new(file.map(str::to_string), None);
    let mut diagnostics = Vec::new();
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
        } else if table_tags(line).0 > 0 {
            let end = html_block_end(&lines, i);
            let block = lines[i..end].join("\n");
            let options = jixiao_html::Options {
                file,
                first_line: i as u32 + 1,
                first_column: 1,
            };
            let mut page = jixiao_html::read(&block, &options);
            grid.rows.append(&mut page.grid.rows);
            diagnostics.append(&mut page.diagnostics);
            i = end;
        } else if line.contains('\t') {
            grid.rows
                .push(Row::new(RowKind::Table, split_row(line, '\t', i)));
            i += 1;
        } else if is_pipe_row(line) {
            while i < lines.len() && is_pipe_row(lines[i]) {
                let cells = split_pipe_row(lines[i], i);
                if !cells.iter().all(|c| is_delimiter_cell(&c.text)) {
                    grid.rows.push(Row::new(RowKind::Table, cells));
                }
                i += 1;
            }
        } else {
            let start = i;
            while i < lines.len()
                && !lines[i].trim().is_empty()
                && !lines[i].contains('\t')
                && !is_pipe_row(lines[i])
                && table_tags(lines[i]).0 == 0
            {
                i += 1;
            }
            grid.rows.extend(prose_rows(&lines[start..i], start));
        }
    }
    Page { grid, diagnostics }
}

/// How many `<table` and `</table` tags a line holds (any case).
fn table_tags(line: &str) -> (usize, usize) {
    let lower = line.to_ascii_lowercase();
    let count = |tag: &str| {
        lower
            .match_indices(tag)
            .filter(|(at, _)| {
                lower[at + tag.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
            })
            .count()
    };
    (count("<table"), count("</table"))
}

/// The line after the one on which the `<table>` block starting at `start` closes: where as
/// many `</table>` as `<table>` tags have been seen, or the end of the text.
fn html_block_end(lines: &[&str], start: usize) -> usize {
    let mut depth = 0usize;
    for (k, line) in lines.iter().enumerate().skip(start) {
        let (open, close) = table_tags(line);
        depth = (depth + open).saturating_sub(close);
        if depth == 0 {
            return k + 1;
        }
    }
    lines.len()
}

/// Splits a line on `sep`; each field becomes a cell positioned at its first character.
fn split_row(line: &str, sep: char, index: usize) -> Vec<Cell> {
    // Sized to the row: a grown vector would hold room for up to twice its cells, for
    // every row of a large text.
    let mut cells = Vec::with_capacity(line.matches(sep).count() + 1);
    let mut column = 1u32;
    for field in line.split(sep) {
        cells.push(Cell::new(
            clean_inline(field),
            Pos::Line {
                line: index as u32 + 1,
                column,
            },
        ));
        column += field.chars().count() as u32 + 1;
    }
    cells
}

fn is_pipe_row(line: &str) -> bool {
    let t = line.trim();
    t.len() > 1 && t.starts_with('|')
}

/// Splits `| a | b |` on unescaped pipes, dropping the outer ones.
fn split_pipe_row(line: &str, index: usize) -> Vec<Cell> {
    let lead = line.len() - line.trim_start().len();
    let body = line.trim();
    let inner = body.strip_prefix('|').unwrap_or(body);
    let inner = match inner.strip_suffix('|') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => inner,
    };
    let mut cells = Vec::new();
    let mut field = String::new();
    let mut column = line[..lead].chars().count() as u32 + 2;
    let mut field_col = column;
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        column += 1;
        if c == '\\' && chars.peek() == Some(&'|') {
            field.push('|');
            chars.next();
            column += 1;
        } else if c == '|' {
            cells.push(Cell::new(
                clean_inline(&field),
                Pos::Line {
                    line: index as u32 + 1,
                    column: field_col,
                },
            ));
            field.clear();
            field_col = column;
        } else {
            field.push(c);
        }
    }
    cells.push(Cell::new(
        clean_inline(&field),
        Pos::Line {
            line: index as u32 + 1,
            column: field_col,
        },
    ));
    cells
}

fn is_delimiter_cell(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.trim_matches(':').chars().all(|c| c == '-') && t.contains('-')
}

/// Text of a cell: inline HTML reduced to text (`<br>` → newline, entities decoded), `**`
/// emphasis removed, outer whitespace trimmed.
pub fn clean_inline(s: &str) -> String {
    let text = if s.contains('<') || s.contains('&') {
        html_text(s)
    } else {
        s.to_string()
    };
    let text = strip_strong(&text);
    text.trim_matches(|c: char| c.is_whitespace()).to_string()
}

/// Removes the `**` that make text bold (`**预算单位**`) and keeps those that are text: the
/// template hint `(≥**元/人·月)` writes `**` for a number still to be filled in. As in
/// CommonMark, an opening `**` must be left-flanking (followed by text, and not by
/// punctuation unless punctuation or a space comes before it) and a closing one
/// right-flanking; a `**` with no partner stays as written.
fn strip_strong(text: &str) -> String {
    if !text.contains("**") {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let punct = |c: Option<char>| c.is_some_and(|c| !c.is_alphanumeric() && !c.is_whitespace());
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    // The runs of exactly two stars, with whether each may open and close.
    let mut runs: Vec<(usize, bool, bool)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '*' {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i] == '*' {
            i += 1;
        }
        if i - start != 2 {
            continue;
        }
        let before = start.checked_sub(1).map(|k| chars[k]);
        let after = chars.get(i).copied();
        let left = !space(after) && (!punct(after) || space(before) || punct(before));
        let right = !space(before) && (!punct(before) || space(after) || punct(after));
        runs.push((start, left, right));
    }
    let mut drop = vec![false; chars.len()];
    let mut open: Option<usize> = None;
    for &(at, left, right) in &runs {
        match open {
            Some(o) if right => {
                drop[o] = true;
                drop[o + 1] = true;
                drop[at] = true;
                drop[at + 1] = true;
                open = None;
            }
            _ if left => open = Some(at),
            _ => {}
        }
    }
    chars
        .iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(c, _)| c)
        .collect()
}

/// The text of an HTML fragment, with `<br>`, `<p>` and `<div>` as line breaks.
fn html_text(s: &str) -> String {
    let fragment = scraper::Html::parse_fragment(s);
    let mut out = String::new();
    for node in fragment.root_element().descendants() {
        match node.value() {
            scraper::Node::Text(t) => out.push_str(t),
            scraper::Node::Element(e)
                if matches!(e.name(), "br" | "p" | "div") && !out.is_empty() =>
            {
                out.push('\n')
            }
            _ => {}
        }
    }
    out
}

/// Prose lines through pulldown-cmark; one text row per source line that has text.
fn prose_rows(lines: &[&str], first: usize) -> Vec<Row> {
    let block = lines.join("\n");
    let starts: Vec<usize> = std::iter::once(0)
        .chain(block.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| starts.partition_point(|&s| s <= offset).saturating_sub(1);
    let mut texts = vec![String::new(); lines.len()];
    let mut ordered: Vec<Option<u64>> = Vec::new();
    for (event, range) in Parser::new(&block).into_offset_iter() {
        let at = line_of(range.start);
        match event {
            Event::Text(t) | Event::Code(t) => push_lines(&mut texts, at, &t),
            Event::Html(h) | Event::InlineHtml(h) => push_lines(&mut texts, at, &html_text(&h)),
            Event::Start(Tag::List(start)) => ordered.push(start),
            Event::End(pulldown_cmark::TagEnd::List(_)) => {
                ordered.pop();
            }
            Event::Start(Tag::Item) => {
                if let Some(Some(n)) = ordered.last_mut() {
                    texts[at].push_str(&format!("{n}. "));
                    *n += 1;
                }
            }
            _ => {}
        }
    }
    texts
        .into_iter()
        .enumerate()
        .filter_map(|(k, t)| {
            let t = t.trim().to_string();
            if t.is_empty() {
                return None;
            }
            let column = lines[k].chars().take_while(|c| c.is_whitespace()).count() as u32 + 1;
            let pos = Pos::Line {
                line: (first + k) as u32 + 1,
                column,
            };
            Some(Row::new(RowKind::Text, vec![Cell::new(t, pos)]))
        })
        .collect()
}

/// Appends text that may itself contain newlines (code blocks, HTML blocks) line by line.
fn push_lines(texts: &mut [String], at: usize, s: &str) {
    for (k, part) in s.split('\n').enumerate() {
        if let Some(buf) = texts.get_mut(at + k) {
            buf.push_str(part);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TAB row holds room for its cells only (a large text has a million rows).
    #[test]
    fn a_tab_row_holds_room_for_its_cells_only() {
        for line in [
            "a",
            "a\tb",
            "一级指标\t二级指标\t三级指标\t指标值\t分值\t备注",
        ] {
            let cells = split_row(line, '\t', 0);
            assert_eq!(cells.len(), line.split('\t').count());
            assert_eq!(cells.capacity(), cells.len());
        }
    }

    fn texts(grid: &Grid) -> Vec<Vec<&str>> {
        grid.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
    }

    proptest::proptest! {
        /// Removing bold marks only ever removes `**` pairs: every other character stays, in
        /// order, and text without `**` is unchanged.
        #[test]
        fn bold_marks_are_the_only_thing_removed(text in "[甲≥( )*元a]{0,30}") {
            let out = strip_strong(&text);
            let other = |s: &str| s.chars().filter(|c| *c != '*').collect::<String>();
            proptest::prop_assert_eq!(other(&out), other(&text));
            proptest::prop_assert_eq!((text.matches('*').count() - out.matches('*').count()) % 4, 0);
            if !text.contains("**") {
                proptest::prop_assert_eq!(out, text);
            }
        }
    }

    #[test]
    fn bold_marks_go_template_hints_stay() {
        assert_eq!(clean_inline("**预算单位**"), "预算单位");
        assert_eq!(clean_inline("项目 **名称** 甲"), "项目 名称 甲");
        assert_eq!(clean_inline("(≥**元/人·月)"), "(≥**元/人·月)");
        assert_eq!(clean_inline("数量( ≥**个 )"), "数量( ≥**个 )");
        assert_eq!(
            clean_inline("种植(≥**株),补助(≤**元/亩)"),
            "种植(≥**株),补助(≤**元/亩)"
        );
        assert_eq!(clean_inline("**"), "**");
        assert_eq!(clean_inline("***"), "***");
    }

    #[test]
    fn tab_rows_keep_empty_cells_and_leading_tabs() {
        let g = read("\t数量指标\t发放次数\t\t\t=1次\t\n", None);
        assert_eq!(
            texts(&g),
            vec![vec!["", "数量指标", "发放次数", "", "", "=1次", ""]]
        );
        assert_eq!(g.rows[0].kind, RowKind::Table);
    }

    #[test]
    fn prose_lines_become_text_rows_with_their_lines() {
        let g = read(
            "\n\n# 2022年度汇总表\n\n**项目支出绩效目标表**  \n(2022年)\n\n## (2022年)\n",
            Some("x.md"),
        );
        assert_eq!(
            texts(&g),
            vec![
                vec!["2022年度汇总表"],
                vec!["项目支出绩效目标表"],
                vec!["(2022年)"],
                vec!["(2022年)"]
            ]
        );
        let lines: Vec<_> = g.rows.iter().map(|r| r.cells[0].pos).collect();
        assert_eq!(lines[0], Pos::Line { line: 3, column: 1 });
        assert_eq!(lines[2], Pos::Line { line: 6, column: 1 });
        assert_eq!(lines[3], Pos::Line { line: 8, column: 1 });
        assert!(g.rows.iter().all(|r| r.kind == RowKind::Text));
    }

    #[test]
    fn inline_html_and_entities() {
        assert_eq!(clean_inline("<b>预算单位</b>"), "预算单位");
        assert_eq!(clean_inline("<=180元"), "<=180元");
        assert_eq!(clean_inline("&ge;95%"), "≥95%");
        assert_eq!(clean_inline("a<br>b"), "a\nb");
        assert_eq!(clean_inline(" **项目名称** "), "项目名称");
        assert_eq!(clean_inline("<5%"), "<5%");
    }

    #[test]
    fn pipe_tables() {
        let g = read(
            "| 一级指标 | 二级指标 |\n|---|:---:|\n| 产出指标 | a\\|b |\n",
            None,
        );
        assert_eq!(
            texts(&g),
            vec![vec!["一级指标", "二级指标"], vec!["产出指标", "a|b"]]
        );
        assert_eq!(g.rows[1].cells[1].pos, Pos::Line { line: 3, column: 9 });
    }

    #[test]
    fn lone_b_tag_and_ordered_lists_keep_text() {
        let g = read(
            "<b>\n项目支出绩效目标表\n</b>\n\n1. 第一条\n2. 第二条\n",
            None,
        );
        let all: Vec<String> = g.rows.iter().map(|r| r.cells[0].text.clone()).collect();
        assert!(all.contains(&"项目支出绩效目标表".to_string()), "{all:?}");
        assert!(
            all.contains(&"1. 第一条".to_string()) && all.contains(&"2. 第二条".to_string()),
            "{all:?}"
        );
    }

    #[test]
    fn embedded_tables_span_lines_and_keep_positions() {
        let md = "# 项目支出绩效目标表\n\n前言<TABLE border=1>\n<tr><td colspan=2>预算单位</td></tr>\n<tr><td>一</td><td><table><tr><td>内</td></tr></table></td></tr>\n</table>后记\n\n一级指标\t二级指标\n| a | b |\n";
        let page = read_page(md, Some("m.md"));
        assert_eq!(
            texts(&page.grid),
            vec![
                vec!["项目支出绩效目标表"],
                vec!["前言"],
                vec!["预算单位", ""],
                vec!["一", ""],
                vec!["内"],
                vec!["后记"],
                vec!["一级指标", "二级指标"],
                vec!["a", "b"]
            ]
        );
        let g = &page.grid;
        assert_eq!(g.rows[1].cells[0].pos, Pos::Line { line: 3, column: 1 });
        assert_eq!(g.rows[2].cells[0].pos, Pos::Line { line: 4, column: 5 });
        assert_eq!(g.rows[2].cells[0].col_span, 2);
        assert_eq!(
            g.rows[3].cells[1].pos,
            Pos::Line {
                line: 5,
                column: 15
            }
        );
        assert_eq!(
            g.rows[4].cells[0].pos,
            Pos::Line {
                line: 5,
                column: 30
            }
        );
        assert_eq!(g.rows[5].cells[0].pos, Pos::Line { line: 6, column: 9 });
        assert_eq!(g.rows[6].cells[1].pos, Pos::Line { line: 8, column: 6 });
        let codes: Vec<&str> = page.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["I323"]);
        assert_eq!(page.diagnostics[0].location.file.as_deref(), Some("m.md"));
    }

    #[test]
    fn unclosed_embedded_table_runs_to_the_end() {
        let page = read_page("<table><tr><td rowspan=\"x\">甲\n\n乙\t丙\n", None);
        assert_eq!(texts(&page.grid), vec![vec!["甲 乙 丙"]]);
        assert_eq!(page.diagnostics[0].code, "I320");
        assert_eq!(page.diagnostics[0].location.line, Some(1));
    }

    #[test]
    fn crlf() {
        let g = read("预算单位\t和硕县民政局\r\n", None);
        assert_eq!(texts(&g), vec![vec!["预算单位", "和硕县民政局"]]);
    }
}
