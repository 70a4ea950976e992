//! Choice rules: the comparison operators of the Amazon States Language and a walk over every
//! rule of a Choice state, nested `And`/`Or`/`Not` rules included.
//!
//! The operator table is the one place that knows which operators exist and what each one
//! compares with: the validator checks operand types against it, the simulator evaluates
//! with it. The walk yields every rule object with its JSON Pointer and whether it is a
//! top-level rule (which carries `Next`) or a nested one (which must not); it never fails, a
//! malformed rule is simply yielded as the value it is.

use serde_json::{Map, Value};

use super::text::{concat, decimal};
use super::{child, QueryLanguage, State, StateMachine, StateType};

/// What the value of a comparison operator must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// A JSON string compared as text (`StringEquals`, `StringLessThan`, …).
    String,
    /// A JSON string holding a pattern with `*` wildcards (`StringMatches`).
    Pattern,
    /// A JSON number (`NumericEquals`, …).
    Number,
    /// A JSON boolean (`BooleanEquals`).
    Boolean,
    /// A JSON string holding an RFC 3339 timestamp (`TimestampEquals`, …).
    Timestamp,
    /// A JSON string holding a reference path to the value to compare with (`…Path` operators).
    Path,
    /// A JSON boolean saying whether the type test must hold (`IsNull`, `IsPresent`, …).
    TypeTest,
}

impl Operand {
    /// "a string", "a number", … for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Operand::String => "a string",
            Operand::Pattern => "a string pattern",
            Operand::Number => "a number",
            Operand::Boolean | Operand::TypeTest => "a boolean",
            Operand::Timestamp => "a timestamp string",
            Operand::Path => "a reference path string",
        }
    }

    /// Whether a JSON value has the type this operand needs (the contents of strings are
    /// checked elsewhere: timestamps by their own rule, paths by the path rules). A value only
    /// the deployment knows has whatever type it needs.
    pub fn accepts(self, value: &Value) -> bool {
        if crate::unknown::is_unknown(value) {
            return true;
        }
        match self {
            Operand::String | Operand::Pattern | Operand::Timestamp | Operand::Path => value.is_string(),
            Operand::Number => value.is_number(),
            Operand::Boolean | Operand::TypeTest => value.is_boolean(),
        }
    }
}

/// A data-test comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator {
    pub name: &'static str,
    pub operand: Operand,
}

const fn op(name: &'static str, operand: Operand) -> Operator {
    Operator { name, operand }
}

/// Every data-test comparison operator of a JSONPath choice rule.
pub const OPERATORS: &[Operator] = &[
    op("StringEquals", Operand::String),
    op("StringEqualsPath", Operand::Path),
    op("StringLessThan", Operand::String),
    op("StringLessThanPath", Operand::Path),
    op("StringGreaterThan", Operand::String),
    op("StringGreaterThanPath", Operand::Path),
    op("StringLessThanEquals", Operand::String),
    op("StringLessThanEqualsPath", Operand::Path),
    op("StringGreaterThanEquals", Operand::String),
    op("StringGreaterThanEqualsPath", Operand::Path),
    op("StringMatches", Operand::Pattern),
    op("NumericEquals", Operand::Number),
    op("NumericEqualsPath", Operand::Path),
    op("NumericLessThan", Operand::Number),
    op("NumericLessThanPath", Operand::Path),
    op("NumericGreaterThan", Operand::Number),
    op("NumericGreaterThanPath", Operand::Path),
    op("NumericLessThanEquals", Operand::Number),
    op("NumericLessThanEqualsPath", Operand::Path),
    op("NumericGreaterThanEquals", Operand::Number),
    op("NumericGreaterThanEqualsPath", Operand::Path),
    op("BooleanEquals", Operand::Boolean),
    op("BooleanEqualsPath", Operand::Path),
    op("TimestampEquals", Operand::Timestamp),
    op("TimestampEqualsPath", Operand::Path),
    op("TimestampLessThan", Operand::Timestamp),
    op("TimestampLessThanPath", Operand::Path),
    op("TimestampGreaterThan", Operand::Timestamp),
    op("TimestampGreaterThanPath", Operand::Path),
    op("TimestampLessThanEquals", Operand::Timestamp),
    op("TimestampLessThanEqualsPath", Operand::Path),
    op("TimestampGreaterThanEquals", Operand::Timestamp),
    op("TimestampGreaterThanEqualsPath", Operand::Path),
    op("IsNull", Operand::TypeTest),
    op("IsPresent", Operand::TypeTest),
    op("IsNumeric", Operand::TypeTest),
    op("IsString", Operand::TypeTest),
    op("IsBoolean", Operand::TypeTest),
    op("IsTimestamp", Operand::TypeTest),
];

