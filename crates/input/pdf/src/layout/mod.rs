//! One page's glyphs and border pieces made into blocks: ruled tables (cells with their spans)
//! and lines of text, top to bottom. Pure geometry, no PDF: the tests build pages by hand.
//!
//! **Ruled tables (lattice).** Border pieces at (nearly) the same height are one ruling when
//! they touch or overlap: Word draws a border per cell, jixiao's writer a rectangle per cell
//! edge. Rulings that cross or meet belong to one table. The table's row boundaries are the
//! heights of its horizontal rulings, its column boundaries the positions of its vertical ones
//! (boundaries closer than [`MIN_GAP`](rules::MIN_GAP) are one: double borders). Between two neighbouring slots
//! there is a border when a ruling covers at least half of their common edge; a merged cell is
//! the largest rectangle of slots with no border inside, grown right first then down — so a
//! merged cell is one cell with its row and column spans, as in the other readers.
//!
//! **Glyphs to cells.** A glyph goes to the cell holding the centre of its em box. In a cell,
//! glyphs are ordered into lines by baseline and left to right; a line that ends near the
//! cell's right edge was wrapped by the writer and continues without a break, any other line
//! ends with `\n`. A space is put between two glyphs only when neither is CJK and they are
//! apart by more than a quarter of the font size: a PDF draws no spaces between Chinese
//! characters, and distributed alignment (`合    计`) is not text.

mod glyphs;
mod rules;
mod tagged;
#[cfg(test)]
mod tests;
pub(crate) mod text;
mod unruled;

use crate::interp::PageContent;
use glyphs::{clean, strike_out};
use rules::{find_tables, rulings};
use tagged::tagged_table;
use text::{fill, lines};
use unruled::unruled;

/// The most rulings per direction a page may have for tables to be looked for (a real form has
/// a few dozen; a drawing made of hatching has thousands).
pub(crate) const MAX_RULINGS: usize = 5000;

/// A text fragment of a line: glyphs with no wide gap between them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Chunk {
    /// The text.
    pub(crate) text: String,
    /// Left edge.
    pub(crate) x0: f64,
    /// Right edge.
    pub(crate) x1: f64,
}

/// A line of text outside the ruled tables.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    /// Its fragments left to right, split where the gap is wider than 1.5 em.
    pub(crate) chunks: Vec<Chunk>,
    /// The top of the line.
    pub(crate) top: f64,
    /// The font size.
    pub(crate) size: f64,
}

impl Line {
    /// The line as one text, wide gaps as two spaces.
    pub(crate) fn text(&self) -> String {
        self.chunks
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("  ")
    }
}

/// A slot of a table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Slot {
    /// The top-left slot of a cell.
    Origin {
        /// The cell's text.
        text: String,
        /// Rows spanned.
        rows: usize,
        /// Columns spanned.
        cols: usize,
    },
    /// A slot covered by the cell whose origin is at (row, column).
    Covered {
        /// The origin's row.
        row: usize,
        /// The origin's column.
        col: usize,
    },
}

/// A ruled table found on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    /// Column boundaries, left to right.
    pub(crate) xs: Vec<f64>,
    /// Row boundaries, top to bottom.
    pub(crate) ys: Vec<f64>,
    /// `rows × columns` slots.
    pub(crate) slots: Vec<Vec<Slot>>,
    /// Where its cells came from.
    pub(crate) source: Source,
}

/// How a table was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// From its borders.
    Ruled,
    /// From the alignment of lines without borders.
    Aligned,
    /// From the structure tree: the number of the tagged table in the document.
    Tagged(usize),
}

/// A block of a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A ruled table.
    Table(Table),
    /// A line of text outside the tables.
    Line(Line),
}

impl Block {
    fn top(&self) -> f64 {
        match self {
            Block::Table(t) => t.ys[0],
            Block::Line(l) => l.top,
        }
    }
}

