//! A span-aware JSON parser.
//!
//! `serde_json` forgets where things were and silently keeps the last of two duplicate keys, so
//! we parse ourselves: the result is the same `serde_json::Value` (object key order preserved)
//! plus a [`SpanIndex`] from each node's JSON Pointer to the byte ranges of its key and value, and
//! the list of duplicate keys. Nesting is limited to [`MAX_DEPTH`] so that hostile input cannot
//! overflow the stack; every error carries the byte offset where parsing stopped.
//!
//! Loading is a large share of checking a clean file, so the common cases are fast: members
//! and items collect on one stack and each object or array is allocated once at its size;
//! indentation and plain string characters are skipped eight bytes at a time; a string without
//! escapes is one allocation; an integer that fits is read without `Number`'s parser. A large
//! text is parsed by two threads when a core is free ([`parse_split`]): the second one from a
//! member near the middle to the end, the first one up to there, taking over what the second
//! one built only where it arrives at that member as at a member.

use std::borrow::Cow;
use std::ops::Range;

use serde_json::map::Entry;
use serde_json::{Map, Number, Value};

use super::spans::{NodeSpan, SpanIndex};
use crate::pointer::escape_token;

/// Deepest nesting of arrays and objects accepted (serde_json's own limit is 128).
pub const MAX_DEPTH: usize = 512;

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

/// The span index alone, for a text that parsed before: no value is built (about half the
/// work of [`parse`]), and duplicate keys are not looked for.
pub fn spans(text: &str) -> Result<SpanIndex, SyntaxError> {
    let mut parser = Parser::new(text, true, false);
    // Every member has a key, so the quotes count the nodes closely (array items of other
    // types aside): the map is allocated once instead of rehashing every pointer as it grows.
    parser.spans = SpanIndex::with_capacity(memchr::memchr_iter(b'"', text.as_bytes()).count() / 2 + 1);
    parser.document()?;
    Ok(parser.spans)
}

fn parse_with(text: &str, record: bool) -> Result<Parsed, SyntaxError> {
    if !record && text.len() >= SPLIT_BYTES {
        if let Some(split) = split_point(text).filter(|_| crate::spare_core()) {
            return parse_split(text, split);
        }
    }
    let mut parser = Parser::new(text, record, true);
    let value = parser.document()?;
    Ok(parser.into_parsed(value))
}

impl Parser<'_> {
    fn into_parsed(mut self, value: Value) -> Parsed {
        // In the order they are complete: a member's own duplicates before it.
        self.duplicates.sort_by_key(|(end, _)| *end);
        Parsed {
            value,
            spans: self.spans,
            duplicates: self.duplicates.into_iter().map(|(_, d)| d).collect(),
        }
    }
}

/// From this size of text on, the parse without spans is shared by two threads when a core is
/// free: the first parses up to a member near the middle, the second from there to the end.
const SPLIT_BYTES: usize = 128 * 1024;

/// Where the second thread starts: the key of a member that follows an object or array member
/// (`},"` or `], "`, at the first such place after the middle of the text). The text might be
/// inside a string there; then the first thread never arrives at it as at a member, and parses
/// the rest itself.
fn split_point(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let from = bytes.len() / 2;
    // Far enough to pass any ordinary member; past this the text is not worth splitting.
    let until = bytes.len().min(from + 64 * 1024);
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    memchr::memchr_iter(b',', &bytes[from..until])
        .map(|i| from + i)
        .find_map(|comma| {
            let before = bytes[..comma].iter().rev().find(|b| !is_space(b))?;
            let after = bytes[comma + 1..].iter().position(|b| !is_space(b))? + comma + 1;
            (matches!(before, b'}' | b']') && bytes[after] == b'"').then_some(after)
        })
}

/// [`parse_without_spans`] on two threads: this one from the start, another from `split` (see
/// [`Parser::ahead`]). The result is the one-thread parse's, errors included: what the other
/// thread parsed is taken only where this one arrives at `split` as at a member's key.
fn parse_split(text: &str, split: usize) -> Result<Parsed, SyntaxError> {
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel(1);
        let stop = &stop;
        let spawned = std::thread::Builder::new()
            .stack_size(crate::WORKER_STACK_BYTES)
            .spawn_scoped(scope, move || {
                let mut ahead = Parser::new(text, false, true);
                ahead.pos = split;
                ahead.stop = Some(stop);
                let _ = send.send(ahead.ahead());
            });
        let mut parser = Parser::new(text, false, true);
        if spawned.is_ok() {
            parser.split = split;
            parser.ahead = Some(receive);
        }
        let result = parser.document();
        // Not needed when this thread did not arrive at `split`: end it.
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        Ok(parser.into_parsed(result?))
    })
}

