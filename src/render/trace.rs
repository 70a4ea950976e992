//! A simulation trace to highlight: the JSON that `aslkit simulate --format json` prints,
//! `{"status": …, "states": [{"name", "type", "pointer", …}, …]}`, read leniently (only the
//! states' `name` and `pointer` matter here; other fields are ignored).

use serde_json::Value;

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
        let states = value
            .get("states")
            .and_then(Value::as_array)
            .ok_or("a trace is an object with a \"states\" array (the output of `aslkit simulate --format json`)")?;
        let entries = states
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let name = s
                    .get("name")
                    .and_then(Value::as_str)
                    .ok_or(format!("states[{i}] has no \"name\" string"))?;
                Ok(Entry {
                    name: name.to_string(),
                    pointer: s.get("pointer").and_then(Value::as_str).map(str::to_string),
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(Trace {
            status: value.get("status").and_then(Value::as_str).map(str::to_string),
            entries,
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
