//! 3.14's incremental cyclic collector on the object space, **modelled
//! from the source of `Python/gc.c` (CPython's main branch), not verified
//! against a running 3.14**: no 3.14 interpreter is on the machines this
//! model is checked on.
//!
//! Two generations: `young` (`Gen(0)`) and the old generation split into
//! two spaces, `old[0]` and `old[1]` (`Gen(1)`, `Gen(2)`). One of them is
//! the *visited* space of the current scavenge, the other *pending*
//! ([`crate::gc::Incremental::visited_space`]). Three collections:
//!
//! * `gc.collect(0)` → `gc_collect_young`: the young generation alone;
//!   its survivors join the visited space.
//! * `gc.collect(1)` and every automatic collection →
//!   `gc_collect_increment`: `assess_work_to_do`, then either
//!   `mark_at_start` (the first increment of a scavenge marks everything
//!   reachable from the roots as visited, and stops) or an increment:
//!   the young generation plus pending objects, each with what it reaches
//!   (`expand_region_transitively_reachable`), until the work is covered.
//!   When the pending space runs out, `completed_scavenge` swaps spaces.
//! * `gc.collect()` → `gc_collect_full`: everything in one list.
//!
//! Each then runs `gc_collect_region`: `deduce_unreachable` as in 3.13,
//! weakref callbacks (`handle_weakref_callbacks`), finalizers, the
//! resurrection check, and only then `clear_weakrefs` on what is still
//! garbage (GH-135552: weakrefs without callbacks stay usable while
//! finalizers run), and `delete_garbage`. Dicts are not untracked.
//!
//! What the model assumes: the roots are the program's globals and its
//! frames' locals; a value stack's temporaries (a `for` loop's iterator,
//! a call's arguments) are not among them, so what only they reach is
//! left to the increment's `deduce_unreachable`. The startup's objects
//! count as [`crate::gc::STARTUP_HEAP_314`] in `heap_size` and in the
//! first mark. An increment's size depends on those numbers, so the
//! interpreter treats every increment as running at an assumed time.

use super::gc::{GcPhase, GcRun};
use super::{ObjRef, Objects, Payload};
use crate::gc::{List, STARTUP_HEAP_314};

/// What 3.14's marking starts from (`mark_global_roots`, `mark_stacks`).
#[derive(Clone, Debug, Default)]
pub struct GcRoots {
    /// The module's globals in order of first binding: `__main__`'s dict,
    /// reached through `sys.modules`.
    pub globals: Vec<ObjRef>,
    /// Each frame, innermost first: its locals in the order `mark_stacks`
    /// scans them (the last slot first), and whether an earlier increment
    /// scanned the frame (`frame->visited`).
    pub frames: Vec<(Vec<ObjRef>, bool)>,
}

impl Objects {
    /// 3.14 `move_to_reachable` / `visit_add_to_container`: a tracked
    /// object not yet visited is marked visited and appended to `to`.
    fn mark_one(&mut self, r: ObjRef, to: List, visited: u8) -> i64 {
        if !self.gc.is_tracked(r) || self.gc.space(r) == visited {
            return 0;
        }
        self.gc.set_space(r, visited);
        self.gc.push(to, r);
        1
    }

    /// `mark_all_reachable`: what the reachable list holds goes to the
    /// visited space, and what each one reaches joins it, until none is
    /// left.
    fn mark_all_reachable(&mut self, visited: u8) -> i64 {
        let to = List::Gen(1 + visited);
        let mut marked = 0;
        while let Some(r) = self.gc.first(List::Reachable) {
            self.gc.push(to, r);
            for x in self.referents(r) {
                marked += self.mark_one(x, List::Reachable, visited);
            }
        }
        marked
    }

    /// `mark_stacks`: each frame's locals, innermost frame first; after
    /// the first mark of a scavenge (`start`) the walk stops at the first
    /// frame an earlier increment scanned. Returns the objects marked and
    /// how many frames were scanned (the interpreter sets their
    /// `visited`).
    fn mark_stacks(&mut self, roots: &GcRoots, visited: u8, start: bool) -> (i64, usize) {
        let mut marked = 0;
        let mut scanned = 0;
        for (locals, was_visited) in &roots.frames {
            for &r in locals {
                marked += self.mark_one(r, List::Reachable, visited);
            }
            scanned += 1;
            if !start && *was_visited {
                break;
            }
        }
        (marked + self.mark_all_reachable(visited), scanned)
    }

