//! Loading a golden file: strict parsing with errors that name file, line and fix.

use std::path::Path;

mod fast;
mod file;
mod layout;
mod precheck;
mod strict;
mod write;

use file::REGENERATE;
pub use file::{
    Declared, GoldenCase, GoldenFile, LoadError, GOLDEN_FORMAT, MAX_GOLDEN_BYTES, MAX_YAML_BYTES,
};
use layout::{header_of, key_lines};
pub use precheck::MAX_NESTING;
use precheck::{complex_key, odd_line_break, too_deep};
pub use strict::EXPANSION_LIMIT;
pub use write::{push_key, push_value, render_entry, render_file, render_golden, APPROVAL_LINES};

/// Goldens larger than this are parsed one at a time (catalogs load in parallel): the
/// transient memory of one parse is bounded, not of one parse per core.
const SERIAL_LOAD_BYTES: u64 = 1024 * 1024;

/// Text that is not canonical and larger than this goes to the YAML parser one file at
/// a time too: serde_yaml holds every event of a file first, up to about 112 bytes per
/// byte, so two 1 MiB files on two cores peaked at 234 MB, and every further core would
/// add 117 MB. Below it, a parse holds at most about 7 MB.
const SERIAL_YAML_BYTES: usize = 64 * 1024;

/// The one lock that makes the large parses of a process take turns, held at most once
/// per load (a large canonical file takes it before parsing, a large text for serde
/// just before the parser).
struct Serial(Option<std::sync::MutexGuard<'static, ()>>);

impl Serial {
    fn take(&mut self) {
        static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
        if self.0.is_none() {
            self.0 = Some(SERIAL.lock().unwrap_or_else(|e| e.into_inner()));
        }
    }
}

/// Reads and parses a golden file; `Ok(None)` when it does not exist.
///
/// Only a regular file is read. A symbolic link is refused, whether it loops or
/// points anywhere: the suite would read (and an approval would replace) a file the
/// reviewer of the goldens folder never sees. A directory, FIFO or device is refused
/// without opening it, so a FIFO cannot hang the suite. At most
/// [`MAX_GOLDEN_BYTES`] are read, even if the file grows while it is read.
pub fn load(path: &Path) -> Result<Option<GoldenFile>, LoadError> {
    use std::io::Read;
    let err = |message: String, hint: &str| LoadError {
        path: path.to_owned(),
        line: None,
        column: None,
        message,
        hint: hint.to_owned(),
    };
    let unreadable = |e: std::io::Error| {
        err(
            format!("cannot read: {e}"),
            "check the file's permissions (and that it is not being replaced), or restore it \
             with `git checkout -- <file>`",
        )
    };
    let link = || {
        err(
            "is a symbolic link; golden files must be regular files".into(),
            "replace the link with the file itself (`cp --remove-destination \"$(readlink -f \
             <file>)\" <file>`), or delete it and run `UPDATE_GOLDENS=1 cargo test`",
        )
    };
    let not_regular = || {
        err(
            "is not a regular file".into(),
            "golden files are plain YAML files directly inside the goldens folder",
        )
    };
    // A look first, so that a FIFO or device is refused without being opened.
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(e)),
        Ok(m) if m.file_type().is_symlink() => return Err(link()),
        Ok(m) if !m.is_file() => return Err(not_regular()),
        Ok(_) => {}
    }
    // Then the file is opened without following a link, and what was opened is checked:
    // a file replaced (by an approval's rename) or removed (by another approval) since
    // the look is read whole or counted as absent, never reported as unreadable.
    let file = match crate::fs::open_options_no_follow().read(true).open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) if crate::fs::is_link_error(&e) => return Err(link()),
        Err(e) => return Err(unreadable(e)),
    };
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(not_regular());
    }
    let too_big = |len: u64| LoadError::too_big(path, len);
    if meta.len() > MAX_GOLDEN_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_GOLDEN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_GOLDEN_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    let mut serial = Serial(None);
    if bytes.len() as u64 > SERIAL_LOAD_BYTES {
        serial.take();
    }
    parse_with(path, &bytes, true, &mut serial).map(Some)
}

/// Parses golden file bytes. `path` is only used in error messages.
///
/// A UTF-8 byte-order mark is skipped and CRLF line endings are read as LF, so a
/// Windows checkout neither fails nor ever approves a `\r` into a message.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<GoldenFile, LoadError> {
    parse_with(path, bytes, true, &mut Serial(None))
}

