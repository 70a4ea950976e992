//! Diagrams of a state machine: the model and its scope graphs turned into a format-neutral
//! [`Diagram`] (scopes with start and end markers, one node per state, labelled edges), which
//! one module per format prints ([`mermaid`], [`dot`]).
//!
//! Drawing never fails: a broken machine is drawn as written (an unknown `Type` is a plain
//! node, a transition to a missing state is left out — the validator reports it). Node ids are
//! derived from the states' JSON Pointers, so they are stable across runs and edits of other
//! states, and safe in every format. A [`trace::Trace`] (the JSON of `aslkit simulate`) marks
//! the states entered and the edges taken.

pub mod coverage;
pub mod dot;
pub mod markdown;
pub mod mermaid;
pub mod trace;

use std::collections::HashSet;

use serde_json::Value;

use crate::analysis::Analysis;
use crate::model::choice;
use crate::model::resource::TaskResource;
use crate::model::{ScopeKind, State, StateMachine, StateType, TransitionKind};

/// Longest edge label before it is cut with `…`.
const MAX_LABEL_CHARS: usize = 40;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A Mermaid flowchart (renders on GitHub and GitLab in a ```mermaid block)
    Mermaid,
    /// Graphviz DOT
    Dot,
}

impl Format {
    /// The info string of a fenced Markdown code block holding this format.
    pub fn fence(self) -> &'static str {
        match self {
            Format::Mermaid => "mermaid",
            Format::Dot => "dot",
        }
    }
}

/// Renders the machine in the chosen format, highlighting a trace when given.
pub fn render(machine: &StateMachine<'_>, format: Format, trace: Option<&trace::Trace>) -> String {
    let diagram = Diagram::build(machine, trace);
    match format {
        Format::Mermaid => mermaid::render(&diagram),
        Format::Dot => dot::render(&diagram),
    }
}

/// A scope drawn: its markers, its states and the edges between them.
#[derive(Debug, Clone)]
pub struct Scope {
    /// Prefix of the ids of this scope's markers.
    pub id: String,
    /// "branch 0", "ItemProcessor", or empty for the top level.
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

impl Scope {
    pub fn start_id(&self) -> String {
        format!("{}_start", self.id)
    }
    pub fn end_id(&self) -> String {
        format!("{}_end", self.id)
    }
}

/// One state.
#[derive(Debug, Clone)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub kind: Option<StateType>,
    /// What a Task calls (`lambda:invoke`, `aws-sdk:s3:listObjectsV2`), or a Map's concurrency.
    pub detail: Option<String>,
    /// The largest `MaxAttempts` of the state's retriers, when it has any.
    pub retries: Option<u64>,
    /// Parallel branches or a Map's processor.
    pub children: Vec<Scope>,
    /// Entered in the trace.
    pub visited: bool,
}

impl Node {
    /// The type as written, or `?` when `Type` is missing or unknown.
    pub fn type_name(&self) -> &'static str {
        self.kind.map_or("?", StateType::as_str)
    }

    /// The second line of the node's label: type, service action, retries.
    pub fn caption(&self) -> String {
        let mut caption = self.type_name().to_string();
        if let Some(detail) = &self.detail {
            caption.push_str(" · ");
            caption.push_str(detail);
        }
        if let Some(n) = self.retries {
            caption.push_str(&format!(" · retry ×{n}"));
        }
        caption
    }
}

/// Why an edge is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    Start,
    Next,
    Choice,
    Default,
    Catch,
    End,
}

/// An edge between two ids of the same scope (markers included).
#[derive(Debug, Clone)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: Option<String>,
    /// Taken in the trace.
    pub taken: bool,
}

/// The whole machine.
#[derive(Debug, Clone)]
pub struct Diagram {
    pub root: Scope,
    /// Whether a trace was given (formats then add their highlight styles).
    pub traced: bool,
    /// Whether coverage was given: what is not highlighted was never exercised, and formats
    /// draw it faded.
    pub coverage: bool,
}

impl Diagram {
    pub fn build(machine: &StateMachine<'_>, trace: Option<&trace::Trace>) -> Diagram {
        let base = machine.pointer.as_str();
        let analysis = Analysis::new(machine);
        let mut root = build_scope(&analysis, machine, "", base);
        if let Some(trace) = trace {
            mark(&mut root, machine, trace, base);
        }
        Diagram {
            root,
            traced: trace.is_some(),
            coverage: false,
        }
    }
}

/// A pointer from the machine's root: ids do not depend on where a template keeps the
/// definition.
fn relative<'p>(base: &str, pointer: &'p str) -> &'p str {
    pointer.strip_prefix(base).unwrap_or(pointer)
}

/// A node id from a JSON Pointer: ASCII letters and digits stay, `/` becomes `__`, any other
/// character `_xx` (two hex digits) or `_uXXXX_`, so distinct pointers give distinct ids that
/// every format accepts unquoted.
pub fn node_id(pointer: &str) -> String {
    let mut id = String::from("s");
    for c in pointer.chars() {
        match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => id.push(c),
            '/' => id.push_str("__"),
            c if c.is_ascii() => id.push_str(&format!("_{:02x}", c as u32)),
            c => id.push_str(&format!("_u{:x}_", c as u32)),
        }
    }
    id
}

fn build_scope<'a>(analysis: &Analysis<'_, 'a>, scope: &StateMachine<'a>, title: &str, base: &str) -> Scope {
    let facts = analysis.scope(scope);
    let id = node_id(relative(base, &scope.pointer));
    let mut out = Scope {
        id: id.clone(),
        title: title.to_string(),
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    if let Some(start) = scope.start_at.and_then(|s| scope.state(s)) {
        out.edges.push(edge(
            out.start_id(),
            node_id(relative(base, &start.pointer)),
            EdgeKind::Start,
            None,
        ));
    }
    for state in &scope.states {
        let from = node_id(relative(base, &state.pointer));
        out.nodes.push(node(analysis, state, base));
        let rules = choice_labels(state);
        for t in state.transitions() {
            // A target outside the scope is the validator's finding; the diagram leaves it out.
            let Some(target) = facts
                .as_ref()
                .and_then(|f| f.graph.nodes.get(t.target).map(|&n| f.graph.graph[n]))
                .and_then(|i| scope.states.get(i))
            else {
                continue;
            };
            let to = node_id(relative(base, &target.pointer));
            let (kind, label) = match t.kind {
                TransitionKind::Next => (EdgeKind::Next, None),
                TransitionKind::Default => (EdgeKind::Default, Some("default".to_string())),
                TransitionKind::Choice(i) => (EdgeKind::Choice, rules.get(i).cloned().flatten()),
                TransitionKind::Catch(i) => (EdgeKind::Catch, Some(catch_label(state, i))),
            };
            out.edges.push(edge(from.clone(), to, kind, label));
        }
        if state.is_terminal() {
            let label = (state.kind == Some(StateType::Fail)).then(|| "fail".to_string());
            out.edges.push(edge(from, out.end_id(), EdgeKind::End, label));
        }
    }
    out
}

fn edge(from: String, to: String, kind: EdgeKind, label: Option<String>) -> Edge {
    Edge {
        from,
        to,
        kind,
        label: label.map(|l| truncate(&l)),
        taken: false,
    }
}

fn node<'a>(analysis: &Analysis<'_, 'a>, state: &State<'a>, base: &str) -> Node {
    let children = state
        .children
        .iter()
        .map(|scope| {
            let title = match scope.kind {
                ScopeKind::Branch(i) => format!("branch {i}"),
                ScopeKind::ItemProcessor => "ItemProcessor".to_string(),
                ScopeKind::Iterator => "Iterator".to_string(),
                ScopeKind::Root => String::new(),
            };
            build_scope(analysis, scope, &title, base)
        })
        .collect();
    let retries = state.get("Retry").and_then(Value::as_array).and_then(|retriers| {
        // MaxAttempts defaults to 3 (States Language spec, "Retrying after error").
        retriers
            .iter()
            .map(|r| r.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3))
            .max()
    });
    Node {
        id: node_id(relative(base, &state.pointer)),
        name: state.name.to_string(),
        kind: state.kind,
        detail: detail(state),
        retries: retries.filter(|&n| n > 0),
        children,
        visited: false,
    }
}

/// The second thing worth knowing about a state: what a Task calls (in the short form of the
/// AWS console), how long a Wait waits, whether a Map is distributed.
fn detail(state: &State<'_>) -> Option<String> {
    match state.kind? {
        StateType::Task => task_detail(state),
        StateType::Wait => wait_detail(state),
        StateType::Map => {
            let mode = ["ItemProcessor", "Iterator"]
                .iter()
                .find_map(|f| state.get(f))
                .and_then(|p| p.pointer("/ProcessorConfig/Mode"))
                .and_then(Value::as_str);
            (mode == Some("DISTRIBUTED")).then(|| "distributed".to_string())
        }
        _ => None,
    }
}

fn wait_detail(state: &State<'_>) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) => strip_jsonata(s).to_string(),
        v => v.to_string(),
    };
    if let Some(v) = state.get("Seconds").or_else(|| state.get("SecondsPath")) {
        let unit = if v.is_number() { "s" } else { "seconds" };
        return Some(truncate(&format!("{} {unit}", text(v))));
    }
    let until = state.get("Timestamp").or_else(|| state.get("TimestampPath"))?;
    Some(truncate(&format!("until {}", text(until))))
}

/// A JSONata expression without its `{% … %}` delimiters, or the text as it is.
fn strip_jsonata(text: &str) -> &str {
    let trimmed = text.trim();
    trimmed
        .strip_prefix("{%")
        .and_then(|s| s.strip_suffix("%}"))
        .map_or(text, str::trim)
}

fn task_detail(state: &State<'_>) -> Option<String> {
    let resource = state.get("Resource").and_then(Value::as_str)?;
    Some(match TaskResource::parse(resource) {
        TaskResource::Integration(i) => {
            let suffix = i.suffix.map(|s| format!(".{}", s.text)).unwrap_or_default();
            let sdk = if i.sdk { "aws-sdk:" } else { "" };
            format!("{sdk}{}:{}{suffix}", i.service.text, i.action.text)
        }
        TaskResource::LambdaFunction { name, .. } => format!("function:{}", name.text),
        TaskResource::Activity { name } => format!("activity:{}", name.text),
        TaskResource::Other => truncate(resource),
    })
}

fn catch_label(state: &State<'_>, index: usize) -> String {
    let errors: Vec<&str> = state
        .get("Catch")
        .and_then(Value::as_array)
        .and_then(|c| c.get(index))
        .and_then(|c| c.get("ErrorEquals"))
        .and_then(Value::as_array)
        .map(|e| e.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    format!("catch {}", errors.join(", "))
}

/// The condition of each top-level rule of a Choice state, by index in `Choices`.
fn choice_labels(state: &State<'_>) -> Vec<Option<String>> {
    choice::rules(state)
        .iter()
        .filter(|r| r.top_level)
        .map(|r| condition(r.value))
        .collect()
}

/// A short rendering of a choice rule: `$.n > 0`, `And($.a == 1, Not($.b is null))`, or the
/// text of a JSONata `Condition`.
pub fn condition(rule: &Value) -> Option<String> {
    rule.as_object()?;
    if let Some(text) = choice::RuleFields::of(rule).condition() {
        return Some(
            text.as_str()
                .map_or_else(|| text.to_string(), |s| strip_jsonata(s).to_string()),
        );
    }
    describe_test(&choice::Test::of(rule))
}

/// A rule's test as text (`None` for a malformed one, shown as `?` inside others).
fn describe_test(test: &choice::Test) -> Option<String> {
    use choice::{Kind, Relation, Test, TypeTest};
    let nested = |t: &Test| describe_test(t).unwrap_or_else(|| "?".into());
    let c = match test {
        Test::And(items) | Test::Or(items) => {
            let op = if matches!(test, Test::And(_)) { "And" } else { "Or" };
            let parts: Vec<String> = items.iter().map(nested).collect();
            return Some(format!("{op}({})", parts.join(", ")));
        }
        Test::Not(inner) => return Some(format!("Not({})", nested(inner))),
        Test::Malformed => return None,
        Test::Compare(c) => c,
    };
    let variable = c.variable.unwrap_or("?");
    let value = match c.operand {
        // A `…Path` operand is a path: shown bare, as the variable is.
        Value::String(s) if c.operator.reads_path() => s.clone(),
        v => v.to_string(),
    };
    let test = |yes: &str, no: &str| {
        let holds = c.operand.as_bool() != Some(false);
        format!("{variable} {}", if holds { yes } else { no })
    };
    Some(match c.operator.kind() {
        Kind::Type(TypeTest::Null) => test("is null", "is not null"),
        Kind::Type(TypeTest::Present) => test("is present", "is absent"),
        Kind::Type(TypeTest::Numeric) => test("is numeric", "is not numeric"),
        Kind::Type(TypeTest::String) => test("is string", "is not string"),
        Kind::Type(TypeTest::Boolean) => test("is boolean", "is not boolean"),
        Kind::Type(TypeTest::Timestamp) => test("is timestamp", "is not timestamp"),
        Kind::Matches => format!("{variable} matches {value}"),
        Kind::Compare(_, relation) => {
            let symbol = match relation {
                Relation::LessThanEquals => "<=",
                Relation::GreaterThanEquals => ">=",
                Relation::LessThan => "<",
                Relation::GreaterThan => ">",
                Relation::Equals => "==",
            };
            format!("{variable} {symbol} {value}")
        }
    })
}

/// Cuts a label to [`MAX_LABEL_CHARS`] characters, ending it with `…` when cut.
fn truncate(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= MAX_LABEL_CHARS {
        return flat;
    }
    let mut cut: String = flat.chars().take(MAX_LABEL_CHARS - 1).collect();
    cut.push('…');
    cut
}

/// Marks the states a trace entered and the edges it took, scope by scope: consecutive entries
/// in one scope took the edge between them; the start edge when the first state was entered,
/// the end edge when a terminal state was.
fn mark(scope: &mut Scope, model: &StateMachine<'_>, trace: &trace::Trace, base: &str) {
    let entered: Vec<String> = trace
        .entries
        .iter()
        .filter(|e| {
            model
                .state(&e.name)
                // A simulator may give pointers from the definition's root while ours start at
                // the file's (a template): the tail must match.
                .is_some_and(|s| e.pointer.as_deref().is_none_or(|p| s.pointer.ends_with(p)))
        })
        .filter_map(|e| model.state(&e.name).map(|s| node_id(relative(base, &s.pointer))))
        .collect();
    let visited: HashSet<&String> = entered.iter().collect();
    let pairs: HashSet<(&String, &String)> = entered.windows(2).map(|w| (&w[0], &w[1])).collect();
    let start = scope.start_id();
    let end = scope.end_id();
    for edge in &mut scope.edges {
        edge.taken = if edge.from == start {
            visited.contains(&edge.to)
        } else if edge.to == end {
            visited.contains(&edge.from)
        } else {
            pairs.contains(&(&edge.from, &edge.to))
        };
    }
    for node in &mut scope.nodes {
        node.visited = visited.contains(&node.id);
        let Some(state) = model
            .states
            .iter()
            .find(|s| node_id(relative(base, &s.pointer)) == node.id)
        else {
            continue;
        };
        for (child, child_model) in node.children.iter_mut().zip(&state.children) {
            mark(child, child_model, trace, base);
        }
    }
}

/// Renders the machine with a coverage overlay (see [`coverage`]).
pub fn render_with_coverage(machine: &StateMachine<'_>, format: Format, covered: &coverage::Coverage) -> String {
    let mut diagram = Diagram::build(machine, None);
    coverage::mark(&mut diagram, machine, covered);
    match format {
        Format::Mermaid => mermaid::render(&diagram),
        Format::Dot => dot::render(&diagram),
    }
}

/// Calls `visit` on a scope and every scope nested in it.
fn walk_scopes_mut(scope: &mut Scope, visit: &mut impl FnMut(&mut Scope)) {
    visit(scope);
    for node in &mut scope.nodes {
        for child in &mut node.children {
            walk_scopes_mut(child, visit);
        }
    }
}

/// Every node of a scope and its nested scopes, parents first.
pub fn walk_nodes(scope: &Scope) -> Vec<&Node> {
    let mut out = Vec::new();
    for node in &scope.nodes {
        out.push(node);
        for child in &node.children {
            out.extend(walk_nodes(child));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_safe_and_distinct() {
        assert_eq!(node_id("/States/A b"), "s__States__A_20b");
        assert_ne!(node_id("/States/a_2f"), node_id("/States/a/"));
        assert_eq!(node_id("/States/é"), "s__States___ue9_");
    }

    #[test]
    fn conditions() {
        let c = |v: Value| condition(&v).unwrap_or_default();
        assert_eq!(
            c(json!({"Variable": "$.status", "StringEquals": "PAID"})),
            r#"$.status == "PAID""#
        );
        assert_eq!(c(json!({"Variable": "$.n", "NumericGreaterThan": 0})), "$.n > 0");
        assert_eq!(
            c(json!({"Variable": "$.n", "NumericLessThanEqualsPath": "$.max"})),
            "$.n <= $.max"
        );
        assert_eq!(
            c(json!({"Not": {"Variable": "$.x", "IsNull": true}})),
            "Not($.x is null)"
        );
        assert_eq!(
            c(json!({"Condition": "{% $states.input.n > 1 %}"})),
            "$states.input.n > 1"
        );
    }

    #[test]
    fn long_labels_are_cut() {
        let long = "x".repeat(60);
        assert_eq!(truncate(&long).chars().count(), MAX_LABEL_CHARS);
        assert!(truncate(&long).ends_with('…'));
    }
}
