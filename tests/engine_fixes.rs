//! Every fix the engine offers is an edit that really removes its blocker: apply it to the
//! design it was computed for and the blocker is gone (and, where it was the only one, the
//! pair becomes reachable). Covers the representative causes: missing and one-sided peerings,
//! stale address space, NSG denies (custom and default rules), IP forwarding, forwarded
//! traffic, access off, gateway transit, route propagation, UDR None, firewall rules and an
//! asymmetric stateful path.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use std::path::Path;
use vnetlab::engine::{Assumption, ReasonCode, Trace, Verdict, trace};
use vnetlab::model::{
    Access, Appliance, Design, Direction, Flow, ForwardedTraffic, NextHop, Nsg, NsgRule, Protocol,
    Route, RouteTable, VnetAccessMode,
};

fn load(name: &str) -> Design {
    vnetlab::io::load_design(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("saves")
            .join(name),
    )
    .expect("bundled save")
}

fn traced(d: &Design, from: &str, to: &str) -> Trace {
    trace(d, from, to, Flow::DEFAULT).expect("endpoints exist")
}

/// Applies the fix of the first `code` blocker and returns the new design.
fn apply_fix(d: &Design, from: &str, to: &str, code: ReasonCode) -> Design {
    let t = traced(d, from, to);
    let blocker = t
        .blockers
        .iter()
        .find(|b| b.code == code)
        .unwrap_or_else(|| panic!("no {code} blocker on {from} → {to}: {:#?}", t.blockers));
    let fix = blocker
        .fix
        .as_ref()
        .unwrap_or_else(|| panic!("the {code} blocker has no fix"));
    let mut fixed = d.clone();
    fix.edit
        .apply(&mut fixed)
        .unwrap_or_else(|e| panic!("fix `{}` refused: {e}", fix.description));
    fixed
}

/// Applies fixes until the pair is reachable (each fix must remove the blocker it is for).
fn fix_until_reachable(mut d: Design, from: &str, to: &str) -> Design {
    for _ in 0..6 {
        let t = traced(&d, from, to);
        let Some(first) = t.blockers.first() else {
            return d;
        };
        let before = t
            .blockers
            .iter()
            .filter(|b| b.code == first.code && b.at == first.at)
            .count();
        d = apply_fix(&d, from, to, first.code);
        let after = traced(&d, from, to)
            .blockers
            .iter()
            .filter(|b| b.code == first.code && b.at == first.at)
            .count();
        assert!(
            after < before,
            "fixing {} at {} did not remove it",
            first.code,
            first.at
        );
    }
    panic!(
        "{from} → {to} still blocked: {:#?}",
        traced(&d, from, to).blockers
    );
}

#[test]
fn unpeered_vnets_are_fixed_by_peering_both_ways() {
    let d = load("01-two-vnets-unpeered.ron");
    assert_eq!(
        traced(&d, "vm-a", "vm-b").blockers[0].code,
        ReasonCode::RouteNone
    );
    let fixed = apply_fix(&d, "vm-a", "vm-b", ReasonCode::RouteNone);
    assert_eq!(traced(&fixed, "vm-a", "vm-b").verdict, Verdict::Reachable);
    assert_eq!(traced(&fixed, "vm-b", "vm-a").verdict, Verdict::Reachable);
}

#[test]
fn one_sided_peering_is_fixed_by_creating_the_other_side() {
    let d = load("06-one-sided-peering.ron");
    let fixed = apply_fix(&d, "vm-a", "vm-b", ReasonCode::PeeringNotConnected);
    assert_eq!(traced(&fixed, "vm-a", "vm-b").verdict, Verdict::Reachable);
}

#[test]
fn disconnected_peering_is_fixed_by_recreating_both_sides() {
    let mut d = Design::example_pair();
    let mut ab = vnetlab::model::Peering::new("a-to-b", "a", "b");
    ab.disconnected = true;
    d.peerings.push(ab);
    let t = traced(&d, "vm-a", "vm-b");
    assert_eq!(t.blockers[0].code, ReasonCode::PeeringNotConnected);
    assert!(
        t.blockers[0].message.contains("Disconnected"),
        "{}",
        t.blockers[0].message
    );
    let fixed = apply_fix(&d, "vm-a", "vm-b", ReasonCode::PeeringNotConnected);
    assert_eq!(traced(&fixed, "vm-a", "vm-b").verdict, Verdict::Reachable);
}

