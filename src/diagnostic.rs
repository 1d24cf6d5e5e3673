//! The one diagnostic model every check produces and every emitter renders:
//! a finding ([`Diagnostic`]) with its severity, the related places that
//! explain it, the edits that fix it, and the descriptor of the rule that
//! made it ([`Rule`]; the rules themselves, with their docs, are in
//! `rules/`). It decides nothing and renders nothing.

pub use crate::model::Edit;
use crate::model::{FileId, Span};

/// How serious a finding is; `Off` only appears in configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Off,
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Off => "off",
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A rule: its stable name, default severity and documentation.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub name: &'static str,
    pub default_severity: Severity,
    /// One line: what the rule reports.
    pub summary: &'static str,
    /// The full documentation, Markdown, from the rule file's doc comment.
    pub doc: &'static str,
}

/// What a related location is: another place in a claim file, or a passage
/// of a source document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RelatedKind {
    Claim,
    Source,
}

/// A second place that explains the finding, shown with its own file and position.
#[derive(Clone, Debug)]
pub struct Related {
    pub kind: RelatedKind,
    pub file: FileId,
    pub span: Span,
    /// The related diagnostic's message (a heading for the snippet).
    pub message: String,
    /// The label under the span.
    pub label: String,
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub help: Option<String>,
    /// The claim file (or config file) the finding is reported in.
    pub file: FileId,
    pub claim: Option<String>,
    pub span: Span,
    pub label: String,
    pub related: Vec<Related>,
    /// The exact source text to put in place of the quote, where there is one.
    pub replacement: Option<String>,
    /// The edits that fix the finding, all in `file` (applied whole or not at all).
    pub edits: Vec<Edit>,
    /// What the finding is about (the quote, the figure), for fingerprints
    /// that survive edits elsewhere in the file.
    pub subject: Option<String>,
    /// For a near match: the least edit distance between the quote and the
    /// source around the passage (bytes of normalised text).
    pub distance: Option<usize>,
}

impl Diagnostic {
    pub fn new(rule: &'static Rule, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.default_severity,
            message: message.into(),
            help: None,
            file,
            claim: None,
            span,
            label: String::new(),
            related: Vec::new(),
            replacement: None,
            edits: Vec::new(),
            subject: None,
            distance: None,
        }
    }

    pub fn subject(mut self, s: &str) -> Self {
        self.subject = Some(s.to_owned());
        self
    }

    /// A stable identity for baselines and SARIF: claim id, rule and subject
    /// (the quote), never line numbers. FNV-1a, 64 bits, as hex.
    pub fn fingerprint(&self, file_name: &str) -> String {
        let basis = format!(
            "{}\u{0}{}\u{0}{}",
            self.claim.as_deref().unwrap_or(file_name),
            self.rule.name,
            self.subject.as_deref().unwrap_or(&self.message)
        );
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in basis.bytes() {
            h ^= b as u64;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{h:016x}")
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn claim(mut self, id: Option<&str>) -> Self {
        self.claim = id.map(str::to_owned);
        self
    }

    pub fn related(mut self, r: Related) -> Self {
        self.related.push(r);
        self
    }

    /// The first related passage in a source document, if any.
    pub fn source_passage(&self) -> Option<&Related> {
        self.related.iter().find(|r| r.kind == RelatedKind::Source)
    }
}

impl Diagnostic {
    pub fn with_replacement(mut self, text: &str) -> Self {
        self.replacement = Some(text.to_owned());
        self
    }
}
