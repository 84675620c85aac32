use super::text::{compose, starts_item};
use super::*;
use crate::interp::{Glyph, Segment};

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
