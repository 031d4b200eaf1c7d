//! Gateway checks: counts per VNet, GatewaySubnet, and gateway settings Azure refuses.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::lint::Severity::{Error, Info, Warning};
use vnetlab::model::{
    Connection, ConnectionRemote, Design, GatewayKind, GatewaySku, NextHop, Nsg, Peering, Route,
    RouteTable, Subnet, Vm, VpnType,
};

fn with_gateway() -> Design {
    let mut d = pair();
    add_gateway(&mut d, "vnet-a");
    d
}

#[test]
fn a_vpn_and_an_expressroute_gateway_may_share_a_vnet_but_not_two_vpn_gateways() {
    let mut d = with_gateway();
    add_gateway_of(
        &mut d,
        "vnet-a",
        GatewayKind::ExpressRoute,
        GatewaySku::ErGw1AZ,
        "er-a",
    );
    clean(&d);
    add_gateway_of(
        &mut d,
        "vnet-a",
        GatewayKind::Vpn,
        GatewaySku::VpnGw2,
        "vpn-two",
    );
    let diag = expect(&d, "GATEWAY_TOO_MANY", "vpn-two", Error);
    assert!(diag.message.contains("`gw-vnet-a`"));
    let fixed = fix_clears(&d, "GATEWAY_TOO_MANY", "vpn-two");
    clean(&fixed);
}

#[test]
fn a_gateway_without_gatewaysubnet_is_an_error_fixed_by_adding_a_free_27() {
    let mut d = with_gateway();
    d.vnets[0].subnets.retain(|s| s.name != "GatewaySubnet");
    // Occupy the bottom of the space (with `default`, 10.1.1.0/24), so the fix has to look
    // further up: free prefixes are planned from the bottom (model::plan).
    d.vnets[0]
        .subnets
        .push(Subnet::new("low", net("10.1.0.0/24")));
    expect(&d, "GATEWAY_SUBNET_MISSING", "gw-vnet-a", Error);
    let fixed = fix_clears(&d, "GATEWAY_SUBNET_MISSING", "gw-vnet-a");
    let added = fixed.vnets[0].subnet("GatewaySubnet").unwrap();
    assert_eq!(added.prefix, net("10.1.2.0/27"));
    clean(&fixed);
}

#[test]
fn a_full_address_space_gets_advice_instead_of_an_edit() {
    let mut d = with_gateway();
    d.vnets[0].subnets.retain(|s| s.name != "GatewaySubnet");
    d.vnets[0]
        .subnets
        .push(Subnet::new("everything", net("10.1.0.0/16")));
    d.vnets[0].subnets.retain(|s| s.name != "default");
    d.vms.retain(|vm| vm.name != "vm-a");
    let advice = advice_only(&d, "GATEWAY_SUBNET_MISSING", "gw-vnet-a");
    assert!(advice.contains("no free /27"));
}

#[test]
fn gatewaysubnet_size_rules() {
    let mut d = with_gateway();
    d.vnets[0].subnets[1].prefix = net("10.1.255.0/30");
    expect(
        &d,
        "GATEWAY_SUBNET_TOO_SMALL",
        "vnet-a/GatewaySubnet",
        Error,
    );
    quiet(&d, "ADDRESS_SUBNET_TOO_SMALL");
    d.vnets[0].subnets[1].prefix = net("10.1.255.0/29");
    expect(&d, "GATEWAY_SUBNET_TOO_SMALL", "vnet-a/GatewaySubnet", Info);
    // Without a gateway, a too-small GatewaySubnet only warns about the gateway to come.
    d.vnets[0].subnets[1].prefix = net("10.1.255.0/30");
    d.gateways.clear();
    expect(
        &d,
        "GATEWAY_SUBNET_TOO_SMALL",
        "vnet-a/GatewaySubnet",
        Warning,
    );
    d.vnets[0].subnets[1].prefix = net("10.1.255.0/27");
    clean(&d);
}

#[test]
fn an_nsg_on_gatewaysubnet_is_a_warning_fixed_by_removing_it() {
    let mut d = with_gateway();
    d.nsgs.push(Nsg::new("nsg-gw"));
    d.vnets[0].subnets[1].nsg = Some("nsg-gw".to_string());
    expect(&d, "GATEWAY_SUBNET_NSG", "vnet-a/GatewaySubnet", Warning);
    let fixed = fix_clears(&d, "GATEWAY_SUBNET_NSG", "vnet-a/GatewaySubnet");
    assert_eq!(fixed.vnets[0].subnet("GatewaySubnet").unwrap().nsg, None);
}

