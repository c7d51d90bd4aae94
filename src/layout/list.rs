//! `list` growth (Objects/listobject.c).
//!
//! A list is a 40-byte `PyListObject` (56 with its GC header) plus an item
//! array of `allocated` pointers obtained with `PyMem_Realloc`;
//! `list.__sizeof__` = 40 + 8·allocated. The rules, per version:
//!
//! * `list_resize(self, newsize)`: no realloc while
//!   `allocated >= newsize >= allocated/2`; otherwise
//!   - 3.8: `newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6)`
//!     (appends: 0, 4, 8, 16, 25, 35, 46, 58, 72, 88, …);
//!   - 3.9+: `(newsize + (newsize >> 3) + 6) & ~3`, or `(newsize + 3) & ~3`
//!     when that is closer to the old size than to the over-allocation
//!     (appends: 0, 4, 8, 16, 24, 32, 40, 52, 64, 76, 92, …);
//!   - `newsize == 0` reallocates to 0 bytes (the array pointer stays non-NULL).
//! * `list_preallocate_exact(n)`: exactly `n` in 3.8/3.9, rounded up to even
//!   from 3.10 (`(n + 1) & ~1`).
//! * `PyList_New(n)` (`[None]*n`, slices, copies, `BUILD_LIST n`): exactly `n`,
//!   no array at all for `n == 0`.
//! * `list_extend`: list/tuple sources resize once to `size + n` (3.10+: an
//!   empty list with no array preallocates exactly instead); other iterables
//!   first make room for `PyObject_LengthHint(it, 8)` items the same way,
//!   append past that one at a time, and finally cut back with
//!   `list_resize(size)`.

use super::{Domain, Footprint, Op, Part, Request, GC_HEAD, LIST_BASICSIZE, PTR};
use crate::version::Version;

/// New `allocated` chosen by `list_resize(self, newsize)` when the list holds
/// `old_size` items in an array of `allocated`; `None` when no realloc happens.
pub fn list_resize_target(v: Version, allocated: u64, old_size: u64, newsize: u64) -> Option<u64> {
    if allocated >= newsize && newsize >= (allocated >> 1) {
        return None;
    }
    if newsize == 0 {
        return Some(0);
    }
    let new_allocated = if v.minor() <= 8 {
        newsize + (newsize >> 3) + if newsize < 9 { 3 } else { 6 }
    } else {
        let over = (newsize + (newsize >> 3) + 6) & !3;
        // `newsize - Py_SIZE(self) > new_allocated - newsize`, in signed arithmetic.
        if newsize as i128 - old_size as i128 > (over - newsize) as i128 {
            (newsize + 3) & !3
        } else {
            over
        }
    };
    Some(new_allocated)
}

/// `list_preallocate_exact(self, n)` (n > 0): exact in 3.8/3.9, rounded up to
/// an even count from 3.10 ("the allocator has 16-byte granularity").
pub const fn list_preallocate_exact(v: Version, n: u64) -> u64 {
    if v.minor() >= 10 {
        (n + 1) & !1
    } else {
        n
    }
}

/// A list's size and item-array capacity.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct ListState {
    /// `Py_SIZE(list)`.
    pub size: u64,
    /// `allocated`: capacity of the item array.
    pub allocated: u64,
    /// `ob_item != NULL`. A list emptied by `list_resize(0)` keeps a 0-byte
    /// array; `[]`, `list()` and `list.clear()` have none.
    pub has_items: bool,
}

impl ListState {
    /// `[]` / `list()` / `PyList_New(0)`: no item array.
    pub const fn empty() -> ListState {
        ListState {
            size: 0,
            allocated: 0,
            has_items: false,
        }
    }

    /// `PyList_New(n)`: exactly `n` slots (`[x]*k`, slices, `list.copy()`,
    /// `BUILD_LIST n`).
    pub const fn new_exact(n: u64) -> ListState {
        ListState {
            size: n,
            allocated: n,
            has_items: n > 0,
        }
    }

    /// A list display `[a, b, ...]` of `n` items. From 3.9 a display of three
    /// or more constants compiles to `BUILD_LIST 0; LIST_EXTEND (const tuple)`
    /// (`starunpack_helper` in Python/compile.c), so it follows `list_extend`;
    /// from 3.10 displays of more than 30 non-constant items
    /// (`STACK_USE_GUIDELINE`) append one by one; otherwise `BUILD_LIST n`.
    pub fn display(v: Version, n: u64, all_const: bool) -> ListState {
        if v.minor() >= 9 && n >= 3 && all_const {
            let mut l = ListState::empty();
            l.extend_sized(v, n);
            l
        } else if v.minor() >= 10 && n > 30 {
            let mut l = ListState::empty();
            for _ in 0..n {
                l.append(v);
            }
            l
        } else {
            ListState::new_exact(n)
        }
    }

