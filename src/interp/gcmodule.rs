//! The `gc` and `weakref` modules, and the collections the interpreter
//! runs: explicit (`gc.collect()`) and automatic.
//!
//! The collector itself is in the object space (`objects/gc.rs`); this file
//! runs the Python code a collection calls: `gc.callbacks` at its start and
//! stop (`invoke_gc_callback`), weakref callbacks (`handle_weakrefs`) and
//! finalizers (`finalize_garbage`).
//!
//! When an automatic collection runs: CPython 3.8–3.11 collect inside the
//! allocation that takes generation 0 over its threshold (before tracking
//! the new object); the model does the same wherever the interpreter
//! receives a new object (`Interp::mem`, through `Interp::gc_inside_alloc`).
//! 3.12+ schedule the collection for the next eval-breaker check (a
//! backward jump, a function's `RESUME`, some calls); the model collects
//! at its check points, [`Interp::gc_check`]: the start of each statement,
//! each loop iteration (the backward jump) and each function call.
//! Scenario 086 checks both.

use num_bigint::BigInt;

use super::{exc, unsupported, Interp, R};
use crate::ast;
use crate::gc::{List, NUM_GENERATIONS};
use crate::layout::{DictState, ListState};
use crate::objects::{ObjRef, Objects, Payload, Record};

/// The functions of `gc` the model provides, as the model names them
/// (`gc.NAME`: the repr shows `NAME`).
pub(super) const GC_FUNCS: &[&str] = &[
    "gc.collect",
    "gc.enable",
    "gc.disable",
    "gc.isenabled",
    "gc.get_count",
    "gc.get_threshold",
    "gc.set_threshold",
    "gc.get_stats",
    "gc.is_tracked",
    "gc.is_finalized",
    "gc.freeze",
    "gc.unfreeze",
    "gc.get_freeze_count",
    "gc.get_debug",
    "gc.set_debug",
    "gc.get_referents",
    "gc.get_objects",
    "gc.get_referrers",
];

/// `gc.DEBUG_*`.
pub(super) const GC_DEBUG: &[(&str, i64)] = &[
    ("DEBUG_STATS", 1),
    ("DEBUG_COLLECTABLE", 2),
    ("DEBUG_UNCOLLECTABLE", 4),
    ("DEBUG_SAVEALL", 32),
    ("DEBUG_LEAK", 38),
];

const DEBUG_STATS: i64 = 1;
const DEBUG_COLLECTABLE: i64 = 2;
const DEBUG_SAVEALL: i64 = 32;

/// An empty list that exists from startup (`gc.callbacks`, `gc.garbage`).
pub(super) fn startup_list(objs: &mut Objects) -> ObjRef {
    objs.preexisting(
        Payload::List {
            items: Vec::new(),
            state: ListState::empty(),
        },
        56,
    )
}

