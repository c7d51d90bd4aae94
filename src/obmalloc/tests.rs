//! Unit tests for each pymalloc algorithm. Expected values are worked out
//! from `Objects/obmalloc.c` by hand in the comments.

use super::*;
use crate::obmalloc::PY_SSIZE_T_MAX;

fn blk(p: Ptr) -> BlockRef {
    match p {
        Ptr::Block(b) => b,
        Ptr::Raw(r) => panic!("expected a pymalloc block, got {r}"),
    }
}

fn alloc(a: &mut Allocator, n: u64) -> BlockRef {
    let p = a.malloc(n).expect("malloc");
    a.check_invariants().expect("invariants after malloc");
    blk(p)
}

fn free(a: &mut Allocator, b: BlockRef) {
    a.free(Ptr::Block(b)).expect("free");
    a.check_invariants().expect("invariants after free");
}

fn pid(arena: u32, index: u8) -> PoolId {
    PoolId {
        arena: ArenaId(arena),
        index,
    }
}

#[test]
fn first_allocation_maps_an_arena_and_initialises_a_pool() {
    let mut a = Allocator::new(Version::V3_11);
    a.set_recording(true);
    let b = alloc(&mut a, 24);
    assert_eq!(
        b,
        BlockRef {
            pool: pid(0, 0),
            block: 0
        }
    );
    assert_eq!(a.arena_slots(), 16, "INITIAL_ARENA_OBJECTS");
    let arena = a.arena(ArenaId(0)).expect("arena 0");
    // Misaligned by one page: the first partial pool is lost, 63 remain.
    assert_eq!(arena.ntotalpools, 63);
    assert_eq!(arena.nfreepools, 62);
    assert_eq!(arena.first_pool - arena.address, 16384 - 4096);
    let info = a.pool_info(pid(0, 0)).expect("pool");
    assert_eq!(info.szidx, Some(1));
    assert_eq!(info.block_size, 32);
    assert_eq!(info.capacity, 510);
    // allocate_from_new_pool: block 0 handed out, block 1 is the free list,
    // nextoffset points at block 2.
    assert_eq!(info.nextoffset, 48 + 2 * 32);
    assert_eq!(info.maxnextoffset, 16384 - 32);
    assert_eq!(a.free_list(pid(0, 0)), vec![1]);
    let names: Vec<_> = a
        .events()
        .iter()
        .map(|e| e.c_function().name(Version::V3_11))
        .collect();
    assert_eq!(
        names,
        [
            "new_arena",
            "new_arena",
            "allocate_from_new_pool",
            "allocate_from_new_pool"
        ]
    );
}

#[test]
fn blocks_come_from_the_free_list_then_virgin_space() {
    let mut a = Allocator::new(Version::V3_12);
    let b0 = alloc(&mut a, 16);
    let b1 = alloc(&mut a, 16);
    let b2 = alloc(&mut a, 16);
    assert_eq!((b0.block, b1.block, b2.block), (0, 1, 2));
    assert_eq!(
        a.pool_info(pid(0, 0)).map(|p| p.nextoffset),
        Some(48 + 4 * 16)
    );
    // LIFO: the last block freed is the first reused.
    free(&mut a, b0);
    free(&mut a, b2);
    assert_eq!(a.free_list(pid(0, 0)), vec![2, 0, 3]);
    assert_eq!(alloc(&mut a, 10).block, 2);
    assert_eq!(alloc(&mut a, 10).block, 0);
    assert_eq!(alloc(&mut a, 10).block, 3);
    assert_eq!(alloc(&mut a, 10).block, 4);
    use BlockState::*;
    assert_eq!(
        &a.block_states(pid(0, 0))[..7],
        &[Allocated, Allocated, Allocated, Allocated, Allocated, Free, Virgin]
    );
}

#[test]
fn a_full_pool_leaves_usedpools_and_returns_at_the_front() {
    let v = Version::V3_11;
    let mut a = Allocator::new(v);
    let n = v.blocks_per_pool(31) as usize; // 31 blocks of 512 bytes
    let first: Vec<_> = (0..n).map(|_| alloc(&mut a, 512)).collect();
    assert!(first.iter().all(|b| b.pool == pid(0, 0)));
    assert_eq!(
        a.pool_info(pid(0, 0)).map(|p| p.state),
        Some(PoolState::Full)
    );
    assert!(a.usedpools(31).is_empty(), "a full pool is in no list");
    let second = alloc(&mut a, 500);
    assert_eq!(second.pool, pid(0, 1));
    assert_eq!(a.usedpools(31), vec![pid(0, 1)]);
    // Freeing a block of the full pool puts it at the front of usedpools.
    free(&mut a, first[7]);
    assert_eq!(a.usedpools(31), vec![pid(0, 0), pid(0, 1)]);
    assert_eq!(
        alloc(&mut a, 497),
        first[7],
        "the next allocation reuses the freed block"
    );
}

