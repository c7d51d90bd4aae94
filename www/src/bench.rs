//! In-browser benchmarks (`?bench`): the allocator model's alloc+free
//! throughput in wasm, and the time to draw a full arena of 16-byte blocks.
//! These measure; they do not assert.

use crate::model::{Allocator, Version};
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
