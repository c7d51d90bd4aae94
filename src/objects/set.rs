//! The hash table of a `set` or `frozenset` (Objects/setobject.c, the
//! same in 3.8–3.13), slot for slot, so that iteration order, `pop()` and
//! the table's allocations are CPython's.
//!
//! * Probing (`set_lookkey`, `set_add_entry`, `set_insert_clean`): from
//!   `hash & mask`, up to `LINEAR_PROBES` (9) neighbours when they fit
//!   before the end of the table, then `perturb >>= 5; i = (i*5 + 1 +
//!   perturb) & mask`.
//! * `set_add_entry` remembers the first dummy it passes and reuses it when
//!   the key turns out to be absent (only `used` grows then, never `fill`,
//!   and no resize check runs). 3.9 alone never reuses a dummy: the key
//!   goes to the empty slot that ended the search (measured: after
//!   `s = {1, 2}; s.discard(1); s.add(9)`, 3.9 lists `[2, 9]`, every other
//!   version `[9, 2]`).
//! * `set_table_resize` re-inserts the live keys in old-table order with
//!   `set_insert_clean`; the new table is allocated before the old is freed.
//! * `set_merge` presizes once, then copies the slots verbatim (same size,
//!   empty target, no dummies), re-inserts cleanly (empty target), or adds
//!   key by key.
//!
//! The table stores [`ObjRef`]s and hashes; it never touches reference
//! counts. The caller increfs what it adds and decrefs what it removes, and
//! applies the returned [`Op`]s with `Objects::apply_ops`.

use super::ObjRef;
use crate::layout::set::{grow_minused, table_size_for, MINSIZE};
use crate::layout::{Op, SetState};
use crate::version::Version;

/// `LINEAR_PROBES`.
const LINEAR_PROBES: usize = 9;
/// `PERTURB_SHIFT`.
const PERTURB_SHIFT: u32 = 5;

/// One `setentry`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Never used (`key == NULL`).
    Empty,
    /// A removed key (`key == dummy`, `hash == -1`).
    Dummy,
    /// A live key and its hash.
    Key(ObjRef, i64),
}

/// A set's table (see the module docs).
#[derive(Clone, Debug, PartialEq)]
pub struct SetTable {
    slots: Vec<Slot>,
    used: usize,
    fill: usize,
    /// `so->finger`: where `pop()` starts looking.
    finger: usize,
    /// False on 3.9, whose `set_add_entry` does not reuse dummies.
    reuse_dummies: bool,
}

impl Default for SetTable {
    fn default() -> Self {
        SetTable::new()
    }
}

/// Where a search for a key ended.
enum Probe {
    /// The key is at this slot.
    Found(usize),
    /// The key is absent; it would go in this slot, which is empty.
    Unused(usize),
    /// The key is absent; it would go in this dummy slot.
    Dummy(usize),
}

impl SetTable {
    /// `make_new_set`: the 8-slot smalltable (as every version but 3.9
    /// fills it; see [`SetTable::for_version`]).
    pub fn new() -> SetTable {
        SetTable {
            slots: vec![Slot::Empty; MINSIZE as usize],
            used: 0,
            fill: 0,
            finger: 0,
            reuse_dummies: true,
        }
    }

    /// An empty table that adds keys as version `v` does.
    pub fn for_version(v: Version) -> SetTable {
        SetTable {
            reuse_dummies: v != Version::V3_9,
            ..SetTable::new()
        }
    }

    /// `len(s)`.
    pub fn len(&self) -> usize {
        self.used
    }

    /// True when the set has no keys.
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// The counts the size model needs.
    pub fn state(&self) -> SetState {
        SetState {
            used: self.used as u64,
            fill: self.fill as u64,
            slots: self.slots.len() as u64,
        }
    }

    fn mask(&self) -> usize {
        self.slots.len() - 1
    }

    /// The live keys in table order (iteration order).
    pub fn keys(&self) -> Vec<ObjRef> {
        self.entries().map(|(k, _)| k).collect()
    }

