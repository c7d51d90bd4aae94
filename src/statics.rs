//! Objects CPython never (or only once) allocates: cached small ints and
//! singletons, their refcounts, and string interning — version by version.
//!
//! Checked on 3.8.18, 3.9.18, 3.10.13, 3.11.7, 3.12.1 and 3.13.0 with
//! `sys.getrefcount`, identity tests (`x is y`) and, for lazily created
//! caches, `tracemalloc.get_object_traceback` under `-X tracemalloc`
//! (see `tests/fidelity_layout.rs`).
//!
//! * Small ints −5..=256 (`_PY_NSMALLNEGINTS 5`, `_PY_NSMALLPOSINTS 257`):
//!   every operation producing one returns the cached object.
//! * Other caches, all versions: `()`, `''`, `b''`, the 256 one-character
//!   latin-1 strs (`chr(0)..chr(255)`) and the 256 one-byte bytes. The empty
//!   `frozenset()` is a singleton only in 3.8/3.9 (3.10 dropped it).
//!   In 3.8–3.10 the one-character strs and one-byte bytes are created on
//!   first use and then kept (Objects/unicodeobject.c `get_latin1_char`,
//!   Objects/bytesobject.c `characters[]`); from 3.11 they are static
//!   (`_Py_SINGLETON`), like the small ints.
//! * Refcounts: 3.11 statically allocated objects start at 999,999,999
//!   (`_PyObject_IMMORTAL_INIT`, Include/internal/pycore_object.h) and still
//!   count references; from 3.12 (PEP 683) they, `None`/`True`/`False`/`...`/
//!   `NotImplemented` and immortal interned strs report `_Py_IMMORTAL_REFCNT`
//!   = 4,294,967,295 (`UINT_MAX`) forever (3.14: `3 << 30` = 3,221,225,472,
//!   from source only). Before 3.11 all of these are
//!   ordinary refcounted objects.
//! * Interning: the interned dict's two references are not counted (all
//!   versions). Interned automatically: names (attribute, variable, `setattr`
//!   keys) and code constants made only of `[A-Za-z0-9_]` (`all_name_chars`,
//!   Objects/codeobject.c, any length); runtime-built strs are not (`''.join`
//!   results, dict keys). 3.12: every interned str is immortal. 3.13: code
//!   names (`co_names` etc.) are interned immortal, but constants and
//!   `sys.intern()`/`setattr` interning are mortal again.

use crate::version::Version;

/// Smallest cached int (`-_PY_NSMALLNEGINTS`).
pub const SMALL_INT_MIN: i64 = -5;
/// Largest cached int (`_PY_NSMALLPOSINTS - 1`).
pub const SMALL_INT_MAX: i64 = 256;

/// `_Py_IMMORTAL_REFCNT` on 64-bit 3.12/3.13, as `sys.getrefcount` prints it.
pub const IMMORTAL_REFCNT: u64 = 4_294_967_295;
/// `_Py_IMMORTAL_INITIAL_REFCNT` on 64-bit 3.14, `3ULL << 30`
/// (`Include/refcount.h`; modelled from source, not run).
pub const IMMORTAL_REFCNT_314: u64 = 3 << 30;

/// What `sys.getrefcount` prints for an immortal object in `v` (3.12+).
pub const fn immortal_refcnt(v: Version) -> u64 {
    if v.minor() >= 14 {
        IMMORTAL_REFCNT_314
    } else {
        IMMORTAL_REFCNT
    }
}
/// 3.11 `_PyObject_IMMORTAL_INIT` start value for static objects.
pub const STATIC_REFCNT_BASE_311: u64 = 999_999_999;

/// True for ints served from the small-int cache.
pub const fn is_small_int(value: i128) -> bool {
    value >= SMALL_INT_MIN as i128 && value <= SMALL_INT_MAX as i128
}

/// A cached or singleton object.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Singleton {
    /// `None` (`_Py_NoneStruct`).
    None,
    /// `True` (`_Py_TrueStruct`).
    True,
    /// `False` (`_Py_FalseStruct`).
    False,
    /// `...` (`_Py_EllipsisObject`).
    Ellipsis,
    /// `NotImplemented` (`_Py_NotImplementedStruct`).
    NotImplemented,
    /// A small int (−5..=256).
    SmallInt(i16),
    /// `()`.
    EmptyTuple,
    /// `''`.
    EmptyStr,
    /// A one-character str `chr(c)`, c < 256.
    Latin1Char(u8),
    /// `b''`.
    EmptyBytes,
    /// A one-byte bytes `bytes([b])`.
    Byte(u8),
    /// `frozenset()`.
    EmptyFrozenSet,
}

