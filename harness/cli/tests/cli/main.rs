//! The `cargo-wire-compat` tool's tests: every flow through the real binary, on
//! repositories and adopter crates generated in temporary folders.

#[path = "../../../tests/runtime/support/mod.rs"]
mod support;

mod commands;
mod export;
mod faults;
mod gate;
mod gate_shapes;
mod plain;
mod review;
mod workflow;
