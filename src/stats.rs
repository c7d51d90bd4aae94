//! The numbers behind `sys._debugmallocstats()`, and their text form.
//!
//! [`MallocStats`] is what `_PyObject_DebugMallocStats` (Objects/obmalloc.c)
//! gathers by walking every arena and pool. The allocator model produces it
//! with [`crate::obmalloc::Allocator::stats`]; the baseline loader parses it
//! back out of a real interpreter's output.
//!
//! [`render`] writes exactly what `sys._debugmallocstats()` writes to the
//! C-level stderr of a 64-bit default build, and [`parse`] reads it back,
//! checking every derived number. What is printed (Python/sysmodule.c
//! `sys__debugmallocstats_impl`):
//!
//! 1. `_PyObject_DebugMallocStats` (Objects/obmalloc.c; the body is
//!    `pymalloc_print_stats` from 3.13): threshold line, blank, the class table
//!    (classes with no used/full pool skipped), blank, arena counts via
//!    [`printone`], blank, byte accounting ending in `Total`; from 3.10
//!    (`WITH_PYMALLOC_RADIX_TREE`) `"\narena map counts\n"`, the node counts,
//!    blank, the node bytes and their `Total`.
//! 2. One `'\n'` because step 1 printed something.
//! 3. `_PyObject_DebugTypeStats` (Objects/object.c): the free-list lines, see
//!    [`crate::freelist`]. The output ends with that last line's `'\n'`.
//!
//! Per-version differences in the pymalloc part: `ARENA_SIZE`/`POOL_SIZE`
//! (256 KiB / 4 KiB before 3.10, 1 MiB / 16 KiB after), the arena-map section
//! (absent before 3.10), and its node sizes: 3.10 ignores the top 16 address
//! bits (`IGNORE_BITS 16`, 48 address bits) while 3.11+ use all 64, so the
//! root/mid/bot nodes are 8,192/8,192/2,048 bytes in 3.10 and
//! 262,144/262,144/131,072 bytes from 3.11 (`MAP_TOP_LENGTH` etc. in
//! obmalloc.c; matches the real 3.10.13 and 3.11.7+ output).

use std::fmt;

use crate::freelist::FreeLists;
use crate::version::{
    index2size, Version, NB_SMALL_SIZE_CLASSES, POOL_OVERHEAD, SMALL_REQUEST_THRESHOLD,
};

/// One row of the size-class table: pools with at least one block in use
/// (used or full pools; empty cached pools are not counted, as in CPython).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ClassStats {
    /// `numpools[i]`: pools of this class whose count is above zero.
    pub num_pools: u64,
    /// `numblocks[i]`: blocks handed out.
    pub blocks_in_use: u64,
    /// `numfreeblocks[i]`: `NUMBLOCKS - count` summed over those pools.
    pub avail_blocks: u64,
}

/// Radix-tree node counts (3.10+ only): `arena_map_mid_count` and `arena_map_bot_count`.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct ArenaMapCounts {
    /// `arena_map_mid_count`: middle-layer nodes allocated.
    pub mid_nodes: u64,
    /// `arena_map_bot_count`: bottom-layer nodes allocated.
    pub bot_nodes: u64,
}

/// Everything `_PyObject_DebugMallocStats` prints about pymalloc itself.
/// Byte totals are derived from these counts (see the methods), exactly as
/// the C function derives them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MallocStats {
    /// The version whose constants (`ARENA_SIZE`, `POOL_SIZE`, radix tree) apply.
    pub version: Version,
    /// One row per size class, index = `szidx`.
    pub classes: [ClassStats; NB_SMALL_SIZE_CLASSES],
    /// `ntimes_arena_allocated`.
    pub arenas_allocated_total: u64,
    /// `narenas_highwater`.
    pub arenas_highwater: u64,
    /// `narenas_currently_allocated`.
    pub arenas_current: u64,
    /// Σ `nfreepools` over allocated arenas: cached empty pools plus never-carved ones.
    pub unused_pools: u64,
    /// Allocated arenas whose base is not pool-aligned (they have 63 pools).
    pub misaligned_arenas: u64,
    /// `None` before 3.10 (no radix tree).
    pub arena_map: Option<ArenaMapCounts>,
}

impl MallocStats {
    /// `# arenas reclaimed` = allocated total − allocated current.
    pub fn arenas_reclaimed(&self) -> u64 {
        self.arenas_allocated_total
            .saturating_sub(self.arenas_current)
    }

    /// All-zero stats for `version` (no arenas; arena-map counts zero from 3.10).
    pub fn empty(version: Version) -> MallocStats {
        MallocStats {
            version,
            classes: [ClassStats::default(); NB_SMALL_SIZE_CLASSES],
            arenas_allocated_total: 0,
            arenas_highwater: 0,
            arenas_current: 0,
            unused_pools: 0,
            misaligned_arenas: 0,
            arena_map: version
                .has_radix_tree()
                .then_some(ArenaMapCounts::default()),
        }
    }

