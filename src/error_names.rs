//! The `States.*` error names Step Functions raises or treats specially, written once: the
//! expression layer fails with some of them, the simulator raises and matches them, and the
//! checks reason about which handler can catch which.

pub const ALL: &str = "States.ALL";
pub const RUNTIME: &str = "States.Runtime";
pub const TIMEOUT: &str = "States.Timeout";
pub const HEARTBEAT_TIMEOUT: &str = "States.HeartbeatTimeout";
pub const TASK_FAILED: &str = "States.TaskFailed";
pub const QUERY_EVALUATION: &str = "States.QueryEvaluationError";
pub const NO_CHOICE_MATCHED: &str = "States.NoChoiceMatched";
pub const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";
pub const EXCEED_TOLERATED_FAILURE_THRESHOLD: &str = "States.ExceedToleratedFailureThreshold";
pub const ITEM_READER_FAILED: &str = "States.ItemReaderFailed";
pub const INTRINSIC_FAILURE: &str = "States.IntrinsicFailure";
pub const REFERENCE_PATH_CONFLICT: &str = "States.ReferencePathConflict";
