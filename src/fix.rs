//! Safe fixes: text edits at the spans of what a finding points at, so formatting, key order and
//! indentation stay as the user wrote them (JSON and YAML alike, definitions inside templates
//! too).
//!
//! A fix is derived from a finding of a fixable rule and the document, never from a guess:
//! - `ASL310` renames a deprecated Map key (`Iterator` → `ItemProcessor`, `Parameters` →
//!   `ItemSelector`) when the new name is not used in the state yet;
//! - `ASL220` appends `.$` to a payload key whose value is a path (when that name is free);
//! - `ASL305` removes a retrier whose `ErrorEquals` repeats an earlier retrier's exactly.
//!
//! Definitions written as a string (`DefinitionString`) are left alone: an edit there would
//! have to be escaped for the template's string syntax. [`fix_text`] applies rounds of fixes
//! until nothing changes, so a second `--fix` is a no-op.

use std::ops::Range;

use serde_json::Value;

use crate::check::rules::deprecated_map_field::RENAMES;
use crate::check::rules::shadowed_error_handler::same_names;
use crate::check::{self, Options};
use crate::diagnostic::{Diagnostic, Target};
use crate::pointer::{lookup, tokens};
use crate::source::{self, Document, Loaded, Origin};

/// One text edit: replace `range` (bytes) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub replacement: String,
}

/// Rounds of fixing before giving up (each round applies every non-overlapping edit).
const MAX_ROUNDS: usize = 10;

/// The edits for the fixable findings of `diagnostics` in `doc`, sorted and non-overlapping.
pub fn edits(doc: &Document, diagnostics: &[Diagnostic]) -> Vec<Edit> {
    let mut out: Vec<Edit> = diagnostics.iter().filter_map(|d| edit_for(doc, d)).collect();
    out.sort_by_key(|e| (e.range.start, e.range.end));
    let mut kept: Vec<Edit> = Vec::with_capacity(out.len());
    for edit in out {
        if kept.last().is_none_or(|last| last.range.end <= edit.range.start) {
            kept.push(edit);
        }
    }
    kept
}

/// Applies sorted, non-overlapping edits.
pub fn apply(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..edit.range.start]);
        out.push_str(&edit.replacement);
        at = edit.range.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The text of a file with every safe fix applied (the text itself when there is nothing to
/// fix or it does not load).
pub fn fix_text(origin: &Origin, text: &str, options: &Options) -> String {
    let mut current = text.to_string();
    for _ in 0..MAX_ROUNDS {
        let Loaded::Document(doc) = source::load_bytes(origin.clone(), current.clone().into_bytes()) else {
            break;
        };
        let diagnostics = check::check_document(&doc, options);
        let edits = edits(&doc, &diagnostics);
        if edits.is_empty() {
            break;
        }
        current = apply(&current, &edits);
    }
    current
}

fn edit_for(doc: &Document, d: &Diagnostic) -> Option<Edit> {
    let location = d.location.as_ref()?;
    let pointer = location.pointer.as_str();
    // Inside a definition written as text, byte ranges are not the user's syntax.
    if doc
        .embedded
        .iter()
        .any(|e| e.text.is_some() && crate::pointer::is_same_or_under(pointer, &e.pointer))
    {
        return None;
    }
    match d.code {
        "ASL310" if location.target == Target::Key => {
            let old = tokens(pointer).pop()?;
            let (_, new) = RENAMES.iter().find(|(from, _)| *from == old)?;
            rename_key(doc, pointer, &old, new)
        }
        "ASL220" if location.target == Target::Key => {
            let old = tokens(pointer).pop()?;
            rename_key(doc, pointer, &old, &format!("{old}.$"))
        }
        "ASL305" => remove_duplicate_retrier(doc, pointer),
        _ => None,
    }
}

/// Renames the member at `pointer` from `old` to `new` when its parent has no `new` yet.
fn rename_key(doc: &Document, pointer: &str, old: &str, new: &str) -> Option<Edit> {
    let parent = &pointer[..pointer.rfind('/')?];
    let value = value_at(doc, parent)?;
    if value.as_object()?.contains_key(new) {
        return None;
    }
    let key = doc.spans().get(pointer)?.key.clone()?;
    let written = doc.text.get(key.clone())?;
    // The key as written must hold the name verbatim (no escapes) exactly once.
    let at = written.find(old)?;
    if written[at + old.len()..].contains(old) {
        return None;
    }
    let start = key.start + at;
    Some(Edit {
        range: start..start + old.len(),
        replacement: new.to_string(),
    })
}

/// Removes `…/Retry/N` (the finding points at its `ErrorEquals`) when an earlier retrier has
/// the same error names.
fn remove_duplicate_retrier(doc: &Document, pointer: &str) -> Option<Edit> {
    let element = pointer.strip_suffix("/ErrorEquals")?;
    let (list_pointer, index) = element.rsplit_once('/')?;
    if !list_pointer.ends_with("/Retry") {
        return None;
    }
    let index: usize = index.parse().ok()?;
    let list = value_at(doc, list_pointer)?.as_array()?;
    let names = crate::simulate::errors::error_equals;
    let this = names(list.get(index)?);
    if index == 0 || !list[..index].iter().any(|earlier| same_names(&names(earlier), &this)) {
        return None;
    }
    let spans = doc.spans();
    let span = spans.get(element)?.value.clone();
    let previous = spans.get(&format!("{list_pointer}/{}", index - 1))?.value.clone();
    let text = &doc.text;
    let between = text.get(previous.end..span.start)?;
    if between.trim_start().starts_with(',') {
        // JSON or a YAML flow sequence: drop the separator before the element and the element.
        return Some(Edit {
            range: previous.end..span.end,
            replacement: String::new(),
        });
    }
    // A YAML block sequence: drop the element's lines, from its `-` to the end of its last line.
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let lead = text.get(line_start..span.start)?;
    if lead.trim() != "-" {
        return None;
    }
    let end = if text[..span.end].ends_with('\n') {
        span.end
    } else {
        text[span.end..].find('\n').map_or(text.len(), |i| span.end + i + 1)
    };
    Some(Edit {
        range: line_start..end,
        replacement: String::new(),
    })
}

/// The value at a pointer of the file, looking through definitions that stand in for part of it.
fn value_at<'d>(doc: &'d Document, pointer: &str) -> Option<&'d Value> {
    for embedded in &doc.embedded {
        if let Some(rest) = pointer.strip_prefix(embedded.pointer.as_str()) {
            if rest.is_empty() || rest.starts_with('/') {
                return embedded.value.as_ref().and_then(|v| lookup(v, rest));
            }
        }
    }
    lookup(&doc.value, pointer)
}

