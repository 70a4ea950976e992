//! Picking one state machine out of a file: `FILE#NAME` and `--machine NAME` for `simulate`,
//! `diagram` and test suites (`state_machine: FILE#NAME`).
//!
//! A plain definition holds one machine and needs no name. A template may hold several; each is
//! named by its logical id (Serverless: its `stateMachines` key), and a machine whose definition
//! lives in its own file (`DefinitionUri`, `${file(…)}`) is loaded from that file with the
//! template's context. A template with several machines and no name is an error that lists the
//! names, never a silent pick of the first.
//!
//! The result, [`Selected`], is a [`Document`] whose `machines` holds only the chosen machine, so
//! `check::check_document` on it judges that machine alone.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::{load_path, load_reference, Document, LoadFailure, Loaded, MachineRef};

/// A command-line or suite reference to a machine: a path and, after `#`, a machine name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MachineSpec {
    pub path: PathBuf,
    pub name: Option<String>,
}

impl MachineSpec {
    /// Splits `FILE#NAME` at its last `#`. A path that names an existing file as a whole is
    /// taken as it is (a `#` may be part of a file name); so is one without `#` or with nothing
    /// after it.
    pub fn parse(arg: &Path) -> MachineSpec {
        let whole = || MachineSpec {
            path: arg.to_path_buf(),
            name: None,
        };
        let Some(text) = arg.to_str() else {
            return whole();
        };
        match text.rsplit_once('#') {
            Some((file, name)) if !name.is_empty() && !file.is_empty() && !arg.is_file() => MachineSpec {
                path: PathBuf::from(file),
                name: Some(name.to_string()),
            },
            _ => whole(),
        }
    }

    /// The spec with `--machine NAME` applied: an error when both name a machine and differ.
    pub fn with_name(mut self, name: Option<&str>) -> Result<MachineSpec, String> {
        match (self.name.as_deref(), name) {
            (Some(a), Some(b)) if a != b => Err(format!(
                "{}#{a} and --machine {b} name different state machines",
                self.path.display()
            )),
            (None, Some(b)) => {
                self.name = Some(b.to_string());
                Ok(self)
            }
            _ => Ok(self),
        }
    }
}

/// One machine, ready to check, simulate or draw.
#[derive(Debug, Clone)]
pub struct Selected {
    /// The file holding the definition (for a `DefinitionUri` machine, that file, not the
    /// template); its `machines` holds only [`Selected::machine`].
    pub document: Document,
    pub machine: MachineRef,
}

impl Selected {
    /// The definition to simulate or draw; `None` when its text does not parse (the reason is
    /// among the document's load diagnostics).
    pub fn definition(&self) -> Option<&Value> {
        self.document.machine_value(&self.machine)
    }
}

/// Why no machine was selected.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SelectError {
    /// The file (or the file a template points to) cannot be read or parsed.
    #[error("{} cannot be loaded", .0.origin.display())]
    Load(LoadFailure),
    /// `empty.yaml`: a template without state machines.
    #[error("{0} holds no state machine")]
    NoMachine(String),
    /// `two-machines.yaml` without a name.
    #[error("{file} holds {} state machines; name one as {file}#NAME (or with --machine NAME): {}", .names.len(), .names.join(", "))]
    Ambiguous { file: String, names: Vec<String> },
    /// `template.yaml#Ordr`.
    #[error("{file} has no state machine named \"{name}\"{}; it holds: {}", did_you_mean(.name, .names), .names.join(", "))]
    UnknownName {
        file: String,
        name: String,
        names: Vec<String>,
    },
}

/// A close spelling, or else the one name that contains the given one (`Order` for
/// `OrderStateMachine`).
fn did_you_mean(name: &str, names: &[String]) -> String {
    let lower = name.to_lowercase();
    let containing: Vec<&String> = names.iter().filter(|n| n.to_lowercase().contains(&lower)).collect();
    crate::suggest::closest(name, names.iter().map(String::as_str))
        .or(match containing.as_slice() {
            [only] => Some(only.as_str()),
            _ => None,
        })
        .map(|s| format!(" (did you mean \"{s}\"?)"))
        .unwrap_or_default()
}

