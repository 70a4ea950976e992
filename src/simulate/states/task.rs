//! The Task state: its input (`Parameters` / `Arguments`), the mocked call of its resource with
//! its duration, `TimeoutSeconds` and `HeartbeatSeconds` on the virtual clock, and the events AWS
//! records for each family of resources (Lambda, activity, service integration).

use serde_json::{json, Map, Value};

use crate::model::resource::TaskResource;
use crate::model::state_fields::Setting;
use crate::simulate::engine::{exceeds_payload_limit, too_large, Engine, Halt, Here};
use crate::simulate::errors::{names, Failure};
use crate::simulate::history::EventType;
use crate::simulate::io::{self, IoError, JsonataScope, PathScope};
use crate::simulate::mocks::Response;
use crate::simulate::{SimulateError, UnmockedReason};

impl Engine<'_> {
    pub(in crate::simulate) fn task(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Value, Halt> {
        let resource = here.fields.resource();
        if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            io::jsonata_arguments(&here.fields, &scope).map_err(|e| here.fail(e))?;
            let limits = TaskLimits {
                timeout: self.task_seconds(here, Setting::TIMEOUT_SECONDS, &scope)?,
                heartbeat: self.task_seconds(here, Setting::HEARTBEAT_SECONDS, &scope)?,
            };
            let result = self.invoke(here, resource, limits)?;
            return self.jsonata_tail(here, input, Some(&result), result.clone(), variables);
        }
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let effective = io::path_input(&here.fields, input, &scope, &mut self.entropy)
            .map_err(|e| here.fail(e))?
            .effective;
        let mut limits = TaskLimits::default();
        let settings = here.fields.settings();
        for (setting, slot) in [
            (Setting::TIMEOUT_SECONDS, &mut limits.timeout),
            (Setting::HEARTBEAT_SECONDS, &mut limits.heartbeat),
        ] {
            *slot = settings.value(setting).and_then(Value::as_f64);
            if let Some(path) = settings.path(setting) {
                let value = io::read_path(path, &effective, &scope)
                    .map_err(|e| here.fail(IoError::new(names::RUNTIME, e.cause_for_field(path))))?;
                *slot = value.as_f64();
            }
        }
        let result = self.invoke(here, resource, limits)?;
        self.path_tail(here, input, result, variables, true)
    }

    /// A JSONata task's `TimeoutSeconds` / `HeartbeatSeconds`: a number or an expression.
    fn task_seconds(&self, here: &Here, setting: Setting, scope: &JsonataScope) -> Result<Option<f64>, Halt> {
        match here.fields.settings().value(setting) {
            Some(Value::String(text)) => {
                let value =
                    io::jsonata_field(&Value::String(text.clone()), setting.name, scope).map_err(|e| here.fail(e))?;
                Ok(value.as_f64())
            }
            Some(other) => Ok(other.as_f64()),
            None => Ok(None),
        }
    }

    /// One call of a Task's resource: the mocked response for this invocation, taking the
    /// response's `Duration` on the virtual clock, cut short by the task's `TimeoutSeconds` or
    /// (for callback tasks and activities, which report heartbeats) `HeartbeatSeconds`.
    fn invoke(&mut self, here: &Here, resource: &str, limits: TaskLimits) -> Result<Value, Halt> {
        let Some(mocks) = &self.options.mocks else {
            return Err(Halt::Sim(SimulateError::Unmocked {
                state: here.name.to_string(),
                resource: resource.to_string(),
                reason: UnmockedReason::NoMockConfig,
            }));
        };
        if !mocks.has(here.name) {
            return Err(Halt::Sim(SimulateError::Unmocked {
                state: here.name.to_string(),
                resource: resource.to_string(),
                reason: UnmockedReason::NotInTestCase,
            }));
        }
        let n = self.invocations.entry(here.name.to_string()).or_insert(0);
        let invocation = *n;
        let mocked = mocks.response(here.name, invocation).cloned();
        *n += 1;
        let Some(mocked) = mocked else {
            return Err(Halt::Sim(SimulateError::Unmocked {
                state: here.name.to_string(),
                resource: resource.to_string(),
                reason: UnmockedReason::NoResponse(invocation),
            }));
        };
        let family = TaskFamily::of(resource);
        let details = json!({"resource": resource});
        self.last = self
            .history
            .push(family.scheduled(), self.last, self.clock, Some(details.clone()));
        self.last = self.history.push(
            family.started(),
            self.last,
            self.clock,
            family.started_details(resource),
        );
        if resource.contains(".sync") || resource.ends_with(".waitForTaskToken") {
            self.last = self
                .history
                .push(EventType::TaskSubmitted, self.last, self.clock, Some(details.clone()));
        }
        let start = self.clock;
        let duration = (mocked.duration_seconds.unwrap_or(0.0).max(0.0) * 1000.0).round() as i64;
        let reports_heartbeats = resource.ends_with(".waitForTaskToken")
            || matches!(TaskResource::parse(resource), TaskResource::Activity { .. });
        let timeout = limits.timeout.map(|s| (s * 1000.0).round() as i64);
        let heartbeat = limits
            .heartbeat
            .filter(|_| reports_heartbeats)
            .map(|s| (s * 1000.0).round() as i64);
        // Which comes first: the end of the work, the heartbeat timeout or the task timeout.
        let mut outcome = mocked.response;
        let mut elapsed = duration;
        if let Some(h) = heartbeat.filter(|h| *h < elapsed) {
            elapsed = h;
            outcome = Response::Throw {
                error: names::HEARTBEAT_TIMEOUT.into(),
                cause: None,
            };
        }
        if let Some(t) = timeout.filter(|t| *t < elapsed) {
            elapsed = t;
            outcome = Response::Throw {
                error: names::TIMEOUT.into(),
                cause: None,
            };
        }
        self.advance_to(start.saturating_add(elapsed))?;
        match outcome {
            Response::Return(value) if exceeds_payload_limit(&value) => {
                self.last = self.history.push(family.failed(), self.last, self.clock, Some(details));
                Err(Halt::Fail(too_large(resource)))
            }
            Response::Return(value) => {
                self.last = self.history.push(
                    family.succeeded(),
                    self.last,
                    self.clock,
                    Some(json!({"resource": resource, "output": value.to_string()})),
                );
                Ok(match TaskResource::parse(resource) {
                    TaskResource::LambdaFunction { .. } => match value {
                        Value::Object(mut m) if m.contains_key("Payload") => m.remove("Payload").unwrap_or(Value::Null),
                        other => other,
                    },
                    _ => value,
                })
            }
            Response::Throw { error, cause } => {
                // A task timing out has an empty cause on AWS, not a missing one.
                let timed_out = matches!(error.as_str(), names::TIMEOUT | names::HEARTBEAT_TIMEOUT);
                let cause = if timed_out {
                    cause.or_else(|| Some(String::new()))
                } else {
                    cause
                };
                let kind = if timed_out { family.timed_out() } else { family.failed() };
                self.last = self.history.push(
                    kind,
                    self.last,
                    self.clock,
                    Some(json!({"resource": resource, "error": error, "cause": cause})),
                );
                Err(Halt::Fail(Failure { error, cause }))
            }
        }
    }
}

