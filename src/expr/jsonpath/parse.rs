//! JSONPath parser: tokens → [`Path`].
//!
//! Recursive descent over the tokens of [`super::lex`]; every error names what was expected and
//! points at the token where parsing stopped (or at the end of the string).

use serde_json::{Map, Number, Value};

use super::lex::{lex, Tok, Token};
use super::{Filter, Operand, Path, RelOp, Root, Selector, Slice, Step, StepKind};
use crate::expr::{Span, SyntaxError};

/// Parses `s`, a path that starts `offset` characters into a larger string; spans in the AST
/// and in errors count from the start of that larger string.
pub(super) fn parse_path(s: &str, offset: usize) -> Result<Path, SyntaxError> {
    match simple_path(s, offset) {
        Some(path) => Ok(path),
        None => parse_tokens(s, offset),
    }
}

/// [`parse_path`] through the lexer and the recursive descent, for any path.
fn parse_tokens(s: &str, offset: usize) -> Result<Path, SyntaxError> {
    let mut tokens = lex(s).map_err(|e| e.shift(offset))?;
    for t in &mut tokens {
        t.span = t.span.shift(offset);
    }
    let end = offset + s.chars().count();
    let mut p = Parser { tokens, pos: 0, end };
    if p.tokens.is_empty() {
        return Err(SyntaxError::new(
            Span::point(offset),
            "expected a path starting with `$`",
        ));
    }
    let path = p.path(true)?;
    if let Some(t) = p.peek_token() {
        return Err(SyntaxError::new(
            t.span,
            format!(
                "unexpected {} after the end of the path; a step starts with `.`, `..` or `[`",
                describe(&t.tok)
            ),
        ));
    }
    Ok(path)
}

