//! `dict` tables (Objects/dictobject.c).
//!
//! A dict is a 48-byte `PyDictObject` (64 with its GC header), a keys object
//! (`PyDictKeysObject`: header, index array, entry array) and, for split
//! tables, a separately allocated values array.
//!
//! * Keys object, 3.8–3.10: header 40 bytes (`dk_refcnt`, `dk_size`,
//!   `dk_lookup`, `dk_usable`, `dk_nentries`), `dk_size` indices of 1/2/4/8
//!   bytes (`DK_IXSIZE`: size ≤ 0xff → 1, ≤ 0xffff → 2, …), and
//!   `USABLE_FRACTION(size)` 24-byte entries `{hash, key, value}`.
//!   3.11+: header 32 bytes (`dk_refcnt`; `dk_log2_size`,
//!   `dk_log2_index_bytes`, `dk_kind`; `dk_version`; `dk_usable`;
//!   `dk_nentries`), `1 << dk_log2_index_bytes` index bytes (1-byte indices
//!   below log2 8, 2-byte below 16, ...), and 16-byte `{key, value}` entries
//!   when all keys are exact `str` (unicode and split kinds) or 24-byte
//!   entries otherwise.
//! * `USABLE_FRACTION(n) = (n << 1) / 3`; `GROWTH_RATE(d) = d->ma_used * 3`
//!   (3.7 onwards); a full table is rebuilt with
//!   `dictresize(calculate_log2_keysize(GROWTH_RATE))`.
//! * `calculate_log2_keysize(minsize)`: 3.8/3.9 loop from 8 doubling while
//!   `< minsize`; from 3.10 the bit trick
//!   `bit_length(((minsize | 8) - 1) | 7)`, which maps every minsize 1..=7 to
//!   16 slots, not 8, and every exact power of two ≥ 16 to twice that.
//!   Observed: a 5-entry dict with 4 deleted grows to 8 slots on 3.8/3.9 but
//!   16 on 3.10+ when a new key arrives; `{}.update(d)` with 21 live keys
//!   (`estimate` = 32) gets 32 slots on 3.8/3.9 but 64 on 3.10+.
//! * 3.11+: inserting a non-`str` key into a unicode-kind table first
//!   converts it with `insertion_resize(mp, 0)`, i.e. to
//!   `calculate_log2_keysize(3·used)` general slots (so `{'a': 1}` → `d[1] = 2`
//!   lands in 16 general slots).
//! * Displays: `_PyDict_NewPresized(n)` / 3.11+ `dict_new_presized(n, unicode)`:
//!   no keys for n ≤ 5, else `estimate_log2_keysize(n)` =
//!   `calculate_log2_keysize((3n + 1) / 2)`, capped at 2**17 slots.
//! * `dict()` (the type call, `dict_new`) allocated an 8-slot keys object
//!   eagerly in 3.8/3.9; `{}` and 3.10+ `dict()` share the static empty keys.
//! * Split values arrays (`new_values`): 3.8–3.10 `8·USABLE_FRACTION(size)`;
//!   3.11/3.12 `round_up(n + 2, 8) + 8n` (insertion-order bytes first);
//!   3.13 `8(n + 1) + round_up(n, 8)` (`values_size_from_count`).
//! * `dict.__sizeof__` (`_PyDict_SizeOf`): 48, + the keys object when
//!   `dk_refcnt == 1`, + 8 per value slot of a split table
//!   (3.8–3.10 `USABLE_FRACTION(size)`, 3.11+ the shared keys' current
//!   `dk_nentries + dk_usable`).

use super::{round_up8, Domain, Footprint, Op, Part, Request, DICT_BASICSIZE, GC_HEAD, PTR};
use crate::version::Version;

/// `PyDict_LOG_MINSIZE`: the smallest table has 8 slots.
pub const LOG_MINSIZE: u8 = 3;
/// `PyDict_MINSIZE`.
pub const MINSIZE: u64 = 8;
/// Presizing cap (`max_presize = 128 * 1024` / `log2_max_presize = 17`).
pub const LOG2_MAX_PRESIZE: u8 = 17;

/// The kind of a keys table (3.11+ `dk_kind`; in 3.8–3.10 all entries are
/// 24 bytes and the kind only decides which lookup function is used).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeysKind {
    /// Combined table, all keys exact `str` (`DICT_KEYS_UNICODE`).
    Unicode,
    /// Combined table with any keys (`DICT_KEYS_GENERAL`).
    General,
    /// Keys shared by the instances of a class, values stored per instance
    /// (`DICT_KEYS_SPLIT`; str keys only).
    Split,
}

