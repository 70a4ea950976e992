//! The small pieces both aslkit and its JSONata engine stand on: character spans in expression
//! strings, the encodings and digests of `States.Hash` / `$hash` and friends, and the civil
//! calendar. Nothing here knows about state machines.

pub mod calendar;
pub mod codec;

use std::fmt;

/// A range of characters (Unicode scalar values) in an expression string, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The empty span at `at`, used for "expected … here" at the end of the input.
    pub fn point(at: usize) -> Span {
        Span { start: at, end: at }
    }

    /// This span moved right by `by` characters: for a sub-expression parsed on its own, such
    /// as a path argument inside an intrinsic call.
    pub fn shift(self, by: usize) -> Span {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// A string as a sequence of characters, so that positions are character offsets, never bytes.
pub struct Chars {
    chars: Vec<char>,
}

impl Chars {
    pub fn new(s: &str) -> Chars {
        Chars {
            chars: s.chars().collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.chars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }

    pub fn slice(&self, start: usize, end: usize) -> String {
        self.chars[start.min(self.len())..end.min(self.len())].iter().collect()
    }
}

/// How a character is shown in a message: `` `x` ``, or a name for invisible ones.
pub fn show_char(c: char) -> String {
    match c {
        ' ' => "a space".to_string(),
        '\t' => "a tab".to_string(),
        '\n' | '\r' => "a line break".to_string(),
        c if c.is_control() => format!("U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}
