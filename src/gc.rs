//! The cyclic garbage collector's bookkeeping: generation lists, counts,
//! thresholds and statistics, as `struct _gc_runtime_state` holds them
//! (`Include/internal/pycore_gc.h`, 3.8–3.13).
//!
//! 3.14's incremental collector (modelled from `Python/gc.c` of CPython's
//! main branch, not verified against a running 3.14) keeps the same lists
//! under other names: `Gen(0)` is `young`, `Gen(1)` and `Gen(2)` are
//! `old[0]` and `old[1]`, the two old *spaces*. [`Incremental`] says which
//! of them is the visited space; each object carries its space bit
//! (`_PyGC_NEXT_MASK_OLD_SPACE_1`), and counting happens on tracking
//! rather than on allocation (`_PyObject_GC_TRACK`/`_PyObject_GC_UNTRACK`).
//!
//! Every tracked container is in exactly one list. The lists are intrusive
//! doubly linked lists over the object slab's indices (the `PyGC_Head`
//! `_gc_prev`/`_gc_next` pair): appending, unlinking and moving an object
//! are O(1), and the order is CPython's (`_PyObject_GC_TRACK` appends at
//! the end of generation 0, `gc_list_merge` appends a whole list).
//!
//! The collection itself, which needs the objects' references, is in
//! `objects/gc.rs`; this file knows only handles.

use crate::objects::ObjRef;
use crate::version::Version;

/// `NUM_GENERATIONS`.
pub const NUM_GENERATIONS: usize = 3;

/// A short name for the list `list` (`None`: not tracked), as the JSON
/// trace writes it.
pub fn list_name(list: Option<List>) -> &'static str {
    match list {
        None => "untracked",
        Some(List::Gen(0)) => "gen0",
        Some(List::Gen(1)) => "gen1",
        Some(List::Gen(_)) => "gen2",
        Some(List::Permanent) => "permanent",
        Some(List::Unreachable) => "unreachable",
        Some(List::Callbacks) => "weakref_callbacks",
        Some(List::Scratch) => "final_unreachable",
        Some(List::Reachable) => "reachable",
        Some(List::Increment) => "increment",
    }
}

/// A list an object can be in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum List {
    /// Generation 0, 1 or 2.
    Gen(u8),
    /// `permanent_generation` (`gc.freeze()`).
    Permanent,
    /// `unreachable`, during a collection.
    Unreachable,
    /// `wrcb_to_call`: weakrefs whose callbacks are due, during a collection.
    Callbacks,
    /// `finalizers` and `final_unreachable` reuse this one, in turn.
    Scratch,
    /// 3.14: `reachable`, the objects `mark_stacks`/`mark_global_roots`
    /// found and `mark_all_reachable` has still to traverse.
    Reachable,
    /// 3.14: `increment`, what one `gc_collect_increment` collects.
    Increment,
}

const NLISTS: usize = 9;
const NIL: u32 = u32::MAX;
const NONE: u8 = u8::MAX;

impl List {
    const fn index(self) -> u8 {
        match self {
            List::Gen(g) => g,
            List::Permanent => 3,
            List::Unreachable => 4,
            List::Callbacks => 5,
            List::Scratch => 6,
            List::Reachable => 7,
            List::Increment => 8,
        }
    }

    const fn from_index(i: u8) -> Option<List> {
        match i {
            0..=2 => Some(List::Gen(i)),
            3 => Some(List::Permanent),
            4 => Some(List::Unreachable),
            5 => Some(List::Callbacks),
            6 => Some(List::Scratch),
            7 => Some(List::Reachable),
            8 => Some(List::Increment),
            _ => None,
        }
    }
}

/// One object's `PyGC_Head`, plus the bits CPython keeps in it.
#[derive(Copy, Clone, Debug)]
struct Link {
    prev: u32,
    next: u32,
    list: u8,
    /// `gc_refs` during a collection (`_gc_prev` shifted in C).
    refs: i64,
    /// `PREV_MASK_COLLECTING`.
    collecting: bool,
    /// `_PyGC_PREV_MASK_FINALIZED`: `tp_finalize` already ran (PEP 442).
    finalized: bool,
    /// 3.14: `_PyGC_NEXT_MASK_OLD_SPACE_1`, the old space (0 or 1) the
    /// object counts as in; visited when it equals `visited_space`.
    space: u8,
}

const UNLINKED: Link = Link {
    prev: NIL,
    next: NIL,
    list: NONE,
    refs: 0,
    collecting: false,
    finalized: false,
    space: 0,
};

