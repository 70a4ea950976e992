//! The one table of rule codes, sorted by code.
//!
//! Codes are stable and never reused. Families: ASL0xx loading and schema, ASL1xx structure and
//! graph, ASL2xx paths, intrinsics, JSONata and variables, ASL3xx robustness and best practice.
//! Every rule's documentation is its doc comment (`aslkit explain CODE` prints it).

use super::rules;
use super::Context;
use crate::diagnostic::Severity;

/// A rule's identity and documentation.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `ASL104`.
    pub code: &'static str,
    /// Kebab-case name describing the problem, e.g. `unknown-transition-target`.
    pub name: &'static str,
    /// One line for `aslkit rules`.
    pub summary: &'static str,
    /// Markdown documentation (the rule's doc comment).
    pub docs: &'static str,
    pub severity: Severity,
    /// The code AWS's ValidateStateMachineDefinition reports for the same problem.
    pub aws_code: Option<&'static str>,
    /// The check; `None` for codes reported by the loader or the schema rather than a rule body.
    pub check: Option<fn(&mut Context<'_, '_>)>,
    /// Who reports a code that has no `check`: "loader" or "schema".
    pub emitted_by: &'static str,
    /// `validate` (what AWS rejects) or `lint` (what hurts in production).
    pub group: Group,
    /// Whether `aslkit lint --fix` can repair a finding with a safe text edit.
    pub fixable: bool,
}

/// Which command reports a rule: `validate` (and `lint`), or only `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    /// Errors AWS reports on CreateStateMachine.
    Validate,
    /// Robustness and best practice: findings AWS accepts but that hurt in production.
    Lint,
}

impl Group {
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Validate => "validate",
            Group::Lint => "lint",
        }
    }
}

impl RuleMeta {
    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn docs_text(&self) -> String {
        self.docs
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    }
}

/// Declares a rule: a unit struct whose doc comment is its documentation, and its `META`.
/// The code is a literal, or for the codes the loader emits the constant of `source::codes`
/// (declared once there).
///
/// `group: Lint` puts a rule in `aslkit lint` only (the default is `Validate`); `fixable: true`
/// says `aslkit lint --fix` repairs it. With `check`, the struct must have an associated `fn check(ctx: &mut Context)`; with
/// `emitted_by: "…"` the code is reported elsewhere (loader, schema) and only documented here.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis struct $name:ident {
            code: $code:expr,
            name: $rname:literal,
            summary: $summary:literal,
            severity: $sev:ident,
            aws_code: $aws:expr,
            $(group: $group:ident,)?
            $(fixable: $fixable:literal,)?
            $(emitted_by: $by:literal,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis struct $name;
        impl $name {
            pub const META: $crate::check::registry::RuleMeta = $crate::check::registry::RuleMeta {
                code: $code,
                name: $rname,
                summary: $summary,
                docs: concat!($($doc, "\n"),*),
                severity: $crate::diagnostic::Severity::$sev,
                aws_code: $aws,
                check: $crate::declare_rule!(@check $name $($by)?),
                emitted_by: $crate::declare_rule!(@by $($by)?),
                group: $crate::declare_rule!(@group $($group)?),
                fixable: $crate::declare_rule!(@fixable $($fixable)?),
            };
        }
    };
    (@check $name:ident) => { Some($name::check) };
    (@check $name:ident $by:literal) => { None };
    (@by) => { "rule" };
    (@by $by:literal) => { $by };
    (@group) => { $crate::check::registry::Group::Validate };
    (@group $group:ident) => { $crate::check::registry::Group::$group };
    (@fixable) => { false };
    (@fixable $fixable:literal) => { $fixable };
}

