//! Binding a call's arguments to a Python function's parameters
//! (`_PyEval_EvalCode` up to 3.10, `initialize_locals` from 3.11), with
//! CPython's `TypeError` messages, the `*args` tuple and the `**kwargs`
//! dict.
//!
//! Reference counts follow each version: up to 3.10 the frame takes new
//! references to the arguments (the caller's stack keeps its own until
//! the call returns); from 3.11 the references move from the stack into
//! the frame, the `*args` tuple or the `**kwargs` dict.

use super::*;

impl Interp {
    /// Fills a new frame's slots for `code` from `args` and `kw` (owned
    /// references, consumed on 3.11+ and borrowed before, as described
    /// above). On an error nothing is left allocated.
    pub(super) fn bind_args(
        &mut self,
        c: &Code,
        defaults: Option<ObjRef>,
        args: &[ObjRef],
        kw: &[(String, ObjRef)],
        span: ast::Span,
        moves: bool,
    ) -> R<Vec<Option<ObjRef>>> {
        let line = span.line;
        let qual = self.qualname(c);
        let n = c.params.len();
        let given = args.len();
        let mut slots: Vec<Option<ObjRef>> = vec![None; c.slot_names.len()];
        // Owned references the frame would take (increfed copies up to 3.10).
        let take = |me: &mut Self, r: ObjRef| {
            if !moves {
                me.objs.incref(r);
            }
            r
        };
        let fail = |me: &mut Self, slots: Vec<Option<ObjRef>>| {
            // The half-made frame goes, with its own references only.
            for r in slots.into_iter().flatten() {
                me.decref(r);
            }
        };
        if given > n && c.vararg.is_none() {
            let kwonly_given = kw.iter().filter(|(k, _)| c.kwonly.contains(k)).count();
            let sig = if c.n_defaults > 0 {
                format!("from {} to {}", n - c.n_defaults, n)
            } else {
                n.to_string()
            };
            let plural = if c.n_defaults > 0 || n != 1 { "s" } else { "" };
            let kwonly = if kwonly_given > 0 {
                format!(
                    " positional argument{plural} (and {kwonly_given} keyword-only argument{})",
                    if kwonly_given != 1 { "s" } else { "" }
                )
            } else {
                format!(" positional argument{plural}")
            };
            if moves {
                self.release(args.to_vec());
                self.release(kw.iter().map(|(_, r)| *r).collect());
            }
            let was = if given == 1 { "was" } else { "were" };
            return exc(
                line,
                "TypeError",
                format!("{qual}() takes {sig}{kwonly} but {given} {was} given"),
            );
        }
        for (i, &a) in args.iter().enumerate().take(n) {
            slots[i] = Some(take(self, a));
        }
        // *args: the positional arguments past the parameters.
        if c.vararg.is_some() {
            let extra: Vec<ObjRef> = args.iter().skip(n).map(|&a| take(self, a)).collect();
            let t = self.objs.tuple(extra);
            match self.mem(t, line) {
                Ok(t) => slots[n + c.kwonly.len()] = Some(t),
                Err(u) => {
                    fail(self, slots);
                    return Err(u);
                }
            }
        }
        let kwdict_slot = n + c.kwonly.len() + usize::from(c.vararg.is_some());
        if c.kwarg.is_some() {
            let d = self
                .objs
                .dict_with_state(Vec::new(), crate::layout::DictState::empty());
            match self.mem(d, line) {
                Ok(d) => slots[kwdict_slot] = Some(d),
                Err(u) => {
                    fail(self, slots);
                    return Err(u);
                }
            }
        }
        for (k, (name, v)) in kw.iter().enumerate() {
            let pos = c
                .params
                .iter()
                .position(|p| p == name)
                .or_else(|| c.kwonly.iter().position(|p| p == name).map(|i| n + i));
            let err = match pos {
                Some(i) if slots[i].is_some() => Some(format!(
                    "{qual}() got multiple values for argument '{name}'"
                )),
                Some(i) => {
                    slots[i] = Some(take(self, *v));
                    None
                }
                None => match slots.get(kwdict_slot).copied().flatten() {
                    Some(d) if c.kwarg.is_some() => {
                        let key = self.objs.str(name);
                        let key = match self.mem(key, line) {
                            Ok(key) => key,
                            Err(u) => {
                                fail(self, slots);
                                return Err(u);
                            }
                        };
                        let value = take(self, *v);
                        // PyDict_SetItem: the dict takes its own references.
                        let r = self.setitem(d, key, value, span);
                        self.decref(key);
                        if let Err(u) = r {
                            fail(self, slots);
                            return Err(u);
                        }
                        None
                    }
                    _ => Some(format!(
                        "{qual}() got an unexpected keyword argument '{name}'"
                    )),
                },
            };
            if let Some(message) = err {
                if moves {
                    // The references not yet moved into the frame go too.
                    self.release(kw[k..].iter().map(|(_, r)| *r).collect());
                }
                fail(self, slots);
                return exc(line, "TypeError", message);
            }
        }
        // Missing positional arguments, then the defaults.
        let required = n - c.n_defaults;
        let missing: Vec<&str> = (0..required)
            .filter(|&i| slots[i].is_none())
            .map(|i| c.params[i].as_str())
            .collect();
        if !missing.is_empty() {
            fail(self, slots);
            return exc(
                line,
                "TypeError",
                missing_message(&qual, "positional", &missing),
            );
        }
        let items = match defaults.map(|d| self.payload(d).clone()) {
            Some(Payload::Tuple(items)) => items,
            _ => Vec::new(),
        };
        for i in required..n {
            if slots[i].is_none() {
                let d = items[i - required];
                self.objs.incref(d);
                slots[i] = Some(d);
            }
        }
        let missing: Vec<&str> = (0..c.kwonly.len())
            .filter(|&i| slots[n + i].is_none())
            .map(|i| c.kwonly[i].as_str())
            .collect();
        if !missing.is_empty() {
            fail(self, slots);
            return exc(
                line,
                "TypeError",
                missing_message(&qual, "keyword-only", &missing),
            );
        }
        Ok(slots)
    }

