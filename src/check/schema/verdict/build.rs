//! Reading the schema into a [`Verdict`]: every node reachable from the root becomes a list of
//! checks, every `$ref` an index. Anything this reader does not understand exactly is refused
//! with the reason, so the caller falls back to `jsonschema` rather than answering differently.

use std::collections::HashMap;
use std::fmt;

use super::raw::Raw;
use super::{Check, Id, Kind, Names, Num, Pattern, Presence, Rest, Scalar, Types, Verdict};

const DRAFT_2020_12: &str = "https://json-schema.org/draft/2020-12/schema";

/// Keywords that never change whether a value is valid.
const ANNOTATIONS: [&str; 3] = ["description", "$comment", "title"];

/// The compiled schema, or why it cannot be compiled here.
pub(in crate::check::schema) fn build(text: &str) -> Result<Verdict, String> {
    let root = Raw::parse(text)?;
    let mut builder = Builder {
        root: &root,
        nodes: Vec::new(),
        refs: HashMap::new(),
    };
    builder.node(&root, &At::ROOT)?;
    let mut verdict = Verdict {
        nodes: builder.nodes,
        rejects: Vec::new(),
        types: Vec::new(),
    };
    refuse_cycles(&verdict)?;
    shortcut_references(&mut verdict);
    find_switches(&mut verdict);
    fold_presence(&mut verdict);
    verdict.rejects = rejects(&verdict);
    verdict.types = take_types(&mut verdict);
    Ok(verdict)
}

/// Takes out of each node the `type` checks that the kind of a value alone decides, and returns
/// per node the kinds they admit (see [`Verdict::types`]). Runs last: the other passes read
/// the `type` checks.
fn take_types(verdict: &mut Verdict) -> Vec<u8> {
    let kinds = |Types(types): Types| {
        // `integer` without `number`: the kind does not decide.
        if types & Types::INTEGER != 0 && types & Types::NUMBER == 0 {
            return None;
        }
        let admitted = [
            (Types::NULL, Kind::NULL),
            (Types::BOOLEAN, Kind::BOOLEAN),
            (Types::STRING, Kind::STRING),
            (Types::ARRAY, Kind::ARRAY),
            (Types::OBJECT, Kind::OBJECT),
            (Types::NUMBER, Kind::NUMBER),
        ];
        Some(
            admitted
                .iter()
                .filter(|(t, _)| types & t != 0)
                .fold(0, |kinds, (_, k)| kinds | k),
        )
    };
    let mut all = Vec::with_capacity(verdict.nodes.len());
    for node in verdict.nodes.iter_mut() {
        let mut admitted = Kind::ALL;
        let mut checks = std::mem::take(node).into_vec();
        checks.retain(|check| match check {
            Check::Type(types) => match kinds(*types) {
                Some(kinds) => {
                    admitted &= kinds;
                    false
                }
                None => true,
            },
            _ => true,
        });
        *node = checks.into_boxed_slice();
        all.push(admitted);
    }
    all
}

/// Where a node is in the schema, for messages: built as the reader descends, written out only
/// when something is refused.
struct At<'p> {
    parent: Option<&'p At<'p>>,
    token: Token<'p>,
}

enum Token<'p> {
    Name(&'p str),
    Index(usize),
}

impl<'p> At<'p> {
    const ROOT: At<'static> = At {
        parent: None,
        token: Token::Name(""),
    };

    fn name(&'p self, name: &'p str) -> At<'p> {
        At {
            parent: Some(self),
            token: Token::Name(name),
        }
    }

    fn index(&'p self, index: usize) -> At<'p> {
        At {
            parent: Some(self),
            token: Token::Index(index),
        }
    }

    fn refuse(&self, why: &str) -> String {
        format!("{self}: {why}")
    }
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(parent) = self.parent else {
            return Ok(());
        };
        write!(f, "{parent}/")?;
        match self.token {
            Token::Name(name) => f.write_str(&name.replace('~', "~0").replace('/', "~1")),
            Token::Index(i) => write!(f, "{i}"),
        }
    }
}

struct Builder<'s, 'r> {
    root: &'r Raw<'s>,
    nodes: Vec<Box<[Check]>>,
    /// Nodes compiled as the target of a `$ref`, by JSON Pointer.
    refs: HashMap<&'r str, Id>,
}

