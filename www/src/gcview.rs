//! What the collector is doing at a position in a trace: the collection
//! under way and its last finished phase (with every candidate's
//! `gc_refs`), the collection that just ended, and the run's statistics
//! so far. Read from the trace's fine events; nothing here is modelled
//! anew.

use std::collections::HashMap;

use crate::model::{GcPhase, ObjRef, ProgramTrace, TraceEvent};
use pymem::gc::List;

/// A candidate's state as a phase left it.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// `gc_refs`.
    pub gc_refs: i64,
    /// Its list (`None`: freed or untracked).
    pub list: Option<List>,
}

/// The collector at one position.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GcNow {
    /// A collection is under way: the oldest generation collected.
    pub collecting: Option<u8>,
    /// Its last finished phase: the phase, its table index and how many
    /// candidates it had.
    pub phase: Option<(GcPhase, u32, u32)>,
    /// Candidates of that phase, by object.
    pub candidates: HashMap<ObjRef, Candidate>,
    /// A collection ended in this step: (generation, unreachable found).
    pub finished: Option<(u8, u32)>,
    /// Collections so far per generation (`gc.get_stats()`'s
    /// `collections`), and objects they found unreachable (`collected`).
    pub stats: [(u32, u64); 3],
}

impl GcNow {
    /// The candidate state of `obj` in the current phase.
    pub fn candidate(&self, obj: ObjRef) -> Option<Candidate> {
        self.candidates.get(&obj).copied()
    }
}

/// Collections and objects collected per generation.
pub type Stats = [(u32, u64); 3];

fn count(e: &TraceEvent, stats: &mut Stats) {
    if let TraceEvent::Collected {
        generation,
        collected,
    } = *e
    {
        if let Some(s) = stats.get_mut(usize::from(generation)) {
            s.0 += 1;
            s.1 += u64::from(collected);
        }
    }
}

/// The statistics at the end of every step, `0..=t.len()`: one pass over
/// the run, so a position need not re-read every event before it.
pub fn stats_by_step(t: &ProgramTrace) -> Vec<Stats> {
    let mut stats = Stats::default();
    (0..=t.len())
        .map(|s| {
            for e in t.events(s) {
                count(e, &mut stats);
            }
            stats
        })
        .collect()
}

/// The collector after the first `done` events of step `step`, given
/// [`stats_by_step`] of the run.
pub fn at(t: &ProgramTrace, by_step: &[Stats], step: usize, done: usize) -> GcNow {
    let mut now = GcNow {
        stats: step
            .checked_sub(1)
            .and_then(|p| by_step.get(p).copied())
            .unwrap_or_default(),
        ..GcNow::default()
    };
    let events = t.events(step);
    for e in &events[..done.min(events.len())] {
        count(e, &mut now.stats);
        match *e {
            TraceEvent::Collect { generation } => {
                now.collecting = Some(generation);
                now.phase = None;
                now.finished = None;
            }
            TraceEvent::GcPhase { phase, index } => {
                let total = t.gc_phase(index).map_or(0, |p| p.total);
                now.phase = Some((phase, index, total));
            }
            TraceEvent::Collected {
                generation,
                collected,
            } => {
                now.collecting = None;
                now.phase = None;
                now.finished = Some((generation, collected));
            }
            _ => {}
        }
    }
    if let Some(rec) = now.phase.and_then(|(_, i, _)| t.gc_phase(i)) {
        now.candidates = rec
            .candidates
            .iter()
            .map(|c| {
                (
                    c.obj,
                    Candidate {
                        gc_refs: c.refs,
                        list: c.list,
                    },
                )
            })
            .collect();
    }
    now
}

/// A list's name as the collector's C code calls it.
pub fn list_name(l: Option<List>) -> String {
    match l {
        None => "freed".to_string(),
        Some(List::Gen(g)) => format!("generation {g}"),
        Some(List::Permanent) => "permanent".to_string(),
        Some(List::Unreachable) => "unreachable".to_string(),
        Some(List::Callbacks) => "wrcb_to_call".to_string(),
        Some(List::Scratch) => "finalizers".to_string(),
        Some(List::Reachable) => "reachable".to_string(),
        Some(List::Increment) => "increment".to_string(),
    }
}
