//! This repository's exported contract (`contract/wire-errors.json`, what the Python
//! client example reads) is what `export` makes of today's goldens: an approved wire
//! change turns this red until the contract is re-exported, as the README's snippet is
//! checked against the example it shows.

use crate::support::{python_with_jsonschema, schema_errors};
use crate::workspace_root;

#[test]
#[cfg_attr(
    not(has_tool = "jsonschema"),
    ignore = "needs Python's jsonschema (.ci/run installs it)"
)]
fn this_repositorys_committed_contract_is_fresh() {
    // The tests run in this package's folder, inside the workspace: `export` finds the
    // workspace from there, as `cargo wire-compat export -p wire-errors` does.
    let snapshot = cargo_wire_compat::gate::snapshot(Some("wire-errors"), None)
        .expect("the repository's goldens export");
    let fresh = cargo_wire_compat::export::render(&snapshot);
    let committed =
        std::fs::read_to_string(workspace_root().join("contract/wire-errors.json")).unwrap();
    assert!(
        fresh == committed,
        "contract/wire-errors.json is stale: the goldens changed since it was exported. \
         Re-export it with `cargo wire-compat export -p wire-errors > contract/wire-errors.json`, \
         run `python3 examples/python-client/test_client.py`, and commit both"
    );
    let python = python_with_jsonschema("this_repositorys_committed_contract_is_fresh");
    let schema = workspace_root().join("harness/cli/export.schema.json");
    assert_eq!(schema_errors(&python, &schema, &committed), None);
}
