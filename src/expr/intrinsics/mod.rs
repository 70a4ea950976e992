//! Intrinsic function calls: `States.Format('Hello, {}', $.name)`.
//!
//! Grammar (whitespace allowed between tokens, and after the call, but not before it):
//!
//! ```text
//! call = name "(" (arg ("," arg)*)? ")"
//! arg  = 'string' | number | true | false | null | path | call
//! ```
//!
//! Strings are single-quoted; `\'`, `\{`, `\}` and `\\` escape the characters the language
//! reserves. A path argument is any JSONPath (`$.a`, `$$.Execution.Id`, `$myVar[0]`).
//!
//! [`parse`] only checks the grammar; [`check`] then reports what a well-formed call can still
//! get wrong: an unknown function, the wrong number of arguments, a literal of the wrong type,
//! more than 10 levels of nesting, or a `States.Format` template whose `{}` placeholders do not
//! match its arguments. The function table is in [`functions`]; [`eval`] evaluates a call,
//! running the implementations in [`builtins`].

pub mod builtins;
pub mod eval;
pub mod functions;
mod lex;
mod parse;

use serde_json::Number;

use super::jsonpath::Path;
use super::{Span, SyntaxError};
pub use eval::{evaluate, Entropy, IntrinsicError, SplitMix64};
pub use functions::{lookup, ArgType, Function, FUNCTIONS};

/// How deeply calls may nest inside one field ("You can nest up to 10 intrinsic functions").
pub const MAX_NESTING: usize = 10;

/// Parses a complete intrinsic call.
pub fn parse(s: &str) -> Result<Call, SyntaxError> {
    parse::parse_call(s)
}

/// A call, `States.Name(args…)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The name as written, `States.Format`.
    pub name: String,
    pub name_span: Span,
    pub args: Vec<Arg>,
    /// From the first character of the name through the closing `)`.
    pub span: Span,
}

impl Call {
    /// The function called, if it exists.
    pub fn function(&self) -> Option<&'static Function> {
        lookup(&self.name)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    pub kind: ArgKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ArgKind {
    String(StringLiteral),
    Number(Number),
    Boolean(bool),
    Null,
    /// A path; its spans count from the start of the whole call string.
    Path(Path),
    Call(Call),
}

impl ArgKind {
    /// The type of a literal argument; `None` for paths and calls, known only at run time.
    pub fn literal_type(&self) -> Option<&'static str> {
        match self {
            ArgKind::String(_) => Some("a string"),
            ArgKind::Number(_) => Some("a number"),
            ArgKind::Boolean(_) => Some("a boolean"),
            ArgKind::Null => Some("null"),
            ArgKind::Path(_) | ArgKind::Call(_) => None,
        }
    }
}

/// A single-quoted string argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringLiteral {
    /// The text between the quotes, escapes included.
    pub raw: String,
}

/// A piece of a `States.Format` template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplatePiece {
    Text(String),
    /// `{}`.
    Placeholder,
}

impl StringLiteral {
    /// The string's value, escapes resolved.
    pub fn value(&self) -> String {
        self.template()
            .into_iter()
            .map(|p| match p {
                TemplatePiece::Text(t) => t,
                TemplatePiece::Placeholder => "{}".to_string(),
            })
            .collect()
    }

    /// The string read as a `States.Format` template: text and unescaped `{}` placeholders.
    pub fn template(&self) -> Vec<TemplatePiece> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = self.raw.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let Some(escaped) = chars.next() {
                        text.push(escaped);
                    }
                }
                '{' if chars.peek() == Some(&'}') => {
                    chars.next();
                    if !text.is_empty() {
                        pieces.push(TemplatePiece::Text(std::mem::take(&mut text)));
                    }
                    pieces.push(TemplatePiece::Placeholder);
                }
                c => text.push(c),
            }
        }
        if !text.is_empty() {
            pieces.push(TemplatePiece::Text(text));
        }
        pieces
    }

    pub fn placeholders(&self) -> usize {
        self.template()
            .iter()
            .filter(|p| **p == TemplatePiece::Placeholder)
            .count()
    }
}

