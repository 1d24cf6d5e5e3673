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

use super::antecedent::antecedent;
use super::figure::{APPROX, Figure, Interval, Kind, Value};
use super::tokens::*;
use super::words::*;

pub use super::words::lemma;

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
    let mut out: Vec<Located> = Vec::new();
    for (k, (mut fig, inherits)) in found.clone().into_iter().enumerate() {
        let sentence = sentence_of(fig.span.start);
        if inherits && fig.kind == Kind::Count && fig.unit.is_none() {
            let before: Vec<&Figure> =
                found[..k].iter().map(|(f, _)| f).filter(|f| f.kind == Kind::Count && sentence.contains(&f.span.start)).collect();
            fig.unit = antecedent(text, &fig, &before);
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
        // `scattered over 25 regions`, `talks about 12 proposals`: the word
        // is the verb's preposition, not a bound on the number.
        let governed = i > 0 && self.tok(i - 1).is_some_and(|p| GOVERNS_PREPOSITION.iter().any(|v| p.is(v)));
        if governed && self.tok(i).is_some_and(|t| ["over", "under", "around", "about"].iter().any(|w| t.is(w))) {
            return None;
        }
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
#[path = "grammar_tests.rs"]
mod tests;
