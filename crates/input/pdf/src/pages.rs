//! The pages' blocks joined into one grid: text lines (page numbers left out), tables, and a
//! table continued from one page on the next read as one table.

use crate::PageBlocks;
use crate::layout::{self, Block, Slot, Source};
use jixiao_grid::{Cell, Covered, Pos, Row, RowKind};

/// True for a page-number line: `第1页共6页`, `第 1 页 / 共 6 页`, `- 2 -`, `2/6`, `2`.
pub(crate) fn is_page_number(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if t.is_empty() || t.chars().count() > 16 || !t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    t.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                '第' | '页'
                    | '共'
                    | '/'
                    | '-'
                    | '—'
                    | '–'
                    | '／'
                    | 'P'
                    | 'p'
                    | 'a'
                    | 'g'
                    | 'e'
                    | '.'
            )
    })
}

/// The open table at the end of the grid: where it is and what a next page needs to continue it.
struct OpenTable {
    /// How it was found.
    source: Source,
    /// Its number in the document.
    number: u32,
    /// Its column boundaries.
    xs: Vec<f64>,
    /// Index in `rows` of its first row.
    first_row: usize,
    /// Per column: the grid row and column of the origin of a cell merged down to the bottom of
    /// the table (a merge the page break may have cut).
    bottom: Vec<Option<(usize, usize)>>,
}

#[derive(Default)]
pub(crate) struct Builder {
    pub(crate) rows: Vec<Row>,
    pub(crate) tables: u32,
    /// Ruled tables (or parts on a page) read.
    pub(crate) ruled: usize,
    /// (page, table, columns, rows) of each table read without borders, for I358.
    pub(crate) unruled: Vec<(u32, u32, usize, usize)>,
    /// (page, table) of each table (or part) read from the structure tree, for I359.
    pub(crate) tagged: Vec<(u32, u32)>,
    open: Option<OpenTable>,
    pub(crate) page_numbers: usize,
    /// (page, table, header dropped, merges continued, label lines left out) for I354.
    pub(crate) continued: Vec<(u32, u32, bool, usize, usize)>,
}

impl Builder {
    pub(crate) fn page(&mut self, page: PageBlocks) {
        let mut line_no = 0u32;
        // A table may continue from the previous page only when nothing but page numbers stands
        // between: the previous page ended with it and this page starts with it.
        let mut first_content = true;
        // Lines at the top of the page that only repeat the labels of cells merged down to the
        // bottom of the open table, each over its own column (a spreadsheet prints a merge cut
        // by the break again above the next page's rulings): held until the next block shows
        // whether the table continues — then they are part of it, not new content.
        let mut held: Vec<String> = Vec::new();
        for block in page.blocks {
            match block {
                Block::Line(line) => {
                    let text = line.text();
                    if is_page_number(&text) {
                        self.page_numbers += 1;
                        continue;
                    }
                    if first_content && self.repeats_open_labels(&line) {
                        held.push(text);
                        continue;
                    }
                    for text in std::mem::take(&mut held).into_iter().chain([text]) {
                        line_no += 1;
                        self.text_line(page.number, line_no, text);
                    }
                    first_content = false;
                    self.open = None;
                }
                Block::Table(table) => {
                    // A table continues the open one when every column boundary of it is
                    // one of the open table's (a writer draws no line where no cell of the
                    // page needs one) and both span the same width.
                    let mut table = table;
                    // A tagged table continues its own earlier part, wherever it stands.
                    let same_tag = matches!(table.source, Source::Tagged(_))
                        && self.open.as_ref().is_some_and(|o| o.source == table.source);
                    let continues = (first_content || same_tag)
                        && match self
                            .open
                            .as_ref()
                            .and_then(|o| column_map(&o.xs, &table.xs))
                        {
                            Some(map) => {
                                let old_xs =
                                    self.open.as_ref().map(|o| o.xs.clone()).unwrap_or_default();
                                table = widen(table, &map, old_xs);
                                true
                            }
                            None => false,
                        };
                    first_content = false;
                    if !continues {
                        for text in std::mem::take(&mut held) {
                            line_no += 1;
                            self.text_line(page.number, line_no, text);
                        }
                    }
                    self.table(page.number, table, continues, held.len());
                    held.clear();
                }
            }
        }
        // A page holding only such lines: they are text after all.
        for text in held {
            line_no += 1;
            self.text_line(page.number, line_no, text);
            self.open = None;
        }
    }

    /// A line outside the tables, as a one-cell text row.
    fn text_line(&mut self, page: u32, line: u32, text: String) {
        self.rows.push(Row::new(
            RowKind::Text,
            vec![Cell::new(text, Pos::PdfLine { page, line })],
        ));
    }

