use crate::check::Context;
use crate::declare_rule;
use crate::diagnostic::Location;
use crate::expr::jsonata::JsonataError;

declare_rule! {
    /// ## What it does
    /// Checks that every `{% … %}` string in a JSONata state holds an expression that parses as
    /// JSONata 2.0.6, the version Step Functions runs. It looks at every field Step Functions
    /// evaluates — `Arguments`, `Output`, `Assign`, `Items`, `ItemSelector`, `ItemReader`,
    /// `ItemBatcher`, `ResultWriter`, `Credentials`, `TimeoutSeconds`, `HeartbeatSeconds`,
    /// `Seconds`, `Timestamp`, `Error`, `Cause`, `MaxConcurrency`, `ToleratedFailure…`, and the
    /// `Condition`, `Output` and `Assign` of Choice rules and Catchers — at any depth inside
    /// objects and arrays, and points at the character where parsing failed. The message ends
    /// with JSONata's own error code (`S0203` …).
    ///
    /// ## Why it matters
    /// Step Functions parses every JSONata expression when the state machine is created or
    /// updated, and rejects the whole definition with `SCHEMA_VALIDATION_FAILED` if one does not
    /// parse. An unbalanced bracket or a stray quote inside a long `Arguments` object is easy to
    /// miss by eye.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Total", "States": {
    ///   "Total": {"Type": "Pass", "End": true,
    ///     "Output": {"total": "{% $sum($states.input.items.price %}"}}}}
    /// ```
    ///
    /// ## Use instead
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Total", "States": {
    ///   "Total": {"Type": "Pass", "End": true,
    ///     "Output": {"total": "{% $sum($states.input.items.price) %}"}}}}
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html> (JSONata in Step Functions, version 2.0.6)
    /// - <https://docs.jsonata.org/overview> (the JSONata language)
    pub struct InvalidJsonataExpression {
        code: "ASL230",
        name: "invalid-jsonata-expression",
        summary: "A `{% … %}` expression in a JSONata state is not valid JSONata",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl InvalidJsonataExpression {
    fn check(ctx: &mut Context<'_, '_>) {
        let facts = ctx.facts;
        let mut found = Vec::new();
        for parsed in facts.jsonata() {
            // Too deep for us is not a syntax error: Step Functions would accept it.
            let Err(error) = &parsed.ast else { continue };
            if error.is_syntax_error() {
                let body = parsed.expr.body;
                found.push(Invalid {
                    pointer: parsed.expr.pointer.clone(),
                    body_len: body.chars().count(),
                    empty: body.trim().is_empty(),
                    error: error.clone(),
                });
            }
        }
        for bad in found {
            let d = if bad.empty {
                ctx.diagnostic(format!("JSONata syntax error: empty expression ({})", bad.error.code))
                    .at(bad.location())
                    .help("write an expression between `{%` and `%}`, or use a plain string")
            } else {
                let d = ctx
                    .diagnostic(format!(
                        "JSONata syntax error: {} ({})",
                        bad.error.message, bad.error.code
                    ))
                    .at(bad.location());
                if bad.at_end() {
                    d.label("the expression ends here")
                } else {
                    d
                }
            };
            ctx.report(d);
        }
    }
}

/// An expression that does not parse, in the string at `pointer`.
struct Invalid {
    pointer: String,
    /// Length of the expression between `{%` and `%}`, in characters.
    body_len: usize,
    /// Nothing but whitespace between `{%` and `%}`.
    empty: bool,
    error: JsonataError,
}

/// Characters before the expression in the string: `{%`.
const OPENER: usize = 2;

impl Invalid {
    fn at_end(&self) -> bool {
        self.error.span.start >= self.body_len
    }

    /// The offending characters inside the JSON string; an error at the very end points at the
    /// closing `%}`, so the underline is never empty (and an empty template is underlined whole).
    fn location(&self) -> Location {
        if self.empty {
            return Location::value(self.pointer.clone());
        }
        let span = self.error.span;
        let (start, end) = if self.at_end() {
            (self.body_len, self.body_len + 2)
        } else if span.end > span.start {
            (span.start, span.end.min(self.body_len))
        } else {
            (span.start, span.start + 1)
        };
        Location::in_string(self.pointer.clone(), OPENER + start, OPENER + end)
    }
}
