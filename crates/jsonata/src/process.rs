//! The post-parse pass: raw parse tree → [`Ast`] ready for evaluation.
//!
//! This is jsonata-js's `processAST`, step for step, because it also finds errors (S0207, S0209,
//! S0210, S0213, S0215, S0216, S0217) and the first one found decides the code. It flattens `.`
//! chains into paths, attaches filters, `@`/`#` bindings, group-by and sort to steps, folds `-`
//! on number literals, wraps tail calls in thunks, and resolves each parent operator `%` to the
//! step it refers to.
//!
//! Parent resolution works on *slots*: each `%` gets one, with a level (how many steps up it still
//! has to climb) and a label. Climbing walks the steps of the enclosing paths from right to left;
//! when a slot reaches level 0 on a name or wildcard step, that step becomes its ancestor (two
//! slots landing on the same step share one label). A slot still climbing when the whole
//! expression is processed is error S0217. Slots live in a table while the tree is built, since
//! their labels may change after a node refers to them; the last step writes the final labels
//! into the tree.

use super::ast::{Ast, BinaryOp, Group, Kind, Lambda, Node, Path, Regex, SortTerm, Stage};
use super::error::JsonataError;
use super::lex::{format_number, Op};
use super::parse::{Raw, RawKind};
use super::signature::Signature;
use aslkit_base::Span;

/// Runs the pass over a whole expression.
pub(crate) fn process(raw: Raw) -> Result<Ast, JsonataError> {
    let mut p = Processor { slots: Vec::new() };
    let mut root = p.process(raw)?;
    if matches!(root.kind, Kind::Parent { .. }) || !root.seeking_parent.is_empty() {
        return Err(no_parent(root.span, &root));
    }
    p.relabel(&mut root);
    Ok(Ast { root })
}

/// One parent operator being resolved.
struct Slot {
    label: usize,
    level: i64,
}

struct Processor {
    slots: Vec<Slot>,
}

fn no_parent(span: Span, node: &Node) -> JsonataError {
    JsonataError::new(
        "S0217",
        span,
        "the parent operator `%` has no enclosing step to refer to here",
    )
    .with_token(kind_name(node))
}

/// jsonata-js's name for a node type, for error tokens.
fn kind_name(node: &Node) -> &'static str {
    match node.kind {
        Kind::Path(_) => "path",
        Kind::Name(_) => "name",
        Kind::String(_) => "string",
        Kind::Number(_) => "number",
        Kind::Bool(_) | Kind::Null => "value",
        Kind::Regex(_) => "regex",
        Kind::Variable(_) => "variable",
        Kind::Wildcard => "wildcard",
        Kind::Descendant => "descendant",
        Kind::Parent { .. } => "parent",
        Kind::Binary { .. } => "binary",
        Kind::Negate(_) | Kind::Array(_) | Kind::Object(_) => "unary",
        Kind::Block(_) => "block",
        Kind::Bind { .. } => "bind",
        Kind::Apply { .. } => "apply",
        Kind::Condition { .. } => "condition",
        Kind::Function { .. } => "function",
        Kind::Partial { .. } => "partial",
        Kind::Placeholder => "operator",
        Kind::Lambda(_) => "lambda",
        Kind::Transform { .. } => "transform",
        Kind::Sort(_) => "sort",
    }
}

fn binary_op(op: Op) -> Option<BinaryOp> {
    Some(match op {
        Op::Plus => BinaryOp::Add,
        Op::Minus => BinaryOp::Subtract,
        Op::Star => BinaryOp::Multiply,
        Op::Slash => BinaryOp::Divide,
        Op::Percent => BinaryOp::Modulo,
        Op::Eq => BinaryOp::Equal,
        Op::Ne => BinaryOp::NotEqual,
        Op::Lt => BinaryOp::Less,
        Op::Le => BinaryOp::LessEqual,
        Op::Gt => BinaryOp::Greater,
        Op::Ge => BinaryOp::GreaterEqual,
        Op::Amp => BinaryOp::Concat,
        Op::And => BinaryOp::And,
        Op::Or => BinaryOp::Or,
        Op::In => BinaryOp::In,
        Op::DotDot => BinaryOp::Range,
        _ => return None,
    })
}

