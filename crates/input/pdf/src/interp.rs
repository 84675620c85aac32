//! The one module that talks to hayro (`hayro-syntax` parses the file, `hayro-interpret` runs
//! each page's content stream into a [`Device`]). Its API is experimental and pinned to an exact
//! version; everything the rest of the crate needs is turned here into plain data: per page, the
//! glyphs (text, position, size) and the straight border pieces (stroked lines, thin filled
//! rectangles), in page space with y growing downwards, in points.
//!
//! Limits are checked before hayro allocates: the number of pages, the size every Flate or
//! RunLength stream decompresses to, behind ASCII filters too (counted by inflating into a small
//! buffer that is thrown away), and the
//! operators of each page's content stream, form XObjects drawn from it included (counted through
//! the forms, each form counted once however often it is drawn, with its fan-out multiplied in).

use crate::tags::{TaggedCell, TaggedTable};
use crate::{Limits, PdfError};
use hayro_interpret::font::Glyph as HayroGlyph;
use hayro_interpret::kurbo::{Affine, BezPath, PathEl, Point, Rect};
use hayro_interpret::{
    BlendMode, ClipPath, Context, Device, DrawMode, DrawProps, Image, ImageDrawProps,
    InterpreterCache, InterpreterSettings, SoftMask, font::GlyphRun, interpret_page,
};
use hayro_syntax::DecryptionError;
use hayro_syntax::content::UntypedIter;
use hayro_syntax::object::{Dict, Name, Object, ObjectIdentifier, Stream};
use hayro_syntax::{Filter, LoadPdfError, Pdf};
use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

/// One glyph as drawn, in page space (points, y down).
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    /// Its Unicode text; `None` when the font gives none.
    pub(crate) text: Option<String>,
    /// The character code that selected it (for glyphs without Unicode).
    pub(crate) code: u32,
    /// Left end of the baseline.
    pub(crate) x0: f64,
    /// Right end of the baseline (origin plus advance).
    pub(crate) x1: f64,
    /// The baseline.
    pub(crate) baseline: f64,
    /// The font size in page space (the em square's height).
    pub(crate) size: f64,
    /// The marked-content id (MCID) it is drawn under, for the structure tree.
    pub(crate) mcid: Option<i64>,
}

/// A horizontal or vertical border piece: a stroked line or a thin filled rectangle, reduced to
/// its centre line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment {
    /// True for a horizontal piece (`y0 == y1`).
    pub(crate) horizontal: bool,
    /// The fixed coordinate: y of a horizontal piece, x of a vertical one.
    pub(crate) at: f64,
    /// Where it starts along its direction (smaller end).
    pub(crate) from: f64,
    /// Where it ends along its direction (larger end).
    pub(crate) to: f64,
}

/// What one page draws.
#[derive(Debug, Clone, Default)]
pub(crate) struct PageContent {
    /// Every glyph, in drawing order.
    pub(crate) glyphs: Vec<Glyph>,
    /// Every border piece.
    pub(crate) segments: Vec<Segment>,
    /// Images drawn (a scanned page is one).
    pub(crate) images: usize,
}

/// An opened document.
pub(crate) struct Document {
    pdf: Pdf,
}

/// How thick a filled rectangle may be and still count as a line (points). jixiao's own writer
/// draws 0.5 pt borders as rectangles; Word draws 0.5–1.5 pt lines; a shaded cell is far thicker.
const THIN: f64 = 2.5;

/// How far from axis-parallel a line may be (points over its length) to count as a border.
const SKEW: f64 = 0.6;

