//! The reducer's actions. Pure Rust: runs in headless Chromium with
//! wasm-bindgen-test, and natively under `cargo test`.

use std::rc::Rc;

use pymem::Version;
use pymem_web::components::app::layout_style;
use pymem_web::components::splitter::size_for_key;
use pymem_web::examples::EXAMPLES;
use pymem_web::state::{Action, Pane, Split, State, SPEEDS};
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn apply(s: Rc<State>, actions: &[Action]) -> Rc<State> {
    actions.iter().fold(s, |s, a| s.reduce(a.clone()))
}

#[wasm_bindgen_test(unsupported = test)]
fn starts_at_step_zero_on_the_default_version() {
    let s = State::new();
    assert_eq!(s.version, Version::DEFAULT);
    assert_eq!(s.step, 0);
    assert!(!s.playing);
    assert!(s.last_step() > 0, "the default example has steps");
}

#[wasm_bindgen_test(unsupported = test)]
fn stepping_moves_and_clamps() {
    let s = Rc::new(State::new());
    let last = s.last_step();
    let s = apply(s, &[Action::StepBack]);
    assert_eq!(s.step, 0, "no step before 0");
    let s = apply(s, &[Action::StepForward, Action::StepForward]);
    assert_eq!(s.step, 2);
    let s = apply(s, &[Action::StepBack]);
    assert_eq!(s.step, 1);
    let s = apply(s, &[Action::ToEnd]);
    assert_eq!(s.step, last);
    let s = apply(s, &[Action::StepForward]);
    assert_eq!(s.step, last, "no step after the last");
    let s = apply(s, &[Action::ToStart]);
    assert_eq!(s.step, 0);
    let s = apply(s, &[Action::Seek(last + 1000)]);
    assert_eq!(s.step, last, "seek clamps");
}

#[wasm_bindgen_test(unsupported = test)]
fn heap_follows_the_step() {
    let s = Rc::new(State::new());
    let s1 = apply(s.clone(), &[Action::Seek(5)]);
    let expected = s.trace.seek(5);
    assert_eq!(s1.view.heap.alloc.stats(), expected.heap.alloc.stats());
    assert_eq!(s1.view.objects, expected.objects);
}

#[wasm_bindgen_test(unsupported = test)]
fn event_steps_walk_every_event_of_a_step() {
    let s = Rc::new(State::new());
    // The first step with several events.
    let step = (1..=s.last_step())
        .find(|&k| s.trace.events(k).len() >= 3)
        .expect("a step with events");
    let n = s.trace.events(step).len();
    let mut at = apply(s, &[Action::Seek(step - 1)]);
    for k in 1..n {
        at = apply(at, &[Action::EventForward]);
        assert_eq!((at.step, at.sub), (step, Some(k)), "event {k} of {n}");
        assert_eq!(at.events_done(), k);
        assert_eq!(at.current_event(), Some(k - 1));
        let expected = at.trace.seek_event(step, k);
        assert_eq!(at.view.heap.alloc.stats(), expected.heap.alloc.stats());
    }
    // The last event is the step's end.
    let end = apply(at.clone(), &[Action::EventForward]);
    assert_eq!((end.step, end.sub), (step, None));
    assert_eq!(end.events_done(), n);
    // And back again, event by event, to the previous step's end.
    let mut back = end;
    for k in (1..n).rev() {
        back = apply(back, &[Action::EventBack]);
        assert_eq!((back.step, back.sub), (step, Some(k)));
    }
    let back = apply(back, &[Action::EventBack]);
    assert_eq!((back.step, back.sub), (step - 1, None));
    // A click in the event log lands just after that event.
    let picked = apply(back, &[Action::SeekEvent(step, 1)]);
    assert_eq!((picked.step, picked.sub), (step, Some(2)));
    // Step forward from part way through finishes the step.
    let fin = apply(picked, &[Action::StepForward]);
    assert_eq!((fin.step, fin.sub), (step, None));
}

#[wasm_bindgen_test(unsupported = test)]
fn play_pause_and_ticks() {
    let s = Rc::new(State::new());
    let s = apply(s, &[Action::TogglePlay]);
    assert!(s.playing);
    let s = apply(s, &[Action::Tick, Action::Tick, Action::Tick]);
    assert_eq!(s.step, 3);
    assert!(s.playing);
    let s = apply(s, &[Action::TogglePlay]);
    assert!(!s.playing);
    let s = apply(s, &[Action::Tick]);
    assert_eq!(s.step, 3, "ticks do nothing while paused");
    // Stepping by hand pauses.
    let s = apply(s, &[Action::TogglePlay, Action::StepForward]);
    assert!(!s.playing);
    // Playback stops at the end, and Play from the end restarts.
    let last = s.last_step();
    let s = apply(
        s,
        &[Action::Seek(last - 1), Action::TogglePlay, Action::Tick],
    );
    assert_eq!(s.step, last);
    assert!(!s.playing, "stops at the end");
    let s = apply(s, &[Action::TogglePlay]);
    assert!(s.playing);
    assert_eq!(s.step, 0, "play from the end restarts");
}

