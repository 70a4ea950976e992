//! SARIF 2.1.0 output for code-scanning tools (GitHub code scanning, Azure DevOps, …).

use serde_json::{json, Value};

use super::Report;
use crate::check::registry::RULES;
use crate::diagnostic::Severity;

pub fn render(report: &Report) -> String {
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
    for f in &report.files {
        for d in &f.diagnostics {
            let mut location = json!({"physicalLocation": {"artifactLocation": {"uri": uri(&f.path)}}});
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
            results.push(json!({
                "ruleId": d.code,
                "ruleIndex": RULES.iter().position(|r| r.code == d.code),
                "level": level(d.severity),
                "message": {"text": text},
                "locations": [location],
            }));
        }
    }
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "aslkit",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/aslkit/aslkit",
                "rules": rules,
            }},
            "results": results,
        }],
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

/// SARIF wants URIs: relative paths with forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    path.replace('\\', "/").replace('%', "%25").replace(' ', "%20")
}
