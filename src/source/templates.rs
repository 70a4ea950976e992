//! State machines inside infrastructure-as-code templates: CloudFormation, SAM and the
//! Serverless Framework, in JSON or YAML.
//!
//! A file is a template when its root is not itself a definition (no `StartAt`, no `States`) and
//! it has `AWSTemplateFormatVersion`, `Resources` entries with a `Type`, or a Serverless
//! `stepFunctions.stateMachines` map. [`discover`] finds every machine in it, each named by its
//! logical id (or Serverless key) and located by a JSON Pointer from the template root:
//!
//! | where | pointer of the machine |
//! |---|---|
//! | `AWS::StepFunctions::StateMachine` `Definition` (an object) | `/Resources/X/Properties/Definition` |
//! | `AWS::StepFunctions::StateMachine` `DefinitionString` (JSON text: a string, `Fn::Sub`, `Fn::Join`) | `/Resources/X/Properties/DefinitionString` |
//! | `AWS::Serverless::StateMachine` `Definition` | `/Resources/X/Properties/Definition` |
//! | `AWS::Serverless::StateMachine` `DefinitionUri` (a local file) | the file is checked on its own, see [`Reference`] |
//! | Serverless `stepFunctions.stateMachines.<name>.definition` | `/stepFunctions/stateMachines/<name>/definition` |
//!
//! The nodes of a `DefinitionString` are addressed by the pointer of the `DefinitionString`
//! member followed by the pointer inside the parsed definition
//! (`/Resources/X/Properties/DefinitionString/States/Charge/Next`): the string is a value of the
//! template, so no RFC 6901 pointer reaches inside it, and this one reads the same way. Machines
//! defined in S3 (`DefinitionS3Location`, an `s3://` `DefinitionUri`) are not checked.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

use super::embedded::{self, Piece};
use super::{MachineRef, Origin};
use crate::model::MachineType;
use crate::pointer::child;

/// The tool a template is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    /// `AWS::StepFunctions::StateMachine`.
    CloudFormation,
    /// `AWS::Serverless::StateMachine` (SAM).
    Sam,
    /// `stepFunctions.stateMachines` of the Serverless Framework.
    Serverless,
    /// `aws_sfn_state_machine` resources of Terraform (see [`super::terraform`]).
    Terraform,
}

/// The keys of a machine's `DefinitionSubstitutions`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Substitutions {
    /// The property is not there: CloudFormation substitutes nothing.
    #[default]
    Absent,
    Keys(Vec<String>),
    /// The map is built by an intrinsic function: its keys are not known.
    Unknown,
}

/// How a template machine is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefinitionForm {
    /// An object in the template (`Definition`, Serverless `definition`).
    Object,
    /// JSON text in the template (`DefinitionString`).
    Text,
    /// A file of its own, named by the template (`DefinitionUri`).
    File,
}

/// What a template says about one of its machines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateMachine {
    pub kind: TemplateKind,
    pub form: DefinitionForm,
    /// `StateMachineType` (SAM and Serverless: `Type`/`type`) when it is a literal.
    pub machine_type: Option<MachineType>,
    pub substitutions: Substitutions,
    /// The Serverless Framework resolves `${self:…}`-style variables in the file before
    /// CloudFormation sees it.
    pub framework_variables: bool,
}

/// A definition file named by a template (`DefinitionUri: statemachine/order.asl.json`),
/// resolved next to the template and checked on its own with the template's context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub path: PathBuf,
    /// Named after the template's logical id, with pointer `""`.
    pub machine: MachineRef,
}

/// A machine whose definition is text to parse (`DefinitionString`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDefinition {
    pub name: String,
    pub pointer: String,
    pub pieces: Vec<Piece>,
}

/// Everything found in a template.
#[derive(Debug, Clone, Default)]
pub struct Discovery {
    pub machines: Vec<MachineRef>,
    pub texts: Vec<TextDefinition>,
    /// Definitions to check in place of what the template holds at a pointer (Serverless
    /// definitions with whole-value `${…}` variables, see [`variables_view`]).
    pub views: Vec<(String, Value)>,
    pub references: Vec<Reference>,
    /// Pointers of `DefinitionUri` (or Serverless `${file(…)}`) values that name a file outside
    /// the repository: reported, never read.
    pub outside: Vec<String>,
    /// Definitions named but not checked: missing files, definitions in S3.
    pub unchecked: Vec<Unchecked>,
}

