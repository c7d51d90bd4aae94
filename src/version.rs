//! CPython versions the model knows, and the allocator constants each one uses.
//!
//! Every constant that differs between versions lives behind [`Version`]; the
//! rest of the core asks a `Version` rather than hard-coding 3.11's numbers.
//! Sources: `Objects/obmalloc.c` (3.8–3.11) and
//! `Include/internal/pycore_obmalloc.h` (3.12+), 64-bit default builds.

use std::fmt;
use std::str::FromStr;

/// A 64-bit, default (GIL, non-debug, pymalloc) build of one CPython minor version.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum Version {
    /// CPython 3.8: 4 KiB pools in 256 KiB arenas, no radix tree; the slow
    /// paths still live inside `pymalloc_alloc`/`pymalloc_free`, and a wholly
    /// free arena is always unmapped.
    V3_8,
    /// CPython 3.9: 3.8's geometry; the slow paths are split out (bpo-37543)
    /// and the last wholly free arena is kept (bpo-37257).
    V3_9,
    /// CPython 3.10: 16 KiB pools in 1 MiB arenas, found through the arena
    /// map radix tree (`ADDRESS_BITS` 48).
    V3_10,
    /// CPython 3.11: 3.10's geometry; the radix tree covers all 64 address bits.
    V3_11,
    /// CPython 3.12: the allocator's state moves to
    /// `Include/internal/pycore_obmalloc.h`; constants as in 3.11.
    V3_12,
    /// CPython 3.13: allocator constants as in 3.12.
    V3_13,
    /// CPython 3.14, **modelled from source, not verified against a
    /// running 3.14** (no 3.14 interpreter is on the machines this model
    /// is checked on). What differs from 3.13 in the model: the
    /// incremental cyclic collector (`Python/gc.c`: a young generation and
    /// two old spaces), the immortal refcount `3 << 30`, thresholds
    /// (2000, 10, 0), and two layouts (a tuple's `ob_hash`, a function's
    /// `func_annotate`). Everything else (allocator, other layouts, free
    /// lists, the startup heap) is 3.13's; see [`Version::is_verified`].
    V3_14,
}

/// `ALIGNMENT_SHIFT`: size classes are 16 bytes apart on 64-bit builds.
pub const ALIGNMENT_SHIFT: u32 = 4;
/// `ALIGNMENT`.
pub const ALIGNMENT: u32 = 1 << ALIGNMENT_SHIFT;
/// `SMALL_REQUEST_THRESHOLD`: larger requests go to the system malloc.
pub const SMALL_REQUEST_THRESHOLD: u32 = 512;
/// `NB_SMALL_SIZE_CLASSES`.
pub const NB_SMALL_SIZE_CLASSES: usize = (SMALL_REQUEST_THRESHOLD / ALIGNMENT) as usize;
/// `POOL_OVERHEAD`: the 48-byte `struct pool_header` at the start of every pool.
pub const POOL_OVERHEAD: u32 = 48;
/// `INITIAL_ARENA_OBJECTS`: the arena vector starts with 16 slots and doubles.
pub const INITIAL_ARENA_OBJECTS: usize = 16;
/// `SYSTEM_PAGE_SIZE`: mmap returns page-aligned addresses.
pub const SYSTEM_PAGE_SIZE: u64 = 4096;

/// Block size of size class `szidx` (`INDEX2SIZE`).
pub const fn index2size(szidx: usize) -> u32 {
    ((szidx as u32) + 1) << ALIGNMENT_SHIFT
}

/// Size class serving a request of `nbytes` (1..=512), `(nbytes - 1) >> 4`.
pub const fn size_class(nbytes: u32) -> usize {
    ((nbytes - 1) >> ALIGNMENT_SHIFT) as usize
}

impl Version {
    /// Every modelled version, oldest first.
    pub const ALL: [Version; 7] = [
        Version::V3_8,
        Version::V3_9,
        Version::V3_10,
        Version::V3_11,
        Version::V3_12,
        Version::V3_13,
        Version::V3_14,
    ];

