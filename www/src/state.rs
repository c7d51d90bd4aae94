//! All app state in one [`Reducible`]: the program and its recorded trace,
//! the position in it (a step, or a fine event inside a step), playback,
//! the selection, and what the views show. Components dispatch [`Action`]s.

use std::rc::Rc;

use yew::prelude::*;

use crate::examples;
use crate::model::{self, ObjRef, PoolId, ProgramState, ProgramTrace, Shared, Version};

/// Playback speeds offered by the speed control, in steps per second.
pub const SPEEDS: [u32; 7] = [1, 2, 5, 10, 25, 50, 100];

/// Index into [`SPEEDS`] used at start-up (2 steps/s: a class can follow).
pub const DEFAULT_SPEED: usize = 1;

/// From this many steps per second on, changes are drawn without animation.
pub const ANIMATE_BELOW: u32 = 10;

/// A view that can be hidden.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Pane {
    /// The editor.
    Code,
    /// Frames and objects.
    Graph,
    /// The allocator map.
    Map,
    /// The object inspector.
    Inspector,
    /// The GC panel.
    Gc,
    /// Narration and the event log.
    Narration,
    /// The program's output.
    Output,
}

impl Pane {
    /// Every pane, in page order.
    pub const ALL: [Pane; 7] = [
        Pane::Code,
        Pane::Output,
        Pane::Graph,
        Pane::Map,
        Pane::Narration,
        Pane::Inspector,
        Pane::Gc,
    ];

    /// The pane's region name.
    pub fn name(self) -> &'static str {
        match self {
            Pane::Code => "Code",
            Pane::Graph => "Frames and objects",
            Pane::Map => "Allocator map",
            Pane::Inspector => "Object inspector",
            Pane::Gc => "GC",
            Pane::Narration => "Narration",
            Pane::Output => "Output",
        }
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// A divider between panes that can be dragged or moved with the keys.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Split {
    /// Between the code column and the middle one: the code column's
    /// width, in % of the layout's width.
    Code,
    /// Between the middle column and the side one: the side column's
    /// width, in % of the layout's width.
    Side,
    /// Below the graph: its height, in % of the window's height.
    Graph,
}

impl Split {
    /// Every divider.
    pub const ALL: [Split; 3] = [Split::Code, Split::Side, Split::Graph];

    /// Its accessible name.
    pub fn name(self) -> &'static str {
        match self {
            Split::Code => "Resize the code column",
            Split::Side => "Resize the side column",
            Split::Graph => "Resize the frames and objects view",
        }
    }

    /// Its size at start-up.
    pub fn initial(self) -> u8 {
        match self {
            Split::Code => 30,
            Split::Side => 26,
            Split::Graph => 60,
        }
    }

    /// The sizes it can take, smallest and largest. The two columns
    /// together leave the middle one at least 20% of the width.
    pub fn range(self) -> (u8, u8) {
        match self {
            Split::Code => (15, 45),
            Split::Side => (15, 35),
            Split::Graph => (25, 85),
        }
    }
}

/// The whole app state.
#[derive(Clone)]
pub struct State {
    /// The program's source.
    pub source: Rc<str>,
    /// The modelled CPython version.
    pub version: Version,
    /// `source` recorded on `version`.
    pub trace: Rc<ProgramTrace>,
    /// Current step, `0..=trace.len()`; 0 is before the first line.
    pub step: usize,
    /// `Some(k)`: part way through `step`, after its first `k` fine events
    /// (`1 <= k < ` the step's event count); `None`: the step's end.
    pub sub: Option<usize>,
    /// The model's state at (`step`, `sub`).
    pub view: Rc<ProgramState>,
    /// True while playing.
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// The object selected in any view.
    pub selected: Option<ObjRef>,
    /// The pool shown in the map's pool inspector (the map's keyboard cursor).
    pub pool: Option<PoolId>,
    /// The pool under the mouse.
    pub hovered: Option<PoolId>,
    /// Hide shared objects (small ints, interned strings, immortals).
    pub hide_shared: bool,
    /// The keyboard help is open.
    pub help: bool,
    /// Hidden panes, one bit per [`Pane`].
    hidden: u8,
    /// Each divider's size, by [`Split`] order.
    sizes: [u8; 3],
    /// Recordings go to the worker ([`Action::UseWorker`]); otherwise
    /// the reducer records on the spot.
    pub background: bool,
    /// The number of the latest recording asked for: parts of an earlier
    /// one are ignored.
    pub run: u32,
    /// The run `trace` comes from.
    trace_run: u32,
    /// The latest run is still being recorded (`trace` is what has
    /// arrived of it, or the previous run's until its first part).
    pub recording: bool,
    /// Stop was asked for and the worker has not been stopped yet.
    pub stopping: bool,
    /// The step to show when a recording brings more steps: where the
    /// user was or went.
    target: usize,
}

