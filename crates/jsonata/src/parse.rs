//! JSONata parser: tokens → raw parse tree, by Pratt's top-down operator precedence.
//!
//! The grammar, binding powers and error codes are jsonata-js 2.0.6's: `.` 75, `[` `(` `@` `#`
//! 80, `{` 70, `*` `/` `%` 60, `+` `-` `&` 50, comparisons `in` `^` `~>` 40, `and` 30, `or` 25,
//! `?` 20, `:=` 10 (right-associative). Some mistakes are only found by the post-parse pass
//! (`process.rs`), which turns this raw tree into the [`super::ast`] evaluated later; keeping the
//! two passes apart keeps the order in which errors are found, and hence their codes, the same
//! as in jsonata-js.
//!
//! Every raw node records the height of its subtree; the parser refuses (with
//! [`super::error::TOO_DEEP`]) to nest deeper than [`MAX_DEPTH`], so neither parsing, nor the
//! post-parse pass, nor dropping the tree can overflow the stack.

use super::error::{JsonataError, TOO_DEEP};
use super::lex::{Lexer, Op, Tok, Token};
use super::signature::{self, Signature};
use aslkit_base::Span;

/// The deepest nesting accepted, in tree levels (also bounds the parser's recursion).
///
/// Each level costs up to about 8 KiB of stack in a debug build (optimised builds need less), and
/// validation runs on threads with the default 2 MiB stack; a test proves every recursive shape
/// fits. Real expressions nest a few dozen levels at most.
pub(crate) const MAX_DEPTH: u32 = 150;

