//! Typed reads of the fields a running machine needs: a state's, a scope's, a retrier's, a
//! catcher's and those of a Map state's nested settings.
//!
//! The simulator never looks a field up by its ASL name: it asks these views, so the names are
//! written down in `model/` only. Each view is a copy of a reference to the object it reads (or
//! of nothing, when the value is not an object), and each accessor is one lookup, as cheap as the
//! string lookup it replaces. Like the rest of the model, the views are lenient: a field of the
//! wrong type reads as absent where the accessor promises a type, and as the raw value where the
//! caller decides what a wrong type means (`InputPath: 3` is an error at run time, not a missing
//! field).

use serde_json::{Map, Value};

use super::{get_field, QueryLanguage, State, StateType};

/// Reads `name` from an object that may be absent.
fn read<'a>(object: Option<&'a Map<String, Value>>, name: &str) -> Option<&'a Value> {
    object.and_then(|o| get_field(o, name))
}

/// The fields of one state object.
#[derive(Debug, Clone, Copy, Default)]
pub struct StateFields<'a> {
    object: Option<&'a Map<String, Value>>,
}

/// A numeric setting written either as the value itself (`MaxConcurrency`, a number or, in
/// JSONata, an expression string) or as a JSONPath to it (`MaxConcurrencyPath`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The field holding the value.
    pub name: &'static str,
    /// The field holding a path to the value.
    pub path_name: &'static str,
}

impl Setting {
    const fn new(name: &'static str, path_name: &'static str) -> Setting {
        Setting { name, path_name }
    }

    pub const MAX_CONCURRENCY: Setting = Setting::new("MaxConcurrency", "MaxConcurrencyPath");
    pub const TOLERATED_FAILURE_COUNT: Setting = Setting::new("ToleratedFailureCount", "ToleratedFailureCountPath");
    pub const TOLERATED_FAILURE_PERCENTAGE: Setting =
        Setting::new("ToleratedFailurePercentage", "ToleratedFailurePercentagePath");
    pub const MAX_ITEMS_PER_BATCH: Setting = Setting::new("MaxItemsPerBatch", "MaxItemsPerBatchPath");
    pub const MAX_ITEMS: Setting = Setting::new("MaxItems", "MaxItemsPath");
    pub const TIMEOUT_SECONDS: Setting = Setting::new("TimeoutSeconds", "TimeoutSecondsPath");
    pub const HEARTBEAT_SECONDS: Setting = Setting::new("HeartbeatSeconds", "HeartbeatSecondsPath");
    pub const SECONDS: Setting = Setting::new("Seconds", "SecondsPath");
    pub const TIMESTAMP: Setting = Setting::new("Timestamp", "TimestampPath");
    pub const ERROR: Setting = Setting::new("Error", "ErrorPath");
    pub const CAUSE: Setting = Setting::new("Cause", "CausePath");
}

/// Any object whose fields are read by name (a Map's `ItemBatcher`, an `ItemReader`'s
/// `ReaderConfig`): what [`Setting`]s are read from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Settings<'a> {
    object: Option<&'a Map<String, Value>>,
}

impl<'a> Settings<'a> {
    pub fn of(value: Option<&'a Value>) -> Settings<'a> {
        Settings {
            object: value.and_then(Value::as_object),
        }
    }

    /// The value form of a setting.
    pub fn value(&self, setting: Setting) -> Option<&'a Value> {
        read(self.object, setting.name)
    }

    /// The path form of a setting, when it is a string.
    pub fn path(&self, setting: Setting) -> Option<&'a str> {
        read(self.object, setting.path_name).and_then(Value::as_str)
    }

    /// The path form of a setting as written (`ErrorPath` may hold an intrinsic call).
    pub fn raw_path(&self, setting: Setting) -> Option<&'a Value> {
        read(self.object, setting.path_name)
    }
}

macro_rules! raw_fields {
    ($($(#[$doc:meta])* $method:ident => $name:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $method(&self) -> Option<&'a Value> {
                read(self.object, $name)
            }
        )*
    };
}

