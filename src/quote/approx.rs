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
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

const Q: usize = 6;
const BUCKET: i64 = 64;
const WINDOWS: usize = 3;
/// Grams shared by more patterns than this carry no information.
const MAX_GRAM_OWNERS: usize = 64;

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
    /// 1 − distance / max(pattern length, range length).
    pub similarity: f64,
}

#[derive(Default)]
pub(crate) struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// OR-ing 0x20 into every byte lower-cases ASCII letters; it also merges a
/// few punctuation bytes, which at worst adds a vote that alignment rejects.
const FOLD: u64 = 0x2020_2020_2020_2020;
const GRAM_MASK: u64 = (1 << (8 * Q)) - 1;

/// The folded gram that starts at `i`: one unaligned load, no dependency on
/// the gram before it, so the scan of a text runs at the speed of its loads.
#[inline]
fn gram_at(t: &[u8], i: usize) -> u64 {
    let word = match t.get(i..i + 8) {
        Some(w) => u64::from_le_bytes(w.try_into().expect("8 bytes")),
        None => {
            let mut w = [0u8; 8];
            w[..Q].copy_from_slice(&t[i..i + Q]);
            u64::from_le_bytes(w)
        }
    };
    (word | FOLD) & GRAM_MASK
}

fn grams(p: &[u8]) -> impl Iterator<Item = (usize, u64)> + '_ {
    (0..(p.len() + 1).saturating_sub(Q)).map(|i| (i, gram_at(p, i)))
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
    diags.iter().filter_map(|&d| align_window(text, pattern, d, wide)).max_by(|a, b| a.similarity.total_cmp(&b.similarity))
}

/// The text is looked up at every `STEP`th offset only; every gram of every
/// pattern is in the table. A run of `Q + STEP - 1` bytes that the pattern
/// and the text share therefore always casts a vote, however short the
/// pattern, and a common gram casts a quarter of the votes it would.
const STEP: usize = 4;

