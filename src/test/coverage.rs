//! What a suite exercised of each machine: its states (nested ones included), each top-level
//! Choice rule and each Default, each Catch edge and each retrier.
//!
//! Read from the runs' visits ([`super::adapter::Visit`]): a state is covered when it was
//! entered. A Choice rule or Default is covered when the run went on, in the Choice's scope, to
//! the rule's `Next` (when several rules share a `Next`, the first of them is credited: the
//! run does not say which matched). A retrier is covered when a failed attempt's error — known
//! from the mocks — is the first one it handles (an error the mocks do not name credits a
//! state's only retrier). A catcher is covered when the state failed and the run went on to its
//! `Next`, preferring the first catcher that handles the state's last error.

use std::collections::{BTreeSet, HashSet};

use serde::Serialize;
use serde_json::Value;

use super::adapter::{self, Machine, Visit};
use crate::model::{choice, StateMachine, StateType};

/// One thing that can be exercised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// The state it belongs to (the state itself, for `states`).
    pub state: String,
    /// JSON Pointer in the definition file: the state, `…/Choices/0`, `…/Default`,
    /// `…/Catch/1`, `…/Retry/0`.
    pub pointer: String,
    /// How the summary names it: `Choices[0] → Ship`, `Default → Reject`,
    /// `Catch[States.ALL] → Refund`, `Retry[Lambda.ServiceException]`.
    pub label: String,
    pub covered: bool,
}

/// Covered / total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Ratio {
    pub covered: usize,
    pub total: usize,
}

impl Ratio {
    fn of(items: &[Item]) -> Ratio {
        Ratio {
            covered: items.iter().filter(|i| i.covered).count(),
            total: items.len(),
        }
    }

    pub fn percent(self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.covered as f64 * 100.0 / self.total as f64
        }
    }
}

/// The coverage of one machine over every test that ran it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MachineCoverage {
    pub path: String,
    pub name: String,
    /// Where the definition is in its file.
    pub pointer: String,
    pub summary: Summary,
    pub states: Vec<Item>,
    pub choice_rules: Vec<Item>,
    pub catches: Vec<Item>,
    pub retriers: Vec<Item>,
    /// Transitions taken between states of one scope, `[from, to]` by pointer (for diagrams).
    pub transitions: Vec<[String; 2]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct Summary {
    pub states: Ratio,
    pub choice_rules: Ratio,
    pub catches: Ratio,
    pub retriers: Ratio,
}

impl MachineCoverage {
    /// Every item never exercised, in definition order.
    pub fn uncovered(&self) -> impl Iterator<Item = (&'static str, &Item)> {
        let kinds: [(&'static str, &Vec<Item>); 4] = [
            ("state", &self.states),
            ("choice rule", &self.choice_rules),
            ("catch", &self.catches),
            ("retrier", &self.retriers),
        ];
        kinds
            .into_iter()
            .flat_map(|(kind, items)| items.iter().filter(|i| !i.covered).map(move |i| (kind, i)))
    }
}

/// Accumulates the runs of one machine.
#[derive(Debug, Default)]
pub struct Collector {
    states: HashSet<String>,
    rules: HashSet<String>,
    catches: HashSet<String>,
    retriers: HashSet<String>,
    transitions: BTreeSet<(String, String)>,
}

impl Collector {
    /// Records what one run exercised of `machine`.
    pub fn add(&mut self, machine: &Machine, visits: &[Visit]) {
        let model = StateMachine::build(&machine.definition, &machine.pointer);
        let states: Vec<_> = model.all_states().into_iter().map(|(_, s)| s).collect();
        for (i, visit) in visits.iter().enumerate() {
            self.states.insert(visit.pointer.clone());
            let Some(state) = states.iter().find(|s| s.pointer == visit.pointer) else {
                continue;
            };
            let catchers = list(state.get("Catch"));
            // A terminal state's successor in the list belongs to another run of its scope
            // (the next Map iteration), unless the state failed into a catcher.
            let next = (!catchers.is_empty() || !state.is_terminal())
                .then(|| next_in_scope(visits, i))
                .flatten();
            let last_error = visit.errors.last().cloned().flatten();
            let normal_next = state.get("Next").and_then(Value::as_str);
            // Caught: the run went on elsewhere than `Next`, or the last attempt threw.
            let caught =
                next.filter(|n| !catchers.is_empty() && (last_error.is_some() || Some(n.name.as_str()) != normal_next));
            if let Some(next) = next.filter(|_| caught.is_none() && !state.is_terminal()) {
                self.transitions.insert((visit.pointer.clone(), next.pointer.clone()));
            }
            if state.kind == Some(StateType::Choice) {
                if let Some(next) = next {
                    let rule = choice::rules(state)
                        .into_iter()
                        .filter(|r| r.top_level)
                        .find(|r| r.get("Next").and_then(Value::as_str) == Some(next.name.as_str()));
                    match rule {
                        Some(rule) => {
                            self.rules.insert(rule.pointer);
                        }
                        None if state.get("Default").and_then(Value::as_str) == Some(next.name.as_str()) => {
                            self.rules.insert(state.field_pointer("Default"));
                        }
                        None => {}
                    }
                }
            }
            let retriers = list(state.get("Retry"));
            for error in visit.errors.iter().take(visit.attempts.saturating_sub(1) as usize) {
                let index = match error {
                    Some(error) => retriers.iter().position(|r| adapter::handles(r, error)),
                    None if retriers.len() == 1 => Some(0),
                    None => None,
                };
                if let Some(index) = index {
                    self.retriers
                        .insert(format!("{}/{index}", state.field_pointer("Retry")));
                }
            }
            if let Some(next) = caught {
                let leads = |c: &Value| c.get("Next").and_then(Value::as_str) == Some(next.name.as_str());
                let index = last_error
                    .and_then(|e| catchers.iter().position(|c| adapter::handles(c, &e)))
                    .filter(|&i| catchers.get(i).is_some_and(leads))
                    .or_else(|| catchers.iter().position(leads));
                if let Some(index) = index {
                    self.catches.insert(format!("{}/{index}", state.field_pointer("Catch")));
                    self.transitions.insert((visit.pointer.clone(), next.pointer.clone()));
                } else if !state.is_terminal() {
                    self.transitions.insert((visit.pointer.clone(), next.pointer.clone()));
                }
            }
        }
    }

