//! Findings per input, with what it takes to locate them: the text of the file and its span
//! index. Checking (`lib.rs`, `test`) produces these; `report/` renders them.
//!
//! Spans are resolved here, from a diagnostic's JSON Pointer (and target: key, value, or a
//! character range inside a string) through the document's span index to byte offsets and then
//! to 1-based line:column, with columns counted in Unicode characters.

use std::sync::Arc;

use crate::diagnostic::{Diagnostic, Place, Severity, Target};
use crate::model::FastMap;
use crate::source::{Document, LineIndex, LoadFailure, MachineRef, SpanIndex};

/// Byte ranges of node parts by pointer: what [`SourceText::settle`] keeps of a span index.
type Settled = FastMap<String, Vec<(Target, Option<(usize, usize)>)>>;

/// The text of a file and its span index, for locating findings.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: Arc<str>,
    pub spans: Option<SpanIndex>,
    /// Where the places of a file's findings are, found before its span index was dropped
    /// ([`SourceText::settle`]): pointer → (target, byte range) for each place named.
    settled: Settled,
    /// Built on first use: a clean file is never located.
    lines: std::sync::OnceLock<LineIndex>,
}

impl SourceText {
    pub fn new(text: impl Into<Arc<str>>, spans: Option<SpanIndex>) -> Self {
        SourceText {
            text: text.into(),
            spans,
            settled: FastMap::default(),
            lines: std::sync::OnceLock::new(),
        }
    }

    pub(crate) fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// Locates every place `diagnostics` name and indexes the lines of the text, then drops the
    /// span index: it holds a pointer
    /// string for every node of the file, several times the size of the text, and a run over
    /// many files keeps each file's report until the end.
    fn settle(&mut self, diagnostics: &[Diagnostic]) {
        if self.spans.is_none() {
            return;
        }
        let places = diagnostics.iter().flat_map(|d| {
            let labels = d.labels.iter().filter_map(|l| match &l.place {
                Place::Node(location) => Some(location),
                Place::Bytes(..) => None,
            });
            d.location.iter().chain(labels)
        });
        let mut settled = Settled::default();
        for place in places {
            let range = self.byte_range(&place.pointer, place.target);
            let targets = settled.entry(place.pointer.clone()).or_default();
            if !targets.iter().any(|(t, _)| *t == place.target) {
                targets.push((place.target, range));
            }
        }
        self.settled = settled;
        self.spans = None;
        // Now, on the thread that checked the file: every report format turns the places into
        // lines and columns, and the report is written on one thread.
        self.lines();
    }

    /// The byte range of a node part; a pointer with no node (a missing member) falls back to
    /// its nearest existing ancestor.
    fn byte_range(&self, pointer: &str, target: Target) -> Option<(usize, usize)> {
        let Some(spans) = &self.spans else {
            let targets = self.settled.get(pointer)?;
            return targets.iter().find(|(t, _)| *t == target).and_then(|(_, range)| *range);
        };
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
                .string_range(&self.text, p, start, end)
                .unwrap_or(span.value.clone()),
            // For a missing member, point at the parent's key when it has one: that is the
            // object the member is missing from, and underlining a whole object is noise.
            (_, false) => span.key.clone().unwrap_or(span.value.start..span.value.start + 1),
            _ => span.value.clone(),
        };
        Some((range.start, range.end))
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

    /// The report of a checked document. Only findings need locating: a clean file keeps
    /// neither its text nor a span index; a file with findings keeps its text and where each
    /// finding is (see [`SourceText::settle`]).
    pub fn checked(path: String, doc: Document, diagnostics: Vec<Diagnostic>) -> Self {
        let located = !diagnostics.is_empty();
        let (text, machines, spans) = doc.into_report_parts(located);
        let source = located.then(|| {
            let mut source = SourceText::new(text, spans);
            source.settle(&diagnostics);
            source
        });
        FileReport {
            path,
            machines,
            diagnostics,
            source,
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

    fn byte_range(&self, pointer: &str, target: Target) -> Option<(usize, usize)> {
        self.source.as_ref()?.byte_range(pointer, target)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Location;
    use crate::source::{load_bytes, Loaded, Origin};

    fn document(text: &str) -> Document {
        match load_bytes(Origin::Stdin, text.as_bytes().to_vec()) {
            Loaded::Document(doc) => *doc,
            Loaded::Failed(f) => panic!("{:?}", f.diagnostics),
        }
    }

    #[test]
    fn a_report_locates_its_findings_without_the_span_index() {
        let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"a\\u00e9$.x\"}\n  }\n}\n";
        let diagnostics = vec![
            Diagnostic::new("ASL104", "key").at_key("/States/A/Next"),
            Diagnostic::new("ASL104", "value").at_value("/States/A/Next"),
            Diagnostic::new("ASL104", "in string").at(Location::in_string("/States/A/Next", 2, 5)),
            Diagnostic::new("ASL104", "missing member").at_value("/States/A/End"),
            Diagnostic::new("ASL104", "nowhere").at_value("/Nothing/Here"),
            Diagnostic::new("ASL104", "label").with_label(Location::key("/StartAt"), "here"),
        ];
        let with_spans = FileReport {
            path: "m.json".to_string(),
            machines: Vec::new(),
            diagnostics: diagnostics.clone(),
            source: Some(SourceText::new(text, Some(document(text).spans().clone()))),
        };
        let settled = FileReport::checked("m.json".to_string(), document(text), diagnostics.clone());
        assert!(settled.source.as_ref().is_some_and(|s| s.spans.is_none()));
        for d in &diagnostics {
            assert_eq!(settled.resolve(d), with_spans.resolve(d), "{}", d.message);
            for l in &d.labels {
                assert_eq!(settled.resolve_place(&l.place), with_spans.resolve_place(&l.place));
            }
        }
        assert_eq!(
            settled
                .resolve(&diagnostics[2])
                .map(|r| (r.line, r.column, r.end_column)),
            Some((4, 43, 46))
        );
    }

    #[test]
    fn a_clean_report_keeps_no_text() {
        let report = FileReport::checked("m.json".to_string(), document("{\"StartAt\": \"A\"}"), Vec::new());
        assert!(report.source.is_none());
        assert_eq!(report.machines.len(), 1);
    }
}