fn mix(g: u64) -> u64 {
    g.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A gram table with a bit set in front of it: most text grams are in no
/// pattern, and the bit set turns them away with one load.
///
/// The table proper is open addressing with linear probing, one slot per
/// gram that holds all a looked-up gram needs: the gram, where its owners
/// are, and (in each worker's own copy of the slots) how often it was seen
/// in the current stretch. A shared gram costs one cache line and its
/// owners, where a map and side arrays cost a line each. A gram that stops
/// voting in a stretch leaves the worker's copy of the bit set (when no
/// other gram has its bit), so its later sightings cost one load too.
struct GramTable {
    slots: Vec<Slot>,
    /// Each gram's owners (pattern, offset in the pattern), slot by slot.
    owners: Vec<(u32, u32)>,
    bits: Vec<u64>,
    shift: u32,
    /// `slots.len() - 1`.
    mask: usize,
}

#[derive(Clone, Copy)]
struct Slot {
    /// The gram (`GRAM_MASK` bits), or `EMPTY`.
    gram: u64,
    /// Its owners are `owners[first..first + owned]`.
    first: u32,
    owned: u16,
    /// Sightings in the stretch numbered `stretch` (a count left by an
    /// earlier stretch starts again): the first `MAX_GRAM_SIGHTINGS` vote.
    sightings: u16,
    stretch: u32,
    /// No other gram of the table has this gram's bit in the bit set.
    alone: bool,
}

// The README gives the slot's size.
const _: () = assert!(std::mem::size_of::<Slot>() == 24);

/// What a worker changes as it votes: its copy of the slots (sightings)
/// and of the bit set (grams that stopped voting in the stretch), and the
/// stretch's votes, pattern by pattern, with the patterns that got any.
struct Worker {
    slots: Vec<Slot>,
    bits: Vec<u64>,
    lists: Vec<Vec<i32>>,
    voted: Vec<u32>,
}

/// No gram has a bit above `GRAM_MASK`.
const EMPTY: u64 = u64::MAX;

/// A gram seen this often at the looked-up offsets of one stretch of text
/// (about 256 times in all) is too common to tell passages apart (like
/// "of the"): it stops voting, and the rarer grams decide.
const MAX_GRAM_SIGHTINGS: u16 = 256 / STEP as u16;

impl GramTable {
    /// Every gram of every pattern, but those shared by too many patterns.
    fn new(patterns: &[&str]) -> Self {
        // Every (gram, pattern, offset), sorted: each gram's owners stand together.
        let mut all: Vec<(u64, u32, u32)> = Vec::new();
        for (pi, p) in patterns.iter().enumerate() {
            all.extend(grams(p.as_bytes()).map(|(pos, g)| (g, pi as u32, pos as u32)));
        }
        all.sort_unstable();
        let by_gram: Vec<&[(u64, u32, u32)]> = all.chunk_by(|a, b| a.0 == b.0).filter(|owners| owners.len() <= MAX_GRAM_OWNERS).collect();
        let grams = by_gram.len();
        let log2 = (grams.max(1) * 16).next_power_of_two().trailing_zeros().max(12);
        let shift = 64 - log2;
        // At most two thirds full: a probe rarely leaves its first cache line.
        let size = (grams * 3 / 2 + 1).next_power_of_two();
        let empty = Slot { gram: EMPTY, first: 0, owned: 0, sightings: 0, stretch: u32::MAX, alone: false };
        let mut table = GramTable { slots: vec![empty; size], owners: Vec::new(), bits: vec![0; 1 << (log2 - 6)], shift, mask: size - 1 };
        let mut per_bit: HashMap<usize, u32> = HashMap::new();
        for owners in by_gram {
            let g = owners[0].0;
            let m = mix(g);
            let mut at = (m >> 32) as usize & table.mask;
            while table.slots[at].gram != EMPTY {
                at = (at + 1) & table.mask;
            }
            table.slots[at] = Slot { gram: g, first: table.owners.len() as u32, owned: owners.len() as u16, ..empty };
            table.owners.extend(owners.iter().map(|&(_, pi, pos)| (pi, pos)));
            let h = table.bit(m);
            table.bits[h >> 6] |= 1 << (h & 63);
            *per_bit.entry(h).or_default() += 1;
        }
        for at in 0..size {
            let gram = table.slots[at].gram;
            if gram != EMPTY {
                table.slots[at].alone = per_bit[&table.bit(mix(gram))] == 1;
            }
        }
        table
    }

    /// The bit of the gram whose mix is `m`.
    #[inline]
    fn bit(&self, m: u64) -> usize {
        (m >> self.shift) as usize
    }

    /// Whether the gram whose mix is `m` may be in the table, by the bit set
    /// `bits` (this table's, or a worker's copy): never a false no for a
    /// gram that may still vote.
    #[inline]
    fn may_hold(&self, bits: &[u64], m: u64) -> bool {
        let h = self.bit(m);
        bits[h >> 6] & (1 << (h & 63)) != 0
    }

    /// The owners of gram `g` (whose mix is `m`), unless its sightings in
    /// the stretch numbered `stretch` say it is too common; the worker
    /// counts sightings in its own copy of the slots.
    #[inline]
    fn sighted(&self, worker: &mut Worker, g: u64, m: u64, stretch: u32) -> Option<&[(u32, u32)]> {
        let mut at = (m >> 32) as usize & self.mask;
        let slot = loop {
            let slot = &mut worker.slots[at];
            if slot.gram == g {
                break slot;
            }
            if slot.gram == EMPTY {
                return None;
            }
            at = (at + 1) & self.mask;
        };
        if slot.stretch != stretch {
            (slot.stretch, slot.sightings) = (stretch, 0);
        }
        slot.sightings = slot.sightings.saturating_add(1);
        if slot.sightings > MAX_GRAM_SIGHTINGS {
            // Silent for the rest of the stretch: turned away by the bit set from now on.
            if slot.alone {
                let h = self.bit(m);
                worker.bits[h >> 6] &= !(1 << (h & 63));
            }
            return None;
        }
        let (first, owned) = (slot.first as usize, slot.owned as usize);
        Some(&self.owners[first..first + owned])
    }
}

/// The most-voted diagonals of each pattern.
fn vote(text: &[u8], patterns: &[&str]) -> Vec<Vec<i64>> {
    let cast = cast_votes(text, patterns);
    (0..patterns.len()).into_par_iter().map(|pi| top_diagonals(&tally(cast.buckets(pi), reach(patterns[pi].len())))).collect()
}

/// Every pattern's votes: its buckets, stretch by stretch, each list
/// holding the votes of one stretch that voted for it. Only the stretches
/// that did cost anything: many patterns and a long text (one source
/// searched for thousands of missed quotes) hold no list per pattern per
/// stretch.
struct Cast(Vec<Vec<Vec<i32>>>);

impl Cast {
    /// Pattern `pi`'s buckets, in the order of the text offsets that voted for them.
    fn buckets(&self, pi: usize) -> impl Iterator<Item = i32> + '_ {
        self.0[pi].iter().flatten().copied()
    }
}

