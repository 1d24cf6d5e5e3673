//! The static registry of rules. Each rule lives in its own file with its
//! documentation in fixed sections (what it does, why it matters, example, how
//! to fix); `citelint rule NAME` prints that text. Names are stable: once
//! shipped, a rule's name never changes.

pub use crate::diagnostic::{Rule, Severity};

/// Declares a rule whose documentation is the doc comment written above it.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $ident:ident = ($name:literal, $sev:ident, $summary:literal);
    ) => {
        $(#[doc = $doc])*
        pub static $ident: $crate::diagnostic::Rule = $crate::diagnostic::Rule {
            name: $name,
            default_severity: $crate::diagnostic::Severity::$sev,
            summary: $summary,
            doc: concat!($($doc, "\n"),*),
        };
    };
}

pub mod claim_schema;
pub mod duplicate_id;
pub mod elision_drops_negation;
pub mod figure_conflict;
pub mod figure_unsupported;
pub mod quote_mismatch;
pub mod quote_not_found;
pub mod quote_too_short;
pub mod quote_wrong_source;
pub mod source_changed;
pub mod source_not_archived;
pub mod source_not_found;
pub mod source_outside_root;
pub mod source_unreadable;
pub mod unused_allow;
pub mod yaml_syntax;

/// Every rule, in the order `citelint rules` lists them.
pub static ALL: &[&Rule] = &[
    &yaml_syntax::YAML_SYNTAX,
    &claim_schema::CLAIM_SCHEMA,
    &duplicate_id::DUPLICATE_ID,
    &source_outside_root::SOURCE_OUTSIDE_ROOT,
    &source_not_found::SOURCE_NOT_FOUND,
    &source_not_archived::SOURCE_NOT_ARCHIVED,
    &source_unreadable::SOURCE_UNREADABLE,
    &source_changed::SOURCE_CHANGED,
    &quote_wrong_source::QUOTE_WRONG_SOURCE,
    &quote_mismatch::QUOTE_MISMATCH,
    &quote_not_found::QUOTE_NOT_FOUND,
    &quote_too_short::QUOTE_TOO_SHORT,
    &elision_drops_negation::ELISION_DROPS_NEGATION,
    &figure_unsupported::FIGURE_UNSUPPORTED,
    &figure_conflict::FIGURE_CONFLICT,
    &unused_allow::UNUSED_ALLOW,
];

/// Looks a rule up by its name.
pub fn by_name(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.name == name)
}

/// The rule name closest to a misspelt one, if any is close enough.
pub fn suggest(name: &str) -> Option<&'static str> {
    crate::suggest::closest(name, ALL.iter().map(|r| r.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_kebab_case_and_documented() {
        let mut seen = std::collections::HashSet::new();
        for r in ALL {
            assert!(seen.insert(r.name), "duplicate rule {}", r.name);
            assert!(r.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{} is not kebab-case", r.name);
            for section in ["## What it does", "## Why it matters", "## Example", "## How to fix"] {
                assert!(r.doc.contains(section), "{} lacks {section}", r.name);
            }
        }
    }
}
