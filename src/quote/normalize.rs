//! Normalisation of sources and quotes into comparable text, with a map from
//! every normalised byte back to the original bytes, so that every label
//! lands on the real text.
//!
//! What counts as the same words: Unicode NFKC; curly, angled and low
//! quotation marks fold to `"` or `'`; dashes and minus signs fold to `-`
//! (runs of them, like `--`, to one, and white space around a dash is
//! dropped, since writers and typesetters space dashes differently); `…` is
//! `...`; soft hyphens and zero-width characters vanish; any run of white
//! space is one space; a word broken by a hyphen at a line end is joined.
//! Case is kept: only the quote's first letter may differ in case, and the
//! search handles that.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::canonical_combining_class;

use crate::model::Span;

/// A run of normalised bytes with one rule back to the original: `linear`
/// runs were copied byte for byte; others all map to one original position
/// (a folded or expanded character).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Seg {
    norm: u32,
    orig: u32,
    linear: bool,
}

/// Text after normalisation, with its map back to the original.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    pub text: String,
    pub map: OffsetMap,
}

/// Where each byte of a normalised text came from, and where its paragraphs
/// start: all that placing a finding in the original needs, so a large
/// source's normalised text can be let go once it has been searched.
///
/// The map is run-length: a new run starts only where the offset between the
/// two texts changes (a collapsed white-space run, a folded character), so it
/// costs a few bytes per such place rather than four per byte.
#[derive(Debug, Default, Clone)]
pub struct OffsetMap {
    segs: Vec<Seg>,
    /// Normalised offsets where paragraphs start (a blank line separates
    /// paragraphs); always starts with 0.
    pub paragraphs: Vec<u32>,
    orig_len: usize,
    /// The length of the normalised text.
    len: usize,
    /// The original is markup (HTML): a span's end is not carried over the
    /// tags that follow its last character.
    markup: bool,
}

/// Where each byte of a text extracted from a file (a page's visible text)
/// stands in the file: runs, as in [`OffsetMap`]. A reader builds it with
/// [`Origins::push`]; [`OffsetMap::through`] carries a normalised text's
/// map on through it, so that labels land in the file itself.
#[derive(Debug, Default, Clone)]
pub struct Origins {
    segs: Vec<Seg>,
    text_len: usize,
    file_len: usize,
}

impl Origins {
    /// Text from byte `text_at` on comes from file byte `file_at`: byte for
    /// byte when `linear`, else all of it from that one place (a decoded
    /// reference, a separator a tag stands for).
    pub fn push(&mut self, text_at: usize, file_at: usize, linear: bool) {
        extend_map(&mut self.segs, text_at, file_at, linear);
    }

    /// Records the lengths of the text and the file, once all is pushed.
    pub fn finish(&mut self, text_len: usize, file_len: usize) {
        (self.text_len, self.file_len) = (text_len, file_len);
    }

    /// The file offset of text byte `i`.
    fn at(&self, i: usize) -> usize {
        let k = self.segs.partition_point(|s| s.norm as usize <= i).saturating_sub(1);
        let Some(s) = self.segs.get(k) else { return 0 };
        if s.linear { s.orig as usize + (i - s.norm as usize) } else { s.orig as usize }
    }

    /// Where the run that holds text byte `i` ends in the text.
    fn run_end(&self, i: usize) -> usize {
        let k = self.segs.partition_point(|s| s.norm as usize <= i);
        self.segs.get(k).map_or(self.text_len, |s| s.norm as usize)
    }
}

/// Characters that vanish: soft hyphen and zero-width characters.
fn vanishes(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{180E}')
}

/// The folded form of one (already NFKC) character.
fn fold(c: char) -> char {
    match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' | '\u{301D}' | '\u{301E}' | '\u{301F}' => {
            '"'
        }
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2039}' | '\u{203A}' | '\u{2032}' | '\u{0060}' | '\u{02BC}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{2E3A}'
        | '\u{2E3B}' => '-',
        c => c,
    }
}