#[derive(Copy, Clone, Debug)]
struct Head {
    first: u32,
    last: u32,
    len: usize,
}

const EMPTY: Head = Head {
    first: NIL,
    last: NIL,
    len: 0,
};

/// `struct gc_generation_stats`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Collections of this generation.
    pub collections: u64,
    /// Objects collected.
    pub collected: u64,
    /// Objects found uncollectable.
    pub uncollectable: u64,
}

/// The collector's state (`struct _gc_runtime_state`).
#[derive(Clone, Debug)]
pub struct GcState {
    links: Vec<Link>,
    heads: [Head; NLISTS],
    /// `generations[i].threshold`.
    pub thresholds: [i64; NUM_GENERATIONS],
    /// `generations[i].count`.
    pub counts: [i64; NUM_GENERATIONS],
    /// `enabled` (`gc.enable()`/`gc.disable()`).
    pub enabled: bool,
    /// `debug` (`gc.set_debug`).
    pub debug: i64,
    /// `generation_stats`.
    pub stats: [GenStats; NUM_GENERATIONS],
    /// Objects in generation 2 after the last full collection.
    pub long_lived_total: u64,
    /// Objects promoted into generation 2 since then.
    pub long_lived_pending: u64,
    /// A collection is running (`collecting`): no other starts.
    pub collecting: bool,
    /// Generation 0 went over its threshold: a collection is due (3.8–3.11
    /// run it inside the allocation, 3.12+ at the next eval-breaker check).
    pub due: bool,
    /// What the model knows of the objects and counts it does not make.
    pub unseen: Unseen,
    /// The oldest generation collected since the program started, if any.
    pub oldest_collected: Option<u8>,
    /// The object whose allocation made the collection due: up to 3.11
    /// CPython collects inside that allocation, before tracking it.
    pub trigger: Option<ObjRef>,
    /// While a program trace records: tracking changes and the objects
    /// whose list changed (see [`crate::program`]).
    pub(crate) log: Option<Box<GcLog>>,
    /// 3.14's incremental collector; `None` up to 3.13.
    pub inc: Option<Incremental>,
}

/// 3.14's incremental collector state (`struct _gc_runtime_state` in
/// `Include/internal/pycore_interp_structs.h`, main branch).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Incremental {
    /// `visited_space`: the old space (0 or 1) that holds what this
    /// scavenge has visited; the other one is pending.
    pub visited_space: u8,
    /// `work_to_do`: how many objects the next increment should scan.
    pub work_to_do: i64,
    /// `phase == GC_PHASE_MARK`: the next increment marks from the roots.
    pub marking: bool,
    /// `heap_size`: tracked objects, [`STARTUP_HEAP_314`] of them assumed.
    pub heap_size: i64,
}

/// `SCAN_RATE_DIVISOR` (`Python/gc.c`): an increment scans about 1% of
/// the heap with the default threshold of 10.
pub const SCAN_RATE_DIVISOR: i64 = 10;

/// The tracked objects 3.14's startup is assumed to leave (in
/// `heap_size`, and marked by the first `mark_at_start`). No 3.14
/// interpreter is here: this is 3.13.0's `len(gc.get_objects())` on a
/// plain script's first line, an assumption of the unverified profile.
pub const STARTUP_HEAP_314: i64 = 5139;

/// The fewest objects a CPython 3.8–3.13 startup leaves in generation 2
/// after a full collection. Measured with `python3.X -I -S -c 'import gc;
/// gc.collect(); print(len(gc.get_objects(2)))'`: 3691 (3.8) to 4274
/// (3.13); a normal start with `site` has more.
pub const STARTUP_OBJECTS_MIN: u64 = 3000;

/// What the model knows about the collector's state that comes from
/// objects it does not make: the interpreter's startup (thousands of
/// tracked objects, and the allocations and collections that made them)
/// and a few objects of the program's own that it does not model yet (a
/// class's type dict, `__mro__` and descriptors; a generator's frame
/// before 3.11; tracebacks). With it the model refuses, rather than
/// guesses, a number that depends on them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unseen {
    /// `counts[i]` still includes allocations made before the program
    /// ran: true until generation `i` or an older one is collected.
    pub count_assumed: [bool; NUM_GENERATIONS],
    /// `stats` are the startup's (measured for a plain script, see
    /// [`startup_stats`]) plus the program's. False once the program
    /// imports a module written in Python, whose import may collect.
    pub stats_known: bool,
    /// Generations 0–2 and the permanent one may hold startup objects.
    pub startup: [bool; 4],
    /// At most this many tracked objects of the program's that the model
    /// does not make, in generations 0–2 and the permanent one.
    pub extra: [u64; 4],
    /// At most this many of those counted in `long_lived_pending`.
    pub pending_extra: u64,
    /// `long_lived_total` misses the startup objects in generation 2 (at
    /// least [`STARTUP_OBJECTS_MIN`]) and up to `total_extra` others.
    pub total_startup: bool,
    /// Unreachable objects the model does not make, which the next
    /// collection frees: `None` when their number is not known (see
    /// [`import_garbage`]).
    pub garbage: Option<u64>,
}

