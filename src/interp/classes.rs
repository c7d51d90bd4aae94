//! Classes: the `class` statement (`__build_class__` and `type_new`),
//! calling a class (`type_call`, `object_new`, `slot_tp_init`), attribute
//! lookup on instances and classes (`PyObject_GenericGetAttr`,
//! `type_getattro`), attribute stores and deletions, bound methods, the
//! `getattr`/`setattr`/`hasattr`/`delattr`/`vars` built-ins, and running
//! `__del__` when a deallocation reaches an instance that defines it
//! (`PyObject_CallFinalizerFromDealloc`).
//!
//! Classes are defined at module level and derive from `object` or from
//! one class of the program. A class holds references CPython's own
//! structures keep to it: its `__mro__`, one getset descriptor each for
//! `__dict__` and `__weakref__` when it adds them, one member descriptor
//! per `__slots__` name, and the `__class__` cell when a method uses
//! `super()`; a subclass adds three to its base (its `__mro__`,
//! `__bases__` and `tp_base`). These are what `sys.getrefcount` counts.

use super::*;
use crate::layout::instance::{ClassKeys, InstanceShape};
use crate::objects::{ClassObj, Due, Stored};

/// A class body being executed: its namespace and the call depth it runs at.
pub(super) struct ClassScope {
    ns: Vec<(Rc<str>, ObjRef)>,
    depth: usize,
    /// The class's `__qualname__`, the prefix of its methods' qualnames.
    pub(super) qualname: String,
}

impl Interp {
    /// True while the statements running are a class body's (not a
    /// function called from it).
    pub(super) fn in_class_body(&self) -> bool {
        self.class_scopes
            .last()
            .is_some_and(|c| c.depth == self.frames.len())
    }

    /// Binds `name` in the running class body's namespace; false when no
    /// class body is running.
    pub(super) fn bind_class_ns(&mut self, name: &str, r: ObjRef) -> bool {
        if !self.in_class_body() {
            return false;
        }
        let Some(scope) = self.class_scopes.last_mut() else {
            return false;
        };
        let old = match scope.ns.iter_mut().find(|(n, _)| &**n == name) {
            Some(e) => Some(std::mem::replace(&mut e.1, r)),
            None => {
                scope.ns.push((Rc::from(name), r));
                None
            }
        };
        if let Some(old) = old {
            self.decref(old);
        }
        true
    }

    /// `name` in the running class body's namespace (borrowed).
    pub(super) fn class_ns_get(&self, name: &str) -> Option<ObjRef> {
        if !self.in_class_body() {
            return None;
        }
        let scope = self.class_scopes.last()?;
        scope.ns.iter().find(|(n, _)| &**n == name).map(|&(_, r)| r)
    }

