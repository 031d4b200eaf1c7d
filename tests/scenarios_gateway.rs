//! Scenario tests of azure-semantics.md §12, part 4: VPN gateways (T25–T34, T38, T46, T47,
//! T49, T52): gateway transit and its validation rules (V4–V6, V9), gateway-route propagation,
//! forced tunnelling through a hub NVA, spoke-to-spoke through the hub gateway, BGP routes
//! versus peering routes, point-to-site reach, VNet-to-VNet, and an NSG on the GatewaySubnet.
//! Out-of-scope scenarios are listed in `scenarios_peering.rs`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::engine::ReasonCode::*;
use vnetlab::engine::{RouteSource, RouteState};
use vnetlab::model::endpoint_names::p2s_client_name;
use vnetlab::model::{Design, GatewayKind, GatewaySku, PeeringViolation};

/// T25: hub H with VpnGw1 gateway `G` connected to the on-premises site; A uses it through
/// gateway transit.
fn transit() -> Design {
    let mut d = design();
    standard_hub(&mut d);
    standard_a(&mut d);
    vpn_gateway(&mut d, "H", "G");
    standard_onprem(&mut d);
    s2s(&mut d, "G", "onprem");
    peer_both(&mut d, "A", "H");
    peering_mut(&mut d, "H", "A").allow_gateway_transit = true;
    peering_mut(&mut d, "A", "H").use_remote_gateways = true;
    d
}

