//! Azure Route Server: a managed BGP speaker in a hub VNet that learns routes from network
//! virtual appliances (its BGP peers) and programs them into the VMs of its VNet and of the
//! spokes that use it through gateway transit ("Use the remote virtual network's gateway or
//! Route Server"), with the NVA as next hop (route-server/overview.md, route-server-faq.md,
//! route-injection-in-spokes.md). With branch-to-branch on, it also exchanges routes between the
//! NVAs and the VPN/ExpressRoute gateways of its VNet (expressroute-vpn-support.md).
//!
//! The rules Azure enforces are here, for the engine and lint alike: a Route Server needs a
//! subnet named `RouteServerSubnet` of /27 or larger, a VNet holds one Route Server, a BGP peer
//! needs a 16-bit ASN that Azure does not reserve and an address of a NIC in the VNet or a
//! directly peered VNet, and Route Server does not program an announced prefix equal to or
//! inside the address space of the VNets it serves.

use super::address::{cidrs, ip};
use super::{Design, PeeringState, Vnet};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// The subnet name Azure requires for a Route Server.
pub const ROUTE_SERVER_SUBNET: &str = "RouteServerSubnet";

/// The longest prefix `RouteServerSubnet` may have (route-server/quickstart: /27 or larger).
pub const ROUTE_SERVER_SUBNET_MAX_LEN: u8 = 27;

/// The ASN Azure Route Server itself uses; a peer must use another one.
pub const ROUTE_SERVER_ASN: u32 = 65515;

/// An Azure Route Server in a VNet's `RouteServerSubnet`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteServer {
    /// Unique name of the Route Server in the design.
    pub name: String,
    /// The VNet whose `RouteServerSubnet` hosts it.
    pub vnet: String,
    /// `allowBranchToBranchTraffic`: exchange routes between the NVAs and the VPN/ExpressRoute
    /// gateways of the VNet (and between those gateways).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub branch_to_branch: bool,
    /// BGP peers (`virtualHubs/bgpConnections`): the NVAs it learns routes from.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub peers: Vec<BgpPeer>,
}

impl RouteServer {
    /// A Route Server with no peers and branch-to-branch off.
    pub fn new(name: impl Into<String>, vnet: impl Into<String>) -> Self {
        RouteServer {
            name: name.into(),
            vnet: vnet.into(),
            branch_to_branch: false,
            peers: Vec::new(),
        }
    }
}

/// One BGP peering of a Route Server with an NVA, and the prefixes the NVA announces on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BgpPeer {
    /// Name of the peering, unique in its Route Server.
    pub name: String,
    /// `peerIp`: the NVA's address, which is also the next hop of every route it announces.
    #[serde(with = "ip")]
    pub ip: Ipv4Addr,
    /// `peerAsn`: the NVA's autonomous system number.
    pub asn: u32,
    /// The prefixes the NVA announces over this session.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "cidrs")]
    pub announces: Vec<Ipv4Net>,
}

/// A rule of Azure's that a Route Server breaks; Azure refuses such a Route Server, so it
/// programs no routes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RouteServerViolation {
    /// The VNet has no `RouteServerSubnet`.
    NoSubnet,
    /// `RouteServerSubnet` is smaller than /27 (its prefix).
    SubnetTooSmall(Ipv4Net),
    /// Another Route Server is already in the VNet (its name): one per VNet.
    SecondInVnet(String),
}

impl fmt::Display for RouteServerViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteServerViolation::NoSubnet => write!(
                f,
                "its VNet has no subnet named `{ROUTE_SERVER_SUBNET}`; a Route Server needs that dedicated subnet (/{ROUTE_SERVER_SUBNET_MAX_LEN} or larger)"
            ),
            RouteServerViolation::SubnetTooSmall(prefix) => write!(
                f,
                "`{ROUTE_SERVER_SUBNET}` is {prefix}, smaller than the /{ROUTE_SERVER_SUBNET_MAX_LEN} a Route Server needs"
            ),
            RouteServerViolation::SecondInVnet(first) => write!(
                f,
                "its VNet already has Route Server `{first}`; Azure allows one Route Server per VNet"
            ),
        }
    }
}

/// Why a BGP peering of a Route Server does not come up, so its routes are not programmed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BgpPeerProblem {
    /// The ASN is Azure's own, one Azure or IANA reserves, or not a 16-bit ASN.
    ReservedAsn(u32),
    /// No NIC has the peer address in the Route Server's VNet or a VNet peered with it.
    NoNvaAt(Ipv4Addr),
}

impl fmt::Display for BgpPeerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BgpPeerProblem::ReservedAsn(asn) if *asn > u32::from(u16::MAX) => write!(
                f,
                "ASN {asn} is a 32-bit ASN; Azure Route Server supports 16-bit ASNs only"
            ),
            BgpPeerProblem::ReservedAsn(asn) => write!(
                f,
                "ASN {asn} is reserved by Azure or IANA (65515 is the Route Server's own); the NVA must use another ASN"
            ),
            BgpPeerProblem::NoNvaAt(ip) => write!(
                f,
                "no NIC has the address {ip} in the Route Server's VNet or a VNet peered with it, so the BGP session cannot come up"
            ),
        }
    }
}

