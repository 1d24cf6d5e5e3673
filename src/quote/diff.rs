//! A word diff of a quote against the source text, for help lines.

use similar::{ChangeTag, TextDiff};

/// What became of a run of words between a quote and the source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Same,
    /// In the quote, not in the source.
    Removed,
    /// In the source, not in the quote.
    Added,
}

/// `old` against `new`, word by word: runs of words with what became of them.
pub fn word_changes(old: &str, new: &str) -> Vec<(Change, String)> {
    let diff = TextDiff::configure().diff_words(old, new);
    let mut out: Vec<(Change, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let tag = match change.tag() {
            ChangeTag::Equal => Change::Same,
            ChangeTag::Delete => Change::Removed,
            ChangeTag::Insert => Change::Added,
        };
        match out.last_mut() {
            Some((t, run)) if *t == tag => run.push_str(change.value()),
            _ => out.push((tag, change.value().to_owned())),
        }
    }
    out
}

/// `old` against `new`, word by word: removed words as `[-…-]`, added ones as `{+…+}`.
pub fn word_diff(old: &str, new: &str) -> String {
    let mut out = String::new();
    for (change, run) in word_changes(old, new) {
        match change {
            Change::Same => out.push_str(&run),
            Change::Removed => out.push_str(&format!("[-{run}-]")),
            Change::Added => out.push_str(&format!("{{+{run}+}}")),
        }
    }
    // Keep the spaces outside the markers: `[-a -]` reads worse than `[-a-] `.
    out.replace(" -]", "-] ").replace(" +}", "+} ").replace("  ", " ").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::word_diff;

    #[test]
    fn marks_changed_words() {
        assert_eq!(
            word_diff("48 other stations, 12 of which", "48 other stations, 11 of which"),
            "48 other stations, [-12-]{+11+} of which"
        );
        assert_eq!(word_diff("a b c", "a c"), "a [-b-] c");
        assert_eq!(word_diff("same words", "same words"), "same words");
    }
}
