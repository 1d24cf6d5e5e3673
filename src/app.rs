//! Command dispatch: what each subcommand does, from parsed arguments to the
//! text it prints and the exit code. Errors that stop a run are returned as
//! [`AppError`]; `main` renders them with miette.

use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::check::{self, CheckOptions, RunError};
use crate::cli::{CheckArgs, Cli, Color, Command, FiguresArgs, TableFormat};
use crate::config::{Config, ConfigError};
use crate::diagnostic::Severity;
use crate::emit::{self, Style};
use crate::rules;
use crate::{baseline, cache, fix};
use std::path::Path;

/// Exit codes.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_ERROR: i32 = 2;

/// A reason the tool could not run.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum AppError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(Box<ConfigProblem>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Run(#[from] RunError),
    #[error("no rule is named `{name}`")]
    #[diagnostic(code(citelint::rule))]
    UnknownRule {
        name: String,
        #[help]
        help: String,
    },
    #[error(transparent)]
    #[diagnostic(code(citelint::baseline), help("write one with `citelint check --write-baseline FILE`"))]
    Baseline(#[from] baseline::BaselineError),
    #[error("cannot write the output: {0}")]
    #[diagnostic(code(citelint::io))]
    Io(#[from] std::io::Error),
    #[error("citelint.lock is {0}")]
    #[diagnostic(code(citelint::locked), help("run `citelint lock` after reviewing the change, and commit citelint.lock"))]
    Locked(String),
    #[error(transparent)]
    #[diagnostic(code(citelint::lock), help("fix or delete citelint.lock, then run `citelint lock` to write it again"))]
    Lock(#[from] crate::load::lock::LockError),
    #[error(transparent)]
    #[diagnostic(code(citelint::fetch), help("check the URL; `--allow-private` fetches from loopback and private addresses"))]
    Fetch(#[from] crate::fetch::FetchError),
    #[error("`--as` names one file, but {0} URLs were given")]
    #[diagnostic(code(citelint::fetch), help("fetch the URLs one at a time, or drop `--as`"))]
    AsWithMany(usize),
}

impl From<ConfigError> for AppError {
    fn from(e: ConfigError) -> Self {
        let problem = match e {
            ConfigError::Read { .. } => {
                ConfigProblem { message: e.to_string(), help: Some("check the path given to --config".into()), src: None, span: None }
            }
            ConfigError::Invalid { ref path, ref message, ref help, ref span, ref text } => ConfigProblem {
                message: format!("invalid `{}`: {message}", crate::model::files::display_name(path)),
                help: Some(help.clone()),
                src: Some(NamedSource::new(crate::model::files::display_name(path), text.clone())),
                span: span.clone().map(Into::into),
            },
        };
        AppError::Config(Box::new(problem))
    }
}

/// An unusable configuration, with the place in the file where known.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code(citelint::config))]
pub struct ConfigProblem {
    message: String,
    #[help]
    help: Option<String>,
    #[source_code]
    src: Option<NamedSource<String>>,
    #[label("here")]
    span: Option<SourceSpan>,
}

/// Runs the command line; returns the exit code.
pub fn run(cli: &Cli, out: &mut dyn Write) -> Result<i32, AppError> {
    match &cli.command {
        Command::Check(args) if args.watch => watch(cli, args, out),
        Command::Check(args) => check(cli, args, out),
        Command::Figures(args) => figures(cli, args, out),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut cmd, "citelint", out);
            Ok(EXIT_CLEAN)
        }
        Command::Lock(args) => lock(cli, args, out),
        Command::Fetch(args) => fetch(cli, args, out),
        Command::Lsp => {
            crate::lsp::serve(load_config(cli)?)?;
            Ok(EXIT_CLEAN)
        }
        Command::Man => {
            clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(out)?;
            Ok(EXIT_CLEAN)
        }
        Command::Rules => {
            for r in rules::ALL {
                writeln!(out, "{:<24} {:<8} {}", r.name, r.default_severity.as_str(), r.summary)?;
            }
            Ok(EXIT_CLEAN)
        }
        Command::Rule { name } => {
            let Some(r) = rules::by_name(name) else {
                let help = match rules::suggest(name) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "run `citelint rules` to list the rule names".into(),
                };
                return Err(AppError::UnknownRule { name: name.clone(), help });
            };
            writeln!(out, "# {}\n\nDefault severity: {}\n\n{}", r.name, r.default_severity.as_str(), r.doc.trim_end())?;
            Ok(EXIT_CLEAN)
        }
    }
}