#[test]
fn stale_address_space_is_fixed_by_syncing() {
    let d = load("07-address-space-sync.ron");
    let fixed = apply_fix(&d, "vm-a", "vm-b2", ReasonCode::AddressSpaceNotSynced);
    assert_eq!(traced(&fixed, "vm-a", "vm-b2").verdict, Verdict::Reachable);
}

#[test]
fn nsg_deny_is_fixed_by_an_allow_rule_above_it() {
    let d = load("05-nsg-blocks-peered.ron");
    let t = traced(&d, "vm-a", "vm-b");
    let nsg = t
        .blockers
        .iter()
        .find(|b| b.code == ReasonCode::NsgDeny)
        .expect("an NSG blocks");
    assert!(t.blockers.iter().all(|b| b.code == ReasonCode::NsgDeny));
    assert!(
        nsg.message.contains(&nsg.at),
        "the message names the NSG: {}",
        nsg.message
    );
    let fixed = apply_fix(&d, "vm-a", "vm-b", ReasonCode::NsgDeny);
    assert_eq!(traced(&fixed, "vm-a", "vm-b").verdict, Verdict::Reachable);
}

#[test]
fn default_deny_is_fixed_and_a_full_priority_range_falls_back_to_removing_the_rule() {
    let mut d = load("02-non-transitive.ron");
    let mut nsg = Nsg::new("tight");
    let mut deny = NsgRule::new(
        "deny-all-in",
        100,
        Direction::Inbound,
        Access::Deny,
        Protocol::Any,
    );
    deny.description = Some("blocks everything at the lowest custom priority".into());
    nsg.rules.push(deny);
    d.nsgs.push(nsg);
    d.vnets[1].subnets[0].nsg = Some("tight".into());
    let to = d
        .vms
        .iter()
        .find(|v| v.nics[0].subnet.vnet == d.vnets[1].name)
        .expect("a VM in b")
        .name
        .clone();
    let from = d
        .vms
        .iter()
        .find(|v| v.name != to && v.nics[0].subnet.vnet == d.vnets[0].name)
        .expect("a VM in a")
        .name
        .clone();
    assert_eq!(traced(&d, &from, &to).verdict, Verdict::Blocked);
    let fixed = fix_until_reachable(d, &from, &to);
    assert!(
        fixed
            .nsg("tight")
            .expect("kept")
            .rules
            .iter()
            .all(|r| r.name != "deny-all-in")
    );
}

#[test]
fn hub_and_spoke_breakages_are_each_fixed() {
    let base = load("03-hub-spoke-nva.ron");
    assert_eq!(
        traced(&base, "vm-spoke1", "vm-spoke2").verdict,
        Verdict::Reachable
    );

    let mut no_forwarding = base.clone();
    no_forwarding.vms[0].nics[0].ip_forwarding = false;
    let t = traced(&no_forwarding, "vm-spoke1", "vm-spoke2");
    assert!(
        t.blockers
            .iter()
            .any(|b| b.code == ReasonCode::IpForwardingDisabled && b.at == "nva1")
    );
    fix_until_reachable(no_forwarding, "vm-spoke1", "vm-spoke2");

    let mut no_forwarded_traffic = base.clone();
    for p in &mut no_forwarded_traffic.peerings {
        if p.local == "spoke2" {
            p.allow_forwarded_traffic = false;
        }
    }
    let t = traced(&no_forwarded_traffic, "vm-spoke1", "vm-spoke2");
    let b = t
        .blockers
        .iter()
        .find(|b| b.code == ReasonCode::ForwardedTrafficBlocked)
        .expect("forwarded blocked");
    assert_eq!(
        b.assumption,
        Some(Assumption::ForwardedTraffic(ForwardedTraffic::Enforce))
    );
    assert_eq!(
        b.assumption.map(|a| a.to_string()).as_deref(),
        Some("forwarded_traffic=Enforce")
    );
    fix_until_reachable(no_forwarded_traffic, "vm-spoke1", "vm-spoke2");

    let mut firewall = base.clone();
    firewall.vms[0].appliance = Some(Appliance::firewall());
    let t = traced(&firewall, "vm-spoke1", "vm-spoke2");
    assert!(
        t.blockers
            .iter()
            .any(|b| b.code == ReasonCode::ApplianceDeny),
        "{:#?}",
        t.blockers
    );
    fix_until_reachable(firewall, "vm-spoke1", "vm-spoke2");

    let mut dropped = base.clone();
    dropped.route_tables[0].routes.push(Route {
        name: "drop-spoke2-web".into(),
        prefix: "10.2.1.0/24".parse().expect("literal"),
        next_hop: NextHop::None,
    });
    assert_eq!(
        traced(&dropped, "vm-spoke1", "vm-spoke2").blockers[0].code,
        ReasonCode::RouteNone
    );
    fix_until_reachable(dropped, "vm-spoke1", "vm-spoke2");
}

