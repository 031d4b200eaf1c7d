//! Subnet-level peering (issue 11, item 2): the overlap rule (V1) looks only at the peered
//! subnets' address ranges, and the sync level compares the peered subnets, so a subnet peering
//! exported `FullyInSync` raises no sync warning and no sync fix.
//!
//! Sources, named per test: how-to-configure-subnet-peering.md ("Subnet peering checks and
//! limitations": participating subnets unique and in unique address spaces, the A–C example;
//! non-participating subnets see the routes but their packets are dropped), real
//! `az network vnet peering show` exports of subnet peerings (`peeringSyncLevel: FullyInSync`
//! with `remoteAddressSpace` equal to the peered subnets), azure-semantics.md §1.4 and §1.9.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::engine::ReasonCode::*;
use vnetlab::lint::Code;
use vnetlab::model::{Design, PeeringViolation, SyncLevel};

/// A (s1 = 10.1.1.0/24, s2 = 10.1.2.0/24) and B (s1 = 10.2.1.0/24, s2 = 10.2.2.0/24), one VM in
/// each subnet (`vmX1`, `vmX2` at .4), subnet-peered A/s1 ↔ B/s1 on both links.
fn subnet_peered() -> Design {
    let mut d = design();
    standard_a(&mut d);
    standard_b(&mut d);
    for (vnet_name, octet) in [("A", 1u8), ("B", 2)] {
        subnet(&mut d, vnet_name, "s2", &format!("10.{octet}.2.0/24"));
        vm(
            &mut d,
            &format!("vm{vnet_name}2"),
            &format!("{vnet_name}/s2"),
            &format!("10.{octet}.2.4"),
        );
    }
    peer_both(&mut d, "A", "B");
    subnet_level(&mut d, "A", "B", &["s1"], &["s1"]);
    d
}

fn lint_codes(d: &Design) -> Vec<Code> {
    vnetlab::lint::check(d)
        .into_iter()
        .map(|x| x.code)
        .collect()
}

/// Source: how-to-configure-subnet-peering.md (only the listed subnets are peered).
#[test]
fn only_the_listed_subnets_reach_each_other() {
    let d = subnet_peered();
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
    evaluate(&d, "vmB1", "vmA1", "tcp/443").assert_reachable();
    // A's subnets carry a route to B/s1 only.
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VNetPeering"
    );
    assert_eq!(route_for(&d, "A/s1", "10.2.2.4").next_hop_type, "None");
    // An unlisted destination subnet: no route over the peering, and the blocker says why.
    evaluate(&d, "vmA1", "vmB2", "tcp/443")
        .assert_blocked(&[SubnetNotInSubnetPeering])
        .assert_blocker_mentions(SubnetNotInSubnetPeering, "s2");
}

/// Source: how-to-configure-subnet-peering.md, "Subnet peering checks and limitations", item 4:
/// a subnet that is not part of the peering still sees the route to the peered remote subnet,
/// but its packets are dropped before they reach the VM.
#[test]
fn an_unlisted_source_subnet_has_the_route_but_its_packets_are_dropped() {
    let d = subnet_peered();
    assert_eq!(
        route_for(&d, "A/s2", "10.2.1.4").next_hop_type,
        "VNetPeering"
    );
    evaluate(&d, "vmA2", "vmB1", "tcp/443").assert_blocked(&[SubnetNotInSubnetPeering]);
}

/// Source: real exports of subnet peerings (`FullyInSync`, `remoteAddressSpace` equal to the
/// peered subnets): the sync level compares the peered subnets, so there is no warning and no
/// sync to offer.
#[test]
fn a_subnet_peering_as_exported_is_in_sync_and_offers_no_sync() {
    let mut d = subnet_peered();
    peering_mut(&mut d, "A", "B").remote_address_space = Some(vec![cidr("10.2.1.0/24")]);
    peering_mut(&mut d, "B", "A").remote_address_space = Some(vec![cidr("10.1.1.0/24")]);
    for (local, remote) in [("A", "B"), ("B", "A")] {
        let link = d.peering(&link(local, remote)).unwrap();
        assert_eq!(d.sync_level(link), SyncLevel::FullyInSync);
    }
    assert!(
        !lint_codes(&d).contains(&Code::PeeringNotSynced),
        "{:?}",
        vnetlab::lint::check(&d)
    );
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome.assert_reachable();
    // Adding an unlisted subnet to B changes nothing the link carries.
    subnet(&mut d, "B", "s3", "10.2.3.0/24");
    let link_ab = d.peering(&link("A", "B")).unwrap();
    assert_eq!(d.sync_level(link_ab), SyncLevel::FullyInSync);
    assert!(!lint_codes(&d).contains(&Code::PeeringNotSynced));
}

