//! Application security groups, Route Servers (`virtualHubs` in a VNet's `RouteServerSubnet`,
//! with their BGP connections) and Virtual Network Manager network groups (static members) and
//! connectivity configurations.
//!
//! What an export cannot say is reported, not guessed: the prefixes an NVA announces to a Route
//! Server are runtime state (add them to the BGP peer in the design), a network group's
//! dynamic (Azure Policy) members are not listed, and a Virtual WAN hub is not a Route Server.

use super::names::Namer;
use super::security::children_by_parent;
use super::{Builder, Inventory, Item, key_of, placement, resource_name};
use crate::model::{
    Asg, BgpPeer, Connectivity, GroupLink, NetworkGroup, ROUTE_SERVER_SUBNET, RouteServer,
    Topology, parse_ip,
};

pub(super) fn import_asgs(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut names = Namer::default();
    for item in inventory.items(&inventory.asgs) {
        let (rg, sub) = placement(&item);
        let name = names.claim(
            resource_name(&item),
            &[rg.as_deref().unwrap_or(""), sub.as_deref().unwrap_or("")],
        );
        builder.asgs.insert(item.key.to_string(), name.clone());
        builder.design.asgs.push(Asg::new(name));
    }
}

pub(super) fn import_route_servers(inventory: &Inventory<'_>, builder: &mut Builder) {
    let servers_before = builder.design.route_servers.len();
    let mut names = Namer::default();
    let mut configs_of = children_by_parent(inventory, &inventory.hub_ip_configs);
    let mut peers_of = children_by_parent(inventory, &inventory.bgp_connections);
    for item in inventory.items(&inventory.hubs) {
        let hub_name = resource_name(&item);
        let configs = configs_of.remove(item.key).unwrap_or_default();
        let peers = peers_of.remove(item.key).unwrap_or_default();
        if item.node.reference("virtualWan").is_some() {
            builder.report.note(format!(
                "virtual hub `{hub_name}` is a Virtual WAN hub, which vnetlab does not model; it was left out"
            ));
            continue;
        }
        let Some(vnet) = configs
            .iter()
            .find_map(|c| hosting_vnet(c, hub_name, builder))
        else {
            builder.report.note(format!(
                "Route Server `{hub_name}`: no IP configuration names its `{ROUTE_SERVER_SUBNET}`, so its VNet is unknown and it was left out"
            ));
            continue;
        };
        let name = names.claim(hub_name, &[&vnet]);
        let mut server = RouteServer::new(name.clone(), vnet);
        server.branch_to_branch = item
            .node
            .bool("allowBranchToBranchTraffic")
            .unwrap_or(false);
        let mut peer_names = Namer::default();
        for peer in peers {
            let peer_name = resource_name(&peer);
            let ip = peer.node.str("peerIp").map(parse_ip);
            let asn = peer.node.u64("peerAsn").and_then(|a| u32::try_from(a).ok());
            match (ip, asn) {
                (Some(Ok(ip)), Some(asn)) => server.peers.push(BgpPeer {
                    name: peer_names.claim(peer_name, &[]),
                    ip,
                    asn,
                    announces: Vec::new(),
                }),
                _ => builder.report.note(format!(
                    "Route Server `{name}` BGP peer `{peer_name}` was left out: it needs a peer IPv4 address and a whole-number ASN"
                )),
            }
        }
        builder.design.route_servers.push(server);
    }
    let with_peers: Vec<String> = builder.design.route_servers[servers_before..]
        .iter()
        .filter(|r| !r.peers.is_empty())
        .map(|r| format!("`{}`", r.name))
        .collect();
    if !super::meta::apply_announcements(inventory, builder) && !with_peers.is_empty() {
        builder.report.note(format!(
            "Route Server {}: the prefixes NVAs announce are runtime state, not part of an export; list them under each BGP peer's `announces` to evaluate them",
            with_peers.join(", ")
        ));
    }
    for orphan in configs_of
        .into_values()
        .chain(peers_of.into_values())
        .flatten()
    {
        builder.report.missing(format!(
            "`{}`: its virtual hub is not in the export (it was left out)",
            resource_name(&orphan)
        ));
    }
}

/// The VNet of a Route Server IP configuration, from its subnet ID.
fn hosting_vnet(config: &Item<'_>, hub: &str, builder: &mut Builder) -> Option<String> {
    let id = config.node.reference("subnet")?;
    let subnet = Builder::resolve(
        &mut builder.report,
        &builder.left_out,
        &builder.present,
        &builder.subnets,
        id,
        || format!("Route Server `{hub}`: subnet"),
        "the Route Server was left out",
    )?;
    Some(subnet.vnet)
}

