//! A small JUnit XML writer: `<testsuites>` of `<testsuite>`s of `<testcase>`s, each passed,
//! failed, in error or skipped, in the shape the common JUnit schema (Jenkins' `junit-10.xsd`,
//! read by GitLab, GitHub actions, Azure and others) describes.
//!
//! Callers fill plain data ([`Suites`]); [`write`] does the escaping: attribute and text
//! content are escaped for XML, characters XML 1.0 cannot hold (most C0 controls, lone
//! surrogates cannot occur in `str`) are replaced by U+FFFD, and `]]>` never appears since no
//! CDATA is written. Output is deterministic (no timestamps or host names).
//!
//! [`render`] writes the findings of `validate` and `lint` this way: one testsuite for the
//! run, one testcase per file, and in it a `<failure>` per finding that fails the run (at or
//! above `--fail-on`), or an `<error>` when the file could not be read or parsed; the other
//! findings are listed in `<system-out>`.

use std::fmt::Write;

use super::{FileReport, Report};
use crate::diagnostic::{Diagnostic, Severity};

/// The whole document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suites {
    pub name: String,
    pub suites: Vec<Suite>,
}

/// One `<testsuite>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

/// One `<testcase>`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Case {
    pub name: String,
    /// `classname`: what CI systems group cases by (the file, usually).
    pub classname: String,
    /// `file`: the file the case is about, when it is one.
    pub file: Option<String>,
    pub seconds: f64,
    pub outcome: Outcome,
    /// `<system-out>`, when not empty.
    pub output: String,
}

/// How a case ended.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Outcome {
    #[default]
    Passed,
    /// An assertion did not hold.
    Failure {
        message: String,
        kind: String,
        text: String,
    },
    /// The case could not run.
    Error {
        message: String,
        kind: String,
        text: String,
    },
    Skipped {
        message: String,
    },
    /// Several assertions did not hold (a file with several findings): a `<failure>` each.
    Failures(Vec<Fault>),
}

/// One `<failure>` of [`Outcome::Failures`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fault {
    pub message: String,
    pub kind: String,
    pub text: String,
}

impl Suite {
    fn count(&self, pick: fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|c| pick(&c.outcome)).count()
    }
    fn seconds(&self) -> f64 {
        self.cases.iter().map(|c| c.seconds).sum()
    }
}

fn failure(o: &Outcome) -> bool {
    matches!(o, Outcome::Failure { .. } | Outcome::Failures(_))
}
fn error(o: &Outcome) -> bool {
    matches!(o, Outcome::Error { .. })
}
fn skipped(o: &Outcome) -> bool {
    matches!(o, Outcome::Skipped { .. })
}

/// The document, with an XML declaration, ending with a newline.
pub fn write(suites: &Suites) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total = |pick: fn(&Outcome) -> bool| suites.suites.iter().map(|s| s.count(pick)).sum::<usize>();
    let tests: usize = suites.suites.iter().map(|s| s.cases.len()).sum();
    let seconds: f64 = suites.suites.iter().map(Suite::seconds).sum();
    let _ = writeln!(
        out,
        // Jenkins' junit-10.xsd allows no `skipped` here (each testsuite has its own).
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" time=\"{seconds:.3}\">",
        escape(&suites.name),
        total(failure),
        total(error),
    );
    for (id, suite) in suites.suites.iter().enumerate() {
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" id=\"{id}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
            escape(&suite.name),
            suite.cases.len(),
            suite.count(failure),
            suite.count(error),
            suite.count(skipped),
            suite.seconds()
        );
        for case in &suite.cases {
            write_case(&mut out, case);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn write_case(out: &mut String, case: &Case) {
    let _ = write!(
        out,
        "    <testcase name=\"{}\" classname=\"{}\"",
        escape(&case.name),
        escape(&case.classname),
    );
    if let Some(file) = &case.file {
        let _ = write!(out, " file=\"{}\"", escape(file));
    }
    let _ = write!(out, " time=\"{:.3}\"", case.seconds);
    if case.outcome == Outcome::Passed && case.output.is_empty() {
        out.push_str("/>\n");
        return;
    }
    out.push_str(">\n");
    match &case.outcome {
        Outcome::Passed => {}
        Outcome::Failure { message, kind, text } | Outcome::Error { message, kind, text } => {
            let tag = if failure(&case.outcome) { "failure" } else { "error" };
            let _ = writeln!(
                out,
                "      <{tag} message=\"{}\" type=\"{}\">{}</{tag}>",
                escape(message),
                escape(kind),
                escape_text(text)
            );
        }
        Outcome::Skipped { message } => {
            let _ = writeln!(out, "      <skipped message=\"{}\"/>", escape(message));
        }
        Outcome::Failures(faults) => {
            for Fault { message, kind, text } in faults {
                let _ = writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"{}\">{}</failure>",
                    escape(message),
                    escape(kind),
                    escape_text(text)
                );
            }
        }
    }
    if !case.output.is_empty() {
        let _ = writeln!(out, "      <system-out>{}</system-out>", escape_text(&case.output));
    }
    out.push_str("    </testcase>\n");
}

