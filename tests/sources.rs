//! Sources as users have them: text in legacy encodings and UTF-16, saved
//! HTML pages and PDF reports, each checked through the whole run with its
//! labels in the cited file; what users see of an HTML and a PDF source
//! (human and JSON snapshots); a FIFO in the root that must neither hang a
//! run nor be read; and broken or hostile files that must give a clear
//! `source-unreadable`, never a panic.

mod common;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use citelint::check::{CheckOptions, Report, check};
use citelint::config::Config;
use citelint::load::format::{self, Limits};
use common::{at_root, human, json};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sources")
}

/// Checks `claims` (a claim file's text) against the sources in `root`.
fn run(root: &Path, claims: &str) -> Report {
    let file = root.join("claims.yaml");
    std::fs::write(&file, claims).unwrap();
    let config = Config::defaults(root);
    let opts = CheckOptions { paths: vec![file], sources: Some(root.join("src")), passages: true, ..Default::default() };
    check(&config, &opts).expect("the check runs")
}

fn rules(r: &Report) -> Vec<&str> {
    r.diagnostics.iter().map(|d| d.rule.name).collect()
}

fn utf16(s: &str, big: bool) -> Vec<u8> {
    let mut out = if big { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
    for u in s.encode_utf16() {
        out.extend(if big { u.to_be_bytes() } else { u.to_le_bytes() });
    }
    out
}

#[test]
fn text_in_every_encoding_is_read_and_labelled_in_its_characters() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let text = "Le maire a déclaré : « Nous ouvrirons 48 bibliothèques – et ce n'est qu'un début. »\n";
    std::fs::write(src.join("le.txt"), utf16(text, false)).unwrap();
    std::fs::write(src.join("be.txt"), utf16(text, true)).unwrap();
    let plain = text.replace('–', "-");
    let (latin1, _, _) = encoding_rs::WINDOWS_1252.encode(&plain);
    std::fs::write(src.join("latin1.txt"), &latin1[..]).unwrap();
    let (cp1252, _, _) = encoding_rs::WINDOWS_1252.encode(text);
    std::fs::write(src.join("cp1252.txt"), &cp1252[..]).unwrap();
    let mut lying = b"<html><head><meta charset=\"utf-8\"></head><body><p>".to_vec();
    lying.extend_from_slice(&cp1252);
    lying.extend_from_slice(b"</p></body></html>");
    std::fs::write(src.join("lying.html"), lying).unwrap();
    let mut claims = String::from("claims:\n");
    for name in ["le.txt", "be.txt", "latin1.txt", "cp1252.txt", "lying.html"] {
        let id = name.replace('.', "-");
        claims.push_str(&format!("  - id: {id}\n    source: {name}\n    quote: Nous ouvrirons 48 bibliothèques\n"));
    }
    claims.push_str("  - id: misquote\n    source: cp1252.txt\n    quote: Nous ouvrirons 84 bibliothèques\n");
    let r = run(dir.path(), &claims);
    assert_eq!(rules(&r), ["quote-mismatch"], "{}", human(&r));
    // The label is on the decoded characters, and the JSON names the encoding.
    let d = &r.diagnostics[0];
    let passage = d.source_passage().unwrap();
    let f = r.files.get(passage.file);
    assert_eq!(&f.text[passage.span.range()], "Nous ouvrirons 48 bibliothèques");
    assert_eq!(f.position(passage.span.start).column, 24, "columns count characters of the decoded text");
    let out = json(&r);
    assert!(out.contains("\"encoding\": \"windows-1252\""), "{out}");
    // Every found quote stands at its words in its own file.
    for q in &r.quotes {
        let (file, span) = q.passage.unwrap();
        assert!(r.files.get(file).text[span.range()].starts_with("Nous ouvrirons"), "{}", r.files.get(file).name);
    }
}

#[test]
fn html_and_pdf_sources_as_users_see_them() {
    at_root();
    let claims = fixtures().join("claims.yaml");
    let config = Config::defaults(&fixtures());
    let opts = CheckOptions { paths: vec![claims], sources: Some(fixtures()), ..Default::default() };
    let r = check(&config, &opts).expect("the check runs");
    insta::assert_snapshot!("sources-html-pdf-human", human(&r));
    insta::assert_snapshot!("sources-html-pdf-json", json(&r));
}

