//! Tables without borders: runs of lines whose fragments line up in columns.

use super::{Block, Line, Slot, Source, Table};

/// The fewest consecutive lines of two fragments or more that make a table without borders.
const MIN_UNRULED_ROWS: usize = 3;

/// Tables without borders: a run of at least [`MIN_UNRULED_ROWS`] consecutive lines, each of
/// two fragments or more (split at gaps wider than 1.5 em). Its columns are the bands where the
/// fragments of the run overlap horizontally — left-, right- and centre-aligned columns alike;
/// each fragment goes to its band, two fragments of one line in one band (a fragment wider than
/// its column joined the bands) are one cell separated by two spaces. A run whose fragments
/// make a single band is left as lines.
pub(super) fn unruled(blocks: Vec<Block>) -> Vec<Block> {
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
