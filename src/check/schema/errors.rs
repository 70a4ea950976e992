//! A validation error of the `jsonschema` crate, reduced to what the messages need and owned.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

/// What went wrong, reduced to what the messages need.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Kind {
    /// Fields not allowed in the object.
    Unknown(Vec<String>),
    Required(String),
    /// Expected JSON types, e.g. `["integer", "string"]`.
    Type(Vec<&'static str>),
    Enum(Vec<Value>),
    Const(Value),
    Pattern(String),
    /// `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`.
    Bound,
    /// `minItems`, `maxItems`, `minLength`, `maxLength` and their limit.
    Count(&'static str, u64),
    /// An object where only a CloudFormation intrinsic function may be.
    NotIntrinsic,
    /// `not: {required: [a, b, …]}`: the fields exclude each other.
    Excludes(Vec<String>),
    /// `oneOf` of `{required: [field]}`: none (`false`) or several (`true`) are present.
    OneOf(bool),
    /// `anyOf` of `{required: [field]}`: none is present.
    AnyOf,
    /// Anything the schema's conventions do not produce; reported plainly.
    Other(String),
}

/// One validation error, owned.
#[derive(Debug, Clone)]
pub(super) struct Raw {
    /// Escaped JSON Pointer relative to the machine.
    pub(super) path: String,
    /// Canonical location of the failing keyword in the schema (`/$defs/PassState/additionalProperties`).
    pub(super) schema_path: String,
    pub(super) kind: Kind,
}

impl Raw {
    pub(super) fn from_error(e: &ValidationError<'_>) -> Raw {
        use ValidationErrorKind as K;
        let kind = match e.kind() {
            K::AdditionalProperties { unexpected } | K::UnevaluatedProperties { unexpected } => {
                Kind::Unknown(unexpected.clone())
            }
            K::Required { property } => Kind::Required(property.as_str().unwrap_or_default().to_string()),
            K::Type { kind } => Kind::Type(match kind {
                TypeKind::Single(t) => vec![t.as_str()],
                TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect(),
            }),
            K::Enum { options } => Kind::Enum(options.as_array().cloned().unwrap_or_default()),
            K::Constant { expected_value } => Kind::Const(Value::clone(expected_value)),
            K::Pattern { pattern } => Kind::Pattern(pattern.clone()),
            K::Minimum { .. } | K::Maximum { .. } | K::ExclusiveMinimum { .. } | K::ExclusiveMaximum { .. } => {
                Kind::Bound
            }
            K::MinItems { limit } => Kind::Count("minItems", *limit),
            K::MaxItems { limit } => Kind::Count("maxItems", *limit),
            K::MinLength { limit } => Kind::Count("minLength", *limit),
            K::MaxLength { limit } => Kind::Count("maxLength", *limit),
            K::PropertyNames { .. } | K::MinProperties { .. } | K::MaxProperties { .. } => Kind::NotIntrinsic,
            K::Not { schema } => match required_list(schema) {
                Some(fields) => Kind::Excludes(fields),
                None => Kind::Other("not".to_string()),
            },
            K::OneOfNotValid { .. } => Kind::OneOf(false),
            K::OneOfMultipleValid { .. } => Kind::OneOf(true),
            K::AnyOf { .. } => Kind::AnyOf,
            other => Kind::Other(other.keyword().to_string()),
        };
        Raw {
            path: e.instance_path().as_str().to_string(),
            schema_path: e.schema_path().as_str().to_string(),
            kind,
        }
    }
}

/// The fields of a `{required: [...]}` schema.
pub(super) fn required_list(schema: &Value) -> Option<Vec<String>> {
    let object = schema.as_object()?;
    if object.len() != 1 {
        return None;
    }
    let fields = object.get("required")?.as_array()?;
    fields.iter().map(|f| f.as_str().map(str::to_string)).collect()
}
