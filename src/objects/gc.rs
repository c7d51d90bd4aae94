//! The cyclic garbage collector on the object space: which objects are
//! tracked, what each type's `tp_traverse` visits and `tp_clear` drops,
//! weak references, and one collection (`gc_collect_main`, 3.8–3.13)
//! split where CPython calls Python code.
//!
//! A collection runs in four calls, because weakref callbacks and
//! finalizers are Python code only the interpreter can run:
//!
//! 1. [`Objects::gc_begin`]: the count bookkeeping, the merge of the
//!    younger generations, `update_refs`, `subtract_refs`,
//!    `move_unreachable`, `untrack_tuples`, the promotion (or
//!    `untrack_dicts` on a full collection), and the first half of
//!    `handle_weakrefs` (weakrefs to garbage cleared; the callbacks due).
//! 2. For each callback, the interpreter calls it and then
//!    [`Objects::gc_callback_done`].
//! 3. [`Objects::gc_next_finalizer`] until `None` (`finalize_garbage`):
//!    the interpreter runs each `__del__`, or closes each generator.
//! 4. [`Objects::gc_finish`]: the resurrection check, `delete_garbage`
//!    through each type's `tp_clear`, the free lists cleared on a
//!    generation-2 collection, and the statistics.
//!
//! Each phase is recorded as an [`ObjEvent::Gc`] with every candidate's
//! `gc_refs` and list, for the animation.

use super::{ObjError, ObjEvent, ObjRef, Objects, Payload, Work};
use crate::gc::{List, NUM_GENERATIONS};
use crate::layout::{Part, Shape};
use crate::objects::{GenPoint, GenState};
use crate::version::Version;

/// A phase of a collection, for narration.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GcPhase {
    /// `gc_list_merge` of the younger generations into the one collected.
    Merge,
    /// `update_refs`: `gc_refs` = `ob_refcnt` for each candidate.
    UpdateRefs,
    /// `subtract_refs`: references from candidates to candidates removed.
    SubtractRefs,
    /// `move_unreachable`: what is left at zero is tentatively unreachable.
    MoveUnreachable,
    /// `handle_weakrefs`: weakrefs to garbage cleared.
    Weakrefs,
    /// `finalize_garbage`: `tp_finalize` (`__del__`) called once each.
    Finalize,
    /// `handle_resurrected_objects` (3.9+) or `check_garbage` (3.8).
    Resurrection,
    /// 3.14 `mark_at_start`: what the roots reach is marked visited.
    Mark,
    /// 3.14 `gc_collect_increment`: the young objects and a share of the
    /// pending space, with what they reach, make up the increment.
    Increment,
    /// `delete_garbage`: `tp_clear` on what is still unreachable.
    Delete,
    /// The end: statistics and the return value.
    Done,
}

impl GcPhase {
    /// What the phase did, for a narration with `n` candidates.
    pub fn narration(self, n: usize) -> String {
        match self {
            GcPhase::Merge => {
                format!("the younger generations join the one collected ({n} candidates).")
            }
            GcPhase::UpdateRefs => {
                format!("each of {n} candidates gets gc_refs = its reference count.")
            }
            GcPhase::SubtractRefs => {
                format!("references between the {n} candidates are subtracted from gc_refs.")
            }
            GcPhase::MoveUnreachable => format!(
                "what no outside reference reaches moves to the unreachable list ({n} candidates)."
            ),
            GcPhase::Weakrefs => {
                format!("weak references to the {n} unreachable objects are cleared.")
            }
            GcPhase::Finalize => {
                format!("__del__ runs once for the unreachable objects that have one ({n}).")
            }
            GcPhase::Resurrection => {
                format!("the {n} unreachable objects are checked again in case a finalizer revived one.")
            }
            GcPhase::Mark => format!(
                "a new scavenge marks what the roots reach as visited ({n} objects in the visited space)."
            ),
            GcPhase::Increment => format!(
                "the young objects and a share of the pending space make up this increment ({n})."
            ),
            GcPhase::Delete => format!(
                "tp_clear breaks the {n} unreachable objects' references, and they are freed."
            ),
            GcPhase::Done => "the collection ends; the survivors were promoted.".to_string(),
        }
    }

    /// The C function of the phase.
    pub const fn function(self) -> &'static str {
        match self {
            GcPhase::Merge => "gc_list_merge",
            GcPhase::UpdateRefs => "update_refs",
            GcPhase::SubtractRefs => "subtract_refs",
            GcPhase::MoveUnreachable => "move_unreachable",
            GcPhase::Weakrefs => "handle_weakrefs",
            GcPhase::Finalize => "finalize_garbage",
            GcPhase::Resurrection => "handle_resurrected_objects",
            GcPhase::Mark => "mark_at_start",
            GcPhase::Increment => "gc_collect_increment",
            GcPhase::Delete => "delete_garbage",
            GcPhase::Done => "gc_collect_main",
        }
    }
}

/// One candidate as a phase left it: its `gc_refs` and its list.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GcCandidate {
    /// The object.
    pub obj: ObjRef,
    /// `gc_refs`.
    pub refs: i64,
    /// The list it is in (`None`: freed or untracked).
    pub list: Option<List>,
}

