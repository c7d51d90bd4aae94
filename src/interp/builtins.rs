//! Built-in names: which functions and types the interpreter provides,
//! the type objects, attribute lookup, and calling a type.
//!
//! A name of CPython's `builtins` module that is listed here works as in
//! CPython; any other one is refused (`unsupported: built-in "…"`), never
//! reported as undefined.

use super::*;
use crate::attrs::known_attrs;
use crate::exceptions;

/// The built-in functions the interpreter implements.
pub(super) const FUNCS: &[&str] = &[
    "print",
    "len",
    "repr",
    "id",
    "isinstance",
    "iter",
    "next",
    "sorted",
    "sum",
    "min",
    "max",
    "abs",
    "round",
    "divmod",
    "chr",
    "ord",
    "hash",
    "any",
    "all",
    "getattr",
    "setattr",
    "hasattr",
    "delattr",
    "vars",
    "enumerate",
    "zip",
    "map",
    "filter",
    "reversed",
];

/// The built-in types the interpreter can call (besides the exceptions of
/// [`crate::exceptions`]), or name in `isinstance` and `except`.
pub(super) const TYPES: &[&str] = &[
    "str",
    "range",
    "type",
    "object",
    "int",
    "float",
    "complex",
    "bool",
    "list",
    "tuple",
    "dict",
    "bytes",
    "set",
    "frozenset",
];

/// True for the methods [`Interp::call_method`] implements on the type
/// named `type_name`.
pub(super) fn has_method(type_name: &str, name: &str) -> bool {
    matches!(
        (type_name, name),
        ("Snapshot", "statistics")
            | (
                "list",
                "append"
                    | "pop"
                    | "extend"
                    | "clear"
                    | "insert"
                    | "copy"
                    | "index"
                    | "count"
                    | "remove"
                    | "reverse"
                    | "sort"
            )
            | (
                "dict",
                "clear"
                    | "get"
                    | "pop"
                    | "popitem"
                    | "setdefault"
                    | "copy"
                    | "keys"
                    | "values"
                    | "items"
                    | "update"
            )
            | (
                "str",
                "join"
                    | "lower"
                    | "upper"
                    | "strip"
                    | "lstrip"
                    | "rstrip"
                    | "replace"
                    | "startswith"
                    | "endswith"
                    | "find"
                    | "rfind"
                    | "index"
                    | "rindex"
                    | "count"
                    | "partition"
                    | "rpartition"
                    | "rsplit"
                    | "center"
                    | "ljust"
                    | "rjust"
                    | "zfill"
                    | "split"
                    | "encode"
                    | "format"
                    | "isdigit"
                    | "isalpha"
                    | "isspace"
                    | "isupper"
                    | "islower"
                    | "isalnum"
            )
            | (
                "bytes",
                "decode"
                    | "upper"
                    | "lower"
                    | "find"
                    | "rfind"
                    | "index"
                    | "count"
                    | "startswith"
                    | "endswith"
                    | "hex"
            )
            | ("tuple", "index" | "count")
            | (
                "set" | "frozenset",
                "copy"
                    | "union"
                    | "intersection"
                    | "difference"
                    | "symmetric_difference"
                    | "issubset"
                    | "issuperset"
                    | "isdisjoint"
            )
            | (
                "set",
                "add"
                    | "discard"
                    | "remove"
                    | "pop"
                    | "clear"
                    | "update"
                    | "intersection_update"
                    | "difference_update"
                    | "symmetric_difference_update"
            )
    )
}

