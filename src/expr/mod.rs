//! The expression languages of Amazon States Language, parsed once for everyone.
//!
//! Step Functions strings are often small programs: a JSONPath (`$.order.items[0]`), a Reference
//! Path (the restricted kind `ResultPath` takes), an intrinsic function call
//! (`States.Format('Hello {}', $.name)`) or a JSONata template (`{% $states.input.x %}`). This
//! module turns those strings into ASTs designed for evaluation; the validator (`check`) only
//! asks whether they parse and what they contain, the simulator will evaluate the same trees, so
//! the two can never disagree about what an expression means.
//!
//! Each grammar is staged like jaq's: a lexer turns the string into tokens with spans, a parser
//! turns tokens into an AST, and nothing reaches back. Every failure is a [`SyntaxError`] whose
//! span counts Unicode scalar values of the *decoded* string, which is what
//! `diagnostic::Location::in_string` expects.
//!
//! Evaluation is pure: values in, values (or errors as data) out, no I/O and no clock. The
//! JSONPath side is [`jsonpath::evaluate`] (reading, with Jayway's semantics),
//! [`reference_path::set`] (what `ResultPath` writes), [`intrinsics::evaluate`] (randomness comes
//! through an [`intrinsics::Entropy`] the caller supplies) and [`payload::evaluate_template`]
//! (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`).
//!
//! - [`jsonpath`]: the JSONPath dialect of Step Functions (Jayway-compatible), with `$$` for the
//!   context object and `$name` for workflow variables.
//! - [`reference_path`]: the restriction of JSONPath that names exactly one node.
//! - [`intrinsics`]: `States.*` calls, with the table of the 18 functions.
//! - [`payload`]: what the value of a `….$` key is — a path or an intrinsic call.
//! - [`jsonata`]: the JSONata 2.0.6 parser (lex → parse → post-parse), with jsonata-js error
//!   codes; the evaluator will walk its AST.
//! - [`jsonata_string`]: recognising `{% … %}` JSONata templates in strings.

pub mod codec;
pub mod intrinsics;
pub mod jsonata;
pub mod jsonata_string;
pub mod jsonpath;
pub mod payload;
pub mod reference_path;

use std::fmt;

/// A range of characters (Unicode scalar values) in an expression string, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The empty span at `at`, used for "expected … here" at the end of the input.
    pub fn point(at: usize) -> Span {
        Span { start: at, end: at }
    }

    /// This span moved right by `by` characters: for a sub-expression parsed on its own, such
    /// as a path argument inside an intrinsic call.
    pub fn shift(self, by: usize) -> Span {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// Why an expression string could not be parsed, and where.
///
/// `span` points at the offending characters (or is empty at the place something was expected);
/// `message` says what was expected, e.g. ``expected a property name after `.` ``.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
#[error("{message}")]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
}

impl SyntaxError {
    pub fn new(span: Span, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            span,
            message: message.into(),
        }
    }

    /// The same error for a sub-expression that starts `by` characters into a larger string.
    pub fn shift(self, by: usize) -> SyntaxError {
        SyntaxError {
            span: self.span.shift(by),
            message: self.message,
        }
    }
}

/// A string as a sequence of characters, so that positions are character offsets, never bytes.
pub(crate) struct Chars {
    chars: Vec<char>,
}

impl Chars {
    pub(crate) fn new(s: &str) -> Chars {
        Chars {
            chars: s.chars().collect(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    pub(crate) fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    pub(crate) fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start.min(self.len())..end.min(self.len())].iter().collect()
    }
}

/// How a character is shown in a message: `` `x` ``, or a name for invisible ones.
pub(crate) fn show_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}
