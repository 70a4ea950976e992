//! The values of `….$` keys: a path or an intrinsic function call.
//!
//! In a JSONPath payload template (`Parameters`, `ResultSelector`, `ItemSelector`, `Assign`, …)
//! a key ending in `.$` says "evaluate my value": the value must be a path (`$.a`, `$$.Task.Token`,
//! `$myVar`) or an intrinsic call (`States.Format(…)`). [`parse_payload_value`] decides which
//! from the first character and parses accordingly, so an error always speaks the grammar the
//! author was writing.

use super::intrinsics::{self, Call};
use super::jsonpath::{self, Path};
use super::{Span, SyntaxError};

/// A parsed `….$` value.
#[derive(Debug, Clone, PartialEq)]
pub enum PayloadExpr {
    Path(Path),
    Intrinsic(Call),
}

/// Parses the value of a `….$` key.
pub fn parse_payload_value(s: &str) -> Result<PayloadExpr, SyntaxError> {
    match s.chars().next() {
        Some('$') => jsonpath::parse(s).map(PayloadExpr::Path),
        Some(c) if c.is_whitespace() => Err(SyntaxError::new(
            Span::new(0, 1),
            "unexpected whitespace before the expression",
        )),
        Some(c) if (c.is_alphabetic() || c == '_') && looks_like_call(s) => {
            intrinsics::parse(s).map(PayloadExpr::Intrinsic)
        }
        _ => Err(SyntaxError::new(
            Span::new(0, s.chars().count()),
            "expected a path (`$.field`, `$$.Execution.Id`, `$variable`) or an intrinsic function \
             call (`States.Format(…)`)",
        )),
    }
}

/// Whether `s` reads as an attempt at a call: `Name(`, `States.…`.
fn looks_like_call(s: &str) -> bool {
    if s.starts_with("States.") {
        return true;
    }
    let name_end = s
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(s.len());
    s[name_end..].trim_start().starts_with('(')
}

/// Whether a plain string looks like it was meant to be evaluated: a well-formed path from `$`
/// or `$$`, or a well-formed `States.` call. Variables (`$name`) do not count: a literal such as
/// `"$USD"` is common and legitimate.
pub fn looks_like_expression(s: &str) -> bool {
    let path_like = s == "$" || s.starts_with("$.") || s.starts_with("$[") || s.starts_with("$$");
    (path_like && jsonpath::parse(s).is_ok()) || (s.starts_with("States.") && intrinsics::parse(s).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_first_character() {
        assert!(matches!(parse_payload_value("$.a"), Ok(PayloadExpr::Path(_))));
        assert!(matches!(parse_payload_value("$$"), Ok(PayloadExpr::Path(_))));
        assert!(matches!(parse_payload_value("$v.a"), Ok(PayloadExpr::Path(_))));
        assert!(matches!(
            parse_payload_value("States.UUID()"),
            Ok(PayloadExpr::Intrinsic(_))
        ));
        // Unknown names parse; `intrinsics::check` reports them.
        assert!(matches!(
            parse_payload_value("States.Xyz($.a)"),
            Ok(PayloadExpr::Intrinsic(_)),
        ));
        assert!(matches!(
            parse_payload_value("JsonToString($)"),
            Ok(PayloadExpr::Intrinsic(_)),
        ));
    }

    #[test]
    fn errors() {
        let span = |s: &str| parse_payload_value(s).unwrap_err().span;
        assert_eq!(span(""), Span::point(0));
        assert_eq!(span("ipsum"), Span::new(0, 5));
        assert_eq!(span("23"), Span::new(0, 2));
        assert_eq!(span(" States.Array($.a)"), Span::new(0, 1));
        assert_eq!(span("$$23"), Span::new(2, 3));
        assert_eq!(span("States. "), Span::point(8));
    }

    #[test]
    fn expression_lookalikes() {
        assert!(looks_like_expression("$.a"));
        assert!(looks_like_expression("$$.Execution.Id"));
        assert!(looks_like_expression("States.Format('{}', $.a)"));
        assert!(!looks_like_expression("$USD"));
        assert!(!looks_like_expression("$5.00"));
        assert!(!looks_like_expression("hello"));
        assert!(!looks_like_expression("States.of the art"));
    }
}