impl Interp {
    /// A call of `gc.NAME` (`name` without the prefix).
    pub(super) fn call_gc(&mut self, name: &str, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let v = self.v();
        let int_arg =
            |me: &Self, i: usize| -> Option<i64> { args.get(i).and_then(|&a| me.as_index(a)) };
        match (name, args.len()) {
            ("collect", 0 | 1) => {
                let g = if args.is_empty() {
                    2
                } else {
                    match int_arg(self, 0) {
                        Some(g) => g,
                        None => return unsupported(span, "gc.collect() of a non-int generation"),
                    }
                };
                if !(0..NUM_GENERATIONS as i64).contains(&g) {
                    return exc(line, "ValueError", "invalid generation");
                }
                // An import's garbage of unknown size: the collection may
                // run, but its number must not be seen.
                let unknown = self.objs.gc.unseen.garbage.is_none();
                let seen = self.stmt_call != Some(span)
                    || self.objs.gc.debug & DEBUG_STATS != 0
                    || self.gc_callbacks_list().is_some();
                if unknown && seen {
                    return unsupported(
                        span,
                        "the number gc.collect() returns after importing weakref or \
                         tracemalloc: the import leaves garbage whose amount depends on \
                         when its own collections ran (collect once, discarding the \
                         result, before using it)",
                    );
                }
                if g == 1 && self.objs.gc.inc.is_some() {
                    return unsupported(
                        span,
                        "gc.collect(1) on 3.14: one increment, whose size (work_to_do) \
                         depends on the startup heap, which the unverified 3.14 profile \
                         only assumes",
                    );
                }
                let n = self.gc_collect(g as u8, false)?;
                self.new_int(n as i64, line)
            }
            ("enable" | "disable", 0) => {
                self.objs.gc.enabled = name == "enable";
                Ok(self.objs.none())
            }
            ("isenabled", 0) => Ok(self.objs.bool(self.objs.gc.enabled)),
            ("get_count", 0) => {
                if let Some(g) = self.objs.gc.unseen.count_assumed.iter().position(|&a| a) {
                    return unsupported(
                        span,
                        format!(
                            "gc.get_count() before generation {g} was collected by gc.collect(): \
                             the count includes allocations of the interpreter's startup"
                        ),
                    );
                }
                let c = self.objs.gc.generation_lists().map(|l| match l {
                    List::Gen(g) => self.objs.gc.counts[g as usize],
                    _ => 0,
                });
                self.int_tuple(&c, line)
            }
            ("get_threshold", 0) => {
                let t = self.objs.gc.thresholds;
                self.int_tuple(&t, line)
            }
            ("set_threshold", 1..=3) => {
                for i in 0..args.len() {
                    match int_arg(self, i) {
                        Some(t) => self.objs.gc.thresholds[i] = t,
                        None => return unsupported(span, "gc.set_threshold() of a non-int"),
                    }
                }
                Ok(self.objs.none())
            }
            ("get_stats", 0) if !v.is_verified() => unsupported(
                span,
                "gc.get_stats() on 3.14, whose startup statistics the unverified \
                 profile does not know",
            ),
            ("get_stats", 0) if !self.objs.gc.unseen.stats_known => unsupported(
                span,
                "gc.get_stats() after importing a module written in Python (its import \
                 may have collected)",
            ),
            ("get_stats", 0) => self.gc_stats(line),
            ("is_tracked", 1) => Ok(self.objs.bool(self.objs.is_tracked(args[0]))),
            ("is_finalized", 1) if v.minor() >= 9 => {
                Ok(self.objs.bool(self.objs.is_finalized(args[0])))
            }
            // gc_freeze_impl: every generation onto the permanent one.
            ("freeze", 0) => {
                self.objs.gc.freeze();
                Ok(self.objs.none())
            }
            ("unfreeze", 0) => {
                self.objs.gc.unfreeze();
                Ok(self.objs.none())
            }
            // The permanent generation also holds what CPython froze itself:
            // nothing, unless the program froze.
            ("get_freeze_count", 0) if self.objs.gc.unseen.startup[3] => unsupported(
                span,
                "gc.get_freeze_count() on 3.12, whose startup leaves objects in the \
                 permanent generation",
            ),
            ("get_freeze_count", 0) => {
                let n = self.objs.gc.len(List::Permanent);
                self.new_int(n as i64, line)
            }
            ("get_debug", 0) => {
                let d = self.objs.gc.debug;
                self.new_int(d, line)
            }
            // gc_set_debug_impl stores the flags as they are.
            ("set_debug", 1) => match int_arg(self, 0) {
                Some(flags) if (0..=i64::from(i32::MAX)).contains(&flags) => {
                    self.objs.gc.debug = flags;
                    Ok(self.objs.none())
                }
                _ => unsupported(span, "gc.set_debug() of a negative or non-int value"),
            },
            ("get_referents", _) => self.gc_referents(args, span),
            ("get_objects", 0) => self.gc_objects_none(span),
            ("get_objects", 1) => self.gc_objects(args[0], span),
            ("get_referrers", _) => self.gc_referrers(args, span),
            _ => unsupported(span, format!("gc.{name}() with these arguments")),
        }
    }

    fn new_int(&mut self, n: i64, line: u32) -> R<ObjRef> {
        let r = self.objs.int(BigInt::from(n));
        self.mem(r, line)
    }

    /// A tuple of ints (`Py_BuildValue("(iii)")`).
    fn int_tuple(&mut self, ns: &[i64], line: u32) -> R<ObjRef> {
        let mut items = Vec::with_capacity(ns.len());
        for &n in ns {
            match self.new_int(n, line) {
                Ok(r) => items.push(r),
                Err(u) => {
                    self.release(items);
                    return Err(u);
                }
            }
        }
        let t = self.objs.tuple(items);
        self.mem(t, line)
    }

