//! What gateways learn over VNet-to-VNet connections, with and without BGP (issue 11, item 1).
//!
//! Sources, named per test:
//! - vpn-gateway-peering-gateway-transit.md: "Connectivity available on the VPN gateway,
//!   including S2S, P2S, and VNet-to-VNet connections, applies to all three virtual networks";
//! - tutorial-hybrid-network-portal.md (Azure Firewall hybrid tutorial): on-premises is a VNet
//!   joined to the hub by a VNet-to-VNet connection without BGP, and the on-premises VM reaches
//!   the spoke VM through the hub;
//! - the vnet-transitive-bgp quickstart template: VNet1 reaches VNet3 across two VNet-to-VNet
//!   connections with BGP;
//! - vpn-gateway-about-point-to-site-routing.md: without BGP a P2S client reaches only the
//!   gateway's VNet (the farther VNet has no route back to the client pool); with BGP "the
//!   access is transitive";
//! - azure-semantics.md §4.3–§4.5 (no transit without BGP, no default route re-advertised).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::engine::ReasonCode::*;
use vnetlab::engine::{RouteSource, RouteState};
use vnetlab::model::Design;
use vnetlab::model::endpoint_names::p2s_client_name;

/// The Azure Firewall hybrid tutorial's shape: hub H with gateway `G`, spoke A using it through
/// gateway transit, and "on-premises" VNet O (10.5.0.0/16, vmO1 = 10.5.1.4) with gateway `GO`,
/// joined to `G` by a VNet-to-VNet connection without BGP.
fn hybrid_tutorial() -> Design {
    let mut d = design();
    standard_hub(&mut d);
    standard_a(&mut d);
    vpn_gateway(&mut d, "H", "G");
    peer_both(&mut d, "A", "H");
    peering_mut(&mut d, "H", "A").allow_gateway_transit = true;
    peering_mut(&mut d, "A", "H").use_remote_gateways = true;
    vnet(&mut d, "O", "10.5.0.0/16");
    subnet(&mut d, "O", "s1", "10.5.1.0/24");
    vm(&mut d, "vmO1", "O/s1", "10.5.1.4");
    vpn_gateway(&mut d, "O", "GO");
    v2v(&mut d, "G", "GO");
    d
}

