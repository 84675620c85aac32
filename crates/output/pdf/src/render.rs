//! Tables to pages: measuring cells, paginating rows, drawing boxes and text.

use crate::font::Font;
use jixiao_layout::linebreak::{with_break_spaces, wrap, wrap_balanced};
use jixiao_layout::{Align, Role, Table, Template};
use jixiao_model::{Code, Diagnostic, Location};
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;

/// Millimetres per point.
pub(crate) const PT_MM: f32 = 25.4 / 72.0;
/// Space between a cell's border and its text, horizontally and vertically (mm).
const PAD_X: f32 = 1.5;
const PAD_Y: f32 = 1.4;
/// Space under the title block (mm).
const TITLE_GAP: f32 = 3.0;
/// Where the top of an ideograph sits above the baseline, in ems.
const ASCENT: f32 = 0.88;
/// Width of the cell borders (pt).
const LINE_WIDTH: f32 = 0.6;

/// Page geometry in mm, origin bottom-left.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Geometry {
    pub(crate) fn new(t: &Template) -> Geometry {
        let (w, h) = match t.page.paper.to_ascii_uppercase().as_str() {
            "A3" => (297.0, 420.0),
            _ => (210.0, 297.0),
        };
        let (width, height) = if t.page.orientation.eq_ignore_ascii_case("landscape") {
            (h, w)
        } else {
            (w, h)
        };
        Geometry {
            width,
            height,
            left: t.page.margin_left_mm,
            right: width - t.page.margin_right_mm,
            top: height - t.page.margin_top_mm,
            bottom: t.page.margin_bottom_mm,
        }
    }
}

/// Font sizes and line height in mm.
#[derive(Debug, Clone, Copy)]
struct Sizes {
    body_pt: f32,
    title_pt: f32,
    subtitle_pt: f32,
    line: f32,
}

/// A cell measured: its text broken into lines for its width.
#[derive(Debug, Clone)]
struct MCell {
    col: usize,
    col_span: usize,
    row_span: usize,
    align: Align,
    /// A label of the form: shown whole in every part of a row cut across pages.
    label: bool,
    lines: Vec<String>,
}

impl MCell {
    fn height(&self, s: &Sizes) -> f32 {
        self.lines.len().max(1) as f32 * s.line + 2.0 * PAD_Y
    }
}

/// A table measured and ready to paginate.
struct Measured<'a> {
    table: &'a Table,
    col_x: Vec<f32>,
    rows: Vec<Vec<MCell>>,
    /// Row heights; each merged cell fits in the rows it covers.
    heights: Vec<f32>,
    /// For each row, the merged cells (row, index in row) covering it, the row itself included.
    cover: Vec<Vec<(usize, usize)>>,
}

/// One row, or part of a row, placed on a page.
#[derive(Debug, Clone)]
struct Piece {
    row: usize,
    height: f32,
    /// For a row cut across pages: the lines of its cells shown here.
    lines: Option<(usize, usize)>,
}

/// One page of a table.
struct PageRows {
    with_title: bool,
    pieces: Vec<Piece>,
}

/// A table measured and split into pages, ready to draw.
pub(crate) struct Laid<'t> {
    m: Measured<'t>,
    pages: Vec<PageRows>,
}

impl Laid<'_> {
    /// The number of pages.
    pub(crate) fn pages(&self) -> usize {
        self.pages.len()
    }
}

