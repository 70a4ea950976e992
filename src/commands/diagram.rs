//! `aslkit diagram`: draw a machine (Mermaid or DOT), optionally over a simulated run, or keep a
//! Markdown block current.

use super::{print, read_json, terminal_width, usage_error};
use crate::check::{self, Options};
use crate::cli::DiagramArgs;
use crate::report::{self, human};

pub fn run(args: DiagramArgs) -> u8 {
    use crate::render::{self, markdown, trace::Trace};
    use crate::source::{Loaded, Origin};

    let origin = if args.definition.as_os_str() == "-" {
        Origin::Stdin
    } else {
        Origin::File(args.definition.clone())
    };
    let input = crate::inputs::Input { origin, explicit: true };
    let options = Options::default();
    let doc = match input.load() {
        Loaded::Document(doc) => doc,
        Loaded::Failed(failure) => {
            // The same report `validate` prints, so the user sees where the file is broken.
            let report = crate::report::Report {
                files: vec![crate::report::FileReport {
                    path: input.origin.display(),
                    machines: Vec::new(),
                    diagnostics: failure.diagnostics,
                    source: failure.text.map(|t| crate::report::SourceText::new(t, None)),
                }],
            };
            let human_options = human::Options {
                color: false,
                width: terminal_width(),
            };
            eprint!("{}", report::render(&report, report::Format::Human, &human_options));
            return 2;
        }
    };
    let display = input.origin.display();
    let Some(value) = doc.machines.first().and_then(|m| doc.machine_value(m).map(|v| (m, v))) else {
        // A template whose machine lives in its own file (`DefinitionUri`): name that file.
        return match doc.references.first() {
            Some(r) => usage_error(&format!(
                "{display} defines its state machine in {}: draw that file",
                r.path.display()
            )),
            None => usage_error(&format!("{display} holds no state machine")),
        };
    };
    let (machine, value) = value;
    if doc.machines.len() > 1 {
        eprintln!(
            "note: {display} holds {} state machines; drawing the first, {}",
            doc.machines.len(),
            machine.name
        );
    }
    let diagnostics = check::check_document(&doc, &options);
    let errors = check::count(&diagnostics, check::diagnostic::Severity::Error);
    if errors > 0 {
        // A diagram of a broken machine still helps; say that it is broken.
        eprintln!(
            "warning: {display} has {errors} validation error(s); drawn as written (see `aslkit validate {display}`)"
        );
    }
    let trace = match args.trace.as_deref().map(read_json).transpose() {
        Ok(None) => None,
        Ok(Some(value)) => match Trace::from_json(&value) {
            Ok(trace) => Some(trace),
            Err(message) => return usage_error(&format!("--trace: {message}")),
        },
        Err(message) => return usage_error(&message),
    };
    let model = crate::model::StateMachine::build(value, &machine.pointer);
    let text = match args.coverage.as_deref().map(read_json).transpose() {
        Ok(None) => render::render(&model, args.format, trace.as_ref()),
        Ok(Some(value)) => match render::coverage::Coverage::from_json(&value, &args.definition, &machine.pointer) {
            Ok(coverage) => render::render_with_coverage(&model, args.format, &coverage),
            Err(message) => return usage_error(&format!("--coverage: {message}")),
        },
        Err(message) => return usage_error(&message),
    };
    let Some(path) = args.markdown else {
        print(&text);
        return 0;
    };
    let old = match std::fs::read_to_string(&path) {
        Ok(old) => old,
        Err(e) => return usage_error(&format!("cannot read {}: {e}", path.display())),
    };
    let wanted = &args.definition;
    let same_file = |target: &str| markdown::names(target, &path, wanted);
    let new = match markdown::rewrite(&old, same_file, args.format.fence(), &text) {
        Ok(new) => new,
        Err(markdown::Error::NoMarker) => {
            return usage_error(&format!(
                "{} has no `<!-- aslkit-diagram: {} -->` … `<!-- /aslkit-diagram -->` block",
                path.display(),
                wanted.display()
            ))
        }
        Err(markdown::Error::Unclosed) => {
            return usage_error(&format!(
                "{} opens an aslkit-diagram block without `<!-- /aslkit-diagram -->`",
                path.display()
            ))
        }
    };
    if args.check {
        if new == old {
            return 0;
        }
        print(&format!(
            "{}: the diagram of {} is stale: {}\nrun `aslkit diagram {} --markdown {}` to update it\n",
            path.display(),
            wanted.display(),
            markdown::diff_summary(&old, &new),
            wanted.display(),
            path.display()
        ));
        return 1;
    }
    if new != old {
        if let Err(e) = std::fs::write(&path, new) {
            return usage_error(&format!("cannot write {}: {e}", path.display()));
        }
    }
    0
}
