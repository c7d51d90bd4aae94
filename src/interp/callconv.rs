//! How CPython hands arguments to a built-in callable, version by
//! version, where that allocates.
//!
//! * **The argument tuple.** A type without `tp_vectorcall` is called
//!   through `_PyObject_MakeTpCall`, which packs the positional arguments
//!   into a tuple (`_PyTuple_FromArray`); a `METH_VARARGS` function or
//!   method gets one too (`cfunction_call`,
//!   `method_vectorcall_VARARGS`). Vectorcall and Argument Clinic's
//!   fastcall reached the built-ins at different versions: [`packs_args`]
//!   records where, each entry measured as the `gc.get_count()` step of a
//!   call made right after `gc.collect()` (which empties the tuple free
//!   lists, so the tuple is a fresh GC allocation).
//! * **Bound methods looked up by C code.** `sorted` calls the new list's
//!   `sort`, `round` the number's `__round__`, `sys.getsizeof` the
//!   object's `__sizeof__` and `reversed` its `__reversed__`
//!   (`_PyObject_LookupSpecial`); 3.8's `dict(d)` and `d.update(d)` look up
//!   `d.keys` first (`dict_update_common`). Each makes a bound built-in
//!   method (`PyCMethod_New`), from 3.8's free list.

use super::*;

/// Whether a call of the built-in `name` with positional arguments packs
/// them into a tuple in `minor`. `owner` is the type for a method
/// (`"str"` for `str.find`), empty for a built-in function or type (named
/// as the model names it: `getsizeof`, `weakref.ref`).
pub(super) fn packs_args(owner: &str, name: &str, minor: u32) -> bool {
    match (owner, name) {
        // bpo-37207: vectorcall for range, list, tuple, dict, set and
        // frozenset in 3.9.
        ("", "range" | "list" | "tuple" | "dict" | "set" | "frozenset") => minor <= 8,
        // 3.10: float_vectorcall, bool_vectorcall, type_vectorcall (one
        // argument), map_vectorcall, filter_vectorcall,
        // reversed_vectorcall.
        ("", "float" | "bool" | "type" | "map" | "filter" | "reversed") => minor <= 9,
        // 3.11: enumerate_vectorcall.
        ("", "enumerate") => minor <= 10,
        // 3.13: long_vectorcall, unicode_vectorcall, min/max and the
        // str/bytes search methods moved to fastcall.
        ("", "int" | "str" | "min" | "max") => minor <= 12,
        (
            "str" | "bytes",
            "find" | "rfind" | "index" | "rindex" | "count" | "startswith" | "endswith",
        ) => minor <= 12,
        // METH_VARARGS except in 3.12 (measured: there `vars(o)` leaves
        // the 1-tuple free list as it was).
        ("", "vars") => minor != 12,
        // tp_call or METH_VARARGS in every modelled version.
        (
            "",
            "bytes" | "complex" | "zip" | "slice" | "weakref.ref" | "gc.set_threshold"
            | "getsizeof",
        )
        | ("str", "format")
        | ("dict", "update")
        | (
            "set",
            "union"
            | "intersection"
            | "difference"
            | "update"
            | "intersection_update"
            | "difference_update",
        )
        | ("frozenset", "union" | "intersection" | "difference") => true,
        _ => false,
    }
}

/// The method C code looks up on the first argument before a call of
/// `owner.name` (see [`packs_args`] and the module header), if any.
fn special_lookup(
    owner: &str,
    name: &str,
    first: Option<&Payload>,
    minor: u32,
) -> Option<&'static str> {
    match (owner, name, first?) {
        ("", "sorted", _) => Some("sort"),
        ("", "round", Payload::Int(_) | Payload::Bool(_) | Payload::Float(_)) => Some("__round__"),
        ("", "getsizeof", _) => Some("__sizeof__"),
        (
            "",
            "reversed",
            Payload::List { .. }
            | Payload::Range { .. }
            | Payload::Dict { .. }
            | Payload::DictView { .. },
        ) => Some("__reversed__"),
        ("", "dict", Payload::Dict { .. }) | ("dict", "update", Payload::Dict { .. })
            if minor == 8 =>
        {
            Some("keys")
        }
        _ => None,
    }
}

impl Interp {
    /// Calls the built-in `owner.name` (see [`packs_args`]) through `call`
    /// as CPython's calling convention for it does: the argument tuple and
    /// the internal bound method (see the module header) live across the
    /// call and go after it.
    pub(super) fn call_packed(
        &mut self,
        owner: &str,
        name: &str,
        args: &[ObjRef],
        line: u32,
        call: impl FnOnce(&mut Self) -> R<ObjRef>,
    ) -> R<ObjRef> {
        let minor = self.v().minor();
        let mut temps = Vec::new();
        if !args.is_empty() && packs_args(owner, name, minor) {
            for &a in args {
                self.objs.incref(a);
            }
            let made = self.objs.tuple(args.to_vec());
            temps.push(self.mem(made, line)?);
        }
        let first = args.first().map(|&a| self.payload(a));
        if let Some(method) = special_lookup(owner, name, first, minor) {
            let made = self.objs.builtin_method(method);
            match self.mem(made, line) {
                Ok(m) => temps.push(m),
                Err(u) => {
                    self.release(temps);
                    return Err(u);
                }
            }
        }
        let r = call(self);
        // The bound method goes first (the callee's own decref), then
        // the tuple (`_PyObject_MakeTpCall` after the call).
        temps.reverse();
        self.release(temps);
        r
    }

    /// `obj.name(*args)` for a built-in type's method, with its calling
    /// convention (see [`Interp::call_packed`]).
    pub(super) fn call_method_packed(
        &mut self,
        obj: ObjRef,
        name: &str,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let ty = match self.payload(obj) {
            Payload::Str(_) => "str",
            Payload::Bytes(_) => "bytes",
            Payload::Dict { .. } => "dict",
            Payload::Set { frozen: false, .. } => "set",
            Payload::Set { frozen: true, .. } => "frozenset",
            _ => return self.call_method(obj, name, args, span),
        };
        self.call_packed(ty, name, args, span.line, |me| {
            me.call_method(obj, name, args, span)
        })
    }
}
