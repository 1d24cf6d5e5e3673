//! Ordinals and dates: `5th`, `the first`, `May 2016`, `December 15, 2022`.

use super::figure::{Figure, Interval, Kind, Value};
use super::reader::{Reader, Step};
use super::tokens::*;
use super::words::*;

impl Reader<'_, '_> {
    /// Ordinals (`5th`, `first`); undated days (`the 19th`) are not figures.
    pub(super) fn ordinal(&self, i: usize) -> Option<Step> {
        let t = self.tok(i)?;
        // `at number 19`, `at No 1`: a place in a list or a chart.
        if (t.is("number") || t.is("no"))
            && i > 0
            && self.toks[i - 1].is("at")
            && let Some(n) = self.tok(i + 1).filter(|n| n.tk == Tk::Num && n.text.bytes().all(|b| b.is_ascii_digit()))
        {
            let value = Value::Readings(vec![Interval::exact(n.text.parse().ok()?)]);
            let span = t.start..n.end;
            let text = self.text[span.clone()].to_owned();
            return Some(Step::Figure(Figure { kind: Kind::Ordinal, value, unit: None, span, text, rounding: 0.0 }, false, i + 2));
        }
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
        if t.tk == Tk::Word && !self.word_ordinal_is_a_rank(i) {
            return None;
        }
        let fig = Figure {
            kind: Kind::Ordinal,
            value: Value::Readings(vec![Interval::exact(value)]),
            unit: None,
            span: t.start..t.end,
            text: t.text.to_owned(),
            rounding: 0.0,
        };
        Some(Step::Figure(fig, false, i + 1))
    }

    /// A word ordinal is a figure when it ranks (`fourth place`, `the third
    /// largest`, `the fourth-biggest`, `came second`); before a noun it is
    /// an adjective (`the first trains`, `a second attempt`), and alone it
    /// is as often an adverb (`first uncovered`) or a unit of time.
    fn word_ordinal_is_a_rank(&self, i: usize) -> bool {
        let superlative = |k: usize| self.word_at(k).is_some_and(|w| w.ends_with("est") && w.len() > 4);
        let next = self.tok(i + 1);
        if next.is_some_and(|n| n.is("place") || n.is("position") || n.is("spot")) || superlative(i + 1) {
            return true;
        }
        if next.is_some_and(|d| d.punct('-') && !d.space_before) && superlative(i + 2) {
            return true;
        }
        let ranked = i > 0 && self.word_at(i - 1).is_some_and(|w| RANK_VERBS.contains(&w.as_str()));
        ranked && next.is_none_or(|n| n.tk != Tk::Word)
    }

    /// A date at a month name: `May 2016`, `December 15, 2022`; a month without
    /// a year (`in September`, `Dec 15`) is not a figure, and its day is skipped.
    pub(super) fn date(&self, i: usize, m: u32) -> Step {
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
            Figure { kind: Kind::Time, value, unit: None, span: t.start..end, text: self.text[t.start..end].to_owned(), rounding: 0.0 },
            false,
            k + 1,
        )
    }
}