/// A machine whose definition is named but cannot be checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    /// The node naming the definition (`/Resources/X/Properties/DefinitionUri`).
    pub pointer: String,
    pub machine: String,
    pub reason: UncheckedReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UncheckedReason {
    /// A local file that does not exist, with the name of one that does when only the case
    /// (or a typo) differs: `statemachine/Order.asl.json` on a case-sensitive file system.
    Missing { uri: String, suggestion: Option<String> },
    /// `s3://…`, `{Bucket, Key}`, `DefinitionS3Location`: aslkit never touches the network.
    InS3,
    /// A Terraform expression only Terraform evaluates (`data.template_file.x.rendered`), as
    /// written.
    Computed(String),
}

/// Whether a parsed file is an infrastructure-as-code template rather than a definition.
pub fn is_template(value: &Value) -> bool {
    let Some(root) = value.as_object() else {
        return false;
    };
    if root.contains_key("StartAt") || root.contains_key("States") {
        return false;
    }
    let typed_resources = |resources: Option<&Value>| {
        resources
            .and_then(Value::as_object)
            .is_some_and(|r| r.values().any(|v| v.get("Type").is_some_and(Value::is_string)))
    };
    root.contains_key("AWSTemplateFormatVersion")
        || typed_resources(root.get("Resources"))
        || typed_resources(value.pointer("/resources/Resources"))
        || value
            .pointer("/stepFunctions/stateMachines")
            .is_some_and(Value::is_object)
}

/// Finds the machines of a template (see the module docs). `origin` locates `DefinitionUri`
/// files.
pub fn discover(origin: &Origin, value: &Value) -> Discovery {
    let mut found = Discovery::default();
    let serverless = ["service", "provider", "stepFunctions"]
        .iter()
        .any(|k| value.get(k).is_some());
    for base in ["/Resources", "/resources/Resources"] {
        let Some(resources) = value.pointer(base).and_then(Value::as_object) else {
            continue;
        };
        for (id, resource) in resources {
            let pointer = child(base, id);
            resource_machine(origin, value, serverless, (id, &pointer), resource, &mut found);
        }
    }
    if let Some(machines) = value.pointer("/stepFunctions/stateMachines").and_then(Value::as_object) {
        for (name, machine) in machines {
            let pointer = child("/stepFunctions/stateMachines", name);
            serverless_machine(origin, name, &pointer, machine, &mut found);
        }
    }
    found
}

