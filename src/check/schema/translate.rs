//! Which errors become diagnostics: consequences of another error (a complaint about a value of
//! the wrong type, the absence of a field an unknown field probably meant) are dropped, the
//! missing fields of one object are named together, and duplicates go.

use std::collections::HashSet;

use super::errors::{Kind, Raw};
use super::words::{parent, suggestion};
use super::Translator;
use crate::diagnostic::Diagnostic;
use crate::pointer::{child, is_same_or_under};

impl Translator<'_> {
    pub(super) fn translate(&self, mut errors: Vec<Raw>) -> Vec<Diagnostic> {
        if self.in_template {
            errors.retain(|e| !self.inside_intrinsic(&e.path));
        }
        // A value of the wrong type makes every other complaint about it noise.
        let wrong_type: HashSet<String> = errors
            .iter()
            .filter(|e| matches!(e.kind, Kind::Type(_)))
            .map(|e| e.path.clone())
            .collect();
        errors.retain(|e| matches!(e.kind, Kind::Type(_)) || !wrong_type.iter().any(|p| is_same_or_under(&e.path, p)));

        // Fields that an unknown field probably meant: their absence is the same problem.
        let mut meant: HashSet<(String, String)> = HashSet::new();
        for e in &errors {
            if let Kind::Unknown(keys) = &e.kind {
                let allowed = self.allowed_fields(parent(&e.schema_path));
                for key in keys {
                    if let Some(s) = suggestion(key, &allowed) {
                        meant.insert((e.path.clone(), s.to_string()));
                    }
                }
            }
        }
        // A field whose value fails `const` (`"End": false`) does not count as present.
        let unusable: HashSet<&str> = errors
            .iter()
            .filter(|e| matches!(e.kind, Kind::Const(_)))
            .map(|e| e.path.as_str())
            .collect();

        let mut out = Vec::new();
        let mut required: Vec<(String, String, Vec<String>)> = Vec::new();
        for e in &errors {
            match &e.kind {
                Kind::Unknown(keys) => {
                    for key in keys {
                        out.push(self.unknown_field(e, key));
                    }
                }
                Kind::Required(field) => {
                    if meant.contains(&(e.path.clone(), field.clone())) {
                        continue;
                    }
                    // One diagnostic per object, naming every missing field.
                    match required
                        .iter_mut()
                        .find(|(p, s, _)| *p == e.path && *s == e.schema_path)
                    {
                        Some((_, _, fields)) => fields.push(field.clone()),
                        None => required.push((e.path.clone(), e.schema_path.clone(), vec![field.clone()])),
                    }
                }
                Kind::AnyOf => {
                    let options = self.one_of_options(&e.schema_path);
                    if options.iter().any(|o| meant.contains(&(e.path.clone(), o.clone()))) {
                        continue;
                    }
                    out.push(self.any_of(e, &options));
                }
                Kind::OneOf(several) => {
                    let options = self.one_of_options(&e.schema_path);
                    if !*several && options.iter().any(|o| meant.contains(&(e.path.clone(), o.clone()))) {
                        continue;
                    }
                    // `"End": false` next to `Next` is one problem: the value of `End`.
                    if *several && options.iter().any(|o| unusable.contains(child(&e.path, o).as_str())) {
                        continue;
                    }
                    out.push(self.one_of(e, &options, *several));
                }
                _ => out.push(self.value_error(e)),
            }
        }
        for (path, schema_path, fields) in required {
            out.push(self.missing(&path, &schema_path, &fields));
        }

        let mut seen = HashSet::new();
        out.retain(|d| {
            seen.insert((
                d.code,
                d.location
                    .as_ref()
                    .map(|l| (l.pointer.clone(), format!("{:?}", l.target))),
                d.message.clone(),
            ))
        });
        out
    }
}
