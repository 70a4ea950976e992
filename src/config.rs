//! `aslkit.toml`: the lint configuration, found by walking up from each checked file.
//!
//! Input: a file path (or `--config FILE`). Output: the [`RuleSettings`] for that file — the
//! configuration's `select` / `extend-select` / `ignore` / `severity`, its `per-file-ignores`
//! whose globs match the file (relative to the configuration's directory), and its
//! `per-state-ignores`. An unknown key, an unknown rule code or a bad severity is a
//! [`ConfigError`] that names the file and the line, never a silent default.
//!
//! ```toml
//! ignore = ["ASL303"]
//! extend-select = []
//! per-state-ignores = [{ rule = "ASL302", state = "LegacyImport" }]
//!
//! [severity]
//! ASL309 = "error"
//!
//! [per-file-ignores]
//! "legacy/**" = ["ASL3"]
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::Deserialize;
use toml::Spanned;

use crate::check::settings::{is_known_selector, RuleSettings, StateIgnore};
use crate::diagnostic::Severity;

/// The configuration file's name.
pub const FILE_NAME: &str = "aslkit.toml";

/// Configuration files larger than this are refused (a configuration is a few lines).
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A configuration file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: String,
    pub line: Option<usize>,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    per_file_ignores: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    per_state_ignores: Vec<Spanned<RawStateIgnore>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStateIgnore {
    rule: Spanned<String>,
    state: String,
}

/// One loaded configuration file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    settings: RuleSettings,
    per_file_ignores: Vec<(String, globset::GlobMatcher, Vec<String>)>,
}

impl Config {
    /// Reads and checks a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let error = |line: Option<usize>, message: String| ConfigError {
            path: display.clone(),
            line,
            message,
        };
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > MAX_CONFIG_BYTES {
            return Err(error(None, format!("larger than {MAX_CONFIG_BYTES} bytes")));
        }
        let text = std::fs::read_to_string(path).map_err(|e| error(None, format!("cannot read: {e}")))?;
        Config::parse(path, &text)
    }

    /// Parses the text of a configuration file found at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let display = path.display().to_string();
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let error = |offset: Option<usize>, message: String| ConfigError {
            path: display.clone(),
            line: offset.map(line_of),
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().trim().to_string();
            error(e.span().map(|s| s.start), message)
        })?;
        let selectors = |list: &[Spanned<String>]| -> Result<Vec<String>, ConfigError> {
            list.iter()
                .map(|s| {
                    if is_known_selector(s.get_ref()) {
                        Ok(s.get_ref().clone())
                    } else {
                        Err(error(Some(s.span().start), unknown_rule(s.get_ref())))
                    }
                })
                .collect()
        };
        let mut settings = RuleSettings::lint();
        if let Some(select) = &raw.select {
            settings.select = Some(selectors(select)?);
        }
        settings.extend_select = selectors(&raw.extend_select)?;
        settings.ignore = selectors(&raw.ignore)?;
        for (rule, level) in &raw.severity {
            let at = Some(level.span().start);
            if !is_known_selector(rule) {
                return Err(error(at, unknown_rule(rule)));
            }
            let severity = match level.get_ref().as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "info" => Severity::Info,
                other => {
                    return Err(error(
                        at,
                        format!("severity `{other}` for {rule}: use \"error\", \"warning\" or \"info\""),
                    ))
                }
            };
            settings.severity.insert(rule.clone(), severity);
        }
        for ignore in &raw.per_state_ignores {
            let rule = &ignore.get_ref().rule;
            if !is_known_selector(rule.get_ref()) {
                return Err(error(Some(rule.span().start), unknown_rule(rule.get_ref())));
            }
            settings.state_ignores.push(StateIgnore {
                rule: rule.get_ref().clone(),
                state: ignore.get_ref().state.clone(),
            });
        }
        let mut per_file_ignores = Vec::new();
        for (pattern, rules) in &raw.per_file_ignores {
            let at = Some(rules.span().start);
            let glob = globset::GlobBuilder::new(pattern)
                .literal_separator(true)
                .build()
                .map_err(|e| error(at, format!("per-file-ignores pattern `{pattern}`: {e}")))?;
            per_file_ignores.push((pattern.clone(), glob.compile_matcher(), selectors(rules.get_ref())?));
        }
        Ok(Config {
            path: path.to_path_buf(),
            settings,
            per_file_ignores,
        })
    }

    /// The settings for `file`: the configuration's, with the per-file ignores whose glob
    /// matches the file's path relative to the configuration's directory.
    pub fn settings_for(&self, file: Option<&Path>) -> RuleSettings {
        let mut settings = self.settings.clone();
        let base = self.path.parent().unwrap_or(Path::new(""));
        if let Some(file) = file {
            let absolute = absolute(file);
            let relative = absolute.strip_prefix(absolute_dir(base)).unwrap_or(&absolute);
            for (_, glob, rules) in &self.per_file_ignores {
                if glob.is_match(relative) || glob.is_match(file) {
                    settings.ignore.extend(rules.iter().cloned());
                }
            }
        }
        settings
    }
}

fn unknown_rule(selector: &str) -> String {
    format!("no rule matches `{selector}` (a code like ASL302, a prefix like ASL3, a rule name, or ALL)")
}