/// A collection in progress (see the module docs).
#[derive(Clone, Debug)]
pub struct GcRun {
    /// The generation collected.
    pub generation: u8,
    pub(super) old: List,
    /// `m`: objects collected so far.
    pub collected: u64,
    /// `n`: objects found uncollectable.
    pub uncollectable: u64,
    /// An automatic collection at an assumed time (see
    /// [`crate::gc::Unseen`]).
    pub(super) assumed: bool,
    /// 3.14: the increment's size, taken off `work_to_do` at the end.
    pub(super) increment_size: i64,
    /// 3.14: `gc_collect_region` ran (an increment may stop before).
    pub(super) region: bool,
    /// 3.14: frames `mark_stacks` scanned, innermost first; the
    /// interpreter marks them visited.
    pub frames_scanned: usize,
}

impl GcRun {
    pub(super) fn new(generation: u8, old: List) -> GcRun {
        GcRun {
            generation,
            old,
            collected: 0,
            uncollectable: 0,
            assumed: false,
            increment_size: 0,
            region: true,
            frames_scanned: 0,
        }
    }
}

/// `tp_basicsize` of a weakref (`PyWeakReference`: 3.11 added `vectorcall`).
pub fn weakref_basicsize(v: Version) -> u64 {
    if v.minor() >= 11 {
        80
    } else {
        72
    }
}

impl Objects {
    /// `_PyObject_GC_Link` and `_PyObject_GC_TRACK` for an object just made:
    /// a GC object counts when its block is new (not from a free list), and
    /// is tracked at once unless its type tracks lazily (a dict only once it
    /// holds something that may be tracked).
    pub(super) fn gc_on_new(&mut self, r: ObjRef, fresh: bool) {
        if !self.get(r).is_some_and(|o| super::is_gc(&o.payload)) {
            return;
        }
        if fresh && self.gc.on_alloc() {
            self.gc.trigger = Some(r);
        }
        let Some(o) = self.get(r) else { return };
        let track = match &o.payload {
            Payload::Dict { entries, .. } => entries
                .iter()
                .any(|&(k, v)| self.may_be_tracked(k) || self.may_be_tracked(v)),
            Payload::Tuple(items) => !items.is_empty(),
            _ => true,
        };
        if track {
            self.gc.track(r);
        }
    }

    /// `_PyObject_GC_MAY_BE_TRACKED`: a GC object that is not an untracked tuple.
    pub fn may_be_tracked(&self, r: ObjRef) -> bool {
        match self.get(r).map(|o| &o.payload) {
            Some(Payload::Tuple(_)) => self.gc.is_tracked(r),
            Some(p) => super::is_gc(p),
            None => false,
        }
    }

    /// `MAINTAIN_TRACKING` after a store of `k: v` into dict `d`.
    pub fn dict_stored(&mut self, d: ObjRef, k: ObjRef, v: ObjRef) {
        if !self.gc.is_tracked(d) && (self.may_be_tracked(k) || self.may_be_tracked(v)) {
            self.gc.track(d);
        }
    }

    /// [`Objects::dict_stored`] for each entry of `d` (a dict filled
    /// from an instance's values).
    pub(super) fn dict_stored_all(&mut self, d: ObjRef) {
        let entries = match self.get(d).map(|o| &o.payload) {
            Some(Payload::Dict { entries, .. }) => entries.clone(),
            _ => return,
        };
        for (k, v) in entries {
            self.dict_stored(d, k, v);
        }
    }

    /// A constant the model makes on first use, which CPython made at
    /// compile time: each collection since the program started has
    /// already untracked it if it is an atomic tuple (`untrack_tuples`),
    /// or moved it to an older generation (items first, as they were made).
    pub fn settle_constant(&mut self, r: ObjRef) {
        let Some(g) = self.gc.oldest_collected else {
            return;
        };
        if let Some(Payload::Tuple(items)) = self.get(r).map(|o| &o.payload) {
            for x in items.clone() {
                self.settle_constant(x);
            }
        }
        if !self.gc.is_tracked(r) {
            return;
        }
        let atomic = match self.get(r).map(|o| &o.payload) {
            Some(Payload::Tuple(items)) => !items.iter().any(|&x| self.may_be_tracked(x)),
            _ => false,
        };
        if atomic {
            self.gc.unlink(r);
        } else {
            let old = (g + 1).min(NUM_GENERATIONS as u8 - 1);
            self.gc.push(List::Gen(old), r);
        }
    }

    /// `gc.is_tracked(r)`.
    pub fn is_tracked(&self, r: ObjRef) -> bool {
        self.gc.is_tracked(r)
    }

    /// `gc.is_finalized(r)` (3.9+): its `tp_finalize` ran.
    pub fn is_finalized(&self, r: ObjRef) -> bool {
        self.gc.is_finalized(r)
    }

