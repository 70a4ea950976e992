//! The execution history, in the shape of Step Functions' `GetExecutionHistory`.
//!
//! The engine records events as it runs, each with the virtual time it happened at and the
//! event it follows (`previousEventId`). Parallel branches and Map iterations run one after
//! another in the engine but overlap on the virtual clock, so events are recorded with
//! *provisional* ids in the order the engine produced them; [`History::finish`] orders them by
//! time (ties keep the engine's order: branch 0 before branch 1, iteration 0 before 1, which is
//! also how AWS records instantaneous iterations), drops the events of work that was aborted,
//! and renumbers ids and previous ids from 1.

use std::collections::HashMap;

use serde_json::{json, Map, Value};

use super::context::iso;

/// The event types the simulator records (a subset of `HistoryEventType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    ExecutionStarted,
    ExecutionSucceeded,
    ExecutionFailed,
    ExecutionTimedOut,
    StateEntered(StateKind),
    StateExited(StateKind),
    StateAborted(StateKind),
    EvaluationFailed,
    TaskScheduled,
    TaskStarted,
    TaskSubmitted,
    TaskSucceeded,
    TaskFailed,
    TaskTimedOut,
    LambdaFunctionScheduled,
    LambdaFunctionStarted,
    LambdaFunctionSucceeded,
    LambdaFunctionFailed,
    LambdaFunctionTimedOut,
    ActivityScheduled,
    ActivityStarted,
    ActivitySucceeded,
    ActivityFailed,
    ActivityTimedOut,
    ParallelStateStarted,
    ParallelStateSucceeded,
    ParallelStateFailed,
    MapStateStarted,
    MapStateSucceeded,
    MapStateFailed,
    MapIterationStarted,
    MapIterationSucceeded,
    MapIterationFailed,
    MapIterationAborted,
    MapRunStarted,
    MapRunSucceeded,
    MapRunFailed,
}

/// The state types, as they prefix `…StateEntered` events.
pub type StateKind = crate::model::StateType;

impl EventType {
    /// The event's `type`, as AWS spells it.
    pub fn name(self) -> String {
        use EventType::*;
        match self {
            StateEntered(k) => format!("{}StateEntered", k.as_str()),
            StateExited(k) => format!("{}StateExited", k.as_str()),
            StateAborted(k) => format!("{}StateAborted", k.as_str()),
            other => format!("{other:?}"),
        }
    }

    /// The key holding the event's details (`taskScheduledEventDetails`), for types that have
    /// details.
    fn details_key(self) -> String {
        use EventType::*;
        let stem = match self {
            StateEntered(_) => "stateEntered".to_string(),
            StateExited(_) => "stateExited".to_string(),
            other => {
                let name = other.name();
                let mut chars = name.chars();
                match chars.next() {
                    Some(first) => first.to_lowercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        };
        format!("{stem}EventDetails")
    }
}

/// One recorded event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: u64,
    pub previous: u64,
    pub kind: EventType,
    /// When it happened on the virtual clock, in milliseconds since the epoch.
    pub millis: i64,
    /// The `…EventDetails` object, when the type has one.
    pub details: Option<Value>,
}

impl Event {
    /// The event as `GetExecutionHistory` returns it.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id));
        out.insert("previousEventId".into(), json!(self.previous));
        out.insert("timestamp".into(), json!(iso(self.millis)));
        out.insert("type".into(), json!(self.kind.name()));
        if let Some(details) = &self.details {
            out.insert(self.kind.details_key(), details.clone());
        }
        Value::Object(out)
    }
}

/// The events of a run so far, with provisional ids (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct History {
    events: Vec<Event>,
    /// About how many bytes the events' details hold (see [`weight`]): the run stops at
    /// [`super::engine::TRACE_BUDGET_BYTES`] instead of exhausting memory.
    bytes: usize,
    /// Provisional ids of events that belong to aborted work and are left out of the result.
    dropped: Vec<bool>,
}

/// About how many bytes of memory a JSON value holds: its strings and numbers plus a slot per
/// node and per key. Cheaper than serialising, and closer to what the value costs in memory.
pub fn weight(value: &Value) -> usize {
    const SLOT: usize = 32;
    match value {
        Value::String(s) => SLOT + s.len(),
        Value::Array(items) => items.iter().fold(SLOT, |n, v| n.saturating_add(weight(v))),
        Value::Object(map) => map
            .iter()
            .fold(SLOT, |n, (k, v)| n.saturating_add(SLOT + k.len() + weight(v))),
        _ => SLOT,
    }
}