    /// A dict of str keys and int values, made by `Py_BuildValue("{...}")`:
    /// a new dict, a new str per key, inserted in order.
    fn str_int_dict(&mut self, pairs: &[(&str, i64)], line: u32) -> R<ObjRef> {
        let v = self.v();
        let mut entries = Vec::with_capacity(pairs.len());
        let mut state = DictState::empty();
        for &(k, n) in pairs {
            let key = self.objs.str_uncached(k);
            let key = match self.mem(key, line) {
                Ok(k) => k,
                Err(u) => {
                    self.release(entries.into_iter().flat_map(|(k, v)| [k, v]).collect());
                    return Err(u);
                }
            };
            let val = match self.new_int(n, line) {
                Ok(x) => x,
                Err(u) => {
                    self.decref(key);
                    self.release(entries.into_iter().flat_map(|(k, v)| [k, v]).collect());
                    return Err(u);
                }
            };
            let _ = state.insert(v, true);
            entries.push((key, val));
        }
        let d = self.objs.dict_with_state(entries, state);
        self.mem(d, line)
    }

    /// `gc.get_stats()`: a list of three dicts.
    fn gc_stats(&mut self, line: u32) -> R<ObjRef> {
        let mut items = Vec::with_capacity(NUM_GENERATIONS);
        for s in self.objs.gc.stats {
            let d = self.str_int_dict(
                &[
                    ("collections", s.collections as i64),
                    ("collected", s.collected as i64),
                    ("uncollectable", s.uncollectable as i64),
                ],
                line,
            );
            match d {
                Ok(d) => items.push(d),
                Err(u) => {
                    self.release(items);
                    return Err(u);
                }
            }
        }
        let l = self.objs.list_exact(items);
        self.mem(l, line)
    }

    /// `gc.get_referents(*objs)`: what each one's `tp_traverse` visits, for
    /// the types whose references the model holds completely.
    fn gc_referents(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let mut out = Vec::new();
        for &a in args {
            match self.payload(a) {
                Payload::List { .. }
                | Payload::Tuple(_)
                | Payload::Dict { .. }
                | Payload::Set { .. } => {}
                p if !crate::objects::is_gc(p) => continue,
                p => {
                    return unsupported(span, format!("gc.get_referents() of a {}", p.type_name()))
                }
            }
            out.extend(self.objs.referents(a));
        }
        let refs = self.new_refs(out);
        let l = self.objs.list_exact(refs);
        self.mem(l, span.line)
    }

    /// `gc.get_objects(generation)`: the objects of one generation, in its
    /// list's order (`append_objects`, which skips the result list).
    /// Refused for a generation that may hold objects the model does not
    /// make (see [`crate::gc::Unseen`]).
    fn gc_objects(&mut self, arg: ObjRef, span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let g = match self.payload(arg) {
            Payload::None => -1,
            _ => match self.as_index(arg) {
                Some(g) => g,
                None => return unsupported(span, "gc.get_objects() of a non-int generation"),
            },
        };
        // gc_get_objects_impl: -1 (the default, None) means every generation.
        if g == -1 {
            return self.gc_objects_none(span);
        }
        if g >= NUM_GENERATIONS as i64 {
            return exc(
                line,
                "ValueError",
                "generation parameter must be less than the number of available generations (3)",
            );
        }
        if g < 0 {
            return exc(
                line,
                "ValueError",
                "generation parameter cannot be negative",
            );
        }
        // 3.14 `_PyGC_GetObjects`: 0 is the young generation, 1 is always
        // empty, 2 is `old[0]` then `old[1]`.
        let lists: &[List] = match (self.objs.gc.inc.is_some(), g) {
            (_, 0) => &[List::Gen(0)],
            (false, 1) => &[List::Gen(1)],
            (true, 1) => &[],
            (false, _) => &[List::Gen(2)],
            (true, _) => &[List::Gen(1), List::Gen(2)],
        };
        let u = &self.objs.gc.unseen;
        if lists
            .iter()
            .any(|&l| matches!(l, List::Gen(i) if u.startup[i as usize]))
        {
            return unsupported(
                span,
                format!(
                    "gc.get_objects({g}): generation {g} still holds objects of the \
                     interpreter's startup (collect it with gc.collect() first)"
                ),
            );
        }
        if !lists.iter().all(|&l| u.exact(l)) {
            return unsupported(
                span,
                format!(
                    "gc.get_objects({g}): generation {g} holds objects the model does not \
                     make yet (a class's type dict, __mro__ and descriptors; a generator's \
                     frame before 3.11; tracebacks)"
                ),
            );
        }
        // PyList_New(0) first: up to 3.11 it may collect.
        let result = self.objs.list_exact(Vec::new());
        let result = self.mem(result, line)?;
        let members: Vec<ObjRef> = lists
            .iter()
            .flat_map(|&l| self.objs.gc.members(l))
            .filter(|&r| r != result)
            .collect();
        self.gc_fill(result, members, line)
    }

