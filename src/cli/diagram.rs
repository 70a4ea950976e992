//! `aslkit diagram`: draw a machine (Mermaid or DOT), optionally over a simulated run, or keep a
//! Markdown block current.

use std::io::Write;
use std::path::Path;

use super::{read_json, read_text_limited, select_machine, usage_error, write, DiagramArgs, ExitStatus, Terminal};
use crate::check::{self, Options};
use crate::diagnostic::Severity;
use crate::render::{self, markdown, trace::Trace};
use crate::source::select::{MachineSpec, Selected};

/// The machine name DEF (or `--machine`) gave, as a Markdown marker would write it.
fn selected_name<'a>(selected: &'a Selected, machine: &'a Option<String>, wanted: &Path) -> Option<&'a str> {
    let named = MachineSpec::parse(wanted).name.is_some() || machine.is_some();
    named.then_some(selected.machine.name.as_str())
}

pub fn run(args: DiagramArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    let selected = match select_machine(&args.definition, args.machine.as_deref(), terminal, stderr) {
        Ok(selected) => selected,
        Err(status) => return status,
    };
    let text = match draw(&selected, &args, stderr) {
        Ok(text) => text,
        Err(status) => return status,
    };
    let Some(path) = &args.markdown else {
        write(stdout, &text);
        return ExitStatus::Success;
    };
    let wanted = &args.definition;
    // `<!-- aslkit-diagram: template.yaml#Order -->` names a machine as DEF does.
    let same_file = |target: &str| {
        let target = MachineSpec::parse(Path::new(target));
        target.name.as_deref() == selected_name(&selected, &args.machine, wanted)
            && target
                .path
                .to_str()
                .is_some_and(|t| markdown::names(t, path, &MachineSpec::parse(wanted).path))
    };
    let block = Block {
        wanted,
        same_file: &same_file,
        format: args.format.into(),
        text: &text,
    };
    update_markdown(path, &block, args.check, stdout, stderr)
}

/// The diagram of the selected machine, warning on `stderr` when it does not validate; `Err`
/// with the exit status when there is nothing to draw.
fn draw(selected: &Selected, args: &DiagramArgs, stderr: &mut dyn Write) -> Result<String, ExitStatus> {
    let doc = &selected.document;
    let display = doc.origin.display();
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
    let Some(value) = selected.definition() else {
        return Err(usage_error(
            stderr,
            &format!("{display} holds no state machine that parses"),
        ));
    };
    let model = crate::model::StateMachine::build(value, &selected.machine.pointer);
    match args.coverage.as_deref().map(read_json).transpose() {
        Ok(None) => Ok(render::render(&model, args.format.into(), trace.as_ref())),
        Ok(Some(coverage)) => {
            let file = match &doc.origin {
                crate::source::Origin::File(path) => path.clone(),
                crate::source::Origin::Stdin => std::path::PathBuf::new(),
            };
            match render::coverage::Coverage::from_json(&coverage, &file, &selected.machine.pointer) {
                Ok(coverage) => Ok(render::render_with_coverage(&model, args.format.into(), &coverage)),
                Err(message) => Err(usage_error(stderr, &format!("--coverage: {message}"))),
            }
        }
        Err(message) => Err(usage_error(stderr, &message)),
    }
}

/// A diagram to put in a Markdown file, and how to recognise its block.
struct Block<'a> {
    /// DEF as given (for messages).
    wanted: &'a Path,
    /// Whether a block's marker names this machine.
    same_file: &'a dyn Fn(&str) -> bool,
    format: render::Format,
    text: &'a str,
}

/// Rewrites (or with `check`, compares) the diagram block of `wanted` in the Markdown file.
fn update_markdown(
    path: &Path,
    block: &Block,
    check: bool,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> ExitStatus {
    let wanted = block.wanted;
    let old = match read_text_limited(path, super::MAX_OPTION_FILE_BYTES) {
        Ok(old) => old,
        Err(message) => return usage_error(stderr, &message),
    };
    let new = match markdown::rewrite(&old, block.same_file, block.format.fence(), block.text) {
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
        if let Err(e) = replace_file(path, &new) {
            return usage_error(stderr, &format!("cannot write {}: {e}", path.display()));
        }
    }
    ExitStatus::Success
}

/// Writes `text` to a temporary file next to `path`, then renames it over `path`: a reader (or
/// a concurrent run) sees the old file or the new one, never a truncated one.
fn replace_file(path: &Path, text: &str) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = dir.join(format!(".{name}.aslkit-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temp)?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}
