//! Gateway transit for a hub, switched as one step: on sets `allowGatewayTransit` on the hub's
//! links and `useRemoteGateways` on each spoke's link back; off clears both. It refuses, with
//! Azure's reason, where Azure would refuse (a Basic gateway, a spoke with its own gateway, a
//! spoke already using another hub's gateway), by checking the peering rules of
//! [`Design::peering_violations`] on the design as it would be. The cost is one clone of the
//! design's peerings per call (the candidate the rules are checked on).

use super::{Edit, Object};
use crate::model::{Design, Peering, PeeringFlag, PeeringViolation};

/// Why gateway transit cannot be switched for a hub.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitRefusal {
    /// The hub VNet has no gateway to share.
    #[error("{vnet} has no gateway to share")]
    NoGateway {
        /// The hub VNet.
        vnet: String,
    },
    /// The hub VNet has no peerings to switch.
    #[error("{vnet} has no peerings; peer it with spokes first")]
    NoPeerings {
        /// The hub VNet.
        vnet: String,
    },
    /// The hub's gateway is Basic, which does not support transit.
    #[error(
        "gateway {gateway} has the Basic SKU, which does not support gateway transit; change its SKU to VpnGw1 or higher"
    )]
    BasicGateway {
        /// The gateway's name.
        gateway: String,
    },
    /// A spoke's link back would break a peering rule once it uses the hub's gateway.
    #[error("Azure refuses gateway transit for {link}: {violation}")]
    Refused {
        /// The spoke's link to the hub.
        link: String,
        /// The rule it would break.
        violation: PeeringViolation,
    },
}

/// Switches gateway transit for the hub `vnet` (on when none of its links allows transit, off
/// otherwise), as one batch of peering replacements: each hub link, then its spoke's link back.
///
/// ```
/// use vnetlab::edit::transit::switch_gateway_transit;
/// use vnetlab::model::Design;
/// let d = Design::example_pair();
/// // The example has no gateway, so there is nothing to share.
/// assert_eq!(
///     switch_gateway_transit(&d, "a").unwrap_err().to_string(),
///     "a has no gateway to share"
/// );
/// ```
pub fn switch_gateway_transit(design: &Design, vnet: &str) -> Result<Edit, TransitRefusal> {
    let Some(gateway) = design.gateways_in(vnet).next() else {
        return Err(TransitRefusal::NoGateway { vnet: vnet.into() });
    };
    let hub_links: Vec<&Peering> = design.peerings.iter().filter(|p| p.local == vnet).collect();
    if hub_links.is_empty() {
        return Err(TransitRefusal::NoPeerings { vnet: vnet.into() });
    }
    let turn_on = !design.gateway_transit_on(vnet);
    if turn_on && !gateway.sku.supports_transit() {
        return Err(TransitRefusal::BasicGateway {
            gateway: gateway.name.clone(),
        });
    }
    let mut candidate = design.clone();
    let mut edits = Vec::new();
    let mut switch = |link: &Peering, flag: PeeringFlag| {
        let mut changed = link.clone();
        flag.set(&mut changed, turn_on);
        if let Some(slot) = candidate
            .peerings
            .iter_mut()
            .find(|p| p.name == changed.name)
        {
            *slot = changed.clone();
        }
        edits.push(Edit::Replace(Object::Peering(changed)));
    };
    for hub_link in hub_links {
        switch(hub_link, PeeringFlag::AllowGatewayTransit);
        if let Some(spoke_link) = design.reverse_peering(hub_link) {
            switch(spoke_link, PeeringFlag::UseRemoteGateways);
        }
    }
    if turn_on {
        for link in candidate
            .peerings
            .iter()
            .filter(|p| p.remote == vnet && p.use_remote_gateways)
        {
            if let Some(violation) = candidate
                .peering_violations(link)
                .into_iter()
                .find(|v| v.refuses(PeeringFlag::UseRemoteGateways))
            {
                return Err(TransitRefusal::Refused {
                    link: link.name.clone(),
                    violation,
                });
            }
        }
    }
    Ok(Edit::Batch(edits))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Gateway, GatewayKind, GatewaySku, Subnet, VpnType};

    /// `a` (with a VpnGw1 gateway) and `b`, peered both ways with default flags; the TUI's
    /// tests of its peering commands start from it too.
    pub(crate) fn hub_spoke() -> Design {
        let mut d = Design::example_pair();
        d.vnets[0].subnets.push(Subnet::new(
            "GatewaySubnet",
            "10.1.255.0/27".parse().unwrap(),
        ));
        d.gateways.push(Gateway {
            name: "gw".into(),
            vnet: "a".into(),
            kind: GatewayKind::Vpn,
            sku: GatewaySku::VpnGw1,
            vpn_type: VpnType::RouteBased,
            client_pool: Vec::new(),
            bgp: false,
        });
        d.peerings.push(Peering::new("a-to-b", "a", "b"));
        d.peerings.push(Peering::new("b-to-a", "b", "a"));
        d
    }

    #[test]
    fn transit_sets_both_sides_and_switches_off_again() {
        let mut d = hub_spoke();
        assert!(!d.gateway_transit_on("a"));
        switch_gateway_transit(&d, "a")
            .unwrap()
            .apply(&mut d)
            .unwrap();
        assert!(d.gateway_transit_on("a"));
        assert!(d.peering("a-to-b").unwrap().allow_gateway_transit);
        assert!(d.peering("b-to-a").unwrap().use_remote_gateways);
        assert!(d.uses_remote_gateway_effectively(d.peering("b-to-a").unwrap()));
        switch_gateway_transit(&d, "a")
            .unwrap()
            .apply(&mut d)
            .unwrap();
        assert!(!d.gateway_transit_on("a"));
        assert!(!d.peering("a-to-b").unwrap().allow_gateway_transit);
        assert!(!d.peering("b-to-a").unwrap().use_remote_gateways);
    }

    #[test]
    fn transit_is_refused_where_azure_refuses_it() {
        let mut basic = hub_spoke();
        basic.gateways[0].sku = GatewaySku::Basic;
        assert_eq!(
            switch_gateway_transit(&basic, "a").unwrap_err(),
            TransitRefusal::BasicGateway {
                gateway: "gw".into()
            }
        );
        let mut own = hub_spoke();
        own.vnets[1].subnets.push(Subnet::new(
            "GatewaySubnet",
            "10.2.255.0/27".parse().unwrap(),
        ));
        let mut second = own.gateways[0].clone();
        second.name = "gw-b".into();
        second.vnet = "b".into();
        own.gateways.push(second);
        let error = switch_gateway_transit(&own, "a").unwrap_err();
        assert_eq!(
            error,
            TransitRefusal::Refused {
                link: "b-to-a".into(),
                violation: PeeringViolation::UseRemoteGatewaysWithOwnGateway
            }
        );
        assert!(error.to_string().contains("own gateway"), "{error}");
    }

    #[test]
    fn transit_needs_a_gateway_and_peerings() {
        let mut lonely = hub_spoke();
        lonely.peerings.clear();
        assert_eq!(
            switch_gateway_transit(&lonely, "a").unwrap_err(),
            TransitRefusal::NoPeerings { vnet: "a".into() }
        );
        assert_eq!(
            switch_gateway_transit(&hub_spoke(), "b").unwrap_err(),
            TransitRefusal::NoGateway { vnet: "b".into() }
        );
    }
}
