//! Command-line arguments as plain data (clap derive). Also feeds shell completions.
//!
//! The value enums here are the CLI's own: library types derive no clap traits, and each enum
//! maps onto its library counterpart with `From`, so the library stays usable without clap.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Validate, lint, simulate and draw AWS Step Functions state machines.
#[derive(Debug, Parser)]
#[command(
    name = "aslkit",
    version = concat!(
        env!("CARGO_PKG_VERSION"),
        " (Amazon States Language: JSONPath and JSONata 2.0 query languages, variables, Distributed Map)"
    ),
    about,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report what AWS would reject on CreateStateMachine, with exact locations
    ///
    /// Exit codes: 0 no errors, 1 errors found, 2 usage error or unreadable/unparsable input.
    Validate(ValidateArgs),
    /// Validate, then review what will hurt in production: timeouts, retries, error handling,
    /// loops, variables (configured by aslkit.toml)
    ///
    /// Exit codes: 0 nothing at or above --fail-on, 1 findings at or above --fail-on, 2 usage
    /// error, unreadable/unparsable input, or a bad aslkit.toml.
    Lint(LintArgs),
    /// Draw a state machine as a Mermaid or Graphviz DOT diagram
    ///
    /// Exit codes: 0 written, 1 --check found the Markdown stale, 2 usage error or
    /// unreadable/unparsable input.
    Diagram(DiagramArgs),
    /// Evaluate one JSONata or JSONPath expression as a state would
    ///
    /// Exit codes: 0 a value (or undefined), 1 an evaluation or syntax error, 2 an unreadable
    /// --input or --bindings file.
    Eval(EvalArgs),
    /// Run a state machine locally against mocked task results (Step Functions Local mocks)
    ///
    /// Exit codes: 0 SUCCEEDED, 1 FAILED or TIMED_OUT, 2 usage error, unreadable input, a
    /// definition that does not validate, or a Task state without a mock.
    Simulate(SimulateArgs),
    /// Run test suites: inputs, mocks and expected outcomes of state machines
    ///
    /// Runs `*.test.yaml`, `*.test.yml` and `*.test.json` suite files (or, with --mock-config,
    /// every test case of a Step Functions Local mock configuration).
    ///
    /// Exit codes: 0 all tests passed, 1 a test failed, 2 usage error or an invalid suite file.
    Test(TestArgs),
    /// List every rule: code, name, default severity, group (validate or lint), fixable, summary
    Rules(RulesArgs),
    /// Print the documentation of one rule
    Explain {
        /// A rule code (ASL104) or name (unknown-transition-target)
        code: String,
    },
    /// Print a shell completion script to standard output
    Completions {
        /// The shell to generate completions for
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, clap::Args)]
pub struct ValidateArgs {
    /// Files or directories to check (`-` for standard input); directories are searched
    /// recursively for .json, .yaml, .yml and .tf files, honouring .gitignore [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The kind of state machine: some integrations exist only for one kind (a template's
    /// StateMachineType wins)
    #[arg(long = "type", value_enum, default_value_t = MachineType::Standard)]
    pub machine_type: MachineType,
    /// When to use colour in human output (never when NO_COLOR is set)
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// With --format sarif: write locations relative to this folder (`%SRCROOT%`) instead of
    /// the working directory; paths outside it become absolute file:// URIs
    #[arg(long, value_name = "DIR")]
    pub sarif_root: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub check: ValidateArgs,
    /// The least severe finding that makes the exit code 1
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,
    /// Exit 0 whatever the findings (2 still means the input could not be checked)
    #[arg(long)]
    pub exit_zero: bool,
    /// Run only these rules: codes (ASL302), prefixes (ASL3), names or ALL; comma-separated
    /// (replaces the configuration's `select`)
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub select: Option<Vec<String>>,
    /// Do not run these rules (added to the configuration's `ignore`)
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Use this configuration file for every input instead of the nearest aslkit.toml above
    /// each file
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the resolved settings (configuration file, selection, severities, rules that run)
    /// for each file instead of checking it
    #[arg(long)]
    pub show_settings: bool,
    /// Apply the safe fixes (renames of deprecated Map keys, a missing `.$`, duplicate
    /// retriers) in place, then report what is left
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the safe fixes as a unified diff without writing (exit 1 when there is one)
    #[arg(long)]
    pub diff: bool,
}