/// The TypeError CPython raises when built-in `name` (a function or a
/// type) is called with `n` positional arguments, if that count is wrong.
/// The wording depends on how the C function parses its arguments
/// (`METH_O`, Argument Clinic, `_PyArg_CheckPositional`) and on the version.
pub(super) fn arity_error(v: Version, name: &str, n: usize) -> Option<String> {
    let minor = v.minor();
    let s = |k: usize| if k == 1 { "" } else { "s" };
    let (lo, hi) = match name {
        "len" | "repr" | "id" | "abs" | "hash" | "chr" | "ord" | "any" | "all" => {
            return (n != 1).then(|| format!("{name}() takes exactly one argument ({n} given)"))
        }
        "sum" if n == 0 => {
            return Some("sum() takes at least 1 positional argument (0 given)".into())
        }
        "map" if n < 2 => return Some("map() must have at least two arguments.".into()),
        "enumerate" if n == 0 => {
            let pos = if minor <= 10 { " (pos 1)" } else { "" };
            return Some(format!(
                "enumerate() missing required argument 'iterable'{pos}"
            ));
        }
        "type" => return (n != 1 && n != 3).then(|| "type() takes 1 or 3 arguments".into()),
        "int" | "str" if minor <= 12 => {
            let most = if name == "int" { 2 } else { 3 };
            return (n > most)
                .then(|| format!("{name}() takes at most {most} arguments ({n} given)"));
        }
        "int" => (0, 2),
        "str" => (0, 3),
        "isinstance" | "divmod" | "hasattr" | "delattr" | "filter" => (2, 2),
        "setattr" => (3, 3),
        "reversed" | "sorted" => (1, 1),
        "iter" | "next" => (1, 2),
        "getattr" => (2, 3),
        "min" | "max" | "range" if minor <= 9 && n == 0 => (1, 1),
        "min" | "max" => (1, usize::MAX),
        "range" => (1, 3),
        "vars" | "float" | "list" | "tuple" | "set" | "frozenset" => (0, 1),
        _ => return None,
    };
    if n < lo {
        let least = if hi > lo { "at least " } else { "" };
        Some(format!(
            "{name} expected {least}{lo} argument{}, got {n}",
            s(lo)
        ))
    } else if n > hi {
        let most = if hi > lo { "at most " } else { "" };
        Some(format!(
            "{name} expected {most}{hi} argument{}, got {n}",
            s(hi)
        ))
    } else {
        None
    }
}

impl Interp {
    /// A wrong argument count for built-in `name` raises CPython's
    /// TypeError; any other call the model lacks is refused.
    pub(super) fn bad_builtin_call<T>(&self, name: &str, n: usize, span: ast::Span) -> R<T> {
        match arity_error(self.v(), name, n) {
            Some(msg) => exc(span.line, "TypeError", msg),
            None => unsupported(span, format!("{name}() with {n} arguments")),
        }
    }

    /// The type object named `name` (a new reference), made on first use.
    /// Type objects are static in CPython: never freed, never allocated.
    pub(super) fn type_obj(&mut self, name: &'static str) -> ObjRef {
        let r = match self.types.get(name) {
            Some(&r) => r,
            None => {
                let r = self.objs.preexisting(Payload::Type(name), 0);
                self.types.insert(name, r);
                r
            }
        };
        self.objs.incref(r);
        r
    }

