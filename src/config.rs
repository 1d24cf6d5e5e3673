//! `citelint.toml`: read with serde, unknown keys rejected, defaults supplied
//! by getters. Layering: defaults, then the file, then command-line flags
//! (the flags are applied by the caller, over the getters' answers).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::Severity;
use crate::figures::FigureSpec;
use crate::load::format::Limits;
use crate::rules;

pub const FILE_NAME: &str = "citelint.toml";
const DEFAULT_SIMILARITY: f64 = 0.8;
/// About twice a 1 GB corpus: its normalised text and its original.
const DEFAULT_EDITOR_MEMORY_MB: usize = 3072;
const DEFAULT_CACHE_SIZE_MB: u64 = 1024;
/// Below this a passage is not worth showing as the closest one.
pub const CLOSEST_SIMILARITY: f64 = 0.5;

/// The settings of `citelint.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Folders or files of claims, relative to the config file.
    claims: Option<OneOrMany>,
    /// The sources root, relative to the config file.
    sources: Option<PathBuf>,
    /// The least similarity (0 to 1) for a near match to count as a misquote.
    similarity: Option<f64>,
    /// Megabytes the compressed streams of one PDF may expand to.
    #[serde(rename = "pdf-expanded-mb")]
    pdf_expanded_mb: Option<usize>,
    /// Seconds one PDF may take to read.
    #[serde(rename = "pdf-timeout-s")]
    pdf_timeout_s: Option<u64>,
    /// Megabytes of sources the language server may hold between checks.
    #[serde(rename = "editor-memory-mb")]
    editor_memory_mb: Option<usize>,
    /// Megabytes `.citelint_cache` may take before its oldest entries go.
    #[serde(rename = "cache-size-mb")]
    cache_size_mb: Option<u64>,
    /// A severity per rule name.
    #[serde(default)]
    rules: BTreeMap<String, Severity>,
    /// Figure keys to look for in every source.
    #[serde(default)]
    figures: BTreeMap<String, FigureSpec>,
    /// The folder paths are relative to: the config file's, or the working directory.
    #[serde(skip)]
    dir: PathBuf,
    /// The config file, when one was read.
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(PathBuf),
    Many(Vec<PathBuf>),
}

/// Why the configuration cannot be used (the tool cannot run: exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read `{path}`: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("invalid `{path}`: {message}")]
    Invalid { path: PathBuf, message: String, help: String, span: Option<std::ops::Range<usize>>, text: String },
}

impl Config {
    /// Finds `citelint.toml` by walking up from `start`.
    pub fn discover(start: &Path) -> Result<Config, ConfigError> {
        for dir in start.ancestors() {
            let candidate = dir.join(FILE_NAME);
            if candidate.is_file() {
                return Config::load(&candidate);
            }
        }
        Ok(Config::defaults(start))
    }

