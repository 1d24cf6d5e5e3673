//! The source readers' speed on real files, one core: HTML in MB/s over
//! the saved web pages, PDF in pages/s over the PDF corpus (both from
//! ../shared/corpora), each read end to end as a check reads them
//! (decoding, extraction, normalisation, the map back to the file).
//!
//!     cargo bench --bench readers [-- --rounds N]
//!     cargo bench --bench readers -- --wild DIR   # every PDF in DIR, once: outcomes and speed

use std::path::{Path, PathBuf};
use std::time::Instant;

use citelint::load::format::{self, Limits};

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == ext)).collect();
    out.sort();
    out
}

/// Reads every PDF of a folder of real-world and malformed files once,
/// and tells what came of them: read (pages), refused (by reason), and the
/// time; the process's peak memory is for the caller to measure.
fn wild(dir: &Path) {
    let limits = Limits { pdf_seconds: 20, ..Limits::default() };
    let (mut read, mut pages, mut slowest) = (0usize, 0usize, (0.0f64, String::new()));
    let mut refused: std::collections::BTreeMap<String, usize> = Default::default();
    let all = files(dir, "pdf");
    let t = Instant::now();
    for p in &all {
        let bytes = std::fs::read(p).unwrap();
        let one = Instant::now();
        match format::read("pdf", bytes, limits) {
            Ok(r) => {
                read += 1;
                pages += r.file_text.matches('\u{c}').count() + 1;
            }
            Err(e) => {
                let why = e.to_string();
                let kind = why.split([';', '(']).next().unwrap_or("").trim().to_owned();
                *refused.entry(kind).or_default() += 1;
            }
        }
        let took = one.elapsed().as_secs_f64();
        if took > slowest.0 {
            slowest = (took, p.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "wild PDFs: {} files in {:.1} s: {read} read ({pages} pages, {:.0} pages/s overall), {} refused",
        all.len(),
        secs,
        pages as f64 / secs,
        all.len() - read
    );
    for (why, n) in &refused {
        println!("  refused {n}: {why}");
    }
    println!("  slowest: {} in {:.2} s", slowest.1, slowest.0);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(dir) = args.iter().position(|a| a == "--wild").and_then(|i| args.get(i + 1)) {
        wild(Path::new(dir));
        return;
    }
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
