//! The limits checked before the YAML parser sees a golden: flow nesting and line
//! breaks that only YAML sees. Each is a linear scan, so no input reaches the parser's
//! quadratic paths or hides a line break from editors and reports.

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
/// A linear scan that follows libyaml's tokenizer where it decides what is structure:
/// comments, quoted strings and block scalars are skipped, and a bracket or quote
/// inside plain text is text. The hard part is knowing where a token starts, since a
/// quote that YAML reads as plain text must not make the scan skip real brackets:
///
/// - a plain scalar runs on through `:`, `-`, `?` and quotes not followed by a blank
///   (`{a:'b, [[[` is plain `a:'b` and then real nesting);
/// - it continues on the next line in a flow collection, and in block context when
///   that line is indented past the enclosing key or `- ` (libyaml's indentation
///   rule), so a quote starting such a line is text too;
/// - a block scalar (`|`, `>`) ends at the first line indented less than its first
///   line, or at the enclosing key's indentation.
///
/// Inside a collection every bracket counts, so where the scan and YAML could still
/// differ the scan is the stricter. The fuzz target `prescan` checks this against
/// the parser. Every byte is visited at most twice (a lookahead at a line's
/// indentation, then the scan), which the unit tests count.
pub(super) fn too_deep(text: &str) -> Option<(usize, usize)> {
    scan(text).too_deep
}

/// The first `?` key indicator (a complex, or explicit, key), if any: refused, since a
/// golden's keys are plain names and canonical goldens never hold one. Nested on one
/// line (`? ? ? ...`) they cost the parser about 200 bytes of memory per byte of text
/// (2 MiB took 417 MB) before any type check could refuse them.
pub(super) fn complex_key(text: &str) -> Option<(usize, usize)> {
    scan(text).complex_key
}

/// What the linear scan found: where nesting goes too deep, else where the first
/// complex key stands.
struct Found {
    too_deep: Option<(usize, usize)>,
    complex_key: Option<(usize, usize)>,
}

