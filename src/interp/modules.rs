//! The modules a program can import (`sys`, `tracemalloc`): their objects,
//! functions and attributes, and the calls of `tracemalloc`'s functions.
//!
//! `tracemalloc`'s bookkeeping is [`crate::tracemalloc::Tracemalloc`] in
//! the object space; this file is its Python face. What `tracemalloc.py`'s
//! own Python code allocates (the `Snapshot`, its `Statistic`, `Traceback`
//! and `Frame` objects) is not modelled: those objects own no block, are
//! made with tracing paused, and a snapshot lists the program's own lines
//! only. `get_traced_memory()` refuses while one of them is alive, because
//! CPython would count their memory.

use std::collections::HashMap;
use std::rc::Rc;

use num_bigint::BigInt;

use super::{exc, unsupported, Interp, R};
use crate::ast;
use crate::objects::{ObjRef, Objects, Payload, Record};

/// The functions of `sys` the model provides.
pub(super) const SYS_FUNCS: &[&str] = &["getsizeof", "getrefcount", "intern"];

/// The functions of `tracemalloc` the model provides (`reset_peak` from 3.9).
pub(super) const TRACEMALLOC_FUNCS: &[&str] = &[
    "start",
    "stop",
    "is_tracing",
    "clear_traces",
    "get_traced_memory",
    "reset_peak",
    "get_traceback_limit",
    "take_snapshot",
];

/// An importable module: its object and its attributes (owned references).
pub(super) struct Module {
    pub(super) obj: ObjRef,
    attrs: HashMap<&'static str, ObjRef>,
}

impl Module {
    /// The attribute `name` (borrowed).
    pub(super) fn attr(&self, name: &str) -> Option<ObjRef> {
        self.attrs.get(name).copied()
    }
}

/// The modules, made at startup (their memory is part of the startup heap:
/// the model does not allocate what `import tracemalloc` loads).
pub(super) fn startup_modules(objs: &mut Objects) -> HashMap<&'static str, Module> {
    let minor = objs.version().minor();
    let mut modules = HashMap::new();
    let func = |objs: &mut Objects, n: &'static str| objs.preexisting(Payload::Builtin(n), 72);
    let mut sys_attrs: HashMap<&'static str, ObjRef> =
        SYS_FUNCS.iter().map(|&n| (n, func(objs, n))).collect();
    sys_attrs.insert("version_info", version_info(objs, minor));
    modules.insert(
        "sys",
        Module {
            obj: objs.preexisting(Payload::Module("sys".into()), 72),
            attrs: sys_attrs,
        },
    );
    let tm_attrs = TRACEMALLOC_FUNCS
        .iter()
        .filter(|&&n| n != "reset_peak" || minor >= 9)
        .map(|&n| (n, func(objs, n)))
        .collect();
    let mut gc_attrs: HashMap<&'static str, ObjRef> = super::gcmodule::GC_FUNCS
        .iter()
        .map(|&q| (&q["gc.".len()..], q))
        .filter(|&(n, _)| n != "is_finalized" || minor >= 9)
        .map(|(n, q)| (n, func(objs, q)))
        .collect();
    for &(n, value) in super::gcmodule::GC_DEBUG {
        if let Ok(r) = objs.int(BigInt::from(value)) {
            gc_attrs.insert(n, r);
        }
    }
    gc_attrs.insert("callbacks", super::gcmodule::startup_list(objs));
    gc_attrs.insert("garbage", super::gcmodule::startup_list(objs));
    modules.insert(
        "gc",
        Module {
            obj: objs.preexisting(Payload::Module("gc".into()), 72),
            attrs: gc_attrs,
        },
    );
    let wr_attrs = [("ref", "weakref.ref"), ("finalize", "weakref.finalize")]
        .into_iter()
        .map(|(n, q)| (n, func(objs, q)))
        .collect();
    modules.insert(
        "weakref",
        Module {
            obj: objs.preexisting(Payload::Module("weakref".into()), 72),
            attrs: wr_attrs,
        },
    );
    modules.insert(
        "tracemalloc",
        Module {
            obj: objs.preexisting(Payload::Module("tracemalloc".into()), 72),
            attrs: tm_attrs,
        },
    );
    modules
}

/// `sys.version_info` as far as the model knows it: major and minor (the
/// micro version is the patch release, which the model does not pin).
fn version_info(objs: &mut Objects, minor: u32) -> ObjRef {
    // Small ints: the cached objects (a new reference each, never failing).
    let (Ok(major), Ok(minor)) = (objs.int(BigInt::from(3)), objs.int(BigInt::from(minor))) else {
        return objs.none();
    };
    objs.incref(major);
    objs.incref(minor);
    objs.preexisting(
        Payload::Record(Box::new(Record {
            type_name: "version_info",
            attrs: vec![("major", major), ("minor", minor)],
            items: vec![major, minor],
        })),
        0,
    )
}