/// The least severe finding that fails `aslkit lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
}

#[derive(Debug, clap::Args)]
pub struct DiagramArgs {
    /// The definition to draw: a file, or FILE#NAME for one of a template's state machines
    #[arg(value_name = "DEF")]
    pub definition: PathBuf,
    /// The state machine to draw when DEF is a template holding several (its logical id)
    #[arg(long, value_name = "NAME")]
    pub machine: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiagramFormat::Mermaid)]
    pub format: DiagramFormat,
    /// Highlight the states entered and edges taken in a run (`aslkit simulate --format json`)
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    /// Rewrite the diagram between `<!-- aslkit-diagram: DEF -->` and `<!-- /aslkit-diagram -->`
    /// in this Markdown file instead of printing it
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// With --markdown: change nothing, exit 1 when the diagram in the file is stale
    #[arg(long, requires = "markdown")]
    pub check: bool,
    /// Draw covered and uncovered states and edges distinctly (`aslkit test --coverage-out`)
    #[arg(long, value_name = "FILE", conflicts_with = "trace")]
    pub coverage: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// The expression's language: JSONata 2.0.6 (bare or in `{% … %}`), or a JSONPath /
    /// intrinsic function call as in a `….$` field
    #[arg(long, value_enum, default_value_t = Language::Jsonata)]
    pub query_language: Language,
    /// A JSON file holding the input `$` (`-` for standard input); without it the input is
    /// undefined, not `{}`
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// A JSON object file whose members become `$name` variables
    #[arg(long, value_name = "FILE")]
    pub bindings: Option<PathBuf>,
    /// Output format: the value as JSON, or {"value": …} / {"undefined": true} / {"error": …}
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
    /// The expression (put `--` before one that starts with `-`)
    #[arg(allow_hyphen_values = true)]
    pub expression: String,
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// The state machine definition (ASL JSON or YAML), or FILE#NAME for one of a template's
    /// state machines
    #[arg(value_name = "DEF")]
    pub definition: PathBuf,
    /// The state machine to run when DEF is a template holding several (its logical id)
    #[arg(long, value_name = "NAME")]
    pub machine: Option<String>,
    /// A JSON file holding the execution input (`-` for standard input) [default: {}]
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
    /// A Step Functions Local MockConfigFile.json
    #[arg(long, value_name = "FILE", requires = "test_case")]
    pub mock_config: Option<PathBuf>,
    /// The test case of the mock configuration to run
    #[arg(long, value_name = "NAME", requires = "mock_config")]
    pub test_case: Option<String>,
    /// The state machine of the mock configuration (defaults to its only one)
    #[arg(long, value_name = "NAME")]
    pub state_machine: Option<String>,
    /// A directory standing in for S3: ItemReader reads s3://bucket/key from DIR/bucket/key
    #[arg(long, value_name = "DIR")]
    pub s3_root: Option<PathBuf>,
    /// Output format: `history` prints the execution history as GetExecutionHistory returns it
    #[arg(long, value_enum, default_value_t = SimulateFormat::Human)]
    pub format: SimulateFormat,
    /// The kind of state machine: the limits differ (a template's StateMachineType wins)
    #[arg(long = "type", value_enum, default_value_t = MachineType::Standard)]
    pub machine_type: MachineType,
    /// Also report the run's duration, each state's share, the critical path and a cost
    /// estimate (in JSON output: a `stats` member)
    #[arg(long)]
    pub stats: bool,
    /// Express cost estimate: the memory the workflow uses, in MB
    #[arg(long, value_name = "MB", default_value_t = 64)]
    pub memory_mb: u64,
    /// A JSON object overriding the price table: per_transition, per_request, per_gb_second
    /// (US dollars) and as_of (the date the prices were taken)
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
}

