//! PDF: the text layer, page by page, in reading order.
//!
//! pdf-extract (on lopdf, pure Rust) interprets each page's content and
//! hands over every glyph with its place and size; the layout is ours,
//! from those places, not from the order of the text operators (producers
//! such as groff draw word by word, and some order a page's lines as they
//! please). On each page:
//!
//! - glyphs on one baseline make a line; a gap wider than a fraction of the
//!   font size between two glyphs is a space;
//! - a gutter that no line crosses splits the page into columns, read one
//!   after the other (lines that cross it, a headline, come first or last
//!   by their place);
//! - a wider gap between lines than the page's usual one ends a paragraph;
//! - running heads and feet (a line at the top or bottom of pages that
//!   recurs on other pages, digits aside, or a page number alone) are
//!   dropped, so that a quote runs on across a page break.
//!
//! Each page but the last ends with a form feed, then a line break: no
//! paragraph ends there, a word hyphenated across the break is joined by
//! the normaliser, and positions count the page by its form feeds. Ligature glyphs read as
//! their letters once normalised (NFKC). A PDF with no text layer, an
//! encrypted one, a damaged one, or one whose streams would expand past
//! the limit is refused with what to do; a panic in the reader is caught
//! and refused the same way.

use std::collections::HashMap;
use std::io::Read as _;

use lopdf::{Document, Object};
use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::error::SourceError;

/// Bytes the streams of one PDF may expand to, by default.
pub const DEFAULT_EXPANDED: usize = 512 << 20;

/// The name of the threads PDFs are read on.
pub const READER_THREAD: &str = "citelint-pdf";

/// How long one PDF may take to read, by default.
pub const DEFAULT_SECONDS: u64 = 60;

/// The text of a PDF's pages, each but the last ending with a form feed
/// and a line break. `limit` caps what its compressed streams may expand
/// to; a PDF that takes longer than `seconds` to read is refused.
pub fn extract(bytes: &[u8], limit: usize, seconds: u64) -> Result<String, SourceError> {
    // On a thread of its own: a reader that loops for ever on a hostile
    // file leaves that thread behind, not the run.
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = bytes.to_vec();
    let spawned = std::thread::Builder::new().name(READER_THREAD.into()).spawn(move || {
        // lopdf parses in parallel with rayon: in a pool of its own, so that
        // it never waits on the run's workers, which wait on this thread.
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).thread_name(|_| format!("{READER_THREAD}-pool")).build();
        let read = |pages: &[u8]| std::panic::catch_unwind(|| glyph_pages(pages, limit));
        let _ = tx.send(match pool {
            Ok(pool) => pool.install(|| read(&owned)),
            Err(_) => read(&owned),
        });
    });
    if spawned.is_err() {
        return Err(unreadable("no thread could be started to read it", "check again with fewer processes running"));
    }
    let pages = match rx.recv_timeout(std::time::Duration::from_secs(seconds)) {
        Ok(Ok(pages)) => pages?,
        Ok(Err(_)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            return Err(unreadable(
                "it is damaged: the PDF reader failed on it",
                "open it in a PDF viewer and save or print it as a new PDF",
            ));
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            return Err(unreadable(
                &format!("reading it took longer than {seconds} s"),
                "save it again from its source, or raise `pdf-timeout-s` in citelint.toml",
            ));
        }
    };
    if pages.iter().all(|p| p.iter().all(|g| g.text.trim().is_empty())) {
        return Err(unreadable(
            "it has no text layer citelint can read (a scan, text drawn as shapes, or fonts without a character map)",
            "run OCR on it (for example `ocrmypdf in.pdf out.pdf`) and cite the PDF it makes",
        ));
    }
    // Each page is laid out once; the document's layout reads all of them.
    let laid: Vec<(Vec<Line>, Option<f64>)> = pages.iter().map(|p| lines_of(p)).collect();
    let layout = Layout::new(&laid);
    let mut texts: Vec<String> = laid.iter().map(|(lines, gutter)| layout.page_text(lines, *gutter)).collect();
    // Pages that hold nothing but a recurring line (`Page 1 of 3`) are that line.
    if texts.iter().all(|t| t.trim().is_empty()) {
        texts = laid.iter().map(|(lines, gutter)| Layout::bare().page_text(lines, *gutter)).collect();
    }
    Ok(texts.join("\u{c}\n"))
}

