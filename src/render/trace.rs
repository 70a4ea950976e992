//! A simulation trace to highlight: the JSON that `aslkit simulate --format json` prints,
//! deserialised as the struct that writes it ([`SimulationOutput`]); only the states' `name` and
//! `pointer` matter here.

use serde::Deserialize;
use serde_json::Value;

use crate::report::simulation::SimulationOutput;

/// One state entered, in execution order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub name: String,
    /// The state's JSON Pointer; when present it must match the definition's.
    pub pointer: Option<String>,
}

/// The states a run entered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    pub status: Option<String>,
    pub entries: Vec<Entry>,
}

impl Trace {
    /// Reads a trace, or says what is wrong with it.
    pub fn from_json(value: &Value) -> Result<Trace, String> {
        // What a trace must have, said plainly; the rest of the document is the struct's.
        let states = value
            .get("states")
            .and_then(Value::as_array)
            .ok_or("a trace is an object with a \"states\" array (the output of `aslkit simulate --format json`)")?;
        if let Some(i) = states.iter().position(|s| !s.get("name").is_some_and(Value::is_string)) {
            return Err(format!("states[{i}] has no \"name\" string"));
        }
        let document = SimulationOutput::deserialize(value)
            .map_err(|e| format!("not the output of `aslkit simulate --format json`: {e}"))?;
        Ok(Trace {
            status: document.status,
            entries: document
                .states
                .into_iter()
                .map(|s| Entry {
                    name: s.name,
                    pointer: s.pointer,
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_names_and_pointers() {
        let t = Trace::from_json(&json!({"status": "SUCCEEDED", "states": [
            {"name": "A", "type": "Pass", "pointer": "/States/A"}, {"name": "B"}
        ]}));
        assert_eq!(t.map(|t| t.entries.len()), Ok(2));
        assert!(Trace::from_json(&json!({"states": [{}]})).is_err());
        assert!(Trace::from_json(&json!([])).is_err());
    }
}
