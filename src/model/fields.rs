//! The one catalogue of the fields of a state: which fields each state type has, in which query
//! language, and what each holds (a path, a payload template, a JSONata value, a setting …).
//!
//! The checks ask this catalogue rather than knowing the layout of every state type: which of a
//! state's fields are paths and of what kind, which objects are templates, which fields belong to
//! the other query language and what to write instead. A field is added here once. The JSON
//! Schema (`schemas/asl.schema.json`) stays the editor's document of the language; a test keeps
//! the two in agreement, state type by state type and for the nested objects (`Catch[i]`,
//! `ItemReader`, `ItemReader.ReaderConfig`, `ItemBatcher`, `ResultWriter`).
//!
//! The queries below find fields by JSON Pointer from the state, also inside the nested objects,
//! catchers and Choice rules; they never fail, a value of the wrong type is simply skipped.

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::choice::ChoiceRule;
use super::text::{concat, decimal};
use super::{get_field, get_member, FastMap, QueryLanguage, State, StateType};
use crate::expr::reference_path::Roots;
use crate::pointer::{child, escape_token};

/// Where a field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// On a state of one of these types.
    State(&'static [StateType]),
    /// In an object nested in a Map state, by its path from the state: `["ItemReader"]`,
    /// `["ItemReader", "ReaderConfig"]`, `["ItemBatcher"]`, `["ResultWriter"]`.
    In(&'static [&'static str]),
    /// In a catcher, `Catch[i]`.
    Catcher,
    /// In a retrier, `Retry[i]`.
    Retrier,
    /// In a top-level Choice rule, `Choices[i]` (besides its comparison, see `model::choice`).
    ChoiceRule,
}

/// The query language a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Both,
    Only(QueryLanguage),
}

/// What a path field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathKind {
    /// Any JSONPath (`InputPath`, `OutputPath`, Choice `Variable`).
    Path,
    /// A Reference Path: one node only.
    Reference(Roots),
    /// A Reference Path, or an intrinsic call that returns a string (`ErrorPath`, `CausePath`).
    ReferenceOrStringIntrinsic,
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Data no query language evaluates: `Type`, `Comment`, `Next`, `Resource`, `Result`, `Label`,
    /// `Retry`, `Catch`, `Choices` (whose members are catalogued under their own place) ….
    Plain,
    /// A nested state machine: `Branches`, `ItemProcessor`, `Iterator`.
    Scope,
    /// An object of settings whose members are catalogued under [`Place::In`]: `ItemReader`,
    /// `ItemBatcher`, `ResultWriter`, `ReaderConfig`, `WriterConfig`.
    Config,
    /// A JSONPath path (JSONPath states only).
    Path(PathKind),
    /// A JSONPath payload template: keys ending in `.$` take a path or an intrinsic call.
    PayloadTemplate,
    /// A JSONata value: any JSON, its `{% … %}` strings evaluated (`Arguments`, `Output`).
    JsonataTemplate,
    /// A payload template in JSONPath, a JSONata value in JSONata: `Assign`, `ItemSelector`,
    /// `Credentials`, `BatchInput`.
    Template,
    /// A value one JSONata expression computes, or a literal: `Items`, a rule's `Condition`.
    JsonataValue,
    /// A number or timestamp written literally, or in JSONata as a `{% … %}` expression; JSONPath
    /// reads it from the input with its twin field instead.
    Setting { path_twin: &'static str },
    /// A string, in JSONata possibly a `{% … %}` expression (`Error`, `Cause`); JSONPath reads it
    /// from the input with its twin field instead (a JSONPath string is always literal).
    Text { path_twin: &'static str },
}

impl Kind {
    /// Whether Step Functions evaluates the `{% … %}` strings of this field in a JSONata state.
    pub fn evaluated_in_jsonata(self) -> bool {
        matches!(
            self,
            Kind::Config
                | Kind::JsonataTemplate
                | Kind::Template
                | Kind::JsonataValue
                | Kind::Setting { .. }
                | Kind::Text { .. }
        )
    }

    /// Whether the field is a JSONPath payload template.
    pub fn is_payload_template(self) -> bool {
        matches!(self, Kind::PayloadTemplate | Kind::Template)
    }

    /// Whether the field is a JSONata template (evaluated as a whole JSON value).
    pub fn is_jsonata_template(self) -> bool {
        matches!(self, Kind::JsonataTemplate | Kind::Template)
    }
}

/// One row of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub place: Place,
    pub language: Language,
    pub kind: Kind,
    /// For a field of one query language: what the other language writes instead.
    pub instead: &'static str,
}

impl Field {
    /// Whether the field is written on a state of type `kind`.
    pub fn on(&self, kind: StateType) -> bool {
        matches!(self.place, Place::State(types) if types.contains(&kind))
    }

    /// Whether the field belongs to the query language other than `language`.
    pub fn foreign_to(&self, language: QueryLanguage) -> bool {
        matches!(self.language, Language::Only(own) if own != language)
    }
}

const ALL: &[StateType] = &StateType::ALL;
/// Every type but Fail: the types with `InputPath`, `OutputPath` and `Output`.
const NOT_FAIL: &[StateType] = {
    use StateType::*;
    &[Task, Pass, Choice, Wait, Succeed, Parallel, Map]
};
/// The types that move on with `Next` or stop with `End`, and store variables with `Assign`.
const FLOWING: &[StateType] = {
    use StateType::*;
    &[Task, Pass, Wait, Parallel, Map]
};
/// The types that run work and can fail with it: `Retry`, `Catch`, `ResultSelector`.
const WORKING: &[StateType] = {
    use StateType::*;
    &[Task, Parallel, Map]
};
const READER: &[&str] = &["ItemReader"];
const READER_CONFIG: &[&str] = &["ItemReader", "ReaderConfig"];
const BATCHER: &[&str] = &["ItemBatcher"];
const WRITER: &[&str] = &["ResultWriter"];
const PROCESSOR: &[&str] = &["ItemProcessor"];
const PROCESSOR_CONFIG: &[&str] = &["ItemProcessor", "ProcessorConfig"];

const JSONPATH: Language = Language::Only(QueryLanguage::JsonPath);
const JSONATA: Language = Language::Only(QueryLanguage::Jsonata);
const BOTH: Language = Language::Both;
const REFERENCE: Kind = Kind::Path(PathKind::Reference(Roots::Any));
const RESULT_PATH: Kind = Kind::Path(PathKind::Reference(Roots::Input));

const fn row(name: &'static str, place: Place, language: Language, kind: Kind, instead: &'static str) -> Field {
    Field {
        name,
        place,
        language,
        kind,
        instead,
    }
}

const fn plain(name: &'static str, place: Place) -> Field {
    row(name, place, BOTH, Kind::Plain, "")
}