    /// The versions checked against a real interpreter (the fidelity
    /// tests run each of them), oldest first: every one but 3.14.
    pub const VERIFIED: [Version; 6] = [
        Version::V3_8,
        Version::V3_9,
        Version::V3_10,
        Version::V3_11,
        Version::V3_12,
        Version::V3_13,
    ];

    /// True when the model of this version is checked against a real
    /// interpreter; false for 3.14, modelled from CPython's source only.
    pub const fn is_verified(self) -> bool {
        !matches!(self, Version::V3_14)
    }

    /// The version's name with its status: "3.14 (modelled from source,
    /// not verified)" for 3.14, the plain name otherwise.
    pub const fn label(self) -> &'static str {
        match self {
            Version::V3_14 => "3.14 (modelled from source, not verified)",
            v => v.as_str(),
        }
    }

    /// The default version the UI opens with.
    pub const DEFAULT: Version = Version::V3_12;

    /// "3.11" and so on.
    pub const fn as_str(self) -> &'static str {
        match self {
            Version::V3_8 => "3.8",
            Version::V3_9 => "3.9",
            Version::V3_10 => "3.10",
            Version::V3_11 => "3.11",
            Version::V3_12 => "3.12",
            Version::V3_13 => "3.13",
            Version::V3_14 => "3.14",
        }
    }

    /// The minor version number (8 for 3.8).
    pub const fn minor(self) -> u32 {
        match self {
            Version::V3_8 => 8,
            Version::V3_9 => 9,
            Version::V3_10 => 10,
            Version::V3_11 => 11,
            Version::V3_12 => 12,
            Version::V3_13 => 13,
            Version::V3_14 => 14,
        }
    }

    /// `WITH_PYMALLOC_RADIX_TREE`: on from 3.10. Without it pools must be
    /// one system page, so 3.8/3.9 keep 4 KiB pools and 256 KiB arenas.
    pub const fn has_radix_tree(self) -> bool {
        self.minor() >= 10
    }

    /// The radix tree's geometry, `None` before 3.10 (no tree).
    pub const fn arena_map_bits(self) -> Option<ArenaMapBits> {
        if !self.has_radix_tree() {
            return None;
        }
        let address = if self.minor() == 10 { 48 } else { 64 };
        // INTERIOR_BITS = (ADDRESS_BITS - ARENA_BITS + 2) / 3, i.e. rounded up.
        let interior = (address - self.arena_bits()).div_ceil(3);
        let bot = address - self.arena_bits() - 2 * interior;
        Some(ArenaMapBits {
            address,
            interior,
            bot,
        })
    }

    /// `POOL_BITS`.
    pub const fn pool_bits(self) -> u32 {
        if self.has_radix_tree() {
            14
        } else {
            12
        }
    }

    /// `POOL_SIZE`: 4 KiB on 3.8/3.9, 16 KiB from 3.10 (`USE_LARGE_POOLS`).
    pub const fn pool_size(self) -> u32 {
        1 << self.pool_bits()
    }

    /// `ARENA_BITS`.
    pub const fn arena_bits(self) -> u32 {
        if self.has_radix_tree() {
            20
        } else {
            18
        }
    }

    /// `ARENA_SIZE`: 256 KiB on 3.8/3.9, 1 MiB from 3.10 (`USE_LARGE_ARENAS`).
    pub const fn arena_size(self) -> u32 {
        1 << self.arena_bits()
    }

    /// `MAX_POOLS_IN_ARENA` = ARENA_SIZE / POOL_SIZE = 64 in every version.
    pub const fn max_pools_in_arena(self) -> u32 {
        self.arena_size() / self.pool_size()
    }

    /// `NUMBLOCKS(szidx)`: blocks that fit in one pool after its header.
    pub const fn blocks_per_pool(self, szidx: usize) -> u32 {
        (self.pool_size() - POOL_OVERHEAD) / index2size(szidx)
    }

    /// bpo-37257 (3.9): a wholly free arena is kept when it is the last one
    /// in `usable_arenas`, so a loop that allocates and frees one object
    /// does not map and unmap an arena every time. 3.8 frees it regardless
    /// (`if (nf == ao->ntotalpools)` in its `pymalloc_free`); the fidelity
    /// test `tests/fidelity_pools.rs` shows the difference on the real 3.8.
    pub const fn keeps_last_free_arena(self) -> bool {
        self.minor() >= 9
    }

    /// The C file holding the allocator in this version (for narration).
    pub const fn obmalloc_file(self) -> &'static str {
        "Objects/obmalloc.c"
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The radix tree's geometry (`Objects/obmalloc.c`, 3.10+): how many bits
/// of an address select the root slot, the mid slot and the bottom slot
/// (the arena), above the `ARENA_BITS` of offset inside an arena.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ArenaMapBits {
    /// `ADDRESS_BITS` = 64 − `IGNORE_BITS` (16 in 3.10, 0 from 3.11).
    pub address: u32,
    /// `INTERIOR_BITS`: bits per root and per mid level.
    pub interior: u32,
    /// `MAP_BOT_BITS`: bits of the bottom level.
    pub bot: u32,
}

