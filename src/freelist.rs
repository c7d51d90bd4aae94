//! Per-type free lists, version by version, as `sys._debugmallocstats()` reports them.
//!
//! A free list keeps deallocated objects of one exact type (and, for tuples,
//! one length) for reuse, bypassing pymalloc: a push succeeds while the list is
//! below its limit, otherwise the object really goes back to the allocator.
//! [`FreeLists`] models the counts only (which object sits on a list does not
//! matter to the allocator), plus the per-version rules about which lists exist,
//! their limits, whether an entry can ever be reused, and the label and
//! `sizeof` printed by `_PyDebugAllocatorStats` (Objects/obmalloc.c).
//!
//! Sources, 64-bit default builds (read per version; the observed output of
//! 3.8.18, 3.9.18, 3.10.13, 3.11.7, 3.12.1 and 3.13.0 agrees):
//!
//! * Print order: Objects/object.c `_PyObject_DebugTypeStats`:
//!   3.8 CFunction, Dict, Float, Frame, List, Method, Tuple;
//!   3.9/3.10 Dict, Float, Frame, List, Tuple (3.9 removed the method and
//!   cfunction free lists, bpo-37340); 3.11/3.12 Dict, Float, List, Tuple
//!   (3.11 frames live on the per-thread data stack); 3.13 Dict (two lines:
//!   `_PyDict_DebugMallocStats` also prints `free PyDictKeysObject`), Float,
//!   List, Tuple.
//! * Tuples: Objects/tupleobject.c `_PyTuple_DebugMallocStats`. 3.8–3.10 loop
//!   `for (i = 1; i < PyTuple_MAXSAVESIZE; i++)` with `free_list[size]`, so
//!   lengths 1..=19 only (slot 0 is the empty-tuple singleton); 3.11+ index by
//!   `size - 1`, lengths 1..=20. `PyTuple_MAXSAVESIZE 20`, `PyTuple_MAXFREELIST
//!   2000` (3.8/3.9 tupleobject.c, 3.10 Include/internal/pycore_interp.h,
//!   3.11/3.12 pycore_tuple.h, 3.13 pycore_freelist.h). 3.11/3.12
//!   `maybe_freelist_push` stores 20-tuples but `maybe_freelist_pop` tests
//!   `size < PyTuple_MAXSAVESIZE`, so they are never reused; 3.13
//!   (`maybe_freelist_pop`) reuses them. Checked on the real interpreters:
//!   creating 20-tuples leaves the 20-sized count unchanged on 3.11.7 and
//!   3.12.1 and lowers it on 3.13.0.
//! * Float: `PyFloat_MAXFREELIST 100` (floatobject.c `float_dealloc` in
//!   3.8–3.10, pycore_floatobject.h 3.11/3.12, pycore_freelist.h 3.13); stats
//!   line from floatobject.c `_PyFloat_DebugMallocStats`.
//! * List: `PyList_MAXFREELIST 80` (listobject.c `list_dealloc`; header as for
//!   float); listobject.c `_PyList_DebugMallocStats`.
//! * Dict: `PyDict_MAXFREELIST 80` (dictobject.c `dict_dealloc`/`new_dict`);
//!   dictobject.c `_PyDict_DebugMallocStats`.
//! * Dict keys: `keys_free_list[PyDict_MAXFREELIST]` (dictobject.c
//!   `new_keys_object`/`free_keys_object`): keys tables of the minimum size
//!   (8 slots) in 3.8–3.10, and only unicode-kind ones from 3.11
//!   (`DK_LOG_SIZE(keys) == PyDict_LOG_MINSIZE && DK_IS_UNICODE(keys)`).
//!   Present in every version but printed only by 3.13, as
//!   `sizeof(PyDictKeysObject)` = 32 bytes.
//! * Frame (3.8–3.10): `PyFrame_MAXFREELIST 200` (frameobject.c
//!   `frame_dealloc`; a code object's first dead frame becomes its zombie frame
//!   instead); frameobject.c `_PyFrame_DebugMallocStats`,
//!   `sizeof(PyFrameObject)` = 368 (3.8/3.9) or 360 (3.10).
//! * CFunction and Method (3.8 only): `PyCFunction_MAXFREELIST 256`
//!   (methodobject.c `meth_dealloc`, `_PyCFunction_DebugMallocStats`, 56 bytes)
//!   and `PyMethod_MAXFREELIST 256` (classobject.c `method_dealloc`,
//!   `_PyMethod_DebugMallocStats`, 48 bytes).
//! * Clearing: every generation-2 collection empties all of them
//!   (Modules/gcmodule.c `clear_freelists` up to 3.12, Python/gc.c
//!   `_PyGC_ClearAllFreeLists` in 3.13).
//!
//! Printed sizes are `sizeof`/`_PyObject_VAR_SIZE` of the object and exclude
//! the 16-byte GC header that GC-tracked types carry in front.

