//! The fast path of the loader: golden files in exactly the canonical form.
//!
//! Every golden this project writes is canonical (`super::write::render_file`):
//! header comments, `cases:`, each case key indented by two spaces, each field by
//! four, strings double-quoted with a fixed set of escapes. Reading that form needs no
//! YAML parser, and skipping serde_yaml makes loading several times faster (a
//! 100,000-case suite reads 11 MB of goldens). The fast path accepts only text whose
//! meaning it is certain of and returns `None` for anything else, so the strict serde
//! path reads it instead: then a hand-edited file, odd layout or malformed YAML gets
//! the exact same result (or error, with its line and fix) it always got. The tests
//! below check that both paths agree on every file the fast path accepts.

use super::file::{Declared, GoldenCase, GOLDEN_FORMAT};
use super::write::is_plain_key;
use crate::catalog::Policy;
use crate::entry::{Entry, Value};
use crate::id::check_id;
use std::collections::HashSet;
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher, Hasher};

/// A golden's format, declarations and cases, as the fast path read them.
pub(super) type Parsed = (i64, Declared, Vec<GoldenCase>);

/// The format, declarations and cases of `text` (BOM stripped, LF line endings) when
/// it is in canonical form.
pub(super) fn parse(text: &str) -> Option<Parsed> {
    let mut lines = text.split('\n');
    let mut number = 1;
    let mut line = lines.next()?;
    while line.starts_with('#') {
        if !line.chars().all(comment_char) {
            return None;
        }
        line = lines.next()?;
        number += 1;
    }
    let mut format = 1;
    let mut declared = Declared::default();
    if line == "format: 2" {
        format = GOLDEN_FORMAT;
        line = lines.next()?;
        number += 1;
        if line == "policy:" {
            loop {
                line = lines.next()?;
                number += 1;
                let Some(decl) = line.strip_prefix("  ") else {
                    break;
                };
                let (name, rest) = key(decl, true)?;
                let policy = Policy::from_name(rest.strip_prefix(": ")?)?;
                if declared
                    .policy
                    .last_key_value()
                    .is_some_and(|(k, _)| *k >= name)
                {
                    return None; // unsorted or repeated: for serde to word
                }
                declared.policy.insert(name, policy);
            }
            if declared.policy.is_empty() {
                return None;
            }
        }
        if line == "variants:" {
            let mut seen = HashSet::new();
            loop {
                line = lines.next()?;
                number += 1;
                let Some(item) = line.strip_prefix("  - ") else {
                    break;
                };
                let Value::Str(name) = scalar(item)? else {
                    return None;
                };
                if name.is_empty() || !seen.insert(name.clone()) {
                    return None;
                }
                declared.variants.push(name);
            }
            if declared.variants.is_empty() {
                return None;
            }
        }
    }
    if line != "cases:" {
        return None;
    }
    let mut cases = Vec::with_capacity(text.len() / 64);
    // Hashes of the lowercased ids: a repeat (or, rarely, a collision) is left to the
    // serde path, which reports duplicates and ids differing only in letter case.
    let mut ids = HashSet::with_capacity_and_hasher(text.len() / 64, Fixed::default());
    let mut fields = Vec::new();
    line = lines.next()?;
    number += 1;
    loop {
        if line.is_empty() {
            // The text ends with a newline: this is the empty piece after it.
            return lines.next().is_none().then_some((format, declared, cases));
        }
        let key_line = number;
        let (id, rest) = key(line.strip_prefix("  ")?, false)?;
        if check_id(&id).is_err() || !ids.insert(lowercase_hash(&id)) {
            return None;
        }
        let mut entry = Entry::new();
        match rest {
            ": {}" => {
                line = lines.next()?;
                number += 1;
            }
            ":" => loop {
                line = lines.next()?;
                number += 1;
                let Some(field) = line.strip_prefix("    ") else {
                    break;
                };
                let (name, rest) = key(field, true)?;
                // Canonical fields are sorted and unique; anything else is for serde,
                // as soon as it shows (a huge unsorted entry costs two lines here).
                if fields.last().is_some_and(|(last, _)| *last >= name) {
                    return None;
                }
                let value = scalar(rest.strip_prefix(": ")?)?;
                fields.push((name, value));
            },
            _ => return None,
        }
        if rest == ":" && fields.is_empty() {
            return None; // `Case:` with no fields is null to YAML: an error for serde.
        }
        if !fields.is_empty() {
            entry = Entry::from_sorted(std::mem::take(&mut fields));
        }
        cases.push(GoldenCase {
            id,
            entry,
            line: key_line,
        });
    }
}