impl Interp {
    /// `import name`: a new reference to the module.
    pub(super) fn import_module(&mut self, name: &str, span: ast::Span) -> R<ObjRef> {
        let Some(m) = self.modules.get(name) else {
            return unsupported(span, format!("import of module {name:?}"));
        };
        let r = m.obj;
        self.objs.incref(r);
        self.imported(name);
        Ok(r)
    }

    /// After `import name`: `weakref` and `tracemalloc` are written in
    /// Python, and CPython's first import of them allocates (and may
    /// collect) in ways the model does not make. From here the counts are
    /// assumed until the next `gc.collect()`, and the statistics unknown.
    ///
    /// The first import also leaves garbage for the next collection
    /// ([`crate::gc::import_garbage`]).
    fn imported(&mut self, name: &str) {
        if matches!(name, "weakref" | "tracemalloc") {
            let first = self.python_imports.insert(name.to_string());
            let v = self.v();
            let collected = self.objs.gc.oldest_collected.is_some();
            let u = &mut self.objs.gc.unseen;
            u.count_assumed = [true; crate::gc::NUM_GENERATIONS];
            u.stats_known = false;
            if first {
                u.garbage = match (u.garbage, crate::gc::import_garbage(v, name, collected)) {
                    (Some(a), Some(b)) => Some(a + b),
                    _ => None,
                };
            }
        }
    }

    /// `from module import name`: a new reference to the attribute.
    pub(super) fn import_from(&mut self, module: &str, name: &str, span: ast::Span) -> R<ObjRef> {
        let found = self.modules.get(module).map(|m| m.attrs.get(name).copied());
        match found {
            None => unsupported(span, format!("import from module {module:?}")),
            // CPython's ImportError names the module's file: not modelled.
            Some(None) => unsupported(span, format!("{module}.{name}")),
            Some(Some(r)) => {
                self.objs.incref(r);
                self.imported(module);
                Ok(r)
            }
        }
    }

    /// `module.attr` for a module object: a new reference, or `None` when the
    /// model does not provide that attribute.
    pub(super) fn module_attr(&mut self, obj: ObjRef, attr: &str, span: ast::Span) -> R<ObjRef> {
        let Payload::Module(name) = self.payload(obj) else {
            return unsupported(span, "an attribute of this object");
        };
        let name = name.clone();
        let found = self
            .modules
            .get(&*name)
            .and_then(|m| m.attrs.get(attr).copied());
        match found {
            Some(r) => {
                self.objs.incref(r);
                Ok(r)
            }
            // 3.8 has no tracemalloc.reset_peak: CPython's own message.
            None if &*name == "tracemalloc" && attr == "reset_peak" => exc(
                span.line,
                "AttributeError",
                format!("module '{name}' has no attribute '{attr}'"),
            ),
            None => unsupported(span, format!("{name}.{attr}")),
        }
    }

    /// A call of one of `tracemalloc`'s functions.
    pub(super) fn call_tracemalloc(
        &mut self,
        name: &str,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        if !args.is_empty() {
            return unsupported(span, format!("arguments to tracemalloc.{name}()"));
        }
        match name {
            "start" => self.objs.tracer.start(),
            "stop" | "clear_traces" => {
                let tracing = self.objs.tracer.is_tracing();
                self.objs.tracer.stop();
                if name == "clear_traces" && tracing {
                    self.objs.tracer.start();
                }
            }
            "reset_peak" => self.objs.tracer.reset_peak(),
            "is_tracing" => return Ok(self.objs.bool(self.objs.tracer.is_tracing())),
            "get_traceback_limit" => {
                let r = self.objs.int(BigInt::from(1));
                return self.mem(r, line);
            }
            "get_traced_memory" | "take_snapshot"
                if self.made_class && self.objs.tracer.is_tracing() =>
            {
                return unsupported(
                    span,
                    format!("tracemalloc.{name}() after a class statement (class creation's own allocations, which move the free lists, are not modelled)"),
                );
            }
            "get_traced_memory" => {
                if self.objs.tracer.is_tracing() && self.tracemalloc_objects_alive() {
                    return unsupported(
                        span,
                        "get_traced_memory() while a tracemalloc snapshot or statistic is alive (their memory is not modelled)",
                    );
                }
                // The totals are read first, then Py_BuildValue("nn") makes
                // the tuple and the two ints, which are traced themselves.
                let (cur, peak) = self.objs.tracer.traced_memory();
                let a = self.objs.int(BigInt::from(cur));
                let a = self.mem(a, line)?;
                let b = match self.objs.int(BigInt::from(peak)) {
                    Ok(b) => b,
                    Err(e) => {
                        self.decref(a);
                        return self.mem(Err(e), line);
                    }
                };
                let t = self.objs.tuple(vec![a, b]);
                return self.mem(t, line);
            }
            "take_snapshot" => {
                if !self.objs.tracer.is_tracing() {
                    return exc(
                        line,
                        "RuntimeError",
                        "the tracemalloc module must be tracing memory allocations to take a snapshot",
                    );
                }
                let stats: Rc<[_]> = self.objs.tracer.statistics().into();
                return Ok(self.objs.preexisting(Payload::Snapshot(stats), 0));
            }
            _ => return unsupported(span, format!("tracemalloc.{name}()")),
        }
        Ok(self.objs.none())
    }

