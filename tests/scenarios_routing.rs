//! Scenario tests of azure-semantics.md §12, part 3: UDRs, hub NVAs and route selection
//! (T19–T24, T35–T37, T39, T40, T48): service chaining through a hub NVA in both directions, IP
//! forwarding, forwarded traffic, asymmetric paths through stateful appliances, longest prefix
//! versus route source, loops, and unreachable next hops. Out-of-scope scenarios are listed in
//! `scenarios_peering.rs`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::engine::ReasonCode::*;
use vnetlab::engine::{RouteSource, RouteState};
use vnetlab::model::{Design, ForwardedTraffic};

/// T19: A and B peered to hub H only, forwarded traffic allowed on the spokes' links, UDRs in
/// both spokes sending the other spoke's range to nva1.
fn spokes_through_hub_nva() -> Design {
    let mut d = design();
    standard_hub(&mut d);
    standard_a(&mut d);
    standard_b(&mut d);
    peer_both(&mut d, "A", "H");
    peer_both(&mut d, "B", "H");
    peering_mut(&mut d, "A", "H").allow_forwarded_traffic = true;
    peering_mut(&mut d, "B", "H").allow_forwarded_traffic = true;
    udr(&mut d, "A/s1", "10.2.0.0/16", appliance("10.0.1.4"));
    udr(&mut d, "B/s1", "10.1.0.0/16", appliance("10.0.1.4"));
    d
}

#[test]
fn t19_spoke_to_spoke_through_the_hub_nva_both_ways() {
    let d = spokes_through_hub_nva();
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome.assert_reachable();
    assert_eq!(
        outcome.forward_appliances().len(),
        1,
        "{:#?}",
        outcome.trace.forward
    );
    assert!(outcome.forward_appliances()[0].contains("nva1"));
    assert_eq!(
        outcome
            .trace
            .forward
            .iter()
            .filter(|h| h.step == "peering")
            .count(),
        2,
        "A → H then H → B: {:#?}",
        outcome.trace.forward
    );
    // The reply takes the same way back.
    assert_eq!(
        outcome.reverse_appliances().len(),
        1,
        "{:#?}",
        outcome.trace.reverse
    );
    let route = route_for(&d, "A/s1", "10.2.1.4");
    assert_eq!(
        (
            route.source,
            route.next_hop_type.as_str(),
            route.next_hop_ip
        ),
        (RouteSource::User, "VirtualAppliance", Some(ip("10.0.1.4")))
    );
    evaluate(&d, "vmB1", "vmA1", "tcp/443").assert_reachable();
}

#[test]
fn t20_nva_without_ip_forwarding_drops_transit_traffic() {
    let mut d = spokes_through_hub_nva();
    vm_mut(&mut d, "nva1").nics[0].ip_forwarding = false;
    evaluate(&d, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[IpForwardingDisabled])
        .assert_blocker_mentions(IpForwardingDisabled, "nva1")
        .assert_fixes_work(&d);
    // Traffic addressed to the NVA itself needs no forwarding.
    evaluate(&d, "vmA1", "nva1", "tcp/443").assert_reachable();
}

#[test]
fn t21_forwarded_traffic_needs_the_flag_on_the_receiving_spoke() {
    let mut d = spokes_through_hub_nva();
    peering_mut(&mut d, "B", "H").allow_forwarded_traffic = false;
    evaluate(&d, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[ForwardedTrafficBlocked])
        .assert_blocker_mentions(ForwardedTrafficBlocked, &link("B", "H"))
        .assert_blocker_names_assumption(ForwardedTrafficBlocked, "forwarded_traffic")
        .assert_fixes_work(&d);
    // Under the `Ignore` assumption the flag is not enforced.
    d.assumptions.forwarded_traffic = ForwardedTraffic::Ignore;
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
}