    /// `class name(base): body`.
    pub(super) fn exec_class(&mut self, def: &ast::ClassDef, span: ast::Span) -> R<()> {
        if !def.decorators.is_empty() {
            return unsupported(span, "class decorators");
        }
        if !self.frames.is_empty() || !self.class_scopes.is_empty() {
            return unsupported(span, "a class defined inside a function or a class");
        }
        self.made_class = true;
        if def.bases.len() > 1 {
            return unsupported(def.bases[1].span, "multiple inheritance");
        }
        // A built-in exception type as the base (static: not held).
        let mut exc_base = None;
        let base = match def.bases.first() {
            Some(b) => {
                let r = self.eval(b)?;
                match self.payload(r) {
                    Payload::Class(_) => Some(r),
                    Payload::Type("object") => {
                        self.decref(r);
                        None
                    }
                    Payload::Type(t) if crate::exceptions::builtin_exception(t).is_some() => {
                        exc_base = crate::exceptions::builtin_exception(t);
                        self.decref(r);
                        None
                    }
                    p => {
                        let what = match p {
                            Payload::Type(t) => format!("a subclass of built-in {t}"),
                            p => format!("a class whose base is a {}", p.type_name()),
                        };
                        self.decref(r);
                        return unsupported(b.span, what);
                    }
                }
            }
            None => None,
        };
        self.class_scopes.push(ClassScope {
            ns: Vec::new(),
            depth: self.frames.len(),
            qualname: def.name.clone(),
        });
        let ran = self.exec_block(&def.body);
        let scope = self.class_scopes.pop();
        let ns = scope.map(|s| s.ns).unwrap_or_default();
        let fail = |me: &mut Self, ns: Vec<(Rc<str>, ObjRef)>| {
            me.release(ns.into_iter().map(|(_, r)| r).collect());
            if let Some(b) = base {
                me.decref(b);
            }
        };
        if let Err(u) = ran {
            fail(self, ns);
            return Err(u);
        }
        let declared = match self.slots_decl(&ns, span) {
            Ok(d) => d,
            Err(u) => {
                fail(self, ns);
                return Err(u);
            }
        };
        let base_obj = base.and_then(|b| self.objs.class_obj(b)).cloned();
        let v = self.v();
        // `object`'s layout, or a built-in exception's: its fields, the
        // dict among them, and no weakref slot.
        let root = InstanceShape {
            slots: 0,
            dict: exc_base.is_some(),
            weakref: false,
            inline_values: 0,
            values: None,
            base_body: exc_base.map_or(0, |k| crate::exceptions::basicsize(v, k) - 16),
            base_dict: exc_base.is_some(),
        };
        let base_shape = base_obj.as_ref().map_or(root, |b| b.shape);
        let builtin_base = exc_base
            .or(base_obj.as_ref().map(|b| b.builtin_base))
            .unwrap_or("object");
        let (own, add_dict, add_weak) = match &declared {
            None => (Vec::new(), !base_shape.dict, !base_shape.weakref),
            Some(names) => {
                let own: Vec<Rc<str>> = names
                    .iter()
                    .filter(|n| *n != "__dict__" && *n != "__weakref__")
                    .map(|n| Rc::from(n.as_str()))
                    .collect();
                let wants_dict = names.iter().any(|n| n == "__dict__");
                let wants_weak = names.iter().any(|n| n == "__weakref__");
                if (wants_dict && base_shape.dict) || (wants_weak && base_shape.weakref) {
                    fail(self, ns);
                    return unsupported(
                        span,
                        "a __dict__ or __weakref__ slot the base already has",
                    );
                }
                if let Some(n) = own.iter().find(|n| ns.iter().any(|(k, _)| k == *n)) {
                    let msg = format!("{n:?} in __slots__ conflicts with class variable");
                    fail(self, ns);
                    return unsupported(span, msg);
                }
                (own, wants_dict, wants_weak)
            }
        };
        let mut slots: Vec<Rc<str>> = base_obj.as_ref().map_or(Vec::new(), |b| b.slots.clone());
        slots.extend(own.iter().cloned());
        let shape = InstanceShape {
            slots: slots.len() as u64,
            dict: base_shape.dict || add_dict,
            weakref: base_shape.weakref || add_weak,
            inline_values: 0,
            values: None,
            base_body: base_shape.base_body,
            base_dict: base_shape.base_dict,
        };
        // Only managed-dict classes have shared keys from 3.11.
        let shared = shape.dict && !(shape.base_dict && v.minor() >= 11);
        let keys = shared.then(|| {
            let statics = static_attributes(&def.body);
            ClassKeys::new(v, shape).with_static_attributes(&statics)
        });
        let has_del = ns.iter().any(|(n, _)| &**n == "__del__")
            || base_obj.as_ref().is_some_and(|b| b.has_del);
        let uses_class_cell = def.body.iter().any(|s| match &s.kind {
            StmtKind::FunctionDef(f) => mentions_class_cell(&f.body),
            _ => false,
        });
        let internal = 1
            + u64::from(add_dict)
            + u64::from(add_weak)
            + own.len() as u64
            + u64::from(uses_class_cell);
        let class = ClassObj {
            name: Rc::from(def.name.as_str()),
            qualname: Rc::from(def.name.as_str()),
            base,
            builtin_base,
            ns,
            slots,
            own_slots: own.len(),
            shape,
            keys,
            has_del,
        };
        let codes: Vec<usize> = class
            .ns
            .iter()
            .filter_map(|&(_, f)| match self.payload(f) {
                Payload::Function { code, .. } => Some(*code as usize),
                _ => None,
            })
            .collect();
        let made = self.objs.class(class, internal);
        let c = self.mem(made, span.line)?;
        // type_new also makes the type's dict, its __mro__ and __bases__
        // tuples, __dict__/__weakref__ descriptors (or one per slot) and a
        // weakref in the base's __subclasses__: 6 tracked objects for
        // `class K: pass` (measured with gc.get_objects(0) on 3.8–3.13),
        // which the model folds into the one class object. The count
        // moves by what they add, not modelled yet.
        let u = &mut self.objs.gc.unseen;
        u.extra[0] += 8 + own.len() as u64;
        u.count_assumed[0] = true;
        for code in codes {
            self.method_class.insert(code, c);
        }
        if let Some(b) = base {
            // The subclass's __mro__ and __bases__ tuples (tp_base is `base` itself).
            self.objs.incref(b);
            self.objs.incref(b);
        }
        self.bind(&def.name, c);
        Ok(())
    }

    /// The names of a `__slots__` declaration in the namespace, if any.
    fn slots_decl(&self, ns: &[(Rc<str>, ObjRef)], span: ast::Span) -> R<Option<Vec<String>>> {
        let Some(&(_, r)) = ns.iter().find(|(n, _)| &**n == "__slots__") else {
            return Ok(None);
        };
        let items = match self.payload(r) {
            Payload::Str(s) => return Ok(Some(vec![s.to_string()])),
            Payload::Tuple(items) | Payload::List { items, .. } => items.clone(),
            p => return unsupported(span, format!("__slots__ given as a {}", p.type_name())),
        };
        let mut names = Vec::new();
        for i in items {
            match self.payload(i) {
                Payload::Str(s) if !names.iter().any(|n: &String| n == &**s) => {
                    names.push(s.to_string())
                }
                _ => return unsupported(span, "__slots__ with a repeated or non-str name"),
            }
        }
        Ok(Some(names))
    }

