//! `*`/`?` patterns: the FILTER globs of the pending-change commands. (Workspace
//! `members` globs are cargo's to expand: see [`crate::metadata`].)

/// Whether `text` matches `pattern` as a whole (`*` any run, `?` one byte). Linear
/// in practice: the classic two-pointer walk with one backtrack point.
pub fn matches(pattern: &str, text: &str) -> bool {
    let (pattern, text) = (pattern.as_bytes(), text.as_bytes());
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_whole_names() {
        let cases = [
            ("a*", "abc", true),
            ("*c", "abc", true),
            ("a*c", "abbbc", true),
            ("a?c", "abc", true),
            ("a?c", "ac", false),
            ("*", "", true),
            ("a*b*c", "axbxc", true),
            ("a*b*c", "axbx", false),
            ("abc", "abcd", false),
            ("crate-?", "crate-a", true),
            ("*-api", "my-api", true),
            ("*-api", "my-cli", false),
            ("a?", "a", false),
        ];
        for (p, t, want) in cases {
            assert_eq!(matches(p, t), want, "{p} ~ {t}");
        }
    }
}
