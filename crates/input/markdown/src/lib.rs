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
//! ```
//! use jixiao_markdown::read;
//! let grid = read("# 标题\n\n<b>预算单位</b>\t和硕县民政局\t\n", Some("a.md"));
//! assert_eq!(grid.rows[0].cells[0].text, "标题");
//! let row = &grid.rows[1];
//! assert_eq!(row.cells.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["预算单位", "和硕县民政局", ""]);
//! assert_eq!(row.cells[1].pos, jixiao_grid::Pos::Line { line: 3, column: 13 });
//! ```

use jixiao_grid::{Cell, Grid, Pos, Row, RowKind};
use pulldown_cmark::{Event, Parser, Tag};

/// Reads Markdown/OCR text into one grid. Never fails: text that is not a table becomes text rows.
pub fn read(text: &str, file: Option<&str>) -> Grid {
    let mut grid = Grid::new(file.map(str::to_string), None);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
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
            {
                i += 1;
            }
            grid.rows.extend(prose_rows(&lines[start..i], start));
        }
    }
    grid
}

/// Splits a line on `sep`; each field becomes a cell positioned at its first character.
fn split_row(line: &str, sep: char, index: usize) -> Vec<Cell> {
    let mut cells = Vec::new();
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
    let text = text.replace("**", "");
    text.trim_matches(|c: char| c.is_whitespace()).to_string()
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

    fn texts(grid: &Grid) -> Vec<Vec<&str>> {
        grid.rows
            .iter()
            .map(|r| r.cells.iter().map(|c| c.text.as_str()).collect())
            .collect()
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
    fn crlf() {
        let g = read("预算单位\t和硕县民政局\r\n", None);
        assert_eq!(texts(&g), vec![vec!["预算单位", "和硕县民政局"]]);
    }
}
