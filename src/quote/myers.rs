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
