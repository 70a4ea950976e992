//! State machines in Terraform files: `resource "aws_sfn_state_machine" "NAME"` blocks of
//! `.tf` files.
//!
//! A `.tf` file is parsed with `hcl-edit`, which keeps the byte span of every expression, and
//! read as a JSON value that holds only the state machines, each at
//! `/resource/aws_sfn_state_machine/NAME/definition`, with every node located in the `.tf`
//! text. The `definition` argument can be written as
//!
//! | written | read as |
//! |---|---|
//! | `jsonencode({ StartAt = "A", … })` | the HCL object evaluated to JSON; a reference (`aws_lambda_function.x.arn`, `var.timeout`, `local.retries`), a function call or an operation is an unknown of the right type ([`crate::unknown`]); `"${…}"` inside a string stays text |
//! | a heredoc (`<<EOF … EOF`, `<<-EOF`) | its lines as JSON text located in the `.tf` file; an unquoted `${…}` is an unknown of the right type |
//! | `file("x.asl.json")`, `templatefile("x.asl.json", {…})` | the file, confined to the repository as a `DefinitionUri` is; `templatefile` fills its `${…}` in the text, as CloudFormation's substitutions do |
//! | `local.NAME` | the `locals` value of that name in the same file |
//!
//! `${path.module}/` (or `path.root`, `path.cwd`) before a file name is the `.tf` file's folder.
//! Anything else (a `data.template_file`, a variable) is computed by Terraform and not checked.

use std::collections::HashMap;
use std::ops::Range;

use hcl_edit::expr::{Expression, ObjectKey, UnaryOperator};
use hcl_edit::structure::{Block, Body};
use hcl_edit::template::{Element, Template};
use hcl_edit::Span;
use serde_json::{Map, Number, Value};

use super::json::{Parsed, SyntaxError};
use super::spans::{NodeSpan, SpanIndex};
use crate::model::MachineType;
use crate::pointer::child;

/// The resource type of a state machine.
pub const RESOURCE: &str = "aws_sfn_state_machine";

/// How deep `local.a` → `local.b` → … is followed.
const MAX_LOCAL_DEPTH: usize = 8;

/// A `.tf` file read as JSON (see the module docs).
#[derive(Debug)]
pub struct Read {
    pub parsed: Parsed,
    pub machines: Vec<Machine>,
    /// A heredoc definition that is not JSON: the message and its byte range in the file.
    pub errors: Vec<(String, Range<usize>)>,
}

/// One `aws_sfn_state_machine` resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Machine {
    /// The resource name (`aws_sfn_state_machine.NAME`).
    pub name: String,
    /// `/resource/aws_sfn_state_machine/NAME/definition`.
    pub pointer: String,
    /// The `type` argument, when it is a literal.
    pub machine_type: Option<MachineType>,
    pub definition: Definition,
}

/// What the `definition` argument is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definition {
    /// `jsonencode({…})` or a heredoc: the value at the machine's pointer.
    Inline,
    /// `file(…)` / `templatefile(…)`: the file name as written (the value at the pointer is
    /// that name, located at the argument), and the keys of `templatefile`'s variables (`None`
    /// for `file`, which substitutes nothing; an empty list when they are not known).
    File {
        name: String,
        variables: Option<Vec<String>>,
    },
    /// Computed by Terraform: the expression as written.
    Computed(String),
    /// A heredoc that is not JSON (reported in [`Read::errors`]).
    Invalid,
}