    /// The references `r`'s `tp_traverse` visits, in its order.
    pub fn referents(&self, r: ObjRef) -> Vec<ObjRef> {
        let Some(o) = self.get(r) else {
            return Vec::new();
        };
        match &o.payload {
            // tupletraverse, list_traverse: `for (i = Py_SIZE(o); --i >= 0; )`.
            Payload::Tuple(items) | Payload::List { items, .. } => {
                items.iter().rev().copied().collect()
            }
            // dict_traverse: a unicode-keyed table visits values only;
            // any other visits each value, then its key.
            Payload::Dict { entries, .. } => entries
                .iter()
                .flat_map(|&(k, v)| [Some(v), (!self.is_str(k)).then_some(k)])
                .flatten()
                .collect(),
            // set_traverse: the keys in table order.
            Payload::Set { table, .. } => table.keys(),
            // func_traverse: the defaults, then the closure.
            Payload::Function {
                defaults, closure, ..
            } => defaults.iter().chain(closure).copied().collect(),
            Payload::Cell(v) => v.iter().copied().collect(),
            Payload::BoundBuiltin { self_, .. } => vec![*self_],
            Payload::Class(c) => c.ns.iter().map(|&(_, v)| v).chain(c.base).collect(),
            // subtype_traverse: slots, then the dict (or the values), then the type.
            Payload::Instance(i) => {
                let mut out: Vec<ObjRef> = i.slots.iter().flatten().copied().collect();
                match i.dict {
                    Some(d) => out.push(d),
                    None => out.extend(i.vals.iter().map(|&(_, v)| v)),
                }
                out.push(i.class);
                // BaseException_traverse, the base's.
                if let Some(e) = &i.exc {
                    out.extend(e.refs());
                }
                out
            }
            Payload::Method { func, self_ } => vec![*func, *self_],
            Payload::SeqIter { seq, result, .. } => seq.iter().chain(result).copied().collect(),
            Payload::DictView { dict, .. } => vec![*dict],
            Payload::Adapter(a) => a.children(),
            // gen_traverse → the frame: its locals, its value stack, f_func.
            Payload::Generator(g) => g
                .slots
                .iter()
                .flatten()
                .copied()
                .chain(g.points.iter().filter_map(|p| match p {
                    GenPoint::For(it) => Some(*it),
                    _ => None,
                }))
                .chain(g.func)
                .collect(),
            p @ Payload::Exception { .. } => super::exception_refs(p),
            // gc_traverse (weakrefobject.c): the callback only.
            Payload::WeakRef { callback, .. } => callback.iter().copied().collect(),
            _ => Vec::new(),
        }
    }

    fn is_str(&self, r: ObjRef) -> bool {
        matches!(self.get(r).map(|o| &o.payload), Some(Payload::Str(_)))
    }

    /// `update_refs` then `subtract_refs` then `move_unreachable` on `base`
    /// (`deduce_unreachable`): what stays in `base` is reachable, the rest
    /// goes to `unreachable` in CPython's order.
    pub(super) fn deduce_unreachable(&mut self, base: List, unreachable: List) {
        let members = self.gc.members(base);
        // update_refs: gc_refs = ob_refcnt, COLLECTING set.
        for &r in &members {
            let rc = self.get(r).map_or(0, |o| o.refcnt) as i64;
            self.gc.set_refs(r, rc);
            self.gc.set_collecting_bit(r, true);
        }
        self.gc_event(GcPhase::UpdateRefs, &members);
        // subtract_refs: each reference from a candidate to a candidate.
        for &r in &members {
            for x in self.referents(r) {
                if self.gc.collecting_bit(x) {
                    let n = self.gc.refs(x);
                    self.gc.set_refs(x, n - 1);
                }
            }
        }
        self.gc_event(GcPhase::SubtractRefs, &members);
        // move_unreachable: scan left to right; what is still at zero is
        // tentatively unreachable; visit_reachable moves it back (to the
        // end, with gc_refs = 1) if a reachable object refers to it.
        let mut at = self.gc.first(base);
        while let Some(r) = at {
            if self.gc.refs(r) > 0 {
                for x in self.referents(r) {
                    if !self.gc.collecting_bit(x) {
                        continue;
                    }
                    if self.gc.list_of(x) == Some(unreachable) {
                        self.gc.push(base, x);
                        self.gc.set_refs(x, 1);
                    } else if self.gc.refs(x) == 0 {
                        self.gc.set_refs(x, 1);
                    }
                }
                self.gc.set_collecting_bit(r, false);
                at = self.gc.next(r);
            } else {
                at = self.gc.next(r);
                self.gc.push(unreachable, r);
            }
        }
        self.gc_event(GcPhase::MoveUnreachable, &members);
    }

    /// [`Objects::gc_event`] for the objects of `list`.
    pub(super) fn gc_event_list(&mut self, phase: GcPhase, list: List) {
        if self.recording || self.log.is_some() {
            let members = self.gc.members(list);
            self.gc_event(phase, &members);
        }
    }

