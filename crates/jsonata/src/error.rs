//! Why a JSONata expression was rejected, with jsonata-js's error code.

use aslkit_base::Span;

/// Code of the error returned when an expression nests deeper than the parser allows.
///
/// Not a syntax error: jsonata-js would parse such an expression, so the validator must not
/// report it. The code is JSONata's "stack overflow" code.
pub const TOO_DEEP: &str = "U1001";

/// A JSONata expression that does not parse.
///
/// `code` is the code jsonata-js 2.0.6 gives the same failure (`S0201`, `S0203`, …), so users can
/// look it up and the evaluator can report it as Step Functions does. `span` (and its start,
/// `position`) counts characters from the start of the expression; `token` is the offending token
/// as jsonata-js names it, when there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({code})")]
pub struct JsonataError {
    pub code: &'static str,
    pub message: String,
    pub position: usize,
    pub span: Span,
    pub token: Option<String>,
}

impl JsonataError {
    pub(crate) fn new(code: &'static str, span: Span, message: impl Into<String>) -> JsonataError {
        JsonataError {
            code,
            message: message.into(),
            position: span.start,
            span,
            token: None,
        }
    }

    pub(crate) fn with_token(mut self, token: impl Into<String>) -> JsonataError {
        self.token = Some(token.into());
        self
    }

    /// Whether this is a syntax error jsonata-js reports too (every code but [`TOO_DEEP`]).
    pub fn is_syntax_error(&self) -> bool {
        self.code.starts_with('S')
    }
}

/// A [`JsonataError`] with `code` at `span`: the shorthand every stage of evaluation uses.
pub(crate) fn err(code: &'static str, span: Span, message: impl Into<String>) -> JsonataError {
    JsonataError::new(code, span, message)
}