fn gateway_subnet_table(routes: Vec<Route>, propagate: bool) -> Design {
    let mut d = with_gateway();
    let mut table = RouteTable::new("rt-gw");
    table.routes = routes;
    table.propagate_gateway_routes = propagate;
    d.route_tables.push(table);
    d.vnets[0].subnets[1].route_table = Some("rt-gw".to_string());
    d
}

fn route(name: &str, prefix: &str, next_hop: NextHop) -> Route {
    Route {
        name: name.to_string(),
        prefix: net(prefix),
        next_hop,
    }
}

#[test]
fn a_default_route_on_gatewaysubnet_is_a_warning() {
    let nva = NextHop::VirtualAppliance(ip("10.1.1.4"));
    let d = gateway_subnet_table(vec![route("spoke", "10.5.0.0/16", NextHop::None)], true);
    quiet(&d, "GATEWAY_SUBNET_DEFAULT_ROUTE");
    let d = gateway_subnet_table(
        vec![
            route("spoke", "10.5.0.0/16", NextHop::None),
            route("all", "0.0.0.0/0", nva),
        ],
        true,
    );
    expect(
        &d,
        "GATEWAY_SUBNET_DEFAULT_ROUTE",
        "vnet-a/GatewaySubnet",
        Warning,
    );
    let fixed = fix_clears(&d, "GATEWAY_SUBNET_DEFAULT_ROUTE", "vnet-a/GatewaySubnet");
    assert_eq!(fixed.route_table("rt-gw").unwrap().routes.len(), 1);
    // A table shared with other subnets is not edited behind their back.
    let mut shared = d.clone();
    shared.vnets[0].subnets[0].route_table = Some("rt-gw".to_string());
    assert!(
        advice_only(
            &shared,
            "GATEWAY_SUBNET_DEFAULT_ROUTE",
            "vnet-a/GatewaySubnet"
        )
        .contains("own route table")
    );
}

#[test]
fn disabled_propagation_on_gatewaysubnet_is_a_warning() {
    let d = gateway_subnet_table(Vec::new(), false);
    expect(
        &d,
        "GATEWAY_SUBNET_PROPAGATION_DISABLED",
        "vnet-a/GatewaySubnet",
        Warning,
    );
    let fixed = fix_clears(
        &d,
        "GATEWAY_SUBNET_PROPAGATION_DISABLED",
        "vnet-a/GatewaySubnet",
    );
    clean(&fixed);
}

#[test]
fn a_vm_in_gatewaysubnet_is_a_warning() {
    let mut d = with_gateway();
    d.vms.push(Vm::new(
        "vm-gw",
        vnetlab::model::SubnetRef::new("vnet-a", "GatewaySubnet"),
        ip("10.1.255.4"),
    ));
    expect(&d, "GATEWAY_SUBNET_HAS_VMS", "vm-gw", Warning);
}

#[test]
fn bgp_on_a_basic_gateway_is_an_error_fixed_by_upgrading() {
    let mut d = with_gateway();
    d.gateways[0].sku = GatewaySku::Basic;
    clean(&d);
    d.gateways[0].bgp = true;
    expect(&d, "GATEWAY_BASIC_BGP", "gw-vnet-a", Error);
    let fixed = fix_clears(&d, "GATEWAY_BASIC_BGP", "gw-vnet-a");
    clean(&fixed);
}

