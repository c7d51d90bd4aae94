//! A recorded run of a scenario, with random access to every step.
//!
//! Step 0 is the startup heap; step `k` is the state after the k-th call.
//! Each step keeps the events its call produced. [`Trace::seek`] rebuilds
//! the full heap at any step from the nearest earlier checkpoint by
//! replaying the calls since. Checkpoints start [`CHECKPOINT_EVERY`] steps
//! apart; when there would be more than [`MAX_CHECKPOINTS`], every other one
//! is dropped and the spacing doubles, so memory stays bounded on long runs
//! while a seek replays at most one spacing's worth of calls.

use std::collections::HashMap;
use std::ops::Range;

use crate::event::Event;
use crate::heap::Heap;
use crate::obmalloc::Ptr;
use crate::scenario::{Op, Scenario};
use crate::version::Version;

/// Steps between two stored heaps, at first.
pub const CHECKPOINT_EVERY: usize = 128;
/// Most stored heaps; past this the spacing doubles.
pub const MAX_CHECKPOINTS: usize = 1024;
/// Default step budget: a run stops after this many calls.
pub const DEFAULT_STEP_BUDGET: usize = 10_000_000;

/// What kind of call a step made (for colouring the timeline).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum StepKind {
    /// Step 0: the startup heap, before any call.
    Start,
    /// A `PyObject_Malloc` call ([`Op::Malloc`]).
    Malloc,
    /// A `PyObject_Free` call ([`Op::Free`]).
    Free,
    /// A `PyObject_Realloc` call ([`Op::Realloc`]).
    Realloc,
}

/// Memory figures after a step, for charts.
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub struct StepFigures {
    /// Bytes of mapped arenas.
    pub arena_bytes: u64,
    /// Blocks handed out by pymalloc.
    pub blocks_in_use: u64,
    /// Bytes of large (system-malloc) blocks.
    pub raw_bytes: u64,
}

#[derive(Clone, Debug)]
struct StepRecord {
    op: Option<Op>,
    events: Range<u32>,
    figures: StepFigures,
}

/// The machine a scenario runs on: the heap plus the scenario's block names.
#[derive(Clone, Debug)]
struct Machine {
    heap: Heap,
    ptrs: HashMap<u32, Ptr>,
}

impl Machine {
    /// Performs one call. An error ends the run; it is returned, once.
    fn apply(&mut self, op: &Op) -> Result<(), String> {
        let a = &mut self.heap.alloc;
        match *op {
            Op::Malloc { id, nbytes, .. } => {
                let p = a.malloc(nbytes).map_err(|e| e.to_string())?;
                self.ptrs.insert(id, p);
            }
            Op::Free { id } => {
                let p = self
                    .ptrs
                    .remove(&id)
                    .ok_or_else(|| format!("free of unknown block #{id}"))?;
                a.free(p).map_err(|e| e.to_string())?;
            }
            Op::Realloc { id, nbytes } => {
                let p = *self
                    .ptrs
                    .get(&id)
                    .ok_or_else(|| format!("realloc of unknown block #{id}"))?;
                let q = a.realloc(Some(p), nbytes).map_err(|e| e.to_string())?;
                self.ptrs.insert(id, q);
            }
        }
        Ok(())
    }

    fn figures(&self) -> StepFigures {
        StepFigures::of(&self.heap.alloc)
    }
}

impl StepFigures {
    /// The figures of allocator `a` now.
    pub fn of(a: &crate::obmalloc::Allocator) -> StepFigures {
        StepFigures {
            arena_bytes: a.arenas_current() * a.version().arena_size() as u64,
            blocks_in_use: a.blocks_in_use(),
            raw_bytes: a.raw_bytes(),
        }
    }
}

/// A recorded run.
#[derive(Clone, Debug)]
pub struct Trace {
    version: Version,
    name: String,
    steps: Vec<StepRecord>,
    events: Vec<Event>,
    /// `checkpoints[i]` is the state after step `i * every`.
    checkpoints: Vec<Machine>,
    every: usize,
    /// The heap after the last step.
    last: Heap,
    error: Option<String>,
}

impl Trace {
    /// Runs `scenario` on the startup heap of `version`, recording every step.
    pub fn record(version: Version, scenario: &Scenario) -> Trace {
        Trace::record_with(Heap::startup(version), scenario, DEFAULT_STEP_BUDGET)
    }

    /// Runs `scenario` from `heap`, stopping after `step_budget` calls.
    pub fn record_with(heap: Heap, scenario: &Scenario, step_budget: usize) -> Trace {
        Trace::record_bounded(heap, scenario, step_budget, MAX_CHECKPOINTS)
    }