    /// Appends each of `items` to the new list `result` (`PyList_Append`,
    /// which grows it as `list.append` does); `result` is released on a
    /// failure.
    fn gc_fill(&mut self, result: ObjRef, items: Vec<ObjRef>, line: u32) -> R<ObjRef> {
        for r in items {
            self.objs.incref(r);
            if let Err(u) = self.list_push(result, r, line) {
                self.decref(result);
                return Err(u);
            }
        }
        Ok(result)
    }

    /// `gc.get_objects(None)`: every generation.
    fn gc_objects_none(&mut self, span: ast::Span) -> R<ObjRef> {
        unsupported(
            span,
            "gc.get_objects() of every generation (generation 2 holds the \
             interpreter's startup objects, which the model does not make)",
        )
    }

    /// `gc.get_referrers(*objs)` (`gc_referrers_for` over generations 0, 1
    /// and 2 in list order): the tracked objects whose `tp_traverse`
    /// visits one of `objs`, skipping the argument tuple and the result.
    ///
    /// Refused when a referrer could be an object the model does not make:
    /// the module's globals dict (an argument a global name holds), a
    /// class's type dict, a frame (a generator's before 3.11, or one a
    /// traceback keeps), or an object of the startup (an argument that is
    /// not a container the program made).
    fn gc_referrers(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let v = self.v();
        for &a in args {
            let why = match self.payload(a) {
                p if !crate::objects::is_gc(p) => Some(format!(
                    "gc.get_referrers() of a {} (code objects and the interpreter's own \
                     objects refer to it)",
                    p.type_name()
                )),
                Payload::Class(_) | Payload::Module(_) | Payload::Type(_) | Payload::Builtin(_) => {
                    Some("gc.get_referrers() of a class or a module".to_string())
                }
                _ if self.objs.is_preexisting(a) => {
                    Some("gc.get_referrers() of an object of the interpreter's startup".to_string())
                }
                _ if self.globals.values().any(|&g| g == a) => Some(
                    "gc.get_referrers() of an object a global name holds (the module's globals \
                     dict is not modelled)"
                        .to_string(),
                ),
                _ => None,
            };
            if let Some(why) = why {
                return unsupported(span, why);
            }
        }
        let result = self.objs.list_exact(Vec::new());
        let result = self.mem(result, line)?;
        let mut found = Vec::new();
        for list in self.objs.gc.generation_lists() {
            for r in self.objs.gc.members(list) {
                if r == result {
                    continue;
                }
                let refs = self.objs.referents(r);
                if !refs.iter().any(|x| args.contains(x)) {
                    continue;
                }
                let why = match self.payload(r) {
                    Payload::Class(_) => Some("a class (its type dict)"),
                    Payload::Generator(_) if v.minor() <= 10 => Some("a generator (its frame)"),
                    Payload::Exception { .. } => Some("an exception (its traceback)"),
                    Payload::Instance(i) if i.exc.is_some() => Some("an exception (its traceback)"),
                    _ if self.objs.is_preexisting(r) => Some("an object of the startup"),
                    _ => None,
                };
                if let Some(why) = why {
                    self.decref(result);
                    return unsupported(
                        span,
                        format!("gc.get_referrers() where a referrer is {why}"),
                    );
                }
                found.push(r);
            }
        }
        self.gc_fill(result, found, line)
    }

    /// `DEBUG_STATS`' first lines (`gc_collect_main`,
    /// `show_stats_each_generations`). The sizes are of the lists as the
    /// model holds them: without the startup's objects.
    fn gc_debug_header(&mut self, generation: u8) {
        let gc = &self.objs.gc;
        let sizes: String = gc
            .generation_lists()
            .iter()
            .map(|&l| format!(" {}", gc.len(l)))
            .collect();
        let permanent = gc.len(List::Permanent);
        self.stderr.push_str(&format!(
            "gc: collecting generation {generation}...\n\
             gc: objects in each generation:{sizes}\n\
             gc: objects in permanent generation: {permanent}\n"
        ));
    }

