//! JSONPath lexer: characters → tokens with character spans.
//!
//! JSONPath is context-sensitive at the character level, so the lexer keeps a small stack of
//! modes, the way Jayway's compiler reads the same text:
//!
//! - *path* mode (outside any bracket): whitespace is an error, and a property name after `.`
//!   runs until `.`, `[` or `(` (so `$.order-id` and `$.a:b` are single names);
//! - *bracket* mode (inside `[…]`): whitespace is skipped; numbers, quoted names, `*`, `:`, `,`,
//!   `?` and JSON literals;
//! - *expression* mode (inside `(…)` of a filter `[?(…)]` or of a function call): operands,
//!   comparison and logical operators, regular expressions; a name after `.` also stops at an
//!   operator character, `)`, `]` or `,`, as the filter compiler of Jayway cuts paths there.

use crate::expr::{show_char, Chars, Span, SyntaxError};

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// `$`: the state input.
    Root,
    /// `$$`: the context object.
    Context,
    /// `$name`: a workflow variable.
    Var(String),
    /// `@`: the current node in a filter.
    Current,
    Dot,
    DotDot,
    LBracket,
    RBracket,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Star,
    Question,
    /// A property name in dot notation.
    Name(String),
    /// A quoted string, unescaped.
    Str(String),
    /// A number as written.
    Num(String),
    /// A bare word: `true`, `false`, `null`, `in`, `nin`, `size`, ….
    Word(String),
    /// A comparison operator made of symbols: `==`, `!=`, `<=`, `=~`, ….
    Op(String),
    And,
    Or,
    Not,
    /// `/pattern/flags`.
    Regex {
        pattern: String,
        flags: String,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Bracket,
    Expr,
}

/// Turns a path string into tokens.
pub(crate) fn lex(s: &str) -> Result<Vec<Token>, SyntaxError> {
    Lexer {
        src: Chars::new(s),
        pos: 0,
        modes: Vec::new(),
        out: Vec::new(),
    }
    .run()
}

struct Lexer {
    src: Chars,
    pos: usize,
    modes: Vec<Mode>,
    out: Vec<Token>,
}

impl Lexer {
    fn run(mut self) -> Result<Vec<Token>, SyntaxError> {
        while let Some(c) = self.src.get(self.pos) {
            let mode = self.modes.last().copied();
            if c.is_whitespace() {
                if mode.is_none() {
                    return Err(self.whitespace_error());
                }
                self.pos += 1;
                continue;
            }
            let start = self.pos;
            match c {
                '$' => self.dollar(),
                '@' => self.single(Tok::Current),
                '.' => self.dot()?,
                '[' => {
                    self.single(Tok::LBracket);
                    self.modes.push(Mode::Bracket);
                }
                ']' => {
                    if mode != Some(Mode::Bracket) {
                        return Err(self.unclosed(start, mode, "]"));
                    }
                    self.modes.pop();
                    self.single(Tok::RBracket);
                }
                '(' => {
                    self.single(Tok::LParen);
                    self.modes.push(Mode::Expr);
                }
                ')' => {
                    if mode != Some(Mode::Expr) {
                        return Err(self.unclosed(start, mode, ")"));
                    }
                    self.modes.pop();
                    self.single(Tok::RParen);
                }
                '*' => self.single(Tok::Star),
                _ if mode.is_none() => {
                    let mut e = self.unexpected(start);
                    e.message = if self.out.is_empty() {
                        format!("expected a path starting with `$`, found {}", show_char(c))
                    } else {
                        format!("{}: a path continues with `.`, `..` or `[`", e.message)
                    };
                    return Err(e);
                }
                '{' => self.single(Tok::LBrace),
                '}' => self.single(Tok::RBrace),
                ',' => self.single(Tok::Comma),
                ':' => self.single(Tok::Colon),
                '?' => self.single(Tok::Question),
                '\'' | '"' => self.string(c)?,
                '-' if mode == Some(Mode::Expr) && !self.src.get(self.pos + 1).is_some_and(|c| c.is_ascii_digit()) => {
                    self.single(Tok::Op("-".into()))
                }
                '-' | '0'..='9' => self.number()?,
                '/' if mode == Some(Mode::Expr) => self.regex()?,
                '&' if mode == Some(Mode::Expr) => self.pair('&', Tok::And)?,
                '|' if mode == Some(Mode::Expr) => self.pair('|', Tok::Or)?,
                '=' | '!' | '<' | '>' | '~' if mode == Some(Mode::Expr) => self.operator(),
                c if c.is_alphabetic() || c == '_' => self.word(),
                _ => return Err(self.unexpected(start)),
            }
        }
        Ok(self.out)
    }