use std::fmt;

use crate::stats::printone;
use crate::version::Version;

/// `PyTuple_MAXSAVESIZE`: the longest tuple length with a free list (all versions).
pub const TUPLE_MAXSAVESIZE: u8 = 20;

/// One free list. `Tuple(n)` is the list for tuples of length `n` (1..=20).
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum FreeListKind {
    /// `PyCFunctionObject` (built-in functions and methods), 3.8 only.
    CFunction,
    /// `PyDictObject`.
    Dict,
    /// Minimum-size `PyDictKeysObject` tables (unicode-kind only from 3.11).
    DictKeys,
    /// `PyFloatObject`.
    Float,
    /// `PyFrameObject`, 3.8–3.10.
    Frame,
    /// `PyListObject` (the object only; its item array is freed).
    List,
    /// `PyMethodObject` (bound methods), 3.8 only.
    Method,
    /// `PyTupleObject` of the given length.
    Tuple(u8),
}

impl FreeListKind {
    /// The block name passed to `_PyDebugAllocatorStats` without its leading
    /// `"free "`: `"PyDictObject"`, `"3-sized PyTupleObject"`.
    pub fn type_name(self) -> String {
        match self {
            FreeListKind::CFunction => "PyCFunctionObject".to_string(),
            FreeListKind::Dict => "PyDictObject".to_string(),
            FreeListKind::DictKeys => "PyDictKeysObject".to_string(),
            FreeListKind::Float => "PyFloatObject".to_string(),
            FreeListKind::Frame => "PyFrameObject".to_string(),
            FreeListKind::List => "PyListObject".to_string(),
            FreeListKind::Method => "PyMethodObject".to_string(),
            FreeListKind::Tuple(n) => format!("{n}-sized PyTupleObject"),
        }
    }
}

impl fmt::Display for FreeListKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.type_name())
    }
}

/// The fixed facts about one free list in one version.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FreeListSpec {
    /// Which list.
    pub kind: FreeListKind,
    /// Maximum number of objects kept (`*_MAXFREELIST`).
    pub limit: u32,
    /// Bytes per object as printed ("* 48 bytes each"): `sizeof` of the
    /// struct, or `_PyObject_VAR_SIZE(&PyTuple_Type, n)` = 24 + 8n for tuples.
    pub object_size: u32,
    /// Whether `_PyObject_DebugTypeStats` prints a line for it.
    pub printed: bool,
    /// Whether the allocation path ever takes an object back off the list
    /// (false only for 20-tuples in 3.11/3.12).
    pub reusable: bool,
}

