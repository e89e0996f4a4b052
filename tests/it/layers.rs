//! The house in layers: reads every `crate::…` path in the engine's and the load generator's
//! sources and fails on an import that goes up a layer or closes a cycle between top-level
//! modules, naming both modules and the file. The layers are ARCHITECTURE.md's.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The engine's top-level modules, lowest layer first; a module may import only from its own
/// layer (without a cycle) or the layers before it.
const ENGINE: &[(&str, u8)] = &[
    // The decision core.
    ("ids", 0),
    ("escalation", 0),
    ("sentiment", 0),
    ("detect", 0),
    ("signals", 0),
    ("ingest", 0),
    ("model", 0),
    ("frustration", 0),
    // Pure context, routing, waits, and the metric inventory.
    ("context", 1),
    ("routing", 1),
    ("wait", 1),
    ("telemetry", 1),
    ("journal", 1),
    // The one configuration schema over every section.
    ("config", 2),
    ("actors", 3),
    ("engine", 4),
    ("server", 5),
    // The command line.
    ("replay", 6),
    ("serve", 6),
    ("cli", 6),
];

const LOADGEN: &[(&str, u8)] = &[
    ("rng", 0),
    ("clock", 0),
    ("stats", 0),
    ("ledger", 0),
    ("script", 1),
    ("scenario", 1),
    ("oracle", 1),
    ("net", 2),
    ("driver", 3),
    ("faults", 3),
    ("report", 4),
    ("scrape", 4),
    ("run", 5),
    ("search", 6),
];

/// `from → to` with the files that make the edge.
type Graph = BTreeMap<(String, String), BTreeSet<String>>;

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The text without comments (line comments, doc comments and block comments), so a doc link
/// to a higher layer is not an import.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut code = line;
        // A `//` inside a string literal is rare in these sources and only hides a path.
        if let Some(i) = line.find("//") {
            code = &line[..i];
        }
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The first identifier of every path a `crate::` (or, from a top-level file, `super::`)
/// prefix starts, including each entry of a `crate::{a::b, c}` group.
fn targets(code: &str, prefixes: &[&str]) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for prefix in prefixes {
        let mut rest = code;
        while let Some(i) = rest.find(prefix) {
            let before = rest[..i].chars().next_back();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 1;
                let end = group
                    .char_indices()
                    .find(|&(_, c)| {
                        depth += match c {
                            '{' => 1,
                            '}' => -1,
                            _ => 0,
                        };
                        depth == 0
                    })
                    .map_or(group.len(), |(j, _)| j);
                for entry in split_top_level(&group[..end]) {
                    let word: String = entry
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !word.is_empty() {
                        found.insert(word);
                    }
                }
            } else {
                let word: String =
                    rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !word.is_empty() {
                    found.insert(word);
                }
            }
        }
    }
    found
}

fn split_top_level(group: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&group[start..]);
    parts
}

/// The module graph of one crate's `src` (the crate root and binaries left out).
fn graph(src: &Path, layers: &[(&str, u8)]) -> Graph {
    let mut files = Vec::new();
    sources(src, &mut files);
    let known: BTreeSet<&str> = layers.iter().map(|(m, _)| *m).collect();
    let mut edges = Graph::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("under src");
        let parts: Vec<String> =
            relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        if parts[0] == "bin" || parts == ["lib.rs"] || parts == ["main.rs"] {
            continue;
        }
        let top = parts[0].trim_end_matches(".rs").to_owned();
        assert!(
            known.contains(top.as_str()),
            "{}: module `{top}` has no layer in tests/it/layers.rs (and ARCHITECTURE.md)",
            relative.display()
        );
        // In `src/x.rs` and `src/x/mod.rs`, `super::` is the crate root.
        let at_root = parts.len() == 1 || (parts.len() == 2 && parts[1] == "mod.rs");
        let prefixes: &[&str] = if at_root { &["crate::", "super::"] } else { &["crate::"] };
        let text = std::fs::read_to_string(&file).expect("source file");
        for target in targets(&code_of(&text), prefixes) {
            if target != top && known.contains(target.as_str()) {
                edges
                    .entry((top.clone(), target))
                    .or_default()
                    .insert(relative.display().to_string());
            }
        }
    }
    edges
}

/// Upward imports and cycles, each named.
fn problems(edges: &Graph, layers: &[(&str, u8)]) -> Vec<String> {
    let layer: BTreeMap<&str, u8> = layers.iter().copied().collect();
    let mut problems = Vec::new();
    for ((from, to), files) in edges {
        if layer[to.as_str()] > layer[from.as_str()] {
            problems.push(format!(
                "upward import: {from} (layer {}) imports {to} (layer {}) in {files:?}",
                layer[from.as_str()],
                layer[to.as_str()]
            ));
        }
    }
    // A cycle: a path back to where it started, found by depth-first search.
    let next: BTreeMap<&str, Vec<&str>> = edges.keys().fold(BTreeMap::new(), |mut m, (a, b)| {
        m.entry(a.as_str()).or_insert_with(Vec::new).push(b.as_str());
        m
    });
    fn visit<'a>(
        node: &'a str,
        next: &BTreeMap<&'a str, Vec<&'a str>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
        cycles: &mut Vec<String>,
    ) {
        if let Some(i) = path.iter().position(|n| *n == node) {
            cycles.push(format!("cycle: {} -> {node}", path[i..].join(" -> ")));
            return;
        }
        if !done.insert(node) {
            return;
        }
        path.push(node);
        for to in next.get(node).into_iter().flatten() {
            visit(to, next, path, done, cycles);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for (module, _) in layers {
        visit(module, &next, &mut Vec::new(), &mut done, &mut problems);
    }
    problems
}

fn check(name: &str, src: &str, layers: &[(&str, u8)]) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join(src);
    let edges = graph(&src, layers);
    eprintln!("{name}: {} edges between top-level modules", edges.len());
    for (from, to) in edges.keys() {
        eprintln!("  {from} -> {to}");
    }
    let found = problems(&edges, layers);
    assert!(found.is_empty(), "{name}:\n{}", found.join("\n"));
}

#[test]
fn the_engine_imports_only_downward_without_cycles() {
    check("engine", "../engine/src", ENGINE);
}

#[test]
fn the_load_generator_imports_only_downward_without_cycles() {
    check("loadgen", "../loadgen/src", LOADGEN);
}

#[test]
fn the_check_sees_groups_cycles_and_upward_imports() {
    let code = "use crate::{a::X, b::{c, d}, e};\nuse super::f;\nlet x = crate::g::h();";
    let found = targets(code, &["crate::", "super::"]);
    assert_eq!(found, ["a", "b", "e", "f", "g"].into_iter().map(String::from).collect());
    assert!(targets("// use crate::a;", &["crate::"]).contains("a"), "targets alone sees all");
    assert!(targets(&code_of("// use crate::a;"), &["crate::"]).is_empty(), "comments are not");
    let layers = [("low", 0), ("high", 1)];
    let mut edges = Graph::new();
    edges.entry(("low".into(), "high".into())).or_default().insert("low.rs".into());
    edges.entry(("high".into(), "low".into())).or_default().insert("high.rs".into());
    let found = problems(&edges, &layers);
    assert!(found.iter().any(|p| p.starts_with("upward import: low (layer 0) imports high")));
    assert!(found.iter().any(|p| p.starts_with("cycle: ")), "{found:?}");
}
