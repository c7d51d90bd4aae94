//! Frames and objects: the step's call stack and heap as boxes and arrows
//! (laid out by [`crate::graph`]), with refcount badges, the generation as
//! a coloured and labelled edge, cycles highlighted, and during a
//! collection each candidate's `gc_refs`. Zoom with the wheel or the
//! buttons, pan by dragging; click or use the arrow keys to select.

use std::rc::Rc;

use yew::prelude::*;

use crate::components::graph_node::GraphNode;
use crate::gcview::GcNow;
use crate::graph::{
    self, in_view, Graph, Px, Row, Slots, Viewport, FRAME_W, HEAD_H, NODE_W, ROW_H,
};
use crate::hooks::use_element_size;
use crate::model::{ObjRef, ProgramState, ProgramTrace, Shared};

/// Props of [`GraphView`].
#[derive(Properties, PartialEq)]
pub struct GraphViewProps {
    /// The run.
    pub trace: Shared<ProgramTrace>,
    /// The state shown.
    pub view: Shared<ProgramState>,
    /// Shared objects are written inline instead of boxed.
    pub hide_shared: bool,
    /// The selected object.
    pub selected: Option<ObjRef>,
    /// The collector now (for `gc_refs` during a collection).
    pub gc: Rc<GcNow>,
    /// Animate changes.
    pub animate: bool,
    /// This picture is far from the one before (a seek, another run):
    /// boxes are reused rather than animated.
    pub jump: bool,
    /// An object was picked (or the background: `None`).
    pub onselect: Callback<Option<ObjRef>>,
    /// The "Show shared objects" toggle.
    pub ontoggleshared: Callback<()>,
}

/// Zoom and pan: screen = heap × scale + offset.
#[derive(Copy, Clone, Debug, PartialEq)]
struct Camera {
    scale: f64,
    x: f64,
    y: f64,
}

impl Camera {
    const HOME: Camera = Camera {
        scale: 1.0,
        x: 0.0,
        y: 0.0,
    };

    /// What a `w` × `h` screen shows of the drawing (`None` before the
    /// screen is measured).
    fn viewport(self, w: f64, h: f64) -> Option<Viewport> {
        (w > 0.0 && h > 0.0).then(|| {
            [
                -self.x / self.scale,
                -self.y / self.scale,
                (w - self.x) / self.scale,
                (h - self.y) / self.scale,
            ]
        })
    }

    /// Moved so the box `b` is on a `w` × `h` screen, near its top left
    /// corner, if it is not wholly on it already.
    fn showing(self, b: [f64; 4], w: f64, h: f64) -> Camera {
        match self.viewport(w, h) {
            Some(v) if b[0] < v[0] || b[1] < v[1] || b[2] > v[2] || b[3] > v[3] => Camera {
                x: 40.0 - b[0] * self.scale,
                y: 40.0 - b[1] * self.scale,
                ..self
            },
            _ => self,
        }
    }

    /// Zoomed by `factor` about the screen point (`px`, `py`).
    fn zoomed(self, factor: f64, px: f64, py: f64) -> Camera {
        let scale = (self.scale * factor).clamp(0.1, 4.0);
        let f = scale / self.scale;
        Camera {
            scale,
            x: px - (px - self.x) * f,
            y: py - (py - self.y) * f,
        }
    }
}

/// A count for a badge: immortal objects' huge counts are not numbers a
/// reader should compare.
pub(crate) fn refcnt_text(refcnt: u64) -> String {
    if refcnt >= 1 << 29 {
        "∞".to_string()
    } else {
        refcnt.to_string()
    }
}

