//! Python objects in the model: typed handles, reference counts, the exact
//! allocations each object owns, free lists, and deallocation in CPython's
//! order.
//!
//! Every object lives in one slab and is named by an [`ObjRef`]. An object
//! owns the allocator blocks its layout requests ([`crate::layout`]), the
//! object's own block first. When its count drops to zero it is deallocated
//! as its C `tp_dealloc` does it: a tuple or list drops its items from the
//! last to the first, a list frees its item array, and the object's block
//! goes on its type's free list when there is room (the block stays
//! allocated, which is why `id()` of the next float can equal a dead one's)
//! or back to the allocator.
//!
//! Cached objects (`None`, `True`, small ints, `()`, `''`, one-character
//! strs …) exist from the start and are never deallocated. How their counts
//! show depends on the version ([`crate::statics::RefcountModel`]): counted
//! normally up to 3.10, counted from a static base of 999,999,999 in 3.11,
//! immortal (a fixed 4,294,967,295) from 3.12.
//!
//! The interpreter that drives this (issue 3) builds on these operations;
//! until then they are tested on their own.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

use num_bigint::BigInt;
use num_traits::ToPrimitive;

use crate::freelist::{FreeListKind, TUPLE_MAXSAVESIZE};
use crate::gc::GcState;
use crate::heap::Heap;
use crate::layout::{
    footprint, int_digits_for_bits, DictState, ListState, Request, Shape, StrKind,
};
use crate::obmalloc::{AllocError, Ptr};
use crate::statics::{self, RefcountModel, Singleton, Storage};
use crate::tracemalloc::{LineStat, Tracemalloc};
use crate::version::{size_class, Version};

mod gc;
mod incremental;
mod instance;
mod set;

pub use gc::{weakref_basicsize, GcCandidate, GcPhase, GcRun};
pub use incremental::GcRoots;
pub use instance::{ClassObj, InstanceObj, Stored};
pub use set::{SetTable, Slot};

/// Which iterator an [`Adapter`] is.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum AdapterKind {
    /// `enumerate(it)`: `src` is the iterator, `index` the count.
    Enumerate,
    /// `zip(...)`: `src` is the tuple of iterators.
    Zip,
    /// `map(func, ...)`: `src` is the tuple of iterators.
    Map,
    /// `filter(func, it)`: `func` is `None` for `filter(None, it)`.
    Filter,
    /// `reversed(list)` (`list_reverseiterator`): `index` counts down.
    ListReversed,
    /// `reversed(seq)` of a tuple or str (`reversed`): `index` counts down.
    Reversed,
}

impl AdapterKind {
    /// The type's name.
    pub const fn type_name(self) -> &'static str {
        match self {
            AdapterKind::Enumerate => "enumerate",
            AdapterKind::Zip => "zip",
            AdapterKind::Map => "map",
            AdapterKind::Filter => "filter",
            AdapterKind::ListReversed => "list_reverseiterator",
            AdapterKind::Reversed => "reversed",
        }
    }

    /// `tp_basicsize` in `v` (all are GC types).
    pub const fn basicsize(self, v: Version) -> u64 {
        match self {
            // 3.11 added `one` (a cached 1 for the long-index path).
            AdapterKind::Enumerate if v.minor() >= 11 => 56,
            AdapterKind::Enumerate => 48,
            // 3.10 added `strict`.
            AdapterKind::Zip if v.minor() >= 10 => 48,
            AdapterKind::Zip => 40,
            _ => 32,
        }
    }

    const fn dealloc(self) -> &'static str {
        match self {
            AdapterKind::Enumerate => "enum_dealloc",
            AdapterKind::Zip => "zip_dealloc",
            AdapterKind::Map => "map_dealloc",
            AdapterKind::Filter => "filter_dealloc",
            AdapterKind::ListReversed => "listreviter_dealloc",
            AdapterKind::Reversed => "reversed_dealloc",
        }
    }
}

/// The state of an [`AdapterKind`] iterator.
#[derive(Clone, Debug, PartialEq)]
pub struct Adapter {
    /// Which one.
    pub kind: AdapterKind,
    /// The underlying iterator, tuple of iterators or sequence (owned);
    /// `None` once a reversed iterator is exhausted.
    pub src: Option<ObjRef>,
    /// The function of `map`/`filter` (owned).
    pub func: Option<ObjRef>,
    /// The result tuple `enumerate` and `zip` reuse while nobody else holds it (owned).
    pub result: Option<ObjRef>,
    /// `enumerate`'s next index, or a reversed iterator's next position.
    pub index: i64,
}

impl Adapter {
    /// The references its dealloc drops, in order.
    fn children(&self) -> Vec<ObjRef> {
        match self.kind {
            AdapterKind::Filter => self.func.iter().chain(&self.src).copied().collect(),
            _ => self
                .src
                .iter()
                .chain(&self.result)
                .chain(&self.func)
                .copied()
                .collect(),
        }
    }
}

/// A handle to an object in the [`Objects`] slab.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct ObjRef(pub u32);

impl fmt::Display for ObjRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "obj#{}", self.0)
    }
}

/// An object's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// `None`.
    None,
    /// `True` or `False`.
    Bool(bool),
    /// `...`.
    Ellipsis,
    /// An `int` of any size.
    Int(BigInt),
    /// A `float`.
    Float(f64),
    /// A `complex`: its real and imaginary parts.
    Complex(f64, f64),
    /// A `str`.
    Str(Rc<str>),
    /// A `bytes`.
    Bytes(Rc<[u8]>),
    /// A `tuple`: owned references to its items.
    Tuple(Vec<ObjRef>),
    /// A `list`: owned references to its items, and the item array's state.
    List {
        /// The items (`ob_item[0..ob_size]`).
        items: Vec<ObjRef>,
        /// Size and capacity (`allocated`) of the item array.
        state: ListState,
    },
    /// A `dict`: owned key and value references in insertion order, and
    /// its table state.
    Dict {
        /// The items, in insertion order.
        entries: Vec<(ObjRef, ObjRef)>,
        /// Size, keys object and values of the table.
        state: DictState,
    },
    /// A `set` or `frozenset`: its hash table of owned keys.
    Set {
        /// The table, slot for slot.
        table: SetTable,
        /// True for a `frozenset`.
        frozen: bool,
    },
    /// A module object (only `sys` so far), named.
    Module(Rc<str>),
    /// A built-in function or method object (`print`, `sys.getsizeof`).
    Builtin(&'static str),
    /// A `range`.
    Range {
        /// `start`.
        start: i64,
        /// `stop`.
        stop: i64,
        /// `step` (never 0).
        step: i64,
    },
    /// A `range` whose bounds or length do not fit a C long (`range(10**30)`):
    /// start, stop and step. Only its size, repr and truth are modelled;
    /// iterating it (`longrangeiter`) and indexing it are refused.
    BigRange(Rc<[BigInt; 3]>),
    /// A `range_iterator`: the next value, the step and how many are left.
    RangeIter {
        /// The next value produced.
        next: i64,
        /// `step`.
        step: i64,
        /// Values left.
        left: u64,
    },
    /// A Python function: its code (an index into the interpreter's code
    /// table), its name, and its defaults tuple (owned), if any.
    Function {
        /// Index of the function's code in the interpreter's table.
        code: u32,
        /// `__name__`.
        name: Rc<str>,
        /// `__defaults__`, an owned reference to a tuple.
        defaults: Option<ObjRef>,
        /// `__closure__`: an owned reference to a tuple of cells, one per
        /// free variable of the code (`co_freevars` order).
        closure: Option<ObjRef>,
    },
    /// A closure cell (`PyCellObject`): the variable's value (owned), if bound.
    Cell(Option<ObjRef>),
    /// A method of a built-in type bound to an object: `[].append` (a
    /// `builtin_function_or_method`, `PyCFunctionObject`) or, for a slot
    /// such as `object.__init__`, a `method-wrapper`.
    BoundBuiltin {
        /// The method's name.
        name: Rc<str>,
        /// `__self__` (owned).
        self_: ObjRef,
        /// True for a `method-wrapper`.
        wrapper: bool,
    },
    /// A built-in type object (`int`, `ValueError`, …), by name.
    Type(&'static str),
    /// A bare `object()`.
    Object,
    /// An instance of a built-in exception type.
    Exception {
        /// The exception type's name.
        kind: &'static str,
        /// `args`: an owned reference to a tuple.
        args: ObjRef,
        /// What the traceback keeps alive: the locals of the frames the
        /// exception left (owned). The model keeps them here instead of
        /// allocating traceback and frame objects.
        held: Vec<ObjRef>,
        /// `__context__`: the exception being handled when this one was
        /// raised (owned), if any.
        context: Option<ObjRef>,
    },
    /// A class defined by the program (`class C: ...`).
    Class(Box<ClassObj>),
    /// An instance of a class defined by the program.
    Instance(Box<InstanceObj>),
    /// A bound method (`PyMethodObject`): owned references to the function
    /// and to `self`.
    Method {
        /// `__func__`.
        func: ObjRef,
        /// `__self__`.
        self_: ObjRef,
    },
    /// An iterator built on other iterators: `enumerate`, `zip`, `map`,
    /// `filter` or `reversed`.
    Adapter(Box<Adapter>),
    /// A list, tuple or str iterator: an owned reference to the sequence and
    /// the next index.
    SeqIter {
        /// The sequence iterated; `None` once exhausted (`it_seq = NULL`:
        /// an exhausted iterator lets go of its sequence).
        seq: Option<ObjRef>,
        /// Index of the next item.
        index: usize,
        /// The iterator's type name (`list_iterator`, `str_ascii_iterator`, …).
        kind: &'static str,
        /// A dict's size when iteration began (`di_used`).
        used: usize,
        /// A dict item iterator's result tuple (`di_result`), refilled in
        /// place while only the iterator holds it (owned).
        result: Option<ObjRef>,
    },
    /// `d.keys()`, `d.values()` or `d.items()`: a view holding the dict.
    DictView {
        /// The dict (owned).
        dict: ObjRef,
        /// `dict_keys`, `dict_values` or `dict_items`.
        kind: &'static str,
    },
    /// An object a library module's Python code makes (tracemalloc's
    /// `Statistic`, `Traceback`, `Frame`): named attributes and indexable
    /// items. Its own memory is not modelled (it owns no block).
    Record(Box<Record>),
    /// A `tracemalloc.Snapshot`: the traces grouped by line when it was
    /// taken. Its memory is not modelled either.
    Snapshot(Rc<[LineStat]>),
    /// A generator object (`PyGenObject`), with its frame while it has one.
    Generator(Box<GenObj>),
    /// A `weakref.ref`: its referent (not owned) while that is alive, and
    /// its callback (owned).
    WeakRef {
        /// The object referred to; `None` once it died.
        referent: Option<ObjRef>,
        /// The callback (`wr_callback`), until it is called or cleared.
        callback: Option<ObjRef>,
    },
}

/// See [`Payload::Generator`]. Up to 3.10 the frame is a separate frame
/// object the generator holds (its memory is the interpreter's frame
/// bookkeeping); from 3.11 it is embedded in the generator object, which
/// is why the object's size depends on the code (`co_framesize`).
#[derive(Clone, Debug, PartialEq)]
pub struct GenObj {
    /// Index of the code in the interpreter's table.
    pub code: u32,
    /// `__qualname__` (what its repr shows).
    pub qualname: Rc<str>,
    /// 3.11+: the function the embedded frame keeps alive (`f_func`,
    /// owned), until the frame is cleared.
    pub func: Option<ObjRef>,
    /// The frame's local slots (owned); empty once the frame is gone.
    pub slots: Vec<Option<ObjRef>>,
    /// Where a suspended frame stopped, innermost first.
    pub points: Vec<GenPoint>,
    /// Where the generator is in its life.
    pub state: GenState,
    /// 3.8–3.10: the frame object it holds until it finishes (`gi_frame`);
    /// the inner `None` when the frame's size is not modelled.
    pub frame: Option<Option<FrameMem>>,
}

/// A 3.8–3.10 frame object's memory: its block and its `ob_size` (the
/// slots for the value stack, locals, cells and free variables it has room
/// for, which a frame reused from the free list may exceed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameMem {
    /// The frame's block.
    pub ptr: Ptr,
    /// `ob_size`.
    pub items: u32,
}

