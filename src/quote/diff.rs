//! A word diff of a quote against the source text, for help lines.

use similar::{ChangeTag, TextDiff};

/// `old` against `new`, word by word: removed words as `[-…-]`, added ones as `{+…+}`.
pub fn word_diff(old: &str, new: &str) -> String {
    let diff = TextDiff::configure().diff_words(old, new);
    let mut out = String::new();
    let mut open: Option<ChangeTag> = None;
    for change in diff.iter_all_changes() {
        let tag = change.tag();
        let value = change.value();
        if open != Some(tag) {
            close(&mut out, open);
            match tag {
                ChangeTag::Delete => out.push_str("[-"),
                ChangeTag::Insert => out.push_str("{+"),
                ChangeTag::Equal => {}
            }
            open = Some(tag);
        }
        out.push_str(value);
    }
    close(&mut out, open);
    // Keep the spaces outside the markers: `[-a -]` reads worse than `[-a-] `.
    out.replace(" -]", "-] ").replace(" +}", "+} ").replace("  ", " ").trim().to_owned()
}

fn close(out: &mut String, open: Option<ChangeTag>) {
    match open {
        Some(ChangeTag::Delete) => out.push_str("-]"),
        Some(ChangeTag::Insert) => out.push_str("+}"),
        _ => {}
    }
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
