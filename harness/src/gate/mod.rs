//! The release gate (`cargo compat gate`): being built; see issue 4.

/// Runs `cargo compat gate` with its arguments; returns the exit status.
pub fn cli(_args: &[String]) -> i32 {
    eprintln!("error: `cargo compat gate` is not available in this build yet");
    2
}
