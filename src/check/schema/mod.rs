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
//!
//! Whether a definition is valid at all is answered by [`verdict`], which interprets the schema
//! directly and costs far less to set up than compiling it with `jsonschema`; `jsonschema` is
//! compiled only for a definition that has errors to collect.

use std::sync::OnceLock;

use jsonschema::Validator;
use serde_json::Value;

use crate::diagnostic::Diagnostic;
use errors::Raw;

mod errors;
mod fields;
mod places;
mod read;
#[cfg(test)]
mod tests;
mod translate;
mod values;
mod verdict;
mod words;

const SCHEMA_TEXT: &str = include_str!("../../../schemas/asl.schema.json");

/// The `pattern` that marks a string accepted in place of a number or an array: a whole JSONata
/// expression. Must equal the pattern written in the schema (a test checks it).
const JSONATA_PATTERN: &str = r"^\{%[\s\S]*%\}$";

const AWS_CODE: &str = "SCHEMA_VALIDATION_FAILED";

struct Compiled {
    schema: Value,
    validator: Validator,
}

/// The yes/no validator, built on first use; `None` when the schema uses something it does not
/// understand (then `jsonschema` answers).
fn verdict() -> Option<&'static verdict::Verdict> {
    static VERDICT: OnceLock<Option<verdict::Verdict>> = OnceLock::new();
    VERDICT.get_or_init(|| verdict::build(SCHEMA_TEXT).ok()).as_ref()
}

/// The parsed schema and its validator, built on first use (only for an invalid definition).
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
    // Most definitions are valid: answering yes or no is far cheaper than collecting errors
    // (which also builds the errors of every failed `oneOf`/`anyOf` alternative).
    let valid = match verdict() {
        Some(verdict) => verdict.is_valid(machine),
        None => compiled().is_none_or(|compiled| compiled.validator.is_valid(machine)),
    };
    if valid {
        return;
    }
    let Some(compiled) = compiled() else {
        return;
    };
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

/// Turns raw errors on one machine into diagnostics.
struct Translator<'a> {
    schema: &'a Value,
    machine: &'a Value,
    base: &'a str,
    in_template: bool,
}