/// The catalogue.
pub const FIELDS: &[Field] =
    {
        use Place::{Catcher, ChoiceRule, In, Retrier, State as On};
        use StateType::*;
        &[
        // Every state.
        plain("Type", On(ALL)),
        plain("Comment", On(ALL)),
        plain("QueryLanguage", On(ALL)),
        // Input and output.
        row(
            "InputPath",
            On(NOT_FAIL),
            JSONPATH,
            Kind::Path(PathKind::Path),
            "read the input as `$states.input` inside `Arguments` or `Output`",
        ),
        row(
            "OutputPath",
            On(NOT_FAIL),
            JSONPATH,
            Kind::Path(PathKind::Path),
            "shape the output with `Output`",
        ),
        row(
            "Parameters",
            On(&[Task, Pass, Parallel]),
            JSONPATH,
            Kind::PayloadTemplate,
            "use `Arguments`",
        ),
        row("Parameters", On(&[Map]), JSONPATH, Kind::PayloadTemplate, "use `ItemSelector`"),
        row(
            "ResultSelector",
            On(WORKING),
            JSONPATH,
            Kind::PayloadTemplate,
            "use `Output`, which sees the result as `$states.result`",
        ),
        row(
            "ResultPath",
            On(&[Task, Pass, Parallel, Map]),
            JSONPATH,
            RESULT_PATH,
            "use `Output` (with `$states.result`) or `Assign`",
        ),
        row("Result", On(&[Pass]), JSONPATH, Kind::Plain, "use `Output`"),
        row(
            "Arguments",
            On(&[Task, Parallel]),
            JSONATA,
            Kind::JsonataTemplate,
            "use `Parameters`, or set `\"QueryLanguage\": \"JSONata\"` on the state",
        ),
        row(
            "Output",
            On(NOT_FAIL),
            JSONATA,
            Kind::JsonataTemplate,
            "use `OutputPath`, `ResultSelector` or `ResultPath`, or set `\"QueryLanguage\": \"JSONata\"` on the state",
        ),
        row("Assign", On(&[Task, Pass, Choice, Wait, Parallel, Map]), BOTH, Kind::Template, ""),
        // Flow.
        plain("Next", On(FLOWING)),
        plain("End", On(FLOWING)),
        plain("Retry", On(WORKING)),
        plain("Catch", On(WORKING)),
        plain("Choices", On(&[Choice])),
        plain("Default", On(&[Choice])),
        // Task.
        plain("Resource", On(&[Task])),
        row("Credentials", On(&[Task]), BOTH, Kind::Template, ""),
        row(
            "TimeoutSeconds",
            On(&[Task]),
            BOTH,
            Kind::Setting {
                path_twin: "TimeoutSecondsPath",
            },
            "",
        ),
        row(
            "TimeoutSecondsPath",
            On(&[Task]),
            JSONPATH,
            REFERENCE,
            "use `TimeoutSeconds` with a `{% … %}` expression",
        ),
        row(
            "HeartbeatSeconds",
            On(&[Task]),
            BOTH,
            Kind::Setting {
                path_twin: "HeartbeatSecondsPath",
            },
            "",
        ),
        row(
            "HeartbeatSecondsPath",
            On(&[Task]),
            JSONPATH,
            REFERENCE,
            "use `HeartbeatSeconds` with a `{% … %}` expression",
        ),
        // Wait.
        row(
            "Seconds",
            On(&[Wait]),
            BOTH,
            Kind::Setting {
                path_twin: "SecondsPath",
            },
            "",
        ),
        row(
            "SecondsPath",
            On(&[Wait]),
            JSONPATH,
            REFERENCE,
            "use `Seconds` with a `{% … %}` expression",
        ),
        row(
            "Timestamp",
            On(&[Wait]),
            BOTH,
            Kind::Setting {
                path_twin: "TimestampPath",
            },
            "",
        ),
        row(
            "TimestampPath",
            On(&[Wait]),
            JSONPATH,
            REFERENCE,
            "use `Timestamp` with a `{% … %}` expression",
        ),
        // Fail.
        row("Error", On(&[Fail]), BOTH, Kind::Text { path_twin: "ErrorPath" }, ""),
        row(
            "ErrorPath",
            On(&[Fail]),
            JSONPATH,
            Kind::Path(PathKind::ReferenceOrStringIntrinsic),
            "use `Error` with a `{% … %}` expression",
        ),
        row("Cause", On(&[Fail]), BOTH, Kind::Text { path_twin: "CausePath" }, ""),
        row(
            "CausePath",
            On(&[Fail]),
            JSONPATH,
            Kind::Path(PathKind::ReferenceOrStringIntrinsic),
            "use `Cause` with a `{% … %}` expression",
        ),
        // Parallel.
        row("Branches", On(&[Parallel]), BOTH, Kind::Scope, ""),
        // Map.
        row("ItemProcessor", On(&[Map]), BOTH, Kind::Scope, ""),
        row("Iterator", On(&[Map]), BOTH, Kind::Scope, ""),
        // The spec: "a reference path identifying where in the effective input the array field is".
        row(
            "ItemsPath",
            On(&[Map]),
            JSONPATH,
            REFERENCE,
            "use `Items` with a `{% … %}` expression",
        ),
        row(
            "Items",
            On(&[Map]),
            JSONATA,
            Kind::JsonataValue,
            "use `ItemsPath`, or set `\"QueryLanguage\": \"JSONata\"` on the state",
        ),
        row("ItemSelector", On(&[Map]), BOTH, Kind::Template, ""),
        row("ItemReader", On(&[Map]), BOTH, Kind::Config, ""),
        row("ItemBatcher", On(&[Map]), BOTH, Kind::Config, ""),
        row("ResultWriter", On(&[Map]), BOTH, Kind::Config, ""),
        row(
            "MaxConcurrency",
            On(&[Map]),
            BOTH,
            Kind::Setting {
                path_twin: "MaxConcurrencyPath",
            },
            "",
        ),
        row(
            "MaxConcurrencyPath",
            On(&[Map]),
            JSONPATH,
            REFERENCE,
            "use `MaxConcurrency` with a `{% … %}` expression",
        ),
        row(
            "ToleratedFailurePercentage",
            On(&[Map]),
            BOTH,
            Kind::Setting {
                path_twin: "ToleratedFailurePercentagePath",
            },
            "",
        ),
        row(
            "ToleratedFailurePercentagePath",
            On(&[Map]),
            JSONPATH,
            REFERENCE,
            "use `ToleratedFailurePercentage` with a `{% … %}` expression",
        ),
        row(
            "ToleratedFailureCount",
            On(&[Map]),
            BOTH,
            Kind::Setting {
                path_twin: "ToleratedFailureCountPath",
            },
            "",
        ),
        row(
            "ToleratedFailureCountPath",
            On(&[Map]),
            JSONPATH,
            REFERENCE,
            "use `ToleratedFailureCount` with a `{% … %}` expression",
        ),
        plain("Label", On(&[Map])),
        // Map: ItemReader.
        plain("Resource", In(READER)),
        row("ReaderConfig", In(READER), BOTH, Kind::Config, ""),
        row("Parameters", In(READER), JSONPATH, Kind::PayloadTemplate, "use `Arguments`"),
        row("Arguments", In(READER), JSONATA, Kind::JsonataTemplate, "use `Parameters`"),
        // Map: ItemReader.ReaderConfig.
        plain("InputType", In(READER_CONFIG)),
        plain("ManifestType", In(READER_CONFIG)),
        plain("CSVHeaderLocation", In(READER_CONFIG)),
        plain("CSVHeaders", In(READER_CONFIG)),
        plain("CSVDelimiter", In(READER_CONFIG)),
        plain("ItemsPointer", In(READER_CONFIG)),
        row(
            "MaxItems",
            In(READER_CONFIG),
            BOTH,
            Kind::Setting {
                path_twin: "MaxItemsPath",
            },
            "",
        ),
        row(
            "MaxItemsPath",
            In(READER_CONFIG),
            JSONPATH,
            REFERENCE,
            "use `MaxItems` with a `{% … %}` expression",
        ),
        // Map: ItemBatcher.
        row(
            "MaxItemsPerBatch",
            In(BATCHER),
            BOTH,
            Kind::Setting {
                path_twin: "MaxItemsPerBatchPath",
            },
            "",
        ),
        row(
            "MaxItemsPerBatchPath",
            In(BATCHER),
            JSONPATH,
            REFERENCE,
            "use `MaxItemsPerBatch` with a `{% … %}` expression",
        ),
        row(
            "MaxInputBytesPerBatch",
            In(BATCHER),
            BOTH,
            Kind::Setting {
                path_twin: "MaxInputBytesPerBatchPath",
            },
            "",
        ),
        row(
            "MaxInputBytesPerBatchPath",
            In(BATCHER),
            JSONPATH,
            REFERENCE,
            "use `MaxInputBytesPerBatch` with a `{% … %}` expression",
        ),
        row("BatchInput", In(BATCHER), BOTH, Kind::Template, ""),
        // Map: ResultWriter.
        plain("Resource", In(WRITER)),
        row("Parameters", In(WRITER), JSONPATH, Kind::PayloadTemplate, "use `Arguments`"),
        row("Arguments", In(WRITER), JSONATA, Kind::JsonataTemplate, "use `Parameters`"),
        row("WriterConfig", In(WRITER), BOTH, Kind::Config, ""),
        // A Map state's item processor (its `StartAt` and `States` are a scope's, as a machine's).
        plain("Comment", In(PROCESSOR)),
        plain("ProcessorConfig", In(PROCESSOR)),
        plain("StartAt", In(PROCESSOR)),
        plain("States", In(PROCESSOR)),
        plain("Mode", In(PROCESSOR_CONFIG)),
        plain("ExecutionType", In(PROCESSOR_CONFIG)),
        // Retriers.
        plain("ErrorEquals", Retrier),
        plain("Comment", Retrier),
        plain("IntervalSeconds", Retrier),
        plain("MaxAttempts", Retrier),
        plain("BackoffRate", Retrier),
        plain("MaxDelaySeconds", Retrier),
        plain("JitterStrategy", Retrier),
        // Catchers.
        plain("ErrorEquals", Catcher),
        plain("Next", Catcher),
        plain("Comment", Catcher),
        row(
            "ResultPath",
            Catcher,
            JSONPATH,
            RESULT_PATH,
            "use `Output` (with `$states.errorOutput`) or `Assign`",
        ),
        row("Output", Catcher, JSONATA, Kind::JsonataTemplate, "use `ResultPath`"),
        row("Assign", Catcher, BOTH, Kind::Template, ""),
        // Top-level Choice rules (their JSONPath comparisons are in `model::choice`).
        plain("Next", ChoiceRule),
        plain("Comment", ChoiceRule),
        row(
            "Condition",
            ChoiceRule,
            JSONATA,
            Kind::JsonataValue,
            "write the rule with `Variable` and a comparison such as `StringEquals`, or set \
             `\"QueryLanguage\": \"JSONata\"` on the state",
        ),
        row(
            "Output",
            ChoiceRule,
            JSONATA,
            Kind::JsonataTemplate,
            "use the state's `OutputPath`, or set `\"QueryLanguage\": \"JSONata\"` on the state",
        ),
        row("Assign", ChoiceRule, BOTH, Kind::Template, ""),
    ]
    };

