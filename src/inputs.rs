//! Turning command-line paths into inputs: files as given, directories walked recursively
//! (honouring `.gitignore`, `.ignore` and hidden-file conventions via the `ignore` crate), and
//! `-` for standard input.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::source::{self, Loaded, Origin};

/// Extensions picked up in directory scans.
pub const SCAN_EXTENSIONS: &[&str] = &["json", "yaml", "yml", "tf"];

/// One thing to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub origin: Origin,
    /// Named on the command line (always checked) rather than found by a directory scan
    /// (skipped silently when it is not a state machine).
    pub explicit: bool,
}

impl Input {
    pub fn load(&self) -> Loaded {
        match &self.origin {
            Origin::File(path) => source::load_path(path),
            Origin::Stdin => {
                let mut bytes = Vec::new();
                let limit = source::MAX_READ_BYTES;
                match std::io::stdin().lock().take(limit + 1).read_to_end(&mut bytes) {
                    Ok(_) => source::load_bytes(Origin::Stdin, bytes),
                    Err(e) => Loaded::Failed(source::LoadFailure {
                        origin: Origin::Stdin,
                        text: None,
                        diagnostics: vec![crate::diagnostic::Diagnostic::new(
                            source::codes::IO_ERROR,
                            format!("cannot read standard input: {e}"),
                        )],
                    }),
                }
            }
        }
    }
}

/// Expands command-line paths. No paths means the current directory. Directories are walked
/// in a stable (sorted) order; paths that do not exist stay as explicit inputs so that loading
/// reports them.
pub fn expand(paths: &[PathBuf]) -> Vec<Input> {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() { &default[..] } else { paths };
    let mut out = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            out.push(Input {
                origin: Origin::Stdin,
                explicit: true,
            });
        } else if path.is_dir() {
            out.extend(walk(path).into_iter().map(|p| Input {
                origin: Origin::File(p),
                explicit: false,
            }));
        } else {
            out.push(Input {
                origin: Origin::File(path.clone()),
                explicit: true,
            });
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SCAN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        })
        .collect();
    files.sort();
    files
}

pub use crate::source::mentions_machine;
