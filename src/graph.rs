//! The transition graph of one scope, built with petgraph: which states exist, which transitions
//! resolve, what is reachable from `StartAt`, which loops can end. `analysis::Analysis` builds one
//! per scope and shares it between the rules and the diagrams.
//!
//! Transitions never cross scopes (a Parallel branch or Map processor is its own graph); an edge
//! whose target is not a state of the scope is kept aside as unresolved. A target that is a
//! template placeholder (`"Next": "${NextState}"`, filled in by `DefinitionSubstitutions` or
//! `Fn::Sub` at deployment) is neither: it may name any state of the scope, so every state
//! counts as reachable once such a transition is.

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Dfs;

use crate::model::{FastMap, StateMachine, Transition};

/// A loop of a scope: its states (indices in `scope.states`, document order) and whether the
/// execution can leave it towards a state that ends the scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loop {
    pub states: Vec<usize>,
    pub can_exit: bool,
}

/// The graph of one scope. It keeps no reference to its scope (only the names it borrows from the definition), so
/// that a per-machine `analysis::Analysis` can keep it next to the model it was built from.
pub struct ScopeGraph<'v> {
    pub graph: DiGraph<usize, ()>,
    /// State name → node; node weight is the index in `scope.states`.
    pub nodes: FastMap<&'v str, NodeIndex>,
    /// Transitions whose target is not in this scope.
    pub unresolved: Vec<Transition<'v>>,
    /// The node of `StartAt`, when it names a state of the scope.
    start: Option<NodeIndex>,
    /// For each state (by index), whether it ends the scope (Succeed, Fail or `End: true`).
    terminal: Vec<bool>,
    /// States with a transition to a placeholder only the deployment resolves.
    to_placeholder: Vec<NodeIndex>,
}

/// A transition target written as a template placeholder: `${Name}`.
fn is_placeholder(target: &str) -> bool {
    target.contains("${") && target.contains('}')
}

#[cfg(test)]
thread_local! {
    /// How many graphs this thread built: tests check that a machine's are built once.
    pub static BUILDS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl<'v> ScopeGraph<'v> {
    pub fn build(scope: &StateMachine<'v>) -> Self {
        #[cfg(test)]
        BUILDS.with(|builds| builds.set(builds.get() + 1));
        let count = scope.states.len();
        let mut graph = DiGraph::with_capacity(count, count);
        let mut nodes = FastMap::with_capacity_and_hasher(count, Default::default());
        for (i, state) in scope.states.iter().enumerate() {
            nodes.insert(state.name, graph.add_node(i));
        }
        let mut unresolved = Vec::new();
        let mut to_placeholder = Vec::new();
        for (i, state) in scope.states.iter().enumerate() {
            let from = NodeIndex::new(i);
            let mut lost = false;
            state.for_each_target(|target| match nodes.get(target) {
                Some(&to) => {
                    graph.add_edge(from, to, ());
                }
                None if is_placeholder(target) => to_placeholder.push(from),
                None => lost = true,
            });
            // The transitions with their pointers, for the few states with an unknown target.
            if lost {
                unresolved.extend(
                    state
                        .transitions()
                        .into_iter()
                        .filter(|t| !nodes.contains_key(t.target) && !is_placeholder(t.target)),
                );
            }
        }
        ScopeGraph {
            start: scope.start_at.and_then(|s| nodes.get(s).copied()),
            terminal: scope.states.iter().map(|s| s.is_terminal()).collect(),
            graph,
            nodes,
            unresolved,
            to_placeholder,
        }
    }

    /// The loops of the scope: each strongly connected component with a cycle in it (two or more
    /// states, or one that transitions to itself), as state indices in document order.
    pub fn cycles(&self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = petgraph::algo::tarjan_scc(&self.graph)
            .into_iter()
            .filter(|component| component.len() > 1 || component.iter().any(|&n| self.graph.contains_edge(n, n)))
            .map(|component| {
                let mut states: Vec<usize> = component.into_iter().map(|n| self.graph[n]).collect();
                states.sort_unstable();
                states
            })
            .collect();
        out.sort();
        out
    }

    /// The loops that an execution can enter (every state of the cycle reachable from `StartAt`),
    /// each with whether a walk from one of its states can still end the scope. Shared by the
    /// loop rules, so that each asks its own question of the same loops.
    pub fn reachable_loops(&self) -> Vec<Loop> {
        let reachable = self.reachable();
        let can_finish = self.can_finish();
        self.cycles()
            .into_iter()
            .filter(|cycle| cycle.iter().all(|&i| reachable[i]))
            .map(|states| Loop {
                can_exit: states.iter().any(|&i| can_finish[i]),
                states,
            })
            .collect()
    }

    /// For each state, whether a walk from it can reach a state that ends the scope (Succeed,
    /// Fail or `End: true`), through any transition (Catch edges included).
    pub fn can_finish(&self) -> Vec<bool> {
        let mut done = vec![false; self.terminal.len()];
        let mut stack: Vec<NodeIndex> = Vec::new();
        for node in self.graph.node_indices() {
            if self.terminal[self.graph[node]] {
                done[self.graph[node]] = true;
                stack.push(node);
            }
        }
        while let Some(node) = stack.pop() {
            for from in self.graph.neighbors_directed(node, petgraph::Direction::Incoming) {
                if !done[self.graph[from]] {
                    done[self.graph[from]] = true;
                    stack.push(from);
                }
            }
        }
        done
    }

    /// For each state (by index in `scope.states`), whether a walk from `StartAt` reaches it.
    /// When `StartAt` does not name a state of the scope nothing is reachable.
    pub fn reachable(&self) -> Vec<bool> {
        let mut seen = vec![false; self.terminal.len()];
        if let Some(start) = self.start {
            let mut dfs = Dfs::new(&self.graph, start);
            while let Some(node) = dfs.next(&self.graph) {
                seen[self.graph[node]] = true;
            }
        }
        if self.to_placeholder.iter().any(|n| seen[self.graph[*n]]) {
            seen.iter_mut().for_each(|s| *s = true);
        }
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn island_cycles_are_unreachable() {
        let v = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "End": true},
            "B": {"Type": "Pass", "Next": "C"},
            "C": {"Type": "Pass", "Next": "B"},
            "D": {"Type": "Pass", "Next": "Nope"}
        }});
        let m = StateMachine::build(&v, "");
        let g = ScopeGraph::build(&m);
        assert_eq!(g.reachable(), [true, false, false, false]);
        assert_eq!(g.unresolved.len(), 1);
    }
}
