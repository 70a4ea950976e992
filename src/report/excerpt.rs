//! The piece of a file that a human report shows under a finding, and the escaping of
//! everything a report prints.
//!
//! miette renders the source it is given whole: a finding at column 70,000 of a one-line
//! template (what CDK synthesises) aborts its renderer, each finding rescans the file from the
//! start (quadratic in findings), and the raw bytes of a definition reach the terminal. So a
//! report never hands miette the file: it hands it an [`Excerpt`] — the lines around the
//! labels, each long line cut to a window around them (`…` marks a cut), every control
//! character shown as its Unicode control picture (`ESC` → `␛`) — that still reports the
//! original line and column.

use std::ops::Range;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use crate::source::LineIndex;

/// Lines longer than this (in bytes) are cut to a window around the labels on them.
const MAX_LINE_BYTES: usize = 400;
/// How much of a long line is shown before the first label on it.
const LEAD_BYTES: usize = 60;
/// How many lines a label may cover before its end is cut (a label on a whole state of a
/// thousand lines would otherwise print them all).
const MAX_LABEL_LINES: usize = 8;

/// A control character as something a terminal shows instead of obeys: C0 controls and DEL as
/// their Unicode control pictures, C1 controls as `\u{…}`. Tabs stay. `None` for any other
/// character.
fn picture(c: char) -> Option<String> {
    match c {
        '\t' => None,
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).map(String::from),
        '\u{7f}' => Some("␡".into()),
        '\u{80}'..='\u{9f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some(format!("\\u{{{:x}}}", c as u32))
        }
        _ => None,
    }
}

/// `text` with every control character (newlines included) made visible: for messages, help
/// and labels, which are one line each.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(|c| picture(c).is_some()) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match picture(c) {
            Some(p) => out.push_str(&p),
            None => out.push(c),
        }
    }
    out
}

/// Like [`escape_controls`], but keeps line breaks: for multi-line text such as a JSON value
/// printed by `simulate`.
pub fn escape_controls_keep_lines(text: &str) -> String {
    text.split('\n').map(escape_controls).collect::<Vec<_>>().join("\n")
}

/// The lines of a file shown under one finding.
pub struct Excerpt {
    name: String,
    text: String,
    /// 0-based line of the file where the excerpt starts.
    first_line: usize,
    /// `(file offset, excerpt offset, length)` of every piece copied verbatim, in order.
    pieces: Vec<(usize, usize, usize)>,
    /// Where each label starts in the excerpt, and its 0-based line and byte column in the file.
    anchors: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    /// The excerpt of `source` showing `labels` (byte ranges of the file); returns it with the
    /// labels' ranges in the excerpt, in the same order.
    pub fn new(name: &str, source: &str, lines: &LineIndex, labels: &[Range<usize>]) -> (Excerpt, Vec<Range<usize>>) {
        let line_of = |offset: usize| lines.line_col(source, offset).0 - 1;
        let line_range = |line: usize| -> Range<usize> {
            let start = lines.line_start(line).unwrap_or(source.len());
            let end = lines.line_start(line + 1).map_or(source.len(), |s| s.saturating_sub(1));
            let end = if source[..end].ends_with('\r') { end - 1 } else { end };
            start..end.max(start)
        };
        // Labels, with their end cut after a few lines.
        let labels: Vec<Range<usize>> = labels
            .iter()
            .map(|r| {
                let start = floor(source, r.start.min(source.len()));
                let mut end = ceil(source, r.end.min(source.len())).max(start);
                let last = line_of(start) + MAX_LABEL_LINES;
                if line_of(end) > last {
                    end = line_range(last).end;
                }
                start..end
            })
            .collect();
        let first = labels
            .iter()
            .map(|r| line_of(r.start))
            .min()
            .unwrap_or(0)
            .saturating_sub(1);
        let last = labels
            .iter()
            .map(|r| line_of(r.end))
            .max()
            .unwrap_or(0)
            .saturating_add(1)
            .min(line_of(source.len()));
        let mut excerpt = Excerpt {
            name: escape_controls(name),
            text: String::new(),
            first_line: first,
            pieces: Vec::new(),
            anchors: Vec::new(),
        };
        for line in first..=last {
            let range = line_range(line);
            let window = window(source, &range, &labels);
            if window.start > range.start {
                excerpt.text.push('…');
            }
            excerpt.copy(source, window.clone());
            if window.end < range.end {
                excerpt.text.push('…');
            }
            if line < last {
                excerpt.text.push('\n');
            }
        }
        let mapped: Vec<Range<usize>> = labels
            .iter()
            .map(|r| excerpt.to_excerpt(r.start)..excerpt.to_excerpt(r.end))
            .collect();
        for (r, m) in labels.iter().zip(&mapped) {
            let line = line_of(r.start);
            let column = r.start - line_range(line).start;
            excerpt.anchors.push((m.start, line, column));
        }
        (excerpt, mapped)
    }

