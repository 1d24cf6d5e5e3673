//! HTML: the visible text of a page, as a reader sees it, with a map from
//! every character of it back to the HTML file.
//!
//! The page is tokenized by lol_html (a streaming tokenizer that follows
//! the WHATWG HTML algorithm and reports where each text chunk stands in
//! the file). Character references are decoded here, with the WHATWG table
//! of named references (the `entities` crate). `script`, `style`,
//! `noscript`, `template`, `svg` and comments are dropped; block elements
//! and `<br>` end paragraphs; inline elements (`<b>`, `<a>`, `<span>`)
//! join, so a word split across tags is one word. `<title>` is a paragraph
//! of its own. A line break in the HTML source is a space, as a browser
//! shows it (a blank line there is no paragraph).

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;
use std::sync::LazyLock;

use lol_html::html_content::TextType;
use lol_html::{HtmlRewriter, Settings, doc_text, element};

use super::error::SourceError;
use crate::quote::normalize::Origins;

/// Elements whose content a reader never sees.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg", "math", "head-template"];

/// Elements that stand apart from the text around them.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
    "button",
    "select",
    "textarea",
    "iframe",
    "img",
    "video",
    "audio",
];

/// What a page reads as: its visible text and where each piece of it
/// stands in the HTML.
#[derive(Debug, Default)]
pub struct Extracted {
    pub text: String,
    pub origins: Origins,
}

/// The visible text of `html` (already decoded to UTF-8).
pub fn extract(html: &str) -> Result<Extracted, SourceError> {
    let state = Rc::new(RefCell::new(Events::default()));
    {
        let on_text = Rc::clone(&state);
        let on_element = Rc::clone(&state);
        let settings = Settings::new()
            .append_element_content_handler(element!("*", move |el| {
                let name = el.tag_name();
                let at = el.source_location().bytes().start;
                let opens = el.can_have_content() && !el.is_self_closing();
                let (hidden, block) = on_element.borrow_mut().open(&name, at, opens);
                if opens && (hidden || block) {
                    let on_end = Rc::clone(&on_element);
                    let on_end_tag: lol_html::EndTagHandler<'static> = Box::new(move |end| {
                        on_end.borrow_mut().close(hidden, end.source_location().bytes().start);
                        Ok(())
                    });
                    el.on_end_tag(on_end_tag)?;
                }
                Ok(())
            }))
            .append_document_content_handler(doc_text!(move |t| {
                let visible = matches!(t.text_type(), TextType::Data | TextType::RCData);
                on_text.borrow_mut().text(t.source_location().bytes(), visible);
                Ok(())
            }))
            // Markup that leaves the tokenizer unsure of a state (rare,
            // and harmless for reading text) is read on, not refused.
            .with_strict(false);
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        rewriter.write(html.as_bytes()).map_err(unreadable)?;
        rewriter.end().map_err(unreadable)?;
    }
    let events = state.borrow();
    Ok(assemble(html, &events.items))
}

fn unreadable(e: lol_html::errors::RewritingError) -> SourceError {
    SourceError::Unreadable(format!("the HTML could not be read: {e}"))
}

/// What the tokenizer reported, in document order: the visible text (as
/// ranges of the HTML) and where blocks begin and end.
#[derive(Default)]
struct Events {
    items: Vec<Item>,
    /// How many hidden elements are open around the current place.
    hidden: u32,
}

enum Item {
    Text(Range<usize>),
    Boundary(usize),
}

impl Events {
    /// A start tag: whether it opens a hidden element and whether it is a block.
    fn open(&mut self, name: &str, at: usize, opens: bool) -> (bool, bool) {
        let hidden = HIDDEN.contains(&name);
        if hidden && opens {
            self.hidden += 1;
        }
        let block = BLOCKS.contains(&name);
        if block {
            self.items.push(Item::Boundary(at));
        }
        (hidden, block)
    }

    /// The end tag of a hidden element or a block.
    fn close(&mut self, hidden: bool, at: usize) {
        if hidden {
            self.hidden = self.hidden.saturating_sub(1);
        } else {
            self.items.push(Item::Boundary(at));
        }
    }

    fn text(&mut self, range: Range<usize>, visible: bool) {
        if !visible || self.hidden > 0 || range.is_empty() {
            return;
        }
        match self.items.last_mut() {
            // Contiguous chunks are one text: a reference may straddle two.
            Some(Item::Text(p)) if p.end == range.start => p.end = range.end,
            _ => self.items.push(Item::Text(range)),
        }
    }
}

/// The text the events describe, decoded, with its map into the HTML.
fn assemble(html: &str, items: &[Item]) -> Extracted {
    let mut out = Writer { text: String::with_capacity(html.len() / 3), origins: Origins::default() };
    let mut boundary: Option<usize> = None;
    for item in items {
        let range = match item {
            Item::Boundary(at) => {
                boundary.get_or_insert(*at);
                continue;
            }
            Item::Text(range) => range.clone(),
        };
        let raw = &html[range.clone()];
        // White space between blocks is no text.
        if raw.trim().is_empty() && boundary.is_some() {
            continue;
        }
        if let Some(at) = boundary.take()
            && !out.text.is_empty()
        {
            out.push_mapped("\n\n", at, false);
        }
        out.decode(raw, range.start);
    }
    out.origins.finish(out.text.len(), html.len());
    Extracted { text: out.text, origins: out.origins }
}

struct Writer {
    text: String,
    origins: Origins,
}

