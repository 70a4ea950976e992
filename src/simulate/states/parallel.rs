//! The Parallel state: every branch starts at once with the same input, on the virtual clock
//! ([`crate::simulate::concurrency`]); the result is the array of the branches' outputs, and the
//! first failure by time fails the state.

use serde_json::{Map, Value};

use crate::pointer::child;
use crate::simulate::concurrency::{first_failure, Lane, LaneEnd};
use crate::simulate::engine::{Engine, Halt, Here, ScopeRole};
use crate::simulate::history::EventType;
use crate::simulate::io::{self, PathScope};

impl Engine<'_> {
    /// The Parallel state: every branch gets the same input and starts at once; the result is
    /// the array of the branches' outputs.
    pub(in crate::simulate) fn parallel(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Value, Halt> {
        let branches = here.fields.branches();
        let started = self
            .history
            .push(EventType::ParallelStateStarted, self.last, self.clock, None);
        self.last = started;
        let branch_input = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            io::jsonata_arguments(&here.fields, &scope)
                .map_err(|e| here.fail(e))?
                .unwrap_or_else(|| input.clone())
        } else {
            let context = self.context(here);
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let given = io::path_input(&here.fields, input, &scope, &mut self.entropy).map_err(|e| here.fail(e))?;
            given.parameters.unwrap_or(given.effective)
        };
        let branches_pointer = child(&here.pointer, "Branches");
        let shared: &Map<String, Value> = variables;
        let outcome = self.run_lanes(branches.len(), 0, &first_failure, &mut |engine, i| {
            engine.last = started;
            let mut inner = shared.clone();
            let pointer = child(&branches_pointer, &i.to_string());
            let branch = branches.get(i).unwrap_or(&Value::Null);
            let result = engine.run_scope(
                branch,
                &pointer,
                branch_input.clone(),
                &mut inner,
                here.depth + 1,
                ScopeRole::Branch,
            );
            Lane::of(engine, result)
        })?;
        if let Some(w) = outcome.winner {
            if let Some(LaneEnd::Failed(f)) = outcome.lanes.get(w).map(|l| &l.end) {
                return Err(Halt::Fail(f.clone()));
            }
        }
        let results: Vec<Value> = outcome
            .lanes
            .iter()
            .map(|l| match &l.end {
                LaneEnd::Done(v) => v.clone(),
                _ => Value::Null,
            })
            .collect();
        let last_lane = outcome
            .lanes
            .iter()
            .enumerate()
            .max_by_key(|(i, l)| (l.at, *i))
            .map_or(started, |(_, l)| l.last);
        self.history
            .push(EventType::ParallelStateSucceeded, last_lane, self.clock, None);
        self.last = last_lane;
        let result = Value::Array(results);
        if here.jsonata {
            return self.jsonata_tail(here, input, Some(&result), result.clone(), variables);
        }
        self.path_tail(here, input, result, variables, true)
    }
}