/// Opens the file and checks the limits that can be checked before interpreting any page.
pub(crate) fn open(bytes: &[u8], limits: &Limits) -> Result<Document, PdfError> {
    let data: Arc<Vec<u8>> = Arc::new(bytes.to_vec());
    let pdf = match Pdf::new(data) {
        Ok(pdf) => pdf,
        Err(LoadPdfError::Decryption(DecryptionError::PasswordProtected)) => {
            return Err(PdfError::Encrypted);
        }
        Err(LoadPdfError::Decryption(_)) => return Err(PdfError::EncryptionUnsupported),
        Err(LoadPdfError::Invalid) => return Err(PdfError::Corrupt),
    };
    let pages = pdf.pages().len();
    if pages == 0 {
        return Err(PdfError::Corrupt);
    }
    if pages > limits.max_pages {
        return Err(PdfError::TooLarge(format!(
            "共 {pages} 页，超过上限 {} 页",
            limits.max_pages
        )));
    }
    check_streams(&pdf, limits)?;
    Ok(Document { pdf })
}

impl Document {
    /// The object number of page `index`, which the structure tree's `/Pg` entries name.
    pub(crate) fn page_object(&self, index: usize) -> Option<u32> {
        Some(self.pdf.pages().get(index)?.raw().obj_id()?.obj_number)
    }

    /// The tables of the structure tree (empty for an untagged PDF).
    pub(crate) fn tagged_tables(&self) -> Vec<TaggedTable> {
        let xref = self.pdf.xref();
        let Some(catalog) = xref.get::<Dict<'_>>(xref.root_id()) else {
            return Vec::new();
        };
        let Some(root) = catalog.get::<Dict<'_>>(b"StructTreeRoot".as_slice()) else {
            return Vec::new();
        };
        let roles = root
            .get::<Dict<'_>>(b"RoleMap".as_slice())
            .unwrap_or_default();
        let mut walk = TagWalk {
            roles,
            budget: MAX_ELEMENTS,
            tables: Vec::new(),
        };
        if let Some(k) = root.get::<Object<'_>>(b"K".as_slice()) {
            walk.kids(&k, None, 0, &mut None);
        }
        walk.tables
    }

    /// The number of pages.
    pub(crate) fn page_count(&self) -> usize {
        self.pdf.pages().len()
    }

    /// Interprets page `index` (0-based).
    pub(crate) fn page(&self, index: usize, limits: &Limits) -> Result<PageContent, PdfError> {
        let Some(page) = self.pdf.pages().get(index) else {
            return Ok(PageContent::default());
        };
        let ops = count_ops(
            page.operations(),
            &page.resources().x_objects,
            &mut HashMap::new(),
            0,
            limits.max_ops_per_page,
        );
        if ops > limits.max_ops_per_page {
            return Err(PdfError::TooLarge(format!(
                "第{}页的绘制指令超过 {} 条",
                index + 1,
                limits.max_ops_per_page
            )));
        }
        let (width, height) = page.render_dimensions();
        let initial = Affine::new(page.initial_transform(true).as_coeffs());
        let settings = InterpreterSettings::default();
        let cache = InterpreterCache::new();
        let mut context = Context::new(
            initial,
            Rect::new(0.0, 0.0, f64::from(width), f64::from(height)),
            &cache,
            self.pdf.xref(),
            settings,
        );
        let mut collector = Collector {
            content: PageContent::default(),
            budget: limits.max_ops_per_page,
            mcids: Vec::new(),
        };
        interpret_page(page, &mut context, &mut collector);
        Ok(collector.content)
    }
}

/// Every Flate stream of the file must inflate to at most `max_stream_bytes`, and all of them
/// together to at most `max_total_bytes`: a few kilobytes can inflate to gigabytes, and hayro
/// inflates into memory. Inflating into a fixed buffer costs time bounded by the limits and no
/// memory.
fn check_streams(pdf: &Pdf, limits: &Limits) -> Result<(), PdfError> {
    let mut total: u64 = 0;
    for object in pdf.objects() {
        let Object::Stream(stream) = object else {
            continue;
        };
        let filters = stream.filters();
        // Only Flate and RunLength expand much; the ASCII filters shrink, and image filters are
        // never decoded here (images are not looked at).
        let Some(last) = filters
            .iter()
            .rposition(|f| matches!(f, Filter::FlateDecode | Filter::RunLengthDecode))
        else {
            continue;
        };
        let raw = stream.raw_data();
        let size = expanded_size(&filters[..=last], &raw, limits.max_stream_bytes);
        if size > limits.max_stream_bytes {
            return Err(PdfError::TooLarge(format!(
                "其中一个数据流解压后超过 {} MB",
                limits.max_stream_bytes >> 20
            )));
        }
        total += size;
        if total > limits.max_total_bytes {
            return Err(PdfError::TooLarge(format!(
                "数据流解压后共超过 {} MB",
                limits.max_total_bytes >> 20
            )));
        }
    }
    Ok(())
}