/// Reads a `.tf` file (see the module docs); the HCL syntax error when it does not parse.
pub fn read(text: &str) -> Result<Read, SyntaxError> {
    let body = hcl_edit::parser::parse_body(text).map_err(|e| SyntaxError {
        message: e.message().to_string(),
        offset: e.location().offset().min(text.len()),
    })?;
    let mut reader = Reader {
        text,
        spans: SpanIndex::default(),
        locals: locals(&body),
        errors: Vec::new(),
        depth: 0,
    };
    let mut machines = Vec::new();
    let mut resources = Map::new();
    for block in body.get_blocks("resource") {
        let [kind, name] = block.labels.as_slice() else {
            continue;
        };
        if kind.as_str() != RESOURCE {
            continue;
        }
        let pointer = child(&child("/resource", RESOURCE), name.as_str());
        reader.spans.insert(
            pointer.clone(),
            NodeSpan {
                key: name.span(),
                value: block.span().unwrap_or_default(),
            },
        );
        let mut resource = Map::new();
        if let Some(machine) = reader.machine(block, name.as_str(), &pointer, &mut resource) {
            machines.push(machine);
        }
        resources.insert(name.as_str().to_string(), Value::Object(resource));
    }
    let mut root = Map::new();
    if !resources.is_empty() {
        let mut kinds = Map::new();
        kinds.insert(RESOURCE.to_string(), Value::Object(resources));
        root.insert("resource".to_string(), Value::Object(kinds));
    }
    reader.spans.insert(
        String::new(),
        NodeSpan {
            key: None,
            value: 0..text.len(),
        },
    );
    Ok(Read {
        parsed: Parsed {
            value: Value::Object(root),
            spans: reader.spans,
            duplicates: Vec::new(),
        },
        machines,
        errors: reader.errors,
    })
}

/// Every `locals { NAME = … }` value of the file.
fn locals(body: &Body) -> HashMap<String, Expression> {
    body.get_blocks("locals")
        .flat_map(|b| b.body.attributes())
        .map(|a| (a.key.as_str().to_string(), a.value.clone()))
        .collect()
}

struct Reader<'a> {
    text: &'a str,
    spans: SpanIndex,
    locals: HashMap<String, Expression>,
    errors: Vec<(String, Range<usize>)>,
    depth: usize,
}

