//! # pymem core
//!
//! A deterministic model of CPython's memory manager, version by version
//! (3.8–3.13, 64-bit default builds). Modules:
//!
//! * [`attrs`]: which attribute names the built-in types have.
//! * [`version`]: the modelled versions and each one's allocator constants.
//! * [`obmalloc`]: pymalloc's arenas, pools and blocks, block for block.
//! * [`event`]: what the allocator did, each event naming its C function.
//! * [`stats`]: the numbers behind `sys._debugmallocstats()`, rendered and parsed.
//! * [`freelist`]: the per-type free lists and their per-version rules.
//! * [`baseline`]: each real interpreter's startup `_debugmallocstats()` output.
//! * [`heap`]: allocator plus free lists, rebuilt from a baseline.
//! * [`exceptions`]: the built-in exception hierarchy and instance sizes.
//! * [`layout`]: object sizes, allocation requests and container growth rules.
//! * [`statics`]: small ints, singletons, refcounts and string interning.
//! * [`scenario`]: scripted `malloc`/`free`/`realloc` sequences.
//! * [`trace`]: a recorded scenario run, seekable to any step.
//! * [`program`]: a recorded run of a Python program, seekable to any step
//!   (and part way through one).
//! * [`inspect`]: one object's memory laid out field by field.
//!
//! The core knows nothing about the browser: no clock, no randomness, no
//! web crates. Same input, same trace.

#![warn(missing_docs)]

pub mod ast;
pub mod attrs;
pub mod baseline;
pub mod cfiles;
pub mod event;
pub mod exceptions;
pub mod format;
pub mod freelist;
pub mod gc;
pub mod hash;
pub mod heap;
pub mod inspect;
pub mod interp;
pub mod layout;
pub mod numeric;
pub mod objects;
pub mod obmalloc;
pub mod parse;
pub mod program;
pub mod pyfmt;
pub mod scenario;
pub mod stackdepth;
pub mod statics;
pub mod stats;
pub mod trace;
pub mod tracemalloc;
pub mod version;

pub use event::{CFunction, Event};
pub use obmalloc::{
    AllocError, Allocator, ArenaId, BlockRef, BlockState, PoolId, PoolState, Ptr, RawId,
};
pub use version::Version;