    /// `list(x)` where `x` has a length `n` (`list.__init__` preallocates
    /// exactly, then extends without resizing).
    pub fn from_sized(v: Version, n: u64) -> ListState {
        if n == 0 {
            ListState::empty()
        } else {
            let cap = list_preallocate_exact(v, n);
            ListState {
                size: n,
                allocated: cap,
                has_items: true,
            }
        }
    }

    /// `list(it)` / `sorted(it)` / a `PySequence_List` of an iterable with no
    /// length: `list_extend` with `hint = PyObject_LengthHint(it, 8)` and `count`
    /// items actually produced.
    pub fn from_iter(v: Version, hint: u64, count: u64) -> ListState {
        let mut l = ListState::empty();
        l.extend_iter(v, hint, count);
        l
    }

    /// Bytes of the item array.
    pub const fn items_bytes(&self) -> u64 {
        self.allocated * PTR
    }

    /// `sys.getsizeof`: 16 + 40 + 8·allocated.
    pub const fn getsizeof(&self) -> u64 {
        GC_HEAD + LIST_BASICSIZE + self.items_bytes()
    }

    /// The item array's request, if there is an array.
    pub fn items_request(&self) -> Option<Request> {
        self.has_items.then_some(Request {
            part: Part::ItemArray,
            bytes: self.items_bytes(),
            domain: Domain::Mem,
        })
    }

    /// Object + item array.
    pub fn footprint(&self) -> Footprint {
        let mut requests = vec![Request::object(GC_HEAD + LIST_BASICSIZE)];
        requests.extend(self.items_request());
        Footprint {
            getsizeof: self.getsizeof(),
            requests,
        }
    }

    fn realloc_to(&mut self, new_allocated: u64) -> Op {
        let op = Op::Realloc {
            part: Part::ItemArray,
            domain: Domain::Mem,
            old_bytes: self.has_items.then_some(self.items_bytes()),
            new_bytes: new_allocated * PTR,
        };
        self.allocated = new_allocated;
        self.has_items = true;
        op
    }

    /// `list_resize(self, newsize)`; sets `size = newsize`.
    pub fn resize(&mut self, v: Version, newsize: u64) -> Vec<Op> {
        let ops = match list_resize_target(v, self.allocated, self.size, newsize) {
            Some(cap) => vec![self.realloc_to(cap)],
            None => Vec::new(),
        };
        self.size = newsize;
        ops
    }

    /// `list.append(x)` / `LIST_APPEND` (`app1` → `list_resize(n + 1)`);
    /// `list.insert` is the same.
    pub fn append(&mut self, v: Version) -> Vec<Op> {
        self.resize(v, self.size + 1)
    }

    /// `list.pop()` of one item: `list_resize(n - 1)`; from 3.12 popping the
    /// last remaining item calls `_list_clear` instead (the array is freed,
    /// `ob_item` becomes NULL), where older versions realloc it to 0 bytes.
    pub fn pop(&mut self, v: Version) -> Vec<Op> {
        assert!(self.size > 0, "pop from empty list");
        if v.minor() >= 12 && self.size == 1 {
            return self.clear();
        }
        self.resize(v, self.size - 1)
    }

    /// `list.extend(seq)` / `+=` with a list or tuple of `n` items.
    pub fn extend_sized(&mut self, v: Version, n: u64) -> Vec<Op> {
        if n == 0 {
            return Vec::new();
        }
        if v.minor() >= 10 && !self.has_items {
            let cap = list_preallocate_exact(v, n);
            let op = self.realloc_to(cap);
            self.size = n;
            return vec![op];
        }
        self.resize(v, self.size + n)
    }

    /// `list.extend(it)` with any other iterable: room for `hint` items first,
    /// then `count` items appended, then the cut-back.
    pub fn extend_iter(&mut self, v: Version, hint: u64, count: u64) -> Vec<Op> {
        let m = self.size;
        let mut ops = Vec::new();
        if v.minor() >= 10 && !self.has_items {
            if hint > 0 {
                ops.push(self.realloc_to(list_preallocate_exact(v, hint)));
            }
        } else {
            ops.extend(self.resize(v, m + hint));
            self.size = m;
        }
        for _ in 0..count {
            if self.size < self.allocated {
                self.size += 1;
            } else {
                ops.extend(self.append(v));
            }
        }
        if self.size < self.allocated {
            let n = self.size;
            ops.extend(self.resize(v, n));
        }
        ops
    }

