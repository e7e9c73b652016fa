//! Loading a golden file: strict parsing with errors that name file, line and fix.

use crate::case::check_id;
use crate::value::{Entry, Value};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

mod fast;

/// The largest golden file the loader reads (32 MiB). A golden of 100,000 cases is
/// about 10 MB; anything far larger is a mistake (or an attack) and would only make
/// the suite slow, so it is refused with a message instead of being parsed.
pub const MAX_GOLDEN_BYTES: u64 = 32 * 1024 * 1024;

/// One case as a golden file records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenCase {
    /// The case id (the mapping key under `cases:`).
    pub id: String,
    /// The pinned fields.
    pub entry: Entry,
    /// The 1-based line of the case's key, so reports can point at it.
    pub line: usize,
}

impl GoldenCase {
    /// Whether the entry is a tombstone: a removed case kept (with a `retired`
    /// reason) so that its code stays reserved and the release gate allows the removal.
    pub fn is_retired(&self) -> bool {
        self.entry.get("retired").is_some()
    }
}

/// A parsed golden file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoldenFile {
    /// The header comment lines, without their `# ` prefix; kept on rewrite.
    pub header: Vec<String>,
    /// The cases in file order.
    pub cases: Vec<GoldenCase>,
}

/// Why a golden file could not be used, located as precisely as the input allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The file that failed.
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if !self.hint.is_empty() {
            write!(f, "\n  fix: {}", self.hint)?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

const REGENERATE: &str = "fix the YAML by hand (see `git diff` / `git checkout -- <file>`), \
     or delete the file and run `UPDATE_GOLDENS=1 cargo test` to regenerate it";

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
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unreadable(e)),
    };
    if meta.file_type().is_symlink() {
        return Err(err(
            "is a symbolic link; golden files must be regular files".into(),
            "replace the link with the file itself (`cp --remove-destination \"$(readlink -f \
             <file>)\" <file>`), or delete it and run `UPDATE_GOLDENS=1 cargo test`",
        ));
    }
    if !meta.is_file() {
        return Err(err(
            "is not a regular file".into(),
            "golden files are plain YAML files directly inside the goldens folder",
        ));
    }
    let too_big = |len: u64| {
        err(
            format!("is {len} bytes; golden files are limited to {MAX_GOLDEN_BYTES} bytes"),
            "split the catalog into several golden files, or restore the file from git",
        )
    };
    if meta.len() > MAX_GOLDEN_BYTES {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_GOLDEN_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    if bytes.len() as u64 > MAX_GOLDEN_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    parse(path, &bytes).map(Some)
}

/// Parses golden file bytes. `path` is only used in error messages.
///
/// A UTF-8 byte-order mark is skipped and CRLF line endings are read as LF, so a
/// Windows checkout neither fails nor ever approves a `\r` into a message.
pub fn parse(path: &Path, bytes: &[u8]) -> Result<GoldenFile, LoadError> {
    parse_with(path, bytes, true)
}

