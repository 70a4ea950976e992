//! Checking a document: the schema, then every registered rule, over every machine in it.
//!
//! Input: a loaded [`Document`]. Output: `Vec<Diagnostic>` sorted by position. Rules are plain
//! functions listed in [`registry`]; each reports through a [`Context`] that stamps the rule's
//! code, its configured severity and its AWS code, so a rule body only says what and where.

pub mod expressions;
pub mod handlers;
pub mod registry;
pub mod rules;
pub mod schema;
pub mod settings;

use serde_json::Value;

use crate::analysis::Analysis;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{MachineType, StateMachine};
use crate::source::{codes, Document, MachineRef};
pub use registry::{Group, RuleMeta, RULES};
pub use settings::RuleSettings;

/// Settings that change what is checked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub machine_type: MachineType,
    /// Which rules run and at what severity (validate's defaults unless `aslkit lint` says otherwise).
    pub rules: RuleSettings,
}

/// What a rule sees: the document, the machine being checked, the options, and a sink.
pub struct Context<'a, 'v> {
    pub doc: &'a Document,
    pub machine: &'a StateMachine<'v>,
    pub options: &'a Options,
    /// What several rules need to know about the machine, worked out once for all of them.
    pub facts: &'a Analysis<'a, 'v>,
    rule: &'static RuleMeta,
    out: &'a mut Vec<Diagnostic>,
}

impl Context<'_, '_> {
    /// A diagnostic with the current rule's code; finish it with `.at_*()` and `report` it.
    pub fn diagnostic(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::new(self.rule.code, message)
    }

    /// Records a finding, stamped with the rule's severity and AWS code.
    pub fn report(&mut self, mut diagnostic: Diagnostic) {
        diagnostic.code = self.rule.code;
        diagnostic.severity = self.rule.severity;
        if diagnostic.aws_code.is_none() {
            diagnostic.aws_code = self.rule.aws_code;
        }
        self.out.push(diagnostic);
    }
}

/// Checks every machine in a document and returns the findings in source order.
pub fn check_document(doc: &Document, options: &Options) -> Vec<Diagnostic> {
    let mut out = doc.load_diagnostics.clone();
    for machine in &doc.machines {
        let Some(value) = doc.machine_value(machine) else {
            continue;
        };
        // A template's `StateMachineType` says which kind the machine is; it wins over `--type`.
        let declared = machine.template.as_ref().and_then(|t| t.machine_type);
        let declared_options;
        let options = match declared {
            Some(machine_type) => {
                let mut own = options.clone();
                own.machine_type = machine_type;
                declared_options = own;
                &declared_options
            }
            None => options,
        };
        check_machine(doc, value, machine, options, &mut out);
    }
    let machine_pointers: Vec<&str> = doc.machines.iter().map(|m| m.pointer.as_str()).collect();
    options.rules.apply(&mut out, &machine_pointers);
    sort_and_dedup(doc, &mut out);
    out
}

fn check_machine(doc: &Document, value: &Value, machine: &MachineRef, options: &Options, out: &mut Vec<Diagnostic>) {
    let pointer = machine.pointer.as_str();
    if !value.is_object() {
        out.push(
            Diagnostic::new(
                codes::NOT_AN_OBJECT,
                format!(
                    "a state machine definition must be a JSON object, not {}",
                    describe_type(value)
                ),
            )
            .at_value(pointer)
            .help("a definition looks like {\"StartAt\": \"First\", \"States\": {\"First\": {…}}}")
            .aws_code("SCHEMA_VALIDATION_FAILED"),
        );
        return;
    }
    let in_template = !pointer.is_empty() || machine.template.is_some();
    if doc.text.len() >= CONCURRENT_BYTES && crate::spare_core() {
        if let Some(found) = schema_beside_rules(doc, value, pointer, in_template, options) {
            out.extend(found);
            return;
        }
    }
    schema::check_with(value, pointer, in_template, out);
    run_rules(doc, value, pointer, options, out);
}