    /// `mark_at_start`: `mark_global_roots` (the startup's objects, assumed
    /// all reachable, then the program's globals) and `mark_stacks`.
    fn mark_at_start(&mut self, roots: &GcRoots, visited: u8) -> (i64, usize) {
        let mut marked = STARTUP_HEAP_314;
        for &r in &roots.globals {
            marked += self.mark_one(r, List::Reachable, visited);
        }
        marked += self.mark_all_reachable(visited);
        let (m, scanned) = self.mark_stacks(roots, visited, true);
        (marked + m, scanned)
    }

    /// `expand_region_transitively_reachable`: from `first` to the end of
    /// the increment (which grows meanwhile), what each object reaches
    /// and is not yet visited joins the increment.
    fn expand_region(&mut self, first: ObjRef, visited: u8) -> i64 {
        let mut size = 0;
        let mut at = Some(first);
        while let Some(r) = at {
            for x in self.referents(r) {
                size += self.mark_one(x, List::Increment, visited);
            }
            at = self.gc.next(r);
        }
        size
    }

    /// Steps 1–7 of a 3.14 collection (see the module docs): which
    /// objects are candidates, `deduce_unreachable`, and the weakref
    /// callbacks due. The counterpart of [`Objects::gc_begin`] up to 3.13.
    pub(super) fn gc_begin_incremental(
        &mut self,
        g: u8,
        roots: &GcRoots,
    ) -> (GcRun, Vec<(ObjRef, ObjRef)>) {
        let Some(inc) = self.gc.inc else {
            return (GcRun::new(g, List::Gen(2)), Vec::new());
        };
        let visited = self.gc.visited();
        let space = inc.visited_space;
        let mut run = GcRun::new(g, visited);
        run.region = g != 1;
        let from = match g {
            0 => {
                // gc_collect_young.
                self.untrack_tuples(List::Gen(0));
                self.gc.set_list_space(List::Gen(0), space);
                List::Gen(0)
            }
            1 => {
                // gc_collect_increment.
                let work = self.gc.assess_work_to_do();
                let work_to_do = inc.work_to_do + work;
                self.set_work_to_do(work_to_do);
                if work_to_do < 0 {
                    return (run, Vec::new());
                }
                self.untrack_tuples(List::Gen(0));
                if inc.marking {
                    let (marked, scanned) = self.mark_at_start(roots, space);
                    self.gc_event_list(GcPhase::Mark, visited);
                    // mark_at_start subtracts what it marked, and so does
                    // gc_collect_increment after it: twice, as in gc.c.
                    self.set_work_to_do(work_to_do - 2 * marked);
                    if let Some(i) = self.gc.inc.as_mut() {
                        i.marking = false;
                    }
                    run.frames_scanned = scanned;
                    return (run, Vec::new());
                }
                let (marked, scanned) = self.mark_stacks(roots, space, false);
                run.frames_scanned = scanned;
                let work_to_do = work_to_do - marked;
                self.set_work_to_do(work_to_do);
                self.gc.set_list_space(List::Gen(0), space);
                self.gc.merge(List::Gen(0), List::Increment);
                let pending = self.gc.pending();
                let mut size = self.gc.len(List::Increment) as i64;
                while size < work_to_do {
                    let Some(r) = self.gc.first(pending) else {
                        break;
                    };
                    self.gc.push(List::Increment, r);
                    self.gc.set_space(r, space);
                    size += 1 + self.expand_region(r, space);
                }
                run.increment_size = size;
                run.region = true;
                self.gc_event_list(GcPhase::Increment, List::Increment);
                List::Increment
            }
            _ => {
                // gc_collect_full.
                self.untrack_tuples(List::Gen(0));
                self.gc.merge_for_full();
                visited
            }
        };
        self.gc_event_list(GcPhase::Merge, from);
        self.deduce_unreachable(from, List::Unreachable);
        self.untrack_tuples(from);
        if from != visited {
            self.gc.merge(from, visited);
        }
        let due = self.handle_weakref_callbacks();
        self.gc_event_list(GcPhase::Weakrefs, List::Unreachable);
        (run, due)
    }

    fn set_work_to_do(&mut self, work: i64) {
        if let Some(i) = self.gc.inc.as_mut() {
            i.work_to_do = work;
        }
    }