    fn push(&mut self, tok: Tok, start: usize) {
        self.out.push(Token {
            tok,
            span: Span::new(start, self.pos),
        });
    }

    fn single(&mut self, tok: Tok) {
        let start = self.pos;
        self.pos += 1;
        self.push(tok, start);
    }

    fn unexpected(&self, at: usize) -> SyntaxError {
        let c = self.src.get(at).unwrap_or(' ');
        SyntaxError::new(Span::new(at, at + 1), format!("unexpected {}", show_char(c)))
    }

    /// A closing `]` or `)` that does not match what is open.
    fn unclosed(&self, at: usize, mode: Option<Mode>, found: &str) -> SyntaxError {
        let message = match mode {
            Some(Mode::Expr) => format!("unexpected `{found}`: expected `)` first"),
            Some(Mode::Bracket) => format!("unexpected `{found}`: expected `]` first"),
            None => format!("unexpected `{found}`: nothing to close"),
        };
        SyntaxError::new(Span::new(at, at + 1), message)
    }

    fn whitespace_error(&self) -> SyntaxError {
        SyntaxError::new(
            Span::new(self.pos, self.pos + 1),
            "whitespace is not allowed in a path; write a name containing spaces in brackets, as in $['my name']",
        )
    }

    /// `$`, `$$` or `$name`.
    fn dollar(&mut self) {
        let start = self.pos;
        self.pos += 1;
        match self.src.get(self.pos) {
            Some('$') => {
                self.pos += 1;
                self.push(Tok::Context, start);
            }
            Some(c) if c.is_alphabetic() || c == '_' => {
                let name = self.take_while(|c| c.is_alphanumeric() || c == '_');
                self.push(Tok::Var(name), start);
            }
            _ => self.push(Tok::Root, start),
        }
    }

    /// `.` or `..`, and the property name that follows, if any.
    fn dot(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        if self.src.get(self.pos + 1) == Some('.') {
            self.pos += 2;
            self.push(Tok::DotDot, start);
            if self.src.get(self.pos) == Some('.') {
                return Err(SyntaxError::new(
                    Span::new(self.pos, self.pos + 1),
                    "unexpected `.`: a path step is `.name` or `..name`",
                ));
            }
        } else {
            self.pos += 1;
            self.push(Tok::Dot, start);
        }
        if self.src.get(self.pos) == Some('*') {
            // `.*` is a wildcard; a `*` later in a name (`.a*b`) is part of it, as in Jayway.
            return Ok(());
        }
        let in_expression = !self.modes.is_empty();
        let name_start = self.pos;
        let name = self.take_while(|c| !ends_name(c, in_expression));
        if !name.is_empty() {
            self.push(Tok::Name(name), name_start);
        }
        Ok(())
    }

    fn take_while(&mut self, keep: impl Fn(char) -> bool) -> String {
        let start = self.pos;
        while self.src.get(self.pos).is_some_and(&keep) {
            self.pos += 1;
        }
        self.src.slice(start, self.pos)
    }