/// The AST of a path made only of a root and `.name` steps, with names of ASCII letters, digits,
/// `_` and `-` (`$.order.id`, `$$.Execution.Id`, `$var.x`), built without lexing: most paths
/// in definitions look like this, and each was lexed into owned tokens first. `None` for
/// anything else, which goes through the lexer and the parser; both ways build the same
/// [`Path`] (a test compares them).
fn simple_path(s: &str, offset: usize) -> Option<Path> {
    let bytes = s.as_bytes();
    if bytes.first() != Some(&b'$') {
        return None;
    }
    let is_name = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'-';
    let (root, root_end) = match bytes.get(1) {
        Some(b'$') => (Root::Context, 2),
        Some(&b) if b.is_ascii_alphabetic() || b == b'_' => {
            let end = 1 + bytes[1..]
                .iter()
                .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
                .unwrap_or(bytes.len() - 1);
            (Root::Variable(s[1..end].to_string()), end)
        }
        _ => (Root::Input, 1),
    };
    let mut steps = Vec::new();
    let mut pos = root_end;
    while pos < bytes.len() {
        if bytes[pos] != b'.' {
            return None;
        }
        let name_start = pos + 1;
        let name_len = bytes[name_start..]
            .iter()
            .position(|&b| !is_name(b))
            .unwrap_or(bytes.len() - name_start);
        let name_end = name_start + name_len;
        if name_len == 0 || bytes.get(name_end).is_some_and(|&b| b != b'.') {
            return None;
        }
        steps.push(Step {
            kind: StepKind::Child(Selector::Name(s[name_start..name_end].to_string())),
            span: Span::new(offset + pos, offset + name_end),
        });
        pos = name_end;
    }
    Some(Path {
        root,
        steps,
        span: Span::new(offset, offset + bytes.len()),
        root_span: Span::new(offset, offset + root_end),
    })
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    /// Length of the string in characters, where "end of input" errors point.
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos).map(|t| &t.tok)
    }

    fn peek_token(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    /// Takes the current token (moving its text out, not copying it: the parser never goes
    /// back, and only the span of an earlier token is read again).
    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get_mut(self.pos).map(|t| Token {
            tok: std::mem::replace(&mut t.tok, Tok::Comma),
            span: t.span,
        });
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    /// Span of the current token, or the empty span at the end.
    fn here(&self) -> Span {
        self.peek_token().map(|t| t.span).unwrap_or(Span::point(self.end))
    }

    fn prev_end(&self) -> usize {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map(|t| t.span.end)
            .unwrap_or(0)
    }

    fn error(&self, expected: &str) -> SyntaxError {
        let found = match self.peek() {
            Some(t) => describe(t),
            None => "the end of the path".to_string(),
        };
        SyntaxError::new(self.here(), format!("expected {expected}, found {found}"))
    }

    fn expect(&mut self, tok: &Tok, what: &str) -> Result<Span, SyntaxError> {
        if self.peek() == Some(tok) {
            Ok(self.next().map(|t| t.span).unwrap_or_default())
        } else {
            Err(self.error(what))
        }
    }

    /// A path from its root. `top` is true for the whole string, where `@` is not a root.
    fn path(&mut self, top: bool) -> Result<Path, SyntaxError> {
        let root_token = self
            .next()
            .ok_or_else(|| SyntaxError::new(Span::point(self.end), "expected a path starting with `$`"))?;
        let root = match root_token.tok {
            Tok::Root => Root::Input,
            Tok::Context => Root::Context,
            Tok::Var(name) => Root::Variable(name),
            Tok::Current if !top => Root::Current,
            other => {
                return Err(SyntaxError::new(
                    root_token.span,
                    format!("expected a path starting with `$`, found {}", describe(&other)),
                ))
            }
        };
        let mut steps = Vec::new();
        while let Some(step) = self.step()? {
            steps.push(step);
        }
        Ok(Path {
            root,
            span: root_token.span.to(Span::point(self.prev_end())),
            root_span: root_token.span,
            steps,
        })
    }

    fn step(&mut self) -> Result<Option<Step>, SyntaxError> {
        let Some(token) = self.peek_token().cloned() else {
            return Ok(None);
        };
        let start = token.span.start;
        let kind = match token.tok {
            Tok::Dot => {
                self.pos += 1;
                match self.peek() {
                    Some(Tok::Name(_)) => self.name_or_function()?,
                    Some(Tok::Star) => {
                        self.pos += 1;
                        StepKind::Child(Selector::Wildcard)
                    }
                    Some(Tok::LBracket) => StepKind::Child(self.bracket()?),
                    _ => return Err(self.error("a field name after `.`")),
                }
            }
            Tok::DotDot => {
                self.pos += 1;
                match self.peek().cloned() {
                    Some(Tok::Name(name)) => {
                        self.pos += 1;
                        StepKind::Descendant(Selector::Name(name))
                    }
                    Some(Tok::Star) => {
                        self.pos += 1;
                        StepKind::Descendant(Selector::Wildcard)
                    }
                    Some(Tok::LBracket) => StepKind::Descendant(self.bracket()?),
                    _ => return Err(self.error("a field name, `*` or `[` after `..`")),
                }
            }
            Tok::LBracket => StepKind::Child(self.bracket()?),
            _ => return Ok(None),
        };
        Ok(Some(Step {
            kind,
            span: Span::new(start, self.prev_end()),
        }))
    }

    /// `name` or `name(args)` after a `.`.
    fn name_or_function(&mut self) -> Result<StepKind, SyntaxError> {
        let Some(Token {
            tok: Tok::Name(name),
            span,
        }) = self.next()
        else {
            return Err(self.error("a field name"));
        };
        match self.peek_token() {
            Some(t) if t.tok == Tok::LParen && t.span.start == span.end => {
                self.pos += 1;
                let args = self.arguments()?;
                Ok(StepKind::Function { name, args })
            }
            _ => Ok(StepKind::Child(Selector::Name(name))),
        }
    }

    /// Function arguments after `(`, through the closing `)`.
    fn arguments(&mut self) -> Result<Vec<Operand>, SyntaxError> {
        let mut args = Vec::new();
        if self.peek() == Some(&Tok::RParen) {
            self.pos += 1;
            return Ok(args);
        }
        loop {
            args.push(self.operand()?);
            match self.peek() {
                Some(Tok::Comma) => self.pos += 1,
                Some(Tok::RParen) => {
                    self.pos += 1;
                    return Ok(args);
                }
                _ => return Err(self.error("`,` or `)` after a function argument")),
            }
        }
    }

    /// A bracket selector, from `[` through `]`.
    fn bracket(&mut self) -> Result<Selector, SyntaxError> {
        self.expect(&Tok::LBracket, "`[`")?;
        let selector = match self.peek().cloned() {
            Some(Tok::Star) => {
                self.pos += 1;
                Selector::Wildcard
            }
            Some(Tok::Question) => {
                self.pos += 1;
                self.expect(&Tok::LParen, "`(` after `?` (a filter is written `[?(…)]`)")?;
                let filter = self.filter()?;
                self.expect(&Tok::RParen, "`)` to close the filter")?;
                Selector::Filter(Box::new(filter))
            }
            Some(Tok::Str(first)) => {
                self.pos += 1;
                let mut names = vec![first];
                while self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    match self.peek().cloned() {
                        Some(Tok::Str(s)) => {
                            self.pos += 1;
                            names.push(s);
                        }
                        _ => return Err(self.error("a quoted field name after `,`")),
                    }
                }
                if names.len() == 1 {
                    Selector::Name(names.remove(0))
                } else {
                    Selector::Names(names)
                }
            }
            Some(Tok::Num(_)) | Some(Tok::Colon) => self.index_or_slice()?,
            Some(Tok::LParen) => self.length_minus()?,
            _ => return Err(self.error("`*`, `?(…)`, a quoted field name, an index or a slice after `[`")),
        };
        self.expect(&Tok::RBracket, "`]`")?;
        Ok(selector)
    }

    /// `[(@.length-1)]`: the script-expression form of `[-1]`, the only one supported.
    fn length_minus(&mut self) -> Result<Selector, SyntaxError> {
        const EXPECTED: &str = "`(@.length-n)`, the only expression allowed in brackets";
        self.expect(&Tok::LParen, "`(`")?;
        self.expect(&Tok::Current, EXPECTED)?;
        self.expect(&Tok::Dot, EXPECTED)?;
        let offset = match self.peek().cloned() {
            Some(Tok::Name(name)) if name == "length" => {
                self.pos += 1;
                match self.peek().cloned() {
                    Some(Tok::Op(op)) if op == "-" => {
                        self.pos += 1;
                        self.integer()?
                    }
                    Some(Tok::Num(n)) if n.starts_with('-') => -self.integer()?,
                    _ => return Err(self.error("`-` and a number")),
                }
            }
            Some(Tok::Name(name)) => match name.strip_prefix("length-").map(str::parse::<i64>) {
                Some(Ok(n)) => {
                    self.pos += 1;
                    n
                }
                _ => return Err(self.error(EXPECTED)),
            },
            _ => return Err(self.error(EXPECTED)),
        };
        self.expect(&Tok::RParen, "`)`")?;
        Ok(Selector::Index(-offset))
    }

    fn integer(&mut self) -> Result<i64, SyntaxError> {
        match self.peek_token().cloned() {
            Some(Token {
                tok: Tok::Num(text),
                span,
            }) => {
                self.pos += 1;
                text.parse::<i64>()
                    .map_err(|_| SyntaxError::new(span, format!("expected an integer index, found `{text}`")))
            }
            _ => Err(self.error("an integer")),
        }
    }

    fn optional_integer(&mut self) -> Result<Option<i64>, SyntaxError> {
        match self.peek() {
            Some(Tok::Num(_)) => self.integer().map(Some),
            _ => Ok(None),
        }
    }

    /// `[1]`, `[1,2]`, `[1:2]`, `[:2]`, `[1:]`, `[::2]`.
    fn index_or_slice(&mut self) -> Result<Selector, SyntaxError> {
        let start = self.optional_integer()?;
        match (start, self.peek()) {
            (_, Some(Tok::Colon)) => {
                self.pos += 1;
                let end = self.optional_integer()?;
                let step = if self.peek() == Some(&Tok::Colon) {
                    self.pos += 1;
                    self.optional_integer()?
                } else {
                    None
                };
                Ok(Selector::Slice(Slice { start, end, step }))
            }
            (Some(first), Some(Tok::Comma)) => {
                let mut indices = vec![first];
                while self.peek() == Some(&Tok::Comma) {
                    self.pos += 1;
                    indices.push(self.integer()?);
                }
                Ok(Selector::Indices(indices))
            }
            (Some(index), _) => Ok(Selector::Index(index)),
            (None, _) => Err(self.error("an index or a slice")),
        }
    }

    fn filter(&mut self) -> Result<Filter, SyntaxError> {
        let mut ors = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.pos += 1;
            ors.push(self.and()?);
        }
        Ok(if ors.len() == 1 { ors.remove(0) } else { Filter::Or(ors) })
    }

    fn and(&mut self) -> Result<Filter, SyntaxError> {
        let mut ands = vec![self.unary()?];
        while self.peek() == Some(&Tok::And) {
            self.pos += 1;
            ands.push(self.unary()?);
        }
        Ok(if ands.len() == 1 {
            ands.remove(0)
        } else {
            Filter::And(ands)
        })
    }

    fn unary(&mut self) -> Result<Filter, SyntaxError> {
        match self.peek() {
            Some(Tok::Not) => {
                self.pos += 1;
                Ok(Filter::Not(Box::new(self.unary()?)))
            }
            Some(Tok::LParen) => {
                self.pos += 1;
                let inner = self.filter()?;
                self.expect(&Tok::RParen, "`)`")?;
                Ok(inner)
            }
            _ => self.comparison(),
        }
    }

    fn comparison(&mut self) -> Result<Filter, SyntaxError> {
        let left_span = self.here();
        let left = self.operand()?;
        let op = match self.peek() {
            Some(Tok::Op(s)) => Some(RelOp::parse(s).ok_or_else(|| {
                SyntaxError::new(
                    self.here(),
                    format!("unknown comparison operator `{s}`; did you mean `==`?"),
                )
            })?),
            Some(Tok::Word(w)) => RelOp::parse(w),
            _ => None,
        };
        match op {
            Some(op) => {
                self.pos += 1;
                let right = self.operand()?;
                Ok(Filter::Compare { left, op, right })
            }
            None => match left {
                Operand::Path(path) => Ok(Filter::Exists(path)),
                _ => Err(SyntaxError::new(
                    left_span.to(Span::point(self.prev_end())),
                    "expected a comparison such as `@.price < 10`, or a path to test for existence",
                )),
            },
        }
    }

    fn operand(&mut self) -> Result<Operand, SyntaxError> {
        match self.peek().cloned() {
            Some(Tok::Root | Tok::Context | Tok::Var(_) | Tok::Current) => Ok(Operand::Path(self.path(false)?)),
            Some(Tok::Regex { pattern, flags }) => {
                self.pos += 1;
                Ok(Operand::Regex { pattern, flags })
            }
            Some(Tok::Str(_) | Tok::Num(_) | Tok::Word(_) | Tok::LBracket | Tok::LBrace) => {
                Ok(Operand::Literal(self.json()?))
            }
            _ => Err(self.error("a value (a path, a string, a number, `true`, `false` or `null`)")),
        }
    }

    /// A JSON literal, as Jayway accepts it in filters (strings may use single quotes).
    fn json(&mut self) -> Result<Value, SyntaxError> {
        let Some(token) = self.next() else {
            return Err(self.error("a value"));
        };
        match token.tok {
            Tok::Str(s) => Ok(Value::String(s)),
            Tok::Num(text) => number(&text)
                .map(Value::Number)
                .ok_or_else(|| SyntaxError::new(token.span, format!("invalid number `{text}`"))),
            Tok::Word(w) => match w.as_str() {
                "true" => Ok(Value::Bool(true)),
                "false" => Ok(Value::Bool(false)),
                "null" => Ok(Value::Null),
                // Unquoted words are accepted in filters (`@.key == FooBar`) and compared as
                // strings; definitions using them are deployed in the wild.
                _ => Ok(Value::String(w)),
            },
            Tok::LBracket => {
                let mut items = Vec::new();
                if self.peek() == Some(&Tok::RBracket) {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.json()?);
                    match self.peek() {
                        Some(Tok::Comma) => self.pos += 1,
                        Some(Tok::RBracket) => {
                            self.pos += 1;
                            return Ok(Value::Array(items));
                        }
                        _ => return Err(self.error("`,` or `]` in an array")),
                    }
                }
            }
            Tok::LBrace => {
                let mut map = Map::new();
                if self.peek() == Some(&Tok::RBrace) {
                    self.pos += 1;
                    return Ok(Value::Object(map));
                }
                loop {
                    let key = match self.peek().cloned() {
                        Some(Tok::Str(k)) => {
                            self.pos += 1;
                            k
                        }
                        _ => return Err(self.error("a quoted key in an object")),
                    };
                    self.expect(&Tok::Colon, "`:` after an object key")?;
                    let value = self.json()?;
                    map.insert(key, value);
                    match self.peek() {
                        Some(Tok::Comma) => self.pos += 1,
                        Some(Tok::RBrace) => {
                            self.pos += 1;
                            return Ok(Value::Object(map));
                        }
                        _ => return Err(self.error("`,` or `}` in an object")),
                    }
                }
            }
            other => Err(SyntaxError::new(
                token.span,
                format!("expected a value, found {}", describe(&other)),
            )),
        }
    }
}