/// The findings of a `validate` or `lint` run (see the module docs).
pub fn render(report: &Report, options: &super::Options) -> String {
    let name = format!("aslkit {}", options.command);
    let cases = report
        .files
        .iter()
        .map(|f| file_case(f, &name, options.fail_on))
        .collect();
    write(&Suites {
        name: name.clone(),
        suites: vec![Suite { name, cases }],
    })
}

fn file_case(f: &FileReport, classname: &str, fail_on: Severity) -> Case {
    let load_failure = |d: &Diagnostic| {
        matches!(
            d.code,
            crate::source::codes::IO_ERROR | crate::source::codes::SYNTAX_ERROR | crate::source::codes::INTERNAL_ERROR
        )
    };
    let fault = |d: &Diagnostic| Fault {
        message: format!("{} {}", d.code, d.message),
        kind: d.code.to_string(),
        text: finding_line(f, d),
    };
    let failing: Vec<&Diagnostic> = f.diagnostics.iter().filter(|d| d.severity >= fail_on).collect();
    let outcome = match failing.iter().find(|d| load_failure(d)) {
        Some(d) => {
            let Fault { message, kind, text } = fault(d);
            Outcome::Error { message, kind, text }
        }
        None if failing.is_empty() => Outcome::Passed,
        None => Outcome::Failures(failing.iter().map(|d| fault(d)).collect()),
    };
    let output: Vec<String> = f
        .diagnostics
        .iter()
        .filter(|d| d.severity < fail_on)
        .map(|d| finding_line(f, d))
        .collect();
    Case {
        name: f.path.clone(),
        classname: classname.to_string(),
        file: Some(f.path.clone()),
        seconds: 0.0,
        outcome,
        output: output.join("\n"),
    }
}

/// `path:line:column: severity[CODE] message`, then `help: …` on its own line.
fn finding_line(f: &FileReport, d: &Diagnostic) -> String {
    let place = match f.resolve(d) {
        Some(r) => format!("{}:{}:{}", f.path, r.line, r.column),
        None => f.path.clone(),
    };
    let mut line = format!("{place}: {}[{}] {}", d.severity.as_str(), d.code, d.message);
    if let Some(pointer) = d.pointer() {
        let _ = write!(line, " (at {})", if pointer.is_empty() { "/" } else { pointer });
    }
    if let Some(help) = &d.help {
        let _ = write!(line, "\nhelp: {help}");
    }
    line
}

/// Text safe in XML content; line breaks and tabs stay as they are.
pub fn escape_text(text: &str) -> String {
    text.split('\n')
        .map(escape)
        .collect::<Vec<_>>()
        .join("\n")
        .replace("&#9;", "\t")
        .replace("&#13;", "\r")
}

/// Text safe in XML attribute values (and content).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Kept in attributes as written, not normalised to spaces by the parser.
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            // XML 1.0 allows no other C0 control, nor U+FFFE/U+FFFF.
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape("a<b>&\"c\"'\u{1}\n"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;\u{FFFD}&#10;"
        );
    }

    #[test]
    fn counts_per_suite() {
        let doc = write(&Suites {
            name: "n".into(),
            suites: vec![Suite {
                name: "s".into(),
                cases: vec![
                    Case {
                        name: "ok".into(),
                        ..Case::default()
                    },
                    Case {
                        name: "bad".into(),
                        outcome: Outcome::Failure {
                            message: "m".into(),
                            kind: "t".into(),
                            text: "]]> x".into(),
                        },
                        ..Case::default()
                    },
                ],
            }],
        });
        assert!(doc.contains("tests=\"2\" failures=\"1\" errors=\"0\" skipped=\"0\""));
        assert!(doc.contains("<testcase name=\"ok\" classname=\"\" time=\"0.000\"/>"));
        assert!(doc.contains("]]&gt; x</failure>"));
    }
}
