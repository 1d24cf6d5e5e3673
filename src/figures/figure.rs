//! A figure: what it measures, the values it allows (every reading of its
//! text), and whether one figure supports another or conflicts with it.

use std::fmt;
use std::ops::Range;

use super::units::units_compatible;

/// The relative tolerance of `about`, `around`, `roughly`, `some`, `approximately`.
pub const APPROX: f64 = 0.10;

/// What a figure measures. A year never supports a count, nor a count a year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    Count,
    Percent,
    /// An amount in a currency (ISO-like code: USD, EUR, GBP, CNY, JPY).
    Money(&'static str),
    /// A point or span on the time axis, in years (months as twelfths).
    Time,
    Ordinal,
    /// A score or a tally (`a 2-0 win`, `18-17`): a pair, not a range.
    Score,
}

/// A closed interval of values.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub lo: f64,
    pub hi: f64,
}

impl Interval {
    pub fn exact(x: f64) -> Self {
        Interval { lo: x, hi: x }
    }
    pub fn meets(&self, other: &Interval) -> bool {
        self.lo <= other.hi + 1e-9 && other.lo <= self.hi + 1e-9
    }

    /// Every value of this interval is a value of `other`.
    pub fn within(&self, other: &Interval) -> bool {
        other.lo <= self.lo + 1e-9 && self.hi <= other.hi + 1e-9
    }

    /// This interval (a quote's) is evidence for `claimed`, a value rounded
    /// to `h` either side (see [`Figure::rounding`]): within it, and near it.
    pub fn evidence_for(&self, claimed: &Interval, h: f64) -> bool {
        self.within(&claimed.unrounded(h)) && self.near(claimed)
    }

    /// The values a rounded exact value stands for: `13` rounded to 0.5
    /// either side is 12.5 up to, not including, 13.5.
    pub fn unrounded(&self, h: f64) -> Interval {
        if self.lo != self.hi || h <= 0.0 {
            return *self;
        }
        Interval { lo: self.lo - h, hi: self.hi + h - h * 1e-6 }
    }

    /// Each finite bound of `claimed` is near this interval's, short of a
    /// factor of [`LOOSEST`] (`more than 5` for `54`, `up to £220bn` for
    /// `£220m` are not). A claim's rounding is no looseness: its bounds are
    /// compared as written.
    pub fn near(&self, claimed: &Interval) -> bool {
        let far = |a: f64, b: f64| a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite() && a.max(b) / a.min(b) >= LOOSEST;
        !far(self.lo, claimed.lo) && !far(self.hi, claimed.hi)
    }
}

/// A claimed bound this many times looser than its evidence makes another
/// claim. Writers round a bound down (`more than 6,000` for `7,000`,
/// `more than 50` for `54`), rarely by half; an error of scale (m for bn, a
/// dropped zero, `more than 5` for `54`) is always far past it.
pub const LOOSEST: f64 = 2.0;

/// The values a figure may have: one interval per reading.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Readings(Vec<Interval>),
    /// A range or a period (`between £150m and £220m`, `2016-2018`, `from
    /// 2015 to 19`) or a score's pair: compared with another end to end,
    /// with a single value by its whole span.
    Range {
        start: Vec<Interval>,
        end: Vec<Interval>,
    },
}

/// Some reading of `a` stands in relation `holds` to some reading of `b`.
fn any_pair(a: &[Interval], b: &[Interval], holds: impl Fn(&Interval, &Interval) -> bool) -> bool {
    a.iter().any(|x| b.iter().any(|y| holds(x, y)))
}

impl Value {
    /// The readings of the whole span a value covers.
    fn hull(&self) -> Vec<Interval> {
        match self {
            Value::Readings(r) => r.clone(),
            Value::Range { start, end } => {
                let lo = start.iter().map(|i| i.lo).fold(f64::INFINITY, f64::min);
                let hi = end.iter().map(|i| i.hi).fold(f64::NEG_INFINITY, f64::max);
                vec![Interval { lo, hi }]
            }
        }
    }

    /// Two values meet: periods when both ends meet, otherwise when some
    /// reading of one meets some reading of the other.
    pub fn meets(&self, other: &Value) -> bool {
        self.related(other, |a, b| a.meets(b))
    }

