//! Exact search: every quote of a batch in one source, in one pass.
//!
//! Candidate starts come from the first piece of each reading:
//! - where it is at least 23 bytes long (nearly always), from sampled
//!   hashing: only every 8th source offset is looked at, and each of the
//!   piece's first 8 windows of 16 bytes is in a table (ASCII case folded),
//!   so every occurrence meets the table exactly once: at the one sampled
//!   offset among its first 8 bytes. A bit set in front of the table (two
//!   bits per window, in one word) turns most offsets away with one load.
//!   The source is thus read at a fraction of a byte's cost per byte,
//!   whatever the number of quotes. Windows are 16 bytes because 8 bytes
//!   ("and the ", "said tha") recur everywhere: with thousands of quotes,
//!   every such sighting was a candidate for dozens of them, and verifying
//!   them grew with quotes times text;
//! - otherwise, from one Aho–Corasick automaton over the anchors (the first
//!   32 bytes of the first piece, in both cases of the quote's first letter).
//!
//! Each candidate is verified piece by piece. Greedy
//! earliest placement of each following piece is optimal here: a later
//! placement can only leave less room for the pieces after it.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rayon::prelude::*;

use crate::quote::markup::{Gap, MAX_INSERTION_WORDS, Parsed, Reading};
use crate::quote::normalize::Normalized;
use crate::quote::vote::FxMap;

const ANCHOR: usize = 32;

/// Where a quote stands in a source.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Hit {
    /// 0 for the literal reading, 1 for the reading with markup.
    pub reading: usize,
    /// The normalised source range of each piece, in order.
    pub pieces: Vec<Range<usize>>,
    /// The quote occurs more than once.
    pub repeated: bool,
}

impl Hit {
    pub fn range(&self) -> Range<usize> {
        self.pieces[0].start..self.pieces[self.pieces.len() - 1].end
    }
}

#[derive(Default, Clone)]
struct State {
    first: Option<Vec<Range<usize>>>,
    count: u8,
}

/// The quotes of a batch and one automaton over their anchors, built once
/// and run over as many sources as needed.
pub struct Batch<'q> {
    quotes: Vec<&'q Parsed>,
    /// For each pattern: quote, reading, and the first piece as the pattern spells it.
    owners: Vec<(usize, usize, String)>,
    ac: Option<AhoCorasick>,
    sampled: Sampled,
    few: Option<Few>,
}

/// Batches of at most this many quotes are looked for with `memmem`.
const FEW: usize = 4;

/// A few quotes (an editor's edit, a hook's change), each reading's first
/// piece looked for with `memmem` after its first letter (whose case may
/// differ): a vectorised search reads a source several times faster than
/// the sampled scan, whose table pays off only over many quotes.
struct Few {
    /// For each reading: quote, reading, the first piece in each case of its first letter.
    owners: Vec<(usize, usize, Vec<String>)>,
    finders: Vec<memchr::memmem::Finder<'static>>,
}

impl Few {
    fn new(quotes: &[&Parsed]) -> Option<Few> {
        if quotes.len() > FEW {
            return None;
        }
        let mut few = Few { owners: Vec::new(), finders: Vec::new() };
        for (qi, q) in quotes.iter().enumerate() {
            for (ri, r) in q.readings().enumerate() {
                let first = &r.pieces[0].text;
                let tail = &first[first.chars().next().map_or(0, char::len_utf8)..];
                // A short tail is everywhere: the automaton handles those.
                if tail.len() < 4 {
                    return None;
                }
                few.finders.push(memchr::memmem::Finder::new(tail.as_bytes()).into_owned());
                few.owners.push((qi, ri, case_variants(first)));
            }
        }
        Some(few)
    }

    /// Calls `seen(owner, start, variant)` for every place a reading's
    /// first piece starts, overlapping ones included.
    fn scan(&self, text: &str, mut seen: impl FnMut(usize, usize, &str)) {
        for (owner, finder) in self.finders.iter().enumerate() {
            let mut from = 0;
            while let Some(at) = finder.find(&text.as_bytes()[from..]) {
                let tail = from + at;
                for v in &self.owners[owner].2 {
                    let head = v.chars().next().map_or(0, char::len_utf8);
                    if text[..tail].ends_with(&v[..head]) {
                        seen(owner, tail - head, v);
                    }
                }
                from = tail + 1;
            }
        }
    }
}

