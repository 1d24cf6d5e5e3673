//! Editorial markup inside a quote, parsed with nom into pieces that must
//! stand in the source in order.
//!
//! - an elision (`...`, `…`, `[...]`, `[…]`) lets the pieces around it match
//!   in order, within one paragraph of the source;
//! - `[words]` stands for a short span of source words the writer replaced
//!   (up to [`MAX_INSERTION_WORDS`] words; `[T]he` may replace part of a word);
//! - `[sic]` is ignored.
//!
//! Every quote also has a literal reading (brackets and dots as written), and
//! the search tries it first: bracketed text that appears literally in the
//! source matches literally.

use std::ops::Range;

use nom::branch::alt;
use nom::bytes::complete::{is_not, tag, tag_no_case, take_till1};
use nom::character::complete::anychar;
use nom::combinator::{recognize, value};
use nom::sequence::delimited;
use nom::{IResult, Parser};

/// How many source words a bracketed insertion may stand for.
pub const MAX_INSERTION_WORDS: usize = 8;

/// What stands between a piece and the one before it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gap {
    /// The first piece of a reading.
    Start,
    /// Nothing: the piece follows the previous one directly (a literal
    /// reading has a single piece).
    None,
    /// Words left out, within one paragraph.
    Elision,
    /// Up to [`MAX_INSERTION_WORDS`] source words replaced by the writer's.
    Insertion,
}

/// A run of the quote's words that must appear in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    /// For each byte of `text`, its offset in the normalised quote.
    pub map: Vec<usize>,
    pub gap_before: Gap,
    /// The markup before this piece, as a range of the normalised quote.
    pub markup_before: Option<Range<usize>>,
}

impl Piece {
    /// The normalised-quote range this piece covers.
    pub fn quote_range(&self) -> Range<usize> {
        match (self.map.first(), self.map.last()) {
            (Some(&s), Some(&e)) => s..e + 1,
            _ => 0..0,
        }
    }
}

/// One way to read a quote: the pieces it requires, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reading {
    pub pieces: Vec<Piece>,
    /// The first piece may begin mid-word (it follows a leading `[T]`).
    pub open_start: bool,
    /// The last piece may end mid-word (a trailing insertion follows it).
    pub open_end: bool,
}

/// A quote's readings: literal first, then with markup (if it has any).
#[derive(Clone, Debug)]
pub struct Parsed {
    pub literal: Reading,
    pub marked: Option<Reading>,
    /// The quote's range left after trimming quotation marks and punctuation at its ends.
    pub trimmed: Range<usize>,
    pub words: usize,
}