#[test]
fn access_off_is_fixed_and_names_its_assumption() {
    let mut d = Design::example_pair();
    let mut ab = vnetlab::model::Peering::new("a-to-b", "a", "b");
    ab.allow_virtual_network_access = false;
    d.peerings.push(ab);
    d.peerings
        .push(vnetlab::model::Peering::new("b-to-a", "b", "a"));
    let t = traced(&d, "vm-a", "vm-b");
    let b = t
        .blockers
        .iter()
        .find(|b| b.code == ReasonCode::PeeringVnetAccessBlocked)
        .expect("access blocked");
    assert_eq!(
        b.assumption,
        Some(Assumption::VnetAccessDisabled(
            VnetAccessMode::DocumentedIntent
        ))
    );
    assert_eq!(
        b.assumption.map(|a| a.to_string()).as_deref(),
        Some("vnet_access_disabled=DocumentedIntent")
    );
    assert_eq!(
        t.blockers.len(),
        1,
        "no NSG, so only the access flag blocks: {:#?}",
        t.blockers
    );
    fix_until_reachable(d, "vm-a", "vm-b");
}

#[test]
fn gateway_transit_and_propagation_are_fixed() {
    let d = load("04-gateway-transit.ron");
    // spoke2 does not use the hub's gateway.
    assert_eq!(
        traced(&d, "vm-spoke2", "branch-host").verdict,
        Verdict::Blocked
    );
    fix_until_reachable(d.clone(), "vm-spoke2", "branch-host");
    assert_eq!(
        traced(&d, "branch-host", "vm-spoke2").blockers[0].code,
        ReasonCode::NotAdvertised
    );
    fix_until_reachable(d.clone(), "branch-host", "vm-spoke2");

    // spoke1 stops propagating gateway routes.
    let mut quiet = d.clone();
    let mut table = RouteTable::new("rt-quiet");
    table.propagate_gateway_routes = false;
    quiet.route_tables.push(table);
    let spoke1 = quiet.vnet_mut("spoke1").expect("spoke1");
    spoke1.subnets[0].route_table = Some("rt-quiet".into());
    let t = traced(&quiet, "vm-spoke1", "branch-host");
    assert_eq!(t.blockers[0].code, ReasonCode::RouteNone);
    assert!(
        t.blockers[0].message.contains("rt-quiet"),
        "{}",
        t.blockers[0].message
    );
    fix_until_reachable(quiet, "vm-spoke1", "branch-host");
}

#[test]
fn asymmetric_stateful_path_is_fixed_by_steering_the_reply() {
    let mut d = load("03-hub-spoke-nva.ron");
    d.vms[0].appliance = Some(Appliance {
        stateful: true,
        ..Appliance::nva()
    });
    // Peer the spokes directly and drop spoke2's UDR: the reply skips the NVA.
    d.peerings.push(vnetlab::model::Peering::new(
        "spoke1-to-spoke2",
        "spoke1",
        "spoke2",
    ));
    d.peerings.push(vnetlab::model::Peering::new(
        "spoke2-to-spoke1",
        "spoke2",
        "spoke1",
    ));
    d.route_tables[1].routes.clear();
    let t = traced(&d, "vm-spoke1", "vm-spoke2");
    assert_eq!(
        t.blockers.iter().map(|b| b.code).collect::<Vec<_>>(),
        [ReasonCode::AsymmetricStatefulDrop]
    );
    fix_until_reachable(d, "vm-spoke1", "vm-spoke2");
}

