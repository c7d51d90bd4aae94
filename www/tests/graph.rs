//! The object graph's layout on real recorded programs: what is boxed,
//! what is written inline, cycles, the unreachable band, the node limit,
//! and that no two boxes overlap.

use pymem::program::{record, Budgets};
use pymem::Version;
use pymem_web::graph::{layout, Graph, Px, Slots, FRAME_W, MAX_NODES, NODE_W};
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
fn boxes_keep_their_keys_and_a_jump_reuses_the_keys_of_what_went() {
    let mut s: Slots<char> = Slots::default();
    assert_eq!(s.assign(&['a', 'b', 'c'], false), [1, 2, 3]);
    // A step: b stays, a and c went, d is new and gets a key of its own
    // (its box is made anew and fades in).
    assert_eq!(s.assign(&['b', 'd'], false), [2, 4]);
    // A jump: b stays, e and f take the keys of d and of a fresh one.
    assert_eq!(s.assign(&['e', 'b', 'f'], true), [4, 2, 5]);
    // Keys stay distinct within a picture.
    let keys = s.assign(&['g', 'h', 'i', 'e'], true);
    assert_eq!(keys[3], 4, "e keeps its key");
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 4, "{keys:?}");
    assert_eq!(s.assign(&[], true), Vec::<u32>::new());
}

#[wasm_bindgen_test(unsupported = test)]
fn coordinates_are_written_to_a_tenth_of_a_pixel() {
    let s: Vec<String> = [12.0, 12.345, 12.35, -3.96, -0.04, 1e6]
        .map(|x| Px(x).to_string())
        .into();
    assert_eq!(s, ["12", "12.3", "12.4", "-4", "0", "1000000"]);
    // Every arrow's path is numbers to a tenth at most.
    let g = at_end("a = [1000, 2000]\nb = [a, a]\na.append(a)\n", true);
    assert!(!g.arrows.is_empty());
    for a in &g.arrows {
        for n in a
            .path
            .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
        {
            assert!(
                n.split('.').nth(1).is_none_or(|d| d.len() == 1),
                "{}",
                a.path
            );
        }
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn what_only_the_interpreter_holds_has_a_band_of_its_own() {
    // The str constant is held by the module's code object (not an
    // identifier, so not interned and shared); no variable holds it.
    let g = at_end("x = 1000\nprint('not an identifier!')\n", true);
    let held: Vec<_> = g.nodes.iter().filter(|n| n.held).collect();
    assert_eq!(
        held.len(),
        1,
        "{:?}",
        g.nodes.iter().map(|n| &n.view.preview).collect::<Vec<_>>()
    );
    assert_eq!(held[0].type_name, "str");
    assert!(!held[0].unreachable && g.band_top.is_none(), "not garbage");
    let top = g.held_top.expect("the interpreter's band");
    assert!(held[0].y >= top);
    // x's int is a variable's, above the band.
    let x = g.frames[0].rows[0].to.expect("x is boxed");
    assert!(g.node(x).is_some_and(|n| !n.held && n.y < top));
    assert!(g.hidden.is_empty());
    assert_no_overlap(&g);
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
    // A chain of 400 lists, each holding the one before: every one is
    // reached through listed references. Drawn: `i` (399, not a cached
    // int) and the first 299 lists. Not drawn: the other 101 lists, and
    // the constant 400, which the code object holds.
    let g = at_end(
        "head = None\nfor i in range(400):\n    head = [head]\n",
        true,
    );
    assert_eq!(g.nodes.len(), MAX_NODES);
    let hidden: Vec<(&str, usize)> = g.hidden.iter().map(|(t, n)| (t.as_str(), *n)).collect();
    assert_eq!(hidden, [("list", 101), ("int", 1)]);
    assert!(g.band_top.is_none() && g.nodes.iter().all(|n| !n.unreachable));
    assert_no_overlap(&g);
}

#[wasm_bindgen_test(unsupported = test)]
fn items_past_a_views_listed_references_are_not_garbage() {
    // xs's view lists its first 32 items; the other 368 lists (and their
    // ints) are held by xs all the same, not waiting for the collector.
    let g = at_end("xs = [[i] for i in range(400)]\n", true);
    assert!(g.band_top.is_none(), "no unreachable band");
    assert!(g.nodes.iter().all(|n| !n.unreachable));
    // Drawn: xs and its first 32 lists (their ints, 0 to 31, are cached
    // small ints written inline).
    assert_eq!(g.nodes.len(), 33);
    // Not drawn: the other 368 lists, the 143 ints over 256 (not cached)
    // that lists 257 to 399 hold, and the constant 400, which the code
    // object holds.
    let hidden: Vec<(&str, usize)> = g.hidden.iter().map(|(t, n)| (t.as_str(), *n)).collect();
    assert_eq!(hidden, [("list", 368), ("int", 144)]);
    // Nothing held by the interpreter is drawn here: with xs listing only
    // part of its items, what else holds an object cannot be told.
    assert!(g.held_top.is_none() && g.nodes.iter().all(|n| !n.held));
    // A garbage cycle next to them still goes in the band.
    let g = at_end(
        "xs = [[i] for i in range(400)]\na = []\na.append(a)\ndel a\n",
        true,
    );
    let band: Vec<_> = g.nodes.iter().filter(|n| n.unreachable).collect();
    assert_eq!(band.len(), 1, "the self-referencing list");
    assert!(band[0].cycle && band[0].type_name == "list");
}
