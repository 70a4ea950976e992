//! The Pass state: its input passed on, or its `Result`, or (JSONPath) `Parameters`; then the
//! output pipeline of [`crate::simulate::io`].

use serde_json::{Map, Value};

use crate::simulate::engine::{Engine, Halt, Here, Step};
use crate::simulate::io::{self, PathScope};

impl Engine<'_> {
    pub(in crate::simulate) fn pass(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Step, Halt> {
        let next = Self::next_of(here);
        if here.jsonata {
            let output = self.jsonata_tail(here, input, None, input.clone(), variables)?;
            return Ok(Step::new(output, next));
        }
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let effective = io::select_path(here.fields.input_path(), input, &scope).map_err(|e| here.fail(e))?;
        let result = if let Some(result) = here.fields.result() {
            result.clone()
        } else if let Some(parameters) = here.fields.parameters() {
            io::template(parameters, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?
        } else {
            effective.into_owned()
        };
        let output = self.path_tail(here, input, result, variables, false)?;
        Ok(Step::new(output, next))
    }
}
