//! The execution history, in the shape of Step Functions' `GetExecutionHistory`.
//!
//! The engine records events as it runs, each with the virtual time it happened at and the
//! event it follows (`previousEventId`). Parallel branches and Map iterations run one after
//! another in the engine but overlap on the virtual clock, so events are recorded with
//! *provisional* ids in the order the engine produced them; [`History::finish`] orders them by
//! time (ties keep the engine's order: branch 0 before branch 1, iteration 0 before 1, which is
//! also how AWS records instantaneous iterations), drops the events of work that was aborted,
//! and renumbers ids and previous ids from 1.

use std::sync::Arc;

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
    /// The `…EventDetails` object, when the type has one (and the run keeps details, see
    /// [`super::Record::history_details`]). Boxed: a run that keeps none holds a pointer's
    /// width per event.
    pub details: Option<Box<Details>>,
}

/// The `…EventDetails` of an event.
#[derive(Debug, Clone, PartialEq)]
pub enum Details {
    /// A state entered or exited: `{"name", "input", "inputDetails"}` or `{"name", "output",
    /// "outputDetails"}`, with the input or output as compact JSON, shared with the next or
    /// previous state's event (a long loop made two strings of every payload).
    State { name: Arc<str>, payload: Arc<str> },
    /// Any other event's details, as AWS spells them.
    Value(Value),
}

impl Details {
    /// The details object, as `GetExecutionHistory` returns it under the key of `kind`.
    pub fn to_json(&self, kind: EventType) -> Value {
        match self {
            Details::State { name, payload } => {
                let key = if matches!(kind, EventType::StateEntered(_)) {
                    "input"
                } else {
                    "output"
                };
                let mut out = Map::with_capacity(3);
                out.insert("name".into(), Value::String(name.to_string()));
                out.insert(key.into(), Value::String(payload.to_string()));
                out.insert(format!("{key}Details"), json!({"truncated": false}));
                Value::Object(out)
            }
            Details::Value(v) => Value::clone(v),
        }
    }

    /// The details' `cause`, when they hold one (a failure's).
    pub fn cause_mut(&mut self) -> Option<&mut String> {
        match self {
            Details::Value(v) => match v.as_object_mut().and_then(|d| d.get_mut("cause")) {
                Some(Value::String(c)) => Some(c),
                _ => None,
            },
            _ => None,
        }
    }
}

impl Event {
    /// Writes [`Event::to_json`] to `out`, byte for byte as it serialises, without building it:
    /// a long history was mostly copies of its payloads into values made to be printed.
    pub fn write_json(&self, mut out: impl std::io::Write) -> std::io::Result<()> {
        write!(
            out,
            "{{\"id\":{},\"previousEventId\":{},\"timestamp\":",
            self.id, self.previous
        )?;
        serde_json::to_writer(&mut out, &iso(self.millis))?;
        out.write_all(b",\"type\":")?;
        serde_json::to_writer(&mut out, &self.kind.name())?;
        if let Some(details) = &self.details {
            out.write_all(b",")?;
            serde_json::to_writer(&mut out, &self.kind.details_key())?;
            out.write_all(b":")?;
            match &**details {
                Details::State { name, payload } => {
                    let key = if matches!(self.kind, EventType::StateEntered(_)) {
                        "input"
                    } else {
                        "output"
                    };
                    out.write_all(b"{\"name\":")?;
                    serde_json::to_writer(&mut out, &**name)?;
                    write!(out, ",\"{key}\":")?;
                    serde_json::to_writer(&mut out, &**payload)?;
                    write!(out, ",\"{key}Details\":{{\"truncated\":false}}}}")?;
                }
                Details::Value(value) => serde_json::to_writer(&mut out, value)?,
            }
        }
        out.write_all(b"}")
    }

    /// The event as `GetExecutionHistory` returns it.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("id".into(), json!(self.id));
        out.insert("previousEventId".into(), json!(self.previous));
        out.insert("timestamp".into(), json!(iso(self.millis)));
        out.insert("type".into(), json!(self.kind.name()));
        if let Some(details) = &self.details {
            out.insert(self.kind.details_key(), details.to_json(self.kind));
        }
        Value::Object(out)
    }
}

/// The events of a run so far, with provisional ids (see the module documentation).
#[derive(Debug, Clone, Default)]
pub struct History {
    events: Vec<Event>,
    /// About how many bytes the events' details hold (see [`weight`]): the run stops at
    /// [`super::engine::TRACE_BUDGET_BYTES`] instead of exhausting memory. Counted as if the
    /// details were kept as strings, whether or not they are kept, so that the bound falls at
    /// the same state whatever the output.
    bytes: usize,
    /// Provisional ids of events that belong to aborted work and are left out of the result.
    dropped: Vec<bool>,
    /// Leave the details out (nothing will print them).
    without_details: bool,
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

/// What [`weight`] gives the details of a state's entry or exit, `{"name": name, key:
/// "<payload>", "<key>Details": {"truncated": false}}`, for a name of `name_len` bytes and a
/// payload of `payload_len` bytes serialised: the same figure, without building them.
pub fn state_details_weight(key: &str, name_len: usize, payload_len: usize) -> usize {
    const SLOT: usize = 32;
    // The object, three keys and their values, and the `{"truncated": false}` object.
    (9 * SLOT + "name".len() + 2 * key.len() + "Details".len() + "truncated".len())
        .saturating_add(name_len)
        .saturating_add(payload_len)
}

impl History {
    /// An empty history that keeps no details (`without_details`) or all of them.
    pub fn new(without_details: bool) -> History {
        History {
            without_details,
            ..History::default()
        }
    }