/// The configuration the flags ask for.
pub fn load_config(cli: &Cli) -> Result<Config, AppError> {
    let cwd = std::env::current_dir()?;
    Ok(match (&cli.config, cli.no_config) {
        (Some(path), _) => Config::load(path)?,
        (None, true) => Config::defaults(&cwd),
        (None, false) => Config::discover(&cwd)?,
    })
}

fn check(cli: &Cli, args: &CheckArgs, out: &mut dyn Write) -> Result<i32, AppError> {
    let config = load_config(cli)?;
    let opts =
        CheckOptions { paths: args.paths.clone(), sources: args.sources.clone(), similarity: args.similarity, ..CheckOptions::default() };
    let style = Style { color: use_color(cli.color, std::io::stdout().is_terminal()), width: width() };
    // Runs that write files or read a baseline are not cached.
    let cacheable = !(args.no_cache
        || args.locked
        || args.timings
        || args.fix
        || args.diff
        || args.baseline.is_some()
        || args.write_baseline.is_some());
    let cache_dir = cache::dir(config.path.as_deref().and_then(|p| p.parent()).unwrap_or(Path::new(".")));
    let key = if cacheable { cache_key(args, &config, &opts, style).ok() } else { None };
    if let Some(hit) = key.as_deref().and_then(|k| cache::get(&cache_dir, k)) {
        out.write_all(hit.output.as_bytes())?;
        return Ok(hit.code);
    }
    let mut opts = opts;
    opts.lock = args.locked;
    // The evidence report shows every quote in its passage, found or not.
    opts.passages = args.format == emit::Format::Html;
    // PDFs' text is cached apart from the run: an edit elsewhere need not parse them again.
    opts.text_cache = (!args.no_cache).then(|| cache_dir.join("pdf-text"));
    // So are claim files' parses and quotes' outcomes: a run redoes what changed.
    opts.store = (!args.no_cache).then(|| cache_dir.clone());
    let spinner = progress(args.format, &mut opts);
    let timings = args.timings.then(|| Timings::install(&mut opts));
    let result = check::check(&config, &opts);
    if let Some(s) = spinner {
        s.finish_and_clear();
    }
    let mut report = result?;
    if args.locked {
        locked(&config, &report, !args.paths.is_empty())?;
    }
    if let Some(path) = &args.baseline {
        baseline::apply(&mut report, &baseline::read(path)?);
    }
    if args.diff {
        let plans = fix::planned(&report);
        for p in &plans {
            out.write_all(fix::unified_diff(&report.files.get(p.file).name, p).as_bytes())?;
        }
        if let Some(t) = timings {
            eprint!("{}", t.table());
        }
        return Ok(if plans.is_empty() { EXIT_CLEAN } else { EXIT_FINDINGS });
    }
    if args.fix {
        // The project: the config file's folder, or the working directory.
        let root = config.path.as_deref().and_then(Path::parent).filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        apply_fixes(&mut report, &fix::WriteRules { root, break_hardlinks: args.break_hardlinks });
    }
    if let Some(path) = &args.write_baseline {
        let text = serde_json::to_string_pretty(&baseline::of(&report)).expect("a baseline serialises") + "\n";
        std::fs::write(path, text)
            .map_err(|e| AppError::Baseline(baseline::BaselineError::Read(crate::model::files::display_name(path), e)))?;
    }
    opts.progress.phase("writing the output");
    let rendered = match args.format {
        emit::Format::Human | emit::Format::Concise if args.statistics => emit::statistics::render(&report),
        emit::Format::Html => {
            // The report carries the figures table where keys are described.
            let table = if config.figures().is_empty() { None } else { Some(check::figure_table(&config, &opts)?) };
            emit::html::render(&report, table.as_ref())
        }
        format => emit::render(&report, format, style),
    };
    out.write_all(rendered.as_bytes())?;
    if let Some(t) = timings {
        // Stderr, after the output: a machine format on stdout stays whole.
        eprint!("{}", t.table());
    }
    let failing =
        report.diagnostics.iter().any(|d| d.severity == Severity::Error || (args.deny_warnings && d.severity == Severity::Warning));
    let code = if failing { EXIT_FINDINGS } else { EXIT_CLEAN };
    if let Some(k) = key {
        cache::put(&cache_dir, &k, &cache::Entry { output: rendered, code });
    }
    if !args.no_cache {
        cache::prune(&cache_dir, config.cache_size());
    }
    Ok(code)
}