/// [`parse`], optionally without the fast path (its tests compare the two paths).
fn parse_with(path: &Path, bytes: &[u8], fast_path: bool) -> Result<GoldenFile, LoadError> {
    let at = |line: Option<usize>, column: Option<usize>, message: String, hint: &str| LoadError {
        path: path.to_owned(),
        line,
        column,
        message,
        hint: hint.to_owned(),
    };
    if bytes.len() as u64 > MAX_GOLDEN_BYTES {
        return Err(at(
            None,
            None,
            format!(
                "is {} bytes; golden files are limited to {MAX_GOLDEN_BYTES} bytes",
                bytes.len()
            ),
            "split the catalog into several golden files, or restore the file from git",
        ));
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
    // Canonical text (every golden this project writes) needs no YAML parser; the
    // fast path takes only text it reads exactly as serde would, else returns None.
    if let Some(cases) = fast_path.then(|| fast::parse(text)).flatten() {
        return Ok(GoldenFile {
            header: header_of(text),
            cases,
        });
    }
    if let Some((line, column)) = too_deep(text) {
        return Err(at(
            Some(line),
            Some(column),
            format!(
                "`[`/`{{` collections are nested more than {MAX_NESTING} levels deep; a golden \
                 file is a mapping of cases to mappings of scalar fields"
            ),
            REGENERATE,
        ));
    }
    let doc = serde_yaml::Deserializer::from_str(text);
    let ctx = Ctx {
        left: std::cell::Cell::new(text.len().saturating_mul(EXPANSION_LIMIT) + 1024),
        hint: std::cell::Cell::new(REGENERATE),
    };
    let cases = match doc.deserialize_map(DocVisitor(&ctx)) {
        Ok(cases) => cases,
        Err(e) => {
            let loc = e.location();
            let (line, column) = (loc.as_ref().map(|l| l.line()), loc.map(|l| l.column()));
            // The location is shown in front; keep the rest (libyaml's "while
            // scanning a quoted scalar at line 6 column 14" says where it began).
            let mut message = e.to_string();
            if let (Some(l), Some(c)) = (line, column) {
                message = message.replacen(&format!(" at line {l} column {c}"), "", 1);
            }
            let tab_indented = line.and_then(|l| text.lines().nth(l - 1)).is_some_and(|l| {
                l.chars()
                    .take_while(|c| c.is_whitespace())
                    .any(|c| c == '\t')
            });
            let hint = if tab_indented {
                "YAML indents with spaces only: replace the tabs at the start of the line with \
                 spaces"
            } else {
                ctx.hint.get()
            };
            return Err(at(line, column, message, hint));
        }
    };
    let lines = key_lines(text);
    let mut out = Vec::with_capacity(cases.len());
    for (id, entry) in cases {
        // Ids were checked where they stand in the file (see CaseKey).
        let line = lines.get(id.as_str()).copied().unwrap_or(1);
        out.push(GoldenCase { id, entry, line });
    }
    Ok(GoldenFile {
        header: header_of(text),
        cases: out,
    })
}

/// The deepest nesting of flow collections (`[...]`, `{...}`) a golden may have.
///
/// A golden needs at most one level (`Case: {}`). The YAML parser's time grows with
/// the square of the flow depth (a 1 MB file of `{a: ` takes minutes), so deeper
/// input is refused by a linear scan before it reaches the parser. Block nesting
/// (indentation) is cheap to parse and refused by the type checks below.
pub const MAX_NESTING: usize = 32;

/// Finds where flow collections nest deeper than [`MAX_NESTING`], if they do;
/// returns the 1-based line and column of the opening bracket that goes too deep.
///
/// A linear scan that skips what YAML does not parse as structure: comments,
/// quoted strings, block scalars (`|`, `>`) and brackets inside plain text (a `[`
/// only opens a collection where a value starts). Inside a collection every bracket
/// counts, so a mistake can only make the scan stricter than the parser, not laxer.
fn too_deep(text: &str) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let (mut depth, mut line, mut line_start, mut i) = (0usize, 1usize, 0usize, 0usize);
    // Whether the next byte would start a YAML token (a value may begin here).
    let mut token_start = true;
    let blank = |j: usize| j >= b.len() || matches!(b[j], b' ' | b'\t' | b'\n');
    let indent_at = |j: usize| b[j..].iter().take_while(|&&c| c == b' ').count();
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                token_start = true;
            }
            b' ' | b'\t' => {}
            b'#' if i == line_start || matches!(b[i - 1], b' ' | b'\t') => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' if token_start => {
                i += 1;
                while i < b.len() {
                    match b[i] {
                        b'\\' if c == b'"' && b.get(i + 1) != Some(&b'\n') => i += 1,
                        b'\'' if c == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 1,
                        q if q == c => break,
                        b'\n' => {
                            line += 1;
                            line_start = i + 1;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                token_start = false;
            }
            b'[' | b'{' if token_start || depth > 0 => {
                depth += 1;
                if depth > MAX_NESTING {
                    let column = text[line_start..i].chars().count() + 1;
                    return Some((line, column));
                }
                token_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                token_start = false;
            }
            b',' if depth > 0 => token_start = true,
            b':' | b'-' | b'?' if blank(i + 1) || (c == b':' && depth > 0) => token_start = true,
            b'&' | b'!' if token_start => {
                // An anchor or a tag: its name runs to a blank (or a flow indicator).
                let ends = |j: usize| {
                    blank(j) || (depth > 0 && matches!(b[j], b',' | b'[' | b']' | b'{' | b'}'))
                };
                while !ends(i + 1) {
                    i += 1;
                }
            }
            b'|' | b'>' if token_start && depth == 0 => {
                // A block scalar: every following line indented deeper than this one
                // (or blank) is text.
                let parent = indent_at(line_start);
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                while i < b.len() {
                    let next = i + 1;
                    let n = indent_at(next);
                    let rest_blank = next + n >= b.len() || b[next + n] == b'\n';
                    if next >= b.len() || (n <= parent && !rest_blank) {
                        break;
                    }
                    i = next + n;
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                    }
                    line += 1;
                    line_start = next;
                }
                continue;
            }
            _ => token_start = false,
        }
        i += 1;
    }
    None
}