/// The rows of one place, in catalogue order. For [`Place::State`], every row written on some
/// state type.
pub fn at(place: Place) -> impl Iterator<Item = &'static Field> {
    rows_at(place).iter().copied()
}

/// [`at`] as a slice, selected once per process: the queries below ask for the same few places
/// for every state of every machine, and filtering the whole catalogue each time cost more than
/// looking the fields up.
fn rows_at(place: Place) -> &'static [&'static Field] {
    static STATE: OnceLock<Vec<&'static Field>> = OnceLock::new();
    static CATCHER: OnceLock<Vec<&'static Field>> = OnceLock::new();
    static RETRIER: OnceLock<Vec<&'static Field>> = OnceLock::new();
    static CHOICE_RULE: OnceLock<Vec<&'static Field>> = OnceLock::new();
    static NESTED: OnceLock<Vec<(&'static [&'static str], Vec<&'static Field>)>> = OnceLock::new();
    let select = |place: Place| -> Vec<&'static Field> {
        FIELDS
            .iter()
            .filter(|f| match (f.place, place) {
                (Place::State(_), Place::State(_)) => true,
                (a, b) => a == b,
            })
            .collect()
    };
    let cell = match place {
        Place::State(_) => &STATE,
        Place::Catcher => &CATCHER,
        Place::Retrier => &RETRIER,
        Place::ChoiceRule => &CHOICE_RULE,
        Place::In(path) => {
            let nested = NESTED.get_or_init(|| {
                nested_objects()
                    .iter()
                    .map(|&path| (path, select(Place::In(path))))
                    .collect()
            });
            return nested
                .iter()
                .find(|(p, _)| std::ptr::eq(*p, path) || *p == path)
                .map_or(&[], |(_, rows)| rows.as_slice());
        }
    };
    cell.get_or_init(|| select(place))
}

/// The rows written on states, one per name (the first row of a name that has several, such as
/// `Parameters`), in catalogue order.
pub fn state_fields() -> &'static [&'static Field] {
    static ROWS: OnceLock<Vec<&'static Field>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let mut out: Vec<&'static Field> = Vec::new();
        for field in at(Place::State(&[])) {
            if out.iter().all(|f| f.name != field.name) {
                out.push(field);
            }
        }
        out
    })
}

/// The nested objects of a state: the distinct paths of [`Place::In`], in catalogue order.
pub fn nested_objects() -> &'static [&'static [&'static str]] {
    static PATHS: OnceLock<Vec<&'static [&'static str]>> = OnceLock::new();
    PATHS.get_or_init(|| {
        let mut out: Vec<&'static [&'static str]> = Vec::new();
        for field in FIELDS {
            if let Place::In(path) = field.place {
                if !out.contains(&path) {
                    out.push(path);
                }
            }
        }
        out
    })
}

/// The fields a state of type `kind` may have, in catalogue order.
pub fn of_state(kind: StateType) -> impl Iterator<Item = &'static Field> {
    static ROWS: [OnceLock<Vec<&'static Field>>; StateType::ALL.len()] =
        [const { OnceLock::new() }; StateType::ALL.len()];
    ROWS[kind as usize]
        .get_or_init(|| FIELDS.iter().filter(|f| f.on(kind)).collect())
        .iter()
        .copied()
}

