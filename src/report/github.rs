//! GitHub Actions workflow commands: one `::error …::message` line per finding, shown as
//! annotations on the pull request.

use std::fmt::Write;

use super::Report;
use crate::diagnostic::Severity;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let level = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let mut props = format!("file={}", escape_property(&f.path));
            if let Some(r) = f.resolve(d) {
                let _ = write!(
                    props,
                    ",line={},col={},endLine={},endColumn={}",
                    r.line, r.column, r.end_line, r.end_column
                );
            }
            let _ = write!(props, ",title={}", escape_property(&title(d.code)));
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(help);
            }
            let _ = writeln!(out, "::{level} {props}::{}", escape_data(&message));
        }
    }
    out
}

/// `ASL104 unknown-transition-target`, or the bare code for one that is not registered.
fn title(code: &str) -> String {
    match crate::check::registry::find(code) {
        Some(rule) => format!("{code} {}", rule.name),
        None => code.to_string(),
    }
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}
