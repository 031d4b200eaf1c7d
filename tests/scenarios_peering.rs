//! Scenario tests of azure-semantics.md §12, part 1: VNet basics and peering (T1–T9, T11–T13,
//! T41, T51). Each test builds the scenario's design in code with the scenario's addresses and
//! asserts the verdict and the reason codes (both engines, and the trace, must agree).
//!
//! The other parts: `scenarios_nsg.rs` (T14–T18, T50), `scenarios_routing.rs` (T19–T24,
//! T35–T37, T39, T40, T48), `scenarios_gateway.rs` (T25–T34, T38, T46, T47, T49, T52).
//!
//! Out of scope, because the model has no object for them:
//! - T10 (Basic vs Standard internal load balancer over global peering): no load balancers.
//! - T42–T45 (Azure Virtual Network Manager admin rules, mesh and direct connectivity): no AVNM.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::edit::{Edit, Object, ObjectRef};
use vnetlab::engine::ReasonCode::*;
use vnetlab::engine::{RouteSource, RouteState};
use vnetlab::model::{
    DeploymentModel, GovGlobalPeering, ObjectKind, PeeringState, PeeringViolation, SyncLevel,
    VnetAccessMode,
};

fn a_and_b() -> vnetlab::model::Design {
    let mut d = design();
    standard_a(&mut d);
    standard_b(&mut d);
    d
}

#[test]
fn t01_subnets_of_one_vnet_reach_each_other_through_vnet_local() {
    let mut d = design();
    standard_a(&mut d);
    subnet(&mut d, "A", "s2", "10.1.2.0/24");
    vm(&mut d, "vmA2", "A/s2", "10.1.2.4");
    evaluate(&d, "vmA1", "vmA2", "tcp/443").assert_reachable();
    let route = route_for(&d, "A/s1", "10.1.2.4");
    assert_eq!(
        (route.prefix, route.next_hop_type.as_str()),
        (cidr("10.1.0.0/16"), "VnetLocal")
    );
}

#[test]
fn t02_unpeered_vnets_hit_the_reserved_none_route() {
    let d = a_and_b();
    evaluate(&d, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[RouteNone])
        .assert_fixes_work(&d);
    let route = route_for(&d, "A/s1", "10.2.1.4");
    assert_eq!(route.prefix, cidr("10.0.0.0/8"));
    assert_eq!(
        (route.source, route.next_hop_type.as_str()),
        (RouteSource::Default, "None")
    );
}

#[test]
fn t03_regional_peering_connects_both_ways_over_vnet_peering() {
    let mut d = a_and_b();
    peer_both(&mut d, "A", "B");
    let there = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    there.assert_reachable();
    assert!(has_step(&there.trace.forward, "peering"));
    evaluate(&d, "vmB1", "vmA1", "tcp/443").assert_reachable();
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VNetPeering"
    );
    assert_eq!(
        route_for(&d, "B/s1", "10.1.1.4").next_hop_type,
        "VNetPeering"
    );
    assert!(has_route(
        &d,
        "A/s1",
        "10.2.0.0/16",
        RouteSource::Default,
        "VNetPeering",
        RouteState::Active
    ));
}

#[test]
fn t04_one_sided_peering_is_initiated_and_carries_nothing() {
    let mut d = a_and_b();
    peer(&mut d, "A", "B");
    assert_eq!(d.peering_state(&d.peerings[0]), PeeringState::Initiated);
    evaluate(&d, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[PeeringNotConnected])
        .assert_fixes_work(&d);
    // No peering routes: the destination falls to the reserved 10.0.0.0/8 None route.
    let route = route_for(&d, "A/s1", "10.2.1.4");
    assert_eq!(
        (route.prefix, route.next_hop_type.as_str()),
        (cidr("10.0.0.0/8"), "None")
    );
}

