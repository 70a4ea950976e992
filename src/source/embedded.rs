//! Definitions written as JSON text inside a template (`DefinitionString`).
//!
//! The text can be one string, an `Fn::Sub` of a string, or an `Fn::Join` of parts. We collect
//! its [`Piece`]s (template string nodes, and intrinsic functions CloudFormation fills in),
//! [`assemble`] them into the JSON text Step Functions would receive, and parse that. Offsets in
//! the assembled text are carried back to the template by [`EmbeddedSpans`], through each piece's
//! [`OffsetMap`], so every finding lands at a line:column of the file the user wrote.
//!
//! Values CloudFormation supplies are not known here, so the assembly puts in stand-ins that no
//! rule judges: inside a JSON string an intrinsic part becomes `${Fn::GetAtt}`-style text (rules
//! accept `${…}` placeholders); outside a string a `${Name}` placeholder (as in
//! `"TimeoutSeconds": ${Timeout}`) or an intrinsic part becomes a CloudFormation intrinsic
//! object, which the schema leaves to CloudFormation. A syntax error next to a stand-in is not
//! reported: only CloudFormation knows whether the filled-in text parses.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use serde_json::Value;

use super::offsets::{string_char_range_to_bytes, OffsetMap};
use super::spans::{EmbeddedStrings, NodeSpan, SpanIndex};
use crate::pointer::child;

/// One part of an embedded definition's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// A template string node, used as written. `sub` when it is the string of an `Fn::Sub`,
    /// whose `${Name}` placeholders CloudFormation resolves (and `${!Name}` writes `${Name}`).
    Literal { pointer: String, sub: bool },
    /// An intrinsic function whose value only CloudFormation knows.
    Intrinsic { pointer: String },
}

/// Collects the pieces of the text at `pointer`; `None` when it is not text we can follow
/// (a bare `Ref` to a parameter, a number, an `Fn::Join` of a list parameter…).
pub fn pieces(root: &Value, pointer: &str) -> Option<Vec<Piece>> {
    let mut out = Vec::new();
    collect(root, pointer, false, &mut out)?;
    out.iter().any(|p| matches!(p, Piece::Literal { .. })).then_some(out)
}

