//! A span-aware YAML loader with the same output as the JSON parser: a `serde_json::Value`,
//! a [`SpanIndex`] from JSON Pointer to byte ranges, and duplicate keys.
//!
//! Built on yaml-rust2's event parser. Plain scalars are typed with the YAML 1.2 core schema
//! (`true`, `null`, `12`, `1.5`; quoted scalars are always strings). CloudFormation short-form
//! tags become their long form (`!Ref X` → `{"Ref": "X"}`, `!GetAtt A.B` → `{"Fn::GetAtt":
//! ["A", "B"]}`, `!Sub s` → `{"Fn::Sub": s}`), so templates read the same as their JSON twins.
//! Aliases copy the anchored value; the copy's inner nodes are located at the alias. The
//! copies count towards [`MAX_NODES`], so an alias bomb (anchors of aliases of anchors, a few
//! hundred bytes expanding to billions of nodes) is a syntax error, not an exhausted machine.

use std::collections::HashMap;
use std::ops::Range;

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::json::{DuplicateKey, Parsed, SyntaxError, MAX_DEPTH};
use super::lines::LineIndex;
use super::spans::{NodeSpan, SpanIndex};
use super::yaml_lenient::{Padding, MAX_REPAIRS};
use crate::pointer::escape_token;

/// The most nodes a document may hold once its aliases are expanded: twice what the largest
/// definition AWS accepts (1 MiB) can spell out without aliases, and far below what exhausts
/// memory.
pub const MAX_NODES: usize = 1_000_000;

/// Parses the first YAML document of `text`, as libyaml would (see [`super::yaml_lenient`]).
pub fn parse(text: &str) -> Result<Parsed, SyntaxError> {
    let mut padding = Padding::default();
    let mut padded = std::borrow::Cow::Borrowed(text);
    let mut repairs = 0;
    loop {
        let mut loader = Loader::new(&padded);
        let error = match loader.document() {
            Ok(parsed) if padding.is_empty() => return Ok(parsed),
            Ok(parsed) => return Ok(restore(parsed, &padding)),
            Err(error) => error,
        };
        let open_flow = loader.flows.first().copied();
        let too_large = loader.nodes > MAX_NODES;
        if too_large || repairs == MAX_REPAIRS || !padding.repair(&padded, error.offset, open_flow) {
            return Err(SyntaxError {
                offset: padding.to_original(error.offset),
                ..error
            });
        }
        repairs += 1;
        padded = std::borrow::Cow::Owned(padding.apply(text));
    }
}

/// How many nodes a value holds (itself included).
fn node_count(value: &Value) -> usize {
    match value {
        Value::Array(items) => items.iter().fold(1, |n, v| n.saturating_add(node_count(v))),
        Value::Object(map) => map.values().fold(1, |n, v| n.saturating_add(node_count(v))),
        _ => 1,
    }
}

/// Offsets in the re-indented text → offsets in the text as written.
fn restore(mut parsed: Parsed, padding: &Padding) -> Parsed {
    let map = |r: &mut Range<usize>| *r = padding.to_original(r.start)..padding.to_original(r.end);
    parsed.spans.map_ranges(map);
    for d in &mut parsed.duplicates {
        map(&mut d.first);
        map(&mut d.second);
    }
    parsed
}

struct Loader<'a> {
    text: &'a str,
    lines: LineIndex,
    parser: Parser<std::str::Chars<'a>>,
    pointer: String,
    spans: SpanIndex,
    duplicates: Vec<DuplicateKey>,
    /// Anchored values, with how many nodes each holds.
    anchors: HashMap<usize, (Value, usize)>,
    /// Nodes read so far, aliases counted at their expanded size.
    nodes: usize,
    /// Offsets of the flow collections (`[`, `{`) open at this point, outermost first.
    flows: Vec<usize>,
}

