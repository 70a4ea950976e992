//! What a Task state's `Resource` names: a Lambda function, an activity, an optimized service
//! integration (`arn:aws:states:::sqs:sendMessage.waitForTaskToken`) or an AWS SDK integration
//! (`arn:aws:states:::aws-sdk:s3:listObjectsV2`), with its integration pattern.
//!
//! Parsing never fails: anything that is not one of those shapes, or that holds a `${…}`
//! template substitution whose value is only known at deploy time, is [`TaskResource::Other`],
//! which the validator leaves alone. Character offsets are kept so diagnostics can underline
//! the exact part of the string. The table of optimized integrations lives in
//! [`super::integrations`].

/// How the task waits for the called service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pattern {
    /// No suffix: call and move on with the HTTP response.
    RequestResponse,
    /// `.sync`: wait for the job to complete.
    Sync,
    /// `.sync:2`: like `.sync`, with JSON output (Step Functions `startExecution`).
    Sync2,
    /// `.waitForTaskToken`: pause until the task token is returned.
    WaitForTaskToken,
}

impl Pattern {
    pub fn suffix(self) -> &'static str {
        match self {
            Pattern::RequestResponse => "",
            Pattern::Sync => ".sync",
            Pattern::Sync2 => ".sync:2",
            Pattern::WaitForTaskToken => ".waitForTaskToken",
        }
    }

    fn parse(suffix: &str) -> Option<Pattern> {
        match suffix {
            "" => Some(Pattern::RequestResponse),
            "sync" => Some(Pattern::Sync),
            "sync:2" => Some(Pattern::Sync2),
            "waitForTaskToken" => Some(Pattern::WaitForTaskToken),
            _ => None,
        }
    }
}

/// A part of the resource string: its text and its character range in the whole string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Part<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

/// An `arn:<partition>:states:::…` integration, optimized or AWS SDK.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntegrationRef<'a> {
    /// `true` for `aws-sdk:<service>:<action>`.
    pub sdk: bool,
    pub service: Part<'a>,
    pub action: Part<'a>,
    /// The text after the action's first `.` (`sync:2`), if any.
    pub suffix: Option<Part<'a>>,
    /// `None` when the suffix is not one Step Functions knows.
    pub pattern: Option<Pattern>,
}

/// What a Task `Resource` string names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskResource<'a> {
    Integration(IntegrationRef<'a>),
    /// `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`; `extra` is
    /// anything after the qualifier (always an error).
    LambdaFunction {
        name: Part<'a>,
        qualifier: Option<Part<'a>>,
        extra: Option<Part<'a>>,
    },
    /// `arn:<partition>:states:<region>:<account>:activity:<name>`.
    Activity {
        name: Part<'a>,
    },
    /// Another ARN, not an ARN, or a value with a `${…}` substitution.
    Other,
}