    /// True unless the `__del__` of class `cls` certainly writes nothing to
    /// stdout: its body defines nothing, formats no f-string and calls only
    /// built-in container methods on names other than `self`
    /// (`freed.append(self.tag)`); any other call (`print`, a user
    /// function, a built-in that may call a dunder method) might. (What
    /// runs at module teardown is not modelled, so a `__del__` that could
    /// print there is refused. An operator calling a user dunder method
    /// that prints is not caught.)
    pub(super) fn del_may_print(&self, cls: ObjRef) -> bool {
        let Some(f) = self.class_lookup(cls, "__del__") else {
            return false;
        };
        let Payload::Function { code, .. } = self.payload(f) else {
            return true;
        };
        let Some(CodeBody::Block(body)) = self.codes.get(*code as usize).map(|c| &c.body) else {
            return true;
        };
        fn quiet_call(e: &Expr) -> bool {
            let ExprKind::Call { func, .. } = &e.kind else {
                return !matches!(e.kind, ExprKind::Lambda { .. } | ExprKind::FString(_));
            };
            match &func.kind {
                ExprKind::Attribute { value, attr } => {
                    matches!(&value.kind, ExprKind::Name(n) if n != "self")
                        && matches!(
                            attr.as_str(),
                            "append"
                                | "add"
                                | "discard"
                                | "extend"
                                | "insert"
                                | "remove"
                                | "pop"
                                | "clear"
                                | "update"
                                | "setdefault"
                                | "get"
                        )
                }
                _ => false,
            }
        }
        fn block_quiet(stmts: &[Stmt]) -> bool {
            stmts.iter().all(|s| {
                if matches!(s.kind, StmtKind::FunctionDef(_) | StmtKind::ClassDef(_)) {
                    return false;
                }
                let mut quiet = true;
                s.for_each_expr(&mut |e| e.for_each_in_scope(&mut |x| quiet &= quiet_call(x)));
                let mut inner = true;
                s.for_each_block(&mut |b| inner &= block_quiet(b));
                quiet && inner
            })
        }
        !block_quiet(body)
    }

    /// The first class on `cls`'s `__mro__` whose namespace has `name`:
    /// the value (borrowed).
    pub(super) fn class_lookup(&self, cls: ObjRef, name: &str) -> Option<ObjRef> {
        let mut c = Some(cls);
        while let Some(cr) = c {
            let co = self.objs.class_obj(cr)?;
            if let Some(v) = co.own(name) {
                return Some(v);
            }
            c = co.base;
        }
        None
    }

    /// True when `cls` is `target` or derives from it.
    pub(super) fn is_subclass(&self, cls: ObjRef, target: ObjRef) -> bool {
        let mut c = Some(cls);
        while let Some(cr) = c {
            if cr == target {
                return true;
            }
            c = self.objs.class_obj(cr).and_then(|co| co.base);
        }
        false
    }

    /// The class of an instance.
    pub(super) fn class_of(&self, obj: ObjRef) -> Option<ObjRef> {
        match self.payload(obj) {
            Payload::Instance(i) => Some(i.class),
            _ => None,
        }
    }

    /// Calls the class `cls` with the owned arguments `args` and `kw`
    /// (borrowed: the caller releases them). `type_call` gets them in a
    /// tuple (`_PyObject_MakeTpCall`); `object_new` makes the instance and
    /// `slot_tp_init` calls `__init__` with the tuple's items.
    pub(super) fn call_class(
        &mut self,
        cls: ObjRef,
        args: &[ObjRef],
        kw: &[(String, ObjRef)],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        let name = self
            .objs
            .class_obj(cls)
            .map_or_else(|| Rc::from("?"), |c| Rc::clone(&c.name));
        let init = self.class_lookup(cls, "__init__");
        let is_exc = self
            .objs
            .class_obj(cls)
            .is_some_and(|c| c.builtin_base != "object");
        if is_exc && !kw.is_empty() && init.is_none() {
            return unsupported(span, "keyword arguments to an exception class");
        }
        if !is_exc && init.is_none() && (!args.is_empty() || !kw.is_empty()) {
            return exc(line, "TypeError", format!("{name}() takes no arguments"));
        }
        for &a in args {
            self.objs.incref(a);
        }
        let t = self.objs.tuple(args.to_vec());
        let tuple = self.mem(t, line)?;
        let made = self.objs.instance(cls);
        let obj = match self.mem(made, line) {
            Ok(Some(o)) => o,
            Ok(None) => {
                self.decref(tuple);
                return unsupported(span, "calling this class");
            }
            Err(u) => {
                self.decref(tuple);
                return Err(u);
            }
        };
        // BaseException_new: `args` is the call's tuple (and
        // BaseException_init, when no __init__ overrides it, sets it again).
        if let Some((a, _, _)) = self.objs.exc_fields_mut(obj) {
            let old = std::mem::replace(a, tuple);
            self.objs.incref(tuple);
            self.decref(old);
        }
        let result = match init.map(|f| self.payload(f).clone()) {
            None => Ok(()),
            Some(Payload::Function { .. }) => {
                let init = init.unwrap_or(obj);
                let mut frame_args = vec![obj];
                frame_args.extend_from_slice(args);
                for &a in &frame_args {
                    self.objs.incref(a);
                }
                let kw_args: Vec<(String, ObjRef)> = kw.to_vec();
                for (_, r) in &kw_args {
                    self.objs.incref(*r);
                }
                match self.call_function(init, frame_args, kw_args, span, true) {
                    Ok(r) if matches!(self.payload(r), Payload::None) => {
                        self.decref(r);
                        Ok(())
                    }
                    Ok(r) => {
                        let t = self.objs.type_name(r);
                        self.decref(r);
                        exc(
                            line,
                            "TypeError",
                            format!("__init__() should return None, not '{t}'"),
                        )
                    }
                    Err(u) => Err(u),
                }
            }
            Some(p) => unsupported(span, format!("an __init__ that is a {}", p.type_name())),
        };
        self.decref(tuple);
        match result {
            Ok(()) => Ok(obj),
            Err(u) => {
                self.decref(obj);
                Err(u)
            }
        }
    }

