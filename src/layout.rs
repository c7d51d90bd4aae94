//! Object layouts of 64-bit CPython 3.8–3.13: what each object asks the
//! allocator for, and what `sys.getsizeof` reports for it.
//!
//! Every object is one or more allocation [`Request`]s: the object itself
//! (including the 16-byte `PyGC_Head` in front of GC types and, from 3.11,
//! the 16-byte pre-header of managed-dict/managed-weakref instances) plus any
//! separately allocated buffers (a list's item array, a dict's keys object and
//! values array, a set's table, ...). [`footprint`] gives both the requests and
//! the `sys.getsizeof` value for a [`Shape`] in a given [`Version`].
//!
//! `sys.getsizeof(o)` is `type(o).__sizeof__(o)` plus
//! `_PyType_PreHeaderSize(type(o))` (Python/sysmodule.c `_PySys_GetSizeOf`;
//! before 3.11 just `+ sizeof(PyGC_Head)` for GC types): it includes buffers
//! only where `__sizeof__` adds them (list items, dict keys/values, set table,
//! bytearray buffer), never the values array of a 3.11+ instance.
//!
//! The growth rules of the variable-size containers live in submodules, as
//! pure functions plus small state machines that report the allocator calls
//! each mutation makes ([`Op`]):
//!
//! * [`list`]: `list_resize`, `list_preallocate_exact`, displays, `list()`.
//! * [`dict`]: keys-object sizes, `USABLE_FRACTION`, `GROWTH_RATE`,
//!   `calculate_log2_keysize`, presizing, split tables.
//! * [`set`]: `set_table_resize`, fill/used, `set_merge` presizing.
//! * [`instance`]: per-class shared keys and instance attribute storage
//!   (3.8–3.10 split-table dicts, 3.11/3.12 values arrays, 3.13 inline values).
//!
//! Every number here was checked against the real interpreters (3.8.18,
//! 3.9.18, 3.10.13, 3.11.7, 3.12.1, 3.13.0) with `sys.getsizeof`,
//! `type.__basicsize__` and `tracemalloc` (see `tests/fidelity_layout.rs`).
//! Where a rule only exists in the C source, the comment says so.

pub mod dict;
pub mod instance;
pub mod list;
pub mod set;

use crate::version::Version;

pub use dict::{DictKeys, DictState, KeysKind, SplitValues};
pub use instance::{AttrStorage, ClassKeys, InstanceAttrs, InstanceShape};
pub use list::ListState;
pub use set::SetState;

/// `sizeof(PyGC_Head)`: two words in front of every GC object (all versions).
pub const GC_HEAD: u64 = 16;
/// `sizeof(PyObject)`: refcount + type pointer.
pub const PYOBJECT_HEAD: u64 = 16;
/// `sizeof(PyVarObject)`: `PyObject` + `ob_size`.
pub const PYVAROBJECT_HEAD: u64 = 24;
/// Size of a pointer (`sizeof(PyObject *)`).
pub const PTR: u64 = 8;
/// Bits per `int` digit (`PyLong_SHIFT`, 30 on 64-bit builds).
pub const PYLONG_SHIFT: u32 = 30;

/// Which allocator API a request goes through. Both land in pymalloc for
/// 1..=512 bytes and in the raw (system) allocator otherwise; the domain only
/// matters for narration and for debug hooks.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Domain {
    /// `PyObject_Malloc` / `PyObject_Realloc` / `PyObject_Free`.
    Object,
    /// `PyMem_Malloc` / `PyMem_Realloc` / `PyMem_Free`.
    Mem,
}

/// What a request holds.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Part {
    /// The object itself, with its GC header and pre-header.
    Object,
    /// A list's `ob_item` array (`PyMem_Realloc`, Objects/listobject.c).
    ItemArray,
    /// A `PyDictKeysObject` (Objects/dictobject.c `new_keys_object`).
    DictKeys,
    /// A split dict's / 3.11+ instance's separately allocated values array
    /// (`new_values`).
    DictValues,
    /// A class's shared instance keys (`ht_cached_keys`): a split
    /// `PyDictKeysObject` owned by the class and shared by its instances'
    /// dicts (Objects/dictobject.c `_PyDict_NewKeysForClass`).
    SharedKeys,
    /// A set's external hash table (`set_table_resize`, Objects/setobject.c).
    SetTable,
    /// A bytearray's `ob_bytes` buffer (Objects/bytearrayobject.c).
    ByteBuffer,
}

