//! The figure grammar: one parser for statements, quotes, `figures:` values
//! and whole sources.
//!
//! Text is split into tokens (number literals are parsed with nom, keeping
//! both readings of an ambiguous separator), then figures are read off the
//! tokens: an optional qualifier, a quantity (digits, number words, a vague
//! quantity), a scale, a percent sign or a currency, a range or a period, and
//! the noun the figure counts. Years and dates are their own kind. Numbers in
//! names and codes (`COVID-19`, `G7`, `number 110`, `"Overseas 110"`), list
//! markers and undated days (`Dec 15`, `the 19th`) are not figures; where the
//! grammar cannot tell, it says nothing rather than raise a false alarm.

use std::ops::Range;

use nom::bytes::complete::take_while1;
use nom::character::complete::{digit1, one_of};
use nom::combinator::recognize;
use nom::multi::many0;
use nom::sequence::pair;
use nom::{IResult, Parser};

use super::{APPROX, Figure, Interval, Kind, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tk {
    Word,
    Num,
    Punct,
}

#[derive(Clone, Debug)]
struct Token<'a> {
    tk: Tk,
    text: &'a str,
    start: usize,
    end: usize,
    space_before: bool,
}

impl Token<'_> {
    fn lower(&self) -> String {
        self.text.to_lowercase()
    }
    fn is(&self, word: &str) -> bool {
        self.tk == Tk::Word && self.text.eq_ignore_ascii_case(word)
    }
    fn punct(&self, c: char) -> bool {
        self.tk == Tk::Punct && self.text.starts_with(c)
    }
}

/// A number literal: digits with `,` or `.` separated groups.
fn literal(input: &str) -> IResult<&str, &str> {
    recognize(pair(digit1, many0(pair(one_of(",."), digit1)))).parse(input)
}

fn letters(input: &str) -> IResult<&str, &str> {
    take_while1(|c: char| c.is_alphanumeric()).parse(input)
}

/// Suffixes a number literal may carry.
const NUM_SUFFIXES: &[&str] = &["bn", "m", "k", "th", "st", "nd", "rd", "s"];

