//! A claim file parsed again after an edit inside one of its claims (an
//! editor's keystroke): only that claim's item is parsed, and the claims
//! after it move by the edit's length. Anything else (an edit across
//! claims, in the header, in a file with problems, or one whose item no
//! longer reads as exactly one clean claim) is left to a whole parse,
//! which alone reports problems.

use super::claims::{Loaded, load};
use crate::model::files::File;
use crate::model::{Claim, FileId};

/// What the parse of `new` would give, found from the parse of `old` by
/// parsing again only the claim the edit falls in; `None` when that cannot
/// be told and the whole file must be parsed.
pub fn edited(old: &str, parsed: &Loaded, new: &str, rules: &[&'static str]) -> Option<Loaded> {
    // A file with problems is parsed whole: its problems are the file's, not a claim's.
    if !parsed.problems.is_empty() || parsed.claims.is_empty() {
        return None;
    }
    let (start, old_end) = changed(old, new);
    let delta = new.len() as isize - old.len() as isize;
    let items: Vec<usize> = parsed.claims.iter().map(|c| item_start(old, c).map(|(line, _)| line)).collect::<Option<_>>()?;
    // The item the change falls in: from its line to the next item's.
    let i = items.partition_point(|&s| s <= start).checked_sub(1)?;
    let item_end = items.get(i + 1).copied().unwrap_or(old.len());
    if old_end > item_end {
        return None;
    }
    let new_item = &new[items[i]..item_end.checked_add_signed(delta)?];
    // The next item must still begin a line.
    if i + 1 < items.len() && !new_item.ends_with('\n') {
        return None;
    }
    let claim = one_claim(new_item, items[i], parsed.claims[i].file, rules)?;
    // The new item must still begin as a block item, its marker where it
    // was: alone, an item at another column would read, in its file not.
    if item_start(new, &claim)? != item_start(old, &parsed.claims[i])? {
        return None;
    }
    let mut claims = parsed.claims.clone();
    claims[i] = claim;
    for c in &mut claims[i + 1..] {
        c.shift(delta);
    }
    Some(Loaded { claims, problems: Vec::new() })
}

/// The changed range of the old text: where the texts first differ, and
/// where their common end begins.
fn changed(old: &str, new: &str) -> (usize, usize) {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let room = a.len().min(b.len()) - prefix;
    let suffix = a.iter().rev().zip(b.iter().rev()).take(room).take_while(|(x, y)| x == y).count();
    (prefix, a.len() - suffix)
}

/// Where a claim's item begins (the start of the line of its `- ` marker)
/// and what stands before the claim on that line; `None` unless that is
/// only indentation and the marker (a block sequence, one item a line).
fn item_start<'t>(text: &'t str, c: &Claim) -> Option<(usize, &'t str)> {
    let at = c.span.start;
    let line = text.get(..at)?.rfind('\n').map_or(0, |n| n + 1);
    let lead = &text[line..at];
    (lead.trim() == "-" && lead.trim_start().starts_with("- ")).then_some((line, lead))
}

/// The one claim an item's text holds, placed at `offset` in the file;
/// `None` unless it reads as exactly one claim without problems.
fn one_claim(item: &str, offset: usize, file: FileId, rules: &[&'static str]) -> Option<Claim> {
    const HEADER: &str = "claims:\n";
    let text = format!("{HEADER}{item}");
    let loaded = load(file, &File::new(String::new(), std::path::PathBuf::new(), std::sync::Arc::new(text)), rules);
    let [mut claim]: [Claim; 1] = loaded.claims.try_into().ok()?;
    if !loaded.problems.is_empty() {
        return None;
    }
    claim.shift(offset as isize - HEADER.len() as isize);
    Some(claim)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLES: &str = r#"# claims of a story
claims:
  - id: plain
    statement: Italy has 11 stations, the report says
    source: s.txt
    quote: the largest number of unofficial Chinese police stations
    allow: [quote-too-short]
  - id: quoted   # a comment after the id
    source: "s.txt"
    quote: 'He said: ''yes'', and left'
  - id: cited
    citations:
      - source: t.txt
        quote: >
          folded text
          over two lines
      - source: u.txt
        quote: |
          a literal block
          kept as it is
    figures:
      stations: 11

  - {id: flow, source: s.txt, quote: "escaped \" and \u00e9 here"}
  - id: last
    source: s.txt
    quote: "the end"
# trailing comment
"#;

    const RULES: &[&str] = &["quote-too-short"];
    const TRIALS: usize = 2000;

    fn parse(text: &str) -> Loaded {
        load(FileId(7), &File::new(String::new(), std::path::PathBuf::new(), std::sync::Arc::new(text.to_owned())), RULES)
    }

    /// A small random number generator (xorshift), fixed seed: the same edits every run.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// One keystroke at a random place: a character typed, deleted or replaced.
    fn keystroke(text: &str, rng: &mut Rng) -> String {
        const TYPED: &[&str] = &["a", "Z", " ", "'", "\"", ":", "#", "\n", "- ", "{", "}", "\\", "é", "\t", ",", "  "];
        let bounds: Vec<usize> = (0..=text.len()).filter(|&i| text.is_char_boundary(i)).collect();
        let at = bounds[rng.next(bounds.len())];
        let next = bounds.iter().copied().find(|&b| b > at).unwrap_or(at);
        let typed = TYPED[rng.next(TYPED.len())];
        match rng.next(3) {
            0 => format!("{}{typed}{}", &text[..at], &text[at..]),
            1 => format!("{}{}", &text[..at], &text[next..]),
            _ => format!("{}{typed}{}", &text[..at], &text[next..]),
        }
    }

    #[test]
    fn a_claim_parsed_again_alone_equals_the_whole_file_parsed() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut incremental, mut trials) = (0, 0);
        for base in [STYLES.to_owned(), STYLES.replace("\n  - ", "\n- ").replace("\n    ", "\n  ")] {
            let mut old = base.clone();
            let mut parsed = parse(&old);
            assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
            for _ in 0..TRIALS {
                trials += 1;
                let new = keystroke(&old, &mut rng);
                let whole = parse(&new);
                if let Some(quick) = edited(&old, &parsed, &new, RULES) {
                    incremental += 1;
                    assert!(whole.problems.is_empty(), "quick parse of a file with problems:\n{new}");
                    assert_eq!(format!("{:?}", quick.claims), format!("{:?}", whole.claims), "after the edit:\n{new}");
                }
                // Keystrokes go on from a clean file; a broken one goes back to the start.
                (old, parsed) = if whole.problems.is_empty() { (new, whole) } else { (base.clone(), parse(&base)) };
            }
        }
        assert!(incremental * 3 > trials, "the quick path ran {incremental} times of {trials}");
    }

    #[test]
    fn an_edit_across_claims_or_in_the_header_is_parsed_whole() {
        let parsed = parse(STYLES);
        let across = STYLES.replace("quote: 'He said: ''yes'', and left'\n  - id: cited", "quote: 'He said'\n  - id: cited2");
        assert!(parse(&across).problems.is_empty());
        assert!(edited(STYLES, &parsed, &across, RULES).is_none(), "an edit across two claims");
        let header = STYLES.replace("claims:\n", "claim:\n");
        assert!(edited(STYLES, &parsed, &header, RULES).is_none());
        let two = STYLES.replace("  - id: last\n", "  - id: one\n    source: s.txt\n    quote: x\n  - id: last\n");
        assert!(edited(STYLES, &parsed, &two, RULES).is_none(), "a new claim is not a claim edited");
    }
}
