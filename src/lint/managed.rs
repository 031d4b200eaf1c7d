//! Checks on application security groups, Route Servers and Virtual Network Manager
//! connectivity: an NSG rule whose ASGs sit in different VNets (application-security-groups.md
//! and Azure's `AllApplicationSecurityGroupsInSecurityRuleMustBeFromSameVnet`: Azure refuses
//! it; the rule is the model's `Design::rule_asg_clash`), Azure's Route Server rules (subnet, one
//! per VNet, peers that cannot come up, prefixes it drops, no NSG or route table on its subnet;
//! the rules themselves are the model's, shared with the engine), and AVNM's limits (two
//! connected groups per VNet, overlapping members, a hub gateway that is not there).

use super::support::Context;
use super::{Code, Diagnostic, Remedy, Severity};
use crate::model::{
    BgpPeerProblem, Design, ObjectKind, ROUTE_SERVER_SUBNET, RouteServerViolation, Topology,
};
use std::collections::HashMap;

/// Azure's limit of connected groups (mesh configurations) per VNet.
pub const MAX_CONNECTED_GROUPS_PER_VNET: usize = 2;

pub(super) fn check(cx: &Context, found: &mut Vec<Diagnostic>) {
    let design = cx.design;
    asg_rules(design, found);
    route_servers(design, found);
    connected_groups(design, found);
    hub_gateways(design, found);
}

fn asg_rules(design: &Design, found: &mut Vec<Diagnostic>) {
    if design.asgs.is_empty() {
        return;
    }
    for nsg in &design.nsgs {
        for rule in &nsg.rules {
            let Some(clash) = design.rule_asg_clash(rule) else {
                continue;
            };
            found.push(
                Diagnostic::new(
                    Severity::Error,
                    Code::NsgAsgsInSeveralVnets,
                    ObjectKind::Nsg,
                    &nsg.name,
                    format!(
                        "NSG `{}` rule `{}`: {clash}; Azure refuses the rule",
                        nsg.name, rule.name
                    ),
                )
                .with_fix(Remedy::advice(
                    "name addresses instead of ASGs for the other VNet, or use ASGs of one VNet",
                )),
            );
        }
    }
}

fn route_servers(design: &Design, found: &mut Vec<Diagnostic>) {
    for server in &design.route_servers {
        let subject = |code, severity, message: String| {
            Diagnostic::new(
                severity,
                code,
                ObjectKind::RouteServer,
                &server.name,
                message,
            )
        };
        for violation in design.route_server_violations(server) {
            let code = match violation {
                RouteServerViolation::NoSubnet => Code::RouteServerSubnetMissing,
                RouteServerViolation::SubnetTooSmall(_) => Code::RouteServerSubnetTooSmall,
                RouteServerViolation::SecondInVnet(_) => Code::RouteServerTooMany,
            };
            found.push(subject(
                code,
                Severity::Error,
                format!(
                    "Route Server `{}` in `{}`: {violation}; Azure refuses it, so it programs no routes",
                    server.name, server.vnet
                ),
            ));
        }
        if let Some(subnet) = design
            .vnet(&server.vnet)
            .and_then(|v| v.subnet(ROUTE_SERVER_SUBNET))
            && (subnet.nsg.is_some() || subnet.route_table.is_some())
        {
            found.push(subject(
                Code::RouteServerSubnetPolicy,
                Severity::Warning,
                format!(
                    "`{}/{ROUTE_SERVER_SUBNET}` has an NSG or a route table; Route Server supports neither on its subnet",
                    server.vnet
                ),
            ));
        }
        for peer in &server.peers {
            if let Some(problem) = design.bgp_peer_problem(server, peer) {
                let severity = match problem {
                    BgpPeerProblem::ReservedAsn(_) => Severity::Error,
                    BgpPeerProblem::NoNvaAt(_) => Severity::Warning,
                };
                found.push(subject(
                    Code::RouteServerPeerDown,
                    severity,
                    format!(
                        "BGP peer `{}` of Route Server `{}`: {problem}; its routes are not programmed",
                        peer.name, server.name
                    ),
                ));
                continue;
            }
            for prefix in &peer.announces {
                if let Some(vnet) = design.route_server_drops(server, prefix) {
                    found.push(subject(
                        Code::RouteServerPrefixDropped,
                        Severity::Warning,
                        format!(
                            "BGP peer `{}` of Route Server `{}` announces {prefix}, which lies inside the address space of `{vnet}`; Route Server does not program a prefix equal to or longer than a VNet range it serves (announce a supernet instead)",
                            peer.name, server.name
                        ),
                    ));
                }
            }
        }
    }
}

