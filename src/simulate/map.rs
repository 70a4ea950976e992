//! The Map state: where its items come from (`ItemsPath`, JSONata `Items`, or an `ItemReader`
//! over `--s3-root`), how they are shaped (`ItemSelector`, then `ItemBatcher`), its numeric
//! settings and their `…Path` forms, and tolerated failures. Iterations run one after another
//! in item order; `MaxConcurrency` changes nothing in the results, only its value is checked.

use serde_json::{json, Map, Value};

use super::context::iso;
use super::engine::{Engine, Halt, Here};
use super::errors::Failure;
use super::io::{self, PathScope};
use super::s3;
use super::SimulateError;
use crate::expr::intrinsics::Entropy;
use crate::pointer::child;

impl Engine<'_> {
    pub(super) fn map(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Value, Halt> {
        let processor_field = if here.get("ItemProcessor").is_some() {
            "ItemProcessor"
        } else {
            "Iterator"
        };
        let processor = here.get(processor_field).cloned().unwrap_or(Value::Null);
        let processor_pointer = child(&here.pointer, processor_field);
        let distributed = processor
            .get("ProcessorConfig")
            .and_then(|c| c.get("Mode"))
            .and_then(Value::as_str)
            == Some("DISTRIBUTED");
        let context = self.context(here);
        // The items, and the value item selectors see as `$` (JSONPath's effective input).
        let (items, effective) = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            let items = if let Some(reader) = here.get("ItemReader") {
                self.read_items(here, reader, input, variables)?
            } else {
                match here.get("Items") {
                    Some(items) => {
                        let value = io::jsonata_field(items, "Items", &scope).map_err(|e| here.fail(e))?;
                        match value {
                            Value::Array(a) => a,
                            other => {
                                let shown = items
                                    .as_str()
                                    .map(|s| s.trim_start_matches("{%").trim_end_matches("%}").trim().to_string())
                                    .unwrap_or_else(|| items.to_string());
                                return Err(here.fail(io::query_error(format!(
                                    "The JSONata expression '{shown}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '{}' for value: {other}",
                                    io::type_name(&other)
                                ))));
                            }
                        }
                    }
                    None => match input {
                        Value::Array(a) => a.clone(),
                        other => {
                            return Err(here.fail((
                                "States.QueryEvaluationError".into(),
                                format!("Map state input must be an array but was: {other}"),
                            )))
                        }
                    },
                }
            };
            (items, input.clone())
        } else {
            let scope = PathScope {
                context_object: &context,
                variables,
            };
            let effective = io::select_path(here.get("InputPath"), input, &scope).map_err(|e| here.fail(e))?;
            let items = if let Some(reader) = here.get("ItemReader") {
                self.read_items(here, reader, &effective, variables)?
            } else {
                let value = match here.get("ItemsPath").and_then(Value::as_str) {
                    Some(path) => io::read_path(path, &effective, &scope)
                        .map_err(|e| here.fail(("States.Runtime".into(), e.cause_for_field(path))))?,
                    None => effective.clone(),
                };
                match value {
                    Value::Array(a) => a,
                    other => {
                        return Err(here.fail((
                            "States.Runtime".into(),
                            format!("Map state input must be an array but was: {other}"),
                        )))
                    }
                }
            };
            (items, effective)
        };
        let _ = self.setting(here, here.state, "MaxConcurrency", false, &effective, variables)?;
        let tolerated_count = self.setting(here, here.state, "ToleratedFailureCount", false, &effective, variables)?;
        if tolerated_count.is_some_and(|c| c < 0.0) {
            return Err(here.fail((
                "States.Runtime".into(),
                "ToleratedFailureCount cannot be negative.".into(),
            )));
        }
        let tolerated_percentage = self.setting(
            here,
            here.state,
            "ToleratedFailurePercentage",
            true,
            &effective,
            variables,
        )?;
        if tolerated_percentage.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(here.fail((
                "States.Runtime".into(),
                "ToleratedFailurePercentage must be between 0 and 100.".into(),
            )));
        }
        let tolerated_count = tolerated_count.map(|c| c as u64);
        // ItemSelector shapes each item (it alone sees `$$.Map.Item`), then ItemBatcher groups
        // the shaped items.
        let selector = here.get("ItemSelector").or_else(|| here.get("Parameters"));
        let mut inputs = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let Some(selector) = selector else {
                inputs.push(item);
                continue;
            };
            let item_here = Here {
                map_item: Some((index, item)),
                name: here.name,
                state: here.state,
                pointer: here.pointer.clone(),
                jsonata: here.jsonata,
                entered_event: here.entered_event,
                entered_millis: here.entered_millis,
                task_token: None,
                retry_count: here.retry_count,
                depth: here.depth,
            };
            let selected = if here.jsonata {
                let scope = self.jsonata_scope(&item_here, variables, input, None, None);
                io::jsonata_field(selector, "ItemSelector", &scope).map_err(|e| here.fail(e))?
            } else {
                let context = self.context(&item_here);
                let scope = PathScope {
                    context_object: &context,
                    variables,
                };
                io::template(selector, &effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?
            };
            inputs.push(selected);
        }
        let items = self.batch(here, inputs, &effective, variables)?;
        self.events += 1;
        let mut results = Vec::with_capacity(items.len());
        let mut failures = 0u64;
        let total = items.len();
        for item_input in items {
            // A Distributed Map's iterations are child executions, which cannot read the
            // parent's variables; an inline iteration can.
            let mut inner = if distributed { Map::new() } else { variables.clone() };
            self.events += 1;
            match self.run_scope(
                &processor,
                &processor_pointer,
                item_input,
                &mut inner,
                here.depth + 1,
                None,
            ) {
                Ok(v) => results.push(v),
                Err(Halt::Fail(f)) => {
                    failures += 1;
                    let within = tolerated_count.is_some_and(|c| failures <= c)
                        || tolerated_percentage.is_some_and(|p| (failures as f64) * 100.0 / (total.max(1) as f64) <= p);
                    if !within && (tolerated_count.is_some() || tolerated_percentage.is_some()) {
                        return Err(Halt::Fail(Failure::new(
                            "States.ExceedToleratedFailureThreshold",
                            "The specified tolerated failure threshold was exceeded",
                        )));
                    }
                    if !within {
                        return Err(Halt::Fail(f));
                    }
                    results.push(f.output());
                }
                Err(other) => return Err(other),
            }
            self.events += 1;
        }
        self.events += 1;
        let result = if let Some(writer) = here.get("ResultWriter") {
            // The results go to S3; the state's result is the summary AWS returns.
            let run_id = self.entropy.uuid();
            let label = here.get("Label").and_then(Value::as_str).unwrap_or(here.name);
            let parameters = writer.get("Parameters").or_else(|| writer.get("Arguments"));
            let prefix = parameters
                .and_then(|p| p.get("Prefix"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            json!({
                "MapRunArn": format!("arn:aws:states:us-east-1:111111111111:mapRun:{}/{label}:{run_id}", self.execution.machine_name),
                "ResultWriterDetails": {
                    "Bucket": parameters.and_then(|p| p.get("Bucket")).cloned().unwrap_or(Value::Null),
                    "Key": format!("{prefix}/{run_id}/manifest.json"),
                }
            })
        } else {
            Value::Array(results)
        };
        if here.jsonata {
            return self.jsonata_tail(here, input, Some(&result), result.clone(), variables);
        }
        self.path_tail(here, input, result, variables, true)
    }

    /// A numeric setting written as `Field` (a number, or a JSONata expression) or `FieldPath`
    /// (a path into the effective input or a variable): `MaxConcurrency`, `MaxItems`,
    /// `ToleratedFailureCount`, … `float` says whether a fraction is allowed.
    fn setting(
        &mut self,
        here: &Here,
        owner: &Value,
        field: &str,
        float: bool,
        effective: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Option<f64>, Halt> {
        let kind = if float { "float" } else { "integer" };
        match owner.get(field) {
            Some(Value::Number(n)) => return Ok(n.as_f64()),
            Some(Value::String(text)) if here.jsonata => {
                let scope = self.jsonata_scope(here, variables, effective, None, None);
                let value = io::jsonata_field(&Value::String(text.clone()), field, &scope).map_err(|e| here.fail(e))?;
                return match value.as_f64() {
                    Some(n) if float || n.fract() == 0.0 => Ok(Some(n)),
                    _ => Err(here.fail(io::query_error(format!(
                        "The {field} field must be a valid {kind}, but was: {value}"
                    )))),
                };
            }
            _ => {}
        }
        let path_field = format!("{field}Path");
        let Some(path) = owner.get(&path_field).and_then(Value::as_str) else {
            return Ok(None);
        };
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let value = io::read_path(path, effective, &scope)
            .map_err(|e| here.fail(("States.Runtime".into(), e.cause_for_field(path))))?;
        let number = match &value {
            Value::Number(n) if float || n.is_i64() || n.is_u64() => n.as_f64(),
            // A numeric string is read as its number (recorded on AWS: `"1"` is a valid integer).
            Value::String(text) if float => text.trim().parse::<f64>().ok(),
            Value::String(text) => text.trim().parse::<i64>().ok().map(|n| n as f64),
            _ => None,
        };
        match number {
            Some(n) => Ok(Some(n)),
            None => {
                let shown = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
                Err(here.fail((
                    "States.Runtime".into(),
                    format!("The {path_field} field refers to value \"{shown}\" which is not a valid {kind}: {path}"),
                )))
            }
        }
    }

    /// `ItemBatcher`: groups items into `{"Items": [...], "BatchInput": …}` objects.
    fn batch(
        &mut self,
        here: &Here,
        items: Vec<Value>,
        effective: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Vec<Value>, Halt> {
        let Some(batcher) = here.get("ItemBatcher") else {
            return Ok(items);
        };
        let max = self
            .setting(here, batcher, "MaxItemsPerBatch", false, effective, variables)?
            .map_or(usize::MAX, |n| n.max(1.0) as usize);
        let batch_input = match batcher.get("BatchInput") {
            Some(b) if here.jsonata => {
                let scope = self.jsonata_scope(here, variables, effective, None, None);
                Some(io::jsonata_field(b, "BatchInput", &scope).map_err(|e| here.fail(e))?)
            }
            Some(b) => {
                let context = self.context(here);
                let scope = PathScope {
                    context_object: &context,
                    variables,
                };
                Some(io::template(b, effective, &scope, &mut self.entropy).map_err(|e| here.fail(e))?)
            }
            None => None,
        };
        Ok(items
            .chunks(max)
            .map(|chunk| {
                let mut m = Map::new();
                if let Some(b) = &batch_input {
                    m.insert("BatchInput".into(), b.clone());
                }
                m.insert("Items".into(), Value::Array(chunk.to_vec()));
                Value::Object(m)
            })
            .collect())
    }

    /// `ItemReader`: reads the items from `--s3-root DIR/<bucket>/<key>`.
    fn read_items(
        &mut self,
        here: &Here,
        reader: &Value,
        input: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Vec<Value>, Halt> {
        let parameters = match reader.get("Parameters").or_else(|| reader.get("Arguments")) {
            Some(p) if here.jsonata => {
                let scope = self.jsonata_scope(here, variables, input, None, None);
                io::jsonata_field(p, "ItemReader", &scope).map_err(|e| here.fail(e))?
            }
            Some(p) => {
                let context = self.context(here);
                let scope = PathScope {
                    context_object: &context,
                    variables,
                };
                io::template(p, input, &scope, &mut self.entropy).map_err(|e| here.fail(e))?
            }
            None => Value::Null,
        };
        let resource = reader.get("Resource").and_then(Value::as_str).unwrap_or_default();
        let config = reader.get("ReaderConfig").cloned().unwrap_or(Value::Null);
        let bucket = parameters.get("Bucket").and_then(Value::as_str).unwrap_or_default();
        let Some(root) = &self.options.s3_root else {
            return Err(Halt::Sim(SimulateError::MissingData(format!(
                "Map state \"{}\" reads its items from S3 (bucket \"{bucket}\"): pass --s3-root DIR holding DIR/<bucket>/<key>",
                here.name
            ))));
        };
        let store = s3::S3Root::open(root).map_err(|e| s3_halt(here, e))?;
        let mut items = if resource.ends_with("listObjectsV2") {
            let prefix = parameters.get("Prefix").and_then(Value::as_str).unwrap_or_default();
            store
                .list_objects(bucket, prefix)
                .map_err(|e| s3_halt(here, e))?
                .into_iter()
                .map(|(key, size)| {
                    json!({"Etag": "\"etag\"", "Key": key, "LastModified": iso(self.clock), "Size": size, "StorageClass": "STANDARD"})
                })
                .collect()
        } else {
            let key = parameters.get("Key").and_then(Value::as_str).unwrap_or_default();
            let text = store.get_object(bucket, key).map_err(|e| s3_halt(here, e))?;
            let input_type = config.get("InputType").and_then(Value::as_str).unwrap_or("JSON");
            match input_type {
                "CSV" => parse_csv(&text, &config)
                    .map_err(|cause| Halt::Fail(Failure::new("States.ItemReaderFailed", cause)))?,
                "JSONL" => text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(serde_json::from_str)
                    .collect::<Result<Vec<Value>, _>>()
                    .map_err(|_| {
                        Halt::Fail(Failure::new(
                            "States.ItemReaderFailed",
                            "Attempting to map over non-iterable node.",
                        ))
                    })?,
                _ => match serde_json::from_str::<Value>(&text) {
                    Ok(Value::Array(a)) => a,
                    _ => {
                        return Err(Halt::Fail(Failure::new(
                            "States.ItemReaderFailed",
                            "Attempting to map over non-iterable node.",
                        )))
                    }
                },
            }
        };
        match self.setting(here, &config, "MaxItems", false, input, variables)? {
            Some(max) if max < 0.0 => {
                return Err(Halt::Fail(Failure::new(
                    "States.ItemReaderFailed",
                    "field MaxItems must be positive",
                )))
            }
            // 0 means no limit.
            Some(max) if max >= 1.0 => items.truncate(max as usize),
            _ => {}
        }
        Ok(items)
    }
}

/// An S3 problem as the run sees it: S3's own errors fail the Map state as on AWS; a missing
/// file or a simulator limit stops the run (exit code 2), naming the state.
fn s3_halt(here: &Here, error: s3::S3Error) -> Halt {
    match error {
        s3::S3Error::Service(cause) => Halt::Fail(Failure::new("States.ItemReaderFailed", cause)),
        s3::S3Error::Missing(m) => Halt::Sim(SimulateError::MissingData(format!("Map state \"{}\": {m}", here.name))),
        s3::S3Error::Limit(m) => Halt::Sim(SimulateError::Limit(format!("Map state \"{}\": {m}", here.name))),
    }
}

/// Reads CSV rows as objects keyed by the header (first row, or `CSVHeaders`).
fn parse_csv(text: &str, config: &Value) -> Result<Vec<Value>, String> {
    let mut rows = text.lines().filter(|l| !l.is_empty()).map(split_csv_line);
    let headers: Vec<String> = match config.get("CSVHeaderLocation").and_then(Value::as_str) {
        Some("GIVEN") => config
            .get("CSVHeaders")
            .and_then(Value::as_array)
            .map(|h| h.iter().filter_map(Value::as_str).map(str::to_string).collect())
            .unwrap_or_default(),
        _ => rows.next().unwrap_or_default(),
    };
    let mut seen = std::collections::HashSet::new();
    if !headers.iter().all(|h| seen.insert(h)) {
        return Err("CSV headers cannot contain duplicates.".into());
    }
    Ok(rows
        .map(|cells| {
            let mut m = Map::new();
            for (i, h) in headers.iter().enumerate() {
                m.insert(h.clone(), Value::String(cells.get(i).cloned().unwrap_or_default()));
            }
            Value::Object(m)
        })
        .collect())
}

fn split_csv_line(line: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = line.trim_end_matches('\r').chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(std::mem::take(&mut cell)),
            c => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}