/// The size `data` decodes to through `filters`, counted up to just past `cap`. The last filter
/// is only counted (Flate inflates into a small buffer that is thrown away); the ones before it
/// are decoded into memory, each output cut at `cap`. A filter this check does not decode (LZW,
/// which old PDFs use) ends the count at what is known: such streams are left to hayro.
fn expanded_size(filters: &[Filter], data: &[u8], cap: u64) -> u64 {
    let mut current: std::borrow::Cow<'_, [u8]> = std::borrow::Cow::Borrowed(data);
    for (i, filter) in filters.iter().enumerate() {
        let last = i + 1 == filters.len();
        let next: Vec<u8> = match filter {
            Filter::FlateDecode => {
                let mut inflater = flate2::read::ZlibDecoder::new(&current[..]).take(cap + 1);
                if last {
                    return std::io::copy(&mut inflater, &mut std::io::sink()).unwrap_or(0);
                }
                let mut out = Vec::new();
                let _ = inflater.read_to_end(&mut out);
                out
            }
            Filter::RunLengthDecode => run_length(&current, cap),
            Filter::AsciiHexDecode => ascii_hex(&current),
            Filter::Ascii85Decode => ascii85(&current),
            Filter::Crypt => current.to_vec(),
            _ => return current.len() as u64,
        };
        if next.len() as u64 > cap {
            return next.len() as u64;
        }
        current = std::borrow::Cow::Owned(next);
    }
    current.len() as u64
}

/// RunLengthDecode, cut just past `cap`.
fn run_length(data: &[u8], cap: u64) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < data.len() && (out.len() as u64) <= cap {
        let n = data[i] as usize;
        i += 1;
        match n {
            0..=127 => {
                let end = (i + n + 1).min(data.len());
                out.extend_from_slice(&data[i..end]);
                i = end;
            }
            128 => break,
            _ => {
                if let Some(&b) = data.get(i) {
                    out.extend(std::iter::repeat_n(b, 257 - n));
                }
                i += 1;
            }
        }
    }
    out
}

/// ASCIIHexDecode (whitespace skipped, `>` ends it, an odd last digit padded with 0).
fn ascii_hex(data: &[u8]) -> Vec<u8> {
    let digits: Vec<u8> = data
        .iter()
        .take_while(|&&b| b != b'>')
        .filter_map(|&b| (b as char).to_digit(16).map(|d| d as u8))
        .collect();
    digits
        .chunks(2)
        .map(|p| (p[0] << 4) | p.get(1).copied().unwrap_or(0))
        .collect()
}

/// ASCII85Decode (whitespace skipped, `z` four zeros, `~>` ends it).
fn ascii85(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut group: Vec<u32> = Vec::with_capacity(5);
    for &b in data {
        match b {
            b'~' => break,
            b'z' if group.is_empty() => out.extend_from_slice(&[0; 4]),
            b'!'..=b'u' => {
                group.push(u32::from(b - b'!'));
                if group.len() == 5 {
                    let v = group
                        .iter()
                        .fold(0u32, |a, &d| a.wrapping_mul(85).wrapping_add(d));
                    out.extend_from_slice(&v.to_be_bytes());
                    group.clear();
                }
            }
            _ => {}
        }
    }
    if group.len() > 1 {
        let n = group.len();
        group.resize(5, 84);
        let v = group
            .iter()
            .fold(0u32, |a, &d| a.wrapping_mul(85).wrapping_add(d));
        out.extend_from_slice(&v.to_be_bytes()[..n - 1]);
    }
    out
}

