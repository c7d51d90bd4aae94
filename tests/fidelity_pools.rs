//! Differential test of the allocator model against every real CPython.
//!
//! `tests/fidelity/pool_deltas.py` allocates N bytes objects of one request
//! size in a real interpreter, frees every other one, refills them and frees
//! them all, printing `sys._debugmallocstats()` around each phase. The model
//! starts from the first snapshot (rebuilt with `Allocator::from_stats`),
//! makes the same calls in the same order, and must print the same numbers
//! after every phase: blocks and pools per class, unused pools, arenas
//! allocated, reclaimed and current, and the arena map.
//!
//! The one input taken from the real run is where `mmap` put the new arenas,
//! which ASLR decides: whether each is pool-aligned (read from the
//! interpreter's own "bytes lost to arena alignment" line), and whether they
//! fell into a new radix-tree node (3.10+; a bottom node covers 256 MiB on
//! 3.10). When the real run created a node, or its startup arenas already
//! straddled two nodes (which `from_stats` cannot place: it puts them in
//! one), the node counts are not compared for that phase; everything else
//! always is.

mod common;

use pymem::stats::{parse, MallocStats};
use pymem::version::size_class;
use pymem::{Allocator, Ptr};

const SEPARATOR: &str = "====================\n";

fn snapshots(py: &common::Python, n: usize, size: u64) -> Vec<MallocStats> {
    let script = include_str!("fidelity/pool_deltas.py");
    let (out, _) = py.run_inline(script, &[&n.to_string(), &size.to_string()]);
    out.split(SEPARATOR)
        .map(|t| match parse(py.version, t) {
            Ok((s, _)) => s,
            Err(e) => panic!("{}: cannot parse stats: {e}\n{t}", py.version),
        })
        .collect()
}

fn check(py: &common::Python, n: usize, size: u64) {
    let v = py.version;
    let snaps = snapshots(py, n, size);
    assert_eq!(snaps.len(), 5, "{v}: five snapshots");
    let class = size_class(size as u32);
    // The harness is only valid if nothing else touched other classes.
    for (k, s) in snaps.iter().enumerate() {
        for c in (0..32).filter(|&c| c != class) {
            assert_eq!(
                s.classes[c], snaps[0].classes[c],
                "{v}: class {c} changed in snapshot {k}: noisy harness"
            );
        }
    }
    let mut a = Allocator::from_stats(&snaps[0]).unwrap_or_else(|e| panic!("{v}: {e}"));
    a.set_budget(u64::MAX);
    let rebuilt_map = a.stats().arena_map;
    let new_arenas = snaps[1].arenas_allocated_total - snaps[0].arenas_allocated_total;
    let new_misaligned = snaps[1].misaligned_arenas - snaps[0].misaligned_arenas;
    a.plan_arena_alignment((0..new_arenas).map(|i| i < new_misaligned));

    // The stats the model must print after a phase: the real ones, except
    // the radix-tree node counts when real arenas landed in a new node.
    let expected = |real: &MallocStats, model: &MallocStats| {
        let mut e = real.clone();
        if real.arena_map != snaps[0].arena_map || rebuilt_map != snaps[0].arena_map {
            e.arena_map = model.arena_map;
        }
        e
    };
    let mut objs: Vec<Option<Ptr>> = vec![None; n];
    for o in objs.iter_mut() {
        *o = Some(a.malloc(size).expect("malloc"));
    }
    let m = a.stats();
    assert_eq!(
        m,
        expected(&snaps[1], &m),
        "{v}: after allocating {n} × {size} bytes"
    );
    for o in objs.iter_mut().step_by(2) {
        a.free(o.take().expect("live")).expect("free");
    }
    let m = a.stats();
    assert_eq!(
        m,
        expected(&snaps[2], &m),
        "{v}: after freeing every other block"
    );
    for o in objs.iter_mut().step_by(2) {
        *o = Some(a.malloc(size).expect("malloc"));
    }
    let m = a.stats();
    assert_eq!(m, expected(&snaps[3], &m), "{v}: after refilling");
    // list_dealloc decrefs the items from the last to the first.
    for o in objs.iter_mut().rev() {
        a.free(o.take().expect("live")).expect("free");
    }
    let m = a.stats();
    assert_eq!(m, expected(&snaps[4], &m), "{v}: after freeing everything");
    a.check_invariants().expect("invariants");
}

#[test]
fn pool_and_arena_counts_match_real_cpython() {
    for py in common::pythons() {
        // 100 bytes: a few pools; 200: several new arenas; 500: the largest class.
        for (n, size) in [(3000, 100), (30000, 200), (9000, 500)] {
            check(&py, n, size);
        }
    }
}
