//! The JSONata syntax tree, shaped for evaluation.
//!
//! This is the tree jsonata-js evaluates, i.e. its parse tree *after* the post-parse pass
//! (`processAST`): location paths are flattened into [`Path`]s whose steps carry their own
//! filters ([`Node::stages`]), bindings (`@$v` as [`Node::focus`], `#$i` as [`Node::index`]) and
//! group-by ([`Node::group`]); a sort `^(…)` is a [`Kind::Sort`] step; string literals used as
//! steps have become names; `-` applied to a number literal is folded; a lambda whose body ends
//! in a function call has that call wrapped in a thunk ([`Lambda::thunk`]) for tail calls; every
//! parent operator `%` is resolved to the label of the step it refers to ([`Node::ancestor`]).
//!
//! jsonata-js's `nextFunction` (chaining calls on JavaScript promises) has no counterpart: the
//! evaluator is synchronous.
//!
//! Spans are those of the token that makes the node (the operator of a binary expression, the
//! `(` of a call), in characters from the start of the expression.

use aslkit_base::Span;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    pub root: Node,
}

/// One node: what it is, where it is, and the annotations the post-parse pass attaches.
///
/// The annotations mirror jsonata-js's: most nodes have none; they matter on path steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub span: Span,
    /// `[]` followed this step: keep singleton arrays as arrays.
    pub keep_array: bool,
    /// An array constructor (or a block ending in one) whose result must not be flattened into
    /// the enclosing path.
    pub cons_array: bool,
    /// Filters applied to the value of a node that is *not* a path step (`$x[0]`, `(…)[cond]`).
    pub predicate: Vec<Stage>,
    /// Filters and index bindings applied, in order, to the results of this path step.
    pub stages: Vec<Stage>,
    /// A group-by object `{key: value}` applied to this node's (or this path's) result.
    pub group: Option<Box<Group>>,
    /// `@$name`: binds each item of this step to `$name` instead of changing the context.
    pub focus: Option<String>,
    /// `#$name` with no filter before it: binds each item's position to `$name`.
    pub index: Option<String>,
    /// The step binds variables (focus, index or parent labels), so the path is evaluated as a
    /// stream of tuples.
    pub tuple: bool,
    /// A parent operator refers to this step: bind its input under this label.
    pub ancestor: Option<usize>,
    /// Labels of parent operators inside this node that refer to a step outside it.
    pub seeking_parent: Vec<usize>,
}

impl Node {
    pub(crate) fn new(kind: Kind, span: Span) -> Node {
        Node {
            kind,
            span,
            keep_array: false,
            cons_array: false,
            predicate: Vec::new(),
            stages: Vec::new(),
            group: None,
            focus: None,
            index: None,
            tuple: false,
            ancestor: None,
            seeking_parent: Vec::new(),
        }
    }

    /// The node's children, for analyses that walk the whole tree.
    pub fn children(&self) -> Vec<&Node> {
        let mut out: Vec<&Node> = Vec::new();
        match &self.kind {
            Kind::Path(p) => out.extend(p.steps.iter()),
            Kind::Binary { lhs, rhs, .. } | Kind::Apply { lhs, rhs } => {
                out.push(lhs);
                out.push(rhs);
            }
            Kind::Negate(e) => out.push(e),
            Kind::Array(items) | Kind::Block(items) => out.extend(items.iter()),
            Kind::Object(pairs) => {
                for (k, v) in pairs {
                    out.push(k);
                    out.push(v);
                }
            }
            Kind::Bind { value, .. } => out.push(value),
            Kind::Condition {
                condition,
                then,
                otherwise,
            } => {
                out.push(condition);
                out.push(then);
                out.extend(otherwise.as_deref());
            }
            Kind::Function { procedure, args } | Kind::Partial { procedure, args } => {
                out.push(procedure);
                out.extend(args.iter());
            }
            Kind::Lambda(l) => out.push(&l.body),
            Kind::Transform {
                pattern,
                update,
                delete,
            } => {
                out.push(pattern);
                out.push(update);
                out.extend(delete.as_deref());
            }
            Kind::Sort(terms) => out.extend(terms.iter().map(|t| &t.expression)),
            Kind::Name(_)
            | Kind::String(_)
            | Kind::Number(_)
            | Kind::Bool(_)
            | Kind::Null
            | Kind::Regex(_)
            | Kind::Variable(_)
            | Kind::Wildcard
            | Kind::Descendant
            | Kind::Parent { .. }
            | Kind::Placeholder => {}
        }
        for stage in self.predicate.iter().chain(&self.stages) {
            if let Stage::Filter { expr, .. } = stage {
                out.push(expr);
            }
        }
        if let Some(g) = &self.group {
            for (k, v) in &g.pairs {
                out.push(k);
                out.push(v);
            }
        }
        out
    }
}