    /// `obj.attr` (an owned reference to the value).
    pub(super) fn get_attr(&mut self, obj: ObjRef, attr: &str, span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        match self.payload(obj) {
            Payload::Instance(_) => return self.instance_attr(obj, attr, span),
            Payload::Class(_) => return self.class_attr(obj, attr, span),
            &Payload::Method { func, self_ } => {
                let r = match attr {
                    "__func__" => func,
                    "__self__" => self_,
                    _ => return self.missing_attr(obj, attr, span),
                };
                self.objs.incref(r);
                return Ok(r);
            }
            _ => {}
        }
        match (self.payload(obj).clone(), attr) {
            (Payload::Module(_), a) => self.module_attr(obj, a, span),
            (Payload::Record(r), a) if r.type_name == "finalize" => {
                self.finalize_attr(obj, a, span)
            }
            (Payload::Record(_), a) => self.record_attr(obj, a, span),
            (Payload::Type(n), "__name__") => {
                // type_name(): PyUnicode_FromString(tp_name) for a static type.
                let s = self.objs.str(n);
                self.mem(s, line)
            }
            (Payload::Exception { args, .. }, "args") => {
                self.objs.incref(args);
                Ok(args)
            }
            (Payload::Function { closure, .. }, "__closure__") => Ok(closure
                .inspect(|&t| self.objs.incref(t))
                .unwrap_or_else(|| self.objs.none())),
            // A method of a built-in type, loaded without calling it.
            (
                p @ (Payload::List { .. }
                | Payload::Dict { .. }
                | Payload::Str(_)
                | Payload::Bytes(_)
                | Payload::Set { .. }),
                a,
            ) if has_method(p.type_name(), a) => {
                self.objs.incref(obj);
                let m = self.objs.bound_builtin(obj, a, false);
                self.mem(m, line)
            }
            // dict.fromkeys: a classmethod, bound to the type.
            (Payload::Type("dict"), "fromkeys") => {
                self.objs.incref(obj);
                let m = self.objs.bound_builtin(obj, attr, false);
                self.mem(m, line)
            }
            // complex_real_get / complex_imag_get: a new float each time.
            (Payload::Complex(re, im), "real" | "imag") => {
                let f = if attr == "real" { re } else { im };
                self.make_num(Num::Float(f), line)
            }
            (Payload::Cell(v), "cell_contents") => match v {
                Some(v) => {
                    self.objs.incref(v);
                    Ok(v)
                }
                None => exc(line, "ValueError", "Cell is empty"),
            },
            _ => self.missing_attr(obj, attr, span),
        }
    }

    /// An attribute the model does not provide: `AttributeError` when the
    /// type has no such attribute in any modelled version, else a refusal.
    pub(super) fn missing_attr<T>(&self, obj: ObjRef, attr: &str, span: ast::Span) -> R<T> {
        let p = self.payload(obj);
        let (lookup, message) = match p {
            Payload::Module(m) => (None, format!("module '{m}' has no attribute '{attr}'")),
            Payload::Type(t) => (
                Some(*t),
                format!("type object '{t}' has no attribute '{attr}'"),
            ),
            Payload::Exception { .. } => (
                Some("BaseException"),
                format!("'{}' object has no attribute '{attr}'", p.type_name()),
            ),
            _ => (
                Some(p.type_name()),
                format!("'{}' object has no attribute '{attr}'", p.type_name()),
            ),
        };
        let surely_missing = match lookup {
            Some(t) => known_attrs(t).is_some_and(|names| !names.contains(&attr)),
            None => false,
        };
        if surely_missing {
            exc(span.line, "AttributeError", message)
        } else {
            unsupported(span, format!("attribute {attr:?} of {}", p.type_name()))
        }
    }

    /// Calls the type `name` with the owned arguments `args` and keywords `kw`
    /// (borrowed: the caller releases them).
    pub(super) fn call_type(
        &mut self,
        name: &'static str,
        args: &[ObjRef],
        kw: &[(String, ObjRef)],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        if let Some(kind) = exceptions::builtin_exception(name) {
            if !kw.is_empty() {
                return unsupported(span, format!("keyword arguments to {name}()"));
            }
            // BaseException_new: args is the tuple of the arguments.
            for &a in args {
                self.objs.incref(a);
            }
            let t = self.objs.tuple(args.to_vec());
            let t = self.mem(t, line)?;
            let e = self.objs.exception(kind, t);
            return self.mem(e, line);
        }
        if !kw.is_empty() {
            return unsupported(span, format!("keyword arguments to {name}()"));
        }
        match (name, args) {
            ("type", [x]) => {
                if let Some(c) = self.class_of(*x) {
                    self.objs.incref(c);
                    return Ok(c);
                }
                if let Payload::Class(_) = self.payload(*x) {
                    return Ok(self.type_obj("type"));
                }
                let t = self.payload(*x).type_name();
                Ok(self.type_obj(t))
            }
            ("object", []) => {
                let o = self.objs.object();
                self.mem(o, line)
            }
            ("int", _) => self.int_of(args, span),
            ("float", _) => self.float_of(args, span),
            ("complex", _) => self.complex_of(args, span),
            ("list", _) => self.list_of(args, span),
            ("tuple", _) => self.tuple_of(args, span),
            ("set", _) => self.set_of(false, args, span),
            ("frozenset", _) => self.set_of(true, args, span),
            ("dict", []) => self.new_dict_object(line),
            ("dict", [x]) => self.merged_dict(*x, true, span),
            ("str", []) => {
                let s = self.objs.str("");
                self.mem(s, line)
            }
            ("bytes", []) => {
                let b = self.objs.bytes(b"");
                self.mem(b, line)
            }
            ("bytes", [x]) => self.bytes_of(*x, span),
            ("bool", []) => Ok(self.objs.bool(false)),
            ("bool", [x]) => {
                let t = self.truthy(*x, line)?;
                Ok(self.objs.bool(t))
            }
            ("str" | "range", _) => self.call_builtin(name, args, kw, span),
            _ => self.bad_builtin_call(name, args.len(), span),
        }
    }

