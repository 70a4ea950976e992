//! JSON Schema validation of a definition against `schemas/asl.schema.json`, and the translation
//! of its errors into diagnostics.
//!
//! The schema is the single description of which fields each object allows, their types, ranges
//! and enumerations, and which fields exclude each other. It is compiled once per process. Every
//! validation error becomes at most one diagnostic (codes ASL010–ASL015, AWS code
//! `SCHEMA_VALIDATION_FAILED`) on the smallest node: the key of an unknown field, the value of a
//! wrong one, the key of an object that misses a field. Messages are built from the schema
//! itself — allowed fields from `properties`, notes from `description`s, alternatives from
//! `oneOf` lists — following the conventions stated in the schema's top-level `$comment`, so a
//! new field in the schema needs no change here. Errors that are only consequences of another
//! one (a missing `Next` when `Nxt` was reported as a misspelling, a range error on a value of
//! the wrong type) are dropped, so one problem gives one diagnostic.

use std::collections::HashSet;
use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use super::registry::RuleMeta;
use super::rules::{
    conflicting_fields::ConflictingFields, invalid_type::InvalidType, invalid_value::InvalidValue,
    missing_required_field::MissingRequiredField, unknown_field::UnknownField, value_out_of_range::ValueOutOfRange,
};
use super::suggest;
use crate::diagnostic::{Diagnostic, Location};
use crate::pointer::{child, is_same_or_under, lookup, tokens};

const SCHEMA_TEXT: &str = include_str!("../../schemas/asl.schema.json");

/// The `pattern` that marks a string accepted in place of a number or an array: a whole JSONata
/// expression. Must equal the pattern written in the schema (a test checks it).
const JSONATA_PATTERN: &str = r"^\{%[\s\S]*%\}$";

const AWS_CODE: &str = "SCHEMA_VALIDATION_FAILED";

struct Compiled {
    schema: Value,
    validator: Validator,
}

/// The parsed schema and its validator, built on first use.
fn compiled() -> Option<&'static Compiled> {
    static COMPILED: OnceLock<Option<Compiled>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            // The schema is part of the binary; a unit test proves it parses and compiles.
            let schema: Value = serde_json::from_str(SCHEMA_TEXT).ok()?;
            let validator = jsonschema::draft202012::new(&schema).ok()?;
            Some(Compiled { schema, validator })
        })
        .as_ref()
}

/// Validates the machine at `pointer` and appends translated findings to `out`. A definition
/// nested in a template (a non-empty pointer) may hold CloudFormation intrinsic functions.
pub fn check(machine: &Value, pointer: &str, out: &mut Vec<Diagnostic>) {
    check_with(machine, pointer, !pointer.is_empty(), out);
}

/// [`check`], saying whether the definition belongs to a template (and so may hold
/// CloudFormation intrinsic functions, or stand-ins for values filled in before deployment)
/// even at pointer `""`, as a file named by a template's `DefinitionUri` does.
pub fn check_with(machine: &Value, pointer: &str, in_template: bool, out: &mut Vec<Diagnostic>) {
    let Some(compiled) = compiled() else {
        return;
    };
    // Most definitions are valid: answering yes or no is far cheaper than collecting errors
    // (which also builds the errors of every failed `oneOf`/`anyOf` alternative).
    if compiled.validator.is_valid(machine) {
        return;
    }
    let errors: Vec<Raw> = compiled
        .validator
        .iter_errors(machine)
        .map(|e| Raw::from_error(&e))
        .collect();
    if errors.is_empty() {
        return;
    }
    let translator = Translator {
        schema: &compiled.schema,
        machine,
        base: pointer,
        // CloudFormation resolves intrinsic functions before Step Functions validates anything.
        in_template,
    };
    out.extend(translator.translate(errors));
}

