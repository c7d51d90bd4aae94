//! The allocator's invariants, checked after every operation in tests and debug builds.
