//! Fidelity of `pymem::layout` and `pymem::statics` against real CPython.
//!
//! For every modelled version the test finds the interpreter itself
//! (`tests/common`: pyenv, then `python3.X` on PATH; a missing version fails
//! unless `PYMEM_ALLOW_MISSING_PYTHON=1`), generates one Python program from
//! the groups below (harness: `tests/fidelity/layout_probe.py`), runs it, and
//! compares, step by step, the model with what the interpreter reports:
//!
//! * `sys.getsizeof` of the object a step built — exactly;
//! * the sizes of the blocks the step allocated and still holds, as seen by
//!   `tracemalloc` (requested sizes; a realloc shows as its new size) —
//!   exactly, except that requests the model marks as possibly served by a
//!   free list or a cache may be missing.
//!
//! Nothing expected here is typed in by hand: every number comes from the
//! model and is checked against the interpreter.

mod common;

use std::path::PathBuf;
use std::process::Command;

use pymem::layout::dict::{self, DictState, KeysKind};
use pymem::layout::instance::{ClassKeys, InstanceAttrs, InstanceShape};
use pymem::layout::list::ListState;
use pymem::layout::set::SetState;
use pymem::layout::{footprint, int_digits_for_bits, Footprint, Op, Part, Request, Shape, StrKind};
use pymem::statics::{self, RefcountModel, Singleton, Storage};
use pymem::Version;

// ---------------------------------------------------------------- plumbing

/// One traced step: `pre` (untraced), `code` (traced), `expr` (getsizeof), `aux`.
#[derive(Clone, Debug, Default)]
struct Step {
    pre: String,
    code: String,
    expr: String,
    aux: String,
}

fn step(code: impl Into<String>) -> Step {
    Step {
        code: code.into(),
        expr: "x".into(),
        ..Step::default()
    }
}

fn step_pre(pre: impl Into<String>, code: impl Into<String>) -> Step {
    Step {
        pre: pre.into(),
        ..step(code)
    }
}

/// What the model predicts for a step.
#[derive(Clone, Debug)]
struct Expect {
    getsizeof: Option<u64>,
    allocs: Allocs,
}

/// Expected live allocations of a step: `(bytes, may_be_cached)`.
#[derive(Clone, Debug)]
enum Allocs {
    /// Not checked.
    Skip,
    /// Observed = expected, except cached ones may be absent.
    Exact(Vec<(u64, bool)>),
    /// Every non-cached expected size is among the observed ones.
    Subset(Vec<(u64, bool)>),
}

type ExpectFn = Box<dyn Fn(Version, &[i64]) -> Vec<Expect> + Send + Sync>;

struct Group {
    name: String,
    setup: String,
    steps: Vec<Step>,
    expect: ExpectFn,
}

fn group(
    name: impl Into<String>,
    setup: impl Into<String>,
    steps: Vec<Step>,
    expect: impl Fn(Version, &[i64]) -> Vec<Expect> + Send + Sync + 'static,
) -> Group {
    Group {
        name: name.into(),
        setup: setup.into(),
        steps,
        expect: Box::new(expect),
    }
}

/// Which free list or cache could serve an object instead of the allocator.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Kind {
    List,
    Dict,
    Float,
    Tuple(u64),
    Method,
    CFunc,
    Slice,
    Frame,
    /// A one-character str / one-byte bytes (created on first use before 3.11, static after).
    Cached,
    /// `frozenset()` (a singleton in 3.8/3.9).
    EmptyFrozenSet,
    Other,
}

fn cacheable(v: Version, kind: Kind, r: &Request) -> bool {
    match r.part {
        Part::Object => match kind {
            Kind::List | Kind::Dict | Kind::Float | Kind::Slice | Kind::Cached => true,
            Kind::Tuple(n) => n >= 1 && n <= if v.minor() >= 11 { 20 } else { 19 },
            Kind::Method | Kind::CFunc => v.minor() == 8,
            Kind::Frame => v.minor() <= 10,
            Kind::EmptyFrozenSet => v.minor() <= 9,
            Kind::Other => false,
        },
        // keys_free_list: minimum-size tables (unicode-kind only from 3.11).
        Part::DictKeys => r.bytes == dict::keys_size(v, dict::LOG_MINSIZE, KeysKind::Unicode),
        _ => false,
    }
}

fn fp_allocs(v: Version, kind: Kind, fp: &Footprint) -> Vec<(u64, bool)> {
    fp.requests
        .iter()
        .map(|r| (r.bytes, cacheable(v, kind, r)))
        .collect()
}

fn exact(v: Version, kind: Kind, fp: &Footprint) -> Expect {
    Expect {
        getsizeof: Some(fp.getsizeof),
        allocs: Allocs::Exact(fp_allocs(v, kind, fp)),
    }
}

/// Sizes the ops leave allocated (allocations and realloc targets that are
/// not freed again by the same ops). A free first releases one of the blocks
/// in `before` (those alive before the step), else one allocated by the step.
fn op_allocs_after(v: Version, kind: Kind, before: &[Request], ops: &[Op]) -> Vec<(u64, bool)> {
    let mut old: Vec<(Part, u64)> = before.iter().map(|r| (r.part, r.bytes)).collect();
    let mut live: Vec<(Part, u64, bool)> = Vec::new();
    let release =
        |old: &mut Vec<(Part, u64)>, live: &mut Vec<(Part, u64, bool)>, part: Part, bytes: u64| {
            if let Some(i) = old.iter().position(|&(p, b)| p == part && b == bytes) {
                old.remove(i);
            } else if let Some(i) = live.iter().position(|&(p, b, _)| p == part && b == bytes) {
                live.remove(i);
            }
        };
    for op in ops {
        match *op {
            Op::Alloc(r) => live.push((r.part, r.bytes, cacheable(v, kind, &r))),
            Op::Realloc {
                part,
                old_bytes,
                new_bytes,
                ..
            } => {
                if let Some(o) = old_bytes {
                    release(&mut old, &mut live, part, o);
                }
                live.push((part, new_bytes, false));
            }
            Op::Free(r) => release(&mut old, &mut live, r.part, r.bytes),
            // The keys block stays allocated, now as the class's shared keys.
            Op::Share(r) => {
                if let Some(e) = old.iter_mut().find(|e| e.0 == r.part && e.1 == r.bytes) {
                    e.0 = Part::SharedKeys;
                } else if let Some(e) = live.iter_mut().find(|e| e.0 == r.part && e.1 == r.bytes) {
                    e.0 = Part::SharedKeys;
                }
            }
        }
    }
    live.into_iter().map(|(_, b, c)| (b, c)).collect()
}

fn op_allocs(v: Version, kind: Kind, ops: &[Op]) -> Vec<(u64, bool)> {
    op_allocs_after(v, kind, &[], ops)
}