macro_rules! str_fields {
    ($($(#[$doc:meta])* $method:ident => $name:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $method(&self) -> Option<&'a str> {
                read(self.object, $name).and_then(Value::as_str)
            }
        )*
    };
}

impl<'a> StateFields<'a> {
    /// The fields of the state whose object is `value` (none when it is not an object).
    pub fn of(value: &'a Value) -> StateFields<'a> {
        StateFields {
            object: value.as_object(),
        }
    }

    /// The state's settings ([`Setting`]s written on the state itself).
    pub fn settings(&self) -> Settings<'a> {
        Settings { object: self.object }
    }

    /// The state's type, when it is one of the eight.
    pub fn kind(&self) -> Option<StateType> {
        self.type_value().and_then(Value::as_str).and_then(StateType::parse)
    }

    /// Whether the state declares `QueryLanguage: JSONata` (`None` when it declares none).
    pub fn declares_jsonata(&self) -> Option<bool> {
        read(self.object, "QueryLanguage")
            .and_then(Value::as_str)
            .map(|ql| ql == QueryLanguage::Jsonata.as_str())
    }

    /// `End: true`.
    pub fn is_end(&self) -> bool {
        read(self.object, "End").and_then(Value::as_bool) == Some(true)
    }

    /// The Task's `Resource` (empty when absent).
    pub fn resource(&self) -> &'a str {
        read(self.object, "Resource")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// The Choice state's rules (empty when `Choices` is not an array).
    pub fn choices(&self) -> &'a [Value] {
        read(self.object, "Choices")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The Parallel state's branches (empty when `Branches` is not an array).
    pub fn branches(&self) -> &'a [Value] {
        read(self.object, "Branches")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The state's retriers, in order.
    pub fn retriers(&self) -> Vec<Retrier<'a>> {
        list(read(self.object, "Retry"))
            .iter()
            .map(|v| Retrier { object: v.as_object() })
            .collect()
    }

    /// The state's catchers, in order.
    pub fn catchers(&self) -> Vec<Catcher<'a>> {
        list(read(self.object, "Catch"))
            .iter()
            .map(|v| Catcher { object: v.as_object() })
            .collect()
    }

    /// A Map state's processor: `ItemProcessor`, else the legacy `Iterator`, with the name of
    /// the field it came from (`Iterator` when neither is there).
    pub fn processor(&self) -> (&'static str, Option<&'a Value>) {
        match read(self.object, "ItemProcessor") {
            Some(p) => ("ItemProcessor", Some(p)),
            None => ("Iterator", read(self.object, "Iterator")),
        }
    }

    /// `ItemSelector`, or its legacy name `Parameters` on a Map state.
    pub fn item_selector(&self) -> Option<&'a Value> {
        read(self.object, "ItemSelector").or_else(|| read(self.object, "Parameters"))
    }

    /// A Map state's `ItemReader`.
    pub fn item_reader(&self) -> Option<ItemReader<'a>> {
        read(self.object, "ItemReader").map(|v| ItemReader { object: v.as_object() })
    }

    /// A Map state's `ResultWriter`.
    pub fn result_writer(&self) -> Option<ResultWriter<'a>> {
        read(self.object, "ResultWriter").map(|v| ResultWriter { object: v.as_object() })
    }

    /// A Map state's `ItemBatcher`.
    pub fn item_batcher(&self) -> Option<ItemBatcher<'a>> {
        read(self.object, "ItemBatcher").map(|v| ItemBatcher { object: v.as_object() })
    }

    raw_fields! {
        /// `Type` as written (for messages about an unknown type).
        type_value => "Type";
        /// `InputPath`: absent, `null` or a path.
        input_path => "InputPath";
        /// `OutputPath`: absent, `null` or a path.
        output_path => "OutputPath";
        /// `ResultPath`: absent, `null` or a reference path.
        result_path => "ResultPath";
        /// `Parameters` (a JSONPath payload template).
        parameters => "Parameters";
        /// `ResultSelector` (a JSONPath payload template).
        result_selector => "ResultSelector";
        /// `Arguments` (a JSONata value).
        arguments => "Arguments";
        /// `Assign` (a payload template in JSONPath, a JSONata value in JSONata).
        assign => "Assign";
        /// `Output` (a JSONata value).
        output => "Output";
        /// A Pass state's `Result`.
        result => "Result";
        /// A JSONata Map state's `Items`.
        items => "Items";
    }

    str_fields! {
        /// `Next`, when it is a string.
        next => "Next";
        /// A Choice state's `Default`.
        default => "Default";
        /// A JSONPath Map state's `ItemsPath`.
        items_path => "ItemsPath";
        /// A Distributed Map's `Label`.
        label => "Label";
    }
}