impl History {
    /// Records an event and returns its provisional id.
    pub fn push(&mut self, kind: EventType, previous: u64, millis: i64, details: Option<Value>) -> u64 {
        let id = self.events.len() as u64 + 1;
        self.bytes = self.bytes.saturating_add(details.as_ref().map_or(0, weight));
        self.events.push(Event {
            id,
            previous,
            kind,
            millis,
            details,
        });
        self.dropped.push(false);
        id
    }

    /// About how many bytes the recorded events' details hold.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// How many events have been recorded (the next provisional id minus one).
    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Forgets every event from provisional id `len + 1` on (a branch that is run again).
    pub fn truncate(&mut self, len: usize) {
        self.events.truncate(len);
        self.dropped.truncate(len);
    }

    /// The event with provisional id `id`.
    pub fn get(&self, id: u64) -> Option<&Event> {
        self.events.get((id as usize).checked_sub(1)?)
    }

    /// Leaves out the events recorded since provisional id `from` (exclusive) that `drop` picks.
    pub fn drop_where(&mut self, from: usize, drop: impl Fn(&Event) -> bool) {
        for (i, event) in self.events.iter().enumerate().skip(from) {
            if drop(event) {
                self.dropped[i] = true;
            }
        }
    }

    /// Whether an event that `pred` picks was recorded after provisional id `after`.
    pub fn any_since(&self, after: usize, pred: impl Fn(&Event) -> bool) -> bool {
        self.events.iter().skip(after).any(pred)
    }

    /// Whether an event of `kind` was recorded after provisional id `after`.
    pub fn has_since(&self, after: u64, kind: EventType) -> bool {
        self.events.iter().skip(after as usize).any(|e| e.kind == kind)
    }

    /// The final history: ordered by time, aborted work left out, ids from 1; and the map from
    /// provisional to final ids.
    pub fn finish(self) -> (Vec<Event>, HashMap<u64, u64>) {
        let mut kept: Vec<Event> = self
            .events
            .into_iter()
            .zip(self.dropped)
            .filter(|(_, dropped)| !dropped)
            .map(|(e, _)| e)
            .collect();
        kept.sort_by_key(|e| e.millis);
        let ids: HashMap<u64, u64> = kept.iter().enumerate().map(|(i, e)| (e.id, i as u64 + 1)).collect();
        for event in &mut kept {
            event.id = ids.get(&event.id).copied().unwrap_or(0);
            event.previous = ids.get(&event.previous).copied().unwrap_or(0);
        }
        (kept, ids)
    }
}

/// Rewrites "(entered at the event id #N)" in an error cause from provisional to final ids.
pub fn renumber_cause(cause: &str, ids: &HashMap<u64, u64>) -> String {
    const MARK: &str = "(entered at the event id #";
    let mut out = String::with_capacity(cause.len());
    let mut rest = cause;
    while let Some(at) = rest.find(MARK) {
        let (before, after) = rest.split_at(at + MARK.len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let (number, tail) = after.split_at(digits);
        match number.parse::<u64>().ok().and_then(|n| ids.get(&n)) {
            Some(id) => out.push_str(&id.to_string()),
            None => out.push_str(number),
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StateType;

    #[test]
    fn names_and_detail_keys_follow_aws() {
        assert_eq!(EventType::StateEntered(StateType::Task).name(), "TaskStateEntered");
        assert_eq!(EventType::MapIterationStarted.name(), "MapIterationStarted");
        assert_eq!(
            EventType::StateExited(StateType::Pass).details_key(),
            "stateExitedEventDetails"
        );
        assert_eq!(EventType::TaskScheduled.details_key(), "taskScheduledEventDetails");
    }

    #[test]
    fn finish_orders_by_time_and_renumbers() {
        let mut h = History::default();
        let start = h.push(EventType::ExecutionStarted, 0, 0, None);
        let a = h.push(EventType::StateEntered(StateType::Wait), start, 10, None);
        let b = h.push(EventType::StateEntered(StateType::Pass), start, 5, None);
        let gone = h.push(EventType::StateExited(StateType::Pass), b, 7, None);
        h.drop_where(0, |e| e.id == gone);
        let (events, ids) = h.finish();
        assert_eq!(events.iter().map(|e| e.id).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(events[1].kind, EventType::StateEntered(StateType::Pass));
        assert_eq!(events[2].previous, 1);
        assert_eq!(ids.get(&a), Some(&3));
        assert_eq!(
            renumber_cause("in 'X' (entered at the event id #2). boom", &ids),
            "in 'X' (entered at the event id #3). boom"
        );
    }
}
