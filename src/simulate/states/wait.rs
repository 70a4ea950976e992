//! The Wait state: `Seconds`, `Timestamp` or their `…Path` forms (JSONata: expressions) move the
//! virtual clock forward; nothing sleeps.

use serde_json::{Map, Value};

use crate::model::state_fields::Setting;
use crate::model::timestamp;
use crate::simulate::context::millis_of;
use crate::simulate::engine::{assign_all, Engine, Halt, Here, Step};
use crate::simulate::errors::names;
use crate::simulate::io::{self, IoError, PathScope};

impl Engine<'_> {
    pub(in crate::simulate) fn wait(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Step, Halt> {
        let settings = here.fields.settings();
        let next = Self::next_of(here);
        if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            if let Some(seconds) = settings.value(Setting::SECONDS) {
                let value = io::jsonata_field(seconds, "Seconds", &scope).map_err(|e| here.fail(e))?;
                let Some(s) = value.as_i64().filter(|s| *s >= 0) else {
                    return Err(here.fail(IoError::new(
                        names::RUNTIME,
                        format!("The Seconds field must be a non-negative integer: {value}"),
                    )));
                };
                self.advance(here, s.saturating_mul(1000))?;
            } else if let Some(ts) = settings.value(Setting::TIMESTAMP) {
                let value = io::jsonata_field(ts, "Timestamp", &scope).map_err(|e| here.fail(e))?;
                let text = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
                match timestamp::parse(&text) {
                    Ok(t) if strict_timestamp(&text) => self.advance(here, millis_of(&t).saturating_sub(self.clock))?,
                    _ => {
                        return Err(here.fail(IoError::new(
                            names::QUERY_EVALUATION,
                            format!("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {text}"),
                        )))
                    }
                }
            }
            let output = self.jsonata_tail(here, input, None, input.clone(), variables)?;
            return Ok(Step::new(output, next));
        }
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let effective = io::select_path(here.fields.input_path(), input, &scope).map_err(|e| here.fail(e))?;
        let runtime = |detail: String| here.fail(IoError::new(names::RUNTIME, detail));
        if let Some(s) = settings.value(Setting::SECONDS).and_then(Value::as_i64) {
            self.advance(here, s.saturating_mul(1000))?;
        } else if let Some(path) = settings.path(Setting::SECONDS) {
            let value = io::read_path(path, &effective, &scope).map_err(|_| {
                runtime(format!(
                    "The SecondsPath parameter does not reference an input value: {path}"
                ))
            })?;
            let seconds = match &value {
                Value::Number(n) => match n.as_i64() {
                    Some(s) if s < 0 => {
                        return Err(runtime(format!(
                            "The SecondsPath parameter references a negative value: {path} == {value}"
                        )))
                    }
                    Some(s) => s,
                    None => {
                        return Err(runtime(format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {path} == {value}"
                        )))
                    }
                },
                _ => {
                    return Err(runtime(format!(
                        "The SecondsPath parameter cannot be parsed as a long value: {path} == {value}"
                    )))
                }
            };
            self.advance(here, seconds.saturating_mul(1000))?;
        } else if let Some(text) = settings.value(Setting::TIMESTAMP).and_then(Value::as_str) {
            if let Ok(t) = timestamp::parse(text) {
                self.advance(here, millis_of(&t).saturating_sub(self.clock))?;
            }
        } else if let Some(path) = settings.path(Setting::TIMESTAMP) {
            let value = io::read_path(path, &effective, &scope).map_err(|_| {
                runtime(format!(
                    "The TimestampPath parameter does not reference an input value: {path}"
                ))
            })?;
            let parsed = value
                .as_str()
                .filter(|s| strict_timestamp(s))
                .and_then(|s| timestamp::parse(s).ok());
            match parsed {
                Some(t) => self.advance(here, millis_of(&t).saturating_sub(self.clock))?,
                None => {
                    let shown = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
                    return Err(runtime(format!(
                        "The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: {path} == {shown}"
                    )));
                }
            }
        }
        let assigned = match here.fields.assign() {
            Some(a) => Some(io::template(a, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?),
            None => None,
        };
        let output = io::select_path(here.fields.output_path(), &effective, &scope)
            .map_err(|e| here.fail(e))?
            .into_owned();
        assign_all(variables, assigned);
        Ok(Step::new(output, next))
    }

    /// Moves the virtual clock forward by a Wait state's delay (a time in the past waits for
    /// nothing). AWS refuses delays beyond 2^31 - 1 seconds.
    fn advance(&mut self, here: &Here, millis: i64) -> Result<(), Halt> {
        if millis > i64::from(i32::MAX) * 1000 {
            return Err(here.fail(IoError::new(names::RUNTIME, "Wait state delay is too long.")));
        }
        self.advance_to(self.clock.saturating_add(millis.max(0)))
    }
}

/// AWS's Timestamp fields need the date, `T`, the time and an offset.
fn strict_timestamp(text: &str) -> bool {
    text.len() >= 20 && text.as_bytes().get(10).is_some_and(|b| *b == b'T' || *b == b't')
}
