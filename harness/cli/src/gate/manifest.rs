//! The crate version from a `Cargo.toml`, read by hand.
//!
//! The gate needs one value, `[package] version`, at two points in history. A TOML
//! parser would be a dependency for that one line, so this reads the manifest line
//! by line: table headers, `version = "..."`, and `version.workspace = true` (resolved
//! from `[workspace.package]` of the same file). Anything it cannot read is an error
//! naming the line, never a guess.

use semver::Version;

/// The `[package] version` of a manifest. `shown` names the manifest in errors.
pub fn package_version(text: &str, shown: &str) -> Result<Version, String> {
    let mut table = String::new();
    let mut in_multiline: Option<&str> = None;
    let mut package_seen = false;
    let mut package: Option<(usize, Raw)> = None;
    let mut workspace: Option<(usize, Raw)> = None;
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some(delim) = in_multiline {
            if line.matches(delim).count() % 2 == 1 {
                in_multiline = None;
            }
            continue;
        }
        let line = line.trim();
        for delim in ["\"\"\"", "'''"] {
            if line.matches(delim).count() % 2 == 1 {
                in_multiline = Some(delim);
            }
        }
        if let Some(rest) = line.strip_prefix("[[") {
            table = format!("[[{}]]", header_name(rest, "]]"));
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            table = header_name(rest, "]");
            package_seen |= table == "package";
            continue;
        }
        let slot = match table.as_str() {
            "package" => &mut package,
            "workspace.package" => &mut workspace,
            _ => continue,
        };
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key: String = key.split('.').map(str::trim).collect::<Vec<_>>().join(".");
        let raw = match key.as_str() {
            "version" => read_value(value.trim()),
            "version.workspace" if strip_comment(value.trim()) == "true" => Raw::Inherit,
            "version.workspace" => Raw::Unreadable,
            _ => continue,
        };
        *slot = Some((n, raw));
    }
    let at = |n: usize| format!("{shown}:{n}");
    match package {
        None if !package_seen => Err(format!(
            "{shown} has no [package] section, so no crate version to gate; \
             pass --manifest <the package's Cargo.toml>"
        )),
        None => Err(format!(
            "{shown} has no `version` in [package]; the gate needs an explicit version"
        )),
        Some((n, Raw::Str(v))) => parse(&v, &at(n)),
        Some((n, Raw::Inherit)) => match workspace {
            Some((wn, Raw::Str(v))) => parse(&v, &at(wn)),
            Some((wn, _)) => Err(format!(
                "{}: cannot read [workspace.package] version (expected a quoted string)",
                at(wn)
            )),
            None => Err(format!(
                "{}: `version.workspace = true`, but {shown} has no [workspace.package] version; \
                 pass --manifest <the workspace root Cargo.toml>, or --baseline-version for the baseline",
                at(n)
            )),
        },
        Some((n, Raw::Unreadable)) => Err(format!(
            "{}: cannot read the package version (expected `version = \"X.Y.Z\"` or \
             `version.workspace = true`)",
            at(n)
        )),
    }
}

enum Raw {
    Str(String),
    Inherit,
    Unreadable,
}

fn header_name(rest: &str, close: &str) -> String {
    let name = rest.split(close).next().unwrap_or_default();
    name.split('.')
        .map(|p| p.trim().trim_matches('"'))
        .collect::<Vec<_>>()
        .join(".")
}

fn strip_comment(value: &str) -> &str {
    value.split('#').next().unwrap_or_default().trim()
}

fn read_value(value: &str) -> Raw {
    for quote in ['"', '\''] {
        if let Some(rest) = value.strip_prefix(quote) {
            return match rest.split_once(quote) {
                Some((s, tail)) if !s.contains('\\') && strip_comment(tail).is_empty() => {
                    Raw::Str(s.to_owned())
                }
                _ => Raw::Unreadable,
            };
        }
    }
    let inline = strip_comment(value);
    if let Some(body) = inline.strip_prefix('{').and_then(|b| b.strip_suffix('}')) {
        let body: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        if body == "workspace=true" {
            return Raw::Inherit;
        }
    }
    Raw::Unreadable
}

fn parse(v: &str, at: &str) -> Result<Version, String> {
    Version::parse(v).map_err(|e| format!("{at}: version {v:?} is not semver: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Result<String, String> {
        package_version(text, "Cargo.toml").map(|v| v.to_string())
    }

    #[test]
    fn reads_the_package_version_and_nothing_else() {
        let text = "[workspace]\nmembers = [\".\",\n  \"harness\"]\n\n[workspace.package]\nversion = \"9.9.9\"\n\n\
                    [package]\nname = \"x\"  # the name\nversion = \"1.4.0\" # released\n\n[dependencies]\nsemver = { version = \"1\" }\n\
                    [package.metadata.x]\nversion = \"7.0.0\"\n";
        assert_eq!(v(text).unwrap(), "1.4.0");
        assert_eq!(
            v("[ package ]\nversion='0.3.0-rc.1'\n").unwrap(),
            "0.3.0-rc.1"
        );
    }

    #[test]
    fn workspace_inheritance_is_resolved_from_the_same_file_or_refused() {
        let text =
            "[package]\nversion.workspace = true\n[workspace.package]\nversion = \"2.1.0\"\n";
        assert_eq!(v(text).unwrap(), "2.1.0");
        let text =
            "[package]\nversion = { workspace = true }\n[workspace.package]\nversion = \"2.1.0\"\n";
        assert_eq!(v(text).unwrap(), "2.1.0");
        let err = v("[package]\nname = \"x\"\nversion.workspace = true\n").unwrap_err();
        assert!(
            err.starts_with("Cargo.toml:3: `version.workspace = true`"),
            "{err}"
        );
    }

    #[test]
    fn missing_or_unreadable_versions_are_errors_with_a_line() {
        assert!(v("[workspace]\nmembers = []\n")
            .unwrap_err()
            .contains("no [package] section"));
        assert!(v("[package]\nname = \"x\"\n")
            .unwrap_err()
            .contains("no `version`"));
        let err = v("[package]\nversion = \"one\"\n").unwrap_err();
        assert!(
            err.starts_with("Cargo.toml:2: version \"one\" is not semver"),
            "{err}"
        );
        assert!(v("[package]\nversion = 1\n")
            .unwrap_err()
            .starts_with("Cargo.toml:2:"));
    }

    #[test]
    fn headers_inside_multiline_strings_are_not_tables() {
        let text = "[package]\nversion = \"1.0.0\"\ndescription = \"\"\"\n[workspace.package]\nversion = \"5.0.0\"\n\"\"\"\n";
        assert_eq!(v(text).unwrap(), "1.0.0");
        let text =
            "[x]\ns = '''\n[package]\nversion = \"5.0.0\"\n'''\n[package]\nversion = \"1.0.0\"\n";
        assert_eq!(v(text).unwrap(), "1.0.0");
    }
}
