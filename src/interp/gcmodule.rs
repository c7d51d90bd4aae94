//! The `gc` and `weakref` modules, and the collections the interpreter
//! runs: explicit (`gc.collect()`) and automatic.
//!
//! The collector itself is in the object space (`objects/gc.rs`); this file
//! runs the Python code a collection calls: `gc.callbacks` at its start and
//! stop (`invoke_gc_callback`), weakref callbacks (`handle_weakrefs`) and
//! finalizers (`finalize_garbage`).
//!
//! When an automatic collection runs: CPython 3.8–3.11 collect inside the
//! allocation that takes generation 0 over its threshold; 3.12+ schedule
//! the collection for the next eval-breaker check (a backward jump, a
//! function's `RESUME`, some calls). The model collects at its own check
//! points, [`Interp::gc_check`]: the start of each statement, each loop
//! iteration (the backward jump) and each function call. For 3.12+ those
//! are CPython's points; for 3.8–3.11 the collection runs a little later
//! than the allocation that triggered it, within the same statement.

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
                let n = self.gc_collect(g as u8)?;
                self.new_int(n as i64, line)
            }
            ("enable" | "disable", 0) => {
                self.objs.gc.enabled = name == "enable";
                Ok(self.objs.none())
            }
            ("isenabled", 0) => Ok(self.objs.bool(self.objs.gc.enabled)),
            ("get_count", 0) => {
                let c = self.objs.gc.counts;
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
            ("get_stats", 0) => self.gc_stats(line),
            ("is_tracked", 1) => Ok(self.objs.bool(self.objs.is_tracked(args[0]))),
            ("is_finalized", 1) if v.minor() >= 9 => {
                Ok(self.objs.bool(self.objs.is_finalized(args[0])))
            }
            // gc_freeze_impl: every generation onto the permanent one.
            ("freeze", 0) => {
                for g in 0..NUM_GENERATIONS as u8 {
                    self.objs.gc.merge(List::Gen(g), List::Permanent);
                    self.objs.gc.counts[g as usize] = 0;
                }
                Ok(self.objs.none())
            }
            ("unfreeze", 0) => {
                self.objs.gc.merge(List::Permanent, List::Gen(2));
                Ok(self.objs.none())
            }
            // The permanent generation also holds what CPython froze itself:
            // nothing, unless the program froze.
            ("get_freeze_count", 0) => {
                let n = self.objs.gc.len(List::Permanent);
                self.new_int(n as i64, line)
            }
            ("get_debug", 0) => {
                let d = self.objs.gc.debug;
                self.new_int(d, line)
            }
            ("set_debug", 1) => match int_arg(self, 0) {
                Some(0) => {
                    self.objs.gc.debug = 0;
                    Ok(self.objs.none())
                }
                _ => unsupported(
                    span,
                    "gc.set_debug() with flags (DEBUG_* output is not modelled)",
                ),
            },
            ("get_referents", _) => self.gc_referents(args, span),
            ("get_objects" | "get_referrers", _) => unsupported(
                span,
                format!("gc.{name}() (the interpreter's own objects are not modelled)"),
            ),
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

    /// `gc_collect_with_callback`: `gc.callbacks` called with "start", the
    /// collection, then "stop". Returns collected + uncollectable; 0 while a
    /// collection is already running.
    pub(super) fn gc_collect(&mut self, generation: u8) -> R<u64> {
        if self.objs.gc.collecting {
            return Ok(0);
        }
        self.objs.gc.collecting = true;
        let started = self.gc_callbacks("start", generation, 0, 0);
        if let Err(u) = started {
            self.objs.gc.collecting = false;
            return Err(u);
        }
        let (mut run, due) = self.objs.gc_begin(generation);
        // handle_weakrefs: each callback with its (already cleared) weakref.
        for (wr, cb) in due {
            self.call_from_c(cb, &[wr], "a weakref callback");
            self.objs.gc_callback_done(&mut run, wr);
            self.run_finalizers();
        }
        // finalize_garbage: __del__ once each, generators closed.
        while let Some(r) = self.objs.gc_next_finalizer() {
            if matches!(self.payload(r), Payload::Generator(_)) {
                self.objs.gen_close(r);
                self.run_finalizers();
            } else {
                self.call_del(r);
            }
            self.decref(r);
        }
        let (m, n) = self.objs.gc_finish(run);
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
        let Some(list) = self.gc_list("callbacks") else {
            return Ok(());
        };
        if !matches!(self.payload(list), Payload::List { items, .. } if !items.is_empty()) {
            return Ok(());
        }
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

    /// `gc.callbacks` or `gc.garbage`, if the program imported `gc`.
    fn gc_list(&self, name: &str) -> Option<ObjRef> {
        self.modules.get("gc").and_then(|m| m.attr(name))
    }

    /// An automatic collection, if one is due (`gc_collect_generations`,
    /// or 3.12+ `_Py_RunGC`). See the module docs for when it runs.
    pub(super) fn gc_check(&mut self) -> R<()> {
        if !self.objs.gc.due || self.objs.gc.collecting {
            return Ok(());
        }
        self.objs.gc.due = false;
        if let Some(g) = self.objs.gc.generation_due() {
            self.gc_collect(g)?;
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
