//! The object inspector (`pymem::inspect`): layouts checked against
//! figures measured on the real interpreters, and on every object of every
//! scenario, the fields tile the object's block and the explanation of
//! `sys.getsizeof` adds up.

mod common;

use pymem::inspect::{inspect, Inspection, Part};
use pymem::program::{self, Budgets, ProgramTrace};
use pymem::Version;

/// The inspection of the object bound to global `name` at the end of `t`.
fn global(t: &ProgramTrace, name: &str) -> Inspection {
    let st = t.seek(t.len());
    let r = st.frames[0]
        .locals
        .iter()
        .find(|(n, _)| t.name(*n) == name)
        .map(|&(_, r)| r)
        .unwrap_or_else(|| panic!("{name} is not bound"));
    let view = &st.objects[&r];
    inspect(t.version(), view, t.name(view.type_name))
}

fn dump(i: &Inspection) -> String {
    let mut s = format!(
        "request {} block {} raw {} getsizeof {} = {}\n",
        i.request, i.block, i.raw, i.getsizeof, i.getsizeof_why
    );
    for f in &i.fields {
        s.push_str(&format!(
            "  {:>4} {:>4} {:<22} {:?} {}\n",
            f.offset, f.size, f.name, f.part, f.value
        ));
    }
    for b in &i.buffers {
        s.push_str(&format!(
            "  buffer {} {} {} {}\n",
            b.what, b.request, b.block, b.raw
        ));
    }
    s
}

/// Objects of most covered types, for the offsets test.
const PROGRAM: &str = "\
def outer():
    v = [1]
    def inner(q=2):
        return v
    return inner

x = 1000
neg = -x - 2**40
t = (x, neg, 3)
s = {x, neg}
st = 'abc' * 3
su = '€' * 3
b = b'abc' * 2
f = 1.5 * x
fn = outer()
cell = fn.__closure__[0]
";