struct Builder<'o> {
    orig: &'o str,
    text: String,
    segs: Vec<Seg>,
    paragraphs: Vec<u32>,
    /// Where a white-space run started, when a space is owed before the next character.
    pending_space: Option<u32>,
    /// Line breaks seen in the current white-space run.
    newlines: u32,
}

impl<'o> Builder<'o> {
    fn new(orig: &'o str, capacity: usize) -> Self {
        Builder { orig, text: String::with_capacity(capacity), segs: Vec::new(), paragraphs: vec![0], pending_space: None, newlines: 0 }
    }

    fn push(&mut self, c: char, origin: usize) {
        if vanishes(c) {
            return;
        }
        if c.is_whitespace() {
            if !self.text.is_empty() && self.pending_space.is_none() {
                self.pending_space = Some(origin as u32);
            }
            self.newlines += u32::from(c == '\n');
            return;
        }
        let c = fold(c);
        let paragraph = self.newlines >= 2 && !self.text.is_empty();
        self.newlines = 0;
        if c == '-' {
            // White space around a dash is typography, not words.
            self.pending_space = None;
            if self.text.ends_with('-') {
                return;
            }
        } else if let Some(at) = self.pending_space.take()
            && !self.text.ends_with('-')
        {
            self.emit(' ', at as usize);
        }
        if paragraph {
            self.paragraphs.push(self.text.len() as u32);
        }
        self.emit(c, origin);
    }

    /// Appends a run of plain ASCII (no white space at its ends, single
    /// spaces inside, no dash): what `push` would do character by character,
    /// in one copy and at most one new segment.
    fn push_run(&mut self, run: &str, origin: usize) {
        let paragraph = self.newlines >= 2 && !self.text.is_empty();
        self.newlines = 0;
        if let Some(at) = self.pending_space.take()
            && !self.text.ends_with('-')
        {
            self.emit(' ', at as usize);
        }
        if paragraph {
            self.paragraphs.push(self.text.len() as u32);
        }
        extend_map(&mut self.segs, self.text.len(), origin, true);
        self.text.push_str(run);
    }

    fn emit(&mut self, c: char, origin: usize) {
        let n = self.text.len();
        // One byte maps to one place either way; a longer character runs on
        // linearly only when it is the original's own bytes.
        let linear = c.len_utf8() == 1 || self.orig[origin..].starts_with(c);
        extend_map(&mut self.segs, n, origin, linear);
        self.text.push(c);
    }
}

/// Maps normalised byte `norm` to original byte `origin`: a new segment,
/// unless both this byte and the last segment run on linearly to it.
fn extend_map(segs: &mut Vec<Seg>, norm: usize, origin: usize, linear: bool) {
    let continues = segs.last().is_some_and(|s| s.linear && linear && s.orig as usize + (norm - s.norm as usize) == origin);
    if !continues {
        segs.push(Seg { norm: norm as u32, orig: origin as u32, linear });
    }
}

/// Texts this long are normalised in two halves at once.
const HALVES_FROM: usize = 1 << 20;

/// Normalises `orig`. Offsets are `u32`: a single source is limited to 4 GiB.
pub fn normalize(orig: &str) -> Normalized {
    // A large source is often one file (a book, a corpus): two cores
    // normalise it in half the time.
    match (orig.len() >= HALVES_FROM).then(|| paragraph_cut(orig)).flatten() {
        Some(cut) => normalize_halves(orig, cut),
        None => normalize_with(orig, true),
    }
}

/// A place past the middle where each side normalises as it would in the
/// whole: right after a blank line, before a plain ASCII character that is
/// not a dash (nothing there can combine with or fold into what precedes),
/// and with no `-` before the blank line (a word broken at a line end is
/// joined across white space).
fn paragraph_cut(orig: &str) -> Option<usize> {
    let mid = orig.len() / 2;
    memchr::memmem::find_iter(&orig.as_bytes()[mid..], b"\n\n").map(|i| mid + i + 2).take(64).find(|&p| can_cut(orig, p))
}

/// Whether `orig` can be cut at `p`, just after a blank line.
fn can_cut(orig: &str, p: usize) -> bool {
    orig.as_bytes().get(p).is_some_and(|&c| c.is_ascii_graphic() && c != b'-') && !orig[..p].trim_end().ends_with('-')
}