/// The rows of [`of_state`] that belong to the query language other than `language`.
fn foreign_rows(kind: StateType, language: QueryLanguage) -> &'static Rows {
    const TYPES: usize = StateType::ALL.len();
    static ROWS: [OnceLock<Rows>; 2 * TYPES] = [const { OnceLock::new() }; 2 * TYPES];
    let index = kind as usize + TYPES * (language == QueryLanguage::Jsonata) as usize;
    ROWS[index].get_or_init(|| Rows::new(of_state(kind).filter(|f| f.foreign_to(language))))
}

/// The rows of [`of_state`] that are settings ([`Kind::Setting`]).
fn setting_rows(kind: StateType) -> &'static Rows {
    static ROWS: [OnceLock<Rows>; StateType::ALL.len()] = [const { OnceLock::new() }; StateType::ALL.len()];
    ROWS[kind as usize].get_or_init(|| Rows::new(of_state(kind).filter(|f| matches!(f.kind, Kind::Setting { .. }))))
}

/// Rows written on states, with the bit of each one's name ([`FieldSet`]) and all their bits
/// together: a state that has none of the rows' names (the usual case) is passed over with one
/// test.
struct Rows {
    rows: Vec<(u32, &'static Field)>,
    bits: u128,
    /// The row of each bit, when the rows' bits rise in catalogue order (they do but for a
    /// name catalogued twice): then the rows a state has are found from the bits it has, not by
    /// testing every row.
    by_bit: Option<Vec<Option<&'static Field>>>,
}

impl Rows {
    /// `rows`, written on states. (Every name written on states has a bit: a test checks that
    /// no row is left out.)
    fn new(rows: impl Iterator<Item = &'static Field>) -> Rows {
        let rows: Vec<(u32, &'static Field)> = rows.filter_map(|field| Some((name_bit(field.name)?, field))).collect();
        let rising = rows.windows(2).all(|pair| pair[0].0 < pair[1].0);
        let by_bit = rising.then(|| {
            let mut by_bit = vec![None; 128];
            for &(bit, field) in &rows {
                by_bit[bit as usize] = Some(field);
            }
            by_bit
        });
        Rows {
            bits: rows.iter().fold(0, |bits, &(bit, _)| bits | 1 << bit),
            rows,
            by_bit,
        }
    }

    /// The rows whose name `set` has, in catalogue order.
    fn present_in(&self, set: FieldSet) -> impl Iterator<Item = &'static Field> + '_ {
        let mut common = set.0 & self.bits;
        let mut next = if common == 0 { self.rows.len() } else { 0 };
        std::iter::from_fn(move || match &self.by_bit {
            Some(by_bit) => {
                while common != 0 {
                    let bit = common.trailing_zeros();
                    common &= common - 1;
                    if let Some(field) = by_bit[bit as usize] {
                        return Some(field);
                    }
                }
                None
            }
            None => {
                while let Some(&(bit, field)) = self.rows.get(next) {
                    next += 1;
                    if set.has(bit) {
                        return Some(field);
                    }
                }
                None
            }
        })
    }
}

/// Which of the names written on states ([`state_fields`]) a state's object has: one bit per
/// name, in the order of [`state_fields`]. Worked out in one pass over the object's members when
/// the model is built, it lets the queries below skip with one test the catalogued fields a
/// state does not have, which are most of them (a state has a handful of members, the
/// catalogue some fifty names): looking each one up in the object was most of their work.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FieldSet(u128);

impl FieldSet {
    /// The names of `object` that are written on states.
    pub fn of(object: &Map<String, Value>) -> FieldSet {
        FieldSet::scan(object).0
    }

    /// [`FieldSet::of`], with the values of `Type` and `QueryLanguage` found on the way: the
    /// model reads both for every state.
    pub fn scan(object: &Map<String, Value>) -> (FieldSet, Option<&Value>, Option<&Value>) {
        static BITS: OnceLock<(Option<u32>, Option<u32>)> = OnceLock::new();
        let (type_bit, language_bit) = *BITS.get_or_init(|| (name_bit("Type"), name_bit("QueryLanguage")));
        let names = name_table();
        let (mut set, mut kind, mut language) = (0, None, None);
        for (key, value) in object {
            if let Some(bit) = names.find(key) {
                set |= 1 << bit;
                if Some(bit) == type_bit {
                    kind = Some(value);
                } else if Some(bit) == language_bit {
                    language = Some(value);
                }
            }
        }
        (FieldSet(set), kind, language)
    }

    /// Whether the name of bit `bit` ([`name_bit`]) is in the set.
    pub fn has(self, bit: u32) -> bool {
        self.0 >> bit & 1 == 1
    }
}

/// The bit of each name of [`state_fields`] in a [`FieldSet`].
fn name_bits() -> &'static FastMap<&'static str, u32> {
    static BITS: OnceLock<FastMap<&'static str, u32>> = OnceLock::new();
    BITS.get_or_init(|| {
        let names = state_fields();
        assert!(names.len() <= 128, "a FieldSet has room for 128 names");
        (0..).zip(names).map(|(bit, field)| (field.name, bit)).collect()
    })
}

/// The names of [`state_fields`] with their bit, grouped by length and first byte:
/// [`FieldSet::of`] compares a key with the one or two names of its length and initial, cheaper
/// than hashing it or comparing it with every name of its length.
struct NameTable {
    /// For each group ([`NameTable::group`]): the range of its names in `names`.
    groups: Vec<(u16, u16)>,
    names: Vec<(&'static [u8], u32)>,
}

impl NameTable {
    /// The group of a name of `len` bytes starting with `first` (longer names share the group of
    /// length 63; the comparison tells them apart).
    fn group(len: usize, first: u8) -> usize {
        (len.min(63) << 6) | usize::from(first & 63)
    }

