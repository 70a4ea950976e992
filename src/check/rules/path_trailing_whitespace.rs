use serde_json::Value;

use crate::check::expressions::in_string;
use crate::check::Context;
use crate::declare_rule;
use crate::expr::{jsonpath, Span};

declare_rule! {
    /// ## What it does
    /// Warns when a path ends in whitespace: `"$$.Execution.Name "`, `"InputPath": "$.order "`.
    ///
    /// ## Why it matters
    /// Step Functions reads paths with Jayway JsonPath, which trims a path before compiling it,
    /// so the machine works; but the space is invisible in review, other tools (and anyone
    /// comparing or copying the path) read it differently, and the same space in a name inside
    /// the path would be an error.
    ///
    /// ## Example
    /// ```json
    /// "Parameters": {"name.$": "$$.Execution.Name "}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// "Parameters": {"name.$": "$$.Execution.Name"}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html>
    /// - <https://github.com/json-path/JsonPath> (Jayway JsonPath; `PathCompiler` trims the path)
    pub struct PathTrailingWhitespace {
        code: "ASL209",
        name: "path-trailing-whitespace",
        summary: "A path ends in whitespace, which Step Functions trims before reading it",
        severity: Warning,
        aws_code: None,
    }
}

impl PathTrailingWhitespace {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        // A path that ends in whitespace, and its pointer (worked out for those only).
        let ends_in_whitespace = |text: &str| {
            let trimmed = text.trim_end();
            trimmed.len() != text.len() && trimmed.starts_with('$') && jsonpath::parse(trimmed).is_ok()
        };
        let mut found: Vec<(String, &str)> = Vec::new();
        for field in facts.path_fields() {
            if let Some(text) = field.value.as_str().filter(|t| ends_in_whitespace(t)) {
                found.push((field.pointer(), text));
            }
        }
        for member in facts.payload_members() {
            if let (true, Value::String(text)) = (member.key.ends_with(".$"), member.value) {
                if ends_in_whitespace(text) {
                    found.push((member.pointer(), text));
                }
            }
        }
        for (pointer, text) in found {
            let trimmed = text.trim_end();
            let span = Span::new(trimmed.chars().count(), text.chars().count());
            let d = ctx
                .diagnostic(format!("the path `{trimmed}` ends in whitespace"))
                .at(in_string(&pointer, text, span))
                .label("trailing whitespace, trimmed by Step Functions")
                .help(format!("write \"{trimmed}\""));
            ctx.report(d);
        }
    }
}
