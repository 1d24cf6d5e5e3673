//! The `yaml-syntax` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::Diagnostic;
use crate::load::yaml::SyntaxError;
use crate::model::files::File;
use crate::model::{FileId, Span};

declare_rule! {
    /// ## What it does
    /// Reports a claim file that is not valid YAML, at the place where the
    /// parser gave up.
    ///
    /// ## Why it matters
    /// Nothing in a file that does not parse can be checked: every claim in it
    /// goes unverified until the syntax is mended.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: [unclosed
    ///     quote: text
    /// ```
    ///
    /// ## How to fix
    /// Mend the YAML at the position shown: close the bracket or quote, align
    /// the indentation, or quote a value that contains `: ` or starts with a
    /// special character.
    pub static YAML_SYNTAX = ("yaml-syntax", Error, "A claim file is not valid YAML");
}

/// The diagnostic for a syntax error in `file`.
pub fn diagnostic(id: FileId, file: &File, err: &SyntaxError) -> Diagnostic {
    let at = file.offset_of(err.line, err.column);
    let end = file.text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    Diagnostic::new(&YAML_SYNTAX, id, Span::new(at, end), format!("invalid YAML: {}", err.message))
        .label("the parser stopped here")
        .help(err.help.as_deref().unwrap_or("mend the YAML here; quote values that contain `: ` or start with a special character"))
}
