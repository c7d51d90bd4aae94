//! A recorded run of a Python program: one step per executed line (and per
//! loop round and return), the fine events of each step, the memory figures
//! after it, and random access to the model's state at any step.
//!
//! Recording: [`record`] runs the interpreter with a `Log` switched on in
//! the object layer. Every `PyObject_Malloc`, `Py_INCREF`, dealloc,
//! free-list push and GC track is logged there as a [`TraceEvent`] (a small
//! `Copy` value), and every object whose value, count or list changed is
//! marked. At each step boundary the recorder takes the events and redraws
//! the marked objects as [`ObjView`]s, keeping only the views that differ
//! from the ones it already has.
//!
//! Seek: a [`Checkpoint`] holds the heap and every object's view after some
//! step. [`ProgramTrace::seek`] clones the nearest earlier one and replays
//! the steps since: the allocation events on the allocator (which is
//! deterministic, so the same calls give the same blocks) and the view
//! changes on the object map. Views are shared (`Rc`), so a checkpoint
//! costs a pointer per object. Checkpoints are spaced by events and thinned
//! like [`crate::trace::Trace`]'s, so memory stays bounded and a seek
//! replays at most one spacing.
//!
//! Why views and not the interpreter's own state: the interpreter is a tree
//! walker whose state lives on the native stack, so it cannot be resumed
//! from a checkpoint; what the UI draws can be.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::rc::Rc;

use crate::freelist::FreeListKind;
use crate::gc::{GcState, List};
use crate::heap::Heap;
use crate::interp::Output;
use crate::objects::{ObjRef, Objects, Payload};
use crate::obmalloc::Ptr;
use crate::pyfmt::{bytes_repr, complex_repr, float_repr, str_repr};
use crate::version::Version;

pub use crate::inspect::{inspect, Inspection};

/// Default most fine events a recorded run keeps: past it the run stops
/// with a budget message (about 100 MB of trace).
pub const DEFAULT_EVENT_BUDGET: usize = 3_000_000;
/// Events between two checkpoints, at first.
pub const CHECKPOINT_EVENTS: usize = 4096;
/// Steps between two checkpoints at most (views cost even without events).
pub const CHECKPOINT_STEPS: usize = 1024;
/// Most checkpoints kept; past this every other one goes and the spacing doubles.
pub const MAX_CHECKPOINTS: usize = 48;
/// Most references a view lists; a bigger container shows a count of the rest.
pub const MAX_VIEW_REFS: usize = 32;
/// Longest value preview, in characters.
pub const MAX_PREVIEW: usize = 40;

/// A block pointer packed into 8 bytes with 4-byte alignment, so a
/// [`TraceEvent`] fits in 16 bytes.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct PackedPtr([u32; 2]);

impl From<Ptr> for PackedPtr {
    fn from(p: Ptr) -> PackedPtr {
        match p {
            Ptr::Block(b) => PackedPtr([
                b.pool.arena.0,
                u32::from(b.pool.index) << 16 | u32::from(b.block),
            ]),
            Ptr::Raw(r) => PackedPtr([u32::MAX, r.0]),
        }
    }
}

impl PackedPtr {
    /// The pointer.
    pub fn get(self) -> Ptr {
        use crate::obmalloc::{ArenaId, BlockRef, PoolId, RawId};
        match self.0 {
            [u32::MAX, id] => Ptr::Raw(RawId(id)),
            [arena, x] => Ptr::Block(BlockRef {
                pool: PoolId {
                    arena: ArenaId(arena),
                    index: (x >> 16) as u8,
                },
                block: x as u16,
            }),
        }
    }
}

impl std::fmt::Display for PackedPtr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

/// A name (a type, a function, a variable or an attribute) in a trace's
/// table: see [`ProgramTrace::name`].
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Name(pub u32);

/// The names a trace uses, each stored once.
#[derive(Clone, Debug, Default)]
pub struct Names {
    list: Vec<Rc<str>>,
    ids: HashMap<Rc<str>, u32>,
}

/// Reference labels every trace names first, so that their ids are
/// fixed (the object inspector, [`crate::inspect`], tells references
/// apart by them without the trace's table).
pub mod labels {
    use super::Name;

    /// `__defaults__`: a function's defaults tuple.
    pub const DEFAULTS: Name = Name(0);
    /// `__closure__`: a function's tuple of cells.
    pub const CLOSURE: Name = Name(1);
    /// `cell_contents`: what a cell holds.
    pub const CELL_CONTENTS: Name = Name(2);
    /// `__dict__`: an instance's dict.
    pub const DICT: Name = Name(3);
    /// `args`: an exception's arguments tuple.
    pub const ARGS: Name = Name(4);

    /// Their texts, in id order.
    pub(super) const TEXTS: [&str; 5] = [
        "__defaults__",
        "__closure__",
        "cell_contents",
        "__dict__",
        "args",
    ];
}

impl Names {
    /// A table holding the [`labels`], at their fixed ids.
    pub fn well_known() -> Names {
        let mut n = Names::default();
        for s in labels::TEXTS {
            n.intern(s);
        }
        n
    }

    /// The id of `s`, added if new.
    pub fn intern(&mut self, s: &str) -> Name {
        if let Some(&i) = self.ids.get(s) {
            return Name(i);
        }
        let i = self.list.len() as u32;
        let rc: Rc<str> = Rc::from(s);
        self.list.push(Rc::clone(&rc));
        self.ids.insert(rc, i);
        Name(i)
    }

    /// The text of `n` (empty for an id not in the table).
    pub fn get(&self, n: Name) -> &str {
        self.list.get(n.0 as usize).map_or("", |s| s)
    }

    /// How many names there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The count an incref or decref event shows for an immortal object.
pub const IMMORTAL: u32 = u32::MAX;

/// A C function name, as an index into [`ProgramTrace::cnames`]'s table.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct CName(pub u16);

/// One fine event: something the modelled CPython did to memory.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TraceEvent {
    /// `PyObject_Malloc(nbytes)` returned `ptr`.
    Alloc {
        /// The block.
        ptr: PackedPtr,
        /// The request size.
        nbytes: u32,
    },
    /// `PyObject_Realloc(old, nbytes)`: the block grew or shrank in place
    /// or moved (the object's view shows where it is now).
    Realloc {
        /// The block before.
        old: PackedPtr,
        /// The new request size.
        nbytes: u32,
    },
    /// `PyObject_Free(ptr)`.
    Free {
        /// The block.
        ptr: PackedPtr,
    },
    /// A new object (its blocks were allocated or taken from a free list
    /// just before).
    New {
        /// The object.
        obj: ObjRef,
        /// The C function that made it.
        func: CName,
        /// Its block came from a free list.
        reused: bool,
    },
    /// `Py_INCREF`.
    Incref {
        /// The object.
        obj: ObjRef,
        /// The count after.
        refcnt: u32,
    },
    /// `Py_DECREF`.
    Decref {
        /// The object.
        obj: ObjRef,
        /// The count after.
        refcnt: u32,
    },
    /// The count reached zero: the type's dealloc function ran.
    Dealloc {
        /// The object.
        obj: ObjRef,
        /// The dealloc function.
        func: CName,
    },
    /// `_PyObject_GC_TRACK`: the object joined generation 0.
    Track {
        /// The object.
        obj: ObjRef,
    },
    /// `_PyObject_GC_UNTRACK`: the object left the collector's lists.
    Untrack {
        /// The object.
        obj: ObjRef,
    },
    /// A dealloc kept the object's block on its type's free list.
    FreeListPush {
        /// The list.
        kind: FreeListKind,
    },
    /// A new object's block came off its type's free list.
    FreeListPop {
        /// The list.
        kind: FreeListKind,
    },
    /// A full collection emptied the free lists (`_PyGC_ClearAllFreeLists`);
    /// the blocks' frees follow.
    ClearFreeLists,
    /// `gc_collect_main` started on a generation.
    Collect {
        /// The oldest generation collected.
        generation: u8,
    },
    /// A phase of the collection finished: [`ProgramTrace::gc_phase`]
    /// gives every candidate's `gc_refs` and list as it left them.
    GcPhase {
        /// The phase.
        phase: crate::objects::GcPhase,
        /// Its record in the trace's phase table.
        index: u32,
    },
    /// The collection ended.
    Collected {
        /// The oldest generation collected.
        generation: u8,
        /// Unreachable objects found.
        collected: u32,
    },
}