/// The operators a content stream runs, forms it draws (`Do`) included, each form's count
/// multiplied by how often it is drawn. Counting stops past `cap`; each form is counted once
/// (`memo`, by object), and a form reached again while it is being counted (a cycle) or nested
/// deeper than hayro follows counts as over the cap.
fn count_ops(
    mut ops: UntypedIter<'_>,
    x_objects: &Dict<'_>,
    memo: &mut HashMap<ObjectIdentifier, usize>,
    depth: usize,
    cap: usize,
) -> usize {
    let mut count = 0usize;
    while let Some(op) = ops.next() {
        count = count.saturating_add(1);
        if count > cap {
            return count;
        }
        if &**op.operator != b"Do" {
            continue;
        }
        let Some(Object::Name(name)) = op.operands().last() else {
            continue;
        };
        let Some(form) = x_objects.get::<Stream<'_>>(name.as_ref()) else {
            continue;
        };
        let is_form = form
            .dict()
            .get::<Name<'_>>(b"Subtype".as_slice())
            .is_some_and(|s| s.as_ref() == b"Form");
        if !is_form {
            continue;
        }
        let id = form.obj_id();
        let inner = if let Some(&n) = memo.get(&id) {
            n
        } else if depth >= 48 {
            cap.saturating_add(1)
        } else {
            memo.insert(id, cap.saturating_add(1));
            let data = form.decoded().unwrap_or_default();
            let own = form
                .dict()
                .get::<Dict<'_>>(b"Resources".as_slice())
                .and_then(|r| r.get::<Dict<'_>>(b"XObject".as_slice()));
            let n = count_ops(
                UntypedIter::new(&data),
                own.as_ref().unwrap_or(x_objects),
                memo,
                depth + 1,
                cap,
            );
            memo.insert(id, n);
            n
        };
        count = count.saturating_add(inner);
        if count > cap {
            return count;
        }
    }
    count
}

/// The device: keeps glyphs and border pieces, counts images, ignores the rest.
struct Collector {
    content: PageContent,
    /// How many more items (glyphs, path elements) this page may give.
    budget: usize,
    /// The MCIDs of the open marked-content sequences (an inner one without MCID inherits).
    mcids: Vec<Option<i64>>,
}

impl Collector {
    fn spend(&mut self, n: usize) -> bool {
        if self.budget < n {
            self.budget = 0;
            false
        } else {
            self.budget -= n;
            true
        }
    }

    fn line(&mut self, a: Point, b: Point) {
        let (dx, dy) = ((b.x - a.x).abs(), (b.y - a.y).abs());
        if dy <= SKEW && dx > dy {
            self.content.segments.push(Segment {
                horizontal: true,
                at: (a.y + b.y) / 2.0,
                from: a.x.min(b.x),
                to: a.x.max(b.x),
            });
        } else if dx <= SKEW && dy > dx {
            self.content.segments.push(Segment {
                horizontal: false,
                at: (a.x + b.x) / 2.0,
                from: a.y.min(b.y),
                to: a.y.max(b.y),
            });
        }
    }

    /// A filled sub-path that is an axis-parallel rectangle thin in one direction is a line.
    fn thin_rect(&mut self, points: &[Point]) {
        if points.len() < 4 || points.len() > 5 {
            return;
        }
        let xs = points.iter().map(|p| p.x);
        let ys = points.iter().map(|p| p.y);
        let (x0, x1) = (
            xs.clone().fold(f64::MAX, f64::min),
            xs.fold(f64::MIN, f64::max),
        );
        let (y0, y1) = (
            ys.clone().fold(f64::MAX, f64::min),
            ys.fold(f64::MIN, f64::max),
        );
        // Every corner on the bounding box's corners: a rectangle, not a slanted quad.
        let on_corner = points.iter().all(|p| {
            ((p.x - x0).abs() < 0.01 || (p.x - x1).abs() < 0.01)
                && ((p.y - y0).abs() < 0.01 || (p.y - y1).abs() < 0.01)
        });
        if !on_corner {
            return;
        }
        let (w, h) = (x1 - x0, y1 - y0);
        if h <= THIN && w > h {
            self.content.segments.push(Segment {
                horizontal: true,
                at: (y0 + y1) / 2.0,
                from: x0,
                to: x1,
            });
        } else if w <= THIN && h > w {
            self.content.segments.push(Segment {
                horizontal: false,
                at: (x0 + x1) / 2.0,
                from: y0,
                to: y1,
            });
        }
    }
}

