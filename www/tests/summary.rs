//! The map's text alternative and the inspector's rows.

use pymem::{Allocator, Event, Ptr, Version};
use pymem_web::summary::{pool_place, pool_rows, summary, totals, touched_pools};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test(unsupported = test)]
fn summary_of_an_empty_heap() {
    let a = Allocator::new(Version::V3_12);
    assert_eq!(summary(&a), "0 arenas, 0 pools in use, 0 blocks allocated");
}

#[wasm_bindgen_test(unsupported = test)]
fn summary_counts_arenas_pools_and_blocks() {
    let mut a = Allocator::new(Version::V3_12);
    for n in [16, 16, 16, 100] {
        assert!(a.malloc(n).is_ok());
    }
    let big = a.malloc(4096);
    assert!(
        matches!(big, Ok(Ptr::Raw(_))),
        "large requests bypass pymalloc"
    );
    assert_eq!(summary(&a), "1 arena, 2 pools in use, 4 blocks allocated");
    let t = totals(&a);
    assert_eq!((t.arenas, t.pools_in_use, t.blocks_allocated), (1, 2, 4));
}

#[wasm_bindgen_test(unsupported = test)]
fn inspector_rows_and_list_position() {
    let mut a = Allocator::new(Version::V3_12);
    let p = a.malloc(48).ok();
    let Some(Ptr::Block(b)) = p else {
        panic!("expected a pymalloc block, got {p:?}");
    };
    let rows = pool_rows(&a, b.pool);
    let get = |k: &str| {
        rows.iter()
            .find(|(l, _)| *l == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(get("szidx"), "2");
    assert_eq!(get("block size"), "48 bytes");
    assert_eq!(get("count"), "1 of 340");
    assert_eq!(get("state"), "used");
    assert_eq!(get("linked in"), "usedpools[2], position 1 of 1");
    assert_eq!(get("nextoffset"), (48 + 2 * 48).to_string());

    assert!(a.free(Ptr::Block(b)).is_ok());
    assert!(
        pool_place(&a, b.pool).starts_with("freepools of arena #0, position 1"),
        "{}",
        pool_place(&a, b.pool)
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn touched_pools_are_deduplicated() {
    let mut a = Allocator::new(Version::V3_12);
    a.set_recording(true);
    let _ = a.malloc(16);
    let _ = a.malloc(16);
    let events: Vec<Event> = a.take_events();
    let touched = touched_pools(&events);
    assert_eq!(touched.len(), 1, "{events:?}");
}