/// Bytes in a sampled window, and the stride between sampled source offsets.
const WINDOW: usize = 16;
const STRIDE: usize = 8;
/// Texts this long are scanned in pieces of `PIECE` bytes (a multiple of `STRIDE`) at once.
const PIECES_FROM: usize = 1 << 20;
const PIECE: usize = 1 << 18;

/// The table of the sampled search (see the module docs).
#[derive(Default)]
struct Sampled {
    /// For each reading searched this way: quote, reading, and the first
    /// piece in each case of its first letter.
    owners: Vec<(usize, usize, Vec<String>)>,
    /// Folded window → (owner, the window's offset in the first piece).
    table: FxMap<u64, Vec<(u32, u8)>>,
    bits: Vec<u64>,
    shift: u32,
}

/// A window's key. OR-ing 0x20 lower-cases ASCII letters (and merges some
/// other bytes); the two halves are mixed into one word. Keys that collide
/// only cost a verification.
fn fold_window(w: &[u8]) -> u64 {
    let half = |h: &[u8]| u64::from_le_bytes(h.try_into().expect("half a window is 8 bytes")) | 0x2020_2020_2020_2020;
    half(&w[..8]).wrapping_mul(0xA076_1D64_78BD_642F) ^ half(&w[8..16])
}

impl Sampled {
    fn add(&mut self, qi: usize, ri: usize, variants: Vec<String>) {
        let owner = self.owners.len() as u32;
        let first = variants[0].as_bytes();
        for j in 0..STRIDE {
            self.table.entry(fold_window(&first[j..j + WINDOW])).or_default().push((owner, j as u8));
        }
        self.owners.push((qi, ri, variants));
    }

    fn seal(&mut self) {
        let entries = self.table.len().max(1);
        let log2 = (entries * 16).next_power_of_two().trailing_zeros().max(12);
        self.shift = 64 - (log2 - 6);
        self.bits = vec![0; 1 << (log2 - 6)];
        for &w in self.table.keys() {
            let (word, mask) = self.probe(w);
            self.bits[word] |= mask;
        }
    }

    /// A window's word of the bit set and its two bits there. Two bits in
    /// one word cost the same load as one, and a window that is in no
    /// quote has both set about a quarter as often as one: a large batch's
    /// bit set is past the first-level cache, and each false yes is a
    /// lookup in the table.
    fn probe(&self, w: u64) -> (usize, u64) {
        let m = w.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        ((m >> self.shift) as usize, 1 << ((m >> 20) & 63) | 1 << ((m >> 26) & 63))
    }

    /// Calls `seen(owner, start)` for every candidate start in `text`, in
    /// the order of the sampled offsets.
    fn scan(&self, text: &[u8], mut seen: impl FnMut(usize, usize)) {
        if self.owners.is_empty() || text.len() < WINDOW {
            return;
        }
        // The samples at or after this start no window.
        let end = text.len() - WINDOW + 1;
        if text.len() < PIECES_FROM {
            self.scan_range(text, 0..end, &mut seen);
            return;
        }
        // A long text (a book, a corpus in one file) is looked at in pieces
        // on every core; its few candidates are then seen in order, as in
        // one pass.
        let pieces: Vec<Vec<(usize, usize)>> = (0..end.div_ceil(PIECE))
            .into_par_iter()
            .map(|k| {
                let mut found = Vec::new();
                self.scan_range(text, k * PIECE..((k + 1) * PIECE).min(end), &mut |owner, start| found.push((owner, start)));
                found
            })
            .collect();
        for (owner, start) in pieces.into_iter().flatten() {
            seen(owner, start);
        }
    }

    /// [`Sampled::scan`] over the sampled offsets in `range` (which starts
    /// at a multiple of `STRIDE`).
    fn scan_range(&self, text: &[u8], range: Range<usize>, seen: &mut impl FnMut(usize, usize)) {
        let mut p = range.start;
        while p < range.end {
            let w = fold_window(&text[p..p + WINDOW]);
            let (word, mask) = self.probe(w);
            if self.bits[word] & mask == mask
                && let Some(owners) = self.table.get(&w)
            {
                for &(owner, j) in owners {
                    if let Some(start) = p.checked_sub(j as usize) {
                        seen(owner as usize, start);
                    }
                }
            }
            p += STRIDE;
        }
    }
}