impl TraceEvent {
    /// The C function this event models, in `version`.
    pub fn cfunction<'a>(&self, version: Version, names: &'a [&'static str]) -> &'a str {
        let name = |c: CName| names.get(c.0 as usize).copied().unwrap_or("?");
        match *self {
            TraceEvent::Alloc { ptr, .. } if matches!(ptr.get(), Ptr::Raw(_)) => "PyMem_RawMalloc",
            TraceEvent::Alloc { .. } => "PyObject_Malloc",
            TraceEvent::Realloc { .. } => "PyObject_Realloc",
            TraceEvent::Free { ptr } if matches!(ptr.get(), Ptr::Raw(_)) => "PyMem_RawFree",
            TraceEvent::Free { .. } => "PyObject_Free",
            TraceEvent::New { func, .. } | TraceEvent::Dealloc { func, .. } => name(func),
            TraceEvent::Incref { .. } => "Py_INCREF",
            TraceEvent::Decref { .. } => "Py_DECREF",
            TraceEvent::Track { .. } => "_PyObject_GC_TRACK",
            TraceEvent::Untrack { .. } => "_PyObject_GC_UNTRACK",
            TraceEvent::FreeListPush { .. } | TraceEvent::FreeListPop { .. } => "free list",
            TraceEvent::ClearFreeLists if version.minor() >= 11 => "_PyGC_ClearAllFreeLists",
            TraceEvent::ClearFreeLists => "clear_freelists",
            TraceEvent::Collect { .. } | TraceEvent::Collected { .. } => "gc_collect_main",
            TraceEvent::GcPhase { phase, .. } => phase.function(),
        }
    }

    /// The object the event is about, if one.
    pub fn obj(&self) -> Option<ObjRef> {
        match *self {
            TraceEvent::New { obj, .. }
            | TraceEvent::Incref { obj, .. }
            | TraceEvent::Decref { obj, .. }
            | TraceEvent::Dealloc { obj, .. }
            | TraceEvent::Track { obj }
            | TraceEvent::Untrack { obj } => Some(obj),
            _ => None,
        }
    }

    /// A short kind name (`"alloc"`, `"incref"`, …), as the JSON trace writes it.
    pub fn kind(&self) -> &'static str {
        match self {
            TraceEvent::Alloc { .. } => "alloc",
            TraceEvent::Realloc { .. } => "realloc",
            TraceEvent::Free { .. } => "free",
            TraceEvent::New { .. } => "new",
            TraceEvent::Incref { .. } => "incref",
            TraceEvent::Decref { .. } => "decref",
            TraceEvent::Dealloc { .. } => "dealloc",
            TraceEvent::Track { .. } => "track",
            TraceEvent::Untrack { .. } => "untrack",
            TraceEvent::FreeListPush { .. } => "freelist_push",
            TraceEvent::FreeListPop { .. } => "freelist_pop",
            TraceEvent::ClearFreeLists => "clear_freelists",
            TraceEvent::Collect { .. } => "collect",
            TraceEvent::Collected { .. } => "collected",
            TraceEvent::GcPhase { .. } => "gc_phase",
        }
    }
}

/// What the object layer logs while a program trace records.
#[derive(Clone, Debug)]
pub(crate) struct Log {
    /// Fine events since the last step boundary.
    pub events: Vec<TraceEvent>,
    /// Objects changed since then (with repeats).
    pub touched: Vec<ObjRef>,
    names: Vec<&'static str>,
    ids: HashMap<&'static str, u16>,
    /// Every collection phase so far (a [`TraceEvent::GcPhase`] indexes it).
    pub phases: Vec<GcPhaseRecord>,
}

/// One phase of a collection as a program trace keeps it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GcPhaseRecord {
    /// The phase.
    pub phase: crate::objects::GcPhase,
    /// Each candidate's `gc_refs` and list, in list order: the first
    /// [`MAX_PHASE_CANDIDATES`] of them.
    pub candidates: Box<[crate::objects::GcCandidate]>,
    /// How many candidates there were.
    pub total: u32,
}

/// The most candidates a phase record keeps: a view cannot show more, and
/// a full collection of a big heap would otherwise cost megabytes a phase.
pub const MAX_PHASE_CANDIDATES: usize = 10_000;

impl Log {
    fn new() -> Log {
        Log {
            events: Vec::new(),
            phases: Vec::new(),
            touched: Vec::new(),
            names: vec!["?"],
            ids: HashMap::new(),
        }
    }

    /// Appends `e` after what the collector logged since the last event.
    pub(crate) fn push(&mut self, gc: &mut GcState, e: TraceEvent) {
        self.take_gc(gc);
        self.events.push(e);
    }

    fn take_gc(&mut self, gc: &mut GcState) {
        if let Some(g) = &mut gc.log {
            self.events.append(&mut g.events);
            self.touched.append(&mut g.touched);
        }
    }

    /// The id of C function name `f`.
    pub(crate) fn name(&mut self, f: &'static str) -> CName {
        if let Some(&i) = self.ids.get(f) {
            return CName(i);
        }
        let i = u16::try_from(self.names.len()).unwrap_or(0);
        if i != 0 {
            self.names.push(f);
            self.ids.insert(f, i);
        }
        CName(i)
    }
}

/// Which collector list an object is in.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum GcView {
    /// Not a GC type: never tracked.
    NotGc,
    /// A GC type, not tracked now (an atomic-only tuple or dict, say).
    Untracked,
    /// Tracked, in generation 0, 1 or 2.
    Gen(u8),
    /// Frozen by `gc.freeze()`.
    Permanent,
}

/// How a reference is labelled in the graph.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Label {
    /// An item of a sequence or set, in order.
    Item,
    /// A dict value (or an instance attribute value) under this key object.
    Key(ObjRef),
    /// A named field: a class attribute, a function's defaults, a cell's contents.
    Name(Name),
}

/// One reference from an object.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Edge {
    /// How it is labelled.
    pub label: Label,
    /// The object referred to.
    pub to: ObjRef,
}

/// An allocation an object owns.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OwnedBlock {
    /// The block.
    pub ptr: Ptr,
    /// Its request size.
    pub nbytes: u32,
    /// What it holds: the object itself, or one of its buffers.
    pub part: crate::layout::Part,
}

/// What the UI draws for one object at one step.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ObjView {
    /// `type(x).__name__`.
    pub type_name: Name,
    /// `ob_refcnt` as the model counts it.
    pub refcnt: u64,
    /// What `sys.getrefcount` would show, less its own argument (`None`
    /// for a count that depends on the whole interpreter, as `None`'s did
    /// before 3.12).
    pub shown_refcnt: Option<u64>,
    /// `sys.getsizeof(x)`.
    pub getsizeof: u64,
    /// Its allocations, its own block first.
    pub blocks: Box<[OwnedBlock]>,
    /// A short preview of the value (scalars), or `len N` (containers).
    pub preview: Box<str>,
    /// Its references, in display order, at most [`MAX_VIEW_REFS`]
    /// (shared with the object's earlier views while they do not change).
    pub refs: Rc<[Edge]>,
    /// References beyond those listed.
    pub more_refs: u32,
    /// Its collector list.
    pub gc: GcView,
    /// Shared by the whole interpreter: a cached small int or singleton,
    /// an interned or immortal str, or an object made before the program.
    pub shared: bool,
    /// What the object inspector ([`crate::inspect`]) needs to lay the
    /// object out that its type and the fields above leave open.
    pub layout: ViewLayout,
}

/// The layout facts of an object that its type leaves open and the rest of
/// its [`ObjView`] does not carry (8 bytes; what each block holds is in
/// [`OwnedBlock::part`]).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ViewLayout {
    /// Nothing more: the type fixes the layout.
    #[default]
    Plain,
    /// A compact `str` of this kind.
    Str(crate::layout::StrKind),
    /// A `dict`'s table.
    Dict {
        /// Split (`ma_values` is set): the values are not in the keys
        /// object (the keys a class's, the values in a block of the dict's
        /// or, on 3.13, inline in the instance).
        split: bool,
    },
    /// An instance of a class the program defined.
    Instance(InstanceLayout),
}

/// The layout of a program-defined class's instances
/// ([`crate::layout::InstanceShape`], packed) and where one instance's
/// inline values stand.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct InstanceLayout {
    /// `__slots__` members (saturating at `u16::MAX`).
    pub slots: u16,
    /// Words a built-in exception base adds after `PyObject_HEAD` (its
    /// `PyBaseExceptionObject` fields, `__dict__` among them); 0 for
    /// `object`.
    pub base_words: u8,
    /// 3.13+: the value slots the object was allocated with room for
    /// after itself (`_PyInlineValuesSize`, taken before the class's
    /// shared keys shrink for it); 0 when the values are not inline.
    pub inline_values: u8,
    /// 3.13+: the inline values' `capacity` (the shared keys' usable size
    /// after the shrink).
    pub inline_capacity: u8,
    /// Instances have a `__dict__`.
    pub dict: bool,
    /// Instances support weak references.
    pub weakref: bool,
}

impl InstanceLayout {
    /// The packed layout of an instance with attributes `attrs`.
    pub fn of(attrs: &crate::layout::InstanceAttrs) -> InstanceLayout {
        use crate::layout::{AttrStorage, DictState, SplitValues};
        let shape = &attrs.shape;
        let capacity = match &attrs.storage {
            AttrStorage::Values {
                capacity,
                inline: true,
            }
            | AttrStorage::Dict {
                dict:
                    DictState {
                        values:
                            Some(SplitValues {
                                capacity,
                                embedded: true,
                            }),
                        ..
                    },
                ..
            } => *capacity,
            _ => 0,
        };
        let byte = |n: u64| u8::try_from(n).unwrap_or(u8::MAX);
        InstanceLayout {
            slots: u16::try_from(shape.slots).unwrap_or(u16::MAX),
            base_words: byte(shape.base_body / crate::layout::PTR),
            inline_values: byte(shape.inline_values),
            inline_capacity: byte(capacity),
            dict: shape.dict,
            weakref: shape.weakref,
        }
    }

