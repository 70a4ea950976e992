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

/// Stack size of the threads that check files. Definitions nest (JSON up to 512 levels, Parallel
/// in Map in Parallel…) and every stage walks them recursively; a generous stack keeps a
/// hostile file an ordinary finding instead of a crash. Only touched pages are committed.
const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Validates every input and returns the report (one entry per file checked, in input order).
///
/// Files are independent, so they are checked on all cores.
pub fn validate(inputs: &[Input], options: &Options) -> Report {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len().max(1));
    let chunk = inputs.len().div_ceil(threads).max(1);
    let files = std::thread::scope(|scope| {
        let workers: Vec<_> = inputs
            .chunks(chunk)
            .map(|part| {
                let work = move || part.iter().map(|i| validate_guarded(i, options)).collect::<Vec<_>>();
                (
                    part,
                    std::thread::Builder::new()
                        .stack_size(WORKER_STACK_BYTES)
                        .spawn_scoped(scope, work),
                )
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|(part, worker)| match worker {
                Ok(handle) => handle.join().unwrap_or_default(),
                // No thread could be started (resource limits): check this part here instead.
                Err(_) => part.iter().map(|i| validate_guarded(i, options)).collect(),
            })
            .flatten()
            .collect()
    });
    Report { files }
}

/// [`validate_input`], with a bug in a rule turned into a finding on that file (exit code 2)
/// instead of a crash that would lose every other file's report.
fn validate_guarded(input: &Input, options: &Options) -> Option<FileReport> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| validate_input(input, options))).unwrap_or_else(|_| {
        Some(FileReport {
            path: input.origin.display(),
            machines: Vec::new(),
            diagnostics: vec![check::diagnostic::Diagnostic::new(
                source::codes::IO_ERROR,
                "internal error while checking this file: this is a bug in aslkit, please report it",
            )],
            source: None,
        })
    })
}

/// Validates one input; `None` when a file found by a directory scan turns out not to be a
/// state machine.
pub fn validate_input(input: &Input, options: &Options) -> Option<FileReport> {
    let loaded = input.load();
    let path = loaded.origin().display();
    match loaded {
        Loaded::Failed(failure) => {
            if !input.explicit && !failure.text.as_deref().is_some_and(inputs::mentions_machine) {
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
            let machines = doc.machines.clone();
            // Only findings need locating; a clean file never builds its span index.
            let (text, spans) = doc.into_text_and_spans(!diagnostics.is_empty());
            Some(FileReport {
                path,
                machines,
                diagnostics,
                source: Some(SourceText::new(text, spans)),
            })
        }
    }
}
