//! One object's box in the frames-and-objects view: type, generation,
//! preview and size, the refcount badge, `gc_refs` during a collection,
//! and its reference rows.
//!
//! A component of its own so that a step redraws only the boxes that
//! changed: on a big heap most of the 300 boxes are the same from one
//! step to the next, and Yew skips a component whose props are equal.

use yew::prelude::*;

use crate::components::graph_view::{clip, refcnt_text, rows_html};
use crate::gcview::Candidate;
use crate::graph::{self, NodeBox, Px, NODE_W};
use crate::model::{GcView, ObjRef};
use pymem::gc::List;

/// Props of [`GraphNode`].
#[derive(Properties)]
pub struct GraphNodeProps {
    /// The box, laid out.
    pub node: NodeBox,
    /// It is the selection.
    pub selected: bool,
    /// It refers to or is referred to by the selection.
    pub linked: bool,
    /// Its state in the collection under way, if any.
    pub candidate: Option<Candidate>,
    /// The object is gone: the box is fading out after a step.
    #[prop_or_default]
    pub leaving: bool,
    /// The box was clicked.
    pub onselect: Callback<Option<ObjRef>>,
}

impl PartialEq for GraphNodeProps {
    /// Everything drawn. `onselect` is left out: the parent makes a new
    /// one every render that does the same (selects the box's object), and
    /// comparing it would redraw every box every step.
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
            && self.selected == other.selected
            && self.linked == other.linked
            && self.candidate == other.candidate
            && self.leaving == other.leaving
    }
}

/// An object's box.
#[component]
pub fn GraphNode(props: &GraphNodeProps) -> Html {
    let n = &props.node;
    let v = &n.view;
    let cand = props.candidate;
    let mut class = classes!("node", graph::gc_class(v.gc));
    if n.cycle {
        class.push("cycle");
    }
    if n.unreachable {
        class.push("orphan");
    }
    if n.held {
        class.push("held");
    }
    if v.shared {
        class.push("shared");
    }
    if props.leaving {
        class.push("leaving");
    }
    if props.selected {
        class.push("selected");
    } else if props.linked {
        class.push("linked");
    }
    if cand.is_some_and(|c| c.list == Some(List::Unreachable)) {
        class.push("gc-unreachable");
    }
    let onclick = {
        let onselect = props.onselect.clone();
        let r = n.obj;
        Callback::from(move |_: MouseEvent| onselect.emit(Some(r)))
    };
    let gen_tag = match v.gc {
        GcView::NotGc => "not GC".to_string(),
        GcView::Untracked => "untracked".to_string(),
        GcView::Gen(g) => format!("gen {g}"),
        GcView::Permanent => "frozen".to_string(),
    };
    let aria = format!(
        "{} {} ({}), refcount {}, {} bytes, {}{}{}",
        n.type_name,
        n.obj.0,
        v.preview,
        refcnt_text(v.refcnt),
        v.getsizeof,
        gen_tag,
        if n.cycle { ", in a cycle" } else { "" },
        cand.map_or(String::new(), |c| format!(", gc_refs {}", c.gc_refs)),
    );
    html! {
        <g class={class} id={format!("node-{}", n.obj.0)}
            role="button" aria-label={aria} aria-hidden={props.leaving.then_some("true")} aria-pressed={if props.selected { "true" } else { "false" }}
            style={format!("transform: translate({}px, {}px)", Px(n.x), Px(n.y))} {onclick}>
            <rect class="box" width={NODE_W.to_string()} height={n.h.to_string()} rx="6" />
            <text class="type" x="8" y="16">{ clip(&n.type_name, 16) }</text>
            <text class="gen-tag" x={(NODE_W - 30.0).to_string()} y="16" text-anchor="end">{ gen_tag }</text>
            <text class="preview" x="8" y="32">{ clip(&format!("{} · {} B", v.preview, v.getsizeof), 30) }</text>
            <g class="badge" key={format!("rc{}", v.refcnt)} transform={format!("translate({}, 0)", Px(NODE_W))}>
                <circle r="13" />
                <text y="4" text-anchor="middle">{ refcnt_text(v.refcnt) }</text>
            </g>
            if let Some(c) = cand {
                <g class="gc-refs" transform={format!("translate({}, {})", Px(NODE_W - 4.0), Px(n.h))}>
                    <rect x="-86" y="-8" width="90" height="16" rx="3" />
                    <text x="-41" y="4" text-anchor="middle">{ format!("gc_refs {}", c.gc_refs) }</text>
                </g>
            }
            { rows_html(&n.rows, NODE_W, 16, 14) }
        </g>
    }
}