    /// The class's instance shape (with no separate values array).
    pub fn shape(&self) -> crate::layout::InstanceShape {
        crate::layout::InstanceShape {
            slots: u64::from(self.slots),
            dict: self.dict,
            weakref: self.weakref,
            inline_values: u64::from(self.inline_values),
            values: None,
            base_body: u64::from(self.base_words) * crate::layout::PTR,
            base_dict: self.base_words > 0,
        }
    }
}

impl ObjView {
    /// Equal to `other` but for the reference count.
    fn same_but_count(&self, other: &ObjView) -> bool {
        self.type_name == other.type_name
            && self.getsizeof == other.getsizeof
            && self.blocks == other.blocks
            && self.preview == other.preview
            && self.refs == other.refs
            && self.more_refs == other.more_refs
            && self.gc == other.gc
            && self.shared == other.shared
            && self.layout == other.layout
    }
}

/// A frame on the call stack at one step.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FrameView {
    /// The function's name (`<module>` for the module).
    pub func: Name,
    /// The line it is at.
    pub line: u32,
    /// Its variables that are bound, in slot order (the module's in order
    /// of first binding).
    pub locals: Box<[(Name, ObjRef)]>,
}

/// Why a step began.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StepKind {
    /// Step 0: the program has not started.
    Start,
    /// A statement began.
    Line,
    /// A loop began another round.
    Loop,
    /// A call returned to its caller's line.
    Return,
}

impl StepKind {
    /// As the JSON trace writes it.
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Start => "start",
            StepKind::Line => "line",
            StepKind::Loop => "loop",
            StepKind::Return => "return",
        }
    }
}

/// Memory figures after a step, for the UI's charts.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    /// Bytes of mapped arenas.
    pub arena_bytes: u64,
    /// Blocks handed out by pymalloc.
    pub blocks_in_use: u64,
    /// Bytes of large (system-malloc) blocks.
    pub raw_bytes: u64,
    /// Live objects.
    pub objects: u32,
    /// `tracemalloc.get_traced_memory()`: current and peak.
    pub traced: (u64, u64),
    /// The collector's counts and thresholds per list, for the GC panel's
    /// count-versus-threshold bars: generations 0–2, or on 3.14 the
    /// young generation, `old[0]` and `old[1]`.
    pub gc: GcFigures,
}

/// The collector's figures after a step.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GcFigures {
    /// `count` of each list (see [`Figures::gc`]).
    pub counts: [i64; 3],
    /// `threshold` of each list.
    pub thresholds: [i64; 3],
    /// `count` still includes the startup's unseen allocations
    /// ([`crate::gc::Unseen::count_assumed`]): the bar is an estimate.
    pub counts_assumed: [bool; 3],
    /// 3.14: which old space (`Gen(1 + s)`) is the visited one.
    pub visited_space: Option<u8>,
    /// 3.14: `work_to_do` (the startup's share assumed).
    pub work_to_do: Option<i64>,
}

impl GcFigures {
    /// The figures of `gc` now.
    pub fn of(gc: &crate::gc::GcState) -> GcFigures {
        GcFigures {
            counts: gc.counts,
            thresholds: gc.thresholds,
            counts_assumed: gc.unseen.count_assumed,
            visited_space: gc.inc.map(|i| i.visited_space),
            work_to_do: gc.inc.map(|i| i.work_to_do),
        }
    }

    /// What the view calls generation list `g` (0–2): "generation N" up
    /// to 3.13; "young", "old (visited)" or "old (pending)" on 3.14.
    pub fn list_label(&self, g: u8) -> String {
        match (self.visited_space, g) {
            (None, g) => format!("generation {g}"),
            (Some(_), 0) => "young".to_string(),
            (Some(s), g) if g == s + 1 => "old (visited)".to_string(),
            (Some(_), _) => "old (pending)".to_string(),
        }
    }
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct StepRec {
    line: u32,
    kind: StepKind,
    events_end: u32,
    views_end: u32,
    counts_end: u32,
    types_end: u32,
    stdout_len: u32,
    frames: Rc<[FrameView]>,
    figures: Figures,
}

/// An object whose reference count alone changed in a step.
#[derive(Copy, Clone, Debug, serde::Serialize, serde::Deserialize)]
struct CountChange {
    obj: ObjRef,
    refcnt: u32,
    /// [`ObjView::shown_refcnt`], `u64::MAX` for none.
    shown: u64,
}

/// The state after some step: the heap and every object's view.
#[derive(Clone, Debug)]
pub struct Checkpoint {
    step: usize,
    heap: Heap,
    objects: BTreeMap<ObjRef, Rc<ObjView>>,
}

/// The model's state at one step, as [`ProgramTrace::seek`] rebuilds it,
/// or part way through one ([`ProgramTrace::seek_event`]: then `step` is
/// the step under way and `frames` are those of the step before).
#[derive(Clone, Debug)]
pub struct ProgramState {
    /// The step.
    pub step: usize,
    /// The allocator and free lists.
    pub heap: Heap,
    /// Every live object's view.
    pub objects: BTreeMap<ObjRef, Rc<ObjView>>,
    /// The call stack, the module first.
    pub frames: Rc<[FrameView]>,
}

/// A recorded run of a Python program.
#[derive(Clone, Debug)]
pub struct ProgramTrace {
    version: Version,
    file_name: String,
    output: Output,
    steps: Vec<StepRec>,
    events: Vec<TraceEvent>,
    names: Vec<&'static str>,
    gc_phases: Vec<GcPhaseRecord>,
    views: Vec<(ObjRef, Option<Rc<ObjView>>)>,
    /// Objects whose count alone changed in a step: `(object, refcnt,
    /// shown_refcnt)`, far smaller than a new view.
    counts: Vec<CountChange>,
    /// Type, function, variable and attribute names.
    idents: Names,
    type_deltas: Vec<(Name, i32)>,
    /// Shared, so that copying a trace that is still growing (the app
    /// shows each new part) copies no heap.
    checkpoints: Vec<Rc<Checkpoint>>,
    error: Option<String>,
    stale: usize,
    /// `gc.garbage`'s list (the model's `gc` module, like CPython's,
    /// exists from start-up).
    gc_garbage: Option<ObjRef>,
}

/// Limits of a recorded run.
#[derive(Copy, Clone, Debug)]
pub struct Budgets {
    /// Statements and loop rounds executed.
    pub steps: u64,
    /// Fine events recorded.
    pub events: usize,
    /// Bytes the modelled allocator may hand out (`None`: no limit but the
    /// model's own).
    pub memory: Option<u64>,
    /// Events between two checkpoints at first (0: a checkpoint at every
    /// step, for tests).
    pub checkpoint_events: usize,
}

impl Default for Budgets {
    fn default() -> Budgets {
        Budgets {
            steps: crate::interp::DEFAULT_STEP_BUDGET,
            events: DEFAULT_EVENT_BUDGET,
            memory: None,
            checkpoint_events: CHECKPOINT_EVENTS,
        }
    }
}

/// Runs `source` as CPython `version` would and records every step.
pub fn record(version: Version, file_name: &str, source: &str, budgets: Budgets) -> ProgramTrace {
    crate::interp::record(version, file_name, source, budgets, None)
}

/// [`record`], sending the trace to `sink` part by part as the program
/// runs (when [`TraceSink::due`] says so, and always at the end): for
/// recording on another thread while the page shows the trace as it
/// grows. The trace returned keeps only step 0's checkpoint.
pub fn record_streaming(
    version: Version,
    file_name: &str,
    source: &str,
    budgets: Budgets,
    sink: Box<dyn TraceSink>,
) -> ProgramTrace {
    crate::interp::record(version, file_name, source, budgets, Some(sink))
}

impl ProgramTrace {
    /// A trace with no step yet.
    fn new(version: Version, file_name: &str, output: Output) -> ProgramTrace {
        ProgramTrace {
            version,
            file_name: file_name.to_string(),
            output,
            steps: Vec::new(),
            events: Vec::new(),
            names: Vec::new(),
            gc_phases: Vec::new(),
            views: Vec::new(),
            counts: Vec::new(),
            idents: Names::well_known(),
            type_deltas: Vec::new(),
            checkpoints: Vec::new(),
            error: None,
            stale: 0,
            gc_garbage: None,
        }
    }

    /// The trace of a run that stopped before its first part arrived:
    /// step 0 with nothing in it, and `why` as its [`ProgramTrace::error`].
    pub fn unfinished(version: Version, file_name: &str, why: String) -> ProgramTrace {
        let output = Output {
            stdout: String::new(),
            stderr: String::new(),
            exit_code: 0,
            error: None,
        };
        let mut t = Recorder::empty(version, file_name, output);
        t.error = Some(why);
        t
    }

    /// The `gc.garbage` list (it exists from start-up and stays empty
    /// unless `gc.DEBUG_SAVEALL` is set).
    pub fn gc_garbage(&self) -> Option<ObjRef> {
        self.gc_garbage
    }