/// What a node is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A location path `a.b[0].c`: evaluate each step against the results of the one before.
    Path(Path),
    /// A field name (only ever a path step).
    Name(String),
    String(String),
    Number(f64),
    Bool(bool),
    Null,
    /// `/pattern/flags`.
    Regex(Box<Regex>),
    /// `$name`; `$` (the context) is the empty name and `$$` (the root) is `"$"`.
    Variable(String),
    /// `*`: every field value.
    Wildcard,
    /// `**`: every descendant.
    Descendant,
    /// `%`: the input of the step labelled `label`.
    Parent {
        label: usize,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    /// Unary `-`.
    Negate(Box<Node>),
    /// `[a, b, 1..3]`.
    Array(Vec<Node>),
    /// `{key: value, …}`.
    Object(Vec<(Node, Node)>),
    /// `(a; b; c)`: evaluates to the last expression, in a scope of its own.
    Block(Vec<Node>),
    /// `$name := value`.
    Bind {
        name: String,
        value: Box<Node>,
    },
    /// `lhs ~> rhs`: apply the function `rhs` with `lhs` as its first argument.
    Apply {
        lhs: Box<Node>,
        rhs: Box<Node>,
    },
    /// `condition ? then : otherwise`.
    Condition {
        condition: Box<Node>,
        then: Box<Node>,
        otherwise: Option<Box<Node>>,
    },
    /// `procedure(args…)`.
    Function {
        procedure: Box<Node>,
        args: Vec<Node>,
    },
    /// `procedure(args…)` with at least one `?` placeholder: makes a new function.
    Partial {
        procedure: Box<Node>,
        args: Vec<Node>,
    },
    /// A `?` argument of a partial application.
    Placeholder,
    /// `function($a, $b)<sig>{ body }` (or `λ`).
    Lambda(Box<Lambda>),
    /// `| pattern | update, delete |`.
    Transform {
        pattern: Box<Node>,
        update: Box<Node>,
        delete: Option<Box<Node>>,
    },
    /// `^(<a, >b)` as a path step.
    Sort(Vec<SortTerm>),
}

/// The binary operators evaluated by value (the path, filter and binding operators are nodes of
/// their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    /// `&`: string concatenation.
    Concat,
    And,
    Or,
    In,
    /// `..` inside an array constructor.
    Range,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Modulo => "%",
            BinaryOp::Equal => "=",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterEqual => ">=",
            BinaryOp::Concat => "&",
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::In => "in",
            BinaryOp::Range => "..",
        }
    }
}

/// A location path.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    pub steps: Vec<Node>,
    /// Some step had `[]`: a singleton result stays an array.
    pub keep_singleton_array: bool,
}

/// One stage applied to the results of a step, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// `[expr]`: a predicate, or an index when `expr` is a number.
    Filter { expr: Box<Node>, span: Span },
    /// `#$name` after a filter: binds positions after filtering.
    Index { name: String, span: Span },
}

/// `{key: value, …}` following an expression: group its results by key.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub pairs: Vec<(Node, Node)>,
    pub span: Span,
}

/// One term of a sort.
#[derive(Debug, Clone, PartialEq)]
pub struct SortTerm {
    pub descending: bool,
    pub expression: Node,
}

/// A regular expression literal, as written (JavaScript syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regex {
    pub pattern: String,
    /// Some of `i` and `m`, as written.
    pub flags: String,
}

/// A function definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Lambda {
    /// Parameter names, without `$`.
    pub params: Vec<String>,
    pub signature: Option<super::signature::Signature>,
    pub body: Node,
    /// A thunk made for tail-call optimisation: `body` is a call to evaluate in the caller's
    /// trampoline rather than by recursion.
    pub thunk: bool,
}
