//! JSONata lexer: characters → tokens with character spans.
//!
//! The lexer is pulled one token at a time by the parser, because JSONata's `/` is ambiguous:
//! where an operand is expected it opens a regular expression (`/ab+c/i`), elsewhere it divides.
//! The parser says which with the `regex` flag of [`Lexer::next`], exactly where jsonata-js's
//! parser says so; the lexer itself knows nothing about the grammar.
//!
//! Positions count characters (Unicode scalar values), never bytes or UTF-16 units. Whitespace is
//! ` \t\n\r` and vertical tab; a name runs until whitespace or an operator character, so `a'b`
//! and `a$b` are single names, as in jsonata-js.

use super::error::JsonataError;
use aslkit_base::{Chars, Span};

/// Operator and punctuation tokens (including the keywords `and`, `or`, `in`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Op {
    Dot,
    DotDot,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    At,
    Hash,
    Semicolon,
    Colon,
    Question,
    Plus,
    Minus,
    Star,
    StarStar,
    Slash,
    Percent,
    Pipe,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Caret,
    Assign,
    Chain,
    Amp,
    And,
    Or,
    In,
    /// `!` not followed by `=`: a character that ends names but is no operator.
    Bang,
    /// `~` not followed by `>`: likewise.
    Tilde,
}

impl Op {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Op::Dot => ".",
            Op::DotDot => "..",
            Op::LBracket => "[",
            Op::RBracket => "]",
            Op::LBrace => "{",
            Op::RBrace => "}",
            Op::LParen => "(",
            Op::RParen => ")",
            Op::Comma => ",",
            Op::At => "@",
            Op::Hash => "#",
            Op::Semicolon => ";",
            Op::Colon => ":",
            Op::Question => "?",
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Star => "*",
            Op::StarStar => "**",
            Op::Slash => "/",
            Op::Percent => "%",
            Op::Pipe => "|",
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Caret => "^",
            Op::Assign => ":=",
            Op::Chain => "~>",
            Op::Amp => "&",
            Op::And => "and",
            Op::Or => "or",
            Op::In => "in",
            Op::Bang => "!",
            Op::Tilde => "~",
        }
    }

    /// The single-character operators, which also end a name.
    fn single(c: char) -> Option<Op> {
        Some(match c {
            '.' => Op::Dot,
            '[' => Op::LBracket,
            ']' => Op::RBracket,
            '{' => Op::LBrace,
            '}' => Op::RBrace,
            '(' => Op::LParen,
            ')' => Op::RParen,
            ',' => Op::Comma,
            '@' => Op::At,
            '#' => Op::Hash,
            ';' => Op::Semicolon,
            ':' => Op::Colon,
            '?' => Op::Question,
            '+' => Op::Plus,
            '-' => Op::Minus,
            '*' => Op::Star,
            '/' => Op::Slash,
            '%' => Op::Percent,
            '|' => Op::Pipe,
            '=' => Op::Eq,
            '<' => Op::Lt,
            '>' => Op::Gt,
            '^' => Op::Caret,
            '&' => Op::Amp,
            '!' => Op::Bang,
            '~' => Op::Tilde,
            _ => return None,
        })
    }

    /// The two-character operators, looked for before single characters.
    fn double(a: char, b: char) -> Option<Op> {
        Some(match (a, b) {
            ('.', '.') => Op::DotDot,
            (':', '=') => Op::Assign,
            ('!', '=') => Op::Ne,
            ('>', '=') => Op::Ge,
            ('<', '=') => Op::Le,
            ('*', '*') => Op::StarStar,
            ('~', '>') => Op::Chain,
            _ => return None,
        })
    }
}

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    Op(Op),
    /// A field name, bare or in backquotes.
    Name(String),
    /// `$name` (the name without `$`; `$` alone is the empty name, `$$` is `"$"`).
    Variable(String),
    /// A string literal, unescaped.
    Str(String),
    Num(f64),
    True,
    False,
    Null,
    Regex {
        pattern: String,
        flags: String,
    },
    /// The end of the input.
    End,
}

impl Tok {
    /// The token as jsonata-js would name it in a message (`value` of its token).
    pub(crate) fn text(&self) -> String {
        match self {
            Tok::Op(op) => op.as_str().to_string(),
            Tok::Name(s) | Tok::Variable(s) | Tok::Str(s) => s.clone(),
            Tok::Num(n) => format_number(*n),
            Tok::True => "true".to_string(),
            Tok::False => "false".to_string(),
            Tok::Null => "null".to_string(),
            Tok::Regex { pattern, flags } => format!("/{pattern}/{flags}"),
            Tok::End => "(end)".to_string(),
        }
    }

    /// The token as shown to a user: `` `)` ``, `` `$x` ``, `"text"`, or "the end of the expression".
    pub(crate) fn describe(&self) -> String {
        match self {
            Tok::Variable(s) => format!("`${s}`"),
            Tok::Str(s) => format!("{s:?}"),
            Tok::End => "the end of the expression".to_string(),
            other => format!("`{}`", other.text()),
        }
    }
}

