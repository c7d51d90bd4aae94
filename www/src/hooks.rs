//! Custom hooks: media queries, window events, intervals and element size.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Interval;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

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
/// pixel ratio, re-read when the window resizes.
#[hook]
pub fn use_element_width(node: NodeRef) -> (f64, f64) {
    let size = use_state(|| (0.0_f64, 1.0_f64));
    let measure = {
        let size = size.clone();
        let node = node.clone();
        Callback::from(move |_: web_sys::Event| {
            let w = node
                .cast::<web_sys::Element>()
                .map_or(0.0, |e| e.get_bounding_client_rect().width());
            let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
            if (w, dpr) != *size {
                size.set((w, dpr));
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
