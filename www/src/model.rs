//! The one place the app touches the core's API.
//!
//! The rest of the app reaches traces, heaps and views through these
//! re-exports and helpers, so a change in `pymem::program` is absorbed here
//! (the renderer also reads the allocator's views directly).

use std::rc::Rc;

pub use pymem::heap::Heap;
pub use pymem::objects::{GcPhase, ObjRef};
pub use pymem::obmalloc::{BlockRef, Ptr};
pub use pymem::program::{
    Budgets, Edge, FrameView, GcPhaseRecord, GcView, Label, ObjView, ProgramState, ProgramTrace,
    StepKind, TraceEvent, IMMORTAL,
};

pub use pymem::{Allocator, ArenaId, BlockState, Event, PoolId, PoolState, Version};

/// The file name programs run under (it shows in tracebacks).
pub const FILE_NAME: &str = "main.py";

/// The app's limits on a run recorded on the main thread (no worker):
/// far below the CLI's, so that a runaway loop stops within about a
/// second of wasm time with a message.
pub fn app_budgets() -> Budgets {
    Budgets {
        steps: 100_000,
        events: 1_000_000,
        ..Budgets::default()
    }
}

/// The limits on a run recorded in the worker, where the page stays
/// responsive and Stop is offered: ten times the steps, three times the
/// events (the page holds the whole trace, about 16 bytes an event).
pub fn worker_budgets() -> Budgets {
    Budgets {
        steps: 1_000_000,
        events: 3_000_000,
        ..Budgets::default()
    }
}

/// Records `source` on `version` on the spot, with the app's budgets.
pub fn record_program(version: Version, source: &str) -> ProgramTrace {
    pymem::program::record(version, FILE_NAME, source, app_budgets())
}

/// Runs the Python program `source` as `version` would (`pymem run`).
pub fn run_program(version: Version, file: &str, source: &str) -> pymem::interp::Output {
    pymem::interp::run(version, file, source)
}

/// How many lines `source` executes on `version` (a recorded run's line
/// and loop-round steps, as the native `interp` benchmark counts them).
pub fn executed_lines(version: Version, file: &str, source: &str) -> u64 {
    let t = pymem::program::record(version, file, source, Budgets::default());
    (1..=t.len())
        .filter(|&s| t.kind(s) != StepKind::Return)
        .count() as u64
}

/// The heap of a shared state snapshot, compared by identity (each
/// position gets a new snapshot).
#[derive(Clone)]
pub struct HeapRef(pub Rc<ProgramState>);

impl PartialEq for HeapRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for HeapRef {
    type Target = Heap;
    fn deref(&self) -> &Heap {
        &self.0.heap
    }
}

/// A shared value compared by identity, for props and memo keys.
#[derive(Debug)]
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(Rc::clone(&self.0))
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What a step mostly did, for the timeline strip.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StepMark {
    /// Step 0, or a step that neither allocated nor freed.
    Quiet,
    /// More blocks allocated than freed.
    Alloc,
    /// More blocks freed than allocated.
    Free,
    /// The cyclic collector ran.
    Collect,
}

/// The mark of every step of `t`, `0..=t.len()`.
pub fn step_marks(t: &ProgramTrace) -> Vec<StepMark> {
    (0..=t.len())
        .map(|s| {
            let mut net = 0i64;
            for e in t.events(s) {
                match e {
                    TraceEvent::Collect { .. } => return StepMark::Collect,
                    TraceEvent::Alloc { .. } => net += 1,
                    TraceEvent::Free { .. } => net -= 1,
                    _ => {}
                }
            }
            match net {
                0 => StepMark::Quiet,
                n if n > 0 => StepMark::Alloc,
                _ => StepMark::Free,
            }
        })
        .collect()
}
