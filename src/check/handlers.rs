//! What the lint rules ask about a Task: what it calls and how it handles errors.
//!
//! Error matching is the simulator's (`simulate::errors`, which follows AWS's recorded
//! behaviour), so lint can never disagree with a local run about which retrier or catcher
//! handles an error.

use serde_json::Value;

use crate::model::resource::{Pattern, TaskResource};
use crate::model::{State, StateType};
use crate::pointer::child;
use crate::simulate::errors::names;
pub use crate::simulate::errors::{delay_millis, matches as error_matches, Backoff};

/// One `Retry` or `Catch` entry that is an object.
#[derive(Debug, Clone)]
pub struct Handler<'a> {
    pub index: usize,
    pub pointer: String,
    pub value: &'a Value,
    /// The string names of `ErrorEquals`.
    pub errors: Vec<&'a str>,
}

impl Handler<'_> {
    pub fn field_pointer(&self, field: &str) -> String {
        child(&self.pointer, field)
    }
}

/// The object entries of a state's `Retry` or `Catch` (`field`).
pub fn handlers<'a>(state: &State<'a>, field: &str) -> Vec<Handler<'a>> {
    let pointer = state.field_pointer(field);
    state
        .get(field)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .enumerate()
                .filter(|(_, v)| v.is_object())
                .map(|(index, value)| Handler {
                    index,
                    pointer: child(&pointer, &index.to_string()),
                    value,
                    errors: crate::simulate::errors::error_equals(value),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// What a Task's `Resource` is, for the lint rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TaskKind {
    /// `lambda:invoke` (any pattern) or a Lambda function ARN.
    pub lambda: bool,
    /// An activity ARN.
    pub activity: bool,
    /// The integration pattern of an `arn:aws:states:::…` resource.
    pub pattern: Option<Pattern>,
}

impl TaskKind {
    /// `None` for a state that is not a Task or whose `Resource` is not a string.
    pub fn of(state: &State<'_>) -> Option<TaskKind> {
        if state.kind != Some(StateType::Task) {
            return None;
        }
        let resource = state.get("Resource").and_then(Value::as_str)?;
        Some(match TaskResource::parse(resource) {
            TaskResource::Integration(i) => TaskKind {
                lambda: !i.sdk && i.service.text == "lambda" && i.action.text == "invoke",
                activity: false,
                pattern: i.pattern,
            },
            TaskResource::LambdaFunction { .. } => TaskKind {
                lambda: true,
                activity: false,
                pattern: None,
            },
            TaskResource::Activity { .. } => TaskKind {
                lambda: false,
                activity: true,
                pattern: None,
            },
            TaskResource::Other => TaskKind {
                lambda: false,
                activity: false,
                pattern: None,
            },
        })
    }

    /// Waits for someone else to report back: an activity or a `.waitForTaskToken` callback.
    pub fn is_callback(self) -> bool {
        self.activity || self.pattern == Some(Pattern::WaitForTaskToken)
    }

    /// Can run for as long as another party takes: callbacks, activities and `.sync` jobs.
    pub fn can_wait_long(self) -> bool {
        self.is_callback() || matches!(self.pattern, Some(Pattern::Sync | Pattern::Sync2))
    }
}

/// Whether a retrier retries at all (`MaxAttempts: 0` means "never retry these").
pub fn retries(handler: &Handler<'_>) -> bool {
    handler.value.get("MaxAttempts").and_then(Value::as_u64) != Some(0)
}

/// Whether the names of an earlier entry already match every error `name` stands for.
/// `States.ALL` and `States.TaskFailed` stand for many errors, so only a wildcard at least as
/// wide shadows them.
pub fn shadows(earlier: &[&str], name: &str) -> bool {
    match name {
        names::ALL => earlier.contains(&names::ALL),
        names::TASK_FAILED => earlier.iter().any(|e| matches!(*e, names::ALL | names::TASK_FAILED)),
        _ => error_matches(earlier, name),
    }
}

/// A state's `TimeoutSeconds` when it is a literal number of seconds.
pub fn literal_seconds(value: Option<&Value>) -> Option<u64> {
    value.and_then(Value::as_u64)
}

/// The seconds all retries of a retrier wait in total: `IntervalSeconds × BackoffRate^n` for
/// each retry, capped by `MaxDelaySeconds`.
pub fn retry_budget_seconds(handler: &Handler<'_>) -> f64 {
    let backoff = Backoff::of(crate::model::state_fields::Retrier::of(handler.value));
    // MaxAttempts is at most 99,999,999 (schema); the sum converges to the cap long before.
    let attempts = backoff.max_attempts.min(10_000);
    (0..attempts).map(|n| delay_millis(&backoff, n) as f64 / 1000.0).sum()
}