    /// `debug_cycle`: `gc: collectable <list 0x...>`, with the model's
    /// address.
    fn gc_debug_cycle(&mut self, what: &str, r: ObjRef) {
        let name = match self.payload(r) {
            Payload::Instance(i) => self
                .objs
                .class_obj(i.class)
                .map_or_else(|| "object".to_string(), |c| c.name.to_string()),
            p => p.type_name().to_string(),
        };
        let addr = self.objs.id(r);
        self.stderr
            .push_str(&format!("gc: {what} <{name} {addr:#x}>\n"));
    }

    /// `gc_collect_with_callback`: `gc.callbacks` called with "start", the
    /// collection, then "stop". Returns collected + uncollectable; 0 while a
    /// collection is already running. `automatic`: started by the
    /// thresholds rather than by `gc.collect()`.
    ///
    /// An automatic collection while the counts still include the
    /// startup's allocations runs at an assumed time (see
    /// [`crate::gc::Unseen`]): it may free memory, but Python code it
    /// would run (a callback, a finalizer) is refused, since when that
    /// code prints is not known.
    pub(super) fn gc_collect(&mut self, generation: u8, automatic: bool) -> R<u64> {
        if self.objs.gc.collecting {
            return Ok(0);
        }
        // 3.14: every increment's size depends on the assumed startup heap.
        let assumed =
            automatic && (self.objs.gc.unseen.timing_assumed() || self.objs.gc.inc.is_some());
        const ASSUMED: &str = "Python code run by an automatic collection before the \
             program's first gc.collect() (when it runs depends on the allocations of \
             the interpreter's startup)";
        let has_callbacks = self.gc_callbacks_list().is_some();
        if assumed && has_callbacks {
            return unsupported(self.cur_span, ASSUMED);
        }
        if has_callbacks && !self.v().is_verified() {
            return unsupported(
                self.cur_span,
                "gc.callbacks on 3.14 (the keys of its info dict are not verified)",
            );
        }
        self.objs.gc.collecting = true;
        let started = self.gc_callbacks("start", generation, 0, 0);
        if let Err(u) = started {
            self.objs.gc.collecting = false;
            return Err(u);
        }
        let debug = self.objs.gc.debug;
        if debug & DEBUG_STATS != 0 {
            self.gc_debug_header(generation);
        }
        let roots = self.gc_roots();
        let (mut run, due) = self.objs.gc_begin_with_roots(generation, assumed, &roots);
        for f in self.frames.iter_mut().rev().take(run.frames_scanned) {
            f.gc_visited = true;
        }
        if debug & DEBUG_COLLECTABLE != 0 {
            for r in self.objs.gc.members(List::Unreachable) {
                self.gc_debug_cycle("collectable", r);
            }
        }
        if assumed && !due.is_empty() {
            return unsupported(self.cur_span, ASSUMED);
        }
        // handle_weakrefs: each callback with its (already cleared) weakref.
        for (wr, cb) in due {
            self.call_from_c(cb, &[wr], "a weakref callback");
            self.objs.gc_callback_done(&mut run, wr);
            self.run_finalizers();
        }
        // finalize_garbage: __del__ once each, generators closed.
        while let Some(r) = self.objs.gc_next_finalizer() {
            if assumed {
                return unsupported(self.cur_span, ASSUMED);
            }
            if matches!(self.payload(r), Payload::Generator(_)) {
                self.objs.gen_close(r);
                self.run_finalizers();
            } else {
                self.call_del(r);
            }
            self.decref(r);
        }
        // DEBUG_SAVEALL: delete_garbage appends to gc.garbage instead.
        let save_all = if debug & DEBUG_SAVEALL != 0 {
            self.gc_list("garbage")
        } else {
            None
        };
        let (m, n) = self.objs.gc_finish(run, save_all);
        if debug & DEBUG_STATS != 0 {
            // gc_collect_main's last line; the model has no clock.
            self.stderr.push_str(&format!(
                "gc: done, {} unreachable, {n} uncollectable, 0.0000s elapsed\n",
                n + m
            ));
        }
        self.run_finalizers();
        self.objs.gc.collecting = true;
        let stopped = self.gc_callbacks("stop", generation, m, n);
        self.objs.gc.collecting = false;
        stopped?;
        Ok(m + n)
    }

