//! The peering facts the session, the engine and lint share for a revision
//! ([`PeeringIndex`], built in one linear pass) equal the one-peering answers of [`Design`]
//! (each a scan of the design), on generated designs valid or damaged (duplicate names,
//! dangling references) and on the bundled ones: a stale or wrongly keyed index fails here.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod strategies;

use proptest::prelude::*;
use strategies::damage::arbitrary_design;
use strategies::valid_design;
use vnetlab::io::{examples, parse_design};
use vnetlab::model::{Design, PeeringIndex};

fn assert_index_matches_scans(design: &Design) {
    let index = PeeringIndex::new(design);
    assert_eq!(index.all().len(), design.peerings.len());
    for (i, p) in design.peerings.iter().enumerate() {
        let facts = index.facts(i).unwrap();
        let scanned_reverse = design.reverse_peering(p).map(|r| {
            design
                .peerings
                .iter()
                .position(|q| std::ptr::eq(q, r))
                .unwrap()
        });
        assert_eq!(facts.reverse, scanned_reverse, "reverse of `{}`", p.name);
        assert_eq!(
            facts.state,
            design.peering_state(p),
            "state of `{}`",
            p.name
        );
        assert_eq!(facts.sync, design.sync_level(p), "sync of `{}`", p.name);
        assert_eq!(
            facts.violations,
            design.peering_violations(p),
            "violations of `{}`",
            p.name
        );
        assert_eq!(facts.accepted(), design.peering_is_valid(p));
    }
}

#[test]
fn bundled_designs_index_as_they_scan() {
    assert_index_matches_scans(&examples::default_design());
    for (name, text) in examples::EXAMPLES {
        assert_index_matches_scans(&parse_design(text, name).unwrap());
    }
}

proptest! {
    #![proptest_config(strategies::config(96))]

    #[test]
    fn valid_designs_index_as_they_scan(design in valid_design()) {
        assert_index_matches_scans(&design.0);
    }

    #[test]
    fn damaged_designs_index_as_they_scan(design in arbitrary_design()) {
        assert_index_matches_scans(&design.0);
    }
}

/// The session's peering states after each edit are those of the edited design, derived afresh
/// by scanning (a status kept from an earlier revision would differ after these removals).
#[test]
fn session_peering_status_follows_every_edit() {
    use vnetlab::edit::{Edit, ObjectRef};
    use vnetlab::model::ObjectKind;
    use vnetlab::session::Session;
    for (name, text) in examples::EXAMPLES {
        let design = parse_design(text, name).unwrap();
        let names: Vec<String> = design.peerings.iter().map(|p| p.name.clone()).collect();
        let mut session = Session::new(design);
        for peering in names.iter().step_by(2) {
            let edit = Edit::Remove(ObjectRef::new(ObjectKind::Peering, peering));
            if session.apply(edit).is_err() {
                continue;
            }
            let d = session.design();
            let scanned: Vec<_> = d
                .peerings
                .iter()
                .map(|p| (d.peering_state(p), d.sync_level(p)))
                .collect();
            let kept: Vec<_> = session
                .peering_status()
                .iter()
                .map(|s| (s.state, s.sync))
                .collect();
            assert_eq!(kept, scanned, "{name} after removing `{peering}`");
        }
    }
}
