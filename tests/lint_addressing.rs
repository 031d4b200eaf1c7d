//! Addressing checks: VNet ranges, subnets and VM addresses.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::lint::Severity::{Error, Warning};
use vnetlab::model::{Connection, ConnectionRemote, Host, Site, Subnet};

#[test]
fn overlapping_ranges_inside_one_vnet_are_an_error() {
    let mut d = pair();
    d.vnets[0].address_space.push(net("10.1.128.0/17"));
    let diag = expect(&d, "ADDRESS_VNET_RANGES_OVERLAP", "vnet-a", Error);
    assert!(
        diag.message.contains("10.1.128.0/17 and 10.1.0.0/16"),
        "{}",
        diag.message
    );
    d.vnets[0].address_space[1] = net("10.11.0.0/16");
    clean(&d);
}

#[test]
fn a_subnet_outside_its_vnet_is_an_error() {
    let mut d = pair();
    d.vnets[0]
        .subnets
        .push(Subnet::new("stray", net("10.9.0.0/24")));
    expect(&d, "ADDRESS_SUBNET_OUTSIDE_VNET", "vnet-a/stray", Error);
    d.vnets[0].subnets[1].prefix = net("10.1.9.0/24");
    clean(&d);
}

#[test]
fn every_prefix_of_a_multi_prefix_subnet_must_be_inside() {
    let mut d = pair();
    d.vnets[0].subnets[0]
        .extra_prefixes
        .push(net("192.168.0.0/24"));
    expect(&d, "ADDRESS_SUBNET_OUTSIDE_VNET", "vnet-a/default", Error);
}

#[test]
fn overlapping_subnets_are_an_error() {
    let mut d = pair();
    d.vnets[0]
        .subnets
        .push(Subnet::new("wide", net("10.1.0.0/22")));
    let diag = expect(&d, "ADDRESS_SUBNET_OVERLAP", "vnet-a/wide", Error);
    assert!(
        diag.message.contains("`vnet-a/default` (10.1.1.0/24)"),
        "{}",
        diag.message
    );
    d.vnets[0].subnets[1].prefix = net("10.1.4.0/22");
    clean(&d);
}

#[test]
fn subnets_below_a_29_are_an_error() {
    let mut d = pair();
    d.vnets[0]
        .subnets
        .push(Subnet::new("tiny", net("10.1.2.0/30")));
    expect(&d, "ADDRESS_SUBNET_TOO_SMALL", "vnet-a/tiny", Error);
    d.vnets[0].subnets[1].prefix = net("10.1.2.0/29");
    clean(&d);
}

#[test]
fn a_vm_address_outside_its_subnet_is_an_error_fixed_with_a_free_address() {
    // The loader refuses this design; lint still reports it for designs built in code.
    let mut d = pair();
    d.vms[0].nics[0].ip = ip("10.1.2.4");
    expect(&d, "ADDRESS_IP_OUTSIDE_SUBNET", "vm-a", Error);
    let fixed = fix_clears(&d, "ADDRESS_IP_OUTSIDE_SUBNET", "vm-a");
    assert_eq!(fixed.vm("vm-a").unwrap().ip(), Some(ip("10.1.1.4")));
    clean(&fixed);
}

#[test]
fn duplicate_addresses_in_one_vnet_are_an_error() {
    let mut d = pair();
    let mut twin = d.vms[0].clone();
    twin.name = "vm-a2".to_string();
    d.vms.push(twin);
    let diag = expect(&d, "ADDRESS_IP_DUPLICATE", "vm-a2", Error);
    assert!(diag.message.contains("`vm-a`"));
    let fixed = fix_clears(&d, "ADDRESS_IP_DUPLICATE", "vm-a2");
    assert_eq!(fixed.vm("vm-a2").unwrap().ip(), Some(ip("10.1.1.5")));
    clean(&fixed);
}

#[test]
fn the_same_address_in_two_vnets_is_fine() {
    let mut d = pair();
    d.vnets[1].address_space = vec![net("10.1.0.0/16")];
    d.vnets[1].subnets[0].prefix = net("10.1.1.0/24");
    d.vms[1].nics[0].ip = ip("10.1.1.4");
    quiet(&d, "ADDRESS_IP_DUPLICATE");
}

#[test]
fn the_five_reserved_addresses_of_a_subnet_are_an_error() {
    for (reserved, fixed_to) in [
        ("10.1.1.0", "10.1.1.4"),
        ("10.1.1.3", "10.1.1.4"),
        ("10.1.1.255", "10.1.1.4"),
    ] {
        let mut d = pair();
        d.vms[0].nics[0].ip = ip(reserved);
        let diag = expect(&d, "ADDRESS_IP_RESERVED", "vm-a", Error);
        assert!(
            diag.message.contains("10.1.1.0 to 10.1.1.3 and 10.1.1.255"),
            "{}",
            diag.message
        );
        let fixed = fix_clears(&d, "ADDRESS_IP_RESERVED", "vm-a");
        assert_eq!(fixed.vm("vm-a").unwrap().ip(), Some(ip(fixed_to)));
    }
    let mut d = pair();
    d.vms[0].nics[0].ip = ip("10.1.1.254");
    clean(&d);
}

fn pair_with_p2s_and_site() -> vnetlab::model::Design {
    let mut d = pair();
    add_gateway(&mut d, "vnet-a");
    d.gateways[0].client_pool = vec![net("172.16.201.0/24")];
    d.sites.push(Site {
        name: "branch".to_string(),
        prefixes: vec![net("192.168.0.0/16")],
        hosts: vec![Host {
            name: "branch-host".to_string(),
            ip: ip("192.168.1.10"),
        }],
        bgp: false,
    });
    d.connections.push(Connection {
        name: "a-to-branch".to_string(),
        gateway: "gw-vnet-a".to_string(),
        remote: ConnectionRemote::Site("branch".to_string()),
        bgp: false,
    });
    d
}

#[test]
fn a_client_pool_overlapping_a_range_behind_the_gateway_is_a_warning() {
    clean(&pair_with_p2s_and_site());
    for (pool, owner) in [
        ("10.1.200.0/24", "VNet `vnet-a`"),
        ("192.168.5.0/24", "site `branch`"),
    ] {
        let mut d = pair_with_p2s_and_site();
        d.gateways[0].client_pool = vec![net(pool)];
        let diag = expect(&d, "ADDRESS_CLIENT_POOL_OVERLAP", "gw-vnet-a", Warning);
        assert!(diag.message.contains(owner), "{}", diag.message);
    }
    // A peered VNet counts too.
    let mut d = pair_with_p2s_and_site();
    d.peerings
        .push(vnetlab::model::Peering::new("a-to-b", "vnet-a", "vnet-b"));
    d.gateways[0].client_pool = vec![net("10.2.250.0/24")];
    expect(&d, "ADDRESS_CLIENT_POOL_OVERLAP", "gw-vnet-a", Warning);
}

#[test]
fn a_site_announcing_the_vnets_own_range_is_a_warning() {
    let mut d = pair_with_p2s_and_site();
    d.sites[0].prefixes.push(net("10.1.0.0/16"));
    expect(&d, "ADDRESS_SITE_OVERLAPS_VNET", "branch", Warning);
}
