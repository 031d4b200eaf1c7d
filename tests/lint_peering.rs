//! Peering checks: each rule fires on a minimal design, stays quiet on its healthy twin, and its
//! fix (where the design can express one) removes it.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use vnetlab::lint::Severity::{Error, Warning};
use vnetlab::model::{
    DeploymentModel, Design, GatewaySku, GovGlobalPeering, Peering, PeeringState, Vnet,
};

#[test]
fn a_healthy_peered_pair_has_no_findings() {
    clean(&peered_pair());
}

#[test]
fn v1_overlapping_spaces_are_an_error_on_both_links() {
    let mut d = peered_pair();
    d.vnets[1].address_space = vec![net("10.1.128.0/17")];
    d.vnets[1].subnets[0].prefix = net("10.1.129.0/24");
    d.vms[1].nics[0].ip = ip("10.1.129.4");
    let diag = expect(&d, "PEERING_OVERLAP", "a-to-b", Error);
    assert!(diag.message.starts_with("V1: "), "{}", diag.message);
    assert!(
        diag.message.contains("10.1.0.0/16 and 10.1.128.0/17"),
        "{}",
        diag.message
    );
    expect(&d, "PEERING_OVERLAP", "b-to-a", Error);
    // A refused peering is not also reported as one-sided or disconnected.
    peering_mut(&mut d, "b-to-a").disconnected = true;
    quiet(&d, "PEERING_DISCONNECTED");
}

#[test]
fn v2_cross_cloud_is_an_error_and_same_cloud_global_peering_is_fine() {
    let mut d = peered_pair();
    d.vnets[1].region = "chinanorth2".parse().unwrap();
    let diag = expect(&d, "PEERING_CROSS_CLOUD", "a-to-b", Error);
    assert!(diag.message.starts_with("V2: "));
    d.vnets[1].region = "westeurope".parse().unwrap();
    clean(&d);
}

#[test]
fn v3_classic_to_classic_is_an_error() {
    let mut d = peered_pair();
    d.vnets[0].deployment = DeploymentModel::Classic;
    d.vnets[1].deployment = DeploymentModel::Classic;
    expect(&d, "PEERING_CLASSIC_TO_CLASSIC", "a-to-b", Error);
    quiet(&d, "PEERING_ON_CLASSIC_VNET");
}

#[test]
fn arm_to_classic_is_configured_on_the_arm_side_only() {
    let mut d = pair();
    d.vnets[1].deployment = DeploymentModel::Classic;
    d.peerings.push(Peering::new("a-to-b", "vnet-a", "vnet-b"));
    // The ARM side alone is Connected: nothing to report.
    clean(&d);
    d.peerings.push(Peering::new("b-to-a", "vnet-b", "vnet-a"));
    expect(&d, "PEERING_ON_CLASSIC_VNET", "b-to-a", Error);
    let fixed = fix_clears(&d, "PEERING_ON_CLASSIC_VNET", "b-to-a");
    assert_eq!(
        fixed.peering_state(fixed.peering("a-to-b").unwrap()),
        PeeringState::Connected
    );
    clean(&fixed);
}

/// a ↔ b with b as the hub: gateway in b, transit offered, a uses it.
fn transit_pair() -> Design {
    let mut d = peered_pair();
    add_gateway(&mut d, "vnet-b");
    peering_mut(&mut d, "b-to-a").allow_gateway_transit = true;
    peering_mut(&mut d, "a-to-b").use_remote_gateways = true;
    d
}

#[test]
fn gateway_transit_done_right_has_no_findings() {
    clean(&transit_pair());
}

#[test]
fn v4_remote_gateways_with_an_own_gateway_is_an_error_fixed_by_clearing_the_flag() {
    let mut d = transit_pair();
    add_gateway(&mut d, "vnet-a");
    let diag = expect(
        &d,
        "PEERING_REMOTE_GATEWAYS_WITH_OWN_GATEWAY",
        "a-to-b",
        Error,
    );
    assert!(diag.message.starts_with("V4: "));
    let fixed = fix_clears(&d, "PEERING_REMOTE_GATEWAYS_WITH_OWN_GATEWAY", "a-to-b");
    assert!(!fixed.peering("a-to-b").unwrap().use_remote_gateways);
}

#[test]
fn v5_remote_vnet_has_no_gateways_is_an_error() {
    let mut d = peered_pair();
    peering_mut(&mut d, "a-to-b").use_remote_gateways = true;
    let diag = expect(&d, "PEERING_REMOTE_VNET_HAS_NO_GATEWAYS", "a-to-b", Error);
    assert!(diag.message.contains("RemoteVnetHasNoGateways"));
    fix_clears(&d, "PEERING_REMOTE_VNET_HAS_NO_GATEWAYS", "a-to-b");
}