/// Normalises the two sides of a [`paragraph_cut`] in parallel and joins
/// them as one pass would: the blank line between them is one space (none
/// after a dash) and starts a paragraph. The first side is written where
/// the whole will be, so only the second is copied (and held twice while
/// it is).
fn normalize_halves(orig: &str, cut: usize) -> Normalized {
    let ((first, pending), (second, _)) =
        rayon::join(|| normalize_part(&orig[..cut], true, orig.len() + 1), || normalize_part(&orig[cut..], true, orig.len() - cut));
    let mut text = first.text;
    let mut map = first.map;
    if let Some(at) = pending.filter(|_| !second.text.is_empty()) {
        if !text.ends_with('-') {
            extend_map(&mut map.segs, text.len(), at as usize, true);
            text.push(' ');
        }
        map.paragraphs.push(text.len() as u32);
    }
    let shift = text.len();
    for s in &second.map.segs {
        extend_map(&mut map.segs, shift + s.norm as usize, cut + s.orig as usize, s.linear);
    }
    map.paragraphs.extend(second.map.paragraphs[1..].iter().map(|p| p + shift as u32));
    text.push_str(&second.text);
    map.orig_len = orig.len();
    map.len = text.len();
    Normalized { text, map }
}

/// `fast` copies plain ASCII runs whole; without it every character takes
/// the general path (the tests hold the two to the same result).
fn normalize_with(orig: &str, fast: bool) -> Normalized {
    normalize_part(orig, fast, orig.len()).0
}

/// As [`normalize_with`], into a text with room for `capacity` bytes, with
/// where the white space that ends the text started, if a space is owed
/// before whatever would follow.
fn normalize_part(orig: &str, fast: bool, capacity: usize) -> (Normalized, Option<u32>) {
    let mut b = Builder::new(orig, capacity);
    let bytes = orig.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        if byte == b'-'
            && let Some(next) = hyphen_break_end(orig, i, &b.text)
        {
            // `inter-\n  national` is one word broken across lines.
            i = next;
            continue;
        }
        let run = if fast { plain_run(bytes, i) } else { i };
        if run > i {
            // Most of a source is plain ASCII prose: copied a run at a time.
            b.push_run(&orig[i..run], i);
            i = run;
            continue;
        }
        let next_is_ascii = bytes.get(i + 1).is_none_or(|n| n.is_ascii());
        if byte.is_ascii() && next_is_ascii {
            b.push(byte as char, i);
            i += 1;
            continue;
        }
        // A base character and the combining marks after it normalise together.
        let c = orig[i..].chars().next().unwrap_or('\u{FFFD}');
        let mut end = i + c.len_utf8();
        for m in orig[end..].chars() {
            if canonical_combining_class(m) == 0 {
                break;
            }
            end += m.len_utf8();
        }
        let cluster = &orig[i..end];
        if cluster.len() == 1 || (cluster.chars().count() == 1 && c.is_ascii()) {
            b.push(c, i);
        } else {
            for n in cluster.nfkc() {
                b.push(n, i);
            }
        }
        i = end;
    }
    let map = OffsetMap { segs: b.segs, paragraphs: b.paragraphs, orig_len: orig.len(), len: b.text.len(), markup: false };
    (Normalized { text: b.text, map }, b.pending_space)
}

/// Bytes that normalise to themselves, whatever surrounds them: ASCII
/// graphic characters but the dash (spaces around it vanish, runs of it
/// fold) and the backtick (folds to an apostrophe).
const fn plain_table() -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0x21;
    while b <= 0x7E {
        t[b] = b != b'-' as usize && b != b'`' as usize;
        b += 1;
    }
    t
}

static PLAIN: [bool; 256] = plain_table();

