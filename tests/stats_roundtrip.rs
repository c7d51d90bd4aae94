//! `sys._debugmallocstats()` text ⇄ (MallocStats, FreeLists), byte for byte.
//!
//! * The checked-in baselines (data/baseline/3.X.txt) must parse and render
//!   back to the identical bytes.
//! * Live: every real interpreter 3.8–3.13 found on this machine (newest
//!   `pyenv versions --bare` entry 3.X.N, else `python3.X` on PATH) runs a
//!   script that prints several snapshots: fresh, after allocating 5,000
//!   `bytes(60)`, after filling the free lists, after freeing enough to
//!   release arenas, and around reusing 20-tuples. Each snapshot must
//!   round-trip exactly, and the filled free lists must sit at the limits the
//!   model takes from the C source. A missing interpreter fails the test
//!   unless `PYMEM_ALLOW_MISSING_PYTHON=1`.
//!
//! Interpreters are run as scripts/capture_baselines.sh runs them: `env -i`
//! with PATH, HOME, `LC_ALL=C.UTF-8`, `PYTHONDONTWRITEBYTECODE=1`, from an
//! empty directory, stderr captured.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use pymem::baseline::{baseline, baseline_text};
use pymem::freelist::FreeListKind;
use pymem::stats::{parse, render, MallocStats};
use pymem::version::size_class;
use pymem::Version;

fn roundtrip(v: Version, text: &str, what: &str) -> (MallocStats, pymem::freelist::FreeLists) {
    let (stats, free) =
        parse(v, text).unwrap_or_else(|e| panic!("{v} {what}: {e}\n--- text ---\n{text}"));
    let back = render(&stats, &free);
    if back != text {
        let line = back
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .map_or(0, |i| i + 1);
        panic!("{v} {what}: render differs at line {line}\n--- rendered ---\n{back}\n--- original ---\n{text}");
    }
    (stats, free)
}

// ---------------------------------------------------------------- baselines

fn check_baseline(v: Version) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/baseline")
        .join(format!("{}.txt", v.as_str()));
    let on_disk =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        baseline_text(v),
        on_disk,
        "{v}: embedded baseline differs from the file"
    );
    roundtrip(v, &on_disk, "baseline");
    let (stats, free) = baseline(v).expect("baseline parses");
    assert_eq!(render(&stats, &free), on_disk);
}

#[test]
fn baseline_3_8_roundtrips() {
    check_baseline(Version::V3_8);
}
#[test]
fn baseline_3_9_roundtrips() {
    check_baseline(Version::V3_9);
}
#[test]
fn baseline_3_10_roundtrips() {
    check_baseline(Version::V3_10);
}
#[test]
fn baseline_3_11_roundtrips() {
    check_baseline(Version::V3_11);
}
#[test]
fn baseline_3_12_roundtrips() {
    check_baseline(Version::V3_12);
}
#[test]
fn baseline_3_13_roundtrips() {
    check_baseline(Version::V3_13);
}

// ---------------------------------------------------------- live interpreters

const SCRIPT: &str = r#"import sys
sys._debugmallocstats()
x = [bytes(60) for _ in range(5000)]
sys._debugmallocstats()
class C:
    def m(self):
        pass
def r(n):
    return r(n - 1) if n else 0
o = C()
t = [(i,) for i in range(3000)]
f = [float(i) + 0.5 for i in range(1000)]
l = [[] for _ in range(300)]
d = [{} for _ in range(300)]
k = [{'a': i} for i in range(300)]
c = [[].append for _ in range(400)]
ms = [o.m for _ in range(400)]
del t, f, l, d, k, c, ms
r(400)
sys._debugmallocstats()
big = [bytes(100) for _ in range(300000)]
del big, x
sys._debugmallocstats()
j = [tuple([None] * 20) for _ in range(50)]
del j
sys._debugmallocstats()
keep = [tuple([None] * 20) for _ in range(10)]
sys._debugmallocstats()
"#;

