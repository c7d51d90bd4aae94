//! The benchmark page (`?bench`): runs the in-browser measurements once the
//! page has painted, draws the full arena on a real canvas, and prints the
//! figures as JSON in `#bench-results` for `make bench-web`.

use gloo_timers::callback::Timeout;
use yew::prelude::*;

use crate::bench::{
    alloc_free_pairs, batched_pairs, describe, full_arena, gc_collect_ms, interp_lines,
    render_times,
};
use crate::canvas::{blit, context_2d};
use crate::model::Version;
use crate::palette::Palette;
use crate::render::{render_into, Layout, Marks};
use crate::summary;

/// Width of the benchmark canvas in CSS pixels.
const BENCH_CSS_WIDTH: f64 = 1024.0;

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn run(canvas: &web_sys::HtmlCanvasElement) -> String {
    let version = Version::DEFAULT;
    let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());

    // (a) Model throughput: warm up, then take the best of three.
    let _ = alloc_free_pairs(version, 32, 200_000, &now);
    let best = (0..3)
        .map(|_| alloc_free_pairs(version, 32, 2_000_000, &now))
        .max_by(|a, b| a.per_second().total_cmp(&b.per_second()));
    let pairs_per_s = best.map_or(0.0, |t| t.per_second());
    let batched = batched_pairs(version, 4096, 200, &now).per_second();
    let interp = interp_lines(3, &now);
    let gc_garbage = gc_collect_ms(false, 3, &now);
    let gc_live = gc_collect_ms(true, 3, &now);

    // (b) Drawing a full arena of 16-byte blocks.
    let alloc = full_arena(version);
    let arenas: Vec<_> = alloc.arenas().collect();
    let layout = Layout::new(BENCH_CSS_WIDTH, dpr, &arenas);
    let render_only = render_times(&alloc, &layout, 30, &now);
    let frames = draw_frames(canvas, &alloc, &layout, 30);
    // The same arena on a 2x (HiDPI) canvas: four times the pixels.
    let layout2 = Layout::new(BENCH_CSS_WIDTH, 2.0, &arenas);
    let frames2 = draw_frames(canvas, &alloc, &layout2, 30);
    // Leave the 1x picture on screen.
    let _ = draw_frames(canvas, &alloc, &layout, 1);
    let (mean, median, max) = describe(&frames);
    let (r_mean, r_median, _) = describe(&render_only);
    let (mean2, median2, _) = describe(&frames2);
    let t = summary::totals(&alloc);
    format!(
        concat!(
            "{{\"version\":\"{}\",\"alloc_free_pairs_per_s\":{:.0},\"batched_pairs_per_s\":{:.0},",
            "\"draw_ms_mean\":{:.3},\"draw_ms_median\":{:.3},\"draw_ms_max\":{:.3},",
            "\"render_only_ms_mean\":{:.3},\"render_only_ms_median\":{:.3},",
            "\"draw_dpr2_ms_mean\":{:.3},\"draw_dpr2_ms_median\":{:.3},\"canvas_dpr2_px\":\"{}x{}\",",
            "\"canvas_px\":\"{}x{}\",\"dpr\":{},\"arenas\":{},\"pools\":{},\"blocks\":{},",
            "\"interp_lines\":{},\"interp_ms\":{:.1},\"interp_exit\":{},",
            "\"gc_garbage_ms\":{:.1},\"gc_garbage_collected\":{},\"gc_live_ms\":{:.1},\"gc_live_collected\":{}}}"
        ),
        version.as_str(),
        pairs_per_s,
        batched,
        mean,
        median,
        max,
        r_mean,
        r_median,
        mean2,
        median2,
        layout2.width,
        layout2.height,
        layout.width,
        layout.height,
        dpr,
        t.arenas,
        t.pools_in_use,
        t.blocks_allocated,
        interp.lines,
        interp.ms,
        interp.exit_code,
        gc_garbage.0,
        gc_garbage.1,
        gc_live.0,
        gc_live.1,
    )
}

/// Per-frame times (ms) of rendering `alloc` and putting it on `canvas`.
fn draw_frames(
    canvas: &web_sys::HtmlCanvasElement,
    alloc: &pymem::Allocator,
    layout: &Layout,
    n: usize,
) -> Vec<f64> {
    let Some(ctx) = context_2d(canvas) else {
        return Vec::new();
    };
    let mut buf = Vec::new();
    let pal = Palette::LIGHT;
    let marks = Marks::default();
    (0..n)
        .map(|_| {
            let t0 = now();
            render_into(&mut buf, alloc, layout, &pal, &marks);
            let _ = blit(canvas, &ctx, &buf, layout.width, layout.height);
            now() - t0
        })
        .collect()
}

/// Runs the benchmarks and shows their results.
#[component]
pub fn BenchPage() -> Html {
    let result = use_state(|| None::<String>);
    let canvas = use_node_ref();
    {
        let result = result.clone();
        let canvas = canvas.clone();
        use_effect_with((), move |_| {
            let t = Timeout::new(50, move || {
                let text = match canvas.cast::<web_sys::HtmlCanvasElement>() {
                    Some(c) => run(&c),
                    None => "{\"error\":\"no canvas\"}".to_string(),
                };
                result.set(Some(text));
            });
            move || drop(t)
        });
    }
    html! {
        <main class="bench">
            <h1>{ "pymem benchmarks" }</h1>
            <p>{ "Model alloc+free throughput in wasm, and the time to draw a full arena of 16-byte blocks." }</p>
            { match &*result {
                None => html! { <pre id="bench-results" data-done="false">{ "Running…" }</pre> },
                Some(text) => html! { <pre id="bench-results" data-done="true">{ text.clone() }</pre> },
            } }
            <canvas ref={canvas} id="bench-canvas" role="img" aria-label="A full arena of 16-byte blocks"></canvas>
        </main>
    }
}
