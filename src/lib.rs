//! aslkit: a toolkit for AWS Step Functions state machines (Amazon States Language).
//!
//! The library does the work; `cli/` turns arguments into calls and writes the results, and
//! `main.rs` only parses and dispatches. Data flows `source` (bytes → [`source::Document`] with
//! spans) → `model` (typed, lenient view) → `check` (schema + rules → [`diagnostic::Diagnostic`])
//! → `report` (human, JSON, SARIF, GitHub). `docs/architecture.md` describes the layers.

pub mod analysis;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod error_names;
pub mod eval;
pub mod expr;
pub mod findings;
pub mod fix;
pub mod fuzzing;
pub mod graph;
pub mod inputs;
pub mod model;
pub mod pointer;
pub mod render;
pub mod report;
pub mod simulate;
pub mod source;
pub mod suggest;
pub mod test;
pub mod unknown;

use check::Options;
use inputs::Input;
use report::{FileReport, Report};
use source::Loaded;

/// Stack size of the threads that check files. Definitions nest (JSON up to 512 levels, Parallel
/// in Map in Parallel…) and every stage walks them recursively; a generous stack keeps a
/// hostile file an ordinary finding instead of a crash. Only touched pages are committed.
pub(crate) const WORKER_STACK_BYTES: usize = 256 * 1024 * 1024;

/// Validates every input and returns the report (one entry per file checked, in input order).
///
/// Files are independent, so they are checked on all cores. A definition file named by a
/// template (`DefinitionUri`) is checked with that template's context (its machine's name,
/// type and `DefinitionSubstitutions`): right after the template, or in its own place when it
/// was an input too.
pub fn validate(inputs: &[Input], options: &Options) -> Report {
    validate_with(inputs, &|_| options.clone())
}

/// The options for one file: `aslkit lint` resolves `aslkit.toml` per file.
pub type OptionsFor<'a> = dyn Fn(&source::Origin) -> Options + Sync + 'a;

/// [`validate`] with options chosen per file (a definition file named by a template is checked
/// with its own file's options).
pub fn validate_with(inputs: &[Input], options_for: &OptionsFor<'_>) -> Report {
    let checked = on_workers(inputs, |input| check_guarded(input, &options_for(&input.origin)));
    let mut slots: Vec<Vec<FileReport>> = Vec::with_capacity(checked.len());
    let mut references = Vec::new();
    for (slot, (report, refs)) in checked.into_iter().enumerate() {
        slots.push(report.into_iter().collect());
        references.extend(refs.into_iter().map(|r| (slot, r)));
    }
    if references.is_empty() {
        return Report {
            files: slots.into_iter().flatten().collect(),
        };
    }
    let canonical = |path: &std::path::Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let input_slots: std::collections::HashMap<_, _> = inputs
        .iter()
        .enumerate()
        .filter_map(|(i, input)| match &input.origin {
            source::Origin::File(path) => Some((canonical(path), i)),
            source::Origin::Stdin => None,
        })
        .collect();
    let mut seen = std::collections::HashSet::new();
    references.retain(|(_, r)| seen.insert(canonical(&r.path)));
    let reports = on_workers(&references, |(_, r)| {
        reference_guarded(r, &options_for(&source::Origin::File(r.path.clone())))
    });
    for ((slot, reference), report) in references.iter().zip(reports) {
        match input_slots.get(&canonical(&reference.path)) {
            // Also an input: its report, now with the template's context, stays in its place.
            Some(&own) => {
                let path = slots[own].first().map(|f| f.path.clone());
                slots[own] = vec![FileReport {
                    path: path.unwrap_or(report.path.clone()),
                    ..report
                }];
            }
            None => slots[*slot].push(report),
        }
    }
    Report {
        files: slots.into_iter().flatten().collect(),
    }
}

thread_local! {
    /// The stack of the current thread, as its creator declared it ([`declare_stack`]).
    static DECLARED_STACK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    /// Whether the current thread is one of [`on_workers`]'s threads while they occupy every
    /// core: then a file's stages are not spread over threads of their own.
    static CORES_BUSY: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the current thread may hand part of one file's work to another thread: a core would
/// otherwise idle (one large file checked on the command line's thread, or fewer files than
/// cores).
pub(crate) fn spare_core() -> bool {
    !CORES_BUSY.with(std::cell::Cell::get) && cores() > 1
}

/// The cores this process may use, asked of the system once (it reads three files for it).
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |p| p.get()))
}

/// Declares that the calling thread was created with `bytes` of stack: with at least a
/// worker's stack it checks files itself instead of waiting for threads to do it (one thread
/// fewer to start, none for a single file), and JSONata evaluates on it too
/// ([`expr::jsonata::declare_stack`]). The command line runs on such a thread.
pub fn declare_stack(bytes: usize) {
    DECLARED_STACK.with(|s| s.set(bytes));
    expr::jsonata::declare_stack(bytes);
}

