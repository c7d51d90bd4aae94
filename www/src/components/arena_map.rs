//! The arena map: every arena as its pools, every pool as its blocks, drawn
//! into one pixel buffer per frame. Hover or click selects a pool; when the
//! map has focus the arrow keys move the pool cursor. Between steps the
//! blocks that were filled or emptied fade to their new colour over
//! [`ANIMATION_MS`] (when `animate` is on).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

use crate::canvas::{blit, blit_rect, context_2d};
use crate::hooks::use_element_width;
use crate::model::{HeapRef, PoolId};
use crate::palette::Palette;
use crate::render::{
    band_label, blend, copy_rect, draw_marks, mark_rects, render_base_into, Layout, Marks,
    ANIMATION_MS, POOLS_PER_ROW,
};
use crate::summary;

/// Props of [`ArenaMap`].
#[derive(Properties, PartialEq)]
pub struct ArenaMapProps {
    /// The heap at the current step.
    pub heap: HeapRef,
    /// Selected, hovered and touched pools.
    pub marks: Marks,
    /// Dark theme.
    pub dark: bool,
    /// Fade blocks to their new state between steps (off under reduced
    /// motion and at high playback speeds).
    pub animate: bool,
    /// Text alternative of the map.
    pub summary: AttrValue,
    /// A pool was clicked (or empty space: `None`).
    pub onselect: Callback<Option<PoolId>>,
    /// The mouse moved onto a pool (or off all pools: `None`).
    pub onhover: Callback<Option<PoolId>>,
    /// Arrow keys: move the pool cursor by this many pools.
    pub onmove: Callback<i32>,
}

/// What is on the canvas, so a hover only repaints the pools it rings.
#[derive(Default)]
struct Drawn {
    /// The heap, theme and layout the base pixels were drawn for.
    key: Option<(HeapRef, bool, Rc<Layout>)>,
    /// Pools only, no rings.
    base: Vec<u8>,
    /// What the canvas ends up showing: `base` plus the rings of `marks`.
    frame: Vec<u8>,
    marks: Marks,
    /// What the canvas shows now: `frame`, or a step of the animation
    /// from `from` towards it.
    shown: Vec<u8>,
    from: Vec<u8>,
    /// Bumped by every redraw, so an older animation's next frame stops.
    generation: u32,
    /// An animation is under way.
    animating: bool,
}

/// What one frame of an animation needs.
struct Animation {
    drawn: Rc<RefCell<Drawn>>,
    el: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    layout: Rc<Layout>,
    generation: u32,
}

/// Draws the animation's next frame at the next vsync, and asks for the
/// one after until [`ANIMATION_MS`] have passed since `start` (the first
/// frame's time when `None`).
fn next_frame(a: Animation, start: Option<f64>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let f = Closure::once_into_js(move |now: f64| {
        let start = start.unwrap_or(now);
        let t = (now - start) / ANIMATION_MS;
        {
            let mut d = a.drawn.borrow_mut();
            if d.generation != a.generation {
                return;
            }
            let d = &mut *d;
            blend(&d.from, &d.frame, t, &mut d.shown);
            let _ = blit(&a.el, &a.ctx, &d.shown, a.layout.width, a.layout.height);
            if t >= 1.0 {
                d.animating = false;
                let _ = a.el.remove_attribute("data-animating");
                return;
            }
        }
        next_frame(a, Some(start));
    });
    let _ = window.request_animation_frame(f.unchecked_ref());
}

/// Where an arena's label goes over the canvas: its label row `top`
/// device pixels down, in CSS pixels. The labels are HTML, not canvas
/// text: `fillText` cost milliseconds a paint (the browser resolves the
/// font at every call), and HTML text is sharper and can be zoomed.
fn label_style(layout: &Layout, top: u32) -> String {
    let css = |px: u32| f64::from(px) / layout.dpr;
    format!(
        "left: {}px; top: {}px; height: {}px; line-height: {}px",
        css(layout.margin),
        css(top),
        css(layout.label),
        css(layout.label)
    )
}

/// What a key pressed on the focused map does.
pub fn map_key(key: &str) -> Option<i32> {
    match key {
        "ArrowLeft" => Some(-1),
        "ArrowRight" => Some(1),
        "ArrowUp" => Some(-(POOLS_PER_ROW as i32)),
        "ArrowDown" => Some(POOLS_PER_ROW as i32),
        "Enter" => Some(0),
        _ => None,
    }
}

