//! One page's glyphs and border pieces made into blocks: ruled tables (cells with their spans)
//! and lines of text, top to bottom. Pure geometry, no PDF: the tests build pages by hand.
//!
//! **Ruled tables (lattice).** Border pieces at (nearly) the same height are one ruling when
//! they touch or overlap: Word draws a border per cell, jixiao's writer a rectangle per cell
//! edge. Rulings that cross or meet belong to one table. The table's row boundaries are the
//! heights of its horizontal rulings, its column boundaries the positions of its vertical ones
//! (boundaries closer than [`MIN_GAP`] are one: double borders). Between two neighbouring slots
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

use crate::interp::{Glyph, PageContent, Segment};

/// Border pieces this close (points) in their fixed coordinate are on one ruling.
const SNAP: f64 = 1.5;
/// Border pieces on one ruling this far apart or closer (points) are joined.
const JOIN: f64 = 2.5;
/// Rulings that miss each other by this much or less (points) still meet.
const MEET: f64 = 2.5;
/// Row or column boundaries closer than this (points) are one boundary.
const MIN_GAP: f64 = 3.0;
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

/// The fewest consecutive lines of two fragments or more that make a table without borders.
const MIN_UNRULED_ROWS: usize = 3;

/// Tables without borders: a run of at least [`MIN_UNRULED_ROWS`] consecutive lines, each of
/// two fragments or more (split at gaps wider than 1.5 em). Its columns are the bands where the
/// fragments of the run overlap horizontally — left-, right- and centre-aligned columns alike;
/// each fragment goes to its band, two fragments of one line in one band (a fragment wider than
/// its column joined the bands) are one cell separated by two spaces. A run whose fragments
/// make a single band is left as lines.
fn unruled(blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    let mut run: Vec<Line> = Vec::new();
    let flush = |run: &mut Vec<Line>, out: &mut Vec<Block>| {
        if run.len() >= MIN_UNRULED_ROWS
            && let Some(table) = align(run)
        {
            out.push(Block::Table(table));
            run.clear();
        }
        out.extend(run.drain(..).map(Block::Line));
    };
    for block in blocks {
        match block {
            Block::Line(line) if line.chunks.len() >= 2 => run.push(line),
            other => {
                flush(&mut run, &mut out);
                out.push(other);
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

/// The lines of a run as a table of the bands their fragments occupy.
fn align(run: &[Line]) -> Option<Table> {
    let mut spans: Vec<(f64, f64)> = run
        .iter()
        .flat_map(|l| l.chunks.iter().map(|c| (c.x0, c.x1)))
        .collect();
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut bands: Vec<(f64, f64)> = Vec::new();
    for (x0, x1) in spans {
        match bands.last_mut() {
            Some(b) if x0 <= b.1 => b.1 = b.1.max(x1),
            _ => bands.push((x0, x1)),
        }
    }
    if bands.len() < 2 {
        return None;
    }
    let cols = bands.len();
    let mut slots = Vec::with_capacity(run.len());
    for line in run {
        let mut texts = vec![String::new(); cols];
        for chunk in &line.chunks {
            let c = bands.partition_point(|b| b.1 < chunk.x0).min(cols - 1);
            if !texts[c].is_empty() {
                texts[c].push_str("  ");
            }
            texts[c].push_str(&chunk.text);
        }
        slots.push(
            texts
                .into_iter()
                .map(|text| Slot::Origin {
                    text,
                    rows: 1,
                    cols: 1,
                })
                .collect(),
        );
    }
    let mut xs: Vec<f64> = bands.iter().map(|b| b.0).collect();
    xs.push(bands[cols - 1].1);
    let mut ys: Vec<f64> = run.iter().map(|l| l.top).collect();
    ys.push(run[run.len() - 1].top + run[run.len() - 1].size);
    Some(Table {
        xs,
        ys,
        slots,
        source: Source::Aligned,
    })
}

/// A tagged table's part as a table: its cells' glyphs composed as in a ruled cell. Its column
/// boundaries stand for its column numbers (a tagged table's columns are its own, so parts on
/// consecutive pages continue each other when their column counts agree); `None` when no glyph
/// is its.
fn tagged_table(part: &TaggedPart, glyphs: Vec<Vec<G>>) -> Option<Table> {
    if part.width == 0 || part.rows == 0 || glyphs.iter().all(Vec::is_empty) {
        return None;
    }
    let top = glyphs
        .iter()
        .flatten()
        .map(|g| g.baseline - g.size)
        .fold(f64::INFINITY, f64::min);
    let mut slots: Vec<Vec<Option<Slot>>> = vec![vec![None; part.width]; part.rows];
    for (cell, glyphs) in part.cells.iter().zip(glyphs) {
        let &(r, c, rows, cols, _) = cell;
        if r >= part.rows || c >= part.width || slots[r][c].is_some() {
            continue;
        }
        let rows = rows.clamp(1, part.rows - r);
        let cols = cols.clamp(1, part.width - c);
        for row in slots.iter_mut().skip(r).take(rows) {
            for slot in row.iter_mut().skip(c).take(cols) {
                if slot.is_none() {
                    *slot = Some(Slot::Covered { row: r, col: c });
                }
            }
        }
        slots[r][c] = Some(Slot::Origin {
            text: compose(glyphs),
            rows,
            cols,
        });
    }
    let slots = slots
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|s| {
                    s.unwrap_or(Slot::Origin {
                        text: String::new(),
                        rows: 1,
                        cols: 1,
                    })
                })
                .collect()
        })
        .collect();
    Some(Table {
        // Column numbers, spaced wider than any snapping tolerance.
        xs: (0..=part.width).map(|k| 100.0 * k as f64).collect(),
        ys: vec![top; part.rows + 1],
        slots,
        source: Source::Tagged(part.table),
    })
}

/// Struck-through text: a horizontal line through the middle of glyphs (a third of an em above
/// their baseline, give or take a fifth), no longer than they are wide plus an em, is a strike
/// (a deletion printed with its tracked changes showing, or text crossed out), not a border. The
/// glyphs it crosses are left out and named (I360); the line is not a ruling. Underlines sit
/// below the baseline and borders away from text, so neither is taken for one.
fn strike_out(
    glyphs: Vec<G>,
    segments: &[Segment],
    out: &mut PageLayout,
) -> (Vec<G>, Vec<Segment>) {
    let mut struck = vec![false; glyphs.len()];
    let mut kept = Vec::with_capacity(segments.len());
    // Glyphs by x for finding those under a line without a pass over all of them per line.
    let mut by_x: Vec<usize> = (0..glyphs.len()).collect();
    by_x.sort_by(|&a, &b| glyphs[a].centre().0.total_cmp(&glyphs[b].centre().0));
    let xs: Vec<f64> = by_x.iter().map(|&i| glyphs[i].centre().0).collect();
    for s in segments {
        if !s.horizontal {
            kept.push(*s);
            continue;
        }
        let lo = xs.partition_point(|&x| x < s.from);
        let hi = xs.partition_point(|&x| x <= s.to);
        let under: Vec<usize> = by_x[lo..hi.max(lo)]
            .iter()
            .copied()
            .filter(|&i| {
                let g = &glyphs[i];
                (s.at - (g.baseline - 0.33 * g.size)).abs() <= 0.2 * g.size
            })
            .collect();
        let width: f64 = under.iter().map(|&i| glyphs[i].x1 - glyphs[i].x0).sum();
        let em = under.iter().map(|&i| glyphs[i].size).fold(0.0, f64::max);
        let text = under.iter().any(|&i| glyphs[i].text != " ");
        if !text || s.to - s.from > width + em + 2.0 {
            kept.push(*s);
            continue;
        }
        for i in under {
            struck[i] = true;
        }
    }
    let mut runs: Vec<Vec<&G>> = Vec::new();
    for (i, g) in glyphs.iter().enumerate() {
        if struck[i] && g.text != " " {
            match runs.last_mut() {
                Some(run) if i > 0 && struck[i - 1] => run.push(g),
                _ => runs.push(vec![g]),
            }
        }
    }
    out.struck = runs
        .into_iter()
        .map(|run| run.iter().map(|g| g.text.as_str()).collect())
        .collect();
    // A struck glyph stays as an empty one: it still holds its place, so that the text on
    // either side of it joins as it would without it (no space for the gap it leaves).
    let glyphs = glyphs
        .into_iter()
        .zip(struck)
        .map(|(mut g, s)| {
            if s {
                g.text.clear();
            }
            g
        })
        .collect();
    (glyphs, kept)
}

/// Unicode fixed, fake bold removed, spaces dropped (gaps give spaces back where they belong).
fn clean(glyphs: &[Glyph], out: &mut PageLayout) -> Vec<G> {
    let mut kept: Vec<G> = Vec::with_capacity(glyphs.len());
    // Buckets of 2 pt for finding a glyph drawn again at nearly the same place.
    let mut seen: std::collections::HashMap<(i64, i64), Vec<usize>> = Default::default();
    for g in glyphs {
        let text = match &g.text {
            Some(t) if t.chars().any(|c| !c.is_control()) => {
                let mut fixed = String::with_capacity(t.len());
                for c in t.chars().filter(|c| !c.is_control()) {
                    match crate::radicals::unified(c) {
                        Some(u) => {
                            out.radicals += 1;
                            fixed.push(u);
                        }
                        None => fixed.push(c),
                    }
                }
                fixed
            }
            _ => {
                out.unmapped.push(g.code);
                "\u{FFFD}".to_string()
            }
        };
        // Also skips a NaN size.
        if g.size.partial_cmp(&0.1) != Some(std::cmp::Ordering::Greater) {
            continue;
        }
        // A drawn space is kept as one space: it marks a space the author typed, which gaps
        // alone cannot tell from spacing between CJK characters.
        let text = if text.chars().all(char::is_whitespace) {
            " ".to_string()
        } else {
            text
        };
        let tol = (0.15 * g.size).max(0.3);
        let key = (
            (g.x0 / 2.0).floor() as i64,
            (g.baseline / 2.0).floor() as i64,
        );
        let mut twin = false;
        'look: for dx in -1..=1 {
            for dy in -1..=1 {
                if let Some(list) = seen.get(&(key.0 + dx, key.1 + dy)) {
                    for &i in list {
                        let k = &kept[i];
                        if k.text == text
                            && (k.x0 - g.x0).abs() <= tol
                            && (k.baseline - g.baseline).abs() <= tol
                        {
                            twin = true;
                            break 'look;
                        }
                    }
                }
            }
        }
        if twin {
            out.fake_bold += 1;
            continue;
        }
        seen.entry(key).or_default().push(kept.len());
        kept.push(G {
            text,
            x0: g.x0,
            x1: g.x1,
            baseline: g.baseline,
            size: g.size,
            mcid: g.mcid,
        });
    }
    kept
}