    fn gc_event(&mut self, phase: GcPhase, members: &[ObjRef]) {
        if !self.recording && self.log.is_none() {
            return;
        }
        let candidates: Vec<GcCandidate> = members
            .iter()
            .map(|&obj| GcCandidate {
                obj,
                refs: self.gc.refs(obj),
                list: self.gc.list_of(obj),
            })
            .collect();
        if let Some(log) = self.log.as_mut() {
            let index = u32::try_from(log.phases.len()).unwrap_or(u32::MAX);
            let kept = candidates.len().min(crate::program::MAX_PHASE_CANDIDATES);
            log.phases.push(crate::program::GcPhaseRecord {
                phase,
                candidates: candidates[..kept].into(),
                total: u32::try_from(candidates.len()).unwrap_or(u32::MAX),
            });
            self.note(crate::program::TraceEvent::GcPhase { phase, index });
        }
        self.emit(ObjEvent::Gc { phase, candidates });
    }

    /// `untrack_tuples`: a tuple none of whose items may be tracked leaves
    /// the lists (`_PyTuple_MaybeUntrack`).
    pub(super) fn untrack_tuples(&mut self, list: List) {
        for r in self.gc.members(list) {
            let atomic = match self.get(r).map(|o| &o.payload) {
                Some(Payload::Tuple(items)) => items.iter().all(|&x| !self.may_be_tracked(x)),
                _ => false,
            };
            if atomic {
                self.gc.unlink(r);
            }
        }
    }

    /// `untrack_dicts`: on a full collection, a dict none of whose keys
    /// or values may be tracked leaves the lists (`_PyDict_MaybeUntrack`).
    fn untrack_dicts(&mut self, list: List) {
        for r in self.gc.members(list) {
            let atomic = match self.get(r).map(|o| &o.payload) {
                Some(Payload::Dict { entries, .. }) => entries
                    .iter()
                    .all(|&(k, v)| !self.may_be_tracked(k) && !self.may_be_tracked(v)),
                _ => false,
            };
            if atomic {
                self.gc.unlink(r);
            }
        }
    }

    /// Starts collecting `generation` (steps 1 to 7 of the module docs).
    /// Returns the run and the weakref callbacks due, each `(weakref,
    /// callback)`: the weakref holds a new reference the interpreter gives
    /// back through [`Objects::gc_callback_done`].
    /// `assumed`: an automatic collection that runs at an assumed time
    /// (see [`crate::gc::Unseen`]).
    pub fn gc_begin(&mut self, generation: u8, assumed: bool) -> (GcRun, Vec<(ObjRef, ObjRef)>) {
        self.gc_begin_with_roots(generation, assumed, &super::GcRoots::default())
    }

    /// [`Objects::gc_begin`] with the roots 3.14's marking starts from
    /// (ignored up to 3.13, whose collections need none).
    pub fn gc_begin_with_roots(
        &mut self,
        generation: u8,
        assumed: bool,
        roots: &super::GcRoots,
    ) -> (GcRun, Vec<(ObjRef, ObjRef)>) {
        let g = generation.min(NUM_GENERATIONS as u8 - 1);
        self.note(crate::program::TraceEvent::Collect { generation: g });
        self.gc.collecting = true;
        self.gc.due = false;
        if self.gc.inc.is_some() {
            let (mut run, due) = self.gc_begin_incremental(g, roots);
            run.assumed = assumed;
            return (run, due);
        }
        self.gc.begin_collection(g, assumed);
        let young = List::Gen(g);
        let old = if (g as usize) + 1 < NUM_GENERATIONS {
            List::Gen(g + 1)
        } else {
            young
        };
        self.gc_event_list(GcPhase::Merge, young);
        self.deduce_unreachable(young, List::Unreachable);
        self.untrack_tuples(young);
        if young != old {
            if g == 1 {
                self.gc.long_lived_pending += self.gc.len(young) as u64;
            }
            self.gc.merge(young, old);
        } else {
            self.untrack_dicts(young);
            self.gc.long_lived_pending = 0;
            self.gc.long_lived_total = self.gc.len(young) as u64;
        }
        // handle_weakrefs: a weakref in the garbage is cleared without a
        // callback; a weakref to garbage is cleared, and its callback is due
        // unless the weakref itself is garbage.
        let mut due = Vec::new();
        for r in self.gc.members(List::Unreachable) {
            // The callback stays (it is garbage too, and delete_garbage
            // clears it).
            self.weakref_clear_ref(r);
            for wr in self.weakrefs.remove(&r).unwrap_or_default() {
                if let Some(Payload::WeakRef { referent, callback }) =
                    self.get_mut(wr).map(|o| &mut o.payload)
                {
                    *referent = None;
                    let Some(cb) = *callback else { continue };
                    if self.gc.list_of(wr) == Some(List::Unreachable) {
                        continue;
                    }
                    self.incref(wr);
                    self.gc.push(List::Callbacks, wr);
                    due.push((wr, cb));
                }
            }
        }
        self.gc_event_list(GcPhase::Weakrefs, List::Unreachable);
        let mut run = GcRun::new(g, old);
        run.assumed = assumed;
        (run, due)
    }

