//! The microVM runtime's `VmRuntimeError` (microvm-runtime `src/error.rs`), byte-exact.
//!
//! # Provenance
//!
//! Mirrors tangle-network/microvm-runtime `src/error.rs` at revision
//! `42c68a1503e369c071090e30764555e4a41ba122` (16 variants) and, for [`VmStatus`],
//! `src/model.rs` at `4bf2737419e95ee89277bba6161faf7f1ec71e33`. The published release
//! microvm-runtime 0.4.0-alpha.3 has the same 16 variants and texts, `VmStatus`, and the
//! `to` values `running`, `stopped`, `snapshot`, `destroyed` and `renamed`
//! (`src/adapters/firecracker.rs`). Verified on 2026-11-26; the golden's header names the
//! same revision.

use crate::Sample;
use std::fmt;
use strum::{IntoStaticStr, VariantNames};
use thiserror::Error;

/// Convenience alias used throughout runtime providers, as upstream declares it.
pub type VmRuntimeResult<T> = Result<T, VmRuntimeError>;

/// Errors that can occur during microVM lifecycle or query operations.
///
/// Mirrors microvm-runtime `src/error.rs` at `42c68a1503e369c071090e30764555e4a41ba122`
/// (see the [module docs](self#provenance)).
///
/// The API layer sends `to_string()` of these to clients, so every message below is
/// wire-visible and pinned by `goldens/vm_runtime_error.yaml`.
#[derive(Debug, Error, IntoStaticStr, VariantNames)]
pub enum VmRuntimeError {
    /// Attempted to create a VM with an identifier that is already in use.
    #[error("vm '{0}' already exists")]
    VmAlreadyExists(String),
    /// Referenced a VM identifier that does not exist.
    #[error("vm '{0}' not found")]
    VmNotFound(String),
    /// A lifecycle transition was requested that is not valid from the current state.
    #[error("invalid vm transition for '{vm_id}': {from} -> {to}")]
    InvalidTransition {
        /// The VM whose transition was refused.
        vm_id: String,
        /// The state the VM is in (a [`VmStatus`] rendered with `Display`).
        from: String,
        /// The requested target: `running`, `stopped`, `snapshot`, `destroyed` or `renamed`.
        to: &'static str,
    },
    /// Attempted to create a snapshot with an identifier that already exists on the VM.
    #[error("snapshot '{snapshot_id}' already exists for vm '{vm_id}'")]
    SnapshotAlreadyExists {
        /// The VM the snapshot belongs to.
        vm_id: String,
        /// The snapshot identifier that is already taken.
        snapshot_id: String,
    },
    /// Attempted to restore from a snapshot that does not exist on disk.
    #[error("snapshot '{snapshot_id}' not found for vm '{vm_id}'")]
    SnapshotNotFound {
        /// The VM the snapshot was looked up for.
        vm_id: String,
        /// The snapshot identifier that was not found.
        snapshot_id: String,
    },
    /// Internal lock was poisoned by a panicking thread.
    #[error("provider state lock poisoned")]
    StatePoisoned,
    /// Backend is not supported in the current build/config.
    #[error("backend unsupported: {0}")]
    Unsupported(String),
    /// Metrics poller failed to open, parse, or read the FC metrics FIFO.
    #[error("metrics: {0}")]
    Metrics(String),
    /// Graceful shutdown of a child process failed (signal delivery, wait, or
    /// escalation step).
    #[error("shutdown failed: {0}")]
    Shutdown(String),
    /// Host egress firewall (iptables) setup or teardown failed, or input
    /// validation rejected a rule before any iptables call was made.
    #[error("firewall error: {0}")]
    Firewall(String),
    /// Jailer chroot preparation, command construction, or teardown failed.
    #[error("jailer error: {0}")]
    Jailer(String),
    /// Network configuration is malformed (bad CIDR, prefix out of range, etc).
    #[error("network config invalid: {0}")]
    NetworkConfig(String),
    /// Host network setup or teardown failed (bridge/NAT/forward/TAP).
    #[error("network setup failed: {0}")]
    NetworkSetup(String),
    /// Rootfs catalog discovery, per-VM clone, or SHA-256 integrity check
    /// failed (missing template, stamp mismatch, hash mismatch, I/O error).
    #[error("rootfs: {0}")]
    Rootfs(String),
    /// Userfaultfd page-fault handler failed to bind, hand-shake, or service
    /// page faults. The variant is intentionally a free-form message because
    /// the failure modes range from libc errno values to JSON parse errors on
    /// the region-mapping payload Firecracker sends with the fd.
    #[error("uffd error: {0}")]
    Uffd(String),
    /// Communication with the in-guest metadata daemon failed (UDS connect,
    /// Firecracker `CONNECT` handshake, JSON encode/decode, request timeout,
    /// or guest-reported failure).
    #[error("guest metadata: {0}")]
    GuestMetadata(String),
}

/// A microVM's lifecycle state; its `Display` (snake_case) is the `from` of
/// [`VmRuntimeError::InvalidTransition`], so it is wire-visible too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VmStatus {
    /// Created, never started.
    Created,
    /// Running.
    Running,
    /// Stopped; may be started again.
    Stopped,
    /// Destroyed; every further transition is refused.
    Destroyed,
}