    /// The bit of `key`, if it is a name written on states.
    fn find(&self, key: &str) -> Option<u32> {
        let key = key.as_bytes();
        let (start, end) = self.groups[NameTable::group(key.len(), *key.first()?)];
        self.names[usize::from(start)..usize::from(end)]
            .iter()
            .find(|(name, _)| *name == key)
            .map(|&(_, bit)| bit)
    }
}

/// The [`NameTable`] of the names written on states, made once per process.
fn name_table() -> &'static NameTable {
    static TABLE: OnceLock<NameTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut names: Vec<(&'static [u8], u32)> =
            name_bits().iter().map(|(&name, &bit)| (name.as_bytes(), bit)).collect();
        let group = |name: &[u8]| NameTable::group(name.len(), name.first().copied().unwrap_or_default());
        names.sort_by_key(|&(name, _)| group(name));
        let mut groups = vec![(0, 0); 64 * 64];
        for (i, &(name, _)) in names.iter().enumerate() {
            let slot = &mut groups[group(name)];
            if slot.1 == 0 {
                slot.0 = i as u16;
            }
            slot.1 = i as u16 + 1;
        }
        NameTable { groups, names }
    })
}

/// The bit of `name` in a [`FieldSet`]; `None` for a name not written on states.
pub fn name_bit(name: &str) -> Option<u32> {
    name_bits().get(name).copied()
}

/// Whether the state may have the member `name`: false when its [`FieldSet`] says it has not.
/// `bit` keeps the bit of `name` once looked up.
pub(crate) fn may_have(state: &State, bit: &'static OnceLock<Option<u32>>, name: &'static str) -> bool {
    bit.get_or_init(|| name_bit(name))
        .is_none_or(|bit| state.present.has(bit))
}

/// The nested objects ([`nested_objects`]) the state has, with their path, in catalogue order.
pub fn nested_in<'s, 'a>(
    state: &'s State<'a>,
) -> impl Iterator<Item = (&'static [&'static str], &'a Map<String, Value>)> + 's {
    /// Each path with the bit of its first name (`None`: not a name written on states).
    static PATHS: OnceLock<Vec<(Option<u32>, &'static [&'static str])>> = OnceLock::new();
    PATHS
        .get_or_init(|| {
            nested_objects()
                .iter()
                .map(|&path| (path.first().and_then(|name| name_bit(name)), path))
                .collect()
        })
        .iter()
        .filter(|(bit, _)| bit.is_none_or(|bit| state.present.has(bit)))
        .filter_map(|&(_, path)| nested(state, path).map(|object| (path, object)))
}

/// The object at `path` inside a state (`["ItemReader", "ReaderConfig"]`).
pub fn nested<'a>(state: &State<'a>, path: &[&str]) -> Option<&'a Map<String, Value>> {
    let (first, rest) = path.split_first()?;
    let mut value = state.get(first)?;
    for key in rest {
        value = get_member(value, key)?;
    }
    value.as_object()
}

/// The label (`ItemReader.ReaderConfig.MaxItemsPath`) and pointer of a field nested at `path`.
pub fn nested_field(state: &State, path: &[&str], field: &str) -> (String, String) {
    let mut label = String::new();
    let mut pointer = state.pointer.clone();
    for key in path.iter().chain([&field]) {
        pointer.push('/');
        pointer.push_str(&escape_token(key));
    }
    for key in path {
        label.push_str(key);
        label.push('.');
    }
    label.push_str(field);
    (label, pointer)
}

/// The label (`Catch[0].ResultPath`) and pointer of a catcher's field.
pub fn catcher_field(state: &State, index: usize, field: &str) -> (String, String) {
    let mut digits = [0; 20];
    let index = decimal(index, &mut digits);
    (
        concat(&["Catch[", index, "].", field]),
        concat(&[&state.pointer, "/Catch/", index, "/", &escape_token(field)]),
    )
}

/// A field whose value is a path.
///
/// Its label and pointer are worked out when asked ([`Self::label`], [`Self::pointer`]), that is
/// when a finding is reported: a machine has a path field or more in most states, and a clean
/// one reports none of them.
#[derive(Debug, Clone)]
pub struct PathField<'a> {
    pub value: &'a Value,
    pub kind: PathKind,
    /// The object of the field's state, and the state's pointer.
    state: &'a Map<String, Value>,
    state_pointer: Rc<str>,
}

impl<'a> PathField<'a> {
    /// The field's name as users know it: `ResultPath`, `Catch[0].ResultPath`,
    /// `ItemReader.ReaderConfig.MaxItemsPath`, `Choices[0].And[1].Variable`: its keys from the
    /// state's object, joined by `.`, with array indices in brackets.
    pub fn label(&self) -> Cow<'a, str> {
        let steps = steps_to(self.state, self.value);
        if let [Step::Key(key)] = steps[..] {
            return Cow::Borrowed(key);
        }
        let mut label = String::new();
        for step in steps {
            match step {
                Step::Key(key) => {
                    if !label.is_empty() {
                        label.push('.');
                    }
                    label.push_str(key);
                }
                Step::Index(index) => {
                    let mut digits = [0; 20];
                    label.push('[');
                    label.push_str(decimal(index, &mut digits));
                    label.push(']');
                }
            }
        }
        Cow::Owned(label)
    }

    /// The field's JSON Pointer.
    pub fn pointer(&self) -> String {
        let mut pointer = self.state_pointer.to_string();
        for step in steps_to(self.state, self.value) {
            pointer.push('/');
            match step {
                Step::Key(key) => pointer.push_str(&escape_token(key)),
                Step::Index(index) => pointer.push_str(decimal(index, &mut [0; 20])),
            }
        }
        pointer
    }
}

/// One step down a JSON value: a member's key or an item's index.
#[derive(Debug, Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The steps from `object` down to the node `target` (by address), outermost first; none when
/// `target` is not in `object`.
fn steps_to<'a>(object: &'a Map<String, Value>, target: &Value) -> Vec<Step<'a>> {
    fn walk<'a>(value: &'a Value, target: &Value, out: &mut Vec<Step<'a>>) -> bool {
        if std::ptr::eq(value, target) {
            return true;
        }
        match value {
            Value::Object(object) => walk_members(object, target, out),
            Value::Array(items) => items.iter().enumerate().any(|(i, item)| {
                out.push(Step::Index(i));
                walk(item, target, out) || out.pop().is_none()
            }),
            _ => false,
        }
    }
    fn walk_members<'a>(object: &'a Map<String, Value>, target: &Value, out: &mut Vec<Step<'a>>) -> bool {
        object.iter().any(|(key, value)| {
            out.push(Step::Key(key));
            walk(value, target, out) || out.pop().is_none()
        })
    }
    let mut out = Vec::new();
    walk_members(object, target, &mut out);
    out
}

/// Every path field of a state (JSONPath states use them; in JSONata states they are errors of
/// their own). A path field is looked at whatever the state's type (on the wrong type it is also
/// an unknown field): only `ErrorPath` and `CausePath`, whose intrinsic calls make sense in a
/// Fail state alone, are looked at on their own type.
pub fn path_fields<'a>(state: &State<'a>) -> Vec<PathField<'a>> {
    let mut out = Vec::new();
    path_fields_into(state, &mut out);
    out
}

