//! Scenario tests of azure-semantics.md §12, part 2: network security groups (T14–T18, T50):
//! first match by priority, inbound subnet-then-NIC and outbound NIC-then-subnet order, stateful
//! replies, and the VirtualNetwork tag widened by a 0.0.0.0/0 UDR. Out-of-scope scenarios are
//! listed in `scenarios_peering.rs`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::engine::ReasonCode::*;
use vnetlab::model::Access::{Allow, Deny};
use vnetlab::model::Design;
use vnetlab::model::Direction::{Inbound, Outbound};
use vnetlab::model::Protocol::{Any, Tcp};

fn a_peered_with_b() -> Design {
    let mut d = design();
    standard_a(&mut d);
    standard_b(&mut d);
    peer_both(&mut d, "A", "B");
    d
}

#[test]
fn t14_first_matching_rule_decides_per_port() {
    let mut d = a_peered_with_b();
    nsg_rule(
        &mut d,
        "nsg-b",
        rule(
            "deny-ssh-from-a",
            100,
            Inbound,
            Deny,
            Tcp,
            "10.1.0.0/16",
            "22",
        ),
    );
    nsg_on_subnet(&mut d, "nsg-b", "B/s1");
    evaluate(&d, "vmA1", "vmB1", "tcp/22")
        .assert_blocked(&[NsgDeny])
        .assert_blocker_mentions(NsgDeny, "nsg-b")
        .assert_blocker_mentions(NsgDeny, "deny-ssh-from-a")
        .assert_fixes_work(&d);
    // Port 443 passes the custom rule and is allowed by the default AllowVnetInBound.
    let https = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    https.assert_reachable();
    assert!(
        https
            .trace
            .forward
            .iter()
            .any(|h| h.step == "nsg-in" && h.detail.contains("AllowVnetInBound")),
        "{:#?}",
        https.trace.forward
    );
}

#[test]
fn t15_inbound_needs_both_the_subnet_and_the_nic_nsg() {
    let mut d = design();
    standard_a(&mut d);
    subnet(&mut d, "A", "s2", "10.1.2.0/24");
    vm(&mut d, "vmA2", "A/s2", "10.1.2.4");
    nsg_rule(
        &mut d,
        "nsg-s2",
        rule(
            "allow-sql",
            100,
            Inbound,
            Allow,
            Tcp,
            "VirtualNetwork",
            "1433",
        ),
    );
    nsg_on_subnet(&mut d, "nsg-s2", "A/s2");
    nsg_rule(
        &mut d,
        "nsg-vmA2",
        rule(
            "deny-sql",
            200,
            Inbound,
            Deny,
            Tcp,
            "VirtualNetwork",
            "1433",
        ),
    );
    nsg_on_nic(&mut d, "nsg-vmA2", "vmA2");
    evaluate(&d, "vmA1", "vmA2", "tcp/1433")
        .assert_blocked(&[NsgDeny])
        .assert_blocker_mentions(NsgDeny, "nsg-vmA2");
    // The subnet NSG alone allows it: the NIC NSG is what blocks.
    let mut subnet_only = d.clone();
    subnet_only.vms[1].nics[0].nsg = None;
    evaluate(&subnet_only, "vmA1", "vmA2", "tcp/1433").assert_reachable();
}

#[test]
fn t16_outbound_nic_nsg_blocks_before_routing() {
    let mut d = a_peered_with_b();
    nsg_rule(
        &mut d,
        "nsg-vmA1",
        rule("deny-b", 100, Outbound, Deny, Any, "10.2.0.0/16", "*"),
    );
    nsg_on_nic(&mut d, "nsg-vmA1", "vmA1");
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome
        .assert_blocked(&[NsgDeny])
        .assert_blocker_mentions(NsgDeny, "nsg-vmA1");
    let hops = &outcome.trace.forward;
    let denied = hops
        .iter()
        .position(|h| h.step == "nsg-out" && h.decision == "deny");
    let routed = hops.iter().position(|h| h.step == "route");
    assert!(
        denied.is_some() && routed.is_none_or(|r| Some(r) > denied),
        "the NIC NSG decides before the route lookup: {hops:#?}"
    );
}