impl VmStatus {
    /// All states, so the suite can pin each one's wire text.
    pub const ALL: [VmStatus; 4] = [
        VmStatus::Created,
        VmStatus::Running,
        VmStatus::Stopped,
        VmStatus::Destroyed,
    ];
}

impl fmt::Display for VmStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            VmStatus::Created => "created",
            VmStatus::Running => "running",
            VmStatus::Stopped => "stopped",
            VmStatus::Destroyed => "destroyed",
        })
    }
}

fn transition(vm_id: &str, from: VmStatus, to: &'static str) -> VmRuntimeError {
    VmRuntimeError::InvalidTransition {
        vm_id: vm_id.to_owned(),
        from: from.to_string(),
        to,
    }
}

impl VmRuntimeError {
    /// Representative values of every variant, with the edge samples that matter for
    /// messages embedding a value (empty, quotes, unicode, spaces). The compat suite
    /// pins the `Display` of each; `VARIANTS` guarantees none is forgotten.
    pub fn samples() -> Vec<Sample<Self>> {
        use VmRuntimeError as E;
        let s = |v: &str| v.to_owned();
        vec![
            Sample::main(E::VmAlreadyExists(s("vm-7f3a"))),
            Sample::edge("empty", E::VmAlreadyExists(s(""))),
            Sample::main(E::VmNotFound(s("vm-7f3a"))),
            Sample::edge("empty", E::VmNotFound(s(""))),
            Sample::edge("quotes", E::VmNotFound(s("it's \"quoted\""))),
            Sample::edge("unicode", E::VmNotFound(s("vm-ü-雪-🚀"))),
            Sample::edge("spaces", E::VmNotFound(s("my vm 01"))),
            Sample::main(transition("vm-7f3a", VmStatus::Created, "stopped")),
            Sample::edge(
                "start-running",
                transition("vm-7f3a", VmStatus::Running, "running"),
            ),
            Sample::edge(
                "start-destroyed",
                transition("vm-7f3a", VmStatus::Destroyed, "running"),
            ),
            Sample::edge(
                "stop-stopped",
                transition("vm-7f3a", VmStatus::Stopped, "stopped"),
            ),
            Sample::edge(
                "snapshot-destroyed",
                transition("vm-7f3a", VmStatus::Destroyed, "snapshot"),
            ),
            Sample::edge(
                "destroy-twice",
                transition("vm-7f3a", VmStatus::Destroyed, "destroyed"),
            ),
            Sample::edge(
                "rename-destroyed",
                transition("vm-7f3a", VmStatus::Destroyed, "renamed"),
            ),
            Sample::edge("empty-id", transition("", VmStatus::Created, "stopped")),
            Sample::main(E::SnapshotAlreadyExists {
                vm_id: s("vm-7f3a"),
                snapshot_id: s("snap-2026-11-25"),
            }),
            Sample::edge(
                "quotes",
                E::SnapshotAlreadyExists {
                    vm_id: s("vm 'a'"),
                    snapshot_id: s("snap \"b\""),
                },
            ),
            Sample::main(E::SnapshotNotFound {
                vm_id: s("vm-7f3a"),
                snapshot_id: s("snap-2026-11-25"),
            }),
            Sample::edge(
                "empty",
                E::SnapshotNotFound {
                    vm_id: s(""),
                    snapshot_id: s(""),
                },
            ),
            Sample::edge(
                "unicode",
                E::SnapshotNotFound {
                    vm_id: s("vm-ü"),
                    snapshot_id: s("スナップ"),
                },
            ),
            Sample::main(E::StatePoisoned),
            Sample::main(E::Unsupported(s("firecracker requires linux/kvm"))),
            Sample::edge("empty", E::Unsupported(s(""))),
            Sample::main(E::Metrics(s(
                "open /run/fc/metrics.fifo: No such file or directory",
            ))),
            Sample::main(E::Shutdown(s(
                "SIGTERM to pid 4242 timed out after 5s; escalating to SIGKILL",
            ))),
            Sample::main(E::Firewall(s(
                "rule rejected: destination \"10.0.0.0/33\" is not a CIDR",
            ))),
            Sample::main(E::Jailer(s(
                "chroot /srv/jailer/firecracker/vm 01/root: permission denied",
            ))),
            Sample::main(E::NetworkConfig(s("prefix /33 out of range for 10.0.0.0"))),
            Sample::main(E::NetworkSetup(s(
                "create tap fc-tap0: device or resource busy",
            ))),
            Sample::main(E::Rootfs(s("sha256 mismatch for ubuntu-24.04.ext4"))),
            Sample::main(E::Uffd(s("bind /run/fc/uffd.sock: address already in use"))),
            Sample::main(E::GuestMetadata(s("CONNECT 52 handshake timed out"))),
            Sample::edge(
                "multiline",
                E::GuestMetadata(s("guest reported:\nline two\ttabbed")),
            ),
        ]
    }
}
