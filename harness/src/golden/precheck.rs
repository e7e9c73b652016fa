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
/// A linear scan that skips what YAML does not parse as structure: comments,
/// quoted strings, block scalars (`|`, `>`) and brackets inside plain text (a `[`
/// only opens a collection where a value starts). Inside a collection every bracket
/// counts, so a mistake can only make the scan stricter than the parser, not laxer.
pub(super) fn too_deep(text: &str) -> Option<(usize, usize)> {
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
