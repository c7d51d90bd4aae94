//! Custom hooks: media queries, window events, intervals, element size,
//! and recording in the worker.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Interval;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::model::{self, ProgramTrace, Shared, Version};
use crate::state::{Action, State};
use crate::worker::{RecordingWorker, WorkerMsg};
use pymem::program::TraceReceiver;

/// Whether a CSS media query matches, kept up to date.
#[hook]
pub fn use_media_query(query: &'static str) -> bool {
    let matches = use_state(|| media_matches(query));
    {
        let matches = matches.clone();
        use_effect_with(query, move |q| {
            let mql = web_sys::window().and_then(|w| w.match_media(q).ok().flatten());
            let listener = mql.map(|mql| {
                let target = mql.clone();
                EventListener::new(&mql, "change", move |_| matches.set(target.matches()))
            });
            move || drop(listener)
        });
    }
    *matches
}

fn media_matches(query: &str) -> bool {
    web_sys::window()
        .and_then(|w| w.match_media(query).ok().flatten())
        .is_some_and(|m| m.matches())
}

/// True when the user prefers a dark colour scheme.
#[hook]
pub fn use_prefers_dark() -> bool {
    use_media_query("(prefers-color-scheme: dark)")
}

/// True when the user asked for reduced motion.
#[hook]
pub fn use_reduced_motion() -> bool {
    use_media_query("(prefers-reduced-motion: reduce)")
}

/// Calls `callback` every `period_ms` while `period_ms` is `Some`.
#[hook]
pub fn use_interval(callback: Callback<()>, period_ms: Option<u32>) {
    let cb = use_mut_ref(|| callback.clone());
    *cb.borrow_mut() = callback;
    use_effect_with(period_ms, move |period| {
        let interval = period.map(|ms| {
            let cb = cb.clone();
            Interval::new(ms.max(1), move || cb.borrow().emit(()))
        });
        move || drop(interval)
    });
}

/// Listens to `event` on `window` for the component's lifetime; the latest
/// `callback` is always the one called.
#[hook]
pub fn use_window_event(event: &'static str, callback: Callback<web_sys::Event>) {
    let cb: Rc<RefCell<Callback<web_sys::Event>>> = use_mut_ref(|| callback.clone());
    *cb.borrow_mut() = callback;
    use_effect_with(event, move |event| {
        let listener = web_sys::window().map(|w| {
            let cb = cb.clone();
            // Not passive, so handlers may call `prevent_default`.
            let opts = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&w, *event, opts, move |e| cb.borrow().emit(e.clone()))
        });
        move || drop(listener)
    });
}

/// The width in CSS pixels of the element behind `node` and the device
/// pixel ratio, re-read when the window or the element resizes.
#[hook]
pub fn use_element_width(node: NodeRef) -> (f64, f64) {
    let (w, _, dpr) = use_element_size(node, false);
    (w, dpr)
}

/// The width and (with `height`; 0 otherwise, so a change of height
/// alone re-renders nothing) the height in CSS pixels of the element
/// behind `node`, and the device pixel ratio, re-read when the window or
/// the element resizes.
#[hook]
pub fn use_element_size(node: NodeRef, height: bool) -> (f64, f64, f64) {
    let size = use_state(|| (0.0_f64, 0.0_f64, 1.0_f64));
    let measure = {
        let size = size.clone();
        let node = node.clone();
        Callback::from(move |_: web_sys::Event| {
            let (w, h) = node.cast::<web_sys::Element>().map_or((0.0, 0.0), |e| {
                let r = e.get_bounding_client_rect();
                (r.width(), if height { r.height() } else { 0.0 })
            });
            let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
            if (w, h, dpr) != *size {
                size.set((w, h, dpr));
            }
        })
    };
    {
        let measure = measure.clone();
        use_effect_with(node, move |node| {
            if let Ok(e) = web_sys::Event::new("init") {
                measure.emit(e.clone());
            }
            // Re-measure whenever the element itself changes size.
            let on_resize = Closure::<dyn FnMut()>::new(move || {
                if let Ok(e) = web_sys::Event::new("resize") {
                    measure.emit(e);
                }
            });
            let observer = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
            if let (Some(o), Some(el)) = (&observer, node.cast::<web_sys::Element>()) {
                o.observe(&el);
            }
            move || {
                if let Some(o) = observer {
                    o.disconnect();
                }
                drop(on_resize);
            }
        });
    }
    use_window_event("resize", measure);
    *size
}

/// Whether a global shortcut should leave `key` to the element it was
/// pressed on: text fields, range inputs and selects keep every key; buttons
/// keep space and Enter (they activate them).
pub fn leave_key_to_target(target: Option<web_sys::EventTarget>, key: &str) -> bool {
    let tag = target
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .map(|e| e.tag_name().to_ascii_lowercase());
    match tag.as_deref() {
        Some("input" | "select" | "textarea") => true,
        Some("button") => matches!(key, " " | "Spacebar" | "Enter"),
        _ => false,
    }
}

/// The page's side of recording off the main thread ([`crate::worker`]).
#[derive(Default)]
struct Recording {
    worker: Option<RecordingWorker>,
    /// The run last sent to the worker, and its version.
    run: Option<u32>,
    version: Option<Version>,
    /// The worker is still recording `run`.
    busy: bool,
    /// What has arrived of `run`.
    rx: Option<TraceReceiver>,
    /// The current worker said it is ready.
    ready: bool,
}

