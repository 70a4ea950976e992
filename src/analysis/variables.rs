//! Workflow variables over the graph: where each is assigned, where it is read, and which
//! assignments can have happened before each state. Worked out once per machine and shared by
//! the variable rules (`unassigned-variable`, `unused-variable`, `shadowed-variable`).
//!
//! The semantics are Step Functions' (developer guide, "Passing data between states with
//! variables"):
//!
//! - A state's `Assign` takes effect when the state succeeds, on its way out; every expression
//!   of the state (its own `Assign` included) reads the values from when the state was entered.
//!   A catcher's `Assign` takes effect on that catch edge instead, and the failed state's own
//!   `Assign` does not happen. A top-level Choice rule's `Assign` takes effect when that rule
//!   is taken; the Choice state's own `Assign` is counted on every edge out of it.
//! - The states of one scope (the machine, a Parallel branch, a Map processor) share its
//!   variables. A Parallel branch or an inline Map iteration starts with the variables visible
//!   where its Parallel or Map state runs; what it assigns is gone when it ends. A Distributed
//!   Map's iterations are child executions: they see no variable of the outer scopes.
//! - The fields of a Parallel or Map state itself (`ItemSelector`, `ItemReader`, `Arguments`, …)
//!   are evaluated in the enclosing scope.
//!
//! [`Variables`] answers "may `$x` have been assigned when this state starts?" (a forward,
//! union data flow over every transition, Catch edges included, iterated to a fixpoint so loops
//! are covered), so a read reported by `unassigned-variable` is unassigned on *every* path to
//! it: the execution fails there whichever way it came. Unreachable states are left out (no path
//! reaches them, so every variable would look unassigned there).

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::jsonata::ParsedJsonata;
use super::Analysis;
use crate::diagnostic::Location;
use crate::expr::intrinsics::{ArgKind, Call};
use crate::expr::jsonata_refs::{variable_names, variable_reads};
use crate::expr::jsonpath::{self, Path};
use crate::expr::payload::{parse_payload_value, PayloadExpr};
use crate::graph::ScopeGraph;
use crate::model::fields::{catchers, path_fields, payload_templates, PathKind};
use crate::model::{QueryLanguage, ScopeKind, State, StateMachine, StateType, TransitionKind};
use crate::pointer::child;
use crate::pointer::{for_each_member_value, member_pointer};

/// One variable an `Assign` object sets.
#[derive(Debug, Clone)]
pub struct Assignment<'a> {
    /// The name, without `$` (and without the `.$` a JSONPath key ends with).
    pub name: &'a str,
    /// Pointer of the key in the `Assign` object.
    pub pointer: String,
}

/// Which transitions an `Assign` object takes effect on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteKind {
    /// The state's own `Assign`: every transition but the catch edges.
    Own,
    /// `Catch[i].Assign`.
    Catcher(usize),
    /// `Choices[i].Assign`.
    Rule(usize),
}

impl SiteKind {
    fn applies_to(self, transition: TransitionKind) -> bool {
        match (self, transition) {
            (SiteKind::Own, TransitionKind::Catch(_)) => false,
            (SiteKind::Own, _) => true,
            (SiteKind::Catcher(i), TransitionKind::Catch(j)) | (SiteKind::Rule(i), TransitionKind::Choice(j)) => i == j,
            _ => false,
        }
    }
}

/// An `Assign` object and the transitions it takes effect on.
#[derive(Debug, Clone)]
pub struct AssignSite<'a> {
    pub kind: SiteKind,
    pub assignments: Vec<Assignment<'a>>,
    /// The states (indices in the scope) the transitions lead to; empty when they end the scope.
    pub targets: Vec<usize>,
}

/// `$name` read by an expression of a state.
#[derive(Debug, Clone)]
pub struct Read {
    pub name: String,
    pub location: Location,
    /// Written as a JSONata function call, `$name(…)`.
    pub called: bool,
}

