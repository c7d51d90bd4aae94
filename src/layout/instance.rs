//! Instances of Python classes and where their attributes live.
//!
//! * **3.8–3.10**: the instance body holds `__dict__` and `__weakref__`
//!   pointers (basicsize 32 for `class C: pass`). The class owns "cached
//!   keys" (`ht_cached_keys`, an 8-slot split keys object made by
//!   `_PyDict_NewKeysForClass` in `type_new`). The first attribute store
//!   creates the instance dict: a split table sharing those keys with a
//!   values array of `USABLE_FRACTION(size)` pointers
//!   (`new_dict_with_shared_keys`). New names are appended to the shared
//!   keys while the instance has every shared key in order; a full table is
//!   resized to a combined one (`GROWTH_RATE`), and then
//!   `_PyObjectDict_SetItem` either makes those keys the class's new shared
//!   keys (`make_keys_shared`, new values array) when no other dict shares
//!   the old ones, or stops sharing for the class (`CACHED_KEYS(tp) = NULL`).
//!   Storing names out of order or deleting an attribute converts the dict
//!   to a combined table (and a deletion stops sharing). Objects/dictobject.c.
//! * **3.11/3.12**: `Py_TPFLAGS_MANAGED_DICT`: the dict pointer (and the
//!   values pointer) sit in a 16-byte pre-header before the GC header; 3.12
//!   also moves `__weakref__` there (`Py_TPFLAGS_MANAGED_WEAKREF`). The class's
//!   shared keys have 64 slots with `dk_usable = SHARED_KEYS_MAX_SIZE = 30`.
//!   Every new instance eagerly gets a values array (`init_inline_values`):
//!   first `dk_usable` shrinks by one (while > 1), then
//!   `new_values(dk_nentries + dk_usable)`. No dict object exists until
//!   `obj.__dict__` is read or the shared keys are full; then the dict takes
//!   the values, and a new name makes it a combined table
//!   (`insertion_resize`, `GROWTH_RATE(used)`).
//! * **3.13**: classes whose instances have no other slots get
//!   `Py_TPFLAGS_INLINE_VALUES`: the values live at the end of the object
//!   (`_PyType_AllocNoTrack` adds `_PyInlineValuesSize(tp)`, computed *before*
//!   `_PyObject_InitInlineValues` shrinks `dk_usable`). Other managed-dict
//!   classes allocate dict + values lazily on the first store, without
//!   shrinking.
//!
//! `getsizeof(obj)` never includes the values; `getsizeof(obj.__dict__)` is
//! 64 + 8·(value slots) (+ the keys when the dict is their only owner).

use super::dict::{self, DictKeys, DictState, KeysKind, SplitValues};
use super::{Domain, Footprint, Op, Part, Request, GC_HEAD, PTR, PYOBJECT_HEAD};
use crate::version::Version;

/// `SHARED_KEYS_MAX_SIZE` (3.11+): usable entries of a class's shared keys.
pub const SHARED_KEYS_MAX_SIZE: u64 = 30;
/// `NEXT_LOG2_SHARED_KEYS_MAX_SIZE` (3.11+): shared keys have 64 slots.
pub const LOG2_SHARED_KEYS: u8 = 6;

/// Object layout of instances of a class (derived from `object`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct InstanceShape {
    /// `__slots__` members (not counting `__dict__` / `__weakref__`).
    pub slots: u64,
    /// Instances have a `__dict__`.
    pub dict: bool,
    /// Instances support weak references.
    pub weakref: bool,
    /// 3.13 inline values allocated with the object: the slot count the
    /// object was sized for (0 = none).
    pub inline_values: u64,
    /// 3.11/3.12: capacity of the values array the instance owns (`None`
    /// when it has none, or a dict took it).
    pub values: Option<u64>,
    /// Bytes the built-in base adds after `PyObject_HEAD`: 0 for
    /// `object`, `PyBaseExceptionObject`'s fields for an exception class.
    pub base_body: u64,
    /// The `__dict__` pointer is one of the built-in base's fields
    /// (`PyBaseExceptionObject.dict`): never in a pre-header, and from 3.11
    /// the instance's attributes go into a plain dict (the class has no
    /// shared keys: only managed-dict classes get them).
    pub base_dict: bool,
}

