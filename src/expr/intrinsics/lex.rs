//! Intrinsic-call lexer: characters → tokens with character spans.
//!
//! Tokens are function names (`States.Format`, dots included), `(`, `)`, `,`, single-quoted
//! strings, numbers, bare words (`true`, `false`, `null`) and path arguments. A path argument
//! starts at `$` and runs to the first `,`, `)` or whitespace that is not inside its own
//! brackets or parentheses, so `$.a[?(@.b, 1)]` and `$.items.length()` stay whole; the
//! JSONPath parser then reads it.

use crate::expr::{show_char, Chars, Span, SyntaxError};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A dotted name: `States.Format`, `true`, `null`.
    Ident(String),
    LParen,
    RParen,
    Comma,
    /// A string literal: its text between the quotes, still escaped.
    Str(String),
    Num(String),
    /// A path argument, as written.
    Path(String),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

pub(crate) fn lex(s: &str) -> Result<Vec<Token>, SyntaxError> {
    let src = Chars::new(s);
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(c) = src.get(pos) {
        let start = pos;
        let tok = match c {
            c if c.is_whitespace() => {
                pos += 1;
                continue;
            }
            '(' => {
                pos += 1;
                Tok::LParen
            }
            ')' => {
                pos += 1;
                Tok::RParen
            }
            ',' => {
                pos += 1;
                Tok::Comma
            }
            '\'' => {
                pos += 1;
                loop {
                    match src.get(pos) {
                        None => {
                            return Err(SyntaxError::new(
                                Span::new(start, pos),
                                "unterminated string: expected a closing `'`",
                            ))
                        }
                        Some('\\') => pos += 2,
                        Some('\'') => break,
                        Some(_) => pos += 1,
                    }
                }
                pos += 1;
                Tok::Str(src.slice(start + 1, pos - 1))
            }
            '-' | '0'..='9' => {
                pos = number_end(&src, pos)
                    .ok_or_else(|| SyntaxError::new(Span::new(start, start + 1), "expected a digit after `-`"))?;
                Tok::Num(src.slice(start, pos))
            }
            '$' => {
                pos = path_end(&src, pos);
                Tok::Path(src.slice(start, pos))
            }
            c if c.is_alphabetic() || c == '_' => {
                while src
                    .get(pos)
                    .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
                {
                    pos += 1;
                }
                Tok::Ident(src.slice(start, pos))
            }
            '"' => {
                return Err(SyntaxError::new(
                    Span::new(start, start + 1),
                    "unexpected `\"`: string arguments are written in single quotes, as in 'text'",
                ))
            }
            c => {
                return Err(SyntaxError::new(
                    Span::new(start, start + 1),
                    format!("unexpected {}", show_char(c)),
                ))
            }
        };
        out.push(Token {
            tok,
            span: Span::new(start, pos),
        });
    }
    Ok(out)
}

/// The end of the number starting at `pos`, or `None` for a lone `-`.
fn number_end(src: &Chars, mut pos: usize) -> Option<usize> {
    if src.get(pos) == Some('-') {
        pos += 1;
    }
    let digits_start = pos;
    while src.get(pos).is_some_and(|c| c.is_ascii_digit()) {
        pos += 1;
    }
    if pos == digits_start {
        return None;
    }
    if src.get(pos) == Some('.') && src.get(pos + 1).is_some_and(|c| c.is_ascii_digit()) {
        pos += 1;
        while src.get(pos).is_some_and(|c| c.is_ascii_digit()) {
            pos += 1;
        }
    }
    if matches!(src.get(pos), Some('e' | 'E')) {
        let mut p = pos + 1;
        if matches!(src.get(p), Some('+' | '-')) {
            p += 1;
        }
        let exp_start = p;
        while src.get(p).is_some_and(|c| c.is_ascii_digit()) {
            p += 1;
        }
        if p > exp_start {
            pos = p;
        }
    }
    Some(pos)
}

/// The end of the path argument starting at `pos`.
fn path_end(src: &Chars, mut pos: usize) -> usize {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    while let Some(c) = src.get(pos) {
        if let Some(q) = quote {
            if c == '\\' {
                pos += 1;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                '[' | '(' => depth += 1,
                ']' | ')' if depth > 0 => depth -= 1,
                '\'' | '"' if depth > 0 => quote = Some(c),
                ',' | ')' if depth == 0 => break,
                c if c.is_whitespace() && depth == 0 => break,
                _ => {}
            }
        }
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn paths_keep_their_brackets_and_calls() {
        assert_eq!(
            toks("States.A($.a[?(@.b, 1)], $.c.length())"),
            [
                Tok::Ident("States.A".into()),
                Tok::LParen,
                Tok::Path("$.a[?(@.b, 1)]".into()),
                Tok::Comma,
                Tok::Path("$.c.length()".into()),
                Tok::RParen
            ]
        );
    }

    #[test]
    fn strings_stay_escaped() {
        assert_eq!(toks(r"'it\'s {}'"), [Tok::Str(r"it\'s {}".into())]);
    }

    #[test]
    fn numbers() {
        assert_eq!(
            toks("-1 2.5 3e2"),
            [Tok::Num("-1".into()), Tok::Num("2.5".into()), Tok::Num("3e2".into())]
        );
    }

    #[test]
    fn double_quotes_are_explained() {
        let e = lex("States.Format(\"x\")").unwrap_err();
        assert_eq!(e.span, Span::new(14, 15));
        assert!(e.message.contains("single quotes"));
    }
}