#[test]
fn t05_disconnected_peering_blocks_until_both_links_are_recreated() {
    let mut d = a_and_b();
    peer_both(&mut d, "A", "B");
    // Deleting B's link through the API leaves A's link Disconnected.
    Edit::Remove(ObjectRef::new(ObjectKind::Peering, link("B", "A")))
        .apply(&mut d)
        .expect("B's link can be deleted");
    assert_eq!(d.peering_state(&d.peerings[0]), PeeringState::Disconnected);
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome.assert_blocked(&[PeeringNotConnected]);
    // The fix deletes the remaining link and recreates both.
    let fixed = apply_fix(&d, &outcome, PeeringNotConnected);
    assert!(
        fixed
            .peerings
            .iter()
            .all(|p| fixed.peering_state(p) == PeeringState::Connected)
    );
    assert_eq!(fixed.peerings.len(), 2);
    evaluate(&fixed, "vmA1", "vmB1", "tcp/443").assert_reachable();
}

#[test]
fn t06_peering_is_not_transitive_through_a_hub() {
    let mut d = design();
    standard_hub(&mut d);
    standard_a(&mut d);
    standard_c(&mut d);
    peer_both(&mut d, "A", "H");
    peer_both(&mut d, "H", "C");
    evaluate(&d, "vmA1", "vmC1", "tcp/443").assert_blocked(&[RouteNone]);
    let route = route_for(&d, "A/s1", "10.3.1.4");
    assert_eq!(
        (route.prefix, route.next_hop_type.as_str()),
        (cidr("10.0.0.0/8"), "None")
    );
    // Each spoke still reaches the hub.
    evaluate(&d, "vmA1", "nva1", "tcp/443").assert_reachable();
}

#[test]
fn t07_overlapping_address_spaces_make_the_peering_invalid() {
    let mut d = design();
    vnet(&mut d, "A", "10.0.0.0/16");
    subnet(&mut d, "A", "s1", "10.0.1.0/24");
    vm(&mut d, "vmA", "A/s1", "10.0.1.4");
    vnet(&mut d, "B", "10.0.128.0/17");
    subnet(&mut d, "B", "s1", "10.0.129.0/24");
    vm(&mut d, "vmB", "B/s1", "10.0.129.4");
    peer_both(&mut d, "A", "B");
    for peering in &d.peerings {
        let violations = d.peering_violations(peering);
        assert!(
            matches!(violations.as_slice(), [PeeringViolation::Overlap(..)]),
            "{violations:?}"
        );
        assert!(!d.peering_is_valid(peering));
    }
    // 10.0.129.4 is inside A's own range, so the packet stays in A; the explanation must still
    // name the invalid peering.
    let outcome = evaluate(&d, "vmA", "vmB", "tcp/443");
    outcome.assert_blocked_by_one_of(&[PeeringInvalid, NoSuchHost]);
    assert!(
        outcome.codes.contains(&PeeringInvalid),
        "{:?}",
        outcome.codes
    );
}

#[test]
fn t08_peering_never_crosses_clouds() {
    let mut d = a_and_b();
    d.vnets[1].region = "chinanorth2".parse().expect("known region");
    peer_both(&mut d, "A", "B");
    for peering in &d.peerings {
        let violations = d.peering_violations(peering);
        assert!(
            matches!(violations.as_slice(), [PeeringViolation::CrossCloud(..)]),
            "{violations:?}"
        );
    }
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[PeeringInvalid]);
}

#[test]
fn t09_government_global_peering_follows_the_assumption() {
    let mut d = a_and_b();
    d.vnets[0].region = "usgovvirginia".parse().expect("known region");
    d.vnets[1].region = "usgovtexas".parse().expect("known region");
    peer_both(&mut d, "A", "B");
    // Default: the training module's rule.
    assert_eq!(
        d.peering_violations(&d.peerings[0]),
        vec![PeeringViolation::GovGlobalPeering]
    );
    evaluate(&d, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[PeeringInvalid])
        .assert_blocker_names_assumption(PeeringInvalid, "gov_global_peering");
    // The current product documentation: allowed, over global peering.
    let mut assumptions = d.assumptions;
    assumptions.gov_global_peering = GovGlobalPeering::Allowed;
    Edit::SetAssumptions(assumptions)
        .apply(&mut d)
        .expect("assumptions apply");
    assert!(d.peering_violations(&d.peerings[0]).is_empty());
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VNetGlobalPeering"
    );
}

