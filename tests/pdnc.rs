//! Real data: every verbatim quotation of the Project Dialogism Novel Corpus
//! (../shared/corpora/pdnc: 28 novels, 48,810 annotated sub-quotations) must
//! be found in its novel, at its annotated span or at an earlier identical
//! passage. Skips, saying why, when the corpus is not beside the project.

use std::path::{Path, PathBuf};

use citelint::quote::exact;
use citelint::quote::markup;
use citelint::quote::normalize::normalize;

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/pdnc");
    p.is_dir().then_some(p)
}

#[path = "support/pdnc_csv.rs"]
mod pdnc_csv;
use pdnc_csv::{byte_spans, python_strings};

/// `passage` is the start of `rest`, word for word (the first letter's case may differ).
fn same_words(passage: &str, rest: &str) -> bool {
    let mut end = rest.len().min(passage.len() * 2 + 64);
    while !rest.is_char_boundary(end) {
        end -= 1;
    }
    let (p, r) = (normalize(passage).text, normalize(&rest[..end]).text);
    let first_free = |s: &str| {
        let mut c = s.chars();
        c.next().map(|f| f.to_lowercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    first_free(&r).starts_with(&first_free(&p))
}

#[test]
fn every_verbatim_pdnc_quotation_is_found_at_its_span() {
    let Some(root) = corpus() else {
        eprintln!("skipped: ../shared/corpora/pdnc is not beside the project (CI has it)");
        return;
    };
    let mut novels: Vec<PathBuf> =
        std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.join("quotation_info.csv").is_file()).collect();
    novels.sort();
    let (mut checked, mut at_span, mut earlier, mut not_verbatim) = (0usize, 0usize, 0usize, 0usize);
    let mut missed = Vec::new();
    for novel in &novels {
        let text = std::fs::read_to_string(novel.join("novel_text.txt")).unwrap();
        let norm = normalize(&text);
        let mut rdr = csv::Reader::from_path(novel.join("quotation_info.csv")).unwrap();
        let mut quotes = Vec::new();
        for row in rdr.records() {
            let row = row.unwrap();
            for (sub, (a, e)) in python_strings(&row[2]).into_iter().zip(byte_spans(&row[3])) {
                // Only quotations that stand verbatim at their span are claims a writer could make.
                if text.get(a..e) != Some(sub.as_str()) {
                    not_verbatim += 1;
                    continue;
                }
                quotes.push((sub, a, e));
            }
        }
        let parsed: Vec<_> = quotes.iter().map(|(q, _, _)| markup::parse(&normalize(q).text)).collect();
        let refs: Vec<_> = parsed.iter().collect();
        let hits = exact::find_all(&norm, &refs);
        for ((q, a, e), (hit, p)) in quotes.iter().zip(hits.iter().zip(&parsed)) {
            // A quote made only of punctuation has nothing to find.
            if p.literal.pieces[0].text.is_empty() {
                continue;
            }
            checked += 1;
            let Some(hit) = hit else {
                missed.push(format!("{}: {q:?} at {a}..{e}", novel.display()));
                continue;
            };
            let found = norm.original_span(&text, hit.range());
            // The hit covers the quote without its end marks; compare starts
            // after skipping the same marks at the annotated span.
            let lead = q.len() - q.trim_start_matches(|c: char| "\"'.,;:!? ".contains(c) || c.is_whitespace()).len();
            if found.start == a + lead {
                at_span += 1;
            } else if found.start < a + lead && same_words(&text[found.start..found.end], &text[a + lead..]) {
                earlier += 1;
            } else {
                missed.push(format!("{}: {q:?} annotated at {a}, found at {}", novel.display(), found.start));
            }
        }
    }
    eprintln!(
        "PDNC: {checked} verbatim sub-quotations in {} novels: {at_span} at their span, {earlier} at an earlier identical passage; {not_verbatim} not verbatim at their span (not checked)",
        novels.len()
    );
    assert!(missed.is_empty(), "{} missed, e.g.:\n{}", missed.len(), missed.iter().take(10).cloned().collect::<Vec<_>>().join("\n"));
    assert!(checked > 40_000, "only {checked} checked");
}