/// Elements of one array or object that the second thread parsed (see [`Parser::ahead`]).
enum Elements {
    Members(Vec<Member>),
    Items(Vec<Value>),
}

/// One container's elements from where the second thread started (the innermost) or from its
/// inner container's end, up to its own end.
struct Level {
    elements: Elements,
    /// Just past its closing bracket.
    end: usize,
    /// The deepest nesting among its elements, counting its own as 0: the first thread takes
    /// them only where that stays within [`MAX_DEPTH`].
    deepest: usize,
    /// Duplicate keys inside its elements.
    duplicates: Vec<(usize, DuplicateKey)>,
}

impl Parser<'_> {
    /// Parses, from a member's key (`self.pos`), the rest of that member's object, then the
    /// rest of each container around it in turn, to the end of the text: innermost first. Stops
    /// at the first container it cannot complete (an error, or `stop`), which the first thread
    /// then parses itself.
    fn ahead(&mut self) -> Vec<Level> {
        let mut levels = Vec::new();
        let mut members = Some(true);
        loop {
            let Ok(level) = self.level(members) else {
                return levels;
            };
            levels.push(level);
            // After a container: more of the one around it, or the end of the text.
            self.skip_ws();
            members = match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    Some(self.member_here())
                }
                Some(b'}' | b']') => None,
                _ => return levels,
            };
        }
    }

    /// Whether the element at `self.pos` is a member (a string then `:`) rather than an item.
    fn member_here(&mut self) -> bool {
        if self.peek() != Some(b'"') {
            return false;
        }
        let at = self.pos;
        let key = self.string().is_ok();
        self.skip_ws();
        let member = key && self.peek() == Some(b':');
        self.pos = at;
        member
    }

    /// The elements of a container from `self.pos` (members or items, as `members` says) to its
    /// end; `None`: `self.pos` is on the closing bracket.
    fn level(&mut self, members: Option<bool>) -> Result<Level, SyntaxError> {
        let duplicates_from = self.duplicates.len();
        self.deepest = 0;
        let Some(members) = members else {
            let members = self.peek() == Some(b'}');
            self.pos += 1;
            return Ok(Level {
                elements: if members {
                    Elements::Members(Vec::new())
                } else {
                    Elements::Items(Vec::new())
                },
                end: self.pos,
                deepest: 0,
                duplicates: Vec::new(),
            });
        };
        let close = if members { b'}' } else { b']' };
        loop {
            if self
                .stop
                .is_some_and(|stop| stop.load(std::sync::atomic::Ordering::Relaxed))
            {
                return Err(self.error("stopped"));
            }
            if members {
                self.member(0)?;
            } else {
                let value = self.value(0, None)?;
                self.items.push(value);
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                }
                Some(b) if b == close => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.unexpected("`,` or the end of the container")),
            }
        }
        Ok(Level {
            elements: if members {
                Elements::Members(std::mem::take(&mut self.members))
            } else {
                Elements::Items(std::mem::take(&mut self.items))
            },
            end: self.pos,
            deepest: self.deepest,
            duplicates: self.duplicates.split_off(duplicates_from),
        })
    }

    /// At `split`, as at a member's key in an object at `depth`: takes what the second thread
    /// parsed, when it parsed that object's rest. False: parse on here.
    fn take_ahead(&mut self, depth: usize) -> bool {
        self.split = usize::MAX;
        let Some(mut levels) = self.ahead.take().and_then(|ahead| ahead.recv().ok()) else {
            return false;
        };
        levels.reverse();
        self.pending = levels;
        self.continue_ahead(true, depth)
    }

    /// Right after the container that the last level taken completed, in a container at `depth`
    /// (an object when `members`): takes the next level, the rest of this container, when it
    /// is one (moving to its end). False: parse on here (and take no more).
    fn continue_ahead(&mut self, members: bool, depth: usize) -> bool {
        let Some(level) = self.pending.pop() else {
            return false;
        };
        let fits = depth + level.deepest <= MAX_DEPTH
            && match &level.elements {
                Elements::Members(_) => members,
                Elements::Items(_) => !members,
            };
        if !fits {
            self.pending.clear();
            return false;
        }
        // Kept apart for the container's own elements to be put before them when it is built
        // (appended to this thread's stack, they would be copied and grow it).
        match level.elements {
            Elements::Members(taken) => self.tail_members = taken,
            Elements::Items(taken) => self.tail_items = taken,
        }
        self.duplicates.extend(level.duplicates);
        self.pos = level.end;
        true
    }
}