/// What a well-formed call can still get wrong.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    UnknownFunction {
        name: String,
        span: Span,
    },
    Arity {
        function: &'static Function,
        given: usize,
        span: Span,
    },
    ArgumentType {
        function: &'static Function,
        /// 0-based.
        index: usize,
        expected: ArgType,
        found: &'static str,
        span: Span,
    },
    TooDeep {
        depth: usize,
        span: Span,
    },
    Placeholders {
        placeholders: usize,
        arguments: usize,
        span: Span,
    },
}

impl Problem {
    pub fn span(&self) -> Span {
        match self {
            Problem::UnknownFunction { span, .. }
            | Problem::Arity { span, .. }
            | Problem::ArgumentType { span, .. }
            | Problem::TooDeep { span, .. }
            | Problem::Placeholders { span, .. } => *span,
        }
    }

    pub fn message(&self) -> String {
        match self {
            Problem::UnknownFunction { name, .. } => {
                format!("`{name}` is not an intrinsic function")
            }
            Problem::Arity {
                function, given, ..
            } => format!(
                "`{}` takes {}, but is given {given}",
                function.name,
                function.arity()
            ),
            Problem::ArgumentType {
                function,
                index,
                expected,
                found,
                ..
            } => format!(
                "argument {} of `{}` must be {}, not {found}",
                index + 1,
                function.name,
                expected.describe()
            ),
            Problem::TooDeep { depth, .. } => format!(
                "intrinsic functions are nested {depth} levels deep; at most {MAX_NESTING} are allowed"
            ),
            Problem::Placeholders {
                placeholders,
                arguments,
                ..
            } => format!(
                "the `States.Format` template has {placeholders} `{{}}` placeholder{}, but {arguments} value{} follow{}",
                if *placeholders == 1 { "" } else { "s" },
                if *arguments == 1 { "" } else { "s" },
                if *arguments == 1 { "s" } else { "" },
            ),
        }
    }
}

/// Everything wrong with a parsed call and the calls nested in it, outermost first.
pub fn check(call: &Call) -> Vec<Problem> {
    let mut out = Vec::new();
    check_at(call, 1, &mut out);
    out
}

fn check_at(call: &Call, depth: usize, out: &mut Vec<Problem>) {
    if depth == MAX_NESTING + 1 {
        out.push(Problem::TooDeep {
            depth,
            span: call.name_span,
        });
    }
    match call.function() {
        None => out.push(Problem::UnknownFunction {
            name: call.name.clone(),
            span: call.name_span,
        }),
        Some(function) => {
            if !function.accepts(call.args.len()) {
                out.push(Problem::Arity {
                    function,
                    given: call.args.len(),
                    span: call.span,
                });
            } else {
                check_arguments(call, function, out);
            }
        }
    }
    for arg in &call.args {
        if let ArgKind::Call(inner) = &arg.kind {
            check_at(inner, depth + 1, out);
        }
    }
}

fn check_arguments(call: &Call, function: &'static Function, out: &mut Vec<Problem>) {
    for (index, arg) in call.args.iter().enumerate() {
        let expected = function.param(index);
        let Some(found) = arg.kind.literal_type() else {
            continue;
        };
        let fits = match expected {
            ArgType::Any => true,
            ArgType::String => matches!(arg.kind, ArgKind::String(_)),
            ArgType::Number => matches!(arg.kind, ArgKind::Number(_)),
            ArgType::Boolean => matches!(arg.kind, ArgKind::Boolean(_)),
            ArgType::Array | ArgType::Object => false,
        };
        if !fits {
            out.push(Problem::ArgumentType {
                function,
                index,
                expected,
                found,
                span: arg.span,
            });
        }
    }
    if function.name == "States.Format" {
        if let Some(ArgKind::String(template)) = call.args.first().map(|a| &a.kind) {
            let placeholders = template.placeholders();
            let arguments = call.args.len() - 1;
            if placeholders != arguments {
                out.push(Problem::Placeholders {
                    placeholders,
                    arguments,
                    span: call.args[0].span,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests;