/// A task's time limits in seconds, as the state gives them.
#[derive(Debug, Clone, Copy, Default)]
struct TaskLimits {
    timeout: Option<f64>,
    heartbeat: Option<f64>,
}

/// The event family a Task's resource records under: `LambdaFunction…` for a plain Lambda
/// ARN, `Activity…` for an activity, `Task…` for service integrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskFamily {
    Lambda,
    Activity,
    Service,
}

impl TaskFamily {
    fn of(resource: &str) -> TaskFamily {
        match TaskResource::parse(resource) {
            TaskResource::LambdaFunction { .. } => TaskFamily::Lambda,
            TaskResource::Activity { .. } => TaskFamily::Activity,
            _ => TaskFamily::Service,
        }
    }

    fn scheduled(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionScheduled,
            TaskFamily::Activity => EventType::ActivityScheduled,
            TaskFamily::Service => EventType::TaskScheduled,
        }
    }

    fn started(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionStarted,
            TaskFamily::Activity => EventType::ActivityStarted,
            TaskFamily::Service => EventType::TaskStarted,
        }
    }

    fn started_details(self, resource: &str) -> Option<Value> {
        match self {
            TaskFamily::Lambda => None,
            TaskFamily::Activity => Some(json!({"workerName": "aslkit"})),
            TaskFamily::Service => Some(json!({"resource": resource})),
        }
    }

    fn succeeded(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionSucceeded,
            TaskFamily::Activity => EventType::ActivitySucceeded,
            TaskFamily::Service => EventType::TaskSucceeded,
        }
    }

    fn failed(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionFailed,
            TaskFamily::Activity => EventType::ActivityFailed,
            TaskFamily::Service => EventType::TaskFailed,
        }
    }

    fn timed_out(self) -> EventType {
        match self {
            TaskFamily::Lambda => EventType::LambdaFunctionTimedOut,
            TaskFamily::Activity => EventType::ActivityTimedOut,
            TaskFamily::Service => EventType::TaskTimedOut,
        }
    }
}