impl Reader<'_> {
    fn machine(
        &mut self,
        block: &Block,
        name: &str,
        pointer: &str,
        resource: &mut Map<String, Value>,
    ) -> Option<Machine> {
        let machine_type = block.body.get_attribute("type").and_then(|a| match a.value.as_str() {
            Some("STANDARD") => Some(MachineType::Standard),
            Some("EXPRESS") => Some(MachineType::Express),
            _ => None,
        });
        let attribute = block.body.get_attribute("definition")?;
        let at = child(pointer, "definition");
        let (value, definition) = self.definition(&attribute.value, &at, attribute.key.span());
        resource.insert("definition".to_string(), value);
        Some(Machine {
            name: name.to_string(),
            pointer: at,
            machine_type,
            definition,
        })
    }

    fn definition(&mut self, expr: &Expression, pointer: &str, key: Option<Range<usize>>) -> (Value, Definition) {
        let span = expr.span().unwrap_or_default();
        match expr {
            Expression::FuncCall(call) if call.name.namespace.is_empty() => {
                let args: Vec<&Expression> = call.args.iter().collect();
                match (call.name.name.as_str(), args.as_slice()) {
                    ("jsonencode", [value]) => (self.value(value, pointer, key), Definition::Inline),
                    (function @ ("file" | "templatefile"), [file, rest @ ..]) => {
                        let Some(name) = file_name(file) else {
                            return self.computed(expr, pointer, key);
                        };
                        self.spans.insert(
                            pointer.to_string(),
                            NodeSpan {
                                key,
                                value: file.span().unwrap_or(span),
                            },
                        );
                        let variables = (function == "templatefile").then(|| match rest.first() {
                            Some(Expression::Object(vars)) => {
                                vars.iter().map(|(k, _)| key_text(self.text, k)).collect()
                            }
                            _ => Vec::new(),
                        });
                        (Value::String(name.clone()), Definition::File { name, variables })
                    }
                    _ => self.computed(expr, pointer, key),
                }
            }
            Expression::HeredocTemplate(heredoc) => match heredoc_body(self.text, heredoc.span()) {
                Some(body) => self.heredoc(body, pointer, key),
                None => self.computed(expr, pointer, key),
            },
            Expression::Parenthesis(inner) => self.definition(inner.inner(), pointer, key),
            Expression::Traversal(traversal) => match self.local(traversal) {
                Some(local) if self.depth < MAX_LOCAL_DEPTH => {
                    self.depth += 1;
                    let found = self.definition(&local, pointer, key);
                    self.depth -= 1;
                    found
                }
                _ => self.computed(expr, pointer, key),
            },
            _ => self.computed(expr, pointer, key),
        }
    }

    /// The expression of `local.NAME`.
    fn local(&self, traversal: &hcl_edit::expr::Traversal) -> Option<Expression> {
        let Expression::Variable(root) = &traversal.expr else {
            return None;
        };
        let [operator] = traversal.operators.as_slice() else {
            return None;
        };
        match operator.value() {
            hcl_edit::expr::TraversalOperator::GetAttr(name) if root.as_str() == "local" => {
                self.locals.get(name.as_str()).cloned()
            }
            _ => None,
        }
    }

    fn computed(&mut self, expr: &Expression, pointer: &str, key: Option<Range<usize>>) -> (Value, Definition) {
        let span = self.record(expr, pointer, key);
        let written = self.text.get(span).unwrap_or_default().trim().to_string();
        (Value::Null, Definition::Computed(written))
    }

    /// A heredoc's lines as JSON text: offsets in it are offsets of the `.tf` file shifted by
    /// where the body starts.
    fn heredoc(&mut self, body: Range<usize>, pointer: &str, key: Option<Range<usize>>) -> (Value, Definition) {
        let text = &self.text[body.clone()];
        // Step Functions receives the text as Terraform fills it in: JSON, no YAML fallback.
        let read = super::substitution::parse_json(text).and_then(|read| match read.not_json {
            Some(e) => Err(e),
            None => Ok(read),
        });
        match read {
            Ok(read) => {
                let mut spans = read.parsed.spans;
                spans.map_ranges(|r| *r = r.start + body.start..r.end + body.start);
                for (p, span) in spans.iter() {
                    let mut span = span.clone();
                    if p.is_empty() {
                        span.key = key.clone();
                    }
                    self.spans.insert(format!("{pointer}{p}"), span);
                }
                (read.view.unwrap_or(read.parsed.value), Definition::Inline)
            }
            Err(e) => {
                let at = body.start + e.offset.min(text.len());
                let end = self.text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                self.errors
                    .push((format!("invalid JSON in the heredoc: {}", e.message), at..end));
                self.spans.insert(pointer.to_string(), NodeSpan { key, value: body });
                (Value::Null, Definition::Invalid)
            }
        }
    }

    /// Indexes the node at `pointer` with the span of `expr` (and of its key), and returns that span.
    fn record(&mut self, expr: &Expression, pointer: &str, key: Option<Range<usize>>) -> Range<usize> {
        let span = expr.span().unwrap_or_default();
        self.spans.insert(
            pointer.to_string(),
            NodeSpan {
                key,
                value: span.clone(),
            },
        );
        span
    }

    /// An HCL expression evaluated to JSON, as `jsonencode` would, with its nodes indexed.
    fn value(&mut self, expr: &Expression, pointer: &str, key: Option<Range<usize>>) -> Value {
        let span = self.record(expr, pointer, key);
        match expr {
            Expression::Null(_) => Value::Null,
            Expression::Bool(b) => Value::Bool(*b.value()),
            Expression::Number(n) => number(n.value()).unwrap_or_else(|| self.unknown(span)),
            Expression::String(s) => Value::String(s.value().clone()),
            Expression::StringTemplate(t) => self.template(t, span),
            Expression::HeredocTemplate(h) => self.template(&h.template, span),
            Expression::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.value(item, &format!("{pointer}/{i}"), None))
                    .collect(),
            ),
            Expression::Object(object) => {
                let mut out = Map::new();
                for (k, v) in object.iter() {
                    let name = key_text(self.text, k);
                    let value = self.value(v.expr(), &child(pointer, &name), k.span());
                    out.insert(name, value);
                }
                Value::Object(out)
            }
            Expression::Parenthesis(inner) => {
                let value = self.value(inner.inner(), pointer, None);
                // The parenthesis' span, with the key.
                self.spans
                    .insert(pointer.to_string(), NodeSpan { key: None, value: span });
                value
            }
            Expression::UnaryOp(op) if op.operator.value() == &UnaryOperator::Neg => match &op.expr {
                Expression::Number(n) => number(n.value())
                    .and_then(|v| negate(&v))
                    .unwrap_or_else(|| self.unknown(span)),
                _ => self.unknown(span),
            },
            _ => self.unknown(span),
        }
    }

    /// A string template: literal parts as written, interpolations kept as `${…}` text; a
    /// template with `%{…}` directives is an unknown.
    fn template(&self, template: &Template, span: Range<usize>) -> Value {
        let mut out = String::new();
        for element in template.iter() {
            match element {
                Element::Literal(literal) => out.push_str(literal.value()),
                Element::Interpolation(i) => {
                    let written = i.expr.span().and_then(|s| self.text.get(s)).unwrap_or_default();
                    out.push_str("${");
                    out.push_str(written.trim());
                    out.push('}');
                }
                Element::Directive(_) => return self.unknown(span),
            }
        }
        Value::String(out)
    }

    /// The stand-in for a value only Terraform knows, named by the expression as written.
    fn unknown(&self, span: Range<usize>) -> Value {
        let written = self.text.get(span).unwrap_or_default().trim();
        crate::unknown::stand_in(&format!("${{{written}}}"))
    }
}