fn unreadable(what: &str, todo: &str) -> SourceError {
    SourceError::Unreadable(format!("{what}; {todo}"))
}

/// A glyph: where it stands (x from the left, y from the top), its font
/// size and advance, and its text.
#[derive(Debug, Clone)]
struct Glyph {
    x: f64,
    y: f64,
    size: f64,
    width: f64,
    text: String,
}

fn glyph_pages(bytes: &[u8], limit: usize) -> Result<Vec<Vec<Glyph>>, SourceError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| unreadable(&format!("it is damaged ({e})"), "save it again from its source"))?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(unreadable("it is encrypted with a password", "save an unprotected copy and cite that"));
    }
    check_expansion(&doc, limit)?;
    spell_out_next_line_shows(&mut doc);
    let mut out = Glyphs::default();
    pdf_extract::output_doc(&doc, &mut out)
        .map_err(|e| unreadable(&format!("its pages could not be read ({e})"), "save it again from its source"))?;
    Ok(out.pages)
}

/// Rewrites the text operators `'` and `"` (move to the next line, then
/// show a string; `"` sets the word and character spacing first) as the
/// operators they stand for: pdf-extract skips them, and their text with
/// them (groff's PDFs start many lines with `'`).
fn spell_out_next_line_shows(doc: &mut Document) {
    for page in doc.get_pages().into_values() {
        let Ok(data) = doc.get_page_content(page) else { continue };
        if !data.contains(&b'\'') && !data.contains(&b'"') {
            continue;
        }
        let Ok(mut content) = lopdf::content::Content::decode(&data) else { continue };
        if !content.operations.iter().any(|op| op.operator == "'" || op.operator == "\"") {
            continue;
        }
        let op = |name: &str, operands: Vec<Object>| lopdf::content::Operation { operator: name.into(), operands };
        let mut spelled = Vec::with_capacity(content.operations.len() + 8);
        for o in content.operations.drain(..) {
            match (o.operator.as_str(), o.operands.as_slice()) {
                ("'", [text]) => spelled.extend([op("T*", vec![]), op("Tj", vec![text.clone()])]),
                ("\"", [aw, ac, text]) => {
                    spelled.extend([op("Tw", vec![aw.clone()]), op("Tc", vec![ac.clone()]), op("T*", vec![]), op("Tj", vec![text.clone()])])
                }
                _ => spelled.push(o),
            }
        }
        content.operations = spelled;
        if let Ok(encoded) = content.encode() {
            let _ = doc.change_page_content(page, encoded);
        }
    }
}

/// Refuses a PDF whose compressed streams expand past `limit` bytes in
/// all (a PDF bomb), before any of them is expanded whole.
fn check_expansion(doc: &Document, limit: usize) -> Result<(), SourceError> {
    let mut total = 0usize;
    for obj in doc.objects.values() {
        let Object::Stream(s) = obj else { continue };
        let flate = s.dict.get(b"Filter").ok().is_some_and(|f| match f {
            Object::Name(n) => n == b"FlateDecode",
            Object::Array(a) => a.iter().any(|x| matches!(x, Object::Name(n) if n == b"FlateDecode")),
            _ => false,
        });
        let room = limit.saturating_sub(total);
        let expanded = if flate { inflated_len(&s.content, room) } else { s.content.len() };
        total += expanded;
        if total > limit {
            return Err(unreadable(
                &format!("its streams expand to more than {} MB, the limit for one source", limit >> 20),
                "raise `pdf-expanded-mb` in citelint.toml if the PDF is trusted",
            ));
        }
    }
    Ok(())
}

