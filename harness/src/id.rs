//! Case ids and golden file stems: what is allowed, and the natural order goldens use.
//!
//! Ids become YAML keys, trial names and file names of pending records, so the rules
//! here are what keeps every write inside the goldens folder.

/// The longest case id accepted; ids become file names of pending changes.
pub const MAX_ID_LEN: usize = 200;

/// Checks that a case id is safe to use as a YAML key, a trial name and a file name.
///
/// Ids are ASCII letters, digits and `_ . + -`, at most `MAX_ID_LEN` (200) bytes long, and do
/// not start with `.` or `-`. This rules out `/`, `..`, NUL and absolute paths, so a
/// pending change can never be written outside the goldens folder, whatever a golden
/// file (or a hostile pull request) contains.
pub fn check_id(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("a case id must not be empty".into());
    }
    if id.len() > MAX_ID_LEN {
        return Err(format!(
            "case id is {} bytes long; the limit is {MAX_ID_LEN}",
            id.len()
        ));
    }
    if id.starts_with('.') || id.starts_with('-') {
        return Err(format!("case id {id:?} must not start with '.' or '-'"));
    }
    if let Some(bad) = id
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '+' | '-')))
    {
        return Err(format!(
            "case id {id:?} contains {bad:?}; ids use only ASCII letters, digits and _ . + -"
        ));
    }
    Ok(())
}

/// Checks that a golden file stem (the `<file>` of `<file>::<case>`) is safe.
///
/// Stems are lowercase ASCII letters, digits and `_`, so `goldens/<stem>.yaml` is
/// always a plain file directly inside the goldens folder.
pub fn check_stem(stem: &str) -> Result<(), String> {
    if stem.is_empty()
        || stem.len() > MAX_ID_LEN
        || !stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(format!(
            "golden file name {stem:?} must be 1-{MAX_ID_LEN} lowercase ASCII letters, digits or _"
        ));
    }
    Ok(())
}

/// The one letter-case folding of case ids: two ids that fold to the same string
/// differ only in ASCII letter case, and their pending records would be one file on
/// macOS and Windows. Ids are ASCII (see [`check_id`]), so folding is ASCII
/// lowercasing; every place that asks "the same id but for letter case?" (the suite's
/// catalog check and rename hint, the loader's duplicate check, approvals) uses this.
pub fn fold_case(id: &str) -> String {
    id.to_ascii_lowercase()
}

/// Whether two ids differ only in letter case (or not at all), by [`fold_case`]'s
/// rule, without allocating.
pub fn same_folded(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Hashes an id as [`fold_case`] folds it, without allocating (for a map keyed by
/// folded ids that borrows them, as the suite's catalog check does). Consistent with
/// [`same_folded`]: ids that fold alike hash alike.
pub fn hash_folded<H: std::hash::Hasher>(id: &str, state: &mut H) {
    for chunk in id.as_bytes().chunks(64) {
        let mut buf = [0u8; 64];
        buf[..chunk.len()].copy_from_slice(chunk);
        buf[..chunk.len()].make_ascii_lowercase();
        state.write(&buf[..chunk.len()]);
    }
    state.write_u8(0xff);
}

/// Orders case ids naturally: digit runs compare as numbers, so `from_status.-2`
/// sorts before `from_status.-10`. This is the canonical order of a golden file; it
/// needs no catalog, so approving from the command line keeps the same order.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let na = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let nb = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (da, db) = (trim_zeros(&a[..na]), trim_zeros(&b[..nb]));
                let ord = da.len().cmp(&db.len()).then_with(|| da.cmp(db));
                if ord != Ordering::Equal {
                    return ord;
                }
                // Equal numbers: fewer leading zeros first, so the order stays total.
                if na != nb {
                    return na.cmp(&nb);
                }
                a = &a[na..];
                b = &b[nb..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let n = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_that_could_escape_the_goldens_folder_are_rejected() {
        for bad in [
            "", "../x", "a/b", "/abs", "a\0b", ".hidden", "-opt", "a b", "é",
        ] {
            assert!(check_id(bad).is_err(), "{bad:?} was accepted");
        }
        for good in [
            "VmNotFound",
            "VmNotFound.empty",
            "from_status.-3",
            "v5.0.0-vs-5.0.0+b",
        ] {
            assert!(check_id(good).is_ok(), "{good:?} was rejected");
        }
        assert!(check_id(&"a".repeat(MAX_ID_LEN + 1)).is_err());
    }

    #[test]
    fn one_folding_for_letter_case() {
        assert_eq!(fold_case("VmNotFound.x-1"), "vmnotfound.x-1");
        assert!(same_folded("NotFound", "Notfound"));
        assert!(!same_folded("NotFound", "NotFound2"));
        assert_eq!(fold_case("A") == fold_case("a"), same_folded("A", "a"));
    }

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut ids = vec!["s.-10", "s.-2", "s.-1", "s.-100", "s.0", "a", "B"];
        ids.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(ids, ["B", "a", "s.-1", "s.-2", "s.-10", "s.-100", "s.0"]);
        assert_eq!(natural_cmp("x01", "x1"), std::cmp::Ordering::Greater);
    }
}
