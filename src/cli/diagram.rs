//! `aslkit diagram`: draw a machine (Mermaid or DOT), optionally over a simulated run, or keep a
//! Markdown block current.

use std::io::Write;
use std::path::Path;

use super::{read_json, usage_error, write, DiagramArgs, ExitStatus, Terminal};
use crate::check::{self, Options};
use crate::diagnostic::Severity;
use crate::inputs::Input;
use crate::render::{self, markdown, trace::Trace};
use crate::report::{self, human, FileReport, Report};
use crate::source::{Document, Loaded, Origin};

pub fn run(args: DiagramArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let origin = if args.definition.as_os_str() == "-" {
        Origin::Stdin
    } else {
        Origin::File(args.definition.clone())
    };
    let input = Input { origin, explicit: true };
    let doc = match input.load() {
        Loaded::Document(doc) => doc,
        Loaded::Failed(failure) => {
            // The same report `validate` prints, so the user sees where the file is broken.
            let report = Report {
                files: vec![FileReport::failed(input.origin.display(), failure)],
            };
            let human_options = human::Options {
                color: false,
                width: terminal.width,
            };
            write(stderr, &report::render(&report, report::Format::Human, &human_options));
            return ExitStatus::Error;
        }
    };
    let display = input.origin.display();
    let text = match draw(&doc, &display, &args, stderr) {
        Ok(text) => text,
        Err(status) => return status,
    };
    match &args.markdown {
        None => {
            write(stdout, &text);
            ExitStatus::Success
        }
        Some(path) => update_markdown(
            path,
            &args.definition,
            args.format.into(),
            &text,
            args.check,
            stdout,
            stderr,
        ),
    }
}

/// The diagram of the document's first machine, warning on `stderr` when there are several or
/// the machine does not validate; `Err` with the exit status when there is nothing to draw.
fn draw(doc: &Document, display: &str, args: &DiagramArgs, stderr: &mut dyn Write) -> Result<String, ExitStatus> {
    let Some((machine, value)) = doc.machines.first().and_then(|m| doc.machine_value(m).map(|v| (m, v))) else {
        // A template whose machine lives in its own file (`DefinitionUri`): name that file.
        return Err(match doc.references.first() {
            Some(r) => usage_error(
                stderr,
                &format!(
                    "{display} defines its state machine in {}: draw that file",
                    r.path.display()
                ),
            ),
            None => usage_error(stderr, &format!("{display} holds no state machine")),
        });
    };
    if doc.machines.len() > 1 {
        write(
            stderr,
            &format!(
                "note: {display} holds {} state machines; drawing the first, {}\n",
                doc.machines.len(),
                machine.name
            ),
        );
    }
    let diagnostics = check::check_document(doc, &Options::default());
    let errors = check::count(&diagnostics, Severity::Error);
    if errors > 0 {
        // A diagram of a broken machine still helps; say that it is broken.
        write(
            stderr,
            &format!(
                "warning: {display} has {errors} validation error(s); drawn as written (see `aslkit validate {display}`)\n"
            ),
        );
    }
    let trace = match args.trace.as_deref().map(read_json).transpose() {
        Ok(None) => None,
        Ok(Some(value)) => match Trace::from_json(&value) {
            Ok(trace) => Some(trace),
            Err(message) => return Err(usage_error(stderr, &format!("--trace: {message}"))),
        },
        Err(message) => return Err(usage_error(stderr, &message)),
    };
    let model = crate::model::StateMachine::build(value, &machine.pointer);
    Ok(render::render(&model, args.format.into(), trace.as_ref()))
}

/// Rewrites (or with `check`, compares) the diagram block of `wanted` in the Markdown file.
fn update_markdown(
    path: &Path,
    wanted: &Path,
    format: render::Format,
    text: &str,
    check: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> ExitStatus {
    let old = match std::fs::read_to_string(path) {
        Ok(old) => old,
        Err(e) => return usage_error(stderr, &format!("cannot read {}: {e}", path.display())),
    };
    let same_file = |target: &str| markdown::names(target, path, wanted);
    let new = match markdown::rewrite(&old, same_file, format.fence(), text) {
        Ok(new) => new,
        Err(markdown::Error::NoMarker) => {
            return usage_error(
                stderr,
                &format!(
                    "{} has no `<!-- aslkit-diagram: {} -->` … `<!-- /aslkit-diagram -->` block",
                    path.display(),
                    wanted.display()
                ),
            )
        }
        Err(markdown::Error::Unclosed) => {
            return usage_error(
                stderr,
                &format!(
                    "{} opens an aslkit-diagram block without `<!-- /aslkit-diagram -->`",
                    path.display()
                ),
            )
        }
    };
    if check {
        if new == old {
            return ExitStatus::Success;
        }
        write(
            stdout,
            &format!(
                "{}: the diagram of {} is stale: {}\nrun `aslkit diagram {} --markdown {}` to update it\n",
                path.display(),
                wanted.display(),
                markdown::diff_summary(&old, &new),
                wanted.display(),
                path.display()
            ),
        );
        return ExitStatus::Findings;
    }
    if new != old {
        if let Err(e) = std::fs::write(path, new) {
            return usage_error(stderr, &format!("cannot write {}: {e}", path.display()));
        }
    }
    ExitStatus::Success
}