impl Part {
    /// Short lowercase label for narration.
    pub const fn label(self) -> &'static str {
        match self {
            Part::Object => "object",
            Part::ItemArray => "item array",
            Part::DictKeys => "dict keys",
            Part::SharedKeys => "shared keys",
            Part::DictValues => "dict values",
            Part::SetTable => "set table",
            Part::ByteBuffer => "byte buffer",
        }
    }
}

/// One allocation request: `bytes` passed to the allocator of `domain`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Request {
    /// What the allocation holds.
    pub part: Part,
    /// Bytes passed to the allocator (the `size` argument of `PyObject_Malloc`/`PyMem_Malloc`).
    pub bytes: u64,
    /// Which allocator API is called.
    pub domain: Domain,
}

impl Request {
    /// A `PyObject_Malloc` request for the object itself.
    pub const fn object(bytes: u64) -> Request {
        Request {
            part: Part::Object,
            bytes,
            domain: Domain::Object,
        }
    }

    /// True when pymalloc serves it (1..=512 bytes); 0 and > 512 go to the raw allocator.
    pub const fn is_small(&self) -> bool {
        self.bytes >= 1 && self.bytes <= crate::version::SMALL_REQUEST_THRESHOLD as u64
    }
}

/// An allocator call made by a container mutation.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// A fresh allocation.
    Alloc(Request),
    /// `PyMem_Realloc(old, new)`; `old_bytes == None` means `ob_item` was NULL
    /// (a realloc of NULL is a malloc).
    Realloc {
        /// What the block holds.
        part: Part,
        /// Which allocator API is called.
        domain: Domain,
        /// The size the block was requested with, `None` for a NULL pointer.
        old_bytes: Option<u64>,
        /// The new size passed to the realloc.
        new_bytes: u64,
    },
    /// A free of a block that was requested with `bytes`.
    Free(Request),
    /// No allocator call: an instance dict's keys block (`DictKeys`)
    /// becomes its class's shared keys (`make_keys_shared`, 3.8–3.10).
    Share(Request),
}

/// The memory picture of one object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Footprint {
    /// What `sys.getsizeof` returns.
    pub getsizeof: u64,
    /// Every live allocation the object owns, the object itself first.
    pub requests: Vec<Request>,
}

impl Footprint {
    /// Sum of all requested bytes.
    pub fn requested_bytes(&self) -> u64 {
        self.requests.iter().map(|r| r.bytes).sum()
    }

    /// The object's own request (the first one).
    pub fn object_request(&self) -> Request {
        self.requests[0]
    }
}

/// Storage kind of a compact `str` (Include/cpython/unicodeobject.h):
/// picked by `PyUnicode_New` from the largest code point.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StrKind {
    /// All code points < 128: `PyASCIIObject` header, 1 byte per char.
    Ascii,
    /// Max code point 128..=255: `PyCompactUnicodeObject`, 1 byte per char.
    Latin1,
    /// Max code point 256..=0xFFFF: 2 bytes per char.
    Ucs2,
    /// Max code point above 0xFFFF: 4 bytes per char.
    Ucs4,
}

impl StrKind {
    /// The kind `PyUnicode_New(size, maxchar)` picks for `max_char`.
    pub const fn for_max_char(max_char: u32) -> StrKind {
        if max_char < 128 {
            StrKind::Ascii
        } else if max_char < 256 {
            StrKind::Latin1
        } else if max_char < 0x10000 {
            StrKind::Ucs2
        } else {
            StrKind::Ucs4
        }
    }

    /// The kind of a Rust string's contents.
    pub fn of(s: &str) -> StrKind {
        StrKind::for_max_char(s.chars().map(|c| c as u32).max().unwrap_or(0))
    }

    /// Bytes per character (`PyUnicode_KIND`).
    pub const fn char_size(self) -> u64 {
        match self {
            StrKind::Ascii | StrKind::Latin1 => 1,
            StrKind::Ucs2 => 2,
            StrKind::Ucs4 => 4,
        }
    }
}

