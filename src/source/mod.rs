//! Loading documents: bytes in, a [`Document`] (text, value, span index, machines) out.
//!
//! Everything about *where* things are in the text lives here and in `report/`; rules only ever
//! see JSON Pointers. A problem that prevents building a tree (not UTF-8, not JSON, too large) is
//! returned as a [`LoadFailure`] holding ready-made diagnostics, so a bad file is reported like
//! any other and never stops the run.
//!
//! A CloudFormation, SAM or Serverless template is loaded the same way; [`templates`] then finds
//! its machines, and a definition written as JSON text (`DefinitionString`) is parsed into an
//! [`Embedded`] definition whose nodes the span index locates in the template ([`embedded`],
//! [`offsets`]). A Terraform file (`.tf`) is read by [`terraform`] into the same shape: a value
//! holding its `aws_sfn_state_machine` definitions, every node located in the `.tf` text.

pub mod embedded;
pub mod json;
pub mod lines;
pub mod offsets;
pub mod owner;
pub mod select;
pub mod spans;
pub mod substitution;
pub mod templates;
pub mod terraform;
pub mod yaml;
pub mod yaml_lenient;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostic::Diagnostic;
pub use lines::LineIndex;
pub use spans::{NodeSpan, SpanIndex};

/// AWS's maximum definition size (1 MiB, on the UTF-8 encoded definition).
pub const AWS_MAX_DEFINITION_BYTES: usize = 1024 * 1024;

/// Files larger than this are not even read into memory: they cannot be a state machine AWS accepts.
pub const MAX_READ_BYTES: u64 = 64 * 1024 * 1024;

/// Where a document came from, as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Stdin,
}

impl Origin {
    /// The name shown in reports: the path as given, or `<stdin>`.
    pub fn display(&self) -> String {
        match self {
            Origin::File(p) => p.display().to_string(),
            Origin::Stdin => "<stdin>".to_string(),
        }
    }
}

/// A state machine found in a document: a plain ASL file holds one at pointer `""`; a template
/// may hold several, each under its own pointer (see [`templates`]).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct MachineRef {
    pub name: String,
    pub pointer: String,
    /// What the template says about the machine; `None` for a plain definition file.
    #[serde(skip)]
    pub template: Option<templates::TemplateMachine>,
}

/// A definition checked in place of what the document holds at `pointer`: the parsed text of a
/// `DefinitionString`, or a Serverless definition with its variables stood in for.
#[derive(Debug, Clone)]
pub struct Embedded {
    pub pointer: String,
    /// `None` when the text does not parse (reported, or left alone, at load).
    pub value: Option<Value>,
    /// The JSON text, for definitions written as text; locates their nodes.
    pub text: Option<embedded::Assembled>,
}

/// A parsed document with everything needed to locate any node.
#[derive(Debug, Clone)]
pub struct Document {
    pub origin: Origin,
    /// The text the user wrote (without a UTF-8 BOM).
    pub text: String,
    pub syntax: Syntax,
    /// How the text was read (a definition file a template names is text with substitutions).
    pub reading: Reading,
    pub value: Value,
    /// Built on first use: most files have nothing to report, and for them the index (a pointer
    /// string per node) would be the most expensive part of loading.
    spans: std::sync::OnceLock<SpanIndex>,
    pub machines: Vec<MachineRef>,
    /// Definitions that stand in for what `value` holds at their pointer.
    pub embedded: Vec<Embedded>,
    /// Definition files named by the template, to check with it.
    pub references: Vec<templates::Reference>,
    /// Findings made while loading (duplicate keys) that do not prevent checking.
    pub load_diagnostics: Vec<Diagnostic>,
}

impl Document {
    /// JSON Pointer → byte ranges of every node, parsing the text again the first time it is
    /// asked for (the text parsed once already, so it parses again).
    pub fn spans(&self) -> &SpanIndex {
        self.spans.get_or_init(|| {
            let mut spans = span_index(&self.text, self.syntax, self.reading).unwrap_or_default();
            locate_embedded(&self.text, &self.value, &mut spans, &self.embedded);
            spans
        })
    }

    /// The definition of a machine: what the document holds at its pointer, or what stands in
    /// for it (a parsed `DefinitionString`). `None` when there is nothing to check.
    pub fn machine_value(&self, machine: &MachineRef) -> Option<&Value> {
        match self.embedded.iter().find(|e| e.pointer == machine.pointer) {
            Some(e) => e.value.as_ref(),
            None => crate::pointer::lookup(&self.value, &machine.pointer),
        }
    }