fn scan(text: &str) -> Found {
    let b = text.as_bytes();
    let mut complex_key = None;
    // Block collections opened on the current line by `- ` and `? ` (`- - - x`): they
    // nest like brackets at two bytes a level, so they count towards MAX_NESTING.
    let mut compact = 0usize;
    let (mut depth, mut line, mut line_start, mut i) = (0usize, 1usize, 0usize, 0usize);
    // Whether the next byte would start a YAML token (a quote opens a string here).
    let mut token_start = true;
    // Whether a plain scalar is being read (quotes and indicators are text in it).
    let mut plain = false;
    // Block context: the column of the innermost key or `- ` (libyaml's indent), and
    // the column where the current token began (a key's column once `: ` follows).
    let (mut block_indent, mut token_col) = (-1i64, 0usize);
    let blank = |j: usize| j >= b.len() || matches!(b[j], b' ' | b'\t' | b'\n');
    let indent_at = |j: usize| {
        let n = b[j.min(b.len())..]
            .iter()
            .take_while(|&&c| c == b' ')
            .count();
        count(n + 1);
        n
    };
    while i < b.len() {
        count(1);
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                line_start = i + 1;
                compact = 0;
                if plain && depth == 0 {
                    // Does the plain scalar go on to the next line? It does past the
                    // enclosing indentation, unless the line is a comment or a marker.
                    let n = indent_at(i + 1);
                    let next = b.get(i + 1 + n).copied();
                    let marker = n == 0
                        && (b[i + 1..].starts_with(b"---") || b[i + 1..].starts_with(b"..."));
                    let ends = next == Some(b'#') || marker || (n as i64) <= block_indent;
                    if ends && next != Some(b'\n') && next.is_some() {
                        plain = false;
                    }
                }
                // In a flow collection a plain scalar always goes on.
                token_start = !plain;
            }
            b' ' | b'\t' => {}
            // A document marker: the next document starts with a token.
            b'-' | b'.'
                if i == line_start
                    && (b[i..].starts_with(b"---") || b[i..].starts_with(b"..."))
                    && blank(i + 3) =>
            {
                i += 2;
                token_start = true;
                plain = false;
                block_indent = -1;
            }
            // A comment: after a blank, or wherever a token starts (libyaml skips
            // to the next token and takes a `#` there as a comment: `{a: 1,#c`).
            b'#' if token_start || i == line_start || matches!(b[i - 1], b' ' | b'\t') => {
                while i + 1 < b.len() && b[i + 1] != b'\n' {
                    i += 1;
                    count(1);
                }
                plain = false;
            }
            b'"' | b'\'' if token_start => {
                i += 1;
                while i < b.len() {
                    count(1);
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
                if depth + compact > MAX_NESTING {
                    let column = text[line_start..i].chars().count() + 1;
                    return Found {
                        too_deep: Some((line, column)),
                        complex_key,
                    };
                }
                token_start = true;
                plain = false;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                token_start = false;
                plain = false;
            }
            b',' if depth > 0 => {
                token_start = true;
                plain = false;
            }
            // A value indicator: before a blank, or (in a flow collection) where a
            // token starts, e.g. right after a quoted key (`"a":'b'`).
            b':' if blank(i + 1) || (depth > 0 && !plain) => {
                if depth == 0 && blank(i + 1) {
                    block_indent = token_col as i64;
                }
                token_start = true;
                plain = false;
            }
            // `- ` and `? ` start a block entry or key; in a flow collection `?` is a
            // key indicator wherever a token starts (`[?'a']` holds a quoted key).
            b'-' | b'?' if (blank(i + 1) || (c == b'?' && depth > 0)) && !plain => {
                // Columns are counted only where one is reported: counting at every
                // indicator of a long line would be quadratic.
                let column = || {
                    count(i - line_start);
                    text[line_start..i].chars().count() + 1
                };
                if depth == 0 {
                    block_indent = (i - line_start) as i64;
                    compact += 1;
                    if compact > MAX_NESTING {
                        return Found {
                            too_deep: Some((line, column())),
                            complex_key,
                        };
                    }
                }
                if c == b'?' && complex_key.is_none() {
                    complex_key = Some((line, column()));
                }
                token_start = true;
            }
            b'&' | b'!' | b'*' if token_start => {
                // An anchor, tag or alias: its name runs to a blank (or a flow indicator).
                let ends = |j: usize| {
                    blank(j) || (depth > 0 && matches!(b[j], b',' | b'[' | b']' | b'{' | b'}'))
                };
                while !ends(i + 1) {
                    i += 1;
                    count(1);
                }
            }
            b'|' | b'>' if token_start && depth == 0 => {
                // A block scalar: its lines are those indented at least as much as
                // its first line (or than an explicit indentation indicator says),
                // which must be more than the enclosing key's; blank lines belong to it.
                let explicit = b
                    .get(i + 1)
                    .filter(|d| d.is_ascii_digit())
                    .map(|d| (d - b'0') as i64);
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                    count(1);
                }
                let mut content: Option<i64> = explicit.map(|d| {
                    if block_indent >= 0 {
                        block_indent + d
                    } else {
                        d
                    }
                });
                while i < b.len() {
                    let next = i + 1;
                    let n = indent_at(next);
                    let rest_blank = next + n >= b.len() || b[next + n] == b'\n';
                    if next >= b.len() {
                        break;
                    }
                    if !rest_blank {
                        let needed = *content.get_or_insert(n as i64);
                        if (n as i64) < needed || (n as i64) <= block_indent {
                            break;
                        }
                    }
                    i = next + n;
                    while i < b.len() && b[i] != b'\n' {
                        i += 1;
                        count(1);
                    }
                    line += 1;
                    line_start = next;
                }
                continue;
            }
            _ => {
                if token_start {
                    token_col = i - line_start;
                    plain = true;
                }
                token_start = false;
            }
        }
        i += 1;
    }
    Found {
        too_deep: None,
        complex_key,
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes the scan visited (the unit tests prove the scan linear with it).
    pub(super) static VISITED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

#[inline]
fn count(_n: usize) {
    #[cfg(test)]
    VISITED.with(|v| v.set(v.get() + _n));
}

/// The byte offset of the first lone CR (CRLF is already LF here), raw NEL (U+0085),
/// LINE SEPARATOR (U+2028) or PARAGRAPH SEPARATOR (U+2029): line breaks to YAML but
/// not to `git diff` or the line numbers of reports (and of the gate), which count LF.
pub(super) fn odd_line_break(text: &str) -> Option<usize> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk-arounds found so far: a quote that YAML reads as plain text made the
    /// scan skip the real nesting after it (64 KB took 5.4 s, 256 KB 64 s).
    #[test]
    fn quotes_inside_plain_text_do_not_hide_nesting() {
        let deep = "[".repeat(MAX_NESTING + 1);
        for text in [
            format!("{{a:'b, {deep}"),
            format!("[a - 'b, {deep}"),
            format!("k: a\n  'x\ny: {deep}"),
            format!("cases:\n  A: x - 'y\n  B: {deep}"),
            format!("k: |\n      t\n  {deep}"),
            format!("- k: |\n   'x\n  y: {deep}"),
            format!("{}?'{}' {deep}", "[".repeat(30), "]".repeat(30)),
            format!("--- {deep}"),
        ] {
            assert!(too_deep(&text).is_some(), "let through:\n{text}");
        }
    }

    /// Counted, not timed: the scan visits each byte at most twice, at any size.
    #[test]
    fn the_scan_is_linear() {
        for n in [10_000, 80_000] {
            for unit in [
                "{a:'b, ",
                "k: a\n  'x ",
                "a: |\n  ",
                "\"q\" # c\n",
                "[a, b]\n",
                "a - b ",
            ] {
                let text = unit.repeat(n / unit.len());
                VISITED.with(|v| v.set(0));
                let _ = too_deep(&text);
                let visited = VISITED.with(|v| v.get());
                assert!(
                    visited <= 2 * text.len() + 2,
                    "{unit:?} x {n}: {visited} visits"
                );
            }
            // Complex keys in one long flow line: the column is counted once (counting
            // it at each `?` took 62 s for 2 MiB).
            let text = format!("[{}]", "?a, ".repeat(n / 4));
            VISITED.with(|v| v.set(0));
            assert_eq!(complex_key(&text), Some((1, 2)));
            let visited = VISITED.with(|v| v.get());
            assert!(
                visited <= 2 * text.len() + 2,
                "`?a, ` x {n}: {visited} visits"
            );
        }
    }
}