/// The cyclic garbage the first `import name` of a module written in
/// Python leaves for the next collection, once the program has collected
/// (`collected`). Measured with `import gc; gc.collect(); import name;
/// print(gc.collect(0), gc.collect(1), gc.collect())`: `weakref` leaves 7
/// objects in generation 0 on 3.13.0 and none before (3.14 is assumed to
/// be 3.13). Before the first collection the import's own automatic
/// collections run at times that depend on the startup's counts: the
/// same 7 are left or not (`import gc; import weakref` leaves them on 3.9
/// and 3.13, `import weakref; import gc` also on 3.12). `tracemalloc`'s
/// import leaves 10 in generation 1 on 3.8–3.10, none on 3.11, 11 in
/// generation 0 on 3.12/3.13 after a collection, and other numbers at
/// the top of a file. `None`: not known.
pub fn import_garbage(v: Version, name: &str, collected: bool) -> Option<u64> {
    match name {
        "weakref" if !collected => None,
        "weakref" if v.minor() >= 13 => Some(7),
        "weakref" => Some(0),
        _ => None,
    }
}

impl Unseen {
    fn new(v: Version) -> Unseen {
        Unseen {
            count_assumed: [true; NUM_GENERATIONS],
            stats_known: true,
            // 3.12 starts with objects in the permanent generation
            // (`gc.get_freeze_count()` is 375 at startup on 3.12.1).
            startup: [true, true, true, v.minor() == 12],
            extra: [0; 4],
            pending_extra: 0,
            total_startup: false,
            garbage: Some(0),
        }
    }

    /// True when an automatic collection now runs at an assumed time: its
    /// trigger compared a count that includes the startup's allocations.
    pub fn timing_assumed(&self) -> bool {
        self.count_assumed.iter().any(|&a| a)
    }

    /// Generations `0..=g` are collected: they end empty, and what they
    /// held that survives goes to the next one (or stays in 2). After a
    /// collection that ran at an assumed time every count stays assumed.
    fn collected(&mut self, g: usize, assumed: bool) {
        let startup = self.startup[..=g].iter().any(|&s| s);
        let extra: u64 = self.extra[..=g].iter().sum();
        for i in 0..=g {
            self.count_assumed[i] &= assumed;
            self.startup[i] = false;
            self.extra[i] = 0;
        }
        let old = (g + 1).min(NUM_GENERATIONS - 1);
        self.startup[old] |= startup;
        self.extra[old] += extra;
        if g == 1 {
            self.pending_extra += extra;
        }
        if g == NUM_GENERATIONS - 1 {
            self.pending_extra = 0;
            self.total_startup = self.startup[old];
        }
    }

    /// `gc.freeze()`: every generation onto the permanent one.
    fn freeze(&mut self) {
        for i in 0..NUM_GENERATIONS {
            self.startup[3] |= self.startup[i];
            self.extra[3] += self.extra[i];
            self.startup[i] = false;
            self.extra[i] = 0;
        }
    }

    /// What list `from` (0–2, or 3 for the permanent generation) held
    /// goes to list `to` (`gc.unfreeze()`, and 3.14's list moves).
    fn moved(&mut self, from: usize, to: usize) {
        if from == to {
            return;
        }
        self.startup[to] |= self.startup[from];
        self.extra[to] += self.extra[from];
        self.startup[from] = false;
        self.extra[from] = 0;
    }

    /// A generator died before 3.11: the frame object the model did not
    /// make, tracked in the generator's list, went with it.
    pub fn frame_died(&mut self, list: Option<List>) {
        let i = match list {
            Some(List::Gen(g)) => g as usize,
            Some(List::Permanent) => 3,
            _ => return,
        };
        self.extra[i] = self.extra[i].saturating_sub(1);
    }

    /// True when `list` holds exactly the objects the model holds in it.
    pub fn exact(&self, list: List) -> bool {
        let i = match list {
            List::Gen(g) => g as usize,
            List::Permanent => 3,
            _ => return true,
        };
        !self.startup[i] && self.extra[i] == 0
    }
}