/// Every rule, sorted by code.
pub static RULES: &[RuleMeta] = &[
    rules::io_error::IoError::META,
    rules::json_syntax_error::JsonSyntaxError::META,
    rules::duplicate_key::DuplicateKey::META,
    rules::definition_too_large::DefinitionTooLarge::META,
    rules::definition_not_object::DefinitionNotObject::META,
    rules::unknown_definition_substitution::UnknownDefinitionSubstitution::META,
    rules::definition_not_checked::DefinitionNotChecked::META,
    rules::definition_file_not_json::DefinitionFileNotJson::META,
    rules::definition_file_not_found::DefinitionFileNotFound::META,
    rules::internal_error::InternalError::META,
    rules::unknown_field::UnknownField::META,
    rules::missing_required_field::MissingRequiredField::META,
    rules::invalid_type::InvalidType::META,
    rules::invalid_value::InvalidValue::META,
    rules::value_out_of_range::ValueOutOfRange::META,
    rules::conflicting_fields::ConflictingFields::META,
    rules::unknown_start_state::UnknownStartState::META,
    rules::duplicate_state_name::DuplicateStateName::META,
    rules::unreachable_state::UnreachableState::META,
    rules::unknown_transition_target::UnknownTransitionTarget::META,
    rules::missing_terminal_state::MissingTerminalState::META,
    rules::choice_rule_missing_next::ChoiceRuleMissingNext::META,
    rules::nested_choice_rule_next::NestedChoiceRuleNext::META,
    rules::malformed_choice_rule::MalformedChoiceRule::META,
    rules::unknown_choice_rule_field::UnknownChoiceRuleField::META,
    rules::choice_operand_type_mismatch::ChoiceOperandTypeMismatch::META,
    rules::invalid_timestamp::InvalidTimestamp::META,
    rules::unknown_service_integration::UnknownServiceIntegration::META,
    rules::malformed_resource_arn::MalformedResourceArn::META,
    rules::unsupported_in_express::UnsupportedInExpress::META,
    rules::heartbeat_not_below_timeout::HeartbeatNotBelowTimeout::META,
    rules::misplaced_states_all::MisplacedStatesAll::META,
    rules::state_name_too_long::StateNameTooLong::META,
    rules::invalid_map_label::InvalidMapLabel::META,
    rules::duplicate_map_label::DuplicateMapLabel::META,
    rules::invalid_path::InvalidPath::META,
    rules::invalid_reference_path::InvalidReferencePath::META,
    rules::invalid_payload_expression::InvalidPayloadExpression::META,
    rules::unknown_intrinsic_function::UnknownIntrinsicFunction::META,
    rules::intrinsic_argument_mismatch::IntrinsicArgumentMismatch::META,
    rules::intrinsic_nesting_too_deep::IntrinsicNestingTooDeep::META,
    rules::duplicate_payload_key::DuplicatePayloadKey::META,
    rules::fail_path_intrinsic_not_string::FailPathIntrinsicNotString::META,
    rules::path_trailing_whitespace::PathTrailingWhitespace::META,
    rules::field_wrong_query_language::FieldWrongQueryLanguage::META,
    rules::query_language_downgrade::QueryLanguageDowngrade::META,
    rules::malformed_jsonata_template::MalformedJsonataTemplate::META,
    rules::jsonpath_key_in_jsonata_state::JsonpathKeyInJsonataState::META,
    rules::missing_dollar_suffix::MissingDollarSuffix::META,
    rules::path_in_non_path_field::PathInNonPathField::META,
    rules::path_in_pass_result::PathInPassResult::META,
    rules::invalid_jsonata_expression::InvalidJsonataExpression::META,
    rules::jsonata_top_level_reference::JsonataTopLevelReference::META,
    rules::unavailable_states_field::UnavailableStatesField::META,
    rules::unassigned_variable::UnassignedVariable::META,
    rules::unused_variable::UnusedVariable::META,
    rules::shadowed_variable::ShadowedVariable::META,
    rules::task_token_not_passed::TaskTokenNotPassed::META,
    rules::task_without_timeout::TaskWithoutTimeout::META,
    rules::callback_without_heartbeat::CallbackWithoutHeartbeat::META,
    rules::lambda_errors_not_retried::LambdaErrorsNotRetried::META,
    rules::shadowed_error_handler::ShadowedErrorHandler::META,
    rules::unhandleable_error::UnhandleableError::META,
    rules::throttling_retry_without_backoff::ThrottlingRetryWithoutBackoff::META,
    rules::retry_budget_exceeds_timeout::RetryBudgetExceedsTimeout::META,
    rules::choice_without_default::ChoiceWithoutDefault::META,
    rules::deprecated_map_field::DeprecatedMapField::META,
    rules::loop_without_exit::LoopWithoutExit::META,
    rules::busy_loop::BusyLoop::META,
    rules::map_concurrency::MapWithoutConcurrencyLimit::META,
    rules::distributed_map_without_tolerance::DistributedMapWithoutTolerance::META,
    rules::express_duration_limit::ExpressDurationLimit::META,
    rules::hard_coded_arn_in_template::HardCodedArnInTemplate::META,
    rules::result_path_replaces_input::ResultPathReplacesInput::META,
    rules::payload_too_large::PayloadTooLarge::META,
];

/// `docs/rules.md`: every rule's documentation, generated from the doc comments.
pub fn rules_markdown() -> String {
    let mut out = String::from(
        "# aslkit rules\n\n<!-- Generated from the rules' doc comments by `ASLKIT_BLESS=1 cargo test --test generated`; do not edit. -->\n\n",
    );
    out.push_str("| code | name | severity | group | fix | summary |\n|---|---|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| [{}](#{}) | `{}` | {} | {} | {} | {} |\n",
            r.code,
            r.code.to_lowercase(),
            r.name,
            r.severity.as_str(),
            r.group.as_str(),
            if r.fixable { "yes" } else { "" },
            r.summary
        ));
    }
    for r in RULES {
        // Demote the doc headings one level under the rule's own heading.
        let docs = r.docs_text().replace("\n## ", "\n### ");
        let docs = docs.strip_prefix("## ").map(|d| format!("### {d}")).unwrap_or(docs);
        out.push_str(&format!(
            "\n## {}\n\n`{}` — {}\n\n{}\n",
            r.code, r.name, r.summary, docs
        ));
    }
    out
}

/// Looks a rule up by code (case-insensitive) or by name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_well_formed() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} must sort before {}",
                pair[0].code,
                pair[1].code
            );
        }
        for r in RULES {
            assert!(r.code.len() == 6 && r.code.starts_with("ASL"), "bad code {}", r.code);
            assert!(r.code[3..].chars().all(|c| c.is_ascii_digit()), "bad code {}", r.code);
        }
        let mut names: Vec<_> = RULES.iter().map(|r| r.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), RULES.len(), "rule names must be unique");
    }

    #[test]
    fn names_describe_problems() {
        for r in RULES {
            assert!(
                !r.name.starts_with("no-"),
                "{}: names describe the problem, no `no-` prefix",
                r.name
            );
            assert!(
                r.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{}: kebab-case",
                r.name
            );
        }
    }

    #[test]
    fn every_rule_is_documented_with_the_fixed_headings() {
        for r in RULES {
            let docs = r.docs_text();
            for heading in [
                "## What it does",
                "## Why it matters",
                "## Example",
                "## Use instead",
                "## References",
            ] {
                assert!(docs.contains(heading), "{} ({}) lacks `{heading}`", r.code, r.name);
            }
            assert!(
                !r.summary.is_empty() && !r.summary.ends_with('.'),
                "{}: one-line summary without a period",
                r.code
            );
        }
    }
}