    /// The version run.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The program's file name.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// What the run printed and how it ended.
    pub fn output(&self) -> &Output {
        &self.output
    }

    /// Objects whose recorded view at the last step differs from the
    /// object itself: 0 unless some change escaped the log (a bug).
    pub fn stale_views(&self) -> usize {
        self.stale
    }

    /// Checkpoints kept.
    pub fn checkpoints(&self) -> usize {
        self.checkpoints.len()
    }

    /// Why the run stopped early (a budget), if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The last step. Valid steps are `0..=len()`.
    pub fn len(&self) -> usize {
        self.steps.len().saturating_sub(1)
    }

    /// True when no statement ran.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The line step `step` ran (0 for step 0).
    pub fn line(&self, step: usize) -> u32 {
        self.steps.get(step).map_or(0, |s| s.line)
    }

    /// Why step `step` began.
    pub fn kind(&self, step: usize) -> StepKind {
        self.steps.get(step).map_or(StepKind::Start, |s| s.kind)
    }

    /// Step `step`'s part of a per-step list whose ends `end` reads
    /// (empty for a step that does not exist).
    fn span(&self, step: usize, end: impl Fn(&StepRec) -> u32) -> std::ops::Range<usize> {
        let Some(rec) = self.steps.get(step) else {
            return 0..0;
        };
        let start = step
            .checked_sub(1)
            .map_or(0, |p| end(&self.steps[p]) as usize);
        start..end(rec) as usize
    }

    /// The fine events of step `step`, in order.
    pub fn events(&self, step: usize) -> &[TraceEvent] {
        &self.events[self.span(step, |s| s.events_end)]
    }

    /// Every fine event of the run.
    pub fn all_events(&self) -> &[TraceEvent] {
        &self.events
    }

    /// The table [`CName`]s index.
    pub fn cnames(&self) -> &[&'static str] {
        &self.names
    }

    /// The C function `e` models.
    pub fn cfunction(&self, e: &TraceEvent) -> &str {
        e.cfunction(self.version, &self.names)
    }

    /// Memory figures after step `step`.
    pub fn figures(&self, step: usize) -> Figures {
        self.steps.get(step).map(|s| s.figures).unwrap_or_default()
    }

    /// The call stack after step `step`.
    pub fn frames(&self, step: usize) -> Rc<[FrameView]> {
        self.steps
            .get(step.min(self.len()))
            .map_or_else(|| Rc::from(Vec::new()), |s| Rc::clone(&s.frames))
    }

    /// What the program had written to stdout by the end of step `step`.
    pub fn stdout_at(&self, step: usize) -> &str {
        let n = self
            .steps
            .get(step)
            .map_or(self.output.stdout.len(), |s| s.stdout_len as usize);
        self.output.stdout.get(..n).unwrap_or(&self.output.stdout)
    }

    /// Live objects by type after step `step`, most first.
    pub fn live_by_type(&self, step: usize) -> Vec<(&str, u32)> {
        let end = self.steps.get(step).map_or(0, |s| s.types_end as usize);
        let mut counts = vec![0i64; self.idents.len()];
        for &(t, d) in &self.type_deltas[..end] {
            if let Some(c) = counts.get_mut(t.0 as usize) {
                *c += i64::from(d);
            }
        }
        let mut out: Vec<(&str, u32)> = counts
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, &n)| (self.idents.get(Name(i as u32)), n as u32))
            .collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        out
    }

    /// The text of name `n` (a type, function, variable or attribute).
    pub fn name(&self, n: Name) -> &str {
        self.idents.get(n)
    }

    /// The full state after step `step` (clamped to the last step): the
    /// nearest checkpoint, then the steps since replayed.
    pub fn seek(&self, step: usize) -> ProgramState {
        let step = step.min(self.len());
        let k = self
            .checkpoints
            .partition_point(|c| c.step <= step)
            .saturating_sub(1);
        let Some(cp) = self.checkpoints.get(k) else {
            return ProgramState {
                step,
                heap: Heap::empty(self.version),
                objects: BTreeMap::new(),
                frames: self.frames(step),
            };
        };
        let mut heap = cp.heap.clone();
        let mut objects = cp.objects.clone();
        for s in cp.step + 1..=step {
            self.apply(s, &mut heap, &mut objects);
        }
        ProgramState {
            step,
            heap,
            objects,
            frames: self.frames(step),
        }
    }

    /// Turns the state after step `s - 1` into the state after step `s`:
    /// its allocator events replayed, its new views and counts applied.
    fn apply(&self, s: usize, heap: &mut Heap, objects: &mut BTreeMap<ObjRef, Rc<ObjView>>) {
        for e in self.events(s) {
            replay(heap, e);
        }
        for (r, v) in &self.views[self.span(s, |s| s.views_end)] {
            match v {
                Some(v) => objects.insert(*r, Rc::clone(v)),
                None => objects.remove(r),
            };
        }
        for c in &self.counts[self.span(s, |s| s.counts_end)] {
            if let Some(v) = objects.get_mut(&c.obj) {
                let v = Rc::make_mut(v);
                v.refcnt = u64::from(c.refcnt);
                v.shown_refcnt = (c.shown != u64::MAX).then_some(c.shown);
            }
        }
    }

    /// The state part way through step `step` (clamped to the last step):
    /// after its first `k` fine events.
    ///
    /// `k >= events(step).len()` gives exactly [`ProgramTrace::seek`]`(step)`.
    /// Otherwise the state is `seek(step - 1)` (its heap, objects and
    /// frames, with [`ProgramState::step`] set to `step`) with the first
    /// `k` events replayed on it:
    ///
    /// * allocator and free-list events on the heap, as `seek` replays them,
    ///   so the blocks in use change exactly at each `Alloc`, `Free` and
    ///   moving `Realloc`;
    /// * `New` inserts the object's view as of the end of the step, with
    ///   its count as it was when made (worked back from the step's next
    ///   incref or decref of it); an object that does not outlive the step
    ///   has no view to show and is skipped;
    /// * `Dealloc` removes the object;
    /// * `Incref`/`Decref` set [`ObjView::refcnt`] to the event's count and
    ///   move [`ObjView::shown_refcnt`] by the same amount (an immortal's
    ///   [`IMMORTAL`] events change nothing);
    /// * `Track`/`Untrack` move the object into generation 0 or out of the
    ///   collector's lists.
    ///
    /// Every other change the step makes to an object (its value, its
    /// references, its blocks, a collection's moves between generations)
    /// shows only at the step's end. Step 0 has nothing before it: any `k`
    /// gives `seek(0)`.
    pub fn seek_event(&self, step: usize, k: usize) -> ProgramState {
        let step = step.min(self.len());
        let events = self.events(step);
        if step == 0 || k >= events.len() {
            return self.seek(step);
        }
        let mut st = self.seek(step - 1);
        st.step = step;
        let views = &self.views[self.span(step, |s| s.views_end)];
        let counts = &self.counts[self.span(step, |s| s.counts_end)];
        // Views a dealloc removed, for an object made again at the same
        // handle whose end-of-step view is a count change of the old one.
        let mut removed: BTreeMap<ObjRef, Rc<ObjView>> = BTreeMap::new();
        for (i, e) in events[..k].iter().enumerate() {
            replay(&mut st.heap, e);
            match *e {
                TraceEvent::New { obj, .. } => {
                    let later = &events[i + 1..];
                    let dies_or_remade = later.iter().any(|x| {
                        matches!(*x, TraceEvent::New { obj: o, .. } | TraceEvent::Dealloc { obj: o, .. } if o == obj)
                    });
                    if dies_or_remade {
                        continue;
                    }
                    let end = match views.iter().rev().find(|(r, _)| *r == obj) {
                        Some((_, v)) => v.clone(),
                        // Only its count changed against the view it had
                        // before the step: that view with the new count.
                        None => removed
                            .get(&obj)
                            .or_else(|| st.objects.get(&obj))
                            .cloned()
                            .map(|mut v| {
                                if let Some(c) = counts.iter().rev().find(|c| c.obj == obj) {
                                    let m = Rc::make_mut(&mut v);
                                    m.refcnt = u64::from(c.refcnt);
                                    m.shown_refcnt = (c.shown != u64::MAX).then_some(c.shown);
                                }
                                v
                            }),
                    };
                    let Some(mut v) = end else {
                        continue;
                    };
                    // The count when made: one off the step's next change of it.
                    let made = later.iter().find_map(|x| match *x {
                        TraceEvent::Incref { obj: o, refcnt } if o == obj && refcnt != IMMORTAL => {
                            Some(i64::from(refcnt) - 1)
                        }
                        TraceEvent::Decref { obj: o, refcnt } if o == obj && refcnt != IMMORTAL => {
                            Some(i64::from(refcnt) + 1)
                        }
                        _ => None,
                    });
                    if let Some(n) = made {
                        set_count(Rc::make_mut(&mut v), n);
                    }
                    st.objects.insert(obj, v);
                }
                TraceEvent::Dealloc { obj, .. } => {
                    if let Some(v) = st.objects.remove(&obj) {
                        removed.insert(obj, v);
                    }
                }
                TraceEvent::Incref { obj, refcnt } | TraceEvent::Decref { obj, refcnt }
                    if refcnt != IMMORTAL =>
                {
                    if let Some(v) = st.objects.get_mut(&obj) {
                        set_count(Rc::make_mut(v), i64::from(refcnt));
                    }
                }
                TraceEvent::Track { obj } | TraceEvent::Untrack { obj } => {
                    if let Some(v) = st.objects.get_mut(&obj) {
                        if v.gc != GcView::NotGc {
                            Rc::make_mut(v).gc = match e {
                                TraceEvent::Track { .. } => GcView::Gen(0),
                                _ => GcView::Untracked,
                            };
                        }
                    }
                }
                _ => {}
            }
        }
        st
    }

    /// One paragraph saying what step `step` did, in plain English.
    pub fn narration(&self, step: usize) -> String {
        if step == 0 {
            return format!(
                "Startup: a fresh CPython {} about to run {}.",
                self.version, self.file_name
            );
        }
        let mut out = match self.kind(step) {
            StepKind::Loop => format!("Line {}: the loop goes round again.", self.line(step)),
            StepKind::Return => format!("Back at line {} after the call.", self.line(step)),
            _ => format!("Line {} runs.", self.line(step)),
        };
        for e in self.events(step) {
            out.push(' ');
            out.push_str(&self.describe(e));
        }
        out
    }

    /// One sentence for event `e`.
    pub fn describe(&self, e: &TraceEvent) -> String {
        let c = self.cfunction(e);
        match *e {
            TraceEvent::Alloc { ptr, nbytes } => {
                format!("{c}({nbytes}) returns block {ptr}.")
            }
            TraceEvent::Realloc { old, nbytes } => {
                format!("{c} resizes block {old} to {nbytes} bytes.")
            }
            TraceEvent::Free { ptr } => format!("{c} gives back block {ptr}."),
            TraceEvent::New { obj, reused, .. } => {
                let from = if reused {
                    " on a free-listed block"
                } else {
                    ""
                };
                format!("{c} makes {obj}{from}.")
            }
            TraceEvent::Incref {
                obj,
                refcnt: IMMORTAL,
            }
            | TraceEvent::Decref {
                obj,
                refcnt: IMMORTAL,
            } => {
                format!("{c}: {obj} is immortal, so its count stays put.")
            }
            TraceEvent::Incref { obj, refcnt } => format!("{c}: {obj} now has {refcnt}."),
            TraceEvent::Decref { obj, refcnt } => format!("{c}: {obj} now has {refcnt}."),
            TraceEvent::Dealloc { obj, .. } => {
                format!("{obj}'s count is 0: {c} tears it down.")
            }
            TraceEvent::Track { obj } => format!("{c}: {obj} joins generation 0."),
            TraceEvent::Untrack { obj } => format!("{c}: the collector lets go of {obj}."),
            TraceEvent::FreeListPush { kind } => {
                format!("The block stays on the {} free list.", kind.type_name())
            }
            TraceEvent::FreeListPop { kind } => {
                format!("A block comes off the {} free list.", kind.type_name())
            }
            TraceEvent::ClearFreeLists => format!("{c} empties the free lists."),
            TraceEvent::Collect { generation } => {
                format!("{c} collects generation {generation}.")
            }
            TraceEvent::Collected {
                generation,
                collected,
            } => format!("{c} finished generation {generation}: {collected} unreachable."),
            TraceEvent::GcPhase { phase, index } => {
                let n = self.gc_phase(index).map_or(0, |p| p.total as usize);
                format!("{c}: {}", phase.narration(n))
            }
        }
    }

    /// The record of a collection phase (see [`TraceEvent::GcPhase`]).
    pub fn gc_phase(&self, index: u32) -> Option<&GcPhaseRecord> {
        self.gc_phases.get(index as usize)
    }

    /// Bytes this trace holds, roughly, by part: fine events, step
    /// records, object views, frames, and checkpoints' views and heaps
    /// (for the size benchmark). Shared views and frames count once.
    pub fn size_parts(&self) -> Vec<(&'static str, usize)> {
        use std::mem::size_of;
        let view_bytes = |v: &ObjView| {
            size_of::<ObjView>()
                + 16
                + v.blocks.len() * size_of::<OwnedBlock>()
                + v.preview.len()
                + v.refs.len() * size_of::<Edge>()
        };
        let events = self.events.capacity() * size_of::<TraceEvent>();
        let steps = self.steps.capacity() * size_of::<StepRec>()
            + self.type_deltas.capacity() * size_of::<(Name, i32)>()
            + self.output.stdout.len();
        let views = self.views.capacity() * size_of::<(ObjRef, Option<Rc<ObjView>>)>()
            + self.counts.capacity() * size_of::<CountChange>()
            + self
                .views
                .iter()
                .filter_map(|(_, v)| v.as_deref())
                .map(view_bytes)
                .sum::<usize>();
        let mut frames = 0;
        let mut last: Option<*const [FrameView]> = None;
        for s in &self.steps {
            let p = Rc::as_ptr(&s.frames);
            if last != Some(p) {
                frames += 16
                    + s.frames
                        .iter()
                        .map(|f| {
                            size_of::<FrameView>() + f.locals.len() * size_of::<(Name, ObjRef)>()
                        })
                        .sum::<usize>();
                last = Some(p);
            }
        }
        // A B-tree node holds up to 11 entries; count them full.
        let cp_views = self
            .checkpoints
            .iter()
            .map(|cp| cp.objects.len() * (size_of::<ObjRef>() + size_of::<Rc<ObjView>>()))
            .sum();
        let cp_heaps = self
            .checkpoints
            .iter()
            .map(|cp| cp.heap.alloc.approx_bytes())
            .sum();
        vec![
            ("events", events),
            ("steps", steps),
            ("views", views),
            ("frames", frames),
            ("checkpoint views", cp_views),
            ("checkpoint heaps", cp_heaps),
        ]
    }

    /// The sum of [`ProgramTrace::size_parts`].
    pub fn approx_bytes(&self) -> usize {
        self.size_parts().iter().map(|p| p.1).sum()
    }
}