impl<'a> Device<'a> for Collector {
    fn draw_path(&mut self, path: &BezPath, props: DrawProps<'a>, draw_mode: &DrawMode) {
        let elements = path.elements();
        if !self.spend(elements.len()) {
            return;
        }
        let t = props.transform;
        let stroke = matches!(draw_mode, DrawMode::Stroke(_) | DrawMode::FillAndStroke(..));
        let fill = matches!(draw_mode, DrawMode::Fill(_) | DrawMode::FillAndStroke(..));
        let mut start = Point::ZERO;
        let mut last = Point::ZERO;
        let mut sub: Vec<Point> = Vec::new();
        let mut straight = true;
        let flush = |this: &mut Self, sub: &mut Vec<Point>, straight: bool| {
            if fill && straight {
                this.thin_rect(sub);
            }
            sub.clear();
        };
        for el in elements {
            match *el {
                PathEl::MoveTo(p) => {
                    flush(self, &mut sub, straight);
                    straight = true;
                    start = t * p;
                    last = start;
                    sub.push(start);
                }
                PathEl::LineTo(p) => {
                    let p = t * p;
                    if stroke {
                        self.line(last, p);
                    }
                    if sub.last().is_none_or(|q| q.distance(p) > 0.001) {
                        sub.push(p);
                    }
                    last = p;
                }
                PathEl::ClosePath => {
                    if stroke && last.distance(start) > 0.001 {
                        self.line(last, start);
                    }
                    if sub.len() > 1 && sub.last().is_some_and(|q| q.distance(start) < 0.001) {
                        sub.pop();
                    }
                    last = start;
                }
                PathEl::QuadTo(_, p) | PathEl::CurveTo(_, _, p) => {
                    straight = false;
                    last = t * p;
                }
            }
        }
        flush(self, &mut sub, straight);
    }

    fn push_clip_path(&mut self, _: &ClipPath) {}

    fn push_transparency_group(&mut self, _: f32, _: Option<SoftMask<'a>>, _: BlendMode) {}

    fn draw_glyph_run(&mut self, run: &GlyphRun<'_, 'a>, props: DrawProps<'a>, _: &DrawMode) {
        let glyphs = run.glyphs();
        if !self.spend(glyphs.len()) {
            return;
        }
        for glyph in glyphs {
            let t = props.transform * glyph.transform();
            let origin = t * Point::ZERO;
            let top = t * Point::new(0.0, 1000.0);
            let size = origin.distance(top);
            let advance = match &**glyph {
                HayroGlyph::Outline(g) => g.advance_width(),
                HayroGlyph::Type3(g) => g.advance_width(),
            }
            .map(f64::from)
            .filter(|a| a.is_finite() && *a > 0.0)
            .unwrap_or(500.0);
            let end = t * Point::new(advance, 0.0);
            if !(origin.x.is_finite()
                && origin.y.is_finite()
                && end.x.is_finite()
                && size.is_finite())
            {
                continue;
            }
            let text = glyph.as_unicode().map(|u| match u {
                hayro_interpret::hayro_cmap::BfString::Char(c) => c.to_string(),
                hayro_interpret::hayro_cmap::BfString::String(s) => s,
            });
            self.content.glyphs.push(Glyph {
                text,
                code: glyph.char_code(),
                x0: origin.x.min(end.x),
                x1: origin.x.max(end.x),
                baseline: origin.y,
                size,
                mcid: self.mcids.last().copied().flatten(),
            });
        }
    }

    fn draw_image(&mut self, _: Image<'a, '_>, _: ImageDrawProps<'a>) {
        self.content.images += 1;
    }

    fn pop_clip(&mut self) {}

    fn pop_transparency_group(&mut self) {}

    fn begin_marked_content(&mut self, _tag: &[u8], properties: Option<&Dict<'_>>) {
        let own = properties.and_then(|p| p.get::<i32>(b"MCID".as_slice()).map(i64::from));
        let inherited = self.mcids.last().copied().flatten();
        if self.mcids.len() < 256 {
            self.mcids.push(own.or(inherited));
        }
    }

    fn end_marked_content(&mut self) {
        self.mcids.pop();
    }
}

/// The most structure elements walked (a real tagged form has a few thousand).
const MAX_ELEMENTS: usize = 200_000;
/// The deepest the structure tree is followed.
const MAX_TAG_DEPTH: usize = 64;

/// The walk over the structure tree.
struct TagWalk<'a> {
    roles: Dict<'a>,
    budget: usize,
    tables: Vec<TaggedTable>,
}

