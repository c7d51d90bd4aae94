//! The reducer's actions. Pure Rust: runs in headless Chromium with
//! wasm-bindgen-test, and natively under `cargo test`.

use std::rc::Rc;

use pymem::Version;
use pymem_web::state::{Action, State, SPEEDS};
use wasm_bindgen_test::*;
use yew::Reducible;

wasm_bindgen_test_configure!(run_in_browser);

fn apply(s: Rc<State>, actions: &[Action]) -> Rc<State> {
    actions.iter().fold(s, |s, &a| s.reduce(a))
}

#[wasm_bindgen_test(unsupported = test)]
fn starts_at_step_zero_on_the_default_version() {
    let s = State::new();
    assert_eq!(s.version, Version::DEFAULT);
    assert_eq!(s.step, 0);
    assert!(!s.playing);
    assert!(s.last_step() > 0, "the built-in scenario has steps");
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
    assert_eq!(s1.heap.alloc.stats(), expected.alloc.stats());
    assert_eq!(s1.heap.debugmallocstats(), expected.debugmallocstats());
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
fn version_switch_rerecords_and_keeps_the_step() {
    let s = apply(Rc::new(State::new()), &[Action::Seek(40)]);
    let s38 = apply(s.clone(), &[Action::SetVersion(Version::V3_8)]);
    assert_eq!(s38.version, Version::V3_8);
    assert_eq!(s38.step, 40.min(s38.last_step()));
    assert!(!Rc::ptr_eq(&s.trace, &s38.trace), "re-recorded");
    assert_eq!(s38.heap.alloc.version(), Version::V3_8);
    assert!(s38.heap.debugmallocstats().contains("262144 bytes/arena"));
    assert!(s.heap.debugmallocstats().contains("1048576 bytes/arena"));
    let back = apply(s38, &[Action::SetVersion(Version::DEFAULT)]);
    assert_eq!(
        back.heap.alloc.stats(),
        s.heap.alloc.stats(),
        "deterministic"
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn pool_cursor_walks_the_map() {
    let s = apply(Rc::new(State::new()), &[Action::Seek(10)]);
    let order = s.pool_order();
    assert!(!order.is_empty());
    let s = apply(s, &[Action::MoveCursor(0)]);
    assert_eq!(s.selected, Some(order[0]));
    let s = apply(s, &[Action::MoveCursor(1)]);
    assert_eq!(s.selected, Some(order[1]));
    let s = apply(s, &[Action::MoveCursor(-100)]);
    assert_eq!(s.selected, Some(order[0]), "clamped at the first pool");
    let s = apply(s, &[Action::MoveCursor(i32::MAX)]);
    assert_eq!(
        s.selected,
        order.last().copied(),
        "clamped at the last pool"
    );
    let s = apply(
        s,
        &[Action::SelectPool(None), Action::HoverPool(Some(order[2]))],
    );
    assert_eq!(s.selected, None);
    assert_eq!(s.hovered, Some(order[2]));
}
