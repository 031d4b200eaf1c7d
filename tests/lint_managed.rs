//! Checks on application security groups, Azure Route Servers and Virtual Network Manager
//! connectivity: each code fires on the object Azure's rule is about, with the severity it
//! deserves, and stays quiet when the rule holds.
//!
//! Sources: application-security-groups.md (ASGs of one rule in one VNet), route-server/
//! quickstart-configure-route-server-portal.md and route-server-faq.md (`RouteServerSubnet`
//! /27 or larger, one per VNet, reserved ASNs, no NSG or UDR on its subnet, prefixes equal to or
//! inside a VNet range not programmed), concept-connectivity-configuration.md (two connected
//! groups per VNet, overlapping members, "use hub as a gateway").
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::lint::Severity::{Error, Warning};
use vnetlab::model::{
    Access, Asg, BgpPeer, Connectivity, Design, Direction, GroupLink, NetworkGroup, Nsg, NsgRule,
    Protocol, RouteServer, Subnet, Topology, Vm,
};

/// `vnet-a` with a /27 `RouteServerSubnet`, an NVA `nva` at 10.1.2.4, and Route Server `rs`
/// peered with it (ASN 65001, announcing 0.0.0.0/0 and 10.0.0.0/8).
fn with_route_server() -> Design {
    let mut d = pair();
    let a = d.vnet_mut("vnet-a").unwrap();
    a.subnets
        .push(Subnet::new("RouteServerSubnet", net("10.1.254.0/27")));
    a.subnets.push(Subnet::new("nva", net("10.1.2.0/24")));
    let mut nva = Vm::new("nva", "vnet-a/nva".parse().unwrap(), ip("10.1.2.4"));
    nva.nics[0].ip_forwarding = true;
    d.vms.push(nva);
    let mut rs = RouteServer::new("rs", "vnet-a");
    rs.peers.push(BgpPeer {
        name: "nva".into(),
        ip: ip("10.1.2.4"),
        asn: 65001,
        announces: vec![net("0.0.0.0/0"), net("10.0.0.0/8")],
    });
    d.route_servers.push(rs);
    d
}

const ROUTE_SERVER_CODES: [&str; 6] = [
    "ROUTE_SERVER_SUBNET_MISSING",
    "ROUTE_SERVER_SUBNET_TOO_SMALL",
    "ROUTE_SERVER_TOO_MANY",
    "ROUTE_SERVER_PEER_DOWN",
    "ROUTE_SERVER_PREFIX_DROPPED",
    "ROUTE_SERVER_SUBNET_POLICY",
];

#[test]
fn a_sound_route_server_raises_none_of_the_route_server_codes() {
    let d = with_route_server();
    for code in ROUTE_SERVER_CODES {
        quiet(&d, code);
    }
}

#[test]
fn a_route_server_without_its_subnet_is_an_error() {
    let mut d = with_route_server();
    d.vnet_mut("vnet-a")
        .unwrap()
        .subnets
        .retain(|s| s.name != "RouteServerSubnet");
    let diag = expect(&d, "ROUTE_SERVER_SUBNET_MISSING", "rs", Error);
    assert!(
        diag.message.contains("`RouteServerSubnet`") && diag.message.contains("no routes"),
        "{}",
        diag.message
    );
}

#[test]
fn a_route_server_subnet_smaller_than_27_is_an_error() {
    let mut d = with_route_server();
    let a = d.vnet_mut("vnet-a").unwrap();
    let subnet = a
        .subnets
        .iter_mut()
        .find(|s| s.name == "RouteServerSubnet")
        .unwrap();
    subnet.prefix = net("10.1.254.0/28");
    let diag = expect(&d, "ROUTE_SERVER_SUBNET_TOO_SMALL", "rs", Error);
    assert!(diag.message.contains("10.1.254.0/28"), "{}", diag.message);
    quiet(&d, "ROUTE_SERVER_SUBNET_MISSING");
}