/// Applies the first blocker's fix once and asserts the pair is then reachable both ways: one
/// edit is the whole repair.
fn one_fix_makes_it_reachable(d: &Design, from: &str, to: &str, code: ReasonCode) -> Design {
    let fixed = apply_fix(d, from, to, code);
    for (a, b) in [(from, to), (to, from)] {
        let t = traced(&fixed, a, b);
        assert_eq!(
            t.verdict,
            Verdict::Reachable,
            "{a} → {b} after the fix: {:#?}",
            t.blockers
        );
    }
    fixed
}

#[test]
fn startup_spoke_without_its_side_of_the_hub_peering_is_told_to_create_it() {
    let d = vnetlab::io::load_design(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/designs/hub-spoke.ron"),
    )
    .expect("start-up design");
    let t = traced(&d, "vm-app3", "hq-web");
    let blocker = &t.blockers[0];
    assert_eq!(blocker.code, ReasonCode::PeeringNotConnected);
    assert_eq!(blocker.at, "peering `hub-to-spoke3`");
    assert!(blocker.message.contains("gateway"), "{}", blocker.message);
    let fixed =
        one_fix_makes_it_reachable(&d, "vm-app3", "hq-web", ReasonCode::PeeringNotConnected);
    let created = fixed
        .peering_between("spoke3", "hub")
        .expect("the fix creates spoke3's side");
    assert!(created.use_remote_gateways);

    // From the office side the same root cause is named, with the same repair.
    let back = traced(&d, "hq-web", "vm-app3");
    assert_eq!(back.blockers[0].code, ReasonCode::NotAdvertised);
    assert_eq!(back.blockers[0].fix, blocker.fix);
}

#[test]
fn spoke_not_using_the_gateway_is_fixed_in_one_edit() {
    // T26: spoke2 is peered both ways without gateway transit on either side.
    let d = load("04-gateway-transit.ron");
    let fixed = one_fix_makes_it_reachable(&d, "vm-spoke2", "branch-host", ReasonCode::RouteNone);
    assert!(
        fixed
            .peering("spoke2-to-hub")
            .is_some_and(|p| p.use_remote_gateways)
    );
    assert!(
        fixed
            .peering("hub-to-spoke2")
            .is_some_and(|p| p.allow_gateway_transit)
    );
}

#[test]
fn one_sided_gateway_peering_with_propagation_off_is_fixed_in_one_edit() {
    // T31 and a missing spoke side at once: the fix must repair both.
    let mut d = load("04-gateway-transit.ron");
    d.peerings.retain(|p| p.name != "spoke1-to-hub");
    let mut table = RouteTable::new("rt-quiet");
    table.propagate_gateway_routes = false;
    d.route_tables.push(table);
    d.vnet_mut("spoke1").expect("spoke1").subnets[0].route_table = Some("rt-quiet".into());
    let t = traced(&d, "vm-spoke1", "branch-host");
    assert_eq!(
        t.blockers[0].code,
        ReasonCode::PeeringNotConnected,
        "{:#?}",
        t.blockers
    );
    assert_eq!(t.blockers[0].at, "peering `hub-to-spoke1`");
    let fixed = one_fix_makes_it_reachable(
        &d,
        "vm-spoke1",
        "branch-host",
        ReasonCode::PeeringNotConnected,
    );
    assert!(
        fixed
            .route_table("rt-quiet")
            .is_some_and(|t| t.propagate_gateway_routes)
    );
}

