//! Allocator events: one per thing `Objects/obmalloc.c` does, each naming the
//! C function it models, so the UI can narrate "what CPython just did".

use crate::obmalloc::{ArenaId, BlockRef, PoolId, RawId};
use crate::version::{index2size, Version};

/// The C function an [`Event`] models.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum CFunction {
    PymallocAlloc,
    PymallocPoolExtend,
    AllocateFromNewPool,
    NewArena,
    PymallocFree,
    InsertToUsedpool,
    InsertToFreepool,
    PymallocRealloc,
    PyMemRawMalloc,
    PyMemRawFree,
    PyMemRawRealloc,
}

impl CFunction {
    /// The C identifier.
    pub const fn name(self) -> &'static str {
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
    PopFreeBlock { block: BlockRef, nbytes: u32 },
    /// The free list ran dry, so the next never-used block was carved off.
    CarveVirginBlock { pool: PoolId, block: u16 },
    /// The pool has no free or virgin block left: it is full and leaves `usedpools`.
    PoolFull { pool: PoolId },
    /// `usedpools[szidx]` was empty: a pool was taken from the head arena.
    /// `cached` is true when it came from the arena's `freepools`,
    /// `same_class` when that cached pool kept its size class and free list.
    NewPool {
        pool: PoolId,
        szidx: u8,
        cached: bool,
        same_class: bool,
    },
    /// A block was handed out from a freshly initialised pool (its first block).
    FirstBlock { block: BlockRef, nbytes: u32 },
    /// `usable_arenas` was empty: a new arena was mapped.
    NewArena {
        arena: ArenaId,
        address: u64,
        ntotalpools: u32,
    },
    /// The arena vector was full and grew (16 slots, then doubling).
    ArenaVectorGrown { slots: u32 },
    /// A block was pushed on its pool's free list.
    FreeBlock { block: BlockRef },
    /// A full pool got a free block and was linked at the front of `usedpools`.
    PoolUsedAgain { pool: PoolId },
    /// A pool became empty and was pushed on its arena's `freepools`.
    PoolEmpty { pool: PoolId },
    /// An arena was re-sorted in `usable_arenas` (it now has `nfreepools` free pools).
    ArenaResorted { arena: ArenaId, nfreepools: u32 },
    /// A wholly free arena was unmapped and its slot returned to `unused_arena_objects`.
    ArenaFreed { arena: ArenaId, address: u64 },
    /// `realloc` kept the block in place (the request fits and `4n > 3·blocksize`).
    ReallocInPlace { block: BlockRef, nbytes: u32 },
    /// `realloc` moved the data to a new block (the alloc and free events follow/precede).
    ReallocMoved { nbytes: u32 },
    /// A request of 0 or over 512 bytes went to the system malloc.
    RawMalloc { raw: RawId, nbytes: u64 },
    /// A system-malloc block was freed.
    RawFree { raw: RawId, nbytes: u64 },
    /// A system-malloc block was resized (raw blocks never move into pymalloc).
    RawRealloc { raw: RawId, from: u64, to: u64 },
    /// A request was refused because the memory budget is exhausted.
    OutOfMemory { nbytes: u64 },
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
            Event::OutOfMemory { nbytes } => {
                format!("A {nbytes}-byte request was refused: the memory budget is exhausted (MemoryError).")
            }
        }
    }
}
