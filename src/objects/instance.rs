//! Classes defined by the program, their instances and bound methods.
//!
//! A class object owns its namespace and its shared instance keys (the
//! [`ClassKeys`] state machine of [`crate::layout::instance`]). An instance
//! owns its class reference, its `__slots__` values and its attributes:
//! in a values array while it has no dict object (3.11+), else in a real
//! `dict` object (every version once the dict exists). The allocator calls
//! the shared-keys machinery reports are applied to the right owner: the
//! class keeps the shared keys blocks, the dict object (or, before it
//! exists, the instance) keeps values arrays and combined keys.
//!
//! A class is never deallocated: in CPython its `__mro__` tuple refers back
//! to it, a cycle only the cyclic GC could free.

use std::rc::Rc;

use super::{ObjError, ObjRef, Object, Objects, Payload};
use crate::layout::instance::{ClassKeys, InstanceAttrs, InstanceShape};
use crate::layout::{DictState, Footprint, Op, Part, Request, Shape, DICT_BASICSIZE, GC_HEAD};

/// A class defined by the program.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassObj {
    /// `__name__`.
    pub name: Rc<str>,
    /// `__qualname__`.
    pub qualname: Rc<str>,
    /// The base class when it is one of the program's (an owned reference).
    pub base: Option<ObjRef>,
    /// The built-in class at the root: `"object"` or an exception type.
    pub builtin_base: &'static str,
    /// The class namespace (`__dict__`) in insertion order: owned values.
    pub ns: Vec<(Rc<str>, ObjRef)>,
    /// Every `__slots__` member, the base's first (the instance layout order).
    pub slots: Vec<Rc<str>>,
    /// Members this class added (the last `own_slots` of `slots`).
    pub own_slots: usize,
    /// The layout of instances.
    pub shape: InstanceShape,
    /// The shared keys machinery, for classes whose instances have a `__dict__`.
    pub keys: Option<ClassKeys>,
    /// The class or a base defines `__del__`.
    pub has_del: bool,
}

impl ClassObj {
    /// The class's own namespace entry `name`.
    pub fn own(&self, name: &str) -> Option<ObjRef> {
        self.ns.iter().find(|(n, _)| &**n == name).map(|&(_, r)| r)
    }
}

/// An instance of a program-defined class.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceObj {
    /// Its class (an owned reference: `Py_INCREF(type)` in `PyType_GenericAlloc`).
    pub class: ObjRef,
    /// Attribute names and storage, as the shared-keys model sees them.
    pub attrs: InstanceAttrs,
    /// Attribute (key, value) pairs while no dict object exists (both owned).
    pub vals: Vec<(ObjRef, ObjRef)>,
    /// `__slots__` values in layout order (owned).
    pub slots: Vec<Option<ObjRef>>,
    /// The `__dict__` object once it exists (owned); it then holds the attributes.
    pub dict: Option<ObjRef>,
    /// `PyBaseExceptionObject`'s references, for a class derived from a
    /// built-in exception.
    pub exc: Option<Box<ExcFields>>,
}

/// The references `PyBaseExceptionObject` holds in an instance of a class
/// derived from a built-in exception (see [`Payload::Exception`], whose
/// fields these are).
#[derive(Clone, Debug, PartialEq)]
pub struct ExcFields {
    /// `args`: an owned reference to a tuple.
    pub args: ObjRef,
    /// What the traceback keeps alive (owned).
    pub held: Vec<ObjRef>,
    /// `__context__` (owned).
    pub context: Option<ObjRef>,
}

impl ExcFields {
    /// The references in `BaseException_traverse` and `_clear` order:
    /// args, the traceback's, the context.
    pub fn refs(&self) -> impl Iterator<Item = ObjRef> + '_ {
        std::iter::once(self.args)
            .chain(self.held.iter().copied())
            .chain(self.context)
    }
}

/// Where an attribute store went.
pub enum Stored {
    /// Stored; the replaced value, if any, was released.
    Done,
    /// The instance has no `__dict__` and no slot of that name.
    NoDict,
}