/// How many bytes `data` inflates to, counting no further than `room` + 1.
fn inflated_len(data: &[u8], room: usize) -> usize {
    let mut reader = flate2::read::ZlibDecoder::new(data).take(room as u64 + 1);
    let mut sink = [0u8; 16 << 10];
    let mut n = 0;
    while let Ok(k) = reader.read(&mut sink) {
        if k == 0 {
            break;
        }
        n += k;
    }
    n
}

/// Collects every page's glyphs.
#[derive(Default)]
struct Glyphs {
    pages: Vec<Vec<Glyph>>,
    height: f64,
}

impl OutputDev for Glyphs {
    fn begin_page(&mut self, _page: u32, media_box: &MediaBox, _art: Option<(f64, f64, f64, f64)>) -> Result<(), OutputError> {
        self.height = media_box.ury - media_box.lly;
        self.pages.push(Vec::new());
        Ok(())
    }
    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn output_character(&mut self, trm: &Transform, width: f64, _spacing: f64, font_size: f64, text: &str) -> Result<(), OutputError> {
        // The font size in page space: the side of the square with the area
        // that the transformed size vector spans (as pdf-extract measures).
        let (vx, vy) = (font_size * (trm.m11 + trm.m21), font_size * (trm.m12 + trm.m22));
        let size = (vx * vy).abs().sqrt();
        let glyph = Glyph { x: trm.m31, y: self.height - trm.m32, size, width: width * size, text: text.to_owned() };
        if let Some(page) = self.pages.last_mut()
            && glyph.size.is_finite()
            && glyph.x.is_finite()
            && glyph.y.is_finite()
        {
            page.push(glyph);
        }
        Ok(())
    }
    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// A line of a page: its glyphs in order, where it stands, and its text.
#[derive(Debug, Clone)]
struct Line {
    y: f64,
    x0: f64,
    x1: f64,
    size: f64,
    text: String,
}

/// What the pages share: the running heads and feet, found by recurring.
struct Layout {
    /// Lines (digits folded) seen at the top or bottom of pages, and on how many.
    recurring: HashMap<String, usize>,
    /// Whether running heads, feet and page numbers are dropped.
    drops: bool,
    /// How often each word (lower case, letters only) stands in the document.
    words: HashMap<String, usize>,
}

/// Lines this close to a page's top or bottom edge of text may be running heads or feet.
const EDGE_LINES: usize = 3;

impl Layout {
    fn new(pages: &[(Vec<Line>, Option<f64>)]) -> Layout {
        let mut recurring: HashMap<String, usize> = HashMap::new();
        let mut words: HashMap<String, usize> = HashMap::new();
        for (lines, _) in pages {
            count_words(lines, &mut words);
            let mut seen: Vec<String> = edge_lines(lines).map(|l| fold_digits(&l.text)).collect();
            seen.sort();
            seen.dedup();
            for key in seen {
                *recurring.entry(key).or_default() += 1;
            }
        }
        Layout { recurring, drops: true, words }
    }

    /// A layout that drops no line.
    fn bare() -> Layout {
        Layout { recurring: HashMap::new(), drops: false, words: HashMap::new() }
    }

    /// Whether a line at a page's edge is a running head or foot.
    fn running(&self, line: &Line) -> bool {
        self.drops && (page_number(&line.text) || self.recurring.get(&fold_digits(&line.text)).is_some_and(|&n| n >= 2))
    }