#[test]
fn an_empty_pool_is_cached_and_reused_with_its_free_list() {
    let mut a = Allocator::new(Version::V3_11);
    let keep = alloc(&mut a, 100); // class 6 in pool 0 keeps arena 0 alive
    let bs: Vec<_> = (0..3).map(|_| alloc(&mut a, 64)).collect(); // class 3, pool 1
    assert!(bs.iter().all(|b| b.pool == pid(0, 1)));
    free(&mut a, bs[1]);
    free(&mut a, bs[0]);
    free(&mut a, bs[2]);
    assert_eq!(
        a.pool_info(pid(0, 1)).map(|p| p.state),
        Some(PoolState::Empty)
    );
    assert_eq!(a.freepools(ArenaId(0)), vec![pid(0, 1)]);
    assert_eq!(
        a.pool_info(pid(0, 1)).and_then(|p| p.szidx),
        Some(3),
        "szidx is kept"
    );
    assert_eq!(a.arena(ArenaId(0)).map(|x| x.nfreepools), Some(62));
    // Same class again: the cached pool and its LIFO free list (2, 0, 1, 3).
    assert_eq!(
        alloc(&mut a, 60),
        BlockRef {
            pool: pid(0, 1),
            block: 2
        }
    );
    assert_eq!(alloc(&mut a, 60).block, 0);
    assert_eq!(a.free_list(pid(0, 1)), vec![1, 3]);
    let _ = keep;
}

#[test]
fn a_cached_pool_of_another_class_is_reinitialised() {
    let mut a = Allocator::new(Version::V3_11);
    let _keep = alloc(&mut a, 100);
    let b = alloc(&mut a, 64);
    free(&mut a, b);
    let c = alloc(&mut a, 200); // class 12 takes the cached pool 0.1
    assert_eq!(
        c,
        BlockRef {
            pool: pid(0, 1),
            block: 0
        }
    );
    let info = a.pool_info(pid(0, 1)).expect("pool");
    assert_eq!(
        (info.szidx, info.capacity, info.nextoffset),
        (Some(12), 78, 48 + 2 * 208)
    );
}

#[test]
fn freepools_are_lifo() {
    let mut a = Allocator::new(Version::V3_10);
    let _keep = alloc(&mut a, 8);
    let x = alloc(&mut a, 40); // pool 1
    let y = alloc(&mut a, 72); // pool 2
    free(&mut a, x);
    free(&mut a, y);
    assert_eq!(a.freepools(ArenaId(0)), vec![pid(0, 2), pid(0, 1)]);
    assert_eq!(alloc(&mut a, 300).pool, pid(0, 2));
    assert_eq!(alloc(&mut a, 400).pool, pid(0, 1));
    assert_eq!(
        alloc(&mut a, 16 * 30).pool,
        pid(0, 3),
        "nothing cached: carve at pool_address"
    );
}

/// Allocates one 512-byte block in each of `n` new pools (every pool but the
/// first is filled so the next allocation needs a new pool).
fn fill_pools(a: &mut Allocator, n: usize) -> Vec<Vec<BlockRef>> {
    let per_pool = a.version().blocks_per_pool(31) as usize;
    (0..n)
        .map(|_| (0..per_pool).map(|_| alloc(a, 512)).collect())
        .collect()
}

#[test]
fn a_new_arena_only_when_no_arena_has_a_free_pool() {
    let v = Version::V3_9;
    let mut a = Allocator::new(v);
    let pools = fill_pools(&mut a, 64);
    assert_eq!(
        a.arenas().count(),
        1,
        "3.8/3.9 arenas are page aligned: 64 pools"
    );
    assert_eq!(a.arena(ArenaId(0)).map(|x| x.ntotalpools), Some(64));
    assert!(a.usable_arenas().is_empty());
    let next = alloc(&mut a, 512);
    assert_eq!(next.pool, pid(1, 0));
    assert_eq!(a.arenas().count(), 2);
    assert_eq!(a.stats().classes[31].num_pools, 65);
    assert_eq!(pools.len(), 64);
}

#[test]
fn the_arena_vector_starts_at_16_and_doubles() {
    let v = Version::V3_8; // 256 KiB arenas keep this test small
    let mut a = Allocator::new(v);
    fill_pools(&mut a, 16 * 64);
    assert_eq!(a.arena_slots(), 16);
    let _ = alloc(&mut a, 512);
    assert_eq!(a.arena_slots(), 32);
    assert_eq!(a.arenas().count(), 17);
}