fn tokenize(text: &str) -> Vec<Token<'_>> {
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
fn readings(lit: &str) -> Vec<f64> {
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

const MONTHS: &[&str] =
    &["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_ABBR: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"];

fn month(t: &Token) -> Option<u32> {
    if t.tk != Tk::Word || !t.text.starts_with(char::is_uppercase) {
        return None;
    }
    let l = t.lower();
    MONTHS
        .iter()
        .position(|m| *m == l)
        .or_else(|| MONTH_ABBR.iter().position(|m| *m == l).map(|k| if k > 8 { k - 1 } else { k }))
        .map(|k| k as u32 + 1)
}

const UNITS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
];
const TENS: &[(&str, f64)] = &[
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];
const SCALES: &[(&str, f64)] = &[("hundred", 1e2), ("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12)];
const ORDINALS: &[(&str, f64)] = &[
    ("first", 1.0),
    ("second", 2.0),
    ("third", 3.0),
    ("fourth", 4.0),
    ("fifth", 5.0),
    ("sixth", 6.0),
    ("seventh", 7.0),
    ("eighth", 8.0),
    ("ninth", 9.0),
    ("tenth", 10.0),
];

fn lookup(table: &[(&str, f64)], w: &str) -> Option<f64> {
    table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Qualifier {
    AtLeast,
    MoreThan,
    FewerThan,
    UpTo,
    Nearly,
    About,
    Between,
    From,
}

const QUALIFIERS: &[(&[&str], Qualifier)] = &[
    (&["at", "least"], Qualifier::AtLeast),
    (&["no", "fewer", "than"], Qualifier::AtLeast),
    (&["more", "than"], Qualifier::MoreThan),
    (&["over"], Qualifier::MoreThan),
    (&["above"], Qualifier::MoreThan),
    (&["fewer", "than"], Qualifier::FewerThan),
    (&["less", "than"], Qualifier::FewerThan),
    (&["under"], Qualifier::FewerThan),
    (&["below"], Qualifier::FewerThan),
    (&["up", "to"], Qualifier::UpTo),
    (&["at", "most"], Qualifier::UpTo),
    (&["nearly"], Qualifier::Nearly),
    (&["almost"], Qualifier::Nearly),
    (&["about"], Qualifier::About),
    (&["around"], Qualifier::About),
    (&["roughly"], Qualifier::About),
    (&["some"], Qualifier::About),
    (&["approximately"], Qualifier::About),
    (&["an", "estimated"], Qualifier::About),
    (&["between"], Qualifier::Between),
    (&["from"], Qualifier::From),
];

/// Words that end the noun phrase after a number.
const STOP: &[&str] = &[
    "in",
    "of",
    "at",
    "on",
    "for",
    "to",
    "from",
    "by",
    "with",
    "across",
    "around",
    "over",
    "under",
    "since",
    "between",
    "into",
    "per",
    "among",
    "about",
    "after",
    "before",
    "during",
    "than",
    "and",
    "or",
    "but",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "have",
    "has",
    "had",
    "said",
    "says",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "do",
    "does",
    "did",
    "exist",
    "exists",
    "that",
    "which",
    "who",
    "whom",
    "it",
    "they",
    "them",
    "this",
    "these",
    "those",
    "its",
    "their",
    "were",
    "as",
    "where",
    "when",
    "while",
    "if",
    "then",
    "so",
    "not",
    "all",
    "each",
    "a",
    "an",
    "the",
    "up",
    "out",
    "ago",
    "later",
    "earlier",
    "should",
    "must",
    "shall",
    "need",
    "needs",
    "remain",
    "remained",
    "became",
    "become",
    "include",
    "includes",
    "including",
    "included",
    "like",
];

/// Adverbs that end a noun phrase once it has a noun (`stations overseas`),
/// but may open one (`overseas stations`).
const TRAILING: &[&str] = &["overseas", "abroad", "worldwide", "nationwide", "globally", "here", "there", "now", "today", "alone"];

/// Words that describe a count but are never what it counts.
const MODIFIERS: &[&str] = &[
    "more",
    "other",
    "such",
    "different",
    "new",
    "additional",
    "further",
    "fewer",
    "less",
    "most",
    "many",
    "few",
    "extra",
    "separate",
    "so-called",
];

/// Words before a number that make it a name or a code.
const CODE_WORDS: &[&str] =
    &["number", "no", "article", "section", "chapter", "page", "line", "route", "flight", "room", "paragraph", "item", "version"];

const CURRENCY_WORDS: &[(&str, &str)] = &[
    ("dollars", "USD"),
    ("dollar", "USD"),
    ("euros", "EUR"),
    ("euro", "EUR"),
    ("pounds", "GBP"),
    ("yuan", "CNY"),
    ("renminbi", "CNY"),
    ("yen", "JPY"),
];

/// The singular, lower-case form of a counted noun.
pub fn lemma(word: &str) -> String {
    let w = word.to_lowercase();
    let irregular =
        [("people", "person"), ("children", "child"), ("men", "man"), ("women", "woman"), ("police", "police"), ("staff", "staff")];
    if let Some((_, s)) = irregular.iter().find(|(p, _)| *p == w) {
        return (*s).to_owned();
    }
    if let Some(stem) = w.strip_suffix("ies")
        && stem.len() > 1
    {
        return format!("{stem}y");
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_owned();
        }
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") && w.len() > 3 {
        return w[..w.len() - 1].to_owned();
    }
    w
}

/// A figure found in text, with the sentence and clause it stands in.
#[derive(Clone, Debug)]
pub struct Located {
    pub figure: Figure,
    pub sentence: Range<usize>,
    pub clause: Range<usize>,
}

/// The figures of `text`.
pub fn parse(text: &str) -> Vec<Figure> {
    parse_located(text, &[]).into_iter().map(|l| l.figure).collect()
}

/// The figures of `text`, which has paragraphs starting at `paragraphs`.
pub fn parse_located(text: &str, paragraphs: &[u32]) -> Vec<Located> {
    let toks = tokenize(text);
    let (sentences, clauses) = boundaries(&toks, paragraphs);
    let mut p = Reader { toks: &toks, text, sentence_start: &sentences };
    let mut found: Vec<(Figure, bool)> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match p.figure_at(i) {
            Step::Figure(fig, inherits, next) => {
                found.push((fig, inherits));
                i = next.max(i + 1);
            }
            Step::Skip(next) => i = next.max(i + 1),
            Step::Nothing => i += 1,
        }
    }
    let sentence_of = |at: usize| range_of(&sentences, at, text.len());
    let clause_of = |at: usize| range_of(&clauses, at, text.len());
    // A count with no noun counts what the sentence's first counted noun counts
    // (`48 other stations, 11 of which`).
    let mut out: Vec<Located> = Vec::new();
    for (k, (mut fig, inherits)) in found.clone().into_iter().enumerate() {
        let sentence = sentence_of(fig.span.start);
        if inherits && fig.kind == Kind::Count && fig.unit.is_none() {
            fig.unit = found[..k]
                .iter()
                .find(|(f, _)| f.kind == Kind::Count && f.unit.is_some() && sentence.contains(&f.span.start))
                .and_then(|(f, _)| f.unit.clone());
        }
        let clause = clause_of(fig.span.start);
        out.push(Located { figure: fig, sentence, clause });
    }
    out
}

fn range_of(starts: &[usize], at: usize, len: usize) -> Range<usize> {
    let k = starts.partition_point(|&s| s <= at).saturating_sub(1);
    let start = starts.get(k).copied().unwrap_or(0);
    let end = starts.get(k + 1).copied().unwrap_or(len);
    start..end
}

/// Sentence starts and clause starts (byte offsets).
fn boundaries(toks: &[Token], paragraphs: &[u32]) -> (Vec<usize>, Vec<usize>) {
    let mut sentences = vec![0];
    sentences.extend(paragraphs.iter().map(|&p| p as usize).filter(|&p| p > 0));
    let mut clauses = sentences.clone();
    for (k, t) in toks.iter().enumerate() {
        let Some(next) = toks.get(k + 1) else { break };
        if t.tk == Tk::Punct && matches!(t.text, "." | "!" | "?") && next.space_before {
            let starts_sentence = next.text.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '\'');
            if starts_sentence {
                sentences.push(next.start);
            }
        }
        let dash_between_words = t.punct('-') && !(k > 0 && toks[k - 1].tk == Tk::Num && next.tk == Tk::Num);
        if t.tk == Tk::Punct && (matches!(t.text, "," | ";" | ":" | "(" | ")" | "." | "!" | "?") || dash_between_words) {
            clauses.push(next.start);
        }
    }
    sentences.sort_unstable();
    sentences.dedup();
    clauses.extend(sentences.iter().copied());
    clauses.sort_unstable();
    clauses.dedup();
    (sentences, clauses)
}

/// What the reader found at a token.
enum Step {
    /// A figure, whether it takes its sentence's unit, and the next token.
    Figure(Figure, bool, usize),
    /// Not a figure, and neither are the tokens before this index (an undated day).
    Skip(usize),
    Nothing,
}

