//! Where things stand in a golden's text, which the parser does not say: the header
//! comments (kept on rewrite) and the line of each case key (shown in reports).

use std::collections::HashMap;

/// The header: the comment lines at the top of the file (before it, blank lines and a
/// `---` document marker are skipped), then every other whole-line comment of the
/// file, each without `#` and one following space.
///
/// A canonical golden has comments in its header only, so an approval, which writes
/// canonical form, keeps the others by moving them there rather than dropping them
/// (a comment at the end of a value's line is still lost). A line of a multi-line
/// string that starts with `#` is taken for a comment too.
pub(super) fn header_of(text: &str) -> Vec<String> {
    let strip = |l: &str| {
        let l = &l.trim_start()[1..];
        l.strip_prefix(' ').unwrap_or(l).trim_end().to_owned()
    };
    let mut lines = text.lines().peekable();
    let mut header = Vec::new();
    while let Some(l) = lines.peek() {
        let t = l.trim();
        if t.is_empty() || (header.is_empty() && (t == "---" || t.starts_with("--- #"))) {
            if t.is_empty() && !header.is_empty() {
                header.push(String::new());
            }
        } else if t.starts_with('#') {
            header.push(strip(l));
        } else {
            break;
        }
        lines.next();
    }
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let mut moved = lines
        .filter(|l| l.trim_start().starts_with('#'))
        .map(strip)
        .peekable();
    if moved.peek().is_some() && !header.is_empty() {
        header.push(String::new());
    }
    header.extend(moved);
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    header
}

/// Finds the line of each case key: the first indented keys after `cases:`.
///
/// serde gives values without positions, so the lines are recovered from the text.
/// Any YAML layout is parsed correctly above; this only has to be right for
/// block-style files (every file this project writes), and falls back to line 1.
pub(super) fn key_lines(text: &str) -> HashMap<&str, usize> {
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