impl<'a> Parser<'a> {
    fn new(text: &'a str, record: bool, values: bool) -> Self {
        Parser {
            src: text.as_bytes(),
            text,
            pos: 0,
            record,
            values,
            pointer: String::new(),
            spans: SpanIndex::default(),
            duplicates: Vec::new(),
            members: Vec::new(),
            items: Vec::new(),
            deepest: 0,
            split: usize::MAX,
            ahead: None,
            pending: Vec::new(),
            tail_members: Vec::new(),
            tail_items: Vec::new(),
            stop: None,
        }
    }

    /// The one JSON value of the whole text.
    fn document(&mut self) -> Result<Value, SyntaxError> {
        self.skip_ws();
        if self.pos >= self.src.len() {
            return Err(self.error("the file is empty: expected a JSON object"));
        }
        let value = self.value(0, None)?;
        self.skip_ws();
        if self.pos < self.src.len() {
            return Err(self.error("unexpected text after the end of the JSON value"));
        }
        Ok(value)
    }
}

/// A member parsed but not yet in its object: objects are built once their size is known.
struct Member {
    key: String,
    value: Value,
    key_range: Range<usize>,
    /// Where the member's value ends: duplicates are reported in this order (each one as its
    /// value is complete, nested ones first).
    end: usize,
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    /// Whether to build pointers and the span index.
    record: bool,
    /// Whether to build the value (or only check the syntax, for the span index).
    values: bool,
    pointer: String,
    spans: SpanIndex,
    /// Duplicate keys, each with where its member's value ends.
    duplicates: Vec<(usize, DuplicateKey)>,
    /// Members of the objects being parsed, innermost last (one stack for all of them), so that
    /// each object is allocated once, at its final size.
    members: Vec<Member>,
    /// Items of the arrays being parsed, likewise.
    items: Vec<Value>,
    /// The deepest nesting entered (see [`Level::deepest`]).
    deepest: usize,
    /// Where another thread parses from ([`parse_split`]); `usize::MAX`: nowhere.
    split: usize,
    /// What it parsed, once it is done.
    ahead: Option<std::sync::mpsc::Receiver<Vec<Level>>>,
    /// Levels taken from it and not yet used, outermost first.
    pending: Vec<Level>,
    /// The rest of the object or array being completed, from the level just taken.
    tail_members: Vec<Member>,
    tail_items: Vec<Value>,
    /// Set when the other thread's work is not needed (on the other thread).
    stop: Option<&'a std::sync::atomic::AtomicBool>,
}

/// Bytes that end a run of plain string characters: `"`, `\` and control characters.
const fn string_stops() -> [bool; 256] {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
}
static STRING_STOPS: [bool; 256] = string_stops();