/// Runs `work` on every item, on threads with a large stack, and returns the results in order.
///
/// Each thread takes the next item not yet taken, so files of different sizes spread evenly
/// (a static split left one thread idle while the other checked the larger files). The calling
/// thread is one of them when its stack is large enough.
fn on_workers<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let here = DECLARED_STACK.with(std::cell::Cell::get) >= WORKER_STACK_BYTES;
    let (threads, cores) = match items.len() {
        0 | 1 => (1, 0),
        n => {
            let cores = cores();
            (cores.min(n), cores)
        }
    };
    // As many files as cores or more: each thread keeps to its files (one file's stages on two
    // threads would only compete with the other files for the cores).
    let busy = items.len() > 1 && threads >= cores;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let (work, next) = (&work, &next);
    let take = move || {
        let mut done = Vec::new();
        let was_busy = CORES_BUSY.with(|b| b.replace(busy));
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                CORES_BUSY.with(|b| b.set(was_busy));
                return done;
            };
            done.push((i, work(item)));
        }
    };
    let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (usize::from(here)..threads)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(WORKER_STACK_BYTES)
                    .spawn_scoped(scope, take)
                    .ok()
            })
            .collect();
        if here {
            for (i, result) in take() {
                results[i] = Some(result);
            }
        }
        for worker in workers {
            for (i, result) in worker.join().unwrap_or_default() {
                results[i] = Some(result);
            }
        }
    });
    // Items no thread finished (no thread could be started, or one died): done here instead.
    results
        .into_iter()
        .zip(items)
        .map(|(result, item)| result.unwrap_or_else(|| work(item)))
        .collect()
}

/// A bug in a rule, turned into a finding on that file (exit code 2) instead of a crash that
/// would lose every other file's report.
fn internal_error(path: String) -> FileReport {
    FileReport {
        path,
        machines: Vec::new(),
        diagnostics: vec![diagnostic::Diagnostic::new(
            source::codes::INTERNAL_ERROR,
            "internal error while checking this file: this is a bug in aslkit, please report it",
        )],
        source: None,
    }
}

fn check_guarded(input: &Input, options: &Options) -> (Option<FileReport>, Vec<source::templates::Reference>) {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_input(input, options)))
        .unwrap_or_else(|_| (Some(internal_error(input.origin.display())), Vec::new()))
}

fn reference_guarded(reference: &source::templates::Reference, options: &Options) -> FileReport {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check_reference(reference, options)))
        .unwrap_or_else(|_| internal_error(reference.path.display().to_string()))
}

/// Validates one input; `None` when a file found by a directory scan turns out not to be a
/// state machine or a template holding one. Definition files a template names are not
/// checked here (see [`validate`]).
pub fn validate_input(input: &Input, options: &Options) -> Option<FileReport> {
    check_input(input, options).0
}

fn check_input(input: &Input, options: &Options) -> (Option<FileReport>, Vec<source::templates::Reference>) {
    let loaded = input.load();
    let path = loaded.origin().display();
    // A definition named on its own whose placeholders a template fills in is judged with that
    // template's context (see `source::owner`).
    if let (true, source::Origin::File(file)) = (input.explicit && may_have_owner(&loaded), loaded.origin()) {
        if let Some(reference) = source::owner::find(file) {
            return (Some(check_reference(&reference, options)), Vec::new());
        }
    }
    match loaded {
        Loaded::Failed(failure) => {
            if !input.explicit && !inputs::worth_reporting(&failure) {
                return (None, Vec::new());
            }
            (Some(FileReport::failed(path, failure)), Vec::new())
        }
        Loaded::Document(mut doc) => {
            let references = std::mem::take(&mut doc.references);
            if !input.explicit && !doc.has_machines() {
                return (None, references);
            }
            (Some(document_report(path, *doc, options)), references)
        }
    }
}

/// A plain definition, or text that does not parse, with a `${…}` placeholder in it.
fn may_have_owner(loaded: &Loaded) -> bool {
    match loaded {
        Loaded::Document(doc) => {
            doc.machines.iter().all(|m| m.template.is_none()) && source::owner::has_placeholders(&doc.text)
        }
        Loaded::Failed(failure) => failure.text.as_deref().is_some_and(source::owner::has_placeholders),
    }
}

/// Checks a definition file named by a template, as that template's machine.
fn check_reference(reference: &source::templates::Reference, options: &Options) -> FileReport {
    let path = reference.path.display().to_string();
    match source::load_reference(reference) {
        Loaded::Failed(failure) => FileReport::failed(path, failure),
        Loaded::Document(doc) => document_report(path, *doc, options),
    }
}

fn document_report(path: String, mut doc: source::Document, options: &Options) -> FileReport {
    let diagnostics = check::check_document(&doc, options);
    if doc.text.len() >= DROP_ELSEWHERE_BYTES && spare_core() {
        if !diagnostics.is_empty() {
            // Built now, while the values it may need are here (embedded definitions).
            doc.spans();
        }
        drop_elsewhere((std::mem::take(&mut doc.value), std::mem::take(&mut doc.embedded)));
    }
    FileReport::checked(path, doc, diagnostics)
}

/// From this size of file on, the parsed tree is freed on a thread of its own when a core is
/// free: a 0.9 MB definition's tree takes a twentieth of the checking to free, which the report
/// need not wait for.
const DROP_ELSEWHERE_BYTES: usize = 256 * 1024;

/// Drops `value` on a thread that nothing waits for (here when no thread can be started). At
/// the end of the process the thread may not have finished, and need not have.
fn drop_elsewhere<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .stack_size(WORKER_STACK_BYTES)
        .spawn(move || drop(value));
}
