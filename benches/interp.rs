//! Interpreter and program-trace benchmarks (issue 3's figures in
//! BENCHMARKS.md):
//!
//! * `interp/run` — `pymem run` of `benches/programs/loop.py`: executed
//!   lines per second (the lines are counted by a recorded run).
//! * `interp/record` — the same program recorded step by step.
//! * `interp/seek` — `ProgramTrace::seek` at spread-out steps of the
//!   recorded trace.
//!
//! Before the timings it prints the trace's size figures: steps, fine
//! events, bytes held and bytes per event, and checkpoints.
//!
//! `cargo bench -p pymem --bench interp`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pymem::program::{self, Budgets};
use pymem::{interp, Version};

const LOOP: &str = include_str!("programs/loop.py");

fn bench(c: &mut Criterion) {
    let v = Version::V3_11;
    let t = program::record(v, "loop.py", LOOP, Budgets::default());
    assert_eq!(t.output().exit_code, 0, "{}", t.output().stderr);
    let lines = (1..=t.len())
        .filter(|&s| t.kind(s) != program::StepKind::Return)
        .count() as u64;
    let events = t.all_events().len();
    let bytes = t.approx_bytes();
    eprintln!(
        "loop.py on {v}: {} steps ({lines} lines), {events} events, {:.1} MB held, {:.1} bytes/event, {} checkpoints",
        t.len(),
        bytes as f64 / 1e6,
        bytes as f64 / events as f64,
        t.checkpoints()
    );
    for (part, n) in t.size_parts() {
        eprintln!("  {part}: {:.1} MB", n as f64 / 1e6);
    }

    let mut g = c.benchmark_group("interp");
    g.sample_size(10);
    g.throughput(Throughput::Elements(lines));
    g.bench_function("run", |b| b.iter(|| interp::run(v, "loop.py", LOOP)));
    g.bench_function("record", |b| {
        b.iter(|| program::record(v, "loop.py", LOOP, Budgets::default()))
    });
    g.throughput(Throughput::Elements(1));
    let n = t.len();
    let mut k = 0usize;
    g.bench_function("seek", |b| {
        b.iter(|| {
            // Spread over the whole trace, never the same step twice in a row.
            k = (k + 7919) % 1000;
            t.seek(n * k / 1000)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
