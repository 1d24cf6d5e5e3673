//! Quantities: digits with their scale, number words, vague quantities,
//! and the intervals a qualifier makes of them.

use super::figure::{APPROX, Interval};
use super::reader::Reader;
use super::tokens::*;
use super::words::*;

/// A quantity before qualifiers are applied.
#[derive(Clone, Debug)]
pub(super) enum Quantity {
    Exact {
        readings: Vec<f64>,
        /// The plain integer literal, when there is one (for years).
        plain_int: Option<u32>,
        /// The place value of the last digit written (`12.7` → 0.1, `£3bn`
        /// → 1e9); 0 for number words, which are exact.
        place: f64,
        /// Pence (`28p`): an amount of money with no sign before it.
        pence: bool,
    },
    Vague(Interval),
    /// A proportion, in percent: `one in four`, `a third`, `two-thirds`.
    Share(f64),
}

impl Quantity {
    fn exact(v: f64) -> Quantity {
        Quantity::Exact { readings: vec![v], plain_int: None, place: 0.0, pence: false }
    }

    /// This quantity with its values multiplied by `factor` (pence to pounds).
    pub(super) fn scaled(self, factor: f64) -> Quantity {
        if factor == 1.0 {
            return self;
        }
        match self {
            Quantity::Exact { readings, plain_int: _, place, pence } => {
                Quantity::Exact { readings: readings.iter().map(|r| r * factor).collect(), plain_int: None, place: place * factor, pence }
            }
            Quantity::Vague(i) => Quantity::Vague(Interval { lo: i.lo * factor, hi: i.hi * factor }),
            Quantity::Share(p) => Quantity::Share(p),
        }
    }

    /// The one value of an exact quantity with a single reading.
    fn single(&self) -> Option<f64> {
        match self {
            Quantity::Exact { readings, plain_int, .. } if readings.len() == 1 && !plain_int.is_some_and(is_year) => Some(readings[0]),
            _ => None,
        }
    }
}

/// A plain integer that reads as a year.
pub(super) fn is_year(y: u32) -> bool {
    (1800..=2100).contains(&y)
}

impl Reader<'_, '_> {
    /// A quantity at `i`: digits, number words or a vague quantity, with
    /// its scale; `N in M` (`one in four`) is a proportion.
    pub(super) fn quantity(&self, i: usize) -> Option<(Quantity, usize)> {
        let (q, next) = self.amount(i)?;
        Some(self.proportion(&q, next).unwrap_or((q, next)))
    }

    fn amount(&self, i: usize) -> Option<(Quantity, usize)> {
        let t = self.tok(i)?;
        let (q, mut next) = match t.tk {
            Tk::Num => (self.digits(t)?, i + 1),
            Tk::Word => self.number_words(i)?,
            Tk::Punct => return None,
        };
        // A scale word after digits: `3 million`.
        if let (Quantity::Exact { readings, place, pence: false, .. }, Some(w)) = (&q, self.word_at(next))
            && let Some(s) = lookup(SCALES, &w)
        {
            let scaled: Vec<f64> = readings.iter().map(|r| r * s).collect();
            next += 1;
            return Some((Quantity::Exact { readings: scaled, plain_int: None, place: place * s, pence: false }, next));
        }
        Some((q, next))
    }

    /// A number literal with its suffix (`12.7`, `£3bn`'s `3bn`, `28p`).
    fn digits(&self, t: &Token) -> Option<Quantity> {
        let lit_end = t.text.find(|c: char| c.is_alphabetic()).unwrap_or(t.text.len());
        let (lit, suffix) = t.text.split_at(lit_end);
        let mut rs = readings(lit);
        if rs.is_empty() {
            return None;
        }
        let suffix = suffix.to_lowercase();
        let scale = match suffix.as_str() {
            "bn" => 1e9,
            "m" => 1e6,
            "k" => 1e3,
            "p" => 0.01,
            "" => 1.0,
            _ => return None,
        };
        rs.iter_mut().for_each(|r| *r *= scale);
        let plain_int = (suffix.is_empty() && lit.bytes().all(|b| b.is_ascii_digit())).then(|| lit.parse().ok()).flatten();
        Some(Quantity::Exact { readings: rs, plain_int, place: last_place(lit) * scale, pence: suffix == "p" })
    }

    /// `N in M` after a quantity `N` ending before `next`: `one in four`,
    /// `2 in 5`, a proportion when `M` is larger and not a year.
    fn proportion(&self, n: &Quantity, next: usize) -> Option<(Quantity, usize)> {
        if !self.tok(next)?.is("in") {
            return None;
        }
        let (m, after) = self.amount(next + 1)?;
        let (n, m) = (n.single()?, m.single()?);
        (m > n && n > 0.0).then_some((Quantity::Share(n / m * 100.0), after))
    }