    /// The coverage of `machine` from the runs recorded.
    pub fn finish(&self, machine: &Machine) -> MachineCoverage {
        let model = StateMachine::build(&machine.definition, &machine.pointer);
        let mut states = Vec::new();
        let mut choice_rules = Vec::new();
        let mut catches = Vec::new();
        let mut retriers = Vec::new();
        for (_, state) in model.all_states() {
            let name = state.name.to_string();
            let item = |pointer: String, label: String, set: &HashSet<String>| Item {
                state: name.clone(),
                covered: set.contains(&pointer),
                pointer,
                label,
            };
            states.push(item(state.pointer.clone(), name.clone(), &self.states));
            if state.kind == Some(StateType::Choice) {
                for rule in choice::rules(state).into_iter().filter(|r| r.top_level) {
                    let next = rule.get("Next").and_then(Value::as_str).unwrap_or("?");
                    choice_rules.push(item(
                        rule.pointer.clone(),
                        format!("{} → {next}", rule.label),
                        &self.rules,
                    ));
                }
                if let Some(default) = state.get("Default").and_then(Value::as_str) {
                    choice_rules.push(item(
                        state.field_pointer("Default"),
                        format!("Default → {default}"),
                        &self.rules,
                    ));
                }
            }
            for (i, retrier) in list(state.get("Retry")).iter().enumerate() {
                let errors = adapter::error_names(retrier);
                retriers.push(item(
                    format!("{}/{i}", state.field_pointer("Retry")),
                    format!("Retry[{errors}]"),
                    &self.retriers,
                ));
            }
            for (i, catcher) in list(state.get("Catch")).iter().enumerate() {
                let errors = adapter::error_names(catcher);
                let next = catcher.get("Next").and_then(Value::as_str).unwrap_or("?");
                catches.push(item(
                    format!("{}/{i}", state.field_pointer("Catch")),
                    format!("Catch[{errors}] → {next}"),
                    &self.catches,
                ));
            }
        }
        MachineCoverage {
            path: machine.path.display().to_string(),
            name: machine.name.clone(),
            pointer: machine.pointer.clone(),
            summary: Summary {
                states: Ratio::of(&states),
                choice_rules: Ratio::of(&choice_rules),
                catches: Ratio::of(&catches),
                retriers: Ratio::of(&retriers),
            },
            states,
            choice_rules,
            catches,
            retriers,
            transitions: self.transitions.iter().map(|(a, b)| [a.clone(), b.clone()]).collect(),
        }
    }
}

fn list(value: Option<&Value>) -> Vec<Value> {
    value.and_then(Value::as_array).cloned().unwrap_or_default()
}

/// The scope a state's pointer lies in (`/States/P/Branches/0` for `/States/P/Branches/0/States/A`).
fn scope_of(pointer: &str) -> &str {
    pointer.rsplit_once("/States/").map_or("", |(scope, _)| scope)
}

/// The state entered after visit `i` in the same scope, before that scope ends.
fn next_in_scope(visits: &[Visit], i: usize) -> Option<&Visit> {
    let here = &visits[i];
    let scope = scope_of(&here.pointer);
    visits[i + 1..]
        .iter()
        .take_while(|v| v.depth >= here.depth)
        .find(|v| v.depth == here.depth && scope_of(&v.pointer) == scope)
}

/// The JSON that `--coverage-out` writes.
pub fn to_json(machines: &[MachineCoverage]) -> Value {
    serde_json::json!({"version": 1, "machines": machines})
}
