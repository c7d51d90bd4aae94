//! The numbers behind `sys._debugmallocstats()`, and their text form.
//!
//! [`MallocStats`] is what `_PyObject_DebugMallocStats` (Objects/obmalloc.c)
//! gathers by walking every arena and pool. The allocator model produces it
//! with [`crate::obmalloc::Allocator::stats`]; the baseline loader parses it
//! back out of a real interpreter's output.

use crate::version::{Version, NB_SMALL_SIZE_CLASSES};

/// One row of the size-class table: pools with at least one block in use
/// (used or full pools; empty cached pools are not counted, as in CPython).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ClassStats {
    /// `numpools[i]`: pools of this class whose count is above zero.
    pub num_pools: u64,
    /// `numblocks[i]`: blocks handed out.
    pub blocks_in_use: u64,
    /// `numfreeblocks[i]`: `NUMBLOCKS - count` summed over those pools.
    pub avail_blocks: u64,
}

/// Radix-tree node counts (3.10+ only): `arena_map_mid_count` and `arena_map_bot_count`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ArenaMapCounts {
    pub mid_nodes: u64,
    pub bot_nodes: u64,
}

/// Everything `_PyObject_DebugMallocStats` prints about pymalloc itself.
/// Byte totals are derived from these counts (see the methods), exactly as
/// the C function derives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MallocStats {
    pub version: Version,
    pub classes: [ClassStats; NB_SMALL_SIZE_CLASSES],
    /// `ntimes_arena_allocated`.
    pub arenas_allocated_total: u64,
    /// `narenas_highwater`.
    pub arenas_highwater: u64,
    /// `narenas_currently_allocated`.
    pub arenas_current: u64,
    /// Σ `nfreepools` over allocated arenas: cached empty pools plus never-carved ones.
    pub unused_pools: u64,
    /// Allocated arenas whose base is not pool-aligned (they have 63 pools).
    pub misaligned_arenas: u64,
    /// `None` before 3.10 (no radix tree).
    pub arena_map: Option<ArenaMapCounts>,
}

impl MallocStats {
    /// `# arenas reclaimed` = allocated total − allocated current.
    pub fn arenas_reclaimed(&self) -> u64 {
        self.arenas_allocated_total - self.arenas_current
    }
}