impl Parsed {
    pub fn readings(&self) -> impl Iterator<Item = &Reading> {
        std::iter::once(&self.literal).chain(self.marked.as_ref())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Text,
    Elision,
    Insertion,
    Sic,
}

fn token(input: &str) -> IResult<&str, Token> {
    alt((
        value(Token::Elision, alt((tag("[...]"), tag("..."), tag("[ ... ]")))),
        value(Token::Sic, tag_no_case("[sic]")),
        value(Token::Insertion, recognize(delimited(tag("["), is_not("[]"), tag("]")))),
        value(Token::Text, take_till1(|c| c == '[' || c == '.')),
        value(Token::Text, recognize(anychar)),
    ))
    .parse(input)
}

/// Characters ignored at the very ends of a quote.
fn end_mark(c: char) -> bool {
    matches!(c, '"' | '\'' | '.' | ',' | ';' | ':' | '!' | '?' | ' ')
}

/// Parses a normalised quote.
pub fn parse(quote: &str) -> Parsed {
    let start = quote.len() - quote.trim_start_matches(end_mark).len();
    let end = quote.trim_end_matches(end_mark).len().max(start);
    let body = &quote[start..end];
    let literal = Reading { pieces: vec![piece(body, start, Gap::Start, None)], open_start: false, open_end: false };
    Parsed { literal, marked: marked_reading(quote), trimmed: start..end, words: body.split_whitespace().count() }
}

fn piece(text: &str, offset: usize, gap_before: Gap, markup_before: Option<Range<usize>>) -> Piece {
    Piece { text: text.to_owned(), map: (offset..offset + text.len()).collect(), gap_before, markup_before }
}

/// The reading with markup, when the quote has any. Marks and punctuation at
/// the quote's ends are trimmed from its first and last pieces.
fn marked_reading(quote: &str) -> Option<Reading> {
    let mut rest = quote;
    let mut tokens = Vec::new();
    while !rest.is_empty() {
        let at = quote.len() - rest.len();
        let Ok((next, t)) = token(rest) else { break };
        tokens.push((t, at..quote.len() - next.len()));
        rest = next;
    }
    if tokens.iter().all(|(t, _)| *t == Token::Text) {
        return None;
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let blank = |gap, markup| Piece { text: String::new(), map: Vec::new(), gap_before: gap, markup_before: markup };
    let mut current = blank(Gap::Start, None);
    let mut open_start = false;
    for (t, r) in tokens {
        let gap = match t {
            Token::Text => {
                current.text.push_str(&quote[r.clone()]);
                current.map.extend(r);
                continue;
            }
            Token::Sic => continue,
            Token::Elision => Gap::Elision,
            Token::Insertion => Gap::Insertion,
        };
        let done = std::mem::replace(&mut current, blank(gap.clone(), Some(r)));
        match finish(done, pieces.is_empty()) {
            Some(p) => pieces.push(p),
            // Markup before any words: the reading starts after it.
            None if pieces.is_empty() => {
                open_start = gap == Gap::Insertion;
                current.gap_before = Gap::Start;
            }
            // Two marks in a row: an elision is the wider gap.
            None => {}
        }
    }
    let open_end = current.text.trim_matches(end_mark).is_empty() && current.gap_before == Gap::Insertion;
    if let Some(p) = finish(current, pieces.is_empty()) {
        pieces.push(p);
    }
    if let Some(last) = pieces.last_mut() {
        let keep = last.text.trim_end_matches(end_mark).len();
        last.text.truncate(keep);
        last.map.truncate(keep);
    }
    pieces.retain(|p| !p.text.is_empty());
    let first = pieces.first_mut()?;
    first.gap_before = Gap::Start;
    Some(Reading { pieces, open_start, open_end })
}

/// Trims white space from a piece's ends (and end marks from the start of the
/// quote's first piece), keeping the map in step; `None` when nothing is left.
fn finish(mut p: Piece, first: bool) -> Option<Piece> {
    let trimmed = if first { p.text.trim_start_matches(end_mark) } else { p.text.trim_start() };
    let lead = p.text.len() - trimmed.len();
    let keep = trimmed.trim_end().len();
    if keep == 0 {
        return None;
    }
    p.text = p.text[lead..lead + keep].to_owned();
    p.map = p.map[lead..lead + keep].to_vec();
    // `[sic]` removed from the middle may leave two spaces.
    while let Some(i) = p.text.find("  ") {
        p.text.remove(i);
        p.map.remove(i);
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(r: &Reading) -> Vec<(&str, Gap)> {
        r.pieces.iter().map(|p| (p.text.as_str(), p.gap_before.clone())).collect()
    }

    #[test]
    fn plain_quote_has_only_a_literal_reading() {
        let p = parse("\"48 other stations, 11 of which are in Italy.\"");
        assert!(p.marked.is_none());
        assert_eq!(p.literal.pieces[0].text, "48 other stations, 11 of which are in Italy");
        assert_eq!(p.words, 9);
    }

    #[test]
    fn elisions_split_pieces() {
        let p = parse("we believe... there are [...] more stations");
        let m = p.marked.unwrap();
        assert_eq!(texts(&m), [("we believe", Gap::Start), ("there are", Gap::Elision), ("more stations", Gap::Elision)]);
        assert_eq!(m.pieces[1].markup_before, Some(10..13));
    }

    #[test]
    fn insertions_and_sic() {
        let p = parse("[T]he government [sic] said [the ministry] would act");
        let m = p.marked.unwrap();
        assert!(m.open_start);
        assert_eq!(texts(&m), [("he government said", Gap::Start), ("would act", Gap::Insertion)]);
        // The map still points into the quote as written.
        let he = &m.pieces[0];
        assert_eq!(he.map[0], 3);
        assert_eq!(he.map[he.text.find("said").unwrap()], 23);
    }

    #[test]
    fn literal_reading_keeps_brackets() {
        let p = parse("worked with [open] source data");
        assert_eq!(p.literal.pieces[0].text, "worked with [open] source data");
        assert!(p.marked.is_some());
    }

    #[test]
    fn ends_are_trimmed_of_marks() {
        let p = parse("'administrative services'.");
        assert_eq!(p.literal.pieces[0].text, "administrative services");
        assert_eq!(p.trimmed, 1..24);
    }
}
