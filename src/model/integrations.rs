//! The optimized service integrations of Step Functions, one row per API action, with the
//! integration patterns each supports beyond Request Response.
//!
//! Source: the AWS guide's "Integrating optimized services with Step Functions" table (which
//! patterns each service supports) and each service's "Optimized … APIs" page (which actions
//! exist and which of them support `.sync`). Where the pages disagree or are vague, the row is
//! generous: the validator must never reject what AWS accepts. AWS SDK integrations
//! (`arn:aws:states:::aws-sdk:…`) are not listed; they cover over two hundred services.

use std::sync::OnceLock;

use super::resource::Pattern;
use super::FastMap;

/// One optimized integration action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Integration {
    /// Service prefix in the resource ARN: `lambda`, `elasticmapreduce`, `emr-serverless`, ….
    pub service: &'static str,
    /// Action, camelCase as in the ARN: `invoke`, `startExecution`, ….
    pub action: &'static str,
    /// Supports Run a Job (`.sync`).
    pub sync: bool,
    /// Supports `.sync:2` (only Step Functions `startExecution`).
    pub sync2: bool,
    /// Supports Wait for Callback (`.waitForTaskToken`).
    pub callback: bool,
}

impl Integration {
    pub fn supports(&self, pattern: Pattern) -> bool {
        match pattern {
            Pattern::RequestResponse => true,
            Pattern::Sync => self.sync,
            Pattern::Sync2 => self.sync2,
            Pattern::WaitForTaskToken => self.callback,
        }
    }

    /// The resource suffixes this action accepts, for messages: "`.sync` or `.waitForTaskToken`".
    pub fn describe_patterns(&self) -> String {
        let list: Vec<&str> = [
            (self.sync, ".sync"),
            (self.sync2, ".sync:2"),
            (self.callback, ".waitForTaskToken"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, s)| s)
        .collect();
        match list.as_slice() {
            [] => "no suffix (Request Response only)".to_string(),
            [one] => format!("`{one}`"),
            [init @ .., last] => format!(
                "{} or `{last}`",
                init.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            ),
        }
    }
}

/// Request Response only.
const fn rr(service: &'static str, action: &'static str) -> Integration {
    Integration {
        service,
        action,
        sync: false,
        sync2: false,
        callback: false,
    }
}

/// Request Response and `.sync`.
const fn job(service: &'static str, action: &'static str) -> Integration {
    Integration {
        sync: true,
        ..rr(service, action)
    }
}

/// Request Response and `.waitForTaskToken`.
const fn callback(service: &'static str, action: &'static str) -> Integration {
    Integration {
        callback: true,
        ..rr(service, action)
    }
}

/// Request Response, `.sync` and `.waitForTaskToken`.
const fn all(service: &'static str, action: &'static str) -> Integration {
    Integration {
        sync: true,
        callback: true,
        ..rr(service, action)
    }
}

