//! The app's components, one per file.

pub mod app;
pub mod arena_map;
pub mod bench_page;
pub mod controls;
pub mod legend;
pub mod narration;
pub mod pool_inspector;
pub mod scrubber;
pub mod stats_panel;
pub mod usable_arenas;
pub mod version_select;