fn wrap_path(step: Node) -> Node {
    let span = step.span;
    Node::new(
        Kind::Path(Path {
            steps: vec![step],
            keep_singleton_array: false,
        }),
        span,
    )
}

/// Runs `f` on the step a filter or binding applies to: the last step of a path, or the node
/// itself.
fn with_target_step<R>(node: &mut Node, f: impl FnOnce(&mut Node) -> R) -> R {
    if let Kind::Path(path) = &mut node.kind {
        if let Some(last) = path.steps.last_mut() {
            return f(last);
        }
    }
    f(node)
}

/// Labels of the parent operators inside `value` still looking for their step.
fn ancestry_of(value: &Node) -> Vec<usize> {
    let mut slots = value.seeking_parent.clone();
    if let Kind::Parent { label } = value.kind {
        slots.push(label);
    }
    slots
}

/// jsonata-js's `pushAncestry`: `result` inherits the unresolved parent slots of `value`.
fn push_ancestry(result: &mut Node, value: &Node) {
    result.seeking_parent.extend(ancestry_of(value));
}

// Children stay boxed until the method that processes them: unboxing in the dispatcher would
// grow its frame, which debug builds repeat at every level of nesting (see `parse::MAX_DEPTH`).
#[allow(clippy::boxed_local)]
impl Processor {
    /// Dispatches on the raw node. Each construct has a method of its own, so that a debug
    /// build's frame for this recursion stays small (see `parse::MAX_DEPTH`).
    fn process(&mut self, raw: Raw) -> Result<Node, JsonataError> {
        let span = raw.span;
        let keep_array = raw.keep_array;
        let mut result = match raw.kind {
            RawKind::Binary { op: Op::Dot, lhs, rhs } => self.path(lhs, rhs),
            RawKind::Binary {
                op: Op::Chain,
                lhs,
                rhs,
            } => self.apply(lhs, rhs, span),
            RawKind::Binary { op, lhs, rhs } => self.binary(op, lhs, rhs, span),
            RawKind::Filter { lhs, rhs } => self.filter(lhs, rhs, span),
            RawKind::Group { lhs, pairs } => self.group(lhs, pairs, span),
            RawKind::Sort { lhs, terms } => self.sort(lhs, terms, span),
            RawKind::Bind { lhs, rhs } => self.bind(lhs, rhs, span),
            RawKind::Focus { lhs, var } => self.focus(lhs, &var, keep_array, span),
            RawKind::Index { lhs, var } => self.index(lhs, &var, span),
            RawKind::Array(items) => self.array(items, span),
            RawKind::Object(pairs) => self.object(pairs, span),
            RawKind::Negate(expr) => self.negate(expr, span),
            RawKind::Call {
                procedure,
                args,
                partial,
            } => self.call(procedure, args, partial, span),
            RawKind::Lambda {
                params,
                signature,
                body,
            } => self.lambda(params, signature, body, span),
            RawKind::Condition {
                condition,
                then,
                otherwise,
            } => self.condition(condition, then, otherwise, span),
            RawKind::Transform {
                pattern,
                update,
                delete,
            } => self.transform(pattern, update, delete, span),
            RawKind::Block(items) => self.block(items, span),
            RawKind::End => Err(JsonataError::new("S0207", span, "unexpected end of expression").with_token("(end)")),
            leaf => Ok(self.leaf(leaf, span, keep_array)),
        }?;
        if keep_array {
            result.keep_array = true;
        }
        Ok(result)
    }