#[wasm_bindgen_test(unsupported = test)]
fn speed_is_clamped() {
    let s = apply(Rc::new(State::new()), &[Action::SetSpeed(usize::MAX)]);
    assert_eq!(s.steps_per_second(), *SPEEDS.last().unwrap_or(&1));
    let s = apply(s, &[Action::SetSpeed(0)]);
    assert_eq!(s.steps_per_second(), SPEEDS[0]);
}

#[wasm_bindgen_test(unsupported = test)]
fn version_switch_rerecords_and_keeps_the_step_and_selection() {
    let s = apply(Rc::new(State::new()), &[Action::Seek(6)]);
    // The first variable's object: the same program gives the same handles.
    let frames = s.trace.frames(6);
    let (_, obj) = frames[0].locals[0];
    let s = apply(s, &[Action::Select(Some(obj))]);
    let s38 = apply(s.clone(), &[Action::SetVersion(Version::V3_8)]);
    assert_eq!(s38.version, Version::V3_8);
    assert_eq!(s38.step, 6.min(s38.last_step()));
    assert!(!Rc::ptr_eq(&s.trace, &s38.trace), "re-recorded");
    assert_eq!(s38.view.heap.alloc.version(), Version::V3_8);
    // The selection follows the variable, not the handle (3.8's start-up
    // heap numbers its objects differently).
    let name38 = s38.trace.frames(6)[0].locals[0];
    assert_eq!(
        s38.trace.name(name38.0),
        s.trace.name(frames[0].locals[0].0)
    );
    assert_eq!(s38.selected, Some(name38.1));
    assert!(s38
        .view
        .heap
        .debugmallocstats()
        .contains("262144 bytes/arena"));
    assert!(s
        .view
        .heap
        .debugmallocstats()
        .contains("1048576 bytes/arena"));
    let back = apply(s38, &[Action::SetVersion(Version::DEFAULT)]);
    assert_eq!(
        back.view.heap.alloc.stats(),
        s.view.heap.alloc.stats(),
        "deterministic"
    );
    assert_eq!(back.selected, Some(obj), "the selection survives");
}

#[wasm_bindgen_test(unsupported = test)]
fn new_source_rerecords_and_clamps_the_step() {
    let s = apply(Rc::new(State::new()), &[Action::ToEnd]);
    let s = apply(s, &[Action::SetSource(Rc::from("x = [1, 2]\ny = x\n"))]);
    assert_eq!(s.last_step(), 2, "two lines, two steps");
    assert_eq!(s.step, 2, "clamped to the new last step");
    assert_eq!(s.trace.output().exit_code, 0);
    let bad = apply(s, &[Action::SetSource(Rc::from("x = (\n"))]);
    let err = bad.trace.output().error.clone().expect("a syntax error");
    assert_eq!(err.line, 1, "{err:?}");
    assert_eq!(bad.trace.output().exit_code, 2);
}

#[wasm_bindgen_test(unsupported = test)]
fn toggles() {
    let s = Rc::new(State::new());
    assert!(s.hide_shared);
    let s = apply(s, &[Action::ToggleShared, Action::SetHelp(true)]);
    assert!(!s.hide_shared);
    assert!(s.help);
    assert!(s.shows(Pane::Gc));
    let s = apply(s, &[Action::TogglePane(Pane::Gc)]);
    assert!(!s.shows(Pane::Gc));
    assert!(s.shows(Pane::Map));
    let s = apply(s, &[Action::TogglePane(Pane::Gc), Action::SetHelp(false)]);
    assert!(s.shows(Pane::Gc));
    assert!(!s.help);
}

#[wasm_bindgen_test(unsupported = test)]
fn dividers_resize_within_their_ranges() {
    let s = Rc::new(State::new());
    assert_eq!(Split::ALL.map(|p| s.size(p)), [30, 26, 60]);
    let s = apply(
        s,
        &[
            Action::Resize(Split::Code, 40),
            Action::Resize(Split::Graph, 99),
        ],
    );
    assert_eq!(s.size(Split::Code), 40);
    // Clamped to 85% of the window's height.
    assert_eq!(s.size(Split::Graph), 85);
    let s = apply(s, &[Action::Resize(Split::Side, 0)]);
    assert_eq!(s.size(Split::Side), 15);
    // Nothing changes, the same state comes back (so nothing re-renders).
    let same = Rc::clone(&s).reduce(Action::Resize(Split::Side, 3));
    assert!(Rc::ptr_eq(&s, &same));
}

