//! The command line, as clap derives it.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::emit::Format;

#[derive(Debug, Parser)]
#[command(name = "citelint", version, about = "Proves that every quote in your claim files stands in its cited source.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto)]
    pub color: Color,
    /// Read this config file instead of looking for citelint.toml.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore any citelint.toml: defaults and flags only.
    #[arg(long, global = true)]
    pub no_config: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Verify every quote of the claim files against its cited source.
    Check(CheckArgs),
    /// List every rule with its default severity.
    Rules,
    /// Print every figure key's values with their sources and claims, and
    /// whether they conflict.
    Figures(FiguresArgs),
    /// Print a rule's documentation.
    Rule {
        /// The rule's name, e.g. quote-mismatch.
        name: String,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), generated from these definitions.
    Man,
    /// Run a language server over stdio (for editors).
    Lsp,
    /// Record every cited source (its hash, and the passage that verified
    /// each quote citing it) in citelint.lock, beside citelint.toml.
    Lock(LockArgs),
    /// Download pages or documents into the sources root, record them in
    /// citelint.lock, and print the `source:` line to cite each.
    Fetch(FetchArgs),
}

#[derive(Debug, clap::Args)]
pub struct LockArgs {
    /// The folder the claims' `source` paths are relative to.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct FetchArgs {
    /// The http or https URLs to fetch.
    #[arg(required = true, value_name = "URL")]
    pub urls: Vec<String>,
    /// Where to save it, relative to the sources root (one URL only); by
    /// default a name from the URL, with the extension its type calls for.
    #[arg(long = "as", value_name = "PATH")]
    pub as_path: Option<String>,
    /// Fetch from loopback and private addresses too (refused by default:
    /// a claims file must not make CI reach internal services).
    #[arg(long)]
    pub allow_private: bool,
    /// The sources root to save into.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// Give up on a URL after this many seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
    /// Refuse a document larger than this many megabytes.
    #[arg(long, value_name = "MB", default_value_t = 64)]
    pub max_size: u64,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Claim files or folders to report on (default: the `claims` of the
    /// config). All claim files are still read for checks that span files.
    pub paths: Vec<PathBuf>,
    /// The folder the claims' `source` paths are relative to.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Fail (exit 2) when citelint.lock is missing or out of date, as
    /// `cargo --locked` does; `citelint lock` brings it up to date.
    #[arg(long)]
    pub locked: bool,
    /// The least similarity (0 to 1) for a near match to count as a misquote.
    #[arg(long, value_name = "RATIO")]
    pub similarity: Option<f64>,
    /// Rewrite misquotes (and quotes cited to the wrong source) to the source's exact text, in place.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print what --fix would change, as a unified diff, and change nothing.
    #[arg(long)]
    pub diff: bool,
    /// With --fix: write a claim file that has other hard links as a new
    /// file, which splits it from them (without this, such a file is not written).
    #[arg(long, requires = "fix")]
    pub break_hardlinks: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record today's findings in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Do not read or write the run cache (.citelint_cache/).
    #[arg(long)]
    pub no_cache: bool,
    /// Check again whenever a claim file, a source or the config changes.
    #[arg(long, conflicts_with_all = ["fix", "diff", "write_baseline"])]
    pub watch: bool,
    /// In place of the findings, print how many each rule raised, most
    /// first (for the human and concise formats).
    #[arg(long)]
    pub statistics: bool,
    /// After the output, print on stderr how long each phase of the run
    /// took (a run with timings is not served from the run cache).
    #[arg(long, conflicts_with = "watch")]
    pub timings: bool,
}

#[derive(Debug, clap::Args)]
pub struct FiguresArgs {
    /// The folder the claims' `source` paths are relative to.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,
}

/// Formats of `citelint figures`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}