impl<'s, 'r> Builder<'s, 'r> {
    /// Compiles the schema at `at` and returns its index.
    fn node(&mut self, schema: &'r Raw<'s>, at: &At<'_>) -> Result<Id, String> {
        let id = Id::try_from(self.nodes.len()).map_err(|_| at.refuse("too many nodes"))?;
        // A placeholder, so a `$ref` back to this node while compiling it finds its index.
        self.nodes.push(Box::new([]));
        let checks = match schema {
            Raw::Bool(true) => Vec::new(),
            Raw::Bool(false) => vec![Check::Never],
            Raw::Object(members) => self.checks(schema, members, at)?,
            _ => return Err(at.refuse("a schema must be an object or a boolean")),
        };
        self.nodes[id as usize] = checks.into_boxed_slice();
        Ok(id)
    }

    fn checks(
        &mut self,
        schema: &'r Raw<'s>,
        members: &'r [(std::borrow::Cow<'s, str>, Raw<'s>)],
        at: &At<'_>,
    ) -> Result<Vec<Check>, String> {
        let mut checks = Vec::with_capacity(members.len());
        for (keyword, value) in members {
            let keyword: &str = keyword;
            let here = at.name(keyword);
            let bad = || here.refuse("unexpected value");
            let check = match keyword {
                _ if ANNOTATIONS.contains(&keyword) => continue,
                "$schema" if at.parent.is_none() && value.as_str() == Some(DRAFT_2020_12) => continue,
                // Read where a `$ref` points into them.
                "$defs" if matches!(value, Raw::Object(_)) => continue,
                "type" => Check::Type(types(value).ok_or_else(bad)?),
                "const" => Check::Const(scalar(value).ok_or_else(bad)?),
                "enum" => {
                    let values: Vec<Scalar> = match value {
                        Raw::Array(values) => values.iter().map(scalar).collect::<Option<_>>().ok_or_else(bad)?,
                        _ => return Err(bad()),
                    };
                    strings(&values).unwrap_or_else(|| Check::Enum(values.into_boxed_slice()))
                }
                "minimum" => Check::Minimum(number(value).ok_or_else(bad)?),
                "maximum" => Check::Maximum(number(value).ok_or_else(bad)?),
                "pattern" => Check::Pattern(value.as_str().and_then(Pattern::of).ok_or_else(bad)?),
                "required" => Check::Required(match value {
                    Raw::Array(names) => names
                        .iter()
                        .map(|n| n.as_str().map(Box::from))
                        .collect::<Option<_>>()
                        .ok_or_else(bad)?,
                    _ => return Err(bad()),
                }),
                "properties" => match value {
                    Raw::Object(properties) => self.properties(schema, properties, at)?,
                    _ => return Err(bad()),
                },
                // Read with `properties` (also when that is absent).
                "additionalProperties" if schema.get("properties").is_none() => self.properties(schema, &[], at)?,
                "additionalProperties" => continue,
                "minProperties" => Check::MinProperties(count(value).ok_or_else(bad)?),
                "maxProperties" => Check::MaxProperties(count(value).ok_or_else(bad)?),
                "propertyNames" => Check::PropertyNames(self.node(value, &here)?),
                "items" => Check::Items(self.node(value, &here)?),
                "minItems" => Check::MinItems(count(value).ok_or_else(bad)?),
                "$ref" => Check::Ref(self.reference(value.as_str().ok_or_else(bad)?, &here)?),
                "not" => Check::Not(self.node(value, &here)?),
                "allOf" => Check::AllOf(self.list(value, &here)?),
                "anyOf" => Check::AnyOf(self.list(value, &here)?),
                "oneOf" => Check::OneOf(self.list(value, &here)?),
                "if" => Check::If {
                    condition: self.node(value, &here)?,
                    then: self.optional(schema, "then", at)?,
                    otherwise: self.optional(schema, "else", at)?,
                },
                "then" | "else" if schema.get("if").is_some() => continue,
                _ => return Err(at.refuse(&format!("keyword `{keyword}` is not understood here"))),
            };
            checks.push(check);
        }
        fuse_required(&mut checks);
        // Cheap checks first: a wrong type or a missing field decides before any subschema runs.
        checks.sort_by_key(cost);
        Ok(checks)
    }