fn resource_machine(
    origin: &Origin,
    root: &Value,
    serverless: bool,
    (id, pointer): (&str, &str),
    resource: &Value,
    found: &mut Discovery,
) {
    let kind = match resource.get("Type").and_then(Value::as_str) {
        Some("AWS::StepFunctions::StateMachine") => TemplateKind::CloudFormation,
        Some("AWS::Serverless::StateMachine") => TemplateKind::Sam,
        _ => return,
    };
    let Some(properties) = resource.get("Properties").and_then(Value::as_object) else {
        return;
    };
    let type_field = match kind {
        TemplateKind::CloudFormation => "StateMachineType",
        _ => "Type",
    };
    let template = |form| TemplateMachine {
        kind,
        form,
        machine_type: machine_type(properties.get(type_field)),
        substitutions: substitutions(properties.get("DefinitionSubstitutions")),
        framework_variables: serverless,
    };
    let machine = |pointer: String, form| MachineRef {
        name: id.to_string(),
        pointer,
        template: Some(template(form)),
    };
    if let Some(definition) = properties.get("Definition") {
        if !is_intrinsic(definition) {
            let at = format!("{pointer}/Properties/Definition");
            // CloudFormation itself writes the object as JSON text before substituting, so a
            // `"${Timeout}"` stays a string; only the Serverless Framework puts typed values in.
            if let Some(view) = serverless.then(|| variables_view(definition)).flatten() {
                found.views.push((at.clone(), view));
            }
            found.machines.push(machine(at, DefinitionForm::Object));
        }
    } else if kind == TemplateKind::CloudFormation && properties.contains_key("DefinitionString") {
        let text = format!("{pointer}/Properties/DefinitionString");
        if let Some(pieces) = embedded::pieces(root, &text) {
            found.machines.push(machine(text.clone(), DefinitionForm::Text));
            found.texts.push(TextDefinition {
                name: id.to_string(),
                pointer: text,
                pieces,
            });
        }
    } else if let Some(uri) = properties.get("DefinitionUri") {
        let at = format!("{pointer}/Properties/DefinitionUri");
        match uri.as_str().map(|uri| (uri, local_file(origin, uri))) {
            Some((_, Local::Inside(path))) => found.references.push(Reference {
                path,
                machine: machine(String::new(), DefinitionForm::File),
            }),
            Some((_, Local::Outside)) => found.outside.push(at),
            Some((uri, Local::Missing(suggestion))) => found.unchecked.push(Unchecked {
                pointer: at,
                machine: id.to_string(),
                reason: UncheckedReason::Missing {
                    uri: uri.to_string(),
                    suggestion,
                },
            }),
            Some((_, Local::Remote)) => found.unchecked.push(in_s3(at, id)),
            // `{Bucket, Key, Version}`
            None if uri.is_object() && !is_intrinsic(uri) => found.unchecked.push(in_s3(at, id)),
            Some((_, Local::None)) | None => {}
        }
    } else if properties.contains_key("DefinitionS3Location") {
        found
            .unchecked
            .push(in_s3(format!("{pointer}/Properties/DefinitionS3Location"), id));
    }
}

fn in_s3(pointer: String, machine: &str) -> Unchecked {
    Unchecked {
        pointer,
        machine: machine.to_string(),
        reason: UncheckedReason::InS3,
    }
}

fn serverless_machine(origin: &Origin, name: &str, pointer: &str, machine: &Value, found: &mut Discovery) {
    let template = |form| TemplateMachine {
        kind: TemplateKind::Serverless,
        form,
        machine_type: machine_type(machine.get("type")),
        substitutions: Substitutions::Absent,
        framework_variables: true,
    };
    match machine.get("definition") {
        Some(Value::Object(definition)) => {
            let pointer = format!("{pointer}/definition");
            if let Some(view) = variables_view(&Value::Object(definition.clone())) {
                found.views.push((pointer.clone(), view));
            }
            found.machines.push(MachineRef {
                name: name.to_string(),
                pointer,
                template: Some(template(DefinitionForm::Object)),
            });
        }
        // `definition: ${file(./order.asl.json)}`
        Some(Value::String(s)) => {
            let file = s
                .strip_prefix("${file(")
                .and_then(|rest| rest.strip_suffix(")}"))
                .map(|f| f.trim().trim_matches(['\'', '"']));
            match file.map(|f| (f, local_file(origin, f))) {
                Some((_, Local::Inside(path))) => found.references.push(Reference {
                    path,
                    machine: MachineRef {
                        name: name.to_string(),
                        pointer: String::new(),
                        template: Some(template(DefinitionForm::File)),
                    },
                }),
                Some((_, Local::Outside)) => found.outside.push(format!("{pointer}/definition")),
                Some((uri, Local::Missing(suggestion))) => found.unchecked.push(Unchecked {
                    pointer: format!("{pointer}/definition"),
                    machine: name.to_string(),
                    reason: UncheckedReason::Missing {
                        uri: uri.to_string(),
                        suggestion,
                    },
                }),
                Some((_, Local::Remote | Local::None)) | None => {}
            }
        }
        _ => {}
    }
}

