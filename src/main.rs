//! The `aslkit` binary: parse arguments, call the library, map the outcome to an exit code
//! (0 clean, 1 findings, 2 usage or input error).

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use aslkit::check::{self, Options};
use aslkit::cli::{Cli, Color, Command, DiagramArgs, EvalArgs, ListFormat, RulesArgs, ValidateArgs};
use aslkit::eval::Outcome;
use aslkit::report::{self, human};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Validate(args) => validate(args),
        Command::Diagram(args) => diagram(args),
        Command::Eval(args) => eval(args),
        Command::Simulate(args) => simulate(args),
        Command::Rules(args) => rules(args),
        Command::Explain { code } => explain(&code),
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "aslkit", &mut std::io::stdout());
            0
        }
    };
    ExitCode::from(code)
}

fn validate(args: ValidateArgs) -> u8 {
    let options = Options {
        machine_type: args.machine_type,
    };
    let inputs = aslkit::inputs::expand(&args.paths);
    let report = aslkit::validate(&inputs, &options);
    let human_options = human::Options {
        color: use_color(args.color),
        width: terminal_width(),
    };
    let text = report::render(&report, args.format, &human_options);
    print(&text);
    if report.files.is_empty() {
        eprintln!("warning: no state machine definitions found (searched .json, .yaml and .yml files)");
    }
    if report.has_load_failure() {
        2
    } else if report.count(check::diagnostic::Severity::Error) > 0 {
        1
    } else {
        0
    }
}

