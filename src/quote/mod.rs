//! Quotes: markup, normalisation, and the search for a quote in its source.

pub mod approx;
pub mod diff;
pub mod exact;
pub mod filter;
pub mod markup;
pub mod myers;
pub mod normalize;
pub mod vote;

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