/// `gc.get_stats()` as a plain script finds it on its first line, per
/// version: `(collections, collected, uncollectable)` of generations 0, 1
/// and 2. Measured with `import gc; print(gc.get_stats())` run as a file
/// (site enabled) on the pyenv builds of tests/fidelity; another
/// installation (other `.pth` files) may start from other numbers.
pub fn startup_stats(v: Version) -> [(u64, u64, u64); NUM_GENERATIONS] {
    match v.minor() {
        8 | 9 => [(9, 0, 0), (0, 0, 0), (0, 0, 0)],
        10 => [(10, 0, 0), (0, 0, 0), (0, 0, 0)],
        11 => [(22, 43, 0), (2, 92, 0), (0, 0, 0)],
        12 => [(4, 24, 0), (0, 0, 0), (0, 0, 0)],
        _ => [(3, 24, 0), (0, 0, 0), (0, 0, 0)],
    }
}

/// `gc.get_count()` as the same plain script finds it: where automatic
/// collections are assumed to start counting (see [`Unseen`]).
pub fn startup_counts(v: Version) -> [i64; NUM_GENERATIONS] {
    match v.minor() {
        8 => [430, 9, 0],
        9 => [578, 9, 0],
        10 => [56, 10, 0],
        11 => [261, 0, 2],
        12 => [692, 4, 0],
        _ => [30, 3, 0],
    }
}

/// What [`GcState`] logs for a program trace.
#[derive(Clone, Debug, Default)]
pub(crate) struct GcLog {
    /// `_PyObject_GC_TRACK` and `_PyObject_GC_UNTRACK`, in order.
    pub events: Vec<crate::program::TraceEvent>,
    /// Objects that changed list (their generation shows in the views).
    pub touched: Vec<ObjRef>,
}

impl GcState {
    /// The state at startup in `v`: thresholds (700, 10, 10), or (2000, 10,
    /// 10) from 3.13 (`pycore_runtime_init.h`), collector enabled.
    pub fn new(v: Version) -> GcState {
        let t0 = if v.minor() >= 13 { 2000 } else { 700 };
        // 3.14: young.threshold 2000, old[0].threshold 10 (the scale of
        // an increment), old[1].threshold 0.
        let t2 = if v.minor() >= 14 { 0 } else { 10 };
        GcState {
            links: Vec::new(),
            heads: [EMPTY; NLISTS],
            thresholds: [t0, 10, t2],
            counts: startup_counts(v),
            enabled: true,
            debug: 0,
            stats: startup_stats(v).map(|(collections, collected, uncollectable)| GenStats {
                collections,
                collected,
                uncollectable,
            }),
            long_lived_total: 0,
            long_lived_pending: 0,
            collecting: false,
            due: false,
            unseen: Unseen::new(v),
            oldest_collected: None,
            trigger: None,
            log: None,
            // The state a completed scavenge leaves (`completed_scavenge`),
            // assumed for the start of the program.
            inc: (v.minor() >= 14).then_some(Incremental {
                visited_space: 0,
                work_to_do: 0,
                marking: true,
                heap_size: STARTUP_HEAP_314,
            }),
        }
    }

    /// 3.14: the visited old space's list (`GEN_HEAD(1)`); generation 1
    /// up to 3.13.
    pub fn visited(&self) -> List {
        List::Gen(1 + self.inc.map_or(0, |i| i.visited_space))
    }

    /// 3.14: the pending old space's list (`GEN_HEAD(2)`); generation 2
    /// up to 3.13.
    pub fn pending(&self) -> List {
        List::Gen(2 - self.inc.map_or(0, |i| i.visited_space))
    }

    /// The lists `gc.get_count()`, `get_referrers` and `DEBUG_STATS` walk
    /// as generations 0, 1 and 2 (`GEN_HEAD`): on 3.14 the young
    /// generation, the visited space and the pending space.
    pub fn generation_lists(&self) -> [List; NUM_GENERATIONS] {
        [List::Gen(0), self.visited(), self.pending()]
    }

    /// 3.14: the old space bit of `r`.
    pub fn space(&self, r: ObjRef) -> u8 {
        self.link(r).space
    }

    /// 3.14: sets the old space bit of `r` (`gc_set_old_space`).
    pub fn set_space(&mut self, r: ObjRef, space: u8) {
        self.link_mut(r).space = space;
    }

