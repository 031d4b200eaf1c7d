//! The objects of issue 11 in generated designs: application security groups (and NSG rules
//! naming them), Azure Route Servers with their BGP peers, and Virtual Network Manager network
//! groups with mesh and hub-and-spoke connectivity configurations. Spec, strategy and build
//! together, as in `spec`, `strategy` and `build` for the rest of the model.
//!
//! Validity is kept the way `build` keeps it: an ASG's members are the picked VMs that sit in
//! the VNet of the first one (Azure's same-VNet rule is a model invariant); everything named
//! exists. Azure's softer rules are broken freely: a `RouteServerSubnet` too small or missing,
//! a second Route Server in a VNet, a peer with a reserved ASN or at an address no NIC of the
//! VNet owns, prefixes inside a served VNet, overlapping members of a connected group, a hub
//! used as a gateway without one.

use super::build::{at, small};
use super::spec::{AddressSpec, Pick};
use super::strategy::address;
use super::targets::Targets;
use ipnet::Ipv4Net;
use proptest::collection::vec;
use proptest::option::weighted;
use proptest::prelude::*;
use std::net::Ipv4Addr;
use vnetlab::model::{
    Asg, BgpPeer, Connectivity, Design, GroupLink, NetworkGroup, ROUTE_SERVER_SUBNET, RouteServer,
    Subnet, Topology,
};

/// Everything of issue 11 a design may hold.
#[derive(Debug, Clone)]
pub struct ManagedSpec {
    /// ASGs `asg0`, … by their members (VM picks).
    pub asgs: Vec<Vec<Pick>>,
    /// Route Servers `rs0`, ….
    pub route_servers: Vec<RouteServerSpec>,
    /// Network groups `ng0`, … by their members (VNet picks).
    pub groups: Vec<Vec<Pick>>,
    /// Connectivity configurations `cc0`, ….
    pub configs: Vec<ConnectivitySpec>,
}

/// One Route Server.
#[derive(Debug, Clone)]
pub struct RouteServerSpec {
    /// Its VNet.
    pub vnet: Pick,
    /// The `RouteServerSubnet` it gets: /27 (valid), /28 (too small) or none.
    pub subnet: Option<u8>,
    /// `allowBranchToBranchTraffic`.
    pub branch_to_branch: bool,
    /// Its BGP peers.
    pub peers: Vec<BgpPeerSpec>,
}

/// One BGP peer of a Route Server.
#[derive(Debug, Clone)]
pub struct BgpPeerSpec {
    /// The NIC whose address is the peer IP: an appliance's when there is one.
    pub nic: Pick,
    /// A reserved ASN (65515) instead of 65001.
    pub reserved_asn: bool,
    /// What it announces.
    pub announces: Vec<AddressSpec>,
}

/// One connectivity configuration.
#[derive(Debug, Clone)]
pub struct ConnectivitySpec {
    /// `None`: a mesh; else hub-and-spoke with this hub VNet.
    pub hub: Option<Pick>,
    /// The groups it applies to.
    pub groups: Vec<GroupLinkSpec>,
    /// A global mesh.
    pub global: bool,
}

/// One group of a configuration, with the hub-and-spoke settings.
#[derive(Debug, Clone)]
pub struct GroupLinkSpec {
    /// The network group.
    pub group: Pick,
    /// Direct connectivity between the spokes.
    pub direct: bool,
    /// The spokes' connected group spans regions.
    pub global: bool,
    /// Use the hub as a gateway.
    pub use_hub_gateway: bool,
}

fn chance(percent: u32) -> impl Strategy<Value = bool> {
    prop::bool::weighted(f64::from(percent) / 100.0)
}

prop_compose! {
    /// A BGP peer announcing one or two prefixes.
    pub fn bgp_peer()(
        nic in any::<Pick>(),
        reserved_asn in chance(10),
        announces in vec(address(), 1..=2),
    ) -> BgpPeerSpec {
        BgpPeerSpec { nic, reserved_asn, announces }
    }
}

prop_compose! {
    /// A Route Server: mostly valid, with one or two peers.
    pub fn route_server()(
        vnet in any::<Pick>(),
        subnet in prop_oneof![8 => Just(Some(27u8)), 1 => Just(Some(28u8)), 1 => Just(None)],
        branch_to_branch in chance(40),
        peers in vec(bgp_peer(), 0..=2),
    ) -> RouteServerSpec {
        RouteServerSpec { vnet, subnet, branch_to_branch, peers }
    }
}

prop_compose! {
    /// A group of a connectivity configuration.
    pub fn group_link()(
        group in any::<Pick>(),
        direct in chance(50),
        global in chance(30),
        use_hub_gateway in chance(40),
    ) -> GroupLinkSpec {
        GroupLinkSpec { group, direct, global, use_hub_gateway }
    }
}

prop_compose! {
    /// A mesh or hub-and-spoke configuration over one or two groups.
    pub fn connectivity()(
        hub in weighted(0.5, any::<Pick>()),
        groups in vec(group_link(), 1..=2),
        global in chance(30),
    ) -> ConnectivitySpec {
        ConnectivitySpec { hub, groups, global }
    }
}

