//! Quotes: markup, normalisation, and the search for a quote in its source.

pub mod approx;
pub mod diff;
pub mod exact;
pub mod filter;
pub mod markup;
pub mod myers;
pub mod normalize;
pub mod vote;

/// A quote's literal reading as the search compares it: normalised, its end
/// marks aside. What the tests' and benches' exhaustive references align.
pub fn compared_text(quote: &str) -> String {
    let parsed = markup::parse(&normalize::normalize(quote).text);
    parsed.literal.pieces.into_iter().next().map(|p| p.text).unwrap_or_default()
}

/// A fixed sequence of pseudo-random numbers below `n`, from `seed`: the
/// quote tests' random strings.
#[cfg(test)]
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize % n
    }
}
