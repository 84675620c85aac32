//! The Grid: the one shape every input format is read into.
//!
//! Readers know formats, not forms. A reader turns its input into [`Grid`]s: rows of
//! [`Cell`]s, each with its text, its row/column span and where it came from. A merged range
//! is one cell with a span, and the slots it covers are [`Cell::covered`] cells; a Markdown
//! line outside a table is a one-cell [`RowKind::Text`] row. The recognizer reads Grids and
//! knows nothing of formats.
//!
//! ```
//! use jixiao_grid::{Cell, Grid, Pos, Row, RowKind};
//! let mut grid = Grid::new(Some("a.md".into()), None);
//! grid.rows.push(Row::new(RowKind::Table, vec![
//!     Cell::new("预算单位", Pos::Line { line: 3, column: 1 }),
//!     Cell::new("和硕县民政局", Pos::Line { line: 3, column: 6 }),
//! ]));
//! assert_eq!(grid.rows[0].cells[1].text, "和硕县民政局");
//! assert_eq!(Pos::Sheet { row: 6, col: 2 }.a1(), Some("C7".to_string()));
//! assert_eq!(Pos::Table { table: 2, row: 5, col: 3 }.place(), Some("表2 第5行第3列".to_string()));
//! ```

pub mod text;

use jixiao_diagnostics::Location;

/// Where a cell came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pos {
    /// A text input: 1-based line and column (in characters).
    Line {
        /// 1-based line.
        line: u32,
        /// 1-based column, in characters.
        column: u32,
    },
    /// A worksheet: 0-based row and column, shown as `C7`.
    Sheet {
        /// 0-based row.
        row: u32,
        /// 0-based column.
        col: u32,
    },
    /// A cell of a Word table: 1-based table number in document order (nested tables counted
    /// where they start), 1-based row and 1-based grid column; shown as `表2 第5行第3列`.
    Table {
        /// 1-based table number.
        table: u32,
        /// 1-based row of that table.
        row: u32,
        /// 1-based grid column of that table.
        col: u32,
    },
    /// A Word paragraph outside any table: its 1-based number among the body's paragraphs;
    /// shown as `第3段`.
    Paragraph {
        /// 1-based paragraph number.
        paragraph: u32,
    },
    /// A cell of a table in a PDF: 1-based page, table number in the document (a table
    /// continued on the next page keeps its number), 1-based row of that table on that page and
    /// 1-based column; shown as `第3页 表1 第5行第2列`.
    PdfCell {
        /// 1-based page.
        page: u32,
        /// 1-based table number in the document.
        table: u32,
        /// 1-based row of the table on this page.
        row: u32,
        /// 1-based column.
        col: u32,
    },
    /// A line of text outside any table in a PDF: 1-based page and 1-based number among the
    /// page's lines outside tables; shown as `第3页 表外第2行`.
    PdfLine {
        /// 1-based page.
        page: u32,
        /// 1-based line among the page's lines outside tables.
        line: u32,
    },
}

impl Pos {
    /// The cell in A1 notation, for sheet positions.
    pub fn a1(&self) -> Option<String> {
        match *self {
            Pos::Sheet { row, col } => Some(format!("{}{}", column_name(col), row + 1)),
            _ => None,
        }
    }

    /// Where a Word or PDF position is, as the clerk finds it: `表2 第5行第3列`, `第3段`,
    /// `第3页 表1 第5行第2列`, `第3页 表外第2行`.
    pub fn place(&self) -> Option<String> {
        match *self {
            Pos::Table { table, row, col } => Some(format!("表{table} 第{row}行第{col}列")),
            Pos::Paragraph { paragraph } => Some(format!("第{paragraph}段")),
            Pos::PdfCell {
                page,
                table,
                row,
                col,
            } => Some(format!("第{page}页 表{table} 第{row}行第{col}列")),
            Pos::PdfLine { page, line } => Some(format!("第{page}页 表外第{line}行")),
            _ => None,
        }
    }
}

impl Pos {
    /// Where this position is, as diagnostics and the IR name it: `file:line` for text,
    /// `file:Sheet!C7` for a sheet (the one Grid-position → [`Location`] conversion).
    ///
    /// ```
    /// use jixiao_grid::Pos;
    /// let at = Pos::Sheet { row: 6, col: 2 }.location(Some("a.xlsx"), Some("项目1"));
    /// assert_eq!(at.to_string(), "a.xlsx:项目1!C7");
    /// assert_eq!(Pos::Line { line: 3, column: 6 }.location(Some("a.md"), None).to_string(), "a.md:3");
    /// ```
    pub fn location(&self, file: Option<&str>, sheet: Option<&str>) -> Location {
        match *self {
            Pos::Line { line, column } => Location {
                sheet: sheet.map(str::to_string),
                ..Location::line(file, line, column)
            },
            Pos::Sheet { .. } => Location {
                file: file.map(jixiao_diagnostics::shared_name),
                sheet: Some(sheet.unwrap_or_default().to_string()),
                cell: self.a1(),
                line: None,
                column: None,
            },
            // A Word or PDF document: the place (`表2 第5行第3列`, `第3段`, `第3页 表1 第5行第2列`)
            // stands where a cell would.
            Pos::Table { .. }
            | Pos::Paragraph { .. }
            | Pos::PdfCell { .. }
            | Pos::PdfLine { .. } => Location {
                file: file.map(jixiao_diagnostics::shared_name),
                cell: self.place(),
                ..Location::default()
            },
        }
    }
}