    /// Whether a directory scan should report this file: a definition, or a template with
    /// machines in it.
    pub fn has_machines(&self) -> bool {
        // A template naming definitions that cannot be checked says so.
        let unchecked = |d: &Diagnostic| matches!(d.code, codes::FILE_NOT_FOUND | codes::NOT_CHECKED);
        if self.load_diagnostics.iter().any(unchecked) {
            return true;
        }
        match self.machines.first() {
            Some(m) if m.template.is_none() => looks_like_machine(&self.value),
            first => first.is_some(),
        }
    }

    /// The text, and the span index when `with_spans` (built now if it was not yet).
    pub fn into_text_and_spans(self, with_spans: bool) -> (String, Option<SpanIndex>) {
        let (text, _, spans) = self.into_report_parts(with_spans);
        (text, spans)
    }

    /// What a report keeps of a checked document: the text, the machines, and the span index
    /// when `with_spans` (built now if it was not yet). The value tree is dropped.
    pub fn into_report_parts(self, with_spans: bool) -> (String, Vec<MachineRef>, Option<SpanIndex>) {
        if with_spans {
            self.spans();
        }
        (self.text, self.machines, self.spans.into_inner().filter(|_| with_spans))
    }
}

/// A document that could not be parsed: its text (when it is text) and the reasons.
#[derive(Debug, Clone)]
pub struct LoadFailure {
    pub origin: Origin,
    /// The text, when there is any to show a caret in.
    pub text: Option<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The outcome of loading one input.
#[derive(Debug, Clone)]
pub enum Loaded {
    Document(Box<Document>),
    Failed(LoadFailure),
}

impl Loaded {
    pub fn origin(&self) -> &Origin {
        match self {
            Loaded::Document(d) => &d.origin,
            Loaded::Failed(f) => &f.origin,
        }
    }
}

/// Load codes (the ASL0xx family), used here and documented in the rule registry.
pub mod codes {
    pub const IO_ERROR: &str = "ASL000";
    pub const SYNTAX_ERROR: &str = "ASL001";
    pub const DUPLICATE_KEY: &str = "ASL002";
    pub const TOO_LARGE: &str = "ASL003";
    pub const NOT_AN_OBJECT: &str = "ASL004";
    /// A definition file a template names that is YAML, not JSON (read by CloudFormation's
    /// YAML fallback).
    pub const NOT_JSON: &str = "ASL007";
    /// A template machine whose definition is in S3.
    pub const NOT_CHECKED: &str = "ASL006";
    /// A template machine whose definition file does not exist.
    pub const FILE_NOT_FOUND: &str = "ASL008";
    /// A bug in aslkit met while checking a file (reported on that file, not a crash).
    pub const INTERNAL_ERROR: &str = "ASL009";
}

/// Loads a definition file named by a template (`DefinitionUri`, `${file(…)}`) as that
/// template's machine: named after it, with its type and `DefinitionSubstitutions`.
pub fn load_reference(reference: &templates::Reference) -> Loaded {
    let template = reference.machine.template.as_ref();
    // CloudFormation substitutes in the text before it parses (see [`substitution`]); the
    // Serverless Framework resolves its variables in the file too.
    let substituted =
        template.is_some_and(|t| t.framework_variables || t.substitutions != templates::Substitutions::Absent);
    let reading = if substituted {
        Reading::Substituted
    } else {
        Reading::Plain
    };
    let mut doc = match load_path_as(&reference.path, reading) {
        Loaded::Document(doc) => doc,
        // A template can name any file of the repository; one that does not even look like a
        // definition is reported without showing its lines (it may hold secrets).
        Loaded::Failed(mut failure) => {
            if !failure.text.as_deref().is_some_and(mentions_machine) {
                failure.text = None;
            }
            return Loaded::Failed(failure);
        }
    };
    if let [machine] = doc.machines.as_mut_slice() {
        if machine.template.is_none() {
            *machine = reference.machine.clone();
        }
    }
    // In YAML a whole-value `${Timeout}` is read as a string and becomes a number once
    // substituted; the Serverless Framework puts its variables' values in whatever the syntax.
    let typed_variables =
        template.is_some_and(|t| t.framework_variables || (substituted && doc.syntax == Syntax::Yaml));
    if typed_variables {
        let read = doc.embedded.iter().position(|e| e.pointer.is_empty());
        let base = read.and_then(|i| doc.embedded[i].value.as_ref()).unwrap_or(&doc.value);
        if let Some(view) = templates::variables_view(base) {
            doc.embedded.retain(|e| !e.pointer.is_empty());
            doc.embedded.push(Embedded {
                pointer: String::new(),
                value: Some(view),
                text: None,
            });
        }
    }
    Loaded::Document(doc)
}

/// The largest template read (CloudFormation's own limit is 1 MB; CDK and SAM sources before
/// packaging run larger): its machines' definitions are then held to AWS's 1 MiB each.
pub const MAX_TEMPLATE_BYTES: usize = 16 * 1024 * 1024;

/// Whether a text names a state machine resource of a template.
fn mentions_template(text: &str) -> bool {
    text.contains("AWS::StepFunctions::StateMachine")
        || text.contains("AWS::Serverless::StateMachine")
        || text.contains("stateMachines")
}

/// Whether unparsable text found in a directory scan still looks like it was meant to be a
/// state machine, or a template holding one (and so deserves a report rather than being
/// skipped).
pub fn mentions_machine(text: &str) -> bool {
    (text.contains("StartAt") && text.contains("States"))
        || text.contains(terraform::RESOURCE)
        || text.contains("AWS::StepFunctions::StateMachine")
        || text.contains("AWS::Serverless::StateMachine")
        || (text.contains("stepFunctions") && text.contains("stateMachines"))
}

/// Reads and parses a file.
pub fn load_path(path: &Path) -> Loaded {
    load_path_as(path, Reading::Plain)
}

/// Reads and parses a file, read as `reading` says.
pub fn load_path_as(path: &Path, reading: Reading) -> Loaded {
    let origin = Origin::File(path.to_path_buf());
    match read_bounded(path) {
        Ok(bytes) => load_bytes_as(origin, bytes, reading),
        Err((code, message)) => {
            let mut diagnostic = Diagnostic::new(code, message);
            if code == codes::TOO_LARGE {
                diagnostic = diagnostic.aws_code("SCHEMA_VALIDATION_FAILED");
            }
            Loaded::Failed(LoadFailure {
                origin,
                text: None,
                diagnostics: vec![diagnostic],
            })
        }
    }
}

/// The file's bytes, or why not: [`codes::IO_ERROR`] when it cannot be read,
/// [`codes::TOO_LARGE`] (as for any definition over AWS's limit) when it is over
/// [`MAX_READ_BYTES`].
fn read_bounded(path: &Path) -> Result<Vec<u8>, (&'static str, String)> {
    let io = |e: String| (codes::IO_ERROR, e);
    read_bounded_text(path).map_err(|(too_large, e)| if too_large { (codes::TOO_LARGE, e) } else { io(e) })
}

fn read_bounded_text(path: &Path) -> Result<Vec<u8>, (bool, String)> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| (false, format!("cannot read {}: {}", path.display(), io_reason(&e)));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    if meta.is_dir() {
        return Err((false, format!("cannot read {}: it is a directory", path.display())));
    }
    let too_large = |size: u64| {
        (
            true,
            format!(
                "{} is {}, far over AWS's 1 MiB definition limit; not read",
                path.display(),
                human_size(size as usize)
            ),
        )
    };
    if meta.len() > MAX_READ_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_READ_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_READ_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Whether bytes are UTF-16 text, and in which byte order: a byte order mark, or the NUL
/// bytes every other byte that ASCII text in UTF-16 has.
pub fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some("little-endian"),
        [0xFE, 0xFF, ..] => return Some("big-endian"),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(256) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let nul_at = |odd: usize| head.iter().skip(odd).step_by(2).filter(|b| **b == 0).count();
    if nul_at(1) == pairs && nul_at(0) == 0 {
        Some("little-endian")
    } else if nul_at(0) == pairs && nul_at(1) == 0 {
        Some("big-endian")
    } else {
        None
    }
}