    /// `invoke_gc_callback`: each entry of `gc.callbacks` called as
    /// `cb(phase, info)`, the info dict made once (only when there are
    /// callbacks).
    fn gc_callbacks(&mut self, phase: &str, generation: u8, m: u64, n: u64) -> R<()> {
        let Some(list) = self.gc_callbacks_list() else {
            return Ok(());
        };
        let line = self.cur_span.line;
        let info = self.str_int_dict(
            &[
                ("generation", i64::from(generation)),
                ("collected", m as i64),
                ("uncollectable", n as i64),
            ],
            line,
        )?;
        let mut i = 0;
        loop {
            let cb = match self.payload(list) {
                Payload::List { items, .. } => items.get(i).copied(),
                _ => None,
            };
            let Some(cb) = cb else { break };
            self.objs.incref(cb);
            let ph = self.objs.str_uncached(phase);
            match self.mem(ph, line) {
                Ok(ph) => {
                    self.call_from_c(cb, &[ph, info], "a gc callback");
                    self.decref(ph);
                }
                Err(u) => {
                    self.decref(cb);
                    self.decref(info);
                    return Err(u);
                }
            }
            self.decref(cb);
            i += 1;
        }
        self.decref(info);
        Ok(())
    }

    /// What 3.14's marking starts from: the globals in order of first
    /// binding, then each frame's locals, innermost frame first and last
    /// slot first (`mark_stacks` walks a frame's stack down to its first
    /// local). Empty up to 3.13, whose collections need no roots.
    fn gc_roots(&self) -> crate::objects::GcRoots {
        if self.objs.gc.inc.is_none() {
            return crate::objects::GcRoots::default();
        }
        let mut globals: Vec<(u64, ObjRef)> = self
            .globals
            .iter()
            .map(|(n, &r)| (self.global_seq.get(n).copied().unwrap_or(0), r))
            .collect();
        globals.sort_unstable_by_key(|g| g.0);
        let frames = self
            .frames
            .iter()
            .rev()
            .map(|f| {
                (
                    f.slots.iter().rev().flatten().copied().collect(),
                    f.gc_visited,
                )
            })
            .collect();
        crate::objects::GcRoots {
            globals: globals.into_iter().map(|g| g.1).collect(),
            frames,
        }
    }

    /// `gc.callbacks` when the program imported `gc` and the list is not
    /// empty (the callbacks would run).
    fn gc_callbacks_list(&self) -> Option<ObjRef> {
        self.gc_list("callbacks").filter(
            |&l| matches!(self.payload(l), Payload::List { items, .. } if !items.is_empty()),
        )
    }

    /// `gc.callbacks` or `gc.garbage`, if the program imported `gc`.
    pub(super) fn gc_list(&self, name: &str) -> Option<ObjRef> {
        self.modules.get("gc").and_then(|m| m.attr(name))
    }

    /// An automatic collection, if one is due (`gc_collect_generations`,
    /// or 3.12+ `_Py_RunGC`). See the module docs for when it runs.
    pub(super) fn gc_check(&mut self) -> R<()> {
        if !self.objs.gc.due || self.objs.gc.collecting {
            return Ok(());
        }
        self.objs.gc.due = false;
        match self.objs.gc.generation_due() {
            Ok(Some(g)) => {
                self.gc_collect(g, true)?;
            }
            Ok(None) => {}
            Err(why) => return unsupported(self.cur_span, why),
        }
        Ok(())
    }

    /// `weakref.ref(obj[, callback])`.
    pub(super) fn call_weakref(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let (obj, cb) = match args {
            [o] => (*o, None),
            [o, c] if matches!(self.payload(*c), Payload::None) => (*o, None),
            [o, c] => (*o, Some(*c)),
            _ => return unsupported(span, "weakref.ref() with these arguments"),
        };
        let made = self.objs.weakref(obj, cb);
        match self.mem(made, span.line)? {
            Some(wr) => Ok(wr),
            None => {
                let t = self.objs.type_name(obj);
                exc(
                    span.line,
                    "TypeError",
                    format!("cannot create weak reference to '{t}' object"),
                )
            }
        }
    }

