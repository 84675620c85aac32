//! Tables from the structure tree (tagged PDF): a tagged table's part on one page as a table.

use super::text::compose;
use super::{G, Slot, Source, Table, TaggedPart};

/// A tagged table's part as a table: its cells' glyphs composed as in a ruled cell. Its column
/// boundaries stand for its column numbers (a tagged table's columns are its own, so parts on
/// consecutive pages continue each other when their column counts agree); `None` when no glyph
/// is its.
pub(super) fn tagged_table(part: &TaggedPart, glyphs: Vec<Vec<G>>) -> Option<Table> {
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