fn ops_expect(v: Version, kind: Kind, getsizeof: u64, ops: &[Op]) -> Expect {
    Expect {
        getsizeof: Some(getsizeof),
        allocs: Allocs::Exact(op_allocs(v, kind, ops)),
    }
}

fn ops_expect_after(
    v: Version,
    kind: Kind,
    getsizeof: u64,
    before: &[Request],
    ops: &[Op],
) -> Expect {
    Expect {
        getsizeof: Some(getsizeof),
        allocs: Allocs::Exact(op_allocs_after(v, kind, before, ops)),
    }
}

/// The expectations for setting `attr0..attr{k-1}` on `o`, then reading
/// `o.__dict__` (which materialises the dict), then the class's own size.
fn attrs_then_dict(v: Version, c: &mut ClassKeys, o: &mut InstanceAttrs, k: usize) -> Vec<Expect> {
    let mut e = Vec::new();
    for i in 0..k {
        let before = class_blocks(c, &[&*o]);
        let ops = c.set_attr(o, &format!("attr{i}"));
        e.push(ops_expect_after(
            v,
            Kind::Dict,
            c.instance_footprint(o).getsizeof,
            &before,
            &ops,
        ));
    }
    let before = class_blocks(c, &[&*o]);
    let ops = c.materialize_dict(o);
    let dict_size = c
        .dict_state(o)
        .expect("__dict__ was materialised")
        .getsizeof(v);
    e.push(ops_expect_after(v, Kind::Dict, dict_size, &before, &ops));
    e.push(Expect {
        getsizeof: Some(footprint(v, &c.type_shape()).getsizeof),
        allocs: Allocs::Exact(vec![]),
    });
    e
}

/// Every block a class and some of its instances own.
fn class_blocks(c: &ClassKeys, insts: &[&InstanceAttrs]) -> Vec<Request> {
    let v = c.version();
    let mut r: Vec<Request> = c.cached_keys().map(|k| k.request(v)).into_iter().collect();
    for i in insts {
        r.extend(c.instance_footprint(i).requests);
        if let Some(d) = c.dict_footprint(i) {
            r.extend(d.requests);
        }
    }
    r
}

/// A Python string literal for `s`.
fn py(s: &str) -> String {
    let mut o = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => o.push_str("\\\\"),
            '\'' => o.push_str("\\'"),
            '\n' => o.push_str("\\n"),
            c => o.push(c),
        }
    }
    o.push('\'');
    o
}

fn program(groups: &[Group]) -> String {
    let mut src = String::from(include_str!("fidelity/layout_probe.py"));
    src.push_str("\nGROUPS = [\n");
    for g in groups {
        src.push_str(&format!("  ({}, {}, [\n", py(&g.name), py(&g.setup)));
        for s in &g.steps {
            src.push_str(&format!(
                "    ({}, {}, {}, {}),\n",
                py(&s.pre),
                py(&s.code),
                py(&s.expr),
                py(&s.aux)
            ));
        }
        src.push_str("  ]),\n");
    }
    src.push_str("]\nmain(GROUPS)\n");
    src
}

struct Observed {
    getsizeof: i64,
    aux: i64,
    sizes: Vec<u64>,
}

fn run_file(py: &common::Python, src: &str, tag: &str, args: &[&str]) -> String {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!(
        "layout_{tag}_{}_{}.py",
        py.version.as_str(),
        std::process::id()
    ));
    std::fs::write(&path, src).expect("write probe");
    let out = Command::new(&py.exe)
        .args(args)
        .arg(&path)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("PYTHONHASHSEED", "0")
        .env_remove("PYTHONMALLOC")
        .env_remove("PYTHONTRACEMALLOC")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", py.exe.display()));
    let _ = std::fs::remove_file(&path);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{} failed:\n{stderr}",
        py.exe.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn observe(py: &common::Python, groups: &[Group]) -> Vec<Vec<Observed>> {
    let stdout = run_file(py, &program(groups), "probe", &[]);
    let mut res: Vec<Vec<Observed>> = groups.iter().map(|_| Vec::new()).collect();
    for line in stdout.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 5, "bad line {line:?}");
        let gi: usize = f[0].parse().unwrap();
        let sizes = f[4]
            .split(',')
            .filter(|s| !s.is_empty())
            .map(|s| s.parse().unwrap())
            .collect();
        res[gi].push(Observed {
            getsizeof: f[2].parse().unwrap(),
            aux: f[3].parse().unwrap(),
            sizes,
        });
    }
    res
}

/// Compares one step; returns a description of the mismatch.
fn check(exp: &Expect, obs: &Observed) -> Option<String> {
    if let Some(g) = exp.getsizeof {
        if obs.getsizeof != g as i64 {
            return Some(format!("getsizeof: model {g}, python {}", obs.getsizeof));
        }
    }
    let (list, subset) = match &exp.allocs {
        Allocs::Skip => return None,
        Allocs::Exact(l) => (l, false),
        Allocs::Subset(l) => (l, true),
    };
    let mut left = obs.sizes.clone();
    let mut missing = Vec::new();
    let mut optional = Vec::new();
    for &(b, cached) in list {
        if let Some(i) = left.iter().position(|&o| o == b) {
            if !cached {
                left.remove(i);
            } else {
                optional.push(b);
            }
        } else if !cached {
            missing.push(b);
        }
    }
    for b in optional {
        if let Some(i) = left.iter().position(|&o| o == b) {
            left.remove(i);
        }
    }
    if !missing.is_empty() || (!subset && !left.is_empty()) {
        return Some(format!(
            "allocations: model {list:?}, python {:?}",
            obs.sizes
        ));
    }
    None
}

fn run_groups(groups: Vec<Group>) {
    let pythons = common::pythons();
    let groups = std::sync::Arc::new(groups);
    let handles: Vec<_> = pythons
        .into_iter()
        .map(|py| {
            let groups = groups.clone();
            std::thread::spawn(move || {
                let obs = observe(&py, &groups);
                let mut failures = Vec::new();
                let mut checked = 0;
                for (g, o) in groups.iter().zip(&obs) {
                    assert_eq!(o.len(), g.steps.len(), "{}: step count", g.name);
                    let aux: Vec<i64> = o.iter().map(|s| s.aux).collect();
                    let exp = (g.expect)(py.version, &aux);
                    assert_eq!(exp.len(), g.steps.len(), "{}: expectation count", g.name);
                    for (i, (e, s)) in exp.iter().zip(o).enumerate() {
                        checked += 1;
                        if let Some(msg) = check(e, s) {
                            failures.push(format!(
                                "{} {}[{i}] `{}`: {msg}",
                                py.version, g.name, g.steps[i].code
                            ));
                        }
                    }
                }
                (py.version, checked, failures)
            })
        })
        .collect();
    let mut all = Vec::new();
    for h in handles {
        let (v, checked, failures) = h.join().expect("probe thread");
        eprintln!(
            "{v}: {checked} steps checked, {} mismatches",
            failures.len()
        );
        all.extend(failures);
    }
    assert!(
        all.is_empty(),
        "{} mismatches:\n{}",
        all.len(),
        all.join("\n")
    );
}