/// What one state does with variables, and which may be assigned when it starts.
#[derive(Debug, Clone, Default)]
pub struct StateFlow<'a> {
    pub reachable: bool,
    /// Variables that some path from the start of the machine may have assigned when the state
    /// starts (those visible from enclosing scopes included).
    pub entry: HashSet<&'a str>,
    pub sites: Vec<AssignSite<'a>>,
    /// The variable reads of the state's own fields (catchers and Choice rules included).
    pub reads: Vec<Read>,
    /// Every name any expression of the state could read, generously (built-in function names
    /// and locally bound names included), together with those of the nested scopes that see
    /// this scope's variables (Parallel branches, inline Map processors).
    pub names: HashSet<String>,
}

/// The variable flow of one scope.
pub struct ScopeFlow<'a> {
    /// "the state machine", "branch 0 of \"Fan\"", … ([`StateMachine::describe`]).
    pub describe: String,
    /// For a nested scope: the index of the enclosing scope's flow, and the index there of its
    /// Parallel or Map state.
    pub parent: Option<(usize, usize)>,
    /// State names, in `scope.states` order.
    pub state_names: Vec<&'a str>,
    /// For each state, the states its transitions lead to.
    pub successors: Vec<Vec<usize>>,
    /// The iterations of a Distributed Map: no outer variable is visible.
    pub distributed: bool,
    /// The variables visible when the scope starts.
    pub inherited: HashSet<&'a str>,
    /// One per state, in `scope.states` order.
    pub states: Vec<StateFlow<'a>>,
}

/// The variable flow of a whole machine, one [`ScopeFlow`] per scope, parents before children.
pub struct Variables<'a> {
    pub scopes: Vec<ScopeFlow<'a>>,
}

impl<'a> Variables<'a> {
    /// Works out the flow of the analysed machine, from its parsed JSONata expressions and its
    /// scope graphs.
    pub fn analyze(analysis: &Analysis<'_, 'a>) -> Self {
        let mut by_state: HashMap<&str, Vec<&ParsedJsonata<'a>>> = HashMap::new();
        for parsed in analysis.jsonata() {
            by_state.entry(parsed.state.as_str()).or_default().push(parsed);
        }
        let mut out = Variables { scopes: Vec::new() };
        out.scope(
            analysis,
            analysis.machine(),
            None,
            false,
            Some(HashSet::new()),
            &by_state,
        );
        out
    }

