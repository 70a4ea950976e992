//! `--format json-lines`: one finding per line, each a JSON object with the fields of a
//! finding in the JSON report (version 1) and the `path` of its file first. A clean run prints
//! nothing; line-oriented tools (`grep`, `jq -c`, log shippers) read it one finding at a time.

use serde_json::{Map, Value};

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.files {
        for d in &f.diagnostics {
            let mut line = Map::new();
            line.insert("path".into(), Value::String(f.path.clone()));
            if let Value::Object(fields) = super::json::diagnostic(f, d) {
                line.extend(fields);
            }
            out.push_str(&serde_json::to_string(&Value::Object(line)).unwrap_or_default());
            out.push('\n');
        }
    }
    out
}
