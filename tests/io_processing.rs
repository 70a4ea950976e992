//! The JSONPath input/output pipeline of a state, assembled from the public expression API the
//! way the simulator will run it: `InputPath` → `Parameters` → (the task) → `ResultSelector` →
//! `ResultPath` → `OutputPath`. Each case is an example of the AWS developer guide, with its
//! input, its task result and the output the guide shows.

use serde_json::{json, Value};

use aslkit::expr::intrinsics::SplitMix64;
use aslkit::expr::jsonpath::{self, Context};
use aslkit::expr::payload::evaluate_template;
use aslkit::expr::reference_path;

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

/// Runs a state whose work turns its effective input into `task(effective_input)`.
fn run(fields: &Fields, input: Value, task: impl Fn(&Value) -> Value) -> Result<Value, String> {
    let mut entropy = SplitMix64::new(0);
    let read = |path: Option<Option<&str>>, value: &Value| -> Result<Value, String> {
        match path {
            None => Ok(value.clone()),
            // A `null` InputPath or OutputPath passes `{}` on.
            Some(None) => Ok(json!({})),
            Some(Some(text)) => {
                let parsed = jsonpath::parse(text).map_err(|e| e.to_string())?;
                jsonpath::evaluate(&parsed, &Context::new(value)).map_err(|e| e.cause_for_field(text))
            }
        }
    };
    let selected = read(fields.input_path, &input)?;
    let effective = match &fields.parameters {
        Some(template) => {
            evaluate_template(template, &Context::new(&selected), &mut entropy).map_err(|e| e.to_string())?
        }
        None => selected,
    };
    let result = task(&effective);
    let result = match &fields.result_selector {
        Some(template) => {
            evaluate_template(template, &Context::new(&result), &mut entropy).map_err(|e| e.to_string())?
        }
        None => result,
    };
    let combined = match fields.result_path {
        Some(None) => input,
        path => {
            let path = jsonpath::parse(path.flatten().unwrap_or("$")).map_err(|e| e.to_string())?;
            let mut target = input;
            reference_path::set(&mut target, &path, result).map_err(|e| e.to_string())?;
            target
        }
    };
    read(fields.output_path, &combined)
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