/// Text for deciding whether a file mentions a state machine: UTF-8 (lossily), or UTF-16
/// decoded.
pub fn sniff_text(bytes: &[u8]) -> String {
    match utf16(bytes) {
        Some(order) => {
            let units = bytes.chunks_exact(2).map(|p| {
                if order == "big-endian" {
                    u16::from_be_bytes([p[0], p[1]])
                } else {
                    u16::from_le_bytes([p[0], p[1]])
                }
            });
            char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect()
        }
        None => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// Formats a byte count the way people read it.
pub fn human_size(bytes: usize) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{:.1} KiB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} bytes")
    }
}

/// How a file's text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reading {
    /// As the Step Functions API reads a definition (and CloudFormation a template).
    #[default]
    Plain,
    /// As CloudFormation reads a definition file a template names: text with substitutions,
    /// JSON or else YAML (see [`substitution`]).
    Substituted,
}

/// The span index of a text, read as it was when loaded (it parsed then).
fn span_index(text: &str, syntax: Syntax, reading: Reading) -> Result<SpanIndex, json::SyntaxError> {
    match (syntax, reading) {
        (Syntax::Json, Reading::Substituted) => substitution::parse_json(text).map(|read| read.parsed.spans),
        (Syntax::Json, Reading::Plain) => json::spans(text),
        (Syntax::Yaml, _) => yaml::parse(text).map(|p| p.spans),
        (Syntax::Terraform, _) => terraform::read(text).map(|read| read.parsed.spans),
    }
}