fn number(n: &hcl_edit::Number) -> Option<Value> {
    if let Some(i) = n.as_i64() {
        return Some(Value::Number(i.into()));
    }
    if let Some(u) = n.as_u64() {
        return Some(Value::Number(u.into()));
    }
    n.as_f64().and_then(Number::from_f64).map(Value::Number)
}

fn negate(value: &Value) -> Option<Value> {
    let n = value.as_number()?;
    if let Some(i) = n.as_i64() {
        return i.checked_neg().map(|v| Value::Number(v.into()));
    }
    n.as_f64().and_then(|f| Number::from_f64(-f)).map(Value::Number)
}

/// An object key as `jsonencode` writes it.
fn key_text(text: &str, key: &ObjectKey) -> String {
    match key {
        ObjectKey::Ident(ident) => ident.as_str().to_string(),
        ObjectKey::Expression(Expression::String(s)) => s.value().clone(),
        ObjectKey::Expression(e) => e
            .span()
            .and_then(|s| text.get(s))
            .unwrap_or_default()
            .trim()
            .trim_matches('"')
            .to_string(),
    }
}

/// The file a `file(…)` or `templatefile(…)` names, relative to the `.tf` file: a literal, or
/// `"${path.module}/x.json"`.
fn file_name(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(s) => Some(s.value().clone()),
        Expression::StringTemplate(t) => {
            let elements: Vec<&Element> = t.iter().collect();
            let [Element::Interpolation(i), Element::Literal(rest)] = elements.as_slice() else {
                return None;
            };
            let Expression::Traversal(path) = &i.expr else {
                return None;
            };
            let Expression::Variable(root) = &path.expr else {
                return None;
            };
            let folder = matches!(
                path.operators.as_slice(),
                [op] if matches!(op.value(), hcl_edit::expr::TraversalOperator::GetAttr(a) if ["module", "root", "cwd"].contains(&a.as_str()))
            );
            (root.as_str() == "path" && folder).then(|| rest.value().trim_start_matches('/').to_string())
        }
        _ => None,
    }
}