    /// A page's text from its lines, in reading order, without its running lines.
    fn page_text(&self, lines: &[Line], gutter: Option<f64>) -> String {
        let edge: Vec<usize> = edge_indices(lines);
        let body: Vec<Line> =
            lines.iter().enumerate().filter(|(i, l)| !(edge.contains(i) && self.running(l))).map(|(_, l)| l.clone()).collect();
        let ordered = reading_order(body, gutter);
        join_lines(&ordered, &self.words)
    }
}

/// The page's lines, top to bottom: glyphs grouped by baseline, each
/// line's glyphs left to right; where the page has two columns, a
/// baseline's glyphs on either side of the gutter are two lines.
fn lines_of(glyphs: &[Glyph]) -> (Vec<Line>, Option<f64>) {
    let mut sorted: Vec<&Glyph> = glyphs.iter().collect();
    sorted.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)));
    let mut rows: Vec<Vec<&Glyph>> = Vec::new();
    for g in sorted {
        match rows.last_mut() {
            Some(row) if (row[0].y - g.y).abs() <= 0.35 * row[0].size.max(g.size).max(1.0) => row.push(g),
            _ => rows.push(vec![g]),
        }
    }
    for row in &mut rows {
        row.sort_by(|a, b| a.x.total_cmp(&b.x));
    }
    let gutter = gutter(&rows);
    let mut lines = Vec::new();
    for row in &rows {
        match gutter.and_then(|g| split_at(row, g)) {
            Some(k) => {
                lines.push(line_of(&row[..k]));
                lines.push(line_of(&row[k..]));
            }
            None => lines.push(line_of(row)),
        }
    }
    (lines, gutter)
}

/// Where a row splits at the gutter `g`: a gap between two glyphs that
/// holds `g`. A row with a glyph across `g` (a headline) does not split.
fn split_at(row: &[&Glyph], g: f64) -> Option<usize> {
    let k = row.iter().position(|x| x.x + x.width.max(0.0) / 2.0 >= g)?;
    (k > 0 && row[k - 1].x + row[k - 1].width.max(0.0) <= g + 0.5 && row[k].x >= g - 0.5).then_some(k)
}

/// The gutter between two columns, if the page has them: the widest band
/// in the middle of the text that glyphs of almost no row cover, at least
/// half a font size wide, with a good share of the rows on each side.
fn gutter(rows: &[Vec<&Glyph>]) -> Option<f64> {
    if rows.len() < 6 {
        return None;
    }
    let all = rows.iter().flatten();
    let x0 = all.clone().map(|g| g.x).fold(f64::INFINITY, f64::min);
    let x1 = all.clone().map(|g| g.x + g.width.max(0.0)).fold(f64::NEG_INFINITY, f64::max);
    let bins = ((x1 - x0).ceil() as usize).clamp(1, 4000);
    let scale = bins as f64 / (x1 - x0).max(1.0);
    let mut covered = vec![0usize; bins + 1];
    for row in rows {
        let mut marks = vec![false; bins + 1];
        for g in row {
            let (a, b) = (((g.x - x0) * scale) as usize, ((g.x + g.width.max(0.0) - x0) * scale) as usize);
            for m in &mut marks[a.min(bins)..=b.min(bins)] {
                *m = true;
            }
        }
        for (c, m) in covered.iter_mut().zip(marks) {
            *c += usize::from(m);
        }
    }
    let few = rows.len() / 8;
    let (lo, hi) = (bins / 4, bins * 3 / 4);
    let mut best: Option<(usize, usize)> = None;
    let mut start = None;
    for i in lo..=hi + 1 {
        let empty = covered.get(i).is_some_and(|&c| i <= hi && c <= few);
        match (empty, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if best.is_none_or(|(bs, be)| i - s > be - bs) {
                    best = Some((s, i));
                }
                start = None;
            }
            _ => {}
        }
    }
    let (s, e) = best?;
    let sizes: Vec<f64> = rows.iter().flatten().map(|g| g.size).collect();
    let size = sizes.iter().sum::<f64>() / sizes.len() as f64;
    let width = (e - s) as f64 / scale;
    let g = x0 + (s + e) as f64 / 2.0 / scale;
    // Each side holds a good share of the rows (the two columns' baselines
    // need not line up).
    let left = rows.iter().filter(|r| r.first().is_some_and(|f| f.x < g)).count();
    let right = rows.iter().filter(|r| r.last().is_some_and(|l| l.x > g)).count();
    (width >= 0.5 * size && left * 4 >= rows.len() && right * 4 >= rows.len()).then_some(g)
}