/// Parses bytes already read (from a file or standard input).
pub fn load_bytes(origin: Origin, bytes: Vec<u8>) -> Loaded {
    load_bytes_as(origin, bytes, Reading::Plain)
}

/// Parses bytes already read, read as `reading` says.
pub fn load_bytes_as(origin: Origin, bytes: Vec<u8>, reading: Reading) -> Loaded {
    let fail = |text: Option<String>, d: Diagnostic| {
        Loaded::Failed(LoadFailure {
            origin: origin.clone(),
            text,
            diagnostics: vec![d],
        })
    };
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    if let Some(order) = utf16(&bytes) {
        return fail(
            None,
            Diagnostic::new(
                codes::SYNTAX_ERROR,
                format!("the file is UTF-16 ({order}) text; AWS reads definitions as UTF-8 only"),
            )
            .help("re-save the file as UTF-8 (without a byte order mark)")
            .aws_code("INVALID_JSON_DESCRIPTION"),
        );
    }
    if memchr::memchr(0, &bytes).is_some() {
        return fail(
            None,
            Diagnostic::new(
                codes::SYNTAX_ERROR,
                "this is a binary file, not JSON: it contains NUL bytes",
            )
            .aws_code("INVALID_JSON_DESCRIPTION"),
        );
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Lossy decoding replaces each bad sequence by U+FFFD: the offset of the first one is
            // the same in both texts because everything before it is valid.
            return fail(
                Some(text),
                Diagnostic::new(codes::SYNTAX_ERROR, "the file is not valid UTF-8")
                    .at_offset(offset, offset + 1)
                    .label("invalid byte sequence here")
                    .help("AWS accepts definitions as UTF-8 text only; re-save the file as UTF-8")
                    .aws_code("INVALID_JSON_DESCRIPTION"),
            );
        }
    };
    let too_large = |size: usize| {
        Diagnostic::new(
            codes::TOO_LARGE,
            format!(
                "the definition is {}, over AWS's 1 MiB limit for a state machine definition",
                human_size(size)
            ),
        )
        .help("move large constants out of the definition (e.g. into S3 or the execution input); nothing else in this file was checked")
        .aws_code("SCHEMA_VALIDATION_FAILED")
    };
    // A template is judged by its machines' definitions, not by its own size (CDK synthesises
    // large templates around small definitions); a file that cannot be one is refused unread.
    let may_be_template = || text.len() <= MAX_TEMPLATE_BYTES && mentions_template(&text);
    if text.len() > AWS_MAX_DEFINITION_BYTES && !may_be_template() {
        return fail(None, too_large(text.len()));
    }
    if text.trim().is_empty() {
        return fail(
            Some(text),
            Diagnostic::new(
                codes::SYNTAX_ERROR,
                "the file is empty: expected a state machine definition",
            )
            .at_offset(0, 0)
            .aws_code("SCHEMA_VALIDATION_FAILED"),
        );
    }
    let syntax = Syntax::of(&origin, &text);
    if syntax == Syntax::Terraform {
        return terraform_document(origin, text);
    }
    let mut view = None;
    let mut not_json = None;
    let result = match (syntax, reading) {
        (Syntax::Json, Reading::Substituted) => substitution::parse_json(&text).map(|read| {
            view = read.view;
            not_json = read.not_json;
            read.parsed
        }),
        (Syntax::Json, Reading::Plain) => json::parse_without_spans(&text).and_then(|fast| {
            // Duplicate keys are reported with pointers, which only the full parse builds.
            if fast.duplicates.is_empty() {
                Ok(fast)
            } else {
                json::parse(&text)
            }
        }),
        (Syntax::Yaml | Syntax::Terraform, _) => yaml::parse(&text),
    };
    let parsed = match result {
        Ok(p) => p,
        Err(e) => {
            let offset = end_of_input_adjusted(&text, e.offset);
            let e = json::SyntaxError { offset, ..e };
            let end = next_char_end(&text, e.offset);
            return fail(
                Some(text),
                Diagnostic::new(codes::SYNTAX_ERROR, format!("invalid {}: {}", syntax.name(), e.message))
                    .at_offset(e.offset, end)
                    .aws_code("INVALID_JSON_DESCRIPTION"),
            );
        }
    };
    let mut load_diagnostics: Vec<Diagnostic> = parsed
        .duplicates
        .iter()
        .map(|d| duplicate_key_diagnostic(&d.pointer).with_byte_label(d.first.start, d.first.end, "first defined here"))
        .collect();
    if let Some(e) = not_json {
        load_diagnostics.push(not_json_diagnostic(&text, &e));
    }
    let mut doc = Document {
        origin,
        text,
        syntax,
        reading,
        value: parsed.value,
        spans: std::sync::OnceLock::new(),
        machines: Vec::new(),
        embedded: Vec::new(),
        references: Vec::new(),
        load_diagnostics,
    };
    let template_spans = discover_machines(&mut doc, parsed.spans);
    if doc.text.len() > AWS_MAX_DEFINITION_BYTES && !templates::is_template(&doc.value) {
        return Loaded::Failed(LoadFailure {
            origin: doc.origin,
            text: None,
            diagnostics: vec![too_large(doc.text.len())],
        });
    }
    if let Some(spans) = template_spans.filter(|s| !s.is_empty()) {
        let mut spans = spans;
        locate_embedded(&doc.text, &doc.value, &mut spans, &doc.embedded);
        let _ = doc.spans.set(spans);
    }
    if let Some(view) = view {
        doc.embedded.push(Embedded {
            pointer: String::new(),
            value: Some(view),
            text: None,
        });
    }
    Loaded::Document(Box::new(doc))
}

