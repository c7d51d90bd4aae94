//! The built-in example programs offered in the editor's menu.
//!
//! Each is a fidelity scenario (`tests/fidelity/scenarios/094`–`098`), so
//! the native test suite checks that the model prints what real CPython
//! 3.8–3.13 prints for it.

/// A built-in example.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// Its name in the menu.
    pub name: &'static str,
    /// The program.
    pub source: &'static str,
}

/// The examples, the default first.
pub const EXAMPLES: [Example; 5] = [
    Example {
        name: "A reference cycle and the GC",
        source: include_str!("../../tests/fidelity/scenarios/095_example_cycle.py"),
    },
    Example {
        name: "References and sizes",
        source: include_str!("../../tests/fidelity/scenarios/094_example_references.py"),
    },
    Example {
        name: "A list grows",
        source: include_str!("../../tests/fidelity/scenarios/096_example_list_growth.py"),
    },
    Example {
        name: "A closure's cell",
        source: include_str!("../../tests/fidelity/scenarios/097_example_closure.py"),
    },
    Example {
        name: "Shared objects",
        source: include_str!("../../tests/fidelity/scenarios/098_example_shared_objects.py"),
    },
];
