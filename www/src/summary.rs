//! Plain-text descriptions of the heap: the map's text alternative, the pool
//! inspector's rows, the pools a step touched.

use crate::model::{Allocator, Event, PoolId, PoolState};

/// Counts behind the map's text alternative.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Allocated arenas.
    pub arenas: usize,
    /// Pools with at least one block handed out (used or full).
    pub pools_in_use: usize,
    /// Blocks handed out.
    pub blocks_allocated: u64,
}

/// From the allocator's own counters (one pass over the pool headers, no
/// free-list walks).
pub fn totals(alloc: &Allocator) -> Totals {
    let stats = alloc.stats();
    Totals {
        arenas: stats.arenas_current as usize,
        pools_in_use: stats.used_pools() as usize,
        blocks_allocated: alloc.blocks_in_use(),
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "3 arenas, 57 pools in use, 12345 blocks allocated".
pub fn summary(alloc: &Allocator) -> String {
    let t = totals(alloc);
    format!(
        "{}, {} in use, {} allocated",
        plural(t.arenas as u64, "arena", "arenas"),
        plural(t.pools_in_use as u64, "pool", "pools"),
        plural(t.blocks_allocated, "block", "blocks"),
    )
}

/// The pool an event is about, if any.
pub fn event_pool(e: &Event) -> Option<PoolId> {
    match *e {
        Event::PopFreeBlock { block, .. }
        | Event::FirstBlock { block, .. }
        | Event::FreeBlock { block }
        | Event::ReallocInPlace { block, .. } => Some(block.pool),
        Event::CarveVirginBlock { pool, .. }
        | Event::PoolFull { pool }
        | Event::NewPool { pool, .. }
        | Event::PoolUsedAgain { pool }
        | Event::PoolEmpty { pool } => Some(pool),
        _ => None,
    }
}

/// The pools a step's events touched, first mention first, without repeats.
pub fn touched_pools(events: &[Event]) -> Vec<PoolId> {
    let mut out = Vec::new();
    for p in events.iter().filter_map(event_pool) {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// The pools a program step's fine events allocated in or freed from, in
/// order of first touch.
pub fn touched_pools_program(events: &[crate::model::TraceEvent]) -> Vec<PoolId> {
    use crate::model::{Ptr, TraceEvent};
    let mut out = Vec::new();
    for e in events {
        let ptr = match *e {
            TraceEvent::Alloc { ptr, .. } | TraceEvent::Free { ptr } => ptr.get(),
            TraceEvent::Realloc { old, .. } => old.get(),
            _ => continue,
        };
        if let Ptr::Block(b) = ptr {
            if !out.contains(&b.pool) {
                out.push(b.pool);
            }
        }
    }
    out
}

/// Where a pool is linked, in CPython's terms.
pub fn pool_place(alloc: &Allocator, id: PoolId) -> String {
    let Some(info) = alloc.pool_info(id) else {
        return "not part of an allocated arena".into();
    };
    match info.state {
        PoolState::Uncarved => "not carved yet (beyond the arena's pool_address)".into(),
        PoolState::Full => "full: linked in no list".into(),
        PoolState::Used => {
            let Some(szidx) = info.szidx else {
                return "in usedpools".into();
            };
            let list = alloc.usedpools(szidx as usize);
            match list.iter().position(|&p| p == id) {
                Some(i) => format!("usedpools[{szidx}], position {} of {}", i + 1, list.len()),
                None => format!("not found in usedpools[{szidx}]"),
            }
        }
        PoolState::Empty => {
            let list = alloc.freepools(id.arena);
            match list.iter().position(|&p| p == id) {
                Some(i) => format!(
                    "freepools of arena {}, position {} of {}",
                    id.arena,
                    i + 1,
                    list.len()
                ),
                None => format!("not found in freepools of arena {}", id.arena),
            }
        }
    }
}

/// A pool state as a word.
pub fn state_name(s: PoolState) -> &'static str {
    match s {
        PoolState::Uncarved => "uncarved",
        PoolState::Empty => "empty",
        PoolState::Used => "used",
        PoolState::Full => "full",
    }
}

/// The inspector's rows for a pool: (label, value).
pub fn pool_rows(alloc: &Allocator, id: PoolId) -> Vec<(&'static str, String)> {
    let Some(p) = alloc.pool_info(id) else {
        return vec![
            ("pool", format!("{id}")),
            ("state", "not allocated at this step".into()),
        ];
    };
    let dash = || "—".to_string();
    vec![
        ("pool", format!("{id}")),
        ("address", format!("{:#x}", p.address)),
        ("state", state_name(p.state).to_string()),
        ("szidx", p.szidx.map_or_else(dash, |s| s.to_string())),
        (
            "block size",
            if p.block_size == 0 {
                dash()
            } else {
                format!("{} bytes", p.block_size)
            },
        ),
        (
            "count",
            if p.capacity == 0 {
                p.count.to_string()
            } else {
                format!("{} of {}", p.count, p.capacity)
            },
        ),
        ("free list length", p.free_list_len.to_string()),
        ("nextoffset", p.nextoffset.to_string()),
        ("maxnextoffset", p.maxnextoffset.to_string()),
        ("linked in", pool_place(alloc, id)),
    ]
}
