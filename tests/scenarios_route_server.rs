//! Azure Route Server in a hub (issue 11, item 4): BGP peering with NVAs, the routes it injects
//! into the hub and into spokes that use the remote gateway or Route Server, the next-hop IP,
//! the prefixes it does not program, and branch-to-branch between gateways.
//!
//! Sources, named per test: route-server/overview.md, route-server-faq.md (reserved ASNs,
//! "Does Azure Route Server support virtual network peering?"), route-injection-in-spokes.md
//! (spokes using the remote gateway get the NVA's routes; announce a supernet, since a prefix
//! equal to or inside a VNet range is not programmed), expressroute-vpn-support.md
//! (branch-to-branch between a VPN and an ExpressRoute gateway).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::engine::ReasonCode::*;
use vnetlab::engine::{RouteSource, RouteState};
use vnetlab::model::{
    Connection, ConnectionRemote, Design, GatewayKind, GatewaySku, PeeringViolation,
};

/// route-injection-in-spokes.md: hub H with Route Server `rs` (RouteServerSubnet 10.0.3.0/27)
/// peered with nva1 (10.0.1.4, ASN 65001) announcing 10.0.0.0/8; spokes A and B peered with H,
/// using the hub's Route Server, every link allowing forwarded traffic.
fn injection() -> Design {
    let mut d = design();
    standard_hub(&mut d);
    standard_a(&mut d);
    standard_b(&mut d);
    route_server(&mut d, "H", "rs", "10.0.3.0/27");
    bgp_peer(&mut d, "rs", "10.0.1.4", 65001, &["10.0.0.0/8"]);
    for spoke in ["A", "B"] {
        peer_both(&mut d, spoke, "H");
        peering_mut(&mut d, "H", spoke).allow_gateway_transit = true;
        peering_mut(&mut d, spoke, "H").use_remote_gateways = true;
        peering_mut(&mut d, "H", spoke).allow_forwarded_traffic = true;
        peering_mut(&mut d, spoke, "H").allow_forwarded_traffic = true;
    }
    d
}

/// Source: route-injection-in-spokes.md and route-server-faq.md: a Route Server is something a
/// spoke may use through "use the remote virtual network's gateway or Route Server".
#[test]
fn a_route_server_lets_spokes_use_remote_gateways() {
    let d = injection();
    let link_ah = d.peering(&link("A", "H")).unwrap();
    assert!(d.peering_violations(link_ah).is_empty());
    assert!(d.uses_remote_gateway_effectively(link_ah));
    // Without it, the flag breaks V5.
    let mut bare = d.clone();
    bare.route_servers.clear();
    let link_ah = bare.peering(&link("A", "H")).unwrap();
    assert!(
        bare.peering_violations(link_ah)
            .contains(&PeeringViolation::RemoteVnetHasNoGateways)
    );
}

/// Source: route-injection-in-spokes.md: the NVA's routes are programmed in the spokes with the
/// NVA as next hop, so spoke-to-spoke traffic goes through it.
#[test]
fn the_nvas_routes_are_injected_into_the_spokes_with_the_nva_as_next_hop() {
    let d = injection();
    for subnet in ["A/s1", "B/s1", "H/nva"] {
        let route = route_for(&d, subnet, "10.9.9.9");
        assert_eq!(
            (
                route.prefix,
                route.source,
                route.next_hop_type.as_str(),
                route.next_hop_ip
            ),
            (
                cidr("10.0.0.0/8"),
                RouteSource::VirtualNetworkGateway,
                "VirtualNetworkGateway",
                Some(ip("10.0.1.4"))
            ),
            "{subnet}"
        );
    }
    for (from, to) in [("vmA1", "vmB1"), ("vmB1", "vmA1")] {
        let outcome = evaluate(&d, from, to, "tcp/443");
        outcome.assert_reachable();
        assert!(
            outcome
                .forward_appliances()
                .iter()
                .any(|a| a.contains("nva1")),
            "{:#?}",
            outcome.trace.forward
        );
    }
    // The hub's own peering routes still win for the hub.
    assert_eq!(
        route_for(&d, "A/s1", "10.0.1.4").next_hop_type,
        "VNetPeering"
    );
}