/// An object whose memory we can describe. Sizes are for a freshly created
/// object made the usual way (see each variant); whether a value is a cached
/// singleton that is never allocated is [`crate::statics`]'s business.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// `object()`: a bare `PyObject`, not GC.
    Object,
    /// An `int` with `digits` 30-bit digits (0 for zero; see [`int_digits`]),
    /// made by `PyLong_FromLong`/`PyLong_FromLongLong` (arithmetic on small
    /// operands, `len()`, `range` iteration, ...). In 3.11+ a one-digit value
    /// goes through `_PyLong_FromMedium`, which allocates
    /// `sizeof(PyLongObject)` = 32 bytes although `getsizeof` says 28.
    Int {
        /// Number of 30-bit digits, `Py_ABS(Py_SIZE(v))` (the `ob_digit` array length).
        digits: u64,
    },
    /// An `int` made by `_PyLong_New(allocated_digits)` and normalized down
    /// to `digits` (big-int arithmetic over-allocates: `a * b` asks for
    /// `size(a) + size(b)` digits, `int.from_bytes` for `ceil(8·nbytes/30)`).
    IntRaw {
        /// Digits left after `long_normalize` (what `getsizeof` counts).
        digits: u64,
        /// Digits `_PyLong_New` allocated room for.
        allocated_digits: u64,
    },
    /// `float`.
    Float,
    /// `complex`.
    Complex,
    /// A compact `str` of `len` code points (no cached UTF-8 copy).
    Str {
        /// Storage kind, from the largest code point.
        kind: StrKind,
        /// Length in code points (`PyUnicode_GET_LENGTH`).
        len: u64,
    },
    /// `bytes` of `len` bytes.
    Bytes {
        /// Length in bytes (`ob_size`; the trailing NUL is extra).
        len: u64,
    },
    /// `bytearray` whose buffer holds `alloc` bytes (`ob_alloc`; 0 = no buffer).
    /// `bytearray(b)` allocates `len(b) + 1`.
    ByteArray {
        /// Size of the `ob_bytes` buffer (`ob_alloc`).
        alloc: u64,
    },
    /// `tuple` of `len` items (`()` is a static singleton).
    Tuple {
        /// Number of items (`ob_size`).
        len: u64,
    },
    /// `list`.
    List(ListState),
    /// `dict` (combined or split).
    Dict(DictState),
    /// `set`.
    Set(SetState),
    /// `frozenset`.
    FrozenSet(SetState),
    /// An instance of a Python class (see [`InstanceShape`]).
    Instance(InstanceShape),
    /// A Python function (`def`, `lambda`).
    Function,
    /// A closure cell.
    Cell,
    /// A bound Python method (`obj.method`, `PyMethodObject`).
    Method,
    /// A bound built-in method or built-in function (`[].append`, `len`: `PyCFunctionObject`).
    BuiltinMethod,
    /// `weakref.ref(obj)`.
    WeakRef,
    /// `slice(a, b)`.
    Slice,
    /// `range(...)`.
    Range,
    /// A module object (its `__dict__` is a separate dict).
    Module,
    /// `property(...)`.
    Property,
    /// `staticmethod(f)` / `classmethod(f)`.
    StaticMethod,
    /// A generator object. `frame_slots` = `co_nlocalsplus + co_stacksize` of
    /// its code; from 3.11 the frame is embedded in the generator, before that
    /// it is a separate frame object ([`Shape::Frame`]) and `frame_slots` is unused.
    Generator {
        /// `co_nlocalsplus + co_stacksize` of the generator's code (used from 3.11).
        frame_slots: u64,
    },
    /// A frame object with `slots` = `co_nlocals + ncells + nfrees + co_stacksize`.
    /// Only 3.8–3.10 allocate one per call; 3.11+ create them lazily and the
    /// request size is not modelled (the getsizeof is).
    Frame {
        /// Local, cell, free-variable and value-stack slots (`f_localsplus`).
        slots: u64,
    },
    /// A heap type (`class C: ...`): the type object allocated with room for
    /// `slots` member descriptors, plus its shared instance keys if any.
    Type {
        /// `__slots__` member descriptors (`nslots`): one `PyMemberDef` each.
        slots: u64,
        /// The shared instance keys (`ht_cached_keys`), if the class has them.
        cached_keys: Option<DictKeys>,
    },
    /// Anything else: `basicsize + itemsize·nitems` (rounded up to 8) and a GC header if `gc`.
    Generic {
        /// `tp_basicsize`.
        basicsize: u64,
        /// `tp_itemsize` (0 for a fixed-size type).
        itemsize: u64,
        /// Number of items (`ob_size`).
        nitems: u64,
        /// The type is GC-tracked (`Py_TPFLAGS_HAVE_GC`): a `PyGC_Head` precedes it.
        gc: bool,
    },
}