/// A Terraform file's state machines (see [`terraform`]).
fn terraform_document(origin: Origin, text: String) -> Loaded {
    let read = match terraform::read(&text) {
        Ok(read) => read,
        Err(e) => {
            let offset = end_of_input_adjusted(&text, e.offset);
            let end = next_char_end(&text, offset);
            return Loaded::Failed(LoadFailure {
                origin,
                text: Some(text),
                diagnostics: vec![
                    Diagnostic::new(codes::SYNTAX_ERROR, format!("invalid HCL: {}", e.message)).at_offset(offset, end),
                ],
            });
        }
    };
    let mut doc = Document {
        origin,
        text,
        syntax: Syntax::Terraform,
        reading: Reading::Plain,
        value: read.parsed.value,
        spans: std::sync::OnceLock::new(),
        machines: Vec::new(),
        embedded: Vec::new(),
        references: Vec::new(),
        load_diagnostics: read
            .errors
            .into_iter()
            .map(|(message, range)| {
                Diagnostic::new(codes::SYNTAX_ERROR, message)
                    .at_offset(range.start, range.end)
                    .aws_code("INVALID_JSON_DESCRIPTION")
            })
            .collect(),
    };
    let _ = doc.spans.set(read.parsed.spans);
    for machine in read.machines {
        let template = |form, substitutions| templates::TemplateMachine {
            kind: templates::TemplateKind::Terraform,
            form,
            machine_type: machine.machine_type,
            substitutions,
            framework_variables: false,
        };
        let inline = |template| MachineRef {
            name: machine.name.clone(),
            pointer: machine.pointer.clone(),
            template: Some(template),
        };
        match machine.definition {
            terraform::Definition::Inline => doc.machines.push(inline(template(
                templates::DefinitionForm::Object,
                templates::Substitutions::Absent,
            ))),
            terraform::Definition::Invalid => {
                doc.embedded.push(Embedded {
                    pointer: machine.pointer.clone(),
                    value: None,
                    text: None,
                });
                doc.machines.push(inline(template(
                    templates::DefinitionForm::Text,
                    templates::Substitutions::Absent,
                )));
            }
            terraform::Definition::File { name, variables } => {
                let substitutions = match variables {
                    None => templates::Substitutions::Absent,
                    Some(keys) if keys.is_empty() => templates::Substitutions::Unknown,
                    Some(keys) => templates::Substitutions::Keys(keys),
                };
                let machine_ref = MachineRef {
                    name: machine.name.clone(),
                    pointer: String::new(),
                    template: Some(template(templates::DefinitionForm::File, substitutions)),
                };
                match templates::local_file(&doc.origin, &name) {
                    templates::Local::Inside(path) => doc.references.push(templates::Reference {
                        path,
                        machine: machine_ref,
                    }),
                    templates::Local::Outside => doc.load_diagnostics.push(outside_diagnostic(machine.pointer)),
                    templates::Local::Missing(suggestion) => {
                        doc.load_diagnostics.push(unchecked_diagnostic(templates::Unchecked {
                            pointer: machine.pointer,
                            machine: machine.name,
                            reason: templates::UncheckedReason::Missing { uri: name, suggestion },
                        }))
                    }
                    templates::Local::Remote | templates::Local::None => {}
                }
            }
            terraform::Definition::Computed(written) => {
                doc.load_diagnostics.push(unchecked_diagnostic(templates::Unchecked {
                    pointer: machine.pointer,
                    machine: machine.name,
                    reason: templates::UncheckedReason::Computed(written),
                }))
            }
        }
    }
    Loaded::Document(Box::new(doc))
}

