//! Voting: which diagonals of a source each pattern may align on. Every
//! 6-byte gram of every pattern is in one table (open addressing behind a
//! bit set); the source is looked up at every fourth offset, in one pass,
//! and each gram it shares with a pattern votes for the diagonal on which
//! the two would align. The best few diagonals go on to alignment.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;

pub(crate) const Q: usize = 6;
pub(crate) const BUCKET: i64 = 64;
pub(crate) const WINDOWS: usize = 3;
/// Grams shared by more patterns than this carry no information.
pub(crate) const MAX_GRAM_OWNERS: usize = 64;

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
pub(crate) const FOLD: u64 = 0x2020_2020_2020_2020;
pub(crate) const GRAM_MASK: u64 = (1 << (8 * Q)) - 1;

/// The folded gram that starts at `i`: one unaligned load, no dependency on
/// the gram before it, so the scan of a text runs at the speed of its loads.
#[inline]
pub(crate) fn gram_at(t: &[u8], i: usize) -> u64 {
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

pub(crate) fn grams(p: &[u8]) -> impl Iterator<Item = (usize, u64)> + '_ {
    (0..(p.len() + 1).saturating_sub(Q)).map(|i| (i, gram_at(p, i)))
}

/// The text is looked up at every `STEP`th offset only; every gram of every
/// pattern is in the table. A run of `Q + STEP - 1` bytes that the pattern
/// and the text share therefore always casts a vote, however short the
/// pattern, and a common gram casts a quarter of the votes it would.
pub(crate) const STEP: usize = 4;

pub(crate) fn mix(g: u64) -> u64 {
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
pub(crate) struct GramTable {
    slots: Vec<Slot>,
    /// Each gram's owners (pattern, offset in the pattern), slot by slot.
    owners: Vec<(u32, u32)>,
    bits: Vec<u64>,
    shift: u32,
    /// `slots.len() - 1`.
    mask: usize,
}

#[derive(Clone, Copy)]
pub(crate) struct Slot {
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
pub(crate) struct Worker {
    slots: Vec<Slot>,
    bits: Vec<u64>,
    lists: Vec<Vec<i32>>,
    voted: Vec<u32>,
}

/// No gram has a bit above `GRAM_MASK`.
pub(crate) const EMPTY: u64 = u64::MAX;

/// A gram seen this often at the looked-up offsets of one stretch of text
/// (about 256 times in all) is too common to tell passages apart (like
/// "of the"): it stops voting, and the rarer grams decide.
pub(crate) const MAX_GRAM_SIGHTINGS: u16 = 256 / STEP as u16;

impl GramTable {
    /// Every gram of every pattern, but those shared by too many patterns.
    pub(crate) fn new(patterns: &[&str]) -> Self {
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
    pub(crate) fn bit(&self, m: u64) -> usize {
        (m >> self.shift) as usize
    }

    /// Whether the gram whose mix is `m` may be in the table, by the bit set
    /// `bits` (this table's, or a worker's copy): never a false no for a
    /// gram that may still vote.
    #[inline]
    pub(crate) fn may_hold(&self, bits: &[u64], m: u64) -> bool {
        let h = self.bit(m);
        bits[h >> 6] & (1 << (h & 63)) != 0
    }

    /// The owners of gram `g` (whose mix is `m`), unless its sightings in
    /// the stretch numbered `stretch` say it is too common; the worker
    /// counts sightings in its own copy of the slots.
    #[inline]
    pub(crate) fn sighted(&self, worker: &mut Worker, g: u64, m: u64, stretch: u32) -> Option<&[(u32, u32)]> {
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
pub(crate) fn vote(text: &[u8], patterns: &[&str]) -> Vec<Vec<i64>> {
    let cast = cast_votes(text, patterns);
    (0..patterns.len()).into_par_iter().map(|pi| top_diagonals(&tally(cast.buckets(pi), reach(patterns[pi].len())))).collect()
}

/// Every pattern's votes: its buckets, stretch by stretch, each list
/// holding the votes of one stretch that voted for it. Only the stretches
/// that did cost anything: many patterns and a long text (one source
/// searched for thousands of missed quotes) hold no list per pattern per
/// stretch.
pub(crate) struct Cast(pub(crate) Vec<Vec<Vec<i32>>>);

impl Cast {
    /// Pattern `pi`'s buckets, in the order of the text offsets that voted for them.
    pub(crate) fn buckets(&self, pi: usize) -> impl Iterator<Item = i32> + '_ {
        self.0[pi].iter().flatten().copied()
    }
}

/// Every pattern's votes.
pub(crate) fn cast_votes(text: &[u8], patterns: &[&str]) -> Cast {
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
pub(crate) fn tally(buckets: impl IntoIterator<Item = i32>, reach: i64) -> Vec<(i64, u32)> {
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
pub(crate) fn reach(len: usize) -> i64 {
    (len.saturating_sub(Q) / BUCKET as usize + 1) as i64
}

/// Bytes of text that vote as one unit of parallel work.
pub(crate) const STRETCH: usize = 1 << 20;

/// The votes of the looked-up grams that start in stretch `k` (bytes
/// `k * STRETCH..(k + 1) * STRETCH`): for each pattern that got any, the
/// bucket of each vote, one per owner of a gram. Most buckets get one stray
/// vote, and a map would hash each of them. Buckets fit in 32 bits: a
/// source is at most 4 GiB (its offsets are `u32`), and a bucket is 64
/// offsets. Stretches start at multiples of `STEP`, so the offsets looked
/// up do not depend on how the text is cut into stretches.
pub(crate) fn vote_stretch(text: &[u8], k: usize, table: &GramTable, worker: &mut Worker) -> Vec<(u32, Vec<i32>)> {
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
pub(crate) fn top_diagonals(votes: &[(i64, u32)]) -> Vec<i64> {
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