impl<'a> TagWalk<'a> {
    /// The standard type of an element: its `/S`, through the role map (a few steps).
    fn kind(&self, element: &Dict<'_>) -> Vec<u8> {
        let mut name = element
            .get::<Name<'_>>(b"S".as_slice())
            .map(|n| n.as_ref().to_vec())
            .unwrap_or_default();
        for _ in 0..8 {
            match self.roles.get::<Name<'_>>(name.as_slice()) {
                Some(mapped) if mapped.as_ref() != name.as_slice() => {
                    name = mapped.as_ref().to_vec()
                }
                _ => break,
            }
        }
        name
    }

    /// Walks the kids `k` of an element on page `pg`; marked content found goes to `cell`
    /// when one is being collected.
    fn kids(
        &mut self,
        k: &Object<'_>,
        pg: Option<u32>,
        depth: usize,
        cell: &mut Option<TaggedCell>,
    ) {
        if depth > MAX_TAG_DEPTH || self.budget == 0 {
            return;
        }
        match k {
            Object::Number(n) => {
                if let (Some(c), Some(pg)) = (cell.as_mut(), pg) {
                    c.content.push((pg, n.as_i64()));
                }
            }
            Object::Array(items) => {
                for item in items.iter::<Object<'_>>() {
                    self.kids(&item, pg, depth + 1, cell);
                }
            }
            Object::Dict(d) => self.element(d, pg, depth + 1, cell),
            _ => {}
        }
    }

    fn element(
        &mut self,
        d: &Dict<'_>,
        pg: Option<u32>,
        depth: usize,
        cell: &mut Option<TaggedCell>,
    ) {
        self.budget = self.budget.saturating_sub(1);
        let pg = d.get_ref(b"Pg".as_slice()).map(|r| r.obj_number).or(pg);
        let typ = d.get::<Name<'_>>(b"Type".as_slice());
        if typ.as_ref().is_some_and(|t| t.as_ref() == b"MCR") {
            if let (Some(c), Some(pg), Some(id)) =
                (cell.as_mut(), pg, d.get::<i32>(b"MCID".as_slice()))
            {
                c.content.push((pg, i64::from(id)));
            }
            return;
        }
        if typ.as_ref().is_some_and(|t| t.as_ref() == b"OBJR") {
            return;
        }
        let kind = self.kind(d);
        let k = d.get::<Object<'_>>(b"K".as_slice());
        if kind == b"Table" && cell.is_none() {
            let mut table = TaggedTable::default();
            if let Some(k) = &k {
                self.rows(k, pg, depth, &mut table);
            }
            if !table.rows.is_empty() {
                self.tables.push(table);
            }
            return;
        }
        if let Some(k) = &k {
            self.kids(k, pg, depth, cell);
        }
    }

    /// The rows of a table: `TR` elements, also inside `THead`/`TBody`/`TFoot`.
    fn rows(&mut self, k: &Object<'_>, pg: Option<u32>, depth: usize, table: &mut TaggedTable) {
        if depth > MAX_TAG_DEPTH || self.budget == 0 {
            return;
        }
        let elements: Vec<Dict<'_>> = match k {
            Object::Array(items) => items.iter::<Dict<'_>>().collect(),
            Object::Dict(d) => vec![d.clone()],
            _ => Vec::new(),
        };
        for e in elements {
            self.budget = self.budget.saturating_sub(1);
            let pg = e.get_ref(b"Pg".as_slice()).map(|r| r.obj_number).or(pg);
            let kind = self.kind(&e);
            let Some(k) = e.get::<Object<'_>>(b"K".as_slice()) else {
                continue;
            };
            match kind.as_slice() {
                b"TR" => {
                    let cells: Vec<Dict<'_>> = match &k {
                        Object::Array(items) => items.iter::<Dict<'_>>().collect(),
                        Object::Dict(d) => vec![d.clone()],
                        _ => Vec::new(),
                    };
                    let mut row = Vec::new();
                    for c in cells {
                        if !matches!(self.kind(&c).as_slice(), b"TD" | b"TH") {
                            continue;
                        }
                        let cpg = c.get_ref(b"Pg".as_slice()).map(|r| r.obj_number).or(pg);
                        let (rows, cols) = spans(&c);
                        let mut collected = Some(TaggedCell {
                            rows,
                            cols,
                            content: Vec::new(),
                        });
                        if let Some(ck) = c.get::<Object<'_>>(b"K".as_slice()) {
                            self.kids(&ck, cpg, depth + 1, &mut collected);
                        }
                        row.extend(collected);
                    }
                    table.rows.push(row);
                }
                b"THead" | b"TBody" | b"TFoot" => self.rows(&k, pg, depth + 1, table),
                _ => {}
            }
        }
    }
}