/// [`path_fields`], appended to `out` (the fields of all the states of a machine go in one list).
pub fn path_fields_into<'a>(state: &State<'a>, out: &mut Vec<PathField<'a>>) {
    let Some(state_object) = state.object else {
        return;
    };
    let object = state_object;
    // The state's pointer, shared by its path fields (made for the first one).
    let mut state_pointer: Option<Rc<str>> = None;
    let mut field = |value: &'a Value, kind: PathKind| PathField {
        value,
        kind,
        state: state_object,
        state_pointer: Rc::clone(state_pointer.get_or_insert_with(|| state.pointer.as_str().into())),
    };
    static PATH_ROWS: OnceLock<Rows> = OnceLock::new();
    for row in state_rows_where(&PATH_ROWS, |kind| matches!(kind, Kind::Path(_))).present_in(state.present) {
        let Kind::Path(kind) = row.kind else { continue };
        if kind == PathKind::ReferenceOrStringIntrinsic && !state.kind.is_some_and(|k| row.on(k)) {
            continue;
        }
        if let Some(value) = get_field(object, row.name) {
            out.push(field(value, kind));
        }
    }
    for (path, object) in nested_in(state) {
        for row in at(Place::In(path)) {
            let Kind::Path(kind) = row.kind else { continue };
            if let Some(value) = get_field(object, row.name) {
                out.push(field(value, kind));
            }
        }
    }
    for (_, catcher) in catchers(state) {
        for row in at(Place::Catcher) {
            let Kind::Path(kind) = row.kind else { continue };
            if let Some(value) = get_field(catcher, row.name) {
                out.push(field(value, kind));
            }
        }
    }
    for rule in state.choice_rules() {
        for (key, value) in rule.members() {
            // `Variable` is any path; the `…Path` operands name the one value to compare with.
            let kind = if key == "Variable" {
                PathKind::Path
            } else if key.ends_with("Path") {
                PathKind::Reference(Roots::Any)
            } else {
                continue;
            };
            out.push(field(value, kind));
        }
    }
}

/// The catchers of a state that are objects, with their index.
pub fn catchers<'a>(state: &State<'a>) -> impl Iterator<Item = (usize, &'a Map<String, Value>)> {
    static CATCH: OnceLock<Option<u32>> = OnceLock::new();
    let list = if may_have(state, &CATCH, "Catch") {
        state.get("Catch").and_then(Value::as_array)
    } else {
        None
    };
    list.into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(i, c)| c.as_object().map(|o| (i, o)))
}

/// An object (or other value) that is evaluated as a template: JSONPath payload templates with
/// `….$` keys, or JSONata values with `{% … %}` strings.
#[derive(Debug, Clone)]
pub struct Template<'a> {
    /// `Parameters`, `ItemReader.Parameters`, `Catch[0].Assign`, … (see [`PathField::label`]).
    pub label: Cow<'static, str>,
    pub pointer: String,
    pub value: &'a Value,
}

/// The JSONPath payload templates of a state: `Parameters`, `ResultSelector`, `ItemSelector`,
/// `Credentials`, `Assign`, `ItemReader.Parameters`, `ItemBatcher.BatchInput`,
/// `ResultWriter.Parameters`, and the `Assign` of catchers and Choice rules.
pub fn payload_templates<'a>(state: &State<'a>) -> Vec<Template<'a>> {
    templates(state, payload_rows())
}

/// The JSONata-evaluated values of a state: `Arguments`, `Output`, `Assign`, `ItemSelector`,
/// `Credentials`, `ItemReader.Arguments`, `ItemBatcher.BatchInput`, `ResultWriter.Arguments`,
/// and the `Output` and `Assign` of catchers and Choice rules.
pub fn jsonata_templates<'a>(state: &State<'a>) -> Vec<Template<'a>> {
    static ROWS: OnceLock<TemplateRows> = OnceLock::new();
    templates(state, ROWS.get_or_init(|| TemplateRows::new(Kind::is_jsonata_template)))
}

/// The rows of [`payload_templates`].
fn payload_rows() -> &'static TemplateRows {
    static ROWS: OnceLock<TemplateRows> = OnceLock::new();
    ROWS.get_or_init(|| TemplateRows::new(Kind::is_payload_template))
}

/// The rows of the templates of one kind (`wanted`): written on states, in catchers and in
/// Choice rules, selected once per process rather than for every state and catcher.
struct TemplateRows {
    wanted: fn(Kind) -> bool,
    state: Rows,
    catcher: Vec<&'static Field>,
    rule: Vec<&'static Field>,
}

impl TemplateRows {
    fn new(wanted: fn(Kind) -> bool) -> TemplateRows {
        TemplateRows {
            wanted,
            state: Rows::new(state_fields().iter().copied().filter(|f| wanted(f.kind))),
            catcher: at(Place::Catcher).filter(|f| wanted(f.kind)).collect(),
            rule: at(Place::ChoiceRule).filter(|f| wanted(f.kind)).collect(),
        }
    }
}

/// The rows of [`state_fields`] whose kind `keep` accepts, with the bit of each one's name
/// ([`FieldSet`]), selected once per process (in `cell`).
fn state_rows_where(cell: &'static OnceLock<Rows>, keep: fn(Kind) -> bool) -> &'static Rows {
    cell.get_or_init(|| Rows::new(state_fields().iter().copied().filter(|f| keep(f.kind))))
}

/// The templates of a state, whatever its type (a template on the wrong type is also an unknown
/// field), of the kind `rows` select.
fn templates<'a>(state: &State<'a>, rows: &TemplateRows) -> Vec<Template<'a>> {
    let mut out = Vec::new();
    visit_templates(state, rows, &mut |at, value| {
        let (label, pointer) = at.label_and_pointer(state);
        out.push(Template { label, pointer, value });
    });
    out
}

/// The JSONPath payload templates of a state ([`payload_templates`]), each given to `f` with
/// whether it is the state's `Credentials` (no label, no pointer, no list made).
pub fn for_each_payload_template<'a>(state: &State<'a>, f: &mut impl FnMut(bool, &'a Value)) {
    visit_templates(state, payload_rows(), &mut |at, value| {
        f(matches!(at, TemplateAt::Field("Credentials")), value);
    });
}

/// Where a template is in its state ([`visit_templates`]): what its label and pointer are made
/// of, made only when asked.
enum TemplateAt<'r> {
    /// A field of the state.
    Field(&'static str),
    /// A field of a nested object, at its path.
    Nested(&'static [&'static str], &'static str),
    /// A field of the catcher of this index.
    Catcher(usize, &'static str),
    /// A field of a top-level Choice rule.
    Rule(&'r ChoiceRule<'r>, &'static str),
}

impl TemplateAt<'_> {
    fn label(&self) -> Cow<'static, str> {
        match *self {
            TemplateAt::Field(name) => Cow::Borrowed(name),
            TemplateAt::Nested(path, name) => {
                let mut label = String::new();
                for key in path {
                    label.push_str(key);
                    label.push('.');
                }
                label.push_str(name);
                Cow::Owned(label)
            }
            TemplateAt::Catcher(index, name) => {
                let mut digits = [0; 20];
                Cow::Owned(concat(&["Catch[", decimal(index, &mut digits), "].", name]))
            }
            TemplateAt::Rule(rule, name) => Cow::Owned(concat(&[&rule.label, ".", name])),
        }
    }

    fn label_and_pointer(&self, state: &State) -> (Cow<'static, str>, String) {
        match *self {
            TemplateAt::Field(name) => (Cow::Borrowed(name), state.field_pointer(name)),
            TemplateAt::Nested(path, name) => {
                let (label, pointer) = nested_field(state, path, name);
                (Cow::Owned(label), pointer)
            }
            TemplateAt::Catcher(index, name) => {
                let (label, pointer) = catcher_field(state, index, name);
                (Cow::Owned(label), pointer)
            }
            TemplateAt::Rule(rule, name) => (self.label(), child(&rule.pointer, name)),
        }
    }
}