/// A ruling: border pieces joined.
#[derive(Debug, Clone, Copy)]
struct Ruling {
    at: f64,
    from: f64,
    to: f64,
}

/// Border pieces snapped and joined into horizontal and vertical rulings.
fn rulings(segments: &[Segment]) -> (Vec<Ruling>, Vec<Ruling>) {
    let join = |horizontal: bool| {
        let mut pieces: Vec<Ruling> = segments
            .iter()
            .filter(|s| s.horizontal == horizontal && s.to - s.from > 0.5)
            .map(|s| Ruling {
                at: s.at,
                from: s.from,
                to: s.to,
            })
            .collect();
        pieces.sort_by(|a, b| a.at.total_cmp(&b.at));
        // Cluster by the fixed coordinate; each cluster at its mean.
        let mut clusters: Vec<Vec<Ruling>> = Vec::new();
        for p in pieces {
            match clusters.last_mut() {
                Some(c) if p.at - c[c.len() - 1].at <= SNAP => c.push(p),
                _ => clusters.push(vec![p]),
            }
        }
        let mut out = Vec::new();
        for mut c in clusters {
            let at = c.iter().map(|r| r.at).sum::<f64>() / c.len() as f64;
            c.sort_by(|a, b| a.from.total_cmp(&b.from));
            let mut cur: Option<Ruling> = None;
            for r in c {
                match cur.as_mut() {
                    Some(k) if r.from <= k.to + JOIN => k.to = k.to.max(r.to),
                    _ => {
                        if let Some(k) = cur.take() {
                            out.push(k);
                        }
                        cur = Some(Ruling {
                            at,
                            from: r.from,
                            to: r.to,
                        });
                    }
                }
            }
            out.extend(cur);
        }
        out
    };
    (join(true), join(false))
}