/// `USABLE_FRACTION(n)`.
pub const fn usable_fraction(n: u64) -> u64 {
    (n << 1) / 3
}

/// `GROWTH_RATE(d)` = `ma_used * 3` in every modelled version.
pub const fn growth_rate(used: u64) -> u64 {
    used * 3
}

/// `calculate_log2_keysize(minsize)` (3.10+) / the `dictresize` size loop (3.8/3.9).
pub fn calculate_log2_keysize(v: Version, minsize: u64) -> u8 {
    if v.minor() >= 10 {
        let m = ((minsize | MINSIZE) - 1) | (MINSIZE - 1);
        (64 - m.leading_zeros()) as u8
    } else {
        let mut log2 = LOG_MINSIZE;
        while (1u64 << log2) < minsize {
            log2 += 1;
        }
        log2
    }
}

/// `estimate_log2_keysize(n)` (3.8/3.9 `ESTIMATE_SIZE`): a table that holds
/// `n` entries without resizing.
pub fn estimate_log2_keysize(v: Version, n: u64) -> u8 {
    // C: `(n*3 + 1) / 2`.
    calculate_log2_keysize(v, (n * 3).div_ceil(2))
}

/// Bytes of the index array of a `2**log2_size`-slot table.
pub const fn index_bytes(log2_size: u8) -> u64 {
    let width = if log2_size < 8 {
        1
    } else if log2_size < 16 {
        2
    } else if log2_size < 32 {
        4
    } else {
        8
    };
    width << log2_size
}

/// Size of one entry: 24 (`PyDictKeyEntry`) in 3.8–3.10 and for general
/// tables, 16 (`PyDictUnicodeEntry`) for unicode and split tables from 3.11.
pub const fn entry_size(v: Version, kind: KeysKind) -> u64 {
    if v.minor() >= 11 && !matches!(kind, KeysKind::General) {
        16
    } else {
        24
    }
}

/// `sizeof(PyDictKeysObject)` without the indices: 40 (3.8–3.10) or 32 (3.11+).
pub const fn keys_header(v: Version) -> u64 {
    if v.minor() >= 11 {
        32
    } else {
        40
    }
}

/// Bytes `new_keys_object` requests (= `_PyDict_KeysSize`).
pub const fn keys_size(v: Version, log2_size: u8, kind: KeysKind) -> u64 {
    keys_header(v) + index_bytes(log2_size) + entry_size(v, kind) * usable_fraction(1 << log2_size)
}

/// Allocator API of keys objects: `PyObject_Malloc` up to 3.12,
/// `PyMem_Malloc` in 3.13 (dictobject.c `new_keys_object`). Taken from the
/// source only: tracemalloc cannot tell the two apart, and both reach pymalloc.
pub const fn keys_domain(v: Version) -> Domain {
    if v.minor() >= 13 {
        Domain::Mem
    } else {
        Domain::Object
    }
}

/// Bytes `new_values(n)` requests for a split table's values array.
pub const fn values_size(v: Version, n: u64) -> u64 {
    match v.minor() {
        8..=10 => PTR * n,
        11 | 12 => round_up8(n + 2) + PTR * n,
        _ => PTR * (n + 1) + round_up8(n),
    }
}

/// A keys object: its size and fill.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct DictKeys {
    /// `log2(dk_size)`.
    pub log2_size: u8,
    /// What the table holds (`dk_kind` from 3.11).
    pub kind: KeysKind,
    /// `dk_usable`: entries still free.
    pub usable: u64,
    /// `dk_nentries`: entries used so far, deleted ones included.
    pub nentries: u64,
}

impl DictKeys {
    /// `new_keys_object(log2_size, ...)`: empty, `usable = USABLE_FRACTION(size)`.
    pub const fn new(_v: Version, log2_size: u8, kind: KeysKind) -> DictKeys {
        DictKeys {
            log2_size,
            kind,
            usable: usable_fraction(1 << log2_size),
            nentries: 0,
        }
    }

    /// Number of slots.
    pub const fn slots(&self) -> u64 {
        1 << self.log2_size
    }

    /// Bytes of the keys object.
    pub const fn bytes(&self, v: Version) -> u64 {
        keys_size(v, self.log2_size, self.kind)
    }

    /// Its allocation request.
    pub const fn request(&self, v: Version) -> Request {
        Request {
            part: Part::DictKeys,
            bytes: self.bytes(v),
            domain: keys_domain(v),
        }
    }
}