/// A node of the raw parse tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Raw {
    pub kind: RawKind,
    /// The token that made the node.
    pub span: Span,
    /// `[]` followed this node.
    pub keep_array: bool,
    depth: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawKind {
    Name(String),
    Variable(String),
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Regex {
        pattern: String,
        flags: String,
    },
    /// `and`, `or`, `in` where an operand is expected: a field name.
    Keyword(Op),
    /// `?` as an argument.
    Placeholder,
    /// The end of the input where an operand is expected.
    End,
    /// Infix operators evaluated by value, plus `.`, `~>` and `..`.
    Binary {
        op: Op,
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    /// `lhs[rhs]`.
    Filter {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    /// `lhs{pairs}`.
    Group {
        lhs: Box<Raw>,
        pairs: Vec<(Raw, Raw)>,
    },
    /// `lhs^(terms)`; a term is (descending, expression).
    Sort {
        lhs: Box<Raw>,
        terms: Vec<(bool, Raw)>,
    },
    Bind {
        lhs: Box<Raw>,
        rhs: Box<Raw>,
    },
    /// `lhs@$var`.
    Focus {
        lhs: Box<Raw>,
        var: Box<Raw>,
    },
    /// `lhs#$var`.
    Index {
        lhs: Box<Raw>,
        var: Box<Raw>,
    },
    Negate(Box<Raw>),
    Wildcard,
    Descendant,
    Parent,
    Array(Vec<Raw>),
    Object(Vec<(Raw, Raw)>),
    Block(Vec<Raw>),
    Call {
        procedure: Box<Raw>,
        args: Vec<Raw>,
        partial: bool,
    },
    Lambda {
        params: Vec<String>,
        signature: Option<Box<Signature>>,
        body: Box<Raw>,
    },
    Condition {
        condition: Box<Raw>,
        then: Box<Raw>,
        otherwise: Option<Box<Raw>>,
    },
    Transform {
        pattern: Box<Raw>,
        update: Box<Raw>,
        delete: Option<Box<Raw>>,
    },
}

impl RawKind {
    /// Height of the tallest child.
    fn child_depth(&self) -> u32 {
        fn of<'a>(it: impl IntoIterator<Item = &'a Raw>) -> u32 {
            it.into_iter().map(|r| r.depth).max().unwrap_or(0)
        }
        match self {
            RawKind::Binary { lhs, rhs, .. }
            | RawKind::Filter { lhs, rhs }
            | RawKind::Bind { lhs, rhs }
            | RawKind::Focus { lhs, var: rhs }
            | RawKind::Index { lhs, var: rhs } => lhs.depth.max(rhs.depth),
            RawKind::Group { lhs, pairs } => lhs.depth.max(of(pairs.iter().flat_map(|(k, v)| [k, v]))),
            RawKind::Sort { lhs, terms } => lhs.depth.max(of(terms.iter().map(|(_, t)| t))),
            RawKind::Negate(e) => e.depth,
            RawKind::Array(items) | RawKind::Block(items) => of(items),
            RawKind::Object(pairs) => of(pairs.iter().flat_map(|(k, v)| [k, v])),
            RawKind::Call { procedure, args, .. } => procedure.depth.max(of(args)),
            RawKind::Lambda { body, .. } => body.depth,
            RawKind::Condition {
                condition,
                then,
                otherwise,
            } => of([&**condition, &**then].into_iter().chain(otherwise.as_deref())),
            RawKind::Transform {
                pattern,
                update,
                delete,
            } => of([&**pattern, &**update].into_iter().chain(delete.as_deref())),
            _ => 0,
        }
    }
}

/// Parses a whole expression into its raw tree.
pub(crate) fn parse(src: &str) -> Result<Raw, JsonataError> {
    let mut lexer = Lexer::new(src);
    let first = lexer.next(true)?;
    let mut p = Parser {
        lexer,
        node: first,
        nesting: 0,
    };
    p.check_known()?;
    let expr = p.expression(0)?;
    if p.node.tok != Tok::End {
        return Err(p.unexpected_token());
    }
    Ok(expr)
}

struct Parser {
    lexer: Lexer,
    /// The current token (jsonata-js's `node`): the next one to be consumed.
    node: Token,
    /// Current recursion depth of `expression`.
    nesting: u32,
}

/// Left binding power of a token.
fn lbp(tok: &Tok) -> u32 {
    match tok {
        Tok::Op(op) => match op {
            Op::Dot => 75,
            Op::LBracket | Op::LParen | Op::At | Op::Hash => 80,
            Op::LBrace => 70,
            Op::Star | Op::Slash | Op::Percent => 60,
            Op::Plus | Op::Minus | Op::Amp => 50,
            Op::Eq | Op::Ne | Op::Lt | Op::Le | Op::Gt | Op::Ge | Op::In | Op::Caret | Op::Chain => 40,
            Op::And => 30,
            Op::Or => 25,
            Op::Question => 20,
            Op::Assign => 10,
            _ => 0,
        },
        _ => 0,
    }
}

fn mk(kind: RawKind, span: Span) -> Result<Raw, JsonataError> {
    let depth = kind.child_depth() + 1;
    if depth > MAX_DEPTH {
        return Err(too_deep(span));
    }
    Ok(Raw {
        kind,
        span,
        keep_array: false,
        depth,
    })
}

/// A token that is an operand by itself.
fn leaf(tok: Tok) -> RawKind {
    match tok {
        Tok::Name(n) => RawKind::Name(n),
        Tok::Variable(v) => RawKind::Variable(v),
        Tok::Str(s) => RawKind::Str(s),
        Tok::Num(n) => RawKind::Num(n),
        Tok::True => RawKind::Bool(true),
        Tok::False => RawKind::Bool(false),
        Tok::Null => RawKind::Null,
        Tok::Regex { pattern, flags } => RawKind::Regex { pattern, flags },
        // `nud` sends operators to `prefix`; only `and`/`or`/`in` are operands, as names.
        Tok::Op(op) => RawKind::Keyword(op),
        Tok::End => RawKind::End,
    }
}

fn too_deep(span: Span) -> JsonataError {
    JsonataError::new(
        TOO_DEEP,
        span,
        format!("expression nests deeper than {MAX_DEPTH} levels"),
    )
}

impl Parser {
    fn is(&self, op: Op) -> bool {
        self.node.tok == Tok::Op(op)
    }

    /// Moves to the next token. With `expected`, the current token must be that operator
    /// (S0202, or S0203 at the end). `infix` says a `/` after it divides rather than opening a
    /// regular expression.
    fn advance(&mut self, expected: Option<Op>, infix: bool) -> Result<(), JsonataError> {
        if let Some(op) = expected {
            if !self.is(op) {
                let (code, message) = if self.node.tok == Tok::End {
                    (
                        "S0203",
                        format!("expected `{}` before the end of the expression", op.as_str()),
                    )
                } else {
                    (
                        "S0202",
                        format!("expected `{}`, found {}", op.as_str(), self.node.tok.describe()),
                    )
                };
                return Err(JsonataError::new(code, self.node.span, message).with_token(self.node.tok.text()));
            }
        }
        self.node = self.lexer.next(!infix)?;
        self.check_known()
    }

    /// `!` and `~` end names but are no operators (S0204).
    fn check_known(&self) -> Result<(), JsonataError> {
        if let Tok::Op(op @ (Op::Bang | Op::Tilde)) = self.node.tok {
            return Err(
                JsonataError::new("S0204", self.node.span, format!("unknown operator `{}`", op.as_str()))
                    .with_token(op.as_str()),
            );
        }
        Ok(())
    }

    fn unexpected_token(&self) -> JsonataError {
        JsonataError::new(
            "S0201",
            self.node.span,
            format!("syntax error: unexpected {}", self.node.tok.describe()),
        )
        .with_token(self.node.tok.text())
    }

    fn expression(&mut self, rbp: u32) -> Result<Raw, JsonataError> {
        if self.nesting >= MAX_DEPTH {
            return Err(too_deep(self.node.span));
        }
        self.nesting += 1;
        let result = self.expression_inner(rbp);
        self.nesting -= 1;
        result
    }

    fn expression_inner(&mut self, rbp: u32) -> Result<Raw, JsonataError> {
        let t = self.node.clone();
        self.advance(None, true)?;
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.node.tok) {
            let t = self.node.clone();
            self.advance(None, false)?;
            left = self.led(t, left)?;
        }
        Ok(left)
    }

    /// A token in operand position. Recursive constructs have methods of their own, so that the
    /// frames on the recursion path stay small in debug builds.
    fn nud(&mut self, t: Token) -> Result<Raw, JsonataError> {
        let span = t.span;
        match t.tok {
            Tok::Op(op) => self.prefix(op, span),
            tok => mk(leaf(tok), span),
        }
    }

    fn prefix(&mut self, op: Op, span: Span) -> Result<Raw, JsonataError> {
        match op {
            Op::And | Op::Or | Op::In => mk(RawKind::Keyword(op), span),
            Op::Star => mk(RawKind::Wildcard, span),
            Op::StarStar => mk(RawKind::Descendant, span),
            Op::Percent => mk(RawKind::Parent, span),
            Op::Minus => self.negate(span),
            Op::LParen => self.block(span),
            Op::LBracket => self.array(span),
            Op::LBrace => self.object_constructor(span),
            Op::Pipe => self.transform(span),
            _ => Err(JsonataError::new(
                "S0211",
                span,
                format!("expected an expression, found `{}`", op.as_str()),
            )
            .with_token(op.as_str())),
        }
    }

    /// A token in operator position, with the expression before it.
    fn led(&mut self, t: Token, left: Raw) -> Result<Raw, JsonataError> {
        let span = t.span;
        let Tok::Op(op) = t.tok else {
            // Only operators have a binding power, so only they get here.
            return Err(JsonataError::new("S0201", span, "syntax error"));
        };
        match op {
            Op::Dot
            | Op::Plus
            | Op::Minus
            | Op::Star
            | Op::Slash
            | Op::Percent
            | Op::Eq
            | Op::Ne
            | Op::Lt
            | Op::Le
            | Op::Gt
            | Op::Ge
            | Op::Amp
            | Op::And
            | Op::Or
            | Op::In
            | Op::Chain => self.binary(op, left, span),
            Op::LParen => self.call(left, span),
            Op::LBracket => self.filter(left, span),
            Op::Caret => self.sort(left, span),
            Op::LBrace => self.group(left, span),
            Op::Assign => self.bind(left, span),
            Op::At | Op::Hash => self.bind_step(op, left, span),
            Op::Question => self.condition(left, span),
            _ => Err(JsonataError::new("S0201", span, "syntax error").with_token(op.as_str())),
        }
    }

    fn negate(&mut self, span: Span) -> Result<Raw, JsonataError> {
        let operand = self.expression(70)?;
        mk(RawKind::Negate(Box::new(operand)), span)
    }

    /// Infix operators evaluated by value, plus `.` and `~>`: left-associative.
    fn binary(&mut self, op: Op, left: Raw, span: Span) -> Result<Raw, JsonataError> {
        let rhs = self.expression(lbp(&Tok::Op(op)))?;
        mk(
            RawKind::Binary {
                op,
                lhs: Box::new(left),
                rhs: Box::new(rhs),
            },
            span,
        )
    }

    /// `[` after an expression: a filter, or `[]` (keep singleton arrays, marked on the step
    /// under any filters).
    fn filter(&mut self, mut left: Raw, span: Span) -> Result<Raw, JsonataError> {
        if self.is(Op::RBracket) {
            let mut step = &mut left;
            while let RawKind::Filter { lhs, .. } = &mut step.kind {
                step = lhs;
            }
            step.keep_array = true;
            self.advance(Some(Op::RBracket), false)?;
            return Ok(left);
        }
        let rhs = self.expression(0)?;
        self.advance(Some(Op::RBracket), true)?;
        mk(
            RawKind::Filter {
                lhs: Box::new(left),
                rhs: Box::new(rhs),
            },
            span,
        )
    }

    fn sort(&mut self, left: Raw, span: Span) -> Result<Raw, JsonataError> {
        let terms = self.sort_terms()?;
        mk(
            RawKind::Sort {
                lhs: Box::new(left),
                terms,
            },
            span,
        )
    }

    fn group(&mut self, left: Raw, span: Span) -> Result<Raw, JsonataError> {
        let pairs = self.pairs()?;
        mk(
            RawKind::Group {
                lhs: Box::new(left),
                pairs,
            },
            span,
        )
    }

    /// `$var := value`, right-associative.
    fn bind(&mut self, left: Raw, span: Span) -> Result<Raw, JsonataError> {
        if !matches!(left.kind, RawKind::Variable(_)) {
            return Err(JsonataError::new(
                "S0212",
                left.span,
                "the left side of `:=` must be a variable name (starting with `$`)",
            ));
        }
        let rhs = self.expression(9)?;
        mk(
            RawKind::Bind {
                lhs: Box::new(left),
                rhs: Box::new(rhs),
            },
            span,
        )
    }

    /// `step@$var` or `step#$var`.
    fn bind_step(&mut self, op: Op, left: Raw, span: Span) -> Result<Raw, JsonataError> {
        let var = self.expression(80)?;
        if !matches!(var.kind, RawKind::Variable(_)) {
            return Err(JsonataError::new(
                "S0214",
                var.span,
                format!(
                    "the right side of `{}` must be a variable name (starting with `$`)",
                    op.as_str()
                ),
            )
            .with_token(op.as_str()));
        }
        let (lhs, var) = (Box::new(left), Box::new(var));
        let kind = if op == Op::At {
            RawKind::Focus { lhs, var }
        } else {
            RawKind::Index { lhs, var }
        };
        mk(kind, span)
    }

    /// `condition ? then : otherwise`.
    fn condition(&mut self, left: Raw, span: Span) -> Result<Raw, JsonataError> {
        let then = self.expression(0)?;
        let otherwise = if self.is(Op::Colon) {
            self.advance(Some(Op::Colon), false)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        mk(
            RawKind::Condition {
                condition: Box::new(left),
                then: Box::new(then),
                otherwise,
            },
            span,
        )
    }

    /// `(` after an expression: a call, a partial application, or a lambda definition.
    fn call(&mut self, procedure: Raw, span: Span) -> Result<Raw, JsonataError> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is(Op::RParen) {
            loop {
                if self.is(Op::Question) {
                    partial = true;
                    args.push(mk(RawKind::Placeholder, self.node.span)?);
                    self.advance(Some(Op::Question), false)?;
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is(Op::Comma) {
                    break;
                }
                self.advance(Some(Op::Comma), false)?;
            }
        }
        self.advance(Some(Op::RParen), true)?;
        let is_lambda = matches!(&procedure.kind, RawKind::Name(n) if n == "function" || n == "\u{3bb}");
        if !is_lambda {
            return mk(
                RawKind::Call {
                    procedure: Box::new(procedure),
                    args,
                    partial,
                },
                span,
            );
        }
        let mut params = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            match &arg.kind {
                RawKind::Variable(v) => params.push(v.clone()),
                _ => {
                    return Err(JsonataError::new(
                        "S0208",
                        arg.span,
                        format!(
                            "parameter {} of the function definition must be a variable name (starting with `$`)",
                            i + 1
                        ),
                    ))
                }
            }
        }
        let signature = if self.is(Op::Lt) {
            Some(Box::new(self.signature()?))
        } else {
            None
        };
        self.advance(Some(Op::LBrace), false)?;
        let body = self.expression(0)?;
        self.advance(Some(Op::RBrace), false)?;
        mk(
            RawKind::Lambda {
                params,
                signature,
                body: Box::new(body),
            },
            span,
        )
    }

    /// `<…>` after a lambda's parameters: the tokens up to the matching `>`, glued together.
    fn signature(&mut self) -> Result<Signature, JsonataError> {
        let start = self.node.span.start;
        let mut depth = 1;
        let mut text = String::from("<");
        while depth > 0 && !self.is(Op::LBrace) && self.node.tok != Tok::End {
            self.advance(None, false)?;
            match self.node.tok {
                Tok::Op(Op::Gt) => depth -= 1,
                Tok::Op(Op::Lt) => depth += 1,
                _ => {}
            }
            text.push_str(&self.node.tok.text());
        }
        let end = self.node.span.end;
        self.advance(Some(Op::Gt), false)?;
        signature::parse(&text).map_err(|mut e| {
            e.span = Span::new(start, end);
            e.position = start;
            e
        })
    }

    /// `(` in operand position: a block `(a; b; c)`.
    fn block(&mut self, span: Span) -> Result<Raw, JsonataError> {
        let mut items = Vec::new();
        while !self.is(Op::RParen) {
            items.push(self.expression(0)?);
            if !self.is(Op::Semicolon) {
                break;
            }
            self.advance(Some(Op::Semicolon), false)?;
        }
        self.advance(Some(Op::RParen), true)?;
        mk(RawKind::Block(items), span)
    }

    /// `[` in operand position: an array constructor, whose items may be ranges `a..b`.
    fn array(&mut self, span: Span) -> Result<Raw, JsonataError> {
        let mut items = Vec::new();
        if !self.is(Op::RBracket) {
            loop {
                let mut item = self.expression(0)?;
                if self.is(Op::DotDot) {
                    let span = self.node.span;
                    self.advance(Some(Op::DotDot), false)?;
                    let rhs = self.expression(0)?;
                    item = mk(
                        RawKind::Binary {
                            op: Op::DotDot,
                            lhs: Box::new(item),
                            rhs: Box::new(rhs),
                        },
                        span,
                    )?;
                }
                items.push(item);
                if !self.is(Op::Comma) {
                    break;
                }
                self.advance(Some(Op::Comma), false)?;
            }
        }
        self.advance(Some(Op::RBracket), true)?;
        mk(RawKind::Array(items), span)
    }

    fn object_constructor(&mut self, span: Span) -> Result<Raw, JsonataError> {
        let pairs = self.pairs()?;
        mk(RawKind::Object(pairs), span)
    }

    /// `{…}`, as an object constructor or a group-by: `key: value` pairs.
    fn pairs(&mut self) -> Result<Vec<(Raw, Raw)>, JsonataError> {
        let mut pairs = Vec::new();
        if !self.is(Op::RBrace) {
            loop {
                let key = self.expression(0)?;
                self.advance(Some(Op::Colon), false)?;
                let value = self.expression(0)?;
                pairs.push((key, value));
                if !self.is(Op::Comma) {
                    break;
                }
                self.advance(Some(Op::Comma), false)?;
            }
        }
        self.advance(Some(Op::RBrace), true)?;
        Ok(pairs)
    }

    /// `^(<a, >b)`: the terms of a sort.
    fn sort_terms(&mut self) -> Result<Vec<(bool, Raw)>, JsonataError> {
        self.advance(Some(Op::LParen), false)?;
        let mut terms = Vec::new();
        loop {
            let mut descending = false;
            if self.is(Op::Lt) {
                self.advance(Some(Op::Lt), false)?;
            } else if self.is(Op::Gt) {
                descending = true;
                self.advance(Some(Op::Gt), false)?;
            }
            terms.push((descending, self.expression(0)?));
            if !self.is(Op::Comma) {
                break;
            }
            self.advance(Some(Op::Comma), false)?;
        }
        self.advance(Some(Op::RParen), false)?;
        Ok(terms)
    }

    /// `| pattern | update, delete |`.
    fn transform(&mut self, span: Span) -> Result<Raw, JsonataError> {
        let pattern = self.expression(0)?;
        self.advance(Some(Op::Pipe), false)?;
        let update = self.expression(0)?;
        let delete = if self.is(Op::Comma) {
            self.advance(Some(Op::Comma), false)?;
            Some(Box::new(self.expression(0)?))
        } else {
            None
        };
        self.advance(Some(Op::Pipe), false)?;
        mk(
            RawKind::Transform {
                pattern: Box::new(pattern),
                update: Box::new(update),
                delete,
            },
            span,
        )
    }
}
