//! `aslkit rules --format json`: one row per rule (version 1), in code order.

use serde::Serialize;

use crate::check::RuleMeta;

/// One rule as `aslkit rules --format json` lists it.
#[derive(Debug, Serialize)]
pub struct RuleRow {
    pub code: &'static str,
    pub name: &'static str,
    pub summary: &'static str,
    pub severity: &'static str,
    pub aws_code: Option<&'static str>,
    /// `rule`, `loader` or `schema`: what reports the code.
    pub reported_by: &'static str,
    pub group: &'static str,
    pub fixable: bool,
}

impl From<&RuleMeta> for RuleRow {
    fn from(r: &RuleMeta) -> Self {
        RuleRow {
            code: r.code,
            name: r.name,
            summary: r.summary,
            severity: r.severity.as_str(),
            aws_code: r.aws_code,
            reported_by: r.emitted_by,
            group: r.group.as_str(),
            fixable: r.fixable,
        }
    }
}

/// The rows of `rules`, pretty-printed, with a final newline.
pub fn to_json(rules: &[RuleMeta]) -> String {
    let rows: Vec<RuleRow> = rules.iter().map(RuleRow::from).collect();
    format!("{}\n", serde_json::to_string_pretty(&rows).unwrap_or_default())
}