fn diagram(args: DiagramArgs) -> u8 {
    use aslkit::render::{self, markdown, trace::Trace};
    use aslkit::source::{Loaded, Origin};

    let origin = if args.definition.as_os_str() == "-" {
        Origin::Stdin
    } else {
        Origin::File(args.definition.clone())
    };
    let input = aslkit::inputs::Input { origin, explicit: true };
    let options = Options::default();
    let doc = match input.load() {
        Loaded::Document(doc) => doc,
        Loaded::Failed(failure) => {
            // The same report `validate` prints, so the user sees where the file is broken.
            let report = aslkit::report::Report {
                files: vec![aslkit::report::FileReport {
                    path: input.origin.display(),
                    machines: Vec::new(),
                    diagnostics: failure.diagnostics,
                    source: failure.text.map(|t| aslkit::report::SourceText::new(t, None)),
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
    let model = aslkit::model::StateMachine::build(value, &machine.pointer);
    let text = render::render(&model, args.format, trace.as_ref());
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

fn eval(args: EvalArgs) -> u8 {
    let input = match args.input.as_deref().map(read_json).transpose() {
        Ok(input) => input,
        Err(message) => return usage_error(&message),
    };
    let bindings = match args.bindings.as_deref().map(read_json).transpose() {
        Ok(None) => serde_json::Map::new(),
        Ok(Some(serde_json::Value::Object(map))) => map,
        Ok(Some(_)) => return usage_error("--bindings must be a JSON object: {\"name\": value, …}"),
        Err(message) => return usage_error(&message),
    };
    let outcome = aslkit::eval::evaluate(args.query_language, &args.expression, input.as_ref(), &bindings);
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    match (args.format, outcome) {
        (ListFormat::Json, Outcome::Value(value)) => print(&format!("{}\n", serde_json::json!({ "value": value }))),
        (ListFormat::Json, Outcome::Undefined) => print("{\"undefined\":true}\n"),
        (ListFormat::Json, Outcome::Error { code, message }) => {
            print(&format!(
                "{}\n",
                serde_json::json!({"error": {"code": code, "message": message}})
            ));
            return 1;
        }
        (ListFormat::Human, Outcome::Value(value)) => print(&format!("{}\n", pretty(&value))),
        (ListFormat::Human, Outcome::Undefined) => print("undefined\n"),
        (ListFormat::Human, Outcome::Error { code, message }) => {
            eprintln!("error[{code}]: {message}");
            return 1;
        }
    }
    0
}

fn simulate(args: aslkit::cli::SimulateArgs) -> u8 {
    let input = match args.input.as_deref().map(read_json).transpose() {
        Ok(input) => input.unwrap_or_else(|| serde_json::json!({})),
        Err(message) => return usage_error(&message),
    };
    let options = Options::default();
    let doc = match aslkit::source::load_path(&args.definition) {
        aslkit::source::Loaded::Document(doc) => *doc,
        aslkit::source::Loaded::Failed(failure) => {
            let report = report::Report {
                files: vec![report::FileReport {
                    path: args.definition.display().to_string(),
                    machines: Vec::new(),
                    diagnostics: failure.diagnostics,
                    source: failure.text.map(|t| report::SourceText::new(t, None)),
                }],
            };
            eprint!(
                "{}",
                report::render(&report, report::Format::Human, &diagnostic_options())
            );
            return 2;
        }
    };
    let diagnostics = check::check_document(&doc, &options);
    if diagnostics
        .iter()
        .any(|d| d.severity == check::diagnostic::Severity::Error)
    {
        let path = args.definition.display().to_string();
        let machines = doc.machines.clone();
        let (text, spans) = doc.into_text_and_spans(true);
        let report = report::Report {
            files: vec![report::FileReport {
                path,
                machines,
                diagnostics,
                source: Some(report::SourceText::new(text, spans)),
            }],
        };
        eprint!(
            "{}",
            report::render(&report, report::Format::Human, &diagnostic_options())
        );
        eprintln!("error: the definition does not validate; fix it before simulating");
        return 2;
    }
    let Some(machine) = doc.machines.first() else {
        return usage_error(&format!("{} holds no state machine", args.definition.display()));
    };
    let Some(definition) = doc.machine_value(machine) else {
        return usage_error(&format!("{} holds no state machine", args.definition.display()));
    };
    let mocks = match (&args.mock_config, &args.test_case) {
        (Some(path), Some(case)) => {
            let config = match read_json(path) {
                Ok(config) => config,
                Err(message) => return usage_error(&message),
            };
            match aslkit::simulate::MockCase::from_config(&config, args.state_machine.as_deref(), case) {
                Ok(mocks) => Some(mocks),
                Err(e) => return usage_error(&e.to_string()),
            }
        }
        _ => None,
    };
    let start_millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let sim_options = aslkit::simulate::Options {
        machine_name: args.state_machine.clone().unwrap_or_else(|| machine.name.clone()),
        mocks,
        s3_root: args.s3_root.clone(),
        start_millis,
    };
    let execution = match aslkit::simulate::run(definition, &machine.pointer, input, &sim_options) {
        Ok(execution) => execution,
        Err(e) => return usage_error(&e.to_string()),
    };
    match args.format {
        ListFormat::Json => print(&format!("{}\n", report::simulation::to_json(&execution))),
        ListFormat::Human => print(&report::simulation::to_human(&execution)),
    }
    match execution.status {
        aslkit::simulate::Status::Succeeded => 0,
        _ => 1,
    }
}

fn diagnostic_options() -> human::Options {
    human::Options {
        color: use_color(Color::Auto) && std::io::stderr().is_terminal(),
        width: terminal_width(),
    }
}

/// Reads a JSON file, or standard input for `-`.
fn read_json(path: &std::path::Path) -> Result<serde_json::Value, String> {
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

fn usage_error(message: &str) -> u8 {
    eprintln!("error: {message}");
    2
}

fn rules(args: RulesArgs) -> u8 {
    match args.format {
        ListFormat::Human => {
            let mut text = String::new();
            for r in check::RULES {
                text.push_str(&format!(
                    "{}  {:<32} {:<8} {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary
                ));
            }
            print(&text);
        }
        ListFormat::Json => {
            let rows: Vec<_> = check::RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "code": r.code, "name": r.name, "summary": r.summary,
                        "severity": r.severity.as_str(), "aws_code": r.aws_code,
                        "reported_by": r.emitted_by,
                    })
                })
                .collect();
            print(&format!(
                "{}\n",
                serde_json::to_string_pretty(&rows).unwrap_or_default()
            ));
        }
    }
    0
}

fn explain(code: &str) -> u8 {
    match check::registry::find(code) {
        Some(r) => {
            print(&format!(
                "# {} {}\n\n{}\n\n{}\n",
                r.code,
                r.name,
                r.summary,
                r.docs_text()
            ));
            0
        }
        None => {
            eprintln!("error: no rule has the code or name `{code}`; `aslkit rules` lists them");
            2
        }
    }
}

fn use_color(choice: Color) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match choice {
        Color::Never => false,
        Color::Always => !no_color,
        Color::Auto => !no_color && std::io::stdout().is_terminal(),
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(100)
}

/// Writes to stdout, ignoring a closed pipe (`aslkit … | head`).
fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
