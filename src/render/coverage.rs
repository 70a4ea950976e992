//! A coverage overlay: the JSON that `aslkit test --coverage-out` writes, read leniently
//! (only each machine's `pointer`, its states' `pointer` and `covered`, and its `transitions`
//! matter here). Covered states and transitions are drawn like a trace's; what the tests never
//! reached is drawn faded and dashed, so the gaps stand out.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{node_id, relative, walk_scopes_mut, Diagram};
use crate::model::StateMachine;

/// What the tests exercised of one machine, by JSON Pointer in its file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub states: HashSet<String>,
    pub transitions: HashSet<(String, String)>,
}

impl Coverage {
    /// Reads the entry of `--coverage-out` JSON for the machine at `pointer` of file `path`
    /// (the only entry, or the one whose pointer and file name match).
    pub fn from_json(value: &Value, path: &std::path::Path, pointer: &str) -> Result<Coverage, String> {
        let machines = value
            .get("machines")
            .and_then(Value::as_array)
            .ok_or("coverage is an object with a \"machines\" array (the output of `aslkit test --coverage-out`)")?;
        let file_name = path.file_name().map(|f| f.to_string_lossy().into_owned());
        let same_file = |m: &&Value| {
            let p = m.get("path").and_then(Value::as_str).map(std::path::Path::new);
            p.and_then(|p| p.file_name()).map(|f| f.to_string_lossy().into_owned()) == file_name
        };
        let machine = match machines.as_slice() {
            [only] => only,
            several => several
                .iter()
                .filter(|m| m.get("pointer").and_then(Value::as_str) == Some(pointer))
                .find(same_file)
                .ok_or("the coverage file has no entry for this state machine")?,
        };
        let states = machine
            .get("states")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter(|i| i.get("covered").and_then(Value::as_bool) == Some(true))
                    .filter_map(|i| i.get("pointer").and_then(Value::as_str).map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let transitions = machine
            .get("transitions")
            .and_then(Value::as_array)
            .map(|pairs| {
                pairs
                    .iter()
                    .filter_map(|p| Some((p.get(0)?.as_str()?.to_string(), p.get(1)?.as_str()?.to_string())))
                    .collect()
            })
            .unwrap_or_default();
        Ok(Coverage { states, transitions })
    }
}

/// Marks covered and uncovered nodes and edges of `diagram`, drawn from `machine`.
pub fn mark(diagram: &mut Diagram, machine: &StateMachine<'_>, coverage: &Coverage) {
    let base = machine.pointer.as_str();
    let pointers: HashMap<String, String> = machine
        .all_states()
        .into_iter()
        .map(|(_, s)| (node_id(relative(base, &s.pointer)), s.pointer.clone()))
        .collect();
    let covered = |id: &str| pointers.get(id).is_some_and(|p| coverage.states.contains(p));
    diagram.coverage = true;
    walk_scopes_mut(&mut diagram.root, &mut |scope| {
        let (start, end) = (scope.start_id(), scope.end_id());
        for edge in &mut scope.edges {
            edge.taken = if edge.from == start {
                covered(&edge.to)
            } else if edge.to == end {
                covered(&edge.from)
            } else {
                match (pointers.get(&edge.from), pointers.get(&edge.to)) {
                    (Some(a), Some(b)) => coverage.transitions.contains(&(a.clone(), b.clone())),
                    _ => false,
                }
            };
        }
        for node in &mut scope.nodes {
            node.visited = covered(&node.id);
        }
    });
}
