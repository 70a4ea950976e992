//! A line diff of two JSON values, pretty-printed: what the reports show for a failed
//! expectation. The longest common subsequence of lines, with a few lines of context around
//! each change; values too large to compare line by line are shown whole, one after the other.

use serde_json::Value;

/// One line of a diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// In both.
    Same(String),
    /// Expected only.
    Expected(String),
    /// Actual only.
    Actual(String),
    /// Unchanged lines left out.
    Elided(usize),
}

/// Lines of context kept around each change.
const CONTEXT: usize = 3;
/// Past this many lines on a side, the LCS table would be too large: show both values whole.
const MAX_LINES: usize = 2_000;

/// The diff from `expected` to `actual`.
pub fn diff(expected: &Value, actual: &Value) -> Vec<Line> {
    let a = pretty(expected);
    let b = pretty(actual);
    let a: Vec<&str> = a.lines().collect();
    let b: Vec<&str> = b.lines().collect();
    if a.len() > MAX_LINES || b.len() > MAX_LINES {
        return a
            .iter()
            .map(|l| Line::Expected(l.to_string()))
            .chain(b.iter().map(|l| Line::Actual(l.to_string())))
            .collect();
    }
    elide(lcs(&a, &b))
}

/// Pretty JSON, as the suite's author would write it.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

fn lcs(a: &[&str], b: &[&str]) -> Vec<Line> {
    let (n, m) = (a.len(), b.len());
    let mut table = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n.max(m));
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push(Line::Same(a[i].to_string()));
            i += 1;
            j += 1;
        } else if j < m && (i == n || table[i][j + 1] >= table[i + 1][j]) {
            out.push(Line::Actual(b[j].to_string()));
            j += 1;
        } else {
            out.push(Line::Expected(a[i].to_string()));
            i += 1;
        }
    }
    // Expected lines first within each run of changes, as diffs are read.
    let mut start = 0;
    while start < out.len() {
        let mut end = start;
        while end < out.len() && !matches!(out[end], Line::Same(_)) {
            end += 1;
        }
        out[start..end].sort_by_key(|l| !matches!(l, Line::Expected(_)));
        start = end + 1;
    }
    out
}

fn elide(lines: Vec<Line>) -> Vec<Line> {
    let changed: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !matches!(l, Line::Same(_)))
        .map(|(i, _)| i)
        .collect();
    let near = |i: usize| changed.iter().any(|&c| c.abs_diff(i) <= CONTEXT);
    let mut out = Vec::new();
    let mut skipped = 0;
    for (i, line) in lines.into_iter().enumerate() {
        if matches!(line, Line::Same(_)) && !near(i) {
            skipped += 1;
            continue;
        }
        if skipped > 0 {
            out.push(Line::Elided(skipped));
            skipped = 0;
        }
        out.push(line);
    }
    if skipped > 0 {
        out.push(Line::Elided(skipped));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn changed_lines_with_context() {
        let d = diff(&json!({"a": 1, "b": 2}), &json!({"a": 1, "b": 3}));
        assert_eq!(
            d,
            vec![
                Line::Same("{".into()),
                Line::Same("  \"a\": 1,".into()),
                Line::Expected("  \"b\": 2".into()),
                Line::Actual("  \"b\": 3".into()),
                Line::Same("}".into()),
            ]
        );
    }

    #[test]
    fn far_lines_are_elided() {
        let many: serde_json::Map<String, Value> = (0..20).map(|i| (format!("k{i:02}"), json!(i))).collect();
        let mut changed = many.clone();
        changed.insert("k19".into(), json!("x"));
        let d = diff(&Value::Object(many), &Value::Object(changed));
        assert!(matches!(d[0], Line::Elided(17)), "{d:?}");
        assert_eq!(d.iter().filter(|l| matches!(l, Line::Actual(_))).count(), 1);
    }
}