impl Objects {
    /// Makes a class object (`type_new`): the type object with its member
    /// descriptors and its shared keys. `internal` counts the references
    /// CPython's own structures hold to a new class (its `__mro__`, its
    /// `__dict__`/`__weakref__` getset and slot member descriptors, its
    /// methods' `__class__` cells), on top of the caller's.
    pub fn class(&mut self, class: ClassObj, internal: u64) -> Result<ObjRef, ObjError> {
        let v = self.version();
        let shape = match &class.keys {
            Some(k) => k.type_shape(),
            None => Shape::Type {
                slots: class.own_slots as u64,
                cached_keys: None,
            },
        };
        let fp = crate::layout::footprint(v, &shape);
        let r = self.make_fp(Payload::Class(Box::new(class)), fp, "type_new")?;
        if let Some(o) = self.get_mut(r) {
            o.refcnt += internal;
        }
        Ok(r)
    }

    /// The classes of the live instances whose `__del__` has not run yet
    /// (each once, in slab order).
    pub fn unfinalized_classes(&self) -> Vec<ObjRef> {
        let mut out = Vec::new();
        for r in (0..self.slots.len() as u32).map(ObjRef) {
            if let (true, Some(Payload::Instance(i))) =
                (self.wants_finalizer(r), self.get(r).map(|o| &o.payload))
            {
                if !out.contains(&i.class) {
                    out.push(i.class);
                }
            }
        }
        out
    }

    /// The class data of `r`, if it is a class.
    pub fn class_obj(&self, r: ObjRef) -> Option<&ClassObj> {
        match self.get(r).map(|o| &o.payload) {
            Some(Payload::Class(c)) => Some(c),
            _ => None,
        }
    }

    /// `type(r).__name__`, for program-defined classes too.
    pub fn type_name(&self, r: ObjRef) -> Rc<str> {
        match self.get(r).map(|o| &o.payload) {
            Some(Payload::Instance(i)) => self
                .class_obj(i.class)
                .map_or_else(|| Rc::from("object"), |c| Rc::clone(&c.name)),
            Some(p) => Rc::from(p.type_name()),
            None => Rc::from("NoneType"),
        }
    }

    /// `class(...)`: a new instance (`PyType_GenericAlloc`, and from 3.11
    /// its values array), holding a reference to its class; `None` when
    /// `class` is not a class.
    pub fn instance(&mut self, class: ObjRef) -> Result<Option<ObjRef>, ObjError> {
        let v = self.version();
        let Some(Payload::Class(c)) = self.get_mut(class).map(|o| &mut o.payload) else {
            return Ok(None);
        };
        let nslots = c.slots.len();
        let is_exc = c.builtin_base != "object";
        let (attrs, ops) = match c.keys.as_mut() {
            Some(k) => k.new_instance(),
            None => {
                let shape = c.shape;
                let ops = vec![Op::Alloc(Request::object(shape.object_bytes(v)))];
                (
                    InstanceAttrs {
                        shape,
                        names: Vec::new(),
                        storage: crate::layout::instance::AttrStorage::Nothing,
                    },
                    ops,
                )
            }
        };
        let requests: Vec<Request> = ops
            .iter()
            .filter_map(|op| match op {
                Op::Alloc(r) => Some(*r),
                _ => None,
            })
            .collect();
        let fp = Footprint {
            getsizeof: attrs.shape.getsizeof(v),
            requests,
        };
        // BaseException_new sets `args` to the call's tuple: the caller
        // stores it (see [`Objects::exc_fields_mut`]).
        let exc = is_exc.then(|| {
            Box::new(ExcFields {
                args: self.cached(crate::statics::Singleton::EmptyTuple),
                held: Vec::new(),
                context: None,
            })
        });
        let payload = Payload::Instance(Box::new(InstanceObj {
            class,
            attrs,
            vals: Vec::new(),
            slots: vec![None; nslots],
            dict: None,
            exc,
        }));
        let r = match self.make_fp(payload, fp, "PyType_GenericAlloc") {
            Ok(r) => r,
            Err(e) => {
                if is_exc {
                    let t = self.cached(crate::statics::Singleton::EmptyTuple);
                    self.decref(t);
                    self.decref(t);
                }
                return Err(e);
            }
        };
        self.incref(class);
        Ok(Some(r))
    }

