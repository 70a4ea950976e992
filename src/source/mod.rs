//! Loading documents: bytes in, a [`Document`] (text, value, span index, machines) out.
//!
//! Everything about *where* things are in the text lives here and in `report/`; rules only ever
//! see JSON Pointers. A problem that prevents building a tree (not UTF-8, not JSON, too large) is
//! returned as a [`LoadFailure`] holding ready-made diagnostics, so a bad file is reported like
//! any other and never stops the run.

pub mod json;
pub mod lines;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::check::diagnostic::Diagnostic;
pub use json::{NodeSpan, SpanIndex};
pub use lines::LineIndex;

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
/// may hold several, each under its own pointer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MachineRef {
    pub name: String,
    pub pointer: String,
}

/// A parsed document with everything needed to locate any node.
#[derive(Debug, Clone)]
pub struct Document {
    pub origin: Origin,
    /// The text the user wrote (without a UTF-8 BOM).
    pub text: String,
    pub syntax: Syntax,
    pub value: Value,
    /// Built on first use: most files have nothing to report, and for them the index (a pointer
    /// string per node) would be the most expensive part of loading.
    spans: std::sync::OnceLock<SpanIndex>,
    pub machines: Vec<MachineRef>,
    /// Findings made while loading (duplicate keys) that do not prevent checking.
    pub load_diagnostics: Vec<Diagnostic>,
}

impl Document {
    /// JSON Pointer → byte ranges of every node, parsing the text again the first time it is
    /// asked for (the text parsed once already, so it parses again).
    pub fn spans(&self) -> &SpanIndex {
        self.spans.get_or_init(|| {
            let parsed = match self.syntax {
                Syntax::Json => json::parse(&self.text),
                Syntax::Yaml => yaml::parse(&self.text),
            };
            parsed.map(|p| p.spans).unwrap_or_default()
        })
    }

    /// The text, and the span index when `with_spans` (built now if it was not yet).
    pub fn into_text_and_spans(self, with_spans: bool) -> (String, Option<SpanIndex>) {
        if with_spans {
            self.spans();
        }
        (self.text, self.spans.into_inner().filter(|_| with_spans))
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
}

/// Reads and parses a file.
pub fn load_path(path: &Path) -> Loaded {
    let origin = Origin::File(path.to_path_buf());
    match read_bounded(path) {
        Ok(bytes) => load_bytes(origin, bytes),
        Err(message) => Loaded::Failed(LoadFailure {
            origin,
            text: None,
            diagnostics: vec![Diagnostic::new(codes::IO_ERROR, message)],
        }),
    }
}

fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read {}: {}", path.display(), io_reason(&e)))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read {}: {}", path.display(), io_reason(&e)))?;
    if meta.is_dir() {
        return Err(format!("cannot read {}: it is a directory", path.display()));
    }
    if meta.len() > MAX_READ_BYTES {
        return Err(format!(
            "{} is {}, far over AWS's 1 MiB definition limit; not read",
            path.display(),
            human_size(meta.len() as usize)
        ));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_READ_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {}", path.display(), io_reason(&e)))?;
    Ok(bytes)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
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

/// Parses bytes already read (from a file or standard input).
pub fn load_bytes(origin: Origin, bytes: Vec<u8>) -> Loaded {
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
    if bytes.contains(&0) {
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
    if text.len() > AWS_MAX_DEFINITION_BYTES {
        return fail(
            None,
            Diagnostic::new(
                codes::TOO_LARGE,
                format!(
                    "the definition is {}, over AWS's 1 MiB limit for a state machine definition",
                    human_size(text.len())
                ),
            )
            .help("move large constants out of the definition (e.g. into S3 or the execution input); nothing else in this file was checked")
            .aws_code("SCHEMA_VALIDATION_FAILED"),
        );
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
    let result = match syntax {
        Syntax::Json => json::parse_without_spans(&text).and_then(|fast| {
            // Duplicate keys are reported with pointers, which only the full parse builds.
            if fast.duplicates.is_empty() {
                Ok(fast)
            } else {
                json::parse(&text)
            }
        }),
        Syntax::Yaml => yaml::parse(&text),
    };
    let parsed = match result {
        Ok(p) => p,
        Err(e) => {
            // At the end of the input, underline the last character rather than nothing.
            let trimmed = text.trim_end().len();
            let offset = if e.offset >= trimmed {
                text[..trimmed].char_indices().last().map_or(0, |(i, _)| i)
            } else {
                e.offset
            };
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
    let load_diagnostics = parsed
        .duplicates
        .iter()
        .map(|d| {
            let key = d.pointer.rsplit('/').next().unwrap_or_default();
            Diagnostic::new(
                codes::DUPLICATE_KEY,
                format!("duplicate key \"{}\"", unescape_token(key)),
            )
            .at_key(d.pointer.clone())
            .label("repeated here; this value is the one kept")
            .with_byte_label(d.first.start, d.first.end, "first defined here")
            .help("JSON parsers keep only the last value of a repeated key; remove one of them")
        })
        .collect();
    let machines = discover_machines(&origin, &parsed.value);
    let spans = std::sync::OnceLock::new();
    if !parsed.spans.is_empty() {
        let _ = spans.set(parsed.spans);
    }
    Loaded::Document(Box::new(Document {
        origin,
        text,
        syntax,
        value: parsed.value,
        spans,
        machines,
        load_diagnostics,
    }))
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
}

impl Syntax {
    /// `.yaml`/`.yml` files are YAML; standard input is YAML unless it starts like JSON; every
    /// other file is JSON.
    pub fn of(origin: &Origin, text: &str) -> Syntax {
        match origin {
            Origin::File(path) => match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase) {
                Some(ext) if ext == "yaml" || ext == "yml" => Syntax::Yaml,
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
        }
    }
}

/// Undoes RFC 6901 escaping of one token.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Whether a value looks like a state machine (an object with `StartAt` or `States`); used to
/// skip unrelated JSON files in directory scans.
pub fn looks_like_machine(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.contains_key("StartAt") || o.contains_key("States"))
}

fn discover_machines(origin: &Origin, _value: &Value) -> Vec<MachineRef> {
    vec![MachineRef {
        name: machine_name(origin),
        pointer: String::new(),
    }]
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
