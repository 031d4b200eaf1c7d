//! The fixed list of concepts lessons teach: the ideas of the peering notes vnetlab started from.
//! A lesson names the concepts it teaches; `vnetlab lesson list` shows them, and a test checks
//! that the bundled lessons cover every one.

use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

macro_rules! concepts {
    ($($(#[doc = $doc:literal])* $variant:ident => ($id:literal, $title:literal),)*) => {
        /// A concept a lesson teaches. Lesson files name it by variant (`GatewayTransit`); the
        /// CLI and JSON show its stable id (`gateway-transit`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
        pub enum Concept {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Concept {
            /// Every concept, in teaching order.
            pub const ALL: &'static [Concept] = &[$(Concept::$variant,)*];

            /// The stable id, e.g. `gateway-transit`.
            pub fn id(self) -> &'static str {
                match self {
                    $(Concept::$variant => $id,)*
                }
            }

            /// A short title for people, e.g. "Gateway transit".
            pub fn title(self) -> &'static str {
                match self {
                    $(Concept::$variant => $title,)*
                }
            }
        }
    };
}

concepts! {
    /// VMs in two VNets cannot talk until the VNets are connected (peering, VPN).
    NotConnectedByDefault => ("not-connected-by-default", "VNets are isolated until connected"),
    /// Peering between two VNets in the same region.
    RegionalPeering => ("regional-peering", "Regional peering"),
    /// Peering between VNets in different regions of one cloud.
    GlobalPeering => ("global-peering", "Global peering"),
    /// Peering rules of the Azure Government cloud (global peering between Gov regions).
    GovernmentCloud => ("government-cloud", "Government-cloud peering rule"),
    /// A peering is a separate resource on each side: Initiated until both exist, then Connected.
    PeeringPerSide => ("peering-per-side", "A peering is a resource on each side"),
    /// Deleting one side leaves the other Disconnected; delete it and recreate both.
    PeeringDisconnected => ("peering-disconnected", "Disconnected peerings"),
    /// A–B and B–C peered does not connect A and C.
    NonTransitive => ("non-transitive", "Peering is not transitive"),
    /// Hub and spoke through an NVA with UDRs (service chaining).
    ServiceChaining => ("service-chaining", "Service chaining through a hub NVA"),
    /// `allowForwardedTraffic` and IP forwarding on the appliance.
    ForwardedTraffic => ("forwarded-traffic", "Forwarded traffic"),
    /// A UDR whose next hop is the VPN gateway.
    UdrToVpnGateway => ("udr-to-vpn-gateway", "UDR to the VPN gateway"),
    /// `allowGatewayTransit` on the hub side, `useRemoteGateways` on the spoke side.
    GatewayTransit => ("gateway-transit", "Gateway transit"),
    /// One VPN gateway per VNet; a VNet with its own gateway cannot use a remote one.
    OneGatewayPerVnet => ("one-gateway-per-vnet", "One gateway per VNet"),
    /// A Basic SKU gateway does not support gateway transit.
    BasicSkuNoTransit => ("basic-sku-no-transit", "Basic SKU: no gateway transit"),
    /// Site-to-site VPN to an on-premises network.
    SiteToSite => ("site-to-site", "Site-to-site VPN"),
    /// VNet-to-VNet VPN between two gateways.
    VnetToVnet => ("vnet-to-vnet", "VNet-to-VNet VPN"),
    /// Point-to-site VPN clients and what they can reach.
    PointToSite => ("point-to-site", "Point-to-site VPN"),
    /// NSGs opening or closing traffic between peered VNets.
    NsgAcrossPeering => ("nsg-across-peering", "NSGs between peered VNets"),
    /// The permissions needed to create a peering (built-in and custom roles).
    PeeringPermissions => ("peering-permissions", "Permissions to peer"),
    /// Peering VNets in different subscriptions.
    CrossSubscription => ("cross-subscription", "Cross-subscription peering"),
    /// Peering an ARM VNet with a classic VNet (and why classic-to-classic is refused).
    ClassicPeering => ("classic-peering", "Classic-to-ARM peering"),
    /// Changing a peered VNet's address space, then syncing the peering (no downtime).
    AddressSpaceSync => ("address-space-sync", "Address-space change and sync"),
    /// Finding the fault in a network that should work.
    Troubleshooting => ("troubleshooting", "Troubleshooting"),
}

impl Concept {
    /// The concept a blocked pair with this reason code illustrates best: what a lesson drafted
    /// from a design that is blocked this way teaches. Codes no single concept covers are
    /// troubleshooting.
    pub fn for_reason(code: crate::engine::ReasonCode) -> Concept {
        use crate::engine::ReasonCode as R;
        match code {
            R::PeeringMissing | R::RouteNone => Concept::NotConnectedByDefault,
            R::PeeringNotConnected => Concept::PeeringPerSide,
            R::ForwardedTrafficBlocked | R::IpForwardingDisabled => Concept::ForwardedTraffic,
            R::AddressSpaceNotSynced => Concept::AddressSpaceSync,
            R::NsgDeny => Concept::NsgAcrossPeering,
            R::ApplianceDeny
            | R::NextHopUnreachable
            | R::RoutingLoop
            | R::AsymmetricStatefulDrop => Concept::ServiceChaining,
            R::GatewayMissing | R::GatewayNotTransit => Concept::GatewayTransit,
            R::NotAdvertised => Concept::SiteToSite,
            R::ConnectionNotConnected => Concept::VnetToVnet,
            R::PeeringInvalid
            | R::SubnetNotInSubnetPeering
            | R::PeeringVnetAccessBlocked
            | R::NoRouteInternet
            | R::NoSuchHost
            | R::ConnectedGroupOverlap => Concept::Troubleshooting,
        }
    }
}

impl fmt::Display for Concept {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl Serialize for Concept {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_kebab_case() {
        let mut seen = HashSet::new();
        for concept in Concept::ALL {
            let id = concept.id();
            assert!(seen.insert(id), "{id} twice");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{id}"
            );
            assert!(!concept.title().is_empty());
        }
    }
}
