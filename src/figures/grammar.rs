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
use super::figure::{Figure, Interval, Kind, Value};
use super::quantity::{Quantity, bounds, complete_year, is_year, qualify};
use super::reader::{Reader, Step};
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

impl Reader<'_, '_> {
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
        if currency.is_none()
            && let Some(step) = self.score(i, j)
        {
            return Some(step);
        }
        if self.tok(j).is_some_and(|t| t.tk == Tk::Num) && (self.is_code(j) || self.is_list_marker(j)) {
            return Some(Step::Skip(j + 1));
        }
        if let Some(step) = self.ordinal(i) {
            return Some(step);
        }
        let (q, next) = self.quantity(j)?;
        let (upper, next) = match self.range_end(i, &q, qual, currency, next) {
            Some((q2, n2)) => (Some(q2), n2),
            None => (None, next),
        };
        let mut end = self.toks[next - 1].end;
        let (kind, factor, next) = self.kind_after(&q, currency, next, &mut end);
        let (q, upper) = (q.scaled(factor), upper.map(|u| u.scaled(factor)));
        let (unit, inherits) = if kind == Kind::Count { self.unit(next) } else { (None, false) };
        // `more than 8 times` is any multiple above 8 (8.4 among them); other counts move by one.
        let discrete = kind == Kind::Count && unit.as_deref() != Some("time");
        let (kind, value) = value_of(kind, qual, &q, upper.as_ref(), discrete);
        let rounding = match (&q, &kind, qual) {
            (_, Kind::Time, _) | (_, _, Some(_)) => 0.0,
            // Shares in words are given to the nearest 5% (`four in five` for 81%).
            (Quantity::Share(_), _, None) => SHARE_IN_WORDS,
            (Quantity::Exact { place, .. }, Kind::Count, None) if *place <= 1.0 => 0.0,
            (Quantity::Exact { place, .. }, _, None) => place / 2.0,
            _ => 0.0,
        };
        let (unit, inherits) = if kind == Kind::Count { (unit, inherits) } else { (None, false) };
        let text = self.text[start..end].to_owned();
        Some(Step::Figure(Figure { kind, value, unit, span: start..end, text, rounding }, inherits, next))
    }

    /// The upper end of a range after a quantity ending before `next`:
    /// `2016-2018`, `2015 to 19`, `between £150m and £220m`, `16 and
    /// 17-year-olds`. Both ends must read as one kind of quantity: not a
    /// year and a count (`by 2012 to 40 million`), not money and a count
    /// (`£310m to 3,950 cases`); and not a change and where it ended
    /// (`turnover rose $7.2bn to $170.8bn`). The figure starts at token `i`.
    fn range_end(&self, i: usize, q: &Quantity, qual: Option<Qualifier>, currency: Option<&str>, next: usize) -> Option<(Quantity, usize)> {
        // `3% to 3.5%`: the sign after the first end, and then after the second.
        let percent = self.tok(next)?.punct('%');
        let next = next + usize::from(percent);
        let t = self.tok(next)?;
        let listed = qual.is_none() && currency.is_none() && (t.is("and") || t.is("or"));
        if !(t.punct('-') || t.is("to") || (qual == Some(Qualifier::Between) && t.is("and")) || listed) {
            return None;
        }
        let change = |k: usize| self.word_at(k).is_some_and(|w| CHANGE_VERBS.contains(&w.as_str()));
        let by = i >= 2 && self.word_at(i - 1).as_deref() == Some("by");
        if qual.is_none() && t.is("to") && ((i > 0 && change(i - 1)) || (by && change(i - 2))) {
            return None;
        }
        let (currency2, k) = self.currency_prefix(next + 1);
        if currency2.is_some() && currency2 != currency {
            return None;
        }
        let (q2, n2) = self.quantity(k)?;
        if percent && !self.tok(n2).is_some_and(|p| p.punct('%')) {
            return None;
        }
        let year = |q: &Quantity| matches!(q, Quantity::Exact { plain_int: Some(y), .. } if is_year(*y));
        let plain = |q: &Quantity| matches!(q, Quantity::Exact { plain_int: Some(_), .. });
        if year(q) && !plain(&q2) || !year(q) && year(&q2) {
            return None;
        }
        let noun_after = self.tok(n2).is_some_and(|n| n.tk == Tk::Word && !STOP.contains(&n.lower().as_str()))
            || self.tok(n2).is_some_and(|d| d.punct('-') && !d.space_before);
        // `£310m to 3,950 cases`: an amount does not run to a count.
        if currency.is_some() && currency2.is_none() && noun_after && self.currency_word(n2).is_none() {
            return None;
        }
        // `16 and 17-year-olds` lists the ends of one count; `4 and lost` lists nothing.
        if listed && (year(q) || !noun_after) {
            return None;
        }
        Some((q2, n2))
    }

    /// The kind a quantity ending before `next` is of, from what follows
    /// (`%`, `per cent`, `dollars`, `pence`) or the sign before it; the
    /// factor its values take (`28 pence` is £0.28), and the next token.
    /// `end` moves past the sign or word read.
    fn kind_after(&self, q: &Quantity, currency: Option<&'static str>, next: usize, end: &mut usize) -> (Kind, f64, usize) {
        if let Some(c) = currency {
            return (Kind::Money(c), 1.0, next);
        }
        if matches!(q, Quantity::Exact { pence: true, .. }) {
            return (Kind::Money("GBP"), 1.0, next);
        }
        // With no sign or word after it, a share is a percentage and anything else a count.
        let bare = if matches!(q, Quantity::Share(_)) { Kind::Percent } else { Kind::Count };
        let Some(t) = self.tok(next) else {
            return (bare, 1.0, next);
        };
        let percent_words = if t.punct('%') || t.is("percent") {
            1
        } else if t.is("per") && self.tok(next + 1).is_some_and(|n| n.is("cent")) {
            2
        } else {
            0
        };
        if percent_words > 0 {
            *end = self.toks[next + percent_words - 1].end;
            return (Kind::Percent, 1.0, next + percent_words);
        }
        if let Some((code, factor)) = self.currency_word(next) {
            *end = t.end;
            return (Kind::Money(code), factor, next + 1);
        }
        (bare, 1.0, next)
    }

    /// A currency word at `k` (`dollars`, `pence`): its code and the factor
    /// of its unit to the currency's.
    fn currency_word(&self, k: usize) -> Option<(&'static str, f64)> {
        let t = self.tok(k)?;
        CURRENCY_WORDS.iter().find(|(w, _, _)| t.is(w)).map(|(_, code, factor)| (*code, *factor))
    }

    /// A score or tally at `j` (`a 2-0 win`, `beat them 18-17`): two small
    /// whole numbers joined by a dash, the second no larger than the first
    /// or a result word around them. A range runs upwards; a score need not.
    fn score(&self, i: usize, j: usize) -> Option<Step> {
        let small = |k: usize| {
            self.tok(k)
                .filter(|t| t.tk == Tk::Num && t.text.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|t| t.text.parse::<u32>().ok())
                .filter(|v| *v <= 200)
        };
        let (a, b) = (small(j)?, small(j + 2)?);
        self.tok(j + 1).filter(|d| d.punct('-') && !d.space_before && !self.toks[j + 2].space_before)?;
        let result_word = |k: usize| self.word_at(k).is_some_and(|w| SCORE_WORDS.contains(&w.as_str()));
        let context = (j > 0 && result_word(j - 1)) || result_word(j + 3);
        if b > a && !context {
            return None;
        }
        let (start, end) = (self.tok(i)?.start, self.toks[j + 2].end);
        let pair = Value::Range { start: vec![Interval::exact(a as f64)], end: vec![Interval::exact(b as f64)] };
        let fig =
            Figure { kind: Kind::Score, value: pair, unit: None, span: start..end, text: self.text[start..end].to_owned(), rounding: 0.0 };
        Some(Step::Figure(fig, false, j + 3))
    }

    fn quantity_or_money_at(&self, j: usize) -> bool {
        let (_, k) = self.currency_prefix(j);
        self.quantity(k).is_some()
    }
}