/// Sets `v`'s count to `n` (at least 0) and moves its shown count by the
/// same amount.
fn set_count(v: &mut ObjView, n: i64) {
    let n = n.max(0);
    let delta = n - v.refcnt.min(i64::MAX as u64) as i64;
    v.refcnt = n as u64;
    if let Some(s) = v.shown_refcnt {
        v.shown_refcnt = Some((s.min(i64::MAX as u64) as i64 + delta).max(0) as u64);
    }
}

/// Applies a heap-changing event to `heap` (the rest change only views).
fn replay(heap: &mut Heap, e: &TraceEvent) {
    // The recorded calls succeeded on this same state, so they succeed again.
    match *e {
        TraceEvent::Alloc { nbytes, .. } => {
            let _ = heap.alloc.malloc(u64::from(nbytes));
        }
        TraceEvent::Realloc { old, nbytes } => {
            let _ = heap.alloc.realloc(Some(old.get()), u64::from(nbytes));
        }
        TraceEvent::Free { ptr } => {
            let _ = heap.alloc.free(ptr.get());
        }
        TraceEvent::FreeListPush { kind } => {
            heap.free_lists.push(kind);
        }
        TraceEvent::FreeListPop { kind } => {
            heap.free_lists.pop(kind);
        }
        TraceEvent::ClearFreeLists => {
            heap.free_lists.clear();
        }
        _ => {}
    }
}

