//! Source positions for a DOM that has none.
//!
//! scraper (html5ever) keeps no source positions, so the source is scanned once, separately,
//! for the start tags of the elements whose positions we report (cells, tables, text blocks,
//! `<br>`) and for the first character of every run of text between tags. While the reader
//! walks the DOM in document order, a [`Locator`] matches each element to the next start tag
//! of the same name at or after a cursor, and each text node to the next text run. In
//! well-formed HTML this is exact. Where the parser dropped a tag (a `<td>` outside any
//! table), invented one (an implied `<p>` for a stray `</p>`) or moved content (text inside a
//! `<table>` but outside its cells is moved before the table), the search is bounded and a
//! node that matches nothing takes the last position found before it, so a position is at
//! worst a neighbour's, never past the end of the text.

use jixiao_grid::Pos;

/// Elements whose start tags are matched. Elements the parser may invent silently (`html`,
/// `body`, `tbody`, `tr`) are left out so that they can never steal a later tag.
const POSITIONED: &[&str] = &[
    "table",
    "caption",
    "td",
    "th",
    "br",
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "blockquote",
    "dt",
    "dd",
    "center",
    "section",
    "article",
];

/// How many positioned start tags past the cursor an element may be matched to: enough to
/// skip tags the parser dropped, little enough that a missing element cannot jump far ahead.
const LOOKAHEAD: usize = 16;

/// Elements whose content is not markup.
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// True for the elements a [`Locator`] positions.
pub(crate) fn positioned(name: &str) -> bool {
    POSITIONED.contains(&name)
}

/// The scanned source.
pub(crate) struct Locator<'a> {
    text: &'a str,
    /// Positioned start tags: byte offset of `<` and the lower-case name.
    tags: Vec<(usize, String)>,
    /// Byte offset of the first non-whitespace character of each run of text between tags.
    runs: Vec<usize>,
    line_starts: Vec<usize>,
    /// The last offset turned into a column: (line index, byte offset, column). Lookups move
    /// forward through the text, so each counts characters from the last one, not from the
    /// start of the line: linear over a page, even one whose table is a single line.
    last: std::cell::Cell<(usize, usize, u32)>,
    /// Characters counted by [`Locator::pos`] so far (for tests of the work done).
    counted: std::cell::Cell<u64>,
    /// Nothing before this byte offset is matched any more.
    pub cursor: usize,
    first_line: u32,
    first_column: u32,
}

impl<'a> Locator<'a> {
    /// Scans `text`, which starts at `first_line`:`first_column` of its file.
    pub(crate) fn new(text: &'a str, first_line: u32, first_column: u32) -> Self {
        let (tags, runs) = scan(text);
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Locator {
            text,
            tags,
            runs,
            line_starts,
            last: std::cell::Cell::new((0, 0, 1)),
            counted: std::cell::Cell::new(0),
            cursor: 0,
            first_line,
            first_column,
        }
    }

    /// The start tag of the element `name` met next in document order, if it has one.
    pub(crate) fn element(&mut self, name: &str) -> Option<usize> {
        if !positioned(name) {
            return None;
        }
        let from = self.tags.partition_point(|(at, _)| *at < self.cursor);
        let (at, _) = self.tags[from..]
            .iter()
            .take(LOOKAHEAD)
            .find(|(_, n)| n == name)?;
        self.cursor = at + 1;
        Some(*at)
    }

    /// The start of the text node met next in document order.
    pub(crate) fn text_run(&mut self) -> Option<usize> {
        let from = self.runs.partition_point(|at| *at < self.cursor);
        let at = *self.runs.get(from)?;
        self.cursor = at + 1;
        Some(at)
    }

    /// The last position matched (the start of the text before anything matched).
    pub(crate) fn here(&self) -> Pos {
        self.pos(self.cursor.saturating_sub(1))
    }