    /// The name CPython's messages use: `co_name` up to 3.9, the function's
    /// `__qualname__` from 3.10.
    fn qualname(&self, c: &Code) -> String {
        if self.v().minor() >= 10 {
            c.qualname.clone()
        } else {
            c.name.clone()
        }
    }
}

/// `missing_arguments`: "f() missing 2 required positional arguments: 'a' and 'b'".
fn missing_message(qual: &str, kind: &str, names: &[&str]) -> String {
    format!(
        "{qual}() missing {} required {kind} argument{}: {}",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        name_list(names)
    )
}

/// `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'` (`format_missing`).
fn name_list(names: &[&str]) -> String {
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    match q.len() {
        0 => String::new(),
        1 => q[0].clone(),
        2 => format!("{} and {}", q[0], q[1]),
        k => format!("{}, and {}", q[..k - 1].join(", "), q[k - 1]),
    }
}

impl Interp {
    /// True when a call has `*x` or `**x` arguments (`CALL_FUNCTION_EX`).
    pub(super) fn is_ex_call(args: &[Expr], keywords: &[ast::Keyword]) -> bool {
        args.iter().any(|a| matches!(a.kind, ExprKind::Starred(_)))
            || keywords.iter().any(|k| k.name.is_none())
    }

    /// `f(*x)`, `f(**d)` or `f(*x, **d)` (`CALL_FUNCTION_EX`): the
    /// positional arguments become a tuple (`x` itself when it is one,
    /// else `PySequence_Tuple(x)`), the keywords a new dict
    /// (`PyDict_New` and `dict_merge`), and the callee gets them as C code
    /// passes arguments: a Python frame takes new references, and the
    /// tuple and dict live until the call returns. Consumes `f`.
    pub(super) fn call_ex(
        &mut self,
        f: ObjRef,
        args: &[Expr],
        keywords: &[ast::Keyword],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let star = match args {
            [] => None,
            [Expr {
                kind: ExprKind::Starred(x),
                ..
            }] => Some(x),
            _ => {
                self.decref(f);
                return unsupported(span, "a call mixing * arguments with other positional ones");
            }
        };
        let dstar = match keywords {
            [] => None,
            [ast::Keyword {
                name: None, value, ..
            }] => Some(value),
            _ => {
                self.decref(f);
                return unsupported(span, "a call mixing ** with other keyword arguments");
            }
        };
        let mut held = vec![f];
        let tuple = match star {
            Some(x) => {
                let v = self.eval_holding(x, &held)?;
                let t = match self.payload(v) {
                    Payload::Int(_) | Payload::Float(_) | Payload::None | Payload::Bool(_) => {
                        let t = self.payload(v).type_name();
                        let name = self.callable_name(f);
                        self.decref(v);
                        self.release(held);
                        return exc(
                            line,
                            "TypeError",
                            format!("{name}() argument after * must be an iterable, not {t}"),
                        );
                    }
                    _ => self.tuple_of(&[v], span),
                };
                self.decref(v);
                match t {
                    Ok(t) => Some(t),
                    Err(u) => {
                        self.release(held);
                        return Err(u);
                    }
                }
            }
            None => None,
        };
        held.extend(tuple);
        let kwdict = match dstar {
            Some(d) => {
                let v = self.eval_holding(d, &held)?;
                if !matches!(self.payload(v), Payload::Dict { .. }) {
                    let t = self.payload(v).type_name();
                    let name = self.callable_name(f);
                    self.decref(v);
                    self.release(held);
                    return exc(
                        line,
                        "TypeError",
                        format!("{name}() argument after ** must be a mapping, not {t}"),
                    );
                }
                let d = self.merged_dict(v, false, span);
                self.decref(v);
                match d {
                    Ok(d) => Some(d),
                    Err(u) => {
                        self.release(held);
                        return Err(u);
                    }
                }
            }
            None => None,
        };
        held.extend(kwdict);
        let items = match tuple.map(|t| self.payload(t).clone()) {
            Some(Payload::Tuple(items)) => items,
            _ => Vec::new(),
        };
        let mut kw = Vec::new();
        if let Some(Payload::Dict { entries, .. }) = kwdict.map(|d| self.payload(d).clone()) {
            for (k, v) in entries {
                match self.payload(k) {
                    Payload::Str(s) => kw.push((s.to_string(), v)),
                    _ => {
                        let msg = if self.v().minor() <= 8 {
                            format!("{}() keywords must be strings", self.callable_name(f))
                        } else {
                            "keywords must be strings".to_string()
                        };
                        self.release(held);
                        return exc(line, "TypeError", msg);
                    }
                }
            }
        }
        let res = self.call_borrowed(f, &items, &kw, span);
        self.release(held);
        res
    }

