//! All app state in one [`Reducible`]: the recorded trace, the current step,
//! playback and the pool selection. Components dispatch [`Action`]s.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{self, Heap, PoolId, Scenario, Trace, Version};

/// Playback speeds offered by the speed control, in steps per second.
pub const SPEEDS: [u32; 7] = [1, 2, 5, 10, 25, 50, 100];

/// Index into [`SPEEDS`] used at start-up (5 steps/s).
pub const DEFAULT_SPEED: usize = 2;

/// The whole app state.
#[derive(Clone)]
pub struct State {
    /// The built-in scenario (recorded once per version).
    pub scenario: Rc<Scenario>,
    /// The modelled CPython version.
    pub version: Version,
    /// The scenario recorded on `version`.
    pub trace: Rc<Trace>,
    /// Current step, `0..=trace.len()`; 0 is the start-up heap.
    pub step: usize,
    /// The heap at `step`.
    pub heap: Rc<Heap>,
    /// True while playing.
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// The pool shown in the inspector (also the keyboard cursor on the map).
    pub selected: Option<PoolId>,
    /// The pool under the mouse.
    pub hovered: Option<PoolId>,
}

/// Everything the UI can ask of the state.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// One step forward (stops playback).
    StepForward,
    /// One step back (stops playback).
    StepBack,
    /// Back to step 0 (stops playback).
    ToStart,
    /// To the last step (stops playback).
    ToEnd,
    /// To a given step, clamped (stops playback).
    Seek(usize),
    /// Play or pause; playing from the last step restarts at 0.
    TogglePlay,
    /// Stop playing.
    Pause,
    /// One playback tick: advance, and stop at the end.
    Tick,
    /// Set the speed to `SPEEDS[i]` (clamped).
    SetSpeed(usize),
    /// Re-record on another version, keeping the step (clamped).
    SetVersion(Version),
    /// Show a pool in the inspector, or none.
    SelectPool(Option<PoolId>),
    /// The mouse is over a pool, or none.
    HoverPool(Option<PoolId>),
    /// Move the pool cursor by this many pools in map order.
    MoveCursor(i32),
}

impl State {
    /// The default state: [`Version::DEFAULT`], step 0.
    pub fn new() -> State {
        State::with_version(Version::DEFAULT)
    }

    /// State for `version` at step 0.
    pub fn with_version(version: Version) -> State {
        let scenario = Rc::new(model::builtin_scenario());
        let trace = Rc::new(model::record(version, &scenario));
        let heap = Rc::new(trace.seek(0));
        State {
            scenario,
            version,
            trace,
            step: 0,
            heap,
            playing: false,
            speed: DEFAULT_SPEED,
            selected: None,
            hovered: None,
        }
    }

    /// Number of the last step.
    pub fn last_step(&self) -> usize {
        self.trace.len()
    }

    /// Steps per second at the current speed.
    pub fn steps_per_second(&self) -> u32 {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }

    /// Every pool slot of every allocated arena, in map order.
    pub fn pool_order(&self) -> Vec<PoolId> {
        self.heap
            .alloc
            .arenas()
            .flat_map(|a| {
                (0..a.ntotalpools.min(256)).map(move |i| PoolId {
                    arena: a.id,
                    index: i as u8,
                })
            })
            .collect()
    }

    fn at_step(&self, step: usize) -> State {
        let step = step.min(self.last_step());
        let mut next = self.clone();
        if step != self.step {
            next.heap = Rc::new(self.trace.seek(step));
            next.step = step;
        }
        next
    }
}

impl Default for State {
    fn default() -> Self {
        State::new()
    }
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && Rc::ptr_eq(&self.trace, &other.trace)
            && self.step == other.step
            && self.playing == other.playing
            && self.speed == other.speed
            && self.selected == other.selected
            && self.hovered == other.hovered
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = match action {
            Action::StepForward => State {
                playing: false,
                ..self.at_step(self.step.saturating_add(1))
            },
            Action::StepBack => State {
                playing: false,
                ..self.at_step(self.step.saturating_sub(1))
            },
            Action::ToStart => State {
                playing: false,
                ..self.at_step(0)
            },
            Action::ToEnd => State {
                playing: false,
                ..self.at_step(self.last_step())
            },
            Action::Seek(step) => State {
                playing: false,
                ..self.at_step(step)
            },
            Action::TogglePlay if self.playing => State {
                playing: false,
                ..(*self).clone()
            },
            Action::TogglePlay => {
                let start = if self.step >= self.last_step() {
                    0
                } else {
                    self.step
                };
                State {
                    playing: self.last_step() > 0,
                    ..self.at_step(start)
                }
            }
            Action::Pause if !self.playing => return self,
            Action::Pause => State {
                playing: false,
                ..(*self).clone()
            },
            Action::Tick if !self.playing => return self,
            Action::Tick => {
                let next = self.at_step(self.step.saturating_add(1));
                let playing = next.step < next.last_step();
                State { playing, ..next }
            }
            Action::SetSpeed(i) => State {
                speed: i.min(SPEEDS.len() - 1),
                ..(*self).clone()
            },
            Action::SetVersion(v) if v == self.version => return self,
            Action::SetVersion(version) => {
                let trace = Rc::new(model::record(version, &self.scenario));
                let step = self.step.min(trace.len());
                let heap = Rc::new(trace.seek(step));
                let keep = |p: Option<PoolId>| p.filter(|&id| heap.alloc.pool_info(id).is_some());
                State {
                    version,
                    selected: keep(self.selected),
                    hovered: keep(self.hovered),
                    trace,
                    step,
                    heap,
                    ..(*self).clone()
                }
            }
            Action::SelectPool(p) if p == self.selected => return self,
            Action::SelectPool(selected) => State {
                selected,
                ..(*self).clone()
            },
            Action::HoverPool(p) if p == self.hovered => return self,
            Action::HoverPool(hovered) => State {
                hovered,
                ..(*self).clone()
            },
            Action::MoveCursor(delta) => {
                let order = self.pool_order();
                if order.is_empty() {
                    return self;
                }
                let at = match self
                    .selected
                    .and_then(|s| order.iter().position(|&p| p == s))
                {
                    Some(i) => {
                        (i as i64 + i64::from(delta)).clamp(0, order.len() as i64 - 1) as usize
                    }
                    None => 0,
                };
                State {
                    selected: Some(order[at]),
                    ..(*self).clone()
                }
            }
        };
        Rc::new(next)
    }
}