    fn string(&mut self, quote: char) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        loop {
            match self.src.get(self.pos) {
                None => {
                    return Err(SyntaxError::new(
                        Span::new(start, self.pos),
                        format!("unterminated string: expected a closing {quote}"),
                    ))
                }
                Some('\\') => {
                    let escaped = self.src.get(self.pos + 1).ok_or_else(|| {
                        SyntaxError::new(
                            Span::new(self.pos, self.pos + 1),
                            format!("unterminated string: expected a closing {quote}"),
                        )
                    })?;
                    // Recorded on AWS: `$['a\"b']` names the key `a\"b`; a backslash before
                    // the other kind of quote stays in the name.
                    if matches!(escaped, '"' | '\'') && escaped != quote {
                        value.push('\\');
                    }
                    value.push(unescape(escaped));
                    self.pos += 2;
                }
                Some(c) if c == quote => {
                    self.pos += 1;
                    break;
                }
                Some(c) => {
                    value.push(c);
                    self.pos += 1;
                }
            }
        }
        self.push(Tok::Str(value), start);
        Ok(())
    }

    fn number(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        if self.src.get(self.pos) == Some('-') {
            self.pos += 1;
        }
        let digits = self.take_while(|c| c.is_ascii_digit());
        if digits.is_empty() {
            return Err(SyntaxError::new(
                Span::new(start, self.pos),
                "expected a digit after `-`",
            ));
        }
        if self.src.get(self.pos) == Some('.') && self.src.get(self.pos + 1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            self.take_while(|c| c.is_ascii_digit());
        }
        if matches!(self.src.get(self.pos), Some('e' | 'E')) {
            let save = self.pos;
            self.pos += 1;
            if matches!(self.src.get(self.pos), Some('+' | '-')) {
                self.pos += 1;
            }
            if self.take_while(|c| c.is_ascii_digit()).is_empty() {
                self.pos = save;
            }
        }
        let text = self.src.slice(start, self.pos);
        self.push(Tok::Num(text), start);
        Ok(())
    }

    fn regex(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut pattern = String::new();
        loop {
            match self.src.get(self.pos) {
                None => {
                    return Err(SyntaxError::new(
                        Span::new(start, self.pos),
                        "unterminated regular expression: expected a closing `/`",
                    ))
                }
                Some('\\') => {
                    pattern.push('\\');
                    if let Some(c) = self.src.get(self.pos + 1) {
                        pattern.push(c);
                    }
                    self.pos += 2;
                }
                Some('/') => {
                    self.pos += 1;
                    break;
                }
                Some(c) => {
                    pattern.push(c);
                    self.pos += 1;
                }
            }
        }
        let flags = self.take_while(|c| c.is_ascii_alphabetic());
        self.push(Tok::Regex { pattern, flags }, start);
        Ok(())
    }

    fn pair(&mut self, c: char, tok: Tok) -> Result<(), SyntaxError> {
        let start = self.pos;
        if self.src.get(self.pos + 1) != Some(c) {
            return Err(SyntaxError::new(
                Span::new(start, start + 1),
                format!("unexpected `{c}`: did you mean `{c}{c}`?"),
            ));
        }
        self.pos += 2;
        self.push(tok, start);
        Ok(())
    }

    fn operator(&mut self) {
        let start = self.pos;
        let text = self.take_while(|c| matches!(c, '=' | '!' | '<' | '>' | '~'));
        if text == "!" {
            self.push(Tok::Not, start);
        } else if text.len() > 1 && text.starts_with('!') && !text.starts_with("!=") {
            // `!!x` and the like: a negation followed by more.
            self.pos = start + 1;
            self.push(Tok::Not, start);
        } else {
            self.push(Tok::Op(text), start);
        }
    }

    fn word(&mut self) {
        let start = self.pos;
        let word = self.take_while(|c| c.is_alphanumeric() || c == '_');
        self.push(Tok::Word(word), start);
    }
}

/// Whether `c` ends a property name written in dot notation.
fn ends_name(c: char, in_expression: bool) -> bool {
    match c {
        '.' | '[' | '(' => true,
        c if c.is_whitespace() => true,
        ')' | ']' | ',' | '<' | '>' | '=' | '~' | '!' | '&' | '|' => in_expression,
        _ => false,
    }
}

fn unescape(c: char) -> char {
    match c {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\u{8}',
        'f' => '\u{c}',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn names_in_dot_notation_run_to_the_next_step() {
        assert_eq!(
            toks("$.order-id.a:b"),
            [
                Tok::Root,
                Tok::Dot,
                Tok::Name("order-id".into()),
                Tok::Dot,
                Tok::Name("a:b".into())
            ]
        );
    }

    #[test]
    fn dollar_forms() {
        assert_eq!(toks("$$"), [Tok::Context]);
        assert_eq!(toks("$my_var"), [Tok::Var("my_var".into())]);
        assert_eq!(toks("$[0]")[0], Tok::Root);
    }

    #[test]
    fn filters_cut_names_at_operators() {
        assert_eq!(
            toks("$[?(@.price<10)]"),
            [
                Tok::Root,
                Tok::LBracket,
                Tok::Question,
                Tok::LParen,
                Tok::Current,
                Tok::Dot,
                Tok::Name("price".into()),
                Tok::Op("<".into()),
                Tok::Num("10".into()),
                Tok::RParen,
                Tok::RBracket
            ]
        );
    }

    #[test]
    fn spans_count_characters() {
        let t = lex("$.é.x").unwrap();
        assert_eq!(t[3].span, Span::new(3, 4));
    }

    #[test]
    fn whitespace_outside_brackets_is_an_error() {
        assert_eq!(lex("$.a b").unwrap_err().span, Span::new(3, 4));
        assert!(lex("$[ 0 ]").is_ok());
    }

    #[test]
    fn unterminated_string_points_at_its_quote() {
        assert_eq!(lex("$['abc").unwrap_err().span.start, 2);
    }
}