    /// Appends `source[range]` with control characters made visible.
    fn copy(&mut self, source: &str, range: Range<usize>) {
        let mut verbatim = range.start;
        for (i, c) in source[range.clone()].char_indices() {
            if let Some(p) = picture(c) {
                let at = range.start + i;
                self.verbatim(source, verbatim..at);
                self.text.push_str(&p);
                verbatim = at + c.len_utf8();
            }
        }
        self.verbatim(source, verbatim..range.end);
    }

    fn verbatim(&mut self, source: &str, range: Range<usize>) {
        self.pieces.push((range.start, self.text.len(), range.len()));
        self.text.push_str(&source[range]);
    }

    /// Where a file offset is in the excerpt (an offset in a cut part goes to the cut's edge).
    fn to_excerpt(&self, offset: usize) -> usize {
        let i = self.pieces.partition_point(|&(file, _, _)| file <= offset);
        match self.pieces.get(i.wrapping_sub(1)) {
            Some(&(file, excerpt, len)) => excerpt + (offset - file).min(len),
            None => 0,
        }
    }
}

/// The part of one line to show: all of it when short, else a window from a little before the
/// first label on it (or the start of the line).
fn window(source: &str, line: &Range<usize>, labels: &[Range<usize>]) -> Range<usize> {
    if line.len() <= MAX_LINE_BYTES {
        return line.clone();
    }
    let first = labels
        .iter()
        .flat_map(|r| [r.start, r.end])
        .filter(|&o| line.contains(&o))
        .min()
        .unwrap_or(line.start);
    let start = floor(source, first.saturating_sub(LEAD_BYTES).max(line.start));
    let end = floor(source, (start + MAX_LINE_BYTES).min(line.end));
    start..end
}

fn ceil(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset += 1;
    }
    offset
}

fn floor(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self
            .text
            .as_str()
            .read_span(span, context_lines_before, context_lines_after)?;
        let (line, column) = match self.anchors.iter().find(|(at, _, _)| *at == span.offset()) {
            Some(&(_, line, column)) if context_lines_before == 0 => (line, column),
            _ => (inner.line() + self.first_line, inner.column()),
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            line,
            column,
            // miette counts the lines from the start of the source (and merges two labels'
            // snippets by it): count the lines before the excerpt too.
            inner.line_count() + self.first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn excerpt(source: &str, label: Range<usize>) -> (String, Vec<Range<usize>>) {
        let (e, mapped) = Excerpt::new("f", source, &LineIndex::new(source), &[label]);
        (e.text, mapped)
    }

    #[test]
    fn short_files_are_shown_as_they_are_around_the_label() {
        let source = "a\nbb\ncc\ndd\nee\n";
        let (text, mapped) = excerpt(source, 5..7);
        assert_eq!(text, "bb\ncc\ndd");
        assert_eq!(&text[mapped[0].clone()], "cc");
    }

    #[test]
    fn long_lines_are_cut_to_a_window_around_the_label() {
        let source = format!("{}\"Next\": \"Nowhere\"{}", "x".repeat(100_000), "y".repeat(100_000));
        let at = 100_000 + 8;
        let (text, mapped) = excerpt(&source, at..at + 9);
        assert!(text.len() < 1000, "{}", text.len());
        assert!(text.starts_with('…') && text.ends_with('…'));
        assert_eq!(&text[mapped[0].clone()], "\"Nowhere\"");
    }

    #[test]
    fn control_characters_are_shown_not_sent() {
        let source = "{\"A\u{1b}[31m\": \"B\u{7}\"}";
        let (text, mapped) = excerpt(source, 11..15);
        assert_eq!(text, "{\"A␛[31m\": \"B␇\"}");
        assert_eq!(&text[mapped[0].clone()], "\"B␇\"");
        assert_eq!(escape_controls("a\u{1b}b\nc\u{9b}"), "a␛b␊c\\u{9b}");
    }
}
