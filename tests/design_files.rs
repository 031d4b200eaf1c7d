//! Design files: every bundled design loads, and load(save(d)) == d.

use vnetlab::io::{examples, parse_design, to_ron};

#[test]
fn every_bundled_design_round_trips() {
    let all = std::iter::once(examples::DEFAULT_DESIGN).chain(examples::EXAMPLES.iter().copied());
    for (name, text) in all {
        let design = parse_design(text, name).unwrap_or_else(|e| panic!("{e}"));
        let written = to_ron(&design);
        let again = parse_design(&written, name).unwrap_or_else(|e| panic!("{name} after save: {e}\n{written}"));
        assert_eq!(design, again, "{name}");
        // Writing is deterministic: a second save gives the same text.
        assert_eq!(written, to_ron(&again), "{name}");
    }
}