    /// True when every fragment of `line` is the label of a cell merged down to the bottom of
    /// the open table, standing within that cell's columns.
    fn repeats_open_labels(&self, line: &layout::Line) -> bool {
        let Some(open) = &self.open else {
            return false;
        };
        let squeeze = |t: &str| -> String { t.chars().filter(|c| !c.is_whitespace()).collect() };
        !line.chunks.is_empty()
            && line.chunks.iter().all(|chunk| {
                let text = squeeze(&chunk.text);
                let mid = (chunk.x0 + chunk.x1) / 2.0;
                !text.is_empty()
                    && open.bottom.iter().flatten().any(|&(r, c)| {
                        let cell = &self.rows[r].cells[c];
                        let to = c + (cell.col_span as usize).max(1);
                        squeeze(&cell.text) == text
                            && open.xs.get(c).is_some_and(|&x| x <= mid)
                            && open.xs.get(to).is_some_and(|&x| mid <= x)
                    })
            })
    }

    /// Adds a table (or the part of one on a page); `labels` lines above it repeating the open
    /// table's merged labels were left out.
    fn table(&mut self, page: u32, table: layout::Table, continues: bool, labels: usize) {
        let number = if continues {
            self.open.as_ref().map_or(0, |o| o.number)
        } else {
            self.tables += 1;
            self.tables
        };
        match table.source {
            Source::Ruled => self.ruled += 1,
            Source::Aligned => {
                self.unruled
                    .push((page, number, table.xs.len() - 1, table.slots.len()));
            }
            Source::Tagged(_) => self.tagged.push((page, number)),
        }
        let cols = table.xs.len() - 1;
        let base = self.rows.len();
        let mut slots = table.slots;
        // A repeated header: the new page's first row reads like one of the table's rows
        // (in full, two cells or more with text).
        let mut dropped_header = false;
        if continues && let Some(open) = &self.open {
            let first: Vec<String> = row_texts(&slots, 0);
            let single_row = slots[0].iter().all(|s| match s {
                Slot::Origin { rows, .. } => *rows == 1,
                Slot::Covered { row, .. } => *row == 0,
            });
            if single_row && first.iter().filter(|t| !t.is_empty()).count() >= 2 {
                let repeated = self.rows[open.first_row..].iter().any(|r| {
                    r.cells.len() == first.len()
                        && r.cells.iter().zip(&first).all(|(c, t)| {
                            c.covered.is_none() && c.text.trim() == t
                                || c.covered.is_some() && t.is_empty()
                        })
                });
                if repeated && slots.len() > 1 {
                    slots.remove(0);
                    for slot in slots.iter_mut().flatten() {
                        if let Slot::Covered { row, .. } = slot {
                            *row = row.saturating_sub(1);
                        }
                    }
                    dropped_header = true;
                }
            }
        }
        let dropped = usize::from(dropped_header);
        let pos = |r: usize, c: usize| Pos::PdfCell {
            page,
            table: number,
            row: (r + 1 + dropped) as u32,
            col: (c + 1) as u32,
        };
        let mut grid_rows: Vec<Vec<Cell>> = Vec::with_capacity(slots.len());
        for (r, row) in slots.iter().enumerate() {
            let mut cells = Vec::with_capacity(cols);
            for (c, slot) in row.iter().enumerate() {
                cells.push(match slot {
                    Slot::Origin { text, rows, cols } => Cell {
                        text: text.clone(),
                        row_span: *rows as u32,
                        col_span: *cols as u32,
                        covered: None,
                        pos: pos(r, c),
                    },
                    Slot::Covered { row, col } => Cell::covered(
                        if *row == r {
                            Covered::Left
                        } else {
                            Covered::Above
                        },
                        pos(*row, *col),
                    ),
                });
            }
            grid_rows.push(cells);
        }
        // Merges cut by the page break: a cell of the new first row, as wide as a cell merged
        // down to the bottom of the previous page, continues it when it is blank or repeats its
        // text (writers either leave the rest of a cut merge blank or print the label again).
        let mut merges = 0;
        if continues
            && let Some(open) = &self.open
            && !grid_rows.is_empty()
        {
            let mut c = 0;
            while c < cols {
                let cell = grid_rows[0][c].clone();
                let span = cell.col_span as usize;
                if cell.covered.is_none()
                    && let Some(Some((orow, ocol))) = open.bottom.get(c)
                    && (cell.text.trim().is_empty()
                        || cell.text.trim() == self.rows[*orow].cells[*ocol].text.trim())
                    && self.rows[*orow].cells[*ocol].col_span as usize == span
                    && *ocol == c
                {
                    let origin_pos = self.rows[*orow].cells[*ocol].pos;
                    self.rows[*orow].cells[*ocol].row_span += cell.row_span;
                    for row in grid_rows.iter_mut().take(cell.row_span as usize) {
                        for slot in row.iter_mut().skip(c).take(span) {
                            *slot = Cell::covered(Covered::Above, origin_pos);
                        }
                    }
                    merges += 1;
                }
                c += span.max(1);
            }
        }
        if continues && (dropped_header || merges > 0 || labels > 0 || !grid_rows.is_empty()) {
            self.continued
                .push((page, number, dropped_header, merges, labels));
        }
        for cells in grid_rows {
            self.rows.push(Row::new(RowKind::Table, cells));
        }
        // What a next page needs: per column, the origin of a cell reaching the bottom row that
        // spans more than one row (a merge the break may cut).
        let last = self.rows.len().saturating_sub(1);
        let first_row = if continues {
            self.open.as_ref().map_or(base, |o| o.first_row)
        } else {
            base
        };
        let mut bottom = vec![None; cols];
        if last >= first_row && self.rows.len() > base {
            for (c, slot) in bottom.iter_mut().enumerate() {
                let origin = self.origin_of(last, c, first_row);
                if let Some((r, oc)) = origin
                    && self.rows[r].cells[oc].row_span > 1
                {
                    *slot = Some((r, oc));
                }
            }
        }
        self.open = Some(OpenTable {
            source: table.source,
            number,
            xs: table.xs,
            first_row,
            bottom,
        });
    }

