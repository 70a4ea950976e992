//! Diagnostics about the fields of an object: unknown, missing, or excluding each other.

use serde_json::Value;

use super::errors::Raw;
use super::words::{conflict_help, finish, join_or, parent, plural_fields, state_def_type, suggestion};
use super::Translator;
use crate::check::rules::{
    conflicting_fields::ConflictingFields, missing_required_field::MissingRequiredField, unknown_field::UnknownField,
};
use crate::diagnostic::{Diagnostic, Location};
use crate::pointer::{child, lookup};
use crate::suggest;

impl Translator<'_> {
    pub(super) fn unknown_field(&self, e: &Raw, key: &str) -> Diagnostic {
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

    pub(super) fn missing(&self, path: &str, schema_path: &str, fields: &[String]) -> Diagnostic {
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

    pub(super) fn one_of(&self, e: &Raw, options: &[String], several: bool) -> Diagnostic {
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
    pub(super) fn any_of(&self, e: &Raw, options: &[String]) -> Diagnostic {
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
    pub(super) fn conflict(&self, path: &str, present: &[&String], all: Option<&Vec<String>>) -> Diagnostic {
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
}