/// A cell's `RowSpan` and `ColSpan` attributes (in `/A`, a dictionary or an array of them).
fn spans(cell: &Dict<'_>) -> (usize, usize) {
    let mut rows = 1;
    let mut cols = 1;
    let mut read = |a: &Dict<'_>| {
        if let Some(r) = a.get::<i32>(b"RowSpan".as_slice()) {
            rows = usize::try_from(r).unwrap_or(1).max(1);
        }
        if let Some(c) = a.get::<i32>(b"ColSpan".as_slice()) {
            cols = usize::try_from(c).unwrap_or(1).max(1);
        }
    };
    match cell.get::<Object<'_>>(b"A".as_slice()) {
        Some(Object::Dict(a)) => read(&a),
        Some(Object::Array(items)) => {
            for a in items.iter::<Dict<'_>>() {
                read(&a);
            }
        }
        _ => {}
    }
    (rows, cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_chains_are_counted_to_just_past_the_cap() {
        use std::io::Write as _;
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&[b'x'; 10_000]).unwrap();
        let flate = z.finish().unwrap();
        assert_eq!(
            expanded_size(&[Filter::FlateDecode], &flate, 1 << 20),
            10_000
        );
        assert_eq!(expanded_size(&[Filter::FlateDecode], &flate, 100), 101);
        // The same behind ASCIIHex: decoded first, then counted.
        let hex: String = flate.iter().map(|b| format!("{b:02x}")).collect::<String>() + ">";
        assert_eq!(
            expanded_size(
                &[Filter::AsciiHexDecode, Filter::FlateDecode],
                hex.as_bytes(),
                1 << 20
            ),
            10_000
        );
        // RunLength: 0x81 repeats the next byte 128 times.
        assert_eq!(
            run_length(&[0x81, b'a', 0x01, b'b', b'c', 0x80], 1000).len(),
            130
        );
        assert_eq!(ascii85(b"87cURD]i,\"Ebo7~>"), b"Hello World");
        assert_eq!(ascii85(b"z~>"), [0, 0, 0, 0]);
    }
}