/// The values of a split table.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct SplitValues {
    /// Slots the values array was allocated with.
    pub capacity: u64,
    /// 3.13 inline values living inside the instance (no separate allocation).
    pub embedded: bool,
}

impl SplitValues {
    /// The values array's request (none when embedded).
    pub const fn request(&self, v: Version) -> Option<Request> {
        if self.embedded {
            None
        } else {
            Some(Request {
                part: Part::DictValues,
                bytes: values_size(v, self.capacity),
                domain: Domain::Mem,
            })
        }
    }
}

/// A dict's table state.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct DictState {
    /// `ma_used`: live items.
    pub used: u64,
    /// The keys object; `None` is the static `Py_EMPTY_KEYS`.
    pub keys: Option<DictKeys>,
    /// The keys object is shared (refcount > 1: a class's cached keys), so
    /// neither owned nor counted by `getsizeof`. For a 3.11+ split table
    /// `keys` mirrors the class's shared keys (`getsizeof` reads them).
    pub keys_shared: bool,
    /// Split table values.
    pub values: Option<SplitValues>,
}

impl DictState {
    /// `{}` / `PyDict_New()`: the static empty keys.
    pub const fn empty() -> DictState {
        DictState {
            used: 0,
            keys: None,
            keys_shared: false,
            values: None,
        }
    }

    /// A combined dict with a fresh, empty keys object.
    pub const fn with_keys(v: Version, log2_size: u8, kind: KeysKind) -> DictState {
        DictState {
            used: 0,
            keys: Some(DictKeys::new(v, log2_size, kind)),
            keys_shared: false,
            values: None,
        }
    }

    /// `dict()` (the type call, `dict_new`): 3.8/3.9 allocate an 8-slot keys
    /// object at once; 3.10+ start empty like `{}`.
    pub const fn dict_call(v: Version) -> DictState {
        if v.minor() <= 9 {
            DictState::with_keys(v, LOG_MINSIZE, KeysKind::Unicode)
        } else {
            DictState::empty()
        }
    }

    /// `_PyDict_NewPresized(n)` / `dict_new_presized(n, unicode)`: the start of
    /// a dict display of `n` items. (3.8–3.10 never pass `unicode`; there it
    /// makes no size difference.)
    pub fn presized(v: Version, n: u64, unicode: bool) -> DictState {
        if n <= usable_fraction(MINSIZE) {
            return DictState::empty();
        }
        let log2 = if n > usable_fraction(1 << LOG2_MAX_PRESIZE) {
            LOG2_MAX_PRESIZE
        } else {
            estimate_log2_keysize(v, n)
        };
        let kind = if unicode || v.minor() <= 10 {
            KeysKind::Unicode
        } else {
            KeysKind::General
        };
        DictState::with_keys(v, log2, kind)
    }

    /// A dict display `{k: v, ...}` of `n` distinct keys (`all_str`: every key
    /// an exact `str`): presize, then insert. From 3.10 the compiler emits
    /// `BUILD_MAP` for at most 16 pairs (`STACK_USE_GUIDELINE` 30) and adds
    /// the rest with `MAP_ADD`, so bigger displays presize for 16 only.
    pub fn display(v: Version, n: u64, all_str: bool) -> DictState {
        let first = if v.minor() >= 10 && n > 15 { 16 } else { n };
        let mut d = DictState::presized(v, first, all_str);
        for _ in 0..n {
            d.insert(v, all_str);
        }
        d
    }

    /// `__sizeof__` of the split values part.
    fn values_sizeof(&self, v: Version) -> u64 {
        match (&self.values, &self.keys) {
            (Some(_), Some(k)) if v.minor() <= 10 => PTR * usable_fraction(k.slots()),
            (Some(_), Some(k)) => PTR * (k.nentries + k.usable),
            _ => 0,
        }
    }

    /// `sys.getsizeof(d)`.
    pub fn getsizeof(&self, v: Version) -> u64 {
        let keys = match (&self.keys, self.keys_shared) {
            (Some(k), false) => k.bytes(v),
            _ => 0,
        };
        GC_HEAD + DICT_BASICSIZE + keys + self.values_sizeof(v)
    }

    /// The object (64 bytes), owned keys and owned values.
    pub fn footprint(&self, v: Version) -> Footprint {
        let mut requests = vec![Request::object(GC_HEAD + DICT_BASICSIZE)];
        requests.extend(self.owned_requests(v));
        Footprint {
            getsizeof: self.getsizeof(v),
            requests,
        }
    }

