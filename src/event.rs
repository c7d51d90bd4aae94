//! Allocator events: one per thing `Objects/obmalloc.c` does, each naming the
//! C function it models, so the UI can narrate "what CPython just did".

use crate::obmalloc::{ArenaId, BlockRef, PoolId, RawId};
use crate::version::{index2size, Version};

/// The C function an [`Event`] models.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum CFunction {
    /// `pymalloc_alloc`: the fast path, popping the head of
    /// `usedpools[szidx]`'s free list.
    PymallocAlloc,
    /// `pymalloc_pool_extend`: the pool's free list ran dry, so carve the
    /// next virgin block at `nextoffset` or unlink the now-full pool.
    PymallocPoolExtend,
    /// `allocate_from_new_pool`: `usedpools[szidx]` is empty, so take a pool
    /// from the head of `usable_arenas` (its `freepools` or `pool_address`).
    AllocateFromNewPool,
    /// `new_arena`: map a fresh arena, growing the arena vector if needed.
    NewArena,
    /// `pymalloc_free`: push a block on its pool's free list.
    PymallocFree,
    /// `insert_to_usedpool`: a full pool got a free block and rejoins
    /// `usedpools[szidx]`.
    InsertToUsedpool,
    /// `insert_to_freepool`: a pool became empty and goes to its arena's
    /// `freepools`; the arena is re-sorted in `usable_arenas` or unmapped.
    InsertToFreepool,
    /// `pymalloc_realloc`: resize a pymalloc block in place or move it.
    PymallocRealloc,
    /// `PyMem_RawMalloc`: the system `malloc` for requests pymalloc does not
    /// serve (0 or over `SMALL_REQUEST_THRESHOLD` bytes).
    PyMemRawMalloc,
    /// `PyMem_RawFree`: the system `free` of a large block.
    PyMemRawFree,
    /// `PyMem_RawRealloc`: the system `realloc` of a large block.
    PyMemRawRealloc,
}

impl CFunction {
    /// The C identifier in `version`. 3.8's obmalloc.c did all of this
    /// inside `pymalloc_alloc` and `pymalloc_free`; bpo-37543 (3.9) split
    /// the slow paths out into `allocate_from_new_pool`,
    /// `pymalloc_pool_extend`, `insert_to_usedpool` and `insert_to_freepool`
    /// (the 3.8.18 binary's symbol table has no `allocate_from_new_pool`).
    pub const fn name(self, version: Version) -> &'static str {
        if version.minor() < 9 {
            match self {
                CFunction::AllocateFromNewPool | CFunction::PymallocPoolExtend => {
                    return "pymalloc_alloc"
                }
                CFunction::InsertToUsedpool | CFunction::InsertToFreepool => {
                    return "pymalloc_free"
                }
                _ => {}
            }
        }
        match self {
            CFunction::PymallocAlloc => "pymalloc_alloc",
            CFunction::PymallocPoolExtend => "pymalloc_pool_extend",
            CFunction::AllocateFromNewPool => "allocate_from_new_pool",
            CFunction::NewArena => "new_arena",
            CFunction::PymallocFree => "pymalloc_free",
            CFunction::InsertToUsedpool => "insert_to_usedpool",
            CFunction::InsertToFreepool => "insert_to_freepool",
            CFunction::PymallocRealloc => "pymalloc_realloc",
            CFunction::PyMemRawMalloc => "PyMem_RawMalloc",
            CFunction::PyMemRawFree => "PyMem_RawFree",
            CFunction::PyMemRawRealloc => "PyMem_RawRealloc",
        }
    }

    /// The source file holding it in `version`.
    pub const fn file(self, version: Version) -> &'static str {
        version.obmalloc_file()
    }
}

