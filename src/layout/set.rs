//! `set` / `frozenset` tables (Objects/setobject.c), identical in 3.8–3.13.
//!
//! A set is a 200-byte `PySetObject` (216 with its GC header) that embeds an
//! 8-entry `smalltable`; bigger tables are `PyMem_New(setentry, newsize)`
//! (16 bytes per entry). `set.__sizeof__` adds the external table.
//!
//! * `set_add_entry`: a key landing in an unused slot bumps `fill` and
//!   `used`; then, unless `fill*5 < mask*3`, the table is rebuilt with
//!   `set_table_resize(so, used > 50000 ? used*2 : used*4)`. (A key that
//!   reuses a dummy slot bumps only `used` and never resizes.)
//! * `set_table_resize(minused)`: the smallest power of two `> minused`
//!   (at least 8); 8 means the smalltable. Dummies are dropped (`fill = used`).
//! * Discarding leaves a dummy (`used--`, `fill` unchanged); tables never shrink
//!   except through `clear()`.
//! * `set_merge` (update from a set/frozenset/dict-keys, `set(s)`, `s.copy()`,
//!   and from 3.9 constant set displays via `SET_UPDATE` of a frozenset):
//!   one presize `set_table_resize((used + n)*2)` when `(fill + n)*5 >= mask*3`.

use super::{Domain, Footprint, Op, Part, Request, GC_HEAD, SET_BASICSIZE};
use crate::version::Version;

/// `PySet_MINSIZE`: the smalltable's 8 entries.
pub const MINSIZE: u64 = 8;
/// `sizeof(setentry)`: key + hash.
pub const ENTRY_SIZE: u64 = 16;

/// `set_table_resize`'s table size for `minused`.
pub const fn table_size_for(minused: u64) -> u64 {
    let mut n = MINSIZE;
    while n <= minused {
        n <<= 1;
    }
    n
}

/// `set_add_entry`'s and `set_difference_update`'s resize argument:
/// `used*4`, or `used*2` past 50 000 keys.
pub const fn grow_minused(used: u64) -> u64 {
    if used > 50000 {
        used * 2
    } else {
        used * 4
    }
}

/// A set's table state.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct SetState {
    /// Live keys.
    pub used: u64,
    /// Live keys + dummies.
    pub fill: u64,
    /// Table slots (`mask + 1`); 8 is the smalltable.
    pub slots: u64,
}

impl Default for SetState {
    fn default() -> Self {
        SetState::empty()
    }
}

impl SetState {
    /// `set()`: the smalltable.
    pub const fn empty() -> SetState {
        SetState {
            used: 0,
            fill: 0,
            slots: MINSIZE,
        }
    }

    /// A set built by adding `n` distinct keys one at a time (`set(iterable)`
    /// of a non-set, comprehensions, non-constant displays).
    pub fn from_adds(n: u64) -> SetState {
        let mut s = SetState::empty();
        for _ in 0..n {
            s.add();
        }
        s
    }

    /// A set built by `set_merge` of `n` distinct keys into an empty set
    /// (`set(other_set)`, `frozenset(s)`, `s.copy()`).
    pub fn from_merge(n: u64) -> SetState {
        let mut s = SetState::empty();
        s.merge(n);
        s
    }

    /// A set display of `n` distinct items: 3.9+ compile three or more
    /// constants to `BUILD_SET 0; LOAD_CONST frozenset; SET_UPDATE`
    /// (a merge), everything else adds one by one.
    pub fn display(v: Version, n: u64, all_const: bool) -> SetState {
        if v.minor() >= 9 && n >= 3 && all_const {
            SetState::from_merge(n)
        } else {
            SetState::from_adds(n)
        }
    }

    /// `mask`.
    pub const fn mask(&self) -> u64 {
        self.slots - 1
    }

    /// True when the table lives outside the object.
    pub const fn is_external(&self) -> bool {
        self.slots > MINSIZE
    }

