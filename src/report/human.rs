//! Human output: miette's graphical reports (rustc style), then a one-line summary.
//!
//! Colour is decided by the caller (`Options::color`): the CLI turns it on only for a terminal
//! and never with `NO_COLOR` set; tests render without colour at a fixed width.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use super::excerpt::{escape_controls, Excerpt};
use super::{FileReport, Report};
use crate::diagnostic::{Diagnostic, Severity};

/// Rendering settings.
#[derive(Debug, Clone)]
pub struct Options {
    pub color: bool,
    /// Terminal width for wrapping.
    pub width: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            color: false,
            width: 100,
        }
    }
}

/// Findings of one code shown per file; the rest are counted in one line (a generated file
/// with thousands of the same mistake would otherwise bury everything else).
pub const MAX_SHOWN_PER_CODE: usize = 50;

/// Reports with at least this many findings are rendered on all cores, a file per task:
/// miette's layout is most of the time of a large `lint` run, and files render independently.
const PARALLEL_FROM: usize = 64;

pub fn render(report: &Report, options: &Options) -> String {
    let mut out = render_files(&report.files, options).concat();
    out.push_str(&summary(report));
    out
}

fn handler(options: &Options) -> GraphicalReportHandler {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false)
}

/// Each file's findings, rendered, in the order of the files.
fn render_files(files: &[FileReport], options: &Options) -> Vec<String> {
    let findings: usize = files.iter().map(|f| f.diagnostics.len()).sum();
    let threads = match findings {
        n if n < PARALLEL_FROM => 1,
        _ => std::thread::available_parallelism()
            .map_or(1, |p| p.get())
            .min(files.len()),
    };
    if threads <= 1 {
        let handler = handler(options);
        return files.iter().map(|f| render_file(&handler, f, options)).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take = || {
        let handler = handler(options);
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(file) = files.get(i) else {
                return done;
            };
            done.push((i, render_file(&handler, file, options)));
        }
    };
    let mut rendered: Vec<Option<String>> = vec![None; files.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads)
            .filter_map(|_| std::thread::Builder::new().spawn_scoped(scope, take).ok())
            .collect();
        for (i, text) in take() {
            rendered[i] = Some(text);
        }
        for worker in workers {
            for (i, text) in worker.join().unwrap_or_default() {
                rendered[i] = Some(text);
            }
        }
    });
    let handler = handler(options);
    rendered
        .into_iter()
        .zip(files)
        .map(|(text, file)| text.unwrap_or_else(|| render_file(&handler, file, options)))
        .collect()
}

fn render_file(handler: &GraphicalReportHandler, file: &FileReport, options: &Options) -> String {
    let mut out = String::new();
    let mut shown: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for d in &file.diagnostics {
        let count = shown.entry(d.code).or_default();
        *count += 1;
        if *count > MAX_SHOWN_PER_CODE {
            continue;
        }
        render_one(handler, file, d, &mut out);
        if let Some(note) = &d.note {
            // miette has no slot for a note: it goes under the report, aligned with `help:`.
            push_wrapped(&mut out, "  note: ", &escape_controls(note), options.width);
        }
        out.push('\n');
    }
    let mut hidden: Vec<(&str, usize)> = shown
        .into_iter()
        .filter(|&(_, n)| n > MAX_SHOWN_PER_CODE)
        .map(|(code, n)| (code, n - MAX_SHOWN_PER_CODE))
        .collect();
    hidden.sort();
    for (code, n) in hidden {
        out.push_str(&format!(
            "{}: {n} more {code} findings not shown (`--format json` lists them all)\n\n",
            escape_controls(&file.path)
        ));
    }
    out
}

fn render_one(handler: &GraphicalReportHandler, file: &FileReport, d: &Diagnostic, out: &mut String) {
    let resolved = file.resolve(d);
    let mut spans = Vec::new();
    let mut texts = Vec::new();
    if let Some(r) = &resolved {
        spans.push(r.start..r.end);
        texts.push(d.label.clone().unwrap_or_default());
    }
    for l in &d.labels {
        if let Some(r) = file.resolve_place(&l.place) {
            spans.push(r.start..r.end);
            texts.push(l.message.clone());
        }
    }
    let source = file.source.as_ref().filter(|_| resolved.is_some());
    let (excerpt, mapped) = match source {
        Some(s) => {
            let (excerpt, mapped) = Excerpt::new(&file.path, &s.text, s.lines(), &spans);
            (Some(excerpt), mapped)
        }
        None => (None, Vec::new()),
    };
    let shown = Shown {
        code: d.code,
        severity: d.severity,
        message: escape_controls(&match (&resolved, &file.source) {
            (Some(_), Some(_)) => d.message.clone(),
            // Without a source excerpt, the header names the file itself.
            _ => format!("{}: {}", file.path, d.message),
        }),
        help: d.help.as_deref().map(escape_controls),
        source: excerpt,
        labels: mapped
            .iter()
            .zip(texts)
            .enumerate()
            .map(|(i, (r, text))| {
                let text = non_empty(escape_controls(&text));
                let span = (r.start, r.end.saturating_sub(r.start));
                if i == 0 {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            })
            .collect(),
    };
    let mut text = String::new();
    if handler.render_report(&mut text, &shown).is_err() {
        text = format!("{}[{}]: {}\n", d.severity.as_str(), d.code, shown.message);
    }
    out.push_str(&text);
}

/// Appends `prefix` + `text` word-wrapped to `width`, continuation lines indented like the text.
fn push_wrapped(out: &mut String, prefix: &str, text: &str, width: usize) {
    let indent = " ".repeat(prefix.chars().count());
    let room = width.saturating_sub(prefix.chars().count()).max(20);
    let mut line = String::new();
    let mut first = true;
    let mut flush = |line: &mut String, first: &mut bool| {
        out.push_str(if *first { prefix } else { &indent });
        out.push_str(line);
        out.push('\n');
        line.clear();
        *first = false;
    };
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            flush(&mut line, &mut first);
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || first {
        flush(&mut line, &mut first);
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn summary(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let files = report.files.len();
    let noun = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    if errors == 0 && warnings == 0 {
        format!("{} checked: no problems found.\n", noun(files, "file", "files"))
    } else {
        format!(
            "{} checked: {}, {}.\n",
            noun(files, "file", "files"),
            noun(errors, "error", "errors"),
            noun(warnings, "warning", "warnings")
        )
    }
}

/// A diagnostic in the shape miette renders.
struct Shown {
    code: &'static str,
    severity: Severity,
    message: String,
    help: Option<String>,
    source: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
}

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl miette::Diagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}
