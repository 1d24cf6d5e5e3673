//! Approximate search: the best local alignment of a pattern anywhere in a
//! source, found without scanning the source once per pattern.
//!
//! All patterns of a batch vote in one pass over the source: each 6-byte
//! gram (ASCII case folded) at every fourth offset of the source that a
//! pattern shares votes for the diagonal (source offset minus pattern
//! offset) on which they would align. Only the best few diagonals of each
//! pattern are aligned, with semi-global edit distance (the whole pattern
//! against any substring of a window around the diagonal, in Myers' bit
//! vectors). The alignment is then widened to whole words and its distance
//! measured again, so that a suggested replacement never cuts a word.

use std::collections::HashMap;

use rayon::prelude::*;

use super::myers::{levenshtein, semi_global_within};
use super::vote::{BUCKET, vote};

/// A near match: a normalised source range and how close it is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Near {
    pub start: usize,
    pub end: usize,
    /// Edit distance in bytes between the pattern and the source range.
    pub distance: usize,
    /// The least edit distance between the pattern and any substring of the
    /// source near the match (the semi-global optimum, before the range is
    /// widened to whole words): what an infix aligner such as edlib reports.
    pub optimal: usize,
    /// 1 − optimal / pattern length: see [`similarity`].
    pub similarity: f64,
}

/// A tight window's alignment at least this similar is taken as the best:
/// few edits cannot hide a better alignment in a wider window.
const CLEAR: f64 = 0.9;

/// The best near match of each pattern in `text`, if any pattern gram is shared.
pub fn best_matches(text: &str, patterns: &[&str]) -> Vec<Option<Near>> {
    // Identical patterns vote and align once: many claims may quote the same
    // words, and a gram shared by many patterns would otherwise be dropped as
    // uninformative (regression: 3,000 identical misquotes were not found).
    let mut unique: Vec<&str> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let slots: Vec<usize> = patterns
        .iter()
        .map(|p| {
            *index.entry(p).or_insert_with(|| {
                unique.push(p);
                unique.len() - 1
            })
        })
        .collect();
    let candidates = vote(text.as_bytes(), &unique);
    let found: Vec<Option<Near>> = unique.par_iter().zip(candidates).map(|(p, diags)| best_of(text, p, &diags)).collect();
    slots.into_iter().map(|k| found[k]).collect()
}

fn best_of(text: &str, pattern: &str, diags: &[i64]) -> Option<Near> {
    let first = *diags.first()?;
    // Most near matches are a few edits away on the most-voted diagonal.
    let tight = align_window(text, pattern, first, pattern.len() as i64 / 8 + BUCKET);
    if tight.is_some_and(|n| n.similarity >= CLEAR) {
        return tight;
    }
    let wide = pattern.len() as i64 / 2 + BUCKET;
    // The fewest edits; among equal ones, the passage closest as it is shown.
    diags.iter().filter_map(|&d| align_window(text, pattern, d, wide)).min_by_key(|n| (n.optimal, n.distance))
}

/// Aligns a pattern in the window around diagonal `diag`, `slack` bytes wider on each side.
fn align_window(text: &str, pattern: &str, diag: i64, slack: i64) -> Option<Near> {
    let m = pattern.len() as i64;
    let lo = (diag - slack).clamp(0, text.len() as i64) as usize;
    let hi = (diag + BUCKET + m + slack).clamp(0, text.len() as i64) as usize;
    align_range(text, pattern, lo, hi)
}

/// Aligns a pattern against the best substring of `text[lo..hi]` (the
/// bounds moved back to character boundaries), widened to whole words.
pub(crate) fn align_range(text: &str, pattern: &str, lo: usize, hi: usize) -> Option<Near> {
    align_range_within(text, pattern, lo, hi, pattern.len())
}

/// As [`align_range`], for alignments with at most `k` edits.
pub(crate) fn align_range_within(text: &str, pattern: &str, lo: usize, hi: usize, k: usize) -> Option<Near> {
    let (lo, hi) = (floor_boundary(text, lo), floor_boundary(text, hi));
    if hi <= lo || pattern.is_empty() {
        return None;
    }
    let (optimal, s, e) = semi_global_within(pattern.as_bytes(), &text.as_bytes()[lo..hi], k)?;
    let (start, end) = widen_to_words(text, lo + s, lo + e);
    if end <= start {
        return None;
    }
    let (start, end, distance) = tighten(text, pattern.as_bytes(), start, end);
    Some(Near { start, end, distance, optimal, similarity: similarity(optimal, pattern.len()) })
}

