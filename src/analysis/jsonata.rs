//! Where the JSONata expressions of a state are, from the field catalogue: every `{% … %}`
//! string Step Functions evaluates, and (in the analysis) each parsed once.

use serde_json::Value;

use crate::expr::jsonata::{Ast, JsonataError};
use crate::expr::jsonata_string::{classify, JsonataString};
use crate::model::fields::{self, Kind, Place as FieldPlace};
use crate::model::{QueryLanguage, State};
use crate::pointer::{child, for_each_string};

/// The kind of a top-level field of a state when Step Functions evaluates its `{% … %}`
/// strings in a JSONata state.
fn evaluated(key: &str) -> Option<Kind> {
    fields::state_fields()
        .iter()
        .find(|f| f.name == key)
        .map(|f| f.kind)
        .filter(|kind| kind.evaluated_in_jsonata())
}

/// Whether a field of a Choice rule or of a catcher is evaluated in JSONata.
fn evaluated_in_rule(key: &str) -> bool {
    fields::at(FieldPlace::ChoiceRule)
        .chain(fields::at(FieldPlace::Catcher))
        .any(|f| f.name == key && f.kind.evaluated_in_jsonata())
}

/// Where in its state a JSONata expression is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In a field of the state itself.
    State,
    /// In `Catch[i]`.
    Catcher(usize),
    /// In `Choices[i]`.
    ChoiceRule(usize),
}

/// A `{% … %}` string of a JSONata state, where Step Functions evaluates it.
#[derive(Debug, Clone)]
pub struct JsonataExpr<'a> {
    /// The field of the state, catcher or Choice rule it is in: `Output`, `Assign`,
    /// `Arguments`, `Condition`, `ItemReader`, ….
    pub field: &'a str,
    pub place: Place,
    /// Pointer of the string.
    pub pointer: String,
    /// The text between `{%` and `%}`, untrimmed.
    pub body: &'a str,
}

/// Every `{% … %}` string of a JSONata state that Step Functions evaluates, at any depth inside
/// `Arguments`, `Output`, `Assign`, `Items`, `ItemSelector`, `ItemReader`, `ItemBatcher`,
/// `ResultWriter`, `Credentials`, the numbers and timestamps that take an expression, `Error`,
/// `Cause`, and the `Condition`, `Output` and `Assign` of Choice rules and catchers. Empty for
/// a JSONPath state.
pub fn jsonata_expressions<'a>(state: &State<'a>) -> Vec<JsonataExpr<'a>> {
    let mut out = Vec::new();
    let Some(object) = state.object.filter(|_| state.query_language == QueryLanguage::Jsonata) else {
        return out;
    };
    let mut add = |field: &'a str, value: &'a Value, pointer: &str, place: Place| {
        for_each_string(value, pointer, &mut |text, pointer| {
            if let JsonataString::Expression { body } = classify(text) {
                out.push(JsonataExpr {
                    field,
                    place,
                    pointer: pointer.to_string(),
                    body,
                });
            }
        });
    };
    for (key, value) in object {
        let pointer = state.field_pointer(key);
        let field = key.as_str();
        match evaluated(field) {
            // `ItemReader`, `ItemBatcher`, `ResultWriter`: their `Resource` is an ARN, never a
            // template.
            Some(Kind::Config) => {
                for (k, v) in value.as_object().into_iter().flatten() {
                    if k != "Resource" {
                        add(field, v, &child(&pointer, k), Place::State);
                    }
                }
            }
            Some(_) => add(field, value, &pointer, Place::State),
            None if field == "Choices" || field == "Catch" => {
                for (i, rule) in value.as_array().into_iter().flatten().enumerate() {
                    let rule_pointer = child(&pointer, &i.to_string());
                    let place = if field == "Catch" {
                        Place::Catcher(i)
                    } else {
                        Place::ChoiceRule(i)
                    };
                    for (k, v) in rule.as_object().into_iter().flatten() {
                        if evaluated_in_rule(k) {
                            add(k.as_str(), v, &child(&rule_pointer, k), place);
                        }
                    }
                }
            }
            None => {}
        }
    }
    out
}

/// A `{% … %}` expression of a JSONata state, parsed.
#[derive(Debug, Clone)]
pub struct ParsedJsonata<'a> {
    /// Pointer of the state it belongs to.
    pub state: String,
    pub expr: JsonataExpr<'a>,
    pub ast: Result<Ast, JsonataError>,
}