/// Every optimized integration action, grouped by service.
pub const INTEGRATIONS: &[Integration] = &[
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-api-gateway.html
    callback("apigateway", "invoke"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-athena.html
    job("athena", "startQueryExecution"),
    rr("athena", "stopQueryExecution"),
    rr("athena", "getQueryExecution"),
    rr("athena", "getQueryResults"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-batch.html
    job("batch", "submitJob"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-bedrock.html (the service
    // table lists Wait for Callback for Bedrock without naming the action: both allow it)
    all("bedrock", "invokeModel"),
    all("bedrock", "createModelCustomizationJob"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-codebuild.html
    job("codebuild", "startBuild"),
    rr("codebuild", "stopBuild"),
    rr("codebuild", "batchDeleteBuilds"),
    rr("codebuild", "batchGetReports"),
    job("codebuild", "startBuildBatch"),
    rr("codebuild", "stopBuildBatch"),
    job("codebuild", "retryBuildBatch"),
    rr("codebuild", "deleteBuildBatch"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-databrew.html
    job("databrew", "startJobRun"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
    rr("dynamodb", "getItem"),
    rr("dynamodb", "putItem"),
    rr("dynamodb", "updateItem"),
    rr("dynamodb", "deleteItem"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-ecs.html
    all("ecs", "runTask"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-eks.html (the service table
    // lists Wait for Callback for EKS while the EKS page says it is not supported: allowed)
    all("eks", "createCluster"),
    all("eks", "deleteCluster"),
    all("eks", "createFargateProfile"),
    all("eks", "deleteFargateProfile"),
    all("eks", "createNodegroup"),
    all("eks", "deleteNodegroup"),
    all("eks", "runJob"),
    callback("eks", "call"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr.html
    job("elasticmapreduce", "createCluster"),
    job("elasticmapreduce", "terminateCluster"),
    job("elasticmapreduce", "addStep"),
    rr("elasticmapreduce", "cancelStep"),
    rr("elasticmapreduce", "setClusterTerminationProtection"),
    rr("elasticmapreduce", "modifyInstanceFleetByName"),
    rr("elasticmapreduce", "modifyInstanceGroupByName"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-eks.html
    job("emr-containers", "createVirtualCluster"),
    job("emr-containers", "deleteVirtualCluster"),
    job("emr-containers", "startJobRun"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-emr-serverless.html
    job("emr-serverless", "createApplication"),
    job("emr-serverless", "startApplication"),
    job("emr-serverless", "stopApplication"),
    job("emr-serverless", "deleteApplication"),
    job("emr-serverless", "startJobRun"),
    job("emr-serverless", "cancelJobRun"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-eventbridge.html
    callback("events", "putEvents"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-glue.html
    job("glue", "startJobRun"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/call-https-apis.html (HTTP Task)
    callback("http", "invoke"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html
    callback("lambda", "invoke"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-mediaconvert.html
    job("mediaconvert", "createJob"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
    rr("sagemaker", "createEndpoint"),
    rr("sagemaker", "createEndpointConfig"),
    job("sagemaker", "createHyperParameterTuningJob"),
    job("sagemaker", "createLabelingJob"),
    rr("sagemaker", "createModel"),
    job("sagemaker", "createProcessingJob"),
    job("sagemaker", "createTrainingJob"),
    job("sagemaker", "createTransformJob"),
    rr("sagemaker", "updateEndpoint"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-sns.html
    callback("sns", "publish"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-sqs.html
    callback("sqs", "sendMessage"),
    // https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
    Integration {
        sync2: true,
        ..all("states", "startExecution")
    },
];

/// Services whose `arn:aws:states:::<service>:<action>` resources are not judged: `s3`
/// resources (`getObject`, `listObjectsV2`, `putObject`) belong to Distributed Map
/// `ItemReader`/`ResultWriter`, and whether a Task may name them is not documented.
pub const UNJUDGED_SERVICES: &[&str] = &["s3"];

/// The rows of one service, in table order.
pub fn service(name: &str) -> Vec<&'static Integration> {
    INTEGRATIONS.iter().filter(|i| i.service == name).collect()
}

/// The distinct service prefixes, in table order.
pub fn services() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for i in INTEGRATIONS {
        if !out.contains(&i.service) {
            out.push(i.service);
        }
    }
    out
}

/// Looks an action up (case-sensitive, as AWS reads it).
pub fn find(service: &str, action: &str) -> Option<&'static Integration> {
    // Hashed once per process: every Task state with an integration asks, and a walk down the
    // table compares most of its rows.
    static BY_NAME: OnceLock<FastMap<(&'static str, &'static str), &'static Integration>> = OnceLock::new();
    BY_NAME
        .get_or_init(|| INTEGRATIONS.iter().map(|i| ((i.service, i.action), i)).collect())
        .get(&(service, action))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_unique_and_grouped() {
        for (i, a) in INTEGRATIONS.iter().enumerate() {
            for b in &INTEGRATIONS[i + 1..] {
                assert!(a.service != b.service || a.action != b.action, "{a:?} twice");
            }
        }
        // Each service's rows are contiguous, so `services()` reads like the table.
        let mut seen = Vec::new();
        for pair in INTEGRATIONS.windows(2) {
            if pair[0].service != pair[1].service {
                seen.push(pair[0].service);
                assert!(!seen.contains(&pair[1].service), "{} split", pair[1].service);
            }
        }
    }

    #[test]
    fn dynamodb_has_no_query_and_lambda_no_sync() {
        assert!(find("dynamodb", "query").is_none());
        assert!(find("lambda", "invoke").is_some_and(|i| !i.supports(Pattern::Sync)));
        assert!(find("states", "startExecution").is_some_and(|i| i.supports(Pattern::Sync2)));
        assert_eq!(
            find("ecs", "runTask").map(Integration::describe_patterns),
            Some("`.sync` or `.waitForTaskToken`".to_string())
        );
    }
}