fn outside_diagnostic(pointer: String) -> Diagnostic {
    Diagnostic::new(
        codes::IO_ERROR,
        "this names a file outside the repository, which aslkit does not read",
    )
    .at_value(pointer)
    .label("outside the repository")
    .help("keep the definition file inside the repository (the folder holding `.git`) and name it relative to the template")
}

/// A machine whose definition file is missing (an error: `sam package` fails), or in S3 (not
/// checked: aslkit never touches the network).
fn unchecked_diagnostic(unchecked: templates::Unchecked) -> Diagnostic {
    use templates::UncheckedReason;
    let name = unchecked.machine;
    match unchecked.reason {
        UncheckedReason::Missing { uri, suggestion } => Diagnostic::new(
            codes::FILE_NOT_FOUND,
            format!("the definition of {name} names `{uri}`, which does not exist"),
        )
        .at_value(unchecked.pointer)
        .label("no such file next to the template")
        .maybe_help(suggestion.as_ref().map(|s| format!("did you mean \"{s}\"?")))
        .maybe_note(suggestion.filter(|s| s.to_lowercase() == uri.to_lowercase()).map(|_| {
            "file names are case-sensitive on Linux (CI, `sam build`), even when they are not on macOS or Windows"
                .to_string()
        })),
        UncheckedReason::InS3 => Diagnostic::new(
            codes::NOT_CHECKED,
            format!("the definition of {name} is in S3, so it was not checked"),
        )
        .severity(crate::diagnostic::Severity::Info)
        .at_value(unchecked.pointer)
        .label("not read: aslkit never touches the network")
        .help("check the file before it is uploaded: name the local file with `DefinitionUri`, or run aslkit on it"),
        UncheckedReason::Computed(written) => {
            let written = written.split_whitespace().collect::<Vec<_>>().join(" ");
            let shown: String = written.chars().take(60).collect();
            let ellipsis = if shown.len() < written.len() { "…" } else { "" };
            Diagnostic::new(
                codes::NOT_CHECKED,
                format!(
                    "the definition of {name} is computed by Terraform (`{}{ellipsis}`), so it was not checked",
                    shown
                ),
            )
            .severity(crate::diagnostic::Severity::Info)
            .at_value(unchecked.pointer)
            .label("not evaluated: only Terraform knows this value")
            .help("write the definition with `jsonencode({…})`, a heredoc, `file(…)` or `templatefile(…)` so that aslkit can check it")
        }
    }
}