#[test]
fn t22_without_the_return_udr_the_reply_has_no_route() {
    let mut d = spokes_through_hub_nva();
    d.route_tables.retain(|t| t.name != "rt-B-s1");
    d.vnet_mut("B").expect("B exists").subnets[0].route_table = None;
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome.assert_blocked(&[RouteNone]).assert_fixes_work(&d);
    assert!(
        outcome
            .trace
            .forward
            .iter()
            .any(|h| h.step == "deliver" && h.at.contains("vmB1")),
        "the request arrives; only the reply fails: {:#?}",
        outcome.trace
    );
    assert!(!outcome.trace.reverse.is_empty());
}

/// T23: T19 plus a direct A↔B peering, the UDR only on A, and a stateful nva1.
fn asymmetric(stateful: bool) -> Design {
    let mut d = spokes_through_hub_nva();
    peer_both(&mut d, "A", "B");
    d.route_tables.retain(|t| t.name != "rt-B-s1");
    d.vnet_mut("B").expect("B exists").subnets[0].route_table = None;
    if let Some(appliance) = vm_mut(&mut d, "nva1").appliance.as_mut() {
        appliance.stateful = stateful;
    }
    d
}

#[test]
fn t23_stateful_nva_drops_the_reply_it_never_sees() {
    let d = asymmetric(true);
    // Same prefix: the UDR beats the peering route, which is shown Invalid.
    assert!(has_route(
        &d,
        "A/s1",
        "10.2.0.0/16",
        RouteSource::Default,
        "VNetPeering",
        RouteState::Invalid
    ));
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome
        .assert_blocked(&[AsymmetricStatefulDrop])
        .assert_blocker_mentions(AsymmetricStatefulDrop, "nva1");
    assert_eq!(
        route_for(&d, "B/s1", "10.1.1.4").next_hop_type,
        "VNetPeering"
    );
}

#[test]
fn t24_asymmetric_paths_are_fine_without_stateful_devices() {
    let outcome = evaluate(&asymmetric(false), "vmA1", "vmB1", "tcp/443");
    outcome.assert_reachable();
    assert_eq!(outcome.forward_appliances().len(), 1);
    assert!(
        outcome.reverse_appliances().is_empty(),
        "{:#?}",
        outcome.trace.reverse
    );
}

#[test]
fn t35_longest_prefix_sends_one_subnet_to_none() {
    let mut d = design();
    standard_a(&mut d);
    standard_b(&mut d);
    subnet(&mut d, "B", "s5", "10.2.5.0/24");
    vm(&mut d, "vmB5", "B/s5", "10.2.5.4");
    peer_both(&mut d, "A", "B");
    udr(&mut d, "A/s1", "10.2.5.0/24", vnetlab::model::NextHop::None);
    evaluate(&d, "vmA1", "vmB5", "tcp/443")
        .assert_blocked(&[RouteNone])
        .assert_blocker_mentions(RouteNone, "10.2.5.0/24")
        .assert_fixes_work(&d);
    let route = route_for(&d, "A/s1", "10.2.5.4");
    assert_eq!(
        (route.source, route.next_hop_type.as_str()),
        (RouteSource::User, "None")
    );
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VNetPeering"
    );
}

/// T36/T37: A↔H, a hub workload vmH1 = 10.0.2.4, and an unpeered 10.50.0.4 (vmZ in Z).
fn hub_with_workload(udr_prefix: &str) -> Design {
    let mut d = design();
    standard_hub(&mut d);
    subnet(&mut d, "H", "workload", "10.0.2.0/24");
    vm(&mut d, "vmH1", "H/workload", "10.0.2.4");
    standard_a(&mut d);
    peer_both(&mut d, "A", "H");
    udr(&mut d, "A/s1", udr_prefix, appliance("10.0.1.4"));
    lone_destination(&mut d, "Z", "10.50.0.0/16", "10.50.0.0/24", "10.50.0.4");
    d
}

