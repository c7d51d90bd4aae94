//! `co_stacksize` (`pymem::stackdepth`) against `compile()` in every real
//! interpreter.
//!
//! * `tests/fidelity/stackdepth/corpus.py`: the model must know the size of
//!   every code in it, and each must equal CPython's.
//! * every scenario in `tests/fidelity/scenarios/`: a code whose size the
//!   model claims to know must equal CPython's (one it does not know is
//!   refused by the interpreter wherever the size matters).
//!
//! Codes are matched by (file, first line, name); CPython's are listed by
//! walking `co_consts`, keeping optimized codes (`CO_OPTIMIZED`: functions,
//! lambdas, comprehensions; not the module or class bodies).

mod common;

use std::collections::BTreeMap;
use std::path::PathBuf;

use pymem::stackdepth::module_codes;

const LIST_CODES: &str = r#"
import sys, types
def walk(co):
    for c in co.co_consts:
        if isinstance(c, types.CodeType):
            if c.co_flags & 1:
                yield c
            yield from walk(c)
for i, path in enumerate(sys.argv[1:]):
    with open(path) as f:
        co = compile(f.read(), path, "exec")
    for c in walk(co):
        print(i, c.co_firstlineno, c.co_name, c.co_stacksize)
"#;

type Key = (usize, u32, String);

fn files() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fidelity");
    let mut v = vec![root.join("stackdepth/corpus.py")];
    let mut scen: Vec<PathBuf> = std::fs::read_dir(root.join("scenarios"))
        .expect("the scenarios directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "py"))
        .collect();
    scen.sort();
    v.extend(scen);
    v
}

#[test]
fn stack_sizes_match_compile() {
    let files = files();
    let sources: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).expect("a readable file"))
        .collect();
    let mut failures = Vec::new();
    for py in common::pythons() {
        let v = py.version;
        let args: Vec<&str> = files
            .iter()
            .map(|p| p.to_str().expect("a UTF-8 path"))
            .collect();
        let (out, _) = py.run(LIST_CODES, &args);
        let mut real: BTreeMap<Key, Vec<u32>> = BTreeMap::new();
        for l in out.lines() {
            let f: Vec<&str> = l.split(' ').collect();
            let key = (
                f[0].parse().expect("index"),
                f[1].parse().expect("line"),
                f[2].to_string(),
            );
            real.entry(key)
                .or_default()
                .push(f[3].parse().expect("stacksize"));
        }
        let mut model: BTreeMap<Key, Vec<Option<u32>>> = BTreeMap::new();
        for (i, (path, src)) in files.iter().zip(&sources).enumerate() {
            let module = pymem::parse::parse(&path.display().to_string(), src)
                .unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            for c in module_codes(v, &module) {
                model
                    .entry((i, c.line, c.name))
                    .or_default()
                    .push(c.stacksize);
            }
        }
        let (mut checked, mut unknown) = (0, 0);
        let keys: std::collections::BTreeSet<&Key> = real.keys().chain(model.keys()).collect();
        for key in keys {
            let file = files[key.0]
                .file_name()
                .map(|f| f.to_string_lossy().into_owned());
            let here = format!("{} {:?}:{} {}", v.as_str(), file, key.1, key.2);
            let mut r = real.get(key).cloned().unwrap_or_default();
            let m = model.get(key).cloned().unwrap_or_default();
            if m.iter().any(Option::is_none) {
                if key.0 == 0 {
                    failures.push(format!("{here}: the model does not know it"));
                }
                unknown += 1;
                continue;
            }
            let mut m: Vec<u32> = m.into_iter().flatten().collect();
            r.sort();
            m.sort();
            if r != m {
                failures.push(format!("{here}: CPython {r:?}, model {m:?}"));
            }
            checked += 1;
        }
        println!(
            "{}: {checked} codes checked, {unknown} unknown to the model",
            v.as_str()
        );
    }
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