#[test]
fn t17_lower_priority_number_wins() {
    let mut d = a_peered_with_b();
    nsg_rule(
        &mut d,
        "nsg-b",
        rule("deny-vm-a1", 100, Inbound, Deny, Any, "10.1.1.4", "*"),
    );
    nsg_rule(
        &mut d,
        "nsg-b",
        rule("allow-vm-a1", 200, Inbound, Allow, Any, "10.1.1.4/32", "*"),
    );
    nsg_on_subnet(&mut d, "nsg-b", "B/s1");
    evaluate(&d, "vmA1", "vmB1", "tcp/443")
        .assert_blocked(&[NsgDeny])
        .assert_blocker_mentions(NsgDeny, "deny-vm-a1");
    // Swap the priorities: the allow now comes first.
    let rules = &mut d.nsgs[0].rules;
    rules[0].priority = 200;
    rules[1].priority = 100;
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
}

#[test]
fn t18_nsgs_are_stateful_replies_pass_an_inbound_deny() {
    let mut d = a_peered_with_b();
    nsg_rule(
        &mut d,
        "nsg-b",
        rule("deny-a", 100, Inbound, Deny, Any, "10.1.0.0/16", "*"),
    );
    nsg_on_subnet(&mut d, "nsg-b", "B/s1");
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[NsgDeny]);
    // B opens the connection; A's reply into B is part of an allowed flow.
    evaluate(&d, "vmB1", "vmA1", "tcp/443").assert_reachable();
}

/// T50: A's subnet sends 0.0.0.0/0 to the hub NVA; its NSG allows VirtualNetwork (100) before
/// denying Internet (110). The internet destination 8.8.8.8 is a host of an unconnected site,
/// so that it is an endpoint the engine can trace to.
fn forced_tunnel() -> Design {
    let mut d = design();
    standard_hub(&mut d);
    standard_a(&mut d);
    peer_both(&mut d, "A", "H");
    udr(&mut d, "A/s1", "0.0.0.0/0", appliance("10.0.1.4"));
    nsg_rule(
        &mut d,
        "nsg-a",
        rule(
            "allow-vnet-out",
            100,
            Outbound,
            Allow,
            Any,
            "VirtualNetwork",
            "*",
        ),
    );
    nsg_rule(
        &mut d,
        "nsg-a",
        rule(
            "deny-internet-out",
            110,
            Outbound,
            Deny,
            Any,
            "Internet",
            "*",
        ),
    );
    nsg_on_subnet(&mut d, "nsg-a", "A/s1");
    site(
        &mut d,
        "internet",
        &["8.8.8.0/24"],
        &[("public-dns", "8.8.8.8")],
    );
    d
}

#[test]
fn t50_default_route_widens_the_virtual_network_tag_to_everything() {
    let d = forced_tunnel();
    assert!(d.assumptions.vnet_tag_widens_with_default_route);
    let outcome = evaluate(&d, "vmA1", "public-dns", "tcp/443");
    assert!(!outcome.codes.contains(&NsgDeny), "{outcome:#?}");
    let decided = outcome.trace.forward.iter().find(|h| h.step == "nsg-out");
    assert!(
        decided.is_some_and(|h| h.decision == "allow" && h.detail.contains("allow-vnet-out")),
        "the priority-100 VirtualNetwork rule decides: {:#?}",
        outcome.trace.forward
    );
    assert_eq!(
        route_for(&d, "A/s1", "8.8.8.8").next_hop_type,
        "VirtualAppliance"
    );

    // With the assumption off, 8.8.8.8 is Internet and the priority-110 rule denies it.
    let mut literal = d.clone();
    literal.assumptions.vnet_tag_widens_with_default_route = false;
    let outcome = evaluate(&literal, "vmA1", "public-dns", "tcp/443");
    outcome
        .assert_blocker_mentions(NsgDeny, "deny-internet-out")
        .assert_blocker_names_assumption(NsgDeny, "vnet_tag_widens_with_default_route");
}