/// Something the allocator did. Small and `Copy`, so recording is cheap.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// A block was popped from the head of a used pool's free list (LIFO).
    PopFreeBlock {
        /// The block handed out (the pool's old `freeblock`).
        block: BlockRef,
        /// The requested size, before rounding up to the size class.
        nbytes: u32,
    },
    /// The free list ran dry, so the next never-used block was carved off.
    CarveVirginBlock {
        /// The pool that was extended.
        pool: PoolId,
        /// Index of the block at the old `nextoffset`, now the pool's `freeblock`.
        block: u16,
    },
    /// The pool has no free or virgin block left: it is full and leaves `usedpools`.
    PoolFull {
        /// The pool unlinked from `usedpools[szidx]`.
        pool: PoolId,
    },
    /// `usedpools[szidx]` was empty: a pool was taken from the head arena.
    /// `cached` is true when it came from the arena's `freepools`,
    /// `same_class` when that cached pool kept its size class and free list.
    NewPool {
        /// The pool taken.
        pool: PoolId,
        /// The size class it now serves (`pool->szidx`).
        szidx: u8,
        /// Taken from the arena's `freepools` rather than carved at `pool_address`.
        cached: bool,
        /// A cached pool whose `szidx` already matched, so `init_pool` was skipped.
        same_class: bool,
    },
    /// A block was handed out from a freshly initialised pool (its first block).
    FirstBlock {
        /// The block handed out (block 0 of a re-initialised pool, or the
        /// free-list head of a cached same-class one).
        block: BlockRef,
        /// The requested size, before rounding up to the size class.
        nbytes: u32,
    },
    /// `usable_arenas` was empty: a new arena was mapped.
    NewArena {
        /// The arena-vector slot it occupies.
        arena: ArenaId,
        /// Base address of the mapping (`arenaobj->address`).
        address: u64,
        /// `ntotalpools`: 64, or 63 when the base is not pool-aligned.
        ntotalpools: u32,
    },
    /// The arena vector was full and grew (16 slots, then doubling).
    ArenaVectorGrown {
        /// The new number of slots (`maxarenas`).
        slots: u32,
    },
    /// A block was pushed on its pool's free list.
    FreeBlock {
        /// The freed block, now the pool's `freeblock`.
        block: BlockRef,
    },
    /// A full pool got a free block and was linked at the front of `usedpools`.
    PoolUsedAgain {
        /// The pool relinked into `usedpools[szidx]`.
        pool: PoolId,
    },
    /// A pool became empty and was pushed on its arena's `freepools`.
    PoolEmpty {
        /// The pool whose `ref.count` dropped to 0.
        pool: PoolId,
    },
    /// An arena was re-sorted in `usable_arenas` (it now has `nfreepools` free pools).
    ArenaResorted {
        /// The arena moved.
        arena: ArenaId,
        /// Its `nfreepools` after the free.
        nfreepools: u32,
    },
    /// A wholly free arena was unmapped and its slot returned to `unused_arena_objects`.
    ArenaFreed {
        /// The slot, now on `unused_arena_objects`.
        arena: ArenaId,
        /// Base address that was unmapped (`arenaobj->address`).
        address: u64,
    },
    /// `realloc` kept the block in place (the request fits and `4n > 3·blocksize`).
    ReallocInPlace {
        /// The block, unchanged.
        block: BlockRef,
        /// The new requested size.
        nbytes: u32,
    },
    /// `realloc` moved the data to a new block (the alloc and free events follow/precede).
    ReallocMoved {
        /// The new requested size.
        nbytes: u64,
    },
    /// A request of 0 or over 512 bytes went to the system malloc.
    RawMalloc {
        /// The new large block.
        raw: RawId,
        /// The requested size (a request of 0 is passed on as 1).
        nbytes: u64,
    },
    /// A system-malloc block was freed.
    RawFree {
        /// The freed large block.
        raw: RawId,
        /// The size it was requested with.
        nbytes: u64,
    },
    /// A system-malloc block was resized (raw blocks never move into pymalloc).
    RawRealloc {
        /// The large block (its handle stays, its address may change).
        raw: RawId,
        /// The old requested size.
        from: u64,
        /// The new requested size.
        to: u64,
    },
    /// A request was refused: the memory budget is exhausted, or the size
    /// is over `PY_SSIZE_T_MAX`. `arena` is true when mapping a new arena failed.
    OutOfMemory {
        /// The refused request's size, or `ARENA_SIZE` when `arena` is true.
        nbytes: u64,
        /// The failure was mapping a new arena (`new_arena`), not the request itself.
        arena: bool,
    },
}

impl Event {
    /// The C function this event models.
    pub const fn c_function(&self) -> CFunction {
        match self {
            Event::PopFreeBlock { .. } => CFunction::PymallocAlloc,
            Event::CarveVirginBlock { .. } | Event::PoolFull { .. } => {
                CFunction::PymallocPoolExtend
            }
            Event::NewPool { .. } | Event::FirstBlock { .. } => CFunction::AllocateFromNewPool,
            Event::NewArena { .. } | Event::ArenaVectorGrown { .. } => CFunction::NewArena,
            Event::FreeBlock { .. } => CFunction::PymallocFree,
            Event::PoolUsedAgain { .. } => CFunction::InsertToUsedpool,
            Event::PoolEmpty { .. } | Event::ArenaResorted { .. } | Event::ArenaFreed { .. } => {
                CFunction::InsertToFreepool
            }
            Event::ReallocInPlace { .. } | Event::ReallocMoved { .. } => CFunction::PymallocRealloc,
            Event::OutOfMemory { arena: true, .. } => CFunction::NewArena,
            Event::RawMalloc { .. } | Event::OutOfMemory { .. } => CFunction::PyMemRawMalloc,
            Event::RawFree { .. } => CFunction::PyMemRawFree,
            Event::RawRealloc { .. } => CFunction::PyMemRawRealloc,
        }
    }

