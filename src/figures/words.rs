//! The figure grammar's word tables: number words, months, scales,
//! qualifiers, currencies, the words that stop a counted noun, and the
//! lemma of a counted noun.

use super::tokens::{Tk, Token};

pub(super) const MONTHS: &[&str] =
    &["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
pub(super) const MONTH_ABBR: &[&str] = &["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"];

pub(super) fn month(t: &Token) -> Option<u32> {
    if t.tk != Tk::Word || !t.text.starts_with(char::is_uppercase) {
        return None;
    }
    let l = t.lower();
    MONTHS
        .iter()
        .position(|m| *m == l)
        .or_else(|| MONTH_ABBR.iter().position(|m| *m == l).map(|k| if k > 8 { k - 1 } else { k }))
        .map(|k| k as u32 + 1)
}

pub(super) const UNITS: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
];
pub(super) const TENS: &[(&str, f64)] = &[
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
];
pub(super) const SCALES: &[(&str, f64)] = &[("hundred", 1e2), ("thousand", 1e3), ("million", 1e6), ("billion", 1e9), ("trillion", 1e12)];
pub(super) const ORDINALS: &[(&str, f64)] = &[
    ("first", 1.0),
    ("second", 2.0),
    ("third", 3.0),
    ("fourth", 4.0),
    ("fifth", 5.0),
    ("sixth", 6.0),
    ("seventh", 7.0),
    ("eighth", 8.0),
    ("ninth", 9.0),
    ("tenth", 10.0),
];