    /// True when `obj.attr` lives in a plain dict the instance points to
    /// (a class with a `__dict__` but no shared keys: 3.11+ exception
    /// subclasses, whose dict is BaseException's own field).
    fn plain_dict_attr(&self, obj: ObjRef, attr: &str) -> bool {
        self.class_of(obj).is_some_and(|c| {
            self.objs.slot_index(c, attr).is_none()
                && self
                    .objs
                    .class_obj(c)
                    .is_some_and(|k| k.shape.dict && k.keys.is_none())
        })
    }

    /// `_PyObjectDict_SetItem` without cached keys: `PyDict_New` on the
    /// first store, then `PyDict_SetItem` (takes over `value`).
    fn plain_dict_set(
        &mut self,
        obj: ObjRef,
        key: ObjRef,
        value: ObjRef,
        span: ast::Span,
    ) -> R<()> {
        let line = span.line;
        let made = self.objs.inst_dict(obj);
        let d = match self.mem(made, line) {
            Ok(Some(d)) => d,
            Ok(None) => {
                self.decref(value);
                return unsupported(span, "an attribute store without a dict");
            }
            Err(u) => {
                self.decref(value);
                return Err(u);
            }
        };
        let entries = match self.payload(d) {
            Payload::Dict { entries, .. } => entries.clone(),
            _ => Vec::new(),
        };
        let found = match self.find_key(&entries, key, span) {
            Ok(f) => f,
            Err(u) => {
                self.decref(value);
                return Err(u);
            }
        };
        self.dict_store(d, found, key, value, line)
    }

    /// `obj.attr` where `obj` is an instance of a program class.
    pub(super) fn instance_attr(&mut self, obj: ObjRef, attr: &str, span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let Some(cls) = self.class_of(obj) else {
            return unsupported(span, "attribute of this object");
        };
        let tname = self.objs.type_name(obj);
        match attr {
            "__dict__" => {
                let d = self.objs.inst_dict(obj);
                return match self.mem(d, line)? {
                    Some(d) => {
                        self.objs.incref(d);
                        Ok(d)
                    }
                    None => exc(
                        line,
                        "AttributeError",
                        format!("'{tname}' object has no attribute '__dict__'"),
                    ),
                };
            }
            "__class__" => {
                self.objs.incref(cls);
                return Ok(cls);
            }
            _ => {}
        }
        match self.objs.inst_attr(obj, attr) {
            Some(Ok(v)) => {
                self.objs.incref(v);
                return Ok(v);
            }
            Some(Err(())) => {
                // An unset slot: member_get's message.
                let msg = if self.v().minor() <= 9 {
                    attr.to_string()
                } else {
                    format!("'{tname}' object has no attribute '{attr}'")
                };
                return exc(line, "AttributeError", msg);
            }
            None => {}
        }
        match self.class_lookup(cls, attr) {
            Some(f) if matches!(self.payload(f), Payload::Function { .. }) => {
                self.objs.incref(f);
                self.objs.incref(obj);
                let m = self.objs.method(f, obj);
                self.mem(m, line)
            }
            Some(v) => {
                self.objs.incref(v);
                Ok(v)
            }
            // BaseException's `args` getset.
            None if attr == "args" => match self.objs.exc_parts(obj) {
                Some((_, args)) => {
                    self.objs.incref(args);
                    Ok(args)
                }
                None => self.object_attr_missing(&tname, attr, span),
            },
            // object.__init__, a slot: bound, a method-wrapper.
            None if attr == "__init__" => {
                self.objs.incref(obj);
                let m = self.objs.bound_builtin(obj, attr, true);
                self.mem(m, line)
            }
            None => self.object_attr_missing(&tname, attr, span),
        }
    }

    /// An attribute neither the instance nor its classes have: `object`'s
    /// own attributes are refused (not modelled), anything else is an
    /// AttributeError.
    fn object_attr_missing<T>(&self, tname: &str, attr: &str, span: ast::Span) -> R<T> {
        let of_object = crate::attrs::known_attrs("object").is_some_and(|n| n.contains(&attr));
        if of_object {
            return unsupported(span, format!("attribute {attr:?} inherited from object"));
        }
        exc(
            span.line,
            "AttributeError",
            format!("'{tname}' object has no attribute '{attr}'"),
        )
    }

