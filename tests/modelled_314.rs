//! The 3.14 profile, which no interpreter here can check: programs whose
//! output follows from CPython's source (`Python/gc.c` and
//! `Include/refcount.h` of the main branch) by hand, as each test's
//! comments work it out. The same programs on 3.13 print what the real
//! 3.13.0 prints (checked with pyenv when these tests were written), so
//! each test also shows what 3.14 changes.

use pymem::{interp, Version};

fn run(v: Version, src: &str) -> String {
    let out = interp::run(v, "t.py", src);
    assert_eq!(out.exit_code, 0, "{v}: {}", out.stderr);
    out.stdout
}

/// Thresholds (2000, 10, 0); immortal objects report `3 << 30`; young
/// survivors go to the visited old space, which `gc.get_count()` reports
/// second and `gc.collect(0)` no longer scans; `get_objects(1)` is
/// always empty on 3.14.
#[test]
fn young_collections_promote_into_the_visited_space() {
    let src = "import gc, sys\n\
               print(gc.get_threshold())\n\
               print(sys.getrefcount(None))\n\
               gc.collect()\n\
               a = []\n\
               b = [a]\n\
               a.append(b)\n\
               print(gc.get_count())\n\
               print(gc.collect(0))\n\
               print(gc.get_count())\n\
               print(len(gc.get_objects(0)), gc.get_objects(1))\n\
               del a, b\n\
               print(gc.collect(0))\n\
               print(gc.collect())\n\
               print(gc.get_count())\n";
    // 3.14: two lists tracked (young.count 2); gc_collect_young moves
    // them to old[visited] and counts it; after `del` only the full
    // collection (gc_collect_full) sees them. The last count is 0: what
    // `print` makes and drops is untracked again (_PyObject_GC_UNTRACK
    // takes it off young.count), even when it goes to a free list.
    assert_eq!(
        run(Version::V3_14, src),
        "(2000, 10, 0)\n3221225472\n(2, 0, 0)\n0\n(0, 1, 0)\n0 []\n0\n2\n(0, 0, 0)\n"
    );
    // 3.13.0: generation 1 holds them, and gc.get_objects(1) shows it;
    // the last count is 1, an object allocated after the collection
    // emptied the free lists and then kept on one (no PyObject_GC_Del).
    assert_eq!(
        run(Version::V3_13, src),
        "(2000, 10, 10)\n4294967295\n(2, 0, 0)\n0\n(0, 1, 0)\n0 [[[[...]]], [[[...]]]]\n0\n2\n(1, 0, 0)\n"
    );
}

/// GH-135552: on 3.14 `gc_collect_region` clears weakrefs without a
/// callback only after the finalizers (`clear_weakrefs` on
/// `final_unreachable`), so `__del__` still reaches its object through
/// one; 3.8–3.13 clear them all in `handle_weakrefs`, before. A weakref
/// with a callback is cleared first on both.
#[test]
fn weakrefs_without_callbacks_outlive_the_finalizers_on_3_14() {
    let src = "import gc, weakref\n\
               gc.collect()\n\
               class A:\n\
               \x20   def __del__(self):\n\
               \x20       print('alive in __del__:', r() is self)\n\
               a = A()\n\
               a.me = a\n\
               r = weakref.ref(a)\n\
               del a\n\
               gc.collect()\n\
               print(r())\n\
               b = A()\n\
               b.me = b\n\
               r = weakref.ref(b, lambda w: print('callback'))\n\
               del b\n\
               gc.collect()\n";
    assert_eq!(
        run(Version::V3_14, src),
        "alive in __del__: True\nNone\ncallback\nalive in __del__: False\n"
    );
    assert_eq!(
        run(Version::V3_13, src),
        "alive in __del__: False\nNone\ncallback\nalive in __del__: False\n"
    );
}

/// `PyTupleObject` gains `ob_hash` (gh-131525): 8 more bytes a tuple,
/// so `()` is 16 + 24 + 8 and a pair 16 more.
#[test]
fn tuples_cache_their_hash() {
    let src = "import sys\nprint(sys.getsizeof(()), sys.getsizeof((1, 2)))\n";
    assert_eq!(run(Version::V3_14, src), "48 64\n");
    assert_eq!(run(Version::V3_13, src), "40 56\n");
}

/// What the profile cannot know is refused: an increment's size depends
/// on the startup heap, and the startup statistics were never measured.
#[test]
fn what_depends_on_the_unmeasured_startup_is_refused() {
    for src in [
        "import sys\ndef f():\n    y = []\n    return sys.getrefcount(y)\nf()\n",
        "import gc\ngc.collect(1)\n",
        "import gc\nprint(gc.get_stats())\n",
        "import gc\nprint(gc.get_objects(2))\n",
    ] {
        let out = interp::run(Version::V3_14, "t.py", src);
        assert_eq!(out.exit_code, 2, "{src}");
        assert!(out.stderr.contains("unsupported"), "{src}: {}", out.stderr);
    }
}
