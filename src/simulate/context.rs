//! The context object (`$$` in JSONPath, `$states.context` in JSONata) and the virtual clock's
//! timestamps.
//!
//! The context object holds `Execution` (`Id`, `Input`, `Name`, `RoleArn`, `StartTime`,
//! `RedriveCount`), `State` (`EnteredTime`, `Name`, `RetryCount`), `StateMachine` (`Id`,
//! `Name`), `Task.Token` in callback tasks and `Map.Item` (`Index`, `Value`) in Map iterations.
//! Times are ISO-8601 UTC with milliseconds, as AWS prints them.

use serde_json::{json, Map, Value};

use crate::model::timestamp::{civil_from_days, days_from_civil, Timestamp};

/// What stays the same for the whole execution.
#[derive(Debug, Clone)]
pub struct ExecutionInfo {
    pub machine_name: String,
    pub execution_name: String,
    pub input: Value,
    pub start_millis: i64,
}

impl ExecutionInfo {
    pub fn machine_arn(&self) -> String {
        format!(
            "arn:aws:states:us-east-1:111111111111:stateMachine:{}",
            self.machine_name
        )
    }

    pub fn execution_arn(&self) -> String {
        format!(
            "arn:aws:states:us-east-1:111111111111:execution:{}:{}",
            self.machine_name, self.execution_name
        )
    }
}

/// What changes from state to state.
#[derive(Debug, Clone, Default)]
pub struct StateInfo<'a> {
    pub name: &'a str,
    pub entered_millis: i64,
    /// `None` for states that have no `RetryCount` in their context (all but Task).
    pub retry_count: Option<u32>,
    pub task_token: Option<String>,
    /// `(index, value)` of the Map iteration the state runs in.
    pub map_item: Option<(usize, Value)>,
}

/// Builds the context object.
pub fn context_object(execution: &ExecutionInfo, state: &StateInfo) -> Value {
    let mut out = Map::new();
    let input = execution.input.clone();
    out.insert(
        "Execution".into(),
        json!({
            "Id": execution.execution_arn(),
            "Input": input,
            "StartTime": iso(execution.start_millis),
            "Name": execution.execution_name,
            "RoleArn": "arn:aws:iam::111111111111:role/StepFunctionsRole",
            "RedriveCount": 0,
        }),
    );
    out.insert(
        "StateMachine".into(),
        json!({"Id": execution.machine_arn(), "Name": execution.machine_name}),
    );
    let mut state_object = json!({"EnteredTime": iso(state.entered_millis), "Name": state.name});
    if let (Some(count), Value::Object(m)) = (state.retry_count, &mut state_object) {
        m.insert("RetryCount".into(), json!(count));
    }
    out.insert("State".into(), state_object);
    if let Some(token) = &state.task_token {
        out.insert("Task".into(), json!({ "Token": token }));
    }
    if let Some((index, value)) = &state.map_item {
        out.insert("Map".into(), json!({"Item": {"Index": index, "Value": value}}));
    }
    Value::Object(out)
}

/// `2024-01-31T12:00:00.000Z` for a time in milliseconds since the epoch.
pub fn iso(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let ms_of_day = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        ms_of_day / 3_600_000,
        ms_of_day / 60_000 % 60,
        ms_of_day / 1000 % 60,
        ms_of_day % 1000
    )
}

/// The instant of a parsed timestamp, in milliseconds since the epoch.
pub fn millis_of(t: &Timestamp) -> i64 {
    let days = days_from_civil(t.year as i64, t.month as i64, t.day as i64);
    let seconds =
        days * 86_400 + t.hour as i64 * 3600 + t.minute as i64 * 60 + t.second as i64 - t.offset_seconds as i64;
    seconds * 1000 + (t.nanosecond / 1_000_000) as i64
}

/// Nanoseconds since the epoch, for comparisons finer than a millisecond.
pub fn nanos_of(t: &Timestamp) -> i128 {
    let days = days_from_civil(t.year as i64, t.month as i64, t.day as i64);
    let seconds =
        days * 86_400 + t.hour as i64 * 3600 + t.minute as i64 * 60 + t.second as i64 - t.offset_seconds as i64;
    seconds as i128 * 1_000_000_000 + t.nanosecond as i128
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trips_through_the_timestamp_parser() {
        let millis = 1_700_000_123_456;
        let text = iso(millis);
        assert_eq!(text, "2023-11-14T22:15:23.456Z");
        let parsed = crate::model::timestamp::parse(&text).unwrap();
        assert_eq!(millis_of(&parsed), millis);
        assert_eq!(iso(0), "1970-01-01T00:00:00.000Z");
    }
}
