//! Reading the schema into a [`Verdict`]: every node reachable from the root becomes a list of
//! checks, every `$ref` an index. Anything this reader does not understand exactly is refused
//! with the reason, so the caller falls back to `jsonschema` rather than answering differently.

use std::collections::HashMap;
use std::fmt;

use super::raw::Raw;
use super::{Check, Id, Num, Pattern, Rest, Scalar, Types, Verdict};

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
    let verdict = Verdict { nodes: builder.nodes };
    refuse_cycles(&verdict)?;
    Ok(verdict)
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
                "enum" => Check::Enum(match value {
                    Raw::Array(values) => values.iter().map(scalar).collect::<Option<_>>().ok_or_else(bad)?,
                    _ => return Err(bad()),
                }),
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
        named.sort_by(|a, b| a.0.cmp(&b.0));
        let rest = match schema.get("additionalProperties") {
            None | Some(Raw::Bool(true)) => Rest::Any,
            Some(Raw::Bool(false)) => Rest::None,
            Some(rest) => Rest::Schema(self.node(rest, &at.name("additionalProperties"))?),
        };
        Ok(Check::Properties {
            named: named.into_boxed_slice(),
            rest,
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
        | Check::Minimum(_)
        | Check::Maximum(_)
        | Check::Pattern(_)
        | Check::Required(_)
        | Check::MinProperties(_)
        | Check::MaxProperties(_)
        | Check::MinItems(_) => 1,
        Check::Properties { .. } | Check::PropertyNames(_) | Check::Items(_) => 2,
        Check::Ref(_) | Check::Not(_) | Check::AllOf(_) | Check::AnyOf(_) | Check::OneOf(_) | Check::If { .. } => 3,
    }
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
    /// The nodes a check applies to the same instance.
    fn same_instance(check: &Check) -> impl Iterator<Item = Id> + '_ {
        let (one, many, branches): (Option<Id>, &[Id], [Option<Id>; 2]) = match check {
            Check::Ref(id) | Check::Not(id) => (Some(*id), &[], [None, None]),
            Check::AllOf(ids) | Check::AnyOf(ids) | Check::OneOf(ids) => (None, ids, [None, None]),
            Check::If {
                condition,
                then,
                otherwise,
            } => (Some(*condition), &[], [*then, *otherwise]),
            _ => (None, &[], [None, None]),
        };
        one.into_iter()
            .chain(many.iter().copied())
            .chain(branches.into_iter().flatten())
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
            for next in same_instance(check) {
                visit(verdict, next, state)?;
            }
        }
        state[id as usize] = 2;
        Ok(())
    }
    let mut state = vec![0u8; verdict.nodes.len()];
    (0..verdict.nodes.len()).try_for_each(|id| visit(verdict, id as Id, &mut state))
}