/// A quantity before qualifiers are applied.
#[derive(Clone, Debug)]
enum Quantity {
    /// Exact readings; `literal` is the plain integer literal when there is one (for years).
    Exact {
        readings: Vec<f64>,
        plain_int: Option<u32>,
    },
    Vague(Interval),
}

struct Reader<'t, 'a> {
    toks: &'t [Token<'a>],
    text: &'a str,
    sentence_start: &'t [usize],
}

impl<'a> Reader<'_, 'a> {
    fn tok(&self, i: usize) -> Option<&Token<'a>> {
        self.toks.get(i)
    }

    fn word_at(&self, i: usize) -> Option<String> {
        self.tok(i).filter(|t| t.tk == Tk::Word).map(Token::lower)
    }

    /// Token `i` opens a sentence (opening marks before it, like `"` or `(`, do not count).
    fn at_sentence_start(&self, i: usize) -> bool {
        let mut k = i;
        while k > 0 && self.toks[k - 1].tk == Tk::Punct && !matches!(self.toks[k - 1].text, "." | "!" | "?") {
            k -= 1;
        }
        k == 0 || self.tok(k).is_some_and(|t| self.sentence_start.binary_search(&t.start).is_ok())
    }

    fn qualifier(&self, i: usize) -> Option<(Qualifier, usize)> {
        QUALIFIERS.iter().find_map(|(words, q)| {
            words.iter().enumerate().all(|(k, w)| self.tok(i + k).is_some_and(|t| t.is(w))).then_some((*q, i + words.len()))
        })
    }

    /// A quantity at `i`: digits, number words or a vague quantity, with its scale.
    fn quantity(&self, i: usize) -> Option<(Quantity, usize)> {
        let t = self.tok(i)?;
        let (q, mut next) = match t.tk {
            Tk::Num => {
                let lit_end = t.text.find(|c: char| c.is_alphabetic()).unwrap_or(t.text.len());
                let (lit, suffix) = t.text.split_at(lit_end);
                let mut rs = readings(lit);
                if rs.is_empty() {
                    return None;
                }
                let scale = match suffix.to_lowercase().as_str() {
                    "bn" => 1e9,
                    "m" => 1e6,
                    "k" => 1e3,
                    "" => 1.0,
                    _ => return None,
                };
                rs.iter_mut().for_each(|r| *r *= scale);
                let plain_int = (suffix.is_empty() && lit.bytes().all(|b| b.is_ascii_digit())).then(|| lit.parse().ok()).flatten();
                (Quantity::Exact { readings: rs, plain_int }, i + 1)
            }
            Tk::Word => self.number_words(i)?,
            Tk::Punct => return None,
        };
        // A scale word after digits: `3 million`.
        if let (Quantity::Exact { readings, .. }, Some(w)) = (&q, self.word_at(next))
            && let Some(s) = lookup(SCALES, &w)
        {
            let scaled: Vec<f64> = readings.iter().map(|r| r * s).collect();
            next += 1;
            return Some((Quantity::Exact { readings: scaled, plain_int: None }, next));
        }
        Some((q, next))
    }

    /// Number words (`eleven`, `twenty-one`, `a hundred`, `a dozen`) and vague
    /// quantities (`dozens`, `hundreds`, `several`, `a few`, `a couple`).
    fn number_words(&self, i: usize) -> Option<(Quantity, usize)> {
        let w = self.word_at(i)?;
        let exact = |v: f64, next| Some((Quantity::Exact { readings: vec![v], plain_int: None }, next));
        let vague = |lo: f64, hi: f64, next| Some((Quantity::Vague(Interval { lo, hi }), next));
        let next_word = self.word_at(i + 1);
        match w.as_str() {
            "a" | "an" => {
                let n = next_word?;
                if let Some(s) = lookup(SCALES, &n) {
                    return exact(s, i + 2);
                }
                return match n.as_str() {
                    "dozen" => exact(12.0, i + 2),
                    "few" => vague(2.0, 5.0, i + 2),
                    "couple" => vague(2.0, 3.0, i + 2),
                    _ => None,
                };
            }
            "dozen" => return exact(12.0, i + 1),
            "dozens" => return vague(24.0, 144.0, i + 1),
            "hundreds" => return vague(200.0, 999.0, i + 1),
            "thousands" => return vague(2000.0, 9999.0, i + 1),
            "millions" => return vague(2e6, 999e6, i + 1),
            "several" => return vague(3.0, 9.0, i + 1),
            "tens" if next_word.as_deref() == Some("of") && self.word_at(i + 2).as_deref() == Some("thousands") => {
                return vague(20_000.0, 99_999.0, i + 3);
            }
            _ => {}
        }
        let (mut value, mut next) = if let Some(v) = lookup(TENS, &w) {
            // `twenty-one`
            match (self.tok(i + 1), self.word_at(i + 2)) {
                (Some(d), Some(u)) if d.punct('-') && !d.space_before => match lookup(UNITS, &u).or((u == "one").then_some(1.0)) {
                    Some(uv) if uv < 10.0 => (v + uv, i + 3),
                    _ => (v, i + 1),
                },
                _ => (v, i + 1),
            }
        } else if let Some(v) = lookup(UNITS, &w) {
            (v, i + 1)
        } else if w == "one" && next_word.as_deref().and_then(|n| lookup(SCALES, n)).is_some() {
            // `one` alone is a pronoun as often as a number; `one hundred` is a number.
            (1.0, i + 1)
        } else {
            return None;
        };
        if let Some(s) = self.word_at(next).and_then(|n| lookup(SCALES, &n)) {
            value *= s;
            next += 1;
        }
        exact(value, next)
    }

    /// Is the token at `i` a number inside a name or a code?
    fn is_code(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        let Some(prev) = i.checked_sub(1).and_then(|k| self.tok(k)) else {
            return false;
        };
        // `COVID-19`
        if prev.punct('-') && !t.space_before && !prev.space_before && i >= 2 && self.toks[i - 2].tk == Tk::Word {
            return true;
        }
        // `#5`, `No. 5`
        if prev.punct('#') {
            return true;
        }
        if prev.tk == Tk::Word && CODE_WORDS.contains(&prev.lower().as_str()) {
            return true;
        }
        if prev.punct('.') && i >= 2 && self.toks[i - 2].is("no") {
            return true;
        }
        // `one 110 police station`: a number right after a number names something.
        if prev.tk == Tk::Num || (prev.tk == Tk::Word && (lookup(UNITS, &prev.lower()).is_some() || prev.is("one"))) {
            return t.tk == Tk::Num;
        }
        // `"Overseas 110"`: a number after a capitalised word inside a sentence.
        prev.tk == Tk::Word
            && prev.text.starts_with(char::is_uppercase)
            && !STOP.contains(&prev.lower().as_str())
            && !self.at_sentence_start(i - 1)
            && month(prev).is_none()
            && self.qualifier(i - 1).is_none()
            && t.tk == Tk::Num
    }

    /// A list marker: a number opening a sentence and followed by `.` or `)`.
    fn is_list_marker(&self, i: usize) -> bool {
        self.at_sentence_start(i) && self.tok(i + 1).is_some_and(|n| (n.punct('.') || n.punct(')')) && !n.space_before)
    }

    /// A figure starting at token `i`: the figure, whether it should inherit
    /// its sentence's unit, and the next token.
    fn figure_at(&mut self, i: usize) -> Step {
        match self.figure_or_skip(i) {
            Some(step) => step,
            None => Step::Nothing,
        }
    }

    fn figure_or_skip(&mut self, i: usize) -> Option<Step> {
        if let Some(m) = month(self.tok(i)?) {
            return Some(self.date(i, m));
        }
        let (qual, j) = match self.qualifier(i) {
            Some((q, j)) if self.quantity_or_money_at(j) => (Some(q), j),
            _ => (None, i),
        };
        let start = self.tok(i)?.start;
        // A currency sign before the amount.
        let (currency, j) = self.currency_prefix(j);
        if self.tok(j).is_some_and(|t| t.tk == Tk::Num) && (self.is_code(j) || self.is_list_marker(j)) {
            return Some(Step::Skip(j + 1));
        }
        if let Some(step) = self.ordinal(i) {
            return Some(step);
        }
        let (q, mut next) = self.quantity(j)?;
        // A range: `2016-2018`, `2015 to 19`, `between 2016 and 2018`.
        let joiner = self.tok(next).filter(|t| t.punct('-') || t.is("to") || (qual == Some(Qualifier::Between) && t.is("and")));
        let mut upper = None;
        if joiner.is_some()
            && let Some((q2, n2)) = self.quantity(next + 1)
        {
            upper = Some(q2);
            next = n2;
        }
        let end_tok = next;
        let mut kind = Kind::Count;
        let mut end = self.toks[end_tok - 1].end;
        if let Some(c) = currency {
            kind = Kind::Money(c);
        } else if let Some(t) = self.tok(next) {
            if t.punct('%') {
                kind = Kind::Percent;
                end = t.end;
                next += 1;
            } else if t.is("per") && self.tok(next + 1).is_some_and(|n| n.is("cent")) {
                kind = Kind::Percent;
                end = self.toks[next + 1].end;
                next += 2;
            } else if t.is("percent") {
                kind = Kind::Percent;
                end = t.end;
                next += 1;
            } else if let Some((_, code)) = CURRENCY_WORDS.iter().find(|(w, _)| t.is(w)) {
                kind = Kind::Money(code);
                end = t.end;
                next += 1;
            }
        }
        let year = |q: &Quantity| match q {
            Quantity::Exact { plain_int: Some(y), .. } if (1800..=2100).contains(y) => Some(*y),
            _ => None,
        };
        let value = if kind == Kind::Count
            && let Some(y) = year(&q)
        {
            kind = Kind::Time;
            let y = y as f64;
            match upper.as_ref() {
                Some(Quantity::Exact { plain_int: Some(e), .. }) => {
                    let e = complete_year(y, *e as f64);
                    Value::Period { start: vec![Interval { lo: y, hi: y + 1.0 - 1e-6 }], end: vec![Interval { lo: e, hi: e + 1.0 - 1e-6 }] }
                }
                _ => Value::Readings(vec![Interval { lo: y, hi: y + 1.0 - 1e-6 }]),
            }
        } else {
            let lo = bounds(&q);
            match upper.as_ref() {
                Some(q2) => {
                    let hi = bounds(q2);
                    let (a, b) =
                        (lo.iter().map(|i| i.lo).fold(f64::INFINITY, f64::min), hi.iter().map(|i| i.hi).fold(f64::NEG_INFINITY, f64::max));
                    Value::Readings(vec![Interval { lo: a.min(b), hi: a.max(b) }])
                }
                None => Value::Readings(qualify(qual, &lo, &kind)),
            }
        };
        let (unit, inherits) = if kind == Kind::Count { self.unit(next) } else { (None, false) };
        let text = self.text[start..end].to_owned();
        Some(Step::Figure(Figure { kind, value, unit, span: start..end, text }, inherits, next))
    }

    fn quantity_or_money_at(&self, j: usize) -> bool {
        let (_, k) = self.currency_prefix(j);
        self.quantity(k).is_some()
    }

    fn currency_prefix(&self, j: usize) -> (Option<&'static str>, usize) {
        let Some(t) = self.tok(j) else { return (None, j) };
        let sign = |t: &Token| match t.text {
            "$" => Some("USD"),
            "€" => Some("EUR"),
            "£" => Some("GBP"),
            "¥" => Some("CNY"),
            _ => None,
        };
        if t.is("US") && self.tok(j + 1).is_some_and(|n| n.text == "$") {
            return (Some("USD"), j + 2);
        }
        match sign(t) {
            Some(c) => (Some(c), j + 1),
            None => (None, j),
        }
    }

    /// Ordinals (`5th`, `first`); undated days (`the 19th`) are not figures.
    fn ordinal(&self, i: usize) -> Option<Step> {
        let t = self.tok(i)?;
        let value = match t.tk {
            Tk::Num if t.text.ends_with(|c: char| c.is_alphabetic()) => {
                let digits: String = t.text.chars().take_while(char::is_ascii_digit).collect();
                let suffix = &t.text[digits.len()..];
                if !matches!(suffix.to_lowercase().as_str(), "th" | "st" | "nd" | "rd") {
                    return None;
                }
                digits.parse::<f64>().ok()?
            }
            Tk::Word => lookup(ORDINALS, &t.lower())?,
            _ => return None,
        };
        let after = self.tok(i + 1);
        // `the 5th of July 2018`: a date.
        if after.is_some_and(|a| a.is("of"))
            && let Some(m) = self.tok(i + 2).and_then(month)
        {
            return Some(match self.date(i + 2, m) {
                Step::Figure(mut f, inh, next) => {
                    f.span.start = t.start;
                    f.text = self.text[f.span.clone()].to_owned();
                    Step::Figure(f, inh, next)
                }
                other => other,
            });
        }
        // `on the 19th`: an undated day.
        if t.tk == Tk::Num && after.is_none_or(|a| a.tk == Tk::Punct || STOP.contains(&a.lower().as_str())) {
            return Some(Step::Skip(i + 1));
        }
        // A word ordinal needs a determiner (`the first`, `a second`): `first
        // uncovered` is an adverb, `second` alone as likely a unit of time.
        let determiner = i
            .checked_sub(1)
            .and_then(|k| self.word_at(k))
            .is_some_and(|w| ["the", "a", "its", "their", "his", "her", "our", "this"].contains(&w.as_str()));
        if t.tk == Tk::Word && (!determiner || after.is_none_or(|a| a.tk != Tk::Word)) {
            return None;
        }
        let fig = Figure {
            kind: Kind::Ordinal,
            value: Value::Readings(vec![Interval::exact(value)]),
            unit: None,
            span: t.start..t.end,
            text: t.text.to_owned(),
        };
        Some(Step::Figure(fig, false, i + 1))
    }

    /// A date at a month name: `May 2016`, `December 15, 2022`; a month without
    /// a year (`in September`, `Dec 15`) is not a figure, and its day is skipped.
    fn date(&self, i: usize, m: u32) -> Step {
        let t = &self.toks[i];
        let mut k = i + 1;
        // An optional day, with an optional comma.
        if self.tok(k).is_some_and(|d| d.tk == Tk::Num && d.text.len() <= 2) {
            k += 1;
            if self.tok(k).is_some_and(|c| c.punct(',')) {
                k += 1;
            }
        }
        let year = self
            .tok(k)
            .filter(|y| y.tk == Tk::Num && y.text.len() == 4)
            .and_then(|y| y.text.parse::<u32>().ok())
            .filter(|y| (1800..=2100).contains(y));
        let Some(y) = year else { return Step::Skip(k) };
        let lo = y as f64 + (m - 1) as f64 / 12.0;
        let end = self.toks[k].end;
        let value = Value::Readings(vec![Interval { lo, hi: lo + 1.0 / 12.0 - 1e-6 }]);
        Step::Figure(
            Figure { kind: Kind::Time, value, unit: None, span: t.start..end, text: self.text[t.start..end].to_owned() },
            false,
            k + 1,
        )
    }

    /// The noun a count counts, from token `k` on; `(None, true)` when the
    /// count has no noun of its own and should take its sentence's.
    fn unit(&self, k: usize) -> (Option<String>, bool) {
        let Some(t) = self.tok(k) else { return (None, true) };
        if t.is("of") {
            let Some(n) = self.word_at(k + 1) else { return (None, true) };
            if ["which", "whom", "them", "these", "those", "us", "it", "the", "its", "their"].contains(&n.as_str()) {
                return (None, true);
            }
            return self.noun_phrase(k + 1);
        }
        self.noun_phrase(k)
    }

    fn noun_phrase(&self, k: usize) -> (Option<String>, bool) {
        // `three-year contract`, `1-month long`: the hyphenated word is the unit.
        if let (Some(d), Some(w)) = (self.tok(k), self.tok(k + 1))
            && d.punct('-')
            && !d.space_before
            && !w.space_before
            && w.tk == Tk::Word
        {
            return (Some(lemma(w.text)), false);
        }
        let mut head: Option<String> = None;
        let mut i = k;
        let mut taken = 0;
        while let Some(t) = self.tok(i) {
            // Quotation marks inside a noun phrase (`"police stations"`) are typography.
            if t.tk == Tk::Punct && (t.text == "\"" || t.text == "'") {
                i += 1;
                continue;
            }
            if t.tk == Tk::Num && head.is_some() {
                // `"Overseas 110"`: a word before a number is a name, not a noun.
                return (None, true);
            }
            let word = self.compound_word(i);
            let Some((text, next)) = word else { break };
            let lower = text.to_lowercase();
            let adverb =
                TRAILING.contains(&lower.as_str()) || (lower.ends_with("ly") && lower.len() > 4 && !text.starts_with(char::is_uppercase));
            if STOP.contains(&lower.as_str()) || month(t).is_some() || taken == 4 || (adverb && head.is_some()) {
                break;
            }
            if MODIFIERS.contains(&lower.as_str()) || TRAILING.contains(&lower.as_str()) || is_participle(&lower) {
                taken += 1;
                i = next;
                continue;
            }
            // A count's noun is plural: once one is read, the phrase is over
            // (`330,000 Chinese citizens live in Italy`).
            let plural = lemma(&text) != lower;
            head = Some(text);
            taken += 1;
            i = next;
            if plural {
                break;
            }
        }
        match head {
            Some(h) => (Some(lemma(&h)), false),
            None => (None, true),
        }
    }

    /// A word at `i`, with hyphenated parts joined (`so-called`); its text and the next token.
    fn compound_word(&self, i: usize) -> Option<(String, usize)> {
        let t = self.tok(i).filter(|t| t.tk == Tk::Word)?;
        let mut text = t.text.to_owned();
        let mut k = i + 1;
        while let (Some(d), Some(w)) = (self.tok(k), self.tok(k + 1)) {
            if !d.punct('-') || d.space_before || w.space_before || w.tk != Tk::Word {
                break;
            }
            text.push('-');
            text.push_str(w.text);
            k += 2;
        }
        Some((text, k))
    }
}

