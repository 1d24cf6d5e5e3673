//! A spanned YAML tree read with serde-saphyr, and the alignment of each
//! scalar's decoded value with its raw bytes in the file.
//!
//! serde-saphyr reports where a node starts and ends; it does not say which
//! raw bytes produced which decoded character (escapes in double-quoted
//! scalars, doubled quotes in single-quoted ones, folded lines in plain and
//! block scalars). [`align_scalar`] recovers that map, so that a label on a
//! word of a quote lands on that word in the file.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::model::{Edit, Span, Text};

/// A YAML node as read, before any schema is applied.
#[derive(Debug)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

/// A node and the bytes it occupies in the file.
#[derive(Debug)]
pub struct Node {
    pub value: Value,
    pub span: Span,
    /// 1-based line and column of the node's start, as serde-saphyr reports them.
    pub line: usize,
    pub column: usize,
}

impl Node {
    /// The YAML type, as a user would name it in a message.
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "a number",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// A scalar as text: strings as decoded, and plain numbers or booleans as
    /// written (a quote `2015` or an id `42` is text to a writer).
    pub fn as_text(&self, src: &str) -> Option<Text> {
        match &self.value {
            Value::Str(s) => Some(align_scalar(src, self.span, s)),
            Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                let raw = src.get(self.span.range())?;
                Some(Text::verbatim(raw, self.span.start))
            }
            _ => None,
        }
    }
}

struct RawValue(Value);

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor).map(RawValue)
    }
}

struct SpannedNode(Node);

impl<'de> Deserialize<'de> for SpannedNode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s: Spanned<RawValue> = Spanned::deserialize(d)?;
        let span = s.referenced.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        Ok(SpannedNode(Node {
            value: s.value.0,
            span: Span::new(start, start + len),
            line: s.referenced.line() as usize,
            column: s.referenced.column() as usize,
        }))
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Int(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Int(n.into()))
    }
    fn visit_i128<E>(self, n: i128) -> Result<Value, E> {
        Ok(Value::Int(n))
    }
    fn visit_u128<E>(self, n: u128) -> Result<Value, E> {
        Ok(Value::Int(n as i128))
    }
    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Float(n))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::Str(s))
    }
    fn visit_bytes<E: serde::de::Error>(self, b: &[u8]) -> Result<Value, E> {
        Ok(Value::Str(String::from_utf8_lossy(b).into_owned()))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(SpannedNode(n)) = a.next_element()? {
            items.push(n);
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(SpannedNode(k)) = a.next_key()? {
            let SpannedNode(v) = a.next_value()?;
            entries.push((k, v));
        }
        Ok(Value::Map(entries))
    }
}

/// A YAML syntax error with its location.
#[derive(Debug, Clone, thiserror::Error, serde::Serialize, serde::Deserialize)]
#[error("{message}")]
pub struct SyntaxError {
    pub message: String,
    /// 1-based line and column, when the parser knows them.
    pub line: usize,
    pub column: usize,
    /// What to do, where the error is one a generic help would not fit (a
    /// safety limit of the reader).
    pub help: Option<String>,
}

