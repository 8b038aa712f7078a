//! The module graph has no circles (issue 26): a module never imports from a
//! floor above it.
//!
//! Reads every file of the library (`src/`, without the binary's `main.rs`,
//! `cli.rs` and `cmd/`), takes each `crate::…` path (in `use` lines and
//! inline), and draws an edge from the file's top-level module to the
//! module the path names (`crate::site::Article` in `src/wechat/lints.rs` is
//! wechat → site; items of `lib.rs` itself are `lib`). A circle is a set of
//! modules that reach each other. Known circles are listed in `KNOWN`; the
//! test fails on a new one, and on a listed one that is gone or has changed,
//! so the list only shrinks. Run with `--nocapture` to see the floors.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Circles that exist today, each as its sorted module names. Remove a line
/// when its circle is broken; never add one.
const KNOWN: &[&[&str]] = &[];

/// The binary's files: they import the library as `pufa::`, from above.
const BINARY: &[&str] = &["main.rs", "cli.rs", "cmd"];

/// One `crate::` path: which file and line use it, and what it names.
#[derive(Debug, Clone)]
struct Use {
    file: String,
    line: usize,
    path: String,
}

type Graph = BTreeMap<String, BTreeMap<String, Vec<Use>>>;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The first segment of every path in a use tree after `crate::`:
/// `site::Article` → `site`; `{slug, time::{a, b}, yaml}` → slug, time, yaml.
fn heads(rest: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let Some(group) = rest.strip_prefix('{') else {
        return vec![ident(rest)];
    };
    let mut out = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && !c.is_whitespace() => {
                out.push(ident(&group[i..]));
                start = false;
            }
            _ => {}
        }
    }
    out
}

/// The path as written, for the report: `site::Article`, `content::{A, B}`.
fn path_at(rest: &str) -> String {
    let mut depth = 0;
    let mut end = rest.len();
    for (i, c) in rest.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    end = i + 1;
                    break;
                }
            }
            c if depth == 0 && !(c.is_alphanumeric() || matches!(c, '_' | ':')) => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    rest[..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

fn graph(src: &Path) -> (BTreeSet<String>, Graph) {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let top = |path: &Path| -> Option<String> {
        let rel = path.strip_prefix(src).unwrap();
        let first = rel.components().next()?.as_os_str().to_str()?.to_owned();
        if BINARY.contains(&first.as_str()) {
            return None;
        }
        Some(first.trim_end_matches(".rs").to_owned())
    };
    let modules: BTreeSet<String> = files.iter().filter_map(|f| top(f)).collect();
    let mut graph = Graph::new();
    for file in &files {
        let Some(from) = top(file) else { continue };
        graph.entry(from.clone()).or_default();
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(src.parent().unwrap()).unwrap();
        // Comment lines blanked, so doc text naming a path is no edge;
        // the whole text at once, so a use tree may span lines.
        let code: String = text
            .lines()
            .map(|l| {
                if l.trim_start().starts_with("//") {
                    ""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        if from == "lib" {
            // The crate root names its modules without `crate::`.
            lib_edges(&code, &modules, &mut graph);
        }
        let mut at = 0;
        while let Some(found) = code[at..].find("crate::") {
            let start = at + found;
            at = start + "crate::".len();
            let before = code[..start].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$') {
                continue;
            }
            let line = code[..start].matches('\n').count() + 1;
            let rest = &code[at..];
            let path = path_at(rest);
            for head in heads(rest) {
                let to = if modules.contains(&head) {
                    head
                } else {
                    "lib".to_owned()
                };
                if to == from {
                    continue;
                }
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .push(Use {
                        file: name.display().to_string(),
                        line,
                        path: format!("crate::{path}"),
                    });
            }
        }
    }
    (modules, graph)
}

/// Edges of `lib.rs`, which names its modules as `site::assemble` or
/// `use config::Config`.
fn lib_edges(code: &str, modules: &BTreeSet<String>, graph: &mut Graph) {
    for (n, line) in code.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("pub mod ") || trimmed.starts_with("mod ") {
            continue;
        }
        for (i, _) in line.match_indices("::") {
            let before = &line[..i];
            let start = before
                .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(0, |p| p + 1);
            let head = &before[start..];
            let prefixed = before[..start].ends_with("::");
            if prefixed || head == "lib" || !modules.contains(head) {
                continue;
            }
            graph
                .entry("lib".to_owned())
                .or_default()
                .entry(head.to_owned())
                .or_default()
                .push(Use {
                    file: "src/lib.rs".to_owned(),
                    line: n + 1,
                    path: format!("{head}::{}", path_at(&line[i + 2..])),
                });
        }
    }
}

/// Which modules each module reaches (itself excluded unless on a circle).
fn reach(graph: &Graph) -> BTreeMap<&str, BTreeSet<&str>> {
    let mut reach: BTreeMap<&str, BTreeSet<&str>> = graph
        .iter()
        .map(|(m, to)| (m.as_str(), to.keys().map(String::as_str).collect()))
        .collect();
    loop {
        let mut changed = false;
        let snapshot = reach.clone();
        for (m, set) in reach.iter_mut() {
            for via in snapshot[m].iter() {
                for far in snapshot.get(via).into_iter().flatten() {
                    changed |= set.insert(far);
                }
            }
        }
        if !changed {
            return reach;
        }
    }
}

/// The strongly connected components of more than one module.
fn circles<'a>(reach: &BTreeMap<&'a str, BTreeSet<&'a str>>) -> Vec<Vec<&'a str>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (&m, set) in reach {
        if seen.contains(m) || !set.contains(m) {
            continue;
        }
        let circle: Vec<&str> = set
            .iter()
            .copied()
            .filter(|o| reach[o].contains(m))
            .collect();
        seen.extend(circle.iter().copied());
        out.push(circle);
    }
    out
}

/// Floor of each module: 0 for one that imports nothing, else one above the
/// highest floor it imports from (a circle shares one floor).
fn floors<'a>(
    graph: &'a Graph,
    reach: &BTreeMap<&'a str, BTreeSet<&'a str>>,
) -> BTreeMap<&'a str, usize> {
    let mut floor: BTreeMap<&str, usize> = graph.keys().map(|m| (m.as_str(), 0)).collect();
    loop {
        let mut changed = false;
        for (m, to) in graph {
            for t in to.keys() {
                let same = reach[t.as_str()].contains(m.as_str());
                let want = floor[t.as_str()] + usize::from(!same);
                if want > floor[m.as_str()] {
                    floor.insert(m, want);
                    changed = true;
                }
            }
        }
        if !changed {
            return floor;
        }
    }
}