    /// 3.14: sets the old space bit of every object of `list`
    /// (`gc_list_set_space`).
    pub fn set_list_space(&mut self, list: List, space: u8) {
        for r in self.members(list) {
            self.set_space(r, space);
        }
    }

    /// `_PyObject_GC_TRACK`: `r` goes to the end of generation 0. On 3.14
    /// it is marked not visited and counted (`young.count`, `heap_size`),
    /// and a collection is due once `young.count` passes the threshold.
    pub fn track(&mut self, r: ObjRef) {
        self.push(List::Gen(0), r);
        let Some(inc) = self.inc.as_mut() else {
            return;
        };
        inc.heap_size += 1;
        let space = 1 ^ inc.visited_space;
        self.set_space(r, space);
        self.counts[0] += 1;
        if self.counts[0] > self.thresholds[0]
            && self.enabled
            && self.thresholds[0] != 0
            && !self.collecting
        {
            self.due = true;
        }
    }

    /// 3.14 `gc_collect_young`'s bookkeeping at its end: `young.count`
    /// to zero, one more for the visited space.
    pub fn young_collected(&mut self, assumed: bool) {
        let visited = self.visited();
        self.counts[0] = 0;
        if let List::Gen(g) = visited {
            self.counts[g as usize] += 1;
            self.unseen.moved(0, g as usize);
        }
        self.unseen.count_assumed[0] &= assumed;
        self.oldest_collected = self.oldest_collected.max(Some(0));
    }

    /// 3.14 `gc_collect_full`'s list bookkeeping: young onto the pending
    /// space, which becomes visited, onto the visited space; every count
    /// to zero.
    pub fn merge_for_full(&mut self) {
        let (visited, pending) = (self.visited(), self.pending());
        let space = self.inc.map_or(0, |i| i.visited_space);
        self.merge(List::Gen(0), pending);
        self.set_list_space(pending, space);
        self.merge(pending, visited);
        self.counts = [0; NUM_GENERATIONS];
        self.unseen.count_assumed = [false; NUM_GENERATIONS];
        if let (List::Gen(v), List::Gen(p)) = (visited, pending) {
            self.unseen.moved(0, v as usize);
            self.unseen.moved(p as usize, v as usize);
        }
        self.oldest_collected = Some(2);
    }

    /// 3.14 `assess_work_to_do`: this increment's share of work, the
    /// young objects plus about 1% of the heap (at most twice the young
    /// ones); `young.count` goes to zero.
    pub fn assess_work_to_do(&mut self) -> i64 {
        let scale = self.thresholds[1].max(2);
        let new_objects = self.counts[0];
        let heap_size = self.inc.map_or(0, |i| i.heap_size);
        let heap_fraction = (heap_size / SCAN_RATE_DIVISOR / scale).min(new_objects * 2);
        self.counts[0] = 0;
        self.unseen.count_assumed[0] = false;
        new_objects + heap_fraction
    }

    /// 3.14 `completed_scavenge`: with the permanent generation empty the
    /// spaces swap (the young objects are marked not visited again);
    /// otherwise the visited space goes back to pending. Then marking
    /// starts over.
    pub fn completed_scavenge(&mut self) {
        let Some(mut inc) = self.inc else { return };
        if self.is_empty(List::Permanent) {
            inc.visited_space ^= 1;
            self.inc = Some(inc);
            self.set_list_space(List::Gen(0), 1 ^ inc.visited_space);
        } else {
            let (visited, pending) = (self.visited(), self.pending());
            let not_visited = 1 ^ inc.visited_space;
            self.merge(visited, pending);
            self.set_list_space(pending, not_visited);
            if let (List::Gen(v), List::Gen(p)) = (visited, pending) {
                self.unseen.moved(v as usize, p as usize);
            }
        }
        if let Some(i) = self.inc.as_mut() {
            i.work_to_do = 0;
            i.marking = true;
        }
    }
    /// The count and list bookkeeping at the start of a collection of
    /// generation `g` (`gc_collect_main`): `count[g+1]` goes up, counts
    /// `0..=g` go to zero, and the younger lists merge into `g`'s.
    /// `assumed`: an automatic collection whose time was assumed.
    pub fn begin_collection(&mut self, g: u8, assumed: bool) {
        let g = g as usize;
        if g + 1 < NUM_GENERATIONS {
            self.counts[g + 1] += 1;
        }
        for i in 0..=g {
            self.counts[i] = 0;
        }
        for i in 0..g as u8 {
            self.merge(List::Gen(i), List::Gen(g as u8));
        }
        self.unseen.collected(g, assumed);
        self.oldest_collected = self.oldest_collected.max(Some(g as u8));
    }