    /// This value (a quote's) supports `claimed`, rounded to `h` either
    /// side: some reading of it lies within some reading of the claim, near
    /// its bounds (a range: each end).
    pub fn supports(&self, claimed: &Value, h: f64) -> bool {
        self.related(claimed, |q, c| q.evidence_for(c, h))
    }

    /// Two ranges relate when both their ends do; other values when some
    /// readings of their whole spans do.
    fn related(&self, other: &Value, holds: impl Fn(&Interval, &Interval) -> bool + Copy) -> bool {
        match (self, other) {
            (Value::Range { start: s1, end: e1 }, Value::Range { start: s2, end: e2 }) => {
                any_pair(s1, s2, holds) && any_pair(e1, e2, holds)
            }
            _ => any_pair(&self.hull(), &other.hull(), holds),
        }
    }
}

/// A figure found in some text.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub kind: Kind,
    pub value: Value,
    /// The lemma of the noun it counts (`station` for `102 overseas police stations`).
    pub unit: Option<String>,
    /// Byte range in the text parsed (qualifier and number, not the unit).
    pub span: Range<usize>,
    pub text: String,
    /// Half the place of the last digit written, for a bare value that may
    /// be rounded (`13%` stands for 12.5% to 13.5%); 0 for an exact one.
    pub rounding: f64,
}

impl Figure {
    /// This figure (from a quote) supports `claimed` (from a statement or a
    /// `figures:` value): same kind, compatible units, and every value the
    /// quote allows allowed by the claim, whose bounds are near the quote's.
    /// Overlap is not support: `more than $3m` allows $30m but does not say it.
    pub fn supports(&self, claimed: &Figure) -> bool {
        self.kind == claimed.kind && units_compatible(&self.unit, &claimed.unit) && self.value.supports(&claimed.value, claimed.rounding)
    }

    /// Two values of one key conflict: same kind and values that do not
    /// meet, each taken with its rounding.
    pub fn conflicts(&self, other: &Figure) -> bool {
        self.kind == other.kind && !self.rounded().meets(&other.rounded())
    }