    /// Nodes without children.
    fn leaf(&mut self, kind: RawKind, span: Span, keep_array: bool) -> Node {
        let kind = match kind {
            RawKind::Name(name) => return name_path(name, span, keep_array),
            RawKind::Keyword(op) => return name_path(op.as_str().to_string(), span, keep_array),
            RawKind::Parent => {
                let label = self.slots.len();
                self.slots.push(Slot { label, level: 1 });
                Kind::Parent { label }
            }
            RawKind::Str(s) => Kind::String(s),
            RawKind::Num(n) => Kind::Number(n),
            RawKind::Bool(b) => Kind::Bool(b),
            RawKind::Regex { pattern, flags } => Kind::Regex(Box::new(Regex { pattern, flags })),
            RawKind::Variable(v) => Kind::Variable(v),
            RawKind::Wildcard => Kind::Wildcard,
            RawKind::Descendant => Kind::Descendant,
            RawKind::Placeholder => Kind::Placeholder,
            // Only the leaves above reach here (`process` dispatches the rest).
            _ => Kind::Null,
        };
        Node::new(kind, span)
    }

    fn apply(&mut self, lhs: Box<Raw>, rhs: Box<Raw>, span: Span) -> Result<Node, JsonataError> {
        let lhs = self.process(*lhs)?;
        let rhs = self.process(*rhs)?;
        let mut node = Node::new(Kind::Null, span);
        // `x ~> $f[]` keeps singleton arrays, whichever side asked.
        node.keep_array = lhs.keep_array || rhs.keep_array;
        node.kind = Kind::Apply {
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
        Ok(node)
    }

    fn binary(&mut self, op: Op, lhs: Box<Raw>, rhs: Box<Raw>, span: Span) -> Result<Node, JsonataError> {
        let lhs = self.process(*lhs)?;
        let rhs = self.process(*rhs)?;
        let Some(op) = binary_op(op) else {
            return Err(JsonataError::new(
                "S0201",
                span,
                format!("syntax error: `{}`", op.as_str()),
            ));
        };
        let mut node = Node::new(Kind::Null, span);
        push_ancestry(&mut node, &lhs);
        push_ancestry(&mut node, &rhs);
        node.kind = Kind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        };
        Ok(node)
    }

