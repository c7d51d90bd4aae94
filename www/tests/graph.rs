//! The object graph's layout on real recorded programs: what is boxed,
//! what is written inline, cycles, the unreachable band, the node limit,
//! and that no two boxes overlap.

use pymem::program::{record, Budgets};
use pymem::Version;
use pymem_web::graph::{layout, Graph, FRAME_W, MAX_NODES, NODE_W};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn at_end(src: &str, hide_shared: bool) -> Graph {
    let t = record(Version::V3_12, "main.py", src, Budgets::default());
    assert_eq!(t.output().exit_code, 0, "{}", t.output().stderr);
    let s = t.seek(t.len());
    layout(&t, &s.frames, &s.objects, hide_shared)
}

fn assert_no_overlap(g: &Graph) {
    let mut boxes: Vec<(f64, f64, f64, f64)> =
        g.nodes.iter().map(|n| (n.x, n.y, NODE_W, n.h)).collect();
    boxes.extend(g.frames.iter().map(|f| (f.x, f.y, FRAME_W, f.h)));
    for (i, a) in boxes.iter().enumerate() {
        for b in &boxes[i + 1..] {
            let apart =
                a.0 + a.2 <= b.0 || b.0 + b.2 <= a.0 || a.1 + a.3 <= b.1 || b.1 + b.3 <= a.1;
            assert!(apart, "boxes overlap: {a:?} and {b:?}");
        }
    }
    for n in &g.nodes {
        assert!(
            n.x + NODE_W <= g.width && n.y + n.h <= g.height,
            "inside the drawing"
        );
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn variables_boxes_and_a_cycle() {
    let g = at_end("a = [1, 2]\nb = [a]\na.append(b)\nc = 5\n", true);
    assert_eq!(g.frames.len(), 1);
    let rows = &g.frames[0].rows;
    let names: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    // 5 is a cached small int: shared, so written inline.
    assert_eq!(rows[2].to, None);
    assert_eq!(rows[2].inline, "5");
    // The two lists, boxed, each in the cycle a -> b -> a.
    assert_eq!(
        g.nodes.len(),
        2,
        "{:?}",
        g.nodes.iter().map(|n| &n.type_name).collect::<Vec<_>>()
    );
    assert!(g.nodes.iter().all(|n| n.type_name == "list" && n.cycle));
    let a = rows[0].to.expect("a is boxed");
    let b = rows[1].to.expect("b is boxed");
    let cyc = g.arrows.iter().filter(|x| x.cycle).count();
    assert_eq!(cyc, 2, "a[2] -> b and b[0] -> a");
    assert!(g
        .arrows
        .iter()
        .any(|x| x.from == Some(a) && x.to == b && x.cycle));
    // a: refcount 2 (the name a and b[0]); b: 2 (the name b and a[2]).
    assert_eq!(g.node(a).map(|n| n.view.refcnt), Some(2));
    assert_eq!(g.node(b).map(|n| n.view.refcnt), Some(2));
    assert_no_overlap(&g);
    // Shown, the small ints get boxes of their own.
    let shown = at_end("a = [1, 2]\nb = [a]\na.append(b)\nc = 5\n", false);
    assert_eq!(shown.nodes.len(), 5, "two lists and the ints 1, 2 and 5");
    assert_no_overlap(&shown);
}

#[wasm_bindgen_test(unsupported = test)]
fn garbage_cycles_sit_in_the_unreachable_band() {
    let g = at_end("a = []\na.append(a)\ndel a\n", true);
    assert!(g.frames[0].rows.is_empty(), "no variables left");
    assert_eq!(g.nodes.len(), 1);
    let n = &g.nodes[0];
    assert!(n.unreachable && n.cycle, "{n:?}");
    let top = g.band_top.expect("a band");
    assert!(n.y >= top, "below the band's top");
}

#[wasm_bindgen_test(unsupported = test)]
fn big_heaps_are_capped_and_counted() {
    let g = at_end("xs = [[i] for i in range(400)]\n", true);
    assert_eq!(g.nodes.len(), MAX_NODES);
    let hidden: usize = g.hidden.iter().map(|h| h.1).sum();
    // The outer list, 400 one-item lists and the 144 ints over 256 (not
    // cached): 545 objects, 300 drawn.
    assert_eq!(hidden + MAX_NODES, 1 + 400 + 144, "{:?}", g.hidden);
    assert_no_overlap(&g);
}
