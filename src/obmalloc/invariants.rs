//! The allocator's invariants, checked after every operation in tests and
//! (through [`Allocator::debug_check`]) in debug builds.
//!
//! They are the assertions scattered through `Objects/obmalloc.c`, gathered
//! in one place and made total: free lists are well formed and hold exactly
//! the carved blocks not in use, every pool is in the one list its state
//! demands, `usable_arenas` is sorted with `nfp2lasta` pointing at the last
//! arena of each count, and the byte totals add up to the mapped arenas.

use std::collections::HashSet;
use std::fmt;

use super::{Allocator, Node, PoolId, ALLOCATED, DUMMY_SIZE_IDX, NIL};
use crate::version::{index2size, NB_SMALL_SIZE_CLASSES, POOL_OVERHEAD};

/// A broken invariant, with a sentence saying which.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "allocator invariant violated: {}", self.0)
    }
}

impl std::error::Error for Violation {}

macro_rules! ensure {
    ($cond:expr, $($arg:tt)*) => {
        if !$cond {
            return Err(Violation(format!($($arg)*)));
        }
    };
}

impl Allocator {
    /// Checks every invariant; the first violation found is returned.
    pub fn check_invariants(&self) -> Result<(), Violation> {
        let pool_size = self.pool_size as u64;
        let mut in_freepools: HashSet<PoolId> = HashSet::new();
        let mut used: HashSet<PoolId> = HashSet::new();
        let mut allocated_arenas = 0u64;
        let mut total_pools = 0u64;

        for (ai, ao) in self.arenas.iter().enumerate() {
            if ao.address == 0 {
                continue;
            }
            allocated_arenas += 1;
            let aid = super::ArenaId(ai as u32);
            ensure!(
                ao.pools.len() == ao.ntotalpools as usize,
                "arena {aid}: pool vector length"
            );
            ensure!(
                ao.first_pool % pool_size == 0 && ao.first_pool >= ao.address,
                "arena {aid}: first pool not pool-aligned"
            );
            let expect_total =
                self.version.max_pools_in_arena() - u32::from(ao.first_pool != ao.address);
            ensure!(
                ao.ntotalpools == expect_total,
                "arena {aid}: ntotalpools {} (63/64 rule)",
                ao.ntotalpools
            );
            let ncarved = (ao.pool_address - ao.first_pool) / pool_size;
            ensure!(
                ncarved <= ao.ntotalpools as u64,
                "arena {aid}: pool_address past the end"
            );
            total_pools += ao.ntotalpools as u64;

            // freepools: carved, empty, distinct.
            let free = self.freepools(aid);
            for p in &free {
                ensure!(
                    (p.index as u64) < ncarved,
                    "pool {p} in freepools but not carved"
                );
                ensure!(
                    self.pool(*p).count == 0,
                    "pool {p} in freepools but count {}",
                    self.pool(*p).count
                );
                ensure!(in_freepools.insert(*p), "pool {p} twice in freepools");
            }
            ensure!(
                ao.nfreepools as u64 == ao.ntotalpools as u64 - ncarved + free.len() as u64,
                "arena {aid}: nfreepools {} != uncarved {} + cached {}",
                ao.nfreepools,
                ao.ntotalpools as u64 - ncarved,
                free.len()
            );

            for (pi, pool) in ao.pools.iter().enumerate().take(ncarved as usize) {
                let pid = PoolId {
                    arena: aid,
                    index: pi as u8,
                };
                ensure!(
                    pool.szidx != DUMMY_SIZE_IDX,
                    "pool {pid} carved but never initialised"
                );
                let s = pool.szidx as usize;
                ensure!(s < NB_SMALL_SIZE_CLASSES, "pool {pid}: bad szidx {s}");
                let sz = index2size(s);
                let nblocks = self.version.blocks_per_pool(s);
                ensure!(
                    pool.links.len() == nblocks as usize,
                    "pool {pid}: link vector length"
                );
                ensure!(
                    pool.maxnextoffset == self.pool_size - sz,
                    "pool {pid}: maxnextoffset"
                );
                ensure!(
                    pool.nextoffset >= POOL_OVERHEAD + sz
                        && pool.nextoffset <= pool.maxnextoffset + sz,
                    "pool {pid}: nextoffset {} out of range",
                    pool.nextoffset
                );
                let carved_blocks = (pool.nextoffset - POOL_OVERHEAD) / sz;
                let in_use = pool.links.iter().filter(|&&l| l == ALLOCATED).count() as u32;
                ensure!(
                    in_use == pool.count,
                    "pool {pid}: count {} but {in_use} blocks in use",
                    pool.count
                );
                ensure!(
                    pool.links[carved_blocks as usize..]
                        .iter()
                        .all(|&l| l != ALLOCATED),
                    "pool {pid}: a block past nextoffset is in use"
                );
                // The free list: acyclic, within carved blocks, not in use,
                // and together with the used blocks exactly the carved ones.
                let mut seen = vec![false; nblocks as usize];
                let mut b = pool.freeblock;
                let mut len = 0u32;
                while b != NIL {
                    ensure!(
                        (b as u32) < carved_blocks,
                        "pool {pid}: free block {b} beyond nextoffset"
                    );
                    ensure!(
                        !seen[b as usize],
                        "pool {pid}: free list has a cycle at block {b}"
                    );
                    seen[b as usize] = true;
                    let next = pool.links[b as usize];
                    ensure!(
                        next != ALLOCATED,
                        "pool {pid}: block {b} on the free list is in use"
                    );
                    len += 1;
                    b = next;
                }
                ensure!(
                    len + pool.count == carved_blocks,
                    "pool {pid}: {len} free + {} used != {carved_blocks} carved blocks",
                    pool.count
                );
                if pool.count > 0 && pool.freeblock != NIL {
                    used.insert(pid);
                }
                if pool.freeblock == NIL {
                    ensure!(
                        pool.count == nblocks,
                        "pool {pid}: no free block but not full"
                    );
                }
            }
        }
        ensure!(
            allocated_arenas == self.narenas_currently_allocated,
            "narenas_currently_allocated {} but {allocated_arenas} arenas mapped",
            self.narenas_currently_allocated
        );
        ensure!(
            self.narenas_highwater >= self.narenas_currently_allocated,
            "highwater below current"
        );
        ensure!(
            self.ntimes_arena_allocated >= self.narenas_currently_allocated,
            "ntimes below current"
        );

        // Every empty carved pool is on its arena's freepools.
        for (ai, ao) in self
            .arenas
            .iter()
            .enumerate()
            .filter(|(_, a)| a.address != 0)
        {
            let ncarved = (ao.pool_address - ao.first_pool) / pool_size;
            for pi in 0..ncarved as usize {
                let pid = PoolId {
                    arena: super::ArenaId(ai as u32),
                    index: pi as u8,
                };
                if ao.pools[pi].count == 0 {
                    ensure!(
                        in_freepools.contains(&pid),
                        "empty pool {pid} is not on freepools"
                    );
                }
            }
        }

        // usedpools: doubly linked, right class, exactly the used pools.
        let mut listed = 0usize;
        for c in 0..NB_SMALL_SIZE_CLASSES {
            let head = Node::Head(c as u8);
            let mut prev = head;
            let mut n = self.usedpools[c].0;
            let mut steps = 0usize;
            while n != head {
                let Node::Pool(p) = n else {
                    return Err(Violation(format!("usedpools[{c}] reaches a non-pool link")));
                };
                ensure!(steps <= used.len(), "usedpools[{c}] has a cycle");
                ensure!(
                    used.contains(&p),
                    "pool {p} in usedpools[{c}] is not a used pool"
                );
                ensure!(
                    self.pool(p).szidx as usize == c,
                    "pool {p} in usedpools[{c}] has another class"
                );
                ensure!(
                    self.prev_of(n) == prev,
                    "usedpools[{c}]: broken prevpool at {p}"
                );
                prev = n;
                n = self.pool(p).nextpool;
                steps += 1;
            }
            ensure!(
                self.usedpools[c].1 == prev,
                "usedpools[{c}]: head's prevpool is not the last pool"
            );
            listed += steps;
        }
        ensure!(
            listed == used.len(),
            "{} used pools but {listed} in usedpools",
            used.len()
        );

        // usable_arenas: exactly the arenas with a free pool, sorted by nfreepools.
        let order = self.usable_arenas();
        let mut prev: Option<u32> = None;
        let mut last_nf = 0u32;
        for &a in &order {
            let ao = &self.arenas[a.0 as usize];
            ensure!(ao.address != 0, "usable_arenas holds unmapped slot {a}");
            ensure!(
                ao.prevarena == prev,
                "usable_arenas: broken prevarena at {a}"
            );
            ensure!(
                ao.nfreepools > 0,
                "arena {a} in usable_arenas with no free pool"
            );
            ensure!(
                ao.nfreepools >= last_nf,
                "usable_arenas is not sorted by nfreepools at {a}"
            );
            last_nf = ao.nfreepools;
            prev = Some(a.0);
        }
        let want = self
            .arenas
            .iter()
            .filter(|a| a.address != 0 && a.nfreepools > 0)
            .count();
        ensure!(
            order.len() == want,
            "usable_arenas has {} arenas, {want} have free pools",
            order.len()
        );
        for nf in 0..self.nfp2lasta.len() {
            let last = order
                .iter()
                .rev()
                .find(|a| self.arenas[a.0 as usize].nfreepools as usize == nf);
            ensure!(
                self.nfp2lasta[nf] == last.map(|a| a.0),
                "nfp2lasta[{nf}] is {:?}, the last arena with {nf} free pools is {:?}",
                self.nfp2lasta[nf],
                last
            );
        }

        // unused_arena_objects: exactly the unmapped slots.
        let mut unused = 0usize;
        let mut u = self.unused_arena_objects;
        while let Some(i) = u {
            ensure!(
                unused <= self.arenas.len(),
                "unused_arena_objects has a cycle"
            );
            ensure!(
                self.arenas[i as usize].address == 0,
                "slot {i} unused but mapped"
            );
            unused += 1;
            u = self.arenas[i as usize].nextarena;
        }
        ensure!(
            unused + allocated_arenas as usize == self.arenas.len(),
            "{unused} unused + {allocated_arenas} mapped != {} slots",
            self.arenas.len()
        );

        // The totals add up: every byte of every arena is accounted for.
        let st = self.stats();
        let mut bytes = st.unused_pools * pool_size + st.misaligned_arenas * pool_size;
        let mut pools = st.unused_pools;
        for (s, c) in st.classes.iter().enumerate() {
            let sz = index2size(s) as u64;
            bytes += (c.blocks_in_use + c.avail_blocks) * sz
                + c.num_pools * (POOL_OVERHEAD as u64 + (pool_size - POOL_OVERHEAD as u64) % sz);
            pools += c.num_pools;
        }
        ensure!(
            pools == total_pools,
            "{pools} pools counted, {total_pools} in the arenas"
        );
        ensure!(
            bytes == st.arenas_current * self.version.arena_size() as u64,
            "bytes {bytes} != {} arenas × {}",
            st.arenas_current,
            self.version.arena_size()
        );
        let in_use: u64 = st.classes.iter().map(|c| c.blocks_in_use).sum();
        ensure!(
            in_use == self.blocks_in_use,
            "blocks_in_use counter {} != {in_use}",
            self.blocks_in_use
        );
        let raw: u64 = self.raw.values().map(|r| r.nbytes.max(1)).sum();
        ensure!(
            raw == self.raw_bytes,
            "raw byte count {} != {raw}",
            self.raw_bytes
        );
        Ok(())
    }

    /// In debug builds, panics with the violation; compiled out in release.
    /// Tests call [`Allocator::check_invariants`] directly instead.
    #[inline]
    pub fn debug_check(&self) {
        #[cfg(debug_assertions)]
        if let Err(v) = self.check_invariants() {
            panic!("{v}");
        }
    }
}