/// Draws `r` as the UI shows it, or `None` if it is dead (`names` gets
/// the type and field names).
pub fn view_of(objs: &Objects, r: ObjRef, names: &mut Names) -> Option<ObjView> {
    let o = objs.get(r)?;
    let mut refs: Vec<Edge> = Vec::new();
    let mut total = 0usize;
    let mut add = |label: Label, to: ObjRef| {
        if refs.len() < MAX_VIEW_REFS {
            refs.push(Edge { label, to });
        }
        total += 1;
    };
    let mut name = |s: &str| Label::Name(names.intern(s));
    let preview: String = match &o.payload {
        Payload::None => "None".into(),
        Payload::Bool(b) => if *b { "True" } else { "False" }.into(),
        Payload::Ellipsis => "Ellipsis".into(),
        Payload::Int(i) => {
            if i.bits() <= 128 {
                i.to_string()
            } else {
                format!("<{} bits>", i.bits())
            }
        }
        Payload::Float(x) => float_repr(*x),
        &Payload::Complex(re, im) => complex_repr(re, im),
        Payload::Str(s) => str_repr(clip(s)),
        Payload::Bytes(b) => bytes_repr(&b[..b.len().min(MAX_PREVIEW)]),
        Payload::Tuple(items) => {
            items.iter().for_each(|&x| add(Label::Item, x));
            format!("len {}", items.len())
        }
        Payload::List { items, .. } => {
            items.iter().for_each(|&x| add(Label::Item, x));
            format!("len {}", items.len())
        }
        Payload::Dict { entries, .. } => {
            for &(k, v) in entries {
                add(Label::Item, k);
                add(Label::Key(k), v);
            }
            format!("len {}", entries.len())
        }
        Payload::Set { table, .. } => {
            let keys = table.keys();
            keys.iter().for_each(|&x| add(Label::Item, x));
            format!("len {}", keys.len())
        }
        Payload::Module(n) => n.to_string(),
        Payload::Builtin(n) => format!("<built-in function {n}>"),
        Payload::Type(n) => format!("<class '{n}'>"),
        Payload::Range { start, stop, step } => {
            if *step == 1 {
                format!("range({start}, {stop})")
            } else {
                format!("range({start}, {stop}, {step})")
            }
        }
        Payload::Function {
            name: fname,
            defaults,
            closure,
            ..
        } => {
            if let Some(d) = defaults {
                add(name("__defaults__"), *d);
            }
            if let Some(c) = closure {
                add(name("__closure__"), *c);
            }
            format!("{fname}()")
        }
        Payload::Cell(v) => {
            if let Some(v) = v {
                add(name("cell_contents"), *v);
            }
            "cell".into()
        }
        Payload::BoundBuiltin {
            name: mname, self_, ..
        } => {
            add(name("__self__"), *self_);
            format!("<bound {mname}>")
        }
        Payload::Method { func, self_ } => {
            add(name("__func__"), *func);
            add(name("__self__"), *self_);
            "bound method".into()
        }
        Payload::Class(c) => {
            for (n, v) in &c.ns {
                add(name(n), *v);
            }
            if let Some(b) = c.base {
                add(name("__base__"), b);
            }
            format!("<class '{}'>", c.name)
        }
        Payload::Instance(i) => {
            for &(k, v) in &i.vals {
                add(Label::Key(k), v);
            }
            for v in i.slots.iter().flatten() {
                add(Label::Item, *v);
            }
            if let Some(d) = i.dict {
                add(name("__dict__"), d);
            }
            if let Some(e) = &i.exc {
                add(name("args"), e.args);
            }
            String::new()
        }
        Payload::Exception { args, .. } => {
            add(name("args"), *args);
            String::new()
        }
        _ => {
            objs.referents(r)
                .into_iter()
                .for_each(|x| add(Label::Item, x));
            String::new()
        }
    };
    // A str constant that looks like an identifier (an attribute or key
    // name) is interned by CPython's compiler, so shared interpreter-wide
    // (and immortal from 3.12).
    let identifier = o.constant
        && matches!(&o.payload, Payload::Str(s)
            if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'));
    let shared = o.singleton.is_some()
        || o.interned
        || o.startup
        || identifier
        || o.blocks.is_empty() && o.refcnt > 0 && !matches!(o.payload, Payload::Instance(_));
    let layout = match &o.payload {
        Payload::Str(s) => ViewLayout::Str(crate::layout::StrKind::of(s)),
        Payload::Dict { state, .. } => ViewLayout::Dict {
            split: state.values.is_some(),
        },
        Payload::Instance(i) => ViewLayout::Instance(InstanceLayout::of(&i.attrs)),
        _ => ViewLayout::Plain,
    };
    let gc = if !crate::objects::is_gc(&o.payload) {
        GcView::NotGc
    } else {
        match objs.gc.list_of(r) {
            None => GcView::Untracked,
            Some(List::Gen(g)) => GcView::Gen(g),
            Some(List::Permanent) => GcView::Permanent,
            // Mid-collection lists are not seen at a step boundary.
            Some(_) => GcView::Gen(0),
        }
    };
    Some(ObjView {
        type_name: names.intern(&objs.type_name(r)),
        refcnt: o.refcnt,
        shown_refcnt: objs.shown_refcount(r),
        getsizeof: o.getsizeof,
        blocks: o
            .blocks
            .iter()
            .map(|(req, p)| OwnedBlock {
                ptr: *p,
                nbytes: req.bytes.min(u64::from(u32::MAX)) as u32,
                part: req.part,
            })
            .collect(),
        preview: preview.into_boxed_str(),
        refs: Rc::from(refs),
        more_refs: total.saturating_sub(MAX_VIEW_REFS) as u32,
        gc,
        shared,
        layout,
    })
}

/// The first [`MAX_PREVIEW`] characters of `s`.
fn clip(s: &str) -> &str {
    match s.char_indices().nth(MAX_PREVIEW) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Records a run as the interpreter executes it (owned by the interpreter).
pub(crate) struct Recorder {
    trace: ProgramTrace,
    /// Every live object's view now.
    mirror: BTreeMap<ObjRef, Rc<ObjView>>,
    /// The step being recorded: its line and kind.
    open: (u32, StepKind),
    /// Dedupes the touched objects of one step.
    seen: HashSet<ObjRef>,
    checkpointer: Checkpointer,
    event_budget: usize,
    /// Where the trace goes part by part ([`record_streaming`]).
    sink: Option<Box<dyn TraceSink>>,
    /// How much of the trace the sink has been sent.
    sent: Sent,
}

/// When to keep a checkpoint: at step 0, then every so many events or
/// [`CHECKPOINT_STEPS`] steps, the spacing doubling each time
/// [`MAX_CHECKPOINTS`] are reached and every other one is dropped.
#[derive(Clone, Debug)]
struct Checkpointer {
    /// `None`: step 0's only (a recorder that sends its trace in parts).
    every_events: Option<usize>,
    last_events: usize,
    last_step: usize,
}

impl Checkpointer {
    fn new(every_events: Option<usize>) -> Checkpointer {
        Checkpointer {
            every_events,
            last_events: 0,
            last_step: 0,
        }
    }

    /// True when the state after `step` (with `events` recorded so far)
    /// should be kept.
    fn due(&self, step: usize, events: usize) -> bool {
        let Some(every) = self.every_events else {
            return step == 0;
        };
        step == 0 || events - self.last_events >= every || step - self.last_step >= CHECKPOINT_STEPS
    }

    /// Keeps `cp` (taken after `events` events), thinning the list.
    fn keep(&mut self, cps: &mut Vec<Rc<Checkpoint>>, cp: Checkpoint, events: usize) {
        self.last_events = events;
        self.last_step = cp.step;
        cps.push(Rc::new(cp));
        if cps.len() > MAX_CHECKPOINTS {
            // Keep step 0's and every other one after it.
            let mut k = 0;
            cps.retain(|_| {
                k += 1;
                k % 2 == 1
            });
            self.every_events = self.every_events.map(|e| e.saturating_mul(2).max(1));
        }
    }
}

/// Lengths of the trace's lists already sent as parts.
#[derive(Clone, Copy, Debug, Default)]
struct Sent {
    steps: usize,
    events: usize,
    views: usize,
    counts: usize,
    idents: usize,
    types: usize,
    cnames: usize,
    phases: usize,
    stdout: usize,
}

/// Receives a trace part by part while the program runs
/// ([`record_streaming`]): a recording thread posts each part to the page.
pub trait TraceSink {
    /// Asked after each step with the steps recorded so far: true to be
    /// sent a part now. (The core has no clock; the sink may.)
    fn due(&mut self, steps: usize) -> bool;
    /// Takes the next part; the last has [`TracePart::is_last`].
    fn send(&mut self, part: TracePart);
}

/// A piece of a trace as it is recorded: every step, event, view and
/// name since the part before. The first part also carries the state
/// at step 0, the last the run's outcome. [`TraceReceiver`] puts the
/// parts back together into the same [`ProgramTrace`].
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct TracePart {
    start: Option<Box<PartStart>>,
    steps: Vec<StepRec>,
    events: Vec<TraceEvent>,
    views: Vec<(ObjRef, Option<Rc<ObjView>>)>,
    counts: Vec<CountChange>,
    idents: Vec<Rc<str>>,
    type_deltas: Vec<(Name, i32)>,
    cnames: Vec<String>,
    gc_phases: Vec<GcPhaseRecord>,
    stdout: String,
    gc_garbage: Option<ObjRef>,
    end: Option<Box<PartEnd>>,
}

/// What the first part adds: the run and its state at step 0.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct PartStart {
    version: Version,
    file_name: String,
    heap: Heap,
    objects: Vec<(ObjRef, Rc<ObjView>)>,
}

/// What the last part adds: how the run ended.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct PartEnd {
    output: Output,
    error: Option<String>,
    stale: usize,
}

impl TracePart {
    /// True for the run's last part.
    pub fn is_last(&self) -> bool {
        self.end.is_some()
    }

    /// True for the run's first part.
    pub fn is_first(&self) -> bool {
        self.start.is_some()
    }
}

