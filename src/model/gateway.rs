//! Virtual network gateways, on-premises sites (local network gateways) and connections.

use super::address::{cidrs, ip};
use super::{Design, plan};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// A VPN or ExpressRoute gateway, living in its VNet's `GatewaySubnet`.
///
/// Gateways are a top-level list that names its VNet (rather than a field of the VNet) because
/// Azure allows a VPN and an ExpressRoute gateway to coexist in one VNet, and connections refer
/// to gateways by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Gateway {
    /// Unique name of the gateway in the design.
    pub name: String,
    /// The VNet whose `GatewaySubnet` hosts it.
    pub vnet: String,
    /// VPN or ExpressRoute.
    pub kind: GatewayKind,
    /// SKU; `Basic` supports neither BGP nor gateway transit.
    pub sku: GatewaySku,
    /// Route-based or policy-based (VPN only).
    #[serde(default, skip_serializing_if = "is_route_based")]
    pub vpn_type: VpnType,
    /// Point-to-site client address pool; empty when P2S is not configured.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "cidrs")]
    pub client_pool: Vec<Ipv4Net>,
    /// BGP enabled.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bgp: bool,
}

fn is_route_based(t: &VpnType) -> bool {
    *t == VpnType::RouteBased
}

/// Gateway type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GatewayKind {
    /// VPN gateway: site-to-site, VNet-to-VNet, point-to-site.
    Vpn,
    /// ExpressRoute gateway: always BGP, cannot be a UDR next hop.
    ExpressRoute,
}

impl fmt::Display for GatewayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GatewayKind::Vpn => "VPN",
            GatewayKind::ExpressRoute => "ExpressRoute",
        })
    }
}

/// VPN routing type; BGP, VNet-to-VNet, P2S and transit need route-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum VpnType {
    /// Route-based (the common choice).
    #[default]
    RouteBased,
    /// Policy-based (legacy, Basic SKU only).
    PolicyBased,
}

/// Gateway SKUs (VPN and ExpressRoute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(missing_docs)]
pub enum GatewaySku {
    Basic,
    Standard,
    HighPerformance,
    UltraPerformance,
    VpnGw1,
    VpnGw2,
    VpnGw3,
    VpnGw4,
    VpnGw5,
    VpnGw1AZ,
    VpnGw2AZ,
    VpnGw3AZ,
    VpnGw4AZ,
    VpnGw5AZ,
    ErGw1AZ,
    ErGw2AZ,
    ErGw3AZ,
    ErGwScale,
}

impl GatewaySku {
    /// Every SKU, for pickers and importers.
    pub const ALL: [GatewaySku; 18] = [
        GatewaySku::Basic,
        GatewaySku::Standard,
        GatewaySku::HighPerformance,
        GatewaySku::UltraPerformance,
        GatewaySku::VpnGw1,
        GatewaySku::VpnGw2,
        GatewaySku::VpnGw3,
        GatewaySku::VpnGw4,
        GatewaySku::VpnGw5,
        GatewaySku::VpnGw1AZ,
        GatewaySku::VpnGw2AZ,
        GatewaySku::VpnGw3AZ,
        GatewaySku::VpnGw4AZ,
        GatewaySku::VpnGw5AZ,
        GatewaySku::ErGw1AZ,
        GatewaySku::ErGw2AZ,
        GatewaySku::ErGw3AZ,
        GatewaySku::ErGwScale,
    ];

    /// Whether this SKU supports gateway transit over peering (Basic does not).
    pub fn supports_transit(self) -> bool {
        self != GatewaySku::Basic
    }

    /// Parses an Azure SKU name, case-insensitively.
    pub fn from_name(name: &str) -> Option<GatewaySku> {
        GatewaySku::ALL
            .into_iter()
            .find(|s| format!("{s:?}").eq_ignore_ascii_case(name))
    }
}

impl fmt::Display for GatewaySku {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// An on-premises site (a local network gateway): the prefixes it announces and test hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    /// Unique name of the site in the design.
    pub name: String,
    /// On-premises address prefixes (`localNetworkAddressSpace`).
    #[serde(with = "cidrs")]
    pub prefixes: Vec<Ipv4Net>,
    /// Hosts on premises, each an endpoint of the reachability matrix.
    #[serde(default)]
    pub hosts: Vec<Host>,
    /// BGP enabled towards Azure.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bgp: bool,
}

/// The BGP autonomous system number exports write for an on-premises device (a private ASN:
/// the design does not model ASNs).
pub const SITE_STAND_IN_ASN: u32 = 65010;

