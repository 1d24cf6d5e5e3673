//! The figure table of `citelint figures`: for each key, every value with
//! the sources and claims that give it, and whether they conflict. Built
//! from the claims stage and the figure stage's scan of every source.

use std::collections::BTreeMap;

use super::claims::load_claims;
use super::figures::keyed_values;
use super::options::{CheckOptions, RunError};
use super::search::Quotes;
use crate::config::Config;
use crate::figures::Figure;
use crate::load::sources::Corpus;

/// The figure table of `citelint figures`: for each key, every value with the
/// sources and claims that give it.
#[derive(Debug, serde::Serialize)]
pub struct FigureTable {
    pub keys: Vec<KeyTable>,
}

#[derive(Debug, serde::Serialize)]
pub struct KeyTable {
    pub key: String,
    pub counts: Option<String>,
    pub near: Vec<String>,
    pub values: Vec<ValueRow>,
    pub conflict: bool,
}

#[derive(Debug, serde::Serialize)]
pub struct ValueRow {
    pub value: String,
    pub sources: Vec<String>,
    pub claims: Vec<String>,
    #[serde(skip)]
    figure: Figure,
}

/// Builds the figure table: claims' keyed values and every source's values
/// for the keys described in the config.
pub fn figure_table(config: &Config, opts: &CheckOptions) -> Result<FigureTable, RunError> {
    let set = load_claims(config, &CheckOptions { paths: Vec::new(), ..opts.clone() }, None, None)?;
    let root = opts.sources.clone().unwrap_or_else(|| config.sources());
    if !root.is_dir() {
        return Err(RunError::NoSourcesRoot(root));
    }
    let mut q = Quotes {
        corpus: std::sync::Arc::new(Corpus::open(&root).limited(config.source_limits()).caching_text_in(opts.text_cache.clone())),
        urls: Default::default(),
        docs: BTreeMap::new(),
        similarity: config.similarity(),
        memo: None,
    };
    let corpus = q.corpus_values(config, &opts.progress);
    let values = keyed_values(&super::claims::all(&set.parsed));
    let mut keys: BTreeMap<String, Vec<ValueRow>> = BTreeMap::new();
    let mut add = |key: &str, figure: &Figure, source: Option<&str>, claim: Option<&str>| {
        let rows = keys.entry(key.to_owned()).or_default();
        let row = match rows.iter_mut().position(|r| r.figure.value == figure.value && r.figure.kind == figure.kind) {
            Some(i) => &mut rows[i],
            None => {
                rows.push(ValueRow { value: figure.text.clone(), sources: Vec::new(), claims: Vec::new(), figure: figure.clone() });
                rows.last_mut().expect("just pushed")
            }
        };
        if let Some(s) = source
            && !row.sources.iter().any(|x| x == s)
        {
            row.sources.push(s.to_owned());
        }
        if let Some(c) = claim
            && !row.claims.iter().any(|x| x == c)
        {
            row.claims.push(c.to_owned());
        }
    };
    for v in &values {
        for s in &v.sources {
            add(&v.entry.key.value, &v.figure, Some(s), Some(&v.claim.id.value));
        }
    }
    for (rel, v) in &corpus {
        add(&v.key, &v.figure, Some(rel), None);
    }
    for key in config.figures().keys() {
        keys.entry(key.clone()).or_default();
    }
    let keys = keys
        .into_iter()
        .map(|(key, mut values)| {
            values.iter_mut().for_each(|r| r.sources.sort());
            let conflict = values.iter().enumerate().any(|(i, a)| values[i + 1..].iter().any(|b| a.figure.conflicts(&b.figure)));
            let spec = config.figures().get(&key);
            KeyTable {
                counts: spec.map(|s| s.counts.clone()),
                near: spec.map(|s| s.near.clone()).unwrap_or_default(),
                key,
                values,
                conflict,
            }
        })
        .collect();
    Ok(FigureTable { keys })
}