/// A unified diff of two versions of a file, or `None` when they are equal.
pub fn unified_diff(path: &str, before: &str, after: &str) -> Option<String> {
    if before == after {
        return None;
    }
    let diff = similar::TextDiff::from_lines(before, after);
    Some(
        diff.unified_diff()
            .context_radius(3)
            .header(
                &format!("a/{}", path.trim_start_matches('/')),
                &format!("b/{}", path.trim_start_matches('/')),
            )
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::RuleSettings;

    fn fix(name: &str, text: &str) -> String {
        let options = Options {
            rules: RuleSettings::lint(),
            ..Options::default()
        };
        fix_text(&Origin::File(name.into()), text, &options)
    }

    #[test]
    fn renames_deprecated_map_keys_in_place() {
        let text = "{\"StartAt\": \"M\", \"States\": {\"M\": {\"Type\": \"Map\", \"MaxConcurrency\": 2,\n  \"Parameters\": {\"x.$\": \"$\"},\n  \"Iterator\": {\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"End\": true}}}, \"End\": true}}}";
        let fixed = fix("m.asl.json", text);
        assert_eq!(
            fixed,
            text.replace("\"Parameters\"", "\"ItemSelector\"")
                .replace("\"Iterator\"", "\"ItemProcessor\"")
        );
        assert_eq!(fix("m.asl.json", &fixed), fixed, "a second run changes nothing");
    }

    #[test]
    fn yaml_keys_and_retriers() {
        let text = "StartAt: T\nStates:\n  T:\n    Type: Task\n    Resource: arn:aws:states:::sns:publish\n    Parameters:\n      Message: $.text\n      TopicArn: arn:aws:sns:us-east-1:123456789012:t\n    Retry:\n      - ErrorEquals: [SNS.ThrottledException]\n        MaxAttempts: 3\n      - ErrorEquals: [SNS.ThrottledException]\n        MaxAttempts: 5\n    End: true\n";
        let fixed = fix("m.asl.yaml", text);
        assert_eq!(
            fixed,
            "StartAt: T\nStates:\n  T:\n    Type: Task\n    Resource: arn:aws:states:::sns:publish\n    Parameters:\n      Message.$: $.text\n      TopicArn: arn:aws:sns:us-east-1:123456789012:t\n    Retry:\n      - ErrorEquals: [SNS.ThrottledException]\n        MaxAttempts: 3\n    End: true\n"
        );
        assert_eq!(fix("m.asl.yaml", &fixed), fixed);
    }

    #[test]
    fn json_retriers_go_one_by_one() {
        let text = "{\"StartAt\": \"T\", \"States\": {\"T\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::sns:publish\",\n \"Parameters\": {\"TopicArn\": \"arn:aws:sns:us-east-1:123456789012:t\", \"Message\": \"m\"},\n \"Retry\": [\n  {\"ErrorEquals\": [\"A\", \"B\"]},\n  {\"ErrorEquals\": [\"B\", \"A\"]},\n  {\"ErrorEquals\": [\"A\", \"B\"], \"MaxAttempts\": 9}\n ], \"End\": true}}}";
        let fixed = fix("t.asl.json", text);
        assert!(
            fixed.contains("\"Retry\": [\n  {\"ErrorEquals\": [\"A\", \"B\"]}\n ]"),
            "{fixed}"
        );
    }

    #[test]
    fn a_taken_name_is_left_alone() {
        let text = "{\"StartAt\": \"P\", \"States\": {\"P\": {\"Type\": \"Pass\", \"Parameters\": {\"a\": \"$.x\", \"a.$\": \"$.y\"}, \"End\": true}}}";
        assert_eq!(fix("p.asl.json", text), text);
    }
}