/// Draws tables into pages sharing one font.
pub(crate) struct Renderer<'a> {
    pub font: &'a Font,
    pub geometry: Geometry,
    sizes: Sizes,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(font: &'a Font, template: &Template) -> Self {
        let f = &template.font;
        Renderer {
            font,
            geometry: Geometry::new(template),
            sizes: Sizes {
                body_pt: f.body_size,
                title_pt: f.title_size,
                subtitle_pt: f.subtitle_size,
                line: f.body_size * f.line_spacing * PT_MM,
            },
            diagnostics: Vec::new(),
        }
    }

    fn text_width(&self, s: &str, pt: f32) -> f32 {
        self.font.width(s) * pt * PT_MM
    }

    /// Reports the characters of `text` the font lacks, naming where they are.
    fn check_glyphs(&mut self, text: &str, place: &str, location: &Location) {
        let mut missing: Vec<char> = Vec::new();
        for c in text.chars() {
            if !c.is_whitespace() && !self.font.has_char(c) && !missing.contains(&c) {
                missing.push(c);
            }
        }
        if missing.is_empty() {
            return;
        }
        let chars: Vec<String> = missing
            .iter()
            .map(|c| format!("“{c}”(U+{:04X})", *c as u32))
            .collect();
        self.diagnostics.push(Diagnostic::new(
            Code::P501,
            format!(
                "字体 {} 缺少字符 {}：{place}的这些字在 PDF 中无法显示；请用 --font 指定含这些字的字体",
                self.font.name(),
                chars.join("、")
            ),
            location.clone(),
        ));
    }

    fn measure<'t>(&mut self, table: &'t Table, name: &str) -> Measured<'t> {
        let g = self.geometry;
        let s = self.sizes;
        let total: f32 = table.columns.iter().sum::<f32>().max(1.0);
        let mut col_x = vec![g.left];
        for w in &table.columns {
            let last = *col_x.last().expect("starts with left");
            col_x.push(last + w / total * (g.right - g.left));
        }
        let header = table.header_row.and_then(|h| table.rows.get(h));
        let mut rows = Vec::with_capacity(table.rows.len());
        for (r, row) in table.rows.iter().enumerate() {
            let mut cells = Vec::with_capacity(row.cells.len());
            for cell in &row.cells {
                let text = cell.content.text();
                let end = (cell.col + cell.col_span).min(table.columns.len());
                let width = col_x[end] - col_x[cell.col.min(end)] - 2.0 * PAD_X;
                let column = header
                    .and_then(|h| h.cells.iter().find(|c| c.col == cell.col))
                    .map(|c| format!("“{}”列", c.content.text()))
                    .filter(|_| table.header_row.is_some_and(|h| r > h))
                    .unwrap_or_else(|| format!("第 {} 列", cell.col + 1));
                self.check_glyphs(
                    &text,
                    &format!("{name}第 {} 行{column}", r + 1),
                    &row.source,
                );
                let pt = s.body_pt;
                let measure = |t: &str| self.text_width(t, pt);
                let lines = match cell.align {
                    Align::Center => wrap_balanced(&text, width, &measure),
                    // The space a line was broken at is drawn at its end, so that the text
                    // reads back whole.
                    Align::Left => with_break_spaces(&text, wrap(&text, width, &measure)),
                };
                cells.push(MCell {
                    col: cell.col,
                    col_span: cell.col_span,
                    row_span: cell.row_span.max(1),
                    align: cell.align,
                    label: cell.role == Role::Label,
                    lines,
                });
            }
            rows.push(cells);
        }
        let n = rows.len();
        let mut heights: Vec<f32> = rows
            .iter()
            .map(|cells| {
                cells
                    .iter()
                    .filter(|c| c.row_span == 1)
                    .map(|c| c.height(&s))
                    .fold(s.line + 2.0 * PAD_Y, f32::max)
            })
            .collect();
        let mut cover = vec![Vec::new(); n];
        for r in 0..n {
            for (k, c) in rows[r].iter().enumerate() {
                let end = (r + c.row_span).min(n);
                for covered in cover.iter_mut().take(end).skip(r) {
                    covered.push((r, k));
                }
                if c.row_span > 1 {
                    let have: f32 = heights[r..end].iter().sum();
                    heights[end - 1] += (c.height(&s) - have).max(0.0);
                }
            }
        }
        Measured {
            table,
            col_x,
            rows,
            heights,
            cover,
        }
    }

    fn title_height(&self, table: &Table) -> f32 {
        let s = self.sizes;
        let mut h = s.title_pt * PT_MM * 1.5;
        if table.subtitle.is_some() {
            h += s.subtitle_pt * PT_MM * 1.5;
        }
        h + TITLE_GAP
    }

    /// Splits the rows into pages: a row moves whole to the next page unless it alone is
    /// taller than a page; every continuation page starts with the header row.
    ///
    /// Every step places a row, places some lines of a row or starts a page after placing
    /// something, so the pages are bounded by the rows and lines; `None` should a step ever
    /// fail to advance (a guard, not an expected outcome).
    fn paginate(&self, m: &Measured) -> Option<Vec<PageRows>> {
        let total_lines: usize = m
            .rows
            .iter()
            .flat_map(|cells| cells.iter().map(|c| c.lines.len().max(1)))
            .sum();
        let mut steps_left = 4 * (m.rows.len() + total_lines) + 16;
        let g = self.geometry;
        let body = g.top - g.bottom;
        let header = m.table.header_row;
        let mut pages = vec![PageRows {
            with_title: true,
            pieces: Vec::new(),
        }];
        let mut room = body - self.title_height(m.table);
        // Height the merged cell (r, k) already has on the current page.
        let on_page = |page: &PageRows, (r, k): (usize, usize)| -> f32 {
            let span = m.rows[r][k].row_span;
            page.pieces
                .iter()
                .filter(|p| p.row >= r && p.row < r + span)
                .map(|p| p.height)
                .sum()
        };
        let mut row = 0;
        let mut split_from: Option<usize> = None;
        while row < m.rows.len() {
            steps_left = steps_left.checked_sub(1)?;
            let page = pages.last().expect("one page at least");
            let fresh = page
                .pieces
                .iter()
                .all(|p| Some(p.row) == header && row > p.row);
            // Room the merged cells need here: those ending in this row must be tall enough
            // on this page, and those going on need room should the page end after it.
            let mut place = m.heights[row];
            if split_from.is_none() {
                for &(r, k) in &m.cover[row] {
                    let c = &m.rows[r][k];
                    if c.row_span > 1 && r + c.row_span - 1 == row {
                        let short = c.height(&self.sizes) - on_page(page, (r, k)) - place;
                        place += short.max(0.0);
                    }
                }
            }
            let mut reserve: f32 = 0.0;
            for &(r, k) in &m.cover[row] {
                let c = &m.rows[r][k];
                if c.row_span > 1 && r + c.row_span - 1 > row {
                    let short = c.height(&self.sizes) - on_page(page, (r, k)) - place;
                    reserve = reserve.max(short);
                }
            }
            // The header row keeps with the row after it (unless that row is cut anyway).
            if Some(row) == header && row + 1 < m.rows.len() && m.heights[row + 1] < body / 2.0 {
                reserve = reserve.max(m.heights[row + 1]);
            }
            let first_line = split_from.unwrap_or(0);
            let lines_left = m.rows[row]
                .iter()
                .filter(|c| c.row_span == 1)
                .map(|c| {
                    if c.label {
                        c.lines.len()
                    } else {
                        c.lines.len().saturating_sub(first_line)
                    }
                })
                .max()
                .unwrap_or(0);
            let left_height = if split_from.is_some() {
                lines_left.max(1) as f32 * self.sizes.line + 2.0 * PAD_Y
            } else {
                place
            };
            if left_height + reserve <= room + 0.01 {
                let page = pages.last_mut().expect("one page at least");
                page.pieces.push(Piece {
                    row,
                    height: left_height,
                    lines: split_from.map(|f| (f, f + lines_left)),
                });
                room -= left_height;
                row += 1;
                split_from = None;
                continue;
            }
            // The row does not fit. Cut it only when it would not fit a fresh page either.
            let header_h = header.filter(|&h| row > h).map_or(0.0, |h| m.heights[h]);
            let too_tall = left_height > body - header_h;
            let fit_lines = ((room - 2.0 * PAD_Y) / self.sizes.line).floor();
            if too_tall && (fit_lines >= 2.0 || fresh) {
                let n = if fit_lines.is_finite() && fit_lines >= 1.0 {
                    fit_lines as usize
                } else {
                    1
                };
                let page = pages.last_mut().expect("one page at least");
                page.pieces.push(Piece {
                    row,
                    height: n as f32 * self.sizes.line + 2.0 * PAD_Y,
                    lines: Some((first_line, first_line + n)),
                });
                // The row ends once the text of its cut cells is all placed (labels are
                // shown whole on every part and do not hold the row open).
                let text_lines = m.rows[row]
                    .iter()
                    .filter(|c| c.row_span == 1 && !c.label)
                    .map(|c| c.lines.len())
                    .max()
                    .unwrap_or(0);
                if first_line + n >= text_lines {
                    row += 1;
                    split_from = None;
                } else {
                    split_from = Some(first_line + n);
                }
            } else if fresh && !too_tall {
                // Only merged-cell reserve keeps it out; place it anyway.
                let page = pages.last_mut().expect("one page at least");
                page.pieces.push(Piece {
                    row,
                    height: left_height,
                    lines: split_from.map(|f| (f, f + lines_left)),
                });
                row += 1;
                split_from = None;
            }
            // End the page: merged cells going on get the height their label needs here.
            let page = pages.last_mut().expect("one page at least");
            if let Some(last) = page.pieces.last() {
                let last_row = last.row;
                let mut extra: f32 = 0.0;
                for &(r, k) in &m.cover[last_row] {
                    let c = &m.rows[r][k];
                    if c.row_span > 1 && r + c.row_span - 1 > last_row {
                        extra = extra.max(c.height(&self.sizes) - on_page(page, (r, k)));
                    }
                }
                if let Some(last) = page.pieces.last_mut() {
                    last.height += extra.max(0.0);
                }
            }
            let mut next = PageRows {
                with_title: false,
                pieces: Vec::new(),
            };
            room = body;
            if let Some(h) = header.filter(|&h| row > h) {
                next.pieces.push(Piece {
                    row: h,
                    height: m.heights[h],
                    lines: None,
                });
                room -= m.heights[h];
            }
            pages.push(next);
        }
        Some(pages)
    }

    /// Shows `text` with its baseline starting at (`x`, `baseline`), in mm from the bottom left.
    fn show(&self, surface: &mut Surface, pt: f32, x: f32, baseline: f32, text: &str) {
        if text.is_empty() {
            return;
        }
        let glyphs = self.font.glyphs(text);
        surface.draw_glyphs(
            self.point(x, baseline),
            &glyphs,
            self.font.embedded().clone(),
            text,
            pt,
            false,
        );
    }

    /// A point in mm from the bottom left as the PDF library takes it: points from the top left.
    fn point(&self, x: f32, y: f32) -> Point {
        Point::from_xy(x / PT_MM, (self.geometry.height - y) / PT_MM)
    }

    fn centred(&self, surface: &mut Surface, pt: f32, top: f32, height: f32, text: &str) {
        let g = self.geometry;
        let em = pt * PT_MM;
        let x = g.left + ((g.right - g.left) - self.text_width(text, pt)) / 2.0;
        let baseline = top - (height - em) / 2.0 - ASCENT * em;
        self.show(surface, pt, x, baseline, text);
    }

    /// Measures one table and splits it into pages.
    ///
    /// # Errors
    ///
    /// The pagination did not end (a template whose sizes leave no room, should one pass
    /// the template's checks): the message says so in Chinese.
    pub(crate) fn layout<'t>(
        &mut self,
        table: &'t Table,
        name: &str,
        location: &Location,
    ) -> Result<Laid<'t>, String> {
        self.check_glyphs(&table.title, &format!("{name}标题"), location);
        if let Some(sub) = &table.subtitle {
            self.check_glyphs(sub, &format!("{name}标题"), location);
        }
        let m = self.measure(table, name);
        let pages = self
            .paginate(&m)
            .ok_or_else(|| format!("{name}无法分页：模板的页边距、字号或行距使一页放不下一行"))?;
        Ok(Laid { m, pages })
    }

    /// Draws page `index` of a laid-out table (without its footer).
    pub(crate) fn draw_page(&self, surface: &mut Surface, laid: &Laid, index: usize) {
        let m = &laid.m;
        let page = &laid.pages[index];
        let g = self.geometry;
        let s = self.sizes;
        surface.set_stroke(None);
        surface.set_fill(Some(Fill::default()));
        let mut boxes = PathBuilder::new();
        let mut y = g.top;
        if page.with_title {
            let h = s.title_pt * PT_MM * 1.5;
            self.centred(surface, s.title_pt, y, h, &m.table.title);
            y -= h;
            if let Some(sub) = &m.table.subtitle {
                let h = s.subtitle_pt * PT_MM * 1.5;
                self.centred(surface, s.subtitle_pt, y, h, sub);
                y -= h;
            }
            y -= TITLE_GAP;
        }
        let tops: Vec<f32> = page
            .pieces
            .iter()
            .scan(y, |top, p| {
                let t = *top;
                *top -= p.height;
                Some(t)
            })
            .collect();
        let mut drawn: Vec<(usize, usize)> = Vec::new();
        for (i, piece) in page.pieces.iter().enumerate() {
            for &(r, k) in &m.cover[piece.row] {
                if drawn.contains(&(r, k)) {
                    continue;
                }
                drawn.push((r, k));
                let cell = &m.rows[r][k];
                // The part of a merged cell on this page: this piece and the ones after it
                // that the cell still covers.
                let mut bottom = tops[i] - piece.height;
                for (j, later) in page.pieces.iter().enumerate().skip(i + 1) {
                    if later.row >= r && later.row < r + cell.row_span {
                        bottom = tops[j] - later.height;
                    } else {
                        break;
                    }
                }
                let cut = piece.lines.filter(|_| cell.row_span == 1 && !cell.label);
                let lines = match cut {
                    Some((from, to)) => {
                        &cell.lines[from.min(cell.lines.len())..to.min(cell.lines.len())]
                    }
                    None => &cell.lines[..],
                };
                self.draw_cell(
                    surface,
                    &mut boxes,
                    m,
                    cell,
                    (tops[i], bottom),
                    lines,
                    cut.is_some(),
                );
            }
        }
        if let Some(path) = boxes.finish() {
            surface.set_fill(None);
            surface.set_stroke(Some(Stroke {
                width: LINE_WIDTH,
                ..Stroke::default()
            }));
            surface.draw_path(&path);
            surface.set_stroke(None);
            surface.set_fill(Some(Fill::default()));
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_cell(
        &self,
        surface: &mut Surface,
        boxes: &mut PathBuilder,
        m: &Measured,
        cell: &MCell,
        (top, bottom): (f32, f32),
        lines: &[String],
        top_aligned: bool,
    ) {
        let s = self.sizes;
        let end = (cell.col + cell.col_span).min(m.col_x.len() - 1);
        let (x0, x1) = (m.col_x[cell.col.min(end)], m.col_x[end]);
        let (a, b) = (self.point(x0, top), self.point(x1, bottom));
        if let Some(rect) = Rect::from_ltrb(a.x, a.y, b.x, b.y) {
            boxes.push_rect(rect);
        }
        let block = lines.len() as f32 * s.line;
        let first_top = if top_aligned {
            top - PAD_Y
        } else {
            top - ((top - bottom) - block) / 2.0
        };
        let em = s.body_pt * PT_MM;
        for (i, line) in lines.iter().enumerate() {
            let line_top = first_top - i as f32 * s.line;
            let baseline = line_top - (s.line - em) / 2.0 - ASCENT * em;
            let x = match cell.align {
                Align::Left => x0 + PAD_X,
                Align::Center => x0 + ((x1 - x0) - self.text_width(line, s.body_pt)) / 2.0,
            };
            self.show(surface, s.body_pt, x, baseline, line);
        }
    }

    /// Draws the footer (`第 N 页 共 M 页` in the standard template) of page `page` of `pages`.
    pub(crate) fn footer(&self, surface: &mut Surface, footer: &str, page: usize, pages: usize) {
        let g = self.geometry;
        let pt = self.sizes.body_pt - 1.5;
        let text = footer
            .replace("{page}", &page.to_string())
            .replace("{pages}", &pages.to_string());
        let x = g.left + ((g.right - g.left) - self.text_width(&text, pt)) / 2.0;
        let baseline = g.bottom / 2.0;
        self.show(surface, pt, x, baseline, &text);
    }

    /// Reports the characters of the footer the font lacks.
    pub(crate) fn check_footer(&mut self, footer: &str) {
        let sample = footer.replace("{page}", "1").replace("{pages}", "1");
        self.check_glyphs(&sample, "页脚", &Location::default());
    }
}