impl<'a> Loader<'a> {
    fn new(text: &'a str) -> Loader<'a> {
        Loader {
            text,
            lines: LineIndex::new(text),
            parser: Parser::new_from_str(text),
            pointer: String::new(),
            spans: SpanIndex::default(),
            duplicates: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            flows: Vec::new(),
        }
    }

    /// Byte offset of a marker (yaml-rust2 counts characters; lines are 1-based, columns 0-based).
    fn offset(&self, mark: &Marker) -> usize {
        let Some(start) = self.lines.line_start(mark.line().saturating_sub(1)) else {
            return self.text.len();
        };
        let line = &self.text[start..];
        start + line.char_indices().nth(mark.col()).map_or(line.len(), |(i, _)| i)
    }

    fn next(&mut self) -> Result<(Event, usize), SyntaxError> {
        match self.parser.next_token() {
            Ok((event, mark)) => Ok((event, self.offset(&mark))),
            Err(e) => {
                let offset = self.offset(e.marker());
                Err(SyntaxError {
                    message: e.info().to_string(),
                    offset,
                })
            }
        }
    }

    fn document(&mut self) -> Result<Parsed, SyntaxError> {
        let mut value = None;
        loop {
            let (event, offset) = self.next()?;
            match event {
                Event::StreamStart | Event::DocumentStart | Event::DocumentEnd | Event::Nothing => {}
                Event::StreamEnd => break,
                other => {
                    if value.is_some() {
                        return Err(SyntaxError {
                            message: "more than one YAML document: a definition file holds exactly one".into(),
                            offset,
                        });
                    }
                    value = Some(self.node(other, offset, 0, None)?);
                }
            }
        }
        match value {
            Some(value) => Ok(Parsed {
                value,
                spans: std::mem::take(&mut self.spans),
                duplicates: std::mem::take(&mut self.duplicates),
            }),
            None => Err(SyntaxError {
                message: "the file is empty: expected a YAML mapping".into(),
                offset: 0,
            }),
        }
    }

    fn node(
        &mut self,
        event: Event,
        mut start: usize,
        depth: usize,
        key: Option<Range<usize>>,
    ) -> Result<Value, SyntaxError> {
        if depth > MAX_DEPTH {
            return Err(SyntaxError {
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
                offset: start,
            });
        }
        self.count(1, start)?;
        let (value, end) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                let end = self.scalar_end(start, style, &text);
                let value = match tag {
                    Some(tag) => self.tagged(tag, resolve_scalar(text, style), start..end),
                    None => resolve_scalar(text, style),
                };
                self.remember(anchor, &value);
                (value, end)
            }
            Event::SequenceStart(anchor, tag) => {
                let flow = self.enter(start);
                let mut items = Vec::new();
                let end = loop {
                    let (event, offset) = self.next()?;
                    if let Event::SequenceEnd = event {
                        break offset;
                    }
                    let parent = self.pointer.len();
                    self.pointer.push('/');
                    self.pointer.push_str(&items.len().to_string());
                    let item = self.node(event, offset, depth + 1, None)?;
                    self.pointer.truncate(parent);
                    items.push(item);
                };
                self.leave(flow);
                let value = Value::Array(items);
                let value = match tag {
                    Some(tag) => self.tagged(tag, value, start..end),
                    None => value,
                };
                self.remember(anchor, &value);
                (value, self.closing_end(end))
            }
            Event::MappingStart(anchor, tag) => {
                let flow = self.enter(start);
                let mut map = Map::new();
                let mut key_spans: HashMap<String, Range<usize>> = HashMap::new();
                let end = loop {
                    let (event, offset) = self.next()?;
                    let key = match event {
                        Event::MappingEnd => break offset,
                        Event::Scalar(text, style, _, _) => {
                            // A block mapping's start event is marked where its first key is
                            // recognised (at the `:`): the mapping starts at that key.
                            if key_spans.is_empty() && offset < start {
                                start = offset;
                            }
                            let key_range = offset..self.scalar_end(offset, style, &text);
                            (text, key_range)
                        }
                        _ => {
                            return Err(SyntaxError {
                                message: "mapping keys must be plain strings, not collections or aliases".into(),
                                offset,
                            })
                        }
                    };
                    let (name, key_range) = key;
                    let (event, offset) = self.next()?;
                    let parent = self.pointer.len();
                    self.pointer.push('/');
                    self.pointer.push_str(&escape_token(&name));
                    let value = self.node(event, offset, depth + 1, Some(key_range.clone()))?;
                    if let Some(first) = key_spans.insert(name.clone(), key_range.clone()) {
                        self.duplicates.push(DuplicateKey {
                            pointer: self.pointer.clone(),
                            first,
                            second: key_range,
                        });
                    }
                    self.pointer.truncate(parent);
                    map.shift_remove(&name);
                    map.insert(name, value);
                };
                self.leave(flow);
                let value = Value::Object(map);
                let value = match tag {
                    Some(tag) => self.tagged(tag, value, start..end),
                    None => value,
                };
                self.remember(anchor, &value);
                (value, self.closing_end(end))
            }
            Event::Alias(id) => {
                let (value, nodes) = self.anchors.get(&id).cloned().unwrap_or((Value::Null, 1));
                // The node itself was counted above.
                self.count(nodes.saturating_sub(1), start)?;
                let end = self.text[start..].find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}');
                (value, start + end.unwrap_or(self.text.len() - start))
            }
            _ => {
                return Err(SyntaxError {
                    message: "unexpected YAML structure".into(),
                    offset: start,
                })
            }
        };
        self.spans.insert(
            self.pointer.clone(),
            NodeSpan {
                key,
                value: start..end.max(start),
            },
        );
        Ok(value)
    }

    /// Notes a collection starting at `start`; whether it is a flow collection.
    fn enter(&mut self, start: usize) -> bool {
        let flow = matches!(self.text.as_bytes().get(start), Some(b'[' | b'{'));
        if flow {
            self.flows.push(start);
        }
        flow
    }

    fn leave(&mut self, flow: bool) {
        if flow {
            self.flows.pop();
        }
    }

    fn remember(&mut self, anchor: usize, value: &Value) {
        if anchor > 0 {
            self.anchors.insert(anchor, (value.clone(), node_count(value)));
        }
    }

    /// Counts `nodes` more nodes; past [`MAX_NODES`] the document is refused.
    fn count(&mut self, nodes: usize, offset: usize) -> Result<(), SyntaxError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(SyntaxError {
                message: format!(
                    "the document expands to more than {MAX_NODES} nodes through its aliases (an alias bomb?); aslkit reads no more"
                ),
                offset,
            });
        }
        Ok(())
    }

    /// A flow collection's end marker is on its closing bracket; include it. A block collection
    /// ends where the next token starts: trim the whitespace before it.
    fn closing_end(&self, end: usize) -> usize {
        match self.text.as_bytes().get(end) {
            Some(b']' | b'}') => end + 1,
            _ => {
                let before = &self.text[..end.min(self.text.len())];
                before.trim_end().len()
            }
        }
    }

    /// Where a scalar that starts at `start` ends in the text.
    fn scalar_end(&self, start: usize, style: TScalarStyle, value: &str) -> usize {
        let rest = &self.text[start.min(self.text.len())..];
        let line_end = rest.find('\n').unwrap_or(rest.len());
        match style {
            TScalarStyle::DoubleQuoted => {
                let mut escaped = false;
                for (i, c) in rest.char_indices().skip(1) {
                    match c {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => return start + i + 1,
                        _ => escaped = false,
                    }
                }
                start + rest.len()
            }
            TScalarStyle::SingleQuoted => {
                let bytes = rest.as_bytes();
                let mut i = 1;
                while i < bytes.len() {
                    if bytes[i] == b'\'' {
                        if bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        return start + i + 1;
                    }
                    i += 1;
                }
                start + rest.len()
            }
            TScalarStyle::Plain if rest.starts_with(value) => start + value.len(),
            _ => start + rest[..line_end].trim_end().len(),
        }
    }

    /// CloudFormation short-form tags → long form; other tags are ignored.
    fn tagged(&mut self, tag: Tag, value: Value, span: Range<usize>) -> Value {
        if tag.handle != "!" {
            return value;
        }
        let name = if tag.suffix == "Ref" || tag.suffix == "Condition" {
            tag.suffix.clone()
        } else {
            format!("Fn::{}", tag.suffix)
        };
        let inner = match (&*tag.suffix, value) {
            ("GetAtt", Value::String(s)) => match s.split_once('.') {
                Some((a, b)) => Value::Array(vec![Value::String(a.into()), Value::String(b.into())]),
                None => Value::String(s),
            },
            (_, v) => v,
        };
        // The inner value sits at pointer/<name>; give it the tagged node's span, and move the
        // spans of a tagged collection's items (`!Sub [text, vars]`) below it.
        let inner_pointer = crate::pointer::child(&self.pointer, &name);
        if inner.is_array() || inner.is_object() {
            self.spans.rebase(&self.pointer, &inner_pointer);
        }
        self.spans.insert(inner_pointer, NodeSpan { key: None, value: span });
        let mut map = Map::new();
        map.insert(name, inner);
        Value::Object(map)
    }
}