#[test]
fn a_policy_based_gateway_cannot_do_p2s_vnet_to_vnet_or_transit() {
    let mut d = with_gateway();
    d.gateways[0].vpn_type = VpnType::PolicyBased;
    clean(&d);
    d.gateways[0].client_pool = vec![net("172.16.0.0/24")];
    let diag = expect(&d, "GATEWAY_POLICY_BASED_UNSUPPORTED", "gw-vnet-a", Error);
    assert!(diag.message.contains("point-to-site"));
    let fixed = fix_clears(&d, "GATEWAY_POLICY_BASED_UNSUPPORTED", "gw-vnet-a");
    clean(&fixed);

    let mut d = with_gateway();
    d.gateways[0].vpn_type = VpnType::PolicyBased;
    add_gateway(&mut d, "vnet-b");
    d.connections.push(Connection {
        name: "b-to-a".to_string(),
        gateway: "gw-vnet-b".to_string(),
        remote: ConnectionRemote::Gateway("gw-vnet-a".to_string()),
        bgp: false,
    });
    let diag = expect(&d, "GATEWAY_POLICY_BASED_UNSUPPORTED", "gw-vnet-a", Error);
    assert!(diag.message.contains("VNet-to-VNet connection `b-to-a`"));

    let mut d = with_gateway();
    d.gateways[0].vpn_type = VpnType::PolicyBased;
    let mut hub_side = Peering::new("a-to-b", "vnet-a", "vnet-b");
    hub_side.allow_gateway_transit = true;
    d.peerings.push(hub_side);
    let diag = expect(&d, "GATEWAY_POLICY_BASED_UNSUPPORTED", "gw-vnet-a", Error);
    assert!(diag.message.contains("gateway transit on `a-to-b`"));
}

#[test]
fn skus_and_features_must_match_the_gateway_kind() {
    let mut d = pair();
    add_gateway_of(
        &mut d,
        "vnet-a",
        GatewayKind::ExpressRoute,
        GatewaySku::ErGw1AZ,
        "er-a",
    );
    clean(&d);
    d.gateways[0].sku = GatewaySku::VpnGw1;
    expect(&d, "GATEWAY_KIND_MISMATCH", "er-a", Error);
    d.gateways[0].sku = GatewaySku::Standard;
    clean(&d);
    d.gateways[0].client_pool = vec![net("172.16.0.0/24")];
    expect(&d, "GATEWAY_KIND_MISMATCH", "er-a", Error);

    let mut d = with_gateway();
    d.gateways[0].sku = GatewaySku::ErGw2AZ;
    expect(&d, "GATEWAY_KIND_MISMATCH", "gw-vnet-a", Error);
    let fixed = fix_clears(&d, "GATEWAY_KIND_MISMATCH", "gw-vnet-a");
    clean(&fixed);
}

/// A VNet-to-VNet link is a pair of connections, one on each gateway with the same shared key;
/// with one of them only, Azure leaves it NotConnected (vpn-gateway-vnet-vnet-rm-ps.md and
/// vpn-gateway-howto-vnet-vnet-cli.md create both). The fix adds the pair, and the pair is clean.
#[test]
fn a_vnet_to_vnet_connection_needs_its_pair_and_bgp_on_both() {
    let mut d = with_gateway();
    add_gateway(&mut d, "vnet-b");
    clean(&d);
    let connect = |from: &str, to: &str, bgp: bool| Connection {
        name: format!("{from}-to-{to}"),
        gateway: from.to_string(),
        remote: ConnectionRemote::Gateway(to.to_string()),
        bgp,
    };
    d.connections.push(connect("gw-vnet-a", "gw-vnet-b", false));
    let diag = expect(
        &d,
        "GATEWAY_CONNECTION_ONE_SIDED",
        "gw-vnet-a-to-gw-vnet-b",
        Warning,
    );
    assert!(
        diag.message.contains("`gw-vnet-b` has no connection back"),
        "{}",
        diag.message
    );
    let fixed = fix_clears(&d, "GATEWAY_CONNECTION_ONE_SIDED", "gw-vnet-a-to-gw-vnet-b");
    assert_eq!(fixed.connections.len(), 2);
    clean(&fixed);

    // BGP on one of the pair only: the link runs without it.
    let mut d = with_gateway();
    add_gateway(&mut d, "vnet-b");
    for gateway in &mut d.gateways {
        gateway.bgp = true;
    }
    d.connections.push(connect("gw-vnet-a", "gw-vnet-b", true));
    d.connections.push(connect("gw-vnet-b", "gw-vnet-a", false));
    let diag = expect(
        &d,
        "GATEWAY_CONNECTION_BGP_ONE_SIDED",
        "gw-vnet-b-to-gw-vnet-a",
        Warning,
    );
    assert!(
        diag.message.contains("runs without BGP"),
        "{}",
        diag.message
    );
    let fixed = fix_clears(
        &d,
        "GATEWAY_CONNECTION_BGP_ONE_SIDED",
        "gw-vnet-b-to-gw-vnet-a",
    );
    clean(&fixed);
}