/// Calls `f` with every template of a state, whatever its type (a template on the wrong type is
/// also an unknown field), in order, of the kind `rows` select.
fn visit_templates<'s, 'a>(state: &'s State<'a>, rows: &TemplateRows, f: &mut impl FnMut(TemplateAt<'_>, &'a Value)) {
    let Some(object) = state.object else {
        return;
    };
    for field in rows.state.present_in(state.present) {
        if let Some(value) = get_field(object, field.name) {
            f(TemplateAt::Field(field.name), value);
        }
    }
    for (path, object) in nested_in(state) {
        for field in at(Place::In(path)).filter(|f| (rows.wanted)(f.kind)) {
            if let Some(value) = get_field(object, field.name) {
                f(TemplateAt::Nested(path, field.name), value);
            }
        }
    }
    for (i, catcher) in catchers(state) {
        for field in &rows.catcher {
            if let Some(value) = get_field(catcher, field.name) {
                f(TemplateAt::Catcher(i, field.name), value);
            }
        }
    }
    for rule in top_level_rules(state) {
        for field in &rows.rule {
            if let Some(value) = rule.get(field.name) {
                f(TemplateAt::Rule(rule, field.name), value);
            }
        }
    }
}

/// The top-level rules of a Choice state (those that carry `Next`).
pub fn top_level_rules<'s, 'a>(state: &'s State<'a>) -> impl Iterator<Item = &'s ChoiceRule<'a>> {
    state.choice_rules().iter().filter(|r| r.top_level)
}

/// A field written where its query language is not in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// The field as users know it: `Catch[0].ResultPath`.
    pub label: String,
    pub pointer: String,
    pub field: &'static Field,
}

/// The fields of a state that belong to the query language other than the state's: on the state
/// (for its type), in its nested objects, its catchers and its top-level Choice rules.
pub fn foreign_fields(state: &State) -> Vec<Foreign> {
    let mut out = Vec::new();
    let Some(kind) = state.kind else {
        return out;
    };
    let language = state.query_language;
    for field in foreign_rows(kind, language).present_in(state.present) {
        if state.has(field.name) {
            out.push(Foreign {
                label: field.name.to_string(),
                pointer: state.field_pointer(field.name),
                field,
            });
        }
    }
    for (path, object) in nested_in(state) {
        for field in at(Place::In(path)).filter(|f| f.foreign_to(language)) {
            if get_field(object, field.name).is_some() {
                let (label, pointer) = nested_field(state, path, field.name);
                out.push(Foreign { label, pointer, field });
            }
        }
    }
    for (i, catcher) in catchers(state) {
        for field in at(Place::Catcher).filter(|f| f.foreign_to(language)) {
            if get_field(catcher, field.name).is_some() {
                let (label, pointer) = catcher_field(state, i, field.name);
                out.push(Foreign { label, pointer, field });
            }
        }
    }
    for rule in top_level_rules(state) {
        for field in at(Place::ChoiceRule).filter(|f| f.foreign_to(language)) {
            if rule.get(field.name).is_some() {
                out.push(Foreign {
                    label: concat(&[&rule.label, ".", field.name]),
                    pointer: child(&rule.pointer, field.name),
                    field,
                });
            }
        }
    }
    out
}