/// One level of a suspended generator's position (see [`GenObj::points`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GenPoint {
    /// The index of the statement it stopped in, within its block.
    Stmt(usize),
    /// Inside a `for` loop: the loop's iterator, on the frame's value stack
    /// (owned).
    For(ObjRef),
    /// Inside a `while` loop.
    While,
    /// Inside an `if`, in its body (`true`) or its `else`.
    If(bool),
}

/// `gi_frame_state`, simplified.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenState {
    /// Made, not started.
    Created,
    /// Stopped at a `yield`.
    Suspended,
    /// Running (a `next()` inside itself raises ValueError).
    Running,
    /// Returned or raised: the frame is gone.
    Finished,
}

/// See [`Payload::Record`].
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// `type(x).__name__`.
    pub type_name: &'static str,
    /// Attributes (owned references).
    pub attrs: Vec<(&'static str, ObjRef)>,
    /// Items for `x[i]` and `len(x)` (owned references).
    pub items: Vec<ObjRef>,
}

impl Payload {
    /// The Python type name (`type(x).__name__`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Payload::None => "NoneType",
            Payload::Bool(_) => "bool",
            Payload::Ellipsis => "ellipsis",
            Payload::Int(_) => "int",
            Payload::Float(_) => "float",
            Payload::Complex(..) => "complex",
            Payload::Str(_) => "str",
            Payload::Bytes(_) => "bytes",
            Payload::Tuple(_) => "tuple",
            Payload::List { .. } => "list",
            Payload::Dict { .. } => "dict",
            Payload::Set { frozen: false, .. } => "set",
            Payload::Set { frozen: true, .. } => "frozenset",
            Payload::Module(_) => "module",
            Payload::Builtin(_) => "builtin_function_or_method",
            Payload::Range { .. } | Payload::BigRange(_) => "range",
            Payload::RangeIter { .. } => "range_iterator",
            Payload::SeqIter { kind, .. } => kind,
            Payload::Function { .. } => "function",
            Payload::Cell(_) => "cell",
            Payload::BoundBuiltin { wrapper: true, .. } => "method-wrapper",
            Payload::BoundBuiltin { .. } => "builtin_function_or_method",
            Payload::Type(_) => "type",
            Payload::Object => "object",
            Payload::Exception { kind, .. } => kind,
            Payload::Class(_) => "type",
            // The class's name is in the class object: see Objects::type_name.
            Payload::Instance(_) => "object",
            Payload::Method { .. } => "method",
            Payload::Adapter(a) => a.kind.type_name(),
            Payload::DictView { kind, .. } => kind,
            Payload::Record(r) => r.type_name,
            Payload::Snapshot(_) => "Snapshot",
            Payload::Generator(_) => "generator",
            Payload::WeakRef { .. } => "ReferenceType",
        }
    }
}

/// One object.
#[derive(Clone, Debug)]
pub struct Object {
    /// Its value.
    pub payload: Payload,
    /// `ob_refcnt` as the model counts it: references held. For a cached
    /// object this is the references the program holds; what
    /// `sys.getrefcount` shows is [`Objects::shown_refcount`].
    pub refcnt: u64,
    /// Set for cached objects, which are never deallocated.
    pub singleton: Option<Singleton>,
    /// The allocations the object owns, its own block first.
    pub blocks: Vec<(Request, Ptr)>,
    /// `sys.getsizeof` of the object now.
    pub getsizeof: u64,
    /// Made from a literal or a constant expression: in CPython such an
    /// object lives in a code object's `co_consts` (shared, folded, maybe
    /// interned), which the model does not reproduce yet.
    pub constant: bool,
    /// Interned by `sys.intern`: 3.12 makes such a str immortal; the other
    /// versions keep it mortal (the interned dict's references are not
    /// counted, and a dying str leaves the dict).
    pub interned: bool,
    /// Alive when a recorded run started ([`Objects::mark_startup`]):
    /// the interpreter's, not the program's.
    pub startup: bool,
}

/// Something the object layer did, for narration. Allocator events are
/// recorded by the allocator itself.
#[derive(Clone, Debug, PartialEq)]
pub enum ObjEvent {
    /// A new object was made (its blocks allocated or taken from a free list).
    New {
        /// The object.
        obj: ObjRef,
        /// The C function that made it.
        func: &'static str,
        /// True when its block came from a free list.
        reused: bool,
    },
    /// `Py_INCREF`.
    Incref {
        /// The object.
        obj: ObjRef,
        /// The count after.
        refcnt: u64,
    },
    /// `Py_DECREF`.
    Decref {
        /// The object.
        obj: ObjRef,
        /// The count after.
        refcnt: u64,
    },
    /// The count reached zero and the type's dealloc function ran.
    Dealloc {
        /// The object.
        obj: ObjRef,
        /// The C dealloc function (`float_dealloc`, `tupledealloc`, …).
        func: &'static str,
    },
    /// The object's block was kept on a free list instead of being freed.
    FreeListPush {
        /// Which free list.
        kind: FreeListKind,
    },
    /// A new object's block was taken from a free list.
    FreeListPop {
        /// Which free list.
        kind: FreeListKind,
    },
    /// A phase of a cyclic-GC collection, with every candidate's `gc_refs`
    /// and list after it.
    Gc {
        /// The phase.
        phase: GcPhase,
        /// The candidates.
        candidates: Vec<GcCandidate>,
    },
}

/// Why an object could not be made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObjError {
    /// The allocator refused (memory budget): Python's `MemoryError`.
    Memory(AllocError),
}

impl fmt::Display for ObjError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjError::Memory(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ObjError {}

impl From<AllocError> for ObjError {
    fn from(e: AllocError) -> Self {
        ObjError::Memory(e)
    }
}

/// The object slab, the heap it allocates from, and the memory parked on
/// free lists.
#[derive(Clone, Debug)]
pub struct Objects {
    /// The allocator and free-list counts.
    pub heap: Heap,
    slots: Vec<Option<Object>>,
    free_slots: Vec<u32>,
    singletons: HashMap<Singleton, ObjRef>,
    /// The object blocks kept on each free list, most recent last.
    parked: HashMap<FreeListKind, Vec<Ptr>>,
    /// `ob_size` of each frame parked on the 3.8–3.10 frame free list, in
    /// the order of `parked[Frame]`.
    frame_items: Vec<u32>,
    /// 3.8–3.10: each code's zombie frame (`co_zombieframe`), by code
    /// index; `None` inside when its size is not modelled.
    zombies: HashMap<u32, Option<FrameMem>>,
    events: Vec<ObjEvent>,
    recording: bool,
    /// Deallocations waiting for a finalizer to run (at most one at a time
    /// unless the interpreter leaves one unhandled).
    suspended: Vec<(Due, Suspended)>,
    /// `tracemalloc`'s traces of the blocks below.
    pub tracer: Tracemalloc,
    /// The line the running frame is at: what `tracemalloc` records for a
    /// block allocated now.
    pub line: u32,
    /// Startup-heap blocks already given to a model object (free-list
    /// entries, the module's dict).
    adopted: HashSet<Ptr>,
    /// The next object made comes from `type->tp_alloc` (see
    /// [`Objects::via_tp_alloc`]).
    tp_alloc: bool,
    /// Something a deallocation did that the model does not follow, for
    /// the interpreter to refuse at its next step.
    pub unmodelled: Option<&'static str>,
    /// The cyclic garbage collector's lists and counts.
    pub gc: GcState,
    /// Each object's weak references, in its list's order (not owned).
    weakrefs: HashMap<ObjRef, Vec<ObjRef>>,
    /// Check the collector's invariants after every collection (a
    /// `debug_stress_gc`-style switch for tests: it costs a heap scan).
    pub check_gc: bool,
    /// The first invariant a collection broke, when [`Objects::check_gc`] is on.
    pub gc_violation: Option<String>,
    /// While a program trace records: the fine events and the objects
    /// touched since the last step (see [`crate::program`]).
    pub(crate) log: Option<Box<crate::program::Log>>,
}

/// The number of values of `range(start, stop, step)` (`get_len_of_range`).
pub fn range_len(start: i64, stop: i64, step: i64) -> u64 {
    let (start, stop, step) = (start as i128, stop as i128, step as i128);
    let n = if step > 0 && start < stop {
        (stop - start - 1) / step + 1
    } else if step < 0 && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    };
    n as u64
}

/// The length of a range of arbitrary ints (`compute_range_length`).
pub fn big_range_len(start: &BigInt, stop: &BigInt, step: &BigInt) -> BigInt {
    let zero = BigInt::from(0);
    if step > &zero && start < stop {
        (stop - start - 1) / step + 1
    } else if step < &zero && start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        zero
    }
}

/// Bytes of the keys tables the keys free list holds: 8 slots, unicode
/// from 3.11 (`new_keys_object(PyDict_LOG_MINSIZE, unicode=1)`).
fn min_keys_bytes(v: Version) -> u64 {
    use crate::layout::dict::{keys_size, KeysKind, LOG_MINSIZE};
    let kind = if v.minor() >= 11 {
        KeysKind::Unicode
    } else {
        KeysKind::General
    };
    keys_size(v, LOG_MINSIZE, kind)
}

/// The rest of a cascade of deallocations, stopped to run a finalizer.
#[derive(Clone, Debug)]
pub struct Suspended {
    work: Vec<Work>,
}

/// Python code a deallocation needs run before it can go on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Due {
    /// The object's `__del__` (`PyObject_CallFinalizerFromDealloc`): it is
    /// alive again with one reference, which the caller drops afterwards.
    Finalizer(ObjRef),
    /// Weakref callbacks (`PyObject_ClearWeakRefs`): call each
    /// `callback(weakref)`, then drop both references.
    Callbacks(Vec<(ObjRef, ObjRef)>),
}