/// A spinner on stderr, for human output on a terminal, shown only once a
/// run has taken a second; never in machine formats or piped output.
/// `CITELINT_PROGRESS_DELAY_MS` sets another delay (the tests show the
/// spinner at once rather than depend on a run being slow).
fn progress(format: emit::Format, opts: &mut CheckOptions) -> Option<indicatif::ProgressBar> {
    if format != emit::Format::Human || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
    bar.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("a valid template"));
    let shown = bar.clone();
    std::thread::spawn(move || {
        let delay = std::env::var("CITELINT_PROGRESS_DELAY_MS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
        std::thread::sleep(std::time::Duration::from_millis(delay));
        if !shown.is_finished() {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown.enable_steady_tick(std::time::Duration::from_millis(100));
        }
    });
    let messages = bar.clone();
    opts.progress = check::Progress::new(move |phase| messages.set_message(phase.to_owned()));
    Some(bar)
}

/// The phases of a run and when each began, for `--timings`.
struct Timings {
    start: std::time::Instant,
    marks: Arc<Mutex<Vec<(String, std::time::Instant)>>>,
}

impl Timings {
    /// Records every phase the check reports, still telling the spinner.
    fn install(opts: &mut CheckOptions) -> Self {
        let marks: Arc<Mutex<Vec<(String, std::time::Instant)>>> = Arc::default();
        let (seen, before) = (marks.clone(), opts.progress.clone());
        opts.progress = check::Progress::new(move |phase| {
            before.phase(phase);
            seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push((phase.to_owned(), std::time::Instant::now()));
        });
        Timings { start: std::time::Instant::now(), marks }
    }

    /// Each phase's wall time, in the order they ran, and the whole.
    fn table(&self) -> String {
        let end = std::time::Instant::now();
        let marks = self.marks.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut out = String::from("timings (wall clock):\n");
        for (k, (phase, began)) in marks.iter().enumerate() {
            let ended = marks.get(k + 1).map_or(end, |next| next.1);
            out.push_str(&format!("{:>10.1} ms  {phase}\n", ended.duration_since(*began).as_secs_f64() * 1e3));
        }
        out.push_str(&format!("{:>10.1} ms  in all\n", end.duration_since(self.start).as_secs_f64() * 1e3));
        out
    }
}

/// Checks, then checks again on every change of an input, until interrupted.
/// An invalid config or a failed run is reported and the watch goes on.
/// Changes come from the system's file events (notify: inotify, FSEvents,
/// ReadDirectoryChangesW), gathered for a moment so that an editor's
/// several writes make one run; where events cannot be had, the files are
/// polled.
fn watch(cli: &Cli, args: &CheckArgs, out: &mut dyn Write) -> Result<i32, AppError> {
    let terminal = std::io::stdout().is_terminal();
    let (tx, rx) = std::sync::mpsc::channel();
    let mut events = notify::recommended_watcher(move |e: notify::Result<notify::Event>| {
        if let Ok(e) = e {
            let _ = tx.send(e);
        }
    })
    .ok();
    let mut registered: std::collections::HashSet<(std::path::PathBuf, bool)> = Default::default();
    loop {
        let watched = watched_files(cli, args);
        let before = stamps(&watched);
        if let Some(w) = events.as_mut() {
            for (dir, recursive) in watched_folders(cli, args, &watched) {
                let mode = if recursive { notify::RecursiveMode::Recursive } else { notify::RecursiveMode::NonRecursive };
                if !registered.contains(&(dir.clone(), recursive)) && notify::Watcher::watch(w, &dir, mode).is_ok() {
                    registered.insert((dir, recursive));
                }
            }
        }
        if terminal {
            // Clear the screen between runs.
            write!(out, "\x1b[2J\x1b[H")?;
        }
        match check(cli, args, out) {
            Ok(_) => {}
            Err(e) => writeln!(out, "{:?}", miette::Report::new(e))?,
        }
        writeln!(out, "watching {} files for changes (Ctrl-C to stop)", watched.len())?;
        out.flush()?;
        if events.is_some() && !registered.is_empty() {
            wait_for_event(&rx);
            continue;
        }
        while stamps(&watched) == before && watched_files(cli, args) == watched {
            std::thread::sleep(std::time::Duration::from_millis(250));
        }
    }
}

