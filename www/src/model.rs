//! The one place the app touches the core's trace API.
//!
//! The rest of the app reaches the trace, scenario and heap through these
//! re-exports and helpers, so a change in `pymem::trace` / `pymem::scenario`
//! is absorbed here (the renderer also reads the allocator's views directly).

pub use pymem::heap::Heap;
pub use pymem::scenario::Scenario;
pub use pymem::trace::StepKind;
pub use pymem::trace::Trace;

pub use pymem::{Allocator, ArenaId, BlockState, Event, PoolId, PoolState, Version};

/// Runs the Python program `source` as `version` would (`pymem run`).
pub fn run_program(version: Version, file: &str, source: &str) -> pymem::interp::Output {
    pymem::interp::run(version, file, source)
}

/// How many lines `source` executes on `version` (a recorded run's line
/// and loop-round steps, as the native `interp` benchmark counts them).
pub fn executed_lines(version: Version, file: &str, source: &str) -> u64 {
    use pymem::program::{self, Budgets, StepKind};
    let t = program::record(version, file, source, Budgets::default());
    (1..=t.len())
        .filter(|&s| t.kind(s) != StepKind::Return)
        .count() as u64
}

/// Records `scenario` on `version`.
pub fn record(version: Version, scenario: &Scenario) -> Trace {
    Trace::record(version, scenario)
}

/// The built-in scenario.
pub fn builtin_scenario() -> Scenario {
    Scenario::builtin()
}

/// The kind of the op that led to `step` (`Start` for the start-up state).
pub fn step_kind(trace: &Trace, step: usize) -> StepKind {
    trace.kind(step)
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