    /// `lhs{pairs}`: group-by on the result of `lhs`.
    fn group(&mut self, lhs: Box<Raw>, pairs: Vec<(Raw, Raw)>, span: Span) -> Result<Node, JsonataError> {
        let mut result = self.process(*lhs)?;
        if result.group.is_some() {
            return Err(JsonataError::new(
                "S0210",
                span,
                "each step can only have one grouping expression",
            ));
        }
        let mut processed = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let k = self.process(k)?;
            let v = self.process(v)?;
            processed.push((k, v));
        }
        result.group = Some(Box::new(Group { pairs: processed, span }));
        Ok(result)
    }

    /// `lhs^(terms)`: a sort step appended to the path.
    fn sort(&mut self, lhs: Box<Raw>, terms: Vec<(bool, Raw)>, span: Span) -> Result<Node, JsonataError> {
        let lhs = self.process(*lhs)?;
        let mut result = if matches!(lhs.kind, Kind::Path(_)) {
            lhs
        } else {
            wrap_path(lhs)
        };
        let mut sort = Node::new(Kind::Null, span);
        let mut processed = Vec::with_capacity(terms.len());
        for (descending, term) in terms {
            let expression = self.process(term)?;
            push_ancestry(&mut sort, &expression);
            processed.push(SortTerm { descending, expression });
        }
        sort.kind = Kind::Sort(processed);
        if let Kind::Path(path) = &mut result.kind {
            path.steps.push(sort);
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    fn bind(&mut self, lhs: Box<Raw>, rhs: Box<Raw>, span: Span) -> Result<Node, JsonataError> {
        let name = variable_name(&lhs);
        let value = self.process(*rhs)?;
        let mut node = Node::new(Kind::Null, span);
        push_ancestry(&mut node, &value);
        node.kind = Kind::Bind {
            name,
            value: Box::new(value),
        };
        Ok(node)
    }

    /// `lhs@$var`: the step binds its items to `$var`.
    fn focus(&mut self, lhs: Box<Raw>, var: &Raw, keep_array: bool, span: Span) -> Result<Node, JsonataError> {
        let mut result = self.process(*lhs)?;
        with_target_step(&mut result, |step| {
            if !step.stages.is_empty() || !step.predicate.is_empty() {
                return Err(JsonataError::new(
                    "S0215",
                    span,
                    "a context variable binding (`@`) must come before any predicates on a step",
                ));
            }
            if matches!(step.kind, Kind::Sort(_)) {
                return Err(JsonataError::new(
                    "S0216",
                    span,
                    "a context variable binding (`@`) must come before the order-by clause (`^`) on a step",
                ));
            }
            if keep_array {
                step.keep_array = true;
            }
            step.focus = Some(variable_name(var));
            step.tuple = true;
            Ok(())
        })?;
        Ok(result)
    }

    /// `lhs#$var`: the step binds positions to `$var`.
    fn index(&mut self, lhs: Box<Raw>, var: &Raw, span: Span) -> Result<Node, JsonataError> {
        let lhs = self.process(*lhs)?;
        let mut result = if matches!(lhs.kind, Kind::Path(_)) {
            lhs
        } else {
            let mut lhs = lhs;
            lhs.stages = std::mem::take(&mut lhs.predicate);
            wrap_path(lhs)
        };
        let name = variable_name(var);
        with_target_step(&mut result, |step| {
            if step.stages.is_empty() {
                step.index = Some(name);
            } else {
                step.stages.push(Stage::Index { name, span });
            }
            step.tuple = true;
        });
        Ok(result)
    }

    fn array(&mut self, items: Vec<Raw>, span: Span) -> Result<Node, JsonataError> {
        let mut node = Node::new(Kind::Null, span);
        let mut processed = Vec::with_capacity(items.len());
        for item in items {
            let value = self.process(item)?;
            push_ancestry(&mut node, &value);
            processed.push(value);
        }
        node.kind = Kind::Array(processed);
        Ok(node)
    }

    fn object(&mut self, pairs: Vec<(Raw, Raw)>, span: Span) -> Result<Node, JsonataError> {
        let mut node = Node::new(Kind::Null, span);
        let mut processed = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            let key = self.process(k)?;
            push_ancestry(&mut node, &key);
            let value = self.process(v)?;
            push_ancestry(&mut node, &value);
            processed.push((key, value));
        }
        node.kind = Kind::Object(processed);
        Ok(node)
    }

    fn negate(&mut self, expr: Box<Raw>, span: Span) -> Result<Node, JsonataError> {
        let mut expr = self.process(*expr)?;
        if let Kind::Number(n) = expr.kind {
            // jsonata-js folds `-5` into the literal, keeping the literal's node.
            expr.kind = Kind::Number(-n);
            return Ok(expr);
        }
        let mut node = Node::new(Kind::Null, span);
        push_ancestry(&mut node, &expr);
        node.kind = Kind::Negate(Box::new(expr));
        Ok(node)
    }

    fn call(&mut self, procedure: Box<Raw>, args: Vec<Raw>, partial: bool, span: Span) -> Result<Node, JsonataError> {
        let mut node = Node::new(Kind::Null, span);
        let mut processed = Vec::with_capacity(args.len());
        for arg in args {
            let arg = self.process(arg)?;
            push_ancestry(&mut node, &arg);
            processed.push(arg);
        }
        let procedure = Box::new(self.process(*procedure)?);
        node.kind = if partial {
            Kind::Partial {
                procedure,
                args: processed,
            }
        } else {
            Kind::Function {
                procedure,
                args: processed,
            }
        };
        Ok(node)
    }

    fn lambda(
        &mut self,
        params: Vec<String>,
        signature: Option<Box<Signature>>,
        body: Box<Raw>,
        span: Span,
    ) -> Result<Node, JsonataError> {
        let body = self.process(*body)?;
        Ok(Node::new(
            Kind::Lambda(Box::new(Lambda {
                params,
                signature: signature.map(|s| *s),
                body: tail_call_optimize(body),
                thunk: false,
            })),
            span,
        ))
    }

    fn condition(
        &mut self,
        condition: Box<Raw>,
        then: Box<Raw>,
        otherwise: Option<Box<Raw>>,
        span: Span,
    ) -> Result<Node, JsonataError> {
        let mut node = Node::new(Kind::Null, span);
        let condition = self.process(*condition)?;
        push_ancestry(&mut node, &condition);
        let then = self.process(*then)?;
        push_ancestry(&mut node, &then);
        let otherwise = match otherwise {
            Some(e) => {
                let e = self.process(*e)?;
                push_ancestry(&mut node, &e);
                Some(Box::new(e))
            }
            None => None,
        };
        node.kind = Kind::Condition {
            condition: Box::new(condition),
            then: Box::new(then),
            otherwise,
        };
        Ok(node)
    }

    fn transform(
        &mut self,
        pattern: Box<Raw>,
        update: Box<Raw>,
        delete: Option<Box<Raw>>,
        span: Span,
    ) -> Result<Node, JsonataError> {
        let pattern = self.process(*pattern)?;
        let update = self.process(*update)?;
        let delete = match delete {
            Some(d) => Some(Box::new(self.process(*d)?)),
            None => None,
        };
        Ok(Node::new(
            Kind::Transform {
                pattern: Box::new(pattern),
                update: Box::new(update),
                delete,
            },
            span,
        ))
    }

    fn block(&mut self, items: Vec<Raw>, span: Span) -> Result<Node, JsonataError> {
        let mut node = Node::new(Kind::Null, span);
        let mut processed = Vec::with_capacity(items.len());
        for item in items {
            let part = self.process(item)?;
            push_ancestry(&mut node, &part);
            let first_cons = match &part.kind {
                Kind::Path(p) => p.steps.first().is_some_and(|s| s.cons_array),
                _ => false,
            };
            if part.cons_array || first_cons {
                node.cons_array = true;
            }
            processed.push(part);
        }
        node.kind = Kind::Block(processed);
        Ok(node)
    }

    /// `lhs.rhs`: a path, with `rhs`'s steps appended to `lhs`'s.
    fn path(&mut self, lhs: Box<Raw>, rhs: Box<Raw>) -> Result<Node, JsonataError> {
        let lstep = self.process(*lhs)?;
        let mut result = if matches!(lstep.kind, Kind::Path(_)) {
            lstep
        } else {
            let parent = match lstep.kind {
                Kind::Parent { label } => Some(label),
                _ => None,
            };
            let mut path = wrap_path(lstep);
            if let Some(label) = parent {
                path.seeking_parent = vec![label];
            }
            path
        };
        let mut rest = self.process(*rhs)?;
        result.span = result.span.to(rest.span);
        let Kind::Path(path) = &mut result.kind else {
            return Ok(result);
        };
        match rest.kind {
            Kind::Path(more) => path.steps.extend(more.steps),
            _ => {
                if !rest.predicate.is_empty() {
                    rest.stages = std::mem::take(&mut rest.predicate);
                }
                path.steps.push(rest);
            }
        }
        for step in &mut path.steps {
            match &step.kind {
                Kind::Number(n) => {
                    return Err(literal_step(step.span, &format_number(*n)));
                }
                Kind::Bool(b) => return Err(literal_step(step.span, &b.to_string())),
                Kind::Null => return Err(literal_step(step.span, "null")),
                Kind::String(s) => step.kind = Kind::Name(s.clone()),
                _ => {}
            }
        }
        if path.steps.iter().any(|s| s.keep_array) {
            path.keep_singleton_array = true;
        }
        if let Some(first) = path.steps.first_mut() {
            if matches!(first.kind, Kind::Array(_)) {
                first.cons_array = true;
            }
        }
        if let Some(last) = path.steps.last_mut() {
            if matches!(last.kind, Kind::Array(_)) {
                last.cons_array = true;
            }
        }
        self.resolve_ancestry(&mut result)?;
        Ok(result)
    }

    /// `lhs[rhs]`: a filter on the last step of a path, or on a value.
    fn filter(&mut self, lhs: Box<Raw>, rhs: Box<Raw>, span: Span) -> Result<Node, JsonataError> {
        let mut result = self.process(*lhs)?;
        let in_path = matches!(result.kind, Kind::Path(_));
        if with_target_step(&mut result, |step| step.group.is_some()) {
            return Err(JsonataError::new(
                "S0209",
                span,
                "a predicate cannot follow a grouping expression in a step",
            ));
        }
        let predicate = self.process(*rhs)?;
        with_target_step(&mut result, |step| {
            if !predicate.seeking_parent.is_empty() {
                for &slot in &predicate.seeking_parent {
                    if self.slots[slot].level == 1 {
                        self.seek_parent(step, slot)?;
                    } else {
                        self.slots[slot].level -= 1;
                    }
                }
                push_ancestry(step, &predicate);
            }
            let stage = Stage::Filter {
                expr: Box::new(predicate),
                span,
            };
            if in_path {
                step.stages.push(stage);
            } else {
                step.predicate.push(stage);
            }
            Ok(())
        })?;
        Ok(result)
    }

    /// jsonata-js's `seekParent`: climbs `slot` through `node`.
    fn seek_parent(&mut self, node: &mut Node, slot: usize) -> Result<(), JsonataError> {
        match &mut node.kind {
            Kind::Name(_) | Kind::Wildcard => {
                self.slots[slot].level -= 1;
                if self.slots[slot].level == 0 {
                    if let Some(existing) = node.ancestor {
                        self.slots[slot].label = self.slots[existing].label;
                    }
                    node.ancestor = Some(slot);
                    node.tuple = true;
                }
            }
            Kind::Parent { .. } => self.slots[slot].level += 1,
            Kind::Block(items) => {
                if let Some(last) = items.last_mut() {
                    self.seek_parent(last, slot)?;
                    node.tuple = true;
                }
            }
            Kind::Path(path) => {
                let mut index = path.steps.len();
                while index > 0 {
                    index -= 1;
                    self.seek_parent(&mut path.steps[index], slot)?;
                    if self.slots[slot].level <= 0 {
                        break;
                    }
                }
                node.tuple = true;
            }
            _ => return Err(no_parent(node.span, node)),
        }
        Ok(())
    }

    /// jsonata-js's `resolveAncestry`: climbs the parent slots of a path's last step through the
    /// steps before it; slots that climb out of the path are left to the enclosing expression.
    fn resolve_ancestry(&mut self, node: &mut Node) -> Result<(), JsonataError> {
        let Kind::Path(path) = &mut node.kind else {
            return Ok(());
        };
        let Some(last) = path.steps.last() else {
            return Ok(());
        };
        let slots = ancestry_of(last);
        let mut escaped = Vec::new();
        for slot in slots {
            let mut index = path.steps.len() as isize - 2;
            while self.slots[slot].level > 0 {
                if index < 0 {
                    escaped.push(slot);
                    break;
                }
                let mut step = index as usize;
                index -= 1;
                // Contiguous steps that bind the focus count as one.
                while index >= 0 && has_focus(&path.steps[step]) && has_focus(&path.steps[index as usize]) {
                    step = index as usize;
                    index -= 1;
                }
                self.seek_parent(&mut path.steps[step], slot)?;
            }
        }
        node.seeking_parent.extend(escaped);
        Ok(())
    }

    /// Replaces slot numbers by their final labels throughout the tree.
    fn relabel(&self, node: &mut Node) {
        if let Kind::Parent { label } = &mut node.kind {
            *label = self.slots[*label].label;
        }
        if let Some(a) = &mut node.ancestor {
            *a = self.slots[*a].label;
        }
        for s in &mut node.seeking_parent {
            *s = self.slots[*s].label;
        }
        for_each_child_mut(node, &mut |child| self.relabel(child));
    }
}

