//! The mounted app in a real browser: buttons, keyboard, version switch and
//! the canvas. Browser only (wasm-bindgen-test in headless Chromium).
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use pymem_web::components::app::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, Element, HtmlCanvasElement, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// A mounted app; unmounted on drop, so a failed test does not leave its
/// window listeners behind for the next one.
struct Mounted {
    root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

async fn mount() -> Mounted {
    let doc = document();
    let root = doc.create_element("div").expect("div");
    doc.body()
        .expect("body")
        .append_child(&root)
        .expect("append");
    let handle = yew::Renderer::<App>::with_root(root.clone()).render();
    settle().await;
    Mounted {
        root,
        handle: Some(handle),
    }
}

async fn settle() {
    TimeoutFuture::new(40).await;
}

fn q(root: &Element, sel: &str) -> Element {
    root.query_selector(sel)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no {sel}"))
}

fn text(root: &Element, sel: &str) -> String {
    q(root, sel).text_content().unwrap_or_default()
}

fn step(root: &Element) -> (usize, usize) {
    let t = text(root, ".step-count");
    let nums: Vec<usize> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|s| s.parse().ok())
        .collect();
    (nums[0], nums[1])
}

fn button(root: &Element, name: &str) -> HtmlElement {
    let list = root.query_selector_all("button").expect("buttons");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|b| {
            // The accessible name: text content minus the aria-hidden glyphs.
            let glyphs = b
                .query_selector("[aria-hidden]")
                .ok()
                .flatten()
                .and_then(|g| g.text_content())
                .unwrap_or_default();
            b.text_content()
                .unwrap_or_default()
                .replacen(&glyphs, "", 1)
                .trim()
                == name
        })
        .unwrap_or_else(|| panic!("no button named {name:?}"))
}

fn key(name: &str) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(name);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let e =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    let _ = document().body().expect("body").dispatch_event(&e);
}

#[wasm_bindgen_test]
async fn buttons_step_and_play() {
    let app = mount().await;
    let root = &app.root;
    let (s, last) = step(root);
    assert_eq!(s, 0);
    assert!(last > 0);
    button(root, "Step forward").click();
    settle().await;
    assert_eq!(step(root).0, 1);
    button(root, "Step back").click();
    settle().await;
    assert_eq!(step(root).0, 0);
    button(root, "Run to end").click();
    settle().await;
    assert_eq!(step(root).0, last);
    button(root, "Back to start").click();
    settle().await;
    assert_eq!(step(root).0, 0);
    button(root, "Play").click();
    settle().await;
    let pause = button(root, "Pause");
    // The default speed is 2 steps/s: 1.6 s is three ticks, two at least.
    TimeoutFuture::new(1600).await;
    pause.click();
    settle().await;
    let _ = button(root, "Play");
    assert!(step(root).0 >= 2, "played some steps: {:?}", step(root));
}

#[wasm_bindgen_test]
async fn keyboard_shortcuts() {
    let app = mount().await;
    let root = &app.root;
    key("ArrowRight");
    key("ArrowRight");
    settle().await;
    assert_eq!(step(root).0, 2);
    key("ArrowLeft");
    settle().await;
    assert_eq!(step(root).0, 1);
    key("End");
    settle().await;
    let (s, last) = step(root);
    assert_eq!(s, last);
    key("Home");
    settle().await;
    assert_eq!(step(root).0, 0);
}

#[wasm_bindgen_test]
async fn map_canvas_summary_and_version_switch() {
    let app = mount().await;
    let root = &app.root;
    let canvas: HtmlCanvasElement = q(root, "#arena-map").dyn_into().expect("canvas");
    assert_eq!(canvas.get_attribute("role").as_deref(), Some("img"));
    assert_eq!(
        canvas.get_attribute("aria-label").as_deref(),
        Some("Allocator map")
    );
    let described = canvas.get_attribute("aria-describedby").expect("described");
    let summary = text(root, &format!("#{described}"));
    assert!(
        summary.contains(" pools in use, ") && summary.contains(" blocks allocated"),
        "{summary}"
    );
    assert!(
        canvas.width() > 100 && canvas.height() > 50,
        "{}x{}",
        canvas.width(),
        canvas.height()
    );

    let select: HtmlSelectElement = q(root, "#version").dyn_into().expect("select");
    assert_eq!(select.value(), pymem::Version::DEFAULT.as_str());
    assert!(text(root, "#stats").contains("1048576 bytes/arena"));
    button(root, "Step forward").click();
    settle().await;
    select.set_value("3.8");
    let _ = select.dispatch_event(&web_sys::Event::new("change").expect("event"));
    settle().await;
    assert!(
        text(root, "#stats").contains("262144 bytes/arena"),
        "{}",
        text(root, "#stats")
    );
    assert_eq!(step(root).0, 1, "the step survives a version switch");
}

#[wasm_bindgen_test]
async fn graph_output_and_help() {
    let app = mount().await;
    let root = &app.root;
    key("End");
    settle().await;
    // The cycle example prints what gc.collect() found, as CPython 3.12 does.
    let out = text(root, "#stdout");
    assert!(out.starts_with("unreachable: "), "{out}");
    let nodes = root.query_selector_all("svg.graph .node").expect("nodes");
    let frames = root.query_selector_all("svg.graph .frame").expect("frames");
    assert_eq!(frames.length(), 1, "the module's frame");
    // Every drawn box is a button with a name that gives its refcount.
    for i in 0..nodes.length() {
        let el: Element = nodes.item(i).expect("node").dyn_into().expect("element");
        let name = el.get_attribute("aria-label").unwrap_or_default();
        assert!(name.contains("refcount "), "{name}");
    }
    key("?");
    settle().await;
    assert!(
        root.query_selector("[role=dialog]")
            .ok()
            .flatten()
            .is_some(),
        "help open"
    );
    key("Escape");
    settle().await;
    assert!(
        root.query_selector("[role=dialog]")
            .ok()
            .flatten()
            .is_none(),
        "help closed"
    );
}
