//! The map's legend: block states (by pattern), pool parts, and the size
//! class colour ramp — each swatch drawn with the map's own renderer.

use yew::prelude::*;

use crate::canvas::{blit, context_2d};
use crate::palette::{class_color, Palette};
use crate::render::{swatch_pixels, Swatch};

/// Props of [`LegendSwatch`].
#[derive(Properties, PartialEq)]
pub struct LegendSwatchProps {
    /// What to draw.
    pub swatch: Swatch,
    /// Dark theme.
    pub dark: bool,
    /// The entry's text.
    pub label: AttrValue,
}

/// One legend entry: a small canvas and its label.
#[component]
pub fn LegendSwatch(props: &LegendSwatchProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with((props.swatch, props.dark), move |(swatch, dark)| {
            let size = 18;
            if let Some(el) = canvas.cast::<web_sys::HtmlCanvasElement>() {
                if let Some(ctx) = context_2d(&el) {
                    let _ = blit(
                        &el,
                        &ctx,
                        &swatch_pixels(*swatch, size, &Palette::for_theme(*dark)),
                        size,
                        size,
                    );
                }
            }
        });
    }
    html! {
        <li><canvas ref={canvas} class="swatch" width="18" height="18" aria-hidden="true"></canvas>{ props.label.clone() }</li>
    }
}

/// Props of [`Legend`].
#[derive(Properties, PartialEq)]
pub struct LegendProps {
    /// Dark theme.
    pub dark: bool,
}

/// The legend under the map.
#[component]
pub fn Legend(props: &LegendProps) -> Html {
    let ramp = use_node_ref();
    {
        let ramp = ramp.clone();
        use_effect_with((), move |_| {
            let pixels: Vec<u8> = (0..32).flat_map(class_color).collect();
            if let Some(el) = ramp.cast::<web_sys::HtmlCanvasElement>() {
                if let Some(ctx) = context_2d(&el) {
                    let _ = blit(&el, &ctx, &pixels, 32, 1);
                }
            }
        });
    }
    let dark = props.dark;
    let entry = |swatch: Swatch, label: &'static str| html! { <LegendSwatch {swatch} {dark} label={label} /> };
    html! {
        <div class="legend" aria-label="Legend">
            <ul class="legend-states">
                { entry(Swatch::Allocated(2), "allocated (solid)") }
                { entry(Swatch::Free(2), "on the free list (hatched)") }
                { entry(Swatch::Virgin(2), "never used (dotted)") }
                { entry(Swatch::Header, "48-byte pool header") }
                { entry(Swatch::Waste, "tail / alignment waste") }
                { entry(Swatch::Uncarved, "pool not carved yet") }
                { entry(Swatch::Touched, "touched by this step") }
            </ul>
            <div class="legend-ramp">
                <span>{ "size class: 16 B" }</span>
                <canvas ref={ramp} class="ramp" width="32" height="1" aria-hidden="true"></canvas>
                <span>{ "512 B" }</span>
            </div>
        </div>
    }
}