/// A line's text. A space stands where the gap between two glyphs is
/// wider than a fraction of the font size, or where a space glyph moved
/// the pen on (a space glyph of no advance is a producer's soft hyphen, as
/// Chromium draws them, and no space).
fn line_of(glyphs: &[&Glyph]) -> Line {
    let mut text = String::new();
    let mut end: Option<f64> = None;
    let mut space: Option<&Glyph> = None;
    for g in glyphs {
        if g.text.trim().is_empty() {
            space = Some(g);
            continue;
        }
        let advanced = space.take().is_some_and(|s| g.x >= s.x + 0.5 * s.width);
        let gap = end.is_some_and(|e| g.x - e > 0.12 * g.size);
        if (advanced || gap) && !text.is_empty() && !text.ends_with(' ') {
            text.push(' ');
        }
        text.push_str(&g.text);
        end = Some(g.x + g.width.max(0.0));
    }
    let inked: Vec<&Glyph> = glyphs.iter().copied().filter(|g| !g.text.trim().is_empty()).collect();
    let size = inked.iter().map(|g| g.size).fold(0.0, f64::max);
    let (first, last) = (inked.first().copied().unwrap_or(glyphs[0]), inked.last().copied().unwrap_or(glyphs[glyphs.len() - 1]));
    Line { y: first.y, x0: first.x, x1: last.x + last.width.max(0.0), size, text: text.trim().to_owned() }
}

/// The indices of the lines at a page's top and bottom edges.
fn edge_indices(lines: &[Line]) -> Vec<usize> {
    let n = lines.len();
    let mut by_y: Vec<usize> = (0..n).collect();
    by_y.sort_by(|&a, &b| lines[a].y.total_cmp(&lines[b].y));
    let mut out: Vec<usize> = by_y.iter().take(EDGE_LINES).chain(by_y.iter().rev().take(EDGE_LINES)).copied().collect();
    out.sort();
    out.dedup();
    out
}

fn edge_lines(lines: &[Line]) -> impl Iterator<Item = &Line> {
    edge_indices(lines).into_iter().map(move |i| &lines[i])
}

/// A line's text with every run of digits as one `#`: a running head
/// with its page number recurs as the same key.
fn fold_digits(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// A page number alone: `12`, `- 2 -`, `Page 3`, `3 of 12`, `1/2`.
fn page_number(text: &str) -> bool {
    let t = text.trim().trim_matches(|c: char| c == '-' || c == '–' || c == '—' || c.is_whitespace()).to_lowercase();
    let t = t.strip_prefix("page").unwrap_or(&t).trim();
    let digits_only = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    if digits_only(t) {
        return true;
    }
    let parts: Vec<&str> = t.split(['/', ' ']).filter(|p| !p.is_empty() && *p != "of").collect();
    parts.len() == 2 && parts.iter().all(|p| digits_only(p))
}

/// Lines in reading order: where a gutter splits the page, the lines that
/// cross it above the columns, then each column top to bottom, then the
/// crossing lines below.
fn reading_order(lines: Vec<Line>, gutter: Option<f64>) -> Vec<Line> {
    let Some(gutter) = gutter else { return lines };
    let (mut left, mut right, mut across) = (Vec::new(), Vec::new(), Vec::new());
    for l in lines {
        if l.x1 <= gutter + 0.5 {
            left.push(l);
        } else if l.x0 >= gutter - 0.5 {
            right.push(l);
        } else {
            across.push(l);
        }
    }
    let top = left.iter().chain(&right).map(|l| l.y).fold(f64::INFINITY, f64::min);
    let (above, below): (Vec<Line>, Vec<Line>) = across.into_iter().partition(|l| l.y < top);
    let mut out = above;
    out.extend(left);
    out.extend(right);
    out.extend(below);
    out
}

/// The lines as text: a line break between lines, a blank line where the
/// gap between two lines is well over the usual one (a new paragraph).
fn join_lines(lines: &[Line], words: &HashMap<String, usize>) -> String {
    let mut gaps: Vec<f64> = lines.windows(2).map(|w| w[1].y - w[0].y).filter(|g| *g > 0.0).collect();
    gaps.sort_by(f64::total_cmp);
    // The lower median: with two gaps, the smaller is the usual one.
    let usual = gaps.get(gaps.len().saturating_sub(1) / 2).copied().unwrap_or(0.0);
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i > 0 {
            let gap = l.y - lines[i - 1].y;
            let paragraph = usual > 0.0 && (gap > usual * 1.45 || gap < -l.size);
            out.push_str(if paragraph { "\n\n" } else { "\n" });
        }
        let text = line_end_hyphen(&l.text);
        let next = lines.get(i + 1).map_or("", |n| n.text.as_str());
        let soft = l.text.trim_end_matches(['\u{2010}', '\u{2011}']).ends_with('\u{AD}');
        match text.strip_suffix('-').filter(|stem| !soft && compound(stem, next, words)) {
            // U+2011 folds to `-` but is not joined as a broken word is.
            Some(stem) => {
                out.push_str(stem);
                out.push('\u{2011}');
            }
            None => out.push_str(&text),
        }
    }
    out
}

