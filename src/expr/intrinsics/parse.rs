//! Intrinsic-call parser: tokens → [`Call`].

use serde_json::Number;

use super::lex::{lex, Tok, Token};
use super::{Arg, ArgKind, Call, StringLiteral};
use crate::expr::{jsonpath, Span, SyntaxError};

pub(super) fn parse_call(s: &str) -> Result<Call, SyntaxError> {
    if s.starts_with(char::is_whitespace) {
        return Err(SyntaxError::new(
            Span::new(0, 1),
            "unexpected whitespace before the function name",
        ));
    }
    let tokens = lex(s)?;
    let mut p = Parser {
        tokens,
        pos: 0,
        end: s.chars().count(),
    };
    let call = p.call()?;
    if let Some(t) = p.tokens.get(p.pos) {
        return Err(SyntaxError::new(
            t.span,
            "unexpected text after the closing `)` of the call",
        ));
    }
    Ok(call)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
    end: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    fn here(&self) -> Span {
        self.peek().map(|t| t.span).unwrap_or(Span::point(self.end))
    }

    fn found(&self) -> String {
        match self.peek().map(|t| &t.tok) {
            None => "the end of the string".to_string(),
            Some(Tok::Ident(n)) => format!("`{n}`"),
            Some(Tok::LParen) => "`(`".to_string(),
            Some(Tok::RParen) => "`)`".to_string(),
            Some(Tok::Comma) => "`,`".to_string(),
            Some(Tok::Str(s)) => format!("'{s}'"),
            Some(Tok::Num(n)) => format!("`{n}`"),
            Some(Tok::Path(p)) => format!("`{p}`"),
        }
    }

    fn error(&self, expected: &str) -> SyntaxError {
        SyntaxError::new(self.here(), format!("expected {expected}, found {}", self.found()))
    }

    fn call(&mut self) -> Result<Call, SyntaxError> {
        let Some(Token {
            tok: Tok::Ident(name),
            span: name_span,
        }) = self.peek().cloned()
        else {
            return Err(self.error("an intrinsic function name such as `States.Format`"));
        };
        self.pos += 1;
        if self.peek().map(|t| &t.tok) != Some(&Tok::LParen) {
            return Err(self.error(&format!("`(` after `{name}`")));
        }
        self.pos += 1;
        let mut args = Vec::new();
        if self.peek().map(|t| &t.tok) == Some(&Tok::RParen) {
            self.pos += 1;
        } else {
            loop {
                args.push(self.arg()?);
                match self.peek().map(|t| &t.tok) {
                    Some(Tok::Comma) => self.pos += 1,
                    Some(Tok::RParen) => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.error("`,` or `)` after an argument")),
                }
            }
        }
        let end = self.tokens[self.pos - 1].span.end;
        Ok(Call {
            name,
            name_span,
            args,
            span: Span::new(name_span.start, end),
        })
    }

    fn arg(&mut self) -> Result<Arg, SyntaxError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.error("an argument"));
        };
        let kind = match token.tok {
            Tok::Str(raw) => ArgKind::String(StringLiteral { raw }),
            Tok::Num(text) => ArgKind::Number(
                number(&text).ok_or_else(|| SyntaxError::new(token.span, format!("invalid number `{text}`")))?,
            ),
            Tok::Path(text) => ArgKind::Path(jsonpath::parse_at(&text, token.span.start)?),
            Tok::Ident(name) => {
                let is_call = self.tokens.get(self.pos + 1).is_some_and(|t| t.tok == Tok::LParen);
                if is_call {
                    let call = self.call()?;
                    let span = call.span;
                    return Ok(Arg {
                        kind: ArgKind::Call(call),
                        span,
                    });
                }
                match name.as_str() {
                    "true" => ArgKind::Boolean(true),
                    "false" => ArgKind::Boolean(false),
                    "null" => ArgKind::Null,
                    _ => {
                        return Err(SyntaxError::new(
                            token.span,
                            format!(
                                "unexpected `{name}`: an argument is a 'string', a number, \
                                 true, false, null, a path or a call"
                            ),
                        ))
                    }
                }
            }
            _ => return Err(self.error("an argument")),
        };
        self.pos += 1;
        Ok(Arg { kind, span: token.span })
    }
}

fn number(text: &str) -> Option<Number> {
    if let Ok(i) = text.parse::<i64>() {
        return Some(Number::from(i));
    }
    text.parse::<f64>().ok().and_then(Number::from_f64)
}