/// Past participles describe a count (`the 54 found in September`) but are never what it counts.
fn is_participle(word: &str) -> bool {
    const IRREGULAR: &[&str] =
        &["found", "seen", "known", "made", "given", "taken", "held", "sent", "built", "run", "set", "put", "left", "kept"];
    (word.ends_with("ed") && word.len() > 4) || IRREGULAR.contains(&word)
}

/// `19` after `2015` is 2019.
fn complete_year(start: f64, end: f64) -> f64 {
    if end >= 100.0 {
        return end;
    }
    let century = (start / 100.0).floor() * 100.0;
    let y = century + end;
    if y < start { y + 100.0 } else { y }
}

fn bounds(q: &Quantity) -> Vec<Interval> {
    match q {
        Quantity::Exact { readings, .. } => readings.iter().map(|&r| Interval::exact(r)).collect(),
        Quantity::Vague(i) => vec![*i],
    }
}

/// The next value above `x` for a strict bound: counts move by one.
fn above(x: f64, kind: &Kind) -> f64 {
    if *kind == Kind::Count && x.fract() == 0.0 { x + 1.0 } else { x + x.abs() * 1e-6 }
}

fn below(x: f64, kind: &Kind) -> f64 {
    if *kind == Kind::Count && x.fract() == 0.0 { x - 1.0 } else { x - x.abs() * 1e-6 }
}

