//! Rebuilding an allocator from a real interpreter's `_debugmallocstats()`.
//!
//! The stats give, per size class, the pools in use and the blocks in use and
//! available, plus the arena counters and the unused pools. They do not say
//! which pool sits in which arena or which blocks inside a partly used pool
//! are free, and nothing a Python program can observe depends on that:
//! allocations take every available block of a class before a new pool is
//! made, and a new pool is taken before a new arena. So the model fills the
//! gaps deterministically and documents how:
//!
//! * arenas are mapped in slot order; the first `misaligned_arenas` of them
//!   are the misaligned ones (63 pools);
//! * pools are carved in address order, class 0 first, and the unused pools
//!   are the never-carved tail of the last arenas;
//! * within a class every pool gets one block, then pools are filled in
//!   order, so at most one pool of the class is partly used beyond a block;
//! * inside a pool the blocks in use are the first ones, the next block is
//!   the free list (as `allocate_from_new_pool` leaves it) and the rest are
//!   never used.

use std::fmt;

use super::{Allocator, Node, PoolId, ALLOCATED, NIL};
use crate::stats::MallocStats;
use crate::version::{index2size, POOL_OVERHEAD};

/// The stats describe a heap that cannot exist.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaselineError(pub String);

impl fmt::Display for BaselineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "inconsistent allocator baseline: {}", self.0)
    }
}

impl std::error::Error for BaselineError {}

impl Allocator {
    /// An allocator in the state `stats` describes (see the module docs for
    /// the parts the stats leave open).
    pub fn from_stats(stats: &MallocStats) -> Result<Allocator, BaselineError> {
        let v = stats.version;
        let mut a = Allocator::new(v);
        let err = |m: String| Err(BaselineError(m));
        if stats.misaligned_arenas > stats.arenas_current {
            return err(format!(
                "{} misaligned of {} arenas",
                stats.misaligned_arenas, stats.arenas_current
            ));
        }
        if !v.has_radix_tree() && stats.misaligned_arenas != 0 {
            return err("arenas cannot be misaligned when pools are one page".into());
        }
        if stats.arenas_allocated_total < stats.arenas_current
            || stats.arenas_highwater < stats.arenas_current
        {
            return err("arena counters below the current count".into());
        }
        a.plan_arena_alignment((0..stats.arenas_current).map(|i| i < stats.misaligned_arenas));
        a.set_budget(u64::MAX);
        for _ in 0..stats.arenas_current {
            if let Err(e) = a.new_arena() {
                return err(e.to_string());
            }
        }
        a.set_budget(crate::obmalloc::DEFAULT_BUDGET_BYTES);
        a.events.clear();

        let total_pools: u64 = a.arenas.iter().map(|x| x.ntotalpools as u64).sum();
        let used_pools: u64 = stats.classes.iter().map(|c| c.num_pools).sum();
        if used_pools + stats.unused_pools != total_pools {
            return err(format!(
                "{used_pools} pools in use + {} unused != {total_pools} pools in {} arenas",
                stats.unused_pools, stats.arenas_current
            ));
        }

        let pool_size = a.pool_size;
        let mut slot = (0usize, 0usize); // (arena, pool) to carve next
        for (s, c) in stats.classes.iter().enumerate() {
            let nb = v.blocks_per_pool(s) as u64;
            if c.blocks_in_use + c.avail_blocks != c.num_pools * nb || c.blocks_in_use < c.num_pools
            {
                return err(format!(
                    "class {s}: {} in use + {} available in {} pools of {nb} blocks",
                    c.blocks_in_use, c.avail_blocks, c.num_pools
                ));
            }
            let mut extra = c.blocks_in_use - c.num_pools;
            let sz = index2size(s);
            for _ in 0..c.num_pools {
                while slot.1 >= a.arenas[slot.0].ntotalpools as usize {
                    slot = (slot.0 + 1, 0);
                }
                let (ai, pi) = slot;
                slot.1 += 1;
                let add = extra.min(nb - 1);
                extra -= add;
                let count = (1 + add) as u32;
                let ao = &mut a.arenas[ai];
                ao.pool_address += pool_size as u64;
                ao.nfreepools -= 1;
                let pool = &mut ao.pools[pi];
                pool.szidx = s as u16;
                pool.count = count;
                pool.maxnextoffset = pool_size - sz;
                pool.links = vec![NIL; nb as usize];
                pool.links[..count as usize].fill(ALLOCATED);
                if (count as u64) < nb {
                    pool.freeblock = count as u16;
                    pool.nextoffset = POOL_OVERHEAD + (count + 1) * sz;
                } else {
                    pool.freeblock = NIL;
                    pool.nextoffset = POOL_OVERHEAD + count * sz;
                }
                if (count as u64) < nb {
                    // Link at the tail of usedpools[s].
                    let pid = PoolId {
                        arena: super::ArenaId(ai as u32),
                        index: pi as u8,
                    };
                    let head = Node::Head(s as u8);
                    let last = a.usedpools[s].1;
                    let me = Node::Pool(pid);
                    let pool = a.pool_mut(pid);
                    pool.nextpool = head;
                    pool.prevpool = last;
                    a.set_next(last, me);
                    a.usedpools[s].1 = me;
                }
            }
        }

        // usable_arenas: arenas with a free pool, ascending nfreepools (ties in slot order).
        let mut order: Vec<u32> = (0..a.arenas.len() as u32)
            .filter(|&i| a.arenas[i as usize].address != 0 && a.arenas[i as usize].nfreepools > 0)
            .collect();
        order.sort_by_key(|&i| a.arenas[i as usize].nfreepools);
        a.usable_arenas = order.first().copied();
        for (k, &i) in order.iter().enumerate() {
            let ao = &mut a.arenas[i as usize];
            ao.prevarena = k.checked_sub(1).map(|p| order[p]);
            ao.nextarena = order.get(k + 1).copied();
            let nf = ao.nfreepools as usize;
            a.nfp2lasta[nf] = Some(i);
        }
        a.blocks_in_use = stats.classes.iter().map(|c| c.blocks_in_use).sum();
        a.ntimes_arena_allocated = stats.arenas_allocated_total;
        a.narenas_highwater = stats.arenas_highwater;
        Ok(a)
    }
}