/// How a cached object comes to exist.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Storage {
    /// Created at startup or statically: never allocated by user code.
    Preexisting,
    /// Allocated (through the normal allocator) the first time it is needed,
    /// then kept for the life of the interpreter.
    OnFirstUse,
    /// Not cached in this version: every request makes a new object.
    NotCached,
}

/// Whether `s` is cached in `v`, and how.
pub const fn storage(v: Version, s: Singleton) -> Storage {
    match s {
        Singleton::EmptyFrozenSet => {
            if v.minor() <= 9 {
                Storage::Preexisting
            } else {
                Storage::NotCached
            }
        }
        Singleton::Latin1Char(_) | Singleton::Byte(_) if v.minor() <= 10 => Storage::OnFirstUse,
        Singleton::SmallInt(i) if !is_small_int(i as i128) => Storage::NotCached,
        _ => Storage::Preexisting,
    }
}

/// For a cache filled on first use (3.8–3.10's one-character strs and
/// one-byte bytes): whether the entry already exists when the program's
/// first line runs, so that using it allocates nothing.
///
/// Measured with tracemalloc (`x = chr(i)`, `x = data[i:i+1]` traced alone)
/// in a script whose first lines are `import sys` and `import tracemalloc`
/// on 3.8.18, 3.9.18 and 3.10.13: startup and tracemalloc's own imports
/// (pickle, fnmatch, linecache, ...) leave these made. A program that
/// imports nothing may find fewer made; only tracemalloc can tell, and it
/// has to be imported first.
pub fn made_at_startup(v: Version, s: Singleton) -> bool {
    /// chr(0), chr(7)..chr(13), chr(26), and ' '..'~' except '`'.
    const fn str_made(c: u8) -> bool {
        matches!(c, 0 | 7..=13 | 26 | 32..=95 | 97..=126)
    }
    match s {
        Singleton::Latin1Char(c) => str_made(c),
        Singleton::Byte(b) => match v.minor() {
            8 => matches!(b, b'\n' | b'-' | b'0' | b'1' | b'_'),
            _ => matches!(
                b,
                b'\n'
                    | b'('
                    | b')'
                    | b'+'
                    | b','
                    | b'-'
                    | b'.'
                    | b'0'
                    | b'1'
                    | b':'
                    | b';'
                    | b'<'
                    | b'='
                    | b'['
                    | b']'
                    | b'_'
                    | b'i'
                    | b'x'
            ),
        },
        _ => true,
    }
}

/// The singleton a fresh int value maps to, if any.
pub fn small_int(value: i128) -> Option<Singleton> {
    is_small_int(value).then_some(Singleton::SmallInt(value as i16))
}

/// The singleton a str value maps to (`''` or one latin-1 character), if any.
pub fn cached_str(s: &str) -> Option<Singleton> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (None, _) => Some(Singleton::EmptyStr),
        (Some(c), None) if (c as u32) < 256 => Some(Singleton::Latin1Char(c as u8)),
        _ => None,
    }
}

/// The singleton a bytes value maps to (`b''` or one byte), if any.
pub fn cached_bytes(b: &[u8]) -> Option<Singleton> {
    match b {
        [] => Some(Singleton::EmptyBytes),
        [x] => Some(Singleton::Byte(*x)),
        _ => None,
    }
}

/// `sys.getsizeof` of a cached object. Same as a fresh object of its value,
/// except that from 3.12 the static one-character strs 128..=255 carry their
/// UTF-8 form (2 bytes + NUL), so `getsizeof(chr(200))` is 61, not 58.
pub fn getsizeof(v: Version, s: Singleton) -> u64 {
    use crate::layout::{
        footprint, int_digits, int_getsizeof, str_request, Shape, StrKind, GC_HEAD,
    };
    match s {
        Singleton::None | Singleton::Ellipsis | Singleton::NotImplemented => 16,
        Singleton::True => int_getsizeof(v, 1),
        Singleton::False => int_getsizeof(v, 0),
        Singleton::SmallInt(i) => int_getsizeof(v, int_digits(i as i128)),
        Singleton::EmptyTuple => GC_HEAD + crate::layout::tuple_basicsize(v),
        Singleton::EmptyStr => str_request(v, StrKind::Ascii, 0),
        Singleton::Latin1Char(c) if c < 128 => str_request(v, StrKind::Ascii, 1),
        Singleton::Latin1Char(_) => {
            str_request(v, StrKind::Latin1, 1) + if v.minor() >= 12 { 3 } else { 0 }
        }
        Singleton::EmptyBytes => footprint(v, &Shape::Bytes { len: 0 }).getsizeof,
        Singleton::Byte(_) => footprint(v, &Shape::Bytes { len: 1 }).getsizeof,
        Singleton::EmptyFrozenSet => crate::layout::SetState::empty().getsizeof(),
    }
}

