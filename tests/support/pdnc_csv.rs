//! Reading PDNC's `quotation_info.csv` cells: sub-quotations stored as a
//! Python list literal, and their byte spans. Shared by the PDNC test and
//! the peer benchmark.

/// Parses a Python list literal of strings, as PDNC stores sub-quotations.
pub fn python_strings(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\'' && c != '"' {
            continue;
        }
        let mut cur = String::new();
        while let Some(d) = chars.next() {
            match d {
                '\\' => match chars.next() {
                    Some('n') => cur.push('\n'),
                    Some('t') => cur.push('\t'),
                    Some(e) => cur.push(e),
                    None => break,
                },
                d if d == c => break,
                d => cur.push(d),
            }
        }
        out.push(cur);
    }
    out
}

pub fn byte_spans(s: &str) -> Vec<(usize, usize)> {
    let nums: Vec<usize> = s.split(|c: char| !c.is_ascii_digit()).filter(|t| !t.is_empty()).map(|t| t.parse().unwrap()).collect();
    nums.chunks(2).map(|c| (c[0], c[1])).collect()
}