fn connected_groups(design: &Design, found: &mut Vec<Diagnostic>) {
    let groups = design.connected_groups();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for group in &groups {
        for member in &group.members {
            *count.entry(member).or_default() += 1;
        }
    }
    for vnet in &design.vnets {
        let n = count.get(vnet.name.as_str()).copied().unwrap_or(0);
        if n > MAX_CONNECTED_GROUPS_PER_VNET {
            found.push(Diagnostic::new(
                Severity::Error,
                Code::AvnmTooManyConnectedGroups,
                ObjectKind::Vnet,
                &vnet.name,
                format!(
                    "VNet `{}` is in {n} connected groups; Azure Virtual Network Manager allows at most {MAX_CONNECTED_GROUPS_PER_VNET}",
                    vnet.name
                ),
            ));
        }
    }
    for group in &groups {
        let ranges: Vec<(&str, ipnet::Ipv4Net)> = group
            .members
            .iter()
            .filter_map(|m| design.vnet(m))
            .flat_map(|v| v.address_space.iter().map(move |r| (v.name.as_str(), *r)))
            .collect();
        if let Some(((a, ra), (b, rb))) = first_overlap(ranges) {
            found.push(Diagnostic::new(
                Severity::Warning,
                Code::AvnmConnectedGroupOverlap,
                ObjectKind::Connectivity,
                group.config,
                format!(
                    "connected group of `{}`: `{a}` ({ra}) overlaps `{b}` ({rb}); Azure allows it but drops traffic to the overlapping range, since routing there is non-deterministic",
                    group.config
                ),
            ));
        }
    }
}

/// Two ranges of different owners that overlap, if any: a sweep in address order that keeps the
/// farthest-reaching range so far and the farthest-reaching one of another owner. Linear after
/// the sort, so a mesh of thousands of VNets is checked quickly.
#[allow(clippy::type_complexity)]
fn first_overlap<'a>(
    mut ranges: Vec<(&'a str, ipnet::Ipv4Net)>,
) -> Option<((&'a str, ipnet::Ipv4Net), (&'a str, ipnet::Ipv4Net))> {
    ranges.sort_by_key(|(_, r)| (r.network(), r.prefix_len()));
    let mut best: Option<(&'a str, ipnet::Ipv4Net)> = None;
    let mut other: Option<(&'a str, ipnet::Ipv4Net)> = None;
    for (owner, range) in ranges {
        let reaches = |held: Option<(&'a str, ipnet::Ipv4Net)>| {
            held.filter(|(o, r)| *o != owner && range.network() <= r.broadcast())
        };
        if let Some(hit) = reaches(best).or_else(|| reaches(other)) {
            return Some((hit, (owner, range)));
        }
        match best {
            Some((o, r)) if range.broadcast() <= r.broadcast() => {
                if o != owner && other.is_none_or(|(_, x)| range.broadcast() > x.broadcast()) {
                    other = Some((owner, range));
                }
            }
            Some((o, r)) => {
                if o != owner {
                    other = Some((o, r));
                }
                best = Some((owner, range));
            }
            None => best = Some((owner, range)),
        }
    }
    None
}

fn hub_gateways(design: &Design, found: &mut Vec<Diagnostic>) {
    for config in &design.connectivity {
        let Topology::HubAndSpoke { hub } = &config.topology else {
            continue;
        };
        let serves =
            design.gateways_in(hub).next().is_some() || design.valid_route_server_in(hub).is_some();
        if serves || !config.groups.iter().any(|g| g.use_hub_gateway) {
            continue;
        }
        found.push(Diagnostic::new(
            Severity::Warning,
            Code::AvnmHubWithoutGateway,
            ObjectKind::Connectivity,
            &config.name,
            format!(
                "connectivity configuration `{}` uses hub `{hub}` as a gateway, but `{hub}` has no gateway nor Route Server: Azure fails to create the spokes' peerings to the hub, and the hub's side stays Initiated",
                config.name
            ),
        ));
    }
}
