//! The states that end a scope: Succeed (its output filtered) and Fail (its `Error` and `Cause`,
//! literal, from a path or an intrinsic in JSONPath, from expressions in JSONata).

use serde_json::{Map, Value};

use crate::expr::payload;
use crate::model::state_fields::Setting;
use crate::simulate::engine::{Engine, Halt, Here, Step};
use crate::simulate::errors::Failure;
use crate::simulate::io::{self, IoError, PathScope};

impl Engine<'_> {
    pub(in crate::simulate) fn succeed(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Step, Halt> {
        let output = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            match here.fields.output() {
                Some(o) => io::jsonata_field(o, "Output", &scope).map_err(|e| here.fail(e))?,
                None => input.clone(),
            }
        } else {
            let context = self.context(here);
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let effective = io::select_path(here.fields.input_path(), input, &scope).map_err(|e| here.fail(e))?;
            io::select_path(here.fields.output_path(), &effective, &scope)
                .map_err(|e| here.fail(e))?
                .into_owned()
        };
        Ok(Step::new(output, None))
    }

    pub(in crate::simulate) fn fail(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Step, Halt> {
        let text = |v: Value| match v {
            Value::String(s) => s,
            other => other.to_string(),
        };
        let settings = here.fields.settings();
        let (error, cause) = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            let field = |setting: Setting| -> Result<Option<String>, Halt> {
                match settings.value(setting) {
                    Some(v) => Ok(Some(text(
                        io::jsonata_field(v, setting.name, &scope).map_err(|e| here.fail(e))?,
                    ))),
                    None => Ok(None),
                }
            };
            (field(Setting::ERROR)?, field(Setting::CAUSE)?)
        } else {
            let context = self.context(here);
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let ctx = scope.context(input);
            let mut field = |setting: Setting| -> Result<Option<String>, Halt> {
                if let Some(v) = settings.raw_path(setting) {
                    let value = payload::evaluate_field(setting.path_name, v, &ctx, &mut self.entropy)
                        .map_err(|e| here.fail(IoError::new(e.error_name().to_string(), e.to_string())))?;
                    return Ok(Some(text(value)));
                }
                Ok(settings.value(setting).and_then(Value::as_str).map(str::to_string))
            };
            (field(Setting::ERROR)?, field(Setting::CAUSE)?)
        };
        // A Fail state without `Error` fails the execution with a null error.
        Err(Halt::Fail(Failure {
            error: error.unwrap_or_default(),
            cause,
        }))
    }
}
