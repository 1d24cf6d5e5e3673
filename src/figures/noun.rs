//! The noun a count counts: the head of the noun phrase after it.

use super::reader::Reader;
use super::tokens::*;
use super::words::*;

impl Reader<'_, '_> {
    /// The noun a count counts, from token `k` on; `(None, true)` when the
    /// count has no noun of its own and should take its sentence's.
    pub(super) fn unit(&self, k: usize) -> (Option<String>, bool) {
        let Some(t) = self.tok(k) else { return (None, true) };
        if t.is("of") {
            let Some(n) = self.word_at(k + 1) else { return (None, true) };
            if ["which", "whom", "them", "these", "those", "us", "it", "the", "its", "their"].contains(&n.as_str()) {
                return (None, true);
            }
            return self.noun_phrase(k + 1);
        }
        self.noun_phrase(k)
    }

    fn noun_phrase(&self, k: usize) -> (Option<String>, bool) {
        // `three-year contract`, `1-month long`: the hyphenated word is the unit.
        if let (Some(d), Some(w)) = (self.tok(k), self.tok(k + 1))
            && d.punct('-')
            && !d.space_before
            && !w.space_before
            && w.tk == Tk::Word
            && !is_function_word(&w.lower())
        {
            return (Some(lemma(w.text)), false);
        }
        // `a 49 minute speech`, `18 year olds`: a measure in the singular is the unit.
        if let Some(w) = self.word_at(k)
            && MEASURES.contains(&w.as_str())
        {
            return (Some(w), false);
        }
        let mut head: Option<String> = None;
        let mut i = k;
        let mut taken = 0;
        while let Some(t) = self.tok(i) {
            // Quotation marks inside a noun phrase (`"police stations"`) are typography.
            if t.tk == Tk::Punct && (t.text == "\"" || t.text == "'") {
                i += 1;
                continue;
            }
            if t.tk == Tk::Num && head.is_some() {
                // `"Overseas 110"`: a word before a number is a name, not a noun.
                return (None, true);
            }
            let word = self.compound_word(i);
            let Some((text, next)) = word else { break };
            let lower = text.to_lowercase();
            let adverb =
                TRAILING.contains(&lower.as_str()) || (lower.ends_with("ly") && lower.len() > 4 && !text.starts_with(char::is_uppercase));
            if STOP.contains(&lower.as_str()) || month(t).is_some() || taken == 4 || (adverb && head.is_some()) {
                break;
            }
            if MODIFIERS.contains(&lower.as_str()) || TRAILING.contains(&lower.as_str()) || is_participle(&lower) {
                taken += 1;
                i = next;
                continue;
            }
            // A count's noun is plural: once one is read, the phrase is over
            // (`330,000 Chinese citizens live in Italy`).
            let plural = lemma(&text) != lower;
            head = Some(text);
            taken += 1;
            i = next;
            if plural {
                break;
            }
        }
        match head {
            // `500 pieces of luggage` counts luggage.
            Some(h) if PARTITIVES.contains(&lemma(&h).as_str()) && self.tok(i).is_some_and(|t| t.is("of")) => self.noun_phrase(i + 1),
            Some(h) => (Some(lemma(&h)), false),
            None => (None, true),
        }
    }

    /// A word at `i`, with hyphenated parts joined (`so-called`); its text and the next token.
    fn compound_word(&self, i: usize) -> Option<(String, usize)> {
        let t = self.tok(i).filter(|t| t.tk == Tk::Word)?;
        let mut text = t.text.to_owned();
        let mut k = i + 1;
        while let (Some(d), Some(w)) = (self.tok(k), self.tok(k + 1)) {
            // `Turks - or about`: the dash (its spaces gone in the normalised
            // text) is punctuation before a function word, not a compound.
            // A compound's first part is singular (`Mini-workers`, `so-called`);
            // `people-owns` is a plural and a verb across a dash.
            let plural_before = lemma(&text) != text.to_lowercase();
            if !d.punct('-') || d.space_before || w.space_before || w.tk != Tk::Word || is_function_word(&w.lower()) || plural_before {
                break;
            }
            text.push('-');
            text.push_str(w.text);
            k += 2;
        }
        Some((text, k))
    }
}

/// Past participles describe a count (`the 54 found in September`) but are never what it counts.
fn is_participle(word: &str) -> bool {
    const IRREGULAR: &[&str] =
        &["found", "seen", "known", "made", "given", "taken", "held", "sent", "built", "run", "set", "put", "left", "kept"];
    (word.ends_with("ed") && word.len() > 4) || IRREGULAR.contains(&word)
}

/// Words that never end a compound noun: a dash before them is punctuation.
fn is_function_word(w: &str) -> bool {
    STOP.contains(&w) || FUNCTION_WORDS.contains(&w)
}
