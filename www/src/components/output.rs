//! The program's output as it was up to the current step: stdout, then at
//! the last step whatever went to stderr (a traceback, an error) and why a
//! recorded run stopped early.

use yew::prelude::*;

/// Props of [`OutputPanel`].
#[derive(Properties, PartialEq)]
pub struct OutputPanelProps {
    /// stdout up to this step.
    pub stdout: AttrValue,
    /// stderr, at the last step only (stderr is not sliced per step).
    pub stderr: Option<AttrValue>,
    /// The recorded run stopped early: why.
    pub budget: Option<AttrValue>,
}

/// The output panel.
#[component]
pub fn OutputPanel(props: &OutputPanelProps) -> Html {
    let empty = props.stdout.is_empty()
        && props.stderr.as_ref().is_none_or(|s| s.is_empty())
        && props.budget.is_none();
    html! {
        <section class="panel output" role="region" aria-label="Output">
            <h2 class="panel-title">{ "Output" }</h2>
            <pre id="stdout" class="stdout">{ props.stdout.clone() }
                if let Some(err) = props.stderr.as_ref().filter(|s| !s.is_empty()) {
                    <span class="stderr">{ err.clone() }</span>
                }
            </pre>
            if empty {
                <p class="muted">{ "Nothing printed yet." }</p>
            }
            if let Some(b) = &props.budget {
                <p class="run-error" role="note">{ "The recorded run stopped early: " }{ b.clone() }</p>
            }
        </section>
    }
}