/// Every pattern's votes.
fn cast_votes(text: &[u8], patterns: &[&str]) -> Cast {
    let mut cast: Vec<Vec<Vec<i32>>> = vec![Vec::new(); patterns.len()];
    let table = GramTable::new(patterns);
    if table.owners.is_empty() {
        return Cast(cast);
    }
    // Stretches of a fixed size vote in parallel: a long source uses every
    // core, and the result does not depend on how many there are. Each
    // worker counts sightings in its own copy of the slots, reset by
    // stamping each slot with the stretch's number rather than by clearing.
    let stretches: Vec<Vec<(u32, Vec<i32>)>> = (0..text.len().div_ceil(STRETCH))
        .into_par_iter()
        .map_init(
            || Worker { slots: table.slots.clone(), bits: table.bits.clone(), lists: vec![Vec::new(); patterns.len()], voted: Vec::new() },
            |worker, k| vote_stretch(text, k, &table, worker),
        )
        .collect();
    for (pi, votes) in stretches.into_iter().flatten() {
        cast[pi as usize].push(votes);
    }
    Cast(cast)
}

/// Each bucket and the votes it got, in bucket order, from buckets given
/// in the order of the text offsets that voted for them. A vote's bucket is
/// at most `reach` below that of any vote before it (the text offset only
/// grows, and the offset in the pattern is at most the pattern's length),
/// so a bucket more than `reach` below the highest so far is final: counts
/// are kept in a ring of `reach + 1` buckets and come out sorted, without
/// sorting the votes.
fn tally(buckets: impl IntoIterator<Item = i32>, reach: i64) -> Vec<(i64, u32)> {
    let mut out: Vec<(i64, u32)> = Vec::new();
    let mut buckets = buckets.into_iter().peekable();
    let Some(&first) = buckets.peek() else { return out };
    let size = (reach as usize + 1).next_power_of_two();
    let slot = |b: i64| b as usize & (size - 1);
    let mut ring = vec![0u32; size];
    // Buckets `low..=high` may hold counts; those below `low` are final.
    let (mut low, mut high) = (i64::from(first) - reach, i64::from(first));
    let flush = |ring: &mut [u32], b: i64, out: &mut Vec<(i64, u32)>| {
        let n = std::mem::take(&mut ring[slot(b)]);
        if n > 0 {
            out.push((b, n));
        }
    };
    for b in buckets {
        let b = i64::from(b);
        if b > high {
            let keep = b - reach;
            while low < keep && low <= high {
                flush(&mut ring, low, &mut out);
                low += 1;
            }
            low = low.max(keep);
            high = b;
        }
        debug_assert!(b >= low, "a vote below the final buckets");
        ring[slot(b)] += 1;
    }
    for b in low..=high {
        flush(&mut ring, b, &mut out);
    }
    out
}

/// How far (in buckets) a vote of a pattern `len` bytes long may fall
/// below an earlier one: its greatest offset of a gram, in buckets, rounded up.
fn reach(len: usize) -> i64 {
    (len.saturating_sub(Q) / BUCKET as usize + 1) as i64
}

/// Bytes of text that vote as one unit of parallel work.
const STRETCH: usize = 1 << 20;

