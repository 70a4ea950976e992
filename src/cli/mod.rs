//! The command-line edge: arguments ([`args`]), one file per subcommand, and [`run`], which
//! dispatches to them.
//!
//! Every subcommand takes its parsed arguments, the facts about the terminal it needs
//! ([`Terminal`]) and the writers for standard output and standard error, does the work through
//! the library, writes, and returns an [`ExitStatus`]. Nothing here prints to the process's
//! own streams, so each command runs in-process in tests exactly as the binary runs it.

pub mod args;
pub mod completions;
pub mod diagram;
pub mod eval;
pub mod lint;
pub mod rules;
pub mod simulate;
pub mod test;
pub mod validate;

use std::io::{IsTerminal, Write};

pub use args::*;

use crate::report::human;

/// How a run ended; the process exit code is its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// 0: no findings, the run succeeded, the file is current.
    Success,
    /// 1: findings (validation errors, a failed execution, an evaluation error, a stale diagram).
    Findings,
    /// 2: a usage error, an unreadable or unparsable input, or an internal error.
    Error,
}

impl ExitStatus {
    pub fn code(self) -> u8 {
        match self {
            ExitStatus::Success => 0,
            ExitStatus::Findings => 1,
            ExitStatus::Error => 2,
        }
    }
}

impl From<ExitStatus> for std::process::ExitCode {
    fn from(status: ExitStatus) -> Self {
        std::process::ExitCode::from(status.code())
    }
}

/// What the commands need to know about where their output goes: decided once, by the binary
/// from the process's environment, or fixed by a test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal {
    /// Standard output is a terminal (colour in `--color auto`).
    pub stdout_is_terminal: bool,
    /// Standard error is a terminal (colour in diagnostics written there).
    pub stderr_is_terminal: bool,
    /// `NO_COLOR` is set to a non-empty value.
    pub no_color: bool,
    /// Width to wrap human output at (`COLUMNS`, at least 40; 100 otherwise).
    pub width: usize,
}

impl Terminal {
    /// The facts of this process.
    pub fn from_process() -> Self {
        Terminal {
            stdout_is_terminal: std::io::stdout().is_terminal(),
            stderr_is_terminal: std::io::stderr().is_terminal(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            width: std::env::var("COLUMNS")
                .ok()
                .and_then(|c| c.parse().ok())
                .filter(|&w| w >= 40)
                .unwrap_or(100),
        }
    }

    /// Plain output at the default width: what tests and pipes see.
    pub fn plain() -> Self {
        Terminal {
            stdout_is_terminal: false,
            stderr_is_terminal: false,
            no_color: true,
            width: 100,
        }
    }

    fn use_color(&self, choice: Color) -> bool {
        match choice {
            Color::Never => false,
            Color::Always => !self.no_color,
            Color::Auto => !self.no_color && self.stdout_is_terminal,
        }
    }

    /// Options for diagnostics written to standard error.
    fn diagnostic_options(&self) -> human::Options {
        human::Options {
            color: self.use_color(Color::Auto) && self.stderr_is_terminal,
            width: self.width,
        }
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli, terminal: &Terminal, stdout: &mut dyn Write, stderr: &mut dyn Write) -> ExitStatus {
    match cli.command {
        Command::Validate(args) => validate::run(args, terminal, stdout, stderr),
        Command::Lint(args) => lint::run(args, terminal, stdout, stderr),
        Command::Diagram(args) => diagram::run(args, terminal, stdout, stderr),
        Command::Eval(args) => eval::run(args, stdout, stderr),
        Command::Simulate(args) => simulate::run(args, terminal, stdout, stderr),
        Command::Test(args) => test::run(args, terminal, stdout, stderr),
        Command::Rules(args) => rules::run(args, stdout),
        Command::Explain { code } => rules::explain(&code, stdout, stderr),
        Command::Completions { shell } => completions::run(shell, stdout),
    }
}

/// The largest file an option names (`--input` of `eval`, `--bindings`, `--mock-config`,
/// `--trace`, `--markdown`): far above any real one, and small enough that parsing it stays
/// within memory. `/dev/zero` stops here instead of exhausting memory.
pub const MAX_OPTION_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// AWS's limit on an execution's input (and on any state's input or output): 256 KiB.
pub const MAX_EXECUTION_INPUT_BYTES: u64 = 256 * 1024;

/// Reads a text file (or standard input for `-`) of at most `limit` bytes.
fn read_text_limited(path: &std::path::Path, limit: u64) -> Result<String, String> {
    use std::io::Read;
    let shown = if path.as_os_str() == "-" {
        "standard input".to_string()
    } else {
        path.display().to_string()
    };
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        if file.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(format!("cannot read {shown}: it is a directory"));
        }
        Box::new(file)
    };
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {shown}: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!(
            "{shown} is larger than {}",
            crate::source::human_size(limit as usize)
        ));
    }
    if let Some(order) = crate::source::utf16(&bytes) {
        return Err(format!(
            "{shown} is UTF-16 ({order}) text; aslkit reads JSON as UTF-8, re-save it as UTF-8"
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{shown} is not UTF-8 text"))
}

/// A JSON file an option names (or standard input for `-`), up to [`MAX_OPTION_FILE_BYTES`].
fn read_json(path: &std::path::Path) -> Result<serde_json::Value, String> {
    read_json_limited(path, MAX_OPTION_FILE_BYTES)
}

fn read_json_limited(path: &std::path::Path, limit: u64) -> Result<serde_json::Value, String> {
    let text = read_text_limited(path, limit)?;
    serde_json::from_str(&text).map_err(|e| {
        if e.to_string().starts_with("recursion limit exceeded") {
            format!(
                "{} nests arrays and objects more than 128 levels deep, the most aslkit reads (at line {}, column {})",
                path.display(),
                e.line(),
                e.column()
            )
        } else {
            format!("{} is not JSON: {e}", path.display())
        }
    })
}

/// Loads the machine a `DEF` argument (`FILE`, `FILE#NAME`, `-`) and `--machine` name. On
/// failure the reason is written to `stderr` (a load failure as `validate` reports it) and the
/// exit status returned.
fn select_machine(
    definition: &std::path::Path,
    machine: Option<&str>,
    terminal: &Terminal,
    stderr: &mut dyn Write,
) -> Result<crate::source::select::Selected, ExitStatus> {
    use crate::report::{self, FileReport, Report};
    use crate::source::select::{self, MachineSpec, SelectError};
    let spec = if definition.as_os_str() == "-" {
        MachineSpec {
            path: definition.to_path_buf(),
            name: None,
        }
    } else {
        MachineSpec::parse(definition)
    };
    let spec = spec.with_name(machine).map_err(|m| usage_error(stderr, &m))?;
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
            let report = Report {
                files: vec![FileReport::failed(failure.origin.display(), failure)],
            };
            write(
                stderr,
                &report::render(
                    &report,
                    report::Format::Human,
                    &report::Options::human(terminal.diagnostic_options()),
                ),
            );
            Err(ExitStatus::Error)
        }
        Err(e) => Err(usage_error(stderr, &e.to_string())),
    }
}

