//! SARIF 2.1.0 output for code-scanning tools (GitHub code scanning, Azure DevOps, …).
//!
//! Locations: a path given relative (or, with `--sarif-root`, any path inside that folder) is
//! written relative to the root, `--sarif-root` or else the working directory, with
//! `uriBaseId: "%SRCROOT%"`, and the run's `originalUriBaseIds` says where `%SRCROOT%` is; any
//! other path becomes an absolute `file://` URI. Columns count Unicode characters
//! (`columnKind: unicodeCodePoints`).
//!
//! Every result carries `partialFingerprints["aslkit/v1"]`: a SHA-256 of the rule code, the
//! finding's JSON Pointer and the file's URI (plus a count for repeats), never a line number,
//! so code scanning follows a finding when lines above it move instead of reopening it. The
//! output passes Microsoft's validator (`sarif-multitool validate`) with no errors.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde_json::{json, Value};

use super::Report;
use crate::check::registry::RULES;
use crate::diagnostic::Severity;

/// The name of the base URI of relative locations.
const SRCROOT: &str = "%SRCROOT%";

pub fn render(report: &Report, root: Option<&Path>) -> String {
    let base = Base::new(root);
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.summary},
                "help": {"text": r.docs_text(), "markdown": r.docs_text()},
                "defaultConfiguration": {"level": level(r.severity)},
            })
        })
        .collect();
    let mut results = Vec::new();
    let mut relative = false;
    for f in &report.files {
        let artifact = base.artifact(&f.path);
        relative |= artifact.get("uriBaseId").is_some();
        let mut seen: HashMap<(&str, Option<&str>), usize> = HashMap::new();
        for d in &f.diagnostics {
            let mut location = json!({"physicalLocation": {"artifactLocation": artifact.clone()}});
            if let Some(r) = f.resolve(d) {
                location["physicalLocation"]["region"] = json!({
                    "startLine": r.line, "startColumn": r.column,
                    "endLine": r.end_line, "endColumn": r.end_column,
                });
            }
            if let Some(p) = d.pointer() {
                location["logicalLocations"] = json!([{"fullyQualifiedName": p, "kind": "element"}]);
            }
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(" (");
                text.push_str(help);
                text.push(')');
            }
            let repeat = seen.entry((d.code, d.pointer())).or_default();
            *repeat += 1;
            let identity = format!(
                "{}\0{}\0{}\0{}",
                d.code,
                d.pointer().unwrap_or("-"),
                artifact["uri"].as_str().unwrap_or_default(),
                repeat
            );
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [location],
                "partialFingerprints": {
                    "aslkit/v1": aslkit_base::codec::digest("SHA-256", identity.as_bytes()).unwrap_or_default(),
                },
            });
            if let Some(index) = RULES.iter().position(|r| r.code == d.code) {
                result["ruleIndex"] = json!(index);
            }
            results.push(result);
        }
    }
    let mut run = json!({
        "tool": {"driver": {
            "name": "aslkit",
            "version": env!("CARGO_PKG_VERSION"),
            "informationUri": "https://github.com/aslkit/aslkit",
            "rules": rules,
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if relative {
        run["originalUriBaseIds"] = json!({SRCROOT: {"uri": base.root_uri()}});
    }
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [run],
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Where relative locations start: the absolute root folder.
struct Base {
    /// `None` when the working directory cannot be known: every location is then as given.
    root: Option<PathBuf>,
    /// `--sarif-root` was given: absolute paths inside it are written relative too.
    explicit: bool,
}

impl Base {
    fn new(given: Option<&Path>) -> Self {
        let cwd = std::env::current_dir().ok();
        let root = match (given, &cwd) {
            (Some(r), _) if r.is_absolute() => Some(normalize(r)),
            (Some(r), Some(cwd)) => Some(normalize(&cwd.join(r))),
            (None, Some(cwd)) => Some(normalize(cwd)),
            (_, None) => None,
        };
        Base {
            root,
            explicit: given.is_some(),
        }
    }

    /// The `artifactLocation` of a file named `path` on the command line.
    fn artifact(&self, path: &str) -> Value {
        let given = Path::new(path);
        let Some(root) = &self.root else {
            return json!({"uri": encode(&slashes(path))});
        };
        if path == "<stdin>" {
            return json!({"uri": "stdin"});
        }
        let absolute = normalize(&if given.is_absolute() {
            given.to_path_buf()
        } else {
            std::env::current_dir().map(|cwd| cwd.join(given)).unwrap_or_default()
        });
        match absolute.strip_prefix(root) {
            Ok(inside) if !given.is_absolute() || self.explicit => {
                json!({"uri": encode(&slashes(&inside.to_string_lossy())), "uriBaseId": SRCROOT})
            }
            _ => json!({"uri": file_uri(&absolute)}),
        }
    }

    fn root_uri(&self) -> String {
        let mut uri = self.root.as_deref().map(file_uri).unwrap_or_default();
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }
}

/// `..` and `.` applied to an absolute path without touching the file system (a missing file
/// is still reported at a sensible URI).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn slashes(path: &str) -> String {
    path.replace('\\', "/")
}

/// `file:///abs/path` (`file:///C:/abs/path` on Windows).
fn file_uri(path: &Path) -> String {
    let text = slashes(&path.to_string_lossy());
    let text = if text.starts_with('/') {
        text
    } else {
        format!("/{text}")
    };
    format!("file://{}", encode(&text))
}

/// Percent-encodes what may not stand in a URI path (RFC 3986 `pchar` and `/` stay).
fn encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(encode("a b/ü%.json"), "a%20b/%C3%BC%25.json");
        assert_eq!(file_uri(Path::new("/tmp/x y.json")), "file:///tmp/x%20y.json");
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn relative_paths_use_the_root_and_absolute_ones_file_uris() {
        let base = Base {
            root: Some(PathBuf::from("/repo")),
            explicit: false,
        };
        assert_eq!(
            base.artifact("/elsewhere/a.json"),
            json!({"uri": "file:///elsewhere/a.json"})
        );
        assert_eq!(base.artifact("/repo/a.json"), json!({"uri": "file:///repo/a.json"}));
        assert_eq!(base.root_uri(), "file:///repo/");
        let explicit = Base {
            root: Some(PathBuf::from("/repo")),
            explicit: true,
        };
        assert_eq!(
            explicit.artifact("/repo/w/a.json"),
            json!({"uri": "w/a.json", "uriBaseId": "%SRCROOT%"})
        );
    }
}