/// A setting of a state (for its type) or of its nested objects that takes a `{% … %}`
/// expression in JSONata only: label, pointer, value, and the JSONPath twin that reads the value
/// from the input instead. Only the settings whose value `wanted` accepts are listed (their label
/// and pointer are made for those only).
pub fn settings<'a>(
    state: &State<'a>,
    wanted: impl Fn(&Value) -> bool,
) -> Vec<(String, String, &'a Value, &'static str)> {
    let mut out = Vec::new();
    let Some(kind) = state.kind else {
        return out;
    };
    for field in setting_rows(kind).present_in(state.present) {
        let Kind::Setting { path_twin } = field.kind else {
            continue;
        };
        if let Some(value) = state.get(field.name).filter(|v| wanted(v)) {
            out.push((
                field.name.to_string(),
                state.field_pointer(field.name),
                value,
                path_twin,
            ));
        }
    }
    for (path, object) in nested_in(state) {
        for field in at(Place::In(path)) {
            let Kind::Setting { path_twin } = field.kind else {
                continue;
            };
            if let Some(value) = get_field(object, field.name).filter(|v| wanted(v)) {
                let (label, pointer) = nested_field(state, path, field.name);
                out.push((label, pointer, value, path_twin));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StateMachine;
    use serde_json::json;
    use std::collections::BTreeSet;

    fn schema() -> Value {
        serde_json::from_str(include_str!("../../schemas/asl.schema.json")).expect("the schema parses")
    }

    fn schema_properties(schema: &Value, definition: &str) -> BTreeSet<&'static str> {
        let properties = schema["$defs"][definition]["properties"]
            .as_object()
            .unwrap_or_else(|| panic!("{definition} has properties"));
        assert_eq!(
            schema["$defs"][definition]["additionalProperties"],
            json!(false),
            "{definition} is closed"
        );
        // Leak: the names live as long as the test, and the sets compare with the catalogue's.
        properties
            .keys()
            .map(|k| &*Box::leak(k.clone().into_boxed_str()))
            .collect()
    }

    #[test]
    fn every_field_written_on_states_has_a_bit() {
        for kind in StateType::ALL {
            let all = Rows::new(of_state(kind));
            assert_eq!(all.rows.len(), of_state(kind).count(), "{kind:?}");
            // Found from the bits or by testing every row, the same rows in the same order.
            let set = FieldSet(all.bits & 0x5555_5555_5555_5555_5555_5555_5555_5555);
            let tested: Vec<&str> = all
                .rows
                .iter()
                .filter(|(bit, _)| set.has(*bit))
                .map(|(_, f)| f.name)
                .collect();
            let found: Vec<&str> = all.present_in(set).map(|f| f.name).collect();
            assert_eq!(found, tested, "{kind:?}");
        }
        let object = json!({"Type": "Task", "Catch": [], "Unknown": 1});
        let set = FieldSet::of(object.as_object().unwrap());
        for name in ["Type", "Catch"] {
            assert!(name_bit(name).is_some_and(|bit| set.has(bit)), "{name}");
        }
        assert!(name_bit("Next").is_some_and(|bit| !set.has(bit)));
        assert_eq!(name_bit("Unknown"), None);
    }

    #[test]
    fn the_schema_and_the_catalogue_agree_on_every_state_type() {
        let schema = schema();
        for kind in StateType::ALL {
            let catalogue: BTreeSet<&str> = of_state(kind).map(|f| f.name).collect();
            let definition = format!("{}State", kind.as_str());
            assert_eq!(schema_properties(&schema, &definition), catalogue, "{definition}");
        }
    }

    #[test]
    fn the_schema_and_the_catalogue_agree_on_nested_objects() {
        let schema = schema();
        let mut places: Vec<(Place, &str)> = vec![(Place::Catcher, "Catcher"), (Place::Retrier, "Retrier")];
        for &path in nested_objects() {
            places.push((Place::In(path), path.last().copied().unwrap_or_default()));
        }
        assert_eq!(
            places.len(),
            8,
            "Catcher, Retrier, ItemReader, ReaderConfig, ItemBatcher, ResultWriter, ItemProcessor, ProcessorConfig"
        );
        for (place, definition) in places {
            let catalogue: BTreeSet<&str> = at(place).map(|f| f.name).collect();
            assert_eq!(schema_properties(&schema, definition), catalogue, "{definition}");
        }
    }

    /// `model::state_fields` reads fields by name for the simulator: every name it reads is
    /// catalogued here, so a field cannot be known to the simulator and unknown to the checks.
    #[test]
    fn every_field_the_simulator_reads_is_catalogued() {
        let source = include_str!("state_fields.rs");
        let source = source.split("#[cfg(test)]").next().unwrap_or(source);
        // Values of enumerated fields, and the context object's `Map` member, are not field names.
        let values = [
            "DISTRIBUTED",
            "INLINE",
            "FULL",
            "NONE",
            "GIVEN",
            "FIRST_ROW",
            "JSON",
            "CSV",
            "Map",
        ];
        let catalogued: BTreeSet<&str> = FIELDS.iter().map(|f| f.name).collect();
        let mut missing = Vec::new();
        for literal in source.split('"').skip(1).step_by(2) {
            let is_name = literal.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && literal.len() > 1
                && literal.chars().all(|c| c.is_ascii_alphanumeric());
            if is_name && !values.contains(&literal) && !catalogued.contains(literal) {
                missing.push(literal);
            }
        }
        assert!(
            missing.is_empty(),
            "read by model/state_fields.rs, not in the catalogue: {missing:?}"
        );
    }

    #[test]
    fn a_name_has_one_row_per_state_type_and_place() {
        for (i, a) in FIELDS.iter().enumerate() {
            for b in &FIELDS[i + 1..] {
                if a.name != b.name {
                    continue;
                }
                match (a.place, b.place) {
                    (Place::State(x), Place::State(y)) => {
                        assert!(x.iter().all(|t| !y.contains(t)), "{}", a.name);
                    }
                    (x, y) => assert_ne!(x, y, "{}", a.name),
                }
            }
        }
    }

    #[test]
    fn fields_of_one_language_say_what_the_other_writes() {
        for field in FIELDS {
            let only = matches!(field.language, Language::Only(_));
            assert_eq!(only, !field.instead.is_empty(), "{}", field.name);
        }
    }

    #[test]
    fn setting_twins_are_jsonpath_path_fields_of_the_same_place() {
        for field in FIELDS {
            if let Kind::Setting { path_twin } | Kind::Text { path_twin } = field.kind {
                let twin = FIELDS
                    .iter()
                    .find(|f| f.name == path_twin && f.place == field.place)
                    .unwrap_or_else(|| panic!("{path_twin}"));
                assert!(matches!(twin.kind, Kind::Path(_)), "{path_twin}");
                assert_eq!(twin.language, JSONPATH, "{path_twin}");
            }
        }
    }

    fn with_state<T>(state: Value, f: impl FnOnce(&State) -> T) -> T {
        let v = json!({"StartAt": "S", "States": {"S": state}});
        let m = StateMachine::build(&v, "");
        f(&m.states[0])
    }

    #[test]
    fn finds_path_fields_everywhere() {
        let labels = with_state(
            json!({"Type": "Map", "InputPath": "$", "ResultPath": "$.r",
                   "ItemReader": {"ReaderConfig": {"MaxItemsPath": "$.m"}},
                   "Catch": [{"ResultPath": "$.e"}]}),
            |s| {
                path_fields(s)
                    .into_iter()
                    .map(|f| (f.label().into_owned(), f.pointer()))
                    .collect::<Vec<_>>()
            },
        );
        assert_eq!(
            labels,
            [
                ("InputPath".to_string(), "/States/S/InputPath".to_string()),
                ("ResultPath".into(), "/States/S/ResultPath".into()),
                (
                    "ItemReader.ReaderConfig.MaxItemsPath".into(),
                    "/States/S/ItemReader/ReaderConfig/MaxItemsPath".into()
                ),
                ("Catch[0].ResultPath".into(), "/States/S/Catch/0/ResultPath".into()),
            ]
        );
    }

    #[test]
    fn fail_paths_are_paths_on_a_fail_state_only() {
        let kinds = |state: Value| {
            with_state(state, |s| {
                path_fields(s).into_iter().map(|f| f.kind).collect::<Vec<_>>()
            })
        };
        assert_eq!(
            kinds(json!({"Type": "Fail", "ErrorPath": "$.e"})),
            [PathKind::ReferenceOrStringIntrinsic]
        );
        assert_eq!(kinds(json!({"Type": "Pass", "ErrorPath": "$.e", "End": true})), []);
    }

    #[test]
    fn finds_nested_choice_rules() {
        let labels = with_state(
            json!({"Type": "Choice", "Choices": [
                {"Not": {"Variable": "$.a", "IsPresent": true}, "Next": "X"},
                {"And": [{"Variable": "$.b", "StringEqualsPath": "$.c"}], "Next": "X"}]}),
            |s| {
                path_fields(s)
                    .into_iter()
                    .map(|f| f.label().into_owned())
                    .collect::<Vec<_>>()
            },
        );
        assert_eq!(
            labels,
            [
                "Choices[0].Not.Variable",
                "Choices[1].And[0].Variable",
                "Choices[1].And[0].StringEqualsPath"
            ]
        );
    }

    #[test]
    fn finds_payload_templates() {
        let labels = with_state(
            json!({"Type": "Map", "Parameters": {}, "ItemReader": {"Parameters": {}},
                   "ItemBatcher": {"BatchInput": {}}, "Catch": [{"Assign": {}}]}),
            |s| payload_templates(s).into_iter().map(|t| t.label).collect::<Vec<_>>(),
        );
        assert_eq!(
            labels,
            [
                "Parameters",
                "ItemReader.Parameters",
                "ItemBatcher.BatchInput",
                "Catch[0].Assign"
            ]
        );
    }

    #[test]
    fn finds_foreign_fields_of_both_languages() {
        let labels = |state: Value| {
            with_state(state, |s| {
                foreign_fields(s).into_iter().map(|f| f.label).collect::<Vec<_>>()
            })
        };
        assert_eq!(
            labels(json!({"Type": "Map", "QueryLanguage": "JSONata", "ItemsPath": "$",
                          "ItemReader": {"Parameters": {}, "ReaderConfig": {"MaxItemsPath": "$.m"}},
                          "Catch": [{"ResultPath": "$.e", "Output": 1}], "End": true})),
            [
                "ItemsPath",
                "ItemReader.Parameters",
                "ItemReader.ReaderConfig.MaxItemsPath",
                "Catch[0].ResultPath"
            ]
        );
        assert_eq!(
            labels(json!({"Type": "Task", "Arguments": {}, "Catch": [{"Output": 1}], "End": true})),
            ["Arguments", "Catch[0].Output"]
        );
    }
}
