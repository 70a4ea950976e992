//! What several rules need to know about one machine, worked out once.
//!
//! Many rules look at the same things: the path fields of every JSONPath state, the members of
//! every payload template, every intrinsic function call with the problems it has. Each used to
//! find and parse them again; [`Facts`] finds them on first use and keeps them for the other
//! rules of the same machine. Nothing here decides what is reported: the rules still do.

use std::cell::OnceCell;

use serde_json::{Map, Value};

use super::expressions::{
    for_each_member, jsonata_expressions, path_fields, payload_templates, IntrinsicUse, ParsedJsonata, PathField,
    PathKind,
};
use super::variables::Variables;
use crate::expr::intrinsics::{check as check_call, Problem};
use crate::expr::jsonata;
use crate::expr::payload::{parse_payload_value, PayloadExpr};
use crate::expr::SyntaxError;
use crate::model::{QueryLanguage, State, StateMachine};

/// A member of a JSONPath payload template (`Parameters`, `ResultSelector`, …, at any depth).
#[derive(Debug, Clone)]
pub struct PayloadMember<'a> {
    /// The object the member is in.
    pub object: &'a Map<String, Value>,
    pub key: &'a str,
    pub value: &'a Value,
    pub pointer: String,
    /// For a `….$` key with a string value: that value parsed as a path or intrinsic call.
    pub parsed: Option<Result<PayloadExpr, SyntaxError>>,
    /// Whether the member is in the state's `Credentials` template.
    pub in_credentials: bool,
}

/// Facts about one machine (all its scopes), each computed on first use.
pub struct Facts<'m, 'a> {
    machine: &'m StateMachine<'a>,
    path_fields: OnceCell<Vec<PathField<'a>>>,
    payload_members: OnceCell<Vec<PayloadMember<'a>>>,
    intrinsics: OnceCell<Vec<(IntrinsicUse<'a>, Vec<Problem>)>>,
    jsonata: OnceCell<Vec<ParsedJsonata<'a>>>,
    variables: OnceCell<Variables<'a>>,
}

impl<'m, 'a> Facts<'m, 'a> {
    pub fn new(machine: &'m StateMachine<'a>) -> Self {
        Facts {
            machine,
            path_fields: OnceCell::new(),
            payload_members: OnceCell::new(),
            intrinsics: OnceCell::new(),
            jsonata: OnceCell::new(),
            variables: OnceCell::new(),
        }
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
        self.path_fields
            .get_or_init(|| self.jsonpath_states().into_iter().flat_map(path_fields).collect())
    }

    /// Every member of every payload template of the JSONPath states, at any depth.
    pub fn payload_members(&self) -> &[PayloadMember<'a>] {
        self.payload_members.get_or_init(|| {
            let mut found = Vec::new();
            for state in self.jsonpath_states() {
                for template in payload_templates(state) {
                    let in_credentials = template.label == "Credentials";
                    for_each_member(template.value, &template.pointer, &mut |object, key, value, pointer| {
                        let parsed = value.as_str().filter(|_| key.ends_with(".$")).map(parse_payload_value);
                        found.push(PayloadMember {
                            object,
                            key,
                            value,
                            pointer: pointer.to_string(),
                            parsed,
                            in_credentials,
                        });
                    });
                }
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
                Some(Ok(PayloadExpr::Intrinsic(call))) => Some(IntrinsicUse {
                    label: m.key.to_string(),
                    pointer: m.pointer.clone(),
                    text: m.value.as_str().unwrap_or_default(),
                    call: call.clone(),
                    in_fail_path: false,
                }),
                _ => None,
            });
            let in_fail_paths = self
                .path_fields()
                .iter()
                .filter(|f| f.kind == PathKind::ReferenceOrStringIntrinsic)
                .filter_map(|f| {
                    let text = f.value.as_str()?;
                    match parse_payload_value(text) {
                        Ok(PayloadExpr::Intrinsic(call)) => Some(IntrinsicUse {
                            label: f.label.clone(),
                            pointer: f.pointer.clone(),
                            text,
                            call,
                            in_fail_path: true,
                        }),
                        _ => None,
                    }
                });
            in_templates
                .chain(in_fail_paths)
                .map(|usage| {
                    let problems = check_call(&usage.call);
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
                        ast: jsonata::parse(expr.body),
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
        self.variables
            .get_or_init(|| Variables::analyze(self.machine, self.jsonata()))
    }

    /// The intrinsic calls that have problems.
    pub fn intrinsic_problems(&self) -> impl Iterator<Item = &(IntrinsicUse<'a>, Vec<Problem>)> {
        self.intrinsic_calls()
            .iter()
            .filter(|(_, problems)| !problems.is_empty())
    }
}