    /// Requests owned besides the dict object itself.
    pub fn owned_requests(&self, v: Version) -> Vec<Request> {
        let mut r = Vec::new();
        if let (Some(k), false) = (&self.keys, self.keys_shared) {
            r.push(k.request(v));
        }
        if let Some(vals) = &self.values {
            r.extend(vals.request(v));
        }
        r
    }

    fn release_tables(&mut self, v: Version) -> Vec<Op> {
        let ops = self.owned_requests(v).into_iter().map(Op::Free).collect();
        self.keys = None;
        self.keys_shared = false;
        self.values = None;
        ops
    }

    /// `dictresize(mp, log2_newsize, unicode)`: a new combined table holding
    /// the `used` live entries; old keys and values are released.
    pub fn resize(&mut self, v: Version, log2_newsize: u8, unicode: bool) -> Vec<Op> {
        let old_general = matches!(
            self.keys,
            Some(DictKeys {
                kind: KeysKind::General,
                ..
            })
        );
        let kind = if old_general || !unicode {
            KeysKind::General
        } else {
            KeysKind::Unicode
        };
        let mut keys = DictKeys::new(v, log2_newsize, kind);
        keys.nentries = self.used;
        keys.usable -= self.used;
        let mut ops = vec![Op::Alloc(keys.request(v))];
        ops.extend(self.release_tables(v));
        self.keys = Some(keys);
        ops
    }

    /// `insertion_resize`: grow (or shrink) to `calculate_log2_keysize(GROWTH_RATE)`.
    pub fn insertion_resize(&mut self, v: Version, unicode: bool) -> Vec<Op> {
        let log2 = calculate_log2_keysize(v, growth_rate(self.used));
        self.resize(v, log2, unicode)
    }

    /// Insert a key that is not in the dict (`str_key`: an exact `str`).
    /// Split tables are converted to combined ones first (as when a new key
    /// does not fit the shared keys); see [`super::instance`] for the cases
    /// where a split table takes the key.
    pub fn insert(&mut self, v: Version, str_key: bool) -> Vec<Op> {
        let mut ops = Vec::new();
        match self.keys {
            None => {
                // insert_to_emptydict (or insertdict's resize from the empty keys).
                let kind = if str_key {
                    KeysKind::Unicode
                } else {
                    KeysKind::General
                };
                let keys = DictKeys::new(v, LOG_MINSIZE, kind);
                ops.push(Op::Alloc(keys.request(v)));
                self.keys = Some(keys);
            }
            Some(k) => {
                if self.values.is_some() {
                    ops.extend(self.insertion_resize(v, str_key));
                } else if k.kind == KeysKind::Unicode && !str_key {
                    if v.minor() >= 11 {
                        // insertdict: DK_IS_UNICODE && !PyUnicode_CheckExact(key)
                        ops.extend(self.insertion_resize(v, false));
                    } else if let Some(k) = self.keys.as_mut() {
                        k.kind = KeysKind::General; // lookdict_unicode -> lookdict
                    }
                }
                if self.keys.is_some_and(|k| k.usable == 0) {
                    ops.extend(self.insertion_resize(v, str_key));
                }
            }
        }
        let k = self.keys.as_mut().expect("keys after insert");
        k.usable -= 1;
        k.nentries += 1;
        self.used += 1;
        ops
    }

    /// Delete one key of a combined table (`delitem_common`: leaves a dummy,
    /// nothing is freed or resized).
    pub fn delete(&mut self) {
        assert!(self.used > 0, "delete from empty dict");
        self.used -= 1;
    }

    /// `dict.clear()`: back to the empty keys; tables freed.
    pub fn clear(&mut self, v: Version) -> Vec<Op> {
        self.used = 0;
        if matches!(self.values, Some(SplitValues { embedded: true, .. })) {
            return Vec::new(); // 3.13 inline values: only the values are cleared.
        }
        self.release_tables(v)
    }