    /// Every name assigned anywhere in the machine, for "did you mean".
    pub fn assigned_names(&self) -> HashSet<&'a str> {
        self.scopes
            .iter()
            .flat_map(|s| &s.states)
            .flat_map(|s| &s.sites)
            .flat_map(|site| site.assignments.iter().map(|a| a.name))
            .collect()
    }

    /// Adds the flow of `scope` and of its nested scopes; returns its index. `inherited` is
    /// `None` when the scope is never entered (its Parallel or Map state is unreachable).
    fn scope(
        &mut self,
        analysis: &Analysis<'_, 'a>,
        scope: &StateMachine<'a>,
        parent: Option<(usize, usize)>,
        distributed: bool,
        inherited: Option<HashSet<&'a str>>,
        jsonata: &HashMap<&str, Vec<&ParsedJsonata<'a>>>,
    ) -> usize {
        // The analysis's graph of the scope (a scope of another machine gets its own).
        let shared = analysis.scope(scope);
        let own;
        let graph: &ScopeGraph<'a> = match &shared {
            Some(facts) => facts.graph,
            None => {
                own = ScopeGraph::build(scope);
                &own
            }
        };
        let live = inherited.is_some();
        let inherited = inherited.unwrap_or_default();
        let reachable = if live {
            shared
                .as_ref()
                .map_or_else(|| graph.reachable(), |facts| facts.reachable().to_vec())
        } else {
            vec![false; scope.states.len()]
        };
        let index_of = |name: &str| graph.nodes.get(name).map(|&n| graph.graph[n]);
        let mut states: Vec<StateFlow<'a>> = scope
            .states
            .iter()
            .enumerate()
            .map(|(i, state)| {
                let mut flow = StateFlow {
                    reachable: reachable[i],
                    sites: assign_sites(state, &index_of),
                    ..StateFlow::default()
                };
                collect_reads(state, jsonata.get(state.pointer.as_str()), &mut flow);
                flow
            })
            .collect();
        // Forward may-analysis to a fixpoint: a worklist of states whose entry set grew.
        if let Some(start) = scope.start_at.and_then(index_of) {
            states[start].entry = inherited.clone();
            let mut visited = vec![false; scope.states.len()];
            visited[start] = true;
            let mut work = vec![start];
            while let Some(i) = work.pop() {
                let out_sets: Vec<(usize, HashSet<&'a str>)> = scope.states[i]
                    .transitions()
                    .iter()
                    .filter_map(|t| index_of(t.target).map(|to| (t, to)))
                    .map(|(t, to)| {
                        let mut set = states[i].entry.clone();
                        for site in &states[i].sites {
                            if site.kind.applies_to(t.kind) {
                                set.extend(site.assignments.iter().map(|a| a.name));
                            }
                        }
                        (to, set)
                    })
                    .collect();
                for (to, set) in out_sets {
                    let before = states[to].entry.len();
                    states[to].entry.extend(set);
                    if states[to].entry.len() > before || !visited[to] {
                        visited[to] = true;
                        work.push(to);
                    }
                }
            }
        }
        let successors = scope
            .states
            .iter()
            .map(|state| state.transitions().iter().filter_map(|t| index_of(t.target)).collect())
            .collect();
        let index = self.scopes.len();
        self.scopes.push(ScopeFlow {
            describe: scope.describe(),
            parent,
            state_names: scope.states.iter().map(|s| s.name).collect(),
            successors,
            distributed,
            inherited,
            states,
        });
        for (i, state) in scope.states.iter().enumerate() {
            for nested in &state.children {
                let distributed =
                    matches!(nested.kind, ScopeKind::ItemProcessor | ScopeKind::Iterator) && is_distributed(state);
                let flow = &self.scopes[index].states[i];
                let seen = match (flow.reachable, distributed) {
                    (false, _) => None,
                    (true, true) => Some(HashSet::new()),
                    (true, false) => Some(flow.entry.clone()),
                };
                let child_index = self.scope(analysis, nested, Some((index, i)), distributed, seen, jsonata);
                if !distributed {
                    let names: HashSet<String> = self.scopes[child_index..]
                        .iter()
                        .filter(|s| is_visible_from(&self.scopes, s, index))
                        .flat_map(|s| s.states.iter().flat_map(|f| f.names.iter().cloned()))
                        .collect();
                    self.scopes[index].states[i].names.extend(names);
                }
            }
        }
        index
    }
}