    /// `properties` and `additionalProperties` of an object schema, as one check.
    fn properties(
        &mut self,
        schema: &'r Raw<'s>,
        properties: &'r [(std::borrow::Cow<'s, str>, Raw<'s>)],
        at: &At<'_>,
    ) -> Result<Check, String> {
        let within = at.name("properties");
        let mut named: Vec<(Box<str>, Id)> = Vec::with_capacity(properties.len());
        for (name, property) in properties {
            let id = self.node(property, &within.name(name))?;
            named.push((Box::from(&**name), id));
        }
        let named = Names::new(named).ok_or_else(|| within.refuse("too many properties"))?;
        let rest = match schema.get("additionalProperties") {
            None | Some(Raw::Bool(true)) => Rest::Any,
            Some(Raw::Bool(false)) => Rest::None,
            Some(rest) => Rest::Schema(self.node(rest, &at.name("additionalProperties"))?),
        };
        Ok(Check::Properties {
            named,
            rest,
            required: 0,
            presence: Box::new([]),
        })
    }

    fn optional(&mut self, schema: &'r Raw<'s>, keyword: &str, at: &At<'_>) -> Result<Option<Id>, String> {
        schema.get(keyword).map(|s| self.node(s, &at.name(keyword))).transpose()
    }

    fn list(&mut self, value: &'r Raw<'s>, at: &At<'_>) -> Result<Box<[Id]>, String> {
        match value {
            Raw::Array(schemas) if !schemas.is_empty() => schemas
                .iter()
                .enumerate()
                .map(|(i, s)| self.node(s, &at.index(i)))
                .collect(),
            _ => Err(at.refuse("unexpected value")),
        }
    }

    /// A `$ref` to a node of this schema (`#` followed by a JSON Pointer).
    fn reference(&mut self, reference: &'r str, at: &At<'_>) -> Result<Id, String> {
        let pointer = reference
            .strip_prefix('#')
            .filter(|p| (p.is_empty() || p.starts_with('/')) && !p.contains('%'))
            .ok_or_else(|| at.refuse(&format!("`{reference}` is not a local JSON Pointer")))?;
        if let Some(id) = self.refs.get(pointer) {
            return Ok(*id);
        }
        let target = self
            .root
            .pointer(pointer)
            .ok_or_else(|| at.refuse(&format!("`{reference}` points nowhere")))?;
        // Registered before compiling, by the index `node` is about to take, so a cycle of
        // references closes on it.
        let id = Id::try_from(self.nodes.len()).map_err(|_| at.refuse("too many nodes"))?;
        self.refs.insert(pointer, id);
        self.node(target, at)
    }
}

fn cost(check: &Check) -> u8 {
    match check {
        Check::Never | Check::Type(_) => 0,
        Check::Const(_)
        | Check::Enum(_)
        | Check::Strings(_)
        | Check::Minimum(_)
        | Check::Maximum(_)
        | Check::Pattern(_)
        | Check::Required(_)
        | Check::MinProperties(_)
        | Check::MaxProperties(_)
        | Check::MinItems(_) => 1,
        Check::Properties { .. } | Check::PropertyNames(_) | Check::Items(_) => 2,
        Check::Ref(_)
        | Check::Not(_)
        | Check::AllOf(_)
        | Check::AnyOf(_)
        | Check::OneOf(_)
        | Check::If { .. }
        | Check::Switch { .. } => 3,
    }
}

/// Moves a `required` whose fields are all among the node's `properties` into the
/// `properties` check, which then notes them while it reads the members anyway.
fn fuse_required(checks: &mut Vec<Check>) {
    let Some(required) = checks.iter().position(|c| matches!(c, Check::Required(_))) else {
        return;
    };
    let Some(Check::Properties { named, .. }) = checks.iter().find(|c| matches!(c, Check::Properties { .. })) else {
        return;
    };
    let Check::Required(names) = &checks[required] else {
        return;
    };
    let mut mask = 0u64;
    for name in names.iter() {
        match named.find(name).filter(|i| *i < 64) {
            Some(i) => mask |= 1 << i,
            None => return,
        }
    }
    checks.remove(required);
    for check in checks.iter_mut() {
        if let Check::Properties { required, .. } = check {
            *required = mask;
        }
    }
}

