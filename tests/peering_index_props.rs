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

/// Applies change `how` to peering `k`: one of its flags, its disconnection, its copy of the
/// remote space or its subnet lists (what an edit of one peering changes without renaming it).
fn change_peering(design: &mut Design, k: usize, how: u8) {
    let space = design.vnets.first().map(|v| v.address_space.clone());
    let subnet = design
        .vnets
        .iter()
        .flat_map(|v| v.subnets.iter())
        .next()
        .map(|s| s.name.clone());
    let Some(p) = design.peerings.get_mut(k) else {
        return;
    };
    match how % 8 {
        0 => p.allow_virtual_network_access = !p.allow_virtual_network_access,
        1 => p.allow_forwarded_traffic = !p.allow_forwarded_traffic,
        2 => p.allow_gateway_transit = !p.allow_gateway_transit,
        3 => p.use_remote_gateways = !p.use_remote_gateways,
        4 => p.disconnected = !p.disconnected,
        5 => {
            p.remote_address_space = if p.remote_address_space.is_some() {
                None
            } else {
                space
            }
        }
        6 => {
            p.remote_subnets = if p.remote_subnets.is_empty() {
                subnet.into_iter().collect()
            } else {
                Vec::new()
            }
        }
        _ => {
            p.use_remote_gateways = !p.use_remote_gateways;
            p.allow_gateway_transit = !p.allow_gateway_transit;
        }
    }
}

/// The facts after an edit of peerings, found again only where the edit can have changed
/// them, equal the facts built afresh.
fn assert_patched_index_is_fresh(design: &Design, edits: &[(usize, u8)]) {
    let previous = PeeringIndex::new(design);
    let mut edited = design.clone();
    for &(k, how) in edits {
        if !design.peerings.is_empty() {
            change_peering(&mut edited, k % design.peerings.len(), how);
        }
    }
    assert_eq!(
        PeeringIndex::after(design, &previous, &edited),
        PeeringIndex::new(&edited),
        "after {edits:?}"
    );
}

#[test]
fn every_change_of_one_bundled_peering_patches_the_index_as_built_afresh() {
    let mut designs = vec![examples::default_design()];
    designs.extend(
        examples::EXAMPLES
            .iter()
            .map(|(name, text)| parse_design(text, name).unwrap()),
    );
    for design in &designs {
        for k in 0..design.peerings.len() {
            for how in 0..8 {
                assert_patched_index_is_fresh(design, &[(k, how)]);
            }
        }
    }
}

proptest! {
    #![proptest_config(strategies::config(96))]

    #[test]
    fn peering_edits_patch_the_index_as_built_afresh(
        design in arbitrary_design(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
    ) {
        assert_patched_index_is_fresh(&design.0, &edits);
    }

    #[test]
    fn peering_edits_of_valid_designs_patch_the_index_as_built_afresh(
        design in valid_design(),
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 1..4),
    ) {
        assert_patched_index_is_fresh(&design.0, &edits);
    }
}