    /// The built-in exception type and `args` of an exception object: a
    /// built-in exception, or an instance of a class derived from one.
    pub fn exc_parts(&self, r: ObjRef) -> Option<(&'static str, ObjRef)> {
        match self.get(r).map(|o| &o.payload)? {
            Payload::Exception { kind, args, .. } => Some((kind, *args)),
            Payload::Instance(i) => {
                let e = i.exc.as_ref()?;
                Some((self.class_obj(i.class)?.builtin_base, e.args))
            }
            _ => None,
        }
    }

    /// An exception object's `args`, traceback-held references and
    /// `__context__`, to change.
    pub fn exc_fields_mut(
        &mut self,
        r: ObjRef,
    ) -> Option<(&mut ObjRef, &mut Vec<ObjRef>, &mut Option<ObjRef>)> {
        match &mut self.get_mut(r)?.payload {
            Payload::Exception {
                args,
                held,
                context,
                ..
            } => Some((args, held, context)),
            Payload::Instance(i) => {
                let e = i.exc.as_mut()?;
                Some((&mut e.args, &mut e.held, &mut e.context))
            }
            _ => None,
        }
    }

    /// A bound method of `func` and `self_`, taking over both references
    /// (`PyMethod_New`; 3.8 keeps a free list of them).
    pub fn method(&mut self, func: ObjRef, self_: ObjRef) -> Result<ObjRef, ObjError> {
        let shape = Shape::Generic {
            basicsize: 48,
            itemsize: 0,
            nitems: 0,
            gc: true,
        };
        match self.make(Payload::Method { func, self_ }, &shape, "PyMethod_New") {
            Ok(r) => Ok(r),
            Err(e) => {
                self.decref(func);
                self.decref(self_);
                Err(e)
            }
        }
    }

    /// An iterator adapter (`enumerate`, `zip`, ...) owning what `a` names.
    pub fn adapter(&mut self, a: super::Adapter) -> Result<ObjRef, ObjError> {
        let shape = Shape::Generic {
            basicsize: a.kind.basicsize(self.version()),
            itemsize: 0,
            nitems: 0,
            gc: true,
        };
        let owned = a.children();
        match self.make(Payload::Adapter(Box::new(a)), &shape, "PyType_GenericAlloc") {
            Ok(r) => Ok(r),
            Err(e) => {
                for r in owned {
                    self.decref(r);
                }
                Err(e)
            }
        }
    }

    fn instance_obj(&self, r: ObjRef) -> Option<&InstanceObj> {
        match self.get(r).map(|o| &o.payload) {
            Some(Payload::Instance(i)) => Some(i),
            _ => None,
        }
    }

