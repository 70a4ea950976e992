//! JSON Schema validation of a definition against `schemas/asl.schema.json`.
//!
//! Placeholder until the schema lands: reports nothing.

use serde_json::Value;

use super::diagnostic::Diagnostic;

/// Validates the machine at `pointer` and appends translated findings to `out`.
pub fn check(_machine: &Value, _pointer: &str, _out: &mut Vec<Diagnostic>) {}