// ---------------------------------------------------------------- groups

const COMMON_SETUP: &str = "\
x = None
a = 1000
b = 1000
c = 40000
s = 'abcdefghij' * 100
e = '\\xe9' * 1000
u = '\\u20ac' * 1000
w = '\\U0001F600' * 1000
bb = b'x' * 1000
fb = [b'\\xff' * k for k in range(1, 80)]
rs = [range(n) for n in range(300)]
";

fn scalar_groups() -> Vec<Group> {
    let mut g = Vec::new();

    // ints: PyLong_FromLong-style results and _PyLong_New(n) results.
    let mut steps = vec![
        step("x = a * b"),
        step("x = c * c"),
        step("x = -a"),
        step("x = a - a"),
    ];
    for k in 1..=64u64 {
        steps.push(step(format!("x = int.from_bytes(fb[{}], 'little')", k - 1)));
    }
    g.push(group("ints", COMMON_SETUP, steps, |v, _| {
        let mut e = vec![
            exact(v, Kind::Other, &footprint(v, &Shape::Int { digits: 1 })),
            exact(v, Kind::Other, &footprint(v, &Shape::Int { digits: 2 })),
            exact(v, Kind::Other, &footprint(v, &Shape::Int { digits: 1 })),
            Expect {
                getsizeof: Some(layout_int_sizeof(v, 0)),
                allocs: Allocs::Exact(vec![]),
            },
        ];
        for k in 1..=64u64 {
            let d = int_digits_for_bits(8 * k);
            let fp = footprint(
                v,
                &Shape::IntRaw {
                    digits: d,
                    allocated_digits: d,
                },
            );
            if k == 1 && v.minor() >= 11 {
                // 255: 3.11+ `_PyLong_FromByteArray` returns the cached small int.
                e.push(Expect {
                    getsizeof: Some(fp.getsizeof),
                    allocs: Allocs::Exact(vec![]),
                });
            } else {
                e.push(exact(v, Kind::Other, &fp));
            }
        }
        e
    }));

    g.push(group(
        "float_complex_object",
        COMMON_SETUP,
        vec![
            step("x = a * 1.5"),
            step("x = a * 1j"),
            step("x = object()"),
        ],
        |v, _| {
            vec![
                exact(v, Kind::Float, &footprint(v, &Shape::Float)),
                exact(v, Kind::Other, &footprint(v, &Shape::Complex)),
                exact(v, Kind::Other, &footprint(v, &Shape::Object)),
            ]
        },
    ));

    // str of each kind and many lengths (slices make fresh compact strings).
    let ascii_lens: Vec<u64> = (0..=80).chain([100, 200, 462, 463, 464, 600]).collect();
    let other_lens: Vec<u64> = (0..=40).collect();
    let mut steps = Vec::new();
    let mut plan = Vec::new();
    for &n in &ascii_lens {
        steps.push(step(format!("x = s[:{n}]")));
        plan.push((StrKind::Ascii, n));
    }
    for (var, kind) in [
        ("e", StrKind::Latin1),
        ("u", StrKind::Ucs2),
        ("w", StrKind::Ucs4),
    ] {
        for &n in &other_lens {
            steps.push(step(format!("x = {var}[:{n}]")));
            plan.push((kind, n));
        }
    }
    g.push(group("str", COMMON_SETUP, steps, move |v, _| {
        plan.iter()
            .map(|&(kind, n)| {
                let kind = if n == 0 { StrKind::Ascii } else { kind };
                let cached = n == 0 || (n == 1 && matches!(kind, StrKind::Ascii | StrKind::Latin1));
                let mut ex = exact(
                    v,
                    if cached { Kind::Cached } else { Kind::Other },
                    &footprint(v, &Shape::Str { kind, len: n }),
                );
                if n == 1 && cached {
                    // 'a' or '\xe9': the cached one-character str.
                    let ch = if kind == StrKind::Ascii { b'a' } else { 0xe9 };
                    ex.getsizeof = Some(statics::getsizeof(v, Singleton::Latin1Char(ch)));
                }
                ex
            })
            .collect()
    }));

    let lens: Vec<u64> = (0..=80).chain([479, 480, 600]).collect();
    let steps = lens.iter().map(|n| step(format!("x = bb[:{n}]"))).collect();
    g.push(group("bytes", COMMON_SETUP, steps, move |v, _| {
        lens.iter()
            .map(|&n| {
                exact(
                    v,
                    if n <= 1 { Kind::Cached } else { Kind::Other },
                    &footprint(v, &Shape::Bytes { len: n }),
                )
            })
            .collect()
    }));

    let steps = (0..=20)
        .map(|n| step(format!("x = bytearray(bb[:{n}])")))
        .collect();
    g.push(group("bytearray", COMMON_SETUP, steps, |v, _| {
        (0..=20u64)
            .map(|n| {
                let alloc = if n == 0 { 0 } else { n + 1 };
                exact(v, Kind::Other, &footprint(v, &Shape::ByteArray { alloc }))
            })
            .collect()
    }));

    let steps = (0..=70)
        .map(|n| step(format!("x = tuple(rs[{n}])")))
        .collect();
    g.push(group("tuple", COMMON_SETUP, steps, |v, _| {
        (0..=70u64)
            .map(|n| {
                let fp = footprint(v, &Shape::Tuple { len: n });
                if n == 0 {
                    Expect {
                        getsizeof: Some(fp.getsizeof),
                        allocs: Allocs::Exact(vec![]),
                    }
                } else {
                    exact(v, Kind::Tuple(n), &fp)
                }
            })
            .collect()
    }));
    g
}

fn layout_int_sizeof(v: Version, digits: u64) -> u64 {
    pymem::layout::int_getsizeof(v, digits)
}

