//! What a fresh interpreter looks like: the checked-in `sys._debugmallocstats()`
//! output of each real CPython version (data/baseline/3.X.txt, captured by
//! scripts/capture_baselines.sh; see data/baseline/README.md), embedded in the
//! binary and parsed on demand.

use crate::freelist::FreeLists;
use crate::stats::{parse, MallocStats, StatsParseError};
use crate::version::Version;

/// The verbatim stderr of `python3.X -c 'import sys; sys._debugmallocstats()'`
/// from a fresh interpreter of `v` (3.13's for the unverified 3.14).
pub fn baseline_text(v: Version) -> &'static str {
    match v {
        Version::V3_8 => include_str!("../data/baseline/3.8.txt"),
        Version::V3_9 => include_str!("../data/baseline/3.9.txt"),
        Version::V3_10 => include_str!("../data/baseline/3.10.txt"),
        Version::V3_11 => include_str!("../data/baseline/3.11.txt"),
        Version::V3_12 => include_str!("../data/baseline/3.12.txt"),
        // No 3.14 interpreter is here: 3.14 starts from 3.13's heap, an
        // assumption of the unverified profile (see `Version::V3_14`).
        Version::V3_13 | Version::V3_14 => include_str!("../data/baseline/3.13.txt"),
    }
}

/// What the program has imported when it starts: the heap differs.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, Default)]
pub enum Startup {
    /// Nothing (`python3.X -c 'import sys; sys._debugmallocstats()'`).
    #[default]
    Bare,
    /// `import sys` and `import tracemalloc` from a script file
    /// (data/baseline/3.X-tracemalloc.txt): tracemalloc.py's imports leave
    /// other free-list counts.
    Tracemalloc,
}

/// The report of [`Startup::Tracemalloc`].
pub fn tracemalloc_baseline_text(v: Version) -> &'static str {
    match v {
        Version::V3_8 => include_str!("../data/baseline/3.8-tracemalloc.txt"),
        Version::V3_9 => include_str!("../data/baseline/3.9-tracemalloc.txt"),
        Version::V3_10 => include_str!("../data/baseline/3.10-tracemalloc.txt"),
        Version::V3_11 => include_str!("../data/baseline/3.11-tracemalloc.txt"),
        Version::V3_12 => include_str!("../data/baseline/3.12-tracemalloc.txt"),
        Version::V3_13 | Version::V3_14 => {
            include_str!("../data/baseline/3.13-tracemalloc.txt")
        }
    }
}

/// `ob_size` (the `extras`: stack, locals, cells and free variables) of
/// each frame on the 3.8–3.10 frame free list at startup, top first.
/// `_debugmallocstats` prints only their number, so these were measured:
/// a function with `E` slots is called on top of that free list; the frame
/// it takes is resized (`_PyObject_GC_Resize`) exactly when `E` is larger
/// than the free frame's `ob_size`, which tracemalloc (the
/// [`Startup::Tracemalloc`] script) or a move between size classes in
/// `sys._debugmallocstats()` (the bare `-c` start) shows. The bare start's
/// top 3.9 frame is a raw (over 512 bytes) block whose size the pool
/// report cannot see: at least 17, taken as 17.
pub const fn startup_frame_items(v: Version, startup: Startup) -> &'static [u32] {
    match (v, startup) {
        (Version::V3_8, Startup::Bare) => &[16, 14, 8, 6],
        (Version::V3_9, Startup::Bare) => &[17, 14, 8, 8],
        (Version::V3_10, Startup::Bare) => &[17, 15, 9, 7],
        (Version::V3_8, Startup::Tracemalloc) => &[14, 16, 13, 8, 6],
        (Version::V3_9, Startup::Tracemalloc) => &[12, 17, 13, 8, 7],
        (Version::V3_10, Startup::Tracemalloc) => &[12, 17, 14, 8, 7],
        _ => &[],
    }
}

/// The keys free list's length for [`Startup::Tracemalloc`] where the
/// report does not print it (before 3.13): counted with tracemalloc as the
/// one-key dicts whose first keys table went untraced (3.13's count, which
/// is printed, was measured the same way and agrees).
pub const fn tracemalloc_free_keys(v: Version) -> u32 {
    match v {
        Version::V3_8 | Version::V3_10 => 0,
        Version::V3_9 => 6,
        Version::V3_11 => 74,
        Version::V3_12 => 8,
        Version::V3_13 | Version::V3_14 => 3,
    }
}

/// The checked-in report for `startup`, parsed, with the unprinted counts
/// filled in.
pub fn startup_baseline(
    v: Version,
    startup: Startup,
) -> Result<(MallocStats, FreeLists), StatsParseError> {
    match startup {
        Startup::Bare => baseline(v),
        Startup::Tracemalloc => {
            let (stats, mut free) = parse(v, tracemalloc_baseline_text(v))?;
            if v.minor() < 13 {
                free.set_len(
                    crate::freelist::FreeListKind::DictKeys,
                    tracemalloc_free_keys(v),
                );
            }
            Ok((stats, free))
        }
    }
}

/// [`baseline_text`] parsed: pymalloc's counts and the free lists of a fresh
/// interpreter. The data is checked in and round-trip tested
/// (tests/stats_roundtrip.rs), so an error here means the data file was
/// edited or the parser regressed.
pub fn baseline(v: Version) -> Result<(MallocStats, FreeLists), StatsParseError> {
    parse(v, baseline_text(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_baseline_parses() {
        for (v, startup) in Version::VERIFIED
            .into_iter()
            .flat_map(|v| [(v, Startup::Bare), (v, Startup::Tracemalloc)])
        {
            let (stats, free) =
                startup_baseline(v, startup).unwrap_or_else(|e| panic!("{v} {startup:?}: {e}"));
            assert_eq!(stats.version, v);
            assert_eq!(free.version(), v);
            assert!(stats.arenas_current > 0, "{v}");
            assert_eq!(stats.accounted_bytes(), stats.arena_bytes(), "{v}");
        }
    }
}
