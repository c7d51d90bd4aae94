//! # pymem core
//!
//! A deterministic model of CPython's memory manager, version by version:
//! pymalloc's arenas, pools and blocks ([`obmalloc`]), the numbers behind
//! `sys._debugmallocstats()` ([`stats`]), and the events the UI narrates
//! ([`event`]).
//!
//! The core knows nothing about the browser: no clock, no randomness, no
//! web crates. Same input, same trace.

pub mod baseline;
pub mod event;
pub mod freelist;
pub mod heap;
pub mod layout;
pub mod obmalloc;
pub mod scenario;
pub mod statics;
pub mod stats;
pub mod trace;
pub mod version;

pub use event::{CFunction, Event};
pub use obmalloc::{
    AllocError, Allocator, ArenaId, BlockRef, BlockState, PoolId, PoolState, Ptr, RawId,
};
pub use version::Version;
