//! Edit distance in Myers' bit vectors (Hyyrö's form for Levenshtein
//! distance): 64 pattern bytes to a machine word, so aligning a quote costs
//! a few word operations per source byte.

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
    semi_global_within(p, t, p.len()).expect("the whole pattern deleted is within its length")
}

/// As [`semi_global`], for alignments with at most `k` edits: `None` when
/// there is none. Rows of the table that cannot hold a cost of `k` or less
/// are not computed (Ukkonen's cut-off, in blocks of 64 rows as edlib
/// does), so a small `k` makes a long pattern cost little more than its
/// first blocks.
pub fn semi_global_within(p: &[u8], t: &[u8], k: usize) -> Option<(usize, usize, usize)> {
    let (best, best_end) = if p.len() <= 64 { forward_one_block(p, t) } else { forward_banded(p, t, k) };
    if best > k {
        return None;
    }
    let mut backward = BitTable::new(p.iter().rev().copied(), true);
    let mut start = best_end;
    let mut d = backward.score();
    while d != best && start > 0 {
        start -= 1;
        d = backward.step(t[start]);
    }
    Some((best, start, best_end))
}

/// Whether an alignment ending at `end` ends at a word boundary.
fn at_boundary(t: &[u8], end: usize) -> bool {
    t.get(end).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// The best end (distance, end) by the rules of [`semi_global`], keeping
/// track of the boundary preference.
struct Best {
    distance: usize,
    end: usize,
    at_boundary: bool,
}

impl Best {
    /// Before any text byte: the whole pattern deleted.
    fn new(m: usize) -> Self {
        Best { distance: m, end: 0, at_boundary: false }
    }

    #[inline]
    fn offer(&mut self, t: &[u8], d: usize, end: usize) {
        if d > self.distance {
            return;
        }
        let boundary = at_boundary(t, end);
        if d < self.distance || (boundary && !self.at_boundary) {
            *self = Best { distance: d, end, at_boundary: boundary };
        }
    }
}

/// The forward pass for a pattern of at most 64 bytes: one machine word,
/// no loop over blocks.
fn forward_one_block(p: &[u8], t: &[u8]) -> (usize, usize) {
    let m = p.len();
    let mut best = Best::new(m);
    if m == 0 {
        return (0, 0);
    }
    let mut peq = [0u64; 256];
    for (i, &c) in p.iter().enumerate() {
        peq[c as usize] |= 1 << i;
    }
    let last = 1u64 << (m - 1);
    let (mut pv, mut mv, mut score) = (!0u64, 0u64, m);
    for (j, &c) in t.iter().enumerate() {
        // The text may start anywhere: nothing comes in along the top row.
        let (ph, mh) = advance(&mut pv, &mut mv, peq[c as usize], 0);
        score = score + usize::from(ph & last != 0) - usize::from(mh & last != 0);
        best.offer(t, score, j + 1);
    }
    (best.distance, best.end)
}

/// One column of one block: the block's vertical deltas advanced over a
/// text byte whose pattern positions are `eq`, given the horizontal delta
/// coming in at its top. Returns the deltas leaving it (before the shift):
/// bit `r` of the first word set when row `r`'s cost went up, of the second
/// when it went down.
#[inline]
fn advance(pv: &mut u64, mv: &mut u64, eq: u64, hin: i64) -> (u64, u64) {
    let (p, m) = (*pv, *mv);
    let neg = u64::from(hin < 0);
    let xv = eq | m;
    let eq = eq | neg;
    let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
    let ph = m | !(xh | p);
    let mh = p & xh;
    let (ph2, mh2) = ((ph << 1) | u64::from(hin > 0), (mh << 1) | neg);
    *pv = mh2 | !(xv | ph2);
    *mv = ph2 & xv;
    (ph, mh)
}

/// One column of a block of `height` rows, as [`advance`], keeping the
/// cost of its bottom row; returns the horizontal delta leaving the block
/// (into the block below).
#[inline]
fn column(pv: &mut u64, mv: &mut u64, bottom: &mut usize, eq: u64, hin: i64, height: usize) -> i64 {
    let (ph, mh) = advance(pv, mv, eq, hin);
    let bit = 1u64 << (height - 1);
    *bottom = *bottom + usize::from(ph & bit != 0) - usize::from(mh & bit != 0);
    (ph >> 63) as i64 - (mh >> 63) as i64
}

/// The forward pass in blocks of 64 rows, computing only the blocks that
/// can hold a cost of `k` or less. Cells above `k` may be overestimated,
/// which changes nothing: every cell of `k` or less is exact, since its
/// best predecessor is too.
fn forward_banded(p: &[u8], t: &[u8], k: usize) -> (usize, usize) {
    let m = p.len();
    let blocks = m.div_ceil(64);
    let height = |b: usize| if b + 1 == blocks { m - 64 * b } else { 64 };
    let mut peq = vec![0u64; 256 * blocks];
    for (i, &c) in p.iter().enumerate() {
        peq[c as usize * blocks + i / 64] |= 1 << (i % 64);
    }
    let mut pv = vec![!0u64; blocks];
    let mut mv = vec![0u64; blocks];
    // Each block's cost at its bottom row; before any text, row i costs i.
    let mut bottom: Vec<usize> = (0..blocks).map(|b| 64 * b + height(b)).collect();
    let mut last = (k / 64).min(blocks - 1);
    let mut best = Best::new(m);
    for (j, &c) in t.iter().enumerate() {
        let eq = &peq[c as usize * blocks..(c as usize + 1) * blocks];
        let mut hin = 0i64;
        let mut before = bottom[last];
        for b in 0..=last {
            before = bottom[b];
            hin = column(&mut pv[b], &mut mv[b], &mut bottom[b], eq[b], hin, height(b));
        }
        // The block below wakes when a path can reach it: through the
        // last block's bottom row, in this column or the one before.
        while last + 1 < blocks && before.min(bottom[last]) <= k {
            let b = last + 1;
            // Its cells, all above k in the column before: the cost of the
            // row above plus one per row, the most they can be.
            (pv[b], mv[b]) = (!0, 0);
            before += height(b);
            bottom[b] = before;
            hin = column(&mut pv[b], &mut mv[b], &mut bottom[b], eq[b], hin, height(b));
            last = b;
        }
        // A block whose bottom is this far above k holds no cell of k or less.
        while last > 0 && bottom[last] >= k + height(last) {
            last -= 1;
        }
        if last + 1 == blocks {
            best.offer(t, bottom[last], j + 1);
        }
    }
    (best.distance, best.end)
}

/// The last row of an edit-distance table, computed column by column with
/// Myers' bit vectors (in Hyyrö's blocks of 64 pattern bytes): each column
/// holds, per row, whether the cost goes up or down from the row above.
/// `anchored`: the text is aligned from its first byte (the table's top
/// row counts the text bytes skipped); otherwise it may start anywhere.
pub(crate) struct BitTable {
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
    pub(crate) fn new(p: impl ExactSizeIterator<Item = u8>, anchored: bool) -> Self {
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
    pub(crate) fn score(&self) -> usize {
        self.score
    }

    /// Advances one text byte and returns the new cost of the last row.
    pub(crate) fn step(&mut self, c: u8) -> usize {
        // The change along the top row: none when the text may start
        // anywhere, one more skipped byte when it is anchored.
        let mut hin: i64 = i64::from(self.anchored);
        for b in 0..self.blocks {
            let eq = self.peq[c as usize * self.blocks + b];
            let (ph, mh) = advance(&mut self.pv[b], &mut self.mv[b], eq, hin);
            if b + 1 == self.blocks {
                self.score = self.score + usize::from(ph & self.last != 0) - usize::from(mh & self.last != 0);
            }
            hin = (ph >> 63) as i64 - (mh >> 63) as i64;
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
