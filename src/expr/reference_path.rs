//! Reference Paths: JSONPaths that name exactly one node.
//!
//! `ResultPath` (and the `…Path` fields that read one setting: `SecondsPath`,
//! `TimeoutSecondsPath`, `MaxConcurrencyPath`, …) take a Reference Path: a path made only of
//! field names (`.name`, `['name']`) and indexes (`[0]`), with no wildcard, deep scan, filter,
//! slice, union or function. Parsing is the JSONPath parser's; this module only adds the
//! restriction, and says which step breaks it.
//!
//! Which roots are allowed depends on the field: `ResultPath` writes into the state input, so it
//! cannot start at a variable (`$name`); fields that read a value can.

use super::jsonpath::{self, Path, Root};
use super::{Span, SyntaxError};

/// Which roots a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Roots {
    /// `$` and `$$`: a place to write (`ResultPath`).
    Input,
    /// `$`, `$$` and `$name`: a value to read.
    Any,
}

/// Why a string is not a Reference Path.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// Not a JSONPath at all.
    Syntax(SyntaxError),
    /// A JSONPath, but one that can select several nodes; `span` is the offending step.
    Indefinite {
        span: Span,
        /// What the step is, e.g. "a wildcard (`*`)".
        what: &'static str,
    },
    /// A workflow variable where only the state input can be named.
    Variable { span: Span, name: String },
}

impl Error {
    pub fn span(&self) -> Span {
        match self {
            Error::Syntax(e) => e.span,
            Error::Indefinite { span, .. } | Error::Variable { span, .. } => *span,
        }
    }
}

/// Parses `s` as a Reference Path.
pub fn parse(s: &str, roots: Roots) -> Result<Path, Error> {
    let path = jsonpath::parse(s).map_err(Error::Syntax)?;
    check(&path, roots)?;
    Ok(path)
}

/// Checks that an already parsed path is a Reference Path.
pub fn check(path: &Path, roots: Roots) -> Result<(), Error> {
    if let (Root::Variable(name), Roots::Input) = (&path.root, roots) {
        return Err(Error::Variable {
            span: path.root_span,
            name: name.clone(),
        });
    }
    if let Some(step) = path.first_indefinite_step() {
        return Err(Error::Indefinite {
            span: step.span,
            what: step.describe(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn definite_paths_are_reference_paths() {
        for s in ["$", "$.a", "$.a.b[0]", "$['a b'][3]", "$$.Execution.Input", "$.a[-1]"] {
            assert!(parse(s, Roots::Input).is_ok(), "{s}");
        }
        assert!(parse("$var.x", Roots::Any).is_ok());
    }

    #[test]
    fn indefinite_steps_are_reported_where_they_are() {
        let cases = [
            ("$.a[*]", Span::new(3, 6)),
            ("$.a.*", Span::new(3, 5)),
            ("$..a", Span::new(1, 4)),
            ("$.a[?(@.b)]", Span::new(3, 11)),
            ("$.a[0:2]", Span::new(3, 8)),
            ("$.a[0,1]", Span::new(3, 8)),
            ("$['a','b']", Span::new(1, 10)),
            ("$.a.length()", Span::new(3, 12)),
        ];
        for (s, span) in cases {
            match parse(s, Roots::Input) {
                Err(Error::Indefinite { span: got, .. }) => assert_eq!(got, span, "{s}"),
                other => panic!("{s}: {other:?}"),
            }
        }
    }

    #[test]
    fn variables_cannot_be_written_to() {
        assert_eq!(
            parse("$foo.bar", Roots::Input),
            Err(Error::Variable {
                span: Span::new(0, 4),
                name: "foo".into()
            })
        );
    }

    #[test]
    fn syntax_errors_pass_through() {
        assert_eq!(parse(".guid", Roots::Input).unwrap_err().span(), Span::new(0, 1));
    }
}