#[wasm_bindgen_test(unsupported = test)]
fn divider_keys() {
    // Arrows move the divider their way: the code column (left of its
    // divider) grows to the right, the side column (right of its) to the left.
    assert_eq!(size_for_key(Split::Code, 30, "ArrowRight"), Some(32));
    assert_eq!(size_for_key(Split::Code, 30, "ArrowLeft"), Some(28));
    assert_eq!(size_for_key(Split::Side, 26, "ArrowRight"), Some(24));
    assert_eq!(size_for_key(Split::Side, 26, "ArrowLeft"), Some(28));
    assert_eq!(size_for_key(Split::Graph, 60, "ArrowDown"), Some(62));
    assert_eq!(size_for_key(Split::Graph, 60, "ArrowUp"), Some(58));
    // Arrows across it are not its own: they still step through the program.
    assert_eq!(size_for_key(Split::Code, 30, "ArrowUp"), None);
    assert_eq!(size_for_key(Split::Graph, 60, "ArrowRight"), None);
    // Page keys grow and shrink, whichever side the pane is on.
    assert_eq!(size_for_key(Split::Side, 26, "PageUp"), Some(35));
    assert_eq!(size_for_key(Split::Side, 26, "PageDown"), Some(16));
    assert_eq!(size_for_key(Split::Code, 30, "Home"), Some(15));
    assert_eq!(size_for_key(Split::Code, 30, "End"), Some(45));
    assert_eq!(size_for_key(Split::Code, 45, "ArrowRight"), Some(45));
    assert_eq!(size_for_key(Split::Code, 30, "a"), None);
}

