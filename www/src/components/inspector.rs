//! The object inspector: the selected object's bytes as the chosen
//! CPython lays them out (GC header, pre-header, `ob_refcnt`, `ob_type`,
//! the type's fields, inline items), the request against the block it got
//! and the bytes that wastes, its separate buffers, and what
//! `sys.getsizeof` reports and why.

use yew::prelude::*;

use crate::components::raw_strip::bytes;
use crate::model::{ObjRef, ProgramState, ProgramTrace, Shared, Version};
use pymem::inspect::{inspect, Part};

/// Props of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The modelled version.
    pub version: Version,
    /// The run.
    pub trace: Shared<ProgramTrace>,
    /// The state shown.
    pub view: Shared<ProgramState>,
    /// The selected object.
    pub selected: Option<ObjRef>,
    /// An object was picked (from a reference).
    pub onselect: Callback<Option<ObjRef>>,
}

fn part_class(p: Part) -> &'static str {
    match p {
        Part::GcHeader => "part-gc",
        Part::PreHeader => "part-pre",
        Part::Header => "part-head",
        Part::Field => "part-field",
        Part::Inline => "part-inline",
    }
}

/// The inspector panel.
#[component]
pub fn Inspector(props: &InspectorProps) -> Html {
    let t = &*props.trace;
    let Some((r, v)) = props
        .selected
        .and_then(|r| props.view.objects.get(&r).map(|v| (r, v)))
    else {
        return html! {
            <section class="panel inspector" role="region" aria-label="Object inspector">
                <h2 class="panel-title">{ "Object inspector" }</h2>
                <p class="muted">{ "Select an object in the graph, the GC panel or with the arrow keys on the focused graph to see its bytes." }</p>
            </section>
        };
    };
    let type_name = t.name(v.type_name).to_string();
    let ins = inspect(props.version, v, &type_name);
    let total: i64 = ins.fields.iter().map(|f| f.size as i64).sum::<i64>().max(1);
    let wasted = ins.block.saturating_sub(ins.request);
    html! {
        <section class="panel inspector" role="region" aria-label="Object inspector">
            <h2 class="panel-title">{ format!("Object inspector: {type_name} {}", r.0) }</h2>
            <p class="preview-line"><code>{ v.preview.to_string() }</code></p>
            <div class="bytes-bar" aria-hidden="true">
                { for ins.fields.iter().map(|f| html! {
                    <span class={classes!("byte-part", part_class(f.part))}
                        style={format!("flex-grow: {}", f.size.max(1))}
                        title={format!("{} ({} bytes)", f.name, f.size)}></span>
                }) }
            </div>
            <table class="layout-table">
                <caption>{ format!("Layout on CPython {} ({} bytes shown)", props.version, total) }</caption>
                <thead><tr><th scope="col">{ "offset" }</th><th scope="col">{ "size" }</th><th scope="col">{ "field" }</th><th scope="col">{ "value" }</th></tr></thead>
                <tbody>
                    { for ins.fields.iter().map(|f| html! {
                        <tr class={part_class(f.part)}>
                            <td class="num">{ f.offset }</td>
                            <td class="num">{ f.size }</td>
                            <td><code>{ f.name }</code></td>
                            <td>{ f.value.clone() }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <dl class="facts">
                <dt>{ "Memory" }</dt>
                <dd id="inspector-block">{
                    if ins.raw {
                        format!("asks for {} bytes: over 512, so the system allocator serves it", ins.request)
                    } else if ins.request == 0 {
                        "no block of its own: a static object inside the interpreter".to_string()
                    } else {
                        format!("asks for {} bytes, gets a {}-byte block: {} wasted", ins.request, ins.block, wasted)
                    }
                }</dd>
                { for ins.buffers.iter().map(|b| html! {
                    <>
                        <dt>{ b.what }</dt>
                        <dd>{
                            if b.raw {
                                format!("{}, from the system allocator", bytes(b.request))
                            } else {
                                format!("asks for {} bytes, gets a {}-byte block", b.request, b.block)
                            }
                        }</dd>
                    </>
                }) }
                <dt>{ "sys.getsizeof" }</dt>
                <dd id="inspector-getsizeof">{ format!("{}: {}", ins.getsizeof, ins.getsizeof_why) }</dd>
                <dt>{ "Reference count" }</dt>
                <dd>{
                    match v.shown_refcnt {
                        Some(n) if v.refcnt < 1 << 29 => format!("{} (sys.getrefcount would say {})", v.refcnt, n + 1),
                        _ if v.refcnt >= 1 << 29 => format!("{}: immortal, never freed", v.refcnt),
                        _ => v.refcnt.to_string(),
                    }
                }</dd>
            </dl>
            if !v.refs.is_empty() {
                <p class="refs">
                    <span class="muted">{ "Refers to: " }</span>
                    { for v.refs.iter().take(20).map(|e| {
                        let to = e.to;
                        let onclick = props.onselect.reform(move |_: MouseEvent| Some(to));
                        let name = props.view.objects.get(&to).map_or_else(|| to.to_string(), |w| format!("{} {}", t.name(w.type_name), to.0));
                        html! { <button type="button" class="link" {onclick}>{ name }</button> }
                    }) }
                </p>
            }
        </section>
    }
}