    /// `bytes(x)` (`bytes_new`): `x` itself for a bytes; `x` zero bytes for
    /// an int (`_PyBytes_FromSize`, never the one-byte cache); the items of
    /// a list or tuple of ints (`_PyBytes_FromList`/`_FromTuple`, a new
    /// object too).
    fn bytes_of(&mut self, x: ObjRef, span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let data: Vec<u8> = match self.payload(x).clone() {
            Payload::Bytes(_) => {
                self.objs.incref(x);
                return Ok(x);
            }
            Payload::Int(n) => {
                let Some(n) = n.to_i64() else {
                    return unsupported(span, "bytes() of an int this large");
                };
                if n < 0 {
                    return exc(line, "ValueError", "negative count");
                }
                // The model's own buffer must not exceed what its memory
                // budget could ever grant.
                if n > 1 << 30 {
                    return Err(Unwind::Budget(format!(
                        "memory budget exhausted: bytes({n}) asks for {} bytes",
                        n + 33
                    )));
                }
                vec![0; n as usize]
            }
            Payload::List { items, .. } | Payload::Tuple(items) => {
                let mut out = Vec::with_capacity(items.len());
                for it in items {
                    match self.payload(it) {
                        Payload::Int(i) => match i.to_u8() {
                            Some(b) => out.push(b),
                            None => {
                                return exc(line, "ValueError", "bytes must be in range(0, 256)")
                            }
                        },
                        Payload::Bool(b) => out.push(*b as u8),
                        _ => {
                            let t = self.objs.type_name(it);
                            return exc(
                                line,
                                "TypeError",
                                format!("'{t}' object cannot be interpreted as an integer"),
                            );
                        }
                    }
                }
                out
            }
            Payload::Str(_) => {
                return exc(line, "TypeError", "string argument without an encoding")
            }
            p => return unsupported(span, format!("bytes() of {}", p.type_name())),
        };
        let made = self.objs.bytes_uncached(&data);
        self.mem(made, line)
    }

    /// A new dict with the items of `x` (`dict_merge` into a new empty
    /// dict): `dict(x)` when `from_dict_new` (its keys presized up to 3.9,
    /// see [`Interp::new_dict_object`]), a call's `**x` (`PyDict_New`) otherwise.
    pub(super) fn merged_dict(
        &mut self,
        x: ObjRef,
        from_dict_new: bool,
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        match self.payload(x).clone() {
            Payload::Dict { entries, state } => {
                let d = if from_dict_new {
                    self.new_dict_object(line)?
                } else {
                    let d = self
                        .objs
                        .dict_with_state(Vec::new(), crate::layout::DictState::empty());
                    self.mem(d, line)?
                };
                if let Err(u) = self.merge_into_empty(d, entries, &state, line) {
                    self.decref(d);
                    return Err(u);
                }
                Ok(d)
            }
            Payload::Int(_) | Payload::Float(_) | Payload::None | Payload::Bool(_) => {
                let t = self.payload(x).type_name();
                exc(line, "TypeError", format!("'{t}' object is not iterable"))
            }
            p => unsupported(span, format!("dict() of {}", p.type_name())),
        }
    }

