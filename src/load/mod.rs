//! Reading the inputs: claim files into the claim model (with spans and schema
//! diagnostics) and source documents into normalised text with offset maps.

pub mod claims;
pub mod format;
pub mod lock;
pub mod reparse;
pub mod sources;
pub mod stamp;
pub mod yaml;
