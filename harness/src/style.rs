//! Colour decisions for reports: follow the terminal, never colour CI logs.

use std::io::IsTerminal;

/// Whether report text may contain ANSI colour codes.
///
/// Decided once per run, in the order users expect: `NO_COLOR` (any non-empty value)
/// turns colour off; `CLICOLOR_FORCE` (non-empty, not `0`) turns it on even into a pipe;
/// otherwise colour only when stdout is a terminal and `CI` is not set, so CI logs stay
/// plain and greppable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    /// Whether to emit ANSI escapes.
    pub color: bool,
}

impl Style {
    /// Plain text, for tests, files and CI.
    pub const PLAIN: Style = Style { color: false };

    /// Decides from the process environment and stdout.
    pub fn from_env() -> Self {
        let var = |k: &str| std::env::var(k).ok();
        Style::decide(
            var("NO_COLOR").as_deref(),
            var("CLICOLOR_FORCE").as_deref(),
            crate::settings::flag_is_set(var("CI").as_deref()),
            std::io::stdout().is_terminal(),
        )
    }

    /// The decision itself, from its four inputs.
    pub fn decide(no_color: Option<&str>, force: Option<&str>, ci: bool, tty: bool) -> Self {
        let color = if no_color.is_some_and(|v| !v.is_empty()) {
            false
        } else if force.is_some_and(|v| !v.is_empty() && v != "0") {
            true
        } else {
            tty && !ci
        };
        Style { color }
    }

    /// Wraps `text` in an SGR code when colour is on.
    pub fn paint(&self, sgr: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{sgr}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence() {
        assert!(!Style::decide(Some("1"), Some("1"), false, true).color);
        assert!(Style::decide(None, Some("1"), true, false).color);
        assert!(!Style::decide(None, Some("0"), false, false).color);
        assert!(!Style::decide(None, None, true, true).color);
        assert!(Style::decide(None, None, false, true).color);
        assert!(!Style::decide(None, None, false, false).color);
        assert!(Style::decide(Some(""), None, false, true).color);
    }
}
