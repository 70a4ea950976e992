use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports that aslkit itself failed while checking a file: a bug in aslkit, not a problem
    /// in the definition.
    ///
    /// ## Why it matters
    /// The file could not be checked, so the run exits with code 2; every other file is still
    /// checked and reported. Please report the bug with the file that triggers it.
    ///
    /// ## Example
    /// ```text
    /// aslkit validate machine-that-meets-a-bug.asl.json
    /// ```
    ///
    /// ## Use instead
    /// Nothing to change in the definition; report the bug.
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html>
    pub struct InternalError {
        code: crate::source::codes::INTERNAL_ERROR,
        name: "internal-error",
        summary: "aslkit failed while checking the file (a bug in aslkit)",
        severity: Error,
        aws_code: None,
        emitted_by: "loader",
    }
}