/// Source: tutorial-hybrid-network-portal.md and vpn-gateway-peering-gateway-transit.md.
#[test]
fn without_bgp_a_transit_spoke_and_the_vnet_to_vnet_peer_reach_each_other_both_ways() {
    let d = hybrid_tutorial();
    for (from, to) in [("vmA1", "vmO1"), ("vmO1", "vmA1")] {
        let outcome = evaluate(&d, from, to, "tcp/443");
        outcome.assert_reachable();
        assert!(
            has_step(&outcome.trace.forward, "gateway"),
            "{:#?}",
            outcome.trace.forward
        );
    }
    // Each side learns the other's VNet and the spokes using the other's gateway.
    assert!(has_route(
        &d,
        "O/s1",
        "10.1.0.0/16",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
    assert!(has_route(
        &d,
        "O/s1",
        "10.0.0.0/16",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
    assert!(has_route(
        &d,
        "A/s1",
        "10.5.0.0/16",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
}

/// Source: vpn-gateway-peering-gateway-transit.md (only VNets using the gateway share it).
#[test]
fn a_spoke_that_does_not_use_the_gateway_is_not_learned() {
    let mut d = hybrid_tutorial();
    peering_mut(&mut d, "A", "H").use_remote_gateways = false;
    assert!(
        !routes(&d, "O/s1")
            .iter()
            .any(|r| r.prefix == cidr("10.1.0.0/16")),
        "{:#?}",
        routes(&d, "O/s1")
    );
    evaluate(&d, "vmO1", "vmA1", "tcp/443").assert_blocked(&[RouteNone]);
}

/// Source: tutorial-hybrid-network-portal.md and how-to-configure-subnet-peering.md: over a
/// subnet-level peering the gateway carries only the peered subnets.
#[test]
fn a_subnet_level_transit_spoke_is_learned_only_for_its_peered_subnets() {
    let mut d = hybrid_tutorial();
    subnet(&mut d, "A", "s2", "10.1.2.0/24");
    vm(&mut d, "vmA2", "A/s2", "10.1.2.4");
    subnet_level(&mut d, "A", "H", &["s1"], &["nva", "GatewaySubnet"]);
    assert!(has_route(
        &d,
        "O/s1",
        "10.1.1.0/24",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
    // The unpeered subnet falls to the reserved 10.0.0.0/8 `None` route.
    let route = route_for(&d, "O/s1", "10.1.2.4");
    assert_eq!(
        (route.prefix, route.next_hop_type.as_str()),
        (cidr("10.0.0.0/8"), "None")
    );
    evaluate(&d, "vmO1", "vmA1", "tcp/443").assert_reachable();
    evaluate(&d, "vmO1", "vmA2", "tcp/443").assert_blocked(&[RouteNone]);
}

/// P (10.6.0.0/16, vmP1 = 10.6.1.4) with gateway `GP`, joined to `GO` by VNet-to-VNet.
fn with_second_hop(d: &mut Design, bgp: bool) {
    vnet(d, "P", "10.6.0.0/16");
    subnet(d, "P", "s1", "10.6.1.0/24");
    vm(d, "vmP1", "P/s1", "10.6.1.4");
    vpn_gateway(d, "P", "GP");
    if bgp {
        v2v_bgp(d, "GO", "GP");
    } else {
        v2v(d, "GO", "GP");
    }
}

/// Source: azure-semantics.md §4.4 ("Non-transitive without BGP (A–B and B–C VNet-to-VNet don't
/// give A–C)") and vpn-gateway-about-point-to-site-routing.md.
#[test]
fn without_bgp_there_is_no_transit_across_a_second_connection() {
    let mut d = hybrid_tutorial();
    with_second_hop(&mut d, false);
    evaluate(&d, "vmO1", "vmP1", "tcp/443").assert_reachable();
    for (from, to) in [("vmA1", "vmP1"), ("vmP1", "vmA1")] {
        let outcome = evaluate(&d, from, to, "tcp/443");
        outcome
            .assert_blocked(&[RouteNone])
            .assert_blocker_mentions(RouteNone, "without BGP");
    }
    assert!(
        !routes(&d, "A/s1")
            .iter()
            .any(|r| r.prefix == cidr("10.6.0.0/16")),
        "{:#?}",
        routes(&d, "A/s1")
    );
    // Both connections lack BGP: no single connection is named, so no one-edit fix is offered.
    let outcome = evaluate(&d, "vmA1", "vmP1", "tcp/443");
    assert!(
        outcome.trace.blockers.iter().all(|b| b.fix.is_none()),
        "{:#?}",
        outcome.trace.blockers
    );
}

/// Source: the vnet-transitive-bgp quickstart (VNet1 reaches VNet3 over two BGP connections).
#[test]
fn with_bgp_transit_is_multi_hop() {
    let mut d = design();
    for (name, octet) in [("V1", 1u8), ("V2", 2), ("V3", 3)] {
        vnet(&mut d, name, &format!("10.{octet}.0.0/16"));
        subnet(&mut d, name, "s1", &format!("10.{octet}.1.0/24"));
        vm(
            &mut d,
            &format!("vm{name}"),
            &format!("{name}/s1"),
            &format!("10.{octet}.1.4"),
        );
        vpn_gateway(&mut d, name, &format!("G{name}"));
    }
    v2v_bgp(&mut d, "GV1", "GV2");
    v2v_bgp(&mut d, "GV2", "GV3");
    for (from, to) in [("vmV1", "vmV3"), ("vmV3", "vmV1")] {
        evaluate(&d, from, to, "tcp/443").assert_reachable();
    }
    assert!(has_route(
        &d,
        "V1/s1",
        "10.3.0.0/16",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
    // A ring (V3 also joined to V1): no gateway learns its own VNet back (AS path).
    v2v_bgp(&mut d, "GV3", "GV1");
    for vnet in ["V1", "V2", "V3"] {
        let own = d.vnet(vnet).unwrap().address_space[0];
        assert!(
            !routes(&d, &format!("{vnet}/s1"))
                .iter()
                .any(|r| r.prefix == own && r.source == RouteSource::VirtualNetworkGateway),
            "{vnet} learned its own space back: {:#?}",
            routes(&d, &format!("{vnet}/s1"))
        );
    }
    evaluate(&d, "vmV1", "vmV3", "tcp/443").assert_reachable();
    // BGP runs on a link only when both of its pair of connections enable it (the BGP articles
    // pass -EnableBgp on each connection, vpn-gateway-bgp-resource-manager-ps.md): with it off on
    // one side of V1–V2 and of V1–V3, V1 learns only its neighbours' own spaces, not V3's via V2.
    let mut half = d.clone();
    for c in half
        .connections
        .iter_mut()
        .filter(|c| c.name == "GV2-to-GV1" || c.name == "GV3-to-GV1")
    {
        c.bgp = false;
    }
    half.connections.retain(|c| c.name != "GV3-to-GV1");
    evaluate(&half, "vmV1", "vmV2", "tcp/443").assert_reachable();
    evaluate(&half, "vmV1", "vmV3", "tcp/443")
        .assert_blocked(&[ConnectionNotConnected])
        .assert_blocker_mentions(ConnectionNotConnected, "GV1-to-GV3")
        .assert_fixes_work(&half);
}

/// Source: the vnet-transitive-bgp quickstart with BGP off on the second hop: the route never
/// arrives, and the fix is to turn BGP on for that connection.
#[test]
fn bgp_missing_on_one_hop_names_that_connection_and_its_fix_works() {
    let mut d = hybrid_tutorial();
    with_second_hop(&mut d, false);
    // The first hop runs BGP; only GO–GP does not.
    for c in d
        .connections
        .iter_mut()
        .filter(|c| c.gateway == "G" || c.name == "GO-to-G")
    {
        c.bgp = true;
    }
    gateway_mut(&mut d, "G").bgp = true;
    gateway_mut(&mut d, "GO").bgp = true;
    let outcome = evaluate(&d, "vmA1", "vmP1", "tcp/443");
    outcome
        .assert_blocked(&[RouteNone])
        .assert_blocker_mentions(RouteNone, "without BGP")
        .assert_fixes_work(&d);
    let fixed = apply_fix(&d, &outcome, RouteNone);
    evaluate(&fixed, "vmA1", "vmP1", "tcp/443").assert_reachable();
    evaluate(&fixed, "vmP1", "vmA1", "tcp/443").assert_reachable();
}

/// Source: vpn-gateway-about-point-to-site-routing.md, VNet-to-VNet without BGP: the client may
/// get a route to the farther VNet, but that VNet has no route back to the client pool, so the
/// blocker is the reply in the farther VNet, not the client.
#[test]
fn without_bgp_a_p2s_client_does_not_reach_the_vnet_to_vnet_peer() {
    let mut d = hybrid_tutorial();
    p2s_pool(&mut d, "G", "172.16.201.0/24");
    let client = p2s_client_name("G");
    evaluate(&d, &client, "vmA1", "tcp/443").assert_reachable();
    let outcome = evaluate(&d, &client, "vmO1", "tcp/443");
    outcome
        .assert_blocked(&[RouteNone])
        .assert_blocker_mentions(RouteNone, "O/s1")
        .assert_blocker_mentions(RouteNone, "point-to-site");
    // The request arrives: only the reply has no route.
    assert!(
        outcome
            .trace
            .forward
            .iter()
            .any(|h| h.step == "deliver" && h.at.contains("vmO1")),
        "{:#?}",
        outcome.trace.forward
    );
    assert!(
        !routes(&d, "O/s1")
            .iter()
            .any(|r| r.prefix == cidr("172.16.201.0/24")),
        "{:#?}",
        routes(&d, "O/s1")
    );
}

/// Source: vpn-gateway-about-point-to-site-routing.md, VNet-to-VNet with BGP: "the access is
/// transitive", two hops away included.
#[test]
fn with_bgp_a_p2s_client_reaches_vnets_two_hops_away() {
    let mut d = hybrid_tutorial();
    d.connections.clear();
    v2v_bgp(&mut d, "G", "GO");
    with_second_hop(&mut d, true);
    p2s_pool(&mut d, "G", "172.16.201.0/24");
    let client = p2s_client_name("G");
    for to in ["vmA1", "vmO1", "vmP1"] {
        evaluate(&d, &client, to, "tcp/443").assert_reachable();
    }
    assert!(has_route(
        &d,
        "P/s1",
        "172.16.201.0/24",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
}

/// Source: azure-semantics.md §4.3: a gateway never re-advertises a default route it learned
/// over BGP to its other BGP peers.
#[test]
fn a_default_route_learned_over_bgp_is_not_passed_on() {
    let mut d = hybrid_tutorial();
    d.connections.clear();
    v2v_bgp(&mut d, "G", "GO");
    site(&mut d, "branch", &["0.0.0.0/0"], &[]);
    d.sites[0].bgp = true;
    s2s(&mut d, "GO", "branch");
    d.connections.last_mut().unwrap().bgp = true;
    assert!(has_route(
        &d,
        "O/s1",
        "0.0.0.0/0",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
    assert!(
        !routes(&d, "A/s1").iter().any(
            |r| r.prefix == cidr("0.0.0.0/0") && r.source == RouteSource::VirtualNetworkGateway
        ),
        "{:#?}",
        routes(&d, "A/s1")
    );
}
