//! Byte offsets inside a decoded string → byte offsets in the text that wrote it.
//!
//! A definition embedded in a template (`DefinitionString`) is JSON text *inside* a string: a
//! JSON literal with `\"` escapes, or a YAML scalar (quoted, or a `|` block whose lines carry
//! indentation). To report a problem at the right line:column we parse the decoded string, then
//! carry every offset back through the string's encoding with an [`OffsetMap`].
//!
//! A map is a list of segments, contiguous in the decoded string: *verbatim* runs map byte for
//! byte; a *unit* segment (an escape such as `\n`, or a stand-in for a whole node) maps as one
//! piece, so any offset inside it lands on its start (or, for an end, on its end). Builders: a
//! JSON string literal is walked exactly ([`OffsetMap::json_literal`]); a YAML scalar is aligned
//! against its decoded value ([`OffsetMap::yaml_scalar`]), which only ever skips whitespace
//! (indentation, folded line breaks) and quote escapes, and gives up on anything else.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    /// Start in the decoded string.
    out: usize,
    out_len: usize,
    /// Start in the source text.
    src: usize,
    src_len: usize,
    verbatim: bool,
}

/// Decoded string offsets → source text offsets.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OffsetMap {
    segments: Vec<Segment>,
}

impl OffsetMap {
    /// A map that sends everything in a decoded string of `len` bytes to `src`: the fallback when
    /// a string's encoding cannot be followed (never precise, never wrong).
    pub fn whole(len: usize, src: Range<usize>) -> Self {
        let mut map = OffsetMap::default();
        map.push_unit(len, src);
        map
    }

    /// Length of the decoded string covered so far.
    pub fn len(&self) -> usize {
        self.segments.last().map_or(0, |s| s.out + s.out_len)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends `len` bytes copied as they are from `src`.
    pub fn push_verbatim(&mut self, src: usize, len: usize) {
        let out = self.len();
        if let Some(last) = self.segments.last_mut() {
            if last.verbatim && last.src + last.src_len == src {
                last.out_len += len;
                last.src_len += len;
                return;
            }
        }
        self.segments.push(Segment {
            out,
            out_len: len,
            src,
            src_len: len,
            verbatim: true,
        });
    }

    /// Appends `out_len` decoded bytes that stand, as one piece, for the source range `src`.
    pub fn push_unit(&mut self, out_len: usize, src: Range<usize>) {
        let out = self.len();
        self.segments.push(Segment {
            out,
            out_len,
            src: src.start,
            src_len: src.end.saturating_sub(src.start),
            verbatim: false,
        });
    }

    fn segment(&self, offset: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.out + s.out_len <= offset);
        self.segments.get(i)
    }

    /// Where the decoded byte at `offset` starts in the source (the end of the source for the
    /// end of the string).
    pub fn start(&self, offset: usize) -> Option<usize> {
        match self.segment(offset) {
            Some(s) if s.verbatim => Some(s.src + (offset - s.out)),
            Some(s) => Some(s.src),
            None => self.segments.last().map(|s| s.src + s.src_len),
        }
    }

    /// Where a decoded range ending (exclusively) at `offset` ends in the source.
    pub fn end(&self, offset: usize) -> Option<usize> {
        if offset == 0 {
            return self.start(0);
        }
        let s = self.segment(offset - 1).or(self.segments.last())?;
        Some(if s.verbatim {
            s.src + (offset - s.out).min(s.src_len)
        } else {
            s.src + s.src_len
        })
    }

    /// A decoded byte range → a source byte range.
    pub fn range(&self, range: Range<usize>) -> Option<Range<usize>> {
        let start = self.start(range.start)?;
        if range.end <= range.start {
            return Some(start..start);
        }
        let end = self.end(range.end)?;
        Some(start..end.max(start))
    }