/// What a comparison operator tests, from its name: the family and relation of a comparison
/// (`NumericLessThanEqualsPath` compares numbers with `<=` against a value read by path),
/// `StringMatches`, or a type test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Compare(Family, Relation),
    Matches,
    Type(TypeTest),
}

/// The type of values a comparison compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    String,
    Numeric,
    Boolean,
    Timestamp,
}

/// How a comparison compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    Equals,
    LessThan,
    GreaterThan,
    LessThanEquals,
    GreaterThanEquals,
}

impl Relation {
    /// Whether an ordering of the value against the operand satisfies the relation.
    pub fn holds(self, ordering: std::cmp::Ordering) -> bool {
        use std::cmp::Ordering::*;
        match self {
            Relation::Equals => ordering == Equal,
            Relation::LessThan => ordering == Less,
            Relation::GreaterThan => ordering == Greater,
            Relation::LessThanEquals => ordering != Greater,
            Relation::GreaterThanEquals => ordering != Less,
        }
    }
}

/// The type tests (`IsNull: true`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeTest {
    Null,
    Present,
    Numeric,
    String,
    Boolean,
    Timestamp,
}

impl Operator {
    /// Whether the operand is a path to the value to compare with (`…Path` operators).
    pub fn reads_path(&self) -> bool {
        self.operand == Operand::Path
    }

    /// What the operator tests.
    pub fn kind(&self) -> Kind {
        let base = if self.reads_path() {
            self.name.strip_suffix("Path").unwrap_or(self.name)
        } else {
            self.name
        };
        let types = [
            ("IsNull", TypeTest::Null),
            ("IsPresent", TypeTest::Present),
            ("IsNumeric", TypeTest::Numeric),
            ("IsString", TypeTest::String),
            ("IsBoolean", TypeTest::Boolean),
            ("IsTimestamp", TypeTest::Timestamp),
        ];
        if let Some((_, t)) = types.iter().find(|(n, _)| *n == base) {
            return Kind::Type(*t);
        }
        if base == "StringMatches" {
            return Kind::Matches;
        }
        let families = [
            ("String", Family::String),
            ("Numeric", Family::Numeric),
            ("Boolean", Family::Boolean),
            ("Timestamp", Family::Timestamp),
        ];
        let (family, rest) = families
            .iter()
            .find_map(|(n, f)| base.strip_prefix(n).map(|rest| (*f, rest)))
            .unwrap_or((Family::Boolean, "Equals"));
        let relation = match rest {
            "LessThan" => Relation::LessThan,
            "GreaterThan" => Relation::GreaterThan,
            "LessThanEquals" => Relation::LessThanEquals,
            "GreaterThanEquals" => Relation::GreaterThanEquals,
            _ => Relation::Equals,
        };
        Kind::Compare(family, relation)
    }
}

/// The Boolean operators, which combine other rules instead of testing data.
pub const BOOLEAN_OPERATORS: [&str; 3] = ["And", "Or", "Not"];

/// Looks a data-test operator up by name (case-sensitive, as AWS reads it).
pub fn operator(name: &str) -> Option<&'static Operator> {
    OPERATORS.iter().find(|o| o.name == name)
}

/// Fields a JSONPath choice rule may have besides its data-test operator: `Variable`, the
/// Boolean operators, `Comment` and, at the top level only, `Next` and `Assign`.
pub const JSONPATH_RULE_FIELDS: [&str; 7] = ["Variable", "And", "Or", "Not", "Next", "Comment", "Assign"];

/// Fields of a JSONata choice rule. `Output` is accepted although the AWS guide lists only
/// `Condition`, `Next`, `Assign` and `Comment`, because a false alarm costs more than a miss.
pub const JSONATA_RULE_FIELDS: [&str; 5] = ["Condition", "Next", "Comment", "Assign", "Output"];