/// A definition file that only CloudFormation's YAML fallback reads (a trailing comma).
fn not_json_diagnostic(text: &str, e: &json::SyntaxError) -> Diagnostic {
    let offset = end_of_input_adjusted(text, e.offset);
    let before = text[..offset].trim_end();
    let closing = matches!(text.as_bytes().get(offset), Some(b'}' | b']'));
    let (what, start, end) = if closing && before.ends_with(',') {
        (
            "a trailing comma is not JSON".to_string(),
            before.len() - 1,
            before.len(),
        )
    } else {
        (format!("not JSON ({})", e.message), offset, next_char_end(text, offset))
    };
    Diagnostic::new(
        codes::NOT_JSON,
        format!(
            "{what}; CloudFormation accepts it through its YAML fallback, the Step Functions API and console do not"
        ),
    )
    .severity(crate::diagnostic::Severity::Warning)
    .at_offset(start, end)
    .label("not JSON")
    .help("make the file JSON so that every tool reads it the same way")
}

fn next_char_end(text: &str, offset: usize) -> usize {
    text.get(offset..)
        .and_then(|r| r.chars().next())
        .map_or(offset, |c| offset + c.len_utf8())
}

/// The surface syntax of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
    /// HCL: a Terraform `.tf` file.
    Terraform,
}

impl Syntax {
    /// `.yaml`/`.yml` files are YAML; standard input is YAML unless it starts like JSON; every
    /// other file is JSON.
    pub fn of(origin: &Origin, text: &str) -> Syntax {
        match origin {
            Origin::File(path) => match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) {
                Some(ext) if ext == "yaml" || ext == "yml" => Syntax::Yaml,
                Some(ext) if ext == "tf" => Syntax::Terraform,
                _ => Syntax::Json,
            },
            Origin::Stdin => match text.trim_start().chars().next() {
                Some('{' | '[') | None => Syntax::Json,
                _ => Syntax::Yaml,
            },
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Syntax::Json => "JSON",
            Syntax::Yaml => "YAML",
            Syntax::Terraform => "HCL",
        }
    }
}

/// Whether a value looks like a state machine (an object with `StartAt` or `States`); used to
/// skip unrelated JSON files in directory scans.
pub fn looks_like_machine(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.contains_key("StartAt") || o.contains_key("States"))
}