#[test]
fn usable_arenas_stay_sorted_and_wholly_free_arenas_are_released() {
    let v = Version::V3_11;
    let mut a = Allocator::new(v);
    a.set_recording(true);
    // Three full arenas of 63 pools each, then one block in a fourth.
    let pools = fill_pools(&mut a, 63 * 3);
    let extra = alloc(&mut a, 512);
    assert_eq!(extra.pool, pid(3, 0));
    assert_eq!(a.usable_arenas(), vec![ArenaId(3)]);
    // Empty two pools of arena 1: it rejoins at the head (case 2), then has
    // 2 free pools; arena 3 has 62, so arena 1 stays in front.
    for b in &pools[63] {
        free(&mut a, *b);
    }
    assert_eq!(a.usable_arenas(), vec![ArenaId(1), ArenaId(3)]);
    for b in &pools[64] {
        free(&mut a, *b);
    }
    assert_eq!(a.usable_arenas(), vec![ArenaId(1), ArenaId(3)]);
    assert_eq!(a.nfp2lasta(2), Some(ArenaId(1)));
    // One pool of arena 0 freed: 1 free pool, goes to the head.
    for b in &pools[0] {
        free(&mut a, *b);
    }
    assert_eq!(a.usable_arenas(), vec![ArenaId(0), ArenaId(1), ArenaId(3)]);
    // Free a second and third pool of arena 0: it slides right past arena 1 (case 3).
    for b in pools[1].iter().chain(&pools[2]) {
        free(&mut a, *b);
    }
    assert_eq!(a.usable_arenas(), vec![ArenaId(1), ArenaId(0), ArenaId(3)]);
    assert!(a.events().iter().any(|e| matches!(
        e,
        Event::ArenaResorted {
            arena: ArenaId(0),
            nfreepools: 3
        }
    )));
    // Wholly free arena 1 (not last in usable_arenas) is released.
    for p in &pools[65..126] {
        for b in p {
            free(&mut a, *b);
        }
    }
    // pools[63..126] are arena 1's 63 pools: it is now wholly free.
    assert!(a.arena(ArenaId(1)).is_none(), "arena 1 was unmapped");
    assert_eq!(a.arenas().count(), 3);
    assert_eq!(a.stats().arenas_current, 3);
    assert_eq!(a.stats().arenas_reclaimed(), 1);
    // The last arena in usable_arenas is kept even when wholly free (bpo-37257).
    free(&mut a, extra);
    assert!(a.arena(ArenaId(3)).is_some());
    assert_eq!(a.usable_arenas().last(), Some(&ArenaId(3)));
    assert_eq!(a.arena(ArenaId(3)).map(|x| x.nfreepools), Some(63));
    // The freed slot is reused by the next new arena.
    let _ = fill_pools(&mut a, 3 + 63 + 1);
    assert!(a.arena(ArenaId(1)).is_some());
    assert_eq!(a.stats().arenas_allocated_total, 5);
}

#[test]
fn realloc_stays_in_place_only_when_it_fits_snugly() {
    let mut a = Allocator::new(Version::V3_11);
    let p = a.malloc(100).expect("malloc"); // class 6, 112-byte block
                                            // 4·n > 3·112 = 336 ⇔ n ≥ 85; n ≤ 112.
    assert_eq!(a.realloc(Some(p), 112), Ok(p));
    assert_eq!(a.realloc(Some(p), 85), Ok(p));
    let q = a.realloc(Some(p), 84).expect("shrink");
    assert_ne!(
        q, p,
        "84 bytes would waste more than a quarter of the block: moved"
    );
    assert_eq!(a.usable_size(q), Some(96));
    let r = a.realloc(Some(q), 600).expect("grow");
    assert!(
        matches!(r, Ptr::Raw(_)),
        "over 512 bytes goes to the system malloc"
    );
    let s = a.realloc(Some(r), 10).expect("shrink raw");
    assert_eq!(s, r, "a raw block stays raw (PyMem_RawRealloc)");
    assert_eq!(a.usable_size(s), Some(10));
    assert_eq!(a.realloc(None, 30).map(|p| a.usable_size(p)), Ok(Some(32)));
    a.check_invariants().expect("invariants");
}

#[test]
fn zero_and_large_requests_use_the_system_malloc() {
    let mut a = Allocator::new(Version::V3_13);
    let z = a.malloc(0).expect("malloc(0)");
    let big = a.malloc(513).expect("malloc(513)");
    assert!(matches!(z, Ptr::Raw(_)) && matches!(big, Ptr::Raw(_)));
    assert_eq!(a.raw_allocated_blocks(), 2);
    assert_eq!(a.footprint_bytes(), 1 + 513, "malloc(0) is malloc(1)");
    assert_eq!(a.arenas().count(), 0, "no arena for large requests");
    a.free(z).expect("free");
    a.free(big).expect("free");
    assert_eq!(a.raw_allocated_blocks(), 0);
}