fn collect(root: &Value, pointer: &str, sub: bool, out: &mut Vec<Piece>) -> Option<()> {
    let child = |token: &str| child(pointer, token);
    match root.pointer(pointer)? {
        Value::String(_) => out.push(Piece::Literal {
            pointer: pointer.to_string(),
            sub,
        }),
        // A number or boolean joined into the text (`!Join ["", ['{"Seconds": ', 5, '}']]`):
        // CloudFormation writes it as its JSON text.
        Value::Number(_) | Value::Bool(_) => out.push(Piece::Literal {
            pointer: pointer.to_string(),
            sub: false,
        }),
        Value::Object(o) if o.len() == 1 => {
            let (name, arg) = o.iter().next()?;
            match (name.as_str(), arg) {
                ("Fn::Sub", Value::String(_)) => collect(root, &child("Fn::Sub"), true, out)?,
                ("Fn::Sub", Value::Array(a)) if a.first().is_some_and(Value::is_string) => {
                    collect(root, &format!("{}/0", child("Fn::Sub")), true, out)?
                }
                ("Fn::Join", Value::Array(a)) if a.len() == 2 => {
                    let Some(Value::Array(parts)) = a.get(1) else {
                        return None;
                    };
                    let delimiter = format!("{}/0", child("Fn::Join"));
                    let delimited = a.first()?.as_str().is_some_and(|d| !d.is_empty());
                    for i in 0..parts.len() {
                        if i > 0 && delimited {
                            out.push(Piece::Literal {
                                pointer: delimiter.clone(),
                                sub: false,
                            });
                        }
                        collect(root, &format!("{}/1/{i}", child("Fn::Join")), false, out)?;
                    }
                }
                (name, _) if name == "Ref" || name.starts_with("Fn::") => out.push(Piece::Intrinsic {
                    pointer: pointer.to_string(),
                }),
                _ => return None,
            }
        }
        _ => return None,
    }
    Some(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Provenance {
    /// Copied from a literal piece, starting at byte `from` of its decoded string.
    Copy { pointer: String, from: usize },
    /// A stand-in for bytes `within` of a literal piece (a `${Name}` outside a JSON string).
    Placeholder { pointer: String, within: Range<usize> },
    /// A stand-in for a whole intrinsic node.
    Intrinsic { pointer: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Chunk {
    out: Range<usize>,
    from: Provenance,
}

/// The JSON text of an embedded definition, with where each byte came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembled {
    pub text: String,
    chunks: Vec<Chunk>,
}

impl Assembled {
    /// Whether `offset` is inside, or right after, a stand-in for a value only CloudFormation
    /// knows.
    pub fn near_stand_in(&self, offset: usize) -> bool {
        self.chunks
            .iter()
            .any(|c| !matches!(c.from, Provenance::Copy { .. }) && c.out.start <= offset && offset <= c.out.end)
    }

    fn push(&mut self, text: &str, from: Provenance) {
        if text.is_empty() {
            return;
        }
        let start = self.text.len();
        self.text.push_str(text);
        self.chunks.push(Chunk {
            out: start..self.text.len(),
            from,
        });
    }
}

/// Where a JSON lexer is: enough to tell whether a byte is inside a string literal.
#[derive(Debug, Default, Clone, Copy)]
struct Lexer {
    in_string: bool,
    escaped: bool,
}

impl Lexer {
    fn feed(&mut self, b: u8) {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if b == b'\\' {
                self.escaped = true;
            } else if b == b'"' {
                self.in_string = false;
            }
        } else if b == b'"' {
            self.in_string = true;
        }
    }
}

/// Joins the pieces into the text Step Functions would receive (with stand-ins, see the module
/// docs).
pub fn assemble(root: &Value, pieces: &[Piece]) -> Assembled {
    let mut out = Assembled {
        text: String::new(),
        chunks: Vec::new(),
    };
    let mut lexer = Lexer::default();
    for piece in pieces {
        match piece {
            Piece::Literal { pointer, .. } => {
                let s: std::borrow::Cow<'_, str> = match root.pointer(pointer) {
                    Some(Value::String(s)) => s.into(),
                    Some(other @ (Value::Number(_) | Value::Bool(_))) => other.to_string().into(),
                    _ => "".into(),
                };
                let s = s.as_ref();
                let bytes = s.as_bytes();
                let (mut i, mut run) = (0, 0);
                while i < bytes.len() {
                    // Bytes, not `str` slices: `i` walks through multi-byte characters.
                    if !lexer.in_string && bytes[i..].starts_with(b"${") {
                        if let Some(close) = bytes[i..].iter().position(|b| *b == b'}') {
                            let placeholder = &s[i..i + close + 1];
                            let stand_in = crate::unknown::stand_in(placeholder).to_string();
                            let copy = Provenance::Copy {
                                pointer: pointer.clone(),
                                from: run,
                            };
                            out.push(&s[run..i], copy);
                            out.push(
                                &stand_in,
                                Provenance::Placeholder {
                                    pointer: pointer.clone(),
                                    within: i..i + close + 1,
                                },
                            );
                            i += close + 1;
                            run = i;
                            continue;
                        }
                    }
                    lexer.feed(bytes[i]);
                    i += 1;
                }
                out.push(
                    &s[run..],
                    Provenance::Copy {
                        pointer: pointer.clone(),
                        from: run,
                    },
                );
            }
            Piece::Intrinsic { pointer } => {
                let node = root.pointer(pointer).cloned().unwrap_or(Value::Null);
                let stand_in = if lexer.in_string {
                    let name = node
                        .as_object()
                        .and_then(|o| o.keys().next())
                        .cloned()
                        .unwrap_or_default();
                    format!("${{{}}}", name.replace(['"', '\\', '}'], ""))
                } else {
                    node.to_string()
                };
                out.push(
                    &stand_in,
                    Provenance::Intrinsic {
                        pointer: pointer.clone(),
                    },
                );
            }
        }
    }
    out
}

/// An embedded definition located in the template: offsets in its assembled text (and inside
/// its pieces) → offsets in the template text.
#[derive(Debug, Clone)]
pub struct EmbeddedSpans {
    /// Pointer of the definition (e.g. `/Resources/X/Properties/DefinitionString`).
    pub prefix: String,
    assembled: Assembled,
    /// Spans of the parsed definition, by pointer *inside* it, in assembled-text offsets.
    inner: SpanIndex,
    /// Each literal piece's decoded string and its map into the template.
    pieces: HashMap<String, (String, OffsetMap)>,
    /// Template byte ranges of intrinsic nodes that stand in the text.
    nodes: HashMap<String, Range<usize>>,
}

impl EmbeddedSpans {
    /// Locates `assembled` (the definition at `prefix`) in the template (`text`, `root`, `spans`).
    pub fn new(text: &str, root: &Value, spans: &SpanIndex, prefix: &str, assembled: Assembled) -> Self {
        let mut pieces = HashMap::new();
        let mut nodes = HashMap::new();
        for chunk in &assembled.chunks {
            match &chunk.from {
                Provenance::Copy { pointer, .. } | Provenance::Placeholder { pointer, .. } => {
                    if pieces.contains_key(pointer) {
                        continue;
                    }
                    let decoded = root.pointer(pointer).and_then(Value::as_str).unwrap_or_default();
                    let Some(span) = spans.get(pointer) else {
                        continue;
                    };
                    let map = OffsetMap::json_literal(text, span.value.start)
                        .filter(|m| m.len() == decoded.len())
                        .or_else(|| OffsetMap::yaml_scalar(text, span.value.start, decoded))
                        .unwrap_or_else(|| OffsetMap::whole(decoded.len(), span.value.clone()));
                    pieces.insert(pointer.clone(), (decoded.to_string(), map));
                }
                Provenance::Intrinsic { pointer } => {
                    if let Some(span) = spans.get(pointer) {
                        nodes.insert(pointer.clone(), span.value.clone());
                    }
                }
            }
        }
        let inner = super::json::parse(&assembled.text).map(|p| p.spans).unwrap_or_default();
        EmbeddedSpans {
            prefix: prefix.to_string(),
            assembled,
            inner,
            pieces,
            nodes,
        }
    }

    fn chunk(&self, offset: usize) -> Option<&Chunk> {
        let chunks = &self.assembled.chunks;
        let i = chunks.partition_point(|c| c.out.end <= offset);
        chunks.get(i).or(chunks.last())
    }

    /// A byte range of the assembled text → a byte range of the template.
    pub fn map_range(&self, range: Range<usize>) -> Option<Range<usize>> {
        let start = self.map_offset(range.start, false)?;
        let end = if range.end > range.start {
            self.map_offset(range.end, true)?
        } else {
            start
        };
        Some(start..end.max(start))
    }

    fn map_offset(&self, offset: usize, is_end: bool) -> Option<usize> {
        let at = if is_end { offset.saturating_sub(1) } else { offset };
        let chunk = self.chunk(at)?;
        match &chunk.from {
            Provenance::Copy { pointer, from } => {
                let (_, map) = self.pieces.get(pointer)?;
                let inside = from + offset.saturating_sub(chunk.out.start);
                if is_end {
                    map.end(inside)
                } else {
                    map.start(inside)
                }
            }
            Provenance::Placeholder { pointer, within } => {
                let range = self.pieces.get(pointer)?.1.range(within.clone())?;
                Some(if is_end { range.end } else { range.start })
            }
            Provenance::Intrinsic { pointer } => {
                let range = self.nodes.get(pointer)?;
                Some(if is_end { range.end } else { range.start })
            }
        }
    }

    /// Every node of the definition with its template span, by pointer from the template root.
    pub fn located_nodes(&self) -> Vec<(String, NodeSpan)> {
        self.inner
            .iter()
            .filter_map(|(pointer, span)| {
                let value = self.map_range(span.value.clone())?;
                let key = span.key.clone().and_then(|k| self.map_range(k));
                Some((format!("{}{pointer}", self.prefix), NodeSpan { key, value }))
            })
            .collect()
    }

    /// Indexes this definition's nodes in the template's span index.
    pub fn index_into(self, spans: &mut SpanIndex) {
        let nodes = self.located_nodes();
        let prefix = self.prefix.clone();
        spans.add_embedded(&prefix, nodes, Arc::new(self));
    }
}

impl EmbeddedStrings for EmbeddedSpans {
    /// Characters `from..to` of the string at `pointer` (a node of the definition, or one of its
    /// template pieces) → template bytes.
    fn string_range(&self, pointer: &str, from: usize, to: usize) -> Option<Range<usize>> {
        if let Some((decoded, map)) = self.pieces.get(pointer) {
            let bytes = char_range_to_bytes(decoded, from, to)?;
            return map.range(bytes);
        }
        let inner = pointer
            .strip_prefix(&self.prefix)
            .filter(|rest| rest.is_empty() || rest.starts_with('/'))?;
        let span = self.inner.get(inner)?;
        let bytes = string_char_range_to_bytes(&self.assembled.text, span.value.start, from, to)?;
        self.map_range(bytes)
    }
}

fn char_range_to_bytes(s: &str, from: usize, to: usize) -> Option<Range<usize>> {
    let mut offsets = s.char_indices().map(|(i, _)| i).chain([s.len()]);
    let start = offsets.nth(from)?;
    let end = if to > from { offsets.nth(to - from - 1)? } else { start };
    Some(start..end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pieces_of_sub_and_join() {
        let root = json!({"a": {"Fn::Sub": "x"}, "b": {"Fn::Join": ["", ["x", {"Ref": "R"}, "y"]]}, "c": {"Ref": "P"}});
        assert_eq!(
            pieces(&root, "/a"),
            Some(vec![Piece::Literal {
                pointer: "/a/Fn::Sub".into(),
                sub: true
            }])
        );
        assert_eq!(pieces(&root, "/b").map(|p| p.len()), Some(3));
        assert_eq!(pieces(&root, "/c"), None);
    }

    #[test]
    fn placeholders_outside_strings_become_intrinsics() {
        let root = json!({"s": "{\"T\": ${Timeout}, \"R\": \"${Arn}\"}"});
        let assembled = assemble(&root, &pieces(&root, "/s").unwrap());
        assert_eq!(
            assembled.text,
            "{\"T\": {\"Fn::Sub\":\"${Timeout}\"}, \"R\": \"${Arn}\"}"
        );
        assert!(assembled.near_stand_in(7));
        assert!(!assembled.near_stand_in(1));
    }

    #[test]
    fn multi_byte_characters_around_placeholders() {
        let root = json!({"s": "{\"é\": ${A}, \"ü\": \"${B}\"}"});
        let assembled = assemble(&root, &pieces(&root, "/s").unwrap());
        assert_eq!(assembled.text, "{\"é\": {\"Fn::Sub\":\"${A}\"}, \"ü\": \"${B}\"}");
    }

    #[test]
    fn intrinsic_parts_inside_and_outside_strings() {
        let root = json!({"j": {"Fn::Join": ["", ["{\"R\": \"", {"Fn::GetAtt": ["F", "Arn"]}, "\", \"N\": ", {"Ref": "N"}, "}"]]}});
        let assembled = assemble(&root, &pieces(&root, "/j").unwrap());
        assert_eq!(assembled.text, "{\"R\": \"${Fn::GetAtt}\", \"N\": {\"Ref\":\"N\"}}");
    }

    #[test]
    fn maps_back_through_a_json_literal() {
        let text = r#"{"s": "{\"A\": 1}"}"#;
        let parsed = super::super::json::parse(text).unwrap();
        let assembled = assemble(&parsed.value, &pieces(&parsed.value, "/s").unwrap());
        let located = EmbeddedSpans::new(text, &parsed.value, &parsed.spans, "/s", assembled);
        let nodes: HashMap<_, _> = located.located_nodes().into_iter().collect();
        let a = &nodes["/s/A"];
        assert_eq!(&text[a.value.clone()], "1");
        assert_eq!(&text[a.key.clone().unwrap()], r#"\"A\""#);
    }
}
