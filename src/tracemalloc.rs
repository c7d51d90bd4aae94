//! `tracemalloc`'s bookkeeping: which live blocks were allocated while
//! tracing, their sizes and the line that allocated them, and the current
//! and peak totals (Modules/_tracemalloc.c, Python/tracemalloc.c from 3.12).
//!
//! CPython hooks all three allocator domains (raw, mem, object) and records
//! a trace per block it sees allocated while tracing is on, keyed by the
//! block's address, holding the *requested* size (not the pymalloc block
//! size) and the traceback of the running frame. The model sees the same
//! requests: every `malloc`, `realloc` and `free` of [`crate::objects`] goes
//! through [`Tracemalloc`]. What follows from CPython's code:
//!
//! * A block allocated before `start()` is never traced, and freeing it
//!   changes nothing (`tracemalloc_remove_trace` finds no trace).
//! * `realloc` drops the old trace and adds one for the new block with the
//!   new size and the *current* line, even when the old block was not
//!   traced (`tracemalloc_realloc`: `REMOVE_TRACE(ptr)` then
//!   `ADD_TRACE(ptr2, new_size)`).
//! * Free lists are invisible: an object parked on a free list is still
//!   allocated, so it stays traced under the line that first allocated it.
//! * The peak is raised in `tracemalloc_add_trace` only, so a growing
//!   `realloc` counts the new size once, never old plus new.
//! * `stop()` forgets every trace and zeroes both totals
//!   (`tracemalloc_clear_traces`); `reset_peak()` (3.9+) sets the peak to
//!   the current size.
//!
//! Traces are keyed by line only: the model runs one file, and
//! `tracemalloc.start()`'s default traceback limit is one frame.

use std::collections::{BTreeMap, HashMap};

use crate::obmalloc::Ptr;

/// One traced block: its requested size and the line that allocated it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
struct Trace {
    size: u64,
    line: u32,
}

/// One group of `Snapshot.statistics('lineno')`: the live traced blocks
/// allocated by one line.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct LineStat {
    /// The line that allocated the blocks.
    pub line: u32,
    /// Their total requested size.
    pub size: u64,
    /// How many blocks.
    pub count: u64,
}

/// The traces of the blocks allocated while tracing, and the totals.
#[derive(Clone, Debug, Default)]
pub struct Tracemalloc {
    tracing: bool,
    /// Inside tracemalloc's own work (`set_reentrant(1)`): allocations
    /// are not traced, frees and reallocs still drop traces.
    reentrant: bool,
    traces: HashMap<Ptr, Trace>,
    current: u64,
    peak: u64,
}

impl Tracemalloc {
    /// `tracemalloc.is_tracing()`.
    pub fn is_tracing(&self) -> bool {
        self.tracing
    }

    /// `tracemalloc.start()`: tracing on (a second start keeps the traces).
    pub fn start(&mut self) {
        self.tracing = true;
    }

    /// `tracemalloc.stop()`: tracing off, every trace forgotten.
    pub fn stop(&mut self) {
        self.tracing = false;
        self.traces.clear();
        self.current = 0;
        self.peak = 0;
    }

    /// `tracemalloc.get_traced_memory()`: `(current, peak)`, `(0, 0)` when
    /// not tracing.
    pub fn traced_memory(&self) -> (u64, u64) {
        if self.tracing {
            (self.current, self.peak)
        } else {
            (0, 0)
        }
    }

    /// `tracemalloc.reset_peak()` (3.9+).
    pub fn reset_peak(&mut self) {
        if self.tracing {
            self.peak = self.current;
        }
    }

    /// Pauses tracing of new allocations, as tracemalloc does around its
    /// own work; returns what [`Tracemalloc::resume`] restores.
    pub fn pause(&mut self) -> bool {
        std::mem::replace(&mut self.reentrant, true)
    }

    /// Ends a [`Tracemalloc::pause`].
    pub fn resume(&mut self, was: bool) {
        self.reentrant = was;
    }