impl Site {
    /// The public IP exports write for the site's device, which the design does not know: a
    /// documentation address (TEST-NET-3, RFC 5737), numbered by the site's position `index`
    /// so that sites differ.
    ///
    /// ```
    /// use vnetlab::model::Site;
    /// assert_eq!(Site::stand_in_public_ip(0).to_string(), "203.0.113.1");
    /// assert_eq!(Site::stand_in_public_ip(254).to_string(), "203.0.113.1");
    /// ```
    #[must_use]
    pub fn stand_in_public_ip(index: usize) -> Ipv4Addr {
        let host = u8::try_from(index % 254).unwrap_or(0) + 1;
        Ipv4Addr::new(203, 0, 113, host)
    }

    /// The BGP peering address exports write for the site's device: its first host's address
    /// (`None` for a site without hosts).
    #[must_use]
    pub fn bgp_peer_address(&self) -> Option<Ipv4Addr> {
        self.hosts.first().map(|h| h.ip)
    }
}

/// A named on-premises host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Host {
    /// Endpoint name, unique among all endpoints.
    pub name: String,
    /// The host's address, inside one of the site's prefixes.
    #[serde(with = "ip")]
    pub ip: Ipv4Addr,
}

/// A gateway connection: site-to-site (IPsec) or VNet-to-VNet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connection {
    /// Unique name of the connection in the design.
    pub name: String,
    /// The Azure-side gateway (`virtualNetworkGateway1`).
    pub gateway: String,
    /// The other end.
    pub remote: ConnectionRemote,
    /// BGP over this connection.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub bgp: bool,
}

/// The far end of a connection.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ConnectionRemote {
    /// Site-to-site to a local network gateway.
    Site(String),
    /// VNet-to-VNet to another VPN gateway.
    Gateway(String),
}

impl Connection {
    /// The gateway at the far end of a VNet-to-VNet connection (`None` for site-to-site).
    #[must_use]
    pub fn remote_gateway(&self) -> Option<&str> {
        match &self.remote {
            ConnectionRemote::Gateway(name) => Some(name),
            ConnectionRemote::Site(_) => None,
        }
    }

    /// The connection Azure needs from the far gateway back to this one, with this one's BGP
    /// setting and a name free in `design` (`None` for site-to-site). A VNet-to-VNet link is a
    /// pair of connection resources, one on each gateway with the same shared key: the portal's
    /// "Establish bidirectional connectivity" creates both, and the PowerShell and CLI articles
    /// create the second by hand (vpn-gateway-vnet-vnet-rm-ps.md, vpn-gateway-howto-vnet-vnet-cli.md).
    ///
    /// ```
    /// use vnetlab::model::{Connection, ConnectionRemote, Design};
    /// let there = Connection {
    ///     name: "gw-a-to-gw-b".into(),
    ///     gateway: "gw-a".into(),
    ///     remote: ConnectionRemote::Gateway("gw-b".into()),
    ///     bgp: true,
    /// };
    /// let back = there.partner_for(&Design::empty("d")).unwrap();
    /// assert_eq!((back.name.as_str(), back.gateway.as_str()), ("gw-b-to-gw-a", "gw-b"));
    /// assert_eq!(back.remote, ConnectionRemote::Gateway("gw-a".into()));
    /// assert!(back.bgp);
    /// ```
    #[must_use]
    pub fn partner_for(&self, design: &Design) -> Option<Connection> {
        let far = self.remote_gateway()?;
        let name = plan::unique_name(&format!("{far}-to-{}", self.gateway), |n| {
            design.connection(n).is_some()
        });
        Some(Connection {
            name,
            gateway: far.to_string(),
            remote: ConnectionRemote::Gateway(self.gateway.clone()),
            bgp: self.bgp,
        })
    }
}

impl Design {
    /// The connection that pairs with VNet-to-VNet connection `conn`: one from its far gateway
    /// back to its gateway. Without it Azure never brings the link up (each side's connection
    /// carries the shared key; the first one stays `NotConnected` until the second exists), so
    /// the engine joins two gateways only over a pair.
    #[must_use]
    pub fn vnet_to_vnet_partner(&self, conn: &Connection) -> Option<&Connection> {
        let far = conn.remote_gateway()?;
        self.connections
            .iter()
            .find(|k| k.gateway == far && k.remote_gateway() == Some(conn.gateway.as_str()))
    }
}