    /// A byte offset as a 1-based line and column (in characters).
    pub(crate) fn pos(&self, offset: usize) -> Pos {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let index = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let (last_index, last_offset, last_column) = self.last.get();
        let (from, base) = if last_index == index && last_offset <= offset {
            (last_offset, last_column)
        } else {
            (self.line_starts[index], 1)
        };
        let counted = self.text[from..offset].chars().count();
        self.counted.set(self.counted.get() + counted as u64);
        let column = base.saturating_add(counted as u32);
        self.last.set((index, offset, column));
        let line = self.first_line.saturating_add(index as u32);
        let column = if index == 0 {
            column.saturating_add(self.first_column.saturating_sub(1))
        } else {
            column
        };
        Pos::Line { line, column }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Finds the positioned start tags and the text runs, as an HTML tokenizer would see them:
/// comments, doctypes and the content of raw-text elements (`<script>`) are not markup, a
/// `>` inside a quoted attribute value does not end a tag, and a `<` not followed by a letter
/// is text.
fn scan(text: &str) -> (Vec<(usize, String)>, Vec<usize>) {
    let bytes = text.as_bytes();
    let mut tags = Vec::new();
    let mut runs = Vec::new();
    let mut in_run = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b != b'<' {
            if !b.is_ascii_whitespace() && !in_run {
                runs.push(i);
                in_run = true;
            }
            i += 1;
            continue;
        }
        let next = bytes.get(i + 1).copied().unwrap_or(0);
        if bytes[i..].starts_with(b"<!--") {
            in_run = false;
            i = find(bytes, i + 4, b"-->").map_or(bytes.len(), |e| e + 3);
        } else if next == b'!' || next == b'?' {
            in_run = false;
            i = find(bytes, i + 2, b">").map_or(bytes.len(), |e| e + 1);
        } else if next == b'/' && bytes.get(i + 2).is_some_and(u8::is_ascii_alphabetic) {
            in_run = false;
            i = tag_end(bytes, i + 2);
        } else if next.is_ascii_alphabetic() {
            in_run = false;
            let name_end = i
                + 1
                + bytes[i + 1..]
                    .iter()
                    .take_while(|c| !c.is_ascii_whitespace() && !matches!(c, b'/' | b'>'))
                    .count();
            let name = text[i + 1..name_end].to_ascii_lowercase();
            let end = tag_end(bytes, name_end);
            if positioned(&name) {
                tags.push((i, name.clone()));
            }
            i = end;
            if RAW_TEXT.contains(&name.as_str()) {
                let close = format!("</{name}");
                let content_end = find_ascii_ci(bytes, i, close.as_bytes()).unwrap_or(bytes.len());
                if matches!(name.as_str(), "textarea" | "title")
                    && let Some(k) = (i..content_end).find(|&k| !bytes[k].is_ascii_whitespace())
                {
                    runs.push(k);
                }
                i = content_end;
            }
        } else {
            if !in_run {
                runs.push(i);
                in_run = true;
            }
            i += 1;
        }
    }
    (tags, runs)
}

/// The offset after the `>` that ends a tag whose attributes start at `from`.
fn tag_end(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (k, &c) in bytes.iter().enumerate().skip(from) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == b'"' || c == b'\'' => quote = Some(c),
            None if c == b'>' => return k + 1,
            None => {}
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn find_ascii_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes
        .get(from..)?
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_on_one_long_line_are_counted_once() {
        let cells = 20_000;
        let mut src = String::from("<table><tr>");
        for i in 0..cells {
            src.push_str(&format!("<td>指标{i}</td>"));
        }
        src.push_str("</tr></table>");
        let mut loc = Locator::new(&src, 1, 1);
        let mut last = 0;
        for _ in 0..cells {
            let at = loc.element("td").unwrap();
            let Pos::Line { line, column } = loc.pos(at) else {
                unreachable!()
            };
            assert_eq!(line, 1);
            assert!(column > last);
            last = column;
        }
        assert_eq!(
            last as usize,
            src[..src.rfind("<td>").unwrap()].chars().count() + 1
        );
        // Linear: every character counted at most once (a quadratic walk counts ~10⁹).
        assert!(loc.counted.get() <= src.chars().count() as u64);
    }

    #[test]
    fn tags_and_runs() {
        let src = "<!-- <td> -->标题<table border=\"a>b\">\n <tr><TD>甲</td><td>&ge;1</td></tr><script>'<td>'</script></table>";
        let mut loc = Locator::new(src, 10, 5);
        assert_eq!(
            loc.text_run().map(|o| loc.pos(o)),
            Some(Pos::Line {
                line: 10,
                column: 18
            })
        );
        assert_eq!(
            loc.element("table").map(|o| loc.pos(o)),
            Some(Pos::Line {
                line: 10,
                column: 20
            })
        );
        assert_eq!(
            loc.element("td").map(|o| loc.pos(o)),
            Some(Pos::Line {
                line: 11,
                column: 6
            })
        );
        assert_eq!(
            loc.text_run().map(|o| loc.pos(o)),
            Some(Pos::Line {
                line: 11,
                column: 10
            })
        );
        assert_eq!(
            loc.element("td").map(|o| loc.pos(o)),
            Some(Pos::Line {
                line: 11,
                column: 16
            })
        );
        assert_eq!(loc.text_run().map(|o| &src[o..o + 4]), Some("&ge;"));
        assert_eq!(
            loc.element("td"),
            None,
            "the <td> in the script is not a tag"
        );
        assert_eq!(
            loc.element("tbody"),
            None,
            "implied elements are never matched"
        );
    }

    #[test]
    fn a_dropped_tag_is_skipped() {
        let src = "<td>x</td><p>a</p>";
        let mut loc = Locator::new(src, 1, 1);
        assert_eq!(loc.element("p"), Some(10));
        assert_eq!(
            loc.here(),
            Pos::Line {
                line: 1,
                column: 11
            }
        );
    }
}
