//! The pool inspector: the header fields of the selected pool and where it
//! is linked (`usedpools[szidx]`, its arena's `freepools`, or nowhere).

use yew::prelude::*;

use crate::model::{HeapRef, PoolId};
use crate::summary;

/// Props of [`PoolInspector`].
#[derive(Properties, PartialEq)]
pub struct PoolInspectorProps {
    /// The heap at the current step.
    pub heap: HeapRef,
    /// The selected pool.
    pub pool: Option<PoolId>,
}

/// A definition list of the pool's fields, or a hint.
#[component]
pub fn PoolInspector(props: &PoolInspectorProps) -> Html {
    html! {
        <section class="panel inspector" aria-labelledby="inspector-heading">
            <h2 id="inspector-heading">{ "Pool inspector" }</h2>
            { match props.pool {
                None => html! {
                    <p class="muted">{ "Hover or click a pool on the map, or focus the map and use the arrow keys." }</p>
                },
                Some(id) => html! {
                    <dl id="pool-inspector" class="fields">
                        { for summary::pool_rows(&props.heap.alloc, id).into_iter().map(|(k, v)| html! {
                            <>
                                <dt>{ k }</dt>
                                <dd>{ v }</dd>
                            </>
                        }) }
                    </dl>
                },
            } }
        </section>
    }
}