    /// Only the defaults, with paths relative to `dir`.
    pub fn defaults(dir: &Path) -> Config {
        Config { dir: dir.to_path_buf(), ..Config::default() }
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        let mut config: Config = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.to_path_buf(),
            message: e.message().trim().to_owned(),
            help: "see the README's configuration section for the keys citelint reads".into(),
            span: e.span(),
            text: text.clone(),
        })?;
        let dir = path.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        config.dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
        config.path = Some(path.to_path_buf());
        config.validate(&text)?;
        Ok(config)
    }

    fn validate(&self, text: &str) -> Result<(), ConfigError> {
        let invalid = |message: String, help: String, needle: &str| ConfigError::Invalid {
            path: self.path.clone().unwrap_or_default(),
            message,
            help,
            span: text.find(needle).map(|i| i..i + needle.len()),
            text: text.to_owned(),
        };
        if let Some(s) = self.similarity
            && !(s > 0.0 && s <= 1.0)
        {
            return Err(invalid(
                format!("`similarity` must be above 0 and at most 1, found {s}"),
                "0.8 is the default: a quote within 20% of the source's words is a misquote".into(),
                "similarity",
            ));
        }
        for name in self.rules.keys() {
            if rules::by_name(name).is_none() {
                let help = match rules::suggest(name) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "run `citelint rules` to list the rule names".into(),
                };
                return Err(invalid(format!("unknown rule `{name}` in [rules]"), help, name));
            }
        }
        Ok(())
    }

    /// The claim folders or files (default: `claims/`).
    pub fn claims(&self) -> Vec<PathBuf> {
        match &self.claims {
            None => vec![self.dir.join("claims")],
            Some(OneOrMany::One(p)) => vec![self.dir.join(p)],
            Some(OneOrMany::Many(ps)) => ps.iter().map(|p| self.dir.join(p)).collect(),
        }
    }

    /// The lock file, `citelint.lock` beside the config file.
    pub fn lock(&self) -> PathBuf {
        self.dir.join(crate::load::lock::FILE_NAME)
    }

    /// The sources root (default: `seeds/` beside the config file).
    pub fn sources(&self) -> PathBuf {
        self.dir.join(self.sources.as_deref().unwrap_or(Path::new("seeds")))
    }

    /// The figure keys to look for in every source.
    pub fn figures(&self) -> &BTreeMap<String, FigureSpec> {
        &self.figures
    }

    pub fn similarity(&self) -> f64 {
        self.similarity.unwrap_or(DEFAULT_SIMILARITY)
    }

    /// Bytes of sources (normalised, with their original texts) the
    /// language server may keep between checks; above, each check is cold.
    pub fn editor_memory(&self) -> usize {
        self.editor_memory_mb.unwrap_or(DEFAULT_EDITOR_MEMORY_MB).saturating_mul(1 << 20)
    }

    /// Bytes the run cache may take; past them its oldest entries go.
    pub fn cache_size(&self) -> u64 {
        self.cache_size_mb.unwrap_or(DEFAULT_CACHE_SIZE_MB).saturating_mul(1 << 20)
    }

    /// What one source may become when read.
    pub fn source_limits(&self) -> Limits {
        let mut limits = Limits::default();
        if let Some(mb) = self.pdf_expanded_mb {
            limits.pdf_expanded = mb.saturating_mul(1 << 20);
        }
        if let Some(s) = self.pdf_timeout_s {
            limits.pdf_seconds = s.max(1);
        }
        limits
    }

    /// The severity a rule runs at.
    pub fn severity(&self, rule: &rules::Rule) -> Severity {
        self.configured(rule).unwrap_or(rule.default_severity)
    }

    /// The severity `citelint.toml` sets for a rule, if it sets one.
    pub fn configured(&self, rule: &rules::Rule) -> Option<Severity> {
        self.rules.get(rule.name).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, Result<Config, ConfigError>) {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        std::fs::write(&p, text).unwrap();
        let c = Config::load(&p);
        (dir, c)
    }

    #[test]
    fn defaults_apply_when_keys_are_absent() {
        let (dir, c) = write("");
        let c = c.unwrap();
        assert_eq!(c.sources(), dir.path().join("seeds"));
        assert_eq!(c.claims(), vec![dir.path().join("claims")]);
        assert_eq!(c.similarity(), 0.8);
    }

    #[test]
    fn reads_every_key() {
        let (dir, c) = write(
            "claims = [\"a\", \"b\"]\nsources = \"docs\"\nsimilarity = 0.9\n[rules]\nquote-too-short = \"off\"\n[figures.italy]\ncounts = \"stations\"\nnear = [\"Italy\"]\n",
        );
        let c = c.unwrap();
        assert_eq!(c.figures()["italy"].near, ["Italy"]);
        assert_eq!(c.claims(), vec![dir.path().join("a"), dir.path().join("b")]);
        assert_eq!(c.sources(), dir.path().join("docs"));
        assert_eq!(c.severity(&rules::quote_too_short::QUOTE_TOO_SHORT), Severity::Off);
    }

    #[test]
    fn unknown_keys_and_rules_are_errors() {
        let (_d, c) = write("similarity = 0.9\nsourcse = \"x\"\n");
        assert!(matches!(c, Err(ConfigError::Invalid { message, span: Some(_), .. }) if message.contains("sourcse")));
        let (_d, c) = write("[rules]\nquote-mismatc = \"off\"\n");
        assert!(matches!(c, Err(ConfigError::Invalid { help, .. }) if help == "did you mean `quote-mismatch`?"));
        let (_d, c) = write("similarity = 1.5\n");
        assert!(matches!(c, Err(ConfigError::Invalid { .. })));
    }
}
