//! Cells separated by lone `|` lines ([`Shape::BarSeparated`](jixiao_grid::Shape::BarSeparated)).

use super::{Reader, is_furniture};
use jixiao_grid::Pos;

impl Reader<'_> {
    /// Cells separated by lone `|` lines: every run of lines between two bars is one cell
    /// (two bars in a row: an empty cell); before the first bar each line is a cell of its
    /// own (the title lines). A stream: one cell per row, rebuilt by the recognizer.
    pub(super) fn bar_separated(&mut self) {
        let mut pending: Option<(String, Pos)> = None;
        let mut seen_bar = false;
        let mut last_bar: Option<usize> = None;
        let mut i = 0;
        while i < self.lines.len() {
            let t = self.lines[i].trim();
            if t == "|" {
                match pending.take() {
                    Some((text, pos)) => self.stream_cell(&text, pos),
                    None if seen_bar => {
                        let at = last_bar.map_or(i, |b| b + 1);
                        self.stream_cell("", self.pos(at.min(i), 1));
                    }
                    None => {}
                }
                seen_bar = true;
                last_bar = Some(i);
                i += 1;
                continue;
            }
            if !seen_bar || t.is_empty() || is_furniture(t) || self.lines[i].contains('\t') {
                if let Some((text, pos)) = pending.take() {
                    self.stream_cell(&text, pos);
                }
                match self.common(i) {
                    Some(next) => i = next,
                    None => {
                        self.stream_cell(t, self.pos(i, 1));
                        i += 1;
                    }
                }
                continue;
            }
            let column = self.lines[i]
                .chars()
                .take_while(|c| c.is_whitespace())
                .count() as u32
                + 1;
            let entry = pending.get_or_insert_with(|| (String::new(), self.pos(i, column)));
            if !entry.0.is_empty() {
                entry.0.push('\n');
            }
            entry.0.push_str(t);
            i += 1;
        }
        if let Some((text, pos)) = pending.take() {
            self.stream_cell(&text, pos);
        }
    }
}