#[test]
fn disconnected_gateway_peering_is_recreated_with_transit() {
    let mut d = load("04-gateway-transit.ron");
    d.peerings.retain(|p| p.name != "hub-to-spoke1");
    if let Some(p) = d.peerings.iter_mut().find(|p| p.name == "spoke1-to-hub") {
        p.disconnected = true;
    }
    let t = traced(&d, "vm-spoke1", "branch-host");
    assert_eq!(
        t.blockers[0].code,
        ReasonCode::GatewayNotTransit,
        "{:#?}",
        t.blockers
    );
    let fixed = one_fix_makes_it_reachable(
        &d,
        "vm-spoke1",
        "branch-host",
        ReasonCode::GatewayNotTransit,
    );
    assert!(
        fixed
            .peering("hub-to-spoke1")
            .is_some_and(|p| p.allow_gateway_transit)
    );
}

#[test]
fn vnet_not_peered_with_the_gateway_hub_is_told_to_peer_with_transit() {
    let mut d = load("04-gateway-transit.ron");
    d.peerings.retain(|p| !p.name.contains("spoke2"));
    let t = traced(&d, "vm-spoke2", "branch-host");
    assert_eq!(t.blockers[0].code, ReasonCode::RouteNone);
    assert!(
        t.blockers[0].message.contains("not peered"),
        "{}",
        t.blockers[0].message
    );
    one_fix_makes_it_reachable(&d, "vm-spoke2", "branch-host", ReasonCode::RouteNone);

    // A VNet with a gateway of its own cannot use the hub's: no fix pretends otherwise.
    let mut own = d.clone();
    let mut gateway = own.gateways[0].clone();
    gateway.name = "vpngw-spoke2".into();
    gateway.vnet = "spoke2".into();
    own.gateways.push(gateway);
    let t = traced(&own, "vm-spoke2", "branch-host");
    assert!(
        t.blockers.iter().all(|b| b.fix.is_none()),
        "{:#?}",
        t.blockers
    );
}

/// T27 on the bundled design: spoke1 asks for the hub's gateway while it has one of its own.
fn spoke_with_own_gateway() -> Design {
    let mut d = load("04-gateway-transit.ron");
    let mut own = d.gateways[0].clone();
    own.name = "vpngw-spoke1".into();
    own.vnet = "spoke1".into();
    d.gateways.push(own);
    d
}

#[test]
fn unused_own_gateway_of_a_transit_spoke_is_removed() {
    let d = spoke_with_own_gateway();
    let t = traced(&d, "vm-spoke1", "branch-host");
    assert_eq!(
        t.blockers[0].code,
        ReasonCode::GatewayNotTransit,
        "{:#?}",
        t.blockers
    );
    let fixed = one_fix_makes_it_reachable(
        &d,
        "vm-spoke1",
        "branch-host",
        ReasonCode::GatewayNotTransit,
    );
    assert!(fixed.gateway("vpngw-spoke1").is_none());
    assert!(
        fixed
            .peering("spoke1-to-hub")
            .is_some_and(|p| p.use_remote_gateways)
    );
}

#[test]
fn own_gateway_in_use_keeps_it_and_unsets_use_remote_gateways() {
    // spoke1's gateway connects another office, so it is in use.
    let mut d = spoke_with_own_gateway();
    let mut office = d.sites[0].clone();
    office.name = "office".into();
    office.prefixes = vec!["172.20.0.0/16".parse().expect("literal CIDR")];
    office.hosts.clear();
    d.sites.push(office);
    let mut connection = d.connections[0].clone();
    connection.name = "spoke1-to-office".into();
    connection.gateway = "vpngw-spoke1".into();
    connection.remote = vnetlab::model::ConnectionRemote::Site("office".into());
    d.connections.push(connection);
    let fixed = apply_fix(
        &d,
        "vm-spoke1",
        "branch-host",
        ReasonCode::GatewayNotTransit,
    );
    assert!(
        fixed.gateway("vpngw-spoke1").is_some(),
        "a gateway with a connection stays"
    );
    assert!(
        fixed
            .peering("spoke1-to-hub")
            .is_some_and(|p| !p.use_remote_gateways)
    );
    let t = traced(&fixed, "vm-spoke1", "branch-host");
    assert!(
        t.blockers
            .iter()
            .all(|b| b.code != ReasonCode::GatewayNotTransit),
        "{:#?}",
        t.blockers
    );
}
