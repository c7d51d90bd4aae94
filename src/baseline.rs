//! What a fresh interpreter looks like: the checked-in `sys._debugmallocstats()`
//! output of each real CPython version (data/baseline/3.X.txt, captured by
//! scripts/capture_baselines.sh; see data/baseline/README.md), embedded in the
//! binary and parsed on demand.

use crate::freelist::FreeLists;
use crate::stats::{parse, MallocStats, StatsParseError};
use crate::version::Version;

/// The verbatim stderr of `python3.X -c 'import sys; sys._debugmallocstats()'`
/// from a fresh interpreter of `v`.
pub fn baseline_text(v: Version) -> &'static str {
    match v {
        Version::V3_8 => include_str!("../data/baseline/3.8.txt"),
        Version::V3_9 => include_str!("../data/baseline/3.9.txt"),
        Version::V3_10 => include_str!("../data/baseline/3.10.txt"),
        Version::V3_11 => include_str!("../data/baseline/3.11.txt"),
        Version::V3_12 => include_str!("../data/baseline/3.12.txt"),
        Version::V3_13 => include_str!("../data/baseline/3.13.txt"),
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
        for v in Version::ALL {
            let (stats, free) = baseline(v).unwrap_or_else(|e| panic!("{v}: {e}"));
            assert_eq!(stats.version, v);
            assert_eq!(free.version(), v);
            assert!(stats.arenas_current > 0, "{v}");
            assert_eq!(stats.accounted_bytes(), stats.arena_bytes(), "{v}");
        }
    }
}