#[test]
fn no_new_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let (modules, graph) = graph(&src);
    let reach = reach(&graph);
    let found = circles(&reach);
    let floors = floors(&graph, &reach);

    let mut by_floor: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (m, f) in &floors {
        by_floor.entry(*f).or_default().push(m);
    }
    println!("{} modules on {} floors:", modules.len(), by_floor.len());
    for (f, ms) in &by_floor {
        println!("  {f:2}: {}", ms.join(" "));
    }
    println!("{} circles", found.len());
    let mut report = String::new();
    for circle in &found {
        report.push_str(&format!("circle: {}\n", circle.join(" ⇄ ")));
        for from in circle {
            for (to, uses) in &graph[*from] {
                if circle.contains(&to.as_str()) {
                    let u = &uses[0];
                    let more = if uses.len() > 1 {
                        format!(" (+{} more)", uses.len() - 1)
                    } else {
                        String::new()
                    };
                    report.push_str(&format!(
                        "  {from} → {to}: {}:{} {}{more}\n",
                        u.file, u.line, u.path
                    ));
                }
            }
        }
    }
    print!("{report}");

    let found: BTreeSet<Vec<&str>> = found.into_iter().collect();
    let known: BTreeSet<Vec<&str>> = KNOWN.iter().map(|c| c.to_vec()).collect();
    let new: Vec<_> = found.difference(&known).collect();
    let gone: Vec<_> = known.difference(&found).collect();
    assert!(
        new.is_empty() && gone.is_empty(),
        "the module graph changed its circles\n\
         new (a module imports from a floor above it; break the circle): {new:?}\n\
         gone or changed (remove or update them in KNOWN in tests/it/modules.rs): {gone:?}\n\
         {report}"
    );
}

#[test]
fn reads_use_trees() {
    assert_eq!(heads("site::Article;"), ["site"]);
    assert_eq!(
        heads("{slug, time::{a, b}, yaml};"),
        ["slug", "time", "yaml"]
    );
    assert_eq!(heads("{\n    a,\n    b::c,\n};"), ["a", "b"]);
}