#[test]
fn a_quote_cited_to_a_text_file_but_standing_in_a_pdf_is_named_with_its_page() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::copy(fixtures().join("report.pdf"), src.join("report.pdf")).unwrap();
    std::fs::write(src.join("notes.txt"), "Notes from the council meeting.\n").unwrap();
    let claims = "claims:\n  - id: elsewhere\n    source: notes.txt\n    quote: a further 20 branches were planned for the coming decade\n";
    let r = run(dir.path(), claims);
    assert_eq!(rules(&r), ["quote-wrong-source"], "{}", human(&r));
    assert!(r.diagnostics[0].message.ends_with("it is in `report.pdf` at page 2, line 1, column 6"), "{}", r.diagnostics[0].message);
    let out = json(&r);
    assert!(out.contains("\"page\": 2"), "{out}");
}

#[test]
fn an_unchanged_pdf_is_read_from_the_text_cache_not_parsed_again() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    let pdf = std::fs::read(fixtures().join("report.pdf")).unwrap();
    std::fs::write(src.join("report.pdf"), &pdf).unwrap();
    let cache = dir.path().join("cache");
    let claims = dir.path().join("claims.yaml");
    let config = Config::defaults(dir.path());
    let check_with_cache = |quote: &str| {
        std::fs::write(&claims, format!("claims:\n  - id: q\n    source: report.pdf\n    quote: {quote}\n")).unwrap();
        let opts =
            CheckOptions { paths: vec![claims.clone()], sources: Some(src.clone()), text_cache: Some(cache.clone()), ..Default::default() };
        check(&config, &opts).expect("the check runs")
    };
    // The first run parses the PDF and stores its text by the PDF's hash.
    assert_eq!(rules(&check_with_cache("a further 20 branches were planned")), Vec::<&str>::new());
    let entry = cache.join(format::pdf_cache_key(&pdf));
    assert!(std::fs::read_to_string(&entry).unwrap().contains("a further 20 branches"));
    // A run reads the stored text, not the PDF: a text planted there is what it sees.
    std::fs::write(&entry, "A planted text, never in the PDF.").unwrap();
    assert_eq!(rules(&check_with_cache("never in the PDF")), Vec::<&str>::new());
    assert_eq!(rules(&check_with_cache("a further 20 branches were planned")), ["quote-not-found"]);
}

#[test]
fn a_pdf_reads_across_its_page_break_without_its_running_head() {
    let text = format::pdf::extract(&std::fs::read(fixtures().join("report.pdf")).unwrap(), 1 << 20, 30).unwrap();
    assert!(!text.contains("Annual Report"), "the running head is dropped: {text}");
    assert!(!text.lines().any(|l| l.trim() == "1" || l.trim() == "2"), "page numbers are dropped: {text}");
    assert!(text.contains("ex-\npansion"), "{text}");
    assert!(text.contains("and\u{c}\nthat a further"), "a page ends with a form feed and a line break: {text}");
    assert!(text.contains("decade.\n\nFunding"), "a wider gap is a paragraph: {text}");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_root_neither_hangs_a_run_nor_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    std::fs::write(src.join("a.txt"), "The council opened 48 new libraries.").unwrap();
    for name in ["pipe.txt", "pipe.html"] {
        let path = std::ffi::CString::new(src.join(name).to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o644) }, 0);
    }
    // A quote found nowhere makes the run read every source; one claim cites the FIFO.
    let claims = "claims:\n  - id: missing\n    source: a.txt\n    quote: words that stand in no source at all\n  - id: pipe\n    source: pipe.txt\n    quote: anything\n";
    let (tx, rx) = mpsc::channel();
    let root = dir.path().to_path_buf();
    std::thread::spawn(move || tx.send(run(&root, claims)).unwrap());
    let r = rx.recv_timeout(Duration::from_secs(30)).expect("the run ends: a FIFO in the root must not block it");
    assert_eq!(rules(&r), ["quote-not-found", "source-unreadable"], "{}", human(&r));
    assert!(r.diagnostics[1].message.contains("not a regular file"), "{}", r.diagnostics[1].message);
}

/// Regression: PDFs read on threads of their own, with lopdf's parallel
/// parsing on the run's own workers, deadlocked once every worker waited
/// on a PDF: a run over many PDFs hung.
#[test]
fn many_pdfs_read_at_once_do_not_deadlock() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir(&src).unwrap();
    for k in 0..12 {
        std::fs::copy(fixtures().join("report.pdf"), src.join(format!("r{k}.pdf"))).unwrap();
    }
    let claims = "claims:\n  - id: nowhere\n    source: r0.pdf\n    quote: words that stand in none of the reports at all\n";
    let (tx, rx) = mpsc::channel();
    let root = dir.path().to_path_buf();
    std::thread::spawn(move || tx.send(run(&root, claims)).unwrap());
    let r = rx.recv_timeout(Duration::from_secs(60)).expect("the run over twelve PDFs ends");
    assert_eq!(rules(&r), ["quote-not-found"], "{}", human(&r));
}

