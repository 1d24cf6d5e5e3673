//! Claim files: YAML into [`Claim`]s, claim by claim, so that one bad claim
//! never stops the others from being checked. What is wrong with a file is
//! returned as typed [`Problem`]s at the exact node; the rules
//! (`yaml-syntax`, `claim-schema`) turn them into diagnostics. This module
//! builds no diagnostic and knows rule names only as the list it is given.

use crate::load::yaml::{self, Node, SyntaxError, Value};
use crate::model::files::File;
use crate::model::{Citation, Claim, FigureEntry, FileId, Span, Text};
use crate::suggest;

const CLAIM_FIELDS: &[&str] = &["id", "statement", "source", "quote", "citations", "figures", "allow"];
const CITATION_FIELDS: &[&str] = &["source", "quote"];

/// What one claim file holds.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Loaded {
    pub claims: Vec<Claim>,
    pub problems: Vec<Problem>,
}

/// What is wrong with a claim file, at its place.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Problem {
    /// The file is not valid YAML: where the parser stopped.
    Syntax(SyntaxError),
    /// Valid YAML, but not of a claim file's shape.
    Schema(SchemaProblem),
}

/// A node that is not what a claim file holds there.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SchemaProblem {
    pub span: Span,
    /// What is wrong, and the label under the node.
    pub message: String,
    pub label: String,
    /// What to do.
    pub help: String,
    /// The id of the claim the node belongs to, when it has one.
    pub claim: Option<String>,
}

impl Problem {
    /// The problem's message (the schema's words, or the parser's).
    pub fn message(&self) -> &str {
        match self {
            Problem::Syntax(e) => &e.message,
            Problem::Schema(s) => &s.message,
        }
    }
}

/// Reads the claims of one file; `rules` are the rule names an `allow`
/// list may name.
pub fn load(id: FileId, file: &File, rules: &[&'static str]) -> Loaded {
    let src: &str = &file.text;
    let mut out = Loaded::default();
    let root = match yaml::parse(src) {
        Ok(root) => root,
        Err(e) => {
            out.problems.push(Problem::Syntax(e));
            return out;
        }
    };
    let mut cx = Cx { file: id, src, rules, out: &mut out, claim: None };
    cx.document(&root);
    out
}

struct Cx<'a> {
    file: FileId,
    src: &'a str,
    rules: &'a [&'static str],
    out: &'a mut Loaded,
    /// The id of the claim being read, once known: its problems carry it.
    claim: Option<String>,
}

