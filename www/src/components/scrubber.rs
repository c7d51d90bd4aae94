//! The scrubber: a range input over every step, above a strip coloured by
//! what each step does (allocates, frees, runs the collector).

use std::rc::Rc;

use wasm_bindgen::{Clamped, JsCast};
use yew::prelude::*;

use crate::model::StepMark;

/// Colours of the timeline strip (Okabe–Ito blue, orange, reddish purple,
/// grey): they stay apart for every common colour-vision deficiency.
fn mark_color(k: StepMark) -> [u8; 4] {
    match k {
        StepMark::Alloc => [0x00, 0x72, 0xb2, 255],
        StepMark::Free => [0xe6, 0x9f, 0x00, 255],
        StepMark::Collect => [0xcc, 0x79, 0xa7, 255],
        StepMark::Quiet => [0x99, 0x99, 0x99, 255],
    }
}

/// Widest strip drawn; longer traces are sampled.
const MAX_STRIP: usize = 4096;

/// The strip's pixels: one column per step (sampled beyond [`MAX_STRIP`]).
pub fn strip_pixels(kinds: &[StepMark]) -> Vec<u8> {
    let n = kinds.len().clamp(1, MAX_STRIP);
    (0..n)
        .flat_map(|i| {
            let k = kinds
                .get(i * kinds.len().max(1) / n)
                .copied()
                .unwrap_or(StepMark::Quiet);
            // A collection wins its column: it is the rarest and most telling.
            let end = ((i + 1) * kinds.len().max(1) / n).max(i * kinds.len().max(1) / n + 1);
            let collect = kinds
                .get(i * kinds.len().max(1) / n..end.min(kinds.len()))
                .is_some_and(|s| s.contains(&StepMark::Collect));
            mark_color(if collect { StepMark::Collect } else { k })
        })
        .collect()
}

/// Props of [`Scrubber`].
#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    /// Current step.
    pub step: usize,
    /// Last step.
    pub last: usize,
    /// What every step did, `0..=last`.
    pub marks: Rc<Vec<StepMark>>,
    /// The user moved the scrubber.
    pub onseek: Callback<usize>,
}

/// A range input and its timeline strip.
#[component]
pub fn Scrubber(props: &ScrubberProps) -> Html {
    let strip = use_node_ref();
    {
        let strip = strip.clone();
        use_effect_with(props.marks.clone(), move |kinds| {
            let Some(canvas) = strip.cast::<web_sys::HtmlCanvasElement>() else {
                return;
            };
            let pixels = strip_pixels(kinds);
            let w = (pixels.len() / 4) as u32;
            canvas.set_width(w);
            canvas.set_height(1);
            let ctx = canvas
                .get_context("2d")
                .ok()
                .flatten()
                .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
            if let (Some(ctx), Ok(img)) = (
                ctx,
                web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(&pixels), w, 1),
            ) {
                let _ = ctx.put_image_data(&img, 0.0, 0.0);
            }
        });
    }
    let oninput = {
        let cb = props.onseek.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(s) = input.value().parse::<usize>() {
                cb.emit(s);
            }
        })
    };
    let kind_word = match props
        .marks
        .get(props.step)
        .copied()
        .unwrap_or(StepMark::Quiet)
    {
        StepMark::Alloc => ": allocates",
        StepMark::Free => ": frees",
        StepMark::Collect => ": the collector runs",
        StepMark::Quiet => "",
    };
    html! {
        <div class="scrubber">
            <label for="scrubber" class="visually-hidden">{ "Step" }</label>
            <input id="scrubber" type="range" min="0" max={props.last.to_string()} step="1"
                value={props.step.to_string()}
                aria-valuetext={format!("Step {} of {}{}", props.step, props.last, kind_word)}
                {oninput} />
            <canvas ref={strip} class="timeline" aria-hidden="true"></canvas>
            <p class="timeline-key" aria-hidden="true">
                <span class="key key-alloc"></span>{ "allocates " }
                <span class="key key-free"></span>{ "frees " }
                <span class="key key-collect"></span>{ "GC runs" }
            </p>
        </div>
    }
}
