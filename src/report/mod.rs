//! Presenting findings. Detection knows nothing about this module; this module knows nothing
//! about how findings were made. One file per output format, each a function from a
//! [`Report`] to text.
//!
//! Spans are resolved here, from a diagnostic's JSON Pointer (and target: key, value, or a
//! character range inside a string) through the document's span index to byte offsets and then
//! to 1-based line:column, with columns counted in Unicode characters.

pub mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod simulation;
pub mod test_results;

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Place, Severity, Target};
use crate::source::{Document, LineIndex, LoadFailure, MachineRef, SpanIndex};

/// Output formats for `validate` (and later `lint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Rich, rustc-style reports with source excerpts
    #[default]
    Human,
    /// The JSON report described in the README (version 1)
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
}

/// The text of a file and its span index, for locating findings.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: Arc<str>,
    pub spans: Option<SpanIndex>,
    /// Built on first use: a clean file is never located.
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceText {
    pub fn new(text: impl Into<Arc<str>>, spans: Option<SpanIndex>) -> Self {
        SourceText {
            text: text.into(),
            spans,
            lines: std::sync::OnceLock::new(),
        }
    }

    fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// Everything reported about one input.
#[derive(Debug, Clone)]
pub struct FileReport {
    /// The path as the user gave it (or `<stdin>`).
    pub path: String,
    pub machines: Vec<MachineRef>,
    pub diagnostics: Vec<Diagnostic>,
    pub source: Option<SourceText>,
}

/// A whole run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
}

/// A location resolved to bytes and to 1-based lines and columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl FileReport {
    /// The report of an input that could not be loaded: its load diagnostics, and its text when
    /// there is any to point into.
    pub fn failed(path: String, failure: LoadFailure) -> Self {
        FileReport {
            path,
            machines: Vec::new(),
            diagnostics: failure.diagnostics,
            source: failure.text.map(|t| SourceText::new(t, None)),
        }
    }

    /// The report of a checked document. Only findings need locating: a clean file never builds
    /// its span index.
    pub fn checked(path: String, doc: Document, diagnostics: Vec<Diagnostic>) -> Self {
        let machines = doc.machines.clone();
        let (text, spans) = doc.into_text_and_spans(!diagnostics.is_empty());
        FileReport {
            path,
            machines,
            diagnostics,
            source: Some(SourceText::new(text, spans)),
        }
    }

    /// Where the diagnostic's primary location is in the text, if it can be located.
    pub fn resolve(&self, d: &Diagnostic) -> Option<Resolved> {
        let source = self.source.as_ref()?;
        let (start, end) = match (&d.location, d.offset) {
            (Some(location), offset) => match self.byte_range(&location.pointer, location.target) {
                Some(range) => range,
                None => offset?,
            },
            (None, Some(offset)) => offset,
            (None, None) => return None,
        };
        Some(self.to_lines(source, start, end))
    }

    /// Resolves a secondary label's place.
    pub fn resolve_place(&self, place: &Place) -> Option<Resolved> {
        let source = self.source.as_ref()?;
        let (start, end) = match place {
            Place::Node(l) => self.byte_range(&l.pointer, l.target)?,
            Place::Bytes(s, e) => (*s, *e),
        };
        Some(self.to_lines(source, start, end))
    }

    fn to_lines(&self, source: &SourceText, start: usize, end: usize) -> Resolved {
        let (line, column) = source.lines().line_col(&source.text, start);
        let (end_line, end_column) = source.lines().line_col(&source.text, end);
        Resolved {
            start,
            end,
            line,
            column,
            end_line,
            end_column,
        }
    }

    /// The byte range of a node part; a pointer with no node (a missing member) falls back to
    /// its nearest existing ancestor.
    fn byte_range(&self, pointer: &str, target: Target) -> Option<(usize, usize)> {
        let source = self.source.as_ref()?;
        let spans = source.spans.as_ref()?;
        let mut p = pointer;
        let mut exact = true;
        let span = loop {
            if let Some(span) = spans.get(p) {
                break span;
            }
            exact = false;
            match p.rfind('/') {
                Some(i) => p = &p[..i],
                None => return None,
            }
        };
        let range = match (target, exact) {
            (Target::Key, true) => span.key.clone().unwrap_or(span.value.clone()),
            (Target::InString { start, end }, true) => spans
                .string_range(&source.text, p, start, end)
                .unwrap_or(span.value.clone()),
            // For a missing member, point at the parent's key when it has one: that is the
            // object the member is missing from, and underlining a whole object is noise.
            (_, false) => span.key.clone().unwrap_or(span.value.start..span.value.start + 1),
            _ => span.value.clone(),
        };
        Some((range.start, range.end))
    }
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .filter(|d| d.severity == severity)
            .count()
    }

    /// True when any file could not be read or parsed, or aslkit failed on it (exit code 2).
    pub fn has_load_failure(&self) -> bool {
        self.files.iter().flat_map(|f| &f.diagnostics).any(|d| {
            matches!(
                d.code,
                crate::source::codes::IO_ERROR
                    | crate::source::codes::SYNTAX_ERROR
                    | crate::source::codes::INTERNAL_ERROR
            )
        })
    }
}

/// Renders a report in the chosen format.
pub fn render(report: &Report, format: Format, options: &human::Options) -> String {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
    }
}
