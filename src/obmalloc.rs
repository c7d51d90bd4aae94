//! pymalloc, CPython's small-object allocator (`Objects/obmalloc.c`), modelled
//! block for block.
//!
//! The structures mirror the C ones: arenas hold pools, pools hold blocks of
//! one size class, `usedpools[szidx]` lists the partially used pools of each
//! class, every arena keeps a LIFO list of its empty pools (`freepools`), and
//! `usable_arenas` keeps the arenas that still have a free pool sorted by
//! `nfreepools` with `nfp2lasta` for O(1) re-sorting. Pointers become typed
//! handles ([`ArenaId`], [`PoolId`], [`BlockRef`], [`RawId`]); a pool's free
//! list is a `u16` link per block instead of a pointer stored in the block.
//!
//! ## Arena addresses
//! Real arenas come from `mmap`, which only guarantees 4 KiB alignment, so on
//! 3.10+ (16 KiB pools) an arena whose base is not pool-aligned loses its
//! first partial pool and has 63 pools instead of 64. The model is
//! deterministic: the k-th fresh arena address (k from 0) is
//! `ARENA_TOP - 2·ARENA_SIZE·(k+1)`, plus one 4 KiB page when it is
//! misaligned; an arena mapped after one was unmapped reuses the most
//! recently unmapped address, as `mmap` refills the hole `munmap` left. Which arenas are misaligned follows an explicit plan (the
//! startup baseline records how many of a real interpreter's arenas were);
//! once the plan is used up every new arena is misaligned, as three page
//! offsets in four are. On 3.8/3.9 pools are one page, so every arena is
//! pool-aligned whatever its page offset, exactly as in CPython.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use crate::event::Event;
use crate::stats::{ArenaMapCounts, ClassStats, MallocStats};
use crate::version::{
    index2size, size_class, Version, INITIAL_ARENA_OBJECTS, NB_SMALL_SIZE_CLASSES, POOL_OVERHEAD,
    SMALL_REQUEST_THRESHOLD, SYSTEM_PAGE_SIZE,
};

/// Top of the modelled mmap region; arenas are placed below it.
pub const ARENA_TOP: u64 = 0x7f00_0000_0000;
/// Start of the modelled system-malloc heap for large requests.
pub const RAW_HEAP_BASE: u64 = 0x5555_5555_0000;
/// `DUMMY_SIZE_IDX`: the size class of a freshly carved, never-initialised pool.
pub const DUMMY_SIZE_IDX: u16 = 0xffff;
/// `PY_SSIZE_T_MAX`: larger requests fail before reaching any allocator.
pub const PY_SSIZE_T_MAX: u64 = i64::MAX as u64;
/// Default memory budget: 512 MiB of simulated arenas plus large blocks.
pub const DEFAULT_BUDGET_BYTES: u64 = 512 << 20;

/// End of a pool's free list (`NULL`).
const NIL: u16 = u16::MAX;
/// Link value of a block that is handed out.
const ALLOCATED: u16 = u16::MAX - 1;

/// Index of a slot in the arena vector (`arenas[i]`, `pool->arenaindex`).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct ArenaId(pub u32);

/// A pool: its arena and its position among the arena's pools (0 is the
/// first pool-aligned one).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct PoolId {
    /// The arena holding the pool (`pool->arenaindex`).
    pub arena: ArenaId,
    /// Position among the arena's pools: the pool starts at `first_pool +
    /// index·POOL_SIZE` (0..`ntotalpools`).
    pub index: u8,
}

/// A block: its pool and its index in the pool (block 0 starts right after
/// the 48-byte header).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct BlockRef {
    /// The pool holding the block.
    pub pool: PoolId,
    /// Index in the pool: block `i` starts at `POOL_OVERHEAD + i·size`
    /// bytes from the pool's start.
    pub block: u16,
}

/// A block from the system malloc (a request of 0 or over 512 bytes).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct RawId(pub u32);

/// What `_PyObject_Malloc` returns.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Ptr {
    /// A pymalloc block (a request of 1..=512 bytes).
    Block(BlockRef),
    /// A block from the system malloc (`PyMem_RawMalloc`).
    Raw(RawId),
}

impl fmt::Display for ArenaId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}
impl fmt::Display for PoolId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.arena.0, self.index)
    }
}
impl fmt::Display for RawId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "large block L{}", self.0)
    }
}
impl fmt::Display for Ptr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ptr::Block(b) => write!(f, "{}:{}", b.pool, b.block),
            Ptr::Raw(r) => write!(f, "L{}", r.0),
        }
    }
}

/// Why an allocator call failed. Each is reported once, to the caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AllocError {
    /// The simulated memory budget would be exceeded (CPython: `MemoryError`).
    OutOfMemory {
        /// Bytes the failing call needed: the request, a new arena's
        /// `ARENA_SIZE`, or a large block's growth.
        requested: u64,
        /// The budget in force ([`Allocator::budget`]).
        budget: u64,
    },
    /// The pointer is not a live block of this allocator (double free, or stale).
    InvalidPointer(Ptr),
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AllocError::OutOfMemory { requested, budget } => write!(
                f,
                "MemoryError: a {requested}-byte request would exceed the memory budget of {budget} bytes"
            ),
            AllocError::InvalidPointer(p) => write!(f, "invalid pointer passed to free: {p:?}"),
        }
    }
}

impl std::error::Error for AllocError {}

/// The state of one block, for drawing.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum BlockState {
    /// Handed out to a caller.
    Allocated,
    /// On the pool's free list (the second block of a new pool is here too).
    Free,
    /// Beyond `nextoffset`: never handed out since the pool was initialised.
    Virgin,
}

