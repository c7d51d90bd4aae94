//! A divider between panes: drag it, or focus it and use the arrow keys
//! (the WAI-ARIA window splitter pattern: `role="separator"` with a value).

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::state::Split;

/// Props of [`Splitter`].
#[derive(Properties, PartialEq)]
pub struct SplitterProps {
    /// Which divider.
    pub split: Split,
    /// Its size now (see [`Split`] for the unit).
    pub value: u8,
    /// The id of the element it sizes.
    pub controls: AttrValue,
    /// It was moved to this size (not yet clamped).
    pub onresize: Callback<(Split, u8)>,
}

/// A drag under way: where it started and how many pixels make 100%.
#[derive(Clone, Copy)]
struct Drag {
    from: f64,
    value: f64,
    per_100: f64,
}

/// True for the dividers between columns, which move sideways.
fn sideways(split: Split) -> bool {
    !matches!(split, Split::Graph)
}

/// +1 when moving the divider right (or down) grows what it sizes, -1
/// when it shrinks it (the side column is to the divider's right).
fn sign(split: Split) -> f64 {
    match split {
        Split::Side => -1.0,
        Split::Code | Split::Graph => 1.0,
    }
}

/// The size a key asks for, if the key is one the divider handles: the
/// arrows along it move it 2% that way, Page Up and Page Down grow and
/// shrink what it sizes by 10%, Home and End take it to its smallest and
/// largest.
pub fn size_for_key(split: Split, value: u8, key: &str) -> Option<u8> {
    let (lo, hi) = split.range();
    let grow = |d: i32| Some((i32::from(value) + d).clamp(i32::from(lo), i32::from(hi)) as u8);
    // Which way the divider moves: +1 right or down.
    let moves = match (sideways(split), key) {
        (true, "ArrowRight") | (false, "ArrowDown") => 1,
        (true, "ArrowLeft") | (false, "ArrowUp") => -1,
        _ => 0,
    };
    match key {
        "Home" => Some(lo),
        "End" => Some(hi),
        "PageUp" => grow(10),
        "PageDown" => grow(-10),
        _ if moves != 0 => grow(2 * moves * sign(split) as i32),
        _ => None,
    }
}

/// The divider.
#[component]
pub fn Splitter(props: &SplitterProps) -> Html {
    let drag: Rc<RefCell<Option<Drag>>> = use_mut_ref(|| None);
    // Yew delegates events, so `current_target` is not this element.
    let node = use_node_ref();
    let split = props.split;
    let (lo, hi) = split.range();
    let coord = move |e: &PointerEvent| {
        f64::from(if sideways(split) {
            e.client_x()
        } else {
            e.client_y()
        })
    };

    let onpointerdown = {
        let drag = drag.clone();
        let node = node.clone();
        let value = props.value;
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            let Some(el) = node.cast::<web_sys::Element>() else {
                return;
            };
            // Columns are sized in % of the layout's width, the graph in %
            // of the window's height.
            let per_100 = if sideways(split) {
                el.parent_element()
                    .map_or(0.0, |p| f64::from(p.client_width()))
            } else {
                web_sys::window()
                    .and_then(|w| w.inner_height().ok())
                    .and_then(|h| h.as_f64())
                    .unwrap_or(0.0)
            };
            if per_100 <= 0.0 {
                return;
            }
            e.prevent_default();
            // Keep the moves coming while the pointer leaves the divider.
            let _ = el.set_pointer_capture(e.pointer_id());
            *drag.borrow_mut() = Some(Drag {
                from: coord(&e),
                value: f64::from(value),
                per_100,
            });
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let onresize = props.onresize.clone();
        Callback::from(move |e: PointerEvent| {
            let Some(d) = *drag.borrow() else {
                return;
            };
            let size = d.value + sign(split) * (coord(&e) - d.from) * 100.0 / d.per_100;
            let size = size.round().clamp(f64::from(lo), f64::from(hi)) as u8;
            onresize.emit((split, size));
        })
    };
    let onpointerend = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| *drag.borrow_mut() = None)
    };
    let onkeydown = {
        let onresize = props.onresize.clone();
        let value = props.value;
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if let Some(size) = size_for_key(split, value, &e.key()) {
                // Handled here: the page's shortcuts (arrows step) leave it.
                e.prevent_default();
                onresize.emit((split, size));
            }
        })
    };
    let (orientation, unit) = if sideways(split) {
        ("vertical", "width")
    } else {
        ("horizontal", "window height")
    };
    let class = classes!(
        "splitter",
        if sideways(split) {
            "splitter-col"
        } else {
            "splitter-row"
        },
        format!("splitter-{}", split_slug(split))
    );
    html! {
        <div {class} ref={node} role="separator" tabindex="0"
            aria-label={split.name()}
            aria-orientation={orientation}
            aria-controls={props.controls.clone()}
            aria-valuemin={lo.to_string()}
            aria-valuemax={hi.to_string()}
            aria-valuenow={props.value.to_string()}
            aria-valuetext={format!("{}% of the {unit}", props.value)}
            {onpointerdown}
            {onpointermove}
            onpointerup={onpointerend.clone()}
            onpointercancel={onpointerend}
            {onkeydown}
        />
    }
}

/// A class-name fragment for `split`.
fn split_slug(split: Split) -> &'static str {
    match split {
        Split::Code => "code",
        Split::Side => "side",
        Split::Graph => "graph",
    }
}