impl<'a> Part<'a> {
    /// The part of `whole` between two byte offsets; `ascii` says whether `whole` is all ASCII.
    fn new(whole: &'a str, ascii: bool, start_byte: usize, end_byte: usize) -> Part<'a> {
        let text = &whole[start_byte..end_byte];
        // Offsets count characters; in the usual all-ASCII resource, they are the byte offsets.
        if ascii {
            return Part {
                text,
                start: start_byte,
                end: end_byte,
            };
        }
        let start = whole[..start_byte].chars().count();
        Part {
            text,
            start,
            end: start + text.chars().count(),
        }
    }
}

impl<'a> TaskResource<'a> {
    pub fn parse(resource: &'a str) -> TaskResource<'a> {
        let bytes = resource.as_bytes();
        // A `${…}` substitution is filled in at deployment. (memchr looks at many bytes at a
        // time: every Task state's resource is parsed.)
        if memchr::memchr_iter(b'$', bytes).any(|i| bytes.get(i + 1) == Some(&b'{')) {
            return TaskResource::Other;
        }
        // Character offsets are byte offsets in an all-ASCII resource, the usual one.
        let ascii = resource.is_ascii();
        // The byte offsets of the first six `:`.
        let mut colons = [0; 6];
        let mut count = 0;
        for (slot, i) in colons.iter_mut().zip(memchr::memchr_iter(b':', bytes)) {
            *slot = i;
            count += 1;
        }
        if count < colons.len() || &resource[..colons[0]] != "arn" {
            return TaskResource::Other;
        }
        let field = |n: usize| &resource[colons[n - 1] + 1..colons[n]];
        let (service, region, account, kind) = (field(2), field(3), field(4), field(5));
        // Byte offset of the text after `arn:<partition>:<service>:<region>:<account>:`.
        let rest_at = colons[4] + 1;
        match service {
            "states" if region.is_empty() && account.is_empty() => Self::integration(resource, ascii, rest_at),
            "states" if kind == "activity" => {
                let name_at = colons[5] + 1;
                if resource[name_at..].contains(':') {
                    return TaskResource::Other;
                }
                TaskResource::Activity {
                    name: Part::new(resource, ascii, name_at, resource.len()),
                }
            }
            "lambda" if kind == "function" => {
                let name_at = colons[5] + 1;
                let (name, qualifier, extra) = match resource[name_at..].find(':') {
                    None => (Part::new(resource, ascii, name_at, resource.len()), None, None),
                    Some(i) => {
                        let q_at = name_at + i + 1;
                        let name = Part::new(resource, ascii, name_at, name_at + i);
                        match resource[q_at..].find(':') {
                            None => (name, Some(Part::new(resource, ascii, q_at, resource.len())), None),
                            Some(j) => (
                                name,
                                Some(Part::new(resource, ascii, q_at, q_at + j)),
                                Some(Part::new(resource, ascii, q_at + j, resource.len())),
                            ),
                        }
                    }
                };
                TaskResource::LambdaFunction { name, qualifier, extra }
            }
            _ => TaskResource::Other,
        }
    }

    /// `<service>:<action>[.<suffix>]` or `aws-sdk:<service>:<action>[.<suffix>]`, starting
    /// at byte `at`. The suffix runs to the end (`sync:2` holds a colon).
    fn integration(resource: &'a str, ascii: bool, at: usize) -> TaskResource<'a> {
        let rest = &resource[at..];
        let (sdk, service_at) = match rest.strip_prefix("aws-sdk:") {
            Some(_) => (true, at + "aws-sdk:".len()),
            None => (false, at),
        };
        let Some(colon) = resource[service_at..].find(':') else {
            return TaskResource::Other;
        };
        let service = Part::new(resource, ascii, service_at, service_at + colon);
        let action_at = service_at + colon + 1;
        let (action, suffix) = match resource[action_at..].find('.') {
            None => (Part::new(resource, ascii, action_at, resource.len()), None),
            Some(dot) => (
                Part::new(resource, ascii, action_at, action_at + dot),
                Some(Part::new(resource, ascii, action_at + dot + 1, resource.len())),
            ),
        };
        let pattern = Pattern::parse(suffix.map_or("", |s| s.text));
        TaskResource::Integration(IntegrationRef {
            sdk,
            service,
            action,
            suffix,
            pattern,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optimized_and_sdk_integrations() {
        let TaskResource::Integration(i) = TaskResource::parse("arn:aws:states:::states:startExecution.sync:2") else {
            panic!("an integration")
        };
        assert_eq!(
            (i.sdk, i.service.text, i.action.text),
            (false, "states", "startExecution")
        );
        assert_eq!(i.pattern, Some(Pattern::Sync2));
        assert_eq!((i.action.start, i.action.end), (24, 38));
        let TaskResource::Integration(i) =
            TaskResource::parse("arn:aws-us-gov:states:::aws-sdk:s3:listObjectsV2.waitForTaskToken")
        else {
            panic!("an integration")
        };
        assert_eq!((i.sdk, i.service.text, i.action.text), (true, "s3", "listObjectsV2"));
        assert_eq!(i.pattern, Some(Pattern::WaitForTaskToken));
        let TaskResource::Integration(i) = TaskResource::parse("arn:aws:states:::sqs:sendMessage.wait") else {
            panic!("an integration")
        };
        assert_eq!(i.pattern, None);
    }

    #[test]
    fn functions_activities_and_others() {
        assert!(matches!(
            TaskResource::parse("arn:aws:lambda:us-east-1:123456789012:function:Fn:live"),
            TaskResource::LambdaFunction { name, qualifier: Some(q), extra: None }
                if name.text == "Fn" && q.text == "live"
        ));
        assert!(matches!(
            TaskResource::parse("arn:aws:states:us-east-1:123456789012:activity:Review"),
            TaskResource::Activity { name } if name.text == "Review"
        ));
        for other in ["${LambdaArn}", "arn:x", "foo:bar", "arn:aws:swf:us-east-1:1:task:X"] {
            assert_eq!(TaskResource::parse(other), TaskResource::Other, "{other}");
        }
    }
}