/// From this size of file on, a machine's schema verdict runs on a thread of its own beside the
/// rules when a core is free: for a 0.9 MB definition the verdict is a seventh of the checking,
/// and starting a thread costs about what checking 10 kB does.
const CONCURRENT_BYTES: usize = 64 * 1024;

/// The schema's findings followed by the rules' (the order of checking them one after the
/// other), the schema checked on another thread meanwhile; `None` when no thread could be
/// started (nothing was checked then).
fn schema_beside_rules(
    doc: &Document,
    value: &Value,
    pointer: &str,
    in_template: bool,
    options: &Options,
) -> Option<Vec<Diagnostic>> {
    std::thread::scope(|scope| {
        let schema = std::thread::Builder::new()
            .stack_size(crate::WORKER_STACK_BYTES)
            .spawn_scoped(scope, || {
                let mut found = Vec::new();
                schema::check_with(value, pointer, in_template, &mut found);
                found
            })
            .ok()?;
        let mut rules = Vec::new();
        run_rules(doc, value, pointer, options, &mut rules);
        // A panic in the schema is the file's internal error, as when it ran here.
        let mut found = schema.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        found.append(&mut rules);
        Some(found)
    })
}

/// Builds the model of the machine at `pointer` and runs every enabled rule on it (everything
/// [`check_document`] does after the JSON Schema), appending findings unsorted. Public so that
/// `cargo bench --bench stages` can time the rules on their own.
pub fn run_rules(doc: &Document, value: &Value, pointer: &str, options: &Options, out: &mut Vec<Diagnostic>) {
    let model = StateMachine::build(value, pointer);
    let facts = Analysis::new(&model);
    for rule in RULES {
        if !options.rules.enabled(rule) {
            continue;
        }
        if let Some(check) = rule.check {
            let mut ctx = Context {
                doc,
                machine: &model,
                options,
                facts: &facts,
                rule,
                out: &mut *out,
            };
            check(&mut ctx);
        }
    }
}

/// "an array", "a string", … for messages.
pub fn describe_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn sort_and_dedup(doc: &Document, out: &mut Vec<Diagnostic>) {
    let position = |d: &Diagnostic| -> usize {
        if let Some((start, _)) = d.offset {
            if d.location.is_none() {
                return start;
            }
        }
        d.location
            .as_ref()
            .and_then(|l| {
                doc.spans().get(&l.pointer).map(|s| match l.target {
                    crate::diagnostic::Target::Key => s.key.clone().unwrap_or(s.value.clone()).start,
                    _ => s.value.start,
                })
            })
            .unwrap_or(0)
    };
    out.sort_by_cached_key(|d| (position(d), std::cmp::Reverse(d.severity), d.code));
    out.dedup_by(|a, b| a.code == b.code && a.location == b.location && a.message == b.message);
}

/// Counts per severity.
pub fn count(diagnostics: &[Diagnostic], severity: Severity) -> usize {
    diagnostics.iter().filter(|d| d.severity == severity).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{load_bytes, Loaded, Origin};

    /// The scope graphs are built once per scope for all the rules (they were built by each rule
    /// that needed one).
    #[test]
    fn scope_graphs_are_built_once_per_scope() {
        let text = r#"{"StartAt": "Fan", "States": {
            "Fan": {"Type": "Parallel", "Next": "Loop", "Branches": [
                {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}},
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "Next": "B"}}}]},
            "Loop": {"Type": "Pass", "Next": "Loop"},
            "Island": {"Type": "Pass", "Next": "Nowhere"}}}"#;
        let Loaded::Document(doc) = load_bytes(Origin::File("m.asl.json".into()), text.as_bytes().to_vec()) else {
            panic!("the machine loads");
        };
        let options = Options {
            rules: RuleSettings::lint(),
            ..Options::default()
        };
        let builds = || crate::graph::BUILDS.with(std::cell::Cell::get);
        let before = builds();
        let found = check_document(&doc, &options);
        assert_eq!(builds() - before, 3, "three scopes, one graph each");
        // The rules that read the graphs did run.
        for code in ["ASL103", "ASL104", "ASL311"] {
            assert!(found.iter().any(|d| d.code == code), "{code}: {found:#?}");
        }
    }
}
