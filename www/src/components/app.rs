//! The root component: owns the [`State`] reducer, playback and the
//! keyboard shortcuts, and lays out the page.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::arena_map::ArenaMap;
use crate::components::bench_page::BenchPage;
use crate::components::controls::Controls;
use crate::components::editor::Editor;
use crate::components::gc_panel::GcPanel;
use crate::components::graph_view::GraphView;
use crate::components::help::Help;
use crate::components::inspector::Inspector;
use crate::components::legend::Legend;
use crate::components::narration::Narration;
use crate::components::output::OutputPanel;
use crate::components::panes::PaneToggles;
use crate::components::pool_inspector::PoolInspector;
use crate::components::raw_strip::RawStrip;
use crate::components::run_status::RunStatus;
use crate::components::scrubber::Scrubber;
use crate::components::splitter::Splitter;
use crate::components::stats_panel::StatsPanel;
use crate::components::usable_arenas::UsableArenas;
use crate::components::version_select::VersionSelect;
use crate::hooks::{
    leave_key_to_target, use_interval, use_prefers_dark, use_recording, use_reduced_motion,
    use_window_event,
};
use crate::model::{self, HeapRef, ObjRef, PoolId, Shared, Version};
use crate::render::{BlockMark, Marks};
use crate::state::{Action, Pane, Split, State, ANIMATE_BELOW, SPEEDS};
use crate::{gcview, summary};

/// True when the page was opened with `?bench`.
fn bench_mode() -> bool {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| {
            s.trim_start_matches('?')
                .split('&')
                .any(|kv| kv == "bench" || kv.starts_with("bench="))
        })
}

/// Every global shortcut: (keys, what it does), for the help overlay.
pub const SHORTCUTS: [(&str, &str); 14] = [
    ("→", "Step forward (a line)"),
    ("←", "Step back (a line)"),
    (
        "Shift + → or .",
        "Forward one event (malloc, incref, a GC phase…)",
    ),
    ("Shift + ← or ,", "Back one event"),
    ("Space", "Play / pause"),
    ("Home", "Back to start"),
    ("End", "Run to end"),
    ("+ / −", "Faster / slower playback"),
    ("s", "Show or hide shared objects"),
    (
        "x",
        "Stop the program being recorded (keeps what it recorded)",
    ),
    ("Escape", "Deselect the object, close this help"),
    ("?", "Open this help"),
    (
        "Tab",
        "Move between controls and views; arrows then work inside a view",
    ),
    (
        "Arrows on a divider",
        "Resize the panes beside it (Page Up / Page Down: 10%, Home / End: smallest / largest)",
    ),
];

/// What a key press asks for, if it is one of the global shortcuts.
pub fn shortcut(key: &str, shift: bool, state: &State) -> Option<Action> {
    match (key, shift) {
        ("ArrowRight", false) => Some(Action::StepForward),
        ("ArrowLeft", false) => Some(Action::StepBack),
        ("ArrowRight", true) | (".", _) => Some(Action::EventForward),
        ("ArrowLeft", true) | (",", _) => Some(Action::EventBack),
        (" " | "Spacebar", _) => Some(Action::TogglePlay),
        ("Home", _) => Some(Action::ToStart),
        ("End", _) => Some(Action::ToEnd),
        ("+" | "=", _) => Some(Action::SetSpeed((state.speed + 1).min(SPEEDS.len() - 1))),
        ("-" | "_", _) => Some(Action::SetSpeed(state.speed.saturating_sub(1))),
        ("s" | "S", _) => Some(Action::ToggleShared),
        ("x" | "X", _) if state.recording => Some(Action::Stop),
        ("?", _) => Some(Action::SetHelp(true)),
        ("Escape", _) if state.help => Some(Action::SetHelp(false)),
        ("Escape", _) => Some(Action::Select(None)),
        _ => None,
    }
}

/// The layout's inline style: its grid columns (each column's width in %
/// of the layout's, `None` for a column with nothing shown, which gets
/// neither a track nor a divider) and the graph's height in % of the
/// window's. Narrow screens' media queries stack the columns instead.
pub fn layout_style(code: Option<u8>, side: Option<u8>, graph: u8) -> String {
    let mut cols = String::new();
    if let Some(w) = code {
        cols.push_str(&format!("minmax(12rem, {w}%) 7px "));
    }
    cols.push_str("minmax(0, 1fr)");
    if let Some(w) = side {
        cols.push_str(&format!(" 7px minmax(14rem, {w}%)"));
    }
    format!("--cols: {cols}; --graph-h: {graph}vh")
}

/// A callback that dispatches `f(x)`.
fn with<T: 'static>(d: &UseReducerDispatcher<State>, f: fn(T) -> Action) -> Callback<T> {
    let d = d.clone();
    Callback::from(move |x| d.dispatch(f(x)))
}

/// The app, or the benchmark page with `?bench`.
#[component]
pub fn App() -> Html {
    if bench_mode() {
        html! { <BenchPage /> }
    } else {
        html! { <Visualizer /> }
    }
}