/// Field offsets of a float, a negative two-digit int, bytes, a tuple, a
/// set, strs, a function and a cell against the `ctypes` reads of
/// `tests/fidelity/layout_offsets.py` on 3.8.18–3.13.0: `ob_fval` at 16;
/// `ob_size` -2 (3.8–3.11) or `lv_tag` 18 (3.12+) for a negative
/// two-digit int; bytes' `ob_size`, `ob_shash`, `ob_sval` at 16, 24, 32;
/// a tuple's items from 24; a set's `fill`, `used`, `mask`, `table` (the
/// small table at 64 while it fits), `hash`, `finger` at 16–56 and
/// `weakreflist` at 192 (`sys.getsizeof` 216); an ASCII str's characters at
/// 48 (3.8–3.11) or 40 (3.12+), a UCS2 one's at 72 or 56 after
/// `utf8_length` at 48 or 40 (and, up to 3.11, `wstr` at 40 and
/// `wstr_length` at 64); a function's `func_code`, `func_globals`,
/// `func_builtins`, `func_name`, `func_defaults`, `func_doc`, `func_module`
/// where `id(f.__code__)` and the rest were found, and its
/// `sys.getsizeof`; a cell's `ob_ref` at 16.
#[test]
fn field_offsets_match_ctypes_reads() {
    for v in Version::VERIFIED {
        let t = program::record(v, "t.py", PROGRAM, Budgets::default());
        assert_eq!(t.output().exit_code, 0, "{v}: {}", t.output().stderr);
        let at = |i: &Inspection, name: &str| field(i, name).offset;
        let old = v <= Version::V3_11;

        let i = global(&t, "f");
        assert_eq!(
            (at(&i, "ob_fval"), field(&i, "ob_fval").value.as_str()),
            (16, "1500.0")
        );

        let i = global(&t, "neg");
        if old {
            assert_eq!(field(&i, "ob_size").value, "-2", "{v}");
        } else {
            assert!(field(&i, "lv_tag").value.starts_with("18 "), "{v}");
        }

        let i = global(&t, "b");
        assert_eq!(
            (at(&i, "ob_size"), at(&i, "ob_shash"), at(&i, "ob_sval")),
            (16, 24, 32)
        );
        assert_eq!(i.getsizeof, 39);

        let i = global(&t, "t");
        assert_eq!(
            (at(&i, "ob_size"), at(&i, "ob_item"), i.getsizeof),
            (16, 24, 64)
        );

        let i = global(&t, "s");
        let offsets: Vec<i64> = [
            "fill",
            "used",
            "mask",
            "table",
            "hash",
            "finger",
            "smalltable",
            "weakreflist",
        ]
        .iter()
        .map(|n| at(&i, n))
        .collect();
        assert_eq!(offsets, [16, 24, 32, 40, 48, 56, 64, 192]);
        assert_eq!(field(&i, "smalltable").size, 128);
        assert!(field(&i, "table").value.contains("smalltable"));
        assert_eq!(i.getsizeof, 216);

        let (ascii_data, ucs2_data, utf8_len) = if old { (48, 72, 48) } else { (40, 56, 40) };
        let i = global(&t, "st");
        assert_eq!(
            (at(&i, "length"), at(&i, "hash"), at(&i, "state")),
            (16, 24, 32)
        );
        assert_eq!(at(&i, "data"), ascii_data, "{v}");
        assert_eq!(i.getsizeof, ascii_data as u64 + 10, "{v}");
        let i = global(&t, "su");
        assert_eq!(
            (at(&i, "data"), at(&i, "utf8_length")),
            (ucs2_data, utf8_len),
            "{v}"
        );
        assert_eq!(i.getsizeof, ucs2_data as u64 + 8, "{v}");
        if old {
            assert_eq!((at(&i, "wstr"), at(&i, "wstr_length")), (40, 64));
        }

        let i = global(&t, "fn");
        let (offsets, size): ([i64; 6], u64) = match v.minor() {
            // code, globals, defaults, doc, name, module
            8 | 9 => ([16, 24, 32, 56, 64, 88], 136),
            10 => ([48, 16, 56, 80, 32, 104], 144),
            11 => ([48, 16, 56, 80, 32, 104], 152),
            _ => ([48, 16, 56, 80, 32, 104], 160),
        };
        let got = [
            "func_code",
            "func_globals",
            "func_defaults",
            "func_doc",
            "func_name",
            "func_module",
        ]
        .map(|n| at(&i, n));
        assert_eq!(got, offsets, "{v}");
        assert_eq!(i.getsizeof, size, "{v}");
        if v.minor() >= 10 {
            assert_eq!((at(&i, "func_builtins"), at(&i, "func_qualname")), (24, 40));
        } else {
            assert_eq!(at(&i, "func_qualname"), 104);
        }
        assert!(field(&i, "func_defaults").value.starts_with("→"));
        assert!(field(&i, "func_closure").value.starts_with("→"));

        let i = global(&t, "cell");
        assert_eq!((at(&i, "ob_ref"), i.getsizeof), (16, 40));
        assert!(field(&i, "ob_ref").value.starts_with("→"));
    }
}

/// One object's figures as measured on a real interpreter.
struct Measured {
    getsizeof: u64,
    /// `type(x).__basicsize__`.
    basicsize: u64,
}

/// The fields at offsets 0 up to `__basicsize__` (not the inline part).
fn basicsize(i: &Inspection) -> u64 {
    i.fields
        .iter()
        .filter(|f| f.offset >= 0 && f.part != Part::Inline)
        .map(|f| f.size)
        .sum()
}

fn field<'a>(i: &'a Inspection, name: &str) -> &'a pymem::inspect::Field {
    i.fields
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no {name} in\n{}", dump(i)))
}

/// The program `tests/fidelity/inspect_probe.py` makes, as the model runs it.
const MEASURED_PROGRAM: &str = "\
class C:
    def __init__(self):
        self.a = 1
        self.b = 2

x = 1000
n = x + 1
l = [x, n, x]
d = {'a': x}
C()
c = C()
";