#[test]
fn t36_longest_prefix_beats_route_source() {
    let d = hub_with_workload("10.0.0.0/8");
    // The /16 peering route is more specific than the /8 UDR: vmH1 is reached directly.
    let direct = evaluate(&d, "vmA1", "vmH1", "tcp/443");
    direct.assert_reachable();
    assert!(
        direct.forward_appliances().is_empty(),
        "{:#?}",
        direct.trace.forward
    );
    assert_eq!(
        route_for(&d, "A/s1", "10.0.2.4").next_hop_type,
        "VNetPeering"
    );
    // 10.50.0.4 only matches the UDR: it reaches nva1 and dies on the hub's 10.0.0.0/8 None route.
    let lost = evaluate(&d, "vmA1", "vmZ", "tcp/443");
    lost.assert_blocked(&[RouteNone]);
    assert!(
        lost.forward_appliances().iter().any(|a| a.contains("nva1")),
        "{lost:#?}"
    );
    assert_eq!(
        route_for(&d, "A/s1", "10.50.0.4").next_hop_type,
        "VirtualAppliance"
    );
    let hub_route = route_for(&d, "H/nva", "10.50.0.4");
    assert_eq!(
        (hub_route.prefix, hub_route.next_hop_type.as_str()),
        (cidr("10.0.0.0/8"), "None")
    );
}

#[test]
fn t37_same_prefix_user_route_beats_the_peering_route() {
    let d = hub_with_workload("10.0.0.0/16");
    let outcome = evaluate(&d, "vmA1", "vmH1", "tcp/443");
    outcome.assert_reachable();
    assert!(
        outcome
            .forward_appliances()
            .iter()
            .any(|a| a.contains("nva1")),
        "{outcome:#?}"
    );
    assert!(has_route(
        &d,
        "A/s1",
        "10.0.0.0/16",
        RouteSource::Default,
        "VNetPeering",
        RouteState::Invalid
    ));
    assert!(has_route(
        &d,
        "A/s1",
        "10.0.0.0/16",
        RouteSource::User,
        "VirtualAppliance",
        RouteState::Active
    ));
}

#[test]
fn t39_two_nvas_pointing_at_each_other_loop() {
    let mut d = design();
    standard_hub(&mut d);
    subnet(&mut d, "H", "n2", "10.0.3.0/24");
    nva(&mut d, "nva2", "H/n2", "10.0.3.4", false);
    standard_a(&mut d);
    peer_both(&mut d, "A", "H");
    udr(&mut d, "H/nva", "10.9.0.0/16", appliance("10.0.3.4"));
    udr(&mut d, "H/n2", "10.9.0.0/16", appliance("10.0.1.4"));
    udr(&mut d, "A/s1", "10.9.0.0/16", appliance("10.0.1.4"));
    lone_destination(&mut d, "Z", "10.9.0.0/16", "10.9.0.0/24", "10.9.0.4");
    evaluate(&d, "vmA1", "vmZ", "tcp/443")
        .assert_blocked(&[RoutingLoop])
        .assert_blocker_mentions(RoutingLoop, "nva1")
        .assert_blocker_mentions(RoutingLoop, "nva2");
}

#[test]
fn t40_nva_in_the_workload_subnet_loops_on_its_own_udr() {
    let mut d = design();
    standard_a(&mut d);
    nva(&mut d, "nvaA", "A/s1", "10.1.1.10", false);
    standard_b(&mut d);
    peer_both(&mut d, "A", "B");
    udr(&mut d, "A/s1", "10.2.0.0/16", appliance("10.1.1.10"));
    evaluate(&d, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[RoutingLoop])
        .assert_blocker_mentions(RoutingLoop, "nvaA");
}

#[test]
fn t48_next_hop_in_an_unpeered_vnet_is_unreachable() {
    let mut d = design();
    standard_hub(&mut d);
    standard_a(&mut d);
    standard_c(&mut d);
    peer_both(&mut d, "A", "H");
    udr(&mut d, "A/s1", "10.9.0.0/16", appliance("10.3.1.4"));
    lone_destination(&mut d, "Z", "10.9.0.0/16", "10.9.0.0/24", "10.9.0.4");
    evaluate(&d, "vmA1", "vmZ", "tcp/443")
        .assert_blocked(&[NextHopUnreachable])
        .assert_blocker_mentions(NextHopUnreachable, "10.3.1.4");
}
