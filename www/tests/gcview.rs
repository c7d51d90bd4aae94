//! The collector's view of a position, from the trace's events.

use pymem::program::{record, Budgets};
use pymem::Version;
use pymem_web::gcview::{at, stats_by_step};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test(unsupported = test)]
fn collections_are_counted_and_phases_found() {
    // Two explicit full collections; the first finds the self-cycle.
    let src = "import gc\na = []\na.append(a)\ndel a\ngc.collect()\ngc.collect()\n";
    let t = record(Version::V3_12, "main.py", src, Budgets::default());
    assert_eq!(t.output().exit_code, 0, "{}", t.output().stderr);
    let by_step = stats_by_step(&t);
    assert_eq!(by_step.len(), t.len() + 1);
    let end = at(&t, &by_step, t.len(), t.events(t.len()).len());
    // gc.collect() collects generation 2: two collections, 1 object found.
    assert_eq!(end.stats[2], (2, 1));
    assert_eq!(end.collecting, None);
    assert_eq!(end.finished, Some((2, 0)), "the last one found nothing");
    // Part way through the first collection, after subtract_refs: the list
    // is a candidate with gc_refs 0 (its one reference is its own).
    let step = 5;
    let k = t
        .events(step)
        .iter()
        .position(|e| t.cfunction(e) == "subtract_refs")
        .expect("a subtract_refs phase")
        + 1;
    let mid = at(&t, &by_step, step, k);
    assert_eq!(mid.collecting, Some(2));
    assert_eq!(mid.stats[2], (0, 0), "not finished yet");
    assert!(
        mid.candidates.values().any(|c| c.gc_refs == 0),
        "{:?}",
        mid.candidates
    );
}
