//! Per-machine facts, computed once and shared by the checks and the renderer: the scope graph
//! of every scope (transitions, reachability, loops), and the expressions of the JSONPath states
//! (path fields, payload template members parsed as paths or intrinsic calls, intrinsic calls
//! with their problems).
//!
//! Many rules, and the diagrams, ask the same questions of a machine. Each used to build its own
//! scope graph and parse the same expressions again; an [`Analysis`] answers each question on
//! first use and keeps the answer for whoever asks next. Nothing here decides what is reported:
//! the rules still do.

pub mod jsonata;
pub mod variables;

use std::borrow::Cow;
use std::cell::OnceCell;
use std::rc::Rc;

use serde_json::{Map, Value};

use crate::expr::intrinsics::{check as check_call, Call, Problem};
use crate::expr::jsonata as jsonata_engine;
use crate::expr::payload::{self, PayloadExpr};
use crate::expr::{jsonpath, SyntaxError};
use crate::graph::{Loop, ScopeGraph};
use crate::model::fields::{for_each_payload_template, path_fields_into, PathField, PathKind};
use crate::model::{QueryLanguage, State, StateMachine};
use crate::pointer::{for_each_member_value, member_pointer_in};
use jsonata::{jsonata_expressions, ParsedJsonata};
use variables::Variables;

/// Where a member of a payload template is: its state's object and pointer, and the member's
/// value. Its JSON Pointer is worked out only when asked ([`MemberAt::pointer`]), that is when a
/// finding is reported: the templates hold most members of a definition, and a clean
/// definition reports none of them (nor are the templates' own pointers made).
#[derive(Debug, Clone)]
pub struct MemberAt<'a> {
    state: &'a Map<String, Value>,
    state_pointer: Rc<str>,
    value: &'a Value,
}

impl MemberAt<'_> {
    /// The member's JSON Pointer.
    pub fn pointer(&self) -> String {
        member_pointer_in(self.state, &self.state_pointer, self.value).unwrap_or_else(|| self.state_pointer.to_string())
    }
}

/// Where an intrinsic call is written: a member of a payload template, or a field.
#[derive(Debug, Clone)]
enum CallAt<'a> {
    Member(MemberAt<'a>),
    Field(String),
}

/// An intrinsic call written in a JSONPath state: in a `….$` value or in `ErrorPath`/`CausePath`.
#[derive(Debug, Clone)]
pub struct IntrinsicUse<'a> {
    /// The key or field it is written in: `message.$`, `CausePath`.
    pub label: Cow<'a, str>,
    at: CallAt<'a>,
    pub text: &'a str,
    /// The parse of `text`, shared with the member or field it came from (always an
    /// [`PayloadExpr::Intrinsic`]: see [`Self::call`]).
    parsed: Rc<PayloadExpr>,
    /// True for `ErrorPath` and `CausePath`, which need a string.
    pub in_fail_path: bool,
}

impl IntrinsicUse<'_> {
    /// The call.
    pub fn call(&self) -> &Call {
        match &*self.parsed {
            PayloadExpr::Intrinsic(call) => call,
            PayloadExpr::Path(_) => unreachable!("an IntrinsicUse is made of intrinsic calls only"),
        }
    }

    /// The JSON Pointer of the string the call is written in.
    pub fn pointer(&self) -> String {
        match &self.at {
            CallAt::Member(at) => at.pointer(),
            CallAt::Field(pointer) => pointer.clone(),
        }
    }
}

/// A `….$` value or a path field's string as parsed, shared ([`payload::parsed`]); `None` for a
/// value that is not a string.
pub type Parsed = Option<Result<Rc<PayloadExpr>, Box<SyntaxError>>>;

/// A member of a JSONPath payload template (`Parameters`, `ResultSelector`, …, at any depth).
#[derive(Debug, Clone)]
pub struct PayloadMember<'a> {
    /// The object the member is in.
    pub object: &'a Map<String, Value>,
    pub key: &'a str,
    pub value: &'a Value,
    /// The state's object and pointer (the member's [`MemberAt`] with `value`).
    state: &'a Map<String, Value>,
    state_pointer: Rc<str>,
    /// For a `….$` key with a string value: that value parsed as a path or intrinsic call
    /// ([`payload::parsed`]: a text written many times is parsed once, and its parse shared).
    pub parsed: Parsed,
    /// Whether the member is in the state's `Credentials` template.
    pub in_credentials: bool,
}

impl<'a> PayloadMember<'a> {
    /// Where the member is.
    fn at(&self) -> MemberAt<'a> {
        MemberAt {
            state: self.state,
            state_pointer: Rc::clone(&self.state_pointer),
            value: self.value,
        }
    }

    /// The member's JSON Pointer (worked out on each call: for findings).
    pub fn pointer(&self) -> String {
        self.at().pointer()
    }
}