/// One page laid out.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageLayout {
    /// Tables and lines, top to bottom.
    pub(crate) blocks: Vec<Block>,
    /// Glyphs drawn twice at nearly the same place (fake bold), counted once.
    pub(crate) fake_bold: usize,
    /// Kangxi radicals / CJK radical supplement characters read as the unified ideograph.
    pub(crate) radicals: usize,
    /// Glyphs whose font gives no Unicode, read as U+FFFD, with their character codes.
    pub(crate) unmapped: Vec<u32>,
    /// True when the page had too many rulings to look for tables.
    pub(crate) too_many_rulings: bool,
    /// Glyphs with text.
    pub(crate) glyphs: usize,
    /// Runs of struck-through text left out (a document printed with its deletions showing).
    pub(crate) struck: Vec<String>,
}

/// A cleaned glyph: one character (or ligature), its box.
#[derive(Debug, Clone)]
struct G {
    text: String,
    x0: f64,
    x1: f64,
    baseline: f64,
    size: f64,
    mcid: Option<i64>,
}

impl G {
    fn centre(&self) -> (f64, f64) {
        ((self.x0 + self.x1) / 2.0, self.baseline - 0.35 * self.size)
    }
}

/// The part of a tagged table (structure tree) on one page: its grid width, its rows on this
/// page and its cells there — (row, column, rows spanned, columns spanned, the MCIDs of this
/// page it owns).
#[derive(Debug, Clone, Default)]
pub(crate) struct TaggedPart {
    /// The number of the tagged table in the document (its parts on several pages are one).
    pub(crate) table: usize,
    /// Columns.
    pub(crate) width: usize,
    /// Rows on this page.
    pub(crate) rows: usize,
    /// The cells.
    pub(crate) cells: Vec<(usize, usize, usize, usize, Vec<i64>)>,
}

/// Lays one page out. Glyphs inside ruled tables go to their cells; of the others, those whose
/// marked content a tagged table's cell owns go to that cell; the rest are lines.
pub(crate) fn layout(content: &PageContent, tagged: &[TaggedPart]) -> PageLayout {
    let mut out = PageLayout::default();
    let glyphs = clean(&content.glyphs, &mut out);
    out.glyphs = glyphs.len();
    let (glyphs, segments) = strike_out(glyphs, &content.segments, &mut out);
    let (hs, vs) = rulings(&segments);
    let mut tables = Vec::new();
    if hs.len() > MAX_RULINGS || vs.len() > MAX_RULINGS {
        out.too_many_rulings = true;
    } else {
        tables = find_tables(&hs, &vs);
    }
    // Glyphs to tables or to the free text.
    let mut in_table: Vec<Vec<G>> = vec![Vec::new(); tables.len()];
    let mut free = Vec::new();
    let mut owner: std::collections::HashMap<i64, (usize, usize)> = Default::default();
    for (p, part) in tagged.iter().enumerate() {
        for (i, cell) in part.cells.iter().enumerate() {
            for &id in &cell.4 {
                owner.entry(id).or_insert((p, i));
            }
        }
    }
    let mut in_tagged: Vec<Vec<Vec<G>>> = tagged
        .iter()
        .map(|p| vec![Vec::new(); p.cells.len()])
        .collect();
    for g in glyphs {
        let (cx, cy) = g.centre();
        let hit = tables.iter().position(|t| {
            cx >= t.xs[0]
                && cx <= t.xs[t.xs.len() - 1]
                && cy >= t.ys[0]
                && cy <= t.ys[t.ys.len() - 1]
        });
        match (hit, g.mcid.and_then(|id| owner.get(&id))) {
            (Some(i), _) => in_table[i].push(g),
            (None, Some(&(p, i))) => in_tagged[p][i].push(g),
            (None, None) => free.push(g),
        }
    }
    let mut blocks: Vec<Block> = Vec::new();
    for (mut table, glyphs) in tables.into_iter().zip(in_table) {
        fill(&mut table, glyphs);
        blocks.push(Block::Table(table));
    }
    for (part, glyphs) in tagged.iter().zip(in_tagged) {
        if let Some(table) = tagged_table(part, glyphs) {
            blocks.push(Block::Table(table));
        }
    }
    blocks.extend(lines(free).into_iter().map(Block::Line));
    blocks.sort_by(|a, b| a.top().total_cmp(&b.top()));
    out.blocks = unruled(blocks);
    out
}
