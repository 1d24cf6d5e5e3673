//! The table `citelint figures` prints: for each key, every value with the
//! sources that give it and the claims that state it.

use crate::check::FigureTable;

pub fn render(table: &FigureTable) -> String {
    let mut out = String::new();
    if table.keys.is_empty() {
        out.push_str("no figure keys: add `figures:` to claims, or `[figures.KEY]` to citelint.toml\n");
        return out;
    }
    for key in &table.keys {
        let what = match &key.counts {
            Some(c) if key.near.is_empty() => format!(" (counts {c})"),
            Some(c) => format!(" (counts {c} near {})", key.near.join(", ")),
            None => String::new(),
        };
        let verdict = if key.conflict { "CONFLICT" } else { "agree" };
        out.push_str(&format!("{}{what}: {verdict}\n", key.key));
        let width = key.values.iter().map(|v| v.value.chars().count()).max().unwrap_or(0).max(5);
        for v in &key.values {
            let claims = if v.claims.is_empty() { String::new() } else { format!("  claims: {}", v.claims.join(", ")) };
            out.push_str(&format!("  {:<width$}  sources: {}{claims}\n", v.value, v.sources.join(", ")));
        }
        out.push('\n');
    }
    out
}
