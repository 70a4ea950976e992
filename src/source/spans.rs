//! Where each node of a parsed file is: JSON Pointer → byte ranges, for the JSON and YAML
//! parsers to fill and the reporter to read. Definitions embedded as text in a template are
//! located through [`EmbeddedStrings`], which `embedded` implements, so this index knows nothing
//! of how templates are assembled.

use std::fmt::Debug;
use std::ops::Range;
use std::sync::Arc;

use super::offsets::string_chars_to_bytes;
use crate::model::FastMap;

/// Characters inside the strings of a definition embedded as text in a template, located in
/// the template's text.
pub trait EmbeddedStrings: Debug + Send + Sync {
    /// Characters `from..to` of the decoded string at `pointer` (from the file's root) → bytes
    /// of the file; `None` when the string is not part of this embedded definition.
    fn string_range(&self, pointer: &str, from: usize, to: usize) -> Option<Range<usize>>;
}

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
///
/// Built only for files with something to report, but then for every node: the pointers are
/// hashed with foldhash (they are many and short; see [`FastMap`]).
#[derive(Debug, Default, Clone)]
pub struct SpanIndex {
    nodes: FastMap<String, NodeSpan>,
    embedded: Vec<Arc<dyn EmbeddedStrings>>,
}

impl SpanIndex {
    /// An index with room for `nodes` nodes (growing the map hashes every pointer again).
    pub fn with_capacity(nodes: usize) -> Self {
        SpanIndex {
            nodes: FastMap::with_capacity_and_hasher(nodes, Default::default()),
            embedded: Vec::new(),
        }
    }

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

    /// Indexes an embedded definition's nodes (`nodes`, by pointer from the file's root, with
    /// spans in the file) and keeps `strings` to locate characters inside its strings. Its root
    /// (`prefix`) keeps the template's key (the `DefinitionString` member) and takes the span of
    /// the JSON object inside the text.
    pub fn add_embedded(&mut self, prefix: &str, nodes: Vec<(String, NodeSpan)>, strings: Arc<dyn EmbeddedStrings>) {
        for (pointer, mut span) in nodes {
            if pointer == prefix {
                span.key = self.nodes.get(&pointer).and_then(|s| s.key.clone());
            }
            self.nodes.insert(pointer, span);
        }
        self.embedded.push(strings);
    }

    /// Characters `from..to` of the decoded string at `pointer` → bytes of `text`: through the
    /// string's escapes, and through the template string an embedded definition was written in.
    pub fn string_range(&self, text: &str, pointer: &str, from: usize, to: usize) -> Option<Range<usize>> {
        if let Some(range) = self.embedded.iter().find_map(|e| e.string_range(pointer, from, to)) {
            return Some(range);
        }
        let span = self.nodes.get(pointer)?;
        string_chars_to_bytes(text, span.value.start, from, to)
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