impl InstanceShape {
    /// `class C: pass` (dict and weakref, no slots), before any values are attached.
    pub const fn plain() -> InstanceShape {
        InstanceShape {
            slots: 0,
            dict: true,
            weakref: true,
            inline_values: 0,
            values: None,
            base_body: 0,
            base_dict: false,
        }
    }

    /// A class with `__slots__` of `n` members (no `__dict__`, no `__weakref__`).
    pub const fn with_slots(n: u64) -> InstanceShape {
        InstanceShape {
            slots: n,
            dict: false,
            weakref: false,
            inline_values: 0,
            values: None,
            base_body: 0,
            base_dict: false,
        }
    }

    /// `tp_basicsize`: 16 + the built-in base's fields + 8 per slot, + the
    /// dict pointer (≤ 3.10) and the weakref pointer (≤ 3.11) when they
    /// live in the body.
    pub const fn basicsize(&self, v: Version) -> u64 {
        let mut b = PYOBJECT_HEAD + self.base_body + PTR * self.slots;
        if self.dict && !self.base_dict && v.minor() <= 10 {
            b += PTR;
        }
        if self.weakref && v.minor() <= 11 {
            b += PTR;
        }
        b
    }

    /// `_PyType_PreHeaderSize` minus the GC header: 16 bytes for a managed
    /// dict (3.11) or a managed dict/weakref (3.12+).
    pub const fn preheader(&self, v: Version) -> u64 {
        let own_dict = self.dict && !self.base_dict;
        let managed = match v.minor() {
            8..=10 => false,
            11 => own_dict,
            _ => own_dict || self.weakref,
        };
        if managed {
            2 * PTR
        } else {
            0
        }
    }

    /// `sys.getsizeof(obj)`: GC header + pre-header + basicsize.
    pub const fn getsizeof(&self, v: Version) -> u64 {
        GC_HEAD + self.preheader(v) + self.basicsize(v)
    }

    /// The object's allocation (3.13 inline values included).
    pub const fn object_bytes(&self, v: Version) -> u64 {
        let inline = if self.inline_values > 0 {
            dict::values_size(v, self.inline_values)
        } else {
            0
        };
        self.getsizeof(v) + inline
    }

    /// Object + owned values array.
    pub fn footprint(&self, v: Version) -> Footprint {
        let mut requests = vec![Request::object(self.object_bytes(v))];
        if let Some(n) = self.values {
            requests.push(Request {
                part: Part::DictValues,
                bytes: dict::values_size(v, n),
                domain: Domain::Mem,
            });
        }
        Footprint {
            getsizeof: self.getsizeof(v),
            requests,
        }
    }
}

/// Where an instance's attributes are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttrStorage {
    /// No storage yet (3.8–3.10 and 3.13 non-inline classes before the first store).
    Nothing,
    /// 3.11+ values array (separate, or inline in 3.13) indexed by the class's shared keys.
    Values {
        /// Value slots the array has room for.
        capacity: u64,
        /// 3.13: the values are inline in the object; otherwise a separate
        /// `PyMem_Malloc`'ed array (3.11/3.12).
        inline: bool,
    },
    /// A dict object exists. `table` is the shared-keys table it is split
    /// over (an index into the class's tables), `None` for a combined dict.
    Dict {
        /// The dict's state.
        dict: DictState,
        /// Index of the shared-keys table it is split over, `None` if combined.
        table: Option<usize>,
    },
}

/// One instance's attribute state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InstanceAttrs {
    /// The object's layout.
    pub shape: InstanceShape,
    /// Attribute names set, in insertion order.
    pub names: Vec<String>,
    /// Where the attribute values are kept.
    pub storage: AttrStorage,
}

impl InstanceAttrs {
    /// Number of attributes.
    pub fn len(&self) -> u64 {
        self.names.len() as u64
    }

