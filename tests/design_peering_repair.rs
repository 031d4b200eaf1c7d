//! The one rule for the reverse of a peering link (`Peering::reverse_for`) and the one repair
//! of a Disconnected link (`edit::peering::recreate`): which settings the new link gets, and that
//! lint's fixes built on them really connect the pair, NVA paths included. Sources:
//! azure-semantics.md §1.4 (states, recreating), §1.5 (the four settings, forwarded traffic),
//! §1.6 V4–V9 (gateway settings Azure refuses or ignores), §1.9 V13 (subnet peerings mirrored).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod lint_common;

use lint_common::*;
use std::path::Path;
use vnetlab::edit::{Edit, ObjectRef, peering};
use vnetlab::engine::{Verdict, trace};
use vnetlab::lint::Severity::Warning;
use vnetlab::model::{
    Design, Flow, GatewaySku, ObjectKind, Peering, PeeringFlag, PeeringState, Subnet,
};

fn load(name: &str) -> Design {
    vnetlab::io::load_design(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("saves")
            .join(name),
    )
    .unwrap()
}

/// `pair()` with a VpnGw1 gateway in `vnet-a` (the hub) and the hub side only: `a-to-b`
/// allowing gateway transit.
fn hub_side_only() -> Design {
    let mut d = pair();
    add_gateway(&mut d, "vnet-a");
    let mut hub_side = Peering::new("a-to-b", "vnet-a", "vnet-b");
    hub_side.allow_gateway_transit = true;
    d.peerings.push(hub_side);
    d
}

#[test]
fn a_hub_side_offering_transit_gets_a_spoke_side_using_it() {
    let d = hub_side_only();
    let back = d.peerings[0].reverse_for(&d);
    assert_eq!(
        (
            back.name.as_str(),
            back.local.as_str(),
            back.remote.as_str()
        ),
        ("vnet-b-to-vnet-a", "vnet-b", "vnet-a")
    );
    assert!(back.use_remote_gateways && !back.allow_gateway_transit);
    assert!(back.allow_virtual_network_access && !back.allow_forwarded_traffic);
    let mut connected = d.clone();
    connected.peerings.push(back.clone());
    assert!(connected.validate().is_empty());
    assert!(connected.peering_violations(&back).is_empty());
}

#[test]
fn use_remote_gateways_is_left_off_wherever_azure_would_refuse_or_ignore_it() {
    // V4: the spoke has a gateway of its own.
    let mut own = hub_side_only();
    add_gateway(&mut own, "vnet-b");
    assert!(!own.peerings[0].reverse_for(&own).use_remote_gateways);
    // V6: the spoke already uses another hub's gateway.
    let mut other = hub_side_only();
    other.vnets.push(vnet("vnet-c", "10.3.0.0/16"));
    add_gateway(&mut other, "vnet-c");
    let mut elsewhere = Peering::new("b-to-c", "vnet-b", "vnet-c");
    elsewhere.use_remote_gateways = true;
    other.peerings.push(elsewhere);
    assert!(!other.peerings[0].reverse_for(&other).use_remote_gateways);
    // V9: the hub's gateway is Basic, which cannot do transit.
    let mut basic = hub_side_only();
    basic.gateways[0].sku = GatewaySku::Basic;
    assert!(!basic.peerings[0].reverse_for(&basic).use_remote_gateways);
    // V5: the "hub" has no gateway at all.
    let mut none = hub_side_only();
    none.gateways.clear();
    assert!(!none.peerings[0].reverse_for(&none).use_remote_gateways);
}

#[test]
fn a_spoke_side_using_the_hub_gets_a_hub_side_allowing_transit_only_with_a_gateway() {
    let mut d = pair();
    add_gateway(&mut d, "vnet-b");
    let mut spoke_side = Peering::new("a-to-b", "vnet-a", "vnet-b");
    spoke_side.use_remote_gateways = true;
    d.peerings.push(spoke_side);
    let back = d.peerings[0].reverse_for(&d);
    assert!(back.allow_gateway_transit && !back.use_remote_gateways);
    d.gateways.clear();
    assert!(!d.peerings[0].reverse_for(&d).allow_gateway_transit);
}

