//! The subcommands, as the binary runs them: each takes its parsed arguments (`crate::cli`),
//! does the work through the library, prints, and returns the exit code (0 clean, 1 findings,
//! 2 usage or input error). `main.rs` only dispatches here.

pub mod diagram;
pub mod eval;
pub mod rules;
pub mod simulate;
pub mod test;
pub mod validate;

use std::io::{IsTerminal, Write};

use crate::cli::Color;
use crate::report::human;

pub(crate) fn diagnostic_options() -> human::Options {
    human::Options {
        color: use_color(Color::Auto) && std::io::stderr().is_terminal(),
        width: terminal_width(),
    }
}

/// Reads a JSON file, or standard input for `-`.
pub(crate) fn read_json(path: &std::path::Path) -> Result<serde_json::Value, String> {
    let text = if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        text
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?
    };
    serde_json::from_str(&text).map_err(|e| format!("{} is not JSON: {e}", path.display()))
}

/// Loads the machine a `DEF` argument (`FILE`, `FILE#NAME`, `-`) and `--machine` name. On
/// failure the reason is printed (a load failure as `validate` reports it) and the exit code
/// returned.
pub(crate) fn select_machine(
    definition: &std::path::Path,
    machine: Option<&str>,
) -> Result<crate::source::select::Selected, u8> {
    use crate::source::select::{self, MachineSpec, SelectError};
    let spec = if definition.as_os_str() == "-" {
        MachineSpec {
            path: definition.to_path_buf(),
            name: None,
        }
    } else {
        MachineSpec::parse(definition)
    };
    let spec = spec.with_name(machine).map_err(|m| usage_error(&m))?;
    let loaded = if spec.path.as_os_str() == "-" {
        crate::inputs::Input {
            origin: crate::source::Origin::Stdin,
            explicit: true,
        }
        .load()
    } else {
        crate::source::load_path(&spec.path)
    };
    match select::select(loaded, spec.name.as_deref()) {
        Ok(selected) => Ok(selected),
        Err(SelectError::Load(failure)) => {
            // The same report `validate` prints, so the user sees where the file is broken.
            let report = crate::report::Report {
                files: vec![crate::report::FileReport {
                    path: failure.origin.display(),
                    machines: Vec::new(),
                    diagnostics: failure.diagnostics,
                    source: failure.text.map(|t| crate::report::SourceText::new(t, None)),
                }],
            };
            eprint!(
                "{}",
                crate::report::render(&report, crate::report::Format::Human, &diagnostic_options())
            );
            Err(2)
        }
        Err(e) => Err(usage_error(&e.to_string())),
    }
}

pub(crate) fn usage_error(message: &str) -> u8 {
    eprintln!("error: {message}");
    2
}

pub(crate) fn use_color(choice: Color) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match choice {
        Color::Never => false,
        Color::Always => !no_color,
        Color::Auto => !no_color && std::io::stdout().is_terminal(),
    }
}

pub(crate) fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}

/// Writes to stdout, ignoring a closed pipe (`aslkit … | head`).
pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