/// Source: azure-semantics.md §1.4 with how-to-configure-subnet-peering.md: listing one more
/// remote subnet without syncing leaves the link's copy stale for that subnet only; the sync
/// fix clears it.
#[test]
fn a_newly_listed_subnet_needs_a_sync_and_the_fix_syncs() {
    let mut d = subnet_peered();
    peering_mut(&mut d, "A", "B").remote_address_space = Some(vec![cidr("10.2.1.0/24")]);
    peering_mut(&mut d, "B", "A").remote_address_space = Some(vec![cidr("10.1.1.0/24")]);
    peering_mut(&mut d, "A", "B")
        .remote_subnets
        .push("s2".into());
    peering_mut(&mut d, "B", "A")
        .local_subnets
        .push("s2".into());
    let link_ab = d.peering(&link("A", "B")).unwrap();
    assert_eq!(d.sync_level(link_ab), SyncLevel::LocalNotInSync);
    assert!(lint_codes(&d).contains(&Code::PeeringNotSynced));
    let outcome = evaluate(&d, "vmA1", "vmB2", "tcp/443");
    outcome
        .assert_blocked(&[AddressSpaceNotSynced])
        .assert_fixes_work(&d);
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
    let fixed = apply_fix(&d, &outcome, AddressSpaceNotSynced);
    evaluate(&fixed, "vmA1", "vmB2", "tcp/443").assert_reachable();
}

/// Source: how-to-configure-subnet-peering.md: a destination subnet the peering does not list
/// is "not peered", not "not synced", even when the link's snapshot is empty; syncing would not
/// help (the case the fast and reference engines once disagreed on).
#[test]
fn an_unlisted_subnet_behind_an_empty_snapshot_is_not_peered_rather_than_unsynced() {
    let mut d = subnet_peered();
    peering_mut(&mut d, "A", "B").remote_address_space = Some(Vec::new());
    evaluate(&d, "vmA1", "vmB2", "tcp/443").assert_blocked(&[SubnetNotInSubnetPeering]);
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[AddressSpaceNotSynced]);
}

/// The doc's figure: A holds Subnets 1–3 in 10.1.0.0/16 and Subnet 4 in 10.0.0.0/16; C holds
/// 10.1.0.0/16 too (Subnet 6 = 10.1.9.0/24) and Subnet 5 in 10.6.0.0/16.
fn doc_figure(a_subnet: &str) -> Design {
    let mut d = design();
    vnet(&mut d, "A", "10.1.0.0/16");
    vnet_mut(&mut d, "A")
        .address_space
        .push(cidr("10.0.0.0/16"));
    for (name, prefix) in [
        ("subnet-1", "10.1.1.0/24"),
        ("subnet-2", "10.1.2.0/24"),
        ("subnet-3", "10.1.3.0/24"),
        ("subnet-4", "10.0.1.0/24"),
    ] {
        subnet(&mut d, "A", name, prefix);
    }
    vm(&mut d, "vmA1", "A/subnet-1", "10.1.1.4");
    vm(&mut d, "vmA4", "A/subnet-4", "10.0.1.4");
    vnet(&mut d, "C", "10.1.0.0/16");
    vnet_mut(&mut d, "C")
        .address_space
        .push(cidr("10.6.0.0/16"));
    subnet(&mut d, "C", "subnet-5", "10.6.1.0/24");
    subnet(&mut d, "C", "subnet-6", "10.1.9.0/24");
    vm(&mut d, "vmC5", "C/subnet-5", "10.6.1.4");
    peer_both(&mut d, "A", "C");
    subnet_level(&mut d, "A", "C", &[a_subnet], &["subnet-5"]);
    d
}

/// Source: how-to-configure-subnet-peering.md, "Subnet peering checks and limitations", item 1
/// (the A–C example): overlap outside the peered subnets' ranges is accepted.
#[test]
fn v1_accepts_overlap_outside_the_peered_subnets_ranges() {
    let d = doc_figure("subnet-4");
    let link_ac = d.peering(&link("A", "C")).unwrap();
    assert!(
        d.peering_is_valid(link_ac),
        "{:?}",
        d.peering_violations(link_ac)
    );
    evaluate(&d, "vmA4", "vmC5", "tcp/443").assert_reachable();
    evaluate(&d, "vmC5", "vmA4", "tcp/443").assert_reachable();
}

/// Source: the same item 1: A's Subnet 1 lies in 10.1.0.0/16, which C also holds, so Azure
/// refuses to peer it.
#[test]
fn v1_refuses_a_peered_subnet_in_an_overlapping_range() {
    let d = doc_figure("subnet-1");
    let link_ac = d.peering(&link("A", "C")).unwrap();
    let violations = d.peering_violations(link_ac);
    assert!(
        violations.iter().any(|v| matches!(
            v,
            PeeringViolation::SubnetRangeOverlap { subnet, range, .. }
                if subnet == "A/subnet-1" && *range == cidr("10.1.0.0/16")
        )),
        "{violations:?}"
    );
    assert!(!d.peering_is_valid(link_ac));
    evaluate(&d, "vmA1", "vmC5", "tcp/443").assert_blocked(&[PeeringInvalid]);
}