impl<'q> Batch<'q> {
    pub fn new(quotes: Vec<&'q Parsed>) -> Self {
        let mut patterns: Vec<String> = Vec::new();
        let mut owners = Vec::new();
        let mut sampled = Sampled::default();
        for (qi, q) in quotes.iter().enumerate() {
            for (ri, r) in q.readings().enumerate() {
                if r.pieces[0].text.len() >= WINDOW + STRIDE - 1 {
                    sampled.add(qi, ri, case_variants(&r.pieces[0].text));
                    continue;
                }
                for first in case_variants(&r.pieces[0].text) {
                    patterns.push(anchor(&first).to_owned());
                    owners.push((qi, ri, first));
                }
            }
        }
        // A contiguous NFA builds far faster than a DFA and scans nearly as
        // fast: construction dominated when every source had its own DFA.
        let ac = (!patterns.is_empty()).then(|| {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::ContiguousNFA))
                .build(&patterns)
                .expect("anchors are short literal patterns")
        });
        sampled.seal();
        let few = Few::new(&quotes);
        Batch { quotes, owners, ac, sampled, few }
    }

    /// Finds in `src` each quote for which `wanted` holds: those there, by
    /// their index in the batch, in order. Only the quotes with a candidate
    /// in `src` cost anything: a batch of thousands is run over thousands
    /// of sources.
    pub fn find(&self, src: &Normalized, wanted: impl Fn(usize) -> bool) -> Vec<(usize, Hit)> {
        // Nothing wanted here (a source that every quote cites): a scan would keep nothing.
        if !(0..self.quotes.len()).any(&wanted) {
            return Vec::new();
        }
        let mut states: FxMap<usize, [State; 2]> = FxMap::default();
        let mut try_at = |qi: usize, ri: usize, start: usize, first: &str| {
            let seen = states.get(&qi);
            // Two sightings settle it: the quote is there, and more than once.
            if seen.is_some_and(|s| s[0].count >= 2 || s[ri].count >= 2) || !wanted(qi) {
                return;
            }
            let reading = self.quotes[qi].readings().nth(ri).expect("owner names a reading");
            if let Some(pieces) = place(src, start, first, reading) {
                let st = &mut states.entry(qi).or_default()[ri];
                st.count += 1;
                if st.first.as_ref().is_none_or(|f| pieces[0].start < f[0].start) {
                    st.first = Some(pieces);
                }
            }
        };
        let text = src.text.as_str();
        if let Some(few) = &self.few {
            few.scan(text, |owner, start, first| {
                let (qi, ri, _) = few.owners[owner];
                try_at(qi, ri, start, first);
            });
            return found(states);
        }
        self.sampled.scan(text.as_bytes(), |owner, start| {
            let (qi, ri, ref variants) = self.sampled.owners[owner];
            if !text.is_char_boundary(start) {
                return;
            }
            if let Some(first) = variants.iter().find(|v| text[start..].starts_with(v.as_str())) {
                try_at(qi, ri, start, first);
            }
        });
        if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(text) {
                let (qi, ri, ref first) = self.owners[m.pattern().as_usize()];
                try_at(qi, ri, m.start(), first);
            }
        }
        found(states)
    }
}

/// What the sightings of a batch's quotes settle: each found quote's hit, in order.
fn found(states: FxMap<usize, [State; 2]>) -> Vec<(usize, Hit)> {
    let mut found: Vec<(usize, Hit)> = states
        .into_iter()
        .filter_map(|(qi, [lit, marked])| {
            let (reading, st) = if lit.first.is_some() { (0, lit) } else { (1, marked) };
            Some((qi, Hit { reading, pieces: st.first?, repeated: st.count > 1 }))
        })
        .collect();
    found.sort_unstable_by_key(|(qi, _)| *qi);
    found
}

/// Finds each quote in `src`; `None` where it is not there.
pub fn find_all(src: &Normalized, quotes: &[&Parsed]) -> Vec<Option<Hit>> {
    let mut all = vec![None; quotes.len()];
    for (qi, hit) in Batch::new(quotes.to_vec()).find(src, |_| true) {
        all[qi] = Some(hit);
    }
    all
}

/// The piece as written and, where the first letter has another case, with it swapped.
fn case_variants(text: &str) -> Vec<String> {
    let mut out = vec![text.to_owned()];
    let Some(c) = text.chars().next() else { return out };
    let swapped: String = if c.is_uppercase() { c.to_lowercase().collect() } else { c.to_uppercase().collect() };
    if swapped.chars().count() == 1 && swapped != c.to_string() {
        out.push(format!("{swapped}{}", &text[c.len_utf8()..]));
    }
    out
}