    /// A plain-English sentence for the narration panel.
    pub fn describe(&self) -> String {
        match *self {
            Event::PopFreeBlock { block, nbytes } => format!(
                "A {nbytes}-byte request took block {} of pool {} from the head of its free list.",
                block.block, block.pool
            ),
            Event::CarveVirginBlock { pool, block } => format!(
                "Pool {pool}'s free list ran dry, so never-used block {block} was carved off (nextoffset advanced)."
            ),
            Event::PoolFull { pool } => {
                format!("Pool {pool} is now full: it leaves usedpools until one of its blocks is freed.")
            }
            Event::NewPool { pool, szidx, cached, same_class } => {
                let size = index2size(szidx as usize);
                match (cached, same_class) {
                    (true, true) => format!(
                        "No used pool of {size}-byte blocks: reused empty pool {pool} from its arena's freepools, free list intact."
                    ),
                    (true, false) => format!(
                        "No used pool of {size}-byte blocks: reused empty pool {pool} from its arena's freepools and re-initialised it."
                    ),
                    _ => format!(
                        "No used pool of {size}-byte blocks: carved new pool {pool} at the arena's pool_address."
                    ),
                }
            }
            Event::FirstBlock { block, nbytes } => format!(
                "A {nbytes}-byte request took block {} of the new pool {}.",
                block.block, block.pool
            ),
            Event::NewArena { arena, address, ntotalpools } => format!(
                "usable_arenas was empty: mapped arena {arena} at {address:#x} with {ntotalpools} pools."
            ),
            Event::ArenaVectorGrown { slots } => {
                format!("The arena vector was full and grew to {slots} slots.")
            }
            Event::FreeBlock { block } => format!(
                "Block {} of pool {} was pushed on the pool's free list.",
                block.block, block.pool
            ),
            Event::PoolUsedAgain { pool } => format!(
                "Full pool {pool} has a free block again and was linked at the front of usedpools."
            ),
            Event::PoolEmpty { pool } => {
                format!("Pool {pool} is now empty and was pushed on its arena's freepools.")
            }
            Event::ArenaResorted { arena, nfreepools } => format!(
                "Arena {arena} now has {nfreepools} free pools and moved right to keep usable_arenas sorted."
            ),
            Event::ArenaFreed { arena, address } => format!(
                "Arena {arena} at {address:#x} became wholly free and was returned to the system."
            ),
            Event::ReallocInPlace { block, nbytes } => format!(
                "realloc to {nbytes} bytes fits block {} of pool {}, so it stayed in place.",
                block.block, block.pool
            ),
            Event::ReallocMoved { nbytes } => {
                format!("realloc to {nbytes} bytes did not fit well: the data moved to a new block.")
            }
            Event::RawMalloc { raw, nbytes } => {
                format!("A {nbytes}-byte request is not small (0 or over 512 bytes): system malloc gave {raw}.")
            }
            Event::RawFree { raw, nbytes } => format!("{raw} ({nbytes} bytes) went back to the system."),
            Event::RawRealloc { raw, from, to } => {
                format!("{raw} was resized by the system realloc from {from} to {to} bytes.")
            }
            Event::OutOfMemory { nbytes, arena: true } => format!(
                "A new {nbytes}-byte arena could not be mapped: the memory budget is exhausted (MemoryError)."
            ),
            Event::OutOfMemory { nbytes, arena: false } => {
                format!("A {nbytes}-byte request was refused: the memory budget is exhausted (MemoryError).")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn function_names_follow_the_version() {
        assert_eq!(
            CFunction::AllocateFromNewPool.name(Version::V3_9),
            "allocate_from_new_pool"
        );
        assert_eq!(
            CFunction::AllocateFromNewPool.name(Version::V3_8),
            "pymalloc_alloc"
        );
        assert_eq!(
            CFunction::InsertToFreepool.name(Version::V3_8),
            "pymalloc_free"
        );
        assert_eq!(CFunction::NewArena.name(Version::V3_8), "new_arena");
        assert_eq!(
            CFunction::InsertToFreepool.file(Version::V3_13),
            "Objects/obmalloc.c"
        );
    }
}