/// How far a share in words (`four in five`, `a third`) may be from the
/// value it rounds, in percentage points.
const SHARE_IN_WORDS: f64 = 2.5;

/// The kind and value of a quantity (and the upper end of its range): a
/// plain integer from 1800 to 2100 counted as nothing else is a year.
fn value_of(kind: Kind, qual: Option<Qualifier>, q: &Quantity, upper: Option<&Quantity>, discrete: bool) -> (Kind, Value) {
    let year_of = |q: &Quantity| match q {
        Quantity::Exact { plain_int: Some(y), .. } if is_year(*y) => Some(*y as f64),
        _ => None,
    };
    let whole_year = |y: f64| vec![Interval { lo: y, hi: y + 1.0 - 1e-6 }];
    if kind == Kind::Count
        && let Some(y) = year_of(q)
    {
        let value = match upper {
            Some(Quantity::Exact { plain_int: Some(e), .. }) => {
                Value::Range { start: whole_year(y), end: whole_year(complete_year(y, *e as f64)) }
            }
            _ => Value::Readings(whole_year(y)),
        };
        return (Kind::Time, value);
    }
    let value = match upper {
        Some(q2) => Value::Range { start: bounds(q), end: bounds(q2) },
        None => Value::Readings(qualify(qual, &bounds(q), discrete)),
    };
    (kind, value)
}

#[cfg(test)]
#[path = "grammar_tests.rs"]
mod tests;
