//! How a command ended, as the exit status the tool reports.
//!
//! One enum instead of bare integers, so every command says which of the three
//! documented outcomes it reached, and combining outcomes keeps the worst.

use std::process::ExitCode;

/// The outcome of a command; ordered from best to worst, so `max` combines them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Status {
    /// Exit 0: done.
    #[default]
    Done,
    /// Exit 1: something was left undone (stale changes, tests failed, gate refused,
    /// unreadable records skipped).
    Undone,
    /// Exit 2: could not run (bad arguments, a FILTER that matches nothing, no
    /// terminal, an error before anything was decided).
    CouldNotRun,
}

impl Status {
    /// The process exit code.
    pub fn code(self) -> u8 {
        match self {
            Status::Done => 0,
            Status::Undone => 1,
            Status::CouldNotRun => 2,
        }
    }

    /// `Undone` when `undone` holds, else `Done`.
    pub fn undone_if(undone: bool) -> Status {
        if undone {
            Status::Undone
        } else {
            Status::Done
        }
    }
}

impl From<Status> for ExitCode {
    fn from(s: Status) -> ExitCode {
        ExitCode::from(s.code())
    }
}