/// Where a machine's name first appears among a template's resources (or Serverless machines).
fn template_position(template: &Value, name: &str) -> usize {
    [
        "/Resources",
        "/resources/Resources",
        "/stepFunctions/stateMachines",
        "/resource/aws_sfn_state_machine",
    ]
    .iter()
    .filter_map(|p| template.pointer(p).and_then(Value::as_object))
    .flat_map(|o| o.keys())
    .position(|k| k == name)
    .unwrap_or(usize::MAX)
}

/// Loads the file of `spec` and selects its machine (see the module docs).
pub fn load_machine(spec: &MachineSpec) -> Result<Selected, SelectError> {
    select(load_path(&spec.path), spec.name.as_deref())
}

/// Selects the machine called `name` (or the only one) from a loaded file.
pub fn select(loaded: Loaded, name: Option<&str>) -> Result<Selected, SelectError> {
    let mut document = match loaded {
        Loaded::Document(doc) => *doc,
        Loaded::Failed(failure) => return Err(SelectError::Load(failure)),
    };
    let file = document.origin.display();
    // Machines defined in the file and machines whose definition the template names, in the
    // order the template lists them.
    let mut names: Vec<(String, Place)> = document
        .machines
        .iter()
        .enumerate()
        .map(|(i, m)| (m.name.clone(), Place::Inline(i)))
        .collect();
    names.extend(
        document
            .references
            .iter()
            .enumerate()
            .map(|(i, r)| (r.machine.name.clone(), Place::Reference(i))),
    );
    // References are discovered after the machines written in the file; list both as the
    // template does.
    names.sort_by_key(|(n, _)| template_position(&document.value, n));
    let listed = || names.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let chosen = match name {
        // A Terraform machine is also `aws_sfn_state_machine.NAME`.
        Some(name) => names
            .iter()
            .position(|(n, _)| {
                n == name
                    || name
                        .strip_prefix(super::terraform::RESOURCE)
                        .and_then(|r| r.strip_prefix('.'))
                        == Some(n)
            })
            .ok_or_else(|| SelectError::UnknownName {
                file: file.clone(),
                name: name.to_string(),
                names: listed(),
            })?,
        None => match names.len() {
            0 => return Err(SelectError::NoMachine(file)),
            1 => 0,
            _ => return Err(SelectError::Ambiguous { file, names: listed() }),
        },
    };
    match names[chosen].1 {
        Place::Reference(i) => {
            let reference = document.references.swap_remove(i);
            select_only(load_reference(&reference), 0)
        }
        Place::Inline(i) => select_only(Loaded::Document(Box::new(document)), i),
    }
}

/// Where a machine of a file is defined.
#[derive(Debug, Clone, Copy)]
enum Place {
    /// `Document::machines[i]`.
    Inline(usize),
    /// `Document::references[i]`.
    Reference(usize),
}

/// Keeps machine `index` of a loaded document as its only machine.
fn select_only(loaded: Loaded, index: usize) -> Result<Selected, SelectError> {
    let mut document = match loaded {
        Loaded::Document(doc) => *doc,
        Loaded::Failed(failure) => return Err(SelectError::Load(failure)),
    };
    let Some(machine) = document.machines.get(index).cloned() else {
        return Err(SelectError::NoMachine(document.origin.display()));
    };
    let inside = |pointer: &str| {
        pointer
            .strip_prefix(machine.pointer.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    };
    document.load_diagnostics.retain(|d| d.pointer().is_none_or(inside));
    document.machines = vec![machine.clone()];
    document.references.clear();
    Ok(Selected { document, machine })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_hash_splits_off_the_machine_name() {
        let spec = MachineSpec::parse(Path::new("dir/template.yaml#Order"));
        assert_eq!(spec.path, PathBuf::from("dir/template.yaml"));
        assert_eq!(spec.name.as_deref(), Some("Order"));
        assert_eq!(MachineSpec::parse(Path::new("a.json#")).name, None);
        assert_eq!(MachineSpec::parse(Path::new("a.json")).name, None);
    }

    #[test]
    fn a_second_name_must_agree() {
        let spec = MachineSpec::parse(Path::new("t.yaml#A"));
        assert!(spec.clone().with_name(Some("A")).is_ok());
        assert!(spec.with_name(Some("B")).is_err());
        let bare = MachineSpec::parse(Path::new("t.yaml")).with_name(Some("B")).unwrap();
        assert_eq!(bare.name.as_deref(), Some("B"));
    }
}