/// A definition with each string that is wholly a `${…}` variable replaced by an `Fn::Sub`
/// stand-in, for definitions whose variables are substituted as *values*, of whatever type:
/// the Serverless Framework's (`TimeoutSeconds: ${self:custom.timeout}` is a number then), and
/// `DefinitionSubstitutions` in a YAML file named by `DefinitionUri` (substituted in the text,
/// before the YAML is read). The string itself must not be judged. `None` when there is no such
/// string.
pub fn variables_view(definition: &Value) -> Option<Value> {
    fn walk(value: &mut Value) -> bool {
        match value {
            Value::String(s) if is_whole_variable(s) => {
                *value = crate::unknown::stand_in(s);
                true
            }
            Value::Array(items) => items.iter_mut().fold(false, |changed, v| walk(v) | changed),
            Value::Object(o) => o.values_mut().fold(false, |changed, v| walk(v) | changed),
            _ => false,
        }
    }
    let mut view = definition.clone();
    walk(&mut view).then_some(view)
}

fn is_whole_variable(s: &str) -> bool {
    let s = s.trim();
    (s.starts_with("${") || s.starts_with("#{")) && s.ends_with('}')
}

fn machine_type(value: Option<&Value>) -> Option<MachineType> {
    match value?.as_str()? {
        "STANDARD" => Some(MachineType::Standard),
        "EXPRESS" => Some(MachineType::Express),
        _ => None,
    }
}

fn substitutions(value: Option<&Value>) -> Substitutions {
    match value {
        None => Substitutions::Absent,
        Some(v) if is_intrinsic(v) => Substitutions::Unknown,
        Some(Value::Object(map)) => Substitutions::Keys(map.keys().cloned().collect()),
        Some(_) => Substitutions::Unknown,
    }
}

/// `{"Ref": …}`, `{"Fn::…": …}`: a value CloudFormation computes.
pub use crate::unknown::is_unknown as is_intrinsic;

/// Where a `DefinitionUri` (or Serverless `${file(…)}`, Terraform `file(…)`) leads.
pub(crate) enum Local {
    /// An existing file inside the repository, resolved next to the template.
    Inside(PathBuf),
    /// A file (existing or not) outside the repository: a template from a pull request must
    /// not make the linter read, or print, `../../../../etc/shadow`.
    Outside,
    /// A local file that does not exist, and an existing one whose name differs only in case
    /// or by a typo.
    Missing(Option<String>),
    /// An `s3://` location.
    Remote,
    /// Nothing to look for (an empty name).
    None,
}

/// Resolves a `DefinitionUri` next to the template, confined to the template's repository: the
/// nearest folder above it holding `.git`, or else the current directory when the template is
/// inside it, or else the template's own folder. Links are resolved before comparing.
pub(crate) fn local_file(origin: &Origin, uri: &str) -> Local {
    if uri.contains("://") {
        return Local::Remote;
    }
    if uri.is_empty() || uri.contains('\0') {
        return Local::None;
    }
    let base = match origin {
        Origin::File(path) => path.parent().map(Path::to_path_buf).unwrap_or_default(),
        Origin::Stdin => PathBuf::new(),
    };
    let joined = base.join(uri);
    // `./statemachine/x.json` next to `t.yaml` reads better as `statemachine/x.json`.
    let path: PathBuf = joined.components().filter(|c| *c != Component::CurDir).collect();
    let Some(root) = confinement_root(&base) else {
        return Local::None;
    };
    let escapes = Path::new(uri).is_absolute() || Path::new(uri).has_root();
    match std::fs::canonicalize(&path) {
        Ok(resolved) if !escapes && resolved.starts_with(&root) => {
            if resolved.is_file() {
                Local::Inside(path)
            } else {
                Local::Missing(None)
            }
        }
        Ok(_) => Local::Outside,
        // A missing file: outside when its path as written already leaves the root.
        Err(_) if escapes || !lexically_inside(&root, &path) => Local::Outside,
        Err(_) => Local::Missing(similar_file(&base, uri)),
    }
}