    /// Calling a weakref: its referent, or `None` once that died.
    pub(super) fn call_weakref_obj(&mut self, wr: ObjRef) -> ObjRef {
        match self.objs.weakref_target(wr) {
            Some(t) => {
                self.objs.incref(t);
                t
            }
            None => self.objs.none(),
        }
    }

    /// `weakref.finalize(obj, func, *args)`: a finalizer object whose
    /// weakref to `obj` has the finalizer itself as callback. The model
    /// keeps it as a record (its memory is not modelled): `func`, `args`,
    /// the weakref while it is alive, and its registry index.
    pub(super) fn call_finalize(&mut self, args: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let [obj, func, rest @ ..] = args else {
            return unsupported(span, "weakref.finalize() with fewer than two arguments");
        };
        let rest = self.new_refs(rest.to_vec());
        let targs = self.objs.tuple(rest);
        let targs = self.mem(targs, span.line)?;
        self.objs.incref(*func);
        let index = self.finalizers.len() as i64;
        let idx = self.new_int(index, span.line)?;
        let fin = self.objs.preexisting(
            Payload::Record(Box::new(Record {
                type_name: "finalize",
                attrs: vec![("func", *func), ("args", targs), ("index", idx)],
                items: Vec::new(),
            })),
            0,
        );
        // The registry (finalize._registry) keeps the finalizer alive.
        self.finalizers.push(fin);
        self.objs.incref(fin);
        let made = self.objs.weakref(*obj, Some(fin));
        self.decref(fin);
        match self.mem(made, span.line)? {
            Some(wr) => {
                if let Some(Payload::Record(r)) = self.objs.get_mut(fin).map(|o| &mut o.payload) {
                    r.attrs.push(("weakref", wr));
                }
                self.objs.incref(fin);
                Ok(fin)
            }
            None => {
                let t = self.objs.type_name(*obj);
                exc(
                    span.line,
                    "TypeError",
                    format!("cannot create weak reference to '{t}' object"),
                )
            }
        }
    }

    /// True while finalizer `fin` is in the registry.
    pub(super) fn finalize_alive(&self, fin: ObjRef) -> bool {
        self.finalizers.contains(&fin)
    }

    /// Calling a finalizer (`finalize.__call__`): if it is still registered,
    /// it leaves the registry and returns `func(*args)`; else `None`.
    pub(super) fn call_finalize_obj(&mut self, fin: ObjRef, span: ast::Span) -> R<ObjRef> {
        let Some(at) = self.finalizers.iter().position(|&f| f == fin) else {
            return Ok(self.objs.none());
        };
        self.finalizers.remove(at);
        let (func, targs) = match self.payload(fin) {
            Payload::Record(r) => {
                let get = |n: &str| r.attrs.iter().find(|(k, _)| *k == n).map(|&(_, v)| v);
                (get("func"), get("args"))
            }
            _ => (None, None),
        };
        // The registry's reference goes. CPython's info.weakref goes with it;
        // the model keeps the weakref on the record until the record dies.
        let items = match targs.map(|t| self.payload(t)) {
            Some(Payload::Tuple(items)) => items.clone(),
            _ => Vec::new(),
        };
        let res = match func {
            Some(f) => self.call_borrowed(f, &items, &[], span),
            None => Ok(self.objs.none()),
        };
        self.decref(fin);
        res
    }

    /// `finalize._exitfunc` at exit: the finalizers still registered with
    /// `atexit` set, the most recent first.
    pub(super) fn run_exit_finalizers(&mut self) -> R<()> {
        while let Some(&fin) = self.finalizers.last() {
            self.objs.incref(fin);
            let span = self.cur_span;
            let r = self.call_finalize_obj(fin, span);
            self.decref(fin);
            let r = r?;
            self.decref(r);
        }
        Ok(())
    }

    /// `f.alive`, `f.atexit` of a finalizer.
    pub(super) fn finalize_attr(&mut self, fin: ObjRef, attr: &str, span: ast::Span) -> R<ObjRef> {
        match attr {
            "alive" => Ok(self.objs.bool(self.finalize_alive(fin))),
            "atexit" => Ok(self.objs.bool(true)),
            _ => unsupported(span, format!("finalize.{attr}")),
        }
    }
}