    /// After a weakref's callback ran: its reference is dropped; a weakref
    /// still alive goes to the older generation, a freed one counts as
    /// collected.
    pub fn gc_callback_done(&mut self, run: &mut GcRun, wr: ObjRef) {
        self.decref(wr);
        if self.get(wr).is_some() && self.gc.list_of(wr) == Some(List::Callbacks) {
            if let Some(inc) = self.gc.inc {
                self.gc.set_space(wr, inc.visited_space);
            }
            self.gc.push(run.old, wr);
        } else {
            run.collected += 1;
        }
    }

    /// `finalize_garbage`, one object at a time: the next garbage object
    /// whose `tp_finalize` has not run, with its FINALIZED bit now set and a
    /// new reference the interpreter drops after running it. `None` when
    /// every one has been seen.
    pub fn gc_next_finalizer(&mut self) -> Option<ObjRef> {
        if self.gc.is_empty(List::Scratch) {
            // finalize_garbage starts (or finds nothing left to see).
            self.gc_event_list(GcPhase::Finalize, List::Unreachable);
        }
        while let Some(r) = self.gc.first(List::Unreachable) {
            self.gc.push(List::Scratch, r);
            if !self.is_finalized(r) && self.has_finalizer(r) {
                self.gc.set_finalized(r);
                self.incref(r);
                return Some(r);
            }
        }
        self.gc.merge(List::Scratch, List::Unreachable);
        None
    }

    /// True when `r`'s type has a `tp_finalize` the model runs: an instance
    /// whose class defines `__del__`, or a generator whose frame is live.
    pub fn has_finalizer(&self, r: ObjRef) -> bool {
        match self.get(r).map(|o| &o.payload) {
            Some(Payload::Instance(i)) => self.class_obj(i.class).is_some_and(|c| c.has_del),
            Some(Payload::Generator(g)) => g.state != GenState::Finished,
            _ => false,
        }
    }

    /// `_PyGen_Finalize` → `gen_close` of a generator with no `try` (the
    /// model refuses `yield` in one): `GeneratorExit` unwinds the frame,
    /// which is cleared (its loop iterators, then its locals, then its
    /// function). From 3.12 an unstarted generator is only marked
    /// completed (`gen_close`'s `FRAME_CREATED` case); its frame is cleared
    /// when it dies. Measured: a cycle through an unstarted generator's
    /// local is freed by the close on 3.8–3.11 and collected on 3.12+.
    pub fn gen_close(&mut self, r: ObjRef) {
        let v = self.version();
        let drop = match self.get_mut(r).map(|o| &mut o.payload) {
            Some(Payload::Generator(g)) => {
                if g.state == GenState::Created && v.minor() >= 12 {
                    g.state = GenState::Finished;
                    return;
                }
                g.state = GenState::Finished;
                let mut out: Vec<ObjRef> = std::mem::take(&mut g.points)
                    .into_iter()
                    .filter_map(|p| match p {
                        GenPoint::For(it) => Some(it),
                        _ => None,
                    })
                    .collect();
                out.extend(std::mem::take(&mut g.slots).into_iter().flatten());
                out.extend(g.func.take());
                out
            }
            _ => return,
        };
        for x in drop {
            self.decref(x);
        }
    }