    /// True when no attribute is set.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// True when `obj.__dict__` exists as an object.
    pub fn has_dict_object(&self) -> bool {
        matches!(self.storage, AttrStorage::Dict { .. })
    }
}

/// A shared keys object of a class (3.8–3.10 may orphan old ones).
#[derive(Clone, Debug, PartialEq, Eq)]
struct SharedTable {
    keys: DictKeys,
    names: Vec<String>,
    /// Split dicts using it.
    dicts: u64,
    /// The class still holds it as `ht_cached_keys`.
    class_holds: bool,
}

impl SharedTable {
    fn refcnt(&self) -> u64 {
        self.dicts + u64::from(self.class_holds)
    }
}

/// A class's shared-keys machinery: creates instances and stores attributes,
/// reporting the allocator calls CPython makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassKeys {
    v: Version,
    layout: InstanceShape,
    tables: Vec<SharedTable>,
    /// Index of the class's current cached keys.
    current: Option<usize>,
}

impl ClassKeys {
    /// A new class whose instances have `layout` (`values`/`inline_values`
    /// are ignored). Classes with a `__dict__` get cached keys at creation.
    pub fn new(v: Version, layout: InstanceShape) -> ClassKeys {
        let layout = InstanceShape {
            inline_values: 0,
            values: None,
            ..layout
        };
        let mut c = ClassKeys {
            v,
            layout,
            tables: Vec::new(),
            current: None,
        };
        if layout.dict {
            let keys = if v.minor() <= 10 {
                DictKeys::new(v, dict::LOG_MINSIZE, KeysKind::Split)
            } else {
                let mut k = DictKeys::new(v, LOG2_SHARED_KEYS, KeysKind::Split);
                k.usable = SHARED_KEYS_MAX_SIZE;
                k
            };
            c.tables.push(SharedTable {
                keys,
                names: Vec::new(),
                dicts: 0,
                class_holds: true,
            });
            c.current = Some(0);
        }
        c
    }

    /// `class C: pass`.
    pub fn plain(v: Version) -> ClassKeys {
        ClassKeys::new(v, InstanceShape::plain())
    }

    /// 3.13 `__static_attributes__`: names assigned as `self.x` in the class
    /// body's methods are inserted into the shared keys when the class is made.
    pub fn with_static_attributes<S: AsRef<str>>(mut self, names: &[S]) -> ClassKeys {
        if self.v.minor() >= 13 {
            if let Some(t) = self.current {
                for n in names {
                    let t = &mut self.tables[t];
                    if t.keys.usable == 0 {
                        break;
                    }
                    if !t.names.iter().any(|x| x == n.as_ref()) {
                        t.names.push(n.as_ref().to_string());
                        t.keys.nentries += 1;
                        t.keys.usable -= 1;
                    }
                }
            }
        }
        self
    }

    /// The version modelled.
    pub fn version(&self) -> Version {
        self.v
    }

    /// The class's current shared keys (`ht_cached_keys`), if any.
    pub fn cached_keys(&self) -> Option<DictKeys> {
        self.current.map(|t| self.tables[t].keys)
    }

    /// Names in the current shared keys, in order.
    pub fn shared_names(&self) -> &[String] {
        self.current.map_or(&[], |t| &self.tables[t].names)
    }

    /// The type object's shape (for [`super::footprint`]).
    pub fn type_shape(&self) -> super::Shape {
        super::Shape::Type {
            slots: self.layout.slots,
            cached_keys: self.cached_keys(),
        }
    }

    /// 3.13 inline values apply: a `__dict__` and nothing else in the body.
    pub fn has_inline_values(&self) -> bool {
        self.v.minor() >= 13 && self.layout.dict && self.layout.slots == 0
    }

    fn usable_size(&self, t: usize) -> u64 {
        let k = &self.tables[t].keys;
        k.nentries + k.usable
    }