/// `_Py_SIZE_ROUND_UP(n, 8)`.
pub const fn round_up8(n: u64) -> u64 {
    (n + 7) & !7
}

/// `_PyObject_VAR_SIZE(tp, n)`: `basicsize + n·itemsize` rounded up to a pointer.
pub const fn var_size(basicsize: u64, itemsize: u64, nitems: u64) -> u64 {
    round_up8(basicsize + itemsize * nitems)
}

/// Number of 30-bit digits of `value` (`Py_ABS(Py_SIZE(v))`; 0 for zero).
pub fn int_digits(value: i128) -> u64 {
    int_digits_for_bits(128 - value.unsigned_abs().leading_zeros() as u64)
}

/// Number of 30-bit digits of an int whose absolute value has `bit_length` bits.
pub const fn int_digits_for_bits(bit_length: u64) -> u64 {
    bit_length.div_ceil(PYLONG_SHIFT as u64)
}

/// `offsetof(PyLongObject, ob_digit)`: 24 in every version (3.12 renamed the
/// size field `lv_tag`, same offset).
pub const LONG_HEADER: u64 = 24;

/// Bytes `_PyLong_New(ndigits)` asks for: 3.8–3.10 `offsetof(ob_digit) + 4·n`
/// (24 for n = 0); 3.11+ reserve at least one digit.
pub const fn long_new_request(v: Version, ndigits: u64) -> u64 {
    let n = if v.minor() >= 11 && ndigits == 0 {
        1
    } else {
        ndigits
    };
    LONG_HEADER + 4 * n
}

/// `int.__sizeof__` (+ nothing: int is not GC). 3.8–3.10: `24 + 4·|size|`
/// (so `0` is 24); 3.11+: at least one digit (`0` is 28).
pub const fn int_getsizeof(v: Version, digits: u64) -> u64 {
    long_new_request(v, digits)
}

/// `sizeof(PyASCIIObject)`: 48 up to 3.11, 40 from 3.12 (the `wstr` pointer went away).
pub const fn ascii_header(v: Version) -> u64 {
    if v.minor() >= 12 {
        40
    } else {
        48
    }
}

/// `sizeof(PyCompactUnicodeObject)`: 72 up to 3.11, 56 from 3.12 (no `wstr_length`).
pub const fn compact_header(v: Version) -> u64 {
    if v.minor() >= 12 {
        56
    } else {
        72
    }
}

/// Bytes `PyUnicode_New(len, maxchar)` requests for a compact string:
/// header + `(len + 1)·char_size` (the data keeps a NUL terminator).
/// Equals `sys.getsizeof` of the string while it has no cached UTF-8 copy.
pub const fn str_request(v: Version, kind: StrKind, len: u64) -> u64 {
    let header = match kind {
        StrKind::Ascii => ascii_header(v),
        _ => compact_header(v),
    };
    header + (len + 1) * kind.char_size()
}

/// `PyBytesObject_SIZE` = `offsetof(PyBytesObject, ob_sval) + 1` = 33.
pub const BYTES_HEADER: u64 = 33;

/// `PyDictObject` basicsize (all versions).
pub const DICT_BASICSIZE: u64 = 48;
/// `PyListObject` basicsize (all versions).
pub const LIST_BASICSIZE: u64 = 40;
/// `PySetObject` basicsize, including the 8-entry `smalltable` (all versions).
pub const SET_BASICSIZE: u64 = 200;
/// `PyTupleObject` basicsize (`PyVarObject`), items 8 bytes each, up to 3.13.
pub const TUPLE_BASICSIZE: u64 = 24;