/// Whether a key belongs to JSONPath choice rules only: `Variable`, a comparison operator, or
/// one of `And`/`Or`/`Not`.
pub fn is_jsonpath_rule_key(key: &str) -> bool {
    key == "Variable" || operator(key).is_some() || BOOLEAN_OPERATORS.contains(&key)
}

/// Fields that only a top-level rule may have.
pub const TOP_LEVEL_ONLY_FIELDS: [&str; 3] = ["Next", "Assign", "Output"];

/// One choice rule found in a Choice state.
#[derive(Debug, Clone)]
pub struct ChoiceRule<'a> {
    /// Pointer of the rule value (`…/Choices/0`, `…/Choices/0/And/1`, `…/Choices/2/Not`).
    pub pointer: String,
    /// The rule's place for messages: `Choices[0]`, `Choices[1].And[0]`, `Choices[2].Not`.
    pub label: String,
    pub value: &'a Value,
    /// `true` for an element of `Choices`, `false` inside `And`/`Or`/`Not`.
    pub top_level: bool,
    /// The query language of the Choice state.
    pub query_language: QueryLanguage,
}

impl<'a> ChoiceRule<'a> {
    pub fn object(&self) -> Option<&'a Map<String, Value>> {
        self.value.as_object()
    }

    pub fn field_pointer(&self, field: &str) -> String {
        child(&self.pointer, field)
    }

    /// A field of the rule (`None` also when the rule is not an object).
    pub fn get(&self, field: &str) -> Option<&'a Value> {
        super::get_member(self.value, field)
    }

    /// The rule's members (none when it is not an object).
    pub fn members(&self) -> impl Iterator<Item = (&'a String, &'a Value)> {
        self.object().into_iter().flatten()
    }
}

/// The fields of one top-level choice rule besides its test: where it goes and what it
/// assigns and outputs when it holds, and a JSONata rule's `Condition`.
#[derive(Debug, Clone, Copy)]
pub struct RuleFields<'a> {
    value: &'a Value,
}

impl<'a> RuleFields<'a> {
    pub fn of(value: &'a Value) -> RuleFields<'a> {
        RuleFields { value }
    }

    /// `Next`, when it is a string.
    pub fn next(&self) -> Option<&'a str> {
        super::get_member(self.value, "Next").and_then(Value::as_str)
    }

    /// `Assign`.
    pub fn assign(&self) -> Option<&'a Value> {
        super::get_member(self.value, "Assign")
    }

    /// `Output` (JSONata).
    pub fn output(&self) -> Option<&'a Value> {
        super::get_member(self.value, "Output")
    }

    /// A JSONata rule's `Condition`.
    pub fn condition(&self) -> Option<&'a Value> {
        super::get_member(self.value, "Condition")
    }
}

