//! YAML as the AWS toolchain reads it: the two places where libyaml (PyYAML, cfn-lint, SAM CLI)
//! and SnakeYAML (CloudFormation) accept a template that yaml-rust2 refuses.
//!
//! 1. A flow collection whose lines (often its closing bracket) sit at or left of its key's
//!    indentation:
//!    ```yaml
//!    Definition: {
//!      "StartAt": "A", …
//!    }
//!    ```
//! 2. A quoted scalar continued at (or left of) its key's indentation:
//!    ```yaml
//!    Comment: "a long
//!    comment"
//!    ```
//!
//! In both places the indentation of a continuation line carries no meaning (flow content and
//! quoted scalars ignore leading white space: it is folded away), so the loader repairs exactly
//! these errors by indenting the lines of that one collection or scalar further, parses again,
//! and maps every offset back to the text the user wrote ([`Padding`]). Every other error stays
//! an error, reported where yaml-rust2 found it. (The alternative, a second YAML parser ported
//! from libyaml, would replace a tested loader and add a dependency for these two cases.)

use std::collections::BTreeMap;

/// At most this many collections or scalars are re-indented in one file; past it the error stands.
pub const MAX_REPAIRS: usize = 256;

/// Spaces inserted at line starts of the original text: offset → count.
#[derive(Debug, Clone, Default)]
pub struct Padding {
    inserted: BTreeMap<usize, usize>,
}

impl Padding {
    pub fn is_empty(&self) -> bool {
        self.inserted.is_empty()
    }

    /// The original text with the spaces in.
    pub fn apply(&self, original: &str) -> String {
        let extra: usize = self.inserted.values().sum();
        let mut out = String::with_capacity(original.len() + extra);
        let mut from = 0;
        for (&at, &count) in &self.inserted {
            out.push_str(&original[from..at]);
            out.extend(std::iter::repeat_n(' ', count));
            from = at;
        }
        out.push_str(&original[from..]);
        out
    }

    /// An offset of the padded text → the same place in the original (inserted spaces map to
    /// the line start they were put at).
    pub fn to_original(&self, padded: usize) -> usize {
        let mut shift = 0;
        for (&at, &count) in &self.inserted {
            if padded < at + shift {
                break;
            }
            if padded < at + shift + count {
                return at;
            }
            shift += count;
        }
        padded - shift
    }

    /// Repairs the error at `error_offset` of `padded`, given the start of the outermost flow
    /// collection open there; `false` when it is not one of the two cases (or nothing changes).
    pub fn repair(&mut self, padded: &str, error_offset: usize, open_flow: Option<usize>) -> bool {
        let (start, end) = match open_flow {
            Some(start) => match flow_end(padded, start) {
                Some(end) => (start, end),
                None => return false,
            },
            None => match padded.as_bytes().get(error_offset) {
                Some(b'"' | b'\'') => match quoted_end(padded, error_offset) {
                    Some(end) => (error_offset, end),
                    None => return false,
                },
                _ => return false,
            },
        };
        let line_start = padded[..start].rfind('\n').map_or(0, |i| i + 1);
        let wanted = padded[line_start..start].chars().count() + 1;
        let mut lines = Vec::new();
        let mut at = start;
        while let Some(newline) = padded[at..end].find('\n') {
            let line = at + newline + 1;
            let rest = &padded[line..];
            let content = rest.find(|c: char| c != ' ' && c != '\t').unwrap_or(rest.len());
            let blank = rest[content..].starts_with(['\n', '\r']) || content == rest.len();
            let column = rest[..content].chars().count();
            if !blank && column < wanted {
                lines.push((line, wanted - column));
            }
            at = line;
        }
        // Offsets of `padded` are read through the padding as it was before this repair.
        let lines: Vec<(usize, usize)> = lines.into_iter().map(|(line, n)| (self.to_original(line), n)).collect();
        for &(at, count) in &lines {
            *self.inserted.entry(at).or_default() += count;
        }
        !lines.is_empty()
    }
}

/// The offset of the bracket closing the flow collection opened at `start`.
fn flow_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len() {
        let after_space = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r');
        let token_start = after_space || matches!(bytes[i - 1], b'[' | b'{' | b',' | b':');
        match bytes[i] {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            b'"' | b'\'' if token_start => i = quoted_end(text, i)?,
            b'#' if after_space => i += text[i..].find('\n').unwrap_or(text.len() - i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset of the quote closing the quoted scalar opened at `start`.
fn quoted_end(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 1,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            q if q == quote => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_maps_offsets_back() {
        let mut padding = Padding::default();
        padding.inserted.insert(4, 2);
        let text = "ab\ncd\nef";
        assert_eq!(padding.apply(text), "ab\nc  d\nef");
        assert_eq!(padding.to_original(3), 3);
        assert_eq!(padding.to_original(4), 4);
        assert_eq!(padding.to_original(5), 4);
        assert_eq!(padding.to_original(6), 4);
        assert_eq!(padding.to_original(7), 5);
    }

    #[test]
    fn finds_the_end_of_flow_collections_and_quoted_scalars() {
        let text = "a: {b: [1, \"]\"], c: 'it''s }', d: x#y} # }\n";
        assert_eq!(flow_end(text, 3), Some(37));
        assert_eq!(quoted_end(text, 11), Some(13));
        assert_eq!(quoted_end("'it''s'", 0), Some(6));
        assert_eq!(flow_end("a: {b: 1\n", 3), None);
    }
}