#[test]
fn bad_pointers_and_exhausted_budgets_are_errors_not_panics() {
    let mut a = Allocator::new(Version::V3_11);
    let p = a.malloc(32).expect("malloc");
    a.free(p).expect("free");
    assert_eq!(a.free(p), Err(AllocError::InvalidPointer(p)));
    let stale = Ptr::Block(BlockRef {
        pool: pid(9, 3),
        block: 7,
    });
    assert_eq!(a.free(stale), Err(AllocError::InvalidPointer(stale)));
    assert_eq!(
        a.free(Ptr::Raw(RawId(99))),
        Err(AllocError::InvalidPointer(Ptr::Raw(RawId(99))))
    );
    a.set_budget(2 << 20);
    assert!(a.malloc(1 << 20).is_ok());
    assert!(matches!(
        a.malloc(2 << 20),
        Err(AllocError::OutOfMemory { .. })
    ));
    // The arena already mapped still serves small requests; a second does not fit.
    fill_pools(&mut a, 63);
    assert!(matches!(a.malloc(512), Err(AllocError::OutOfMemory { .. })));
    a.check_invariants().expect("invariants after refusals");
}

#[test]
fn stats_count_pools_blocks_and_arenas() {
    let v = Version::V3_11;
    let mut a = Allocator::new(v);
    for _ in 0..1000 {
        alloc(&mut a, 28);
    }
    let s = a.stats();
    assert_eq!(s.classes[1].num_pools, 2);
    assert_eq!(s.classes[1].blocks_in_use, 1000);
    assert_eq!(s.classes[1].avail_blocks, 2 * 510 - 1000);
    assert_eq!(
        (
            s.arenas_current,
            s.arenas_allocated_total,
            s.arenas_highwater
        ),
        (1, 1, 1)
    );
    assert_eq!(s.unused_pools, 61);
    assert_eq!(s.misaligned_arenas, 1);
    assert_eq!(
        s.arena_map.map(|m| (m.mid_nodes, m.bot_nodes)),
        Some((1, 1))
    );
}

#[test]
fn planned_alignment_gives_64_pools() {
    let mut a = Allocator::new(Version::V3_12);
    a.plan_arena_alignment([false]);
    alloc(&mut a, 1);
    assert_eq!(
        a.arena(ArenaId(0))
            .map(|x| (x.ntotalpools, x.address == x.first_pool)),
        Some((64, true))
    );
    fill_pools(&mut a, 64);
    assert_eq!(
        a.arena(ArenaId(1)).map(|x| x.ntotalpools),
        Some(63),
        "after the plan: misaligned"
    );
}

#[test]
fn absurd_sizes_are_refused_even_with_no_budget() {
    let mut a = Allocator::new(Version::V3_12);
    a.set_budget(u64::MAX);
    for n in [u64::MAX, u64::MAX - 15, PY_SSIZE_T_MAX + 1] {
        assert!(
            matches!(a.malloc(n), Err(AllocError::OutOfMemory { .. })),
            "{n}"
        );
    }
    let p = a.malloc(600).expect("malloc");
    assert!(matches!(
        a.realloc(Some(p), u64::MAX),
        Err(AllocError::OutOfMemory { .. })
    ));
    let q = a.malloc(60).expect("malloc");
    assert!(matches!(
        a.realloc(Some(q), u64::MAX),
        Err(AllocError::OutOfMemory { .. })
    ));
    assert_eq!(
        a.usable_size(p),
        Some(600),
        "a failed realloc leaves the block alone"
    );
    assert_eq!(a.usable_size(q), Some(64));
    a.check_invariants().expect("invariants");
}

#[test]
fn a_new_arena_reuses_the_address_of_the_last_unmapped_one() {
    let mut a = Allocator::new(Version::V3_11);
    let _first = fill_pools(&mut a, 63); // arena 0, full
    let third = fill_pools(&mut a, 64); // arena 1's 63 pools, then one pool of arena 2
    let addr1 = a.arena(ArenaId(1)).map(|x| x.address).expect("arena 1");
    let before = a.stats().arena_map;
    // Empty arena 1: arena 2 follows it in usable_arenas, so it is unmapped.
    for b in third[..63].iter().flatten() {
        free(&mut a, *b);
    }
    assert!(a.arena(ArenaId(1)).is_none(), "arena 1 was unmapped");
    // 62 pools fill arena 2; the next one needs a new arena: same slot, same address.
    fill_pools(&mut a, 63);
    assert_eq!(a.arena(ArenaId(1)).map(|x| x.address), Some(addr1));
    assert_eq!(
        a.stats().arena_map,
        before,
        "no new radix-tree node for a reused address"
    );
    assert_eq!(a.stats().arenas_allocated_total, 4);
}