fn number(text: &str) -> Option<Number> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Number::from(i));
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}

/// A token as named in messages.
fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Root => "`$`".into(),
        Tok::Context => "`$$`".into(),
        Tok::Var(name) => format!("`${name}`"),
        Tok::Current => "`@`".into(),
        Tok::Dot => "`.`".into(),
        Tok::DotDot => "`..`".into(),
        Tok::LBracket => "`[`".into(),
        Tok::RBracket => "`]`".into(),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::LBrace => "`{`".into(),
        Tok::RBrace => "`}`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Colon => "`:`".into(),
        Tok::Star => "`*`".into(),
        Tok::Question => "`?`".into(),
        Tok::Name(n) => format!("`{n}`"),
        Tok::Str(s) => format!("the string '{s}'"),
        Tok::Num(n) => format!("`{n}`"),
        Tok::Word(w) => format!("`{w}`"),
        Tok::Op(o) => format!("`{o}`"),
        Tok::And => "`&&`".into(),
        Tok::Or => "`||`".into(),
        Tok::Not => "`!`".into(),
        Tok::Regex { pattern, flags } => format!("`/{pattern}/{flags}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcut for simple paths builds exactly what the lexer and the parser build, and
    /// declines everything else.
    #[test]
    fn simple_paths_parse_as_the_parser_parses_them() {
        let simple = [
            "$",
            "$$",
            "$.a",
            "$.order-id.x_1",
            "$$.Execution.Id",
            "$$.Map.Item.Value",
            "$var",
            "$_v9.a.b",
            "$.0.1",
            "$.-",
            "$a.b-c",
            "$$.a",
        ];
        let other = [
            "",
            "$.",
            "$..a",
            "$.a.",
            "$.a[0]",
            "$.a(",
            "$.length()",
            "$$$",
            "$1",
            "$a-b",
            "$.*",
            "$.a b",
            "$.é",
            "$['a']",
            "$.a:b",
            "$ ",
            "x",
            "@.a",
            "$.a*",
            "$$x",
            "$.a..b",
        ];
        for s in simple {
            for offset in [0, 7] {
                assert_eq!(
                    simple_path(s, offset),
                    parse_tokens(s, offset).ok(),
                    "{s:?} at {offset}"
                );
            }
        }
        for s in other {
            assert_eq!(simple_path(s, 3), None, "{s:?}");
        }
    }
}
