//! What a parsed JSONata expression refers to, for the checks that need more than "does it parse".
//!
//! Step Functions evaluates a `{% … %}` expression with no context item: the state input is
//! `$states.input`, workflow variables are `$name`. Two questions follow, both answered on the
//! [`Ast`] of the expression (never on its text, so a `$x` inside a string literal is no read):
//!
//! - [`variable_reads`]: the workflow variables it reads — every `$name` that is not `$states`,
//!   not the context (`$`, `$$`), not bound inside the expression itself (`$v := …`, a lambda's
//!   parameters, `@$v`, `#$i`) and not a built-in function (`$sum`, `$string` passed to `$map`);
//! - [`top_level_references`]: what it reads from the top-level context, which Step Functions
//!   refuses (`UNSUPPORTED_JSONATA_EXPRESSION`): a field name as the first step of a path
//!   (`phone`, `order.id`), `$` and `$$`. Only the first step of a path is evaluated against the
//!   top-level context; later steps, predicates, sort terms and group-by expressions run against
//!   the value before them, so a name there is legal. A lambda's body keeps the context of the
//!   expression that defines it, so a bare name in it is a top-level reference too;
//! - [`states_fields`]: which fields of `$states` it reads (`result`, `errorOutput`, …).

use std::collections::HashSet;

use super::jsonata::ast::{Ast, Kind, Node, Stage};
use super::jsonata::is_builtin;
use super::Span;

/// `$name` read in an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariableRead {
    /// Without the `$`.
    pub name: String,
    /// The `$name` token, in characters from the start of the expression.
    pub span: Span,
    /// Written as a function call, `$name(…)`: a misspelt or missing function rather than data.
    pub called: bool,
}

/// The workflow variables an expression reads, in the order they are written (a name read
/// twice is listed twice).
pub fn variable_reads(ast: &Ast) -> Vec<VariableRead> {
    let mut bound = HashSet::new();
    collect_bound(&ast.root, &mut bound);
    let mut called = HashSet::new();
    walk(&ast.root, &mut |node| {
        if let Kind::Function { procedure, .. } | Kind::Partial { procedure, .. } = &node.kind {
            if matches!(procedure.kind, Kind::Variable(_)) {
                called.insert((procedure.span.start, procedure.span.end));
            }
        }
    });
    let mut out = Vec::new();
    walk(&ast.root, &mut |node| {
        if let Kind::Variable(name) = &node.kind {
            if !name.is_empty() && name != "$" && name != "states" && !bound.contains(name) && !is_builtin(name) {
                out.push(VariableRead {
                    name: name.clone(),
                    span: node.span,
                    called: called.contains(&(node.span.start, node.span.end)),
                });
            }
        }
    });
    out
}

/// Every `$name` written in an expression, built-in function names and names bound inside it
/// included: the generous answer to "could this expression read the variable `name`?".
pub fn variable_names(ast: &Ast) -> HashSet<String> {
    let mut out = HashSet::new();
    walk(&ast.root, &mut |node| {
        if let Kind::Variable(name) = &node.kind {
            if !name.is_empty() && name != "$" {
                out.insert(name.clone());
            }
        }
    });
    out
}

/// What an expression reads from the top-level context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopLevel {
    /// A field name: `phone` in `{% phone %}` or `{% phone.number %}`.
    Name(String),
    /// `$`: the context item itself.
    Context,
    /// `$$`: the root of the context.
    Root,
}

impl TopLevel {
    /// As written: `phone`, `$`, `$$`.
    pub fn as_written(&self) -> &str {
        match self {
            TopLevel::Name(name) => name,
            TopLevel::Context => "$",
            TopLevel::Root => "$$",
        }
    }
}

/// Every read of the top-level context, with the span of the name or `$` token, in order.
pub fn top_level_references(ast: &Ast) -> Vec<(TopLevel, Span)> {
    let mut out = Vec::new();
    top_level(&ast.root, &mut out);
    out
}

fn top_level(node: &Node, out: &mut Vec<(TopLevel, Span)>) {
    match &node.kind {
        // Only the first step reads the context; the others read the step before them.
        Kind::Path(path) => {
            if let Some(first) = path.steps.first() {
                top_level(first, out);
            }
        }
        Kind::Name(name) => out.push((TopLevel::Name(name.clone()), node.span)),
        Kind::Variable(name) if name.is_empty() => out.push((TopLevel::Context, node.span)),
        Kind::Variable(name) if name == "$" => out.push((TopLevel::Root, node.span)),
        Kind::Binary { lhs, rhs, .. } | Kind::Apply { lhs, rhs } => {
            top_level(lhs, out);
            top_level(rhs, out);
        }
        Kind::Function { procedure, args } | Kind::Partial { procedure, args } => {
            top_level(procedure, out);
            for arg in args {
                top_level(arg, out);
            }
        }
        Kind::Lambda(lambda) => top_level(&lambda.body, out),
        Kind::Condition {
            condition,
            then,
            otherwise,
        } => {
            top_level(condition, out);
            top_level(then, out);
            if let Some(otherwise) = otherwise {
                top_level(otherwise, out);
            }
        }
        Kind::Array(items) | Kind::Block(items) => {
            for item in items {
                top_level(item, out);
            }
        }
        Kind::Object(pairs) => {
            for (key, value) in pairs {
                top_level(key, out);
                top_level(value, out);
            }
        }
        Kind::Bind { value, .. } => top_level(value, out),
        Kind::Negate(inner) => top_level(inner, out),
        // Literals, `*`, `**`, `%`, sort steps and transforms read no top-level field.
        _ => {}
    }
}

