//! What the current step did, in plain English (announced politely to
//! screen readers), and its event log: every fine event with the CPython C
//! function and source file it models. Clicking an event jumps to it.

use yew::prelude::*;

use crate::model::{ObjRef, ProgramState, ProgramTrace, Shared, StepKind, TraceEvent};

/// Events listed per step; a full collection can log thousands.
pub const MAX_LOGGED: usize = 400;

/// A step with more events than this is narrated as a summary.
const FULL_NARRATION: usize = 8;

/// Props of [`Narration`].
#[derive(Properties, PartialEq)]
pub struct NarrationProps {
    /// The run.
    pub trace: Shared<ProgramTrace>,
    /// Current step.
    pub step: usize,
    /// Events of the step applied so far.
    pub done: usize,
    /// An event (0-based in the step) was picked.
    pub onevent: Callback<usize>,
    /// The state shown (to name objects by type).
    pub view: Shared<ProgramState>,
}

/// How many of each kind of event `events` holds, in words.
fn tally(events: &[TraceEvent]) -> String {
    let count = |f: fn(&TraceEvent) -> bool| events.iter().filter(|e| f(e)).count();
    let parts = [
        (
            count(|e| matches!(e, TraceEvent::New { .. })),
            "new object",
            "new objects",
        ),
        (
            count(|e| matches!(e, TraceEvent::Dealloc { .. })),
            "deallocation",
            "deallocations",
        ),
        (
            count(|e| matches!(e, TraceEvent::Alloc { .. })),
            "malloc",
            "mallocs",
        ),
        (
            count(|e| matches!(e, TraceEvent::Free { .. })),
            "free",
            "frees",
        ),
        (
            count(|e| matches!(e, TraceEvent::Incref { .. })),
            "incref",
            "increfs",
        ),
        (
            count(|e| matches!(e, TraceEvent::Decref { .. })),
            "decref",
            "decrefs",
        ),
        (
            count(|e| matches!(e, TraceEvent::Collect { .. })),
            "collection",
            "collections",
        ),
    ];
    let words: Vec<String> = parts
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
        .collect();
    words.join(", ")
}

/// `text` with the core's `obj#N` handles written as `list 119`, from the
/// objects alive now (`object 119` for one that is not).
pub fn name_objects(text: &str, name_of: &dyn Fn(u32) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("obj#") {
        out.push_str(&rest[..i]);
        let digits: String = rest[i + 4..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        match digits.parse::<u32>() {
            Ok(n) => {
                let name = name_of(n).unwrap_or_else(|| "object".to_string());
                out.push_str(&format!("{name} {n}"));
            }
            Err(_) => out.push_str("obj#"),
        }
        rest = &rest[i + 4 + digits.len()..];
    }
    out.push_str(rest);
    out
}

/// The narration of a position: the step's own when it is short, else
/// its first sentence and a tally; part way through, the event just done.
pub fn narrate(t: &ProgramTrace, step: usize, done: usize) -> String {
    let events = t.events(step);
    if done < events.len() {
        let Some(e) = done.checked_sub(1).and_then(|i| events.get(i)) else {
            return format!("Line {}: before its first event.", t.line(step));
        };
        return format!(
            "Line {}, event {done} of {}: {}",
            t.line(step),
            events.len(),
            t.describe(e)
        );
    }
    if step == 0 || events.len() <= FULL_NARRATION {
        return t.narration(step);
    }
    let head = match t.kind(step) {
        StepKind::Loop => format!("Line {}: the loop goes round again.", t.line(step)),
        StepKind::Return => format!("Back at line {} after the call.", t.line(step)),
        _ => format!("Line {} runs.", t.line(step)),
    };
    let collected: Vec<String> = events
        .iter()
        .filter_map(|e| match *e {
            TraceEvent::Collected { .. } => Some(t.describe(e)),
            _ => None,
        })
        .collect();
    let mut out = format!("{head} {} events: {}.", events.len(), tally(events));
    for c in collected {
        out.push(' ');
        out.push_str(&c);
    }
    out
}

/// The narration panel.
#[component]
pub fn Narration(props: &NarrationProps) -> Html {
    let t = &*props.trace;
    let events = t.events(props.step);
    let view = &props.view;
    let name_of = |n: u32| {
        view.objects
            .get(&ObjRef(n))
            .map(|v| t.name(v.type_name).to_string())
    };
    let text = name_objects(&narrate(t, props.step, props.done), &name_of);
    let current = props.done.checked_sub(1);
    html! {
        <section class="panel narration" role="region" aria-label="Narration">
            <h2 class="panel-title">{ "Narration" }</h2>
            <p id="narration" class="narration-line" aria-live="polite">{ text }</p>
            if !events.is_empty() {
                <details class="event-log" open=true>
                    <summary>{ format!("Events of step {} ({})", props.step, events.len()) }</summary>
                    <ol id="events">
                        { for events.iter().take(MAX_LOGGED).enumerate().map(|(i, e)| {
                            let f = t.cfunction(e).to_string();
                            let d = name_objects(&t.describe(e), &name_of);
                            // The C function is already named before it.
                            let d = d.strip_prefix(&format!("{f}: ")).map_or(d.clone(), str::to_string);
                            let file = pymem::cfiles::c_file(t.version(), &f);
                            let onclick = props.onevent.reform(move |_: MouseEvent| i);
                            let state = if Some(i) == current {
                                "current"
                            } else if i < props.done {
                                "done"
                            } else {
                                "pending"
                            };
                            html! {
                                <li class={classes!("event", state)}>
                                    <button type="button" class="event-button" {onclick}
                                        aria-current={(Some(i) == current).then_some("step")}>
                                        <code class="cfunc">{ f }</code>
                                        if let Some(file) = file {
                                            <span class="cfile">{ file }</span>
                                        }
                                        <span class="event-text">{ d }</span>
                                    </button>
                                </li>
                            }
                        }) }
                    </ol>
                    if events.len() > MAX_LOGGED {
                        <p class="muted">{ format!("… and {} more events (step through them with Event forward).", events.len() - MAX_LOGGED) }</p>
                    }
                </details>
            }
        </section>
    }
}
