//! Routing checks: UDR next hops (appliances and gateways), duplicate prefixes, unused tables.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::lint::Severity::{Error, Info, Warning};
use vnetlab::model::{
    Appliance, Design, GatewayKind, GatewaySku, NextHop, Nic, Peering, Route, RouteTable, Subnet,
    SubnetRef, Vm,
};

/// Hub `hub` (10.0.0.0/16) with NVA `nva1` 10.0.1.4 (forwarding on) in subnet `nva`, peered on
/// both sides with `vnet-a`, whose `default` subnet sends 10.2.0.0/16 to the NVA.
fn hub_and_spoke() -> Design {
    let mut d = pair();
    let mut hub = vnet("hub", "10.0.0.0/16");
    hub.subnets[0].name = "nva".to_string();
    d.vnets.push(hub);
    let mut nva = Vm::new("nva1", SubnetRef::new("hub", "nva"), ip("10.0.1.4"));
    nva.nics[0].ip_forwarding = true;
    nva.appliance = Some(Appliance::nva());
    d.vms.push(nva);
    d.peerings.push(Peering::new("hub-to-a", "hub", "vnet-a"));
    d.peerings.push(Peering::new("a-to-hub", "vnet-a", "hub"));
    let mut table = RouteTable::new("rt-a");
    table.routes.push(route(
        "to-b",
        "10.2.0.0/16",
        NextHop::VirtualAppliance(ip("10.0.1.4")),
    ));
    d.route_tables.push(table);
    d.vnets[0].subnets[0].route_table = Some("rt-a".to_string());
    d
}

fn route(name: &str, prefix: &str, next_hop: NextHop) -> Route {
    Route {
        name: name.to_string(),
        prefix: net(prefix),
        next_hop,
    }
}

fn set_next_hop(d: &mut Design, next_hop: NextHop) {
    d.route_tables[0].routes[0].next_hop = next_hop;
}

#[test]
fn a_well_formed_hub_route_has_no_findings() {
    clean(&hub_and_spoke());
}

#[test]
fn a_next_hop_no_nic_has_is_a_warning() {
    let mut d = hub_and_spoke();
    set_next_hop(&mut d, NextHop::VirtualAppliance(ip("10.0.1.99")));
    let diag = expect(&d, "ROUTE_NEXT_HOP_NOT_FOUND", "rt-a", Warning);
    assert!(diag.message.contains("`to-b`") && diag.message.contains("10.0.1.99"));
}

#[test]
fn a_next_hop_in_a_vnet_that_is_not_directly_peered_is_a_warning() {
    let mut d = hub_and_spoke();
    d.peerings.retain(|p| p.name != "hub-to-a");
    let diag = expect(&d, "ROUTE_NEXT_HOP_UNREACHABLE", "rt-a", Warning);
    assert!(diag.message.contains("`nva1` in `hub`"), "{}", diag.message);
    // Not peered at all: the same.
    d.peerings.clear();
    expect(&d, "ROUTE_NEXT_HOP_UNREACHABLE", "rt-a", Warning);
}

#[test]
fn a_next_hop_outside_the_synced_peered_space_is_unreachable() {
    let mut d = hub_and_spoke();
    // The hub grew 10.50.0.0/16 and moved the NVA there, but vnet-a's peering is not synced.
    d.vnets[2].address_space.push(net("10.50.0.0/16"));
    d.vnets[2]
        .subnets
        .push(Subnet::new("nva2", net("10.50.1.0/24")));
    d.vms[2].nics[0] = Nic {
        ip_forwarding: true,
        ..Nic::new(SubnetRef::new("hub", "nva2"), ip("10.50.1.4"))
    };
    set_next_hop(&mut d, NextHop::VirtualAppliance(ip("10.50.1.4")));
    d.peerings
        .iter_mut()
        .find(|p| p.name == "a-to-hub")
        .unwrap()
        .remote_address_space = Some(vec![net("10.0.0.0/16")]);
    expect(&d, "ROUTE_NEXT_HOP_UNREACHABLE", "rt-a", Warning);
    let synced = fix_clears(&d, "PEERING_NOT_SYNCED", "a-to-hub");
    quiet(&synced, "ROUTE_NEXT_HOP_UNREACHABLE");
}

#[test]
fn an_appliance_without_ip_forwarding_is_a_warning_fixed_by_turning_it_on() {
    let mut d = hub_and_spoke();
    d.vms[2].nics[0].ip_forwarding = false;
    let diag = expect(&d, "ROUTE_NEXT_HOP_NO_IP_FORWARDING", "nva1", Warning);
    assert!(diag.message.contains("IP forwarding off"));
    // Reported once even when several routes point at it.
    d.route_tables[0].routes.push(route(
        "to-c",
        "10.3.0.0/16",
        NextHop::VirtualAppliance(ip("10.0.1.4")),
    ));
    assert_eq!(with_code(&d, "ROUTE_NEXT_HOP_NO_IP_FORWARDING").len(), 1);
    let fixed = fix_clears(&d, "ROUTE_NEXT_HOP_NO_IP_FORWARDING", "nva1");
    clean(&fixed);
}