/// Counts the words of the lines, leaving out the pieces around a hyphen
/// at a line end: whether they are words is what is asked of them.
fn count_words(lines: &[Line], words: &mut HashMap<String, usize>) {
    let mut after_hyphen = false;
    for l in lines {
        let ends_hyphen = l.text.ends_with(['-', '\u{2010}', '\u{2011}', '\u{AD}']);
        let tokens: Vec<&str> = l.text.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).collect();
        let (from, to) = (usize::from(after_hyphen), tokens.len().saturating_sub(usize::from(ends_hyphen)));
        for w in tokens.get(from..to.max(from)).unwrap_or(&[]) {
            *words.entry(w.to_lowercase()).or_default() += 1;
        }
        after_hyphen = ends_hyphen;
    }
}

/// Whether `stem-` at a line end and the next line's first word are a
/// compound (`knowledge-|based`) rather than one word broken in two
/// (`con-|sulted`): the joined word stands nowhere in the document, while
/// each part stands elsewhere as a word of its own, and the first is no
/// two-letter syllable before a long word (`an-|other`). A soft hyphen is
/// never a compound's.
fn compound(stem: &str, next: &str, words: &HashMap<String, usize>) -> bool {
    let before = stem.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_lowercase();
    let after = next.split(|c: char| !c.is_alphabetic()).next().unwrap_or("").to_lowercase();
    let (b, a) = (before.chars().count(), after.chars().count());
    let shaped = b >= 3 || (b == 2 && a <= 3);
    if !shaped || a == 0 || !next.starts_with(|c: char| c.is_lowercase()) {
        return false;
    }
    let count = |w: &str| words.get(w).copied().unwrap_or(0);
    count(&format!("{before}{after}")) == 0 && count(&before) >= 1 && count(&after) >= 1
}

/// A line's text with a hyphen at its end written as `-`: producers mark a
/// break inside a word with U+2010 or a soft hyphen, and the normaliser
/// joins a word broken by `-` at a line end.
fn line_end_hyphen(text: &str) -> std::borrow::Cow<'_, str> {
    let marks: &[char] = &['\u{AD}', '\u{2010}', '\u{2011}'];
    let stem = text.trim_end_matches(marks);
    if stem.len() == text.len() || stem.ends_with('-') {
        return std::borrow::Cow::Borrowed(if stem.len() == text.len() { text } else { stem });
    }
    std::borrow::Cow::Owned(format!("{stem}-"))
}
