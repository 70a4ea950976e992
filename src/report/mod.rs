//! Presenting findings. Detection knows nothing about this module; this module knows nothing
//! about how findings were made. One file per output format, each a function from a
//! [`Report`] to text. The findings themselves, and how their locations resolve to lines and
//! columns, are `crate::findings`.

pub mod excerpt;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;
pub mod simulation;
pub mod test_results;

pub use crate::findings::{FileReport, Report, Resolved, SourceText};

/// Output formats for `validate` (and later `lint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Rich, rustc-style reports with source excerpts
    #[default]
    Human,
    /// The JSON report described in the README (version 1)
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// GitHub Actions workflow commands (annotations on pull requests)
    Github,
}

/// Renders a report in the chosen format.
pub fn render(report: &Report, format: Format, options: &human::Options) -> String {
    match format {
        Format::Human => human::render(report, options),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
    }
}