#[test]
fn the_forwarding_check_picks_the_nic_the_route_targets() {
    let mut d = hub_and_spoke();
    // A second NIC, not the one the route uses, has forwarding off: nothing to report.
    d.vnets[2]
        .subnets
        .push(Subnet::new("mgmt", net("10.0.2.0/24")));
    d.vms[2]
        .nics
        .push(Nic::new(SubnetRef::new("hub", "mgmt"), ip("10.0.2.4")));
    clean(&d);
    set_next_hop(&mut d, NextHop::VirtualAppliance(ip("10.0.2.4")));
    let fixed = fix_clears(&d, "ROUTE_NEXT_HOP_NO_IP_FORWARDING", "nva1");
    assert!(
        fixed
            .vm("nva1")
            .unwrap()
            .nics
            .iter()
            .all(|n| n.ip_forwarding)
    );
}

#[test]
fn an_appliance_in_the_subnet_its_route_steers_is_a_loop_risk() {
    let mut d = hub_and_spoke();
    let mut nva = Vm::new(
        "nva-local",
        SubnetRef::new("vnet-a", "default"),
        ip("10.1.1.10"),
    );
    nva.nics[0].ip_forwarding = true;
    d.vms.push(nva);
    set_next_hop(&mut d, NextHop::VirtualAppliance(ip("10.1.1.10")));
    let diag = expect(
        &d,
        "ROUTE_APPLIANCE_IN_SAME_SUBNET",
        "vnet-a/default",
        Warning,
    );
    assert!(diag.message.contains("loop"));
    // In its own subnet without the table, the same appliance is fine.
    d.vnets[0]
        .subnets
        .push(Subnet::new("nva", net("10.1.2.0/24")));
    let nva = d.vms.iter_mut().find(|v| v.name == "nva-local").unwrap();
    nva.nics[0] = Nic {
        ip_forwarding: true,
        ..Nic::new(SubnetRef::new("vnet-a", "nva"), ip("10.1.2.10"))
    };
    set_next_hop(&mut d, NextHop::VirtualAppliance(ip("10.1.2.10")));
    clean(&d);
}

/// vnet-a uses hub's gateway through transit; its route sends 10.2/16 to VirtualNetworkGateway.
fn spoke_with_gateway_route(kind: GatewayKind, sku: GatewaySku) -> Design {
    let mut d = hub_and_spoke();
    add_gateway_of(&mut d, "hub", kind, sku, "gw-hub");
    d.peerings
        .iter_mut()
        .find(|p| p.name == "hub-to-a")
        .unwrap()
        .allow_gateway_transit = true;
    d.peerings
        .iter_mut()
        .find(|p| p.name == "a-to-hub")
        .unwrap()
        .use_remote_gateways = true;
    set_next_hop(&mut d, NextHop::VirtualNetworkGateway);
    d
}

#[test]
fn a_gateway_next_hop_resolves_through_gateway_transit() {
    clean(&spoke_with_gateway_route(
        GatewayKind::Vpn,
        GatewaySku::VpnGw1,
    ));
}

#[test]
fn a_gateway_next_hop_on_expressroute_is_a_warning() {
    let d = spoke_with_gateway_route(GatewayKind::ExpressRoute, GatewaySku::ErGw1AZ);
    let diag = expect(&d, "ROUTE_GATEWAY_EXPRESS_ROUTE", "rt-a", Warning);
    assert!(diag.message.contains("ExpressRoute"), "{}", diag.message);
    // VPN and ExpressRoute side by side: VirtualNetworkGateway cannot be a next hop either.
    let mut both = spoke_with_gateway_route(GatewayKind::Vpn, GatewaySku::VpnGw1);
    add_gateway_of(
        &mut both,
        "hub",
        GatewayKind::ExpressRoute,
        GatewaySku::ErGw1AZ,
        "er-hub",
    );
    let diag = expect(&both, "ROUTE_GATEWAY_EXPRESS_ROUTE", "rt-a", Warning);
    assert!(diag.message.contains("coexist"), "{}", diag.message);
}

#[test]
fn a_gateway_next_hop_without_any_gateway_is_a_warning() {
    let mut d = spoke_with_gateway_route(GatewayKind::Vpn, GatewaySku::VpnGw1);
    d.peerings
        .iter_mut()
        .find(|p| p.name == "a-to-hub")
        .unwrap()
        .use_remote_gateways = false;
    expect(&d, "ROUTE_GATEWAY_MISSING", "rt-a", Warning);
    // An own VPN gateway resolves it.
    add_gateway(&mut d, "vnet-a");
    quiet(&d, "ROUTE_GATEWAY_MISSING");
}

#[test]
fn two_routes_for_one_prefix_are_an_error() {
    let mut d = hub_and_spoke();
    d.route_tables[0]
        .routes
        .push(route("to-b-again", "10.2.0.0/16", NextHop::None));
    let diag = expect(&d, "ROUTE_DUPLICATE_PREFIX", "rt-a", Error);
    assert!(diag.message.contains("`to-b` and `to-b-again`"));
    let fixed = fix_clears(&d, "ROUTE_DUPLICATE_PREFIX", "rt-a");
    assert_eq!(fixed.route_tables[0].routes.len(), 1);
}

#[test]
fn a_route_table_nobody_uses_is_info() {
    let mut d = hub_and_spoke();
    d.route_tables.push(RouteTable::new("rt-spare"));
    expect(&d, "ROUTE_TABLE_UNUSED", "rt-spare", Info);
    quiet(&hub_and_spoke(), "ROUTE_TABLE_UNUSED");
    let fixed = fix_clears(&d, "ROUTE_TABLE_UNUSED", "rt-spare");
    clean(&fixed);
}
