//! Reading the schema: the node at a location, the fields an object allows, descriptions, the
//! alternatives of a `oneOf`, the condition of an `if`/`then`.

use serde_json::Value;

use super::errors::required_list;
use super::words::show_value;
use super::Translator;

impl Translator<'_> {
    /// The schema node at a canonical location, following a `$ref` written there.
    pub(super) fn node(&self, location: &str) -> Option<&Value> {
        let node = if location.is_empty() {
            Some(self.schema)
        } else {
            self.schema.pointer(location)
        }?;
        Some(node)
    }

    pub(super) fn resolve<'s>(&'s self, node: &'s Value) -> &'s Value {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => r.strip_prefix('#').and_then(|p| self.schema.pointer(p)).unwrap_or(node),
            None => node,
        }
    }

    /// The fields an object schema allows (its `properties`, in schema order).
    pub(super) fn allowed_fields(&self, location: &str) -> Vec<String> {
        self.node(location)
            .map(|n| self.resolve(n))
            .and_then(|n| n.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// The description of a field of an object schema, from the property or what it refers to.
    pub(super) fn field_description(&self, location: &str, field: &str) -> Option<&str> {
        let property = self
            .node(location)
            .map(|n| self.resolve(n))?
            .get("properties")?
            .get(field)?;
        property
            .get("description")
            .or_else(|| self.resolve(property).get("description"))
            .and_then(Value::as_str)
    }

    pub(super) fn description(&self, location: &str) -> Option<&str> {
        self.node(location)?.get("description")?.as_str()
    }

    /// The fields listed by a `oneOf` or `anyOf` of `{required: [field]}`.
    pub(super) fn one_of_options(&self, schema_path: &str) -> Vec<String> {
        self.node(schema_path)
            .and_then(Value::as_array)
            .map(|alternatives| alternatives.iter().filter_map(required_list).flatten().collect())
            .unwrap_or_default()
    }

    /// For a `required` inside `then`: the condition of the sibling `if`, in words.
    pub(super) fn condition(&self, schema_path: &str) -> Option<String> {
        let owner = schema_path.strip_suffix("/then/required")?;
        let properties = self.node(owner)?.get("if")?.get("properties")?.as_object()?;
        let parts: Vec<String> = properties
            .iter()
            .filter_map(|(field, s)| s.get("const").map(|v| format!("when `{field}` is {}", show_value(v))))
            .collect();
        (!parts.is_empty()).then(|| parts.join(" and "))
    }

    /// Whether some object of the language has this field.
    pub(super) fn is_known_field(&self, field: &str) -> bool {
        let has = |node: &Value| node.get("properties").and_then(|p| p.get(field)).is_some();
        has(self.schema)
            || self
                .schema
                .get("$defs")
                .and_then(Value::as_object)
                .is_some_and(|defs| defs.values().any(has))
    }

    /// State types (from the `…State` definitions) that allow a field.
    pub(super) fn state_types_with_field(&self, field: &str) -> Vec<String> {
        let Some(defs) = self.schema.get("$defs").and_then(Value::as_object) else {
            return Vec::new();
        };
        defs.iter()
            .filter_map(|(name, def)| {
                let ty = name.strip_suffix("State").filter(|t| !t.is_empty())?;
                def.get("properties")?.get(field)?;
                Some(ty.to_string())
            })
            .collect()
    }
}
