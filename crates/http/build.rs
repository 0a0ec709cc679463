//! Lists, per operation, the problem codes its handler can raise as far as the handler
//! sources show: the `ProblemCode::…` its own body names and those of the helper functions
//! it calls (same file first, then the same area's files, the shared helper modules, and
//! any other handler file; three calls deep). Codes raised by
//! repositories are named in the responses' descriptions instead; `openapi::problem_codes`
//! merges both with each status's own codes into the document's `x-problem-codes`.

// A build script that cannot read its own sources must stop the build.
#![allow(clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::path::Path;

struct Func {
    file: usize,
    name: String,
    handler: bool,
    body: String,
}

fn codes_in(text: &str) -> BTreeSet<String> {
    text.split("ProblemCode::")
        .skip(1)
        .filter_map(|rest| {
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            let v = &rest[..end];
            v.chars()
                .next()
                .is_some_and(char::is_uppercase)
                .then(|| v.to_string())
        })
        .collect()
}

fn functions(file: usize, src: &str, out: &mut Vec<Func>) {
    // Every `fn name` at the start of a line (any visibility, async or not).
    let mut starts = vec![];
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let t = line.trim_start();
        let t = t
            .strip_prefix("pub(crate) ")
            .or_else(|| t.strip_prefix("pub "))
            .unwrap_or(t);
        let t = t.strip_prefix("async ").unwrap_or(t);
        if let Some(rest) = t.strip_prefix("fn ") {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            starts.push((offset, name));
        }
        offset += line.len();
    }
    for (i, (at, name)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(src.len(), |s| s.0);
        let mut from = at.saturating_sub(3000);
        while !src.is_char_boundary(from) {
            from += 1;
        }
        let before = &src[from..*at];
        let handler = before
            .rfind("#[utoipa::path")
            .is_some_and(|p| !before[p..].contains("\n}\n"));
        out.push(Func {
            file,
            name: name.clone(),
            handler,
            body: src[*at..end].to_string(),
        });
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src/handlers");
    // Handler files, and the files of an area split into a directory (`applications/…`).
    let mut files: Vec<std::path::PathBuf> = vec![];
    for e in std::fs::read_dir(Path::new("src/handlers")).expect("src/handlers") {
        let p = e.expect("src/handlers entry").path();
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            for e in std::fs::read_dir(&p).expect("handler area") {
                files.push(e.expect("handler area entry").path());
            }
        } else {
            files.push(p);
        }
    }
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    files.sort();
    // The area of a file: its directory under `src/handlers`, or the file itself.
    let areas: Vec<String> = files
        .iter()
        .map(|p| {
            let parent = p.parent().and_then(|d| d.file_name()).unwrap_or_default();
            if parent == "handlers" {
                p.file_stem()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            } else {
                parent.to_string_lossy().into_owned()
            }
        })
        .collect();
    // The helpers the handlers share (who may do what, shared reads).
    let shared_from = files.len();
    for shared in ["src/policy.rs", "src/lookups.rs"] {
        println!("cargo:rerun-if-changed={shared}");
        files.push(Path::new(shared).to_path_buf());
    }
    let mut fns = vec![];
    for (i, f) in files.iter().enumerate() {
        let src = std::fs::read_to_string(f).expect("handler source");
        functions(i, &src, &mut fns);
    }
    let own: Vec<BTreeSet<String>> = fns.iter().map(|f| codes_in(&f.body)).collect();
    let callees = |f: &Func| -> Vec<usize> {
        let mut found = BTreeMap::new();
        for (j, g) in fns.iter().enumerate() {
            if g.handler || g.name == f.name {
                continue;
            }
            let called = f.body.contains(&format!("{}(", g.name))
                || f.body.contains(&format!("{}::<", g.name));
            if !called {
                continue;
            }
            // A namesake is chosen by where it lives: the same file, then the same area,
            // then the shared helper modules, then another handler file.
            let rank = |k: usize| {
                if fns[k].file == f.file {
                    0
                } else if fns[k].file < shared_from && areas.get(fns[k].file) == areas.get(f.file) {
                    1
                } else if fns[k].file >= shared_from {
                    2
                } else {
                    3
                }
            };
            let e = found.entry(g.name.clone()).or_insert(j);
            if rank(j) < rank(*e) {
                *e = j;
            }
        }
        found.into_values().collect()
    };
    let mut out = String::from("&[\n");
    for f in fns.iter().filter(|f| f.handler) {
        let i = fns.iter().position(|g| std::ptr::eq(g, f)).unwrap_or(0);
        let mut codes = own[i].clone();
        let mut seen = BTreeSet::from([i]);
        let mut frontier = vec![i];
        for _ in 0..3 {
            let mut next = vec![];
            for j in frontier.into_iter().flat_map(|j| callees(&fns[j])) {
                if seen.insert(j) {
                    codes.extend(own[j].iter().cloned());
                    next.push(j);
                }
            }
            frontier = next;
        }
        // Whether the handler reads an optional caller (`Caller`): its public operation
        // checks a token that is sent.
        let signature = f.body.split('{').next().unwrap_or_default();
        let _ = write!(
            out,
            "    (\"{}\", {}, &[",
            f.name,
            signature.contains("Caller")
        );
        for c in codes {
            let _ = write!(out, "zhihui_domain::ProblemCode::{c}, ");
        }
        out.push_str("]),\n");
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("handler_codes.rs");
    std::fs::write(dest, out).expect("writing handler_codes.rs");
}