    /// `d.copy()` (`PyDict_Copy`): returns the new dict and its allocations
    /// (besides the new dict object).
    pub fn copy(&self, v: Version) -> (DictState, Vec<Op>) {
        if self.used == 0 {
            return (DictState::empty(), Vec::new());
        }
        if let (Some(vals), Some(k)) = (&self.values, &self.keys) {
            // Split copy: shares the keys, new values array.
            let capacity = match v.minor() {
                8..=10 => usable_fraction(k.slots()),
                11 | 12 => k.nentries + k.usable, // shared_keys_usable_size
                _ => vals.capacity,               // copy_values
            };
            let values = SplitValues {
                capacity,
                embedded: false,
            };
            let d = DictState {
                used: self.used,
                keys: Some(*k),
                keys_shared: true,
                values: Some(values),
            };
            return (d, values.request(v).map(Op::Alloc).into_iter().collect());
        }
        let k = self.keys.expect("non-empty dict has keys");
        if self.used >= (k.nentries * 2) / 3 {
            // clone_combined_dict_keys: same size, compacted order kept.
            let d = DictState {
                used: self.used,
                keys: Some(k),
                keys_shared: false,
                values: None,
            };
            return (d, vec![Op::Alloc(k.request(v))]);
        }
        let mut d = DictState::empty();
        let ops = d.merge(v, self);
        (d, ops)
    }

    /// `dict_merge(self, other)` with distinct keys (`d.update(other)`,
    /// `dict(other)`): one presizing resize, then plain inserts.
    pub fn merge(&mut self, v: Version, other: &DictState) -> Vec<Op> {
        if other.used == 0 {
            return Vec::new();
        }
        let unicode = !matches!(
            other.keys,
            Some(DictKeys {
                kind: KeysKind::General,
                ..
            })
        );
        let mut ops = Vec::new();
        let dense = other.values.is_none() && other.keys.is_some_and(|k| k.nentries == other.used);
        if v.minor() >= 10 && self.used == 0 && self.values.is_none() && dense {
            // 3.10+ fast path: clone the other's keys when they are not too sparse.
            let ok = other.keys.expect("dense");
            if ok.log2_size == LOG_MINSIZE || usable_fraction(ok.slots() / 2) < other.used {
                ops.extend(self.release_tables(v));
                ops.push(Op::Alloc(ok.request(v)));
                self.keys = Some(ok);
                self.used = other.used;
                return ops;
            }
        }
        ops.extend(self.presize_for_merge(v, other));
        for _ in 0..other.used {
            ops.extend(self.insert(v, unicode));
        }
        ops
    }