/// The byte offset of the first lone CR (CRLF is already LF here), raw NEL (U+0085),
/// LINE SEPARATOR (U+2028) or PARAGRAPH SEPARATOR (U+2029): line breaks to YAML but
/// not to `git diff` or the line numbers of reports (and of the gate), which count LF.
fn odd_line_break(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut from = 0;
    while let Some(p) = b[from..]
        .iter()
        .position(|&c| c == b'\r' || c == 0xC2 || c == 0xE2)
    {
        let at = from + p;
        match &b[at..] {
            [b'\r', ..] | [0xC2, 0x85, ..] | [0xE2, 0x80, 0xA8 | 0xA9, ..] => return Some(at),
            _ => from = at + 1,
        }
    }
    None
}

fn line_col(valid: &[u8]) -> (usize, usize) {
    let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = valid.len() - valid.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
    (line, col)
}

/// The comment block at the top of the file, without `#` and one following space.
fn header_of(text: &str) -> Vec<String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .map(|l| {
            let l = &l[1..];
            l.strip_prefix(' ').unwrap_or(l).trim_end().to_owned()
        })
        .collect()
}

/// Finds the line of each case key: the first indented keys after `cases:`.
///
/// serde gives values without positions, so the lines are recovered from the text.
/// Any YAML layout is parsed correctly above; this only has to be right for
/// block-style files (every file this project writes), and falls back to line 1.
fn key_lines(text: &str) -> std::collections::HashMap<&str, usize> {
    let mut map = std::collections::HashMap::new();
    let mut in_cases = false;
    let mut indent = None;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let depth = line.len() - trimmed.len();
        if depth == 0 {
            in_cases = trimmed.starts_with("cases:") || trimmed.starts_with("\"cases\":");
            continue;
        }
        if !in_cases || *indent.get_or_insert(depth) != depth {
            continue;
        }
        if let Some(key) = leading_key(trimmed) {
            map.entry(key).or_insert(i + 1);
        }
    }
    map
}

fn leading_key(s: &str) -> Option<&str> {
    if let Some(rest) = s.strip_prefix('"').or_else(|| s.strip_prefix('\'')) {
        // Ids never need escapes (see check_id), so the key ends at the next quote.
        return rest.find(['"', '\'']).map(|end| &rest[..end]);
    }
    s.find(':').map(|end| s[..end].trim_end())
}

/// How many bytes of ids, field names and values a golden may hold per byte of its
/// text. Without YAML aliases every value is at most as long as its source, so a
/// real golden stays under 1; an alias repeats an anchored entry without repeating
/// its text ("billion laughs"), and a few dozen bytes could otherwise expand to
/// gigabytes and hours. The budget makes the work of a parse linear in the file size.
pub const EXPANSION_LIMIT: usize = 2;

/// The state of one parse shared by the visitors: what is left of the expansion
/// budget (see [`EXPANSION_LIMIT`]) and the fix for the error being raised.
struct Ctx {
    left: std::cell::Cell<usize>,
    hint: std::cell::Cell<&'static str>,
}

impl Ctx {
    /// Charges `n` bytes (plus one for the node itself); fails once the budget is spent.
    fn charge<E: de::Error>(&self, n: usize) -> Result<(), E> {
        let left = self.left.get();
        let cost = n.saturating_add(1);
        if cost > left {
            return Err(self.fail(
                format!(
                    "the file expands to more than {EXPANSION_LIMIT} times its size: YAML \
                     aliases (`*name`) repeat content"
                ),
                "write every case out in full, without anchors (`&name`) and aliases (`*name`)",
            ));
        }
        self.left.set(left - cost);
        Ok(())
    }

    /// An error with its own fix (the default fix is [`REGENERATE`]).
    fn fail<E: de::Error>(&self, message: String, hint: &'static str) -> E {
        self.hint.set(hint);
        E::custom(message)
    }
}

/// A mapping key checked by `check` as it is read, so that an error carries the
/// key's own line and column (serde attaches the position of the value being read).
struct Key<'a, F>(&'a Ctx, F);

impl<'de, F: FnOnce(&Ctx, &str) -> Result<(), String>> de::DeserializeSeed<'de> for Key<'_, F> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, F: FnOnce(&Ctx, &str) -> Result<(), String>> Visitor<'de> for Key<'_, F> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a plain name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<String, E> {
        self.0.charge(key.len())?;
        (self.1)(self.0, key).map_err(E::custom)?;
        Ok(key.to_owned())
    }
}