/// Waits for a change that matters (not in `.citelint_cache`, where the
/// run itself writes, nor `.git`, nor an editor's hidden swap file), then
/// for the events to go quiet for a moment: one save can be several writes.
fn wait_for_event(rx: &std::sync::mpsc::Receiver<notify::Event>) {
    let ignored = |p: &std::path::Path| {
        p.components().any(|c| c.as_os_str() == ".citelint_cache" || c.as_os_str() == ".git")
            || p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.') || n.to_string_lossy().ends_with('~'))
    };
    let matters = |e: &notify::Event| !matches!(e.kind, notify::EventKind::Access(_)) && e.paths.iter().any(|p| !ignored(p));
    while let Ok(e) = rx.recv() {
        if matters(&e) {
            break;
        }
    }
    while rx.recv_timeout(std::time::Duration::from_millis(150)).is_ok() {}
}

/// The folders a watch registers: the configured claim folders and the
/// sources root, with all below them (a new claim file or source counts),
/// and the folders of the named claim files and the config file.
fn watched_folders(cli: &Cli, args: &CheckArgs, files: &[std::path::PathBuf]) -> Vec<(std::path::PathBuf, bool)> {
    let mut out = Vec::new();
    if let Ok(config) = load_config(cli) {
        out.extend(config.claims().into_iter().filter(|p| p.is_dir()).map(|p| (p, true)));
        let root = args.sources.clone().unwrap_or_else(|| config.sources());
        if root.is_dir() {
            out.push((root, true));
        }
    }
    for f in files.iter().chain(&args.paths) {
        let dir = f.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
        out.push((if f.is_dir() { f.clone() } else { dir.to_path_buf() }, f.is_dir()));
    }
    out.sort();
    out.dedup();
    out
}

/// The files a watch looks at: every input of a check and the config file.
fn watched_files(cli: &Cli, args: &CheckArgs) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    if let Ok(config) = load_config(cli) {
        let opts = CheckOptions { paths: args.paths.clone(), sources: args.sources.clone(), ..CheckOptions::default() };
        files.extend(check::inputs(&config, &opts).unwrap_or_default());
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    let config = cli.config.clone().or_else(|| cwd.ancestors().map(|d| d.join(crate::config::FILE_NAME)).find(|p| p.is_file()));
    files.extend(config);
    files
}

fn stamps(files: &[std::path::PathBuf]) -> Vec<Option<(std::time::SystemTime, u64)>> {
    files.iter().map(|p| std::fs::metadata(p).ok().map(|m| (m.modified().unwrap_or(std::time::UNIX_EPOCH), m.len()))).collect()
}

/// The run cache key: every input file, and every setting that shapes the output.
fn cache_key(args: &CheckArgs, config: &crate::config::Config, opts: &CheckOptions, style: Style) -> Result<String, AppError> {
    let mut inputs = check::inputs(config, opts)?;
    inputs.extend(config.path.clone());
    let settings = format!(
        "{:?}|{}|{:?}|{:?}|{}|{:?}|{}|{}|{:?}",
        args.format,
        args.statistics,
        args.paths,
        args.sources,
        args.deny_warnings,
        args.similarity,
        style.color,
        style.width,
        std::env::current_dir().ok()
    );
    Ok(cache::key(&settings, &inputs)?)
}

fn figures(cli: &Cli, args: &FiguresArgs, out: &mut dyn Write) -> Result<i32, AppError> {
    let config = load_config(cli)?;
    let opts = CheckOptions { sources: args.sources.clone(), ..CheckOptions::default() };
    let table = check::figure_table(&config, &opts)?;
    match args.format {
        TableFormat::Json => {
            let doc = serde_json::json!({ "version": 1, "keys": table.keys });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc).expect("the table serialises"))?;
        }
        TableFormat::Human => out.write_all(emit::figures::render(&table).as_bytes())?,
    }
    Ok(EXIT_CLEAN)
}

/// Writes every planned fix (each file atomically, and only if unchanged on
/// disk since it was read), and drops the fixed findings from the report.
fn apply_fixes(report: &mut check::Report, rules: &fix::WriteRules) {
    let mut fixed: Vec<usize> = Vec::new();
    for plan in fix::planned(report) {
        let path = report.files.get(plan.file).path.clone();
        match fix::write_atomic(&path, &plan.old, &plan.new, rules) {
            Ok(()) => fixed.extend(&plan.fixes),
            Err(e) => eprintln!("citelint: {e}"),
        }
    }
    report.summary.fixed = Some(fixed.len());
    let mut i = 0;
    report.diagnostics.retain(|_| {
        let keep = !fixed.contains(&i);
        i += 1;
        keep
    });
    report.recount();
}

