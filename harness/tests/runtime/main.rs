//! The runtime's tests: what a `harness = false` suite does with goldens, through
//! the public API (and the hidden support module where a test needs an internal),
//! on fixtures of their own.

pub use wire_compat_testkit as support;

mod amplification;
mod approval_commands;
mod approval_races;
mod approvals;
mod archive;
mod bad_goldens;
mod canonical;
mod colors;
mod declared;
mod false_passes;
mod links;
mod meter;
mod names;
mod pending;
mod pending_records;
mod records_v2;
mod report;
mod testkit;