impl Writer {
    /// Raw HTML text from file offset `at`, its references decoded.
    fn decode(&mut self, raw: &str, at: usize) {
        let mut i = 0;
        while i < raw.len() {
            let Some(amp) = memchr::memchr(b'&', &raw.as_bytes()[i..]).map(|k| i + k) else {
                self.push_plain(&raw[i..], at + i);
                break;
            };
            self.push_plain(&raw[i..amp], at + i);
            match reference(&raw[amp..]) {
                Some((decoded, len)) => {
                    self.push_mapped(&decoded, at + amp, false);
                    i = amp + len;
                }
                None => {
                    self.push_mapped("&", at + amp, true);
                    i = amp + 1;
                }
            }
        }
    }

    /// Text copied as it stands; a line break in the source is a space.
    fn push_plain(&mut self, s: &str, at: usize) {
        if s.is_empty() {
            return;
        }
        self.origins.push(self.text.len(), at, true);
        // CR and LF become a space of the same length: the map still holds.
        if memchr::memchr2(b'\n', b'\r', s.as_bytes()).is_some() {
            self.text.push_str(&s.replace(['\n', '\r'], " "));
        } else {
            self.text.push_str(s);
        }
    }

    fn push_mapped(&mut self, s: &str, at: usize, linear: bool) {
        self.origins.push(self.text.len(), at, linear);
        self.text.push_str(s);
    }
}

/// The WHATWG named character references, `&amp;` and the legacy `&amp`
/// alike, by name.
static NAMED: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| entities::ENTITIES.iter().map(|e| (e.entity, e.characters)).collect());

/// The character reference at the start of `s` (which starts with `&`):
/// its text and its length in `s`.
fn reference(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.get(1) == Some(&b'#') {
        return numeric(s);
    }
    let name_len = b[1..].iter().take_while(|c| c.is_ascii_alphanumeric()).count().min(40);
    if name_len == 0 {
        return None;
    }
    let with_semi = b.get(1 + name_len) == Some(&b';');
    if with_semi && let Some(t) = NAMED.get(&s[..name_len + 2]) {
        return Some(((*t).to_owned(), name_len + 2));
    }
    // A legacy reference without its `;` (`&copy 2020`, `&ampx`): the longest that is one.
    (2..=name_len + 1).rev().find_map(|end| NAMED.get(&s[..end]).map(|t| ((*t).to_owned(), end)))
}

/// `&#123;` or `&#x7B;`, the `;` optional.
fn numeric(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    let hex = matches!(b.get(2), Some(b'x' | b'X'));
    let digits_from = if hex { 3 } else { 2 };
    let digits = b[digits_from..].iter().take_while(|c| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() }).count();
    if digits == 0 {
        return None;
    }
    let value = u32::from_str_radix(&s[digits_from..digits_from + digits], if hex { 16 } else { 10 }).unwrap_or(u32::MAX);
    let mut len = digits_from + digits;
    if b.get(len) == Some(&b';') {
        len += 1;
    }
    let c = match value {
        // The C1 range is read as Windows-1252, as browsers do.
        0x80..=0x9F => encoding_rs::WINDOWS_1252.decode_without_bom_handling(&[value as u8]).0.chars().next(),
        0 => None,
        v => char::from_u32(v),
    };
    Some((c.unwrap_or('\u{FFFD}').to_string(), len))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quote::normalize::normalize;

    fn text(html: &str) -> String {
        extract(html).unwrap().text
    }

    #[test]
    fn reads_the_visible_text() {
        let page = "<html><head><title>The title</title><style>p { color: red }</style><script>var x = '<p>no</p>';</script></head>\
                    <body><!-- a comment --><p>First <b>bold</b> para&shy;graph &amp; more&nbsp;text.</p><noscript>enable JS</noscript>\
                    <div>Sec<span>ond</span><br>line</div><svg><text>drawn</text></svg><template><p>later</p></template></body></html>";
        let t = text(page);
        assert_eq!(t, "The title\n\nFirst bold para\u{AD}graph & more\u{A0}text.\n\nSecond\n\nline");
    }

    #[test]
    fn a_line_break_in_the_source_is_a_space_not_a_paragraph() {
        assert_eq!(text("<p>one\n\ntwo</p><p>three</p>"), "one  two\n\nthree");
    }

    #[test]
    fn references_decode_in_all_their_forms() {
        assert_eq!(text("<p>&#8220;Hi&#x201D; &copy 2020 &notit; &amp &bogus; AT&T</p>"), "“Hi” © 2020 ¬it; & &bogus; AT&T");
        assert_eq!(text("<p>&#150; &#0; &#x110000;</p>"), "– \u{FFFD} \u{FFFD}");
    }

    #[test]
    fn every_character_maps_back_into_the_html() {
        let page =
            "<html><body><h1>A&amp;B</h1>\n<p>The <a href=x>minister</a>\nsaid:&nbsp;&ldquo;We&rsquo;ll go.&rdquo;</p></body></html>";
        let e = extract(page).unwrap();
        let n = normalize(&e.text);
        let map = n.map.clone().through(&e.origins);
        let find = |s: &str| {
            let at = n.text.find(s).unwrap();
            let span = map.original_span(page, at..at + s.len());
            &page[span.range()]
        };
        assert_eq!(find("A&B"), "A&amp;B");
        assert_eq!(find("minister"), "minister");
        assert_eq!(find("The minister said"), "The <a href=x>minister</a>\nsaid");
        assert_eq!(find("\"We'll go.\""), "&ldquo;We&rsquo;ll go.&rdquo;");
        assert_eq!(find("said: \"We"), "said:&nbsp;&ldquo;We");
    }

    #[test]
    fn malformed_html_is_read_as_well_as_it_can_be() {
        assert_eq!(text("<p>unclosed <b>bold <i>and</p> on <div"), "unclosed bold and\n\n on ");
        assert_eq!(text("<script>never closed"), "");
        assert_eq!(text("\u{FFFD}<<>>&&;;</</p>"), "\u{FFFD}<<>>&&;;");
    }
}