/// A version string that names no modelled version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVersion(pub String);

impl fmt::Display for UnknownVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown Python version {:?}: expected one of 3.8, 3.9, 3.10, 3.11, 3.12, 3.13, 3.14",
            self.0
        )
    }
}

impl std::error::Error for UnknownVersion {}

impl FromStr for Version {
    type Err = UnknownVersion;

    /// Accepts "3.11", "3.11.7", "311" and "py311".
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().trim_start_matches("py");
        let minor_str = match t.strip_prefix("3.") {
            Some(rest) => rest.split('.').next().unwrap_or(""),
            None => t.strip_prefix('3').unwrap_or_default(),
        };
        Version::ALL
            .into_iter()
            .find(|v| v.minor().to_string() == minor_str)
            .ok_or_else(|| UnknownVersion(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_match_obmalloc_c() {
        assert_eq!(NB_SMALL_SIZE_CLASSES, 32);
        assert_eq!(size_class(1), 0);
        assert_eq!(size_class(16), 0);
        assert_eq!(size_class(17), 1);
        assert_eq!(size_class(512), 31);
        assert_eq!(index2size(31), 512);
        for v in Version::ALL {
            assert_eq!(v.max_pools_in_arena(), 64, "{v}");
        }
        assert_eq!(Version::V3_9.pool_size(), 4096);
        assert_eq!(Version::V3_9.arena_size(), 262_144);
        assert_eq!(Version::V3_10.pool_size(), 16_384);
        assert_eq!(Version::V3_10.arena_size(), 1_048_576);
        // ../shared/reference/cpython-memory.md §1.2 table: blocks/pool for
        // 16 KiB and 4 KiB pools.
        assert_eq!(Version::V3_11.blocks_per_pool(0), 1021);
        assert_eq!(Version::V3_11.blocks_per_pool(2), 340);
        assert_eq!(Version::V3_11.blocks_per_pool(31), 31);
        assert_eq!(Version::V3_8.blocks_per_pool(0), 253);
        assert_eq!(Version::V3_8.blocks_per_pool(31), 7);
    }

    #[test]
    fn parses_version_strings() {
        assert_eq!("3.11".parse(), Ok(Version::V3_11));
        assert_eq!("3.12.1".parse(), Ok(Version::V3_12));
        assert_eq!("py38".parse(), Ok(Version::V3_8));
        assert_eq!("310".parse(), Ok(Version::V3_10));
        assert_eq!("3.14".parse(), Ok(Version::V3_14));
        assert!("3.15".parse::<Version>().is_err());
        assert!("".parse::<Version>().is_err());
        assert!("banana".parse::<Version>().is_err());
    }
}