    /// The live keys and their hashes in table order.
    pub fn entries(&self) -> impl Iterator<Item = (ObjRef, i64)> + '_ {
        self.slots.iter().filter_map(|s| match *s {
            Slot::Key(k, h) => Some((k, h)),
            _ => None,
        })
    }

    /// `setiter_iternext`: the first live key at or after slot `pos`, and
    /// the position after it.
    pub fn next_from(&self, pos: usize) -> Option<(ObjRef, usize)> {
        self.slots
            .iter()
            .enumerate()
            .skip(pos)
            .find_map(|(i, s)| match *s {
                Slot::Key(k, _) => Some((k, i + 1)),
                _ => None,
            })
    }

    /// How many live keys sit at slot `pos` or after it.
    pub fn live_from(&self, pos: usize) -> usize {
        self.slots
            .iter()
            .skip(pos)
            .filter(|s| matches!(s, Slot::Key(..)))
            .count()
    }

    /// The probe sequence from `hash`: each starting slot, then its linear
    /// neighbours when they all fit before the end of the table.
    fn probe(&self, hash: i64, mut visit: impl FnMut(usize) -> Option<Probe>) -> Probe {
        let mask = self.mask();
        let mut perturb = hash as u64;
        let mut i = (hash as u64 as usize) & mask;
        loop {
            let probes = if i + LINEAR_PROBES <= mask {
                LINEAR_PROBES
            } else {
                0
            };
            for j in i..=i + probes {
                if let Some(p) = visit(j) {
                    return p;
                }
            }
            perturb >>= PERTURB_SHIFT;
            i = (i
                .wrapping_mul(5)
                .wrapping_add(1)
                .wrapping_add(perturb as usize))
                & mask;
        }
    }

    /// `set_add_entry`'s search: the key's slot, or where it would go (the
    /// first dummy passed, else the empty slot that ended the search).
    /// `eq(existing)` compares a stored key of equal hash with the key.
    fn search(&self, key: ObjRef, hash: i64, mut eq: impl FnMut(ObjRef) -> bool) -> Probe {
        let mut freeslot = None;
        let reuse = self.reuse_dummies;
        self.probe(hash, |j| match self.slots[j] {
            Slot::Empty => Some(match freeslot {
                Some(d) => Probe::Dummy(d),
                None => Probe::Unused(j),
            }),
            Slot::Key(k, h) if h == hash && (k == key || eq(k)) => Some(Probe::Found(j)),
            Slot::Key(..) => None,
            Slot::Dummy => {
                if reuse {
                    freeslot.get_or_insert(j);
                }
                None
            }
        })
    }

    /// `set_lookkey`: the slot holding a key equal to `key`.
    pub fn find(&self, key: ObjRef, hash: i64, eq: impl FnMut(ObjRef) -> bool) -> Option<usize> {
        match self.search(key, hash, eq) {
            Probe::Found(i) => Some(i),
            _ => None,
        }
    }

    /// `set_add_entry`: `None` when an equal key is already there (the set
    /// is unchanged), else the allocator calls of the insertion (a resize,
    /// if the table got too full). The caller owns the new reference.
    pub fn add(
        &mut self,
        key: ObjRef,
        hash: i64,
        eq: impl FnMut(ObjRef) -> bool,
    ) -> Option<Vec<Op>> {
        match self.search(key, hash, eq) {
            Probe::Found(_) => None,
            Probe::Dummy(i) => {
                self.slots[i] = Slot::Key(key, hash);
                self.used += 1;
                Some(Vec::new())
            }
            Probe::Unused(i) => {
                self.slots[i] = Slot::Key(key, hash);
                self.fill += 1;
                self.used += 1;
                if self.fill * 5 < self.mask() * 3 {
                    return Some(Vec::new());
                }
                Some(self.resize(grow_minused(self.used as u64) as usize))
            }
        }
    }

    /// `set_discard_entry` of the key at slot `i`: a dummy takes its place.
    /// Returns the key, whose reference the caller now owns.
    pub fn remove_at(&mut self, i: usize) -> Option<ObjRef> {
        match self.slots.get(i).copied() {
            Some(Slot::Key(k, _)) => {
                self.slots[i] = Slot::Dummy;
                self.used -= 1;
                Some(k)
            }
            _ => None,
        }
    }

    /// `set_pop`: the first live key from the finger on (wrapping), whose
    /// reference the caller now owns; `None` when empty.
    pub fn pop(&mut self) -> Option<ObjRef> {
        if self.used == 0 {
            return None;
        }
        let n = self.slots.len();
        let start = self.finger & self.mask();
        let i = (0..n)
            .map(|d| (start + d) % n)
            .find(|&i| matches!(self.slots[i], Slot::Key(..)))?;
        self.finger = i + 1;
        self.remove_at(i)
    }

    /// `set_clear_internal`: back to an empty smalltable. Returns the keys
    /// in table order (the caller drops them, then applies the ops, which
    /// free an external table).
    pub fn clear(&mut self) -> (Vec<ObjRef>, Vec<Op>) {
        let keys = self.keys();
        let mut state = self.state();
        let ops = state.clear();
        *self = SetTable {
            reuse_dummies: self.reuse_dummies,
            ..SetTable::new()
        };
        (keys, ops)
    }

    /// `set_table_resize(so, minused)`.
    fn resize(&mut self, minused: usize) -> Vec<Op> {
        let newsize = table_size_for(minused as u64) as usize;
        if newsize == MINSIZE as usize && self.slots.len() == newsize && self.fill == self.used {
            return Vec::new();
        }
        let mut state = self.state();
        let ops = state.table_resize(minused as u64);
        let old = std::mem::replace(&mut self.slots, vec![Slot::Empty; newsize]);
        for slot in old {
            if let Slot::Key(k, h) = slot {
                self.insert_clean(k, h);
            }
        }
        self.fill = self.used;
        ops
    }

    /// `set_insert_clean`: into the first empty slot of the probe sequence
    /// (the table has no dummies and the key is known to be absent).
    fn insert_clean(&mut self, key: ObjRef, hash: i64) {
        let slots = &self.slots;
        let at = match self.probe(hash, |j| {
            matches!(slots[j], Slot::Empty).then_some(Probe::Unused(j))
        }) {
            Probe::Unused(j) | Probe::Found(j) | Probe::Dummy(j) => j,
        };
        self.slots[at] = Slot::Key(key, hash);
    }

    /// The one resize `set_merge` and `set_update_dict` make before adding
    /// `n` keys, if they might not fit.
    pub fn presize(&mut self, n: usize) -> Vec<Op> {
        if (self.fill + n) * 5 >= self.mask() * 3 {
            self.resize((self.used + n) * 2)
        } else {
            Vec::new()
        }
    }

    /// The end of `set_difference_update_internal`: when more than a
    /// quarter of the slots are dummies, the table is rebuilt.
    pub fn purge_dummies(&mut self) -> Vec<Op> {
        if self.fill - self.used <= self.mask() / 4 {
            return Vec::new();
        }
        self.resize(grow_minused(self.used as u64) as usize)
    }

    /// `set_merge(so, other)`: the keys newly stored (the caller increfs
    /// them) and the allocator calls.
    pub fn merge(
        &mut self,
        other: &SetTable,
        mut eq: impl FnMut(ObjRef, ObjRef) -> bool,
    ) -> (Vec<ObjRef>, Vec<Op>) {
        let n = other.used;
        if n == 0 {
            return (Vec::new(), Vec::new());
        }
        // One big resize at the start, expecting few overlapping keys.
        let mut ops = self.presize(n);
        if self.fill == 0 && self.slots.len() == other.slots.len() && other.fill == other.used {
            // Same size, empty target, no dummies: copy the slots.
            self.slots.clone_from(&other.slots);
            self.fill = n;
            self.used = n;
            return (other.keys(), ops);
        }
        if self.fill == 0 {
            self.fill = n;
            self.used = n;
            for (k, h) in other.entries() {
                self.insert_clean(k, h);
            }
            return (other.keys(), ops);
        }
        let mut added = Vec::new();
        for (k, h) in other.entries() {
            if let Some(more) = self.add(k, h, |e| eq(e, k)) {
                ops.extend(more);
                added.push(k);
            }
        }
        (added, ops)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(t: &SetTable) -> Vec<u32> {
        t.keys().into_iter().map(|k| k.0).collect()
    }

    /// Int keys hash to themselves: ObjRef(n) stands for the int n.
    fn add(t: &mut SetTable, n: u32) -> Option<Vec<Op>> {
        t.add(ObjRef(n), i64::from(n), |e| e == ObjRef(n))
    }

    /// `s = set(range(4)); s.discard(1); s.add(9)` → `[0, 9, 2, 3]`;
    /// `s = {0, 8, 16, 24}` minus 0 and 8, plus 32 → `[32, 16, 24]`
    /// (measured on 3.8–3.13): a dummy on the probe path is reused.
    #[test]
    fn an_absent_key_takes_the_first_dummy_it_passed() {
        let mut t = SetTable::new();
        for n in 0..4 {
            add(&mut t, n);
        }
        let i = t.find(ObjRef(1), 1, |_| false);
        assert_eq!(t.remove_at(i.unwrap_or(99)), Some(ObjRef(1)));
        add(&mut t, 9);
        assert_eq!(ints(&t), [0, 9, 2, 3]);

        let mut t = SetTable::new();
        for n in [0, 8, 16, 24] {
            add(&mut t, n);
        }
        for n in [0, 8] {
            let i = t.find(ObjRef(n), i64::from(n), |_| false);
            t.remove_at(i.unwrap_or(99));
        }
        add(&mut t, 32);
        assert_eq!(ints(&t), [32, 16, 24]);
        assert_eq!(t.state().getsizeof(), 216);
    }

    /// The fifth key fills 5 of 8 slots (5·5 ≥ 7·3): the table grows to 32
    /// slots (728 bytes) and the keys are re-inserted in order.
    #[test]
    fn the_table_grows_when_three_fifths_full() {
        let mut t = SetTable::new();
        let mut resized = Vec::new();
        for n in [40, 3, 11, 7, 1] {
            resized.push(add(&mut t, n).map_or(0, |ops| ops.len()));
        }
        assert_eq!(resized, [0, 0, 0, 0, 1]);
        assert_eq!(t.state().getsizeof(), 728);
        assert_eq!(ints(&t), [1, 3, 7, 40, 11]);
        assert!(add(&mut t, 3).is_none());
    }
}