/// Everything the UI can ask of the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// One step (a line) forward (stops playback).
    StepForward,
    /// One step back (stops playback).
    StepBack,
    /// One fine event forward (stops playback).
    EventForward,
    /// One fine event back (stops playback).
    EventBack,
    /// Back to step 0 (stops playback).
    ToStart,
    /// To the last step (stops playback).
    ToEnd,
    /// To a given step's end, clamped (stops playback).
    Seek(usize),
    /// To just after event `k` (0-based) of step `s` (stops playback).
    SeekEvent(usize, usize),
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
    /// Re-record new source, keeping the step (clamped).
    SetSource(Rc<str>),
    /// Select an object, or none.
    Select(Option<ObjRef>),
    /// Show a pool in the pool inspector, or none.
    SelectPool(Option<PoolId>),
    /// The mouse is over a pool, or none.
    HoverPool(Option<PoolId>),
    /// Move the pool cursor by this many pools in map order.
    MoveCursor(i32),
    /// Show or hide shared objects.
    ToggleShared,
    /// Open or close the keyboard help.
    SetHelp(bool),
    /// Show or hide a pane.
    TogglePane(Pane),
    /// Move a divider to this size (clamped to its range).
    Resize(Split, u8),
    /// Record in the background from now on (true: the worker is up), or
    /// on the spot (false: it failed; a run it had is recorded now).
    UseWorker(bool),
    /// More of run `run` arrived: the trace so far (`done`: all of it).
    Received {
        /// The run.
        run: u32,
        /// Its trace so far.
        trace: Shared<ProgramTrace>,
        /// The last part is in (or the run was stopped).
        done: bool,
    },
    /// Stop the run being recorded, keeping what it recorded.
    Stop,
}

impl State {
    /// The default state: the first example on [`Version::DEFAULT`], step 0.
    pub fn new() -> State {
        State::with_program(Version::DEFAULT, examples::EXAMPLES[0].source)
    }

    /// State for `source` on `version` at step 0.
    pub fn with_program(version: Version, source: &str) -> State {
        let trace = Rc::new(model::record_program(version, source));
        let view = Rc::new(trace.seek(0));
        State {
            source: Rc::from(source),
            version,
            trace,
            step: 0,
            sub: None,
            view,
            playing: false,
            speed: DEFAULT_SPEED,
            selected: None,
            pool: None,
            hovered: None,
            hide_shared: true,
            help: false,
            hidden: 0,
            sizes: Split::ALL.map(Split::initial),
            background: false,
            run: 0,
            trace_run: 0,
            recording: false,
            stopping: false,
            target: 0,
        }
    }

    /// Number of the last step.
    pub fn last_step(&self) -> usize {
        self.trace.len()
    }

    /// Steps of the run being recorded that have arrived (`None`: none
    /// yet, or no run under way).
    pub fn recording_steps(&self) -> Option<usize> {
        (self.recording && self.trace_run == self.run).then(|| self.trace.len())
    }

    /// Steps per second at the current speed.
    pub fn steps_per_second(&self) -> u32 {
        SPEEDS[self.speed.min(SPEEDS.len() - 1)]
    }

    /// True when `pane` is shown.
    pub fn shows(&self, pane: Pane) -> bool {
        self.hidden & pane.bit() == 0
    }

    /// The size `split` is at (see [`Split`] for its unit).
    pub fn size(&self, split: Split) -> u8 {
        self.sizes[split as usize]
    }

    /// Fine events of the current step applied so far.
    pub fn events_done(&self) -> usize {
        let n = self.trace.events(self.step).len();
        self.sub.map_or(n, |k| k.min(n))
    }

    /// The fine event just applied (0-based in the step), if any.
    pub fn current_event(&self) -> Option<usize> {
        self.events_done().checked_sub(1)
    }