fn absolute(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

fn absolute_dir(dir: &Path) -> PathBuf {
    if dir.as_os_str().is_empty() {
        absolute(Path::new("."))
    } else {
        absolute(dir)
    }
}

/// Finds the configuration for files: `--config FILE`, or the nearest `aslkit.toml` above each
/// file (standard input: above the current directory). Each file is read once.
#[derive(Debug, Default)]
pub struct Resolver {
    explicit: Option<Config>,
    /// Directory → the configuration that applies there (`None`: none up to the root).
    found: Mutex<HashMap<PathBuf, Option<Config>>>,
}

impl Resolver {
    /// With `--config FILE`, that file for every input.
    pub fn new(explicit: Option<&Path>) -> Result<Resolver, ConfigError> {
        Ok(Resolver {
            explicit: explicit.map(Config::load).transpose()?,
            found: Mutex::default(),
        })
    }

    /// The configuration that applies to `file` (`None` for standard input: the current
    /// directory's).
    pub fn config_for(&self, file: Option<&Path>) -> Result<Option<Config>, ConfigError> {
        if let Some(config) = &self.explicit {
            return Ok(Some(config.clone()));
        }
        let start = match file {
            Some(f) => absolute(f).parent().map(Path::to_path_buf).unwrap_or_default(),
            None => absolute(Path::new(".")),
        };
        self.search(&start)
    }

    fn search(&self, dir: &Path) -> Result<Option<Config>, ConfigError> {
        if let Ok(found) = self.found.lock() {
            if let Some(config) = found.get(dir) {
                return Ok(config.clone());
            }
        }
        let candidate = dir.join(FILE_NAME);
        let config = if candidate.is_file() {
            Some(Config::load(&candidate)?)
        } else {
            match dir.parent() {
                Some(parent) => self.search(parent)?,
                None => None,
            }
        };
        if let Ok(mut found) = self.found.lock() {
            found.insert(dir.to_path_buf(), config.clone());
        }
        Ok(config)
    }

    /// The settings for `file`: its configuration's, or every rule at its default severity.
    pub fn settings_for(&self, file: Option<&Path>) -> Result<RuleSettings, ConfigError> {
        Ok(match self.config_for(file)? {
            Some(config) => config.settings_for(file),
            None => RuleSettings::lint(),
        })
    }
}

/// The resolved settings of one file as TOML-like text, for `aslkit lint --show-settings`.
pub fn describe(file: &str, config: Option<&Config>, settings: &RuleSettings) -> String {
    let list = |items: &[String]| {
        format!(
            "[{}]",
            items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ")
        )
    };
    let mut out = format!("# {file}\n");
    out.push_str(&format!(
        "config = {}\n",
        config.map_or("none (defaults)".to_string(), |c| format!("\"{}\"", c.path.display()))
    ));
    out.push_str(&format!(
        "select = {}\n",
        settings
            .select
            .as_deref()
            .map_or("[\"ALL\"]  # the default".to_string(), list)
    ));
    out.push_str(&format!("extend-select = {}\n", list(&settings.extend_select)));
    out.push_str(&format!("ignore = {}\n", list(&settings.ignore)));
    let states: Vec<String> = settings
        .state_ignores
        .iter()
        .map(|s| format!("{{ rule = \"{}\", state = \"{}\" }}", s.rule, s.state))
        .collect();
    out.push_str(&format!("per-state-ignores = [{}]\n", states.join(", ")));
    out.push_str("\n[severity]\n");
    for (rule, severity) in &settings.severity {
        out.push_str(&format!("{rule} = \"{}\"\n", severity.as_str()));
    }
    out.push_str("\n# rules that run, with their severity\n");
    for rule in crate::check::RULES.iter().filter(|r| settings.enabled(r)) {
        out.push_str(&format!(
            "# {} {:<32} {}\n",
            rule.code,
            rule.name,
            settings.severity(rule).as_str()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("aslkit.toml"), text)
    }

    #[test]
    fn reads_every_key() {
        let config = parse(
            "select = [\"ASL1\", \"ASL3\"]\nextend-select = [\"ASL220\"]\nignore = [\"ASL303\"]\n\
             per-state-ignores = [{ rule = \"ASL302\", state = \"LegacyImport\" }]\n\
             [severity]\nASL309 = \"error\"\n[per-file-ignores]\n\"legacy/**\" = [\"ASL3\"]\n",
        )
        .unwrap();
        let s = config.settings_for(None);
        assert_eq!(s.select, Some(vec!["ASL1".to_string(), "ASL3".to_string()]));
        assert_eq!(s.ignore, ["ASL303"]);
        assert_eq!(s.severity.get("ASL309"), Some(&Severity::Error));
        assert_eq!(s.state_ignores[0].state, "LegacyImport");
        let legacy = config.settings_for(Some(Path::new("legacy/old.asl.json")));
        assert_eq!(legacy.ignore, ["ASL303", "ASL3"]);
    }

    #[test]
    fn unknown_keys_and_codes_name_the_line() {
        let e = parse("ignore = [\"ASL303\"]\nselct = [\"ASL1\"]\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("selct"), "{e}");
        let e = parse("\nignore = [\"ASL303\",\n  \"ASL999\"]\n").unwrap_err();
        assert_eq!(
            e.to_string(),
            "aslkit.toml:3: no rule matches `ASL999` (a code like ASL302, a prefix like ASL3, a rule name, or ALL)"
        );
        let e = parse("[severity]\nASL309 = \"fatal\"\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = parse("per-state-ignores = [{ rule = \"ASL302\", stat = \"X\" }]\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
