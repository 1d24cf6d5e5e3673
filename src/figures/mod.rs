//! Figures: counts, amounts, percentages, years and dates, parsed from text
//! into intervals, and the predicates that decide whether one figure supports
//! another and whether two conflict.
//!
//! A figure keeps every reading its text allows (`230.000` is 230,000 in one
//! convention and 230 in the other), and two figures meet when any reading of
//! one meets any reading of the other: a figure conflicts with another only
//! when every reading does; a quote's figure supports a claimed one when its
//! values lie within the claim's, with the claim's bounds near them.
//! Qualifiers become bounds (`at least 11` is
//! [11, ∞)); approximations (`about`, `around`, `roughly`, `some`,
//! `approximately`) get a tolerance of [`APPROX`] either side.

mod antecedent;
pub mod corpus;
mod dates;
pub mod figure;
pub mod grammar;
mod noun;
mod quantity;
mod reader;
mod tokens;
mod units;
mod words;

pub use corpus::FigureSpec;
pub use figure::{APPROX, Figure, Interval, Kind, Value};
pub use units::units_compatible;