/// [`parse`], optionally without the fast path (its tests compare the two paths),
/// taking `serial` before a large text goes to the YAML parser.
fn parse_with(
    path: &Path,
    bytes: &[u8],
    fast_path: bool,
    serial: &mut Serial,
) -> Result<GoldenFile, LoadError> {
    let at = |line: Option<usize>, column: Option<usize>, message: String, hint: &str| LoadError {
        path: path.to_owned(),
        line,
        column,
        message,
        hint: hint.to_owned(),
    };
    if bytes.len() as u64 > MAX_GOLDEN_BYTES {
        return Err(LoadError::too_big(path, bytes.len() as u64));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = line_col(&bytes[..e.valid_up_to()]);
            return Err(at(
                Some(line),
                Some(column),
                "is not valid UTF-8".into(),
                "golden files are UTF-8; restore the file from git or regenerate it",
            ));
        }
    };
    let normalized;
    let text = if text.contains('\r') {
        normalized = text.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        text
    };
    if let Some(at_byte) = odd_line_break(text) {
        let line_start = text[..at_byte].rfind('\n').map_or(0, |i| i + 1);
        let c = text[at_byte..].chars().next().unwrap_or_default();
        let (what, hint) = match c {
            '\r' => (
                "a lone CR (a classic Mac OS line ending)".to_owned(),
                "save the file with LF (or CRLF) line endings".to_owned(),
            ),
            _ => (
                format!("a raw U+{:04X}", c as u32),
                format!(
                    "write it as `{}` inside a double-quoted string, or delete it; canonical \
                     goldens never hold it raw",
                    match c {
                        '\u{85}' => "\\N",
                        '\u{2028}' => "\\L",
                        _ => "\\P",
                    }
                ),
            ),
        };
        return Err(at(
            Some(text[..at_byte].matches('\n').count() + 1),
            Some(text[line_start..at_byte].chars().count() + 1),
            format!(
                "holds {what}, which YAML reads as a line break but editors, `git diff` and \
                 reports do not (in a message it would silently become a space)"
            ),
            &hint,
        ));
    }
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.starts_with('#'))
    {
        return Err(at(
            None,
            None,
            "is empty: a golden file needs a `cases:` mapping".into(),
            REGENERATE,
        ));
    }
    // A format this runtime does not know is refused before anything else is read: a
    // newer format may mean something the parsers below would misread.
    if let Some((line, found)) = newer_format(text) {
        return Err(LoadError::unknown_format(path, Some(line), found));
    }
    // Canonical text (every golden this project writes) needs no YAML parser; the
    // fast path takes only text it reads exactly as serde would, else returns None.
    if let Some((format, declared, cases)) = fast_path.then(|| fast::parse(text)).flatten() {
        return Ok(GoldenFile {
            header: header_of(text),
            format,
            declared,
            cases,
        });
    }
    if text.len() > MAX_YAML_BYTES {
        return Err(at(
            None,
            None,
            format!(
                "is {} bytes and not in canonical form; golden files that are not canonical \
                 are limited to {MAX_YAML_BYTES} bytes (canonical ones to {MAX_GOLDEN_BYTES})",
                text.len()
            ),
            "restore the file from git (`git checkout -- <file>`) and make the change \
             through an approval, which writes canonical form; or split the catalog",
        ));
    }
    if let Some((line, column)) = too_deep(text) {
        return Err(at(
            Some(line),
            Some(column),
            format!(
                "collections are nested more than {MAX_NESTING} levels deep (`[`, `{{`, and `- ` \
                 or `? ` opened on one line); a golden \
                 file is a mapping of cases to mappings of scalar fields"
            ),
            REGENERATE,
        ));
    }
    if let Some((line, column)) = complex_key(text) {
        return Err(at(
            Some(line),
            Some(column),
            "`?` starts a complex key; a golden's keys are plain names (case ids and field \
             names), which canonical goldens never write this way"
                .into(),
            "write the key itself followed by `:` (`Case:`, `message:`), or restore the file \
             with `git checkout -- <file>` and regenerate it with `UPDATE_GOLDENS=1 cargo test`",
        ));
    }
    if text.len() > SERIAL_YAML_BYTES {
        serial.take();
    }
    #[cfg(test)]
    PARSED_BY_SERDE.with(|p| p.borrow_mut().push((text.len(), serial.0.is_some())));
    let (format, declared, cases) = strict::cases(text).map_err(|e| {
        let hint = if e.tab_indented {
            "YAML indents with spaces only: replace the tabs at the start of the line with \
             spaces"
        } else {
            e.hint
        };
        at(e.line, e.column, e.message, hint)
    })?;
    let lines = key_lines(text);
    let mut out = Vec::with_capacity(cases.len());
    for (id, entry) in cases {
        // Ids were checked where they stand in the file (see CaseKey).
        let line = lines.get(id.as_str()).copied().unwrap_or(1);
        out.push(GoldenCase { id, entry, line });
    }
    Ok(GoldenFile {
        header: header_of(text),
        format,
        declared,
        cases: out,
    })
}