#[test]
fn t25_gateway_transit_reaches_on_premises_both_ways() {
    let d = transit();
    assert!(d.uses_remote_gateway_effectively(d.peering(&link("A", "H")).expect("A's link")));
    evaluate(&d, "vmA1", "onprem-host", "tcp/443").assert_reachable();
    evaluate(&d, "onprem-host", "vmA1", "tcp/443").assert_reachable();
    assert!(has_route(
        &d,
        "A/s1",
        "192.168.0.0/16",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
    // The gateway knows the spoke through the peering.
    assert_eq!(
        route_for(&d, "H/GatewaySubnet", "10.1.1.4").next_hop_type,
        "VNetPeering"
    );
}

#[test]
fn t26_without_use_remote_gateways_the_spoke_has_no_on_premises_route() {
    let mut d = transit();
    peering_mut(&mut d, "A", "H").use_remote_gateways = false;
    evaluate(&d, "vmA1", "onprem-host", "tcp/443")
        .assert_blocked(&[RouteNone])
        .assert_fixes_work(&d);
    let route = route_for(&d, "A/s1", "192.168.1.10");
    assert_eq!(
        (route.prefix, route.source, route.next_hop_type.as_str()),
        (cidr("192.168.0.0/16"), RouteSource::Default, "None")
    );
}

#[test]
fn t27_a_spoke_with_its_own_gateway_cannot_use_the_hubs() {
    let mut d = transit();
    vpn_gateway(&mut d, "A", "GA");
    let a_to_h = d.peering(&link("A", "H")).expect("A's link");
    assert!(
        d.peering_violations(a_to_h)
            .contains(&PeeringViolation::UseRemoteGatewaysWithOwnGateway)
    );
    assert!(!d.uses_remote_gateway_effectively(a_to_h));
    assert!(
        !has_gateway_routes(&d, "A/s1"),
        "no on-premises routes via H: {:#?}",
        routes(&d, "A/s1")
    );
    evaluate(&d, "vmA1", "onprem-host", "tcp/443").assert_blocked(&[GatewayNotTransit]);
}

#[test]
fn t28_only_one_peering_may_use_remote_gateways() {
    let mut d = design();
    standard_a(&mut d);
    for (hub, octet) in [("H1", 10u8), ("H2", 20u8)] {
        vnet(&mut d, hub, &format!("10.{octet}.0.0/16"));
        vpn_gateway(&mut d, hub, &format!("G{hub}"));
        let site_name = format!("onprem-{hub}");
        let host = format!("192.168.{octet}.10");
        site(
            &mut d,
            &site_name,
            &[&format!("192.168.{octet}.0/24")],
            &[(&format!("host-{hub}"), &host)],
        );
        s2s(&mut d, &format!("G{hub}"), &site_name);
        peer_both(&mut d, "A", hub);
        peering_mut(&mut d, hub, "A").allow_gateway_transit = true;
        peering_mut(&mut d, "A", hub).use_remote_gateways = true;
    }
    for hub in ["H1", "H2"] {
        let peering = d.peering(&link("A", hub)).expect("A's link");
        let violations = d.peering_violations(peering);
        assert!(
            violations
                .iter()
                .any(|v| matches!(v, PeeringViolation::UseRemoteGatewaysOnSeveralPeerings(_))),
            "{violations:?}"
        );
        assert!(!d.uses_remote_gateway_effectively(peering));
    }
    assert!(!has_gateway_routes(&d, "A/s1"), "{:#?}", routes(&d, "A/s1"));
    evaluate(&d, "vmA1", "host-H1", "tcp/443").assert_blocked(&[GatewayNotTransit]);
}

#[test]
fn t29_use_remote_gateways_needs_a_gateway_on_the_remote_side() {
    let mut d = design();
    standard_hub(&mut d);
    subnet(&mut d, "H", "workload", "10.0.2.0/24");
    vm(&mut d, "vmH1", "H/workload", "10.0.2.4");
    standard_a(&mut d);
    peer_both(&mut d, "A", "H");
    peering_mut(&mut d, "A", "H").use_remote_gateways = true;
    let violations = d.peering_violations(d.peering(&link("A", "H")).expect("A's link"));
    assert!(
        violations.contains(&PeeringViolation::RemoteVnetHasNoGateways),
        "{violations:?}"
    );
    // Only the flag is refused: the peering itself still carries VNet traffic.
    evaluate(&d, "vmA1", "vmH1", "tcp/443").assert_reachable();
}

#[test]
fn t30_basic_gateways_do_not_support_transit() {
    let mut d = transit();
    gateway_mut(&mut d, "G").sku = GatewaySku::Basic;
    let violations = d.peering_violations(d.peering(&link("A", "H")).expect("A's link"));
    assert!(
        violations
            .iter()
            .any(|v| matches!(v, PeeringViolation::TransitWithBasicGateway(g) if g == "G")),
        "{violations:?}"
    );
    assert!(!has_gateway_routes(&d, "A/s1"), "{:#?}", routes(&d, "A/s1"));
    evaluate(&d, "vmA1", "onprem-host", "tcp/443").assert_blocked(&[GatewayNotTransit]);
}

/// T31: T25 with a route table on A's subnet that does not propagate gateway routes.
fn no_propagation() -> Design {
    let mut d = transit();
    route_table(&mut d, "A/s1").propagate_gateway_routes = false;
    d
}

#[test]
fn t31_disabling_propagation_removes_on_premises_routes_from_the_subnet() {
    let d = no_propagation();
    assert!(!has_gateway_routes(&d, "A/s1"), "{:#?}", routes(&d, "A/s1"));
    evaluate(&d, "vmA1", "onprem-host", "tcp/443").assert_blocked(&[RouteNone]);
    // On-premises still learns 10.1.0.0/16: the request arrives, only A's reply has no route.
    let inbound = evaluate(&d, "onprem-host", "vmA1", "tcp/443");
    inbound.assert_blocked(&[RouteNone]);
    assert!(
        inbound
            .trace
            .forward
            .iter()
            .any(|h| h.step == "deliver" && h.at.contains("vmA1")),
        "{:#?}",
        inbound.trace
    );
}

/// T32: T31 plus 0.0.0.0/0 → nva1 on A's subnet.
fn forced_through_nva(stateful: bool) -> Design {
    let mut d = no_propagation();
    udr(&mut d, "A/s1", "0.0.0.0/0", appliance("10.0.1.4"));
    if let Some(appliance) = vm_mut(&mut d, "nva1").appliance.as_mut() {
        appliance.stateful = stateful;
    }
    d
}

#[test]
fn t32_default_route_to_the_nva_reaches_on_premises_asymmetrically() {
    let d = forced_through_nva(false);
    // The 0/0 UDR removes the reserved None routes from A's subnet.
    for reserved in [
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "100.64.0.0/10",
    ] {
        let prefix = cidr(reserved);
        assert!(
            !routes(&d, "A/s1").iter().any(|r| r.prefix == prefix
                && r.next_hop_type == "None"
                && r.state == RouteState::Active),
            "{reserved} None is removed"
        );
    }
    let route = route_for(&d, "A/s1", "192.168.1.10");
    assert_eq!(route.next_hop_ip, Some(ip("10.0.1.4")));
    let outcome = evaluate(&d, "vmA1", "onprem-host", "tcp/443");
    outcome.assert_reachable();
    assert!(
        outcome
            .forward_appliances()
            .iter()
            .any(|a| a.contains("nva1")),
        "{outcome:#?}"
    );
    assert!(has_step(&outcome.trace.forward, "gateway"));
    // The reply comes back from the gateway straight over the peering.
    assert!(
        outcome.reverse_appliances().is_empty(),
        "{:#?}",
        outcome.trace.reverse
    );
}

#[test]
fn t32_stateful_nva_needs_the_gateway_subnet_to_route_replies_through_it() {
    let d = forced_through_nva(true);
    evaluate(&d, "vmA1", "onprem-host", "tcp/443")
        .assert_blocked(&[AsymmetricStatefulDrop])
        .assert_blocker_mentions(AsymmetricStatefulDrop, "nva1");
    // A GatewaySubnet route sends A's range back through nva1: symmetric again. nva1 forwards
    // on-premises traffic into A, so A's link must accept forwarded traffic.
    let mut symmetric = d.clone();
    udr(
        &mut symmetric,
        "H/GatewaySubnet",
        "10.1.0.0/16",
        appliance("10.0.1.4"),
    );
    peering_mut(&mut symmetric, "A", "H").allow_forwarded_traffic = true;
    let outcome = evaluate(&symmetric, "vmA1", "onprem-host", "tcp/443");
    outcome.assert_reachable();
    assert!(
        outcome
            .reverse_appliances()
            .iter()
            .any(|a| a.contains("nva1")),
        "{outcome:#?}"
    );
}

/// T33: A and B both use the hub's VPN gateway, with UDRs sending each other's range to it.
fn spokes_through_hub_gateway(kind: GatewayKind, sku: GatewaySku) -> Design {
    let mut d = design();
    standard_hub(&mut d);
    standard_a(&mut d);
    standard_b(&mut d);
    gateway(&mut d, "H", "G", kind, sku);
    for spoke in ["A", "B"] {
        peer_both(&mut d, spoke, "H");
        peering_mut(&mut d, "H", spoke).allow_gateway_transit = true;
        peering_mut(&mut d, spoke, "H").use_remote_gateways = true;
    }
    udr(
        &mut d,
        "A/s1",
        "10.2.0.0/16",
        vnetlab::model::NextHop::VirtualNetworkGateway,
    );
    udr(
        &mut d,
        "B/s1",
        "10.1.0.0/16",
        vnetlab::model::NextHop::VirtualNetworkGateway,
    );
    d
}

#[test]
fn t33_spoke_to_spoke_through_the_hub_vpn_gateway() {
    let d = spokes_through_hub_gateway(GatewayKind::Vpn, GatewaySku::VpnGw1);
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome.assert_reachable();
    assert!(
        has_step(&outcome.trace.forward, "gateway"),
        "{:#?}",
        outcome.trace.forward
    );
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VirtualNetworkGateway"
    );
    // Without B's UDR the reply has no route.
    let mut one_way = d.clone();
    route_table(&mut one_way, "B/s1").routes.clear();
    evaluate(&one_way, "vmA1", "vmB1", "tcp/443").assert_blocked(&[RouteNone]);
}

#[test]
fn t34_expressroute_gateways_cannot_be_a_udr_next_hop() {
    let d = spokes_through_hub_gateway(GatewayKind::ExpressRoute, GatewaySku::ErGw1AZ);
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked_by_one_of(&[GatewayMissing, RouteNone]);
    assert!(
        has_route(
            &d,
            "A/s1",
            "10.2.0.0/16",
            RouteSource::User,
            "VirtualNetworkGateway",
            RouteState::Invalid
        ),
        "the UDR is shown Invalid: {:#?}",
        routes(&d, "A/s1")
    );
}

#[test]
fn t38_peering_routes_beat_more_specific_bgp_routes() {
    let mut d = design();
    standard_a(&mut d);
    standard_b(&mut d);
    peer_both(&mut d, "A", "B");
    vpn_gateway(&mut d, "A", "GA");
    gateway_mut(&mut d, "GA").bgp = true;
    site(&mut d, "onprem", &["10.2.1.0/24"], &[]);
    d.sites[0].bgp = true;
    s2s(&mut d, "GA", "onprem");
    d.connections[0].bgp = true;
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome.assert_reachable();
    assert!(has_step(&outcome.trace.forward, "peering"));
    assert!(
        !has_step(&outcome.trace.forward, "gateway"),
        "{:#?}",
        outcome.trace.forward
    );
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VNetPeering"
    );
}

