//! Describing places in the machine for messages: `Pass state "A"`, `a retrier of Task state
//! "B"`, `` `Seconds` ``; and whether a value is inside a CloudFormation intrinsic function.

use serde_json::Value;

use super::Translator;
use crate::pointer::tokens;
use crate::unknown::is_unknown as is_intrinsic;

impl Translator<'_> {
    pub(super) fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Whether the value at `path`, or one that contains it, is a CloudFormation intrinsic.
    pub(super) fn inside_intrinsic(&self, path: &str) -> bool {
        let mut current = Some(self.machine);
        if current.is_some_and(is_intrinsic) {
            return true;
        }
        for token in tokens(path) {
            current = current.and_then(|v| match v {
                Value::Object(o) => o.get(&token),
                Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
                _ => None,
            });
            if current.is_some_and(is_intrinsic) {
                return true;
            }
        }
        false
    }

    /// The object at `path`, in words: `Pass state "A"`, `a retrier of Task state "B"`, …
    pub(super) fn describe_object(&self, path: &str) -> String {
        let place = Place::of(self.machine, path);
        let owner = place
            .state
            .as_ref()
            .map(describe_state)
            .unwrap_or_else(|| "the state machine".to_string());
        match place.rest.as_slice() {
            [] => owner,
            [field, _] if field == "Retry" => format!("a retrier of {owner}"),
            [field, _] if field == "Catch" => format!("a catcher of {owner}"),
            [field, i] if field == "Branches" => format!("branch {i} of {owner}"),
            [field, i] if field == "Choices" => format!("Choice rule {i} of {owner}"),
            rest => {
                let name = rest
                    .iter()
                    .rev()
                    .find(|t| t.parse::<usize>().is_err())
                    .cloned()
                    .unwrap_or_default();
                format!("`{name}` of {owner}")
            }
        }
    }

    /// The value at `path` as the subject of a sentence: `` `Seconds` ``, `state "A"`, …
    pub(super) fn subject(&self, path: &str) -> String {
        let place = Place::of(self.machine, path);
        if place.rest.is_empty() {
            return match &place.state {
                Some(state) => format!("state \"{}\"", state.name),
                None => "the state machine".to_string(),
            };
        }
        let all = tokens(path);
        match all.as_slice() {
            [.., container, last] if last.parse::<usize>().is_ok() => {
                format!("each entry of `{container}`")
            }
            [.., last] => format!("`{last}`"),
            [] => "the state machine".to_string(),
        }
    }
}

/// The enclosing state of a path and the tokens below it.
struct Place {
    state: Option<StateRef>,
    rest: Vec<String>,
}

struct StateRef {
    name: String,
    ty: Option<String>,
}

impl Place {
    fn of(machine: &Value, path: &str) -> Place {
        let all = tokens(path);
        let mut state = None;
        let mut rest: Vec<String> = Vec::new();
        let mut at_machine = true;
        let mut value = Some(machine);
        let mut i = 0;
        while i < all.len() {
            let token = &all[i];
            value = value.and_then(|v| step(v, token));
            if at_machine && token == "States" && i + 1 < all.len() {
                let name = all[i + 1].clone();
                value = value.and_then(|v| step(v, &name));
                let ty = value
                    .and_then(|v| v.get("Type"))
                    .and_then(Value::as_str)
                    .filter(|t| crate::model::StateType::parse(t).is_some())
                    .map(str::to_string);
                state = Some(StateRef { name, ty });
                rest.clear();
                at_machine = false;
                i += 2;
                continue;
            }
            rest.push(token.clone());
            // Parallel branches and Map processors are machines of their own.
            let nested_machine = match rest.as_slice() {
                [field, _] => field == "Branches",
                [field] => field == "ItemProcessor" || field == "Iterator",
                _ => false,
            };
            at_machine = state.is_some() && nested_machine;
            i += 1;
        }
        Place { state, rest }
    }
}

fn step<'v>(value: &'v Value, token: &str) -> Option<&'v Value> {
    match value {
        Value::Object(o) => o.get(token),
        Value::Array(a) => token.parse::<usize>().ok().and_then(|i| a.get(i)),
        _ => None,
    }
}

fn describe_state(state: &StateRef) -> String {
    match &state.ty {
        Some(ty) => format!("{ty} state \"{}\"", state.name),
        None => format!("state \"{}\"", state.name),
    }
}