    /// The values this figure stands for once its rounding is undone: a
    /// bare `13%` is any value from 12.5% up to (not including) 13.5%.
    pub fn rounded(&self) -> Value {
        let widen = |rs: &[Interval]| -> Vec<Interval> { rs.iter().map(|r| r.unrounded(self.rounding)).collect() };
        match &self.value {
            Value::Readings(rs) => Value::Readings(widen(rs)),
            Value::Range { start, end } => Value::Range { start: widen(start), end: widen(end) },
        }
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)?;
        if let Some(u) = &self.unit
            && !self.text.contains(u.as_str())
        {
            write!(f, " ({u})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::figures::grammar::parse;

    fn one(s: &str) -> super::Figure {
        let f = parse(s);
        assert_eq!(f.len(), 1, "{s}: {f:?}");
        f.into_iter().next().unwrap()
    }

    #[test]
    fn support_and_conflict() {
        assert!(one("54 stations").supports(&one("more than 50 stations")));
        assert!(one("2 stations").supports(&one("two stations")));
        assert!(!one("11 stations").supports(&one("12 stations")));
        assert!(!one("11 stations").supports(&one("11 countries")));
        assert!(!one("in 2015").supports(&one("2,015 stations")));
        assert!(!one("2,015 stations").supports(&one("in 2015")));
        assert!(one("at least 11 stations").conflicts(&one("4 stations")));
        assert!(!one("at least 11 stations").conflicts(&one("11 stations")));
        // Both readings of 230.000 must fail for a conflict.
        assert!(!one("230.000 citizens").conflicts(&one("230 citizens")));
        assert!(one("between 2016 and 2018").conflicts(&one("from 2015 to 19")));
        assert!(!one("between 2016 and 2018").conflicts(&one("2016-2018")));
        assert!(one("in 2017").supports(&one("between 2016 and 2018")));
        assert!(!one("between 2016 and 2018").supports(&one("in 2017")));
    }

    /// Issue 15: support is containment, not overlap; each case is one
    /// that passed when support meant overlap.
    #[test]
    fn support_is_containment() {
        assert!(!one("more than $3m").supports(&one("$30m")));
        assert!(!one("at least 7,000").supports(&one("at least 70,000")));
        assert!(!one("more than 6%").supports(&one("over 16%")));
        assert!(!one("almost 12,000 visitors").supports(&one("more than 12,000 visitors")));
        assert!(!one("about 50 stations").supports(&one("50 stations")));
        // What a quote says, a claim may say more loosely.
        assert!(one("at least 7,000").supports(&one("more than 6,000")));
        assert!(one("between 150 and 220").supports(&one("up to 220")));
        assert!(one("54 stations").supports(&one("about 50 stations")));
        assert!(one("54 stations").supports(&one("at least 54 stations")));
    }

    /// Issue 15: a bound twice as loose as its evidence, or more, is another claim.
    #[test]
    fn a_bound_far_from_its_evidence_is_unsupported() {
        assert!(!one("between £150m and £220m").supports(&one("up to £220bn")));
        assert!(one("between £150m and £220m").supports(&one("up to £250m")));
        assert!(!one("54 stations").supports(&one("more than 5 stations")));
        assert!(!one("54 stations").supports(&one("more than 25 stations")));
        assert!(one("54 stations").supports(&one("more than 30 stations")));
    }

    /// Issue 15: a range is one quantity; two ranges compare end to end.
    #[test]
    fn ranges_compare_end_to_end() {
        assert!(!one("between 40 and 50 jobs").supports(&one("between 40 and 60 jobs")));
        assert!(one("between 40 and 50 jobs").supports(&one("40 to 50 jobs")));
        assert!(!one("from £263,000 to £275,000").supports(&one("from £263,000 to £285,000")));
        assert!(one("between £415m and £425m").supports(&one("£415m to £425m")));
        // `fell from 4,120 cases worth £310m to 3,950 cases` is no range of money.
        assert_eq!(parse("fell from 4,120 cases worth £310m to 3,950 cases").len(), 3);
    }

    /// Issue 15: a score is a pair, and a different score another claim.
    #[test]
    fn scores_are_pairs() {
        assert_eq!(one("a 2-0 win").kind, super::Kind::Score);
        assert!(!one("a 2-0 win").supports(&one("won 2-1")));
        assert!(one("a 2-0 derby victory").supports(&one("beat City 2-0")));
        assert!(!one("an 18-17 win").supports(&one("won 17-16")));
    }

    /// Issue 15: `N times` is a multiplier, continuous on both sides.
    #[test]
    fn multiples_compare_as_multiples() {
        assert!(!one("three times as many").supports(&one("five times more")));
        assert!(one("oversubscribed 8.4 times").supports(&one("oversubscribed more than 8 times")));
        assert!(!one("three times").supports(&one("three cars")));
    }

    /// Issue 15: `N in M` and fractions are proportions, comparable with percentages.
    #[test]
    fn proportions_compare_with_percentages() {
        assert!(one("three in five").supports(&one("60%")));
        assert!(one("two in five").supports(&one("40%")));
        assert!(!one("one in four").supports(&one("one in three")));
        assert!(one("38.4%").supports(&one("more than a third")));
        assert!(one("68%").supports(&one("more than two-thirds")));
        assert!(!one("60%").supports(&one("two-thirds")));
        // Shares in words are rounded to the nearest 5%.
        assert!(one("81%").supports(&one("four in five")));
        assert!(!one("72%").supports(&one("four in five")));
    }

    /// Issue 15: two names for one thing count alike; a wrong unit still fails.
    #[test]
    fn units_compare_by_meaning() {
        assert!(one("won 4 Oscars").supports(&one("four Academy Awards")));
        assert!(one("500 pieces of luggage").supports(&one("500 bags")));
        assert!(one("12 million people").supports(&one("12 million Britons")));
        assert!(one("4,500 Mini-workers").supports(&one("4,500 workers")));
        assert!(!one("43 minutes").supports(&one("43 hours")));
        assert!(!one("$90.3m").supports(&one("£90.3m")));
    }

    /// Issue 15: a bare value stands for what rounds to it; a count is exact.
    #[test]
    fn rounding_is_read_from_the_digits_written() {
        assert!(one("12.7%").supports(&one("13%")));
        assert!(!one("12.7%").supports(&one("12%")));
        assert!(!one("13%").supports(&one("12.7%")), "a claim more precise than its quote");
        assert!(one("$3.47bn").supports(&one("$3.5bn")));
        assert!(one("£1bn").supports(&one("£1bn")));
        assert!(!one("54 stations").supports(&one("55 stations")));
        assert!(!one("$17.73m").supports(&one("$17.37m")));
    }
}
