//! A typed, lenient view of a state machine.
//!
//! Built from the parsed `serde_json::Value` without ever failing: a field of the wrong type is
//! simply absent here (the schema reports it). Every scope and state keeps its JSON Pointer from
//! the root of the *file*, so a rule that finds a problem in a definition nested inside a
//! template reports the right place without knowing about templates.
//!
//! Scopes nest: a Parallel state's `Branches[i]`, a Map state's `ItemProcessor` (or legacy
//! `Iterator`) are machines of their own, with their own `StartAt`, `States` and transitions.

pub mod choice;
pub mod fields;
pub mod integrations;
pub mod resource;
pub mod state_fields;
pub(crate) mod text;
pub mod timestamp;

use std::cell::OnceCell;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::pointer::child;
use choice::ChoiceRule;
use fields::FieldSet;
use resource::TaskResource;

/// Which kind of state machine a definition is for: some integrations only exist for one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MachineType {
    #[default]
    Standard,
    Express,
}

/// The eight state types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateType {
    Task,
    Pass,
    Choice,
    Wait,
    Succeed,
    Fail,
    Parallel,
    Map,
}

impl StateType {
    pub const ALL: [StateType; 8] = [
        StateType::Task,
        StateType::Pass,
        StateType::Choice,
        StateType::Wait,
        StateType::Succeed,
        StateType::Fail,
        StateType::Parallel,
        StateType::Map,
    ];

    pub fn parse(s: &str) -> Option<StateType> {
        StateType::ALL.into_iter().find(|t| t.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Task => "Task",
            StateType::Pass => "Pass",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }

    /// States that end their scope by themselves: they never take `Next`/`End`.
    pub fn is_terminal_type(self) -> bool {
        matches!(self, StateType::Succeed | StateType::Fail)
    }
}

/// The query language in force for a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QueryLanguage {
    JsonPath,
    Jsonata,
}

impl QueryLanguage {
    pub fn parse(s: &str) -> Option<QueryLanguage> {
        match s {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// Where a scope sits in its machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// The top-level machine.
    Root,
    /// `Branches[i]` of a Parallel state.
    Branch(usize),
    /// A Map state's `ItemProcessor`.
    ItemProcessor,
    /// A Map state's legacy `Iterator`.
    Iterator,
}

/// One scope: the top-level machine, a Parallel branch or a Map processor.
#[derive(Debug, Clone)]
pub struct StateMachine<'a> {
    /// Pointer of this scope's object from the root of the file.
    pub pointer: String,
    pub kind: ScopeKind,
    /// The scope's object (`None` when it is not a JSON object).
    pub object: Option<&'a Map<String, Value>>,
    pub start_at: Option<&'a str>,
    pub states: Vec<State<'a>>,
    /// The query language declared at the top level of the whole machine (JSONPath by default);
    /// nested scopes inherit it.
    pub query_language: QueryLanguage,
    /// 0 for the top-level machine, +1 for each Parallel/Map level.
    pub depth: usize,
    /// The Parallel or Map state this scope belongs to (`None` for the top level).
    pub parent: Option<&'a str>,
    /// The indices of the states that have nested scopes, and how many scopes and states this
    /// scope holds with all its nested ones: [`Self::scopes`] and [`Self::all_states`], which
    /// a dozen checks call, walk only the states with nested scopes and allocate once.
    nesting: Vec<usize>,
    scope_count: usize,
    state_count: usize,
}

/// One state.
#[derive(Debug, Clone)]
pub struct State<'a> {
    pub name: &'a str,
    /// Pointer of the state's object (`…/States/<name>`).
    pub pointer: String,
    /// The state's object (`None` when it is not a JSON object).
    pub object: Option<&'a Map<String, Value>>,
    /// `None` when `Type` is missing or not one of the eight.
    pub kind: Option<StateType>,
    /// The query language in force: the state's own `QueryLanguage`, else the top-level one.
    /// A state inside a Map or Parallel does not inherit from that enclosing state: Step
    /// Functions falls back to the top-level `QueryLanguage` (or JSONPath).
    pub query_language: QueryLanguage,
    /// Nested scopes: Parallel branches, or a Map's processor.
    pub children: Vec<StateMachine<'a>>,
    /// Which catalogued fields the object has ([`FieldSet`]), for the catalogue's queries.
    pub present: FieldSet,
    /// The Choice rules ([`choice::rules`]), worked out on first use: a dozen checks walk them.
    choice_rules: OnceCell<Vec<ChoiceRule<'a>>>,
    /// What `Resource` names ([`Self::task_resource`]), parsed on first use: three checks ask.
    task_resource: OnceCell<(Option<&'a str>, TaskResource<'a>)>,
}

