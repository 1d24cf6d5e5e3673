//! "Did you mean" suggestions for misspelt names (fields, rules, files).

/// The candidate closest to `word`, when it is close enough to be a typo.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_near_misses_only() {
        let fields = ["id", "statement", "source", "quote", "citations"];
        assert_eq!(closest("qoute", fields), Some("quote"));
        assert_eq!(closest("sources", fields), Some("source"));
        assert_eq!(closest("zzz", fields), None);
    }
}
