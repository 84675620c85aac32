//! Tables of a tagged PDF's structure tree: `Table` elements (through the `RoleMap`), their
//! `TR` rows (also inside `THead`/`TBody`/`TFoot`) and `TH`/`TD` cells with their `RowSpan` and
//! `ColSpan` attributes, each cell with the marked content (page, MCID) it owns. A table drawn
//! without borders is read from them exactly, merged cells included, where the drawn page alone
//! would leave only the alignment of its lines to go by.
//!
//! Plain data here; the walk over hayro's objects is in `interp.rs`. The walk is bounded (depth,
//! elements), so a structure tree that loops or fans out is cut short, not followed for ever.

/// A cell of a tagged table.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TaggedCell {
    /// Rows spanned (1 when not given).
    pub(crate) rows: usize,
    /// Columns spanned (1 when not given).
    pub(crate) cols: usize,
    /// Its marked content: (page object number, MCID).
    pub(crate) content: Vec<(u32, i64)>,
}

/// A table of the structure tree, rows of cells as tagged.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TaggedTable {
    /// The rows.
    pub(crate) rows: Vec<Vec<TaggedCell>>,
}

/// Where a tagged table's cells stand: per row, per cell, its top-left (row, column); and the
/// table's width in columns.
pub(crate) type Placed = (Vec<Vec<(usize, usize)>>, usize);

/// The widest a tagged table may be laid out; wider spans are clamped.
pub(crate) const MAX_COLUMNS: usize = 1000;

/// The grid positions of a tagged table's cells: for each cell (row, index in row) its top-left
/// slot (row, column), cells placed left to right into the first free slots as rowspan/colspan
/// work in HTML, spans clamped to [`MAX_COLUMNS`] and to the table's rows.
pub(crate) fn place(table: &TaggedTable) -> Placed {
    let n = table.rows.len();
    let mut taken: Vec<Vec<bool>> = vec![Vec::new(); n];
    let mut at = Vec::with_capacity(n);
    let mut width = 0;
    for (r, row) in table.rows.iter().enumerate() {
        let mut c = 0;
        let mut placed = Vec::with_capacity(row.len());
        for cell in row {
            while taken[r].get(c).copied().unwrap_or(false) {
                c += 1;
            }
            if c >= MAX_COLUMNS {
                placed.push((r, MAX_COLUMNS - 1));
                continue;
            }
            let cols = cell.cols.clamp(1, MAX_COLUMNS - c);
            let rows = cell.rows.clamp(1, n - r);
            for row in &mut taken[r..r + rows] {
                if row.len() < c + cols {
                    row.resize(c + cols, false);
                }
                for slot in &mut row[c..c + cols] {
                    *slot = true;
                }
            }
            placed.push((r, c));
            c += cols;
            width = width.max(c);
        }
        at.push(placed);
    }
    (at, width)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(rows: usize, cols: usize) -> TaggedCell {
        TaggedCell {
            rows,
            cols,
            content: Vec::new(),
        }
    }

    #[test]
    fn spans_push_later_cells_right() {
        let table = TaggedTable {
            rows: vec![vec![cell(2, 1), cell(1, 2)], vec![cell(1, 1), cell(1, 1)]],
        };
        let (at, width) = place(&table);
        assert_eq!(width, 3);
        assert_eq!(at, vec![vec![(0, 0), (0, 1)], vec![(1, 1), (1, 2)]]);
    }

    #[test]
    fn absurd_spans_are_clamped() {
        let table = TaggedTable {
            rows: vec![vec![cell(usize::MAX, usize::MAX), cell(1, 1)]],
        };
        let (at, width) = place(&table);
        assert_eq!(width, MAX_COLUMNS);
        assert_eq!(at[0][1], (0, MAX_COLUMNS - 1));
    }
}