/// Why a transition exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionKind {
    Next,
    Default,
    /// A top-level Choice rule's `Next` (index in `Choices`).
    Choice(usize),
    /// A Catcher's `Next` (index in `Catch`).
    Catch(usize),
}

/// An edge from a state to a named target in the same scope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition<'a> {
    pub target: &'a str,
    /// Pointer of the string naming the target.
    pub pointer: String,
    pub kind: TransitionKind,
}

/// A hash map for keys that come from the definition (state names, pointers): foldhash is
/// several times faster than the standard SipHash on short strings, and still seeded per process.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// `object[key]`, found by comparing keys when the object is small, as the objects of a state
/// machine are: cheaper than hashing the key (serde_json's map hashes with SipHash). Keys are
/// unique, so the answer is the same.
pub fn get_field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    if object.len() <= 16 {
        object.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
    } else {
        object.get(key)
    }
}

/// `value[key]` when `value` is an object ([`get_field`]); `None` otherwise.
pub fn get_member<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_object().and_then(|o| get_field(o, key))
}

impl<'a> StateMachine<'a> {
    /// Builds the model of the machine whose object is `value`, found at `pointer` in the file.
    pub fn build(value: &'a Value, pointer: &str) -> StateMachine<'a> {
        let ql = get_member(value, "QueryLanguage")
            .and_then(Value::as_str)
            .and_then(QueryLanguage::parse)
            .unwrap_or(QueryLanguage::JsonPath);
        Self::build_scope(value, pointer.to_string(), ScopeKind::Root, ql, 0, None)
    }

    fn build_scope(
        value: &'a Value,
        pointer: String,
        kind: ScopeKind,
        query_language: QueryLanguage,
        depth: usize,
        parent: Option<&'a str>,
    ) -> StateMachine<'a> {
        let object = value.as_object();
        let start_at = object.and_then(|o| get_field(o, "StartAt")).and_then(Value::as_str);
        let states_pointer = child(&pointer, "States");
        let states: Vec<State<'a>> = object
            .and_then(|o| get_field(o, "States"))
            .and_then(Value::as_object)
            .map(|states| {
                states
                    .iter()
                    .map(|(name, v)| State::build(name, v, child(&states_pointer, name), query_language, depth))
                    .collect()
            })
            .unwrap_or_default();
        let nesting: Vec<usize> = (0..states.len()).filter(|&i| !states[i].children.is_empty()).collect();
        let nested = || nesting.iter().flat_map(|&i| &states[i].children);
        let scope_count = 1 + nested().map(|scope| scope.scope_count).sum::<usize>();
        let state_count = states.len() + nested().map(|scope| scope.state_count).sum::<usize>();
        StateMachine {
            parent,
            pointer,
            kind,
            object,
            start_at,
            states,
            query_language,
            depth,
            nesting,
            scope_count,
            state_count,
        }
    }

    /// Looks a state of this scope up by name.
    pub fn state(&self, name: &str) -> Option<&State<'a>> {
        self.states.iter().find(|s| s.name == name)
    }

    /// This scope and every nested scope, depth first, parents before children.
    pub fn scopes(&self) -> Vec<&StateMachine<'a>> {
        let mut out = Vec::with_capacity(self.scope_count);
        out.push(self);
        let mut i = 0;
        while i < out.len() {
            let scope = out[i];
            for &nesting in &scope.nesting {
                out.extend(scope.states[nesting].children.iter());
            }
            i += 1;
        }
        out
    }

    /// Every state of every scope, with the scope it belongs to.
    pub fn all_states(&self) -> Vec<(&StateMachine<'a>, &State<'a>)> {
        let scopes = self.scopes();
        let mut out = Vec::with_capacity(self.state_count);
        for scope in scopes {
            out.extend(scope.states.iter().map(|s| (scope, s)));
        }
        out
    }

    /// Every state of type `kind`, in any scope, whose `field` is a string, with that string.
    pub fn string_fields(&self, kind: StateType, field: &str) -> Vec<(&State<'a>, &'a str)> {
        self.all_states()
            .into_iter()
            .filter(|(_, s)| s.kind == Some(kind))
            .filter_map(|(_, s)| s.get(field).and_then(Value::as_str).map(|v| (s, v)))
            .collect()
    }

    /// Every Task state, in any scope, whose `Resource` is a string, with that string:
    /// [`Self::string_fields`] for `Resource`, answered from the state's parse of it
    /// ([`State::resource_text`]) rather than by looking the field up again.
    pub fn task_resources(&self) -> Vec<(&State<'a>, &'a str)> {
        self.all_states()
            .into_iter()
            .filter(|(_, s)| s.kind == Some(StateType::Task))
            .filter_map(|(_, s)| s.resource_text().map(|v| (s, v)))
            .collect()
    }

    /// Pointer of a field of this scope's object.
    pub fn field_pointer(&self, field: &str) -> String {
        child(&self.pointer, field)
    }

    /// A short description for messages: "the state machine", "branch 2 of \"Fan\"", ….
    pub fn describe(&self) -> String {
        match self.kind {
            ScopeKind::Root => "the state machine".to_string(),
            ScopeKind::Branch(i) => format!("branch {i} of \"{}\"", self.parent.unwrap_or_default()),
            ScopeKind::ItemProcessor => format!("the ItemProcessor of \"{}\"", self.parent.unwrap_or_default()),
            ScopeKind::Iterator => format!("the Iterator of \"{}\"", self.parent.unwrap_or_default()),
        }
    }
}