    /// Calling the class: allocates the instance (and, 3.11/3.12, its values array).
    pub fn new_instance(&mut self) -> (InstanceAttrs, Vec<Op>) {
        let mut shape = self.layout;
        let mut storage = AttrStorage::Nothing;
        let minor = self.v.minor();
        let mut values_op = None;
        if let (true, Some(t)) = (self.layout.dict, self.current) {
            if minor >= 11 && (minor <= 12 || self.has_inline_values()) {
                let before = self.usable_size(t);
                let k = &mut self.tables[t].keys;
                if k.usable > 1 {
                    k.usable -= 1;
                }
                let capacity = self.usable_size(t);
                if minor >= 13 {
                    shape.inline_values = before;
                    storage = AttrStorage::Values {
                        capacity,
                        inline: true,
                    };
                } else {
                    shape.values = Some(capacity);
                    storage = AttrStorage::Values {
                        capacity,
                        inline: false,
                    };
                    values_op = Some(Op::Alloc(Request {
                        part: Part::DictValues,
                        bytes: dict::values_size(self.v, capacity),
                        domain: Domain::Mem,
                    }));
                }
            }
        }
        let mut ops = vec![Op::Alloc(Request::object(shape.object_bytes(self.v)))];
        ops.extend(values_op);
        (
            InstanceAttrs {
                shape,
                names: Vec::new(),
                storage,
            },
            ops,
        )
    }

    /// A new dict for an instance that has none (`new_dict_with_shared_keys`
    /// or `PyDict_New`).
    fn create_dict(&mut self, inst: &mut InstanceAttrs) -> Vec<Op> {
        let mut ops = vec![Op::Alloc(dict_object_request())];
        let minor = self.v.minor();
        let storage = match std::mem::replace(&mut inst.storage, AttrStorage::Nothing) {
            AttrStorage::Values { capacity, inline } => {
                // make_dict_from_instance_attributes: the dict takes the values.
                let t = self.current.expect("values imply shared keys");
                self.tables[t].dicts += 1;
                inst.shape.values = None;
                let dict = DictState {
                    used: inst.len(),
                    keys: Some(self.tables[t].keys),
                    keys_shared: true,
                    values: Some(SplitValues {
                        capacity,
                        embedded: inline,
                    }),
                };
                AttrStorage::Dict {
                    dict,
                    table: Some(t),
                }
            }
            AttrStorage::Nothing => match self.current {
                Some(t) => {
                    let capacity = if minor <= 10 {
                        dict::usable_fraction(self.tables[t].keys.slots())
                    } else {
                        self.usable_size(t)
                    };
                    let values = SplitValues {
                        capacity,
                        embedded: false,
                    };
                    ops.extend(values.request(self.v).map(Op::Alloc));
                    self.tables[t].dicts += 1;
                    let dict = DictState {
                        used: 0,
                        keys: Some(self.tables[t].keys),
                        keys_shared: true,
                        values: Some(values),
                    };
                    AttrStorage::Dict {
                        dict,
                        table: Some(t),
                    }
                }
                None => AttrStorage::Dict {
                    dict: DictState::empty(),
                    table: None,
                },
            },
            d @ AttrStorage::Dict { .. } => {
                ops.clear();
                d
            }
        };
        inst.storage = storage;
        ops
    }

    /// `obj.__dict__` (or `vars(obj)`): makes the dict object exist.
    pub fn materialize_dict(&mut self, inst: &mut InstanceAttrs) -> Vec<Op> {
        if inst.has_dict_object() || !self.layout.dict {
            return Vec::new();
        }
        self.create_dict(inst)
    }

    /// Drops a split dict's hold on its table, freeing the keys if nobody is left.
    fn leave_table(&mut self, t: usize) -> Vec<Op> {
        let table = &mut self.tables[t];
        table.dicts -= 1;
        if table.refcnt() == 0 {
            vec![Op::Free(shared_request(self.v, &table.keys))]
        } else {
            Vec::new()
        }
    }

