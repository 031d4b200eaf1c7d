//! Application security groups, Route Servers (a `virtualHubs` resource with its IP
//! configuration in `RouteServerSubnet` and its BGP connections) and Virtual Network Manager
//! network groups (with static members) and connectivity configurations, as ARM resources the
//! importer reads back. An NVA's announced prefixes are not Azure resource data: they travel in
//! the `vnetlab/design` element's `routeServerAnnouncements`.

use super::place::{Ids, reference};
use crate::model::{Design, ROUTE_SERVER_SUBNET, Topology};
use serde_json::{Value, json};

/// Every ASG, Route Server, network group and connectivity configuration of the design.
pub(super) fn resources(design: &Design, ids: &Ids<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    for asg in &design.asgs {
        out.push(json!({
            "id": ids.asg_id(&asg.name),
            "name": asg.name,
            "type": "Microsoft.Network/applicationSecurityGroups",
            "location": ids.fallback.location,
            "properties": {},
        }));
    }
    for server in &design.route_servers {
        let place = ids.vnet_place(&server.vnet);
        let id = place.id(&[("virtualHubs", &server.name)]);
        let peers: Vec<Value> = server
            .peers
            .iter()
            .map(|peer| {
                json!({
                    "id": format!("{id}/bgpConnections/{}", peer.name),
                    "name": peer.name,
                    "type": "Microsoft.Network/virtualHubs/bgpConnections",
                    "properties": { "peerIp": peer.ip.to_string(), "peerAsn": peer.asn },
                })
            })
            .collect();
        out.push(json!({
            "id": id,
            "name": server.name,
            "type": "Microsoft.Network/virtualHubs",
            "location": place.location,
            "properties": {
                "sku": "Standard",
                "allowBranchToBranchTraffic": server.branch_to_branch,
                "ipConfigurations": [{
                    "id": format!("{id}/ipConfigurations/ipconfig1"),
                    "name": "ipconfig1",
                    "properties": {
                        "subnet": reference(ids.subnet_id(&server.vnet, ROUTE_SERVER_SUBNET)),
                    },
                }],
                "bgpConnections": peers,
            },
        }));
    }
    for group in &design.network_groups {
        let id = ids.network_manager_id(&[("networkGroups", &group.name)]);
        out.push(json!({
            "id": id,
            "name": group.name,
            "type": "Microsoft.Network/networkManagers/networkGroups",
            "properties": { "memberType": "VirtualNetwork" },
        }));
        for member in &group.members {
            out.push(json!({
                "id": format!("{id}/staticMembers/{member}"),
                "name": member,
                "type": "Microsoft.Network/networkManagers/networkGroups/staticMembers",
                "properties": { "resourceId": ids.vnet_id(member) },
            }));
        }
    }
    for config in &design.connectivity {
        let (topology, hubs) = match &config.topology {
            Topology::Mesh => ("Mesh", json!([])),
            Topology::HubAndSpoke { hub } => (
                "HubAndSpoke",
                json!([{
                    "resourceId": ids.vnet_id(hub),
                    "resourceType": "Microsoft.Network/virtualNetworks",
                }]),
            ),
        };
        let truth = |on: bool| if on { "True" } else { "False" };
        let groups: Vec<Value> = config
            .groups
            .iter()
            .map(|link| {
                json!({
                    "networkGroupId": ids.network_manager_id(&[("networkGroups", &link.group)]),
                    "groupConnectivity": if link.direct_connectivity { "DirectlyConnected" } else { "None" },
                    "isGlobal": truth(link.global),
                    "useHubGateway": truth(link.use_hub_gateway),
                })
            })
            .collect();
        out.push(json!({
            "id": ids.network_manager_id(&[("connectivityConfigurations", &config.name)]),
            "name": config.name,
            "type": "Microsoft.Network/networkManagers/connectivityConfigurations",
            "properties": {
                "connectivityTopology": topology,
                "hubs": hubs,
                "appliesToGroups": groups,
                "isGlobal": truth(config.global),
                "deleteExistingPeering": "False",
            },
        }));
    }
    out
}

/// The prefixes each Route Server's BGP peers announce, as
/// `{ server: { peer: ["10.0.0.0/8"] } }` (only peers that announce something).
pub(super) fn announcements(design: &Design) -> Value {
    let mut servers = serde_json::Map::new();
    for server in &design.route_servers {
        let mut peers = serde_json::Map::new();
        for peer in server.peers.iter().filter(|p| !p.announces.is_empty()) {
            let prefixes: Vec<String> = peer.announces.iter().map(ToString::to_string).collect();
            peers.insert(peer.name.clone(), json!(prefixes));
        }
        if !peers.is_empty() {
            servers.insert(server.name.clone(), Value::Object(peers));
        }
    }
    Value::Object(servers)
}
