//! The stable reason codes of a blocked pair.

use crate::codes::stable_codes;

stable_codes! {
    /// Why a pair is blocked. Stable codes: JSON and tests use the SCREAMING_SNAKE text, which
    /// never changes once published (DESIGN.md §3); [`ReasonCode::description`] is the doc line.
    pub enum ReasonCode {
        /// No peering joins the two VNets.
        PeeringMissing => "PEERING_MISSING",
        /// A peering exists but is `Initiated` or `Disconnected`.
        PeeringNotConnected => "PEERING_NOT_CONNECTED",
        /// Azure would refuse the peering (overlap, cross-cloud, classic↔classic, Government rule).
        PeeringInvalid => "PEERING_INVALID",
        /// A subnet-level peering does not list the subnet: a source subnet's packets follow
        /// the peering's routes but are dropped before delivery, and a destination subnet gets
        /// no route over it (§1.9).
        SubnetNotInSubnetPeering => "SUBNET_NOT_IN_SUBNET_PEERING",
        /// `allowVirtualNetworkAccess` is off on one side of the peering.
        PeeringVnetAccessBlocked => "PEERING_VNET_ACCESS_BLOCKED",
        /// Forwarded traffic enters a VNet whose peering does not allow it.
        ForwardedTrafficBlocked => "FORWARDED_TRAFFIC_BLOCKED",
        /// The destination range was added to the remote VNet but the peering was not synced.
        AddressSpaceNotSynced => "ADDRESS_SPACE_NOT_SYNCED",
        /// An NSG rule denies the flow.
        NsgDeny => "NSG_DENY",
        /// An NVA or firewall rule denies the flow.
        ApplianceDeny => "APPLIANCE_DENY",
        /// The route chosen has next hop `None`: the packet is dropped.
        RouteNone => "ROUTE_NONE",
        /// The route chosen sends a private destination to the internet.
        NoRouteInternet => "NO_ROUTE_INTERNET",
        /// A UDR's next-hop IP is not in the VNet or a directly peered VNet.
        NextHopUnreachable => "NEXT_HOP_UNREACHABLE",
        /// A NIC must forward traffic not addressed to it but IP forwarding is off.
        IpForwardingDisabled => "IP_FORWARDING_DISABLED",
        /// The route needs a virtual network gateway that is not there (or cannot be used).
        GatewayMissing => "GATEWAY_MISSING",
        /// A VNet-to-VNet connection has no matching connection from the other gateway, so
        /// Azure never brings the link up and no routes cross it.
        ConnectionNotConnected => "CONNECTION_NOT_CONNECTED",
        /// The VNet asks for the hub's gateway but gateway transit does not take effect.
        GatewayNotTransit => "GATEWAY_NOT_TRANSIT",
        /// The packet would circle between appliances or gateways forever.
        RoutingLoop => "ROUTING_LOOP",
        /// A stateful appliance sees only one direction of the conversation.
        AsymmetricStatefulDrop => "ASYMMETRIC_STATEFUL_DROP",
        /// No NIC owns the destination address where the route delivers it.
        NoSuchHost => "NO_SUCH_HOST",
        /// An on-premises site or point-to-site client has no route to the destination, because
        /// no gateway it is connected to advertises it.
        NotAdvertised => "NOT_ADVERTISED",
        /// The destination lies in address space that several members of an AVNM connected
        /// group share; Azure drops traffic to overlapping ranges there.
        ConnectedGroupOverlap => "CONNECTED_GROUP_OVERLAP",
    }
}

impl ReasonCode {
    /// Whether the code is a filtering rule's decision (an NSG rule, an NVA's or firewall's
    /// rule) rather than routing, a peering or an appliance's forwarding: what "as if every
    /// rule allowed it" ([`PermitAll`](crate::engine::PermitAll)) sets aside.
    pub fn is_rule(self) -> bool {
        matches!(self, ReasonCode::NsgDeny | ReasonCode::ApplianceDeny)
    }
}

#[cfg(test)]
mod tests {
    use super::ReasonCode;

    #[test]
    fn descriptions_are_the_doc_lines_joined() {
        assert_eq!(
            ReasonCode::PeeringMissing.description(),
            "No peering joins the two VNets."
        );
        assert_eq!(
            ReasonCode::NotAdvertised.description(),
            "An on-premises site or point-to-site client has no route to the destination, \
             because no gateway it is connected to advertises it."
        );
        for code in ReasonCode::ALL {
            let text = code.description();
            assert!(
                text.ends_with('.') && !text.contains("  "),
                "{code}: {text}"
            );
        }
    }
}