/// What `sys.getrefcount` shows for a cached object.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum RefcountModel {
    /// An ordinary count of references (+1 for the call's argument).
    Counted,
    /// 3.11 statics: 999,999,999 + references.
    StaticBase(u64),
    /// 3.12+: always [`immortal_refcnt`].
    Immortal(u64),
}

/// True for objects the 3.11 runtime allocates statically with
/// `_PyObject_IMMORTAL_INIT` (small ints, `()`, `''`, `b''`, one-char
/// latin-1 strs, one-byte bytes).
const fn static_in_311(s: Singleton) -> bool {
    matches!(
        s,
        Singleton::SmallInt(_)
            | Singleton::EmptyTuple
            | Singleton::EmptyStr
            | Singleton::Latin1Char(_)
            | Singleton::EmptyBytes
            | Singleton::Byte(_)
    )
}

/// How `sys.getrefcount(s)` behaves in `v`. (`frozenset()` is never immortal:
/// it is not cached from 3.10.)
pub const fn refcount_model(v: Version, s: Singleton) -> RefcountModel {
    if let Storage::NotCached = storage(v, s) {
        return RefcountModel::Counted;
    }
    match v.minor() {
        8..=10 => RefcountModel::Counted,
        11 => {
            if static_in_311(s) {
                RefcountModel::StaticBase(STATIC_REFCNT_BASE_311)
            } else {
                RefcountModel::Counted
            }
        }
        _ => RefcountModel::Immortal(immortal_refcnt(v)),
    }
}

/// How a str got interned.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum InternKind {
    /// A name in a code object (`co_names`, `co_varnames`, ...).
    CodeName,
    /// A string constant in a code object made only of `[A-Za-z0-9_]`.
    CodeConstant,
    /// `sys.intern()`, attribute names passed to `setattr`, ...
    Runtime,
}

/// True when a code constant is interned by the compiler (`all_name_chars`).
pub fn constant_is_interned(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// True when interning of `kind` makes the str immortal in `v`.
pub const fn interned_is_immortal(v: Version, kind: InternKind) -> bool {
    match v.minor() {
        8..=11 => false,
        12 => true,
        _ => matches!(kind, InternKind::CodeName),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_int_range() {
        assert!(is_small_int(-5) && is_small_int(0) && is_small_int(256));
        assert!(!is_small_int(-6) && !is_small_int(257));
        assert_eq!(small_int(257), None);
        assert_eq!(small_int(7), Some(Singleton::SmallInt(7)));
    }

    #[test]
    fn caches() {
        assert_eq!(cached_str(""), Some(Singleton::EmptyStr));
        assert_eq!(cached_str("é"), Some(Singleton::Latin1Char(0xe9)));
        assert_eq!(cached_str("€"), None);
        assert_eq!(cached_str("ab"), None);
        assert_eq!(cached_bytes(b"x"), Some(Singleton::Byte(b'x')));
        assert_eq!(
            storage(Version::V3_9, Singleton::EmptyFrozenSet),
            Storage::Preexisting
        );
        assert_eq!(
            storage(Version::V3_10, Singleton::EmptyFrozenSet),
            Storage::NotCached
        );
        assert_eq!(
            storage(Version::V3_10, Singleton::Byte(1)),
            Storage::OnFirstUse
        );
        assert_eq!(
            storage(Version::V3_11, Singleton::Byte(1)),
            Storage::Preexisting
        );
    }

    #[test]
    fn refcounts() {
        assert_eq!(
            refcount_model(Version::V3_10, Singleton::None),
            RefcountModel::Counted
        );
        assert_eq!(
            refcount_model(Version::V3_11, Singleton::None),
            RefcountModel::Counted
        );
        assert_eq!(
            refcount_model(Version::V3_11, Singleton::SmallInt(0)),
            RefcountModel::StaticBase(999_999_999)
        );
        assert_eq!(
            refcount_model(Version::V3_12, Singleton::True),
            RefcountModel::Immortal(4_294_967_295)
        );
        assert!(interned_is_immortal(Version::V3_12, InternKind::Runtime));
        assert!(!interned_is_immortal(Version::V3_13, InternKind::Runtime));
        assert!(interned_is_immortal(Version::V3_13, InternKind::CodeName));
        assert!(constant_is_interned("abc_def") && !constant_is_interned("abc def"));
    }
}
