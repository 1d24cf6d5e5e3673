//! The source readers' speed on real files, one core: HTML in MB/s over
//! the saved web pages, PDF in pages/s over the PDF corpus (both from
//! ../shared/corpora), each read end to end as a check reads them
//! (decoding, extraction, normalisation, the map back to the file).
//!
//!     cargo bench --bench readers [-- --rounds N]

use std::path::{Path, PathBuf};
use std::time::Instant;

use citelint::load::format::{self, Limits};

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == ext)).collect();
    out.sort();
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rounds: usize = args.iter().position(|a| a == "--rounds").and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(5);
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    let pages: Vec<Vec<u8>> = files(&shared.join("web/pages"), "html").iter().map(|p| std::fs::read(p).unwrap()).collect();
    let pdfs: Vec<Vec<u8>> = files(&shared.join("pdf"), "pdf").iter().map(|p| std::fs::read(p).unwrap()).collect();
    if pages.is_empty() || pdfs.is_empty() {
        eprintln!("skipped: ../shared/corpora/web and ../shared/corpora/pdf are not beside the project");
        return;
    }
    let limits = Limits::default();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let t = Instant::now();
        for p in &pages {
            let _ = format::read("html", p.clone(), limits);
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "HTML: {} pages, {:.1} MB, best of {rounds}: {:.3} s, {:.0} MB/s",
        pages.len(),
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best
    );
    let mut best = f64::INFINITY;
    let mut page_count = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        page_count = 0;
        for p in &pdfs {
            if let Ok(read) = format::read("pdf", p.clone(), limits) {
                page_count += read.file_text.matches('\u{c}').count() + 1;
            }
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("PDF: {} files, {page_count} pages, best of {rounds}: {:.3} s, {:.0} pages/s", pdfs.len(), best, page_count as f64 / best);
}