    /// `list.clear()` / `del l[:]`: the array is freed and `ob_item` set to NULL.
    pub fn clear(&mut self) -> Vec<Op> {
        let ops = self.items_request().map(Op::Free).into_iter().collect();
        *self = ListState::empty();
        ops
    }

    /// `l.copy()` / `l[:]` / `list(l)` style exact copy (`PyList_New(size)`).
    pub const fn copy_exact(&self) -> ListState {
        ListState::new_exact(self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn append_caps(v: Version, n: u64) -> Vec<u64> {
        let mut l = ListState::empty();
        let mut caps = vec![0];
        for _ in 0..n {
            l.append(v);
            if *caps.last().unwrap() != l.allocated {
                caps.push(l.allocated);
            }
        }
        caps
    }

    #[test]
    fn append_growth_39_plus() {
        // ../shared/reference/cpython-memory.md §2.4 (verified up to 2000 appends on 3.11.7).
        let want = [
            0, 4, 8, 16, 24, 32, 40, 52, 64, 76, 92, 108, 128, 148, 172, 200, 232, 268, 308, 352,
            400, 456, 520, 592, 672,
        ];
        for v in [Version::V3_9, Version::V3_11, Version::V3_13] {
            assert_eq!(append_caps(v, 600)[..want.len()], want, "{v}");
        }
    }

    #[test]
    fn append_growth_38() {
        // 3.8: n + n/8 + (n < 9 ? 3 : 6).
        assert_eq!(
            append_caps(Version::V3_8, 200),
            [0, 4, 8, 16, 25, 35, 46, 58, 72, 88, 106, 126, 148, 173, 201]
        );
    }

    #[test]
    fn shrink_on_pop() {
        let mut l = ListState::from_sized(Version::V3_9, 100);
        let mut seen = vec![(l.size, l.allocated)];
        while l.size > 1 {
            l.pop(Version::V3_9);
            if seen.last().unwrap().1 != l.allocated {
                seen.push((l.size, l.allocated));
            }
        }
        assert_eq!(
            seen,
            [
                (100, 100),
                (49, 60),
                (29, 36),
                (17, 24),
                (11, 16),
                (7, 12),
                (5, 8),
                (1, 4)
            ]
        );
        // The last pop (1 -> 0) does not fit (0 >= 4 >> 1 is false): realloc
        // to 0 bytes; 3.12+ clear the list instead.
        let mut l12 = l;
        l.pop(Version::V3_9);
        assert_eq!((l.allocated, l.has_items), (0, true));
        l12.pop(Version::V3_12);
        assert_eq!((l12.allocated, l12.has_items), (0, false));
    }

    #[test]
    fn constructors() {
        let v = Version::V3_10;
        assert_eq!(ListState::from_sized(v, 3).allocated, 4);
        assert_eq!(ListState::from_sized(Version::V3_9, 3).allocated, 3);
        assert_eq!(ListState::display(Version::V3_9, 3, true).allocated, 8);
        assert_eq!(ListState::display(Version::V3_8, 3, true).allocated, 3);
        assert_eq!(ListState::display(v, 5, true).allocated, 6);
        assert_eq!(ListState::display(v, 2, true).allocated, 2);
        // list(generator): length hint 8.
        let gen: Vec<u64> = (0..12)
            .map(|n| ListState::from_iter(Version::V3_8, 8, n).allocated)
            .collect();
        assert_eq!(gen, [0, 4, 5, 6, 7, 8, 12, 12, 12, 12, 12, 12]);
        let gen: Vec<u64> = (0..12)
            .map(|n| ListState::from_iter(v, 8, n).allocated)
            .collect();
        assert_eq!(gen, [0, 4, 8, 8, 8, 8, 8, 8, 8, 16, 16, 16]);
        // sorted(range(n)): hint n.
        let s: Vec<u64> = (0..8)
            .map(|n| ListState::from_iter(Version::V3_9, n, n).allocated)
            .collect();
        assert_eq!(s, [0, 4, 8, 8, 8, 8, 12, 8]);
        assert_eq!(ListState::empty().getsizeof(), 56);
    }

    #[test]
    fn realloc_ops() {
        let v = Version::V3_11;
        let mut l = ListState::empty();
        assert_eq!(
            l.append(v),
            [Op::Realloc {
                part: Part::ItemArray,
                domain: Domain::Mem,
                old_bytes: None,
                new_bytes: 32
            }]
        );
        assert!(l.append(v).is_empty());
        assert_eq!(
            l.clear(),
            [Op::Free(Request {
                part: Part::ItemArray,
                bytes: 32,
                domain: Domain::Mem
            })]
        );
    }
}