    /// Every pool slot of every allocated arena, in map order.
    pub fn pool_order(&self) -> Vec<PoolId> {
        self.view
            .heap
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

    /// The same state at (`step`, `sub`), `step` clamped and `sub`
    /// normalised (`Some(0)` is the previous step's end, `Some(n)` this
    /// step's end).
    fn at(&self, step: usize, sub: Option<usize>) -> State {
        let step = step.min(self.last_step());
        let n = self.trace.events(step).len();
        let (step, sub) = match sub {
            Some(0) if step > 0 => (step - 1, None),
            Some(k) if k >= n || step == 0 => (step, None),
            other => (step, other),
        };
        let mut next = self.clone();
        if (step, sub) != (self.step, self.sub) {
            next.view = Rc::new(match sub {
                Some(k) => self.trace.seek_event(step, k),
                None => self.trace.seek(step),
            });
            next.step = step;
            next.sub = sub;
        }
        next.target = step;
        next
    }

    fn at_step(&self, step: usize) -> State {
        self.at(step, None)
    }

    /// One fine event forward from here.
    fn event_forward(&self) -> State {
        match self.sub {
            Some(k) => self.at(self.step, Some(k + 1)),
            None if self.step >= self.last_step() => self.clone(),
            None => self.at(self.step + 1, Some(1)),
        }
    }

    /// One fine event back from here.
    fn event_back(&self) -> State {
        match self.sub {
            Some(k) => self.at(self.step, Some(k - 1)),
            None if self.step == 0 => self.clone(),
            None => {
                let n = self.trace.events(self.step).len();
                self.at(self.step, Some(n.saturating_sub(1)))
            }
        }
    }

    /// Re-recorded on `version` from `source`, keeping the step, the pools
    /// where they still exist, and the selection where the same path of
    /// references from a frame reaches an object (handles are not
    /// comparable across versions: their start-up heaps differ).
    fn rerecorded(&self, version: Version, source: Rc<str>) -> State {
        let asked = State {
            version,
            source,
            run: self.run.wrapping_add(1),
            recording: true,
            stopping: false,
            ..self.clone()
        };
        if self.background {
            // The worker records it; `Received` brings it.
            return asked;
        }
        let trace = Rc::new(model::record_program(version, &asked.source));
        asked.adopt(asked.run, trace, true)
    }

    /// With `trace`, the latest of run `run` (`done`: complete), at the
    /// step asked for or the last one so far. A new run's trace keeps
    /// the pools where they still exist and the selection where the
    /// same path of references reaches an object; more of the same run
    /// keeps the position exactly (its steps so far do not change).
    fn adopt(&self, run: u32, trace: Rc<ProgramTrace>, done: bool) -> State {
        let fresh = run != self.trace_run;
        let step = self.target.min(trace.len());
        let (view, sub, selected) = if !fresh && step == self.step {
            (Rc::clone(&self.view), self.sub, self.selected)
        } else {
            let view = Rc::new(trace.seek(step));
            let selected = match fresh {
                true => self
                    .selected
                    .and_then(|r| path_to(&self.view, r))
                    .and_then(|p| follow(&view, &p)),
                false => self.selected.filter(|r| view.objects.contains_key(r)),
            };
            (view, None, selected)
        };
        let keep = |p: Option<PoolId>| p.filter(|&id| view.heap.alloc.pool_info(id).is_some());
        State {
            selected,
            pool: keep(self.pool),
            hovered: keep(self.hovered),
            trace,
            trace_run: run,
            recording: !done,
            stopping: self.stopping && !done,
            step,
            sub,
            view,
            ..self.clone()
        }
    }

    fn paused(self) -> State {
        State {
            playing: false,
            ..self
        }
    }
}

/// How to reach an object from the frames: a frame, one of its variables,
/// then reference indices.
type RefPath = (usize, usize, Vec<usize>);

/// The shortest path of references from a frame's variable to `target`
/// (breadth first, a few thousand objects at most).
fn path_to(s: &ProgramState, target: ObjRef) -> Option<RefPath> {
    use std::collections::{HashSet, VecDeque};
    let mut seen = HashSet::new();
    let mut queue = VecDeque::new();
    for (fi, f) in s.frames.iter().enumerate() {
        for (li, &(_, r)) in f.locals.iter().enumerate() {
            if seen.insert(r) {
                queue.push_back((r, (fi, li, Vec::new())));
            }
        }
    }
    while let Some((r, path)) = queue.pop_front() {
        if r == target {
            return Some(path);
        }
        if seen.len() > 5000 {
            break;
        }
        let Some(v) = s.objects.get(&r) else { continue };
        for (i, e) in v.refs.iter().enumerate() {
            if seen.insert(e.to) {
                let mut p = path.clone();
                p.2.push(i);
                queue.push_back((e.to, p));
            }
        }
    }
    None
}

/// The object `path` reaches in `s`.
fn follow(s: &ProgramState, path: &RefPath) -> Option<ObjRef> {
    let (fi, li, edges) = path;
    let mut r = s.frames.get(*fi)?.locals.get(*li)?.1;
    for &i in edges {
        r = s.objects.get(&r)?.refs.get(i)?.to;
    }
    s.objects.contains_key(&r).then_some(r)
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
            && Rc::ptr_eq(&self.view, &other.view)
            && self.step == other.step
            && self.sub == other.sub
            && self.playing == other.playing
            && self.speed == other.speed
            && self.selected == other.selected
            && self.pool == other.pool
            && self.hovered == other.hovered
            && self.hide_shared == other.hide_shared
            && self.help == other.help
            && self.hidden == other.hidden
            && self.sizes == other.sizes
            && self.background == other.background
            && self.run == other.run
            && self.recording == other.recording
            && self.stopping == other.stopping
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let next = match action {
            Action::StepForward => {
                // From part way through a step, "forward" finishes it.
                let to = if self.sub.is_some() {
                    self.step
                } else {
                    self.step.saturating_add(1)
                };
                self.at_step(to).paused()
            }
            // From part way through a step, "back" goes to the step's start
            // (the previous step's end), as from its end.
            Action::StepBack => self.at_step(self.step.saturating_sub(1)).paused(),
            Action::EventForward => self.event_forward().paused(),
            Action::EventBack => self.event_back().paused(),
            Action::ToStart => self.at_step(0).paused(),
            Action::ToEnd => self.at_step(self.last_step()).paused(),
            Action::Seek(step) => self.at_step(step).paused(),
            Action::SeekEvent(step, k) => self.at(step, Some(k.saturating_add(1))).paused(),
            Action::TogglePlay if self.playing => (*self).clone().paused(),
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
            Action::Pause => (*self).clone().paused(),
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
            Action::SetVersion(v) => self.rerecorded(v, Rc::clone(&self.source)),
            Action::SetSource(s) if s == self.source => return self,
            Action::SetSource(s) => self.rerecorded(self.version, s).paused(),
            Action::Select(r) if r == self.selected => return self,
            Action::Select(selected) => State {
                selected,
                ..(*self).clone()
            },
            Action::SelectPool(p) if p == self.pool => return self,
            Action::SelectPool(pool) => State {
                pool,
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
                let at = match self.pool.and_then(|s| order.iter().position(|&p| p == s)) {
                    Some(i) => {
                        (i as i64 + i64::from(delta)).clamp(0, order.len() as i64 - 1) as usize
                    }
                    None => 0,
                };
                State {
                    pool: Some(order[at]),
                    ..(*self).clone()
                }
            }
            Action::ToggleShared => State {
                hide_shared: !self.hide_shared,
                ..(*self).clone()
            },
            Action::SetHelp(open) if open == self.help => return self,
            Action::SetHelp(help) => State {
                help,
                ..(*self).clone()
            },
            Action::TogglePane(p) => State {
                hidden: self.hidden ^ p.bit(),
                ..(*self).clone()
            },
            Action::Resize(split, size) => {
                let (lo, hi) = split.range();
                let size = size.clamp(lo, hi);
                if size == self.size(split) {
                    return self;
                }
                let mut next = (*self).clone();
                next.sizes[split as usize] = size;
                next
            }
            Action::UseWorker(on) if on == self.background => return self,
            Action::UseWorker(true) => State {
                background: true,
                ..(*self).clone()
            },
            Action::UseWorker(false) => {
                let on_spot = State {
                    background: false,
                    ..(*self).clone()
                };
                if self.recording {
                    // The run the worker had, recorded here instead.
                    let trace = Rc::new(model::record_program(self.version, &self.source));
                    on_spot.adopt(self.run, trace, true)
                } else {
                    on_spot
                }
            }
            Action::Received { run, .. } if run != self.run => return self,
            Action::Received { run, trace, done } => self.adopt(run, trace.0, done),
            Action::Stop if !self.recording || self.stopping => return self,
            Action::Stop => State {
                stopping: true,
                ..(*self).clone()
            },
        };
        Rc::new(next)
    }
}
