//! Whether two counted nouns name the same thing. A unit is the singular
//! lemma of the noun a count counts; two units match when they are the
//! same word, when one is a compound of the other (`Mini-workers` are
//! `workers`), when both name groups of persons (`12 million Britons` are
//! `12 million people`; `22 million owners` may be the `22 million
//! Americans` who own something: a writer names a group of persons many
//! ways, and the number, not the noun, is what a misquote changes), or
//! when a small table says they are synonyms (`Oscars` are `Academy
//! Awards`). Any other pair differs: `43 hours` is not `43 minutes`.

/// Units are compatible when either is unknown or both name the same thing.
pub fn units_compatible(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => same_thing(x, y),
        _ => true,
    }
}

fn same_thing(a: &str, b: &str) -> bool {
    let (a, b) = (head(a), head(b));
    if a == b {
        return true;
    }
    (is_person(a) && is_person(b)) || SYNONYMS.iter().any(|group| group.contains(&a) && group.contains(&b))
}

/// The last part of a compound: `mini-worker` counts workers.
fn head(unit: &str) -> &str {
    unit.rsplit('-').next().unwrap_or(unit)
}

fn is_person(unit: &str) -> bool {
    unit == "person" || PERSONS.contains(&unit) || DEMONYMS.contains(&unit)
}

/// Nouns for one kind of thing, counted alike.
const SYNONYMS: &[&[&str]] = &[
    &["oscar", "award"],
    &["bag", "luggage", "suitcase"],
    &["car", "vehicle", "automobile"],
    &["company", "firm", "business"],
    &["job", "post", "position", "role"],
    &["film", "movie"],
    &["game", "match", "fixture"],
    &["share", "stock"],
    &["programme", "program", "scheme"],
];

/// Groups of persons that `people` may count.
const PERSONS: &[&str] = &[
    "adult",
    "applicant",
    "boy",
    "child",
    "citizen",
    "civilian",
    "consumer",
    "creditor",
    "customer",
    "delegate",
    "doctor",
    "driver",
    "employee",
    "fan",
    "farmer",
    "girl",
    "household",
    "immigrant",
    "individual",
    "inhabitant",
    "investor",
    "kid",
    "listener",
    "man",
    "member",
    "migrant",
    "national",
    "nurse",
    "officer",
    "owner",
    "passenger",
    "patient",
    "pensioner",
    "player",
    "prisoner",
    "pupil",
    "reader",
    "refugee",
    "resident",
    "respondent",
    "searcher",
    "shareholder",
    "bondholder",
    "soldier",
    "spectator",
    "staff",
    "student",
    "subscriber",
    "supporter",
    "survivor",
    "teacher",
    "teenager",
    "tourist",
    "troop",
    "user",
    "viewer",
    "victim",
    "visitor",
    "voter",
    "woman",
    "worker",
    "youngster",
];

/// Nationals, as their singular lemmas.
const DEMONYMS: &[&str] = &[
    "afghan",
    "african",
    "american",
    "asian",
    "australian",
    "bangladeshi",
    "brazilian",
    "brit",
    "briton",
    "canadian",
    "chinese",
    "dane",
    "dutch",
    "egyptian",
    "english",
    "european",
    "filipino",
    "finn",
    "french",
    "german",
    "greek",
    "indian",
    "indonesian",
    "iranian",
    "iraqi",
    "irish",
    "israeli",
    "italian",
    "japanese",
    "kenyan",
    "korean",
    "londoner",
    "mexican",
    "nigerian",
    "norwegian",
    "pakistani",
    "palestinian",
    "pole",
    "russian",
    "scot",
    "somali",
    "spaniard",
    "swede",
    "syrian",
    "thai",
    "turk",
    "ukrainian",
    "vietnamese",
    "welsh",
];

#[cfg(test)]
mod tests {
    use super::units_compatible;

    fn same(a: &str, b: &str) -> bool {
        units_compatible(&Some(a.into()), &Some(b.into()))
    }

    /// Issue 15: two names for one thing are one unit.
    #[test]
    fn units_compare_by_meaning() {
        assert!(same("mini-worker", "worker"));
        assert!(same("turk", "person") && same("person", "briton"));
        assert!(same("oscar", "award") && same("bag", "luggage"));
        assert!(!same("hour", "minute"));
        assert!(same("owner", "american"), "two names of one group of persons");
        assert!(!same("person", "station"));
        assert!(!same("search", "minute"));
        assert!(units_compatible(&None, &Some("station".into())));
    }
}