pub(super) fn import_network_manager(inventory: &Inventory<'_>, builder: &mut Builder) {
    let mut group_names = Namer::default();
    let mut groups = std::collections::HashMap::new();
    let mut members_of = children_by_parent(inventory, &inventory.static_members);
    for item in inventory.items(&inventory.network_groups) {
        let name = group_names.claim(resource_name(&item), &[]);
        let mut group = NetworkGroup::new(name.clone(), Vec::new());
        for member in members_of.remove(item.key).unwrap_or_default() {
            let Some(id) = member.node.str("resourceId") else {
                continue;
            };
            let vnet = Builder::resolve(
                &mut builder.report,
                &builder.left_out,
                &builder.present,
                &builder.vnets,
                id,
                || format!("network group `{name}`: static member"),
                "the group is imported without it",
            );
            if let Some(vnet) = vnet
                && !group.members.contains(&vnet)
            {
                group.members.push(vnet);
            }
        }
        if item
            .node
            .str("memberType")
            .is_some_and(|t| !t.eq_ignore_ascii_case("VirtualNetwork"))
        {
            builder.report.note(format!(
                "network group `{name}` groups subnets, which vnetlab does not model; its members were left out"
            ));
            group.members.clear();
        }
        groups.insert(item.key.to_string(), name);
        builder.design.network_groups.push(group);
    }
    if !builder.design.network_groups.is_empty() {
        builder.report.note(
            "network groups are imported with their static members only; members added by Azure Policy (dynamic membership) are not in an export".to_string(),
        );
    }
    for orphan in members_of.into_values().flatten() {
        builder.report.missing(format!(
            "static member `{}`: its network group is not in the export (it was left out)",
            resource_name(&orphan)
        ));
    }
    let mut config_names = Namer::default();
    for item in inventory.items(&inventory.connectivity) {
        let name = config_names.claim(resource_name(&item), &[]);
        if let Some(config) = connectivity(&item, name, &groups, builder) {
            builder.design.connectivity.push(config);
        }
    }
}

/// One connectivity configuration, or `None` (with a line) when its topology is unreadable.
fn connectivity(
    item: &Item<'_>,
    name: String,
    groups: &std::collections::HashMap<String, String>,
    builder: &mut Builder,
) -> Option<Connectivity> {
    let node = item.node;
    let topology = match node
        .str("connectivityTopology")
        .map(str::to_ascii_lowercase)
    {
        Some(t) if t == "mesh" => Topology::Mesh,
        Some(t) if t == "hubandspoke" => {
            let Some(hub_id) = node.nodes("hubs").iter().find_map(|h| h.str("resourceId")) else {
                builder.report.note(format!(
                    "connectivity configuration `{name}` is hub-and-spoke but names no hub; it was left out"
                ));
                return None;
            };
            let hub = Builder::resolve(
                &mut builder.report,
                &builder.left_out,
                &builder.present,
                &builder.vnets,
                hub_id,
                || format!("connectivity configuration `{name}`: hub"),
                "the configuration was left out",
            )?;
            Topology::HubAndSpoke { hub }
        }
        other => {
            builder.report.note(format!(
                "connectivity configuration `{name}` has topology `{}`, which is not Mesh or HubAndSpoke; it was left out",
                other.unwrap_or_default()
            ));
            return None;
        }
    };
    let mut links = Vec::new();
    for applied in node.nodes("appliesToGroups") {
        let Some(id) = applied.str("networkGroupId") else {
            continue;
        };
        let Some(group) = groups.get(&key_of(id)) else {
            builder.report.missing(format!(
                "connectivity configuration `{name}`: network group {} (the configuration is imported without it)",
                id.trim()
            ));
            continue;
        };
        let mut link = GroupLink::new(group.clone());
        link.direct_connectivity = applied
            .str("groupConnectivity")
            .is_some_and(|g| g.eq_ignore_ascii_case("DirectlyConnected"));
        link.global = applied.bool("isGlobal").unwrap_or(false);
        link.use_hub_gateway = applied.bool("useHubGateway").unwrap_or(false);
        links.push(link);
    }
    Some(Connectivity {
        name,
        topology,
        groups: links,
        global: node.bool("isGlobal").unwrap_or(false),
    })
}
