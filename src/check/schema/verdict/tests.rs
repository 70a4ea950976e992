//! The verdict must be `jsonschema`'s: compared on small schemas written to probe each keyword,
//! then on every definition under `fixtures/` and `examples/` and systematic mutations of them.
//! `ASLKIT_EQUIVALENCE_DIRS` (paths separated by `:`) adds definitions from elsewhere, and
//! `ASLKIT_EQUIVALENCE=full` mutates every node with every replacement value; by default each
//! definition has a tenth of its nodes mutated with a dozen values (the full run takes minutes in
//! a debug build).

use std::path::{Path, PathBuf};

use serde_json::json;

use super::*;
use crate::check::schema::SCHEMA_TEXT;

fn jsonschema_verdict(schema: &Value, value: &Value) -> bool {
    jsonschema::draft202012::new(schema)
        .expect("the probe schema compiles")
        .is_valid(value)
}

#[test]
fn the_schema_is_understood() {
    if let Err(e) = build(SCHEMA_TEXT) {
        panic!("{e}");
    }
}

#[test]
fn anything_not_understood_is_refused() {
    let refused = [
        json!({"maxLength": 3}),
        json!({"pattern": "^a"}),
        json!({"$id": "https://example.com/s"}),
        json!({"patternProperties": {"^a": true}}),
        json!({"properties": {"a": {"unevaluatedProperties": false}}}),
        json!({"then": {"required": ["a"]}}),
        json!({"items": [true]}),
        json!({"const": [1]}),
        json!({"enum": [{"a": 1}]}),
        json!({"type": "decimal"}),
        json!({"$ref": "other.json#/a"}),
        json!({"$ref": "#/$defs/missing"}),
        json!({"$ref": "#/$defs/a", "$defs": {"a": {"$ref": "#/$defs/a"}}}),
        json!({"$ref": "#"}),
        json!({"allOf": []}),
        json!({"minItems": -1}),
        json!({"items": {"$schema": "https://json-schema.org/draft/2020-12/schema"}}),
        json!({"$schema": "http://json-schema.org/draft-07/schema#"}),
    ];
    for schema in refused {
        assert!(build(&schema.to_string()).is_err(), "accepted {schema}");
    }
    // A cycle through a member is fine: it descends into the value.
    let nested = json!({"properties": {"child": {"$ref": "#"}}, "type": "object"});
    assert!(build(&nested.to_string()).is_ok());
}