    /// True while a snapshot or one of its statistics is alive.
    fn tracemalloc_objects_alive(&self) -> bool {
        self.objs.any(|p| {
            matches!(p, Payload::Snapshot(_))
                || matches!(p, Payload::Record(r) if r.type_name == "Statistic")
        })
    }

    /// `snapshot.statistics(key_type)`: a list of `Statistic` records, made
    /// with tracing paused (CPython makes them in tracemalloc.py).
    pub(super) fn snapshot_statistics(
        &mut self,
        snap: ObjRef,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let Payload::Snapshot(stats) = self.payload(snap) else {
            return unsupported(span, "statistics() of this object");
        };
        let stats = stats.clone();
        match args {
            [k] if matches!(self.payload(*k), Payload::Str(s) if &**s == "lineno") => {}
            _ => return unsupported(span, "Snapshot.statistics() other than 'lineno'"),
        }
        let paused = self.objs.tracer.pause();
        let made = self.make_statistics(&stats);
        self.objs.tracer.resume(paused);
        self.mem(made, span.line)
    }

    fn make_statistics(
        &mut self,
        stats: &[crate::tracemalloc::LineStat],
    ) -> Result<ObjRef, crate::objects::ObjError> {
        let filename = self.objs.str(&self.file_name.clone())?;
        let mut items = Vec::with_capacity(stats.len());
        for s in stats {
            let lineno = self.objs.int(BigInt::from(s.line))?;
            self.objs.incref(filename);
            let frame = self.record(
                "Frame",
                vec![("filename", filename), ("lineno", lineno)],
                Vec::new(),
            );
            let tb = self.record("Traceback", Vec::new(), vec![frame]);
            let size = self.objs.int(BigInt::from(s.size))?;
            let count = self.objs.int(BigInt::from(s.count))?;
            let stat = self.record(
                "Statistic",
                vec![("traceback", tb), ("size", size), ("count", count)],
                Vec::new(),
            );
            items.push(stat);
        }
        self.objs.decref(filename);
        self.objs.list_exact(items)
    }

    fn record(
        &mut self,
        type_name: &'static str,
        attrs: Vec<(&'static str, ObjRef)>,
        items: Vec<ObjRef>,
    ) -> ObjRef {
        self.objs.preexisting(
            Payload::Record(Box::new(Record {
                type_name,
                attrs,
                items,
            })),
            0,
        )
    }

    /// `record.attr`: a new reference.
    pub(super) fn record_attr(&mut self, obj: ObjRef, attr: &str, span: ast::Span) -> R<ObjRef> {
        let Payload::Record(r) = self.payload(obj) else {
            return unsupported(span, "an attribute of this object");
        };
        match r.attrs.iter().find(|(n, _)| *n == attr) {
            Some(&(_, v)) => {
                self.objs.incref(v);
                Ok(v)
            }
            None => unsupported(span, format!("{}.{attr}", r.type_name)),
        }
    }

    /// `record[i]`: a new reference.
    pub(super) fn record_item(&mut self, obj: ObjRef, index: i64, span: ast::Span) -> R<ObjRef> {
        let Payload::Record(r) = self.payload(obj) else {
            return unsupported(span, "indexing this object");
        };
        if r.type_name == "version_info" {
            return unsupported(span, "indexing sys.version_info");
        }
        let n = r.items.len() as i64;
        let i = if index < 0 { index + n } else { index };
        match usize::try_from(i).ok().and_then(|i| r.items.get(i)) {
            Some(&v) => {
                self.objs.incref(v);
                Ok(v)
            }
            None => exc(span.line, "IndexError", "tuple index out of range"),
        }
    }
}
