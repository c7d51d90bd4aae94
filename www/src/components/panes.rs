//! Show or hide each view: a row of toggle buttons.

use yew::prelude::*;

use crate::state::Pane;

/// Props of [`PaneToggles`].
#[derive(Properties, PartialEq)]
pub struct PaneTogglesProps {
    /// Each pane and whether it is shown.
    pub shown: Vec<(Pane, bool)>,
    /// A pane's toggle was pressed.
    pub ontoggle: Callback<Pane>,
}

/// The pane toggles.
#[component]
pub fn PaneToggles(props: &PaneTogglesProps) -> Html {
    html! {
        <div class="pane-toggles" role="group" aria-label="Views">
            { for props.shown.iter().map(|&(p, on)| {
                let onclick = props.ontoggle.reform(move |_: MouseEvent| p);
                html! {
                    <button type="button" class="toggle" aria-pressed={if on { "true" } else { "false" }} {onclick}>
                        { p.name() }
                    </button>
                }
            }) }
        </div>
    }
}
