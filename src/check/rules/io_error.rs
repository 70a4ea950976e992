use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an input that could not be read: a missing file, a directory named where a file
    /// was expected, a permission problem, or a file far too large to be a definition.
    ///
    /// ## Why it matters
    /// A file that cannot be read cannot be checked; the run exits with code 2 so that CI notices,
    /// but every other file is still checked and reported.
    ///
    /// ## Example
    /// ```text
    /// aslkit validate does-not-exist.asl.json
    /// ```
    ///
    /// ## Use instead
    /// Name an existing, readable file, or a directory to scan.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html>
    pub struct IoError {
        code: crate::source::codes::IO_ERROR,
        name: "unreadable-input",
        summary: "The input could not be read",
        severity: Error,
        aws_code: None,
        emitted_by: "loader",
    }
}
