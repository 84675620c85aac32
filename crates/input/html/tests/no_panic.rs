//! Arbitrary HTML-ish input never panics, and every span the reader reports stays inside the
//! grid with every slot it covers marked as covered.

use jixiao_grid::{Covered, Pos, RowKind};
use proptest::prelude::*;

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<table>".to_string()),
        Just("</table>".to_string()),
        Just("<tr>".to_string()),
        Just("</tr>".to_string()),
        Just("<tbody>".to_string()),
        Just("<thead>".to_string()),
        Just("</td>".to_string()),
        Just("<br>".to_string()),
        Just("<p>".to_string()),
        Just("</p>".to_string()),
        Just("<caption>".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("<script>".to_string()),
        Just("&nbsp;".to_string()),
        Just("&ge;".to_string()),
        Just("\n".to_string()),
        Just("<".to_string()),
        Just(">".to_string()),
        Just("\"".to_string()),
        "[甲乙 a1=]{1,4}",
        (
            "(td|th|TD)",
            "(rowspan|colspan)",
            "(0|1|2|3|7|100000|99999999999999999999|abc|-1| 2 |)"
        )
            .prop_map(|(t, a, v)| format!("<{t} {a}=\"{v}\">")),
        ("(rowspan|colspan)", "[0-9]{1,3}").prop_map(|(a, v)| format!("<td {a}={v}>")),
        "<[a-z]{1,6}>",
        "\\PC{0,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn reader_never_panics_and_spans_stay_in_bounds(tokens in prop::collection::vec(token(), 0..60)) {
        let html = tokens.concat();
        let page = jixiao_html::read(&html, &jixiao_html::Options::default());
        let rows = &page.grid.rows;
        let lines = html.split('\n').count() as u32;
        let mut covered_by_spans = 0usize;
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.cells.iter().enumerate() {
                let Pos::Line { line, column } = cell.pos else { panic!("HTML gives line positions") };
                prop_assert!(line >= 1 && line <= lines && column >= 1);
                if row.kind == RowKind::Text {
                    prop_assert_eq!(row.cells.len(), 1);
                }
                if cell.covered.is_some() {
                    prop_assert_eq!((cell.row_span, cell.col_span), (1, 1));
                    continue;
                }
                prop_assert!(cell.row_span >= 1 && cell.col_span >= 1);
                for dr in 0..cell.row_span as usize {
                    for dc in 0..cell.col_span as usize {
                        if (dr, dc) == (0, 0) {
                            continue;
                        }
                        let slot = rows.get(r + dr).and_then(|row| row.cells.get(c + dc));
                        prop_assert!(slot.is_some(), "span of ({}, {}) leaves the grid in {:?}", r, c, html);
                        let slot = slot.unwrap();
                        let want = if dr == 0 { Covered::Left } else { Covered::Above };
                        prop_assert_eq!(slot.covered, Some(want));
                        prop_assert_eq!(slot.pos, cell.pos);
                        prop_assert_eq!(rows[r + dr].kind, RowKind::Table);
                        covered_by_spans += 1;
                    }
                }
            }
        }
        let covered: usize = rows.iter().flat_map(|r| &r.cells).filter(|c| c.covered.is_some()).count();
        prop_assert_eq!(covered, covered_by_spans, "every covered slot belongs to exactly one span");
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = jixiao_html::looks_like_html(&bytes);
        let _ = jixiao_html::declared_charset(&bytes);
        if let Ok(jixiao_html::Warned { output: decoded, .. }) = jixiao_html::decode(&bytes, None) {
            let _ = jixiao_html::read(&decoded.text, &jixiao_html::Options::default());
        }
    }
}