/// Output format of `simulate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimulateFormat {
    Human,
    Json,
    /// The execution history: `{"events": [...]}` in the shape of GetExecutionHistory
    History,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Suite files, or directories searched recursively for them (honouring .gitignore); with
    /// --mock-config, the one state machine definition to run [default: .]
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// Run only the tests whose name contains TEXT
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
    /// Write the actual outputs of failing `output` expectations into the suite files
    #[arg(long)]
    pub update: bool,
    /// Report which states, Choice rules, Catch edges and retriers the tests exercised
    #[arg(long)]
    pub coverage: bool,
    /// Write the coverage as JSON to FILE (for `aslkit diagram --coverage FILE`)
    #[arg(long, value_name = "FILE")]
    pub coverage_out: Option<PathBuf>,
    /// Run every test case of this Step Functions Local MockConfigFile.json against the
    /// definition given as PATH, reporting each outcome
    #[arg(long, value_name = "FILE")]
    pub mock_config: Option<PathBuf>,
    /// With --mock-config: the state machine of the mock configuration (defaults to the one
    /// named after the definition, or its only one)
    #[arg(long, value_name = "NAME", requires = "mock_config")]
    pub state_machine: Option<String>,
    /// With --mock-config: a JSON file holding the input of every test case [default: {}]
    #[arg(long, value_name = "FILE", requires = "mock_config")]
    pub input: Option<PathBuf>,
    /// With --mock-config: a directory standing in for S3 (ItemReader reads
    /// s3://bucket/key from DIR/bucket/key)
    #[arg(long, value_name = "DIR", requires = "mock_config")]
    pub s3_root: Option<PathBuf>,
    /// When to use colour in human output (never when NO_COLOR is set)
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
}

/// Formats of `aslkit test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    /// A line per test, diffs for failures, a closing count
    Human,
    /// The JSON report (version 1)
    Json,
    /// JUnit XML: a testsuite per suite file, a testcase per test
    Junit,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

/// Colour choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

/// Formats for listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Human,
    Json,
}

/// Output formats of `validate` and `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Rich, rustc-style reports with source excerpts
    #[default]
    Human,
    /// The JSON report described in the README (version 1)
    Json,
    /// One JSON object per finding per line: the JSON report's fields and the file's path
    JsonLines,
    /// SARIF 2.1.0, for code-scanning dashboards (see --sarif-root)
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
    /// JUnit XML: a testcase per file, a failure per finding that fails the run
    Junit,
}

impl From<Format> for crate::report::Format {
    fn from(format: Format) -> Self {
        match format {
            Format::Human => crate::report::Format::Human,
            Format::Json => crate::report::Format::Json,
            Format::JsonLines => crate::report::Format::JsonLines,
            Format::Sarif => crate::report::Format::Sarif,
            Format::Github => crate::report::Format::Github,
            Format::Junit => crate::report::Format::Junit,
        }
    }
}

/// Output formats of `diagram`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    /// A Mermaid flowchart (renders on GitHub and GitLab in a ```mermaid block)
    Mermaid,
    /// Graphviz DOT
    Dot,
}

impl From<DiagramFormat> for crate::render::Format {
    fn from(format: DiagramFormat) -> Self {
        match format {
            DiagramFormat::Mermaid => crate::render::Format::Mermaid,
            DiagramFormat::Dot => crate::render::Format::Dot,
        }
    }
}

/// The kind of state machine (`--type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum MachineType {
    #[default]
    Standard,
    Express,
}

impl From<MachineType> for crate::model::MachineType {
    fn from(machine_type: MachineType) -> Self {
        match machine_type {
            MachineType::Standard => crate::model::MachineType::Standard,
            MachineType::Express => crate::model::MachineType::Express,
        }
    }
}

/// The query language of `eval`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Language {
    #[default]
    Jsonata,
    Jsonpath,
}

impl From<Language> for crate::eval::Language {
    fn from(language: Language) -> Self {
        match language {
            Language::Jsonata => crate::eval::Language::Jsonata,
            Language::Jsonpath => crate::eval::Language::Jsonpath,
        }
    }
}