fn qualify(q: Option<Qualifier>, base: &[Interval], kind: &Kind) -> Vec<Interval> {
    base.iter()
        .map(|b| match q {
            None | Some(Qualifier::Between) | Some(Qualifier::From) => *b,
            Some(Qualifier::AtLeast) => Interval { lo: b.lo, hi: f64::INFINITY },
            Some(Qualifier::MoreThan) => Interval { lo: above(b.lo, kind), hi: f64::INFINITY },
            Some(Qualifier::FewerThan) => Interval { lo: 0.0, hi: below(b.hi, kind) },
            Some(Qualifier::UpTo) => Interval { lo: 0.0, hi: b.hi },
            Some(Qualifier::Nearly) => Interval { lo: b.lo * (1.0 - APPROX), hi: below(b.hi, kind) },
            Some(Qualifier::About) => Interval { lo: b.lo * (1.0 - APPROX), hi: b.hi * (1.0 + APPROX) },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(x: f64) -> String {
        if x.is_infinite() {
            "inf".into()
        } else if x.fract().abs() < 1e-9 {
            format!("{}", x.round() as i64)
        } else {
            format!("{}", (x * 1000.0).round() / 1000.0)
        }
    }

    fn time(r: &Interval) -> String {
        let y = r.lo.floor();
        let m = ((r.lo - y) * 12.0).round() as i64;
        if r.hi - r.lo > 0.5 { format!("{}", y as i64) } else { format!("{}-{:02}", y as i64, m + 1) }
    }

    fn describe(f: &Figure) -> String {
        let value = match (&f.value, &f.kind) {
            (Value::Period { start, end }, _) => format!("{}..{}", time(&start[0]), time(&end[0])),
            (Value::Readings(rs), Kind::Time) => rs.iter().map(time).collect::<Vec<_>>().join("|"),
            (Value::Readings(rs), _) => rs
                .iter()
                .map(|r| if r.lo == r.hi { num(r.lo) } else { format!("[{},{}]", num(r.lo), num(r.hi)) })
                .collect::<Vec<_>>()
                .join("|"),
        };
        let kind = match &f.kind {
            Kind::Count => "count".to_owned(),
            Kind::Percent => "percent".to_owned(),
            Kind::Money(c) => c.to_string(),
            Kind::Time => "time".to_owned(),
            Kind::Ordinal => "ordinal".to_owned(),
        };
        match &f.unit {
            Some(u) => format!("{kind} {value} {u}"),
            None => format!("{kind} {value}"),
        }
    }

    fn all(text: &str) -> String {
        parse(text).iter().map(describe).collect::<Vec<_>>().join("; ")
    }

    /// Real phrasing: the seeds first (000 to 004), then common news phrasing.
    const CASES: &[(&str, &str)] = &[
        // 000 POLITICO
        ("it had identified 48 other stations, 11 of which are in Italy", "count 48 station; count 11 station"),
        ("the establishment of these stations in 2016", "time 2016"),
        ("A 2015 bilateral agreement by the Ministry of Public Security", "time 2015"),
        ("\"A 2015 Ministry of Public Security bilateral agreement", "time 2015"),
        ("About 330,000 Chinese citizens live in Italy", "count [297000,363000]|[297,363] citizen"),
        ("48 stations were added to the 54 found in September.", "count 48 station; count 54 station"),
        ("in Milan in 2016 (by the Wenzhou police) and 2018 (by the Qingtian -Police)", "time 2016; time 2018"),
        ("Italy is home to 330,000 Chinese citizens, according to 2021 figures from Istat", "count 330000|330 citizen; time 2021"),
        ("This report revealed 54 stations around the world but mostly in Europe.", "count 54 station"),
        ("The new data put the number of such stations at over 100.", "count [101,inf]"),
        ("at least one \"return persuasion\" operation was carried out", ""),
        ("the Italian government is among the very few European countries", ""),
        // 001 Reuters
        ("December 15, 2022", "time 2022-12"),
        ("ROME, Dec 15 (Reuters) - EU countries are failing", ""),
        ("threat posed by dozens of secret Chinese \"service stations\" on their soil", "count [24,144] station"),
        ("has published two reports since September", "count 2 report"),
        (
            "Chinese authorities have established 102 overseas police stations in 53 countries, including 11 in Italy",
            "count 102 station; count 53 country; count 11 station",
        ),
        ("services that were disrupted during the COVID-19 pandemic", ""),
        ("Safeguard Defenders says China has run \"service centres\" since 2016", "time 2016"),
        ("police had found evidence of only two of them, rather than 11.", "count 2; count 11"),
        ("a cooperation deal from 2015 that allowed them to take part in joint patrols", "time 2015"),
        ("In 2019, Italy became the first major industrialised nation", "time 2019; ordinal 1"),
        // 002 Angeline Tan
        ("The communist regime in China has established more than 100 \"police stations\" globally", "count [101,inf] station"),
        (
            "China has set up 48 more police stations overseas since the NGO first uncovered 54 such stations in September 2022.",
            "count 48 station; count 54 station; time 2022-09",
        ),
        ("This brings the total number of Chinese-run police stations to 102 across 53 countries.", "count 102; count 53 country"),
        ("two more Chinese exiles have been repatriated from Serbia and Spain", "count 2 exile"),
        (
            "four different police jurisdictions of China's Ministry of Public Security operating across at least 53 countries",
            "count 4 jurisdiction; count [53,inf] country",
        ),
        ("had been around for some years prior to Covid-19.", ""),
        ("told the globalist CNN news outlet in November", ""),
        ("one police network it investigated had hired 135 people for its first 21 stations.", "count 135 person; count 21 station"),
        ("the organization sourced a three-year contract for a worker", "count 3 year"),
        ("in spite of Xi securing a third term in power", "ordinal 3"),
        ("three years after the emergence of Covid-19.", "count 3 year"),
        ("As the second-largest economy in the world", ""),
        ("Safeguard Defenders posited that Italy hosts 11 Chinese police stations.", "count 11 station"),
        ("Between 2016 and 2018, Italian police participated in multiple joint patrols", "time 2016..2018"),
        ("Five \"area officers\" - one of them in Berlin - provide legal advice", "count 5 officer"),
        ("There are two unofficial Chinese \"police stations\" in Germany", "count 2 station"),
        ("\"Two so-called 'overseas police stations' exist in Germany", "count 2 station"),
        // 003 Davide Donateo
        ("Dozen of Chinese unofficial police stations across the world - four in Italy", "count 12 station; count 4 station"),
        (
            "dozens of unofficial police stations across the whole world (4 of whom in Italy in Milan, Turin, Prato and Rome)",
            "count [24,144] station; count 4 station",
        ),
        (
            "what they have been called the \"110 foreign police stations\", named after the Chinese Police emergency number 110.",
            "count 110 station",
        ),
        ("control the 54 Chinese police stations abroad in 30 different countries.", "count 54 station; count 30 country"),
        (
            "between April and July 2021 these police stations were used to \"persuade\" up to 230.000 Chinese citizen",
            "time 2021-07; count [0,230000]|[0,230] citizen",
        ),
        ("In a report published in January 2022 Safeguard Defenders examined", "time 2022-01"),
        (
            "operations in December 2021, labeled as successfully after bringing back 10.000 \"fugitives\" to China from the whole world since 2014",
            "time 2021-12; count 10000|10 fugitive; time 2014",
        ),
        ("He stated that his team found 22 kidnapping cases.", "count 22 case"),
        ("a governmental (Chinese) warning which showed 10 different provinces should start this process", "count 10 province"),
        ("referring to the press release of the 5th of July 2018", "time 2018-07"),
        ("There could be other 8 provinces that could have their own stations.", "count 8 province"),
        (
            "between July and September 2019, Beijing conducted a first round of 1-month long supervisions' trainings in 10 provinces",
            "time 2019-09; ordinal 1; count 1 month; count 10 province",
        ),
        ("Another April 2019 report stated", "time 2019-04"),
        ("a second training cycle for other 11 provinces", "ordinal 2; count 11 province"),
        ("at least 3 such stations exist in the country", "count [3,inf] station"),
        ("if the city would not have at least one 110 police station.", ""),
        ("Canada, the United States and Australia are the \"three big\" destinations", "count 3 destination"),
        // 004 Lin Yuxuan
        ("patrolling together in downtown Milan in May 2016.", "time 2016-05"),
        ("At least 11 police stations in Italy", "count [11,inf] station"),
        ("China has set up at least eleven overseas \"police stations\" in Italy.", "count [11,inf] station"),
        ("Italian newspaper Il Foglio reported on the 19th that", ""),
        ("related to the bilateral agreement in 2015, allowing Chinese police to participate", "time 2015"),
        ("the agreement was only implemented from 2015 to 19, Then it was called off", "time 2015..2019"),
        ("the Chinese police have opened two service stations in Japan", "count 2 station"),
        ("102 \"Overseas 110\" in 53 countries", "count 102; count 53 country"),
        ("the Chinese government has 54 overseas police stations in 21 countries around the world", "count 54 station; count 21 country"),
        ("As of November, there are 102 police stations in 53 countries including South Korea", "count 102 station; count 53 country"),
        // Numbers in both conventions
        ("1,500 protesters", "count 1500|1.5 protester"),
        ("2.5 percent", "percent 2.5"),
        ("2,5 per cent", "percent 2.5"),
        ("1,234,567 votes", "count 1234567 vote"),
        ("1.234.567 votes", "count 1234567 vote"),
        ("1,234.5 tonnes", "count 1234.5 tonne"),
        ("1.234,5 tonnes", "count 1234.5 tonne"),
        ("0.5 seconds", "count 0.5 second"),
        // Number words and scales
        ("twenty-one countries", "count 21 country"),
        ("twenty countries", "count 20 country"),
        ("a hundred officers", "count 100 officer"),
        ("a thousand people", "count 1000 person"),
        ("one hundred people", "count 100 person"),
        ("3 million people", "count 3000000 person"),
        ("2.5bn euros", "EUR 2500000000"),
        ("a dozen stations", "count 12 station"),
        ("twelve stations", "count 12 station"),
        ("one of the stations", ""),
        // Vague quantities
        ("hundreds of people", "count [200,999] person"),
        ("thousands of protesters", "count [2000,9999] protester"),
        ("tens of thousands of people", "count [20000,99999] person"),
        ("several countries", "count [3,9] country"),
        ("a few stations", "count [2,5] station"),
        ("a couple of officers", "count [2,3] officer"),
        // Qualifiers
        ("more than 50 stations", "count [51,inf] station"),
        ("over 100 stations", "count [101,inf] station"),
        ("fewer than 20 stations", "count [0,19] station"),
        ("less than 5 percent", "percent [0,5]"),
        ("under 30 countries", "count [0,29] country"),
        ("up to 230,000 people", "count [0,230000]|[0,230] person"),
        ("nearly 50 stations", "count [45,49] station"),
        ("almost 100 people", "count [90,99] person"),
        ("about 300 people", "count [270,330] person"),
        ("around 40 countries", "count [36,44] country"),
        ("roughly 1,000 officers", "count [900,1100]|[0.9,1.1] officer"),
        ("some 200 people", "count [180,220] person"),
        ("approximately 60 stations", "count [54,66] station"),
        ("at least 53 countries", "count [53,inf] country"),
        ("some of the stations", ""),
        ("over the years", ""),
        // Ranges, percentages, money
        ("between 10 and 20 stations", "count [10,20] station"),
        ("10-20 stations", "count [10,20] station"),
        ("from 2015 to 2019", "time 2015..2019"),
        ("2016-2018", "time 2016..2018"),
        ("unemployment rose to 5%", "percent 5"),
        ("a 12.5% rise", "percent 12.5"),
        ("$2.5bn", "USD 2500000000"),
        ("US$3 million", "USD 3000000"),
        ("€40m", "EUR 40000000"),
        ("£1,200", "GBP 1200|1.2"),
        ("500 yuan", "CNY 500"),
        ("about $3 million", "USD [2700000,3300000]"),
        // Not figures
        ("the G7 summit", ""),
        ("an MP3 file", ""),
        ("5G networks", ""),
        ("section 12 of the law", ""),
        ("article 5", ""),
        ("call number 110 now", ""),
        ("1. First point", ""),
        ("in September", ""),
        ("on Monday", ""),
    ];

    #[test]
    fn grammar_table() {
        assert!(CASES.len() >= 100, "{} cases", CASES.len());
        let mut failures = Vec::new();
        for (text, expected) in CASES {
            let got = all(text);
            if got != *expected {
                failures.push(format!("{text:?}\n   expected: {expected}\n        got: {got}"));
            }
        }
        assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), CASES.len(), failures.join("\n"));
    }

    #[test]
    fn spans_cover_qualifier_and_number() {
        let text = "the NGO counted at least 11 police stations in Italy";
        let f = &parse(text)[0];
        assert_eq!(&text[f.span.clone()], "at least 11");
    }

    #[test]
    fn lemmas() {
        for (w, l) in [
            ("stations", "station"),
            ("countries", "country"),
            ("people", "person"),
            ("cases", "case"),
            ("churches", "church"),
            ("virus", "virus"),
        ] {
            assert_eq!(lemma(w), l);
        }
    }

    #[test]
    fn readings_of_separators() {
        assert_eq!(readings("230.000"), vec![230000.0, 230.0]);
        assert_eq!(readings("2.5"), vec![2.5]);
        assert_eq!(readings("0,500"), vec![0.5]);
        assert_eq!(readings("1.2.3"), Vec::<f64>::new());
    }
}