#[test]
fn t11_classic_vnets_cannot_peer_with_each_other() {
    let mut d = a_and_b();
    for vnet in &mut d.vnets {
        vnet.deployment = DeploymentModel::Classic;
    }
    peer_both(&mut d, "A", "B");
    assert!(
        d.peering_violations(&d.peerings[0])
            .contains(&PeeringViolation::ClassicToClassic)
    );
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[PeeringInvalid]);
}

/// T12's design: A↔B with access off on A's link, a defaults-only NSG on both subnets.
fn access_blocked() -> vnetlab::model::Design {
    let mut d = a_and_b();
    peer_both(&mut d, "A", "B");
    peering_mut(&mut d, "A", "B").allow_virtual_network_access = false;
    defaults_nsg_on_subnet(&mut d, "nsg-a", "A/s1");
    defaults_nsg_on_subnet(&mut d, "nsg-b", "B/s1");
    d
}

#[test]
fn t12_vnet_access_off_blocks_both_directions() {
    let d = access_blocked();
    // A's VirtualNetwork tag excludes B, so A's default deny rules match.
    evaluate(&d, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[PeeringVnetAccessBlocked, NsgDeny])
        .assert_blocker_mentions(NsgDeny, "DenyAllOutBound")
        .assert_blocker_names_assumption(PeeringVnetAccessBlocked, "vnet_access_disabled")
        .assert_fixes_work(&d);
    evaluate(&d, "vmB1", "vmA1", "tcp/443")
        .assert_blocked(&[PeeringVnetAccessBlocked, NsgDeny])
        .assert_blocker_mentions(NsgDeny, "DenyAllInBound");
    // Peering routes stay installed: only the tag and the access rule change.
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VNetPeering"
    );
}

#[test]
fn t12_tag_only_mode_leaves_only_the_nsg_decision() {
    let mut d = access_blocked();
    d.assumptions.vnet_access_disabled = VnetAccessMode::TagOnly;
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[NsgDeny]);
}

#[test]
fn t13_explicit_ip_rules_let_traffic_through_a_blocked_peering() {
    use vnetlab::model::{Access::Allow, Direction::*, Protocol::Any};
    let mut d = access_blocked();
    nsg_rule(
        &mut d,
        "nsg-a",
        rule("allow-b-out", 100, Outbound, Allow, Any, "10.2.0.0/16", "*"),
    );
    nsg_rule(
        &mut d,
        "nsg-a",
        rule("allow-b-in", 100, Inbound, Allow, Any, "10.2.0.0/16", "*"),
    );
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
    evaluate(&d, "vmB1", "vmA1", "tcp/443").assert_reachable();
    // Without the explicit rules the peering flag blocks again: the rules are what let it through.
    let mut without = d.clone();
    without.nsgs.iter_mut().for_each(|n| n.rules.clear());
    evaluate(&without, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[PeeringVnetAccessBlocked, NsgDeny]);
}

#[test]
fn t41_added_range_is_unreachable_until_the_peering_is_synced() {
    let mut d = a_and_b();
    peer_both(&mut d, "A", "B");
    // Add 10.99.0.0/16 to B (with a subnet and vmB2) the way a user does: through an edit, which
    // leaves A's copy of B's space stale.
    let mut b = d.vnet("B").expect("B exists").clone();
    b.address_space.push(cidr("10.99.0.0/16"));
    b.subnets
        .push(vnetlab::model::Subnet::new("s99", cidr("10.99.0.0/24")));
    Edit::Replace(Object::Vnet(b))
        .apply(&mut d)
        .expect("B's space can grow");
    vm(&mut d, "vmB2", "B/s99", "10.99.0.4");
    let a_to_b = d.peering(&link("A", "B")).expect("A's link").clone();
    let b_to_a = d.peering(&link("B", "A")).expect("B's link").clone();
    assert_eq!(d.sync_level(&a_to_b), SyncLevel::LocalNotInSync);
    assert_eq!(d.sync_level(&b_to_a), SyncLevel::RemoteNotInSync);

    evaluate(&d, "vmA1", "vmB2", "tcp/443")
        .assert_blocked(&[AddressSpaceNotSynced])
        .assert_fixes_work(&d);
    // The old range still works.
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();

    Edit::SyncPeering(link("A", "B"))
        .apply(&mut d)
        .expect("sync applies");
    let synced = d.peering(&link("A", "B")).expect("A's link").clone();
    assert_eq!(d.sync_level(&synced), SyncLevel::FullyInSync);
    evaluate(&d, "vmA1", "vmB2", "tcp/443").assert_reachable();
}