/// The votes of the looked-up grams that start in stretch `k` (bytes
/// `k * STRETCH..(k + 1) * STRETCH`): for each pattern that got any, the
/// bucket of each vote, one per owner of a gram. Most buckets get one stray
/// vote, and a map would hash each of them. Buckets fit in 32 bits: a
/// source is at most 4 GiB (its offsets are `u32`), and a bucket is 64
/// offsets. Stretches start at multiples of `STEP`, so the offsets looked
/// up do not depend on how the text is cut into stretches.
fn vote_stretch(text: &[u8], k: usize, table: &GramTable, worker: &mut Worker) -> Vec<(u32, Vec<i32>)> {
    let from = k * STRETCH;
    let end = (from + STRETCH + Q - 1).min(text.len());
    if end - from < Q {
        return Vec::new();
    }
    let stretch = k as u32;
    // Every gram may vote again.
    worker.bits.copy_from_slice(&table.bits);
    let last = end - Q;
    let mut block = from;
    while block <= last {
        // A block of looked-up offsets is tested against the bit set first,
        // into a mask with no branch per offset: most offsets are turned
        // away, and a branch on each would be mispredicted at every fifth
        // or so. A bit cleared by a gram of this block that stops voting
        // only lets later offsets through to `sighted`, which turns them
        // away as the bit would have (the bit was that gram's alone).
        let count = ((last - block) / STEP + 1).min(64);
        let mut mixes = [0u64; 64];
        let mut may = 0u64;
        for (j, m) in mixes[..count].iter_mut().enumerate() {
            *m = mix(gram_at(text, block + j * STEP));
            may |= u64::from(table.may_hold(&worker.bits, *m)) << j;
        }
        while may != 0 {
            let j = may.trailing_zeros() as usize;
            may &= may - 1;
            let at = block + j * STEP;
            let Some(owners) = table.sighted(worker, gram_at(text, at), mixes[j], stretch) else { continue };
            for &(pi, pos) in owners {
                let list = &mut worker.lists[pi as usize];
                if list.is_empty() {
                    worker.voted.push(pi);
                }
                list.push((at as i64 - pos as i64).div_euclid(BUCKET) as i32);
            }
        }
        block += 64 * STEP;
    }
    let lists = &mut worker.lists;
    worker.voted.drain(..).map(|pi| (pi, std::mem::take(&mut lists[pi as usize]))).collect()
}

/// The best few diagonals of a pattern, from its buckets' votes (sorted by bucket).
fn top_diagonals(votes: &[(i64, u32)]) -> Vec<i64> {
    // A bucket's neighbours, if they got votes, stand next to it.
    let score = |k: usize| {
        let (b, v) = votes[k];
        let next_to = |j: Option<usize>| j.and_then(|j| votes.get(j)).filter(|n| (n.0 - b).abs() == 1).map_or(0, |n| n.1);
        v * 2 + next_to(k.checked_sub(1)) + next_to(Some(k + 1))
    };
    // A bucket with under a quarter of the best bucket's votes is never among
    // the best few; ranking only the others spares sorting thousands of
    // single stray votes.
    let most = votes.iter().map(|v| v.1).max().unwrap_or(0);
    let mut ranked: Vec<(u32, i64)> = (0..votes.len()).filter(|&k| votes[k].1 * 4 >= most).map(|k| (score(k), votes[k].0)).collect();
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<i64> = Vec::new();
    for (_, b) in ranked {
        if chosen.iter().any(|c| (c - b).abs() <= 1) {
            continue;
        }
        chosen.push(b);
        if chosen.len() == WINDOWS {
            break;
        }
    }
    chosen.into_iter().map(|b| b * BUCKET).collect()
}