/// A number written the way JavaScript prints it, for the few places a message shows one.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub tok: Tok,
    pub span: Span,
}

/// Pull lexer over one expression.
pub(crate) struct Lexer {
    src: Chars,
    pos: usize,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}')
}

impl Lexer {
    pub(crate) fn new(s: &str) -> Lexer {
        Lexer {
            src: Chars::new(s),
            pos: 0,
        }
    }

    /// Length of the input in characters.
    pub(crate) fn len(&self) -> usize {
        self.src.len()
    }

    fn at(&self, i: usize) -> Option<char> {
        self.src.get(i)
    }

    fn token(&self, tok: Tok, start: usize) -> Token {
        Token {
            tok,
            span: Span::new(start, self.pos),
        }
    }

    /// The next token. `regex` says whether a `/` here opens a regular expression (an operand is
    /// expected) or is the division operator.
    pub(crate) fn next(&mut self, regex: bool) -> Result<Token, JsonataError> {
        loop {
            while self.at(self.pos).is_some_and(is_space) {
                self.pos += 1;
            }
            if self.at(self.pos) == Some('/') && self.at(self.pos + 1) == Some('*') {
                self.skip_comment()?;
                continue;
            }
            break;
        }
        let start = self.pos;
        let Some(c) = self.at(start) else {
            return Ok(self.token(Tok::End, start));
        };
        if regex && c == '/' {
            self.pos += 1;
            return self.regex(start);
        }
        if let Some(op) = self.at(start + 1).and_then(|d| Op::double(c, d)) {
            self.pos += 2;
            return Ok(self.token(Tok::Op(op), start));
        }
        if let Some(op) = Op::single(c) {
            self.pos += 1;
            return Ok(self.token(Tok::Op(op), start));
        }
        if c == '"' || c == '\'' {
            return self.string(c);
        }
        if c.is_ascii_digit() {
            return self.number();
        }
        if c == '`' {
            return self.quoted_name();
        }
        Ok(self.name())
    }

    fn skip_comment(&mut self) -> Result<(), JsonataError> {
        let start = self.pos;
        self.pos += 2;
        loop {
            match (self.at(self.pos), self.at(self.pos + 1)) {
                (Some('*'), Some('/')) => {
                    self.pos += 2;
                    return Ok(());
                }
                (Some(_), _) => self.pos += 1,
                (None, _) => {
                    return Err(JsonataError::new(
                        "S0106",
                        Span::new(start, start + 2),
                        "comment has no closing `*/`",
                    ))
                }
            }
        }
    }

    /// After the opening `/`: the pattern runs to the next `/` that is neither escaped nor inside
    /// `(…)`, `[…]` or `{…}`; the flags `i` and `m` may follow.
    fn regex(&mut self, start: usize) -> Result<Token, JsonataError> {
        let body = self.pos;
        let mut depth: i64 = 0;
        while let Some(c) = self.at(self.pos) {
            let escaped = self.pos > 0 && self.at(self.pos - 1) == Some('\\');
            if c == '/' && depth == 0 && self.preceding_backslashes(self.pos) % 2 == 0 {
                let pattern = self.src.slice(body, self.pos);
                if pattern.is_empty() {
                    return Err(JsonataError::new(
                        "S0301",
                        Span::new(start, self.pos + 1),
                        "empty regular expressions are not allowed",
                    ));
                }
                self.pos += 1;
                let flags_start = self.pos;
                while matches!(self.at(self.pos), Some('i' | 'm')) {
                    self.pos += 1;
                }
                let flags = self.src.slice(flags_start, self.pos);
                return Ok(self.token(Tok::Regex { pattern, flags }, start));
            }
            if matches!(c, '(' | '[' | '{') && !escaped {
                depth += 1;
            }
            if matches!(c, ')' | ']' | '}') && !escaped {
                depth -= 1;
            }
            self.pos += 1;
        }
        Err(JsonataError::new(
            "S0302",
            Span::new(start, self.pos),
            "regular expression has no closing `/`",
        ))
    }

    fn preceding_backslashes(&self, at: usize) -> usize {
        (0..at).rev().take_while(|&i| self.at(i) == Some('\\')).count()
    }