/// Where the run of characters that stand for themselves in a string, from `pos`, ends: at a
/// `"`, `\`, control character or the end of the text.
#[cfg_attr(debug_assertions, inline)]
#[cfg_attr(not(debug_assertions), inline(always))]
fn plain_end(src: &[u8], mut pos: usize) -> usize {
    // Eight bytes at a time: a byte is `"`, `\` or below 0x20 where the word has a flag. The
    // lowest flag is exact (borrows only run towards higher bytes).
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    while let Some(bytes) = src.get(pos..pos.wrapping_add(8)) {
        let word = <[u8; 8]>::try_from(bytes).map_or(0, u64::from_le_bytes);
        let zero_in = |w: u64| w.wrapping_sub(ONES) & !w & HIGH;
        let stops = zero_in(word ^ (ONES * u64::from(b'"')))
            | zero_in(word ^ (ONES * u64::from(b'\\')))
            | (word.wrapping_sub(ONES * 0x20) & !word & HIGH);
        if stops != 0 {
            return pos + (stops.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while let Some(&b) = src.get(pos) {
        if STRING_STOPS[b as usize] {
            break;
        }
        pos += 1;
    }
    pos
}

impl<'a> Parser<'a> {
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

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// The eight bytes at `self.pos`, the first in the lowest byte.
    #[inline]
    fn word(&self) -> Option<u64> {
        let bytes: [u8; 8] = self.src.get(self.pos..self.pos + 8)?.try_into().ok()?;
        Some(u64::from_le_bytes(bytes))
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(&b) = self.src.get(self.pos) {
            match b {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.skip_indentation();
                }
                _ => break,
            }
        }
    }

    /// Moves past the spaces that indent a line, eight at a time (pretty-printed JSON is
    /// mostly indentation).
    #[inline]
    fn skip_indentation(&mut self) {
        while let Some(word) = self.word() {
            let other = word ^ 0x2020_2020_2020_2020;
            if other != 0 {
                self.pos += (other.trailing_zeros() / 8) as usize;
                return;
            }
            self.pos += 8;
        }
    }

    fn value(&mut self, depth: usize, key: Option<Range<usize>>) -> Result<Value, SyntaxError> {
        self.skip_ws();
        let start = self.pos;
        let value = match self.peek() {
            None => return Err(self.unexpected("a value")),
            Some(b'{') => self.object(depth + 1)?,
            Some(b'[') => self.array(depth + 1)?,
            Some(b'"') => {
                let text = self.string()?;
                if self.values {
                    Value::String(text.into_owned())
                } else {
                    Value::Null
                }
            }
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

    fn enter(&mut self, depth: usize) -> Result<(), SyntaxError> {
        self.deepest = self.deepest.max(depth);
        if depth > MAX_DEPTH {
            Err(self.error(format!("nesting deeper than {MAX_DEPTH} levels")))
        } else {
            Ok(())
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.enter(depth)?;
        self.pos += 1; // `{`
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Value::Object(Map::new()));
        }
        let from = self.members.len();
        let result = self.members(depth);
        if let Err(e) = result {
            self.members.truncate(from);
            return Err(e);
        }
        if !self.values {
            return Ok(Value::Null);
        }
        Ok(Value::Object(self.build_object(from)))
    }

    fn members(&mut self, depth: usize) -> Result<(), SyntaxError> {
        // `object` moved past the spaces before the first member; `,` here past those after it.
        loop {
            self.member(depth)?;
            if !self.pending.is_empty() && self.continue_ahead(true, depth) {
                return Ok(());
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws();
                    if self.pos == self.split && self.take_ahead(depth) {
                        return Ok(());
                    }
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }

    /// One member of an object at `depth`, from its key at `self.pos`, onto the members' stack.
    fn member(&mut self, depth: usize) -> Result<(), SyntaxError> {
        if self.peek() != Some(b'"') {
            return Err(self.unexpected("a string key in double quotes"));
        }
        let key_start = self.pos;
        let key = self.string()?;
        let key_range = key_start..self.pos;
        self.skip_ws();
        if self.peek() != Some(b':') {
            return Err(self.unexpected("`:` after the key"));
        }
        self.pos += 1;
        let parent_len = self.pointer.len();
        if self.record {
            self.pointer.push('/');
            self.pointer.push_str(&escape_token(&key));
        }
        let value = self.value(depth, Some(key_range.clone()))?;
        if self.record {
            self.pointer.truncate(parent_len);
        }
        if self.values {
            self.members.push(Member {
                key: key.into_owned(),
                value,
                key_range,
                end: self.pos,
            });
        }
        Ok(())
    }

    /// The object of the members from `from` on the stack, which it takes. Like serde_json, the
    /// last of two duplicate keys wins; the member then moves to where that last one was.
    fn build_object(&mut self, from: usize) -> Map<String, Value> {
        // The members that the other thread parsed follow this thread's (see `continue_ahead`).
        let mut tail = std::mem::take(&mut self.tail_members);
        let own = self.members.len() - from;
        let mut map = Map::with_capacity(own + tail.len());
        // Key ranges in the map's order, kept from the first duplicate on (to report the first
        // of two duplicate keys).
        let mut ranges: Option<Vec<Range<usize>>> = None;
        for i in 0..own + tail.len() {
            let member = match i.checked_sub(own) {
                None => &mut self.members[from + i],
                Some(t) => &mut tail[t],
            };
            let key = std::mem::take(&mut member.key);
            let value = std::mem::take(&mut member.value);
            let (key_range, end) = (member.key_range.clone(), member.end);
            match map.entry(key) {
                Entry::Vacant(slot) => {
                    slot.insert(value);
                    if let Some(ranges) = &mut ranges {
                        ranges.push(key_range);
                    }
                }
                Entry::Occupied(slot) => {
                    let key = slot.key().clone();
                    let index = map.keys().position(|k| *k == key).unwrap_or(0);
                    let ranges = ranges.get_or_insert_with(|| {
                        self.members[from..]
                            .iter()
                            .chain(&tail)
                            .take(i)
                            .map(|m| m.key_range.clone())
                            .collect()
                    });
                    let first = ranges.remove(index);
                    map.shift_remove(&key);
                    let pointer = if self.record {
                        format!("{}/{}", self.pointer, escape_token(&key))
                    } else {
                        String::new()
                    };
                    self.duplicates.push((
                        end,
                        DuplicateKey {
                            pointer,
                            first,
                            second: key_range.clone(),
                        },
                    ));
                    ranges.push(key_range);
                    map.insert(key, value);
                }
            }
        }
        // Every member from `from` on was taken above and holds only an empty key and `null`:
        // nothing to drop, so the stack is cut short without visiting each one (the drain's
        // items are never read; forgetting it leaves the stack `from` long).
        std::mem::forget(self.members.drain(from..));
        map
    }

    fn array(&mut self, depth: usize) -> Result<Value, SyntaxError> {
        self.enter(depth)?;
        self.pos += 1; // `[`
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Value::Array(Vec::new()));
        }
        let from = self.items.len();
        let mut count = 0usize;
        loop {
            let parent_len = self.pointer.len();
            if self.record {
                self.pointer.push('/');
                self.pointer.push_str(&count.to_string());
            }
            let value = match self.value(depth, None) {
                Ok(value) => value,
                Err(e) => {
                    self.items.truncate(from);
                    return Err(e);
                }
            };
            if self.record {
                self.pointer.truncate(parent_len);
            }
            count += 1;
            if self.values {
                self.items.push(value);
            }
            if !self.pending.is_empty() && self.continue_ahead(false, depth) {
                let tail = std::mem::take(&mut self.tail_items);
                let mut items = Vec::with_capacity(self.items.len() - from + tail.len());
                items.extend(self.items.drain(from..));
                items.extend(tail);
                return Ok(Value::Array(items));
            }
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    if !self.values {
                        return Ok(Value::Null);
                    }
                    return Ok(Value::Array(self.items.drain(from..).collect()));
                }
                _ => {
                    self.items.truncate(from);
                    return Err(self.unexpected("`,` or `]`"));
                }
            }
        }
    }

    fn number(&mut self) -> Result<Value, SyntaxError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let digits_start = self.pos;
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.unexpected("a digit")),
        }
        let digits_end = self.pos;
        let mut integer = true;
        if self.peek() == Some(b'.') {
            integer = false;
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit after the decimal point"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            integer = false;
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.unexpected("a digit in the exponent"));
            }
            self.digits();
        }
        if !self.values {
            return Ok(Value::Null);
        }
        // The common case, an integer that fits: as serde_json reads it (`-0` is a float there).
        if integer && digits_end - digits_start <= 18 {
            let magnitude = self.src[digits_start..digits_end]
                .iter()
                .fold(0u64, |n, d| n * 10 + u64::from(d - b'0'));
            match (negative, magnitude) {
                (false, n) => return Ok(Value::Number(Number::from(n))),
                (true, n) if n > 0 => return Ok(Value::Number(Number::from(-(n as i64)))),
                _ => {}
            }
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
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }

    /// Parses a string literal at `self.pos` (which is on the opening quote). Always inlined in
    /// an optimised build (the call itself cost a fifth of reading a short string); not in a
    /// debug build, where inlining it grows the recursion's frames past the test threads' stack
    /// at [`MAX_DEPTH`].
    #[cfg_attr(debug_assertions, inline)]
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        let start = self.pos + 1;
        let end = plain_end(self.src, start);
        // The common case: no escapes, the text itself (one allocation of the right size when
        // the value is kept). Kept small to be inlined where strings are read; the rest is
        // `escaped`.
        if self.src.get(end) == Some(&b'"') {
            self.pos = end + 1;
            let text: &'a str = self.text;
            return Ok(Cow::Borrowed(&text[start..end]));
        }
        self.pos = end;
        self.escaped(start)
    }

    /// The rest of a string literal from `start` (just past its opening quote), `self.pos` being
    /// on the first byte that is not a plain character: an escape, a control character or the
    /// end of the text.
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, start: usize) -> Result<Cow<'a, str>, SyntaxError> {
        let mut out = String::from(&self.text[start..self.pos]);
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string: expected a closing `\"`")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.escape()?;
                    out.push(c);
                }
                Some(_) => return Err(self.error("control character in a string: write it as an escape such as `\\n`")),
            }
            let run_start = self.pos;
            self.pos = plain_end(self.src, self.pos);
            out.push_str(&self.text[run_start..self.pos]);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::offsets::string_char_range_to_bytes;

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
    fn duplicates_are_reported_as_their_values_end() {
        let text = r#"{"a": 1, "b": {"c": 1, "c": 2}, "a": {"d": 1, "d": 2}, "a": 3}"#;
        let parsed = parse(text).unwrap();
        let found: Vec<_> = parsed
            .duplicates
            .iter()
            .map(|d| (d.pointer.as_str(), &text[d.first.clone()], d.second.start))
            .collect();
        // Nested ones first; the third `a` names the second as the first definition.
        assert_eq!(
            found,
            [
                ("/b/c", "\"c\"", 23),
                ("/a/d", "\"d\"", 46),
                ("/a", "\"a\"", 32),
                ("/a", "\"a\"", 55)
            ]
        );
        assert_eq!(parsed.value, serde_json::json!({"b": {"c": 2}, "a": 3}));
        let keys: Vec<_> = parsed.value.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["b", "a"]);
        // Escapes spell the same key.
        let parsed = parse(r#"{"k": 1, "\u006b": 2}"#).unwrap();
        assert_eq!(parsed.duplicates.len(), 1);
        assert_eq!(parsed.value, serde_json::json!({"k": 2}));
    }

    #[test]
    fn integers_read_as_serde_json_reads_them() {
        let texts = [
            "0",
            "-0",
            "7",
            "-7",
            "999999999999999999",
            "-999999999999999999",
            "9999999999999999999",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.0",
            "1E2",
            "-0.0",
        ];
        for text in texts {
            let ours = parse(text).unwrap().value;
            let theirs: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs, "{text}");
            assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
        }
    }

    #[test]
    fn strings_stop_at_quotes_escapes_and_controls_at_any_offset() {
        for at in 0..20 {
            let plain = "abcdefghijklmnopqrstuvwxyz";
            let text = format!("[\"{}\\n{}\"]", &plain[..at], &plain[at..]);
            let expected = format!("{}\n{}", &plain[..at], &plain[at..]);
            assert_eq!(parse(&text).unwrap().value, serde_json::json!([expected]));
            let text = format!("[\"{}\"]", &plain[..at]);
            assert_eq!(parse(&text).unwrap().value, serde_json::json!([&plain[..at]]));
            let text = format!("[\"{}\u{1}\"]", &plain[..at]);
            assert_eq!(parse(&text).unwrap_err().offset, 2 + at);
        }
        assert_eq!(
            parse("[\"é — ✓ 😀 long enough\"]").unwrap().value,
            serde_json::json!(["é — ✓ 😀 long enough"])
        );
    }

    #[test]
    fn indentation_of_any_width_is_skipped() {
        for width in 0..20 {
            let pad = " ".repeat(width);
            let text = format!("{{\n{pad}\"a\":\n{pad}\t[1,\r\n{pad}2]\n{pad}}}");
            let parsed = parse(&text).unwrap();
            assert_eq!(parsed.value, serde_json::json!({"a": [1, 2]}));
            assert_eq!(&text[parsed.spans.get("/a/1").unwrap().value.clone()], "2");
        }
    }

    #[test]
    fn the_span_index_alone_matches_the_full_parse() {
        let texts = [
            r#"{"a": {"b/c": [1, "x", {"d~": null}]}, "e": "\u00e9\n", "a": [true, -0, 1e3]}"#,
            r#"[[], {}, [{}], "s", 1.5]"#,
            r#""just a string""#,
        ];
        for text in texts {
            let full = parse(text).unwrap().spans;
            let alone = spans(text).unwrap();
            let sorted = |index: &SpanIndex| {
                let mut nodes: Vec<_> = index.iter().map(|(p, s)| (p.clone(), s.clone())).collect();
                nodes.sort_by(|a, b| a.0.cmp(&b.0));
                nodes
            };
            assert_eq!(sorted(&alone), sorted(&full), "{text}");
        }
        assert_eq!(spans("{\"a\": }").unwrap_err().offset, 6);
    }

    #[test]
    fn fast_parse_has_no_spans_but_finds_duplicates() {
        let text = r#"{"a": {"b": 1, "b": 2}}"#;
        let fast = parse_without_spans(text).unwrap();
        assert!(fast.spans.is_empty());
        assert_eq!(fast.duplicates.len(), 1);
        assert_eq!(fast.value, parse(text).unwrap().value);
    }

    /// Whatever the other thread starts at, the two-thread parse is the one-thread parse:
    /// values, key order, duplicates and errors.
    #[test]
    fn a_split_parse_is_the_plain_parse_from_any_split() {
        let texts = [
            r#"{"a": {"b": [1, {"c": "x,\"y\"", "d": []}, [{}, {"e": 1}], "s"], "f": {"g": {"h": null}}}, "i": 2}"#,
            "{\n  \"A\": {\"x\": 1, \"x\": 2},\n  \"B\": [{\"k\": 1}, {\"k\": \"},\\\"k\"}],\n  \"A\": {\"y\": {}}\n}",
            r#"[{"a": 1}, {"b": [{"c": 1}, {"d": 2}]}, {"s": "},"}, {"a": 1, "a": 2}]"#,
            r#"{"a": {"b": 1}, "c": [1, 2}"#,
            r#"{"a": {"b": 1}, "c": {"d": tru}, "e": 1}"#,
            r#"{"a": {"b": 1}, "c": {"d": 1}} x"#,
            r#"{"a": {"b": 1}, "c": {"d": 1}"#,
        ];
        for text in texts {
            let plain = parse_without_spans(text);
            for split in 0..=text.len() {
                let split_parse = parse_split(text, split);
                match (&plain, &split_parse) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a.value, b.value, "{text} at {split}");
                        assert_eq!(a.value.to_string(), b.value.to_string(), "{text} at {split}");
                        assert_eq!(a.duplicates, b.duplicates, "{text} at {split}");
                    }
                    (Err(a), Err(b)) => assert_eq!(a, b, "{text} at {split}"),
                    _ => panic!("{text} at {split}: {plain:?} vs {split_parse:?}"),
                }
            }
        }
    }

    #[test]
    fn a_split_parse_keeps_the_depth_limit() {
        // The second thread starts deep inside: it cannot know how deep, the first one can.
        for depth in [MAX_DEPTH - 5, MAX_DEPTH - 4, MAX_DEPTH - 3, MAX_DEPTH] {
            let text = format!(
                "{}{{\"a\": {{}}, \"b\": [[[1]]], \"c\": 1}}{}",
                "[".repeat(depth),
                "]".repeat(depth)
            );
            let plain = parse_without_spans(&text).map(|p| p.value);
            for split in text.len() / 2..text.len() {
                assert_eq!(parse_split(&text, split).map(|p| p.value), plain, "{depth} at {split}");
            }
        }
    }

    #[test]
    fn the_split_point_is_a_key_after_a_container() {
        let text = format!(
            "{{\"States\": {{{}}}}}",
            (0..2000)
                .map(|i| format!("\"S{i}\": {{\"Type\": \"Pass\"}}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let split = split_point(&text).unwrap();
        assert!(
            split >= text.len() / 2 && text[split..].starts_with("\"S"),
            "{}",
            &text[split..split + 10]
        );
        assert_eq!(
            parse_split(&text, split).unwrap().value,
            parse_without_spans(&text).unwrap().value
        );
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
