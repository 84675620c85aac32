//! The progress of a batch: a bar on a terminal, a line every few seconds in a log.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A progress bar (for a terminal).
    Bar,
    /// A plain line every few seconds (for logs).
    Lines,
    /// Nothing.
    Quiet,
}

/// Progress on a terminal (a bar) or in a log (a line every few seconds).
pub(super) struct ProgressShow {
    bar: Option<indicatif::ProgressBar>,
    lines: bool,
    total: u64,
    done: AtomicUsize,
    last: Mutex<Instant>,
}

impl ProgressShow {
    pub(super) fn new(mode: Progress, total: u64) -> Self {
        let bar = (mode == Progress::Bar).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} 个文件 {elapsed_precise} 剩余约 {eta}",
            ) {
                bar.set_style(style);
            }
            bar
        });
        ProgressShow {
            bar,
            lines: mode == Progress::Lines,
            total,
            done: AtomicUsize::new(0),
            last: Mutex::new(Instant::now()),
        }
    }

    pub(super) fn advance(&self, n: usize) {
        if n == 0 {
            return;
        }
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(bar) = &self.bar {
            bar.inc(n as u64);
        }
        if self.lines
            && let Ok(mut last) = self.last.lock()
            && last.elapsed() >= Duration::from_secs(2)
        {
            *last = Instant::now();
            eprintln!("已处理 {done}/{} 个文件", self.total);
        }
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        if self.lines {
            eprintln!(
                "已处理 {}/{} 个文件",
                self.done.load(Ordering::Relaxed),
                self.total
            );
        }
    }
}