/// Records the state's runs in a worker while the page stays responsive:
/// starts the worker (and switches the state to background recording once
/// it is up), sends each new run, turns the parts that come back into
/// [`Action::Received`], and carries out [`Action::Stop`]. Where no
/// worker can start, the state keeps recording on the spot.
#[hook]
pub fn use_recording(state: &UseReducerHandle<State>) {
    let rec = use_mut_ref(Recording::default);
    {
        let rec = rec.clone();
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_worker(&rec, &d);
            move || {
                rec.borrow_mut().worker = None;
            }
        });
    }
    let d = state.dispatcher();
    let (version, source) = (state.version, state.source.clone());
    let job = (
        state.run,
        state.recording && state.background,
        state.stopping,
    );
    use_effect_with(job, move |&(run, wanted, stopping)| {
        if stopping {
            stop_run(&rec, &d, version);
        } else if wanted {
            start_run(&rec, &d, run, version, &source);
        }
    });
}

/// Starts a worker into `rec`; a failure leaves recording on the spot.
fn spawn_worker(rec: &Rc<RefCell<Recording>>, d: &UseReducerDispatcher<State>) {
    let weak = Rc::downgrade(rec);
    let dd = d.clone();
    let worker = RecordingWorker::spawn(move |msg| {
        if let Some(rec) = weak.upgrade() {
            on_worker_msg(&rec, &dd, msg);
        }
    });
    match worker {
        Ok(w) => {
            let mut r = rec.borrow_mut();
            r.worker = Some(w);
            r.ready = false;
        }
        Err(_) => d.dispatch(Action::UseWorker(false)),
    }
}

/// Sends run `run` to the worker (a fresh one if the old is still busy:
/// a run cannot be interrupted from inside).
fn start_run(
    rec: &Rc<RefCell<Recording>>,
    d: &UseReducerDispatcher<State>,
    run: u32,
    version: Version,
    source: &str,
) {
    if rec.borrow().run == Some(run) {
        return;
    }
    let busy = rec.borrow().busy;
    if busy || rec.borrow().worker.is_none() {
        rec.borrow_mut().worker = None;
        spawn_worker(rec, d);
    }
    let mut r = rec.borrow_mut();
    let sent = r.worker.as_ref().map(|w| w.record(run, version, source));
    match sent {
        Some(Ok(())) => {
            r.run = Some(run);
            r.version = Some(version);
            r.busy = true;
            r.rx = None;
        }
        _ => {
            r.worker = None;
            drop(r);
            d.dispatch(Action::UseWorker(false));
        }
    }
}

/// Stops the run under way: the worker goes, the trace so far stays.
fn stop_run(rec: &Rc<RefCell<Recording>>, d: &UseReducerDispatcher<State>, version: Version) {
    let mut r = rec.borrow_mut();
    let Some(run) = r.run.filter(|_| r.busy) else {
        return;
    };
    r.worker = None;
    r.busy = false;
    let trace = end_trace(r.rx.take(), version, |n| {
        format!("Stopped at step {n}: the rest of the program was not run.")
    });
    drop(r);
    d.dispatch(Action::Received {
        run,
        trace: Shared(Rc::new(trace)),
        done: true,
    });
}

/// The trace of a run cut short, with the reason `why(last step)`.
fn end_trace(
    rx: Option<TraceReceiver>,
    version: Version,
    why: impl Fn(usize) -> String,
) -> ProgramTrace {
    match rx {
        Some(mut rx) => {
            rx.stop(why(rx.trace().len()));
            rx.into_trace()
        }
        None => ProgramTrace::unfinished(version, model::FILE_NAME, why(0)),
    }
}

fn on_worker_msg(rec: &Rc<RefCell<Recording>>, d: &UseReducerDispatcher<State>, msg: WorkerMsg) {
    match msg {
        WorkerMsg::Ready => {
            rec.borrow_mut().ready = true;
            d.dispatch(Action::UseWorker(true));
        }
        WorkerMsg::Part(run, part) => {
            let mut r = rec.borrow_mut();
            if r.run != Some(run) || !r.busy {
                return;
            }
            if part.is_first() {
                r.rx = TraceReceiver::new(*part);
            } else if let Some(rx) = r.rx.as_mut() {
                rx.push(*part);
            }
            let Some(rx) = r.rx.as_ref() else {
                return;
            };
            let done = rx.is_done();
            let trace = if done {
                r.busy = false;
                r.rx.take().map(TraceReceiver::into_trace)
            } else {
                Some(rx.trace().clone())
            };
            drop(r);
            if let Some(trace) = trace {
                d.dispatch(Action::Received {
                    run,
                    trace: Shared(Rc::new(trace)),
                    done,
                });
            }
        }
        // A worker that never came up (its script or module would not
        // load) is a boot failure too.
        WorkerMsg::BootFailed(_) | WorkerMsg::Failed(_) if !rec.borrow().ready => {
            rec.borrow_mut().worker = None;
            // The run it had (if any) is recorded on the spot instead.
            d.dispatch(Action::UseWorker(false));
        }
        WorkerMsg::BootFailed(why) | WorkerMsg::Failed(why) => {
            // Not retried on the main thread: a model that failed in the
            // worker would fail there too, and take the page with it.
            let mut r = rec.borrow_mut();
            r.worker = None;
            let run = r.run.filter(|_| r.busy);
            r.busy = false;
            let rx = r.rx.take();
            let version = r.version;
            drop(r);
            if let (Some(run), Some(version)) = (run, version) {
                let trace = end_trace(rx, version, |n| {
                    format!("The recording stopped at step {n}: {why}")
                });
                d.dispatch(Action::Received {
                    run,
                    trace: Shared(Rc::new(trace)),
                    done: true,
                });
            }
        }
    }
}