struct DocVisitor<'b>(&'b Ctx);

impl<'de> Visitor<'de> for DocVisitor<'_> {
    type Value = Vec<(String, Entry)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping with one key, `cases`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cases = None;
        let seen = std::cell::Cell::new(false);
        let top_key = |ctx: &Ctx, key: &str| {
            if key != "cases" {
                ctx.hint.set(
                    "a golden file holds only `cases:`; move the entries under it or delete \
                     the key",
                );
                return Err(format!(
                    "unknown top-level key `{key}`; a golden file has only `cases`"
                ));
            }
            if seen.replace(true) {
                ctx.hint.set("merge the two `cases:` mappings into one");
                return Err("duplicate key `cases`".to_owned());
            }
            Ok(())
        };
        while map.next_key_seed(Key(self.0, top_key))?.is_some() {
            cases = Some(map.next_value_seed(CasesSeed(self.0))?);
        }
        cases.ok_or_else(|| de::Error::custom("missing the `cases:` mapping"))
    }
}

struct CasesSeed<'b>(&'b Ctx);

impl<'de> de::DeserializeSeed<'de> for CasesSeed<'_> {
    type Value = Vec<(String, Entry)>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for CasesSeed<'_> {
    type Value = Vec<(String, Entry)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping from case id to its fields")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Ids by their lowercase form: `Busy` and `busy` would share one pending
        // file on a case-insensitive file system (macOS, Windows).
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(1 << 16));
        let mut case_key = |ctx: &Ctx, id: &str| {
            if let Err(why) = check_id(id) {
                ctx.hint
                    .set("rename the case in the catalog (its sample label) and here");
                return Err(why);
            }
            match seen.insert(id.to_ascii_lowercase(), id.to_owned()) {
                None => Ok(()),
                Some(first) if first == id => {
                    ctx.hint.set(
                        "keep one entry per case: delete the other one (see `git diff`), or \
                         delete the file and run `UPDATE_GOLDENS=1 cargo test`",
                    );
                    Err(format!("duplicate case `{id}`: each case appears once"))
                }
                Some(first) => {
                    ctx.hint.set("rename one of the two cases in the catalog");
                    Err(format!(
                        "case `{id}` differs from case `{first}` only in letter case; their \
                         pending changes would be one file on a case-insensitive file system"
                    ))
                }
            }
        };
        while let Some(id) = map.next_key_seed(Key(self.0, &mut case_key))? {
            let entry = map.next_value_seed(EntrySeed(self.0))?;
            out.push((id, entry));
        }
        Ok(out)
    }
}

struct EntrySeed<'b>(&'b Ctx);

impl<'de> de::DeserializeSeed<'de> for EntrySeed<'_> {
    type Value = Entry;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EntrySeed<'_> {
    type Value = Entry;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of field names to scalar values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Collected and sorted once: inserting into the sorted entry one by one is
        // quadratic (250,000 fields in reverse order took 48 s).
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        let mut seen = HashSet::new();
        let mut field_key = |ctx: &Ctx, name: &str| {
            if seen.insert(name.to_owned()) {
                return Ok(());
            }
            ctx.hint.set("keep one of the two lines (see `git diff`)");
            Err(format!("duplicate field `{name}`"))
        };
        while let Some(name) = map.next_key_seed(Key(self.0, &mut field_key))? {
            let value = map.next_value_seed(ScalarSeed(self.0))?;
            fields.push((name, value));
        }
        fields.sort_by(|a: &(String, Value), b| a.0.cmp(&b.0));
        let mut entry = Entry::new();
        for (name, value) in fields {
            entry.insert(name, value);
        }
        Ok(entry)
    }
}

struct ScalarSeed<'b>(&'b Ctx);

impl<'de> de::DeserializeSeed<'de> for ScalarSeed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarSeed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, an integer, a boolean or null")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.charge(v.len())?;
        Ok(Value::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.charge(v.len())?;
        Ok(Value::Str(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Int(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.charge(0)?;
        i64::try_from(v)
            .map(Value::Int)
            .map_err(|_| E::custom(format!("integer {v} is out of range")))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Err(self.0.fail(
            format!(
                "invalid type: floating point `{v}`, expected a string, an integer, a boolean \
                 or null"
            ),
            "floats are not byte-stable wire facts: quote the value (`\"1.5\"`) or pin an \
             integer",
        ))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Bool(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Null)
    }
}