/// Per node, the kinds of value it may reject (see [`Verdict::rejects`]). Runs after
/// [`refuse_cycles`], so following `$ref` and `allOf` ends.
fn rejects(verdict: &Verdict) -> Vec<u8> {
    fn node(verdict: &Verdict, id: Id, memo: &mut [Option<u8>]) -> u8 {
        if let Some(kinds) = memo[id as usize] {
            return kinds;
        }
        let kinds = verdict.nodes[id as usize]
            .iter()
            .fold(0, |kinds, c| kinds | check(verdict, c, memo));
        memo[id as usize] = Some(kinds);
        kinds
    }
    fn check(verdict: &Verdict, check: &Check, memo: &mut [Option<u8>]) -> u8 {
        match check {
            Check::Type(Types(types)) => {
                let admitted = [
                    (Types::NULL, Kind::NULL),
                    (Types::BOOLEAN, Kind::BOOLEAN),
                    (Types::STRING, Kind::STRING),
                    (Types::ARRAY, Kind::ARRAY),
                    (Types::OBJECT, Kind::OBJECT),
                    // Every number: `integer` alone rejects 1.5.
                    (Types::NUMBER, Kind::NUMBER),
                ];
                admitted
                    .iter()
                    .filter(|(t, _)| types & t == 0)
                    .fold(0, |kinds, (_, k)| kinds | k)
            }
            Check::Minimum(_) | Check::Maximum(_) => Kind::NUMBER,
            Check::Pattern(_) => Kind::STRING,
            Check::Required(_)
            | Check::Properties { .. }
            | Check::MinProperties(_)
            | Check::MaxProperties(_)
            | Check::PropertyNames(_)
            | Check::Switch { .. } => Kind::OBJECT,
            Check::Items(_) | Check::MinItems(_) => Kind::ARRAY,
            Check::Ref(id) => node(verdict, *id, memo),
            Check::AllOf(ids) => ids.iter().fold(0, |kinds, id| kinds | node(verdict, *id, memo)),
            Check::Never
            | Check::Const(_)
            | Check::Enum(_)
            | Check::Strings(_)
            | Check::Not(_)
            | Check::AnyOf(_)
            | Check::OneOf(_)
            | Check::If { .. } => Kind::ALL,
        }
    }
    let mut memo = vec![None; verdict.nodes.len()];
    (0..verdict.nodes.len())
        .map(|id| node(verdict, id as Id, &mut memo))
        .collect()
}

/// Every node index a check holds.
fn ids_mut(check: &mut Check, mut f: impl FnMut(&mut Id)) {
    match check {
        Check::Properties { named, rest, .. } => {
            named.names.iter_mut().for_each(|(_, id)| f(id));
            if let Rest::Schema(id) = rest {
                f(id);
            }
        }
        Check::PropertyNames(id) | Check::Items(id) | Check::Ref(id) | Check::Not(id) => f(id),
        Check::AllOf(ids) | Check::AnyOf(ids) | Check::OneOf(ids) => ids.iter_mut().for_each(f),
        Check::If {
            condition,
            then,
            otherwise,
        } => {
            f(condition);
            then.iter_mut().chain(otherwise.iter_mut()).for_each(f);
        }
        Check::Switch { cases, .. } => cases.names.iter_mut().for_each(|(_, id)| f(id)),
        Check::Never
        | Check::Type(_)
        | Check::Const(_)
        | Check::Enum(_)
        | Check::Strings(_)
        | Check::Minimum(_)
        | Check::Maximum(_)
        | Check::Pattern(_)
        | Check::Required(_)
        | Check::MinProperties(_)
        | Check::MaxProperties(_)
        | Check::MinItems(_) => {}
    }
}

/// Points every use of a node that only refers to another (`{"$ref": …}`) at that other node.
/// Runs after [`refuse_cycles`], so following references ends.
fn shortcut_references(verdict: &mut Verdict) {
    let nodes = &verdict.nodes;
    let target = |mut id: Id| {
        while let [Check::Ref(next)] = &*nodes[id as usize] {
            id = *next;
        }
        id
    };
    let targets: Vec<Id> = (0..nodes.len()).map(|id| target(id as Id)).collect();
    for node in verdict.nodes.iter_mut() {
        for check in node.iter_mut() {
            ids_mut(check, |id| *id = targets[*id as usize]);
        }
    }
}

