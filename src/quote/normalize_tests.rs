//! Normalisation held to its rules: what folds, what joins, and the map
//! back to the original, on made and generated texts.

use super::*;

/// The next number of a xorshift sequence: generated texts, the same on every run.
fn xorshift(seed: &mut u64) -> usize {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed as usize
}

fn n(s: &str) -> String {
    normalize(s).text
}

#[test]
fn folds_typography() {
    assert_eq!(n("\u{201C}police stations\u{201D}"), "\"police stations\"");
    assert_eq!(n("Italy\u{2019}s"), "Italy's");
    assert_eq!(n("Prato \u{2013} a city"), "Prato-a city");
    assert_eq!(n("Prato - a city"), "Prato-a city");
    assert_eq!(n("a -- b"), "a-b");
    assert_eq!(n("wait\u{2026} what"), "wait... what");
    assert_eq!(n("in\u{00AD}vis\u{200B}ible"), "invisible");
    assert_eq!(n("  a \n\t b\u{00A0}c  "), "a b c");
    assert_eq!(n("\u{FB01}ne"), "fine");
}

#[test]
fn joins_words_broken_at_line_ends() {
    assert_eq!(n("inter-\n   national law"), "international law");
    // A dash before a capital or a number is not a broken word.
    assert_eq!(n("Rome-\nMilan"), "Rome-Milan");
}

#[test]
fn composes_combining_marks() {
    assert_eq!(n("cafe\u{0301} bar"), "caf\u{e9} bar");
}

#[test]
fn maps_back_to_original_bytes() {
    let orig = "He said \u{201C}hello\u{201D} \n\n to  me\u{2026}";
    let norm = normalize(orig);
    let at = norm.text.find("hello").unwrap();
    let sp = norm.original_span(orig, at..at + 5);
    assert_eq!(&orig[sp.range()], "hello");
    let q = norm.text.find('"').unwrap();
    let sp = norm.original_span(orig, q..q + 7);
    assert_eq!(&orig[sp.range()], "\u{201C}hello\u{201D}");
    let to = norm.text.find("to me").unwrap();
    assert_eq!(&orig[norm.original_span(orig, to..to + 5).range()], "to  me");
    let dots = norm.text.find("...").unwrap();
    assert_eq!(&orig[norm.original_span(orig, dots..dots + 3).range()], "\u{2026}");
}

#[test]
fn map_is_run_length() {
    let orig = "plain ascii text with caf\u{e9} and more words here ".repeat(100);
    let norm = normalize(&orig);
    assert!(norm.map.segs.len() <= 2, "{} runs", norm.map.segs.len());
    let at = norm.text.find("caf\u{e9}").unwrap();
    assert_eq!(&orig[norm.original_span(&orig, at..at + 5).range()], "caf\u{e9}");
}

#[test]
fn plain_run_reads_eight_bytes_as_one_at_a_time() {
    // The eight-byte test must accept exactly what the byte loop
    // accepts, at every start and alignment: single and double spaces,
    // a space before the end of a word, dashes, backticks, DEL, line
    // breaks and non-ASCII bytes.
    fn bytewise(bytes: &[u8], i: usize) -> usize {
        let mut j = i;
        while continues_run(bytes, i, j) {
            j += 1;
        }
        stop_short(bytes, i, j)
    }
    let alphabet: &[&[u8]] = &[b"a", b"Z", b" ", b" ", b"  ", b"-", b"`", b"\x7F", b"\n", b"\t", b".", "\u{e9}".as_bytes(), b"abcdefgh"];
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for _ in 0..20_000 {
        let mut s = Vec::new();
        for _ in 0..10 {
            s.extend_from_slice(alphabet[xorshift(&mut seed) % alphabet.len()]);
        }
        for i in 0..s.len() {
            assert_eq!(plain_run(&s, i), bytewise(&s, i), "{:?} from {i}", String::from_utf8_lossy(&s));
        }
    }
}

#[test]
fn byte_masks_mark_exactly_the_bytes_they_name() {
    // Every byte value at every place, among neighbours that would
    // borrow or carry into it in the usual zero-byte test.
    for b in 0..=255u8 {
        for k in 0..8 {
            for fill in [0x00u8, 0x20, 0x2D, 0x61, 0x80, 0xFF] {
                let mut w = [fill; 8];
                w[k] = b;
                let x = u64::from_le_bytes(w);
                for (m, &v) in w.iter().enumerate() {
                    let bit = 1u64 << (8 * m + 7);
                    assert_eq!(equal_bytes(x, b' ') & bit != 0, v == b' ', "{w:?} at {m}");
                    assert_eq!(unplain_bytes(x) & bit != 0, !PLAIN[v as usize], "{w:?} at {m}");
                }
                assert_eq!(unplain_bytes(x) & !HIGH, 0);
            }
        }
    }
}