/// Where a pool is, in CPython's terms.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PoolState {
    /// Never carved from its arena (`pool_address` has not reached it).
    Uncarved,
    /// `count == 0`: on its arena's `freepools`, keeping its old size class.
    Empty,
    /// Some blocks in use and some free: linked in `usedpools[szidx]`.
    Used,
    /// Every block in use: in no list.
    Full,
}

/// `struct pool_header`, with the free list as per-block links.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Pool {
    count: u32,
    freeblock: u16,
    nextpool: Node,
    prevpool: Node,
    szidx: u16,
    nextoffset: u32,
    maxnextoffset: u32,
    /// `links[i]`: for a free block, the index of the next free block (or
    /// `NIL`); `ALLOCATED` for a block in use; stale for virgin blocks.
    links: Vec<u16>,
}

impl Pool {
    fn uncarved() -> Pool {
        Pool {
            count: 0,
            freeblock: NIL,
            nextpool: Node::Nil,
            prevpool: Node::Nil,
            szidx: DUMMY_SIZE_IDX,
            nextoffset: 0,
            maxnextoffset: 0,
            links: Vec::new(),
        }
    }
}

/// A link in `usedpools` (doubly linked through a per-class list head) or in
/// `freepools` (singly linked).
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
enum Node {
    Nil,
    Head(u8),
    Pool(PoolId),
}

/// `struct arena_object`.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct ArenaObject {
    /// Base address, or 0 when the slot is unused.
    address: u64,
    /// Address of the first pool-aligned pool.
    first_pool: u64,
    /// Address of the next pool to carve.
    pool_address: u64,
    nfreepools: u32,
    ntotalpools: u32,
    freepools: Option<u8>,
    nextarena: Option<u32>,
    prevarena: Option<u32>,
    pools: Vec<Pool>,
}

impl ArenaObject {
    fn unused() -> ArenaObject {
        ArenaObject {
            address: 0,
            first_pool: 0,
            pool_address: 0,
            nfreepools: 0,
            ntotalpools: 0,
            freepools: None,
            nextarena: None,
            prevarena: None,
            pools: Vec::new(),
        }
    }
}

/// A large block from the system malloc.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RawBlock {
    /// The requested size (0 is allocated as 1 byte, as `_PyMem_RawMalloc` does).
    pub nbytes: u64,
    /// Modelled address of the chunk (glibc-style: 16-byte aligned, 8-byte header).
    pub address: u64,
}

/// A read-only view of one arena, for drawing and inspecting.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArenaInfo {
    /// The arena's slot in the arena vector.
    pub id: ArenaId,
    /// Base address of the mapping (`arena_object.address`).
    pub address: u64,
    /// Address of the first pool-aligned pool (where `pool_address` started).
    pub first_pool: u64,
    /// `nfreepools`: empty pools on `freepools` plus pools not yet carved.
    pub nfreepools: u32,
    /// `ntotalpools`: 64, or 63 when `address` is not pool-aligned.
    pub ntotalpools: u32,
    /// Pools carved so far (`pool_address` has passed them).
    pub ncarved: u32,
}

/// A read-only view of one pool header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolInfo {
    /// Which pool this is.
    pub id: PoolId,
    /// The pool's address (its `struct pool_header`).
    pub address: u64,
    /// Which list, if any, the pool is on.
    pub state: PoolState,
    /// `None` for a never-initialised pool (`DUMMY_SIZE_IDX`).
    pub szidx: Option<u8>,
    /// Block size of the size class (`INDEX2SIZE(szidx)`), 0 if never initialised.
    pub block_size: u32,
    /// `ref.count`: blocks handed out.
    pub count: u32,
    /// Blocks the pool holds (`NUMBLOCKS(szidx)`), 0 if never initialised.
    pub capacity: u32,
    /// Length of the free list starting at `freeblock` (virgin blocks excluded).
    pub free_list_len: u32,
    /// `nextoffset`: byte offset from the pool's start of the next virgin block.
    pub nextoffset: u32,
    /// `maxnextoffset`: the largest `nextoffset` that still leaves room for a
    /// whole block (`POOL_SIZE - size`).
    pub maxnextoffset: u32,
}

/// The allocator: everything `Objects/obmalloc.c` keeps in its globals.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Allocator {
    version: Version,
    pool_size: u32,
    /// `usedpools[2i], usedpools[2i+1]`: the (nextpool, prevpool) of class i's list head.
    usedpools: [(Node, Node); NB_SMALL_SIZE_CLASSES],
    /// The arena vector; its length is `maxarenas`.
    arenas: Vec<ArenaObject>,
    unused_arena_objects: Option<u32>,
    usable_arenas: Option<u32>,
    nfp2lasta: Vec<Option<u32>>,
    narenas_currently_allocated: u64,
    ntimes_arena_allocated: u64,
    narenas_highwater: u64,
    /// Radix-tree nodes ever created (3.10+), keyed by the address bits above them.
    arena_map_mids: BTreeSet<u64>,
    arena_map_bots: BTreeSet<u64>,
    raw: BTreeMap<u32, RawBlock>,
    next_raw_id: u32,
    next_raw_address: u64,
    raw_bytes: u64,
    /// Blocks handed out by pymalloc (Σ pool counts), kept for O(1) charts.
    blocks_in_use: u64,
    /// Addresses of unmapped arenas, most recent last: the next arena reuses
    /// the last one, as `mmap` fills the hole `munmap` just left.
    unmapped_addresses: Vec<u64>,
    /// Arena addresses handed out fresh so far (k in the address model).
    fresh_addresses: u64,
    /// Alignment of the next fresh arenas (true = not pool-aligned).
    misaligned_plan: VecDeque<bool>,
    budget: u64,
    recording: bool,
    /// Not sent with a heap (`program::TracePart`): a copy starts with
    /// none pending.
    #[serde(skip)]
    events: Vec<Event>,
}

