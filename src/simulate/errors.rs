//! Errors as Step Functions sees them, and what `Retry` and `Catch` do with them.
//!
//! A [`Failure`] is an error name and an optional cause. Retriers and catchers match it by
//! `ErrorEquals`: an exact name, `States.ALL` (anything except the terminal `States.Runtime`
//! and `States.DataLimitExceeded`), or `States.TaskFailed` (anything a task can fail with
//! except `States.Timeout`). Back-off is pure arithmetic on a virtual clock; see [`delay_millis`].

use serde_json::{Map, Value};

use crate::model::state_fields::Retrier;

/// The `States.*` error names (defined below the expression layer, which raises some of them).
pub use crate::error_names as names;

/// A state's failure: `{"Error": …, "Cause": …}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub error: String,
    pub cause: Option<String>,
}

impl Failure {
    pub fn new(error: impl Into<String>, cause: impl Into<String>) -> Failure {
        Failure {
            error: error.into(),
            cause: Some(cause.into()),
        }
    }

    /// `States.Runtime` with AWS's cause prefix naming the state and the event it entered at.
    pub fn runtime(state: &str, event_id: u64, detail: impl std::fmt::Display) -> Failure {
        Failure::in_state(names::RUNTIME, state, event_id, detail)
    }

    /// An error raised by the service while running `state`, worded as AWS words it.
    pub fn in_state(error: &str, state: &str, event_id: u64, detail: impl std::fmt::Display) -> Failure {
        Failure::new(
            error,
            format!(
                "An error occurred while executing the state '{state}' (entered at the event id #{event_id}). {detail}"
            ),
        )
    }

    /// The error output a catcher passes on: `{"Error": …, "Cause": …}`, both always present
    /// (`null` when unknown).
    pub fn output(&self) -> Value {
        let mut out = Map::new();
        let error = Some(self.error.clone()).filter(|e| !e.is_empty());
        out.insert("Error".into(), error.map_or(Value::Null, Value::String));
        out.insert("Cause".into(), self.cause.clone().map_or(Value::Null, Value::String));
        Value::Object(out)
    }
}

/// Errors no retrier or catcher can handle, even with `States.ALL`. (The guide says
/// `States.DataLimitExceeded` is terminal too, but executions recorded on AWS show `States.ALL`
/// catching it.)
const TERMINAL: [&str; 1] = [names::RUNTIME];

/// Whether an `ErrorEquals` list matches `error`.
pub fn matches(error_equals: &[&str], error: &str) -> bool {
    if TERMINAL.contains(&error) {
        return false;
    }
    error_equals.iter().any(|name| match *name {
        names::ALL => true,
        names::TASK_FAILED => !matches!(error, names::TIMEOUT | names::HEARTBEAT_TIMEOUT),
        other => other == error,
    })
}

/// The names of a retrier's or catcher's `ErrorEquals`.
pub fn error_equals(rule: &Value) -> Vec<&str> {
    Retrier::of(rule).error_equals()
}

/// One retrier's settings, with AWS's defaults.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backoff {
    pub interval_seconds: f64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<f64>,
    /// `JitterStrategy: FULL`: each wait is drawn between 0 and the computed delay.
    pub full_jitter: bool,
}

impl Backoff {
    pub fn of(retrier: Retrier) -> Backoff {
        Backoff {
            interval_seconds: retrier.interval_seconds().unwrap_or(1.0),
            max_attempts: retrier.max_attempts().unwrap_or(3),
            backoff_rate: retrier.backoff_rate().unwrap_or(2.0),
            max_delay_seconds: retrier.max_delay_seconds(),
            full_jitter: retrier.full_jitter(),
        }
    }
}

/// The wait before retry number `retry` (0 for the first retry): `IntervalSeconds ×
/// BackoffRate^retry`, capped at `MaxDelaySeconds`. (`JitterStrategy: FULL` is applied by the
/// engine, from the run's seeded generator.)
pub fn delay_millis(backoff: &Backoff, retry: u64) -> i64 {
    let exponent = i32::try_from(retry).unwrap_or(i32::MAX);
    let mut seconds = backoff.interval_seconds * backoff.backoff_rate.powi(exponent);
    if let Some(max) = backoff.max_delay_seconds {
        seconds = seconds.min(max);
    }
    (seconds * 1000.0).round().min(i64::MAX as f64) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn backoff_grows_geometrically_and_is_capped() {
        let b = Backoff::of(Retrier::of(
            &json!({"ErrorEquals": ["X"], "IntervalSeconds": 3, "BackoffRate": 1.5}),
        ));
        assert_eq!(b.max_attempts, 3);
        let delays: Vec<_> = (0..3).map(|n| delay_millis(&b, n)).collect();
        assert_eq!(delays, [3000, 4500, 6750]);
        let capped = Backoff::of(Retrier::of(&json!({"IntervalSeconds": 10, "MaxDelaySeconds": 15})));
        assert_eq!(delay_millis(&capped, 0), 10_000);
        assert_eq!(delay_millis(&capped, 1), 15_000);
        assert_eq!(delay_millis(&capped, 5), 15_000);
        let defaults = Backoff::of(Retrier::of(&json!({})));
        assert_eq!(
            (0..3).map(|n| delay_millis(&defaults, n)).collect::<Vec<_>>(),
            [1000, 2000, 4000]
        );
    }

    #[test]
    fn catch_matching() {
        assert!(matches(&["States.ALL"], "Lambda.ServiceException"));
        assert!(!matches(&["States.ALL"], "States.Runtime"));
        assert!(matches(&["States.ALL"], "States.DataLimitExceeded"));
        assert!(matches(&["States.TaskFailed"], "CustomError"));
        assert!(!matches(&["States.TaskFailed"], "States.Timeout"));
        assert!(matches(&["States.TaskFailed", "States.Timeout"], "States.Timeout"));
        assert!(matches(&["A", "B"], "B"));
        assert!(!matches(&["A"], "a"));
    }

    #[test]
    fn error_output_has_a_null_cause_when_unknown() {
        let f = Failure {
            error: "E".into(),
            cause: None,
        };
        assert_eq!(f.output(), json!({"Error": "E", "Cause": null}));
        assert_eq!(Failure::new("E", "c").output(), json!({"Error": "E", "Cause": "c"}));
    }
}