/// Every free list of `version`: printed ones first, in CPython's print
/// order, then the unprinted ones.
pub fn specs(version: Version) -> Vec<FreeListSpec> {
    let minor = version.minor();
    let spec = |kind, limit, object_size| FreeListSpec {
        kind,
        limit,
        object_size,
        printed: true,
        reusable: true,
    };
    let mut v = Vec::with_capacity(26);
    if minor == 8 {
        v.push(spec(FreeListKind::CFunction, 256, 56));
    }
    v.push(spec(FreeListKind::Dict, 80, 48));
    if minor >= 13 {
        v.push(spec(FreeListKind::DictKeys, 80, 32));
    }
    v.push(spec(FreeListKind::Float, 100, 24));
    if minor <= 10 {
        v.push(spec(
            FreeListKind::Frame,
            200,
            if minor == 10 { 360 } else { 368 },
        ));
    }
    v.push(spec(FreeListKind::List, 80, 40));
    if minor == 8 {
        v.push(spec(FreeListKind::Method, 256, 48));
    }
    let max_len = if minor >= 11 {
        TUPLE_MAXSAVESIZE
    } else {
        TUPLE_MAXSAVESIZE - 1
    };
    for n in 1..=max_len {
        let mut s = spec(FreeListKind::Tuple(n), 2000, 24 + 8 * u32::from(n));
        s.reusable = !(n == TUPLE_MAXSAVESIZE && (minor == 11 || minor == 12));
        v.push(s);
    }
    if minor < 13 {
        // Exists (dictobject.c keys_free_list) but _PyDict_DebugMallocStats
        // does not print it before 3.13. object_size is sizeof(PyDictKeysObject)
        // worked out from the struct (32 from 3.11, 40 before); never printed.
        v.push(FreeListSpec {
            kind: FreeListKind::DictKeys,
            limit: 80,
            object_size: if minor >= 11 { 32 } else { 40 },
            printed: false,
            reusable: true,
        });
    }
    v
}

/// One `_PyDebugAllocatorStats` line, without the trailing newline:
/// `"%48s "` of `"%d free %ss * %zd bytes each"`, then `printone`'s `=` and
/// the comma-grouped product right-aligned in 21 columns.
pub fn allocator_stats_line(type_name: &str, num_blocks: u32, sizeof_block: u32) -> String {
    let buf1 = format!("{num_blocks} free {type_name}s * {sizeof_block} bytes each");
    let buf2 = format!("{buf1:>48} ");
    let mut line = printone(
        &buf2,
        u64::from(num_blocks).wrapping_mul(u64::from(sizeof_block)),
    );
    line.pop(); // printone's '\n'
    line
}

/// The free lists of one interpreter: which exist in its version and how many
/// objects each holds.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(into = "FreeListCounts", from = "FreeListCounts")]
pub struct FreeLists {
    version: Version,
    lists: Vec<(FreeListSpec, u32)>,
}

/// [`FreeLists`] as sent between threads: the version and each list's
/// count (the specs follow from the version).
#[derive(serde::Serialize, serde::Deserialize)]
struct FreeListCounts {
    version: Version,
    counts: Vec<(FreeListKind, u32)>,
}

impl From<FreeLists> for FreeListCounts {
    fn from(f: FreeLists) -> FreeListCounts {
        FreeListCounts {
            version: f.version,
            counts: f.lists.iter().map(|(s, n)| (s.kind, *n)).collect(),
        }
    }
}

impl From<FreeListCounts> for FreeLists {
    fn from(c: FreeListCounts) -> FreeLists {
        let mut f = FreeLists::new(c.version);
        for (kind, n) in c.counts {
            if let Some(e) = f.entry_mut(kind) {
                e.1 = n;
            }
        }
        f
    }
}

impl FreeLists {
    /// All lists of `version`, empty.
    pub fn new(version: Version) -> FreeLists {
        FreeLists {
            version,
            lists: specs(version).into_iter().map(|s| (s, 0)).collect(),
        }
    }

    /// The version whose rules apply.
    pub fn version(&self) -> Version {
        self.version
    }

    fn entry(&self, kind: FreeListKind) -> Option<&(FreeListSpec, u32)> {
        self.lists.iter().find(|(s, _)| s.kind == kind)
    }

    fn entry_mut(&mut self, kind: FreeListKind) -> Option<&mut (FreeListSpec, u32)> {
        self.lists.iter_mut().find(|(s, _)| s.kind == kind)
    }

    /// The facts about `kind`, or `None` if this version has no such list.
    pub fn spec(&self, kind: FreeListKind) -> Option<FreeListSpec> {
        self.entry(kind).map(|(s, _)| *s)
    }

    /// Whether this version has a free list for `kind`.
    pub fn exists(&self, kind: FreeListKind) -> bool {
        self.entry(kind).is_some()
    }

