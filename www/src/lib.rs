//! # pymem-web
//!
//! The in-browser visualizer of CPython's memory allocator: a Yew app over
//! the `pymem` core. All state lives in [`state::State`]; components under
//! [`components`] draw it and dispatch [`state::Action`]s; the arena map's
//! pixels come from [`render`].
//!
//! Open the page with `?bench` to run the in-browser benchmarks instead.

pub mod bench;
pub mod canvas;
pub mod components;
pub mod hooks;
pub mod model;
pub mod palette;
pub mod render;
pub mod state;
pub mod summary;

/// Mounts the app on `<body>`.
pub fn run() {
    yew::Renderer::<components::app::App>::new().render();
}