    fn str_of(&self, r: ObjRef) -> Option<&str> {
        match self.get(r).map(|o| &o.payload) {
            Some(Payload::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The slot index of `name` in instances of `class`.
    pub fn slot_index(&self, class: ObjRef, name: &str) -> Option<usize> {
        self.class_obj(class)?
            .slots
            .iter()
            .position(|s| &**s == name)
    }

    /// The instance's attribute `name` from its slots or `__dict__`
    /// (borrowed). `Err(())` for a slot that is declared but unset.
    pub fn inst_attr(&self, inst: ObjRef, name: &str) -> Option<Result<ObjRef, ()>> {
        let i = self.instance_obj(inst)?;
        if let Some(ix) = self.slot_index(i.class, name) {
            return Some(i.slots[ix].ok_or(()));
        }
        let entries: &[(ObjRef, ObjRef)] = match i.dict.and_then(|d| self.get(d)) {
            Some(Object {
                payload: Payload::Dict { entries, .. },
                ..
            }) => entries,
            _ => &i.vals,
        };
        entries
            .iter()
            .find(|(k, _)| self.str_of(*k) == Some(name))
            .map(|&(_, v)| Ok(v))
    }

    /// The instance's attribute (key, value) pairs in order (borrowed).
    pub fn inst_items(&self, inst: ObjRef) -> Vec<(ObjRef, ObjRef)> {
        let Some(i) = self.instance_obj(inst) else {
            return Vec::new();
        };
        match i.dict.and_then(|d| self.get(d)) {
            Some(Object {
                payload: Payload::Dict { entries, .. },
                ..
            }) => entries.clone(),
            _ => i.vals.clone(),
        }
    }

    /// `setattr(inst, key, value)` for a slot or a `__dict__` attribute,
    /// taking over `value` (and not `key`, an interned str the caller keeps).
    pub fn inst_set(
        &mut self,
        inst: ObjRef,
        key: ObjRef,
        value: ObjRef,
    ) -> Result<Stored, ObjError> {
        let name: Rc<str> = match self.str_of(key) {
            Some(s) => Rc::from(s),
            None => return Ok(Stored::NoDict),
        };
        let Some(i) = self.instance_obj(inst) else {
            return Ok(Stored::NoDict);
        };
        let class = i.class;
        if let Some(ix) = self.slot_index(class, &name) {
            let old = match self.get_mut(inst).map(|o| &mut o.payload) {
                Some(Payload::Instance(i)) => i.slots[ix].replace(value),
                _ => None,
            };
            if let Some(old) = old {
                self.decref(old);
            }
            return Ok(Stored::Done);
        }
        if !i.attrs.shape.dict {
            return Ok(Stored::NoDict);
        }
        // An existing attribute: replace the value in place.
        if let Some(Ok(_)) = self.inst_attr(inst, &name) {
            let old = self.with_entries(inst, |entries, objs| {
                let e = entries
                    .iter_mut()
                    .find(|(k, _)| objs.str_of(*k) == Some(&*name))?;
                Some(std::mem::replace(&mut e.1, value))
            });
            self.inst_dict_stored(inst, key, value);
            if let Some(old) = old {
                self.decref(old);
            }
            return Ok(Stored::Done);
        }
        let ops = self.with_keys(inst, |keys, attrs| keys.set_attr(attrs, &name));
        self.apply_attr_ops(inst, &ops)?;
        self.incref(key);
        self.with_entries(inst, |entries, _| {
            entries.push((key, value));
            Some(())
        });
        self.refresh_dict(inst);
        self.inst_dict_stored(inst, key, value);
        Ok(Stored::Done)
    }

    /// `MAINTAIN_TRACKING` on the instance's dict, if it has one.
    fn inst_dict_stored(&mut self, inst: ObjRef, key: ObjRef, value: ObjRef) {
        if let Some(d) = self.instance_obj(inst).and_then(|i| i.dict) {
            self.dict_stored(d, key, value);
        }
    }

    /// `delattr(inst, name)`: false when there is no such attribute.
    pub fn inst_del(&mut self, inst: ObjRef, name: &str) -> Result<bool, ObjError> {
        let Some(i) = self.instance_obj(inst) else {
            return Ok(false);
        };
        if let Some(ix) = self.slot_index(i.class, name) {
            let old = match self.get_mut(inst).map(|o| &mut o.payload) {
                Some(Payload::Instance(i)) => i.slots[ix].take(),
                _ => None,
            };
            return Ok(match old {
                Some(old) => {
                    self.decref(old);
                    true
                }
                None => false,
            });
        }
        if !matches!(self.inst_attr(inst, name), Some(Ok(_))) {
            return Ok(false);
        }
        let ops = self.with_keys(inst, |keys, attrs| keys.del_attr(attrs, name));
        self.apply_attr_ops(inst, &ops)?;
        let removed = self.with_entries(inst, |entries, objs| {
            let at = entries
                .iter()
                .position(|(k, _)| objs.str_of(*k) == Some(name))?;
            Some(entries.remove(at))
        });
        self.refresh_dict(inst);
        if let Some((k, v)) = removed {
            self.decref(v);
            self.decref(k);
        }
        Ok(true)
    }

    /// `inst.__dict__`: makes the dict object exist (3.11+ instances keep
    /// their attributes in a values array until then) and returns it
    /// (borrowed); `None` when instances of the class have no `__dict__`.
    pub fn inst_dict(&mut self, inst: ObjRef) -> Result<Option<ObjRef>, ObjError> {
        let Some(i) = self.instance_obj(inst) else {
            return Ok(None);
        };
        if !i.attrs.shape.dict {
            return Ok(None);
        }
        if i.dict.is_none() {
            let ops = self.with_keys(inst, |keys, attrs| keys.materialize_dict(attrs));
            self.apply_attr_ops(inst, &ops)?;
            if self.instance_obj(inst).is_some_and(|i| i.dict.is_none()) {
                // A class without shared keys: a plain empty dict.
                self.new_inst_dict(inst)?;
            }
            self.refresh_dict(inst);
        }
        Ok(self.instance_obj(inst).and_then(|i| i.dict))
    }

    /// Runs `f` on the class's shared keys and the instance's attribute state.
    fn with_keys(
        &mut self,
        inst: ObjRef,
        f: impl FnOnce(&mut ClassKeys, &mut InstanceAttrs) -> Vec<Op>,
    ) -> Vec<Op> {
        // The attributes leave the instance for the call (two slab entries
        // cannot be borrowed mutably at once) and come back after it.
        let (class, mut attrs) = match self.get_mut(inst).map(|o| &mut o.payload) {
            Some(Payload::Instance(i)) => {
                let placeholder = InstanceAttrs {
                    shape: i.attrs.shape,
                    names: Vec::new(),
                    storage: crate::layout::instance::AttrStorage::Nothing,
                };
                (i.class, std::mem::replace(&mut i.attrs, placeholder))
            }
            _ => return Vec::new(),
        };
        let ops = match self.get_mut(class).map(|o| &mut o.payload) {
            Some(Payload::Class(c)) => match c.keys.as_mut() {
                Some(keys) => f(keys, &mut attrs),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        if let Some(Payload::Instance(i)) = self.get_mut(inst).map(|o| &mut o.payload) {
            i.attrs = attrs;
        }
        ops
    }

    /// Runs `f` on the instance's attribute entries (its dict's, if it has one).
    fn with_entries<T>(
        &mut self,
        inst: ObjRef,
        f: impl FnOnce(&mut Vec<(ObjRef, ObjRef)>, &Objects) -> Option<T>,
    ) -> Option<T> {
        let dict = self.instance_obj(inst)?.dict;
        let owner = dict.unwrap_or(inst);
        let mut entries = match self.get_mut(owner).map(|o| &mut o.payload) {
            Some(Payload::Dict { entries, .. }) => std::mem::take(entries),
            Some(Payload::Instance(i)) => std::mem::take(&mut i.vals),
            _ => return None,
        };
        let out = f(&mut entries, self);
        match self.get_mut(owner).map(|o| &mut o.payload) {
            Some(Payload::Dict { entries: e, .. }) => *e = entries,
            Some(Payload::Instance(i)) => i.vals = entries,
            _ => {}
        }
        out
    }

    /// The instance's dict object, made now (`new_dict`: from the dict free
    /// list first). The attributes move into it, with the values array.
    fn new_inst_dict(&mut self, inst: ObjRef) -> Result<ObjRef, ObjError> {
        let fp = Footprint {
            getsizeof: GC_HEAD + DICT_BASICSIZE,
            requests: vec![Request::object(GC_HEAD + DICT_BASICSIZE)],
        };
        let payload = Payload::Dict {
            entries: Vec::new(),
            state: DictState::empty(),
        };
        let d = self.make_fp(payload, fp, "new_dict")?;
        let (vals, values_block) = match self.get_mut(inst) {
            Some(o) => {
                let block = o
                    .blocks
                    .iter()
                    .position(|(r, _)| r.part == Part::DictValues)
                    .map(|ix| o.blocks.remove(ix));
                let vals = match &mut o.payload {
                    Payload::Instance(i) => {
                        i.dict = Some(d);
                        std::mem::take(&mut i.vals)
                    }
                    _ => Vec::new(),
                };
                (vals, block)
            }
            None => (Vec::new(), None),
        };
        if let Some(o) = self.get_mut(d) {
            o.blocks.extend(values_block);
            if let Payload::Dict { entries, .. } = &mut o.payload {
                *entries = vals;
            }
        }
        self.dict_stored_all(d);
        Ok(d)
    }

    /// Carries out the shared-keys machinery's allocator calls for `inst`.
    fn apply_attr_ops(&mut self, inst: ObjRef, ops: &[Op]) -> Result<(), ObjError> {
        let Some(class) = self.instance_obj(inst).map(|i| i.class) else {
            return Ok(());
        };
        for op in ops {
            let dict = self.instance_obj(inst).and_then(|i| i.dict);
            let owner = dict.unwrap_or(inst);
            match *op {
                Op::Alloc(req) if req.part == Part::Object => {
                    self.new_inst_dict(inst)?;
                }
                Op::Free(req) if req.part == Part::Object => {}
                Op::Alloc(req) => {
                    let p = self.alloc_request(req)?;
                    if let Some(o) = self.get_mut(owner) {
                        o.blocks.push((req, p));
                    }
                }
                Op::Free(req) => {
                    let from = if req.part == Part::SharedKeys {
                        class
                    } else {
                        owner
                    };
                    if let Some(p) = self.take_block(from, req) {
                        self.free_request(req, p);
                    }
                }
                Op::Share(req) => {
                    if let Some(p) = self.take_block(owner, req) {
                        let shared = Request {
                            part: Part::SharedKeys,
                            ..req
                        };
                        if let Some(o) = self.get_mut(class) {
                            o.blocks.push((shared, p));
                        }
                    }
                }
                Op::Realloc { .. } => self.apply_ops(owner, std::slice::from_ref(op))?,
            }
        }
        Ok(())
    }

    /// Removes `owner`'s oldest block of `req`'s part (and size, for shared keys).
    fn take_block(&mut self, owner: ObjRef, req: Request) -> Option<crate::obmalloc::Ptr> {
        let o = self.get_mut(owner)?;
        let ix = o.blocks.iter().position(|(r, _)| {
            r.part == req.part
                && r.part != Part::Object
                && (req.part != Part::SharedKeys || r.bytes == req.bytes)
        })?;
        Some(o.blocks.remove(ix).1)
    }

    /// The instance dict's table state and size, from the shared-keys model.
    fn refresh_dict(&mut self, inst: ObjRef) {
        let v = self.version();
        let Some(i) = self.instance_obj(inst) else {
            return;
        };
        let Some(d) = i.dict else { return };
        let state = self
            .class_obj(i.class)
            .and_then(|c| c.keys.as_ref())
            .and_then(|k| k.dict_state(&i.attrs));
        if let (Some(state), Some(o)) = (state, self.get_mut(d)) {
            if let Payload::Dict { state: s, .. } = &mut o.payload {
                *s = state;
            }
            o.getsizeof = state.getsizeof(v);
        }
    }

    /// The groups of slot values in the order `subtype_dealloc` clears them:
    /// the most derived class's members first.
    pub(super) fn slot_clear_order(&self, class: ObjRef, n: usize) -> Vec<usize> {
        let mut order = Vec::with_capacity(n);
        let mut end = n;
        let mut c = Some(class);
        while let Some(cls) = c.and_then(|r| self.class_obj(r)) {
            let start = end.saturating_sub(cls.own_slots);
            order.extend(start..end);
            end = start;
            c = cls.base;
        }
        order.extend(0..end);
        order
    }

    /// What an instance's dealloc does to its class's shared keys (frees
    /// of tables no dict uses any more).
    pub(super) fn leave_class_keys(&mut self, class: ObjRef, attrs: InstanceAttrs) {
        let ops = match self.get_mut(class).map(|o| &mut o.payload) {
            Some(Payload::Class(c)) => match c.keys.as_mut() {
                Some(k) => k.drop_instance(attrs),
                None => return,
            },
            _ => return,
        };
        for op in ops {
            if let Op::Free(req) = op {
                if req.part == Part::SharedKeys {
                    if let Some(p) = self.take_block(class, req) {
                        self.free_request(req, p);
                    }
                }
            }
        }
    }
}
