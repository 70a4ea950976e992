//! The `--format json` report (version 1, see README "JSON output").

use serde_json::{json, Value};

use super::{FileReport, Report};
use crate::diagnostic::{Diagnostic, Severity};

pub fn render(report: &Report) -> String {
    let files: Vec<Value> = report.files.iter().map(file).collect();
    let value = json!({
        "version": 1,
        "files": files,
        "summary": {
            "files": report.files.len(),
            "errors": report.count(Severity::Error),
            "warnings": report.count(Severity::Warning),
            "infos": report.count(Severity::Info),
        }
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn file(f: &FileReport) -> Value {
    json!({
        "path": f.path,
        "machines": f.machines,
        "diagnostics": f.diagnostics.iter().map(|d| diagnostic(f, d)).collect::<Vec<_>>(),
    })
}

/// One diagnostic as a JSON object (also used by other reporters' tests).
pub fn diagnostic(f: &FileReport, d: &Diagnostic) -> Value {
    let resolved = f.resolve(d);
    json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "pointer": d.pointer(),
        "line": resolved.map(|r| r.line),
        "column": resolved.map(|r| r.column),
        "end_line": resolved.map(|r| r.end_line),
        "end_column": resolved.map(|r| r.end_column),
        "help": d.help,
        "note": d.note,
        "aws_code": d.aws_code,
    })
}
