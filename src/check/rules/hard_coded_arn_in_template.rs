use crate::check::expressions::for_each_string;
use crate::check::Context;
use crate::declare_rule;
use crate::expr::Span;

declare_rule! {
    /// ## What it does
    /// In a state machine defined inside a CloudFormation, SAM or Serverless template, reports
    /// ARNs whose region or account ID is written out (`arn:aws:lambda:us-east-1:123456789012:…`).
    ///
    /// It does not fire on definitions in their own files, on ARNs without a region and account
    /// (`arn:aws:states:::sqs:sendMessage`, S3 buckets), nor on ARNs built from substitutions
    /// (`${AWS::AccountId}`, `${ChargeFunctionArn}`, `${self:…}`).
    ///
    /// ## Why it matters
    /// A template is deployed to several accounts and regions (test, staging, production). An
    /// ARN written out points every deployment at the one account where it was written: the
    /// staging machine calls the production function, or fails with access denied.
    ///
    /// ## Example
    /// ```yaml
    /// Resources:
    ///   Orders:
    ///     Type: AWS::Serverless::StateMachine
    ///     Properties:
    ///       Definition:
    ///         StartAt: Charge
    ///         States:
    ///           Charge:
    ///             Type: Task
    ///             Resource: arn:aws:lambda:us-east-1:123456789012:function:charge
    ///             End: true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// Resources:
    ///   Orders:
    ///     Type: AWS::Serverless::StateMachine
    ///     Properties:
    ///       DefinitionSubstitutions:
    ///         ChargeArn: !GetAtt Charge.Arn
    ///       Definition:
    ///         StartAt: Charge
    ///         States:
    ///           Charge:
    ///             Type: Task
    ///             Resource: ${ChargeArn}
    ///             End: true
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-stepfunctions-statemachine.html> (`DefinitionSubstitutions`)
    /// - <https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/pseudo-parameter-reference.html>
    pub struct HardCodedArnInTemplate {
        code: "ASL316",
        name: "hard-coded-arn-in-template",
        summary: "A definition in a template hard-codes an ARN's region or account ID",
        severity: Warning,
        aws_code: None,
        group: Lint,
    }
}

/// The character range of the `region:account` part of an ARN that writes both out, if any.
fn hard_coded_part(text: &str) -> Option<(usize, usize)> {
    let start = text.find("arn:aws")?;
    let arn = &text[start..];
    if arn.contains("${") {
        return None;
    }
    let fields: Vec<&str> = arn.splitn(6, ':').collect();
    if fields.len() < 6 {
        return None;
    }
    let (region, account) = (fields[3], fields[4]);
    let is_region = region.split('-').count() >= 3
        && region
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let is_account = account.len() == 12 && account.chars().all(|c| c.is_ascii_digit());
    if !is_region || !is_account {
        return None;
    }
    let before = start + fields[..3].iter().map(|f| f.len() + 1).sum::<usize>();
    let from = text[..before].chars().count();
    Some((from, from + region.len() + 1 + account.len()))
}

impl HardCodedArnInTemplate {
    fn check(ctx: &mut Context<'_, '_>) {
        // A plain definition file has the empty pointer; a template's machines sit below
        // `/Resources/…` (or a Serverless `stepFunctions` section).
        if ctx.machine.pointer.is_empty() {
            return;
        }
        let mut found = Vec::new();
        for (_, state) in ctx.machine.all_states() {
            if let Some(object) = state.object {
                for (key, value) in object {
                    for_each_string(value, &state.field_pointer(key), &mut |text, pointer| {
                        if let Some(range) = hard_coded_part(text) {
                            found.push((pointer.to_string(), text.to_string(), range));
                        }
                    });
                }
            }
        }
        for (pointer, text, (start, end)) in found {
            let location = crate::check::expressions::in_string(&pointer, &text, Span { start, end });
            let d = ctx
                .diagnostic("this ARN hard-codes a region and an account ID in a template")
                .at(location)
                .label("deploys to this account only")
                .help("pass the ARN in with `DefinitionSubstitutions` (`${ChargeArn}`), or build it from `${AWS::Region}` and `${AWS::AccountId}`");
            ctx.report(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::hard_coded_part;

    #[test]
    fn finds_region_and_account() {
        assert_eq!(
            hard_coded_part("arn:aws:lambda:us-east-1:123456789012:function:f"),
            Some((15, 37))
        );
        assert_eq!(
            hard_coded_part("arn:aws-us-gov:sns:us-gov-west-1:123456789012:t"),
            Some((19, 45))
        );
        assert_eq!(hard_coded_part("arn:aws:states:::sqs:sendMessage"), None);
        assert_eq!(hard_coded_part("arn:aws:s3:::bucket/key"), None);
        assert_eq!(
            hard_coded_part("arn:aws:lambda:${AWS::Region}:${AWS::AccountId}:function:f"),
            None
        );
        assert_eq!(
            hard_coded_part("https://sqs.us-east-1.amazonaws.com/123456789012/q"),
            None
        );
    }
}