/// The array a field holds (empty when it is absent or not an array).
fn list(value: Option<&Value>) -> &[Value] {
    value.and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// The names an `ErrorEquals` list holds (strings only).
fn error_names(object: Option<&Map<String, Value>>) -> Vec<&str> {
    list(read(object, "ErrorEquals"))
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

/// One element of `Retry`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Retrier<'a> {
    object: Option<&'a Map<String, Value>>,
}

impl<'a> Retrier<'a> {
    /// The retrier of an object (for tests and callers holding the value).
    pub fn of(value: &'a Value) -> Retrier<'a> {
        Retrier {
            object: value.as_object(),
        }
    }

    pub fn error_equals(&self) -> Vec<&'a str> {
        error_names(self.object)
    }

    fn number(&self, name: &str) -> Option<f64> {
        read(self.object, name).and_then(Value::as_f64)
    }

    pub fn interval_seconds(&self) -> Option<f64> {
        self.number("IntervalSeconds")
    }

    /// `MaxAttempts` when it is a non-negative integer.
    pub fn max_attempts(&self) -> Option<u64> {
        read(self.object, "MaxAttempts").and_then(Value::as_u64)
    }

    pub fn backoff_rate(&self) -> Option<f64> {
        self.number("BackoffRate")
    }

    pub fn max_delay_seconds(&self) -> Option<f64> {
        self.number("MaxDelaySeconds")
    }

    /// `JitterStrategy: FULL`.
    pub fn full_jitter(&self) -> bool {
        read(self.object, "JitterStrategy").and_then(Value::as_str) == Some("FULL")
    }
}

/// One element of `Catch`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Catcher<'a> {
    object: Option<&'a Map<String, Value>>,
}

impl<'a> Catcher<'a> {
    pub fn error_equals(&self) -> Vec<&'a str> {
        error_names(self.object)
    }

    raw_fields! {
        /// `ResultPath` (JSONPath).
        result_path => "ResultPath";
        /// `Assign`.
        assign => "Assign";
        /// `Output` (JSONata).
        output => "Output";
    }

    str_fields! {
        next => "Next";
    }
}

/// The fields of a scope: the machine, a Parallel branch or a Map processor.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScopeFields<'a> {
    object: Option<&'a Map<String, Value>>,
}

impl<'a> ScopeFields<'a> {
    pub fn of(value: &'a Value) -> ScopeFields<'a> {
        ScopeFields {
            object: value.as_object(),
        }
    }

    /// `StartAt` (empty when absent).
    pub fn start_at(&self) -> &'a str {
        read(self.object, "StartAt").and_then(Value::as_str).unwrap_or_default()
    }

    /// The `States` object.
    pub fn states(&self) -> Option<&'a Map<String, Value>> {
        read(self.object, "States").and_then(Value::as_object)
    }

    /// The top level's `QueryLanguage: JSONata`.
    pub fn is_jsonata(&self) -> bool {
        read(self.object, "QueryLanguage").and_then(Value::as_str) == Some(QueryLanguage::Jsonata.as_str())
    }

    /// The machine's `TimeoutSeconds`, when it is an integer.
    pub fn timeout_seconds(&self) -> Option<i64> {
        read(self.object, "TimeoutSeconds").and_then(Value::as_i64)
    }

    /// A Map processor's `ProcessorConfig.Mode` is `DISTRIBUTED`.
    pub fn is_distributed(&self) -> bool {
        read(self.object, "ProcessorConfig")
            .and_then(Value::as_object)
            .and_then(|c| get_field(c, "Mode"))
            .and_then(Value::as_str)
            == Some("DISTRIBUTED")
    }
}