#[test]
fn v6_remote_gateways_on_two_peerings_is_an_error() {
    let mut d = transit_pair();
    d.vnets.push(vnet("vnet-c", "10.3.0.0/16"));
    add_gateway(&mut d, "vnet-c");
    let mut a_to_c = Peering::new("a-to-c", "vnet-a", "vnet-c");
    a_to_c.use_remote_gateways = true;
    let mut c_to_a = Peering::new("c-to-a", "vnet-c", "vnet-a");
    c_to_a.allow_gateway_transit = true;
    d.peerings.extend([a_to_c, c_to_a]);
    expect(
        &d,
        "PEERING_REMOTE_GATEWAYS_ON_SEVERAL_PEERINGS",
        "a-to-b",
        Error,
    );
    let diag = expect(
        &d,
        "PEERING_REMOTE_GATEWAYS_ON_SEVERAL_PEERINGS",
        "a-to-c",
        Error,
    );
    assert!(diag.message.contains("a-to-b"), "{}", diag.message);
    let fixed = fix_clears(&d, "PEERING_REMOTE_GATEWAYS_ON_SEVERAL_PEERINGS", "a-to-c");
    clean(&fixed);
}

#[test]
fn v7_remote_gateways_without_transit_is_a_warning_fixed_on_the_other_side() {
    let mut d = transit_pair();
    peering_mut(&mut d, "b-to-a").allow_gateway_transit = false;
    let diag = expect(
        &d,
        "PEERING_REMOTE_GATEWAYS_WITHOUT_TRANSIT",
        "a-to-b",
        Warning,
    );
    assert!(diag.message.starts_with("V7: "));
    let fixed = fix_clears(&d, "PEERING_REMOTE_GATEWAYS_WITHOUT_TRANSIT", "a-to-b");
    assert!(fixed.peering("b-to-a").unwrap().allow_gateway_transit);
}

#[test]
fn v8_transit_without_a_gateway_is_a_warning() {
    let mut d = peered_pair();
    peering_mut(&mut d, "a-to-b").allow_gateway_transit = true;
    expect(&d, "PEERING_TRANSIT_WITHOUT_GATEWAY", "a-to-b", Warning);
    fix_clears(&d, "PEERING_TRANSIT_WITHOUT_GATEWAY", "a-to-b");
}

#[test]
fn v9_transit_through_a_basic_gateway_is_a_warning_fixed_by_upgrading() {
    let mut d = transit_pair();
    d.gateways[0].sku = GatewaySku::Basic;
    let diag = expect(&d, "PEERING_TRANSIT_BASIC_SKU", "b-to-a", Warning);
    assert!(diag.message.starts_with("V9: "));
    expect(&d, "PEERING_TRANSIT_BASIC_SKU", "a-to-b", Warning);
    let fixed = fix_clears(&d, "PEERING_TRANSIT_BASIC_SKU", "b-to-a");
    clean(&fixed);
}

#[test]
fn government_global_peering_follows_the_assumption() {
    let mut d = peered_pair();
    d.vnets[0].region = "usgovvirginia".parse().unwrap();
    d.vnets[1].region = "usgovtexas".parse().unwrap();
    let diag = expect(&d, "PEERING_GOV_GLOBAL", "a-to-b", Error);
    assert!(diag.message.starts_with("GOV: ") && diag.message.contains("gov_global_peering"));
    d.assumptions.gov_global_peering = GovGlobalPeering::Allowed;
    clean(&d);
    d.assumptions.gov_global_peering = GovGlobalPeering::Forbidden;
    d.vnets[1].region = "usgovvirginia".parse().unwrap();
    clean(&d);
}

#[test]
fn a_one_sided_peering_is_a_warning_fixed_by_adding_the_reverse_link() {
    let mut d = pair();
    d.peerings.push(Peering::new("a-to-b", "vnet-a", "vnet-b"));
    let diag = expect(&d, "PEERING_INITIATED", "a-to-b", Warning);
    assert!(
        diag.message.contains("Initiated")
            && diag
                .message
                .contains("`vnet-b` has no peering back to `vnet-a`")
    );
    let fixed = fix_clears(&d, "PEERING_INITIATED", "a-to-b");
    let back = fixed
        .peering("vnet-b-to-vnet-a")
        .expect("the reverse link is named by convention");
    assert_eq!(
        (back.local.as_str(), back.remote.as_str()),
        ("vnet-b", "vnet-a")
    );
    clean(&fixed);
}