/// Parses a YAML document into a spanned tree.
pub fn parse(src: &str) -> Result<Node, SyntaxError> {
    let options = serde_saphyr::options! {
        // `yes`, `no`, `on`, `n` are text to a writer, not booleans.
        strict_booleans: true,
        // Claim files have no use for aliases; keep a hostile file cheap.
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<SpannedNode>(src, options) {
        Ok(SpannedNode(n)) => Ok(n),
        Err(e) => {
            let (line, column) = e.location().map_or((1, 1), |l| (l.line().max(1) as usize, l.column().max(1) as usize));
            let message = syntax_message(&e.to_string());
            match budget_words(&message) {
                Some(words) => Err(SyntaxError { message: words, line, column, help: Some(BUDGET_HELP.into()) }),
                None => Err(SyntaxError { message, line, column, help: None }),
            }
        }
    }
}

const BUDGET_HELP: &str =
    "claim files need no anchors or aliases (`&name`, `*name`): write each claim out in full, or split a very large file";

/// A safety limit of the YAML reader, in words: serde-saphyr reports one as
/// `budget breached: Nodes { nodes: 250001 }`.
fn budget_words(message: &str) -> Option<String> {
    let breach = message.strip_prefix("budget breached: ")?;
    let kind = breach.split([' ', '{']).next().unwrap_or("");
    let numbers: Vec<&str> = breach.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).collect();
    let n = numbers.first().copied().unwrap_or("?");
    let what = match kind {
        "Events" => format!("more parser events than a claim file may take ({n})"),
        "Aliases" => format!("more aliases (`*name`) than a claim file may use ({n})"),
        "Anchors" => format!("more anchors (`&name`) than a claim file may define ({n})"),
        "Depth" => format!("lists and mappings nested {n} levels deep"),
        "Documents" => format!("more YAML documents than a claim file may hold ({n})"),
        "Nodes" => {
            format!("more values than a claim file may hold once its aliases are expanded ({n}): an alias bomb, or a file far too large")
        }
        "ScalarBytes" => format!("more text in its values than a claim file may hold ({n} bytes)"),
        "MergeKeys" => format!("more merge keys (`<<`) than a claim file may use ({n})"),
        "AliasAnchorRatio" => {
            format!("far more aliases than anchors ({n} aliases for {} anchors): an alias bomb", numbers.get(1).unwrap_or(&"?"))
        }
        "InputBytes" => "more bytes than a claim file may hold".to_owned(),
        _ => format!("a safety limit of the YAML reader ({kind})"),
    };
    Some(format!("the file goes past a safety limit: {what}"))
}

/// serde-saphyr's message starts with its own location and may append a
/// snippet; keep only the sentence, since citelint draws its own snippet.
fn syntax_message(full: &str) -> String {
    let first = full.lines().next().unwrap_or(full).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let msg = match first.find(": ") {
        Some(i) if first[..i].starts_with("line ") => &first[i + 2..],
        _ => first,
    };
    // Some messages end with their own location instead.
    let msg = match msg.rfind(" at line ") {
        Some(i) => &msg[..i],
        None => msg,
    };
    msg.trim().to_owned()
}

/// Maps each byte of a scalar's decoded `value` to the raw bytes in `src`
/// (within `span`) that produced it.
pub fn align_scalar(src: &str, span: Span, value: &str) -> Text {
    let raw = src.get(span.range()).unwrap_or("");
    // Most scalars decode to their own bytes: one run, not a walk character
    // by character (a fifth of the time of loading 100,000 claims).
    if let Some(start) = verbatim_body(raw, value) {
        let mut text = Text::verbatim(value, span.start + start);
        text.raw = span;
        return text;
    }
    align_chars(raw, span, value)
}

/// Where `value` starts in `raw`, when the scalar is the value itself,
/// plain or between a pair of quotes: nothing was decoded (an escape, a
/// folded line or a doubled quote always makes the value shorter).
fn verbatim_body(raw: &str, value: &str) -> Option<usize> {
    if value.is_empty() {
        return None;
    }
    if raw == value {
        return Some(0);
    }
    let quote = *raw.as_bytes().first().filter(|q| matches!(q, b'"' | b'\''))?;
    let inner = raw.strip_prefix(quote as char)?.strip_suffix(quote as char)?;
    (inner == value).then_some(1)
}

/// [`align_scalar`] character by character.
fn align_chars(raw: &str, span: Span, value: &str) -> Text {
    let style = match raw.as_bytes().first() {
        Some(b'"') => Style::Double,
        Some(b'\'') => Style::Single,
        _ => Style::Plain,
    };
    let body_start = if style == Style::Plain { 0 } else { 1 };
    let rb = raw.as_bytes();
    let mut text = Text::builder(span);
    let mut i = body_start;
    for c in value.chars() {
        let (s, e) = next_source_of(raw, rb, &mut i, c, style);
        text.push(c, span.start + s..span.start + e);
    }
    text
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
}