#[wasm_bindgen_test(unsupported = test)]
fn layout_tracks_follow_the_shown_columns() {
    assert_eq!(
        layout_style(Some(30), Some(26), 60),
        "--cols: minmax(12rem, 30%) 7px minmax(0, 1fr) 7px minmax(14rem, 26%); --graph-h: 60vh"
    );
    // A column with nothing shown has no track and no divider.
    assert_eq!(
        layout_style(None, Some(20), 50),
        "--cols: minmax(0, 1fr) 7px minmax(14rem, 20%); --graph-h: 50vh"
    );
    assert_eq!(
        layout_style(None, None, 60),
        "--cols: minmax(0, 1fr); --graph-h: 60vh"
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn every_example_runs_cleanly_on_every_version() {
    for ex in EXAMPLES {
        for v in Version::ALL {
            let s = State::with_program(v, ex.source);
            let out = s.trace.output();
            assert_eq!(out.exit_code, 0, "{} on {v}: {}", ex.name, out.stderr);
            assert!(s.trace.error().is_none(), "{} on {v}", ex.name);
            assert!(s.last_step() > 3, "{} on {v}", ex.name);
        }
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn pool_cursor_walks_the_map() {
    let s = apply(Rc::new(State::new()), &[Action::Seek(3)]);
    let order = s.pool_order();
    assert!(!order.is_empty());
    let s = apply(s, &[Action::MoveCursor(0)]);
    assert_eq!(s.pool, Some(order[0]));
    let s = apply(s, &[Action::MoveCursor(1)]);
    assert_eq!(s.pool, Some(order[1]));
    let s = apply(s, &[Action::MoveCursor(-100)]);
    assert_eq!(s.pool, Some(order[0]), "clamped at the first pool");
    let s = apply(s, &[Action::MoveCursor(i32::MAX)]);
    assert_eq!(s.pool, order.last().copied(), "clamped at the last pool");
    let s = apply(
        s,
        &[Action::SelectPool(None), Action::HoverPool(Some(order[2]))],
    );
    assert_eq!(s.pool, None);
    assert_eq!(s.hovered, Some(order[2]));
}

/// Collects a run's parts as the worker would send them, one every
/// `every` steps.
struct Parts {
    every: usize,
    out: Rc<std::cell::RefCell<Vec<pymem::program::TracePart>>>,
}

impl pymem::program::TraceSink for Parts {
    fn due(&mut self, steps: usize) -> bool {
        steps.is_multiple_of(self.every)
    }
    fn send(&mut self, part: pymem::program::TracePart) {
        self.out.borrow_mut().push(part);
    }
}

/// The traces the page would hold after each part of `source` arrives.
fn snapshots(
    version: Version,
    source: &str,
    every: usize,
) -> Vec<Rc<pymem::program::ProgramTrace>> {
    let out = Rc::new(std::cell::RefCell::new(Vec::new()));
    let sink = Parts {
        every,
        out: Rc::clone(&out),
    };
    pymem::program::record_streaming(
        version,
        pymem_web::model::FILE_NAME,
        source,
        pymem_web::model::app_budgets(),
        Box::new(sink),
    );
    let mut parts = out.take().into_iter();
    let mut rx = parts
        .next()
        .and_then(pymem::program::TraceReceiver::new)
        .expect("a first part");
    let mut snaps = vec![Rc::new(rx.trace().clone())];
    for p in parts {
        rx.push(p);
        snaps.push(Rc::new(rx.trace().clone()));
    }
    snaps
}

fn received(run: u32, t: &Rc<pymem::program::ProgramTrace>, done: bool) -> Action {
    Action::Received {
        run,
        trace: pymem_web::model::Shared(Rc::clone(t)),
        done,
    }
}

/// In the background, a new program is asked for, not recorded: the old
/// trace stays until the first part, the step asked for is reached as the
/// parts bring it, an older run's parts are ignored, and the end of the
/// run ends "recording".
#[wasm_bindgen_test(unsupported = test)]
fn background_runs_grow_part_by_part() {
    let s = apply(
        Rc::new(State::new()),
        &[Action::UseWorker(true), Action::Seek(3)],
    );
    let old = Rc::clone(&s.trace);
    let src: Rc<str> =
        Rc::from("xs = []\nfor i in range(40):\n    xs.append([i])\nprint(len(xs))\n");
    let s = apply(s, &[Action::SetSource(Rc::clone(&src))]);
    assert!(s.recording && s.background);
    assert!(Rc::ptr_eq(&s.trace, &old), "nothing recorded on the spot");
    assert_eq!(s.recording_steps(), None);
    let run = s.run;
    let snaps = snapshots(Version::DEFAULT, &src, 2);
    assert!(snaps.len() > 3, "{} parts", snaps.len());
    // The first part holds steps 0 and 1: the step asked for (3) waits.
    let s = apply(s, &[received(run, &snaps[0], false)]);
    assert_eq!((s.step, s.last_step()), (1, 1));
    assert_eq!(s.recording_steps(), Some(1));
    let s = apply(s, &[received(run.wrapping_sub(1), &snaps[1], false)]);
    assert_eq!(s.last_step(), 1, "an earlier run's part is ignored");
    let s = apply(s, &[received(run, &snaps[1], false)]);
    assert_eq!(
        (s.step, s.last_step()),
        (3, 3),
        "the step asked for, once it exists"
    );
    let view = Rc::clone(&s.view);
    let s = apply(s, &[received(run, &snaps[2], false)]);
    assert_eq!(s.step, 3);
    assert!(
        Rc::ptr_eq(&s.view, &view),
        "more steps leave the shown one alone"
    );
    let last = snaps.last().expect("parts");
    let s = apply(s, &[received(run, last, true)]);
    assert!(!s.recording);
    assert_eq!(s.trace.stdout_at(s.last_step()), "40\n");
    assert_eq!(s.view.objects, last.seek(3).objects);
}

/// Stop marks the run as stopping (the hook then ends it with the trace
/// so far); a worker that fails before any part makes the reducer record
/// the run on the spot.
#[wasm_bindgen_test(unsupported = test)]
fn stop_and_falling_back_to_the_main_thread() {
    let s = apply(Rc::new(State::new()), &[Action::Stop]);
    assert!(!s.stopping, "nothing to stop");
    let src: Rc<str> = Rc::from("n = 0\nwhile n < 30:\n    n += 1\n");
    let s = apply(
        s,
        &[Action::UseWorker(true), Action::SetSource(Rc::clone(&src))],
    );
    let s = apply(s, &[Action::Stop]);
    assert!(s.recording && s.stopping);
    let snaps = snapshots(Version::DEFAULT, &src, 5);
    let run = s.run;
    let s = apply(s, &[received(run, &snaps[1], true)]);
    assert!(!s.recording && !s.stopping);
    assert_eq!(s.last_step(), 9);

    let s = apply(s, &[Action::SetSource(Rc::from("a = [1]\nb = a\n"))]);
    assert!(s.recording);
    let s = apply(s, &[Action::UseWorker(false)]);
    assert!(!s.recording && !s.background);
    assert_eq!(s.last_step(), 2, "recorded on the spot");
}
