//! "Did you mean …?" suggestions by edit distance.

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub fn closest<'c, I>(word: &str, candidates: I) -> Option<&'c str>
where
    I: IntoIterator<Item = &'c str>,
{
    // Case differences are free; past that, allow about one edit per three characters, and
    // never as many edits as the word has characters ("B" is not a typo of "A").
    let len = word.chars().count();
    let limit = ((len + 1) / 3).max(1);
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != word)
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= limit && *d < len)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// `help` text for a suggestion: `did you mean "Ship"?`.
pub fn did_you_mean<'c, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'c str>,
{
    closest(word, candidates).map(|c| format!("did you mean \"{c}\"?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("Shipp", ["Ship", "Charge"]), Some("Ship"));
        assert_eq!(closest("nxt", ["Next", "End"]), Some("Next"));
        assert_eq!(closest("Completely", ["Ship", "Charge"]), None);
        assert_eq!(closest("resultpath", ["ResultPath"]), Some("ResultPath"));
        assert_eq!(closest("B", ["A"]), None);
        assert_eq!(closest("Tsk", ["Task", "Pass"]), Some("Task"));
    }
}
