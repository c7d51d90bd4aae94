//! The `pymem` command-line runner.
fn main() {}