    /// Walks the JSON string literal whose opening quote is at `literal_start`. `None` when there
    /// is no literal there.
    pub fn json_literal(text: &str, literal_start: usize) -> Option<OffsetMap> {
        let bytes = text.as_bytes();
        if bytes.get(literal_start) != Some(&b'"') {
            return None;
        }
        let mut map = OffsetMap::default();
        let mut pos = literal_start + 1;
        loop {
            match bytes.get(pos)? {
                b'"' => return Some(map),
                b'\\' => {
                    let (len, decoded) = match bytes.get(pos + 1)? {
                        b'u' => {
                            let hex = |at: usize| text.get(at..at + 4).and_then(|h| u32::from_str_radix(h, 16).ok());
                            let high = hex(pos + 2)?;
                            if (0xD800..0xDC00).contains(&high) && text.get(pos + 6..pos + 8) == Some("\\u") {
                                (12, 4)
                            } else {
                                (6, char::from_u32(high).map_or(3, char::len_utf8))
                            }
                        }
                        _ => (2, 1),
                    };
                    map.push_unit(decoded, pos..pos + len);
                    pos += len;
                }
                // A raw line break is not JSON: this is a multi-line YAML scalar.
                b if *b < 0x20 => return None,
                _ => {
                    let run = bytes[pos..]
                        .iter()
                        .position(|b| *b == b'"' || *b == b'\\' || *b < 0x20)
                        .unwrap_or(bytes.len() - pos);
                    map.push_verbatim(pos, run);
                    pos += run;
                }
            }
        }
    }

