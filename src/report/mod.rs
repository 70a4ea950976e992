//! Presenting findings. Detection knows nothing about this module; this module knows nothing
//! about how findings were made. One file per output format, each a function from a
//! [`Report`] to text. The findings themselves, and how their locations resolve to lines and
//! columns, are `crate::findings`.

pub mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod json_lines;
pub mod junit;
pub mod rules;
pub mod sarif;
pub mod simulation;
pub mod test_results;

use std::path::PathBuf;

use crate::diagnostic::Severity;
pub use crate::findings::{FileReport, Report, Resolved, SourceText};

/// Output formats for `validate` and `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Rich, rustc-style reports with source excerpts
    #[default]
    Human,
    /// The JSON report described in the README (version 1)
    Json,
    /// One JSON object per finding per line
    JsonLines,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
    /// JUnit XML: a testcase per file, a failure per finding that fails the run
    Junit,
}

/// What the formats need besides the findings.
#[derive(Debug, Clone)]
pub struct Options {
    pub human: human::Options,
    /// The command that made the report (`validate`, `lint`): names the JUnit suite.
    pub command: &'static str,
    /// The least severe finding that fails the run: JUnit failures are those.
    pub fail_on: Severity,
    /// The folder SARIF locations are relative to (`%SRCROOT%`); the working directory when
    /// `None`.
    pub sarif_root: Option<PathBuf>,
}

impl Options {
    /// Options for human output only.
    pub fn human(human: human::Options) -> Self {
        Options {
            human,
            command: "validate",
            fail_on: Severity::Error,
            sarif_root: None,
        }
    }
}

/// Renders a report in the chosen format.
pub fn render(report: &Report, format: Format, options: &Options) -> String {
    match format {
        Format::Human => human::render(report, &options.human),
        Format::Json => json::render(report),
        Format::JsonLines => json_lines::render(report),
        Format::Sarif => sarif::render(report, options.sarif_root.as_deref()),
        Format::Github => github::render(report),
        Format::Junit => junit::render(report, options),
    }
}