pub(super) fn lookup(table: &[(&str, f64)], w: &str) -> Option<f64> {
    table.iter().find(|(k, _)| *k == w).map(|(_, v)| *v)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Qualifier {
    AtLeast,
    MoreThan,
    FewerThan,
    UpTo,
    Nearly,
    About,
    Between,
    From,
}

pub(super) const QUALIFIERS: &[(&[&str], Qualifier)] = &[
    (&["at", "least"], Qualifier::AtLeast),
    (&["no", "fewer", "than"], Qualifier::AtLeast),
    (&["more", "than"], Qualifier::MoreThan),
    (&["over"], Qualifier::MoreThan),
    (&["above"], Qualifier::MoreThan),
    (&["fewer", "than"], Qualifier::FewerThan),
    (&["less", "than"], Qualifier::FewerThan),
    (&["under"], Qualifier::FewerThan),
    (&["below"], Qualifier::FewerThan),
    (&["up", "to"], Qualifier::UpTo),
    (&["at", "most"], Qualifier::UpTo),
    (&["nearly"], Qualifier::Nearly),
    (&["almost"], Qualifier::Nearly),
    (&["about"], Qualifier::About),
    (&["around"], Qualifier::About),
    (&["roughly"], Qualifier::About),
    (&["some"], Qualifier::About),
    (&["approximately"], Qualifier::About),
    (&["an", "estimated"], Qualifier::About),
    (&["between"], Qualifier::Between),
    (&["from"], Qualifier::From),
];

/// Words that end the noun phrase after a number.
pub(super) const STOP: &[&str] = &[
    "in",
    "of",
    "at",
    "on",
    "for",
    "to",
    "from",
    "by",
    "with",
    "across",
    "around",
    "over",
    "under",
    "since",
    "between",
    "into",
    "per",
    "among",
    "about",
    "after",
    "before",
    "during",
    "than",
    "and",
    "or",
    "but",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "have",
    "has",
    "had",
    "said",
    "says",
    "will",
    "would",
    "can",
    "could",
    "may",
    "might",
    "do",
    "does",
    "did",
    "exist",
    "exists",
    "that",
    "which",
    "who",
    "whom",
    "it",
    "they",
    "them",
    "this",
    "these",
    "those",
    "its",
    "their",
    "were",
    "as",
    "where",
    "when",
    "while",
    "if",
    "then",
    "so",
    "not",
    "all",
    "each",
    "a",
    "an",
    "the",
    "up",
    "out",
    "ago",
    "later",
    "earlier",
    "should",
    "must",
    "shall",
    "need",
    "needs",
    "remain",
    "remained",
    "became",
    "become",
    "include",
    "includes",
    "including",
    "included",
    "like",
];

/// Fraction words (singular, plural) and their denominators. `half` is
/// read only after a qualifier (`nearly half`), `second` never: both are
/// more often something else.
pub(super) const FRACTIONS: &[(&str, &str, f64)] = &[
    ("third", "thirds", 3.0),
    ("quarter", "quarters", 4.0),
    ("fifth", "fifths", 5.0),
    ("sixth", "sixths", 6.0),
    ("seventh", "sevenths", 7.0),
    ("eighth", "eighths", 8.0),
    ("ninth", "ninths", 9.0),
    ("tenth", "tenths", 10.0),
];

/// The words after which `half` is a share (`nearly half`, `more than half`).
pub(super) const BEFORE_HALF: &[&str] =
    &["nearly", "almost", "about", "around", "over", "than", "least", "roughly", "approximately", "some", "just"];

/// Adverbs that end a noun phrase once it has a noun (`stations overseas`),
/// but may open one (`overseas stations`).
pub(super) const TRAILING: &[&str] =
    &["overseas", "abroad", "worldwide", "nationwide", "globally", "here", "there", "now", "today", "alone"];

/// Words that describe a count but are never what it counts.
pub(super) const MODIFIERS: &[&str] = &[
    "more",
    "other",
    "such",
    "different",
    "new",
    "additional",
    "further",
    "fewer",
    "less",
    "most",
    "many",
    "few",
    "extra",
    "separate",
    "so-called",
];

/// Measures counted in the singular before a noun (`a 49 minute speech`,
/// `18 year olds`): the measure is the unit.
pub(super) const MEASURES: &[&str] = &[
    "second",
    "minute",
    "hour",
    "day",
    "week",
    "month",
    "year",
    "decade",
    "mile",
    "metre",
    "meter",
    "kilometre",
    "foot",
    "inch",
    "point",
    "page",
    "storey",
    "seat",
    "acre",
    "hectare",
    "tonne",
    "ton",
    "litre",
    "gallon",
    "degree",
];

/// Nouns that count what follows them (`500 pieces of luggage`).
pub(super) const PARTITIVES: &[&str] = &["piece", "item", "head", "article"];

/// Verbs, conjunctions and pronouns a compound noun never ends in.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "or", "and", "but", "nor", "will", "would", "is", "are", "was", "were", "has", "have", "had", "be", "been", "who", "which", "that",
    "it", "they", "he", "she", "we", "i", "you", "not", "can", "could", "may", "might", "should", "must", "a", "an",
];

/// Periods of time that `over` spans (`over three years`).
pub(super) const DURATIONS: &[&str] = &["year", "month", "week", "day", "decade", "quarter", "season", "hour", "period", "century"];

/// Words before `over` that make it a bound on a period (`for over three years`).
pub(super) const BEFORE_A_BOUND_OF_TIME: &[&str] =
    &["for", "of", "after", "lasted", "lasting", "lasts", "took", "take", "takes", "spent", "spend", "spends", "than", "in"];

/// Verbs whose particle is `up` with an object between (`push their
/// earnings up to`, `brought the total up to`).
pub(super) const PHRASAL_UP: &[&str] = &[
    "push", "pushed", "pushes", "pushing", "bring", "brought", "brings", "bringing", "drive", "drove", "driven", "lift", "lifted", "take",
    "took", "taken", "boost", "boosted", "send", "sent", "ramp", "ramped",
];

/// Verbs of change: `rose $7.2bn to $170.8bn` is a change and its end, not a range.
pub(super) const CHANGE_VERBS: &[&str] = &[
    "rose",
    "rise",
    "rises",
    "risen",
    "rising",
    "fell",
    "fall",
    "falls",
    "fallen",
    "falling",
    "grew",
    "grow",
    "grows",
    "grown",
    "increased",
    "decreased",
    "cut",
    "dropped",
    "jumped",
    "climbed",
    "slumped",
    "surged",
    "gained",
    "lost",
    "added",
    "raised",
    "lifted",
    "up",
    "down",
    "soared",
    "plunged",
    "tumbled",
    "dipped",
    "slipped",
    "edged",
    "shrank",
    "expanded",
    "improved",
];