/// Facts about one machine (all its scopes), each computed on first use.
pub struct Analysis<'m, 'a> {
    machine: &'m StateMachine<'a>,
    /// Every scope, parents before children (`machine.scopes()`).
    scopes: Vec<&'m StateMachine<'a>>,
    /// Per scope (same order): its graph, reachability from `StartAt`, and the loops an execution
    /// can enter.
    graphs: OnceCell<Vec<ScopeGraph<'a>>>,
    reachable: OnceCell<Vec<Vec<bool>>>,
    loops: OnceCell<Vec<Vec<Loop>>>,
    path_fields: OnceCell<Vec<PathField<'a>>>,
    parsed_path_fields: OnceCell<Vec<Parsed>>,
    payload_members: OnceCell<Vec<PayloadMember<'a>>>,
    intrinsics: OnceCell<Vec<(IntrinsicUse<'a>, Vec<Problem>)>>,
    jsonata: OnceCell<Vec<ParsedJsonata<'a>>>,
    variables: OnceCell<Variables<'a>>,
}

/// One scope of the machine with its graph, and the facts about it computed on first use.
pub struct ScopeFacts<'s, 'm, 'a> {
    pub scope: &'m StateMachine<'a>,
    pub graph: &'s ScopeGraph<'a>,
    index: usize,
    analysis: &'s Analysis<'m, 'a>,
}

impl<'s> ScopeFacts<'s, '_, '_> {
    /// For each state of the scope (by index), whether a walk from `StartAt` reaches it.
    pub fn reachable(&self) -> &'s [bool] {
        let all = self
            .analysis
            .reachable
            .get_or_init(|| self.analysis.graphs().iter().map(ScopeGraph::reachable).collect());
        &all[self.index]
    }

    /// The loops of the scope that an execution can enter ([`ScopeGraph::reachable_loops`]).
    pub fn loops(&self) -> &'s [Loop] {
        let all = self
            .analysis
            .loops
            .get_or_init(|| self.analysis.graphs().iter().map(ScopeGraph::reachable_loops).collect());
        &all[self.index]
    }
}

impl<'m, 'a> Analysis<'m, 'a> {
    pub fn new(machine: &'m StateMachine<'a>) -> Self {
        Analysis {
            machine,
            scopes: machine.scopes(),
            graphs: OnceCell::new(),
            reachable: OnceCell::new(),
            loops: OnceCell::new(),
            path_fields: OnceCell::new(),
            parsed_path_fields: OnceCell::new(),
            payload_members: OnceCell::new(),
            intrinsics: OnceCell::new(),
            jsonata: OnceCell::new(),
            variables: OnceCell::new(),
        }
    }

    /// The machine analysed.
    pub fn machine(&self) -> &'m StateMachine<'a> {
        self.machine
    }

    fn graphs(&self) -> &[ScopeGraph<'a>] {
        self.graphs
            .get_or_init(|| self.scopes.iter().map(|scope| ScopeGraph::build(scope)).collect())
    }

