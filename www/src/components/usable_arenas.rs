//! The `usable_arenas` list, head first, with each arena's `nfreepools`.

use yew::prelude::*;

use crate::model::HeapRef;

/// Props of [`UsableArenas`].
#[derive(Properties, PartialEq)]
pub struct UsableArenasProps {
    /// The heap at the current step.
    pub heap: HeapRef,
}

/// An ordered list: the order `pymalloc_alloc` takes arenas in.
#[component]
pub fn UsableArenas(props: &UsableArenasProps) -> Html {
    let alloc = &props.heap.alloc;
    let order = alloc.usable_arenas();
    html! {
        <section class="panel usable" aria-labelledby="usable-heading">
            <h2 id="usable-heading">{ "usable_arenas" }</h2>
            if order.is_empty() {
                <p class="muted">{ "Empty: the next pool will need a new arena." }</p>
            } else {
                <ol id="usable-arenas" class="usable-list">
                    { for order.iter().map(|&id| {
                        let nfree = alloc.arena(id).map_or(0, |a| a.nfreepools);
                        html! { <li>{ format!("arena {id}: {nfree} free pools") }</li> }
                    }) }
                </ol>
            }
        </section>
    }
}