/// `0` → `A`, `25` → `Z`, `26` → `AA`.
pub fn column_name(col: u32) -> String {
    let mut n = col + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// Which slot of a merged range a covered cell is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Covered {
    /// Covered by a range that starts in a row above (a vertical merge): "same as above".
    Above,
    /// Covered by a range that starts in the same row to the left (a horizontal merge).
    Left,
}

/// One cell (or one slot of a merged range).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The text as the clerk sees it; line breaks inside a cell are `\n`.
    pub text: String,
    /// Rows spanned (1 for an unmerged cell).
    pub row_span: u32,
    /// Columns spanned (1 for an unmerged cell).
    pub col_span: u32,
    /// For a slot inside a merged range other than its first: how it is covered.
    pub covered: Option<Covered>,
    /// Where it came from.
    pub pos: Pos,
}

impl Cell {
    /// A plain cell.
    pub fn new(text: impl Into<String>, pos: Pos) -> Self {
        Cell {
            text: text.into(),
            row_span: 1,
            col_span: 1,
            covered: None,
            pos,
        }
    }

    /// A slot covered by a merged range.
    pub fn covered(how: Covered, pos: Pos) -> Self {
        Cell {
            text: String::new(),
            row_span: 1,
            col_span: 1,
            covered: Some(how),
            pos,
        }
    }

    /// True when the cell holds no visible text.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A table row.
    Table,
    /// A line of text outside any table (a title, a heading), as a one-cell row.
    Text,
}

/// One row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Table row or text line.
    pub kind: RowKind,
    /// The cells, one per column slot.
    pub cells: Vec<Cell>,
}

impl Row {
    /// A new row.
    pub fn new(kind: RowKind, cells: Vec<Cell>) -> Self {
        Row { kind, cells }
    }

    /// True when no cell holds text.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}

/// How a text reader cut a text into cells. A text does not say which of its shapes it is, so
/// the Markdown/text reader proposes one [`Grid`] per plausible shape and the recognizer keeps
/// the reading the form explains best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// As read today: TAB-separated rows, `|`-led pipe tables, `<table>` blocks, prose lines.
    Plain,
    /// Pipe rows with or without a leading `|` and a `|---|` line; `| ||||` runs at line ends
    /// are colspan residue, not cells; a `|`-led row that does not close continues on the
    /// next lines.
    Pipes,
    /// One cell per line ending in ` |`; a lone `|` line starts each row, and so does a line
    /// of only pipes (`||||`, `| |||`: the empty cells of a row's end); pipes after a cell's
    /// text (`3500 | ||`) are residue of empty cells, never part of the text.
    CellPerLine,
    /// One cell per paragraph (blank lines between cells; a paragraph of spaces is an empty
    /// cell) with no row markers: the rows of such a grid are a *stream* of one-cell rows whose
    /// real rows the recognizer rebuilds.
    CellPerParagraph,
    /// One cell per line (or run of lines) with a lone `|` line *between* cells, as text
    /// taken from a PDF gives it: the bars separate cells, not rows, so the grid is a
    /// *stream* whose rows the recognizer rebuilds, as for [`Shape::CellPerParagraph`].
    BarSeparated,
    /// Cells separated by runs of two or more spaces (fixed-width text); indentation stands
    /// for empty leading cells and a line holding only the tail of a wrapped cell is joined.
    Spaces,
    /// Cells separated by single spaces (when cells hold no spaces).
    SingleSpace,
    /// A whole table run together on one line with single spaces between its cells (a
    /// spreadsheet flattened to text): no row markers at all, so every cell is one of a
    /// *stream* whose rows the recognizer rebuilds, as for [`Shape::CellPerParagraph`].
    SpaceStream,
}

impl Shape {
    /// True when the grid's rows are a stream of cells (one cell per row) rather than rows.
    pub fn is_stream(self) -> bool {
        matches!(
            self,
            Shape::CellPerParagraph | Shape::BarSeparated | Shape::SpaceStream
        )
    }

    /// The shape as a clerk would describe it, in Chinese, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Shape::Plain => "按制表符/Markdown 表格原样读取",
            Shape::Pipes => "按“|”分隔的表格行读取（无分隔线、行尾多余的“|”不算单元格）",
            Shape::CellPerLine => "按“每行一个单元格、单独的“|”行开始新行”读取",
            Shape::CellPerParagraph => "按“每段一个单元格”读取，并按表格结构重建行",
            Shape::BarSeparated => "按“单独的“|”行分隔单元格”读取，并按表格结构重建行",
            Shape::Spaces => "按“两个以上空格分隔单元格”（等宽排版）读取",
            Shape::SingleSpace => "按“单个空格分隔单元格”读取",
            Shape::SpaceStream => "按“整张表连成一行、单个空格分隔单元格”读取，并按表格结构重建行",
        }
    }
}

/// The rows read from one input (a text file, a sheet, an HTML page).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Grid {
    /// The file as the user named it.
    pub file: Option<String>,
    /// The sheet, for workbooks.
    pub sheet: Option<String>,
    /// The rows in order.
    pub rows: Vec<Row>,
}

impl Grid {
    /// Where a position of this grid is (its file and sheet, and the line or cell).
    pub fn location(&self, pos: &Pos) -> Location {
        pos.location(self.file.as_deref(), self.sheet.as_deref())
    }

    /// An empty grid.
    pub fn new(file: Option<String>, sheet: Option<String>) -> Self {
        Grid {
            file,
            sheet,
            rows: Vec::new(),
        }
    }
}
