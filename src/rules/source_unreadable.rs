//! The `source-unreadable` rule: its documentation (the doc comment of its static)
//! and the constructor of its diagnostic from what the check found.

use crate::diagnostic::Diagnostic;
use crate::model::{Claim, Text};

declare_rule! {
    /// ## What it does
    /// Reports a cited source that exists but cannot be read as text: it is
    /// binary, a PDF with no text layer (a scan), an encrypted or damaged
    /// PDF, one whose streams would expand past the limit, not a regular
    /// file (a FIFO, a device), or the system refused to read it. The message
    /// says why, where, and what to do. Text in any encoding, saved web pages
    /// and PDFs with a text layer are read.
    ///
    /// ## Why it matters
    /// citelint compares words; a document it cannot read as text cannot
    /// support any quote.
    ///
    /// ## Example
    /// ```yaml
    /// claims:
    ///   - id: scanned
    ///     source: scanned-report.pdf   # pages of images, no text layer
    ///     quote: 54 stations
    /// ```
    ///
    /// ## How to fix
    /// Do what the message says: for a scan, run OCR (for example
    /// `ocrmypdf`) and cite the PDF it makes; for an encrypted PDF, cite an
    /// unprotected copy; for a damaged one, save it again from its source.
    pub static SOURCE_UNREADABLE = ("source-unreadable", Error, "A cited source cannot be read as text");
}

pub fn diagnostic(claim: &Claim, source: &Text, why: &str) -> Diagnostic {
    Diagnostic::new(&SOURCE_UNREADABLE, claim.file, source.span(), format!("cannot read `{}`: {why}", source.value))
        .claim(Some(&claim.id.value))
        .label("unreadable source")
        .help("cite a file citelint reads: text in any encoding (.txt, .md), a saved web page (.html), or a PDF with a text layer")
}
