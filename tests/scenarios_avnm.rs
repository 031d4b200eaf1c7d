//! Azure Virtual Network Manager connectivity configurations (issue 11, item 5): hub-and-spoke
//! with and without direct connectivity and "use hub as a gateway", and mesh connected groups
//! (next hop `ConnectedGroup`, no peering objects, regional unless global, overlapping members
//! dropped).
//!
//! Sources, named per test: concept-connectivity-configuration.md (Azure Virtual Network
//! Manager, "Connectivity configuration"), concept-network-groups.md (static members), and
//! how-to-configure-subnet-peering.md (a subnet peering takes precedence over a connected
//! group; azure-semantics.md §1.9).
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

mod scenarios;

use scenarios::*;
use vnetlab::engine::ReasonCode::*;
use vnetlab::model::Design;

/// Hub H (with workload vmH1 = 10.0.2.4) and spokes A and B in network group `spokes`, under
/// hub-and-spoke configuration `hs`.
fn hub_and_spokes(direct: bool, use_hub_gateway: bool) -> Design {
    let mut d = design();
    standard_hub(&mut d);
    subnet(&mut d, "H", "workload", "10.0.2.0/24");
    vm(&mut d, "vmH1", "H/workload", "10.0.2.4");
    standard_a(&mut d);
    standard_b(&mut d);
    network_group(&mut d, "spokes", &["A", "B"]);
    hub_and_spoke(&mut d, "hs", "H", spokes("spokes", direct, use_hub_gateway));
    d
}

/// Source: concept-connectivity-configuration.md, "Hub-and-spoke topology": the hub is peered
/// with every spoke; without direct connectivity spokes do not reach each other.
#[test]
fn hub_and_spoke_peers_the_hub_with_each_spoke_without_peering_objects() {
    let d = hub_and_spokes(false, false);
    assert!(
        d.peerings.is_empty(),
        "AVNM's peerings are not design objects"
    );
    for spoke in ["vmA1", "vmB1"] {
        evaluate(&d, spoke, "vmH1", "tcp/443").assert_reachable();
        evaluate(&d, "vmH1", spoke, "tcp/443").assert_reachable();
    }
    assert_eq!(
        route_for(&d, "A/s1", "10.0.2.4").next_hop_type,
        "VNetPeering"
    );
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[RouteNone]);
}

/// Source: concept-connectivity-configuration.md, "Direct connectivity": spokes of a group with
/// direct connectivity form a connected group and reach each other directly (next hop
/// `ConnectedGroup`), not through the hub.
#[test]
fn direct_connectivity_joins_the_spokes_in_a_connected_group() {
    let d = hub_and_spokes(true, false);
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome.assert_reachable();
    assert!(
        outcome
            .trace
            .forward
            .iter()
            .any(|h| h.detail.contains("ConnectedGroup")),
        "{:#?}",
        outcome.trace.forward
    );
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "ConnectedGroup"
    );
    // The hub is reached over its peering, not the connected group.
    assert_eq!(
        route_for(&d, "A/s1", "10.0.2.4").next_hop_type,
        "VNetPeering"
    );
}

/// Source: concept-connectivity-configuration.md: direct connectivity is regional unless the
/// spoke group is set global.
#[test]
fn direct_connectivity_is_regional_unless_global() {
    let mut d = hub_and_spokes(true, false);
    vnet_mut(&mut d, "B").region = "westus".parse().unwrap();
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_blocked(&[RouteNone]);
    // The hub still peers with B across regions (global peering).
    evaluate(&d, "vmB1", "vmH1", "tcp/443").assert_reachable();
    d.connectivity[0].groups[0].global = true;
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
}

/// Source: concept-connectivity-configuration.md, "Use hub as a gateway": the spokes use the
/// hub's VPN gateway (gateway transit on the managed peerings).
#[test]
fn use_hub_as_a_gateway_gives_the_spokes_the_hubs_on_premises_routes() {
    let mut d = hub_and_spokes(false, true);
    vpn_gateway(&mut d, "H", "G");
    standard_onprem(&mut d);
    s2s(&mut d, "G", "onprem");
    for spoke in ["vmA1", "vmB1"] {
        evaluate(&d, spoke, "onprem-host", "tcp/443").assert_reachable();
        evaluate(&d, "onprem-host", spoke, "tcp/443").assert_reachable();
    }
    // Without the option the spokes have no gateway routes.
    d.connectivity[0].groups[0].use_hub_gateway = false;
    evaluate(&d, "vmA1", "onprem-host", "tcp/443").assert_blocked(&[RouteNone]);
}

/// Source: concept-connectivity-configuration.md ("use hub as a gateway" needs a gateway in the
/// hub): Azure cannot create the spokes' side, so the hub's side stays `Initiated`.
#[test]
fn use_hub_as_a_gateway_without_a_hub_gateway_leaves_the_peerings_initiated() {
    let d = hub_and_spokes(false, true);
    evaluate(&d, "vmA1", "vmH1", "tcp/443").assert_blocked(&[PeeringNotConnected]);
    evaluate(&d, "vmH1", "vmA1", "tcp/443").assert_blocked(&[PeeringNotConnected]);
}

