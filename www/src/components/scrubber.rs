//! The scrubber: a range input over every step, above a strip coloured by
//! what each step does (malloc, free, realloc).

use std::rc::Rc;

use wasm_bindgen::{Clamped, JsCast};
use yew::prelude::*;

use crate::model::StepKind;

/// Colours of the timeline strip (Okabe–Ito blue, vermillion, reddish purple).
fn kind_color(k: StepKind) -> [u8; 4] {
    match k {
        StepKind::Malloc => [0x00, 0x72, 0xb2, 255],
        StepKind::Free => [0xe6, 0x9f, 0x00, 255],
        StepKind::Realloc => [0xcc, 0x79, 0xa7, 255],
        StepKind::Start => [0x99, 0x99, 0x99, 255],
    }
}

/// Widest strip drawn; longer traces are sampled.
const MAX_STRIP: usize = 4096;

/// The strip's pixels: one column per step (sampled beyond [`MAX_STRIP`]).
pub fn strip_pixels(kinds: &[StepKind]) -> Vec<u8> {
    let n = kinds.len().clamp(1, MAX_STRIP);
    (0..n)
        .flat_map(|i| {
            let k = kinds
                .get(i * kinds.len().max(1) / n)
                .copied()
                .unwrap_or(StepKind::Start);
            kind_color(k)
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
    /// The kind of every step, `0..=last`.
    pub kinds: Rc<Vec<StepKind>>,
    /// The user moved the scrubber.
    pub onseek: Callback<usize>,
}

/// A range input and its timeline strip.
#[component]
pub fn Scrubber(props: &ScrubberProps) -> Html {
    let strip = use_node_ref();
    {
        let strip = strip.clone();
        use_effect_with(props.kinds.clone(), move |kinds| {
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
        .kinds
        .get(props.step)
        .copied()
        .unwrap_or(StepKind::Start)
    {
        StepKind::Malloc => ": malloc",
        StepKind::Free => ": free",
        StepKind::Realloc => ": realloc",
        StepKind::Start => "",
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
                <span class="key key-alloc"></span>{ "malloc " }
                <span class="key key-free"></span>{ "free " }
                <span class="key key-realloc"></span>{ "realloc" }
            </p>
        </div>
    }
}