/// A step of an iterative dealloc.
#[derive(Clone, Debug)]
enum Work {
    /// Drop one reference.
    Dec(ObjRef),
    /// A 3.8–3.10 generator's frame object ends (`frame_dealloc`).
    Frame(u32, Option<FrameMem>),
    /// Deallocate an object whose count is zero (its weakrefs cleared).
    Dealloc(ObjRef),
    /// Release a deallocated object's blocks (its free list, if any); the
    /// flag says it is a GC object (`PyObject_GC_Del` counts it).
    Finish(Option<FreeListKind>, Vec<(Request, Ptr)>, bool),
}

/// True for the types CPython tracks for the cyclic GC (`Py_TPFLAGS_HAVE_GC`):
/// their block starts with a `PyGC_Head`.
pub fn is_gc(payload: &Payload) -> bool {
    matches!(
        payload,
        Payload::Tuple(_)
            | Payload::List { .. }
            | Payload::Dict { .. }
            | Payload::Set { .. }
            | Payload::Function { .. }
            | Payload::Cell(_)
            | Payload::BoundBuiltin { .. }
            | Payload::SeqIter { .. }
            | Payload::Exception { .. }
            | Payload::Module(_)
            | Payload::Builtin(_)
            | Payload::Class(_)
            | Payload::Instance(_)
            | Payload::Method { .. }
            | Payload::Adapter(_)
            | Payload::DictView { .. }
            | Payload::Generator(_)
            | Payload::WeakRef { .. }
    )
}

/// What an exception holds, in `BaseException_clear`'s order (which is
/// also `BaseException_traverse`'s): args, the traceback, the context.
fn exception_refs(p: &Payload) -> Vec<ObjRef> {
    match p {
        Payload::Exception {
            args,
            held,
            context,
            ..
        } => std::iter::once(*args)
            .chain(held.iter().copied())
            .chain(*context)
            .collect(),
        _ => Vec::new(),
    }
}

/// The free list an object's block goes to, if its type has one.
fn free_list_of(payload: &Payload) -> Option<FreeListKind> {
    match payload {
        Payload::Float(_) => Some(FreeListKind::Float),
        Payload::List { .. } => Some(FreeListKind::List),
        Payload::Dict { .. } => Some(FreeListKind::Dict),
        Payload::Method { .. } => Some(FreeListKind::Method),
        Payload::Builtin(_) | Payload::BoundBuiltin { wrapper: false, .. } => {
            Some(FreeListKind::CFunction)
        }
        Payload::Tuple(items) if (1..=TUPLE_MAXSAVESIZE as usize).contains(&items.len()) => {
            Some(FreeListKind::Tuple(items.len() as u8))
        }
        _ => None,
    }
}

impl Objects {
    /// True when some live object's payload satisfies `pred`.
    pub fn any(&self, pred: impl Fn(&Payload) -> bool) -> bool {
        self.slots.iter().flatten().any(|o| pred(&o.payload))
    }

    /// The objects of a freshly started interpreter: the startup heap, its
    /// free lists (each entry holding one of the startup heap's blocks of the
    /// right size class), and the cached objects.
    pub fn startup(version: Version) -> Objects {
        Objects::startup_with(version, crate::baseline::Startup::Bare)
    }

    /// [`Objects::startup`] for a program that has imported `startup`'s
    /// modules.
    pub fn startup_with(version: Version, startup: crate::baseline::Startup) -> Objects {
        let mut heap = Heap::startup_with(version, startup);
        let mut parked: HashMap<FreeListKind, Vec<Ptr>> = HashMap::new();
        let mut claimed: HashSet<Ptr> = HashSet::new();
        let mut frame_items = Vec::new();
        let specs: Vec<(crate::freelist::FreeListSpec, u32)> = heap.free_lists.iter().collect();
        for (spec, count) in specs {
            if spec.kind == FreeListKind::Frame {
                // Each free frame in the block of its own size (measured,
                // see startup_frame_items), bottom of the list first.
                let sizes = crate::baseline::startup_frame_items(version, startup);
                let mut mine = Vec::new();
                for i in (0..count as usize).rev() {
                    let items = sizes.get(i).copied().unwrap_or(0);
                    let bytes =
                        crate::layout::GC_HEAD + u64::from(spec.object_size) + 8 * u64::from(items);
                    let p = if bytes > 512 {
                        heap.alloc.malloc(bytes).ok()
                    } else {
                        heap.alloc
                            .allocated_blocks(size_class(bytes as u32))
                            .into_iter()
                            .map(Ptr::Block)
                            .find(|p| !claimed.contains(p))
                    };
                    if let Some(p) = p {
                        claimed.insert(p);
                        mine.push(p);
                        frame_items.push(items);
                    }
                }
                parked.insert(spec.kind, mine);
                continue;
            }
            // The free-listed object's request: its C struct plus the GC
            // header for the GC types (every type with a free list but float).
            let gc = if matches!(spec.kind, FreeListKind::Float) {
                0
            } else {
                crate::layout::GC_HEAD
            };
            let bytes = match spec.kind {
                // A free keys table keeps its whole block (8 slots).
                FreeListKind::DictKeys => min_keys_bytes(version),
                _ => u64::from(spec.object_size) + gc,
            };
            let szidx = size_class(bytes as u32);
            let blocks = heap.alloc.allocated_blocks(szidx);
            let mine: Vec<Ptr> = blocks
                .into_iter()
                .map(Ptr::Block)
                .filter(|p| !claimed.contains(p))
                .take(count as usize)
                .collect();
            claimed.extend(mine.iter().copied());
            parked.insert(spec.kind, mine);
        }
        let mut objs = Objects {
            heap,
            slots: Vec::new(),
            free_slots: Vec::new(),
            singletons: HashMap::new(),
            parked,
            frame_items,
            zombies: HashMap::new(),
            events: Vec::new(),
            recording: true,
            suspended: Vec::new(),
            unmodelled: None,
            tracer: Tracemalloc::default(),
            line: 0,
            adopted: claimed,
            tp_alloc: false,
            gc: GcState::new(version),
            weakrefs: HashMap::new(),
            check_gc: false,
            gc_violation: None,
            log: None,
        };
        for s in [
            Singleton::None,
            Singleton::True,
            Singleton::False,
            Singleton::Ellipsis,
            Singleton::EmptyTuple,
            Singleton::EmptyStr,
        ] {
            objs.singleton(s);
        }
        objs
    }

    /// The version modelled.
    pub fn version(&self) -> Version {
        self.heap.version()
    }

    /// Turns event recording on (the default) or off.
    pub fn set_recording(&mut self, on: bool) {
        self.recording = on;
    }

    fn emit(&mut self, e: ObjEvent) {
        if self.recording {
            self.events.push(e);
        }
    }

    /// Logs `e` for a program trace, after what the collector logged
    /// since the last event (so the order is the order things happened).
    #[inline]
    pub(crate) fn note(&mut self, e: crate::program::TraceEvent) {
        if let Some(log) = &mut self.log {
            log.push(&mut self.gc, e);
        }
    }

    /// Marks `r` as changed for a program trace: its view is redrawn at
    /// the end of the step.
    #[inline]
    fn touch(&mut self, r: ObjRef) {
        if let Some(log) = &mut self.log {
            log.touched.push(r);
        }
    }

    /// The count a trace event shows for `r`: what `sys.getrefcount` would
    /// show less its argument, or [`crate::program::IMMORTAL`] for an
    /// object whose count never moves (3.12+ immortals), or the model's
    /// count where CPython's depends on the whole interpreter.
    fn logged_count(&self, r: ObjRef, refcnt: u64) -> u32 {
        let immortal = self.get(r).is_some_and(|o| {
            (o.interned && self.version().minor() == 12)
                || o.singleton.is_some_and(|s| {
                    matches!(
                        statics::refcount_model(self.version(), s),
                        RefcountModel::Immortal(_)
                    )
                })
        });
        if immortal {
            return crate::program::IMMORTAL;
        }
        let shown = self.shown_refcount(r).map_or(refcnt, |n| n);
        shown.min(u64::from(crate::program::IMMORTAL - 1)) as u32
    }

    /// The name id of C function `f` in the trace being recorded.
    fn cname(&mut self, f: &'static str) -> crate::program::CName {
        self.log
            .as_mut()
            .map_or(crate::program::CName(0), |log| log.name(f))
    }

    /// Events since the last [`Objects::take_events`].
    pub fn take_events(&mut self) -> Vec<ObjEvent> {
        std::mem::take(&mut self.events)
    }

    /// The object behind `r`, if it is alive.
    pub fn get(&self, r: ObjRef) -> Option<&Object> {
        self.slots.get(r.0 as usize).and_then(Option::as_ref)
    }

    /// Marks every live object as made before the program (a recorded
    /// run's views show them as shared).
    pub fn mark_startup(&mut self) {
        for o in self.slots.iter_mut().flatten() {
            o.startup = true;
        }
    }

    /// Every live object, in slot order.
    pub fn live_refs(&self) -> Vec<ObjRef> {
        self.slots
            .iter()
            .enumerate()
            .filter(|(_, o)| o.is_some())
            .map(|(i, _)| ObjRef(i as u32))
            .collect()
    }

    /// Live objects (cached ones included).
    pub fn len(&self) -> usize {
        self.slots.len() - self.free_slots.len()
    }