    /// The external table's request, if any.
    pub fn table_request(&self) -> Option<Request> {
        self.is_external().then_some(Request {
            part: Part::SetTable,
            bytes: self.slots * ENTRY_SIZE,
            domain: Domain::Mem,
        })
    }

    /// `sys.getsizeof`: 216 + 16·slots when external.
    pub fn getsizeof(&self) -> u64 {
        GC_HEAD + SET_BASICSIZE + self.table_request().map_or(0, |r| r.bytes)
    }

    /// Object + external table.
    pub fn footprint(&self) -> Footprint {
        let mut requests = vec![Request::object(GC_HEAD + SET_BASICSIZE)];
        requests.extend(self.table_request());
        Footprint {
            getsizeof: self.getsizeof(),
            requests,
        }
    }

    /// `set_table_resize(so, minused)`.
    pub fn table_resize(&mut self, minused: u64) -> Vec<Op> {
        let newsize = table_size_for(minused);
        let mut ops = Vec::new();
        if newsize > MINSIZE {
            ops.push(Op::Alloc(Request {
                part: Part::SetTable,
                bytes: newsize * ENTRY_SIZE,
                domain: Domain::Mem,
            }));
        }
        ops.extend(self.table_request().map(Op::Free));
        self.slots = newsize;
        self.fill = self.used;
        ops
    }

    /// Add a new key into an unused slot (`set_add_entry`).
    pub fn add(&mut self) -> Vec<Op> {
        self.fill += 1;
        self.used += 1;
        if self.fill * 5 < self.mask() * 3 {
            return Vec::new();
        }
        self.table_resize(grow_minused(self.used))
    }

    /// Add a new key that lands on a dummy slot: no resize check.
    pub fn add_reusing_dummy(&mut self) {
        assert!(self.fill > self.used, "no dummy to reuse");
        self.used += 1;
    }

    /// `set.discard`/`remove`/`pop` of a present key: leaves a dummy.
    pub fn discard(&mut self) {
        assert!(self.used > 0, "discard from empty set");
        self.used -= 1;
    }

    /// `set_merge` of `n` keys not yet in the set.
    pub fn merge(&mut self, n: u64) -> Vec<Op> {
        let mut ops = Vec::new();
        if (self.fill + n) * 5 >= self.mask() * 3 {
            ops.extend(self.table_resize((self.used + n) * 2));
        }
        for _ in 0..n {
            ops.extend(self.add());
        }
        ops
    }

    /// `set.clear()`: back to the smalltable.
    pub fn clear(&mut self) -> Vec<Op> {
        let ops = self.table_request().map(Op::Free).into_iter().collect();
        *self = SetState::empty();
        ops
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn add_growth() {
        // ../shared/reference/cpython-memory.md §2.2: 216 while <= 4 items;
        // 728 for 5..18; 2264 for 19..76; 8408 after.
        let mut s = SetState::empty();
        let mut out = vec![(0, s.getsizeof())];
        for i in 1..=200 {
            s.add();
            if out.last().unwrap().1 != s.getsizeof() {
                out.push((i, s.getsizeof()));
            }
        }
        assert_eq!(out, [(0, 216), (5, 728), (19, 2264), (77, 8408)]);
    }

    #[test]
    fn merge_presizes() {
        let sizes: Vec<u64> = [4, 5, 7, 8, 16, 32]
            .iter()
            .map(|&n| SetState::from_merge(n).getsizeof())
            .collect();
        assert_eq!(sizes, [216, 472, 472, 728, 1240, 2264]);
        assert_eq!(SetState::display(Version::V3_8, 5, true).getsizeof(), 728);
        assert_eq!(SetState::display(Version::V3_9, 5, true).getsizeof(), 472);
    }

    #[test]
    fn churn_keeps_size_but_rebuilds() {
        let mut s = SetState::empty();
        let mut rebuilds = 0;
        for i in 0..60 {
            rebuilds += s.add().len();
            if i >= 3 {
                s.discard();
            }
            assert!(s.getsizeof() <= 728);
        }
        assert!(rebuilds > 1);
    }
}