    /// `handle_weakref_callbacks`: each weakref with a callback to an
    /// unreachable object is cleared (`_PyWeakref_ClearRef`, which keeps
    /// the callback); its callback is due unless the weakref is garbage
    /// too. Weakrefs without a callback are left for `clear_weakrefs`.
    fn handle_weakref_callbacks(&mut self) -> Vec<(ObjRef, ObjRef)> {
        let mut due = Vec::new();
        for r in self.gc.members(List::Unreachable) {
            for wr in self.weakrefs_to(r) {
                let cb = match self.get(wr).map(|o| &o.payload) {
                    Some(Payload::WeakRef {
                        callback: Some(cb), ..
                    }) => *cb,
                    _ => continue,
                };
                if let Some(Payload::WeakRef { referent, .. }) =
                    self.get_mut(wr).map(|o| &mut o.payload)
                {
                    *referent = None;
                }
                self.weakref_unlist(wr, Some(r));
                if self.gc.list_of(wr) == Some(List::Unreachable) {
                    continue;
                }
                self.incref(wr);
                self.gc.push(List::Callbacks, wr);
                due.push((wr, cb));
            }
        }
        due
    }

    /// `clear_weakrefs`: after the finalizers, a weakref in `list` is
    /// cleared, and so is every weakref to an object of `list`, without
    /// callbacks.
    pub(super) fn clear_weakrefs_in(&mut self, list: List) {
        for r in self.gc.members(list) {
            self.weakref_clear_ref(r);
            for wr in self.weakrefs.remove(&r).unwrap_or_default() {
                if let Some(Payload::WeakRef { referent, .. }) =
                    self.get_mut(wr).map(|o| &mut o.payload)
                {
                    *referent = None;
                }
            }
        }
    }