/// Pieces of text that normalise awkwardly next to each other: dashes,
/// doubled spaces, line breaks, combining marks, curly quotes,
/// backticks, hyphenated breaks, ligatures, characters that vanish.
const AWKWARD: &[&str] = &[
    "word",
    " ",
    "  ",
    "\n",
    "\n\n",
    "-",
    " - ",
    "--",
    "\u{301}",
    "e\u{301}",
    "\u{201C}",
    "`",
    "inter-\n  national",
    "\t",
    "\u{2026}",
    ".",
    "\u{AD}",
    "x",
    "plain words here",
    "\u{7F}",
    "\u{FB01}",
    "\u{e9}t\u{e9}",
    "\u{A0}",
    "\u{2014}",
];

/// `count` texts of twelve awkward pieces each, the same on every run.
fn awkward_texts(count: usize) -> impl Iterator<Item = String> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    (0..count).map(move |_| (0..12).map(|_| AWKWARD[xorshift(&mut seed) % AWKWARD.len()]).collect())
}

#[test]
fn plain_runs_normalise_as_character_by_character() {
    // The fast path must agree with the general one on the text, the
    // paragraphs and the map of every byte.
    for s in awkward_texts(3000) {
        let (fast, slow) = (normalize_with(&s, true), normalize_with(&s, false));
        assert_eq!(fast.text, slow.text, "{s:?}");
        assert_eq!(fast.map.paragraphs, slow.map.paragraphs, "{s:?}");
        for i in 0..=fast.text.len() {
            assert_eq!(fast.orig_at(i), slow.orig_at(i), "{s:?} at {i}");
        }
    }
}

#[test]
fn the_map_alone_finds_a_ranges_last_character() {
    // `original_span` finds the last character through the original,
    // since the normalised text may be gone by then; it must be the
    // character that walking back in the normalised text finds.
    for s in awkward_texts(3000) {
        let norm = normalize(&s);
        for i in 0..norm.text.len() {
            let by_text = norm.orig_at(floor_boundary(&norm.text, i));
            assert_eq!(floor_boundary(&s, norm.orig_at(i)), by_text, "{s:?} at {i}");
        }
    }
}

#[test]
fn halves_normalise_as_one_pass() {
    // Awkward pieces around blank lines (dashes, broken words, combining
    // marks and white space of every kind next to them): at every place
    // where `paragraph_cut` would cut, the joined halves must be the one
    // pass, map and paragraphs included.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut cuts = 0;
    // A word broken across a line end with other white space before the
    // blank line; a folded dash; a vanishing character after dashes.
    let made = ["inter-\n\u{A0}\n\nnational", "a \u{2014}\n\nB", "x\u{AD}--\n\nY", "e\u{301}\n\n\u{301}x \n\nz"].map(str::to_owned);
    let random = awkward_texts(2000).map(|s| s.replacen(AWKWARD[xorshift(&mut seed) % AWKWARD.len()], "\n\n", 1) + "\n\nword" + &s);
    for s in made.into_iter().chain(random) {
        let whole = normalize_with(&s, true);
        for cut in (2..s.len()).filter(|&p| &s.as_bytes()[p - 2..p] == b"\n\n" && can_cut(&s, p)) {
            cuts += 1;
            let halves = normalize_halves(&s, cut);
            assert_eq!(halves.text, whole.text, "{s:?} cut at {cut}");
            assert_eq!(halves.map.segs, whole.map.segs, "{s:?} cut at {cut}");
            assert_eq!(halves.map.paragraphs, whole.map.paragraphs, "{s:?} cut at {cut}");
            assert_eq!((halves.map.len, halves.map.orig_len), (whole.map.len, whole.map.orig_len));
        }
    }
    assert!(cuts > 1000, "only {cuts} cuts tried");
}

#[test]
fn a_large_text_is_normalised_in_halves_as_in_one_pass() {
    let s: String = awkward_texts(40_000).collect::<Vec<_>>().join("\n\nThe ");
    assert!(s.len() >= HALVES_FROM && paragraph_cut(&s).is_some());
    let (halves, whole) = (normalize(&s), normalize_with(&s, true));
    assert_eq!(halves.text, whole.text);
    assert_eq!(halves.map.segs, whole.map.segs);
    assert_eq!(halves.map.paragraphs, whole.map.paragraphs);
}

#[test]
fn finds_paragraphs() {
    let norm = normalize("One para\nstill one.\n\nTwo.\r\n\r\nThree.");
    assert_eq!(norm.map.paragraphs.len(), 3);
    let two = norm.text.find("Two").unwrap();
    assert_eq!(&norm.text[norm.paragraph_of(two)], "Two. ");
}