    fn string(&mut self, quote: char) -> Result<Token, JsonataError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        // A `\uD83D` waiting for its low surrogate, as JavaScript strings hold UTF-16.
        let mut high: Option<u32> = None;
        while let Some(c) = self.at(self.pos) {
            if c == '\\' {
                let escape_at = self.pos;
                self.pos += 1;
                let e = self.at(self.pos);
                let simple = match e {
                    Some('"') => Some('"'),
                    Some('\\') => Some('\\'),
                    Some('/') => Some('/'),
                    Some('b') => Some('\u{8}'),
                    Some('f') => Some('\u{c}'),
                    Some('n') => Some('\n'),
                    Some('r') => Some('\r'),
                    Some('t') => Some('\t'),
                    _ => None,
                };
                if let Some(ch) = simple {
                    flush_surrogate(&mut out, &mut high);
                    out.push(ch);
                } else if e == Some('u') {
                    let hex = self.src.slice(self.pos + 1, self.pos + 5);
                    if hex.is_empty() || !hex.chars().all(|h| h.is_ascii_hexdigit()) {
                        return Err(JsonataError::new(
                            "S0104",
                            Span::new(escape_at, (self.pos + 5).min(self.len())),
                            "the escape sequence `\\u` must be followed by 4 hexadecimal digits",
                        ));
                    }
                    let unit = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
                    push_utf16(&mut out, &mut high, unit);
                    self.pos += 4;
                } else {
                    let shown = e.map_or_else(String::new, String::from);
                    return Err(JsonataError::new(
                        "S0103",
                        Span::new(escape_at, (self.pos + 1).min(self.len())),
                        format!("unsupported escape sequence `\\{shown}` in a string literal"),
                    )
                    .with_token(shown));
                }
            } else if c == quote {
                flush_surrogate(&mut out, &mut high);
                self.pos += 1;
                return Ok(self.token(Tok::Str(out), start));
            } else {
                flush_surrogate(&mut out, &mut high);
                out.push(c);
            }
            self.pos += 1;
        }
        self.pos = self.pos.min(self.len());
        Err(JsonataError::new(
            "S0101",
            Span::new(start, self.len()),
            format!("string literal has no closing `{quote}`"),
        ))
    }

    /// `0|[1-9][0-9]*` then an optional fraction and exponent, as jsonata-js's number pattern.
    fn number(&mut self) -> Result<Token, JsonataError> {
        let start = self.pos;
        let digits = |lexer: &Lexer, mut i: usize| {
            while lexer.at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            i
        };
        let mut end = if self.at(start) == Some('0') {
            start + 1
        } else {
            digits(self, start)
        };
        if self.at(end) == Some('.') && self.at(end + 1).is_some_and(|c| c.is_ascii_digit()) {
            end = digits(self, end + 1);
        }
        if matches!(self.at(end), Some('e' | 'E')) {
            let mut i = end + 1;
            if matches!(self.at(i), Some('+' | '-')) {
                i += 1;
            }
            if self.at(i).is_some_and(|c| c.is_ascii_digit()) {
                end = digits(self, i);
            }
        }
        let text = self.src.slice(start, end);
        match text.parse::<f64>() {
            Ok(n) if n.is_finite() => {
                self.pos = end;
                Ok(self.token(Tok::Num(n), start))
            }
            _ => Err(
                JsonataError::new("S0102", Span::new(start, end), format!("number out of range: `{text}`"))
                    .with_token(text),
            ),
        }
    }

    fn quoted_name(&mut self) -> Result<Token, JsonataError> {
        let start = self.pos;
        let body = start + 1;
        match (body..self.len()).find(|&i| self.at(i) == Some('`')) {
            Some(end) => {
                let name = self.src.slice(body, end);
                self.pos = end + 1;
                Ok(self.token(Tok::Name(name), start))
            }
            None => {
                self.pos = self.len();
                Err(JsonataError::new(
                    "S0105",
                    Span::new(start, self.len()),
                    "quoted name has no closing backquote (`` ` ``)",
                ))
            }
        }
    }

    /// A name, a `$variable`, or one of the words `and or in true false null`.
    fn name(&mut self) -> Token {
        let start = self.pos;
        let mut end = start;
        while let Some(c) = self.at(end) {
            if is_space(c) || Op::single(c).is_some() {
                break;
            }
            end += 1;
        }
        self.pos = end;
        let text = self.src.slice(start, end);
        if let Some(var) = text.strip_prefix('$') {
            return self.token(Tok::Variable(var.to_string()), start);
        }
        let tok = match text.as_str() {
            "and" => Tok::Op(Op::And),
            "or" => Tok::Op(Op::Or),
            "in" => Tok::Op(Op::In),
            "true" => Tok::True,
            "false" => Tok::False,
            "null" => Tok::Null,
            "" => Tok::End,
            _ => Tok::Name(text),
        };
        self.token(tok, start)
    }
}

/// Appends one UTF-16 code unit from a `\uXXXX` escape, pairing surrogates.
fn push_utf16(out: &mut String, high: &mut Option<u32>, unit: u32) {
    if (0xDC00..0xE000).contains(&unit) {
        if let Some(h) = high.take() {
            let c = 0x10000 + ((h - 0xD800) << 10) + (unit - 0xDC00);
            out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
            return;
        }
        out.push('\u{FFFD}');
        return;
    }
    flush_surrogate(out, high);
    if (0xD800..0xDC00).contains(&unit) {
        *high = Some(unit);
    } else {
        out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
    }
}

/// A high surrogate with no low one after it cannot live in a Rust string: it becomes U+FFFD.
fn flush_surrogate(out: &mut String, high: &mut Option<u32>) {
    if high.take().is_some() {
        out.push('\u{FFFD}');
    }
}
