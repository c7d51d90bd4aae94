//! The app's components, one per file.

pub mod app;
pub mod arena_map;
pub mod bench_page;
pub mod controls;
pub mod editor;
pub mod gc_panel;
pub mod graph_node;
pub mod graph_view;
pub mod help;
pub mod inspector;
pub mod legend;
pub mod narration;
pub mod output;
pub mod panes;
pub mod pool_inspector;
pub mod raw_strip;
pub mod run_status;
pub mod scrubber;
pub mod splitter;
pub mod stats_panel;
pub mod usable_arenas;
pub mod version_select;
