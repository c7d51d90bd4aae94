//! # pymem-web
//!
//! The in-browser visualizer of how CPython manages memory: a Yew app over
//! the `pymem` core. The user's program is recorded into a
//! `pymem::program::ProgramTrace`; all state lives in [`state::State`];
//! components under [`components`] draw it and dispatch [`state::Action`]s.
//! The object graph's geometry comes from [`graph`], the collector's state
//! at a position from [`gcview`], the arena map's pixels from [`render`].
//!
//! Open the page with `?bench` to run the in-browser benchmarks instead.

pub mod bench;
pub mod canvas;
pub mod components;
pub mod examples;
pub mod gcview;
pub mod graph;
pub mod hooks;
pub mod model;
pub mod palette;
pub mod render;
pub mod state;
pub mod summary;
pub mod worker;

/// Mounts the app on `<body>`.
pub fn run() {
    yew::Renderer::<components::app::App>::new().render();
}