    /// Aligns a YAML scalar that starts at `start` (its first character, or its opening quote)
    /// with its decoded value. `None` when the two cannot be matched.
    pub fn yaml_scalar(text: &str, start: usize, decoded: &str) -> Option<OffsetMap> {
        let quoted = match text.as_bytes().get(start)? {
            b'"' => Some(Mode::Double),
            b'\'' => Some(Mode::Single),
            _ => None,
        };
        // A block scalar's content can start with a quote too: fall back to plain alignment.
        quoted
            .and_then(|mode| align(text, start + 1, decoded, mode))
            .or_else(|| align(text, start, decoded, Mode::Plain))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Plain and block scalars: the decoded text is the source minus indentation and folding.
    Plain,
    Single,
    Double,
}

fn align(text: &str, mut pos: usize, decoded: &str, mode: Mode) -> Option<OffsetMap> {
    let mut map = OffsetMap::default();
    for c in decoded.chars() {
        loop {
            let s = text.get(pos..)?.chars().next()?;
            if mode == Mode::Double && s == '\\' {
                let len = match text.get(pos + 1..)?.chars().next()? {
                    // An escaped line break joins lines and produces nothing.
                    '\n' | '\r' => {
                        pos += 1;
                        continue;
                    }
                    'x' => 4,
                    'u' => 6,
                    'U' => 10,
                    other => 1 + other.len_utf8(),
                };
                map.push_unit(c.len_utf8(), pos..pos + len);
                pos += len;
                break;
            }
            if s == c {
                map.push_verbatim(pos, s.len_utf8());
                pos += s.len_utf8();
                break;
            }
            // Indentation, folded line breaks, and the second quote of a '' escape.
            if matches!(s, ' ' | '\t' | '\n' | '\r') || (mode == Mode::Single && s == '\'') {
                pos += s.len_utf8();
                continue;
            }
            return None;
        }
    }
    Some(map)
}

/// A character range inside the string value written at `start` → a byte range in `text`,
/// for the string forms that can be followed without their decoded value: a JSON (or YAML)
/// double-quoted literal, a YAML single-quoted scalar, and the first line of a YAML plain or
/// block scalar.
pub fn string_chars_to_bytes(text: &str, start: usize, from: usize, to: usize) -> Option<Range<usize>> {
    match text.as_bytes().get(start)? {
        b'"' => string_char_range_to_bytes(text, start, from, to),
        b'\'' => {
            let mut pos = start + 1;
            let mut begin = None;
            for index in 0.. {
                if index == from {
                    begin = Some(pos);
                }
                if index == to {
                    return begin.map(|b| b..pos);
                }
                let c = text.get(pos..)?.chars().next()?;
                match c {
                    '\'' if text.as_bytes().get(pos + 1) == Some(&b'\'') => pos += 2,
                    '\'' | '\n' => return None,
                    c => pos += c.len_utf8(),
                }
            }
            None
        }
        _ => {
            let line = text.get(start..)?.split('\n').next()?;
            let mut offsets = line.char_indices().map(|(i, _)| start + i).chain([start + line.len()]);
            let begin = offsets.nth(from)?;
            let end = if to > from { offsets.nth(to - from - 1)? } else { begin };
            Some(begin..end)
        }
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

    fn decode_json(literal: &str) -> String {
        serde_json::from_str(literal).unwrap()
    }

    #[test]
    fn json_literal_maps_through_escapes() {
        let text = r#"x: "{\"A\": \"é\\n\"}""#;
        let start = 3;
        let map = OffsetMap::json_literal(text, start).unwrap();
        let decoded = decode_json(&text[start..]);
        assert_eq!(map.len(), decoded.len());
        // decoded: {"A": "é\n"} ; the key "A" (with quotes) is bytes 1..4
        let r = map.range(1..4).unwrap();
        assert_eq!(&text[r], r#"\"A\""#);
        let e = decoded.find('é').unwrap();
        assert_eq!(&text[map.range(e..e + 2).unwrap()], "é");
        assert_eq!(map.end(decoded.len()), Some(text.len() - 1));
    }

    #[test]
    fn json_literal_surrogates_are_one_unit() {
        let text = r#""\ud83d\ude00x""#;
        let map = OffsetMap::json_literal(text, 0).unwrap();
        assert_eq!(map.len(), 5);
        assert_eq!(&text[map.range(0..4).unwrap()], r"\ud83d\ude00");
        assert_eq!(&text[map.range(4..5).unwrap()], "x");
    }

    #[test]
    fn json_literal_refuses_raw_line_breaks() {
        assert!(OffsetMap::json_literal("\"a\n  b\"", 0).is_none());
    }

    #[test]
    fn yaml_block_scalar_skips_indentation() {
        let text = "k: |\n  {\"StartAt\": \"A\",\n    \"States\": {}}\n";
        let decoded = "{\"StartAt\": \"A\",\n  \"States\": {}}\n";
        let start = text.find('{').unwrap();
        let map = OffsetMap::yaml_scalar(text, start, decoded).unwrap();
        let at = decoded.find("\"States\"").unwrap();
        assert_eq!(&text[map.range(at..at + 8).unwrap()], "\"States\"");
    }

    #[test]
    fn yaml_quoted_scalars() {
        let text = r#"k: "{\"a\": 1}""#;
        let map = OffsetMap::yaml_scalar(text, 3, "{\"a\": 1}").unwrap();
        assert_eq!(&text[map.range(6..7).unwrap()], "1");
        let text = "k: '{\"a\": ''x''}'";
        let map = OffsetMap::yaml_scalar(text, 3, "{\"a\": 'x'}").unwrap();
        assert_eq!(&text[map.range(7..8).unwrap()], "x");
    }

    #[test]
    fn yaml_alignment_gives_up_rather_than_guess() {
        assert!(OffsetMap::yaml_scalar("k: abc", 3, "abd").is_none());
    }

    #[test]
    fn folded_scalar_lines_join_with_spaces() {
        let text = "k: >\n  {\"a\":\n  1}\n";
        let start = text.find('{').unwrap();
        let decoded = "{\"a\": 1}\n";
        let map = OffsetMap::yaml_scalar(text, start, decoded).unwrap();
        assert_eq!(&text[map.range(6..7).unwrap()], "1");
    }

    #[test]
    fn char_ranges_in_yaml_scalars() {
        let text = "k: 'it''s ${X}'";
        let r = string_chars_to_bytes(text, 3, 5, 9).unwrap();
        assert_eq!(&text[r], "${X}");
        let text = "k: arn:${X}:y\nz: 1";
        let r = string_chars_to_bytes(text, 3, 4, 8).unwrap();
        assert_eq!(&text[r], "${X}");
        assert!(string_chars_to_bytes(text, 3, 4, 40).is_none());
    }

    #[test]
    fn whole_map_sends_everything_to_the_node() {
        let map = OffsetMap::whole(10, 5..9);
        assert_eq!(map.range(2..3), Some(5..9));
    }
}
