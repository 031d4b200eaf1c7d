//! Builders for the objects of issue 11: BGP on VNet-to-VNet connections, point-to-site pools,
//! subnet-level peerings, application security groups, Route Servers and Virtual Network
//! Manager groups and connectivity configurations. Like `build`, they panic on a typo.

use super::build::{cidr, ip, peering_mut, subnet, vm_mut, vnet_mut};
use vnetlab::model::{
    Asg, BgpPeer, Connection, ConnectionRemote, Connectivity, Design, GroupLink, NetworkGroup,
    RouteServer, Topology,
};

/// A VNet-to-VNet connection with BGP on, one resource on each side, and BGP on both gateways.
pub fn v2v_bgp(d: &mut Design, a: &str, b: &str) {
    for (from, to) in [(a, b), (b, a)] {
        d.connections.push(Connection {
            name: format!("{from}-to-{to}"),
            gateway: from.to_string(),
            remote: ConnectionRemote::Gateway(to.to_string()),
            bgp: true,
        });
        super::build::gateway_mut(d, from).bgp = true;
    }
}

/// A point-to-site client pool on a gateway.
pub fn p2s_pool(d: &mut Design, gateway: &str, pool: &str) {
    super::build::gateway_mut(d, gateway).client_pool = vec![cidr(pool)];
}

/// Makes the existing pair of links between `a` and `b` subnet-level: `a` lists `a_subnets`
/// locally and `b_subnets` remotely, and `b`'s link mirrors it.
pub fn subnet_level(d: &mut Design, a: &str, b: &str, a_subnets: &[&str], b_subnets: &[&str]) {
    let names = |list: &[&str]| list.iter().map(ToString::to_string).collect::<Vec<_>>();
    let forward = peering_mut(d, a, b);
    forward.local_subnets = names(a_subnets);
    forward.remote_subnets = names(b_subnets);
    let back = peering_mut(d, b, a);
    back.local_subnets = names(b_subnets);
    back.remote_subnets = names(a_subnets);
}

/// An application security group whose members are the primary NICs of `vms`.
pub fn asg(d: &mut Design, name: &str, vms: &[&str]) {
    d.asgs.push(Asg::new(name));
    for vm in vms {
        vm_mut(d, vm).nics[0].asgs.push(name.to_string());
    }
}

/// A Route Server `name` in `vnet`, adding a /27 `RouteServerSubnet` at `prefix`.
pub fn route_server(d: &mut Design, vnet: &str, name: &str, prefix: &str) {
    if vnet_mut(d, vnet)
        .subnet(vnetlab::model::ROUTE_SERVER_SUBNET)
        .is_none()
    {
        subnet(d, vnet, vnetlab::model::ROUTE_SERVER_SUBNET, prefix);
    }
    d.route_servers.push(RouteServer::new(name, vnet));
}

/// A BGP peering of Route Server `server` with the NVA at `address` (ASN `asn`) announcing
/// `prefixes`.
pub fn bgp_peer(d: &mut Design, server: &str, address: &str, asn: u32, prefixes: &[&str]) {
    let rs = d
        .route_servers
        .iter_mut()
        .find(|r| r.name == server)
        .unwrap_or_else(|| panic!("no Route Server {server}"));
    let name = format!("peer-{}", rs.peers.len() + 1);
    rs.peers.push(BgpPeer {
        name,
        ip: ip(address),
        asn,
        announces: prefixes.iter().map(|p| cidr(p)).collect(),
    });
}

/// A static network group.
pub fn network_group(d: &mut Design, name: &str, members: &[&str]) {
    d.network_groups.push(NetworkGroup::new(
        name,
        members.iter().map(ToString::to_string).collect(),
    ));
}

/// A mesh connectivity configuration over `groups`.
pub fn mesh(d: &mut Design, name: &str, groups: &[&str], global: bool) {
    d.connectivity.push(Connectivity {
        name: name.to_string(),
        topology: Topology::Mesh,
        groups: groups.iter().map(|g| GroupLink::new(*g)).collect(),
        global,
    });
}

/// A hub-and-spoke connectivity configuration with one spoke group and its settings.
pub fn hub_and_spoke(d: &mut Design, name: &str, hub: &str, spokes: GroupLink) {
    d.connectivity.push(Connectivity {
        name: name.to_string(),
        topology: Topology::HubAndSpoke {
            hub: hub.to_string(),
        },
        groups: vec![spokes],
        global: false,
    });
}

/// A spoke group link with "direct connectivity" and "use hub as a gateway" as given.
pub fn spokes(group: &str, direct: bool, use_hub_gateway: bool) -> GroupLink {
    let mut link = GroupLink::new(group);
    link.direct_connectivity = direct;
    link.use_hub_gateway = use_hub_gateway;
    link
}
