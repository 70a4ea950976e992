//! The Map state: where its items come from (`ItemsPath`, JSONata `Items`, or an `ItemReader`
//! over `--s3-root`), how they are shaped (`ItemSelector`, then `ItemBatcher`), its numeric
//! settings and their `…Path` forms, and tolerated failures. Iterations run one after another
//! on the virtual clock through [`crate::simulate::concurrency`], at most `MaxConcurrency` at once.

use serde_json::{json, Map, Value};

use crate::expr::intrinsics::Entropy;
use crate::model::state_fields::{ItemReader, ReaderConfig, ScopeFields, Setting, Settings};
use crate::pointer::child;
use crate::simulate::concurrency::{iteration_details, Lane, LaneEnd};
use crate::simulate::context::iso;
use crate::simulate::engine::{Engine, Halt, Here, ScopeRole};
use crate::simulate::errors::{names, Failure};
use crate::simulate::history::EventType;
use crate::simulate::io::{self, IoError, PathScope};
use crate::simulate::s3;
use crate::simulate::{MissingData, SimulateError};

impl Engine<'_> {
    pub(in crate::simulate) fn map(
        &mut self,
        here: &Here,
        input: &Value,
        variables: &mut Map<String, Value>,
    ) -> Result<Value, Halt> {
        let (processor_field, processor) = here.fields.processor();
        let processor = processor.unwrap_or(&Value::Null);
        let processor_pointer = child(&here.pointer, processor_field);
        let distributed = ScopeFields::of(processor).is_distributed();
        let run_arn = if distributed || here.fields.result_writer().is_some() {
            Some(self.map_run_arn(here))
        } else {
            None
        };
        // With an ItemReader, AWS starts the state (and the Map Run) before reading the items.
        let mut started = None;
        let mut run_started = None;
        if here.fields.item_reader().is_some() {
            started = Some(self.map_started(0));
            if distributed {
                run_started = Some(self.map_run_started(run_arn.as_deref()));
            }
        }
        let context = self.context(here);
        // The items, and the value item selectors see as `$` (JSONPath's effective input).
        let (items, effective) = if here.jsonata {
            let scope = self.jsonata_scope(here, variables, input, None, None);
            let items = if let Some(reader) = here.fields.item_reader() {
                match self.read_items(here, reader, input, variables) {
                    Ok(items) => items,
                    Err(halt) => return Err(self.map_run_failed(halt, run_started)),
                }
            } else {
                match here.fields.items() {
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
                            return Err(here.fail(IoError::new(
                                names::QUERY_EVALUATION,
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
            let effective = io::select_path(here.fields.input_path(), input, &scope)
                .map_err(|e| here.fail(e))?
                .into_owned();
            let items = if let Some(reader) = here.fields.item_reader() {
                match self.read_items(here, reader, &effective, variables) {
                    Ok(items) => items,
                    Err(halt) => return Err(self.map_run_failed(halt, run_started)),
                }
            } else {
                let value = match here.fields.items_path() {
                    Some(path) => io::read_path(path, &effective, &scope)
                        .map_err(|e| here.fail(IoError::new(names::RUNTIME, e.cause_for_field(path))))?,
                    None => effective.clone(),
                };
                match value {
                    Value::Array(a) => a,
                    other => {
                        return Err(here.fail(IoError::new(
                            names::RUNTIME,
                            format!("Map state input must be an array but was: {other}"),
                        )))
                    }
                }
            };
            (items, effective)
        };
        let max_concurrency = self.setting(
            here,
            here.fields.settings(),
            Setting::MAX_CONCURRENCY,
            false,
            &effective,
            variables,
        )?;
        let started = match started {
            Some(id) => id,
            None => self.map_started(items.len()),
        };
        let tolerated_count = self.setting(
            here,
            here.fields.settings(),
            Setting::TOLERATED_FAILURE_COUNT,
            false,
            &effective,
            variables,
        )?;
        if tolerated_count.is_some_and(|c| c < 0.0) {
            return Err(here.fail(IoError::new(
                names::RUNTIME,
                "ToleratedFailureCount cannot be negative.",
            )));
        }
        let tolerated_percentage = self.setting(
            here,
            here.fields.settings(),
            Setting::TOLERATED_FAILURE_PERCENTAGE,
            true,
            &effective,
            variables,
        )?;
        if tolerated_percentage.is_some_and(|p| !(0.0..=100.0).contains(&p)) {
            return Err(here.fail(IoError::new(
                names::RUNTIME,
                "ToleratedFailurePercentage must be between 0 and 100.",
            )));
        }
        let tolerated_count = tolerated_count.map(|c| c as u64);
        // ItemSelector shapes each item (it alone sees `$$.Map.Item`), then ItemBatcher groups
        // the shaped items.
        let selector = here.fields.item_selector();
        let mut inputs = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let Some(selector) = selector else {
                inputs.push(item);
                continue;
            };
            let item_here = Here {
                map_item: Some((index, item)),
                task_token: None,
                ..here.clone()
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
        let total = items.len();
        self.last = run_started.unwrap_or(self.last);
        let run_started = match run_started {
            Some(id) => Some(id),
            None if distributed => Some(self.map_run_started(run_arn.as_deref())),
            None => None,
        };
        let history_before = self.history.len();
        let concurrency = max_concurrency.map_or(0, |c| c.max(0.0) as usize);
        let tolerance = Tolerance {
            count: tolerated_count,
            percentage: tolerated_percentage,
            total,
        };
        let decide = |lanes: &[Lane]| tolerance.exceeded(lanes);
        let shared: &Map<String, Value> = variables;
        // The last event of the previous iteration: the next iteration's `MapIterationStarted`
        // follows it, as AWS records it.
        let mut previous_last = started;
        let outcome = self.run_lanes(total, concurrency, &decide, &mut |engine, i| {
            if i == 0 {
                previous_last = started;
            }
            let iteration = engine.history.push(
                EventType::MapIterationStarted,
                previous_last,
                engine.clock,
                Some(iteration_details(here.name, i)),
            );
            engine.last = iteration;
            // A Distributed Map's iterations are child executions, which cannot read the
            // parent's variables; an inline iteration can.
            let mut inner = if distributed { Map::new() } else { shared.clone() };
            let item = items.get(i).cloned().unwrap_or(Value::Null);
            let result = engine.run_scope(
                processor,
                &processor_pointer,
                item,
                &mut inner,
                here.depth + 1,
                ScopeRole::Iteration,
            );
            let lane = Lane::of(engine, result)?;
            let end = match lane.end {
                LaneEnd::Done(_) => Some(EventType::MapIterationSucceeded),
                LaneEnd::Failed(_) => Some(EventType::MapIterationFailed),
                LaneEnd::Aborted => Some(EventType::MapIterationAborted),
                _ => None,
            };
            previous_last = lane.last;
            let mut lane = lane;
            if let Some(end) = end {
                let id = engine
                    .history
                    .push(end, lane.last, engine.clock, Some(iteration_details(here.name, i)));
                if end == EventType::MapIterationSucceeded {
                    lane.last = id;
                }
            }
            Ok(lane)
        })?;
        if distributed {
            // Child executions keep their own histories.
            self.history.drop_where(history_before, |_| true);
        }
        if let Some(w) = outcome.winner {
            let failure = match outcome.lanes.get(w).map(|l| &l.end) {
                Some(LaneEnd::Failed(f)) if tolerance.given() => {
                    let _ = f;
                    Failure::new(
                        names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        "The specified tolerated failure threshold was exceeded",
                    )
                }
                Some(LaneEnd::Failed(f)) => f.clone(),
                _ => Failure::new(names::RUNTIME, "A Map iteration failed"),
            };
            if let Some(run) = run_started {
                self.last = self.history.push(
                    EventType::MapRunFailed,
                    run,
                    self.clock,
                    Some(json!({"error": failure.error, "cause": failure.cause})),
                );
            }
            return Err(Halt::Fail(failure));
        }
        let results: Vec<Value> = outcome
            .lanes
            .iter()
            .map(|l| match &l.end {
                LaneEnd::Done(v) => v.clone(),
                LaneEnd::Failed(f) => f.output(),
                _ => Value::Null,
            })
            .collect();
        match run_started {
            Some(run) => {
                let succeeded = self.history.push(EventType::MapRunSucceeded, run, self.clock, None);
                self.history
                    .push(EventType::MapStateSucceeded, succeeded, self.clock, None);
                self.last = run;
            }
            None => {
                let last = outcome
                    .lanes
                    .iter()
                    .enumerate()
                    .max_by_key(|(i, l)| (l.at, *i))
                    .map_or(started, |(_, l)| l.last);
                self.history.push(EventType::MapStateSucceeded, last, self.clock, None);
                self.last = last;
            }
        }
        let result = if let Some(writer) = here.fields.result_writer() {
            // The results go to S3; the state's result is the summary AWS returns.
            let run_arn = run_arn.unwrap_or_default();
            let run_id = run_arn.rsplit(':').next().unwrap_or_default().to_string();
            let parameters = writer.request();
            let prefix = parameters
                .and_then(|p| p.get("Prefix"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            json!({
                "MapRunArn": run_arn,
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
        owner: Settings,
        setting: Setting,
        float: bool,
        effective: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Option<f64>, Halt> {
        let kind = if float { "float" } else { "integer" };
        let field = setting.name;
        match owner.value(setting) {
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
        let path_field = setting.path_name;
        let Some(path) = owner.path(setting) else {
            return Ok(None);
        };
        let context = self.context(here);
        let scope = PathScope {
            context_object: &context,
            variables,
        };
        let value = io::read_path(path, effective, &scope)
            .map_err(|e| here.fail(IoError::new(names::RUNTIME, e.cause_for_field(path))))?;
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
                Err(here.fail(IoError::new(
                    names::RUNTIME,
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
        let Some(batcher) = here.fields.item_batcher() else {
            return Ok(items);
        };
        let max = self
            .setting(
                here,
                batcher.settings(),
                Setting::MAX_ITEMS_PER_BATCH,
                false,
                effective,
                variables,
            )?
            .map_or(usize::MAX, |n| n.max(1.0) as usize);
        let batch_input = match batcher.batch_input() {
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
        reader: ItemReader,
        input: &Value,
        variables: &Map<String, Value>,
    ) -> Result<Vec<Value>, Halt> {
        let parameters = match reader.request() {
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
        let resource = reader.resource();
        let config = reader.reader_config();
        let bucket = parameters.get("Bucket").and_then(Value::as_str).unwrap_or_default();
        let Some(root) = &self.options.s3_root else {
            return Err(Halt::Sim(SimulateError::MissingData(MissingData::NoS3Root {
                state: here.name.to_string(),
                bucket: bucket.to_string(),
            })));
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
            match config.input_type() {
                "CSV" => parse_csv(&text, config)
                    .map_err(|cause| Halt::Fail(Failure::new(names::ITEM_READER_FAILED, cause)))?,
                "JSONL" => text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(serde_json::from_str)
                    .collect::<Result<Vec<Value>, _>>()
                    .map_err(|_| {
                        Halt::Fail(Failure::new(
                            names::ITEM_READER_FAILED,
                            "Attempting to map over non-iterable node.",
                        ))
                    })?,
                _ => match serde_json::from_str::<Value>(&text) {
                    Ok(Value::Array(a)) => a,
                    _ => {
                        return Err(Halt::Fail(Failure::new(
                            names::ITEM_READER_FAILED,
                            "Attempting to map over non-iterable node.",
                        )))
                    }
                },
            }
        };
        match self.setting(here, config.settings(), Setting::MAX_ITEMS, false, input, variables)? {
            Some(max) if max < 0.0 => {
                return Err(Halt::Fail(Failure::new(
                    names::ITEM_READER_FAILED,
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
        s3::S3Error::Service(cause) => Halt::Fail(Failure::new(names::ITEM_READER_FAILED, cause)),
        s3::S3Error::Missing(detail) => Halt::Sim(SimulateError::MissingData(MissingData::S3File {
            state: here.name.to_string(),
            detail,
        })),
        s3::S3Error::Limit(m) => Halt::Sim(SimulateError::Limit(format!("Map state \"{}\": {m}", here.name))),
    }
}

/// Reads CSV rows as objects keyed by the header (first row, or `CSVHeaders`).
fn parse_csv(text: &str, config: ReaderConfig) -> Result<Vec<Value>, String> {
    let mut rows = text.lines().filter(|l| !l.is_empty()).map(split_csv_line);
    let headers: Vec<String> = match config.given_csv_headers() {
        Some(headers) => headers,
        None => rows.next().unwrap_or_default(),
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

/// A Map's tolerated failures (`ToleratedFailureCount` / `ToleratedFailurePercentage`).
struct Tolerance {
    count: Option<u64>,
    percentage: Option<f64>,
    total: usize,
}

impl Tolerance {
    fn given(&self) -> bool {
        self.count.is_some() || self.percentage.is_some()
    }

    /// The iteration whose failure (counted in order of time) exceeds the tolerance.
    fn exceeded(&self, lanes: &[Lane]) -> Option<usize> {
        let mut failed: Vec<(i64, usize)> = lanes
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l.end, LaneEnd::Failed(_)))
            .map(|(i, l)| (l.at, i))
            .collect();
        failed.sort_unstable();
        for (n, (_, i)) in failed.into_iter().enumerate() {
            let failures = n as u64 + 1;
            let within = self.count.is_some_and(|c| failures <= c)
                || self
                    .percentage
                    .is_some_and(|p| (failures as f64) * 100.0 / (self.total.max(1) as f64) <= p);
            if !within {
                return Some(i);
            }
        }
        None
    }
}

impl Engine<'_> {
    /// Records `MapStateStarted` and continues from it.
    fn map_started(&mut self, length: usize) -> u64 {
        self.last = self.history.push(
            EventType::MapStateStarted,
            self.last,
            self.clock,
            Some(json!({"length": length})),
        );
        self.last
    }

    /// Records `MapRunStarted` (a Distributed Map) and continues from it.
    fn map_run_started(&mut self, arn: Option<&str>) -> u64 {
        self.last = self.history.push(
            EventType::MapRunStarted,
            self.last,
            self.clock,
            Some(json!({"mapRunArn": arn})),
        );
        self.last
    }

    /// Records `MapRunFailed` for a failure of a Map Run's own work (reading its items).
    fn map_run_failed(&mut self, halt: Halt, run: Option<u64>) -> Halt {
        if let (Halt::Fail(f), Some(run)) = (&halt, run) {
            self.last = self.history.push(
                EventType::MapRunFailed,
                run,
                self.clock,
                Some(json!({"error": f.error, "cause": f.cause})),
            );
        }
        halt
    }

    /// The ARN of a Distributed Map's run (`mapRun:<machine>/<label>:<id>`).
    fn map_run_arn(&mut self, here: &Here) -> String {
        let label = here.fields.label().unwrap_or(here.name);
        let run_id = self.entropy.uuid();
        format!(
            "arn:aws:states:us-east-1:111111111111:mapRun:{}/{label}:{run_id}",
            self.execution.machine_name
        )
    }
}