/// Each keyword on the values where implementations tend to differ.
#[test]
fn each_keyword_agrees_with_jsonschema_on_edge_values() {
    let schemas = [
        json!({"type": "integer"}),
        json!({"type": "number"}),
        json!({"type": ["integer", "string"]}),
        json!({"type": ["number", "string"]}),
        json!({"type": ["string", "null"]}),
        json!({"type": "object"}),
        json!({"type": "array"}),
        json!({"type": "boolean"}),
        json!({"minimum": 1}),
        json!({"minimum": 0}),
        json!({"maximum": 99_999_999}),
        json!({"maximum": 100}),
        json!({"minimum": 1.5, "maximum": 2.5}),
        json!({"minimum": -3}),
        json!({"maximum": 18_446_744_073_709_551_615_u64}),
        json!({"const": 1}),
        json!({"const": 1.5}),
        json!({"const": true}),
        json!({"const": null}),
        json!({"const": "Task"}),
        json!({"enum": ["FULL", "NONE", 1, null]}),
        json!({"pattern": r"^(Ref|Fn::[A-Za-z0-9]+)$"}),
        json!({"pattern": r"^\{%[\s\S]*%\}$"}),
        json!({"propertyNames": {"pattern": r"^(Ref|Fn::[A-Za-z0-9]+)$"}}),
        json!({"minProperties": 1, "maxProperties": 1}),
        json!({"required": ["a", "b"]}),
        json!({"properties": {"a": {"type": "string"}}}),
        json!({"properties": {"a": {"type": "string"}}, "additionalProperties": false}),
        json!({"properties": {"b": true}, "additionalProperties": {"type": "integer"}}),
        json!({"additionalProperties": false}),
        json!({"items": {"type": "string"}, "minItems": 1}),
        json!({"not": {"required": ["a", "b"]}}),
        json!({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}),
        json!({"anyOf": [{"required": ["a"]}, {"required": ["b"]}]}),
        json!({"allOf": [{"required": ["a"]}, {"not": {"required": ["b"]}}]}),
        json!({"if": {"properties": {"a": {"const": "x"}}, "required": ["a"]}, "then": {"required": ["b"]}}),
        json!({"if": {"required": ["a"]}, "then": {"required": ["b"]}, "else": {"required": ["c"]}}),
        json!({"if": {"required": ["a"]}}),
        json!({"type": ["string", "object"], "$ref": "#/$defs/one", "$defs": {"one": {"minProperties": 1}}}),
        json!(true),
        json!(false),
        json!({}),
    ];
    let values = [
        json!(null),
        json!(true),
        json!(false),
        json!(0),
        json!(-0.0),
        json!(1),
        json!(1.0),
        json!(1.5),
        json!(2.5),
        json!(0.999_999_999_999_999_9),
        json!(1.000_000_000_000_000_2),
        json!(-1),
        json!(-3),
        json!(-3.5),
        json!(99_999_999),
        json!(99_999_999.5),
        json!(100_000_000),
        json!(1e300),
        json!(-1e300),
        json!(18_446_744_073_709_551_615_u64),
        json!(18_446_744_073_709_551_616.0),
        json!(i64::MIN),
        json!(-9_223_372_036_854_775_809.0),
        json!(""),
        json!("Task"),
        json!("FULL"),
        json!("Ref"),
        json!("Ref\n"),
        json!("xRef"),
        json!("Fn::"),
        json!("Fn::Sub"),
        json!("Fn::Sub\n"),
        json!("Fn::Get-Att"),
        json!("Fn::Ä"),
        json!("{%%}"),
        json!("{%}"),
        json!("{% $x %}"),
        json!("{%\n$x\n%}"),
        json!(" {% $x %}"),
        json!("{% $x %}\n"),
        json!([]),
        json!(["a"]),
        json!([1]),
        json!([1.0]),
        json!({}),
        json!({"a": "x"}),
        json!({"a": 1}),
        json!({"b": 1}),
        json!({"b": 1.0}),
        json!({"b": "x"}),
        json!({"a": "x", "b": 1}),
        json!({"a": "y", "c": 1}),
        json!({"c": 1}),
        json!({"Ref": "R"}),
        json!({"Fn::GetAtt": ["a", "b"]}),
        json!({"Ref": "R", "Fn::Sub": "x"}),
        json!({"Fn::": 1}),
        json!({"ref": "R"}),
    ];
    let mut disagreements = Vec::new();
    for schema in &schemas {
        let ours = build(&schema.to_string()).unwrap_or_else(|e| panic!("{schema}: {e}"));
        for value in &values {
            let expected = jsonschema_verdict(schema, value);
            if ours.is_valid(value) != expected {
                disagreements.push(format!("{schema} on {value}: jsonschema says {expected}"));
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

/// Values put in place of any node: every JSON type, numbers at and around every bound the
/// schema has, strings that are and are not JSONata expressions, objects that are and are not
/// CloudFormation intrinsic functions.
fn replacements(full: bool) -> Vec<Value> {
    let mut values = vec![
        json!(null),
        json!(true),
        json!(-1),
        json!(0),
        json!(1.5),
        json!(100_000_000),
        json!(""),
        json!("{% $x %}"),
        json!(["x"]),
        json!({}),
        json!({"Ref": "R"}),
        json!({"Fn::Sub-x": "x"}),
    ];
    if full {
        values.extend([
            json!(false),
            json!(1),
            json!(1.0),
            json!(0.5),
            json!(-0.0),
            json!(99_999_999),
            json!(99_999_999.5),
            json!(100),
            json!(100.5),
            json!(101),
            json!(262_144),
            json!(262_145),
            json!(31_622_400),
            json!(31_622_401),
            json!(1e300),
            json!(18_446_744_073_709_551_615_u64),
            json!(i64::MIN),
            json!("x"),
            json!("$.x"),
            json!("{%%}"),
            json!("{%}"),
            json!(" {% $x %}"),
            json!([]),
            json!([1]),
            json!([{}]),
            json!({"Fn::GetAtt": ["a", "b"]}),
            json!({"Fn::": "x"}),
            json!({"Ref": "R", "Fn::Sub": "x"}),
            json!({"x": 1}),
        ]);
    }
    values
}

/// Members added to every object: fields of every kind of object in the schema (so each lands
/// where it is allowed, where it is not, and next to the field it excludes) and an unknown one.
fn additions() -> Vec<(&'static str, Value)> {
    vec![
        ("Unknown", json!(1)),
        ("Type", json!("Pass")),
        ("Next", json!("A")),
        ("End", json!(true)),
        ("Comment", json!("c")),
        ("Resource", json!("arn:aws:states:::lambda:invoke")),
        ("Parameters", json!({})),
        ("Arguments", json!({})),
        ("ItemSelector", json!({})),
        ("Seconds", json!(1)),
        ("SecondsPath", json!("$.s")),
        ("Timestamp", json!("2024-01-01T00:00:00Z")),
        ("TimeoutSeconds", json!(10)),
        ("TimeoutSecondsPath", json!("$.t")),
        ("HeartbeatSecondsPath", json!("$.h")),
        ("Error", json!("E")),
        ("ErrorPath", json!("$.e")),
        ("CausePath", json!("$.c")),
        ("RoleArn", json!("arn:aws:iam::1:role/r")),
        ("RoleArn.$", json!("$.r")),
        (
            "Iterator",
            json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
        ),
        (
            "ItemProcessor",
            json!({"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}),
        ),
        ("MaxConcurrencyPath", json!("$.m")),
        ("ToleratedFailureCountPath", json!("$.f")),
        ("MaxItemsPath", json!("$.m")),
        ("MaxItemsPerBatchPath", json!("$.m")),
        ("ExecutionType", json!("EXPRESS")),
        ("Mode", json!("DISTRIBUTED")),
        ("WriterConfig", json!({"OutputType": "JSON"})),
        ("OutputType", json!("JSONL")),
        ("QueryLanguage", json!("JSONata")),
    ]
}

/// Every string the schema names in a `const` or an `enum`, by the field it belongs to.
fn named_strings(schema: &Value) -> Vec<(String, String)> {
    fn strings(node: &Value, root: &Value) -> Vec<String> {
        let node = match node.get("$ref").and_then(Value::as_str) {
            Some(r) => r.strip_prefix('#').and_then(|p| root.pointer(p)).unwrap_or(node),
            None => node,
        };
        let mut out: Vec<String> = node
            .get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .chain(node.get("const"))
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect();
        out.sort();
        out
    }
    fn walk(node: &Value, root: &Value, out: &mut Vec<(String, String)>) {
        match node {
            Value::Object(o) => {
                for (k, v) in o {
                    if k == "properties" {
                        for (field, s) in v.as_object().into_iter().flatten() {
                            out.extend(strings(s, root).into_iter().map(|v| (field.clone(), v)));
                        }
                    }
                    walk(v, root, out);
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, root, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(schema, schema, &mut out);
    out.sort();
    out.dedup();
    out
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "yaml" || e == "yml" || e == "tf")
        {
            out.push(path);
        }
    }
}

/// Every definition found in the files: each machine of each document that loads.
fn definitions(dirs: &[PathBuf]) -> Vec<(String, Value)> {
    let mut files = Vec::new();
    for dir in dirs {
        files_under(dir, &mut files);
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let crate::source::Loaded::Document(doc) = crate::source::load_path(&file) else {
            continue;
        };
        for machine in &doc.machines {
            if let Some(value) = doc.machine_value(machine).filter(|v| v.is_object()) {
                out.push((format!("{}#{}", file.display(), machine.pointer), value.clone()));
            }
        }
    }
    out
}

/// JSON Pointers of every node of `value`, with the name of the member each one is (if any).
fn nodes(value: &Value, pointer: String, key: Option<&str>, out: &mut Vec<(String, Option<String>)>) {
    match value {
        Value::Object(o) => {
            for (k, v) in o {
                nodes(v, crate::pointer::child(&pointer, k), Some(k), out);
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                nodes(v, format!("{pointer}/{i}"), None, out);
            }
        }
        _ => {}
    }
    out.push((pointer, key.map(str::to_string)));
}

struct Comparison<'a> {
    ours: &'a Verdict,
    theirs: &'a jsonschema::Validator,
    named: &'a [(String, String)],
    compared: usize,
    valid: usize,
    disagreements: Vec<String>,
}

impl Comparison<'_> {
    fn compare(&mut self, label: &str, what: &str, value: &Value) {
        let ours = self.ours.is_valid(value);
        let theirs = self.theirs.is_valid(value);
        self.compared += 1;
        self.valid += usize::from(theirs);
        if ours != theirs && self.disagreements.len() < 20 {
            self.disagreements
                .push(format!("{label} {what}: ours {ours}, jsonschema {theirs}: {value}"));
        }
    }

    /// Compares `machine` and its mutations at every `stride`-th node, starting at `offset`.
    fn mutate(&mut self, label: &str, machine: &Value, full: bool, (offset, stride): (usize, usize)) {
        self.compare(label, "as is", machine);
        let mut pointers = Vec::new();
        nodes(machine, String::new(), None, &mut pointers);
        let pointers = pointers.iter().skip(offset % stride).step_by(stride);
        let replace = |pointer: &str, with: Value| {
            let mut m = machine.clone();
            if let Some(node) = m.pointer_mut(pointer) {
                *node = with;
            }
            m
        };
        for (pointer, key) in pointers {
            for with in replacements(full) {
                let m = replace(pointer, with.clone());
                self.compare(label, &format!("{pointer} := {with}"), &m);
            }
            for (_, name) in self.named.iter().filter(|(field, _)| Some(field) == key.as_ref()) {
                let m = replace(pointer, json!(name));
                self.compare(label, &format!("{pointer} := {name:?}"), &m);
            }
            let Some(Value::Object(object)) = machine.pointer(pointer) else {
                continue;
            };
            for removed in object.keys() {
                let mut m = machine.clone();
                if let Some(Value::Object(o)) = m.pointer_mut(pointer) {
                    o.remove(removed);
                }
                self.compare(label, &format!("{pointer} without {removed:?}"), &m);
            }
            for (field, value) in additions() {
                let mut m = machine.clone();
                if let Some(Value::Object(o)) = m.pointer_mut(pointer) {
                    o.insert(field.to_string(), value.clone());
                }
                self.compare(label, &format!("{pointer} with {field:?}"), &m);
            }
        }
    }
}

#[test]
fn the_verdict_is_jsonschemas_on_every_definition_and_mutations_of_them() {
    let full = std::env::var("ASLKIT_EQUIVALENCE").is_ok_and(|v| v == "full");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("fixtures"), root.join("examples")];
    if let Ok(extra) = std::env::var("ASLKIT_EQUIVALENCE_DIRS") {
        dirs.extend(extra.split(':').filter(|d| !d.is_empty()).map(PathBuf::from));
    }
    let schema: Value = serde_json::from_str(SCHEMA_TEXT).expect("the schema is JSON");
    let theirs = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    let ours = build(SCHEMA_TEXT).expect("the schema is understood");
    let named = named_strings(&schema);
    let definitions = definitions(&dirs);
    let mut comparison = Comparison {
        ours: &ours,
        theirs: &theirs,
        named: &named,
        compared: 0,
        valid: 0,
        disagreements: Vec::new(),
    };
    let stride = if full { 1 } else { 10 };
    for (i, (label, machine)) in definitions.iter().enumerate() {
        comparison.mutate(label, machine, full, (i, stride));
    }
    eprintln!(
        "{} definitions, {} documents compared ({} valid), {} disagreements",
        definitions.len(),
        comparison.compared,
        comparison.valid,
        comparison.disagreements.len()
    );
    assert!(definitions.len() > 100, "only {} definitions found", definitions.len());
    // Both verdicts occur often, so a validator answering always yes (or no) would fail.
    assert!(comparison.valid > comparison.compared / 10 && comparison.valid < comparison.compared * 9 / 10);
    assert!(comparison.disagreements.is_empty(), "{:#?}", comparison.disagreements);
}
