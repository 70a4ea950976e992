//! A span-aware JSON parser.
//!
//! `serde_json` forgets where things were and silently keeps the last of two duplicate keys, so
//! we parse ourselves: the result is the same `serde_json::Value` (object key order preserved)
//! plus a [`SpanIndex`] from each node's JSON Pointer to the byte ranges of its key and value, and
//! the list of duplicate keys. Nesting is limited to [`MAX_DEPTH`] so that hostile input cannot
//! overflow the stack; every error carries the byte offset where parsing stopped.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::embedded::EmbeddedSpans;
use crate::pointer::escape_token;

/// Deepest nesting of arrays and objects accepted (serde_json's own limit is 128).
pub const MAX_DEPTH: usize = 512;

/// Byte ranges of one node in the source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeSpan {
    /// The member key including its quotes (`None` for the root and array elements).
    pub key: Option<Range<usize>>,
    /// The value, from its first to one past its last byte.
    pub value: Range<usize>,
}

/// JSON Pointer → where that node is in the text.
///
/// Definitions embedded as text in a template (`DefinitionString`) are indexed too: their nodes
/// under the pointer of the text node followed by the pointer inside the definition
/// (`/Resources/X/Properties/DefinitionString/States/A/Next`), with spans in the template text.
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    nodes: HashMap<String, NodeSpan>,
    embedded: Vec<EmbeddedSpans>,
}

impl SpanIndex {
    pub fn get(&self, pointer: &str) -> Option<&NodeSpan> {
        self.nodes.get(pointer)
    }
    pub fn iter(&self) -> impl Iterator<Item = (&String, &NodeSpan)> {
        self.nodes.iter()
    }

    /// Moves every node below `from` (not `from` itself) to the same place below `to`.
    pub fn rebase(&mut self, from: &str, to: &str) {
        let below = format!("{from}/");
        let moved: Vec<String> = self.nodes.keys().filter(|k| k.starts_with(&below)).cloned().collect();
        for key in moved {
            if let Some(span) = self.nodes.remove(&key) {
                self.nodes.insert(format!("{to}{}", &key[from.len()..]), span);
            }
        }
    }

    /// Indexes an embedded definition's nodes. Its root keeps the template's key (the
    /// `DefinitionString` member) and takes the span of the JSON object inside the text.
    pub fn add_embedded(&mut self, embedded: EmbeddedSpans) {
        for (pointer, mut span) in embedded.located_nodes() {
            if pointer == embedded.prefix {
                span.key = self.nodes.get(&pointer).and_then(|s| s.key.clone());
            }
            self.nodes.insert(pointer, span);
        }
        self.embedded.push(embedded);
    }

    /// Characters `from..to` of the decoded string at `pointer` → bytes of `text`: through the
    /// string's escapes, and through the template string an embedded definition was written in.
    pub fn string_range(&self, text: &str, pointer: &str, from: usize, to: usize) -> Option<Range<usize>> {
        if let Some(range) = self.embedded.iter().find_map(|e| e.string_range(pointer, from, to)) {
            return Some(range);
        }
        let span = self.nodes.get(pointer)?;
        super::offsets::string_chars_to_bytes(text, span.value.start, from, to)
    }
    /// Applies `map` to every key and value range (offsets into another version of the text).
    pub fn map_ranges(&mut self, mut map: impl FnMut(&mut Range<usize>)) {
        for span in self.nodes.values_mut() {
            if let Some(key) = &mut span.key {
                map(key);
            }
            map(&mut span.value);
        }
    }
    pub fn insert(&mut self, pointer: String, span: NodeSpan) {
        self.nodes.insert(pointer, span);
    }
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }
}

/// A key that appears twice in one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// Pointer of the member (the parent object's pointer plus the key).
    pub pointer: String,
    /// The earlier occurrence's key range.
    pub first: Range<usize>,
    /// The later occurrence's key range (the one whose value is kept, as JSON parsers do).
    pub second: Range<usize>,
}

/// Why the text is not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    /// Byte offset where parsing stopped.
    pub offset: usize,
}

/// The parse of one JSON text.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub value: Value,
    pub spans: SpanIndex,
    pub duplicates: Vec<DuplicateKey>,
}

/// Parses `text` as one JSON value with spans. `text` must not start with a BOM.
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    parse_with(text, true)
}

/// Parses without building the span index: the fast path for the common case of a file with
/// nothing to report. Duplicate keys are still found, but without pointers; when there are any,
/// parse again with [`parse`] to locate them.
pub fn parse_without_spans(text: &str) -> Result<Parsed, SyntaxError> {
    parse_with(text, false)
}

fn parse_with(text: &str, record: bool) -> Result<Parsed, SyntaxError> {
    let mut parser = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        record,
        pointer: String::new(),
        spans: SpanIndex::default(),
        duplicates: Vec::new(),
        key_ranges: Vec::new(),
    };
    parser.skip_ws();
    if parser.pos >= parser.src.len() {
        return Err(parser.error("the file is empty: expected a JSON object"));
    }
    let value = parser.value(0, None)?;
    parser.skip_ws();
    if parser.pos < parser.src.len() {
        return Err(parser.error("unexpected text after the end of the JSON value"));
    }
    Ok(Parsed {
        value,
        spans: parser.spans,
        duplicates: parser.duplicates,
    })
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Whether to build pointers and the span index.
    record: bool,
    pointer: String,
    spans: SpanIndex,
    duplicates: Vec<DuplicateKey>,
    /// Key ranges of the objects being parsed, innermost last (one stack for all of them).
    key_ranges: Vec<Range<usize>>,
}