    /// A block of `size` requested bytes was allocated at `line`.
    pub fn on_alloc(&mut self, p: Ptr, size: u64, line: u32) {
        if !self.tracing || self.reentrant {
            return;
        }
        self.add(p, size, line);
    }

    /// `old` (if any) was resized into `new` of `size` bytes at `line`.
    pub fn on_realloc(&mut self, old: Option<Ptr>, new: Ptr, size: u64, line: u32) {
        if !self.tracing {
            return;
        }
        if let Some(old) = old {
            if old != new || self.reentrant {
                self.remove(old);
            }
        }
        if !self.reentrant {
            self.add(new, size, line);
        }
    }

    /// `p` was freed.
    pub fn on_free(&mut self, p: Ptr) {
        if self.tracing {
            self.remove(p);
        }
    }

    /// `tracemalloc_add_trace`: a trace already at `p` is replaced.
    fn add(&mut self, p: Ptr, size: u64, line: u32) {
        if let Some(old) = self.traces.insert(p, Trace { size, line }) {
            self.current -= old.size;
        }
        self.current += size;
        self.peak = self.peak.max(self.current);
    }

    fn remove(&mut self, p: Ptr) {
        if let Some(t) = self.traces.remove(&p) {
            self.current -= t.size;
        }
    }

    /// `Snapshot.statistics('lineno')` over the live traces, in its order:
    /// biggest size first, then biggest count, then the later line first
    /// (`Statistic._sort_key` sorted with `reverse=True`).
    pub fn statistics(&self) -> Vec<LineStat> {
        let mut by_line: BTreeMap<u32, (u64, u64)> = BTreeMap::new();
        for t in self.traces.values() {
            let e = by_line.entry(t.line).or_default();
            e.0 += t.size;
            e.1 += 1;
        }
        let mut stats: Vec<LineStat> = by_line
            .into_iter()
            .map(|(line, (size, count))| LineStat { line, size, count })
            .collect();
        stats.sort_by_key(|s| std::cmp::Reverse((s.size, s.count, s.line)));
        stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::obmalloc::RawId;

    fn p(n: u32) -> Ptr {
        Ptr::Raw(RawId(n))
    }

    #[test]
    fn only_blocks_allocated_while_tracing_count() {
        let mut t = Tracemalloc::default();
        t.on_alloc(p(1), 100, 1);
        t.start();
        t.on_free(p(1));
        assert_eq!(t.traced_memory(), (0, 0));
        t.on_alloc(p(2), 40, 3);
        t.on_alloc(p(3), 60, 4);
        t.on_free(p(2));
        assert_eq!(t.traced_memory(), (60, 100));
        t.reset_peak();
        assert_eq!(t.traced_memory(), (60, 60));
        t.stop();
        assert_eq!(t.traced_memory(), (0, 0));
        t.start();
        t.on_free(p(3));
        assert_eq!(t.traced_memory(), (0, 0), "stop forgot the trace of p(3)");
    }

    #[test]
    fn realloc_moves_the_trace_to_the_current_line_and_counts_once() {
        let mut t = Tracemalloc::default();
        t.on_alloc(p(1), 32, 1);
        t.start();
        // An untraced block that grows becomes traced with its new size.
        t.on_realloc(Some(p(1)), p(2), 64, 7);
        assert_eq!(t.traced_memory(), (64, 64));
        t.on_realloc(Some(p(2)), p(2), 128, 8);
        assert_eq!(t.traced_memory(), (128, 128));
        assert_eq!(
            t.statistics(),
            vec![LineStat {
                line: 8,
                size: 128,
                count: 1
            }]
        );
    }

    #[test]
    fn statistics_sort_by_size_then_count_then_line_descending() {
        let mut t = Tracemalloc::default();
        t.start();
        t.on_alloc(p(1), 10, 5);
        t.on_alloc(p(2), 10, 6);
        t.on_alloc(p(3), 5, 7);
        t.on_alloc(p(4), 5, 7);
        let order: Vec<u32> = t.statistics().iter().map(|s| s.line).collect();
        assert_eq!(order, vec![7, 6, 5]);
    }
}
