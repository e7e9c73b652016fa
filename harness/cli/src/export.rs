//! `cargo wire-compat export`: the wire contract of a crate at a ref as one versioned
//! JSON document, for clients in other languages and for attaching to a release.
//!
//! The document holds what the goldens pin and what each field promises: per golden
//! file its declared field policies and variants, its live cases (id, variant, field
//! values) and its tombstones (reason, reserved codes). It is deterministic: the same
//! goldens give the same bytes (maps in key order, cases in the suite's natural id
//! order), so a committed export can be checked for freshness like any golden.
//! The schema is `harness/cli/export.schema.json`; raise [`EXPORT_FORMAT`] whenever a
//! field's meaning changes.

use crate::gate::{snapshot, Snapshot};
use crate::status::Status;
use crate::streams::Streams;
use serde::Serialize;
use std::collections::BTreeMap;
use wire_compat::_support::{natural_cmp, GoldenFile};
use wire_compat::{Policy, Value};

/// The version of the exported document's layout (`format_version`).
pub const EXPORT_FORMAT: u32 = 1;

/// Where the document's layout is described and how to attach it to a release,
/// shown after the options in `export --help`.
const AFTER_HELP: &str = "\
Prints (on stdout) every case the crate's goldens pin, with its variant and field values,
each field's declared policy (contract: any change is breaking; informational: a patch
release may change it), and the retired cases with their reasons and reserved codes. The
same goldens always give the same bytes. The layout is described by the JSON Schema
`export.schema.json` of the cargo-wire-compat package; its `format_version` grows when a
field's meaning changes.

Attach it to a release:  cargo wire-compat export --at v1.4.0 > wire-contract-1.4.0.json";

/// The command line of `export`.
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct ExportArgs {
    /// A git ref (tag, branch, commit): the contract as released there, read from git's
    /// objects. Default: the working tree (the checkout, uncommitted edits included).
    #[arg(long, value_name = "REF", allow_hyphen_values = true)]
    pub at: Option<String>,
    /// The workspace member to export (default: the only crate with goldens, else the
    /// one whose Cargo.toml is nearest).
    #[arg(short = 'p', long = "package", value_name = "CRATE")]
    pub package: Option<String>,
}

/// The whole document.
#[derive(Serialize)]
struct Contract {
    format_version: u32,
    #[serde(rename = "crate")]
    krate: CrateInfo,
    goldens: Vec<GoldenDoc>,
}

#[derive(Serialize)]
struct CrateInfo {
    name: String,
    version: String,
}

/// One golden file.
#[derive(Serialize)]
struct GoldenDoc {
    name: String,
    file: String,
    golden_format: i64,
    fields: BTreeMap<String, FieldDoc>,
    variants: Vec<String>,
    cases: Vec<CaseDoc>,
    tombstones: Vec<TombstoneDoc>,
}

/// What a field promises.
#[derive(Serialize)]
struct FieldDoc {
    policy: &'static str,
    declared: bool,
}

#[derive(Serialize)]
struct CaseDoc {
    id: String,
    variant: Option<String>,
    fields: BTreeMap<String, serde_json::Value>,
}

#[derive(Serialize)]
struct TombstoneDoc {
    id: String,
    variant: Option<String>,
    reason: String,
    reserved: BTreeMap<String, i64>,
    fields: BTreeMap<String, serde_json::Value>,
}

/// Runs `cargo wire-compat export`: the document on `io.out`, or the error on
/// `io.err` (could not run).
pub fn cli(args: &ExportArgs, io: &mut Streams<'_>) -> Status {
    match snapshot(args.package.as_deref(), args.at.as_deref()) {
        Ok(s) => match io.out.write_all(render(&s).as_bytes()) {
            // A reader that stops early (`| head`) is not an error of the export.
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                let _ = writeln!(io.err, "error: cannot write the contract: {e}");
                Status::CouldNotRun
            }
            _ => Status::Done,
        },
        Err(e) => {
            let _ = writeln!(io.err, "error: {e}");
            Status::CouldNotRun
        }
    }
}

/// The document's bytes: pretty JSON ending in a newline.
pub fn render(s: &Snapshot) -> String {
    let doc = Contract {
        format_version: EXPORT_FORMAT,
        krate: CrateInfo {
            name: s.krate.clone(),
            version: s.version.to_string(),
        },
        goldens: s
            .goldens
            .iter()
            .map(|(stem, g)| golden(stem, &format!("{}{stem}.yaml", s.dir), &g.file))
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&doc).expect("plain data always serializes");
    out.push('\n');
    out
}

fn golden(stem: &str, file: &str, g: &GoldenFile) -> GoldenDoc {
    let mut cases: Vec<_> = g.cases.iter().collect();
    cases.sort_by(|a, b| natural_cmp(&a.id, &b.id));
    let mut fields: BTreeMap<String, FieldDoc> = BTreeMap::new();
    let mut live = Vec::new();
    let mut tombstones = Vec::new();
    for c in cases {
        let variant = g.declared.variant_of(&c.id).map(str::to_owned);
        let values = |skip: &str| {
            c.entry
                .fields()
                .filter(|(k, _)| *k != skip)
                .map(|(k, v)| (k.to_owned(), json(v)))
                .collect::<BTreeMap<_, _>>()
        };
        if c.is_retired() {
            let reason = match c.entry.get("retired") {
                Some(Value::Str(why)) => why.clone(),
                _ => String::new(),
            };
            // A tombstone's integer fields stay reserved (the suite refuses a live
            // case that reuses one), so clients must not reuse them either.
            let reserved = c
                .entry
                .fields()
                .filter_map(|(k, v)| match v {
                    Value::Int(n) => Some((k.to_owned(), *n)),
                    _ => None,
                })
                .collect();
            tombstones.push(TombstoneDoc {
                id: c.id.clone(),
                variant,
                reason,
                reserved,
                fields: values("retired"),
            });
        } else {
            for (name, _) in c.entry.fields() {
                fields
                    .entry(name.to_owned())
                    .or_insert_with(|| field(g, name));
            }
            live.push(CaseDoc {
                id: c.id.clone(),
                variant,
                fields: values(""),
            });
        }
    }
    for name in g.declared.policy.keys() {
        fields.entry(name.clone()).or_insert_with(|| field(g, name));
    }
    GoldenDoc {
        name: stem.to_owned(),
        file: file.to_owned(),
        golden_format: g.format,
        fields,
        variants: g.declared.variants.clone(),
        cases: live,
        tombstones,
    }
}

fn field(g: &GoldenFile, name: &str) -> FieldDoc {
    FieldDoc {
        policy: match g.declared.policy_of(name) {
            Policy::Contract => "contract",
            Policy::Informational => "informational",
        },
        declared: g.declared.policy.contains_key(name),
    }
}

fn json(v: &Value) -> serde_json::Value {
    match v {
        Value::Str(s) => serde_json::Value::String(s.clone()),
        Value::Int(n) => serde_json::Value::from(*n),
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Null => serde_json::Value::Null,
    }
}