/// A std SipHash with fixed keys: duplicates only need detecting, not DoS resistance.
type Fixed = BuildHasherDefault<DefaultHasher>;

/// The hash of an id as `id::fold_case` folds it (the one letter-case folding).
fn lowercase_hash(id: &str) -> u64 {
    let mut state = Fixed::default().build_hasher();
    crate::id::hash_folded(id, &mut state);
    state.finish()
}

/// A mapping key and what follows it: plain (as the canonical writer leaves it
/// unquoted) or double-quoted. Escapes in ids are left to serde, which locates ids
/// by their text.
fn key(s: &str, escapes: bool) -> Option<(String, &str)> {
    if s.starts_with('"') {
        return quoted(s, escapes);
    }
    let end = s.find(':')?;
    let name = &s[..end];
    is_plain_key(name).then(|| (name.to_owned(), &s[end..]))
}

/// A field value: exactly the scalars the canonical writer produces.
fn scalar(s: &str) -> Option<Value> {
    match s {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        "null" => return Some(Value::Null),
        _ => {}
    }
    if s.starts_with('"') {
        let (text, rest) = quoted(s, true)?;
        return rest.is_empty().then_some(Value::Str(text));
    }
    let digits = s.strip_prefix('-').unwrap_or(s);
    let canonical_int = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && s != "-0";
    if canonical_int {
        // Out of range is an error the serde path words.
        return s.parse().ok().map(Value::Int);
    }
    None
}

/// A double-quoted scalar on one line: its value and the text after the closing quote.
fn quoted(s: &str, escapes: bool) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let bytes = body.as_bytes();
    let mut out = String::with_capacity(body.len());
    let (mut i, mut run) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                out.push_str(&body[run..i]);
                return Some((out, &body[i + 1..]));
            }
            b'\\' if escapes => {
                out.push_str(&body[run..i]);
                let (c, len) = escape(&body[i + 1..])?;
                out.push(c);
                i += 1 + len;
                run = i;
            }
            0x20..=0x7e if bytes[i] != b'\\' => i += 1,
            0x80.. => {
                let c = body[i..].chars().next()?;
                if !raw_char(c) {
                    return None;
                }
                i += c.len_utf8();
            }
            _ => return None,
        }
    }
    None
}

/// The escapes the canonical writer uses, decoded as YAML does; others are for serde.
fn escape(s: &str) -> Option<(char, usize)> {
    let hex = |n: usize| {
        let digits = s.get(1..1 + n)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        char::from_u32(u32::from_str_radix(digits, 16).ok()?).map(|c| (c, 1 + n))
    };
    let c = match s.as_bytes().first()? {
        b'"' => '"',
        b'\\' => '\\',
        b'0' => '\0',
        b't' => '\t',
        b'n' => '\n',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex(2),
        b'u' => return hex(4),
        _ => return None,
    };
    Some((c, 1))
}

/// A character the canonical writer leaves unescaped and YAML reads as itself inside
/// double quotes. The rest (control characters, the C1 range, NBSP, line and
/// paragraph separators, BOM and the non-characters U+FFFE/U+FFFF, which YAML
/// refuses) sends the file to the serde path.
fn raw_char(c: char) -> bool {
    match c {
        ' '..='~' => c != '"' && c != '\\',
        '\u{a1}'..='\u{fffd}' => !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}'),
        '\u{10000}'.. => true,
        _ => false,
    }
}