/// `PyTupleObject` basicsize in `v`: 3.14 caches the hash (`Py_hash_t
/// ob_hash` after the header, gh-131525; from source, not run).
pub const fn tuple_basicsize(v: Version) -> u64 {
    if v.minor() >= 14 {
        TUPLE_BASICSIZE + 8
    } else {
        TUPLE_BASICSIZE
    }
}
/// `PyByteArrayObject` basicsize.
pub const BYTEARRAY_BASICSIZE: u64 = 56;

/// `PyFunctionObject` basicsize: 120 (3.8/3.9), 128 (3.10: `func_builtins`),
/// 136 (3.11: `func_version`), 144 (3.12/3.13: `func_typeparams`), 152
/// (3.14: `func_annotate`, PEP 649; from `Include/cpython/funcobject.h`,
/// not run).
pub const fn function_basicsize(v: Version) -> u64 {
    match v.minor() {
        8 | 9 => 120,
        10 => 128,
        11 => 136,
        12 | 13 => 144,
        _ => 152,
    }
}

/// `PyWeakReference` basicsize: 56 up to 3.10, 64 from 3.11 (`vectorcall`).
pub const fn weakref_basicsize(v: Version) -> u64 {
    if v.minor() >= 11 {
        64
    } else {
        56
    }
}

/// `propertyobject` basicsize: 56 up to 3.9, 64 from 3.10 (`prop_name`).
pub const fn property_basicsize(v: Version) -> u64 {
    if v.minor() >= 10 {
        64
    } else {
        56
    }
}

/// Generator object basicsize: `PyGenObject` 96 (3.8/3.9), 88 (3.10), and from
/// 3.11 `offsetof(gi_iframe) + offsetof(_PyInterpreterFrame, localsplus)`:
/// 152 (3.11), 144 (3.12/3.13), with 8-byte items for the embedded frame's slots.
pub const fn generator_basicsize(v: Version) -> u64 {
    match v.minor() {
        8 | 9 => 96,
        10 => 88,
        11 => 152,
        _ => 144,
    }
}

/// Frame object basicsize (`PyFrame_Type.tp_basicsize`), items 8 bytes:
/// 368 (3.8/3.9, includes `f_localsplus[1]` and the 20-entry block stack),
/// 360 (3.10), 120 (3.11/3.12), 136 (3.13).
pub const fn frame_basicsize(v: Version) -> u64 {
    match v.minor() {
        8 | 9 => 368,
        10 => 360,
        11 | 12 => 120,
        _ => 136,
    }
}

/// `sizeof(PyHeapTypeObject)`: 880 (3.8/3.9), 888 (3.10), 904 (3.11),
/// 920 (3.12), 928 (3.13).
pub const fn heap_type_basicsize(v: Version) -> u64 {
    match v.minor() {
        8 | 9 => 880,
        10 => 888,
        11 => 904,
        12 => 920,
        _ => 928,
    }
}

/// `sizeof(PyMemberDef)`: the item size of `type` (one per `__slots__` member).
pub const MEMBERDEF_SIZE: u64 = 40;

/// `(basicsize, itemsize, nitems, gc)` of the fixed-layout kinds.
fn fixed_layout(v: Version, shape: &Shape) -> Option<(u64, u64, u64, bool)> {
    Some(match *shape {
        Shape::Object => (PYOBJECT_HEAD, 0, 0, false),
        Shape::Float => (24, 0, 0, false),
        Shape::Complex => (32, 0, 0, false),
        Shape::Tuple { len } => (tuple_basicsize(v), PTR, len, true),
        Shape::Function => (function_basicsize(v), 0, 0, true),
        Shape::Cell => (24, 0, 0, true),
        Shape::Method => (48, 0, 0, true),
        Shape::BuiltinMethod => (56, 0, 0, true),
        Shape::WeakRef => (weakref_basicsize(v), 0, 0, true),
        Shape::Slice => (40, 0, 0, true),
        Shape::Range => (48, 0, 0, false),
        Shape::Module => (56, 0, 0, true),
        Shape::Property => (property_basicsize(v), 0, 0, true),
        Shape::StaticMethod => (32, 0, 0, true),
        Shape::Generic {
            basicsize,
            itemsize,
            nitems,
            gc,
        } => (basicsize, itemsize, nitems, gc),
        _ => return None,
    })
}

