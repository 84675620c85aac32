//! Diagnostics: every repair, guess, skipped cell and failed rule, with where it happened.
//!
//! This small crate is the one vocabulary of findings shared by every stage: the readers
//! (`I3xx`), the recognizer (`R1xx`), the review (`C2xx`) and the writers (`L40x` standard form,
//! `X40x` XLSX, `P50x` PDF). It holds
//!
//! - [`Diagnostic`], [`Severity`] and [`Location`] (their serde form is part of the `jixiao/1`
//!   JSON contract, under `diagnostics`);
//! - [`Code`], the typed key of a finding (`Code::R101`), and [`registry`]: every code with its
//!   family, stage, severity, title, explanation and example — the one place `jixiao explain
//!   CODE` and `jixiao rules` read from, and the one place to add a code;
//! - [`Warned`]: what a reader or writer returns — its output and the diagnostics it produced.
//!
//! ```
//! use jixiao_diagnostics::{Code, Diagnostic, Location, Severity};
//! let d = Diagnostic::new(Code::R101, "该行单元格整体向左错位1列", Location::line(Some("a.md"), 51, 1));
//! assert_eq!(d.to_string(), "a.md:51: 警告[R101]: 该行单元格整体向左错位1列");
//! assert_eq!(d.severity, Severity::Warning);
//! assert!(d.code.is_recognize());
//! ```

pub mod registry;

pub use registry::Code;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

/// How serious a diagnostic is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Something the user may want to know (a sheet skipped, an amount converted).
    Info,
    /// A repair or a guess, or a likely mistake in the table.
    Warning,
    /// Something is wrong or could not be read.
    Error,
}

impl Severity {
    /// The word used in human-readable output (Chinese, the users' language).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "提示",
            Severity::Warning => "警告",
            Severity::Error => "错误",
        }
    }
}

/// Where something came from: a file, and a line (text inputs) or a sheet and cell (workbooks).
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Location {
    /// The input file as named by the user.
    // Shared, not copied: every location of one input names the same file ([`shared_name`]).
    pub file: Option<Arc<str>>,
    /// The worksheet, for workbook inputs.
    pub sheet: Option<String>,
    /// The cell in A1 notation, for workbook inputs.
    pub cell: Option<String>,
    /// The 1-based line, for text inputs.
    pub line: Option<u32>,
    /// The 1-based column (in characters) on that line, for text inputs.
    #[serde(default)]
    pub column: Option<u32>,
}

impl Location {
    /// A location in a text file.
    pub fn line(file: Option<&str>, line: u32, column: u32) -> Self {
        Location {
            file: file.map(shared_name),
            sheet: None,
            cell: None,
            line: Some(line),
            column: Some(column),
        }
    }

    /// A location in a workbook.
    pub fn cell(file: Option<&str>, sheet: &str, cell: &str) -> Self {
        Location {
            file: file.map(shared_name),
            sheet: Some(sheet.to_string()),
            cell: Some(cell.to_string()),
            line: None,
            column: None,
        }
    }

    /// A location naming only a file.
    pub fn file(file: &str) -> Self {
        Location {
            file: Some(shared_name(file)),
            ..Location::default()
        }
    }

    /// True when it says nothing.
    pub fn is_empty(&self) -> bool {
        *self == Location::default()
    }
}

/// The name of a file as a location holds it: the same allocation as the last name asked for
/// on this thread when it is the same name, so the locations of one input (a table of a
/// million rows has a million) share its name rather than each holding a copy.
pub fn shared_name(name: &str) -> Arc<str> {
    thread_local! {
        static LAST: RefCell<Option<Arc<str>>> = const { RefCell::new(None) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        match &*last {
            Some(known) if **known == *name => Arc::clone(known),
            _ => {
                let new: Arc<str> = Arc::from(name);
                *last = Some(Arc::clone(&new));
                new
            }
        }
    })
}

/// `heshuo.md:57` or `budget.xlsx:Sheet1!C7`, the form compilers use.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.to_string());
        }
        match (&self.sheet, &self.cell) {
            (Some(s), Some(c)) => parts.push(format!("{s}!{c}")),
            (Some(s), None) => parts.push(s.clone()),
            (None, Some(c)) => parts.push(c.clone()),
            (None, None) => {}
        }
        if let Some(line) = self.line {
            parts.push(line.to_string());
        }
        write!(f, "{}", parts.join(":"))
    }
}