/// The line and value of a top-level `format:` key before `cases:` whose value is not
/// a format this runtime reads (`1` or `2`). Top-level keys start at column 0, where
/// nothing inside a block mapping or a quoted one-line string can stand; one after
/// `cases:` is left to the strict reading, which checks it too.
fn newer_format(text: &str) -> Option<(usize, &str)> {
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("cases:") {
            return None;
        }
        if let Some(value) = line.strip_prefix("format:") {
            let value = value.split(" #").next().unwrap_or(value).trim();
            let known = value
                .parse::<i64>()
                .is_ok_and(|n| (1..=GOLDEN_FORMAT).contains(&n));
            return (!known).then_some((i + 1, value));
        }
    }
    None
}

/// Where flow collections nest deeper than [`MAX_NESTING`] in `text` (line, column),
/// if they do: the linear pre-scan the loader runs before the YAML parser, public so
/// that the fuzz target checks it against the parser.
pub fn too_deep_at(text: &str) -> Option<(usize, usize)> {
    too_deep(text)
}

fn line_col(valid: &[u8]) -> (usize, usize) {
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

#[cfg(test)]
thread_local! {
    /// Each text this thread gave the YAML parser: its size, and whether the parse held
    /// the lock that makes large parses take turns.
    static PARSED_BY_SERDE: std::cell::RefCell<Vec<(usize, bool)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two 1 MiB goldens that are not canonical, on two cores, peaked at 234 MB (one
    /// parse per core, each up to 112 bytes per byte): every parse of text over
    /// `SERIAL_YAML_BYTES` now holds the lock large loads share, whatever its size
    /// below `SERIAL_LOAD_BYTES`. Counted: which parses held it.
    #[test]
    fn large_texts_for_the_yaml_parser_load_one_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut parsed = Vec::new();
        for cases in [100, 5_000, 20_000] {
            // Flow mappings: valid, but not canonical, so serde_yaml reads them.
            let mut text = String::from("cases:\n");
            for i in 0..cases {
                text.push_str(&format!("  C{i}: {{message: \"m{i}\"}}\n"));
            }
            let path = dir.path().join("alpha.yaml");
            std::fs::write(&path, &text).unwrap();
            PARSED_BY_SERDE.with(|p| p.borrow_mut().clear());
            let file = load(&path).unwrap().unwrap();
            assert_eq!(file.cases.len(), cases);
            parsed.extend(PARSED_BY_SERDE.with(|p| p.take()));
        }
        assert_eq!(parsed.len(), 3, "{parsed:?}");
        for (len, serial) in parsed {
            assert!(len as u64 <= SERIAL_LOAD_BYTES, "{len}");
            assert_eq!(serial, len > SERIAL_YAML_BYTES, "{len} bytes");
        }
    }

    /// A header after a blank line or `---` used to be lost, and comments between
    /// cases were dropped by the first approval; both end up in the header now.
    #[test]
    fn headers_survive_a_leading_marker_and_comments_move_into_them() {
        let text =
            "\n---\n# about x\n#\n# more\ncases:\n  # why A\n  A:\n    message: \"a\"\n# end\n";
        let file = parse(Path::new("x.yaml"), text.as_bytes()).unwrap();
        assert_eq!(file.header, ["about x", "", "more", "", "why A", "end"]);
        let again = write::render_file(
            &file.header,
            file.cases.iter().map(|c| (c.id.as_str(), &c.entry)),
        );
        assert_eq!(
            parse(Path::new("x.yaml"), again.as_bytes()).unwrap().header,
            file.header
        );
    }

    /// Inserting fields one by one into the sorted entry is quadratic (250,000 fields
    /// in reverse order took 48 s): the loader sorts them once instead. Counted, not
    /// timed: at two sizes, loading moves no field to make room for another.
    #[test]
    fn many_fields_in_reverse_order_load_without_shifting_fields() {
        for n in [1_000, 4_000] {
            let mut text = String::from("cases:\n  x:\n");
            for i in (0..n).rev() {
                text.push_str(&format!("    f{i:08}: 1\n"));
            }
            crate::entry::SHIFTED.with(|s| s.set(0));
            let file = parse(Path::new("alpha.yaml"), text.as_bytes()).unwrap();
            let shifted = crate::entry::SHIFTED.with(|s| s.get());
            let names: Vec<&str> = file.cases[0].entry.fields().map(|(k, _)| k).collect();
            assert_eq!(names.len(), n);
            assert!(names.windows(2).all(|w| w[0] < w[1]));
            assert_eq!(shifted, 0, "{n} reversed fields shifted {shifted} times");
        }
    }
}
