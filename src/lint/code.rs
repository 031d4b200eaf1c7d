//! The stable diagnostic codes. Add variants freely; never rename or reuse a string.

use crate::codes::stable_codes;

stable_codes! {
    /// A stable diagnostic code; see the module documentation of [`lint`](crate::lint) for the
    /// scheme.
    pub enum Code {
        /// V1: the two VNets' address spaces overlap.
        PeeringOverlap => "PEERING_OVERLAP",
        /// V2: the VNets are in different clouds.
        PeeringCrossCloud => "PEERING_CROSS_CLOUD",
        /// V3: both VNets are classic.
        PeeringClassicToClassic => "PEERING_CLASSIC_TO_CLASSIC",
        /// V4: use remote gateways while the local VNet has its own gateway.
        PeeringRemoteGatewaysWithOwnGateway => "PEERING_REMOTE_GATEWAYS_WITH_OWN_GATEWAY",
        /// V5: use remote gateways while the remote VNet has no gateway.
        PeeringRemoteVnetHasNoGateways => "PEERING_REMOTE_VNET_HAS_NO_GATEWAYS",
        /// V6: use remote gateways on more than one peering of a VNet.
        PeeringRemoteGatewaysOnSeveralPeerings => "PEERING_REMOTE_GATEWAYS_ON_SEVERAL_PEERINGS",
        /// V7: use remote gateways without allow gateway transit on the other side.
        PeeringRemoteGatewaysWithoutTransit => "PEERING_REMOTE_GATEWAYS_WITHOUT_TRANSIT",
        /// V8: allow gateway transit without a gateway.
        PeeringTransitWithoutGateway => "PEERING_TRANSIT_WITHOUT_GATEWAY",
        /// V9: gateway transit through a Basic SKU gateway.
        PeeringTransitBasicSku => "PEERING_TRANSIT_BASIC_SKU",
        /// Global peering between Government-cloud regions under `gov_global_peering: Forbidden`.
        PeeringGovGlobal => "PEERING_GOV_GLOBAL",
        /// A peering resource on a classic VNet (only the ARM side of ARM↔classic is configured).
        PeeringOnClassicVnet => "PEERING_ON_CLASSIC_VNET",
        /// One-sided peering: state Initiated, no traffic flows.
        PeeringInitiated => "PEERING_INITIATED",
        /// The reverse link was deleted after connecting: state Disconnected.
        PeeringDisconnected => "PEERING_DISCONNECTED",
        /// The peering's copy of the remote address space is stale (LocalNotInSync).
        PeeringNotSynced => "PEERING_NOT_SYNCED",
        /// More than 500 peerings on one VNet.
        PeeringLimitExceeded => "PEERING_LIMIT_EXCEEDED",
        /// V13: a subnet-level peering lists more than 200 subnets on one side.
        PeeringSubnetLimitExceeded => "PEERING_SUBNET_LIMIT_EXCEEDED",
        /// V13: the two links of a subnet-level peering do not list the same subnets mirrored.
        PeeringSubnetListsMismatch => "PEERING_SUBNET_LISTS_MISMATCH",
        /// Two ranges of one VNet's address space overlap.
        AddressVnetRangesOverlap => "ADDRESS_VNET_RANGES_OVERLAP",
        /// A subnet prefix lies outside its VNet's address space.
        AddressSubnetOutsideVnet => "ADDRESS_SUBNET_OUTSIDE_VNET",
        /// Two subnets of one VNet overlap.
        AddressSubnetOverlap => "ADDRESS_SUBNET_OVERLAP",
        /// A subnet smaller than Azure's minimum /29.
        AddressSubnetTooSmall => "ADDRESS_SUBNET_TOO_SMALL",
        /// A NIC's IP lies outside its subnet.
        AddressIpOutsideSubnet => "ADDRESS_IP_OUTSIDE_SUBNET",
        /// Two NICs in one VNet have the same IP.
        AddressIpDuplicate => "ADDRESS_IP_DUPLICATE",
        /// A NIC's IP is one of the five addresses Azure reserves in every subnet.
        AddressIpReserved => "ADDRESS_IP_RESERVED",
        /// A point-to-site client pool overlaps a VNet or on-premises range the gateway routes to.
        AddressClientPoolOverlap => "ADDRESS_CLIENT_POOL_OVERLAP",
        /// A site's on-premises prefixes overlap the address space of the VNet connected to it.
        AddressSiteOverlapsVnet => "ADDRESS_SITE_OVERLAPS_VNET",
        /// A gateway in a VNet without a GatewaySubnet.
        GatewaySubnetMissing => "GATEWAY_SUBNET_MISSING",
        /// GatewaySubnet smaller than /29 (Azure refuses) or than the recommended /27.
        GatewaySubnetTooSmall => "GATEWAY_SUBNET_TOO_SMALL",
        /// An NSG on GatewaySubnet.
        GatewaySubnetNsg => "GATEWAY_SUBNET_NSG",
        /// A 0.0.0.0/0 route on GatewaySubnet's route table.
        GatewaySubnetDefaultRoute => "GATEWAY_SUBNET_DEFAULT_ROUTE",
        /// Gateway route propagation disabled on GatewaySubnet.
        GatewaySubnetPropagationDisabled => "GATEWAY_SUBNET_PROPAGATION_DISABLED",
        /// A VM NIC inside GatewaySubnet.
        GatewaySubnetHasVms => "GATEWAY_SUBNET_HAS_VMS",
        /// More than one gateway of one kind (VPN or ExpressRoute) in a VNet.
        GatewayTooMany => "GATEWAY_TOO_MANY",
        /// A Basic SKU gateway with BGP, which Basic does not support.
        GatewayBasicBgp => "GATEWAY_BASIC_BGP",
        /// A policy-based VPN gateway used for something that needs route-based.
        GatewayPolicyBasedUnsupported => "GATEWAY_POLICY_BASED_UNSUPPORTED",
        /// A VPN-only feature (SKU, P2S pool, connection) on an ExpressRoute gateway, or the reverse.
        GatewayKindMismatch => "GATEWAY_KIND_MISMATCH",
        /// A VNet-to-VNet connection without the connection back from the other gateway: Azure
        /// never brings the link up.
        GatewayConnectionOneSided => "GATEWAY_CONNECTION_ONE_SIDED",
        /// One connection of a VNet-to-VNet pair runs BGP and the other does not, so the link
        /// runs without BGP.
        GatewayConnectionBgpOneSided => "GATEWAY_CONNECTION_BGP_ONE_SIDED",
        /// A UDR's next-hop IP is on no NIC.
        RouteNextHopNotFound => "ROUTE_NEXT_HOP_NOT_FOUND",
        /// A UDR's next-hop IP is not directly reachable from a subnet using the route.
        RouteNextHopUnreachable => "ROUTE_NEXT_HOP_UNREACHABLE",
        /// The appliance a UDR targets has IP forwarding off.
        RouteNextHopNoIpForwarding => "ROUTE_NEXT_HOP_NO_IP_FORWARDING",
        /// An appliance in the same subnet as the traffic its UDR steers (routing loop risk).
        RouteApplianceInSameSubnet => "ROUTE_APPLIANCE_IN_SAME_SUBNET",
        /// A `VirtualNetworkGateway` next hop that resolves to an ExpressRoute gateway.
        RouteGatewayExpressRoute => "ROUTE_GATEWAY_EXPRESS_ROUTE",
        /// A `VirtualNetworkGateway` next hop in a VNet with no usable VPN gateway.
        RouteGatewayMissing => "ROUTE_GATEWAY_MISSING",
        /// Two routes of one table share a prefix.
        RouteDuplicatePrefix => "ROUTE_DUPLICATE_PREFIX",
        /// A route table no subnet uses.
        RouteTableUnused => "ROUTE_TABLE_UNUSED",
        /// Two rules of one NSG share a priority in one direction.
        NsgDuplicatePriority => "NSG_DUPLICATE_PRIORITY",
        /// A custom NSG rule priority outside 100–4096.
        NsgPriorityOutOfRange => "NSG_PRIORITY_OUT_OF_RANGE",
        /// An NSG on AzureFirewallSubnet, which does not support NSGs.
        NsgOnFirewallSubnet => "NSG_ON_FIREWALL_SUBNET",
        /// An NSG no subnet or NIC uses.
        NsgUnused => "NSG_UNUSED",
        /// Two objects of one kind with the same name, or names that differ only in case.
        NameDuplicate => "NAME_DUPLICATE",
        /// A name Azure's naming rules reject.
        NameInvalid => "NAME_INVALID",
        /// The designer's role lacks `virtualNetworkPeerings/write` on the local VNet.
        PermissionPeeringWrite => "PERMISSION_PEERING_WRITE",
        /// The designer's role lacks `virtualNetworks/peer/action` on the remote VNet.
        PermissionPeerAction => "PERMISSION_PEER_ACTION",
        /// A peered VNet's subscription has no recorded role, so permissions are not checked.
        PermissionRoleUnknown => "PERMISSION_ROLE_UNKNOWN",
        /// An NSG rule names source and destination ASGs whose NICs are in different VNets.
        NsgAsgsInSeveralVnets => "NSG_ASGS_IN_SEVERAL_VNETS",
        /// A Route Server in a VNet without a `RouteServerSubnet`.
        RouteServerSubnetMissing => "ROUTE_SERVER_SUBNET_MISSING",
        /// `RouteServerSubnet` smaller than /27.
        RouteServerSubnetTooSmall => "ROUTE_SERVER_SUBNET_TOO_SMALL",
        /// A second Route Server in one VNet.
        RouteServerTooMany => "ROUTE_SERVER_TOO_MANY",
        /// A Route Server BGP peer whose session cannot come up (reserved ASN, no NVA there).
        RouteServerPeerDown => "ROUTE_SERVER_PEER_DOWN",
        /// An NVA announces a prefix inside a VNet the Route Server serves, which it drops.
        RouteServerPrefixDropped => "ROUTE_SERVER_PREFIX_DROPPED",
        /// An NSG or a route table on `RouteServerSubnet`, which Route Server does not support.
        RouteServerSubnetPolicy => "ROUTE_SERVER_SUBNET_POLICY",
        /// A VNet in more than two AVNM connected groups.
        AvnmTooManyConnectedGroups => "AVNM_TOO_MANY_CONNECTED_GROUPS",
        /// Members of a connected group overlap: traffic to the overlap is dropped.
        AvnmConnectedGroupOverlap => "AVNM_CONNECTED_GROUP_OVERLAP",
        /// "Use hub as a gateway" with no gateway nor Route Server in the hub.
        AvnmHubWithoutGateway => "AVNM_HUB_WITHOUT_GATEWAY",
        /// An intent of the design does not hold.
        IntentFailed => "INTENT_FAILED",
        /// An intent names an endpoint the engine cannot find.
        IntentUnresolved => "INTENT_UNRESOLVED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_screaming_snake_with_an_area_prefix() {
        let areas = [
            "PEERING_",
            "ADDRESS_",
            "GATEWAY_",
            "ROUTE_",
            "NSG_",
            "NAME_",
            "PERMISSION_",
            "INTENT_",
            "AVNM_",
        ];
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(
                text.chars().all(|c| c.is_ascii_uppercase() || c == '_'),
                "{text}"
            );
            assert!(
                areas.iter().any(|a| text.starts_with(a)),
                "{text} has no area prefix"
            );
        }
    }
}
