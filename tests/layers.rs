//! The crate's plan, held: data flows one way. Each module of `src/` may
//! import only from its own layer or the layers below it (the order is
//! written here and in CONTRIBUTING.md), and no file imports, through any
//! chain, a file that imports it back.
//!
//! Read from the source text: every `crate::a::b` path (in `use` lines and
//! in code) and every `super::x` path is an edge from its file to the file
//! of the module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, top first. A module imports only from its own layer or below.
const LAYERS: &[&[&str]] = &[
    &["main", "lib", "cli", "app"],                        // entry points
    &["emit", "fix", "baseline", "cache", "lsp", "fetch"], // consumers of a finished report; the fetcher
    &["check"],                                            // the pipeline
    &["config"],                                           // settings (rule names through the registry)
    &["rules"],                                            // one file per rule, the registry
    &["diagnostic"],                                       // the one diagnostic model
    &["quote", "figures", "load"],                         // the engines, and the readers
    &["model", "suggest"],                                 // what every layer shares
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&top))
}

/// Every `.rs` file under `src/`, by its module path (`check::search`;
/// `check` for `check/mod.rs`; `lib` and `main` for the roots).
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = p.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            if parts.last().is_some_and(|l| l == "mod") {
                parts.pop();
            }
            out.insert(parts.join("::"), p);
        }
    }
    out
}

/// The longest known module that a path of segments names.
fn resolve(path: &[String], known: &BTreeMap<String, PathBuf>) -> Option<String> {
    (1..=path.len()).rev().map(|n| path[..n].join("::")).find(|m| known.contains_key(m))
}

/// The module paths one file's text names, after `crate::` and `super::`.
fn edges(module: &str, text: &str, known: &BTreeMap<String, PathBuf>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // A file's unit tests (at its end, by the crate's habit) are a module of
    // their own, where `super::` names the file itself.
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
    for (prefix, base) in [("crate::", Vec::new()), ("super::", parent(module))] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().next_back();
            // `$crate::` in a macro is the crate too; `foo_crate::` is not.
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || (c == ':' && prefix == "super::")) {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let mut segs = base.clone();
            segs.extend(path_segments(rest));
            // `use crate::{a, b::c}`: each item is an edge.
            if rest.starts_with('{') {
                for item in braced(rest) {
                    let mut s = base.clone();
                    s.extend(path_segments(&item));
                    out.extend(resolve(&s, known));
                }
                continue;
            }
            out.extend(resolve(&segs, known));
        }
    }
    // A parent names its own child modules bare: `search::open_sources(..)`.
    let children = known.keys().filter(|k| k.strip_prefix(module).and_then(|r| r.strip_prefix("::")).is_some_and(|r| !r.contains("::")));
    for child in children {
        let name = child.rsplit("::").next().unwrap();
        let bare = format!("{name}::");
        let named = code
            .match_indices(&bare)
            .any(|(at, _)| !code[..at].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':'));
        if named {
            out.insert(child.clone());
        }
    }
    out.remove(module);
    out
}

/// What `super::` names: the module's parent (the module path already
/// counts `x/mod.rs` as `x`).
fn parent(module: &str) -> Vec<String> {
    let mut parts: Vec<String> = module.split("::").map(str::to_owned).collect();
    parts.pop();
    parts
}

fn path_segments(rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut s = rest;
    loop {
        let end = s.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(s.len());
        if end == 0 {
            break;
        }
        out.push(s[..end].to_owned());
        s = &s[end..];
        match s.strip_prefix("::") {
            Some(r) if r.starts_with(|c: char| c.is_alphanumeric() || c == '_') => s = r,
            _ => break,
        }
    }
    out
}

/// The top-level items of a `{...}` group (nested groups keep their prefix only).
fn braced(rest: &str) -> Vec<String> {
    let mut depth = 0;
    let mut items = vec![String::new()];
    for c in rest.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                items.push(String::new());
                continue;
            }
            _ => {}
        }
        if depth == 1 {
            items.last_mut().unwrap().push(c);
        }
    }
    items.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let known = modules(&src);
    known
        .iter()
        .map(|(m, p)| {
            let text = std::fs::read_to_string(p).unwrap();
            (m.clone(), edges(m, &text, &known))
        })
        .collect()
}

fn top(m: &str) -> &str {
    m.split("::").next().unwrap()
}

#[test]
fn every_module_imports_only_from_its_layer_or_below() {
    let g = graph();
    let mut wrong = Vec::new();
    for (from, tos) in &g {
        let Some(lf) = layer_of(top(from)) else {
            wrong.push(format!("`{from}` is in no layer: add it to LAYERS and CONTRIBUTING.md"));
            continue;
        };
        for to in tos {
            let lt = layer_of(top(to)).unwrap_or(usize::MAX);
            if lt < lf {
                wrong.push(format!("`{from}` imports `{to}`, a layer above it"));
            }
        }
    }
    assert!(wrong.is_empty(), "the plan is broken:\n{}", wrong.join("\n"));
}

#[test]
fn no_file_imports_a_file_that_imports_it_back() {
    let g = graph();
    // Depth-first search for a back edge; the cycle is reported as a path.
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    let mut stack: Vec<&str> = Vec::new();
    fn visit<'a>(
        m: &'a str,
        g: &'a BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<&'a str, u8>,
        stack: &mut Vec<&'a str>,
    ) -> Option<String> {
        state.insert(m, 1);
        stack.push(m);
        for to in g.get(m).into_iter().flatten() {
            match state.get(to.as_str()) {
                Some(1) => {
                    let from = stack.iter().position(|s| *s == to).unwrap();
                    return Some(format!("{} -> {to}", stack[from..].join(" -> ")));
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(to, g, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(m, 2);
        None
    }
    let mut cycles = Vec::new();
    for m in g.keys() {
        if !state.contains_key(m.as_str())
            && let Some(cycle) = visit(m, &g, &mut state, &mut stack)
        {
            cycles.push(cycle);
            // Those left on the path are done with: the next search starts clean.
            for s in stack.drain(..) {
                state.insert(s, 2);
            }
        }
    }
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_reader_of_paths_finds_each_kind_of_import() {
    // The test's own reader, held to the forms the crate uses.
    let known: BTreeMap<String, PathBuf> = ["check", "check::search", "check::place", "model", "model::found", "rules", "diagnostic"]
        .iter()
        .map(|m| (m.to_string(), PathBuf::new()))
        .collect();
    let text = "use crate::model::found::{Cited, Passage};\nuse crate::{rules, diagnostic::Rule};\nuse super::place::Labels;\n// use crate::nothing;\nlet r = $crate::diagnostic::Rule {};";
    let e = edges("check::search", text, &known);
    assert_eq!(e, ["check::place", "diagnostic", "model::found", "rules"].iter().map(|s| s.to_string()).collect());
}
