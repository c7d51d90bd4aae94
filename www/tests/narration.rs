//! The narration's wording: handles named by type, long steps summarised.

use pymem::program::{record, Budgets};
use pymem::Version;
use pymem_web::components::narration::{name_objects, narrate};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test(unsupported = test)]
fn handles_are_named_by_type() {
    let name_of = |n: u32| (n == 119).then(|| "list".to_string());
    assert_eq!(
        name_objects("Py_INCREF: obj#119 now has 2; obj#7 and obj#", &name_of),
        "Py_INCREF: list 119 now has 2; object 7 and obj#"
    );
}

#[wasm_bindgen_test(unsupported = test)]
fn short_steps_are_told_in_full_and_long_ones_summed_up() {
    let src = "x = 5\ny = [x]\nimport gc\ngc.collect()\n";
    let t = record(Version::V3_12, "main.py", src, Budgets::default());
    // Line 1 has a handful of events: the core's full narration.
    assert!(t.events(1).len() <= 8);
    assert_eq!(narrate(&t, 1, t.events(1).len()), t.narration(1));
    // The collection logs dozens: a tally and the result.
    let n = t.events(4).len();
    assert!(n > 8, "{n}");
    let s = narrate(&t, 4, n);
    assert!(s.starts_with(&format!("Line 4 runs. {n} events: ")), "{s}");
    assert!(s.contains("1 collection"), "{s}");
    assert!(s.contains("gc_collect_main finished generation 2"), "{s}");
    // Part way through: the event just done.
    let s = narrate(&t, 4, 1);
    assert!(s.starts_with(&format!("Line 4, event 1 of {n}: ")), "{s}");
}