    /// True when no object is alive (never, after startup).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn insert(&mut self, obj: Object) -> ObjRef {
        let r = self.insert_slot(obj);
        self.gc.reset(r);
        r
    }

    fn insert_slot(&mut self, obj: Object) -> ObjRef {
        let r = match self.free_slots.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(obj);
                ObjRef(i)
            }
            None => {
                self.slots.push(Some(obj));
                ObjRef(self.slots.len() as u32 - 1)
            }
        };
        self.touch(r);
        r
    }

    /// The cached object `s` (created on first mention), without a new reference.
    fn singleton(&mut self, s: Singleton) -> ObjRef {
        if let Some(&r) = self.singletons.get(&s) {
            return r;
        }
        let v = self.version();
        let payload = match s {
            Singleton::None => Payload::None,
            Singleton::True => Payload::Bool(true),
            Singleton::False => Payload::Bool(false),
            Singleton::Ellipsis | Singleton::NotImplemented => Payload::Ellipsis,
            Singleton::SmallInt(i) => Payload::Int(BigInt::from(i)),
            Singleton::EmptyTuple => Payload::Tuple(Vec::new()),
            Singleton::EmptyStr => Payload::Str(Rc::from("")),
            Singleton::Latin1Char(c) => Payload::Str(Rc::from(char::from(c).to_string().as_str())),
            Singleton::EmptyBytes => Payload::Bytes(Rc::from(&[][..])),
            Singleton::Byte(b) => Payload::Bytes(Rc::from(&[b][..])),
            Singleton::EmptyFrozenSet => Payload::Tuple(Vec::new()),
        };
        // A cache filled on first use allocates its entry now, for good
        // (get_latin1_char, the bytes `characters[]` table). Its block is
        // tiny: if even that exceeds the memory budget, the entry is made
        // without one rather than failing a lookup that cannot fail in C.
        let mut blocks = Vec::new();
        if statics::storage(v, s) == Storage::OnFirstUse && !statics::made_at_startup(v, s) {
            let bytes = statics::getsizeof(v, s);
            if let Ok(p) = self.mem_malloc(bytes) {
                blocks.push((Request::object(bytes), p));
            }
        }
        let r = self.insert(Object {
            payload,
            refcnt: 0,
            singleton: Some(s),
            blocks,
            getsizeof: statics::getsizeof(v, s),
            constant: false,
            interned: false,
            startup: false,
        });
        self.singletons.insert(s, r);
        r
    }

    /// What `sys.getrefcount` would show for `r` while the caller holds the
    /// references counted in `refcnt` (the call's own argument included).
    /// `None` for an object whose true count depends on the whole
    /// interpreter (a counted singleton like `None` before 3.12).
    pub fn shown_refcount(&self, r: ObjRef) -> Option<u64> {
        let o = self.get(r)?;
        if o.interned && self.version().minor() == 12 {
            return Some(statics::IMMORTAL_REFCNT);
        }
        match o
            .singleton
            .map(|s| statics::refcount_model(self.version(), s))
        {
            None => Some(o.refcnt),
            Some(RefcountModel::Immortal(n)) => Some(n),
            Some(RefcountModel::StaticBase(_)) | Some(RefcountModel::Counted) => None,
        }
    }

    /// `Py_INCREF`.
    pub fn incref(&mut self, r: ObjRef) {
        if let Some(o) = self.slots.get_mut(r.0 as usize).and_then(Option::as_mut) {
            o.refcnt += 1;
            let refcnt = o.refcnt;
            self.emit(ObjEvent::Incref { obj: r, refcnt });
            if self.log.is_some() {
                let refcnt = self.logged_count(r, refcnt);
                self.note(crate::program::TraceEvent::Incref { obj: r, refcnt });
                self.touch(r);
            }
        }
    }

    /// `Py_DECREF`: at zero the object is deallocated (cached objects never
    /// are). Deallocation runs on an explicit work list in the order
    /// CPython's recursion gives (each child's whole dealloc before the next
    /// child, the container's own blocks last), so deep nesting cannot
    /// overflow the native stack.
    ///
    /// An instance whose class defines `__del__` is not deallocated at
    /// zero: it is resurrected with one reference and the dealloc stops
    /// there, suspended (see [`Objects::take_due`]), because the
    /// finalizer is Python code only the interpreter can run.
    pub fn decref(&mut self, r: ObjRef) {
        self.run_work(vec![Work::Dec(r)]);
    }

    fn run_work(&mut self, mut work: Vec<Work>) {
        while let Some(w) = work.pop() {
            match w {
                Work::Dec(r) => {
                    if self.drop_ref(r) {
                        if self.wants_finalizer(r) {
                            // PyObject_CallFinalizerFromDealloc: resurrect, then call.
                            if let Some(o) = self.get_mut(r) {
                                o.refcnt = 1;
                            }
                            self.gc.set_finalized(r);
                            self.suspended.push((Due::Finalizer(r), Suspended { work }));
                            return;
                        }
                        // PyObject_ClearWeakRefs, before the object's
                        // references go: callbacks run first.
                        let due = self.clear_weakrefs_of(r);
                        if !due.is_empty() {
                            work.push(Work::Dealloc(r));
                            self.suspended
                                .push((Due::Callbacks(due), Suspended { work }));
                            return;
                        }
                        self.dealloc_start(r, &mut work);
                    }
                }
                Work::Dealloc(r) => self.dealloc_start(r, &mut work),
                Work::Frame(code, mem) => self.frame_done(code, mem),
                Work::Finish(kind, blocks, gc) => self.dealloc_finish(kind, blocks, gc),
            }
        }
    }

    /// True for an instance that has not been finalized and whose class
    /// defines `__del__` (a generator's finalizer is its dealloc's close).
    fn wants_finalizer(&self, r: ObjRef) -> bool {
        matches!(self.get(r).map(|o| &o.payload), Some(Payload::Instance(_)))
            && !self.gc.is_finalized(r)
            && self.has_finalizer(r)
    }

    /// A dealloc suspended for Python code: what to run (see [`Due`]).
    /// After running it and dropping the references it hands over, the
    /// caller calls [`Objects::resume`] with the rest.
    pub fn take_due(&mut self) -> Option<(Due, Suspended)> {
        self.suspended.pop()
    }

    /// Continues the deallocations a finalizer interrupted.
    pub fn resume(&mut self, s: Suspended) {
        self.run_work(s.work);
    }

    /// One reference fewer; true when the object must now be deallocated.
    fn drop_ref(&mut self, r: ObjRef) -> bool {
        let Some(o) = self.slots.get_mut(r.0 as usize).and_then(Option::as_mut) else {
            return false;
        };
        o.refcnt = o.refcnt.saturating_sub(1);
        let immortal = o.interned && self.heap.version().minor() == 12;
        let (refcnt, cached) = (o.refcnt, o.singleton.is_some() || immortal);
        self.emit(ObjEvent::Decref { obj: r, refcnt });
        if self.log.is_some() {
            let refcnt = self.logged_count(r, refcnt);
            self.note(crate::program::TraceEvent::Decref { obj: r, refcnt });
            self.touch(r);
        }
        refcnt == 0 && !cached
    }

    /// Makes an object with one reference (owned by the caller): its blocks
    /// come from the free list of its type when it has one, else from the
    /// allocator, in the order of `shape`'s requests.
    fn make(
        &mut self,
        payload: Payload,
        shape: &Shape,
        func: &'static str,
    ) -> Result<ObjRef, ObjError> {
        let fp = footprint(self.version(), shape);
        self.make_fp(payload, fp, func)
    }

    /// [`Objects::make`] with the requests already worked out.
    fn make_fp(
        &mut self,
        payload: Payload,
        fp: crate::layout::Footprint,
        func: &'static str,
    ) -> Result<ObjRef, ObjError> {
        let generic = std::mem::take(&mut self.tp_alloc);
        let kind = free_list_of(&payload)
            .filter(|k| self.heap.free_lists.spec(*k).is_some_and(|s| s.reusable));
        let pop_kind = if generic { None } else { kind };
        let mut blocks = Vec::with_capacity(fp.requests.len());
        let mut reused = false;
        for (i, req) in fp.requests.iter().enumerate() {
            let from_list = if i == 0 {
                pop_kind.and_then(|k| self.pop_parked(k))
            } else {
                None
            };
            let p = match from_list {
                Some(p) => {
                    reused = true;
                    p
                }
                None => match if i == 0 {
                    self.mem_malloc(req.bytes)
                } else {
                    self.alloc_request(*req)
                } {
                    Ok(p) => p,
                    Err(e) => {
                        // CPython Py_DECREFs the half-made object: its own
                        // block goes where a dealloc sends it (back on the
                        // free list if there is room), the rest is freed.
                        let mut taken = blocks.into_iter();
                        let own = taken.next().map(|(_, p)| p);
                        for (req, p) in taken {
                            self.free_request(req, p);
                        }
                        if let Some(own) = own {
                            self.release_object_block(kind, own);
                        }
                        return Err(e.into());
                    }
                },
            };
            blocks.push((*req, p));
        }
        let r = self.insert(Object {
            payload,
            refcnt: 1,
            singleton: None,
            blocks,
            getsizeof: fp.getsizeof,
            constant: false,
            interned: false,
            startup: false,
        });
        self.emit(ObjEvent::New {
            obj: r,
            func,
            reused,
        });
        if self.log.is_some() {
            let func = self.cname(func);
            self.note(crate::program::TraceEvent::New {
                obj: r,
                func,
                reused,
            });
        }
        self.gc_on_new(r, !reused);
        Ok(r)
    }

    /// `PyObject_Malloc` as `tracemalloc` sees it: the allocator's block,
    /// traced at the current line while tracing.
    pub(crate) fn mem_malloc(&mut self, bytes: u64) -> Result<Ptr, AllocError> {
        let p = self.heap.alloc.malloc(bytes)?;
        self.tracer.on_alloc(p, bytes, self.line);
        self.note(crate::program::TraceEvent::Alloc {
            ptr: p.into(),
            nbytes: bytes.min(u64::from(u32::MAX)) as u32,
        });
        Ok(p)
    }

    /// `PyObject_Realloc` as `tracemalloc` sees it (`tracemalloc_realloc`).
    pub(crate) fn mem_realloc(&mut self, old: Option<Ptr>, bytes: u64) -> Result<Ptr, AllocError> {
        let p = self.heap.alloc.realloc(old, bytes)?;
        self.tracer.on_realloc(old, p, bytes, self.line);
        let nbytes = bytes.min(u64::from(u32::MAX)) as u32;
        self.note(match old {
            Some(old) => crate::program::TraceEvent::Realloc {
                old: old.into(),
                nbytes,
            },
            None => crate::program::TraceEvent::Alloc {
                ptr: p.into(),
                nbytes,
            },
        });
        Ok(p)
    }

    /// `PyObject_Free` as `tracemalloc` sees it.
    pub(crate) fn mem_free(&mut self, p: Ptr) {
        let _ = self.heap.alloc.free(p);
        self.tracer.on_free(p);
        self.note(crate::program::TraceEvent::Free { ptr: p.into() });
    }

    /// True for a keys table that `free_keys_object` keeps on the keys free
    /// list and `new_keys_object` takes from it: the minimum size (8 slots),
    /// and from 3.11 only a unicode or split one (`DK_IS_UNICODE`).
    fn keys_free_listed(&self, req: Request) -> bool {
        use crate::layout::Part;
        matches!(req.part, Part::DictKeys | Part::SharedKeys)
            && req.bytes == min_keys_bytes(self.version())
    }

    /// The `__main__` module's dict as the program finds it: `names` str
    /// keys inserted one by one, its blocks taken from the startup heap
    /// (CPython made it before the program ran). It owns no entries the
    /// model tracks: the interpreter keeps the globals; this object only
    /// carries the table's size and blocks.
    pub fn module_dict(&mut self, names: u64) -> ObjRef {
        let v = self.version();
        let mut state = DictState::empty();
        for _ in 0..names {
            let _ = state.insert(v, true);
        }
        let fp = footprint(v, &Shape::Dict(state));
        let blocks = fp
            .requests
            .iter()
            .filter_map(|req| self.adopt_startup_block(req.bytes).map(|p| (*req, p)))
            .collect();
        self.insert(Object {
            payload: Payload::Dict {
                entries: Vec::new(),
                state,
            },
            refcnt: 1,
            singleton: None,
            blocks,
            getsizeof: fp.getsizeof,
            constant: false,
            interned: false,
            startup: false,
        })
    }

    /// A new key in the module's dict (`insertdict`: the table may grow).
    pub fn module_dict_insert(&mut self, d: ObjRef) -> Result<(), ObjError> {
        let v = self.version();
        let ops = match self.get_mut(d).map(|o| &mut o.payload) {
            Some(Payload::Dict { state, .. }) => state.insert(v, true),
            _ => return Ok(()),
        };
        self.apply_ops(d, &ops)
    }

    /// A key deleted from the module's dict (a dummy is left).
    pub fn module_dict_delete(&mut self, d: ObjRef) {
        if let Some(Payload::Dict { state, .. }) = self.get_mut(d).map(|o| &mut o.payload) {
            if state.used > 0 {
                state.delete();
            }
        }
    }

    /// An allocated block of the startup heap in `bytes`' size class that
    /// no model object holds yet.
    fn adopt_startup_block(&mut self, bytes: u64) -> Option<Ptr> {
        if !(1..=512).contains(&bytes) {
            return None;
        }
        let szidx = size_class(bytes as u32);
        let p = self
            .heap
            .alloc
            .allocated_blocks(szidx)
            .into_iter()
            .map(Ptr::Block)
            .find(|p| !self.adopted.contains(p))?;
        self.adopted.insert(p);
        Some(p)
    }

    /// A separate buffer's block: a minimum-size keys table comes from the
    /// keys free list when it has one.
    pub(crate) fn alloc_request(&mut self, req: Request) -> Result<Ptr, AllocError> {
        if self.keys_free_listed(req) {
            if let Some(p) = self.pop_parked(FreeListKind::DictKeys) {
                return Ok(p);
            }
        }
        self.mem_malloc(req.bytes)
    }

    /// Releases a separate buffer's block: a minimum-size keys table goes
    /// on the keys free list while it has room.
    pub(crate) fn free_request(&mut self, req: Request, p: Ptr) {
        if self.keys_free_listed(req) {
            self.release_object_block(Some(FreeListKind::DictKeys), p);
        } else {
            self.mem_free(p);
        }
    }

    /// True when `code` has a zombie frame (3.8–3.10).
    pub fn has_zombie(&self, code: u32) -> bool {
        self.zombies.contains_key(&code)
    }

    /// The bytes of a 3.8–3.10 frame object with `items` slots: the GC
    /// header, `sizeof(PyFrameObject)` (which has one slot of its own) and
    /// 8 bytes a slot (`PyObject_GC_NewVar`).
    fn frame_bytes(&self, items: u32) -> u64 {
        let base = self
            .heap
            .free_lists
            .spec(FreeListKind::Frame)
            .map_or(368, |s| u64::from(s.object_size));
        crate::layout::GC_HEAD + base + 8 * u64::from(items)
    }

    /// A 3.8–3.10 frame object for a call of `code` (`_PyFrame_New_NoTrack`)
    /// that needs `extras` slots (`None`: not known, and then its memory is
    /// not modelled):
    /// * the code's zombie frame when it has one (`co_zombieframe`);
    /// * else the top of the frame free list, resized
    ///   (`_PyObject_GC_Resize`, a realloc) when it is too small;
    /// * else a new GC object (which the collector's count sees).
    pub fn frame_new(
        &mut self,
        code: u32,
        extras: Option<u32>,
    ) -> Result<Option<FrameMem>, ObjError> {
        if self.version().minor() >= 11 {
            return Ok(None);
        }
        if let Some(zombie) = self.zombies.remove(&code) {
            return Ok(zombie);
        }
        if let Some(p) = self.pop_parked(FreeListKind::Frame) {
            let items = self.frame_items.pop().unwrap_or(0);
            return match extras {
                Some(e) if items < e => {
                    let p = self.mem_realloc(Some(p), self.frame_bytes(e))?;
                    Ok(Some(FrameMem { ptr: p, items: e }))
                }
                Some(_) => Ok(Some(FrameMem { ptr: p, items })),
                None => Ok(None),
            };
        }
        let mem = match extras {
            Some(e) => Some(FrameMem {
                ptr: self.mem_malloc(self.frame_bytes(e))?,
                items: e,
            }),
            None => None,
        };
        self.gc.on_alloc();
        Ok(mem)
    }

    /// The end of a 3.8–3.10 frame of `code` (`frame_dealloc`): it becomes
    /// the code's zombie if the code has none, else goes on the frame free
    /// list while it has room, else is freed (`PyObject_GC_Del`).
    pub fn frame_done(&mut self, code: u32, mem: Option<FrameMem>) {
        if self.version().minor() >= 11 {
            return;
        }
        if let std::collections::hash_map::Entry::Vacant(e) = self.zombies.entry(code) {
            e.insert(mem);
            return;
        }
        let Some(mem) = mem else {
            return;
        };
        if self.release_object_block(Some(FreeListKind::Frame), mem.ptr) {
            self.gc.on_free();
        } else {
            self.frame_items.push(mem.items);
        }
    }

    fn pop_parked(&mut self, kind: FreeListKind) -> Option<Ptr> {
        let p = self.parked.get_mut(&kind)?.pop()?;
        self.heap.free_lists.pop(kind);
        self.emit(ObjEvent::FreeListPop { kind });
        self.note(crate::program::TraceEvent::FreeListPop { kind });
        Some(p)
    }

    /// A new reference to a cached object.
    fn cached(&mut self, s: Singleton) -> ObjRef {
        let r = self.singleton(s);
        self.incref(r);
        r
    }

    /// `None` (a new reference).
    pub fn none(&mut self) -> ObjRef {
        self.cached(Singleton::None)
    }

    /// `True` or `False` (a new reference).
    pub fn bool(&mut self, b: bool) -> ObjRef {
        self.cached(if b { Singleton::True } else { Singleton::False })
    }

    /// An `int`, as `PyLong_FromLong` and friends make it: a small int is the
    /// cached one; any other value is a new object with exactly its digits.
    pub fn int(&mut self, value: BigInt) -> Result<ObjRef, ObjError> {
        if let Some(s) = value.to_i128().and_then(statics::small_int) {
            return Ok(self.cached(s));
        }
        let digits = int_digits_for_bits(value.bits());
        self.make(Payload::Int(value), &Shape::Int { digits }, "_PyLong_New")
    }

    /// A `float` (`PyFloat_FromDouble`: the free list first).
    pub fn float(&mut self, value: f64) -> Result<ObjRef, ObjError> {
        self.make(Payload::Float(value), &Shape::Float, "PyFloat_FromDouble")
    }

    /// A `complex` (`PyComplex_FromCComplex`: 32 bytes, no free list).
    pub fn complex(&mut self, re: f64, im: f64) -> Result<ObjRef, ObjError> {
        let shape = Shape::Generic {
            basicsize: 32,
            itemsize: 0,
            nitems: 0,
            gc: false,
        };
        self.make(Payload::Complex(re, im), &shape, "PyComplex_FromCComplex")
    }

    /// A `str` (`PyUnicode_New`): `''` and one latin-1 character are cached
    /// where the version caches them.
    pub fn str(&mut self, value: &str) -> Result<ObjRef, ObjError> {
        if let Some(s) = statics::cached_str(value) {
            if statics::storage(self.version(), s) != Storage::NotCached {
                return Ok(self.cached(s));
            }
        }
        self.str_uncached(value)
    }

    /// Runs `f`, whose first object made is allocated by
    /// `type->tp_alloc` (`PyType_GenericAlloc`), as calling the type does
    /// (`list(x)`, `dict()`): never from the type's free list, though its
    /// dealloc still feeds that list.
    pub fn via_tp_alloc<T>(&mut self, f: impl FnOnce(&mut Objects) -> T) -> T {
        let was = std::mem::replace(&mut self.tp_alloc, true);
        let r = f(self);
        self.tp_alloc = was;
        r
    }

    /// A bound built-in method made by an attribute lookup
    /// (`PyCMethod_New`: `sys.stdout.write`), from the 3.8 free list.
    pub fn builtin_method(&mut self, name: &'static str) -> Result<ObjRef, ObjError> {
        self.make(
            Payload::Builtin(name),
            &Shape::BuiltinMethod,
            "PyCMethod_New",
        )
    }

    /// A scratch int of `ndigits` digits (`_PyLong_New`), as
    /// `long_to_decimal_string_internal` uses to convert to decimal.
    pub fn scratch_int(&mut self, ndigits: u64) -> Result<ObjRef, ObjError> {
        self.make(
            Payload::Int(BigInt::from(0)),
            &Shape::IntRaw {
                digits: 0,
                allocated_digits: ndigits,
            },
            "_PyLong_New",
        )
    }

    /// A new `str` even for one character (`PyUnicode_New` then filled, as
    /// `long_to_decimal_string` and `PyObject_Format` do: `str(5) is str(5)`
    /// is false in every version).
    pub fn str_uncached(&mut self, value: &str) -> Result<ObjRef, ObjError> {
        if value.is_empty() {
            return self.str(value);
        }
        let shape = Shape::Str {
            kind: StrKind::of(value),
            len: value.chars().count() as u64,
        };
        self.make(Payload::Str(Rc::from(value)), &shape, "PyUnicode_New")
    }

    /// A new `bytes` even for one byte (`PyBytes_FromStringAndSize(NULL, n)`
    /// then filled).
    pub fn bytes_uncached(&mut self, value: &[u8]) -> Result<ObjRef, ObjError> {
        if value.is_empty() {
            return self.bytes(value);
        }
        self.bytes_new(value, "PyBytes_FromStringAndSize")
    }

    /// A new `bytes` object whatever its length (`bytes_repeat` allocates
    /// one even for `b""`), made by the C function `func`.
    pub fn bytes_new(&mut self, value: &[u8], func: &'static str) -> Result<ObjRef, ObjError> {
        let shape = Shape::Bytes {
            len: value.len() as u64,
        };
        self.make(Payload::Bytes(Rc::from(value)), &shape, func)
    }

    /// A `bytes` (`PyBytes_FromStringAndSize`): `b''` and one byte are cached.
    pub fn bytes(&mut self, value: &[u8]) -> Result<ObjRef, ObjError> {
        if let Some(s) = statics::cached_bytes(value) {
            if statics::storage(self.version(), s) != Storage::NotCached {
                return Ok(self.cached(s));
            }
        }
        self.bytes_uncached(value)
    }

    /// A `tuple` taking ownership of `items` (`PyTuple_New`: `()` is cached;
    /// lengths 1..=20 come from their free list first).
    pub fn tuple(&mut self, items: Vec<ObjRef>) -> Result<ObjRef, ObjError> {
        if items.is_empty() {
            return Ok(self.cached(Singleton::EmptyTuple));
        }
        let shape = Shape::Tuple {
            len: items.len() as u64,
        };
        match self.make(Payload::Tuple(items.clone()), &shape, "PyTuple_New") {
            Ok(r) => Ok(r),
            Err(e) => {
                for it in items {
                    self.decref(it);
                }
                Err(e)
            }
        }
    }

    /// A `list` taking ownership of `items` with an exact item array:
    /// `PyList_New(n)`, as `BUILD_LIST n` makes a display of up to 30
    /// non-constant items. (Constant displays and long ones grow through
    /// `list_extend`/`append` instead: see [`ListState::display`].)
    pub fn list_exact(&mut self, items: Vec<ObjRef>) -> Result<ObjRef, ObjError> {
        let state = ListState::new_exact(items.len() as u64);
        self.list_with_state(items, state)
    }

    /// A `list` taking ownership of `items`, whose item array is in `state`
    /// (from [`ListState::display`] and friends: `state.size` must equal
    /// `items.len()`).
    pub fn list_with_state(
        &mut self,
        items: Vec<ObjRef>,
        state: ListState,
    ) -> Result<ObjRef, ObjError> {
        let shape = Shape::List(state);
        match self.make(
            Payload::List {
                items: items.clone(),
                state,
            },
            &shape,
            "PyList_New",
        ) {
            Ok(r) => Ok(r),
            Err(e) => {
                for it in items {
                    self.decref(it);
                }
                Err(e)
            }
        }
    }

    /// The object behind `r`, mutably.
    pub fn get_mut(&mut self, r: ObjRef) -> Option<&mut Object> {
        self.touch(r);
        self.slots.get_mut(r.0 as usize).and_then(Option::as_mut)
    }

    /// An object that exists from startup and is never freed (a module or a
    /// built-in function): it holds one reference for its owner and owns no
    /// block the model tracks (it lives in the startup heap).
    pub fn preexisting(&mut self, payload: Payload, getsizeof: u64) -> ObjRef {
        self.insert(Object {
            payload,
            refcnt: 1,
            singleton: None,
            blocks: Vec::new(),
            getsizeof,
            constant: false,
            interned: false,
            startup: false,
        })
    }

    /// True for an object the program did not allocate: one of the
    /// startup (see [`Objects::preexisting`]) or a static one. Such an
    /// object owns no block the model tracks.
    pub fn is_preexisting(&self, r: ObjRef) -> bool {
        self.get(r).is_some_and(|o| o.blocks.is_empty())
    }

    /// `range(start, stop, step)` (`make_range_object`: 48 bytes, not GC).
    /// The range also holds its length as an int (`compute_range_length`:
    /// `PyLong_FromUnsignedLong`), a new object unless it is a small int;
    /// the model keeps that int's block with the range's.
    pub fn range(&mut self, start: i64, stop: i64, step: i64) -> Result<ObjRef, ObjError> {
        let v = self.version();
        let mut fp = footprint(v, &Shape::Range);
        let len = range_len(start, stop, step);
        if !statics::is_small_int(i128::from(len)) {
            let digits = int_digits_for_bits(u64::from(64 - len.leading_zeros()));
            fp.requests
                .extend(footprint(v, &Shape::Int { digits }).requests);
        }
        self.make_fp(
            Payload::Range { start, stop, step },
            fp,
            "make_range_object",
        )
    }

    /// A `range` beyond C longs ([`Payload::BigRange`]): 48 bytes plus its
    /// length as a new int (`compute_range_length` in the PyLong path).
    pub fn big_range(
        &mut self,
        start: BigInt,
        stop: BigInt,
        step: BigInt,
    ) -> Result<ObjRef, ObjError> {
        let v = self.version();
        let mut fp = footprint(v, &Shape::Range);
        let len = big_range_len(&start, &stop, &step);
        let digits = int_digits_for_bits(len.bits());
        fp.requests
            .extend(footprint(v, &Shape::Int { digits }).requests);
        self.make_fp(
            Payload::BigRange(Rc::new([start, stop, step])),
            fp,
            "make_range_object",
        )
    }

    /// `iter(range)`: a `range_iterator` (3 longs from 3.12, 4 before; not GC).
    pub fn range_iter(&mut self, next: i64, step: i64, left: u64) -> Result<ObjRef, ObjError> {
        let basicsize = if self.version().minor() >= 12 { 40 } else { 48 };
        let shape = Shape::Generic {
            basicsize,
            itemsize: 0,
            nitems: 0,
            gc: false,
        };
        self.make(
            Payload::RangeIter { next, step, left },
            &shape,
            "fast_range_iter",
        )
    }

    /// `iter(seq)` of a list, tuple or str: an iterator object holding a
    /// reference to `seq` (the caller's reference is taken over).
    pub fn seq_iter(&mut self, seq: ObjRef) -> Result<ObjRef, ObjError> {
        self.seq_iter_of_kind(seq, None)
    }

    /// `iter(view)` of a dict view: an iterator over the dict itself
    /// (`dictiter_new`), taking over the caller's reference to `dict`. An
    /// item iterator makes its result tuple `(None, None)` after itself.
    pub fn dict_view_iter(&mut self, dict: ObjRef, view: &str) -> Result<ObjRef, ObjError> {
        let kind = match view {
            "dict_values" => "dict_valueiterator",
            "dict_items" => "dict_itemiterator",
            _ => "dict_keyiterator",
        };
        let it = self.seq_iter_of_kind(dict, Some(kind))?;
        if kind == "dict_itemiterator" {
            let nones = vec![self.none(), self.none()];
            let t = match self.tuple(nones) {
                Ok(t) => t,
                Err(e) => {
                    self.decref(it);
                    return Err(e);
                }
            };
            if let Some(Payload::SeqIter { result, .. }) = self.get_mut(it).map(|o| &mut o.payload)
            {
                *result = Some(t);
            }
        }
        Ok(it)
    }

    /// A view of `dict` (`dict_keys`, `dict_values` or `dict_items`), taking
    /// over the caller's reference (`_PyDictView_New`: 24 bytes, GC).
    pub fn dict_view(&mut self, dict: ObjRef, kind: &'static str) -> Result<ObjRef, ObjError> {
        let shape = Shape::Generic {
            basicsize: 24,
            itemsize: 0,
            nitems: 0,
            gc: true,
        };
        match self.make(Payload::DictView { dict, kind }, &shape, "_PyDictView_New") {
            Ok(r) => Ok(r),
            Err(e) => {
                self.decref(dict);
                Err(e)
            }
        }
    }

    fn seq_iter_of_kind(
        &mut self,
        seq: ObjRef,
        dict_kind: Option<&'static str>,
    ) -> Result<ObjRef, ObjError> {
        // listiterobject / tupleiterobject / unicodeiterobject: index and
        // sequence after the header, all GC types (getsizeof 48 everywhere).
        let v = self.version();
        let kind = match self.get(seq).map(|o| &o.payload) {
            Some(Payload::Dict { .. }) if dict_kind.is_some() => dict_kind.unwrap_or_default(),
            Some(Payload::List { .. }) => "list_iterator",
            Some(Payload::Tuple(_)) => "tuple_iterator",
            // 3.11 gave pure-ASCII strs their own iterator type.
            Some(Payload::Str(s)) if v.minor() >= 11 && s.is_ascii() => "str_ascii_iterator",
            Some(Payload::Str(_)) => "str_iterator",
            Some(Payload::Dict { .. }) => "dict_keyiterator",
            Some(Payload::Set { .. }) => "set_iterator",
            _ => "iterator",
        };
        let used = match self.get(seq).map(|o| &o.payload) {
            Some(Payload::Dict { entries, .. }) => entries.len(),
            Some(Payload::Set { table, .. }) => table.len(),
            _ => 0,
        };
        // dictiterobject adds di_used, len and di_result (56 bytes);
        // setiterobject si_set, si_used, si_pos and len (48).
        let basicsize = match kind {
            "set_iterator" => 48,
            k if k.starts_with("dict_") => 56,
            _ => 32,
        };
        let shape = Shape::Generic {
            basicsize,
            itemsize: 0,
            nitems: 0,
            gc: true,
        };
        match self.make(
            Payload::SeqIter {
                seq: Some(seq),
                index: 0,
                kind,
                used,
                result: None,
            },
            &shape,
            "PyObject_GetIter",
        ) {
            Ok(r) => Ok(r),
            Err(e) => {
                self.decref(seq);
                Err(e)
            }
        }
    }

    /// A function object (`PyFunction_New`), taking over `defaults`.
    pub fn function(
        &mut self,
        code: u32,
        name: &str,
        defaults: Option<ObjRef>,
    ) -> Result<ObjRef, ObjError> {
        self.closure(code, name, defaults, None)
    }

    /// [`Objects::function`] with a closure: `MAKE_FUNCTION` taking over
    /// the defaults tuple and the tuple of cells.
    pub fn closure(
        &mut self,
        code: u32,
        name: &str,
        defaults: Option<ObjRef>,
        closure: Option<ObjRef>,
    ) -> Result<ObjRef, ObjError> {
        let payload = Payload::Function {
            code,
            name: Rc::from(name),
            defaults,
            closure,
        };
        match self.make(payload, &Shape::Function, "PyFunction_New") {
            Ok(r) => Ok(r),
            Err(e) => {
                for d in defaults.into_iter().chain(closure) {
                    self.decref(d);
                }
                Err(e)
            }
        }
    }

    /// A `super` object (`super_new`: 40 bytes, GC), which holds no
    /// references the model follows (the class and the instance stay alive
    /// through the frame using it).
    pub fn super_obj(&mut self) -> Result<ObjRef, ObjError> {
        let shape = Shape::Generic {
            basicsize: 40,
            itemsize: 0,
            nitems: 0,
            gc: true,
        };
        let payload = Payload::Record(Box::new(Record {
            type_name: "super",
            attrs: Vec::new(),
            items: Vec::new(),
        }));
        self.make(payload, &shape, "super_new")
    }

    /// `obj.name` of a built-in method (`PyCFunction_NewEx`, 72 bytes) or,
    /// with `wrapper`, of a slot (`PyWrapper_New`, 48 bytes), taking over
    /// the reference to `obj`.
    pub fn bound_builtin(
        &mut self,
        obj: ObjRef,
        name: &str,
        wrapper: bool,
    ) -> Result<ObjRef, ObjError> {
        let payload = Payload::BoundBuiltin {
            name: Rc::from(name),
            self_: obj,
            wrapper,
        };
        let made = if wrapper {
            let shape = Shape::Generic {
                basicsize: 32,
                itemsize: 0,
                nitems: 0,
                gc: true,
            };
            self.make(payload, &shape, "PyWrapper_New")
        } else {
            self.make(payload, &Shape::BuiltinMethod, "PyCFunction_NewEx")
        };
        match made {
            Ok(r) => Ok(r),
            Err(e) => {
                self.decref(obj);
                Err(e)
            }
        }
    }

    /// `PyCell_New(value)`, taking over `value`.
    pub fn cell(&mut self, value: Option<ObjRef>) -> Result<ObjRef, ObjError> {
        match self.make(Payload::Cell(value), &Shape::Cell, "PyCell_New") {
            Ok(r) => Ok(r),
            Err(e) => {
                if let Some(v) = value {
                    self.decref(v);
                }
                Err(e)
            }
        }
    }

    /// A generator object for `gen` (its frame's locals bound, not
    /// started): `PyGen_NewWithQualName` up to 3.10, `make_gen` with the
    /// frame's `frame_slots` (`co_nlocalsplus + co_stacksize`) embedded from
    /// 3.11. On failure the references `gen` holds are released.
    pub fn generator(&mut self, gen: GenObj, frame_slots: u64) -> Result<ObjRef, ObjError> {
        let func = if self.version().minor() >= 11 {
            "make_gen"
        } else {
            // The frame object, tracked, is not made (see gc::Unseen).
            self.gc.unseen.extra[0] += 1;
            "PyGen_NewWithQualName"
        };
        let owned: Vec<ObjRef> = gen
            .slots
            .iter()
            .flatten()
            .chain(&gen.func)
            .copied()
            .collect();
        let made = self.make(
            Payload::Generator(Box::new(gen)),
            &Shape::Generator { frame_slots },
            func,
        );
        if made.is_err() {
            owned.into_iter().for_each(|r| self.decref(r));
        }
        made
    }

    /// A bare `object()` (`object_new`: 16 bytes, not GC).
    pub fn object(&mut self) -> Result<ObjRef, ObjError> {
        self.make(Payload::Object, &Shape::Object, "object_new")
    }

    /// `id(r)`: the address of the object (`PyObject *`): its block's
    /// address past the GC header, or a fixed static address for an object
    /// the model did not allocate (it lives in the interpreter's data).
    pub fn id(&self, r: ObjRef) -> u64 {
        let Some(o) = self.get(r) else { return 0 };
        match o.blocks.first() {
            Some((_, p)) => {
                let base = self.heap.alloc.address_of(*p).unwrap_or(0);
                // A GC object starts past its PyGC_Head, and a 3.11+
                // managed-dict instance past its pre-header too.
                let pre = match &o.payload {
                    Payload::Instance(i) => i.attrs.shape.preheader(self.version()),
                    _ => 0,
                };
                base + pre
                    + if is_gc(&o.payload) {
                        crate::layout::GC_HEAD
                    } else {
                        0
                    }
            }
            None => 0x5555_0000_0000 + u64::from(r.0) * 64,
        }
    }

    /// An instance of built-in exception type `kind` taking over the `args`
    /// tuple (`BaseException_new`: a GC object of the type's basicsize).
    pub fn exception(&mut self, kind: &'static str, args: ObjRef) -> Result<ObjRef, ObjError> {
        let shape = Shape::Generic {
            basicsize: crate::exceptions::basicsize(self.version(), kind),
            itemsize: 0,
            nitems: 0,
            gc: true,
        };
        let payload = Payload::Exception {
            kind,
            args,
            held: Vec::new(),
            context: None,
        };
        match self.make(payload, &shape, "BaseException_new") {
            Ok(r) => Ok(r),
            Err(e) => {
                self.decref(args);
                Err(e)
            }
        }
    }

    /// An empty `set` or `frozenset` (`make_new_set`: the object with its
    /// 8-slot smalltable, tracked).
    pub fn set_new(&mut self, frozen: bool) -> Result<ObjRef, ObjError> {
        let state = crate::layout::SetState::empty();
        let (shape, func) = if frozen {
            (Shape::FrozenSet(state), "PyFrozenSet_New")
        } else {
            (Shape::Set(state), "PySet_New")
        };
        self.make(
            Payload::Set {
                table: SetTable::for_version(self.version()),
                frozen,
            },
            &shape,
            func,
        )
    }

    /// A `dict` taking ownership of `entries` (distinct keys), whose table
    /// is in `state` (from [`DictState::display`] and friends).
    pub fn dict_with_state(
        &mut self,
        entries: Vec<(ObjRef, ObjRef)>,
        state: DictState,
    ) -> Result<ObjRef, ObjError> {
        let shape = Shape::Dict(state);
        match self.make(
            Payload::Dict {
                entries: entries.clone(),
                state,
            },
            &shape,
            "PyDict_New",
        ) {
            Ok(r) => Ok(r),
            Err(e) => {
                for (k, v) in entries {
                    self.decref(k);
                    self.decref(v);
                }
                Err(e)
            }
        }
    }

    /// Carries out the allocator calls of a container mutation on `r`'s
    /// separate blocks (from [`ListState`]'s or [`DictState`]'s methods),
    /// and refreshes its size.
    pub fn apply_ops(&mut self, r: ObjRef, ops: &[crate::layout::Op]) -> Result<(), ObjError> {
        use crate::layout::{Op, Part};
        self.touch(r);
        for op in ops {
            let Some(obj) = self.slots.get_mut(r.0 as usize).and_then(Option::as_mut) else {
                return Ok(());
            };
            let part = match *op {
                Op::Alloc(req) | Op::Free(req) | Op::Share(req) => req.part,
                Op::Realloc { part, .. } => part,
            };
            // The oldest block of that part (a resize allocates the new
            // table before freeing the old one).
            let slot = obj
                .blocks
                .iter()
                .position(|(req, _)| req.part == part && req.part != Part::Object);
            match *op {
                Op::Alloc(req) => {
                    let p = self.alloc_request(req)?;
                    if let Some(o) = self.get_mut(r) {
                        o.blocks.push((req, p));
                    }
                }
                Op::Realloc {
                    part,
                    domain,
                    new_bytes,
                    ..
                } => {
                    let old = slot.map(|i| obj.blocks[i].1);
                    let p = self.mem_realloc(old, new_bytes)?;
                    let req = Request {
                        part,
                        bytes: new_bytes,
                        domain,
                    };
                    if let Some(o) = self.get_mut(r) {
                        match slot {
                            Some(i) => o.blocks[i] = (req, p),
                            None => o.blocks.push((req, p)),
                        }
                    }
                }
                Op::Share(_) => {}
                Op::Free(_) => {
                    if let Some(i) = slot {
                        let (req, p) = obj.blocks.remove(i);
                        self.free_request(req, p);
                    }
                }
            }
        }
        let v = self.version();
        if let Some(o) = self.get_mut(r) {
            match &o.payload {
                Payload::List { state, .. } => o.getsizeof = state.getsizeof(),
                Payload::Dict { state, .. } => o.getsizeof = state.getsizeof(v),
                Payload::Set { table, .. } => o.getsizeof = table.state().getsizeof(),
                _ => {}
            }
        }
        Ok(())
    }

    /// The start of `r`'s dealloc: the object leaves the slab, and its
    /// children's decrefs are queued before the release of its blocks.
    fn dealloc_start(&mut self, r: ObjRef, work: &mut Vec<Work>) {
        let Some(obj) = self.slots.get_mut(r.0 as usize).and_then(Option::take) else {
            return;
        };
        self.free_slots.push(r.0);
        if matches!(obj.payload, Payload::Generator(_)) && self.version().minor() <= 10 {
            // Its frame object, in the same list, dies with it.
            self.gc.unseen.frame_died(self.gc.list_of(r));
        }
        self.gc.unlink(r);
        let func = match &obj.payload {
            Payload::Float(_) => "float_dealloc",
            Payload::Complex(..) => "complex_dealloc",
            Payload::Tuple(_) => "tupledealloc",
            Payload::List { .. } => "list_dealloc",
            Payload::Dict { .. } => "dict_dealloc",
            Payload::Set { .. } => "set_dealloc",
            Payload::Int(_) => "long_dealloc",
            Payload::Str(_) => "unicode_dealloc",
            Payload::Bytes(_) => "bytes_dealloc",
            Payload::Range { .. } | Payload::BigRange(_) => "range_dealloc",
            Payload::RangeIter { .. } => "PyObject_Free",
            Payload::SeqIter { .. } => "iter_dealloc",
            Payload::Function { .. } => "func_dealloc",
            Payload::Cell(_) => "cell_dealloc",
            Payload::BoundBuiltin { wrapper: true, .. } => "wrapper_dealloc",
            Payload::BoundBuiltin { .. } => "meth_dealloc",
            Payload::Exception { .. } => "BaseException_dealloc",
            Payload::Instance(_) => "subtype_dealloc",
            Payload::Method { .. } => "method_dealloc",
            Payload::Adapter(a) => a.kind.dealloc(),
            Payload::Generator(_) => "gen_dealloc",
            Payload::WeakRef { .. } => "weakref_dealloc",
            _ => "object_dealloc",
        };
        self.emit(ObjEvent::Dealloc { obj: r, func });
        if self.log.is_some() {
            let func = self.cname(func);
            self.note(crate::program::TraceEvent::Dealloc { obj: r, func });
            self.touch(r);
        }
        // The children, in the order the C dealloc drops them.
        let children: Vec<ObjRef> = match &obj.payload {
            // tupledealloc, list_dealloc: `while (--i >= 0) Py_XDECREF(op->ob_item[i]);`
            Payload::Tuple(items) | Payload::List { items, .. } => {
                items.iter().rev().copied().collect()
            }
            // dictiter_dealloc: the dict, then the result tuple.
            Payload::SeqIter { seq, result, .. } => seq.iter().chain(result).copied().collect(),
            Payload::DictView { dict, .. } => vec![*dict],
            // free_keys_object: each entry's key, then its value, in order.
            Payload::Dict { entries, .. } => entries.iter().flat_map(|&(k, v)| [k, v]).collect(),
            // set_dealloc: the keys in table order, then the table.
            Payload::Set { table, .. } => table.keys(),
            // func_clear: the defaults, later the closure.
            Payload::Function {
                defaults, closure, ..
            } => defaults.iter().chain(closure).copied().collect(),
            // cell_dealloc.
            Payload::Cell(v) => v.iter().copied().collect(),
            // meth_dealloc, wrapper_dealloc: m_self / self.
            Payload::BoundBuiltin { self_, .. } => vec![*self_],
            // method_dealloc: the function, then self.
            Payload::Method { func, self_ } => vec![*func, *self_],
            Payload::Adapter(a) => a.children(),
            Payload::Record(r) => r
                .attrs
                .iter()
                .map(|&(_, v)| v)
                .chain(r.items.iter().copied())
                .collect(),
            // subtype_dealloc: clear_slots (the most derived class's first),
            // then the dict (or 3.11+ values), the object's block, and last
            // the reference to the type.
            Payload::Instance(i) => {
                let mut out: Vec<ObjRef> = self
                    .slot_clear_order(i.class, i.slots.len())
                    .into_iter()
                    .filter_map(|ix| i.slots.get(ix).copied().flatten())
                    .collect();
                match i.dict {
                    Some(d) => out.push(d),
                    None => out.extend(i.vals.iter().flat_map(|&(k, v)| [v, k])),
                }
                // BaseException_dealloc (the base's dealloc): args, the
                // traceback, the context.
                if let Some(e) = &i.exc {
                    out.extend(e.refs());
                }
                self.leave_class_keys(i.class, i.attrs.clone());
                work.push(Work::Dec(i.class));
                out
            }
            // gen_dealloc: a suspended frame is closed first (GeneratorExit
            // unwinds its value stack, innermost loop first), then the
            // frame is cleared (its locals in order) and lets go of its
            // function. 3.12.1 also leaves a new object behind (measured:
            // 192 or 200 bytes, allocated by the close), not modelled: it
            // is refused where tracemalloc would count it.
            Payload::Generator(g) => {
                if self.version() == Version::V3_12
                    && g.state == GenState::Suspended
                    && self.tracer.is_tracing()
                {
                    self.unmodelled = Some(
                        "deleting a suspended generator on 3.12 (its close leaves an object behind)",
                    );
                }
                let mut out: Vec<ObjRef> = g
                    .points
                    .iter()
                    .filter_map(|p| match p {
                        GenPoint::For(it) => Some(*it),
                        _ => None,
                    })
                    .collect();
                out.extend(g.slots.iter().flatten());
                out.extend(g.func);
                out
            }
            Payload::WeakRef { referent, callback } => {
                self.weakref_unlist(r, *referent);
                callback.iter().copied().collect()
            }
            // BaseException_clear: args, then the traceback, then the context.
            p @ Payload::Exception { .. } => exception_refs(p),
            _ => Vec::new(),
        };
        work.push(Work::Finish(
            free_list_of(&obj.payload),
            obj.blocks,
            is_gc(&obj.payload),
        ));
        // frame_dealloc after the frame's locals, before the generator's
        // own block.
        if let Payload::Generator(g) = &obj.payload {
            if let Some(mem) = g.frame {
                work.push(Work::Frame(g.code, mem));
            }
        }
        work.extend(children.into_iter().rev().map(Work::Dec));
    }

    /// The end of a dealloc: separate buffers (a list's item array) are
    /// freed, then the object's own block is released.
    fn dealloc_finish(
        &mut self,
        kind: Option<FreeListKind>,
        blocks: Vec<(Request, Ptr)>,
        gc: bool,
    ) {
        let mut blocks = blocks.into_iter();
        let own = blocks.next();
        for (req, p) in blocks {
            self.free_request(req, p);
        }
        if let Some((_, own)) = own {
            if self.release_object_block(kind, own) && gc {
                // PyObject_GC_Del.
                self.gc.on_free();
            }
        }
    }

    /// The end of every dealloc: the object's block goes on its free list
    /// when there is room, else back to the allocator.
    /// True when the block went back to the allocator.
    fn release_object_block(&mut self, kind: Option<FreeListKind>, own: Ptr) -> bool {
        if let Some(kind) = kind {
            if self.heap.free_lists.push(kind) {
                self.parked.entry(kind).or_default().push(own);
                self.emit(ObjEvent::FreeListPush { kind });
                self.note(crate::program::TraceEvent::FreeListPush { kind });
                return false;
            }
        }
        self.mem_free(own);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn float_blocks(o: &Objects) -> u64 {
        o.heap.alloc.stats().classes[1].blocks_in_use
    }

    #[test]
    fn floats_come_from_and_go_back_to_their_free_list() {
        for v in Version::VERIFIED {
            let mut o = Objects::startup(v);
            let on_list = o.heap.free_lists.len(FreeListKind::Float);
            assert!(on_list > 0, "{v}: the startup heap has free floats");
            let blocks = float_blocks(&o);
            let a = o.float(1.5).expect("float");
            assert_eq!(o.heap.free_lists.len(FreeListKind::Float), on_list - 1);
            assert_eq!(
                float_blocks(&o),
                blocks,
                "{v}: a reused block is no new allocation"
            );
            let pa = o.get(a).map(|x| x.blocks[0].1);
            o.decref(a);
            assert_eq!(o.heap.free_lists.len(FreeListKind::Float), on_list);
            // The next float reuses the same block: id(a) == id(b) in CPython.
            let b = o.float(2.5).expect("float");
            assert_eq!(o.get(b).map(|x| x.blocks[0].1), pa);
            o.heap.alloc.check_invariants().expect("invariants");
        }
    }

    #[test]
    fn a_full_float_free_list_frees_to_the_allocator() {
        let mut o = Objects::startup(Version::V3_11);
        // 103 live floats: the startup free list's, then fresh blocks.
        let fs: Vec<_> = (0..103)
            .map(|i| o.float(i as f64 + 0.5).expect("float"))
            .collect();
        assert_eq!(o.heap.free_lists.len(FreeListKind::Float), 0);
        let before = float_blocks(&o);
        for f in fs {
            o.decref(f);
        }
        assert_eq!(
            o.heap.free_lists.len(FreeListKind::Float),
            100,
            "PyFloat_MAXFREELIST"
        );
        assert_eq!(
            float_blocks(&o),
            before - 3,
            "the three past the limit went back to pymalloc"
        );
    }

    /// A class with `__del__` whose instances have a `__dict__`.
    fn finalizable_class(o: &mut Objects) -> ObjRef {
        let v = o.version();
        let shape = crate::layout::instance::InstanceShape::plain();
        let class = ClassObj {
            name: Rc::from("R"),
            qualname: Rc::from("R"),
            base: None,
            builtin_base: "object",
            ns: Vec::new(),
            slots: Vec::new(),
            own_slots: 0,
            shape,
            keys: Some(crate::layout::instance::ClassKeys::new(v, shape)),
            has_del: true,
        };
        o.class(class, 3).unwrap()
    }

    #[test]
    fn a_dealloc_cascade_stops_at_each_finalizer_and_resumes() {
        let mut o = Objects::startup(Version::V3_11);
        let cls = finalizable_class(&mut o);
        let a = o.instance(cls).unwrap().unwrap();
        let b = o.instance(cls).unwrap().unwrap();
        let list = o.list_exact(vec![a, b]).unwrap();
        let live = o.len();
        o.decref(list);
        // list_dealloc drops the last item first: b's finalizer is due,
        // b is alive again (one reference, now the caller's) and a waits.
        let (Due::Finalizer(first), rest) = o.take_due().unwrap() else {
            panic!("a finalizer is due")
        };
        assert_eq!(first, b);
        assert_eq!(o.get(b).unwrap().refcnt, 1);
        assert!(o.get(a).is_some());
        assert!(o.take_due().is_none());
        o.decref(b); // the finalizer ran; b dies for good (no second call)
        assert!(o.take_due().is_none());
        assert!(o.get(b).is_none());
        o.resume(rest);
        let (Due::Finalizer(second), rest) = o.take_due().unwrap() else {
            panic!("a finalizer is due")
        };
        assert_eq!(second, a);
        o.decref(a);
        o.resume(rest);
        assert!(o.take_due().is_none());
        // The list, both instances and their values arrays are gone; the
        // class stays (its __mro__ keeps it alive in CPython).
        assert_eq!(o.len(), live - 3);
        assert!(o.unfinalized_classes().is_empty());
        assert!(o.get(cls).is_some());
    }

    #[test]
    fn containers_drop_items_last_to_first_and_free_their_arrays() {
        let mut o = Objects::startup(Version::V3_12);
        let items: Vec<_> = (0..3)
            .map(|i| o.int(BigInt::from(1000 + i)).expect("int"))
            .collect();
        let l = o.list_exact(items.clone()).expect("list");
        assert_eq!(o.get(l).map(|x| x.getsizeof), Some(56 + 8 * 3));
        assert_eq!(
            o.get(l).map(|x| x.blocks.len()),
            Some(2),
            "object + item array"
        );
        o.take_events();
        o.decref(l);
        let deallocs: Vec<_> = o
            .take_events()
            .into_iter()
            .filter_map(|e| match e {
                ObjEvent::Dealloc { obj, .. } => Some(obj),
                _ => None,
            })
            .collect();
        assert_eq!(deallocs, vec![l, items[2], items[1], items[0]]);
        assert!(items.iter().all(|&r| o.get(r).is_none()));
    }

    #[test]
    fn cached_objects_are_shared_and_never_freed() {
        for v in Version::VERIFIED {
            let mut o = Objects::startup(v);
            let a = o.int(BigInt::from(256)).expect("int");
            let b = o.int(BigInt::from(256)).expect("int");
            assert_eq!(a, b, "{v}: small ints are cached");
            let c = o.int(BigInt::from(257)).expect("int");
            let d = o.int(BigInt::from(257)).expect("int");
            assert_ne!(c, d, "{v}: 257 is not");
            o.decref(a);
            o.decref(b);
            assert!(o.get(a).is_some(), "{v}: cached objects stay");
            let expect = if v.minor() >= 12 {
                Some(4_294_967_295)
            } else {
                None
            };
            assert_eq!(o.shown_refcount(a), expect, "{v}");
            assert_eq!(o.shown_refcount(c), Some(1));
            let t = o.tuple(vec![]).expect("()");
            assert_eq!(o.tuple(vec![]).expect("()"), t);
        }
    }

    #[test]
    fn object_sizes_follow_the_layouts() {
        let mut o = Objects::startup(Version::V3_11);
        let s = o.str("hello").expect("str");
        assert_eq!(o.get(s).map(|x| x.getsizeof), Some(54), "3.11: 48 + 5 + 1");
        let big = o.int(BigInt::from(1u64) << 64).expect("int");
        assert_eq!(o.get(big).map(|x| x.getsizeof), Some(36), "3 digits");
        let b = o.bytes(b"abc").expect("bytes");
        assert_eq!(o.get(b).map(|x| x.getsizeof), Some(36));
        let x = o.str("x").expect("str");
        assert!(
            o.get(x).is_some_and(|x| x.singleton.is_some()),
            "one latin-1 char is cached"
        );
        let mut o12 = Objects::startup(Version::V3_12);
        let s12 = o12.str("hello").expect("str");
        assert_eq!(
            o12.get(s12).map(|x| x.getsizeof),
            Some(46),
            "3.12: 40 + 5 + 1"
        );
    }

    #[test]
    fn an_exhausted_budget_is_an_error_and_leaks_nothing() {
        let mut o = Objects::startup(Version::V3_10);
        let used = o.heap.alloc.footprint_bytes();
        o.heap.alloc.set_budget(used);
        let items: Vec<_> = (0..100).map(|_| o.none()).collect();
        let before = o.heap.alloc.stats();
        // 100 items: an 800-byte item array, which needs the system malloc.
        let on_list = o.heap.free_lists.len(FreeListKind::List);
        assert!(matches!(o.list_exact(items), Err(ObjError::Memory(_))));
        assert_eq!(
            o.heap.free_lists.len(FreeListKind::List),
            on_list,
            "the list object went back on its free list"
        );
        assert_eq!(o.heap.alloc.stats(), before, "the object's block went back");
        o.heap.alloc.check_invariants().expect("invariants");
    }
}