fn has_focus(step: &Node) -> bool {
    step.focus.as_deref().is_some_and(|f| !f.is_empty())
}

fn literal_step(span: Span, value: &str) -> JsonataError {
    JsonataError::new(
        "S0213",
        span,
        format!("the literal value `{value}` cannot be used as a step within a path expression"),
    )
    .with_token(value)
}

fn variable_name(var: &Raw) -> String {
    match &var.kind {
        RawKind::Variable(v) => v.clone(),
        _ => String::new(),
    }
}

/// A name on its own is a path of one step.
fn name_path(name: String, span: Span, keep_array: bool) -> Node {
    let mut step = Node::new(Kind::Name(name), span);
    step.keep_array = keep_array;
    let mut path = wrap_path(step);
    if let Kind::Path(p) = &mut path.kind {
        p.keep_singleton_array = keep_array;
    }
    path
}

/// jsonata-js's `tailCallOptimize`: a call in tail position becomes a thunk.
fn tail_call_optimize(expr: Node) -> Node {
    match expr.kind {
        Kind::Function { .. } if expr.predicate.is_empty() => {
            let span = expr.span;
            Node::new(
                Kind::Lambda(Box::new(Lambda {
                    params: Vec::new(),
                    signature: None,
                    body: expr,
                    thunk: true,
                })),
                span,
            )
        }
        Kind::Condition { .. } => {
            let mut expr = expr;
            if let Kind::Condition { then, otherwise, .. } = &mut expr.kind {
                replace_with(then, tail_call_optimize);
                if let Some(o) = otherwise {
                    replace_with(o, tail_call_optimize);
                }
            }
            expr
        }
        Kind::Block(_) => {
            let mut expr = expr;
            if let Kind::Block(items) = &mut expr.kind {
                if let Some(last) = items.pop() {
                    items.push(tail_call_optimize(last));
                }
            }
            expr
        }
        _ => expr,
    }
}