    // Derived values. Like the C (size_t arithmetic) they wrap rather than
    // panic on absurd inputs; consistent stats never come near u64::MAX.

    /// Σ `num_pools`: used and full pools.
    pub fn used_pools(&self) -> u64 {
        self.classes
            .iter()
            .fold(0u64, |a, c| a.wrapping_add(c.num_pools))
    }

    /// `"%zu arenas * %d bytes/arena"` value: `arenas_current × ARENA_SIZE`.
    pub fn arena_bytes(&self) -> u64 {
        self.arenas_current
            .wrapping_mul(u64::from(self.version.arena_size()))
    }

    fn class_sum(&self, f: impl Fn(usize, &ClassStats) -> u64) -> u64 {
        self.classes
            .iter()
            .enumerate()
            .fold(0u64, |a, (i, c)| a.wrapping_add(f(i, c)))
    }

    /// `# bytes in allocated blocks`: Σ blocks in use × block size.
    pub fn allocated_bytes(&self) -> u64 {
        self.class_sum(|i, c| c.blocks_in_use.wrapping_mul(u64::from(index2size(i))))
    }

    /// `# bytes in available blocks`: Σ free blocks in used pools × block size.
    pub fn available_bytes(&self) -> u64 {
        self.class_sum(|i, c| c.avail_blocks.wrapping_mul(u64::from(index2size(i))))
    }

    /// `"%u unused pools * %d bytes"` value: `unused_pools × POOL_SIZE`.
    pub fn unused_pool_bytes(&self) -> u64 {
        self.unused_pools
            .wrapping_mul(u64::from(self.version.pool_size()))
    }

    /// `# bytes lost to pool headers`: used/full pools × `POOL_OVERHEAD` (48).
    pub fn pool_header_bytes(&self) -> u64 {
        self.used_pools().wrapping_mul(u64::from(POOL_OVERHEAD))
    }

    /// `# bytes lost to quantization`: Σ pools × ((POOL_SIZE − 48) mod block size).
    pub fn quantization_bytes(&self) -> u64 {
        let usable = self.version.pool_size() - POOL_OVERHEAD;
        self.class_sum(|i, c| c.num_pools.wrapping_mul(u64::from(usable % index2size(i))))
    }

    /// `# bytes lost to arena alignment`: `POOL_SIZE` per misaligned arena.
    pub fn arena_alignment_bytes(&self) -> u64 {
        self.misaligned_arenas
            .wrapping_mul(u64::from(self.version.pool_size()))
    }

    /// The first `Total`: the six byte lines summed (equals [`Self::arena_bytes`]
    /// when the counts are consistent; CPython asserts that in debug builds).
    pub fn accounted_bytes(&self) -> u64 {
        [
            self.allocated_bytes(),
            self.available_bytes(),
            self.unused_pool_bytes(),
            self.pool_header_bytes(),
            self.quantization_bytes(),
            self.arena_alignment_bytes(),
        ]
        .iter()
        .fold(0u64, |a, b| a.wrapping_add(*b))
    }

    /// Bytes of the radix-tree nodes (3.10+), `None` when there is no arena map.
    pub fn arena_map_bytes(&self) -> Option<ArenaMapBytes> {
        let sizes = arena_map_node_sizes(self.version)?;
        let counts = self.arena_map.unwrap_or_default();
        Some(ArenaMapBytes {
            root: sizes.root,
            mid: counts.mid_nodes.wrapping_mul(sizes.mid),
            bot: counts.bot_nodes.wrapping_mul(sizes.bot),
        })
    }
}

/// `sizeof` the three radix-tree node types (`arena_map_root`,
/// `arena_map_mid_t`, `arena_map_bot_t`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ArenaMapNodeSizes {
    /// The statically allocated root node.
    pub root: u64,
    /// One middle node.
    pub mid: u64,
    /// One bottom node (`arena_coverage_t`, two `int32_t`, per entry).
    pub bot: u64,
}

/// Node sizes of the arena map, from obmalloc.c's radix-tree macros:
/// `ADDRESS_BITS = POINTER_BITS − IGNORE_BITS` (64 − 16 = 48 in 3.10, 64 − 0
/// from 3.11), `INTERIOR_BITS = (ADDRESS_BITS − ARENA_BITS + 2) / 3`,
/// `MAP_BOT_BITS = ADDRESS_BITS − ARENA_BITS − 2·INTERIOR_BITS`; top and mid
/// nodes hold 8-byte pointers, bottom nodes 8-byte `arena_coverage_t`.
/// `None` before 3.10 (no radix tree).
pub const fn arena_map_node_sizes(version: Version) -> Option<ArenaMapNodeSizes> {
    let Some(bits) = version.arena_map_bits() else {
        return None;
    };
    // Root and mid nodes are arrays of pointers; bottom nodes of 8-byte
    // `arena_coverage_t` entries.
    Some(ArenaMapNodeSizes {
        root: (1u64 << bits.interior) * 8,
        mid: (1u64 << bits.interior) * 8,
        bot: (1u64 << bits.bot) * 8,
    })
}