    /// The first step of `dict_merge` into a dict that has items: one
    /// resize to `ESTIMATE_SIZE(used + other.used)` when the table has
    /// fewer usable slots than `other` has items. The items are then
    /// stored one by one.
    pub fn presize_for_merge(&mut self, v: Version, other: &DictState) -> Vec<Op> {
        let cur_usable = self.keys.map_or(0, |k| usable_fraction(k.slots()));
        if other.used == 0 || cur_usable >= other.used {
            return Vec::new();
        }
        let unicode = !matches!(
            (self.keys, other.keys),
            (
                Some(DictKeys {
                    kind: KeysKind::General,
                    ..
                }),
                _
            ) | (
                _,
                Some(DictKeys {
                    kind: KeysKind::General,
                    ..
                })
            )
        );
        let log2 = estimate_log2_keysize(v, self.used + other.used);
        self.resize(v, log2, unicode)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sizes_match_reference_table() {
        // ../shared/reference/cpython-memory.md §2.4 (3.11): unicode / general keys objects.
        let v = Version::V3_11;
        let uni: Vec<u64> = (3..=8)
            .map(|l| keys_size(v, l, KeysKind::Unicode))
            .collect();
        let gen: Vec<u64> = (3..=8)
            .map(|l| keys_size(v, l, KeysKind::General))
            .collect();
        assert_eq!(uni, [120, 208, 400, 768, 1520, 3264]);
        assert_eq!(gen, [160, 288, 568, 1104, 2200, 4624]);
        // dict getsizeof with str keys: 184 / 272 / 464 / 832.
        let sizes: Vec<u64> = (3..=6)
            .map(|l| DictState::with_keys(v, l, KeysKind::Unicode).getsizeof(v))
            .collect();
        assert_eq!(sizes, [184, 272, 464, 832]);
        // 3.8: 40-byte header, 24-byte entries: 232 / 360 / 640 / 1176.
        let v = Version::V3_8;
        let sizes: Vec<u64> = (3..=6)
            .map(|l| DictState::with_keys(v, l, KeysKind::Unicode).getsizeof(v))
            .collect();
        assert_eq!(sizes, [232, 360, 640, 1176]);
        assert_eq!(keys_size(v, 8, KeysKind::General), 40 + 512 + 170 * 24);
    }

    #[test]
    fn calculate_log2_keysize_per_version() {
        for m in [0, 1, 3, 7, 8] {
            assert_eq!(calculate_log2_keysize(Version::V3_9, m), 3, "3.9 {m}");
        }
        assert_eq!(calculate_log2_keysize(Version::V3_10, 0), 3);
        assert_eq!(calculate_log2_keysize(Version::V3_10, 3), 4);
        assert_eq!(calculate_log2_keysize(Version::V3_10, 7), 4);
        assert_eq!(calculate_log2_keysize(Version::V3_10, 8), 3);
        for v in Version::VERIFIED {
            assert_eq!(calculate_log2_keysize(v, 15), 4);
            assert_eq!(calculate_log2_keysize(v, 17), 5);
            assert_eq!(calculate_log2_keysize(v, 63), 6);
            assert_eq!(calculate_log2_keysize(v, 255), 8);
        }
        // Exact powers of two >= 16 double from 3.10: (16 | 8) - 1 = 23 has 5 bits.
        assert_eq!(calculate_log2_keysize(Version::V3_9, 16), 4);
        assert_eq!(calculate_log2_keysize(Version::V3_9, 32), 5);
        assert_eq!(calculate_log2_keysize(Version::V3_10, 16), 5);
        assert_eq!(calculate_log2_keysize(Version::V3_10, 32), 6);
    }

    fn insert_growth(v: Version, str_keys: bool) -> Vec<(u64, u64)> {
        let mut d = DictState::empty();
        let mut out = vec![(0, d.getsizeof(v))];
        for i in 1..=200 {
            d.insert(v, str_keys);
            if out.last().unwrap().1 != d.getsizeof(v) {
                out.push((i, d.getsizeof(v)));
            }
        }
        out
    }

    #[test]
    fn insertion_growth() {
        assert_eq!(
            insert_growth(Version::V3_11, true),
            [
                (0, 64),
                (1, 184),
                (6, 272),
                (11, 464),
                (22, 832),
                (43, 1584),
                (86, 3328),
                (171, 6576)
            ]
        );
        assert_eq!(
            insert_growth(Version::V3_11, false),
            [
                (0, 64),
                (1, 224),
                (6, 352),
                (11, 632),
                (22, 1168),
                (43, 2264),
                (86, 4688),
                (171, 9304)
            ]
        );
        assert_eq!(
            insert_growth(Version::V3_8, false),
            [
                (0, 64),
                (1, 232),
                (6, 360),
                (11, 640),
                (22, 1176),
                (43, 2272),
                (86, 4696),
                (171, 9312)
            ]
        );
    }

    #[test]
    fn unicode_to_general_conversion_311() {
        let v = Version::V3_11;
        let mut d = DictState::empty();
        d.insert(v, true);
        assert_eq!(d.getsizeof(v), 184);
        d.insert(v, false);
        assert_eq!(d.getsizeof(v), 352); // calculate_log2_keysize(3) = 4 (16 slots)
        let mut d = DictState::display(v, 22, true);
        d.insert(v, false);
        assert_eq!(d.getsizeof(v), 2264);
    }

    #[test]
    fn delete_then_insert_resize() {
        for (v, want) in [
            (Version::V3_8, 232),
            (Version::V3_10, 360),
            (Version::V3_11, 272),
        ] {
            let mut d = DictState::empty();
            for _ in 0..5 {
                d.insert(v, true);
            }
            for _ in 0..4 {
                d.delete();
            }
            d.insert(v, true);
            assert_eq!(d.getsizeof(v), want, "{v}");
        }
    }

    #[test]
    fn values_sizes() {
        assert_eq!(values_size(Version::V3_8, 5), 40);
        assert_eq!(values_size(Version::V3_11, 29), 264);
        assert_eq!(values_size(Version::V3_11, 22), 200);
        assert_eq!(values_size(Version::V3_11, 1), 16);
        assert_eq!(values_size(Version::V3_13, 30), 280);
        assert_eq!(values_size(Version::V3_13, 29), 272);
    }

    #[test]
    fn presizing_and_dict_call() {
        assert_eq!(
            DictState::dict_call(Version::V3_8).getsizeof(Version::V3_8),
            232
        );
        assert_eq!(
            DictState::dict_call(Version::V3_10).getsizeof(Version::V3_10),
            64
        );
        let v = Version::V3_12;
        let sizes: Vec<u64> = (0..12)
            .map(|n| DictState::display(v, n, true).getsizeof(v))
            .collect();
        assert_eq!(
            sizes,
            [64, 184, 184, 184, 184, 184, 272, 272, 272, 272, 272, 464]
        );
    }
}
