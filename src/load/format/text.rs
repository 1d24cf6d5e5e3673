//! Text in any encoding: the bytes of a `.txt`, `.md` or HTML file decoded
//! to UTF-8, the encoding chosen as browsers choose it.
//!
//! In order: a byte-order mark (UTF-8, UTF-16 LE or BE); then a declared
//! charset (HTML `<meta charset>` or `http-equiv`, an XML declaration),
//! trusted only when the bytes bear it out (a page that says UTF-8 but is
//! not falls through); then valid UTF-8; then detection among the legacy
//! encodings (chardetng, Firefox's detector). The decoding itself is
//! encoding_rs's. A file with a NUL byte that no UTF-16 reading explains is
//! binary, and is refused with where the NUL stands.

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

use super::error::SourceError;

/// Text decoded from a file, and the encoding it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
}

impl Decoded {
    /// The encoding's name where it is not UTF-8 (what the JSON output names).
    pub fn legacy_name(&self) -> Option<&'static str> {
        (self.encoding != UTF_8).then(|| self.encoding.name())
    }
}

/// How far into a file a declared charset is looked for (the HTML
/// standard's prescan reads 1,024 bytes; saved pages often put a long
/// comment first, so a little more).
const PRESCAN: usize = 4096;

/// Decodes a text file's bytes, finding their encoding. `markup` says the
/// file is HTML or XML, whose declarations are read.
pub fn decode(bytes: Vec<u8>, markup: bool) -> Result<Decoded, SourceError> {
    if let Some((enc, bom)) = Encoding::for_bom(&bytes) {
        return Ok(strict(&bytes[bom..], enc).unwrap_or_else(|| lossy(&bytes[bom..], enc)));
    }
    if let Some(nul) = memchr::memchr(0, &bytes) {
        // UTF-16 without a mark: every other byte of ASCII text is NUL.
        return utf16_unmarked(&bytes).ok_or_else(|| binary(&bytes, nul));
    }
    if markup && let Some(enc) = declared(&bytes[..bytes.len().min(PRESCAN)]) {
        // A declaration is trusted only when the bytes bear it out.
        if let Some(d) = strict(&bytes, enc) {
            return Ok(d);
        }
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded { text, encoding: UTF_8 }),
        Err(e) => Ok(detect(&e.into_bytes())),
    }
}

/// Decodes with `enc`, again, as a reading that found it did: the same
/// text a second time (for placing labels after the search).
pub fn decode_as(bytes: &[u8], enc: &'static Encoding) -> Option<String> {
    let bytes = match Encoding::for_bom(bytes) {
        Some((e, bom)) if e == enc => &bytes[bom..],
        _ => bytes,
    };
    Some(strict(bytes, enc).unwrap_or_else(|| lossy(bytes, enc)).text)
}

/// The bytes in `enc`, if they hold no malformed sequence.
fn strict(bytes: &[u8], enc: &'static Encoding) -> Option<Decoded> {
    let text = enc.decode_without_bom_handling_and_without_replacement(bytes)?;
    Some(Decoded { text: text.into_owned(), encoding: enc })
}

/// The bytes in `enc`, a malformed sequence read as U+FFFD (a file that
/// carries a byte-order mark is in that encoding, a bad byte or not).
fn lossy(bytes: &[u8], enc: &'static Encoding) -> Decoded {
    let (text, _) = enc.decode_without_bom_handling(bytes);
    Decoded { text: text.into_owned(), encoding: enc }
}

/// The legacy encoding the bytes are most likely in, by chardetng.
fn detect(bytes: &[u8]) -> Decoded {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    // No top-level domain to go by; UTF-8 is allowed so that a file whose
    // bad bytes are few still reads as the UTF-8 it mostly is.
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    strict(bytes, enc).unwrap_or_else(|| lossy(bytes, enc))
}

/// UTF-16 without a byte-order mark: ASCII-range text has NUL in every
/// other byte, the same half throughout.
fn utf16_unmarked(bytes: &[u8]) -> Option<Decoded> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    let zeros_at = |parity: usize| sample.iter().skip(parity).step_by(2).filter(|&&b| b == 0).count();
    let half = sample.len() / 2;
    let enc = match (zeros_at(0), zeros_at(1)) {
        (_, odd) if odd * 10 >= half * 9 => UTF_16LE,
        (even, _) if even * 10 >= half * 9 => UTF_16BE,
        _ => return None,
    };
    strict(bytes, enc)
}

fn binary(bytes: &[u8], nul: usize) -> SourceError {
    let (line, col) = line_col(bytes, nul);
    SourceError::Unreadable(format!("it is binary (a NUL byte at byte {nul}, line {line}, column {col})"))
}

/// 1-based line and character column of a byte offset in possibly invalid UTF-8.
pub fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at];
    let line = memchr::memchr_iter(b'\n', before).count() + 1;
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, col)
}

/// The charset a document declares in its first bytes: `<meta charset=X>`,
/// `<meta http-equiv=... content="...; charset=X">`, or `<?xml ...
/// encoding="X"?>`. A declared UTF-16 is read as UTF-8 (as the HTML
/// standard says: the bytes at hand are ASCII-compatible, or a mark would
/// have told).
fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let label = xml_encoding(&lower).or_else(|| meta_charset(&lower))?;
    let enc = Encoding::for_label(label)?;
    Some(if enc == UTF_16LE || enc == UTF_16BE { UTF_8 } else { enc })
}

