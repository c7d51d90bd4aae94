//! What the current step did: a one-line narration (announced politely to
//! screen readers) and the C functions of `Objects/obmalloc.c` it went through.

use std::rc::Rc;

use yew::prelude::*;

/// Props of [`Narration`].
#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    /// The scenario's name.
    pub scenario: AttrValue,
    /// Current step.
    pub step: usize,
    /// Last step.
    pub last: usize,
    /// The trace's narration of this step.
    pub text: AttrValue,
    /// (C function, description) of each event of this step.
    pub events: Rc<Vec<(String, String)>>,
    /// Why the recorded run stopped early, if it did.
    pub error: Option<AttrValue>,
}

/// The narration panel.
#[component]
pub fn Narration(props: &NarrationProps) -> Html {
    html! {
        <section class="panel narration" aria-labelledby="narration-heading">
            <p class="scenario muted">{ "Scenario: " }{ props.scenario.clone() }</p>
            <h2 id="narration-heading">{ format!("Step {} of {}", props.step, props.last) }</h2>
            <p id="narration" class="narration-line" aria-live="polite">{ props.text.clone() }</p>
            if !props.events.is_empty() {
                <p class="calls">
                    <span class="muted">{ "C functions: " }</span>
                    <span id="events">
                        { for props.events.iter().enumerate().map(|(i, (f, d))| html! {
                            <>
                                if i > 0 { <span aria-hidden="true">{ " → " }</span> }
                                <code title={d.clone()}>{ f.clone() }</code>
                            </>
                        }) }
                    </span>
                </p>
            }
            if let Some(e) = &props.error {
                <p class="run-error" role="note">{ "The recorded run stopped early: " }{ e.clone() }</p>
            }
        </section>
    }
}