#[test]
fn t46_point_to_site_clients_reach_only_spokes_that_use_the_gateway() {
    let mut d = transit();
    gateway_mut(&mut d, "G").client_pool = vec![cidr("172.16.201.0/24")];
    standard_c(&mut d);
    peer_both(&mut d, "A", "C");
    let client = p2s_client_name("G");
    evaluate(&d, &client, "vmA1", "tcp/443").assert_reachable();
    evaluate(&d, &client, "vmC1", "tcp/443").assert_blocked_by_one_of(&[NotAdvertised, RouteNone]);
}

/// T47: A and B, each with a route-based VPN gateway, joined by a VNet-to-VNet connection.
fn vnet_to_vnet() -> Design {
    let mut d = design();
    standard_a(&mut d);
    standard_b(&mut d);
    vpn_gateway(&mut d, "A", "GA");
    vpn_gateway(&mut d, "B", "GB");
    v2v(&mut d, "GA", "GB");
    d
}

#[test]
fn t47_vnet_to_vnet_connects_through_gateways_until_peered() {
    let d = vnet_to_vnet();
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome.assert_reachable();
    assert!(
        has_step(&outcome.trace.forward, "gateway"),
        "{:#?}",
        outcome.trace.forward
    );
    assert!(has_route(
        &d,
        "A/s1",
        "10.2.0.0/16",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
    // Peered as well: the peering wins.
    let mut peered = d.clone();
    peer_both(&mut peered, "A", "B");
    let outcome = evaluate(&peered, "vmA1", "vmB1", "tcp/443");
    outcome.assert_reachable();
    assert!(
        !has_step(&outcome.trace.forward, "gateway"),
        "{:#?}",
        outcome.trace.forward
    );
    assert_eq!(
        route_for(&peered, "A/s1", "10.2.1.4").next_hop_type,
        "VNetPeering"
    );
}

/// T47b: a VNet-to-VNet link is a pair of connection resources, one on each gateway with the same
/// shared key; with only the first, Azure leaves it NotConnected. The portal's "Establish
/// bidirectional connectivity" creates both, and the PowerShell and CLI articles create the second
/// by hand (vpn-gateway-vnet-vnet-rm-ps.md, vpn-gateway-howto-vnet-vnet-cli.md). Both directions
/// are blocked, the blocker names the lone connection, and its fix (the pair) clears it.
#[test]
fn t47b_a_vnet_to_vnet_connection_without_its_pair_carries_nothing() {
    let mut d = vnet_to_vnet();
    d.connections.retain(|c| c.name != "GB-to-GA");
    for (from, to) in [("vmA1", "vmB1"), ("vmB1", "vmA1")] {
        let outcome = evaluate(&d, from, to, "tcp/443");
        outcome
            .assert_blocked(&[ConnectionNotConnected])
            .assert_blocker_mentions(ConnectionNotConnected, "GA-to-GB")
            .assert_fixes_work(&d);
        let fix = outcome.trace.blockers[0].fix.as_ref().unwrap();
        assert_eq!(
            fix.description,
            "add connection `GB-to-GA` from gateway `GB` back to `GA`"
        );
    }
    assert!(!has_route(
        &d,
        "A/s1",
        "10.2.0.0/16",
        RouteSource::VirtualNetworkGateway,
        "VirtualNetworkGateway",
        RouteState::Active
    ));
}

#[test]
fn t49_an_nsg_on_the_gateway_subnet_is_not_evaluated_on_gateway_hops() {
    use vnetlab::model::{Access::Deny, Direction::*, Protocol::Any};
    let mut d = transit();
    nsg_rule(
        &mut d,
        "nsg-gw",
        rule("deny-all-in", 100, Inbound, Deny, Any, "*", "*"),
    );
    nsg_rule(
        &mut d,
        "nsg-gw",
        rule("deny-all-out", 100, Outbound, Deny, Any, "*", "*"),
    );
    nsg_on_subnet(&mut d, "nsg-gw", "H/GatewaySubnet");
    let warnings: Vec<_> = vnetlab::lint::check(&d)
        .into_iter()
        .filter(|w| w.code == vnetlab::lint::Code::GatewaySubnetNsg)
        .collect();
    assert!(
        matches!(warnings.as_slice(), [w] if w.severity == vnetlab::lint::Severity::Warning),
        "one misconfiguration warning: {warnings:#?}"
    );
    evaluate(&d, "vmA1", "onprem-host", "tcp/443").assert_reachable();
    evaluate(&d, "onprem-host", "vmA1", "tcp/443").assert_reachable();
}

#[test]
fn t52_gateway_transit_works_over_global_peering() {
    let mut d = design();
    standard_a(&mut d);
    vnet_in(&mut d, "B", "westus", "10.2.0.0/16");
    subnet(&mut d, "B", "s1", "10.2.1.0/24");
    vpn_gateway(&mut d, "B", "GB");
    standard_onprem(&mut d);
    s2s(&mut d, "GB", "onprem");
    peer_both(&mut d, "A", "B");
    peering_mut(&mut d, "B", "A").allow_gateway_transit = true;
    peering_mut(&mut d, "A", "B").use_remote_gateways = true;
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VNetGlobalPeering"
    );
    assert_eq!(
        route_for(&d, "A/s1", "192.168.1.10").next_hop_type,
        "VirtualNetworkGateway"
    );
    evaluate(&d, "vmA1", "onprem-host", "tcp/443").assert_reachable();
    evaluate(&d, "onprem-host", "vmA1", "tcp/443").assert_reachable();
}
