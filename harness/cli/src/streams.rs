//! Where commands write: the two streams `main` owns, handed down as writers.
//!
//! Only `main` touches the process's stdout and stderr; every command writes into
//! these, so tests drive commands into buffers and nothing prints behind `main`'s
//! back (the interactive review's prompts included).

use std::io::Write;

/// The tool's output (reports, listings, prompts) and its diagnostics (errors,
/// warnings). Write errors (a closed pipe) are ignored by the callers: a reader that
/// went away needs no more output, and the exit status still tells what happened.
pub struct Streams<'a> {
    /// What the command reports: stdout.
    pub out: &'a mut dyn Write,
    /// Errors and warnings: stderr.
    pub err: &'a mut dyn Write,
}

impl Streams<'_> {
    /// Flushes the output before another process or a prompt takes the terminal.
    pub fn flush(&mut self) {
        let _ = self.out.flush();
        let _ = self.err.flush();
    }
}