/// A finding with a stable code: I3xx input, R1xx recognize, C2xx check, L40x/X40x/P50x writers.
///
/// Its severity is always its code's, as the [`registry`] gives it: [`Diagnostic::new`] takes
/// it from there. (The JSON Schema keeps the description `jixiao/1` was published with.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(
    description = "A finding with a stable code: I3xx input, R1xx recognize, C2xx check, L40x/X40x/P50x writers.\n\nEvery code is listed in the [`registry`] with its severity; building a diagnostic of a\nregistered code with another severity is a bug (a debug assertion, and the registry's\nsource scan test, catch it)."
)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The stable code, e.g. `R101`.
    #[schemars(with = "String")]
    pub code: Code,
    /// What happened, in Chinese, for the clerk who must act on it.
    pub message: String,
    /// Where it happened.
    pub location: Location,
}

impl Diagnostic {
    /// A new diagnostic, as serious as the registry says its code is.
    ///
    /// ```
    /// use jixiao_diagnostics::{Code, Diagnostic, Location, Severity};
    /// let d = Diagnostic::new(Code::C201, "合计不符", Location::default());
    /// assert_eq!(d.severity, Severity::Error);
    /// ```
    pub fn new(code: Code, message: impl Into<String>, location: Location) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            message: message.into(),
            location,
        }
    }
}

/// `heshuo.md:57: 警告[R102]: …`
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.location.is_empty() {
            write!(f, "{}: ", self.location)?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.label(),
            self.code,
            self.message
        )
    }
}

/// What a reader or writer returns: its output and the diagnostics produced on the way (the
/// shape typst uses). A caller that keeps only `output` has to say so.
///
/// ```
/// use jixiao_diagnostics::{Code, Diagnostic, Location, Warned};
/// let w = Warned::new(3).with(vec![Diagnostic::new(Code::I312, "…", Location::default())]);
/// let (n, diags) = w.into_parts();
/// assert_eq!((n, diags.len()), (3, 1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct Warned<T> {
    /// The result.
    pub output: T,
    /// What was repaired, guessed, skipped or lost while producing it.
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Warned<T> {
    /// An output without diagnostics.
    pub fn new(output: T) -> Self {
        Warned {
            output,
            diagnostics: Vec::new(),
        }
    }

    /// The same output with `diagnostics` appended.
    pub fn with(mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) -> Self {
        self.diagnostics.extend(diagnostics);
        self
    }

    /// The output and the diagnostics, apart.
    pub fn into_parts(self) -> (T, Vec<Diagnostic>) {
        (self.output, self.diagnostics)
    }

    /// Applies `f` to the output, keeping the diagnostics.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Warned<U> {
        Warned {
            output: f(self.output),
            diagnostics: self.diagnostics,
        }
    }
}

/// How many diagnostics of one code one file lists place by place, at most; the rest are
/// counted ([`bound_per_code`]). More than any stage lists itself (R108: 200 places and a
/// count), so only a file that makes the same finding over and over reaches it.
pub const MAX_PER_CODE: usize = 256;