/// The name, as `uri` would write it, of an existing file that `uri` misses only by the case of
/// its letters (`Order.asl.json` for `order.asl.json`: fine on macOS, an error on Linux) or, in
/// the last part, by a typo.
fn similar_file(base: &Path, uri: &str) -> Option<String> {
    let mut dir = if base.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base.to_path_buf()
    };
    let parts: Vec<Component> = Path::new(uri).components().collect();
    let mut written = Vec::with_capacity(parts.len());
    for (i, part) in parts.iter().enumerate() {
        let Component::Normal(name) = part else {
            dir.push(part.as_os_str());
            written.push(part.as_os_str().to_string_lossy().into_owned());
            continue;
        };
        let name = name.to_string_lossy();
        let entries: Vec<String> = std::fs::read_dir(&dir)
            .ok()?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        let last = i + 1 == parts.len();
        let found = entries
            .iter()
            .find(|e| **e == name)
            .or_else(|| entries.iter().find(|e| e.to_lowercase() == name.to_lowercase()))
            .map(String::as_str)
            .or_else(|| {
                last.then(|| crate::suggest::closest(&name, entries.iter().map(String::as_str)))
                    .flatten()
            })?;
        dir.push(found);
        written.push(found.to_string());
    }
    let suggestion = written.join("/");
    (dir.is_file() && suggestion != uri).then_some(suggestion)
}

/// The folder a template's references must stay in (see [`local_file`]).
fn confinement_root(template_dir: &Path) -> Option<PathBuf> {
    let dir = if template_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        template_dir
    };
    let dir = std::fs::canonicalize(dir).ok()?;
    if let Some(repo) = dir.ancestors().find(|a| a.join(".git").exists()) {
        return Some(repo.to_path_buf());
    }
    match std::env::current_dir().and_then(std::fs::canonicalize) {
        Ok(cwd) if dir.starts_with(&cwd) => Some(cwd),
        _ => Some(dir),
    }
}

/// Whether `path` (relative to the current directory or absolute, not necessarily existing)
/// stays inside `root` once its `..` segments are applied.
fn lexically_inside(root: &Path, path: &Path) -> bool {
    let Ok(cwd) = std::env::current_dir().and_then(std::fs::canonicalize) else {
        return false;
    };
    let mut normal = PathBuf::new();
    for component in cwd.join(path).components() {
        match component {
            Component::ParentDir => {
                normal.pop();
            }
            Component::CurDir => {}
            other => normal.push(other),
        }
    }
    normal.starts_with(root)
}

/// A `${key}` placeholder for `DefinitionSubstitutions` in a template machine's definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// The string node holding it, in the document (a definition node, or a template string
    /// that a `DefinitionString` is made of).
    pub pointer: String,
    /// Character range of the whole placeholder in that string.
    pub chars: std::ops::Range<usize>,
    pub key: String,
    /// Whether the string is (part of) a `Resource` field.
    pub in_resource: bool,
}

/// The placeholders that `DefinitionSubstitutions` would fill in a template machine: every
/// `${key}` of its definition, except inside `Fn::Sub`, whose `${Name}`s CloudFormation resolves
/// itself (there only `${!key}`, which `Fn::Sub` writes as `${key}`, is one).
pub fn placeholders(root: &Value, machine: &MachineRef) -> Vec<Placeholder> {
    let mut out = Vec::new();
    let form = machine.template.as_ref().map(|t| t.form);
    if form == Some(DefinitionForm::Text) {
        for piece in embedded::pieces(root, &machine.pointer).unwrap_or_default() {
            if let Piece::Literal { pointer, sub } = piece {
                if let Some(s) = root.pointer(&pointer).and_then(Value::as_str) {
                    scan(s, &pointer, sub, false, &mut out);
                }
            }
        }
    } else if let Some(definition) = crate::pointer::lookup(root, &machine.pointer) {
        walk(definition, &machine.pointer, false, false, &mut out);
    }
    out
}

fn walk(value: &Value, pointer: &str, sub: bool, in_resource: bool, out: &mut Vec<Placeholder>) {
    let child = |token: &str| child(pointer, token);
    match value {
        Value::String(s) => scan(s, pointer, sub, in_resource, out),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{pointer}/{i}"), sub, in_resource, out);
            }
        }
        Value::Object(o) if is_intrinsic(value) => {
            for (name, arg) in o {
                match (name.as_str(), arg) {
                    ("Fn::Sub", Value::Array(a)) => {
                        if let Some(first) = a.first() {
                            walk(first, &format!("{}/0", child(name)), true, in_resource, out);
                        }
                    }
                    ("Fn::Sub", _) => walk(arg, &child(name), true, in_resource, out),
                    _ => walk(arg, &child(name), sub, in_resource, out),
                }
            }
        }
        Value::Object(o) => {
            for (key, v) in o {
                walk(v, &child(key), sub, key == "Resource", out);
            }
        }
        _ => {}
    }
}

