//! Concurrency on the virtual clock: Parallel branches and Map iterations ("lanes").
//!
//! Lanes start together (a Map's `MaxConcurrency` bounds how many run at once; a new one starts
//! when one ends, in item order) and each keeps its own time. The engine runs them one after
//! another, each from its start time, so a lane's durations, waits and retries overlap with its
//! siblings' instead of adding up.
//!
//! The first failure by time stops the siblings, as on AWS. Which failure comes first is known
//! only once every lane has run, so when one fails the lanes run a second time with that
//! instant as their horizon: work after it is aborted (`…StateAborted`, `MapIterationAborted`)
//! and what never started leaves no trace. At the same instant, lanes are ordered by index: a
//! lane before the failing one may finish its work at that instant, a lane after it may not
//! (which is how AWS records instantaneous Map iterations: one after the other, none after the
//! failing one). A lane that loops forever on its own (a polling loop raced by a timeout
//! branch, the "either-or" pattern) is likewise cut at its sibling's failure.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::engine::{Engine, Halt};
use super::errors::Failure;
use super::SimulateError;
use crate::expr::intrinsics::eval::SplitMix64;

/// How a lane ended.
#[derive(Debug, Clone)]
pub(super) enum LaneEnd {
    Done(Value),
    Failed(Failure),
    /// Cut short by a sibling's earlier failure (or an enclosing lane's).
    Aborted,
    /// Never started: a sibling failed before its turn.
    NotStarted,
    /// The machine's `TimeoutSeconds` ran out.
    TimedOut,
    /// The lane made more transitions than any real run needs.
    Runaway(SimulateError),
    /// The execution's history filled up (perhaps only because this lane ran on alone).
    HistoryFull,
}

/// One lane's outcome and where it ended.
#[derive(Debug, Clone)]
pub(super) struct Lane {
    pub(super) end: LaneEnd,
    /// Virtual time the lane ended at.
    pub(super) at: i64,
    /// Provisional id of the lane's last event.
    pub(super) last: u64,
}

impl Lane {
    /// A lane's outcome from the result of running its scope.
    pub(super) fn of(engine: &Engine, result: Result<Value, Halt>) -> Result<Lane, SimulateError> {
        let end = match result {
            Ok(v) => LaneEnd::Done(v),
            Err(Halt::Fail(f)) => LaneEnd::Failed(f),
            Err(Halt::Aborted) => LaneEnd::Aborted,
            Err(Halt::TimedOut) => LaneEnd::TimedOut,
            Err(Halt::HistoryFull) => LaneEnd::HistoryFull,
            Err(Halt::Sim(e @ SimulateError::Runaway(_))) => LaneEnd::Runaway(e),
            Err(Halt::Sim(e)) => return Err(e),
        };
        Ok(Lane {
            end,
            at: engine.clock,
            last: engine.last,
        })
    }
}

/// What a run needs to be able to run lanes again.
struct Snapshot {
    history: usize,
    trace: usize,
    invocations: HashMap<String, u64>,
    entropy: SplitMix64,
    last: u64,
    clock: i64,
}

/// The lanes' outcomes, and which one failed the whole (by index), if one did.
pub(super) struct Lanes {
    pub(super) lanes: Vec<Lane>,
    pub(super) winner: Option<usize>,
}

