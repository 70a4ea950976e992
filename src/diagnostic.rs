//! Findings as plain data.
//!
//! A [`Diagnostic`] says *what* (code, severity, message), *where* (a JSON Pointer into the
//! document the user wrote, plus which part of that node: its key, its value, or a character range
//! inside a string value), *why* (`note`) and *how to fix it* (`help`). It never carries line
//! numbers: `report/` resolves pointers to line:column through the document's span index, so the
//! same rule works for a bare ASL file and for a definition nested in a template.

use serde::Serialize;

/// How serious a finding is. Ordered from least to most severe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which part of the node at a pointer a diagnostic (or label) points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Target {
    /// The whole value (the default).
    #[default]
    Value,
    /// The member's key (`"Nxt"` in `"Nxt": "A"`); falls back to the value for array elements.
    Key,
    /// Characters `start..end` (counted in Unicode scalar values of the *decoded* string) inside
    /// a string value, e.g. the place where a JSONPath failed to parse.
    InString { start: usize, end: usize },
}

/// A location in the document: a JSON Pointer from the root of the *file* and the part of that node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// RFC 6901 pointer from the root of the file (`""` is the root).
    pub pointer: String,
    pub target: Target,
}

impl Location {
    pub fn value(pointer: impl Into<String>) -> Self {
        Location {
            pointer: pointer.into(),
            target: Target::Value,
        }
    }
    pub fn key(pointer: impl Into<String>) -> Self {
        Location {
            pointer: pointer.into(),
            target: Target::Key,
        }
    }
    pub fn in_string(pointer: impl Into<String>, start: usize, end: usize) -> Self {
        Location {
            pointer: pointer.into(),
            target: Target::InString { start, end },
        }
    }
}

/// Where a secondary label points: a node, or raw bytes for places that have no pointer of their
/// own (the first of two duplicate keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Node(Location),
    Bytes(usize, usize),
}

/// A secondary place related to a finding ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub place: Place,
    pub message: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `ASL104`.
    pub code: &'static str,
    pub severity: Severity,
    /// One line saying what is wrong.
    pub message: String,
    /// Where; `None` only for findings about the file as a whole that have no node (parse errors
    /// carry a raw byte offset instead, see `offset`).
    pub location: Option<Location>,
    /// Byte range in the file for findings that exist before there is a tree (syntax errors).
    pub offset: Option<(usize, usize)>,
    /// Text of the primary label (shown under the underline); defaults to the message.
    pub label: Option<String>,
    pub labels: Vec<Label>,
    /// How to fix it ("did you mean \"Ship\"?").
    pub help: Option<String>,
    /// Why it matters, or background.
    pub note: Option<String>,
    /// The code AWS's ValidateStateMachineDefinition would give for the same problem.
    pub aws_code: Option<&'static str>,
}

impl Diagnostic {
    /// A new error-severity diagnostic; rules normally go through `check::Context::report`, which
    /// stamps the configured severity.
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            location: None,
            offset: None,
            label: None,
            labels: Vec::new(),
            help: None,
            note: None,
            aws_code: None,
        }
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }
    pub fn at_value(self, pointer: impl Into<String>) -> Self {
        self.at(Location::value(pointer))
    }
    pub fn at_key(self, pointer: impl Into<String>) -> Self {
        self.at(Location::key(pointer))
    }
    pub fn at_offset(mut self, start: usize, end: usize) -> Self {
        self.offset = Some((start, end));
        self
    }
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
    pub fn label(mut self, text: impl Into<String>) -> Self {
        self.label = Some(text.into());
        self
    }
    pub fn with_label(mut self, location: Location, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            place: Place::Node(location),
            message: message.into(),
        });
        self
    }
    pub fn with_byte_label(mut self, start: usize, end: usize, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            place: Place::Bytes(start, end),
            message: message.into(),
        });
        self
    }
    pub fn help(mut self, text: impl Into<String>) -> Self {
        self.help = Some(text.into());
        self
    }
    pub fn maybe_help(mut self, text: Option<String>) -> Self {
        if text.is_some() {
            self.help = text;
        }
        self
    }
    pub fn note(mut self, text: impl Into<String>) -> Self {
        self.note = Some(text.into());
        self
    }

    pub fn maybe_note(self, text: Option<String>) -> Self {
        match text {
            Some(t) => self.note(t),
            None => self,
        }
    }
    pub fn aws_code(mut self, code: &'static str) -> Self {
        self.aws_code = Some(code);
        self
    }

    /// The pointer, if the diagnostic has a node.
    pub fn pointer(&self) -> Option<&str> {
        self.location.as_ref().map(|l| l.pointer.as_str())
    }
}