/// Fills in the machines of a freshly parsed document; returns the span index of the text as
/// written (without embedded definitions), building it when a problem in an embedded definition
/// needs locating.
fn discover_machines(doc: &mut Document, spans: SpanIndex) -> Option<SpanIndex> {
    if !templates::is_template(&doc.value) {
        doc.machines = vec![MachineRef {
            name: machine_name(&doc.origin),
            pointer: String::new(),
            template: None,
        }];
        return Some(spans);
    }
    let found = templates::discover(&doc.origin, &doc.value);
    // A repeated key elsewhere in a template (a parameter, another resource) is not ours to
    // report.
    doc.load_diagnostics.retain(|d| {
        d.pointer().is_some_and(|p| {
            found.machines.iter().any(|m| {
                p.strip_prefix(&m.pointer)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        })
    });
    doc.machines = found.machines;
    doc.references = found.references;
    for machine in &doc.machines {
        let size = crate::pointer::lookup(&doc.value, &machine.pointer).map_or(0, |v| match v {
            Value::String(text) => text.len(),
            other => serde_json::to_string(other).map_or(0, |t| t.len()),
        });
        if size > AWS_MAX_DEFINITION_BYTES {
            doc.load_diagnostics.push(
                Diagnostic::new(
                    codes::TOO_LARGE,
                    format!(
                        "the definition of {} is {}, over AWS's 1 MiB limit for a state machine definition",
                        machine.name,
                        human_size(size)
                    ),
                )
                .at_value(machine.pointer.clone())
                .aws_code("SCHEMA_VALIDATION_FAILED"),
            );
        }
    }
    for unchecked in found.unchecked {
        doc.load_diagnostics.push(unchecked_diagnostic(unchecked));
    }
    for pointer in found.outside {
        doc.load_diagnostics.push(outside_diagnostic(pointer));
    }
    doc.embedded = found
        .views
        .into_iter()
        .map(|(pointer, value)| Embedded {
            pointer,
            value: Some(value),
            text: None,
        })
        .collect();
    let mut spans = Some(spans).filter(|s| !s.is_empty());
    for definition in found.texts {
        let assembled = embedded::assemble(&doc.value, &definition.pieces);
        let mut value = None;
        match json::parse_without_spans(&assembled.text) {
            Ok(parsed) => {
                let duplicates = if parsed.duplicates.is_empty() {
                    Vec::new()
                } else {
                    json::parse(&assembled.text).map(|p| p.duplicates).unwrap_or_default()
                };
                if !duplicates.is_empty() {
                    let spans = spans.get_or_insert_with(|| written_spans(doc));
                    let located = embedded::EmbeddedSpans::new(
                        &doc.text,
                        &doc.value,
                        spans,
                        &definition.pointer,
                        assembled.clone(),
                    );
                    for d in duplicates {
                        let pointer = format!("{}{}", definition.pointer, d.pointer);
                        let mut diagnostic = duplicate_key_diagnostic(&pointer);
                        if let Some(first) = located.map_range(d.first) {
                            diagnostic = diagnostic.with_byte_label(first.start, first.end, "first defined here");
                        }
                        doc.load_diagnostics.push(diagnostic);
                    }
                }
                value = Some(parsed.value);
            }
            // A stand-in for a value only CloudFormation knows may be what does not parse.
            Err(e) if assembled.near_stand_in(e.offset) => {}
            Err(e) => {
                let spans = spans.get_or_insert_with(|| written_spans(doc));
                let located =
                    embedded::EmbeddedSpans::new(&doc.text, &doc.value, spans, &definition.pointer, assembled.clone());
                let offset = end_of_input_adjusted(&assembled.text, e.offset);
                let range = located
                    .map_range(offset..next_char_end(&assembled.text, offset))
                    .or_else(|| spans.get(&definition.pointer).map(|s| s.value.clone()))
                    .unwrap_or(0..0);
                let message = if assembled.text.trim().is_empty() {
                    format!(
                        "the `DefinitionString` of {} is empty: expected a state machine definition",
                        definition.name
                    )
                } else {
                    format!(
                        "invalid JSON in the `DefinitionString` of {}: {}",
                        definition.name, e.message
                    )
                };
                doc.load_diagnostics.push(
                    Diagnostic::new(codes::SYNTAX_ERROR, message)
                        .at_offset(range.start, range.end)
                        .aws_code("INVALID_JSON_DESCRIPTION"),
                );
            }
        }
        doc.embedded.push(Embedded {
            pointer: definition.pointer,
            value,
            text: Some(assembled),
        });
    }
    spans
}

/// The span index of the text as written (no embedded definitions).
fn written_spans(doc: &Document) -> SpanIndex {
    span_index(&doc.text, doc.syntax, doc.reading).unwrap_or_default()
}

/// Adds the nodes of every embedded definition written as text to a span index.
fn locate_embedded(text: &str, value: &Value, spans: &mut SpanIndex, embedded: &[Embedded]) {
    for e in embedded {
        if let (Some(assembled), Some(_)) = (&e.text, &e.value) {
            let located = embedded::EmbeddedSpans::new(text, value, spans, &e.pointer, assembled.clone());
            located.index_into(spans);
        }
    }
}

/// At the end of the input, point at the last character rather than at nothing.
fn end_of_input_adjusted(text: &str, offset: usize) -> usize {
    let trimmed = text.trim_end().len();
    if offset >= trimmed {
        text[..trimmed].char_indices().last().map_or(0, |(i, _)| i)
    } else {
        offset
    }
}

fn duplicate_key_diagnostic(pointer: &str) -> Diagnostic {
    let key = pointer.rsplit('/').next().unwrap_or_default();
    Diagnostic::new(
        codes::DUPLICATE_KEY,
        format!("duplicate key \"{}\"", crate::pointer::unescape_token(key)),
    )
    .at_key(pointer.to_string())
    .label("repeated here; this value is the one kept")
    .help("JSON parsers keep only the last value of a repeated key; remove one of them")
}

/// `workflows/order.asl.json` → `order`.
pub fn machine_name(origin: &Origin) -> String {
    match origin {
        Origin::Stdin => "stdin".to_string(),
        Origin::File(path) => {
            let file = path
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut name = file.as_str();
            for suffix in [".json", ".yaml", ".yml", ".asl"] {
                if let Some(stripped) = name.strip_suffix(suffix) {
                    name = stripped;
                }
            }
            name.to_string()
        }
    }
}
