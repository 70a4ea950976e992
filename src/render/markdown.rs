//! Diagrams kept inside Markdown: the fenced block between `<!-- aslkit-diagram: DEF -->` and
//! `<!-- /aslkit-diagram -->` is replaced with the current diagram of DEF, or compared with it
//! (`--check`, for CI). Text outside the markers is never touched.

use std::path::Path;

const CLOSE: &str = "<!-- /aslkit-diagram -->";

/// Why a Markdown file could not be updated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// No `<!-- aslkit-diagram: DEF -->` marker names the definition.
    NoMarker,
    /// A marker is not followed by `<!-- /aslkit-diagram -->`.
    Unclosed,
}

/// Replaces the block of every marker whose target `matches` with `block` (a fenced code
/// block of `fence` holding `diagram`). Returns the new text. Markers inside fenced code
/// blocks (a README showing how to write one) are text, not markers; a file with CRLF line
/// endings gets its block with CRLF too.
pub fn rewrite(text: &str, matches: impl Fn(&str) -> bool, fence: &str, diagram: &str) -> Result<String, Error> {
    let mut block = format!("\n```{fence}\n{diagram}```\n");
    if text.contains("\r\n") {
        block = block.replace("\r\n", "\n").replace('\n', "\r\n");
    }
    let fenced = fenced_ranges(text);
    let in_fence = |at: usize| fenced.iter().any(|r| r.contains(&at));
    let mut out = String::with_capacity(text.len() + block.len());
    let mut done = 0;
    let mut from = 0;
    let mut found = false;
    while let Some(found_at) = text[from..].find("<!-- aslkit-diagram:") {
        let open = from + found_at;
        if in_fence(open) {
            from = open + 1;
            continue;
        }
        let after_open = &text[open..];
        let Some(close_marker) = after_open.find("-->") else {
            return Err(Error::Unclosed);
        };
        let target = after_open["<!-- aslkit-diagram:".len()..close_marker].trim();
        let body_at = open + close_marker + "-->".len();
        if !matches(target) {
            from = body_at;
            continue;
        }
        let Some(end) = text[body_at..].find(CLOSE) else {
            return Err(Error::Unclosed);
        };
        found = true;
        out.push_str(&text[done..body_at]);
        out.push_str(&block);
        out.push_str(CLOSE);
        done = body_at + end + CLOSE.len();
        from = done;
    }
    out.push_str(&text[done..]);
    if found {
        Ok(out)
    } else {
        Err(Error::NoMarker)
    }
}

/// Byte ranges of the fenced code blocks of a Markdown text (CommonMark: a line of at least
/// three backticks or tildes, indented at most three spaces, whose info string holds no
/// backtick, closed by a line of the same character at least as long; an unclosed fence runs
/// to the end).
fn fenced_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut open: Option<(usize, char, usize)> = None;
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
        if indent > 3 {
            continue;
        }
        let body = &trimmed[indent..];
        let Some(c) = body.chars().next().filter(|c| *c == '`' || *c == '~') else {
            continue;
        };
        let run = body.chars().take_while(|x| *x == c).count();
        if run < 3 {
            continue;
        }
        match open {
            // The info string of a backtick fence holds no backtick: "```` ```x ```` text"
            // is a line starting with a code span.
            None if c == '`' && body[run..].contains('`') => {}
            None => open = Some((start, c, run)),
            Some((from, fence, length)) if fence == c && run >= length && body[run..].trim().is_empty() => {
                ranges.push(from..at);
                open = None;
            }
            Some(_) => {}
        }
    }
    if let Some((from, _, _)) = open {
        ranges.push(from..text.len());
    }
    ranges
}

/// Whether a marker's target names the definition: as written on the command line, or as the
/// same file relative to the Markdown file's folder or to the working directory.
pub fn names(target: &str, markdown: &Path, definition: &Path) -> bool {
    let target = Path::new(target);
    if target == definition {
        return true;
    }
    let Ok(definition) = definition.canonicalize() else {
        return false;
    };
    let folder = markdown.parent().unwrap_or(Path::new(""));
    [folder.join(target), target.to_path_buf()]
        .iter()
        .any(|t| t.canonicalize().is_ok_and(|t| t == definition))
}

