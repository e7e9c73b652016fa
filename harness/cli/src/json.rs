//! Typed pieces shared by the tool's JSON outputs (`pending --format json`, `gate
//! --format json`): a golden entry as an ordered `{field: value}` object.
//!
//! serde_json writes and escapes every string, so any message (quotes, control
//! characters, U+2028) survives; the entry keeps its fields in the entry's order
//! whatever map type a reader uses.

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use wire_compat::{Entry, Value};

/// One field value: a string, an integer, a boolean or `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// A string.
    Str(String),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// `null`.
    Null,
}

impl From<&Value> for FieldValue {
    fn from(v: &Value) -> FieldValue {
        match v {
            Value::Str(s) => FieldValue::Str(s.clone()),
            Value::Int(i) => FieldValue::Int(*i),
            Value::Bool(b) => FieldValue::Bool(*b),
            Value::Null => FieldValue::Null,
        }
    }
}

/// A whole entry as a JSON object, fields in the entry's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fields(pub Vec<(String, FieldValue)>);

impl From<&Entry> for Fields {
    fn from(e: &Entry) -> Fields {
        Fields(
            e.fields()
                .map(|(k, v)| (k.to_owned(), FieldValue::from(v)))
                .collect(),
        )
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fields, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Fields;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of field values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some((k, v)) = a.next_entry::<String, FieldValue>()? {
                    fields.push((k, v));
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(Ordered)
    }
}

/// A document as JSON text ending with a newline: objects and arrays down to nesting
/// level `open` one item per line (two-space indent), deeper ones on one line
/// (`{"file": "x.yaml", "line": 4}`), so each listed change is one greppable line.
pub fn to_text<T: Serialize>(doc: &T, open: usize) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(
        &mut out,
        Layout {
            open,
            depth: 0,
            has_value: false,
        },
    );
    doc.serialize(&mut ser)
        .expect("the tool's documents always serialize");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

/// The layout of [`to_text`].
struct Layout {
    /// Containers at this level or above are laid out one item per line.
    open: usize,
    /// The current nesting level (1 inside the outermost container).
    depth: usize,
    /// Whether the container being closed had items.
    has_value: bool,
}

impl Layout {
    fn begin<W: ?Sized + std::io::Write>(&mut self, w: &mut W, c: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(c)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, w: &mut W, c: &[u8]) -> std::io::Result<()> {
        let level = self.depth;
        self.depth -= 1;
        if self.has_value && level <= self.open {
            w.write_all(b"\n")?;
            w.write_all(&b"  ".repeat(self.depth))?;
        }
        w.write_all(c)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if self.depth <= self.open {
            w.write_all(if first { b"\n" } else { b",\n" })?;
            w.write_all(&b"  ".repeat(self.depth))
        } else if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }
}

impl serde_json::ser::Formatter for Layout {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_objects_of_their_fields_in_the_entrys_order_and_read_back() {
        let e = Entry::new()
            .with("message", "a\"b\\c\nd\te\u{1}é\u{2028}")
            .with("code", -3)
            .with("ok", true);
        let fields = Fields::from(&e);
        let text = serde_json::to_string(&fields).unwrap();
        // The entry's own order (the golden's canonical one), escapes as JSON needs.
        let want = r#"{"code":-3,"message":"a\"b\\c\nd\te\u0001é@","ok":true}"#;
        assert_eq!(text, want.replace('@', "\u{2028}"));
        assert_eq!(serde_json::from_str::<Fields>(&text).unwrap(), fields);
        assert_eq!(
            serde_json::from_str::<FieldValue>("null").unwrap(),
            FieldValue::Null
        );
    }

    #[test]
    fn the_layout_opens_the_outer_levels_and_keeps_deeper_ones_on_a_line() {
        let doc = serde_json::json!({"v": 1, "list": [{"a": 1, "b": [2, 3]}, {"a": 4, "b": []}], "e": []});
        let text = to_text(&doc, 2);
        assert_eq!(
            text,
            "{\n  \"e\": [],\n  \"list\": [\n    {\"a\": 1, \"b\": [2, 3]},\n    {\"a\": 4, \"b\": []}\n  ],\n  \"v\": 1\n}\n"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).unwrap(),
            doc
        );
    }
}

/// The JSON fields a document's table in CONTRIBUTING.md documents, for tests that
/// hold the typed documents to their documentation.
#[cfg(test)]
pub mod documented {
    use std::collections::BTreeSet;

    /// CONTRIBUTING.md, or `None` outside the repository (an unpacked package).
    pub fn contributing() -> Option<String> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../CONTRIBUTING.md");
        std::fs::read_to_string(path).ok()
    }

    /// The first column's backticked names of the table after the first line that
    /// contains `after`, as `(level, name)`: level 0 for top-level fields; a name
    /// `x[].y` opens level 1 (`x[]` items) and `.z` then belongs to the level last
    /// opened; `.w[]` opens the next level.
    pub fn fields(doc: &str, after: &str) -> BTreeSet<(usize, String)> {
        let mut out = BTreeSet::new();
        let mut level = 0;
        let lines = doc.lines().skip_while(|l| !l.contains(after));
        let table = lines
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .skip(2);
        for row in table {
            let cell = row.split('|').nth(1).unwrap_or_default();
            for name in cell.split('`').skip(1).step_by(2) {
                if let Some((outer, inner)) = name.split_once("[].") {
                    let outer = outer.trim_start_matches('.');
                    if level == 0 {
                        out.insert((0, outer.to_owned()));
                    }
                    level = 1;
                    out.insert((level, inner.to_owned()));
                } else if let Some(inner) = name.strip_prefix('.') {
                    match inner.strip_suffix("[]") {
                        Some(list) => {
                            out.insert((level, list.to_owned()));
                            level += 1;
                        }
                        None => {
                            out.insert((level, inner.to_owned()));
                        }
                    }
                } else if level > 0 {
                    // `changes[].file` / `case`: a bare name after a nested one.
                    out.insert((level, name.to_owned()));
                } else {
                    out.insert((0, name.to_owned()));
                }
            }
        }
        out
    }

    /// The keys of a JSON document in the same shape: the keys of each level's objects,
    /// descending into the arrays of objects.
    pub fn keys(v: &serde_json::Value) -> BTreeSet<(usize, String)> {
        fn walk(v: &serde_json::Value, level: usize, out: &mut BTreeSet<(usize, String)>) {
            if let serde_json::Value::Object(map) = v {
                for (k, child) in map {
                    out.insert((level, k.clone()));
                    if let serde_json::Value::Array(items) = child {
                        for item in items {
                            if item.is_object() {
                                walk(item, level + 1, out);
                            }
                        }
                    }
                }
            }
        }
        let mut out = BTreeSet::new();
        walk(v, 0, &mut out);
        out
    }
}