/// Aligns a pattern in the window around diagonal `diag`, `slack` bytes wider on each side.
fn align_window(text: &str, pattern: &str, diag: i64, slack: i64) -> Option<Near> {
    let m = pattern.len() as i64;
    let lo = floor_boundary(text, (diag - slack).clamp(0, text.len() as i64) as usize);
    let hi = floor_boundary(text, (diag + BUCKET + m + slack).clamp(0, text.len() as i64) as usize);
    if hi <= lo {
        return None;
    }
    let (optimal, s, e) = semi_global(pattern.as_bytes(), &text.as_bytes()[lo..hi]);
    let (start, end) = widen_to_words(text, lo + s, lo + e);
    if end <= start {
        return None;
    }
    let (start, end, distance) = tighten(text, pattern.as_bytes(), start, end);
    let longest = pattern.len().max(end - start).max(1);
    Some(Near { start, end, distance, optimal, similarity: 1.0 - distance as f64 / longest as f64 })
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

/// Semi-global edit distance: the whole pattern against the best substring
/// of `t`. Returns (distance, start, end). Among equal distances the
/// alignment that ends at a word boundary wins, then the first; among the
/// starts of its optimal alignments, the last (a quote's unmatched first
/// words are skipped rather than set against the text before the passage,
/// which would drag it into the replacement).
///
/// Myers' bit-parallel table finds the end; the start is where the same
/// table, run backwards from the end over the reversed pattern, first
/// reaches the distance. Both take a few word operations per text byte
/// for every 64 bytes of pattern.
pub fn semi_global(p: &[u8], t: &[u8]) -> (usize, usize, usize) {
    let at_boundary = |end: usize| t.get(end).is_none_or(|b| !b.is_ascii_alphanumeric());
    let mut forward = BitTable::new(p.iter().copied(), false);
    // Before any text byte: the whole pattern deleted.
    let (mut best, mut best_end, mut best_at_boundary) = (p.len(), 0, false);
    for (j, &c) in t.iter().enumerate() {
        let d = forward.step(c);
        let end = j + 1;
        if d < best || (d == best && at_boundary(end) && !best_at_boundary) {
            (best, best_end, best_at_boundary) = (d, end, at_boundary(end));
        }
    }
    let mut backward = BitTable::new(p.iter().rev().copied(), true);
    let mut start = best_end;
    let mut d = backward.score();
    while d != best && start > 0 {
        start -= 1;
        d = backward.step(t[start]);
    }
    (best, start, best_end)
}

/// The last row of an edit-distance table, computed column by column with
/// Myers' bit vectors (in Hyyrö's blocks of 64 pattern bytes): each column
/// holds, per row, whether the cost goes up or down from the row above.
/// `anchored`: the text is aligned from its first byte (the table's top
/// row counts the text bytes skipped); otherwise it may start anywhere.
struct BitTable {
    blocks: usize,
    /// For each byte value, the pattern positions that hold it (bit per row).
    peq: Vec<u64>,
    /// Rows where the cost goes up (`pv`) or down (`mv`) from the row above.
    pv: Vec<u64>,
    mv: Vec<u64>,
    /// The bit of the pattern's last row in the last block.
    last: u64,
    score: usize,
    anchored: bool,
}

impl BitTable {
    fn new(p: impl ExactSizeIterator<Item = u8>, anchored: bool) -> Self {
        let m = p.len();
        let blocks = m.div_ceil(64).max(1);
        let mut peq = vec![0u64; 256 * blocks];
        for (i, c) in p.enumerate() {
            peq[c as usize * blocks + i / 64] |= 1 << (i % 64);
        }
        let last = if m == 0 { 0 } else { 1 << ((m - 1) % 64) };
        BitTable { blocks, peq, pv: vec![!0; blocks], mv: vec![0; blocks], last, score: m, anchored }
    }

    /// The cost in the last row of the current column.
    fn score(&self) -> usize {
        self.score
    }

    /// Advances one text byte and returns the new cost of the last row.
    fn step(&mut self, c: u8) -> usize {
        // The change along the top row: none when the text may start
        // anywhere, one more skipped byte when it is anchored.
        let mut hin: i64 = i64::from(self.anchored);
        for b in 0..self.blocks {
            let (pv, mv) = (self.pv[b], self.mv[b]);
            let neg = u64::from(hin < 0);
            let eq = self.peq[c as usize * self.blocks + b];
            let xv = eq | mv;
            let eq = eq | neg;
            let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
            let mut ph = mv | !(xh | pv);
            let mut mh = pv & xh;
            if b + 1 == self.blocks {
                if ph & self.last != 0 {
                    self.score += 1;
                } else if mh & self.last != 0 {
                    self.score -= 1;
                }
            }
            let hout = (ph >> 63) as i64 - (mh >> 63) as i64;
            ph = (ph << 1) | u64::from(hin > 0);
            mh = (mh << 1) | neg;
            self.pv[b] = mh | !(xv | ph);
            self.mv[b] = ph & xv;
            hin = hout;
        }
        self.score
    }
}

/// Plain edit distance between two byte strings, in Myers' bit vectors
/// (the text anchored at its first byte).
pub fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    if a.is_empty() {
        return b.len();
    }
    let mut table = BitTable::new(a.iter().copied(), true);
    for &c in b {
        table.step(c);
    }
    table.score()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fixed sequence of pseudo-random numbers below `n`, from `seed`.
    fn xorshift(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize % n
        }
    }

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
