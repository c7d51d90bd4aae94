//! The built-in exception types the model raises and catches: their
//! hierarchy (`Objects/exceptions.c`, "SimpleExtendsException" and friends)
//! and their instance layouts per version.
//!
//! Every built-in exception instance is a `PyBaseExceptionObject` (dict,
//! args, traceback, context, cause, suppress_context; 3.11 adds `notes`),
//! a GC type. A few types add fields: `StopIteration` its `value`, and from
//! 3.10 `NameError` its `name` and `AttributeError` its `name` and `obj`.
//! The sizes below are `type.__basicsize__` of the real interpreters.

use crate::version::Version;

/// Each modelled built-in exception type and its base, in the order of
/// CPython's exception hierarchy (Lib/test/exception_hierarchy.txt).
const HIERARCHY: &[(&str, Option<&str>)] = &[
    ("BaseException", None),
    ("SystemExit", Some("BaseException")),
    ("KeyboardInterrupt", Some("BaseException")),
    ("GeneratorExit", Some("BaseException")),
    ("Exception", Some("BaseException")),
    ("StopIteration", Some("Exception")),
    ("ArithmeticError", Some("Exception")),
    ("FloatingPointError", Some("ArithmeticError")),
    ("OverflowError", Some("ArithmeticError")),
    ("ZeroDivisionError", Some("ArithmeticError")),
    ("AssertionError", Some("Exception")),
    ("AttributeError", Some("Exception")),
    ("LookupError", Some("Exception")),
    ("IndexError", Some("LookupError")),
    ("KeyError", Some("LookupError")),
    ("MemoryError", Some("Exception")),
    ("NameError", Some("Exception")),
    ("UnboundLocalError", Some("NameError")),
    ("RuntimeError", Some("Exception")),
    ("NotImplementedError", Some("RuntimeError")),
    ("RecursionError", Some("RuntimeError")),
    ("TypeError", Some("Exception")),
    ("ValueError", Some("Exception")),
    ("UnicodeError", Some("ValueError")),
];

/// The names of the modelled built-in exception types.
pub fn names() -> Vec<&'static str> {
    HIERARCHY.iter().map(|(n, _)| *n).collect()
}

/// The `&'static` name of a modelled built-in exception type, if `name` is one.
pub fn builtin_exception(name: &str) -> Option<&'static str> {
    HIERARCHY.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

/// The base class of a modelled exception type.
pub fn base_of(kind: &str) -> Option<&'static str> {
    HIERARCHY
        .iter()
        .find(|(n, _)| *n == kind)
        .and_then(|(_, b)| *b)
}

/// True when exception type `kind` is `ancestor` or derives from it.
pub fn is_subclass(kind: &str, ancestor: &str) -> bool {
    let mut cur = Some(kind);
    while let Some(k) = cur {
        if k == ancestor {
            return true;
        }
        cur = base_of(k);
    }
    false
}

/// `type.__basicsize__` of built-in exception type `kind` in `v` (the GC
/// header comes on top): 64 bytes up to 3.10, 72 from 3.11 (`notes`), plus
/// the type's own fields.
pub fn basicsize(v: Version, kind: &str) -> u64 {
    let base = if v.minor() >= 11 { 72 } else { 64 };
    let extra = match kind {
        "StopIteration" => 8,
        "NameError" | "UnboundLocalError" if v.minor() >= 10 => 8,
        "AttributeError" if v.minor() >= 10 => 16,
        _ => 0,
    };
    base + extra
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hierarchy_is_closed_and_rooted() {
        for (n, _) in HIERARCHY {
            assert!(is_subclass(n, "BaseException"), "{n}");
        }
        assert!(is_subclass("ZeroDivisionError", "ArithmeticError"));
        assert!(is_subclass("KeyError", "LookupError"));
        assert!(!is_subclass("KeyboardInterrupt", "Exception"));
        assert!(!is_subclass("ValueError", "LookupError"));
    }

    #[test]
    fn sizes_match_the_interpreters() {
        // sys.getsizeof(E()) printed by 3.8.18 … 3.13.0, minus the 16-byte GC header.
        let expect: &[(&str, [u64; 6])] = &[
            ("ValueError", [64, 64, 64, 72, 72, 72]),
            ("StopIteration", [72, 72, 72, 80, 80, 80]),
            ("NameError", [64, 64, 72, 80, 80, 80]),
            ("AttributeError", [64, 64, 80, 88, 88, 88]),
        ];
        for (kind, sizes) in expect {
            for (v, want) in Version::VERIFIED.iter().zip(sizes) {
                assert_eq!(basicsize(*v, kind), *want, "{kind} on {v}");
            }
        }
    }
}
