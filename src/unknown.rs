//! Values only the deployment knows, as one concept: "an unknown of the right type".
//!
//! A CloudFormation intrinsic function (`{"Ref": …}`, `{"Fn::GetAtt": …}`) stands where a value
//! will be once the stack deploys. The loader puts the same shape, a [`stand_in`] such as
//! `{"Fn::Sub": "${Timeout}"}`, wherever a placeholder takes the place of a whole value: an
//! unquoted `${Timeout}` in a `DefinitionString` or a `DefinitionUri` file, a Serverless
//! `${self:custom.timeout}`, a Terraform reference (`var.timeout`). Every check that judges a
//! value's type or contents accepts an unknown ([`is_unknown`]): the schema translation and the
//! rules alike, so a number field, a Choice operand or a Retry setting holding one is never
//! reported. Inside a string, a placeholder stays text (`"arn:…:${Fn}"`) and the rules that read
//! strings accept `${…}` there.

use serde_json::{Map, Value};

/// Whether a value is one only the deployment knows: an object with exactly one key, `Ref` or
/// `Fn::…`.
pub fn is_unknown(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|o| o.len() == 1 && o.keys().all(|k| k == "Ref" || k.starts_with("Fn::")))
}

/// The stand-in for a placeholder that takes the place of a whole value (`${Timeout}`).
pub fn stand_in(placeholder: &str) -> Value {
    let mut sub = Map::new();
    sub.insert("Fn::Sub".into(), Value::String(placeholder.to_string()));
    Value::Object(sub)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn intrinsics_and_stand_ins_are_unknown() {
        assert!(is_unknown(&json!({"Ref": "Timeout"})));
        assert!(is_unknown(&json!({"Fn::GetAtt": ["F", "Arn"]})));
        assert!(is_unknown(&stand_in("${Timeout}")));
        assert!(!is_unknown(&json!({"Ref": "A", "Other": 1})));
        assert!(!is_unknown(&json!({"Type": "Pass"})));
        assert!(!is_unknown(&json!("${Timeout}")));
    }
}