#[test]
fn broken_and_hostile_sources_are_refused_in_words() {
    let pdf = std::fs::read(fixtures().join("report.pdf")).unwrap();
    let limits = Limits::default();
    // Cut anywhere, a PDF is read or refused; never a panic.
    for cut in (0..pdf.len()).step_by(37) {
        if let Err(e) = format::read("pdf", pdf[..cut].to_vec(), limits) {
            let why = e.to_string();
            assert!(!why.contains("{") && !why.is_empty(), "not in words: {why}");
        }
    }
    // A bomb: a stream that inflates far past the limit.
    let bomb = bomb_pdf(8 << 20);
    let e = format::pdf::extract(&bomb, 1 << 20, 30).unwrap_err().to_string();
    assert!(e.contains("expand to more than 1 MB") && e.contains("pdf-expanded-mb"), "{e}");
    // No text layer: a page that only draws shapes.
    let e = format::pdf::extract(&shapes_pdf(), 1 << 20, 30).unwrap_err().to_string();
    assert!(e.contains("no text layer") && e.contains("OCR"), "{e}");
    // Pages that hold only a recurring line are that line, not \"no text\".
    let only_heads = multi_page_pdf(&["Page 1 of 2", "Page 2 of 2"]);
    assert_eq!(format::pdf::extract(&only_heads, 1 << 20, 30).unwrap(), "Page 1 of 2\u{c}\nPage 2 of 2");
    // A file whose extension lies: a PDF named .txt is read as a PDF; HTML named .txt stays text.
    assert_eq!(format::read("txt", pdf.clone(), limits).unwrap().how.format, format::Format::Pdf);
    let page = b"<!DOCTYPE html><p>markup</p>".to_vec();
    assert_eq!(format::read("txt", page.clone(), limits).unwrap().how.format, format::Format::Text);
    assert_eq!(format::read("", page, limits).unwrap().how.format, format::Format::Html);
    // Random bytes as HTML and as PDF: read or refused, never a panic.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    for round in 0..300 {
        let mut bytes = Vec::new();
        for _ in 0..(round % 97) * 7 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let pieces: [&[u8]; 10] =
                [b"<p>", b"</b", b"&amp", b"&#x", b"<script>", b"<!--", b"\xFF\xFE", b"%PDF-1.4\n", b"obj", b"stream"];
            let byte = [(seed >> 16) as u8];
            bytes.extend_from_slice(if seed.is_multiple_of(3) { pieces[(seed >> 8) as usize % pieces.len()] } else { &byte });
        }
        let _ = format::read("html", bytes.clone(), limits);
        let _ = format::read("pdf", bytes, limits);
    }
}

/// A one-page PDF whose content stream inflates to `size` bytes.
fn bomb_pdf(size: usize) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&vec![b' '; size]).unwrap();
    minimal_pdf(&z.finish().unwrap(), "/Filter /FlateDecode")
}

/// A PDF of one line of Helvetica a page.
fn multi_page_pdf(lines: &[&str]) -> Vec<u8> {
    let n = lines.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 4 + 2 * i)).collect();
    let mut objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for (i, line) in lines.iter().enumerate() {
        let content = format!("BT /F1 12 Tf 72 700 Td ({line}) Tj ET");
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R >>",
                5 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()).into_bytes());
    }
    pdf_of(&objects)
}

fn shapes_pdf() -> Vec<u8> {
    minimal_pdf(b"0 0 m 100 100 l S", "")
}

fn minimal_pdf(content: &[u8], filter: &str) -> Vec<u8> {
    let objects: Vec<Vec<u8>> = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>".to_vec(),
        [format!("<< /Length {} {filter} >>\nstream\n", content.len()).as_bytes(), content, b"\nendstream"].concat(),
    ];
    pdf_of(&objects)
}

/// The objects as a PDF file, numbered from 1, with its cross-reference table.
fn pdf_of(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (k, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", k + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        out.extend(format!("{off:010} 00000 n \n").as_bytes());
    }
    out.extend(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    out
}
