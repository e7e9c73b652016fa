//! The strict serde reading of a golden: only `cases:`, ids that are usable, scalar
//! fields, no duplicates, and an expansion budget against YAML alias bombs.

use super::file::{Declared, GOLDEN_FORMAT, REGENERATE};
use crate::catalog::Policy;
use crate::entry::{Entry, Value};
use crate::id::check_id;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

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

/// What the strict reading returns: the format, the declarations and the cases.
pub(super) type Doc = (i64, Declared, Vec<(String, Entry)>);

struct DocVisitor<'b>(&'b Ctx);

impl<'de> Visitor<'de> for DocVisitor<'_> {
    type Value = Doc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping with the keys `format`, `policy`, `variants` and `cases`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut cases = None;
        let (mut format, mut declared) = (None, Declared::default());
        let mut seen = HashSet::new();
        let top_key = |ctx: &Ctx, key: &str| {
            if !matches!(key, "cases" | "format" | "policy" | "variants") {
                ctx.hint.set(
                    "a golden file holds `format`, `policy`, `variants` and `cases` only; \
                     move the entries under `cases:` or delete the key",
                );
                return Err(format!(
                    "unknown top-level key `{key}`; a golden file has only `format`, \
                     `policy`, `variants` and `cases`"
                ));
            }
            if !seen.insert(key.to_owned()) {
                ctx.hint.set("keep one of the two (see `git diff`)");
                return Err(format!("duplicate key `{key}`"));
            }
            Ok(())
        };
        let mut top_key = top_key;
        while let Some(key) = map.next_key_seed(Key(self.0, &mut top_key))? {
            match key.as_str() {
                "format" => {
                    let found = map.next_value_seed(ScalarSeed(self.0))?;
                    match found {
                        Value::Int(n) if (1..=GOLDEN_FORMAT).contains(&n) => format = Some(n),
                        other => {
                            let (message, hint) =
                                super::file::unknown_format_text(&other.to_string());
                            return Err(self.0.fail(message, hint));
                        }
                    }
                }
                "policy" => declared.policy = map.next_value_seed(PolicySeed(self.0))?,
                "variants" => declared.variants = map.next_value_seed(VariantsSeed(self.0))?,
                _ => cases = Some(map.next_value_seed(CasesSeed(self.0))?),
            }
        }
        let format = format.unwrap_or(1);
        if format < 2 && (seen.contains("policy") || seen.contains("variants")) {
            return Err(self.0.fail(
                "`policy` and `variants` are declarations of golden format 2, but the file \
                 does not say `format: 2`"
                    .to_owned(),
                "add `format: 2` at the top (after the header), or regenerate the file with \
                 `UPDATE_GOLDENS=1 cargo test`",
            ));
        }
        let cases = cases.ok_or_else(|| de::Error::custom("missing the `cases:` mapping"))?;
        Ok((format, declared, cases))
    }
}

/// `policy:`, a mapping of field names to `contract` or `informational`.
struct PolicySeed<'b>(&'b Ctx);

impl<'de> de::DeserializeSeed<'de> for PolicySeed<'_> {
    type Value = BTreeMap<String, Policy>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PolicySeed<'_> {
    type Value = BTreeMap<String, Policy>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a mapping of field names to `contract` or `informational`")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        let mut seen = HashSet::new();
        let mut field_key = |ctx: &Ctx, name: &str| {
            if seen.insert(name.to_owned()) {
                return Ok(());
            }
            ctx.hint.set("keep one of the two lines (see `git diff`)");
            Err(format!("duplicate policy of field `{name}`"))
        };
        while let Some(name) = map.next_key_seed(Key(self.0, &mut field_key))? {
            let value = map.next_value_seed(ScalarSeed(self.0))?;
            let policy = match &value {
                Value::Str(word) => Policy::from_name(word),
                _ => None,
            };
            let Some(policy) = policy else {
                return Err(self.0.fail(
                    format!(
                        "field `{name}` has policy {value}; a policy is `contract` or \
                         `informational`"
                    ),
                    "declare the field's policy in its catalog (`Catalog::field`) and \
                     regenerate the file with `UPDATE_GOLDENS=1 cargo test`",
                ));
            };
            out.insert(name, policy);
        }
        Ok(out)
    }
}

/// `variants:`, a sequence of distinct non-empty variant names.
struct VariantsSeed<'b>(&'b Ctx);

impl<'de> de::DeserializeSeed<'de> for VariantsSeed<'_> {
    type Value = Vec<String>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for VariantsSeed<'_> {
    type Value = Vec<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence of variant names")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        while let Some(value) = seq.next_element_seed(ScalarSeed(self.0))? {
            let name = match value {
                Value::Str(name) if !name.is_empty() => name,
                other => {
                    return Err(self.0.fail(
                        format!("variant {other} is not a variant name (a non-empty string)"),
                        "regenerate the file with `UPDATE_GOLDENS=1 cargo test`",
                    ))
                }
            };
            if !seen.insert(name.clone()) {
                return Err(self.0.fail(
                    format!("variant `{name}` is listed twice"),
                    "keep one of the two lines (see `git diff`)",
                ));
            }
            out.push(name);
        }
        Ok(out)
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
            match seen.insert(crate::id::fold_case(id), id.to_owned()) {
                None => Ok(()),
                Some(first) if first == id => {
                    ctx.hint.set(
                        "keep one entry per case: delete the other one (see `git diff`), or \
                         delete the file and run `UPDATE_GOLDENS=1 cargo test`",
                    );
                    Err(format!("duplicate case `{id}`: each case appears once"))
                }
                Some(first) => {
                    ctx.hint.set(
                        "keep the entry of the id the catalog renders now and delete the other \
                         (a case renamed by letter case keeps only its new id); if the catalog \
                         renders both, rename one of them there",
                    );
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
        // Unique (duplicates were refused above) and now sorted.
        Ok(Entry::from_sorted(fields))
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

/// Why the strict reading failed, located where serde located it.
pub(super) struct StrictError {
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: &'static str,
    /// The failing line is indented with tabs (YAML's most common mistake).
    pub tab_indented: bool,
}

/// Reads the cases of a golden text strictly (see the module docs).
pub(super) fn cases(text: &str) -> Result<Doc, StrictError> {
    let doc = serde_yaml::Deserializer::from_str(text);
    let ctx = Ctx {
        left: std::cell::Cell::new(text.len().saturating_mul(EXPANSION_LIMIT) + 1024),
        hint: std::cell::Cell::new(REGENERATE),
    };
    match doc.deserialize_map(DocVisitor(&ctx)) {
        Ok(cases) => Ok(cases),
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
            Err(StrictError {
                line,
                column,
                message,
                hint: ctx.hint.get(),
                tab_indented,
            })
        }
    }
}
