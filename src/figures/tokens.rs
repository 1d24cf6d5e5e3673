//! The figure grammar's tokens: words, number literals (parsed with nom,
//! keeping both readings of an ambiguous separator) and punctuation, with
//! their places in the text.

use nom::bytes::complete::take_while1;
use nom::character::complete::{digit1, one_of};
use nom::combinator::recognize;
use nom::multi::many0;
use nom::sequence::pair;
use nom::{IResult, Parser};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tk {
    Word,
    Num,
    Punct,
}

#[derive(Clone, Debug)]
pub(super) struct Token<'a> {
    pub(super) tk: Tk,
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) space_before: bool,
}

impl Token<'_> {
    pub(super) fn lower(&self) -> String {
        self.text.to_lowercase()
    }
    pub(super) fn is(&self, word: &str) -> bool {
        self.tk == Tk::Word && self.text.eq_ignore_ascii_case(word)
    }
    pub(super) fn punct(&self, c: char) -> bool {
        self.tk == Tk::Punct && self.text.starts_with(c)
    }
}

/// A number literal: digits with `,` or `.` separated groups.
pub(super) fn literal(input: &str) -> IResult<&str, &str> {
    recognize(pair(digit1, many0(pair(one_of(",."), digit1)))).parse(input)
}

pub(super) fn letters(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_alphanumeric()).parse(input)
}

/// Suffixes a number literal may carry.
pub(super) const NUM_SUFFIXES: &[&str] = &["bn", "m", "k", "p", "th", "st", "nd", "rd", "s"];

pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut i = 0;
    let mut space = true;
    while i < text.len() {
        let rest = &text[i..];
        let c = rest.chars().next().expect("not at the end");
        if c.is_whitespace() {
            space = true;
            i += c.len_utf8();
            continue;
        }
        let (tk, len) = if c.is_ascii_digit() {
            let (after, lit) = literal(rest).expect("starts with a digit");
            match letters(after) {
                Ok((_, suffix)) if NUM_SUFFIXES.contains(&suffix.to_lowercase().as_str()) => (Tk::Num, lit.len() + suffix.len()),
                // `5G`, `3D`: a code, read as a word.
                Ok((_, suffix)) => (Tk::Word, lit.len() + suffix.len()),
                Err(_) => (Tk::Num, lit.len()),
            }
        } else if c.is_alphabetic() {
            // Letters and digits together (`G7`, `MP3`) are one word; an
            // apostrophe between letters stays inside (`didn't`).
            let mut end = 0;
            let mut chars = rest.char_indices().peekable();
            while let Some((k, ch)) = chars.next() {
                let inner_apostrophe = ch == '\'' && chars.peek().is_some_and(|(_, n)| n.is_alphabetic());
                if !(ch.is_alphanumeric() || inner_apostrophe) {
                    break;
                }
                end = k + ch.len_utf8();
            }
            (Tk::Word, end)
        } else {
            (Tk::Punct, c.len_utf8())
        };
        out.push(Token { tk, text: &rest[..len], start: i, end: i + len, space_before: space });
        space = false;
        i += len;
    }
    out
}

/// The readings of a number literal (without suffix): both conventions where
/// a separator is ambiguous.
pub(super) fn readings(lit: &str) -> Vec<f64> {
    let seps: Vec<(usize, char)> = lit.char_indices().filter(|(_, c)| *c == ',' || *c == '.').collect();
    let groups: Vec<&str> = lit.split([',', '.']).collect();
    let parse = |s: &str| s.parse::<f64>().ok();
    match seps.len() {
        0 => parse(lit).into_iter().collect(),
        1 => {
            let (first, last) = (groups[0], groups[1]);
            let decimal = parse(&format!("{first}.{last}"));
            if last.len() == 3 && first.len() <= 3 && first != "0" {
                let thousands = parse(&format!("{first}{last}"));
                thousands.into_iter().chain(decimal).collect()
            } else {
                decimal.into_iter().collect()
            }
        }
        _ => {
            let last_sep = seps[seps.len() - 1].1;
            let same = seps.iter().all(|(_, c)| *c == last_sep);
            let inner_ok = groups[1..groups.len() - 1].iter().all(|g| g.len() == 3) && groups[0].len() <= 3;
            if !inner_ok {
                return Vec::new();
            }
            if same {
                if groups[groups.len() - 1].len() != 3 {
                    return Vec::new();
                }
                parse(&groups.concat()).into_iter().collect()
            } else {
                let int: String = groups[..groups.len() - 1].concat();
                parse(&format!("{int}.{}", groups[groups.len() - 1])).into_iter().collect()
            }
        }
    }
}