/// Verbs a rank follows (`came fourth`, `finished second`).
pub(super) const RANK_VERBS: &[&str] =
    &["came", "come", "comes", "finished", "finish", "finishes", "ranked", "ranks", "rank", "placed", "lies", "lay", "sits"];

/// Words before a number that make it a name or a code.
pub(super) const CODE_WORDS: &[&str] =
    &["number", "no", "article", "section", "chapter", "page", "line", "route", "flight", "room", "paragraph", "item", "version"];

/// Currency words after an amount: the word, its currency, and the
/// factor of its unit to the currency's (`28 pence` is £0.28).
pub(super) const CURRENCY_WORDS: &[(&str, &str, f64)] = &[
    ("dollars", "USD", 1.0),
    ("dollar", "USD", 1.0),
    ("euros", "EUR", 1.0),
    ("euro", "EUR", 1.0),
    ("pounds", "GBP", 1.0),
    ("pence", "GBP", 0.01),
    ("yuan", "CNY", 1.0),
    ("renminbi", "CNY", 1.0),
    ("yen", "JPY", 1.0),
];

/// Words around a dashed pair that make it a score (`a 2-0 win`, `beat them 3-4`).
pub(super) const SCORE_WORDS: &[&str] = &[
    "win",
    "won",
    "wins",
    "victory",
    "victories",
    "defeat",
    "defeated",
    "defeats",
    "beat",
    "beating",
    "lost",
    "lose",
    "loss",
    "draw",
    "drew",
    "drawn",
    "lead",
    "led",
    "leading",
    "trail",
    "trailed",
    "trailing",
    "scoreline",
    "score",
    "thrashing",
    "thrashed",
    "triumph",
    "success",
    "aggregate",
    "vote",
    "votes",
];

/// The singular, lower-case form of a counted noun.
pub fn lemma(word: &str) -> String {
    let w = word.to_lowercase();
    let irregular =
        [("people", "person"), ("children", "child"), ("men", "man"), ("women", "woman"), ("police", "police"), ("staff", "staff")];
    if let Some((_, s)) = irregular.iter().find(|(p, _)| *p == w) {
        return (*s).to_owned();
    }
    if let Some(stem) = w.strip_suffix("ies")
        && stem.len() > 1
    {
        return format!("{stem}y");
    }
    for suffix in ["sses", "shes", "ches", "xes"] {
        if w.ends_with(suffix) {
            return w[..w.len() - 2].to_owned();
        }
    }
    if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") && w.len() > 3 {
        return w[..w.len() - 1].to_owned();
    }
    w
}

/// Verbs and nouns after which `over`, `under`, `around` and `about` are
/// their preposition (`scattered over 25 regions`), not a qualifier.
pub(super) const GOVERNS_PREPOSITION: &[&str] = &[
    "spread",
    "spreads",
    "scattered",
    "distributed",
    "divided",
    "split",
    "stretched",
    "stretching",
    "spanning",
    "ranging",
    "talk",
    "talks",
    "talked",
    "talking",
    "spoke",
    "speak",
    "speaks",
    "know",
    "knows",
    "knew",
    "asked",
    "ask",
    "asks",
    "wrote",
    "write",
    "writes",
    "worried",
    "worry",
    "concerned",
    "think",
    "thinks",
    "thought",
    "learned",
    "heard",
    "argued",
    "argue",
    "debate",
    "debated",
    "questions",
    "question",
    "questioned",
    "story",
    "stories",
    "report",
    "reports",
    "fought",
    "clashed",
    "dispute",
    "disputes",
    "travelled",
    "traveled",
    "flew",
    "wandered",
    "moved",
    "roamed",
];