/// The end of the run of plain bytes (and single spaces between them) that
/// starts at `i`; `i` when there is none. The run stops short of a byte
/// that a non-ASCII character follows, since combining marks normalise
/// with the character before them.
fn plain_run(bytes: &[u8], i: usize) -> usize {
    if !bytes.get(i).is_some_and(|&b| PLAIN[b as usize]) {
        return i;
    }
    let mut j = i + 1;
    // Eight bytes at a time, with the byte after them (a space's follower),
    // the first byte that ends the run found by its bit: no branch per byte.
    while let Some(w) = bytes.get(j..j + 9) {
        let x = u64::from_le_bytes(w[..8].try_into().expect("8 bytes"));
        let ends = run_ends(x, !PLAIN[w[8] as usize]);
        if ends != 0 {
            return stop_short(bytes, i, j + ends.trailing_zeros() as usize / 8);
        }
        j += 8;
    }
    while continues_run(bytes, i, j) {
        j += 1;
    }
    stop_short(bytes, i, j)
}

/// Whether the byte at `j` continues a plain run that started at `i`: a
/// plain byte, or a single space (not the run's first byte) before one.
fn continues_run(bytes: &[u8], i: usize, j: usize) -> bool {
    let Some(&b) = bytes.get(j) else { return false };
    PLAIN[b as usize] || (b == b' ' && j > i && bytes.get(j + 1).is_some_and(|&n| PLAIN[n as usize]))
}

