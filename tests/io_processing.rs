//! The JSONPath input/output pipeline of a state, as the simulator runs it
//! (`aslkit::simulate::io`): `InputPath` → `Parameters` → (the task) → `ResultSelector` →
//! `ResultPath` → `OutputPath`. Each case is an example of the AWS developer guide, with its
//! input, its task result and the output the guide shows.

use serde_json::{json, Map, Value};

use aslkit::expr::intrinsics::SplitMix64;
use aslkit::model::state_fields::StateFields;
use aslkit::simulate::io::{self, PathScope};

/// The I/O fields of a JSONPath state; `None` means the field is absent, `Some(None)` that it
/// is `null`.
#[derive(Default)]
struct Fields {
    input_path: Option<Option<&'static str>>,
    parameters: Option<Value>,
    result_selector: Option<Value>,
    result_path: Option<Option<&'static str>>,
    output_path: Option<Option<&'static str>>,
}

impl Fields {
    /// The Task state holding these fields.
    fn state(&self) -> Value {
        let mut state = Map::new();
        state.insert("Type".into(), json!("Task"));
        let path = |p: Option<&str>| p.map_or(Value::Null, |p| json!(p));
        for (name, field) in [
            ("InputPath", self.input_path),
            ("ResultPath", self.result_path),
            ("OutputPath", self.output_path),
        ] {
            if let Some(p) = field {
                state.insert(name.into(), path(p));
            }
        }
        for (name, field) in [
            ("Parameters", &self.parameters),
            ("ResultSelector", &self.result_selector),
        ] {
            if let Some(t) = field {
                state.insert(name.into(), t.clone());
            }
        }
        Value::Object(state)
    }
}

/// Runs a state whose work turns its effective input into `task(effective_input)`, through the
/// simulator's own pipeline; an error is its cause.
fn run(fields: &Fields, input: Value, task: impl Fn(&Value) -> Value) -> Result<Value, String> {
    let mut entropy = SplitMix64::new(0);
    let state = fields.state();
    let fields = StateFields::of(&state);
    let variables = Map::new();
    let scope = PathScope {
        context_object: &Value::Null,
        variables: &variables,
    };
    let given = io::path_input(&fields, &input, &scope, &mut entropy).map_err(|e| e.detail)?;
    let result = task(&given.parameters.unwrap_or(given.effective));
    let (output, _) = io::path_output(&fields, &input, result, true, &scope, &mut entropy).map_err(|e| e.detail)?;
    Ok(output)
}

fn hello(_: &Value) -> Value {
    json!("Hello, Step Functions!")
}

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
#[test]
fn result_path() {
    let input = json!({"comment": "This is a test", "details": "Default example", "who": "Step Functions"});
    let rows: [(Option<Option<&'static str>>, Value); 5] = [
        (None, json!("Hello, Step Functions!")),
        (Some(Some("$")), json!("Hello, Step Functions!")),
        // `null` discards the result and keeps the original input.
        (Some(None), input.clone()),
        (
            Some(Some("$.taskresult")),
            json!({"comment": "This is a test", "details": "Default example", "who": "Step Functions",
                   "taskresult": "Hello, Step Functions!"}),
        ),
        (
            Some(Some("$.comment")),
            json!({"comment": "Hello, Step Functions!", "details": "Default example", "who": "Step Functions"}),
        ),
    ];
    for (result_path, output) in rows {
        let fields = Fields {
            result_path,
            ..Fields::default()
        };
        assert_eq!(run(&fields, input.clone(), hello), Ok(output), "{result_path:?}");
    }
}

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html
#[test]
fn input_path_result_path_and_output_path() {
    let fields = Fields {
        input_path: Some(Some("$.lambda")),
        result_path: Some(Some("$.data.lambdaresult")),
        output_path: Some(Some("$.data")),
        ..Fields::default()
    };
    let input = json!({
        "comment": "An input comment.",
        "data": {"val1": 23, "val2": 17},
        "extra": "foo",
        "lambda": {"who": "AWS Step Functions"}
    });
    let greet = |effective: &Value| {
        assert_eq!(
            effective,
            &json!({"who": "AWS Step Functions"}),
            "the task sees the InputPath selection"
        );
        json!("Hello, AWS Step Functions!")
    };
    assert_eq!(
        run(&fields, input, greet),
        Ok(json!({"val1": 23, "val2": 17, "lambdaresult": "Hello, AWS Step Functions!"}))
    );
}

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
#[test]
fn result_selector_and_result_path() {
    let fields = Fields {
        result_selector: Some(json!({"ClusterId.$": "$.output.ClusterId", "ResourceType.$": "$.resourceType"})),
        result_path: Some(Some("$.EMROutput")),
        ..Fields::default()
    };
    let emr = |_: &Value| {
        json!({
            "resourceType": "elasticmapreduce",
            "resource": "createCluster.sync",
            "output": {"SdkResponseMetadata": {"RequestId": "1234-5678-9012"}, "ClusterId": "AKIAIOSFODNN7EXAMPLE"}
        })
    };
    assert_eq!(
        run(&fields, json!({"OtherDataFromInput": {}}), emr),
        Ok(json!({
            "OtherDataFromInput": {},
            "EMROutput": {"ClusterId": "AKIAIOSFODNN7EXAMPLE", "ResourceType": "elasticmapreduce"}
        }))
    );
}

// https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
#[test]
fn input_path_then_parameters() {
    let fields = Fields {
        input_path: Some(Some("$.product")),
        parameters: Some(json!({"size.$": "$.details.size", "label.$": "States.Format('sku {}', $.sku)"})),
        result_path: Some(Some("$.order")),
        ..Fields::default()
    };
    let input = json!({"product": {"details": {"size": "small"}, "sku": "2317"}});
    assert_eq!(
        run(&fields, input.clone(), |effective| effective.clone()),
        Ok(json!({"product": input["product"], "order": {"size": "small", "label": "sku 2317"}}))
    );
}

#[test]
fn failures_carry_aws_causes() {
    let missing_input = Fields {
        input_path: Some(Some("$.Payload")),
        ..Fields::default()
    };
    assert_eq!(
        run(&missing_input, json!({}), hello),
        Err("Invalid path '$.Payload' : No results for path: $['Payload']".to_string())
    );
    let conflict = Fields {
        result_path: Some(Some("$.a.b")),
        ..Fields::default()
    };
    assert_eq!(
        run(&conflict, json!({"a": "text"}), hello),
        Err(r#"Unable to apply step "b" to input {"a":"text"}"#.to_string())
    );
}