/// An int, a 3-item list display, a one-item dict display and an instance
/// on each verified version, against what `tests/fidelity/inspect_probe.py`
/// read from 3.8.18, 3.9.18, 3.10.13, 3.11.7, 3.12.1 and 3.13.0 (run as
/// `PYENV_VERSION=3.X.Y python3 tests/fidelity/inspect_probe.py`):
/// `sys.getsizeof`, `type.__basicsize__`, fields read with
/// `ctypes.c_ssize_t.from_address(id(x) + offset)` (`ob_size`/`lv_tag` at
/// 16, the first digit at 24, a list's `allocated` at 32, a dict's
/// `ma_used` at 16 and `ma_values` at 40, an instance's dict, values and
/// weakref pointers at 16, -24 and -32, 3.13's inline `capacity` and
/// `size` bytes at 16 and 17), `gc.is_tracked`, and with tracemalloc the
/// bytes the int's and the instance's creation allocated.
#[test]
fn layouts_match_the_measured_interpreters() {
    // Per version: int (getsizeof, the word at 16, traced bytes), dict
    // getsizeof, instance (getsizeof, basicsize, traced bytes with its
    // values: 3.11+ only, where no free list hides them).
    let table: [(Version, u64, &str, u64, u64, Measured, u64); 6] = [
        (
            Version::V3_8,
            28,
            "1",
            28,
            232,
            Measured {
                getsizeof: 48,
                basicsize: 32,
            },
            0,
        ),
        (
            Version::V3_9,
            28,
            "1",
            28,
            232,
            Measured {
                getsizeof: 48,
                basicsize: 32,
            },
            0,
        ),
        (
            Version::V3_10,
            28,
            "1",
            28,
            232,
            Measured {
                getsizeof: 48,
                basicsize: 32,
            },
            0,
        ),
        (
            Version::V3_11,
            28,
            "1",
            32,
            184,
            Measured {
                getsizeof: 56,
                basicsize: 24,
            },
            312,
        ),
        (
            Version::V3_12,
            28,
            "8 ",
            32,
            184,
            Measured {
                getsizeof: 48,
                basicsize: 16,
            },
            304,
        ),
        (
            Version::V3_13,
            28,
            "8 ",
            32,
            184,
            Measured {
                getsizeof: 48,
                basicsize: 16,
            },
            320,
        ),
    ];
    assert_eq!(table.each_ref().map(|r| r.0), Version::VERIFIED);
    for (v, int_size, at16, int_alloc, dict_size, inst, inst_alloc) in table {
        let t = program::record(v, "t.py", MEASURED_PROGRAM, Budgets::default());
        assert_eq!(t.output().exit_code, 0, "{v}: {}", t.output().stderr);

        // int 1001: one digit.
        let i = global(&t, "n");
        assert_eq!(i.getsizeof, int_size, "{v}");
        assert_eq!(basicsize(&i), 24, "{v}: int's basicsize");
        let size = if v >= Version::V3_12 {
            "lv_tag"
        } else {
            "ob_size"
        };
        let f = field(&i, size);
        assert_eq!(f.offset, 16);
        assert!(f.value.starts_with(at16), "{v}: {size} = {}", f.value);
        let f = field(&i, "ob_digit");
        assert_eq!((f.offset, f.size), (24, 4), "{v}");
        assert!(f.value.starts_with("[1001]"), "{v}: {}", f.value);
        assert_eq!(i.request, int_alloc, "{v}: tracemalloc's bytes");
        assert!(
            i.fields.iter().all(|f| f.part != Part::GcHeader),
            "{v}: not GC"
        );

        // [x, n, x]: 80 bytes, 3 allocated, tracked.
        let i = global(&t, "l");
        assert_eq!((i.getsizeof, basicsize(&i)), (80, 40), "{v}");
        assert_eq!(field(&i, "ob_size").offset, 16);
        assert_eq!(field(&i, "ob_size").value, "3");
        assert_eq!(
            (field(&i, "ob_item").offset, field(&i, "allocated").offset),
            (24, 32)
        );
        assert_eq!(field(&i, "allocated").value, "3", "{v}");
        assert!(field(&i, "_gc_next").value.starts_with("→"), "{v}: tracked");
        assert_eq!(field(&i, "_gc_next").offset, -16);
        assert_eq!(i.buffers.len(), 1);
        assert_eq!(
            (i.buffers[0].what, i.buffers[0].request),
            ("item array", 24)
        );
        assert_eq!(
            i.getsizeof_why,
            "40 basicsize + 8 × 3 allocated + 16 GC header = 80"
        );

        // {'a': x}: combined, owns an 8-slot keys object; untracked.
        let i = global(&t, "d");
        assert_eq!((i.getsizeof, basicsize(&i)), (dict_size, 48), "{v}");
        assert_eq!(
            (
                field(&i, "ma_used").offset,
                field(&i, "ma_used").value.as_str()
            ),
            (16, "1")
        );
        assert_eq!(field(&i, "ma_keys").offset, 32);
        assert!(field(&i, "ma_keys").value.starts_with("→ dict keys"), "{v}");
        assert_eq!(field(&i, "ma_values").offset, 40);
        assert!(field(&i, "ma_values").value.starts_with("NULL"), "{v}");
        assert!(
            field(&i, "_gc_next").value.starts_with('0'),
            "{v}: untracked"
        );
        assert_eq!(i.buffers.len(), 1);
        assert_eq!(i.buffers[0].what, "dict keys");
        assert_eq!(i.buffers[0].request, dict_size - 64, "{v}: the keys object");

        // The second instance of C.
        let i = global(&t, "c");
        assert_eq!(
            (i.getsizeof, basicsize(&i)),
            (inst.getsizeof, inst.basicsize),
            "{v}"
        );
        assert!(field(&i, "_gc_next").value.starts_with("→"), "{v}: tracked");
        match v.minor() {
            8..=10 => {
                assert_eq!(field(&i, "__dict__").offset, 16);
                assert!(field(&i, "__dict__").value.starts_with("→"), "{v}");
                assert_eq!(field(&i, "__weakref__").offset, 24);
                assert!(i.buffers.is_empty());
            }
            11 => {
                assert_eq!(field(&i, "values").offset, -32);
                assert!(field(&i, "values").value.starts_with("→ values array"));
                assert_eq!(
                    (field(&i, "dict").offset, field(&i, "dict").value.as_str()),
                    (-24, "NULL")
                );
                assert_eq!(field(&i, "__weakref__").offset, 16);
            }
            12 => {
                assert_eq!(field(&i, "weakreflist").offset, -32);
                assert_eq!(field(&i, "dict_or_values").offset, -24);
                assert!(field(&i, "dict_or_values")
                    .value
                    .ends_with("| 1 (tagged: values)"));
            }
            _ => {
                assert_eq!(field(&i, "weakreflist").offset, -32);
                let f = field(&i, "managed_dict");
                assert_eq!((f.offset, f.value.as_str()), (-24, "NULL"));
                // capacity 28, size 2, embedded 1, at 16..19; values at 24.
                assert_eq!(
                    (
                        field(&i, "capacity").offset,
                        field(&i, "capacity").value.as_str()
                    ),
                    (16, "28")
                );
                assert_eq!(
                    (field(&i, "size").offset, field(&i, "size").value.as_str()),
                    (17, "2")
                );
                assert_eq!(
                    (
                        field(&i, "embedded").offset,
                        field(&i, "embedded").value.as_str()
                    ),
                    (18, "1")
                );
                assert_eq!(field(&i, "values").offset, 24);
            }
        }
        if inst_alloc > 0 {
            let total = i.request + i.buffers.iter().map(|b| b.request).sum::<u64>();
            assert_eq!(total, inst_alloc, "{v}: tracemalloc's bytes");
        }
    }
}