/// A JSONPath choice rule's test, read once into a tree: what the simulator evaluates and the
/// diagrams print.
#[derive(Debug, Clone, PartialEq)]
pub enum Test<'a> {
    /// `And`: every rule holds.
    And(Vec<Test<'a>>),
    /// `Or`: some rule holds.
    Or(Vec<Test<'a>>),
    /// `Not`: the rule does not hold.
    Not(Box<Test<'a>>),
    /// A comparison of the value at `Variable` with the operand.
    Compare(Comparison<'a>),
    /// Not an object, or an object without a comparison operator: never holds.
    Malformed,
}

/// A data-test comparison: `{"Variable": "$.n", "NumericGreaterThan": 0}`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison<'a> {
    /// `Variable` (`None` when absent or not a string).
    pub variable: Option<&'a str>,
    pub operator: &'static Operator,
    /// The operator's value: a literal, a path (`…Path` operators) or a boolean (type tests).
    pub operand: &'a Value,
}

impl<'a> Test<'a> {
    /// Reads a rule the way Step Functions does: `And` (an array), else `Or` (an array), else
    /// `Not`, else the first comparison operator in document order.
    pub fn of(rule: &'a Value) -> Test<'a> {
        let Some(object) = rule.as_object() else {
            return Test::Malformed;
        };
        let all = |items: &'a Vec<Value>| items.iter().map(Test::of).collect();
        if let Some(items) = super::get_field(object, "And").and_then(Value::as_array) {
            return Test::And(all(items));
        }
        if let Some(items) = super::get_field(object, "Or").and_then(Value::as_array) {
            return Test::Or(all(items));
        }
        if let Some(inner) = super::get_field(object, "Not") {
            return Test::Not(Box::new(Test::of(inner)));
        }
        let Some((operator, operand)) = object.iter().find_map(|(k, v)| operator(k).map(|o| (o, v))) else {
            return Test::Malformed;
        };
        Test::Compare(Comparison {
            variable: super::get_field(object, "Variable").and_then(Value::as_str),
            operator,
            operand,
        })
    }
}

/// Every rule of every Choice state of the machine, nested scopes included.
pub fn all_rules<'m, 'a>(machine: &'m StateMachine<'a>) -> Vec<&'m ChoiceRule<'a>> {
    machine
        .all_states()
        .into_iter()
        .flat_map(|(_, state)| state.choice_rules())
        .collect()
}

/// Every rule of a Choice state, parents before their nested rules, in document order. Empty
/// for other state types or when `Choices` is not an array.
pub fn rules<'a>(state: &State<'a>) -> Vec<ChoiceRule<'a>> {
    let mut out = Vec::new();
    if state.kind != Some(StateType::Choice) {
        return out;
    }
    let Some(choices) = state.get("Choices").and_then(Value::as_array) else {
        return out;
    };
    let base = state.field_pointer("Choices");
    for (i, value) in choices.iter().enumerate() {
        collect(
            value,
            child(&base, decimal(i, &mut [0; 20])),
            concat(&["Choices[", decimal(i, &mut [0; 20]), "]"]),
            true,
            state.query_language,
            &mut out,
        );
    }
    out
}

fn collect<'a>(
    value: &'a Value,
    pointer: String,
    label: String,
    top_level: bool,
    query_language: QueryLanguage,
    out: &mut Vec<ChoiceRule<'a>>,
) {
    out.push(ChoiceRule {
        pointer: pointer.clone(),
        label: label.clone(),
        value,
        top_level,
        query_language,
    });
    // JSONata rules have no nested rules: `And`/`Or`/`Not` there are unknown fields.
    if query_language == QueryLanguage::Jsonata {
        return;
    }
    let Some(object) = value.as_object() else {
        return;
    };
    for field in ["And", "Or"] {
        if let Some(items) = super::get_field(object, field).and_then(Value::as_array) {
            let p = child(&pointer, field);
            for (i, item) in items.iter().enumerate() {
                collect(
                    item,
                    child(&p, decimal(i, &mut [0; 20])),
                    concat(&[&label, ".", field, "[", decimal(i, &mut [0; 20]), "]"]),
                    false,
                    query_language,
                    out,
                );
            }
        }
    }
    if let Some(inner) = super::get_field(object, "Not").filter(|v| v.is_object()) {
        collect(
            inner,
            child(&pointer, "Not"),
            concat(&[&label, ".Not"]),
            false,
            query_language,
            out,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StateMachine;
    use serde_json::json;

    #[test]
    fn walks_nested_rules_with_pointers() {
        let v = json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
            {"And": [{"Variable": "$.a", "IsNull": true}, {"Not": {"Variable": "$.b", "IsPresent": true}}], "Next": "C"}
        ]}}});
        let m = StateMachine::build(&v, "");
        let rules = rules(&m.states[0]);
        let pointers: Vec<_> = rules.iter().map(|r| (r.pointer.as_str(), r.top_level)).collect();
        assert_eq!(
            pointers,
            [
                ("/States/C/Choices/0", true),
                ("/States/C/Choices/0/And/0", false),
                ("/States/C/Choices/0/And/1", false),
                ("/States/C/Choices/0/And/1/Not", false),
            ]
        );
    }

    #[test]
    fn operand_types() {
        assert!(operator("NumericEquals").is_some_and(|o| o.operand.accepts(&json!(1.5))));
        assert!(operator("IsNull").is_some_and(|o| !o.operand.accepts(&json!("true"))));
        assert!(operator("StringEqualsPath").is_some_and(|o| o.operand == Operand::Path));
        assert!(operator("StringMatchesPath").is_none());
    }
}
