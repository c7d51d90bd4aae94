//! A whole modelled heap: the pymalloc allocator plus the per-type free
//! lists, starting from what a fresh real interpreter has at startup.

use crate::baseline;
use crate::freelist::FreeLists;
use crate::obmalloc::Allocator;
use crate::stats;
use crate::version::Version;

/// The allocator and free lists of one modelled interpreter.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Heap {
    /// pymalloc: arenas, pools and blocks, plus large system-malloc blocks.
    pub alloc: Allocator,
    /// The per-type free lists (counts only), as `_PyObject_DebugTypeStats` reports them.
    pub free_lists: FreeLists,
}

impl Heap {
    /// The heap of a freshly started interpreter of `version`, rebuilt from
    /// the checked-in `_debugmallocstats()` baseline (see `data/baseline/`).
    pub fn startup(version: Version) -> Heap {
        Heap::startup_with(version, baseline::Startup::Bare)
    }

    /// [`Heap::startup`] for a program that has imported `startup`'s modules.
    pub fn startup_with(version: Version, startup: baseline::Startup) -> Heap {
        // The baselines are checked in, and tests/stats_roundtrip.rs and this
        // module's tests prove each parses and rebuilds; were one broken, an
        // empty heap is the only safe answer (debug builds stop here).
        let rebuilt = baseline::startup_baseline(version, startup)
            .map_err(|e| e.to_string())
            .and_then(|(stats, free)| {
                Ok(Heap {
                    alloc: Allocator::from_stats(&stats).map_err(|e| e.to_string())?,
                    free_lists: free,
                })
            });
        match rebuilt {
            Ok(heap) => heap,
            Err(e) => {
                debug_assert!(false, "baseline for {version} does not rebuild: {e}");
                Heap::empty(version)
            }
        }
    }

    /// An empty heap: no arenas, empty free lists.
    pub fn empty(version: Version) -> Heap {
        Heap {
            alloc: Allocator::new(version),
            free_lists: FreeLists::new(version),
        }
    }

    /// The version modelled.
    pub fn version(&self) -> Version {
        self.alloc.version()
    }

    /// What `sys._debugmallocstats()` would print now, in this version's format.
    pub fn debugmallocstats(&self) -> String {
        stats::render(&self.alloc.stats(), &self.free_lists)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rebuilt startup heap prints exactly what the real interpreter printed.
    #[test]
    fn startup_heap_reprints_the_real_baseline() {
        for v in Version::VERIFIED {
            let heap = Heap::startup(v);
            heap.alloc
                .check_invariants()
                .expect("startup heap invariants");
            assert_eq!(heap.debugmallocstats(), baseline::baseline_text(v), "{v}");
        }
    }
}
