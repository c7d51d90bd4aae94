//! In-browser benchmarks (`?bench`): the allocator model's alloc+free
//! throughput in wasm, the interpreter's executed lines per second on the
//! native benchmark's program, and the time to draw a full arena of
//! 16-byte blocks. These measure; they do not assert.

use crate::model::{executed_lines, run_program, Allocator, Version};
use pymem::objects::{Objects, Payload};

/// The loop-heavy program of the native `interp` benchmark.
pub const LOOP_PY: &str = include_str!("../../benches/programs/loop.py");

/// A heap with `n` lists in one ring (each holds the next, the last the
/// first), as `benches/gc.rs` builds it: unreachable once the builder's
/// reference goes, or kept alive (`alive`) through the first list.
fn gc_ring(v: Version, n: usize, alive: bool) -> Option<Objects> {
    let mut o = Objects::startup(v);
    o.set_recording(false);
    o.gc.enabled = false;
    let first = o.list_exact(Vec::new()).ok()?;
    let mut prev = first;
    for _ in 1..n {
        prev = o.list_exact(vec![prev]).ok()?;
    }
    o.incref(prev);
    if let Some(Payload::List { items, .. }) = o.get_mut(first).map(|x| &mut x.payload) {
        items.push(prev);
    }
    if !alive {
        o.decref(prev);
    }
    Some(o)
}

/// Milliseconds of one full collection (`gc.collect()`, the 3.11 profile,
/// recording off) of a 100 000-list ring, garbage or alive: the fastest
/// of `runs`, and what it returned.
pub fn gc_collect_ms(alive: bool, runs: usize, now: &dyn Fn() -> f64) -> (f64, u64) {
    let mut best = (f64::INFINITY, 0);
    for _ in 0..runs {
        let Some(mut o) = gc_ring(Version::V3_11, 100_000, alive) else {
            break;
        };
        let t0 = now();
        let (run, _due) = o.gc_begin(2, false);
        while o.gc_next_finalizer().is_some() {}
        let (m, n) = o.gc_finish(run, None);
        let ms = now() - t0;
        if ms < best.0 {
            best = (ms, m + n);
        }
    }
    best
}

/// Result of [`interp_lines`].
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct LinesPerSecond {
    /// Lines one run executes.
    pub lines: u64,
    /// Milliseconds of the fastest run.
    pub ms: f64,
    /// The run's exit code (0: it ran to the end).
    pub exit_code: i32,
}

/// Runs [`LOOP_PY`] on 3.11 (`pymem run`, no trace) `runs` times and keeps
/// the fastest, after one warm-up run.
pub fn interp_lines(runs: usize, now: &dyn Fn() -> f64) -> LinesPerSecond {
    let v = Version::V3_11;
    let lines = executed_lines(v, "loop.py", LOOP_PY);
    let mut exit_code = run_program(v, "loop.py", LOOP_PY).exit_code;
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let t0 = now();
        exit_code = run_program(v, "loop.py", LOOP_PY).exit_code;
        best = best.min(now() - t0);
    }
    LinesPerSecond {
        lines,
        ms: best,
        exit_code,
    }
}
use crate::palette::Palette;
use crate::render::{render_into, Layout, Marks};

/// Result of [`alloc_free_pairs`].
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Throughput {
    /// Pairs done.
    pub pairs: u64,
    /// Milliseconds taken.
    pub ms: f64,
}

impl Throughput {
    /// Pairs per second.
    pub fn per_second(&self) -> f64 {
        if self.ms > 0.0 {
            self.pairs as f64 / (self.ms / 1000.0)
        } else {
            f64::INFINITY
        }
    }
}

/// `malloc(nbytes)` then `free` of the same block, `pairs` times, with
/// recording off; `now` is a millisecond clock.
pub fn alloc_free_pairs(
    version: Version,
    nbytes: u64,
    pairs: u64,
    now: &dyn Fn() -> f64,
) -> Throughput {
    let mut a = Allocator::new(version);
    a.set_recording(false);
    // Keep one block live so the pool (and arena) is not released each time.
    let keep = a.malloc(nbytes).ok();
    let t0 = now();
    let mut done = 0;
    for _ in 0..pairs {
        match a.malloc(nbytes) {
            Ok(p) => {
                let _ = a.free(p);
                done += 1;
            }
            Err(_) => break,
        }
    }
    let ms = now() - t0;
    if let Some(p) = keep {
        let _ = a.free(p);
    }
    Throughput { pairs: done, ms }
}

/// `batch` mallocs of sizes cycling over 16..=512, then `batch` frees, `rounds` times.
pub fn batched_pairs(
    version: Version,
    batch: usize,
    rounds: usize,
    now: &dyn Fn() -> f64,
) -> Throughput {
    let mut a = Allocator::new(version);
    a.set_recording(false);
    let mut live = Vec::with_capacity(batch);
    let t0 = now();
    let mut done = 0;
    for _ in 0..rounds {
        for i in 0..batch {
            if let Ok(p) = a.malloc(16 + (i as u64 * 48) % 497) {
                live.push(p);
            }
        }
        for p in live.drain(..) {
            if a.free(p).is_ok() {
                done += 1;
            }
        }
    }
    Throughput {
        pairs: done,
        ms: now() - t0,
    }
}

/// An allocator whose first (pool-aligned, 64-pool) arena is completely
/// full of 16-byte blocks.
pub fn full_arena(version: Version) -> Allocator {
    let mut a = Allocator::new(version);
    a.set_recording(false);
    // A pool-aligned arena: all 64 pools usable.
    a.plan_arena_alignment([false]);
    if a.malloc(16).is_err() {
        return a;
    }
    let pools = a.arenas().next().map_or(0, |ar| ar.ntotalpools);
    let n = u64::from(pools) * u64::from(version.blocks_per_pool(0));
    for _ in 1..n {
        if a.malloc(16).is_err() {
            break;
        }
    }
    a
}

/// Per-frame times in milliseconds of rendering `alloc` (pixels only).
pub fn render_times(
    alloc: &Allocator,
    layout: &Layout,
    frames: usize,
    now: &dyn Fn() -> f64,
) -> Vec<f64> {
    let mut buf = Vec::new();
    let pal = Palette::LIGHT;
    let marks = Marks::default();
    (0..frames)
        .map(|_| {
            let t0 = now();
            render_into(&mut buf, alloc, layout, &pal, &marks);
            now() - t0
        })
        .collect()
}

/// Mean, median and max of a sample.
pub fn describe(sample: &[f64]) -> (f64, f64, f64) {
    if sample.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let mut s = sample.to_vec();
    s.sort_by(|a, b| a.total_cmp(b));
    let mean = s.iter().sum::<f64>() / s.len() as f64;
    (mean, s[s.len() / 2], s[s.len() - 1])
}