/// A short summary of how `old` differs from `new`: the changed run of lines (between the
/// common beginning and the common end) and its first line on each side.
pub fn diff_summary(old: &str, new: &str) -> String {
    let old_lines: Vec<&str> = old.lines().collect();
    let new_lines: Vec<&str> = new.lines().collect();
    let prefix = old_lines.iter().zip(&new_lines).take_while(|(a, b)| a == b).count();
    let room = old_lines.len().min(new_lines.len()) - prefix;
    let suffix = old_lines
        .iter()
        .rev()
        .zip(new_lines.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let removed = old_lines.len() - prefix - suffix;
    let added = new_lines.len() - prefix - suffix;
    let mut summary = format!("{removed} line(s) from line {} replaced by {added} line(s)", prefix + 1);
    if let Some(line) = old_lines.get(prefix).filter(|_| removed > 0) {
        summary.push_str(&format!("\n- {line}"));
    }
    if let Some(line) = new_lines.get(prefix).filter(|_| added > 0) {
        summary.push_str(&format!("\n+ {line}"));
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_only_the_named_block() {
        let text = "# Doc\n<!-- aslkit-diagram: a.json -->\nold\n<!-- /aslkit-diagram -->\n\
                    <!-- aslkit-diagram: b.json -->\nkeep\n<!-- /aslkit-diagram -->\n";
        let new = rewrite(text, |t| t == "a.json", "mermaid", "flowchart TD\n");
        assert_eq!(
            new.as_deref(),
            Ok(
                "# Doc\n<!-- aslkit-diagram: a.json -->\n```mermaid\nflowchart TD\n```\n<!-- /aslkit-diagram -->\n\
                <!-- aslkit-diagram: b.json -->\nkeep\n<!-- /aslkit-diagram -->\n"
            )
        );
        assert_eq!(rewrite("nothing", |_| true, "mermaid", ""), Err(Error::NoMarker));
        assert_eq!(
            rewrite("<!-- aslkit-diagram: a -->", |_| true, "mermaid", ""),
            Err(Error::Unclosed)
        );
    }

    /// Issue 12: a marker shown in a code block is an example, not a marker; CRLF stays CRLF.
    #[test]
    fn leaves_fenced_markers_alone_and_keeps_line_endings() {
        let text = "Write:\n```markdown\n<!-- aslkit-diagram: a.json -->\n<!-- /aslkit-diagram -->\n```\n\
                    <!-- aslkit-diagram: a.json -->\nold\n<!-- /aslkit-diagram -->\n";
        let new = rewrite(text, |t| t == "a.json", "mermaid", "flowchart TD\n").unwrap();
        assert_eq!(
            new,
            "Write:\n```markdown\n<!-- aslkit-diagram: a.json -->\n<!-- /aslkit-diagram -->\n```\n\
             <!-- aslkit-diagram: a.json -->\n```mermaid\nflowchart TD\n```\n<!-- /aslkit-diagram -->\n"
        );
        let code_span =
            "  ```` ```mermaid ```` block;\n<!-- aslkit-diagram: a.json -->\nold\n<!-- /aslkit-diagram -->\n";
        assert!(rewrite(code_span, |_| true, "mermaid", "").is_ok());
        let only_fenced = "~~~\n<!-- aslkit-diagram: a.json -->\n<!-- /aslkit-diagram -->\n~~~\n";
        assert_eq!(rewrite(only_fenced, |_| true, "mermaid", ""), Err(Error::NoMarker));
        let crlf = "# Doc\r\n<!-- aslkit-diagram: a.json -->\r\nold\r\n<!-- /aslkit-diagram -->\r\n";
        let new = rewrite(crlf, |_| true, "mermaid", "flowchart TD\n    a --> b\n").unwrap();
        assert_eq!(
            new,
            "# Doc\r\n<!-- aslkit-diagram: a.json -->\r\n```mermaid\r\nflowchart TD\r\n    a --> b\r\n```\r\n<!-- /aslkit-diagram -->\r\n"
        );
        assert!(!new.replace("\r\n", "").contains('\n'));
    }

    #[test]
    fn targets_name_files_as_written_or_relative_to_the_markdown() {
        let def = Path::new("examples/jsonata-etl/jsonata-etl.asl.json");
        assert!(names(
            "examples/jsonata-etl/jsonata-etl.asl.json",
            Path::new("README.md"),
            def
        ));
        assert!(names(
            "jsonata-etl.asl.json",
            Path::new("examples/jsonata-etl/x.md"),
            def
        ));
        assert!(names(
            "./examples/jsonata-etl/jsonata-etl.asl.json",
            Path::new("docs/x.md"),
            def
        ));
        assert!(!names("other.asl.json", Path::new("README.md"), def));
    }

    #[test]
    fn summarises_a_difference() {
        assert_eq!(
            diff_summary("a\nb\nz\n", "a\nc\nd\nz\n"),
            "1 line(s) from line 2 replaced by 2 line(s)\n- b\n+ c"
        );
        assert_eq!(
            diff_summary("a\nz\n", "a\nc\nz\n"),
            "0 line(s) from line 2 replaced by 1 line(s)\n+ c"
        );
    }
}
