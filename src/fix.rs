//! Fixes: applying the edits that findings propose to the claim files,
//! whole or not at all, atomically. (How a quote is written back into its
//! YAML scalar, keeping the scalar's style, is YAML knowledge: `load::yaml`.)
//!
//! Everything outside an edited scalar stays byte for byte the same:
//! comments, key order, other quotes, indentation.

use std::io::Write;
use std::path::Path;

use crate::model::Edit;

/// Applies non-overlapping edits to `text`; `None` if any two overlap.
pub fn apply(text: &str, edits: &[Edit]) -> Option<String> {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    if sorted.windows(2).any(|w| w[0].span.end > w[1].span.start) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        out.push_str(&text[at..e.span.start]);
        out.push_str(&e.text);
        at = e.span.end;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// How many names the file has.
fn hard_links(path: &Path) -> std::io::Result<u64> {
    #[cfg(unix)]
    return Ok(std::os::unix::fs::MetadataExt::nlink(&std::fs::metadata(path)?));
    #[cfg(not(unix))]
    return std::fs::metadata(path).map(|_| 1);
}

/// The findings to fix in one file: each whole or not at all, none whose
/// edits overlap an earlier one's. Returns their indices and the edits.
pub fn plan(findings: &[(usize, &[Edit])]) -> (Vec<usize>, Vec<Edit>) {
    let mut chosen = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    for (i, es) in findings {
        let clashes = es.iter().any(|e| edits.iter().any(|k| e.span.start < k.span.end && k.span.start < e.span.end))
            || es.iter().enumerate().any(|(a, e)| es[a + 1..].iter().any(|k| e.span.start < k.span.end && k.span.start < e.span.end));
        if clashes || es.is_empty() {
            continue;
        }
        chosen.push(*i);
        edits.extend(es.iter().cloned());
    }
    (chosen, edits)
}

/// What `--fix` would do to one claim file.
#[derive(Debug)]
pub struct FilePlan {
    pub file: crate::model::FileId,
    /// Indices of the report's findings this plan fixes.
    pub fixes: Vec<usize>,
    pub old: std::sync::Arc<String>,
    pub new: String,
}

/// The fixes of a report, per file (pure: nothing is written).
pub fn planned(report: &crate::check::Report) -> Vec<FilePlan> {
    let mut by_file: std::collections::BTreeMap<crate::model::FileId, Vec<(usize, &[Edit])>> = Default::default();
    for (i, d) in report.diagnostics.iter().enumerate().filter(|(_, d)| !d.edits.is_empty()) {
        by_file.entry(d.file).or_default().push((i, &d.edits));
    }
    by_file
        .into_iter()
        .filter_map(|(file, findings)| {
            let (fixes, edits) = plan(&findings);
            let old = std::sync::Arc::clone(&report.files.get(file).text);
            let new = apply(&old, &edits)?;
            (!fixes.is_empty()).then_some(FilePlan { file, fixes, old, new })
        })
        .collect()
}

/// A unified diff of a plan, for `--diff`.
pub fn unified_diff(name: &str, plan: &FilePlan) -> String {
    similar::TextDiff::from_lines(&*plan.old, &plan.new)
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Why a file was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("`{0}` changed on disk since it was read; not written (run again)")]
    Changed(String),
    #[error("cannot write `{path}`: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("`{0}` is a link to a file outside the project; not written (fix the file it points to, from its own project)")]
    OutsideRoot(String),
    #[error(
        "`{path}` has {links} hard links; writing it anew would split them, so it was not written (run with --break-hardlinks to split them, or edit it by hand)"
    )]
    HardLinked { path: String, links: u64 },
}

/// How a fix may write a claim file.
#[derive(Debug, Clone)]
pub struct WriteRules<'a> {
    /// The project: a claim file that is a link is written through to its
    /// target only when the target is inside.
    pub root: &'a Path,
    /// Write a file that has other hard links anyway (as a new file).
    pub break_hardlinks: bool,
}