/// The arena-map byte lines (3.10+).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct ArenaMapBytes {
    /// `# bytes lost to arena map root`.
    pub root: u64,
    /// `# bytes lost to arena map mid`.
    pub mid: u64,
    /// `# bytes lost to arena map bot`.
    pub bot: u64,
}

impl ArenaMapBytes {
    /// The second `Total`.
    pub fn total(&self) -> u64 {
        self.root.wrapping_add(self.mid).wrapping_add(self.bot)
    }
}

/// `value` with a comma every three digits, as `printone` writes it: `1,572,864`.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// One `printone` line (Objects/obmalloc.c), newline included: `msg` padded
/// with spaces to 35 columns (not truncated if longer), `'='`, then the value
/// with thousands commas right-aligned in 21 columns. Like the C, which fills
/// a 21-character buffer from the right, a value wider than 21 characters
/// keeps only its last 21 (cannot happen below 10^16).
pub fn printone(msg: &str, value: u64) -> String {
    const WIDTH: usize = 21;
    let mut buf = [b' '; WIDTH];
    let mut i = WIDTH as isize - 1;
    let mut v = value;
    let mut k = 3;
    loop {
        let digit = (v % 10) as u8;
        v /= 10;
        buf[i as usize] = b'0' + digit;
        i -= 1;
        k -= 1;
        if k == 0 && v != 0 && i >= 0 {
            k = 3;
            buf[i as usize] = b',';
            i -= 1;
        }
        if v == 0 || i < 0 {
            break;
        }
    }
    let mut line = String::with_capacity(msg.len().max(35) + WIDTH + 2);
    line.push_str(msg);
    for _ in msg.len()..35 {
        line.push(' ');
    }
    line.push('=');
    line.extend(buf.iter().map(|&b| b as char));
    line.push('\n');
    line
}

const CLASS_HEADER: &str = "class   size   num pools   blocks in use  avail blocks\n\
                            -----   ----   ---------   -------------  ------------\n";

fn threshold_line() -> String {
    format!(
        "Small block threshold = {}, in {} size classes.",
        SMALL_REQUEST_THRESHOLD, NB_SMALL_SIZE_CLASSES
    )
}

fn class_row(i: usize, c: &ClassStats) -> String {
    format!(
        "{:5} {:6} {:11} {:15} {:13}",
        i,
        index2size(i),
        c.num_pools,
        c.blocks_in_use,
        c.avail_blocks
    )
}

/// `_PyObject_DebugMallocStats` alone (Objects/obmalloc.c), newline-terminated.
pub fn render_pymalloc(stats: &MallocStats) -> String {
    let v = stats.version;
    let mut out = String::with_capacity(4096);
    out.push_str(&threshold_line());
    out.push_str("\n\n");
    out.push_str(CLASS_HEADER);
    for (i, c) in stats.classes.iter().enumerate() {
        if c.num_pools == 0 {
            continue;
        }
        out.push_str(&class_row(i, c));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&printone(
        "# arenas allocated total",
        stats.arenas_allocated_total,
    ));
    out.push_str(&printone(
        "# arenas reclaimed",
        stats
            .arenas_allocated_total
            .wrapping_sub(stats.arenas_current),
    ));
    out.push_str(&printone("# arenas highwater mark", stats.arenas_highwater));
    out.push_str(&printone(
        "# arenas allocated current",
        stats.arenas_current,
    ));
    out.push_str(&printone(
        &format!(
            "{} arenas * {} bytes/arena",
            stats.arenas_current,
            v.arena_size()
        ),
        stats.arena_bytes(),
    ));
    out.push('\n');
    out.push_str(&printone(
        "# bytes in allocated blocks",
        stats.allocated_bytes(),
    ));
    out.push_str(&printone(
        "# bytes in available blocks",
        stats.available_bytes(),
    ));
    out.push_str(&printone(
        &format!(
            "{} unused pools * {} bytes",
            stats.unused_pools,
            v.pool_size()
        ),
        stats.unused_pool_bytes(),
    ));
    out.push_str(&printone(
        "# bytes lost to pool headers",
        stats.pool_header_bytes(),
    ));
    out.push_str(&printone(
        "# bytes lost to quantization",
        stats.quantization_bytes(),
    ));
    out.push_str(&printone(
        "# bytes lost to arena alignment",
        stats.arena_alignment_bytes(),
    ));
    out.push_str(&printone("Total", stats.accounted_bytes()));
    if let Some(bytes) = stats.arena_map_bytes() {
        let counts = stats.arena_map.unwrap_or_default();
        out.push_str("\narena map counts\n");
        out.push_str(&printone("# arena map mid nodes", counts.mid_nodes));
        out.push_str(&printone("# arena map bot nodes", counts.bot_nodes));
        out.push('\n');
        out.push_str(&printone("# bytes lost to arena map root", bytes.root));
        out.push_str(&printone("# bytes lost to arena map mid", bytes.mid));
        out.push_str(&printone("# bytes lost to arena map bot", bytes.bot));
        out.push_str(&printone("Total", bytes.total()));
    }
    out
}