fn anchor(text: &str) -> &str {
    let mut end = text.len().min(ANCHOR);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// A piece may start at `at` without splitting a word.
fn starts_word(text: &str, at: usize, piece: &str) -> bool {
    let first_is_word = piece.chars().next().is_some_and(is_word_char);
    !first_is_word || !text[..at].chars().next_back().is_some_and(is_word_char)
}

/// A piece may end at `at` without splitting a word.
fn ends_word(text: &str, at: usize, piece: &str) -> bool {
    let last_is_word = piece.chars().next_back().is_some_and(is_word_char);
    !last_is_word || !text[at..].chars().next().is_some_and(is_word_char)
}

/// Places the reading's pieces from a candidate start; their ranges if they all fit.
fn place(src: &Normalized, start: usize, first: &str, reading: &Reading) -> Option<Vec<Range<usize>>> {
    let text = src.text.as_str();
    if !text[start..].starts_with(first) {
        return None;
    }
    if !reading.open_start && !starts_word(text, start, first) {
        return None;
    }
    let mut pieces = Vec::with_capacity(reading.pieces.len());
    pieces.push(start..start + first.len());
    let limit = if reading.pieces.len() > 1 { src.paragraph_of(start).end } else { text.len() };
    for piece in &reading.pieces[1..] {
        let from = pieces.last().expect("one piece placed").end;
        let next = place_next(text, from, limit, &piece.text, &piece.gap_before)?;
        pieces.push(next..next + piece.text.len());
    }
    let end = pieces.last().expect("one piece placed").end;
    let last = &reading.pieces[reading.pieces.len() - 1].text;
    if !reading.open_end && !ends_word(text, end, last) {
        return None;
    }
    Some(pieces)
}

/// The earliest place for a piece after `from` (and before `limit`) that its gap allows.
fn place_next(text: &str, from: usize, limit: usize, piece: &str, gap: &Gap) -> Option<usize> {
    let hay = text.get(from..limit)?;
    for rel in memchr::memmem::find_iter(hay.as_bytes(), piece.as_bytes()) {
        let at = from + rel;
        match gap {
            Gap::Insertion => {
                // Later places only replace more words.
                return (text[from..at].split_whitespace().count() <= MAX_INSERTION_WORDS).then_some(at);
            }
            Gap::Elision if !starts_word(text, at, piece) => continue,
            Gap::None if at != from => return None,
            _ => return Some(at),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::markup::parse;
    use crate::quote::normalize::normalize;

    /// Finds a quote, and holds the few-quote search (`memmem`) to the
    /// general one (the sampled table and the automaton) on it.
    fn find(src: &str, quote: &str) -> Option<(String, bool)> {
        let n = normalize(src);
        let q = parse(&normalize(quote).text);
        let few = find_all(&n, &[&q])[0].clone();
        let mut general = Batch::new(vec![&q]);
        general.few = None;
        let other = general.find(&n, |_| true).into_iter().next().map(|(_, h)| h);
        assert_eq!(few, other, "the few-quote search and the general one disagree on {quote:?}");
        few.map(|h| (n.text[h.range()].to_owned(), h.repeated))
    }

    #[test]
    fn finds_verbatim_and_typographic_variants() {
        let src = "Italy is home to the largest number of unofficial Chinese \u{201C}police stations\u{201D} in the world.";
        // Quotation marks at the quote's ends are ignored.
        assert_eq!(find(src, "unofficial Chinese \"police stations\"").unwrap().0, "unofficial Chinese \"police stations");
        assert!(find(src, "the largest number of unofficial").is_some());
    }

    #[test]
    fn a_long_text_scanned_in_pieces_gives_the_candidates_of_one_pass() {
        // Quotes at every piece boundary, their sampled window in the piece
        // before it or the piece after, and one quote again at the end: the
        // pieces' candidates, joined, are those of one pass, in the same
        // order, and each quote is found first where it first stands.
        let quotes =
            ["the council voted to close the stations", "Eleven of which are in Italy, the report said", "a quote that is nowhere"];
        // Already normalised text, so that its offsets are the searched ones.
        let mut text = String::new();
        let mut filler = 0usize;
        while text.len() < PIECES_FROM + PIECE / 2 {
            let boundary = (text.len() / PIECE + 1) * PIECE;
            if text.len() + 200 > boundary {
                // The quote starts before or after the boundary, with its
                // sampled offset in the piece before or after it.
                let at = [boundary - 12, boundary - STRIDE, boundary - 3, boundary + 5][boundary / PIECE - 1];
                let pad = at - text.len() - 1;
                text.push_str(&"x".repeat(pad));
                text.push(' ');
                text.push_str(quotes[(boundary / PIECE) % 2]);
                text.push(' ');
            }
            text.push_str(&format!("words{filler} "));
            filler += 1;
        }
        text.push_str(quotes[0]);
        let n = normalize(&text);
        let parsed: Vec<Parsed> = quotes.iter().map(|q| parse(&normalize(q).text)).collect();
        let batch = Batch::new(parsed.iter().collect());
        let bytes = n.text.as_bytes();
        assert!(bytes.len() >= PIECES_FROM);
        let mut pieces = Vec::new();
        batch.sampled.scan(bytes, |owner, start| pieces.push((owner, start)));
        let mut one_pass = Vec::new();
        batch.sampled.scan_range(bytes, 0..bytes.len() - WINDOW + 1, &mut |owner, start| one_pass.push((owner, start)));
        // One sighting of each of the five places a quote stands.
        assert_eq!(pieces.len(), 5);
        assert_eq!(pieces, one_pass);
        let hits = find_all(&n, &parsed.iter().collect::<Vec<_>>());
        for (q, hit) in quotes.iter().zip(&hits) {
            match n.text.find(q) {
                Some(first) => assert_eq!(hit.as_ref().map(|h| (h.range().start, h.repeated)), Some((first, true)), "{q}"),
                None => assert_eq!(hit, &None, "{q}"),
            }
        }
    }

    #[test]
    fn first_letter_case_may_differ_but_no_other() {
        let src = "The report said so.";
        assert!(find(src, "the report said").is_some());
        assert!(find(src, "The Report said").is_none());
    }

    #[test]
    fn does_not_match_inside_words() {
        assert!(find("the report said", "port said").is_none());
        assert!(find("the report said", "the rep").is_none());
    }

    #[test]
    fn elision_within_one_paragraph_only() {
        let src = "We have seen no indication, he said, that it works.\n\nNext paragraph here.";
        assert!(find(src, "We have seen ... that it works").is_some());
        assert!(find(src, "We have seen ... Next paragraph").is_none());
        assert!(find(src, "that it works ... We have seen").is_none());
    }

    #[test]
    fn insertion_stands_for_up_to_eight_words() {
        let src = "the government of the Italian republic said it would act";
        assert!(find(src, "[Rome] said it would act").is_some());
        assert!(find(src, "the government [of Italy] said it").is_some());
        assert!(find(src, "the [state] would act").is_some());
        let long = "the government of Italy and its many ministers and aides said it would act";
        assert!(find(long, "the [state] would act").is_none());
        assert!(find(src, "[T]he government of").is_some());
    }

    #[test]
    fn literal_brackets_win() {
        let src = "the list [sic] is here";
        let n = normalize(src);
        let q = parse("list [sic] is");
        let hit = find_all(&n, &[&q])[0].clone().unwrap();
        assert_eq!(hit.reading, 0);
    }

    #[test]
    fn sampled_search_finds_long_quotes_at_every_offset() {
        // Long first pieces go through the sampled table: every alignment of
        // the quote against the sampling stride must be found, and counted once.
        let quote = "the committee found that the method was dependable";
        for shift in 0..2 * STRIDE {
            let lead = "\u{e9}".repeat(shift % 3) + &"a".repeat(shift);
            let once = format!("{lead} {quote}, it said.");
            assert_eq!(find(&once, quote), Some((quote.to_owned(), false)), "shift {shift}");
            let twice = format!("{lead} {quote}; {quote} again");
            assert_eq!(find(&twice, quote), Some((quote.to_owned(), true)), "shift {shift}");
            let capital = format!("{lead}. The committee found that the method was dependable.");
            assert!(find(&capital, quote).is_some(), "first letter's case, shift {shift}");
            assert!(find(&once, "the committee found that the Method was dependable").is_none(), "shift {shift}");
            assert!(find(&once.replace("committee", "committees"), quote).is_none(), "inside a word, shift {shift}");
        }
    }

    #[test]
    fn few_quotes_see_overlapping_and_capitalised_occurrences() {
        // `memmem` steps past each sighting by one byte, not by its length.
        assert_eq!(find("ha ha ha ha ha", "ha ha ha"), Some(("ha ha ha".into(), true)));
        assert_eq!(find("\u{c9}lan vital. \u{e9}lan vital", "\u{e9}lan vital"), Some(("\u{c9}lan vital".into(), true)));
    }

    #[test]
    fn reports_repetition() {
        assert_eq!(find("police said, and police said again", "police said"), Some(("police said".into(), true)));
        assert_eq!(find("police said once", "police said"), Some(("police said".into(), false)));
    }
}