fn gc_head(gc: bool) -> u64 {
    if gc {
        GC_HEAD
    } else {
        0
    }
}

/// The memory footprint of `shape` in version `v`: every request it owns and
/// its `sys.getsizeof`.
pub fn footprint(v: Version, shape: &Shape) -> Footprint {
    if let Some((basic, item, n, gc)) = fixed_layout(v, shape) {
        let size = gc_head(gc) + var_size(basic, item, n);
        return Footprint {
            getsizeof: size,
            requests: vec![Request::object(size)],
        };
    }
    match shape {
        Shape::Int { digits } => {
            // PyLong_FromLong: 3.11+ `_PyLong_FromMedium` for |v| < 2**30
            // allocates sizeof(PyLongObject) = 32 (Objects/longobject.c).
            let req = if v.minor() >= 11 && *digits <= 1 {
                32
            } else {
                long_new_request(v, *digits)
            };
            Footprint {
                getsizeof: int_getsizeof(v, *digits),
                requests: vec![Request::object(req)],
            }
        }
        Shape::IntRaw {
            digits,
            allocated_digits,
        } => Footprint {
            getsizeof: int_getsizeof(v, *digits),
            requests: vec![Request::object(long_new_request(v, *allocated_digits))],
        },
        Shape::Str { kind, len } => {
            let size = str_request(v, *kind, *len);
            Footprint {
                getsizeof: size,
                requests: vec![Request::object(size)],
            }
        }
        Shape::Bytes { len } => {
            let size = BYTES_HEADER + len;
            Footprint {
                getsizeof: size,
                requests: vec![Request::object(size)],
            }
        }
        Shape::ByteArray { alloc } => {
            // bytearray.__sizeof__ = basicsize + ob_alloc; buffer via PyObject_Malloc.
            let mut requests = vec![Request::object(BYTEARRAY_BASICSIZE)];
            if *alloc > 0 {
                requests.push(Request {
                    part: Part::ByteBuffer,
                    bytes: *alloc,
                    domain: Domain::Object,
                });
            }
            Footprint {
                getsizeof: BYTEARRAY_BASICSIZE + alloc,
                requests,
            }
        }
        Shape::List(l) => l.footprint(),
        Shape::Dict(d) => d.footprint(v),
        Shape::Set(s) | Shape::FrozenSet(s) => s.footprint(),
        Shape::Instance(i) => i.footprint(v),
        Shape::Generator { frame_slots } => {
            let basic = generator_basicsize(v);
            let size = if v.minor() >= 11 {
                // make_gen: PyObject_GC_NewVar(PyGenObject, type, slots); gen_sizeof adds the same.
                GC_HEAD + var_size(basic, PTR, *frame_slots)
            } else {
                GC_HEAD + basic
            };
            Footprint {
                getsizeof: size,
                requests: vec![Request::object(size)],
            }
        }
        Shape::Frame { slots } => {
            let basic = frame_basicsize(v);
            if v.minor() <= 10 {
                // PyFrame_Type has basicsize sizeof(PyFrameObject) *including*
                // f_localsplus[1] and itemsize 8, so _PyObject_VAR_SIZE counts
                // one slot twice; frame_sizeof subtracts it again.
                let request = GC_HEAD + var_size(basic, PTR, *slots);
                Footprint {
                    getsizeof: request - PTR,
                    requests: vec![Request::object(request)],
                }
            } else {
                // frame_sizeof (3.11+): basicsize + 8·(co_nlocalsplus + co_stacksize).
                let size = GC_HEAD + var_size(basic, PTR, *slots);
                Footprint {
                    getsizeof: size,
                    requests: vec![Request::object(size)],
                }
            }
        }
        Shape::Type { slots, cached_keys } => {
            // type_new -> PyType_GenericAlloc(metatype, nslots): one extra
            // item for the sentinel. type.__sizeof__ = sizeof(PyHeapTypeObject)
            // + the cached keys (Objects/typeobject.c type___sizeof___impl).
            let basic = heap_type_basicsize(v);
            let mut requests = vec![Request::object(
                GC_HEAD + var_size(basic, MEMBERDEF_SIZE, slots + 1),
            )];
            let mut getsizeof = GC_HEAD + basic;
            if let Some(k) = cached_keys {
                let ks = dict::keys_size(v, k.log2_size, k.kind);
                getsizeof += ks;
                requests.push(Request {
                    part: Part::SharedKeys,
                    bytes: ks,
                    domain: dict::keys_domain(v),
                });
            }
            Footprint {
                getsizeof,
                requests,
            }
        }
        _ => unreachable!("fixed layouts handled above"),
    }
}