/// Writes `new` over `path` atomically (a temporary file in the same folder,
/// then a rename, with the old permissions), unless the file no longer holds
/// `expected`. A symbolic link is written through: its target gets the new
/// text and the link stays a link (only a target inside `rules.root`). A
/// file with other hard links is not written unless `rules` allow splitting
/// them: the rename gives the path a new file, and the other links would
/// keep the old text.
pub fn write_atomic(path: &Path, expected: &str, new: &str, rules: &WriteRules) -> Result<(), WriteError> {
    let name = crate::model::files::display_name(path);
    let io = |source| WriteError::Io { path: name.clone(), source };
    let is_link = std::fs::symlink_metadata(path).map_err(io)?.file_type().is_symlink();
    let target = if is_link { std::fs::canonicalize(path).map_err(io)? } else { path.to_path_buf() };
    if is_link {
        let root = std::fs::canonicalize(rules.root).map_err(io)?;
        if !target.starts_with(&root) {
            return Err(WriteError::OutsideRoot(name));
        }
    }
    let links = hard_links(&target).map_err(io)?;
    if links > 1 && !rules.break_hardlinks {
        return Err(WriteError::HardLinked { path: name, links });
    }
    let path = target.as_path();
    let current = std::fs::read(path).map_err(io)?;
    if current != expected.as_bytes() {
        return Err(WriteError::Changed(name));
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let perms = std::fs::metadata(path).map_err(io)?.permissions();
    let mut tmp = tempfile::Builder::new().prefix(".citelint-").suffix(".tmp").tempfile_in(dir).map_err(io)?;
    tmp.write_all(new.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    std::fs::set_permissions(tmp.path(), perms).map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::yaml::{self, scalar_edit};
    use crate::model::{Span, Text};

    fn quote_text(src: &str) -> Text {
        let root = yaml::parse(src).unwrap();
        let yaml::Value::Map(m) = &root.value else { panic!() };
        m.iter().find(|(k, _)| k.as_text(src).unwrap().value == "q").unwrap().1.as_text(src).unwrap()
    }

    fn rewrite(src: &str, new: &str) -> String {
        let t = quote_text(src);
        let out = apply(src, &[scalar_edit(src, &t, new)]).unwrap();
        // It must read back as exactly the new text.
        assert_eq!(quote_text(&out).value.trim_end(), new, "{out}");
        out
    }

    #[test]
    fn keeps_the_style_when_it_can() {
        assert_eq!(rewrite("q: old words # note\nx: 1\n", "new words"), "q: new words # note\nx: 1\n");
        assert_eq!(rewrite("q: 'old'\n", "it's new"), "q: 'it''s new'\n");
        assert_eq!(rewrite("q: \"old\"\n", "say \"new\""), "q: \"say \\\"new\\\"\"\n");
        assert_eq!(rewrite("q: |\n  old\n  words\nx: 1\n", "new words"), "q: |\n  new words\nx: 1\n");
        assert_eq!(rewrite("q: >-\n  old\n  words\n", "new words"), "q: >-\n  new words\n");
    }

    #[test]
    fn switches_style_when_it_must() {
        assert_eq!(rewrite("q: old\n", "a: b"), "q: \"a: b\"\n");
        assert_eq!(rewrite("q: old\n", "\"quoted\" start"), "q: \"\\\"quoted\\\" start\"\n");
        assert_eq!(rewrite("q: old\n", "2015"), "q: \"2015\"\n");
    }

    #[test]
    fn a_finding_is_fixed_whole_or_not_at_all() {
        let e = |s, t| Edit { span: Span::new(s, t), text: "x".into() };
        let first = [e(0, 5)];
        // The second finding's edits: one clashes with the first, so neither is applied.
        let second = [e(10, 12), e(3, 6)];
        let third = [e(20, 22)];
        let (chosen, edits) = plan(&[(0, &first[..]), (1, &second[..]), (2, &third[..])]);
        assert_eq!(chosen, [0, 2]);
        assert_eq!(edits, [e(0, 5), e(20, 22)]);
    }

    #[test]
    fn overlapping_edits_are_refused() {
        let e = |s, t| Edit { span: Span::new(s, t), text: String::new() };
        assert!(apply("abcdef", &[e(0, 3), e(2, 4)]).is_none());
        assert_eq!(apply("abcdef", &[e(4, 6), e(0, 1)]).unwrap(), "bcd");
    }

    #[test]
    fn atomic_write_refuses_a_changed_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.yaml");
        std::fs::write(&p, "old").unwrap();
        let rules = WriteRules { root: dir.path(), break_hardlinks: false };
        assert!(matches!(write_atomic(&p, "other", "new", &rules), Err(WriteError::Changed(_))));
        write_atomic(&p, "old", "new", &rules).unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        let leftovers = std::fs::read_dir(dir.path()).unwrap().count();
        assert_eq!(leftovers, 1, "no temporary file left behind");
    }

    /// Regression: `--fix` on a claim file that is a symbolic link replaced
    /// the link with a regular file, and left the real file unfixed.
    #[cfg(unix)]
    #[test]
    fn a_link_is_written_through_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.yaml");
        let link = dir.path().join("link.yaml");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, "old", "new", &WriteRules { root: dir.path(), break_hardlinks: false }).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        // A link out of the project is not followed.
        let outside = tempfile::tempdir().unwrap();
        let far = outside.path().join("far.yaml");
        std::fs::write(&far, "old").unwrap();
        let out_link = dir.path().join("out.yaml");
        std::os::unix::fs::symlink(&far, &out_link).unwrap();
        let e = write_atomic(&out_link, "old", "new", &WriteRules { root: dir.path(), break_hardlinks: false }).unwrap_err();
        assert!(matches!(e, WriteError::OutsideRoot(_)), "{e}");
        assert_eq!(std::fs::read_to_string(&far).unwrap(), "old");
    }

    /// Regression: `--fix` on a hard-linked claim file silently split the link.
    #[cfg(unix)]
    #[test]
    fn a_hard_linked_file_is_refused_unless_splitting_is_asked_for() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.yaml");
        let b = dir.path().join("b.yaml");
        std::fs::write(&a, "old").unwrap();
        std::fs::hard_link(&a, &b).unwrap();
        let e = write_atomic(&a, "old", "new", &WriteRules { root: dir.path(), break_hardlinks: false }).unwrap_err();
        assert!(e.to_string().contains("has 2 hard links") && e.to_string().contains("--break-hardlinks"), "{e}");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "old");
        write_atomic(&a, "old", "new", &WriteRules { root: dir.path(), break_hardlinks: true }).unwrap();
        assert_eq!((std::fs::read_to_string(&a).unwrap().as_str(), std::fs::read_to_string(&b).unwrap().as_str()), ("new", "old"));
    }
}
