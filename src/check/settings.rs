//! Which rules run, and how loud each one is: the resolved rule settings for one file.
//!
//! `aslkit validate` runs the validate group at its default severities. `aslkit lint` adds the
//! lint group and honours `aslkit.toml` and `--select` / `--ignore`, which the CLI resolves
//! into one [`RuleSettings`] per file before checking. Selectors are rule codes (`ASL302`),
//! code prefixes (`ASL3`), rule names (`task-without-timeout`) or `ALL`, as in ruff.
//!
//! The settings are applied in one place, [`RuleSettings::apply`], after every rule and the
//! schema have reported, so a finding from the loader or the schema obeys them as a rule's does.

use std::collections::BTreeMap;

use super::registry::{Group, RuleMeta, RULES};
use crate::diagnostic::{Diagnostic, Severity};

/// A per-state suppression: `{ rule = "ASL302", state = "LegacyImport" }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateIgnore {
    /// A selector (code, prefix, name or `ALL`).
    pub rule: String,
    /// A state name, in any scope of the machine.
    pub state: String,
}

/// The resolved rule settings for one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSettings {
    /// Run the lint group too (`aslkit lint`).
    pub lint: bool,
    /// When set, only these rules run (replaces the default: every rule of the command's groups).
    pub select: Option<Vec<String>>,
    /// Added to the selection.
    pub extend_select: Vec<String>,
    /// Removed from the selection; wins over `select`.
    pub ignore: Vec<String>,
    /// Severity overrides by selector; the most specific selector (the longest) wins.
    pub severity: BTreeMap<String, Severity>,
    /// Findings inside these states are dropped.
    pub state_ignores: Vec<StateIgnore>,
}

/// Whether `selector` names `rule`: its code, a prefix of its code, its name, or `ALL`.
pub fn matches(selector: &str, rule: &RuleMeta) -> bool {
    selector.eq_ignore_ascii_case("ALL")
        || selector == rule.name
        || (selector.len() >= 3
            && rule.code.len() >= selector.len()
            && rule.code[..selector.len()].eq_ignore_ascii_case(selector))
}

/// Whether `selector` names at least one rule (for "unknown rule" errors).
pub fn is_known_selector(selector: &str) -> bool {
    RULES.iter().any(|r| matches(selector, r))
}

impl RuleSettings {
    /// The settings of `aslkit lint` with no configuration: every rule at its default severity.
    pub fn lint() -> Self {
        RuleSettings {
            lint: true,
            ..RuleSettings::default()
        }
    }

    /// Whether a rule runs.
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        let in_groups = rule.group == Group::Validate || self.lint;
        let selected = match &self.select {
            Some(select) => select.iter().any(|s| matches(s, rule)),
            None => in_groups,
        } || self.extend_select.iter().any(|s| matches(s, rule));
        selected && in_groups && !self.ignore.iter().any(|s| matches(s, rule))
    }

    /// A rule's severity after overrides.
    pub fn severity(&self, rule: &RuleMeta) -> Severity {
        self.severity
            .iter()
            .filter(|(selector, _)| matches(selector, rule))
            .max_by_key(|(selector, _)| {
                if selector.eq_ignore_ascii_case("ALL") {
                    0
                } else {
                    selector.len()
                }
            })
            .map_or(rule.severity, |(_, &severity)| severity)
    }

    /// Drops the findings of rules that do not run and those inside ignored states, and sets
    /// each remaining finding's severity. `machine_pointers` are the pointers of the machines
    /// in the file (state names are looked up below them).
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>, machine_pointers: &[&str]) {
        if *self == RuleSettings::default() {
            return;
        }
        diagnostics.retain_mut(|d| {
            let Some(rule) = super::registry::find(d.code) else {
                return true;
            };
            if !self.enabled(rule) {
                return false;
            }
            let pointer = d.location.as_ref().map(|l| l.pointer.as_str()).unwrap_or_default();
            let ignored_state = self.state_ignores.iter().any(|ignore| {
                matches(&ignore.rule, rule)
                    && machine_pointers
                        .iter()
                        .any(|machine| in_state(pointer, machine, &ignore.state))
            });
            if ignored_state {
                return false;
            }
            d.severity = self.severity(rule);
            true
        });
    }
}

/// Whether `pointer` lies inside a state named `state` of the machine at `machine` (in any
/// scope: `…/States/<state>` followed by the end or a `/`).
fn in_state(pointer: &str, machine: &str, state: &str) -> bool {
    let Some(rest) = pointer.strip_prefix(machine) else {
        return false;
    };
    let token = format!("/States/{}", crate::pointer::escape_token(state));
    let mut from = 0;
    while let Some(i) = rest[from..].find(&token) {
        let end = from + i + token.len();
        if rest.len() == end || rest[end..].starts_with('/') {
            return true;
        }
        from = end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(code: &str) -> &'static RuleMeta {
        super::super::registry::find(code).expect("registered")
    }

    #[test]
    fn validate_runs_only_the_validate_group() {
        let settings = RuleSettings::default();
        assert!(settings.enabled(rule("ASL104")));
        assert!(!settings.enabled(rule("ASL301")));
        assert!(RuleSettings::lint().enabled(rule("ASL301")));
    }

    #[test]
    fn select_ignore_and_prefixes() {
        let settings = RuleSettings {
            lint: true,
            select: Some(vec!["ASL1".into()]),
            extend_select: vec!["ASL301".into()],
            ignore: vec!["unreachable-state".into()],
            ..RuleSettings::default()
        };
        assert!(settings.enabled(rule("ASL104")));
        assert!(!settings.enabled(rule("ASL103")));
        assert!(settings.enabled(rule("ASL301")));
        assert!(!settings.enabled(rule("ASL220")));
    }

    #[test]
    fn the_most_specific_severity_wins() {
        let mut settings = RuleSettings::lint();
        settings.severity.insert("ALL".into(), Severity::Info);
        settings.severity.insert("ASL3".into(), Severity::Error);
        settings.severity.insert("ASL301".into(), Severity::Warning);
        assert_eq!(settings.severity(rule("ASL104")), Severity::Info);
        assert_eq!(settings.severity(rule("ASL302")), Severity::Error);
        assert_eq!(settings.severity(rule("ASL301")), Severity::Warning);
    }

    #[test]
    fn state_pointers() {
        assert!(in_state("/States/Legacy/Retry/0", "", "Legacy"));
        assert!(in_state("/States/Legacy", "", "Legacy"));
        assert!(!in_state("/States/LegacyImport", "", "Legacy"));
        assert!(in_state("/States/M/ItemProcessor/States/Legacy/Next", "", "Legacy"));
        assert!(in_state(
            "/Resources/M/Properties/Definition/States/A~1B",
            "/Resources/M/Properties/Definition",
            "A/B"
        ));
    }
}
