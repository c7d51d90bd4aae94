//! The one place the app touches the core's trace API.
//!
//! Everything else in the app goes through these re-exports and helpers, so a
//! change in `pymem::trace` / `pymem::scenario` is absorbed here.

pub use pymem::heap::Heap;
pub use pymem::scenario::Scenario;
use pymem::trace::StepKind as CoreStepKind;
pub use pymem::trace::Trace;

pub use pymem::{Allocator, ArenaId, BlockState, Event, PoolId, PoolState, Version};

/// What a step does, for colouring the scrubber.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// A `malloc`.
    Alloc,
    /// A `free`.
    Free,
    /// A `realloc`.
    Realloc,
}

/// Records the built-in scenario on `version`.
pub fn record(version: Version, scenario: &Scenario) -> Trace {
    Trace::record(version, scenario)
}

/// The built-in scenario.
pub fn builtin_scenario() -> Scenario {
    Scenario::builtin()
}

/// The kind of the op that led to `step` (`None` for the start-up state).
pub fn step_kind(trace: &Trace, step: usize) -> Option<StepKind> {
    if step == 0 || step > trace.len() {
        return None;
    }
    match trace.kind(step) {
        CoreStepKind::Start => None,
        CoreStepKind::Malloc => Some(StepKind::Alloc),
        CoreStepKind::Free => Some(StepKind::Free),
        CoreStepKind::Realloc => Some(StepKind::Realloc),
    }
}

/// A shared heap snapshot, compared by identity (each step gets a new one).
#[derive(Clone)]
pub struct HeapRef(pub std::rc::Rc<Heap>);

impl PartialEq for HeapRef {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for HeapRef {
    type Target = Heap;
    fn deref(&self) -> &Heap {
        &self.0
    }
}
