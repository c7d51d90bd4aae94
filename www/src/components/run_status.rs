//! While a program is being recorded in the worker: how far it has got,
//! and a Stop button that keeps what was recorded.

use yew::prelude::*;

/// Props of [`RunStatus`].
#[derive(Properties, PartialEq)]
pub struct RunStatusProps {
    /// A run is being recorded.
    pub recording: bool,
    /// Steps of it recorded so far (`None`: nothing has arrived yet).
    pub steps: Option<usize>,
    /// Stop was pressed and is under way.
    pub stopping: bool,
    /// Stop the run.
    pub onstop: Callback<()>,
}

/// The progress line and Stop button (a polite status region, empty
/// when no run is under way, so screen readers hear it start and end).
#[component]
pub fn RunStatus(props: &RunStatusProps) -> Html {
    let text = match (props.recording, props.steps) {
        (false, _) => String::new(),
        (true, None) => "Running the program…".to_string(),
        (true, Some(n)) => format!("Running the program… {n} steps recorded so far"),
    };
    let onclick = props.onstop.reform(|_: MouseEvent| ());
    html! {
        <div class="run-status" role="status" aria-live="polite">
            if props.recording {
                <span class="spinner" aria-hidden="true"></span>
                <span id="run-progress">{ text }</span>
                <button type="button" class="stop-button" onclick={onclick}
                    disabled={props.stopping} aria-keyshortcuts="x">
                    { "Stop" }
                </button>
            }
        </div>
    }
}