/// `PyGC_Head` is 16 bytes from 3.8 on (two words; 3.7's was 32:
/// `sys.getsizeof([]) - [].__sizeof__()` is 32 on 3.7.16, 16 on 3.8.18
/// to 3.13.0), and a GC object's header sits right before it.
#[test]
fn the_gc_header_is_two_words_in_front() {
    let t = program::record(Version::V3_8, "t.py", MEASURED_PROGRAM, Budgets::default());
    let i = global(&t, "l");
    let gc: Vec<(i64, u64, &str)> = i
        .fields
        .iter()
        .filter(|f| f.part == Part::GcHeader)
        .map(|f| (f.offset, f.size, f.name))
        .collect();
    assert_eq!(gc, [(-16, 8, "_gc_next"), (-8, 8, "_gc_prev")]);
}

/// Every object of every scenario, at a spread of steps, on every version:
/// the fields run back to back from the GC header (or pre-header) on and,
/// for an object that owns its block, cover exactly the bytes requested;
/// every other block is a buffer; and the getsizeof explanation's terms
/// add up to `sys.getsizeof` (no fallback).
#[test]
fn layouts_tile_blocks_and_explain_getsizeof_on_every_scenario() {
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for path in common::scenario_files() {
        let src = std::fs::read_to_string(&path).expect("read scenario");
        let file = path.display().to_string();
        for v in Version::ALL {
            let t = program::record(v, &file, &src, Budgets::default());
            let steps = [t.len() / 3, 2 * t.len() / 3, t.len()];
            for step in steps {
                let st = t.seek(step);
                for (r, view) in &st.objects {
                    let ty = t.name(view.type_name);
                    let i = inspect(v, view, ty);
                    checked += 1;
                    if let Err(e) = well_formed(&i, view) {
                        failures.push(format!(
                            "{file} {v} step {step} {r} ({ty}): {e}\n{}",
                            dump(&i)
                        ));
                    }
                }
            }
        }
        if failures.len() > 5 {
            break;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 100_000, "{checked}");
}

fn well_formed(i: &Inspection, view: &program::ObjView) -> Result<(), String> {
    let first = i.fields.first().ok_or("no fields")?;
    let mut at = first.offset;
    for f in &i.fields {
        if f.offset != at {
            return Err(format!("{} at {} not {at}", f.name, f.offset));
        }
        at += f.size as i64;
    }
    if !i
        .fields
        .iter()
        .any(|f| f.name == "ob_refcnt" && f.offset == 0)
        || !i
            .fields
            .iter()
            .any(|f| f.name == "ob_type" && f.offset == 8)
    {
        return Err("no PyObject header".into());
    }
    // An object made before the program owns no block the model places,
    // though it may own buffers it allocated since.
    let own = view
        .blocks
        .first()
        .filter(|b| b.part == pymem::layout::Part::Object);
    if let Some(b) = own {
        let covered = (at - first.offset) as u64;
        if covered != u64::from(b.nbytes) || i.request != u64::from(b.nbytes) {
            return Err(format!("fields cover {covered} of {} bytes", b.nbytes));
        }
    } else if i.request != 0 {
        return Err("a request without a block".into());
    }
    if i.buffers.len() + usize::from(own.is_some()) != view.blocks.len() {
        return Err(format!(
            "{} buffers for {} blocks",
            i.buffers.len(),
            view.blocks.len()
        ));
    }
    // The explanation: terms `N what` or `A × B what`, then `= total`.
    let (terms, total) = i.getsizeof_why.rsplit_once(" = ").ok_or("no total")?;
    let mut sum = 0u64;
    for term in terms.split(" + ") {
        let mut words = term.split(' ');
        let n: u64 = words
            .next()
            .and_then(|w| w.parse().ok())
            .ok_or(format!("term {term:?}"))?;
        let mut words = words.peekable();
        let value = if words.peek() == Some(&"×") {
            words.next();
            let m: u64 = words
                .next()
                .and_then(|w| w.parse().ok())
                .ok_or(format!("term {term:?}"))?;
            n * m
        } else {
            n
        };
        sum += value;
    }
    if total.parse::<u64>().ok() != Some(view.getsizeof) || sum != view.getsizeof {
        return Err(format!(
            "{:?} sums to {sum}, getsizeof {}",
            i.getsizeof_why, view.getsizeof
        ));
    }
    if i.getsizeof_why.contains("and headers") {
        return Err("fallback explanation".into());
    }
    Ok(())
}

/// 3.14, from its headers only (not run): `PyTupleObject` caches its hash
/// in `ob_hash` before the items (gh-131525, `Include/cpython/tupleobject.h`),
/// `PyDictObject`'s second field is `_ma_watcher_tag`
/// (`Include/cpython/dictobject.h`), and `PyFunctionObject` gains
/// `func_annotate` before `func_typeparams` (PEP 649,
/// `Include/cpython/funcobject.h`): basicsize 152, getsizeof 168.
#[test]
fn modelled_314_layouts_follow_its_headers() {
    let t = program::record(Version::V3_14, "t.py", PROGRAM, Budgets::default());
    let i = global(&t, "t");
    let at = |i: &Inspection, name: &str| field(i, name).offset;
    assert_eq!(
        (at(&i, "ob_hash"), at(&i, "ob_item"), i.getsizeof),
        (24, 32, 72)
    );
    let i = global(&t, "fn");
    assert_eq!(
        (at(&i, "func_annotate"), at(&i, "func_typeparams")),
        (120, 128)
    );
    assert_eq!((basicsize(&i), i.getsizeof), (152, 168));
    assert!(field(&i, "_gc_next").value.contains("young"));
    let t = program::record(Version::V3_14, "t.py", MEASURED_PROGRAM, Budgets::default());
    let i = global(&t, "d");
    assert_eq!(at(&i, "_ma_watcher_tag"), 24);
}