    /// `cls.attr` for a program class.
    pub(super) fn class_attr(&mut self, cls: ObjRef, attr: &str, span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        let Some(c) = self.objs.class_obj(cls) else {
            return unsupported(span, "attribute of this class");
        };
        let name = Rc::clone(&c.name);
        match attr {
            "__name__" | "__qualname__" => {
                let s = self.objs.str(&name);
                return self.mem(s, line);
            }
            "__dict__" | "__mro__" | "__bases__" | "__base__" | "__slots__" => {}
            _ => {
                if let Some(v) = self.class_lookup(cls, attr) {
                    self.objs.incref(v);
                    return Ok(v);
                }
            }
        }
        let known = ["object", "type"]
            .iter()
            .any(|t| crate::attrs::known_attrs(t).is_some_and(|n| n.contains(&attr)));
        if known || attr == "__slots__" {
            return unsupported(span, format!("attribute {attr:?} of a class"));
        }
        exc(
            line,
            "AttributeError",
            format!("type object '{name}' has no attribute '{attr}'"),
        )
    }

    /// `obj.attr = value`, taking over `value`.
    pub(super) fn set_attr(
        &mut self,
        obj: ObjRef,
        attr: &str,
        value: ObjRef,
        span: ast::Span,
    ) -> R<()> {
        let line = span.line;
        match self.payload(obj) {
            Payload::Instance(_) => {
                if attr.starts_with("__") && attr.ends_with("__") {
                    self.decref(value);
                    return unsupported(span, format!("assigning {attr}"));
                }
                let key = match self.constant(ConstKey::Str(attr.to_string()), line) {
                    Ok(k) => k,
                    Err(u) => {
                        self.decref(value);
                        return Err(u);
                    }
                };
                if self.plain_dict_attr(obj, attr) {
                    let r = self.plain_dict_set(obj, key, value, span);
                    self.decref(key);
                    return r;
                }
                let stored = self.objs.inst_set(obj, key, value);
                self.decref(key);
                match self.mem(stored, line)? {
                    Stored::Done => Ok(()),
                    Stored::NoDict => {
                        self.decref(value);
                        let tname = self.objs.type_name(obj);
                        let tail = if self.v().minor() >= 13 {
                            " and no __dict__ for setting new attributes"
                        } else {
                            ""
                        };
                        exc(
                            line,
                            "AttributeError",
                            format!("'{tname}' object has no attribute '{attr}'{tail}"),
                        )
                    }
                }
            }
            Payload::Class(_) => {
                if attr.starts_with("__") && attr.ends_with("__") {
                    self.decref(value);
                    return unsupported(span, format!("assigning {attr} of a class"));
                }
                let old = match self.objs.get_mut(obj).map(|o| &mut o.payload) {
                    Some(Payload::Class(c)) => match c.ns.iter_mut().find(|(n, _)| &**n == attr) {
                        Some(e) => Some(std::mem::replace(&mut e.1, value)),
                        None => {
                            c.ns.push((Rc::from(attr), value));
                            None
                        }
                    },
                    _ => None,
                };
                if let Some(old) = old {
                    self.decref(old);
                }
                Ok(())
            }
            p => {
                let t = p.type_name();
                self.decref(value);
                unsupported(span, format!("setting an attribute of a {t}"))
            }
        }
    }

    /// `del obj.attr`.
    pub(super) fn del_attr(&mut self, obj: ObjRef, attr: &str, span: ast::Span) -> R<()> {
        let line = span.line;
        match self.payload(obj) {
            Payload::Instance(i) => {
                let cls = i.class;
                let tname = self.objs.type_name(obj);
                let is_slot = self.objs.slot_index(cls, attr).is_some();
                let done = self.objs.inst_del(obj, attr);
                if self.mem(done, line)? {
                    return Ok(());
                }
                let msg = if is_slot || self.v().minor() <= 10 {
                    attr.to_string()
                } else {
                    format!("'{tname}' object has no attribute '{attr}'")
                };
                exc(line, "AttributeError", msg)
            }
            Payload::Class(c) => {
                let name = Rc::clone(&c.name);
                let removed = match self.objs.get_mut(obj).map(|o| &mut o.payload) {
                    Some(Payload::Class(c)) => {
                        c.ns.iter()
                            .position(|(n, _)| &**n == attr)
                            .map(|ix| c.ns.remove(ix).1)
                    }
                    _ => None,
                };
                match removed {
                    Some(r) => {
                        self.decref(r);
                        Ok(())
                    }
                    None => exc(
                        line,
                        "AttributeError",
                        format!("type object '{name}' has no attribute '{attr}'"),
                    ),
                }
            }
            p => unsupported(
                span,
                format!("deleting an attribute of a {}", p.type_name()),
            ),
        }
    }

    /// The attribute name argument of getattr/setattr/hasattr/delattr.
    fn attr_name(&self, func: &str, r: ObjRef, line: u32) -> R<String> {
        match self.payload(r) {
            Payload::Str(s) => Ok(s.to_string()),
            p => {
                let t = p.type_name();
                if func == "getattr" && self.v().minor() <= 10 {
                    exc(
                        line,
                        "TypeError",
                        "getattr(): attribute name must be string",
                    )
                } else if func == "hasattr" && self.v().minor() <= 10 {
                    exc(
                        line,
                        "TypeError",
                        "hasattr(): attribute name must be string",
                    )
                } else {
                    exc(
                        line,
                        "TypeError",
                        format!("attribute name must be string, not '{t}'"),
                    )
                }
            }
        }
    }