/// The JSON error object `simulate` and `eval` print on standard output with exit 2:
/// `{"error": {"code", "message"}}`, the message being what was said on standard error
/// (its last `error: …` line, or a load failure's first finding, without colour).
fn json_error(code: &str, said: &str) -> String {
    let plain = strip_ansi(said);
    let message = plain
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("error: "))
        // A load failure is reported as `validate` reports it: its first finding's message.
        .or_else(|| plain.lines().find_map(|l| l.trim().strip_prefix("× ")))
        .or_else(|| plain.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("aslkit could not run")
        .to_string();
    format!("{}\n", serde_json::json!({"error": {"code": code, "message": message}}))
}

/// Text without ANSI colour sequences (`ESC [ … m`).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn usage_error(stderr: &mut dyn Write, message: &str) -> ExitStatus {
    // Messages name states and files from the definition: their control characters are shown,
    // never sent to the terminal.
    let message = crate::report::excerpt::escape_controls_keep_lines(message);
    write(stderr, &format!("error: {message}\n"));
    ExitStatus::Error
}

/// A writer that remembers the first error it met, so that a run whose report could not be
/// written (a closed pipe, a full disk) ends with an error rather than a silent exit 0.
pub struct CheckedWriter<W: Write> {
    inner: W,
    error: Option<std::io::Error>,
}

impl<W: Write> CheckedWriter<W> {
    pub fn new(inner: W) -> Self {
        CheckedWriter { inner, error: None }
    }

    /// The first write or flush error, if any (after a final flush).
    pub fn finish(mut self) -> Option<std::io::Error> {
        if self.error.is_none() {
            if let Err(e) = self.inner.flush() {
                self.error = Some(e);
            }
        }
        self.error
    }

    fn record<T>(&mut self, result: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &result {
            if self.error.is_none() {
                self.error = Some(std::io::Error::new(e.kind(), e.to_string()));
            }
        }
        result
    }
}

impl<W: Write> Write for CheckedWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.error.is_some() {
            return Err(std::io::Error::other("an earlier write failed"));
        }
        let result = self.inner.write(buf);
        self.record(result)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        if self.error.is_some() {
            return Err(std::io::Error::other("an earlier write failed"));
        }
        let result = self.inner.flush();
        self.record(result)
    }
}

/// Writes and flushes; a failure is remembered by the [`CheckedWriter`] the CLI writes through
/// and turns into exit code 2 at the end.
fn write(out: &mut dyn Write, text: &str) {
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}