/// Convenience: `sys.getsizeof` of `shape`.
pub fn getsizeof(v: Version, shape: &Shape) -> u64 {
    footprint(v, shape).getsizeof
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_digit_counts() {
        assert_eq!(int_digits(0), 0);
        assert_eq!(int_digits(1), 1);
        assert_eq!(int_digits(-1), 1);
        assert_eq!(int_digits((1 << 30) - 1), 1);
        assert_eq!(int_digits(1 << 30), 2);
        assert_eq!(int_digits(1 << 60), 3);
        assert_eq!(int_digits(i128::MIN), 5);
    }

    #[test]
    fn scalar_sizes_first_principles() {
        for v in Version::VERIFIED {
            assert_eq!(getsizeof(v, &Shape::Int { digits: 1 }), 28);
            assert_eq!(getsizeof(v, &Shape::Int { digits: 2 }), 32);
            assert_eq!(getsizeof(v, &Shape::Float), 24);
            assert_eq!(getsizeof(v, &Shape::Bytes { len: 3 }), 36);
            assert_eq!(getsizeof(v, &Shape::Tuple { len: 2 }), 56);
            assert_eq!(getsizeof(v, &Shape::Object), 16);
        }
        assert_eq!(getsizeof(Version::V3_10, &Shape::Int { digits: 0 }), 24);
        assert_eq!(getsizeof(Version::V3_11, &Shape::Int { digits: 0 }), 28);
        // 3.11+ medium ints are 28 by getsizeof but 32 by request.
        assert_eq!(
            footprint(Version::V3_11, &Shape::Int { digits: 1 }).requests[0].bytes,
            32
        );
        assert_eq!(
            footprint(Version::V3_10, &Shape::Int { digits: 1 }).requests[0].bytes,
            28
        );
        let abc = Shape::Str {
            kind: StrKind::Ascii,
            len: 3,
        };
        assert_eq!(getsizeof(Version::V3_11, &abc), 52);
        assert_eq!(getsizeof(Version::V3_12, &abc), 44);
        assert_eq!(
            getsizeof(
                Version::V3_11,
                &Shape::Str {
                    kind: StrKind::Ucs4,
                    len: 1
                }
            ),
            80
        );
        assert_eq!(
            getsizeof(
                Version::V3_12,
                &Shape::Str {
                    kind: StrKind::Ucs2,
                    len: 1
                }
            ),
            60
        );
    }

    #[test]
    fn str_kind_selection() {
        assert_eq!(StrKind::of(""), StrKind::Ascii);
        assert_eq!(StrKind::of("abc"), StrKind::Ascii);
        assert_eq!(StrKind::of("é"), StrKind::Latin1);
        assert_eq!(StrKind::of("€"), StrKind::Ucs2);
        assert_eq!(StrKind::of("😀"), StrKind::Ucs4);
    }

    #[test]
    fn frames_count_one_slot_twice_before_311() {
        // 3.8: frame alloc 16 + 368 + 8·extras, getsizeof 8 less.
        let f = footprint(Version::V3_8, &Shape::Frame { slots: 9 });
        assert_eq!(f.requests[0].bytes, 456);
        assert_eq!(f.getsizeof, 448);
    }

    #[test]
    fn heap_type_sizes() {
        // class C: pass in 3.8: object 16+880+40, cached keys 8 slots (168 B).
        let k = DictKeys::new(Version::V3_8, 3, KeysKind::Split);
        let t = footprint(
            Version::V3_8,
            &Shape::Type {
                slots: 0,
                cached_keys: Some(k),
            },
        );
        assert_eq!(t.requests[0].bytes, 936);
        assert_eq!(t.getsizeof, 1064);
    }
}