    /// Every scope with its graph, parents before children (the order of `machine.scopes()`).
    pub fn scopes(&self) -> impl Iterator<Item = ScopeFacts<'_, 'm, 'a>> {
        self.scopes
            .iter()
            .zip(self.graphs())
            .enumerate()
            .map(move |(index, (scope, graph))| ScopeFacts {
                scope,
                graph,
                index,
                analysis: self,
            })
    }

    /// One scope of the machine, found by identity (`None` for a scope of another machine).
    pub fn scope(&self, scope: &StateMachine<'a>) -> Option<ScopeFacts<'_, 'm, 'a>> {
        self.scopes().find(|s| std::ptr::eq(s.scope, scope))
    }

    /// Every state, in any scope, whose query language is JSONPath. (Not kept: a cell holding
    /// references into the model would tie the facts' lifetime to every rule's.)
    pub fn jsonpath_states(&self) -> Vec<&'m State<'a>> {
        self.machine
            .all_states()
            .into_iter()
            .map(|(_, state)| state)
            .filter(|state| state.query_language == QueryLanguage::JsonPath)
            .collect()
    }

    /// The path fields of every JSONPath state ([`path_fields`]), state by state.
    pub fn path_fields(&self) -> &[PathField<'a>] {
        self.path_fields.get_or_init(|| {
            let mut out = Vec::new();
            for state in self.jsonpath_states() {
                path_fields_into(state, &mut out);
            }
            out
        })
    }

    /// The string of each path field ([`Self::path_fields`], in the same order) parsed once for
    /// every check that reads it: as a path ([`PayloadExpr::Path`]), or for `ErrorPath` and
    /// `CausePath` as a path or an intrinsic call. `None` for a value that is not a string.
    ///
    /// A text from `$` parses the same either way, so it goes through [`payload::parsed`], which
    /// parses a text written many times (`$`, `$.Payload`) once per thread.
    pub fn parsed_path_fields(&self) -> &[Parsed] {
        self.parsed_path_fields.get_or_init(|| {
            self.path_fields()
                .iter()
                .map(|field| {
                    let text = field.value.as_str()?;
                    Some(
                        match field.kind {
                            _ if text.starts_with('$') => payload::parsed(text),
                            PathKind::Path | PathKind::Reference(_) => {
                                jsonpath::parse(text).map(|path| Rc::new(PayloadExpr::Path(path)))
                            }
                            PathKind::ReferenceOrStringIntrinsic => payload::parse_payload_value(text).map(Rc::new),
                        }
                        .map_err(Box::new),
                    )
                })
                .collect()
        })
    }

    /// Every member of every payload template of the JSONPath states, at any depth.
    pub fn payload_members(&self) -> &[PayloadMember<'a>] {
        self.payload_members.get_or_init(|| {
            // One walk: the states' templates are visited in place, and the list grows as it
            // is filled (counting the members first cost a second walk).
            let states = self.jsonpath_states();
            // Room for a few members a state, the usual count, so that the list of these large
            // records is seldom moved as it grows.
            let mut found = Vec::with_capacity(states.len() * 8);
            for state in states {
                let Some(object) = state.object else {
                    continue;
                };
                let mut state_pointer: Option<Rc<str>> = None;
                for_each_payload_template(state, &mut |in_credentials, template| {
                    let state_pointer = state_pointer.get_or_insert_with(|| state.pointer.as_str().into());
                    for_each_member_value(template, &mut |in_object, key, value| {
                        let parsed = value
                            .as_str()
                            .filter(|_| key.ends_with(".$"))
                            .map(|text| payload::parsed(text).map_err(Box::new));
                        found.push(PayloadMember {
                            object: in_object,
                            key,
                            value,
                            state: object,
                            state_pointer: state_pointer.clone(),
                            parsed,
                            in_credentials,
                        });
                    });
                });
            }
            found
        })
    }

    /// Every well-formed intrinsic call of the JSONPath states, with the problems
    /// `intrinsics::check` finds in it (often none): those of the payload templates, then those
    /// of Fail states' `ErrorPath` and `CausePath`.
    pub fn intrinsic_calls(&self) -> &[(IntrinsicUse<'a>, Vec<Problem>)] {
        self.intrinsics.get_or_init(|| {
            let in_templates = self.payload_members().iter().filter_map(|m| match &m.parsed {
                Some(Ok(parsed)) if matches!(**parsed, PayloadExpr::Intrinsic(_)) => Some(IntrinsicUse {
                    label: Cow::Borrowed(m.key),
                    at: CallAt::Member(m.at()),
                    text: m.value.as_str().unwrap_or_default(),
                    parsed: Rc::clone(parsed),
                    in_fail_path: false,
                }),
                _ => None,
            });
            let in_fail_paths = self
                .path_fields()
                .iter()
                .zip(self.parsed_path_fields())
                .filter(|(f, _)| f.kind == PathKind::ReferenceOrStringIntrinsic)
                .filter_map(|(f, parsed)| {
                    let text = f.value.as_str()?;
                    match parsed {
                        Some(Ok(parsed)) if matches!(**parsed, PayloadExpr::Intrinsic(_)) => Some(IntrinsicUse {
                            label: f.label(),
                            at: CallAt::Field(f.pointer()),
                            text,
                            parsed: Rc::clone(parsed),
                            in_fail_path: true,
                        }),
                        _ => None,
                    }
                });
            in_templates
                .chain(in_fail_paths)
                .map(|usage| {
                    let problems = check_call(usage.call());
                    (usage, problems)
                })
                .collect()
        })
    }

    /// Every `{% … %}` expression of every JSONata state ([`jsonata_expressions`]), parsed once.
    pub fn jsonata(&self) -> &[ParsedJsonata<'a>] {
        self.jsonata.get_or_init(|| {
            self.machine
                .all_states()
                .into_iter()
                .flat_map(|(_, state)| {
                    jsonata_expressions(state).into_iter().map(|expr| ParsedJsonata {
                        state: state.pointer.clone(),
                        ast: jsonata_engine::parse(expr.body),
                        expr,
                    })
                })
                .collect()
        })
    }

    /// The parsed expressions of the state at `state_pointer`.
    pub fn jsonata_of<'s>(&'s self, state_pointer: &'s str) -> impl Iterator<Item = &'s ParsedJsonata<'a>> + 's {
        self.jsonata().iter().filter(move |p| p.state == state_pointer)
    }

    /// Where workflow variables are assigned and read, and which may be assigned before each
    /// state ([`Variables`]).
    pub fn variables(&self) -> &Variables<'a> {
        self.variables.get_or_init(|| Variables::analyze(self))
    }

    /// The intrinsic calls that have problems.
    pub fn intrinsic_problems(&self) -> impl Iterator<Item = &(IntrinsicUse<'a>, Vec<Problem>)> {
        self.intrinsic_calls()
            .iter()
            .filter(|(_, problems)| !problems.is_empty())
    }
}