/// The byte range of a heredoc's lines: after the line holding `<<EOF`, before the line holding
/// the closing delimiter.
fn heredoc_body(text: &str, span: Option<Range<usize>>) -> Option<Range<usize>> {
    let span = span?;
    let written = text.get(span.clone())?;
    let start = span.start + written.find('\n')? + 1;
    let end = span.start + written.trim_end().rfind('\n')? + 1;
    (start <= end).then_some(start..end)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use serde_json::json;

    const TF: &str = r#"
locals {
  retries = 3
}

resource "aws_sfn_state_machine" "orders" {
  name     = "orders"
  type     = "EXPRESS"
  role_arn = aws_iam_role.sfn.arn
  definition = jsonencode({
    StartAt = "Charge"
    States = {
      Charge = {
        Type     = "Task"
        Resource = aws_lambda_function.charge.arn
        TimeoutSeconds = var.timeout
        "Parameters" = { "Payload.$" = "$", Region = "${var.region}-x" }
        Retry = [{ ErrorEquals = ["States.ALL"], MaxAttempts = local.retries, BackoffRate = 1.5, IntervalSeconds = -1 }]
        End = true
      }
    }
  })
}

resource "aws_sfn_state_machine" "heredoc" {
  definition = <<-EOF
    {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": ${var.wait}, "End": true}}}
  EOF
}

resource "aws_sfn_state_machine" "from_file" {
  definition = templatefile("${path.module}/order.asl.json", { FunctionArn = aws_lambda_function.x.arn })
}

resource "aws_s3_bucket" "b" {}
"#;

    #[test]
    fn reads_every_form_of_definition() {
        let read = read(TF).unwrap();
        let names: Vec<_> = read.machines.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["orders", "heredoc", "from_file"]);
        assert_eq!(read.machines[0].machine_type, Some(MachineType::Express));
        let orders = read
            .parsed
            .value
            .pointer("/resource/aws_sfn_state_machine/orders/definition")
            .unwrap();
        assert_eq!(
            orders.pointer("/States/Charge/Resource"),
            Some(&json!({"Fn::Sub": "${aws_lambda_function.charge.arn}"}))
        );
        assert_eq!(
            orders.pointer("/States/Charge/Parameters/Region"),
            Some(&json!("${var.region}-x"))
        );
        assert_eq!(
            orders.pointer("/States/Charge/Retry/0/IntervalSeconds"),
            Some(&json!(-1))
        );
        assert_eq!(orders.pointer("/States/Charge/Retry/0/BackoffRate"), Some(&json!(1.5)));
        let heredoc = read
            .parsed
            .value
            .pointer("/resource/aws_sfn_state_machine/heredoc/definition")
            .unwrap();
        assert_eq!(
            heredoc.pointer("/States/W/Seconds"),
            Some(&json!({"Fn::Sub": "${var.wait}"}))
        );
        assert_eq!(
            read.machines[2].definition,
            Definition::File {
                name: "order.asl.json".into(),
                variables: Some(vec!["FunctionArn".into()])
            }
        );
    }

    #[test]
    fn spans_point_into_the_tf_file() {
        let read = read(TF).unwrap();
        let at = |p: &str| {
            let span = read.parsed.spans.get(p).unwrap();
            &TF[span.value.clone()]
        };
        assert_eq!(
            at("/resource/aws_sfn_state_machine/orders/definition/States/Charge/Type"),
            "\"Task\""
        );
        let key = read
            .parsed
            .spans
            .get("/resource/aws_sfn_state_machine/orders/definition/States/Charge/Parameters/Payload.$")
            .unwrap()
            .key
            .clone()
            .unwrap();
        assert_eq!(&TF[key], "\"Payload.$\"");
        assert_eq!(
            at("/resource/aws_sfn_state_machine/heredoc/definition/States/W/Type"),
            "\"Wait\""
        );
        assert_eq!(
            at("/resource/aws_sfn_state_machine/from_file/definition"),
            "\"${path.module}/order.asl.json\""
        );
    }

    #[test]
    fn bad_hcl_and_bad_heredocs_are_located() {
        assert!(read("resource \"x\" {").is_err());
        let read = read("resource \"aws_sfn_state_machine\" \"m\" {\n  definition = <<EOF\n{\"StartAt\": }\nEOF\n}\n")
            .unwrap();
        assert_eq!(read.machines[0].definition, Definition::Invalid);
        assert_eq!(read.errors.len(), 1);
    }
}
