//! Recognising JSONata templates: strings written `{% expression %}`.
//!
//! In a JSONata state, a string value whose text starts with `{%` and ends with `%}` is a JSONata
//! expression; any other string is a literal. A string that opens with `{%` but never closes is a
//! mistake Step Functions rejects. This module only finds the expression; parsing JSONata itself
//! is the JSONata engine's job.

/// What a string is, as far as JSONata templates go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonataString<'a> {
    /// `{% body %}`: `body` is the text between the delimiters, untrimmed.
    Expression { body: &'a str },
    /// Starts with `{%` but does not end with `%}`.
    Unterminated,
    /// A plain string.
    Literal,
}

/// Classifies a string value.
pub fn classify(s: &str) -> JsonataString<'_> {
    match s.strip_prefix("{%") {
        None => JsonataString::Literal,
        Some(rest) => match rest.strip_suffix("%}") {
            Some(body) => JsonataString::Expression { body },
            None => JsonataString::Unterminated,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_templates() {
        assert_eq!(
            classify("{% $states.input %}"),
            JsonataString::Expression {
                body: " $states.input "
            }
        );
        assert_eq!(classify("{%%}"), JsonataString::Expression { body: "" });
        assert_eq!(classify("{% 10 %"), JsonataString::Unterminated);
        assert_eq!(classify("{%"), JsonataString::Unterminated);
        assert_eq!(classify("10 %}"), JsonataString::Literal);
        assert_eq!(classify(" {% x %}"), JsonataString::Literal);
    }
}
