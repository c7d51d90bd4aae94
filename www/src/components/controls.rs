//! Transport controls: back to start, step back, event back, play/pause,
//! event forward, step forward, run to end, and the playback speed.

use yew::prelude::*;

use crate::state::SPEEDS;

/// Props of [`Controls`].
#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    /// Current step.
    pub step: usize,
    /// Last step.
    pub last: usize,
    /// Part way through the step: (events applied, events in the step).
    pub sub: Option<(usize, usize)>,
    /// True while playing.
    pub playing: bool,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// "Back to start".
    pub onstart: Callback<()>,
    /// "Step back".
    pub onback: Callback<()>,
    /// "Event back".
    pub oneventback: Callback<()>,
    /// "Event forward".
    pub oneventforward: Callback<()>,
    /// "Play" / "Pause".
    pub ontoggleplay: Callback<()>,
    /// "Step forward".
    pub onforward: Callback<()>,
    /// "Run to end".
    pub onend: Callback<()>,
    /// A new speed index.
    pub onspeed: Callback<usize>,
}

/// The transport bar.
#[component]
pub fn Controls(props: &ControlsProps) -> Html {
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let onspeed = {
        let cb = props.onspeed.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = input.value().parse::<usize>() {
                cb.emit(i);
            }
        })
    };
    let at_start = props.step == 0 && props.sub.is_none();
    let at_end = props.step >= props.last && props.sub.is_none();
    let play_label = if props.playing { "Pause" } else { "Play" };
    html! {
        <div class="controls" role="group" aria-label="Playback">
            <button type="button" id="btn-start" onclick={click(&props.onstart)} disabled={at_start}
                title="Back to start (Home)"><span aria-hidden="true">{ "|◀ " }</span>{ "Back to start" }</button>
            <button type="button" id="btn-back" onclick={click(&props.onback)} disabled={at_start}
                title="Step back (←)"><span aria-hidden="true">{ "◀ " }</span>{ "Step back" }</button>
            <button type="button" id="btn-event-back" onclick={click(&props.oneventback)} disabled={at_start}
                title="Back one event: malloc, incref, a GC phase… (Shift+← or ,)"><span aria-hidden="true">{ "‹ " }</span>{ "Event back" }</button>
            <button type="button" id="btn-play" class="primary" onclick={click(&props.ontoggleplay)}
                title={format!("{play_label} (space)")} disabled={props.last == 0}>
                <span aria-hidden="true">{ if props.playing { "‖ " } else { "▶ " } }</span>{ play_label }
            </button>
            <button type="button" id="btn-event-forward" onclick={click(&props.oneventforward)} disabled={at_end}
                title="Forward one event: malloc, incref, a GC phase… (Shift+→ or .)">{ "Event forward" }<span aria-hidden="true">{ " ›" }</span></button>
            <button type="button" id="btn-forward" onclick={click(&props.onforward)} disabled={at_end}
                title="Step forward (→)">{ "Step forward" }<span aria-hidden="true">{ " ▶" }</span></button>
            <button type="button" id="btn-end" onclick={click(&props.onend)} disabled={at_end}
                title="Run to end (End)">{ "Run to end" }<span aria-hidden="true">{ " ▶|" }</span></button>
            <label class="speed">
                <span>{ "Speed" }</span>
                <select id="speed" onchange={onspeed}>
                    { for SPEEDS.iter().enumerate().map(|(i, s)| html! {
                        <option value={i.to_string()} selected={i == props.speed}>{ format!("{s} steps/s") }</option>
                    }) }
                </select>
            </label>
            <output class="step-count" for="scrubber" aria-live="off">
                { format!("Step {} / {}", props.step, props.last) }
                if let Some((k, n)) = props.sub {
                    { format!(" · event {k} of {n}") }
                }
            </output>
        </div>
    }
}