    /// `gc_freeze_impl`: every generation onto the permanent one (3.14
    /// `_PyGC_Freeze`: young, then `old[0]`, then `old[1]`, all marked
    /// visited).
    pub fn freeze(&mut self) {
        if let Some(inc) = self.inc {
            for g in 0..NUM_GENERATIONS as u8 {
                self.set_list_space(List::Gen(g), inc.visited_space);
            }
        }
        for g in 0..NUM_GENERATIONS as u8 {
            self.merge(List::Gen(g), List::Permanent);
            self.counts[g as usize] = 0;
            self.unseen.count_assumed[g as usize] = false;
        }
        self.unseen.freeze();
    }

    /// `gc_unfreeze_impl`: the permanent generation onto generation 2
    /// (3.14: onto the visited space).
    pub fn unfreeze(&mut self) {
        let to = if self.inc.is_some() {
            self.visited()
        } else {
            List::Gen(2)
        };
        self.merge(List::Permanent, to);
        if let List::Gen(g) = to {
            self.unseen.moved(3, g as usize);
        }
    }

    fn link(&self, r: ObjRef) -> Link {
        self.links.get(r.0 as usize).copied().unwrap_or(UNLINKED)
    }

    fn link_mut(&mut self, r: ObjRef) -> &mut Link {
        let i = r.0 as usize;
        if i >= self.links.len() {
            self.links.resize(i + 1, UNLINKED);
        }
        &mut self.links[i]
    }

    /// A slab slot gets a new object: nothing of the old one's header stays.
    pub fn reset(&mut self, r: ObjRef) {
        self.detach(r);
        *self.link_mut(r) = UNLINKED;
    }

    /// The list `r` is in; `None` when it is not tracked.
    pub fn list_of(&self, r: ObjRef) -> Option<List> {
        List::from_index(self.link(r).list)
    }

    /// True when `r` is in some list (`_PyObject_GC_IS_TRACKED`).
    pub fn is_tracked(&self, r: ObjRef) -> bool {
        self.link(r).list != NONE
    }

    /// Objects in `list`.
    pub fn len(&self, list: List) -> usize {
        self.heads[list.index() as usize].len
    }

    /// True when `list` is empty.
    pub fn is_empty(&self, list: List) -> bool {
        self.len(list) == 0
    }

    /// The first object of `list`.
    pub fn first(&self, list: List) -> Option<ObjRef> {
        let f = self.heads[list.index() as usize].first;
        (f != NIL).then_some(ObjRef(f))
    }

    /// The object after `r` in its list.
    pub fn next(&self, r: ObjRef) -> Option<ObjRef> {
        let n = self.link(r).next;
        (n != NIL).then_some(ObjRef(n))
    }

    /// The objects of `list`, in order.
    pub fn members(&self, list: List) -> Vec<ObjRef> {
        let mut out = Vec::with_capacity(self.len(list));
        let mut at = self.first(list);
        while let Some(r) = at {
            out.push(r);
            at = self.next(r);
        }
        out
    }

    /// Takes `r` out of its list (`gc_list_remove`, `_PyObject_GC_UNTRACK`);
    /// nothing if untracked. 3.14 counts it out of `young.count` and
    /// `heap_size`.
    pub fn unlink(&mut self, r: ObjRef) {
        if self.detach(r) {
            if let Some(inc) = self.inc.as_mut() {
                inc.heap_size -= 1;
                if self.counts[0] > 0 {
                    self.counts[0] -= 1;
                }
            }
            if let Some(log) = &mut self.log {
                log.events
                    .push(crate::program::TraceEvent::Untrack { obj: r });
                log.touched.push(r);
            }
        }
    }

    /// Takes `r` out of its list; true if it was in one.
    fn detach(&mut self, r: ObjRef) -> bool {
        let l = self.link(r);
        if l.list == NONE {
            return false;
        }
        let h = &mut self.heads[l.list as usize];
        h.len -= 1;
        if l.prev == NIL {
            h.first = l.next;
        }
        if l.next == NIL {
            h.last = l.prev;
        }
        if l.prev != NIL {
            self.links[l.prev as usize].next = l.next;
        }
        if l.next != NIL {
            self.links[l.next as usize].prev = l.prev;
        }
        let m = self.link_mut(r);
        m.prev = NIL;
        m.next = NIL;
        m.list = NONE;
        true
    }