/// How similar a quote of `len` bytes is to a passage `optimal` edits
/// away: 1 − edits / quote length. Edits are counted by the optimal
/// alignment, so the most similar passage is the closest one.
pub fn similarity(optimal: usize, len: usize) -> f64 {
    1.0 - optimal as f64 / len.max(1) as f64
}

/// The most edits a passage may be from a quote of `len` bytes and still
/// be at least `threshold` similar.
pub fn max_edits(len: usize, threshold: f64) -> usize {
    // The small margin keeps a ratio such as 0.2 × 10 from rounding below 2.
    ((1.0 - threshold) * len as f64 + 1e-9).floor().max(0.0) as usize
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Moves each end of a word-aligned match over up to three words inward when
/// that brings the text closer to the pattern: an alignment may set a
/// quote's stray first or last word against the text around the passage, and
/// the suggested replacement must not carry that text along.
fn tighten(text: &str, p: &[u8], start: usize, end: usize) -> (usize, usize, usize) {
    let b = text.as_bytes();
    let dist = |s: usize, e: usize| levenshtein(p, &b[s..e]);
    // An end whose word is the pattern's own word is right where it is.
    let first_word = |s: &[u8]| s.split(|&c| c == b' ').next().unwrap_or(s).to_vec();
    let last_word = |s: &[u8]| s.rsplit(|&c| c == b' ').next().unwrap_or(s).to_vec();
    let span = &b[start..end];
    if first_word(span) == first_word(p) && last_word(span) == last_word(p) {
        return (start, end, dist(start, end));
    }
    let starts: Vec<usize> =
        std::iter::once(start).chain((start..end).filter(|&i| i > 0 && b[i - 1] == b' ' && b[i] != b' ').take(3)).collect();
    let (mut best_s, mut best_d) = (start, dist(start, end));
    for &s in &starts[1..] {
        let d = dist(s, end);
        if d < best_d || (d == best_d && s > best_s) {
            (best_s, best_d) = (s, d);
        }
    }
    let ends: Vec<usize> =
        std::iter::once(end).chain((best_s..end).rev().filter(|&i| i + 1 < b.len() && b[i] == b' ' && i > best_s).take(3)).collect();
    let mut best_e = end;
    for &e in &ends[1..] {
        let d = dist(best_s, e);
        if d < best_d || (d == best_d && e < best_e) {
            (best_e, best_d) = (e, d);
        }
    }
    (best_s, best_e, best_d)
}

/// Widens a byte range so that it neither starts nor ends inside a word (or a character).
fn widen_to_words(text: &str, start: usize, end: usize) -> (usize, usize) {
    let b = text.as_bytes();
    let word = |i: usize| b[i].is_ascii_alphanumeric() || b[i] >= 0x80;
    let (mut s, mut e) = (floor_boundary(text, start), end);
    // Trim white space the alignment took in at either end.
    while s < e && b[s] == b' ' {
        s += 1;
    }
    while e > s && b[e - 1] == b' ' {
        e -= 1;
    }
    while s > 0 && s < b.len() && word(s) && word(s - 1) {
        s -= 1;
    }
    while e < b.len() && e > 0 && word(e) && word(e - 1) {
        e += 1;
    }
    (floor_boundary(text, s), floor_boundary(text, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::myers::semi_global;
    use crate::quote::vote::*;
    use crate::quote::xorshift;

    /// Each pattern's buckets and the votes they got, in bucket order.
    fn counted_votes(text: &[u8], patterns: &[&str]) -> Vec<Vec<(i64, u32)>> {
        let cast = cast_votes(text, patterns);
        (0..patterns.len()).map(|pi| tally(cast.buckets(pi), reach(patterns[pi].len()))).collect()
    }

    /// Each bucket and its votes, by sorting: the reference for [`tally`].
    fn counted_by_sorting(mut buckets: Vec<i64>) -> Vec<(i64, u32)> {
        buckets.sort_unstable();
        let mut counted: Vec<(i64, u32)> = Vec::new();
        for b in buckets {
            match counted.last_mut() {
                Some(last) if last.0 == b => last.1 += 1,
                _ => counted.push((b, 1)),
            }
        }
        counted
    }

    /// Plain edit distance, cell by cell: the reference for the bit vectors.
    fn levenshtein_table(a: &[u8], b: &[u8]) -> usize {
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, &ac) in a.iter().enumerate() {
            let mut diag = row[0];
            row[0] = i + 1;
            for (j, &bc) in b.iter().enumerate() {
                let next = (diag + usize::from(ac != bc)).min(row[j] + 1).min(row[j + 1] + 1);
                diag = row[j + 1];
                row[j + 1] = next;
            }
        }
        row[b.len()]
    }

    /// The table that [`semi_global`] computes, cell by cell, with each
    /// cell's start: the reference that the bit vectors are held to.
    fn semi_global_table(p: &[u8], t: &[u8]) -> (usize, usize, usize) {
        let m = p.len();
        let mut cost: Vec<usize> = (0..=m).collect();
        let mut from: Vec<usize> = vec![0; m + 1];
        let mut best = (m, 0, 0);
        let mut best_at_boundary = false;
        for (j, &tc) in t.iter().enumerate() {
            let (mut diag_cost, mut diag_from) = (cost[0], from[0]);
            (cost[0], from[0]) = (0, j + 1);
            for i in 1..=m {
                // Among equal costs, the later start.
                let mut cell = (diag_cost + usize::from(p[i - 1] != tc), diag_from);
                for cand in [(cost[i - 1] + 1, from[i - 1]), (cost[i] + 1, from[i])] {
                    if cand.0 < cell.0 || (cand.0 == cell.0 && cand.1 > cell.1) {
                        cell = cand;
                    }
                }
                (diag_cost, diag_from) = (cost[i], from[i]);
                (cost[i], from[i]) = cell;
            }
            let end = j + 1;
            let at_boundary = t.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
            if cost[m] < best.0 || (cost[m] == best.0 && at_boundary && !best_at_boundary) {
                best = (cost[m], from[m], end);
                best_at_boundary = at_boundary;
            }
        }
        best
    }

    #[test]
    fn semi_global_finds_the_substring() {
        let (d, s, e) = semi_global(b"hello world", b"xx say helo world now");
        assert_eq!(d, 1);
        assert_eq!(&b"xx say helo world now"[s..e], b"helo world");
    }

    #[test]
    fn unmatched_quote_start_does_not_pull_in_the_text_before() {
        // Regression: "xyz " was aligned by substitution against "ne. " (the
        // optimum, 3 edits), and widening to words dragged "done." into the
        // suggested replacement.
        let text = "all done. Safeguard Defenders said Monday it had identified 48 stations";
        let n = best_matches(text, &["xyz Safeguard Defenders said Monday it had identified 48 stations"])[0].unwrap();
        assert_eq!(&text[n.start..n.end], "Safeguard Defenders said Monday it had identified 48 stations");
        assert_eq!(n.distance, 4);
    }

    #[test]
    fn the_bit_vectors_align_as_the_table_does() {
        // Random strings over a small alphabet (many ties, many near
        // matches), patterns up to three blocks of 64: the same distance,
        // start and end, tie-breaks included; the same plain distance.
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
        let alphabet = b"ab c";
        for round in 0..3000 {
            let long = round % 10 == 0;
            let (m, n) = if long { (1 + next(180), next(400)) } else { (1 + next(12), next(30)) };
            let p: Vec<u8> = (0..m).map(|_| alphabet[next(4)]).collect();
            let t: Vec<u8> = (0..n).map(|_| alphabet[next(4)]).collect();
            assert_eq!(semi_global(&p, &t), semi_global_table(&p, &t), "{:?} in {:?}", p, t);
            assert_eq!(levenshtein(&p, &t), levenshtein_table(&p, &t), "{:?} to {:?}", p, t);
            assert_eq!(levenshtein(&t, &p), levenshtein_table(&t, &p), "{:?} to {:?}", t, p);
        }
    }

    #[test]
    fn the_cut_off_keeps_every_alignment_within_k() {
        // Patterns of one to five blocks, texts holding a copy of part of
        // the pattern with edits (so that some alignments fall within k and
        // the active rows grow and shrink), every k from none to all: the
        // cut-off table answers as the whole table does.
        let mut next = xorshift(0xD1B5_4A32_D192_ED03u64);
        let alphabet = b"abcd efgh";
        for round in 0..600 {
            let m = 1 + next(if round % 3 == 0 { 320 } else { 140 });
            let p: Vec<u8> = (0..m).map(|_| alphabet[next(alphabet.len())]).collect();
            let mut t: Vec<u8> = (0..next(300)).map(|_| alphabet[next(alphabet.len())]).collect();
            let mut copy = p[next(m / 2 + 1)..].to_vec();
            for _ in 0..next(m / 4 + 1) {
                let i = next(copy.len().max(1));
                if i < copy.len() {
                    copy[i] = alphabet[next(alphabet.len())];
                }
            }
            let at = next(t.len() + 1);
            t.splice(at..at, copy);
            let want = semi_global_table(&p, &t);
            for k in [0, want.0.saturating_sub(1), want.0, want.0 + 1, want.0 + 70, m / 5, m] {
                let got = semi_global_within(&p, &t, k);
                assert_eq!(got, (want.0 <= k).then_some(want), "round {round}, m {m}, k {k}");
            }
        }
    }

    #[test]
    fn levenshtein_basics() {
        assert_eq!(levenshtein(b"kitten", b"sitting"), 3);
        assert_eq!(levenshtein(b"", b"abc"), 3);
        assert_eq!(levenshtein(b"same", b"same"), 0);
    }

    #[test]
    fn finds_a_misquote_in_a_long_text() {
        let filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(2000);
        let text =
            format!("{filler}Safeguard Defenders said Monday it had identified 48 other stations, 11 of which are in Italy. {filler}");
        let near = best_matches(&text, &["it had identified 48 other stations, 12 of which are in Italy"])[0].unwrap();
        assert_eq!(&text[near.start..near.end], "it had identified 48 other stations, 11 of which are in Italy");
        assert_eq!(near.distance, 1);
    }

    #[test]
    fn widens_to_whole_words() {
        let text = "and so this is it";
        let n = best_matches(text, &["so this i"])[0].unwrap();
        assert_eq!(&text[n.start..n.end], "so this is");
        assert_eq!(n.distance, 1);
        let near = best_matches("we have seen no indications here", &["we have seen no indication"])[0].unwrap();
        assert_eq!(near.end, "we have seen no indications".len());
    }

    #[test]
    fn identical_patterns_are_all_found() {
        let text = "Safeguard Defenders said Monday it had identified 48 other stations, 11 of which are in Italy.";
        let p = "48 other stations, 12 of which are in Italy";
        let nears = best_matches(text, &vec![p; 500]);
        assert!(nears.iter().all(|n| n.is_some_and(|n| n.distance == 1)));
    }

    #[test]
    fn a_short_quote_is_found_where_common_grams_cluster() {
        // Regression (growth benchmark, 1 GB, g039399): patterns voted with a
        // content-defined sample of their grams; this quote's 33 grams gave
        // three, two of them from "of the". Where "of the" came twice in a
        // few words, those places outvoted the passage: the quote was not
        // found near its own source and was reported in another one.
        let p = "Andk can you tell me any of the names";
        let filler = "the rest of the day and most of the night. ".repeat(100);
        let text = format!("{filler}How many were there? And can you tell me any of the names and addresses? {filler}");
        let near = best_matches(&text, &[p])[0].expect("a near match");
        assert_eq!(&text[near.start..near.end], "And can you tell me any of the names");
        assert_eq!(near.distance, 1);
    }

    #[test]
    fn the_tally_counts_as_sorting_does() {
        // Votes as a stretch casts them: text offsets growing by STEP,
        // each for a few offsets in the pattern, some buckets negative.
        let mut next = xorshift(0x2545_F491_4F6C_DD1Du64);
        for round in 0..500 {
            let len = Q + next(if round % 5 == 0 { 600 } else { 100 });
            let mut buckets: Vec<i32> = Vec::new();
            let mut at = next(200);
            for _ in 0..next(400) {
                at += STEP * (1 + next(if round % 3 == 0 { 200 } else { 3 }));
                for _ in 0..next(3) {
                    let pos = next(len - Q + 1);
                    buckets.push((at as i64 - pos as i64).div_euclid(BUCKET) as i32);
                }
            }
            let want = counted_by_sorting(buckets.iter().map(|&b| i64::from(b)).collect());
            assert_eq!(tally(buckets.iter().copied(), reach(len)), want, "round {round}, pattern length {len}");
        }
    }

    #[test]
    fn the_table_votes_as_a_plain_map_does() {
        // Words from a small vocabulary, so that grams repeat, many
        // patterns share them and the sighting cap is reached, over three
        // stretches: the open-addressing table with its stamped counts
        // votes exactly as a map with a count per stretch.
        let mut next = xorshift(0x9E37_79B9_7F4A_7C15u64);
        let words = ["the", "Court", "said", "of", "appeal", "ruling", "Monday", "stations", "eleven", "in", "Italy", "police"];
        let mut text = String::new();
        while text.len() < 2 * STRETCH + STRETCH / 2 {
            // Common words, and rarer ones that reach the cap in some stretches only.
            match next(4) {
                0 => text.push_str(&format!("w{}", next(3000))),
                _ => text.push_str(words[next(words.len())]),
            }
            text.push(if next(9) == 0 { '.' } else { ' ' });
        }
        let patterns: Vec<String> = (0..150)
            .map(|_| {
                let at = next(text.len() - 400);
                let at = (at..).find(|&i| text.is_char_boundary(i)).unwrap();
                text[at..at + 20 + next(300)].replace("ai", "ia")
            })
            .collect();
        let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();

        let mut owners: HashMap<u64, Vec<(u32, u32)>> = HashMap::new();
        for (pi, p) in patterns.iter().enumerate() {
            for (pos, g) in grams(p.as_bytes()) {
                owners.entry(g).or_default().push((pi as u32, pos as u32));
            }
        }
        owners.retain(|_, o| o.len() <= MAX_GRAM_OWNERS);
        let mut buckets: Vec<Vec<i64>> = vec![Vec::new(); patterns.len()];
        let t = text.as_bytes();
        for from in (0..t.len()).step_by(STRETCH) {
            let mut seen: HashMap<u64, u16> = HashMap::new();
            let end = (from + STRETCH + Q - 1).min(t.len());
            for at in (from..=end - Q).step_by(STEP) {
                let g = gram_at(t, at);
                let Some(o) = owners.get(&g) else { continue };
                let n = seen.entry(g).or_default();
                *n += 1;
                if *n <= MAX_GRAM_SIGHTINGS {
                    for &(pi, pos) in o {
                        buckets[pi as usize].push((at as i64 - pos as i64).div_euclid(BUCKET));
                    }
                }
            }
        }
        let want: Vec<Vec<(i64, u32)>> = buckets.into_iter().map(counted_by_sorting).collect();
        assert!(want.iter().all(|c| !c.is_empty()));
        assert_eq!(counted_votes(t, &patterns), want);
        // One worker, whose copy of the table sees every stretch in turn.
        let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
        assert_eq!(one.install(|| counted_votes(t, &patterns)), want);
    }

    #[test]
    fn a_pattern_holds_votes_only_for_the_stretches_that_voted_for_it() {
        // Four stretches of filler; each pattern's words stand in one.
        let mut text = "lorem ipsum ".repeat(4 * STRETCH / 12 + 1);
        let early = "the quick brown fox jumps over the lazy dog";
        let late = "a stitch in time saves nine, they always said";
        text.replace_range(100..100 + early.len(), early);
        let at = 3 * STRETCH + 500;
        text.replace_range(at..at + late.len(), late);
        let cast = cast_votes(text.as_bytes(), &[early, late, "nowhere to be seen at all"]);
        let lists: Vec<usize> = cast.0.iter().map(Vec::len).collect();
        assert_eq!(lists, [1, 1, 0]);
        assert!(cast.buckets(1).all(|b| i64::from(b) == at as i64 / BUCKET));
    }

    #[test]
    fn a_short_shared_run_votes_at_every_alignment() {
        // The text is looked up at every STEP-th offset: a pattern must be
        // found whatever its offset modulo STEP, with one edit in the middle.
        let p = "tell me the namez of them all";
        for shift in 0..2 * STEP {
            let text = format!("{} words before. Then tell me the names of them all, she said.", "x".repeat(shift));
            let near = best_matches(&text, &[p])[0].unwrap_or_else(|| panic!("shift {shift}: no match"));
            assert_eq!(&text[near.start..near.end], "tell me the names of them all", "shift {shift}");
            assert_eq!(near.distance, 1, "shift {shift}");
        }
    }

    #[test]
    fn nothing_shared_means_no_candidate() {
        assert_eq!(best_matches("abcdefghij", &["zzzzzzzzzz"])[0], None);
    }
}
