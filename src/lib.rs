//! citelint: a source-verification and citation linter.
//!
//! Writers keep their claims in YAML files; each claim cites a quote and the
//! source document it comes from. citelint proves that every quote really
//! stands in its cited source, allowing only the changes journalists may make
//! (typography, elisions, bracketed insertions, the case of the first
//! letter); when it does not, it shows the closest passage with a word diff,
//! or the other source the quote really comes from.
//!
//! Data flows one way, and each layer imports only from those below it
//! (CONTRIBUTING.md has the plan; `tests/layers.rs` holds it): the
//! entry points ([`app`], [`cli`]); the consumers of a finished report
//! ([`emit`], [`fix`], [`baseline`], [`cache`], [`lsp`]); the pipeline
//! ([`check`]); the settings ([`config`]); the [`rules`]; the
//! [`diagnostic`] model; the engines and readers ([`quote`], [`figures`],
//! [`load`]); and the [`model`] they all share.

pub mod app;
pub mod baseline;
pub mod cache;
pub mod check;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod emit;
pub mod fetch;
pub mod figures;
pub mod fix;
pub mod load;
pub mod lsp;
pub mod model;
pub mod quote;
#[macro_use]
pub mod rules;
pub mod suggest;

pub use check::{CheckOptions, Report, check};
pub use config::Config;