/// Keeps the first `limit` diagnostics of each code, in their order, and puts in place of
/// the rest of a code one diagnostic of that code and severity that counts them and points at
/// the first place not listed. A file that repeats one oddity millions of times (empty nested
/// tables, a stray byte on every line) then answers with a bounded list: the first places and
/// a count, never millions of lines. Work and memory are linear in the number of diagnostics.
///
/// ```
/// use jixiao_diagnostics::{bound_per_code, Code, Diagnostic, Location};
/// let at = |line| Location::line(Some("a.md"), line, 1);
/// let many = (1..=5).map(|n| Diagnostic::new(Code::I304, "坏字节", at(n)));
/// let kept = bound_per_code(many.collect(), 2);
/// assert_eq!(kept.len(), 3);
/// assert_eq!(kept[2].location, at(3));
/// assert!(kept[2].message.contains("另有 3 处"));
/// ```
///
/// A message longer than [`MAX_MESSAGE_CHARS`] (one that quotes a cell or a project name
/// millions of characters long) is shortened in the middle, saying so.
pub fn bound_per_code(mut diagnostics: Vec<Diagnostic>, limit: usize) -> Vec<Diagnostic> {
    use std::collections::HashMap;
    for d in &mut diagnostics {
        shorten(&mut d.message);
    }
    let mut seen: HashMap<Code, usize> = HashMap::new();
    for d in &diagnostics {
        *seen.entry(d.code).or_default() += 1;
    }
    if seen.values().all(|&n| n <= limit) {
        return diagnostics;
    }
    let mut listed: HashMap<Code, usize> = HashMap::new();
    let mut kept = Vec::with_capacity(diagnostics.len().min(seen.len() * (limit + 1)));
    for d in diagnostics {
        let total = seen[&d.code];
        let n = listed.entry(d.code).or_default();
        *n += 1;
        if *n <= limit {
            kept.push(d);
        } else if *n == limit + 1 {
            let message = format!(
                "同类问题（{code}）共 {total} 处，前 {limit} 处已逐条列出，从此处起另有 {rest} 处未逐条列出（首条：{first}）",
                code = d.code,
                rest = total - limit,
                first = d.message.chars().take(200).collect::<String>(),
            );
            kept.push(Diagnostic::new(d.code, message, d.location));
        }
    }
    kept
}

/// The longest message a diagnostic keeps, in characters ([`bound_per_code`]).
pub const MAX_MESSAGE_CHARS: usize = 2000;

/// Shortens `message` past [`MAX_MESSAGE_CHARS`]: its beginning and its end are kept, with
/// the number of characters left out between them.
fn shorten(message: &mut String) {
    const HEAD: usize = MAX_MESSAGE_CHARS * 3 / 4;
    const TAIL: usize = MAX_MESSAGE_CHARS / 5;
    // Counting stops early: a long message costs no more than the limit to look at.
    if message.chars().nth(MAX_MESSAGE_CHARS).is_none() {
        return;
    }
    let total = message.chars().count();
    let head_end = message.char_indices().nth(HEAD).map_or(0, |(i, _)| i);
    let tail_start = message
        .char_indices()
        .nth(total - TAIL)
        .map_or(message.len(), |(i, _)| i);
    *message = format!(
        "{}……（此处省略 {} 字）……{}",
        &message[..head_end],
        total - HEAD - TAIL,
        &message[tail_start..]
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The locations of one file share its name: one allocation, however many rows; another
    /// file gets its own, and a location reads and compares as before.
    #[test]
    fn locations_of_one_file_share_its_name() {
        let path = "2024年申报/民政局/城乡低保项目支出绩效目标表.txt";
        let places: Vec<Location> = (1..=1_000)
            .map(|n| Location::line(Some(path), n, 1))
            .collect();
        let first = places[0].file.as_ref().unwrap();
        assert!(
            places
                .iter()
                .all(|l| Arc::ptr_eq(l.file.as_ref().unwrap(), first))
        );
        let cell = Location::cell(Some(path), "Sheet1", "C7");
        assert!(Arc::ptr_eq(cell.file.as_ref().unwrap(), first));
        let other = Location::line(Some("b.md"), 1, 1);
        assert_eq!(other.file.as_deref(), Some("b.md"));
        assert_eq!(places[4].to_string(), format!("{path}:5"));
        assert_eq!(places[0], Location::line(Some(path), 1, 1));
        let json = serde_json::to_string(&places[0]).unwrap();
        assert_eq!(serde_json::from_str::<Location>(&json).unwrap(), places[0]);
    }

    #[test]
    fn long_messages_are_shortened_in_the_middle() {
        let name = "项".repeat(1_000_000);
        let d = Diagnostic::new(
            Code::C212,
            format!("项目“{name}”：金额不符"),
            Location::default(),
        );
        let kept = bound_per_code(vec![d], MAX_PER_CODE);
        let message = &kept[0].message;
        assert!(message.chars().count() < MAX_MESSAGE_CHARS + 40);
        assert!(message.starts_with("项目“项项"));
        assert!(message.ends_with("项”：金额不符"));
        assert!(message.contains("省略"));
        let short = Diagnostic::new(Code::C212, "金额不符", Location::default());
        assert_eq!(bound_per_code(vec![short.clone()], 1)[0], short);
    }
}