/// The run's end, one byte short when a non-ASCII character follows (it
/// may be a combining mark for the run's last character).
fn stop_short(bytes: &[u8], i: usize, j: usize) -> usize {
    if j < bytes.len() && !bytes[j].is_ascii() && j > i { j - 1 } else { j }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;
const LOW: u64 = !HIGH;

/// The high bit of each byte of `v` that equals `c`. Exact, unlike the
/// usual zero-byte test: adding within the low seven bits never carries
/// into the next byte, so a match cannot mark its neighbours.
fn equal_bytes(v: u64, c: u8) -> u64 {
    let t = v ^ (ONES * u64::from(c));
    !((t & LOW).wrapping_add(LOW) | t) & HIGH
}

/// The high bit of each byte of `v` that is not plain (exact): non-ASCII,
/// below `!` (control bytes, line breaks, the space), DEL, dash, backtick.
fn unplain_bytes(v: u64) -> u64 {
    let from_bang = (v & LOW).wrapping_add(ONES * (0x80 - 0x21)) & HIGH;
    (v & HIGH) | (!from_bang & HIGH) | equal_bytes(v, 0x7F) | equal_bytes(v, b'-') | equal_bytes(v, b'`')
}

/// The high bit of each of eight bytes (in memory order) that would end a
/// plain run past its first byte: a byte that is not plain, unless it is a
/// space before a plain byte. `after_unplain` tells whether the byte after
/// the eight is not plain.
fn run_ends(x: u64, after_unplain: bool) -> u64 {
    let unplain = unplain_bytes(x);
    let next_unplain = (unplain >> 8) | (u64::from(after_unplain) << 63);
    unplain & !(equal_bytes(x, b' ') & !next_unplain)
}

/// If the hyphen at `i` ends a line inside a word (a letter before it, white
/// space with a line break after it, then a lower-case letter), the offset of
/// that letter.
fn hyphen_break_end(orig: &str, i: usize, out: &str) -> Option<usize> {
    if !out.chars().next_back().is_some_and(char::is_alphabetic) {
        return None;
    }
    let rest = &orig[i + 1..];
    // A form feed ends a PDF's page before its line break.
    let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\u{c}']);
    let after_break = trimmed.strip_prefix('\n')?;
    let word = after_break.trim_start();
    word.chars().next().filter(|c| c.is_lowercase())?;
    Some(orig.len() - word.len())
}

impl Normalized {
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The original offset of normalised byte `i` (of the character it belongs to).
    pub fn orig_at(&self, i: usize) -> usize {
        self.map.orig_at(i)
    }

    /// The span in the original of a normalised range, without white space
    /// or vanished characters at its ends.
    pub fn original_span(&self, orig: &str, r: Range<usize>) -> Span {
        self.map.original_span(orig, r)
    }

    /// The paragraph (as a normalised range) that contains offset `at`.
    pub fn paragraph_of(&self, at: usize) -> Range<usize> {
        self.map.paragraph_of(at)
    }

    /// The map alone, the text let go.
    pub fn into_map(self) -> OffsetMap {
        self.map
    }
}

/// The start of the character that holds byte `i` (or the end of `s`).
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl OffsetMap {
    /// Bytes of memory the map holds.
    pub fn held_bytes(&self) -> usize {
        self.segs.capacity() * std::mem::size_of::<Seg>() + self.paragraphs.capacity() * 4
    }

    /// The length of the original text.
    pub fn orig_len(&self) -> usize {
        self.orig_len
    }

    /// The original offset of normalised byte `i` (of the character it belongs to).
    pub fn orig_at(&self, i: usize) -> usize {
        let k = self.segs.partition_point(|s| s.norm as usize <= i).saturating_sub(1);
        let Some(s) = self.segs.get(k) else { return 0 };
        if s.linear { s.orig as usize + (i - s.norm as usize) } else { s.orig as usize }
    }

    /// The span in the original of a normalised range, without white space
    /// or vanished characters at its ends.
    pub fn original_span(&self, orig: &str, r: Range<usize>) -> Span {
        if self.len == 0 {
            return Span::new(0, 0);
        }
        // The end of the normalised text is the end of the original (clamping
        // to the last byte could land inside a character).
        let start = if r.start >= self.len { self.orig_len } else { self.orig_at(r.start) };
        if r.end <= r.start {
            return Span::new(start, start);
        }
        // A character copied as it was maps byte for byte, a folded one maps
        // all its bytes to where it starts: either way the character in the
        // original that holds the mapped last byte is the last one.
        let last = floor_boundary(orig, self.orig_at(r.end - 1));
        let last_len = orig[last..].chars().next().map_or(1, char::len_utf8);
        let next = if r.end < self.len { self.orig_at(r.end) } else { self.orig_len };
        let mut end = if next > last { next } else { last + last_len };
        loop {
            while end > last + last_len {
                let Some(c) = orig[..end].chars().next_back() else { break };
                if !(c.is_whitespace() || vanishes(c)) {
                    break;
                }
                end -= c.len_utf8();
            }
            // In markup, a tag after the last character is not part of the passage.
            let tag = self.markup && end > last + last_len && orig.as_bytes()[end - 1] == b'>';
            match tag.then(|| orig[last + last_len..end].rfind('<')).flatten() {
                Some(lt) => end = last + last_len + lt,
                None => break,
            }
        }
        Span::new(start, end)
    }

    /// This map carried on through `outer`: from the normalised text to the
    /// file that the text was extracted from.
    pub fn through(self, outer: &Origins) -> OffsetMap {
        let mut segs: Vec<Seg> = Vec::with_capacity(self.segs.len() + outer.segs.len());
        for (k, s) in self.segs.iter().enumerate() {
            let norm_end = self.segs.get(k + 1).map_or(self.len, |n| n.norm as usize);
            let (norm, inner) = (s.norm as usize, s.orig as usize);
            if !s.linear {
                extend_map(&mut segs, norm, outer.at(inner), false);
                continue;
            }
            // A linear run crosses the outer runs it spans, piece by piece.
            let mut at = inner;
            let inner_end = inner + (norm_end - norm);
            while at < inner_end {
                let piece_end = outer.run_end(at).min(inner_end);
                let run = outer.segs.partition_point(|x| x.norm as usize <= at).saturating_sub(1);
                let linear = outer.segs.get(run).is_some_and(|x| x.linear);
                extend_map(&mut segs, norm + (at - inner), outer.at(at), linear);
                at = piece_end.max(at + 1);
            }
        }
        OffsetMap { segs, paragraphs: self.paragraphs, orig_len: outer.file_len, len: self.len, markup: true }
    }

    /// The paragraph (as a normalised range) that contains offset `at`.
    pub fn paragraph_of(&self, at: usize) -> Range<usize> {
        let k = self.paragraphs.partition_point(|&p| p as usize <= at).saturating_sub(1);
        let start = self.paragraphs[k] as usize;
        let end = self.paragraphs.get(k + 1).map_or(self.len, |&p| p as usize);
        start..end
    }
}

#[cfg(test)]
#[path = "normalize_tests.rs"]
mod tests;