    /// Every list of this version with its count, printed ones in print order first.
    pub fn iter(&self) -> impl Iterator<Item = (FreeListSpec, u32)> + '_ {
        self.lists.iter().copied()
    }

    /// Objects currently on `kind`'s list (0 if the list does not exist).
    pub fn len(&self, kind: FreeListKind) -> u32 {
        self.entry(kind).map_or(0, |(_, n)| *n)
    }

    /// Whether a push of `kind` would be refused (also true if the list does not exist).
    pub fn is_full(&self, kind: FreeListKind) -> bool {
        self.entry(kind).is_none_or(|(s, n)| *n >= s.limit)
    }

    /// An object of `kind` is being deallocated: keep it if the list exists
    /// and has room (`true`); on `false` the caller frees it to the allocator.
    pub fn push(&mut self, kind: FreeListKind) -> bool {
        match self.entry_mut(kind) {
            Some((s, n)) if *n < s.limit => {
                *n += 1;
                true
            }
            _ => false,
        }
    }

    /// An object of `kind` is being allocated: take one off the list (`true`),
    /// or `false` if the list is empty, absent, or never reused (20-tuples in
    /// 3.11/3.12), in which case the caller allocates from pymalloc.
    pub fn pop(&mut self, kind: FreeListKind) -> bool {
        match self.entry_mut(kind) {
            Some((s, n)) if s.reusable && *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        }
    }

    /// Set a count directly (used when loading real output). Returns `false`,
    /// changing nothing, if the list does not exist or `count` exceeds its limit.
    pub fn set_len(&mut self, kind: FreeListKind, count: u32) -> bool {
        match self.entry_mut(kind) {
            Some((s, n)) if count <= s.limit => {
                *n = count;
                true
            }
            _ => false,
        }
    }

    /// Empty every list, as a generation-2 collection does. Returns what was
    /// released (non-empty lists only, in print order) so the caller can free
    /// those objects to the allocator.
    pub fn clear(&mut self) -> Vec<(FreeListKind, u32)> {
        let mut released = Vec::new();
        for (s, n) in &mut self.lists {
            if *n > 0 {
                released.push((s.kind, *n));
                *n = 0;
            }
        }
        released
    }

    /// Total objects held, over all lists.
    pub fn total_len(&self) -> u64 {
        self.lists.iter().map(|(_, n)| u64::from(*n)).sum()
    }

    /// The lines `_PyObject_DebugTypeStats` prints, in its order, each
    /// without its trailing newline.
    pub fn lines(&self) -> Vec<String> {
        self.lists
            .iter()
            .filter(|(s, _)| s.printed)
            .map(|(s, n)| allocator_stats_line(&s.kind.type_name(), *n, s.object_size))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_kinds_per_version() {
        let printed = |v| -> Vec<FreeListKind> {
            specs(v)
                .into_iter()
                .filter(|s| s.printed)
                .map(|s| s.kind)
                .collect()
        };
        let tuples = |max: u8| (1..=max).map(FreeListKind::Tuple).collect::<Vec<_>>();
        use FreeListKind::*;
        let mut want = vec![CFunction, Dict, Float, Frame, List, Method];
        want.extend(tuples(19));
        assert_eq!(printed(Version::V3_8), want);
        let mut want = vec![Dict, Float, Frame, List];
        want.extend(tuples(19));
        assert_eq!(printed(Version::V3_9), want);
        assert_eq!(printed(Version::V3_10), want);
        let mut want = vec![Dict, Float, List];
        want.extend(tuples(20));
        assert_eq!(printed(Version::V3_11), want);
        assert_eq!(printed(Version::V3_12), want);
        let mut want = vec![Dict, DictKeys, Float, List];
        want.extend(tuples(20));
        assert_eq!(printed(Version::V3_13), want);
        for v in Version::VERIFIED {
            assert!(FreeLists::new(v).exists(DictKeys), "{v}");
        }
    }

    #[test]
    fn push_stops_at_the_c_limits() {
        use FreeListKind::*;
        let cases: &[(Version, FreeListKind, u32)] = &[
            (Version::V3_8, CFunction, 256), // PyCFunction_MAXFREELIST
            (Version::V3_8, Method, 256),    // PyMethod_MAXFREELIST
            (Version::V3_8, Frame, 200),     // PyFrame_MAXFREELIST
            (Version::V3_10, Frame, 200),
            (Version::V3_11, Float, 100), // PyFloat_MAXFREELIST
            (Version::V3_9, List, 80),    // PyList_MAXFREELIST
            (Version::V3_12, Dict, 80),   // PyDict_MAXFREELIST
            (Version::V3_13, DictKeys, 80),
            (Version::V3_8, Tuple(1), 2000), // PyTuple_MAXFREELIST
            (Version::V3_13, Tuple(20), 2000),
        ];
        for &(v, kind, limit) in cases {
            let mut f = FreeLists::new(v);
            for i in 0..limit {
                assert!(f.push(kind), "{v} {kind} push #{i}");
            }
            assert!(f.is_full(kind));
            assert!(!f.push(kind), "{v} {kind} over the limit");
            assert_eq!(f.len(kind), limit);
            for _ in 0..limit {
                assert!(f.pop(kind));
            }
            assert!(!f.pop(kind), "{v} {kind} pop from empty");
            assert_eq!(f.len(kind), 0);
        }
    }

    #[test]
    fn absent_lists_refuse_everything() {
        use FreeListKind::*;
        for (v, kind) in [
            (Version::V3_9, CFunction),
            (Version::V3_9, Method),
            (Version::V3_11, Frame),
            (Version::V3_10, Tuple(20)),
            (Version::V3_13, Tuple(21)),
            (Version::V3_13, Tuple(0)),
        ] {
            let mut f = FreeLists::new(v);
            assert!(!f.push(kind), "{v} {kind}");
            assert!(!f.pop(kind));
            assert_eq!(f.len(kind), 0);
            assert!(f.is_full(kind));
            assert!(!f.set_len(kind, 0));
        }
    }

    #[test]
    fn twenty_tuples_are_never_reused_in_311_and_312() {
        for v in Version::VERIFIED {
            let mut f = FreeLists::new(v);
            let pushed = f.push(FreeListKind::Tuple(20));
            assert_eq!(pushed, v.minor() >= 11, "{v}");
            let popped = f.pop(FreeListKind::Tuple(20));
            assert_eq!(popped, v.minor() >= 13, "{v}");
            // 19-tuples are reused everywhere.
            assert!(f.push(FreeListKind::Tuple(19)) && f.pop(FreeListKind::Tuple(19)));
        }
    }

    #[test]
    fn clear_reports_and_empties() {
        let mut f = FreeLists::new(Version::V3_11);
        f.push(FreeListKind::Float);
        f.push(FreeListKind::Float);
        f.push(FreeListKind::Tuple(3));
        assert_eq!(f.total_len(), 3);
        assert_eq!(
            f.clear(),
            vec![(FreeListKind::Float, 2), (FreeListKind::Tuple(3), 1)]
        );
        assert_eq!(f.total_len(), 0);
        assert!(f.clear().is_empty());
    }

    #[test]
    fn lines_match_cpython_formatting() {
        // Lines from the 3.11.7 reference output (../shared/reference/cpython-memory.md §1.6).
        assert_eq!(
            allocator_stats_line("PyDictObject", 8, 48),
            "            8 free PyDictObjects * 48 bytes each =                  384"
        );
        assert_eq!(
            allocator_stats_line("10-sized PyTupleObject", 0, 104),
            " 0 free 10-sized PyTupleObjects * 104 bytes each =                    0"
        );
        assert_eq!(
            allocator_stats_line("20-sized PyTupleObject", 6, 184),
            " 6 free 20-sized PyTupleObjects * 184 bytes each =                1,104"
        );
        // Wider than 48 columns: no padding, exactly one space before '='.
        assert_eq!(
            allocator_stats_line("20-sized PyTupleObject", 2000, 184),
            "2000 free 20-sized PyTupleObjects * 184 bytes each =              368,000"
        );
        let f = FreeLists::new(Version::V3_8);
        let lines = f.lines();
        assert_eq!(lines.len(), 6 + 19);
        assert_eq!(
            lines[0],
            "       0 free PyCFunctionObjects * 56 bytes each =                    0"
        );
    }
}