/// Types a scalar with the YAML 1.2 core schema; quoted and block scalars are strings.
fn resolve_scalar(text: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::String(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let t = text.as_str();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        let normalized = t.strip_prefix('+').unwrap_or(t);
        if let Ok(n) = normalized.parse::<Number>() {
            return Value::Number(n);
        }
    }
    if let Some(hex) = t.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Value::Number(n.into());
        }
    }
    if let Some(oct) = t.strip_prefix("0o") {
        if let Ok(n) = i64::from_str_radix(oct, 8) {
            return Value::Number(n.into());
        }
    }
    if is_float(digits) {
        if let Some(n) = t.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    Value::String(text)
}

/// `[0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?` or `\.[0-9]+…` (the core schema's float, finite only).
fn is_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((a, b)) => {
            (!a.is_empty() || !b.is_empty())
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|c| c.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn block_yaml_with_spans() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: \"B\"\n    Seconds: 10\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.value,
            json!({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B", "Seconds": 10}}})
        );
        let next = parsed.spans.get("/States/A/Next").unwrap();
        assert_eq!(&text[next.value.clone()], "\"B\"");
        assert_eq!(&text[next.key.clone().unwrap()], "Next");
        let ty = parsed.spans.get("/States/A/Type").unwrap();
        assert_eq!(&text[ty.value.clone()], "Pass");
    }

    #[test]
    fn block_mappings_start_at_their_first_key() {
        let text = "a:\n  - x: 1\n    y: 2\n";
        let parsed = parse(text).unwrap();
        let item = parsed.spans.get("/a/0").unwrap();
        assert_eq!(&text[item.value.clone()], "x: 1\n    y: 2");
    }

    #[test]
    fn core_schema_typing() {
        let parsed = parse("[1, -2, 1.5, true, null, ~, '1', x, 1e3, .5, 0x1F]").unwrap();
        assert_eq!(
            parsed.value,
            json!([1, -2, 1.5, true, null, null, "1", "x", 1000.0, 0.5, 31])
        );
    }

    #[test]
    fn cloudformation_tags() {
        let parsed = parse("a: !Ref Fn\nb: !GetAtt Fn.Arn\nc: !Sub 'x-${AWS::Region}'\n").unwrap();
        assert_eq!(
            parsed.value,
            json!({"a": {"Ref": "Fn"}, "b": {"Fn::GetAtt": ["Fn", "Arn"]}, "c": {"Fn::Sub": "x-${AWS::Region}"}})
        );
    }

    #[test]
    fn tagged_collections_keep_their_items_spans() {
        let text = "a: !Sub\n  - x${B}\n  - B: 1\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.value, json!({"a": {"Fn::Sub": ["x${B}", {"B": 1}]}}));
        let item = parsed.spans.get("/a/Fn::Sub/0").unwrap();
        assert_eq!(&text[item.value.clone()], "x${B}");
        assert!(parsed.spans.get("/a/0").is_none());
    }

    #[test]
    fn duplicates_and_errors() {
        let parsed = parse("a: 1\nb: 2\na: 3\n").unwrap();
        assert_eq!(parsed.duplicates.len(), 1);
        assert_eq!(parsed.value, json!({"b": 2, "a": 3}));
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.offset > 0, "{err:?}");
        assert!(parse("").is_err());
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
    }

    #[test]
    fn unicode_offsets_are_bytes() {
        let text = "Comment: \"é\"\nStartAt: Ä\n";
        let parsed = parse(text).unwrap();
        let span = parsed.spans.get("/StartAt").unwrap();
        assert_eq!(&text[span.value.clone()], "Ä");
    }

    /// Lines of a flow collection at or left of its key, as libyaml (and CloudFormation) accept.
    #[test]
    fn flow_collections_closed_at_or_left_of_their_key() {
        let text = "Top:\n  Definition: {\n    \"StartAt\": \"A\",\n  \"States\": [\n1,\n    2]\n}\n  After: x\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.value,
            json!({"Top": {"Definition": {"StartAt": "A", "States": [1, 2]}, "After": "x"}})
        );
        let at = |p: &str| &text[parsed.spans.get(p).unwrap().value.clone()];
        assert_eq!(at("/Top/Definition/StartAt"), "\"A\"");
        assert_eq!(at("/Top/Definition/States/0"), "1");
        assert_eq!(at("/Top/After"), "x");
        assert!(at("/Top/Definition").starts_with('{') && at("/Top/Definition").ends_with('}'));
    }

    #[test]
    fn quoted_scalars_continued_at_their_key() {
        let text = "A:\n  B:\n    Comment: \"a long\n    comment\"\n    C: 'one\n  two'\n    D: 1\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.value,
            json!({"A": {"B": {"Comment": "a long comment", "C": "one two", "D": 1}}})
        );
        let d = parsed.spans.get("/A/B/D").unwrap();
        assert_eq!(&text[d.key.clone().unwrap()], "D");
        assert_eq!(&text[parsed.spans.get("/A/B/C").unwrap().value.clone()], "'one\n  two'");
    }

    #[test]
    fn other_indentation_errors_stay_errors_at_their_place() {
        // An unclosed flow collection is not repaired; the error is in the text as written.
        let text = "a:\n  b: [1,\n2\nc: 3\n";
        let err = parse(text).unwrap_err();
        assert!(err.offset <= text.len(), "{err:?}");
        let text = "a:\n    b: 1\n  c: 2\n";
        assert!(parse(text).is_err());
    }

    #[test]
    fn anchors_and_aliases() {
        let parsed = parse("r: &retry {MaxAttempts: 2}\ns: *retry\n").unwrap();
        assert_eq!(parsed.value, json!({"r": {"MaxAttempts": 2}, "s": {"MaxAttempts": 2}}));
    }

    /// Issue 12: a few hundred bytes of anchors and aliases expand to 9^9 nodes.
    #[test]
    fn an_alias_bomb_is_refused_by_expanded_size() {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (level, previous) in ('b'..='i').zip('a'..='h') {
            let aliases = vec![format!("*{previous}"); 9].join(",");
            text.push_str(&format!("{level}: &{level} [{aliases}]\n"));
        }
        assert!(text.len() < 400);
        let started = std::time::Instant::now();
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{err:?}");
        assert!(started.elapsed().as_secs() < 10);
        // Aliases within the bound still read as copies.
        let parsed = parse("a: &a [1, 2]\nb: [*a, *a]\n").unwrap();
        assert_eq!(parsed.value, json!({"a": [1, 2], "b": [[1, 2], [1, 2]]}));
    }
}
