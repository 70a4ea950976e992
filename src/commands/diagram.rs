//! `aslkit diagram`: draw a machine (Mermaid or DOT), optionally over a simulated run, or keep a
//! Markdown block current.

use super::{print, read_json, usage_error};
use crate::check::{self, Options};
use crate::cli::DiagramArgs;
use crate::source::select::{MachineSpec, Selected};
use std::path::Path;

/// The machine name DEF (or `--machine`) gave, as a Markdown marker would write it.
fn selected_name<'a>(selected: &'a Selected, machine: &'a Option<String>, wanted: &Path) -> Option<&'a str> {
    let named = MachineSpec::parse(wanted).name.is_some() || machine.is_some();
    named.then_some(selected.machine.name.as_str())
}

fn selected_path(wanted: &Path) -> std::path::PathBuf {
    MachineSpec::parse(wanted).path
}

pub fn run(args: DiagramArgs) -> u8 {
    use crate::render::{self, markdown, trace::Trace};
    let options = Options::default();
    let selected = match super::select_machine(&args.definition, args.machine.as_deref()) {
        Ok(selected) => selected,
        Err(code) => return code,
    };
    let doc = &selected.document;
    let display = doc.origin.display();
    let diagnostics = check::check_document(doc, &options);
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
    let Some(value) = selected.definition() else {
        return usage_error(&format!("{display} holds no state machine that parses"));
    };
    let model = crate::model::StateMachine::build(value, &selected.machine.pointer);
    let text = match args.coverage.as_deref().map(read_json).transpose() {
        Ok(None) => render::render(&model, args.format, trace.as_ref()),
        Ok(Some(coverage)) => {
            let file = match &selected.document.origin {
                crate::source::Origin::File(path) => path.clone(),
                crate::source::Origin::Stdin => std::path::PathBuf::new(),
            };
            match render::coverage::Coverage::from_json(&coverage, &file, &selected.machine.pointer) {
                Ok(coverage) => render::render_with_coverage(&model, args.format, &coverage),
                Err(message) => return usage_error(&format!("--coverage: {message}")),
            }
        }
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
    // `<!-- aslkit-diagram: template.yaml#Order -->` names a machine as DEF does.
    let same_file = |target: &str| {
        let target = MachineSpec::parse(Path::new(target));
        target.name.as_deref() == selected_name(&selected, &args.machine, wanted)
            && target
                .path
                .to_str()
                .is_some_and(|t| markdown::names(t, &path, &selected_path(wanted)))
    };
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
