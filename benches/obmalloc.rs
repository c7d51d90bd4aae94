//! Allocator model throughput: alloc+free pairs per second (recording off),
//! and `Trace::seek` on the built-in scenario.
//!
//! `cargo bench -p pymem --bench obmalloc`

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use pymem::heap::Heap;
use pymem::scenario::Scenario;
use pymem::trace::Trace;
use pymem::{Allocator, Ptr, Version};

/// A batch of pairs: allocate `n` blocks of mixed small sizes, then free them
/// in an interleaved order (so pools go full → used → empty).
fn batch(a: &mut Allocator, ptrs: &mut Vec<Ptr>, n: usize) {
    for i in 0..n {
        let size = 8 + ((i * 37) % 500) as u64;
        match a.malloc(size) {
            Ok(p) => ptrs.push(p),
            Err(_) => break,
        }
    }
    for k in (0..ptrs.len()).step_by(2).chain((1..ptrs.len()).step_by(2)) {
        let _ = a.free(ptrs[k]);
    }
    ptrs.clear();
}

fn pairs(c: &mut Criterion) {
    let mut g = c.benchmark_group("alloc_free_pairs");
    for v in [Version::V3_8, Version::V3_12] {
        g.throughput(Throughput::Elements(1));
        g.bench_with_input(BenchmarkId::new("hot_pair", v), &v, |b, &v| {
            let mut a = Heap::startup(v).alloc;
            b.iter(|| {
                if let Ok(p) = a.malloc(black_box(40)) {
                    let _ = a.free(p);
                }
            });
        });
        let n = 10_000;
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::new("batch_10k_mixed", v), &v, |b, &v| {
            let mut a = Heap::startup(v).alloc;
            let mut ptrs = Vec::with_capacity(n);
            b.iter(|| batch(&mut a, &mut ptrs, black_box(n)));
        });
    }
    g.finish();
}

fn seek(c: &mut Criterion) {
    let trace = Trace::record(Version::V3_12, &Scenario::builtin());
    let mut g = c.benchmark_group("trace");
    g.bench_function("seek_builtin_worst_case", |b| {
        // The step just before a checkpoint replays the most calls.
        let step = pymem::trace::CHECKPOINT_EVERY * 20 - 1;
        b.iter(|| black_box(trace.seek(black_box(step))));
    });
    g.sample_size(10);
    g.bench_function("record_builtin", |b| {
        b.iter(|| black_box(Trace::record(Version::V3_12, &Scenario::builtin())));
    });
    g.finish();
}

criterion_group!(benches, pairs, seek);
criterion_main!(benches);