/// Replaces each `allOf` that dispatches on the constant value of one field by a [`Check::Switch`].
fn find_switches(verdict: &mut Verdict) {
    for n in 0..verdict.nodes.len() {
        for c in 0..verdict.nodes[n].len() {
            if let Check::AllOf(ids) = &verdict.nodes[n][c] {
                if let Some(switch) = switch(verdict, ids) {
                    verdict.nodes[n][c] = switch;
                }
            }
        }
    }
}

fn switch(verdict: &Verdict, ids: &[Id]) -> Option<Check> {
    let node = |id: Id| &*verdict.nodes[id as usize];
    let mut key: Option<&str> = None;
    let mut cases: Vec<(Box<str>, Id)> = Vec::new();
    for id in ids {
        let [Check::If {
            condition,
            then: Some(then),
            otherwise: None,
        }] = node(*id)
        else {
            return None;
        };
        // `{type: object, properties: {KEY: {const: "…"}}, required: [KEY]}`, the `required`
        // fused into the `properties`.
        let [Check::Type(Types(Types::OBJECT)), Check::Properties {
            named,
            rest: Rest::Any,
            required: 1,
            presence,
        }] = node(*condition)
        else {
            return None;
        };
        let [(field, value)] = &*named.names else {
            return None;
        };
        if !presence.is_empty() {
            return None;
        }
        let [Check::Const(Scalar::String(case))] = node(*value) else {
            return None;
        };
        if key.is_some_and(|k| k != &**field) || cases.iter().any(|(c, _)| c == case) {
            return None;
        }
        key = Some(field);
        cases.push((case.clone(), *then));
    }
    Some(Check::Switch {
        key: Box::from(key?),
        cases: Names::new(cases)?,
    })
}