    /// The end of a collection (step 8 on): returns `(collected,
    /// uncollectable)`, what `gc.collect()` adds up. With `save_all`
    /// (`DEBUG_SAVEALL`: the `gc.garbage` list) the garbage is appended to
    /// it instead of cleared, and so stays alive in the older generation.
    pub fn gc_finish(&mut self, mut run: GcRun, save_all: Option<ObjRef>) -> (u64, u64) {
        let final_list = if !run.region {
            // A 3.14 increment that only assessed its work, or marked.
            None
        } else if self.version().minor() <= 8 {
            // check_garbage: one resurrected object keeps the whole set.
            for r in self.gc.members(List::Unreachable) {
                let rc = self.get(r).map_or(0, |o| o.refcnt) as i64;
                self.gc.set_refs(r, rc);
            }
            let members = self.gc.members(List::Unreachable);
            for &r in &members {
                for x in self.referents(r) {
                    if self.gc.list_of(x) == Some(List::Unreachable) {
                        let n = self.gc.refs(x);
                        self.gc.set_refs(x, n - 1);
                    }
                }
            }
            self.gc_event(GcPhase::Resurrection, &members);
            if members.iter().any(|&r| self.gc.refs(r) != 0) {
                for &r in &members {
                    self.gc.set_collecting_bit(r, false);
                }
                self.gc.merge(List::Unreachable, run.old);
                None
            } else {
                Some(List::Unreachable)
            }
        } else {
            // handle_resurrected_objects: deduce again within the garbage.
            for r in self.gc.members(List::Unreachable) {
                self.gc.set_collecting_bit(r, false);
            }
            self.deduce_unreachable(List::Unreachable, List::Scratch);
            self.gc.merge(List::Unreachable, run.old);
            self.gc_event_list(GcPhase::Resurrection, List::Scratch);
            Some(List::Scratch)
        };
        // The invariant check's view: every GC object alive now that is
        // not in the final unreachable set must survive the deletion.
        let spared: Vec<ObjRef> = if self.check_gc {
            let doomed: std::collections::HashSet<ObjRef> = final_list
                .filter(|_| save_all.is_none())
                .map(|l| self.gc.members(l).into_iter().collect())
                .unwrap_or_default();
            (0..self.slots.len() as u32)
                .map(ObjRef)
                .filter(|&r| self.gc.is_tracked(r) && !doomed.contains(&r))
                .collect()
        } else {
            Vec::new()
        };
        if run.region {
            // What the model does not make but knows is garbage (an
            // import's cycles): freed too. An unknown amount is refused
            // before an explicit collection starts; an automatic one
            // frees it at an assumed time.
            run.collected += self.gc.unseen.garbage.replace(0).unwrap_or(0);
        }
        if let Some(list) = final_list {
            if self.gc.inc.is_some() {
                // 3.14 clear_weakrefs, after the finalizers.
                self.clear_weakrefs_in(list);
            }
            run.collected += self.gc.len(list) as u64;
            self.gc_event_list(GcPhase::Delete, list);
            // delete_garbage: tp_clear each; what survives goes to old.
            while let Some(r) = self.gc.first(list) {
                match save_all {
                    Some(garbage) => self.save_garbage(garbage, r),
                    None => {
                        self.incref(r);
                        self.gc_clear(r);
                        self.decref(r);
                    }
                }
                if self.gc.first(list) == Some(r) {
                    self.gc.set_collecting_bit(r, false);
                    self.gc.push(run.old, r);
                }
            }
        }
        if self.gc.inc.is_some() {
            self.gc_end_incremental(&run);
        }
        if run.generation as usize == NUM_GENERATIONS - 1 {
            self.clear_free_lists();
        }
        if self.check_gc {
            self.check_collection(&spared);
        }
        let s = &mut self.gc.stats[run.generation as usize];
        s.collections += 1;
        s.collected += run.collected;
        s.uncollectable += run.uncollectable;
        self.gc.collecting = false;
        self.gc_event(GcPhase::Done, &[]);
        self.note(crate::program::TraceEvent::Collected {
            generation: run.generation,
            collected: run.collected.min(u64::from(u32::MAX)) as u32,
        });
        (run.collected, run.uncollectable)
    }

    /// `PyList_Append(gcstate->garbage, op)` under `DEBUG_SAVEALL`: a new
    /// reference, the list grown as `list.append` grows it. A failed
    /// allocation is ignored, as `delete_garbage` clears the error.
    fn save_garbage(&mut self, garbage: ObjRef, r: ObjRef) {
        let v = self.version();
        let ops = match self.get_mut(garbage).map(|o| &mut o.payload) {
            Some(Payload::List { items, state }) => {
                items.push(r);
                state.append(v)
            }
            _ => return,
        };
        self.incref(r);
        let _ = self.apply_ops(garbage, &ops);
    }

    /// The invariants after a collection (see [`Objects::check_gc`]): the
    /// lists are well formed and hold live objects only, the collection's
    /// own lists are empty, and nothing outside the unreachable set died.
    fn check_collection(&mut self, spared: &[ObjRef]) {
        let mut problems = Vec::new();
        if let Err(e) = self.gc.check() {
            problems.push(e);
        }
        for l in [List::Unreachable, List::Callbacks, List::Scratch] {
            if !self.gc.is_empty(l) {
                problems.push(format!("{l:?} is not empty after a collection"));
            }
        }
        for g in 0..NUM_GENERATIONS as u8 {
            for r in self.gc.members(List::Gen(g)) {
                if self.get(r).is_none() {
                    problems.push(format!("{r} is in generation {g} but dead"));
                }
            }
        }
        for &r in spared {
            if self.get(r).is_none() {
                problems.push(format!("{r} was reachable but was freed"));
            }
        }
        if !problems.is_empty() && self.gc_violation.is_none() {
            self.gc_violation = Some(problems.join("; "));
        }
    }