/// The visualizer page.
#[component]
pub fn Visualizer() -> Html {
    let state = use_reducer(State::new);
    use_recording(&state);
    let dark = use_prefers_dark();
    let reduced_motion = use_reduced_motion();

    // Playback.
    {
        let dispatcher = state.dispatcher();
        let period = state
            .playing
            .then(|| 1000 / state.steps_per_second().max(1));
        use_interval(
            Callback::from(move |()| dispatcher.dispatch(Action::Tick)),
            period,
        );
    }

    // Global shortcuts, unless a form field or a focused view has already
    // handled the key.
    {
        let state = state.clone();
        use_window_event(
            "keydown",
            Callback::from(move |e: web_sys::Event| {
                use wasm_bindgen::JsCast;
                let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                if k.default_prevented()
                    || k.ctrl_key()
                    || k.meta_key()
                    || k.alt_key()
                    || (k.key() != "Escape" && leave_key_to_target(k.target(), &k.key()))
                {
                    return;
                }
                if let Some(action) = shortcut(&k.key(), k.shift_key(), &state) {
                    k.prevent_default();
                    state.dispatch(action);
                }
            }),
        );
    }

    let dispatch = |a: Action| {
        let d = state.dispatcher();
        Callback::from(move |()| d.dispatch(a.clone()))
    };
    let d = state.dispatcher();
    let onversion: Callback<Version> = with(&d, Action::SetVersion);
    let onseek: Callback<usize> = with(&d, Action::Seek);
    let onspeed: Callback<usize> = with(&d, Action::SetSpeed);
    let onselectpool: Callback<Option<PoolId>> = with(&d, Action::SelectPool);
    let onhover: Callback<Option<PoolId>> = with(&d, Action::HoverPool);
    let onmove: Callback<i32> = with(&d, Action::MoveCursor);
    let onselect: Callback<Option<ObjRef>> = with(&d, Action::Select);
    let onsource: Callback<Rc<str>> = with(&d, Action::SetSource);
    let onpane: Callback<Pane> = with(&d, Action::TogglePane);
    let onresize: Callback<(Split, u8)> = {
        let d = d.clone();
        Callback::from(move |(s, v)| d.dispatch(Action::Resize(s, v)))
    };
    let onevent = {
        let d = state.dispatcher();
        let step = state.step;
        Callback::from(move |k: usize| d.dispatch(Action::SeekEvent(step, k)))
    };

    let trace = Shared(state.trace.clone());
    let view = Shared(state.view.clone());
    let step = state.step;
    let done = state.events_done();
    let step_marks = use_memo(trace.clone(), |t| model::step_marks(t));
    let gc_stats = use_memo(trace.clone(), |t| gcview::stats_by_step(t));
    // Once per position, not per hover.
    let gc = use_memo((trace.clone(), step, done), |(t, s, d)| {
        gcview::at(t, &gc_stats, *s, *d)
    });

    // The selected object's blocks, ringed on the map.
    let selected_view = state.selected.and_then(|r| view.objects.get(&r).cloned());
    let heap = HeapRef(state.view.clone());
    let marks = Marks {
        selected: state.pool,
        hovered: state.hovered,
        touched: summary::touched_pools_program(&trace.events(step)[..done]),
        blocks: selected_view
            .as_ref()
            .map(|v| {
                v.blocks
                    .iter()
                    .filter_map(|b| match b.ptr {
                        model::Ptr::Block(r) => BlockMark::of(&view.heap.alloc, r),
                        model::Ptr::Raw(_) => None,
                    })
                    .collect()
            })
            .unwrap_or_default(),
    };
    let summary_text = summary::summary(&heap.alloc);
    let stats_text = use_memo((heap.clone(),), |(h,)| h.debugmallocstats());
    let animate = !reduced_motion && state.steps_per_second() < ANIMATE_BELOW;
    // A seek, a jump to either end or another run's trace is shown at
    // once, not faded into, by the map and the graph (which then reuses
    // boxes for other objects: graph.rs `Slots`).
    let shown_before = use_mut_ref(|| (step, trace.clone()));
    let jumped = {
        let before = std::mem::replace(&mut *shown_before.borrow_mut(), (step, trace.clone()));
        before.0.abs_diff(step) > 1 || before.1 != trace
    };
    let error = trace.output().error.clone();
    let last = state.last_step();
    let current_line = trace.line(step);
    let next_line = if step < last { trace.line(step + 1) } else { 0 };

    let mut classes = classes!("app");
    if !animate {
        classes.push("no-motion");
    }
    let shows = |p: Pane| state.shows(p);
    // A column with every pane hidden takes no room, and has no divider.
    let code_col = shows(Pane::Code) || shows(Pane::Output);
    let side_col = shows(Pane::Narration) || shows(Pane::Inspector) || shows(Pane::Gc);
    let layout_style = layout_style(
        code_col.then(|| state.size(Split::Code)),
        side_col.then(|| state.size(Split::Side)),
        state.size(Split::Graph),
    );
    let splitter = |split: Split, controls: &'static str| {
        html! {
            <Splitter split={split} value={state.size(split)} controls={controls} onresize={onresize.clone()} />
        }
    };

    html! {
        <div class={classes}>
            <header class="topbar">
                <h1 class="title">{ "pymem" }<span class="subtitle">{ " · how CPython manages memory, step by step" }</span></h1>
                <VersionSelect version={state.version} onchange={onversion} />
                <PaneToggles shown={Pane::ALL.iter().map(|&p| (p, shows(p))).collect::<Vec<_>>()} ontoggle={onpane} />
                <button type="button" class="help-button" aria-haspopup="dialog"
                    onclick={dispatch(Action::SetHelp(true)).reform(|_: MouseEvent| ())}>
                    { "Keyboard help" }<span aria-hidden="true">{ " (?)" }</span>
                </button>
            </header>
            <div class="transport">
                <Controls
                    step={step}
                    last={last}
                    sub={state.sub.map(|k| (k, trace.events(step).len()))}
                    playing={state.playing}
                    speed={state.speed}
                    onstart={dispatch(Action::ToStart)}
                    onback={dispatch(Action::StepBack)}
                    oneventback={dispatch(Action::EventBack)}
                    ontoggleplay={dispatch(Action::TogglePlay)}
                    oneventforward={dispatch(Action::EventForward)}
                    onforward={dispatch(Action::StepForward)}
                    onend={dispatch(Action::ToEnd)}
                    onspeed={onspeed}
                />
                <Scrubber step={step} last={last} marks={step_marks} onseek={onseek} />
                <RunStatus
                    recording={state.recording}
                    steps={state.recording_steps()}
                    stopping={state.stopping}
                    onstop={dispatch(Action::Stop)}
                />
            </div>
            <main class="layout" style={layout_style}>
                if code_col {
                <div class="col col-code" id="col-code">
                    if shows(Pane::Code) {
                        <Editor
                            source={state.source.clone()}
                            current={current_line}
                            next={next_line}
                            error={error}
                            onchange={onsource}
                        />
                    }
                    if shows(Pane::Output) {
                        <OutputPanel
                            stdout={AttrValue::from(trace.stdout_at(step).to_string())}
                            stderr={(step == last).then(|| AttrValue::from(trace.output().stderr.clone()))}
                            budget={trace.error().map(|e| AttrValue::from(e.to_string()))}
                        />
                    }
                </div>
                { splitter(Split::Code, "col-code") }
                }
                <div class="col col-main">
                    if shows(Pane::Graph) {
                        <GraphView
                            trace={trace.clone()}
                            view={view.clone()}
                            hide_shared={state.hide_shared}
                            selected={state.selected}
                            gc={gc.clone()}
                            animate={animate}
                            jump={jumped}
                            onselect={onselect.clone()}
                            ontoggleshared={dispatch(Action::ToggleShared)}
                        />
                        { splitter(Split::Graph, "graph-panel") }
                    }
                    if shows(Pane::Map) {
                        <section class="panel map-area" role="region" aria-label="Allocator map">
                            <h2 class="panel-title">{ "Allocator map" }</h2>
                            <p id="map-summary" class="map-summary">{ summary_text.clone() }</p>
                            <ArenaMap
                                heap={heap.clone()}
                                marks={marks}
                                dark={dark}
                                animate={animate && !jumped}
                                summary={AttrValue::from(summary_text)}
                                onselect={onselectpool}
                                onhover={onhover}
                                onmove={onmove}
                            />
                            <RawStrip heap={heap.clone()} selected={selected_view.clone()} />
                            <Legend dark={dark} />
                            <details class="alloc-details">
                                <summary>{ "Pools and arenas in detail" }</summary>
                                <PoolInspector heap={heap.clone()} pool={state.hovered.or(state.pool)} />
                                <UsableArenas heap={heap.clone()} />
                                <StatsPanel text={AttrValue::from((*stats_text).clone())} />
                            </details>
                        </section>
                    }
                </div>
                if side_col {
                { splitter(Split::Side, "col-side") }
                <div class="col col-side" id="col-side">
                    if shows(Pane::Narration) {
                        <Narration
                            trace={trace.clone()}
                            step={step}
                            done={done}
                            view={view.clone()}
                            onevent={onevent}
                        />
                    }
                    if shows(Pane::Inspector) {
                        <Inspector
                            version={trace.version()}
                            trace={trace.clone()}
                            view={view.clone()}
                            selected={state.selected}
                            onselect={onselect.clone()}
                        />
                    }
                    if shows(Pane::Gc) {
                        <GcPanel
                            trace={trace.clone()}
                            view={view.clone()}
                            step={step}
                            gc={gc}
                            onselect={onselect}
                        />
                    }
                </div>
                }
            </main>
            if state.help {
                <Help shortcuts={SHORTCUTS.to_vec()} onclose={dispatch(Action::SetHelp(false))} />
            }
        </div>
    }
}