    fn record_bounded(
        heap: Heap,
        scenario: &Scenario,
        step_budget: usize,
        max_checkpoints: usize,
    ) -> Trace {
        let version = heap.version();
        let mut m = Machine {
            heap,
            ptrs: HashMap::new(),
        };
        m.heap.alloc.take_events();
        m.heap.alloc.set_recording(false);
        let mut trace = Trace {
            version,
            name: scenario.name.clone(),
            steps: vec![StepRecord {
                op: None,
                events: 0..0,
                figures: m.figures(),
            }],
            events: Vec::new(),
            checkpoints: vec![m.clone()],
            every: CHECKPOINT_EVERY,
            last: m.heap.clone(),
            error: None,
        };
        m.heap.alloc.set_recording(true);
        for (i, op) in scenario.ops.iter().enumerate() {
            if i >= step_budget {
                trace.error = Some(format!(
                    "step budget exhausted: the run stopped after {step_budget} steps; the trace up to there is kept"
                ));
                break;
            }
            let result = m.apply(op);
            let start = trace.events.len() as u32;
            trace.events.extend(m.heap.alloc.take_events());
            m.heap.alloc.debug_check();
            trace.steps.push(StepRecord {
                op: Some(op.clone()),
                events: start..trace.events.len() as u32,
                figures: m.figures(),
            });
            if let Err(e) = result {
                trace.error = Some(format!("step {}: {op}: {e}", i + 1));
                break;
            }
            if (i + 1) % trace.every == 0 {
                m.heap.alloc.set_recording(false);
                trace.checkpoints.push(m.clone());
                m.heap.alloc.set_recording(true);
                if trace.checkpoints.len() > max_checkpoints.max(2) {
                    // Keep the states after steps 0, 2·every, 4·every, …
                    let mut k = 0;
                    trace.checkpoints.retain(|_| {
                        k += 1;
                        k % 2 == 1
                    });
                    trace.every *= 2;
                }
            }
        }
        m.heap.alloc.set_recording(false);
        trace.last = m.heap;
        trace
    }

    /// The version run.
    pub fn version(&self) -> Version {
        self.version
    }

    /// The scenario's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The last step index (the number of calls made). Valid steps are `0..=len()`.
    pub fn len(&self) -> usize {
        self.steps.len() - 1
    }

    /// True when no call was made.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Why the run stopped early, if it did (memory or step budget, a bad call).
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// The heap after `step` (clamped to the last step).
    pub fn seek(&self, step: usize) -> Heap {
        let step = step.min(self.len());
        if step == self.len() {
            return self.last.clone();
        }
        // A run that stopped on a checkpoint step has no checkpoint there.
        let k = (step / self.every).min(self.checkpoints.len() - 1);
        let mut m = self.checkpoints[k].clone();
        for rec in &self.steps[k * self.every + 1..=step] {
            if let Some(op) = &rec.op {
                // The same calls succeeded (or failed identically) when recorded.
                let _ = m.apply(op);
            }
        }
        m.heap
    }

    /// The call that led to `step` (none for step 0).
    pub fn op(&self, step: usize) -> Option<&Op> {
        self.steps.get(step).and_then(|r| r.op.as_ref())
    }

    /// What kind of call `step` made.
    pub fn kind(&self, step: usize) -> StepKind {
        match self.op(step) {
            None => StepKind::Start,
            Some(Op::Malloc { .. }) => StepKind::Malloc,
            Some(Op::Free { .. }) => StepKind::Free,
            Some(Op::Realloc { .. }) => StepKind::Realloc,
        }
    }

    /// The events of the call that led to `step`.
    pub fn events(&self, step: usize) -> &[Event] {
        match self.steps.get(step) {
            Some(r) => &self.events[r.events.start as usize..r.events.end as usize],
            None => &[],
        }
    }

    /// Every event of the run, in order.
    pub fn all_events(&self) -> &[Event] {
        &self.events
    }

    /// Memory figures after `step`.
    pub fn figures(&self, step: usize) -> StepFigures {
        self.steps.get(step).map(|r| r.figures).unwrap_or_default()
    }