fn use_color(choice: Color, terminal: bool) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// The width human output wraps at: `COLUMNS` when set, else 100.
fn width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}

/// `check --locked`: the lock on disk is the one `citelint lock` would
/// write. A run on named files holds only their claims to it.
fn locked(config: &crate::config::Config, report: &check::Report, partial: bool) -> Result<(), AppError> {
    let Some(on_disk) = crate::load::lock::read(&config.lock())? else {
        return Err(AppError::Locked("missing".into()));
    };
    let fresh = report.lock.clone().unwrap_or_default();
    let checked: std::collections::HashSet<&str> = report.claims.iter().map(|c| c.id.as_str()).collect();
    let mut what = Vec::new();
    for s in &fresh.sources {
        let Some(o) = on_disk.entry(&s.path) else {
            what.push(format!("`{}` is not in it", s.path));
            continue;
        };
        if o.sha256 != s.sha256 || o.size != s.size {
            what.push(format!("`{}` changed since it was locked", s.path));
            continue;
        }
        let locked: Vec<_> = o.passages.iter().filter(|p| !partial || checked.contains(p.claim.as_str())).cloned().collect();
        if sorted(&locked) != sorted(&s.passages) {
            what.push(format!("the verified passages of `{}` differ", s.path));
        }
    }
    if !partial {
        for o in on_disk.sources.iter().filter(|o| fresh.entry(&o.path).is_none()) {
            what.push(format!("`{}` is no longer cited", o.path));
        }
    }
    if what.is_empty() { Ok(()) } else { Err(AppError::Locked(format!("out of date: {}", what.join("; ")))) }
}

fn sorted(p: &[crate::load::lock::LockedPassage]) -> Vec<&crate::load::lock::LockedPassage> {
    let mut v: Vec<_> = p.iter().collect();
    v.sort();
    v
}

/// `citelint lock`: records every cited source in citelint.lock.
fn lock(cli: &Cli, args: &crate::cli::LockArgs, out: &mut dyn Write) -> Result<i32, AppError> {
    let config = load_config(cli)?;
    let opts = CheckOptions { sources: args.sources.clone(), lock: true, ..CheckOptions::default() };
    let report = check::check(&config, &opts)?;
    let fresh = report.lock.unwrap_or_default();
    let text = fresh.render();
    let path = config.lock();
    let passages: usize = fresh.sources.iter().map(|s| s.passages.len()).sum();
    let name = crate::model::files::display_name(&path);
    if std::fs::read_to_string(&path).ok().as_deref() == Some(text.as_str()) {
        writeln!(out, "{name} is up to date: {} sources, {passages} verified passages", fresh.sources.len())?;
    } else {
        crate::load::lock::write_atomically(&path, text.as_bytes())?;
        writeln!(out, "wrote {name}: {} sources, {passages} verified passages", fresh.sources.len())?;
    }
    Ok(EXIT_CLEAN)
}

/// `citelint fetch`: downloads each URL into the sources root and locks it.
fn fetch(cli: &Cli, args: &crate::cli::FetchArgs, out: &mut dyn Write) -> Result<i32, AppError> {
    if args.as_path.is_some() && args.urls.len() > 1 {
        return Err(AppError::AsWithMany(args.urls.len()));
    }
    let config = load_config(cli)?;
    let root = args.sources.clone().unwrap_or_else(|| config.sources());
    let path = config.lock();
    let mut lock = crate::load::lock::read(&path)?.unwrap_or_default();
    for url in &args.urls {
        let limits = crate::fetch::Limits { timeout: std::time::Duration::from_secs(args.timeout), max_bytes: args.max_size << 20 };
        let fetched = crate::fetch::get(url, args.allow_private, limits)?;
        let rel = args.as_path.clone().unwrap_or_else(|| crate::fetch::file_name(&fetched.final_url, &fetched.media_type));
        let entry = crate::fetch::save(&root, &rel, url, &fetched)?;
        lock.sources.retain(|s| s.path != entry.path);
        writeln!(out, "fetched {url} ({} bytes{})", entry.size, entry.media_type.as_deref().map(|m| format!(", {m}")).unwrap_or_default())?;
        writeln!(out, "    source: {}", entry.path)?;
        lock.sources.push(entry);
        // Written after each URL: a later failure keeps what was fetched.
        crate::load::lock::write_atomically(&path, lock.render().as_bytes())?;
    }
    Ok(EXIT_CLEAN)
}