/// Trims a label to `n` characters.
pub(crate) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// A box's rows, `width` wide: each label, then a dot where its arrow
/// starts or the inline value (labels and values clipped to so many
/// characters).
pub(crate) fn rows_html(rows: &[Row], width: f64, label_chars: usize, inline_chars: usize) -> Html {
    html! {
        { for rows.iter().enumerate().map(|(k, r)| {
            let y = HEAD_H + ROW_H * k as f64 + 4.0;
            html! {
                <>
                    <text class="var" x="8" y={y.to_string()}>{ clip(&r.label, label_chars) }</text>
                    if r.to.is_some() {
                        <circle class="dot" cx={(width - 8.0).to_string()} cy={(y - 4.0).to_string()} r="3" />
                    } else {
                        <text class="inline" x={(width - 8.0).to_string()} y={y.to_string()} text-anchor="end">{ clip(&r.inline, inline_chars) }</text>
                    }
                </>
            }
        }) }
    }
}

/// The keys of the picture's boxes and arrows ([`Slots`]), kept from one
/// picture to the next.
#[derive(Default)]
struct Keys {
    /// The picture they are for.
    graph: Option<Rc<Graph>>,
    nodes: Slots<ObjRef>,
    arrows: Slots<String>,
    node_keys: Rc<[u32]>,
    arrow_keys: Rc<[u32]>,
    /// The picture came by a jump (`GraphViewProps::jump`).
    jump: bool,
    /// Boxes and arrows of the picture before that this one lost, with
    /// their keys: drawn fading out for a moment after a step.
    leaving_nodes: Rc<[(u32, graph::NodeBox)]>,
    leaving_arrows: Rc<[(u32, graph::Arrow)]>,
    /// Bumped when there is something leaving, to clear it once faded.
    leaving_since: u32,
}

