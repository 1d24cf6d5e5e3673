//! Workload 1b: short quotes. 1,000 quotes of 3 to 6 words cut from the
//! news source, half of them with one letter edit: the case the voting
//! cannot serve alone (too few grams, and common ones), held to an
//! exhaustive alignment of each edited quote against the whole source.

use super::*;
use citelint::quote::compared_text;
use citelint::quote::myers::semi_global;
use citelint::quote::normalize::normalize;

/// Runs of 3 to 6 words from the corpus's sentences, each standing once in it.
fn short_runs(rng: &mut Rng, corpus: &str, n: usize) -> Vec<String> {
    let pool = sentences(corpus);
    let mut out = Vec::new();
    let mut used = HashSet::new();
    while out.len() < n {
        let words: Vec<&str> = pool[rng.below(pool.len())].split(' ').collect();
        let len = 3 + rng.below(4);
        if words.len() <= len {
            continue;
        }
        let at = rng.below(words.len() - len);
        let run = words[at..at + len].join(" ");
        let run = run.trim_matches(|c: char| !c.is_ascii_alphanumeric()).to_owned();
        if run.split(' ').count() >= 3 && used.insert(run.clone()) {
            out.push(run);
        }
    }
    out
}

/// The reference: the least edit distance between the quote as citelint
/// compares it and any substring of the normalised source.
fn optimal(text: &str, quote: &str) -> u64 {
    semi_global(compared_text(quote).as_bytes(), text.as_bytes()).0 as u64
}

pub(super) fn short(a: &Args, rep: &mut Report) {
    let dir = a.work.join("short");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("sources")).unwrap();
    let corpus = if a.smoke {
        text_files(&Path::new(MANIFEST).join("seeds")).iter().map(|p| read_lossy(p)).collect::<Vec<_>>().join("\n\n")
    } else {
        let bbc = shared().expect("../shared/corpora is needed for the short-quote workload").join("bbc");
        text_files(&bbc).iter().map(|p| read_lossy(p)).collect::<Vec<_>>().join("\n\n")
    };
    std::fs::write(dir.join("sources/news.txt"), &corpus).unwrap();
    let n = if a.smoke { 60 } else { 1000 };
    let mut rng = Rng::new(7);
    let mut quotes = Vec::new();
    for (k, run) in short_runs(&mut rng, &corpus, n).into_iter().enumerate() {
        let (kind, quote) = if k % 2 == 0 { ("verbatim", run) } else { ("edited", edit(&mut rng, &run, 1)) };
        // An edit that leaves text of the source (even inside a word) is dropped.
        if kind == "edited" && verbatim_core(&corpus, &quote) {
            continue;
        }
        quotes.push(Quote { id: format!("short-{k:04}"), kind, source: "news.txt".into(), quote });
    }
    write_claims(&dir.join("claims"), &quotes);

    let out = dir.join("citelint.json");
    let runs: Vec<Run> = if a.smoke { vec![citelint_check(a, &dir, &out)] } else { after_warm_up(5, || citelint_check(a, &dir, &out)) };
    let wall = median(runs.iter().map(|r| r.wall).collect());
    let found = findings(&out);
    let text = normalize(&corpus).text;
    let wrong: Vec<String> = quotes
        .par_iter()
        .filter_map(|q| {
            let got = found.get(&q.id).cloned().unwrap_or_default();
            // A short quote standing in several places is found, with a warning.
            let rules: Vec<&str> = got.iter().map(|(r, _)| r.as_str()).filter(|r| *r != "quote-too-short").collect();
            match q.kind {
                "verbatim" if rules.is_empty() => None,
                "edited" if rules == ["quote-mismatch"] => {
                    let (want, d) = (optimal(&text, &q.quote), got.iter().find_map(|(_, d)| *d));
                    (d != Some(want)).then(|| format!("{} {:?}: distance {d:?}, the optimum {want}", q.id, q.quote))
                }
                _ => Some(format!("{} ({}) {:?}: got {rules:?}", q.id, q.kind, q.quote)),
            }
        })
        .collect();
    for w in &wrong {
        eprintln!("short: WRONG {w}");
    }
    rep.wrong += wrong.len();
    let edited = quotes.iter().filter(|q| q.kind == "edited").count();
    println!(
        "short: citelint {} (median of {}), {} of {} verdicts right",
        secs(wall),
        runs.len(),
        quotes.len() - wrong.len(),
        quotes.len()
    );
    if a.smoke {
        assert!(wrong.is_empty(), "wrong verdicts: {wrong:#?}");
        return;
    }
    let md = &mut rep.md;
    writeln!(md, "## 1b. Short quotes\n").unwrap();
    writeln!(
        md,
        "The same 5 MB news source; {} quotes of 3 to 6 words drawn from its sentences with a fixed seed, {edited} of them with one random letter edit (drawn from 1,000 runs, half edited, less the edits that left text standing in the source). Voting alone cannot serve these (few grams, and common ones): the search proves or betters its answer ([README](README.md#what-a-near-match-guarantees)). Every verdict is checked, and every edited quote's distance against an exhaustive alignment of the quote with the whole source.\n",
        quotes.len()
    )
    .unwrap();
    writeln!(md, "| quotes | edited | citelint wall (median of {}) | verdicts right |", runs.len()).unwrap();
    writeln!(md, "|---:|---:|---:|---:|").unwrap();
    writeln!(md, "| {} | {edited} | **{}** | {} of {} |\n", quotes.len(), secs(wall), quotes.len() - wrong.len(), quotes.len()).unwrap();
    rep.target(
        "short: every verdict right, every distance optimal",
        wrong.is_empty(),
        format!("{} of {} right, {edited} distances compared", quotes.len() - wrong.len(), quotes.len()),
    );
}
