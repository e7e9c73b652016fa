//! `SnapshotError::wire_message()` is `#[must_use]`, as upstream declares it: building
//! the `fault_message` body and dropping it is a bug. If this file compiles, the
//! attribute was removed.

#![deny(unused_must_use)]

fn main() {
    let err = wire_errors::SnapshotError::CrcMismatch;
    err.wire_message();
}