/// Whether the variables of scope `ancestor` are visible in `scope`: no Distributed Map
/// boundary between them.
fn is_visible_from(scopes: &[ScopeFlow<'_>], scope: &ScopeFlow<'_>, ancestor: usize) -> bool {
    let mut current = scope;
    loop {
        if current.distributed {
            return false;
        }
        match current.parent {
            Some((p, _)) if p == ancestor => return true,
            Some((p, _)) => current = &scopes[p],
            None => return false,
        }
    }
}

/// A Map whose `ItemProcessor` runs in `DISTRIBUTED` mode.
pub fn is_distributed(state: &State<'_>) -> bool {
    state.kind == Some(StateType::Map)
        && state
            .get("ItemProcessor")
            .and_then(|p| p.get("ProcessorConfig"))
            .and_then(|c| c.get("Mode"))
            .and_then(Value::as_str)
            == Some("DISTRIBUTED")
}

/// The `Assign` objects of a state, each with the states its transitions lead to.
fn assign_sites<'a>(state: &State<'a>, index_of: &dyn Fn(&str) -> Option<usize>) -> Vec<AssignSite<'a>> {
    let jsonpath = state.query_language == QueryLanguage::JsonPath;
    let transitions = state.transitions();
    let targets = |keep: &dyn Fn(TransitionKind) -> bool| -> Vec<usize> {
        transitions
            .iter()
            .filter(|t| keep(t.kind))
            .filter_map(|t| index_of(t.target))
            .collect()
    };
    let assignments = |object: Option<&'a Value>, pointer: String| -> Vec<Assignment<'a>> {
        object
            .and_then(Value::as_object)
            .map(|o| {
                o.keys()
                    .map(|key| Assignment {
                        name: if jsonpath {
                            key.strip_suffix(".$").unwrap_or(key)
                        } else {
                            key
                        },
                        pointer: child(&pointer, key),
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut sites = Vec::new();
    // The state's own `Assign`: on success, i.e. every transition but the catch edges (for a
    // Choice state, every rule and `Default`).
    let own = assignments(state.get("Assign"), state.field_pointer("Assign"));
    if !own.is_empty() {
        sites.push(AssignSite {
            kind: SiteKind::Own,
            assignments: own,
            targets: targets(&|k| SiteKind::Own.applies_to(k)),
        });
    }
    for (i, catcher) in catchers(state) {
        let pointer = child(&child(&state.field_pointer("Catch"), &i.to_string()), "Assign");
        let own = assignments(catcher.get("Assign"), pointer);
        if !own.is_empty() {
            sites.push(AssignSite {
                kind: SiteKind::Catcher(i),
                assignments: own,
                targets: targets(&|k| SiteKind::Catcher(i).applies_to(k)),
            });
        }
    }
    for (i, rule) in state.choice_rules().iter().filter(|r| r.top_level).enumerate() {
        let own = assignments(rule.get("Assign"), rule.field_pointer("Assign"));
        if !own.is_empty() {
            sites.push(AssignSite {
                kind: SiteKind::Rule(i),
                assignments: own,
                targets: targets(&|k| SiteKind::Rule(i).applies_to(k)),
            });
        }
    }
    sites
}

/// The variable reads of a state's expressions: JSONata `{% … %}` strings, JSONPath paths and
/// the paths inside intrinsic calls.
fn collect_reads(state: &State<'_>, jsonata: Option<&Vec<&ParsedJsonata<'_>>>, flow: &mut StateFlow<'_>) {
    for parsed in jsonata.into_iter().flatten() {
        let Ok(ast) = &parsed.ast else {
            continue;
        };
        // Characters before the expression in the string: `{%`.
        const OPENER: usize = 2;
        for read in variable_reads(ast) {
            flow.reads.push(Read {
                location: Location::in_string(
                    parsed.expr.pointer.clone(),
                    OPENER + read.span.start,
                    OPENER + read.span.end.max(read.span.start + 1),
                ),
                name: read.name,
                called: read.called,
            });
        }
        flow.names.extend(variable_names(ast));
    }
    if state.query_language != QueryLanguage::JsonPath {
        return;
    }
    let mut paths: Vec<(Path, String)> = Vec::new();
    for field in path_fields(state) {
        let Some(text) = field.value.as_str().filter(|t| may_read_variable(t)) else {
            continue;
        };
        match field.kind {
            PathKind::ReferenceOrStringIntrinsic => {
                if let Ok(expr) = parse_payload_value(text) {
                    payload_paths(expr, &field.pointer(), &mut paths);
                }
            }
            _ => {
                if let Ok(path) = jsonpath::parse(text) {
                    paths.push((path, field.pointer()));
                }
            }
        }
    }
    for template in payload_templates(state) {
        for_each_member_value(template.value, &mut |_, key, value| {
            let Some(text) = value.as_str().filter(|t| key.ends_with(".$") && may_read_variable(t)) else {
                return;
            };
            if let Ok(expr) = parse_payload_value(text) {
                let pointer = member_pointer(template.value, &template.pointer, value).unwrap_or_default();
                payload_paths(expr, &pointer, &mut paths);
            }
        });
    }
    for (path, pointer) in paths {
        if let Some(name) = path.variable() {
            flow.names.insert(name.to_string());
            flow.reads.push(Read {
                name: name.to_string(),
                location: Location::in_string(pointer, path.root_span.start, path.root_span.end),
                called: false,
            });
        }
    }
}

/// Whether an expression may read a variable: a variable's path starts `$name`, so one is
/// written only where a `$` is followed by a letter or `_` (the rest of the expressions, most
/// of them, are not parsed again here).
fn may_read_variable(text: &str) -> bool {
    text.split('$')
        .skip(1)
        .any(|rest| rest.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_'))
}

/// The paths of a `….$` value: the path itself, or every path among an intrinsic call's
/// arguments, at any depth.
fn payload_paths(expr: PayloadExpr, pointer: &str, out: &mut Vec<(Path, String)>) {
    fn call_paths(call: Call, pointer: &str, out: &mut Vec<(Path, String)>) {
        for arg in call.args {
            match arg.kind {
                ArgKind::Path(path) => out.push((path, pointer.to_string())),
                ArgKind::Call(inner) => call_paths(inner, pointer, out),
                _ => {}
            }
        }
    }
    match expr {
        PayloadExpr::Path(path) => out.push((path, pointer.to_string())),
        PayloadExpr::Intrinsic(call) => call_paths(call, pointer, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn analyze_json(v: &Value, f: impl FnOnce(&Variables)) {
        let m = StateMachine::build(v, "");
        let analysis = Analysis::new(&m);
        f(analysis.variables());
    }

    fn entry<'v>(vars: &'v Variables, scope: usize, state: usize) -> Vec<&'v str> {
        let mut names: Vec<&str> = vars.scopes[scope].states[state].entry.iter().copied().collect();
        names.sort_unstable();
        names
    }

    #[test]
    fn a_catcher_assigns_on_its_edge_and_the_failed_state_does_not() {
        let v = json!({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"a": 1}, "Next": "T"},
            "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Assign": {"t": 1},
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Assign": {"c": 1}, "Next": "H"}],
                  "Next": "L"},
            "H": {"Type": "Succeed"},
            "L": {"Type": "Pass", "End": true}
        }});
        analyze_json(&v, |vars| {
            assert_eq!(entry(vars, 0, 0), Vec::<&str>::new());
            assert_eq!(entry(vars, 0, 1), ["a"]);
            assert_eq!(entry(vars, 0, 2), ["a", "c"]);
            assert_eq!(entry(vars, 0, 3), ["a", "t"]);
        });
    }

    #[test]
    fn loops_carry_assignments_back_to_their_start() {
        let v = json!({"StartAt": "Check", "States": {
            "Check": {"Type": "Choice", "Choices": [
                {"Variable": "$n", "IsPresent": true, "Next": "Done"}], "Default": "Count"},
            "Count": {"Type": "Pass", "Assign": {"n": 1}, "Next": "Check"},
            "Done": {"Type": "Succeed"}
        }});
        analyze_json(&v, |vars| {
            assert_eq!(entry(vars, 0, 0), ["n"]);
            assert_eq!(entry(vars, 0, 2), ["n"]);
        });
    }

    #[test]
    fn nested_scopes_inherit_except_distributed_maps() {
        let v = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Assign": {"a": 1}, "Next": "M"},
            "M": {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"},
                  "StartAt": "In", "States": {"In": {"Type": "Pass", "End": true}}}, "Next": "P"},
            "P": {"Type": "Parallel", "Branches": [
                {"StartAt": "B", "States": {"B": {"Type": "Pass", "Assign": {"b": 1}, "End": true}}}],
                  "End": true}
        }});
        analyze_json(&v, |vars| {
            assert_eq!(vars.scopes.len(), 3);
            assert!(vars.scopes[1].distributed);
            assert_eq!(entry(vars, 1, 0), Vec::<&str>::new());
            assert_eq!(entry(vars, 2, 0), ["a"]);
            // What the branch assigns does not exist after the Parallel state.
            assert_eq!(entry(vars, 0, 2), ["a"]);
        });
    }

    #[test]
    fn reads_in_jsonpath_paths_and_intrinsics() {
        let v = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "InputPath": "$in",
                  "Parameters": {"x.$": "States.Format('{}', $name)", "y.$": "$other.field"}, "End": true}
        }});
        analyze_json(&v, |vars| {
            let names: Vec<&str> = vars.scopes[0].states[0].reads.iter().map(|r| r.name.as_str()).collect();
            assert_eq!(names, ["in", "name", "other"]);
        });
    }
}