#[test]
fn the_reverse_link_completes_gateway_transit_offered_by_a_hub() {
    let mut d = pair();
    add_gateway(&mut d, "vnet-b");
    let mut hub_side = Peering::new("b-to-a", "vnet-b", "vnet-a");
    hub_side.allow_gateway_transit = true;
    hub_side.allow_forwarded_traffic = true;
    d.peerings.push(hub_side);
    let fixed = fix_clears(&d, "PEERING_INITIATED", "b-to-a");
    let spoke_side = fixed.peering("vnet-a-to-vnet-b").unwrap();
    assert!(spoke_side.use_remote_gateways && spoke_side.allow_forwarded_traffic);
    assert!(fixed.uses_remote_gateway_effectively(spoke_side));
    clean(&fixed);
}

#[test]
fn the_reverse_link_gets_a_free_name() {
    let mut d = pair();
    d.peerings.push(Peering::new("a-to-b", "vnet-a", "vnet-b"));
    d.vnets.push(vnet("vnet-c", "10.3.0.0/16"));
    d.peerings
        .push(Peering::new("vnet-b-to-vnet-a", "vnet-c", "vnet-a"));
    d.peerings
        .push(Peering::new("vnet-a-to-vnet-c", "vnet-a", "vnet-c"));
    let fixed = fix_clears(&d, "PEERING_INITIATED", "a-to-b");
    assert!(
        fixed
            .peering("vnet-b-to-vnet-a-2")
            .is_some_and(|p| p.local == "vnet-b")
    );
}

#[test]
fn a_disconnected_peering_is_a_warning_fixed_by_recreating_both_links() {
    let mut d = peered_pair();
    peering_mut(&mut d, "a-to-b").disconnected = true;
    d.peerings.retain(|p| p.name != "b-to-a");
    let diag = expect(&d, "PEERING_DISCONNECTED", "a-to-b", Warning);
    assert!(diag.message.contains("Disconnected"));
    let fixed = fix_clears(&d, "PEERING_DISCONNECTED", "a-to-b");
    clean(&fixed);
    assert_eq!(
        fixed.peering_state(fixed.peering("a-to-b").unwrap()),
        PeeringState::Connected
    );
}

#[test]
fn a_link_whose_reverse_is_disconnected_is_initiated_and_recreating_the_reverse_fixes_it() {
    let mut d = peered_pair();
    peering_mut(&mut d, "b-to-a").disconnected = true;
    expect(&d, "PEERING_DISCONNECTED", "b-to-a", Warning);
    let diag = expect(&d, "PEERING_INITIATED", "a-to-b", Warning);
    assert!(
        diag.message.contains("`b-to-a` is Disconnected"),
        "{}",
        diag.message
    );
    let fixed = fix_clears(&d, "PEERING_INITIATED", "a-to-b");
    clean(&fixed);
}

#[test]
fn a_stale_address_space_copy_is_a_warning_fixed_by_sync() {
    let mut d = peered_pair();
    peering_mut(&mut d, "a-to-b").remote_address_space = Some(vec![net("10.2.0.0/16")]);
    clean(&d);
    d.vnets[1].address_space.push(net("10.99.0.0/16"));
    let diag = expect(&d, "PEERING_NOT_SYNCED", "a-to-b", Warning);
    assert!(diag.message.contains("10.99.0.0/16"), "{}", diag.message);
    // Only the stale side is reported (the other side is RemoteNotInSync: nothing to do there).
    assert_eq!(with_code(&d, "PEERING_NOT_SYNCED").len(), 1);
    let fixed = fix_clears(&d, "PEERING_NOT_SYNCED", "a-to-b");
    clean(&fixed);
}

fn hub_with_spokes(spokes: usize) -> Design {
    let mut d = Design::empty("many spokes");
    let region: vnetlab::model::Region = "eastus".parse().unwrap();
    d.vnets
        .push(Vnet::new("hub", region, vec![net("10.0.0.0/16")]));
    for i in 0..spokes {
        let name = format!("spoke{i}");
        let space = net(&format!("10.{}.{}.0/24", 1 + i / 256, i % 256));
        d.vnets.push(Vnet::new(&name, region, vec![space]));
        d.peerings
            .push(Peering::new(format!("hub-to-{name}"), "hub", &name));
        d.peerings
            .push(Peering::new(format!("{name}-to-hub"), &name, "hub"));
    }
    d
}