    /// `getattr`, `setattr`, `hasattr`, `delattr` and `vars` (arguments borrowed).
    pub(super) fn call_attr_builtin(
        &mut self,
        name: &str,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        match (name, args) {
            ("getattr", [o, n]) | ("getattr", [o, n, _]) => {
                let attr = self.attr_name(name, *n, line)?;
                match (self.get_attr(*o, &attr, span), args.get(2)) {
                    (Err(Unwind::Exc(raised)), Some(&default))
                        if self.is_attribute_error(&raised) =>
                    {
                        self.drop_raised(*raised);
                        self.objs.incref(default);
                        Ok(default)
                    }
                    (r, _) => r,
                }
            }
            ("hasattr", [o, n]) => {
                let attr = self.attr_name(name, *n, line)?;
                match self.get_attr(*o, &attr, span) {
                    Ok(r) => {
                        self.decref(r);
                        Ok(self.objs.bool(true))
                    }
                    Err(Unwind::Exc(raised)) if self.is_attribute_error(&raised) => {
                        self.drop_raised(*raised);
                        Ok(self.objs.bool(false))
                    }
                    Err(u) => Err(u),
                }
            }
            ("setattr", [o, n, v]) => {
                let attr = self.attr_name(name, *n, line)?;
                // PyObject_SetAttr interns the name first.
                let key = self.intern(*n);
                self.decref(key);
                self.objs.incref(*v);
                self.set_attr(*o, &attr, *v, span)?;
                Ok(self.objs.none())
            }
            ("delattr", [o, n]) => {
                let attr = self.attr_name(name, *n, line)?;
                self.del_attr(*o, &attr, span)?;
                Ok(self.objs.none())
            }
            ("vars", [o]) => match self.payload(*o) {
                Payload::Instance(_) => {
                    let d = self.objs.inst_dict(*o);
                    match self.mem(d, line)? {
                        Some(d) => {
                            self.objs.incref(d);
                            Ok(d)
                        }
                        None => exc(
                            line,
                            "TypeError",
                            "vars() argument must have __dict__ attribute",
                        ),
                    }
                }
                Payload::Int(_)
                | Payload::Float(_)
                | Payload::Str(_)
                | Payload::None
                | Payload::Bool(_)
                | Payload::List { .. }
                | Payload::Tuple(_) => exc(
                    line,
                    "TypeError",
                    "vars() argument must have __dict__ attribute",
                ),
                p => unsupported(span, format!("vars() of a {}", p.type_name())),
            },
            _ => self.bad_builtin_call(name, args.len(), span),
        }
    }

    /// The interned str equal to `s` (a new reference): the one already in
    /// the interpreter's table, or `s` itself, which joins it.
    pub(super) fn intern(&mut self, s: ObjRef) -> ObjRef {
        let Payload::Str(text) = self.payload(s) else {
            self.objs.incref(s);
            return s;
        };
        let key = ConstKey::Str(text.to_string());
        if let Some(&r) = self.consts.get(&key) {
            self.objs.incref(r);
            return r;
        }
        self.objs.incref(s); // the table's reference
        self.consts.insert(key, s);
        self.objs.incref(s);
        s
    }

    /// `sys.intern(s)`: the str already interned with that value, or `s`
    /// itself, which becomes interned (a new reference either way).
    /// Literal strs made only of name characters were interned by the
    /// compiler, so an equal constant is the interned one.
    pub(super) fn sys_intern(&mut self, s: ObjRef, span: ast::Span) -> R<ObjRef> {
        let Payload::Str(text) = self.payload(s) else {
            let t = self.payload(s).type_name();
            return unsupported(span, format!("sys.intern of a {t}"));
        };
        let text = text.to_string();
        let live = |me: &Self, r: ObjRef| {
            me.objs.get(r).is_some_and(|o| {
                o.interned && matches!(&o.payload, Payload::Str(x) if **x == *text)
            })
        };
        if let Some(&r) = self.interned.get(&text) {
            if live(self, r) {
                self.objs.incref(r);
                return Ok(r);
            }
        }
        let name_chars = text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if let Some(&r) = self.consts.get(&ConstKey::Str(text.clone())) {
            if name_chars {
                self.objs.incref(r);
                return Ok(r);
            }
            return unsupported(span, "sys.intern of a str equal to a literal");
        }
        if let Some(o) = self.objs.get_mut(s) {
            o.interned = true;
        }
        self.interned.insert(text, s);
        self.objs.incref(s);
        Ok(s)
    }

    /// Calls the `__del__` of every instance whose deallocation is waiting
    /// for it, then lets the deallocations go on. An exception in `__del__`
    /// is "ignored" by CPython (printed to stderr); the model refuses it.
    pub(super) fn run_finalizers(&mut self) {
        while let Some((due, rest)) = self.objs.take_due() {
            match due {
                Due::Finalizer(obj) => {
                    self.call_del(obj);
                    self.objs.decref(obj);
                }
                Due::Callbacks(calls) => {
                    for (wr, cb) in calls {
                        self.call_from_c(cb, &[wr], "a weakref callback");
                        self.objs.decref(cb);
                        self.objs.decref(wr);
                    }
                }
            }
            self.run_finalizers();
            self.objs.resume(rest);
        }
    }

    /// Calls `f(*args)` from C code (a weakref callback, a `gc.callbacks`
    /// entry): the result is dropped; an exception, which CPython prints as
    /// ignored, is refused.
    pub(super) fn call_from_c(&mut self, f: ObjRef, args: &[ObjRef], what: &str) {
        let span = self.cur_span;
        let res = self.call_borrowed(f, args, &[], span);
        self.ignore_result(res, what);
    }