/// An `enum` of three or more strings (and nothing else) as a hash set.
fn strings(values: &[Scalar]) -> Option<Check> {
    let names = values
        .iter()
        .map(|v| match v {
            Scalar::String(s) => Some((s.clone(), 0)),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    if names.len() < 3 {
        return None;
    }
    Names::new(names).map(Check::Strings)
}

/// In a node that requires an object and names fields in `properties`, moves the checks that
/// depend only on which of those fields are present (`required`, and `not`, `allOf`, `anyOf`,
/// `oneOf` and `$ref` of such checks) into the `properties` check as [`Presence`] conditions.
/// Only where the node requires an object: on any other value those checks could decide
/// differently, but the node rejects it for its type anyway. Runs after [`refuse_cycles`].
fn fold_presence(verdict: &mut Verdict) {
    for n in 0..verdict.nodes.len() {
        let checks = &verdict.nodes[n];
        if !checks.iter().any(|c| matches!(c, Check::Type(Types(Types::OBJECT)))) {
            continue;
        }
        let Some(Check::Properties { named, .. }) = checks.iter().find(|c| matches!(c, Check::Properties { .. }))
        else {
            continue;
        };
        let mut folded = Vec::new();
        let mut kept = Vec::new();
        for (i, check) in checks.iter().enumerate() {
            match presence(verdict, check, named) {
                Some(p) if !matches!(check, Check::Properties { .. } | Check::Type(_)) => folded.push((i, p)),
                _ => kept.push(i),
            }
        }
        if folded.is_empty() {
            continue;
        }
        let mut checks = std::mem::take(&mut verdict.nodes[n]).into_vec();
        let folded_at: Vec<usize> = folded.iter().map(|(i, _)| *i).collect();
        let mut index = 0;
        checks.retain(|_| {
            let keep = !folded_at.contains(&index);
            index += 1;
            keep
        });
        for check in checks.iter_mut() {
            if let Check::Properties { presence, .. } = check {
                let mut conditions = std::mem::take(presence).into_vec();
                conditions.extend(folded.drain(..).map(|(_, p)| p));
                *presence = match all(conditions) {
                    Presence::All(conditions) => conditions,
                    condition => Box::new([condition]),
                };
            }
        }
        verdict.nodes[n] = checks.into_boxed_slice();
    }
}

/// All of `conditions`, without nesting: `All` inside `All` is flattened, a single condition
/// stands for itself.
fn all(conditions: Vec<Presence>) -> Presence {
    let mut flat = Vec::with_capacity(conditions.len());
    for condition in conditions {
        match condition {
            Presence::All(inner) => flat.extend(inner.into_vec()),
            other => flat.push(other),
        }
    }
    if flat.len() == 1 {
        if let Some(only) = flat.pop() {
            return only;
        }
    }
    Presence::All(flat.into_boxed_slice())
}

/// `check` as a condition on the presence of the fields in `named`, if it is one.
fn presence(verdict: &Verdict, check: &Check, named: &Names) -> Option<Presence> {
    let node = |id: &Id| -> Option<Presence> {
        let checks = verdict.nodes[*id as usize]
            .iter()
            .map(|c| presence(verdict, c, named))
            .collect::<Option<Vec<_>>>()?;
        Some(all(checks))
    };
    let nodes = |ids: &[Id]| ids.iter().map(node).collect::<Option<Box<[_]>>>();
    Some(match check {
        Check::Required(fields) => {
            let mut mask = 0u64;
            for field in fields.iter() {
                mask |= 1u64 << named.find(field).filter(|i| *i < 64)?;
            }
            Presence::Has(mask)
        }
        Check::Ref(id) => node(id)?,
        Check::Not(id) => Presence::Not(Box::new(node(id)?)),
        Check::AllOf(ids) => all(nodes(ids)?.into_vec()),
        Check::AnyOf(ids) => Presence::Any(nodes(ids)?),
        Check::OneOf(ids) => Presence::One(nodes(ids)?),
        _ => return None,
    })
}

fn types(value: &Raw<'_>) -> Option<Types> {
    match value {
        Raw::String(name) => Types::bit(name).map(Types),
        Raw::Array(names) if !names.is_empty() => names
            .iter()
            .try_fold(Types(0), |set, name| Some(Types(set.0 | Types::bit(name.as_str()?)?))),
        _ => None,
    }
}

fn scalar(value: &Raw<'_>) -> Option<Scalar> {
    Some(match value {
        Raw::Null => Scalar::Null,
        Raw::Bool(b) => Scalar::Bool(*b),
        Raw::Number(n) => Scalar::Number(*n),
        Raw::String(s) => Scalar::String(Box::from(&**s)),
        Raw::Array(_) | Raw::Object(_) => return None,
    })
}

fn number(value: &Raw<'_>) -> Option<Num> {
    match value {
        Raw::Number(n) => Some(*n),
        _ => None,
    }
}

fn count(value: &Raw<'_>) -> Option<usize> {
    match value {
        Raw::Number(Num::U(n)) => usize::try_from(*n).ok(),
        _ => None,
    }
}

/// Refuses a cycle of references that does not descend into the instance (`{"$ref": "#"}` at the
/// root): following it would never end.
fn refuse_cycles(verdict: &Verdict) -> Result<(), String> {
    /// Calls `f` with each node the check applies to the same instance.
    fn same_instance(check: &Check, f: &mut impl FnMut(Id) -> Result<(), String>) -> Result<(), String> {
        match check {
            Check::Ref(id) | Check::Not(id) => f(*id),
            Check::AllOf(ids) | Check::AnyOf(ids) | Check::OneOf(ids) => ids.iter().try_for_each(|id| f(*id)),
            Check::If {
                condition,
                then,
                otherwise,
            } => [Some(*condition), *then, *otherwise]
                .into_iter()
                .flatten()
                .try_for_each(f),
            Check::Switch { cases, .. } => cases.names.iter().try_for_each(|(_, id)| f(*id)),
            _ => Ok(()),
        }
    }
    // 0 unvisited, 1 on the current path, 2 done.
    fn visit(verdict: &Verdict, id: Id, state: &mut [u8]) -> Result<(), String> {
        match state[id as usize] {
            1 => return Err("a cycle of references that never descends into the value".to_string()),
            2 => return Ok(()),
            _ => {}
        }
        state[id as usize] = 1;
        for check in verdict.nodes[id as usize].iter() {
            same_instance(check, &mut |next| visit(verdict, next, state))?;
        }
        state[id as usize] = 2;
        Ok(())
    }
    let mut state = vec![0u8; verdict.nodes.len()];
    (0..verdict.nodes.len()).try_for_each(|id| visit(verdict, id as Id, &mut state))
}