fn meets(h: &Ruling, v: &Ruling) -> bool {
    v.at >= h.from - MEET && v.at <= h.to + MEET && h.at >= v.from - MEET && h.at <= v.to + MEET
}

/// Positions closer than [`MIN_GAP`] made one (their mean), sorted.
fn boundaries(mut at: Vec<f64>) -> Vec<f64> {
    at.sort_by(f64::total_cmp);
    let mut groups: Vec<Vec<f64>> = Vec::new();
    for a in at {
        match groups.last_mut() {
            Some(g) if a - g[g.len() - 1] < MIN_GAP => g.push(a),
            _ => groups.push(vec![a]),
        }
    }
    groups
        .into_iter()
        .map(|g| g.iter().sum::<f64>() / g.len() as f64)
        .collect()
}

/// Tables: groups of rulings that meet, with at least two rulings each way.
fn find_tables(hs: &[Ruling], vs: &[Ruling]) -> Vec<Table> {
    let n = hs.len() + vs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, h) in hs.iter().enumerate() {
        for (j, v) in vs.iter().enumerate() {
            if meets(h, v) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, hs.len() + j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Ruling>, Vec<Ruling>)> =
        Default::default();
    for (i, h) in hs.iter().enumerate() {
        groups.entry(root(&mut parent, i)).or_default().0.push(*h);
    }
    for (j, v) in vs.iter().enumerate() {
        groups
            .entry(root(&mut parent, hs.len() + j))
            .or_default()
            .1
            .push(*v);
    }
    let mut tables = Vec::new();
    for (_, (h, v)) in groups {
        if h.len() < 2 || v.len() < 2 {
            continue;
        }
        let ys = boundaries(h.iter().map(|r| r.at).collect());
        let xs = boundaries(v.iter().map(|r| r.at).collect());
        if ys.len() < 2 || xs.len() < 2 {
            continue;
        }
        let slots = cells(&xs, &ys, &h, &v);
        tables.push(Table {
            xs,
            ys,
            slots,
            source: Source::Ruled,
        });
    }
    tables.sort_by(|a, b| a.ys[0].total_cmp(&b.ys[0]));
    tables
}