/// A Map state's `ItemReader`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ItemReader<'a> {
    object: Option<&'a Map<String, Value>>,
}

impl<'a> ItemReader<'a> {
    /// `Parameters` (JSONPath) or `Arguments` (JSONata): the request to the reading API.
    pub fn request(&self) -> Option<&'a Value> {
        read(self.object, "Parameters").or_else(|| read(self.object, "Arguments"))
    }

    /// `Resource` (empty when absent).
    pub fn resource(&self) -> &'a str {
        read(self.object, "Resource")
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// `ReaderConfig`.
    pub fn reader_config(&self) -> ReaderConfig<'a> {
        ReaderConfig {
            object: read(self.object, "ReaderConfig").and_then(Value::as_object),
        }
    }
}

/// An `ItemReader`'s `ReaderConfig`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReaderConfig<'a> {
    object: Option<&'a Map<String, Value>>,
}

impl<'a> ReaderConfig<'a> {
    pub fn settings(&self) -> Settings<'a> {
        Settings { object: self.object }
    }

    /// `InputType` (`JSON` when absent).
    pub fn input_type(&self) -> &'a str {
        read(self.object, "InputType").and_then(Value::as_str).unwrap_or("JSON")
    }

    /// `CSVHeaders` when `CSVHeaderLocation` is `GIVEN`; `None` when the first row holds them.
    pub fn given_csv_headers(&self) -> Option<Vec<String>> {
        if read(self.object, "CSVHeaderLocation").and_then(Value::as_str) != Some("GIVEN") {
            return None;
        }
        Some(
            list(read(self.object, "CSVHeaders"))
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        )
    }
}

/// A Map state's `ItemBatcher`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ItemBatcher<'a> {
    object: Option<&'a Map<String, Value>>,
}

impl<'a> ItemBatcher<'a> {
    pub fn settings(&self) -> Settings<'a> {
        Settings { object: self.object }
    }

    /// `BatchInput`.
    pub fn batch_input(&self) -> Option<&'a Value> {
        read(self.object, "BatchInput")
    }
}

/// A Map state's `ResultWriter`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResultWriter<'a> {
    object: Option<&'a Map<String, Value>>,
}

impl<'a> ResultWriter<'a> {
    /// `Parameters` (JSONPath) or `Arguments` (JSONata): where the results go.
    pub fn request(&self) -> Option<&'a Value> {
        read(self.object, "Parameters").or_else(|| read(self.object, "Arguments"))
    }
}

impl<'a> State<'a> {
    /// The state's fields, typed.
    pub fn fields(&self) -> StateFields<'a> {
        StateFields { object: self.object }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_fields_leniently() {
        let v = json!({"Type": "Map", "Next": 3, "ItemsPath": "$.xs", "Parameters": {"a": 1},
                       "Retry": [{"ErrorEquals": ["E", 1], "MaxAttempts": -1, "JitterStrategy": "FULL"}],
                       "MaxConcurrencyPath": "$.n", "ItemBatcher": {"MaxItemsPerBatch": 2}});
        let f = StateFields::of(&v);
        assert_eq!(f.kind(), Some(StateType::Map));
        assert_eq!(f.next(), None);
        assert_eq!(f.items_path(), Some("$.xs"));
        assert_eq!(f.item_selector(), Some(&json!({"a": 1})));
        let r = f.retriers();
        assert_eq!(r[0].error_equals(), ["E"]);
        assert_eq!(r[0].max_attempts(), None);
        assert!(r[0].full_jitter());
        assert_eq!(f.settings().path(Setting::MAX_CONCURRENCY), Some("$.n"));
        let batcher = f
            .item_batcher()
            .map(|b| b.settings().value(Setting::MAX_ITEMS_PER_BATCH));
        assert_eq!(batcher, Some(Some(&json!(2))));
        assert_eq!(f.processor(), ("Iterator", None));
        assert!(StateFields::of(&json!(null)).catchers().is_empty());
    }
}
