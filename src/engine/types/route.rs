//! One row of a subnet's effective route table, in Azure's vocabulary
//! (`az network nic show-effective-route-table`).

use ipnet::Ipv4Net;
use serde::Serialize;
use std::fmt;
use std::net::Ipv4Addr;

/// Where an effective route comes from (the `source` column of Azure's effective routes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RouteSource {
    /// System route (VNet ranges, peerings, reserved prefixes, internet).
    Default,
    /// User-defined route from the subnet's route table.
    User,
    /// Learned from a virtual network gateway (site prefixes, VNet-to-VNet, P2S pool, BGP).
    VirtualNetworkGateway,
}

impl RouteSource {
    /// Azure's text, as JSON writes it (`Default`, `User`, `VirtualNetworkGateway`).
    pub fn as_str(self) -> &'static str {
        match self {
            RouteSource::Default => "Default",
            RouteSource::User => "User",
            RouteSource::VirtualNetworkGateway => "VirtualNetworkGateway",
        }
    }
}

/// Whether a route takes part in forwarding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RouteState {
    /// Used for lookups.
    Active,
    /// Overridden by another route; shown for explanation only.
    Invalid,
}

impl RouteState {
    /// Azure's text, as JSON writes it (`Active`, `Invalid`).
    pub fn as_str(self) -> &'static str {
        match self {
            RouteState::Active => "Active",
            RouteState::Invalid => "Invalid",
        }
    }
}

/// Azure's next hop type; the variant names are Azure's texts, which JSON and
/// [`NextHopType::as_str`] use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum NextHopType {
    /// Inside the VNet.
    VnetLocal,
    /// Over a peering within one region.
    #[serde(rename = "VNetPeering")]
    VnetPeering,
    /// Over a peering between regions.
    #[serde(rename = "VNetGlobalPeering")]
    VnetGlobalPeering,
    /// To a virtual network gateway (learned routes and gateway UDRs).
    VirtualNetworkGateway,
    /// To an NVA or firewall's address.
    VirtualAppliance,
    /// Out to the internet.
    Internet,
    /// Dropped.
    None,
}

impl NextHopType {
    /// Every type, in declaration order.
    pub const ALL: &'static [NextHopType] = &[
        NextHopType::VnetLocal,
        NextHopType::VnetPeering,
        NextHopType::VnetGlobalPeering,
        NextHopType::VirtualNetworkGateway,
        NextHopType::VirtualAppliance,
        NextHopType::Internet,
        NextHopType::None,
    ];

    /// Azure's text, e.g. `VNetGlobalPeering`.
    pub fn as_str(self) -> &'static str {
        match self {
            NextHopType::VnetLocal => "VnetLocal",
            NextHopType::VnetPeering => "VNetPeering",
            NextHopType::VnetGlobalPeering => "VNetGlobalPeering",
            NextHopType::VirtualNetworkGateway => "VirtualNetworkGateway",
            NextHopType::VirtualAppliance => "VirtualAppliance",
            NextHopType::Internet => "Internet",
            NextHopType::None => "None",
        }
    }
}

impl fmt::Display for NextHopType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// Compares with Azure's text (`route.next_hop_type == "VnetLocal"`).
impl PartialEq<&str> for NextHopType {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One row of a subnet's effective route table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveRoute {
    /// Where the route comes from.
    pub source: RouteSource,
    /// Active or Invalid.
    pub state: RouteState,
    /// Destination prefix.
    pub prefix: Ipv4Net,
    /// Azure's next hop type.
    pub next_hop_type: NextHopType,
    /// The appliance address for `VirtualAppliance`.
    pub next_hop_ip: Option<Ipv4Addr>,
    /// The UDR's name (user routes only, as in Azure).
    pub name: Option<String>,
    /// Why it is Invalid, or where it came from (peering, gateway, site).
    pub note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::NextHopType;

    #[test]
    fn json_values_are_azures_texts() {
        for kind in NextHopType::ALL {
            let json = serde_json::to_string(kind).expect("serialises");
            assert_eq!(json, format!("\"{kind}\""));
        }
    }
}