/// How much of `[a, b]` the rulings near `at` cover, as a share of its length.
fn covered(rulings: &[Ruling], at: f64, a: f64, b: f64) -> bool {
    let len = b - a;
    if len <= 0.0 {
        return true;
    }
    let mut spans: Vec<(f64, f64)> = rulings
        .iter()
        .filter(|r| (r.at - at).abs() <= MIN_GAP)
        .map(|r| (r.from.max(a), r.to.min(b)))
        .filter(|(x, y)| y > x)
        .collect();
    spans.sort_by(|p, q| p.0.total_cmp(&q.0));
    let mut total = 0.0;
    let mut end = a;
    for (x, y) in spans {
        let x = x.max(end);
        if y > x {
            total += y - x;
            end = y;
        }
    }
    total >= 0.5 * len
}

/// The cells of a table: each slot's borders decide which slots are one cell.
fn cells(xs: &[f64], ys: &[f64], hs: &[Ruling], vs: &[Ruling]) -> Vec<Vec<Slot>> {
    let (rows, cols) = (ys.len() - 1, xs.len() - 1);
    // v_border[r][k]: a border at xs[k] along row r; h_border[k][c]: at ys[k] along column c.
    let v_border: Vec<Vec<bool>> = (0..rows)
        .map(|r| {
            (0..=cols)
                .map(|k| covered(vs, xs[k], ys[r], ys[r + 1]))
                .collect()
        })
        .collect();
    let h_border: Vec<Vec<bool>> = (0..=rows)
        .map(|k| {
            (0..cols)
                .map(|c| covered(hs, ys[k], xs[c], xs[c + 1]))
                .collect()
        })
        .collect();
    let mut slots: Vec<Vec<Option<Slot>>> = vec![vec![None; cols]; rows];
    for r in 0..rows {
        for c in 0..cols {
            if slots[r][c].is_some() {
                continue;
            }
            let mut c_end = c;
            while c_end + 1 < cols && !v_border[r][c_end + 1] && slots[r][c_end + 1].is_none() {
                c_end += 1;
            }
            let mut r_end = r;
            while r_end + 1 < rows
                && (c..=c_end).all(|k| !h_border[r_end + 1][k] && slots[r_end + 1][k].is_none())
                && (c + 1..=c_end).all(|k| !v_border[r_end + 1][k])
            {
                r_end += 1;
            }
            for (rr, row) in slots.iter_mut().enumerate().take(r_end + 1).skip(r) {
                for (cc, slot) in row.iter_mut().enumerate().take(c_end + 1).skip(c) {
                    *slot = Some(if rr == r && cc == c {
                        Slot::Origin {
                            text: String::new(),
                            rows: r_end - r + 1,
                            cols: c_end - c + 1,
                        }
                    } else {
                        Slot::Covered { row: r, col: c }
                    });
                }
            }
        }
    }
    slots
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|s| s.unwrap_or(Slot::Covered { row: 0, col: 0 }))
                .collect()
        })
        .collect()
}