    /// Appends `r` at the end of `list`, out of whatever list it was in
    /// (`gc_list_append`, `gc_list_move`).
    pub fn push(&mut self, list: List, r: ObjRef) {
        let was_tracked = self.detach(r);
        if let Some(log) = &mut self.log {
            if !was_tracked {
                log.events
                    .push(crate::program::TraceEvent::Track { obj: r });
            }
            log.touched.push(r);
        }
        let li = list.index();
        let last = self.heads[li as usize].last;
        {
            let m = self.link_mut(r);
            m.prev = last;
            m.next = NIL;
            m.list = li;
        }
        if last == NIL {
            self.heads[li as usize].first = r.0;
        } else {
            self.links[last as usize].next = r.0;
        }
        let h = &mut self.heads[li as usize];
        h.last = r.0;
        h.len += 1;
    }

    /// Appends every object of `from` to `to`, in order (`gc_list_merge`).
    pub fn merge(&mut self, from: List, to: List) {
        if from == to {
            return;
        }
        for r in self.members(from) {
            self.push(to, r);
        }
    }

    /// `gc_refs` of `r`.
    pub fn refs(&self, r: ObjRef) -> i64 {
        self.link(r).refs
    }

    /// Sets `gc_refs` of `r`.
    pub fn set_refs(&mut self, r: ObjRef, n: i64) {
        self.link_mut(r).refs = n;
    }

    /// The `PREV_MASK_COLLECTING` bit of `r`.
    pub fn collecting_bit(&self, r: ObjRef) -> bool {
        self.link(r).collecting
    }

    /// Sets or clears the `PREV_MASK_COLLECTING` bit of `r`.
    pub fn set_collecting_bit(&mut self, r: ObjRef, on: bool) {
        self.link_mut(r).collecting = on;
    }

    /// True once `r`'s `tp_finalize` ran (`gc.is_finalized`).
    pub fn is_finalized(&self, r: ObjRef) -> bool {
        self.link(r).finalized
    }

    /// Sets the FINALIZED bit of `r`.
    pub fn set_finalized(&mut self, r: ObjRef) {
        self.link_mut(r).finalized = true;
    }

    /// `_PyObject_GC_Link`'s count: one more GC object allocated. True when
    /// generation 0 is now over its threshold with the collector enabled
    /// and idle: a collection is due.
    pub fn on_alloc(&mut self) -> bool {
        // 3.14 counts in `_PyObject_GC_TRACK` instead (see `track`).
        if self.inc.is_some() {
            return false;
        }
        self.counts[0] += 1;
        let over = self.counts[0] > self.thresholds[0]
            && self.enabled
            && self.thresholds[0] != 0
            && !self.collecting;
        if over {
            self.due = true;
        }
        over
    }

    /// `PyObject_GC_Del`'s count: one GC object freed. (3.14 counts a
    /// tracked one out when it is untracked, in [`GcState::unlink`].)
    pub fn on_free(&mut self) {
        if self.inc.is_some() {
            return;
        }
        if self.counts[0] > 0 {
            self.counts[0] -= 1;
        }
    }