fn replace_with(slot: &mut Box<Node>, f: fn(Node) -> Node) {
    let taken = std::mem::replace(slot.as_mut(), Node::new(Kind::Null, Span::default()));
    **slot = f(taken);
}

/// Calls `f` on every child of `node`, annotations included.
fn for_each_child_mut(node: &mut Node, f: &mut dyn FnMut(&mut Node)) {
    match &mut node.kind {
        Kind::Path(p) => p.steps.iter_mut().for_each(&mut *f),
        Kind::Binary { lhs, rhs, .. } | Kind::Apply { lhs, rhs } => {
            f(lhs);
            f(rhs);
        }
        Kind::Negate(e) => f(e),
        Kind::Array(items) | Kind::Block(items) => items.iter_mut().for_each(&mut *f),
        Kind::Object(pairs) => {
            for (k, v) in pairs {
                f(k);
                f(v);
            }
        }
        Kind::Bind { value, .. } => f(value),
        Kind::Condition {
            condition,
            then,
            otherwise,
        } => {
            f(condition);
            f(then);
            if let Some(o) = otherwise {
                f(o);
            }
        }
        Kind::Function { procedure, args } | Kind::Partial { procedure, args } => {
            f(procedure);
            args.iter_mut().for_each(&mut *f);
        }
        Kind::Lambda(l) => f(&mut l.body),
        Kind::Transform {
            pattern,
            update,
            delete,
        } => {
            f(pattern);
            f(update);
            if let Some(d) = delete {
                f(d);
            }
        }
        Kind::Sort(terms) => terms.iter_mut().for_each(|t| f(&mut t.expression)),
        _ => {}
    }
    for stage in node.predicate.iter_mut().chain(node.stages.iter_mut()) {
        if let Stage::Filter { expr, .. } = stage {
            f(expr);
        }
    }
    if let Some(g) = &mut node.group {
        for (k, v) in &mut g.pairs {
            f(k);
            f(v);
        }
    }
}