/// Puts each glyph into the cell holding its centre and composes the cells' texts.
fn fill(table: &mut Table, glyphs: Vec<G>) {
    let rows = table.ys.len() - 1;
    let cols = table.xs.len() - 1;
    let mut per_cell: Vec<Vec<G>> = vec![Vec::new(); rows * cols];
    for g in glyphs {
        let (cx, cy) = g.centre();
        let r = table.ys.partition_point(|&y| y <= cy).clamp(1, rows) - 1;
        let c = table.xs.partition_point(|&x| x <= cx).clamp(1, cols) - 1;
        let (r, c) = match table.slots[r][c] {
            Slot::Covered { row, col } => (row, col),
            Slot::Origin { .. } => (r, c),
        };
        per_cell[r * cols + c].push(g);
    }
    for (i, glyphs) in per_cell.into_iter().enumerate() {
        if glyphs.is_empty() {
            continue;
        }
        let (r, c) = (i / cols, i % cols);
        if let Slot::Origin { text, .. } = &mut table.slots[r][c] {
            *text = compose(glyphs);
        }
    }
}

/// True for characters between which a PDF never means a space: CJK ideographs, kana, hangul,
/// CJK and full-width punctuation.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x312F | 0x3190..=0x31FF
        | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Glyphs sorted into lines by baseline, each line left to right.
fn into_lines(mut glyphs: Vec<G>) -> Vec<Vec<G>> {
    glyphs.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
    let mut lines: Vec<Vec<G>> = Vec::new();
    let mut base = f64::NEG_INFINITY;
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if g.baseline - base <= 0.5 * g.size => line.push(g),
            _ => {
                base = g.baseline;
                lines.push(vec![g]);
            }
        }
    }
    for line in &mut lines {
        line.sort_by(|a, b| a.x0.total_cmp(&b.x0));
    }
    lines
}

/// Joins glyphs of one line: a drawn space is one space; otherwise a space only between
/// non-CJK glyphs apart by more than a quarter em.
fn join_line(line: &[G]) -> String {
    let mut text = String::new();
    let mut prev: Option<&G> = None;
    let mut space = false;
    for g in line {
        if g.text == " " {
            space = prev.is_some();
            continue;
        }
        if g.text.is_empty() {
            // Struck out: holds its place only.
            prev = Some(g);
            continue;
        }
        if let Some(p) = prev {
            let gap = g.x0 - p.x1;
            let a = p.text.chars().last().unwrap_or(' ');
            let b = g.text.chars().next().unwrap_or(' ');
            if space || (gap > 0.25 * g.size.max(p.size) && !is_cjk(a) && !is_cjk(b)) {
                text.push(' ');
            }
        }
        space = false;
        text.push_str(&g.text);
        prev = Some(g);
    }
    text
}

