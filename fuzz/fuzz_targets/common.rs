//! What every reader target does after reading: recognize, review, lay out. A panic anywhere
//! (an overflow on an input number, an index out of range) is a finding.

#![allow(dead_code)] // each target uses part of it

use jixiao_grid::Grid;
use jixiao_model::Document;

/// Recognizes the grids, reviews the document and lays out every table.
pub fn after_read(grids: &[Grid]) {
    let doc = jixiao_recognize::recognize(grids, &jixiao_recognize::Options::default());
    review_and_lay_out(&doc);
}

/// Reviews the document and lays out every table with the standard template.
pub fn review_and_lay_out(doc: &Document) {
    let _ = jixiao_check::check(doc, &jixiao_check::CheckOptions::default());
    let template = jixiao_layout::Template::standard();
    for p in &doc.projects {
        let _ = jixiao_layout::project(p, template);
    }
    let _ = jixiao_layout::summary(doc, template);
    let _ = jixiao_layout::omitted(doc);
}
