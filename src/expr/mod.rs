//! The expression languages of Amazon States Language, parsed once for everyone.
//!
//! Step Functions strings are often small programs: a JSONPath (`$.order.items[0]`), a Reference
//! Path (the restricted kind `ResultPath` takes), an intrinsic function call
//! (`States.Format('Hello {}', $.name)`) or a JSONata template (`{% $states.input.x %}`). This
//! module turns those strings into ASTs designed for evaluation; the validator (`check`) only
//! asks whether they parse and what they contain, the simulator evaluates the same trees, so
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
//!   codes, and its evaluator (the `aslkit-jsonata` crate).
//! - [`jsonata_string`]: recognising `{% … %}` JSONata templates in strings.
//! - [`jsonata_refs`]: what a parsed JSONata expression reads (variables, the top-level context).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

pub use aslkit_base::codec;
pub mod intrinsics;
pub use aslkit_jsonata as jsonata;
pub mod jsonata_refs;
pub mod jsonata_string;
pub mod jsonpath;
pub mod payload;
pub mod reference_path;

pub use aslkit_base::Span;
pub(crate) use aslkit_base::{show_char, Chars};

/// Texts parsed once per thread: a simulation evaluates the same fields at every state it
/// enters, and parsing them again was most of a long loop's work. Starts over when it holds
/// `limit` texts, a bound on what a process that runs many definitions keeps.
pub struct ParseCache<T> {
    parsed: RefCell<HashMap<String, Rc<T>, foldhash::fast::RandomState>>,
    limit: usize,
}

impl<T> ParseCache<T> {
    pub fn new(limit: usize) -> ParseCache<T> {
        ParseCache {
            parsed: RefCell::default(),
            limit,
        }
    }

    /// The parse of `text`, from the cache or by `parse` (an error is not cached).
    pub fn get_or_parse<E>(&self, text: &str, parse: impl FnOnce(&str) -> Result<T, E>) -> Result<Rc<T>, E> {
        if let Some(hit) = self.parsed.borrow().get(text) {
            return Ok(Rc::clone(hit));
        }
        let parsed = Rc::new(parse(text)?);
        let mut cache = self.parsed.borrow_mut();
        if cache.len() >= self.limit {
            cache.clear();
        }
        cache.insert(text.to_string(), Rc::clone(&parsed));
        Ok(parsed)
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

/// The JSON type name AWS uses in messages ("Expected 'array', but was 'object'").
pub fn type_name(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod parse_cache_tests {
    use super::*;

    #[test]
    fn parses_each_text_once_forgets_errors_and_starts_over_at_its_limit() {
        let cache = ParseCache::new(2);
        let calls = std::cell::Cell::new(0);
        let parse = |text: &str| {
            calls.set(calls.get() + 1);
            text.parse::<u32>()
        };
        let first = cache.get_or_parse("1", parse).ok();
        let again = cache.get_or_parse("1", parse).ok();
        assert!(matches!((&first, &again), (Some(a), Some(b)) if Rc::ptr_eq(a, b)));
        assert_eq!(calls.get(), 1);
        assert!(cache.get_or_parse("x", parse).is_err());
        assert!(cache.get_or_parse("x", parse).is_err());
        assert_eq!(calls.get(), 3, "an error is parsed again, not cached");
        assert_eq!(cache.get_or_parse("2", parse).ok().as_deref(), Some(&2));
        // Two texts held: a third starts the cache over, so "1" is parsed again.
        assert_eq!(cache.get_or_parse("3", parse).ok().as_deref(), Some(&3));
        assert_eq!(cache.get_or_parse("1", parse).ok().as_deref(), Some(&1));
        assert_eq!(calls.get(), 6);
    }
}