    /// The end of a call made by C code that cannot unwind: the result is
    /// dropped; a failure is kept for the next step, an exception (which
    /// CPython prints as ignored, `PyErr_WriteUnraisable`) as a refusal.
    fn ignore_result(&mut self, res: R<ObjRef>, what: &str) {
        let failure = match res {
            Ok(r) => {
                self.decref(r);
                return;
            }
            Err(Unwind::Exc(raised)) => {
                self.drop_raised(*raised);
                Unwind::Unsupported {
                    span: self.cur_span,
                    what: format!("an exception raised in {what} (CPython prints it as ignored)"),
                }
            }
            Err(u) => u,
        };
        if self.pending.is_none() {
            self.pending = Some(failure);
        }
    }

    pub(super) fn call_del(&mut self, obj: ObjRef) {
        let Some(cls) = self.class_of(obj) else {
            return;
        };
        let Some(f) = self.class_lookup(cls, "__del__") else {
            return;
        };
        let span = self.cur_span;
        let res = match self.payload(f).clone() {
            Payload::Function { .. } => {
                self.objs.incref(obj);
                self.call_function(f, vec![obj], Vec::new(), span, true)
            }
            p => unsupported(span, format!("a __del__ that is a {}", p.type_name())),
        };
        self.ignore_result(res, "__del__");
    }
}