/// A cell's text. A PDF does not say whether a line of a cell ends because the writer wrapped
/// it or because the author broke it, and writers wrap differently (at the edge, or balancing
/// the lines of a centred cell, as jixiao's own does). Lines are therefore joined — CJK without
/// a separator, words with a space — unless the line ends a sentence (`。！？`) or
/// the next starts an item (`2、`, `（2）`, `目标2`, `二、`): there the author's break is kept
/// as `\n`.
fn compose(glyphs: Vec<G>) -> String {
    let lines = into_lines(glyphs);
    let mut text = String::new();
    // A line that ends with a drawn space was wrapped there: the space stays, no break.
    let mut spaced = false;
    for line in &lines {
        let s = join_line(line);
        if s.is_empty() {
            continue;
        }
        if let Some(last) = text.chars().last() {
            let first = s.chars().next().unwrap_or(' ');
            if spaced {
                text.push(' ');
            } else if ends_clause(last) || starts_item(&s) {
                text.push('\n');
            } else if !is_cjk(last)
                && !is_cjk(first)
                && last.is_alphanumeric()
                && first.is_alphanumeric()
            {
                text.push(' ');
            }
        }
        text.push_str(&s);
        spaced = line.last().is_some_and(|g| g.text == " ");
    }
    text.trim().to_string()
}

/// Sentence ends after which a line break is the author's. Clause marks (`：；`) are not:
/// writers wrap after them as anywhere (`目标2:` / `稳步提高…`), and labels broken after them
/// (`其中：` / `财政拨款`) read the same joined.
fn ends_clause(c: char) -> bool {
    matches!(c, '。' | '！' | '？')
}

/// `2、` `2.` `2）` `（2）` `(2)` `目标2` `二、` `①` at the start of a line.
fn starts_item(s: &str) -> bool {
    let s = s.strip_prefix("目标").unwrap_or(s);
    let s = s.strip_prefix(['（', '(']).unwrap_or(s);
    if s.starts_with(|c: char| ('\u{2460}'..='\u{2473}').contains(&c)) {
        return true;
    }
    let digits = s
        .chars()
        .take_while(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(*c))
        .count();
    digits > 0
        && s.chars()
            .nth(digits)
            .is_some_and(|c| matches!(c, '、' | '.' | '．' | '）' | ')' | ':' | '：'))
}