    /// Calls `f` with borrowed positional and keyword arguments, as C code
    /// does (`PyObject_Call`).
    pub(super) fn call_borrowed(
        &mut self,
        f: ObjRef,
        args: &[ObjRef],
        kw: &[(String, ObjRef)],
        span: ast::Span,
    ) -> R<ObjRef> {
        // A Python function (bound or not): the frame takes new references.
        let (func, self_) = match self.payload(f) {
            &Payload::Method { func, self_ } => (func, Some(self_)),
            _ => (f, None),
        };
        if let Payload::Function { .. } = self.payload(func) {
            let mut all: Vec<ObjRef> = self_.into_iter().collect();
            all.extend_from_slice(args);
            let frame_args = self.new_refs(all);
            let frame_kw: Vec<(String, ObjRef)> = kw
                .iter()
                .map(|(k, r)| {
                    self.objs.incref(*r);
                    (k.clone(), *r)
                })
                .collect();
            return self.call_function(func, frame_args, frame_kw, span, true);
        }
        match self.payload(f).clone() {
            Payload::Method { .. } => unsupported(span, "calling a method of a built-in type"),
            Payload::Builtin(name) => self.call_packed("", name, args, span.line, |me| {
                me.call_builtin(name, args, kw, span)
            }),
            Payload::BoundBuiltin {
                name,
                self_,
                wrapper,
            } => {
                if !kw.is_empty() {
                    return unsupported(span, format!("keyword arguments to {name}()"));
                }
                if wrapper {
                    // object.__init__ or BaseException.__init__, bound:
                    // wrapper_call gets the arguments in a tuple.
                    return match &*name {
                        "__init__" => self.builtin_init(self_, args, span),
                        _ => unsupported(span, format!("calling a method-wrapper {name}")),
                    };
                }
                self.call_method_packed(self_, &name, args, span)
            }
            Payload::Type(name) => self.call_packed("", name, args, span.line, |me| {
                me.call_type(name, args, kw, span)
            }),
            Payload::Class(_) => self.call_class(f, args, kw, span),
            Payload::WeakRef { .. } if args.is_empty() && kw.is_empty() => {
                Ok(self.call_weakref_obj(f))
            }
            Payload::Record(r) if r.type_name == "finalize" && args.len() <= 1 && kw.is_empty() => {
                self.call_finalize_obj(f, span)
            }
            p => unsupported(span, format!("calling a {} with * or **", p.type_name())),
        }
    }

    /// The name CPython's call errors give a callable: `PyEval_GetFuncName`
    /// in 3.8, `_PyObject_FunctionStr` (module-qualified) from 3.9.
    fn callable_name(&self, f: ObjRef) -> String {
        match self.payload(f) {
            Payload::Function { code, .. } => {
                let c = &self.codes[*code as usize];
                if self.v().minor() >= 9 {
                    format!("__main__.{}", c.qualname)
                } else {
                    c.name.clone()
                }
            }
            Payload::Builtin(n) | Payload::Type(n) => n.to_string(),
            p => p.type_name().to_string(),
        }
    }
}