    /// The grid row and column of the origin of the cell at (`row`, `col`), looking no higher
    /// than `first_row`.
    fn origin_of(&self, row: usize, col: usize, first_row: usize) -> Option<(usize, usize)> {
        let target = self.rows.get(row)?.cells.get(col)?;
        if target.covered.is_none() {
            return Some((row, col));
        }
        let pos = target.pos;
        (first_row..=row).rev().find_map(|r| {
            self.rows[r]
                .cells
                .iter()
                .position(|c| c.covered.is_none() && c.pos == pos)
                .map(|c| (r, c))
        })
    }
}

/// For each column boundary of `new`, the index of the same boundary (within 2 pt) in `old`;
/// `None` unless every boundary is found and the two tables have the same outer edges.
fn column_map(old: &[f64], new: &[f64]) -> Option<Vec<usize>> {
    let map: Vec<usize> = new
        .iter()
        .map(|x| old.iter().position(|o| (o - x).abs() <= 2.0))
        .collect::<Option<_>>()?;
    let increasing = map.windows(2).all(|w| w[0] < w[1]);
    (increasing && map.first() == Some(&0) && map.last() == Some(&(old.len() - 1))).then_some(map)
}

/// The table laid on the old table's columns: a slot of the new table covers the old columns
/// between its boundaries.
fn widen(table: layout::Table, map: &[usize], old_xs: Vec<f64>) -> layout::Table {
    let cols = old_xs.len() - 1;
    if cols == table.xs.len() - 1 {
        return layout::Table {
            xs: old_xs,
            ..table
        };
    }
    let rows = table.slots.len();
    let mut slots = vec![vec![Slot::Covered { row: 0, col: 0 }; cols]; rows];
    for (r, row) in table.slots.iter().enumerate() {
        for (c, slot) in row.iter().enumerate() {
            let (from, to) = (map[c], map[c + 1]);
            match slot {
                Slot::Origin {
                    text,
                    rows: rs,
                    cols: cs,
                } => {
                    slots[r][from] = Slot::Origin {
                        text: text.clone(),
                        rows: *rs,
                        cols: map[c + cs] - from,
                    };
                    for slot in &mut slots[r][from + 1..to] {
                        *slot = Slot::Covered { row: r, col: from };
                    }
                }
                Slot::Covered { row, col } => {
                    for slot in &mut slots[r][from..to] {
                        *slot = Slot::Covered {
                            row: *row,
                            col: map[*col],
                        };
                    }
                }
            }
        }
    }
    layout::Table {
        xs: old_xs,
        ys: table.ys,
        slots,
        source: table.source,
    }
}

/// The texts of a row of slots, covered slots as empty.
fn row_texts(slots: &[Vec<Slot>], r: usize) -> Vec<String> {
    slots[r]
        .iter()
        .map(|s| match s {
            Slot::Origin { text, .. } => text.trim().to_string(),
            Slot::Covered { .. } => String::new(),
        })
        .collect()
}