/// Issue 11's objects: each kind in about a third of the designs.
pub fn managed_spec() -> impl Strategy<Value = ManagedSpec> {
    (
        prop_oneof![2 => Just(Vec::new()), 1 => vec(vec(any::<Pick>(), 1..=3), 1..=2)],
        prop_oneof![3 => Just(Vec::new()), 1 => vec(route_server(), 1..=2)],
        vec(vec(any::<Pick>(), 1..=3), 0..=2),
        prop_oneof![2 => Just(Vec::new()), 1 => vec(connectivity(), 1..=2)],
    )
        .prop_map(|(asgs, route_servers, groups, configs)| ManagedSpec {
            asgs,
            route_servers,
            groups,
            configs,
        })
}

/// Adds the ASGs (before the NSGs are built, so that rules can name them).
pub fn add_asgs(d: &mut Design, spec: &ManagedSpec) {
    for (a, members) in spec.asgs.iter().enumerate() {
        let name = format!("asg{a}");
        d.asgs.push(Asg::new(&name));
        let mut vnet: Option<String> = None;
        for pick in members {
            let Some(vm) = at(pick, d.vms.len()) else {
                continue;
            };
            let Some(nic) = d.vms[vm].nics.first_mut() else {
                continue;
            };
            let first = vnet.get_or_insert_with(|| nic.subnet.vnet.clone());
            if *first == nic.subnet.vnet && !nic.asgs.contains(&name) {
                nic.asgs.push(name.clone());
            }
        }
    }
}

/// Adds the Route Servers (after the VMs and appliances, so that peers find their NICs).
pub fn add_route_servers(d: &mut Design, spec: &ManagedSpec, targets: &Targets) {
    let nics: Vec<Ipv4Addr> = {
        let appliances: Vec<Ipv4Addr> = d
            .vms
            .iter()
            .filter(|v| v.appliance.is_some())
            .flat_map(|v| v.nics.iter().map(|n| n.ip))
            .collect();
        if appliances.is_empty() {
            d.vms
                .iter()
                .flat_map(|v| v.nics.iter().map(|n| n.ip))
                .collect()
        } else {
            appliances
        }
    };
    for (r, server) in spec.route_servers.iter().enumerate() {
        let Some(v) = at(&server.vnet, d.vnets.len()) else {
            continue;
        };
        let vnet = &mut d.vnets[v];
        if let Some(len) = server.subnet
            && vnet.subnet(ROUTE_SERVER_SUBNET).is_none()
        {
            let octets = vnet.address_space[0].network().octets();
            let prefix = Ipv4Net::new(Ipv4Addr::new(octets[0], octets[1], 254, 0), len)
                .expect("a /27 or /28 is a prefix");
            vnet.subnets.push(Subnet::new(ROUTE_SERVER_SUBNET, prefix));
        }
        let mut rs = RouteServer::new(format!("rs{r}"), vnet.name.clone());
        rs.branch_to_branch = server.branch_to_branch;
        for (p, peer) in server.peers.iter().enumerate() {
            let Some(ip) = at(&peer.nic, nics.len()).map(|i| nics[i]) else {
                continue;
            };
            rs.peers.push(BgpPeer {
                name: format!("peer{p}"),
                ip,
                asn: if peer.reserved_asn { 65515 } else { 65001 },
                announces: peer.announces.iter().map(|a| targets.prefix(a)).collect(),
            });
        }
        d.route_servers.push(rs);
    }
}

/// Adds the network groups and connectivity configurations.
pub fn add_avnm(d: &mut Design, spec: &ManagedSpec) {
    for (g, members) in spec.groups.iter().enumerate() {
        let mut names: Vec<String> = Vec::new();
        for pick in members {
            if let Some(v) = at(pick, d.vnets.len()) {
                let name = d.vnets[v].name.clone();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        d.network_groups
            .push(NetworkGroup::new(format!("ng{g}"), names));
    }
    if d.network_groups.is_empty() {
        return;
    }
    for (c, config) in spec.configs.iter().enumerate() {
        let topology = match &config.hub {
            None => Topology::Mesh,
            Some(pick) => match at(pick, d.vnets.len()) {
                Some(v) => Topology::HubAndSpoke {
                    hub: d.vnets[v].name.clone(),
                },
                None => continue,
            },
        };
        let mut groups: Vec<GroupLink> = Vec::new();
        for link in &config.groups {
            let Some(g) = at(&link.group, d.network_groups.len()) else {
                continue;
            };
            let name = format!("ng{g}");
            if groups.iter().any(|l| l.group == name) {
                continue;
            }
            let mut built = GroupLink::new(name);
            if config.hub.is_some() {
                built.direct_connectivity = link.direct;
                built.global = link.global && link.direct;
                built.use_hub_gateway = link.use_hub_gateway;
            }
            groups.push(built);
        }
        d.connectivity.push(Connectivity {
            name: format!("cc{c}"),
            topology,
            groups,
            global: config.global,
        });
    }
}

/// The ASGs a rule end picks, by name (none when the design has none): the picked one, and
/// for half of the picks also the next one (Azure takes several ASGs per end). The second
/// comes from other bits of the same pick rather than a new draw, so that adding it left the
/// random stream, and with it every other sampled object, as it was; it shrinks away with the
/// pick.
pub fn asg_names(pick: Option<&Pick>, count: usize) -> Vec<String> {
    let Some((pick, first)) = pick.and_then(|p| Some((p, at(p, count)?))) else {
        return Vec::new();
    };
    let mut names = vec![format!("asg{}", small(first))];
    if count > 1 && pick.index(8) % 2 == 1 {
        names.push(format!("asg{}", small((first + 1) % count)));
    }
    names
}