fn scan(s: &str, pointer: &str, sub: bool, in_resource: bool, out: &mut Vec<Placeholder>) {
    let opening = if sub { "${!" } else { "${" };
    let mut from = 0;
    while let Some(at) = s[from..].find(opening).map(|i| from + i) {
        let Some(close) = s[at..].find('}').map(|i| at + i) else {
            break;
        };
        let start = s[..at].chars().count();
        let len = s[at..=close].chars().count();
        out.push(Placeholder {
            pointer: pointer.to_string(),
            chars: start..start + len,
            key: s[at + opening.len()..close].to_string(),
            in_resource,
        });
        from = close + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn origin() -> Origin {
        Origin::File(PathBuf::from("t.json"))
    }

    #[test]
    fn recognises_templates_but_not_definitions() {
        assert!(is_template(&json!({"AWSTemplateFormatVersion": "2010-09-09"})));
        assert!(is_template(&json!({"Resources": {"A": {"Type": "AWS::SNS::Topic"}}})));
        assert!(is_template(&json!({"stepFunctions": {"stateMachines": {}}})));
        assert!(!is_template(
            &json!({"StartAt": "A", "States": {}, "Resources": {"A": {"Type": "x"}}})
        ));
        assert!(!is_template(&json!({"Resources": {"A": 1}})));
    }

    #[test]
    fn finds_every_kind_of_machine() {
        let template = json!({"Resources": {
            "A": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"Definition": {"StartAt": "X"}, "StateMachineType": "EXPRESS"}},
            "B": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Sub": "{}"}, "DefinitionSubstitutions": {"K": "v"}}},
            "C": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionS3Location": {"Bucket": "b"}}},
            "D": {"Type": "AWS::Serverless::StateMachine", "Properties": {"DefinitionUri": "s3://b/k"}},
            "E": {"Type": "AWS::SNS::Topic"}}});
        let found = discover(&origin(), &template);
        let names: Vec<_> = found
            .machines
            .iter()
            .map(|m| (m.name.as_str(), m.pointer.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("A", "/Resources/A/Properties/Definition"),
                ("B", "/Resources/B/Properties/DefinitionString")
            ]
        );
        let a = found.machines[0].template.as_ref().unwrap();
        assert_eq!(a.machine_type, Some(MachineType::Express));
        let b = found.machines[1].template.as_ref().unwrap();
        assert_eq!(b.substitutions, Substitutions::Keys(vec!["K".into()]));
        assert_eq!(found.texts.len(), 1);
        assert!(found.references.is_empty());
    }

    #[test]
    fn placeholders_outside_and_inside_fn_sub() {
        let template = json!({"Resources": {"M": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
            "DefinitionSubstitutions": {"A": "x"},
            "Definition": {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "é${A}", "End": true,
                "Parameters": {"X": {"Fn::Sub": "${AWS::Region}${!B}"}}}}}}}}});
        let found = discover(&origin(), &template);
        let keys: Vec<_> = placeholders(&template, &found.machines[0])
            .into_iter()
            .map(|p| (p.key, p.chars, p.in_resource))
            .collect();
        assert_eq!(keys, [("A".to_string(), 1..5, true), ("B".to_string(), 14..19, false)]);
    }

    #[test]
    fn serverless_machines_and_whole_variables() {
        let template = json!({"stepFunctions": {"stateMachines": {"hello": {"type": "EXPRESS", "definition": {
            "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": "${self:custom.wait}", "End": true}}}}}}});
        let found = discover(&origin(), &template);
        assert_eq!(
            found.machines[0].pointer,
            "/stepFunctions/stateMachines/hello/definition"
        );
        let (pointer, view) = &found.views[0];
        assert_eq!(pointer, "/stepFunctions/stateMachines/hello/definition");
        assert_eq!(
            view.pointer("/States/W/Seconds"),
            Some(&json!({"Fn::Sub": "${self:custom.wait}"}))
        );
    }
}
