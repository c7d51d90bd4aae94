//! Requests over 512 bytes skip pymalloc and go to the system allocator
//! (`PyMem_RawMalloc`): a strip of those blocks, largest drawn widest, the
//! selected object's own ringed.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{HeapRef, ObjView, Ptr};

/// Props of [`RawStrip`].
#[derive(Properties, PartialEq)]
pub struct RawStripProps {
    /// The heap at the current step.
    pub heap: HeapRef,
    /// The selected object's view, if any.
    pub selected: Option<Rc<ObjView>>,
}

/// Blocks drawn; the rest are counted.
const MAX_SHOWN: usize = 200;

/// A byte count for a label: `600 B`, `4.0 KiB`, `1.5 MiB`.
pub fn bytes(n: u64) -> String {
    match n {
        n if n < 1024 => format!("{n} B"),
        n if n < 1024 * 1024 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0)),
    }
}

/// The raw-malloc strip.
#[component]
pub fn RawStrip(props: &RawStripProps) -> Html {
    let alloc = &props.heap.alloc;
    let mine: Vec<_> = props
        .selected
        .as_ref()
        .map(|v| {
            v.blocks
                .iter()
                .filter_map(|b| match b.ptr {
                    Ptr::Raw(id) => Some(id),
                    Ptr::Block(_) => None,
                })
                .collect()
        })
        .unwrap_or_default();
    let blocks: Vec<_> = alloc.raw_blocks().collect();
    let total: u64 = blocks.iter().map(|(_, b)| b.nbytes).sum();
    html! {
        <div class="raw-strip">
            <h3 class="subhead">
                { "Raw malloc (requests over 512 bytes): " }
                { format!("{} blocks, {}", blocks.len(), bytes(total)) }
            </h3>
            <ul class="raw-blocks" aria-label="Raw malloc blocks">
                { for blocks.iter().take(MAX_SHOWN).map(|(id, b)| {
                    // Width grows with the square root of the size, so one
                    // big buffer does not squash the rest.
                    let w = ((b.nbytes as f64).sqrt() / 4.0).clamp(8.0, 160.0);
                    let selected = mine.contains(id);
                    html! {
                        <li class={classes!("raw-block", selected.then_some("selected"))}
                            style={format!("width: {w:.0}px")}
                            title={format!("raw block {}: {} at 0x{:x}", id.0, bytes(b.nbytes), b.address)}>
                            <span class="visually-hidden">{ format!("{}{}", bytes(b.nbytes), if selected { ", the selected object's" } else { "" }) }</span>
                        </li>
                    }
                }) }
            </ul>
            if blocks.len() > MAX_SHOWN {
                <p class="muted">{ format!("… and {} more", blocks.len() - MAX_SHOWN) }</p>
            }
        </div>
    }
}
