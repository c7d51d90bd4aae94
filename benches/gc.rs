//! The cyclic collector: one full collection of a 100 000-object heap, in
//! the model (recording off), for BENCHMARKS.md. CPython 3.11's figure for
//! the same heap comes from `scripts/bench_gc.py`.
//!
//! `cargo bench -p pymem --bench gc`

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use pymem::objects::{Objects, Payload};
use pymem::Version;

/// A heap with `n` lists in one ring (each holds the next, the last the
/// first), unreachable once the caller's reference goes. With `alive`,
/// the caller keeps the first, so the whole ring survives.
fn ring(v: Version, n: usize, alive: bool) -> Objects {
    let mut o = Objects::startup(v);
    o.set_recording(false);
    o.gc.enabled = false;
    let first = o.list_exact(Vec::new()).expect("list");
    let mut prev = first;
    for _ in 1..n {
        prev = o.list_exact(vec![prev]).expect("list");
    }
    // The ring's closing reference, first -> last.
    o.incref(prev);
    if let Some(Payload::List { items, .. }) = o.get_mut(first).map(|x| &mut x.payload) {
        items.push(prev);
    }
    if !alive {
        // `prev` now holds the only outside reference: drop it.
        o.decref(prev);
    }
    o
}

fn collect(o: &mut Objects) -> u64 {
    let (run, _due) = o.gc_begin(2, false);
    while o.gc_next_finalizer().is_some() {}
    let (m, n) = o.gc_finish(run, None);
    m + n
}

fn full_collection(c: &mut Criterion) {
    let mut g = c.benchmark_group("gc_collect_100k");
    g.sample_size(10);
    // 3.14's gc_collect_full runs the same region collection over the
    // young generation and both old spaces (modelled, not verified).
    for v in [Version::V3_11, Version::V3_14] {
        for (label, alive) in [("garbage_ring", false), ("live_ring", true)] {
            g.bench_function(BenchmarkId::new(label, v.as_str()), |b| {
                b.iter_batched(
                    || ring(v, 100_000, alive),
                    |mut o| collect(&mut o),
                    BatchSize::LargeInput,
                );
            });
        }
    }
    g.finish();
}

criterion_group!(benches, full_collection);
criterion_main!(benches);