impl Recorder {
    /// Starts recording on `objs`: logging on, every live object drawn.
    ///
    /// With a `sink`, the trace is sent to it part by part, and only step
    /// 0's checkpoint is kept (the receiver makes its own).
    pub(crate) fn start(
        objs: &mut Objects,
        file_name: &str,
        budgets: &Budgets,
        sink: Option<Box<dyn TraceSink>>,
    ) -> Recorder {
        objs.log = Some(Box::new(Log::new()));
        objs.gc.log = Some(Box::default());
        objs.mark_startup();
        let output = Output {
            stdout: String::new(),
            stderr: String::new(),
            exit_code: 0,
            error: None,
        };
        let mut rec = Recorder {
            trace: ProgramTrace::new(objs.version(), file_name, output),
            mirror: BTreeMap::new(),
            open: (0, StepKind::Start),
            seen: HashSet::new(),
            checkpointer: Checkpointer::new(match sink {
                Some(_) => None,
                None => Some(budgets.checkpoint_events),
            }),
            event_budget: budgets.events,
            sink,
            sent: Sent::default(),
        };
        for r in objs.live_refs() {
            if let Some(v) = view_of(objs, r, &mut rec.trace.idents) {
                rec.count_type(v.type_name, 1);
                rec.mirror.insert(r, Rc::new(v));
            }
        }
        rec
    }

    /// The trace of a run that never started (a syntax error): step 0 only.
    pub(crate) fn empty(version: Version, file_name: &str, output: Output) -> ProgramTrace {
        let mut t = ProgramTrace::new(version, file_name, output);
        t.steps.push(StepRec {
            line: 0,
            kind: StepKind::Start,
            events_end: 0,
            views_end: 0,
            counts_end: 0,
            types_end: 0,
            stdout_len: 0,
            frames: Rc::from(Vec::new()),
            figures: Figures::default(),
        });
        t.names = vec!["?"];
        t
    }

    /// Notes `gc.garbage`'s list, `r` (made at start-up).
    pub(crate) fn note_gc_garbage(&mut self, r: ObjRef) {
        self.trace.gc_garbage = Some(r);
    }

    /// A shared copy of name `s`.
    pub(crate) fn name(&mut self, s: &str) -> Name {
        self.trace.idents.intern(s)
    }

    fn count_type(&mut self, t: Name, d: i32) {
        self.trace.type_deltas.push((t, d));
    }

    /// Ends the open step with the state now, and opens the next one
    /// (`line`, `kind`). An error is the event budget running out.
    pub(crate) fn boundary(
        &mut self,
        objs: &mut Objects,
        frames: Vec<FrameView>,
        stdout: &str,
        next: (u32, StepKind),
    ) -> Result<(), String> {
        self.close(objs, frames, stdout.len());
        self.open = next;
        if let Some(mut sink) = self.sink.take() {
            if sink.due(self.trace.steps.len()) {
                if let Some(log) = objs.log.as_deref() {
                    sink.send(self.part(&log.names, &log.phases, stdout, None));
                }
            }
            self.sink = Some(sink);
        }
        if self.trace.events.len() > self.event_budget {
            return Err(format!(
                "trace budget exhausted: more than {} events recorded (the trace up to here is kept)",
                self.event_budget
            ));
        }
        Ok(())
    }

    fn close(&mut self, objs: &mut Objects, frames: Vec<FrameView>, stdout_len: usize) {
        let Some(log) = objs.log.as_mut() else {
            return;
        };
        log.take_gc(&mut objs.gc);
        self.trace.events.append(&mut log.events);
        let touched = std::mem::take(&mut log.touched);
        self.seen.clear();
        for r in touched {
            if !self.seen.insert(r) {
                continue;
            }
            let mut new = view_of(objs, r, &mut self.trace.idents);
            let old = self.mirror.get(&r);
            if old.map(|o| &**o) == new.as_ref() {
                continue;
            }
            if let (Some(o), Some(n)) = (old, new.as_mut()) {
                if o.same_but_count(n) {
                    self.trace.counts.push(CountChange {
                        obj: r,
                        refcnt: n.refcnt.min(u64::from(u32::MAX)) as u32,
                        shown: n.shown_refcnt.unwrap_or(u64::MAX),
                    });
                    let mut v = ObjView::clone(o);
                    v.refcnt = n.refcnt;
                    v.shown_refcnt = n.shown_refcnt;
                    self.mirror.insert(r, Rc::new(v));
                    continue;
                }
                if o.refs == n.refs {
                    // Share the unchanged references (a list that grew past
                    // the listed ones, a count that moved).
                    n.refs = Rc::clone(&o.refs);
                }
            }
            if let Some(o) = old {
                let t = o.type_name;
                self.count_type(t, -1);
            }
            let new = new.map(Rc::new);
            match &new {
                Some(v) => {
                    self.count_type(v.type_name, 1);
                    self.mirror.insert(r, Rc::clone(v));
                }
                None => {
                    self.mirror.remove(&r);
                }
            }
            self.trace.views.push((r, new));
        }
        let frames: Rc<[FrameView]> = match self.trace.steps.last() {
            Some(s) if *s.frames == *frames => Rc::clone(&s.frames),
            _ => Rc::from(frames),
        };
        let heap = crate::trace::StepFigures::of(&objs.heap.alloc);
        let figures = Figures {
            arena_bytes: heap.arena_bytes,
            blocks_in_use: heap.blocks_in_use,
            raw_bytes: heap.raw_bytes,
            objects: self.mirror.len() as u32,
            traced: objs.tracer.traced_memory(),
            gc: GcFigures::of(&objs.gc),
        };
        self.trace.steps.push(StepRec {
            line: self.open.0,
            kind: self.open.1,
            events_end: self.trace.events.len() as u32,
            views_end: self.trace.views.len() as u32,
            counts_end: self.trace.counts.len() as u32,
            types_end: self.trace.type_deltas.len() as u32,
            stdout_len: stdout_len as u32,
            frames,
            figures,
        });
        let step = self.trace.steps.len() - 1;
        let events = self.trace.events.len();
        if self.checkpointer.due(step, events) {
            let cp = Checkpoint {
                step,
                heap: objs.heap.clone(),
                objects: self.mirror.clone(),
            };
            self.checkpointer
                .keep(&mut self.trace.checkpoints, cp, events);
        }
    }

    /// Everything recorded since the last part, as the next part (`end`
    /// for the last). `cnames` and `phases` are the log's tables, `stdout`
    /// all the program has printed.
    fn part(
        &mut self,
        cnames: &[&'static str],
        phases: &[GcPhaseRecord],
        stdout: &str,
        end: Option<PartEnd>,
    ) -> TracePart {
        let t = &self.trace;
        let part = TracePart::since(t, self.sent, cnames, phases, stdout, end);
        self.sent = Sent {
            steps: t.steps.len(),
            events: t.events.len(),
            views: t.views.len(),
            counts: t.counts.len(),
            idents: t.idents.len(),
            types: t.type_deltas.len(),
            cnames: cnames.len(),
            phases: phases.len(),
            stdout: stdout.len(),
        };
        part
    }

    /// Ends the last step and hands over the trace.
    pub(crate) fn finish(
        mut self,
        objs: &mut Objects,
        frames: Vec<FrameView>,
        output: Output,
        error: Option<String>,
    ) -> ProgramTrace {
        self.close(objs, frames, output.stdout.len());
        let live = objs.live_refs();
        let mut stale = self.mirror.len().abs_diff(live.len());
        for r in live {
            let now = view_of(objs, r, &mut self.trace.idents);
            if self.mirror.get(&r).map(|v| &**v) != now.as_ref() {
                stale += 1;
            }
        }
        self.trace.stale = stale;
        let t = &mut self.trace;
        t.events.shrink_to_fit();
        t.steps.shrink_to_fit();
        t.views.shrink_to_fit();
        t.counts.shrink_to_fit();
        t.type_deltas.shrink_to_fit();
        if let Some(log) = objs.log.take() {
            self.trace.names = log.names;
            self.trace.gc_phases = log.phases;
        }
        objs.gc.log = None;
        if let Some(mut sink) = self.sink.take() {
            let end = PartEnd {
                output: output.clone(),
                error: error.clone(),
                stale,
            };
            let names = std::mem::take(&mut self.trace.names);
            let phases = std::mem::take(&mut self.trace.gc_phases);
            sink.send(self.part(&names, &phases, &output.stdout, Some(end)));
            self.trace.names = names;
            self.trace.gc_phases = phases;
        }
        self.trace.output = output;
        self.trace.error = error;
        self.trace
    }
}

impl TracePart {
    /// A finished trace as one part (first and last at once): what a
    /// recording that never started (a syntax error) sends.
    pub fn whole(t: &ProgramTrace) -> TracePart {
        let end = PartEnd {
            output: t.output.clone(),
            error: t.error.clone(),
            stale: t.stale,
        };
        TracePart::since(
            t,
            Sent::default(),
            &t.names,
            &t.gc_phases,
            &t.output.stdout,
            Some(end),
        )
    }