#[test]
fn a_second_route_server_in_a_vnet_is_an_error_on_the_second_only() {
    let mut d = with_route_server();
    d.route_servers.push(RouteServer::new("rs2", "vnet-a"));
    let diag = expect(&d, "ROUTE_SERVER_TOO_MANY", "rs2", Error);
    assert!(diag.message.contains("`rs`"), "{}", diag.message);
    assert_eq!(with_code(&d, "ROUTE_SERVER_TOO_MANY").len(), 1);
}

#[test]
fn a_peer_with_a_reserved_asn_is_an_error_and_one_without_an_nva_a_warning() {
    let mut d = with_route_server();
    d.route_servers[0].peers[0].asn = 65515;
    let diag = expect(&d, "ROUTE_SERVER_PEER_DOWN", "rs", Error);
    assert!(diag.message.contains("65515"), "{}", diag.message);

    let mut d = with_route_server();
    d.route_servers[0].peers[0].asn = 4_200_000_000;
    let diag = expect(&d, "ROUTE_SERVER_PEER_DOWN", "rs", Error);
    assert!(diag.message.contains("16-bit"), "{}", diag.message);

    let mut d = with_route_server();
    d.route_servers[0].peers[0].ip = ip("10.1.2.99");
    let diag = expect(&d, "ROUTE_SERVER_PEER_DOWN", "rs", Warning);
    assert!(diag.message.contains("10.1.2.99"), "{}", diag.message);
}

#[test]
fn a_prefix_inside_a_served_vnet_is_not_programmed() {
    let mut d = with_route_server();
    d.route_servers[0].peers[0].announces = vec![net("10.1.5.0/24"), net("10.0.0.0/8")];
    let diag = expect(&d, "ROUTE_SERVER_PREFIX_DROPPED", "rs", Warning);
    assert!(
        diag.message.contains("10.1.5.0/24") && diag.message.contains("`vnet-a`"),
        "{}",
        diag.message
    );
    // Only the prefix inside the VNet: the supernet is programmed.
    assert_eq!(with_code(&d, "ROUTE_SERVER_PREFIX_DROPPED").len(), 1);
}

#[test]
fn an_nsg_on_the_route_server_subnet_is_a_warning() {
    let mut d = with_route_server();
    d.nsgs.push(Nsg::new("nsg-rs"));
    let a = d.vnet_mut("vnet-a").unwrap();
    let subnet = a
        .subnets
        .iter_mut()
        .find(|s| s.name == "RouteServerSubnet")
        .unwrap();
    subnet.nsg = Some("nsg-rs".into());
    let diag = expect(&d, "ROUTE_SERVER_SUBNET_POLICY", "rs", Warning);
    assert!(diag.message.contains("NSG"), "{}", diag.message);
}

/// `pair` with ASG `web-a` holding `vm-a` and `web-b` holding `vm-b`, and NSG `nsg-a` on
/// `vnet-a/default` with one rule from `source` to `destination`.
fn with_asg_rule(source: &str, destination: &str) -> Design {
    let mut d = pair();
    d.asgs.push(Asg::new("web-a"));
    d.asgs.push(Asg::new("web-b"));
    d.vms[0].nics[0].asgs = vec!["web-a".into()];
    d.vms[1].nics[0].asgs = vec!["web-b".into()];
    let mut rule = NsgRule::new("web", 200, Direction::Inbound, Access::Deny, Protocol::Tcp);
    rule.source_asgs = vec![source.into()];
    rule.destination_asgs = vec![destination.into()];
    let mut nsg = Nsg::new("nsg-a");
    nsg.rules.push(rule);
    d.nsgs.push(nsg);
    d.vnets[0].subnets[0].nsg = Some("nsg-a".into());
    d
}

#[test]
fn a_rule_whose_asgs_sit_in_different_vnets_is_an_error() {
    let d = with_asg_rule("web-b", "web-a");
    let diag = expect(&d, "NSG_ASGS_IN_SEVERAL_VNETS", "nsg-a", Error);
    assert!(
        diag.message.contains("`vnet-b`") && diag.message.contains("`vnet-a`"),
        "{}",
        diag.message
    );
    advice_only(&d, "NSG_ASGS_IN_SEVERAL_VNETS", "nsg-a");
    quiet(
        &with_asg_rule("web-a", "web-a"),
        "NSG_ASGS_IN_SEVERAL_VNETS",
    );
}