fn run_live(v: Version) {
    let Some(py) = common::find(v).map(|p| p.exe) else {
        common::missing(v.as_str());
        return;
    };
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("pymem-live-{v}"));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut cmd = Command::new(&py);
    cmd.arg("-c")
        .arg(SCRIPT)
        .env_clear()
        .env("LC_ALL", "C.UTF-8")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    for var in ["PATH", "HOME"] {
        if let Some(val) = std::env::var_os(var) {
            cmd.env(var, val);
        }
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", py.display()));
    assert!(out.status.success(), "{}: {:?}", py.display(), out.status);
    let stderr = String::from_utf8(out.stderr).expect("utf-8 stderr");

    // Split into snapshots at each "Small block threshold" line.
    let mut starts: Vec<usize> = stderr
        .match_indices("Small block threshold")
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || stderr.as_bytes()[i - 1] == b'\n')
        .collect();
    assert_eq!(starts.len(), 6, "{v}: expected 6 snapshots, got:\n{stderr}");
    starts.push(stderr.len());
    let snaps: Vec<_> = starts
        .windows(2)
        .enumerate()
        .map(|(i, w)| roundtrip(v, &stderr[w[0]..w[1]], &format!("live snapshot {}", i + 1)))
        .collect();

    // 2: 5,000 more bytes(60) objects (33 + 60 = 93 bytes -> 96-byte class).
    let cls = size_class(93);
    let grew = snaps[1].0.classes[cls].blocks_in_use - snaps[0].0.classes[cls].blocks_in_use;
    assert!(grew >= 5000, "{v}: class {cls} grew by {grew}");

    // 3: free lists filled to the C limits.
    use FreeListKind::*;
    let free = &snaps[2].1;
    let mut full = vec![(Dict, 80), (Float, 100), (List, 80), (Tuple(1), 2000)];
    match v.minor() {
        8 => full.extend([(CFunction, 256), (Method, 256), (Frame, 200)]),
        9 | 10 => full.push((Frame, 200)),
        13 => full.push((DictKeys, 80)),
        _ => {}
    }
    for (kind, limit) in full {
        assert_eq!(free.len(kind), limit, "{v} {kind}");
        assert_eq!(free.spec(kind).map(|s| s.limit), Some(limit), "{v} {kind}");
    }

    // 4: freeing 300,000 objects gave arenas back.
    assert!(
        snaps[3].0.arenas_reclaimed() > snaps[2].0.arenas_reclaimed(),
        "{v}"
    );

    // 5 -> 6: 20-tuples reused only where the model says so (3.13; none
    // printed before 3.11).
    if v.minor() >= 11 {
        let before = snaps[4].1.len(Tuple(20));
        let after = snaps[5].1.len(Tuple(20));
        assert!(before >= 10, "{v}: {before} free 20-tuples");
        let reusable = snaps[4].1.spec(Tuple(20)).expect("20-tuple list").reusable;
        assert_eq!(before - after, if reusable { 10 } else { 0 }, "{v}");
    } else {
        assert!(!snaps[4].1.exists(Tuple(20)));
    }
}

#[test]
fn live_3_8_roundtrips() {
    run_live(Version::V3_8);
}
#[test]
fn live_3_9_roundtrips() {
    run_live(Version::V3_9);
}
#[test]
fn live_3_10_roundtrips() {
    run_live(Version::V3_10);
}
#[test]
fn live_3_11_roundtrips() {
    run_live(Version::V3_11);
}
#[test]
fn live_3_12_roundtrips() {
    run_live(Version::V3_12);
}
#[test]
fn live_3_13_roundtrips() {
    run_live(Version::V3_13);
}

// ------------------------------------------------------------ model output

/// The allocator model's own stats render to text that parses back to them,
/// i.e. `Allocator::stats` is consistent with every derived line.
#[test]
fn model_allocator_stats_roundtrip() {
    for v in Version::VERIFIED {
        let mut a = pymem::Allocator::new(v);
        a.plan_arena_alignment([true, false, true]);
        let ptrs: Vec<_> = (0..20_000u64)
            .map(|i| a.malloc(1 + (i * 37) % 512).expect("malloc"))
            .collect();
        for p in ptrs.iter().step_by(3) {
            a.free(*p).expect("free");
        }
        let stats = a.stats();
        let mut free = pymem::freelist::FreeLists::new(v);
        free.push(FreeListKind::Float);
        let text = render(&stats, &free);
        let (back, back_free) = roundtrip(v, &text, "model stats");
        assert_eq!(back, stats, "{v}");
        assert_eq!(back_free, free, "{v}");
    }
}
