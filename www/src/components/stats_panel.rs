//! The `sys._debugmallocstats()` text for the current step.

use yew::prelude::*;

/// Props of [`StatsPanel`].
#[derive(Properties, PartialEq)]
pub struct StatsPanelProps {
    /// The `_PyObject_DebugMallocStats` output.
    pub text: AttrValue,
}

/// A titled `<pre>`.
#[component]
pub fn StatsPanel(props: &StatsPanelProps) -> Html {
    html! {
        <section class="panel stats" aria-labelledby="stats-heading">
            <h2 id="stats-heading">{ "sys._debugmallocstats()" }</h2>
            <pre id="stats" tabindex="0" aria-labelledby="stats-heading">{ props.text.clone() }</pre>
        </section>
    }
}
