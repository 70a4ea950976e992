//! The `--format json` report (version 1, see README "JSON output"): the structs of the contract,
//! serialized in the order of their fields.

use serde::Serialize;
use serde_json::Value;

use super::{FileReport, Report};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::MachineRef;

/// The whole report.
#[derive(Debug, Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub files: Vec<JsonFile<'a>>,
    pub summary: Summary,
}

/// One file named on the command line (also when it has no findings).
#[derive(Debug, Serialize)]
pub struct JsonFile<'a> {
    pub path: &'a str,
    pub machines: &'a [MachineRef],
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// One finding, with its place resolved to 1-based lines and columns (in characters).
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub code: &'a str,
    pub severity: &'a str,
    pub message: &'a str,
    /// `null` for a finding without a place (a parse error).
    pub pointer: Option<&'a str>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub help: Option<&'a str>,
    pub note: Option<&'a str>,
    pub aws_code: Option<&'a str>,
}

/// Counts over every file.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl<'a> JsonReport<'a> {
    pub fn new(report: &'a Report) -> Self {
        JsonReport {
            version: 1,
            files: report.files.iter().map(JsonFile::new).collect(),
            summary: Summary {
                files: report.files.len(),
                errors: report.count(Severity::Error),
                warnings: report.count(Severity::Warning),
                infos: report.count(Severity::Info),
            },
        }
    }
}

impl<'a> JsonFile<'a> {
    fn new(f: &'a FileReport) -> Self {
        JsonFile {
            path: &f.path,
            machines: &f.machines,
            diagnostics: f.diagnostics.iter().map(|d| JsonDiagnostic::new(f, d)).collect(),
        }
    }
}

impl<'a> JsonDiagnostic<'a> {
    pub fn new(f: &FileReport, d: &'a Diagnostic) -> Self {
        let resolved = f.resolve(d);
        JsonDiagnostic {
            code: d.code,
            severity: d.severity.as_str(),
            message: &d.message,
            pointer: d.pointer(),
            line: resolved.map(|r| r.line),
            column: resolved.map(|r| r.column),
            end_line: resolved.map(|r| r.end_line),
            end_column: resolved.map(|r| r.end_column),
            help: d.help.as_deref(),
            note: d.note.as_deref(),
            aws_code: d.aws_code,
        }
    }
}

pub fn render(report: &Report) -> String {
    let mut text = serde_json::to_string_pretty(&JsonReport::new(report)).unwrap_or_default();
    text.push('\n');
    text
}

/// One diagnostic as a JSON object (the JSON Lines and test reports embed it).
pub fn diagnostic(f: &FileReport, d: &Diagnostic) -> Value {
    serde_json::to_value(JsonDiagnostic::new(f, d)).unwrap_or_default()
}
