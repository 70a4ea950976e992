//! `aslkit lint`: validate plus the lint rules, with each file's settings (`aslkit.toml`, then
//! `--select` / `--ignore`); findings at or above `--fail-on` make the exit status "findings".

use std::io::Write;
use std::path::Path;

use super::{usage_error, write, ExitStatus, FailOn, LintArgs, Terminal};
use crate::check::{Options, RuleSettings};
use crate::config::{ConfigError, Resolver};
use crate::diagnostic::Severity;
use crate::report::{self, human};
use crate::source::Origin;

pub fn run(args: LintArgs, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    for selector in args.select.iter().flatten().chain(&args.ignore) {
        if !crate::check::settings::is_known_selector(selector) {
            return usage_error(
                stderr,
                &format!(
                    "no rule matches `{selector}` (a code like ASL302, a prefix like ASL3, a rule name, or ALL); `aslkit rules` lists them"
                ),
            );
        }
    }
    let resolver = match Resolver::new(args.config.as_deref()) {
        Ok(resolver) => resolver,
        Err(e) => return config_error(stderr, &e),
    };
    let inputs = crate::inputs::expand(&args.check.paths);
    // Every input's configuration is read (and checked) before any work.
    for input in &inputs {
        if let Err(e) = settings(&resolver, &args, &input.origin) {
            return config_error(stderr, &e);
        }
    }
    if args.show_settings {
        for input in &inputs {
            let file = file_of(&input.origin);
            let config = resolver.config_for(file).ok().flatten();
            let resolved = settings(&resolver, &args, &input.origin).unwrap_or_default();
            write(
                stdout,
                &format!(
                    "{}\n",
                    crate::config::describe(&input.origin.display(), config.as_ref(), &resolved)
                ),
            );
        }
        return ExitStatus::Success;
    }
    let machine_type = args.check.machine_type.into();
    let options_for = |origin: &Origin| Options {
        machine_type,
        rules: settings(&resolver, &args, origin).unwrap_or_else(|_| RuleSettings::lint()),
    };
    if args.fix || args.diff {
        let mut changed = 0;
        for input in &inputs {
            let Origin::File(path) = &input.origin else {
                continue;
            };
            match fix_file(path, &options_for(&input.origin), args.fix) {
                Ok(Some(diff)) => {
                    changed += 1;
                    if args.diff {
                        write(stdout, &diff);
                    }
                }
                Ok(None) => {}
                Err(message) => return usage_error(stderr, &message),
            }
        }
        if args.diff {
            return if changed > 0 {
                ExitStatus::Findings
            } else {
                ExitStatus::Success
            };
        }
        if changed > 0 {
            let files = if changed == 1 { "file" } else { "files" };
            write(stderr, &format!("fixed {changed} {files}\n"));
        }
    }
    let report = crate::validate_with(&inputs, &options_for);
    let options = report::Options {
        human: human::Options {
            color: terminal.use_color(args.check.color),
            width: terminal.width,
        },
        command: "lint",
        fail_on: match args.fail_on {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        },
        sarif_root: args.check.sarif_root.clone(),
    };
    write(stdout, &report::render(&report, args.check.format.into(), &options));
    if report.files.is_empty() {
        write(
            stderr,
            "warning: no state machine definitions found (searched .json, .yaml, .yml and .tf files)\n",
        );
    }
    exit_status(&report, args.fail_on, args.exit_zero)
}

/// Fixes one file; returns the diff when something changed (written when `write_back`).
fn fix_file(path: &Path, options: &Options, write_back: bool) -> Result<Option<String>, String> {
    const BOM: &str = "\u{feff}";
    let Ok(original) = std::fs::read_to_string(path) else {
        // Unreadable or not UTF-8: the report says so; there is nothing to fix.
        return Ok(None);
    };
    let (bom, text) = match original.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => ("", original.as_str()),
    };
    let fixed = crate::fix::fix_text(&Origin::File(path.to_path_buf()), text, options);
    let Some(diff) = crate::fix::unified_diff(&path.display().to_string(), text, &fixed) else {
        return Ok(None);
    };
    if write_back {
        std::fs::write(path, format!("{bom}{fixed}")).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(Some(diff))
}

fn file_of(origin: &Origin) -> Option<&Path> {
    match origin {
        Origin::File(path) => Some(path),
        Origin::Stdin => None,
    }
}

/// A file's settings: its configuration's, then the command line's `--select` (replacing) and
/// `--ignore` (adding).
fn settings(resolver: &Resolver, args: &LintArgs, origin: &Origin) -> Result<RuleSettings, ConfigError> {
    let mut settings = resolver.settings_for(file_of(origin))?;
    if let Some(select) = &args.select {
        settings.select = Some(select.clone());
        settings.extend_select.clear();
    }
    settings.ignore.extend(args.ignore.iter().cloned());
    Ok(settings)
}

fn config_error(stderr: &mut dyn Write, error: &ConfigError) -> ExitStatus {
    write(stderr, &format!("error: {error}\n"));
    ExitStatus::Error
}

fn exit_status(report: &report::Report, fail_on: FailOn, exit_zero: bool) -> ExitStatus {
    if report.has_load_failure() {
        return ExitStatus::Error;
    }
    let failing = match fail_on {
        FailOn::Error => report.count(Severity::Error),
        FailOn::Warning => report.count(Severity::Error) + report.count(Severity::Warning),
    };
    if failing > 0 && !exit_zero {
        ExitStatus::Findings
    } else {
        ExitStatus::Success
    }
}