impl Cx<'_> {
    fn report(&mut self, span: Span, message: impl Into<String>, label: &str, help: impl Into<String>) {
        let problem =
            SchemaProblem { span, message: message.into(), label: label.to_owned(), help: help.into(), claim: self.claim.clone() };
        self.out.problems.push(Problem::Schema(problem));
    }

    fn document(&mut self, root: &Node) {
        // An empty file holds no claims and is not an error.
        if matches!(root.value, Value::Null) {
            return;
        }
        let Value::Map(entries) = &root.value else {
            self.report(
                root.span,
                format!("a claim file is a mapping with a `claims` list, found {}", root.kind()),
                "expected a mapping",
                "start the file with `claims:` followed by a list of claims",
            );
            return;
        };
        let mut found = false;
        for (k, v) in entries {
            let key = self.key(k);
            if key.value == "claims" {
                found = true;
                self.claims(v);
            } else {
                let help = match suggest::closest(&key.value, ["claims"]) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "a claim file has one top-level key, `claims`".to_owned(),
                };
                self.report(key.span(), format!("unknown top-level field `{}`", key.value), "unknown field", help);
            }
        }
        if !found {
            self.report(
                root.span.start_point(),
                "the file has no `claims` list",
                "expected `claims:`",
                "add `claims:` followed by a list of claims",
            );
        }
    }

    fn key(&self, k: &Node) -> Text {
        k.as_text(self.src).unwrap_or_else(|| Text::verbatim("", k.span.start))
    }

    fn claims(&mut self, v: &Node) {
        match &v.value {
            Value::Seq(items) => {
                // Claims are large: growing the list step by step copies them again and again.
                self.out.claims.reserve(items.len());
                for item in items {
                    if let Some(c) = self.claim(item) {
                        self.out.claims.push(c);
                    }
                }
            }
            Value::Null => {}
            _ => self.report(
                v.span,
                format!("`claims` must be a list, found {}", v.kind()),
                "expected a list",
                "write each claim as a list item starting with `- id: ...`",
            ),
        }
    }

    /// A claim, its problems (those found before its id too) carrying its id.
    fn claim(&mut self, item: &Node) -> Option<Claim> {
        let first = self.out.problems.len();
        let claim = self.claim_fields(item, first);
        self.claim = None;
        claim
    }

    fn claim_fields(&mut self, item: &Node, first: usize) -> Option<Claim> {
        let Value::Map(entries) = &item.value else {
            self.report(
                item.span,
                format!("a claim must be a mapping, found {}", item.kind()),
                "expected a mapping",
                "write the claim as `- id: ...` with its fields indented below",
            );
            return None;
        };
        let mut id = None;
        let mut statement = None;
        let mut source = None;
        let mut quote = None;
        let mut citations: Option<(Span, Vec<Citation>)> = None;
        let mut figures = Vec::new();
        let mut allow = Vec::new();
        let mut misspelt: Vec<&'static str> = Vec::new();
        let mut ok = true;
        for (k, v) in entries {
            let key = self.key(k);
            match key.value.as_str() {
                "id" => id = self.string(v, "id").or_else(|| invalid(&mut misspelt, "id")),
                "statement" => statement = self.string(v, "statement"),
                "source" => source = self.string(v, "source").map(|s| (key.span(), s)).or_else(|| invalid(&mut misspelt, "source")),
                "quote" => quote = self.string(v, "quote").map(|s| (key.span(), s)).or_else(|| invalid(&mut misspelt, "quote")),
                "citations" => match self.citations(v) {
                    Some(c) => citations = Some((key.span(), c)),
                    None => ok = false,
                },
                "figures" => figures = self.figures(v),
                "allow" => allow = self.allow(v),
                other => {
                    let suggestion = suggest::closest(other, CLAIM_FIELDS.iter().copied());
                    if let Some(s) = suggestion {
                        misspelt.push(s);
                    }
                    let help = match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("a claim's fields are {}", list(CLAIM_FIELDS)),
                    };
                    self.report(key.span(), format!("unknown field `{other}` in a claim"), "unknown field", help);
                }
            }
        }
        let head = item.span.start_point();
        if let Some(id) = &id {
            self.claim = Some(id.value.clone());
            for p in &mut self.out.problems[first..] {
                if let Problem::Schema(s) = p {
                    s.claim.get_or_insert_with(|| id.value.clone());
                }
            }
        }
        // A misspelt or invalid field was reported already; do not also call it missing.
        let Some(id) = id else {
            if !misspelt.contains(&"id") {
                self.report(head, "this claim has no `id`", "claim without an id", "add `id: some-unique-name` to the claim");
            }
            return None;
        };
        let citations = match (source, quote, citations) {
            (Some((_, s)), Some((_, q)), None) => vec![Citation { source: s, quote: q }],
            (None, None, Some((_, c))) => c,
            (s, q, Some((cspan, _))) if s.is_some() || q.is_some() => {
                let at = s.map(|x| x.0).or(q.map(|x| x.0)).unwrap_or(cspan);
                self.report(
                    at,
                    format!("claim `{}` has both `citations` and `source`/`quote`", id.value),
                    "second form of citation",
                    "use either `source` with `quote`, or `citations`, not both",
                );
                return None;
            }
            (Some((_, _)), None, None) => {
                if !misspelt.contains(&"quote") {
                    self.report(
                        id.span(),
                        format!("claim `{}` has a `source` but no `quote`", id.value),
                        "no quote",
                        "add the `quote` this source supports",
                    );
                }
                return None;
            }
            (None, Some((_, _)), None) => {
                if !misspelt.contains(&"source") {
                    self.report(
                        id.span(),
                        format!("claim `{}` has a `quote` but no `source`", id.value),
                        "no source",
                        "add the `source` file the quote comes from",
                    );
                }
                return None;
            }
            (None, None, None) => {
                if ok && !misspelt.iter().any(|m| ["quote", "source", "citations"].contains(m)) {
                    self.report(
                        id.span(),
                        format!("claim `{}` has neither `quote` nor `citations`", id.value),
                        "nothing to verify",
                        "add `source` and `quote`, or a `citations` list",
                    );
                }
                return None;
            }
            _ => return None,
        };
        Some(Claim { file: self.file, id, statement, citations, figures, allow, span: item.span })
    }

    fn string(&mut self, v: &Node, field: &str) -> Option<Text> {
        match (&v.value, v.as_text(self.src)) {
            (Value::Null, _) => {
                self.report(v.span.start_point(), format!("`{field}` is empty"), "empty value", format!("give `{field}` a value"));
                None
            }
            (_, Some(t)) => Some(t),
            (_, None) => {
                self.report(
                    v.span,
                    format!("`{field}` must be text, found {}", v.kind()),
                    "expected text",
                    format!("write `{field}` as a single line of text or a block scalar (`|`)"),
                );
                None
            }
        }
    }

    fn citations(&mut self, v: &Node) -> Option<Vec<Citation>> {
        let Value::Seq(items) = &v.value else {
            self.report(
                v.span,
                format!("`citations` must be a list, found {}", v.kind()),
                "expected a list",
                "write each citation as `- source: ...` with `quote: ...` below it",
            );
            return None;
        };
        if items.is_empty() {
            self.report(v.span, "`citations` is empty", "no citations", "add at least one citation with `source` and `quote`");
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            match self.citation(item) {
                Some(c) => out.push(c),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn citation(&mut self, item: &Node) -> Option<Citation> {
        let Value::Map(entries) = &item.value else {
            self.report(
                item.span,
                format!("a citation must be a mapping, found {}", item.kind()),
                "expected a mapping",
                "write the citation as `- source: ...` with `quote: ...` below it",
            );
            return None;
        };
        let (mut source, mut quote) = (None, None);
        let mut misspelt: Vec<&'static str> = Vec::new();
        for (k, v) in entries {
            let key = self.key(k);
            match key.value.as_str() {
                "source" => source = self.string(v, "source").or_else(|| invalid(&mut misspelt, "source")),
                "quote" => quote = self.string(v, "quote").or_else(|| invalid(&mut misspelt, "quote")),
                other => {
                    let suggestion = suggest::closest(other, CITATION_FIELDS.iter().copied());
                    misspelt.extend(suggestion);
                    let help = match suggestion {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "a citation has two fields, `source` and `quote`".to_owned(),
                    };
                    self.report(key.span(), format!("unknown field `{other}` in a citation"), "unknown field", help);
                }
            }
        }
        for (field, present) in [("source", source.is_some()), ("quote", quote.is_some())] {
            if !present && !misspelt.contains(&field) {
                self.report(
                    item.span.start_point(),
                    format!("this citation has no `{field}`"),
                    "incomplete citation",
                    format!("add `{field}` to the citation"),
                );
            }
        }
        Some(Citation { source: source?, quote: quote? })
    }

    fn figures(&mut self, v: &Node) -> Vec<FigureEntry> {
        let Value::Map(entries) = &v.value else {
            self.report(
                v.span,
                format!("`figures` must be a mapping of names to values, found {}", v.kind()),
                "expected a mapping",
                "write figures as `name: value`, e.g. `stations_in_italy: 11`",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, val) in entries {
            let key = self.key(k);
            match val.as_text(self.src) {
                Some(value) if !matches!(val.value, Value::Null) => out.push(FigureEntry { key, value }),
                _ => self.report(
                    val.span,
                    format!("the figure `{}` must be a number or text, found {}", key.value, val.kind()),
                    "expected a figure",
                    "write the figure as it is stated, e.g. `11` or `more than 100`",
                ),
            }
        }
        out
    }

    fn allow(&mut self, v: &Node) -> Vec<Text> {
        let items: Vec<&Node> = match &v.value {
            Value::Seq(items) => items.iter().collect(),
            Value::Str(_) => vec![v],
            _ => {
                self.report(
                    v.span,
                    format!("`allow` must be a list of rule names, found {}", v.kind()),
                    "expected a list",
                    "write `allow: [rule-name]`",
                );
                return Vec::new();
            }
        };
        let mut out = Vec::new();
        for item in items {
            let Some(t) = item.as_text(self.src) else {
                self.report(
                    item.span,
                    format!("a rule name must be text, found {}", item.kind()),
                    "expected a rule name",
                    "list rule names, e.g. `allow: [figure-conflict]`",
                );
                continue;
            };
            if !self.rules.contains(&t.value.as_str()) {
                let help = match suggest::closest(&t.value, self.rules.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "run `citelint rules` to list the rule names".to_owned(),
                };
                self.report(t.span(), format!("unknown rule `{}`", t.value), "unknown rule", help);
                continue;
            }
            out.push(t);
        }
        out
    }
}

/// Records that a field was present but invalid (and reported), so that it is not also called missing.
fn invalid<T>(reported: &mut Vec<&'static str>, field: &'static str) -> Option<T> {
    reported.push(field);
    None
}

fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}

impl Span {
    /// An empty span at this span's start, for "something is missing here".
    pub fn start_point(self) -> Span {
        Span::new(self.start, self.start)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn load_str(src: &str) -> Loaded {
        let f = File::new("c.yaml".into(), "c.yaml".into(), Arc::new(src.to_owned()));
        // The rule names an `allow` list may name (the registry's, in a run).
        load(FileId(0), &f, &["quote-mismatch", "quote-not-found", "figure-conflict"])
    }

    fn messages(l: &Loaded) -> Vec<String> {
        l.problems.iter().map(|p| p.message().to_owned()).collect()
    }

    fn help(p: &Problem) -> Option<&str> {
        match p {
            Problem::Schema(s) => Some(&s.help),
            Problem::Syntax(_) => None,
        }
    }

    #[test]
    fn reads_both_citation_forms() {
        let l = load_str(
            "claims:\n  - id: a\n    source: s.txt\n    quote: q\n  - id: b\n    citations:\n      - source: s.txt\n        quote: x\n      - source: t.txt\n        quote: y\n",
        );
        assert!(l.problems.is_empty(), "{:?}", messages(&l));
        assert_eq!(l.claims.len(), 2);
        assert_eq!(l.claims[1].citations.len(), 2);
        assert_eq!(l.claims[1].citations[1].quote.value, "y");
    }

    #[test]
    fn misspelt_field_is_suggested_and_not_also_missing() {
        let l = load_str("claims:\n  - id: a\n    source: s.txt\n    qoute: q\n");
        assert_eq!(messages(&l), ["unknown field `qoute` in a claim"]);
        assert_eq!(help(&l.problems[0]), Some("did you mean `quote`?"));
    }

    #[test]
    fn a_bad_claim_does_not_stop_the_next() {
        let l = load_str("claims:\n  - id: a\n    quote: [1, 2]\n    source: s.txt\n  - id: b\n    source: s.txt\n    quote: fine\n");
        assert_eq!(l.claims.len(), 1);
        assert_eq!(l.claims[0].id.value, "b");
        assert_eq!(messages(&l), ["`quote` must be text, found a list"]);
    }

    /// Regression: `claim-schema` findings carried `"claim": null` even in a
    /// claim with an id, and baselines grouping by claim lost them.
    #[test]
    fn a_claims_problems_carry_its_id_even_those_found_before_it() {
        let l = load_str(
            "claims:\n  - qoute: q\n    id: a\n    source: s.txt\n  - id: b\n    quote: [1]\n    source: s.txt\n  - source: s.txt\n",
        );
        let ids: Vec<Option<&str>> = l
            .problems
            .iter()
            .map(|p| match p {
                Problem::Schema(s) => s.claim.as_deref(),
                Problem::Syntax(_) => None,
            })
            .collect();
        assert_eq!(ids, [Some("a"), Some("b"), None], "{:?}", messages(&l));
    }

    #[test]
    fn both_forms_is_an_error() {
        let l = load_str("claims:\n  - id: a\n    source: s.txt\n    quote: q\n    citations:\n      - source: s.txt\n        quote: q\n");
        assert_eq!(messages(&l), ["claim `a` has both `citations` and `source`/`quote`"]);
    }

    #[test]
    fn unknown_allow_rule_is_reported() {
        let l = load_str("claims:\n  - id: a\n    source: s.txt\n    quote: q\n    allow: [quote-mismatc]\n");
        assert_eq!(messages(&l), ["unknown rule `quote-mismatc`"]);
        assert_eq!(help(&l.problems[0]), Some("did you mean `quote-mismatch`?"));
    }

    #[test]
    fn numeric_scalars_are_text_as_written() {
        let l = load_str("claims:\n  - id: 42\n    source: s.txt\n    quote: 2015\n    figures:\n      n: 1.50\n");
        assert!(l.problems.is_empty());
        assert_eq!(l.claims[0].id.value, "42");
        assert_eq!(l.claims[0].figures[0].value.value, "1.50");
    }
}