    /// The generation an automatic collection collects now
    /// (`gc_collect_generations`): the oldest over its threshold, but
    /// generation 2 only once the objects promoted into it since the last
    /// full collection are at least a quarter of what it held then.
    ///
    /// The rule compares counts that include objects the model does not
    /// make (see [`Unseen`]); when they could change its answer the
    /// result is an error that says so.
    pub fn generation_due(&self) -> Result<Option<u8>, &'static str> {
        // 3.14 `_Py_RunGC`: always an increment (`_PyGC_Collect(tstate, 1)`).
        if self.inc.is_some() {
            return Ok(Some(1));
        }
        for i in (0..NUM_GENERATIONS).rev() {
            if self.counts[i] <= self.thresholds[i] {
                continue;
            }
            if i == NUM_GENERATIONS - 1 {
                let u = &self.unseen;
                let total_min = self.long_lived_total
                    + if u.total_startup {
                        STARTUP_OBJECTS_MIN
                    } else {
                        0
                    };
                let pending_max = self.long_lived_pending + u.pending_extra;
                if pending_max < total_min / 4 {
                    continue;
                }
                let sure = !u.total_startup && self.long_lived_pending >= self.long_lived_total / 4;
                if !sure {
                    return Err("an automatic collection of generation 2 whose 25% rule \
                         (long_lived_pending < long_lived_total / 4) depends on how many \
                         objects the interpreter's startup left in generation 2");
                }
            }
            return Ok(Some(i as u8));
        }
        Ok(None)
    }

    /// Checks that the lists are well formed: each link agrees with its
    /// neighbours and its list, and each length is right.
    pub fn check(&self) -> Result<(), String> {
        for li in 0..NLISTS as u8 {
            let mut n = 0;
            let mut prev = NIL;
            let mut at = self.heads[li as usize].first;
            while at != NIL {
                let l = self.links[at as usize];
                if l.list != li || l.prev != prev {
                    return Err(format!("list {li}: object {at} is badly linked"));
                }
                n += 1;
                prev = at;
                at = l.next;
            }
            if prev != self.heads[li as usize].last || n != self.heads[li as usize].len {
                return Err(format!("list {li}: length or tail is wrong"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_keep_order_through_moves_and_merges() {
        let mut g = GcState::new(Version::V3_11);
        for i in 0..5 {
            g.push(List::Gen(0), ObjRef(i));
        }
        g.push(List::Gen(1), ObjRef(9));
        g.unlink(ObjRef(2));
        g.push(List::Unreachable, ObjRef(0));
        assert_eq!(
            g.members(List::Gen(0)),
            vec![ObjRef(1), ObjRef(3), ObjRef(4)]
        );
        g.merge(List::Gen(0), List::Gen(1));
        assert_eq!(
            g.members(List::Gen(1)),
            vec![ObjRef(9), ObjRef(1), ObjRef(3), ObjRef(4)]
        );
        assert!(g.is_empty(List::Gen(0)));
        assert!(!g.is_tracked(ObjRef(2)));
        assert_eq!(g.list_of(ObjRef(0)), Some(List::Unreachable));
        g.check().expect("well formed");
    }

    #[test]
    fn counts_trigger_over_the_threshold_only() {
        let mut g = GcState::new(Version::V3_12);
        g.counts = [0; NUM_GENERATIONS];
        for _ in 0..700 {
            assert!(!g.on_alloc());
        }
        assert!(g.on_alloc(), "the 701st allocation");
        assert_eq!(g.generation_due(), Ok(Some(0)));
        g.enabled = false;
        g.counts[0] = 0;
        for _ in 0..800 {
            assert!(!g.on_alloc());
        }
        assert_eq!(GcState::new(Version::V3_13).thresholds, [2000, 10, 10]);
    }

    #[test]
    fn the_quarter_rule_holds_back_generation_two() {
        let mut g = GcState::new(Version::V3_11);
        g.counts = [0, 0, 11];
        g.long_lived_total = 1000;
        g.long_lived_pending = 249;
        assert_eq!(g.generation_due(), Ok(None));
        g.long_lived_pending = 250;
        assert_eq!(g.generation_due(), Ok(Some(2)));
        // After a full collection generation 2 also holds the startup's
        // objects: 250 promoted is then surely too few, and 1000 unsure.
        g.unseen.total_startup = true;
        assert_eq!(g.generation_due(), Ok(None));
        g.long_lived_pending = 1000;
        assert!(g.generation_due().is_err());
        // Objects the model does not make may have been promoted too.
        g.unseen.total_startup = false;
        g.long_lived_pending = 249;
        g.unseen.pending_extra = 10;
        assert!(g.generation_due().is_err());
    }

    #[test]
    fn collections_move_what_the_model_cannot_see() {
        let mut g = GcState::new(Version::V3_12);
        assert!(!g.unseen.exact(List::Gen(0)));
        assert!(
            !g.unseen.exact(List::Permanent),
            "3.12 starts with frozen objects"
        );
        g.begin_collection(0, true);
        assert_eq!(g.unseen.count_assumed, [true; 3], "an assumed time");
        g.begin_collection(0, false);
        assert!(g.unseen.exact(List::Gen(0)));
        assert!(!g.unseen.exact(List::Gen(1)));
        assert_eq!(g.unseen.count_assumed, [false, true, true]);
        g.unseen.extra[0] = 6;
        g.begin_collection(1, false);
        assert_eq!(g.unseen.pending_extra, 6);
        assert!(!g.unseen.exact(List::Gen(2)));
        g.begin_collection(2, false);
        assert!(g.unseen.total_startup);
        assert_eq!(g.unseen.pending_extra, 0);
        assert_eq!(g.unseen.count_assumed, [false; 3]);
        assert!(g.unseen.exact(List::Gen(0)) && g.unseen.exact(List::Gen(1)));
        g.freeze();
        assert!(g.unseen.exact(List::Gen(2)));
        g.unfreeze();
        assert!(!g.unseen.exact(List::Gen(2)));
    }
}
