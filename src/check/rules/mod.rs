//! One file per rule (STYLE.md conventions 1–4). Each file declares its rule with
//! `declare_rule!` (doc comment = user documentation) and, unless the code is reported by the
//! loader or the schema, implements `fn check(ctx: &mut Context)`. Register new rules in
//! `registry.rs`, sorted by code.

pub mod choice_operand_type_mismatch;
pub mod choice_rule_missing_next;
pub mod conflicting_fields;
pub mod definition_file_not_json;
pub mod definition_not_object;
pub mod definition_too_large;
pub mod duplicate_key;
pub mod duplicate_map_label;
pub mod duplicate_payload_key;
pub mod duplicate_state_name;
pub mod fail_path_intrinsic_not_string;
pub mod field_wrong_query_language;
pub mod heartbeat_not_below_timeout;
pub mod internal_error;
pub mod intrinsic_argument_mismatch;
pub mod intrinsic_nesting_too_deep;
pub mod invalid_jsonata_expression;
pub mod invalid_map_label;
pub mod invalid_path;
pub mod invalid_payload_expression;
pub mod invalid_reference_path;
pub mod invalid_timestamp;
pub mod invalid_type;
pub mod invalid_value;
pub mod io_error;
pub mod json_syntax_error;
pub mod jsonpath_key_in_jsonata_state;
pub mod malformed_choice_rule;
pub mod malformed_jsonata_template;
pub mod malformed_resource_arn;
pub mod misplaced_states_all;
pub mod missing_dollar_suffix;
pub mod missing_required_field;
pub mod missing_terminal_state;
pub mod nested_choice_rule_next;
pub mod path_in_non_path_field;
pub mod path_in_pass_result;
pub mod query_language_downgrade;
pub mod state_name_too_long;
pub mod unknown_choice_rule_field;
pub mod unknown_definition_substitution;
pub mod unknown_field;
pub mod unknown_intrinsic_function;
pub mod unknown_service_integration;
pub mod unknown_start_state;
pub mod unknown_transition_target;
pub mod unreachable_state;
pub mod unsupported_in_express;
pub mod value_out_of_range;