/// Several ASGs on one end are allowed (Azure lifted the limit of one, azure-docs PR 72562),
/// but all of a rule's ASGs must be in one VNet, on the same end too: Azure's
/// `AllApplicationSecurityGroupsInSecurityRuleMustBeFromSameVnet` (Azure/azure-sdk-for-java
/// issue 34158).
#[test]
fn several_asgs_on_one_end_must_share_a_vnet() {
    let mut d = with_asg_rule("web-a", "web-a");
    d.nsgs[0].rules[0].source_asgs = vec!["web-a".into(), "web-b".into()];
    let diag = expect(&d, "NSG_ASGS_IN_SEVERAL_VNETS", "nsg-a", Error);
    assert!(
        diag.message
            .contains("ASG `web-a` has NICs in `vnet-a` and ASG `web-b` in `vnet-b`"),
        "{}",
        diag.message
    );
    d.asgs.push(Asg::new("web-a2"));
    d.vms[0].nics[0].asgs.push("web-a2".into());
    d.nsgs[0].rules[0].source_asgs = vec!["web-a".into(), "web-a2".into()];
    quiet(&d, "NSG_ASGS_IN_SEVERAL_VNETS");
}

fn mesh(name: &str, group: &str) -> Connectivity {
    Connectivity {
        name: name.into(),
        topology: Topology::Mesh,
        groups: vec![GroupLink::new(group)],
        global: false,
    }
}

#[test]
fn a_vnet_in_three_connected_groups_is_an_error() {
    let mut d = pair();
    d.network_groups.push(NetworkGroup::new(
        "both",
        vec!["vnet-a".into(), "vnet-b".into()],
    ));
    d.connectivity.push(mesh("mesh1", "both"));
    d.connectivity.push(mesh("mesh2", "both"));
    quiet(&d, "AVNM_TOO_MANY_CONNECTED_GROUPS");
    d.connectivity.push(mesh("mesh3", "both"));
    let diag = expect(&d, "AVNM_TOO_MANY_CONNECTED_GROUPS", "vnet-a", Error);
    assert!(
        diag.message.contains("3 connected groups"),
        "{}",
        diag.message
    );
    expect(&d, "AVNM_TOO_MANY_CONNECTED_GROUPS", "vnet-b", Error);
}

#[test]
fn overlapping_members_of_a_connected_group_are_a_warning() {
    let mut d = pair();
    d.vnets.push(vnet("vnet-c", "10.1.0.0/16"));
    d.network_groups.push(NetworkGroup::new(
        "all",
        vec!["vnet-a".into(), "vnet-b".into(), "vnet-c".into()],
    ));
    d.connectivity.push(mesh("mesh", "all"));
    let diag = expect(&d, "AVNM_CONNECTED_GROUP_OVERLAP", "mesh", Warning);
    assert!(
        diag.message.contains("`vnet-a`") && diag.message.contains("`vnet-c`"),
        "{}",
        diag.message
    );
    d.vnets.pop();
    d.network_groups[0].members.pop();
    quiet(&d, "AVNM_CONNECTED_GROUP_OVERLAP");
}

#[test]
fn a_hub_used_as_a_gateway_without_one_is_a_warning() {
    let mut d = pair();
    d.network_groups
        .push(NetworkGroup::new("spokes", vec!["vnet-b".into()]));
    let mut link = GroupLink::new("spokes");
    link.use_hub_gateway = true;
    d.connectivity.push(Connectivity {
        name: "hub-spoke".into(),
        topology: Topology::HubAndSpoke {
            hub: "vnet-a".into(),
        },
        groups: vec![link],
        global: false,
    });
    let diag = expect(&d, "AVNM_HUB_WITHOUT_GATEWAY", "hub-spoke", Warning);
    assert!(diag.message.contains("Initiated"), "{}", diag.message);
    add_gateway(&mut d, "vnet-a");
    quiet(&d, "AVNM_HUB_WITHOUT_GATEWAY");
}
