//! Quotes: markup, normalisation, and the search for a quote in its source.

pub mod approx;
pub mod diff;
pub mod exact;
pub mod markup;
pub mod myers;
pub mod normalize;
pub mod vote;
