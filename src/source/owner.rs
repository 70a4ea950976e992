//! The template that names a definition file, for a file checked on its own.
//!
//! `aslkit validate statemachine/reminder.asl.yaml` judges a file whose `${ReminderTimeout}` is
//! filled in by the `DefinitionSubstitutions` of a template elsewhere. When such a file (one
//! with a `${…}` in it) is named alone, the folders above it are searched for the template
//! that points at it (`DefinitionUri`, Serverless `${file(…)}`), and the file is judged with
//! that template's context, as a directory scan would (a Terraform `templatefile(…)` too).
//!
//! Bounded: the file's folder and at most [`MAX_LEVELS`] folders above it, stopping at the
//! folder holding `.git`; only `.json`, `.yaml`, `.yml` and `.tf` files that mention the file's name
//! and are small enough to be templates are parsed.

use std::path::{Path, PathBuf};

use super::templates::Reference;
use super::{load_bytes, Loaded, Origin, AWS_MAX_DEFINITION_BYTES};

/// Folders above the file's own that are searched.
pub const MAX_LEVELS: usize = 3;

/// Whether a file's text has a placeholder that a template could fill in.
pub fn has_placeholders(text: &str) -> bool {
    // Every definition file named on the command line is searched: memchr's SIMD search.
    memchr::memmem::find(text.as_bytes(), b"${").is_some()
}

/// The template machine whose definition is the file at `path`, named as the user named it.
pub fn find(path: &Path) -> Option<Reference> {
    let target = std::fs::canonicalize(path).ok()?;
    let name = target.file_name()?.to_str()?.to_string();
    for dir in target.ancestors().skip(1).take(MAX_LEVELS + 1) {
        for candidate in candidates(dir, &target) {
            let Ok(bytes) = std::fs::read(&candidate) else {
                continue;
            };
            if !String::from_utf8_lossy(&bytes).contains(&name) {
                continue;
            }
            let Loaded::Document(doc) = load_bytes(Origin::File(candidate), bytes) else {
                continue;
            };
            let found = doc
                .references
                .into_iter()
                .find(|r| std::fs::canonicalize(&r.path).is_ok_and(|p| p == target));
            if let Some(reference) = found {
                return Some(Reference {
                    path: path.to_path_buf(),
                    machine: reference.machine,
                });
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

/// The files of `dir` that could be templates, in name order.
fn candidates(dir: &Path, target: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            e.metadata()
                .is_ok_and(|m| m.is_file() && m.len() <= AWS_MAX_DEFINITION_BYTES as u64)
        })
        .map(|e| e.path())
        .filter(|p| p != target)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["json", "yaml", "yml", "tf"].contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    files.sort();
    files
}
