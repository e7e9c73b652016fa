//! The test kit cannot depend on the runtime (the runtime's tests depend on it), so
//! it lists the CI variables its `scrub` removes; they must be the runtime's.

#[test]
fn the_testkit_scrubs_exactly_the_ci_variables_the_runtime_reads() {
    let runtime: Vec<&str> = wire_compat::_support::CI_VARIABLES
        .iter()
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(runtime, wire_compat_testkit::CI_VARIABLES.to_vec());
}