/// What went wrong, reduced to what the messages need.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// Fields not allowed in the object.
    Unknown(Vec<String>),
    Required(String),
    /// Expected JSON types, e.g. `["integer", "string"]`.
    Type(Vec<&'static str>),
    Enum(Vec<Value>),
    Const(Value),
    Pattern(String),
    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`.
    Bound,
    /// `minItems`, `maxItems`, `minLength`, `maxLength` and their limit.
    Count(&'static str, u64),
    /// An object where only a CloudFormation intrinsic function may be.
    NotIntrinsic,
    /// `not: {required: [a, b, …]}`: the fields exclude each other.
    Excludes(Vec<String>),
    /// `oneOf` of `{required: [field]}`: none (`false`) or several (`true`) are present.
    OneOf(bool),
    /// `anyOf` of `{required: [field]}`: none is present.
    AnyOf,
    /// Anything the schema's conventions do not produce; reported plainly.
    Other(String),
}

/// One validation error, owned.
#[derive(Debug, Clone)]
struct Raw {
    /// Escaped JSON Pointer relative to the machine.
    path: String,
    /// Canonical location of the failing keyword in the schema (`/$defs/PassState/additionalProperties`).
    schema_path: String,
    kind: Kind,
}

impl Raw {
    fn from_error(e: &ValidationError<'_>) -> Raw {
        use ValidationErrorKind as K;
        let kind = match e.kind() {
            K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
                Kind::Unknown(unexpected.clone())
            }
            K::Required { property } => Kind::Required(property.as_str().unwrap_or_default().to_string()),
            K::Type { kind } => Kind::Type(match kind {
                TypeKind::Single(t) => vec![t.as_str()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect(),
            }),
            K::Enum { options } => Kind::Enum(options.as_array().cloned().unwrap_or_default()),
            K::Constant { expected_value } => Kind::Const(Value::clone(expected_value)),
            K::Pattern { pattern } => Kind::Pattern(pattern.clone()),
            K::Minimum { .. } | K::Maximum { .. } | K::ExclusiveMinimum { .. } | K::ExclusiveMaximum { .. } => {
                Kind::Bound
            }
            K::MinItems { limit } => Kind::Count("minItems", *limit),
            K::MaxItems { limit } => Kind::Count("maxItems", *limit),
            K::MinLength { limit } => Kind::Count("minLength", *limit),
            K::MaxLength { limit } => Kind::Count("maxLength", *limit),
            K::PropertyNames { .. } | K::MinProperties { .. } | K::MaxProperties { .. } => Kind::NotIntrinsic,
            K::Not { schema } => match required_list(schema) {
                Some(fields) => Kind::Excludes(fields),
                None => Kind::Other("not".to_string()),
            },
            K::OneOfNotValid { .. } => Kind::OneOf(false),
            K::OneOfMultipleValid { .. } => Kind::OneOf(true),
            K::AnyOf { .. } => Kind::AnyOf,
            other => Kind::Other(other.keyword().to_string()),
        };
        Raw {
            path: e.instance_path().as_str().to_string(),
            schema_path: e.schema_path().as_str().to_string(),
            kind,
        }
    }
}

/// The fields of a `{required: [...]}` schema.
fn required_list(schema: &Value) -> Option<Vec<String>> {
    let object = schema.as_object()?;
    if object.len() != 1 {
        return None;
    }
    let fields = object.get("required")?.as_array()?;
    fields.iter().map(|f| f.as_str().map(str::to_string)).collect()
}

/// Turns raw errors on one machine into diagnostics.
struct Translator<'a> {
    schema: &'a Value,
    machine: &'a Value,
    base: &'a str,
    in_template: bool,
}

impl Translator<'_> {
    fn translate(&self, mut errors: Vec<Raw>) -> Vec<Diagnostic> {
        if self.in_template {
            errors.retain(|e| !self.inside_intrinsic(&e.path));
        }
        // A value of the wrong type makes every other complaint about it noise.
        let wrong_type: HashSet<String> = errors
            .iter()
            .filter(|e| matches!(e.kind, Kind::Type(_)))
            .map(|e| e.path.clone())
            .collect();
        errors.retain(|e| matches!(e.kind, Kind::Type(_)) || !wrong_type.iter().any(|p| is_same_or_under(&e.path, p)));

        // Fields that an unknown field probably meant: their absence is the same problem.
        let mut meant: HashSet<(String, String)> = HashSet::new();
        for e in &errors {
            if let Kind::Unknown(keys) = &e.kind {
                let allowed = self.allowed_fields(parent(&e.schema_path));
                for key in keys {
                    if let Some(s) = suggestion(key, &allowed) {
                        meant.insert((e.path.clone(), s.to_string()));
                    }
                }
            }
        }
        // A field whose value fails `const` (`"End": false`) does not count as present.
        let unusable: HashSet<&str> = errors
            .iter()
            .filter(|e| matches!(e.kind, Kind::Const(_)))
            .map(|e| e.path.as_str())
            .collect();

        let mut out = Vec::new();
        let mut required: Vec<(String, String, Vec<String>)> = Vec::new();
        for e in &errors {
            match &e.kind {
                Kind::Unknown(keys) => {
                    for key in keys {
                        out.push(self.unknown_field(e, key));
                    }
                }
                Kind::Required(field) => {
                    if meant.contains(&(e.path.clone(), field.clone())) {
                        continue;
                    }
                    // One diagnostic per object, naming every missing field.
                    match required
                        .iter_mut()
                        .find(|(p, s, _)| *p == e.path && *s == e.schema_path)
                    {
                        Some((_, _, fields)) => fields.push(field.clone()),
                        None => required.push((e.path.clone(), e.schema_path.clone(), vec![field.clone()])),
                    }
                }
                Kind::AnyOf => {
                    let options = self.one_of_options(&e.schema_path);
                    if options.iter().any(|o| meant.contains(&(e.path.clone(), o.clone()))) {
                        continue;
                    }
                    out.push(self.any_of(e, &options));
                }
                Kind::OneOf(several) => {
                    let options = self.one_of_options(&e.schema_path);
                    if !*several && options.iter().any(|o| meant.contains(&(e.path.clone(), o.clone()))) {
                        continue;
                    }
                    // `"End": false` next to `Next` is one problem: the value of `End`.
                    if *several && options.iter().any(|o| unusable.contains(child(&e.path, o).as_str())) {
                        continue;
                    }
                    out.push(self.one_of(e, &options, *several));
                }
                _ => out.push(self.value_error(e)),
            }
        }
        for (path, schema_path, fields) in required {
            out.push(self.missing(&path, &schema_path, &fields));
        }

        let mut seen = HashSet::new();
        out.retain(|d| {
            seen.insert((
                d.code,
                d.location
                    .as_ref()
                    .map(|l| (l.pointer.clone(), format!("{:?}", l.target))),
                d.message.clone(),
            ))
        });
        out
    }

    // ---- the diagnostics -------------------------------------------------------------------

    fn unknown_field(&self, e: &Raw, key: &str) -> Diagnostic {
        let object_schema = parent(&e.schema_path);
        let allowed = self.allowed_fields(object_schema);
        let container = self.describe_object(&e.path);
        let state_type = state_def_type(object_schema);
        let elsewhere = self.state_types_with_field(key);
        let allowed_list = format!(
            "allowed fields: {}",
            allowed.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
        );
        let pointer = self.absolute(&child(&e.path, key));
        let d = if self.is_known_field(key) {
            let label = match state_type {
                Some(own) => format!("not a field of {own} states"),
                None => "not allowed here".to_string(),
            };
            let note = if elsewhere.is_empty() {
                allowed_list
            } else {
                format!(
                    "`{key}` is a field of {} states; {allowed_list}",
                    join_or(&elsewhere, "and")
                )
            };
            Diagnostic::new(
                UnknownField::META.code,
                format!("field `{key}` is not allowed in {container}"),
            )
            .label(label)
            .note(note)
        } else {
            Diagnostic::new(UnknownField::META.code, format!("unknown field `{key}` in {container}"))
                .label("unknown field")
                .maybe_help(suggestion(key, &allowed).map(|s| format!("did you mean \"{s}\"?")))
                .note(allowed_list)
        };
        finish(d.at_key(pointer), &UnknownField::META)
    }

    fn missing(&self, path: &str, schema_path: &str, fields: &[String]) -> Diagnostic {
        let container = self.describe_object(path);
        let object_schema = parent(schema_path);
        let names = fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>();
        let mut d = match self.condition(schema_path) {
            Some(condition) => Diagnostic::new(
                MissingRequiredField::META.code,
                format!("{container} is missing {}, required {condition}", plural_fields(&names)),
            ),
            None => Diagnostic::new(
                MissingRequiredField::META.code,
                format!("{container} is missing required {}", plural_fields(&names)),
            ),
        }
        .label(format!("missing {}", join_or(&names, "and")));
        // `then` schemas hold only `required`; the fields are described on the object schema.
        let described = if schema_path.ends_with("/then/required") {
            parent(object_schema)
        } else {
            object_schema
        };
        if let [field] = fields {
            if let Some(text) = self.field_description(described, field) {
                d = d.note(format!("`{field}`: {text}"));
            }
            if let Some(Value::Object(present)) = lookup(self.machine, path) {
                let near = suggest::closest(field, present.keys().map(String::as_str));
                if let Some(k) = near {
                    d = d.help(if k.eq_ignore_ascii_case(field) {
                        format!("field names are case-sensitive: write `{field}`, not `{k}`")
                    } else {
                        format!("did you mean `{field}` instead of `{k}`?")
                    });
                }
            }
        }
        finish(d.at_key(self.absolute(path)), &MissingRequiredField::META)
    }

    fn one_of(&self, e: &Raw, options: &[String], several: bool) -> Diagnostic {
        let names: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
        let note = self.description(parent(&e.schema_path)).map(str::to_string);
        let present: Vec<&String> = match lookup(self.machine, &e.path) {
            Some(Value::Object(o)) => o.keys().filter(|k| options.contains(k)).collect(),
            _ => Vec::new(),
        };
        let d = if several && present.len() >= 2 {
            self.conflict(&e.path, &present, (options.len() > 2).then_some(&names))
        } else {
            let container = self.describe_object(&e.path);
            let wanted = if names.len() == 2 {
                join_or(&names, "or")
            } else {
                format!("exactly one of {}", join_or(&names, "or"))
            };
            Diagnostic::new(ConflictingFields::META.code, format!("{container} needs {wanted}"))
                .label(format!("no {}", join_or(&names, "or")))
                .at_key(self.absolute(&e.path))
        };
        let d = match note {
            Some(n) => d.note(n),
            None => d,
        };
        finish(d, &ConflictingFields::META)
    }

    /// None of several fields, one of which at least is needed.
    fn any_of(&self, e: &Raw, options: &[String]) -> Diagnostic {
        let names: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
        let container = self.describe_object(&e.path);
        let wanted = if names.len() == 2 {
            join_or(&names, "or")
        } else {
            format!("at least one of {}", join_or(&names, "or"))
        };
        let mut d = Diagnostic::new(MissingRequiredField::META.code, format!("{container} needs {wanted}"))
            .label(format!("no {}", join_or(&names, "or")))
            .at_key(self.absolute(&e.path));
        if let Some(note) = self.description(parent(&e.schema_path)) {
            d = d.note(note);
        }
        finish(d, &MissingRequiredField::META)
    }

    /// Fields present together that exclude each other: points at the second one.
    fn conflict(&self, path: &str, present: &[&String], all: Option<&Vec<String>>) -> Diagnostic {
        let names: Vec<String> = present.iter().map(|f| format!("`{f}`")).collect();
        let message = match all {
            Some(all) => format!(
                "only one of {} may be used, found {}",
                join_or(all, "or"),
                join_or(&names, "and")
            ),
            None => format!("{} cannot be used together", join_or(&names, "and")),
        };
        let (first, rest) = match present.split_first() {
            Some(split) => split,
            None => return Diagnostic::new(ConflictingFields::META.code, message),
        };
        let second = rest.first().map_or(*first, |s| *s);
        let mut d = Diagnostic::new(ConflictingFields::META.code, message)
            .at_key(self.absolute(&child(path, second)))
            .label(format!("conflicts with `{first}`"))
            .help(conflict_help(first, second));
        for other in present.iter().filter(|f| **f != second) {
            d = d.with_label(
                Location::key(self.absolute(&child(path, other))),
                format!("`{other}` is set here"),
            );
        }
        d
    }

    fn value_error(&self, e: &Raw) -> Diagnostic {
        let subject = self.subject(&e.path);
        let node = self.node(parent(&e.schema_path));
        let value = lookup(self.machine, &e.path);
        let shown = value.map(show_value).unwrap_or_default();
        let description = node.and_then(|n| n.get("description")).and_then(Value::as_str);
        let at = self.absolute(&e.path);
        let (meta, d) = match &e.kind {
            Kind::Type(expected) => {
                let jsonata = node_has_jsonata(node);
                let intrinsic = node.is_some_and(|n| n.get("$ref").is_some() && expected.contains(&"object"));
                let wanted: Vec<&str> = expected
                    .iter()
                    .copied()
                    .filter(|t| !(jsonata && *t == "string" || intrinsic && *t == "object"))
                    .collect();
                let wanted = describe_types(&wanted);
                let actual = value.map(describe_value).unwrap_or("missing");
                let mut d = Diagnostic::new(
                    InvalidType::META.code,
                    format!("{subject} must be {wanted}, not {actual}"),
                )
                .label(format!("expected {wanted}"));
                if intrinsic {
                    d = d.help(INTRINSIC_HELP);
                }
                if wanted == "an array" && value.is_some_and(|v| !v.is_object()) {
                    d = d.help(format!("write it as an array: [{shown}]"));
                }
                (&InvalidType::META, d)
            }
            Kind::Pattern(pattern) if pattern == JSONATA_PATTERN => {
                let expected: Vec<&str> = types_of(node).into_iter().filter(|t| *t != "string").collect();
                let wanted = describe_types(&expected);
                // `"10"` for `10`: the number was quoted.
                let unquoted = value
                    .and_then(Value::as_str)
                    .and_then(|s| serde_json::from_str::<Value>(s.trim()).ok())
                    .filter(|v| {
                        v.is_number() && (expected.contains(&"number") || v.as_i64().is_some() || v.as_u64().is_some())
                    });
                let help = match unquoted {
                    Some(number) => format!("write the number without quotes: {number}"),
                    None => JSONATA_HELP.to_string(),
                };
                let d = Diagnostic::new(
                    InvalidType::META.code,
                    format!("{subject} must be {wanted}, not a string"),
                )
                .label(format!("expected {wanted}"))
                .help(help);
                (&InvalidType::META, d)
            }
            Kind::NotIntrinsic => {
                let d = Diagnostic::new(
                    InvalidType::META.code,
                    format!("{subject} must be a string, not an object"),
                )
                .label("not a CloudFormation intrinsic function")
                .help(INTRINSIC_HELP);
                (&InvalidType::META, d)
            }
            Kind::Enum(options) if e.schema_path == "/$defs/StateType/enum" => {
                let names: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
                let d = Diagnostic::new(InvalidValue::META.code, format!("unknown state type {shown}"))
                    .label("not a state type")
                    .maybe_help(
                        value
                            .and_then(Value::as_str)
                            .and_then(|v| suggest::did_you_mean(v, names.iter().copied())),
                    )
                    .note(format!("state types: {}", names.join(", ")));
                return finish(d.at_value(at), &InvalidValue::META);
            }
            Kind::Enum(options) => {
                let names: Vec<String> = options.iter().map(show_value).collect();
                let wanted = if names.len() > 2 {
                    format!("one of {}", names.join(", "))
                } else {
                    join_or(&names, "or")
                };
                let candidates: Vec<&str> = options.iter().filter_map(Value::as_str).collect();
                let d = Diagnostic::new(
                    InvalidValue::META.code,
                    format!("{subject} must be {wanted}, not {shown}"),
                )
                .label("not an allowed value")
                .maybe_help(
                    value
                        .and_then(Value::as_str)
                        .and_then(|v| suggest::did_you_mean(v, candidates.iter().copied())),
                );
                (&InvalidValue::META, d)
            }
            Kind::Const(expected) => {
                let d = Diagnostic::new(
                    InvalidValue::META.code,
                    format!("{subject} must be {}", show_value(expected)),
                )
                .label(format!("expected {}", show_value(expected)));
                (&InvalidValue::META, d)
            }
            Kind::Bound => {
                let min = node.and_then(|n| n.get("minimum"));
                let max = node.and_then(|n| n.get("maximum"));
                let range = match (min, max) {
                    (Some(min), Some(max)) => format!("between {min} and {max}"),
                    (Some(min), None) => format!("at least {min}"),
                    (None, Some(max)) => format!("at most {max}"),
                    (None, None) => "within its allowed range".to_string(),
                };
                let d = Diagnostic::new(
                    ValueOutOfRange::META.code,
                    format!("{subject} must be {range}, not {shown}"),
                )
                .label("out of range");
                (&ValueOutOfRange::META, d)
            }
            Kind::Count(keyword, limit) => {
                let count = match value {
                    Some(Value::Array(a)) => a.len(),
                    Some(Value::String(s)) => s.chars().count(),
                    _ => 0,
                };
                let (message, label) = match (*keyword, *limit) {
                    ("minItems", 1) => (format!("{subject} must not be empty"), "empty".to_string()),
                    ("minItems", n) => (
                        format!("{subject} must have at least {n} entries, not {count}"),
                        "too few entries".to_string(),
                    ),
                    ("maxItems", n) => (
                        format!("{subject} must have at most {n} entries, not {count}"),
                        "too many entries".to_string(),
                    ),
                    ("minLength", n) => (
                        format!("{subject} must be at least {n} characters long, not {count}"),
                        "too short".to_string(),
                    ),
                    (_, n) => (
                        format!("{subject} must be at most {n} characters long, not {count}"),
                        format!("{count} characters"),
                    ),
                };
                let d = Diagnostic::new(ValueOutOfRange::META.code, message).label(label);
                (&ValueOutOfRange::META, d)
            }
            Kind::Excludes(fields) => {
                let present: Vec<&String> = match lookup(self.machine, &e.path) {
                    Some(Value::Object(o)) => o.keys().filter(|k| fields.contains(k)).collect(),
                    _ => fields.iter().collect(),
                };
                return finish(self.conflict(&e.path, &present, None), &ConflictingFields::META);
            }
            Kind::Pattern(_) | Kind::Other(_) | Kind::Unknown(_) | Kind::Required(_) | Kind::OneOf(_) | Kind::AnyOf => {
                let d = Diagnostic::new(
                    InvalidValue::META.code,
                    format!("{subject} does not have an allowed form"),
                )
                .label("not allowed here");
                (&InvalidValue::META, d)
            }
        };
        let d = match description {
            Some(text) if !matches!(e.kind, Kind::NotIntrinsic) => d.note(text),
            _ => d,
        };
        finish(d.at_value(at), meta)
    }

    // ---- reading the schema ----------------------------------------------------------------

    /// The schema node at a canonical location, following a `$ref` written there.
    fn node(&self, location: &str) -> Option<&Value> {
        let node = if location.is_empty() {
            Some(self.schema)
        } else {
            self.schema.pointer(location)
        }?;
        Some(node)
    }

    fn resolve<'s>(&'s self, node: &'s Value) -> &'s Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => r.strip_prefix('#').and_then(|p| self.schema.pointer(p)).unwrap_or(node),
            None => node,
        }
    }

    /// The fields an object schema allows (its `properties`, in schema order).
    fn allowed_fields(&self, location: &str) -> Vec<String> {
        self.node(location)
            .map(|n| self.resolve(n))
            .and_then(|n| n.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The description of a field of an object schema, from the property or what it refers to.
    fn field_description(&self, location: &str, field: &str) -> Option<&str> {
        let property = self
            .node(location)
            .map(|n| self.resolve(n))?
            .get("properties")?
            .get(field)?;
        property
            .get("description")
            .or_else(|| self.resolve(property).get("description"))
            .and_then(Value::as_str)
    }

    fn description(&self, location: &str) -> Option<&str> {
        self.node(location)?.get("description")?.as_str()
    }

    /// The fields listed by a `oneOf` or `anyOf` of `{required: [field]}`.
    fn one_of_options(&self, schema_path: &str) -> Vec<String> {
        self.node(schema_path)
            .and_then(Value::as_array)
            .map(|alternatives| alternatives.iter().filter_map(required_list).flatten().collect())
            .unwrap_or_default()
    }

    /// For a `required` inside `then`: the condition of the sibling `if`, in words.
    fn condition(&self, schema_path: &str) -> Option<String> {
        let owner = schema_path.strip_suffix("/then/required")?;
        let properties = self.node(owner)?.get("if")?.get("properties")?.as_object()?;
        let parts: Vec<String> = properties
            .iter()
            .filter_map(|(field, s)| s.get("const").map(|v| format!("when `{field}` is {}", show_value(v))))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" and "))
    }

    /// Whether some object of the language has this field.
    fn is_known_field(&self, field: &str) -> bool {
        let has = |node: &Value| node.get("properties").and_then(|p| p.get(field)).is_some();
        has(self.schema)
            || self
                .schema
                .get("$defs")
                .and_then(Value::as_object)
                .is_some_and(|defs| defs.values().any(has))
    }

    /// State types (from the `…State` definitions) that allow a field.
    fn state_types_with_field(&self, field: &str) -> Vec<String> {
        let Some(defs) = self.schema.get("$defs").and_then(Value::as_object) else {
            return Vec::new();
        };
        defs.iter()
            .filter_map(|(name, def)| {
                let ty = name.strip_suffix("State").filter(|t| !t.is_empty())?;
                def.get("properties")?.get(field)?;
                Some(ty.to_string())
            })
            .collect()
    }

    // ---- describing places in the machine ---------------------------------------------------

    fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Whether the value at `path`, or one that contains it, is a CloudFormation intrinsic.
    fn inside_intrinsic(&self, path: &str) -> bool {
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
    fn describe_object(&self, path: &str) -> String {
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
    fn subject(&self, path: &str) -> String {
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

const JSONATA_HELP: &str = "in a JSONata state a string is accepted here only as a whole expression: \"{% … %}\"";
const INTRINSIC_HELP: &str = "an object is accepted here only as a CloudFormation intrinsic function with one key, such as {\"Fn::GetAtt\": [\"MyFunction\", \"Arn\"]} or {\"Ref\": \"MyActivity\"}";

/// The allowed field an unknown one probably meant: a close spelling, or the only field it is
/// the beginning of (`Timeout` for `TimeoutSeconds`).
fn suggestion<'f>(key: &str, allowed: &'f [String]) -> Option<&'f str> {
    suggest::closest(key, allowed.iter().map(String::as_str)).or_else(|| {
        let lower = key.to_lowercase();
        let mut longer = allowed
            .iter()
            .filter(|f| key.len() >= 4 && f.to_lowercase().starts_with(&lower));
        match (longer.next(), longer.next()) {
            (Some(only), None) => Some(only.as_str()),
            _ => None,
        }
    })
}

/// How to resolve two fields that exclude each other.
fn conflict_help(first: &str, second: &str) -> String {
    let pair = |fixed: &str, path: &str| path.strip_suffix("Path") == Some(fixed);
    let fixed = if pair(first, second) {
        Some(first)
    } else if pair(second, first) {
        Some(second)
    } else {
        None
    };
    match fixed {
        Some(f) => format!("use `{f}` for a fixed value, or `{f}Path` to read the value from the state input"),
        None => "keep only one of them".to_string(),
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

/// `Pass` for `/$defs/PassState`, the schema of one state type.
fn state_def_type(location: &str) -> Option<&str> {
    let name = location.strip_prefix("/$defs/")?;
    if name.contains('/') {
        return None;
    }
    name.strip_suffix("State").filter(|t| !t.is_empty())
}

use crate::unknown::is_unknown as is_intrinsic;

fn node_has_jsonata(node: Option<&Value>) -> bool {
    node.and_then(|n| n.get("pattern"))
        .and_then(Value::as_str)
        .is_some_and(|p| p == JSONATA_PATTERN)
}

fn types_of(node: Option<&Value>) -> Vec<&str> {
    match node.and_then(|n| n.get("type")) {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn describe_types(types: &[&str]) -> String {
    let names: Vec<String> = types
        .iter()
        .map(|t| {
            match *t {
                "integer" => "an integer",
                "number" => "a number",
                "string" => "a string",
                "object" => "an object",
                "array" => "an array",
                "boolean" => "true or false",
                "null" => "null",
                other => other,
            }
            .to_string()
        })
        .collect();
    if names.is_empty() {
        "a value of another type".to_string()
    } else {
        join_or(&names, "or")
    }
}

/// A value's type in words; numbers are shown, since `1.5` says more than "a number".
fn describe_value(value: &Value) -> &'static str {
    match value {
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "a number",
        other => super::describe_type(other),
    }
}

/// A value as it appears in JSON, shortened when long.
fn show_value(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let short: String = text.chars().take(57).collect();
        format!("{short}…")
    } else {
        text
    }
}

/// "a", "a or b", "a, b or c".
fn join_or(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

fn plural_fields(names: &[String]) -> String {
    if names.len() == 1 {
        format!("field {}", names[0])
    } else {
        format!("fields {}", join_or(names, "and"))
    }
}

fn finish(d: Diagnostic, meta: &RuleMeta) -> Diagnostic {
    d.severity(meta.severity).aws_code(AWS_CODE)
}

fn parent(location: &str) -> &str {
    location.rfind('/').map_or("", |i| &location[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// (code, pointer, message) of every diagnostic for a machine at the root of a file.
    fn check_at(machine: Value, pointer: &str) -> Vec<(&'static str, String, String)> {
        let mut out = Vec::new();
        check(&machine, pointer, &mut out);
        out.into_iter()
            .map(|d| {
                let pointer = d.pointer().unwrap_or_default().to_string();
                (d.code, pointer, d.message)
            })
            .collect()
    }

    fn diags(machine: Value) -> Vec<(&'static str, String, String)> {
        check_at(machine, "")
    }

    fn one(machine: Value) -> Diagnostic {
        let mut out = Vec::new();
        check(&machine, "", &mut out);
        assert_eq!(out.len(), 1, "expected one diagnostic, got {out:#?}");
        out.remove(0)
    }

    fn machine(states: Value) -> Value {
        json!({"StartAt": "A", "States": states})
    }

    #[test]
    fn schema_parses_and_compiles() {
        assert!(compiled().is_some());
    }

    /// The translation relies on the conventions stated in the schema's `$comment`.
    #[test]
    fn schema_follows_the_conventions_the_translation_relies_on() {
        fn walk(node: &Value, path: &str, problems: &mut Vec<String>) {
            match node {
                Value::Object(o) => {
                    for (k, v) in o {
                        let here = format!("{path}/{k}");
                        match k.as_str() {
                            "oneOf" | "anyOf" => {
                                let ok = v.as_array().is_some_and(|alts| {
                                    alts.iter().all(|a| required_list(a).is_some_and(|f| f.len() == 1))
                                });
                                if !ok {
                                    problems.push(format!("{here}: not a list of {{required: [field]}}"));
                                }
                            }
                            "not" if required_list(v).is_none() => {
                                problems.push(format!("{here}: not {{required: [...]}}"));
                            }
                            "pattern" if v.as_str() != Some(JSONATA_PATTERN) && !path.ends_with("/propertyNames") => {
                                problems.push(format!("{here}: unexpected pattern"));
                            }
                            // `State` dispatches to the per-type schemas, which close the
                            // object; `if` schemas only test a field.
                            "properties"
                                if o.get("additionalProperties").is_none()
                                    && !path.ends_with("/$defs/State")
                                    && !path.ends_with("/if") =>
                            {
                                problems.push(format!("{path}: open object"));
                            }
                            _ => {}
                        }
                        walk(v, &here, problems);
                    }
                }
                Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        walk(v, &format!("{path}/{i}"), problems);
                    }
                }
                _ => {}
            }
        }
        let schema: Value = serde_json::from_str(SCHEMA_TEXT).expect("valid JSON");
        let mut problems = Vec::new();
        walk(&schema, "", &mut problems);
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn a_complete_machine_has_no_findings() {
        let m = json!({
            "Comment": "all kinds of states",
            "StartAt": "Task",
            "TimeoutSeconds": 3600,
            "Version": "1.0",
            "States": {
                "Task": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                    "Retry": [{"ErrorEquals": ["States.ALL"], "BackoffRate": 2, "MaxDelaySeconds": 60, "JitterStrategy": "FULL"}],
                    "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Fail"}],
                    "TimeoutSecondsPath": "$.timeout",
                    "HeartbeatSeconds": 60,
                    "Credentials": {"RoleArn.$": "$.role"},
                    "Next": "Wait"
                },
                "Wait": {"Type": "Wait", "Seconds": 0, "Next": "Choice"},
                "Choice": {
                    "Type": "Choice",
                    "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "Map"}],
                    "Default": "Done"
                },
                "Map": {
                    "Type": "Map",
                    "ItemProcessor": {
                        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                        "StartAt": "Inner",
                        "States": {"Inner": {"Type": "Pass", "End": true}}
                    },
                    "ItemReader": {
                        "Resource": "arn:aws:states:::s3:getObject",
                        "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 10},
                        "Parameters": {"Bucket": "b", "Key": "k"}
                    },
                    "ItemBatcher": {"MaxItemsPerBatch": 10, "MaxInputBytesPerBatch": 262144},
                    "ResultWriter": {"WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}},
                    "ToleratedFailurePercentage": 5.5,
                    "Label": "Files",
                    "Next": "Parallel"
                },
                "Parallel": {
                    "Type": "Parallel",
                    "Branches": [{"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}],
                    "Next": "Done"
                },
                "Done": {"Type": "Succeed"},
                "Fail": {"Type": "Fail", "ErrorPath": "$.error.Error", "Cause": "failed"}
            }
        });
        assert_eq!(diags(m), vec![]);
    }

    #[test]
    fn jsonata_expressions_are_accepted_where_numbers_are() {
        let m = json!({
            "QueryLanguage": "JSONata",
            "StartAt": "W",
            "States": {
                "W": {"Type": "Wait", "Seconds": "{% $states.input.delay %}", "Next": "T"},
                "T": {
                    "Type": "Task",
                    "Resource": "arn:aws:states:::lambda:invoke",
                    "Arguments": "{% $states.input %}",
                    "TimeoutSeconds": "{% $timeout %}",
                    "Assign": {"x": "{% $states.result %}"},
                    "Output": "{% $states.result.Payload %}",
                    "Next": "M"
                },
                "M": {
                    "Type": "Map",
                    "Items": "{% $states.input.list %}",
                    "MaxConcurrency": "{% $n %}",
                    "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}},
                    "End": true
                }
            }
        });
        assert_eq!(diags(m), vec![]);
    }

    #[test]
    fn unknown_field_points_at_the_key_and_suggests() {
        let d = one(machine(
            json!({"A": {"Type": "Pass", "Nxt": "B"}, "B": {"Type": "Succeed"}}),
        ));
        assert_eq!(d.code, "ASL010");
        assert_eq!(d.message, "unknown field `Nxt` in Pass state \"A\"");
        assert_eq!(d.location, Some(Location::key("/States/A/Nxt")));
        assert_eq!(d.help.as_deref(), Some("did you mean \"Next\"?"));
        assert!(d.note.as_deref().is_some_and(|n| n.contains("`Result`")));
        assert_eq!(d.aws_code, Some("SCHEMA_VALIDATION_FAILED"));
    }

    #[test]
    fn a_field_of_another_state_type_says_where_it_belongs() {
        let d = one(machine(
            json!({"A": {"Type": "Pass", "TimeoutSeconds": 5, "End": true}}),
        ));
        assert_eq!(d.message, "field `TimeoutSeconds` is not allowed in Pass state \"A\"");
        assert!(d
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("`TimeoutSeconds` is a field of Task states")));
    }

    #[test]
    fn unknown_fields_are_rejected_in_nested_objects() {
        let found = diags(machine(json!({
            "A": {
                "Type": "Map",
                "ItemProcessor": {"QueryLanguage": "JSONata", "StartAt": "B", "States": {"B": {"Type": "Succeed"}}},
                "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputTyp": "CSV"}},
                "Retry": [{"ErrorEquals": ["E"], "MaxAttempt": 2}],
                "Catch": [{"ErrorEquals": ["E"], "Next": "A", "Foo": 1}],
                "End": true
            }
        })));
        let pointers: Vec<&str> = found.iter().map(|(_, p, _)| p.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/States/A/ItemProcessor/QueryLanguage",
                "/States/A/ItemReader/ReaderConfig/InputTyp",
                "/States/A/Retry/0/MaxAttempt",
                "/States/A/Catch/0/Foo",
            ]
        );
        assert!(found.iter().all(|(code, _, _)| *code == "ASL010"));
        assert_eq!(found[2].2, "unknown field `MaxAttempt` in a retrier of Map state \"A\"");
    }

    #[test]
    fn a_misspelt_required_field_gives_one_diagnostic() {
        let found = diags(machine(
            json!({"A": {"Type": "Task", "Resorce": "arn:aws:states:::lambda:invoke", "Nxt": "A"}}),
        ));
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found.iter().all(|(code, _, _)| *code == "ASL010"));
    }

    #[test]
    fn missing_required_fields_are_named_at_the_object() {
        let d = one(machine(json!({"A": {"Type": "Task", "End": true}})));
        assert_eq!(d.code, "ASL011");
        assert_eq!(d.message, "Task state \"A\" is missing required field `Resource`");
        assert_eq!(d.location, Some(Location::key("/States/A")));
        assert!(d.note.as_deref().is_some_and(|n| n.starts_with("`Resource`: The ARN")));

        let d = one(json!({}));
        assert_eq!(
            d.message,
            "the state machine is missing required fields `StartAt` and `States`"
        );
    }

    #[test]
    fn conditional_requirements_name_their_condition() {
        let d = one(machine(json!({"A": {
            "Type": "Map",
            "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED"}, "StartAt": "B", "States": {"B": {"Type": "Succeed"}}},
            "End": true
        }})));
        assert_eq!(
            d.message,
            "`ProcessorConfig` of Map state \"A\" is missing field `ExecutionType`, required when `Mode` is \"DISTRIBUTED\""
        );
        assert!(d.note.as_deref().is_some_and(|n| n.contains("STANDARD")));
    }

    #[test]
    fn wrong_types_name_the_expected_type() {
        let d = one(machine(json!({"A": {"Type": "Wait", "Seconds": "10", "End": true}})));
        assert_eq!(d.code, "ASL012");
        assert_eq!(d.message, "`Seconds` must be an integer, not a string");
        assert_eq!(d.location, Some(Location::value("/States/A/Seconds")));
        assert_eq!(d.help.as_deref(), Some("write the number without quotes: 10"));

        let d = one(machine(
            json!({"A": {"Type": "Wait", "Seconds": "$.delay", "End": true}}),
        ));
        assert_eq!(d.help.as_deref(), Some(JSONATA_HELP));

        let d = one(machine(json!({"A": {"Type": "Wait", "Seconds": 1.5, "End": true}})));
        assert_eq!(d.message, "`Seconds` must be an integer, not a fractional number");

        let d = one(machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": [1]}], "End": true}}),
        ));
        assert_eq!(d.message, "each entry of `ErrorEquals` must be a string, not a number");

        let d = one(machine(json!({"A": "Pass"})));
        assert_eq!(d.message, "state \"A\" must be an object, not a string");
    }

    #[test]
    fn resource_accepts_cloudformation_intrinsics_only() {
        let ok = machine(
            json!({"A": {"Type": "Task", "Resource": {"Fn::GetAtt": ["F", "Arn"]}, "Next": "B"},
                                "B": {"Type": "Task", "Resource": {"Ref": "Activity"}, "End": true}}),
        );
        assert_eq!(diags(ok), vec![]);
        let d = one(machine(
            json!({"A": {"Type": "Task", "Resource": {"Arn": "x"}, "End": true}}),
        ));
        assert_eq!(d.code, "ASL012");
        assert_eq!(d.message, "`Resource` must be a string, not an object");
    }

    #[test]
    fn intrinsics_anywhere_are_left_to_cloudformation_inside_templates() {
        let m = machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                     "TimeoutSeconds": {"Ref": "Timeout"}, "End": true}}),
        );
        assert_eq!(check_at(m.clone(), "/Resources/M/Properties/Definition"), vec![]);
        let bare = diags(m);
        assert_eq!(bare.len(), 1);
        assert_eq!(bare[0].0, "ASL012");
    }

    #[test]
    fn pointers_are_prefixed_with_the_machine_pointer() {
        let found = check_at(
            machine(json!({"A": {"Type": "Pass", "Nxt": "B"}})),
            "/Resources/M/Properties/Definition",
        );
        assert_eq!(found[0].1, "/Resources/M/Properties/Definition/States/A/Nxt");
    }

    #[test]
    fn state_names_are_escaped_in_pointers() {
        let d = one(machine(json!({"a/b~c": {"Type": "Pass", "End": true, "Foo": 1}})));
        assert_eq!(d.location, Some(Location::key("/States/a~1b~0c/Foo")));
        assert_eq!(d.message, "unknown field `Foo` in Pass state \"a/b~c\"");
    }

    #[test]
    fn enumerations_suggest_the_close_value() {
        let d = one(machine(json!({"A": {"Type": "Tsk", "End": true}})));
        assert_eq!(d.code, "ASL013");
        assert_eq!(d.message, "unknown state type \"Tsk\"");
        assert_eq!(d.help.as_deref(), Some("did you mean \"Task\"?"));

        let d = one(json!({"QueryLanguage": "jsonata", "StartAt": "A", "States": {"A": {"Type": "Succeed"}}}));
        assert_eq!(
            d.message,
            "`QueryLanguage` must be \"JSONPath\" or \"JSONata\", not \"jsonata\""
        );
        assert_eq!(d.help.as_deref(), Some("did you mean \"JSONata\"?"));
    }

    #[test]
    fn end_false_is_one_problem_even_next_to_next() {
        let d = one(machine(
            json!({"A": {"Type": "Pass", "Next": "B", "End": false}, "B": {"Type": "Succeed"}}),
        ));
        assert_eq!(d.code, "ASL013");
        assert_eq!(d.message, "`End` must be true");
    }

    #[test]
    fn ranges_name_their_bounds() {
        let d = one(machine(json!({"A": {"Type": "Wait", "Seconds": -1, "End": true}})));
        assert_eq!(d.code, "ASL014");
        assert_eq!(d.message, "`Seconds` must be between 0 and 99999999, not -1");
        let d = one(machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Retry": [{"ErrorEquals": ["E"], "BackoffRate": 0.5}], "End": true}}),
        ));
        assert_eq!(d.message, "`BackoffRate` must be at least 1, not 0.5");
        let d = one(machine(json!({"A": {"Type": "Parallel", "Branches": [], "End": true}})));
        assert_eq!(d.message, "`Branches` must not be empty");
        // A `Label`'s length is ASL118's, not the schema's: one problem, one report.
        let long = "x".repeat(41);
        let found = diags(machine(
            json!({"A": {"Type": "Map", "Label": long, "ItemProcessor": {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}, "End": true}}),
        ));
        assert_eq!(found, vec![]);
    }

    #[test]
    fn excluding_fields_point_at_the_second_one() {
        let d = one(machine(
            json!({"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                          "TimeoutSecondsPath": "$.t", "TimeoutSeconds": 5, "End": true}}),
        ));
        assert_eq!(d.code, "ASL015");
        assert_eq!(
            d.message,
            "`TimeoutSecondsPath` and `TimeoutSeconds` cannot be used together"
        );
        assert_eq!(d.location, Some(Location::key("/States/A/TimeoutSeconds")));
        assert_eq!(d.labels.len(), 1);
    }

    #[test]
    fn exactly_one_of_is_explained_without_schema_jargon() {
        let d = one(machine(json!({"A": {"Type": "Wait", "End": true}})));
        assert_eq!(d.code, "ASL015");
        assert_eq!(
            d.message,
            "Wait state \"A\" needs exactly one of `Seconds`, `SecondsPath`, `Timestamp` or `TimestampPath`"
        );
        assert_eq!(d.location, Some(Location::key("/States/A")));

        let d = one(machine(json!({"A": {"Type": "Pass"}})));
        assert_eq!(d.message, "Pass state \"A\" needs `Next` or `End`");

        let d = one(machine(json!({"A": {"Type": "Pass", "Next": "A", "End": true}})));
        assert_eq!(d.message, "`Next` and `End` cannot be used together");
        assert_eq!(d.location, Some(Location::key("/States/A/End")));

        let d = one(machine(
            json!({"A": {"Type": "Wait", "Seconds": 1, "Timestamp": "2026-01-01T00:00:00Z", "End": true}}),
        ));
        assert_eq!(
            d.message,
            "only one of `Seconds`, `SecondsPath`, `Timestamp` or `TimestampPath` may be used, found `Seconds` and `Timestamp`"
        );
    }

    #[test]
    fn no_message_speaks_json_schema() {
        let broken = machine(json!({
            "A": {"Type": "Wait", "Seconds": "x", "SecondsPath": 1, "Next": "B", "End": false},
            "B": {"Type": "Map", "Iterator": {}, "ItemProcessor": {"StartAt": 1}, "ItemSelector": {}, "Parameters": {},
                  "ItemBatcher": {"MaxItemsPerBatch": 0, "MaxItemsPerBatchPath": "$.n"},
                  "ResultWriter": {"WriterConfig": {"OutputType": "CSV"}}, "End": true},
            "C": {"Type": "Fail", "Error": "E", "ErrorPath": "$.e", "Cause": 1},
            "D": {"Type": "Task", "Resource": "r", "Credentials": {"RoleArn": "a", "RoleArn.$": "$.r"}, "End": true},
            "E": {"Type": "Choice", "Choices": ["x"], "Default": 1},
            "F": {"Type": "Parallel", "Branches": [{"StartAt": "G"}], "End": true},
            "G": {}
        }));
        let found = diags(broken);
        assert!(found.len() > 10, "{found:#?}");
        for (_, _, message) in &found {
            for jargon in ["oneOf", "anyOf", "allOf", "not allowed for", "is valid under", "schema"] {
                assert!(!message.contains(jargon), "{message}");
            }
        }
    }
}
