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
    let dirs = directories(paths);
    let mut out = Vec::new();
    for (path, is_dir) in paths.iter().zip(dirs) {
        if path.as_os_str() == "-" {
            out.push(Input {
                origin: Origin::Stdin,
                explicit: true,
            });
        } else if is_dir {
            out.extend(walk(path).into_iter().map(|(p, explicit)| Input {
                origin: Origin::File(p),
                explicit,
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

/// Paths named on the command line from which a second thread asks the system whether they are
/// directories: a hook given a few hundred files otherwise waits for one `stat` after another
/// (≈ 1 µs each) before any file is checked.
const SPLIT_STAT_PATHS: usize = 128;

/// Whether each path is a directory (`-`, standard input, is not), asked of the system for every
/// path in order; with many paths and a spare core the second half is asked on another thread.
fn directories(paths: &[PathBuf]) -> Vec<bool> {
    let is_dir = |path: &PathBuf| path.as_os_str() != "-" && path.is_dir();
    if paths.len() < SPLIT_STAT_PATHS || !crate::spare_core() {
        return paths.iter().map(is_dir).collect();
    }
    let (first, second) = paths.split_at(paths.len() / 2);
    std::thread::scope(|scope| {
        let other = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn_scoped(scope, || second.iter().map(is_dir).collect::<Vec<_>>());
        let mut dirs: Vec<bool> = first.iter().map(is_dir).collect();
        match other.ok().and_then(|h| h.join().ok()) {
            Some(rest) => dirs.extend(rest),
            None => dirs.extend(second.iter().map(is_dir)),
        }
        dirs
    })
}

/// The files of a directory scan; `true` marks a path the walk could not read (a folder or
/// file without permission), which is then reported as a named file is, never skipped.
fn walk(dir: &Path) -> Vec<(PathBuf, bool)> {
    let mut files: Vec<(PathBuf, bool)> = Vec::new();
    for entry in ignore::WalkBuilder::new(dir)
        .require_git(false)
        .sort_by_file_path(|a, b| a.cmp(b))
        .build()
    {
        match entry {
            Ok(e) if e.file_type().is_some_and(|t| t.is_file()) => {
                let path = e.into_path();
                let scanned = path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| SCAN_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
                if scanned {
                    files.push((path, false));
                }
            }
            Ok(_) => {}
            Err(e) => files.push((error_path(&e).unwrap_or_else(|| dir.to_path_buf()), true)),
        }
    }
    files.sort();
    files
}

/// The path a walk error is about.
fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Partial(errors) => errors.iter().find_map(error_path),
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// Whether a file a directory scan found but could not load is worth a report: it could not be
/// read at all, or its text (UTF-16 decoded, NUL bytes and all) mentions a state machine. A
/// file that reads fine and mentions none (a binary `.json`, an unrelated config) is not a
/// candidate, and is skipped as any other non-machine file is.
pub fn worth_reporting(failure: &source::LoadFailure) -> bool {
    if let Some(text) = &failure.text {
        return mentions_machine(text);
    }
    if failure.diagnostics.iter().any(|d| d.code == source::codes::IO_ERROR) {
        return true;
    }
    let Origin::File(path) = &failure.origin else {
        return true;
    };
    let mut bytes = Vec::new();
    let read = std::fs::File::open(path).and_then(|f| f.take(source::MAX_READ_BYTES).read_to_end(&mut bytes));
    read.is_err() || mentions_machine(&source::sniff_text(&bytes))
}

pub use crate::source::mentions_machine;

#[cfg(test)]
mod tests {
    use super::*;

    /// Many paths (the second half asked on another thread): every path keeps its place and
    /// its answer, directories among them expanded where they stand.
    #[test]
    fn many_paths_keep_their_order_and_kinds() {
        let dir = tempfile::tempdir().unwrap();
        let mut paths = Vec::new();
        for i in 0..2 * SPLIT_STAT_PATHS {
            let path = dir.path().join(format!("{i:04}.json"));
            std::fs::write(&path, "{}").unwrap();
            paths.push(path);
        }
        let sub = dir.path().join("sub");
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("inner.json"), "{}").unwrap();
        paths.insert(SPLIT_STAT_PATHS + 3, sub.clone());
        paths.insert(5, PathBuf::from("-"));
        paths.push(dir.path().join("missing.json"));
        let sequential: Vec<bool> = paths.iter().map(|p| p.as_os_str() != "-" && p.is_dir()).collect();
        assert_eq!(directories(&paths), sequential);
        assert_eq!(sequential.iter().filter(|d| **d).count(), 1);

        let at = paths.iter().position(|p| *p == sub).unwrap();
        let inputs = expand(&paths);
        assert_eq!(inputs.len(), paths.len());
        assert_eq!(inputs[5].origin, Origin::Stdin);
        assert_eq!(inputs[at].origin, Origin::File(sub.join("inner.json")));
        assert!(!inputs[at].explicit);
        assert_eq!(
            inputs.last().unwrap().origin,
            Origin::File(dir.path().join("missing.json"))
        );
    }
}