impl Parser<'_> {
    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            message: message.into(),
            offset: self.pos.min(self.src.len()),
        }
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        match self.text.get(self.pos..).and_then(|rest| rest.chars().next()) {
            None => self.error(format!("unexpected end of file: expected {expected}")),
            Some(c) => {
                let shown = if c.is_control() {
                    format!("{:?}", c)
                } else {
                    format!("`{c}`")
                };
                self.error(format!("unexpected {shown}: expected {expected}"))
            }
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b) = self.src.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                _ => break,
            }
        }
    }

    fn value(&mut self, depth: usize, key: Option<Range<usize>>) -> Result<Value, SyntaxError> {
        self.skip_ws();
        let start = self.pos;
        let value = match self.src.get(self.pos) {
            None => return Err(self.unexpected("a value")),
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => Value::String(self.string()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.unexpected("a value")),
        };
        if self.record {
            self.spans.insert(
                self.pointer.clone(),
                NodeSpan {
                    key,
                    value: start..self.pos,
                },
            );
        }
        Ok(value)
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.src[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn enter(&self, depth: usize) -> Result<(), SyntaxError> {
        if depth > MAX_DEPTH {
            Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")))
        } else {
            Ok(())
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.enter(depth)?;
        self.pos += 1; // `{`
        let mut map = Map::new();
        // Key ranges in the map's order (from `keys_from` on the shared stack), to report the
        // first of two duplicate keys.
        let keys_from = self.key_ranges.len();
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(map));
        }
        let result = self.members(depth, &mut map, keys_from);
        self.key_ranges.truncate(keys_from);
        result.map(|()| Value::Object(map))
    }

    fn members(&mut self, depth: usize, map: &mut Map<String, Value>, keys_from: usize) -> Result<(), SyntaxError> {
        loop {
            self.skip_ws();
            if self.src.get(self.pos) != Some(&b'"') {
                return Err(self.unexpected("a string key in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_range = key_start..self.pos;
            self.skip_ws();
            if self.src.get(self.pos) != Some(&b':') {
                return Err(self.unexpected("`:` after the key"));
            }
            self.pos += 1;
            let parent_len = self.pointer.len();
            if self.record {
                self.pointer.push('/');
                self.pointer.push_str(&escape_token(&key));
            }
            let value = self.value(depth, Some(key_range.clone()))?;
            // One hash of the key: it is new (almost always), or a duplicate.
            let duplicate = match map.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                    None
                }
                Entry::Occupied(slot) => Some((slot.key().clone(), value)),
            };
            if let Some((key, value)) = duplicate {
                // Rare: like serde_json, the last duplicate wins; the others keep their order.
                let index = map.keys().position(|k| *k == key).unwrap_or(0);
                let first = self.key_ranges.remove(keys_from + index);
                map.shift_remove(&key);
                self.duplicates.push(DuplicateKey {
                    pointer: self.pointer.clone(),
                    first,
                    second: key_range.clone(),
                });
                map.insert(key, value);
            }
            self.pointer.truncate(parent_len);
            self.key_ranges.push(key_range);
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.enter(depth)?;
        self.pos += 1; // `[`
        let mut items = Vec::new();
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            let parent_len = self.pointer.len();
            if self.record {
                self.pointer.push('/');
                self.pointer.push_str(&items.len().to_string());
            }
            let value = self.value(depth, None)?;
            self.pointer.truncate(parent_len);
            items.push(value);
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        if self.src.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        match self.src.get(self.pos) {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        if self.src.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if !matches!(self.src.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.src.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.src.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.src.get(self.pos), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        let literal = &self.text[start..self.pos];
        match literal.parse::<Number>() {
            Ok(n) => Ok(Value::Number(n)),
            Err(_) => {
                self.pos = start;
                Err(self.error(format!("number `{literal}` is out of range")))
            }
        }
    }

    fn digits(&mut self) {
        while matches!(self.src.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// Parses a string literal at `self.pos` (which is on the opening quote).
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.src.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(&self.text[run_start..self.pos]);
            match self.src.get(self.pos) {
                None => return Err(self.error("unterminated string: expected a closing `\"`")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return Err(self.error("control character in a string: write it as an escape such as `\\n`")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, SyntaxError> {
        let c = match self.src.get(self.pos) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let high = self.hex4()?;
                if (0xD800..0xDC00).contains(&high) {
                    if self.src.get(self.pos) == Some(&b'\\') && self.src.get(self.pos + 1) == Some(&b'u') {
                        self.pos += 2;
                        let low = self.hex4()?;
                        if (0xDC00..0xE000).contains(&low) {
                            let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                            return char::from_u32(code).ok_or_else(|| self.error("invalid unicode escape"));
                        }
                    }
                    return Err(self.error("unpaired surrogate in a `\\u` escape"));
                }
                return char::from_u32(high).ok_or_else(|| self.error("unpaired surrogate in a `\\u` escape"));
            }
            _ => return Err(self.error("invalid escape: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX")),
        };
        self.pos += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let digits = self
            .src
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("incomplete `\\u` escape"))?;
        let mut code = 0u32;
        for &d in digits {
            let v = (d as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid hex digit in a `\\u` escape"))?;
            code = code * 16 + v;
        }
        self.pos += 4;
        Ok(code)
    }
}

/// Maps a character range of the *decoded* string value whose literal starts at byte
/// `literal_start` (the opening quote) to a byte range in `text`. Used to point inside strings,
/// e.g. at the place a JSONPath fails to parse, even when the string contains escapes.
pub fn string_char_range_to_bytes(text: &str, literal_start: usize, start: usize, end: usize) -> Option<Range<usize>> {
    let bytes = text.as_bytes();
    if bytes.get(literal_start) != Some(&b'"') {
        return None;
    }
    let mut pos = literal_start + 1;
    let mut index = 0usize;
    let mut begin = None;
    loop {
        if index == start && begin.is_none() {
            begin = Some(pos);
        }
        if index == end {
            return begin.map(|b| b..pos.max(b));
        }
        match bytes.get(pos) {
            None | Some(b'"') => return begin.map(|b| b..pos),
            Some(b'\\') => {
                pos += match bytes.get(pos + 1) {
                    Some(b'u') => {
                        // A surrogate pair is one character spread over two escapes.
                        let hex = text.get(pos + 2..pos + 6).and_then(|h| u32::from_str_radix(h, 16).ok());
                        if matches!(hex, Some(h) if (0xD800..0xDC00).contains(&h)) {
                            12
                        } else {
                            6
                        }
                    }
                    _ => 2,
                };
            }
            Some(_) => {
                let c = text[pos..].chars().next()?;
                pos += c.len_utf8();
            }
        }
        index += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_key_and_value_spans() {
        let text = r#"{"a": {"b/c": [1, "x"]}}"#;
        let parsed = parse(text).unwrap();
        let span = parsed.spans.get("/a/b~1c/1").unwrap();
        assert_eq!(&text[span.value.clone()], "\"x\"");
        let span = parsed.spans.get("/a/b~1c").unwrap();
        assert_eq!(&text[span.key.clone().unwrap()], "\"b/c\"");
        assert_eq!(parsed.spans.get("").unwrap().value, 0..text.len());
    }

    #[test]
    fn keeps_last_duplicate_and_reports_it() {
        let parsed = parse(r#"{"a": 1, "b": 2, "a": 3}"#).unwrap();
        assert_eq!(parsed.value, serde_json::json!({"b": 2, "a": 3}));
        assert_eq!(parsed.duplicates.len(), 1);
        assert_eq!(parsed.duplicates[0].pointer, "/a");
        assert_eq!(parsed.duplicates[0].first, 1..4);
    }

    #[test]
    fn decodes_escapes_and_surrogates() {
        let parsed = parse(r#"["\u00e9\ud83d\ude00\n\"\/"]"#).unwrap();
        assert_eq!(parsed.value, serde_json::json!(["é😀\n\"/"]));
    }

    #[test]
    fn errors_carry_offsets() {
        assert_eq!(parse("{\"a\": }").unwrap_err().offset, 6);
        assert_eq!(
            parse("").unwrap_err().message,
            "the file is empty: expected a JSON object"
        );
        assert!(parse("[1,]").is_err());
        assert!(parse("{\"a\":1} x").unwrap_err().message.contains("after the end"));
        assert!(parse("\"\\ud800\"").is_err());
        assert!(parse("01").is_err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(parse(&text).unwrap_err().message.contains("nesting deeper"));
    }

    #[test]
    fn numbers_match_serde_json() {
        let parsed = parse("[1, -2, 1.5, 1e3, 18446744073709551616]").unwrap();
        let expected: Value = serde_json::from_str("[1, -2, 1.5, 1e3, 18446744073709551616]").unwrap();
        assert_eq!(parsed.value, expected);
    }

    #[test]
    fn fast_parse_has_no_spans_but_finds_duplicates() {
        let text = r#"{"a": {"b": 1, "b": 2}}"#;
        let fast = parse_without_spans(text).unwrap();
        assert!(fast.spans.is_empty());
        assert_eq!(fast.duplicates.len(), 1);
        assert_eq!(fast.value, parse(text).unwrap().value);
    }

    #[test]
    fn maps_string_chars_to_bytes() {
        let text = r#"{"k": "a\nb$"}"#;
        // decoded: a, \n, b, $ ; char 3 is `$`
        let r = string_char_range_to_bytes(text, 6, 3, 4).unwrap();
        assert_eq!(&text[r], "$");
        let r = string_char_range_to_bytes(text, 6, 1, 2).unwrap();
        assert_eq!(&text[r], "\\n");
    }
}
