//! "Did you mean …?" suggestions by edit distance.
//!
//! Bounded: candidates whose length alone rules them out are skipped without comparing, and at
//! most [`MAX_COMPARISONS`] edit distances are computed per word, so a definition with tens of
//! thousands of names costs no more than one with a few hundred.

/// Unknown transition targets per machine that get a "did you mean": a machine with thousands
/// of them is generated, not misspelt.
pub const MAX_SUGGESTED_TARGETS: usize = 200;

/// Edit distances computed for one word at most.
pub const MAX_COMPARISONS: usize = 2000;

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
    // A character is at most 4 bytes: a byte-length difference over 4 × limit is too far.
    let byte_room = limit * 4;
    candidates
        .into_iter()
        .filter(|c| *c != word && c.len().abs_diff(word.len()) <= byte_room)
        .take(MAX_COMPARISONS)
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