    /// Number words (`eleven`, `twenty-one`, `a hundred`, `a dozen`), vague
    /// quantities (`dozens`, `hundreds`, `several`, `a few`, `a couple`) and
    /// fractions (`a third`, `two-thirds`, `nearly half`).
    fn number_words(&self, i: usize) -> Option<(Quantity, usize)> {
        let w = self.word_at(i)?;
        let exact = |v: f64, next| Some((Quantity::exact(v), next));
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
                    _ => self.fraction(1.0, i + 1),
                };
            }
            "half" if i > 0 && self.word_at(i - 1).is_some_and(|p| BEFORE_HALF.contains(&p.as_str())) => {
                return self.share_or_part(50.0, i + 1);
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
        // A capitalised number word inside a sentence names something (`Ocean's Twelve`, `Channel Four`).
        let capitalised = self.tok(i).is_some_and(|t| t.text.starts_with(char::is_uppercase));
        if capitalised && !self.at_sentence_start(i) {
            return None;
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
        } else if let Some(v) = lookup(UNITS, &w).or((w == "one").then_some(1.0)) {
            // `two-thirds`, `two thirds`
            let dash = self.tok(i + 1).is_some_and(|d| d.punct('-') && !d.space_before);
            if let Some(share) = self.fraction(v, i + 1 + usize::from(dash)) {
                return Some(share);
            }
            // `one` alone is a pronoun as often as a number; `one hundred` and `one in four` are numbers.
            let scaled = next_word.as_deref().and_then(|n| lookup(SCALES, n)).is_some();
            let counted = scaled || (next_word.as_deref() == Some("in") && self.amount(i + 2).is_some());
            if w == "one" && !counted {
                return None;
            }
            (v, i + 1)
        } else {
            return None;
        };
        if let Some(s) = self.word_at(next).and_then(|n| lookup(SCALES, &n)) {
            value *= s;
            next += 1;
        }
        exact(value, next)
    }

    /// `n` of the fraction word at `k` (`third`, `quarters`): a share, or a
    /// part of a scale (`a quarter of a million`). Not a fraction when a noun
    /// follows (`a third volume` is an ordinal).
    fn fraction(&self, n: f64, k: usize) -> Option<(Quantity, usize)> {
        let w = self.word_at(k)?;
        let d = FRACTIONS.iter().find(|(one, many, _)| *one == w || *many == w)?.2;
        if n >= d {
            return None;
        }
        self.share_or_part(n / d * 100.0, k + 1)
    }

    /// A share ending before `next`, unless a noun follows it; `of a
    /// million` makes it a part of the scale.
    fn share_or_part(&self, percent: f64, next: usize) -> Option<(Quantity, usize)> {
        let of = self.tok(next).is_some_and(|t| t.is("of"));
        if of
            && self.tok(next + 1).is_some_and(|a| a.is("a") || a.is("an"))
            && let Some(s) = self.word_at(next + 2).and_then(|n| lookup(SCALES, &n))
        {
            return Some((Quantity::exact(percent / 100.0 * s), next + 3));
        }
        let noun_follows = self.tok(next).is_some_and(|t| t.tk == Tk::Word && !of && !STOP.contains(&t.lower().as_str()));
        (!noun_follows).then_some((Quantity::Share(percent), next))
    }
}

/// The place value of a literal's last digit: `12.7` → 0.1, `1,200` → 1.
/// A literal with two readings (`230.000`) is taken as its finer one.
fn last_place(lit: &str) -> f64 {
    match lit.rfind(['.', ',']) {
        Some(k) if lit[k..].starts_with('.') || lit.len() - k - 1 != 3 => 10f64.powi(-((lit.len() - k - 1) as i32)),
        Some(_) | None => 1.0,
    }
}

/// `19` after `2015` is 2019.
pub(super) fn complete_year(start: f64, end: f64) -> f64 {
    if end >= 100.0 {
        return end;
    }
    let century = (start / 100.0).floor() * 100.0;
    let y = century + end;
    if y < start { y + 100.0 } else { y }
}

pub(super) fn bounds(q: &Quantity) -> Vec<Interval> {
    match q {
        Quantity::Exact { readings, .. } => readings.iter().map(|&r| Interval::exact(r)).collect(),
        Quantity::Vague(i) => vec![*i],
        Quantity::Share(p) => vec![Interval::exact(*p)],
    }
}

/// The next value above `x` for a strict bound: whole counts move by one.
fn above(x: f64, discrete: bool) -> f64 {
    if discrete && x.fract() == 0.0 { x + 1.0 } else { x + x.abs() * 1e-6 }
}

fn below(x: f64, discrete: bool) -> f64 {
    if discrete && x.fract() == 0.0 { x - 1.0 } else { x - x.abs() * 1e-6 }
}

/// The values a qualifier allows around `base`; `discrete` when the figure
/// counts whole things.
pub(super) fn qualify(q: Option<Qualifier>, base: &[Interval], discrete: bool) -> Vec<Interval> {
    base.iter()
        .map(|b| match q {
            None | Some(Qualifier::Between) | Some(Qualifier::From) => *b,
            Some(Qualifier::AtLeast) => Interval { lo: b.lo, hi: f64::INFINITY },
            Some(Qualifier::MoreThan) => Interval { lo: above(b.lo, discrete), hi: f64::INFINITY },
            Some(Qualifier::FewerThan) => Interval { lo: 0.0, hi: below(b.hi, discrete) },
            Some(Qualifier::UpTo) => Interval { lo: 0.0, hi: b.hi },
            Some(Qualifier::Nearly) => Interval { lo: b.lo * (1.0 - APPROX), hi: below(b.hi, discrete) },
            Some(Qualifier::About) => Interval { lo: b.lo * (1.0 - APPROX), hi: b.hi * (1.0 + APPROX) },
        })
        .collect()
}