/// The names a class body's methods assign as `self.name` (3.13's
/// `__static_attributes__`, sorted): stores through the first parameter
/// of each function defined directly in the body, nested functions included.
fn static_attributes(body: &[Stmt]) -> Vec<String> {
    fn target(t: &Target, me: &str, out: &mut Vec<String>) {
        match &t.kind {
            TargetKind::Attribute { value, attr } => {
                if matches!(&value.kind, ExprKind::Name(n) if n == me) {
                    out.push(attr.clone());
                }
            }
            TargetKind::Tuple(ts) | TargetKind::List(ts) => {
                ts.iter().for_each(|x| target(x, me, out))
            }
            TargetKind::Starred(x) => target(x, me, out),
            _ => {}
        }
    }
    fn walk(body: &[Stmt], me: &str, out: &mut Vec<String>) {
        for s in body {
            match &s.kind {
                StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| target(t, me, out)),
                StmtKind::AugAssign { target: t, .. } => target(t, me, out),
                StmtKind::For {
                    target: t,
                    body,
                    orelse,
                    ..
                } => {
                    target(t, me, out);
                    walk(body, me, out);
                    walk(orelse, me, out);
                }
                StmtKind::If { body, orelse, .. } | StmtKind::While { body, orelse, .. } => {
                    walk(body, me, out);
                    walk(orelse, me, out);
                }
                StmtKind::Try {
                    body,
                    handlers,
                    orelse,
                    finalbody,
                } => {
                    walk(body, me, out);
                    handlers.iter().for_each(|h| walk(&h.body, me, out));
                    walk(orelse, me, out);
                    walk(finalbody, me, out);
                }
                StmtKind::FunctionDef(f) => walk(&f.body, me, out),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for s in body {
        if let StmtKind::FunctionDef(f) = &s.kind {
            if let Some(me) = f.params.args.first() {
                walk(&f.body, &me.name, &mut out);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// True when a method body loads `super` or `__class__`, which makes the
/// compiler give the class body a `__class__` cell holding the class.
fn mentions_class_cell(body: &[Stmt]) -> bool {
    // The Debug form of the body names every identifier it loads; walking
    // it as text finds the two names without a visitor over every node.
    let text = format!("{body:?}");
    text.contains("Name(\"super\")") || text.contains("Name(\"__class__\")")
}

/// True for the expression `super()`.
pub(super) fn is_zero_arg_super(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Call {
            func,
            args,
            keywords,
        } => {
            args.is_empty()
                && keywords.is_empty()
                && matches!(&func.kind, ExprKind::Name(n) if n == "super")
        }
        _ => false,
    }
}

/// What `super().attr` found.
pub(super) enum SuperFound {
    /// A new object: a bound method, a method-wrapper, or a class attribute.
    Bound(ObjRef),
    /// 3.12+ `LOAD_SUPER_ATTR` for a call: the function (or `None` for the
    /// built-in base's `__init__` slot wrapper) and the instance, both
    /// borrowed, with no object made.
    Unbound { func: Option<ObjRef>, self_: ObjRef },
}

impl Interp {
    /// `super().attr` in a method: the zero-argument form finds the class
    /// in the method's `__class__` cell and the instance in its first
    /// argument (`super_init_without_args`), and looks `attr` up on the
    /// classes after that class (`super_getattro`). Up to 3.11 `super()`
    /// makes a `super` object that dies right after the lookup, and the
    /// result is bound; 3.12's `LOAD_SUPER_ATTR` makes neither when the
    /// attribute is called (`call`).
    pub(super) fn super_attr(&mut self, attr: &str, span: ast::Span, call: bool) -> R<SuperFound> {
        let line = span.line;
        let Some(frame) = self.frames.last() else {
            return exc(line, "RuntimeError", "super(): no arguments");
        };
        if frame.comp {
            return unsupported(span, "super() in a comprehension");
        }
        let Some(&cls) = self.method_class.get(&frame.code) else {
            return unsupported(span, "super() outside a method defined in a class body");
        };
        let Some(obj) = frame.slots.first().copied().flatten() else {
            return exc(line, "RuntimeError", "super(): arg[0] deleted");
        };
        if self.class_of(obj).is_none_or(|c| !self.is_subclass(c, cls)) {
            return unsupported(span, "super() whose first argument is not an instance");
        }
        let lazy = self.v().minor() >= 12 && call;
        if !lazy {
            // super_new, then gone once the attribute is found.
            let made = self.objs.super_obj();
            let s = self.mem(made, line)?;
            self.decref(s);
        }
        let base = self.objs.class_obj(cls).and_then(|c| c.base);
        let found = base.and_then(|b| self.class_lookup(b, attr));
        match found {
            Some(f) if matches!(self.payload(f), Payload::Function { .. }) => {
                if lazy {
                    return Ok(SuperFound::Unbound {
                        func: Some(f),
                        self_: obj,
                    });
                }
                self.objs.incref(f);
                self.objs.incref(obj);
                let m = self.objs.method(f, obj);
                Ok(SuperFound::Bound(self.mem(m, line)?))
            }
            Some(v) => {
                self.objs.incref(v);
                Ok(SuperFound::Bound(v))
            }
            // The built-in base's slot wrapper (object.__init__ or
            // BaseException.__init__).
            None if attr == "__init__" => {
                if lazy {
                    return Ok(SuperFound::Unbound {
                        func: None,
                        self_: obj,
                    });
                }
                self.objs.incref(obj);
                let m = self.objs.bound_builtin(obj, attr, true);
                Ok(SuperFound::Bound(self.mem(m, line)?))
            }
            None => exc(
                line,
                "AttributeError",
                format!("'super' object has no attribute '{attr}'"),
            ),
        }
    }

    /// `super().attr(args...)`.
    pub(super) fn call_super_attr(
        &mut self,
        attr: &str,
        args: &[Expr],
        keywords: &[ast::Keyword],
        span: ast::Span,
    ) -> R<ObjRef> {
        match self.super_attr(attr, span, true)? {
            SuperFound::Bound(m) => self.call_object(m, args, keywords, span),
            SuperFound::Unbound { func, self_ } => {
                if Interp::is_ex_call(args, keywords) {
                    return unsupported(span, "super().method(*args) or (**kwargs)");
                }
                let (rs, kw) = self.eval_args(args, keywords)?;
                self.objs.incref(self_);
                let mut all = vec![self_];
                all.extend(rs);
                match func {
                    Some(f) => {
                        // The stack's references move into the frame.
                        self.objs.incref(f);
                        let res = self.call_function(f, all, kw, span, true);
                        self.decref(f);
                        res
                    }
                    None => {
                        // wrapperdescr_call: the tuple (self, *args), then
                        // its slice without self for the slot.
                        let r = if kw.is_empty() {
                            self.slot_init(self_, &all, span)
                        } else {
                            unsupported(span, "keyword arguments to __init__ of a built-in base")
                        };
                        self.release(kw.into_iter().map(|(_, r)| r).collect());
                        self.release(all);
                        r
                    }
                }
            }
        }
    }

    /// 3.12+: the built-in base's `__init__` slot wrapper called with
    /// `all` = (self, *args) on the stack (borrowed).
    fn slot_init(&mut self, obj: ObjRef, all: &[ObjRef], span: ast::Span) -> R<ObjRef> {
        let line = span.line;
        for &a in all {
            self.objs.incref(a);
        }
        let made = self.objs.tuple(all.to_vec());
        let whole = self.mem(made, line)?;
        let r = self.builtin_init(obj, &all[1..], span);
        self.decref(whole);
        r
    }

    /// `__init__` of the built-in base with `args` (borrowed): for an
    /// exception, BaseException_init stores them as `args` (a new tuple);
    /// `object_init` takes none.
    pub(super) fn builtin_init(
        &mut self,
        obj: ObjRef,
        args: &[ObjRef],
        span: ast::Span,
    ) -> R<ObjRef> {
        let line = span.line;
        if self.objs.exc_parts(obj).is_none() {
            if args.is_empty() {
                return Ok(self.objs.none());
            }
            // object_init: a class with its own __init__ (tp_init is not
            // object_init) gets the first message, one without the second.
            let cls = self.class_of(obj);
            if cls.is_some_and(|c| self.class_lookup(c, "__init__").is_some()) {
                return exc(
                    line,
                    "TypeError",
                    "object.__init__() takes exactly one argument (the instance to initialize)",
                );
            }
            let name = self.objs.type_name(obj);
            return exc(
                line,
                "TypeError",
                format!(
                    "{name}.__init__() takes exactly one argument (the instance to initialize)"
                ),
            );
        }
        for &a in args {
            self.objs.incref(a);
        }
        let made = self.objs.tuple(args.to_vec());
        let t = self.mem(made, line)?;
        if let Some((a, _, _)) = self.objs.exc_fields_mut(obj) {
            let old = std::mem::replace(a, t);
            self.decref(old);
        } else {
            self.decref(t);
        }
        Ok(self.objs.none())
    }
}