/// A character YAML takes as part of a comment: what it reads at all, except the
/// characters it treats as line breaks.
fn comment_char(c: char) -> bool {
    match c {
        '\t' | ' '..='~' => true,
        '\u{a0}'..='\u{fffd}' => !matches!(c, '\u{2028}' | '\u{2029}'),
        '\u{10000}'.. => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::golden::render_file;
    use std::path::Path;

    /// Both paths on the same text: the serde path's result, and whether the fast
    /// path took the text (it must then agree exactly).
    fn both(
        text: &str,
    ) -> (
        Result<super::super::GoldenFile, super::super::LoadError>,
        bool,
    ) {
        let slow = super::super::parse_with(
            Path::new("g.yaml"),
            text.as_bytes(),
            false,
            &mut super::super::Serial(None),
        );
        let fast = parse(text);
        if let Some((format, declared, cases)) = &fast {
            let slow = slow
                .as_ref()
                .unwrap_or_else(|e| panic!("fast path took a file serde refuses ({e}):\n{text}"));
            assert_eq!(&slow.cases, cases, "paths disagree on:\n{text}");
            assert_eq!(
                (&slow.format, &slow.declared),
                (format, declared),
                "paths disagree on the declarations of:\n{text}"
            );
        }
        (slow, fast.is_some())
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn pick<T: Copy>(&mut self, from: &[T]) -> T {
            from[(self.next() % from.len() as u64) as usize]
        }
    }

    const CHARS: &[char] = &[
        'a',
        'Z',
        '0',
        ' ',
        '\'',
        '"',
        '\\',
        ':',
        '#',
        '{',
        '[',
        '-',
        '\0',
        '\t',
        '\n',
        '\r',
        '\u{7}',
        '\u{1b}',
        '\u{7f}',
        '\u{80}',
        '\u{85}',
        '\u{9f}',
        '\u{a0}',
        '\u{a1}',
        'é',
        '日',
        '\u{2028}',
        '\u{2029}',
        '\u{feff}',
        '\u{fffd}',
        '\u{fffe}',
        '\u{ffff}',
        '😀',
        '\u{10ffff}',
        '&',
        '*',
        '!',
        '|',
        '>',
        '%',
        '@',
        '`',
    ];
    const NAMES: &[&str] = &[
        "message",
        "code",
        "status",
        "decodes_to",
        "wire",
        "a",
        "true",
        "null",
        "1x",
        "x y",
        "é",
        "retired",
        "-a",
        "Yes",
        "on",
        "v1.2",
        "a:b",
        "\"q\"",
    ];
    const IDS: &[&str] = &[
        "Case1",
        "Case2",
        "case1",
        "from_status.-3",
        "v5.0.0-vs-5.0.0+b",
        "1x",
        "true",
        "Null",
        "A.b",
        "x",
        "X",
        "Inf",
        "nan",
        "e10",
        "y",
        "no",
        "Off",
    ];

    fn random_value(rng: &mut Rng) -> Value {
        match rng.next() % 6 {
            0 => Value::Int(rng.next() as i64 >> (rng.next() % 64)),
            1 => Value::Bool(rng.next().is_multiple_of(2)),
            2 => Value::Null,
            _ => Value::Str((0..rng.next() % 12).map(|_| rng.pick(CHARS)).collect()),
        }
    }

    #[test]
    fn canonical_renders_of_random_entries_read_the_same_on_both_paths() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let (mut taken, mut left) = (0, 0);
        for _ in 0..3000 {
            let mut cases: Vec<(&str, Entry)> = Vec::new();
            for _ in 0..rng.next() % 5 {
                let mut entry = Entry::new();
                for _ in 0..rng.next() % 4 {
                    entry.insert(rng.pick(NAMES).to_owned(), random_value(&mut rng));
                }
                cases.push((rng.pick(IDS), entry));
            }
            let header: Vec<String> = (0..rng.next() % 3)
                .map(|_| {
                    (0..rng.next() % 6)
                        .map(|_| rng.pick(CHARS))
                        .collect::<String>()
                })
                .map(|l| l.replace(['\n', '\r'], " "))
                .collect();
            let text = render_file(&header, cases.iter().map(|(i, e)| (*i, e)));
            if both(&text).1 {
                taken += 1;
            } else {
                left += 1;
            }
        }
        // Most canonical files take the fast path; the rest exercise the fallback.
        assert!(
            taken > 1000 && left > 100,
            "taken {taken}, left to serde {left}"
        );
    }

    #[test]
    fn plain_canonical_files_take_the_fast_path() {
        let e = Entry::new()
            .with("message", "vm \"x\" é\n\t\u{a0}\u{2028}")
            .with("status", -3)
            .with("ok", true)
            .with("none", Value::Null);
        let text = render_file(
            &["about".into(), String::new(), "more".into()],
            [
                ("VmNotFound", &e),
                ("from_status.-3", &Entry::new()),
                ("1x", &e),
            ],
        );
        let (slow, fast) = both(&text);
        assert!(fast, "{text}");
        assert_eq!(slow.unwrap().cases.len(), 3);
        assert!(both("cases:\n").1);
    }

    /// Golden format 2: the declarations the canonical writer produces take the fast
    /// path and read as serde reads them; anything off that form (unsorted, repeated,
    /// an unknown policy word, an empty section) is left to serde, which words it.
    #[test]
    fn declarations_take_the_fast_path_and_agree_with_serde() {
        use crate::catalog::Policy;
        let mut declared = Declared::default();
        declared
            .policy
            .insert("message".into(), Policy::Informational);
        declared
            .policy
            .insert("odd \"name\"".into(), Policy::Contract);
        declared.variants = vec!["Zed".into(), "A\u{e9}".into()];
        let e = Entry::new().with("message", "x");
        let text = crate::golden::render_golden(&declared, &["h".into()], [("Zed", &e)]);
        let (slow, fast) = both(&text);
        assert!(fast, "{text}");
        assert_eq!(slow.unwrap().declared, declared);
        for off in [
            "format: 2\npolicy:\n  b: contract\n  a: contract\ncases:\n",
            "format: 2\npolicy:\n  a: contract\n  a: contract\ncases:\n",
            "format: 2\npolicy:\n  a: loose\ncases:\n",
            "format: 2\npolicy:\ncases:\n",
            "format: 2\nvariants:\n  - \"A\"\n  - \"A\"\ncases:\n",
            "format: 2\nvariants:\n  - \"\"\ncases:\n",
            "format: 2\nvariants:\n  - 1\ncases:\n",
            "format: 1\ncases:\n",
        ] {
            assert!(!both(off).1, "fast path took {off:?}");
        }
        assert!(
            both("format: 2\npolicy:\n  b: contract\n  a: contract\ncases:\n")
                .0
                .is_ok()
        );
        assert!(both("format: 2\nvariants:\n  - \"A\"\n  - \"A\"\ncases:\n")
            .0
            .is_err());
        assert_eq!(both("format: 1\ncases:\n").0.unwrap().format, 1);
    }

    #[test]
    fn anything_else_is_left_to_serde() {
        for text in [
            "cases:\n  A:\n    message: \"x\"\n  a:\n    message: \"y\"\n", // letter case
            "cases:\n  A:\n    message: \"x\"\n  A:\n    message: \"y\"\n", // duplicate
            "cases:\n  A:\n    b: 1\n    a: 2\n",                           // unsorted
            "cases:\n  A:\n    a: 1\n    a: 1\n",                           // duplicate field
            "cases:\n  A:\n",                                               // null entry
            "cases:\n  A:\n    a: 'x'\n",                                   // single quotes
            "cases:\n  A:\n    a: x\n",                                     // plain string
            "cases:\n  A:\n    a: 1.5\n",                                   // float
            "cases:\n  A:\n    a: 007\n",                                   // octal-looking
            "cases:\n  A:\n    a: -0\n",
            "cases:\n  A:\n    a: 9223372036854775808\n", // out of range
            "cases:\n  A:\n    a: \"x\" # note\n",
            "cases:\n  A:\n    a: \"x\\/\"\n", // escape the writer never uses
            "cases:\n  A: {a: 1}\n",
            "cases:\n\n  A:\n    a: 1\n", // blank line
            "cases:\n  A:\n    a: 1",     // no final newline
            "cases:\n  A:\n     a: 1\n",  // odd indent
            "cases:\n  \"A\\x42\":\n    a: 1\n",
            "cases:\n  -A:\n    a: 1\n",
            "cases:\n  A:\n    a: \"\u{ffff}\"\n",
            "# \u{2028} x\ncases:\n",
            "cases: {}\n",
            "other:\ncases:\n",
        ] {
            assert!(!both(text).1, "fast path took:\n{text}");
        }
    }
}
