//! The reader over a text's tokens: what the parts of the grammar share
//! (tokens and sentence starts), and the words around a number that say
//! what it is: a qualifier, a currency sign, a name or a code.

use super::figure::Figure;
use super::tokens::*;
use super::words::*;

/// What the reader found at a token.
pub(super) enum Step {
    /// A figure, whether it takes its sentence's unit, and the next token.
    Figure(Figure, bool, usize),
    /// Not a figure, and neither are the tokens before this index (an undated day).
    Skip(usize),
    Nothing,
}

/// Reads figures off the tokens of a text.
pub(super) struct Reader<'t, 'a> {
    pub(super) toks: &'t [Token<'a>],
    pub(super) text: &'a str,
    pub(super) sentence_start: &'t [usize],
}

impl<'a> Reader<'_, 'a> {
    pub(super) fn tok(&self, i: usize) -> Option<&Token<'a>> {
        self.toks.get(i)
    }

    pub(super) fn word_at(&self, i: usize) -> Option<String> {
        self.tok(i).filter(|t| t.tk == Tk::Word).map(Token::lower)
    }

    /// Token `i` opens a sentence (opening marks before it, like `"` or `(`, do not count).
    pub(super) fn at_sentence_start(&self, i: usize) -> bool {
        let mut k = i;
        while k > 0 && self.toks[k - 1].tk == Tk::Punct && !matches!(self.toks[k - 1].text, "." | "!" | "?") {
            k -= 1;
        }
        k == 0 || self.tok(k).is_some_and(|t| self.sentence_start.binary_search(&t.start).is_ok())
    }

    pub(super) fn qualifier(&self, i: usize) -> Option<(Qualifier, usize)> {
        let t = self.tok(i)?;
        // `scattered over 25 regions`, `talks about 12 proposals`: the word
        // is the verb's preposition, not a bound on the number.
        let governed = i > 0 && self.tok(i - 1).is_some_and(|p| GOVERNS_PREPOSITION.iter().any(|v| p.is(v)));
        if governed && ["over", "under", "around", "about"].iter().any(|w| t.is(w)) {
            return None;
        }
        if t.is("over") && self.over_a_period(i) {
            return None;
        }
        if t.is("up") && self.particle_of_verb(i) {
            return None;
        }
        // `the near-400,000 complaints`
        if t.is("near") && self.tok(i + 1).is_some_and(|d| d.punct('-') && !d.space_before) {
            return Some((Qualifier::Nearly, i + 2));
        }
        QUALIFIERS.iter().find_map(|(words, q)| {
            words.iter().enumerate().all(|(k, w)| self.tok(i + k).is_some_and(|t| t.is(w))).then_some((*q, i + words.len()))
        })
    }

    /// `over three years` is a span of time (the years the change took),
    /// not more than three of them; but `for over three years` is.
    fn over_a_period(&self, i: usize) -> bool {
        let Some((_, n)) = self.quantity(i + 1) else { return false };
        let period = self.word_at(n).is_some_and(|w| DURATIONS.contains(&lemma(&w).as_str()));
        let bounded = i > 0 && self.word_at(i - 1).is_some_and(|p| BEFORE_A_BOUND_OF_TIME.contains(&p.as_str()));
        period && !bounded
    }

    /// `push their earnings up to $43.1m`: `up` is the verb's particle,
    /// and the figure is where the verb took its object, not a ceiling.
    fn particle_of_verb(&self, i: usize) -> bool {
        let from = i.saturating_sub(5);
        (from..i.saturating_sub(1)).any(|k| self.word_at(k).is_some_and(|w| PHRASAL_UP.contains(&w.as_str())))
    }

    /// Is the token at `i` a number inside a name or a code?
    pub(super) fn is_code(&self, i: usize) -> bool {
        let Some(t) = self.tok(i) else { return false };
        let Some(prev) = i.checked_sub(1).and_then(|k| self.tok(k)) else {
            return false;
        };
        // `44%`, `44 per cent`: a share is never a name.
        let percent_after = self.tok(i + 1).is_some_and(|n| n.punct('%') || n.is("percent") || n.is("per"));
        if percent_after {
            return false;
        }
        // `COVID-19`, but not `near-400,000`
        let word_before_dash = i >= 2 && self.toks[i - 2].tk == Tk::Word && self.qualifier(i - 2).is_none();
        if prev.punct('-') && !t.space_before && !prev.space_before && word_before_dash {
            return true;
        }
        // `#5`, `No. 5`
        if prev.punct('#') {
            return true;
        }
        if prev.tk == Tk::Word && CODE_WORDS.contains(&prev.lower().as_str()) {
            return true;
        }
        if prev.punct('.') && i >= 2 && self.toks[i - 2].is("no") {
            return true;
        }
        // `one 110 police station`: a number right after a number names something.
        if prev.tk == Tk::Num || (prev.tk == Tk::Word && (lookup(UNITS, &prev.lower()).is_some() || prev.is("one"))) {
            return t.tk == Tk::Num;
        }
        // `"Overseas 110"`: a number after a capitalised word inside a sentence.
        // (`India's 35 states`: a possessive is not part of a name.)
        prev.tk == Tk::Word
            && prev.text.starts_with(char::is_uppercase)
            && !prev.text.ends_with("'s")
            && !STOP.contains(&prev.lower().as_str())
            && !self.at_sentence_start(i - 1)
            && month(prev).is_none()
            && self.qualifier(i - 1).is_none()
            && t.tk == Tk::Num
    }

    /// A list marker: a number opening a sentence and followed by `.` or `)`.
    pub(super) fn is_list_marker(&self, i: usize) -> bool {
        self.at_sentence_start(i) && self.tok(i + 1).is_some_and(|n| (n.punct('.') || n.punct(')')) && !n.space_before)
    }

    pub(super) fn currency_prefix(&self, j: usize) -> (Option<&'static str>, usize) {
        let Some(t) = self.tok(j) else { return (None, j) };
        let sign = |t: &Token| match t.text {
            "$" => Some("USD"),
            "€" => Some("EUR"),
            "£" => Some("GBP"),
            "¥" => Some("CNY"),
            _ => None,
        };
        if t.is("US") && self.tok(j + 1).is_some_and(|n| n.text == "$") {
            return (Some("USD"), j + 2);
        }
        match sign(t) {
            Some(c) => (Some(c), j + 1),
            None => (None, j),
        }
    }
}