impl<'a> State<'a> {
    fn build(name: &'a str, value: &'a Value, pointer: String, machine_ql: QueryLanguage, depth: usize) -> State<'a> {
        let object = value.as_object();
        let (present, kind, query_language) = object.map(FieldSet::scan).unwrap_or_default();
        let kind = kind.and_then(Value::as_str).and_then(StateType::parse);
        let query_language = query_language
            .and_then(Value::as_str)
            .and_then(QueryLanguage::parse)
            .unwrap_or(machine_ql);
        let mut children = Vec::new();
        if let Some(o) = object {
            match kind {
                Some(StateType::Parallel) => {
                    if let Some(branches) = get_field(o, "Branches").and_then(Value::as_array) {
                        let bp = child(&pointer, "Branches");
                        for (i, b) in branches.iter().enumerate() {
                            children.push(StateMachine::build_scope(
                                b,
                                child(&bp, &i.to_string()),
                                ScopeKind::Branch(i),
                                machine_ql,
                                depth + 1,
                                Some(name),
                            ));
                        }
                    }
                }
                Some(StateType::Map) => {
                    for (field, scope_kind) in [
                        ("ItemProcessor", ScopeKind::ItemProcessor),
                        ("Iterator", ScopeKind::Iterator),
                    ] {
                        if let Some(p) = get_field(o, field).filter(|v| v.is_object()) {
                            children.push(StateMachine::build_scope(
                                p,
                                child(&pointer, field),
                                scope_kind,
                                machine_ql,
                                depth + 1,
                                Some(name),
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
        State {
            name,
            pointer,
            object,
            kind,
            query_language,
            children,
            present,
            choice_rules: OnceCell::new(),
            task_resource: OnceCell::new(),
        }
    }

    /// Every rule of a Choice state, nested ones included ([`choice::rules`]; none for other
    /// types), worked out once.
    pub fn choice_rules(&self) -> &[ChoiceRule<'a>] {
        self.choice_rules.get_or_init(|| choice::rules(self))
    }

    /// What the state's `Resource` names ([`TaskResource::parse`]), parsed once;
    /// [`TaskResource::Other`] when it is not a string.
    pub fn task_resource(&self) -> TaskResource<'a> {
        self.resource_entry().1
    }

    /// The state's `Resource` when it is a string, looked up once (with [`Self::task_resource`]).
    pub fn resource_text(&self) -> Option<&'a str> {
        self.resource_entry().0
    }

    fn resource_entry(&self) -> (Option<&'a str>, TaskResource<'a>) {
        *self.task_resource.get_or_init(|| {
            let text = self.get("Resource").and_then(Value::as_str);
            (text, text.map_or(TaskResource::Other, TaskResource::parse))
        })
    }

    /// A field of the state's object.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.object.and_then(|o| get_field(o, name))
    }

    pub fn has(&self, field: &str) -> bool {
        self.object.is_some_and(|o| get_field(o, field).is_some())
    }

    /// Pointer of a field of the state.
    pub fn field_pointer(&self, field: &str) -> String {
        child(&self.pointer, field)
    }

    /// `End: true`.
    pub fn is_end(&self) -> bool {
        static END: OnceLock<Option<u32>> = OnceLock::new();
        self.get_catalogued(&END, "End").and_then(Value::as_bool) == Some(true)
    }

    /// Whether execution of the scope can stop at this state: Succeed, Fail, or `End: true`.
    pub fn is_terminal(&self) -> bool {
        self.kind.is_some_and(StateType::is_terminal_type) || self.is_end()
    }

    /// Calls `f` with the target of every transition of [`Self::transitions`], in the same order,
    /// without working out their pointers (the graphs need the targets only).
    pub fn for_each_target(&self, mut f: impl FnMut(&'a str)) {
        if let Some(next) = self.get("Next").and_then(Value::as_str) {
            f(next);
        }
        if self.kind == Some(StateType::Choice) {
            for rule in self.get("Choices").and_then(Value::as_array).into_iter().flatten() {
                if let Some(next) = get_member(rule, "Next").and_then(Value::as_str) {
                    f(next);
                }
            }
            if let Some(default) = self.get("Default").and_then(Value::as_str) {
                f(default);
            }
        }
        static CATCH: OnceLock<Option<u32>> = OnceLock::new();
        let catchers = self.get_catalogued(&CATCH, "Catch").and_then(Value::as_array);
        for catcher in catchers.into_iter().flatten() {
            if let Some(next) = get_member(catcher, "Next").and_then(Value::as_str) {
                f(next);
            }
        }
    }

    /// [`Self::get`] for a name written on states (`name`, whose bit `bit` keeps): the state's
    /// [`FieldSet`] answers for a name it does not have, without a look at the object.
    fn get_catalogued(&self, bit: &'static OnceLock<Option<u32>>, name: &'static str) -> Option<&'a Value> {
        if fields::may_have(self, bit, name) {
            self.get(name)
        } else {
            None
        }
    }

    /// Every named transition out of this state within its scope, in document order.
    pub fn transitions(&self) -> Vec<Transition<'a>> {
        let mut out = Vec::new();
        if let Some(next) = self.get("Next").and_then(Value::as_str) {
            out.push(Transition {
                target: next,
                pointer: self.field_pointer("Next"),
                kind: TransitionKind::Next,
            });
        }
        if self.kind == Some(StateType::Choice) {
            if let Some(choices) = self.get("Choices").and_then(Value::as_array) {
                let cp = self.field_pointer("Choices");
                for (i, rule) in choices.iter().enumerate() {
                    if let Some(next) = get_member(rule, "Next").and_then(Value::as_str) {
                        out.push(Transition {
                            target: next,
                            pointer: child(&child(&cp, &i.to_string()), "Next"),
                            kind: TransitionKind::Choice(i),
                        });
                    }
                }
            }
            if let Some(default) = self.get("Default").and_then(Value::as_str) {
                out.push(Transition {
                    target: default,
                    pointer: self.field_pointer("Default"),
                    kind: TransitionKind::Default,
                });
            }
        }
        if let Some(catchers) = self.get("Catch").and_then(Value::as_array) {
            let cp = self.field_pointer("Catch");
            for (i, catcher) in catchers.iter().enumerate() {
                if let Some(next) = get_member(catcher, "Next").and_then(Value::as_str) {
                    out.push(Transition {
                        target: next,
                        pointer: child(&child(&cp, &i.to_string()), "Next"),
                        kind: TransitionKind::Catch(i),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_nested_scopes_with_pointers() {
        let v = json!({
            "QueryLanguage": "JSONata",
            "StartAt": "P",
            "States": {
                "P": {"Type": "Parallel", "Branches": [
                    {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
                ], "Next": "M"},
                "M": {"Type": "Map", "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}, "End": true}
            }
        });
        let m = StateMachine::build(&v, "/Resources/X/Properties/Definition");
        let scopes = m.scopes();
        assert_eq!(scopes.len(), 3);
        assert_eq!(
            scopes[1].pointer,
            "/Resources/X/Properties/Definition/States/P/Branches/0"
        );
        assert_eq!(
            scopes[2].states[0].pointer,
            "/Resources/X/Properties/Definition/States/M/ItemProcessor/States/B"
        );
        assert_eq!(scopes[2].query_language, QueryLanguage::Jsonata);
        assert_eq!(m.all_states().len(), 4);
    }

    #[test]
    fn nested_states_inherit_the_top_level_query_language() {
        let v = json!({
            "StartAt": "M",
            "States": {
                "M": {"Type": "Map", "QueryLanguage": "JSONata", "End": true,
                      "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}
            }
        });
        let m = StateMachine::build(&v, "");
        let all = m.all_states();
        assert_eq!(all[0].1.query_language, QueryLanguage::Jsonata);
        assert_eq!(all[1].1.query_language, QueryLanguage::JsonPath);
    }

    #[test]
    fn transitions_in_document_order() {
        let v = json!({"Type": "Choice", "Choices": [{"Next": "A"}], "Default": "B"});
        let s = State::build("C", &v, "/States/C".into(), QueryLanguage::JsonPath, 0);
        let t = s.transitions();
        assert_eq!(t.iter().map(|t| t.target).collect::<Vec<_>>(), ["A", "B"]);
        assert_eq!(t[0].pointer, "/States/C/Choices/0/Next");
    }
}