/// A, B and C (10.3.0.0/16) in network group `all` under mesh configuration `mesh`.
fn mesh_of_three(global: bool) -> Design {
    let mut d = design();
    standard_a(&mut d);
    standard_b(&mut d);
    standard_c(&mut d);
    network_group(&mut d, "all", &["A", "B", "C"]);
    mesh(&mut d, "mesh", &["all"], global);
    d
}

/// Source: concept-connectivity-configuration.md, "Mesh network topology": every member reaches
/// every other directly, next hop `ConnectedGroup`, with no peering between them.
#[test]
fn a_mesh_connects_every_member_with_next_hop_connected_group() {
    let d = mesh_of_three(false);
    assert!(d.peerings.is_empty());
    for (from, to) in [("vmA1", "vmB1"), ("vmB1", "vmC1"), ("vmC1", "vmA1")] {
        evaluate(&d, from, to, "tcp/443").assert_reachable();
    }
    assert_eq!(
        route_for(&d, "C/s1", "10.1.1.4").next_hop_type,
        "ConnectedGroup"
    );
}

/// Source: concept-connectivity-configuration.md: a mesh is regional unless "global mesh" is on.
#[test]
fn a_regional_mesh_does_not_cross_regions() {
    let mut d = mesh_of_three(false);
    vnet_mut(&mut d, "C").region = "westus".parse().unwrap();
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
    evaluate(&d, "vmA1", "vmC1", "tcp/443").assert_blocked(&[RouteNone]);
    let mut global = d.clone();
    global.connectivity[0].global = true;
    evaluate(&global, "vmA1", "vmC1", "tcp/443").assert_reachable();
}

/// Source: concept-connectivity-configuration.md, "Overlapping address spaces" in a connected
/// group: members may overlap, but traffic to the overlapping range is dropped.
#[test]
fn traffic_to_an_overlap_in_a_connected_group_is_dropped() {
    let mut d = mesh_of_three(false);
    // D overlaps B.
    vnet(&mut d, "D", "10.2.0.0/16");
    subnet(&mut d, "D", "s1", "10.2.1.0/24");
    vm(&mut d, "vmD1", "D/s1", "10.2.1.5");
    d.network_groups[0].members.push("D".into());
    let outcome = evaluate(&d, "vmA1", "vmB1", "tcp/443");
    outcome
        .assert_blocked(&[ConnectedGroupOverlap])
        .assert_blocker_mentions(ConnectedGroupOverlap, "10.2.0.0/16");
    evaluate(&d, "vmA1", "vmC1", "tcp/443").assert_reachable();
}

/// Source: how-to-configure-subnet-peering.md (azure-semantics.md §1.9): when two members of a
/// connected group are also subnet-peered, the subnet peering wins and the subnets it does not
/// list lose connectivity to each other.
#[test]
fn a_subnet_peering_between_members_takes_precedence_over_the_connected_group() {
    let mut d = mesh_of_three(false);
    subnet(&mut d, "A", "s2", "10.1.2.0/24");
    vm(&mut d, "vmA2", "A/s2", "10.1.2.4");
    peer_both(&mut d, "A", "B");
    subnet_level(&mut d, "A", "B", &["s1"], &["s1"]);
    evaluate(&d, "vmA1", "vmB1", "tcp/443").assert_reachable();
    assert_eq!(
        route_for(&d, "A/s1", "10.2.1.4").next_hop_type,
        "VNetPeering"
    );
    evaluate(&d, "vmA2", "vmB1", "tcp/443").assert_blocked(&[SubnetNotInSubnetPeering]);
    // C is not peered with A: the connected group still carries A's traffic to it.
    evaluate(&d, "vmA2", "vmC1", "tcp/443").assert_reachable();
}

/// Source: concept-connectivity-configuration.md, "Mesh network topology" (members of a
/// connected group are in each other's `VirtualNetwork` service tag, as peered VNets are;
/// azure-semantics.md §3.4): an NSG rule naming `VirtualNetwork` matches a group member's
/// address, and no other.
#[test]
fn a_connected_group_member_is_in_the_virtual_network_tag() {
    use vnetlab::model::Access::{Allow, Deny};
    use vnetlab::model::Direction::Inbound;
    use vnetlab::model::Protocol::Any;
    let mut d = mesh_of_three(false);
    // Only the group's members reach C: from the VirtualNetwork tag, nothing else.
    nsg_rule(
        &mut d,
        "nsg-c",
        rule("from-vnet", 100, Inbound, Allow, Any, "VirtualNetwork", "*"),
    );
    nsg_rule(
        &mut d,
        "nsg-c",
        rule("deny-rest", 200, Inbound, Deny, Any, "*", "*"),
    );
    nsg_on_subnet(&mut d, "nsg-c", "C/s1");
    evaluate(&d, "vmA1", "vmC1", "tcp/443").assert_reachable();
    // The tag matches the member: denying it blocks A, at the NSG.
    d.nsgs[0].rules[0].access = Deny;
    evaluate(&d, "vmA1", "vmC1", "tcp/443").assert_blocked(&[NsgDeny]);
}