    /// A split dict becomes combined (`dictresize`), growing to
    /// `GROWTH_RATE(used)`, or to its own size for a deletion (3.8–3.10).
    fn combine(&mut self, inst: &mut InstanceAttrs, same_size: bool) -> Vec<Op> {
        let AttrStorage::Dict { dict, table } = &mut inst.storage else {
            unreachable!("combine needs a dict")
        };
        let t = table.take().expect("split dict");
        let mut d = *dict;
        d.used = inst.names.len() as u64;
        d.keys = Some(self.tables[t].keys);
        // The values go; the shared keys are released below, not by DictState.
        d.keys_shared = true;
        let log2 = if same_size {
            self.tables[t].keys.log2_size
        } else {
            dict::calculate_log2_keysize(self.v, dict::growth_rate(d.used))
        };
        let mut ops = d.resize(self.v, log2, true);
        ops.extend(self.leave_table(t));
        *dict = d;
        ops
    }

    /// 3.8–3.10 `_PyObjectDict_SetItem` after a store turned the dict combined:
    /// re-share (`make_keys_shared`) if no other dict used the old keys,
    /// otherwise stop sharing.
    fn reshare_after_resize(&mut self, inst: &mut InstanceAttrs, old: usize) -> Vec<Op> {
        let mut ops = Vec::new();
        if self.current != Some(old) {
            return ops;
        }
        self.tables[old].class_holds = false;
        self.current = None;
        let others = self.tables[old].dicts;
        if others == 0 {
            // The class's reference was the last one: the old keys die.
            ops.push(Op::Free(shared_request(self.v, &self.tables[old].keys)));
            let AttrStorage::Dict { dict, table } = &mut inst.storage else {
                unreachable!()
            };
            if let Some(mut keys) = dict.keys {
                // make_keys_shared: new values array, keys become the class's.
                ops.push(Op::Share(keys.request(self.v)));
                keys.kind = KeysKind::Split;
                let capacity = dict::usable_fraction(keys.slots());
                let values = SplitValues {
                    capacity,
                    embedded: false,
                };
                ops.extend(values.request(self.v).map(Op::Alloc));
                self.tables.push(SharedTable {
                    keys,
                    names: inst.names.clone(),
                    dicts: 1,
                    class_holds: true,
                });
                let t = self.tables.len() - 1;
                self.current = Some(t);
                *table = Some(t);
                dict.keys = Some(keys);
                dict.keys_shared = true;
                dict.values = Some(values);
            }
        }
        ops
    }

    /// `setattr(obj, name, value)`. Storing an existing name allocates nothing.
    pub fn set_attr(&mut self, inst: &mut InstanceAttrs, name: &str) -> Vec<Op> {
        if inst.names.iter().any(|n| n == name) {
            return Vec::new();
        }
        if !self.layout.dict {
            panic!("instances of this class have no __dict__");
        }
        let mut ops = Vec::new();
        let minor = self.v.minor();
        if let AttrStorage::Values { .. } = inst.storage {
            let t = self.current.expect("values imply shared keys");
            let table = &mut self.tables[t];
            if table.names.iter().any(|n| n == name) {
                inst.names.push(name.to_string());
                return ops;
            }
            if table.keys.usable > 0 {
                table.names.push(name.to_string());
                table.keys.nentries += 1;
                table.keys.usable -= 1;
                inst.names.push(name.to_string());
                return ops;
            }
            // Keys full: the values move into a new dict, which then resizes.
            ops.extend(self.create_dict(inst));
        }
        if let AttrStorage::Nothing = inst.storage {
            ops.extend(self.create_dict(inst));
        }
        let AttrStorage::Dict { table, .. } = &inst.storage else {
            unreachable!()
        };
        match *table {
            None => {
                let AttrStorage::Dict { dict, .. } = &mut inst.storage else {
                    unreachable!()
                };
                ops.extend(dict.insert(self.v, true));
                inst.names.push(name.to_string());
            }
            Some(t) => {
                let used = inst.len();
                let pos = self.tables[t].names.iter().position(|n| n == name);
                let nentries = self.tables[t].keys.nentries;
                let usable = self.tables[t].keys.usable;
                // 3.8–3.10 insertdict: a split table only takes keys in order.
                let in_order = match pos {
                    Some(ix) => minor >= 11 || ix as u64 == used,
                    None => minor >= 11 || used == nentries,
                };
                if in_order && (pos.is_some() || usable > 0) {
                    if pos.is_none() {
                        let table = &mut self.tables[t];
                        table.names.push(name.to_string());
                        table.keys.nentries += 1;
                        table.keys.usable -= 1;
                    }
                    inst.names.push(name.to_string());
                    let k = self.tables[t].keys;
                    if let AttrStorage::Dict { dict, .. } = &mut inst.storage {
                        dict.used += 1;
                        dict.keys = Some(k);
                    }
                } else {
                    ops.extend(self.combine(inst, false));
                    let AttrStorage::Dict { dict, .. } = &mut inst.storage else {
                        unreachable!()
                    };
                    ops.extend(dict.insert(self.v, true));
                    inst.names.push(name.to_string());
                    if minor <= 10 {
                        ops.extend(self.reshare_after_resize(inst, t));
                    }
                }
            }
        }
        ops
    }