pub(super) type RunLane<'a, 'o> = dyn FnMut(&mut Engine<'o>, usize) -> Result<Lane, SimulateError> + 'a;

impl<'o> Engine<'o> {
    fn snapshot(&self) -> Snapshot {
        Snapshot {
            history: self.history.len(),
            trace: self.trace.len(),
            invocations: self.invocations.clone(),
            entropy: self.entropy.clone(),
            last: self.last,
            clock: self.clock,
        }
    }

    fn restore(&mut self, s: Snapshot) {
        self.history.truncate(s.history);
        self.trace.truncate(s.trace);
        self.invocations = s.invocations;
        self.entropy = s.entropy;
        self.last = s.last;
        self.clock = s.clock;
    }

    /// Runs `count` lanes from the current time, at most `concurrency` at once (0: all).
    /// `decide` names the lane whose failure fails the whole, among finished lanes. On success
    /// the clock stands at the last lane's end; on failure at the failure.
    pub(super) fn run_lanes(
        &mut self,
        count: usize,
        concurrency: usize,
        decide: &dyn Fn(&[Lane]) -> Option<usize>,
        lane: &mut RunLane<'_, 'o>,
    ) -> Result<Lanes, Halt> {
        let t0 = self.clock;
        let snapshot = self.snapshot();
        let first = self.schedule(count, concurrency, t0, None, lane)?;
        let lanes = match decide(&first) {
            None => first,
            Some(w) => {
                let cut = (first[w].at, w);
                self.restore(snapshot);
                self.schedule(count, concurrency, t0, Some(cut), lane)?
            }
        };
        let winner = decide(&lanes);
        match winner {
            Some(w) => {
                self.clock = lanes[w].at;
                self.last = lanes[w].last;
            }
            None => {
                if lanes.iter().any(|l| matches!(l.end, LaneEnd::TimedOut)) {
                    self.clock = self.deadline.unwrap_or(self.clock);
                    return Err(Halt::TimedOut);
                }
                if let Some(l) = lanes.iter().find(|l| matches!(l.end, LaneEnd::Aborted)) {
                    self.clock = l.at;
                    return Err(Halt::Aborted);
                }
                if lanes.iter().any(|l| matches!(l.end, LaneEnd::HistoryFull)) {
                    return Err(Halt::HistoryFull);
                }
                if let Some(LaneEnd::Runaway(e)) =
                    lanes.iter().map(|l| &l.end).find(|e| matches!(e, LaneEnd::Runaway(_)))
                {
                    return Err(Halt::Sim(e.clone()));
                }
                self.clock = lanes.iter().map(|l| l.at).max().unwrap_or(t0);
            }
        }
        Ok(Lanes { lanes, winner })
    }

    /// One pass over the lanes; `cut` is the failure (time, lane) that aborts the others.
    fn schedule(
        &mut self,
        count: usize,
        concurrency: usize,
        t0: i64,
        cut: Option<(i64, usize)>,
        lane: &mut RunLane<'_, 'o>,
    ) -> Result<Vec<Lane>, Halt> {
        let outer = self.horizon;
        let slots = if concurrency == 0 {
            count
        } else {
            concurrency.min(count)
        };
        // The free slots by (time, slot): the earliest, the lowest slot first. A heap, as a
        // scan over every slot made a Map of 20,000 items quadratic.
        let mut free: std::collections::BinaryHeap<std::cmp::Reverse<(i64, usize)>> =
            (0..slots.max(1)).map(|slot| std::cmp::Reverse((t0, slot))).collect();
        let mut lanes = Vec::with_capacity(count);
        let mut closed = false;
        for i in 0..count {
            let std::cmp::Reverse((start, slot)) = free.pop().unwrap_or(std::cmp::Reverse((t0, 0)));
            self.horizon = match cut {
                Some((t, w)) => {
                    let own = 2 * i128::from(t) + i128::from(i <= w);
                    Some(outer.map_or(own, |o| o.min(own)))
                }
                None => outer,
            };
            self.clock = start;
            if closed || self.check_time(start).is_err() {
                closed = true;
                free.push(std::cmp::Reverse((start, slot)));
                lanes.push(Lane {
                    end: LaneEnd::NotStarted,
                    at: start,
                    last: self.last,
                });
                continue;
            }
            let marks = (self.history.len(), self.trace.len());
            let done = lane(self, i).map_err(Halt::Sim)?;
            if matches!(done.end, LaneEnd::HistoryFull | LaneEnd::Runaway(_)) {
                // A lane that runs on alone (until a sibling's failure cuts it, on the second
                // pass) must not crowd the others out of the history.
                self.history.truncate(marks.0);
                self.trace.truncate(marks.1);
            }
            free.push(std::cmp::Reverse((done.at, slot)));
            lanes.push(done);
        }
        self.horizon = outer;
        Ok(lanes)
    }
}

/// The lane that failed first (by time, then index), if any did.
pub(super) fn first_failure(lanes: &[Lane]) -> Option<usize> {
    lanes
        .iter()
        .enumerate()
        .filter(|(_, l)| matches!(l.end, LaneEnd::Failed(_)))
        .min_by_key(|(i, l)| (l.at, *i))
        .map(|(i, _)| i)
}

/// Details of a `MapIteration…` event.
pub(super) fn iteration_details(name: &str, index: usize) -> Value {
    json!({"name": name, "index": index})
}