/// Exactly what `sys._debugmallocstats()` writes to stderr: the pymalloc
/// section, one blank line, then the free-list lines of `free` (rendered by
/// `free`'s own version), every line newline-terminated.
pub fn render(stats: &MallocStats, free: &FreeLists) -> String {
    let mut out = render_pymalloc(stats);
    out.push('\n');
    for line in free.lines() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Why [`parse`] rejected a text. `line` is 1-based; a problem at the end of
/// the input points one past the last line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatsParseError {
    /// 1-based line number.
    pub line: usize,
    /// What was expected and what was found.
    pub message: String,
}

impl fmt::Display for StatsParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for StatsParseError {}

fn err<T>(line: usize, message: impl Into<String>) -> Result<T, StatsParseError> {
    Err(StatsParseError {
        line,
        message: message.into(),
    })
}

/// A line cursor with 1-based line numbers.
struct Cursor<'a> {
    lines: Vec<&'a str>,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn next(&mut self, what: &str) -> Result<(usize, &'a str), StatsParseError> {
        match self.lines.get(self.pos) {
            Some(l) => {
                self.pos += 1;
                Ok((self.pos, *l))
            }
            None => err(
                self.pos + 1,
                format!("unexpected end of input: expected {what}"),
            ),
        }
    }

    fn exact(&mut self, expected: &str) -> Result<usize, StatsParseError> {
        let what = if expected.is_empty() {
            "a blank line".to_string()
        } else {
            format!("{expected:?}")
        };
        let (n, line) = self.next(&what)?;
        if line != expected {
            return err(n, format!("expected {what}, found {line:?}"));
        }
        Ok(n)
    }

    /// A `printone` line: returns (line number, label, value).
    fn printone_any(&mut self, what: &str) -> Result<(usize, &'a str, u64), StatsParseError> {
        let (n, line) = self.next(what)?;
        let Some((label, value)) = line.rsplit_once('=') else {
            return err(
                n,
                format!("expected {what} (a `label = value` line), found {line:?}"),
            );
        };
        let label = label.trim_end();
        match parse_grouped(value.trim()) {
            Some(v) => Ok((n, label, v)),
            None => err(
                n,
                format!(
                    "{label:?}: value {:?} is not a comma-grouped number",
                    value.trim()
                ),
            ),
        }
    }

    /// A `printone` line with a fixed label.
    fn printone(&mut self, label: &str) -> Result<(usize, u64), StatsParseError> {
        let (n, found, v) = self.printone_any(&format!("{label:?}"))?;
        if found != label {
            return err(n, format!("expected {label:?}, found {found:?}"));
        }
        Ok((n, v))
    }
}

/// "1,572,864" -> 1572864. Digits with optional commas; no sign, no spaces.
fn parse_grouped(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return None;
    }
    let digits: String = s.chars().filter(|&c| c != ',').collect();
    if digits.is_empty() {
        return None;
    }
    digits.parse().ok()
}

fn parse_u64(s: &str) -> Option<u64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Check a printed derived value against the one computed from the counts
/// (in u128, so nothing overflows).
fn check(
    line: usize,
    label: &str,
    found: u64,
    expected: u128,
    how: &str,
) -> Result<(), StatsParseError> {
    if u128::from(found) != expected {
        return err(
            line,
            format!(
                "{label:?} is {found} but {how} gives {expected}: inconsistent with the counts"
            ),
        );
    }
    Ok(())
}