/// T51's design: A (s1 with vmA1, s2 with vmA2) and B (t1 with vmB1, t2 with vmB2), subnet-peered
/// with local [s1] and remote [t1] (and the mirror image on B's link).
fn subnet_peered() -> vnetlab::model::Design {
    let mut d = design();
    standard_a(&mut d);
    subnet(&mut d, "A", "s2", "10.1.2.0/24");
    vm(&mut d, "vmA2", "A/s2", "10.1.2.4");
    vnet(&mut d, "B", "10.2.0.0/16");
    subnet(&mut d, "B", "t1", "10.2.1.0/24");
    subnet(&mut d, "B", "t2", "10.2.2.0/24");
    vm(&mut d, "vmB1", "B/t1", "10.2.1.4");
    vm(&mut d, "vmB2", "B/t2", "10.2.2.4");
    peer_both(&mut d, "A", "B");
    let a_to_b = peering_mut(&mut d, "A", "B");
    a_to_b.local_subnets = vec!["s1".into()];
    a_to_b.remote_subnets = vec!["t1".into()];
    let b_to_a = peering_mut(&mut d, "B", "A");
    b_to_a.local_subnets = vec!["t1".into()];
    b_to_a.remote_subnets = vec!["s1".into()];
    assert!(d.validate().is_empty(), "{:?}", d.validate());
    d
}

#[test]
fn t51_subnet_peering_routes_listed_subnets_and_drops_what_unlisted_ones_send() {
    let mut d = subnet_peered();
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
    // Only the listed remote subnet is peered: routes carry t1's prefix, not B's whole space.
    for subnet in ["A/s1", "A/s2"] {
        assert!(
            has_route(
                &d,
                subnet,
                "10.2.1.0/24",
                RouteSource::Default,
                "VNetPeering",
                RouteState::Active
            ),
            "{subnet} lacks the peering route to t1: {:#?}",
            routes(&d, subnet)
        );
        assert!(
            !routes(&d, subnet)
                .iter()
                .any(|r| r.prefix == cidr("10.2.0.0/16")),
            "{subnet} has a route to B's whole space: {:#?}",
            routes(&d, subnet)
        );
    }
    // The known limitation: s2 has the route, but its packets are dropped before delivery.
    evaluate(&d, "vmA2", "vmB1", "tcp/443")
        .assert_blocked(&[SubnetNotInSubnetPeering])
        .assert_blocker_mentions(SubnetNotInSubnetPeering, "A/s2")
        .assert_fixes_work(&d);
    // The other way there is no route at all: B's link routes to s1 only.
    evaluate(&d, "vmB1", "vmA2", "tcp/443")
        .assert_blocked(&[SubnetNotInSubnetPeering])
        .assert_blocker_mentions(SubnetNotInSubnetPeering, "A/s2")
        .assert_fixes_work(&d);
    // t2 is not peered at all: A has no route to it.
    assert_eq!(route_for(&d, "A/s1", "10.2.2.4").next_hop_type, "None");
    evaluate(&d, "vmA1", "vmB2", "tcp/443")
        .assert_blocked(&[SubnetNotInSubnetPeering])
        .assert_blocker_mentions(SubnetNotInSubnetPeering, "B/t2")
        .assert_fixes_work(&d);

    let fix = evaluate(&d, "vmA2", "vmB1", "tcp/443")
        .trace
        .blockers
        .iter()
        .find_map(|b| b.fix.clone())
        .expect("the subnet blocker offers a fix");
    fix.edit.apply(&mut d).expect("the fix applies");
    assert!(d.validate().is_empty(), "{:?}", d.validate());
    evaluate(&d, "vmA2", "vmB1", "tcp/443").assert_reachable();
    evaluate(&d, "vmB1", "vmA2", "tcp/443").assert_reachable();
}
