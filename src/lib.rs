//! aslkit: a toolkit for AWS Step Functions state machines (Amazon States Language).
//!
//! The library does the work; `main.rs` only parses arguments and maps outcomes to exit codes.
//! Data flows `source` (bytes → [`source::Document`] with spans) → `model` (typed, lenient view)
//! → `check` (schema + rules → [`check::diagnostic::Diagnostic`]) → `report` (human, JSON, SARIF,
//! GitHub). See `../shared/DESIGN.md` for the target architecture.

pub mod check;
pub mod cli;
pub mod expr;
pub mod graph;
pub mod inputs;
pub mod model;
pub mod report;
pub mod source;

use check::Options;
use inputs::Input;
use report::{FileReport, Report, SourceText};
use source::Loaded;

/// Validates every input and returns the report (one entry per file checked).
pub fn validate(inputs: &[Input], options: &Options) -> Report {
    let mut files = Vec::with_capacity(inputs.len());
    for input in inputs {
        if let Some(file) = validate_input(input, options) {
            files.push(file);
        }
    }
    Report { files }
}

/// Validates one input; `None` when a file found by a directory scan turns out not to be a
/// state machine.
pub fn validate_input(input: &Input, options: &Options) -> Option<FileReport> {
    let loaded = input.load();
    let path = loaded.origin().display();
    match loaded {
        Loaded::Failed(failure) => {
            if !input.explicit
                && !failure
                    .text
                    .as_deref()
                    .is_some_and(inputs::mentions_machine)
            {
                return None;
            }
            Some(FileReport {
                path,
                machines: Vec::new(),
                diagnostics: failure.diagnostics,
                source: failure.text.map(|t| SourceText::new(t, None)),
            })
        }
        Loaded::Document(doc) => {
            if !input.explicit && !source::looks_like_machine(&doc.value) {
                return None;
            }
            let diagnostics = check::check_document(&doc, options);
            Some(FileReport {
                path,
                machines: doc.machines.clone(),
                diagnostics,
                source: Some(SourceText::new(doc.text, Some(doc.spans))),
            })
        }
    }
}