    /// `tp_clear` of `r`: drops the references that can make a cycle, in
    /// the type's order. Tuples, bound methods, iterators and generators
    /// have none (a tuple dies when what holds it is cleared).
    fn gc_clear(&mut self, r: ObjRef) {
        let v = self.version();
        let mut drop: Vec<ObjRef> = Vec::new();
        let mut ops = Vec::new();
        let mut free_values = None;
        let Some(o) = self.get_mut(r) else { return };
        match &mut o.payload {
            // _list_clear: the items last to first.
            Payload::List { items, state } => {
                drop = std::mem::take(items).into_iter().rev().collect();
                ops = state.clear();
            }
            // PyDict_Clear: each key then its value, in order.
            Payload::Dict { entries, state } => {
                drop = std::mem::take(entries)
                    .into_iter()
                    .flat_map(|(k, val)| [k, val])
                    .collect();
                ops = state.clear(v);
            }
            // set_clear_internal: the keys in table order.
            Payload::Set { table, .. } => (drop, ops) = table.clear(),
            // func_clear: the defaults (the code stays).
            Payload::Function {
                defaults, closure, ..
            } => {
                drop.extend(defaults.take());
                drop.extend(closure.take());
            }
            // cell_clear.
            Payload::Cell(v) => drop.extend(v.take()),
            // subtype_clear: the slots, then the dict or the values.
            Payload::Instance(i) => {
                drop.extend(i.slots.iter_mut().filter_map(Option::take));
                // BaseException_clear (the base's tp_clear) as for a
                // built-in exception.
                if let Some(e) = i.exc.as_mut() {
                    drop.extend(std::mem::take(&mut e.held));
                    drop.extend(e.context.take());
                }
                match i.dict.take() {
                    Some(d) => drop.push(d),
                    None => {
                        drop.extend(
                            std::mem::take(&mut i.vals)
                                .into_iter()
                                .flat_map(|(k, val)| [val, k]),
                        );
                        // 3.12 frees the values array with the values.
                        if v.minor() == 12 {
                            free_values = o
                                .blocks
                                .iter()
                                .position(|(req, _)| req.part == Part::DictValues);
                        }
                    }
                }
            }
            Payload::Exception { held, context, .. } => {
                drop.extend(std::mem::take(held));
                drop.extend(context.take());
            }
            Payload::WeakRef { .. } => {
                self.weakref_clear(r);
                return;
            }
            _ => return,
        }
        if let Some(ix) = free_values {
            if let Some(o) = self.get_mut(r) {
                let (req, p) = o.blocks.remove(ix);
                self.free_request(req, p);
            }
        }
        // The references go first; the emptied buffer is freed after them
        // (`_list_clear`, `PyDict_Clear` and `set_clear_internal` all free
        // the old array or table last).
        self.run_work(drop.into_iter().rev().map(Work::Dec).collect());
        if !ops.is_empty() {
            let _ = self.apply_ops(r, &ops);
        }
    }

    /// `clear_freelists` / `_PyGC_ClearAllFreeLists`, on every
    /// generation-2 collection: every free list's blocks go back to the
    /// allocator.
    fn clear_free_lists(&mut self) {
        self.note(crate::program::TraceEvent::ClearFreeLists);
        for (kind, _) in self.heap.free_lists.clear() {
            for p in self.parked.remove(&kind).unwrap_or_default() {
                self.mem_free(p);
            }
        }
    }

    /// `weakref.ref(obj, callback)` (`weakref___new__`): without a callback
    /// the existing basic reference is returned if there is one. A new
    /// reference; `None` when `obj`'s type does not support weak references.
    pub fn weakref(
        &mut self,
        obj: ObjRef,
        callback: Option<ObjRef>,
    ) -> Result<Option<ObjRef>, ObjError> {
        if !self.weakrefable(obj) {
            return Ok(None);
        }
        let list = self.weakrefs.get(&obj).cloned().unwrap_or_default();
        let basic = list.first().copied().filter(|&wr| {
            matches!(
                self.get(wr).map(|o| &o.payload),
                Some(Payload::WeakRef { callback: None, .. })
            )
        });
        if callback.is_none() {
            if let Some(wr) = basic {
                self.incref(wr);
                return Ok(Some(wr));
            }
        }
        let shape = Shape::Generic {
            basicsize: weakref_basicsize(self.version()),
            itemsize: 0,
            nitems: 0,
            gc: true,
        };
        if let Some(cb) = callback {
            self.incref(cb);
        }
        let payload = Payload::WeakRef {
            referent: Some(obj),
            callback,
        };
        let wr = match self.make(payload, &shape, "PyWeakref_NewRef") {
            Ok(wr) => wr,
            Err(e) => {
                if let Some(cb) = callback {
                    self.decref(cb);
                }
                return Err(e);
            }
        };
        // insert_head for a basic ref; else insert_after the basic ref.
        let list = self.weakrefs.entry(obj).or_default();
        match (callback, basic) {
            (None, _) | (Some(_), None) => list.insert(0, wr),
            (Some(_), Some(_)) => list.insert(1, wr),
        }
        Ok(Some(wr))
    }

    /// True when `obj`'s type has a `tp_weaklistoffset`.
    pub fn weakrefable(&self, obj: ObjRef) -> bool {
        match self.get(obj).map(|o| &o.payload) {
            Some(Payload::Instance(i)) => self.class_obj(i.class).is_some_and(|c| c.shape.weakref),
            Some(
                Payload::Function { .. }
                | Payload::Class(_)
                | Payload::Generator(_)
                | Payload::Method { .. },
            ) => true,
            _ => false,
        }
    }

    /// The object a weakref refers to, if it is alive.
    pub fn weakref_target(&self, wr: ObjRef) -> Option<ObjRef> {
        match self.get(wr).map(|o| &o.payload) {
            Some(Payload::WeakRef { referent, .. }) => *referent,
            _ => None,
        }
    }

    /// The weakrefs to `obj`, in its list's order.
    pub fn weakrefs_to(&self, obj: ObjRef) -> Vec<ObjRef> {
        self.weakrefs.get(&obj).cloned().unwrap_or_default()
    }