impl Allocator {
    /// A fresh allocator with no arenas, as before the first `_PyObject_Malloc`.
    pub fn new(version: Version) -> Allocator {
        let usedpools = std::array::from_fn(|i| (Node::Head(i as u8), Node::Head(i as u8)));
        Allocator {
            version,
            pool_size: version.pool_size(),
            usedpools,
            arenas: Vec::new(),
            unused_arena_objects: None,
            usable_arenas: None,
            nfp2lasta: vec![None; version.max_pools_in_arena() as usize + 1],
            narenas_currently_allocated: 0,
            ntimes_arena_allocated: 0,
            narenas_highwater: 0,
            arena_map_mids: BTreeSet::new(),
            arena_map_bots: BTreeSet::new(),
            raw: BTreeMap::new(),
            next_raw_id: 0,
            next_raw_address: RAW_HEAP_BASE,
            raw_bytes: 0,
            blocks_in_use: 0,
            unmapped_addresses: Vec::new(),
            fresh_addresses: 0,
            misaligned_plan: VecDeque::new(),
            budget: DEFAULT_BUDGET_BYTES,
            recording: false,
            events: Vec::new(),
        }
    }

    /// The version this allocator models.
    pub fn version(&self) -> Version {
        self.version
    }

    /// Sets the memory budget (arena bytes plus large-block bytes).
    pub fn set_budget(&mut self, bytes: u64) {
        self.budget = bytes;
    }

    /// The memory budget in bytes.
    pub fn budget(&self) -> u64 {
        self.budget
    }

    /// Queues the alignment of the next arenas to be mapped (true = not
    /// pool-aligned, 63 pools). See the module docs.
    pub fn plan_arena_alignment(&mut self, misaligned: impl IntoIterator<Item = bool>) {
        self.misaligned_plan.extend(misaligned);
    }

