//! JSON text for the tool's machine-readable outputs (`pending --format json`, `gate
//! --format json`), written by hand: two small documents need no JSON dependency,
//! and one escaping routine serves both, so any message survives either.

use std::fmt::Write as _;
use wire_compat::{Entry, Value};

/// A JSON string literal: quotes, backslashes and every control character escaped.
pub(crate) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One field value as JSON.
pub(crate) fn value(v: &Value) -> String {
    match v {
        Value::Str(s) => string(s),
        Value::Int(i) => i.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".into(),
    }
}

/// A whole entry as a JSON object, fields in order.
pub(crate) fn entry(e: &Entry) -> String {
    let body: Vec<String> = e
        .fields()
        .map(|(k, v)| format!("{}: {}", string(k), value(v)))
        .collect();
    format!("{{{}}}", body.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_escape_everything_json_forbids() {
        assert_eq!(
            string("a\"b\\c\nd\te\u{1}é\u{2028}"),
            r#""a\"b\\c\nd\te\u0001é\u2028""#
        );
    }

    #[test]
    fn entries_are_objects_of_their_fields() {
        let e = Entry::new()
            .with("code", -3)
            .with("message", "x")
            .with("ok", true);
        assert_eq!(entry(&e), r#"{"code": -3, "message": "x", "ok": true}"#);
        assert_eq!(value(&Value::Null), "null");
    }
}