    /// What `t` holds beyond `s`, as a part: with the start (step 0's
    /// checkpoint, or an empty heap for a trace that has none) when
    /// nothing was sent yet. `cnames`, `phases` and `stdout` are the
    /// tables and output so far (the recorder keeps them in its log).
    fn since(
        t: &ProgramTrace,
        s: Sent,
        cnames: &[&'static str],
        phases: &[GcPhaseRecord],
        stdout: &str,
        end: Option<PartEnd>,
    ) -> TracePart {
        let start = (s.steps == 0).then(|| {
            let (heap, objects) = match t.checkpoints.first() {
                Some(cp) => (
                    cp.heap.clone(),
                    cp.objects.iter().map(|(r, v)| (*r, Rc::clone(v))).collect(),
                ),
                None => (Heap::empty(t.version), Vec::new()),
            };
            Box::new(PartStart {
                version: t.version,
                file_name: t.file_name.clone(),
                heap,
                objects,
            })
        });
        TracePart {
            start,
            steps: tail(&t.steps, s.steps),
            events: tail(&t.events, s.events),
            views: tail(&t.views, s.views),
            counts: tail(&t.counts, s.counts),
            idents: tail(&t.idents.list, s.idents),
            type_deltas: tail(&t.type_deltas, s.types),
            cnames: tail(cnames, s.cnames)
                .iter()
                .map(|c| c.to_string())
                .collect(),
            gc_phases: tail(phases, s.phases),
            stdout: stdout.get(s.stdout..).unwrap_or_default().to_string(),
            gc_garbage: t.gc_garbage,
            end: end.map(Box::new),
        }
    }
}

/// Puts a trace back together from its parts ([`TracePart`]), in order,
/// making its own checkpoints as [`ProgramTrace::seek`] needs them: the
/// page's side of a recording that runs elsewhere.
#[derive(Debug)]
pub struct TraceReceiver {
    trace: ProgramTrace,
    /// The state after the last step received.
    heap: Heap,
    objects: BTreeMap<ObjRef, Rc<ObjView>>,
    checkpointer: Checkpointer,
    done: bool,
}

impl TraceReceiver {
    /// Starts from a run's first part (`None` if `first` is not one).
    pub fn new(first: TracePart) -> Option<TraceReceiver> {
        let mut first = first;
        let start = first.start.take()?;
        let PartStart {
            version,
            file_name,
            heap,
            objects,
        } = *start;
        let output = Output {
            stdout: String::new(),
            stderr: String::new(),
            exit_code: 0,
            error: None,
        };
        let mut trace = ProgramTrace::new(version, &file_name, output);
        // The recorder's table starts with the well-known labels too.
        trace.idents = Names::default();
        trace.names.clear();
        let mut rx = TraceReceiver {
            trace,
            heap,
            objects: objects.into_iter().collect(),
            checkpointer: Checkpointer::new(Some(CHECKPOINT_EVENTS)),
            done: false,
        };
        rx.push(first);
        Some(rx)
    }

    /// Adds the next part.
    pub fn push(&mut self, part: TracePart) {
        let t = &mut self.trace;
        for s in &part.idents {
            t.idents.intern(s);
        }
        t.names.extend(part.cnames.iter().map(|c| static_cname(c)));
        t.gc_phases.extend(part.gc_phases);
        t.events.extend(part.events);
        t.views.extend(part.views);
        t.counts.extend(part.counts);
        t.type_deltas.extend(part.type_deltas);
        t.output.stdout.push_str(&part.stdout);
        if part.gc_garbage.is_some() {
            t.gc_garbage = part.gc_garbage;
        }
        let first_new = t.steps.len();
        for mut rec in part.steps {
            if let Some(prev) = t.steps.last() {
                if *prev.frames == *rec.frames {
                    rec.frames = Rc::clone(&prev.frames);
                }
            }
            t.steps.push(rec);
        }
        for s in first_new..t.steps.len() {
            if s > 0 {
                t.apply(s, &mut self.heap, &mut self.objects);
            }
            let events = t.steps[s].events_end as usize;
            if self.checkpointer.due(s, events) {
                let cp = Checkpoint {
                    step: s,
                    heap: self.heap.clone(),
                    objects: self.objects.clone(),
                };
                self.checkpointer.keep(&mut t.checkpoints, cp, events);
            }
        }
        if let Some(end) = part.end {
            t.output = end.output;
            t.error = end.error;
            t.stale = end.stale;
            self.done = true;
        }
    }

    /// The trace so far.
    pub fn trace(&self) -> &ProgramTrace {
        &self.trace
    }

    /// The trace so far, handed over.
    pub fn into_trace(self) -> ProgramTrace {
        self.trace
    }

    /// True once the last part is in.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Ends the trace where it is, for a run cut short (`why` becomes
    /// its [`ProgramTrace::error`]).
    pub fn stop(&mut self, why: String) {
        if !self.done {
            self.trace.error = Some(why);
            self.done = true;
        }
    }
}

/// `v` from index `from` on (empty past its end).
fn tail<T: Clone>(v: &[T], from: usize) -> Vec<T> {
    v.get(from..).unwrap_or_default().to_vec()
}

/// `s` as a `&'static str`, for a C function name received in a part.
/// The names come from the model's own string literals, a fixed set, so
/// leaking each distinct one once per process is bounded.
fn static_cname(s: &str) -> &'static str {
    use std::cell::RefCell;
    thread_local! {
        static NAMES: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
    }
    NAMES.with(|n| {
        let mut n = n.borrow_mut();
        if let Some(&k) = n.get(s) {
            return k;
        }
        let k: &'static str = Box::leak(Box::from(s));
        n.insert(k);
        k
    })
}

/// The JSON form of a trace's header (`pymem trace FILE.py --json`); the
/// steps follow it one by one.
#[derive(serde::Serialize)]
struct TraceJson<'a> {
    version: String,
    file: &'a str,
    exit_code: i32,
    stdout: &'a str,
    stderr: &'a str,
    error: Option<&'a str>,
    events: usize,
}

#[derive(serde::Serialize)]
struct StepJson<'a> {
    step: usize,
    line: u32,
    kind: &'static str,
    stdout_len: usize,
    arena_bytes: u64,
    blocks_in_use: u64,
    raw_bytes: u64,
    objects: u32,
    traced_current: u64,
    traced_peak: u64,
    frames: Vec<FrameJson<'a>>,
    events: Vec<EventJson<'a>>,
}

#[derive(serde::Serialize)]
struct FrameJson<'a> {
    func: &'a str,
    line: u32,
    /// `(name, object id)` pairs, in the frame's order.
    locals: Vec<(&'a str, u32)>,
}

#[derive(serde::Serialize)]
struct EventJson<'a> {
    kind: &'static str,
    cfunction: &'a str,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    obj: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nbytes: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refcnt: Option<u32>,
    /// A GC phase's candidates: `(object id, gc_refs, list)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    candidates: Option<Vec<(u32, i64, &'static str)>>,
}

/// Writes `t` as JSON to `w`, a step at a time (a long trace is never
/// held as one string): the run's outcome, then every step with its line,
/// figures, call stack and events (each with its C function and sentence).
pub fn write_json(t: &ProgramTrace, w: &mut impl std::io::Write) -> std::io::Result<()> {
    let o = t.output();
    let header = TraceJson {
        version: t.version().to_string(),
        file: t.file_name(),
        exit_code: o.exit_code,
        stdout: &o.stdout,
        stderr: &o.stderr,
        error: t.error(),
        events: t.all_events().len(),
    };
    let head = serde_json::to_string(&header).map_err(std::io::Error::other)?;
    // `{…}` becomes `{…,"steps":[`.
    w.write_all(head.trim_end_matches('}').as_bytes())?;
    w.write_all(b",\"steps\":[")?;
    for step in 0..=t.len() {
        if step > 0 {
            w.write_all(b",")?;
        }
        let f = t.figures(step);
        let frames = t.frames(step);
        let json =
            StepJson {
                step,
                line: t.line(step),
                kind: t.kind(step).name(),
                stdout_len: t.stdout_at(step).len(),
                arena_bytes: f.arena_bytes,
                blocks_in_use: f.blocks_in_use,
                raw_bytes: f.raw_bytes,
                objects: f.objects,
                traced_current: f.traced.0,
                traced_peak: f.traced.1,
                frames: frames
                    .iter()
                    .map(|fr| FrameJson {
                        func: t.name(fr.func),
                        line: fr.line,
                        locals: fr.locals.iter().map(|(n, r)| (t.name(*n), r.0)).collect(),
                    })
                    .collect(),
                events: t
                    .events(step)
                    .iter()
                    .map(|e| EventJson {
                        kind: e.kind(),
                        cfunction: t.cfunction(e),
                        text: t.describe(e),
                        obj: e.obj().map(|r| r.0),
                        nbytes: match *e {
                            TraceEvent::Alloc { nbytes, .. }
                            | TraceEvent::Realloc { nbytes, .. } => Some(nbytes),
                            _ => None,
                        },
                        refcnt: match *e {
                            TraceEvent::Incref { refcnt, .. }
                            | TraceEvent::Decref { refcnt, .. } => Some(refcnt),
                            _ => None,
                        },
                        candidates: match *e {
                            TraceEvent::GcPhase { index, .. } => t.gc_phase(index).map(|p| {
                                p.candidates
                                    .iter()
                                    .map(|c| (c.obj.0, c.refs, crate::gc::list_name(c.list)))
                                    .collect()
                            }),
                            _ => None,
                        },
                    })
                    .collect(),
            };
        serde_json::to_writer(&mut *w, &json).map_err(std::io::Error::other)?;
    }
    w.write_all(b"]}\n")
}

/// [`write_json`] into a string.
pub fn to_json(t: &ProgramTrace) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write_json(t, &mut out);
    String::from_utf8(out).unwrap_or_default()
}