/// The free glyphs as lines of chunks.
fn lines(glyphs: Vec<G>) -> Vec<Line> {
    into_lines(glyphs)
        .into_iter()
        .map(|line| {
            let size = line.iter().map(|g| g.size).fold(0.0, f64::max);
            let top = line
                .iter()
                .map(|g| g.baseline - g.size)
                .fold(f64::INFINITY, f64::min);
            let mut chunks: Vec<Vec<G>> = Vec::new();
            for g in line {
                match chunks.last_mut() {
                    Some(c) if g.x0 - c[c.len() - 1].x1 <= 1.5 * g.size => c.push(g),
                    _ if g.text == " " => {}
                    _ => chunks.push(vec![g]),
                }
            }
            for c in &mut chunks {
                while c.len() > 1 && c[c.len() - 1].text == " " {
                    c.pop();
                }
            }
            Line {
                chunks: chunks
                    .iter()
                    .map(|c| Chunk {
                        text: join_line(c),
                        x0: c[0].x0,
                        x1: c[c.len() - 1].x1,
                    })
                    .filter(|c| !c.text.is_empty())
                    .collect(),
                top,
                size,
            }
        })
        .filter(|l| !l.chunks.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn glyph(text: &str, x: f64, baseline: f64) -> Glyph {
        Glyph {
            text: Some(text.to_string()),
            code: 0,
            x0: x,
            x1: x + 10.0,
            baseline,
            size: 10.0,
            mcid: None,
        }
    }

    fn h(y: f64, x0: f64, x1: f64) -> Segment {
        Segment {
            horizontal: true,
            at: y,
            from: x0,
            to: x1,
        }
    }

    fn v(x: f64, y0: f64, y1: f64) -> Segment {
        Segment {
            horizontal: false,
            at: x,
            from: y0,
            to: y1,
        }
    }

    fn page(glyphs: Vec<Glyph>, segments: Vec<Segment>) -> PageContent {
        PageContent {
            glyphs,
            segments,
            images: 0,
        }
    }

    /// A 3×2 grid whose left column's two lower slots are one merged cell.
    #[test]
    fn merged_cell_is_one_cell_with_its_span() {
        let segments = vec![
            h(100.0, 100.0, 300.0),
            h(120.0, 100.0, 300.0),
            // Between rows 2 and 3 only the right column has a border.
            h(140.0, 200.0, 300.0),
            h(160.0, 100.0, 300.0),
            v(100.0, 100.0, 160.0),
            v(200.0, 100.0, 160.0),
            v(300.0, 100.0, 160.0),
        ];
        let glyphs = vec![
            glyph("一", 110.0, 115.0),
            glyph("级", 120.0, 115.0),
            glyph("产", 110.0, 145.0),
            glyph("出", 120.0, 145.0),
            glyph("数", 210.0, 135.0),
            glyph("质", 210.0, 155.0),
        ];
        let layout = layout(&page(glyphs, segments), &[]);
        let [Block::Table(t)] = &layout.blocks[..] else {
            panic!("{:?}", layout.blocks)
        };
        assert_eq!(t.slots.len(), 3);
        assert_eq!(
            t.slots[1][0],
            Slot::Origin {
                text: "产出".into(),
                rows: 2,
                cols: 1
            }
        );
        assert_eq!(t.slots[2][0], Slot::Covered { row: 1, col: 0 });
        assert_eq!(
            t.slots[0][0],
            Slot::Origin {
                text: "一级".into(),
                rows: 1,
                cols: 1
            }
        );
    }

    /// Word draws a border per cell: pieces that touch are one ruling; a line drawn twice
    /// (fake bold) counts once; text outside is a line.
    #[test]
    fn pieces_join_and_fake_bold_counts_once() {
        let segments = vec![
            h(100.0, 100.0, 150.0),
            h(100.4, 150.0, 200.0),
            h(130.0, 100.0, 200.0),
            v(100.0, 100.0, 130.0),
            v(200.0, 100.0, 130.0),
        ];
        let glyphs = vec![
            glyph("合", 110.0, 120.0),
            glyph("合", 110.4, 120.0),
            glyph("计", 150.0, 120.0),
            glyph("表", 110.0, 50.0),
            glyph("A", 125.0, 50.0),
            glyph("B", 140.0, 50.0),
        ];
        let layout = layout(&page(glyphs, segments), &[]);
        assert_eq!(layout.fake_bold, 1);
        let Block::Line(line) = &layout.blocks[0] else {
            panic!()
        };
        assert_eq!(line.text(), "表A B");
        let Block::Table(t) = &layout.blocks[1] else {
            panic!()
        };
        assert_eq!(t.slots.len(), 1);
        assert_eq!(
            t.slots[0][0],
            Slot::Origin {
                text: "合计".into(),
                rows: 1,
                cols: 1
            }
        );
    }

    #[test]
    fn wrapped_lines_join_and_author_breaks_stay() {
        let g = |t: &str, x: f64, b: f64| G {
            text: t.into(),
            x0: x,
            x1: x + 10.0,
            baseline: b,
            size: 10.0,
            mcid: None,
        };
        let text = compose(vec![
            g("城", 5.0, 10.0),
            g("乡", 15.0, 10.0),
            g("。", 25.0, 10.0),
            g("会", 5.0, 22.0),
            g("养", 15.0, 22.0),
            g("2", 5.0, 34.0),
            g("、", 15.0, 34.0),
            g("老", 25.0, 34.0),
            g("A", 5.0, 46.0),
        ]);
        assert_eq!(text, "城乡。\n会养\n2、老A");
        assert!(starts_item("（3）补助") && starts_item("目标2: 逐步") && starts_item("二、"));
        assert!(!starts_item("2022年") && !starts_item("≥95%"));
    }

    /// Three lines in columns without borders (a left-aligned name, a right-aligned number) are
    /// a table; the title above, one fragment, stays a line.
    #[test]
    fn aligned_lines_without_borders_are_a_table() {
        let word = |t: &str, x: f64, b: f64| -> Vec<Glyph> {
            t.chars()
                .enumerate()
                .map(|(i, c)| glyph(&c.to_string(), x + 10.0 * i as f64, b))
                .collect()
        };
        let mut glyphs = word("单位：万元", 100.0, 30.0);
        for (row, (name, value)) in [("数量指标", "12"), ("质量指标", "100"), ("时效", "5")]
            .iter()
            .enumerate()
        {
            let b = 60.0 + 15.0 * row as f64;
            glyphs.extend(word(name, 100.0, b));
            glyphs.extend(word(value, 330.0 - 10.0 * value.len() as f64, b));
        }
        let layout = layout(&page(glyphs, vec![]), &[]);
        let [Block::Line(first), Block::Table(t)] = &layout.blocks[..] else {
            panic!("{:#?}", layout.blocks)
        };
        assert_eq!(first.text(), "单位：万元");
        assert_eq!(t.source, Source::Aligned);
        let texts: Vec<Vec<String>> = t
            .slots
            .iter()
            .map(|r| {
                r.iter()
                    .map(|s| match s {
                        Slot::Origin { text, .. } => text.clone(),
                        Slot::Covered { .. } => "^".into(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(
            texts,
            [["数量指标", "12"], ["质量指标", "100"], ["时效", "5"]]
        );
    }

    /// A line through the middle of "300" is a strike; the line under "356" and the cell's
    /// borders are not.
    #[test]
    fn struck_through_text_is_left_out_and_named() {
        let mut glyphs = vec![glyph("≥", 110.0, 120.0)];
        for (i, d) in ["3", "0", "0", "3", "5", "6"].iter().enumerate() {
            glyphs.push(glyph(d, 120.0 + 10.0 * i as f64, 120.0));
        }
        let segments = vec![
            h(100.0, 100.0, 300.0),
            h(130.0, 100.0, 300.0),
            v(100.0, 100.0, 130.0),
            v(300.0, 100.0, 130.0),
            // Through the middle of 300 (baseline 120, size 10: middle 116.7).
            h(116.5, 120.0, 150.0),
            // Under 356.
            h(122.0, 150.0, 180.0),
        ];
        let layout = layout(&page(glyphs, segments), &[]);
        assert_eq!(layout.struck, ["300"]);
        let [Block::Table(t)] = &layout.blocks[..] else {
            panic!("{:?}", layout.blocks)
        };
        assert_eq!(t.slots.len(), 1, "the strike is no row boundary");
        let Slot::Origin { text, .. } = &t.slots[0][0] else {
            panic!()
        };
        assert_eq!(text, "≥356");
    }

    #[test]
    fn kangxi_radicals_are_read_as_ideographs_and_missing_unicode_is_marked() {
        let mut no_unicode = glyph("x", 130.0, 50.0);
        no_unicode.text = None;
        no_unicode.code = 0x1234;
        let layout = layout(
            &page(
                vec![
                    glyph("\u{2F2F}", 110.0, 50.0),
                    glyph("\u{2EC5}", 120.0, 50.0),
                    no_unicode,
                ],
                vec![],
            ),
            &[],
        );
        let Block::Line(line) = &layout.blocks[0] else {
            panic!()
        };
        assert_eq!(line.text(), "工见\u{FFFD}");
        assert_eq!(layout.radicals, 2);
        assert_eq!(layout.unmapped, vec![0x1234]);
    }
}