    /// Records an event and returns its provisional id.
    pub fn push(&mut self, kind: EventType, previous: u64, millis: i64, details: Option<Value>) -> u64 {
        let bytes = details.as_ref().map_or(0, weight);
        self.record(kind, previous, millis, details.map(Details::Value), bytes)
    }

    /// Whether the events' details are kept (see [`History::new`]).
    pub fn keeps_details(&self) -> bool {
        !self.without_details
    }

    /// Records a state's entry or exit and returns the event's provisional id. `payload` is
    /// its input or output as compact JSON, `None` when the details are not kept; `payload_len`
    /// the bytes it serialises to, either way.
    pub fn push_state(
        &mut self,
        kind: EventType,
        previous: u64,
        millis: i64,
        name: &Arc<str>,
        payload: Option<&Arc<str>>,
        payload_len: usize,
    ) -> u64 {
        let key = if matches!(kind, EventType::StateEntered(_)) {
            "input"
        } else {
            "output"
        };
        let bytes = state_details_weight(key, name.len(), payload_len);
        let details = payload.map(|payload| Details::State {
            name: Arc::clone(name),
            payload: Arc::clone(payload),
        });
        self.record(kind, previous, millis, details, bytes)
    }

    fn record(&mut self, kind: EventType, previous: u64, millis: i64, details: Option<Details>, bytes: usize) -> u64 {
        let id = self.events.len() as u64 + 1;
        self.bytes = self.bytes.saturating_add(bytes);
        self.events.push(Event {
            id,
            previous,
            kind,
            millis,
            details: details.filter(|_| !self.without_details).map(Box::new),
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
    pub fn finish(self) -> (Vec<Event>, Ids) {
        // In place: a long run's events are most of its memory.
        let mut kept = self.events;
        let mut dropped = self.dropped.into_iter();
        kept.retain(|_| !dropped.next().unwrap_or(false));
        // Stable: events at the same time keep the engine's order. Most runs recorded them in
        // order already.
        if !kept.is_sorted_by_key(|e| e.millis) {
            kept.sort_by_key(|e| e.millis);
        }
        let mut ids = vec![0; kept.iter().map(|e| e.id as usize + 1).max().unwrap_or(0)];
        for (i, e) in kept.iter().enumerate() {
            ids[e.id as usize] = i as u64 + 1;
        }
        let ids = Ids(ids);
        for event in &mut kept {
            event.id = ids.get(event.id).unwrap_or(0);
            event.previous = ids.get(event.previous).unwrap_or(0);
        }
        (kept, ids)
    }
}

/// The final id of each provisional id that was kept (provisional ids are dense from 1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids(Vec<u64>);

impl Ids {
    /// The final id of the event with provisional id `provisional`, if it was kept.
    pub fn get(&self, provisional: u64) -> Option<u64> {
        let id = *self.0.get(usize::try_from(provisional).ok()?)?;
        (id != 0).then_some(id)
    }
}

/// Rewrites "(entered at the event id #N)" in an error cause from provisional to final ids.
pub fn renumber_cause(cause: &str, ids: &Ids) -> String {
    const MARK: &str = "(entered at the event id #";
    let mut out = String::with_capacity(cause.len());
    let mut rest = cause;
    while let Some(at) = rest.find(MARK) {
        let (before, after) = rest.split_at(at + MARK.len());
        out.push_str(before);
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let (number, tail) = after.split_at(digits);
        match number.parse::<u64>().ok().and_then(|n| ids.get(n)) {
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
    fn state_details_weigh_as_their_json() {
        for (kind, key) in [
            (EventType::StateEntered(StateType::Pass), "input"),
            (EventType::StateExited(StateType::Pass), "output"),
        ] {
            let payload = json!({"counter": {"i": 12}, "s": "é\n"});
            let name: Arc<str> = Arc::from("Ünïcode name");
            let text = payload.to_string();
            let shared: Arc<str> = Arc::from(text.as_str());
            let details = Details::State {
                name: Arc::clone(&name),
                payload: Arc::clone(&shared),
            };
            let shown = details.to_json(kind);
            assert_eq!(
                shown,
                json!({"name": *name, key: text, format!("{key}Details"): {"truncated": false}})
            );
            assert_eq!(state_details_weight(key, name.len(), text.len()), weight(&shown));
            let mut h = History::default();
            h.push_state(kind, 0, 0, &name, Some(&shared), text.len());
            assert_eq!(h.bytes(), weight(&shown));
        }
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
        assert_eq!(ids.get(a), Some(3));
        assert_eq!(ids.get(gone), None);
        assert_eq!(
            renumber_cause("in 'X' (entered at the event id #2). boom", &ids),
            "in 'X' (entered at the event id #3). boom"
        );
    }
}