    /// Turns event recording on or off. Off is the fast path for benchmarks.
    pub fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }

    /// Events recorded since the last [`Allocator::take_events`].
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Takes the recorded events.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    #[inline]
    fn emit(&mut self, e: Event) {
        if self.recording {
            self.events.push(e);
        }
    }

    // ----- list plumbing -------------------------------------------------

    #[inline]
    fn pool(&self, p: PoolId) -> &Pool {
        &self.arenas[p.arena.0 as usize].pools[p.index as usize]
    }

    #[inline]
    fn pool_mut(&mut self, p: PoolId) -> &mut Pool {
        &mut self.arenas[p.arena.0 as usize].pools[p.index as usize]
    }

    #[inline]
    fn prev_of(&self, n: Node) -> Node {
        match n {
            Node::Head(c) => self.usedpools[c as usize].1,
            Node::Pool(p) => self.pool(p).prevpool,
            Node::Nil => Node::Nil,
        }
    }

    #[inline]
    fn set_next(&mut self, n: Node, v: Node) {
        match n {
            Node::Head(c) => self.usedpools[c as usize].0 = v,
            Node::Pool(p) => self.pool_mut(p).nextpool = v,
            Node::Nil => {}
        }
    }

    #[inline]
    fn set_prev(&mut self, n: Node, v: Node) {
        match n {
            Node::Head(c) => self.usedpools[c as usize].1 = v,
            Node::Pool(p) => self.pool_mut(p).prevpool = v,
            Node::Nil => {}
        }
    }

    // ----- allocation ----------------------------------------------------

    /// `_PyObject_Malloc`: pymalloc for 1..=512 bytes, the system malloc otherwise.
    pub fn malloc(&mut self, nbytes: u64) -> Result<Ptr, AllocError> {
        self.refuse_absurd_size(nbytes)?;
        if nbytes == 0 || nbytes > SMALL_REQUEST_THRESHOLD as u64 {
            return self.raw_malloc(nbytes).map(Ptr::Raw);
        }
        self.pymalloc_alloc(nbytes as u32).map(Ptr::Block)
    }

    /// `PyObject_Malloc`/`PyObject_Realloc`: "if (size > (size_t)PY_SSIZE_T_MAX)
    /// return NULL;" before any allocator is asked.
    fn refuse_absurd_size(&mut self, nbytes: u64) -> Result<(), AllocError> {
        if nbytes <= PY_SSIZE_T_MAX {
            return Ok(());
        }
        self.emit(Event::OutOfMemory {
            nbytes,
            arena: false,
        });
        Err(AllocError::OutOfMemory {
            requested: nbytes,
            budget: self.budget,
        })
    }

    /// `pymalloc_alloc` for a small request.
    fn pymalloc_alloc(&mut self, nbytes: u32) -> Result<BlockRef, AllocError> {
        let size = size_class(nbytes);
        let r = self.pymalloc_alloc_class(size, nbytes);
        if r.is_ok() {
            self.blocks_in_use += 1;
        }
        r
    }

    fn pymalloc_alloc_class(&mut self, size: usize, nbytes: u32) -> Result<BlockRef, AllocError> {
        if let Node::Pool(pid) = self.usedpools[size].0 {
            let pool = self.pool_mut(pid);
            pool.count += 1;
            let bp = pool.freeblock;
            debug_assert_ne!(bp, NIL, "a used pool always has a free block");
            pool.freeblock = pool.links[bp as usize];
            pool.links[bp as usize] = ALLOCATED;
            let exhausted = pool.freeblock == NIL;
            let block = BlockRef {
                pool: pid,
                block: bp,
            };
            self.emit(Event::PopFreeBlock { block, nbytes });
            if exhausted {
                self.pymalloc_pool_extend(pid, size);
            }
            return Ok(block);
        }
        self.allocate_from_new_pool(size, nbytes)
    }

    /// `pymalloc_pool_extend`: carve the next virgin block, or retire a full pool.
    fn pymalloc_pool_extend(&mut self, pid: PoolId, size: usize) {
        let sz = index2size(size);
        let pool = self.pool_mut(pid);
        if pool.nextoffset <= pool.maxnextoffset {
            let idx = ((pool.nextoffset - POOL_OVERHEAD) / sz) as u16;
            pool.freeblock = idx;
            pool.nextoffset += sz;
            pool.links[idx as usize] = NIL;
            self.emit(Event::CarveVirginBlock {
                pool: pid,
                block: idx,
            });
        } else {
            let (next, prev) = (pool.nextpool, pool.prevpool);
            self.set_prev(next, prev);
            self.set_next(prev, next);
            self.emit(Event::PoolFull { pool: pid });
        }
    }

    /// `allocate_from_new_pool`: `usedpools[size]` is empty.
    fn allocate_from_new_pool(&mut self, size: usize, nbytes: u32) -> Result<BlockRef, AllocError> {
        let a = match self.usable_arenas {
            Some(a) => a,
            None => {
                let a = self.new_arena()?;
                let ao = &mut self.arenas[a as usize];
                ao.nextarena = None;
                ao.prevarena = None;
                let nf = ao.nfreepools as usize;
                self.usable_arenas = Some(a);
                self.nfp2lasta[nf] = Some(a);
                a
            }
        };
        let nf = self.arenas[a as usize].nfreepools as usize;
        if self.nfp2lasta[nf] == Some(a) {
            self.nfp2lasta[nf] = None;
        }
        if nf > 1 {
            self.nfp2lasta[nf - 1] = Some(a);
        }
        let pool_size = self.pool_size as u64;
        let ao = &mut self.arenas[a as usize];
        let (index, cached) = match ao.freepools {
            Some(pi) => {
                ao.freepools = match ao.pools[pi as usize].nextpool {
                    Node::Pool(p) => Some(p.index),
                    _ => None,
                };
                (pi, true)
            }
            None => {
                let pi = ((ao.pool_address - ao.first_pool) / pool_size) as u8;
                ao.pool_address += pool_size;
                ao.pools[pi as usize].szidx = DUMMY_SIZE_IDX;
                (pi, false)
            }
        };
        ao.nfreepools -= 1;
        if ao.nfreepools == 0 {
            // Wholly allocated: unlink from usable_arenas.
            let next = ao.nextarena;
            self.usable_arenas = next;
            if let Some(n) = next {
                self.arenas[n as usize].prevarena = None;
            }
        }
        let pid = PoolId {
            arena: ArenaId(a),
            index,
        };
        // Frontlink to the (empty) used list of this class.
        let head = Node::Head(size as u8);
        self.usedpools[size] = (Node::Pool(pid), Node::Pool(pid));
        let pool_size32 = self.pool_size;
        let pool = self.pool_mut(pid);
        pool.nextpool = head;
        pool.prevpool = head;
        pool.count = 1;
        let same_class = pool.szidx == size as u16;
        let bp = if same_class {
            // A cached pool of the same class: its free list is intact.
            let bp = pool.freeblock;
            pool.freeblock = pool.links[bp as usize];
            bp
        } else {
            // A fresh or re-purposed pool: block 0 is handed out, block 1
            // is the free list, and the rest are carved lazily.
            let sz = index2size(size);
            let nblocks = ((pool_size32 - POOL_OVERHEAD) / sz) as usize;
            pool.szidx = size as u16;
            pool.nextoffset = POOL_OVERHEAD + 2 * sz;
            pool.maxnextoffset = pool_size32 - sz;
            pool.links.clear();
            pool.links.resize(nblocks, NIL);
            pool.freeblock = 1;
            0
        };
        pool.links[bp as usize] = ALLOCATED;
        let block = BlockRef {
            pool: pid,
            block: bp,
        };
        self.emit(Event::NewPool {
            pool: pid,
            szidx: size as u8,
            cached,
            same_class,
        });
        self.emit(Event::FirstBlock { block, nbytes });
        Ok(block)
    }

    /// Bytes mapped or malloc'ed so far, for the budget.
    pub fn footprint_bytes(&self) -> u64 {
        self.narenas_currently_allocated * self.version.arena_size() as u64 + self.raw_bytes
    }

    fn check_budget(&self, extra: u64) -> Result<(), AllocError> {
        if self
            .footprint_bytes()
            .checked_add(extra)
            .is_none_or(|total| total > self.budget)
        {
            return Err(AllocError::OutOfMemory {
                requested: extra,
                budget: self.budget,
            });
        }
        Ok(())
    }

    /// Address of the k-th arena ever mapped (see the module docs).
    fn arena_address(&self, k: u64, misaligned: bool) -> u64 {
        let arena_size = self.version.arena_size() as u64;
        ARENA_TOP - 2 * arena_size * (k + 1) + if misaligned { SYSTEM_PAGE_SIZE } else { 0 }
    }

    /// `new_arena`: take an arena slot (growing the vector if none is free) and map it.
    fn new_arena(&mut self) -> Result<u32, AllocError> {
        let arena_size = self.version.arena_size() as u64;
        if self.unused_arena_objects.is_none() {
            let maxarenas = self.arenas.len();
            let numarenas = if maxarenas == 0 {
                INITIAL_ARENA_OBJECTS
            } else {
                maxarenas * 2
            };
            self.arenas.resize_with(numarenas, ArenaObject::unused);
            for i in maxarenas..numarenas {
                self.arenas[i].nextarena = if i + 1 < numarenas {
                    Some(i as u32 + 1)
                } else {
                    None
                };
            }
            self.unused_arena_objects = Some(maxarenas as u32);
            self.emit(Event::ArenaVectorGrown {
                slots: numarenas as u32,
            });
        }
        let a = self.unused_arena_objects.ok_or(AllocError::OutOfMemory {
            requested: arena_size,
            budget: self.budget,
        })?;
        // The "mmap": it fails when the budget is exhausted, and the slot
        // goes back, as in C.
        if let Err(e) = self.check_budget(arena_size) {
            self.emit(Event::OutOfMemory {
                nbytes: arena_size,
                arena: true,
            });
            return Err(e);
        }
        self.unused_arena_objects = self.arenas[a as usize].nextarena;
        let address = match self.unmapped_addresses.pop() {
            Some(address) => address,
            None => {
                let misaligned = self.misaligned_plan.pop_front().unwrap_or(true);
                self.fresh_addresses += 1;
                self.arena_address(self.fresh_addresses - 1, misaligned)
            }
        };
        self.arena_map_mark(address);
        self.narenas_currently_allocated += 1;
        self.ntimes_arena_allocated += 1;
        self.narenas_highwater = self.narenas_highwater.max(self.narenas_currently_allocated);
        let pool_size = self.pool_size as u64;
        let max_pools = self.version.max_pools_in_arena();
        let excess = address & (pool_size - 1);
        let (first_pool, ntotal) = if excess != 0 {
            (address + pool_size - excess, max_pools - 1)
        } else {
            (address, max_pools)
        };
        let ao = &mut self.arenas[a as usize];
        ao.address = address;
        ao.first_pool = first_pool;
        ao.pool_address = first_pool;
        ao.freepools = None;
        ao.nfreepools = ntotal;
        ao.ntotalpools = ntotal;
        ao.pools.clear();
        ao.pools.resize_with(ntotal as usize, Pool::uncarved);
        self.emit(Event::NewArena {
            arena: ArenaId(a),
            address,
            ntotalpools: ntotal,
        });
        Ok(a)
    }

    /// `arena_map_mark_used(base, 1)`: radix-tree nodes are created on first
    /// use and never freed, so only their creation is tracked.
    fn arena_map_mark(&mut self, base: u64) {
        let Some((mid_shift, bot_shift)) = self.arena_map_shifts() else {
            return;
        };
        let arena_size = self.version.arena_size() as u64;
        let mut touch = |addr: u64| {
            self.arena_map_mids.insert(addr >> mid_shift);
            self.arena_map_bots.insert(addr >> bot_shift);
        };
        touch(base);
        if base & (arena_size - 1) != 0 {
            touch(base + arena_size);
        }
    }

    /// Bit positions above which one mid node / one bot node is selected:
    /// `MAP_TOP_SHIFT` and `MAP_MID_SHIFT` in obmalloc.c.
    fn arena_map_shifts(&self) -> Option<(u32, u32)> {
        let bits = self.version.arena_map_bits()?;
        let mid_shift = bits.bot + self.version.arena_bits(); // selects a bot node
        let top_shift = bits.interior + mid_shift; // selects a mid node
        Some((top_shift, mid_shift))
    }

    // ----- large blocks --------------------------------------------------

    fn raw_malloc(&mut self, nbytes: u64) -> Result<RawId, AllocError> {
        // _PyMem_RawMalloc turns malloc(0) into malloc(1).
        let actual = nbytes.max(1);
        if let Err(e) = self.check_budget(actual) {
            self.emit(Event::OutOfMemory {
                nbytes,
                arena: false,
            });
            return Err(e);
        }
        let id = self.next_raw_id;
        self.next_raw_id += 1;
        let address = self.next_raw_address;
        // glibc chunks are 16-byte aligned with an 8-byte size header.
        self.next_raw_address += (actual + 8 + 15) & !15;
        self.raw.insert(id, RawBlock { nbytes, address });
        self.raw_bytes += actual;
        self.emit(Event::RawMalloc {
            raw: RawId(id),
            nbytes,
        });
        Ok(RawId(id))
    }

    fn raw_free(&mut self, id: RawId) -> Result<(), AllocError> {
        let blk = self
            .raw
            .remove(&id.0)
            .ok_or(AllocError::InvalidPointer(Ptr::Raw(id)))?;
        self.raw_bytes -= blk.nbytes.max(1);
        self.emit(Event::RawFree {
            raw: id,
            nbytes: blk.nbytes,
        });
        Ok(())
    }

    // ----- free ----------------------------------------------------------

    /// `_PyObject_Free`.
    pub fn free(&mut self, p: Ptr) -> Result<(), AllocError> {
        match p {
            Ptr::Raw(id) => self.raw_free(id),
            Ptr::Block(b) => self.pymalloc_free(b),
        }
    }

    fn live_block(&self, b: BlockRef) -> bool {
        let Some(ao) = self.arenas.get(b.pool.arena.0 as usize) else {
            return false;
        };
        if ao.address == 0 {
            return false;
        }
        let Some(pool) = ao.pools.get(b.pool.index as usize) else {
            return false;
        };
        pool.links.get(b.block as usize) == Some(&ALLOCATED)
            && pool.szidx != DUMMY_SIZE_IDX
            && pool.count > 0
    }

    /// `pymalloc_free`.
    fn pymalloc_free(&mut self, b: BlockRef) -> Result<(), AllocError> {
        if !self.live_block(b) {
            return Err(AllocError::InvalidPointer(Ptr::Block(b)));
        }
        let pool = self.pool_mut(b.pool);
        let lastfree = pool.freeblock;
        pool.links[b.block as usize] = lastfree;
        pool.freeblock = b.block;
        pool.count -= 1;
        let count = pool.count;
        self.blocks_in_use -= 1;
        self.emit(Event::FreeBlock { block: b });
        if lastfree == NIL {
            self.insert_to_usedpool(b.pool);
            return Ok(());
        }
        if count != 0 {
            return Ok(());
        }
        self.insert_to_freepool(b.pool);
        Ok(())
    }

    /// `insert_to_usedpool`: a full pool links in at the front of its class list.
    fn insert_to_usedpool(&mut self, pid: PoolId) {
        let size = self.pool(pid).szidx as usize;
        let next = self.usedpools[size].0;
        let prev = self.prev_of(next);
        let me = Node::Pool(pid);
        let pool = self.pool_mut(pid);
        pool.nextpool = next;
        pool.prevpool = prev;
        self.set_prev(next, me);
        self.set_next(prev, me);
        self.emit(Event::PoolUsedAgain { pool: pid });
    }

    /// `insert_to_freepool`: an empty pool goes on its arena's freepools, and
    /// the arena is freed, re-linked or re-sorted.
    fn insert_to_freepool(&mut self, pid: PoolId) {
        let (next, prev) = {
            let p = self.pool(pid);
            (p.nextpool, p.prevpool)
        };
        self.set_prev(next, prev);
        self.set_next(prev, next);

        let a = pid.arena.0;
        let ai = a as usize;
        let old_head = self.arenas[ai].freepools;
        self.pool_mut(pid).nextpool = match old_head {
            Some(i) => Node::Pool(PoolId {
                arena: pid.arena,
                index: i,
            }),
            None => Node::Nil,
        };
        self.arenas[ai].freepools = Some(pid.index);
        self.emit(Event::PoolEmpty { pool: pid });

        let mut nf = self.arenas[ai].nfreepools as usize;
        let lastnf = self.nfp2lasta[nf];
        if lastnf == Some(a) {
            let p = self.arenas[ai].prevarena;
            self.nfp2lasta[nf] = match p {
                Some(p) if self.arenas[p as usize].nfreepools as usize == nf => Some(p),
                _ => None,
            };
        }
        nf += 1;
        self.arenas[ai].nfreepools = nf as u32;

        let (ao_next, ao_prev) = (self.arenas[ai].nextarena, self.arenas[ai].prevarena);
        let keep_last = self.version.keeps_last_free_arena();
        if nf as u32 == self.arenas[ai].ntotalpools && (ao_next.is_some() || !keep_last) {
            // Case 1: wholly free (and, from 3.9, not the last usable arena): unmap it.
            match ao_prev {
                None => self.usable_arenas = ao_next,
                Some(p) => self.arenas[p as usize].nextarena = ao_next,
            }
            if let Some(n) = ao_next {
                self.arenas[n as usize].prevarena = ao_prev;
            }
            let address = self.arenas[ai].address;
            self.unmapped_addresses.push(address);
            self.arenas[ai].nextarena = self.unused_arena_objects;
            self.unused_arena_objects = Some(a);
            let ao = &mut self.arenas[ai];
            ao.address = 0;
            ao.pools = Vec::new();
            ao.freepools = None;
            self.narenas_currently_allocated -= 1;
            self.emit(Event::ArenaFreed {
                arena: pid.arena,
                address,
            });
            return;
        }
        if nf == 1 {
            // Case 2: the arena was full; put it at the head of usable_arenas.
            let head = self.usable_arenas;
            let ao = &mut self.arenas[ai];
            ao.nextarena = head;
            ao.prevarena = None;
            if let Some(h) = head {
                self.arenas[h as usize].prevarena = Some(a);
            }
            self.usable_arenas = Some(a);
            if self.nfp2lasta[1].is_none() {
                self.nfp2lasta[1] = Some(a);
            }
            return;
        }
        if self.nfp2lasta[nf].is_none() {
            self.nfp2lasta[nf] = Some(a);
        }
        if lastnf == Some(a) {
            // Case 4: it was the rightmost with the old count; order holds.
            return;
        }
        // Case 3: slide the arena right, to just after lastnf.
        let Some(lastnf) = lastnf else {
            debug_assert!(
                false,
                "nfp2lasta[nf-1] must exist when an arena is out of order"
            );
            return;
        };
        match ao_prev {
            Some(p) => self.arenas[p as usize].nextarena = ao_next,
            None => self.usable_arenas = ao_next,
        }
        if let Some(n) = ao_next {
            self.arenas[n as usize].prevarena = ao_prev;
        }
        let after = self.arenas[lastnf as usize].nextarena;
        self.arenas[ai].prevarena = Some(lastnf);
        self.arenas[ai].nextarena = after;
        if let Some(n) = after {
            self.arenas[n as usize].prevarena = Some(a);
        }
        self.arenas[lastnf as usize].nextarena = Some(a);
        self.emit(Event::ArenaResorted {
            arena: pid.arena,
            nfreepools: nf as u32,
        });
    }

    // ----- realloc -------------------------------------------------------

    /// `_PyObject_Realloc`. A pymalloc block stays in place when the new size
    /// fits and `4·nbytes > 3·blocksize` (it would not waste more than a
    /// quarter); otherwise the data moves (malloc new, then free old). A
    /// system-malloc block is always resized by the system realloc.
    pub fn realloc(&mut self, p: Option<Ptr>, nbytes: u64) -> Result<Ptr, AllocError> {
        let Some(p) = p else {
            return self.malloc(nbytes);
        };
        self.refuse_absurd_size(nbytes)?;
        match p {
            Ptr::Block(b) => {
                if !self.live_block(b) {
                    return Err(AllocError::InvalidPointer(p));
                }
                let size = index2size(self.pool(b.pool).szidx as usize) as u64;
                if nbytes <= size && 4 * nbytes > 3 * size {
                    self.emit(Event::ReallocInPlace {
                        block: b,
                        nbytes: nbytes as u32,
                    });
                    return Ok(p);
                }
                let np = self.malloc(nbytes)?;
                self.emit(Event::ReallocMoved { nbytes });
                self.pymalloc_free(b)?;
                Ok(np)
            }
            Ptr::Raw(id) => {
                let old = self
                    .raw
                    .get(&id.0)
                    .copied()
                    .ok_or(AllocError::InvalidPointer(p))?;
                let (from, to) = (old.nbytes.max(1), nbytes.max(1));
                if to > from {
                    if let Err(e) = self.check_budget(to - from) {
                        self.emit(Event::OutOfMemory {
                            nbytes,
                            arena: false,
                        });
                        return Err(e);
                    }
                }
                self.raw_bytes = self.raw_bytes - from + to;
                // A chunk that must grow past its rounded size moves (glibc
                // realloc); the handle stays, the address changes.
                let chunk = |n: u64| (n + 8 + 15) & !15;
                let moved_to = (chunk(to) > chunk(from)).then(|| {
                    let addr = self.next_raw_address;
                    self.next_raw_address += chunk(to);
                    addr
                });
                if let Some(blk) = self.raw.get_mut(&id.0) {
                    blk.nbytes = nbytes;
                    if let Some(addr) = moved_to {
                        blk.address = addr;
                    }
                }
                self.emit(Event::RawRealloc {
                    raw: id,
                    from: old.nbytes,
                    to: nbytes,
                });
                Ok(p)
            }
        }
    }

    // ----- reading the state ---------------------------------------------

    /// Size of the block behind `p` (for a large block, the requested size).
    pub fn usable_size(&self, p: Ptr) -> Option<u64> {
        match p {
            Ptr::Block(b) if self.live_block(b) => {
                Some(index2size(self.pool(b.pool).szidx as usize) as u64)
            }
            Ptr::Raw(id) => self.raw.get(&id.0).map(|r| r.nbytes),
            _ => None,
        }
    }

    /// The address `p` would have in the modelled process.
    pub fn address_of(&self, p: Ptr) -> Option<u64> {
        match p {
            Ptr::Block(b) => {
                let ao = self.arenas.get(b.pool.arena.0 as usize)?;
                let pool = ao.pools.get(b.pool.index as usize)?;
                if ao.address == 0
                    || pool.szidx == DUMMY_SIZE_IDX
                    || b.block as usize >= pool.links.len()
                {
                    return None;
                }
                let base = ao.first_pool + b.pool.index as u64 * self.pool_size as u64;
                Some(
                    base + POOL_OVERHEAD as u64
                        + b.block as u64 * index2size(pool.szidx as usize) as u64,
                )
            }
            Ptr::Raw(id) => self.raw.get(&id.0).map(|r| r.address),
        }
    }

    /// The slots of the arena vector (`maxarenas`).
    pub fn arena_slots(&self) -> usize {
        self.arenas.len()
    }

    /// Every allocated arena, in slot order.
    pub fn arenas(&self) -> impl Iterator<Item = ArenaInfo> + '_ {
        let pool_size = self.pool_size as u64;
        self.arenas
            .iter()
            .enumerate()
            .filter(|(_, a)| a.address != 0)
            .map(move |(i, a)| ArenaInfo {
                id: ArenaId(i as u32),
                address: a.address,
                first_pool: a.first_pool,
                nfreepools: a.nfreepools,
                ntotalpools: a.ntotalpools,
                ncarved: ((a.pool_address - a.first_pool) / pool_size) as u32,
            })
    }

    /// One arena, if its slot is allocated.
    pub fn arena(&self, id: ArenaId) -> Option<ArenaInfo> {
        self.arenas().find(|a| a.id == id)
    }

    /// The header of one pool.
    pub fn pool_info(&self, id: PoolId) -> Option<PoolInfo> {
        let ao = self.arenas.get(id.arena.0 as usize)?;
        if ao.address == 0 {
            return None;
        }
        let pool = ao.pools.get(id.index as usize)?;
        let pool_size = self.pool_size as u64;
        let ncarved = (ao.pool_address - ao.first_pool) / pool_size;
        let address = ao.first_pool + id.index as u64 * pool_size;
        let szidx = (pool.szidx != DUMMY_SIZE_IDX).then_some(pool.szidx as u8);
        let block_size = szidx.map_or(0, |s| index2size(s as usize));
        let capacity = szidx.map_or(0, |s| self.version.blocks_per_pool(s as usize));
        let state = if id.index as u64 >= ncarved {
            PoolState::Uncarved
        } else if pool.count == 0 {
            PoolState::Empty
        } else if pool.freeblock == NIL {
            PoolState::Full
        } else {
            PoolState::Used
        };
        Some(PoolInfo {
            id,
            address,
            state,
            szidx,
            block_size,
            count: pool.count,
            capacity,
            free_list_len: self.free_list(id).len() as u32,
            nextoffset: pool.nextoffset,
            maxnextoffset: pool.maxnextoffset,
        })
    }

    /// The pool's free list, head first.
    pub fn free_list(&self, id: PoolId) -> Vec<u16> {
        let Some(pool) = self
            .arenas
            .get(id.arena.0 as usize)
            .and_then(|a| a.pools.get(id.index as usize))
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut b = pool.freeblock;
        while b != NIL && (b as usize) < pool.links.len() && out.len() <= pool.links.len() {
            out.push(b);
            b = pool.links[b as usize];
        }
        out
    }

    /// The state of every block of a pool, in address order (empty for an
    /// uncarved pool).
    pub fn block_states(&self, id: PoolId) -> Vec<BlockState> {
        let Some(pool) = self
            .arenas
            .get(id.arena.0 as usize)
            .and_then(|a| a.pools.get(id.index as usize))
        else {
            return Vec::new();
        };
        if pool.szidx == DUMMY_SIZE_IDX {
            return Vec::new();
        }
        let sz = index2size(pool.szidx as usize);
        pool.links
            .iter()
            .enumerate()
            .map(|(i, &l)| {
                if l == ALLOCATED {
                    BlockState::Allocated
                } else if POOL_OVERHEAD + i as u32 * sz < pool.nextoffset {
                    BlockState::Free
                } else {
                    BlockState::Virgin
                }
            })
            .collect()
    }

    /// Every block in use in pools of size class `szidx`, in address order.
    pub fn allocated_blocks(&self, szidx: usize) -> Vec<BlockRef> {
        let mut out = Vec::new();
        for (ai, ao) in self
            .arenas
            .iter()
            .enumerate()
            .filter(|(_, a)| a.address != 0)
        {
            for (pi, pool) in ao.pools.iter().enumerate() {
                if pool.szidx as usize != szidx || pool.count == 0 {
                    continue;
                }
                let pid = PoolId {
                    arena: ArenaId(ai as u32),
                    index: pi as u8,
                };
                out.extend(
                    pool.links
                        .iter()
                        .enumerate()
                        .filter(|(_, &l)| l == ALLOCATED)
                        .map(|(b, _)| BlockRef {
                            pool: pid,
                            block: b as u16,
                        }),
                );
            }
        }
        out
    }

    /// `usable_arenas`, head first.
    pub fn usable_arenas(&self) -> Vec<ArenaId> {
        let mut out = Vec::new();
        let mut a = self.usable_arenas;
        while let Some(i) = a {
            if out.len() > self.arenas.len() {
                break; // a corrupted (cyclic) list; the invariant checker reports it
            }
            out.push(ArenaId(i));
            a = self.arenas[i as usize].nextarena;
        }
        out
    }

    /// `usedpools[szidx]`, first pool first.
    pub fn usedpools(&self, szidx: usize) -> Vec<PoolId> {
        let mut out = Vec::new();
        let mut n = self.usedpools[szidx].0;
        while let Node::Pool(p) = n {
            if out.len() > 64 * self.arenas.len() {
                break;
            }
            out.push(p);
            n = self.pool(p).nextpool;
        }
        out
    }

    /// The arena's `freepools`, head first.
    pub fn freepools(&self, id: ArenaId) -> Vec<PoolId> {
        let mut out = Vec::new();
        let Some(ao) = self.arenas.get(id.0 as usize) else {
            return out;
        };
        let mut n = ao.freepools;
        while let Some(i) = n {
            if out.len() > ao.pools.len() {
                break;
            }
            out.push(PoolId {
                arena: id,
                index: i,
            });
            n = match ao.pools[i as usize].nextpool {
                Node::Pool(p) => Some(p.index),
                _ => None,
            };
        }
        out
    }

    /// `nfp2lasta[nf]`.
    pub fn nfp2lasta(&self, nf: usize) -> Option<ArenaId> {
        self.nfp2lasta.get(nf).copied().flatten().map(ArenaId)
    }

    /// Live large blocks, oldest first.
    pub fn raw_blocks(&self) -> impl Iterator<Item = (RawId, RawBlock)> + '_ {
        self.raw.iter().map(|(&k, &v)| (RawId(k), v))
    }

    /// `narenas_currently_allocated`.
    pub fn arenas_current(&self) -> u64 {
        self.narenas_currently_allocated
    }

    /// Blocks handed out by pymalloc, over all pools.
    pub fn blocks_in_use(&self) -> u64 {
        self.blocks_in_use
    }

    /// Bytes this model holds in memory, roughly (for trace-size figures).
    pub fn approx_bytes(&self) -> usize {
        use std::mem::size_of;
        size_of::<Allocator>()
            + self
                .arenas
                .iter()
                .map(|a| {
                    size_of::<ArenaObject>()
                        + a.pools
                            .iter()
                            .map(|p| size_of::<Pool>() + p.links.capacity() * 2)
                            .sum::<usize>()
                })
                .sum::<usize>()
            + self.raw.len() * 48
    }

    /// Bytes held in large (system-malloc) blocks; `malloc(0)` counts as 1.
    pub fn raw_bytes(&self) -> u64 {
        self.raw_bytes
    }

    /// `raw_allocated_blocks`.
    pub fn raw_allocated_blocks(&self) -> u64 {
        self.raw.len() as u64
    }

    /// What `_PyObject_DebugMallocStats` gathers.
    pub fn stats(&self) -> MallocStats {
        let mut classes = [ClassStats::default(); NB_SMALL_SIZE_CLASSES];
        let mut unused_pools = 0;
        let mut misaligned = 0;
        for ao in self.arenas.iter().filter(|a| a.address != 0) {
            unused_pools += ao.nfreepools as u64;
            if ao.first_pool != ao.address {
                misaligned += 1;
            }
            let ncarved = ((ao.pool_address - ao.first_pool) / self.pool_size as u64) as usize;
            for pool in &ao.pools[..ncarved] {
                if pool.count == 0 {
                    continue;
                }
                let s = pool.szidx as usize;
                let c = &mut classes[s];
                c.num_pools += 1;
                c.blocks_in_use += pool.count as u64;
                c.avail_blocks += (self.version.blocks_per_pool(s) - pool.count) as u64;
            }
        }
        MallocStats {
            version: self.version,
            classes,
            arenas_allocated_total: self.ntimes_arena_allocated,
            arenas_highwater: self.narenas_highwater,
            arenas_current: self.narenas_currently_allocated,
            unused_pools,
            misaligned_arenas: misaligned,
            arena_map: self.version.has_radix_tree().then_some(ArenaMapCounts {
                mid_nodes: self.arena_map_mids.len() as u64,
                bot_nodes: self.arena_map_bots.len() as u64,
            }),
        }
    }
}

mod baseline_state;
mod invariants;
#[cfg(test)]
mod tests;

pub use baseline_state::BaselineError;
pub use invariants::Violation;