fn list_groups() -> Vec<Group> {
    let mut g = Vec::new();
    let steps = (0..200).map(|_| step("x.append(None)")).collect();
    g.push(group(
        "list_append",
        format!("{COMMON_SETUP}x = []\n"),
        steps,
        |v, _| {
            let mut l = ListState::empty();
            (0..200)
                .map(|_| {
                    let ops = l.append(v);
                    ops_expect(v, Kind::List, l.getsizeof(), &ops)
                })
                .collect()
        },
    ));

    let steps = (0..100).map(|_| step("x.pop()")).collect();
    g.push(group(
        "list_pop",
        format!("{COMMON_SETUP}x = list(rs[100])\n"),
        steps,
        |v, _| {
            let mut l = ListState::from_sized(v, 100);
            (0..100)
                .map(|_| {
                    let ops = l.pop(v);
                    ops_expect(v, Kind::List, l.getsizeof(), &ops)
                })
                .collect()
        },
    ));

    let steps = (0..10).map(|_| step("x.extend(t)")).collect();
    g.push(group(
        "list_extend",
        format!("{COMMON_SETUP}x = []\nt = (None,) * 7\n"),
        steps,
        |v, _| {
            let mut l = ListState::empty();
            (0..10)
                .map(|_| {
                    let ops = l.extend_sized(v, 7);
                    ops_expect(v, Kind::List, l.getsizeof(), &ops)
                })
                .collect()
        },
    ));

    type Ctor = fn(Version, u64) -> ListState;
    let ctors: Vec<(&str, String, Ctor)> = vec![
        ("list_repeat", "x = [None] * {n}".into(), |_, n| {
            ListState::new_exact(n)
        }),
        (
            "list_sized",
            "x = list(rs[{n}])".into(),
            ListState::from_sized,
        ),
        ("list_sorted", "x = sorted(rs[{n}])".into(), |v, n| {
            ListState::from_iter(v, n, n)
        }),
    ];
    for (name, code, ctor) in ctors {
        let steps = (0..=40)
            .map(|n| step(code.replace("{n}", &n.to_string())))
            .collect();
        g.push(group(name, COMMON_SETUP, steps, move |v, _| {
            (0..=40)
                .map(|n| exact(v, Kind::List, &ctor(v, n).footprint()))
                .collect()
        }));
    }

    let steps = (0..=40)
        .map(|n| step_pre(format!("g = (i for i in rs[{n}])"), "x = list(g)"))
        .collect();
    g.push(group("list_from_generator", COMMON_SETUP, steps, |v, _| {
        (0..=40)
            .map(|n| exact(v, Kind::List, &ListState::from_iter(v, 8, n).footprint()))
            .collect()
    }));

    let consts = |n: u64| {
        (0..n)
            .map(|i| (1000 + i).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let vars = |n: u64| vec!["a"; n as usize].join(", ");
    let steps = (0..=40)
        .map(|n| step(format!("x = [{}]", consts(n))))
        .collect();
    g.push(group("list_display_const", COMMON_SETUP, steps, |v, _| {
        (0..=40)
            .map(|n| exact(v, Kind::List, &ListState::display(v, n, true).footprint()))
            .collect()
    }));
    let steps = (0..=40)
        .map(|n| step(format!("x = [{}]", vars(n))))
        .collect();
    g.push(group("list_display_var", COMMON_SETUP, steps, |v, _| {
        (0..=40)
            .map(|n| exact(v, Kind::List, &ListState::display(v, n, false).footprint()))
            .collect()
    }));
    // Comprehensions allocate a function/frame on the same line before 3.12: sizes only.
    let steps = (0..=40)
        .map(|n| step(format!("x = [i for i in rs[{n}]]")))
        .collect();
    g.push(group("list_comprehension", COMMON_SETUP, steps, |v, _| {
        (0..=40)
            .map(|n| {
                let mut l = ListState::empty();
                for _ in 0..n {
                    l.append(v);
                }
                Expect {
                    getsizeof: Some(l.getsizeof()),
                    allocs: Allocs::Skip,
                }
            })
            .collect()
    }));
    g
}

const DICT_SETUP: &str = "\
ks = ['k%d' % i for i in range(200)]
ki = [1000 + i for i in range(200)]
big = 10 ** 6
kn = 'new_key'
";

fn dict_expect(v: Version, d: &DictState, ops: &[Op]) -> Expect {
    ops_expect(v, Kind::Dict, d.getsizeof(v), ops)
}

fn dict_groups() -> Vec<Group> {
    let mut g = Vec::new();
    for (name, keys, str_keys) in [
        ("dict_insert_str", "ks", true),
        ("dict_insert_int", "ki", false),
    ] {
        let steps = (0..120)
            .map(|i| step(format!("x[{keys}[{i}]] = None")))
            .collect();
        g.push(group(
            name,
            format!("{COMMON_SETUP}{DICT_SETUP}x = {{}}\n"),
            steps,
            move |v, _| {
                let mut d = DictState::empty();
                (0..120)
                    .map(|_| {
                        let before = d.footprint(v).requests;
                        let ops = d.insert(v, str_keys);
                        ops_expect_after(v, Kind::Dict, d.getsizeof(v), &before, &ops)
                    })
                    .collect()
            },
        ));
    }

    for (name, str_keys) in [("dict_display_str", true), ("dict_display_int", false)] {
        let steps = (0..=30u64)
            .map(|n| {
                let items: Vec<String> = (0..n)
                    .map(|i| {
                        if str_keys {
                            format!("'k{i}': a")
                        } else {
                            format!("{}: a", 1000 + i)
                        }
                    })
                    .collect();
                step(format!("x = {{{}}}", items.join(", ")))
            })
            .collect();
        g.push(group(name, COMMON_SETUP, steps, move |v, _| {
            (0..=30)
                .map(|n| {
                    exact(
                        v,
                        Kind::Dict,
                        &DictState::display(v, n, str_keys).footprint(v),
                    )
                })
                .collect()
        }));
    }

    g.push(group(
        "dict_call",
        COMMON_SETUP,
        vec![step("x = dict()")],
        |v, _| vec![exact(v, Kind::Dict, &DictState::dict_call(v).footprint(v))],
    ));

    let built = |v: Version, n: u64| {
        let mut d = DictState::empty();
        for _ in 0..n {
            d.insert(v, true);
        }
        d
    };
    let steps = (0..=30)
        .map(|n| {
            step_pre(
                format!("src = {{ks[i]: None for i in range({n})}}"),
                "x = src.copy()",
            )
        })
        .collect();
    g.push(group(
        "dict_copy",
        format!("{COMMON_SETUP}{DICT_SETUP}"),
        steps,
        move |v, _| {
            (0..=30)
                .map(|n| {
                    let (d, ops) = built(v, n).copy(v);
                    let mut allocs = vec![(64, true)];
                    allocs.extend(op_allocs(v, Kind::Dict, &ops));
                    Expect {
                        getsizeof: Some(d.getsizeof(v)),
                        allocs: Allocs::Exact(allocs),
                    }
                })
                .collect()
        },
    ));

    let sparse_ns: Vec<u64> = (1..=30).chain([42, 43, 85, 86]).collect();
    let steps = sparse_ns
        .iter()
        .map(|n| {
            step_pre(
                format!(
                    "src = {{ks[i]: None for i in range({})}}\ndel src[ks[0]]\nx = {{}}",
                    n + 1
                ),
                "x.update(src)",
            )
        })
        .collect();
    g.push(group(
        "dict_update_sparse",
        format!("{COMMON_SETUP}{DICT_SETUP}"),
        steps,
        move |v, _| {
            sparse_ns
                .iter()
                .map(|&n| {
                    let mut src = built(v, n + 1);
                    src.delete();
                    let mut d = DictState::empty();
                    let ops = d.merge(v, &src);
                    dict_expect(v, &d, &ops)
                })
                .collect()
        },
    ));

    let steps = (0..=22)
        .map(|n| {
            step_pre(
                format!("x = {{ks[i]: None for i in range({n})}}"),
                "x[big] = None",
            )
        })
        .collect();
    g.push(group(
        "dict_mixed_keys",
        format!("{COMMON_SETUP}{DICT_SETUP}"),
        steps,
        move |v, _| {
            (0..=22)
                .map(|n| {
                    let mut d = built(v, n);
                    let before = d.footprint(v).requests;
                    let ops = d.insert(v, false);
                    ops_expect_after(v, Kind::Dict, d.getsizeof(v), &before, &ops)
                })
                .collect()
        },
    ));

    let cases = [
        (5, 4),
        (5, 5),
        (5, 3),
        (5, 2),
        (10, 9),
        (10, 8),
        (10, 7),
        (10, 6),
        (21, 20),
        (21, 21),
    ];
    let steps = cases
        .iter()
        .map(|(n, k)| {
            step_pre(
                format!(
                    "x = {{ks[i]: None for i in range({n})}}\nfor i in range({k}): del x[ks[i]]"
                ),
                "x[kn] = None",
            )
        })
        .collect();
    g.push(group(
        "dict_delete_insert",
        format!("{COMMON_SETUP}{DICT_SETUP}"),
        steps,
        move |v, _| {
            cases
                .iter()
                .map(|&(n, k)| {
                    let mut d = built(v, n);
                    for _ in 0..k {
                        d.delete();
                    }
                    let before = d.footprint(v).requests;
                    let ops = d.insert(v, true);
                    ops_expect_after(v, Kind::Dict, d.getsizeof(v), &before, &ops)
                })
                .collect()
        },
    ));
    g
}

fn set_groups() -> Vec<Group> {
    let mut g = Vec::new();
    let steps = (0..120).map(|i| step(format!("x.add(ki[{i}])"))).collect();
    g.push(group(
        "set_add",
        format!("{COMMON_SETUP}{DICT_SETUP}x = set()\n"),
        steps,
        |v, _| {
            let mut s = SetState::empty();
            (0..120)
                .map(|_| {
                    let before = s.footprint().requests;
                    let ops = s.add();
                    ops_expect_after(v, Kind::Other, s.getsizeof(), &before, &ops)
                })
                .collect()
        },
    ));

    let var_setup: String = (0..40).map(|i| format!("v{i} = {}\n", 1000 + i)).collect();
    for (name, all_const) in [("set_display_const", true), ("set_display_var", false)] {
        let steps = (0..=30u64)
            .map(|n| {
                if n == 0 {
                    return step("x = set()");
                }
                let items: Vec<String> = (0..n)
                    .map(|i| {
                        if all_const {
                            (1000 + i).to_string()
                        } else {
                            format!("v{i}")
                        }
                    })
                    .collect();
                step(format!("x = {{{}}}", items.join(", ")))
            })
            .collect();
        g.push(group(
            name,
            format!("{COMMON_SETUP}{var_setup}"),
            steps,
            move |v, _| {
                (0..=30)
                    .map(|n| {
                        exact(
                            v,
                            Kind::Other,
                            &SetState::display(v, n, all_const).footprint(),
                        )
                    })
                    .collect()
            },
        ));
    }

    for (name, code) in [
        ("set_from_range", "x = set(rs[{n}])"),
        ("frozenset_from_range", "x = frozenset(rs[{n}])"),
    ] {
        let frozen = name.starts_with("frozen");
        let steps = (0..=80)
            .map(|n| step(code.replace("{n}", &n.to_string())))
            .collect();
        g.push(group(name, COMMON_SETUP, steps, move |v, _| {
            (0..=80)
                .map(|n| {
                    let kind = if frozen && n == 0 {
                        Kind::EmptyFrozenSet
                    } else {
                        Kind::Other
                    };
                    exact(v, kind, &SetState::from_adds(n).footprint())
                })
                .collect()
        }));
    }

    let steps = (0..=80)
        .map(|n| step_pre(format!("src = set(rs[{n}])"), "x = src.copy()"))
        .collect();
    g.push(group("set_copy", COMMON_SETUP, steps, |v, _| {
        (0..=80)
            .map(|n| exact(v, Kind::Other, &SetState::from_merge(n).footprint()))
            .collect()
    }));
    g
}

const INST_SETUP: &str = "\
names = [sys.intern('attr%d' % i) for i in range(60)]
keep = [None] * 60
x = y = d = da = db = dc = None
";

fn instance_groups() -> Vec<Group> {
    let mut g = Vec::new();
    // A fresh class per attribute count; first instance gets k attributes.
    for k in [0u64, 1, 2, 5, 6, 10, 11, 21, 22, 28, 29, 30, 31, 40] {
        let mut steps = vec![step("x = C()")];
        steps.extend((0..k).map(|i| step(format!("setattr(x, names[{i}], None)"))));
        steps.push(Step {
            code: "d = x.__dict__".into(),
            expr: "d".into(),
            ..Step::default()
        });
        steps.push(Step {
            code: "pass".into(),
            expr: "C".into(),
            ..Step::default()
        });
        g.push(group(
            format!("instance_fresh_{k}"),
            format!("{INST_SETUP}class C: pass\n"),
            steps,
            move |v, _| {
                let mut c = ClassKeys::plain(v);
                let (mut o, ops) = c.new_instance();
                let mut e = vec![ops_expect(
                    v,
                    Kind::Other,
                    c.instance_footprint(&o).getsizeof,
                    &ops,
                )];
                e.extend(attrs_then_dict(v, &mut c, &mut o, k as usize));
                e
            },
        ));
    }

    // Many instances of one class: the 3.11+ values arrays shrink.
    let steps = (0..40)
        .map(|i| Step {
            code: format!("keep[{i}] = D()"),
            expr: format!("keep[{i}]"),
            ..Step::default()
        })
        .collect();
    g.push(group(
        "instance_many",
        format!("{INST_SETUP}class D: pass\n"),
        steps,
        |v, _| {
            let mut c = ClassKeys::plain(v);
            (0..40)
                .map(|_| {
                    let (o, ops) = c.new_instance();
                    ops_expect(v, Kind::Other, c.instance_footprint(&o).getsizeof, &ops)
                })
                .collect()
        },
    ));

    // A second instance filled past the shared keys' capacity.
    let mut steps = vec![
        Step {
            code: "y = C()".into(),
            expr: "y".into(),
            ..Step::default()
        },
        step("x = C()"),
    ];
    steps.extend((0..40).map(|i| step(format!("setattr(x, names[{i}], None)"))));
    steps.push(Step {
        code: "d = x.__dict__".into(),
        expr: "d".into(),
        ..Step::default()
    });
    steps.push(Step {
        code: "pass".into(),
        expr: "C".into(),
        ..Step::default()
    });
    g.push(group(
        "instance_second",
        format!("{INST_SETUP}class C: pass\n"),
        steps,
        |v, _| {
            let mut c = ClassKeys::plain(v);
            let (y, ops_y) = c.new_instance();
            let (mut o, ops) = c.new_instance();
            let mut e = vec![
                ops_expect(v, Kind::Other, c.instance_footprint(&y).getsizeof, &ops_y),
                ops_expect(v, Kind::Other, c.instance_footprint(&o).getsizeof, &ops),
            ];
            e.extend(attrs_then_dict(v, &mut c, &mut o, 40));
            e
        },
    ));

    // Attribute order and deletion (3.8-3.10 stop sharing keys).
    let script: Vec<(&str, &str)> = vec![
        ("x = D()", "x"),
        ("setattr(x, names[0], None)", "x"),
        ("setattr(x, names[1], None)", "x"),
        ("y = D()", "y"),
        ("setattr(y, names[1], None)", "y"),
        ("setattr(y, names[0], None)", "y"),
        ("da = x.__dict__", "da"),
        ("db = y.__dict__", "db"),
        ("keep[0] = D()", "keep[0]"),
        ("setattr(keep[0], names[0], None)", "keep[0]"),
        ("dc = keep[0].__dict__", "dc"),
        ("delattr(x, names[0])", "da"),
        ("keep[1] = D()", "keep[1]"),
        ("setattr(keep[1], names[2], None)", "keep[1].__dict__"),
        ("pass", "D"),
    ];
    let steps = script
        .iter()
        .map(|(c, e)| Step {
            code: c.to_string(),
            expr: e.to_string(),
            ..Step::default()
        })
        .collect();
    g.push(group(
        "instance_order_delete",
        format!("{INST_SETUP}class D: pass\n"),
        steps,
        |v, _| {
            let mut c = ClassKeys::plain(v);
            let mut e = Vec::new();
            let inst = |c: &ClassKeys, o: &InstanceAttrs| c.instance_footprint(o).getsizeof;
            let dsz = |c: &ClassKeys, o: &InstanceAttrs| c.dict_state(o).unwrap().getsizeof(v);
            let (mut x, ops) = c.new_instance();
            e.push(ops_expect(v, Kind::Other, inst(&c, &x), &ops));
            for n in ["attr0", "attr1"] {
                let before = class_blocks(&c, &[&x]);
                let ops = c.set_attr(&mut x, n);
                e.push(ops_expect_after(v, Kind::Dict, inst(&c, &x), &before, &ops));
            }
            let (mut y, ops) = c.new_instance();
            e.push(ops_expect(v, Kind::Other, inst(&c, &y), &ops));
            for n in ["attr1", "attr0"] {
                let before = class_blocks(&c, &[&y]);
                let ops = c.set_attr(&mut y, n);
                e.push(ops_expect_after(v, Kind::Dict, inst(&c, &y), &before, &ops));
            }
            let before = class_blocks(&c, &[&x]);
            let ops = c.materialize_dict(&mut x);
            e.push(ops_expect_after(v, Kind::Dict, dsz(&c, &x), &before, &ops));
            let before = class_blocks(&c, &[&y]);
            let ops = c.materialize_dict(&mut y);
            e.push(ops_expect_after(v, Kind::Dict, dsz(&c, &y), &before, &ops));
            let (mut z, ops) = c.new_instance();
            e.push(ops_expect(v, Kind::Other, inst(&c, &z), &ops));
            let before = class_blocks(&c, &[&z]);
            let ops = c.set_attr(&mut z, "attr0");
            e.push(ops_expect_after(v, Kind::Dict, inst(&c, &z), &before, &ops));
            let before = class_blocks(&c, &[&z]);
            let ops = c.materialize_dict(&mut z);
            e.push(ops_expect_after(v, Kind::Dict, dsz(&c, &z), &before, &ops));
            let before = class_blocks(&c, &[&x]);
            let ops = c.del_attr(&mut x, "attr0");
            e.push(ops_expect_after(v, Kind::Dict, dsz(&c, &x), &before, &ops));
            let (mut q, ops) = c.new_instance();
            e.push(ops_expect(v, Kind::Other, inst(&c, &q), &ops));
            let before = class_blocks(&c, &[&q]);
            let ops = c.set_attr(&mut q, "attr2");
            let mut q2 = q.clone();
            let mut c2 = c.clone();
            c2.materialize_dict(&mut q2);
            e.push(Expect {
                getsizeof: Some(c2.dict_state(&q2).unwrap().getsizeof(v)),
                allocs: Allocs::Exact(op_allocs_after(v, Kind::Dict, &before, &ops)),
            });
            e.push(Expect {
                getsizeof: Some(footprint(v, &c.type_shape()).getsizeof),
                allocs: Allocs::Exact(vec![]),
            });
            e
        },
    ));

    // __slots__ and managed-dict variants.
    let variants: Vec<(&str, &str, InstanceShape)> = vec![
        ("slots0", "__slots__ = ()", InstanceShape::with_slots(0)),
        (
            "slots1",
            "__slots__ = ('p0',)",
            InstanceShape::with_slots(1),
        ),
        (
            "slots3",
            "__slots__ = ('p0', 'p1', 'p2')",
            InstanceShape::with_slots(3),
        ),
        (
            "slots5",
            "__slots__ = ('p0', 'p1', 'p2', 'p3', 'p4')",
            InstanceShape::with_slots(5),
        ),
        (
            "slot_dict",
            "__slots__ = ('p0', '__dict__')",
            InstanceShape {
                slots: 1,
                dict: true,
                ..InstanceShape::default()
            },
        ),
        (
            "slot_weakref",
            "__slots__ = ('p0', '__weakref__')",
            InstanceShape {
                slots: 1,
                weakref: true,
                ..InstanceShape::default()
            },
        ),
        (
            "only_dict",
            "__slots__ = ('__dict__',)",
            InstanceShape {
                dict: true,
                ..InstanceShape::default()
            },
        ),
        (
            "dict_weakref",
            "__slots__ = ('__dict__', '__weakref__')",
            InstanceShape {
                dict: true,
                weakref: true,
                ..InstanceShape::default()
            },
        ),
    ];
    for (name, body, shape) in variants {
        let mut steps = vec![step("x = S()")];
        let nattrs = if shape.dict { 3 } else { 0 };
        steps.extend((0..nattrs).map(|i| step(format!("setattr(x, names[{i}], None)"))));
        steps.push(Step {
            code: "pass".into(),
            expr: "S".into(),
            ..Step::default()
        });
        let setup = format!("{INST_SETUP}class S:\n    {body}\n");
        g.push(group(
            format!("instance_{name}"),
            setup,
            steps,
            move |v, _| {
                let mut c = ClassKeys::new(v, shape);
                let (mut o, ops) = c.new_instance();
                let mut e = vec![ops_expect(
                    v,
                    Kind::Other,
                    c.instance_footprint(&o).getsizeof,
                    &ops,
                )];
                for i in 0..nattrs {
                    let before = class_blocks(&c, &[&o]);
                    let ops = c.set_attr(&mut o, &format!("attr{i}"));
                    e.push(ops_expect_after(
                        v,
                        Kind::Dict,
                        c.instance_footprint(&o).getsizeof,
                        &before,
                        &ops,
                    ));
                }
                e.push(Expect {
                    getsizeof: Some(footprint(v, &c.type_shape()).getsizeof),
                    allocs: Allocs::Exact(vec![]),
                });
                e
            },
        ));
    }
    // Subclass of a slotted class: slots + dict + weakref.
    let steps = vec![
        step("x = T()"),
        step("setattr(x, names[0], None)"),
        Step {
            code: "pass".into(),
            expr: "T".into(),
            ..Step::default()
        },
    ];
    let setup =
        format!("{INST_SETUP}class S:\n    __slots__ = ('p0', 'p1', 'p2')\nclass T(S): pass\n");
    g.push(group("instance_slotted_subclass", setup, steps, |v, _| {
        let mut c = ClassKeys::new(
            v,
            InstanceShape {
                slots: 3,
                dict: true,
                weakref: true,
                ..InstanceShape::default()
            },
        );
        let (mut o, ops) = c.new_instance();
        let mut e = vec![ops_expect(
            v,
            Kind::Other,
            c.instance_footprint(&o).getsizeof,
            &ops,
        )];
        let before = class_blocks(&c, &[&o]);
        let ops = c.set_attr(&mut o, "attr0");
        e.push(ops_expect_after(
            v,
            Kind::Dict,
            c.instance_footprint(&o).getsizeof,
            &before,
            &ops,
        ));
        // The subclass adds no member descriptors of its own.
        let mut t = footprint(v, &c.type_shape());
        t.requests.truncate(1);
        e.push(Expect {
            getsizeof: Some(t.getsizeof),
            allocs: Allocs::Exact(vec![]),
        });
        e
    }));

    // Class creation: the type object and its cached keys are among the allocations.
    let classes: Vec<(&str, InstanceShape)> = vec![
        ("class C: pass", InstanceShape::plain()),
        (
            "class C:\n    __slots__ = ('p0', 'p1', 'p2')",
            InstanceShape::with_slots(3),
        ),
        (
            "class C:\n    __slots__ = ('p0', '__dict__')",
            InstanceShape {
                slots: 1,
                dict: true,
                ..InstanceShape::default()
            },
        ),
    ];
    let steps = classes
        .iter()
        .map(|(src, _)| Step {
            code: src.to_string(),
            expr: "C".into(),
            ..Step::default()
        })
        .collect();
    g.push(group("type_objects", INST_SETUP, steps, move |v, _| {
        classes
            .iter()
            .map(|(_, shape)| {
                let c = ClassKeys::new(v, *shape);
                let fp = footprint(v, &c.type_shape());
                Expect {
                    getsizeof: Some(fp.getsizeof),
                    allocs: Allocs::Subset(fp_allocs(v, Kind::Other, &fp)),
                }
            })
            .collect()
    }));
    g
}

fn misc_groups() -> Vec<Group> {
    let setup = format!(
        "{COMMON_SETUP}\
import types, weakref
def mk():
    v = 1
    return (lambda: v).__closure__[0]
mk()
class K:
    def m(self): pass
k = K()
lst = []
def f(): pass
def g0():
    yield 1
def g1(p, q):
    r = p + q
    yield r
    yield (p, q, r, p, q, r)
def g2():
    xs = [1, 2, 3]; ys = {{}}; zs = None
    for i in xs: yield (i, ys, zs, i, i, i, i, i)
def f4(p, q, r, t):
    e = f = g = 1
    return sys._getframe()
o = None
"
    );
    let slots = "len(x.{c}.co_varnames) + len(x.{c}.co_cellvars) + len(x.{c}.co_freevars) + x.{c}.co_stacksize";
    let gen_aux = slots.replace("{c}", "gi_code");
    let frame_aux = slots.replace("{c}", "f_code");
    let mut steps = vec![
        step("def x(): pass"),
        step("x = lambda: a"),
        step("x = mk()"),
        step("x = k.m"),
        step("x = lst.append"),
        step_pre("o = K()", "x = weakref.ref(o)"),
        step("x = property()"),
        step("x = staticmethod(f)"),
        step("x = classmethod(f)"),
        step("x = range(100)"),
        step("x = slice(a, b)"),
        step("x = types.ModuleType('m')"),
    ];
    for code in ["x = g0()", "x = g1(1, 2)", "x = g2()"] {
        steps.push(Step {
            aux: gen_aux.clone(),
            ..step(code)
        });
    }
    steps.push(Step {
        aux: frame_aux,
        ..step("x = f4(1, 2, 3, 4)")
    });
    g_misc(setup, steps)
}

fn g_misc(setup: String, steps: Vec<Step>) -> Vec<Group> {
    vec![group("misc", setup, steps, |v, aux| {
        let one = |kind: Kind, shape: Shape| exact(v, kind, &footprint(v, &shape));
        let mut e = vec![
            one(Kind::Other, Shape::Function),
            one(Kind::Other, Shape::Function),
            one(Kind::Other, Shape::Cell),
            one(Kind::Method, Shape::Method),
            one(Kind::CFunc, Shape::BuiltinMethod),
            one(Kind::Other, Shape::WeakRef),
            one(Kind::Other, Shape::Property),
            one(Kind::Other, Shape::StaticMethod),
            one(Kind::Other, Shape::StaticMethod),
            one(Kind::Other, Shape::Range),
            one(Kind::Slice, Shape::Slice),
        ];
        // A module also gets its __dict__ (64-byte dict + 8-slot str keys).
        let m = footprint(v, &Shape::Module);
        let mut allocs = fp_allocs(v, Kind::Other, &m);
        allocs.extend(fp_allocs(
            v,
            Kind::Dict,
            &DictState::display(v, 5, true).footprint(v),
        ));
        e.push(Expect {
            getsizeof: Some(m.getsizeof),
            allocs: Allocs::Exact(allocs),
        });
        for &slots in &aux[12..15] {
            let slots = slots as u64;
            let gen = footprint(v, &Shape::Generator { frame_slots: slots });
            let mut allocs = fp_allocs(v, Kind::Other, &gen);
            if v.minor() <= 10 {
                // The generator's frame object is separate (maybe a code's zombie frame).
                allocs.extend(fp_allocs(
                    v,
                    Kind::Frame,
                    &footprint(v, &Shape::Frame { slots }),
                ));
            }
            e.push(Expect {
                getsizeof: Some(gen.getsizeof),
                allocs: Allocs::Exact(allocs),
            });
        }
        let frame = footprint(
            v,
            &Shape::Frame {
                slots: aux[15] as u64,
            },
        );
        e.push(Expect {
            getsizeof: Some(frame.getsizeof),
            allocs: Allocs::Skip,
        });
        e
    })]
}

#[test]
fn layouts_match_real_interpreters() {
    let mut groups = scalar_groups();
    groups.extend(list_groups());
    groups.extend(dict_groups());
    groups.extend(set_groups());
    groups.extend(instance_groups());
    groups.extend(misc_groups());
    run_groups(groups);
}

// ---------------------------------------------------------------- statics

const STATICS_PROBE: &str = r#"
import sys, tracemalloc
def rc(o):
    return sys.getrefcount(o)
objs = [
    ('None', None), ('True', True), ('False', False), ('Ellipsis', ...), ('NotImplemented', NotImplemented),
    ('int:-5', -5), ('int:0', 0), ('int:1', 1), ('int:256', 256),
    ('()', ()), ("''", ''), ("chr:97", 'a'), ("chr:233", chr(233)), ("b''", b''), ("byte:97", b'a'), ("byte:200", bytes([200])),
    ('frozenset()', frozenset()),
]
for name, o in objs:
    print('rc', name, rc(o))
    print('size', name, sys.getsizeof(o))
def same(f):
    return 'T' if f() is f() else 'F'
print('is', 'int:256', same(lambda: int('256')))
print('is', 'int:257', same(lambda: int('257')))
print('is', 'int:-5', same(lambda: int('-5')))
print('is', 'int:-6', same(lambda: int('-6')))
print('is', 'chr:200', same(lambda: chr(200)))
print('is', 'chr:300', same(lambda: chr(300)))
print('is', 'byte:200', same(lambda: bytes([200])))
print('is', 'frozenset()', same(lambda: frozenset()))
print('lazy', 'chr:250', 'T' if tracemalloc.get_object_traceback(chr(250)) is not None else 'F')
print('lazy', 'byte:251', 'T' if tracemalloc.get_object_traceback(bytes([251])) is not None else 'F')
print('lazy', 'int:7', 'T' if tracemalloc.get_object_traceback(7) is not None else 'F')
s = ''.join(['runtime_', 'interned'])
t = sys.intern(s)
print('intern', 'runtime', rc(t))
ns = {}
exec(compile('zq_code_name_77 = 1', '<x>', 'exec'), ns)
key = [k for k in ns if k.startswith('zq_')][0]
print('intern', 'codename', rc(key))
c1 = eval("'abc_def_ghi'"); c2 = eval("'abc_def_ghi'")
print('intern', 'constant', rc(c1), 'T' if c1 is c2 else 'F')
c3 = eval("'abc def'"); c4 = eval("'abc def'")
print('intern', 'spaced', 'T' if c3 is c4 else 'F')
"#;

fn singleton(name: &str) -> Singleton {
    match name {
        "None" => Singleton::None,
        "True" => Singleton::True,
        "False" => Singleton::False,
        "Ellipsis" => Singleton::Ellipsis,
        "NotImplemented" => Singleton::NotImplemented,
        "()" => Singleton::EmptyTuple,
        "''" => Singleton::EmptyStr,
        "b''" => Singleton::EmptyBytes,
        "frozenset()" => Singleton::EmptyFrozenSet,
        _ => {
            let (kind, n) = name.split_once(':').expect("kind:value");
            match kind {
                "int" => Singleton::SmallInt(n.parse().unwrap()),
                "chr" => Singleton::Latin1Char(n.parse::<u32>().unwrap().min(255) as u8),
                "byte" => Singleton::Byte(n.parse().unwrap()),
                _ => panic!("{name}"),
            }
        }
    }
}

fn check_statics(v: Version, out: &str) -> Vec<String> {
    let mut bad = Vec::new();
    for line in out.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f[0] {
            "rc" => {
                let n: u64 = f[2].parse().unwrap();
                let ok = match statics::refcount_model(v, singleton(f[1])) {
                    RefcountModel::Immortal(x) => n == x,
                    RefcountModel::StaticBase(base) => n > base && n < 2 * base,
                    RefcountModel::Counted => n < statics::STATIC_REFCNT_BASE_311,
                };
                if !ok {
                    bad.push(format!(
                        "{v} getrefcount({}) = {n} vs {:?}",
                        f[1],
                        statics::refcount_model(v, singleton(f[1]))
                    ));
                }
            }
            "size" => {
                let n: u64 = f[2].parse().unwrap();
                let m = statics::getsizeof(v, singleton(f[1]));
                if n != m {
                    bad.push(format!("{v} getsizeof({}) = {n}, model {m}", f[1]));
                }
            }
            "is" => {
                let cached = match f[1] {
                    "chr:300" => false,
                    name if name.starts_with("int:") => {
                        statics::is_small_int(name[4..].parse().unwrap())
                    }
                    name => statics::storage(v, singleton(name)) != Storage::NotCached,
                };
                if cached != (f[2] == "T") {
                    bad.push(format!(
                        "{v} identity of {}: python {}, model cached={cached}",
                        f[1], f[2]
                    ));
                }
            }
            "lazy" => {
                let lazy = statics::storage(v, singleton(f[1])) == Storage::OnFirstUse;
                if lazy != (f[2] == "T") {
                    bad.push(format!(
                        "{v} {} allocated on first use: python {}, model {lazy}",
                        f[1], f[2]
                    ));
                }
            }
            "intern" => {
                use statics::InternKind;
                let (kind, n) = match f[1] {
                    "runtime" => (InternKind::Runtime, f[2].parse::<u64>().unwrap()),
                    "codename" => (InternKind::CodeName, f[2].parse().unwrap()),
                    "constant" => {
                        let interned = f[3] == "T";
                        if interned != statics::constant_is_interned("abc_def_ghi") {
                            bad.push(format!("{v} constant interning: python {interned}"));
                        }
                        (InternKind::CodeConstant, f[2].parse().unwrap())
                    }
                    "spaced" => {
                        if (f[2] == "T") != statics::constant_is_interned("abc def") {
                            bad.push(format!("{v} 'abc def' interning: python {}", f[2]));
                        }
                        continue;
                    }
                    other => panic!("{other}"),
                };
                let immortal = statics::interned_is_immortal(v, kind);
                if immortal != (n == statics::IMMORTAL_REFCNT) {
                    bad.push(format!(
                        "{v} interned {kind:?}: refcount {n}, model immortal={immortal}"
                    ));
                }
            }
            other => panic!("unexpected line {other}"),
        }
    }
    bad
}

#[test]
fn statics_match_real_interpreters() {
    let mut bad = Vec::new();
    for py in common::pythons() {
        let out = run_file(&py, STATICS_PROBE, "statics", &["-X", "tracemalloc"]);
        bad.extend(check_statics(py.version, &out));
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
