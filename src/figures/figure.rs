//! A figure: what it measures, the values it allows (every reading of its
//! text), and whether one figure supports another or conflicts with it.

use std::fmt;
use std::ops::Range;

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

    /// This interval (a quote's) is evidence for `claimed`: within it, and
    /// each finite bound of the claim near the quote's, short of a factor
    /// of [`LOOSEST`] (`more than 5` for `54`, `up to £220bn` for `£220m`).
    pub fn evidence_for(&self, claimed: &Interval) -> bool {
        let far = |a: f64, b: f64| a > 0.0 && b > 0.0 && a.is_finite() && b.is_finite() && a.max(b) / a.min(b) >= LOOSEST;
        self.within(claimed) && !far(self.lo, claimed.lo) && !far(self.hi, claimed.hi)
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
    /// A period (`2016-2018`, `from 2015 to 19`): compared by its ends.
    Period {
        start: Vec<Interval>,
        end: Vec<Interval>,
    },
}

/// Some reading of `a` stands in relation `holds` to some reading of `b`.
fn any_pair(a: &[Interval], b: &[Interval], holds: fn(&Interval, &Interval) -> bool) -> bool {
    a.iter().any(|x| b.iter().any(|y| holds(x, y)))
}

impl Value {
    /// The readings of the whole span a value covers.
    fn hull(&self) -> Vec<Interval> {
        match self {
            Value::Readings(r) => r.clone(),
            Value::Period { start, end } => {
                let lo = start.iter().map(|i| i.lo).fold(f64::INFINITY, f64::min);
                let hi = end.iter().map(|i| i.hi).fold(f64::NEG_INFINITY, f64::max);
                vec![Interval { lo, hi }]
            }
        }
    }

    /// Two values meet: periods when both ends meet, otherwise when some
    /// reading of one meets some reading of the other.
    pub fn meets(&self, other: &Value) -> bool {
        self.related(other, Interval::meets)
    }

    /// This value (a quote's) supports `claimed`: some reading of it lies
    /// within some reading of the claim, near its bounds (a period: each end).
    pub fn supports(&self, claimed: &Value) -> bool {
        self.related(claimed, Interval::evidence_for)
    }

    /// Two periods relate when both their ends do; other values when some
    /// readings of their whole spans do.
    fn related(&self, other: &Value, holds: fn(&Interval, &Interval) -> bool) -> bool {
        match (self, other) {
            (Value::Period { start: s1, end: e1 }, Value::Period { start: s2, end: e2 }) => {
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
}

impl Figure {
    /// This figure (from a quote) supports `claimed` (from a statement or a
    /// `figures:` value): same kind, compatible units, and every value the
    /// quote allows allowed by the claim, whose bounds are near the quote's.
    /// Overlap is not support: `more than $3m` allows $30m but does not say it.
    pub fn supports(&self, claimed: &Figure) -> bool {
        self.kind == claimed.kind && units_compatible(&self.unit, &claimed.unit) && self.value.supports(&claimed.value)
    }

    /// Two values of one key conflict: same kind and values that do not meet.
    pub fn conflicts(&self, other: &Figure) -> bool {
        self.kind == other.kind && !self.value.meets(&other.value)
    }
}

/// Units are compatible when either is unknown or both name the same noun.
pub fn units_compatible(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => x == y,
        _ => true,
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
        // (`between £150m and £220m` reads as two figures, not yet one range.)
        assert!(parse("between £150m and £220m").iter().all(|q| !q.supports(&one("up to £220bn"))));
        assert!(parse("between £150m and £220m").iter().any(|q| q.supports(&one("up to £250m"))));
        assert!(!one("54 stations").supports(&one("more than 5 stations")));
        assert!(!one("54 stations").supports(&one("more than 25 stations")));
        assert!(one("54 stations").supports(&one("more than 30 stations")));
    }
}