    /// `dict_merge` of a dict's `entries` (borrowed) and table `theirs`
    /// into the empty dict `d`: [`DictState::merge`]'s allocations (3.10+
    /// clones the keys), the items in order, and `d` tracked when an item
    /// may be (`MAINTAIN_TRACKING`).
    ///
    /// [`DictState::merge`]: crate::layout::DictState::merge
    pub(super) fn merge_into_empty(
        &mut self,
        d: ObjRef,
        entries: Vec<(ObjRef, ObjRef)>,
        theirs: &crate::layout::DictState,
        line: u32,
    ) -> R<()> {
        let v = self.v();
        let mut new_state = match self.payload(d) {
            Payload::Dict { state, .. } => *state,
            _ => crate::layout::DictState::empty(),
        };
        let ops = new_state.merge(v, theirs);
        for &(k, val) in &entries {
            self.objs.incref(k);
            self.objs.incref(val);
            self.objs.dict_stored(d, k, val);
        }
        if let Some(Payload::Dict { entries: e, .. }) = self.objs.get_mut(d).map(|o| &mut o.payload)
        {
            *e = entries;
        }
        self.apply(d, &ops, line)?;
        if let Some(Payload::Dict { state, .. }) = self.objs.get_mut(d).map(|o| &mut o.payload) {
            *state = new_state;
        }
        self.apply(d, &[], line)
    }

    /// `dict()` (`dict_new`): up to 3.9 it allocates a keys object of
    /// `PyDict_MINSIZE` (8) slots at once; from 3.10 it starts with the
    /// shared empty keys, as `{}` does.
    pub(super) fn new_dict_object(&mut self, line: u32) -> R<ObjRef> {
        let v = self.v();
        // dict_new: type->tp_alloc, not the free list.
        let d = self
            .objs
            .via_tp_alloc(|o| o.dict_with_state(Vec::new(), crate::layout::DictState::empty()));
        let d = self.mem(d, line)?;
        if v.minor() <= 9 {
            let ops = match self.objs.get_mut(d).map(|o| &mut o.payload) {
                Some(Payload::Dict { state, .. }) => state.resize(v, 3, true),
                _ => Vec::new(),
            };
            self.apply(d, &ops, line)?;
        }
        Ok(d)
    }

    /// `isinstance(x, t)` for built-in types (a tuple of them too).
    pub(super) fn isinstance(&self, x: ObjRef, t: ObjRef, span: ast::Span) -> R<bool> {
        if let Some(c) = self.class_of(x) {
            return match self.payload(t) {
                Payload::Class(_) => Ok(self.is_subclass(c, t)),
                Payload::Type("object") => Ok(true),
                Payload::Type(name) => Ok(self.objs.class_obj(c).is_some_and(|k| {
                    k.builtin_base != "object" && exceptions::is_subclass(k.builtin_base, name)
                })),
                Payload::Tuple(items) => {
                    for &i in items {
                        if self.isinstance(x, i, span)? {
                            return Ok(true);
                        }
                    }
                    Ok(false)
                }
                p => unsupported(span, format!("isinstance() with a {}", p.type_name())),
            };
        }
        if let Payload::Class(_) = self.payload(t) {
            return Ok(false);
        }
        match self.payload(t) {
            Payload::Type(name) => {
                let mut cur = Some(self.payload(x).type_name());
                if *name == "object" {
                    return Ok(true);
                }
                if exceptions::builtin_exception(name).is_some() {
                    return Ok(cur.is_some_and(|k| exceptions::is_subclass(k, name)));
                }
                while let Some(k) = cur {
                    if k == *name {
                        return Ok(true);
                    }
                    cur = (k == "bool").then_some("int");
                }
                Ok(false)
            }
            Payload::Tuple(items) => {
                for &i in items {
                    if self.isinstance(x, i, span)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            p => unsupported(span, format!("isinstance() with a {}", p.type_name())),
        }
    }
}

/// The view type `dict.keys()`, `values()` or `items()` makes.
pub(super) fn view_kind(method: &str) -> &'static str {
    match method {
        "values" => "dict_values",
        "items" => "dict_items",
        _ => "dict_keys",
    }
}