/// Whether Azure Route Server refuses a peer ASN: Azure's reserved ASNs (8074, 8075, 12076,
/// 65515, 65517–65520), IANA's (23456, 64496–64511, 65535–65551) and every 32-bit ASN
/// (route-server-faq.md).
///
/// ```
/// use vnetlab::model::asn_is_refused;
/// assert!(asn_is_refused(65515));
/// assert!(asn_is_refused(4_200_000_000));
/// assert!(!asn_is_refused(65001));
/// ```
pub fn asn_is_refused(asn: u32) -> bool {
    matches!(
        asn,
        8074 | 8075 | 12076 | 23456 | 64496..=64511 | 65515 | 65517..=65520 | 65535..
    )
}

impl Design {
    /// The Route Server with this name.
    pub fn route_server(&self, name: &str) -> Option<&RouteServer> {
        self.route_servers.iter().find(|r| r.name == name)
    }

    /// Every rule Azure enforces on this Route Server that it breaks.
    ///
    /// ```
    /// use vnetlab::model::{Design, RouteServer, RouteServerViolation};
    /// let mut d = Design::example_pair();
    /// d.route_servers.push(RouteServer::new("rs", "a"));
    /// assert_eq!(d.route_server_violations(&d.route_servers[0]), [RouteServerViolation::NoSubnet]);
    /// ```
    pub fn route_server_violations(&self, server: &RouteServer) -> Vec<RouteServerViolation> {
        let mut found = Vec::new();
        let Some(vnet) = self.vnet(&server.vnet) else {
            return found;
        };
        match vnet.subnet(ROUTE_SERVER_SUBNET) {
            None => found.push(RouteServerViolation::NoSubnet),
            Some(subnet) if subnet.prefix.prefix_len() > ROUTE_SERVER_SUBNET_MAX_LEN => {
                found.push(RouteServerViolation::SubnetTooSmall(subnet.prefix));
            }
            Some(_) => {}
        }
        if let Some(first) = self
            .route_servers
            .iter()
            .take_while(|r| r.name != server.name)
            .find(|r| r.vnet == server.vnet)
        {
            found.push(RouteServerViolation::SecondInVnet(first.name.clone()));
        }
        found
    }

    /// Whether Azure accepts this Route Server (it breaks no rule).
    pub fn route_server_is_valid(&self, server: &RouteServer) -> bool {
        self.route_server_violations(server).is_empty()
    }

    /// The VNet's Route Server that Azure accepts, if any.
    pub fn valid_route_server_in(&self, vnet: &str) -> Option<&RouteServer> {
        self.route_servers
            .iter()
            .find(|r| r.vnet == vnet && self.route_server_is_valid(r))
    }

    /// Why a BGP peering of `server` does not come up, if it does not.
    pub fn bgp_peer_problem(&self, server: &RouteServer, peer: &BgpPeer) -> Option<BgpPeerProblem> {
        if asn_is_refused(peer.asn) {
            return Some(BgpPeerProblem::ReservedAsn(peer.asn));
        }
        let reachable = self.nic_with_ip(&server.vnet, peer.ip).is_some()
            || self.peerings.iter().any(|p| {
                p.local == server.vnet
                    && self.peering_state(p) == PeeringState::Connected
                    && self.peering_is_valid(p)
                    && self.nic_with_ip(&p.remote, peer.ip).is_some()
            });
        (!reachable).then_some(BgpPeerProblem::NoNvaAt(peer.ip))
    }

    /// The VNet (its name) inside whose address space an announced prefix falls, among the
    /// Route Server's VNet and the spokes that use it through gateway transit: Route Server
    /// does not program a prefix equal to or longer than a VNet range it serves
    /// (route-injection-in-spokes.md, "Inspecting private traffic through the NVA"; announce a
    /// supernet such as 10.0.0.0/8 instead). This is the named reading *Route Server prefix
    /// drop* (README, "Readings of Azure's documentation").
    pub fn route_server_drops(&self, server: &RouteServer, prefix: &Ipv4Net) -> Option<&str> {
        let inside = |vnet: &Vnet| vnet.address_space.iter().any(|r| r.contains(prefix));
        let hub = self.vnet(&server.vnet)?;
        if inside(hub) {
            return Some(&hub.name);
        }
        self.peerings
            .iter()
            .filter(|p| p.remote == server.vnet && self.uses_remote_gateway_effectively(p))
            .filter_map(|p| self.vnet(&p.local))
            .find(|spoke| inside(spoke))
            .map(|spoke| spoke.name.as_str())
    }
}