/// The frames-and-objects view.
#[component]
pub fn GraphView(props: &GraphViewProps) -> Html {
    let graph = {
        let key = (props.trace.clone(), props.view.clone(), props.hide_shared);
        use_memo(key, |(t, v, hide)| {
            graph::layout(t, &v.frames, &v.objects, *hide)
        })
    };
    let keys = use_mut_ref(Keys::default);
    let (node_keys, arrow_keys, jump, leaving_nodes, leaving_arrows, leaving_since) = {
        let mut k = keys.borrow_mut();
        if !k.graph.as_ref().is_some_and(|g| Rc::ptr_eq(g, &graph)) {
            k.jump = props.jump;
            let jump = k.jump;
            // What a step removed fades out (on a jump it just goes).
            let (mut gone_nodes, mut gone_arrows) = (Vec::new(), Vec::new());
            if let (Some(before), false, true) = (&k.graph, jump, props.animate) {
                let now: std::collections::HashSet<ObjRef> =
                    graph.nodes.iter().map(|n| n.obj).collect();
                gone_nodes = before
                    .nodes
                    .iter()
                    .zip(k.node_keys.iter())
                    .filter(|(n, _)| !now.contains(&n.obj))
                    .map(|(n, &key)| (key, n.clone()))
                    .collect();
                let now: std::collections::HashSet<&str> =
                    graph.arrows.iter().map(|a| a.key.as_str()).collect();
                gone_arrows = before
                    .arrows
                    .iter()
                    .zip(k.arrow_keys.iter())
                    .filter(|(a, _)| !now.contains(a.key.as_str()))
                    .map(|(a, &key)| (key, a.clone()))
                    .collect();
            }
            let objs: Vec<ObjRef> = graph.nodes.iter().map(|n| n.obj).collect();
            let arrows: Vec<String> = graph.arrows.iter().map(|a| a.key.clone()).collect();
            k.node_keys = k.nodes.assign(&objs, jump).into();
            k.arrow_keys = k.arrows.assign(&arrows, jump).into();
            if !gone_nodes.is_empty()
                || !gone_arrows.is_empty()
                || !k.leaving_nodes.is_empty()
                || !k.leaving_arrows.is_empty()
            {
                k.leaving_since = k.leaving_since.wrapping_add(1);
            }
            k.leaving_nodes = gone_nodes.into();
            k.leaving_arrows = gone_arrows.into();
            k.graph = Some(graph.clone());
        }
        (
            k.node_keys.clone(),
            k.arrow_keys.clone(),
            k.jump,
            k.leaving_nodes.clone(),
            k.leaving_arrows.clone(),
            k.leaving_since,
        )
    };
    // Once faded, what left is dropped (a new step drops it sooner).
    {
        let keys = keys.clone();
        let redraw = use_force_update();
        let pending = !leaving_nodes.is_empty() || !leaving_arrows.is_empty();
        use_effect_with((leaving_since, pending), move |&(since, pending)| {
            let timer = pending.then(|| {
                gloo_timers::callback::Timeout::new(crate::render::ANIMATION_MS as u32, move || {
                    let mut k = keys.borrow_mut();
                    if k.leaving_since == since {
                        k.leaving_nodes = Rc::from([]);
                        k.leaving_arrows = Rc::from([]);
                        drop(k);
                        redraw.force_update();
                    }
                })
            });
            move || drop(timer)
        });
    }
    let camera = use_state(|| Camera::HOME);
    let drag = use_mut_ref(|| None::<(f64, f64, Camera)>);
    let svg_ref = use_node_ref();
    let (screen_w, screen_h, _) = use_element_size(svg_ref.clone(), true);

    let onwheel = {
        let camera = camera.clone();
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let factor = if e.delta_y() < 0.0 { 1.1 } else { 1.0 / 1.1 };
            camera.set(camera.zoomed(factor, f64::from(e.offset_x()), f64::from(e.offset_y())));
        })
    };
    let onpointerdown = {
        let drag = drag.clone();
        let camera = camera.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() == 0 {
                *drag.borrow_mut() =
                    Some((f64::from(e.client_x()), f64::from(e.client_y()), *camera));
            }
        })
    };
    let onpointermove = {
        let drag = drag.clone();
        let camera = camera.clone();
        Callback::from(move |e: PointerEvent| {
            if let Some((x0, y0, c)) = *drag.borrow() {
                let (dx, dy) = (f64::from(e.client_x()) - x0, f64::from(e.client_y()) - y0);
                if dx.abs() + dy.abs() > 3.0 {
                    camera.set(Camera {
                        x: c.x + dx,
                        y: c.y + dy,
                        ..c
                    });
                }
            }
        })
    };
    let onpointerup = {
        let drag = drag.clone();
        Callback::from(move |_: PointerEvent| {
            *drag.borrow_mut() = None;
        })
    };
    let zoom_button = |factor: f64| {
        let camera = camera.clone();
        Callback::from(move |_: MouseEvent| camera.set(camera.zoomed(factor, 0.0, 0.0)))
    };
    let onfit = {
        let camera = camera.clone();
        let graph = graph.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |_: MouseEvent| {
            let (w, h) = svg_ref
                .cast::<web_sys::Element>()
                .map_or((800.0, 500.0), |e| {
                    let r = e.get_bounding_client_rect();
                    (r.width(), r.height())
                });
            let scale = (w / graph.width.max(1.0))
                .min(h / graph.height.max(1.0))
                .clamp(0.1, 1.0);
            camera.set(Camera {
                scale,
                x: 0.0,
                y: 0.0,
            });
        })
    };

    // Arrow keys walk the selection through the boxes in layout order,
    // and the view follows it.
    let onkeydown = {
        let graph = graph.clone();
        let onselect = props.onselect.clone();
        let selected = props.selected;
        let camera = camera.clone();
        Callback::from(move |e: KeyboardEvent| {
            let delta: i64 = match e.key().as_str() {
                "ArrowDown" | "ArrowRight" => 1,
                "ArrowUp" | "ArrowLeft" => -1,
                _ => return,
            };
            e.prevent_default();
            let n = graph.nodes.len() as i64;
            if n == 0 {
                return;
            }
            let at = selected
                .and_then(|s| graph.nodes.iter().position(|b| b.obj == s))
                .map_or(if delta > 0 { 0 } else { n - 1 }, |i| {
                    (i as i64 + delta).rem_euclid(n)
                });
            let Some(b) = graph.nodes.get(at as usize) else {
                return;
            };
            let moved = camera.showing([b.x, b.y, b.x + NODE_W, b.y + b.h], screen_w, screen_h);
            if moved != *camera {
                camera.set(moved);
            }
            onselect.emit(Some(b.obj));
        })
    };
    let onbackground = {
        let onselect = props.onselect.clone();
        Callback::from(move |e: MouseEvent| {
            let on_node = e
                .target_dyn_into::<web_sys::Element>()
                .and_then(|t| t.closest(".node").ok().flatten())
                .is_some();
            if !on_node {
                onselect.emit(None);
            }
        })
    };

    let cam = *camera;
    let g: &Graph = &graph;
    let selected = props.selected;
    let gc = &props.gc;
    // The selected object's neighbours, found once rather than per box.
    let neighbours: std::collections::HashSet<ObjRef> = selected
        .map(|s| {
            g.arrows
                .iter()
                .filter_map(|a| match a.from {
                    Some(f) if f == s => Some(a.to),
                    Some(f) if a.to == s => Some(f),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let linked = |r: ObjRef| neighbours.contains(&r);
    let label = format!(
        "Object graph: {} frames, {} objects{}. Arrow keys select an object.",
        g.frames.len(),
        g.nodes.len(),
        if g.hidden.is_empty() {
            String::new()
        } else {
            format!(
                ", {} more not drawn",
                g.hidden.iter().map(|h| h.1).sum::<usize>()
            )
        }
    );
    let active = selected
        .filter(|s| g.node(*s).is_some())
        .map(|s| format!("node-{}", s.0));

    let frames = g.frames.iter().map(|f| {
        html! {
            <g class="frame" key={format!("frame-{}-{}", f.name, f.y)}
                style={format!("transform: translate({}px, {}px)", Px(f.x), Px(f.y))}>
                <rect class="frame-box" width={FRAME_W.to_string()} height={f.h.to_string()} rx="4" />
                <text class="frame-name" x="8" y="17">{ clip(&f.name, 20) }</text>
                <text class="frame-line" x={(FRAME_W - 8.0).to_string()} y="17" text-anchor="end">{ format!("line {}", f.line) }</text>
                <line class="rule" x1="0" x2={FRAME_W.to_string()} y1={(HEAD_H - 10.0).to_string()} y2={(HEAD_H - 10.0).to_string()} />
                { rows_html(&f.rows, FRAME_W, 14, 12) }
            </g>
        }
    });

    // Only what is on screen (or near it) is in the DOM: a seek then
    // patches a few dozen boxes, not 300. The selection is always there,
    // for `aria-activedescendant`.
    let view = cam.viewport(screen_w, screen_h);
    const NEAR: f64 = 120.0;
    let shows = |b: [f64; 4]| view.is_none_or(|v| in_view(b, v, NEAR));
    let nodes = g.nodes.iter().zip(node_keys.iter());
    let nodes = nodes.filter(|(n, _)| {
        selected == Some(n.obj) || shows([n.x, n.y, n.x + NODE_W + 14.0, n.y + n.h + 8.0])
    });
    let nodes = nodes.map(|(n, &key)| {
        html! {
            <GraphNode key={key}
                node={n.clone()}
                selected={selected == Some(n.obj)}
                linked={linked(n.obj)}
                candidate={gc.candidate(n.obj)}
                onselect={props.onselect.clone()} />
        }
    });
    let leaving = leaving_nodes
        .iter()
        .filter(|(_, n)| shows([n.x, n.y, n.x + NODE_W, n.y + n.h]));
    let leaving = leaving.map(|(key, n)| {
        html! {
            <GraphNode key={*key} node={n.clone()} selected=false linked=false candidate={None}
                leaving=true onselect={props.onselect.clone()} />
        }
    });
    let arrows_leaving = leaving_arrows.iter().filter(|(_, a)| shows(a.bounds));
    let arrows_leaving = arrows_leaving.map(|(key, a)| {
        html! {
            <path key={*key} class="arrow leaving" d={a.path.clone()} marker-end="url(#head)" />
        }
    });

    let arrows = g.arrows.iter().zip(arrow_keys.iter());
    let arrows = arrows.filter(|(a, _)| shows(a.bounds)).map(|(a, &key)| {
        let mut class = classes!("arrow");
        if a.cycle {
            class.push("cycle");
        }
        if selected.is_some_and(|s| a.to == s || a.from == Some(s)) {
            class.push("linked");
        }
        let marker = if a.cycle {
            "url(#head-cycle)"
        } else {
            "url(#head)"
        };
        html! {
            <path key={key} class={class} d={a.path.clone()} marker-end={marker} />
        }
    });

    let band_at = |top: f64, label: &'static str| {
        html! {
            <g class="band">
                <line x1="0" x2={g.width.to_string()} y1={top.to_string()} y2={top.to_string()} />
                <text x="12" y={(top + 18.0).to_string()}>{ label }</text>
            </g>
        }
    };
    let band = g.band_top.map(|top| {
        band_at(
            top,
            "Held only by each other, not from any frame: garbage waiting for the collector",
        )
    });
    let held_band = g.held_top.map(|top| {
        band_at(top, "Held by the interpreter, not by a variable: its value stack, or a code object's constants")
    });

    let toggle = props.ontoggleshared.reform(|_: MouseEvent| ());
    html! {
        <section class="panel graph-panel" id="graph-panel" role="region" aria-label="Frames and objects">
            <div class="panel-head">
                <h2 class="panel-title">{ "Frames and objects" }</h2>
                <div class="graph-tools" role="group" aria-label="Graph view">
                    <button type="button" aria-pressed={if props.hide_shared { "false" } else { "true" }} onclick={toggle}
                        title="Small ints, interned strings, None and other immortal or start-up objects (s)">
                        { "Show shared objects" }
                    </button>
                    <button type="button" onclick={zoom_button(1.25)}>{ "Zoom in" }</button>
                    <button type="button" onclick={zoom_button(0.8)}>{ "Zoom out" }</button>
                    <button type="button" onclick={onfit}>{ "Fit" }</button>
                </div>
            </div>
            <svg ref={svg_ref} class={classes!("graph", jump.then_some("jump"))} tabindex="0" role="group" aria-label={label}
                aria-activedescendant={active}
                onwheel={onwheel} onpointerdown={onpointerdown} onpointermove={onpointermove}
                onpointerup={onpointerup.clone()} onpointerleave={onpointerup}
                onkeydown={onkeydown} onclick={onbackground}>
                <defs>
                    <marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="head" />
                    </marker>
                    <marker id="head-cycle" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="head cycle" />
                    </marker>
                </defs>
                <g class="camera" transform={format!("translate({:.1} {:.1}) scale({:.3})", cam.x, cam.y, cam.scale)}>
                    { for held_band }
                    { for band }
                    <g class="arrows">{ for arrows_leaving }{ for arrows }</g>
                    <g class="frames">{ for frames }</g>
                    <g class="nodes">{ for leaving }{ for nodes }</g>
                </g>
            </svg>
            if !g.hidden.is_empty() {
                <p class="graph-more">
                    { match g.hidden.iter().map(|h| h.1).sum::<usize>() {
                        1 => "1 more object not drawn: ".to_string(),
                        n => format!("{n} more objects not drawn: "),
                    } }
                    { g.hidden.iter().take(8).map(|(t, n)| format!("{n} {t}")).collect::<Vec<_>>().join(", ") }
                </p>
            }
            if g.nodes.is_empty() && g.frames.iter().all(|f| f.rows.is_empty()) {
                <p class="muted graph-empty">{ "No variables yet: step forward to run the first line." }</p>
            }
        </section>
    }
}