/// Source: route-injection-in-spokes.md: only spokes that use the remote gateway or Route Server
/// get the routes.
#[test]
fn a_spoke_not_using_the_route_server_gets_no_routes() {
    let mut d = injection();
    peering_mut(&mut d, "B", "H").use_remote_gateways = false;
    assert!(
        !has_route(
            &d,
            "B/s1",
            "10.0.0.0/8",
            RouteSource::VirtualNetworkGateway,
            "VirtualNetworkGateway",
            RouteState::Active
        ),
        "{:#?}",
        routes(&d, "B/s1")
    );
    // A's request reaches B through nva1, but B's reply has no route back.
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[RouteNone]);
}

/// Source: route-injection-in-spokes.md ("Inspecting private traffic through the NVA"): a prefix
/// equal to or inside the address space of a VNet the Route Server serves is not programmed.
#[test]
fn a_prefix_inside_a_served_vnet_is_not_programmed() {
    let mut d = injection();
    d.route_servers[0].peers[0].announces = vec![cidr("10.2.0.0/16")];
    assert!(
        !routes(&d, "A/s1")
            .iter()
            .any(|r| r.prefix == cidr("10.2.0.0/16")),
        "{:#?}",
        routes(&d, "A/s1")
    );
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[RouteNone]);
}

/// Source: route-server-faq.md: ASNs Azure reserves (65515 is the Route Server's own) cannot
/// peer, so nothing the NVA announces is programmed.
#[test]
fn a_peer_with_a_reserved_asn_programs_nothing() {
    let mut d = injection();
    d.route_servers[0].peers[0].asn = 65515;
    assert!(!has_route(
        &d,
        "A/s1",
        "10.0.0.0/8",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[RouteNone]);
}

/// Hub H with a VPN gateway `G` (BGP) connected to site `branch1` (192.168.1.0/24) and an
/// ExpressRoute gateway `ER` connected to site `branch2` (192.168.2.0/24), plus Route Server
/// `rs` with branch-to-branch as given.
fn two_branches(branch_to_branch: bool) -> Design {
    let mut d = design();
    standard_hub(&mut d);
    vpn_gateway(&mut d, "H", "G");
    gateway_mut(&mut d, "G").bgp = true;
    gateway(
        &mut d,
        "H",
        "ER",
        GatewayKind::ExpressRoute,
        GatewaySku::ErGw1AZ,
    );
    site(
        &mut d,
        "branch1",
        &["192.168.1.0/24"],
        &[("host1", "192.168.1.10")],
    );
    d.sites[0].bgp = true;
    site(
        &mut d,
        "branch2",
        &["192.168.2.0/24"],
        &[("host2", "192.168.2.10")],
    );
    for (gateway, site, bgp) in [("G", "branch1", true), ("ER", "branch2", false)] {
        d.connections.push(Connection {
            name: format!("{gateway}-to-{site}"),
            gateway: gateway.into(),
            remote: ConnectionRemote::Site(site.into()),
            bgp,
        });
    }
    route_server(&mut d, "H", "rs", "10.0.3.0/27");
    d.route_servers[0].branch_to_branch = branch_to_branch;
    d
}

/// Source: expressroute-vpn-support.md: with branch-to-branch on, the Route Server exchanges
/// routes between the VPN and ExpressRoute gateways, so the two branches reach each other.
#[test]
fn branch_to_branch_joins_a_vpn_branch_and_an_expressroute_branch() {
    let d = two_branches(true);
    for (from, to) in [("host1", "host2"), ("host2", "host1")] {
        let outcome = evaluate(&d, from, to, "tcp/443");
        outcome.assert_reachable();
        assert!(has_step(&outcome.trace.forward, "gateway"));
    }
}

/// Source: expressroute-vpn-support.md: without branch-to-branch the gateways keep their routes
/// to themselves: each branch is told nothing about the other.
#[test]
fn without_branch_to_branch_the_branches_are_not_advertised_to_each_other() {
    let d = two_branches(false);
    for (from, to) in [("host1", "host2"), ("host2", "host1")] {
        evaluate(&d, from, to, "tcp/443").assert_blocked(&[NotAdvertised]);
    }
}