    /// The end of a 3.14 collection, after `delete_garbage`: the counts,
    /// `work_to_do` and, when the pending space is empty, the end of the
    /// scavenge (`completed_scavenge`).
    pub(super) fn gc_end_incremental(&mut self, run: &GcRun) {
        match run.generation {
            0 => self.gc.young_collected(run.assumed),
            1 => {
                if let Some(i) = self.gc.inc.as_mut() {
                    i.work_to_do -= run.increment_size;
                }
                if run.region && self.gc.is_empty(self.gc.pending()) {
                    self.gc.completed_scavenge();
                }
            }
            _ => self.gc.completed_scavenge(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Version;

    /// A collection with no Python code to run, from `roots`.
    fn collect(o: &mut Objects, g: u8, roots: &GcRoots) -> u64 {
        let (run, due) = o.gc_begin_with_roots(g, false, roots);
        assert!(due.is_empty());
        assert_eq!(o.gc_next_finalizer(), None);
        let (m, n) = o.gc_finish(run, None);
        m + n
    }

    /// Two lists that refer to each other, each with one outside reference.
    fn two_list_cycle(o: &mut Objects) -> (ObjRef, ObjRef) {
        let a = o.list_exact(vec![]).expect("list");
        o.incref(a);
        let b = o.list_exact(vec![a]).expect("list");
        o.incref(b);
        if let Some(Payload::List { items, .. }) = o.get_mut(a).map(|x| &mut x.payload) {
            items.push(b);
        }
        (a, b)
    }

    fn inc(o: &Objects) -> crate::gc::Incremental {
        o.gc.inc.expect("3.14 is incremental")
    }

    #[test]
    fn tracking_counts_and_young_survivors_join_the_visited_space() {
        let none = GcRoots::default();
        let mut o = Objects::startup(Version::V3_14);
        o.check_gc = true;
        assert_eq!(o.gc.thresholds, [2000, 10, 0]);
        assert_eq!(collect(&mut o, 2, &none), 0);
        // gc_collect_full ends the scavenge: the permanent generation is
        // empty, so the spaces swap.
        assert_eq!(inc(&o).visited_space, 1);
        assert_eq!(o.gc.counts, [0, 0, 0]);
        let heap = inc(&o).heap_size;
        let (a, b) = two_list_cycle(&mut o);
        // _PyObject_GC_TRACK counts; a new dict is not tracked.
        assert_eq!(o.gc.counts[0], 2);
        assert_eq!(inc(&o).heap_size, heap + 2);
        let d = o
            .dict_with_state(vec![], crate::layout::DictState::empty())
            .expect("dict");
        assert_eq!(o.gc.counts[0], 2, "an empty dict is untracked");
        o.decref(d);
        assert_eq!(o.gc.space(a), 0, "young objects are not visited");
        assert_eq!(collect(&mut o, 0, &none), 0);
        assert_eq!(
            o.gc.list_of(a),
            Some(List::Gen(2)),
            "old[1], the visited space"
        );
        assert_eq!(o.gc.space(b), 1);
        assert_eq!(o.gc.counts, [0, 0, 1], "old[visited].count++");
        o.decref(a);
        o.decref(b);
        assert_eq!(collect(&mut o, 0, &none), 0, "no longer young");
        assert_eq!(collect(&mut o, 2, &none), 2);
        assert!(o.get(a).is_none() && o.get(b).is_none());
        assert_eq!(inc(&o).heap_size, heap, "untracked on their way out");
        assert_eq!(inc(&o).visited_space, 0, "swapped again");
        assert_eq!(o.gc_violation, None);
    }

    #[test]
    fn an_increment_marks_from_the_roots_first_then_collects_young_and_pending() {
        let mut o = Objects::startup(Version::V3_14);
        o.check_gc = true;
        collect(&mut o, 2, &GcRoots::default());
        let visited = o.gc.visited();
        // A global list holding a list, and an unreachable two-list cycle.
        let c = o.list_exact(vec![]).expect("list");
        let g = o.list_exact(vec![c]).expect("list");
        let (d, e) = two_list_cycle(&mut o);
        o.decref(d);
        o.decref(e);
        let roots = GcRoots {
            globals: vec![g],
            frames: Vec::new(),
        };
        // assess_work_to_do: 4 young objects + min(heap / 10 / 10, 8).
        let heap = inc(&o).heap_size;
        let work = 4 + (heap / 100).min(8);
        // The first increment of a scavenge only marks: the startup's
        // objects (assumed) and g, then c, become visited.
        assert_eq!(collect(&mut o, 1, &roots), 0);
        assert_eq!(o.gc.members(visited), vec![g, c]);
        assert_eq!(o.gc.members(List::Gen(0)), vec![d, e]);
        let marked = STARTUP_HEAP_314 + 2;
        assert_eq!(inc(&o).work_to_do, work - 2 * marked, "subtracted twice");
        assert!(!inc(&o).marking);
        // With that debt the next increment only assesses its work.
        assert_eq!(collect(&mut o, 1, &roots), 0);
        assert!(o.get(d).is_some() && o.get(e).is_some());
        // Once the debt is paid, the young objects make up the increment:
        // the cycle is freed; the pending space is empty, so the scavenge
        // is over and the spaces swap.
        if let Some(i) = o.gc.inc.as_mut() {
            i.work_to_do = 0;
        }
        let space = inc(&o).visited_space;
        assert_eq!(collect(&mut o, 1, &roots), 2);
        assert!(o.get(d).is_none() && o.get(e).is_none());
        assert_eq!(inc(&o).visited_space, 1 - space);
        assert!(inc(&o).marking);
        assert_eq!(o.gc.stats[1].collections, 3);
        assert_eq!(o.gc_violation, None);
    }

    #[test]
    fn an_increment_takes_pending_objects_with_what_they_reach() {
        let mut o = Objects::startup(Version::V3_14);
        o.check_gc = true;
        let none = GcRoots::default();
        collect(&mut o, 2, &none);
        // A cycle d <-> e, and f -> d, all in the visited space; a full
        // collection's scavenge swap then makes that space pending.
        let (d, e) = two_list_cycle(&mut o);
        let f = o.list_exact(vec![d]).expect("list");
        o.incref(d);
        collect(&mut o, 0, &none);
        if let Some(i) = o.gc.inc.as_mut() {
            i.visited_space ^= 1;
            i.marking = false;
            i.work_to_do = 0;
        }
        let pending = o.gc.pending();
        assert_eq!(o.gc.members(pending), vec![d, e, f]);
        o.decref(d);
        o.decref(e);
        o.decref(f);
        assert!(o.get(f).is_none(), "f had no cycle");
        // work_to_do 0 + nothing young: an empty increment still runs
        // gc_collect_region, but takes no pending object (0 < 0 is false).
        assert_eq!(collect(&mut o, 1, &none), 0);
        assert_eq!(o.gc.members(pending), vec![d, e]);
        // With work to do, d comes with e (which it reaches): both freed.
        if let Some(i) = o.gc.inc.as_mut() {
            i.work_to_do = 1;
        }
        assert_eq!(collect(&mut o, 1, &none), 2);
        assert!(o.gc.is_empty(pending) && o.get(d).is_none());
        assert_eq!(o.gc_violation, None);
    }
}