    /// One line saying what `step` did, in plain English.
    pub fn narration(&self, step: usize) -> String {
        let Some(op) = self.op(step) else {
            return format!(
                "Startup: the heap of a freshly started CPython {}.",
                self.version
            );
        };
        let what: Vec<String> = self.events(step).iter().map(|e| e.describe()).collect();
        format!("{op}: {}", what.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seek_matches_a_straight_run_at_every_step() {
        let s = Scenario::parse(
            "t",
            &(0..300)
                .map(|i| format!("malloc b{i} {}\n", 1 + (i * 37) % 600))
                .collect::<String>(),
        )
        .expect("scenario");
        let t = Trace::record(Version::V3_11, &s);
        assert_eq!(t.len(), 300);
        assert!(t.error().is_none());
        let mut m = Machine {
            heap: Heap::startup(Version::V3_11),
            ptrs: HashMap::new(),
        };
        for step in 0..=t.len() {
            if step > 0 {
                m.apply(t.op(step).expect("op")).expect("apply");
            }
            let h = t.seek(step);
            assert_eq!(h.alloc.stats(), m.heap.alloc.stats(), "step {step}");
            assert_eq!(t.figures(step).blocks_in_use, m.heap.alloc.blocks_in_use());
        }
    }

    #[test]
    fn seek_is_right_when_the_run_fails_on_a_checkpoint_step() {
        let mut text: String = (0..CHECKPOINT_EVERY - 1)
            .map(|i| format!("malloc b{i} 64\n"))
            .collect();
        text.push_str("malloc huge 4000000\nmalloc after 8\n");
        let s = Scenario::parse("t", &text).expect("scenario");
        let mut h = Heap::empty(Version::V3_11);
        h.alloc.set_budget(2 << 20);
        let t = Trace::record_with(h, &s, 1000);
        assert_eq!(
            t.len(),
            CHECKPOINT_EVERY,
            "the failing call is the last step"
        );
        assert!(t.error().is_some_and(|e| e.contains("MemoryError")));
        for step in [CHECKPOINT_EVERY - 1, CHECKPOINT_EVERY] {
            assert_eq!(
                t.seek(step).alloc.blocks_in_use(),
                CHECKPOINT_EVERY as u64 - 1,
                "step {step}"
            );
        }
    }

    #[test]
    fn checkpoints_thin_out_and_seek_stays_exact() {
        let text: String = (0..2000)
            .map(|i| {
                if i % 3 == 2 {
                    format!("free b{}\n", i - 1)
                } else {
                    format!("malloc b{i} {}\n", 8 + i % 500)
                }
            })
            .collect();
        let s = Scenario::parse("t", &text).expect("scenario");
        let t = Trace::record_bounded(Heap::startup(Version::V3_13), &s, usize::MAX, 4);
        assert!(
            t.checkpoints.len() <= 5,
            "{} checkpoints",
            t.checkpoints.len()
        );
        assert_eq!(
            t.every,
            CHECKPOINT_EVERY * 4,
            "2000 steps / 128 = 15 checkpoints → thinned twice"
        );
        let straight = Trace::record(Version::V3_13, &s);
        for step in (0..=t.len()).step_by(37).chain([t.len()]) {
            assert_eq!(
                t.seek(step).alloc.stats(),
                straight.seek(step).alloc.stats(),
                "step {step}"
            );
        }
    }

    #[test]
    fn budgets_end_the_run_with_a_message_and_keep_the_trace() {
        let s = Scenario::parse("t", "malloc a 1\nmalloc b 2\nmalloc c 3\n").expect("scenario");
        let t = Trace::record_with(Heap::empty(Version::V3_12), &s, 2);
        assert_eq!(t.len(), 2);
        assert!(t.error().is_some_and(|e| e.contains("step budget")));
        let mut h = Heap::empty(Version::V3_12);
        h.alloc.set_budget(1 << 20);
        let big =
            Scenario::parse("t", "malloc a 100\nmalloc b 2000000\nmalloc c 5\n").expect("scenario");
        let t = Trace::record_with(h, &big, 100);
        assert_eq!(t.len(), 2, "the failing call is the last step");
        assert!(
            t.error().is_some_and(|e| e.contains("MemoryError")),
            "{:?}",
            t.error()
        );
        assert_eq!(t.seek(1).alloc.blocks_in_use(), 1);
    }

    #[test]
    fn builtin_scenario_narrates_every_step() {
        let t = Trace::record(Version::V3_8, &Scenario::builtin());
        assert_eq!(t.len(), 9000);
        assert!(t.error().is_none());
        for step in 1..=t.len() {
            assert!(!t.events(step).is_empty(), "step {step} has events");
        }
        assert!(t.narration(1).starts_with("malloc(24) for a float → #0: "));
        // Everything the scenario allocated is freed again.
        assert_eq!(t.figures(t.len()).blocks_in_use, t.figures(0).blocks_in_use);
    }
}