/// Every `$states.<field>` the expression reads (`result` in `$states.result.Payload`), with the
/// span of the field name. Step Functions fills `result` and `errorOutput` only in some fields.
pub fn states_fields(ast: &Ast) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    walk(&ast.root, &mut |node| {
        if let Kind::Path(path) = &node.kind {
            if let [first, second, ..] = path.steps.as_slice() {
                if let (Kind::Variable(var), Kind::Name(field)) = (&first.kind, &second.kind) {
                    if var == "states" {
                        out.push((field.clone(), second.span));
                    }
                }
            }
        }
    });
    out
}

/// Names the expression binds itself, wherever: `$v := …`, lambda parameters, `@$v`, `#$i`.
fn collect_bound(root: &Node, out: &mut HashSet<String>) {
    walk(root, &mut |node| {
        match &node.kind {
            Kind::Bind { name, .. } => {
                out.insert(name.clone());
            }
            Kind::Lambda(lambda) => out.extend(lambda.params.iter().cloned()),
            _ => {}
        }
        out.extend(node.focus.iter().cloned());
        out.extend(node.index.iter().cloned());
        for stage in node.stages.iter().chain(&node.predicate) {
            if let Stage::Index { name, .. } = stage {
                out.insert(name.clone());
            }
        }
    });
}

/// Calls `f` on every node, parents before children.
fn walk<'n>(node: &'n Node, f: &mut impl FnMut(&'n Node)) {
    f(node);
    for child in node.children() {
        walk(child, f);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::jsonata::parse;

    fn reads(expr: &str) -> Vec<String> {
        variable_reads(&parse(expr).unwrap())
            .into_iter()
            .map(|r| r.name)
            .collect()
    }

    fn top(expr: &str) -> Vec<String> {
        top_level_references(&parse(expr).unwrap())
            .into_iter()
            .map(|(t, _)| t.as_written().to_string())
            .collect()
    }

    #[test]
    fn variable_reads_skip_states_builtins_and_local_bindings() {
        assert_eq!(reads("$states.input.a & $x"), ["x"]);
        assert_eq!(reads("$sum($items.price)"), ["items"]);
        assert_eq!(reads("$map($list, $string)"), ["list"]);
        assert_eq!(reads("($t := $total; $t * 2)"), ["total"]);
        assert_eq!(reads("$map($xs, function($v) { $v + $offset })"), ["xs", "offset"]);
        assert_eq!(reads("'$notAVariable'"), Vec::<String>::new());
        assert_eq!(reads("$"), Vec::<String>::new());
    }

    #[test]
    fn states_fields_are_found_at_any_depth() {
        let fields: Vec<String> =
            states_fields(&parse("$map($states.input.a, function($v) { $states.result.x })").unwrap())
                .into_iter()
                .map(|(f, _)| f)
                .collect();
        assert_eq!(fields, ["input", "result"]);
    }

    #[test]
    fn calls_of_unknown_functions_are_marked() {
        let reads = variable_reads(&parse("$randomSeeded($x)").unwrap());
        assert_eq!(
            reads.iter().map(|r| (r.name.as_str(), r.called)).collect::<Vec<_>>(),
            [("randomSeeded", true), ("x", false)]
        );
    }

    #[test]
    fn variable_names_are_generous() {
        let names = variable_names(&parse("($t := 1; $count($t))").unwrap());
        assert!(names.contains("t") && names.contains("count"));
    }

    #[test]
    fn top_level_references_are_first_steps_outside_predicates() {
        assert_eq!(top("phone"), ["phone"]);
        assert_eq!(top("$.order.id"), ["$"]);
        assert_eq!(top("$"), ["$"]);
        assert_eq!(top("$$.x"), ["$$"]);
        assert_eq!(top("$states.input.phone"), Vec::<String>::new());
        assert_eq!(top("$states.input.items[price > 10].name"), Vec::<String>::new());
        assert_eq!(top("$sum($states.input.items.(price * qty))"), Vec::<String>::new());
        assert_eq!(top("$exists(phone) ? 1 : 2"), ["phone"]);
        assert_eq!(top("$filter($states.input.a, function($v) { b })"), ["b"]);
        assert_eq!(top("{'key': value}"), ["value"]);
        assert_eq!(top("$x := total"), ["total"]);
        assert_eq!(top("'literal' & 1"), Vec::<String>::new());
    }
}