    /// `delattr(obj, name)` of a present attribute.
    pub fn del_attr(&mut self, inst: &mut InstanceAttrs, name: &str) -> Vec<Op> {
        let Some(i) = inst.names.iter().position(|n| n == name) else {
            panic!("no attribute {name}");
        };
        let mut ops = Vec::new();
        let split_table = match &inst.storage {
            AttrStorage::Dict { table, .. } => *table,
            _ => None,
        };
        if let (true, Some(t)) = (self.v.minor() <= 10, split_table) {
            // 3.8–3.10: deleting from a split table combines it (same size)
            // and the class stops sharing keys.
            ops.extend(self.combine(inst, true));
            if self.current == Some(t) {
                self.tables[t].class_holds = false;
                self.current = None;
                if self.tables[t].refcnt() == 0 {
                    ops.push(Op::Free(shared_request(self.v, &self.tables[t].keys)));
                }
            }
        }
        inst.names.remove(i);
        if let AttrStorage::Dict { dict, .. } = &mut inst.storage {
            dict.delete();
        }
        ops
    }

    /// The instance dies: its object, values and dict are freed.
    pub fn drop_instance(&mut self, inst: InstanceAttrs) -> Vec<Op> {
        let mut ops: Vec<Op> = self
            .instance_footprint(&inst)
            .requests
            .into_iter()
            .map(Op::Free)
            .collect();
        if let AttrStorage::Dict { dict, table } = &inst.storage {
            ops.push(Op::Free(dict_object_request()));
            ops.extend(
                dict.owned_requests(self.v)
                    .into_iter()
                    .filter(|r| r.part != Part::DictKeys)
                    .map(Op::Free),
            );
            match table {
                Some(t) => ops.extend(self.leave_table(*t)),
                None => ops.extend(dict.keys.map(|k| Op::Free(k.request(self.v)))),
            }
        }
        ops
    }

    /// The instance object and the values array it owns.
    pub fn instance_footprint(&self, inst: &InstanceAttrs) -> Footprint {
        inst.shape.footprint(self.v)
    }

    /// The dict object's state as `sys.getsizeof(obj.__dict__)` sees it, if
    /// the dict exists (split tables read the shared keys' current fill;
    /// keys count only while the dict is their sole owner).
    pub fn dict_state(&self, inst: &InstanceAttrs) -> Option<DictState> {
        let AttrStorage::Dict { dict, table } = &inst.storage else {
            return None;
        };
        let mut d = *dict;
        if let Some(t) = table {
            d.keys = Some(self.tables[*t].keys);
            d.keys_shared = self.tables[*t].refcnt() > 1;
        }
        Some(d)
    }

    /// Footprint of `obj.__dict__` if it exists.
    pub fn dict_footprint(&self, inst: &InstanceAttrs) -> Option<Footprint> {
        self.dict_state(inst).map(|d| d.footprint(self.v))
    }

