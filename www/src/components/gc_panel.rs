//! The cyclic collector: each generation (or 3.14's young and old spaces)
//! with its count against its threshold and its member objects; during a
//! collection, the phase just finished and every candidate's `gc_refs`;
//! the statistics `gc.get_stats()` would report so far, and `gc.garbage`.

use std::rc::Rc;

use yew::prelude::*;

use crate::gcview::{list_name, GcNow};
use crate::model::{GcView, ObjRef, ProgramState, ProgramTrace, Shared};

/// Members listed per generation.
const MAX_MEMBERS: usize = 24;
/// Candidates listed during a collection.
const MAX_CANDIDATES: usize = 60;

/// Props of [`GcPanel`].
#[derive(Properties, PartialEq)]
pub struct GcPanelProps {
    /// The run.
    pub trace: Shared<ProgramTrace>,
    /// The state shown.
    pub view: Shared<ProgramState>,
    /// Current step.
    pub step: usize,
    /// The collector now.
    pub gc: Rc<GcNow>,
    /// An object was picked.
    pub onselect: Callback<Option<ObjRef>>,
}

/// The GC panel.
#[component]
pub fn GcPanel(props: &GcPanelProps) -> Html {
    let t = &*props.trace;
    let fig = t.figures(props.step).gc;
    let gc = &*props.gc;
    let obj_button = |r: ObjRef, text: String| {
        let onclick = props.onselect.reform(move |_: MouseEvent| Some(r));
        html! { <button type="button" class="link" {onclick}>{ text }</button> }
    };
    let label = |r: ObjRef| {
        props.view.objects.get(&r).map_or_else(
            || r.to_string(),
            |v| format!("{} {}", t.name(v.type_name), r.0),
        )
    };
    // The program's objects per generation, in one pass over the heap.
    let mut by_gen: [Vec<ObjRef>; 3] = Default::default();
    for (&r, v) in props.view.objects.iter() {
        if let (false, GcView::Gen(g)) = (v.shared, v.gc) {
            if let Some(list) = by_gen.get_mut(usize::from(g)) {
                list.push(r);
            }
        }
    }
    let gens = (0u8..3).map(|g| {
        let count = fig.counts[usize::from(g)];
        let threshold = fig.thresholds[usize::from(g)];
        let frac = if threshold > 0 {
            (count as f64 / threshold as f64).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let approx = if fig.counts_assumed[usize::from(g)] { "≈ " } else { "" };
        let members = &by_gen[usize::from(g)];
        let name = fig.list_label(g);
        let threshold_text = if threshold > 0 {
            format!("{approx}{count} / {threshold}")
        } else {
            format!("{approx}{count}")
        };
        html! {
            <div class={classes!("gen", format!("gen{g}"))}>
                <div class="gen-head">
                    <span class="gen-name">{ name.clone() }</span>
                    <span class="gen-count">{ threshold_text }</span>
                </div>
                <div class="bar" role="meter" aria-label={format!("{name}: count against threshold")}
                    aria-valuemin="0" aria-valuemax={threshold.max(1).to_string()}
                    aria-valuenow={count.clamp(0, threshold.max(count)).to_string()}>
                    <div class="bar-fill" style={format!("width: {:.1}%", frac * 100.0)}></div>
                </div>
                <p class="members">
                    if members.is_empty() {
                        <span class="muted">{ "none of the program's objects" }</span>
                    } else {
                        { for members.iter().take(MAX_MEMBERS).map(|&r| obj_button(r, label(r))) }
                        if members.len() > MAX_MEMBERS {
                            <span class="muted">{ format!(" … {} more", members.len() - MAX_MEMBERS) }</span>
                        }
                    }
                </p>
            </div>
        }
    });
    let status = match (gc.collecting, gc.phase, gc.finished) {
        (Some(g), Some((phase, _, total)), _) => format!(
            "Collecting generation {g}: {} done, {total} candidates.",
            phase.function()
        ),
        (Some(g), None, _) => format!("Collecting generation {g}: starting."),
        (None, _, Some((g, n))) => {
            format!("A collection of generation {g} just ended: {n} unreachable objects freed.")
        }
        (None, _, None) => "No collection under way.".to_string(),
    };
    let mut candidates: Vec<(ObjRef, i64, String)> = gc
        .candidates
        .iter()
        .map(|(&r, c)| (r, c.gc_refs, list_name(c.list)))
        .collect();
    candidates.sort_by_key(|c| c.0);
    let stats = gc.stats;
    // gc.garbage: what DEBUG_SAVEALL kept (its items are its references).
    let garbage: Vec<ObjRef> = t
        .gc_garbage()
        .and_then(|r| props.view.objects.get(&r))
        .map(|v| v.refs.iter().map(|e| e.to).collect())
        .unwrap_or_default();
    html! {
        <section class="panel gc-panel" role="region" aria-label="GC">
            <h2 class="panel-title">{ "GC" }</h2>
            if let Some(w) = fig.work_to_do {
                <p class="muted">{ format!("work_to_do: {w}") }</p>
            }
            { for gens }
            <p id="gc-status" class="gc-status">{ status }</p>
            if !candidates.is_empty() {
                <table class="candidates">
                    <caption>{ "Candidates after this phase" }</caption>
                    <thead><tr><th scope="col">{ "object" }</th><th scope="col">{ "gc_refs" }</th><th scope="col">{ "list" }</th></tr></thead>
                    <tbody>
                        { for candidates.iter().take(MAX_CANDIDATES).map(|(r, refs, list)| html! {
                            <tr class={classes!((list == "unreachable").then_some("unreachable"))}>
                                <td>{ obj_button(*r, label(*r)) }</td>
                                <td class="num">{ refs }</td>
                                <td>{ list.clone() }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                if candidates.len() > MAX_CANDIDATES {
                    <p class="muted">{ format!("… {} more candidates", candidates.len() - MAX_CANDIDATES) }</p>
                }
            }
            <table class="gc-stats">
                <caption>{ "Collections while the program ran (gc.get_stats() also counts start-up's)" }</caption>
                <thead><tr><th scope="col">{ "generation" }</th><th scope="col">{ "collections" }</th><th scope="col">{ "collected" }</th></tr></thead>
                <tbody>
                    { for stats.iter().enumerate().map(|(g, (n, c))| html! {
                        <tr><th scope="row">{ g }</th><td class="num">{ n }</td><td class="num">{ c }</td></tr>
                    }) }
                </tbody>
            </table>
            <h3 class="gc-garbage-title">{ "gc.garbage" }</h3>
            if garbage.is_empty() {
                <p id="gc-garbage" class="muted">
                    { "Empty. Since Python 3.4 (PEP 442) the collector frees cycles even with __del__; only gc.set_debug(gc.DEBUG_SAVEALL) keeps what a collection finds here." }
                </p>
            } else {
                <p id="gc-garbage">
                    { format!("{} object{} kept by DEBUG_SAVEALL: ", garbage.len(), if garbage.len() == 1 { "" } else { "s" }) }
                    { for garbage.iter().take(MAX_MEMBERS).map(|&r| html! { <>{ obj_button(r, label(r)) }{ " " }</> }) }
                </p>
            }
        </section>
    }
}
