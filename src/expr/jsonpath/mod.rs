//! JSONPath as Step Functions accepts it in `InputPath`, `OutputPath`, `ItemsPath`, Choice rule
//! `Variable`s and the values of `….$` keys.
//!
//! Step Functions compiles paths with Jayway JsonPath, plus two roots of its own: `$$` (the
//! context object) and `$name` (a workflow variable, `$order.id`). The grammar accepted here:
//!
//! ```text
//! path      = root step*
//! root      = "$" | "$$" | "$" name | "@" (inside filters only)
//! step      = "." name | "." name "(" args ")" | ".*" | "." bracket
//!           | ".." name | "..*" | ".." bracket | bracket
//! bracket   = "[" ( "*" | "?(" filter ")" | string ("," string)*
//!                 | int ("," int)* | int? ":" int? (":" int?)? ) "]"
//! filter    = and ("||" and)* ;  and = unary ("&&" unary)*
//! unary     = "!" unary | "(" filter ")" | operand (relop operand)?
//! operand   = path | string | number | true | false | null | /regex/flags | JSON array | JSON object
//! ```
//!
//! A name in dot notation runs to the next `.`, `[` or `(`, so `$.order-id` is one name; names
//! with spaces or other punctuation go in brackets (`$['my name']`). Whitespace is only allowed
//! inside brackets and parentheses.
//!
//! The AST keeps a span on every step so that checks can point at the exact part that is not
//! allowed (a wildcard in a `ResultPath`, say); [`eval`] evaluates it with Jayway's semantics.

pub mod eval;
mod lex;
mod parse;

use serde_json::Value;

use super::{Span, SyntaxError};
pub use eval::{evaluate, is_present, Context, PathError};

/// Parses a complete path (root `$`, `$$` or `$name`). Trailing whitespace is ignored, as Jayway
/// JsonPath (which Step Functions uses) trims a path before compiling it.
pub fn parse(s: &str) -> Result<Path, SyntaxError> {
    parse::parse_path(s.trim_end(), 0)
}

/// Parses a path written `offset` characters into a larger string (an argument of an
/// intrinsic call): spans in the AST and in the error count from the start of that string.
pub fn parse_at(s: &str, offset: usize) -> Result<Path, SyntaxError> {
    parse::parse_path(s, offset)
}

/// A parsed path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub root: Root,
    pub steps: Vec<Step>,
    /// The whole path, root included.
    pub span: Span,
    /// Where the root token is (`$`, `$$`, `$name` or `@`).
    pub root_span: Span,
}

/// Where a path starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Root {
    /// `$`: the state input (or, in a payload template, the effective input).
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: the workflow variable `name`.
    Variable(String),
    /// `@`: the node a filter is looking at.
    Current,
}

/// One step of a path, with where it is written.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub kind: StepKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StepKind {
    /// `.name`, `.*`, `[…]`: select among the children of each current node.
    Child(Selector),
    /// `..name`, `..*`, `..[…]`: select among all descendants (deep scan).
    Descendant(Selector),
    /// `.length()`, `.max()`, `.concat(…)`: a Jayway function applied to the current nodes.
    Function { name: String, args: Vec<Operand> },
}

/// What a step picks.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    Name(String),
    /// `['a','b']`.
    Names(Vec<String>),
    /// `*` or `[*]`.
    Wildcard,
    /// `[3]`, `[-1]` (from the end).
    Index(i64),
    /// `[0,2]`.
    Indices(Vec<i64>),
    /// `[1:3]`, `[:2]`, `[-2:]`, `[::2]`.
    Slice(Slice),
    /// `[?(…)]`.
    Filter(Box<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Slice {
    pub start: Option<i64>,
    pub end: Option<i64>,
    pub step: Option<i64>,
}

/// A filter predicate, evaluated with `@` bound to each candidate node.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    Or(Vec<Filter>),
    And(Vec<Filter>),
    Not(Box<Filter>),
    /// `[?(@.isbn)]`: the path selects something.
    Exists(Path),
    Compare {
        left: Operand,
        op: RelOp,
        right: Operand,
    },
}

/// A value in a filter or a function argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(Path),
    Literal(Value),
    Regex { pattern: String, flags: String },
}

/// The comparison operators of Jayway filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RelOp {
    Eq,
    /// `===`: equal and of the same type.
    StrictEq,
    Ne,
    /// `!==`.
    StrictNe,
    Lt,
    Le,
    Gt,
    Ge,
    /// `=~`: matches a regular expression.
    Regex,
    In,
    Nin,
    SubsetOf,
    AnyOf,
    NoneOf,
    Contains,
    All,
    Size,
    Empty,
    Exists,
    Type,
    Matches,
}

impl RelOp {
    /// The operator spelled `s`, if any.
    pub fn parse(s: &str) -> Option<RelOp> {
        Some(match s {
            "==" => RelOp::Eq,
            "===" => RelOp::StrictEq,
            "!=" => RelOp::Ne,
            "!==" => RelOp::StrictNe,
            "<" => RelOp::Lt,
            "<=" => RelOp::Le,
            ">" => RelOp::Gt,
            ">=" => RelOp::Ge,
            "=~" => RelOp::Regex,
            "in" => RelOp::In,
            "nin" => RelOp::Nin,
            "subsetof" => RelOp::SubsetOf,
            "anyof" => RelOp::AnyOf,
            "noneof" => RelOp::NoneOf,
            "contains" => RelOp::Contains,
            "all" => RelOp::All,
            "size" => RelOp::Size,
            "empty" => RelOp::Empty,
            "exists" => RelOp::Exists,
            "type" => RelOp::Type,
            "matches" => RelOp::Matches,
            _ => return None,
        })
    }
}

impl Path {
    /// The variable this path reads, for `$name…` paths.
    pub fn variable(&self) -> Option<&str> {
        match &self.root {
            Root::Variable(name) => Some(name),
            _ => None,
        }
    }

    /// The first step that can select more (or other) than one node: a wildcard, a deep scan,
    /// a filter, a slice, a union, a function. `None` for a *definite* path, which names at
    /// most one node — what Reference Paths require.
    pub fn first_indefinite_step(&self) -> Option<&Step> {
        self.steps.iter().find(|step| {
            !matches!(
                step.kind,
                StepKind::Child(Selector::Name(_)) | StepKind::Child(Selector::Index(_))
            )
        })
    }
}

impl Step {
    /// What the step is, for messages: "a wildcard", "a filter", ….
    pub fn describe(&self) -> &'static str {
        match &self.kind {
            StepKind::Descendant(_) => "a deep scan (`..`)",
            StepKind::Function { .. } => "a function call",
            StepKind::Child(selector) => match selector {
                Selector::Name(_) => "a field name",
                Selector::Index(_) => "an index",
                Selector::Names(_) => "a union of names",
                Selector::Indices(_) => "a union of indexes",
                Selector::Wildcard => "a wildcard (`*`)",
                Selector::Slice(_) => "a slice",
                Selector::Filter(_) => "a filter (`[?(…)]`)",
            },
        }
    }
}

#[cfg(test)]
mod tests;