    /// What `sys.getsizeof(obj.__dict__)` would print *after* materializing
    /// (3.11+ reading `__dict__` creates a dict over the values).
    pub fn dict_getsizeof_after_materialize(&self, inst: &InstanceAttrs) -> u64 {
        let mut c = self.clone();
        let mut i = inst.clone();
        c.materialize_dict(&mut i);
        c.dict_state(&i).map_or(0, |d| d.getsizeof(self.v))
    }
}

/// The request of a class's shared keys block (part [`Part::SharedKeys`]).
fn shared_request(v: Version, keys: &DictKeys) -> Request {
    Request {
        part: Part::SharedKeys,
        ..keys.request(v)
    }
}

/// The 64-byte dict object request (`PyObject_GC_New(PyDictObject)`).
pub const fn dict_object_request() -> Request {
    Request::object(GC_HEAD + super::DICT_BASICSIZE)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allocs(ops: &[Op]) -> Vec<u64> {
        let mut v: Vec<u64> = ops
            .iter()
            .filter_map(|o| match o {
                Op::Alloc(r) => Some(r.bytes),
                _ => None,
            })
            .collect();
        v.sort_unstable_by(|a, b| b.cmp(a));
        v
    }

    #[test]
    fn instance_object_sizes() {
        let plain = InstanceShape::plain();
        let got: Vec<u64> = Version::VERIFIED
            .iter()
            .map(|&v| plain.getsizeof(v))
            .collect();
        assert_eq!(got, [48, 48, 48, 56, 48, 48]);
        let s2 = InstanceShape::with_slots(2);
        assert!(Version::VERIFIED.iter().all(|&v| s2.getsizeof(v) == 48));
        assert_eq!(InstanceShape::with_slots(0).getsizeof(Version::V3_12), 32);
    }

    #[test]
    fn values_shrink_per_instance_311() {
        let mut c = ClassKeys::plain(Version::V3_11);
        let sizes: Vec<Vec<u64>> = (0..3).map(|_| allocs(&c.new_instance().1)).collect();
        assert_eq!(sizes, [vec![264, 56], vec![256, 56], vec![248, 56]]);
    }

    #[test]
    fn inline_values_313() {
        let mut c = ClassKeys::plain(Version::V3_13);
        let sizes: Vec<Vec<u64>> = (0..2).map(|_| allocs(&c.new_instance().1)).collect();
        assert_eq!(sizes, [vec![328], vec![320]]);
    }

    #[test]
    fn split_table_growth_38() {
        // Second instance of a fresh class: 1 attr -> values 40; 6 -> keys 296 +
        // values 80 (re-shared); 11 -> 576 + 168; 22 -> 1112 + 336.
        let v = Version::V3_8;
        let mut c = ClassKeys::plain(v);
        let _first = c.new_instance();
        let (mut o2, _) = c.new_instance();
        let mut seen = Vec::new();
        for k in 0..30 {
            let ops = c.set_attr(&mut o2, &format!("a{k}"));
            let a: Vec<u64> = allocs(&ops).into_iter().filter(|&b| b != 64).collect();
            if !a.is_empty() {
                seen.push((k + 1, a));
            }
        }
        assert_eq!(
            seen,
            [
                (1, vec![40]),
                (6, vec![296, 80]),
                (11, vec![576, 168]),
                (22, vec![1112, 336])
            ]
        );
        assert_eq!(c.dict_state(&o2).unwrap().getsizeof(v), 400);
        assert_eq!(super::super::getsizeof(v, &c.type_shape()), 2008);
    }

    #[test]
    fn keys_full_converts_311() {
        let v = Version::V3_11;
        let mut c = ClassKeys::plain(v);
        let _first = c.new_instance();
        let (mut o2, _) = c.new_instance();
        let mut seen = Vec::new();
        for k in 0..40 {
            let ops = c.set_attr(&mut o2, &format!("a{k}"));
            let a: Vec<u64> = allocs(&ops).into_iter().filter(|&b| b != 64).collect();
            if !a.is_empty() {
                seen.push((k + 1, a));
            }
        }
        assert_eq!(seen, [(29, vec![1520])]);
        assert_eq!(c.dict_state(&o2).unwrap().getsizeof(v), 1584);
    }
}
