//! Property tests: random malloc/free/realloc sequences keep every allocator
//! invariant and agree with a simple reference model (a map from live
//! pointers to requested sizes) on what is live, where it is, and how much
//! of each size class is in use.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;
use pymem::version::{index2size, size_class, SMALL_REQUEST_THRESHOLD};
use pymem::{Allocator, Ptr, Version};

#[derive(Clone, Debug)]
enum Action {
    Malloc(u64),
    /// Free the live pointer at this position (modulo the number live).
    Free(usize),
    Realloc(usize, u64),
}

fn size() -> impl Strategy<Value = u64> {
    prop_oneof![
        8 => 1u64..=512,
        1 => Just(0u64),
        1 => 513u64..4000,
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        5 => size().prop_map(Action::Malloc),
        4 => any::<usize>().prop_map(Action::Free),
        2 => (any::<usize>(), size()).prop_map(|(i, n)| Action::Realloc(i, n)),
    ]
}

fn version() -> impl Strategy<Value = Version> {
    prop::sample::select(Version::ALL.to_vec())
}

/// The reference model: what a correct allocator must have live, and the
/// size class each live block was carved from (`None` for the system malloc).
#[derive(Default)]
struct Reference {
    live: Vec<(Ptr, u64, Option<usize>)>,
}

fn class_of(n: u64) -> Option<usize> {
    (1..=SMALL_REQUEST_THRESHOLD as u64)
        .contains(&n)
        .then(|| size_class(n as u32))
}

impl Reference {
    fn per_class(&self) -> [u64; 32] {
        let mut out = [0; 32];
        for &(_, _, c) in &self.live {
            if let Some(c) = c {
                out[c] += 1;
            }
        }
        out
    }
}

fn check_agreement(a: &Allocator, r: &Reference) -> Result<(), TestCaseError> {
    a.check_invariants()
        .map_err(|v| TestCaseError::fail(v.to_string()))?;
    // Every live block is big enough and no two overlap.
    let mut spans = BTreeMap::new();
    for &(p, n, c) in &r.live {
        let usable = a
            .usable_size(p)
            .ok_or_else(|| TestCaseError::fail(format!("{p:?} not live")))?;
        prop_assert!(usable >= n, "{p:?}: usable {usable} < requested {n}");
        match (p, c) {
            (Ptr::Block(_), Some(c)) => prop_assert_eq!(usable, index2size(c) as u64),
            (Ptr::Raw(_), None) => {}
            _ => prop_assert!(false, "{p:?} is in the wrong allocator for class {c:?}"),
        }
        let addr = a
            .address_of(p)
            .ok_or_else(|| TestCaseError::fail("no address".to_string()))?;
        spans.insert(addr, usable.max(1));
    }
    let mut end = 0;
    for (&start, &len) in &spans {
        prop_assert!(start >= end, "blocks overlap at {start:#x}");
        end = start + len;
    }
    let stats = a.stats();
    let want = r.per_class();
    for (c, w) in want.iter().enumerate() {
        prop_assert_eq!(stats.classes[c].blocks_in_use, *w, "class {}", c);
    }
    let raw = r.live.iter().filter(|(_, _, c)| c.is_none()).count() as u64;
    prop_assert_eq!(a.raw_allocated_blocks(), raw);
    prop_assert_eq!(a.blocks_in_use(), want.iter().sum::<u64>());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_sequences_keep_invariants(v in version(), actions in prop::collection::vec(action(), 1..400)) {
        let mut a = Allocator::new(v);
        let mut r = Reference::default();
        for act in actions {
            match act {
                Action::Malloc(n) => {
                    let p = a.malloc(n).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert!(r.live.iter().all(|(q, _, _)| *q != p), "malloc returned a live pointer");
                    r.live.push((p, n, class_of(n)));
                }
                Action::Free(i) if !r.live.is_empty() => {
                    let (p, _, _) = r.live.swap_remove(i % r.live.len());
                    a.free(p).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert!(a.free(p).is_err(), "double free must be refused");
                }
                Action::Realloc(i, n) if !r.live.is_empty() => {
                    let k = i % r.live.len();
                    let (p, _, c) = r.live[k];
                    let q = a.realloc(Some(p), n).map_err(|e| TestCaseError::fail(e.to_string()))?;
                    // pymalloc_realloc: in place iff n fits and 4n > 3·blocksize;
                    // a system-malloc block is always resized in place.
                    let expect = match c {
                        Some(c) => {
                            let size = index2size(c) as u64;
                            if n <= size && 4 * n > 3 * size { Some(c) } else { class_of(n) }
                        }
                        None => None,
                    };
                    let in_place = match c {
                        Some(c) => expect == Some(c) && n <= index2size(c) as u64 && 4 * n > 3 * index2size(c) as u64,
                        None => true,
                    };
                    prop_assert_eq!(q == p, in_place, "realloc({:?}, {}) moved={}", p, n, q != p);
                    r.live[k] = (q, n, expect);
                }
                _ => {}
            }
            check_agreement(&a, &r)?;
        }
        // Free everything: only the last usable arena may stay mapped.
        for (p, _, _) in r.live.drain(..) {
            a.free(p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        check_agreement(&a, &r)?;
        prop_assert!(a.stats().arenas_current <= 1, "{} arenas left", a.stats().arenas_current);
    }

    /// Freeing and reallocating the same class reuses blocks newest-first
    /// (the free list is LIFO), whatever came before.
    #[test]
    fn frees_are_reused_lifo(v in version(), n in 1u64..=512, k in 1usize..40) {
        // Within one pool (across pools, emptied pools return through freepools).
        let k = k.min(v.blocks_per_pool(size_class(n as u32)) as usize);
        let mut a = Allocator::new(v);
        // Keep the arena alive: 3.8 unmaps even the last wholly free arena.
        let keeper = if n > 256 { 1 } else { 512 };
        let _keep = a.malloc(keeper).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ps: Vec<Ptr> = (0..k).map(|_| a.malloc(n)).collect::<Result<_, _>>().map_err(|e| TestCaseError::fail(e.to_string()))?;
        for p in &ps {
            a.free(*p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        let mut again = HashMap::new();
        for (i, p) in ps.iter().rev().enumerate() {
            let q = a.malloc(n).map_err(|e| TestCaseError::fail(e.to_string()))?;
            again.insert(i, q);
            prop_assert_eq!(q, *p);
        }
    }
}