#[test]
fn more_than_500_peerings_on_a_vnet_is_an_error() {
    quiet(&hub_with_spokes(500), "PEERING_LIMIT_EXCEEDED");
    let diag = expect(
        &hub_with_spokes(501),
        "PEERING_LIMIT_EXCEEDED",
        "hub",
        Error,
    );
    assert!(diag.message.contains("501 peerings"));
}

#[test]
fn a_design_with_broken_references_is_checked_without_panicking() {
    // The loader refuses such a design; lint must still cope when handed one in code.
    let mut d = peered_pair();
    d.peerings
        .push(Peering::new("a-to-nowhere", "vnet-a", "nowhere"));
    d.vms[0].nics[0].subnet.subnet = "missing".to_string();
    d.vnets[0].subnets[0].route_table = Some("no-table".to_string());
    d.vnets[0].subnets[0].nsg = Some("no-nsg".to_string());
    d.gateways.push(vnetlab::model::Gateway {
        name: "gw-lost".to_string(),
        vnet: "nowhere".to_string(),
        kind: vnetlab::model::GatewayKind::Vpn,
        sku: GatewaySku::VpnGw1,
        vpn_type: vnetlab::model::VpnType::RouteBased,
        client_pool: vec![net("172.16.0.0/24")],
        bgp: false,
    });
    quiet(&d, "PEERING_INITIATED");
    let _ = vnetlab::lint::report(&d);
}

/// [`peered_pair`] as a subnet peering of the two `default` subnets, mirrored on both links.
fn subnet_peered_pair() -> Design {
    let mut d = peered_pair();
    for name in ["a-to-b", "b-to-a"] {
        let p = peering_mut(&mut d, name);
        p.local_subnets = vec!["default".into()];
        p.remote_subnets = vec!["default".into()];
    }
    d
}

#[test]
fn v13_mirrored_subnet_peering_is_clean_and_a_one_sided_list_is_a_warning_with_a_fix() {
    clean(&subnet_peered_pair());
    let mut d = subnet_peered_pair();
    d.vnets[1]
        .subnets
        .push(vnetlab::model::Subnet::new("extra", net("10.2.2.0/24")));
    peering_mut(&mut d, "a-to-b")
        .remote_subnets
        .push("extra".into());
    let diag = expect(&d, "PEERING_SUBNET_LISTS_MISMATCH", "a-to-b", Warning);
    assert!(diag.message.starts_with("V13: "), "{}", diag.message);
    // Reported once per pair.
    assert_eq!(with_code(&d, "PEERING_SUBNET_LISTS_MISMATCH").len(), 1);
    let fixed = fix_clears(&d, "PEERING_SUBNET_LISTS_MISMATCH", "a-to-b");
    assert_eq!(
        fixed.peering("b-to-a").unwrap().local_subnets,
        ["default".to_string(), "extra".to_string()]
    );
    // A subnet-level link whose reverse peers the whole VNet is a mismatch too.
    let mut half = subnet_peered_pair();
    peering_mut(&mut half, "b-to-a").local_subnets.clear();
    peering_mut(&mut half, "b-to-a").remote_subnets.clear();
    expect(&half, "PEERING_SUBNET_LISTS_MISMATCH", "a-to-b", Warning);
}

#[test]
fn v13_more_than_200_subnets_on_a_subnet_peering_is_an_error() {
    let mut d = subnet_peered_pair();
    let names: Vec<String> = (0..=200).map(|i| format!("s{i}")).collect();
    for (i, name) in names.iter().enumerate() {
        let prefix = net(&format!("10.1.{}.{}/28", 2 + i / 16, (i % 16) * 16));
        d.vnets[0]
            .subnets
            .push(vnetlab::model::Subnet::new(name.clone(), prefix));
    }
    peering_mut(&mut d, "a-to-b").local_subnets = names.clone();
    peering_mut(&mut d, "b-to-a").remote_subnets = names.clone();
    assert!(d.validate().is_empty(), "{:?}", d.validate());
    let diag = expect(&d, "PEERING_SUBNET_LIMIT_EXCEEDED", "a-to-b", Error);
    assert!(diag.message.contains("201 subnets"), "{}", diag.message);
    quiet(&d, "PEERING_SUBNET_LISTS_MISMATCH");
    peering_mut(&mut d, "a-to-b").local_subnets.truncate(200);
    peering_mut(&mut d, "b-to-a").remote_subnets.truncate(200);
    quiet(&d, "PEERING_SUBNET_LIMIT_EXCEEDED");
}