fn xml_encoding(lower: &[u8]) -> Option<&[u8]> {
    let decl = lower.strip_prefix(b"<?xml")?;
    let end = memchr::memmem::find(decl, b"?>")?;
    let at = memchr::memmem::find(&decl[..end], b"encoding")?;
    attribute_value(&decl[at + b"encoding".len()..end])
}

/// The first `charset=` inside a `<meta` tag.
fn meta_charset(lower: &[u8]) -> Option<&[u8]> {
    let mut from = 0;
    while let Some(at) = memchr::memmem::find(&lower[from..], b"<meta") {
        let tag_start = from + at;
        let tag_end = memchr::memchr(b'>', &lower[tag_start..]).map_or(lower.len(), |e| tag_start + e);
        let tag = &lower[tag_start..tag_end];
        if let Some(c) = memchr::memmem::find(tag, b"charset") {
            let rest = &tag[c + b"charset".len()..];
            if let Some(v) = attribute_value(rest) {
                return Some(v);
            }
        }
        from = tag_end;
    }
    None
}

/// The value after `=` (quoted or not), up to its end.
fn attribute_value(rest: &[u8]) -> Option<&[u8]> {
    let rest = trim_start(rest).strip_prefix(b"=")?;
    let rest = trim_start(rest);
    let (rest, ends): (&[u8], &[u8]) = match rest.first() {
        Some(b'"') => (&rest[1..], b"\""),
        Some(b'\'') => (&rest[1..], b"'"),
        _ => (rest, b" \t\r\n;>/\"'"),
    };
    let end = rest.iter().position(|b| ends.contains(b)).unwrap_or(rest.len());
    let value = trim_start(&rest[..end]);
    (!value.is_empty()).then_some(value)
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &b[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str, big: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        if bom {
            out.extend(if big { [0xFE, 0xFF] } else { [0xFF, 0xFE] });
        }
        for u in s.encode_utf16() {
            out.extend(if big { u.to_be_bytes() } else { u.to_le_bytes() });
        }
        out
    }

    #[test]
    fn a_byte_order_mark_decides() {
        for big in [false, true] {
            let d = decode(utf16("Zoë said “yes”", big, true), false).unwrap();
            assert_eq!(d.text, "Zoë said “yes”");
            assert_eq!(d.encoding, if big { UTF_16BE } else { UTF_16LE });
        }
        let d = decode(b"\xEF\xBB\xBFplain".to_vec(), false).unwrap();
        assert_eq!((d.text.as_str(), d.legacy_name()), ("plain", None));
    }

    #[test]
    fn utf16_without_a_mark_is_not_binary() {
        let d = decode(utf16("The minister said: \"We will.\"\n", false, false), false).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("The minister said: \"We will.\"\n", UTF_16LE));
    }

    #[test]
    fn legacy_bytes_are_detected() {
        // "Café – naïve déjà vu" in Windows-1252: é is 0xE9, the en dash 0x96.
        let bytes = b"Le caf\xE9 \x96 na\xEFve d\xE9j\xE0 vu, et la cr\xE8me br\xFBl\xE9e du march\xE9 de No\xEBl.".to_vec();
        let d = decode(bytes, false).unwrap();
        assert_eq!(d.text, "Le café – naïve déjà vu, et la crème brûlée du marché de Noël.");
        assert_eq!(d.legacy_name(), Some("windows-1252"));
    }

    #[test]
    fn a_declared_charset_is_used_when_the_bytes_bear_it_out() {
        let page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"></head><body>Gr\xFC\xDFe</body></html>";
        let d = decode(page.to_vec(), true).unwrap();
        assert!(d.text.contains("Grüße"), "{}", d.text);
        assert_eq!(d.legacy_name(), Some("windows-1252"), "Latin-1 is read as Windows-1252, as browsers do");
        let xml = b"<?xml version='1.0' encoding='koi8-r'?><p>\xF0\xD2\xC9\xD7\xC5\xD4</p>";
        assert!(decode(xml.to_vec(), true).unwrap().text.contains("Привет"));
    }

    #[test]
    fn a_page_that_says_utf8_but_is_not_falls_back_to_detection() {
        let page = b"<meta charset=\"utf-8\"><p>Die Stra\xDFe f\xFChrt \xFCber die Br\xFCcke nach M\xFCnchen, sagte er.</p>";
        let d = decode(page.to_vec(), true).unwrap();
        assert!(d.text.contains("Die Straße führt über die Brücke nach München"), "{}", d.text);
        assert_ne!(d.encoding, UTF_8);
    }

    #[test]
    fn binary_is_refused_with_where() {
        let e = decode(b"ab\ncd\x00\x01\x02\x03\xFF\x00".to_vec(), false).unwrap_err();
        assert_eq!(e.to_string(), "it is binary (a NUL byte at byte 5, line 2, column 3)");
    }

    #[test]
    fn decoding_again_gives_the_same_text() {
        let bytes = utf16("again", true, true);
        let d = decode(bytes.clone(), false).unwrap();
        assert_eq!(decode_as(&bytes, d.encoding).as_deref(), Some("again"));
    }
}
