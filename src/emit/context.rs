//! A passage in its context, as a reader sees it: the sentences around it
//! in its paragraph, and for an HTML source its visible text, not its
//! markup. Shared by the evidence report and the language server's hover.

use crate::load::format;
use crate::model::Span;
use crate::model::files::File;

/// A passage and the text around it, with whether the text was cut.
#[derive(Debug, PartialEq, Eq)]
pub struct InContext {
    pub before: String,
    pub passage: String,
    pub after: String,
    /// Text before `before` (or after `after`) was left out.
    pub cut_before: bool,
    pub cut_after: bool,
}

/// The passage at `span` of `sf`, with up to about `reach` bytes of its
/// paragraph either side, cut at a sentence (else a word) boundary.
pub fn passage_in_context(sf: &File, span: Span, reach: usize) -> InContext {
    let text = sf.text.as_str();
    let (from, to) = (sf.floor_boundary(span.start.saturating_sub(reach)), sf.floor_boundary((span.end + reach).min(text.len())));
    if sf.markup {
        // Cut at tag edges, so that no half tag reads as text.
        let from = text[from..span.start].find('>').map_or(from, |i| from + i + 1);
        let to = text[span.end..to].rfind('<').map_or(to, |i| span.end + i);
        let seen = |s: &str| format::visible_text(format::How { format: format::Format::Html, encoding: encoding_rs::UTF_8 }, s);
        return InContext {
            before: seen(&text[from..span.start]),
            passage: seen(&text[span.range()]),
            after: seen(&text[span.end..to]),
            cut_before: from > 0,
            cut_after: to < text.len(),
        };
    }
    // The paragraph, then the window within it.
    let para_start = text[..span.start].rfind("\n\n").map_or(0, |i| i + 2).max(from);
    let para_end = text[span.end..].find("\n\n").map_or(text.len(), |i| span.end + i).min(to);
    let cut_before = para_start == from && from > 0 && !text[..from].ends_with("\n\n");
    let cut_after = para_end == to && to < text.len() && !text[to..].starts_with("\n\n");
    let before = &text[para_start..span.start];
    let after = &text[span.end..para_end];
    // A cut side starts (or ends) at a sentence where one is near, else a word.
    let before = if cut_before { from_sentence_or_word(before) } else { before };
    let after = if cut_after { to_sentence_or_word(after) } else { after };
    InContext {
        before: before.trim_start().to_owned(),
        passage: text[span.range()].to_owned(),
        after: after.trim_end().to_owned(),
        cut_before,
        cut_after,
    }
}

fn from_sentence_or_word(s: &str) -> &str {
    if let Some(i) = s.find(". ") {
        return &s[i + 2..];
    }
    s.find(' ').map_or(s, |i| &s[i + 1..])
}

fn to_sentence_or_word(s: &str) -> &str {
    if let Some(i) = s.rfind(". ") {
        return &s[..=i];
    }
    s.rfind(' ').map_or(s, |i| &s[..i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn file(text: &str) -> File {
        File::new("s.txt".into(), PathBuf::from("s.txt"), Arc::new(text.to_owned()))
    }

    #[test]
    fn a_passage_keeps_its_paragraph_when_it_is_short() {
        let f = file("Title\n\nOne. Two three four. Five.\n\nNext paragraph.");
        let at = f.text.find("three").unwrap();
        let c = passage_in_context(&f, Span::new(at, at + 5), 200);
        assert_eq!((c.before.as_str(), c.passage.as_str(), c.after.as_str()), ("One. Two ", "three", " four. Five."));
        assert!(!c.cut_before && !c.cut_after);
    }

    #[test]
    fn a_long_paragraph_is_cut_at_sentences_around_the_passage() {
        let long = format!("{} The needle is here. {}", "Filler words go on. ".repeat(50), "More words follow. ".repeat(50));
        let f = file(&long);
        let at = f.text.find("needle").unwrap();
        let c = passage_in_context(&f, Span::new(at, at + 6), 100);
        assert!(c.cut_before && c.cut_after);
        assert!(c.before.starts_with("Filler") && c.before.ends_with("The "), "{:?}", c.before);
        assert!(c.after.ends_with('.') && c.after.len() <= 100, "{:?}", c.after);
    }
}