/// Read `sys._debugmallocstats()` output of `version` back into counts.
///
/// Every derived number (reclaimed arenas, arena bytes, allocated/available
/// bytes, unused-pool bytes, pool headers, quantization, alignment, both
/// `Total`s, free-list products) is checked against the counts, free-list
/// counts against their limits, and finally the text is re-rendered and must
/// match byte for byte (a missing final newline is tolerated). The
/// misaligned-arena count comes from the alignment line (bytes / `POOL_SIZE`).
/// Only the printed free lists are read; unprinted ones (dict keys before
/// 3.13) come back empty. Never panics.
pub fn parse(version: Version, text: &str) -> Result<(MallocStats, FreeLists), StatsParseError> {
    if text.is_empty() {
        return err(1, "empty input: expected sys._debugmallocstats() output");
    }
    if let Some(idx) = text.find('\r') {
        let line = text[..idx].matches('\n').count() + 1;
        return err(
            line,
            "carriage return found: expected '\\n' line endings, as CPython writes them",
        );
    }
    let body = text.strip_suffix('\n').unwrap_or(text);
    let mut cur = Cursor {
        lines: body.split('\n').collect(),
        pos: 0,
    };
    let mut stats = MallocStats::empty(version);
    let pool_size = u128::from(version.pool_size());
    let arena_size = u128::from(version.arena_size());

    cur.exact(&threshold_line())?;
    cur.exact("")?;
    let mut header = CLASS_HEADER.lines();
    cur.exact(header.next().unwrap_or_default())?;
    cur.exact(header.next().unwrap_or_default())?;

    // Size-class rows until the blank line.
    let mut prev: Option<usize> = None;
    loop {
        let (n, line) = cur.next("a size-class row or a blank line")?;
        if line.is_empty() {
            break;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        let nums: Option<Vec<u64>> = fields.iter().map(|f| parse_u64(f)).collect();
        let nums = match nums {
            Some(v) if v.len() == 5 => v,
            _ => {
                return err(
                    n,
                    format!("expected a size-class row (class, size, num pools, blocks in use, avail blocks), found {line:?}"),
                )
            }
        };
        let (idx, size, pools, used, avail) = (nums[0], nums[1], nums[2], nums[3], nums[4]);
        if idx >= NB_SMALL_SIZE_CLASSES as u64 {
            return err(
                n,
                format!("size class {idx} out of range (0..{NB_SMALL_SIZE_CLASSES})"),
            );
        }
        let i = idx as usize;
        if prev.is_some_and(|p| i <= p) {
            return err(
                n,
                format!("size class {i} out of order (rows are printed by increasing class)"),
            );
        }
        prev = Some(i);
        if size != u64::from(index2size(i)) {
            return err(
                n,
                format!("class {i} has block size {}, not {size}", index2size(i)),
            );
        }
        if pools == 0 {
            return err(
                n,
                format!("class {i} printed with 0 pools (CPython skips such classes)"),
            );
        }
        if used < pools {
            return err(
                n,
                format!("class {i}: {used} blocks in use in {pools} pools, but each counted pool has at least one"),
            );
        }
        let per_pool = u128::from(version.blocks_per_pool(i));
        if u128::from(used) + u128::from(avail) != u128::from(pools) * per_pool {
            return err(
                n,
                format!(
                    "class {i}: blocks in use + avail blocks = {} but {pools} pools × {per_pool} blocks = {}",
                    u128::from(used) + u128::from(avail),
                    u128::from(pools) * per_pool
                ),
            );
        }
        stats.classes[i] = ClassStats {
            num_pools: pools,
            blocks_in_use: used,
            avail_blocks: avail,
        };
    }

    // Arena counts.
    let (_, total) = cur.printone("# arenas allocated total")?;
    let (n_recl, reclaimed) = cur.printone("# arenas reclaimed")?;
    let (n_high, highwater) = cur.printone("# arenas highwater mark")?;
    let (n_cur, current) = cur.printone("# arenas allocated current")?;
    if highwater > total {
        return err(
            n_high,
            format!("highwater mark {highwater} exceeds arenas allocated total {total}"),
        );
    }
    if current > highwater {
        return err(
            n_cur,
            format!("{current} arenas allocated now exceeds the highwater mark {highwater}"),
        );
    }
    check(
        n_recl,
        "# arenas reclaimed",
        reclaimed,
        u128::from(total - current),
        "allocated total − allocated current",
    )?;
    stats.arenas_allocated_total = total;
    stats.arenas_highwater = highwater;
    stats.arenas_current = current;

    let (n, label, value) = cur.printone_any("the \"N arenas * S bytes/arena\" line")?;
    let parsed = label
        .strip_suffix(" bytes/arena")
        .and_then(|l| l.split_once(" arenas * "))
        .and_then(|(a, b)| Some((parse_u64(a)?, parse_u64(b)?)));
    let Some((narenas, per_arena)) = parsed else {
        return err(
            n,
            format!("expected \"{current} arenas * {arena_size} bytes/arena\", found {label:?}"),
        );
    };
    if narenas != current || u128::from(per_arena) != arena_size {
        return err(
            n,
            format!("expected \"{current} arenas * {arena_size} bytes/arena\" ({version}), found {label:?}"),
        );
    }
    check(
        n,
        label,
        value,
        u128::from(current) * arena_size,
        "arenas × ARENA_SIZE",
    )?;
    cur.exact("")?;

    // Byte accounting.
    let size_sum = |f: &dyn Fn(&ClassStats) -> u64, by_size: bool| -> u128 {
        stats
            .classes
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let k = if by_size {
                    u128::from(index2size(i))
                } else {
                    1
                };
                u128::from(f(c)) * k
            })
            .sum()
    };
    let (n, allocated) = cur.printone("# bytes in allocated blocks")?;
    check(
        n,
        "# bytes in allocated blocks",
        allocated,
        size_sum(&|c| c.blocks_in_use, true),
        "Σ blocks in use × block size",
    )?;
    let (n, available) = cur.printone("# bytes in available blocks")?;
    check(
        n,
        "# bytes in available blocks",
        available,
        size_sum(&|c| c.avail_blocks, true),
        "Σ avail blocks × block size",
    )?;
    let (n, label, unused_bytes) = cur.printone_any("the \"N unused pools * S bytes\" line")?;
    let parsed = label
        .strip_suffix(" bytes")
        .and_then(|l| l.split_once(" unused pools * "))
        .and_then(|(a, b)| Some((parse_u64(a)?, parse_u64(b)?)));
    let Some((unused, per_pool)) = parsed else {
        return err(
            n,
            format!("expected \"N unused pools * {pool_size} bytes\", found {label:?}"),
        );
    };
    if u128::from(per_pool) != pool_size {
        return err(n, format!("expected \"{unused} unused pools * {pool_size} bytes\" ({version}), found {label:?}"));
    }
    check(
        n,
        label,
        unused_bytes,
        u128::from(unused) * pool_size,
        "unused pools × POOL_SIZE",
    )?;
    stats.unused_pools = unused;
    let pools = size_sum(&|c| c.num_pools, false);
    let (n, headers) = cur.printone("# bytes lost to pool headers")?;
    check(
        n,
        "# bytes lost to pool headers",
        headers,
        pools * u128::from(POOL_OVERHEAD),
        "used pools × 48",
    )?;
    let usable = version.pool_size() - POOL_OVERHEAD;
    let quant: u128 = stats
        .classes
        .iter()
        .enumerate()
        .map(|(i, c)| u128::from(c.num_pools) * u128::from(usable % index2size(i)))
        .sum();
    let (n, quantization) = cur.printone("# bytes lost to quantization")?;
    check(
        n,
        "# bytes lost to quantization",
        quantization,
        quant,
        "Σ pools × ((POOL_SIZE − 48) mod block size)",
    )?;
    let (n, alignment) = cur.printone("# bytes lost to arena alignment")?;
    if u128::from(alignment) % pool_size != 0 {
        return err(
            n,
            format!("arena alignment loss {alignment} is not a multiple of POOL_SIZE {pool_size}"),
        );
    }
    let misaligned = alignment / version.pool_size() as u64;
    if misaligned > current {
        return err(
            n,
            format!("arena alignment loss implies {misaligned} misaligned arenas, but only {current} are allocated"),
        );
    }
    stats.misaligned_arenas = misaligned;
    let (n, grand) = cur.printone("Total")?;
    let sum = u128::from(allocated)
        + u128::from(available)
        + u128::from(unused_bytes)
        + u128::from(headers)
        + u128::from(quantization)
        + u128::from(alignment);
    check(n, "Total", grand, sum, "the sum of the six lines above")?;
    check(
        n,
        "Total",
        grand,
        u128::from(current) * arena_size,
        "arenas × ARENA_SIZE",
    )?;

    // Arena map (3.10+).
    if let Some(sizes) = arena_map_node_sizes(version) {
        cur.exact("")?;
        cur.exact("arena map counts")?;
        let (_, mid) = cur.printone("# arena map mid nodes")?;
        let (_, bot) = cur.printone("# arena map bot nodes")?;
        cur.exact("")?;
        let (n, root_b) = cur.printone("# bytes lost to arena map root")?;
        check(
            n,
            "# bytes lost to arena map root",
            root_b,
            u128::from(sizes.root),
            "sizeof(arena_map_root)",
        )?;
        let (n, mid_b) = cur.printone("# bytes lost to arena map mid")?;
        check(
            n,
            "# bytes lost to arena map mid",
            mid_b,
            u128::from(mid) * u128::from(sizes.mid),
            "mid nodes × sizeof(arena_map_mid_t)",
        )?;
        let (n, bot_b) = cur.printone("# bytes lost to arena map bot")?;
        check(
            n,
            "# bytes lost to arena map bot",
            bot_b,
            u128::from(bot) * u128::from(sizes.bot),
            "bot nodes × sizeof(arena_map_bot_t)",
        )?;
        let (n, map_total) = cur.printone("Total")?;
        check(
            n,
            "Total",
            map_total,
            u128::from(root_b) + u128::from(mid_b) + u128::from(bot_b),
            "root + mid + bot",
        )?;
        stats.arena_map = Some(ArenaMapCounts {
            mid_nodes: mid,
            bot_nodes: bot,
        });
    }

    // sysmodule's '\n', then the free lists.
    cur.exact("")?;
    let mut free = FreeLists::new(version);
    let printed: Vec<_> = free.iter().map(|(s, _)| s).filter(|s| s.printed).collect();
    for spec in printed {
        let name = spec.kind.type_name();
        let shape = format!("free {name}s * {} bytes each", spec.object_size);
        let (n, label, value) = cur.printone_any(&format!("the \"N {shape}\" line"))?;
        let label = label.trim_start();
        let count = label
            .split_once(' ')
            .filter(|(_, rest)| *rest == shape)
            .and_then(|(count, _)| parse_u64(count));
        let Some(count) = count else {
            return err(
                n,
                format!("expected \"N {shape}\" ({version}), found {label:?}"),
            );
        };
        if count > u64::from(spec.limit) {
            return err(
                n,
                format!(
                    "{count} free {name}s exceeds the free list's limit of {}",
                    spec.limit
                ),
            );
        }
        check(
            n,
            label,
            value,
            u128::from(count) * u128::from(spec.object_size),
            "count × bytes each",
        )?;
        // count <= limit, so it fits in u32 and set_len accepts it.
        free.set_len(spec.kind, count as u32);
    }
    if let Some(extra) = cur.lines.get(cur.pos) {
        return err(
            cur.pos + 1,
            format!("unexpected text after the last free-list line ({version}): {extra:?}"),
        );
    }

    // Everything is consistent; now the exact layout (padding, commas).
    let rendered = render(&stats, &free);
    let want = if text.ends_with('\n') {
        rendered.as_str()
    } else {
        rendered.strip_suffix('\n').unwrap_or(&rendered)
    };
    if want != text {
        for (i, (w, t)) in want.split('\n').zip(text.split('\n')).enumerate() {
            if w != t {
                return err(
                    i + 1,
                    format!("layout differs from CPython's: expected {w:?}, found {t:?}"),
                );
            }
        }
        return err(
            cur.lines.len() + 1,
            "layout differs from CPython's at the end of the text",
        );
    }
    Ok((stats, free))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separator() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(65_536), "65,536");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(1_572_864), "1,572,864");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn printone_alignment() {
        // Lines from the real 3.11.7 output (../shared/reference/cpython-memory.md §1.6).
        assert_eq!(
            printone("# arenas allocated total", 4),
            "# arenas allocated total           =                    4\n"
        );
        assert_eq!(
            printone("4 arenas * 1048576 bytes/arena", 4_194_304),
            "4 arenas * 1048576 bytes/arena     =            4,194,304\n"
        );
        assert_eq!(
            printone("Total", 655_360),
            "Total                              =              655,360\n"
        );
        assert_eq!(
            printone("# bytes lost to arena alignment", 0),
            "# bytes lost to arena alignment    =                    0\n"
        );
        // 35-column label, '=', 21-column value.
        for v in [0, 5, 1234, 1_000_000, 123_456_789_012_345] {
            let line = printone("x", v);
            assert_eq!(line.len(), 35 + 1 + 21 + 1);
            assert_eq!(line[36..57].trim_start(), thousands(v));
        }
        // Longer labels are not truncated and not padded.
        let long = "1234567 arenas * 1048576 bytes/arena";
        assert!(long.len() > 35);
        assert_eq!(printone(long, 1), format!("{long}={:>21}\n", "1"));
        // The C buffer holds 21 characters: wider values keep their low digits.
        assert_eq!(
            printone("", u64::MAX),
            format!("{:35}={}\n", "", "6,744,073,709,551,615")
        );
    }

    #[test]
    fn arena_map_node_sizes_match_real_output() {
        assert_eq!(arena_map_node_sizes(Version::V3_8), None);
        assert_eq!(arena_map_node_sizes(Version::V3_9), None);
        assert_eq!(
            arena_map_node_sizes(Version::V3_10),
            Some(ArenaMapNodeSizes {
                root: 8192,
                mid: 8192,
                bot: 2048
            })
        );
        for v in [Version::V3_11, Version::V3_12, Version::V3_13] {
            assert_eq!(
                arena_map_node_sizes(v),
                Some(ArenaMapNodeSizes {
                    root: 262_144,
                    mid: 262_144,
                    bot: 131_072
                })
            );
        }
    }

    #[test]
    fn empty_stats_render_and_parse() {
        for v in Version::VERIFIED {
            let stats = MallocStats::empty(v);
            let free = FreeLists::new(v);
            let text = render(&stats, &free);
            assert!(text.ends_with("bytes each =                    0\n"), "{v}");
            assert_eq!(parse(v, &text), Ok((stats, free)), "{v}");
        }
    }

    fn sample(v: Version) -> (MallocStats, FreeLists) {
        let mut s = MallocStats::empty(v);
        s.classes[2] = ClassStats {
            num_pools: 3,
            blocks_in_use: 3 * u64::from(v.blocks_per_pool(2)) - 10,
            avail_blocks: 10,
        };
        s.arenas_allocated_total = 3;
        s.arenas_highwater = 2;
        s.arenas_current = 1;
        s.misaligned_arenas = 1;
        s.unused_pools = 63 - 3;
        if let Some(m) = s.arena_map.as_mut() {
            m.mid_nodes = 1;
            m.bot_nodes = 1;
        }
        let mut f = FreeLists::new(v);
        f.push(crate::freelist::FreeListKind::Float);
        (s, f)
    }

    #[test]
    fn derived_values_are_consistent() {
        for v in Version::VERIFIED {
            let (s, f) = sample(v);
            assert_eq!(s.accounted_bytes(), s.arena_bytes(), "{v}");
            let text = render(&s, &f);
            assert_eq!(parse(v, &text), Ok((s, f)), "{v}");
        }
    }

    #[test]
    fn parse_errors_name_the_line() {
        let v = Version::V3_11;
        let (s, f) = sample(v);
        let text = render(&s, &f);
        let lines: Vec<&str> = text.lines().collect();
        let with = |lineno: usize, new: &str| {
            let mut l = lines.clone();
            l[lineno - 1] = new;
            l.join("\n") + "\n"
        };
        let find = |prefix: &str| lines.iter().position(|l| l.starts_with(prefix)).unwrap() + 1;

        let e = parse(v, "").unwrap_err();
        assert_eq!(e.line, 1);
        let e = parse(v, "garbage\n").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.to_string().starts_with("line 1: expected"), "{e}");

        // A derived value that does not match the counts.
        let n = find("# bytes lost to pool headers");
        let e = parse(
            v,
            &with(n, printone("# bytes lost to pool headers", 1).trim_end()),
        )
        .unwrap_err();
        assert_eq!(e.line, n, "{e}");
        assert!(e.message.contains("inconsistent"), "{e}");

        // Alignment not a multiple of POOL_SIZE.
        let n = find("# bytes lost to arena alignment");
        let e = parse(
            v,
            &with(
                n,
                printone("# bytes lost to arena alignment", 100).trim_end(),
            ),
        )
        .unwrap_err();
        assert_eq!(e.line, n, "{e}");

        // Wrong padding only: caught by the final layout comparison.
        let n = find("# arenas reclaimed");
        let bad = lines[n - 1].replacen("  =", " =", 1);
        let e = parse(v, &with(n, &bad)).unwrap_err();
        assert_eq!(e.line, n, "{e}");
        assert!(e.message.contains("layout"), "{e}");

        // Free list above its limit.
        let n = find("           1 free PyFloatObjects");
        let e = parse(
            v,
            &with(
                n,
                &crate::freelist::allocator_stats_line("PyFloatObject", 101, 24),
            ),
        )
        .unwrap_err();
        assert_eq!(e.line, n, "{e}");
        assert!(e.message.contains("limit"), "{e}");

        // Truncated input.
        let cut = lines[..lines.len() - 3].join("\n") + "\n";
        let e = parse(v, &cut).unwrap_err();
        assert_eq!(e.line, lines.len() - 2, "{e}");
        assert!(e.message.contains("end of input"), "{e}");

        // Trailing junk, CRLF, wrong version.
        let e = parse(v, &(text.clone() + "extra\n")).unwrap_err();
        assert_eq!(e.line, lines.len() + 1, "{e}");
        assert!(parse(v, &text.replace('\n', "\r\n")).is_err());
        assert!(parse(Version::V3_10, &text).is_err());
        assert!(parse(Version::V3_9, &text).is_err());
        // A missing final newline is tolerated.
        assert!(parse(v, text.trim_end_matches('\n')).is_ok());
    }

    #[test]
    fn parse_never_panics_on_mangled_input() {
        for v in Version::VERIFIED {
            let (s, f) = sample(v);
            let text = render(&s, &f);
            // Truncate at every char boundary, and replace each char by junk.
            for (i, _) in text.char_indices().step_by(7) {
                let _ = parse(v, &text[..i]);
                let mut t = text.clone();
                t.replace_range(i..=i, "9");
                let _ = parse(v, &t);
                t.replace_range(i..=i, ",");
                let _ = parse(v, &t);
            }
            let huge = text.replace("                    1\n", "99999999999999999999\n");
            let _ = parse(v, &huge);
        }
    }
}