/// Finds the raw bytes of decoded char `c` at or after `*i`, advancing `*i`
/// past them. Raw bytes that decode to nothing (indentation, line
/// continuations, the closing quote) are skipped.
fn next_source_of(raw: &str, rb: &[u8], i: &mut usize, c: char, style: Style) -> (usize, usize) {
    let fallback = (*i).min(raw.len());
    while *i < raw.len() {
        let here = *i;
        if style == Style::Double && rb[here] == b'\\' {
            let len = escape_len(&raw[here..]);
            if len == 0 {
                // An escaped line break decodes to nothing.
                *i += 2;
                skip_blank_prefix(rb, i);
                continue;
            }
            *i += len;
            return (here, here + len);
        }
        if style == Style::Single && c == '\'' && raw[here..].starts_with("''") {
            *i += 2;
            return (here, here + 2);
        }
        if raw[here..].starts_with(c) {
            *i += c.len_utf8();
            return (here, here + c.len_utf8());
        }
        // A folded line break becomes a space (or a newline in a run of
        // blank lines): it stands for the whole white-space run.
        if (c == ' ' || c == '\n') && (rb[here] == b'\n' || rb[here] == b'\r') {
            let start = here;
            *i += 1;
            skip_blank_prefix(rb, i);
            return (start, *i);
        }
        *i += raw[here..].chars().next().map_or(1, char::len_utf8);
    }
    (fallback, fallback)
}

fn skip_blank_prefix(rb: &[u8], i: &mut usize) {
    while *i < rb.len() && (rb[*i] == b' ' || rb[*i] == b'\t') {
        *i += 1;
    }
}

/// Length of a double-quoted escape at the start of `s`; 0 for an escaped
/// line break. Never past the end, never inside a character.
fn escape_len(s: &str) -> usize {
    let mut chars = s.chars();
    chars.next();
    let len = match chars.next() {
        Some('x') => 4,
        Some('u') => 6,
        Some('U') => 10,
        Some('\n') | Some('\r') => 0,
        // `\` and one character, whatever its width.
        Some(c) => 1 + c.len_utf8(),
        None => 1,
    };
    let mut len = len.min(s.len());
    while !s.is_char_boundary(len) {
        len -= 1;
    }
    len
}

// Writing a value back: the edit that makes a scalar say a new text.

/// The edit that makes `value`'s scalar say `new`.
pub fn scalar_edit(file: &str, value: &Text, new: &str) -> Edit {
    let raw = value.raw;
    let raw_text = &file[raw.range()];
    match raw_text.as_bytes().first() {
        Some(b'\'') if !new.contains('\n') => Edit { span: raw, text: format!("'{}'", new.replace('\'', "''")) },
        Some(b'"') | Some(b'\'') => Edit { span: raw, text: double_quoted(new) },
        _ if is_block(file, raw.start) => {
            // Keep the block; replace its content, up to its last character.
            let content_end = raw.start + raw_text.trim_end().len();
            Edit { span: Span::new(raw.start, content_end), text: new.to_owned() }
        }
        _ if plain_safe(new) => Edit { span: raw, text: new.to_owned() },
        _ => Edit { span: raw, text: double_quoted(new) },
    }
}

/// A block scalar's content starts on the line after its `|` or `>` indicator.
fn is_block(file: &str, start: usize) -> bool {
    let before = file[..start].trim_end();
    let line = before.rsplit('\n').next().unwrap_or(before);
    let indicator = line.trim_end().trim_end_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '+');
    indicator.ends_with('|') || indicator.ends_with('>')
}

/// A string YAML reads back unchanged as a plain scalar.
pub fn plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) || s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains('\n') || s.contains('\t') {
        return false;
    }
    // Values YAML would read as another type.
    let lower = s.to_ascii_lowercase();
    let typed = ["true", "false", "null", "~", "yes", "no", "on", "off"].contains(&lower.as_str()) || s.parse::<f64>().is_ok();
    !typed
}

pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alias_bomb_is_refused_in_words() {
        // Each level refers to the one before ten times: 10^8 nodes expanded.
        let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for k in 1..9 {
            let refs = vec![format!("*a{}", k - 1); 10].join(", ");
            src.push_str(&format!("a{k}: &a{k} [{refs}]\n"));
        }
        let e = parse(&src).unwrap_err();
        assert!(e.message.starts_with("the file goes past a safety limit: "), "{}", e.message);
        assert!(!e.message.contains('{') && !e.message.contains("budget"), "{}", e.message);
        assert!(e.help.as_deref().is_some_and(|h| h.contains("aliases")));
    }

    fn node<'a>(n: &'a Node, key: &str, src: &str) -> &'a Node {
        let Value::Map(m) = &n.value else { panic!("not a map") };
        &m.iter().find(|(k, _)| k.as_text(src).unwrap().value == key).unwrap().1
    }

    fn check(src: &str, key: &str, word: &str, expect_raw: &str) {
        let root = parse(src).unwrap();
        let t = node(&root, key, src).as_text(src).unwrap();
        let at = t.value.find(word).unwrap();
        let sp = t.span_of(at..at + word.len());
        assert_eq!(&src[sp.range()], expect_raw, "in {src:?}");
    }

    #[test]
    fn plain_scalar_words_land_on_themselves() {
        check("q: plain text here\n", "q", "text", "text");
    }

    #[test]
    fn single_quoted_doubled_quote_maps_to_both_marks() {
        check("q: 'it''s here'\n", "q", "it's", "it''s");
        check("q: 'it''s here'\n", "q", "here", "here");
    }

    #[test]
    fn double_quoted_escapes_map_to_the_escape() {
        check("q: \"caf\\u00e9 \\\"x\\\" end\"\n", "q", "café", "caf\\u00e9");
        check("q: \"caf\\u00e9 \\\"x\\\" end\"\n", "q", "end", "end");
        check("q: \"a \\\"b\\\"\"\n", "q", "\"b\"", "\\\"b\\\"");
    }

    #[test]
    fn an_escaped_multibyte_character_is_one_escape() {
        // Regression (found by the robustness test): `\` before a soft hyphen
        // was taken as a two-byte escape, which ends inside the character.
        let src = "q: \"a\\\u{AD}b c\"\n";
        let raw = Span::new(3, src.len() - 1);
        let t = align_scalar(src, raw, "a\u{AD}b c");
        let at = t.value.find('c').unwrap();
        assert_eq!(&src[t.span_of(at..at + 1).range()], "c");
    }

    #[test]
    fn a_scalar_that_is_its_value_maps_as_character_by_character() {
        // (the scalar in the file, its value, whether it is the value itself)
        let cases = [
            ("plain text here", "plain text here", true),
            ("\"quoted, with: colons\"", "quoted, with: colons", true),
            ("'single quoted'", "single quoted", true),
            ("\"caf\u{e9} \u{201C}x\u{201D}\"", "caf\u{e9} \u{201C}x\u{201D}", true),
            ("\"a\\\\\"", "a\\", false),
            ("'it''s'", "it's", false),
            ("\"a\\\"b\"", "a\"b", false),
            ("plain\n  folded", "plain folded", false),
            ("\"\"", "", false),
        ];
        for (raw, value, verbatim) in cases {
            let src = format!("q: {raw}\n");
            let span = Span::new(3, 3 + raw.len());
            assert_eq!(verbatim_body(raw, value).is_some(), verbatim, "{raw:?}");
            assert_eq!(align_scalar(&src, span, value), align_chars(raw, span, value), "{raw:?}");
        }
    }

    #[test]
    fn block_scalars_map_across_lines() {
        check("q: |\n  first line\n  second line\n", "q", "second", "second");
        check("q: >\n  folded one\n  two\n", "q", "one two", "one\n  two");
    }

    #[test]
    fn multi_line_plain_scalar() {
        check("q: plain\n  continued line\n", "q", "continued", "continued");
    }

    #[test]
    fn syntax_error_has_location() {
        let e = parse("claims:\n  - id: [a\n  - b: c\n").unwrap_err();
        assert_eq!((e.line, e.column), (3, 6));
        assert!(!e.message.contains("line 3"), "{}", e.message);
    }

    #[test]
    fn strict_booleans_keep_yes_as_text() {
        let root = parse("q: yes\nn: 1\n").unwrap();
        assert!(matches!(node(&root, "q", "q: yes\nn: 1\n").value, Value::Str(_)));
    }
}
