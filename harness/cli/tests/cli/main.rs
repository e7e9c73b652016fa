//! The `cargo-wire-compat` tool's tests: every flow through the real binary, on
//! repositories and adopter crates generated in temporary folders.

use wire_compat_testkit as support;

mod commands;
mod export;
mod faults;
mod gate;
mod gate_shapes;
mod members;
mod plain;
mod review;
mod workflow;
