//! The runtime's tests: what a `harness = false` suite does with goldens, through
//! the public API (and the hidden support module where a test needs an internal),
//! on fixtures of their own.

pub mod support;

mod amplification;
mod approvals;
mod bad_goldens;
mod canonical;
mod colors;
mod declared;
mod false_passes;
mod fuzz;
mod links;
mod names;
mod nextest;
mod pending;
mod pending_records;
mod report;
