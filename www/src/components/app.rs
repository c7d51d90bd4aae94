//! The root component: owns the [`State`] reducer, playback and the
//! keyboard shortcuts, and lays out the page.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::arena_map::ArenaMap;
use crate::components::bench_page::BenchPage;
use crate::components::controls::Controls;
use crate::components::legend::Legend;
use crate::components::narration::Narration;
use crate::components::pool_inspector::PoolInspector;
use crate::components::scrubber::Scrubber;
use crate::components::stats_panel::StatsPanel;
use crate::components::usable_arenas::UsableArenas;
use crate::components::version_select::VersionSelect;
use crate::hooks::{
    leave_key_to_target, use_interval, use_prefers_dark, use_reduced_motion, use_window_event,
};
use crate::model::{self, HeapRef, PoolId, Version};
use crate::render::Marks;
use crate::state::{Action, State};
use crate::summary;

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

/// What a key press asks for, if it is one of the global shortcuts.
pub fn shortcut(key: &str) -> Option<Action> {
    match key {
        "ArrowRight" => Some(Action::StepForward),
        "ArrowLeft" => Some(Action::StepBack),
        " " | "Spacebar" => Some(Action::TogglePlay),
        "Home" => Some(Action::ToStart),
        "End" => Some(Action::ToEnd),
        _ => None,
    }
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

    // Global shortcuts: ←/→, space, Home/End — unless a form field or the
    // focused map has already handled the key.
    {
        let dispatcher = state.dispatcher();
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
                    || leave_key_to_target(k.target(), &k.key())
                {
                    return;
                }
                if let Some(action) = shortcut(&k.key()) {
                    k.prevent_default();
                    dispatcher.dispatch(action);
                }
            }),
        );
    }

    let dispatch = |a: Action| {
        let d = state.dispatcher();
        Callback::from(move |()| d.dispatch(a))
    };
    let onversion = {
        let d = state.dispatcher();
        Callback::from(move |v: Version| d.dispatch(Action::SetVersion(v)))
    };
    let onseek = {
        let d = state.dispatcher();
        Callback::from(move |s: usize| d.dispatch(Action::Seek(s)))
    };
    let onspeed = {
        let d = state.dispatcher();
        Callback::from(move |i: usize| d.dispatch(Action::SetSpeed(i)))
    };
    let onselect = {
        let d = state.dispatcher();
        Callback::from(move |p: Option<PoolId>| d.dispatch(Action::SelectPool(p)))
    };
    let onhover = {
        let d = state.dispatcher();
        Callback::from(move |p: Option<PoolId>| d.dispatch(Action::HoverPool(p)))
    };
    let onmove = {
        let d = state.dispatcher();
        Callback::from(move |delta: i32| d.dispatch(Action::MoveCursor(delta)))
    };

    let heap = HeapRef(state.heap.clone());
    let trace = state.trace.clone();
    let step = state.step;
    let kinds = use_memo(TraceKey(trace.clone()), |t| {
        (0..=t.0.len())
            .map(|s| model::step_kind(&t.0, s))
            .collect::<Vec<_>>()
    });
    let events = trace.events(step);
    let event_lines: Rc<Vec<(String, String)>> = Rc::new(
        events
            .iter()
            .map(|e| {
                (
                    e.c_function().name(trace.version()).to_string(),
                    e.describe(),
                )
            })
            .collect(),
    );
    let marks = Marks {
        selected: state.selected,
        hovered: state.hovered,
        touched: summary::touched_pools(events),
    };
    let summary_text = summary::summary(&heap.alloc);
    let stats_text = use_memo((heap.clone(),), |(h,)| h.debugmallocstats());
    let narration = trace.narration(step);

    let mut classes = classes!("app");
    if reduced_motion {
        classes.push("reduced-motion");
    }

    html! {
        <div class={classes}>
            <header class="topbar">
                <h1 class="title">{ "pymem" }<span class="subtitle">{ " · CPython's small-object allocator, step by step" }</span></h1>
                <VersionSelect version={state.version} onchange={onversion} />
                <Controls
                    step={step}
                    last={state.last_step()}
                    playing={state.playing}
                    speed={state.speed}
                    onstart={dispatch(Action::ToStart)}
                    onback={dispatch(Action::StepBack)}
                    ontoggleplay={dispatch(Action::TogglePlay)}
                    onforward={dispatch(Action::StepForward)}
                    onend={dispatch(Action::ToEnd)}
                    onspeed={onspeed}
                />
            </header>
            <Scrubber step={step} last={state.last_step()} kinds={kinds} onseek={onseek} />
            <main class="layout">
                <section class="map-area" aria-labelledby="map-heading">
                    <h2 id="map-heading" class="visually-hidden">{ "Arena map" }</h2>
                    <p id="map-summary" class="map-summary">{ summary_text.clone() }</p>
                    <ArenaMap
                        heap={heap.clone()}
                        marks={marks}
                        dark={dark}
                        summary={AttrValue::from(summary_text)}
                        onselect={onselect}
                        onhover={onhover}
                        onmove={onmove}
                    />
                    <Legend dark={dark} />
                </section>
                <aside class="side" aria-label="Allocator state">
                    <Narration
                        scenario={AttrValue::from(trace.name().to_string())}
                        step={step}
                        last={state.last_step()}
                        text={AttrValue::from(narration)}
                        events={event_lines}
                        error={trace.error().map(|e| AttrValue::from(e.to_string()))}
                    />
                    <PoolInspector heap={heap.clone()} pool={state.hovered.or(state.selected)} />
                    <UsableArenas heap={heap.clone()} />
                    <StatsPanel text={AttrValue::from((*stats_text).clone())} />
                </aside>
            </main>
        </div>
    }
}

/// A trace compared by identity, as a memo key.
#[derive(Clone)]
struct TraceKey(Rc<model::Trace>);

impl PartialEq for TraceKey {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
