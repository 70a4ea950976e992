//! JSONata 2.0.6, the expression language of Step Functions' JSONata mode: the front end.
//!
//! `{% … %}` strings in a JSONata state are JSONata expressions (see
//! aslkit's `expr::jsonata_string` for recognising them). Step Functions evaluates them with
//! jsonata-js 2.0.6 and rejects a definition whose expressions do not parse, so this parser
//! follows jsonata-js closely: same grammar, same binding powers, and the same error code for
//! the same mistake (`S0101`…`S0217`, `S0301`, `S0302`, `S0401`, `S0402`).
//!
//! Staged like jaq, nothing reaching back:
//!
//! - `lex`: characters → tokens with character spans, pulled by the parser;
//! - `parse`: tokens → a raw tree, by Pratt's algorithm;
//! - `process`: raw tree → [`ast::Ast`], jsonata-js's post-parse pass (paths as step lists,
//!   filters and bindings on steps, parent operators resolved, tail calls marked);
//! - [`signature`]: the `<…>` type signatures of lambdas.
//!
//! - `eval`: [`ast::Ast`] → a value, as jsonata-js evaluates it, with the built-ins of
//!   `functions` (one table row each).
//!
//! Nesting is bounded (see [`error::TOO_DEEP`]): a
//! pathological expression gets an error, never a stack overflow.

pub mod ast;
pub mod error;
pub mod eval;
mod functions;
mod lex;
mod parse;
mod process;
mod runtime;
pub mod signature;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_support;
mod validate;
mod value;

pub use ast::Ast;
pub use error::JsonataError;
pub use eval::{declare_stack, evaluate, evaluate_outcome, Bindings, Outcome, STACK_BYTES};

/// Whether `name` (without `$`) is a built-in function: JSONata's or one Step Functions adds.
/// Analyses use it to tell a function reference (`$map(…, $string)`) from a variable.
pub fn is_builtin(name: &str) -> bool {
    functions::lookup(name).is_some()
}

/// Parses a JSONata expression (the text between `{%` and `%}`, or a whole `aslkit eval`
/// argument). Positions in the result and in errors count characters from the start of `expr`.
pub fn parse(expr: &str) -> Result<Ast, JsonataError> {
    process::process(parse::parse(expr)?)
}