    /// `_PyWeakref_ClearRef` when `r` is a weakref: its referent goes
    /// (it leaves the referent's list), its callback stays.
    pub(super) fn weakref_clear_ref(&mut self, r: ObjRef) {
        let target = match self.get_mut(r).map(|o| &mut o.payload) {
            Some(Payload::WeakRef { referent, .. }) => Some(referent.take()),
            _ => None,
        };
        if let Some(target) = target {
            self.weakref_unlist(r, target);
        }
    }

    /// `clear_weakref`: the weakref leaves its referent's list, and lets
    /// go of its callback.
    fn weakref_clear(&mut self, wr: ObjRef) {
        let (target, cb) = match self.get_mut(wr).map(|o| &mut o.payload) {
            Some(Payload::WeakRef { referent, callback }) => (referent.take(), callback.take()),
            _ => return,
        };
        self.weakref_unlist(wr, target);
        if let Some(cb) = cb {
            self.decref(cb);
        }
    }

    /// A weakref's dealloc: it leaves its referent's list (`weakref_dealloc`
    /// → `clear_weakref`); the callback is dropped with its other children.
    pub(super) fn weakref_unlist(&mut self, wr: ObjRef, target: Option<ObjRef>) {
        if let Some(t) = target {
            if let Some(list) = self.weakrefs.get_mut(&t) {
                list.retain(|&x| x != wr);
                if list.is_empty() {
                    self.weakrefs.remove(&t);
                }
            }
        }
    }

    /// `PyObject_ClearWeakRefs` for `obj`, dying: every weakref to it is
    /// cleared; the callbacks due are returned as `(weakref, callback)`
    /// pairs, each holding a new reference for the caller.
    pub(super) fn clear_weakrefs_of(&mut self, obj: ObjRef) -> Vec<(ObjRef, ObjRef)> {
        let Some(list) = self.weakrefs.remove(&obj) else {
            return Vec::new();
        };
        let mut due = Vec::new();
        for wr in list {
            let cb = match self.get_mut(wr).map(|o| &mut o.payload) {
                Some(Payload::WeakRef { referent, callback }) => {
                    *referent = None;
                    callback.take()
                }
                _ => None,
            };
            if let Some(cb) = cb {
                self.incref(wr);
                due.push((wr, cb));
            }
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A collection with no Python code to run (no callbacks, no finalizers).
    fn collect(o: &mut Objects, g: u8) -> u64 {
        let (run, due) = o.gc_begin(g, false);
        assert!(due.is_empty());
        assert_eq!(o.gc_next_finalizer(), None);
        let (m, n) = o.gc_finish(run, None);
        m + n
    }

    fn list_of(o: &mut Objects, items: Vec<ObjRef>) -> ObjRef {
        o.list_exact(items).expect("list")
    }

    #[test]
    fn a_two_list_cycle_is_found_and_freed() {
        for v in Version::VERIFIED {
            let mut o = Objects::startup(v);
            o.check_gc = true;
            let a = list_of(&mut o, vec![]);
            o.incref(a);
            let b = list_of(&mut o, vec![a]);
            o.incref(b);
            if let Some(Payload::List { items, .. }) = o.get_mut(a).map(|x| &mut x.payload) {
                items.push(b); // a -> b -> a (the state's size is not needed here)
            }
            // Both alive and reachable: nothing collected, both promoted.
            assert_eq!(collect(&mut o, 0), 0, "{v}");
            assert_eq!(o.gc.list_of(a), Some(List::Gen(1)));
            o.decref(a);
            o.decref(b);
            assert!(
                o.get(a).is_some(),
                "{v}: refcounting alone cannot free a cycle"
            );
            assert_eq!(
                collect(&mut o, 0),
                0,
                "{v}: generation 0 no longer holds them"
            );
            assert_eq!(collect(&mut o, 1), 2, "{v}");
            assert!(o.get(a).is_none() && o.get(b).is_none());
            let before = crate::gc::startup_stats(v)[1].1;
            assert_eq!(o.gc.stats[1].collected, before + 2, "{v}");
            assert_eq!(o.gc_violation, None);
        }
    }

    #[test]
    fn atomic_tuples_and_dicts_are_untracked_lazily() {
        let mut o = Objects::startup(Version::V3_11);
        let one = o.int(1u8.into()).expect("int");
        let t = o.tuple(vec![one]).expect("tuple");
        assert!(o.is_tracked(t), "PyTuple_New tracks");
        let inner = list_of(&mut o, vec![]);
        let d = o
            .dict_with_state(vec![], crate::layout::DictState::empty())
            .expect("dict");
        assert!(!o.is_tracked(d), "a new dict starts untracked");
        let k = o.str("k").expect("str");
        o.dict_stored(d, k, inner);
        assert!(o.is_tracked(d), "MAINTAIN_TRACKING: a list value tracks it");
        collect(&mut o, 0);
        assert!(!o.is_tracked(t), "untrack_tuples, any generation");
        assert!(o.is_tracked(d), "dicts only on a full collection");
        let start = crate::gc::startup_counts(Version::V3_11);
        assert_eq!(o.gc.counts, [0, start[1] + 1, start[2]]);
    }
}