#[test]
fn names_are_numbered_and_subnet_lists_mirrored() {
    let mut d = pair();
    d.vnets[1]
        .subnets
        .push(Subnet::new("db", net("10.2.2.0/24")));
    let mut link = Peering::new("a-to-b", "vnet-a", "vnet-b");
    link.local_subnets = vec!["default".into()];
    link.remote_subnets = vec!["db".into()];
    d.peerings.push(link);
    // Some other link already has the conventional name.
    d.vnets.push(vnet("vnet-c", "10.3.0.0/16"));
    d.peerings
        .push(Peering::new("vnet-b-to-vnet-a", "vnet-c", "vnet-a"));
    let back = d.peerings[0].reverse_for(&d);
    assert_eq!(back.name, "vnet-b-to-vnet-a-2");
    assert_eq!(back.local_subnets, ["db"]);
    assert_eq!(back.remote_subnets, ["default"]);
    d.peerings.push(back);
    quiet(&d, "PEERING_SUBNET_LISTS_MISMATCH");
    assert_eq!(d.peering_state(&d.peerings[0]), PeeringState::Connected);
}

/// The review's case (code-review H2): a spoke whose side of the hub peering is missing, in a
/// hub-and-spoke design where spoke-to-spoke traffic goes through the hub's NVA. The hub side
/// does not allow forwarded traffic, so mirroring it alone would leave the pair blocked by
/// FORWARDED_TRAFFIC_BLOCKED; the reverse link allows it because routes lead to the hub's NVA.
#[test]
fn the_missing_side_of_an_nva_hub_accepts_forwarded_traffic_and_the_pair_connects() {
    let mut d = load("03-hub-spoke-nva.ron");
    peering_mut(&mut d, "hub-to-spoke1").allow_forwarded_traffic = false;
    Edit::Withdraw(ObjectRef::new(ObjectKind::Peering, "spoke1-to-hub"))
        .apply(&mut d)
        .unwrap();
    let blocked = trace(&d, "vm-spoke2", "vm-spoke1", Flow::DEFAULT).unwrap();
    assert_eq!(blocked.verdict, Verdict::Blocked);
    expect(&d, "PEERING_INITIATED", "hub-to-spoke1", Warning);
    let fixed = fix_clears(&d, "PEERING_INITIATED", "hub-to-spoke1");
    let back = fixed.peering_between("spoke1", "hub").unwrap();
    assert!(back.allow_forwarded_traffic);
    for (from, to) in [("vm-spoke2", "vm-spoke1"), ("vm-spoke1", "vm-spoke2")] {
        let t = trace(&fixed, from, to, Flow::DEFAULT).unwrap();
        assert_eq!(
            t.verdict,
            Verdict::Reachable,
            "{from} → {to}: {:#?}",
            t.blockers
        );
    }
}

#[test]
fn the_add_reverse_fix_names_the_settings_it_sets() {
    let d = hub_side_only();
    let diag = expect(&d, "PEERING_INITIATED", "a-to-b", Warning);
    assert_eq!(
        diag.fix.unwrap().description,
        "add peering `vnet-b-to-vnet-a` from `vnet-b` to `vnet-a` with use remote gateways, matching `a-to-b`"
    );
}

#[test]
fn recreating_keeps_the_position_and_settings_and_reconnects_both_sides() {
    let mut d = peered_pair();
    let forwarded = PeeringFlag::AllowForwardedTraffic;
    forwarded.set(peering_mut(&mut d, "a-to-b"), true);
    // Deleting one side of the connected pair leaves the other Disconnected.
    Edit::Remove(ObjectRef::new(ObjectKind::Peering, "b-to-a"))
        .apply(&mut d)
        .unwrap();
    let disconnected = d.peering("a-to-b").unwrap().clone();
    assert!(disconnected.disconnected);
    let repair = peering::recreate(&d, &disconnected);
    assert_eq!(repair.also_recreated, None);
    assert_eq!(
        repair.added.as_ref().map(|p| p.name.as_str()),
        Some("vnet-b-to-vnet-a")
    );
    let mut fixed = d.clone();
    let undo = repair.edit.apply(&mut fixed).unwrap();
    assert_eq!(fixed.peerings[0].name, "a-to-b", "recreated in place");
    assert!(forwarded.get(&fixed.peerings[0]));
    assert_eq!(
        fixed.peering_state(&fixed.peerings[0]),
        PeeringState::Connected
    );
    undo.apply(&mut fixed).unwrap();
    assert_eq!(fixed, d, "undo restores the disconnected link exactly");
}

#[test]
fn two_disconnected_sides_are_recreated_together() {
    let mut d = peered_pair();
    for link in ["a-to-b", "b-to-a"] {
        peering_mut(&mut d, link).disconnected = true;
    }
    let repair = peering::recreate(&d, d.peering("a-to-b").unwrap());
    assert_eq!(repair.also_recreated.as_deref(), Some("b-to-a"));
    assert_eq!(repair.added, None);
    repair.edit.apply(&mut d).unwrap();
    for link in &d.peerings {
        assert_eq!(
            d.peering_state(link),
            PeeringState::Connected,
            "{}",
            link.name
        );
    }
}
