//! Route tables: user-defined routes (UDRs) and the gateway-route propagation switch.

use super::address::{cidr, ip};
use ipnet::Ipv4Net;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::Ipv4Addr;

/// A route table, associated with subnets by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteTable {
    /// Unique name of the route table in the design.
    pub name: String,
    /// User-defined routes.
    #[serde(default)]
    pub routes: Vec<Route>,
    /// "Propagate gateway routes" (the inverse of `disableBgpRoutePropagation`).
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub propagate_gateway_routes: bool,
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

impl RouteTable {
    /// An empty table that propagates gateway routes.
    pub fn new(name: impl Into<String>) -> Self {
        RouteTable {
            name: name.into(),
            routes: Vec::new(),
            propagate_gateway_routes: true,
        }
    }
}

/// One user-defined route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// Route name, unique in its table.
    pub name: String,
    /// Destination prefix.
    #[serde(with = "cidr")]
    pub prefix: Ipv4Net,
    /// Where matching traffic goes.
    pub next_hop: NextHop,
}

/// Next hop types a UDR may name (REST `RouteNextHopType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NextHop {
    /// A NIC's private IP (an NVA or firewall), which must have IP forwarding on.
    VirtualAppliance(#[serde(with = "ip")] Ipv4Addr),
    /// The VNet's VPN gateway (own, or the hub's through gateway transit).
    VirtualNetworkGateway,
    /// Keep the traffic inside the VNet.
    VnetLocal,
    /// Send to the internet.
    Internet,
    /// Drop.
    None,
}

impl NextHop {
    /// The REST spelling of the next hop type.
    pub fn type_name(&self) -> &'static str {
        match self {
            NextHop::VirtualAppliance(_) => "VirtualAppliance",
            NextHop::VirtualNetworkGateway => "VirtualNetworkGateway",
            NextHop::VnetLocal => "VnetLocal",
            NextHop::Internet => "Internet",
            NextHop::None => "None",
        }
    }
}

impl fmt::Display for NextHop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NextHop::VirtualAppliance(ip) => write!(f, "VirtualAppliance {ip}"),
            other => f.write_str(other.type_name()),
        }
    }
}
