//! The values a golden pins: scalars in named fields, one entry per case.

use std::fmt;

/// One scalar field value of a golden entry.
///
/// Goldens hold only scalars so that every wire fact reads as one YAML line and a
/// change shows as a one-line diff. Floats are deliberately absent: wire codes are
/// integers and messages are strings, and float text is not byte-stable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// A string, compared byte for byte (a wire message, a variant name).
    Str(String),
    /// An integer (a status or error code); `i64` holds every `i32`/`u32` code.
    Int(i64),
    /// A boolean (e.g. whether a version-rule case is accepted).
    Bool(bool),
    /// An explicit "no value" (e.g. a code that decodes to nothing).
    Null,
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => write_quoted(f, s),
            Value::Int(i) => write!(f, "{i}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Null => f.write_str("null"),
        }
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(s)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(s.to_owned())
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<i32> for Value {
    fn from(i: i32) -> Self {
        Value::Int(i.into())
    }
}

/// Integer codes of any width up to 32 bits convert without loss; a wire code is
/// usually one of these types, so `Entry::new().with("code", e.code())` just works.
macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(i: $t) -> Self {
                Value::Int(i.into())
            }
        }
    )*};
}

int_value!(u8, u16, u32, i8, i16);

/// A `u64` code is pinned as an integer when it fits in `i64` (every real status
/// code does). A larger one panics, which the suite reports as a failing
/// `<file>::@catalog` trial: render such a value as a string instead.
impl From<u64> for Value {
    fn from(i: u64) -> Self {
        match i64::try_from(i) {
            Ok(i) => Value::Int(i),
            Err(_) => panic!(
                "{i} does not fit in a golden integer (i64); pin it as a string: \
                 `.with(name, n.to_string())`"
            ),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

#[cfg(test)]
thread_local! {
    /// Fields moved by [`Entry::insert`] to make room (unit tests count the work of
    /// loading a golden with it: an insert in the middle shifts what follows).
    pub(crate) static SHIFTED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The fields of one case, kept sorted by name.
///
/// Sorting makes the canonical form independent of the order a catalog or a hand
/// edit used, so comparing two entries is a plain equality and rewriting an unchanged
/// golden is byte-identical.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Entry {
    fields: Vec<(String, Value)>,
}

impl Entry {
    /// An entry with no fields yet.
    pub fn new() -> Self {
        Entry::default()
    }

    /// Adds (or replaces) a field, keeping the fields sorted; builder style.
    #[must_use]
    pub fn with(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.insert(name.to_owned(), value.into());
        self
    }

    /// Adds (or replaces) a field, keeping the fields sorted. Returns the value it
    /// replaced, so a loader can reject a duplicate field.
    pub fn insert(&mut self, name: String, value: Value) -> Option<Value> {
        match self.fields.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
            Ok(i) => Some(std::mem::replace(&mut self.fields[i].1, value)),
            Err(i) => {
                #[cfg(test)]
                SHIFTED.with(|s| s.set(s.get() + self.fields.len() - i));
                // Most entries hold one to three fields; grow those one slot at a time
                // instead of to Vec's minimum of four (56 bytes each), which made every
                // one-field entry four times its size (38 MB of 110 MB at 100,000 cases).
                if self.fields.len() == self.fields.capacity() && self.fields.len() < 4 {
                    self.fields.reserve_exact(1);
                }
                self.fields.insert(i, (name, value));
                None
            }
        }
    }

    /// An entry from fields already sorted by name and unique (what the loader has
    /// once it sorted and checked them), allocated to its exact size: growing it one
    /// insert at a time left up to half of every large entry's buffer unused.
    pub(crate) fn from_sorted(fields: Vec<(String, Value)>) -> Entry {
        debug_assert!(fields.windows(2).all(|w| w[0].0 < w[1].0));
        let mut fields = fields;
        fields.shrink_to_fit();
        Entry { fields }
    }

    /// The value of one field, if present.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| &self.fields[i].1)
    }

    /// Removes a field and returns its value.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.fields
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| self.fields.remove(i).1)
    }

    /// The fields in canonical (name) order.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether the entry has no fields.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }
}

/// Writes a YAML double-quoted scalar that reads back to exactly `s`.
///
/// Printable text, Unicode included, is kept as is so that a reviewer reads the real
/// message; quotes, backslashes, control characters and the characters YAML treats as
/// line breaks are escaped so that the file stays one line per fact.
pub(crate) fn write_quoted(out: &mut impl fmt::Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\0' => out.write_str("\\0")?,
            '\t' => out.write_str("\\t")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\u{1b}' => out.write_str("\\e")?,
            '\u{85}' => out.write_str("\\N")?,
            '\u{a0}' => out.write_str("\\_")?,
            '\u{2028}' => out.write_str("\\L")?,
            '\u{2029}' => out.write_str("\\P")?,
            '\u{feff}' => out.write_str("\\uFEFF")?,
            // Noncharacters: YAML refuses them raw ("control characters are not allowed").
            '\u{fffe}' => out.write_str("\\uFFFE")?,
            '\u{ffff}' => out.write_str("\\uFFFF")?,
            c if (c as u32) < 0x20 || c == '\u{7f}' => write!(out, "\\x{:02X}", c as u32)?,
            c if ('\u{80}'..='\u{9f}').contains(&c) => write!(out, "\\x{:02X}", c as u32)?,
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_integer_width_of_a_wire_code_converts() {
        let e = Entry::new()
            .with("u8", 200u8)
            .with("u16", 404u16)
            .with("u32", u32::MAX)
            .with("u64", 7u64)
            .with("i8", -3i8)
            .with("i16", -404i16)
            .with("i32", i32::MIN)
            .with("i64", i64::MAX);
        let ints: Vec<i64> = e
            .fields()
            .map(|(_, v)| match v {
                Value::Int(i) => *i,
                other => panic!("{other:?}"),
            })
            .collect();
        // Fields are sorted by name: i16, i32, i64, i8, u16, u32, u64, u8.
        assert_eq!(
            ints,
            [
                -404,
                i32::MIN.into(),
                i64::MAX,
                -3,
                404,
                u32::MAX.into(),
                7,
                200
            ]
        );
    }

    #[test]
    #[should_panic(expected = "pin it as a string")]
    fn a_u64_beyond_i64_says_how_to_pin_it() {
        let _ = Value::from(u64::MAX);
    }
}