/// The canvas and its accessible description.
#[component]
pub fn ArenaMap(props: &ArenaMapProps) -> Html {
    let container = use_node_ref();
    let canvas = use_node_ref();
    let (css_width, dpr) = use_element_width(container.clone());
    let drawn = use_mut_ref(Drawn::default);
    let arenas: Vec<_> = props.heap.alloc.arenas().collect();
    let layout = Rc::new(Layout::new(css_width.max(160.0), dpr, &arenas));
    let last_layout: Rc<RefCell<Rc<Layout>>> = use_mut_ref(|| layout.clone());
    *last_layout.borrow_mut() = layout.clone();

    {
        let canvas = canvas.clone();
        let animate = props.animate;
        let deps = (
            props.heap.clone(),
            props.marks.clone(),
            props.dark,
            layout.clone(),
        );
        use_effect_with(deps, move |(heap, marks, dark, layout)| {
            let Some(el) = canvas.cast::<web_sys::HtmlCanvasElement>() else {
                return;
            };
            let Some(ctx) = context_2d(&el) else {
                return;
            };
            // The canvas is only as wide as its pools; its CSS width keeps one
            // device pixel per backing pixel. Set through the CSSOM, which the
            // page's CSP allows (inline style attributes it does not).
            let css_px = format!("{}px", f64::from(layout.width) / layout.dpr);
            let _ = el.style().set_property("width", &css_px);
            let pal = Palette::for_theme(*dark);
            let mut guard = drawn.borrow_mut();
            let d = &mut *guard;
            // Whatever happens next replaces a running animation.
            d.generation = d.generation.wrapping_add(1);
            let was_animating = std::mem::replace(&mut d.animating, false);
            let _ = el.remove_attribute("data-animating");
            let key = (heap.clone(), *dark, layout.clone());
            let same_base = d.key.as_ref() == Some(&key)
                && el.width() == layout.width
                && el.height() == layout.height;
            if same_base && was_animating {
                // A hover during the fade: show the end of it at once.
                d.frame.clone_from(&d.base);
                draw_marks(&mut d.frame, layout, &pal, marks);
                d.marks = marks.clone();
                d.shown.clone_from(&d.frame);
                let _ = blit(&el, &ctx, &d.frame, layout.width, layout.height);
                return;
            }
            if same_base {
                // Only the rings moved: restore the pools that had one, ring
                // the new ones, and send just those rectangles.
                let mut dirty = mark_rects(layout, &d.marks);
                dirty.extend(mark_rects(layout, marks));
                for r in &dirty {
                    copy_rect(&d.base, &mut d.frame, layout.width, *r);
                }
                draw_marks(&mut d.frame, layout, &pal, marks);
                for r in &dirty {
                    copy_rect(&d.frame, &mut d.shown, layout.width, *r);
                    let _ = blit_rect(&ctx, &d.frame, layout.width, (r.x, r.y, r.w, r.h));
                }
                d.marks = marks.clone();
                return;
            }
            // A new heap. It fades in from what is on screen when the
            // canvas keeps its size and theme (a new arena changes the
            // size, and the map then redraws at once).
            let fades = animate
                && d.key.as_ref().is_some_and(|(_, was_dark, l)| {
                    *was_dark == *dark && l.width == layout.width && l.height == layout.height
                });
            render_base_into(&mut d.base, &heap.alloc, layout, &pal);
            d.frame.clone_from(&d.base);
            draw_marks(&mut d.frame, layout, &pal, marks);
            d.key = Some(key);
            d.marks = marks.clone();
            if fades && d.shown.len() == d.frame.len() && d.shown != d.frame {
                std::mem::swap(&mut d.from, &mut d.shown);
                d.shown.clone_from(&d.from);
                d.animating = true;
                let _ = el.set_attribute("data-animating", "true");
                let generation = d.generation;
                drop(guard);
                next_frame(
                    Animation {
                        drawn: drawn.clone(),
                        el,
                        ctx,
                        layout: layout.clone(),
                        generation,
                    },
                    None,
                );
                return;
            }
            d.shown.clone_from(&d.frame);
            let _ = blit(&el, &ctx, &d.frame, layout.width, layout.height);
        });
    }

    let pool_at = {
        let canvas = canvas.clone();
        let last_layout = last_layout.clone();
        move |e: &MouseEvent| -> Option<PoolId> {
            let el = canvas.cast::<web_sys::HtmlCanvasElement>()?;
            let r = el.get_bounding_client_rect();
            if r.width() <= 0.0 || r.height() <= 0.0 {
                return None;
            }
            let x = (f64::from(e.client_x()) - r.left()) * f64::from(el.width()) / r.width();
            let y = (f64::from(e.client_y()) - r.top()) * f64::from(el.height()) / r.height();
            last_layout.borrow().pool_at(x, y)
        }
    };
    let onmousemove = {
        let cb = props.onhover.clone();
        let pool_at = pool_at.clone();
        Callback::from(move |e: MouseEvent| cb.emit(pool_at(&e)))
    };
    let onmouseleave = {
        let cb = props.onhover.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    let onclick = {
        let cb = props.onselect.clone();
        Callback::from(move |e: MouseEvent| cb.emit(pool_at(&e)))
    };
    let onkeydown = {
        let onmove = props.onmove.clone();
        let onselect = props.onselect.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if e.key() == "Escape" {
                e.prevent_default();
                onselect.emit(None);
            } else if let Some(delta) = map_key(&e.key()) {
                e.prevent_default();
                onmove.emit(delta);
            }
        })
    };
    let cursor_text = props.marks.selected.map(|id| {
        summary::pool_rows(&props.heap.alloc, id)
            .into_iter()
            .filter(|(k, _)| matches!(*k, "pool" | "state" | "block size" | "count"))
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    });

    html! {
        <div class="map" ref={container}>
            <canvas
                ref={canvas}
                id="arena-map"
                role="img"
                aria-label="Allocator map"
                aria-describedby="map-summary"
                tabindex="0"
                {onmousemove}
                {onmouseleave}
                {onclick}
                {onkeydown}
            >
                { props.summary.clone() }
            </canvas>
            // The canvas's own text alternative (the summary) covers these.
            <div class="band-labels" aria-hidden="true">
                if layout.bands.is_empty() {
                    <span class="band-label" style={label_style(&layout, layout.margin)}>
                        { "No arenas yet: nothing has been allocated." }
                    </span>
                }
                { for layout.bands.iter().map(|band| html! {
                    <span class="band-label" style={label_style(&layout, band.top)}>
                        { band_label(&props.heap.alloc, band) }
                    </span>
                }) }
            </div>
            <p id="map-cursor" class="visually-hidden" aria-live="polite">{ cursor_text.unwrap_or_default() }</p>
        </div>
    }
}
