//! JUnit XML for CI dashboards: one test case per claim, failing with each
//! of its findings; findings outside any claim (a file that does not parse)
//! are a test case of their file.

use std::collections::BTreeMap;

use crate::check::Report;
use crate::diagnostic::Diagnostic;
use crate::model::FileId;

fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 cannot hold most control characters.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

pub fn render(report: &Report) -> String {
    // Each finding belongs to the claim it is in: the last claim of its file
    // starting at or before it (ids may repeat, places do not).
    let mut cases: BTreeMap<(FileId, usize), (String, Vec<&Diagnostic>)> = BTreeMap::new();
    for c in &report.claims {
        cases.insert((c.file, c.start), (c.id.clone(), Vec::new()));
    }
    let mut loose: BTreeMap<FileId, Vec<&Diagnostic>> = BTreeMap::new();
    for d in &report.diagnostics {
        // The nearest claim at or before the finding, in its file, with its id.
        let owner = cases
            .range((d.file, 0)..=(d.file, d.span.start))
            .rev()
            .find(|(_, (id, _))| d.claim.as_deref() == Some(id.as_str()))
            .map(|(k, _)| *k);
        match owner.and_then(|k| cases.get_mut(&k)) {
            Some((_, ds)) => ds.push(d),
            None => loose.entry(d.file).or_default().push(d),
        }
    }
    let mut body = String::new();
    let mut failures = 0;
    let mut tests = 0;
    let mut case = |class: &str, name: &str, ds: &[&Diagnostic], body: &mut String| {
        tests += 1;
        body.push_str(&format!("    <testcase classname=\"{}\" name=\"{}\">", xml(class), xml(name)));
        if !ds.is_empty() {
            failures += 1;
            let text: Vec<String> = ds
                .iter()
                .map(|d| {
                    let p = report.files.get(d.file).position(d.span.start);
                    format!(
                        "{}:{}:{}: {} [{}]{}",
                        report.files.get(d.file).name,
                        p.line,
                        p.column,
                        d.message,
                        d.rule.name,
                        d.help.as_ref().map_or(String::new(), |h| format!("\nhelp: {h}"))
                    )
                })
                .collect();
            body.push_str(&format!(
                "\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    ",
                xml(ds[0].rule.name),
                xml(&ds[0].message),
                xml(&text.join("\n"))
            ));
        }
        body.push_str("</testcase>\n");
    };
    for ((file, _), (id, ds)) in &cases {
        case(&report.files.get(*file).name, id, ds, &mut body);
    }
    for (file, ds) in &loose {
        case(&report.files.get(*file).name, "(file)", ds, &mut body);
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"citelint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n{body}  </testsuite>\n</testsuites>\n"
    )
}
